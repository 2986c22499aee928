"""``iamsandbox account create``: a new account and its root user's access key;
``iamsandbox account root-password``: the console password of an existing account's root
user (AWS sets it by email; iamsandbox sends none).

Every AWS account has an email address (Organizations answers it: Account.Email,
MasterAccountEmail, a handshake's MASTER_EMAIL, and InviteAccountToOrganization finds an
account by it): ``--email``, else ``ACCOUNT_ID@iamsandbox.invalid`` (".invalid" is reserved
for names that can never be real: RFC 2606).

Works while a server runs on the same store: the store is the only shared state, and the
server looks accounts and keys up there, so it sees the new account at once.
"""

from __future__ import annotations

import argparse
import json
import re
import secrets
import sys
from typing import Any

from .config import StoreConfig, add_store_arguments

_ACCOUNT_ID = re.compile(r"^[0-9]{12}$")
# Organizations' Email: "[^\s@]+@[^\s@]+\.[^\s@]+" of 6 to 64 characters (CreateAccount).
_EMAIL = re.compile(r"(?=.{6,64}$)[^\s@]+@[^\s@]+\.[^\s@]+")


def default_email(account_id: str) -> str:
    """The email address of an account made without one."""
    return f"{account_id}@iamsandbox.invalid"


def register(commands: Any) -> None:
    account = commands.add_parser("account", help="manage accounts")
    actions = account.add_subparsers(dest="account_command", required=True, metavar="ACTION")
    create = actions.add_parser("create", help="create an account and its root access key")
    create.add_argument("--id", dest="account_id", help="12-digit account ID (default: random)")
    create.add_argument("--name", help="account name (default: the ID)")
    create.add_argument("--email", help="the account's email address (default: ACCOUNT_ID@iamsandbox.invalid)")
    password = create.add_mutually_exclusive_group()
    password.add_argument("--root-password", help="set the root user's console password")
    password.add_argument(
        "--generate-root-password",
        action="store_true",
        help="set a random root password and print it (RootPassword)",
    )
    create.add_argument("--json", action="store_true", help="print a JSON object")
    add_store_arguments(create)
    create.set_defaults(handler=create_account)

    root = actions.add_parser("root-password", help="set an existing account's root console password")
    root.add_argument("--id", dest="account_id", required=True, help="the account's 12-digit ID")
    chosen = root.add_mutually_exclusive_group(required=True)
    chosen.add_argument("--root-password", help="the new password")
    chosen.add_argument("--generate-root-password", action="store_true", help="set a random password and print it")
    add_store_arguments(root)
    root.set_defaults(handler=set_root_password)


def create_account(args: argparse.Namespace) -> int:
    account_id = args.account_id or str(secrets.randbelow(9 * 10**11) + 10**11)
    if not _ACCOUNT_ID.match(account_id):
        print(f"iamsandbox account create: --id must be 12 digits, not {account_id!r}", file=sys.stderr)
        return 2
    email = args.email or default_email(account_id)
    if not _EMAIL.fullmatch(email):
        print(f"iamsandbox account create: --email must be an email address of 6 to 64 characters, not {email!r}",
              file=sys.stderr)  # fmt: skip
        return 2
    root_password = _root_password(args)
    if root_password is not None and not _acceptable(root_password):
        print(f"iamsandbox account create: {_WEAK}", file=sys.stderr)
        return 2
    store = StoreConfig.from_args(args).open()
    try:
        with store.transaction() as tx:
            if tx.get_account(account_id) is not None:
                print(f"iamsandbox account create: account {account_id} already exists", file=sys.stderr)
                return 1
            if any(a.email and a.email.lower() == email.lower() for a in tx.list_accounts()):
                print(f"iamsandbox account create: another account has the email {email}", file=sys.stderr)
                return 1
            account = tx.create_account(account_id, args.name or account_id, email)
            if root_password is not None:
                from ..store import hash_password

                tx.set_root_password(account_id, hash_password(root_password))
            key = tx.create_access_key(account_id, None)
    finally:
        store.close()
    out = {
        "AccountId": account.account_id,
        "AccountName": account.name,
        "Email": email,
        "AccessKeyId": key.access_key_id,
        "SecretAccessKey": key.secret.reveal(),
    }
    if args.generate_root_password:
        out["RootPassword"] = root_password or ""
    if args.json:
        print(json.dumps(out, indent=2))
    else:
        for name, value in out.items():
            print(f"{name}: {value}")
    return 0


def set_root_password(args: argparse.Namespace) -> int:
    """The root user's console password of an account made without one (the quickstart's)."""
    password = _root_password(args)
    assert password is not None  # INVARIANT: one of the two options is required
    if not _acceptable(password):
        print(f"iamsandbox account root-password: {_WEAK}", file=sys.stderr)
        return 2
    from ..store import hash_password

    config = StoreConfig.from_args(args)
    if config.sqlite_file is not None and not config.sqlite_file.exists():
        # No store there yet, so no account: said without making one (a data directory, a
        # database and a master key were left behind).
        print(f"iamsandbox account root-password: no account {args.account_id}", file=sys.stderr)
        return 1
    store = config.open()
    try:
        with store.transaction() as tx:
            if tx.get_account(args.account_id) is None:
                print(f"iamsandbox account root-password: no account {args.account_id}", file=sys.stderr)
                return 1
            tx.set_root_password(args.account_id, hash_password(password))
    finally:
        store.close()
    if args.generate_root_password:
        print(f"RootPassword: {password}")
    return 0


_WEAK = "--root-password must have at least 8 characters and three of: upper case, lower case, digits, symbols"


def _root_password(args: argparse.Namespace) -> str | None:
    if args.generate_root_password:
        while True:  # nearly always once: 20 random characters and "!" rarely miss a kind
            password = secrets.token_urlsafe(15) + "!"
            if _acceptable(password):
                return password
    given: str | None = args.root_password
    return given


def _acceptable(password: str) -> bool:
    from ..errors import PasswordPolicyViolation
    from ..services.iam.credentials import check_password

    try:
        check_password(password)
    except PasswordPolicyViolation:
        return False
    return True

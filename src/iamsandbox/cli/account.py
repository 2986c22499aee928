"""``iamsandbox account create``: a new account and its root user's access key.

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


def register(commands: Any) -> None:
    account = commands.add_parser("account", help="manage accounts")
    actions = account.add_subparsers(dest="account_command", required=True, metavar="ACTION")
    create = actions.add_parser("create", help="create an account and its root access key")
    create.add_argument("--id", dest="account_id", help="12-digit account ID (default: random)")
    create.add_argument("--name", help="account name (default: the ID)")
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


def create_account(args: argparse.Namespace) -> int:
    account_id = args.account_id or str(secrets.randbelow(9 * 10**11) + 10**11)
    if not _ACCOUNT_ID.match(account_id):
        print(f"iamsandbox account create: --id must be 12 digits, not {account_id!r}", file=sys.stderr)
        return 2
    root_password = _root_password(args)
    if root_password is not None and not _acceptable(root_password):
        print(
            "iamsandbox account create: --root-password must have at least 8 characters and three of:"
            " upper case, lower case, digits, symbols",
            file=sys.stderr,
        )
        return 2
    store = StoreConfig.from_args(args).open()
    try:
        with store.transaction() as tx:
            if tx.get_account(account_id) is not None:
                print(f"iamsandbox account create: account {account_id} already exists", file=sys.stderr)
                return 1
            account = tx.create_account(account_id, args.name or account_id)
            if root_password is not None:
                from ..store import hash_password

                tx.set_root_password(account_id, hash_password(root_password))
            key = tx.create_access_key(account_id, None)
    finally:
        store.close()
    out = {
        "AccountId": account.account_id,
        "AccountName": account.name,
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

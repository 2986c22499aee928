"""``iamsandbox demo`` (and ``serve --demo``): the reference workflow, set up in a store.

Account 111111111111 (trusting) with the role ``my-s3-x-account-role`` that trusts account
222222222222 and has ``AmazonS3ReadOnlyAccess``, and a bucket with an object; account
222222222222 (trusted) with the customer managed policy ``my-s3-x-account-policy``
(sts:AssumeRole on the role) attached to the user ``alice``, who has an access key and a
console password. Prints alice's console sign-in URL and password (the URL names the
account, as the "Console sign-in URL" of AWS's Create user wizard does, "How IAM users sign
in to AWS", id_users_sign-in), what to paste into ``~/.aws/config`` and
``~/.aws/credentials``, and the commands to try. Refuses a store that already has either
account.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import secrets
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..store import SqlStore
from .account import default_email
from .config import StoreConfig, add_store_arguments
from .serve import DEFAULT_PORT, port_number

TRUSTING, TRUSTED = "111111111111", "222222222222"
ROLE = "my-s3-x-account-role"
POLICY = "my-s3-x-account-policy"
BUCKET = "my-shared-bucket-111111111111"


def register(commands: Any) -> None:
    demo = commands.add_parser("demo", help="set up the reference workflow in an empty store")
    add_store_arguments(demo)
    # As `serve` reads it: a bad IAMSANDBOX_PORT is a usage error (exit 2), not another port.
    demo.add_argument(
        "--port",
        type=port_number,
        default=os.environ.get("IAMSANDBOX_PORT", str(DEFAULT_PORT)),
        help=f"the port of the server the printed commands talk to (default: $IAMSANDBOX_PORT or {DEFAULT_PORT})",
    )
    demo.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    store = StoreConfig.from_args(args).open()
    try:
        text = set_up(store, port=args.port, host=os.environ.get("IAMSANDBOX_HOST") or "127.0.0.1")
    except ValueError as error:
        print(f"iamsandbox demo: {error}", file=sys.stderr)
        return 1
    finally:
        store.close()
    print(text)
    return 0


def endpoint(host: str, port: int) -> str:
    """The URL a client on this machine reaches a server listening on ``host`` with: a
    wildcard address (all interfaces) is reached on the loopback address."""
    if host in ("", "0.0.0.0", "::"):
        host = "127.0.0.1"
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def set_up(store: SqlStore, port: int, host: str = "127.0.0.1") -> str:
    """Create the demo accounts and return the instructions to print."""
    from ..services.s3.buckets import new_bucket_defaults
    from ..store import hash_password

    role_arn = f"arn:aws:iam::{TRUSTING}:role/{ROLE}"
    password = secrets.token_urlsafe(12)
    with store.transaction() as tx:
        for account in (TRUSTING, TRUSTED):
            if tx.get_account(account) is not None:
                raise ValueError(f"account {account} already exists: the demo needs an empty store")
        tx.create_account(TRUSTING, "trusting", default_email(TRUSTING))
        tx.create_account(TRUSTED, "trusted", default_email(TRUSTED))
        trust = {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{TRUSTED}:root"}, "Action": "sts:AssumeRole"}
            ],
        }
        role = tx.create_role(TRUSTING, ROLE, json.dumps(trust))
        tx.attach_policy(role.id, "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")
        tx.create_bucket(BUCKET, TRUSTING, "us-east-1")
        new_bucket_defaults(tx, BUCKET)  # as CreateBucket makes one: Block Public Access on, ACLs off
        body = b"hello from account 111111111111\n"
        tx.put_object(BUCKET, "hello.txt", body, f'"{hashlib.md5(body).hexdigest()}"', "text/plain")  # noqa: S324  (S3's ETag is MD5)
        allow = {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": role_arn}],
        }
        policy = tx.create_policy(TRUSTED, POLICY, json.dumps(allow))
        alice = tx.create_user(TRUSTED, "alice")
        tx.attach_policy(alice.id, policy.arn)
        key = tx.create_access_key(TRUSTED, alice.id)
        tx.set_login_profile(alice.id, hash_password(password), reset_required=False)
    return f"""The reference workflow is set up.

Account {TRUSTING} (trusting): role {role_arn}
  trusts account {TRUSTED}, has AmazonS3ReadOnlyAccess; bucket s3://{BUCKET} holds hello.txt
Account {TRUSTED} (trusted): user alice with {POLICY} (sts:AssumeRole on the role)
  console sign-in URL: {endpoint(host, port)}/console/signin?account={TRUSTED}
  console password: {password}

~/.aws/credentials:
[alice]
aws_access_key_id = {key.access_key_id}
aws_secret_access_key = {key.secret.reveal()}

~/.aws/config:
[profile alice]
region = us-east-1
[profile x-account]
role_arn = {role_arn}
source_profile = alice
region = us-east-1

Then try:
export AWS_ENDPOINT_URL={endpoint(host, port)}
aws sts get-caller-identity --profile x-account
aws s3 ls s3://{BUCKET} --profile x-account
aws s3 cp s3://{BUCKET}/hello.txt - --profile x-account
aws s3 cp ./README.md s3://{BUCKET}/ --profile x-account     # AccessDenied: the role only reads

Who can read the object, and why (with serve's --data or --database-url, if it has one):
iamsandbox explore-access --resource arn:aws:s3:::{BUCKET}/hello.txt
"""

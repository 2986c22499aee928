"""``iamsandbox explore-access``: who can reach a resource, and why (``authz.explorer``),
for every account of the store (or those named), read directly from the store as
``iamsandbox account`` does (a server may be running on it).

The console's Access explorer answers the same question for the signed-in account's own
principals; this command, run by whoever holds the store, answers across accounts: the
question "who can reach this role" of a cross-account setup.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import UTC, datetime
from typing import Any

from .config import StoreConfig, add_store_arguments

_ACCOUNT_ID = re.compile(r"^[0-9]{12}$")
_ACTION = re.compile(r"^[a-zA-Z0-9-]+:[a-zA-Z0-9*?]+$")


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "explore-access",
        help="who can reach a resource (a role, a bucket, an object), and why",
        description=(
            "Puts every principal (root users, IAM users, role sessions; for S3 also anyone) of the "
            "store's accounts through the decision a request of its would get, and prints who is "
            "allowed, through which roles, under which conditions, and why the others are not."
        ),
    )
    parser.add_argument("--resource", required=True, metavar="ARN", help="the resource's ARN")
    parser.add_argument(
        "--action",
        metavar="ACTION",
        help="the action asked about (default: sts:AssumeRole for a role, s3:GetObject for an object, "
        "s3:ListBucket for a bucket)",
    )
    parser.add_argument(
        "--account", action="append", metavar="ID", help="examine this account's principals (default: every account)"
    )
    parser.add_argument("--all", action="store_true", help="also list the principals that are denied, with why")
    parser.add_argument("--json", action="store_true", help="print a JSON object")
    add_store_arguments(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ..authz.authorize import Authorizer
    from ..authz.explorer import DENIED_VERDICT, ExplorerError, as_json, default_action, explore
    from ..authz.gather import PolicySource
    from ..services.iam.managed_policies import ManagedPolicies

    action = args.action or default_action(args.resource)
    if action is None:
        print("iamsandbox explore-access: give --action for this resource", file=sys.stderr)
        return 2
    if not _ACTION.match(action):
        print(f"iamsandbox explore-access: --action must be service:Action, not {action!r}", file=sys.stderr)
        return 2
    for account in args.account or ():
        if not _ACCOUNT_ID.match(account):
            print(f"iamsandbox explore-access: --account must be 12 digits, not {account!r}", file=sys.stderr)
            return 2
    store = StoreConfig.from_args(args).open()
    try:
        authorizer = Authorizer(PolicySource(ManagedPolicies()))
        with store.read() as tx:
            known = [account.account_id for account in tx.list_accounts()]
            unknown = [account for account in args.account or () if account not in known]
            if unknown:
                print(f"iamsandbox explore-access: no account {unknown[0]} in this store", file=sys.stderr)
                return 1
            try:
                answer = explore(tx, authorizer, args.resource, action, args.account or known, datetime.now(UTC))
            except ExplorerError as error:
                print(f"iamsandbox explore-access: {error}", file=sys.stderr)
                return 1
    finally:
        store.close()
    found = answer.reaches
    shown = found if args.all else [reach for reach in found if reach.verdict != DENIED_VERDICT]
    if args.json:
        out = {
            "Resource": args.resource,
            "Action": action,
            "ChainsComplete": answer.chains_complete,
            "Principals": [as_json(reach) for reach in shown],
        }
        print(json.dumps(out, indent=2))
        return 0
    print(_text(args.resource, action, found, shown, answer.chains_complete))
    return 0


def _text(resource: str, action: str, found: list[Any], shown: list[Any], chains_complete: bool) -> str:
    from ..authz.explorer import ALLOWED_VERDICT, CONDITIONAL_VERDICT, DENIED_VERDICT, MAX_PAIRS, statement_text

    lines = [f"Who can do {action} on {resource} ({len(found)} principals examined):"]
    if not chains_complete:
        lines.append(f"(role chains followed for the first {MAX_PAIRS} principal and role pairs only)")
    for verdict in (ALLOWED_VERDICT, CONDITIONAL_VERDICT, DENIED_VERDICT):
        group = [reach for reach in shown if reach.verdict == verdict]
        if not group:
            continue
        lines.append("")
        lines.append(f"{verdict}:")
        for reach in group:
            lines.append(f"  {reach.principal} ({reach.kind})")
            if reach.via:
                lines.append(f"    through {', then '.join(reach.via)}")
            if reach.keys:
                lines.append(f"    depends on: {', '.join(reach.keys)}")
            lines.extend(f"    {statement_text(statement)}" for statement in reach.statements)
            if reach.verdict != ALLOWED_VERDICT or not reach.statements and not reach.via:
                lines.append(f"    {reach.explanation}")
    if not shown:
        lines.append("")
        lines.append("No principal is allowed (--all lists each, with why).")
    return "\n".join(lines)

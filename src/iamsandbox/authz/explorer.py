"""Who can reach a resource, and why: the access explorer (DESIGN.md: security reviewers
"want to ask 'who can reach this role, and why' and get an explained answer").

For a resource (a role, a bucket, an object: any ARN) and an action, each principal of the
accounts examined is put through the decision a request of its would get
(``Authorizer.decide``: its identity-based policies and permissions boundary, the resource's
policy (a role's trust policy for the sts: actions), SCPs and RCPs): each account's root user,
its IAM users, and its roles, each as a session of the role (what a role session may do is
what its role may do, "Switching to an IAM role"; a role's trust policy that names the role
matches its sessions). For S3, the anonymous caller too ("Anyone").

The context is what does not depend on one request: the principal's keys (aws:PrincipalArn,
aws:PrincipalAccount, aws:PrincipalType, aws:userid, aws:username, aws:PrincipalTag/*, the
organization's keys), aws:CurrentTime and aws:EpochTime, the resource's account and tags. What
only a request carries is left out (aws:SourceIp, aws:SecureTransport, aws:RequestedRegion,
aws:UserAgent, aws:referer, a session's aws:MultiFactorAuthPresent and aws:TokenIssueTime,
sts:ExternalId, s3:prefix, ...): a statement that needs such a key is reported with it, as
IAM's policy simulator reports "MissingContextValues" ("Testing IAM policies with the IAM
policy simulator"). A Deny that depends on such a key does not apply here, and an Allow that
depends on one does not allow: the result names the keys, so a reviewer sees "allowed unless"
and "allowed only if".

Not examined: a session's own session policies and session tags (they only narrow it),
federated users, web identity and SAML callers, AWS service principals.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from ..policy import Decision
from ..policy.decision import ALLOWED, IMPLICIT_DENY, MatchedStatement
from ..policy.request import PrincipalKind
from ..services.sts.assume_role import ROOT_REFUSED
from ..store.interface import Transaction
from .authorize import Authorizer, Target
from .context import Caller, global_keys
from .denial import access_denied_message

# The session name the explorer gives each role it examines (it appears in no record).
SESSION_NAME = "access-explorer"
# The global keys a request carries and the explorer has no value for (the module's docstring).
_REQUEST_KEYS = (
    "aws:SourceIp",
    "aws:SecureTransport",
    "aws:RequestedRegion",
    "aws:UserAgent",
    "aws:referer",
    "aws:MultiFactorAuthPresent",
    "aws:TokenIssueTime",
)


_ASSUME = "sts:AssumeRole"
# The longest chain of roles followed, and the most (principal, role) decisions made for one
# question (``_through_roles``).
MAX_CHAIN = 5
MAX_PAIRS = 50_000

# Why the root user of the resource's own account is allowed without a statement: "The root
# user has complete access to all AWS services and resources in the account" ("AWS account
# root user", IAM User Guide).
ROOT_OWNS = "Allowed: the root user has complete access to its own account's resources"

ALLOWED_VERDICT = "Allowed"
CONDITIONAL_VERDICT = "Only with conditions"
DENIED_VERDICT = "Denied"


@dataclass(slots=True)
class Reach:
    """One principal's answer: its verdict, the statements that decided it, and why."""

    principal: str  # the user's or role's ARN, the account's root ARN, or "*" (anyone)
    kind: str  # "Root user", "IAM user", "IAM role", "Anyone"
    account: str | None
    verdict: str  # ALLOWED_VERDICT, CONDITIONAL_VERDICT or DENIED_VERDICT
    decision: Decision
    explanation: str  # in the words of AWS's AccessDenied messages when denied
    # The roles it reaches the resource through (the first it assumes first), when its own
    # policies do not allow the action: the decision is then the first AssumeRole's.
    via: tuple[str, ...] = ()
    via_keys: tuple[str, ...] = ()  # the keys the chain's AssumeRole calls asked for

    @property
    def statements(self) -> tuple[MatchedStatement, ...]:
        return self.decision.matched

    @property
    def keys(self) -> tuple[str, ...]:
        """The context keys the deciding policies asked for and no request is known to carry."""
        return self.via_keys if self.via else self.decision.missing_context_keys


@dataclass(slots=True)
class Examined:
    """A principal as the explorer puts it through a decision."""

    kind: str
    caller: Caller
    identity_id: str | None = None  # the user or role whose identity-based policies apply
    boundary_arn: str | None = None


def principals(tx: Transaction, account_ids: Iterable[str], now: datetime) -> list[Examined]:
    """Each principal of the accounts: the root user, the IAM users, and a session of each
    role."""
    found: list[Examined] = []
    for account in account_ids:
        found.append(Examined("Root user", Caller(f"arn:aws:iam::{account}:root", PrincipalKind.ROOT, account)))
        for user in tx.list_users(account):
            caller = Caller(
                user.arn, PrincipalKind.USER, account, unique_id=user.id, name=user.name, tags=tx.get_tags(user.id)
            )
            found.append(Examined("IAM user", caller, user.id, user.permissions_boundary))
        for role in tx.list_roles(account):
            caller = Caller(
                f"arn:aws:sts::{account}:assumed-role/{role.name}/{SESSION_NAME}",
                PrincipalKind.ROLE_SESSION,
                account,
                unique_id=role.id,
                name=SESSION_NAME,
                role_arn=role.arn,
                tags=tx.get_tags(role.id),
                temporary=True,
                token_issued=now,
            )
            found.append(Examined("IAM role", caller, role.id, role.permissions_boundary))
    return found


def explore(
    tx: Transaction,
    authorizer: Authorizer,
    resource_arn: str,
    action: str,
    account_ids: Iterable[str],
    now: datetime,
    *,
    anyone: bool | None = None,
) -> list[Reach]:
    """Each principal of ``account_ids`` doing ``action`` on ``resource_arn`` (the module's
    docstring); ``anyone``: also the anonymous caller (by default for S3 resources)."""
    resource_account = _account_of(resource_arn)
    target = authorizer.target_of(tx, resource_arn, resource_account or "", action)
    if anyone is None:
        anyone = resource_arn.startswith("arn:aws:s3:::")
    examined = principals(tx, account_ids, now)
    if anyone:
        examined.append(Examined("Anyone", Caller("*", PrincipalKind.ANONYMOUS, None)))
    out = []
    for principal in examined:
        kind, caller = principal.kind, principal.caller
        if caller.kind is PrincipalKind.ROOT and action == _ASSUME:
            # "You cannot use AWS account root user credentials to call AssumeRole" (AssumeRole,
            # STS API Reference): STS refuses before any policy is read.
            refused = Decision(IMPLICIT_DENY, action)
            out.append(Reach(caller.arn, kind, caller.account, DENIED_VERDICT, refused, ROOT_REFUSED))
            continue
        decision, possible = _decide(tx, authorizer, principal, action, target, now)
        out.append(_reach(kind, caller, decision, possible, target))
    _through_roles(tx, authorizer, examined, out, now)
    return out


def _through_roles(
    tx: Transaction, authorizer: Authorizer, examined: list[Examined], found: list[Reach], now: datetime
) -> None:
    """Give each principal that its own policies do not let reach the resource the chain of
    roles it can reach it through, if any: a user (or a role's session) allowed sts:AssumeRole
    on a role that reaches it, and so on ("Role chaining", IAM User Guide: "you use a role to
    assume a second role"), at most ``MAX_CHAIN`` roles long. Each (principal, role) pair is
    decided once; ``MAX_PAIRS`` decisions at most (the result then says so)."""
    by_arn = {reach.principal: reach for reach in found}
    # The roles that reach the resource: the chain from each, the keys it asks for, and
    # whether it reaches only with conditions.
    reaching: dict[str, tuple[tuple[str, ...], tuple[str, ...], bool]] = {
        reach.principal: ((), reach.keys, reach.verdict == CONDITIONAL_VERDICT)
        for reach in found
        if reach.kind == "IAM role" and reach.verdict != DENIED_VERDICT
    }
    assumers = [p for p in examined if p.caller.kind in (PrincipalKind.USER, PrincipalKind.ROLE_SESSION)]
    frontier = list(reaching)
    pairs = 0
    for _depth in range(MAX_CHAIN):
        if not frontier:
            break
        following: list[str] = []
        for role_arn in frontier:
            chain, chain_keys, chain_conditional = reaching[role_arn]
            target = authorizer.target_of(tx, role_arn, _account_of(role_arn) or "", _ASSUME)
            for principal in assumers:
                arn = _principal_arn(principal.caller)
                reach = by_arn[arn]
                if arn == role_arn or reach.verdict == ALLOWED_VERDICT or reach.via:
                    continue
                if pairs >= MAX_PAIRS:
                    raise ExplorerLimit(MAX_PAIRS)
                pairs += 1
                decision, possible = _decide(tx, authorizer, principal, _ASSUME, target, now)
                if not decision.allowed and not possible:
                    continue
                conditional = chain_conditional or not decision.allowed
                if reach.verdict == CONDITIONAL_VERDICT and conditional:
                    continue  # already conditional on its own: a conditional chain adds no answer
                keys = tuple(dict.fromkeys((*decision.missing_context_keys, *chain_keys)))
                reach.via = (role_arn, *chain)
                reach.via_keys = keys
                reach.verdict = CONDITIONAL_VERDICT if conditional else ALLOWED_VERDICT
                reach.decision = decision
                reach.explanation = "Allowed through " + " then ".join(reach.via)
                if principal.caller.kind is PrincipalKind.ROLE_SESSION and arn not in reaching:
                    reaching[arn] = (reach.via, keys, conditional)
                    following.append(arn)
        frontier = following


class ExplorerLimit(Exception):
    """More (principal, role) pairs than the explorer decides for one question."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"more than {limit} principal and role pairs to decide: ask about fewer accounts")
        self.limit = limit


def _principal_arn(caller: Caller) -> str:
    return caller.role_arn if caller.kind is PrincipalKind.ROLE_SESSION and caller.role_arn else caller.arn


def _decide(
    tx: Transaction, authorizer: Authorizer, principal: Examined, action: str, target: Target, now: datetime
) -> tuple[Decision, bool]:
    """The principal's decision with the keys it lacks, and whether values of those keys could
    allow it (an implicit deny that an optimistic evaluation allows: "allowed only if")."""
    caller = principal.caller
    context = _context(caller, target, now)
    identity, boundary = principal.identity_id, principal.boundary_arn
    decision = authorizer.decide(
        tx, caller, action, target, context, identity_id=identity, boundary_arn=boundary, with_missing=True
    )
    if decision.allowed or not decision.missing_context_keys:
        return decision, False
    hoped = authorizer.decide(
        tx, caller, action, target, context, identity_id=identity, boundary_arn=boundary, optimistic=True
    )
    return decision, hoped.allowed


def _context(caller: Caller, target: Target, now: datetime) -> dict[str, str | list[str]]:
    keys = global_keys(
        caller,
        now=now,
        source_ip="",
        secure=False,
        region="",
        resource_account=target.account,
        resource_tags=target.tags,
        resource_arn=target.arn,
    )
    for key in _REQUEST_KEYS:
        keys.pop(key, None)
    return keys


def _reach(kind: str, caller: Caller, decision: Decision, possible: bool, target: Target) -> Reach:
    principal = _principal_arn(caller)
    if decision.value == ALLOWED:
        verdict, explanation = ALLOWED_VERDICT, "Allowed"
        if caller.kind is PrincipalKind.ROOT and not decision.matched:
            explanation = ROOT_OWNS
    else:
        verdict = CONDITIONAL_VERDICT if possible else DENIED_VERDICT
        shown = caller.arn if caller.kind is not PrincipalKind.ANONYMOUS else "anonymous"
        explanation = access_denied_message(
            shown,
            target.shown or target.arn,
            decision,
            quote_resource=decision.action.startswith("s3:"),
            name_policy=caller.account == target.account,
        )
    return Reach(principal or "*", kind, caller.account, verdict, decision, explanation)


def _account_of(arn: str) -> str | None:
    parts = arn.split(":", 5)
    if len(parts) == 6 and parts[4].isdigit():
        return parts[4]
    return None


def default_action(resource_arn: str) -> str | None:
    """The question usually asked of a resource: who can assume a role, read an object, list
    a bucket; None when the resource has no such usual action."""
    if ":role/" in resource_arn and resource_arn.startswith("arn:aws:iam::"):
        return _ASSUME
    if resource_arn.startswith("arn:aws:s3:::"):
        return "s3:GetObject" if "/" in resource_arn else "s3:ListBucket"
    return None


def statement_text(statement: MatchedStatement) -> str:
    """``identity-based policy arn:...:policy/x, statement 2 "AllowRead"``: the statement's
    position counted from 1, as IAM's console counts them."""
    sid = f' "{statement.sid}"' if statement.sid else ""
    where = f"{statement.policy_type.value} {statement.policy_id}"
    return f"{statement.effect} in {where}, statement {statement.index + 1}{sid}"


def as_json(reach: Reach) -> dict[str, object]:
    """One principal's answer as ``iamsandbox explore-access --json`` prints it."""
    return {
        "Principal": reach.principal,
        "Type": reach.kind,
        "Account": reach.account,
        "Access": reach.verdict,
        "Via": list(reach.via),
        "ContextKeys": list(reach.keys),
        "Statements": [
            {
                "PolicyType": statement.policy_type.value,
                "PolicyId": statement.policy_id,
                "Statement": statement.index + 1,
                "Sid": statement.sid,
                "Effect": statement.effect,
            }
            for statement in reach.statements
        ],
        "Explanation": reach.explanation,
    }


def named_elsewhere(policy: str | None, account: str) -> list[str]:
    """The principals of other accounts (and "*", anyone) that the Allow statements of a
    resource's policy name: whom the console's explorer, which examines one account's
    principals, cannot answer for ("Cross-account policy evaluation logic": their own
    account's identity-based policies decide too). Account IDs as their root ARN."""
    if not policy:
        return []
    try:
        document = json.loads(policy)
    except ValueError:
        return []
    statements = document.get("Statement", []) if isinstance(document, dict) else []
    if isinstance(statements, dict):
        statements = [statements]
    found: list[str] = []
    for statement in statements:
        if not isinstance(statement, dict) or statement.get("Effect") != "Allow":
            continue
        principal = statement.get("Principal")
        values = [principal] if principal == "*" else _aws_values(principal)
        for value in values:
            named = "*" if value == "*" else f"arn:aws:iam::{value}:root" if value.isdigit() else value
            if named != "*" and _account_of(named) == account:
                continue
            if named not in found:
                found.append(named)
    return found


def _aws_values(principal: object) -> list[str]:
    if not isinstance(principal, dict):
        return []
    values = principal.get("AWS", [])
    if isinstance(values, str):
        values = [values]
    return [value for value in values if isinstance(value, str)] if isinstance(values, list) else []

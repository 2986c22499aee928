"""Who can reach a resource, and why: the access explorer (DESIGN.md: security reviewers
"want to ask 'who can reach this role, and why' and get an explained answer").

For a resource (a role, a bucket, an object: any ARN) and an action, each principal of the
accounts examined is put through the decision a request of its would get
(``Authorizer.decide``: its identity-based policies and permissions boundary, the resource's
policy (a role's trust policy for the sts: actions), SCPs and RCPs): each account's root user,
its IAM users, and its roles, each as a session of the role (what a role session may do is
what its role may do, "Switching to an IAM role"; a role's trust policy that names the role
matches its sessions). For S3, the anonymous caller too ("Anyone"). Role chains are followed
("Role chaining", IAM User Guide): a principal that may assume a role that reaches the
resource reaches it through that role.

The context is what does not depend on one request: the principal's keys (aws:PrincipalArn,
aws:PrincipalAccount, aws:PrincipalType, aws:userid, aws:username, a user's
aws:PrincipalTag/*, the organization's keys), aws:CurrentTime and aws:EpochTime, the
resource's account and tags; a key of those that the context lacks is absent for every
request (a user without that tag, an account in no organization). Every other key is one
only a request (or a session) carries, and unknown here: aws:SourceIp, aws:SecureTransport,
aws:MultiFactorAuthPresent, a role session's aws:PrincipalTag/* (session tags),
sts:ExternalId, s3:prefix, ... A statement that needs an unknown key is reported with it, as
IAM's policy simulator reports "MissingContextValues" ("Testing IAM policies with the IAM
policy simulator"); a principal denied here that some values of the unknown keys would allow
(an evaluation that takes an Allow's condition on one as met and a Deny's as unmet,
``policy.evaluate``'s ``unknown``) is "only with conditions".

Not examined: a session's own session policies and session tags beyond aws:PrincipalTag
(they only narrow it), the session name (the explorer's own, ``SESSION_NAME``: a policy on
aws:userid or on one session's ARN is not matched), federated users, web identity and SAML
callers, AWS service principals.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from ..policy import Decision
from ..policy.decision import ALLOWED, IMPLICIT_DENY, MatchedStatement
from ..policy.request import PrincipalKind
from ..server.identity import ANONYMOUS, Identity, root_identity, user_identity
from ..services.sts.assume_role import ROOT_REFUSED
from ..store.interface import Transaction
from .authorize import Authorizer, Target, account_of
from .context import Caller, global_keys
from .denial import access_denied_message

# The session name the explorer gives each role it examines (it appears in no record).
SESSION_NAME = "access-explorer"
# The global keys ``global_keys`` sets from a request, which the explorer has no value for.
_REQUEST_KEYS = (
    "aws:SourceIp",
    "aws:SecureTransport",
    "aws:RequestedRegion",
    "aws:UserAgent",
    "aws:referer",
    "aws:MultiFactorAuthPresent",
    "aws:TokenIssueTime",
)
# The keys (lower-cased) the principal and the resource decide: absent from the explorer's
# context means absent from every request.
_KNOWN_KEYS = frozenset(
    {
        "aws:principalarn",
        "aws:principalaccount",
        "aws:principaltype",
        "aws:principalisawsservice",
        "aws:principalorgid",
        "aws:principalorgpaths",
        "aws:userid",
        "aws:username",
        "aws:resourceaccount",
        "aws:resourceorgid",
        "aws:resourceorgpaths",
        "aws:currenttime",
        "aws:epochtime",
        "aws:viaawsservice",
    }
)
_KNOWN_PREFIXES = ("aws:resourcetag/", "iam:resourcetag/")

_ASSUME = "sts:AssumeRole"
# The longest chain of roles followed, and the most (principal, role) decisions made for one
# question (``_through_roles``); past it, the answer says its chains are incomplete.
MAX_CHAIN = 5
MAX_PAIRS = 50_000

# Why the root user of the resource's own account is allowed without a statement: "The root
# user has complete access to all AWS services and resources in the account" ("AWS account
# root user", IAM User Guide).
ROOT_OWNS = "Allowed: the root user has complete access to its own account's resources"

ALLOWED_VERDICT = "Allowed"
CONDITIONAL_VERDICT = "Only with conditions"
DENIED_VERDICT = "Denied"
_RANK = {DENIED_VERDICT: 0, CONDITIONAL_VERDICT: 1, ALLOWED_VERDICT: 2}


class ExplorerError(Exception):
    """A question the explorer cannot answer (the message says why)."""


@dataclass(slots=True)
class Reach:
    """One principal's answer: its verdict, the statements that decided it, and why."""

    principal: str  # the user's or role's ARN, the account's root ARN, or "*" (anyone)
    kind: str  # "Root user", "IAM user", "IAM role", "Anyone"
    account: str | None
    verdict: str  # ALLOWED_VERDICT, CONDITIONAL_VERDICT or DENIED_VERDICT
    decision: Decision
    explanation: str  # in the words of AWS's AccessDenied messages when denied
    # The unknown context keys the deciding policies asked for (the module's docstring).
    keys: tuple[str, ...] = ()
    # The roles it reaches the resource through (the first it assumes first), when its own
    # policies do not allow the action: the decision is then the first AssumeRole's.
    via: tuple[str, ...] = ()

    @property
    def statements(self) -> tuple[MatchedStatement, ...]:
        return self.decision.matched


@dataclass(slots=True)
class Exploration:
    """The answer to one question: each principal's ``Reach``, and whether every role chain
    was followed (False: ``MAX_PAIRS`` decisions were made first)."""

    resource: str
    action: str
    target: Target  # the resource as a request's check sees it (its policy, account, tags)
    reaches: list[Reach] = field(default_factory=list)
    chains_complete: bool = True


@dataclass(slots=True)
class Examined:
    """A principal as the explorer puts it through a decision: its kind and the identity a
    request of its would have (``server.identity``)."""

    kind: str
    identity: Identity

    @property
    def caller(self) -> Caller:
        return self.identity.caller

    @property
    def identity_id(self) -> str | None:
        return self.identity.identity_id  # the user or role whose identity-based policies apply

    @property
    def boundary_arn(self) -> str | None:
        return self.identity.boundary_arn


def principals(tx: Transaction, account_ids: Iterable[str], now: datetime) -> list[Examined]:
    """Each principal of the accounts: the root user, the IAM users (with long-term keys),
    and a session of each role."""
    found: list[Examined] = []
    for account in account_ids:
        found.append(Examined("Root user", root_identity(account)))
        found.extend(Examined("IAM user", user_identity(tx, user)) for user in tx.list_users(account))
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
            found.append(Examined("IAM role", Identity(caller, role.id, role.permissions_boundary)))
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
) -> Exploration:
    """Each principal of ``account_ids`` doing ``action`` on ``resource_arn`` (the module's
    docstring); ``anyone``: also the anonymous caller (by default for S3 resources). Raises
    ExplorerError for a role or a bucket that does not exist (a request would be refused
    before any policy: NoSuchEntity, NoSuchBucket)."""
    target = _target(tx, authorizer, resource_arn, action)
    if anyone is None:
        anyone = resource_arn.startswith("arn:aws:s3:::")
    examined = principals(tx, account_ids, now)
    if anyone:
        examined.append(Examined("Anyone", ANONYMOUS))
    out = Exploration(resource_arn, action, target)
    for principal in examined:
        kind, caller = principal.kind, principal.caller
        if caller.kind is PrincipalKind.ROOT and action == _ASSUME:
            # "You cannot use AWS account root user credentials to call AssumeRole" (AssumeRole,
            # STS API Reference): STS refuses before any policy is read.
            refused = Decision(IMPLICIT_DENY, action)
            out.reaches.append(Reach(caller.arn, kind, caller.account, DENIED_VERDICT, refused, ROOT_REFUSED))
            continue
        verdict, decision, keys = _decide(tx, authorizer, principal, action, target, now)
        out.reaches.append(_reach(kind, caller, verdict, decision, keys, target))
    out.chains_complete = _through_roles(tx, authorizer, examined, out.reaches, now)
    return out


def _target(tx: Transaction, authorizer: Authorizer, resource_arn: str, action: str) -> Target:
    """The resource as a request's check sees it; a role (for the sts: actions) or a bucket
    that does not exist is ExplorerError."""
    if resource_arn.startswith("arn:aws:s3:::"):
        bucket = resource_arn[len("arn:aws:s3:::") :].split("/", 1)[0]
        if tx.get_bucket(bucket) is None:
            raise ExplorerError(f"no bucket {bucket!r} here (a request would be NoSuchBucket)")
        return authorizer.target_of(tx, resource_arn, "", action)
    account = account_of(resource_arn) or ""
    if action.startswith("sts:") and ":role/" in resource_arn and tx.get_role_by_arn(resource_arn) is None:
        raise ExplorerError(f"no role {resource_arn} here (AssumeRole of it is refused before any policy)")
    return authorizer.target_of(tx, resource_arn, account, action)


def _through_roles(
    tx: Transaction, authorizer: Authorizer, examined: list[Examined], found: list[Reach], now: datetime
) -> bool:
    """Give each principal that its own policies do not let reach the resource (or only with
    conditions) the best chain of roles it can reach it through: a user (or a role's session)
    that may assume a role that reaches it, and so on ("Role chaining", IAM User Guide: "you
    use a role to assume a second role"), at most ``MAX_CHAIN`` roles long. A chain is as good
    as its weakest hop: conditional if any AssumeRole of it, or the last role's own access, is.
    Each (principal, role) pair is decided once, ``MAX_PAIRS`` at most; False when that ended
    the search."""
    by_arn = {reach.principal: reach for reach in found}
    # The roles that reach the resource: their chain and whether they reach it only with
    # conditions; a role whose standing improves is followed again.
    reaching = {r.principal: r for r in found if r.kind == "IAM role" and r.verdict != DENIED_VERDICT}
    assumers = [p for p in examined if p.caller.kind in (PrincipalKind.USER, PrincipalKind.ROLE_SESSION)]
    hops: dict[tuple[str, str], tuple[str, Decision, tuple[str, ...]]] = {}
    targets: dict[str, Target] = {}
    pairs = 0
    frontier = list(reaching)
    for _depth in range(MAX_CHAIN):
        if not frontier:
            break
        improved: list[str] = []
        for role_arn in frontier:
            role = reaching[role_arn]
            if len(role.via) >= MAX_CHAIN:
                continue
            if role_arn not in targets:
                targets[role_arn] = authorizer.target_of(tx, role_arn, account_of(role_arn) or "", _ASSUME)
            for principal in assumers:
                arn = _principal_arn(principal.caller)
                reach = by_arn[arn]
                if arn == role_arn or reach.verdict == ALLOWED_VERDICT or arn in role.via:
                    continue
                hop = hops.get((arn, role_arn))
                if hop is None:
                    if pairs >= MAX_PAIRS:
                        return False
                    pairs += 1
                    hop = hops[(arn, role_arn)] = _decide(tx, authorizer, principal, _ASSUME, targets[role_arn], now)
                hop_verdict, decision, hop_keys = hop
                verdict = min(hop_verdict, role.verdict, key=_RANK.__getitem__)
                if _RANK[verdict] <= _RANK[reach.verdict]:
                    continue
                reach.verdict = verdict
                reach.via = (role_arn, *role.via)
                reach.keys = tuple(dict.fromkeys((*hop_keys, *role.keys)))
                reach.decision = decision
                reach.explanation = "Through " + ", then ".join(reach.via)
                if principal.caller.kind is PrincipalKind.ROLE_SESSION:
                    reaching[arn] = reach
                    improved.append(arn)
        frontier = improved
    return True


def _principal_arn(caller: Caller) -> str:
    return caller.role_arn if caller.kind is PrincipalKind.ROLE_SESSION and caller.role_arn else caller.arn


def _unknown_keys(caller: Caller) -> Callable[[str], bool]:
    """Whether a key (lower-cased) absent from the explorer's context is unknown, rather than
    absent from every request (the module's docstring). A user's tags are its own; a role
    session's aws:PrincipalTag can come from session tags ("Pass session tags in AWS STS")."""
    session = caller.kind is PrincipalKind.ROLE_SESSION

    def unknown(key: str) -> bool:
        if key in _KNOWN_KEYS or key.startswith(_KNOWN_PREFIXES):
            return False
        return session or not key.startswith("aws:principaltag/")

    return unknown


def _decide(
    tx: Transaction, authorizer: Authorizer, principal: Examined, action: str, target: Target, now: datetime
) -> tuple[str, Decision, tuple[str, ...]]:
    """The principal's verdict, its decision (with the keys it lacks), and the unknown keys the
    deciding policies asked for. Denied here but allowed when the unknown keys' conditions
    are taken at their best: only with conditions."""
    caller = principal.caller
    context = _context(caller, target, now)
    identity, boundary = principal.identity_id, principal.boundary_arn
    unknown = _unknown_keys(caller)
    decision = authorizer.decide(
        tx, caller, action, target, context, identity_id=identity, boundary_arn=boundary, with_missing=True
    )
    if decision.allowed:
        keys = tuple(k for k in decision.missing_context_keys if unknown(k.lower()))
        return ALLOWED_VERDICT, decision, keys
    hoped = authorizer.decide(
        tx, caller, action, target, context, identity_id=identity, boundary_arn=boundary, unknown=unknown
    )
    if not hoped.allowed:
        return DENIED_VERDICT, decision, ()
    keys = tuple(dict.fromkeys(k for k in hoped.missing_context_keys if unknown(k.lower())))
    return CONDITIONAL_VERDICT, decision, keys


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


def _reach(kind: str, caller: Caller, verdict: str, decision: Decision, keys: tuple[str, ...], target: Target) -> Reach:
    if decision.value == ALLOWED:
        explanation = "Allowed"
        if caller.kind is PrincipalKind.ROOT and not decision.matched:
            explanation = ROOT_OWNS
    else:
        shown = caller.arn if caller.kind is not PrincipalKind.ANONYMOUS else "anonymous"
        explanation = access_denied_message(
            shown,
            target.shown or target.arn,
            decision,
            quote_resource=decision.action.startswith("s3:"),
            name_policy=caller.account == target.account,
        )
    return Reach(_principal_arn(caller) or "*", kind, caller.account, verdict, decision, explanation, keys)


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
    """Whom the Allow statements of a resource's policy name and an explorer of ``account``'s
    principals does not examine: principals of other accounts (their own account's
    identity-based policies decide too: "Cross-account policy evaluation logic"), anyone
    ("*"), and federated and service principals ("Federated: <provider>", "Service: <name>").
    Account IDs as their root ARN."""
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
        named: list[str] = ["*"] if principal == "*" else []
        for value in _values(principal, "AWS"):
            arn = f"arn:aws:iam::{value}:root" if value.isdigit() else value
            if value == "*" or account_of(arn) != account:
                named.append(arn)
        named.extend(f"Federated: {value}" for value in _values(principal, "Federated"))
        named.extend(f"Service: {value}" for value in _values(principal, "Service"))
        for name in named:
            if name not in found:
                found.append(name)
    return found


def _values(principal: object, kind: str) -> list[str]:
    if not isinstance(principal, dict):
        return []
    values = principal.get(kind, [])
    if isinstance(values, str):
        values = [values]
    return [value for value in values if isinstance(value, str)] if isinstance(values, list) else []

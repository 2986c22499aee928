"""A deliberately simple reference model of AWS's policy evaluation, for differential tests.

Written from AWS's documentation, not from the engine (it imports nothing from
``iamsandbox.policy``): it reads policies as plain JSON values (dicts), matches with its
own tiny glob, supports only the condition operators the strategies generate, and has no
index, cache or compilation. It is slow on purpose; hypothesis compares it with the
engine (tests/policy/test_properties.py).

Sources, and which step each gives:

- "Policy evaluation logic" and its flowchart, "How AWS enforcement code logic evaluates
  requests to allow or deny access"
  (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html):
  deny evaluation over every applicable policy first, then RCPs, SCPs, resource-based
  policies, identity-based policies, permissions boundaries, session policies; "all
  requests are implicitly denied with the exception of the AWS account root user, which
  has full access".
- "Policy evaluation for requests within a single account"
  (reference_policies_evaluation-logic_policy-eval-basics.html) and
  "Permissions boundaries for IAM entities" (access_policies_boundaries.html, section
  "Resource-based policies"): within one account, a resource-based policy naming the IAM
  user ARN or the role session ARN grants on its own, not limited by an implicit deny in
  the identity policies, the boundary or the session policy; one naming the role ARN is
  limited by the boundary and the session policy.
- "Session policies" (access_policies.html#policies_session): session policies never
  grant on their own, and an implicit deny in them does not limit a resource-based policy
  that names the session ARN.
- "Cross-account policy evaluation logic" (reference_policies_evaluation-logic-cross-account.html):
  the request must be allowed by the identity side in the principal's account and by the
  resource-based policy in the resource's account.
- "IAM role trust policies and KMS key policies are exceptions ... they must explicitly
  allow access for principals" (policy-eval-basics page): ``resource_required``.
- "AWS JSON policy elements: NotPrincipal" (reference_policies_elements_notprincipal.html):
  NotPrincipal goes with Deny; "AWS might validate the account first, then the role, and
  then the assumed-role user", and the example "all principals *except* the user named Bob
  in AWS account 444455556666 are explicitly denied" whose NotPrincipal lists Bob and the
  account; "The NotPrincipal element with a Deny effect will always deny any IAM principal
  that has a permissions boundary policy attached, regardless of the values specified".
- "IAM JSON policy elements: Condition operators" and "Single-valued vs. multivalued
  context keys" for the operators below.
- AccessDenied reasons: "Troubleshoot access denied error messages"
  (troubleshoot_access-denied.html): "with an explicit deny in a service control policy",
  "because no identity-based policy allows the s3:GetObject action", ...

Where the documentation leaves the reason open (several policy types deny explicitly; a
cross-account request fails on both sides), the model returns every reason the docs
allow, and the property accepts any of them.

Supported conditions: StringEquals, StringLike, Bool, NumericLessThan, IpAddress, each
optionally with ``IfExists`` and ``ForAnyValue:`` / ``ForAllValues:``. No policy
variables. Principals: IAM users, role sessions, account roots, services, anonymous.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

ALLOWED = "allowed"
EXPLICIT_DENY = "explicitDeny"
IMPLICIT_DENY = "implicitDeny"

# AWS's words for each kind of policy in AccessDenied messages.
SCP = "service control policy"
RCP = "resource control policy"
RESOURCE = "resource-based policy"
IDENTITY = "identity-based policy"
BOUNDARY = "permissions boundary"
SESSION = "session policy"

# How specifically a resource-based policy's Principal names the caller.
ACCOUNT, EVERYONE, ROLE, DIRECT = "account", "everyone", "role", "direct"


@dataclass(frozen=True)
class Caller:
    kind: str  # "user", "role_session", "root", "service", "anonymous"
    arn: str  # a service's name for a service, "*" for anonymous
    account: str | None = None
    role_arn: str | None = None  # for a role session: its role, with the role's path


@dataclass(frozen=True)
class Req:
    caller: Caller
    action: str
    resource: str
    resource_account: str | None  # None: the caller's own account
    # A single-valued key maps to a string, a multivalued key to a list of strings.
    context: Mapping[str, str | Sequence[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Policies:
    """The applicable policies, as JSON values; None means "does not apply"."""

    identity: Sequence[Any] | None = None
    resource: Any | None = None
    boundary: Sequence[Any] | None = None
    session: Sequence[Any] | None = None
    scps: Sequence[Sequence[Any]] | None = None  # one list of policies per level
    rcps: Sequence[Sequence[Any]] | None = None
    resource_required: bool = False


@dataclass(frozen=True)
class Outcome:
    decision: str
    reasons: frozenset[str]  # the reasons the docs allow; {""} when allowed

    def accepts(self, decision: str, reason: str) -> bool:
        return decision == self.decision and reason in self.reasons


def _article(kind: str) -> str:
    return ("an " if kind[0] in "aeiou" else "a ") + kind


# --- matching -------------------------------------------------------------------------


def glob(pattern: str, value: str) -> bool:
    """``*`` any run of characters, ``?`` any one; everything else literal."""
    memo: dict[tuple[int, int], bool] = {}

    def at(p: int, v: int) -> bool:
        key = (p, v)
        if key not in memo:
            if p == len(pattern):
                result = v == len(value)
            elif pattern[p] == "*":
                result = at(p + 1, v) or (v < len(value) and at(p, v + 1))
            elif v < len(value) and (pattern[p] == "?" or pattern[p] == value[v]):
                result = at(p + 1, v + 1)
            else:
                result = False
            memo[key] = result
        return memo[key]

    return at(0, 0)


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def action_matches(pattern: str, action: str) -> bool:
    # "IAM JSON policy elements: Action": action names are case-insensitive.
    return glob(pattern.lower(), action.lower())


def resource_matches(pattern: str, resource: str) -> bool:
    # "IAM JSON policy elements: Resource": "each of the six colon-delimited components
    # of the ARN is checked separately"; the sixth (the resource) may contain colons.
    if pattern == "*":
        return True
    wanted = pattern.split(":", 5)
    actual = resource.split(":", 5)
    return len(wanted) == len(actual) == 6 and all(glob(w, a) for w, a in zip(wanted, actual, strict=True))


_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def _decimal(text: str) -> Decimal | None:
    # "Numeric condition operators ... comparing a key to an integer or decimal value."
    return Decimal(text) if _NUMBER.fullmatch(text) else None


def _value_matches(base: str, request_value: str, policy_value: str) -> bool:
    if base == "StringEquals":
        return request_value == policy_value
    if base == "StringLike":
        return glob(policy_value, request_value)
    if base == "Bool":
        return request_value.lower() == policy_value.lower()
    if base == "NumericLessThan":
        left, right = _decimal(request_value), _decimal(policy_value)
        return left is not None and right is not None and left < right
    if base == "IpAddress":
        try:
            address = ipaddress.ip_address(request_value)
            network = ipaddress.ip_network(policy_value, strict=False)
        except ValueError:
            return False
        return address.version == network.version and address in network
    raise ValueError(f"the model does not support {base}")


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def condition_holds(operator: str, key: str, values: Any, context: Mapping[str, str | Sequence[str]]) -> bool:
    qualifier, _, base = operator.rpartition(":")
    if_exists = base.endswith("IfExists")
    base = base.removesuffix("IfExists")
    policy_values = [_text(v) for v in _listed(values)]
    # Context key names are case-insensitive ("IAM JSON policy elements: Condition").
    found = next((v for k, v in context.items() if k.lower() == key.lower()), None)
    request_values = [found] if isinstance(found, str) else list(found or ())
    if not request_values:
        # Missing key: false; "...IfExists": true; "ForAllValues" "returns true if there
        # are no context keys in the request"; "ForAnyValue" returns false.
        return if_exists or qualifier == "ForAllValues"
    if not qualifier and not isinstance(found, str):
        # A multivalued key (given as a list) needs a set operator: "Single-valued vs.
        # multivalued context keys" (reference_policies_condition-single-vs-multi-valued-context-keys.html)
        # tells to use ForAllValues/ForAnyValue with multivalued keys; without one the
        # condition does not match.
        return False
    hits = [any(_value_matches(base, v, p) for p in policy_values) for v in request_values]
    return all(hits) if qualifier == "ForAllValues" else any(hits)


def _conditions_hold(statement: Mapping[str, Any], context: Mapping[str, str | Sequence[str]]) -> bool:
    # Several operators and keys are ANDed, values of one key ORed.
    return all(
        condition_holds(operator, key, values, context)
        for operator, block in statement.get("Condition", {}).items()
        for key, values in block.items()
    )


def _names(caller: Caller) -> list[tuple[str, set[str]]]:
    """The caller's identities as Principal values name them, least specific first
    (the order in which NotPrincipal's page says AWS validates them)."""
    if caller.kind == "anonymous":
        return []
    if caller.kind == "service":
        return [(DIRECT, {caller.arn})]
    account = {caller.account or "", f"arn:aws:iam::{caller.account}:root"}
    chain = [(ACCOUNT, account)]
    if caller.kind == "role_session":
        chain.append((ROLE, {caller.role_arn or ""}))
    if caller.kind != "root":
        chain.append((DIRECT, {caller.arn}))
    return chain


def _principal_values(element: Any) -> tuple[bool, set[str], set[str]]:
    """(everyone, AWS values, Service values) of a Principal or NotPrincipal element."""
    if element == "*":
        return True, set(), set()
    aws = set(_listed(element.get("AWS", [])))
    services = set(_listed(element.get("Service", [])))
    return False, aws, services


_RANK = {ACCOUNT: 1, EVERYONE: 2, ROLE: 3, DIRECT: 4}


def principal_grant(element: Any, caller: Caller) -> str | None:
    """How a Principal element names the caller (the most specific way), or None."""
    everyone, aws, services = _principal_values(element)
    named = services if caller.kind == "service" else aws
    best = None
    for grant, names in _names(caller):
        if names & named and (best is None or _RANK[grant] > _RANK[best]):
            best = grant
    if best is None and (everyone or ("*" in aws and caller.kind != "service")):
        best = EVERYONE
    return best


def not_principal_applies(element: Any, caller: Caller, has_boundary: bool, strict: bool = True) -> bool:
    """Whether a Deny statement's NotPrincipal leaves the caller among the denied.

    The NotPrincipal page says AWS "might" validate the account, then the role, then the
    session, and so "might" deny a caller whose account or role is not listed: ``strict``
    takes that reading (every identity must be listed), otherwise only the caller's own
    ARN must be. Either way, listing the account alone does not exclude the account's
    users: "all principals *except* the user named Bob" are denied by a NotPrincipal
    naming Bob and his account."""
    if has_boundary:
        return True  # "will always deny any IAM principal that has a permissions boundary"
    everyone, aws, services = _principal_values(element)
    if everyone or ("*" in aws and caller.kind != "service"):
        return False  # the element names every caller, as the same Principal would
    named = services if caller.kind == "service" else aws
    chain = _names(caller)
    if not strict:
        chain = chain[-1:]
    # Excluded only when every identity AWS validates (account, role, session) is listed.
    return not chain or not all(names & named for _grant, names in chain)


def statements(policy: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return _listed(policy["Statement"])


def statement_applies(statement: Mapping[str, Any], request: Req, has_boundary: bool, strict: bool) -> str | None:
    """None if the statement does not apply; else how it names the caller (DIRECT when
    it has no Principal)."""
    if "Action" in statement:
        if not any(action_matches(p, request.action) for p in _listed(statement["Action"])):
            return None
    elif any(action_matches(p, request.action) for p in _listed(statement["NotAction"])):
        return None
    if "Resource" in statement:
        if not any(resource_matches(p, request.resource) for p in _listed(statement["Resource"])):
            return None
    elif "NotResource" in statement:
        if any(resource_matches(p, request.resource) for p in _listed(statement["NotResource"])):
            return None
    # (A trust policy has no Resource: the resource is the role itself.)
    grant = DIRECT
    if "Principal" in statement:
        named = principal_grant(statement["Principal"], request.caller)
        if named is None:
            return None
        grant = named
    elif "NotPrincipal" in statement:
        if not not_principal_applies(statement["NotPrincipal"], request.caller, has_boundary, strict):
            return None
        grant = EVERYONE
    if not _conditions_hold(statement, request.context):
        return None
    return grant


def _matches(policies: Sequence[Any], request: Req, effect: str, has_boundary: bool, strict: bool) -> list[str]:
    return [
        grant
        for policy in policies
        for statement in statements(policy)
        if statement["Effect"] == effect
        for grant in [statement_applies(statement, request, has_boundary, strict)]
        if grant is not None
    ]


# --- the algorithm --------------------------------------------------------------------


def evaluate(request: Req, policies: Policies, *, strict_not_principal: bool = True) -> Outcome:
    """The decision; ``strict_not_principal`` as in ``not_principal_applies``."""
    caller = request.caller
    strict = strict_not_principal
    has_boundary = policies.boundary is not None and caller.kind in ("user", "role_session")

    def deny(kind: str) -> Outcome:
        return Outcome(IMPLICIT_DENY, frozenset({f"because no {kind} allows the {request.action} action"}))

    allow = Outcome(ALLOWED, frozenset({""}))

    # 1. Deny evaluation: an explicit Deny in any applicable policy decides.
    applicable: list[tuple[str, Sequence[Any]]] = []
    for kind, level_sets in ((SCP, policies.scps), (RCP, policies.rcps)):
        for level in level_sets or ():
            applicable.append((kind, level))
    for kind, group in (
        (IDENTITY, policies.identity),
        (BOUNDARY, policies.boundary),
        (SESSION, policies.session),
        (RESOURCE, None if policies.resource is None else [policies.resource]),
    ):
        if group is not None:
            applicable.append((kind, group))
    denied = {kind for kind, group in applicable if _matches(group, request, "Deny", has_boundary, strict)}
    if denied:
        return Outcome(EXPLICIT_DENY, frozenset(f"with an explicit deny in {_article(k)}" for k in denied))

    def allows(group: Sequence[Any] | None) -> bool:
        return bool(group) and bool(_matches(group or (), request, "Allow", has_boundary, strict))

    # 2. RCPs of the resource's account, then 3. SCPs of the principal's account: every
    # level (root, each OU, the account) must allow.
    if policies.rcps is not None and not all(allows(level) for level in policies.rcps):
        return deny(RCP)
    if policies.scps is not None and not all(allows(level) for level in policies.scps):
        return deny(SCP)

    grants = [] if policies.resource is None else _matches([policies.resource], request, "Allow", has_boundary, strict)
    grant = max(grants, key=_RANK.__getitem__, default=None)

    # Anonymous callers and AWS services have no identity policies: only the
    # resource-based policy can allow them.
    if caller.kind in ("anonymous", "service"):
        return allow if grant is not None else deny(RESOURCE)

    same_account = request.resource_account in (None, caller.account)
    if caller.kind == "root":
        # "with the exception of the AWS account root user, which has full access";
        # across accounts the root is one more principal of its account, whose own side
        # allows, so the resource-based policy decides.
        if same_account:
            return allow
        return allow if grant is not None else deny(RESOURCE)

    identity_allows = allows(policies.identity)
    boundary_allows = policies.boundary is None or allows(policies.boundary)
    session_allows = policies.session is None or allows(policies.session)

    if not same_account:
        failed = set()
        if not identity_allows:
            failed.add(IDENTITY)
        if not boundary_allows:
            failed.add(BOUNDARY)
        if not session_allows:
            failed.add(SESSION)
        if grant is None:
            failed.add(RESOURCE)
        if not failed:
            return allow
        return Outcome(IMPLICIT_DENY, frozenset(next(iter(deny(k).reasons)) for k in failed))

    if policies.resource_required and grant is None:
        return deny(RESOURCE)
    # A Principal of "*" names every caller, so it grants as naming the caller's own ARN.
    if grant in (DIRECT, EVERYONE):
        return allow
    if grant != ROLE and not identity_allows:
        return deny(IDENTITY)
    if not boundary_allows:
        return deny(BOUNDARY)
    if not session_allows:
        return deny(SESSION)
    return allow


def accepts(request: Req, policies: Policies, decision: str, reason: str) -> bool:
    """Whether the documentation allows ``decision`` with ``reason`` (under either reading
    of NotPrincipal's "might")."""
    return any(
        evaluate(request, policies, strict_not_principal=strict).accepts(decision, reason) for strict in (True, False)
    )

"""AWS's policy evaluation logic: a request and its policy sets → a ``Decision``.

Implements, in this order (sources in the docstring of each step below):
"Policy evaluation logic" and its flowchart
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html,
reference_policies_evaluation-logic_policy-eval-denyallow.html),
"Evaluating identity-based and resource-based policies within a single account"
(reference_policies_evaluation-logic_policy-eval-basics.html),
"Cross-account policy evaluation logic" (reference_policies_evaluation-logic-cross-account.html),
"Permissions boundaries for IAM entities" (access_policies_boundaries.html) and
"Session policies" (access_policies.html#policies_session).

1. An explicit Deny in any applicable policy wins. A resource-based Deny with NotPrincipal
   denies every principal that has a permissions boundary, whatever NotPrincipal names
   (access_policies_boundaries.html).
2. Resource control policies of the resource's account: every level must allow.
3. Service control policies of the principal's account: every level must allow. They
   limit only the users and roles of the organization's accounts, so they are ignored
   for the anonymous caller and AWS service principals
   (organizations/latest/userguide/orgs_manage_policies_scps.html).
4. The root user of the resource's own account is allowed.
5. Same account: a resource-based policy that names the user, the role session or the
   service directly (or everyone) grants on its own, whatever the identity policies,
   the permissions boundary or the session policies say. One that names the role (also
   when the caller is the role itself, as in the simulator) counts
   as if the role's identity policies allowed: the boundary and session policies still
   cap it. One that names the account only delegates to the identity policies. For role
   trust policies (and KMS key policies) the resource-based policy must allow in any case.
6. Cross account: both the resource-based policy (naming the caller, its role, its
   account or everyone) and the caller's identity-based policies must allow.
7. Identity-based policies must allow, then the permissions boundary (if any), then the
   session policies (if any).

The caller decides which policy sets apply: ``scps=None`` for a principal in the
organization's management account or a service-linked role, ``rcps=None`` for resources
of services that do not support RCPs, ``session=None`` for a session without session
policies, and so on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .compile import CompiledSet, CompiledStatement
from .decision import ALLOWED, EXPLICIT_DENY, IMPLICIT_DENY, Decision, PolicyType
from .request import Grant, PrincipalKind, Request

# The order in which an explicit deny is named when several policies deny.
_DENY_ORDER = (
    PolicyType.SCP,
    PolicyType.RCP,
    PolicyType.IDENTITY,
    PolicyType.RESOURCE,
    PolicyType.BOUNDARY,
    PolicyType.SESSION,
)
# The order of matched statements in a Decision.
_MATCHED_ORDER = (
    PolicyType.RESOURCE,
    PolicyType.IDENTITY,
    PolicyType.BOUNDARY,
    PolicyType.SESSION,
    PolicyType.SCP,
    PolicyType.RCP,
)
_GRANTS_ALONE = (Grant.DIRECT, Grant.EVERYONE)
_Found = list[tuple[CompiledStatement, Grant]]
_NO_ACCOUNT = (PrincipalKind.ANONYMOUS, PrincipalKind.SERVICE)


@dataclass(slots=True, unsafe_hash=True)
class PolicySet:
    """The policies that apply to a request; None means "does not apply"."""

    identity: CompiledSet | None = None
    resource: CompiledSet | None = None
    boundary: CompiledSet | None = None
    session: CompiledSet | None = None
    scps: tuple[CompiledSet, ...] | None = None  # one set per level: root, OUs, account
    rcps: tuple[CompiledSet, ...] | None = None
    # Role trust policies and KMS key policies must allow, even within one account.
    resource_required: bool = False


def _scan(
    policies: CompiledSet,
    request: Request,
    missing: list[str] | None,
    denies: list[CompiledStatement],
    unindexed: bool,
    bounded: bool = False,
    unknown: Callable[[str], bool] | None = None,
) -> _Found:
    """The Allow statements of ``policies`` that match; matching Denies go to ``denies``."""
    candidates = policies.candidates_unindexed(request) if unindexed else policies.candidates(request)
    found: _Found = []
    for statement in candidates:
        grant = statement.grant(request, missing, bounded, unknown)
        if grant is not None:
            if statement.allow:
                found.append((statement, grant))
            else:
                denies.append(statement)
    return found


def _decide(
    request: Request,
    value: str,
    denied_by: PolicyType | None,
    matched: list[CompiledStatement],
    missing: list[str] | None,
    boundary: _Found | None,
    scp_levels: list[_Found] | None,
) -> Decision:
    if len(matched) > 1:
        # Resource-based policy first, then each set in policy and statement order,
        # whatever order the index found them in.
        matched.sort(key=lambda s: (_MATCHED_ORDER.index(s.matched.policy_type), s.order))
    return Decision(
        value,
        request.action,
        tuple([s.matched for s in matched]),
        tuple(dict.fromkeys(missing)) if missing else (),
        denied_by,
        None if boundary is None else bool(boundary),
        None if scp_levels is None else all(scp_levels),
    )


def set_decision(policies: CompiledSet, request: Request) -> str:
    """One policy set's own answer, as IAM's simulator reports it per policy type in
    EvalDecisionDetails: explicitDeny if a Deny matches, allowed if an Allow does."""
    denies: list[CompiledStatement] = []
    allows = _scan(policies, request, None, denies, unindexed=False)
    return EXPLICIT_DENY if denies else ALLOWED if allows else IMPLICIT_DENY


def evaluate(
    request: Request,
    policies: PolicySet,
    *,
    unindexed: bool = False,
    with_missing: bool = False,
    unknown: Callable[[str], bool] | None = None,
) -> Decision:
    """Decide ``request`` against ``policies`` as AWS does. ``with_missing``: also note the
    context keys the policies need and the request lacks (``Decision.missing_context_keys``),
    which runs every condition of a candidate statement instead of stopping at the first
    that fails: asked for by the tests of the engine, never by a request's authorization.
    ``unknown`` (implies ``with_missing``): which absent keys (lower-cased) are unknown rather
    than absent; an Allow statement's condition on one is taken as met, and a Deny's as unmet
    (also one that the key's absence meets: a negated operator, Null), so the decision says
    whether some values of the unknown keys could allow (the access explorer's "allowed only
    if")."""
    missing: list[str] | None = [] if with_missing or unknown is not None else None
    denies: list[CompiledStatement] = []
    scp_levels = rcp_levels = boundary = session = None
    # SCPs limit the users and roles of the organization's accounts only: never the anonymous
    # caller or an AWS service principal (orgs_manage_policies_scps.html).
    if policies.scps is not None and request.principal.kind not in _NO_ACCOUNT:
        scp_levels = [_scan(level, request, missing, denies, unindexed, False, unknown) for level in policies.scps]
    if policies.rcps is not None:
        rcp_levels = [_scan(level, request, missing, denies, unindexed, False, unknown) for level in policies.rcps]
    resource = (
        []
        if policies.resource is None
        else _scan(policies.resource, request, missing, denies, unindexed, policies.boundary is not None, unknown)
    )
    identity = (
        []
        if policies.identity is None
        else _scan(policies.identity, request, missing, denies, unindexed, False, unknown)
    )
    if policies.boundary is not None:
        boundary = _scan(policies.boundary, request, missing, denies, unindexed, False, unknown)
    if policies.session is not None:
        session = _scan(policies.session, request, missing, denies, unindexed, False, unknown)

    if denies:
        first = min(denies, key=lambda s: _DENY_ORDER.index(s.matched.policy_type))
        return _decide(request, EXPLICIT_DENY, first.matched.policy_type, denies, missing, boundary, scp_levels)
    denied_by = _implicit_deny(request, policies, resource, identity, boundary, session, scp_levels, rcp_levels)
    if denied_by is not None:
        return _decide(request, IMPLICIT_DENY, denied_by, [], missing, boundary, scp_levels)
    matched = [s for s, _g in resource]
    if identity:
        matched.extend(s for s, _g in identity)
    return _decide(request, ALLOWED, None, matched, missing, boundary, scp_levels)


def _implicit_deny(
    request: Request,
    policies: PolicySet,
    resource: _Found,
    identity: _Found,
    boundary: _Found | None,
    session: _Found | None,
    scp_levels: list[_Found] | None,
    rcp_levels: list[_Found] | None,
) -> PolicyType | None:
    """With no explicit deny: the kind of policy that fails to allow, or None (allowed)."""
    if rcp_levels is not None and not all(rcp_levels):
        return PolicyType.RCP
    if scp_levels is not None and not all(scp_levels):
        return PolicyType.SCP
    grant = max(g for _s, g in resource) if resource else None
    kind = request.principal.kind
    if kind is PrincipalKind.ANONYMOUS or kind is PrincipalKind.SERVICE:
        # No identity side: only the resource-based policy can grant.
        return PolicyType.RESOURCE if grant is None else None
    same_account = request.same_account
    if kind is PrincipalKind.ROOT:
        if same_account and not policies.resource_required:
            return None
        return PolicyType.RESOURCE if grant is None else None
    if same_account:
        if policies.resource_required and grant is None:
            return PolicyType.RESOURCE
        if grant in _GRANTS_ALONE:
            return None
        if not identity and grant is not Grant.ROLE:
            return PolicyType.IDENTITY
    else:
        if not identity:
            return PolicyType.IDENTITY
        if grant is None:
            return PolicyType.RESOURCE
    if boundary is not None and not boundary:
        return PolicyType.BOUNDARY
    if session is not None and not session:
        return PolicyType.SESSION
    return None

"""The policy simulator's operations: SimulatePrincipalPolicy, SimulateCustomPolicy,
GetContextKeysForPrincipalPolicy, GetContextKeysForCustomPolicy; ``simulator`` evaluates.

Sources: the IAM API reference pages of the four operations and of PolicyIdentifier
(https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulatePrincipalPolicy.html, ...),
"Testing IAM policies with the IAM policy simulator"
(https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_testing-policies.html), the
awscli examples of the four commands, and IAM answers quoted in public posts (named where used).

- SimulatePrincipalPolicy takes the policies of a user (with its groups'), group or role,
  its permissions boundary (or the one in PermissionsBoundaryPolicyInputList, which
  replaces it), the PolicyInputList, less the PolicyExclusionList. The caller is CallerArn,
  else PolicySourceArn.
- SourcePolicyId: "PolicyInputList.N", "PermissionsBoundaryPolicyInputList.1",
  "ResourcePolicy", a managed policy's name, "role_<role>_<policy>" (likewise user_ and
  group_) for an inline policy (IAM answers in public posts: an AdministratorAccess
  attachment reported as "AdministratorAccess", a role's inline policy as
  "role_<role>_<policy>"). Positions come from the policy text as stored; an AWS managed
  policy is laid out as IAM lays it out (two-space indented JSON: IAM reports the
  AdministratorAccess statement at line 3 column 17 to line 8 column 6).
- GetContextKeysFor*: the keys the policies reference, in the order they appear (policy
  variables in Resource, then condition keys and the variables of their values), each once:
  awscli's example answers ["aws:username", "aws:CurrentTime"] for a policy whose Resource
  uses ${aws:username} and whose condition tests aws:CurrentTime. Not the permissions
  boundary, not SCPs.
- A malformed policy is InvalidInput (the only client error the operations' model lists)
  with the words IAM uses for the document elsewhere.

- SimulatePrincipalPolicy applies the SCPs of the entity's account when it is a member of an
  organization (not its management account) with SCPs enabled: "The IAM policy simulator
  evaluates statements in identity-based policies, service control policies (SCPs) ..."
  (simulate-custom-policy, AWS CLI Command Reference), AllowedByOrganizations "... the
  Organizations service control policies that impact the simulated user's account"
  (OrganizationsDecisionDetail). A PolicyExclusionList entry of PolicyType ``scp`` leaves
  them out (PolicyIdentifier's PolicyType: inline, aws-managed, user-managed,
  permission-boundary, scp, rcp; RCPs are not simulated at all).

Known gaps: ResourceHandlingOption is accepted and ignored; the resource policy is not checked to apply
to every resource.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ...authz.gather import SCP, policy_levels
from ...errors import InvalidInput, NoSuchEntity
from ...policy import Policy, PolicyKind, Principal, PrincipalKind, parse_grammar
from ...policy.validate import validate
from ...store.interface import Group, PrincipalPolicies, Role, User
from ..context import CallContext
from . import common
from .simulator import (
    IAM_ENTITY,
    Simulation,
    account_of_owner,
    caller_of,
    check_actions,
    context_keys,
    context_of,
    parse_input,
    respond,
)

BOUNDARY_INPUT_ID = "PermissionsBoundaryPolicyInputList.1"


# --- where the policies come from --------------------------------------------------------------


def _boundary_input(params: dict[str, Any]) -> tuple[str, Policy] | None:
    texts: list[str] = params.get("PermissionsBoundaryPolicyInputList") or []
    if len(texts) > 1:
        # "You can input only one permissions boundary when you pass a policy to this operation."
        raise InvalidInput("The list of Permissions Boundary policies cannot exceed 1 items.")  # unconfirmed wording
    return (BOUNDARY_INPUT_ID, parse_input(texts[0], PolicyKind.BOUNDARY)) if texts else None


def _inputs(params: dict[str, Any]) -> list[tuple[str, Policy]]:
    return [
        (f"PolicyInputList.{i}", parse_input(text, PolicyKind.IDENTITY))
        for i, text in enumerate(params.get("PolicyInputList") or [], 1)
    ]


def _context(params: dict[str, Any]) -> dict[str, str | list[str]]:
    return context_of(
        (entry.get("ContextKeyName", ""), entry.get("ContextKeyValues") or [], entry.get("ContextKeyType"))
        for entry in params.get("ContextEntries") or []
    )


def entity_of(ctx: CallContext, arn: str) -> User | Group | Role:
    """The user, group or role PolicySourceArn names, in the caller's account."""
    common.check_arn(arn)
    match = IAM_ENTITY.match(arn)
    if match is None:
        # IAM's words for an assumed-role session's ARN, recorded in a public trace (not in
        # AWS's documentation): the simulator takes users, groups and roles only.
        raise InvalidInput(f"Invalid Entity Arn: {arn} does not clearly define entity type and name.")
    account, kind, name = match.groups()
    found: User | Group | Role | None = None
    if account == ctx.account_id:
        if kind == "user":
            found = ctx.tx.get_user(account, name)
        elif kind == "group":
            found = ctx.tx.get_group(account, name)
        else:
            found = ctx.tx.get_role(account, name)
    if found is None or found.arn != arn:
        # IAM's NoSuchEntity words for a user, group or role (GetUser and friends).
        raise NoSuchEntity(f"The {kind} with name {name} cannot be found.")
    return found


@dataclass(frozen=True, slots=True)
class _Exclusions:
    """PolicyExclusionList: policies left out of SimulatePrincipalPolicy."""

    types: frozenset[str] = frozenset()
    arns: tuple[re.Pattern[str], ...] = ()
    inline: tuple[tuple[str, str, re.Pattern[str]], ...] = ()  # (policy name, entity kind, entity name)

    def managed(self, arn: str) -> bool:
        kind = "aws-managed" if arn.startswith(common.AWS_POLICY_PREFIX) else "user-managed"
        return kind in self.types or any(p.fullmatch(arn) for p in self.arns)

    def inline_policy(self, policy: str, kind: str, owner: str) -> bool:
        if "inline" in self.types:
            return True
        return any(name == policy and k == kind and p.fullmatch(owner) for name, k, p in self.inline)


_EXCLUDED_ARN = re.compile(r"^(arn:aws[a-z-]*:iam::(?:aws|[0-9]{12}):policy/)(.+)$")


def _wildcard(text: str, what: str) -> re.Pattern[str]:
    """ "use at most one * (matches any sequence of characters, including none), and any
    number of ? (each matches exactly one character)" (PolicyIdentifier)."""
    if text.count("*") > 1:
        raise InvalidInput(f"Invalid {what}: {text}")  # unconfirmed wording
    return re.compile(re.escape(text).replace(r"\*", ".*").replace(r"\?", "."))


def _exclusions(items: Sequence[dict[str, Any]]) -> _Exclusions:
    """ "Syntactically invalid identifiers ... cause the request to fail with an InvalidInput
    error. Syntactically valid identifiers that don't match any attached policy are
    ignored. Resource control policies (RCPs) are not supported in this release"."""
    types: set[str] = set()
    arns: list[re.Pattern[str]] = []
    inline: list[tuple[str, str, re.Pattern[str]]] = []
    for item in items:
        given = [name for name in ("PolicyType", "PolicyArn", "InlinePolicyIdentifier") if item.get(name) is not None]
        if len(given) != 1:
            # "Specify exactly one of PolicyType, PolicyArn, or InlinePolicyIdentifier"; unconfirmed wording.
            raise InvalidInput("Specify exactly one of PolicyType, PolicyArn, or InlinePolicyIdentifier.")
        if "PolicyType" in given:
            types.add(item["PolicyType"])
        elif "PolicyArn" in given:
            match = _EXCLUDED_ARN.match(item["PolicyArn"])
            if match is None:
                raise InvalidInput(f"Invalid PolicyArn: {item['PolicyArn']}")  # unconfirmed wording
            arns.append(re.compile(re.escape(match.group(1)) + _wildcard(match.group(2), "PolicyArn").pattern))
        else:
            identifier = item["InlinePolicyIdentifier"]
            name_pattern = _wildcard(identifier["AttachmentName"], "AttachmentName")
            inline.append((identifier["PolicyName"], identifier["AttachmentType"], name_pattern))
    return _Exclusions(frozenset(types), tuple(arns), tuple(inline))


def _stored(document: str) -> Policy:
    """A stored document: validated when written; parsed with positions."""
    policy = parse_grammar(document, PolicyKind.IDENTITY)
    validate(policy, PolicyKind.IDENTITY)
    return policy


def _account_scps(ctx: CallContext, account_id: str) -> list[list[tuple[str, Policy]]] | None:
    """The SCPs of each level above and of ``account_id`` (root first), by policy id, when
    they apply to its principals, as the authorizer reads them (``authz.gather.policy_levels``)."""
    levels = policy_levels(ctx.tx, ctx.tx.org_membership(account_id), account_id, SCP)
    if levels is None:
        return None
    return [[(policy_id, _stored_scp(content)) for policy_id, content in level] for level in levels]


def _stored_scp(content: str) -> Policy:
    policy = parse_grammar(content, PolicyKind.SCP)
    validate(policy, PolicyKind.SCP, stored=True)
    return policy


def _aws_managed(ctx: CallContext, arn: str) -> Policy | None:
    """An AWS managed policy, laid out as IAM lays it out for the simulator's positions."""
    found = ctx.shared.managed_policies.get(arn)
    if found is None:
        return None
    return _stored(json.dumps(json.loads(found.document), indent=2))


def _managed(ctx: CallContext, arns: Sequence[str]) -> list[tuple[str, Policy]]:
    """(name, policy) of each managed policy that exists, in the order given."""
    customer = [arn for arn in arns if not arn.startswith(common.AWS_POLICY_PREFIX)]
    versions = ctx.tx.default_policy_versions(customer) if customer else {}
    out: list[tuple[str, Policy]] = []
    for arn in arns:
        policy = _aws_managed(ctx, arn) if arn.startswith(common.AWS_POLICY_PREFIX) else None
        if arn in versions:
            policy = _stored(versions[arn].document)
        if policy is not None:
            out.append((arn.rsplit("/", 1)[-1], policy))
    return out


def entity_kind(entity: User | Group | Role) -> str:
    """ "user", "group" or "role"."""
    return "user" if isinstance(entity, User) else "group" if isinstance(entity, Group) else "role"


def policies_of(
    ctx: CallContext, entity: User | Group | Role
) -> tuple[PrincipalPolicies, dict[str, User | Group | Role]]:
    """The entity's identity-based policies (a user's with its groups'), and by id the
    entities their inline policies are embedded in."""
    found = ctx.tx.principal_policies(entity.id)
    owners: dict[str, User | Group | Role] = {entity.id: entity}
    for group_id in found.group_ids:
        group = ctx.tx.get_identity(group_id)
        if isinstance(group, Group):
            owners[group_id] = group
    return found, owners


def _principal_policies(
    ctx: CallContext, entity: User | Group | Role, exclusions: _Exclusions
) -> list[tuple[str, Policy]]:
    """The identity-based policies of the entity (a user's with its groups'), with the
    simulator's ids: inline ones first, then managed ones."""
    found, owners = policies_of(ctx, entity)
    policies: list[tuple[str, Policy]] = []
    for inline in found.inline:
        owner = owners.get(inline.owner_id)
        if owner is None:
            continue
        kind = entity_kind(owner)
        if not exclusions.inline_policy(inline.name, kind, owner.name):
            policies.append((f"{kind}_{owner.name}_{inline.name}", _stored(inline.document)))
    kept = [arn for arn in found.attached_arns if not exclusions.managed(arn)]
    policies.extend(_managed(ctx, kept))
    return policies


def _entity_boundary(
    ctx: CallContext, entity: User | Group | Role, exclusions: _Exclusions
) -> tuple[str, Policy] | None:
    arn = entity.permissions_boundary if isinstance(entity, User | Role) else None
    if arn is None or "permission-boundary" in exclusions.types:
        return None
    found = _managed(ctx, [arn])
    return found[0] if found else None


# --- the handlers --------------------------------------------------------------------------------


def simulate_custom_policy(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    check_actions(params["ActionNames"])
    identity = _inputs(params)
    boundary = _boundary_input(params)
    scps = [
        [
            (f"OrderedOrganizationPolicyInputList.{i}.{j}", parse_input(text, PolicyKind.SCP))
            for j, text in enumerate(level.get("ServiceControlPolicyInputList") or [], 1)
        ]
        for i, level in enumerate(params.get("OrderedOrganizationPolicyInputList") or [], 1)
    ]
    resource_policy = params.get("ResourcePolicy")
    caller_arn = params.get("CallerArn")
    if resource_policy is not None and caller_arn is None:
        # "CallerArn is required if you include a ResourcePolicy".
        raise InvalidInput("CallerArn is required if you include a ResourcePolicy.")  # unconfirmed wording
    caller = (
        caller_of(caller_arn, resource_policy=resource_policy is not None)
        if caller_arn is not None
        # No caller: the identity-based policies alone decide, within one account.
        else Principal("", PrincipalKind.USER)
    )
    owner = params.get("ResourceOwner")
    simulation = Simulation(
        identity,
        caller=caller,
        context=_context(params),
        boundary=boundary,
        resource_policy=_resource_policy(resource_policy),
        scps=scps or None,
        owner=account_of_owner(owner) if owner else None,
    )
    return respond(simulation, params)


def simulate_principal_policy(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    check_actions(params["ActionNames"])
    entity = entity_of(ctx, params["PolicySourceArn"])
    exclusions = _exclusions(params.get("PolicyExclusionList") or [])
    identity = _principal_policies(ctx, entity, exclusions) + _inputs(params)
    # "if a permissions boundary is attached to an entity and you pass in a different
    # permissions boundary policy using this parameter, then the new permissions boundary
    # policy is used for the simulation."
    boundary = _boundary_input(params) or _entity_boundary(ctx, entity, exclusions)
    resource_policy = params.get("ResourcePolicy")
    # "If you do not specify a CallerArn, it defaults to the ARN of the user, group, or
    # role that you specify in PolicySourceArn."
    caller = caller_of(params.get("CallerArn") or entity.arn, resource_policy=resource_policy is not None)
    owner = params.get("ResourceOwner")
    simulation = Simulation(
        identity,
        caller=caller,
        context=_context(params),
        boundary=boundary,
        resource_policy=_resource_policy(resource_policy),
        scps=None if "scp" in exclusions.types else _account_scps(ctx, entity.account_id),
        owner=account_of_owner(owner) if owner else None,
    )
    return respond(simulation, params)


def _resource_policy(text: str | None) -> Policy | None:
    """ResourcePolicy: a resource-based policy to evaluate, or None. A role's trust policy
    (no Resource element) is checked as a trust policy and then left out: "Simulation of
    resource-based policies isn't supported for IAM roles" (SimulatePrincipalPolicy
    reference), and IAM answers such a call from the identity-based policies, as recorded
    in aws/aws-cli#10314, where it refused it before."""
    if text is None:
        return None
    try:
        return parse_input(text, PolicyKind.RESOURCE)
    except InvalidInput as refused:
        try:
            parse_input(text, PolicyKind.TRUST)
        except InvalidInput:
            raise refused from None
        return None


def get_context_keys_for_custom_policy(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    return {"ContextKeyNames": context_keys(policy for _id, policy in _inputs(params))}


def get_context_keys_for_principal_policy(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    """ "This operation doesn't return context keys referenced by service control policies
    (SCPs). Only context keys referenced by the identity-based policies attached to the
    specified entity, and any additional policies that you provide, are included." """
    entity = entity_of(ctx, params["PolicySourceArn"])
    policies = _principal_policies(ctx, entity, _Exclusions()) + _inputs(params)
    return {"ContextKeyNames": context_keys(policy for _id, policy in policies)}

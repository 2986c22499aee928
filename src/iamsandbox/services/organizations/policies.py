"""SCPs and RCPs: CreatePolicy, DescribePolicy, UpdatePolicy, DeletePolicy, ListPolicies,
AttachPolicy, DetachPolicy, ListPoliciesForTarget, ListTargetsForPolicy (Organizations API
reference, each operation's page; "Service control policies (SCPs)", "Resource control
policies (RCPs)", "Quotas for AWS Organizations", Organizations User Guide).

- Content is validated by the policy language as an SCP or RCP (``policy.validate``: "SCP
  syntax", "RCP syntax"): MalformedPolicyDocumentException; past 5,120 characters,
  ConstraintViolationException POLICY_CONTENT_LIMIT_EXCEEDED.
- The AWS managed FullAWSAccess and RCPFullAWSAccess are in every organization with all
  features (AwsManaged true); they cannot be changed or deleted (InvalidInputException
  IMMUTABLE_POLICY). "Every root, OU, and account must have at least one SCP attached"
  (DetachPolicy): detaching the last one is ConstraintViolationException
  MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED. RCPFullAWSAccess "cannot" be detached ("RCP
  evaluation"): InvalidInputException NON_DETACHABLE_POLICY.
- At most 5 policies of a type on a root, OU or account (quotas):
  ConstraintViolationException MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED.
- A policy can be attached only when its type is enabled on the root
  (PolicyTypeNotEnabledException); an attached policy cannot be deleted (PolicyInUseException).
"""

from __future__ import annotations

from typing import Any

from ...errors import LimitExceeded
from ...policy import PolicyKind, parse_policy
from ...store.interface import AWS_MANAGED_ORG_POLICIES, RCP_FULL_AWS_ACCESS, Organization, OrgPolicy
from ..context import CallContext
from . import arns
from .common import container, management_org, new_id, paged, tags_of
from .errors import (
    ConstraintViolationException,
    DuplicatePolicyAttachmentException,
    DuplicatePolicyException,
    InvalidInputException,
    PolicyInUseException,
    PolicyNotAttachedException,
    PolicyNotFoundException,
    PolicyTypeNotAvailableForOrganizationException,
    PolicyTypeNotEnabledException,
    TargetNotFoundException,
)
from .organization import SUPPORTED_TYPES, supported_type, tag_new

MAX_ATTACHED = 5
_KINDS = {"SERVICE_CONTROL_POLICY": PolicyKind.SCP, "RESOURCE_CONTROL_POLICY": PolicyKind.RCP}


def managed_policy(org: Organization, policy_id: str) -> OrgPolicy | None:
    managed = AWS_MANAGED_ORG_POLICIES.get(policy_id)
    if managed is None:
        return None
    policy_type, name, description, content = managed
    return OrgPolicy(policy_id, org.id, policy_type, name, description, content, org.created, aws_managed=True)


def policy_of(ctx: CallContext, org: Organization, policy_id: str) -> OrgPolicy:
    policy = managed_policy(org, policy_id) or ctx.tx.get_org_policy(policy_id)
    if policy is None or policy.org_id != org.id:
        raise PolicyNotFoundException()
    return policy


def summary(org: Organization, policy: OrgPolicy) -> dict[str, Any]:
    return {
        "Id": policy.id,
        "Arn": arns.policy_arn(org, policy.id, policy.type),
        "Name": policy.name,
        "Description": policy.description,
        "Type": policy.type,
        "AwsManaged": policy.aws_managed,
    }


def policy_out(org: Organization, policy: OrgPolicy) -> dict[str, Any]:
    return {"Policy": {"PolicySummary": summary(org, policy), "Content": policy.content}}


def _validated(content: str, policy_type: str) -> str:
    try:
        parse_policy(content, _KINDS[policy_type])
    except LimitExceeded:
        raise ConstraintViolationException(
            "POLICY_CONTENT_LIMIT_EXCEEDED", "You attempted to create a policy larger than the maximum size."
        ) from None
    return content


def _unique_name(ctx: CallContext, org: Organization, policy_type: str, name: str, own_id: str | None = None) -> None:
    taken = [p for p in ctx.tx.list_org_policies(org.id, policy_type) if p.name == name and p.id != own_id]
    if taken or any(m[1] == name and m[0] == policy_type for m in AWS_MANAGED_ORG_POLICIES.values()):
        raise DuplicatePolicyException()


def _immutable() -> InvalidInputException:
    return InvalidInputException(
        "IMMUTABLE_POLICY", "You specified a policy that is managed by AWS and can't be modified."
    )


def create_policy(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    org = management_org(ctx)
    policy_type = supported_type(params["Type"])
    if org.feature_set != "ALL":
        raise PolicyTypeNotAvailableForOrganizationException()
    tags = tags_of(params)
    content = _validated(params["Content"], policy_type)
    _unique_name(ctx, org, policy_type, params["Name"])
    policy = ctx.tx.create_org_policy(
        org.id, new_id("p-", 8), policy_type, params["Name"], params.get("Description") or "", content
    )
    tag_new(ctx, org, arns.policy_arn(org, policy.id, policy_type), tags)
    return policy_out(org, policy)


def describe_policy(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    org = management_org(ctx)
    return policy_out(org, policy_of(ctx, org, params["PolicyId"]))


def update_policy(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    org = management_org(ctx)
    policy = policy_of(ctx, org, params["PolicyId"])
    if policy.aws_managed:
        raise _immutable()
    content = params.get("Content")
    if content is not None:
        _validated(content, policy.type)
    name = params.get("Name")
    if name is not None and name != policy.name:
        _unique_name(ctx, org, policy.type, name, policy.id)
    updated = ctx.tx.update_org_policy(policy.id, name=name, description=params.get("Description"), content=content)
    assert updated is not None  # INVARIANT: read in this transaction
    return policy_out(org, updated)


def delete_policy(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    org = management_org(ctx)
    policy = policy_of(ctx, org, params["PolicyId"])
    if policy.aws_managed:
        raise _immutable()
    if ctx.tx.org_policy_targets(org.id, policy.id):
        raise PolicyInUseException()
    ctx.tx.delete_org_policy(policy.id)
    return {}


def list_policies(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    org = management_org(ctx)
    policy_type = params["Filter"]
    found: list[OrgPolicy] = []
    if policy_type in SUPPORTED_TYPES and org.feature_set == "ALL":
        found = [m for m in (managed_policy(org, i) for i in AWS_MANAGED_ORG_POLICIES) if m and m.type == policy_type]
        found.extend(ctx.tx.list_org_policies(org.id, policy_type))
    return paged("Policies", [summary(org, p) for p in found], params)


def _target(ctx: CallContext, org: Organization, target_id: str) -> tuple[str, str, str]:
    """(Type, Name, ARN) of a root, OU or account of ``org``; TargetNotFoundException else."""
    place = container(ctx, org, target_id)
    if isinstance(place, Organization):
        return "ROOT", org.root_name, org.root_arn
    if place is not None:
        return "ORGANIZATIONAL_UNIT", place.name, arns.ou_arn(org, place.id)
    member = ctx.tx.get_org_account(target_id)
    if member is not None and member.org_id == org.id:
        return "ACCOUNT", member.name, arns.account_arn(org, target_id)
    raise TargetNotFoundException()


def _authorize_target(ctx: CallContext, action: str, target_arn: str, policy: OrgPolicy) -> None:
    """The target (root, OU or account) of AttachPolicy / DetachPolicy: a resource type of the
    action besides the policy, which the table checks ("Actions, resources, and condition keys
    for AWS Organizations"), with the policy's organizations:PolicyType."""
    ctx.authorize(action, target_arn, {"organizations:PolicyType": policy.type})


def attach_policy(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    org = management_org(ctx)
    policy = policy_of(ctx, org, params["PolicyId"])
    target_id = params["TargetId"]
    _, _, target_arn = _target(ctx, org, target_id)
    _authorize_target(ctx, "organizations:AttachPolicy", target_arn, policy)
    if policy.type not in org.enabled_types:
        raise PolicyTypeNotEnabledException()
    attached = ctx.tx.org_policies_for_target(target_id, policy.type)
    if policy.id in attached:
        raise DuplicatePolicyAttachmentException()
    if len(attached) >= MAX_ATTACHED:
        raise ConstraintViolationException(
            "MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED",
            "You attempted to attach more policies of this type to the entity than the maximum allowed.",
        )
    ctx.tx.attach_org_policy(org.id, policy.id, policy.type, target_id)
    return {}


def detach_policy(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    org = management_org(ctx)
    policy = policy_of(ctx, org, params["PolicyId"])
    target_id = params["TargetId"]
    _, _, target_arn = _target(ctx, org, target_id)
    _authorize_target(ctx, "organizations:DetachPolicy", target_arn, policy)
    attached = ctx.tx.org_policies_for_target(target_id, policy.type)
    if policy.id not in attached:
        raise PolicyNotAttachedException()
    if policy.id == RCP_FULL_AWS_ACCESS:
        raise InvalidInputException("NON_DETACHABLE_POLICY", "You can't detach this AWS Managed Policy.")
    if policy.type == "SERVICE_CONTROL_POLICY" and len(attached) == 1:
        raise ConstraintViolationException(
            "MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED",
            "You attempted to detach a policy from an entity that would cause the entity to have fewer than the "
            "minimum number of policies of a certain type required.",
        )
    ctx.tx.detach_org_policy(org.id, policy.id, target_id)
    return {}


def list_policies_for_target(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    org = management_org(ctx)
    _target(ctx, org, params["TargetId"])
    ids = ctx.tx.org_policies_for_target(params["TargetId"], params["Filter"])
    return paged("Policies", [summary(org, policy_of(ctx, org, i)) for i in ids], params)


def list_targets_for_policy(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    org = management_org(ctx)
    policy = policy_of(ctx, org, params["PolicyId"])
    targets = []
    for target_id in ctx.tx.org_policy_targets(org.id, policy.id):
        kind, name, arn = _target(ctx, org, target_id)
        targets.append({"TargetId": target_id, "Arn": arn, "Name": name, "Type": kind})
    return paged("Targets", targets, params)

"""The organization, its root and policy types, and tags: CreateOrganization,
DescribeOrganization, DeleteOrganization, ListRoots, EnablePolicyType, DisablePolicyType,
TagResource, UntagResource, ListTagsForResource (Organizations API reference, each
operation's page).

- CreateOrganization makes the caller's account the management account, with one root
  "Root" on which no policy type is enabled ("Creating an organization", Organizations User
  Guide; EnablePolicyType turns one on).
- EnablePolicyType attaches the AWS managed FullAWSAccess (SCPs) or RCPFullAWSAccess (RCPs)
  to the root, every OU and every account ("Enabling a policy type"; "SCP evaluation",
  "RCP evaluation"); DisablePolicyType detaches every policy of the type ("Disabling a
  policy type").
- DescribeOrganization's AvailablePolicyTypes is deprecated and "doesn't include any policy
  type supported by Organizations other than SCPs" (DescribeOrganization): SCPs, ENABLED,
  in an organization with all features; none with consolidated billing only.

Known gaps: no delegated administrators, no trusted service access, no service-linked role
AWSServiceRoleForOrganizations; the policy types other than SCPs and RCPs are refused
(NotImplemented); EnableAllFeatures is not implemented.
"""

from __future__ import annotations

from typing import Any

from ... import errors
from ...authz.context import request_tag_keys
from ...store.interface import AWS_MANAGED_ORG_POLICIES, FULL_AWS_ACCESS, RCP_FULL_AWS_ACCESS, Organization
from ..context import CallContext
from ..iam.common import remove_tags, tag_list
from . import arns
from .common import caller_org, check_tag_count, container, management_org, new_id, tags_of
from .errors import (
    AlreadyInOrganizationException,
    OrganizationNotEmptyException,
    PolicyTypeAlreadyEnabledException,
    PolicyTypeNotAvailableForOrganizationException,
    PolicyTypeNotEnabledException,
    RootNotFoundException,
    TargetNotFoundException,
)

SUPPORTED_TYPES = ("SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY")
FULL_ACCESS = {"SERVICE_CONTROL_POLICY": FULL_AWS_ACCESS, "RESOURCE_CONTROL_POLICY": RCP_FULL_AWS_ACCESS}


def supported_type(policy_type: str) -> str:
    if policy_type not in SUPPORTED_TYPES:
        raise errors.NotImplemented(
            f"The policy type {policy_type} is not implemented by iamsandbox (only {' and '.join(SUPPORTED_TYPES)})."
        )
    return policy_type


def organization_out(ctx: CallContext, org: Organization) -> dict[str, Any]:
    out: dict[str, Any] = {
        "Id": org.id,
        "Arn": org.arn,
        "FeatureSet": org.feature_set,
        "MasterAccountArn": arns.account_arn(org, org.management_account_id),
        "MasterAccountId": org.management_account_id,
    }
    management = ctx.tx.get_account(org.management_account_id)
    if management is not None and management.email:
        out["MasterAccountEmail"] = management.email
    available = [{"Type": "SERVICE_CONTROL_POLICY", "Status": "ENABLED"}] if org.feature_set == "ALL" else []
    out["AvailablePolicyTypes"] = available
    return out


def root_out(org: Organization) -> dict[str, Any]:
    return {
        "Id": org.root_id,
        "Arn": org.root_arn,
        "Name": org.root_name,
        "PolicyTypes": [{"Type": kind, "Status": "ENABLED"} for kind in org.enabled_types],
    }


def create_organization(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    if ctx.tx.organization_of(ctx.account_id) is not None:
        raise AlreadyInOrganizationException()
    feature_set = params.get("FeatureSet") or "ALL"
    org = ctx.tx.create_organization(new_id("o-", 10), new_id("r-", 4), ctx.account_id, feature_set)
    return {"Organization": organization_out(ctx, org)}


def describe_organization(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    # "You can call this operation from any account in a organization."
    return {"Organization": organization_out(ctx, caller_org(ctx))}


def delete_organization(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    org = management_org(ctx)
    if any(member.account_id != org.management_account_id for member in ctx.tx.list_org_accounts(org.id)):
        raise OrganizationNotEmptyException()
    ctx.tx.delete_organization(org.id)
    return {}


def list_roots(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    return {"Roots": [root_out(management_org(ctx))]}


def _root(ctx: CallContext, params: dict[str, Any]) -> Organization:
    org = management_org(ctx)
    if params["RootId"] != org.root_id:
        raise RootNotFoundException()
    return org


def enable_policy_type(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    org = _root(ctx, params)
    policy_type = supported_type(params["PolicyType"])
    if org.feature_set != "ALL":
        raise PolicyTypeNotAvailableForOrganizationException()
    if policy_type in org.enabled_types:
        raise PolicyTypeAlreadyEnabledException()
    ctx.tx.set_enabled_policy_types(org.id, [*org.enabled_types, policy_type])
    managed = FULL_ACCESS[policy_type]
    for target in _every_target(ctx, org):
        ctx.tx.attach_org_policy(org.id, managed, policy_type, target)
    updated = ctx.tx.get_organization(org.id)
    assert updated is not None  # INVARIANT: written just above
    return {"Root": root_out(updated)}


def disable_policy_type(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    org = _root(ctx, params)
    policy_type = supported_type(params["PolicyType"])
    if policy_type not in org.enabled_types:
        raise PolicyTypeNotEnabledException()
    ctx.tx.detach_org_policies_of_type(org.id, policy_type)
    ctx.tx.set_enabled_policy_types(org.id, [kind for kind in org.enabled_types if kind != policy_type])
    updated = ctx.tx.get_organization(org.id)
    assert updated is not None  # INVARIANT: written just above
    return {"Root": root_out(updated)}


def attach_full_access(ctx: CallContext, org: Organization, target_id: str) -> None:
    """A new OU or a joining account gets the AWS managed full-access policy of each
    enabled type, as every root, OU and account has it ("SCP evaluation")."""
    for policy_type in org.enabled_types:
        ctx.tx.attach_org_policy(org.id, FULL_ACCESS[policy_type], policy_type, target_id)


def _every_target(ctx: CallContext, org: Organization) -> list[str]:
    targets = [org.root_id]
    pending = [org.root_id]
    while pending:
        units = ctx.tx.list_org_units(pending.pop())
        targets.extend(unit.id for unit in units)
        pending.extend(unit.id for unit in units)
    targets.extend(member.account_id for member in ctx.tx.list_org_accounts(org.id))
    return targets


# --- tags ----------------------------------------------------------------------------------


def taggable_arn(ctx: CallContext, org: Organization, resource_id: str) -> str:
    """The ARN (the tags' key) of a root, OU, account or customer managed policy of ``org``;
    TargetNotFoundException for anything else ("TagResource": AWS managed policies cannot
    be tagged)."""
    if container(ctx, org, resource_id) is not None:
        return arns.target_arn(ctx.tx, ctx.account_id, resource_id)
    member = ctx.tx.get_org_account(resource_id)
    if member is not None and member.org_id == org.id:
        return arns.account_arn(org, resource_id)
    if resource_id not in AWS_MANAGED_ORG_POLICIES:
        policy = ctx.tx.get_org_policy(resource_id)
        if policy is not None and policy.org_id == org.id:
            return arns.policy_arn(org, policy.id, policy.type)
    raise TargetNotFoundException()


def tag_resource(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    org = management_org(ctx)
    arn = taggable_arn(ctx, org, params["ResourceId"])
    merged = {**ctx.tx.get_tags(arn), **tags_of(params)}
    check_tag_count(merged)
    ctx.tx.set_tags(org.management_account_id, arn, merged)
    return {}


def untag_resource(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    org = management_org(ctx)
    arn = taggable_arn(ctx, org, params["ResourceId"])
    ctx.tx.set_tags(org.management_account_id, arn, remove_tags(ctx.tx.get_tags(arn), params["TagKeys"]))
    return {}


def list_tags_for_resource(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    org = management_org(ctx)
    return {"Tags": tag_list(ctx.tx.get_tags(taggable_arn(ctx, org, params["ResourceId"])))}


def authorize_tagging(ctx: CallContext, arn: str, tags: dict[str, str]) -> None:
    """A Create or Invite request's Tags need organizations:TagResource too: "If the request
    includes tags, then the requester must have the organizations:TagResource permission"
    (InviteAccountToOrganization, Organizations API Reference; the Service Authorization
    Reference lists organizations:TagResource for CreateAccount, CreateOrganizationalUnit and
    CreatePolicy), checked with the request's tags as IAM's Create operations are."""
    if tags:
        ctx.authorize("organizations:TagResource", arn, request_tag_keys(tags))


def tag_new(ctx: CallContext, org: Organization, arn: str, tags: dict[str, str]) -> None:
    if tags:
        authorize_tagging(ctx, arn, tags)
        ctx.tx.set_tags(org.management_account_id, arn, tags)

"""IAM instance profiles: CreateInstanceProfile, GetInstanceProfile, DeleteInstanceProfile,
ListInstanceProfiles, ListInstanceProfilesForRole, AddRoleToInstanceProfile,
RemoveRoleFromInstanceProfile, TagInstanceProfile, UntagInstanceProfile,
ListInstanceProfileTags (IAM API reference); "Use instance profiles" (IAM User Guide).

An instance profile is a container for one role ("An instance profile can contain only
one role, and this quota cannot be increased": AddRoleToInstanceProfile); an account holds
1,000 by default ("IAM and AWS STS quotas"). Its unique id begins "AIPA" ("IAM
identifiers", unique ID prefixes); its ARN is arn:aws:iam::ACCOUNT:instance-profile/PATHNAME.

AWS's messages, as AWS answered them in public issue threads (quoted by the clients that
hit them): NoSuchEntity "Instance Profile NAME cannot be found." (skyplane-project/skyplane
#724, DataBiosphere/toil #4836); EntityAlreadyExists "Instance Profile NAME already
exists." (ine-labs/AWSGoat #49, hashicorp/terraform-provider-aws #8041); LimitExceeded
"Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1" (getmoto/moto #6404,
checked against AWS by its maintainer; also when the same role is added twice:
coreos/mantle #1058) and "Cannot exceed quota for InstanceProfilesPerAccount: 1000"
(ansible/workshops #1801); DeleteConflict "Cannot delete entity, must remove roles from
instance profile first." from DeleteInstanceProfile (99designs/iamy #47,
cloud-custodian/cloud-custodian #6044) and from DeleteRole (``roles.delete_role``).

Output: a role inside an instance profile has the members of GetInstanceProfile's sample
response (Path, Arn, RoleName, AssumeRolePolicyDocument, CreateDate, RoleId); listing
operations leave the profile's tags out ("this operation does not return tags":
ListInstanceProfiles); ListInstanceProfileTags sorts them by key ("The returned list of
tags is sorted by tag key").

AddRoleToInstanceProfile checks iam:PassRole on the role (``add_role_to_instance_profile``).
Names are unique whatever their case, as for users, groups and roles (unconfirmed for
instance profiles).
"""

from __future__ import annotations

from typing import Any

from ...errors import DeleteConflict, EntityAlreadyExists, LimitExceeded, NoSuchEntity
from ...store.interface import Conflict, InstanceProfile, Role, Transaction
from ..context import CallContext
from . import common

# "IAM and AWS STS quotas": roles in an instance profile: 1 (cannot be increased);
# instance profiles in an AWS account: 1,000 (default).
ROLES_PER_INSTANCE_PROFILE = 1
INSTANCE_PROFILES_PER_ACCOUNT = 1000
REMOVE_ROLES_FIRST = "Cannot delete entity, must remove roles from instance profile first."


def instance_profile(ctx: CallContext, name: str) -> InstanceProfile:
    found = ctx.tx.get_instance_profile(ctx.account_id, name)
    if found is None:
        raise NoSuchEntity(f"Instance Profile {name} cannot be found.")
    return found


def _role_member(found: Role) -> dict[str, Any]:
    return {
        "Path": found.path,
        "RoleName": found.name,
        "RoleId": found.id,
        "Arn": found.arn,
        "CreateDate": found.created,
        "AssumeRolePolicyDocument": common.encode_document(found.trust_policy),
    }


def instance_profile_out(tx: Transaction, found: InstanceProfile, *, tags: bool) -> dict[str, Any]:
    """An ``InstanceProfile``; ``tags`` for the operations that return them (Create, Get)."""
    roles = [tx.get_identity(role_id) for role_id in found.role_ids]
    out: dict[str, Any] = {
        "Path": found.path,
        "InstanceProfileName": found.name,
        "InstanceProfileId": found.id,
        "Arn": found.arn,
        "CreateDate": found.created,
        "Roles": [_role_member(role) for role in roles if isinstance(role, Role)],
    }
    if tags:
        # Recorded from AWS (LocalStack's test_iam_instance_profiles snapshot, get-instance-
        # profile): "Tags": [] for a profile without tags.
        out["Tags"] = common.tags_of(tx, found.id)
    return out


def create_instance_profile(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    name = params["InstanceProfileName"]
    if ctx.tx.get_instance_profile(ctx.account_id, name) is not None:
        raise EntityAlreadyExists(f"Instance Profile {name} already exists.")
    if ctx.tx.count_instance_profiles(ctx.account_id) >= INSTANCE_PROFILES_PER_ACCOUNT:
        raise LimitExceeded(f"Cannot exceed quota for InstanceProfilesPerAccount: {INSTANCE_PROFILES_PER_ACCOUNT}")
    try:
        created = ctx.tx.create_instance_profile(ctx.account_id, name, params.get("Path") or "/")
    except Conflict:
        raise EntityAlreadyExists(f"Instance Profile {name} already exists.") from None
    common.set_create_tags(ctx, created.id, params.get("Tags"), action="iam:TagInstanceProfile", arn=created.arn)
    # Create answers Tags only when some were given (recorded from AWS: LocalStack's
    # test_iam_instance_profiles snapshot, create-instance-profile, February 2026); Get
    # answers "Tags": [] (get-instance-profile).
    return {"InstanceProfile": instance_profile_out(ctx.tx, created, tags=bool(params.get("Tags")))}


def get_instance_profile(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = instance_profile(ctx, params["InstanceProfileName"])
    return {"InstanceProfile": instance_profile_out(ctx.tx, found, tags=True)}


def list_instance_profiles(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = ctx.tx.list_instance_profiles(ctx.account_id, params.get("PathPrefix") or "/")
    out = common.paginate(found, params, "InstanceProfiles")
    out["InstanceProfiles"] = [instance_profile_out(ctx.tx, p, tags=False) for p in out["InstanceProfiles"]]
    return out


def list_instance_profiles_for_role(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    role = common.role(ctx, params["RoleName"])
    out = common.paginate(ctx.tx.list_instance_profiles_for_role(role.id), params, "InstanceProfiles")
    out["InstanceProfiles"] = [instance_profile_out(ctx.tx, p, tags=False) for p in out["InstanceProfiles"]]
    return out


def delete_instance_profile(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    """Refused while it holds a role: "The instance profile must not have an associated
    role" (DeleteInstanceProfile)."""
    found = instance_profile(ctx, params["InstanceProfileName"])
    if found.role_ids:
        raise DeleteConflict(REMOVE_ROLES_FIRST)
    try:
        ctx.tx.delete_instance_profile(found.id)
    except Conflict:  # a role added since the check (a race)
        raise DeleteConflict(REMOVE_ROLES_FIRST) from None
    return {}


def add_role_to_instance_profile(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    """The profile is looked up before the role (which NoSuchEntity comes first when both
    are missing is unconfirmed). A profile that holds a role, even this one, is full."""
    found = instance_profile(ctx, params["InstanceProfileName"])
    role = common.role(ctx, params["RoleName"])
    if len(found.role_ids) >= ROLES_PER_INSTANCE_PROFILE:
        raise LimitExceeded(f"Cannot exceed quota for InstanceSessionsPerInstanceProfile: {ROLES_PER_INSTANCE_PROFILE}")
    # "The caller of this operation must be granted the PassRole permission on the IAM
    # role by a permissions policy" (AddRoleToInstanceProfile, IAM API reference). The
    # role goes to EC2 with the profile: iam:PassedToService ec2.amazonaws.com (unconfirmed),
    # and iam:AssociatedResourceArn any instance of the account: "you cannot specify a Region
    # or instance ID in the EC2 instance ARN. The ARN value must be
    # arn:aws:ec2:*:CallerAccountId:instance/*" (the same page; the value is that pattern).
    associated = f"arn:aws:ec2:*:{ctx.account_id}:instance/*"
    ctx.authorize(
        "iam:PassRole", role.arn, {"iam:PassedToService": "ec2.amazonaws.com", "iam:AssociatedResourceArn": associated}
    )
    ctx.tx.add_role_to_instance_profile(found.id, role.id)
    return {}


def remove_role_from_instance_profile(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = instance_profile(ctx, params["InstanceProfileName"])
    role = common.role(ctx, params["RoleName"])
    if role.id not in found.role_ids:
        # Recorded from AWS (LocalStack's test_iam_instance_profiles snapshot,
        # remove-unattached-role-error).
        raise NoSuchEntity(f"Role {role.name} in Instance Profile {found.name} cannot be found.")
    ctx.tx.remove_role_from_instance_profile(found.id, role.id)
    return {}


tag_instance_profile, untag_instance_profile, list_instance_profile_tags = common.tag_operations(
    lambda ctx, params: instance_profile(ctx, params["InstanceProfileName"]).id
)

"""IAM groups and membership: CreateGroup, GetGroup, ListGroups, UpdateGroup, DeleteGroup,
AddUserToGroup, RemoveUserFromGroup, ListGroupsForUser (IAM API reference)."""

from __future__ import annotations

from typing import Any

from ...errors import DeleteConflict, EntityAlreadyExists, LimitExceeded
from ...store.interface import Conflict
from ..context import CallContext
from . import common

# "IAM and AWS STS quotas": groups an IAM user can be a member of: 10.
GROUPS_PER_USER = 10


def create_group(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    name = params["GroupName"]
    if ctx.tx.get_group(ctx.account_id, name) is not None:
        raise EntityAlreadyExists(f"Group with name {name} already exists.")
    common.check_account_quota("group", ctx.tx.count_identities(ctx.account_id)["group"])
    try:
        group = ctx.tx.create_group(ctx.account_id, name, params.get("Path") or "/")
    except Conflict:
        raise EntityAlreadyExists(f"Group with name {name} already exists.") from None
    return {"Group": common.group_out(group)}


def get_group(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    group = common.group(ctx, params["GroupName"])
    out = common.paginate(ctx.tx.list_group_members(group.id), params, "Users")
    out["Users"] = [common.user_out(ctx.tx, user, tags=False) for user in out["Users"]]
    out["Group"] = common.group_out(group)
    return out


def list_groups(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    out = common.paginate(ctx.tx.list_groups(ctx.account_id, params.get("PathPrefix") or "/"), params, "Groups")
    out["Groups"] = [common.group_out(group) for group in out["Groups"]]
    return out


def list_groups_for_user(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    user = common.user(ctx, params["UserName"])
    out = common.paginate(ctx.tx.list_groups_for_user(user.id), params, "Groups")
    out["Groups"] = [common.group_out(group) for group in out["Groups"]]
    return out


def update_group(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    group = common.group(ctx, params["GroupName"])
    common.authorize_new_name(ctx, "iam:UpdateGroup", group, params)
    new_name = params.get("NewGroupName")
    if new_name is not None and new_name.lower() != group.name.lower():
        if ctx.tx.get_group(ctx.account_id, new_name) is not None:
            raise EntityAlreadyExists(f"Group with name {new_name} already exists.")
    ctx.tx.rename_identity(group.id, new_name, params.get("NewPath"))
    return {}


def delete_group(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    group = common.group(ctx, params["GroupName"])
    if ctx.tx.list_group_members(group.id):
        raise DeleteConflict("Cannot delete entity, must remove users from group first.")
    if ctx.tx.list_inline_policies(group.id):
        raise DeleteConflict("Cannot delete entity, must delete policies first.")
    if ctx.tx.list_attached_policies(group.id):
        raise DeleteConflict("Cannot delete entity, must detach all policies first.")
    ctx.tx.delete_identity(group.id)
    return {}


def add_user_to_group(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    group = common.group(ctx, params["GroupName"])
    user = common.user(ctx, params["UserName"])
    groups = ctx.tx.list_groups_for_user(user.id)
    if all(found.id != group.id for found in groups) and len(groups) >= GROUPS_PER_USER:
        raise LimitExceeded(f"Cannot exceed quota for GroupsPerUser: {GROUPS_PER_USER}")
    ctx.tx.add_user_to_group(group.id, user.id)
    return {}


def remove_user_from_group(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    # The user is looked for first: neither existing, IAM names the user (recorded from AWS:
    # LocalStack's tests/aws/services/iam/test_iam_groups.snapshot.json,
    # remove-from-unknown-group, February 2026).
    user = common.user(ctx, params["UserName"])
    group = common.group(ctx, params["GroupName"])
    ctx.tx.remove_user_from_group(group.id, user.id)
    return {}

"""IAM users: CreateUser, GetUser, ListUsers, UpdateUser, DeleteUser, user permissions
boundaries and tags (IAM API reference, the operations of those names)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ...errors import DeleteConflict, EntityAlreadyExists, ValidationError
from ...policy.request import PrincipalKind
from ...store.interface import Conflict
from ..context import CallContext
from . import common, principal_ids


def create_user(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    name = params["UserName"]
    if ctx.tx.get_user(ctx.account_id, name) is not None:
        raise EntityAlreadyExists(f"User with name {name} already exists.")
    common.check_account_quota("user", ctx.tx.count_identities(ctx.account_id)["user"])
    boundary = params.get("PermissionsBoundary")
    if boundary is not None:
        common.boundary_policy(ctx, boundary)
    try:
        user = ctx.tx.create_user(ctx.account_id, name, params.get("Path") or "/")
    except Conflict:
        raise EntityAlreadyExists(f"User with name {name} already exists.") from None
    if boundary is not None:
        ctx.tx.set_permissions_boundary(user.id, boundary)
    common.set_create_tags(ctx, user.id, params.get("Tags"), action="iam:TagUser", arn=user.arn, any_case=True)
    return {"User": common.user_out(ctx.tx, common.user(ctx, name))}


def get_user(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    name = params.get("UserName")
    if name is None:
        # Without UserName, the caller: an IAM user, or the root user (its ARN and account ID).
        if ctx.caller.kind is PrincipalKind.ROOT:
            account = ctx.tx.get_account(ctx.account_id)
            assert account is not None
            # AWS answers the root user without Path and UserName, although the model
            # marks them required (observed with the AWS CLI as root; unconfirmed here).
            root: dict[str, Any] = {
                "UserId": ctx.account_id,
                "Arn": f"arn:aws:iam::{ctx.account_id}:root",
                "CreateDate": account.created,
            }
            return {"User": _with_password_last_used(root, ctx.tx.passwords_last_used(ctx.account_id).get(None))}
        if ctx.caller.kind is not PrincipalKind.USER or ctx.caller.name is None:
            raise ValidationError("Must specify userName when calling with non-User credentials")
        name = ctx.caller.name
    user = common.user(ctx, name)
    used = ctx.tx.passwords_last_used(ctx.account_id).get(user.id)
    return {"User": _with_password_last_used(common.user_out(ctx.tx, user), used)}


def list_users(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    users = ctx.tx.list_users(ctx.account_id, params.get("PathPrefix") or "/")
    out = common.paginate(users, params, "Users")
    used = ctx.tx.passwords_last_used(ctx.account_id)
    # ListUsers "returns all attributes except PermissionsBoundary, Tags" (IAM API Reference).
    out["Users"] = [
        _with_password_last_used(common.user_out(ctx.tx, found, tags=False, boundary=False), used.get(found.id))
        for found in out["Users"]
    ]
    return out


def _with_password_last_used(out: dict[str, Any], used: datetime | None) -> dict[str, Any]:
    """PasswordLastUsed: "the date and time ... when the user's password was last used to
    sign in to an AWS website ... This value is returned only in the GetUser and ListUsers
    operations", and not for a user who never signed in (User, IAM API reference). Sign-ins
    are the console's (``console/pages/signin.py``)."""
    if used is not None:
        out["PasswordLastUsed"] = used
    return out


def update_user(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    user = common.user(ctx, params["UserName"])
    common.authorize_new_name(ctx, "iam:UpdateUser", user, params)
    new_name = params.get("NewUserName")
    if new_name is not None and new_name.lower() != user.name.lower():
        if ctx.tx.get_user(ctx.account_id, new_name) is not None:
            raise EntityAlreadyExists(f"User with name {new_name} already exists.")
    renamed = ctx.tx.rename_identity(user.id, new_name, params.get("NewPath"))
    if renamed is not None:
        principal_ids.rename(ctx.tx, user.arn, renamed.arn)  # the policies trust the user, not the name
    return {}


def delete_user(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    """DeleteConflict while the user has what the API reference lists under DeleteUser
    (password, access keys, signing certificates, SSH public keys, Git credentials, MFA
    devices, inline and attached policies, groups), in AWS's words as recorded: signing
    certificates "must delete certificates first" (rebuy-de/aws-nuke#671), SSH public keys
    and service-specific credentials "must remove referenced objects first" (aws-nuke#470,
    #522; LocalStack's IAM snapshots)."""
    user = common.user(ctx, params["UserName"])
    tx = ctx.tx
    if tx.get_login_profile(user.id) is not None:
        raise DeleteConflict("Cannot delete entity, must delete login profile first.")
    if tx.list_access_keys(ctx.account_id, user.id):
        raise DeleteConflict("Cannot delete entity, must delete access keys first.")
    if tx.list_signing_certificates(ctx.account_id, user.id):
        raise DeleteConflict("Cannot delete entity, must delete certificates first.")
    if tx.list_ssh_public_keys(user.id) or tx.list_service_specific_credentials(ctx.account_id, user.id):
        raise DeleteConflict("Cannot delete entity, must remove referenced objects first.")
    if any(device.user_id == user.id for device in tx.list_mfa_devices(ctx.account_id)):
        raise DeleteConflict("Cannot delete entity, must delete MFA device first.")
    if tx.list_inline_policies(user.id):
        raise DeleteConflict("Cannot delete entity, must delete policies first.")
    if tx.list_attached_policies(user.id):
        raise DeleteConflict("Cannot delete entity, must detach all policies first.")
    if tx.list_groups_for_user(user.id):
        raise DeleteConflict("Cannot delete entity, must remove users from group first.")
    try:
        tx.delete_identity(user.id)
    except Conflict:
        raise DeleteConflict("Cannot delete entity, must detach all policies first.") from None
    principal_ids.retire(tx, user.arn, user.id)  # a new user of this name is not trusted
    return {}


def put_user_permissions_boundary(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    user = common.user(ctx, params["UserName"])
    common.boundary_policy(ctx, params["PermissionsBoundary"])
    ctx.tx.set_permissions_boundary(user.id, params["PermissionsBoundary"])
    return {}


def delete_user_permissions_boundary(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    user = common.user(ctx, params["UserName"])
    ctx.tx.set_permissions_boundary(user.id, None)
    return {}


def _user_id(ctx: CallContext, params: dict[str, Any]) -> str:
    return common.user(ctx, params["UserName"]).id


# A user's tag keys compare case-insensitively ("Tagging IAM resources", common.py).
tag_user, untag_user, _ = common.tag_operations(_user_id, any_case=True)


def list_user_tags(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    user = common.user(ctx, params["UserName"])
    return common.paginate(common.tags_of(ctx.tx, user.id), params, "Tags")

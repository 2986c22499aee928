"""IAM roles: CreateRole, GetRole, ListRoles, UpdateRole, UpdateRoleDescription,
UpdateAssumeRolePolicy, DeleteRole, role permissions boundaries and tags (IAM API
reference). MaxSessionDuration is 3,600 to 43,200 seconds (CreateRole)."""

from __future__ import annotations

from typing import Any

from ...errors import DeleteConflict, EntityAlreadyExists, ValidationError
from ...store.interface import Conflict
from ..context import CallContext
from . import common, principal_ids
from .documents import trust_document
from .instance_profiles import REMOVE_ROLES_FIRST
from .service_linked import protect


def _check_duration(value: int | None) -> None:
    # The model's range; the query protocol's ValidationError wording.
    if value is None:
        return
    if value < 3600:
        raise ValidationError(
            f"1 validation error detected: Value '{value}' at 'maxSessionDuration' failed to satisfy"
            " constraint: Member must have value greater than or equal to 3600"
        )
    if value > 43200:
        raise ValidationError(
            f"1 validation error detected: Value '{value}' at 'maxSessionDuration' failed to satisfy"
            " constraint: Member must have value less than or equal to 43200"
        )


def create_role(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    name = params["RoleName"]
    duration = params.get("MaxSessionDuration")
    _check_duration(duration)
    if ctx.tx.get_role(ctx.account_id, name) is not None:
        raise EntityAlreadyExists(f"Role with name {name} already exists.")
    common.check_account_quota("role", ctx.tx.count_identities(ctx.account_id)["role"])
    document = params["AssumeRolePolicyDocument"]
    trust_document(ctx.tx, document)
    boundary = params.get("PermissionsBoundary")
    if boundary is not None:
        common.boundary_policy(ctx, boundary)
    try:
        role = ctx.tx.create_role(
            ctx.account_id,
            name,
            document,
            path=params.get("Path") or "/",
            description=params.get("Description"),
            max_session_duration=duration or 3600,
            permissions_boundary=boundary,
        )
    except Conflict:
        raise EntityAlreadyExists(f"Role with name {name} already exists.") from None
    common.set_create_tags(ctx, role.id, params.get("Tags"), action="iam:TagRole", arn=role.arn, any_case=True)
    return {"Role": common.role_out(ctx.tx, role, full=False, description=False)}


def get_role(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    role = common.role(ctx, params["RoleName"])
    out = common.role_out(ctx.tx, role, full=True)
    out["RoleLastUsed"] = common.role_last_used(role)
    return {"Role": out}


def list_roles(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    out = common.paginate(ctx.tx.list_roles(ctx.account_id, params.get("PathPrefix") or "/"), params, "Roles")
    out["Roles"] = [common.role_out(ctx.tx, role, full=True, listed=True) for role in out["Roles"]]
    return out


def update_role(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    role = common.role(ctx, params["RoleName"])
    _check_duration(params.get("MaxSessionDuration"))
    ctx.tx.update_role(
        role.id, description=params.get("Description"), max_session_duration=params.get("MaxSessionDuration")
    )
    return {}


def update_role_description(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    role = common.role(ctx, params["RoleName"])
    updated = ctx.tx.update_role(role.id, description=params["Description"])
    assert updated is not None
    return {"Role": common.role_out(ctx.tx, updated, full=False)}


def update_assume_role_policy(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    role = common.role(ctx, params["RoleName"])
    protect(role)  # a service-linked role is only modifiable by AWS
    trust_document(ctx.tx, params["PolicyDocument"])
    ctx.tx.update_role(role.id, trust_policy=params["PolicyDocument"])
    return {}


def delete_role(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    role = common.role(ctx, params["RoleName"])
    protect(role)  # a service-linked role is only modifiable by AWS
    if ctx.tx.list_inline_policies(role.id):
        raise DeleteConflict("Cannot delete entity, must delete policies first.")
    if ctx.tx.list_attached_policies(role.id):
        raise DeleteConflict("Cannot delete entity, must detach all policies first.")
    # DeleteRole lists "Instance profile (RemoveRoleFromInstanceProfile)" among the items to
    # remove first; AWS's message, quoted by clients that hit it: 99designs/iamy #68,
    # rebuy-de/aws-nuke #702. Which conflict is reported first when several hold is
    # unconfirmed (here: the API reference's order).
    if ctx.tx.list_instance_profiles_for_role(role.id):
        raise DeleteConflict(REMOVE_ROLES_FIRST)
    ctx.tx.delete_identity(role.id)
    principal_ids.retire(ctx.tx, role.arn, role.id)  # a new role of this name is not trusted
    return {}


def put_role_permissions_boundary(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    role = common.role(ctx, params["RoleName"])
    protect(role)  # a service-linked role is only modifiable by AWS
    common.boundary_policy(ctx, params["PermissionsBoundary"])
    ctx.tx.set_permissions_boundary(role.id, params["PermissionsBoundary"])
    return {}


def delete_role_permissions_boundary(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    role = common.role(ctx, params["RoleName"])
    protect(role)  # a service-linked role is only modifiable by AWS
    ctx.tx.set_permissions_boundary(role.id, None)
    return {}


def _role_id(ctx: CallContext, params: dict[str, Any]) -> str:
    return common.role(ctx, params["RoleName"]).id


# A role's tag keys compare case-insensitively ("Tagging IAM resources", common.py).
tag_role, untag_role, _ = common.tag_operations(_role_id, any_case=True)


def list_role_tags(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    role = common.role(ctx, params["RoleName"])
    return common.paginate(common.tags_of(ctx.tx, role.id), params, "Tags")

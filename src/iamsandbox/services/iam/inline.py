"""Inline policies of users, groups and roles: Put/Get/Delete/List{User,Group,Role}Policy
(IAM API reference). Sizes count per entity (``documents.inline_document``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...errors import NoSuchEntity
from ...store.interface import Identity
from ..context import CallContext, Handler
from . import common
from .documents import inline_document
from .service_linked import protect

_LOOKUP: dict[str, Callable[[CallContext, str], Identity]] = {
    "user": common.user,
    "group": common.group,
    "role": common.role,
}
_NAME_MEMBER = {"user": "UserName", "group": "GroupName", "role": "RoleName"}


def _owner(ctx: CallContext, kind: str, params: dict[str, Any]) -> Identity:
    return _LOOKUP[kind](ctx, params[_NAME_MEMBER[kind]])


def _put(kind: str) -> Handler:
    def put(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
        owner = _owner(ctx, kind, params)
        protect(owner)  # a service-linked role is only modifiable by AWS
        name, document = params["PolicyName"], params["PolicyDocument"]
        others = [p.document for p in ctx.tx.list_inline_policies(owner.id) if p.name != name]
        inline_document(document, kind, owner.name, others)
        ctx.tx.put_inline_policy(owner.id, name, document)
        return {}

    return put


def _get(kind: str) -> Handler:
    def get(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
        owner = _owner(ctx, kind, params)
        name = params["PolicyName"]
        found = ctx.tx.get_inline_policy(owner.id, name)
        if found is None:
            raise NoSuchEntity(f"The {kind} policy with name {name} cannot be found.")
        return {
            _NAME_MEMBER[kind]: owner.name,
            "PolicyName": found.name,
            "PolicyDocument": common.encode_document(found.document),
        }

    return get


def _delete(kind: str) -> Handler:
    def delete(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
        owner = _owner(ctx, kind, params)
        protect(owner)  # a service-linked role is only modifiable by AWS
        name = params["PolicyName"]
        if not ctx.tx.delete_inline_policy(owner.id, name):
            raise NoSuchEntity(f"The {kind} policy with name {name} cannot be found.")
        return {}

    return delete


def _list(kind: str) -> Handler:
    def list_(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
        owner = _owner(ctx, kind, params)
        names = [p.name for p in ctx.tx.list_inline_policies(owner.id)]
        return common.paginate(names, params, "PolicyNames")

    return list_


put_user_policy, get_user_policy, delete_user_policy, list_user_policies = (
    _put("user"),
    _get("user"),
    _delete("user"),
    _list("user"),
)
put_group_policy, get_group_policy, delete_group_policy, list_group_policies = (
    _put("group"),
    _get("group"),
    _delete("group"),
    _list("group"),
)
put_role_policy, get_role_policy, delete_role_policy, list_role_policies = (
    _put("role"),
    _get("role"),
    _delete("role"),
    _list("role"),
)

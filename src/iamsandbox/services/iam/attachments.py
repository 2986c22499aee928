"""Managed policies attached to users, groups and roles: Attach/Detach{User,Group,Role}Policy
and ListAttached{User,Group,Role}Policies (IAM API reference). At most 10 per entity (the
default quota, "IAM and AWS STS quotas"); AWS managed policies attach like customer ones."""

from __future__ import annotations

from typing import Any

from ...errors import LimitExceeded, NoSuchEntity, PolicyNotAttachable
from ..context import CallContext, Handler
from . import common
from .inline import _owner
from .service_linked import protect


def _attach(kind: str) -> Handler:
    def attach(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
        owner = _owner(ctx, kind, params)
        protect(owner)  # a service-linked role is only modifiable by AWS
        arn = params["PolicyArn"]
        common.attachable_policy(ctx, arn)
        if arn.startswith(common.SERVICE_ROLE_POLICIES):
            # "Amazon Web Services service role policies can only be attached to the
            # service-linked role for that service" (PolicyNotAttachable, IAM API reference);
            # AWS's words for a role as recorded in aws/aws-cdk#6131 (for a user or a group:
            # unconfirmed).
            raise PolicyNotAttachable("Cannot attach a Service Role Policy to a Customer Role.")
        attached = ctx.tx.list_attached_policies(owner.id)
        if arn in attached:
            return {}
        quota_name, quota = common.ATTACHED_QUOTA[kind]
        if len(attached) >= quota:
            raise LimitExceeded(f"Cannot exceed quota for {quota_name}: {quota}")
        ctx.tx.attach_policy(owner.id, arn)
        return {}

    return attach


def _detach(kind: str) -> Handler:
    def detach(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
        owner = _owner(ctx, kind, params)
        protect(owner)  # a service-linked role is only modifiable by AWS
        arn = params["PolicyArn"]
        common.check_arn(arn)
        if not ctx.tx.detach_policy(owner.id, arn):
            raise NoSuchEntity(f"Policy {arn} was not found.")
        return {}

    return detach


def _list(kind: str) -> Handler:
    def list_(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
        owner = _owner(ctx, kind, params)
        prefix = params.get("PathPrefix") or "/"
        attached = []
        for arn in ctx.tx.list_attached_policies(owner.id):
            resource = arn.split(":", 5)[5]  # policy/PATH/NAME
            path, _, name = resource[len("policy") :].rpartition("/")
            if (path + "/").startswith(prefix):
                attached.append({"PolicyName": name, "PolicyArn": arn})
        return common.paginate(attached, params, "AttachedPolicies")

    return list_


attach_user_policy, detach_user_policy, list_attached_user_policies = (_attach("user"), _detach("user"), _list("user"))
attach_group_policy, detach_group_policy, list_attached_group_policies = (
    _attach("group"),
    _detach("group"),
    _list("group"),
)
attach_role_policy, detach_role_policy, list_attached_role_policies = (_attach("role"), _detach("role"), _list("role"))

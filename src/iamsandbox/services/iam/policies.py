"""Managed policies: CreatePolicy, GetPolicy, ListPolicies (Scope All|AWS|Local,
OnlyAttached, PathPrefix), DeletePolicy, the version operations (at most five versions:
"IAM and AWS STS quotas"), and policy tags. AWS managed policies are package data seen by
every account at arn:aws:iam::aws:policy/... (``managed_policies``)."""

from __future__ import annotations

from typing import Any

from ...errors import DeleteConflict, EntityAlreadyExists, LimitExceeded, NoSuchEntity
from ...store.interface import Conflict, ManagedPolicy, PolicyVersion
from ..context import CallContext
from . import common
from .documents import managed_document
from .managed_policies import ManagedPolicy as AwsManagedPolicy

MAX_VERSIONS = 5


def create_policy(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    name = params["PolicyName"]
    path = params.get("Path") or "/"
    document = params["PolicyDocument"]
    managed_document(document)
    arn = f"arn:aws:iam::{ctx.account_id}:policy{path}{name}"
    policies = ctx.tx.list_policies(ctx.account_id)
    if any(found.name.lower() == name.lower() for found in policies):
        raise EntityAlreadyExists(f"A policy called {name} already exists. Duplicate names are not allowed.")
    common.check_account_quota("policy", len(policies))
    try:
        policy = ctx.tx.create_policy(ctx.account_id, name, document, path, params.get("Description"))
    except Conflict:
        raise EntityAlreadyExists(f"A policy called {name} already exists. Duplicate names are not allowed.") from None
    assert policy.arn == arn
    common.set_create_tags(ctx, policy.id, params.get("Tags"), action="iam:TagPolicy", arn=arn)
    out = common.customer_policy_out(policy)
    out.pop("Description", None)  # CreatePolicy's answer leaves it out (API reference example)
    tags = common.tags_of(ctx.tx, policy.id)
    if tags:
        out["Tags"] = tags
    return {"Policy": out}


def get_policy(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    arn = params["PolicyArn"]
    found = common.policy_visible(ctx, arn)
    if found is None:
        raise NoSuchEntity(f"Policy {arn} was not found.")
    counts = common.account_attachment_counts(ctx.tx, ctx.account_id)
    uses = common.boundary_usage(ctx.tx, ctx.account_id).get(arn, 0)
    # GetPolicy answers "Tags": [] without tags, for customer managed and AWS managed policies
    # alike (recorded from AWS: LocalStack's tests/aws/services/iam/test_iam_policies and
    # test_iam_managed_policies snapshots, get-policy-response, get-policy, February 2026).
    if isinstance(found, AwsManagedPolicy):
        out = common.aws_policy_out(found, attachments=counts.get(arn, 0), boundary_uses=uses)
        out["Tags"] = []
        return {"Policy": out}
    out = common.customer_policy_out(found, boundary_uses=uses)
    out["Tags"] = common.tags_of(ctx.tx, found.id)
    return {"Policy": out}


def list_policies(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    scope = params.get("Scope") or "All"
    prefix = params.get("PathPrefix") or "/"
    entries: list[ManagedPolicy | AwsManagedPolicy] = []
    # The account's own policies first: ListPolicies with no Scope answered a policy just
    # created on its first page, among 1,300 and more AWS managed ones (recorded from AWS:
    # LocalStack's tests/aws/services/iam/test_iam_policies.snapshot.json, filtered-policy-list,
    # February 2026).
    if scope in ("All", "Local"):
        entries.extend(ctx.tx.list_policies(ctx.account_id, prefix))
    if scope in ("All", "AWS"):
        entries.extend(p for p in ctx.shared.managed_policies.all() if p.path.startswith(prefix))
    counts = common.account_attachment_counts(ctx.tx, ctx.account_id)
    if params.get("OnlyAttached"):
        entries = [entry for entry in entries if counts.get(entry.arn)]
    uses = common.boundary_usage(ctx.tx, ctx.account_id)
    # PolicyUsageFilter (ListPolicies): "To list only the policies used to set permissions
    # boundaries, set the value to PermissionsBoundary". PermissionsPolicy keeps every
    # managed policy, attached or not (each is a permissions policy): code written against
    # AWS looks up an AWS managed policy it has not attached yet with it (ec2mc's
    # get_ssm_policy_arn), or gathers "all existing AWS managed IAM policies" so.
    if params.get("PolicyUsageFilter") == "PermissionsBoundary":
        entries = [entry for entry in entries if uses.get(entry.arn)]
    out = common.paginate(entries, params, "Policies")
    shaped = []
    for entry in out["Policies"]:
        if isinstance(entry, AwsManagedPolicy):
            shaped.append(
                common.aws_policy_out(entry, attachments=counts.get(entry.arn, 0), boundary_uses=uses.get(entry.arn, 0))
            )
        else:
            item = common.customer_policy_out(entry, boundary_uses=uses.get(entry.arn, 0))
            item.pop("Description", None)  # ListPolicies does not return it (API reference)
            shaped.append(item)
    out["Policies"] = shaped
    return out


def delete_policy(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    policy = common.customer_policy(ctx, params["PolicyArn"])
    if policy.attachment_count or common.boundary_usage(ctx.tx, ctx.account_id).get(policy.arn):
        raise DeleteConflict("Cannot delete a policy attached to entities.")
    if len(ctx.tx.list_policy_versions(policy.arn)) > 1:
        # DeletePolicy (API reference): delete every non-default version first; AWS's wording.
        raise DeleteConflict(
            "This policy has more than one version. Before you delete a policy, you must delete"
            " the policy's versions. The default version is deleted with the policy."
        )
    ctx.tx.delete_policy(policy.arn)
    return {}


def _version_out(version: PolicyVersion | None, aws: AwsManagedPolicy | None = None) -> dict[str, Any]:
    if aws is not None:
        from datetime import datetime

        return {
            "Document": common.encode_document(aws.document),
            "VersionId": aws.version,
            "IsDefaultVersion": True,
            "CreateDate": datetime.fromisoformat((aws.updated or aws.created).replace("Z", "+00:00")),
        }
    assert version is not None
    return {
        "Document": common.encode_document(version.document),
        "VersionId": version.version_id,
        "IsDefaultVersion": version.is_default,
        "CreateDate": version.created,
    }


def create_policy_version(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    policy = common.customer_policy(ctx, params["PolicyArn"])
    managed_document(params["PolicyDocument"])
    if policy.version_count >= MAX_VERSIONS:
        raise LimitExceeded(
            "A managed policy can have up to 5 versions. Before you create a new version,"
            " you must delete an existing version."
        )
    version = ctx.tx.create_policy_version(policy.arn, params["PolicyDocument"], bool(params.get("SetAsDefault")))
    out = _version_out(version)
    del out["Document"]  # CreatePolicyVersion answers without the document (API reference example)
    return {"PolicyVersion": out}


def _version_missing(arn: str, version_id: str) -> NoSuchEntity:
    # A version, or the policy itself, IAM cannot find: recorded from AWS for a policy that
    # does not exist (LocalStack's tests/aws/services/iam/test_iam_policies.snapshot.json,
    # err-get-version-nonexistent-policy, err-set-default-nonexistent-policy, February 2026).
    return NoSuchEntity(f"Policy {arn} version {version_id} does not exist or is not attachable.")


def get_policy_version(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    arn, version_id = params["PolicyArn"], params["VersionId"]
    found = common.policy_visible(ctx, arn)
    if found is None:
        raise _version_missing(arn, version_id)
    if isinstance(found, AwsManagedPolicy):
        if version_id != found.version:
            raise _version_missing(arn, version_id)
        return {"PolicyVersion": _version_out(None, found)}
    version = ctx.tx.get_policy_version(arn, version_id)
    if version is None:
        raise _version_missing(arn, version_id)
    return {"PolicyVersion": _version_out(version)}


def list_policy_versions(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    arn = params["PolicyArn"]
    found = common.policy_visible(ctx, arn)
    if found is None:
        raise NoSuchEntity(f"Policy {arn} was not found.")
    if isinstance(found, AwsManagedPolicy):
        versions = [_version_out(None, found)]
    else:
        versions = [_version_out(version) for version in ctx.tx.list_policy_versions(arn)]
    for version in versions:
        del version["Document"]  # ListPolicyVersions leaves documents out (API reference)
    return common.paginate(versions, params, "Versions")


def set_default_policy_version(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    try:
        policy = common.customer_policy(ctx, params["PolicyArn"])
    except NoSuchEntity:
        raise _version_missing(params["PolicyArn"], params["VersionId"]) from None
    if not ctx.tx.set_default_policy_version(policy.arn, params["VersionId"]):
        raise _version_missing(policy.arn, params["VersionId"])
    return {}


def delete_policy_version(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    policy = common.customer_policy(ctx, params["PolicyArn"])
    version_id = params["VersionId"]
    if version_id == policy.default_version_id:
        raise DeleteConflict("Cannot delete the default version of a policy.")
    if not ctx.tx.delete_policy_version(policy.arn, version_id):
        raise _version_missing(policy.arn, version_id)
    return {}


def tag_policy(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    policy = common.customer_policy(ctx, params["PolicyArn"])
    ctx.tx.set_tags(ctx.account_id, policy.id, common.merge_tags(ctx.tx.get_tags(policy.id), params["Tags"]))
    return {}


def untag_policy(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    policy = common.customer_policy(ctx, params["PolicyArn"])
    remove = set(params["TagKeys"])
    kept = {key: value for key, value in ctx.tx.get_tags(policy.id).items() if key not in remove}
    ctx.tx.set_tags(ctx.account_id, policy.id, kept)
    return {}


def list_policy_tags(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    """A policy's tags in IAM's key order (``common.tags_in_key_order``), where GetPolicy keeps
    the order given (test_iam_policies snapshot, test_policy_tag_order)."""
    policy = common.customer_policy(ctx, params["PolicyArn"])
    return common.paginate(common.tags_in_key_order(ctx.tx.get_tags(policy.id)), params, "Tags")

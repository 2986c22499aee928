"""What the IAM handlers share: lookups with AWS's NoSuchEntity messages, pagination,
output shapes of users, groups, roles and policies, tags, policy ARNs.

Output members follow botocore's IAM model (``User``, ``Group``, ``Role``, ``Policy``
shapes); policy documents go out URL-encoded, as IAM returns them ("The policy document
returned in this structure is URL-encoded compliant with RFC 3986": GetRolePolicy and
friends in the IAM API reference). Marker is an opaque offset into the list's order.
"""

from __future__ import annotations

import base64
import binascii
import bisect
import hashlib
import json
import re
from collections.abc import Callable, Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any, TypeVar
from urllib.parse import quote

from ...authz.context import request_tag_keys
from ...errors import InvalidInput, LimitExceeded, NoSuchEntity, PolicyNotAttachable, ValidationError
from ...policy.request import PrincipalKind
from ...store.interface import Group, Identity, ManagedPolicy, Role, Transaction, User
from ..context import CallContext, Handler
from .managed_policies import ManagedPolicy as AwsManagedPolicy

T = TypeVar("T")

AWS_POLICY_PREFIX = "arn:aws:iam::aws:policy/"
SERVICE_ROLE_POLICIES = AWS_POLICY_PREFIX + "aws-service-role/"
# "IAM and AWS STS quotas": managed policies attached to an IAM role / user / group: 10 (default).
ATTACHED_QUOTA = {"role": ("PoliciesPerRole", 10), "user": ("PoliciesPerUser", 10), "group": ("PoliciesPerGroup", 10)}
# The same page: users (5000), groups (300), roles (1000) and customer managed policies (1500)
# in an AWS account; GetAccountSummary answers them as UsersQuota, GroupsQuota, RolesQuota and
# PoliciesQuota. LimitExceeded names them as it names InstanceProfilesPerAccount (recorded).
ACCOUNT_QUOTA = {
    "user": ("UsersPerAccount", 5000),
    "group": ("GroupsPerAccount", 300),
    "role": ("RolesPerAccount", 1000),
    "policy": ("PoliciesPerAccount", 1500),
}


@lru_cache(maxsize=1024)
def encode_document(text: str) -> str:
    """A policy document as IAM answers it, URL-encoded (RFC 3986); kept by text, since the
    same documents are answered again and again (a role's trust policy, ListRoles)."""
    return quote(text, safe="-_.~")


def check_account_quota(kind: str, count: int) -> None:
    """LimitExceeded (409) when the account already has its quota of ``kind`` (ACCOUNT_QUOTA)."""
    name, quota = ACCOUNT_QUOTA[kind]
    if count >= quota:
        raise LimitExceeded(f"Cannot exceed quota for {name}: {quota}")


def paginate(items: Sequence[T], params: dict[str, Any], member: str) -> dict[str, Any]:
    """``{member: page, IsTruncated, Marker?}``; MaxItems defaults to 100 (every IAM list
    operation's documented default).

    The Marker names the list it came from and the last item it returned, not only a
    position: a caller that deletes what it was given before it asks for the next page (a
    boto3 paginator's loop that deletes each user) goes on after that item, as in AWS,
    instead of skipping as many items as it deleted. A marker of another list, or one
    iamsandbox did not give, is 400 ValidationError "Invalid Marker." (AWS's markers are tied
    to their list: a ListUsers marker on ListAccessKeys answers "Invalid Marker",
    trek10inc/awsets#21; the code and words as recorded from AWS for ListVirtualMFADevices,
    LocalStack's tests/aws/services/iam/test_iam_mfa.snapshot.json, February 2026)."""
    marker = params.get("Marker")
    start = 0 if marker is None else _resume(items, marker, member)
    size = int(params.get("MaxItems") or 100)
    page = list(items[start : start + size])
    out: dict[str, Any] = {member: page, "IsTruncated": start + size < len(items)}
    if out["IsTruncated"]:
        out["Marker"] = _marker(member, start + size, items[start + size - 1])
    return out


def invalid_marker() -> ValidationError:
    """A Marker the list did not give (``paginate``)."""
    return ValidationError("Invalid Marker.")


_MARKER_KEY = 100  # characters of the last item's key a marker keeps (a Marker is at most 320)


def _item_key(item: object) -> str:
    """What a marker remembers of an item: its name (or tag key), else its ARN or text."""
    if isinstance(item, str):
        key = item
    elif isinstance(item, dict):
        named = [value for name, value in item.items() if name.endswith("Name") or name in ("Key", "VersionId")]
        key = str(named[0]) if named else json.dumps(item, sort_keys=True, default=str)
    else:  # a store record: only its name or ARN (never its text, which may hold a secret)
        key = str(getattr(item, "name", None) or getattr(item, "arn", None) or "")
    return key[:_MARKER_KEY]


def _marker(member: str, offset: int, last: object) -> str:
    text = json.dumps([member, offset, _item_key(last)], separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode("ascii").rstrip("=")


def _resume(items: Sequence[object], marker: str, member: str) -> int:
    """Where the page after ``marker`` starts (``paginate``)."""
    try:
        decoded = json.loads(base64.urlsafe_b64decode(marker + "=" * (-len(marker) % 4)))
        name, offset, key = decoded
        valid = name == member and type(offset) is int and offset > 0 and isinstance(key, str)
    except (ValueError, TypeError, binascii.Error):  # UnicodeDecodeError is a ValueError
        valid = False
    if not valid:
        raise invalid_marker()
    if offset <= len(items) and _item_key(items[offset - 1]) == key:
        return int(offset)  # nothing before it changed
    keys = [_item_key(item) for item in items]
    if key in keys:
        return keys.index(key) + 1  # items before it were deleted or added
    if all(a <= b for a, b in zip(keys, keys[1:], strict=False)):
        return bisect.bisect_right(keys, key)  # it was deleted: after where it sorted
    return min(int(offset), len(items))


# --- lookups ---------------------------------------------------------------------------


def user(ctx: CallContext, name: str) -> User:
    found = ctx.tx.get_user(ctx.account_id, name)
    if found is None:
        raise NoSuchEntity(f"The user with name {name} cannot be found.")
    return found


def credential_owner(ctx: CallContext, params: dict[str, Any]) -> User | None:
    """Whose access keys, signing certificates (...) an operation with an optional UserName
    acts on: the user named, else the calling IAM user, else None for the root user ("If
    you do not specify a user name, IAM determines the user name implicitly based on the
    AWS access key ID signing the request", CreateAccessKey, UploadSigningCertificate)."""
    name = params.get("UserName")
    if name is not None:
        return user(ctx, name)
    if ctx.caller.kind is PrincipalKind.ROOT:
        return None
    if ctx.caller.kind is PrincipalKind.USER and ctx.caller.name:
        return user(ctx, ctx.caller.name)
    raise ValidationError("Must specify userName when calling with non-User credentials")


def group(ctx: CallContext, name: str) -> Group:
    found = ctx.tx.get_group(ctx.account_id, name)
    if found is None:
        raise NoSuchEntity(f"The group with name {name} cannot be found.")
    return found


def role(ctx: CallContext, name: str) -> Role:
    found = ctx.tx.get_role(ctx.account_id, name)
    if found is None:
        raise NoSuchEntity(f"The role with name {name} cannot be found.")
    return found


def check_arn(arn: str) -> None:
    """A PolicyArn that is not an ARN: ValidationError "ARN longpolicynamebutnoarn is not
    valid." (recorded from AWS for AttachRolePolicy in February 2026, LocalStack's
    tests/aws/services/iam/test_iam_roles.snapshot.json, non-existent-malformed-policy-arn;
    the June 2025 recording of the same call, test_iam's test_role_attach_policy, answered
    "Invalid ARN:  Could not be parsed!")."""
    if not arn.startswith("arn:") or len(arn.split(":", 5)) < 6:
        raise ValidationError(f"ARN {arn} is not valid.")


def policy_visible(ctx: CallContext, arn: str) -> ManagedPolicy | AwsManagedPolicy | None:
    """The customer managed policy of this account, or the AWS managed policy, at ``arn``."""
    check_arn(arn)
    if arn.startswith(AWS_POLICY_PREFIX):
        return ctx.shared.managed_policies.get(arn)
    found = ctx.tx.get_policy(arn)
    if found is None or found.account_id != ctx.account_id:
        return None
    return found


# A managed policy's ARN as IAM takes it: no Region, the aws partition, "aws" or an account,
# a path and name of the name pattern's characters.
_POLICY_ARN = re.compile(r"arn:aws:iam::(?:aws|[0-9]{12}):policy/[\w+=,.@/-]+", re.ASCII)


def boundary_policy(ctx: CallContext, arn: str) -> ManagedPolicy | AwsManagedPolicy:
    """The policy a permissions boundary names (``attachable_policy``), never an AWS service
    role policy: PutUserPermissionsBoundary and PutRolePermissionsBoundary list
    PolicyNotAttachable, "The request failed because AWS service role policies can only be
    attached to the service-linked role for that service" (IAM API Reference; the message
    is that description, AWS's own wording is unrecorded). A boundary of no policy is named
    by IAM as the "Scope ARN", not as the attach operations' "Policy": "NoSuchEntity: Scope
    ARN: arn:aws:iam::...:policy/... does not exist or is not attachable." (404), recorded
    from CreateRole with a PermissionsBoundary (openshift/rosa's test cases, and a SAM
    deployment's "Status Code: 404" for its PermissionsBoundary)."""
    found = attachable_policy(ctx, arn, "Scope ARN:")
    if arn.startswith(SERVICE_ROLE_POLICIES):
        raise PolicyNotAttachable(
            "The request failed because AWS service role policies can only be attached to the service-linked"
            " role for that service."
        )
    return found


def attachable_policy(ctx: CallContext, arn: str, named: str = "Policy") -> ManagedPolicy | AwsManagedPolicy:
    """The policy an Attach* or a permissions boundary names. An ARN that is no policy's ARN
    is InvalidInput "ARN ... is not valid." (400: AWS's answer to a doubled ARN, quoted in
    aws-samples/aws-cdk-examples#287; IAM validates "all elements of an IAM resource ARN"
    since 2024); a well-formed one of no policy, NoSuchEntity."""
    check_arn(arn)
    if not _POLICY_ARN.fullmatch(arn):
        raise InvalidInput(f"ARN {arn} is not valid.")
    found = policy_visible(ctx, arn)
    if found is None:
        # Recorded from AWS (LocalStack's test_iam snapshot, "valid_arn_not_existent").
        raise NoSuchEntity(f"{named} {arn} does not exist or is not attachable.")
    return found


def customer_policy(ctx: CallContext, arn: str) -> ManagedPolicy:
    check_arn(arn)
    found = ctx.tx.get_policy(arn)
    if found is None or found.account_id != ctx.account_id:
        # Recorded from AWS (LocalStack's test_iam snapshot, DeletePolicy of a missing one).
        raise NoSuchEntity(f"Policy {arn} was not found.")
    return found


# --- tags ------------------------------------------------------------------------------


def tag_list(tags: dict[str, str]) -> list[dict[str, str]]:
    return [{"Key": key, "Value": value} for key, value in tags.items()]


def tags_of(tx: Transaction, resource_id: str) -> list[dict[str, str]]:
    return tag_list(tx.get_tags(resource_id))


def tags_in_key_order(tags: dict[str, str]) -> list[dict[str, str]]:
    """Tags "sorted by tag key" (the API reference of ListMFADeviceTags, ListPolicyTags, ...)
    as IAM sorts them: shorter keys first, then by code point. Recorded from AWS for
    ListPolicyTags (LocalStack's test_iam_policies snapshot, test_policy_tag_order, February
    2026: keys given as abc, b, z, a are listed a, b, z, abc); the AWS CLI Command Reference's
    examples of list-policy-tags, list-instance-profile-tags, list-mfa-device-tags,
    list-open-id-connect-provider-tags, list-saml-provider-tags, list-server-certificate-tags
    and get-saml-provider all list DeptID before Department. Users and roles keep the order
    written instead (recorded: test_iam_users, test_user_tag_lifecycle)."""
    return [{"Key": key, "Value": tags[key]} for key in sorted(tags, key=lambda key: (len(key), key))]


RESERVED_TAG_PREFIX = "aws:"


def check_reserved_tags(tags: Sequence[dict[str, str]]) -> None:
    """Refuse a tag whose key or value begins with "aws:": "You cannot create a tag key or
    value that begins with the text aws:. This tag prefix is reserved for AWS internal
    use" ("Tagging IAM resources", Rules for tagging in IAM and AWS STS). The prefix is
    matched in any case, as other services' tagging pages (and S3's check here) have it.
    Unconfirmed for IAM: the case rule, the error code InvalidInput and the message."""
    for tag in tags:
        key, value = tag["Key"], tag.get("Value", "")
        if key.lower().startswith(RESERVED_TAG_PREFIX):
            raise InvalidInput(f"Tag key '{key}' is invalid: the 'aws:' prefix is reserved for AWS use.")
        if value.lower().startswith(RESERVED_TAG_PREFIX):
            raise InvalidInput(f"Tag value of key '{key}' is invalid: the 'aws:' prefix is reserved for AWS use.")


def tag_operations(
    resource_id: Callable[[CallContext, dict[str, Any]], str], *, any_case: bool = False
) -> tuple[Handler, Handler, Handler]:
    """Tag*, Untag* and List*Tags of a resource kind whose tags are kept under the id that
    ``resource_id`` finds from the request (raising NoSuchEntity when it finds none):
    users, roles, instance profiles, OIDC providers, MFA devices. List*Tags answers in IAM's
    key order (``tags_in_key_order``). ``any_case``: the kind's tag keys compare case-insensitively (``merge_tags``)."""

    def tag(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
        found = resource_id(ctx, params)
        ctx.tx.set_tags(ctx.account_id, found, merge_tags(ctx.tx.get_tags(found), params["Tags"], any_case=any_case))
        return {}

    def untag(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
        found = resource_id(ctx, params)
        kept = remove_tags(ctx.tx.get_tags(found), params["TagKeys"], any_case=any_case)
        ctx.tx.set_tags(ctx.account_id, found, kept)
        return {}

    def list_tags(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
        found = resource_id(ctx, params)
        return paginate(tags_in_key_order(ctx.tx.get_tags(found)), params, "Tags")

    return tag, untag, list_tags


# "Tagging IAM resources", Case sensitivity (IAM User Guide): "Tag key values for IAM users
# and roles are not case sensitive, but case is preserved. This means that you cannot have
# separate Department and department tag keys. If you have tagged a user with the
# Department=finance tag and you add the department=hr tag, it replaces the first tag."
# For the other IAM resource types tag keys are case sensitive: a policy takes "a" and "A"
# in one request (recorded from AWS, LocalStack's tests/aws/services/iam/
# test_iam_policies.snapshot.json, create-with-case-sensitive-tags, February 2026). That the
# replacing tag's spelling is the one kept, and that Untag* removes a key in any case, is
# unconfirmed; the replaced tag keeps its place (recorded for TagRole, test_iam_roles).
DUPLICATE_TAG_KEYS = "Duplicate tag keys found."
# Users' and roles' (recorded for roles, test_iam_roles; for policies the first sentence only).
DUPLICATE_TAG_KEYS_ANY_CASE = DUPLICATE_TAG_KEYS + " Please note that Tag keys are case insensitive."


def check_unique_tag_keys(tags: Sequence[dict[str, str]], *, any_case: bool = False) -> None:
    """One request's keys must differ (in any case for users and roles)."""
    keys = [tag["Key"].lower() for tag in tags] if any_case else [tag["Key"] for tag in tags]
    if len(set(keys)) != len(keys):
        raise InvalidInput(DUPLICATE_TAG_KEYS_ANY_CASE if any_case else DUPLICATE_TAG_KEYS)


def merge_tags(current: dict[str, str], new: Sequence[dict[str, str]], *, any_case: bool = False) -> dict[str, str]:
    """Current tags with ``new`` applied, at most 50 ("IAM and AWS STS quotas": tags per IAM
    resource 50); ``any_case`` for users and roles, whose keys compare case-insensitively
    (a new key replaces the tag whose key differs only in case). Every Tag* operation and
    every Create* with Tags comes through here: a reserved key or value refuses the whole
    request ("If any one of the tags is invalid ... the entire request fails", TagUser)."""
    check_reserved_tags(new)
    check_unique_tag_keys(new, any_case=any_case)
    merged = dict(current)
    for tag in new:
        key, value = tag["Key"], tag.get("Value", "")
        if any_case and key not in merged:
            same = [old for old in merged if old.lower() == key.lower()]
            if same:  # the tag it replaces keeps its place, under the new spelling
                merged = {(key if old == same[0] else old): item for old, item in merged.items()}
        merged[key] = value
    if len(merged) > 50:
        raise LimitExceeded("The number of tags has reached the maximum limit.")  # unconfirmed wording
    return merged


def remove_tags(current: dict[str, str], keys: Sequence[str], *, any_case: bool = False) -> dict[str, str]:
    """``current`` without the tags ``keys`` name (in any case for users and roles)."""
    if any_case:
        remove = {key.lower() for key in keys}
        return {key: value for key, value in current.items() if key.lower() not in remove}
    exact = set(keys)
    return {key: value for key, value in current.items() if key not in exact}


def set_create_tags(
    ctx: CallContext,
    resource_id: str,
    tags: Sequence[dict[str, str]] | None,
    *,
    action: str,
    arn: str,
    any_case: bool = False,
) -> None:
    """The Tags of a Create* request; duplicate keys are refused (in any case for users and
    roles: ``any_case``) before authorization. Tagging on create
    needs the kind's Tag permission too (``action`` on ``arn``, with the request's tags):
    AWS answers a CreateRole with Tags by a caller without iam:TagRole "... is not authorized
    to perform: iam:TagRole on resource: arn:aws:iam::123456789012:role/name" (real outputs;
    likewise iam:TagUser and iam:TagPolicy). The Create's own unit rolls back on refusal."""
    if tags:
        check_unique_tag_keys(tags, any_case=any_case)
        ctx.authorize(action, arn, request_tag_keys({tag["Key"]: tag["Value"] for tag in tags}))
        ctx.tx.set_tags(ctx.account_id, resource_id, merge_tags({}, tags, any_case=any_case))


# --- output shapes -----------------------------------------------------------------------


# What IAM answers, which is not the service model's enum ("PermissionsBoundaryPolicy"):
# "This data type can only have a value of Policy" (AttachedPermissionsBoundary, IAM API
# Reference); a real GetRole answered "PermissionsBoundaryType": "Policy", and the docs team
# said "The incorrect info is coming from the model" (awsdocs/iam-user-guide#82); the AWS
# CLI's create-user example with --permissions-boundary shows "Policy" too.
BOUNDARY_TYPE = "Policy"


def boundary_out(arn: str | None) -> dict[str, str] | None:
    if arn is None:
        return None
    return {"PermissionsBoundaryType": BOUNDARY_TYPE, "PermissionsBoundaryArn": arn}


def user_out(tx: Transaction, found: User, *, tags: bool = True, boundary: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {
        "Path": found.path,
        "UserName": found.name,
        "UserId": found.id,
        "Arn": found.arn,
        "CreateDate": found.created,
    }
    if boundary and found.permissions_boundary:
        out["PermissionsBoundary"] = boundary_out(found.permissions_boundary)
    if tags:
        listed = tags_of(tx, found.id)
        if listed:
            out["Tags"] = listed
    return out


def group_out(found: Group) -> dict[str, Any]:
    return {
        "Path": found.path,
        "GroupName": found.name,
        "GroupId": found.id,
        "Arn": found.arn,
        "CreateDate": found.created,
    }


def role_out(
    tx: Transaction, found: Role, *, full: bool, listed: bool = False, description: bool = True
) -> dict[str, Any]:
    """A Role; ``full`` (GetRole, ListRoles) adds MaxSessionDuration, as AWS's CreateRole
    answer leaves it out (LocalStack's test_iam snapshot, test_create_describe_role), and so
    does its UpdateRoleDescription answer (test_iam_roles snapshot,
    update-role-description-response). ``description`` False leaves out the Description,
    as AWS's CreateRole answer does although one was given (test_iam_roles snapshot,
    create-role-with-boundary; the API reference's example answer has none either).
    ``listed`` (ListRoles) leaves out PermissionsBoundary and Tags: ListRoles "returns all
    attributes except PermissionsBoundary, RoleLastUsed, Tags" (IAM API Reference)."""
    out: dict[str, Any] = {
        "Path": found.path,
        "RoleName": found.name,
        "RoleId": found.id,
        "Arn": found.arn,
        "CreateDate": found.created,
        "AssumeRolePolicyDocument": encode_document(found.trust_policy),
    }
    if description and found.description is not None:
        out["Description"] = found.description
    if full:
        out["MaxSessionDuration"] = found.max_session_duration
    if listed:
        return out
    if found.permissions_boundary:
        out["PermissionsBoundary"] = boundary_out(found.permissions_boundary)
    tags = tags_of(tx, found.id)
    if tags:
        out["Tags"] = tags
    return out


def role_last_used(found: Role) -> dict[str, Any]:
    if found.last_used is None:
        return {}
    return {"LastUsedDate": found.last_used, "Region": found.last_used_region}


def customer_policy_out(found: ManagedPolicy, *, boundary_uses: int = 0) -> dict[str, Any]:
    out: dict[str, Any] = {
        "PolicyName": found.name,
        "PolicyId": found.id,
        "Arn": found.arn,
        "Path": found.path,
        "DefaultVersionId": found.default_version_id,
        "AttachmentCount": found.attachment_count,
        "PermissionsBoundaryUsageCount": boundary_uses,
        "IsAttachable": True,
        "CreateDate": found.created,
        "UpdateDate": found.updated,
    }
    if found.description:
        out["Description"] = found.description
    return out


def aws_policy_out(found: AwsManagedPolicy, *, attachments: int = 0, boundary_uses: int = 0) -> dict[str, Any]:
    created = datetime.fromisoformat(found.created.replace("Z", "+00:00"))
    updated = datetime.fromisoformat(found.updated.replace("Z", "+00:00")) if found.updated else created
    return {
        "PolicyName": found.name,
        "PolicyId": _aws_policy_id(found.arn),
        "Arn": found.arn,
        "Path": found.path,
        "DefaultVersionId": found.version,
        "AttachmentCount": attachments,
        "PermissionsBoundaryUsageCount": boundary_uses,
        "IsAttachable": True,
        "CreateDate": created,
        "UpdateDate": updated,
    }


def _aws_policy_id(arn: str) -> str:
    """A stable ANPA id for an AWS managed policy (the data set carries none)."""
    digest = base64.b32encode(hashlib.sha256(arn.encode()).digest()).decode()
    return "ANPA" + digest[:17]


def account_attachment_counts(tx: Transaction, account_id: str) -> dict[str, int]:
    """Attachments in this account by policy ARN (AWS managed policies are shared by all
    accounts, so their counts are the account's own)."""
    counts: dict[str, int] = {}
    identities: list[Identity] = [*tx.list_users(account_id), *tx.list_groups(account_id), *tx.list_roles(account_id)]
    for identity in identities:
        for arn in tx.list_attached_policies(identity.id):
            counts[arn] = counts.get(arn, 0) + 1
    return counts


def boundary_usage(tx: Transaction, account_id: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    bounded: list[User | Role] = [*tx.list_users(account_id), *tx.list_roles(account_id)]
    for identity in bounded:
        if identity.permissions_boundary:
            counts[identity.permissions_boundary] = counts.get(identity.permissions_boundary, 0) + 1
    return counts


def authorize_new_name(ctx: CallContext, action: str, entity: User | Group, params: dict[str, Any]) -> None:
    """A rename (UpdateUser, UpdateGroup): "the requester must have appropriate permissions
    on both the source object and the target object" (UpdateUser, IAM API Reference;
    UpdateGroup: "permission to change the group with the old name and the new name"). The
    table checked the old ARN; this checks the new one, of NewPath and the new name."""
    kind = "user" if isinstance(entity, User) else "group"
    name = params.get("NewUserName" if kind == "user" else "NewGroupName") or entity.name
    new_arn = f"arn:aws:iam::{entity.account_id}:{kind}{params.get('NewPath') or entity.path}{name}"
    if new_arn != entity.arn:
        ctx.authorize(action, new_arn, {})

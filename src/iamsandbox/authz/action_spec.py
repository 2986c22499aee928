"""The shape of a row of the authorization table (``actions.py``): which action, which
resource, which condition keys an operation is authorized with."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Resource:
    """How to build the resource ARN an operation is checked against.

    ``kind`` is the Service Authorization Reference's resource type ("user", "role",
    "policy", "bucket", "object", ...) or "*" for operations without one; ``param`` names
    the request parameter that identifies it (a name, an ARN, a bucket); ``key_param`` the
    object key for S3 objects (for DeleteObjects, "Delete": each key listed there is
    checked on its own); ``prefix`` marks IAM list operations (the path prefix ARN);
    ``owner`` names a user found another way: "caller" (ChangePassword acts on the
    signed-in user) or "access_key" (the user who owns the key named by ``param``).
    """

    kind: str
    param: str | None = None
    key_param: str | None = None
    prefix: bool = False
    by_arn: bool = False  # ``param`` holds the ARN itself
    owner: str | None = None


@dataclass(frozen=True, slots=True)
class ActionSpec:
    action: str  # "service:Action"
    resource: Resource
    # Service condition keys supplied by request parameters: (condition key, parameter).
    keys: tuple[tuple[str, str], ...] = ()
    # The operation carries tags (Tags for IAM and STS): aws:RequestTag/* and aws:TagKeys.
    tags: bool = False
    # Authorized by no policy at all ("No permissions are required to perform this
    # operation"): GetCallerIdentity and GetSessionToken.
    unauthorized: bool = False
    # S3 object tags ("Tagging and access control policies", S3 User Guide): the request's
    # tags supply s3:RequestObjectTag/<key> and s3:RequestObjectTagKeys; the stored object's
    # tags supply s3:ExistingObjectTag/<key> (read only for the operations flagged here).
    request_object_tags: bool = False
    existing_object_tags: bool = False
    # The authorization when the request names a VersionId (S3): "If you include a
    # versionId in your request header, you must have the s3:GetObjectVersion permission
    # ... The s3:GetObject permission is not required in this scenario" (GetObject, S3 API
    # Reference; likewise the other object operations: "Required permissions for Amazon S3
    # API operations", S3 User Guide). ``spec_for`` picks it.
    versioned: ActionSpec | None = None
    # iam:PermissionsBoundary is the boundary the target user or role has now ("Filters
    # access if the specified policy is set as the permissions boundary on the IAM entity",
    # Service Authorization Reference; the IAM User Guide's "Delegating responsibility to
    # others using permissions boundaries" allows AttachUserPolicy, PutUserPolicy, ... only
    # on users with a given boundary). Operations that set one take it from the request.
    target_boundary: bool = False
    # Keys whose value the operation itself fixes: s3:ObjectCreationOperation, "whether or
    # not the operation creates an object" (Service Authorization Reference for S3).
    fixed_keys: tuple[tuple[str, str], ...] = ()
    # Where the request's tags are when ``tags`` (a dotted name is a member of a member).
    tags_param: str = "Tags"


STAR = Resource("*")


def member(params: Mapping[str, Any], path: str) -> Any:
    """A request parameter by its dotted name: a member of a member
    (``CreateBucketConfiguration.LocationConstraint``, ``Target.Id``), or None."""
    value: Any = params
    for name in path.split("."):
        value = value.get(name) if isinstance(value, Mapping) else None
    return value

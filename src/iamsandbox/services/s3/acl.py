"""S3 access control lists as a bucket with ACLs disabled answers them: GetBucketAcl,
GetObjectAcl, PutBucketAcl, PutObjectAcl, and the ACL headers of CreateBucket, PutObject
and CopyObject.

AWS pages (Amazon S3 User Guide): "Controlling ownership of objects and disabling ACLs
for your bucket" and its "Troubleshooting" page; Amazon S3 API Reference, CreateBucket
and "Error responses".

- Object Ownership BucketOwnerEnforced (every new bucket's default since April 2023)
  disables ACLs: "Requests to read ACLs are still supported. Requests to read ACLs always
  return a response that shows full control for the bucket owner" — the bucket owner owns
  every object, so an object's ACL names the bucket owner too.
- "Requests to set ACLs or update ACLs fail with a 400 error and return the
  AccessControlListNotSupported error code", except requests "with bucket owner full
  control ACLs, such as the bucket-owner-full-control canned ACL or equivalent forms of
  this ACL expressed in XML": an x-amz-grant-full-control naming only the bucket owner,
  or an AccessControlPolicy whose every grant is FULL_CONTROL to the bucket owner.
  The canned ACL "private" is refused like any other (terraform users report PutBucketAcl
  with "private" failing with AccessControlListNotSupported on such buckets:
  hashicorp/terraform-provider-aws#34079, terraform-aws-modules/terraform-aws-s3-bucket#250).
- CreateBucket with bucket owner enforced and an ACL "that provides access to an external
  AWS account" fails with InvalidBucketAclWithObjectOwnership. The canned ACL "private"
  (the default ACL, which rclone sends on every CreateBucket) is accepted, and when it
  comes without x-amz-object-ownership the bucket is made BucketOwnerPreferred — observed
  on S3 by versity/versitygw#1869 (unconfirmed in AWS's pages).

Known gaps: iamsandbox keeps no ACL, so a bucket whose ACLs are enabled (ownership
BucketOwnerPreferred or ObjectWriter, or its ownership controls deleted) accepts only the
owner's full control (no ACL, "private", "bucket-owner-full-control", or the same as
grants) and answers NotImplemented to any other ACL; reading an ACL always shows the
bucket owner's full control, even for an object another account wrote to such a bucket.
Block Public Access's BlockPublicAcls and IgnorePublicAcls have nothing to act on. A
PutBucketAcl or PutObjectAcl that carries no ACL at all is refused like any other ACL
(unconfirmed: S3 may answer it with MissingSecurityHeader instead).
"""

from __future__ import annotations

from typing import Any

from ... import errors
from ...errors import AccessControlListNotSupported, InvalidBucketAclWithObjectOwnership
from ...store.interface import Bucket
from ..context import CallContext
from . import common

ENFORCED = "BucketOwnerEnforced"
_GRANTS = ("GrantFullControl", "GrantRead", "GrantReadACP", "GrantWrite", "GrantWriteACP")
_ACL_MEMBERS = ("ACL", "AccessControlPolicy", *_GRANTS)
# The canned ACLs that leave the bucket owner alone with full control.
_OWNER_ONLY_WHEN_DISABLED = frozenset({"bucket-owner-full-control"})
_OWNER_ONLY_WHEN_ENABLED = frozenset({"private", "bucket-owner-full-control"})
_NOT_KEPT = (
    "iamsandbox keeps no ACLs: only the bucket owner's full control can be set on a bucket whose ACLs are enabled."
)


def acls_disabled(found: Bucket) -> bool:
    return found.ownership_controls == ENFORCED


def owner_acl(account_id: str) -> dict[str, Any]:
    """The ACL S3 shows with ACLs disabled: the owner, and its one FULL_CONTROL grant."""
    owner = common.owner(account_id)
    grantee = {"ID": owner["ID"], "Type": "CanonicalUser"}
    return {"Owner": owner, "Grants": [{"Grantee": grantee, "Permission": "FULL_CONTROL"}]}


def requested(params: dict[str, Any]) -> bool:
    """Whether the request carries an ACL (a canned ACL, grant headers or an XML body)."""
    return any(params.get(member) is not None for member in _ACL_MEMBERS)


def _grantees(header: str) -> list[tuple[str, str]]:
    """``id="...", uri="..."`` as (type, value) pairs ("Access control list (ACL)
    overview": a grant header lists type=value pairs separated by commas)."""
    found: list[tuple[str, str]] = []
    for part in header.split(","):
        kind, _, value = part.strip().partition("=")
        found.append((kind.strip().lower(), value.strip().strip('"')))
    return found


def _body_is_owner_only(body: Any, owner_id: str) -> bool:
    if not isinstance(body, dict):
        return False
    owner = body.get("Owner")
    if owner is not None and (not isinstance(owner, dict) or owner.get("ID") != owner_id):
        return False
    grants = body.get("Grants") or []
    if not grants:
        return False
    for grant in grants:
        grantee = grant.get("Grantee") or {}
        if grant.get("Permission") != "FULL_CONTROL" or grantee.get("ID") != owner_id:
            return False
        if grantee.get("Type") not in (None, "CanonicalUser") or grantee.get("URI") or grantee.get("EmailAddress"):
            return False
    return True


def owner_only(params: dict[str, Any], owner_id: str, canned_ok: frozenset[str]) -> bool:
    """Whether every ACL the request carries gives full control to the bucket owner alone."""
    canned = params.get("ACL")
    if canned is not None and canned not in canned_ok:
        return False
    for member in _GRANTS:
        header = params.get(member)
        if header is None:
            continue
        if member != "GrantFullControl" or _grantees(header) != [("id", owner_id)]:
            return False
    body = params.get("AccessControlPolicy")
    return body is None or _body_is_owner_only(body, owner_id)


def check_write(found: Bucket, params: dict[str, Any]) -> None:
    """The ACL of a PutObject, CopyObject, PutObjectAcl or PutBucketAcl on ``found``:
    nothing to do when it is the bucket owner's full control, else S3's refusal."""
    owner_id = common.canonical_id(found.account_id)
    if acls_disabled(found):
        if requested(params) and owner_only(params, owner_id, _OWNER_ONLY_WHEN_DISABLED):
            return
        raise AccessControlListNotSupported()
    if requested(params) and owner_only(params, owner_id, _OWNER_ONLY_WHEN_ENABLED):
        return
    raise errors.NotImplemented(_NOT_KEPT)


def check_object_write(found: Bucket, params: dict[str, Any]) -> None:
    """PutObject and CopyObject: no ACL at all is always fine."""
    if requested(params):
        check_write(found, params)


def ownership_for_create(params: dict[str, Any], account_id: str) -> str:
    """The Object Ownership of a new bucket, after checking CreateBucket's ACL headers."""
    given = params.get("ObjectOwnership")
    # "bucket-owner-full-control: ... If you specify this canned ACL when creating a bucket,
    # Amazon S3 ignores it" ("Access control list (ACL) overview", Canned ACL).
    ignored = params.get("ACL") == "bucket-owner-full-control" and not any(params.get(g) for g in _GRANTS)
    if not requested(params) or ignored:
        return str(given or ENFORCED)
    owner_id = common.canonical_id(account_id)
    if owner_only(params, owner_id, _OWNER_ONLY_WHEN_ENABLED):
        # The default ACL asked for explicitly: kept apart from enforced ownership only
        # when no ownership is named (versity/versitygw#1869, see the module docstring).
        return str(given) if given else "BucketOwnerPreferred"
    if (given or ENFORCED) == ENFORCED:
        raise InvalidBucketAclWithObjectOwnership()
    raise errors.NotImplemented(_NOT_KEPT)


# --- handlers ------------------------------------------------------------------------------


def get_bucket_acl(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = common.bucket(ctx, params["Bucket"])
    return owner_acl(found.account_id)


def put_bucket_acl(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = common.bucket(ctx, params["Bucket"])
    check_write(found, params)
    return {}


def get_object_acl(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = common.bucket(ctx, params["Bucket"])
    common.get_object(ctx, found.name, params["Key"])
    return owner_acl(found.account_id)


def put_object_acl(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = common.bucket(ctx, params["Bucket"])
    common.get_object(ctx, found.name, params["Key"])
    check_write(found, params)
    return {}

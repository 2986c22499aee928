"""S3 access control lists as a bucket with ACLs disabled answers them: GetBucketAcl,
GetObjectAcl, PutBucketAcl, PutObjectAcl, and the ACL headers of CreateBucket, PutObject,
CopyObject and CreateMultipartUpload.

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

- Block Public Access's BlockPublicAcls, on a bucket whose ACLs are enabled ("Blocking
  public access to your Amazon S3 storage"; PublicAccessBlockConfiguration, S3 API
  Reference): "PUT Bucket acl and PUT Object acl calls fail if the specified ACL is public"
  and "PUT Object calls fail if the request includes a public ACL" (PutObject, CopyObject,
  and here CreateMultipartUpload too: unconfirmed). An ACL is public when it grants anything
  to the AllUsers or AuthenticatedUsers group ("The meaning of public"): the canned ACLs
  public-read, public-read-write and authenticated-read, a grant header naming either
  group's uri, or an AccessControlPolicy grant to either. The refusal is 403 AccessDenied,
  for a caller in the bucket's account "User: ... is not authorized to perform: s3:PutObject
  on resource: "arn:aws:s3:::bucket/key" because public ACLs are prevented by the
  BlockPublicAcls setting in S3 Block Public Access." ("Troubleshoot access denied (403
  Forbidden) errors in Amazon S3", whose example names s3:CopyObject for a CopyObject; here
  the action authorized, s3:PutObject: unconfirmed), for others "Access Denied" (as every S3
  denial here, authz/authorize.py). It comes before the NotImplemented below: S3 refuses
  the request, so nothing is left to keep.
- CreateBucket with a public ACL and an Object Ownership that enables ACLs: every new bucket
  has Block Public Access on, so "PUT Bucket calls fail if the request includes a public
  ACL", with 400 InvalidBucketAclWithBlockPublicAccessError, "Bucket cannot have public ACLs
  set with BlockPublicAccess enabled" (the code and message S3 answers, as users report them,
  e.g. with CloudFormation's AccessControl: PublicRead; "CreateBucket calls fail with an HTTP
  400 (Bad Request) response if the request includes a public ACL", the troubleshooting page).

Known gaps: iamsandbox keeps no ACL, so a bucket whose ACLs are enabled (ownership
BucketOwnerPreferred or ObjectWriter, or its ownership controls deleted) accepts only the
owner's full control (no ACL, "private", "bucket-owner-full-control", or the same as
grants) and answers NotImplemented to any other ACL that Block Public Access lets through;
reading an ACL always shows the bucket owner's full control. Objects are the bucket owner's
only: on such a bucket another account's write is NotImplemented unless it hands the object
to the bucket owner (BucketOwnerPreferred with bucket-owner-full-control), since the
writer would own it in AWS (``_check_writer_owns``). IgnorePublicAcls has nothing to act on, and account-level
Block Public Access settings do not exist here. A PutBucketAcl or PutObjectAcl that carries
no ACL at all is MissingSecurityHeader, and malformed ACL requests get S3's recorded errors
first (``check_request``).
"""

from __future__ import annotations

from typing import Any

from ... import errors
from ...authz.denial import s3_context_shown
from ...errors import (
    AccessControlListNotSupported,
    AccessDenied,
    InvalidBucketAclWithBlockPublicAccessError,
    InvalidBucketAclWithObjectOwnership,
)
from ...store.interface import Bucket
from ..context import CallContext
from . import common

ENFORCED = "BucketOwnerEnforced"
GRANTS = ("GrantFullControl", "GrantRead", "GrantReadACP", "GrantWrite", "GrantWriteACP")  # the x-amz-grant-* members
_ACL_MEMBERS = ("ACL", "AccessControlPolicy", *GRANTS)
# The canned ACLs that leave the bucket owner alone with full control.
_OWNER_ONLY_WHEN_DISABLED = frozenset({"bucket-owner-full-control"})
_OWNER_ONLY_WHEN_ENABLED = frozenset({"private", "bucket-owner-full-control"})
_NOT_KEPT = (
    "iamsandbox keeps no ACLs: only the bucket owner's full control can be set on a bucket whose ACLs are enabled."
)
_OTHER_OWNER = (
    "iamsandbox keeps no object owned by another account than the bucket owner: on a bucket whose ACLs are"
    " enabled, another account may write only under BucketOwnerPreferred with the bucket-owner-full-control"
    " canned ACL."
)
# The groups whose grants make an ACL public ("The meaning of public").
_PUBLIC_GROUPS = frozenset(
    {
        "http://acs.amazonaws.com/groups/global/AllUsers",
        "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
    }
)
_PUBLIC_CANNED = frozenset({"public-read", "public-read-write", "authenticated-read"})


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
    for member in GRANTS:
        header = params.get(member)
        if header is None:
            continue
        if member != "GrantFullControl" or _grantees(header) != [("id", owner_id)]:
            return False
    body = params.get("AccessControlPolicy")
    return body is None or _body_is_owner_only(body, owner_id)


def is_public(params: dict[str, Any]) -> bool:
    """Whether the request's ACL grants anything to AllUsers or AuthenticatedUsers (module
    docstring): a public canned ACL, a grant header or an AccessControlPolicy grant."""
    if params.get("ACL") in _PUBLIC_CANNED:
        return True
    for member in GRANTS:
        header = params.get(member)
        if header is not None and any(kind == "uri" and value in _PUBLIC_GROUPS for kind, value in _grantees(header)):
            return True
    body = params.get("AccessControlPolicy")
    if isinstance(body, dict):
        for grant in body.get("Grants") or []:
            grantee = grant.get("Grantee") if isinstance(grant, dict) else None
            if isinstance(grantee, dict) and grantee.get("URI") in _PUBLIC_GROUPS:
                return True
    return False


def _blocked(ctx: CallContext, found: Bucket, action: str, resource: str) -> AccessDenied:
    """BlockPublicAcls' refusal (module docstring): AWS's added context only for a caller in
    the bucket's account."""
    if not s3_context_shown(ctx.caller, found.account_id):
        return AccessDenied("Access Denied")
    return AccessDenied(
        f'User: {ctx.caller.arn} is not authorized to perform: {action} on resource: "{resource}" because public'
        " ACLs are prevented by the BlockPublicAcls setting in S3 Block Public Access."
    )


# Every canned ACL S3 names ("Access control list (ACL) overview", Canned ACL).
_CANNED = frozenset(
    {
        "private",
        "public-read",
        "public-read-write",
        "aws-exec-read",
        "authenticated-read",
        "bucket-owner-read",
        "bucket-owner-full-control",
        "log-delivery-write",
    }
)


def check_request(params: dict[str, Any], *, acl_call: bool) -> None:
    """An ACL request S3 cannot read, refused before anything else, whatever the bucket's
    ownership (recorded from AWS: LocalStack's test_s3 snapshot, test_s3_bucket_acl_exceptions
    and test_s3_object_acl_exceptions): PutBucketAcl / PutObjectAcl (``acl_call``) with no
    ACL at all is MissingSecurityHeader naming x-amz-acl; a canned ACL S3 does not have is
    InvalidArgument naming it (with an empty message); a canned ACL with grant headers is
    InvalidRequest, with a body UnexpectedContent; an AccessControlPolicy without owner or
    grants is MalformedACLError."""
    canned, body = params.get("ACL"), params.get("AccessControlPolicy")
    grants = any(params.get(member) is not None for member in GRANTS)
    if acl_call and canned is None and body is None and not grants:
        raise errors.MissingSecurityHeader(MissingHeaderName="x-amz-acl")
    if canned is not None and canned not in _CANNED:
        unknown = errors.InvalidArgument(ArgumentName="x-amz-acl", ArgumentValue=canned)
        unknown.message = ""
        raise unknown
    if canned is not None and grants:
        raise errors.InvalidRequest("Specifying both Canned ACLs and Header Grants is not allowed")
    if canned is not None and body is not None:
        raise errors.UnexpectedContent()
    if body is not None and not body.get("Owner") and not body.get("Grants"):
        raise errors.MalformedACLError()


def check_write(ctx: CallContext, found: Bucket, params: dict[str, Any], action: str, resource: str) -> None:
    """The ACL of a PutObject, CopyObject, CreateMultipartUpload, PutObjectAcl or
    PutBucketAcl (``action`` on ``resource``) on ``found``: nothing to do when it is the
    bucket owner's full control, else S3's refusal."""
    owner_id = common.canonical_id(found.account_id)
    if acls_disabled(found):
        if requested(params) and owner_only(params, owner_id, _OWNER_ONLY_WHEN_DISABLED):
            return
        raise AccessControlListNotSupported()
    if is_public(params) and common.public_access_blocked(found, "BlockPublicAcls"):
        raise _blocked(ctx, found, action, resource)
    if requested(params) and owner_only(params, owner_id, _OWNER_ONLY_WHEN_ENABLED):
        return
    raise errors.NotImplemented(_NOT_KEPT)


def check_object_write(ctx: CallContext, found: Bucket, params: dict[str, Any]) -> None:
    """PutObject, CopyObject and CreateMultipartUpload (s3:PutObject on the object): no ACL
    at all is always fine; then who would own the object (``_check_writer_owns``)."""
    if requested(params):
        check_request(params, acl_call=False)
        check_write(ctx, found, params, "s3:PutObject", common.object_arn(found.name, params["Key"]))
    _check_writer_owns(ctx, found, params)


def _check_writer_owns(ctx: CallContext, found: Bucket, params: dict[str, Any]) -> None:
    """Every object kept here is the bucket owner's. On a bucket whose ACLs are enabled, an
    object written by another account would be that account's: "Object writer – The AWS
    account that uploads an object owns the object", and with BucketOwnerPreferred "Objects
    uploaded to the bucket change ownership to the bucket owner if the objects are uploaded
    with the bucket-owner-full-control canned ACL" ("Controlling ownership of objects and
    disabling ACLs for your bucket"). Such an object's access is decided by its owner's ACL
    and policies, which are not kept: the write is refused rather than stored as the bucket
    owner's, which would let the bucket owner read what AWS refuses it."""
    if acls_disabled(found) or ctx.caller.account == found.account_id:
        return
    if found.ownership_controls == "BucketOwnerPreferred" and params.get("ACL") == "bucket-owner-full-control":
        return
    raise errors.NotImplemented(_OTHER_OWNER)


def ownership_for_create(params: dict[str, Any], account_id: str) -> str:
    """The Object Ownership of a new bucket, after checking CreateBucket's ACL headers."""
    given = params.get("ObjectOwnership")
    # "bucket-owner-full-control: ... If you specify this canned ACL when creating a bucket,
    # Amazon S3 ignores it" ("Access control list (ACL) overview", Canned ACL).
    ignored = params.get("ACL") == "bucket-owner-full-control" and not any(params.get(g) for g in GRANTS)
    if not requested(params) or ignored:
        return str(given or ENFORCED)
    owner_id = common.canonical_id(account_id)
    if owner_only(params, owner_id, _OWNER_ONLY_WHEN_ENABLED):
        # The default ACL asked for explicitly: kept apart from enforced ownership only
        # when no ownership is named (versity/versitygw#1869, see the module docstring).
        return str(given) if given else "BucketOwnerPreferred"
    if (given or ENFORCED) == ENFORCED:
        raise InvalidBucketAclWithObjectOwnership()
    if is_public(params):  # a new bucket has Block Public Access on (module docstring)
        raise InvalidBucketAclWithBlockPublicAccessError()
    raise errors.NotImplemented(_NOT_KEPT)


# --- handlers ------------------------------------------------------------------------------


def get_bucket_acl(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = common.bucket(ctx, params["Bucket"])
    return owner_acl(found.account_id)


def put_bucket_acl(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = common.bucket(ctx, params["Bucket"])
    check_request(params, acl_call=True)
    check_write(ctx, found, params, "s3:PutBucketAcl", common.bucket_arn(found.name))
    return {}


def get_object_acl(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    # "to retrieve permissions for a specific object version, you must specify its version ID
    # in a GET Object versionId acl request" ("Working with versioned objects' permissions
    # and ACLs", S3 User Guide).
    found = common.bucket(ctx, params["Bucket"])
    version = common.get_object(ctx, found.name, params["Key"], params.get("VersionId"))
    # x-amz-version-id of the version addressed, the latest when none is named (recorded
    # from S3: a public report of requests sent to s3.amazonaws.com in 2026, tests G1-H2;
    # a header botocore's model lacks: protocol/patches/s3.json).
    return {**owner_acl(found.account_id), **common.version_member(found, version)}


def put_object_acl(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = common.bucket(ctx, params["Bucket"])
    # A delete marker, the latest version or the one named, is 405 MethodNotAllowed (Method
    # PUT, ResourceType DeleteMarker), recorded from AWS (LocalStack's test_s3 snapshot,
    # test_put_object_acl_on_delete_marker); it was NoSuchKey, and VersionId was not read.
    version = common.get_object(
        ctx, found.name, params["Key"], params.get("VersionId"), method="PUT", marker_not_allowed=True
    )
    check_request(params, acl_call=True)
    check_write(ctx, found, params, "s3:PutObjectAcl", common.object_arn(found.name, params["Key"]))
    return common.version_member(found, version)  # as GetObjectAcl's

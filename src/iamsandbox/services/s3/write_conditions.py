"""Conditional writes and deletes: If-None-Match and If-Match on PutObject, CopyObject (its
destination) and CompleteMultipartUpload; If-Match on DeleteObject and an ETag per key in
DeleteObjects ("How to prevent object overwrites with conditional writes" and "How to
perform conditional deletes", S3 User Guide; the PutObject, CopyObject,
CompleteMultipartUpload, DeleteObject and DeleteObjects references).

- Writes: If-None-Match "*" writes only a key that has no current object, If-Match only
  over a current object whose ETag it names; otherwise 412 PreconditionFailed (Condition
  If-None-Match or If-Match), and If-Match on a key without an object is NoSuchKey. The
  values S3 does not take are 501 NotImplemented with a Header member and an
  additionalMessage: If-None-Match other than "*" and If-Match "*" ("We don't accept the
  provided value of If-None-Match header for this API"), both headers at once (Header
  "If-Match,If-None-Match", "Multiple conditional request headers present in the
  request"). All recorded from AWS for PutObject and CopyObject (LocalStack's test_s3_api
  snapshot, TestS3ObjectWritePrecondition); the same check on CompleteMultipartUpload is
  unconfirmed. With If-Match the caller needs s3:GetObject on the key besides the write's
  own permission ("How to prevent overwrites if the object has changed" in the conditional
  writes page; as for a conditional delete, below).
- CompleteMultipartUpload: "If a conflicting operation occurs during the upload S3 returns
  a 409 ConditionalRequestConflict response" (CompleteMultipartUpload reference, If-Match
  and If-None-Match). Recorded from AWS (test_multipart_if_match_with_put,
  _if_none_match_with_delete...): the condition is judged first (412, or NoSuchKey for
  If-Match), and a condition that holds is still 409 when the key was written or deleted
  after the upload was created: recorded for If-None-Match in an unversioned bucket, a key
  deleted during the upload is 409, and a new upload of the absent key completes
  (test_multipart_if_none_match_with_delete). Here "written or deleted" is seen by the
  current version's (or delete marker's) time, and by the key's latest version ID against
  the one the upload noted at its creation (``prior_version_id``; "" for none): a key
  deleted for good leaves none. An upload created before schema version 20 noted none, and
  keeps only the first check.
- DeleteObject: If-Match (an ETag, or "*" for any object) is judged against the key's
  current object: no current object is NoSuchKey, another ETag 412 PreconditionFailed
  (Condition If-Match). "Conditional delete evaluations only apply to the current version
  of the object" (conditional deletes page); with If-Match and an ETag the caller also
  needs s3:GetObject ("you must have the s3:DeleteObject and s3:GetObject permissions").
  x-amz-if-match-last-modified-time and x-amz-if-match-size are for directory buckets
  ("This functionality is only supported for directory buckets"): on a general purpose
  bucket, 501 NotImplemented with the Header (recorded, TestS3DeletePrecondition), as is
  If-Match with a VersionId (``check_delete_headers``).
  DeleteObjects takes the same condition as each Object's ETag element; a failure is that
  key's entry in Errors (conditional deletes page).

The 409 ConditionalRequestConflict is not in botocore's error shapes (``errors.py`` has it).
"""

from __future__ import annotations

from typing import Any

from ... import errors
from ...errors import ConditionalRequestConflict, NoSuchKey, PreconditionFailed
from ...store.interface import MultipartUpload
from ..context import CallContext
from . import common

NOT_IMPLEMENTED = "A header you provided implies functionality that is not implemented"
_REFUSED = "We don't accept the provided value of {header} header for this API"


def not_implemented(header: str, additional: str | None = None) -> errors.NotImplemented:
    """S3's 501 NotImplemented naming the header it does not take (module docstring)."""
    error = errors.NotImplemented(NOT_IMPLEMENTED)
    fields = {"Header": header}
    if additional is not None:
        fields["additionalMessage"] = additional
    return error.with_fields(fields)


def check_headers(params: dict[str, Any]) -> None:
    """The 501s of a conditional write's headers (module docstring), before any lookup."""
    if_none_match, if_match = params.get("IfNoneMatch"), params.get("IfMatch")
    if if_none_match is not None and if_match is not None:
        raise not_implemented("If-Match,If-None-Match", "Multiple conditional request headers present in the request")
    if if_none_match is not None and if_none_match.strip() != "*":
        raise not_implemented("If-None-Match", _REFUSED.format(header="If-None-Match"))
    if if_match is not None and if_match.strip() == "*":
        raise not_implemented("If-Match", _REFUSED.format(header="If-Match"))


def prior_version_id(ctx: CallContext, bucket: str, key: str) -> str:
    """What an upload created now notes of its key: the version ID of its latest version or
    delete marker, "" when it has none (module docstring)."""
    latest = ctx.tx.get_object_version(bucket, key)
    return latest.version_id if latest is not None else ""


def _changed_during(ctx: CallContext, upload: MultipartUpload) -> bool:
    """Whether the upload's key was written or deleted after the upload was created: its
    current version, or the delete marker over it, is newer, or another than the upload
    noted (module docstring)."""
    latest = ctx.tx.get_object_version(upload.bucket, upload.key)
    if latest is not None and latest.last_modified > upload.created:
        return True
    if upload.prior_version_id is None:  # created before schema version 20: not known
        return False
    return (latest.version_id if latest is not None else "") != upload.prior_version_id


def check_write(
    ctx: CallContext, bucket: str, key: str, params: dict[str, Any], upload: MultipartUpload | None = None
) -> None:
    """If-None-Match and If-Match of a write to ``bucket``/``key`` (module docstring); for
    the ``upload`` a CompleteMultipartUpload completes, a condition that holds is 409 when the
    key changed during the upload."""
    if_none_match, if_match = params.get("IfNoneMatch"), params.get("IfMatch")
    if if_none_match is None and if_match is None:
        return
    check_headers(params)
    if if_match is not None:
        # An ETag comparison reads the object: the caller needs s3:GetObject as well
        # (module docstring), or a writer could learn what it may not read.
        ctx.authorize("s3:GetObject", common.object_arn(bucket, key), {})
    existing = ctx.tx.get_object(bucket, key)
    condition = "If-None-Match" if if_none_match is not None else "If-Match"
    if if_none_match is not None and existing is not None:
        raise PreconditionFailed(Condition=condition)
    if if_match is not None:
        if existing is None:
            raise NoSuchKey(Key=key)
        if not common.etag_listed(if_match, existing.etag):  # If-Match: * was refused above
            raise PreconditionFailed(Condition=condition)
    if upload is not None and _changed_during(ctx, upload):
        raise ConditionalRequestConflict(Condition=condition, Key=key)


def check_delete_headers(params: dict[str, Any]) -> None:
    """DeleteObject's directory-bucket-only conditions are 501 here (module docstring), as is
    If-Match beside a VersionId: recorded from AWS, with the additionalMessage below and
    nothing deleted (LocalStack's test_s3_api snapshot, TestS3DeletePrecondition::
    test_delete_object_if_match_with_version_id, March 2026)."""
    if params.get("IfMatch") is not None and params.get("VersionId") is not None:
        raise not_implemented(
            "If-Match",
            "Conditional delete operations are not allowed when a version ID is included in the request parameters.",
        )
    if params.get("IfMatchLastModifiedTime") is not None:
        raise not_implemented("x-amz-if-match-last-modified-time")
    if params.get("IfMatchSize") is not None:
        raise not_implemented("x-amz-if-match-size")


def check_delete(ctx: CallContext, bucket: str, key: str, if_match: str | None) -> None:
    """A conditional delete's If-Match against the key's current object (module docstring);
    nothing without one."""
    if if_match is None:
        return
    if if_match.strip() != "*":
        ctx.authorize("s3:GetObject", common.object_arn(bucket, key), {})
    current = ctx.tx.get_object(bucket, key)
    if current is None:
        raise NoSuchKey(Key=key)
    if not common.etag_listed(if_match, current.etag):
        raise PreconditionFailed(Condition="If-Match")

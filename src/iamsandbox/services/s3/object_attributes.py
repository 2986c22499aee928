"""S3 GetObjectAttributes: an object's metadata without its body (Amazon S3 API Reference,
GetObjectAttributes; "GetObjectAttributes combines the functionality of HeadObject and
ListParts").

- x-amz-object-attributes names the attributes answered, among ETag, Checksum,
  ObjectParts, StorageClass and ObjectSize; none, or another name, is InvalidArgument
  ("Invalid attribute name specified.": as S3-compatible servers copy S3; unconfirmed).
  Last-Modified is always answered.
- ETag: the object's entity tag without its quotes (as LocalStack's AWS-validated snapshots
  record it). StorageClass: the object's (as written). ObjectSize: the body's bytes.
- Checksum: the additional checksum the object was written with (x-amz-checksum-*), with
  ChecksumType FULL_OBJECT; none when it was written without one.
- ObjectParts: only for an object made by CompleteMultipartUpload, whose part count its ETag
  carries ("-N"): TotalPartsCount. For general purpose buckets "if an additional checksum
  ... isn't applied to the object specified in the request, the response doesn't return the
  Part element" (ObjectParts), and iamsandbox keeps neither the parts' sizes nor their
  checksums once the upload is completed: so no Parts, and MaxParts and PartNumberMarker
  (which page through Parts) change nothing.
- Permissions ("If the bucket is not versioned, you need the s3:GetObject and
  s3:GetObjectAttributes permissions"): the table authorizes s3:GetObjectAttributes, the
  handler then s3:GetObject on the same object (the order in which S3 checks them is
  unconfirmed). "If the object that you request doesn't exist, the error that Amazon S3
  returns depends on whether you also have the s3:ListBucket permission": 404 NoSuchKey
  with it, 403 AccessDenied (naming s3:ListBucket) without it.
- VersionId: the version, as GetObject reads it (common.get_object: InvalidArgument,
  NoSuchVersion, 405 for a delete marker); with it, "If the bucket is versioned, you need
  the s3:GetObjectVersion and s3:GetObjectVersionAttributes permissions" (the table
  authorizes s3:GetObjectVersionAttributes, the handler s3:GetObjectVersion). VersionId is
  answered once the bucket's versioning was ever set (recorded from AWS, LocalStack's test_s3
  snapshot, test_get_object_attributes_versioned).

Known gaps: the conditional headers the page describes (If-Match, If-None-Match,
If-Modified-Since, If-Unmodified-Since) are not members of the operation in botocore's
model, so no SDK sends them and they are not applied; SSE-C headers are ignored; a
multipart object's own checksum (COMPOSITE or FULL_OBJECT) is not kept, so Checksum is
never answered for one.
"""

from __future__ import annotations

from typing import Any

from ...errors import InvalidArgument
from ..context import CallContext
from . import common

ATTRIBUTES = ("ETag", "Checksum", "ObjectParts", "StorageClass", "ObjectSize")
_HEADER = "x-amz-object-attributes"


def _requested(params: dict[str, Any]) -> set[str]:
    names = [str(name).strip() for name in params.get("ObjectAttributes") or []]
    names = [name for name in names if name]
    if not names:
        raise InvalidArgument("Invalid attribute name specified.", ArgumentName=_HEADER, ArgumentValue="")
    for name in names:
        if name not in ATTRIBUTES:
            raise InvalidArgument("Invalid attribute name specified.", ArgumentName=_HEADER, ArgumentValue=name)
    return set(names)


def _parts_count(etag: str) -> int | None:
    """The part count a multipart object's ETag ends with ("<md5>-<parts>"); None otherwise."""
    _, dash, count = common.unquote_etag(etag).rpartition("-")
    return int(count) if dash and count.isdigit() else None


def get_object_attributes(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    wanted = _requested(params)
    bucket = common.bucket(ctx, params["Bucket"])
    key = params["Key"]
    version = params.get("VersionId")
    if version is None:
        ctx.authorize("s3:GetObject", common.object_arn(bucket.name, key), {})
    else:  # with a versionId, s3:GetObjectVersion (as GetObject; authz/actions.py)
        ctx.authorize("s3:GetObjectVersion", common.object_arn(bucket.name, key), {"s3:versionid": str(version)})
    # 403 without s3:ListBucket, else NoSuchKey; NoSuchVersion, or 405 for a delete marker.
    found = common.get_object(ctx, bucket.name, key, version)
    out: dict[str, Any] = {"LastModified": found.last_modified, **common.version_member(bucket, found)}
    if "ETag" in wanted:
        out["ETag"] = common.unquote_etag(found.etag)
    if "StorageClass" in wanted:
        out["StorageClass"] = found.headers.storage_class
    if "ObjectSize" in wanted:
        out["ObjectSize"] = found.size
    if "Checksum" in wanted and found.checksums:
        checksum: dict[str, Any] = {f"Checksum{name}": value for name, value in found.checksums.items()}
        checksum["ChecksumType"] = "FULL_OBJECT"  # a single PUT's checksum covers the whole object
        out["Checksum"] = checksum
    parts = _parts_count(found.etag)
    if "ObjectParts" in wanted and parts is not None:
        out["ObjectParts"] = {"TotalPartsCount": parts}
    return out

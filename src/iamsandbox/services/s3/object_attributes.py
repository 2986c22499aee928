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
  ChecksumType FULL_OBJECT; for a multipart object, the checksum CompleteMultipartUpload
  gave it (checksums.py) and its type, a COMPOSITE one without the "-<part count>" that
  HeadObject answers (recorded from AWS in LocalStack's test_s3 snapshot,
  test_complete_multipart_parts_checksum_composite: get-object-attrs); S3's default
  CRC64NVME for an object written without one (checksums.py; recorded,
  test_s3_checksum_no_automatic_sdk_calculation: get-obj-attrs-no-checksum). An object
  written before iamsandbox gave that default has none.
- ObjectParts (``_object_parts``): only for an object made by CompleteMultipartUpload, whose
  part count its ETag carries ("-N"): TotalPartsCount. For general purpose buckets "if an
  additional checksum ... isn't applied to the object specified in the request, the response
  doesn't return the Part element" (GetObjectAttributesParts): the object's part layout
  (multipart.py) keeps each part's checksum for an upload of checksum type COMPOSITE, and
  then ObjectParts also answers PartNumberMarker (0 by default), MaxParts (1,000 by default),
  IsTruncated, NextPartNumberMarker (the last part listed, also when not truncated; 0 when
  none is) and Parts (PartNumber, Size, the part's checksum) after the marker; for a
  FULL_OBJECT upload, or one without checksums, TotalPartsCount alone. All recorded from AWS
  in LocalStack's snapshots (test_s3: test_complete_multipart_parts_checksum_composite and
  _full_object, test_get_object_attributes; test_s3_list_operations:
  test_list_parts_via_object_attrs_pagination). A part's PartNumber is its place in the
  object (unconfirmed when the upload's part numbers were not consecutive). MaxParts above
  1,000 is taken as 1,000, as ListParts does (unconfirmed).
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

Known gaps: a multipart object completed before iamsandbox kept part layouts (schema
version 11) answers TotalPartsCount alone; the conditional headers the page describes (If-Match, If-None-Match,
If-Modified-Since, If-Unmodified-Since) are not members of the operation in botocore's
model, so no SDK sends them and they are not applied; SSE-C headers are ignored; a
multipart object completed before iamsandbox kept its checksum answers no Checksum.
"""

from __future__ import annotations

from typing import Any

from ...errors import InvalidArgument
from ...store.interface import S3Object
from ..context import CallContext
from . import checksums, common

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


DEFAULT_MAX_PARTS = 1000


def _object_parts(found: S3Object, params: dict[str, Any]) -> dict[str, Any] | None:
    """ObjectParts of a multipart object (module docstring); None for any other."""
    count = common.parts_count(found)
    if count is None:
        return None
    layout = found.parts()
    if layout is None or not any(part.checksums for part in layout):
        return {"TotalPartsCount": count}
    marker = int(params.get("PartNumberMarker") or 0)
    limit = min(int(params.get("MaxParts") or DEFAULT_MAX_PARTS), DEFAULT_MAX_PARTS)
    numbered = list(enumerate(layout, start=1))[max(marker, 0) :]
    page = numbered[:limit]
    out: dict[str, Any] = {
        "TotalPartsCount": len(layout),
        "PartNumberMarker": marker,
        "NextPartNumberMarker": page[-1][0] if page else 0,
        "MaxParts": limit,
        "IsTruncated": len(numbered) > limit,
    }
    if page:
        out["Parts"] = [
            {
                "PartNumber": number,
                "Size": part.size,
                **{f"Checksum{name}": value for name, value in part.checksums.items()},
            }
            for number, part in page
        ]
    return out


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
        # A COMPOSITE checksum without its "-<part count>" (module docstring).
        checksum: dict[str, Any] = {
            f"Checksum{name}": checksums.without_part_count(value) for name, value in found.checksums.items()
        }
        checksum["ChecksumType"] = common.checksum_type(found)
        out["Checksum"] = checksum
    if "ObjectParts" in wanted:
        parts = _object_parts(found, params)
        if parts is not None:
            out["ObjectParts"] = parts
    return out

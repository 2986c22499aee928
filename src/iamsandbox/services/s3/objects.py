"""S3 objects: PutObject, GetObject (with Range), HeadObject, DeleteObject, DeleteObjects,
CopyObject (Amazon S3 API Reference).

- ETag: the quoted hex MD5 of the body for single-part objects; Content-MD5 is checked
  (InvalidDigest, BadDigest: recorded from AWS in LocalStack's test_s3 snapshot).
- Range (RFC 7233, one range; S3 ignores a header it cannot parse and answers the whole
  object): a satisfiable range answers 206 with Content-Range, an unsatisfiable one
  InvalidRange with ActualObjectSize and RangeRequested (recorded, test_invalid_range_error).
- DeleteObject answers 204 whether or not the key existed; DeleteObjects checks
  s3:DeleteObject for each key and reports a denied key in Errors ("AccessDenied",
  "Access Denied"), as S3 does, the others in Deleted (unless Quiet).
- CopyObject needs s3:GetObject on the source (``copy_source``, which UploadPartCopy
  shares; x-amz-copy-source's ?versionId may only name the "null" version);
  MetadataDirective COPY (default) keeps the source's metadata and content type, REPLACE
  takes the request's; copying an object onto itself without REPLACE is refused
  (recorded, test_s3_copy_object_in_place).
- Conditional reads (GetObject, HeadObject; "Conditional requests" in the S3 User Guide;
  RFC 7232, section 6 for the order): If-Match, else If-Unmodified-Since, failing is 412
  PreconditionFailed; then If-None-Match, else If-Modified-Since, failing is 304 Not
  Modified, with no body and the object's ETag and Last-Modified. So If-Match true with
  If-Unmodified-Since false answers 200, and If-None-Match false with If-Modified-Since
  true answers 304, the two combinations the GetObject reference spells out. CopyObject's
  x-amz-copy-source-if-* headers follow the same order, and every failure is 412
  (CopyObject reference). Dates compare to the second, as Last-Modified is sent.

Object tags (x-amz-tagging on PutObject, x-amz-tagging-directive on CopyObject,
x-amz-tagging-count): see tagging.py. PutObject with x-amz-tagging also needs
s3:PutObjectTagging on the object ("s3:PutObjectTagging - To successfully set the tag-set
with your PutObject request, you must have the s3:PutObjectTagging", PutObject reference,
Permissions). The CopyObject and CreateMultipartUpload references name no such permission
(CopyObject: s3:GetObject on the source, s3:PutObject on the destination), so they need none.

Standard headers (``write_headers``): Cache-Control, Content-Disposition, Content-Encoding,
Content-Language, Expires, x-amz-website-redirect-location and x-amz-storage-class are kept
with the object and answered by GetObject and HeadObject, except x-amz-storage-class for
STANDARD ("Amazon S3 returns this header for all objects except for S3 Standard storage
class objects", HeadObject and GetObject references); a response-* query parameter still
wins. A storage class outside botocore's StorageClass enum is InvalidStorageClass ("The
storage class you specified is not valid", "Error responses"; the StorageClassRequested
member as LocalStack answers it). CopyObject: MetadataDirective COPY keeps the source's
headers, REPLACE takes the request's; x-amz-website-redirect-location "is not copied when
using the x-amz-metadata-directive header" and the storage class is the request's or
STANDARD ("If the x-amz-storage-class header is not used, the copied object will be stored
in the STANDARD Storage Class by default"), whichever the directive (CopyObject reference).

Limits (``check_write``, on PutObject, CreateMultipartUpload and CopyObject's destination):
a key over 1,024 bytes of UTF-8 is KeyTooLongError, "Your key is too long" ("The object key
name is a sequence of Unicode characters with UTF-8 encoding of up to 1,024 bytes long",
"Naming Amazon S3 objects", S3 User Guide; the message and its MaxSizeAllowed and Size
members as LocalStack answers them); user-defined metadata over 2 KB ("the user-defined
metadata is limited to 2 KB in size. The size of user-defined metadata is measured by taking
the sum of the number of bytes in the UTF-8 encoding of each key and value", "Working with
object metadata") is MetadataTooLarge, "Your metadata headers exceed the maximum allowed
metadata size." ("Error responses"). Unconfirmed: that 2 KB is 2,048 bytes, that the names
count without their x-amz-meta- prefix, and MetadataTooLarge's MaxSizeAllowed and Size members.

Known gaps: the storage classes of other bucket kinds (EXPRESS_ONEZONE, OUTPOSTS, FSX_*...)
are taken on a general purpose bucket, and x-amz-website-redirect-location is not checked
for its "/", "http://" or "https://" prefix; no versioning, ACLs, SSE-C or KMS (a bucket's
KMS default encryption is kept and reported by GetBucketEncryption, but objects are SSE-S3:
configuration.py); checksums given by the client are stored and echoed, not verified.
PutObject's conditional writes (If-None-Match "*", If-Match) are applied.
"""

from __future__ import annotations

import re
from datetime import datetime
from email.utils import format_datetime
from typing import Any
from urllib.parse import parse_qs

from ...authz.actions import copy_source_value
from ...errors import (
    AccessDenied,
    InvalidArgument,
    InvalidRange,
    InvalidRequest,
    InvalidStorageClass,
    KeyTooLongError,
    MalformedXML,
    MetadataTooLarge,
    NoSuchKey,
    NotModified,
    PreconditionFailed,
)
from ...store.interface import ObjectHeaders, S3Object
from ..context import CallContext
from . import acl, common, expected_owner, tagging

CHECKSUMS = ("CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256")
_RANGE = re.compile(r"bytes=(\d*)-(\d*)")
MAX_DELETE = 1000  # "The request can contain a list of up to 1,000 keys" (DeleteObjects)
MAX_KEY_BYTES = 1024
MAX_METADATA_BYTES = 2048  # "2 KB" (module docstring; 2,048 rather than 2,000 is unconfirmed)
# botocore's StorageClass enum (S3 service model 2006-03-01); a test keeps the two equal.
STORAGE_CLASSES = frozenset(
    {
        "STANDARD",
        "REDUCED_REDUNDANCY",
        "STANDARD_IA",
        "ONEZONE_IA",
        "INTELLIGENT_TIERING",
        "GLACIER",
        "DEEP_ARCHIVE",
        "OUTPOSTS",
        "GLACIER_IR",
        "SNOW",
        "EXPRESS_ONEZONE",
        "FSX_OPENZFS",
        "FSX_ONTAP",
        "AWS_BACKUP_WARM",
        "AWS_BACKUP_LOW_COST_WARM",
    }
)
# The standard headers: ObjectHeaders field, the request's (and GetObject's) member name.
_HEADER_MEMBERS = (
    ("cache_control", "CacheControl"),
    ("content_disposition", "ContentDisposition"),
    ("content_encoding", "ContentEncoding"),
    ("content_language", "ContentLanguage"),
    ("expires", "Expires"),
    ("website_redirect_location", "WebsiteRedirectLocation"),
)


def _checksums(params: dict[str, Any]) -> dict[str, str]:
    return {name: str(params[f"Checksum{name}"]) for name in CHECKSUMS if params.get(f"Checksum{name}")}


def check_write(params: dict[str, Any], key: str) -> None:
    """The limits of an object write (module docstring): the key, the user-defined
    metadata (``params["Metadata"]``, the x-amz-meta-* names without their prefix) and the
    storage class."""
    size = len(key.encode("utf-8"))
    if size > MAX_KEY_BYTES:
        raise KeyTooLongError(MaxSizeAllowed=str(MAX_KEY_BYTES), Size=str(size))
    metadata = params.get("Metadata") or {}
    size = sum(len(str(name).encode("utf-8")) + len(str(value).encode("utf-8")) for name, value in metadata.items())
    if size > MAX_METADATA_BYTES:
        raise MetadataTooLarge(MaxSizeAllowed=str(MAX_METADATA_BYTES), Size=str(size))  # members unconfirmed
    storage_class = params.get("StorageClass")
    if storage_class is not None and storage_class not in STORAGE_CLASSES:
        raise InvalidStorageClass(StorageClassRequested=str(storage_class))


def write_headers(params: dict[str, Any]) -> ObjectHeaders:
    """The standard headers a write (PutObject, CreateMultipartUpload, CopyObject with
    REPLACE) gives its object; no x-amz-storage-class is STANDARD."""
    given = {field: params.get(member) for field, member in _HEADER_MEMBERS}
    return ObjectHeaders(**given, storage_class=params.get("StorageClass") or common.STANDARD)


def put_object(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = common.bucket(ctx, params["Bucket"])
    if params.get("Tagging"):  # x-amz-tagging sets the tag set: s3:PutObjectTagging too (module docstring)
        ctx.authorize(
            "s3:PutObjectTagging", common.object_arn(found.name, params["Key"]), tagging.request_tag_keys(params)
        )
    check_write(params, params["Key"])
    acl.check_object_write(found, params)  # x-amz-acl, x-amz-grant-*: see acl.py
    data = common.read_body(params.get("Body"))
    common.check_content_md5(params.get("ContentMD5"), data)
    _check_write_conditions(ctx, found.name, params)
    tags = tagging.header_tags(params.get("Tagging"))  # x-amz-tagging; none replaces the old object's
    checksums = _checksums(params)
    stored = ctx.tx.put_object(
        found.name,
        params["Key"],
        data,
        common.md5_etag(data),
        content_type=params.get("ContentType"),
        metadata=params.get("Metadata") or {},
        checksums=checksums,
        tags=tags,
        headers=write_headers(params),
    )
    out: dict[str, Any] = {"ETag": stored.etag, "ServerSideEncryption": common.SSE}
    for name, value in checksums.items():
        out[f"Checksum{name}"] = value
    return out


def _check_write_conditions(ctx: CallContext, bucket_name: str, params: dict[str, Any]) -> None:
    """Conditional writes ("How to prevent object overwrites with conditional writes", S3
    User Guide; PutObject): If-None-Match "*" writes only a key that does not exist, If-Match
    only over an object whose ETag it names; otherwise 412 Precondition Failed, and
    If-Match on a key that does not exist is NoSuchKey."""
    if_none_match, if_match = params.get("IfNoneMatch"), params.get("IfMatch")
    if if_none_match is None and if_match is None:
        return
    existing = ctx.tx.get_object(bucket_name, params["Key"])
    if if_none_match is not None and existing is not None:
        raise PreconditionFailed(Condition="If-None-Match")
    if if_match is not None:
        if existing is None:
            raise NoSuchKey(Key=params["Key"])
        wanted = {common.unquote_etag(tag) for tag in if_match.split(",")}
        if if_match.strip() != "*" and common.unquote_etag(existing.etag) not in wanted:
            raise PreconditionFailed(Condition="If-Match")


def _resolve_range(header: str | None, size: int) -> tuple[int, int] | None:
    """(start, end inclusive) of a satisfiable single range; None for no or an unreadable
    range header; InvalidRange when it cannot be satisfied."""
    if not header:
        return None
    match = _RANGE.fullmatch(header.strip())
    if match is None or (not match.group(1) and not match.group(2)):
        return None
    first, last = match.group(1), match.group(2)
    if not first:  # a suffix: the last N bytes
        length = int(last)
        if length == 0 or size == 0:
            raise InvalidRange(ActualObjectSize=str(size), RangeRequested=header)
        return max(0, size - length), size - 1
    start = int(first)
    end = size - 1 if not last else min(int(last), size - 1)
    if last and int(last) < start:
        return None  # an invalid range is ignored (RFC 7233, section 3.1)
    if start >= size:
        raise InvalidRange(ActualObjectSize=str(size), RangeRequested=header)
    return start, end


def _etag_listed(header: str, etag: str) -> bool:
    """Whether an If-Match or If-None-Match list names this ETag: "*" names any object;
    tags compare without quotes and without a weak "W/" prefix (RFC 7232, sections 2.3.2
    and 3.2: If-None-Match compares weakly; S3's ETags are never weak)."""
    if header.strip() == "*":
        return True
    wanted = {common.unquote_etag(tag.strip().removeprefix("W/")) for tag in header.split(",")}
    return common.unquote_etag(etag) in wanted


def _to_second(moment: datetime) -> datetime:
    # Last-Modified and the If-*-Since dates are HTTP dates, whole seconds (RFC 7231): the
    # stored time's fraction of a second must not make an object "modified since" itself.
    return moment.replace(microsecond=0)


def _failed_condition(
    found: S3Object,
    if_match: str | None,
    if_unmodified_since: datetime | None,
    if_none_match: str | None,
    if_modified_since: datetime | None,
) -> str | None:
    """The first precondition that does not hold, in RFC 7232's order (section 6), or None:
    If-Match, else If-Unmodified-Since; then If-None-Match, else If-Modified-Since."""
    modified = _to_second(found.last_modified)
    if if_match is not None:
        if not _etag_listed(if_match, found.etag):
            return "If-Match"
    elif if_unmodified_since is not None and modified > if_unmodified_since:
        return "If-Unmodified-Since"
    if if_none_match is not None:
        if _etag_listed(if_none_match, found.etag):
            return "If-None-Match"
    elif if_modified_since is not None and modified <= if_modified_since:
        return "If-Modified-Since"
    return None


def _check_conditions(params: dict[str, Any], found: S3Object) -> None:
    """GetObject's and HeadObject's conditional headers (module docstring): 412 for
    If-Match and If-Unmodified-Since, 304 Not Modified for If-None-Match and
    If-Modified-Since ("Conditional requests", S3 User Guide; GetObject, HeadObject)."""
    failed = _failed_condition(
        found,
        params.get("IfMatch"),
        params.get("IfUnmodifiedSince"),
        params.get("IfNoneMatch"),
        params.get("IfModifiedSince"),
    )
    if failed in ("If-Match", "If-Unmodified-Since"):
        raise PreconditionFailed(Condition=failed)
    if failed is not None:
        raise NotModified(
            headers=(("ETag", found.etag), ("Last-Modified", format_datetime(found.last_modified, usegmt=True)))
        )


def _object_headers(found: S3Object, params: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "AcceptRanges": "bytes",
        "LastModified": found.last_modified,
        "ContentLength": found.size,
        "ETag": found.etag,
        "ContentType": found.content_type or common.DEFAULT_CONTENT_TYPE,
        "ServerSideEncryption": common.SSE,
        "Metadata": dict(found.metadata),
    }
    for field, member in _HEADER_MEMBERS:
        value = getattr(found.headers, field)
        if value is not None:
            out[member] = value
    if found.headers.storage_class != common.STANDARD:  # not sent for STANDARD (module docstring)
        out["StorageClass"] = found.headers.storage_class
    if params.get("ChecksumMode") == "ENABLED":
        for name, value in found.checksums.items():
            out[f"Checksum{name}"] = value
    # The response-* query parameters override the stored headers ("GetObject").
    for member in ("CacheControl", "ContentDisposition", "ContentEncoding", "ContentLanguage", "ContentType"):
        override = params.get(f"Response{member}")
        if override is not None:
            out[member] = override
    if params.get("ResponseExpires") is not None:
        out["Expires"] = params["ResponseExpires"]
    return out


def get_object(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = common.get_object(ctx, params["Bucket"], params["Key"])
    _check_conditions(params, found)
    out = _object_headers(found, params)
    tagging.add_tag_count(ctx, found, out)
    span = _resolve_range(params.get("Range"), found.size)
    if span is None:
        body = ctx.tx.read_object(found.bucket, found.key)
    else:
        start, end = span
        body = ctx.tx.read_object(found.bucket, found.key, start, end - start + 1)
        out["ContentLength"] = end - start + 1
        out["ContentRange"] = f"bytes {start}-{end}/{found.size}"
        for name in CHECKSUMS:
            out.pop(f"Checksum{name}", None)
    out["Body"] = body or b""
    return out


def head_object(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = common.get_object(ctx, params["Bucket"], params["Key"])
    _check_conditions(params, found)
    out = _object_headers(found, params)
    tagging.add_tag_count(ctx, found, out)
    span = _resolve_range(params.get("Range"), found.size)
    if span is not None:
        start, end = span
        out["ContentLength"] = end - start + 1
        out["ContentRange"] = f"bytes {start}-{end}/{found.size}"
    return out


def delete_object(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = common.bucket(ctx, params["Bucket"])
    ctx.tx.delete_object(found.name, params["Key"])
    return {}


def delete_objects(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = common.bucket(ctx, params["Bucket"])
    request = params.get("Delete") or {}
    items = request.get("Objects") or []
    if not items or len(items) > MAX_DELETE:
        raise MalformedXML()
    deleted: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    for item in items:
        key = str(item["Key"])
        try:
            ctx.authorize("s3:DeleteObject", common.object_arn(found.name, key), {})
        except AccessDenied:
            errors.append({"Key": key, "Code": "AccessDenied", "Message": "Access Denied"})
            continue
        ctx.tx.delete_object(found.name, key)
        deleted.append({"Key": key})
    out: dict[str, Any] = {}
    if deleted and not request.get("Quiet"):
        out["Deleted"] = deleted
    if errors:
        out["Errors"] = errors
    return out


def _copy_source(value: str) -> tuple[str, str]:
    """The source bucket and key of x-amz-copy-source ("bucket/key", URL-encoded, an optional
    leading slash and ?versionId). Without versioning every object is the "null" version
    ("Working with objects in a versioning-suspended bucket", S3 User Guide): versionId=null
    names it; any other version ID is refused as S3 refuses one it does not know (the
    InvalidArgument of GetObject; unconfirmed for a copy source)."""
    bucket, _, key = copy_source_value(value).partition("/")  # as policies see it (s3:x-amz-copy-source)
    query = value.partition("?")[2]
    if not bucket or not key:
        raise InvalidArgument(
            "Copy Source must mention the source bucket and key: sourcebucket/sourcekey",  # unconfirmed wording
            ArgumentName="x-amz-copy-source",
            ArgumentValue="x-amz-copy-source",
        )
    for version in parse_qs(query, keep_blank_values=True).get("versionId", []):
        if version != "null":
            raise InvalidArgument("Invalid version id specified", ArgumentName="versionId", ArgumentValue=version)
    return bucket, key


def copy_source(ctx: CallContext, params: dict[str, Any]) -> S3Object:
    """The object x-amz-copy-source names (CopyObject, UploadPartCopy): the caller needs
    s3:GetObject on it (both references' Permissions), then it must exist (NoSuchBucket,
    NoSuchKey) and pass the x-amz-copy-source-if-* conditions. Each condition that fails is
    412, in GetObject's order (if-match true with if-unmodified-since false copies;
    if-none-match false with if-modified-since true is refused: CopyObject and
    UploadPartCopy references). The Condition member's text is unconfirmed."""
    source_bucket, source_key = _copy_source(params["CopySource"])
    ctx.authorize("s3:GetObject", common.object_arn(source_bucket, source_key), {})
    expected_owner.check(ctx.tx, source_bucket, params.get("ExpectedSourceBucketOwner"))
    source = common.get_object(ctx, source_bucket, source_key)
    failed = _failed_condition(
        source,
        params.get("CopySourceIfMatch"),
        params.get("CopySourceIfUnmodifiedSince"),
        params.get("CopySourceIfNoneMatch"),
        params.get("CopySourceIfModifiedSince"),
    )
    if failed is not None:
        raise PreconditionFailed(Condition=f"x-amz-copy-source-{failed}")
    return source


def _copy_headers(params: dict[str, Any], source: S3Object, replace: bool) -> ObjectHeaders:
    """The copy's standard headers (module docstring): the request's with REPLACE, else the
    source's; the website redirect location and the storage class always the request's."""
    if replace:
        return write_headers(params)
    kept = {field: getattr(source.headers, field) for field, _member in _HEADER_MEMBERS}
    kept["website_redirect_location"] = params.get("WebsiteRedirectLocation")
    return ObjectHeaders(**kept, storage_class=params.get("StorageClass") or common.STANDARD)


def copy_object(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    target = common.bucket(ctx, params["Bucket"])
    key = params["Key"]
    replace = params.get("MetadataDirective") == "REPLACE"
    # The destination's limits; with COPY the request's metadata is not used.
    check_write(params if replace else {**params, "Metadata": None}, key)
    acl.check_object_write(target, params)
    source = copy_source(ctx, params)
    changes = replace or params.get("StorageClass") is not None or params.get("WebsiteRedirectLocation") is not None
    if (source.bucket, source.key) == (target.name, key) and not changes:
        raise InvalidRequest(
            "This copy request is illegal because it is trying to copy an object to itself without changing the"
            " object's metadata, storage class, website redirect location or encryption attributes."
        )
    # x-amz-tagging-directive: COPY (default) keeps the source's tags, REPLACE takes x-amz-tagging.
    tags = tagging.header_tags(params.get("Tagging")) if params.get("TaggingDirective") == "REPLACE" else source.tags
    data = ctx.tx.read_object(source.bucket, source.key) or b""
    stored = ctx.tx.put_object(
        target.name,
        key,
        data,
        source.etag,
        content_type=params.get("ContentType") if replace else source.content_type,
        metadata=(params.get("Metadata") or {}) if replace else dict(source.metadata),
        checksums=dict(source.checksums),
        tags=tags,
        headers=_copy_headers(params, source, replace),
    )
    return {
        "CopyObjectResult": {"ETag": stored.etag, "LastModified": stored.last_modified},
        "ServerSideEncryption": common.SSE,
    }

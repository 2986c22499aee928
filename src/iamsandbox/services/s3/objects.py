"""S3 objects: PutObject, GetObject (with Range), HeadObject, DeleteObject, DeleteObjects,
CopyObject (Amazon S3 API Reference).

- ETag: the quoted hex MD5 of the body for single-part objects; Content-MD5 is checked
  (InvalidDigest, BadDigest: recorded from AWS in LocalStack's test_s3 snapshot).
- Range (RFC 7233, one range; S3 ignores a header it cannot parse and answers the whole
  object): a satisfiable range answers 206 with Content-Range, an unsatisfiable one
  InvalidRange with ActualObjectSize and RangeRequested (recorded, test_invalid_range_error).
  A partial range answers no checksum; a range that covers the whole object (bytes=0-100 or
  bytes=-15 of 10 bytes) answers its checksum and ChecksumType, as a whole GetObject does,
  still 206 with Content-Range (recorded, LocalStack's test_s3_api snapshot,
  test_get_object_range: get-0-8-checksum, get-0-100, get--15).
- DeleteObject answers 204 whether or not the key existed; DeleteObjects checks
  s3:DeleteObject for each key and reports a denied key in Errors (AccessDenied, with the
  message a DeleteObject of it would get: "User: ... is not authorized to perform:
  s3:DeleteObject on resource: "arn:aws:s3:::bucket/key" with an explicit deny in a
  resource-based policy" within one account, as recorded from AWS in moto's
  test_deny_delete_policy; "Access Denied" across accounts), the others in Deleted (unless
  Quiet).
- CopyObject needs s3:GetObject on the source (``copy_source``, which UploadPartCopy
  shares; s3:GetObjectVersion when x-amz-copy-source names a ?versionId, as GetObject,
  unconfirmed for a copy source);
  MetadataDirective COPY (default) keeps the source's metadata and content type, REPLACE
  takes the request's; copying an object onto itself without REPLACE is refused
  (recorded, test_s3_copy_object_in_place), unless the request changes the storage class,
  website redirect location or encryption (x-amz-server-side-encryption), or the bucket's
  default encryption was set (recorded, test_copy_in_place_with_bucket_encryption).
- Conditional reads (GetObject, HeadObject; "Conditional requests" in the S3 User Guide;
  RFC 7232, section 6 for the order): If-Match, else If-Unmodified-Since, failing is 412
  PreconditionFailed; then If-None-Match, else If-Modified-Since, failing is 304 Not
  Modified, with no body and the object's ETag and Last-Modified. So If-Match true with
  If-Unmodified-Since false answers 200, and If-None-Match false with If-Modified-Since
  true answers 304, the two combinations the GetObject reference spells out. CopyObject's
  x-amz-copy-source-if-* headers follow the same order, and every failure is 412
  (CopyObject reference). Dates compare to the second, as Last-Modified is sent. An
  If-Modified-Since (or x-amz-copy-source-if-modified-since) later than the present is
  ignored: recorded from AWS, a day ahead answers the object or copies it (LocalStack's
  test_s3 snapshot, obj-ignore-future-modified-since of test_s3_get_object_preconditions;
  test_s3_preconditions, copy-ignore-future-modified-since; test_s3_api,
  test_upload_part_copy_with_copy_source_if_modified_since_in_future_success).

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
member as LocalStack answers it), and so is OUTPOSTS, an Outposts bucket's (recorded:
``_NOT_GENERAL_PURPOSE``). CopyObject: MetadataDirective COPY keeps the source's
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

Versions (versioning.py, common.get_object): PutObject, CopyObject and (multipart.py)
CompleteMultipartUpload write the version ``versioning.write_version`` gives; GetObject and
HeadObject read the latest or ?versionId; DeleteObject without a versionId removes the key
in an unversioned bucket and otherwise inserts a delete marker (204, x-amz-delete-marker:
true, x-amz-version-id of the marker: "null" in a suspended bucket, whose null version it
replaces), with a versionId removes that version for good (x-amz-delete-marker: true when
it was a delete marker; removing the latest delete marker makes the version before it the
latest). DeleteObjects does the same per key and answers DeleteMarker, DeleteMarkerVersionId
and VersionId as recorded from AWS (LocalStack's test_s3_api snapshot,
test_delete_objects_versioned; test_s3, test_delete_keys_in_versioned_bucket), with
NoSuchVersion in Errors for a version that does not exist (in an unversioned bucket too:
recorded, test_s3_api test_delete_objects); DeleteObject answers 204 for one
(unconfirmed). A copy source naming a delete marker is InvalidRequest (recorded,
test_s3_copy_object_src_not_exists); CopyObject answers x-amz-copy-source-version-id when
the source bucket's versioning was ever set (unconfirmed otherwise) and the new version's
x-amz-version-id.

Parts (``_part_span``; "partNumber" and "x-amz-mp-parts-count" in the GetObject and HeadObject
references: "Effectively performs a 'ranged' GET request for the part specified"): with
?partNumber=N, GetObject and HeadObject answer 206 with that part's bytes, Content-Range and
Content-Length, and x-amz-mp-parts-count for a multipart object; an object written in one
request is one part, so partNumber=1 answers all of it, 206 with Content-Range and without
x-amz-mp-parts-count; a part past the last is 416 InvalidPartNumber ("The requested
partnumber is not satisfiable", with ActualPartCount and PartNumberRequested); partNumber
with a Range header is InvalidRequest ("Cannot specify both Range header and partNumber
query parameter"). All recorded from AWS in LocalStack's test_s3 snapshot
(test_get_object_part). With x-amz-checksum-mode ENABLED a part answers its own checksum and
ChecksumType COMPOSITE when the upload kept it (COMPOSITE), none otherwise (recorded,
test_get_object_part_checksum; test_complete_multipart_parts_checksum_*); a single-request
object's partNumber=1 answers its checksum as a whole-object GetObject does. A part number
outside 1 to 10,000 is InvalidArgument as UploadPart's ("Part number must be an integer
between 1 and 10000, inclusive": unconfirmed for GetObject). A multipart object completed
before iamsandbox kept part layouts (schema version 11) knows only its part count: with one
part partNumber=1 is the whole object, with more a part number answers NotImplemented.

CopyObject writes an object in one request: the copy has no parts (GetObjectAttributes
answers no ObjectParts for it) and its ETag is the MD5 of its bytes, also when the source
was a multipart object (recorded, test_complete_multipart_parts_checksum_composite:
copy-obj-checksum, get-copy-object-attrs).

Known gaps: the other storage classes of other bucket kinds (EXPRESS_ONEZONE, FSX_*...) are
taken on a general purpose bucket; no ACLs, SSE-C or KMS (server-side encryption
is recorded and answered: encryption.py). No MFA delete (versioning.py).
Conditional writes and deletes (If-None-Match, If-Match on PutObject, CopyObject and
DeleteObject, an ETag per key in DeleteObjects): write_conditions.py. Archived objects
(GLACIER, DEEP_ARCHIVE): GetObject and a copy source answer 403 InvalidObjectState until
restored, HeadObject answers: archived.py. A copy of a multipart object whose checksum is
COMPOSITE gets the FULL_OBJECT checksum of its bytes (``_copy_checksums``, checksums.py).
"""

from __future__ import annotations

import base64
import binascii
import re
from datetime import datetime
from email.utils import format_datetime
from typing import Any
from urllib.parse import parse_qs

from ... import errors
from ...authz.actions import copy_source_value
from ...errors import (
    AccessDenied,
    InvalidArgument,
    InvalidPartNumber,
    InvalidRange,
    InvalidRedirectLocation,
    InvalidRequest,
    InvalidStorageClass,
    KeyTooLongError,
    MalformedXML,
    MetadataTooLarge,
    MethodNotAllowed,
    NoSuchKey,
    NoSuchVersion,
    NotModified,
    PreconditionFailed,
)
from ...policy.request import PrincipalKind
from ...protocol.http import header_text
from ...store.interface import Bucket, ObjectHeaders, S3Object
from ..context import CallContext
from . import (
    acl,
    archived,
    checksums,
    common,
    configuration,
    encryption,
    expected_owner,
    requester_pays,
    tagging,
    versioning,
    write_conditions,
)

_RANGE = re.compile(r"bytes=(\d*)-(\d*)")
MAX_DELETE = 1000  # "The request can contain a list of up to 1,000 keys" (DeleteObjects)
MAX_KEY_BYTES = 1024
MAX_METADATA_BYTES = 2048  # "2 KB" (module docstring; 2,048 rather than 2,000 is unconfirmed)
# x-amz-website-redirect-location: "The value must be prefixed by /, http://, or https://"
# (POST Object, S3 API Reference), else InvalidRedirectLocation (errors.py).
_REDIRECT_PREFIXES = ("/", "http://", "https://")
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
# Storage classes of the enum a general purpose bucket refuses as unknown ones: OUTPOSTS,
# recorded from AWS for PutObject and CreateMultipartUpload (InvalidStorageClass with
# StorageClassRequested, LocalStack's test_s3 snapshot, test_put_object_storage_class_outposts).
_NOT_GENERAL_PURPOSE = frozenset({"OUTPOSTS"})
# The standard headers: ObjectHeaders field, the request's (and GetObject's) member name.
_HEADER_MEMBERS = (
    ("cache_control", "CacheControl"),
    ("content_disposition", "ContentDisposition"),
    ("content_encoding", "ContentEncoding"),
    ("content_language", "ContentLanguage"),
    ("expires", "Expires"),
    ("website_redirect_location", "WebsiteRedirectLocation"),
)


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
    if storage_class is not None and (storage_class not in STORAGE_CLASSES or storage_class in _NOT_GENERAL_PURPOSE):
        raise InvalidStorageClass(StorageClassRequested=str(storage_class))
    redirect = params.get("WebsiteRedirectLocation")
    if redirect is not None and not str(redirect).startswith(_REDIRECT_PREFIXES):
        raise InvalidRedirectLocation()


# Set by POST Object (server/post_object.py): its form's fields are kept as written, encoded
# words included ("=?UTF-8?Q?actually-ascii?=" stays, recorded: LocalStack's test_s3
# snapshot, test_post_object_with_unicode_metadata), where a header's are decoded first.
WORDS_KEPT = "iamsandbox:metadata-words-kept"


def stored_metadata(params: dict[str, Any]) -> dict[str, str]:
    """The user-defined metadata as S3 keeps it: "If the string contains non US-ASCII
    characters, it is first character-encoded by using UTF-8 and then encoded into US-ASCII"
    by RFC 2047 ("Working with object metadata", S3 User Guide). Recorded from AWS
    (LocalStack's test_s3 snapshot: test_user_metadata_rfc2047_encoded, ..._bad_b64_encoded,
    test_put_unicode_metadata_with_sig_s3, test_post_object_with_unicode_metadata): a
    header's bytes are read as UTF-8 (one that is none as U+FFFD), its encoded words decoded
    ("=?UTF-8?B?YWJj?=" is kept as "abc"); a value left with a character outside printable
    ASCII (tab aside) is one encoded word: "Q" when most of its characters are ASCII
    (=C3=84M=C3=84Z=C3=95=C3=91_S3: a space as "_", "=", "?", "_" and the rest outside
    printable ASCII as =XX), else "B" (=?UTF-8?B?77+977+9...?=)."""
    metadata = params.get("Metadata") or {}
    kept = bool(params.get(WORDS_KEPT))
    return {str(name): _rfc2047(header_text(str(value)), decode=not kept) for name, value in metadata.items()}


_ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=")
_Q_SPECIALS = frozenset(b"=?_")


def _decoded_word(match: re.Match[str]) -> str:
    charset, kind, text = match.groups()
    try:
        if kind in "Bb":
            raw = base64.b64decode(text + "=" * (-len(text) % 4))
        else:
            raw = binascii.a2b_qp(text.replace("_", " ").encode("ascii"), header=True)
        return raw.decode(charset, "replace")
    except (ValueError, LookupError, binascii.Error):
        return match.group(0)


def _outside_ascii(character: str) -> bool:
    """Whether a character counts as non-ASCII (``stored_metadata``): beyond printable ASCII,
    or a control character other than tab, CR and LF (which an encoded word can carry and a
    header cannot: the server sends them as spaces, server/app.py)."""
    code = ord(character)
    return code >= 0x7F or (code < 0x20 and character not in "\t\r\n")


def _rfc2047(value: str, decode: bool = True) -> str:
    """``value`` as S3 keeps a metadata value (``stored_metadata``)."""
    if decode and "=?" in value:
        value = _ENCODED_WORD.sub(_decoded_word, value)
    outside = [character for character in value if _outside_ascii(character)]
    if not outside:
        return value
    raw = value.encode("utf-8", "replace")
    # Mostly ASCII: more ASCII characters than others, counted in UTF-16 units (an emoji is two).
    if len(value) - len(outside) > sum(2 if ord(character) > 0xFFFF else 1 for character in outside):
        encoded = "".join(
            "_" if byte == 0x20 else f"={byte:02X}" if byte < 0x20 or byte > 0x7E or byte in _Q_SPECIALS else chr(byte)
            for byte in raw
        )
        return f"=?UTF-8?Q?{encoded}?="
    return f"=?UTF-8?B?{base64.b64encode(raw).decode('ascii')}?="


def write_headers(params: dict[str, Any]) -> ObjectHeaders:
    """The standard headers a write (PutObject, CreateMultipartUpload, CopyObject with
    REPLACE) gives its object; no x-amz-storage-class is STANDARD."""
    given: dict[str, Any] = {field: params.get(member) for field, member in _HEADER_MEMBERS}
    return ObjectHeaders(**given, storage_class=params.get("StorageClass") or common.STANDARD)


def put_object(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = common.bucket(ctx, params["Bucket"])
    if params.get("Tagging"):  # x-amz-tagging sets the tag set: s3:PutObjectTagging too (module docstring)
        ctx.authorize(
            "s3:PutObjectTagging", common.object_arn(found.name, params["Key"]), tagging.request_tag_keys(params)
        )
    check_write(params, params["Key"])
    acl.check_object_write(ctx, found, params)  # x-amz-acl, x-amz-grant-*: see acl.py
    data = common.read_body(params.get("Body"))
    common.check_content_md5(params.get("ContentMD5"), data)
    write_conditions.check_write(ctx, found.name, params["Key"], params)  # If-None-Match, If-Match
    tags = tagging.header_tags(params.get("Tagging"))  # x-amz-tagging; none replaces the old object's
    kept = checksums.given_or_default(params, data)  # a CRC64NVME when the request gives none
    stored = ctx.tx.put_object(
        found.name,
        params["Key"],
        data,
        common.md5_etag(data),
        content_type=params.get("ContentType"),
        metadata=stored_metadata(params),
        checksums=kept,
        tags=tags,
        headers=encryption.apply(ctx, found, params, write_headers(params)),
        version_id=versioning.write_version(found),
    )
    return {
        "ETag": stored.etag,
        **encryption.members(stored.headers),
        **versioning.written(stored),
        **checksums.members(kept),
        "ChecksumType": common.checksum_type(stored),
    }


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
        length = common.whole_number(last)
        if length == 0 or size == 0:
            raise InvalidRange(ActualObjectSize=str(size), RangeRequested=header)
        return max(0, size - length), size - 1
    start = common.whole_number(first)
    end = size - 1 if not last else min(common.whole_number(last), size - 1)
    if last and common.whole_number(last) < start:
        return None  # an invalid range is ignored (RFC 7233, section 3.1)
    if start >= size:
        raise InvalidRange(ActualObjectSize=str(size), RangeRequested=header)
    return start, end


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
    now: datetime,
) -> str | None:
    """The first precondition that does not hold, in RFC 7232's order (section 6), or None:
    If-Match, else If-Unmodified-Since; then If-None-Match, else If-Modified-Since. An
    If-Modified-Since later than ``now`` is ignored ("A date which is later than the server's
    current time is invalid", RFC 2616, section 14.25): recorded from AWS, 200 for GetObject,
    HeadObject, CopyObject and UploadPartCopy (module docstring)."""
    modified = _to_second(found.last_modified)
    # The object's own time is never the future, should this replica's clock be behind the
    # one that wrote it.
    if if_modified_since is not None and if_modified_since > max(now, modified):
        if_modified_since = None
    if if_match is not None:
        if not common.etag_listed(if_match, found.etag):
            return "If-Match"
    elif if_unmodified_since is not None and modified > if_unmodified_since:
        return "If-Unmodified-Since"
    if if_none_match is not None:
        if common.etag_listed(if_none_match, found.etag):
            return "If-None-Match"
    elif if_modified_since is not None and modified <= if_modified_since:
        return "If-Modified-Since"
    return None


def _check_conditions(ctx: CallContext, params: dict[str, Any], found: S3Object) -> None:
    """GetObject's and HeadObject's conditional headers (module docstring): 412 for
    If-Match and If-Unmodified-Since, 304 Not Modified for If-None-Match and
    If-Modified-Since ("Conditional requests", S3 User Guide; GetObject, HeadObject)."""
    failed = _failed_condition(
        found,
        params.get("IfMatch"),
        params.get("IfUnmodifiedSince"),
        params.get("IfNoneMatch"),
        params.get("IfModifiedSince"),
        ctx.now,
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
        **encryption.members(found.headers),
        "Metadata": dict(found.metadata),
    }
    for field, member in _HEADER_MEMBERS:
        value = getattr(found.headers, field)
        if value is not None:
            out[member] = value
    if found.headers.storage_class != common.STANDARD:  # not sent for STANDARD (module docstring)
        out["StorageClass"] = found.headers.storage_class
    if params.get("ChecksumMode") == "ENABLED" and found.checksums:
        for name, value in found.checksums.items():
            out[f"Checksum{name}"] = value
        out["ChecksumType"] = common.checksum_type(found)
    # The response-* query parameters override the stored headers ("GetObject").
    for member in _OVERRIDDEN:
        override = params.get(f"Response{member}")
        if override is not None:
            out[member] = override
    if params.get("ResponseExpires") is not None:
        out["Expires"] = params["ResponseExpires"]
    return out


_OVERRIDDEN = ("CacheControl", "ContentDisposition", "ContentEncoding", "ContentLanguage", "ContentType")
# Each response-* override's member and its name in the query (ResponseCacheControl:
# response-cache-control, as GetObject's model locates it).
_OVERRIDES = {
    f"Response{member}": "response-" + re.sub(r"(?<=[a-z])(?=[A-Z])", "-", member).lower()
    for member in (*_OVERRIDDEN, "Expires")
}


def _check_overrides(ctx: CallContext, params: dict[str, Any]) -> None:
    """GetObject and HeadObject's response-* parameters: "you must sign the request by using
    either an Authorization header or a presigned URL" to use them; "These parameters cannot
    be used with an unsigned (anonymous) request." S3's words, recorded (floci-io/floci#1098).
    A value a header cannot carry (ISO-8859-1 only) is InvalidArgument naming the parameter,
    recorded from AWS (LocalStack's test_s3 snapshot, a presigned GetObject's
    response-cache-control holding an em dash; HeadObject's answer is unrecorded)."""
    if params.keys().isdisjoint(_OVERRIDES):  # the usual request: one check, in C
        return
    given = [(name, value) for name in _OVERRIDES if (value := params.get(name)) is not None]
    if not given:
        return
    if ctx.caller.kind is PrincipalKind.ANONYMOUS:
        raise errors.InvalidRequest("Request specific response headers cannot be used for anonymous GET requests.")
    for name, value in given:
        try:
            str(value).encode("latin-1")
        except UnicodeEncodeError:
            raise errors.InvalidArgument(
                "Header value cannot be represented using ISO-8859-1.",
                ArgumentName=_OVERRIDES[name],
                ArgumentValue=str(value),
            ) from None


MAX_PART_NUMBER = 10000  # "a positive integer between 1 and 10,000" (GetObject, partNumber)


def _part_number(params: dict[str, Any]) -> int | None:
    """?partNumber, checked before the object is read (the order is unconfirmed)."""
    number = params.get("PartNumber")
    if number is None:
        return None
    if params.get("Range"):
        raise InvalidRequest("Cannot specify both Range header and partNumber query parameter")  # recorded
    if not 1 <= int(number) <= MAX_PART_NUMBER:
        raise InvalidArgument(
            "Part number must be an integer between 1 and 10000, inclusive",  # UploadPart's; unconfirmed here
            ArgumentName="partNumber",
            ArgumentValue=str(number),
        )
    return int(number)


def _part_span(found: S3Object, number: int, out: dict[str, Any], checksum_mode: bool) -> tuple[int, int]:
    """(start, length) of part ``number`` of the object (module docstring), and the part's
    members in ``out``: Content-Length, Content-Range, PartsCount, the part's checksum."""
    layout = found.parts()
    count = common.parts_count(found)
    if layout is None and count is not None and count > 1:
        raise errors.NotImplemented(
            "This object was completed before iamsandbox kept the sizes of its parts (schema version 11):"
            " its parts cannot be read by part number."
        )
    if layout is None:  # one part: the whole object (written in one request, or one part)
        sizes = [found.size]
    else:
        sizes = [part.size for part in layout]
    if number > len(sizes):
        raise InvalidPartNumber(ActualPartCount=str(len(sizes)), PartNumberRequested=str(number))
    start = sum(sizes[: number - 1])
    length = sizes[number - 1]
    out["ContentLength"] = length
    if length:  # an empty part has no byte range to name (unconfirmed)
        out["ContentRange"] = f"bytes {start}-{start + length - 1}/{found.size}"
    if count is not None:
        out["PartsCount"] = len(sizes)
        for name in checksums.ALGORITHMS:  # the object's checksum is not the part's
            out.pop(f"Checksum{name}", None)
        out.pop("ChecksumType", None)
        part_checksums = layout[number - 1].checksums if layout is not None else {}
        if part_checksums and checksum_mode:
            for name, value in part_checksums.items():
                out[f"Checksum{name}"] = value
            out["ChecksumType"] = checksums.COMPOSITE
    return start, length


def _read_version(ctx: CallContext, params: dict[str, Any], method: str) -> tuple[Bucket, S3Object]:
    found = common.bucket(ctx, params["Bucket"])
    version = common.get_object(ctx, found.name, params["Key"], params.get("VersionId"), method)
    return found, version


def get_object(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    _check_overrides(ctx, params)
    number = _part_number(params)
    bucket, found = _read_version(ctx, params, "GET")
    archived.check_readable(found)  # GLACIER, DEEP_ARCHIVE: see archived.py
    _check_conditions(ctx, params, found)
    out = _object_headers(found, params)
    out.update(common.version_member(bucket, found))
    tagging.add_tag_count(ctx, found, out)
    version_id = None if found.is_latest else found.version_id
    if number is not None:
        start, length = _part_span(found, number, out, params.get("ChecksumMode") == "ENABLED")
        body = ctx.tx.read_object(found.bucket, found.key, start, length, version_id=version_id)
        out["Body"] = body or b""
        return out
    span = _resolve_range(params.get("Range"), found.size)
    if span is None:
        body = ctx.tx.read_object(found.bucket, found.key, version_id=version_id)
    else:
        start, end = span
        body = ctx.tx.read_object(found.bucket, found.key, start, end - start + 1, version_id=version_id)
        out["ContentLength"] = end - start + 1
        out["ContentRange"] = f"bytes {start}-{end}/{found.size}"
        if (start, end) != (0, found.size - 1):  # a range of all of it keeps the checksum (module docstring)
            for name in checksums.ALGORITHMS:
                out.pop(f"Checksum{name}", None)
            out.pop("ChecksumType", None)
    out["Body"] = body or b""
    return out


def head_object(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    _check_overrides(ctx, params)
    number = _part_number(params)
    bucket, found = _read_version(ctx, params, "HEAD")
    _check_conditions(ctx, params, found)
    out = _object_headers(found, params)
    out.update(common.version_member(bucket, found))
    tagging.add_tag_count(ctx, found, out)
    if number is not None:
        _part_span(found, number, out, params.get("ChecksumMode") == "ENABLED")
        return out
    span = _resolve_range(params.get("Range"), found.size)
    if span is not None:
        start, end = span
        out["ContentLength"] = end - start + 1
        out["ContentRange"] = f"bytes {start}-{end}/{found.size}"
    return out


def _delete(ctx: CallContext, found: Bucket, key: str, version_id: str | None) -> dict[str, Any]:
    """DeleteObject's work (module docstring): its output members."""
    if version_id is not None:
        common.check_version_id(ctx, found, key, version_id)
        removed = ctx.tx.delete_object_version(found.name, key, version_id)
        out: dict[str, Any] = {"VersionId": version_id}
        if removed is not None and removed.delete_marker:
            out["DeleteMarker"] = True
        return out
    if found.versioning is None:
        ctx.tx.delete_object(found.name, key)
        return {}
    marker = ctx.tx.put_delete_marker(found.name, key, versioning.write_version(found))
    return {"DeleteMarker": True, "VersionId": marker.version_id}


def delete_object(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = common.bucket(ctx, params["Bucket"])
    write_conditions.check_delete_headers(params)
    write_conditions.check_delete(ctx, found.name, params["Key"], params.get("IfMatch"))
    return _delete(ctx, found, params["Key"], params.get("VersionId"))


def _deleted(ctx: CallContext, found: Bucket, key: str, version_id: str | None) -> dict[str, Any]:
    """One DeleteObjects entry (recorded from AWS, module docstring): a new delete marker is
    DeleteMarker and DeleteMarkerVersionId; a version removed, its VersionId, and when it was
    a delete marker DeleteMarker and DeleteMarkerVersionId too. A version ID that names no
    version is NoSuchVersion, even in a bucket whose versioning was never set, where
    DeleteObject answers InvalidArgument (recorded from AWS, LocalStack's test_s3_api
    snapshot, test_delete_objects: delete-object-wrong-version-id); a malformed one stays
    InvalidArgument (unconfirmed). In a versioned bucket an ID of S3's own that names no
    version of the key (another key's, one deleted already) is Deleted, as DeleteObject
    answers it 204, and a changed one NoSuchVersion (both recorded from S3: a public report of
    DeleteObjects requests sent to s3.amazonaws.com in 2026, test c2; LocalStack's
    test_delete_keys_in_versioned_bucket)."""
    if version_id is not None and ctx.tx.get_object_version(found.name, key, version_id) is None:
        if found.versioning is not None or not common.VERSION_ID.fullmatch(version_id):
            common.check_version_id(ctx, found, key, version_id, sealed=False)
        if found.versioning is None or not common.made_by_s3(version_id):  # (it names no version)
            raise NoSuchVersion(Key=key, VersionId=version_id)
        return {"Key": key, "VersionId": version_id}
    result = _delete(ctx, found, key, version_id)
    entry: dict[str, Any] = {"Key": key}
    if result.get("DeleteMarker"):
        entry["DeleteMarker"] = True
        entry["DeleteMarkerVersionId"] = result["VersionId"]
    if version_id is not None:
        entry["VersionId"] = version_id
    return entry


def delete_objects(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = common.bucket(ctx, params["Bucket"])
    request = params.get("Delete") or {}
    items = request.get("Objects") or []
    if not items or len(items) > MAX_DELETE:
        raise MalformedXML()
    deleted: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    seen: set[tuple[str, str | None]] = set()
    for item in items:
        key = str(item["Key"])
        version_id = str(item["VersionId"]) if item.get("VersionId") is not None else None
        if (key, version_id) in seen:
            # One result for an entry given twice, carried out once (no VersionId and "null"
            # are two): recorded from S3 (the 2026 DeleteObjects report, tests a4, b3,
            # same_vid_twice_dedup, vid_null_twice_dedup, bare_plus_vid_null_no_dedup).
            continue
        seen.add((key, version_id))
        failed: dict[str, Any] = {"Key": key} if version_id is None else {"Key": key, "VersionId": version_id}
        etag = str(item["ETag"]) if item.get("ETag") is not None else None  # a conditional delete
        try:
            if version_id is None:
                # An object's ETag is its If-Match ("How to enforce conditional deletes": a
                # policy requiring s3:if-match allows DeleteObjects with ETags).
                condition = {"s3:if-match": etag} if etag is not None else {}
                ctx.authorize("s3:DeleteObject", common.object_arn(found.name, key), condition)
            else:  # as DeleteObject with a versionId (authz/actions.py)
                ctx.authorize(
                    "s3:DeleteObjectVersion", common.object_arn(found.name, key), {"s3:versionid": version_id}
                )
            write_conditions.check_delete(ctx, found.name, key, etag)  # s3:GetObject for an ETag
            deleted.append(_deleted(ctx, found, key, version_id))
        except AccessDenied as denied:  # in the words of a single request's denial (module docstring)
            errors.append({**failed, "Code": "AccessDenied", "Message": denied.message})
        except (NoSuchVersion, InvalidArgument, NoSuchKey, PreconditionFailed) as error:
            errors.append({**failed, "Code": error.code, "Message": error.message})
    out: dict[str, Any] = {}
    if deleted and not request.get("Quiet"):
        out["Deleted"] = deleted
    if errors:
        out["Errors"] = errors
    return out


def _copy_source(value: str) -> tuple[str, str, str | None]:
    """The source bucket, key and version ID (None: the latest) of x-amz-copy-source
    ("bucket/key", URL-encoded, an optional leading slash and ?versionId). A value without
    a bucket and a key is InvalidArgument "Invalid copy source object key", naming the header
    twice: recorded from AWS for "wrongformat" (LocalStack's test_s3 snapshot,
    test_s3_copy_object_wrong_format); an empty bucket or key is refused alike (unconfirmed)."""
    bucket, _, key = copy_source_value(value).partition("/")  # as policies see it (s3:x-amz-copy-source)
    query = value.partition("?")[2]
    if not bucket or not key:
        raise InvalidArgument(
            "Invalid copy source object key",
            ArgumentName="x-amz-copy-source",
            ArgumentValue="x-amz-copy-source",
        )
    versions = parse_qs(query, keep_blank_values=True).get("versionId", [])
    return bucket, key, (versions[-1] if versions else None)


def copy_source(ctx: CallContext, params: dict[str, Any], *, part: bool = False) -> S3Object:
    """The object x-amz-copy-source names (CopyObject, UploadPartCopy): the caller needs
    s3:GetObject on it (both references' Permissions; s3:GetObjectVersion for a ?versionId,
    module docstring), then it must exist (NoSuchBucket, NoSuchKey, NoSuchVersion; a delete
    marker named by version ID is InvalidRequest), not be archived (archived.py) and pass the
    x-amz-copy-source-if-* conditions. Each condition that fails is 412, in GetObject's order
    (if-match true with if-unmodified-since false copies; if-none-match false with
    if-modified-since true is refused: CopyObject and UploadPartCopy references). The
    Condition member's text is unconfirmed.

    A ?versionId S3 refuses names the header, x-amz-copy-source; CopyObject (not ``part``,
    UploadPartCopy) answers an ID S3 did not make with a bare InvalidRequest (recorded from
    S3: a public report of requests sent to s3.amazonaws.com in 2026 on delete markers as
    copy sources, tests I1, I2, J1, J2)."""
    source_bucket, source_key, version_id = _copy_source(params["CopySource"])
    arn = common.object_arn(source_bucket, source_key)
    if version_id is None:
        ctx.authorize("s3:GetObject", arn, {})
    else:
        ctx.authorize("s3:GetObjectVersion", arn, {"s3:versionid": version_id})
    source_account = common.bucket(ctx, source_bucket).account_id
    expected_owner.check(source_account, params.get("ExpectedSourceBucketOwner"))
    # A Requester Pays source: another account says it pays (requester_pays.py).
    requester_pays.charged(ctx.tx, source_bucket, source_account, ctx.caller.account, params.get("RequestPayer"))
    try:
        source = common.get_object(ctx, source_bucket, source_key, version_id)
    except MethodNotAllowed:
        # Recorded from AWS (LocalStack's test_s3 snapshot, test_s3_copy_object_src_not_exists).
        raise InvalidRequest(
            "The source of a copy request may not specifically refer to a delete marker by version id."
        ) from None
    except InvalidArgument as refused:
        if version_id and not part:
            raise InvalidRequest() from None
        raise InvalidArgument(
            refused.message, ArgumentName="x-amz-copy-source", ArgumentValue=version_id or ""
        ) from None
    archived.check_copy_source(source)  # GLACIER, DEEP_ARCHIVE: see archived.py
    failed = _failed_condition(
        source,
        params.get("CopySourceIfMatch"),
        params.get("CopySourceIfUnmodifiedSince"),
        params.get("CopySourceIfNoneMatch"),
        params.get("CopySourceIfModifiedSince"),
        ctx.now,
    )
    if failed is not None:
        raise PreconditionFailed(Condition=f"x-amz-copy-source-{failed}")
    return source


def read_source(ctx: CallContext, source: S3Object, start: int = 0, length: int | None = None) -> bytes:
    """The bytes of a copy source (its version, when not the latest)."""
    version_id = None if source.is_latest else source.version_id
    return ctx.tx.read_object(source.bucket, source.key, start, length, version_id=version_id) or b""


# x-amz-metadata-directive and x-amz-tagging-directive: "Valid Values: COPY | REPLACE"
# (CopyObject); another is InvalidArgument "Unknown metadata directive." (S3's answer as the
# S3-compatible servers that copy its errors give it; unconfirmed from AWS's own pages).
_DIRECTIVES = (
    ("MetadataDirective", "x-amz-metadata-directive", "metadata"),
    ("TaggingDirective", "x-amz-tagging-directive", "tagging"),
)


def _copy_headers(params: dict[str, Any], source: S3Object, replace: bool) -> ObjectHeaders:
    """The copy's standard headers (module docstring): the request's with REPLACE, else the
    source's; the website redirect location and the storage class always the request's."""
    if replace:
        return write_headers(params)
    kept = {field: getattr(source.headers, field) for field, _member in _HEADER_MEMBERS}
    kept["website_redirect_location"] = params.get("WebsiteRedirectLocation")
    return ObjectHeaders(**kept, storage_class=params.get("StorageClass") or common.STANDARD)


def _copy_checksums(source: S3Object, data: bytes, algorithm: str | None = None) -> dict[str, str]:
    """The copy's checksums: with x-amz-checksum-algorithm, one of that algorithm ("You can
    optionally specify a different checksum algorithm to use with the x-amz-checksum-algorithm
    header", CopyObject reference); without it the source's ("the checksum algorithm will be
    copied from the source object"), but a COMPOSITE one (a multipart upload's checksum of
    its parts' checksums) is no checksum of the copy, written in one request: it gets the
    FULL_OBJECT checksum of its bytes in the same algorithm (checksums.py)."""
    if algorithm is not None:
        return {algorithm: checksums.of_bytes(algorithm, data)}
    copied = {
        name: checksums.of_bytes(name, data) if checksums.is_composite(value) else value
        for name, value in source.checksums.items()
    }
    # A source written before objects got a default checksum has none; its copy is a new object.
    return copied or checksums.default(data)


def copy_object(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    target = common.bucket(ctx, params["Bucket"])
    common.refuse_anonymous(ctx, common.ANONYMOUS_COPY)  # whatever the bucket policies grant
    checksums.check_algorithm(params.get("ChecksumAlgorithm"))
    key = params["Key"]
    for member, header, what in _DIRECTIVES:
        if params.get(member) not in (None, "COPY", "REPLACE"):
            raise InvalidArgument(f"Unknown {what} directive.", ArgumentName=header, ArgumentValue=str(params[member]))
    replace = params.get("MetadataDirective") == "REPLACE"
    # The destination's limits; with COPY the request's metadata is not used.
    check_write(params if replace else {**params, "Metadata": None}, key)
    acl.check_object_write(ctx, target, params)
    source = copy_source(ctx, params)
    in_place = (source.bucket, source.key) == (target.name, key) and source.is_latest
    if in_place and not (
        replace
        or params.get("StorageClass") is not None
        or params.get("WebsiteRedirectLocation") is not None
        # An encryption header is a change, as is a bucket default encryption that was set
        # (recorded from AWS: test_s3_copy_object_in_place_with_encryption "copy-object-in-place-
        # with-aes", test_copy_in_place_with_bucket_encryption, LocalStack's test_s3 snapshot;
        # SSEKMSKeyId alone is unconfirmed). Read only for a copy onto itself.
        or params.get("ServerSideEncryption") is not None
        or params.get("SSEKMSKeyId") is not None
        or configuration.load_stored(ctx, target.name, "encryption") is not None
    ):
        raise InvalidRequest(
            "This copy request is illegal because it is trying to copy an object to itself without changing the"
            " object's metadata, storage class, website redirect location or encryption attributes."
        )
    write_conditions.check_write(ctx, target.name, key, params)  # the destination's If-None-Match, If-Match
    # x-amz-tagging-directive: COPY (default) keeps the source's tags, REPLACE takes x-amz-tagging.
    tags = tagging.header_tags(params.get("Tagging")) if params.get("TaggingDirective") == "REPLACE" else source.tags
    data = read_source(ctx, source)
    stored = ctx.tx.put_object(
        target.name,
        key,
        data,
        common.md5_etag(data),  # one request's ETag, also for a multipart source (module docstring)
        content_type=params.get("ContentType") if replace else source.content_type,
        metadata=stored_metadata(params) if replace else dict(source.metadata),
        checksums=_copy_checksums(source, data, params.get("ChecksumAlgorithm")),
        tags=tags,
        headers=encryption.apply(ctx, target, params, _copy_headers(params, source, replace)),
        version_id=versioning.write_version(target),
    )
    result: dict[str, Any] = {"ETag": stored.etag, "LastModified": stored.last_modified}
    if stored.checksums:  # the copy's checksum (recorded: CopyObjectResult, test_s3_preconditions snapshot)
        result.update({f"Checksum{name}": value for name, value in stored.checksums.items()})
        result["ChecksumType"] = common.checksum_type(stored)
    out: dict[str, Any] = {
        "CopyObjectResult": result,
        **encryption.members(stored.headers),
        **versioning.written(stored),
        **copy_source_version(ctx, source),
    }
    return out


def copy_source_version(ctx: CallContext, source: S3Object) -> dict[str, str]:
    """CopySourceVersionId (x-amz-copy-source-version-id) of CopyObject and UploadPartCopy:
    "The version of the source object that was copied, if you have enabled versioning on the
    source bucket" (UploadPartCopy, S3 API reference)."""
    source_bucket = ctx.tx.get_bucket(source.bucket)
    if source_bucket is not None and source_bucket.versioning is not None:
        return {"CopySourceVersionId": source.version_id}
    return {}

"""Multipart uploads: CreateMultipartUpload, UploadPart, CompleteMultipartUpload,
AbortMultipartUpload, ListParts, ListMultipartUploads (Amazon S3 API Reference;
"Uploading and copying objects using multipart upload" in the S3 User Guide).

- Part numbers are 1 to 10,000 (InvalidArgument, recorded from AWS in LocalStack's
  test_s3 snapshot, test_complete_multipart_parts_order).
- CompleteMultipartUpload: at least one part (without a body, InvalidRequest "You must
  specify at least one part"; a body listing no part, or a part without its PartNumber or
  ETag, is MalformedXML: AWS's answer to `{"Parts": []}` quoted in versity/versitygw#1328
  and apache/arrow-rs#5404, and ceph's s3-tests test_multipart_upload_empty),
  in ascending order (InvalidPartOrder), each uploaded with the ETag given (InvalidPart),
  each but the last at least 5 MiB (EntityTooSmall, with ETag, MinSizeAllowed, PartNumber
  and ProposedSize): all recorded from AWS in LocalStack's test_s3 snapshot.
- The object's ETag is the MD5 of the parts' binary MD5s, a hyphen and the part count.
- CompleteMultipartUpload's If-None-Match and If-Match (412, NoSuchKey, 409
  ConditionalRequestConflict when the key changed during the upload): write_conditions.py.
- ListMultipartUploads: Prefix, Delimiter (CommonPrefixes, as ListObjects rolls them up),
  KeyMarker and UploadIdMarker, MaxUploads (1,000 at most and by default), IsTruncated,
  NextKeyMarker and NextUploadIdMarker. EncodingType=url is echoed and encodes Delimiter,
  KeyMarker, Prefix, NextKeyMarker and each Key ("EncodingType" in the
  ListMultipartUploads reference), and each CommonPrefixes/Prefix as ListObjects does, in
  the form ``listing.url_encode`` describes.
- UploadPartCopy (``upload_part_copy``): a part copied from (a range of) an existing
  object; the part then lists and completes as an uploaded one.
- CreateMultipartUpload takes PutObject's limits and standard headers (``objects.check_write``,
  ``objects.write_headers``: key length, metadata size, storage class, Cache-Control...),
  which the completed object gets; ListParts and ListMultipartUploads show the upload's
  StorageClass. Its x-amz-tagging needs no s3:PutObjectTagging: the CreateMultipartUpload
  reference's Permissions name none (PutObject's do; see objects.py).

- Checksums ("Checking object integrity in Amazon S3", S3 User Guide; CreateMultipartUpload,
  UploadPart, ListParts): CreateMultipartUpload keeps x-amz-checksum-algorithm and
  x-amz-checksum-type (default COMPOSITE, FULL_OBJECT for CRC64NVME: "x-amz-checksum-type",
  CreateMultipartUpload) and answers both; UploadPart keeps the x-amz-checksum-* it is given
  and answers them; ListParts answers the upload's algorithm and type and each part's
  checksums (all recorded from AWS in LocalStack's test_s3 snapshot,
  test_complete_multipart_parts_checksum_composite and _full_object).
  CompleteMultipartUpload gives the object its own checksum from the parts' (checksums.py:
  COMPOSITE, "<checksum of the part checksums>-<part count>", or FULL_OBJECT, the CRC of the
  whole object), keeps it and answers it with its ChecksumType, as HeadObject and GetObject
  (x-amz-checksum-mode ENABLED) and GetObjectAttributes then do ("Checking object integrity
  for data uploads in Amazon S3", S3 User Guide). An upload created without an algorithm
  gives its object the default FULL_OBJECT CRC64NVME (checksums.py): each part keeps its
  CRC64NVME besides what UploadPart sent, ListParts shows neither (recorded,
  test_complete_multipart_parts_checksum_default). UploadPartCopy computes the part's checksum
  from the copied bytes (``_part_checksums``; recorded, test_multipart_upload_part_copy_checksum).
- Part layout (``_layout``): the completed object keeps its parts' sizes in order, and for
  a COMPOSITE upload each part's checksum of the upload's algorithm, which GetObject and
  HeadObject with partNumber and GetObjectAttributes ObjectParts read (objects.py,
  object_attributes.py). A part is known by its place in the object (1 to the part
  count), also when the upload's part numbers were not consecutive (unconfirmed).

  An upload created with an algorithm takes parts of that algorithm only (InvalidRequest
  "Checksum Type mismatch occurred, ..."); CompleteMultipartUpload then refuses another
  x-amz-checksum-type first (``_check_checksum_mode``), needs the part numbers 1 to N
  (InvalidPartOrder) and, for a COMPOSITE upload, each part's checksum in its body; a part
  checksum of the upload's algorithm in the body that is not the part's is InvalidPart, one of
  another algorithm BadDigest (``_check_other_checksums``); a FULL_OBJECT upload's object
  checksum given with the request is checked as ``_check_full_object_claim`` says.

Known gaps: CompleteMultipartUpload does not check a COMPOSITE checksum it is given.
CreateMultipartUpload refuses an algorithm and a type that do not go together
(``_check_checksum_choice``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote_plus

from ...errors import (
    BadDigest,
    EntityTooSmall,
    InvalidArgument,
    InvalidPart,
    InvalidPartOrder,
    InvalidRequest,
    MalformedXML,
    NoSuchUpload,
)
from ...store.interface import MultipartUpload, ObjectPart, Part
from ..context import CallContext
from . import acl, checksums, common, encryption, listing, objects, tagging, versioning, write_conditions

MIN_PART_SIZE = 5 * 1024 * 1024
# "Part size: 5 MiB to 5 GiB" ("Amazon S3 multipart upload limits", S3 User Guide).
MAX_PART_SIZE = 5 * 1024 * 1024 * 1024
MAX_PART_NUMBER = 10000
DEFAULT_LIST = 1000
COMPOSITE, FULL_OBJECT = checksums.COMPOSITE, checksums.FULL_OBJECT


def _upload(ctx: CallContext, params: dict[str, Any]) -> MultipartUpload:
    common.bucket(ctx, params["Bucket"])
    upload_id = params["UploadId"]
    found = ctx.tx.get_multipart_upload(upload_id)
    if found is None or found.bucket != params["Bucket"] or found.key != params["Key"]:
        raise NoSuchUpload(UploadId=upload_id)
    return found


def _initiator(ctx: CallContext, upload: MultipartUpload) -> dict[str, str]:
    """Initiator (S3 API Reference): "If the principal is an Amazon Web Services account, it
    provides the Canonical User ID. If the principal is an IAM User, it provides a user ARN
    value", and DisplayName, "Name of the Principal". AWS answers DisplayName for the
    initiator where the Owner has ID alone (recorded from AWS in 2026, LocalStack's test_s3
    snapshot, test_multipart_and_list_parts and test_complete_multipart_parts_checksum_default:
    ListParts and ListMultipartUploads; the recordings mask its value): an IAM user's is its
    name, an account's its name here (the account's own display name, unconfirmed)."""
    arn = upload.initiator_arn
    parts = arn.split(":", 5)
    if len(parts) == 6 and parts[2] == "iam" and parts[5] == "root":
        account = ctx.tx.get_account(parts[4])
        return {**common.owner(parts[4]), "DisplayName": account.name if account is not None else parts[4]}
    return {"ID": arn, "DisplayName": arn.rsplit("/", 1)[-1]}


def create_multipart_upload(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = common.bucket(ctx, params["Bucket"])
    common.refuse_anonymous(ctx, common.ANONYMOUS_MULTIPART)  # whatever the bucket policy grants
    objects.check_write(params, params["Key"])
    acl.check_object_write(ctx, found, params)  # as PutObject: x-amz-acl, x-amz-grant-*
    tags = tagging.header_tags(params.get("Tagging"))  # x-amz-tagging: the completed object's tags
    algorithm = params.get("ChecksumAlgorithm")
    checksum_type = params.get("ChecksumType")
    _check_checksum_choice(algorithm, checksum_type)
    if algorithm is not None and checksum_type is None:
        checksum_type = FULL_OBJECT if algorithm == "CRC64NVME" else COMPOSITE  # module docstring
    upload = ctx.tx.create_multipart_upload(
        found.name,
        params["Key"],
        found.account_id,
        ctx.caller.arn,
        content_type=params.get("ContentType"),
        metadata=objects.stored_metadata(params),
        tags=tags,
        headers=encryption.apply(ctx, found, params, objects.write_headers(params)),
        checksum_algorithm=algorithm,
        checksum_type=checksum_type,
        # What the key holds now: a change before completion is 409 (write_conditions.py).
        prior_version_id=write_conditions.prior_version_id(ctx, found.name, params["Key"]),
    )
    return {
        "Bucket": found.name,
        "Key": upload.key,
        "UploadId": upload.upload_id,
        **encryption.members(upload.headers),
        **_checksum_members(upload),
    }


# "Full object checksums in multipart uploads are only available for CRC-based checksums",
# and CRC64NVME "only supports the full object checksum type" ("Checking object integrity
# in Amazon S3", S3 User Guide).
_TYPES_BY_ALGORITHM = {
    "CRC32": (COMPOSITE, FULL_OBJECT),
    "CRC32C": (COMPOSITE, FULL_OBJECT),
    "CRC64NVME": (FULL_OBJECT,),
}


def _check_checksum_choice(algorithm: str | None, checksum_type: str | None) -> None:
    """CreateMultipartUpload's x-amz-checksum-algorithm and x-amz-checksum-type, refused as
    S3 refuses them (400 InvalidRequest; the words as an emulator checked them against S3,
    floci-io/floci#3093, unconfirmed on an AWS page): an unknown value of either, a type
    without an algorithm, and a type its algorithm does not support (the User Guide above).
    An unknown algorithm's words are recorded from AWS (LocalStack's test_s3 snapshot,
    test_multipart_parts_checksum_exceptions_composite: create-mpu-wrong-checksum-algo), not
    CopyObject's (``checksums.check_algorithm``)."""
    if algorithm is not None and algorithm not in checksums.ALGORITHMS:
        raise InvalidRequest(
            "Checksum algorithm provided is unsupported. Please try again with any of the valid types:"
            " [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]"
        )
    if checksum_type is None:
        return
    if checksum_type not in (COMPOSITE, FULL_OBJECT):
        raise InvalidRequest("Value for x-amz-checksum-type header is invalid.")
    if algorithm is None:
        raise InvalidRequest(
            "The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header."
        )
    if checksum_type not in _TYPES_BY_ALGORITHM.get(algorithm, (COMPOSITE,)):  # the others: SHA, MD5, xxHash
        raise InvalidRequest(
            f"The {checksum_type} checksum type cannot be used with the {algorithm.lower()} checksum algorithm."
        )


def _check_checksum_mode(upload: MultipartUpload, params: dict[str, Any]) -> None:
    """CompleteMultipartUpload's x-amz-checksum-type, when given, must be the upload's: else
    InvalidRequest, before the parts are looked at (recorded from AWS, LocalStack's test_s3
    snapshot: "null" for an upload created without an algorithm,
    test_complete_multipart_parts_checksum_default; FULL_OBJECT and COMPOSITE,
    test_multipart_parts_checksum_exceptions_full_object "complete-part-bad-checksum-type" and
    _composite "complete-part-with-bad-checksum-type", there before a missing part checksum).
    The API reference's "it'll result in a BadDigest error" is not what S3 answers."""
    claimed = params.get("ChecksumType")
    if claimed is not None and claimed != upload.checksum_type:
        raise InvalidRequest(
            f"The upload was created using the {upload.checksum_type or 'null'} checksum mode. "
            "The complete request must use the same checksum mode."
        )


def _check_object_size(parts: list[Part], params: dict[str, Any]) -> None:
    """x-amz-mp-object-size: "If there's a mismatch between the specified object size value and
    the actual object size value, it results in an HTTP 400 InvalidRequest error"
    (CompleteMultipartUpload), in the words recorded from AWS (LocalStack's test_s3 snapshot,
    test_multipart_size_validation: "... header value 5 does not match what was computed: 4")."""
    claimed = params.get("MpuObjectSize")
    size = sum(part.size for part in parts)
    if claimed is not None and int(claimed) != size:
        raise InvalidRequest(
            f"The provided 'x-amz-mp-object-size' header value {int(claimed)} does not match what was computed: {size}"
        )


def _checksum_members(upload: MultipartUpload) -> dict[str, str]:
    """ChecksumAlgorithm and ChecksumType of CreateMultipartUpload and ListParts (recorded)."""
    out: dict[str, str] = {}
    if upload.checksum_algorithm is not None:
        out["ChecksumAlgorithm"] = upload.checksum_algorithm
    if upload.checksum_type is not None:
        out["ChecksumType"] = upload.checksum_type
    return out


def _check_part_number(number: int) -> None:
    if not 1 <= number <= MAX_PART_NUMBER:
        raise InvalidArgument(
            "Part number must be an integer between 1 and 10000, inclusive",
            ArgumentName="partNumber",
            ArgumentValue=str(number),
        )


def upload_part(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    number = params["PartNumber"]
    _check_part_number(number)
    upload = _upload(ctx, params)
    data = common.read_body(params.get("Body"))
    common.check_content_md5(params.get("ContentMD5"), data, part=True)
    sent = checksums.given(params)
    expected = upload.checksum_algorithm
    if expected is not None and expected not in sent:
        # A part of an upload created with a checksum algorithm carries that one (recorded
        # from S3: apache/arrow-rs#6793; "null" for a part sent without one, versitygw#1342).
        actual = next(iter(sent), None)
        raise InvalidRequest(
            f"Checksum Type mismatch occurred, expected checksum Type: {expected.lower()}, "
            f"actual checksum Type: {actual.lower() if actual else 'null'}"
        )
    part = ctx.tx.put_part(upload.upload_id, number, data, common.md5_etag(data), _part_checksums(upload, data, sent))
    # The checksums sent; none sent (an upload without an algorithm), the part's CRC64NVME, as
    # S3 answers it (versity/versitygw#1547, unrecorded here).
    return {"ETag": part.etag, **encryption.members(upload.headers), **checksums.members(sent or part.checksums)}


def _part_checksums(upload: MultipartUpload, data: bytes, sent: Mapping[str, str]) -> dict[str, str]:
    """The checksums a part keeps: those sent, and the part's checksum of the upload's
    algorithm computed from its bytes when none was sent (UploadPartCopy: "iqJrOQ==" for
    "this is a part" on a CRC32C upload, recorded, test_multipart_upload_part_copy_checksum);
    of an upload created without an algorithm, the CRC64NVME from which the object's default
    checksum is combined (module docstring)."""
    algorithm = upload.checksum_algorithm or checksums.DEFAULT
    if algorithm in sent:
        return dict(sent)
    return {**sent, algorithm: checksums.of_bytes(algorithm, data)}


_RANGE_FORM = (
    "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the"
    " zero-based offsets of the first and last bytes to copy"
)


def _copy_range(header: str | None, size: int) -> tuple[int, int]:
    """(start, length) of the source to copy: all of it without x-amz-copy-source-range.
    The header is stricter than GetObject's Range ("UploadPartCopy": the form
    bytes=first-last): anything else, a suffix or open range, several ranges, or last before
    first is InvalidArgument; a first byte past the object is InvalidRequest, a last byte
    past it InvalidArgument naming the size. Recorded from AWS against a 10-byte source in
    LocalStack's test_s3 snapshot (test_upload_part_copy_range); an empty header is refused
    too (production S3, minio/minio#14246). A range may be taken from any object, not only
    one over 5 MB as the reference says (the same snapshot; aws/aws-cli#3577)."""
    if header is None:
        return 0, size
    unit, equals, spec = header.partition("=")
    first, dash, last = spec.partition("-")
    if (
        unit != "bytes"
        or not equals
        or not dash
        or not (first.isascii() and first.isdigit())
        or not (last.isascii() and last.isdigit())
        or common.whole_number(first) > common.whole_number(last)
    ):
        raise InvalidArgument(_RANGE_FORM, ArgumentName="x-amz-copy-source-range", ArgumentValue=header)
    start, end = common.whole_number(first), common.whole_number(last)
    if start >= size:
        raise InvalidRequest("The specified copy range is invalid for the source object size")
    if end >= size:
        raise InvalidArgument(
            f"Range specified is not valid for source object of size: {size}",
            ArgumentName="x-amz-copy-source-range",
            ArgumentValue=header,
        )
    return start, end - start + 1


def upload_part_copy(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    """UploadPartCopy (Amazon S3 API Reference): the part is the source object named by
    x-amz-copy-source (``objects.copy_source``: s3:GetObject on it, existence, the
    x-amz-copy-source-if-* conditions), or the range x-amz-copy-source-range picks
    (``_copy_range``), stored as UploadPart stores a body (its ETag the MD5 of the bytes).
    The pipeline has checked s3:PutObject on the destination (authz/actions.py)."""
    number = params["PartNumber"]
    _check_part_number(number)
    upload = _upload(ctx, params)
    source = objects.copy_source(ctx, params, part=True)
    start, length = _copy_range(params.get("CopySourceRange"), source.size)
    if length > MAX_PART_SIZE:
        # AWS's answer to an UploadPartCopy of more than 5 GiB (recorded in
        # awslabs/amazon-s3-tar-tool#26; CopyObject answers the same, rclone/rclone#2375).
        raise InvalidRequest(
            f"The specified copy source is larger than the maximum allowable size for a copy source: {MAX_PART_SIZE}"
        )
    data = objects.read_source(ctx, source, start, length)
    part = ctx.tx.put_part(upload.upload_id, number, data, common.md5_etag(data), _part_checksums(upload, data, {}))
    return {
        # The part's checksum when the upload has an algorithm (recorded: CopyPartResult).
        "CopyPartResult": {
            "ETag": part.etag,
            "LastModified": part.created,
            **checksums.members(_kept_checksums(part, upload)),
        },
        **encryption.members(upload.headers),
        **objects.copy_source_version(ctx, source),
    }


def complete_multipart_upload(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    upload = _upload(ctx, params)
    body = params.get("MultipartUpload")
    if body is None:
        raise InvalidRequest("You must specify at least one part")
    requested = body.get("Parts") or []
    if not requested or any(item.get("PartNumber") is None or item.get("ETag") is None for item in requested):
        # A body without a part, or a part without its number or ETag (module docstring).
        raise MalformedXML()
    numbers = [int(item["PartNumber"]) for item in requested]
    if any(later <= earlier for earlier, later in zip(numbers, numbers[1:], strict=False)):
        raise InvalidPartOrder(UploadId=upload.upload_id)
    _check_checksum_mode(upload, params)
    stored = {part.part_number: part for part in ctx.tx.list_parts(upload.upload_id)}
    for item in requested:
        number = int(item["PartNumber"])
        given = common.unquote_etag(str(item.get("ETag", "")))
        part = stored.get(number)
        if part is None or common.unquote_etag(part.etag) != given or _checksum_differs(item, part, upload):
            raise InvalidPart(ETag=given, PartNumber=str(number), UploadId=upload.upload_id)
        _check_other_checksums(item, upload)
    _check_part_checksums(upload, requested, numbers)
    for number in numbers[:-1]:
        part = stored[number]
        if part.size < MIN_PART_SIZE:
            raise EntityTooSmall(
                ETag=common.unquote_etag(part.etag),
                MinSizeAllowed=str(MIN_PART_SIZE),
                PartNumber=str(number),
                ProposedSize=str(part.size),
            )
    ordered = [stored[number] for number in numbers]
    _check_object_size(ordered, params)
    digests = b"".join(bytes.fromhex(common.unquote_etag(stored[number].etag)) for number in numbers)
    layout = _layout(upload, ordered)
    object_checksums = _object_checksums(upload, ordered, params)
    etag = f'"{hashlib.md5(digests, usedforsecurity=False).hexdigest()}-{len(numbers)}"'
    found = common.bucket(ctx, upload.bucket)
    # If-None-Match, If-Match: 412, NoSuchKey, or 409 when the key changed during the upload.
    write_conditions.check_write(ctx, upload.bucket, upload.key, params, upload=upload)
    # The completed object is a new version in a versioning-enabled bucket (versioning.py).
    obj = ctx.tx.complete_multipart_upload(
        upload.upload_id, numbers, etag, versioning.write_version(found), parts=layout, checksums=object_checksums
    )
    host = (
        f"{obj.bucket}.s3.amazonaws.com"
        if ctx.region == common.US_EAST_1
        else f"{obj.bucket}.s3.{ctx.region}.amazonaws.com"
    )
    # The default CRC64NVME of an SSE-KMS upload is kept but not answered here (recorded from
    # AWS, LocalStack's test_s3 snapshot, test_s3_multipart_upload_sse; GetObject answers it).
    answered = {} if upload.checksum_algorithm is None and obj.headers.sse_kms_key_id is not None else obj.checksums
    return {
        # The key form-encoded, "/" as %2F and a space as "+": the AWS CLI's example answers
        # ".../multipart%2F01", and S3's answers in aws/aws-sdk-js#1707 "with+space".
        "Location": f"https://{host}/{quote_plus(obj.key)}",
        "Bucket": obj.bucket,
        "Key": obj.key,
        "ETag": obj.etag,
        **checksums.members(answered),
        **({"ChecksumType": common.checksum_type(obj)} if answered else {}),
        **encryption.members(obj.headers),
        **versioning.written(obj),
    }


def _checksum_differs(item: dict[str, Any], part: Part, upload: MultipartUpload) -> bool:
    """Whether the request lists a checksum of the part that is not the one it was uploaded
    with: InvalidPart, as for a wrong ETag (recorded from AWS, LocalStack's test_s3 snapshot,
    test_complete_multipart_parts_checksum_composite and _full_object,
    "complete-multipart-wrong-parts-checksum"). An upload created without a checksum
    algorithm keeps no part checksums (``_kept_checksums``), so any checksum listed for its
    parts is one: AWS answers InvalidPart for the parts' right checksums too
    (test_complete_multipart_parts_checksum_default). Another algorithm's is
    ``_check_other_checksums``'s."""
    algorithm = upload.checksum_algorithm
    if algorithm is None:
        return any(item.get(f"Checksum{name}") is not None for name in checksums.ALGORITHMS)
    listed = item.get(f"Checksum{algorithm}")
    return listed is not None and part.checksums.get(algorithm) != str(listed)


def _check_other_checksums(item: dict[str, Any], upload: MultipartUpload) -> None:
    """A part listed with a checksum of another algorithm than its upload's: BadDigest
    (recorded from AWS, LocalStack's test_s3 snapshot,
    test_multipart_parts_checksum_exceptions_composite "complete-part-with-checksum": a SHA256
    for a part of a CRC32 upload)."""
    algorithm = upload.checksum_algorithm
    if algorithm is None:
        return
    for name in checksums.ALGORITHMS:
        if name != algorithm and item.get(f"Checksum{name}") is not None:
            raise BadDigest(
                f"The {name.lower()} you specified for part {int(item['PartNumber'])} did not match what we received."
            )


def _kept_checksums(part: Part, upload: MultipartUpload) -> Mapping[str, str]:
    """A part's checksums as the upload keeps them: none for an upload created without a
    checksum algorithm (its UploadPart answers the checksum it checked, but ListParts lists
    none: recorded in test_complete_multipart_parts_checksum_default)."""
    return part.checksums if upload.checksum_algorithm is not None else {}


def _check_part_checksums(upload: MultipartUpload, requested: list[dict[str, Any]], numbers: list[int]) -> None:
    """An upload created with a checksum algorithm: "the PartNumber must start at 1 and the
    part numbers must be consecutive. Otherwise, Amazon S3 generates an HTTP 400 Bad
    Request status code and an InvalidPartOrder error code" (CompletedPart, S3 API
    Reference); and a COMPOSITE one lists each part's checksum, in S3's words as recorded
    in aws/aws-sdk-php#2648."""
    algorithm = upload.checksum_algorithm
    if algorithm is None:
        return
    if numbers != list(range(1, len(numbers) + 1)):
        raise InvalidPartOrder(UploadId=upload.upload_id)
    if upload.checksum_type != COMPOSITE:
        return
    for item in requested:
        if item.get(f"Checksum{algorithm}") is None:
            raise InvalidRequest(
                f"The upload was created using a {algorithm.lower()} checksum. The complete request must include "
                f"the checksum for each part. It was missing for part {int(item['PartNumber'])} in the request."
            )


def _object_checksums(upload: MultipartUpload, parts: list[Part], params: dict[str, Any]) -> dict[str, str]:
    """The completed object's checksum (checksums.py): of the upload's algorithm and type, or
    the default FULL_OBJECT CRC64NVME of an upload created without one, from its parts'
    checksums; none when a part has no checksum of it (an older store's) or the upload's
    algorithm is none S3 takes."""
    algorithm = upload.checksum_algorithm or checksums.DEFAULT
    if algorithm not in checksums.ALGORITHMS or any(algorithm not in part.checksums for part in parts):
        return {}
    if upload.checksum_type == COMPOSITE:
        value = checksums.composite(algorithm, [part.checksums[algorithm] for part in parts])
    else:
        value = checksums.full_object(algorithm, [(part.size, part.checksums[algorithm]) for part in parts])
        if upload.checksum_algorithm is not None:  # without one, a checksum given is ignored (recorded)
            _check_full_object_claim(algorithm, value, params)
    return {algorithm: value} if value is not None else {}


def _check_full_object_claim(algorithm: str, value: str | None, params: dict[str, Any]) -> None:
    """An object checksum given to complete a FULL_OBJECT upload (x-amz-checksum-<algorithm>,
    "the base64-encoded ... checksum of the object", CompleteMultipartUpload) counts only with
    x-amz-checksum-type FULL_OBJECT, and must be the object's checksum of the upload's
    algorithm: anything else is BadDigest naming the upload's algorithm (recorded from AWS,
    LocalStack's test_s3 snapshot, test_multipart_parts_checksum_exceptions_full_object: on a
    CRC32C upload, the right CRC32C without the type, its COMPOSITE form, a CRC64NVME, and a
    wrong CRC32C or a CRC32 with the type all answer "The crc32c you specified did not match
    the calculated checksum."; the right CRC32C with the type completes). Given no checksum,
    the upload completes with or without the type (test_complete_multipart_parts_checksum_full_object_default)."""
    claimed = checksums.given(params)
    if claimed and (params.get("ChecksumType") != FULL_OBJECT or claimed != {algorithm: value}):
        raise BadDigest(f"The {algorithm.lower()} you specified did not match the calculated checksum.")


def _layout(upload: MultipartUpload, parts: list[Part]) -> list[ObjectPart]:
    """The completed object's parts (module docstring): each part's size, and its checksum
    of the upload's algorithm when the upload is COMPOSITE, as GetObjectAttributes lists Parts
    only then ("if an additional checksum ... isn't applied to the object specified in the
    request, the response doesn't return the Part element", GetObjectAttributesParts; a
    FULL_OBJECT upload answers TotalPartsCount alone, recorded, test_s3 snapshot,
    test_complete_multipart_parts_checksum_full_object), and GetObject answers a part's
    checksum only then (recorded, test_get_object_part_checksum)."""
    algorithm = upload.checksum_algorithm
    if upload.checksum_type != COMPOSITE or algorithm is None:
        return [ObjectPart(part.size) for part in parts]
    return [
        ObjectPart(part.size, {algorithm: part.checksums[algorithm]} if algorithm in part.checksums else {})
        for part in parts
    ]


def abort_multipart_upload(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    upload = _upload(ctx, params)
    ctx.tx.abort_multipart_upload(upload.upload_id)
    return {}


def list_parts(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    upload = _upload(ctx, params)
    marker = int(params.get("PartNumberMarker") or 0)
    if marker < 0:  # recorded from S3 (versity/versitygw#1383)
        raise InvalidArgument(
            "Argument part-number-marker must be an integer between 0 and 2147483647",
            ArgumentName="part-number-marker",
            ArgumentValue=str(marker),
        )
    asked = params.get("MaxParts")  # a negative one: InvalidArgument, recorded (versitygw#329)
    limit = listing.page_size(asked, "max-parts") if asked else DEFAULT_LIST
    parts = [part for part in ctx.tx.list_parts(upload.upload_id) if part.part_number > marker]
    page, truncated = parts[:limit], len(parts) > limit
    out: dict[str, Any] = {
        "Bucket": upload.bucket,
        "Key": upload.key,
        "UploadId": upload.upload_id,
        "PartNumberMarker": marker,
        "MaxParts": limit,
        "IsTruncated": truncated,
        "Parts": [
            {
                "PartNumber": p.part_number,
                "LastModified": p.created,
                "ETag": p.etag,
                "Size": p.size,
                **checksums.members(_kept_checksums(p, upload)),
            }
            for p in page
        ],
        "Initiator": _initiator(ctx, upload),
        "Owner": common.owner(upload.account_id),
        "StorageClass": upload.headers.storage_class,
        **_checksum_members(upload),
    }
    # 0 when the page is empty, none uploaded or none after the marker (recorded from AWS:
    # LocalStack's test_s3_list_operations snapshot, test_list_parts_pagination).
    out["NextPartNumberMarker"] = page[-1].part_number if page else 0
    return out


def _after_markers(uploads: list[MultipartUpload], key_marker: str, id_marker: str) -> list[MultipartUpload]:
    """The uploads after KeyMarker and UploadIdMarker (ListMultipartUploads reference):
    without an UploadIdMarker, those of keys after KeyMarker; with one, also those of
    KeyMarker itself that come after that upload (the page order, so NextUploadIdMarker
    resumes exactly). An UploadIdMarker that is no upload of KeyMarker's is refused, and one
    without KeyMarker ignored (recorded from AWS: LocalStack's test_s3_list_operations
    snapshot, test_list_multiparts_next_marker, "list-multiparts-wrong-id-for-key" and
    "list-multiparts-next-upload-only")."""
    if not key_marker:
        return uploads
    same = [upload for upload in uploads if upload.key == key_marker]
    ids = [upload.upload_id for upload in same]
    if not id_marker:
        kept = []
    elif id_marker in ids:
        kept = same[ids.index(id_marker) + 1 :]
    else:
        raise InvalidArgument("Invalid uploadId marker", ArgumentName="upload-id-marker", ArgumentValue=id_marker)
    return kept + [upload for upload in uploads if upload.key > key_marker]


def list_multipart_uploads(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    """ListMultipartUploads (Amazon S3 API Reference): uploads by key, then by initiation;
    Prefix; Delimiter rolls keys up into CommonPrefixes as ListObjects does
    (``listing.rollup``), each counting once toward MaxUploads, and a common prefix at or
    before KeyMarker was listed already; KeyMarker and UploadIdMarker (``_after_markers``);
    when truncated, NextKeyMarker and NextUploadIdMarker name the last upload returned, or
    are both "" when the page ends with a common prefix; on the last page they name its last
    upload, or are both "" when it lists none; Prefix is answered only when one was given
    (all recorded)."""
    found = common.bucket(ctx, params["Bucket"])
    encode = listing.encoder(params)
    prefix = params.get("Prefix") or ""
    delimiter = params.get("Delimiter") or None
    initiators: dict[str, dict[str, str]] = {}  # a page's uploads share few initiators: each read once

    def initiator(upload: MultipartUpload) -> dict[str, str]:
        known = initiators.get(upload.initiator_arn)
        if known is None:
            known = initiators[upload.initiator_arn] = _initiator(ctx, upload)
        return known

    key_marker = params.get("KeyMarker") or ""
    id_marker = params.get("UploadIdMarker") or ""
    limit = listing.page_size(params.get("MaxUploads"), "max-uploads")
    pending = _after_markers(
        [upload for upload in ctx.tx.list_multipart_uploads(found.name) if upload.key.startswith(prefix)],
        key_marker,
        id_marker,
    )
    page: list[MultipartUpload] = []
    prefixes: list[str] = []
    next_markers: tuple[str, str | None] | None = None
    truncated = False
    index = 0
    while index < len(pending) and limit > 0:
        if len(page) + len(prefixes) >= limit:
            truncated = True
            break
        upload = pending[index]
        rolled = listing.rollup(upload.key, prefix, delimiter)
        if rolled is None:
            page.append(upload)
            next_markers = (upload.key, upload.upload_id)
            index += 1
            continue
        if rolled > key_marker:
            prefixes.append(rolled)
            next_markers = (rolled, None)
        while index < len(pending) and pending[index].key.startswith(rolled):
            index += 1  # every upload under this common prefix
    out: dict[str, Any] = {
        "Bucket": found.name,
        "KeyMarker": encode(key_marker),
        "UploadIdMarker": id_marker if key_marker else "",
        "MaxUploads": limit,
        "IsTruncated": truncated,
        "Uploads": [
            {
                "UploadId": upload.upload_id,
                "Key": encode(upload.key),
                "Initiated": upload.created,
                "StorageClass": upload.headers.storage_class,
                "Owner": common.owner(upload.account_id),
                "Initiator": initiator(upload),
                **_checksum_members(upload),  # MultipartUpload: ChecksumAlgorithm, ChecksumType
            }
            for upload in page
        ],
    }
    if prefix:
        out["Prefix"] = encode(prefix)
    listing.grouping(out, prefixes, delimiter, params, encode)
    if truncated and next_markers is not None:
        # A page that ends with a common prefix names neither (recorded from AWS:
        # test_list_multipart_uploads_marker_common_prefixes, "list-multiparts-start").
        key, upload_id = next_markers if next_markers[1] is not None else ("", "")
        out["NextKeyMarker"] = encode(key)
        out["NextUploadIdMarker"] = upload_id
    elif not truncated:
        # Recorded from AWS (LocalStack's test_s3_list_operations snapshot,
        # test_list_multiparts_next_marker, _with_prefix_and_delimiter): a last page still
        # names the last upload it lists, or "" for both when it lists none.
        out["NextKeyMarker"] = encode(page[-1].key) if page else ""
        out["NextUploadIdMarker"] = page[-1].upload_id if page else ""
    return out

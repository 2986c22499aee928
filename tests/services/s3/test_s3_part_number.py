"""A multipart object's parts after CompleteMultipartUpload, through the whole request path
with boto3: GetObject and HeadObject with partNumber, GetObjectAttributes ObjectParts.

AWS pages: S3 API Reference, GetObject and HeadObject ("partNumber": "Effectively performs
a 'ranged' GET request for the part specified"; "x-amz-mp-parts-count": "This value is only
returned if you specify partNumber in your request and the object was uploaded as a
multipart upload"), GetObjectAttributes and GetObjectAttributesParts ("if an additional
checksum ... isn't applied to the object specified in the request, the response doesn't
return the Part element"), CopyObject. Statuses, codes, messages and members marked
"recorded" are AWS's responses recorded in LocalStack's S3 snapshots (test_s3:
test_get_object_part, test_get_object_part_checksum, test_get_object_attributes,
test_complete_multipart_parts_checksum_composite and _full_object; test_s3_list_operations:
test_list_parts_via_object_attrs_pagination).
"""

from __future__ import annotations

import base64
import hashlib
import zlib
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from inprocess_harness import client, open_app, root_keys

A = "111111111111"
MIB = 1024 * 1024
FIRST = b"a" * (5 * MIB)
SECOND = b"test content 123"
SIZE = len(FIRST) + len(SECOND)


def _crc32(data: bytes) -> str:
    return base64.b64encode(zlib.crc32(data).to_bytes(4, "big")).decode()


def _body(got: dict[str, Any]) -> bytes:
    """GetObject's body: the in-process harness hands botocore the bytes without a stream to
    read (its ``_Raw``), so they are taken from there; the e2e test reads real streams."""
    data: bytes = got["Body"]._raw_stream.body
    return data


def _error(call: Any) -> dict[str, Any]:
    with pytest.raises(ClientError) as caught:
        call()
    response: dict[str, Any] = caught.value.response
    return response


def _s3(tmp_path: Path) -> Any:
    app = open_app(tmp_path, A)
    s3 = client(app, "s3", root_keys(app, A))
    s3.create_bucket(Bucket="bkt")
    return s3


def _multipart(s3: Any, key: str = "big", algorithm: str | None = None, checksum_type: str | None = None) -> str:
    """A two-part object (5 MiB, then 16 bytes); with ``algorithm`` CRC32, each part given
    its CRC32. Its ETag."""
    extra: dict[str, str] = {}
    if algorithm is not None:
        extra["ChecksumAlgorithm"] = algorithm
    if checksum_type is not None:
        extra["ChecksumType"] = checksum_type
    upload_id = s3.create_multipart_upload(Bucket="bkt", Key=key, **extra)["UploadId"]
    parts = []
    for number, data in ((1, FIRST), (2, SECOND)):
        given = {"ChecksumCRC32": _crc32(data)} if algorithm == "CRC32" else {}
        out = s3.upload_part(Bucket="bkt", Key=key, UploadId=upload_id, PartNumber=number, Body=data, **given)
        parts.append({"PartNumber": number, "ETag": out["ETag"], **given})
    done = s3.complete_multipart_upload(Bucket="bkt", Key=key, UploadId=upload_id, MultipartUpload={"Parts": parts})
    etag: str = done["ETag"]
    return etag


def test_get_and_head_object_by_part_number(tmp_path: Path) -> None:
    """GetObject and HeadObject ?partNumber of a multipart object: 206, the part's bytes,
    Content-Length and Content-Range, the whole object's ETag, x-amz-mp-parts-count
    (recorded, test_get_object_part: head-object-part, get-object-part)."""
    s3 = _s3(tmp_path)
    etag = _multipart(s3)
    head = s3.head_object(Bucket="bkt", Key="big", PartNumber=2)
    assert head["ResponseMetadata"]["HTTPStatusCode"] == 206
    assert head["ContentLength"] == 16
    assert head["ContentRange"] == f"bytes {len(FIRST)}-{SIZE - 1}/{SIZE}"
    assert head["PartsCount"] == 2 and head["ETag"] == etag and head["AcceptRanges"] == "bytes"
    got = s3.get_object(Bucket="bkt", Key="big", PartNumber=2)
    assert got["ResponseMetadata"]["HTTPStatusCode"] == 206
    assert _body(got) == SECOND
    assert (got["ContentLength"], got["ContentRange"], got["PartsCount"]) == (16, head["ContentRange"], 2)
    first = s3.get_object(Bucket="bkt", Key="big", PartNumber=1)
    assert first["ContentRange"] == f"bytes 0-{len(FIRST) - 1}/{SIZE}" and first["ContentLength"] == len(FIRST)
    assert hashlib.md5(_body(first)).digest() == hashlib.md5(FIRST).digest()
    assert "PartsCount" not in s3.head_object(Bucket="bkt", Key="big")  # only with partNumber


def test_part_number_errors(tmp_path: Path) -> None:
    """A part past the last: 416 InvalidPartNumber, "The requested partnumber is not
    satisfiable", ActualPartCount and PartNumberRequested; partNumber with Range: 400
    InvalidRequest (recorded, test_get_object_part: part-doesnt-exist, part-with-range)."""
    s3 = _s3(tmp_path)
    _multipart(s3)
    error = _error(lambda: s3.get_object(Bucket="bkt", Key="big", PartNumber=10))
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 416
    assert error["Error"] == {
        "Code": "InvalidPartNumber",
        "Message": "The requested partnumber is not satisfiable",
        "ActualPartCount": "2",
        "PartNumberRequested": "10",
    }
    error = _error(lambda: s3.head_object(Bucket="bkt", Key="big", PartNumber=3))
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 416  # HEAD: no body, so no code
    error = _error(lambda: s3.get_object(Bucket="bkt", Key="big", PartNumber=1, Range="bytes=0-1"))
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert error["Error"] == {
        "Code": "InvalidRequest",
        "Message": "Cannot specify both Range header and partNumber query parameter",
    }
    # Outside 1 to 10,000 (GetObject's "a positive integer between 1 and 10,000"): the
    # InvalidArgument UploadPart answers; unconfirmed for GetObject.
    error = _error(lambda: s3.get_object(Bucket="bkt", Key="big", PartNumber=10001))
    assert error["Error"]["Code"] == "InvalidArgument"


def test_an_object_written_in_one_request_is_one_part(tmp_path: Path) -> None:
    """partNumber=1 of a single-PUT object: 206, all of it, Content-Range, no
    x-amz-mp-parts-count, the object's checksum with x-amz-checksum-mode; partNumber=2:
    416 with ActualPartCount 1 (recorded, test_get_object_part: get-obj-no-multipart,
    part-no-multipart)."""
    s3 = _s3(tmp_path)
    s3.put_object(Bucket="bkt", Key="one", Body=b"test-123", ChecksumCRC32=_crc32(b"test-123"))
    got = s3.get_object(Bucket="bkt", Key="one", PartNumber=1, ChecksumMode="ENABLED")
    assert got["ResponseMetadata"]["HTTPStatusCode"] == 206
    assert _body(got) == b"test-123"
    assert (got["ContentLength"], got["ContentRange"]) == (8, "bytes 0-7/8")
    assert "PartsCount" not in got and got["ChecksumCRC32"] == _crc32(b"test-123")
    error = _error(lambda: s3.get_object(Bucket="bkt", Key="one", PartNumber=2))
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 416
    assert (error["Error"]["ActualPartCount"], error["Error"]["PartNumberRequested"]) == ("1", "2")


def test_a_part_answers_its_checksum_when_the_upload_kept_it(tmp_path: Path) -> None:
    """x-amz-checksum-mode ENABLED: a COMPOSITE upload's part answers the part's checksum and
    ChecksumType COMPOSITE; a FULL_OBJECT upload's part none (recorded,
    test_complete_multipart_parts_checksum_composite and _full_object: get-object-part-checksum;
    CreateMultipartUpload's ChecksumAlgorithm and ChecksumType and UploadPart's checksum:
    create-mpu-checksum, upload-part-N)."""
    s3 = _s3(tmp_path)
    _multipart(s3, "composite", "CRC32")
    got = s3.get_object(Bucket="bkt", Key="composite", PartNumber=2, ChecksumMode="ENABLED")
    assert got["ChecksumCRC32"] == _crc32(SECOND) and got["ChecksumType"] == "COMPOSITE"
    assert got["PartsCount"] == 2
    started = s3.create_multipart_upload(Bucket="bkt", Key="x", ChecksumAlgorithm="CRC32")
    assert (started["ChecksumAlgorithm"], started["ChecksumType"]) == ("CRC32", "COMPOSITE")
    part = s3.upload_part(
        Bucket="bkt", Key="x", UploadId=started["UploadId"], PartNumber=1, Body=b"p", ChecksumCRC32=_crc32(b"p")
    )
    assert part["ChecksumCRC32"] == _crc32(b"p")
    listed = s3.list_parts(Bucket="bkt", Key="x", UploadId=started["UploadId"])
    assert (listed["ChecksumAlgorithm"], listed["ChecksumType"]) == ("CRC32", "COMPOSITE")
    assert listed["Parts"][0]["ChecksumCRC32"] == _crc32(b"p")
    _multipart(s3, "full", "CRC32", "FULL_OBJECT")
    got = s3.get_object(Bucket="bkt", Key="full", PartNumber=2, ChecksumMode="ENABLED")
    assert "ChecksumCRC32" not in got and "ChecksumType" not in got and got["PartsCount"] == 2


def test_part_number_of_a_version(tmp_path: Path) -> None:
    """?versionId with ?partNumber: the parts of that version (GetObject: both parameters
    name the object read); a later single-PUT version is one part."""
    s3 = _s3(tmp_path)
    s3.put_bucket_versioning(Bucket="bkt", VersioningConfiguration={"Status": "Enabled"})
    _multipart(s3)
    old = s3.head_object(Bucket="bkt", Key="big")["VersionId"]
    s3.put_object(Bucket="bkt", Key="big", Body=b"new")
    got = s3.get_object(Bucket="bkt", Key="big", VersionId=old, PartNumber=2)
    assert _body(got) == SECOND and got["PartsCount"] == 2 and got["VersionId"] == old
    head = s3.head_object(Bucket="bkt", Key="big", PartNumber=1)
    assert (head["ContentLength"], head["ContentRange"]) == (3, "bytes 0-2/3") and "PartsCount" not in head
    error = _error(lambda: s3.head_object(Bucket="bkt", Key="big", VersionId=old, PartNumber=3))
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 416


def test_get_object_attributes_lists_the_parts_of_a_composite_upload(tmp_path: Path) -> None:
    """ObjectParts of a COMPOSITE upload: TotalPartsCount, PartNumberMarker, MaxParts (1,000
    by default), IsTruncated, NextPartNumberMarker (the last part listed; 0 when none is) and
    Parts with PartNumber, Size and the part's checksum (recorded,
    test_complete_multipart_parts_checksum_composite: get-object-attrs;
    test_list_parts_via_object_attrs_pagination: get-object-attrs-next,
    get-object-attrs-wrong-part)."""
    s3 = _s3(tmp_path)
    _multipart(s3, "big", "CRC32")

    def parts(**extra: Any) -> dict[str, Any]:
        out = s3.get_object_attributes(Bucket="bkt", Key="big", ObjectAttributes=["ObjectParts"], **extra)
        found: dict[str, Any] = out["ObjectParts"]
        return found

    every = [
        {"PartNumber": 1, "Size": len(FIRST), "ChecksumCRC32": _crc32(FIRST)},
        {"PartNumber": 2, "Size": 16, "ChecksumCRC32": _crc32(SECOND)},
    ]
    assert parts() == {
        "TotalPartsCount": 2,
        "PartNumberMarker": 0,
        "NextPartNumberMarker": 2,
        "MaxParts": 1000,
        "IsTruncated": False,
        "Parts": every,
    }
    first = parts(MaxParts=1)
    assert (first["IsTruncated"], first["NextPartNumberMarker"], first["Parts"]) == (True, 1, every[:1])
    rest = parts(MaxParts=1, PartNumberMarker=first["NextPartNumberMarker"])
    assert rest == {
        "TotalPartsCount": 2,
        "PartNumberMarker": 1,
        "NextPartNumberMarker": 2,
        "MaxParts": 1,
        "IsTruncated": False,
        "Parts": every[1:],
    }
    assert parts(MaxParts=1, PartNumberMarker=10) == {
        "TotalPartsCount": 2,
        "PartNumberMarker": 10,
        "NextPartNumberMarker": 0,
        "MaxParts": 1,
        "IsTruncated": False,
    }


def test_get_object_attributes_without_part_checksums_counts_the_parts(tmp_path: Path) -> None:
    """No checksum, or a FULL_OBJECT one: TotalPartsCount alone (recorded,
    test_get_object_attributes: object-attrs-multiparts-2-parts;
    test_complete_multipart_parts_checksum_full_object: get-object-attrs). A single PUT:
    no ObjectParts (test_get_object_attributes: object-attrs). A CopyObject of a multipart
    object is written in one request: no ObjectParts, and the MD5 of its bytes as ETag
    (recorded, test_complete_multipart_parts_checksum_composite: copy-obj-checksum,
    get-copy-object-attrs)."""
    s3 = _s3(tmp_path)
    _multipart(s3, "plain")
    _multipart(s3, "full", "CRC32", "FULL_OBJECT")
    s3.put_object(Bucket="bkt", Key="one", Body=b"x")
    for key in ("plain", "full"):
        out = s3.get_object_attributes(Bucket="bkt", Key=key, ObjectAttributes=["ObjectParts"], MaxParts=1)
        assert out["ObjectParts"] == {"TotalPartsCount": 2}
    assert "ObjectParts" not in s3.get_object_attributes(Bucket="bkt", Key="one", ObjectAttributes=["ObjectParts"])
    copied = s3.copy_object(Bucket="bkt", Key="copy", CopySource="bkt/plain")
    assert copied["CopyObjectResult"]["ETag"] == '"' + hashlib.md5(FIRST + SECOND).hexdigest() + '"'
    out = s3.get_object_attributes(Bucket="bkt", Key="copy", ObjectAttributes=["ObjectParts", "ETag"])
    assert "ObjectParts" not in out and "-" not in out["ETag"]
    head = s3.head_object(Bucket="bkt", Key="copy", PartNumber=1)
    assert head["ContentLength"] == SIZE and "PartsCount" not in head

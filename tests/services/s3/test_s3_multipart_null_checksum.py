"""A multipart upload created without a checksum algorithm (S3's "null checksum mode"), as
AWS answered it: recorded in LocalStack's test_s3 snapshot,
test_complete_multipart_parts_checksum_default (February 2026). UploadPart checks and
answers the checksum it was sent; ListParts lists no part checksums; CompleteMultipartUpload
refuses a checksum type ("The upload was created using the null checksum mode. The complete
request must use the same checksum mode.") and answers InvalidPart for parts listed with
checksums, right or wrong. And ListParts' NextPartNumberMarker is 0 on a page without parts
(LocalStack's test_s3_list_operations snapshot, test_list_parts_pagination).
"""

from __future__ import annotations

import base64
import zlib
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from inprocess_harness import client, open_app, root_keys

A = "111111111111"
BUCKET = "null-mode"
KEY = "test-multipart-checksum"
DATA = b"abc"


def _crc32(data: bytes) -> str:
    return base64.b64encode(zlib.crc32(data).to_bytes(4, "big")).decode()


def _started(tmp_path: Path) -> tuple[Any, str, str]:
    app = open_app(tmp_path, A)
    s3 = client(app, "s3", root_keys(app, A))
    s3.create_bucket(Bucket=BUCKET)
    upload_id = s3.create_multipart_upload(Bucket=BUCKET, Key=KEY)["UploadId"]
    part = s3.upload_part(
        Bucket=BUCKET, Key=KEY, UploadId=upload_id, PartNumber=1, Body=DATA, ChecksumAlgorithm="CRC32"
    )
    assert part["ChecksumCRC32"] == _crc32(DATA)  # UploadPart answers what it checked
    return s3, upload_id, part["ETag"]


def _error(call: Any, **params: Any) -> dict[str, Any]:
    with pytest.raises(ClientError) as raised:
        call(**params)
    return dict(raised.value.response["Error"])


def test_list_parts_of_a_null_mode_upload_lists_no_checksums(tmp_path: Path) -> None:
    s3, upload_id, etag = _started(tmp_path)
    listed = s3.list_parts(Bucket=BUCKET, Key=KEY, UploadId=upload_id)
    assert [set(part) for part in listed["Parts"]] == [{"PartNumber", "LastModified", "ETag", "Size"}]
    assert listed["NextPartNumberMarker"] == 1 and "ChecksumAlgorithm" not in listed


@pytest.mark.parametrize("checksum", [_crc32(DATA), _crc32(b"other")])
def test_complete_with_part_checksums_is_invalid_part(tmp_path: Path, checksum: str) -> None:
    s3, upload_id, etag = _started(tmp_path)
    parts = {"Parts": [{"PartNumber": 1, "ETag": etag, "ChecksumCRC32": checksum}]}
    error = _error(s3.complete_multipart_upload, Bucket=BUCKET, Key=KEY, UploadId=upload_id, MultipartUpload=parts)
    assert (error["Code"], error["PartNumber"], error["UploadId"]) == ("InvalidPart", "1", upload_id)
    assert error["ETag"] == etag.strip('"')


@pytest.mark.parametrize("checksum_type", ["FULL_OBJECT", "COMPOSITE"])
def test_complete_with_a_checksum_type_is_refused(tmp_path: Path, checksum_type: str) -> None:
    s3, upload_id, etag = _started(tmp_path)
    parts = {"Parts": [{"PartNumber": 1, "ETag": etag}]}
    error = _error(
        s3.complete_multipart_upload,
        Bucket=BUCKET,
        Key=KEY,
        UploadId=upload_id,
        MultipartUpload=parts,
        ChecksumType=checksum_type,
    )
    assert error == {
        "Code": "InvalidRequest",
        "Message": "The upload was created using the null checksum mode. The complete request must use the same "
        "checksum mode.",
    }
    done = s3.complete_multipart_upload(Bucket=BUCKET, Key=KEY, UploadId=upload_id, MultipartUpload=parts)
    assert done["ETag"].endswith('-1"')


def test_next_part_number_marker_is_zero_on_a_page_without_parts(tmp_path: Path) -> None:
    app = open_app(tmp_path, A)
    s3 = client(app, "s3", root_keys(app, A))
    s3.create_bucket(Bucket=BUCKET)
    upload_id = s3.create_multipart_upload(Bucket=BUCKET, Key=KEY)["UploadId"]
    empty = s3.list_parts(Bucket=BUCKET, Key=KEY, UploadId=upload_id)
    assert (empty["NextPartNumberMarker"], empty["PartNumberMarker"], "Parts" in empty) == (0, 0, False)
    s3.upload_part(Bucket=BUCKET, Key=KEY, UploadId=upload_id, PartNumber=1, Body=DATA)
    past = s3.list_parts(Bucket=BUCKET, Key=KEY, UploadId=upload_id, MaxParts=1, PartNumberMarker=10)
    assert (past["NextPartNumberMarker"], past["PartNumberMarker"], past["IsTruncated"]) == (0, 10, False)

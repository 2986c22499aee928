"""A multipart object's parts against a real server, with boto3 and the AWS CLI.

AWS pages: S3 API Reference, GetObject and HeadObject ("partNumber": "Effectively performs
a 'ranged' GET request for the part specified"; "x-amz-mp-parts-count"), GetObjectAttributes
and GetObjectAttributesParts; the AWS CLI reference, "s3api head-object" (--part-number) and
"s3api get-object-attributes" (--object-attributes ObjectParts). The 206 status, the
InvalidPartNumber error and the ObjectParts members are as recorded from AWS in LocalStack's
test_s3 snapshot (test_get_object_part, test_complete_multipart_parts_checksum_composite).
"""

from __future__ import annotations

import base64
import json
import subprocess
import zlib
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from e2e_harness import A, Server, _client, aws_cli

MIB = 1024 * 1024
FIRST = b"a" * (5 * MIB)
SECOND = b"test content 123"
SIZE = len(FIRST) + len(SECOND)


def _crc32(data: bytes) -> str:
    return base64.b64encode(zlib.crc32(data).to_bytes(4, "big")).decode()


def _upload(s3: Any, bucket: str, key: str) -> str:
    """A two-part COMPOSITE CRC32 upload, each part given its checksum; the object's ETag."""
    upload_id = s3.create_multipart_upload(Bucket=bucket, Key=key, ChecksumAlgorithm="CRC32")["UploadId"]
    parts = []
    for number, data in ((1, FIRST), (2, SECOND)):
        crc = _crc32(data)
        out = s3.upload_part(
            Bucket=bucket, Key=key, UploadId=upload_id, PartNumber=number, Body=data, ChecksumCRC32=crc
        )
        parts.append({"PartNumber": number, "ETag": out["ETag"], "ChecksumCRC32": crc})
    done = s3.complete_multipart_upload(Bucket=bucket, Key=key, UploadId=upload_id, MultipartUpload={"Parts": parts})
    etag: str = done["ETag"]
    return etag


def test_parts_with_boto3(server: Server) -> None:
    root = server.create_account(A)
    s3 = _client(server, "s3", root)
    s3.create_bucket(Bucket="parts")
    etag = _upload(s3, "parts", "big.bin")

    got = s3.get_object(Bucket="parts", Key="big.bin", PartNumber=2)
    assert got["ResponseMetadata"]["HTTPStatusCode"] == 206
    assert got["Body"].read() == SECOND
    assert (got["ContentLength"], got["PartsCount"], got["ETag"]) == (16, 2, etag)
    assert got["ContentRange"] == f"bytes {len(FIRST)}-{SIZE - 1}/{SIZE}"
    first = s3.get_object(Bucket="parts", Key="big.bin", PartNumber=1)
    assert first["Body"].read() == FIRST
    head = s3.head_object(Bucket="parts", Key="big.bin", PartNumber=1)
    assert head["ResponseMetadata"]["HTTPStatusCode"] == 206
    assert (head["ContentLength"], head["ContentRange"]) == (len(FIRST), f"bytes 0-{len(FIRST) - 1}/{SIZE}")

    with pytest.raises(ClientError) as past:
        s3.get_object(Bucket="parts", Key="big.bin", PartNumber=3)
    assert past.value.response["ResponseMetadata"]["HTTPStatusCode"] == 416
    assert past.value.response["Error"]["Code"] == "InvalidPartNumber"
    with pytest.raises(ClientError) as both:
        s3.get_object(Bucket="parts", Key="big.bin", PartNumber=1, Range="bytes=0-3")
    assert both.value.response["Error"]["Code"] == "InvalidRequest"

    attributes = s3.get_object_attributes(
        Bucket="parts", Key="big.bin", ObjectAttributes=["ObjectParts"], MaxParts=1, PartNumberMarker=1
    )
    assert attributes["ObjectParts"] == {
        "TotalPartsCount": 2,
        "PartNumberMarker": 1,
        "NextPartNumberMarker": 2,
        "MaxParts": 1,
        "IsTruncated": False,
        "Parts": [{"PartNumber": 2, "Size": 16, "ChecksumCRC32": _crc32(SECOND)}],
    }

    s3.put_object(Bucket="parts", Key="small.txt", Body=b"test-123")
    whole = s3.get_object(Bucket="parts", Key="small.txt", PartNumber=1)
    assert whole["ResponseMetadata"]["HTTPStatusCode"] == 206
    assert (whole["Body"].read(), whole["ContentRange"]) == (b"test-123", "bytes 0-7/8")
    assert "PartsCount" not in whole


def test_parts_with_the_cli(server: Server, tmp_path: Path) -> None:
    root = server.create_account(A)
    s3 = _client(server, "s3", root)
    s3.create_bucket(Bucket="cli-parts")
    etag = _upload(s3, "cli-parts", "big.bin")

    def aws(*args: str) -> subprocess.CompletedProcess[str]:
        done = aws_cli(server, tmp_path, root, *args)
        assert done.returncode == 0, done.stderr
        return done

    where = ("--bucket", "cli-parts", "--key", "big.bin")
    head = json.loads(aws("s3api", "head-object", *where, "--part-number", "1", "--output", "json").stdout)
    assert (head["ContentLength"], head["PartsCount"], head["ETag"]) == (len(FIRST), 2, etag)
    assert head["ContentRange"] == f"bytes 0-{len(FIRST) - 1}/{SIZE}"

    target = tmp_path / "part2.bin"
    aws("s3api", "get-object", "--bucket", "cli-parts", "--key", "big.bin", "--part-number", "2", str(target))
    assert target.read_bytes() == SECOND

    listed = json.loads(
        aws(
            "s3api",
            "get-object-attributes",
            "--bucket",
            "cli-parts",
            "--key",
            "big.bin",
            "--object-attributes",
            "ObjectParts",
            "--output",
            "json",
        ).stdout
    )
    parts = listed["ObjectParts"]
    assert (parts["TotalPartsCount"], parts["MaxParts"], parts["IsTruncated"]) == (2, 1000, False)
    assert [(p["PartNumber"], p["Size"], p["ChecksumCRC32"]) for p in parts["Parts"]] == [
        (1, len(FIRST), _crc32(FIRST)),
        (2, 16, _crc32(SECOND)),
    ]

    missing = aws_cli(server, tmp_path, root, "s3api", "head-object", *where, "--part-number", "9")
    assert missing.returncode != 0 and "416" in missing.stderr

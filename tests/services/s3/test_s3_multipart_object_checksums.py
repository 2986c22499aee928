"""The checksum CompleteMultipartUpload gives a multipart object, through the whole request
path with boto3.

AWS pages: "Checking object integrity for data uploads in Amazon S3" (S3 User Guide),
multipart uploads: with a COMPOSITE checksum (the default for CRC32, CRC32C, SHA1, SHA256)
S3 stores the checksum of the parts' checksums, followed by "-" and the number of parts;
with FULL_OBJECT (CRC32, CRC32C, CRC64NVME; CRC64NVME's default, "x-amz-checksum-type" in
CreateMultipartUpload) the checksum of the whole object. CompleteMultipartUpload answers it
with x-amz-checksum-type ("The checksum type, which determines how part-level checksums are
combined to create an object-level checksum for multipart objects"), as HeadObject and
GetObject do with x-amz-checksum-mode ENABLED, and GetObjectAttributes (Checksum; recorded
from AWS in LocalStack's test_s3 snapshot, test_complete_multipart_parts_checksum_composite:
get-object-attrs, without the "-N"). Every expected value is computed here from the bytes:
zlib's CRC32, hashlib's SHA-256, and a CRC32C and CRC64NVME written below from their
definitions ("CRC-32C (Castagnoli)", polynomial 0x1EDC6F41; CRC-64/NVME, 0xAD93D23594C93659;
both reflected, initial value and final XOR all ones).
"""

from __future__ import annotations

import base64
import hashlib
import zlib
from pathlib import Path
from typing import Any

import pytest
from boto3.s3.transfer import TransferConfig
from botocore.exceptions import ClientError
from inprocess_harness import client, open_app, root_keys

A = "111111111111"
MIB = 1024 * 1024
PARTS = (b"a" * (5 * MIB), bytes(range(256)) * (5 * 4096), b"the tail")
WHOLE = b"".join(PARTS)


def _table(reflected_poly: int) -> list[int]:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ reflected_poly if crc & 1 else crc >> 1
        table.append(crc)
    return table


def _reflect(value: int, width: int) -> int:
    return int(f"{value:0{width}b}"[::-1], 2)


_CRC32C = (_table(_reflect(0x1EDC6F41, 32)), 32)
_CRC64NVME = (_table(_reflect(0xAD93D23594C93659, 64)), 64)


def _crc(spec: tuple[list[int], int], data: bytes) -> bytes:
    table, width = spec
    mask = (1 << width) - 1
    crc = mask
    for byte in data:
        crc = table[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return (crc ^ mask).to_bytes(width // 8, "big")


def _digest(algorithm: str, data: bytes) -> bytes:
    if algorithm == "CRC32":
        return zlib.crc32(data).to_bytes(4, "big")
    if algorithm == "CRC32C":
        return _crc(_CRC32C, data)
    if algorithm == "CRC64NVME":
        return _crc(_CRC64NVME, data)
    return hashlib.new(algorithm.lower(), data).digest()


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def _composite(algorithm: str, parts: tuple[bytes, ...]) -> str:
    joined = b"".join(_digest(algorithm, part) for part in parts)
    return f"{_b64(_digest(algorithm, joined))}-{len(parts)}"


def test_check_values_of_the_crcs_written_here() -> None:
    # The check value of each CRC, its CRC of b"123456789" (the CRC catalogue's "check").
    assert _crc(_CRC32C, b"123456789").hex() == "e3069283"
    assert _crc(_CRC64NVME, b"123456789").hex() == "ae8b14860a799888"


@pytest.fixture
def s3(tmp_path: Path) -> Any:
    app = open_app(tmp_path, A)
    s3 = client(app, "s3", root_keys(app, A))
    s3.create_bucket(Bucket="bkt")
    return s3


def _upload(
    s3: Any, key: str, algorithm: str, parts: tuple[bytes, ...], checksum_type: str | None = None, **complete: Any
) -> dict[str, Any]:
    """A multipart upload created with ``algorithm``, each part sent with its checksum (as
    the AWS CLI sends them), completed listing them; CompleteMultipartUpload's answer."""
    extra = {"ChecksumType": checksum_type} if checksum_type else {}
    upload = s3.create_multipart_upload(Bucket="bkt", Key=key, ChecksumAlgorithm=algorithm, **extra)["UploadId"]
    listed = []
    for number, data in enumerate(parts, start=1):
        given = {f"Checksum{algorithm}": _b64(_digest(algorithm, data))}
        etag = s3.upload_part(Bucket="bkt", Key=key, UploadId=upload, PartNumber=number, Body=data, **given)["ETag"]
        listed.append({"PartNumber": number, "ETag": etag, **given})
    done: dict[str, Any] = s3.complete_multipart_upload(
        Bucket="bkt", Key=key, UploadId=upload, MultipartUpload={"Parts": listed}, **complete
    )
    return done


def _answered(out: dict[str, Any], algorithm: str) -> tuple[str | None, str | None]:
    return out.get(f"Checksum{algorithm}"), out.get("ChecksumType")


def test_a_composite_crc32_upload_is_the_crc32_of_its_parts_crc32s(s3: Any) -> None:
    """What `aws s3 cp` of a large file makes: CRC32, COMPOSITE by default."""
    expected = _composite("CRC32", PARTS)
    assert expected.endswith("-3")
    done = _upload(s3, "big", "CRC32", PARTS)
    assert _answered(done, "CRC32") == (expected, "COMPOSITE")
    head = s3.head_object(Bucket="bkt", Key="big", ChecksumMode="ENABLED")
    assert _answered(head, "CRC32") == (expected, "COMPOSITE")
    got = s3.get_object(Bucket="bkt", Key="big", ChecksumMode="ENABLED")
    assert _answered(got, "CRC32") == (expected, "COMPOSITE")
    assert got["Body"]._raw_stream.body == WHOLE
    # Without x-amz-checksum-mode no checksum is answered (HeadObject, GetObject).
    assert _answered(s3.head_object(Bucket="bkt", Key="big"), "CRC32") == (None, None)
    attributes = s3.get_object_attributes(Bucket="bkt", Key="big", ObjectAttributes=["Checksum", "ObjectParts"])
    assert attributes["Checksum"] == {"ChecksumCRC32": expected.removesuffix("-3"), "ChecksumType": "COMPOSITE"}
    assert attributes["ObjectParts"]["TotalPartsCount"] == 3
    (entry,) = s3.list_objects_v2(Bucket="bkt")["Contents"]
    assert (entry["ChecksumAlgorithm"], entry["ChecksumType"]) == (["CRC32"], "COMPOSITE")


@pytest.mark.parametrize("algorithm", ["CRC32C", "SHA1", "SHA256"])
def test_the_other_composite_algorithms(s3: Any, algorithm: str) -> None:
    parts = (PARTS[0], PARTS[2])
    expected = _composite(algorithm, parts)
    assert _answered(_upload(s3, "k", algorithm, parts), algorithm) == (expected, "COMPOSITE")
    head = s3.head_object(Bucket="bkt", Key="k", ChecksumMode="ENABLED")
    assert _answered(head, algorithm) == (expected, "COMPOSITE")


def test_one_part_is_still_a_checksum_of_checksums(s3: Any) -> None:
    """A one-part COMPOSITE upload answers "-1": the checksum of the part's checksum, not the
    part's own."""
    done = _upload(s3, "one", "CRC32", (b"only part",))
    assert _answered(done, "CRC32") == (_composite("CRC32", (b"only part",)), "COMPOSITE")
    assert done["ChecksumCRC32"] != _b64(_digest("CRC32", b"only part")) + "-1"


def test_a_full_object_crc32_upload_is_the_crc32_of_the_object(s3: Any) -> None:
    """x-amz-checksum-type FULL_OBJECT: the CRC of the whole object, as one PUT would have it;
    the request may give it (CompleteMultipartUpload: x-amz-checksum-crc32, "the ... checksum
    of the object"), with x-amz-checksum-type FULL_OBJECT: without it S3 refuses even the right
    value (recorded from AWS, LocalStack's test_s3 snapshot,
    test_multipart_parts_checksum_exceptions_full_object, "complete-part-only-checksum-algo")."""
    expected = _b64(_digest("CRC32", WHOLE))
    done = _upload(s3, "full", "CRC32", PARTS, "FULL_OBJECT", ChecksumCRC32=expected, ChecksumType="FULL_OBJECT")
    assert _answered(done, "CRC32") == (expected, "FULL_OBJECT")
    head = s3.head_object(Bucket="bkt", Key="full", ChecksumMode="ENABLED")
    assert _answered(head, "CRC32") == (expected, "FULL_OBJECT")
    attributes = s3.get_object_attributes(Bucket="bkt", Key="full", ObjectAttributes=["Checksum"])
    assert attributes["Checksum"] == {"ChecksumCRC32": expected, "ChecksumType": "FULL_OBJECT"}
    # Given without the object's checksum, S3 computes it all the same.
    done = _upload(s3, "full-2", "CRC32C", PARTS, "FULL_OBJECT")
    assert _answered(done, "CRC32C") == (_b64(_digest("CRC32C", WHOLE)), "FULL_OBJECT")


def test_crc64nvme_is_full_object_by_default(s3: Any) -> None:
    """CreateMultipartUpload, x-amz-checksum-type: CRC64NVME uploads are FULL_OBJECT."""
    done = _upload(s3, "nvme", "CRC64NVME", PARTS)
    assert _answered(done, "CRC64NVME") == (_b64(_digest("CRC64NVME", WHOLE)), "FULL_OBJECT")


def test_a_full_object_checksum_that_is_not_the_objects_is_refused(s3: Any) -> None:
    """S3 checks the value given against the object's and refuses the request when they
    differ (BadDigest, 400: "Checking object integrity for data uploads in Amazon S3": "If
    the values don't match, the request is rejected"); the upload stays."""
    wrong = _b64(_digest("CRC32", b"another object"))
    with pytest.raises(ClientError) as refused:
        _upload(s3, "full", "CRC32", PARTS, "FULL_OBJECT", ChecksumCRC32=wrong)
    error = refused.value.response
    assert (error["ResponseMetadata"]["HTTPStatusCode"], error["Error"]["Code"]) == (400, "BadDigest")
    assert len(s3.list_multipart_uploads(Bucket="bkt")["Uploads"]) == 1
    assert "Contents" not in s3.list_objects_v2(Bucket="bkt")


def test_a_copy_of_a_composite_object_has_the_full_object_checksum_of_its_bytes(s3: Any) -> None:
    """CopyObject writes the copy in one request; "when you copy ... Amazon S3 calculates the
    checksum on the source object and moves it to the destination object" ("Checking object
    integrity in Amazon S3"), and a PutObject's checksum is always FULL_OBJECT."""
    _upload(s3, "big", "CRC32", PARTS)
    result = s3.copy_object(Bucket="bkt", Key="copy", CopySource="bkt/big")["CopyObjectResult"]
    expected = _b64(_digest("CRC32", WHOLE))
    assert (result["ChecksumCRC32"], result["ChecksumType"]) == (expected, "FULL_OBJECT")
    head = s3.head_object(Bucket="bkt", Key="copy", ChecksumMode="ENABLED")
    assert _answered(head, "CRC32") == (expected, "FULL_OBJECT")


def test_an_upload_without_an_algorithm_has_the_default_crc64nvme(s3: Any) -> None:
    """Recorded from AWS (LocalStack's test_s3 snapshot, test_complete_multipart_parts_checksum_default):
    an upload created without an algorithm completes with the FULL_OBJECT CRC64NVME of the
    object, whatever checksum its parts were sent with."""
    upload = s3.create_multipart_upload(Bucket="bkt", Key="plain")["UploadId"]
    etag = s3.upload_part(Bucket="bkt", Key="plain", UploadId=upload, PartNumber=1, Body=b"x")["ETag"]
    done = s3.complete_multipart_upload(
        Bucket="bkt", Key="plain", UploadId=upload, MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": etag}]}
    )
    expected = _b64(_digest("CRC64NVME", b"x"))
    assert _answered(done, "CRC64NVME") == (expected, "FULL_OBJECT") and "ChecksumCRC32" not in done
    head = s3.head_object(Bucket="bkt", Key="plain", ChecksumMode="ENABLED")
    assert _answered(head, "CRC64NVME") == (expected, "FULL_OBJECT")


def test_boto3_upload_file_as_aws_s3_cp_sends_it(s3: Any, tmp_path: Path) -> None:
    """boto3's transfer manager, which `aws s3 cp` also uses: a 20 MB file in 8 MiB parts,
    CreateMultipartUpload with x-amz-checksum-algorithm CRC32 and each part's CRC32 (botocore
    computes checksums "when supported" by default). The object's checksum is the CRC32 of
    the three parts' CRC32s, "-3"."""
    data = bytes(range(251)) * (20 * 1000 * 1000 // 251)
    path = tmp_path / "big.bin"
    path.write_bytes(data)
    chunk = 8 * MIB
    config = TransferConfig(multipart_threshold=chunk, multipart_chunksize=chunk, use_threads=False)
    s3.upload_file(str(path), "bkt", "cp.bin", Config=config)
    pieces = tuple(data[start : start + chunk] for start in range(0, len(data), chunk))
    assert len(pieces) == 3
    head = s3.head_object(Bucket="bkt", Key="cp.bin", ChecksumMode="ENABLED")
    assert _answered(head, "CRC32") == (_composite("CRC32", pieces), "COMPOSITE")


def test_completion_refuses_a_checksum_type_or_size_that_is_not_the_uploads(s3: Any) -> None:
    """CompleteMultipartUpload (S3 API Reference): x-amz-mp-object-size "If there's a mismatch
    between the specified object size value and the actual object size value, it results in an
    HTTP 400 InvalidRequest error." Another x-amz-checksum-type is InvalidRequest too, not the
    reference's BadDigest (recorded from AWS, LocalStack's test_s3 snapshot,
    test_multipart_parts_checksum_exceptions_full_object, "complete-part-bad-checksum-type").
    The right values complete it."""
    parts = (PARTS[0], PARTS[2])
    for complete in ({"ChecksumType": "COMPOSITE"}, {"MpuObjectSize": 999}):
        with pytest.raises(ClientError) as refused:
            _upload(s3, "k", "CRC32", parts, checksum_type="FULL_OBJECT", **complete)
        assert refused.value.response["Error"]["Code"] == "InvalidRequest"
        assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    size = sum(len(part) for part in parts)
    done = _upload(s3, "k", "CRC32", parts, checksum_type="FULL_OBJECT", ChecksumType="FULL_OBJECT", MpuObjectSize=size)
    assert done["ChecksumType"] == "FULL_OBJECT"
    assert s3.head_object(Bucket="bkt", Key="k")["ContentLength"] == size

"""S3 checksum and multipart answers as recorded from AWS in LocalStack's test_s3 snapshot
(tests/aws/services/s3/test_s3.snapshot.json, recorded against AWS on 2026-02-21; LocalStack's
tests run against AWS; Apache-2.0), through the whole request path with boto3. Each test names
the recorded test and its labels; the bodies are the recorded tests' own, so the checksums
below are AWS's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from inprocess_harness import s3_with_bucket

BAD_DIGEST_CRC32C = "The crc32c you specified did not match the calculated checksum."
SAME_MODE = "The complete request must use the same checksum mode."


@pytest.fixture
def s3(tmp_path: Path) -> Any:
    return s3_with_bucket(tmp_path)


def _error(caught: pytest.ExceptionInfo[ClientError]) -> tuple[int, str, str]:
    response = caught.value.response
    return response["ResponseMetadata"]["HTTPStatusCode"], response["Error"]["Code"], response["Error"]["Message"]


def _checksum(out: dict[str, Any], algorithm: str) -> tuple[str | None, str | None]:
    return out.get(f"Checksum{algorithm}"), out.get("ChecksumType")


def test_an_object_put_without_a_checksum_gets_crc64nvme(s3: Any) -> None:
    # Recorded from AWS (test_s3_checksum_no_automatic_sdk_calculation, a client that sends
    # no checksum, body "test data.."): "head-obj-no-checksum" and "get-obj-attrs-no-checksum"
    # ChecksumCRC64NVME "qUVrWYOrIAM=" FULL_OBJECT; "copy-obj-default-checksum" the same in
    # CopyObjectResult. "Amazon S3 ... calculates CRC64NVME ... when no checksum is provided"
    # (S3 User Guide, "Checking object integrity").
    s3.meta.config.request_checksum_calculation = "when_required"  # botocore sends no checksum
    put = s3.put_object(Bucket="bkt", Key="k", Body=b"test data..")
    assert _checksum(put, "CRC64NVME") == ("qUVrWYOrIAM=", "FULL_OBJECT")
    head = s3.head_object(Bucket="bkt", Key="k", ChecksumMode="ENABLED")
    assert _checksum(head, "CRC64NVME") == ("qUVrWYOrIAM=", "FULL_OBJECT")
    got = s3.get_object(Bucket="bkt", Key="k", ChecksumMode="ENABLED")
    assert (
        _checksum(got, "CRC64NVME") == ("qUVrWYOrIAM=", "FULL_OBJECT")
        and got["Body"]._raw_stream.body == b"test data.."
    )
    attributes = s3.get_object_attributes(Bucket="bkt", Key="k", ObjectAttributes=["Checksum"])
    assert attributes["Checksum"] == {"ChecksumCRC64NVME": "qUVrWYOrIAM=", "ChecksumType": "FULL_OBJECT"}
    copied = s3.copy_object(Bucket="bkt", Key="copy", CopySource="bkt/k")["CopyObjectResult"]
    assert _checksum(copied, "CRC64NVME") == ("qUVrWYOrIAM=", "FULL_OBJECT")
    # test_post_object_default_checksum: a presigned POST of "test-body-tagging" has
    # "L1qdhyEV1JY=" (a POST upload is a PutObject here).
    s3.put_object(Bucket="bkt", Key="posted", Body=b"test-body-tagging")
    head = s3.head_object(Bucket="bkt", Key="posted", ChecksumMode="ENABLED")
    assert _checksum(head, "CRC64NVME") == ("L1qdhyEV1JY=", "FULL_OBJECT")


def test_an_upload_without_an_algorithm_completes_with_crc64nvme(s3: Any) -> None:
    # Recorded from AWS (test_complete_multipart_parts_checksum_default): a part "aaa" sent
    # with its CRC32C ("45fn2Q=="); ListParts lists no part checksum; a COMPOSITE checksum
    # given to complete is ignored; "complete-multipart-checksum", "get-object-with-checksum",
    # "head-object-with-checksum", "get-object-attrs" (ObjectParts TotalPartsCount alone) and
    # "copy-obj-checksum": ChecksumCRC64NVME "Rnr2/5P7Gsk=" FULL_OBJECT.
    upload = s3.create_multipart_upload(Bucket="bkt", Key="mpu")["UploadId"]
    part = s3.upload_part(
        Bucket="bkt", Key="mpu", UploadId=upload, PartNumber=1, Body=b"aaa", ChecksumCRC32C="45fn2Q=="
    )
    assert part["ChecksumCRC32C"] == "45fn2Q==" and "ChecksumCRC64NVME" not in part
    listed = s3.list_parts(Bucket="bkt", Key="mpu", UploadId=upload)
    assert [sorted(p) for p in listed["Parts"]] == [["ETag", "LastModified", "PartNumber", "Size"]]
    done = s3.complete_multipart_upload(
        Bucket="bkt",
        Key="mpu",
        UploadId=upload,
        MultipartUpload={"Parts": [{"ETag": part["ETag"], "PartNumber": 1}]},
        ChecksumCRC32C="AAAAAA==-2",
    )
    assert _checksum(done, "CRC64NVME") == ("Rnr2/5P7Gsk=", "FULL_OBJECT") and "ChecksumCRC32C" not in done
    for read in (s3.head_object, s3.get_object):
        assert _checksum(read(Bucket="bkt", Key="mpu", ChecksumMode="ENABLED"), "CRC64NVME") == (
            "Rnr2/5P7Gsk=",
            "FULL_OBJECT",
        )
    attributes = s3.get_object_attributes(Bucket="bkt", Key="mpu", ObjectAttributes=["Checksum", "ObjectParts"])
    assert attributes["Checksum"] == {"ChecksumCRC64NVME": "Rnr2/5P7Gsk=", "ChecksumType": "FULL_OBJECT"}
    assert attributes["ObjectParts"] == {"TotalPartsCount": 1}
    copied = s3.copy_object(Bucket="bkt", Key="mpu-copy", CopySource="bkt/mpu")["CopyObjectResult"]
    assert _checksum(copied, "CRC64NVME") == ("Rnr2/5P7Gsk=", "FULL_OBJECT")


def test_a_part_sent_with_crc32_completes_with_the_objects_crc64nvme(s3: Any) -> None:
    # Recorded from AWS (test_multipart_and_list_parts): "upload-part-1" five times, sent with
    # botocore's CRC32; "complete-multipart" and "head-multipart-checksum" ChecksumCRC64NVME
    # "CTXktO4pIQs=" FULL_OBJECT.
    upload = s3.create_multipart_upload(Bucket="bkt", Key="parts")["UploadId"]
    part = s3.upload_part(Bucket="bkt", Key="parts", UploadId=upload, PartNumber=1, Body=b"upload-part-1" * 5)
    assert "ChecksumCRC32" in part
    done = s3.complete_multipart_upload(
        Bucket="bkt", Key="parts", UploadId=upload, MultipartUpload={"Parts": [{"ETag": part["ETag"], "PartNumber": 1}]}
    )
    assert _checksum(done, "CRC64NVME") == ("CTXktO4pIQs=", "FULL_OBJECT")


@pytest.mark.parametrize(
    ("checksum_type", "completed"),
    [("COMPOSITE", "F9bAnw==-1"), ("FULL_OBJECT", "iqJrOQ==")],
    ids=["composite", "full_object"],
)
def test_upload_part_copy_computes_the_parts_checksum(s3: Any, checksum_type: str, completed: str) -> None:
    # Recorded from AWS (test_multipart_upload_part_copy_checksum[COMPOSITE] and
    # [FULL_OBJECT]): "this is a part" copied into a CRC32C upload: "upload-part-copy"
    # CopyPartResult ChecksumCRC32C "iqJrOQ==", "list-parts" the same for part 1,
    # "complete-multipart-checksum" "F9bAnw==-1" COMPOSITE or "iqJrOQ==" FULL_OBJECT;
    # "get-object-attrs" of the COMPOSITE one "F9bAnw==" and the part's "iqJrOQ==".
    s3.put_object(Bucket="bkt", Key="source", Body=b"this is a part")
    upload = s3.create_multipart_upload(
        Bucket="bkt", Key="mpu", ChecksumAlgorithm="CRC32C", ChecksumType=checksum_type
    )["UploadId"]
    copy = s3.upload_part_copy(Bucket="bkt", Key="mpu", UploadId=upload, PartNumber=1, CopySource="bkt/source")
    assert copy["CopyPartResult"]["ChecksumCRC32C"] == "iqJrOQ=="
    listed = s3.list_parts(Bucket="bkt", Key="mpu", UploadId=upload)["Parts"]
    assert [(p["PartNumber"], p["ChecksumCRC32C"], p["Size"]) for p in listed] == [(1, "iqJrOQ==", 14)]
    part = {"ETag": copy["CopyPartResult"]["ETag"], "PartNumber": 1, "ChecksumCRC32C": "iqJrOQ=="}
    done = s3.complete_multipart_upload(Bucket="bkt", Key="mpu", UploadId=upload, MultipartUpload={"Parts": [part]})
    assert _checksum(done, "CRC32C") == (completed, checksum_type)
    attributes = s3.get_object_attributes(Bucket="bkt", Key="mpu", ObjectAttributes=["Checksum", "ObjectParts"])
    assert attributes["Checksum"] == {"ChecksumCRC32C": completed.removesuffix("-1"), "ChecksumType": checksum_type}
    if checksum_type == "COMPOSITE":
        assert attributes["ObjectParts"]["Parts"] == [{"PartNumber": 1, "Size": 14, "ChecksumCRC32C": "iqJrOQ=="}]


def _crc32c_full_object_upload(s3: Any) -> tuple[str, dict[str, Any]]:
    """test_multipart_parts_checksum_exceptions_full_object's upload: CRC32C FULL_OBJECT, one
    part "abc" ("upload-part-no-checksum-ok": ChecksumCRC32C "Nks/tw=="); its upload ID and
    the part as the complete requests list it."""
    upload = s3.create_multipart_upload(Bucket="bkt", Key="exc", ChecksumAlgorithm="CRC32C", ChecksumType="FULL_OBJECT")
    part = s3.upload_part(
        Bucket="bkt", Key="exc", UploadId=upload["UploadId"], PartNumber=1, Body=b"abc", ChecksumCRC32C="Nks/tw=="
    )
    assert part["ChecksumCRC32C"] == "Nks/tw=="
    return upload["UploadId"], {"ETag": part["ETag"], "PartNumber": 1, "ChecksumCRC32C": "Nks/tw=="}


def test_a_full_object_upload_takes_only_its_own_checksum_with_full_object(s3: Any) -> None:
    # Recorded from AWS (test_multipart_parts_checksum_exceptions_full_object): BadDigest
    # "The crc32c you specified did not match the calculated checksum." for the COMPOSITE
    # form of the part's CRC32C ("complete-part-good-checksum-no-type"), the right CRC32C
    # ("complete-part-only-checksum-algo") or the object's CRC64NVME ("...-algo-diff") without
    # x-amz-checksum-type, a wrong CRC32C ("complete-part-bad-checksum") or a CRC32
    # ("complete-part-bad-checksum-algo") with FULL_OBJECT; "complete-success": the right
    # CRC32C with FULL_OBJECT.
    upload, part = _crc32c_full_object_upload(s3)
    refused: list[dict[str, Any]] = [
        {"ChecksumCRC32C": "ZpGMMA==-1"},
        {"ChecksumCRC32C": "Nks/tw=="},
        {"ChecksumCRC64NVME": "BeXKuz/B+us="},
        {"ChecksumCRC32C": "AAAAAA==", "ChecksumType": "FULL_OBJECT"},
        {"ChecksumCRC32": "AAAAAA==", "ChecksumType": "FULL_OBJECT"},
    ]
    for claims in refused:
        with pytest.raises(ClientError) as caught:
            s3.complete_multipart_upload(
                Bucket="bkt", Key="exc", UploadId=upload, MultipartUpload={"Parts": [part]}, **claims
            )
        assert _error(caught) == (400, "BadDigest", BAD_DIGEST_CRC32C), claims
    done = s3.complete_multipart_upload(
        Bucket="bkt",
        Key="exc",
        UploadId=upload,
        MultipartUpload={"Parts": [part]},
        ChecksumCRC32C="Nks/tw==",
        ChecksumType="FULL_OBJECT",
    )
    assert _checksum(done, "CRC32C") == ("Nks/tw==", "FULL_OBJECT")


def test_another_checksum_mode_is_refused_before_the_parts(s3: Any) -> None:
    # Recorded from AWS: test_multipart_parts_checksum_exceptions_full_object
    # "complete-part-bad-checksum-type" (COMPOSITE for a FULL_OBJECT upload) and
    # test_multipart_parts_checksum_exceptions_composite "complete-part-with-bad-checksum-type"
    # (FULL_OBJECT for a CRC32 COMPOSITE upload whose parts are listed without checksums: the
    # mode, not the missing part checksum).
    upload, part = _crc32c_full_object_upload(s3)
    with pytest.raises(ClientError) as caught:
        s3.complete_multipart_upload(
            Bucket="bkt", Key="exc", UploadId=upload, MultipartUpload={"Parts": [part]}, ChecksumType="COMPOSITE"
        )
    assert _error(caught) == (
        400,
        "InvalidRequest",
        f"The upload was created using the FULL_OBJECT checksum mode. {SAME_MODE}",
    )
    upload = s3.create_multipart_upload(Bucket="bkt", Key="comp", ChecksumAlgorithm="CRC32", ChecksumType="COMPOSITE")
    etag = s3.upload_part(Bucket="bkt", Key="comp", UploadId=upload["UploadId"], PartNumber=1, Body=b"abc")["ETag"]
    with pytest.raises(ClientError) as caught:
        s3.complete_multipart_upload(
            Bucket="bkt",
            Key="comp",
            UploadId=upload["UploadId"],
            MultipartUpload={"Parts": [{"ETag": etag, "PartNumber": 1}]},
            ChecksumType="FULL_OBJECT",
        )
    assert _error(caught) == (
        400,
        "InvalidRequest",
        f"The upload was created using the COMPOSITE checksum mode. {SAME_MODE}",
    )


def test_a_part_checksum_of_another_algorithm_is_bad_digest(s3: Any) -> None:
    # Recorded from AWS (test_multipart_parts_checksum_exceptions_composite,
    # "complete-part-with-checksum"): a CRC32 COMPOSITE upload, part "abc" ("NSRBwg=="),
    # listed with its SHA-256.
    upload = s3.create_multipart_upload(Bucket="bkt", Key="comp", ChecksumAlgorithm="CRC32", ChecksumType="COMPOSITE")
    part = s3.upload_part(Bucket="bkt", Key="comp", UploadId=upload["UploadId"], PartNumber=1, Body=b"abc")
    assert part["ChecksumCRC32"] == "NSRBwg=="
    sha256 = "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0="
    with pytest.raises(ClientError) as caught:
        s3.complete_multipart_upload(
            Bucket="bkt",
            Key="comp",
            UploadId=upload["UploadId"],
            MultipartUpload={"Parts": [{"ETag": part["ETag"], "PartNumber": 1, "ChecksumSHA256": sha256}]},
        )
    assert _error(caught) == (400, "BadDigest", "The sha256 you specified for part 1 did not match what we received.")


def test_a_wrong_object_size_names_both_sizes(s3: Any) -> None:
    # Recorded from AWS (test_multipart_size_validation): part "aaaa", MpuObjectSize 5:
    # "complete-multipart-wrong-size"; with 4, "complete-multipart-good-size"
    # ChecksumCRC64NVME "GC2rW8VclPA=" FULL_OBJECT.
    upload = s3.create_multipart_upload(Bucket="bkt", Key="size")["UploadId"]
    etag = s3.upload_part(Bucket="bkt", Key="size", UploadId=upload, PartNumber=1, Body=b"aaaa")["ETag"]
    parts = {"Parts": [{"ETag": etag, "PartNumber": 1}]}
    with pytest.raises(ClientError) as caught:
        s3.complete_multipart_upload(Bucket="bkt", Key="size", UploadId=upload, MultipartUpload=parts, MpuObjectSize=5)
    assert _error(caught) == (
        400,
        "InvalidRequest",
        "The provided 'x-amz-mp-object-size' header value 5 does not match what was computed: 4",
    )
    done = s3.complete_multipart_upload(
        Bucket="bkt", Key="size", UploadId=upload, MultipartUpload=parts, MpuObjectSize=4
    )
    assert _checksum(done, "CRC64NVME") == ("GC2rW8VclPA=", "FULL_OBJECT")


def test_the_initiator_has_a_display_name_and_the_owner_has_not(s3: Any) -> None:
    # Recorded from AWS in 2026 (test_multipart_and_list_parts: "list-part-after-created",
    # "list-all-uploads"): Initiator {DisplayName, ID}, Owner {ID}.
    upload = s3.create_multipart_upload(Bucket="bkt", Key="who")["UploadId"]
    parts = s3.list_parts(Bucket="bkt", Key="who", UploadId=upload)
    uploads = s3.list_multipart_uploads(Bucket="bkt")["Uploads"]
    for listed in (parts, uploads[0]):
        assert set(listed["Initiator"]) == {"DisplayName", "ID"} and set(listed["Owner"]) == {"ID"}
        assert listed["Initiator"]["ID"] == listed["Owner"]["ID"]

"""SSE-KMS answers as recorded from AWS in LocalStack's test_s3 snapshot (tests/aws/services/
s3/test_s3.snapshot.json; LocalStack's tests run against AWS; Apache-2.0), through the whole
request path with boto3."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from inprocess_harness import s3_with_bucket

A = "111111111111"
KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab"


def _s3(tmp_path: Path) -> Any:
    return s3_with_bucket(tmp_path)


def test_a_kms_write_takes_the_buckets_bucket_key_setting(tmp_path: Path) -> None:
    # test_s3_sse_default_kms_key: default encryption aws:kms with BucketKeyEnabled, then a
    # PutObject naming aws:kms alone answers BucketKeyEnabled true, as GetObject does.
    s3 = _s3(tmp_path)
    rule = {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}, "BucketKeyEnabled": True}
    s3.put_bucket_encryption(Bucket="bkt", ServerSideEncryptionConfiguration={"Rules": [rule]})
    put = s3.put_object(Bucket="bkt", Key="k", Body=b"x", ServerSideEncryption="aws:kms")
    assert put["BucketKeyEnabled"] is True
    assert s3.get_object(Bucket="bkt", Key="k")["BucketKeyEnabled"] is True


def test_a_kms_multipart_completion_does_not_answer_the_default_checksum(tmp_path: Path) -> None:
    # test_s3_multipart_upload_sse (multi-sse-compete-multipart): no ChecksumCRC64NVME or
    # ChecksumType in CompleteMultipartUpload's answer; GetObject with ChecksumMode answers it.
    s3 = _s3(tmp_path)
    upload = s3.create_multipart_upload(
        Bucket="bkt", Key="k", ServerSideEncryption="aws:kms", SSEKMSKeyId=KEY_ID, BucketKeyEnabled=True
    )["UploadId"]
    etag = s3.upload_part(Bucket="bkt", Key="k", UploadId=upload, PartNumber=1, Body=b"data")["ETag"]
    done = s3.complete_multipart_upload(
        Bucket="bkt", Key="k", UploadId=upload, MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": etag}]}
    )
    assert "ChecksumCRC64NVME" not in done and "ChecksumType" not in done
    assert done["ServerSideEncryption"] == "aws:kms" and done["BucketKeyEnabled"] is True
    assert "ChecksumCRC64NVME" in s3.get_object(Bucket="bkt", Key="k", ChecksumMode="ENABLED")


@pytest.mark.parametrize(
    ("key_id", "message"),
    [
        ("fake-key-id", "Invalid keyId 'fake-key-id'"),
        (f"arn:aws:kms:us-west-2:{A}:key/{KEY_ID}", "Invalid arn us-west-2"),
    ],
)
def test_a_kms_key_id_s3_cannot_use_is_refused(tmp_path: Path, key_id: str, message: str) -> None:
    # test_s3_sse_validate_kms_key: PutObject, CreateMultipartUpload and CopyObject alike.
    s3 = _s3(tmp_path)
    s3.put_object(Bucket="bkt", Key="src", Body=b"x")
    sse = {"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": key_id}
    calls = (
        lambda: s3.put_object(Bucket="bkt", Key="k", Body=b"x", **sse),
        lambda: s3.create_multipart_upload(Bucket="bkt", Key="k", **sse),
        lambda: s3.copy_object(Bucket="bkt", Key="k", CopySource="bkt/src", **sse),
    )
    for call in calls:
        with pytest.raises(ClientError) as caught:
            call()
        response = caught.value.response
        assert (response["ResponseMetadata"]["HTTPStatusCode"], response["Error"]["Code"]) == (
            400,
            "KMS.NotFoundException",
        )
        assert response["Error"]["Message"] == message
    assert [o["Key"] for o in s3.list_objects_v2(Bucket="bkt")["Contents"]] == ["src"]
    for good in (KEY_ID, f"mrk-{'0' * 32}", "alias/mine", f"arn:aws:kms:us-east-1:{A}:key/{KEY_ID}"):
        assert s3.put_object(Bucket="bkt", Key="k", Body=b"x", ServerSideEncryption="aws:kms", SSEKMSKeyId=good)


def test_upload_part_names_the_sent_digest_as_sent(tmp_path: Path) -> None:
    # test_s3_invalid_content_md5 (upload-part-md5-bad-digest): ExpectedDigest as sent
    # (base64), where PutObject's is in hex (md5-error-bad-digest).
    s3 = _s3(tmp_path)
    upload = s3.create_multipart_upload(Bucket="bkt", Key="k")["UploadId"]
    sent = "CYketZBSTjX8czcs3cXVlg=="
    with pytest.raises(ClientError) as caught:
        s3.upload_part(Bucket="bkt", Key="k", UploadId=upload, PartNumber=1, Body=b"something", ContentMD5=sent)
    error = caught.value.response["Error"]
    assert (error["Code"], error["ExpectedDigest"], error["CalculatedDigest"]) == (
        "BadDigest",
        sent,
        "Q3uTDbhLgHnC3YBKcZNrXw==",
    )
    with pytest.raises(ClientError) as caught:
        s3.put_object(Bucket="bkt", Key="k", Body=b"something", ContentMD5=sent)
    assert caught.value.response["Error"]["ExpectedDigest"] == "09891eb590524e35fc73372cddc5d596"

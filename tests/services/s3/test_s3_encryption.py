"""Server-side encryption of objects (``services/s3/encryption.py``): "Protecting data with
server-side encryption" and "Setting default server-side encryption behavior for Amazon S3
buckets" (S3 User Guide); the x-amz-server-side-encryption* headers of PutObject, CopyObject,
CreateMultipartUpload, GetObject and HeadObject (S3 API Reference)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from iamsandbox.errors import InvalidArgument

Run = Callable[..., Any]
A = "111111111111"
KEY_ARN = f"arn:aws:kms:us-east-1:{A}:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def _encryption(out: dict[str, Any]) -> tuple[Any, ...]:
    return out["ServerSideEncryption"], out.get("SSEKMSKeyId"), out.get("BucketKeyEnabled")


def test_sse_s3_by_default(run: Run) -> None:
    """ "All new object uploads to Amazon S3 are automatically encrypted" with SSE-S3 (AES256)."""
    assert _encryption(run("PutObject", Bucket="bkt", Key="k", Body=b"x")) == ("AES256", None, None)
    assert _encryption(run("HeadObject", Bucket="bkt", Key="k")) == ("AES256", None, None)


def test_sse_kms_with_a_key_is_kept_and_answered(run: Run) -> None:
    params = {"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": KEY_ARN, "BucketKeyEnabled": True}
    assert _encryption(run("PutObject", Bucket="bkt", Key="k", Body=b"x", **params)) == ("aws:kms", KEY_ARN, True)
    assert _encryption(run("GetObject", Bucket="bkt", Key="k")) == ("aws:kms", KEY_ARN, True)
    assert _encryption(run("HeadObject", Bucket="bkt", Key="k")) == ("aws:kms", KEY_ARN, True)


def test_sse_kms_without_a_key_uses_the_aws_managed_key(run: Run) -> None:
    """Without x-amz-server-side-encryption-aws-kms-key-id, "Amazon S3 uses the AWS managed
    key (aws/s3) to protect the data" (PutObject): one key per account and Region."""
    first = run("PutObject", Bucket="bkt", Key="a", Body=b"x", ServerSideEncryption="aws:kms")
    second = run("PutObject", Bucket="bkt", Key="b", Body=b"x", ServerSideEncryption="aws:kms:dsse")
    assert first["SSEKMSKeyId"].startswith(f"arn:aws:kms:us-east-1:{A}:key/")
    assert second["SSEKMSKeyId"] == first["SSEKMSKeyId"]
    assert _encryption(run("HeadObject", Bucket="bkt", Key="b")) == ("aws:kms:dsse", first["SSEKMSKeyId"], None)


def test_the_aws_managed_keys_alias_is_answered_as_its_key(run: Run) -> None:
    """alias/aws/s3 names the same AWS managed key, and S3 answers a key ARN ("S3 always
    returns KMS Key ARN ... for a newly created object", awslabs/mountpoint-s3 PR 907)."""
    managed = run("PutObject", Bucket="bkt", Key="a", Body=b"x", ServerSideEncryption="aws:kms")["SSEKMSKeyId"]
    for alias in ("alias/aws/s3", f"arn:aws:kms:us-east-1:{A}:alias/aws/s3"):
        named = run("PutObject", Bucket="bkt", Key="b", Body=b"x", ServerSideEncryption="aws:kms", SSEKMSKeyId=alias)
        assert named["SSEKMSKeyId"] == managed


def test_the_request_wins_over_the_bucket_default(run: Run) -> None:
    rule = {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": KEY_ARN}}
    run("PutBucketEncryption", Bucket="bkt", ServerSideEncryptionConfiguration={"Rules": [rule]})
    assert _encryption(run("PutObject", Bucket="bkt", Key="d", Body=b"x")) == ("aws:kms", KEY_ARN, None)
    given = run("PutObject", Bucket="bkt", Key="e", Body=b"x", ServerSideEncryption="AES256")
    assert _encryption(given) == ("AES256", None, None)


def test_a_copy_takes_the_destination_encryption_not_the_source(run: Run) -> None:
    """CopyObject: "the target object is encrypted with the destination bucket's default
    encryption" unless the request names one (CopyObject, Server-side encryption)."""
    run("PutObject", Bucket="bkt", Key="src", Body=b"x", ServerSideEncryption="aws:kms", SSEKMSKeyId=KEY_ARN)
    copied = run("CopyObject", Bucket="bkt", Key="dst", CopySource="bkt/src")
    assert _encryption(copied) == ("AES256", None, None)
    assert _encryption(run("HeadObject", Bucket="bkt", Key="dst")) == ("AES256", None, None)
    again = run("CopyObject", Bucket="bkt", Key="dst2", CopySource="bkt/src", ServerSideEncryption="aws:kms")
    assert again["ServerSideEncryption"] == "aws:kms" and again["SSEKMSKeyId"].startswith("arn:aws:kms:")


def test_multipart_upload_keeps_the_encryption_it_started_with(run: Run) -> None:
    started = run("CreateMultipartUpload", Bucket="bkt", Key="m", ServerSideEncryption="aws:kms", SSEKMSKeyId=KEY_ARN)
    assert _encryption(started) == ("aws:kms", KEY_ARN, None)
    upload = started["UploadId"]
    part = run("UploadPart", Bucket="bkt", Key="m", UploadId=upload, PartNumber=1, Body=b"x")
    assert _encryption(part) == ("aws:kms", KEY_ARN, None)
    parts = {"Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]}
    done = run("CompleteMultipartUpload", Bucket="bkt", Key="m", UploadId=upload, MultipartUpload=parts)
    assert _encryption(done) == ("aws:kms", KEY_ARN, None)
    assert _encryption(run("HeadObject", Bucket="bkt", Key="m")) == ("aws:kms", KEY_ARN, None)


@pytest.mark.parametrize("operation", ["PutObject", "CreateMultipartUpload", "CopyObject"])
def test_an_unknown_algorithm_is_invalid_argument(run: Run, operation: str) -> None:
    run("PutObject", Bucket="bkt", Key="src", Body=b"x")
    extra = {"CopySource": "bkt/src"} if operation == "CopyObject" else {}
    with pytest.raises(InvalidArgument) as raised:
        run(operation, Bucket="bkt", Key="k", ServerSideEncryption="BOGUS", **extra)
    assert raised.value.message == "The encryption method specified is not supported"
    assert raised.value.fields == {"ArgumentName": "x-amz-server-side-encryption", "ArgumentValue": "BOGUS"}
    assert run("ListObjectsV2", Bucket="bkt")["KeyCount"] == 1  # nothing written


def test_a_kms_key_without_kms_is_invalid_argument(run: Run) -> None:
    with pytest.raises(InvalidArgument) as raised:
        run("PutObject", Bucket="bkt", Key="k", Body=b"x", SSEKMSKeyId=KEY_ARN)
    assert raised.value.message.startswith("Server Side Encryption with AWS KMS managed key requires HTTP header")


@pytest.mark.parametrize("member", ["MetadataDirective", "TaggingDirective"])
def test_copy_directives_are_copy_or_replace(run: Run, member: str) -> None:
    """CopyObject: x-amz-metadata-directive and x-amz-tagging-directive, "Valid Values: COPY |
    REPLACE"."""
    run("PutObject", Bucket="bkt", Key="src", Body=b"x")
    with pytest.raises(InvalidArgument) as raised:
        run("CopyObject", Bucket="bkt", Key="dst", CopySource="bkt/src", **{member: "BOGUS"})
    what = "metadata" if member == "MetadataDirective" else "tagging"
    assert raised.value.message == f"Unknown {what} directive."
    assert raised.value.fields["ArgumentValue"] == "BOGUS"
    for value in ("COPY", "REPLACE"):
        run("CopyObject", Bucket="bkt", Key="dst", CopySource="bkt/src", **{member: value})

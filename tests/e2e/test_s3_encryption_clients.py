"""Server-side encryption against a real server, with the AWS CLI and boto3.

AWS pages: "Specifying server-side encryption with AWS KMS (SSE-KMS)" (S3 User Guide: with
`aws s3 cp --sse aws:kms` and no key, "Amazon S3 uses the AWS managed key (aws/s3)");
"Setting default server-side encryption behavior for Amazon S3 buckets" (a bucket's default
applies to new objects); PutObject and CopyObject (S3 API Reference): the
x-amz-server-side-encryption headers, "Valid Values: AES256 | aws:fsx | aws:kms |
aws:kms:dsse", and x-amz-metadata-directive "Valid Values: COPY | REPLACE".
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from botocore.exceptions import ClientError
from e2e_harness import A, Server, _client, aws_cli

BUCKET = "sse-bucket"


def test_cli_and_boto3_encryption(server: Server, tmp_path: Path) -> None:
    root = server.create_account(A)
    s3 = _client(server, "s3", root)
    s3.create_bucket(Bucket=BUCKET)
    body = tmp_path / "report.csv"
    body.write_bytes(b"a,b\n")

    done = aws_cli(server, tmp_path, root, "s3", "cp", str(body), f"s3://{BUCKET}/kms.csv", "--sse", "aws:kms")
    assert done.returncode == 0, done.stderr
    head = s3.head_object(Bucket=BUCKET, Key="kms.csv")
    assert head["ServerSideEncryption"] == "aws:kms"
    assert head["SSEKMSKeyId"].startswith(f"arn:aws:kms:us-east-1:{A}:key/")

    done = aws_cli(
        server, tmp_path, root, "s3api", "head-object", "--bucket", BUCKET, "--key", "kms.csv", "--output", "json"
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["ServerSideEncryption"] == "aws:kms"

    assert s3.put_object(Bucket=BUCKET, Key="plain", Body=b"x")["ServerSideEncryption"] == "AES256"
    key = f"arn:aws:kms:us-east-1:{A}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    rule = {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key}}
    s3.put_bucket_encryption(Bucket=BUCKET, ServerSideEncryptionConfiguration={"Rules": [rule]})
    by_default = s3.put_object(Bucket=BUCKET, Key="default", Body=b"x")
    assert (by_default["ServerSideEncryption"], by_default["SSEKMSKeyId"]) == ("aws:kms", key)
    assert s3.get_object(Bucket=BUCKET, Key="default")["SSEKMSKeyId"] == key
    assert s3.head_object(Bucket=BUCKET, Key="plain")["ServerSideEncryption"] == "AES256"  # as written

    with pytest.raises(ClientError) as raised:
        s3.put_object(Bucket=BUCKET, Key="bad", Body=b"x", ServerSideEncryption="AES128")
    error = raised.value.response["Error"]
    assert (error["Code"], error["Message"]) == ("InvalidArgument", "The encryption method specified is not supported")
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400

    done = aws_cli(
        server,
        tmp_path,
        root,
        "s3api",
        "copy-object",
        "--bucket",
        BUCKET,
        "--key",
        "copy",
        "--copy-source",
        f"{BUCKET}/plain",
        "--metadata-directive",
        "BOGUS",
    )
    assert done.returncode != 0 and "InvalidArgument" in done.stderr and "Unknown metadata directive." in done.stderr
    assert "copy" not in [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET)["Contents"]]

"""Bucket default encryption, CORS and lifecycle through a real server, with boto3 and the
``aws`` CLI: what is put is read back, Delete restores S3's default, a user without the
Put action is denied, and bad input gets S3's error.

AWS pages: Amazon S3 API Reference, PutBucketEncryption, GetBucketEncryption,
DeleteBucketEncryption ("resets the default encryption ... (SSE-S3)"), PutBucketCors
("Valid values are GET, PUT, HEAD, POST, and DELETE"), PutBucketLifecycleConfiguration,
DeleteBucketLifecycle, PutObject (x-amz-server-side-encryption); Service Authorization
Reference, "Actions, resources, and condition keys for Amazon S3".
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from botocore.exceptions import ClientError
from e2e_harness import A, Server, _client, aws_cli

BUCKET = "configured-bucket"
KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab"


def test_stored_configurations_with_boto3_and_the_cli(server: Server, tmp_path: Path) -> None:
    """PutBucketEncryption / PutBucketCors / PutBucketLifecycleConfiguration with the ``aws``
    CLI, read back with the CLI and boto3; a user allowed
    only the Get actions is denied each Put (AccessDenied names the action); an unsupported
    CORS method is InvalidRequest and a KMS key with AES256 InvalidArgument."""
    root = server.create_account(A)
    s3 = _client(server, "s3", root)
    s3.create_bucket(Bucket=BUCKET)

    def s3api(*args: str, keys: dict[str, str] = root) -> subprocess.CompletedProcess[str]:
        return aws_cli(server, tmp_path, keys, "s3api", *args, "--bucket", BUCKET, "--output", "json")

    # Default encryption: SSE-KMS with a key and an S3 Bucket Key.
    kms = {
        "Rules": [
            {
                "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": KEY_ID},
                "BucketKeyEnabled": True,
            }
        ]
    }
    put = s3api("put-bucket-encryption", "--server-side-encryption-configuration", json.dumps(kms))
    assert put.returncode == 0, put.stderr
    got = s3api("get-bucket-encryption")
    assert got.returncode == 0, got.stderr
    assert json.loads(got.stdout) == {"ServerSideEncryptionConfiguration": kms}

    # CORS.
    cors = {
        "CORSRules": [
            {
                "AllowedHeaders": ["*"],
                "AllowedMethods": ["GET", "PUT"],
                "AllowedOrigins": ["https://www.example.com"],
                "ExposeHeaders": ["ETag"],
                "MaxAgeSeconds": 3000,
            }
        ]
    }
    put = s3api("put-bucket-cors", "--cors-configuration", json.dumps(cors))
    assert put.returncode == 0, put.stderr
    assert json.loads(s3api("get-bucket-cors").stdout) == cors
    assert s3.get_bucket_cors(Bucket=BUCKET)["CORSRules"] == cors["CORSRules"]

    # Lifecycle (kept and reported; nothing expires).
    lifecycle = {
        "Rules": [
            {
                "ID": "expire-logs",
                "Filter": {"Prefix": "logs/"},
                "Status": "Enabled",
                "Expiration": {"Days": 30},
                "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 7},
            }
        ]
    }
    put = s3api("put-bucket-lifecycle-configuration", "--lifecycle-configuration", json.dumps(lifecycle))
    assert put.returncode == 0, put.stderr
    assert json.loads(put.stdout) == {"TransitionDefaultMinimumObjectSize": "all_storage_classes_128K"}
    got = s3.get_bucket_lifecycle_configuration(Bucket=BUCKET)
    assert got["Rules"] == lifecycle["Rules"]

    # A user allowed only to read the configurations is denied each write.
    iam = _client(server, "iam", root)
    iam.create_user(UserName="reader")
    reads = ["s3:GetEncryptionConfiguration", "s3:GetBucketCORS", "s3:GetLifecycleConfiguration"]
    policy = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": reads, "Resource": f"arn:aws:s3:::{BUCKET}"}],
    }
    iam.put_user_policy(UserName="reader", PolicyName="read-config", PolicyDocument=json.dumps(policy))
    key = iam.create_access_key(UserName="reader")["AccessKey"]
    reader_keys = {"AccessKeyId": key["AccessKeyId"], "SecretAccessKey": key["SecretAccessKey"]}
    reader = _client(server, "s3", reader_keys)
    assert reader.get_bucket_cors(Bucket=BUCKET)["CORSRules"] == cors["CORSRules"]
    user_arn = f"arn:aws:iam::{A}:user/reader"
    denied = s3api("put-bucket-cors", "--cors-configuration", json.dumps(cors), keys=reader_keys)
    assert denied.returncode != 0
    assert (
        "An error occurred (AccessDenied) when calling the PutBucketCors operation: "
        f'User: {user_arn} is not authorized to perform: s3:PutBucketCORS on resource: "arn:aws:s3:::{BUCKET}" '
        "because no identity-based policy allows the s3:PutBucketCORS action"
    ) in denied.stderr
    with pytest.raises(ClientError) as raised:
        reader.delete_bucket_encryption(Bucket=BUCKET)
    assert raised.value.response["Error"]["Code"] == "AccessDenied"
    assert "s3:PutEncryptionConfiguration" in raised.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as raised:
        reader.delete_bucket_lifecycle(Bucket=BUCKET)
    assert "s3:PutLifecycleConfiguration" in raised.value.response["Error"]["Message"]

    # Bad input: S3's errors, and the stored configuration stays.
    bad = {"CORSRules": [{"AllowedMethods": ["PATCH"], "AllowedOrigins": ["*"]}]}
    refused = s3api("put-bucket-cors", "--cors-configuration", json.dumps(bad))
    assert refused.returncode != 0
    assert (
        "(InvalidRequest) when calling the PutBucketCors operation: "
        "Found unsupported HTTP method in CORS config. Unsupported method is PATCH"
    ) in refused.stderr
    aes_with_key = {
        "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256", "KMSMasterKeyID": "k"}}]
    }
    with pytest.raises(ClientError) as raised:
        s3.put_bucket_encryption(Bucket=BUCKET, ServerSideEncryptionConfiguration=aes_with_key)
    error = raised.value.response["Error"]
    assert (error["Code"], raised.value.response["ResponseMetadata"]["HTTPStatusCode"]) == ("InvalidArgument", 400)
    assert error["Message"] == (
        "a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse"
    )
    with pytest.raises(ClientError) as raised:
        s3.put_bucket_lifecycle_configuration(
            Bucket=BUCKET, LifecycleConfiguration={"Rules": [{"ID": "idle", "Filter": {}, "Status": "Enabled"}]}
        )
    assert raised.value.response["Error"]["Code"] == "InvalidRequest"
    assert s3.get_bucket_cors(Bucket=BUCKET)["CORSRules"] == cors["CORSRules"]

    # Delete: encryption back to SSE-S3, CORS and lifecycle gone (404).
    for command in ("delete-bucket-encryption", "delete-bucket-cors", "delete-bucket-lifecycle"):
        deleted = s3api(command)
        assert deleted.returncode == 0, deleted.stderr
    rules = json.loads(s3api("get-bucket-encryption").stdout)["ServerSideEncryptionConfiguration"]["Rules"]
    assert rules == [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}, "BucketKeyEnabled": False}]
    assert s3.put_object(Bucket=BUCKET, Key="plain.txt", Body=b"x")["ServerSideEncryption"] == "AES256"
    missing = s3api("get-bucket-cors")
    assert missing.returncode != 0 and "NoSuchCORSConfiguration" in missing.stderr
    with pytest.raises(ClientError) as raised:
        s3.get_bucket_lifecycle_configuration(Bucket=BUCKET)
    assert raised.value.response["Error"]["Code"] == "NoSuchLifecycleConfiguration"
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404

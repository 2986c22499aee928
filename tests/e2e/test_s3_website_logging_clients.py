"""Bucket website and logging settings, and GetObjectAttributes, through a real server
with the ``aws`` CLI (and boto3 to set up): what is put is read back, an empty
BucketLoggingStatus turns logging off, a missing target bucket gets S3's error, and a user
without the write actions, or without s3:GetObject, is denied.

AWS pages: Amazon S3 API Reference, PutBucketWebsite ("This PUT action requires the
S3:PutBucketWebsite permission"), GetBucketWebsite, DeleteBucketWebsite, PutBucketLogging
("To disable logging, you use an empty BucketLoggingStatus request element"),
GetBucketLogging, GetObjectAttributes (Permissions: "you need the s3:GetObject and
s3:GetObjectAttributes permissions"), "Error responses" (NoSuchWebsiteConfiguration,
InvalidTargetBucketForLogging); AWS CLI Command Reference, ``aws s3 website``; Service
Authorization Reference, "Actions, resources, and condition keys for Amazon S3".
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from botocore.exceptions import ClientError
from e2e_harness import A, Server, _client, aws_cli

BUCKET = "website-bucket"
LOGS = "website-logs"


def test_website_logging_and_object_attributes_with_the_cli(server: Server, tmp_path: Path) -> None:
    """``aws s3 website`` and ``aws s3api put-bucket-website`` / ``get-bucket-website`` /
    ``delete-bucket-website``, ``put-bucket-logging`` / ``get-bucket-logging``,
    ``get-object-attributes``; a reader is denied each write (AccessDenied names the
    action) and GetObjectAttributes without s3:GetObject."""
    root = server.create_account(A)
    s3 = _client(server, "s3", root)
    s3.create_bucket(Bucket=BUCKET)
    s3.create_bucket(Bucket=LOGS)

    def cli(*args: str, keys: dict[str, str] = root) -> subprocess.CompletedProcess[str]:
        return aws_cli(server, tmp_path, keys, *args, "--output", "json")

    def s3api(*args: str, keys: dict[str, str] = root) -> subprocess.CompletedProcess[str]:
        return cli("s3api", *args, "--bucket", BUCKET, keys=keys)

    # No website yet: S3's 404.
    missing = s3api("get-bucket-website")
    assert missing.returncode != 0
    assert "NoSuchWebsiteConfiguration" in missing.stderr
    assert "The specified bucket does not have a website configuration" in missing.stderr

    # The high-level command, then read back.
    done = cli("s3", "website", f"s3://{BUCKET}", "--index-document", "index.html", "--error-document", "error.html")
    assert done.returncode == 0, done.stderr
    got = s3api("get-bucket-website")
    assert got.returncode == 0, got.stderr
    assert json.loads(got.stdout) == {"IndexDocument": {"Suffix": "index.html"}, "ErrorDocument": {"Key": "error.html"}}

    # s3api with routing rules replaces it.
    site = {
        "IndexDocument": {"Suffix": "index.html"},
        "RoutingRules": [
            {"Condition": {"KeyPrefixEquals": "docs/"}, "Redirect": {"ReplaceKeyPrefixWith": "documents/"}}
        ],
    }
    put = s3api("put-bucket-website", "--website-configuration", json.dumps(site))
    assert put.returncode == 0, put.stderr
    assert json.loads(s3api("get-bucket-website").stdout) == site

    # A suffix with a slash is refused (IndexDocument: "must not include a slash character").
    bad = s3api("put-bucket-website", "--website-configuration", json.dumps({"IndexDocument": {"Suffix": "a/b.html"}}))
    assert bad.returncode != 0
    assert "(InvalidArgument)" in bad.stderr and "The IndexDocument Suffix is not well formed" in bad.stderr

    # Logging on, read back, then off with an empty BucketLoggingStatus.
    enabled = {"LoggingEnabled": {"TargetBucket": LOGS, "TargetPrefix": "access/"}}
    put = s3api("put-bucket-logging", "--bucket-logging-status", json.dumps(enabled))
    assert put.returncode == 0, put.stderr
    assert json.loads(s3api("get-bucket-logging").stdout) == enabled
    nowhere = {"LoggingEnabled": {"TargetBucket": "no-such-logs", "TargetPrefix": ""}}
    refused = s3api("put-bucket-logging", "--bucket-logging-status", json.dumps(nowhere))
    assert refused.returncode != 0
    assert "(InvalidTargetBucketForLogging)" in refused.stderr
    assert json.loads(s3api("get-bucket-logging").stdout) == enabled  # unchanged
    put = s3api("put-bucket-logging", "--bucket-logging-status", "{}")
    assert put.returncode == 0, put.stderr
    assert "LoggingEnabled" not in (json.loads(s3api("get-bucket-logging").stdout or "{}"))

    # GetObjectAttributes.
    written = s3.put_object(Bucket=BUCKET, Key="index.html", Body=b"<h1>hello</h1>")
    attributes = s3api(
        "get-object-attributes", "--key", "index.html", "--object-attributes", "ETag", "ObjectSize", "StorageClass"
    )
    assert attributes.returncode == 0, attributes.stderr
    answered = json.loads(attributes.stdout)
    assert answered["ETag"] == written["ETag"].strip('"')
    assert answered["ObjectSize"] == len(b"<h1>hello</h1>")
    assert answered["StorageClass"] == "STANDARD"
    assert "LastModified" in answered

    # A user allowed to read the settings and s3:GetObjectAttributes only.
    iam = _client(server, "iam", root)
    iam.create_user(UserName="site-reader")
    reads = ["s3:GetBucketWebsite", "s3:GetBucketLogging", "s3:GetObjectAttributes"]
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": reads, "Resource": [f"arn:aws:s3:::{BUCKET}", f"arn:aws:s3:::{BUCKET}/*"]}
        ],
    }
    iam.put_user_policy(UserName="site-reader", PolicyName="read", PolicyDocument=json.dumps(policy))
    key = iam.create_access_key(UserName="site-reader")["AccessKey"]
    reader = {"AccessKeyId": key["AccessKeyId"], "SecretAccessKey": key["SecretAccessKey"]}
    assert json.loads(s3api("get-bucket-website", keys=reader).stdout) == site
    user_arn = f"arn:aws:iam::{A}:user/site-reader"
    # The refusals with boto3 (each aws CLI start costs about a second).
    s3_reader = _client(server, "s3", reader)
    for call, operation, action, resource in (
        (
            lambda: s3_reader.put_bucket_website(Bucket=BUCKET, WebsiteConfiguration=site),
            "PutBucketWebsite",
            "s3:PutBucketWebsite",
            BUCKET,
        ),
        (
            lambda: s3_reader.delete_bucket_website(Bucket=BUCKET),
            "DeleteBucketWebsite",
            "s3:DeleteBucketWebsite",
            BUCKET,
        ),
        (
            lambda: s3_reader.put_bucket_logging(Bucket=BUCKET, BucketLoggingStatus={}),
            "PutBucketLogging",
            "s3:PutBucketLogging",
            BUCKET,
        ),
        (
            lambda: s3_reader.get_object_attributes(Bucket=BUCKET, Key="index.html", ObjectAttributes=["ObjectSize"]),
            "GetObjectAttributes",
            "s3:GetObject",
            f"{BUCKET}/index.html",
        ),
    ):
        with pytest.raises(ClientError) as raised:
            call()
        assert raised.value.operation_name == operation
        assert raised.value.response["Error"]["Code"] == "AccessDenied"
        assert raised.value.response["Error"]["Message"] == (
            f"User: {user_arn} is not authorized to perform: {action} on resource: "
            f'"arn:aws:s3:::{resource}" because no identity-based policy allows the {action} action'
        )

    # The owner removes the website: S3's 404 again.
    done = s3api("delete-bucket-website")
    assert done.returncode == 0, done.stderr
    assert "NoSuchWebsiteConfiguration" in s3api("get-bucket-website").stderr

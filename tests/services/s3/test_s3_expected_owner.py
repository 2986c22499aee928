"""Bucket owner condition, through the whole request path with boto3.

AWS pages: S3 User Guide, "Verifying bucket ownership with bucket owner condition" (a
mismatch fails with Access Denied; CopyObject takes a second parameter for the source
bucket's owner); each operation's API reference, ExpectedBucketOwner: "If the account ID
that you provide does not match the actual owner of the bucket, the request fails with
the HTTP status code 403 Forbidden (access denied)"; S3 API Reference, "Error responses":
InvalidBucketOwnerAWSAccountID, 400, "The value of the expected bucket owner parameter
must be an AWS account ID".
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from botocore.exceptions import ClientError
from inprocess_harness import client, open_app, root_keys

A = "111111111111"
B = "222222222222"


def _error(call: object) -> tuple[str, int]:
    with pytest.raises(ClientError) as caught:
        call()  # type: ignore[operator]
    response = caught.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]


def test_the_expected_owner_must_own_the_bucket(tmp_path: Path) -> None:
    app = open_app(tmp_path, A)
    s3 = client(app, "s3", root_keys(app, A))
    s3.create_bucket(Bucket="owned")
    s3.put_object(Bucket="owned", Key="k", Body=b"data", ExpectedBucketOwner=A)
    assert s3.head_object(Bucket="owned", Key="k", ExpectedBucketOwner=A)["ContentLength"] == 4
    assert s3.list_objects_v2(Bucket="owned", ExpectedBucketOwner=A)["KeyCount"] == 1

    assert _error(lambda: s3.get_object(Bucket="owned", Key="k", ExpectedBucketOwner=B)) == ("AccessDenied", 403)
    assert _error(lambda: s3.put_object(Bucket="owned", Key="k2", Body=b"x", ExpectedBucketOwner=B)) == (
        "AccessDenied",
        403,
    )
    assert _error(lambda: s3.list_objects_v2(Bucket="owned", ExpectedBucketOwner=B)) == ("AccessDenied", 403)
    assert _error(lambda: s3.delete_bucket(Bucket="owned", ExpectedBucketOwner=B)) == ("AccessDenied", 403)
    # Nothing was written or removed by the refused requests.
    assert [o["Key"] for o in s3.list_objects_v2(Bucket="owned")["Contents"]] == ["k"]


def test_an_expected_owner_that_is_not_an_account_id(tmp_path: Path) -> None:
    app = open_app(tmp_path, A)
    s3 = client(app, "s3", root_keys(app, A))
    s3.create_bucket(Bucket="owned")
    for value in ("abc", "12345678901", "1234567890123"):
        assert _error(lambda v=value: s3.list_objects_v2(Bucket="owned", ExpectedBucketOwner=v)) == (  # type: ignore[misc]
            "InvalidBucketOwnerAWSAccountID",
            400,
        )
    # A HEAD response has no body: the status alone (HeadBucket, S3 API Reference).
    assert _error(lambda: s3.head_bucket(Bucket="owned", ExpectedBucketOwner="abc")) == ("400", 400)
    with pytest.raises(ClientError) as caught:
        s3.get_bucket_tagging(Bucket="owned", ExpectedBucketOwner="abc")
    assert caught.value.response["Error"]["Message"].startswith(
        "The value of the expected bucket owner parameter must be an AWS Account ID"
    )


def test_a_copy_checks_the_source_bucket_owner(tmp_path: Path) -> None:
    app = open_app(tmp_path, A, B)
    a = client(app, "s3", root_keys(app, A))
    b = client(app, "s3", root_keys(app, B))
    a.create_bucket(Bucket="source-of-a")
    a.put_object(Bucket="source-of-a", Key="k", Body=b"data")
    a.put_bucket_policy(
        Bucket="source-of-a",
        Policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"AWS": f"arn:aws:iam::{B}:root"},
                        "Action": "s3:GetObject",
                        "Resource": "arn:aws:s3:::source-of-a/*",
                    }
                ],
            }
        ),
    )
    b.create_bucket(Bucket="dest-of-b")
    copy = {"Bucket": "dest-of-b", "Key": "copy", "CopySource": "source-of-a/k"}
    b.copy_object(**copy, ExpectedBucketOwner=B, ExpectedSourceBucketOwner=A)
    assert _error(lambda: b.copy_object(**copy, ExpectedSourceBucketOwner=B)) == ("AccessDenied", 403)
    assert _error(lambda: b.copy_object(**copy, ExpectedBucketOwner=A)) == ("AccessDenied", 403)
    assert _error(lambda: b.copy_object(**copy, ExpectedSourceBucketOwner="nope")) == (
        "InvalidBucketOwnerAWSAccountID",
        400,
    )

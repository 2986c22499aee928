"""A missing object answers 404 NoSuchKey only to a caller allowed s3:ListBucket, else 403
AccessDenied, so that a caller who may only read objects cannot probe which keys exist.

AWS pages: GetObject and HeadObject (S3 API reference), Permissions: "If the object that
you request doesn't exist, the error that Amazon S3 returns depends on whether you also
have the s3:ListBucket permission. If you have the s3:ListBucket permission on the bucket,
Amazon S3 returns an HTTP status code 404 Not Found error. If you don't have the
s3:ListBucket permission, Amazon S3 returns an HTTP status code 403 Access Denied error."
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from botocore.exceptions import ClientError
from inprocess_harness import client, open_app, root_keys, user_keys

A = "111111111111"


def _reader(tmp_path: Path, actions: list[str]) -> tuple[object, object]:
    app = open_app(tmp_path, A)
    root = root_keys(app, A)
    s3 = client(app, "s3", root)
    s3.create_bucket(Bucket="bkt-1")
    s3.put_object(Bucket="bkt-1", Key="there", Body=b"x")
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": actions, "Resource": ["arn:aws:s3:::bkt-1", "arn:aws:s3:::bkt-1/*"]}
        ],
    }
    keys = user_keys(app, A, "reader")
    client(app, "iam", root).put_user_policy(UserName="reader", PolicyName="p", PolicyDocument=json.dumps(policy))
    return client(app, "s3", keys), s3


def test_without_list_bucket_a_missing_key_is_access_denied(tmp_path: Path) -> None:
    reader, _ = _reader(tmp_path, ["s3:GetObject"])
    assert reader.head_object(Bucket="bkt-1", Key="there")["ContentLength"] == 1
    with pytest.raises(ClientError) as raised:
        reader.get_object(Bucket="bkt-1", Key="missing")
    error = raised.value.response["Error"]
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert error["Code"] == "AccessDenied"
    assert "s3:ListBucket" in error["Message"]
    with pytest.raises(ClientError) as raised:
        reader.head_object(Bucket="bkt-1", Key="missing")
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_with_list_bucket_a_missing_key_is_no_such_key(tmp_path: Path) -> None:
    reader, _ = _reader(tmp_path, ["s3:GetObject", "s3:ListBucket"])
    with pytest.raises(ClientError) as raised:
        reader.get_object(Bucket="bkt-1", Key="missing")
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert raised.value.response["Error"]["Code"] == "NoSuchKey"
    with pytest.raises(ClientError) as raised:
        reader.head_object(Bucket="bkt-1", Key="missing")
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404

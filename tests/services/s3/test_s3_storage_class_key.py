"""s3:x-amz-storage-class: the storage class a write asks for (Service Authorization
Reference for S3: a condition key of s3:PutObject). "Bucket policy examples using condition
keys" (S3 User Guide), Example 5: a bucket policy lets Dave upload only objects stored in
STANDARD_IA."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from botocore.exceptions import ClientError
from inprocess_harness import client, open_app, root_keys, user_keys

A = "111111111111"


def test_a_bucket_policy_on_the_storage_class(tmp_path: Path) -> None:
    app = open_app(tmp_path, A)
    owner = client(app, "s3", root_keys(app, A))
    owner.create_bucket(Bucket="bkt")
    dave = client(app, "s3", user_keys(app, A, "Dave"))
    allow = {
        "Sid": "statement1",
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{A}:user/Dave"},
        "Action": "s3:PutObject",
        "Resource": "arn:aws:s3:::bkt/*",
        "Condition": {"StringEquals": {"s3:x-amz-storage-class": ["STANDARD_IA"]}},
    }
    owner.put_bucket_policy(Bucket="bkt", Policy=json.dumps({"Version": "2012-10-17", "Statement": [allow]}))
    dave.put_object(Bucket="bkt", Key="ia", Body=b"x", StorageClass="STANDARD_IA")
    dave.create_multipart_upload(Bucket="bkt", Key="mp", StorageClass="STANDARD_IA")
    for params in ({}, {"StorageClass": "GLACIER"}):
        with pytest.raises(ClientError) as denied:
            dave.put_object(Bucket="bkt", Key="other", Body=b"x", **params)
        assert denied.value.response["Error"]["Code"] == "AccessDenied"
    assert owner.head_object(Bucket="bkt", Key="ia")["StorageClass"] == "STANDARD_IA"

"""SSE-C over plain HTTP: "Amazon S3 rejects any requests made over HTTP when using SSE-C"
("Using server-side encryption with customer-provided keys (SSE-C)", S3 User Guide), with
400 InvalidRequest "Requests specifying Server Side Encryption with Customer provided keys
must be made over a secure connection." (S3's words as S3-compatible servers copy them).
This server speaks plain HTTP, so a write with a customer key is refused and nothing is
stored (before, the key was ignored and the object read back without it)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from botocore.exceptions import ClientError
from inprocess_harness import client, open_app, root_keys

A = "111111111111"
MESSAGE = (
    "Requests specifying Server Side Encryption with Customer provided keys must be made over a secure connection."
)


def test_customer_keys_are_refused_over_http(tmp_path: Path) -> None:
    app = open_app(tmp_path, A)
    s3 = client(app, "s3", root_keys(app, A))
    s3.create_bucket(Bucket="bkt")
    s3.put_object(Bucket="bkt", Key="plain", Body=b"x")
    key = {"SSECustomerAlgorithm": "AES256", "SSECustomerKey": os.urandom(32)}  # botocore adds the key's MD5
    calls = (
        lambda: s3.put_object(Bucket="bkt", Key="k", Body=b"x", **key),
        lambda: s3.create_multipart_upload(Bucket="bkt", Key="k", **key),
        lambda: s3.copy_object(Bucket="bkt", Key="k", CopySource="bkt/plain", **key),
        lambda: s3.get_object(Bucket="bkt", Key="plain", **key),
        lambda: s3.head_object(Bucket="bkt", Key="plain", **key),
    )
    for call in calls:
        with pytest.raises(ClientError) as refused:
            call()
        response = refused.value.response
        assert response["ResponseMetadata"]["HTTPStatusCode"] == 400
        if response["Error"]["Code"] != "400":  # a HEAD's answer has no body: botocore names the status
            assert (response["Error"]["Code"], response["Error"]["Message"]) == ("InvalidRequest", MESSAGE)
    assert [o["Key"] for o in s3.list_objects_v2(Bucket="bkt")["Contents"]] == ["plain"]

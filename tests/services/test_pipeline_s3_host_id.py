"""Every S3 error names its request twice, as S3's do: ``x-amz-request-id`` and
``x-amz-id-2``, the latter also the error's ``<HostId>`` (S3 API reference, "Error
responses": "HostId: A special token that helps AWS troubleshoot problems"; boto3 reads it
into ResponseMetadata's HostId)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from botocore.exceptions import ClientError
from inprocess_harness import client, open_app, root_keys

A = "111111111111"


def test_an_s3_error_carries_a_host_id(tmp_path: Path) -> None:
    app = open_app(tmp_path, A)
    s3 = client(app, "s3", root_keys(app, A))
    host_ids = []
    for bucket in ("no-such-bucket-1", "no-such-bucket-2"):
        with pytest.raises(ClientError) as caught:
            s3.get_object(Bucket=bucket, Key="k")
        metadata = caught.value.response["ResponseMetadata"]
        assert caught.value.response["Error"]["Code"] == "NoSuchBucket"
        assert metadata["HostId"] and metadata["HostId"] == metadata["HTTPHeaders"]["x-amz-id-2"]
        host_ids.append(metadata["HostId"])
    assert host_ids[0] != host_ids[1]  # one per request


def test_a_successful_s3_response_carries_one_too(tmp_path: Path) -> None:
    # "Common response headers" (S3 API Reference): x-amz-id-2 and x-amz-request-id are
    # "common to most Amazon S3 responses", successful ones included.
    app = open_app(tmp_path, A)
    s3 = client(app, "s3", root_keys(app, A))
    s3.create_bucket(Bucket="bkt")
    for metadata in (
        s3.put_object(Bucket="bkt", Key="k", Body=b"x")["ResponseMetadata"],
        s3.head_object(Bucket="bkt", Key="k")["ResponseMetadata"],
        s3.list_objects_v2(Bucket="bkt")["ResponseMetadata"],
    ):
        assert metadata["HostId"] and metadata["HostId"] == metadata["HTTPHeaders"]["x-amz-id-2"]
        assert metadata["RequestId"] == metadata["HTTPHeaders"]["x-amz-request-id"]


def test_s3_ids_are_shaped_as_s3s(tmp_path: Path) -> None:
    # Every S3 error body recorded from S3 names a RequestId of 16 upper-case letters and
    # digits ("ZMP8603GQHFTT6XD") and a HostId of 76 base64 characters (LocalStack's
    # snapshots mask them; public reports of requests sent to s3.amazonaws.com in 2026 show
    # them whole). IAM's stay shaped as a UUID.
    app = open_app(tmp_path, A)
    keys = root_keys(app, A)
    metadata = client(app, "s3", keys).list_buckets()["ResponseMetadata"]
    assert re.fullmatch(r"[0-9A-Z]{16}", metadata["RequestId"])
    assert re.fullmatch(r"[A-Za-z0-9+/]{76}", metadata["HostId"])
    iam = client(app, "iam", keys).list_users()["ResponseMetadata"]["RequestId"]
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", iam)

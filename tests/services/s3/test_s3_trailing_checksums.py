"""Checksums sent as aws-chunked trailers are kept and answered like those sent as headers.

Over HTTPS botocore sends an upload's checksum after the body ("Checking object
integrity in Amazon S3", S3 User Guide: "trailing checksums"; STREAMING-UNSIGNED-PAYLOAD-
TRAILER with x-amz-trailer). S3 stores it with the object: PutObject answers it and
HeadObject/GetObject with ChecksumMode ENABLED return it (their API references). The client
here speaks to an https:// endpoint whose requests are handed to the app in process, so
botocore chooses the trailer as it would against AWS.
"""

from __future__ import annotations

import base64
import io
import zlib
from pathlib import Path
from typing import Any

import boto3
from inprocess_harness import _send, open_app, root_keys

A = "111111111111"


def _https_client(app: Any, keys: dict[str, str]) -> Any:
    made = boto3.session.Session(region_name="us-east-1").client("s3", endpoint_url="https://localhost:4566", **keys)
    made.meta.events.register("before-send", lambda request, **kw: _send(app, request, **kw))
    return made


def test_a_trailing_checksum_is_kept(tmp_path: Path) -> None:
    app = open_app(tmp_path, A)
    s3 = _https_client(app, root_keys(app, A))
    s3.create_bucket(Bucket="bkt")
    payload = b"checked at the end " * 1000
    expected = base64.b64encode(zlib.crc32(payload).to_bytes(4, "big")).decode()
    sent: list[dict[str, Any]] = []
    s3.meta.events.register("before-send", lambda request, **kw: sent.append(dict(request.headers)), unique_id="spy")
    put = s3.put_object(Bucket="bkt", Key="k", Body=io.BytesIO(payload))
    assert any(headers.get("X-Amz-Trailer") == b"x-amz-checksum-crc32" for headers in sent)  # truly a trailer
    assert put["ChecksumCRC32"] == expected
    head = s3.head_object(Bucket="bkt", Key="k", ChecksumMode="ENABLED")
    assert head["ChecksumCRC32"] == expected
    assert head["ContentLength"] == len(payload)

"""GetObject with a Range that covers the whole object answers the object's checksum and
ChecksumType, as a GetObject without Range does (the whole object is served), still 206 with
Content-Range; a partial range answers none (services/s3/objects.py).

Recorded from AWS (LocalStack's test_s3_api snapshot, TestS3ObjectCRUD::test_get_object_range:
get-0-100 and get--15 carry ChecksumCRC32 "poTHxg==" and ChecksumType FULL_OBJECT with
Content-Range "bytes 0-9/10"; get-0-8-checksum, get-1-, get--9 carry neither).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from inprocess_harness import client, open_app, root_keys

A = "111111111111"
CONTENT = b"0123456789"
CRC32 = "poTHxg=="  # of CONTENT, as recorded


@pytest.fixture
def s3(tmp_path: Path) -> Any:
    app = open_app(tmp_path, A)
    s3 = client(app, "s3", root_keys(app, A))
    s3.create_bucket(Bucket="bkt")
    put = s3.put_object(Bucket="bkt", Key="test-key-range", Body=CONTENT, ChecksumAlgorithm="CRC32")
    assert put["ChecksumCRC32"] == CRC32
    return s3


def _get(s3: Any, header: str) -> dict[str, Any]:
    got: dict[str, Any] = s3.get_object(Bucket="bkt", Key="test-key-range", Range=header, ChecksumMode="ENABLED")
    got["Body"] = got["Body"]._raw_stream.body
    return got


@pytest.mark.parametrize("header", ["bytes=0-100", "bytes=-15", "bytes=0-9", "bytes=0-"])
def test_a_range_of_the_whole_object_answers_its_checksum(s3: Any, header: str) -> None:
    got = _get(s3, header)
    assert got["ResponseMetadata"]["HTTPStatusCode"] == 206
    assert (got["Body"], got["ContentLength"], got["ContentRange"]) == (CONTENT, 10, "bytes 0-9/10")
    assert (got["ChecksumCRC32"], got["ChecksumType"]) == (CRC32, "FULL_OBJECT")


@pytest.mark.parametrize(
    ("header", "span"), [("bytes=0-8", "bytes 0-8/10"), ("bytes=1-", "bytes 1-9/10"), ("bytes=-9", "bytes 1-9/10")]
)
def test_a_partial_range_answers_no_checksum(s3: Any, header: str, span: str) -> None:
    got = _get(s3, header)
    assert got["ResponseMetadata"]["HTTPStatusCode"] == 206 and got["ContentRange"] == span
    assert "ChecksumCRC32" not in got and "ChecksumType" not in got

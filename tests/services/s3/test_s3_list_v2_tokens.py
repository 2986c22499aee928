"""ListObjectsV2's ContinuationToken (services/s3/listing.py): an empty token is refused as
any token S3 did not make, and a token given with StartAfter wins, StartAfter then not
echoed.

Recorded from AWS (LocalStack's test_s3_list_operations snapshot,
TestS3ListObjectsV2::test_list_objects_v2_continuation_start_after: exc-continuation-token,
list-objects-start-after, list-objects-start-after-token; the same shape in
test_list_objects_v2_continuation_token_safe_chars).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from inprocess_harness import client, open_app, root_keys

A = "111111111111"
KEYS = [f"test_{i}" for i in range(12)]


@pytest.fixture
def s3(tmp_path: Path) -> Any:
    app = open_app(tmp_path, A)
    s3 = client(app, "s3", root_keys(app, A))
    s3.create_bucket(Bucket="bkt")
    for key in KEYS:
        s3.put_object(Bucket="bkt", Key=key, Body=b"content 123")
    return s3


def _keys(page: dict[str, Any]) -> list[str]:
    return [entry["Key"] for entry in page.get("Contents", [])]


def test_an_empty_continuation_token_is_refused(s3: Any) -> None:
    with pytest.raises(ClientError) as raised:
        s3.list_objects_v2(Bucket="bkt", ContinuationToken="")
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert raised.value.response["Error"] == {
        "Code": "InvalidArgument",
        "Message": "The continuation token provided is incorrect",
        "ArgumentName": "continuation-token",
    }


def test_a_token_with_start_after_wins_and_start_after_is_not_echoed(s3: Any) -> None:
    first = s3.list_objects_v2(Bucket="bkt", MaxKeys=5)
    assert _keys(first) == ["test_0", "test_1", "test_10", "test_11", "test_2"]
    token = first["NextContinuationToken"]
    alone = s3.list_objects_v2(Bucket="bkt", StartAfter="test_7", MaxKeys=2)
    assert _keys(alone) == ["test_8", "test_9"] and alone["StartAfter"] == "test_7"
    both = s3.list_objects_v2(Bucket="bkt", StartAfter="test_7", ContinuationToken=token)
    assert _keys(both) == ["test_3", "test_4", "test_5", "test_6", "test_7", "test_8", "test_9"]
    assert both["ContinuationToken"] == token and both["KeyCount"] == 7 and not both["IsTruncated"]
    assert "StartAfter" not in both

"""DeleteObjects naming a version that does not exist, in a bucket whose versioning was never
set: a per-key NoSuchVersion with the Key and VersionId, where DeleteObject and GetObject
answer InvalidArgument (services/s3/objects.py, ``_deleted``).

Recorded from AWS (LocalStack's test_s3_api snapshot, TestS3ObjectCRUD::test_delete_objects:
delete-object-wrong-version-id; test_delete_object and
test_get_object_with_version_unversioned_bucket for the single-object answers).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from inprocess_harness import client, open_app, root_keys

A = "111111111111"
MISSING = "HPniJFCxqTsMuIH9KX8K8wEjNUgmABCD"  # the ID the recording used


@pytest.fixture
def s3(tmp_path: Path) -> Any:
    app = open_app(tmp_path, A)
    s3 = client(app, "s3", root_keys(app, A))
    s3.create_bucket(Bucket="bkt")
    s3.put_object(Bucket="bkt", Key="test-delete", Body=b"test-delete")
    return s3


def test_delete_objects_answers_no_such_version_in_an_unversioned_bucket(s3: Any) -> None:
    result = s3.delete_objects(Bucket="bkt", Delete={"Objects": [{"Key": "test-delete", "VersionId": MISSING}]})
    assert result["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert "Deleted" not in result
    assert result["Errors"] == [
        {
            "Code": "NoSuchVersion",
            "Key": "test-delete",
            "Message": "The specified version does not exist.",
            "VersionId": MISSING,
        }
    ]
    # The object is still there, and a DeleteObjects without versions removes it.
    assert s3.get_object(Bucket="bkt", Key="test-delete")["Body"]._raw_stream.body == b"test-delete"
    objects = [{"Key": "test-delete"}, {"Key": "c-wrong-key"}, {"Key": "a-wrong-key"}]
    deleted = s3.delete_objects(Bucket="bkt", Delete={"Objects": objects})
    assert sorted(entry["Key"] for entry in deleted["Deleted"]) == ["a-wrong-key", "c-wrong-key", "test-delete"]


def test_single_object_requests_keep_invalid_argument(s3: Any) -> None:
    for request in (s3.delete_object, s3.get_object):
        with pytest.raises(ClientError) as raised:
            request(Bucket="bkt", Key="test-delete", VersionId=MISSING)
        error = raised.value.response["Error"]
        assert (error["Code"], error["Message"]) == ("InvalidArgument", "Invalid version id specified")
        assert (error["ArgumentName"], error["ArgumentValue"]) == ("versionId", MISSING)

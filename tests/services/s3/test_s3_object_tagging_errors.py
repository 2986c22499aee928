"""The errors of object tagging as AWS words them (services/s3/tagging.py): an "aws:" key is
refused with the object message, not PutBucketTagging's; a bad value names TagKey and
TagValue; GetObjectTagging of a missing key names it as "<bucket>/<key>".

Recorded from AWS (LocalStack's test_s3_api snapshot, TestS3BucketObjectTagging::
test_tagging_validation: put-object-tags-aws-prefixed, put-bucket-tags-aws-prefixed,
put-bucket-tags-invalid-value, put-object-tags-duplicate-keys,
put-object-tags-invalid-field; test_object_tagging_exc: get-no-key-tags, delete-no-key-tags,
put-no-key-tags).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from inprocess_harness import client, open_app, root_keys

A = "111111111111"
KEY = "tagging-validation"


@pytest.fixture
def s3(tmp_path: Path) -> Any:
    app = open_app(tmp_path, A)
    s3 = client(app, "s3", root_keys(app, A))
    s3.create_bucket(Bucket="bkt")
    s3.put_object(Bucket="bkt", Key=KEY, Body=b"")
    return s3


def _error(call: Any, **params: Any) -> dict[str, Any]:
    with pytest.raises(ClientError) as raised:
        call(**params)
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] in (400, 404)
    error: dict[str, Any] = raised.value.response["Error"]
    return error


def _tag_object(s3: Any, *tags: tuple[str, str]) -> dict[str, Any]:
    tag_set = [{"Key": key, "Value": value} for key, value in tags]
    return _error(s3.put_object_tagging, Bucket="bkt", Key=KEY, Tagging={"TagSet": tag_set})


def _tag_bucket(s3: Any, *tags: tuple[str, str]) -> dict[str, Any]:
    tag_set = [{"Key": key, "Value": value} for key, value in tags]
    return _error(s3.put_bucket_tagging, Bucket="bkt", Tagging={"TagSet": tag_set})


def test_an_aws_prefixed_key_is_refused_in_each_operations_words(s3: Any) -> None:
    assert _tag_object(s3, ("aws:prefixed", "Val1")) == {
        "Code": "InvalidTag",
        "Message": "Your TagKey cannot be prefixed with aws:",
        "TagKey": "aws:prefixed",
    }
    assert _tag_bucket(s3, ("aws:prefixed", "Val1")) == {
        "Code": "InvalidTag",
        "Message": "System tags cannot be added/updated by requester",
        "TagKey": "aws:prefixed",
    }


def test_other_tag_errors(s3: Any) -> None:
    assert _tag_object(s3, ("Key1", "Val1"), ("Key1", "Val1")) == {
        "Code": "InvalidTag",
        "Message": "Cannot provide multiple Tags with the same key",
        "TagKey": "Key1",
    }
    assert _tag_object(s3, ("Key1,Key2", "Val1")) == {
        "Code": "InvalidTag",
        "Message": "The TagKey you have provided is invalid",
        "TagKey": "Key1,Key2",
    }
    assert _tag_bucket(s3, ("Key1", "Val1,Val2")) == {
        "Code": "InvalidTag",
        "Message": "The TagValue you have provided is invalid",
        "TagKey": "Key1",
        "TagValue": "Val1,Val2",
    }
    # Not recorded for object tags: the same members assumed.
    assert _tag_object(s3, ("Key1", "Val1,Val2"))["TagValue"] == "Val1,Val2"


def test_a_missing_key_is_named_with_its_bucket_by_get_object_tagging_alone(s3: Any) -> None:
    missing = {"Code": "NoSuchKey", "Message": "The specified key does not exist."}
    assert _error(s3.get_object_tagging, Bucket="bkt", Key="fake-key") == {**missing, "Key": "bkt/fake-key"}
    assert _error(s3.delete_object_tagging, Bucket="bkt", Key="fake-key") == {**missing, "Key": "fake-key"}
    put = _error(s3.put_object_tagging, Bucket="bkt", Key="fake-key", Tagging={"TagSet": []})
    assert put == {**missing, "Key": "fake-key"}

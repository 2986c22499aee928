"""S3 object tags through the handlers: PutObjectTagging, GetObjectTagging,
DeleteObjectTagging, x-amz-tagging on PutObject, CreateMultipartUpload and CopyObject
(with x-amz-tagging-directive), x-amz-tagging-count on GetObject and HeadObject.

AWS pages: "Categorizing your storage using tags" (S3 User Guide: up to 10 tags, unique
keys, key 128 and value 256 Unicode characters counted in UTF-16); PutObject, CopyObject,
GetObject, HeadObject, PutObjectTagging, GetObjectTagging, DeleteObjectTagging (S3 API
Reference). Error codes as S3 answered them in public issue trackers (see
services/s3/tagging.py); the wording of some messages is unconfirmed there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from services_harness import TRUSTED, Call, root_caller

from iamsandbox.errors import AccessDenied, InvalidArgument, InvalidTag, NoSuchKey, ServiceError
from iamsandbox.services.s3 import tagging
from iamsandbox.services.s3.handlers import HANDLERS

OWNER = root_caller(TRUSTED)
Conforms = Callable[[str, dict[str, Any]], None]


@pytest.fixture
def bucket(call: Call) -> str:
    call(HANDLERS["CreateBucket"], OWNER, {"Bucket": "docs"})
    return "docs"


def _put(call: Call, key: str = "a.txt", **params: Any) -> dict[str, Any]:
    return call(HANDLERS["PutObject"], OWNER, {"Bucket": "docs", "Key": key, "Body": b"hello", **params})


def _tags(call: Call, key: str = "a.txt") -> list[dict[str, str]]:
    result = call(HANDLERS["GetObjectTagging"], OWNER, {"Bucket": "docs", "Key": key})
    tag_set: list[dict[str, str]] = result["TagSet"]
    return tag_set


def _put_tagging(call: Call, tags: list[tuple[str, str]], key: str = "a.txt") -> dict[str, Any]:
    tag_set = [{"Key": k, "Value": v} for k, v in tags]
    return call(HANDLERS["PutObjectTagging"], OWNER, {"Bucket": "docs", "Key": key, "Tagging": {"TagSet": tag_set}})


def test_put_get_delete_object_tagging(call: Call, bucket: str, conforms: Conforms) -> None:
    _put(call)
    # GetObjectTagging of an untagged object: an empty TagSet (ceph s3-tests test_put_delete_tags).
    empty = call(HANDLERS["GetObjectTagging"], OWNER, {"Bucket": bucket, "Key": "a.txt"})
    conforms("GetObjectTagging", empty)
    assert empty["TagSet"] == []
    result = _put_tagging(call, [("project", "blue"), ("env", "prod")])
    conforms("PutObjectTagging", result)
    # In the order written: the AWS CLI Command Reference's get-object-tagging answers
    # designation, department, team as put-object-tagging gave them.
    assert _tags(call) == [{"Key": "project", "Value": "blue"}, {"Key": "env", "Value": "prod"}]
    _put_tagging(call, [("only", "one")])  # PutObjectTagging replaces the whole set
    assert _tags(call) == [{"Key": "only", "Value": "one"}]
    deleted = call(HANDLERS["DeleteObjectTagging"], OWNER, {"Bucket": bucket, "Key": "a.txt"})
    conforms("DeleteObjectTagging", deleted)
    assert _tags(call) == []


def test_tagging_a_missing_object_is_no_such_key(call: Call, bucket: str) -> None:
    for operation in ("GetObjectTagging", "DeleteObjectTagging"):
        with pytest.raises(NoSuchKey):
            call(HANDLERS[operation], OWNER, {"Bucket": bucket, "Key": "missing"})
    with pytest.raises(NoSuchKey):
        _put_tagging(call, [("k", "v")], key="missing")


def test_limits(call: Call, bucket: str) -> None:
    """ "You can associate up to 10 tags with an object"; a key up to 128 and a value up to
    256 Unicode characters, counted in UTF-16 (Categorizing your storage using tags)."""
    _put(call)
    _put_tagging(call, [(f"k{i}", "v") for i in range(10)])
    with pytest.raises(ServiceError) as raised:
        _put_tagging(call, [(f"k{i}", "v") for i in range(11)])
    assert (raised.value.code, raised.value.status, raised.value.message) == (
        "BadRequest",
        400,
        "Object tags cannot be greater than 10",
    )
    _put_tagging(call, [("k" * 128, "v" * 256)])
    _put_tagging(
        call, [("\N{DESERET CAPITAL LETTER LONG I}" * 64, "")]
    )  # a letter outside the BMP: 128 UTF-16 code units
    for key, value in [("k" * 129, "v"), ("\N{DESERET CAPITAL LETTER LONG I}" * 65, "v"), ("", "v"), ("k[", "v")]:
        with pytest.raises(InvalidTag) as invalid:
            _put_tagging(call, [(key, value)])
        assert invalid.value.message == "The TagKey you have provided is invalid"
    with pytest.raises(InvalidTag):
        _put_tagging(call, [("k", "v" * 257)])
    with pytest.raises(InvalidTag):
        _put_tagging(call, [("k", "a"), ("k", "b")])  # "must have unique tag keys"
    with pytest.raises(InvalidTag):
        _put_tagging(call, [("aws:createdBy", "me")])  # aws: is reserved
    assert _tags(call) == [{"Key": "\N{DESERET CAPITAL LETTER LONG I}" * 64, "Value": ""}]  # nothing refused was kept


def test_put_object_with_the_tagging_header(call: Call, bucket: str, conforms: Conforms) -> None:
    # PutObject: "The tag-set must be encoded as URL Query parameters. (For example, "Key1=Value1")".
    _put(call, Tagging="project=blue&team=data%20eng&empty=&bare&plus=a+b")
    # In no promised order at AWS (LocalStack's recorded tests sort them before comparing).
    assert sorted(_tags(call), key=lambda tag: tag["Key"]) == [
        {"Key": "bare", "Value": ""},
        {"Key": "empty", "Value": ""},
        {"Key": "plus", "Value": "a b"},
        {"Key": "project", "Value": "blue"},
        {"Key": "team", "Value": "data eng"},
    ]
    got = call(HANDLERS["GetObject"], OWNER, {"Bucket": bucket, "Key": "a.txt"})
    conforms("GetObject", got)
    assert got["TagCount"] == 5
    head = call(HANDLERS["HeadObject"], OWNER, {"Bucket": bucket, "Key": "a.txt"})
    conforms("HeadObject", head)
    assert head["TagCount"] == 5
    # A PutObject that replaces the object replaces its tags: none here.
    _put(call)
    assert _tags(call) == []
    assert "TagCount" not in call(HANDLERS["GetObject"], OWNER, {"Bucket": bucket, "Key": "a.txt"})


@pytest.mark.parametrize(
    ("header", "error"),
    [
        ("a=1&a=2", InvalidArgument),
        ("TagSet=[{Key=string,Value=string}]", InvalidArgument),
        ("&".join(f"k{i}=v" for i in range(11)), ServiceError),
        ("TagSet%3D%5B%7BKey%3Dstring%2CValue%3Dstring%7D%5D", InvalidTag),
        ("aws%3Aname=x", InvalidTag),
    ],
)
def test_a_bad_tagging_header_is_refused_and_writes_nothing(
    call: Call, bucket: str, header: str, error: type[ServiceError]
) -> None:
    # Observed answers of S3 (aws-cli issue 2841; terraform-provider-aws 19895), see tagging.py.
    with pytest.raises(error) as raised:
        _put(call, Tagging=header)
    assert raised.value.status == 400
    with pytest.raises(NoSuchKey):
        call(HANDLERS["HeadObject"], OWNER, {"Bucket": bucket, "Key": "a.txt"})


def test_multipart_upload_tags_the_completed_object(call: Call, bucket: str) -> None:
    created = call(HANDLERS["CreateMultipartUpload"], OWNER, {"Bucket": bucket, "Key": "big", "Tagging": "stage=raw"})
    base = {"Bucket": bucket, "Key": "big", "UploadId": created["UploadId"]}
    part = call(HANDLERS["UploadPart"], OWNER, {**base, "PartNumber": 1, "Body": b"data"})
    parts = {"Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]}
    call(HANDLERS["CompleteMultipartUpload"], OWNER, {**base, "MultipartUpload": parts})
    assert _tags(call, "big") == [{"Key": "stage", "Value": "raw"}]


def test_copy_object_tagging_directive(call: Call, bucket: str) -> None:
    """CopyObject: x-amz-tagging-directive "COPY | REPLACE", "The default value is COPY"."""
    _put(call, Tagging="source=yes")
    copy = {"Bucket": bucket, "CopySource": f"{bucket}/a.txt"}
    call(HANDLERS["CopyObject"], OWNER, {**copy, "Key": "copied", "Tagging": "ignored=1"})
    assert _tags(call, "copied") == [{"Key": "source", "Value": "yes"}]
    call(HANDLERS["CopyObject"], OWNER, {**copy, "Key": "replaced", "TaggingDirective": "REPLACE", "Tagging": "n=2"})
    assert _tags(call, "replaced") == [{"Key": "n", "Value": "2"}]
    call(HANDLERS["CopyObject"], OWNER, {**copy, "Key": "cleared", "TaggingDirective": "REPLACE"})
    assert _tags(call, "cleared") == []


def test_tag_count_needs_permission_to_read_the_tags(call: Call, bucket: str) -> None:
    """GetObject's TagCount: "The number of tags, if any, on the object, when you have the
    relevant permission to read object tags" (GetObject, S3 API Reference)."""
    _put(call, Tagging="k=v")
    asked: list[str] = []

    def deny_tag_reads(action: str, resource: str, extra: Any) -> None:
        asked.append(action)
        if action == "s3:GetObjectTagging":
            raise AccessDenied("Access Denied")

    got = call(HANDLERS["GetObject"], OWNER, {"Bucket": bucket, "Key": "a.txt"}, authorize=deny_tag_reads)
    assert "TagCount" not in got and asked == ["s3:GetObjectTagging"]


def test_request_tags_for_the_condition_keys() -> None:
    assert tagging.request_tags({"Tagging": "a=1&b=2"}) == {"a": "1", "b": "2"}
    assert tagging.request_tags({"Tagging": {"TagSet": [{"Key": "a", "Value": "1"}]}}) == {"a": "1"}
    assert tagging.request_tags({"CopySource": "b/k", "Tagging": "a=1"}) is None  # COPY: the header is ignored
    assert tagging.request_tags({"CopySource": "b/k", "TaggingDirective": "REPLACE", "Tagging": "a=1"}) == {"a": "1"}
    assert tagging.request_tags({}) is None
    assert tagging.request_tags({"Tagging": "a=1&a=2"}) is None  # unreadable: the handler answers the error

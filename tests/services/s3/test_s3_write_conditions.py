"""Conditional writes and deletes through the whole request path (boto3 in process).

AWS pages:
- PutObject and CopyObject (S3 API Reference), If-None-Match: "Uploads the object only if
  the object key name does not already exist ... Otherwise, Amazon S3 returns a 412
  Precondition Failed error ... Expects the '*' (asterisk) character"; If-Match: "Uploads
  the object only if the ETag ... matches ... If the ETag values do not match, the
  operation returns a 412 Precondition Failed error. If a conditional write ... no
  matching object key ... 404 (Not Found)". "How to prevent object overwrites with
  conditional writes" (S3 User Guide).
- CompleteMultipartUpload (S3 API Reference), If-Match and If-None-Match: the same 412,
  and "If a conflicting operation occurs during the upload S3 returns a 409
  ConditionalRequestConflict response. On a 409 failure you should fetch the object's
  ETag, re-initiate the multipart upload with CreateMultipartUpload, and re-upload each
  part."
- "How to perform conditional deletes" (S3 User Guide) and DeleteObject's If-Match: "If
  the ETag values do not match, the operation returns a 412 Precondition Failed error",
  "If-Match does accept a string value of an '*' (asterisk)"; "For conditionally deleting
  multiple objects using the DeleteObjects operation, you must provide the ETag value in
  the ETag element of the object in the XML request body ... If the precondition fails,
  the response for that object is captured in the <Error> element"; "you must have the
  s3:DeleteObject and s3:GetObject permissions". x-amz-if-match-last-modified-time and
  x-amz-if-match-size: "This functionality is only supported for directory buckets."

Codes, members and wording (the 501 NotImplemented with Header and additionalMessage, the
409's Condition and Key) are as AWS answered them in LocalStack's recorded test_s3_api
snapshot (TestS3ObjectWritePrecondition, TestS3DeletePrecondition).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from inprocess_harness import client, open_app, root_keys, user_keys

A = "111111111111"
HELD = "At least one of the pre-conditions you specified did not hold"
NOT_IMPLEMENTED = "A header you provided implies functionality that is not implemented"
CONFLICT = "The conditional request cannot succeed due to a conflicting operation against this resource."


@pytest.fixture
def s3(tmp_path: Path) -> Any:
    app = open_app(tmp_path, A)
    s3 = client(app, "s3", root_keys(app, A))
    s3.create_bucket(Bucket="bkt")
    s3.app = app  # for the tests that add a user
    return s3


def _error(call: Any, **params: Any) -> tuple[int, dict[str, str]]:
    with pytest.raises(ClientError) as raised:
        call(**params)
    response = raised.value.response
    return response["ResponseMetadata"]["HTTPStatusCode"], response["Error"]


def test_put_object_refuses_the_condition_values_s3_does_not_take(s3: Any) -> None:
    etag = s3.put_object(Bucket="bkt", Key="k", Body=b"one")["ETag"]
    refused = "We don't accept the provided value of {} header for this API"
    assert _error(s3.put_object, Bucket="bkt", Key="k", Body=b"x", IfNoneMatch=etag) == (
        501,
        {"Code": "NotImplemented", "Message": NOT_IMPLEMENTED, "Header": "If-None-Match",
         "additionalMessage": refused.format("If-None-Match")},
    )  # fmt: skip
    assert _error(s3.put_object, Bucket="bkt", Key="k", Body=b"x", IfMatch="*") == (
        501,
        {"Code": "NotImplemented", "Message": NOT_IMPLEMENTED, "Header": "If-Match",
         "additionalMessage": refused.format("If-Match")},
    )  # fmt: skip
    assert _error(s3.put_object, Bucket="bkt", Key="k", Body=b"x", IfMatch=etag, IfNoneMatch="*") == (
        501,
        {"Code": "NotImplemented", "Message": NOT_IMPLEMENTED, "Header": "If-Match,If-None-Match",
         "additionalMessage": "Multiple conditional request headers present in the request"},
    )  # fmt: skip
    assert _body(s3.get_object(Bucket="bkt", Key="k")) == b"one"


def test_copy_object_checks_the_destinations_conditions(s3: Any) -> None:
    source = s3.put_object(Bucket="bkt", Key="src", Body=b"source")["ETag"]
    target = s3.put_object(Bucket="bkt", Key="dst", Body=b"target")["ETag"]
    copy = {"Bucket": "bkt", "CopySource": "bkt/src"}
    assert _error(s3.copy_object, Key="dst", IfNoneMatch="*", **copy) == (
        412,
        {"Code": "PreconditionFailed", "Message": HELD, "Condition": "If-None-Match"},
    )
    assert _error(s3.copy_object, Key="dst", IfMatch=source, **copy) == (
        412,
        {"Code": "PreconditionFailed", "Message": HELD, "Condition": "If-Match"},
    )
    assert _error(s3.copy_object, Key="missing", IfMatch=target, **copy) == (
        404,
        {"Code": "NoSuchKey", "Message": "The specified key does not exist.", "Key": "missing"},
    )
    assert _error(s3.copy_object, Key="dst", IfNoneMatch=target, **copy)[1]["Code"] == "NotImplemented"
    assert _body(s3.get_object(Bucket="bkt", Key="dst")) == b"target"
    s3.copy_object(Key="dst", IfMatch=target, **copy)
    s3.copy_object(Key="new", IfNoneMatch="*", **copy)
    assert _body(s3.get_object(Bucket="bkt", Key="dst")) == b"source"
    assert _body(s3.get_object(Bucket="bkt", Key="new")) == b"source"


def _body(out: dict[str, Any]) -> bytes:
    body: bytes = out["Body"]._raw_stream.body  # the in-process response's bytes
    return body


def _upload(s3: Any, key: str) -> tuple[str, dict[str, Any]]:
    upload = s3.create_multipart_upload(Bucket="bkt", Key=key)["UploadId"]
    part = s3.upload_part(Bucket="bkt", Key=key, UploadId=upload, PartNumber=1, Body=b"part")
    return upload, {"Parts": [{"ETag": part["ETag"], "PartNumber": 1}]}


def test_complete_multipart_upload_if_none_match(s3: Any) -> None:
    s3.put_object(Bucket="bkt", Key="k", Body=b"there")
    upload, parts = _upload(s3, "k")
    complete = {"Bucket": "bkt", "Key": "k", "UploadId": upload, "MultipartUpload": parts}
    assert _error(s3.complete_multipart_upload, IfNoneMatch="*", **complete) == (
        412,
        {"Code": "PreconditionFailed", "Message": HELD, "Condition": "If-None-Match"},
    )
    assert _body(s3.get_object(Bucket="bkt", Key="k")) == b"there"
    upload, parts = _upload(s3, "fresh")
    s3.complete_multipart_upload(Bucket="bkt", Key="fresh", UploadId=upload, MultipartUpload=parts, IfNoneMatch="*")
    assert _body(s3.get_object(Bucket="bkt", Key="fresh")) == b"part"


def test_complete_multipart_upload_if_match_and_a_write_during_the_upload(s3: Any) -> None:
    before = s3.put_object(Bucket="bkt", Key="k", Body=b"before")["ETag"]
    upload, parts = _upload(s3, "k")
    during = s3.put_object(Bucket="bkt", Key="k", Body=b"during")["ETag"]
    complete = {"Bucket": "bkt", "Key": "k", "UploadId": upload, "MultipartUpload": parts}
    # The ETag the upload started from no longer holds: 412.
    assert _error(s3.complete_multipart_upload, IfMatch=before, **complete) == (
        412,
        {"Code": "PreconditionFailed", "Message": HELD, "Condition": "If-Match"},
    )
    # The current ETag holds, but the key was written after the upload began: 409.
    assert _error(s3.complete_multipart_upload, IfMatch=during, **complete) == (
        409,
        {"Code": "ConditionalRequestConflict", "Message": CONFLICT, "Condition": "If-Match", "Key": "k"},
    )
    assert _body(s3.get_object(Bucket="bkt", Key="k")) == b"during"
    upload, parts = _upload(s3, "k")  # re-initiated after the 409, as the reference says
    out = s3.complete_multipart_upload(Bucket="bkt", Key="k", UploadId=upload, MultipartUpload=parts, IfMatch=during)
    assert out["ETag"].endswith('-1"')
    upload, parts = _upload(s3, "gone")
    assert _error(
        s3.complete_multipart_upload, Bucket="bkt", Key="gone", UploadId=upload, MultipartUpload=parts, IfMatch=during
    ) == (404, {"Code": "NoSuchKey", "Message": "The specified key does not exist.", "Key": "gone"})


def test_complete_multipart_upload_after_a_delete_in_a_versioned_bucket_conflicts(s3: Any) -> None:
    s3.put_bucket_versioning(Bucket="bkt", VersioningConfiguration={"Status": "Enabled"})
    s3.put_object(Bucket="bkt", Key="k", Body=b"there")
    upload, parts = _upload(s3, "k")
    s3.delete_object(Bucket="bkt", Key="k")  # a delete marker, written during the upload
    assert _error(
        s3.complete_multipart_upload, Bucket="bkt", Key="k", UploadId=upload, MultipartUpload=parts, IfNoneMatch="*"
    ) == (409, {"Code": "ConditionalRequestConflict", "Message": CONFLICT, "Condition": "If-None-Match", "Key": "k"})


def test_delete_object_if_match(s3: Any) -> None:
    etag = s3.put_object(Bucket="bkt", Key="k", Body=b"x")["ETag"]
    assert _error(s3.delete_object, Bucket="bkt", Key="k", IfMatch='"0000"') == (
        412,
        {"Code": "PreconditionFailed", "Message": HELD, "Condition": "If-Match"},
    )
    assert s3.head_object(Bucket="bkt", Key="k")["ETag"] == etag
    assert _error(s3.delete_object, Bucket="bkt", Key="missing", IfMatch="*")[:1] == (404,)
    assert s3.delete_object(Bucket="bkt", Key="k", IfMatch=etag)["ResponseMetadata"]["HTTPStatusCode"] == 204
    s3.put_object(Bucket="bkt", Key="k", Body=b"y")
    s3.delete_object(Bucket="bkt", Key="k", IfMatch="*")
    assert s3.list_objects_v2(Bucket="bkt")["KeyCount"] == 0


def test_delete_object_directory_bucket_conditions_are_not_implemented(s3: Any) -> None:
    s3.put_object(Bucket="bkt", Key="k", Body=b"x")
    then = datetime(2020, 1, 1, tzinfo=UTC)
    assert _error(s3.delete_object, Bucket="bkt", Key="k", IfMatchLastModifiedTime=then) == (
        501,
        {"Code": "NotImplemented", "Message": NOT_IMPLEMENTED, "Header": "x-amz-if-match-last-modified-time"},
    )
    assert _error(s3.delete_object, Bucket="bkt", Key="k", IfMatchSize=1) == (
        501,
        {"Code": "NotImplemented", "Message": NOT_IMPLEMENTED, "Header": "x-amz-if-match-size"},
    )
    assert s3.head_object(Bucket="bkt", Key="k")["ContentLength"] == 1


def test_a_conditional_delete_of_a_version_is_not_implemented_and_deletes_nothing(s3: Any) -> None:
    # Recorded from AWS (LocalStack's test_s3_api snapshot, TestS3DeletePrecondition::
    # test_delete_object_if_match_with_version_id, March 2026): If-Match, an ETag or "*",
    # beside a VersionId is 501 NotImplemented, and the version stays.
    s3.put_bucket_versioning(Bucket="bkt", VersioningConfiguration={"Status": "Enabled"})
    put = s3.put_object(Bucket="bkt", Key="k", Body=b"x")
    refused = {
        "Code": "NotImplemented",
        "Message": NOT_IMPLEMENTED,
        "Header": "If-Match",
        "additionalMessage": "Conditional delete operations are not allowed when a version ID is included in the "
        "request parameters.",
    }
    for if_match in (put["ETag"], "*"):
        status, error = _error(s3.delete_object, Bucket="bkt", Key="k", VersionId=put["VersionId"], IfMatch=if_match)
        assert (status, {name: error.get(name) for name in refused}) == (501, refused)
    versions = s3.list_object_versions(Bucket="bkt")["Versions"]
    assert [v["VersionId"] for v in versions] == [put["VersionId"]]


def test_delete_objects_etag_per_key(s3: Any) -> None:
    kept = s3.put_object(Bucket="bkt", Key="kept", Body=b"1")["ETag"]
    gone = s3.put_object(Bucket="bkt", Key="gone", Body=b"2")["ETag"]
    objects = [{"Key": "kept", "ETag": gone}, {"Key": "gone", "ETag": gone}]
    out = s3.delete_objects(Bucket="bkt", Delete={"Objects": objects})
    assert out["Deleted"] == [{"Key": "gone"}]
    assert out["Errors"] == [{"Key": "kept", "Code": "PreconditionFailed", "Message": HELD}]
    assert [item["Key"] for item in s3.list_objects_v2(Bucket="bkt")["Contents"]] == ["kept"]
    assert s3.head_object(Bucket="bkt", Key="kept")["ETag"] == kept


def test_a_conditional_delete_with_an_etag_needs_get_object(s3: Any) -> None:
    etag = s3.put_object(Bucket="bkt", Key="k", Body=b"x")["ETag"]
    app = s3.app
    policy = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:DeleteObject", "Resource": "arn:aws:s3:::bkt/*"}],
    }
    keys = user_keys(app, A, "deleter")
    client(app, "iam", root_keys(app, A)).put_user_policy(
        UserName="deleter", PolicyName="p", PolicyDocument=json.dumps(policy)
    )
    user = client(app, "s3", keys)
    assert _error(user.delete_object, Bucket="bkt", Key="k", IfMatch=etag)[1]["Code"] == "AccessDenied"
    out = user.delete_objects(Bucket="bkt", Delete={"Objects": [{"Key": "k", "ETag": etag}]})
    denied = (
        "User: arn:aws:iam::111111111111:user/deleter is not authorized to perform: s3:GetObject"
        ' on resource: "arn:aws:s3:::bkt/k"'
        " because no identity-based policy allows the s3:GetObject action"
    )
    assert out["Errors"] == [{"Key": "k", "Code": "AccessDenied", "Message": denied}]
    user.delete_object(Bucket="bkt", Key="k", IfMatch="*")  # "*" checks existence only
    assert s3.list_objects_v2(Bucket="bkt")["KeyCount"] == 0

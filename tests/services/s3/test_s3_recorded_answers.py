"""S3 answers as recorded from AWS in LocalStack's test_s3 snapshot (tests/aws/services/s3/
test_s3.snapshot.json, LocalStack's tests run against AWS; Apache-2.0), through the whole
request path with boto3."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from botocore.exceptions import ClientError
from inprocess_harness import s3_with_bucket

A = "111111111111"


def test_put_bucket_policy_answers_204(tmp_path: Path) -> None:
    # Recorded from AWS (LocalStack's test_s3 snapshot, test_put_bucket_policy and
    # test_put_bucket_policy_expected_bucket_owner; test_s3_api, test_bucket_policy_crud):
    # 204 No Content, as DeleteBucketPolicy's.
    s3 = s3_with_bucket(tmp_path, bucket="owned")
    statement = {
        "Effect": "Allow",
        "Principal": {"AWS": A},
        "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::owned/*",
    }
    policy = json.dumps({"Version": "2012-10-17", "Statement": [statement]})
    put = s3.put_bucket_policy(Bucket="owned", Policy=policy, ExpectedBucketOwner=A)
    assert put["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert s3.delete_bucket_policy(Bucket="owned")["ResponseMetadata"]["HTTPStatusCode"] == 204


def test_put_object_acl_on_a_delete_marker_is_405(tmp_path: Path) -> None:
    # Recorded from AWS (LocalStack's test_s3 snapshot, test_put_object_acl_on_delete_marker):
    # 405 MethodNotAllowed, Method PUT, ResourceType DeleteMarker, for the latest version
    # being a delete marker and for a versionId naming one.
    s3 = s3_with_bucket(tmp_path, bucket="owned")
    s3.put_bucket_versioning(Bucket="owned", VersioningConfiguration={"Status": "Enabled"})
    s3.put_object(Bucket="owned", Key="k", Body=b"x")
    marker = s3.delete_object(Bucket="owned", Key="k")["VersionId"]
    for extra in ({}, {"VersionId": marker}):
        with pytest.raises(ClientError) as caught:
            s3.put_object_acl(Bucket="owned", Key="k", ACL="private", **extra)
        error = caught.value.response["Error"]
        assert (error["Code"], error["Method"], error["ResourceType"]) == ("MethodNotAllowed", "PUT", "DeleteMarker")
        assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 405


def test_a_response_override_outside_iso_8859_1_is_refused(tmp_path: Path) -> None:
    # Recorded from AWS (LocalStack's test_s3 snapshot, a presigned GetObject whose
    # response-cache-control holds an em dash): 400 InvalidArgument "Header value cannot be
    # represented using ISO-8859-1.", naming the parameter and its value; Latin-1 is taken.
    s3 = s3_with_bucket(tmp_path, bucket="owned")
    s3.put_object(Bucket="owned", Key="k", Body=b"x")
    value = "non-ascii-—_é_"
    with pytest.raises(ClientError) as caught:
        s3.get_object(Bucket="owned", Key="k", ResponseCacheControl=value)
    error = caught.value.response["Error"]
    assert (error["Code"], error["Message"], error["ArgumentName"], error["ArgumentValue"]) == (
        "InvalidArgument",
        "Header value cannot be represented using ISO-8859-1.",
        "response-cache-control",
        value,
    )
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    latin = s3.get_object(Bucket="owned", Key="k", ResponseCacheControl="max-age=1, é")
    assert latin["CacheControl"] == "max-age=1, é"


@pytest.mark.parametrize(
    ("acl", "code", "members"),
    [
        # Recorded from AWS (LocalStack's test_s3 snapshot, test_s3_bucket_acl_exceptions and
        # test_s3_object_acl_exceptions), whatever the bucket's ownership, before its check.
        ({"ACL": "fake-acl"}, "InvalidArgument", {"ArgumentName": "x-amz-acl", "ArgumentValue": "fake-acl"}),
        ({}, "MissingSecurityHeader", {"MissingHeaderName": "x-amz-acl"}),
        (
            {"ACL": "private", "GrantRead": 'uri="http://acs.amazonaws.com/groups/global/AllUsers"'},
            "InvalidRequest",
            {},
        ),
        ({"ACL": "private", "AccessControlPolicy": {"Owner": {"ID": "0" * 64}, "Grants": []}}, "UnexpectedContent", {}),
        ({"AccessControlPolicy": {}}, "MalformedACLError", {}),
    ],
    ids=["fake-canned-acl", "no-acl", "canned-and-grant", "canned-and-body", "empty-body"],
)
def test_acl_requests_s3_cannot_read(
    tmp_path: Path, acl: dict[str, object], code: str, members: dict[str, str]
) -> None:
    s3 = s3_with_bucket(tmp_path, validate=False, bucket="owned")
    s3.put_object(Bucket="owned", Key="k", Body=b"x")
    calls = [
        lambda: s3.put_bucket_acl(Bucket="owned", **acl),
        lambda: s3.put_object_acl(Bucket="owned", Key="k", **acl),
    ]
    for call in calls:
        with pytest.raises(ClientError) as caught:
            call()
        error = caught.value.response["Error"]
        assert error["Code"] == code and {name: error.get(name) for name in members} == members
        assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400

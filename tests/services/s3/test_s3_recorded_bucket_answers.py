"""Bucket-level S3 answers as recorded from AWS in LocalStack's snapshots (tests/aws/services/
s3/test_s3_api.snapshot.json, test_s3.snapshot.json and test_s3_list_operations.snapshot.json;
LocalStack's tests run against AWS; Apache-2.0), through the whole request path with boto3."""

from __future__ import annotations

import datetime
import hashlib
from pathlib import Path
from typing import Any

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.exceptions import ClientError
from inprocess_harness import ENDPOINT, _send, client, open_app, root_keys

A = "111111111111"


def _s3(tmp_path: Path, *, validate: bool = True) -> Any:
    app = open_app(tmp_path, A)
    return client(app, "s3", root_keys(app, A), validate=validate)


def _error(caught: pytest.ExceptionInfo[ClientError]) -> tuple[int, dict[str, Any]]:
    response = caught.value.response
    return response["ResponseMetadata"]["HTTPStatusCode"], response["Error"]


def test_put_bucket_tagging_answers_204(tmp_path: Path) -> None:
    # test_s3_api, test_bucket_tagging_crud: put-bucket-tags, put-bucket-tags-overwrite and
    # put-bucket-tags-empty all answer 204 No Content.
    s3 = _s3(tmp_path)
    s3.create_bucket(Bucket="owned")
    for tags in ([{"Key": "tag1", "Value": "tag1"}, {"Key": "tag2", "Value": ""}], [{"Key": "a", "Value": "b"}]):
        put = s3.put_bucket_tagging(Bucket="owned", Tagging={"TagSet": tags})
        assert put["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert s3.get_bucket_tagging(Bucket="owned")["TagSet"] == [{"Key": "a", "Value": "b"}]


@pytest.mark.parametrize(
    ("operation", "params"),
    [
        # test_s3_api, test_s3_bucket_encryption_exc: an empty rule list to a missing bucket.
        ("put_bucket_encryption", {"ServerSideEncryptionConfiguration": {"Rules": []}}),
        # The same order for the other configurations whose body S3 refuses (MalformedXML on
        # an existing bucket, below).
        ("put_bucket_cors", {"CORSConfiguration": {"CORSRules": []}}),
        ("put_bucket_lifecycle_configuration", {"LifecycleConfiguration": {"Rules": []}}),
    ],
)
def test_a_missing_bucket_is_named_before_the_body_is_read(tmp_path: Path, operation: str, params: Any) -> None:
    s3 = _s3(tmp_path, validate=False)
    with pytest.raises(ClientError) as caught:
        getattr(s3, operation)(Bucket="no-such-bucket", **params)
    status, error = _error(caught)
    assert (status, error["Code"], error["Message"], error["BucketName"]) == (
        404,
        "NoSuchBucket",
        "The specified bucket does not exist",
        "no-such-bucket",
    )
    s3.create_bucket(Bucket="owned")
    with pytest.raises(ClientError) as caught:
        getattr(s3, operation)(Bucket="owned", **params)
    assert _error(caught)[1]["Code"] == "MalformedXML"


def test_a_website_redirect_protocol_other_than_http_is_invalid_request(tmp_path: Path) -> None:
    # test_s3_api, test_put_bucket_website_validation: InvalidRequest with S3's wording (the
    # model's enum would have made it MalformedXML).
    s3 = _s3(tmp_path, validate=False)
    s3.create_bucket(Bucket="owned")
    with pytest.raises(ClientError) as caught:
        s3.put_bucket_website(
            Bucket="owned",
            WebsiteConfiguration={
                "IndexDocument": {"Suffix": "index.html"},
                "RoutingRules": [{"Redirect": {"Protocol": "protocol"}}],
            },
        )
    status, error = _error(caught)
    assert (status, error["Code"], error["Message"]) == (
        400,
        "InvalidRequest",
        "Invalid protocol, protocol can be http or https. If not defined the protocol will be selected automatically.",
    )


def test_a_logging_target_grant_takes_read_acp(tmp_path: Path) -> None:
    # test_s3_api, test_put_bucket_logging_with_target_grants: WRITE and READ_ACP for the
    # log delivery group, on a target bucket whose ownership controls were deleted.
    s3 = _s3(tmp_path)
    s3.create_bucket(Bucket="source")
    s3.create_bucket(Bucket="target")
    s3.delete_bucket_ownership_controls(Bucket="target")
    group = {"Type": "Group", "URI": "http://acs.amazonaws.com/groups/s3/LogDelivery"}
    grants = [{"Grantee": group, "Permission": "WRITE"}, {"Grantee": group, "Permission": "READ_ACP"}]
    enabled = {"TargetBucket": "target", "TargetPrefix": "log", "TargetGrants": grants}
    s3.put_bucket_logging(Bucket="source", BucketLoggingStatus={"LoggingEnabled": enabled})
    enabled = s3.get_bucket_logging(Bucket="source")["LoggingEnabled"]
    assert [grant["Permission"] for grant in enabled["TargetGrants"]] == ["WRITE", "READ_ACP"]


def test_a_lifecycle_date_not_at_midnight_names_the_date(tmp_path: Path) -> None:
    # test_s3_api, the lifecycle Date cases: InvalidArgument "'Date' must be at midnight GMT",
    # ArgumentName Date, and an ArgumentValue (masked in the recording: the date sent).
    s3 = _s3(tmp_path)
    s3.create_bucket(Bucket="owned")
    rule = {
        "ID": "r",
        "Status": "Enabled",
        "Filter": {},
        "Expiration": {"Date": datetime.datetime(2023, 1, 1, 2, 2, tzinfo=datetime.UTC)},
    }
    with pytest.raises(ClientError) as caught:
        s3.put_bucket_lifecycle_configuration(Bucket="owned", LifecycleConfiguration={"Rules": [rule]})
    status, error = _error(caught)
    assert (status, error["Code"], error["Message"], error["ArgumentName"], error["ArgumentValue"]) == (
        400,
        "InvalidArgument",
        "'Date' must be at midnight GMT",
        "Date",
        "2023-01-01T02:02:00Z",
    )


def test_an_empty_create_bucket_configuration_is_malformed(tmp_path: Path) -> None:
    # test_s3_api, create-bucket-constraint-us-east-1-with-None: 400 MalformedXML, and no bucket.
    s3 = _s3(tmp_path, validate=False)
    with pytest.raises(ClientError) as caught:
        s3.create_bucket(Bucket="owned", CreateBucketConfiguration={"LocationConstraint": None})
    status, error = _error(caught)
    assert (status, error["Code"], error["Message"]) == (
        400,
        "MalformedXML",
        "The XML you provided was not well-formed or did not validate against our published schema",
    )
    assert s3.list_buckets()["Buckets"] == []


def test_object_listings_carry_the_bucket_region(tmp_path: Path) -> None:
    # test_s3, test_region_header_exists and test_bucket_name_with_dots: x-amz-bucket-region
    # on ListObjects and ListObjectsV2.
    app = open_app(tmp_path, A)
    keys = root_keys(app, A)
    client(app, "s3", keys).create_bucket(Bucket="in.eu", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    client(app, "s3", keys).create_bucket(Bucket="home")
    for bucket, region in (("in.eu", "eu-west-1"), ("home", "us-east-1")):
        regional = client(app, "s3", keys, region=region)
        for listing in (regional.list_objects(Bucket=bucket), regional.list_objects_v2(Bucket=bucket)):
            assert listing["ResponseMetadata"]["HTTPHeaders"]["x-amz-bucket-region"] == region


def test_head_bucket_is_typed_as_xml(tmp_path: Path) -> None:
    # test_s3_api, head_bucket_filtered_header: content-type application/xml on the empty 200.
    s3 = _s3(tmp_path)
    s3.create_bucket(Bucket="owned")
    assert s3.head_bucket(Bucket="owned")["ResponseMetadata"]["HTTPHeaders"]["content-type"] == "application/xml"


def test_list_buckets_refuses_a_region_aws_does_not_have(tmp_path: Path) -> None:
    # test_s3_list_operations, test_list_buckets_region_validation (bad-region): 400
    # InvalidArgument naming bucket-region, without an ArgumentValue.
    s3 = _s3(tmp_path)
    s3.create_bucket(Bucket="owned")
    with pytest.raises(ClientError) as caught:
        s3.list_buckets(BucketRegion="eu-east-1")
    status, error = _error(caught)
    assert (status, error["Code"], error["Message"], error["ArgumentName"]) == (
        400,
        "InvalidArgument",
        "Argument value eu-east-1 is not a valid AWS Region",
        "bucket-region",
    )
    assert "ArgumentValue" not in error
    assert [b["Name"] for b in s3.list_buckets(BucketRegion="us-east-1")["Buckets"]] == ["owned"]
    assert s3.list_buckets(BucketRegion="eu-west-1")["Buckets"] == []


def test_create_bucket_signed_for_aws_global_names_us_east_1(tmp_path: Path) -> None:
    # test_s3 snapshot, test_create_bucket_aws_global (xml-error-create-bucket): a raw SigV4
    # request signed for "aws-global" is AuthorizationHeaderMalformed naming us-east-1.
    app = open_app(tmp_path, A)
    keys = root_keys(app, A)
    request = AWSRequest(method="PUT", url=f"{ENDPOINT}/global", data=b"")
    request.headers["X-Amz-Content-SHA256"] = hashlib.sha256(b"").hexdigest()
    credentials = Credentials(keys["aws_access_key_id"], keys["aws_secret_access_key"])
    SigV4Auth(credentials, "s3", "aws-global").add_auth(request)
    response = _send(app, request.prepare())
    assert response.status_code == 400
    assert (
        b"<Code>AuthorizationHeaderMalformed</Code><Message>The authorization header is malformed; the region"
        b" 'aws-global' is wrong; expecting 'us-east-1'</Message><Region>us-east-1</Region>" in response.content
    )
    assert client(app, "s3", keys).list_buckets()["Buckets"] == []

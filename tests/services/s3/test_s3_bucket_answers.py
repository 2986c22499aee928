"""Bucket-level answers a black-box review found different from S3's, through the whole path.

AWS pages and recorded answers:
- "Tagging for cost allocation or attribute-based access control (ABAC)" (S3 User Guide): a
  tag key of 1 to 128 Unicode characters, a value of 0 to 256, of "Unicode letters or numbers,
  white space, and the following symbols: _ . : / = + @ -"; PutBucketTagging answers input
  that breaks them with InvalidTag. Its Content-MD5: "You must use this header as a message
  integrity check" (S3's 400 for a request without, recorded in versity/versitygw#1521).
- CreateBucket: an empty LocationConstraint is 400 InvalidLocationConstraint (recorded in
  versity/versitygw#1644).
- GetBucketLocation: "Buckets with a LocationConstraint of EU reside in eu-west-1", answered
  "EU" (recorded in aws/aws-cli#8522); "In a bucket's home Region, calls to the
  GetBucketLocation operation are governed by the bucket's policy. In other Regions, the
  bucket policy doesn't apply, which means that cross-account access won't be authorized."
- HeadBucket: AccessPointAlias false for a bucket (recorded in aws/aws-cli#8522).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from inprocess_harness import client, open_app, root_keys

A, B = "111111111111", "222222222222"


def _error(call: Any, **params: Any) -> tuple[int, str, str]:
    with pytest.raises(ClientError) as refused:
        call(**params)
    response = refused.value.response
    return response["ResponseMetadata"]["HTTPStatusCode"], response["Error"]["Code"], response["Error"]["Message"]


@pytest.mark.parametrize(
    "tag",
    [
        {"Key": "k" * 129, "Value": "v"},
        {"Key": "k", "Value": "v" * 257},
        {"Key": "a*b", "Value": "v"},
        {"Key": "k", "Value": "<&>"},
        {"Key": "", "Value": "v"},
    ],
)
def test_bucket_tags_have_s3s_lengths_and_characters(tmp_path: Path, tag: dict[str, str]) -> None:
    app = open_app(tmp_path, A)
    s3 = client(app, "s3", root_keys(app, A), validate=False)
    s3.create_bucket(Bucket="tagged")
    assert _error(s3.put_bucket_tagging, Bucket="tagged", Tagging={"TagSet": [tag]})[:2] == (400, "InvalidTag")
    good = [{"Key": "team name/x:y=z+@-_.", "Value": "Ünïcode 1"}, {"Key": "k" * 128, "Value": "v" * 256}]
    s3.put_bucket_tagging(Bucket="tagged", Tagging={"TagSet": good})
    assert s3.get_bucket_tagging(Bucket="tagged")["TagSet"] == good


def test_put_bucket_tagging_needs_a_checksum(tmp_path: Path) -> None:
    app = open_app(tmp_path, A)
    s3 = client(app, "s3", root_keys(app, A))
    s3.create_bucket(Bucket="tagged")

    def strip(request: Any, **_kwargs: Any) -> None:
        for name in [n for n in request.headers if n.lower() == "content-md5" or n.lower().startswith("x-amz-")]:
            if name.lower().startswith(("content-md5", "x-amz-checksum-", "x-amz-sdk-checksum-")):
                del request.headers[name]

    s3.meta.events.register_first("before-sign.s3.PutBucketTagging", strip)
    tags = {"TagSet": [{"Key": "k", "Value": "v"}]}
    assert _error(s3.put_bucket_tagging, Bucket="tagged", Tagging=tags) == (
        400,
        "InvalidRequest",
        "Missing required header for this request: Content-MD5 OR x-amz-checksum-*",
    )


def test_location_constraints(tmp_path: Path) -> None:
    app = open_app(tmp_path, A)
    s3 = client(app, "s3", root_keys(app, A))
    empty = {"LocationConstraint": ""}
    assert _error(s3.create_bucket, Bucket="empty-constraint", CreateBucketConfiguration=empty)[:2] == (
        400,
        "InvalidLocationConstraint",
    )
    s3.create_bucket(Bucket="in-the-eu", CreateBucketConfiguration={"LocationConstraint": "EU"})
    assert s3.get_bucket_location(Bucket="in-the-eu")["LocationConstraint"] == "EU"
    assert s3.head_bucket(Bucket="in-the-eu")["BucketRegion"] == "eu-west-1"
    s3.create_bucket(Bucket="in-ireland", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    assert s3.get_bucket_location(Bucket="in-ireland")["LocationConstraint"] == "eu-west-1"
    head = s3.head_bucket(Bucket="in-ireland")
    assert head["ResponseMetadata"]["HTTPHeaders"]["x-amz-access-point-alias"] == "false"


def test_get_bucket_location_outside_the_home_region_ignores_the_bucket_policy(tmp_path: Path) -> None:
    app = open_app(tmp_path, A, B)
    s3_a = client(app, "s3", root_keys(app, A), region="eu-west-1")
    s3_a.create_bucket(Bucket="irish-bucket", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    grant = {
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{B}:root"},
        "Action": "s3:GetBucketLocation",
        "Resource": "arn:aws:s3:::irish-bucket",
    }
    s3_a.put_bucket_policy(Bucket="irish-bucket", Policy=json.dumps({"Version": "2012-10-17", "Statement": [grant]}))
    at_home = client(app, "s3", root_keys(app, B), region="eu-west-1")
    assert at_home.get_bucket_location(Bucket="irish-bucket")["LocationConstraint"] == "eu-west-1"
    elsewhere = client(app, "s3", root_keys(app, B), region="us-east-1")
    assert _error(elsewhere.get_bucket_location, Bucket="irish-bucket")[:2] == (403, "AccessDenied")
    # The owner's own account needs no bucket policy, wherever it signs.
    assert client(app, "s3", root_keys(app, A)).get_bucket_location(Bucket="irish-bucket")["LocationConstraint"] == (
        "eu-west-1"
    )

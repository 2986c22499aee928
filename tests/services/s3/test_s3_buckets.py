"""Bucket operations (Amazon S3 API Reference); messages recorded from AWS where the
module under test cites them."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from services_harness import TRUSTED, TRUSTING, Call, root_caller

from iamsandbox.errors import (
    BucketAlreadyExists,
    BucketAlreadyOwnedByYou,
    BucketNotEmpty,
    IllegalLocationConstraintException,
    InvalidArgument,
    InvalidBucketName,
    InvalidLocationConstraint,
    InvalidTag,
    MalformedPolicy,
    NoSuchBucket,
    NoSuchBucketPolicy,
    NoSuchPublicAccessBlockConfiguration,
    NoSuchTagSet,
    OwnershipControlsNotFoundError,
)
from iamsandbox.services.s3.handlers import HANDLERS

Conforms = Callable[[str, dict[str, Any]], None]
OWNER = root_caller(TRUSTING)
OTHER = root_caller(TRUSTED)


def _run(call: Call, operation: str, conforms: Conforms | None = None, caller: Any = OWNER, **params: Any) -> Any:
    out = call(HANDLERS[operation], caller, params)
    if conforms is not None:
        conforms(operation, out)
    return out


def test_create_bucket_in_us_east_1(call: Call, conforms: Conforms) -> None:
    # BucketArn for a general purpose bucket in CreateBucket, HeadBucket and ListBuckets,
    # though the API reference calls it directory buckets' only: recorded from AWS in
    # February 2026 (LocalStack's test_s3 snapshot, test_create_bucket_head_bucket:
    # {"BucketArn": "arn:aws:s3:::NAME", "Location": "/NAME"}; test_delete_bucket_with_content's
    # list-buckets: Name, CreationDate, BucketArn).
    out = _run(call, "CreateBucket", conforms, Bucket="my-bucket")
    assert out == {"Location": "/my-bucket", "BucketArn": "arn:aws:s3:::my-bucket"}
    assert _run(call, "GetBucketLocation", conforms, Bucket="my-bucket") == {"LocationConstraint": None}
    assert _run(call, "HeadBucket", conforms, Bucket="my-bucket") == {
        "BucketRegion": "us-east-1",
        "AccessPointAlias": False,
        "BucketArn": "arn:aws:s3:::my-bucket",
    }
    # Bucket, BucketRegion: "If the request contains at least one valid parameter, it is
    # included in the response".
    listed = _run(call, "ListBuckets", conforms)
    assert [set(bucket) for bucket in listed["Buckets"]] == [{"Name", "CreationDate", "BucketArn"}]
    assert _run(call, "ListBuckets", Prefix="my")["Buckets"][0]["BucketRegion"] == "us-east-1"
    assert len(listed["Owner"]["ID"]) == 64
    assert _run(call, "ListBuckets", caller=OTHER)["Buckets"] == []


def test_create_bucket_elsewhere_needs_the_region_as_constraint(call: Call) -> None:
    config = {"LocationConstraint": "eu-west-1"}
    out = call(
        HANDLERS["CreateBucket"],
        OWNER,
        {"Bucket": "eu-bucket", "CreateBucketConfiguration": config},
        region="eu-west-1",
    )
    assert out["Location"] == "http://eu-bucket.s3.amazonaws.com/"
    assert _run(call, "GetBucketLocation", Bucket="eu-bucket") == {"LocationConstraint": "eu-west-1"}
    with pytest.raises(IllegalLocationConstraintException) as raised:
        call(HANDLERS["CreateBucket"], OWNER, {"Bucket": "eu-bucket-2"}, region="eu-west-1")
    assert raised.value.message == (
        "The unspecified location constraint is incompatible for the region specific endpoint this request was sent to."
    )
    with pytest.raises(IllegalLocationConstraintException, match="^The us-west-2 location constraint"):
        call(
            HANDLERS["CreateBucket"],
            OWNER,
            {"Bucket": "eu-bucket-2", "CreateBucketConfiguration": {"LocationConstraint": "us-west-2"}},
            region="eu-west-1",
        )


def test_us_east_1_constraint_is_invalid(call: Call) -> None:
    with pytest.raises(InvalidLocationConstraint) as raised:
        _run(call, "CreateBucket", Bucket="b-1", CreateBucketConfiguration={"LocationConstraint": "us-east-1"})
    assert raised.value.message == "The specified location-constraint is not valid"
    with pytest.raises(InvalidLocationConstraint):
        _run(call, "CreateBucket", Bucket="b-1", CreateBucketConfiguration={"LocationConstraint": "mars-1"})


def test_a_request_signed_for_us_east_1_creates_the_bucket_in_the_constraints_region(call: Call) -> None:
    # CreateBucket (S3 API reference): a request to the global endpoint is "signed using
    # us-east-1 ... even if the location constraint in the request specifies another Region
    # where the bucket is to be created"; boto3 and the AWS CLI send us-east-1's requests
    # there, so `s3.create_bucket(..., CreateBucketConfiguration={"LocationConstraint":
    # "eu-west-1"})` from a us-east-1 client makes an eu-west-1 bucket.
    _run(call, "CreateBucket", Bucket="b-1", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    assert _run(call, "GetBucketLocation", Bucket="b-1") == {"LocationConstraint": "eu-west-1"}
    with pytest.raises(BucketAlreadyOwnedByYou):
        _run(call, "CreateBucket", Bucket="b-1", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})


def test_existing_names(call: Call) -> None:
    _run(call, "CreateBucket", Bucket="taken")
    # us-east-1 answers 200 to its owner; elsewhere BucketAlreadyOwnedByYou.
    assert _run(call, "CreateBucket", Bucket="taken")["Location"] == "/taken"
    with pytest.raises(BucketAlreadyOwnedByYou) as owned:
        call(
            HANDLERS["CreateBucket"],
            OWNER,
            {"Bucket": "taken", "CreateBucketConfiguration": {"LocationConstraint": "eu-west-1"}},
            region="eu-west-1",
        )
    assert owned.value.fields == {"BucketName": "taken"}
    with pytest.raises(BucketAlreadyExists):
        _run(call, "CreateBucket", caller=OTHER, Bucket="taken")


@pytest.mark.parametrize(
    "name",
    [
        "ab",
        "a" * 64,
        "Upper",
        "-dash",
        "dash-",
        "two..dots",
        "dot.-dash",  # a label may not begin or end with a hyphen (the DNS label rule)
        "dash-.dot",
        "192.168.1.1",
        "xn--abc",
        "sthree-x",
        "x-s3alias",
        "under_score",
    ],
)
def test_invalid_bucket_names(call: Call, name: str) -> None:
    with pytest.raises(InvalidBucketName) as raised:
        _run(call, "CreateBucket", Bucket=name)
    assert raised.value.message == "The specified bucket is not valid."


def test_delete_bucket(call: Call) -> None:
    _run(call, "CreateBucket", Bucket="gone")
    _run(call, "PutObject", Bucket="gone", Key="k", Body=b"x")
    with pytest.raises(BucketNotEmpty) as raised:
        _run(call, "DeleteBucket", Bucket="gone")
    assert raised.value.message == "The bucket you tried to delete is not empty"
    _run(call, "DeleteObject", Bucket="gone", Key="k")
    _run(call, "CreateMultipartUpload", Bucket="gone", Key="pending")
    assert _run(call, "DeleteBucket", Bucket="gone") == {}
    with pytest.raises(NoSuchBucket) as missing:
        _run(call, "HeadBucket", Bucket="gone")
    assert missing.value.fields == {"BucketName": "gone"}


def test_tagging(call: Call, conforms: Conforms) -> None:
    _run(call, "CreateBucket", Bucket="tagged")
    with pytest.raises(NoSuchTagSet):
        _run(call, "GetBucketTagging", Bucket="tagged")
    tags = [{"Key": "team", "Value": "blue"}]
    _run(call, "PutBucketTagging", conforms, Bucket="tagged", Tagging={"TagSet": tags})
    assert _run(call, "GetBucketTagging", conforms, Bucket="tagged") == {"TagSet": tags}
    with pytest.raises(InvalidTag, match="multiple Tags with the same key"):
        _run(call, "PutBucketTagging", Bucket="tagged", Tagging={"TagSet": tags + tags})
    with pytest.raises(InvalidTag, match="System tags"):
        _run(call, "PutBucketTagging", Bucket="tagged", Tagging={"TagSet": [{"Key": "aws:x", "Value": "1"}]})
    _run(call, "DeleteBucketTagging", Bucket="tagged")
    with pytest.raises(NoSuchTagSet):
        _run(call, "GetBucketTagging", Bucket="tagged")


def _policy(resource: str | list[str]) -> str:
    statement = {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{TRUSTED}:root"}, "Action": "s3:GetObject"}
    return json.dumps(
        {"Version": "2012-10-17", "Statement": [{**statement, "Resource": resource}]}, separators=(",", ":")
    )


def test_bucket_policy(call: Call, conforms: Conforms) -> None:
    _run(call, "CreateBucket", Bucket="pol")
    with pytest.raises(NoSuchBucketPolicy) as raised:
        _run(call, "GetBucketPolicy", Bucket="pol")
    assert raised.value.message == "The bucket policy does not exist"
    text = _policy(["arn:aws:s3:::pol", "arn:aws:s3:::pol/*", "arn:aws:s3:::p*/x"])
    _run(call, "PutBucketPolicy", conforms, Bucket="pol", Policy=text)
    assert _run(call, "GetBucketPolicy", conforms, Bucket="pol") == {"Policy": text}  # already compact
    # Indented as written by hand: answered without the whitespace ("spaces, newlines,
    # etc.. are removed from policy which is returned from API", k1LoW/awspec#87; S3's
    # body in aws/aws-cli#849), members in their order, values as given.
    document = json.loads(text)
    document["Statement"][0]["Sid"] = "Lecture é"
    _run(call, "PutBucketPolicy", Bucket="pol", Policy=json.dumps(document, indent=4, ensure_ascii=False))
    answered = _run(call, "GetBucketPolicy", Bucket="pol")["Policy"]
    assert answered == json.dumps(document, separators=(",", ":"), ensure_ascii=False)
    assert "\n" not in answered and ": " not in answered and "Lecture é" in answered
    _run(call, "DeleteBucketPolicy", Bucket="pol")
    with pytest.raises(NoSuchBucketPolicy):
        _run(call, "GetBucketPolicy", Bucket="pol")


def test_bucket_policy_keeps_an_account_id_principal_as_the_root_arn(call: Call) -> None:
    # "When you save a resource-based policy that includes the shortened account ID, the
    # service might convert it to the principal ARN" ("AWS JSON policy elements: Principal");
    # S3 does: aws/aws-cdk#9334, a bucket policy saved with "AWS": "123456789123" read back
    # as "arn:aws:iam::123456789123:root".
    _run(call, "CreateBucket", Bucket="pol")
    statements = [
        {"Effect": "Allow", "Principal": {"AWS": TRUSTED}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::pol/*"},
        {
            "Effect": "Deny",
            "NotPrincipal": {"AWS": [TRUSTING, f"arn:aws:iam::{TRUSTED}:root"]},
            "Action": "s3:DeleteObject",
            "Resource": "arn:aws:s3:::pol/*",
        },
    ]
    _run(call, "PutBucketPolicy", Bucket="pol", Policy=json.dumps({"Version": "2012-10-17", "Statement": statements}))
    kept = json.loads(_run(call, "GetBucketPolicy", Bucket="pol")["Policy"])["Statement"]
    assert kept[0]["Principal"] == {"AWS": f"arn:aws:iam::{TRUSTED}:root"}
    assert kept[1]["NotPrincipal"] == {"AWS": [f"arn:aws:iam::{TRUSTING}:root", f"arn:aws:iam::{TRUSTED}:root"]}
    assert kept[0]["Resource"] == "arn:aws:s3:::pol/*"


def test_bucket_policy_resources_must_name_the_bucket(call: Call) -> None:
    _run(call, "CreateBucket", Bucket="pol")
    for resource in ("arn:aws:s3:::other/*", "arn:aws:s3:::polx"):
        with pytest.raises(MalformedPolicy) as raised:
            _run(call, "PutBucketPolicy", Bucket="pol", Policy=_policy(resource))
        assert raised.value.message == "Policy has invalid resource"
    with pytest.raises(MalformedPolicy):
        _run(call, "PutBucketPolicy", Bucket="pol", Policy="not json")


def test_empty_bucket_policy_body_is_malformed(call: Call) -> None:
    # Found by tests/e2e/test_fuzz_server.py: an empty body parses to no Policy at all and
    # answered InternalError. AWS: MalformedPolicy, "Policies must be valid JSON and the
    # first byte must be '{'" (LocalStack's test_bucket_policy_exc snapshot,
    # put-empty-bucket-policy).
    _run(call, "CreateBucket", Bucket="pol")
    for params in ({}, {"Policy": ""}, {"Policy": b""}):
        with pytest.raises(MalformedPolicy) as raised:
            _run(call, "PutBucketPolicy", Bucket="pol", **params)
        assert raised.value.message == "Policies must be valid JSON and the first byte must be '{'"


def test_public_access_block(call: Call, conforms: Conforms) -> None:
    _run(call, "CreateBucket", Bucket="pab")
    flags = ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")
    out = _run(call, "GetPublicAccessBlock", conforms, Bucket="pab")
    assert out == {"PublicAccessBlockConfiguration": dict.fromkeys(flags, True)}  # the default since 2023
    _run(call, "PutPublicAccessBlock", Bucket="pab", PublicAccessBlockConfiguration={"BlockPublicAcls": True})
    out = _run(call, "GetPublicAccessBlock", Bucket="pab")["PublicAccessBlockConfiguration"]
    assert out == {**dict.fromkeys(flags, False), "BlockPublicAcls": True}
    _run(call, "DeletePublicAccessBlock", Bucket="pab")
    _run(call, "DeletePublicAccessBlock", Bucket="pab")  # idempotent
    with pytest.raises(NoSuchPublicAccessBlockConfiguration):
        _run(call, "GetPublicAccessBlock", Bucket="pab")


def test_ownership_controls(call: Call, conforms: Conforms) -> None:
    _run(call, "CreateBucket", Bucket="own")
    out = _run(call, "GetBucketOwnershipControls", conforms, Bucket="own")
    assert out == {"OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}}
    _run(
        call,
        "PutBucketOwnershipControls",
        Bucket="own",
        OwnershipControls={"Rules": [{"ObjectOwnership": "ObjectWriter"}]},
    )
    assert _run(call, "GetBucketOwnershipControls", Bucket="own")["OwnershipControls"]["Rules"] == [
        {"ObjectOwnership": "ObjectWriter"}
    ]
    _run(call, "DeleteBucketOwnershipControls", Bucket="own")
    with pytest.raises(OwnershipControlsNotFoundError):
        _run(call, "GetBucketOwnershipControls", Bucket="own")
    _run(call, "CreateBucket", Bucket="own2", ObjectOwnership="BucketOwnerPreferred")
    rules = _run(call, "GetBucketOwnershipControls", Bucket="own2")["OwnershipControls"]["Rules"]
    assert rules == [{"ObjectOwnership": "BucketOwnerPreferred"}]


def test_list_buckets_pages_with_an_opaque_token(call: Call) -> None:
    # ListBuckets (S3 API Reference): MaxBuckets "Maximum number of buckets to be returned in
    # response"; ContinuationToken "is obfuscated and is not a real bucket"; a token that is
    # not one is refused as ListObjectsV2 refuses one ("The continuation token provided is
    # incorrect", InvalidArgument, recorded from AWS in LocalStack's snapshots).
    names = ["page-a", "page-b", "page-c"]
    for name in names:
        _run(call, "CreateBucket", Bucket=name)
    seen: list[str] = []
    token = None
    while True:
        page = _run(
            call, "ListBuckets", MaxBuckets=2, Prefix="page-", **({"ContinuationToken": token} if token else {})
        )
        seen += [bucket["Name"] for bucket in page["Buckets"]]
        token = page.get("ContinuationToken")
        if token is None:
            break
        assert token not in names  # obfuscated, not a bucket name
    assert seen == names
    with pytest.raises(InvalidArgument) as raised:
        _run(call, "ListBuckets", ContinuationToken="garbage!")
    assert raised.value.message == "The continuation token provided is incorrect"


def test_creating_an_owned_us_east_1_bucket_again_with_tags_is_a_conflict(call: Call) -> None:
    """Recorded from AWS (LocalStack's test_s3_api snapshot,
    test_create_bucket_with_tags_us_east_1_idempotency): the legacy 200 of us-east-1 holds
    without tags or with an empty list, and keeps the first tags; with tags, the same or
    others, 409 BucketAlreadyOwnedByYou."""
    tagged = {"Tags": [{"Key": "tag1", "Value": "value1"}]}
    _run(call, "CreateBucket", Bucket="tagged", CreateBucketConfiguration=tagged)
    for tags in (tagged, {"Tags": [{"Key": "tag2", "Value": "value2"}]}):
        with pytest.raises(BucketAlreadyOwnedByYou):
            _run(call, "CreateBucket", Bucket="tagged", CreateBucketConfiguration=tags)
    assert _run(call, "CreateBucket", Bucket="tagged")["Location"] == "/tagged"
    assert _run(call, "CreateBucket", Bucket="tagged", CreateBucketConfiguration={"Tags": []})["Location"] == "/tagged"
    assert _run(call, "GetBucketTagging", Bucket="tagged")["TagSet"] == tagged["Tags"]


def test_an_empty_object_ownership_header_is_invalid(call: Call) -> None:
    """Recorded from AWS (LocalStack's test_s3_api snapshot, test_bucket_ownership_controls_exc,
    "ownership-non-value-at-creation"): InvalidArgument "Invalid x-amz-object-ownership header: "."""
    with pytest.raises(InvalidArgument) as raised:
        _run(call, "CreateBucket", Bucket="empty-ownership", ObjectOwnership="")
    assert raised.value.message == "Invalid x-amz-object-ownership header: "


def test_create_bucket_refuses_an_aws_tag_key_in_its_own_words(call: Call) -> None:
    """Recorded from AWS (LocalStack's test_s3_api snapshot, test_create_bucket_with_tags_exc,
    "tags-key-aws-prefix"): InvalidTag without a TagKey element."""
    config = {"Tags": [{"Key": "aws:test", "Value": "value"}]}
    with pytest.raises(InvalidTag) as raised:
        _run(call, "CreateBucket", Bucket="aws-tag", CreateBucketConfiguration=config)
    assert raised.value.message == (
        'User-defined tag keys can\'t start with "aws:". This prefix is reserved for system tags. '
        'Remove "aws:" from your tag keys and try again.'
    )
    assert raised.value.fields == {}

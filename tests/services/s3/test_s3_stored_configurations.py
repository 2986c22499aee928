"""Bucket default encryption, CORS and lifecycle kept as stored settings: Put, Get, Delete,
S3's validation errors, the IAM action of each write, and the default encryption a new
object reports.

AWS pages, cited per test: Amazon S3 API Reference, PutBucketEncryption,
GetBucketEncryption, DeleteBucketEncryption, PutBucketCors, DeleteBucketCors,
PutBucketLifecycleConfiguration, DeleteBucketLifecycle, LifecycleRule,
ServerSideEncryptionByDefault and "Error responses"; Service Authorization Reference,
"Actions, resources, and condition keys for Amazon S3". Error messages marked "recorded"
come from LocalStack's AWS-validated snapshots; the others are S3's words as S3-compatible
servers copy them (unconfirmed, as configuration.py says).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from inprocess_harness import client, open_app, root_keys, user_keys

from iamsandbox.authz.actions import spec_for
from iamsandbox.errors import (
    InvalidArgument,
    InvalidRequest,
    MalformedXML,
    NoSuchBucket,
    NoSuchCORSConfiguration,
    NoSuchLifecycleConfiguration,
    ServiceError,
)

Run = Callable[..., Any]
A = "111111111111"
SSE_S3 = {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}, "BucketKeyEnabled": False}
KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab"
CORS_RULE = {"AllowedMethods": ["GET", "PUT"], "AllowedOrigins": ["https://www.example.com"]}
EXPIRE = {"ID": "expire-logs", "Filter": {"Prefix": "logs/"}, "Status": "Enabled", "Expiration": {"Days": 30}}


def _raises(run: Run, error: type[ServiceError], operation: str, **params: Any) -> ServiceError:
    with pytest.raises(error) as raised:
        run(operation, Bucket="bkt", **params)
    return raised.value


# --- default encryption ----------------------------------------------------------------------


def test_put_encryption_then_get_shows_it_and_delete_resets_to_sse_s3(run: Run) -> None:
    """PutBucketEncryption, GetBucketEncryption; DeleteBucketEncryption: "resets the default
    encryption for the bucket as server-side encryption with Amazon S3 managed keys (SSE-S3)"."""
    assert run("GetBucketEncryption", Bucket="bkt")["ServerSideEncryptionConfiguration"]["Rules"] == [SSE_S3]
    rule = {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": KEY_ID}}
    run("PutBucketEncryption", Bucket="bkt", ServerSideEncryptionConfiguration={"Rules": [rule]})
    assert run("GetBucketEncryption", Bucket="bkt")["ServerSideEncryptionConfiguration"]["Rules"] == [
        {**rule, "BucketKeyEnabled": False}
    ]
    bucket_key = {**rule, "BucketKeyEnabled": True}
    run("PutBucketEncryption", Bucket="bkt", ServerSideEncryptionConfiguration={"Rules": [bucket_key]})
    assert run("GetBucketEncryption", Bucket="bkt")["ServerSideEncryptionConfiguration"]["Rules"] == [bucket_key]
    run("DeleteBucketEncryption", Bucket="bkt")
    run("DeleteBucketEncryption", Bucket="bkt")  # none left: still 204
    assert run("GetBucketEncryption", Bucket="bkt")["ServerSideEncryptionConfiguration"]["Rules"] == [SSE_S3]


@pytest.mark.parametrize("algorithm", ["AES256", "aws:kms", "aws:kms:dsse"])
def test_each_algorithm_is_accepted(run: Run, algorithm: str) -> None:
    """ServerSideEncryptionByDefault: SSEAlgorithm AES256, aws:kms or aws:kms:dsse."""
    rule = {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": algorithm}, "BucketKeyEnabled": False}
    run("PutBucketEncryption", Bucket="bkt", ServerSideEncryptionConfiguration={"Rules": [rule]})
    assert run("GetBucketEncryption", Bucket="bkt")["ServerSideEncryptionConfiguration"]["Rules"] == [rule]


def test_a_kms_key_only_with_a_kms_algorithm(run: Run) -> None:
    """ServerSideEncryptionByDefault: KMSMasterKeyID "can only be used when you set the
    value of SSEAlgorithm as aws:kms or aws:kms:dsse"; the error recorded from AWS."""
    rule = {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256", "KMSMasterKeyID": KEY_ID}}
    error = _raises(run, InvalidArgument, "PutBucketEncryption", ServerSideEncryptionConfiguration={"Rules": [rule]})
    assert error.message == (
        "a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse"
    )
    assert error.fields == {"ArgumentName": "ApplyServerSideEncryptionByDefault"}


@pytest.mark.parametrize(
    "rules",
    [
        [],  # recorded
        [SSE_S3, SSE_S3],  # recorded
        [{"BucketKeyEnabled": True}],
        [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:fsx"}}],
    ],
    ids=["no-rule", "two-rules", "no-default", "other-algorithm"],
)
def test_malformed_encryption(run: Run, rules: list[dict[str, Any]]) -> None:
    """PutBucketEncryption: one rule with a default algorithm, else MalformedXML ("Error responses")."""
    error = _raises(run, MalformedXML, "PutBucketEncryption", ServerSideEncryptionConfiguration={"Rules": rules})
    assert error.status == 400
    assert run("GetBucketEncryption", Bucket="bkt")["ServerSideEncryptionConfiguration"]["Rules"] == [SSE_S3]


# --- CORS ------------------------------------------------------------------------------------


def test_put_cors_then_get_returns_the_rules_and_delete_removes_them(run: Run) -> None:
    """PutBucketCors ("If the configuration exists, Amazon S3 replaces it"), GetBucketCors,
    DeleteBucketCors; NoSuchCORSConfiguration when there is none ("Error responses")."""
    _raises(run, NoSuchCORSConfiguration, "GetBucketCors")
    full = {
        "ID": "web",
        "AllowedHeaders": ["*"],
        "AllowedMethods": ["GET", "HEAD", "POST", "PUT", "DELETE"],
        "AllowedOrigins": ["https://*.example.com"],
        "ExposeHeaders": ["ETag", "x-amz-request-id"],
        "MaxAgeSeconds": 3000,
    }
    run("PutBucketCors", Bucket="bkt", CORSConfiguration={"CORSRules": [full, CORS_RULE]})
    assert run("GetBucketCors", Bucket="bkt") == {"CORSRules": [full, CORS_RULE]}
    run("PutBucketCors", Bucket="bkt", CORSConfiguration={"CORSRules": [CORS_RULE]})
    assert run("GetBucketCors", Bucket="bkt") == {"CORSRules": [CORS_RULE]}
    run("DeleteBucketCors", Bucket="bkt")
    run("DeleteBucketCors", Bucket="bkt")
    error = _raises(run, NoSuchCORSConfiguration, "GetBucketCors")
    assert (error.status, error.message, error.fields) == (
        404,
        "The CORS configuration does not exist",
        {"BucketName": "bkt"},
    )


def test_at_most_100_cors_rules(run: Run) -> None:
    """PutBucketCors / CORSConfiguration: "You can add up to 100 rules to the configuration"."""
    run("PutBucketCors", Bucket="bkt", CORSConfiguration={"CORSRules": [CORS_RULE] * 100})
    assert len(run("GetBucketCors", Bucket="bkt")["CORSRules"]) == 100
    _raises(run, MalformedXML, "PutBucketCors", CORSConfiguration={"CORSRules": [CORS_RULE] * 101})
    _raises(run, MalformedXML, "PutBucketCors", CORSConfiguration={"CORSRules": []})


@pytest.mark.parametrize("missing", ["AllowedMethods", "AllowedOrigins"])
def test_a_cors_rule_needs_methods_and_origins(run: Run, missing: str) -> None:
    """CORSRule: AllowedMethods and AllowedOrigins are required."""
    rule = {name: value for name, value in CORS_RULE.items() if name != missing}
    _raises(run, MalformedXML, "PutBucketCors", CORSConfiguration={"CORSRules": [rule]})


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        (
            {**CORS_RULE, "AllowedMethods": ["GET", "PATCH"]},
            "Found unsupported HTTP method in CORS config. Unsupported method is PATCH",
        ),
        (
            {**CORS_RULE, "AllowedOrigins": ["https://*.example.*"]},
            'AllowedOrigin "https://*.example.*" can not have more than one wildcard.',
        ),
        (
            {**CORS_RULE, "AllowedHeaders": ["x-*-*"]},
            'AllowedHeader "x-*-*" can not have more than one wildcard.',
        ),
        (
            {**CORS_RULE, "ExposeHeaders": ["*"]},
            'ExposeHeader "*" contains wildcard. We currently do not support wildcard for ExposeHeader.',
        ),
    ],
    ids=["method", "origin", "header", "expose"],
)
def test_invalid_cors_rules(run: Run, rule: dict[str, Any], message: str) -> None:
    """CORSRule: "Valid values are GET, PUT, HEAD, POST, and DELETE"; S3's InvalidRequest."""
    error = _raises(run, InvalidRequest, "PutBucketCors", CORSConfiguration={"CORSRules": [rule]})
    assert (error.status, error.message) == (400, message)
    _raises(run, NoSuchCORSConfiguration, "GetBucketCors")


# --- lifecycle -------------------------------------------------------------------------------


def test_put_lifecycle_then_get_returns_the_rules_and_delete_removes_them(run: Run) -> None:
    """PutBucketLifecycleConfiguration ("Creates a new lifecycle configuration for the
    bucket or replaces an existing lifecycle configuration"), GetBucketLifecycleConfiguration,
    DeleteBucketLifecycle; NoSuchLifecycleConfiguration when there is none."""
    _raises(run, NoSuchLifecycleConfiguration, "GetBucketLifecycleConfiguration")
    archive = {
        "ID": "archive",
        "Filter": {"And": {"Prefix": "data/", "Tags": [{"Key": "tier", "Value": "cold"}], "ObjectSizeGreaterThan": 1}},
        "Status": "Disabled",
        "Transitions": [{"Days": 90, "StorageClass": "GLACIER"}],
        "NoncurrentVersionExpiration": {"NoncurrentDays": 30},
    }
    dated = {
        "ID": "dated",
        "Prefix": "tmp/",  # the deprecated rule-level prefix
        "Status": "Enabled",
        "Expiration": {"Date": datetime(2031, 1, 1, tzinfo=UTC)},
        "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 7},
    }
    out = run(
        "PutBucketLifecycleConfiguration", Bucket="bkt", LifecycleConfiguration={"Rules": [EXPIRE, archive, dated]}
    )
    # "all_storage_classes_128K" is the default (PutBucketLifecycleConfiguration).
    assert out == {"TransitionDefaultMinimumObjectSize": "all_storage_classes_128K"}
    assert run("GetBucketLifecycleConfiguration", Bucket="bkt") == {
        "Rules": [EXPIRE, archive, dated],
        "TransitionDefaultMinimumObjectSize": "all_storage_classes_128K",
    }
    run(
        "PutBucketLifecycleConfiguration",
        Bucket="bkt",
        LifecycleConfiguration={"Rules": [EXPIRE]},
        TransitionDefaultMinimumObjectSize="varies_by_storage_class",
    )
    assert run("GetBucketLifecycleConfiguration", Bucket="bkt") == {
        "Rules": [EXPIRE],
        "TransitionDefaultMinimumObjectSize": "varies_by_storage_class",
    }
    run("DeleteBucketLifecycle", Bucket="bkt")
    run("DeleteBucketLifecycle", Bucket="bkt")
    error = _raises(run, NoSuchLifecycleConfiguration, "GetBucketLifecycleConfiguration")
    assert (error.status, error.message) == (404, "The lifecycle configuration does not exist")


def test_a_rule_without_an_id_gets_one(run: Run) -> None:
    """LifecycleRule: ID "Unique identifier for the rule"; S3 names a rule given none."""
    rule = {key: value for key, value in EXPIRE.items() if key != "ID"}
    run("PutBucketLifecycleConfiguration", Bucket="bkt", LifecycleConfiguration={"Rules": [rule]})
    stored = run("GetBucketLifecycleConfiguration", Bucket="bkt")["Rules"][0]
    assert stored["ID"] and {key: value for key, value in stored.items() if key != "ID"} == rule


def test_at_most_1000_lifecycle_rules(run: Run) -> None:
    """PutBucketLifecycleConfiguration: "can have up to 1,000 rules. This limit is not adjustable"."""
    rules = [{**EXPIRE, "ID": f"rule-{number}"} for number in range(1000)]
    run("PutBucketLifecycleConfiguration", Bucket="bkt", LifecycleConfiguration={"Rules": rules})
    too_many = [*rules, {**EXPIRE, "ID": "one-more"}]
    _raises(run, MalformedXML, "PutBucketLifecycleConfiguration", LifecycleConfiguration={"Rules": too_many})
    _raises(run, MalformedXML, "PutBucketLifecycleConfiguration", LifecycleConfiguration={"Rules": []})
    assert len(run("GetBucketLifecycleConfiguration", Bucket="bkt")["Rules"]) == 1000


def _lifecycle_error(run: Run, error: type[ServiceError], **rule: Any) -> ServiceError:
    return _raises(run, error, "PutBucketLifecycleConfiguration", LifecycleConfiguration={"Rules": [rule]})


def test_rule_ids_are_unique(run: Run) -> None:
    """LifecycleRule ID; AWS's answer to two rules of one ID."""
    rules = [EXPIRE, {**EXPIRE, "Filter": {"Prefix": "other/"}}]
    with pytest.raises(InvalidArgument) as raised:
        run("PutBucketLifecycleConfiguration", Bucket="bkt", LifecycleConfiguration={"Rules": rules})
    assert raised.value.message == "Rule ID must be unique. Found same ID for more than one rule"
    error = _lifecycle_error(run, InvalidArgument, **{**EXPIRE, "ID": "x" * 256})
    assert error.message == "ID length should not exceed allowed limit of 255"


def test_each_rule_needs_an_action(run: Run) -> None:
    """PutBucketLifecycleConfiguration: each rule has "One or more lifecycle transition and
    expiration actions"."""
    error = _lifecycle_error(run, InvalidRequest, ID="idle", Filter={}, Status="Enabled")
    assert (error.status, error.message) == (400, "At least one action needs to be specified in a rule")


@pytest.mark.parametrize(
    "rule",
    [
        {"ID": "r", "Status": "Paused", "Filter": {}, "Expiration": {"Days": 1}},
        {"ID": "r", "Status": "Enabled", "Expiration": {"Days": 1}},
        {"ID": "r", "Status": "Enabled", "Prefix": "a/", "Filter": {"Prefix": "a/"}, "Expiration": {"Days": 1}},
        {
            "ID": "r",
            "Status": "Enabled",
            "Filter": {"Prefix": "a/", "ObjectSizeLessThan": 5},
            "Expiration": {"Days": 1},
        },
        {"ID": "r", "Status": "Enabled", "Filter": {}, "Expiration": {"Days": 1, "ExpiredObjectDeleteMarker": True}},
        {"ID": "r", "Status": "Enabled", "Filter": {}, "NoncurrentVersionExpiration": {}},
        {"ID": "r", "Status": "Enabled", "Filter": {}, "Expiration": {}},
        {"ID": "r", "Status": "Enabled", "Filter": {}, "Transitions": [{"StorageClass": "GLACIER"}]},
    ],
    ids=[
        "status",
        "no-filter-or-prefix",
        "filter-and-prefix",
        "two-filters",
        "days-and-marker",
        "noncurrent",
        "empty-expiration",
        "transition-without-days",
    ],
)
def test_malformed_lifecycle_rules(run: Run, rule: dict[str, Any]) -> None:
    """LifecycleRule: Status "Enabled | Disabled"; "Filter is required if the LifecycleRule
    does not contain a Prefix element"; LifecycleRuleFilter: "exactly one of Prefix, Tag,
    ObjectSizeGreaterThan, ObjectSizeLessThan, or And"; LifecycleExpiration."""
    _lifecycle_error(run, MalformedXML, **rule)


def test_invalid_lifecycle_values(run: Run) -> None:
    """LifecycleExpiration: Date "The time is always midnight UTC" (recorded error), Days
    "must be a non-zero positive integer"; duplicate And tag keys (recorded)."""
    base = {"ID": "r", "Status": "Enabled", "Filter": {}}
    noon = datetime(2031, 1, 1, 12, tzinfo=UTC)
    error = _lifecycle_error(run, InvalidArgument, **base, Expiration={"Date": noon})
    assert (error.message, error.fields) == (
        "'Date' must be at midnight GMT",
        {"ArgumentName": "Date", "ArgumentValue": "2031-01-01T12:00:00Z"},
    )
    # Transition: Date "The time is always midnight UTC" as well (Transition, S3 API reference).
    error = _lifecycle_error(run, InvalidArgument, **base, Transitions=[{"Date": noon, "StorageClass": "GLACIER"}])
    assert error.message == "'Date' must be at midnight GMT"
    error = _lifecycle_error(run, InvalidArgument, **base, Expiration={"Days": 0})
    assert error.message == "'Days' for Expiration action must be a positive integer"
    tags = [{"Key": "k", "Value": "1"}, {"Key": "k", "Value": "2"}]
    error = _lifecycle_error(run, InvalidRequest, **{**base, "Filter": {"And": {"Tags": tags}}}, Expiration={"Days": 1})
    assert error.message == "Duplicate Tag Keys are not allowed."
    with pytest.raises(InvalidArgument) as raised:
        run(
            "PutBucketLifecycleConfiguration",
            Bucket="bkt",
            LifecycleConfiguration={"Rules": [EXPIRE]},
            TransitionDefaultMinimumObjectSize="all_storage_classes_64K",
        )
    assert raised.value.fields == {"ArgumentName": "x-amz-transition-default-minimum-object-size"}


# --- the bucket ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("operation", "params"),
    [
        ("PutBucketEncryption", {"ServerSideEncryptionConfiguration": {"Rules": []}}),
        ("DeleteBucketEncryption", {}),
        ("PutBucketCors", {"CORSConfiguration": {"CORSRules": []}}),
        ("DeleteBucketCors", {}),
        ("PutBucketLifecycleConfiguration", {"LifecycleConfiguration": {"Rules": []}}),
        ("DeleteBucketLifecycle", {}),
    ],
)
def test_no_such_bucket_comes_first(run: Run, operation: str, params: dict[str, Any]) -> None:
    """Recorded from AWS (LocalStack's test_s3_default_bucket_encryption_exc): a missing
    bucket is NoSuchBucket even with a malformed body."""
    with pytest.raises(NoSuchBucket):
        run(operation, Bucket="missing", **params)


def test_deleting_the_bucket_deletes_its_configurations(run: Run) -> None:
    """DeleteBucket: a bucket created again under the name starts with S3's defaults."""
    kms = {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}
    run("PutBucketEncryption", Bucket="bkt", ServerSideEncryptionConfiguration={"Rules": [kms]})
    run("PutBucketCors", Bucket="bkt", CORSConfiguration={"CORSRules": [CORS_RULE]})
    run("PutBucketLifecycleConfiguration", Bucket="bkt", LifecycleConfiguration={"Rules": [EXPIRE]})
    run("DeleteBucket", Bucket="bkt")
    run("CreateBucket", Bucket="bkt")
    assert run("GetBucketEncryption", Bucket="bkt")["ServerSideEncryptionConfiguration"]["Rules"] == [SSE_S3]
    _raises(run, NoSuchCORSConfiguration, "GetBucketCors")
    _raises(run, NoSuchLifecycleConfiguration, "GetBucketLifecycleConfiguration")


# --- new objects -----------------------------------------------------------------------------


def test_objects_take_the_bucket_default_encryption(run: Run) -> None:
    """The bucket's default encryption applies to each new object ("Setting default
    server-side encryption behavior for Amazon S3 buckets", S3 User Guide); more in
    test_s3_encryption.py."""
    rule = {
        "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": KEY_ID},
        "BucketKeyEnabled": True,
    }
    run("PutBucketEncryption", Bucket="bkt", ServerSideEncryptionConfiguration={"Rules": [rule]})
    out = run("PutObject", Bucket="bkt", Key="b", Body=b"x")
    assert (out["ServerSideEncryption"], out["SSEKMSKeyId"], out["BucketKeyEnabled"]) == (
        "aws:kms",
        f"arn:aws:kms:us-east-1:{A}:key/{KEY_ID}",
        True,
    )


# --- authorization ---------------------------------------------------------------------------

# Operation -> action: each operation's page in the S3 API Reference (DeleteBucketEncryption:
# "you must have permissions to perform the s3:PutEncryptionConfiguration action";
# DeleteBucketCors: "s3:PutBucketCORS"; DeleteBucketLifecycle: "a user must have the
# s3:PutLifecycleConfiguration permission") and the Service Authorization Reference.
ACTIONS = {
    "PutBucketEncryption": "s3:PutEncryptionConfiguration",
    "DeleteBucketEncryption": "s3:PutEncryptionConfiguration",
    "PutBucketCors": "s3:PutBucketCORS",
    "DeleteBucketCors": "s3:PutBucketCORS",
    "PutBucketLifecycleConfiguration": "s3:PutLifecycleConfiguration",
    "DeleteBucketLifecycle": "s3:PutLifecycleConfiguration",
}


@pytest.mark.parametrize("operation", sorted(ACTIONS))
def test_the_action_of_each_write(operation: str) -> None:
    spec = spec_for("s3", operation)
    assert spec is not None and spec.action == ACTIONS[operation]


def test_over_the_wire_with_boto3(tmp_path: Path) -> None:
    """The operations through the request path (in process): XML both ways, a lifecycle
    Date round trip, and a user whose policy allows only s3:PutBucketCORS is denied
    s3:PutEncryptionConfiguration with S3's AccessDenied message."""
    app = open_app(tmp_path, A)
    owner = client(app, "s3", root_keys(app, A))
    owner.create_bucket(Bucket="wire")
    rule = {"ID": "d", "Filter": {"Prefix": ""}, "Status": "Enabled", "Expiration": {"Date": datetime(2031, 1, 1)}}
    owner.put_bucket_lifecycle_configuration(Bucket="wire", LifecycleConfiguration={"Rules": [rule]})
    got = owner.get_bucket_lifecycle_configuration(Bucket="wire")
    assert got["Rules"][0]["Expiration"]["Date"] == datetime(2031, 1, 1, tzinfo=UTC)
    assert got["TransitionDefaultMinimumObjectSize"] == "all_storage_classes_128K"
    owner.put_bucket_cors(Bucket="wire", CORSConfiguration={"CORSRules": [CORS_RULE]})
    assert owner.get_bucket_cors(Bucket="wire")["CORSRules"] == [CORS_RULE]
    with pytest.raises(ClientError) as malformed:
        owner.put_bucket_cors(
            Bucket="wire", CORSConfiguration={"CORSRules": [{**CORS_RULE, "AllowedMethods": ["OPTIONS"]}]}
        )
    assert malformed.value.response["Error"]["Code"] == "InvalidRequest"

    iam = client(app, "iam", root_keys(app, A))
    iam.create_user(UserName="cors-admin")
    policy = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:PutBucketCORS", "Resource": "arn:aws:s3:::wire"}],
    }
    iam.put_user_policy(UserName="cors-admin", PolicyName="cors", PolicyDocument=json.dumps(policy))
    user = client(app, "s3", user_keys(app, A, "cors-admin"))
    user.delete_bucket_cors(Bucket="wire")
    with pytest.raises(ClientError) as denied:
        user.put_bucket_encryption(
            Bucket="wire",
            ServerSideEncryptionConfiguration={
                "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}]
            },
        )
    assert denied.value.response["Error"]["Code"] == "AccessDenied"
    assert denied.value.response["Error"]["Message"] == (
        f"User: arn:aws:iam::{A}:user/cors-admin is not authorized to perform: s3:PutEncryptionConfiguration on "
        'resource: "arn:aws:s3:::wire" because no identity-based policy allows the s3:PutEncryptionConfiguration'
        " action"
    )

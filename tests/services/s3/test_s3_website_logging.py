"""Bucket website and server access logging settings kept as S3 keeps them: Put, Get,
Delete, S3's validation errors, and the IAM action of each operation.

AWS pages, cited per test: Amazon S3 API Reference, PutBucketWebsite, GetBucketWebsite,
DeleteBucketWebsite, WebsiteConfiguration, IndexDocument, RoutingRule, Redirect,
PutBucketLogging, GetBucketLogging, LoggingEnabled and "Error responses"
(InvalidTargetBucketForLogging, CrossLocationLoggingProhibitted,
NoSuchWebsiteConfiguration); Service Authorization Reference, "Actions, resources, and
condition keys for Amazon S3". Messages marked "recorded" are AWS's as LocalStack's
AWS-validated snapshots keep them; the others are unconfirmed (website_logging.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from inprocess_harness import client, open_app, root_keys, user_keys
from services_harness import TRUSTED, TRUSTING

from iamsandbox.authz.actions import spec_for
from iamsandbox.errors import (
    AccessControlListNotSupported,
    CrossLocationLoggingProhibitted,
    InvalidArgument,
    InvalidRequest,
    InvalidTargetBucketForLogging,
    MalformedXML,
    NoSuchBucket,
    NoSuchWebsiteConfiguration,
    ServiceError,
)
from iamsandbox.store import SqlStore

Run = Callable[..., Any]
A = "111111111111"
INDEX = {"Suffix": "index.html"}
SITE = {
    "IndexDocument": INDEX,
    "ErrorDocument": {"Key": "error.html"},
    "RoutingRules": [
        {
            "Condition": {"KeyPrefixEquals": "docs/"},
            "Redirect": {"ReplaceKeyPrefixWith": "documents/", "HttpRedirectCode": "301"},
        },
        {"Condition": {"HttpErrorCodeReturnedEquals": "404"}, "Redirect": {"HostName": "example.com"}},
    ],
}


def _raises(run: Run, error: type[ServiceError], operation: str, **params: Any) -> ServiceError:
    with pytest.raises(error) as raised:
        run(operation, Bucket="bkt", **params)
    return raised.value


# --- website ---------------------------------------------------------------------------------


def test_put_website_then_get_returns_it_and_delete_removes_it(run: Run) -> None:
    """PutBucketWebsite, GetBucketWebsite; DeleteBucketWebsite ("This action removes the
    website configuration for a bucket. Amazon S3 returns a 200 OK response upon successfully
    deleting a website configuration on the specified bucket. You will get a 200 OK response
    if the website configuration you are trying to delete does not exist on the bucket");
    NoSuchWebsiteConfiguration when there is none ("Error responses", 404)."""
    error = _raises(run, NoSuchWebsiteConfiguration, "GetBucketWebsite")
    assert error.status == 404
    run("PutBucketWebsite", Bucket="bkt", WebsiteConfiguration=SITE)
    assert run("GetBucketWebsite", Bucket="bkt") == SITE
    run("PutBucketWebsite", Bucket="bkt", WebsiteConfiguration={"IndexDocument": {"Suffix": "home.htm"}})
    assert run("GetBucketWebsite", Bucket="bkt") == {"IndexDocument": {"Suffix": "home.htm"}}  # replaced
    run("DeleteBucketWebsite", Bucket="bkt")
    run("DeleteBucketWebsite", Bucket="bkt")  # none left: still a success
    _raises(run, NoSuchWebsiteConfiguration, "GetBucketWebsite")


def test_redirect_all_requests_needs_no_index_document(run: Run) -> None:
    """PutBucketWebsite: "Because all requests are sent to another website, you don't need
    to provide index document name for the bucket"."""
    redirect = {"RedirectAllRequestsTo": {"HostName": "www.example.com", "Protocol": "https"}}
    run("PutBucketWebsite", Bucket="bkt", WebsiteConfiguration=redirect)
    assert run("GetBucketWebsite", Bucket="bkt") == redirect


def test_an_index_document_is_required_without_redirect_all(run: Run) -> None:
    """PutBucketWebsite: with routing rules "the website configuration must provide an index
    document"; the error recorded."""
    error = _raises(run, InvalidArgument, "PutBucketWebsite", WebsiteConfiguration={"ErrorDocument": {"Key": "e"}})
    assert error.message == "A value for IndexDocument Suffix must be provided if RedirectAllRequestsTo is empty"
    assert error.fields == {"ArgumentName": "IndexDocument", "ArgumentValue": "null"}
    _raises(run, NoSuchWebsiteConfiguration, "GetBucketWebsite")  # nothing was kept


@pytest.mark.parametrize("suffix", ["", "a/index.html", "/"])
def test_the_index_suffix_must_not_be_empty_nor_hold_a_slash(run: Run, suffix: str) -> None:
    """IndexDocument: "The suffix must not be empty and must not include a slash character";
    the error recorded."""
    error = _raises(
        run, InvalidArgument, "PutBucketWebsite", WebsiteConfiguration={"IndexDocument": {"Suffix": suffix}}
    )
    assert error.message == "The IndexDocument Suffix is not well formed"
    assert error.fields["ArgumentName"] == "IndexDocument"
    assert error.status == 400


def test_redirect_all_requests_stands_alone(run: Run) -> None:
    """WebsiteConfiguration, RedirectAllRequestsTo: "If you specify this property, you can't
    specify any other property"; the error recorded."""
    both = {"RedirectAllRequestsTo": {"HostName": "example.com"}, "IndexDocument": INDEX}
    error = _raises(run, InvalidArgument, "PutBucketWebsite", WebsiteConfiguration=both)
    assert error.message == "RedirectAllRequestsTo cannot be provided in conjunction with other Routing Rules."
    assert error.fields == {"ArgumentName": "RedirectAllRequestsTo", "ArgumentValue": "not null"}


@pytest.mark.parametrize(
    ("rules", "error", "message"),
    [
        ([], MalformedXML, None),
        ([{"Condition": {"KeyPrefixEquals": "a/"}}], MalformedXML, None),  # RoutingRule: Redirect is required
        (
            [{"Redirect": {"ReplaceKeyWith": "a", "ReplaceKeyPrefixWith": "b"}}],
            InvalidRequest,
            "You can only define ReplaceKeyPrefix or ReplaceKey but not both.",
        ),
        (
            [{"Condition": {}, "Redirect": {"HostName": "example.com"}}],
            InvalidRequest,
            "Condition cannot be empty. To redirect all requests without a condition, the condition element"
            " shouldn't be present.",
        ),
        (
            [{"Redirect": {"HostName": "example.com"}}] * 51,
            InvalidRequest,
            "51 routing rules provided, the number of routing rules in a website configuration is limited to 50.",
        ),
    ],
    ids=["no-rule", "no-redirect", "both-replacements", "empty-condition", "51-rules"],
)
def test_invalid_routing_rules(run: Run, rules: list[dict[str, Any]], error: type[ServiceError], message: str) -> None:
    """RoutingRule, Redirect ("ReplaceKeyPrefixWith ... Can be present only if ReplaceKeyWith
    is not provided"), Condition; "You can have up to 50 routing rules" (S3 User Guide,
    "Configuring redirects"). Messages recorded except the 50 rules' (unconfirmed)."""
    raised = _raises(
        run, error, "PutBucketWebsite", WebsiteConfiguration={"IndexDocument": INDEX, "RoutingRules": rules}
    )
    if message is not None:
        assert raised.message == message


def test_a_routing_rule_without_condition_is_kept(run: Run) -> None:
    """RoutingRule: Condition is optional ("the condition element shouldn't be present" to
    redirect all requests)."""
    site = {"IndexDocument": INDEX, "RoutingRules": [{"Redirect": {"HostName": "example.com", "Protocol": "http"}}]}
    run("PutBucketWebsite", Bucket="bkt", WebsiteConfiguration=site)
    assert run("GetBucketWebsite", Bucket="bkt") == site


# --- logging ---------------------------------------------------------------------------------


def test_put_logging_then_get_returns_it_and_an_empty_status_turns_it_off(run: Run) -> None:
    """PutBucketLogging ("To enable logging, you use LoggingEnabled and its children request
    elements. To disable logging, you use an empty BucketLoggingStatus request element"),
    GetBucketLogging (no LoggingEnabled when logging is off). A bucket may log to itself
    (LoggingEnabled: "any bucket that you own, including the same bucket that is being
    logged")."""
    assert run("GetBucketLogging", Bucket="bkt") == {}
    enabled = {"TargetBucket": "bkt", "TargetPrefix": "logs/"}
    run("PutBucketLogging", Bucket="bkt", BucketLoggingStatus={"LoggingEnabled": enabled})
    assert run("GetBucketLogging", Bucket="bkt") == {"LoggingEnabled": enabled}
    partitioned = {
        **enabled,
        "TargetObjectKeyFormat": {"PartitionedPrefix": {"PartitionDateSource": "EventTime"}},
    }
    run("PutBucketLogging", Bucket="bkt", BucketLoggingStatus={"LoggingEnabled": partitioned})
    assert run("GetBucketLogging", Bucket="bkt") == {"LoggingEnabled": partitioned}
    run("PutBucketLogging", Bucket="bkt", BucketLoggingStatus={})
    assert run("GetBucketLogging", Bucket="bkt") == {}
    run("PutBucketLogging", Bucket="bkt", BucketLoggingStatus={})  # already off: still a success


def test_an_absent_prefix_is_kept_empty(run: Run) -> None:
    """LoggingEnabled: TargetPrefix (recorded: S3 answers an empty prefix when none was given)."""
    run("PutBucketLogging", Bucket="bkt", BucketLoggingStatus={"LoggingEnabled": {"TargetBucket": "bkt"}})
    assert run("GetBucketLogging", Bucket="bkt")["LoggingEnabled"] == {"TargetBucket": "bkt", "TargetPrefix": ""}


def test_the_target_bucket_must_exist(run: Run) -> None:
    """ "Error responses": InvalidTargetBucketForLogging, 400, "The target bucket for logging
    does not exist, is not owned by you, ..." (the message recorded)."""
    status = {"LoggingEnabled": {"TargetBucket": "no-such-bucket", "TargetPrefix": ""}}
    error = _raises(run, InvalidTargetBucketForLogging, "PutBucketLogging", BucketLoggingStatus=status)
    assert (error.code, error.status) == ("InvalidTargetBucketForLogging", 400)
    assert error.message == "The target bucket for logging does not exist"
    assert error.fields == {"TargetBucket": "no-such-bucket"}
    assert run("GetBucketLogging", Bucket="bkt") == {}


def test_the_target_bucket_must_be_the_same_accounts(run: Run, store: SqlStore) -> None:
    """PutBucketLogging: "To set the logging status of a bucket, you must be the bucket
    owner"; "Error responses": InvalidTargetBucketForLogging when the target "is not owned by
    you" (message unconfirmed)."""
    with store.transaction() as tx:
        tx.create_bucket("elsewhere-logs", TRUSTED, "us-east-1")
    status = {"LoggingEnabled": {"TargetBucket": "elsewhere-logs", "TargetPrefix": ""}}
    error = _raises(run, InvalidTargetBucketForLogging, "PutBucketLogging", BucketLoggingStatus=status)
    assert error.status == 400
    assert error.fields == {"TargetBucket": "elsewhere-logs"}


def test_the_target_bucket_must_be_in_the_same_region(run: Run, store: SqlStore) -> None:
    """PutBucketLogging: "All logs are saved to buckets in the same AWS Region as the source
    bucket"; "Error responses": CrossLocationLoggingProhibitted, 403 (message recorded)."""
    with store.transaction() as tx:
        tx.create_bucket("ireland-logs", TRUSTING, "eu-west-1")
    status = {"LoggingEnabled": {"TargetBucket": "ireland-logs", "TargetPrefix": ""}}
    error = _raises(run, CrossLocationLoggingProhibitted, "PutBucketLogging", BucketLoggingStatus=status)
    assert (error.code, error.status) == ("CrossLocationLoggingProhibitted", 403)
    assert error.message == "Cross S3 location logging not allowed. "
    assert error.fields == {"TargetBucketLocation": "eu-west-1"}


def test_no_target_grants_with_acls_disabled(run: Run) -> None:
    """PutBucketLogging: "If the target bucket for log delivery uses the bucket owner enforced
    setting for S3 Object Ownership, you can't use the Grantee request element to grant
    access to others" (every new bucket's setting; the message unconfirmed)."""
    grant = {
        "Grantee": {"Type": "Group", "URI": "http://acs.amazonaws.com/groups/global/AllUsers"},
        "Permission": "READ",
    }
    status = {"LoggingEnabled": {"TargetBucket": "bkt", "TargetPrefix": "", "TargetGrants": [grant]}}
    _raises(run, AccessControlListNotSupported, "PutBucketLogging", BucketLoggingStatus=status)


@pytest.mark.parametrize(
    ("operation", "params"),
    [
        ("PutBucketWebsite", {"WebsiteConfiguration": {}}),
        ("GetBucketWebsite", {}),
        ("DeleteBucketWebsite", {}),
        ("PutBucketLogging", {"BucketLoggingStatus": {"LoggingEnabled": {"TargetBucket": "x"}}}),
        ("GetBucketLogging", {}),
    ],
)
def test_no_such_bucket_comes_first(run: Run, operation: str, params: dict[str, Any]) -> None:
    """ "Error responses": NoSuchBucket, 404, before any check of the body."""
    with pytest.raises(NoSuchBucket):
        run(operation, Bucket="missing-bucket", **params)


def test_deleting_the_bucket_deletes_its_settings(run: Run) -> None:
    """DeleteBucket: the settings go with the bucket; a bucket of the same name made again
    has none."""
    run("PutBucketWebsite", Bucket="bkt", WebsiteConfiguration=SITE)
    run("PutBucketLogging", Bucket="bkt", BucketLoggingStatus={"LoggingEnabled": {"TargetBucket": "bkt"}})
    run("DeleteBucket", Bucket="bkt")
    run("CreateBucket", Bucket="bkt")
    _raises(run, NoSuchWebsiteConfiguration, "GetBucketWebsite")
    assert run("GetBucketLogging", Bucket="bkt") == {}


# --- authorization ---------------------------------------------------------------------------

# Service Authorization Reference for S3: each operation's own action (DeleteBucketWebsite:
# "Grants permission to remove the website configuration for a bucket", s3:DeleteBucketWebsite).
ACTIONS = {
    "PutBucketWebsite": "s3:PutBucketWebsite",
    "GetBucketWebsite": "s3:GetBucketWebsite",
    "DeleteBucketWebsite": "s3:DeleteBucketWebsite",
    "PutBucketLogging": "s3:PutBucketLogging",
    "GetBucketLogging": "s3:GetBucketLogging",
}


@pytest.mark.parametrize("operation", sorted(ACTIONS))
def test_the_action_of_each_operation(operation: str) -> None:
    spec = spec_for("s3", operation)
    assert spec is not None and spec.action == ACTIONS[operation] and spec.resource.kind == "bucket"


def test_over_the_wire_with_boto3(tmp_path: Path) -> None:
    """The operations through the request path (in process): XML both ways (RoutingRules,
    an empty BucketLoggingStatus), and a user allowed only the Get actions is denied
    s3:PutBucketWebsite and s3:DeleteBucketWebsite with S3's AccessDenied message
    (PutBucketWebsite: "This PUT action requires the S3:PutBucketWebsite permission")."""
    app = open_app(tmp_path, A)
    owner = client(app, "s3", root_keys(app, A))
    owner.create_bucket(Bucket="wire")
    owner.create_bucket(Bucket="wire-logs")
    owner.put_bucket_website(Bucket="wire", WebsiteConfiguration=SITE)
    got = owner.get_bucket_website(Bucket="wire")
    assert {name: got[name] for name in SITE} == SITE
    owner.put_bucket_logging(
        Bucket="wire", BucketLoggingStatus={"LoggingEnabled": {"TargetBucket": "wire-logs", "TargetPrefix": "w/"}}
    )
    assert owner.get_bucket_logging(Bucket="wire")["LoggingEnabled"] == {
        "TargetBucket": "wire-logs",
        "TargetPrefix": "w/",
    }
    with pytest.raises(ClientError) as missing:
        owner.put_bucket_logging(
            Bucket="wire", BucketLoggingStatus={"LoggingEnabled": {"TargetBucket": "nowhere", "TargetPrefix": ""}}
        )
    assert missing.value.response["Error"]["Code"] == "InvalidTargetBucketForLogging"
    assert missing.value.response["Error"]["TargetBucket"] == "nowhere"
    assert missing.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    owner.put_bucket_logging(Bucket="wire", BucketLoggingStatus={})
    assert "LoggingEnabled" not in owner.get_bucket_logging(Bucket="wire")

    iam = client(app, "iam", root_keys(app, A))
    iam.create_user(UserName="site-reader")
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": ["s3:GetBucketWebsite", "s3:GetBucketLogging"],
                "Resource": "arn:aws:s3:::wire",
            }
        ],
    }
    iam.put_user_policy(UserName="site-reader", PolicyName="read", PolicyDocument=json.dumps(policy))
    user = client(app, "s3", user_keys(app, A, "site-reader"))
    assert user.get_bucket_website(Bucket="wire")["IndexDocument"] == INDEX
    assert "LoggingEnabled" not in user.get_bucket_logging(Bucket="wire")
    for call, action in (
        (lambda: user.put_bucket_website(Bucket="wire", WebsiteConfiguration=SITE), "s3:PutBucketWebsite"),
        (lambda: user.delete_bucket_website(Bucket="wire"), "s3:DeleteBucketWebsite"),
        (lambda: user.put_bucket_logging(Bucket="wire", BucketLoggingStatus={}), "s3:PutBucketLogging"),
    ):
        with pytest.raises(ClientError) as denied:
            call()
        assert denied.value.response["Error"]["Code"] == "AccessDenied"
        assert denied.value.response["Error"]["Message"] == (
            f"User: arn:aws:iam::{A}:user/site-reader is not authorized to perform: {action} on resource: "
            f'"arn:aws:s3:::wire" because no identity-based policy allows the {action} action'
        )

"""LookupEvents (CloudTrail API Reference: LookupEvents, LookupAttribute, Event; "Viewing
CloudTrail Events with the AWS CLI"; "Working with CloudTrail event history"): filters,
paging, time ranges, Regions, the 90 days, the errors; and which calls are management
events ("Logging data events", CloudTrail User Guide)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from trail_harness import ALICE, NOW, ROOT_A, SESSION_A, TRUSTED, TRUSTING, Lookup, later, recorded

from iamsandbox.services.cloudtrail.errors import (
    InvalidEventCategoryException,
    InvalidLookupAttributesException,
    InvalidMaxResultsException,
    InvalidNextTokenException,
    InvalidTimeRangeException,
)
from iamsandbox.services.cloudtrail.events import is_management_event

ROLE_ARN = f"arn:aws:iam::{TRUSTING}:role/Reader"
USER_ARN = f"arn:aws:iam::{TRUSTING}:user/bob"


def _history(lookup: Lookup) -> None:
    """Five events in A, a minute apart: CreateUser (root), CreateBucket (session),
    GetRole (root), PutBucketPolicy (session), ListUsers (root)."""
    base = recorded(ROOT_A, "iam", "CreateUser", {"UserName": "bob"}, {}, resource_arn=USER_ARN)
    lookup.write(
        base,
        later(
            recorded(
                SESSION_A, "s3", "CreateBucket", {"Bucket": "b1"}, {}, key="ASIAEXAMPLE", resource_arn="arn:aws:s3:::b1"
            ),
            1,
        ),
        later(recorded(ROOT_A, "iam", "GetRole", {"RoleName": "Reader"}, {}, resource_arn=ROLE_ARN), 2),
        later(
            recorded(
                SESSION_A,
                "s3",
                "PutBucketPolicy",
                {"Bucket": "b1", "Policy": "{}"},
                {},
                key="ASIAEXAMPLE",
                resource_arn="arn:aws:s3:::b1",
            ),
            3,
        ),
        later(recorded(ROOT_A, "iam", "ListUsers", {}, {}, resource_arn="*"), 4),
    )


def _names(out: dict[str, Any]) -> list[str]:
    return [event["EventName"] for event in out["Events"]]


def test_newest_first_and_only_the_caller_s_account(lookup: Lookup) -> None:
    """ "The events list is sorted by time, with the latest event listed first"; an account
    sees its own events only."""
    _history(lookup)
    assert _names(lookup(TRUSTING)) == ["ListUsers", "PutBucketPolicy", "GetRole", "CreateBucket", "CreateUser"]
    assert lookup(TRUSTED)["Events"] == []


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("EventName", "GetRole", ["GetRole"]),
        ("EventSource", "s3.amazonaws.com", ["PutBucketPolicy", "CreateBucket"]),
        ("ReadOnly", "true", ["ListUsers", "GetRole"]),
        ("ReadOnly", "false", ["PutBucketPolicy", "CreateBucket", "CreateUser"]),
        ("Username", "root", ["ListUsers", "GetRole", "CreateUser"]),
        ("Username", "alice-session", ["PutBucketPolicy", "CreateBucket"]),
        ("AccessKeyId", "ASIAEXAMPLE", ["PutBucketPolicy", "CreateBucket"]),
        ("ResourceType", "AWS::S3::Bucket", ["PutBucketPolicy", "CreateBucket"]),
        ("ResourceName", "Reader", ["GetRole"]),
        ("ResourceType", "AWS::IAM::User", ["CreateUser"]),
        ("EventName", "getrole", []),  # "Value names are case sensitive"
    ],
)
def test_one_lookup_attribute(lookup: Lookup, key: str, value: str, expected: list[str]) -> None:
    """The AWS CLI's attribute lookup examples ("Viewing CloudTrail Events with the AWS CLI"):
    EventName, EventSource, ReadOnly ("returns write events" for false), Username ("root"),
    AccessKeyId, ResourceType (AWS::S3::Bucket), ResourceName."""
    _history(lookup)
    out = lookup(TRUSTING, LookupAttributes=[{"AttributeKey": key, "AttributeValue": value}])
    assert _names(out) == expected


def test_event_id_lookup(lookup: Lookup) -> None:
    _history(lookup)
    some = lookup(TRUSTING)["Events"][2]
    out = lookup(TRUSTING, LookupAttributes=[{"AttributeKey": "EventId", "AttributeValue": some["EventId"]}])
    assert out["Events"] == [some]


def test_more_than_one_attribute_is_refused(lookup: Lookup) -> None:
    """ "Currently the list can contain only one item" (LookupEvents)."""
    two = [
        {"AttributeKey": "EventName", "AttributeValue": "GetRole"},
        {"AttributeKey": "Username", "AttributeValue": "root"},
    ]
    with pytest.raises(InvalidLookupAttributesException):
        lookup(TRUSTING, LookupAttributes=two)
    with pytest.raises(InvalidLookupAttributesException):
        lookup(TRUSTING, LookupAttributes=[{"AttributeKey": "Region", "AttributeValue": "x"}])


def test_paging_with_max_results_and_next_token(lookup: Lookup) -> None:
    """MaxResults 1..50 (default 50); "If no NextToken entry appears in the output, there
    are no more results"; a token is for "the same parameters as in the previous command"."""
    _history(lookup)
    seen: list[str] = []
    out = lookup(TRUSTING, MaxResults=2)
    pages = 1
    while True:
        seen += _names(out)
        if "NextToken" not in out:
            break
        out = lookup(TRUSTING, MaxResults=2, NextToken=out["NextToken"])
        pages += 1
    assert pages == 3
    assert seen == ["ListUsers", "PutBucketPolicy", "GetRole", "CreateBucket", "CreateUser"]
    token = lookup(TRUSTING, MaxResults=2)["NextToken"]
    with pytest.raises(InvalidNextTokenException):
        lookup(
            TRUSTING,
            MaxResults=2,
            NextToken=token,
            LookupAttributes=[{"AttributeKey": "Username", "AttributeValue": "root"}],
        )
    with pytest.raises(InvalidNextTokenException):
        lookup(TRUSTING, NextToken="not-a-token")


@pytest.mark.parametrize("bad", [0, 51])
def test_max_results_out_of_range(lookup: Lookup, bad: int) -> None:
    with pytest.raises(InvalidMaxResultsException):
        lookup(TRUSTING, MaxResults=bad)


def test_time_range(lookup: Lookup) -> None:
    """StartTime: "events that occur after or at the specified time"; EndTime: "before or
    at"; a start after the end is an error (InvalidTimeRangeException)."""
    _history(lookup)
    out = lookup(TRUSTING, StartTime=NOW + timedelta(minutes=1), EndTime=NOW + timedelta(minutes=3))
    assert _names(out) == ["PutBucketPolicy", "GetRole", "CreateBucket"]
    with pytest.raises(InvalidTimeRangeException):
        lookup(TRUSTING, StartTime=NOW + timedelta(minutes=3), EndTime=NOW)


def test_only_the_last_90_days_and_the_request_s_region(lookup: Lookup) -> None:
    """ "You can look up events that occurred in a Region within the last 90 days"; IAM's
    events are in us-east-1 (global service events, "Logging IAM and AWS STS API calls")."""
    old = recorded(ROOT_A, "iam", "CreateUser", {"UserName": "old"}, {}, when=NOW - timedelta(days=91))
    lookup.write(old)
    lookup.write(recorded(ROOT_A, "s3", "CreateBucket", {"Bucket": "eu"}, {}, region="eu-west-1"))
    assert lookup(TRUSTING)["Events"] == []
    assert _names(lookup(TRUSTING, region="eu-west-1")) == ["CreateBucket"]


def test_insight_category_is_empty_and_others_refused(lookup: Lookup) -> None:
    _history(lookup)
    assert lookup(TRUSTING, EventCategory="insight")["Events"] == []
    with pytest.raises(InvalidEventCategoryException):
        lookup(TRUSTING, EventCategory="management")


def test_a_cross_account_event_is_found_in_both_accounts_by_shared_resource(lookup: Lookup) -> None:
    """The role's account finds the AssumeRole of another account's user by the role."""
    lookup.write(
        recorded(ALICE, "sts", "AssumeRole", {"RoleArn": ROLE_ARN, "RoleSessionName": "s"}, {}, resource_arn=ROLE_ARN)
    )
    by_role = [{"AttributeKey": "ResourceName", "AttributeValue": "Reader"}]
    assert _names(lookup(TRUSTING, LookupAttributes=by_role)) == ["AssumeRole"]
    assert _names(lookup(TRUSTED, LookupAttributes=by_role)) == ["AssumeRole"]


@pytest.mark.parametrize(
    ("service", "operation", "management"),
    [
        ("iam", "CreateUser", True),
        ("iam", "ListUsers", True),
        ("sts", "AssumeRole", True),
        ("sts", "GetCallerIdentity", True),
        ("organizations", "CreateOrganization", True),
        ("cloudtrail", "LookupEvents", True),
        ("s3", "CreateBucket", True),
        ("s3", "PutBucketPolicy", True),
        ("s3", "ListBuckets", True),
        ("s3", "GetObject", False),
        ("s3", "PutObject", False),
        ("s3", "DeleteObject", False),
        ("s3", "ListObjectsV2", False),
    ],
)
def test_management_events(service: str, operation: str, management: bool) -> None:
    """ "Logging data events": "Amazon S3 object-level API activity (for example, GetObject,
    DeleteObject, and PutObject API operations)" are data events, which "The CloudTrail
    Event history doesn't record" ("Amazon S3 CloudTrail events", S3 User Guide); IAM and
    STS: "CloudTrail captures all API calls for IAM and AWS STS" (IAM User Guide)."""
    assert is_management_event(service, operation) is management

"""CloudTrail event history against a real server: the calls made with boto3 and the AWS CLI
are read back with LookupEvents.

AWS pages: "Working with CloudTrail event history" (management events of the last 90 days,
per account and Region), "CloudTrail record contents" and "CloudTrail userIdentity element"
(the event document), "Logging data events" (S3 object-level calls are data events, not in
event history), the CloudTrail API Reference's LookupEvents; DESIGN.md's "audit: one event
per call (both accounts for a cross-account call)".
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from e2e_harness import ROLE_ARN, A, B, Server, _client, _set_up, aws_cli


def _events(server: Server, keys: dict[str, str], **lookup: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = _client(server, "cloudtrail", keys).lookup_events(**lookup)["Events"]
    return found


def _by_name(server: Server, keys: dict[str, str], name: str) -> list[dict[str, Any]]:
    attribute = {"AttributeKey": "EventName", "AttributeValue": name}
    return _events(server, keys, LookupAttributes=[attribute])


def test_iam_calls_are_in_the_accounts_event_history(server: Server) -> None:
    """A management event per IAM call, with who made it ("CloudTrail userIdentity element":
    an IAM user's type IAMUser, its ARN, account and access key) and what it asked."""
    root_a = server.create_account(A)
    iam_a = _client(server, "iam", root_a)
    iam_a.create_user(UserName="admin")
    iam_a.attach_user_policy(UserName="admin", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
    key = iam_a.create_access_key(UserName="admin")["AccessKey"]
    admin = {"AccessKeyId": key["AccessKeyId"], "SecretAccessKey": key["SecretAccessKey"]}
    _client(server, "iam", admin).create_user(UserName="carol", Path="/team/")

    events = [event for event in _by_name(server, root_a, "CreateUser") if event["Username"] == "admin"]
    assert len(events) == 1
    event = events[0]
    assert event["EventSource"] == "iam.amazonaws.com"
    assert event["AccessKeyId"] == key["AccessKeyId"]
    assert event["ReadOnly"] == "false"
    record = json.loads(event["CloudTrailEvent"])
    assert record["eventName"] == "CreateUser"
    assert record["eventSource"] == "iam.amazonaws.com"
    assert record["recipientAccountId"] == A
    assert record["userIdentity"]["type"] == "IAMUser"
    assert record["userIdentity"]["arn"] == f"arn:aws:iam::{A}:user/admin"
    assert record["userIdentity"]["accountId"] == A
    assert record["requestParameters"]["userName"] == "carol"
    assert record["eventType"] == "AwsApiCall"


def test_no_secret_reaches_event_history(server: Server) -> None:
    """CloudTrail never records a secret access key or a password: CreateAccessKey's event
    has the key's id, not its secret; CreateLoginProfile's has no password."""
    root_a = server.create_account(A)
    iam_a = _client(server, "iam", root_a)
    iam_a.create_user(UserName="dana")
    secret = iam_a.create_access_key(UserName="dana")["AccessKey"]["SecretAccessKey"]
    iam_a.create_login_profile(UserName="dana", Password="Correct-Horse-9-battery")
    documents = [event["CloudTrailEvent"] for event in _events(server, root_a)]
    assert any('"CreateAccessKey"' in document for document in documents)
    assert all(secret not in document for document in documents)
    assert all("Correct-Horse-9-battery" not in document for document in documents)


def test_a_cross_account_assume_role_is_in_both_accounts_history(server: Server) -> None:
    """DESIGN.md: "one event per call (both accounts for a cross-account call)", as CloudTrail
    delivers an AssumeRole of another account's role to the caller's and the role's account
    (with a sharedEventID); the role session's S3 reads are data events, in neither."""
    keys = _set_up(server)
    sts = _client(server, "sts", keys)
    credentials = sts.assume_role(RoleArn=ROLE_ARN, RoleSessionName="alice")["Credentials"]
    session = {"AccessKeyId": credentials["AccessKeyId"], "SecretAccessKey": credentials["SecretAccessKey"]}
    s3 = _client(server, "s3", session, credentials["SessionToken"])
    s3.get_object(Bucket="shared-bucket", Key="report.csv")

    in_a = _by_name(server, server.roots[A], "AssumeRole")
    in_b = _by_name(server, server.roots[B], "AssumeRole")
    assert len(in_a) == 1 and len(in_b) == 1
    record_a, record_b = json.loads(in_a[0]["CloudTrailEvent"]), json.loads(in_b[0]["CloudTrailEvent"])
    assert record_a["recipientAccountId"] == A and record_b["recipientAccountId"] == B
    # The caller's account sees its user; the role's account sees the calling account only
    # (the cross-account AssumeRole example of "CloudTrail userIdentity element").
    assert record_b["userIdentity"]["arn"] == f"arn:aws:iam::{B}:user/alice"
    assert record_a["userIdentity"]["type"] == "AWSAccount"
    assert record_a["userIdentity"]["accountId"] == B
    assert record_a["requestParameters"]["roleArn"] == ROLE_ARN
    assert record_a["requestParameters"]["roleSessionName"] == "alice"
    assert record_a.get("sharedEventID") and record_a["sharedEventID"] == record_b.get("sharedEventID")
    assert credentials["SecretAccessKey"] not in in_a[0]["CloudTrailEvent"]
    assert _by_name(server, server.roots[A], "GetObject") == []


def test_a_refused_call_is_recorded_with_its_error(server: Server) -> None:
    """ "CloudTrail record contents": errorCode and errorMessage "if the request returns an
    error"; a denied attempt is in event history as AccessDenied."""
    keys = _set_up(server)
    with pytest.raises(ClientError):
        _client(server, "iam", keys).create_user(UserName="intruder")
    events = [event for event in _by_name(server, server.roots[B], "CreateUser") if event["Username"] == "alice"]
    assert len(events) == 1  # (the set-up's CreateUser calls were the root user's)
    record = json.loads(events[0]["CloudTrailEvent"])
    assert record["errorCode"] == "AccessDenied"
    assert "iam:CreateUser" in record["errorMessage"]


def test_lookup_events_is_authorized(server: Server) -> None:
    """cloudtrail:LookupEvents (Service Authorization Reference): a user without it is refused."""
    keys = _set_up(server)  # alice may only assume the role
    with pytest.raises(ClientError) as raised:
        _events(server, keys)
    assert raised.value.response["Error"]["Code"] == "AccessDeniedException"
    assert "cloudtrail:LookupEvents" in raised.value.response["Error"]["Message"]


def test_the_aws_cli_looks_up_events(server: Server, tmp_path: Path) -> None:
    """`aws cloudtrail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=...`
    (AWS CLI Command Reference)."""
    root_a = server.create_account(A)
    _client(server, "iam", root_a).create_group(GroupName="auditors")
    done = aws_cli(
        server,
        tmp_path,
        root_a,
        "cloudtrail",
        "lookup-events",
        "--lookup-attributes",
        "AttributeKey=EventName,AttributeValue=CreateGroup",
    )
    assert done.returncode == 0, done.stderr
    events = json.loads(done.stdout)["Events"]
    assert [event["EventName"] for event in events] == ["CreateGroup"]
    assert json.loads(events[0]["CloudTrailEvent"])["userIdentity"]["type"] == "Root"

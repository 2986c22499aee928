"""The event documents (LookupEvents' CloudTrailEvent) against AWS's recorded examples:
"CloudTrail record contents for management, data, and network activity events" and
"CloudTrail userIdentity element" (CloudTrail User Guide); "Logging IAM and AWS STS API
calls with AWS CloudTrail" (IAM User Guide: the GetUserPolicy, cross-account AssumeRole and
role chaining examples)."""

from __future__ import annotations

import json
from datetime import timedelta

from trail_harness import ALICE, NOW, ROOT_A, SESSION_A, TRUSTED, TRUSTING, Lookup, recorded

from iamsandbox.authz.context import Caller
from iamsandbox.policy.request import PrincipalKind
from iamsandbox.services.cloudtrail.document import build_events

ROLE_ARN = f"arn:aws:iam::{TRUSTING}:role/Reader"
BUCKET_ARN = "arn:aws:s3:::b1"


def test_iam_user_read_event(lookup: Lookup) -> None:
    """The GetUserPolicy example of "Logging IAM and AWS STS API calls with AWS CloudTrail":
    userIdentity type IAMUser, principalId, arn, accountId, accessKeyId, userName;
    requestParameters in camelCase (userName, policyName); responseElements null for a read."""
    lookup.write(
        recorded(
            ALICE,
            "iam",
            "GetUserPolicy",
            {"UserName": "Alice", "PolicyName": "ReadOnly"},
            {"UserName": "Alice", "PolicyName": "ReadOnly", "PolicyDocument": "{}"},
            resource_arn=f"arn:aws:iam::{TRUSTED}:user/Alice",
        )
    )
    [event] = lookup(TRUSTED)["Events"]
    document = json.loads(event["CloudTrailEvent"])
    assert document["userIdentity"] == {
        "type": "IAMUser",
        "principalId": "AIDAJ45Q7YFFAREXAMPLE",
        "arn": f"arn:aws:iam::{TRUSTED}:user/Alice",
        "accountId": TRUSTED,
        "accessKeyId": "AKIAIOSFODNN7EXAMPLE",
        "userName": "Alice",
    }
    assert document["eventSource"] == "iam.amazonaws.com"
    assert document["eventName"] == "GetUserPolicy"
    assert document["awsRegion"] == "us-east-1"
    assert document["eventTime"] == "2026-05-04T12:00:00Z"
    assert document["sourceIPAddress"] == "192.0.2.101"
    assert document["requestParameters"] == {"userName": "Alice", "policyName": "ReadOnly"}
    assert document["responseElements"] is None
    assert document["readOnly"] is True
    assert document["eventType"] == "AwsApiCall"
    assert document["managementEvent"] is True
    assert document["eventCategory"] == "Management"
    assert document["recipientAccountId"] == TRUSTED
    assert document["eventID"] == event["EventId"]
    assert "sharedEventID" not in document
    # LookupEvents' own members ("Viewing CloudTrail Events with the AWS CLI": Lookup Output Fields).
    assert event["EventName"] == "GetUserPolicy"
    assert event["EventSource"] == "iam.amazonaws.com"
    assert event["Username"] == "Alice"
    assert event["ReadOnly"] == "true"
    assert event["AccessKeyId"] == "AKIAIOSFODNN7EXAMPLE"
    assert event["Resources"] == [{"ResourceType": "AWS::IAM::User", "ResourceName": "Alice"}]


def test_role_session_identity(lookup: Lookup) -> None:
    """ "userIdentity with temporary security credentials": type AssumedRole, principalId
    "role-id:session-name", sessionContext.sessionIssuer (type Role, the role's id, ARN,
    account and name as userName) and attributes (mfaAuthenticated, creationDate)."""
    lookup.write(
        recorded(SESSION_A, "s3", "CreateBucket", {"Bucket": "b1"}, {}, key="ASIAEXAMPLE", resource_arn=BUCKET_ARN)
    )
    [document] = lookup.documents(TRUSTING)
    assert document["userIdentity"] == {
        "type": "AssumedRole",
        "principalId": "AROAIDPPEZS35WEXAMPLE:alice-session",
        "arn": f"arn:aws:sts::{TRUSTING}:assumed-role/Reader/alice-session",
        "accountId": TRUSTING,
        "accessKeyId": "ASIAEXAMPLE",
        "sessionContext": {
            "sessionIssuer": {
                "type": "Role",
                "principalId": "AROAIDPPEZS35WEXAMPLE",
                "arn": ROLE_ARN,
                "accountId": TRUSTING,
                "userName": "Reader",
            },
            "attributes": {"mfaAuthenticated": "false", "creationDate": "2026-05-04T11:55:00Z"},
        },
    }
    # S3 names the bucket bucketName (the DeleteBucket example of the IAM User Guide).
    assert document["requestParameters"] == {"bucketName": "b1"}
    assert document["readOnly"] is False


def test_root_identity_and_username(lookup: Lookup) -> None:
    """The root user: type Root, principalId the account id, arn ...:root (the lookup
    example of "Viewing CloudTrail Events with the AWS CLI", Username "root"); with an
    account alias, userName is the alias ("CloudTrail userIdentity element")."""
    lookup.write(
        recorded(
            ROOT_A,
            "iam",
            "CreateUser",
            {"UserName": "bob"},
            {"User": {"UserName": "bob"}},
            resource_arn=f"arn:aws:iam::{TRUSTING}:user/bob",
        )
    )
    [event] = lookup(TRUSTING)["Events"]
    document = json.loads(event["CloudTrailEvent"])
    assert event["Username"] == "root"
    assert document["userIdentity"]["type"] == "Root"
    assert document["userIdentity"]["principalId"] == TRUSTING
    assert document["userIdentity"]["arn"] == f"arn:aws:iam::{TRUSTING}:root"
    assert "userName" not in document["userIdentity"]
    with lookup.store.transaction() as tx:
        tx.set_account_alias(TRUSTING, "example-corp")
    lookup.write(recorded(ROOT_A, "iam", "DeleteUser", {"UserName": "bob"}, {}, when=NOW + timedelta(seconds=1)))
    newest = lookup.documents(TRUSTING)[0]
    assert newest["userIdentity"]["userName"] == "example-corp"


def test_write_results_are_response_elements_without_secrets(lookup: Lookup) -> None:
    """CreateAccessKey's SecretAccessKey and CreateLoginProfile's / ChangePassword's
    passwords never reach a document; a write's result is its responseElements, camelCased,
    dates written as "Jul 18, 2014 4:07:39 PM" (the AssumeRole example's expiration)."""
    created = NOW - timedelta(hours=1)
    secret_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"
    new_key = {
        "UserName": "Alice",
        "AccessKeyId": "AKIANEWKEYEXAMPLE",
        "Status": "Active",
        "SecretAccessKey": secret_key,
        "CreateDate": created,
    }
    profile = {"UserName": "Alice", "CreateDate": created, "PasswordResetRequired": True}
    lookup.write(
        recorded(ALICE, "iam", "CreateAccessKey", {"UserName": "Alice"}, {"AccessKey": new_key}),
        recorded(
            ALICE,
            "iam",
            "CreateLoginProfile",
            {"UserName": "Alice", "Password": "hunter2-Secret!", "PasswordResetRequired": True},
            {"LoginProfile": profile},
            when=NOW + timedelta(seconds=1),
        ),
        recorded(
            ALICE,
            "iam",
            "ChangePassword",
            {"OldPassword": "old-Secret!", "NewPassword": "new-Secret!"},
            {},
            when=NOW + timedelta(seconds=2),
        ),
    )
    events = lookup(TRUSTED)["Events"]
    text = json.dumps(events, default=str)
    for secret in ("wJalrXUtnFEMI", "hunter2-Secret!", "old-Secret!", "new-Secret!"):
        assert secret not in text
    documents = {d["eventName"]: d for d in (json.loads(e["CloudTrailEvent"]) for e in events)}
    assert documents["CreateAccessKey"]["responseElements"]["accessKey"] == {
        "userName": "Alice",
        "accessKeyId": "AKIANEWKEYEXAMPLE",
        "status": "Active",
        "createDate": "May 4, 2026 11:00:00 AM",
    }
    assert documents["CreateLoginProfile"]["requestParameters"] == {"userName": "Alice", "passwordResetRequired": True}
    assert documents["ChangePassword"]["requestParameters"] is None


def test_cross_account_assume_role_makes_one_event_in_each_account(lookup: Lookup) -> None:
    """The cross-account AssumeRole example: the caller's account (B) gets the IAMUser's
    event; the role's account (A) gets one whose userIdentity is {type AWSAccount,
    principalId, accountId of B}; both have the same sharedEventID, requestParameters
    (roleArn, roleSessionName) and responseElements (credentials.accessKeyId and expiration,
    assumedRoleUser.assumedRoleId and arn), never the SecretAccessKey; "resources" names the
    role (ARN, accountId, type AWS::IAM::Role)."""
    session_arn = f"arn:aws:sts::{TRUSTING}:assumed-role/Reader/alice-session"
    credentials = {
        "AccessKeyId": "ASIANEWEXAMPLE",
        "SecretAccessKey": "s3cr3t/Temporary+Key",
        "SessionToken": "FwoGZXIvYXdzEXAMPLETOKEN",
        "Expiration": NOW + timedelta(hours=1),
    }
    call = recorded(
        ALICE,
        "sts",
        "AssumeRole",
        {"RoleArn": ROLE_ARN, "RoleSessionName": "alice-session", "DurationSeconds": 3600},
        {
            "Credentials": credentials,
            "AssumedRoleUser": {"AssumedRoleId": "AROAIDPPEZS35WEXAMPLE:alice-session", "Arn": session_arn},
        },
        resource_arn=ROLE_ARN,
    )
    lookup.write(call)
    [in_b] = lookup.documents(TRUSTED)
    [in_a] = lookup.documents(TRUSTING)
    assert in_b["userIdentity"]["type"] == "IAMUser"
    assert in_a["userIdentity"] == {"type": "AWSAccount", "principalId": "AIDAJ45Q7YFFAREXAMPLE", "accountId": TRUSTED}
    # LookupEvents' summary of A's event tells no more than its record: not B's user name or
    # access key (a review saw both there).
    [summary_a] = lookup(TRUSTING)["Events"]
    assert "Username" not in summary_a and "AccessKeyId" not in summary_a
    [summary_b] = lookup(TRUSTED)["Events"]
    assert summary_b["Username"] == "Alice" and summary_b["AccessKeyId"] == call.access_key_id
    assert in_a["sharedEventID"] == in_b["sharedEventID"]
    assert in_a["eventID"] != in_b["eventID"]
    assert in_a["recipientAccountId"] == TRUSTING
    assert in_b["recipientAccountId"] == TRUSTED
    for document in (in_a, in_b):
        assert document["eventSource"] == "sts.amazonaws.com"
        assert document["requestParameters"] == {
            "roleArn": ROLE_ARN,
            "roleSessionName": "alice-session",
            "durationSeconds": 3600,
        }
        assert document["responseElements"]["credentials"] == {
            "accessKeyId": "ASIANEWEXAMPLE",
            # STS's dates as AWS's recorded events write them, a comma after the year ("Oct 27,
            # 2025, 12:16:57 AM": tests/e2e/test_cloudtrail_review_clients.py cites them).
            "expiration": "May 4, 2026, 1:00:00 PM",
        }
        assert document["responseElements"]["assumedRoleUser"] == {
            "assumedRoleId": "AROAIDPPEZS35WEXAMPLE:alice-session",
            "arn": session_arn,
        }
        assert document["resources"] == [{"ARN": ROLE_ARN, "accountId": TRUSTING, "type": "AWS::IAM::Role"}]
        assert "s3cr3t" not in json.dumps(document)


def test_a_denied_call_has_error_code_and_message(lookup: Lookup) -> None:
    """errorCode and errorMessage when "the request returns an error" ("CloudTrail record
    contents"), and no responseElements. A denied cross-account AssumeRole is in both accounts."""
    message = f"User: arn:aws:iam::{TRUSTED}:user/Alice is not authorized to perform: sts:AssumeRole"
    lookup.write(
        recorded(
            ALICE,
            "sts",
            "AssumeRole",
            {"RoleArn": ROLE_ARN, "RoleSessionName": "s"},
            resource_arn=ROLE_ARN,
            error=("AccessDenied", message),
        )
    )
    for account in (TRUSTED, TRUSTING):
        [document] = lookup.documents(account)
        assert document["errorCode"] == "AccessDenied"
        assert document["errorMessage"] == message
        assert document["responseElements"] is None


def test_web_identity_caller() -> None:
    """AssumeRoleWithWebIdentity: userIdentity type WebIdentityUser, principalId issuer,
    application id and user id, userName the user id, identityProvider the issuer ("Values
    for AWS STS APIs with SAML and Web Identity Federation"); the token is never written."""
    caller = Caller(
        f"arn:aws:iam::{TRUSTING}:oidc-provider/accounts.google.com",
        PrincipalKind.WEB_IDENTITY,
        TRUSTING,
        name="user-id",
    )
    call = recorded(
        caller,
        "sts",
        "AssumeRoleWithWebIdentity",
        {"RoleArn": ROLE_ARN, "RoleSessionName": "web", "WebIdentityToken": "eyJhbGciOiJSUzI1NiJ9.secret"},
        {
            "SubjectFromWebIdentityToken": "user-id",
            "Audience": "app.apps.googleusercontent.com",
            "Provider": "accounts.google.com",
        },
        key=None,
        resource_arn=ROLE_ARN,
    )
    [event] = build_events(call)
    document = json.loads(event.document)
    assert document["userIdentity"] == {
        "type": "WebIdentityUser",
        "principalId": "accounts.google.com:app.apps.googleusercontent.com:user-id",
        "userName": "user-id",
        "identityProvider": "accounts.google.com",
    }
    assert "eyJhbGci" not in event.document
    assert event.account_id == TRUSTING

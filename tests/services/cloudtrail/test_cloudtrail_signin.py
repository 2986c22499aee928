"""Sign-in events (``services/cloudtrail/signin.py``) written through the same ``Trail`` as the
API's calls, against "AWS Management Console sign-in events" (CloudTrail User Guide,
cloudtrail-event-reference-aws-console-sign-in-events): the root user's failed sign-in record
(type Root, arn, accountId, accessKeyId ""; errorMessage "Failed authentication" just before
requestParameters null; responseElements {"ConsoleLogin": "Failure"}; eventType
AwsConsoleSignIn), recorded in us-east-1 ("If you sign in as the root user, CloudTrail records
the event in us-east-1")."""

from __future__ import annotations

import json

from trail_harness import ALICE, NOW, TRUSTED, TRUSTING, Lookup, recorded

from iamsandbox.services.cloudtrail.events import Trail
from iamsandbox.services.cloudtrail.signin import FAILED_AUTHENTICATION, SignIn, root_identity


def _root_failure(account: str) -> SignIn:
    return SignIn(
        time=NOW,
        name="ConsoleLogin",
        account=account,
        identity=root_identity(account),
        username="root",
        source_ip="192.0.2.0",
        user_agent="Mozilla/5.0",
        success=False,
        error_message=FAILED_AUTHENTICATION,
        additional={"LoginTo": "http://127.0.0.1:4599/console/home", "MobileVersion": "No", "MFAUsed": "No"},
    )


def test_a_sign_in_event_is_written_with_the_calls_in_its_account(lookup: Lookup) -> None:
    trail = Trail()
    trail.note(recorded(ALICE, "iam", "CreateGroup", {"GroupName": "g"}, {"Group": {"GroupName": "g"}}))
    trail.note(_root_failure(TRUSTING))
    with lookup.store.transaction() as tx:
        assert trail.write(tx) == 2
    [event] = lookup(TRUSTING)["Events"]  # the API call is in ALICE's account only
    assert (event["EventName"], event["EventSource"], event["Username"], event["ReadOnly"]) == (
        "ConsoleLogin",
        "signin.amazonaws.com",
        "root",
        "false",
    )
    assert event["Resources"] == [] and "AccessKeyId" not in event
    record = json.loads(event["CloudTrailEvent"])
    assert list(record) == [
        "eventVersion",
        "userIdentity",
        "eventTime",
        "eventSource",
        "eventName",
        "awsRegion",
        "sourceIPAddress",
        "userAgent",
        "errorMessage",
        "requestParameters",
        "responseElements",
        "additionalEventData",
        "eventID",
        "readOnly",
        "eventType",
        "managementEvent",
        "recipientAccountId",
        "eventCategory",
    ]
    assert record["userIdentity"] == {
        "type": "Root",
        "principalId": TRUSTING,
        "arn": f"arn:aws:iam::{TRUSTING}:root",
        "accountId": TRUSTING,
        "accessKeyId": "",
    }
    assert record["errorMessage"] == "Failed authentication" and "errorCode" not in record
    assert record["responseElements"] == {"ConsoleLogin": "Failure"}
    assert (record["eventType"], record["awsRegion"], record["eventTime"]) == (
        "AwsConsoleSignIn",
        "us-east-1",
        "2026-05-04T12:00:00Z",
    )
    assert [e["EventName"] for e in lookup(TRUSTED)["Events"]] == ["CreateGroup"]


def test_a_sign_in_events_repr_shows_no_identity() -> None:
    assert repr(_root_failure(TRUSTING)) == f"SignIn(ConsoleLogin Failure in {TRUSTING} at {NOW.isoformat()})"

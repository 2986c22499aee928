"""The console's sign-in events in CloudTrail's event history: what signing in (as an IAM user
or the root user, with or without MFA, rightly or not), switching roles and switching back
leave for LookupEvents, in which account.

AWS pages: CloudTrail User Guide, "Non-API events captured by CloudTrail" ("CloudTrail logs
attempts to sign in to the AWS Management Console ... All IAM user and root user sign-in
events ... generate records in CloudTrail. For sign-in events, the eventType field is
AwsConsoleSignIn") and "AWS Management Console sign-in events"
(cloudtrail-event-reference-aws-console-sign-in-events: the IAM user's success, MFA and
failure records, CheckMfa, the root user's success and failure; "If you sign in as the root
user, CloudTrail records the event in us-east-1"); IAM User Guide, "Logging IAM and AWS STS
API calls with AWS CloudTrail" ("Logging user sign-in events": HIDDEN_DUE_TO_SECURITY_REASONS;
"Example sign-in failure event caused by incorrect user name": "No username found in supplied
account"); the aws-cli example awscli/examples/cloudtrail/lookup-events.rst (a ConsoleLogin
looked up by EventName, its Username). SwitchRole: published records (2020, 2024) of the
role's account, with SwitchFrom and RedirectTo; ExitRole is unconfirmed
(``services/cloudtrail/signin.py``).
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime
from typing import Any

from console_page_harness import (
    PASSWORD,
    ROLE,
    ROLE_ARN,
    ROOT_PASSWORD,
    A,
    B,
    Browser,
    app,
    enable_mfa,
    location,
    totp,
)

from iamsandbox.console.calls import invoke
from iamsandbox.console.session import new_session
from iamsandbox.console.web import Response
from iamsandbox.server.app import App

__all__ = ["app"]

UA = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
HOST = "127.0.0.1:4599"
SIGNIN = "signin.amazonaws.com"


class Firefox(Browser):
    """A browser that sends its User-Agent and the Host it reached."""

    def _send(self, method: str, path: str, query: dict[str, str], body: bytes, headers: dict[str, str]) -> Response:
        return super()._send(method, path, query, body, {**headers, "user-agent": UA, "host": HOST})


def lookup(
    app: App, account: str, now: datetime, key: str = "EventSource", value: str = SIGNIN
) -> list[dict[str, Any]]:
    """LookupEvents in ``account`` (us-east-1) as its root user, with one lookup attribute."""
    at = int(now.timestamp())
    root = replace(new_session(), account_id=account, root=True, signed_in_at=at, expires_at=at + 3600)
    params = {"LookupAttributes": [{"AttributeKey": key, "AttributeValue": value}]}
    answer = invoke(app, root, "cloudtrail", "LookupEvents", params, client_ip="127.0.0.1", now=now)
    return list(answer["Events"])


def records(app: App, account: str, now: datetime) -> list[dict[str, Any]]:
    """The sign-in events' records in ``account``, oldest first."""
    return [json.loads(event["CloudTrailEvent"]) for event in reversed(lookup(app, account, now))]


def everything(app: App, now: datetime) -> str:
    """Every event document of both accounts, as text (to look for what must never be there)."""
    texts = []
    for account in (A, B):
        for source in (SIGNIN, "sts.amazonaws.com", "iam.amazonaws.com"):
            texts.extend(event["CloudTrailEvent"] for event in lookup(app, account, now, value=source))
    return "\n".join(texts)


def test_an_iam_users_sign_in_is_a_console_login_of_the_users_account(app: App) -> None:
    """ "IAM user, successful sign-in without MFA": userIdentity type IAMUser with principalId,
    arn, accountId, userName; eventSource signin.amazonaws.com; requestParameters null;
    responseElements {"ConsoleLogin": "Success"}; additionalEventData LoginTo, MobileVersion,
    MFAUsed "No"; eventType AwsConsoleSignIn; readOnly false, managementEvent true,
    eventCategory Management; no requestID (the published records have none)."""
    browser = Firefox(app)
    assert browser.sign_in().status == 303
    with app.store.read() as tx:
        alice = tx.get_user(B, "alice")
    assert alice is not None
    [event] = lookup(app, B, browser.now)
    assert (event["EventName"], event["EventSource"], event["Username"], event["ReadOnly"]) == (
        "ConsoleLogin",
        SIGNIN,
        "alice",
        "false",
    )
    assert "AccessKeyId" not in event and event["Resources"] == []
    record = json.loads(event["CloudTrailEvent"])
    assert record == {
        "eventVersion": "1.08",
        "userIdentity": {
            "type": "IAMUser",
            "principalId": alice.id,
            "arn": f"arn:aws:iam::{B}:user/alice",
            "accountId": B,
            "userName": "alice",
        },
        "eventTime": "2025-03-01T09:00:00Z",
        "eventSource": SIGNIN,
        "eventName": "ConsoleLogin",
        "awsRegion": "us-east-1",
        "sourceIPAddress": "127.0.0.1",
        "userAgent": UA,
        "requestParameters": None,
        "responseElements": {"ConsoleLogin": "Success"},
        "additionalEventData": {
            "LoginTo": f"http://{HOST}/console/home",
            "MobileVersion": "No",
            "MFAUsed": "No",
        },
        "eventID": event["EventId"],
        "readOnly": False,
        "eventType": "AwsConsoleSignIn",
        "managementEvent": True,
        "recipientAccountId": B,
        "eventCategory": "Management",
    }
    # The members in the published records' order.
    assert list(record)[:12] == [
        "eventVersion",
        "userIdentity",
        "eventTime",
        "eventSource",
        "eventName",
        "awsRegion",
        "sourceIPAddress",
        "userAgent",
        "requestParameters",
        "responseElements",
        "additionalEventData",
        "eventID",
    ]
    assert lookup(app, A, browser.now) == []  # only the account signed in to
    assert PASSWORD not in everything(app, browser.now)


def test_lookup_attributes_find_sign_in_events(app: App) -> None:
    """The aws-cli example "To look up events for a trail" looks up ConsoleLogin by EventName;
    Username, EventName, EventSource and ReadOnly are LookupEvents' attributes (LookupAttribute,
    CloudTrail API Reference)."""
    browser = Firefox(app)
    browser.sign_in()
    now = browser.now
    assert [e["EventName"] for e in lookup(app, B, now, "EventName", "ConsoleLogin")] == ["ConsoleLogin"]
    assert [e["EventName"] for e in lookup(app, B, now, "Username", "alice")] == ["ConsoleLogin"]
    assert "ConsoleLogin" in [e["EventName"] for e in lookup(app, B, now, "ReadOnly", "false")]
    assert "ConsoleLogin" not in [e["EventName"] for e in lookup(app, B, now, "ReadOnly", "true")]


def test_a_wrong_password_is_a_failed_console_login(app: App) -> None:
    """ "IAM user, unsuccessful sign-in": errorMessage "Failed authentication" (no errorCode),
    responseElements {"ConsoleLogin": "Failure"}; the userIdentity has no arn and an empty
    accessKeyId."""
    browser = Firefox(app)
    assert browser.sign_in(password="Wrong-Password-1").status == 401
    with app.store.read() as tx:
        alice = tx.get_user(B, "alice")
    assert alice is not None
    [record] = records(app, B, browser.now)
    assert record["userIdentity"] == {
        "type": "IAMUser",
        "principalId": alice.id,
        "accountId": B,
        "accessKeyId": "",
        "userName": "alice",
    }
    assert record["errorMessage"] == "Failed authentication"
    assert "errorCode" not in record
    assert record["responseElements"] == {"ConsoleLogin": "Failure"}
    assert record["additionalEventData"]["MFAUsed"] == "No"
    assert list(record).index("errorMessage") == list(record).index("requestParameters") - 1
    assert "Wrong-Password-1" not in everything(app, browser.now)


def test_an_unknown_user_name_is_hidden(app: App) -> None:
    """ "AWS does not log the entered IAM user name text when the sign-in failure is caused by
    an incorrect user name. The user name text is masked by the value
    HIDDEN_DUE_TO_SECURITY_REASONS" (for example "You accidentally type your password in the
    user name box"); errorMessage "No username found in supplied account"."""
    browser = Firefox(app)
    assert browser.sign_in(user=PASSWORD, password="alice").status == 401  # the boxes swapped
    [event] = lookup(app, B, browser.now)
    record = json.loads(event["CloudTrailEvent"])
    assert record["userIdentity"] == {
        "type": "IAMUser",
        "accountId": B,
        "accessKeyId": "",
        "userName": "HIDDEN_DUE_TO_SECURITY_REASONS",
    }
    assert record["errorMessage"] == "No username found in supplied account"
    assert record["responseElements"] == {"ConsoleLogin": "Failure"}
    assert event["Username"] == "HIDDEN_DUE_TO_SECURITY_REASONS"  # unconfirmed: LookupEvents' Username here
    assert PASSWORD not in everything(app, browser.now)


def test_an_account_that_does_not_exist_records_nothing(app: App) -> None:
    browser = Firefox(app)
    assert browser.sign_in(account="999999999999").status == 401
    assert browser.sign_in(account="no-such-alias").status == 401
    assert lookup(app, A, browser.now) == [] and lookup(app, B, browser.now) == []


def test_the_root_users_sign_in_and_failure(app: App) -> None:
    """ "Example event records for root users": type Root, arn ...:root, accountId, accessKeyId
    ""; success and "Failed authentication"; recorded in us-east-1. LookupEvents' Username is
    "root", as for the root user's calls."""
    browser = Firefox(app)
    browser.get("/console/signin")
    assert browser.post("/console/signin", signin_type="root", account=B, password="Wrong-Root-1").status == 401
    browser.later(1)
    assert browser.post("/console/signin", signin_type="root", account=B, password=ROOT_PASSWORD).status == 303
    events = lookup(app, B, browser.now)
    assert [e["Username"] for e in events] == ["root", "root"]
    failed, succeeded = (json.loads(e["CloudTrailEvent"]) for e in reversed(events))
    root = {"type": "Root", "principalId": B, "arn": f"arn:aws:iam::{B}:root", "accountId": B, "accessKeyId": ""}
    assert failed["userIdentity"] == root and succeeded["userIdentity"] == root
    assert failed["errorMessage"] == "Failed authentication"
    assert failed["responseElements"] == {"ConsoleLogin": "Failure"}
    assert succeeded["responseElements"] == {"ConsoleLogin": "Success"} and "errorMessage" not in succeeded
    assert succeeded["awsRegion"] == "us-east-1"
    assert succeeded["additionalEventData"]["MFAUsed"] == "No"
    assert ROOT_PASSWORD not in everything(app, browser.now)


def test_a_sign_in_with_mfa_checks_mfa_then_fails_or_succeeds(app: App) -> None:
    """CheckMfa ("the sign-in process checked whether multi-factor authentication (MFA) is
    required"): {"CheckMfa": "Success"}, additionalEventData MfaType ("Virtual MFA" in a
    recorded event, readOnly true); a wrong code is a failed ConsoleLogin and the right one a
    success, both with MFAUsed "Yes" ("IAM user, successful sign-in with MFA"). No code is
    ever written."""
    seed = enable_mfa(app)
    browser = Firefox(app)
    assert location(browser.sign_in()).startswith("/console/signin/mfa")
    right = totp(seed, browser.now)
    wrong = "000000" if right != "000000" else "111111"
    browser.later(1)  # events of one second have no order among them in event history
    assert browser.post("/console/signin/mfa", mfa_code=wrong).status == 401
    browser.later(1)
    assert browser.post("/console/signin/mfa", mfa_code=right).status == 303
    check, failed, succeeded = records(app, B, browser.now)
    assert check["eventName"] == "CheckMfa"
    assert check["responseElements"] == {"CheckMfa": "Success"}
    assert check["additionalEventData"] == {"MfaType": "Virtual MFA"}
    assert check["readOnly"] is True and check["eventType"] == "AwsConsoleSignIn"
    assert check["userIdentity"]["accessKeyId"] == "" and check["userIdentity"]["userName"] == "alice"
    assert (failed["eventName"], failed["responseElements"], failed["errorMessage"]) == (
        "ConsoleLogin",
        {"ConsoleLogin": "Failure"},
        "Failed authentication",
    )
    assert failed["additionalEventData"]["MFAUsed"] == "Yes"
    assert succeeded["responseElements"] == {"ConsoleLogin": "Success"}
    assert succeeded["additionalEventData"]["MFAUsed"] == "Yes"
    assert [e["EventName"] for e in lookup(app, B, browser.now, "ReadOnly", "true") if e["EventSource"] == SIGNIN] == [
        "CheckMfa"
    ]
    text = everything(app, browser.now)
    assert f'"{right}"' not in text and f'"{wrong}"' not in text and seed not in text  # no code as a value


def test_switch_role_is_recorded_in_the_roles_account(app: App) -> None:
    """The published SwitchRole records: in the role's account (recipientAccountId), by the
    role session (type AssumedRole, principalId "role-id:session", arn, accountId), requestParameters
    null, {"SwitchRole": "Success"}, additionalEventData SwitchFrom (the user's ARN) and
    RedirectTo, readOnly false. The AssumeRole behind it is in both accounts ("Logging
    sign-in events for temporary credentials")."""
    browser = Firefox(app)
    browser.sign_in()
    browser.later(1)
    assert browser.post("/console/switchrole", account=A, roleName=ROLE).status == 303
    [event] = lookup(app, A, browser.now)
    assert (event["EventName"], event["Username"], event["ReadOnly"]) == ("SwitchRole", "alice", "false")
    record = json.loads(event["CloudTrailEvent"])
    with app.store.read() as tx:
        role = tx.get_role_by_arn(ROLE_ARN)
    assert role is not None
    assert record["userIdentity"] == {
        "type": "AssumedRole",
        "principalId": f"{role.id}:alice",
        "arn": f"arn:aws:sts::{A}:assumed-role/{ROLE}/alice",
        "accountId": A,
    }
    assert record["requestParameters"] is None
    assert record["responseElements"] == {"SwitchRole": "Success"}
    assert record["additionalEventData"] == {
        "SwitchFrom": f"arn:aws:iam::{B}:user/alice",
        "RedirectTo": f"http://{HOST}/console/home",
    }
    assert (record["eventType"], record["recipientAccountId"], record["readOnly"]) == ("AwsConsoleSignIn", A, False)
    assert [e["EventName"] for e in lookup(app, B, browser.now)] == ["ConsoleLogin"]  # not in the user's
    assert len(lookup(app, A, browser.now, "EventName", "AssumeRole")) == 1
    assert len(lookup(app, B, browser.now, "EventName", "AssumeRole")) == 1
    text = everything(app, browser.now)
    secret = browser.session().role
    assert secret is not None and secret.secret_access_key not in text and secret.session_token not in text


def test_switching_back_is_an_exit_role(app: App) -> None:
    """Unconfirmed record: ExitRole, by the role session, in the role's account (only the
    responseElements member "ExitRole" is known)."""
    browser = Firefox(app)
    browser.sign_in()
    browser.post("/console/switchrole", account=A, roleName=ROLE)
    browser.later(60)
    assert browser.post("/console/switchrole/back").status == 303
    switched, left = records(app, A, browser.now)
    assert (switched["eventName"], left["eventName"]) == ("SwitchRole", "ExitRole")
    assert left["userIdentity"] == switched["userIdentity"]
    assert left["responseElements"] == {"ExitRole": "Success"}
    assert left["recipientAccountId"] == A
    assert [e["Username"] for e in lookup(app, A, browser.now, "EventName", "ExitRole")] == ["alice"]


def test_a_refused_switch_records_only_the_refused_assume_role(app: App) -> None:
    """A switch AssumeRole refuses: its AssumeRole is in the user's account with AccessDenied;
    no SwitchRole anywhere (a failed switch's record was not found)."""
    browser = Firefox(app)
    browser.sign_in()
    assert browser.post("/console/switchrole", account=A, roleName="no-such-role").status == 403
    assert [e["EventName"] for e in lookup(app, A, browser.now)] == []
    assert [e["EventName"] for e in lookup(app, B, browser.now)] == ["ConsoleLogin"]
    [assumed] = lookup(app, B, browser.now, "EventName", "AssumeRole")
    assert json.loads(assumed["CloudTrailEvent"])["errorCode"] == "AccessDenied"

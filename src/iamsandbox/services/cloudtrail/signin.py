"""Console sign-in events: what the web console notes in CloudTrail's event history when
someone signs in, switches to a role or switches back (``eventType`` AwsConsoleSignIn,
``eventSource`` signin.amazonaws.com). They go through the same ``Trail`` as the API's calls
and are written with them (``events.write_events``).

"Non-API events captured by CloudTrail" (CloudTrail User Guide): "CloudTrail logs attempts to
sign in to the AWS Management Console ... All IAM user and root user sign-in events, as well
as all federated user sign-in events, generate records in CloudTrail. For sign-in events, the
eventType field is AwsConsoleSignIn." The records follow "AWS Management Console sign-in
events" (CloudTrail User Guide, cloudtrail-event-reference-aws-console-sign-in-events) and
"Logging IAM and AWS STS API calls with AWS CloudTrail" (IAM User Guide, "Logging user sign-in
events", "Example sign-in events in CloudTrail log"):

- ConsoleLogin: ``requestParameters`` null, ``responseElements`` {"ConsoleLogin": "Success"}
  or "Failure", ``additionalEventData`` {LoginTo, MobileVersion "No", MFAUsed "Yes"/"No"}; a
  failure has ``errorMessage`` "Failed authentication" and no ``errorCode``. An IAM user's
  success names the user (type, principalId, arn, accountId, userName); a failure has no arn
  and an empty accessKeyId; a user name that names no user of the account is
  "HIDDEN_DUE_TO_SECURITY_REASONS" with "No username found in supplied account" ("AWS does
  not log the entered IAM user name text when the sign-in failure is caused by an incorrect
  user name"). The root user's records: type Root, arn, accountId, accessKeyId "".
  "If you sign in as the root user, CloudTrail records the event in us-east-1"; an IAM user's
  sign-in through the global endpoint without an account alias cookie too: here every
  sign-in event is in us-east-1 (the console's only Region).
- CheckMfa: "the sign-in process checked whether multi-factor authentication (MFA) is
  required": {"CheckMfa": "Success"}, additionalEventData {"MfaType": ...}; a recorded
  event (EventBridge's copy) has "readOnly": true and "MfaType": "Virtual MFA".
- SwitchRole: recorded in the role's account, by the role session (type AssumedRole,
  principalId "role-id:session", arn, accountId), {"SwitchRole": "Success"},
  additionalEventData {SwitchFrom: the user's ARN, RedirectTo: the page it opens}, readOnly
  false (published records, 2020 and 2024: not in AWS's guides).
- The members in the published records' order up to eventID, then readOnly, eventType,
  managementEvent, recipientAccountId, eventCategory (the 2024 SwitchRole record's order, and
  this module's API events'; two recorded ConsoleLogin events put eventCategory before
  recipientAccountId: JSON readers do not care). Sign-in records carry no requestID.

Unconfirmed (no AWS page or recorded event found; marked where written): ExitRole (switching
back: only its responseElements member "ExitRole" is known, from a CloudTrail record parser),
so its userIdentity and the absence of additionalEventData here are guesses; a CheckMfa of
the root user; LookupEvents' Username of a hidden user name; the errorMessage of a sign-in
refused because the password expired under HardExpiry; "1.08" as the eventVersion (that of
the published records; AWS may write a later one now). Not recorded: a failed switch
(its AssumeRole is recorded, refused; a SwitchRole "Failure" record was not found), a sign-in
to an account that does not exist (no account to record it in), attempts refused by the
sign-in throttle before any check, and ``tlsDetails`` (the server speaks plain HTTP).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ...protocol.timestamps import iso8601_seconds
from ...store.interface import TrailEvent
from .document import USERNAME_WIDTH, finish_record

SOURCE = "signin.amazonaws.com"
EVENT_VERSION = "1.08"  # the published sign-in records' (unconfirmed for today's records)
REGION = "us-east-1"
HIDDEN = "HIDDEN_DUE_TO_SECURITY_REASONS"
FAILED_AUTHENTICATION = "Failed authentication"
NO_USERNAME = "No username found in supplied account"
VIRTUAL_MFA = "Virtual MFA"


@dataclass(slots=True)
class SignIn:
    """One console sign-in event, ready to be written: the record is built at write time, as
    a ``Recorded`` call's is. It holds what the record shows and nothing more (never a
    password or a code)."""

    time: datetime
    name: str  # ConsoleLogin, CheckMfa, SwitchRole, ExitRole
    account: str  # recipientAccountId
    identity: dict[str, Any]  # userIdentity, as the record shows it
    username: str | None  # LookupEvents' Username
    source_ip: str
    user_agent: str | None
    success: bool
    error_message: str | None = None
    additional: dict[str, str] | None = field(default=None)
    read_only: bool = False

    def __repr__(self) -> str:
        outcome = "Success" if self.success else "Failure"
        return f"SignIn({self.name} {outcome} in {self.account} at {self.time.isoformat()})"


def user_identity(account_id: str, user_id: str, user_arn: str, user_name: str, *, success: bool) -> dict[str, Any]:
    """An IAM user's userIdentity: a success's has the arn; a failure's and CheckMfa's have an
    empty accessKeyId instead (the recorded examples)."""
    if success:
        return {
            "type": "IAMUser",
            "principalId": user_id,
            "arn": user_arn,
            "accountId": account_id,
            "userName": user_name,
        }
    return {
        "type": "IAMUser",
        "principalId": user_id,
        "accountId": account_id,
        "accessKeyId": "",
        "userName": user_name,
    }


def hidden_user_identity(account_id: str) -> dict[str, Any]:
    """The userIdentity of a sign-in whose user name names no user of the account ("Example
    sign-in failure event caused by incorrect user name"): what was typed is never written."""
    return {"type": "IAMUser", "accountId": account_id, "accessKeyId": "", "userName": HIDDEN}


def root_identity(account_id: str, alias: str | None = None) -> dict[str, Any]:
    """The root user's ("Example event records for root users"); principalId the account ID,
    as in the root user's API events, and its alias as userName ("CloudTrail userIdentity
    element": "If the userIdentity type is Root and you set an alias for your account, the
    userName field contains your account alias")."""
    identity: dict[str, Any] = {
        "type": "Root",
        "principalId": account_id,
        "arn": f"arn:aws:iam::{account_id}:root",
        "accountId": account_id,
        "accessKeyId": "",
    }
    if alias:
        identity["userName"] = alias
    return identity


def role_session_identity(account_id: str, assumed_role_id: str, arn: str) -> dict[str, Any]:
    """A SwitchRole's userIdentity: the role session, without accessKeyId or sessionContext
    (the published SwitchRole records)."""
    return {"type": "AssumedRole", "principalId": assumed_role_id, "arn": arn, "accountId": account_id}


def build_sign_in_event(event: SignIn) -> TrailEvent:
    """The record of one sign-in event and its lookup attributes (no resources, no access key)."""
    event_id = str(uuid.uuid4())
    document: dict[str, Any] = {
        "eventVersion": EVENT_VERSION,
        "userIdentity": event.identity,
        "eventTime": iso8601_seconds(event.time),
        "eventSource": SOURCE,
        "eventName": event.name,
        "awsRegion": REGION,
        "sourceIPAddress": event.source_ip,
        "userAgent": event.user_agent or "",
    }
    if event.error_message is not None:
        document["errorMessage"] = event.error_message
    document["requestParameters"] = None
    document["responseElements"] = {event.name: "Success" if event.success else "Failure"}
    if event.additional is not None:
        document["additionalEventData"] = event.additional
    encoded = finish_record(document, event_id, event.read_only, "AwsConsoleSignIn", event.account)
    username = event.username[:USERNAME_WIDTH] if event.username is not None else None
    return TrailEvent(
        event_id=event_id,
        account_id=event.account,
        region=REGION,
        time=event.time,
        name=event.name,
        source=SOURCE,
        read_only=event.read_only,
        username=username,
        access_key_id=None,
        resources=(),
        document=encoded,
    )

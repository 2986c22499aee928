"""The CloudTrail event document (LookupEvents' ``CloudTrailEvent``) of one recorded call.

From "CloudTrail record contents for management, data, and network activity events" and
"CloudTrail userIdentity element" (CloudTrail User Guide), and the recorded examples of
"Logging IAM and AWS STS API calls with AWS CloudTrail" (IAM User Guide):

- userIdentity by caller: ``IAMUser`` (principalId the user's unique id, arn, accountId,
  accessKeyId, userName), ``AssumedRole`` (principalId "role-id:session-name", and a
  sessionContext whose sessionIssuer is the role: type "Role", its id, ARN, account and
  name as userName), ``Root`` (principalId the account id, arn ...:root; "If the userIdentity
  type is Root and you set an alias for your account, the userName field contains your
  account alias"), ``FederatedUser`` (sessionIssuer the IAM user or root who called
  GetFederationToken), ``WebIdentityUser`` / ``SAMLUser`` (principalId, userName and
  identityProvider from the token or assertion); temporary credentials add
  sessionContext.attributes (creationDate, mfaAuthenticated "true"/"false").
- The copy of a cross-account call delivered to the resource's account names the caller as
  ``{"type": "AWSAccount", "principalId": ..., "accountId": ...}`` ("User identity in
  CloudTrail log for the assumed role's account: Account number and principal ID"), and
  both copies carry one ``sharedEventID``.
- requestParameters and responseElements use camelCase member names (``roleArn``,
  ``roleSessionName``, ``assumedRoleUser.assumedRoleId``); S3 names the bucket
  ``bucketName``; dates in responseElements read "Jul 18, 2014 4:07:39 PM" (the AssumeRole
  example's ``credentials.expiration``). responseElements is null for read-only calls
  (the GetUserPolicy example) and on errors.
- Secrets are never written: no password, SAML assertion, web identity token, MFA code,
  private key, secret access key, virtual MFA seed or QR code (left out, member and all).

Known gaps: CloudTrail's ``tlsDetails``, ``sessionCredentialFromConsole``, ``additionalEventData``
(written only in the console's sign-in events: ``signin.py``) and ``vpcEndpointId`` are not
written; the session token of an STS result is left out
(AWS records it; here it is treated as a secret); the S3 ``Host`` request parameter is not
written; which resources an event names follows the table's one target ARN.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ...authz.context import Caller, userid
from ...policy.request import PrincipalKind
from ...protocol.timestamps import MONTHS, TWO_DIGITS, iso8601_seconds
from ...store.interface import TrailEvent

if TYPE_CHECKING:  # events.py imports this module
    from .events import Recorded

EVENT_VERSION = "1.11"
# Member names (lower-cased) never written, in parameters or results.
SECRET_MEMBERS = frozenset(
    {
        "password",
        "newpassword",
        "oldpassword",
        "servicepassword",
        "samlassertion",
        "webidentitytoken",
        "tokencode",
        "authenticationcode1",
        "authenticationcode2",
        "privatekey",
        "secretaccesskey",
        "sessiontoken",
        "base32stringseed",
        "qrcodepng",
    }
)
_READ_PREFIXES = ("Get", "List", "Describe", "Head", "Lookup", "Simulate")
# STS's credential operations as AWS's recorded events mark them: an AssumeRole event is
# "readOnly": true (an AWS lab account's published CloudTrail log), a GetFederationToken one
# false (DataDog/stratus-red-team's events "gathered from a real detonation"). The two other
# AssumeRole operations are taken as AssumeRole is, GetSessionToken as GetFederationToken
# (unrecorded).
_READ_ONLY = {
    "AssumeRole": True,
    "AssumeRoleWithSAML": True,
    "AssumeRoleWithWebIdentity": True,
    "GetFederationToken": False,
    "GetSessionToken": False,
}
# Calls whose event carries their answer although they only read: the credentials they issue
# (without the secret; AWS's AssumeRole and GetFederationToken events show them).
_ANSWERED = frozenset(_READ_ONLY)


def is_read_only(operation: str) -> bool:
    """readOnly: "Identifies whether this operation is a read-only operation" ("CloudTrail
    record contents"): reads are the Get/List/Describe/Head operations (and simulations), and
    STS's credential operations as AWS records them (``_READ_ONLY``)."""
    found = _READ_ONLY.get(operation)
    return operation.startswith(_READ_PREFIXES) if found is None else found


def response_date(moment: datetime, service: str = "iam") -> str:
    """A date in responseElements, as CloudTrail writes it: "Jul 18, 2014 4:07:39 PM" (IAM's
    createDate), and STS's credential expiration with a comma after the year, "Oct 27, 2025,
    12:16:57 AM" (recorded AssumeRole and GetFederationToken events)."""
    hour = moment.hour % 12 or 12
    half = "AM" if moment.hour < 12 else "PM"
    comma = "," if service == "sts" else ""
    return (
        f"{MONTHS[moment.month - 1]} {moment.day}, {moment.year}{comma} {hour}:"
        f"{TWO_DIGITS[moment.minute]}:{TWO_DIGITS[moment.second]} {half}"
    )


_PLAIN = (str, int, float, bool, type(None))
_BYTES = (bytes, bytearray)


def _member(name: str) -> str | None:
    """A member's name as CloudTrail writes it (camelCase), or None for a secret one."""
    if name in _MEMBERS:
        return _MEMBERS[name]
    found = None if name.lower() in SECRET_MEMBERS else name[:1].lower() + name[1:]
    if len(_MEMBERS) < _MEMBERS_KEPT:
        _MEMBERS[name] = found
    return found


# Member names as written, by name: the models' member names are a few thousand; map keys
# (tags are lists, not maps) would be the callers' own, so the memo stops growing at a bound.
_MEMBERS: dict[str, str | None] = {}
_MEMBERS_KEPT = 8192
# One encoder for every document (json.dumps with separators makes a new one per call).
_encode = json.JSONEncoder(separators=(",", ":")).encode
USERNAME_WIDTH = 256  # the longest Username kept for LookupEvents


def finish_record(
    document: dict[str, Any],
    event_id: str,
    read_only: bool,
    event_type: str,
    recipient: str,
    shared: str | None = None,
) -> str:
    """The members every record ends with, in CloudTrail's order (eventID, readOnly,
    eventType, managementEvent, recipientAccountId, sharedEventID when the event is in two
    accounts, eventCategory), and the record as the JSON kept: API calls' and the console's
    sign-in events' (``signin.py``)."""
    document["eventID"] = event_id
    document["readOnly"] = read_only
    document["eventType"] = event_type
    document["managementEvent"] = True
    document["recipientAccountId"] = recipient
    if shared is not None:
        document["sharedEventID"] = shared
    document["eventCategory"] = "Management"
    return _encode(document)


def _clean(value: Any, *, s3: bool = False, top: bool = False, service: str = "") -> Any:
    """``value`` with member names camelCased, secrets and bytes left out, dates written.
    Plain values are tested first by their exact type (most are strings): an isinstance test
    against Mapping goes through the ABC machinery, and events are built by the thousand."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is dict or isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key, item in value.items():
            name = _member(str(key))
            if name is None or type(item) in _BYTES:
                continue
            if top and s3 and name == "bucket":
                out["bucketName"] = item
                continue
            out[name] = _clean(item, s3=s3, service=service)
        return out
    if kind is list or kind is tuple:
        return [_clean(item, s3=s3, service=service) for item in value if type(item) not in _BYTES]
    if kind is datetime:
        return response_date(value, service)
    if isinstance(value, str | int | float | bool):  # subclasses (enums of str)
        return value
    return str(value)


def _attributes(caller: Caller) -> dict[str, str]:
    issued = caller.token_issued
    attributes = {"mfaAuthenticated": "true" if caller.mfa_authenticated is not None else "false"}
    if issued is not None:
        attributes["creationDate"] = iso8601_seconds(issued)
    return attributes


def _name_of(arn: str) -> str:
    return arn.rsplit("/", 1)[-1]


def user_identity(record: Recorded, alias: str | None = None) -> dict[str, Any]:
    """The caller's userIdentity (the module's docstring); ``alias`` the account alias of a
    root caller's account."""
    caller = record.caller
    kind = caller.kind
    if kind is PrincipalKind.WEB_IDENTITY:
        return _federated_identity(record)
    if kind is PrincipalKind.ANONYMOUS:
        return {"type": "AWSAccount", "principalId": "", "accountId": "anonymous"}
    if kind is PrincipalKind.SERVICE:
        return {"type": "AWSService", "invokedBy": caller.arn}
    identity: dict[str, Any] = {
        "type": {
            PrincipalKind.ROOT: "Root",
            PrincipalKind.USER: "IAMUser",
            PrincipalKind.ROLE_SESSION: "AssumedRole",
            PrincipalKind.FEDERATED_USER: "FederatedUser",
        }.get(kind, "Unknown"),
        "principalId": userid(caller) or "",
        "arn": caller.arn,
        "accountId": caller.account,
    }
    if record.access_key_id is not None:
        identity["accessKeyId"] = record.access_key_id
    if kind is PrincipalKind.USER and caller.name is not None:
        identity["userName"] = caller.name
    if kind is PrincipalKind.ROOT and alias:
        identity["userName"] = alias
    context: dict[str, Any] = {}
    if kind is PrincipalKind.ROLE_SESSION:
        role_arn = caller.role_arn or ""
        context["sessionIssuer"] = {
            "type": "Role",
            "principalId": caller.unique_id,
            "arn": role_arn,
            "accountId": caller.account,
            "userName": _name_of(role_arn),
        }
    elif kind is PrincipalKind.FEDERATED_USER:
        issuer_arn = caller.role_arn or f"arn:aws:iam::{caller.account}:root"
        root = caller.role_arn is None
        issuer: dict[str, Any] = {
            "type": "Root" if root else "IAMUser",
            "principalId": caller.account if root else caller.unique_id,
            "arn": issuer_arn,
            "accountId": caller.account,
        }
        if not root:
            issuer["userName"] = _name_of(issuer_arn)
        context["sessionIssuer"] = issuer
    if caller.temporary or caller.mfa_authenticated is not None:
        context["attributes"] = _attributes(caller)
    if caller.source_identity is not None:
        context["sourceIdentity"] = caller.source_identity
    if context:
        identity["sessionContext"] = context
    return identity


def _federated_identity(record: Recorded) -> dict[str, Any]:
    """AssumeRoleWithSAML's SAMLUser and AssumeRoleWithWebIdentity's WebIdentityUser
    ("Values for AWS STS APIs with SAML and Web Identity Federation": principalId the name
    qualifier and subject, or the issuer, application id and user id; userName the subject
    or user id; identityProvider the name qualifier, or the issuer)."""
    caller = record.caller
    result = record.result or {}
    subject = caller.name or ""
    if record.operation == "AssumeRoleWithSAML":
        qualifier = str(result.get("NameQualifier", ""))
        return {
            "type": "SAMLUser",
            "principalId": f"{qualifier}:{subject}",
            "userName": subject,
            "identityProvider": qualifier,
        }
    provider = str(result.get("Provider", "")) or _name_of(caller.arn)
    audience = str(result.get("Audience", ""))
    subject = str(result.get("SubjectFromWebIdentityToken", "")) or subject
    return {
        "type": "WebIdentityUser",
        "principalId": f"{provider}:{audience}:{subject}",
        "userName": subject,
        "identityProvider": provider,
    }


def lookup_username(record: Recorded) -> str | None:
    """LookupEvents' Username: "A user name or role name of the requester" (Event, CloudTrail
    API Reference): the IAM user's name, "root" for the root user (the AWS CLI lookup example,
    "Viewing CloudTrail Events with the AWS CLI"), the session name of a role session or a
    federated user, the subject of a web identity or SAML caller."""
    caller = record.caller
    if caller.kind is PrincipalKind.ROOT:
        return "root"
    if caller.kind is PrincipalKind.ANONYMOUS:
        return None
    return caller.name


_IAM_TYPES = {
    "user": ("AWS::IAM::User", False),
    "role": ("AWS::IAM::Role", False),
    "group": ("AWS::IAM::Group", False),
    "policy": ("AWS::IAM::Policy", True),
    "instance-profile": ("AWS::IAM::InstanceProfile", False),
    "oidc-provider": ("AWS::IAM::OIDCProvider", True),
    "saml-provider": ("AWS::IAM::SAMLProvider", True),
    "mfa": ("AWS::IAM::MfaDevice", True),
    "server-certificate": ("AWS::IAM::ServerCertificate", False),
}
_ORG_TYPES = {
    "account": "AWS::Organizations::Account",
    "ou": "AWS::Organizations::OrganizationalUnit",
    "policy": "AWS::Organizations::Policy",
    "root": "AWS::Organizations::Root",
    "handshake": "AWS::Organizations::Handshake",
    "organization": "AWS::Organizations::Organization",
}


def resources_of(arn: str | None) -> tuple[tuple[str | None, str], ...]:
    """LookupEvents' Resources (ResourceType, ResourceName) of the call's target ARN: IAM
    users, groups and roles by name, policies and providers by ARN, buckets by name,
    Organizations resources by id; none for "*"."""
    if not arn or arn == "*" or not arn.startswith("arn:"):
        return ()
    parts = arn.split(":", 5)
    if len(parts) < 6:
        return ()
    service, resource = parts[2], parts[5]
    if service == "s3":
        bucket = resource.split("/", 1)[0]
        return (("AWS::S3::Bucket", bucket),) if bucket else ()
    kind = resource.split("/", 1)[0]
    if not _name_of(arn):
        return ()  # a path prefix (ListUsers on "user/"): no resource is named
    if service == "iam" and kind in _IAM_TYPES:
        name, by_arn = _IAM_TYPES[kind]
        return ((name, arn if by_arn else _name_of(arn)),)
    if service == "organizations" and kind in _ORG_TYPES:
        return ((_ORG_TYPES[kind], _name_of(arn)),)
    return ((None, arn),)


def build_events(record: Recorded, alias: str | None = None, resource_alive: bool = True) -> list[TrailEvent]:
    """The events of one call: one for the caller's account, and one for the resource's
    account when that is another (``resource_alive``: it exists here)."""
    source = f"{record.service}.amazonaws.com"
    read_only = is_read_only(record.operation)
    resources = resources_of(record.resource_arn)
    identity = user_identity(record, alias)
    recipients: list[str] = []
    if record.caller.account is not None and record.caller.kind is not PrincipalKind.ANONYMOUS:
        recipients.append(record.caller.account)
    other = record.resource_account
    if other and other not in recipients and resource_alive:
        recipients.append(other)
    shared = str(uuid.uuid4()) if len(recipients) > 1 else None
    body: dict[str, Any] = {
        "eventVersion": EVENT_VERSION,
        "userIdentity": identity,
        "eventTime": iso8601_seconds(record.time),
        "eventSource": source,
        "eventName": record.operation,
        "awsRegion": record.region,
        "sourceIPAddress": record.source_ip,
        "userAgent": record.user_agent or "",
    }
    if record.error_code is not None:
        body["errorCode"] = record.error_code
        body["errorMessage"] = record.error_message or ""
    body["requestParameters"] = _clean(record.params, s3=record.service == "s3", top=True) or None
    if record.result is not None and record.error_code is None and (not read_only or record.operation in _ANSWERED):
        body["responseElements"] = _clean(record.result, s3=record.service == "s3", service=record.service) or None
    else:
        body["responseElements"] = None
    if record.service == "sts" and record.resource_arn and ":role/" in record.resource_arn:
        # The AssumeRole examples list the role assumed ("resources": ARN, accountId, type).
        body["resources"] = [
            {"ARN": record.resource_arn, "accountId": record.resource_arn.split(":")[4], "type": "AWS::IAM::Role"}
        ]
    body["requestID"] = record.request_id
    username = lookup_username(record)
    if username is not None:
        username = username[:USERNAME_WIDTH]  # a web identity or SAML subject is the caller's own text
    events = []
    for recipient in recipients:
        event_id = str(uuid.uuid4())
        document = dict(body)
        own = recipient == record.caller.account
        if not own:
            # The other account sees the calling account only: no user name or access key,
            # in the record (the IAM User Guide's cross-account AssumeRole example) nor in
            # LookupEvents' summary of it.
            document["userIdentity"] = {
                "type": "AWSAccount",
                "principalId": identity.get("principalId", ""),
                "accountId": record.caller.account or "anonymous",
            }
        encoded = finish_record(document, event_id, read_only, "AwsApiCall", recipient, shared)
        events.append(
            TrailEvent(
                event_id=event_id,
                account_id=recipient,
                region=record.region,
                time=record.time,
                name=record.operation,
                source=source,
                read_only=read_only,
                username=username if own else None,
                access_key_id=record.access_key_id if own else None,
                resources=resources,
                document=encoded,
                shared_event_id=shared,
            )
        )
    return events

"""The request context: the global condition keys AWS sets for a request.

"AWS global condition context keys"
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html):
- aws:PrincipalArn is the caller's ARN, except that for an assumed-role session it is the
  ARN of the role ("the ARN of the role, not the ARN of the role session");
- aws:PrincipalAccount, aws:PrincipalType ("Account", "User", "FederatedUser",
  "AssumedRole", "Anonymous"); none of aws:PrincipalArn, aws:PrincipalAccount,
  aws:PrincipalType and aws:userid for the unsigned AssumeRoleWithWebIdentity, whose
  caller is an identity provider's token, not an IAM principal;
- aws:userid: the account ID for the root user, the user's unique ID, "role-id:session-name"
  for a role session, "account:caller-specified-name" for a federated user, "anonymous" for
  an anonymous caller ("Principal key values": "Anonymous caller (Amazon SQS, Amazon SNS,
  and Amazon S3 only)", IAM policy elements: Variables and tags);
- aws:username only for IAM users;
- aws:PrincipalTag/* from the user's tags, or the role's tags overridden by session tags;
- aws:MultiFactorAuthPresent and aws:TokenIssueTime only with temporary credentials
  ("This key is not present when an API operation or AWS CLI command is called with
  long-term credentials"), aws:MultiFactorAuthAge only when MFA was used;
- aws:CurrentTime (ISO 8601), aws:EpochTime, aws:SecureTransport, aws:SourceIp,
  aws:RequestedRegion, aws:ResourceAccount, aws:SourceIdentity;
- aws:PrincipalIsAWSService "false" for every signed request ("present in the request
  context for all signed API requests that use AWS credentials. Anonymous requests do not
  include this key"; no AWS service calls here), aws:ViaAWSService "false" ("also returns
  false when the principal makes the call directly ... always included"), aws:UserAgent
  ("always included": the request's User-Agent) and aws:referer (when the request carries
  a Referer header);
- aws:RequestTag/* and aws:TagKeys (a multivalued key) from the tags a request carries;
  aws:ResourceTag/* from the resource's tags.
Service keys (s3:prefix, sts:ExternalId, iam:PolicyARN, ...) come from the operation's
parameters by ``authz.actions``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from ..policy.request import PrincipalKind
from ..protocol.timestamps import iso8601_seconds

# A user's or a role's ARN, whatever its path (the IAM entities iam:ResourceTag is about).
_IAM_ENTITY = re.compile(r"arn:aws:iam::\d{12}:(?:user|role)/")

PRINCIPAL_TYPES = {
    PrincipalKind.ROOT: "Account",
    PrincipalKind.USER: "User",
    PrincipalKind.FEDERATED_USER: "FederatedUser",
    PrincipalKind.ROLE_SESSION: "AssumedRole",
    PrincipalKind.ANONYMOUS: "Anonymous",
}


@dataclass(slots=True, unsafe_hash=True)
class Caller:
    """Who signed the request, as authentication established it."""

    arn: str  # the user, the role session (arn:aws:sts::...:assumed-role/R/s), the root
    kind: PrincipalKind
    account: str | None
    unique_id: str | None = None  # AIDA... for users, AROA... for roles
    name: str | None = None  # the user name, or the session name
    role_arn: str | None = None  # with its path, for role sessions; a federated session's IAM user
    tags: Mapping[str, str] = field(default_factory=dict)  # principal tags, session tags applied
    temporary: bool = False  # signed with STS credentials
    session_token: bool = False  # a GetSessionToken session's (not a console sign-in's)
    token_issued: datetime | None = None
    mfa_authenticated: datetime | None = None  # when MFA was used for these credentials
    source_identity: str | None = None
    transitive_tags: Mapping[str, str] = field(default_factory=dict)  # passed on in a role chain
    # The session's user or role was deleted: a policy naming that ARN now names another
    # principal, or none ("AWS JSON policy elements: Principal": policies hold unique IDs),
    # so the session is named by its account only (``policy.request.Principal.retired``).
    retired: bool = False


def global_keys(
    caller: Caller,
    *,
    now: datetime,
    source_ip: str,
    secure: bool,
    region: str,
    resource_account: str | None = None,
    request_tags: Mapping[str, str] | None = None,
    resource_tags: Mapping[str, str] | None = None,
    resource_arn: str = "",
    user_agent: str | None = None,
    referer: str | None = None,
) -> dict[str, str | list[str]]:
    """The global keys of a request, by their AWS names (the policy engine lower-cases);
    ``resource_tags`` are those of the resource ``resource_arn`` names."""
    keys: dict[str, str | list[str]] = {
        "aws:CurrentTime": iso8601_seconds(now),
        "aws:EpochTime": str(int(now.timestamp())),
        "aws:SecureTransport": "true" if secure else "false",
        "aws:SourceIp": source_ip,
        "aws:RequestedRegion": region,
        "aws:ViaAWSService": "false",
        "aws:UserAgent": user_agent or "",
    }
    if referer is not None:
        keys["aws:referer"] = referer
    if caller.kind in PRINCIPAL_TYPES:
        keys["aws:PrincipalType"] = PRINCIPAL_TYPES[caller.kind]
    # A web identity caller (AssumeRoleWithWebIdentity) is no IAM principal: its request is
    # unsigned, and aws:PrincipalArn and aws:PrincipalAccount are "included in the request
    # context for all signed requests" ("AWS global condition context keys"), so neither is
    # set; the provider's ARN appears only as aws:FederatedProvider (``web_identity``).
    if caller.kind not in (PrincipalKind.ANONYMOUS, PrincipalKind.WEB_IDENTITY):
        keys["aws:PrincipalArn"] = (
            caller.role_arn if caller.kind is PrincipalKind.ROLE_SESSION and caller.role_arn else caller.arn
        )
        keys["aws:PrincipalIsAWSService"] = "false"
        if caller.account is not None:
            keys["aws:PrincipalAccount"] = caller.account
        found = userid(caller)
        if found is not None:
            keys["aws:userid"] = found
    elif caller.kind is PrincipalKind.ANONYMOUS:
        keys["aws:userid"] = "anonymous"
    if caller.kind is PrincipalKind.USER and caller.name is not None:
        keys["aws:username"] = caller.name
    for tag, value in caller.tags.items():
        keys[f"aws:PrincipalTag/{tag}"] = value
    if caller.temporary or caller.mfa_authenticated is not None:  # the latter: MFA in the request
        keys["aws:MultiFactorAuthPresent"] = "true" if caller.mfa_authenticated is not None else "false"
        if caller.token_issued is not None:
            keys["aws:TokenIssueTime"] = iso8601_seconds(caller.token_issued)
    if caller.mfa_authenticated is not None:
        keys["aws:MultiFactorAuthAge"] = str(max(0, int((now - caller.mfa_authenticated).total_seconds())))
    if caller.source_identity is not None:
        keys["aws:SourceIdentity"] = caller.source_identity
    if resource_account is not None:
        keys["aws:ResourceAccount"] = resource_account
    if request_tags is not None:
        keys.update(request_tag_keys(request_tags))
    if resource_tags:
        # IAM's own name for the tags of a user or a role, beside aws:ResourceTag ("Actions,
        # resources, and condition keys for AWS Identity and Access Management":
        # iam:ResourceTag/${TagKey} "Filters access by the tags attached to an IAM entity
        # (user or role)"; the other taggable IAM resources have aws:ResourceTag only).
        entity = _IAM_ENTITY.match(resource_arn) is not None
        for tag, value in resource_tags.items():
            keys[f"aws:ResourceTag/{tag}"] = value
            if entity:
                keys[f"iam:ResourceTag/{tag}"] = value
    return keys


def request_tag_keys(tags: Mapping[str, str]) -> dict[str, str | list[str]]:
    """aws:RequestTag/<key> for each of the tags a request carries, and aws:TagKeys (a list:
    a multivalued key for the engine)."""
    keys: dict[str, str | list[str]] = {f"aws:RequestTag/{tag}": value for tag, value in tags.items()}
    keys["aws:TagKeys"] = list(tags)
    return keys


def userid(caller: Caller) -> str | None:
    """aws:userid, which is also GetCallerIdentity's UserId and a CloudTrail event's
    principalId: the account for the root user, "role-id:session-name" for a role session,
    "account:name" for a federated user, else the unique ID (None when the caller has none)."""
    if caller.kind is PrincipalKind.ROOT:
        return caller.account
    if caller.kind is PrincipalKind.ROLE_SESSION and caller.unique_id and caller.name:
        return f"{caller.unique_id}:{caller.name}"
    if caller.kind is PrincipalKind.FEDERATED_USER and caller.name:
        return f"{caller.account}:{caller.name}"
    return caller.unique_id

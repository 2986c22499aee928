"""GetFederationToken ("GetFederationToken" in the AWS STS API reference; "Permissions for
GetFederationToken", "Compare AWS STS credentials" and "Pass session tags in AWS STS" in
the IAM User Guide).

- "You must call the GetFederationToken operation using the long-term security credentials
  of an IAM user"; the root user may call it too ("Although it is possible to call
  GetFederationToken using the security credentials of an AWS account root user ... we do
  not recommend it"). With session credentials AWS answers AccessDenied "Cannot call
  GetFederationToken with session credentials" (observed: hashicorp/vault#4108,
  fwdcloudsec/granted#151).
- Name: 2 to 32 characters of [\\w+=,.@-] (userNameType in STS's model).
- DurationSeconds: 900 to 129,600 (default 43,200); "Temporary credentials obtained by
  using the root user credentials have a maximum duration of 3,600 seconds"; longer
  requests by the root user default to one hour.
- Policy / PolicyArns: session policies. "In most cases if you do not pass a policy with
  the GetFederationToken API call, the resulting temporary security credentials have no
  permissions"; with them, "the resulting session's permissions are the intersection of
  the user's identity-based policy and the session policies" (the session's identity:
  ``server.identity``, which stands for "no session policy" with a policy allowing
  nothing).
- Tags: session tags; they become the federated user's principal tags, overriding the
  IAM user's tags of the same key (unconfirmed for the case of keys). Passing them needs
  sts:TagSession in the user's policies ("Permissions required to add session tags" in
  "Pass session tags in AWS STS"), checked here on the federated user's ARN, the call's
  resource, with the tags as aws:RequestTag/* and aws:TagKeys.
- Authorization: sts:GetFederationToken on ``arn:aws:sts::ACCOUNT:federated-user/NAME``
  (Service Authorization Reference, resource type federated-user), checked here through
  ``ctx.authorize``: the table's resolver builds IAM ARNs only.
- The answer: FederatedUser {FederatedUserId "ACCOUNT:NAME", Arn}, PackedPolicySize (0
  without a session policy or tags, as AWS answers; AssumeRole then leaves it out).

What the session may not do ("GetFederationToken", Permissions: "You cannot call any IAM
operations using the AWS CLI or the AWS API", "You cannot call any STS operations except
GetCallerIdentity"): ``refuse_federated_user`` guards the IAM and STS handlers.

A session issued to the root user has the root user's implicit permissions as its
identity side, capped by the session policies (``authz.authorize.Session.root``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ...auth.session_token import new_session_claims
from ...errors import (
    AccessDenied,
    ServiceError,
)
from ...policy import PrincipalKind
from ..context import CallContext, Handler
from . import packed
from .assume_role import (
    authorize_tag_session,
    check_session_name,
    session_policy,
    session_policy_arns,
    session_tags,
)
from .credentials import check_duration_range, issued

NAME = re.compile(r"[\w+=,.@-]*", re.ASCII)
USER_DEFAULT = 43200
USER_MAX = 129600
ROOT_MAX = 3600
SESSION_CREDENTIALS = "Cannot call GetFederationToken with session credentials"
# Answered to an IAM call made with federation credentials, or GetSessionToken's without
# MFA: AWS Support's explanation and observed answers (jantman/awslimitchecker#139: "It
# will fail with an invalid token error"; aws/aws-sdk-js#460; IAM's raw ErrorResponse for
# short-term credentials in aws/aws-cli#8918, whose Message has no final period).
IAM_REFUSED = "The security token included in the request is invalid"


def _duration(root: bool, requested: int | None) -> int:
    if requested is not None:
        check_duration_range(requested, 900, USER_MAX)
    if root:
        return min(requested or ROOT_MAX, ROOT_MAX)
    return requested or USER_DEFAULT


def get_federation_token(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    caller = ctx.caller
    if caller.temporary or caller.kind not in (PrincipalKind.USER, PrincipalKind.ROOT):
        raise AccessDenied(SESSION_CREDENTIALS)
    account = caller.account or ctx.account_id
    name = params["Name"]
    check_session_name(name, "name", 32)
    arn = f"arn:aws:sts::{account}:federated-user/{name}"
    ctx.authorize("sts:GetFederationToken", arn, {})
    root = caller.kind is PrincipalKind.ROOT
    duration = _duration(root, params.get("DurationSeconds"))
    policy = session_policy(params.get("Policy"))
    policy_arns = session_policy_arns(ctx, account, params.get("PolicyArns"))
    tags = session_tags(params)
    authorize_tag_session(ctx, arn, tags)
    percent = packed.check(policy, policy_arns, tags)
    claims = new_session_claims(
        account_id=account,
        kind="federated-user",
        principal_arn=arn,
        source_arn=caller.arn,
        source_id=account if root else caller.unique_id or "",
        now=ctx.now,
        duration_seconds=duration,
        session_name=name,
        session_tags=tags,
        session_policy=policy,
        session_policy_arns=policy_arns,
        caller_arn=caller.arn,
    )
    out = issued(ctx, claims, params, percent)
    out["FederatedUser"] = {"FederatedUserId": f"{account}:{name}", "Arn": arn}
    # Always, 0 without a session policy or tags: AWS's answer to GetFederationToken with
    # neither (recorded in localstack's STS snapshot, test_get_federation_token), unlike
    # AssumeRole's, which then leaves it out (test_assume_role there).
    out["PackedPolicySize"] = percent
    return out


Refusal = Callable[[CallContext, dict[str, Any]], ServiceError]


def refuse_federated_user(handler: Handler, error: Refusal, *, session_tokens: bool = False) -> Handler:
    """``handler``, refused (with ``error``) to a federated user's session, and with
    ``session_tokens`` to a GetSessionToken session too: it "Cannot call AWS STS API
    operations except AssumeRole or GetCallerIdentity" ("Compare AWS STS credentials",
    IAM User Guide). A GetSessionToken session is the user's or root user's own identity,
    signed with temporary credentials."""

    def guarded(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
        caller = ctx.caller
        if caller.kind is PrincipalKind.FEDERATED_USER or (
            session_tokens and caller.temporary and caller.kind in (PrincipalKind.USER, PrincipalKind.ROOT)
        ):
            raise error(ctx, params)
        return handler(ctx, params)

    guarded.__name__ = getattr(handler, "__name__", "guarded")
    guarded.__doc__ = handler.__doc__
    return guarded


def sts_refused(action: str, resource_param: str | None) -> Refusal:
    """AccessDenied in AWS's format for an STS operation a federated user may not call
    (the message AWS gives here is unconfirmed)."""

    def error(ctx: CallContext, params: dict[str, Any]) -> ServiceError:
        resource = str(params.get(resource_param, "")) if resource_param else "*"
        return AccessDenied(f"User: {ctx.caller.arn} is not authorized to perform: {action} on resource: {resource}")

    return error

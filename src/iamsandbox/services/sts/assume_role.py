"""AssumeRole ("AssumeRole" in the AWS STS API reference; "Methods to assume a role",
"Session policies", "Passing session tags in AWS STS", "Monitor and control actions taken
with assumed roles" (source identity) in the IAM User Guide).

The pipeline has already decided whether the caller may assume the role (its identity
policies and the role's trust policy, sts:ExternalId and the other condition keys); this
handler checks what STS checks itself, in AWS's words:
- the root user may not assume roles ("Roles may not be assumed by root accounts.");
- RoleArn is an ARN ("X is invalid") naming a role that exists (else AccessDenied, as AWS
  answers for a role that does not exist);
- RoleSessionName matches [\\w+=,.@-]{2,64};
- DurationSeconds (default 3,600) is at most the role's MaxSessionDuration, and at most
  one hour when the caller is itself a role session (role chaining);
- Policy parses as a session policy of at most 2,048 characters; PolicyArns (at most 10)
  name AWS managed policies or customer managed policies of the role's account; their
  packed size with the tags fits (``packed``, an approximation);
- Tags: keys unique whatever their case; TransitiveTagKeys among the Tags' keys; tagging
  needs sts:TagSession and a source identity sts:SetSourceIdentity on the role, checked
  through ``ctx.authorize`` as the reference documents;
- SerialNumber and TokenCode: a valid code of the caller's MFA device.

- role chaining ("Chaining roles with session tags", id_session-tags.html): the calling
  session's transitive tags pass into the new session and stay transitive; a tag passed
  with the same key (whatever its case) fails ("If you try to pass the Heart = 3 session
  tag, the operation will fail"), and inherited tags override the role's own tags.

- SourceIdentity may not begin with aws:, and a chained session keeps the caller's source
  identity: none given inherits it, another one is denied.

- ProvidedContexts: a context assertion is "invalid ... if the context assertion supplied
  in the ProvidedContexts parameter is malformed, has expired, or does not match a trusted
  context provider" (InvalidContextAssertion, AssumeRole reference): no context provider
  (IAM Identity Center's trusted identity propagation) exists here, so every assertion is.
- MinimumSessionTokenSize, SessionTokenSize and SessionTokenUtilization: ``credentials.issued``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ...auth.session_token import new_session_claims
from ...authz.context import request_tag_keys
from ...errors import AccessDenied, InvalidContextAssertion, InvalidParameterValue, LimitExceeded, ValidationError
from ...policy import PolicyKind, PrincipalKind, parse_policy
from ...store.interface import Role
from ..context import CallContext
from . import packed
from .credentials import check_duration_range, issued, mfa_claims, request_mfa_used

SESSION_NAME = re.compile(r"[\w+=,.@-]*", re.ASCII)
DEFAULT_DURATION = 3600
CHAINED_MAX = 3600
MAX_POLICY_ARNS = 10  # "You can provide up to 10 managed policy ARNs" (AssumeRole, PolicyArns)
MAX_POLICY_CHARS = 2048  # "The plaintext ... can't exceed 2,048 characters" (AssumeRole, Policy)

ROOT_REFUSED = "Roles may not be assumed by root accounts."
OVER_MAX = "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."
OVER_CHAINED = "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining."
# Recorded from AWS: LocalStack's test_sts snapshot, test_assume_role_tag_validation.
DUPLICATE_TAGS = "Duplicate tag keys found. Please note that Tag keys are case insensitive."
TRANSITIVE_NOT_IN_TAGS = "The specified transitive tag key must be included in the requested tags."
RESERVED_TAG = "Tag keys starting with 'aws:' are reserved for internal use."  # unconfirmed wording
# SourceIdentity (AssumeRole): "You cannot use a value that begins with the text aws:. This
# prefix is reserved for AWS internal use."
RESERVED_SOURCE_IDENTITY = "SourceIdentity cannot begin with aws:."  # unconfirmed wording
# "The value that is set cannot be changed during the role session" ("Monitor and control
# actions taken with assumed roles"): a chained AssumeRole naming another one is refused, as
# AWS answered it in a recorded run of such a chain (ValidationError, mahitotsu/gekko_08,
# experiments/multi-hop-propagation/RESULTS.md, 2026-09-30). Whether AWS refuses the same
# value named again is unrecorded (it is taken here).
SOURCE_IDENTITY_CHANGED = "The source identity is already set for this assume role session"
# AWS's words for a tag that would override an inherited transitive one (unconfirmed code).
TRANSITIVE_CONFLICT = (
    "One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key"
    " from the calling session."
)


def check_role_arn(arn: str) -> None:
    """Recorded from AWS (LocalStack's test_sts snapshot, test_sts_invalid_parameters):
    ``arn::b:::something/test-role is invalid`` and the like."""
    parts = arn.split(":", 5)
    if len(parts) < 6 or parts[0] != "arn" or not parts[1] or not parts[2] or not parts[5]:
        raise ValidationError(f"{arn} is invalid")


def check_session_name(name: str, member: str = "roleSessionName", longest: int = 64) -> None:
    """A session name (AssumeRole's RoleSessionName; GetFederationToken's Name, 2–32)."""
    if not SESSION_NAME.fullmatch(name):
        raise ValidationError(
            f"1 validation error detected: Value '{name}' at '{member}' failed to satisfy constraint:"
            r" Member must satisfy regular expression pattern: [\w+=,.@-]*"
        )
    if not 2 <= len(name) <= longest:
        bound = "greater than or equal to 2" if len(name) < 2 else f"less than or equal to {longest}"
        raise ValidationError(
            f"1 validation error detected: Value '{name}' at '{member}' failed to satisfy constraint:"
            f" Member must have length {bound}"
        )


def session_duration(ctx: CallContext, role: Role, requested: int | None) -> int:
    duration = DEFAULT_DURATION if requested is None else requested
    check_duration_range(duration, 900, 43200)
    # Role chaining's one hour holds for a role session's call and for a GetSessionToken
    # session's: "The temporary credentials use the AWS STS GetSessionToken API and are
    # limited to one hour" (AWS Knowledge Center, "Can I increase the IAM role chaining
    # session duration limit?"), in AWS's chaining words as recorded in
    # mmmorris1975/aws-runas#11 and coinbase/assume-role#24.
    chained = ctx.caller.kind is PrincipalKind.ROLE_SESSION or ctx.caller.session_token
    if chained and duration > CHAINED_MAX:
        raise ValidationError(OVER_CHAINED)
    if duration > role.max_session_duration:
        raise ValidationError(OVER_MAX)
    return duration


def session_policy(text: str | None) -> str | None:
    if text is None:
        return None
    if len(text) > MAX_POLICY_CHARS:
        # STS's model no longer carries the bound; the wording is the query protocol's
        # (unconfirmed for this member).
        raise ValidationError(
            "1 validation error detected: Value at 'policy' failed to satisfy constraint:"
            f" Member must have length less than or equal to {MAX_POLICY_CHARS}"
        )
    try:
        parse_policy(text, PolicyKind.SESSION)
    except LimitExceeded as error:  # the engine's own size check; not an STS code
        raise ValidationError(error.message) from None
    return text


def session_policy_arns(ctx: CallContext, account_id: str, descriptors: list[dict[str, Any]] | None) -> tuple[str, ...]:
    """Managed session policies: AWS managed ones, or customer managed ones of
    ``account_id`` (the role's account; GetFederationToken: the calling user's)."""
    arns = tuple(str(item.get("arn", "")) for item in descriptors or [])
    if len(arns) > MAX_POLICY_ARNS:
        raise ValidationError(  # unconfirmed wording
            "1 validation error detected: Value at 'policyArns' failed to satisfy constraint:"
            f" Member must have length less than or equal to {MAX_POLICY_ARNS}"
        )
    for arn in arns:
        # "The policies must exist in the same account as the role" (AssumeRole, PolicyArns).
        if arn.startswith("arn:aws:iam::aws:policy/"):
            found = ctx.shared.managed_policies.get(arn) is not None
        else:
            policy = ctx.tx.get_policy(arn)
            found = policy is not None and policy.account_id == account_id
        if not found:
            raise InvalidParameterValue(f"Policy {arn} does not exist or is not attachable.")  # unconfirmed wording
    return arns


def session_tags(params: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """The request's Tags as pairs; keys differing only in case are duplicates."""
    pairs = tuple((str(tag["Key"]), str(tag.get("Value", ""))) for tag in params.get("Tags") or [])
    lowered = [key.lower() for key, _ in pairs]
    if len(set(lowered)) != len(lowered):
        raise InvalidParameterValue(DUPLICATE_TAGS)
    if any(key.startswith("aws:") for key in lowered):
        # "Passing session tags in AWS STS": session tags follow IAM's tag rules, in which
        # the aws: prefix is reserved ("Tagging IAM resources"; any case).
        raise InvalidParameterValue(RESERVED_TAG)
    return pairs


def authorize_tag_session(
    ctx: CallContext,
    arn: str,
    tags: tuple[tuple[str, str], ...],
    transitive: tuple[str, ...] = (),
    inherited: bool = False,
) -> None:
    """Session tags need sts:TagSession, with the tags as aws:RequestTag/* and aws:TagKeys,
    and the transitive ones as sts:TransitiveTagKeys ("Permissions required to add session
    tags", IAM User Guide: "You can use the sts:TagSession action with the following
    condition keys", whose example trust policy limits the transitive keys with it).

    So do a calling session's transitive tags (``inherited``), which the new session takes
    without any passed: AWS refuses a chained AssumeRole into a role whose trust policy does
    not allow sts:TagSession ("is not authorized to perform: sts:TagSession", as its users
    meet it behind EKS Pod Identity, whose session tags are transitive: aws/eks-pod-identity-
    agent#80, mattrobinsonsre/terrapod#1546); the source identity is checked the same way."""
    if not tags and not inherited:
        return
    request_tags = request_tag_keys(dict(tags)) if tags else {}  # inherited only: no aws:TagKeys
    if transitive:
        request_tags["sts:TransitiveTagKeys"] = list(transitive)
    ctx.authorize("sts:TagSession", arn, request_tags)


def requested_tags(params: dict[str, Any]) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    """A request's session Tags and TransitiveTagKeys, checked (every transitive key must be
    one of the tags)."""
    pairs = session_tags(params)
    lowered = [key.lower() for key, _ in pairs]
    transitive = tuple(str(key) for key in params.get("TransitiveTagKeys") or [])
    if any(key.lower() not in lowered for key in transitive):
        raise InvalidParameterValue(TRANSITIVE_NOT_IN_TAGS)
    return pairs, transitive


def _inherit(
    inherited: Mapping[str, str], tags: tuple[tuple[str, str], ...], transitive: tuple[str, ...]
) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    """The new session's tags and transitive keys, with the calling session's transitive tags."""
    if not inherited:
        return tags, transitive
    taken = {key.lower() for key in inherited}
    if any(key.lower() in taken for key, _ in tags):
        raise InvalidParameterValue(TRANSITIVE_CONFLICT)
    return tuple(inherited.items()) + tags, tuple(inherited) + transitive


def assume_role(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    caller = ctx.caller
    if caller.kind is PrincipalKind.ROOT:
        raise AccessDenied(ROOT_REFUSED)
    role_arn = params["RoleArn"]
    check_role_arn(role_arn)
    session_name = params["RoleSessionName"]
    check_session_name(session_name)
    role = ctx.tx.get_role_by_arn(role_arn)
    if role is None:
        # AWS does not tell a missing role from a refused one.
        raise AccessDenied(f"User: {caller.arn} is not authorized to perform: sts:AssumeRole on resource: {role_arn}")
    if params.get("ProvidedContexts"):
        # The reference's description of the error; AWS's own message is unrecorded.
        raise InvalidContextAssertion("The context assertion that was provided is invalid.")
    duration = session_duration(ctx, role, params.get("DurationSeconds"))
    policy = session_policy(params.get("Policy"))
    policy_arns = session_policy_arns(ctx, role.account_id, params.get("PolicyArns"))
    tags, transitive = requested_tags(params)
    authorize_tag_session(ctx, role.arn, tags, transitive, inherited=bool(caller.transitive_tags))
    source_identity = params.get("SourceIdentity")
    if source_identity is not None:
        if source_identity.lower().startswith("aws:"):
            raise ValidationError(RESERVED_SOURCE_IDENTITY)
        if caller.source_identity is not None and source_identity != caller.source_identity:
            raise ValidationError(SOURCE_IDENTITY_CHANGED)
        ctx.authorize("sts:SetSourceIdentity", role.arn, {"sts:SourceIdentity": source_identity})
    elif caller.source_identity is not None:
        # A source identity is passed down a role chain, and each role of the chain must
        # allow it: "permissions for sts:SetSourceIdentity are required in both the
        # permissions policy of the principal who is assuming the role and in the role
        # trust policy of the target role. Otherwise, the assume role operation will fail"
        # ("Monitor and control actions taken with assumed roles", IAM User Guide).
        source_identity = caller.source_identity
        ctx.authorize("sts:SetSourceIdentity", role.arn, {"sts:SourceIdentity": source_identity})
    tags, transitive = _inherit(caller.transitive_tags, tags, transitive)
    mfa = request_mfa_used(ctx.tx, caller, params, ctx.now)
    return issue_role_session(
        ctx,
        role,
        session_name,
        duration,
        policy=policy,
        policy_arns=policy_arns,
        tags=tags,
        transitive=transitive,
        source_identity=source_identity,
        chain_depth=1 if caller.kind is PrincipalKind.ROLE_SESSION else 0,
        extra_claims=mfa_claims(mfa, ctx.now),
        params=params,
    )


def issue_role_session(
    ctx: CallContext,
    role: Role,
    session_name: str,
    duration: int,
    *,
    policy: str | None,
    policy_arns: tuple[str, ...],
    tags: tuple[tuple[str, str], ...] = (),
    transitive: tuple[str, ...] = (),
    source_identity: str | None = None,
    chain_depth: int = 0,
    extra_claims: Mapping[str, Any] | None = None,
    params: Mapping[str, Any],
) -> dict[str, Any]:
    """A new session of ``role`` once the request is checked (AssumeRole and
    AssumeRoleWithWebIdentity): the packed size, the credentials, RoleLastUsed, and the
    members both operations answer with (Credentials, AssumedRoleUser, PackedPolicySize,
    SourceIdentity, the token's size: ``credentials.issued``); ``params`` is the request's."""
    percent = packed.check(policy, policy_arns, tags)
    principal_arn = f"arn:aws:sts::{role.account_id}:assumed-role/{role.name}/{session_name}"
    claims = new_session_claims(
        account_id=role.account_id,
        kind="assumed-role",
        principal_arn=principal_arn,
        source_arn=role.arn,
        source_id=role.id,
        now=ctx.now,
        duration_seconds=duration,
        session_name=session_name,
        source_identity=source_identity,
        session_tags=tags,
        transitive_tag_keys=transitive,
        session_policy=policy,
        session_policy_arns=policy_arns,
        chain_depth=chain_depth,
        caller_arn=ctx.caller.arn,
        **(extra_claims or {}),
    )
    # RoleLastUsed is "tracked ... within the previous 400 days" and AWS updates it with a
    # delay of hours, not per call: write it at most once an hour per role, after the call,
    # so assuming a role stays a read (no write lock taken per AssumeRole).
    if role.last_used is None or (ctx.now - role.last_used).total_seconds() >= 3600:
        role_id, now, region = role.id, ctx.now, ctx.region
        ctx.after(lambda tx: tx.record_role_used(role_id, now, region))
    out = issued(ctx, claims, params, percent)
    out["AssumedRoleUser"] = {"AssumedRoleId": f"{role.id}:{session_name}", "Arn": principal_arn}
    # Recorded from AWS (LocalStack's test_sts snapshot, test_assume_role): no
    # PackedPolicySize when no session policy or tag was passed.
    if policy is not None or policy_arns or tags:
        out["PackedPolicySize"] = percent
    if source_identity is not None:
        out["SourceIdentity"] = source_identity
    return out

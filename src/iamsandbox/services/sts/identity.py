"""GetCallerIdentity, GetSessionToken and GetAccessKeyInfo (AWS STS API reference).

GetCallerIdentity: UserId is the user's unique id, the account id for the root user,
``AROA...:session`` for a role session, ``account:name`` for a federated user; Arn is the
caller's ARN (the assumed-role ARN for a role session).

GetSessionToken: "must be called by using the long-term AWS security credentials of an
IAM user" or the root user; with session credentials AWS answers AccessDenied "Cannot call
GetSessionToken with session credentials" (observed, as reported at
arpadt.com/articles/get-session-token). DurationSeconds is 900 to 129,600 seconds for
users (default 43,200); "Sessions for AWS account owners are restricted to a maximum of
3,600 seconds (one hour). If the duration is longer than one hour, the session for AWS
account owners defaults to one hour."

GetAccessKeyInfo: the account an access key id belongs to, decoded from the id itself
(``store.crypto.account_of_access_key_id``), for keys of any account.
"""

from __future__ import annotations

from typing import Any

from ...auth.session_token import new_session_claims
from ...authz.context import userid
from ...errors import AccessDenied, ValidationError
from ...policy import PrincipalKind
from ...store.crypto import account_of_access_key_id
from ..context import CallContext
from .credentials import check_duration_range, issued, mfa_claims, verify_mfa

USER_DEFAULT = 43200
USER_MAX = 129600
ROOT_MAX = 3600
SESSION_CREDENTIALS = "Cannot call GetSessionToken with session credentials"


def get_caller_identity(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    caller = ctx.caller
    return {"UserId": userid(caller) or "", "Account": caller.account or ctx.account_id, "Arn": caller.arn}


def get_session_token(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    caller = ctx.caller
    if caller.temporary or caller.kind not in (PrincipalKind.USER, PrincipalKind.ROOT):
        raise AccessDenied(SESSION_CREDENTIALS)
    requested = params.get("DurationSeconds")
    if requested is not None:
        check_duration_range(requested, 900, USER_MAX)
    if caller.kind is PrincipalKind.ROOT:
        duration = min(requested or ROOT_MAX, ROOT_MAX)
        source_id = caller.account or ctx.account_id
    else:
        duration = requested or USER_DEFAULT
        source_id = caller.unique_id or ""
    mfa = verify_mfa(ctx.tx, caller, params.get("SerialNumber"), params.get("TokenCode"), ctx.now)
    claims = new_session_claims(
        account_id=caller.account or ctx.account_id,
        kind="session",
        principal_arn=caller.arn,
        source_arn=caller.arn,
        source_id=source_id,
        now=ctx.now,
        duration_seconds=duration,
        session_name=caller.name if caller.kind is PrincipalKind.USER else None,
        caller_arn=caller.arn,
        **mfa_claims(mfa, ctx.now),
    )
    return issued(ctx, claims, params, 0)  # nothing packed: no session policy or tag


def get_access_key_info(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    key_id = params["AccessKeyId"]
    account = account_of_access_key_id(key_id)
    if account is None:
        raise ValidationError(f"{key_id} is not a valid access key ID")  # unconfirmed wording
    return {"Account": account}

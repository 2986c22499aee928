"""What the STS handlers share: the Credentials output shape and the token's size members,
DurationSeconds checks in
the query protocol's wording, and the MFA check of SerialNumber and TokenCode.

MFA (AssumeRole and GetSessionToken in the STS API reference): both parameters or
neither; the device must be a virtual MFA device enabled for the calling user (or, for
the root user, the account's root device); the code is a TOTP code of that device (RFC
6238, as ``services.iam.mfa``), accepted once. AWS's messages for each failure are
AccessDenied ones, recorded in public reports of AWS's answers (aws/aws-cli#6325,
aws/aws-cli#2279, y13i/sgviz#9).
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from ...auth.session_token import SessionClaims, TemporaryCredentials
from ...authz.context import Caller
from ...errors import AccessDenied, ValidationError
from ...policy.request import PrincipalKind
from ...store.interface import MfaDevice, Transaction
from ..context import CallContext
from ..iam.mfa import STEP, WINDOW, totp

MFA_BOTH = "MultiFactorAuthentication failed, must provide both MFA serial number and one time pass code."
MFA_UNKNOWN_DEVICE = (
    "MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is"
    " valid and associated with this user."
)
MFA_BAD_CODE = "MultiFactorAuthentication failed with invalid MFA one time pass code."


def credentials_out(credentials: TemporaryCredentials) -> dict[str, Any]:
    return {
        "AccessKeyId": credentials.access_key_id,
        "SecretAccessKey": credentials.secret_access_key.reveal(),
        "SessionToken": credentials.session_token,
        "Expiration": credentials.expiration,
    }


def issued(ctx: CallContext, claims: SessionClaims, params: Mapping[str, Any], utilization: int) -> dict[str, Any]:
    """The new session's credentials, sealed at least MinimumSessionTokenSize long ("STS
    increases the session token to at least this size, regardless of its actual content"),
    with SessionTokenSize ("The size, in bytes, of the session token returned in the
    Credentials") and SessionTokenUtilization ("The percentage (0-100) of the maximum allowed
    session token size that the returned session token consumes"): the STS API reference's
    AssumeRole, GetSessionToken, GetFederationToken ... The reference now defines
    PackedPolicySize in the same words, so the utilization is the packed percentage
    (``packed``: 0 when no session policy or tag is packed); AWS's value for a session without
    either is unconfirmed, and so is whether AWS answers both members to every request."""
    credentials = ctx.shared.tokens.issue(claims, params.get("MinimumSessionTokenSize") or 0)
    return {
        "Credentials": credentials_out(credentials),
        "SessionTokenUtilization": utilization,
        "SessionTokenSize": len(credentials.session_token),
    }


def check_duration_range(value: int, low: int, high: int) -> None:
    """The model's range for DurationSeconds, in STS's ValidationError wording (the
    protocol checks it too; the console calls handlers directly)."""
    if value < low:
        raise ValidationError(
            f"1 validation error detected: Value '{value}' at 'durationSeconds' failed to satisfy constraint:"
            f" Member must have value greater than or equal to {low}"
        )
    if value > high:
        raise ValidationError(
            f"1 validation error detected: Value '{value}' at 'durationSeconds' failed to satisfy constraint:"
            f" Member must have value less than or equal to {high}"
        )


def _device_of(tx: Transaction, caller: Caller, serial: str) -> MfaDevice | None:
    device = tx.get_mfa_device(serial)
    if device is None or device.enabled is None or device.account_id != caller.account:
        return None
    if caller.kind is PrincipalKind.ROOT:
        return device if device.user_id is None else None
    if caller.kind is PrincipalKind.USER and device.user_id is not None and device.user_id == caller.unique_id:
        return device
    return None


def verify_mfa(tx: Transaction, caller: Caller, serial: str | None, code: str | None, now: datetime) -> bool:
    """Check SerialNumber and TokenCode, consuming the code's time step; True when MFA was
    used, False when neither was given; ``AccessDenied`` with AWS's message otherwise."""
    if serial is None and code is None:
        return False
    if serial is None or code is None:
        raise AccessDenied(MFA_BOTH)
    device = _device_of(tx, caller, serial)
    if device is None:
        raise AccessDenied(MFA_UNKNOWN_DEVICE)
    seed = device.seed.reveal()
    step = int(now.timestamp()) // STEP
    for counter in range(step - WINDOW, step + WINDOW + 1):
        if hmac.compare_digest(totp(seed, counter), code):
            # A code already used (or older than one used) is refused: no replays.
            if tx.accept_mfa_counter(device.serial_number, counter):
                return True
            break
    raise AccessDenied(MFA_BAD_CODE)


def with_request_mfa(tx: Transaction, caller: Caller, params: Mapping[str, Any], now: datetime) -> Caller:
    """The caller as authorization sees a request that carries SerialNumber and TokenCode.

    AWS evaluates the trust policy of AssumeRole with the MFA of the request itself:
    "aws:MultiFactorAuthPresent ... when the user calls AssumeRole with the SerialNumber and
    TokenCode parameters" is true ("Configuring MFA-protected API access", "AWS global
    condition context keys"). So the code is checked (and its time step consumed) before
    the trust policy is, and the caller carries ``mfa_authenticated`` = now; the handler
    then takes the check as done (``request_mfa_used``).
    """
    if not verify_mfa(tx, caller, params.get("SerialNumber"), params.get("TokenCode"), now):
        return caller
    return replace(caller, mfa_authenticated=now)


def request_mfa_used(tx: Transaction, caller: Caller, params: Mapping[str, Any], now: datetime) -> bool:
    """Whether the request's SerialNumber and TokenCode authenticated: already checked by
    ``with_request_mfa`` (the caller's MFA time is this request's), or checked now."""
    if caller.mfa_authenticated == now and params.get("SerialNumber") is not None:
        return True
    return verify_mfa(tx, caller, params.get("SerialNumber"), params.get("TokenCode"), now)


def mfa_claims(used: bool, now: datetime) -> dict[str, Any]:
    """The MFA fields of new claims: fresh MFA, or none."""
    if used:
        return {"mfa_authenticated": True, "mfa_authenticated_at": int(now.timestamp())}
    return {}

"""GetCallerIdentity, GetSessionToken, GetAccessKeyInfo (AWS STS API reference)."""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from services_harness import NOW, TRUSTED, Call, root_caller, user_caller

from iamsandbox.auth.session_token import SessionTokenCodec
from iamsandbox.authz.context import Caller
from iamsandbox.errors import AccessDenied, ValidationError
from iamsandbox.policy import PrincipalKind
from iamsandbox.services.iam.mfa import STEP, totp
from iamsandbox.services.sts.handlers import HANDLERS
from iamsandbox.store import Secret, SqlStore
from iamsandbox.store.crypto import new_access_key_id

Conforms = Callable[[str, dict[str, Any]], None]


def test_caller_identity_of_a_user(call: Call, store: SqlStore, conforms: Conforms) -> None:
    alice = user_caller(store)
    out = call(HANDLERS["GetCallerIdentity"], alice, {})
    conforms("GetCallerIdentity", out)
    assert out == {"UserId": alice.unique_id, "Account": TRUSTED, "Arn": f"arn:aws:iam::{TRUSTED}:user/alice"}


def test_caller_identity_of_the_root_user(call: Call) -> None:
    out = call(HANDLERS["GetCallerIdentity"], root_caller(), {})
    assert out == {"UserId": TRUSTED, "Account": TRUSTED, "Arn": f"arn:aws:iam::{TRUSTED}:root"}


def test_caller_identity_of_a_role_session(call: Call) -> None:
    session = Caller(
        arn="arn:aws:sts::111111111111:assumed-role/r/s",
        kind=PrincipalKind.ROLE_SESSION,
        account="111111111111",
        unique_id="AROAEXAMPLE",
        name="s",
        temporary=True,
    )
    out = call(HANDLERS["GetCallerIdentity"], session, {})
    assert out == {"UserId": "AROAEXAMPLE:s", "Account": "111111111111", "Arn": session.arn}


def test_session_token_for_a_user(call: Call, store: SqlStore, codec: SessionTokenCodec, conforms: Conforms) -> None:
    alice = user_caller(store)
    out = call(HANDLERS["GetSessionToken"], alice, {})
    conforms("GetSessionToken", out)
    credentials = out["Credentials"]
    assert credentials["Expiration"] == NOW + timedelta(seconds=43200)  # the documented default
    claims = codec.validate(credentials["SessionToken"], credentials["AccessKeyId"], NOW)
    assert claims.kind == "session"
    assert claims.principal_arn == alice.arn and claims.source_id == alice.unique_id
    assert not claims.mfa_authenticated
    out = call(HANDLERS["GetSessionToken"], alice, {"DurationSeconds": 129600})
    assert out["Credentials"]["Expiration"] == NOW + timedelta(seconds=129600)


def test_session_token_for_root_is_at_most_one_hour(call: Call) -> None:
    out = call(HANDLERS["GetSessionToken"], root_caller(), {"DurationSeconds": 7200})
    assert out["Credentials"]["Expiration"] == NOW + timedelta(seconds=3600)
    out = call(HANDLERS["GetSessionToken"], root_caller(), {"DurationSeconds": 900})
    assert out["Credentials"]["Expiration"] == NOW + timedelta(seconds=900)


def test_session_token_duration_range(call: Call, store: SqlStore) -> None:
    alice = user_caller(store)
    for value in (899, 129601):
        with pytest.raises(ValidationError, match="at 'durationSeconds' failed to satisfy constraint"):
            call(HANDLERS["GetSessionToken"], alice, {"DurationSeconds": value})


def test_session_token_refused_with_session_credentials(call: Call, store: SqlStore) -> None:
    alice = user_caller(store)
    temporary = Caller(alice.arn, alice.kind, alice.account, alice.unique_id, alice.name, temporary=True)
    with pytest.raises(AccessDenied) as raised:
        call(HANDLERS["GetSessionToken"], temporary, {})
    assert raised.value.message == "Cannot call GetSessionToken with session credentials"


def test_session_token_with_mfa(call: Call, store: SqlStore, codec: SessionTokenCodec) -> None:
    alice = user_caller(store)
    seed = base64.b32encode(b"abcdefghij0123456789").decode()
    with store.transaction() as tx:
        device = tx.create_mfa_device(TRUSTED, "alice", Secret(seed))
        tx.enable_mfa_device(device.serial_number, alice.unique_id, NOW)
    code = totp(seed, int(NOW.timestamp()) // STEP)
    params = {"SerialNumber": device.serial_number, "TokenCode": code}
    out = call(HANDLERS["GetSessionToken"], alice, params)
    assert codec.open(out["Credentials"]["SessionToken"]).mfa_authenticated
    with pytest.raises(AccessDenied, match="invalid MFA one time pass code"):
        call(HANDLERS["GetSessionToken"], alice, params)


def test_root_mfa_device(call: Call, store: SqlStore, codec: SessionTokenCodec) -> None:
    seed = base64.b32encode(b"rootrootrootrootroot").decode()
    with store.transaction() as tx:
        device = tx.create_mfa_device(TRUSTED, "root-account-mfa-device", Secret(seed))
        tx.enable_mfa_device(device.serial_number, None, NOW)
    code = totp(seed, int(NOW.timestamp()) // STEP)
    out = call(HANDLERS["GetSessionToken"], root_caller(), {"SerialNumber": device.serial_number, "TokenCode": code})
    assert codec.open(out["Credentials"]["SessionToken"]).mfa_authenticated


def test_access_key_info(call: Call, store: SqlStore, conforms: Conforms) -> None:
    alice = user_caller(store)
    key = new_access_key_id("AKIA", "123456789012")
    out = call(HANDLERS["GetAccessKeyInfo"], alice, {"AccessKeyId": key})
    conforms("GetAccessKeyInfo", out)
    assert out == {"Account": "123456789012"}
    with pytest.raises(ValidationError):
        call(HANDLERS["GetAccessKeyInfo"], alice, {"AccessKeyId": "AKIA!!!!!!!!!!!!!!!!"})

"""Session tokens: sealed claims any replica opens; tampering, expiry, rotation."""

from __future__ import annotations

import base64
import json
import zlib
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iamsandbox.auth.session_token import (
    ExpiredSessionToken,
    InvalidSessionToken,
    SessionClaims,
    SessionTokenCodec,
    new_session_claims,
)
from iamsandbox.store.crypto import Secret, account_of_access_key_id, derive_key

KEY = derive_key(b"k" * 32, "session-token")
OTHER_KEY = derive_key(b"o" * 32, "session-token")
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
ROLE = "arn:aws:iam::111111111111:role/my-s3-x-account-role"


def claims(**extra: object) -> SessionClaims:
    return new_session_claims(
        account_id="111111111111",
        kind="assumed-role",
        principal_arn="arn:aws:sts::111111111111:assumed-role/my-s3-x-account-role/alice",
        source_arn=ROLE,
        source_id="AROAEXAMPLEEXAMPLE123",
        session_name="alice",
        now=NOW,
        duration_seconds=3600,
        **extra,
    )


def test_issue_and_validate() -> None:
    codec = SessionTokenCodec([KEY])
    session = claims(mfa_authenticated=True, mfa_authenticated_at=int(NOW.timestamp()), source_identity="alice")
    credentials = codec.issue(session)
    assert credentials.access_key_id.startswith("ASIA") and len(credentials.access_key_id) == 20
    assert account_of_access_key_id(credentials.access_key_id) == "111111111111"
    assert len(credentials.secret_access_key.reveal()) == 40
    assert credentials.expiration == NOW + timedelta(hours=1)
    assert 200 <= len(credentials.session_token) <= 1200, len(credentials.session_token)
    base64.b64decode(credentials.session_token, validate=True)
    opened = codec.validate(credentials.session_token, credentials.access_key_id, NOW + timedelta(minutes=59))
    assert opened == session
    assert opened.user_id == "AROAEXAMPLEEXAMPLE123:alice"
    assert credentials.session_token not in repr(credentials) and "Secret('****')" in repr(opened)


def test_expiry_is_told_apart_from_forgery() -> None:
    codec = SessionTokenCodec([KEY])
    credentials = codec.issue(claims())
    with pytest.raises(ExpiredSessionToken) as raised:
        codec.validate(credentials.session_token, credentials.access_key_id, NOW + timedelta(hours=1))
    assert raised.value.claims.session_name == "alice"
    # A forged token never reports "expired": it is invalid whatever its times say.
    forged = SessionTokenCodec([OTHER_KEY]).issue(claims())
    with pytest.raises(InvalidSessionToken) as invalid:
        codec.validate(forged.session_token, forged.access_key_id, NOW + timedelta(hours=5))
    assert not isinstance(invalid.value, ExpiredSessionToken)


def test_a_token_belongs_to_its_access_key() -> None:
    codec = SessionTokenCodec([KEY])
    first, second = codec.issue(claims()), codec.issue(claims())
    with pytest.raises(InvalidSessionToken):
        codec.validate(first.session_token, second.access_key_id, NOW)


def test_every_changed_byte_is_refused() -> None:
    codec = SessionTokenCodec([KEY])
    token = codec.issue(claims()).session_token
    assert codec.open(token).session_name == "alice"  # the genuine token, now kept opened
    raw = base64.b64decode(token)
    for position in range(len(raw)):
        changed = bytearray(raw)
        changed[position] ^= 0x01
        with pytest.raises(InvalidSessionToken):
            codec.open(base64.b64encode(bytes(changed)).decode())
    with pytest.raises(InvalidSessionToken):
        codec.open(base64.b64encode(raw[:-1]).decode())


@pytest.mark.parametrize(
    "garbage", ["", "not base64 at all", "AAAA", "é", "A" * 20000, base64.b64encode(b"\x01" * 64).decode()]
)
def test_garbage_is_invalid(garbage: str) -> None:
    with pytest.raises(InvalidSessionToken):
        SessionTokenCodec([KEY]).open(garbage)


def test_rotation_first_key_seals_all_open() -> None:
    old = SessionTokenCodec([OTHER_KEY])
    rotating = SessionTokenCodec([KEY, OTHER_KEY])
    new_only = SessionTokenCodec([KEY])
    from_old = old.issue(claims()).session_token
    from_rotating = rotating.issue(claims()).session_token
    assert rotating.open(from_old).account_id == "111111111111"  # old sessions survive the rotation
    assert new_only.open(from_rotating).account_id == "111111111111"  # new sessions use the new key
    with pytest.raises(InvalidSessionToken):
        new_only.open(from_old)


def test_large_session_policy_is_compressed() -> None:
    policy = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": ["s3:GetObject", "s3:ListBucket"],
                    "Resource": f"arn:aws:s3:::bucket-{i}/*",
                }
                for i in range(20)
            ],
        }
    )
    assert len(policy) > 2000
    session = claims(
        session_policy=policy,
        session_policy_arns=tuple(f"arn:aws:iam::aws:policy/P{i}" for i in range(10)),
        session_tags=tuple((f"key{i}", f"value{i}") for i in range(50)),
        transitive_tag_keys=("key1", "key2"),
        chain_depth=1,
        caller_arn="arn:aws:iam::222222222222:user/alice",
    )
    token = SessionTokenCodec([KEY]).seal(session)
    assert len(token) < 2000, len(token)
    assert SessionTokenCodec([KEY]).open(token) == session


def _payload(codec_key: bytes, token: str) -> bytes:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    raw = base64.b64decode(token)
    return AESGCM(codec_key).decrypt(raw[5:17], raw[17:], raw[:5])


def test_a_usual_session_is_sealed_uncompressed_and_a_large_one_compressed() -> None:
    """Deflating a ~400-byte payload cost more than the rest of sealing; only payloads over
    512 bytes (long names, session policies, tags) are compressed, and both kinds open."""
    codec = SessionTokenCodec([KEY])
    small = codec.issue(claims()).session_token
    assert json.loads(_payload(KEY, small))["n"] == "alice"
    policy = json.dumps(
        {"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": f"arn:aws:s3:::b{i}"} for i in range(30)]}
    )
    large = codec.seal(claims(session_policy=policy))
    assert json.loads(zlib.decompress(_payload(KEY, large)))["sp"] == policy  # a zlib stream
    assert SessionTokenCodec([KEY]).open(large).session_policy == policy
    assert SessionTokenCodec([KEY]).open(small).session_name == "alice"


def test_an_opened_token_is_kept_and_still_checked_for_its_key_and_expiry() -> None:
    codec = SessionTokenCodec([KEY])
    credentials = codec.issue(claims())
    first = codec.validate(credentials.session_token, credentials.access_key_id, NOW)
    assert codec.open(credentials.session_token) is first  # opened once
    other = codec.issue(claims())
    with pytest.raises(InvalidSessionToken):
        codec.validate(credentials.session_token, other.access_key_id, NOW)
    with pytest.raises(ExpiredSessionToken):
        codec.validate(credentials.session_token, credentials.access_key_id, NOW + timedelta(hours=2))


text = st.text(max_size=40)
optional_text = st.none() | text
times = st.integers(min_value=0, max_value=2**40)


@st.composite
def any_claims(draw: st.DrawFn) -> SessionClaims:
    return SessionClaims(
        access_key_id=draw(text),
        secret_access_key=Secret(draw(text)),
        account_id=draw(st.from_regex(r"\A[0-9]{12}\Z")),
        kind=draw(st.sampled_from(["assumed-role", "session", "federated-user"])),
        principal_arn=draw(text),
        source_arn=draw(text),
        source_id=draw(text),
        issued_at=draw(times),
        expires_at=draw(times),
        session_name=draw(optional_text),
        mfa_authenticated=draw(st.booleans()),
        mfa_authenticated_at=draw(st.none() | times),
        source_identity=draw(optional_text),
        session_tags=tuple(draw(st.lists(st.tuples(text, text), max_size=5))),
        transitive_tag_keys=tuple(draw(st.lists(text, max_size=5))),
        session_policy=draw(st.none() | st.text(max_size=300)),
        session_policy_arns=tuple(draw(st.lists(text, max_size=5))),
        chain_depth=draw(st.integers(min_value=0, max_value=10)),
        caller_arn=draw(optional_text),
    )


@settings(max_examples=200, deadline=None)
@given(any_claims())
def test_round_trip(session: SessionClaims) -> None:
    codec = SessionTokenCodec([KEY, OTHER_KEY])
    assert codec.open(codec.seal(session)) == session


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_are_invalid_not_errors(raw: bytes) -> None:
    with pytest.raises(InvalidSessionToken):
        SessionTokenCodec([KEY]).open(base64.b64encode(raw).decode())


def test_tokens_sealed_with_zlib_defaults_still_open() -> None:
    """Tokens issued before the compressor's window shrank (``zlib.compress(..., 9)``, a
    32 KiB window), and before small payloads were sealed uncompressed, open as before: the
    decoder reads every kind, so the sessions of a server's callers survive its upgrade."""
    import secrets

    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    codec = SessionTokenCodec([KEY])
    credentials = codec.issue(claims(source_identity="alice"))
    raw = base64.b64decode(credentials.session_token)
    header, nonce = raw[:5], raw[5:17]
    aead = AESGCM(KEY)
    payload = aead.decrypt(nonce, raw[17:], header)  # the JSON, sealed as it is now
    nonce = secrets.token_bytes(12)
    old = base64.b64encode(header + nonce + aead.encrypt(nonce, zlib.compress(payload, 9), header)).decode()
    opened = codec.validate(old, credentials.access_key_id, NOW)
    assert opened.source_identity == "alice"
    assert opened.secret_access_key.reveal() == credentials.secret_access_key.reveal()

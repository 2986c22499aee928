"""Temporary credentials whose session token carries the session, sealed.

AssumeRole and GetSessionToken hand out an ``ASIA...`` access key id, a 40-character
secret and a session token ("Temporary security credentials in IAM", "Compare AWS STS
credentials" in the IAM User Guide). Here the token is the session itself: the claims
(who, until when, with which session policies, tags and MFA state, and the secret) as
compact JSON (zlib-compressed when over 512 bytes) sealed with AES-256-GCM. Any replica
holding the key opens and checks it without a store lookup; a changed byte does not open.

Layout before base64 (standard alphabet, as AWS's tokens): version (1 byte) | key id (4)
| nonce (12) | ciphertext and tag; the first 5 bytes are the associated data. Several keys
rotate: the first seals, all open.

A request's ``MinimumSessionTokenSize`` ("STS increases the session token to at least this
size, regardless of its actual content", at most 4,096 bytes: AssumeRole, GetSessionToken ...
in the STS API reference) pads the JSON with spaces inside the sealed payload (JSON's own
whitespace: the padding is authenticated with the rest, and opens as the same claims).

Opening checks authenticity first, then the time: ``ExpiredSessionToken`` (a subclass of
``InvalidSessionToken``) is raised only for a genuine token past its expiry, so the
caller answers ``ExpiredToken`` for that and ``InvalidClientTokenId`` for the rest.

Gaps: tokens cannot be revoked before they expire (AWS revokes through a role's
"revoke active sessions" policy, which a caller can check from ``issued_at``).
"""

from __future__ import annotations

import base64
import binascii
import json
import secrets
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from ..store.crypto import KEY_BYTES, Secret, key_id, new_access_key_id, new_secret_access_key

SessionKind = Literal["assumed-role", "session", "federated-user"]

_VERSION = b"\x01"
_KID_BYTES = 4
_NONCE_BYTES = 12
_HEADER_BYTES = 1 + _KID_BYTES
_TAG_BYTES = 16  # AES-GCM's
# Bounds on what is accepted, before any work: a token is a few hundred characters; the
# session policy is at most 2048 characters and tags 50 pairs, so 16 KiB is generous.
MAX_TOKEN_CHARS = 16384
_MAX_PAYLOAD_BYTES = 65536
_WINDOW_BITS = 12
_MEM_LEVEL = 2
# A payload up to this size is sealed as it is: a usual session's JSON is ~350 bytes, and
# deflating it cost ~17 µs of an AssumeRole's ~200 for ~150 bytes less of token. A larger
# one (long names, session policies, tags) is compressed: the token stays within
# MAX_TOKEN_CHARS, and the console's cookie keeps its role history's tokens (4 KB).
_RAW_PAYLOAD_BYTES = 512
# Tokens opened, by their text (an authenticated ciphertext: the same text is the same
# claims): a caller sends its token with every request.
_OPENED_MAX = 1024


class InvalidSessionToken(Exception):
    """The token is not one of ours, was changed, or names nothing we can read."""


class ExpiredSessionToken(InvalidSessionToken):
    """A genuine token past its expiry; ``claims`` says whose it was."""

    def __init__(self, claims: SessionClaims) -> None:
        super().__init__("the security token included in the request is expired")
        self.claims = claims


@dataclass(unsafe_hash=True)
class SessionClaims:
    """What a session token carries. Times are whole seconds since the epoch (UTC)."""

    access_key_id: str  # ASIA...
    secret_access_key: Secret
    account_id: str  # the account the session acts in
    kind: SessionKind
    principal_arn: str  # arn:aws:sts::A:assumed-role/ROLE/SESSION, .../federated-user/NAME, or the user's ARN
    source_arn: str  # the role's ARN (assumed-role) or the user's (session, federated-user)
    source_id: str  # the role's unique id AROA... or the user's AIDA... (the account id: root's federation)
    issued_at: int
    expires_at: int
    session_name: str | None = None
    mfa_authenticated: bool = False
    mfa_authenticated_at: int | None = None
    source_identity: str | None = None
    session_tags: tuple[tuple[str, str], ...] = ()
    transitive_tag_keys: tuple[str, ...] = ()
    session_policy: str | None = field(default=None, repr=False)
    session_policy_arns: tuple[str, ...] = ()
    chain_depth: int = 0  # 0: from long-term credentials; 1+: role chaining
    caller_arn: str | None = None  # who asked for the session (the chain's last link)

    def is_expired(self, now: datetime | float) -> bool:
        seconds = now.timestamp() if isinstance(now, datetime) else now
        return seconds >= self.expires_at

    @property
    def expiration(self) -> datetime:
        return datetime.fromtimestamp(self.expires_at, UTC)

    @property
    def user_id(self) -> str:
        """``aws:userid``: ``AROA...:session-name`` for a role session, ``ACCOUNT:name``
        for a federated user (GetFederationToken's FederatedUserId)."""
        if self.kind == "assumed-role":
            return f"{self.source_id}:{self.session_name}"
        if self.kind == "federated-user":
            return f"{self.account_id}:{self.session_name}"
        return self.source_id


@dataclass(unsafe_hash=True)
class TemporaryCredentials:
    access_key_id: str
    secret_access_key: Secret
    session_token: str = field(repr=False)
    expiration: datetime


# Short JSON names: the token's size is what a client sends with every request.
_FIELDS: tuple[tuple[str, str], ...] = (
    ("access_key_id", "k"),
    ("account_id", "a"),
    ("kind", "t"),
    ("principal_arn", "p"),
    ("source_arn", "r"),
    ("source_id", "u"),
    ("issued_at", "i"),
    ("expires_at", "e"),
    ("session_name", "n"),
    ("mfa_authenticated", "m"),
    ("mfa_authenticated_at", "ma"),
    ("source_identity", "si"),
    ("session_policy", "sp"),
    ("chain_depth", "cd"),
    ("caller_arn", "c"),
)


def _json(claims: SessionClaims) -> bytes:
    payload: dict[str, Any] = {"s": claims.secret_access_key.reveal()}
    for name, short in _FIELDS:
        value = getattr(claims, name)
        if value is not None and value is not False:
            payload[short] = value
    if claims.session_tags:
        payload["tg"] = [list(pair) for pair in claims.session_tags]
    if claims.transitive_tag_keys:
        payload["tt"] = list(claims.transitive_tag_keys)
    if claims.session_policy_arns:
        payload["pa"] = list(claims.session_policy_arns)
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _encode(raw: bytes) -> bytes:
    """The sealed payload of the claims' JSON: as it is, or compressed when large."""
    if len(raw) <= _RAW_PAYLOAD_BYTES:
        return raw  # a JSON object: it starts with "{", which no zlib stream does (0x08-0x78)
    # A 4 KiB window and a small hash table: a payload is a few hundred bytes, and
    # ``zlib.compress``'s defaults (32 KiB window, 8-level hash) allocate and clear about
    # 256 KiB per call, 25 µs of the 30 this took. Any zlib decoder reads the stream.
    deflater = zlib.compressobj(9, zlib.DEFLATED, _WINDOW_BITS, _MEM_LEVEL)
    return deflater.compress(raw) + deflater.flush()


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise InvalidSessionToken("malformed claims")
    return value


def _int(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidSessionToken("malformed claims")
    return value


def _optional(value: Any, convert: Any) -> Any:
    return None if value is None else convert(value)


def _decode(data: bytes) -> SessionClaims:
    try:
        if data[:1] == b"{":
            text = data
        else:
            inflater = zlib.decompressobj()
            text = inflater.decompress(data, _MAX_PAYLOAD_BYTES)
            if inflater.unconsumed_tail or not inflater.eof:
                raise InvalidSessionToken("payload too large or truncated")
        payload = json.loads(text.decode("utf-8"))
    except (zlib.error, UnicodeDecodeError, ValueError) as error:
        raise InvalidSessionToken("malformed payload") from error
    if not isinstance(payload, dict):
        raise InvalidSessionToken("malformed claims")
    kind = _str(payload.get("t"))
    if kind not in ("assumed-role", "session", "federated-user"):
        raise InvalidSessionToken("malformed claims")
    tags = payload.get("tg", [])
    if not isinstance(tags, list) or not all(isinstance(pair, list) and len(pair) == 2 for pair in tags):
        raise InvalidSessionToken("malformed claims")
    transitive = payload.get("tt", [])
    arns = payload.get("pa", [])
    if not isinstance(transitive, list) or not isinstance(arns, list):
        raise InvalidSessionToken("malformed claims")
    mfa = payload.get("m", False)
    if not isinstance(mfa, bool):
        raise InvalidSessionToken("malformed claims")
    return SessionClaims(
        access_key_id=_str(payload.get("k")),
        secret_access_key=Secret(_str(payload.get("s"))),
        account_id=_str(payload.get("a")),
        kind=kind,  # type: ignore[arg-type]  # checked against the Literal's values above
        principal_arn=_str(payload.get("p")),
        source_arn=_str(payload.get("r")),
        source_id=_str(payload.get("u")),
        issued_at=_int(payload.get("i")),
        expires_at=_int(payload.get("e")),
        session_name=_optional(payload.get("n"), _str),
        mfa_authenticated=mfa,
        mfa_authenticated_at=_optional(payload.get("ma"), _int),
        source_identity=_optional(payload.get("si"), _str),
        session_tags=tuple((_str(key), _str(value)) for key, value in tags),
        transitive_tag_keys=tuple(_str(key) for key in transitive),
        session_policy=_optional(payload.get("sp"), _str),
        session_policy_arns=tuple(_str(arn) for arn in arns),
        chain_depth=_int(payload.get("cd", 0)),
        caller_arn=_optional(payload.get("c"), _str),
    )


class SessionTokenCodec:
    """Seals and opens session tokens under a list of 32-byte keys (the first seals).

    The keys should be ``crypto.derive_key(master, "session-token")`` of the master keys,
    so every replica configured with the same master key accepts every other's tokens.
    """

    def __init__(self, keys: Sequence[bytes]) -> None:
        if not keys or any(len(key) != KEY_BYTES for key in keys):
            raise ValueError(f"one or more {KEY_BYTES}-byte keys")
        self._keys = [(key_id(key), AESGCM(key)) for key in keys]
        self._opened: dict[str, SessionClaims] = {}

    def __repr__(self) -> str:
        return f"SessionTokenCodec(<{len(self._keys)} key(s)>)"

    def seal(self, claims: SessionClaims, minimum_size: int = 0) -> str:
        """The token of ``claims``, at least ``minimum_size`` characters long: as it is when
        it is that long already, else its JSON padded with spaces to the length that makes
        it so (base64 writes 4 characters for every 3 bytes, beyond the header, the nonce
        and GCM's tag)."""
        raw = _json(claims)
        token = self._sealed(_encode(raw))
        if len(token) >= minimum_size:
            return token
        wanted = -(-minimum_size * 3 // 4) - _HEADER_BYTES - _NONCE_BYTES - _TAG_BYTES
        return self._sealed(raw + b" " * max(0, wanted - len(raw)))

    def _sealed(self, payload: bytes) -> str:
        kid, aead = self._keys[0]
        header = _VERSION + kid
        nonce = secrets.token_bytes(_NONCE_BYTES)
        return base64.b64encode(header + nonce + aead.encrypt(nonce, payload, header)).decode("ascii")

    def open(self, token: str) -> SessionClaims:
        """The claims of a genuine token, expired or not; ``InvalidSessionToken`` else.
        Tokens that opened are kept by their text (claims are frozen), so the requests of
        one session open its token once."""
        opened = self._opened.get(token)
        if opened is not None:
            return opened
        claims = self._open(token)
        if len(self._opened) >= _OPENED_MAX:
            self._opened.clear()
        self._opened[token] = claims
        return claims

    def _open(self, token: str) -> SessionClaims:
        if not token or len(token) > MAX_TOKEN_CHARS:
            raise InvalidSessionToken("bad token length")
        try:
            raw = base64.b64decode(token.encode("ascii"), validate=True)
        except (binascii.Error, ValueError, UnicodeEncodeError) as error:
            raise InvalidSessionToken("not base64") from error
        if len(raw) < _HEADER_BYTES + _NONCE_BYTES + _TAG_BYTES or raw[:1] != _VERSION:
            raise InvalidSessionToken("not a session token")
        kid = raw[1:_HEADER_BYTES]
        nonce = raw[_HEADER_BYTES : _HEADER_BYTES + _NONCE_BYTES]
        for candidate, aead in self._keys:
            if candidate != kid:
                continue
            try:
                plain = aead.decrypt(nonce, raw[_HEADER_BYTES + _NONCE_BYTES :], raw[:_HEADER_BYTES])
            except InvalidTag:
                break
            return _decode(plain)
        raise InvalidSessionToken("token does not authenticate")

    def validate(self, token: str, access_key_id: str, now: datetime | float) -> SessionClaims:
        """Open ``token`` for a request signed with ``access_key_id`` at ``now``:
        ``InvalidSessionToken`` if it is not genuine or belongs to another key id,
        ``ExpiredSessionToken`` if it is genuine but expired."""
        claims = self.open(token)
        if not secrets.compare_digest(claims.access_key_id.encode(), access_key_id.encode()):
            raise InvalidSessionToken("token belongs to another access key")
        if claims.is_expired(now):
            raise ExpiredSessionToken(claims)
        return claims

    def issue(self, claims: SessionClaims, minimum_size: int = 0) -> TemporaryCredentials:
        return TemporaryCredentials(
            access_key_id=claims.access_key_id,
            secret_access_key=claims.secret_access_key,
            session_token=self.seal(claims, minimum_size),
            expiration=claims.expiration,
        )


def new_session_claims(
    *,
    account_id: str,
    kind: SessionKind,
    principal_arn: str,
    source_arn: str,
    source_id: str,
    now: datetime,
    duration_seconds: int,
    **optional: Any,
) -> SessionClaims:
    """Claims with a fresh ``ASIA`` key id (carrying the account, as AWS's do) and secret."""
    issued = int(now.timestamp())
    return SessionClaims(
        access_key_id=new_access_key_id("ASIA", account_id),
        secret_access_key=new_secret_access_key(),
        account_id=account_id,
        kind=kind,
        principal_arn=principal_arn,
        source_arn=source_arn,
        source_id=source_id,
        issued_at=issued,
        expires_at=issued + duration_seconds,
        **optional,
    )

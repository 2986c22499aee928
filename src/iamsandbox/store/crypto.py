"""Secrets at rest: the master key, AES-GCM sealing, password hashes, credential ids.

- The master key lives outside the database: ``IAMSANDBOX_SECRET_KEY`` (base64 of 32
  bytes; several keys separated by commas rotate: the first seals, all open) or a key
  file in the data directory, created with mode 0600 and refused if others can read it.
  Per-purpose keys are derived from it with HKDF-SHA256 (``derive_key``), so the key that
  seals secret access keys in the store is not the one that seals session tokens.
- ``SecretBox`` seals secret access keys and MFA seeds with AES-256-GCM. The row's
  identifier is the associated data, so a sealed value copied into another row does not
  open.
- Passwords are hashed with scrypt (n=2**14, r=8, p=1, 16-byte salt) and checked in
  constant time.
- Access key ids carry their account as AWS's do: GetAccessKeyInfo answers from the id
  alone ("GetAccessKeyInfo" in the STS API reference says the account is derived from the
  key id); the bit layout is the one observed for AWS's keys (the account number in bits
  7..46 of the base32-decoded id after the four-letter prefix).

Gaps: no key-encryption-key hierarchy; rotating the master key needs both keys listed
until every secret is re-sealed (nothing re-seals them yet).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import stat
from collections.abc import Mapping, Sequence
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

KEY_BYTES = 32
KEY_ENV = "IAMSANDBOX_SECRET_KEY"
KEY_FILE_NAME = "secret.key"

_BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_SEAL_VERSION = b"\x01"
_NONCE_BYTES = 12
_KID_BYTES = 4

# scrypt parameters (issue 3): 16 MiB of memory per hash.
SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
_SCRYPT_SALT_BYTES = 16
_SCRYPT_DKLEN = 32


class Secret:
    """A secret string whose repr and str are masked; compare with ``==`` (constant time)."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('****')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Secret):
            return NotImplemented
        return hmac.compare_digest(self._value.encode(), other._value.encode())

    def __hash__(self) -> int:
        return hash(("Secret", hashlib.sha256(self._value.encode()).digest()))

    def __reduce__(self) -> tuple[type[Secret], tuple[str]]:
        return (Secret, (self._value,))


class MasterKeyError(Exception):
    """The master key is missing, malformed or unsafely stored."""


class SealError(Exception):
    """A sealed value does not open: wrong key, wrong row, or tampered bytes."""


# --- the master key --------------------------------------------------------------


def parse_keys(text: str, source: str = KEY_ENV) -> list[bytes]:
    """Keys from ``IAMSANDBOX_SECRET_KEY``'s format: base64 of 32 bytes, comma-separated;
    ``source`` names where the text came from in an error (the variable or the key file)."""
    keys: list[bytes] = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        try:
            key = base64.b64decode(part, validate=True)
        except ValueError as error:
            raise MasterKeyError(f"{source} is not base64") from error
        if len(key) != KEY_BYTES:
            raise MasterKeyError(f"{source} must be {KEY_BYTES} bytes in base64, not {len(key)}")
        keys.append(key)
    if not keys:
        raise MasterKeyError(f"{source} is empty")
    return keys


def encode_key(key: bytes) -> str:
    return base64.b64encode(key).decode("ascii")


def load_master_keys(data_dir: Path | None, environ: Mapping[str, str] | None = None) -> list[bytes]:
    """The master keys: from the environment if set, else the data directory's key file.

    The key file is created (mode 0600, exclusively, fsynced) when absent. A key file
    that group or others may read is refused, as ssh refuses such a private key.
    """
    env = os.environ if environ is None else environ
    if env.get(KEY_ENV):
        return parse_keys(env[KEY_ENV])
    if data_dir is None:
        raise MasterKeyError(f"set {KEY_ENV} (base64 of {KEY_BYTES} random bytes) or give a data directory")
    path = Path(data_dir) / KEY_FILE_NAME
    if not path.exists():
        _create_key_file(path)
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise MasterKeyError(
            f"{path} may be read or written by its group or others (mode {stat.S_IMODE(mode):o}); chmod 600 it"
        )
    return parse_keys(path.read_text(), str(path))


def new_master_key(data_dir: Path | None, environ: Mapping[str, str] | None = None) -> bytes | None:
    """A new master key when the store would get one (no key in the environment, none in
    the data directory), not yet written: ``save_master_key`` writes it once the store it
    is for has opened, so that a store that cannot be opened leaves no key file behind."""
    env = os.environ if environ is None else environ
    if env.get(KEY_ENV) or data_dir is None or (Path(data_dir) / KEY_FILE_NAME).exists():
        return None
    return secrets.token_bytes(KEY_BYTES)


def save_master_key(data_dir: Path, key: bytes) -> bool:
    """Write ``new_master_key``'s key as the data directory's key file; False when another
    process wrote one first (then that one is the store's key)."""
    return _create_key_file(Path(data_dir) / KEY_FILE_NAME, key)


def _create_key_file(path: Path, key: bytes | None = None) -> bool:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = encode_key(key if key is not None else secrets.token_bytes(KEY_BYTES)) + "\n"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False  # another process created it first: use theirs
    try:
        os.write(fd, text.encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
    return True


def derive_key(master: bytes, purpose: str) -> bytes:
    """A 32-byte key for one purpose ("secrets-at-rest", "session-token") from a master key."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=b"iamsandbox/" + purpose.encode())
    return hkdf.derive(master)


def key_id(key: bytes) -> bytes:
    """Four bytes naming a key, so the right key of several is tried first."""
    return hashlib.sha256(b"iamsandbox key id\x00" + key).digest()[:_KID_BYTES]


# --- sealing -----------------------------------------------------------------------


class SecretBox:
    """AES-256-GCM under a list of keys: the first seals, any opens (rotation).

    Layout: version (1 byte) | key id (4) | nonce (12) | ciphertext and tag.
    """

    def __init__(self, keys: Sequence[bytes]) -> None:
        if not keys:
            raise MasterKeyError("SecretBox needs at least one key")
        for key in keys:
            if len(key) != KEY_BYTES:
                raise MasterKeyError(f"keys are {KEY_BYTES} bytes")
        self._keys = [(key_id(key), AESGCM(key)) for key in keys]

    def __repr__(self) -> str:
        return f"SecretBox(<{len(self._keys)} key(s)>)"

    def seal(self, plaintext: bytes, context: bytes) -> bytes:
        kid, aead = self._keys[0]
        nonce = secrets.token_bytes(_NONCE_BYTES)
        header = _SEAL_VERSION + kid
        return header + nonce + aead.encrypt(nonce, plaintext, header + context)

    def open(self, sealed: bytes, context: bytes) -> bytes:
        head = 1 + _KID_BYTES
        if len(sealed) < head + _NONCE_BYTES + 16 or sealed[:1] != _SEAL_VERSION:
            raise SealError("not a sealed value")
        kid = sealed[1:head]
        nonce = sealed[head : head + _NONCE_BYTES]
        body = sealed[head + _NONCE_BYTES :]
        for candidate, aead in self._keys:
            if candidate != kid:
                continue
            try:
                return aead.decrypt(nonce, body, sealed[:head] + context)
            except InvalidTag:
                break
        raise SealError("sealed value does not open with the configured keys")

    def seal_secret(self, secret: Secret, context: str) -> bytes:
        return self.seal(secret.reveal().encode("utf-8"), context.encode("utf-8"))

    def open_secret(self, sealed: bytes, context: str) -> Secret:
        return Secret(self.open(sealed, context.encode("utf-8")).decode("utf-8"))


# --- passwords ---------------------------------------------------------------------


def hash_password(password: str) -> str:
    """``scrypt$n$r$p$salt$hash`` (base64 without padding)."""
    salt = secrets.token_bytes(_SCRYPT_SALT_BYTES)
    digest = hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=_SCRYPT_DKLEN
    )
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, encoded: str) -> bool:
    """True when ``password`` hashes to ``encoded``; False for any malformed hash."""
    try:
        scheme, n_text, r_text, p_text, salt_text, digest_text = encoded.split("$")
        n, r, p = int(n_text), int(r_text), int(p_text)
        salt, expected = _unb64(salt_text), _unb64(digest_text)
    except ValueError:
        return False
    if scheme != "scrypt" or not (2 <= n <= 2**20 and 1 <= r <= 32 and 1 <= p <= 16):
        return False
    try:
        digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=len(expected), maxmem=2**27)
    except (ValueError, MemoryError):
        return False
    return hmac.compare_digest(digest, expected)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)


# --- credential ids ----------------------------------------------------------------

_ACCOUNT_MASK = 0x7FFFFFFFFF80


def new_access_key_id(prefix: str, account_id: str) -> str:
    """A 20-character id (``AKIA``/``ASIA`` + 16 base32 characters) carrying the account."""
    if len(prefix) != 4 or not (account_id.isascii() and account_id.isdigit()) or len(account_id) != 12:
        raise ValueError("a four-letter prefix and a 12-digit account id")
    drawn = secrets.token_bytes(5)  # one system call: 8 bits for the head, 4 bytes for the tail
    head = ((drawn[0] & 0x80) << 40) | (int(account_id) << 7) | (drawn[0] & 0x7F)
    raw = head.to_bytes(6, "big") + drawn[1:]
    return prefix + base64.b32encode(raw).decode("ascii")


def account_of_access_key_id(access_key_id: str) -> str | None:
    """The account an access key id was issued for, or None if it is not one of ours."""
    if len(access_key_id) != 20 or any(ch not in _BASE32 for ch in access_key_id[4:]):
        return None
    raw = base64.b32decode(access_key_id[4:])
    account = (int.from_bytes(raw[:6], "big") & _ACCOUNT_MASK) >> 7
    return f"{account:012d}" if account < 10**12 else None


def new_secret_access_key() -> Secret:
    """40 characters of base64's alphabet, as AWS's secret access keys: 30 random bytes
    (one system call) encoded in base64 are exactly 40 such characters."""
    return Secret(base64.b64encode(secrets.token_bytes(30)).decode("ascii"))


def random_base32(length: int) -> str:
    """``length`` characters of ``_BASE32`` (base32's alphabet, A-Z and 2-7), each 5 random
    bits: the first ``length`` characters of enough random bytes (one system call) in base32."""
    return base64.b32encode(secrets.token_bytes((length * 5 + 7) // 8)).decode("ascii")[:length]


def new_unique_id(prefix: str) -> str:
    """An IAM unique id: ``AIDA``/``AGPA``/``AROA``/``ANPA`` + 17 base32 characters."""
    return prefix + random_base32(17)

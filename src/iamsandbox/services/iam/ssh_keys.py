"""IAM users' SSH public keys: UploadSSHPublicKey, GetSSHPublicKey, ListSSHPublicKeys,
UpdateSSHPublicKey, DeleteSSHPublicKey (IAM API reference); CodeCommit User Guide, "Setup
steps for SSH connections to AWS CodeCommit repositories" (the keys' use).

- "The public key must be encoded in ssh-rsa format or PEM format. The minimum bit-length
  of the public key is 2048 bits" (UploadSSHPublicKey, SSHPublicKeyBody). A body in neither
  encoding (another SSH key type such as ssh-ed25519, a private key, any other text) or a
  PEM key that is not RSA answers UnrecognizedPublicKeyEncoding ("the public key encoding
  format is unsupported or unrecognized"); a body in one of them that does not decode, or
  an RSA key under 2048 bits, answers InvalidPublicKey ("the public key is malformed or
  otherwise invalid"). Which of the two AWS answers for each case, and their messages,
  are unconfirmed.
- The key id is ``APKA`` and 16 upper-case base32 characters; the fingerprint is the MD5
  digest of the key blob (the base64-decoded second field of the ``ssh-rsa`` line) in
  colon-separated hex, as ``ssh-keygen -l -E md5`` shows it and as the CodeCommit User
  Guide has the user compare it with the IAM console's.
- The same key twice for one user: DuplicateSSHPublicKey ("the SSH public key is already
  associated with the specified IAM user"). Five keys per user ("IAM and AWS STS quotas":
  SSH public keys assigned to an IAM user, 5): LimitExceeded (wording unconfirmed).
- GetSSHPublicKey answers the key in the Encoding asked for: ``SSH`` an ``ssh-rsa`` line,
  ``PEM`` a SubjectPublicKeyInfo PEM block (which PEM flavour AWS writes is unconfirmed).
- UpdateSSHPublicKey takes Active or Inactive ("Active means that the key can be used for
  authentication with an CodeCommit repository"); the model's third status value, Expired,
  is refused with InvalidInput (unconfirmed).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from typing import Any

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from ...errors import (
    DuplicateSSHPublicKey,
    InvalidInput,
    InvalidPublicKey,
    LimitExceeded,
    NoSuchEntity,
    UnrecognizedPublicKeyEncoding,
)
from ...policy.request import PrincipalKind
from ...store.interface import SshPublicKey, User
from ..context import CallContext
from . import common

KEYS_PER_USER = 5
MINIMUM_BITS = 2048
_PEM_HEADERS = ("-----BEGIN PUBLIC KEY-----", "-----BEGIN RSA PUBLIC KEY-----")
_UNRECOGNIZED = "The public key encoding format is unsupported or unrecognized."  # unconfirmed wording
_INVALID = "The public key is malformed or otherwise invalid."  # unconfirmed wording


def parse_public_key(body: str) -> rsa.RSAPublicKey:
    """The RSA public key of an ``ssh-rsa`` line or an RSA public key in PEM, or AWS's error."""
    text = body.strip()
    fields = text.split()
    key: object
    if fields and fields[0] == "ssh-rsa":
        if len(fields) < 2:
            raise InvalidPublicKey(_INVALID)
        try:
            key = serialization.load_ssh_public_key(f"ssh-rsa {fields[1]}".encode("ascii"))
        except (ValueError, UnsupportedAlgorithm, UnicodeEncodeError, binascii.Error):
            raise InvalidPublicKey(_INVALID) from None
    elif text.startswith(_PEM_HEADERS):
        try:
            key = serialization.load_pem_public_key(text.encode("latin-1"))
        except (ValueError, UnsupportedAlgorithm, TypeError):
            raise InvalidPublicKey(_INVALID) from None
    else:
        raise UnrecognizedPublicKeyEncoding(_UNRECOGNIZED)
    if not isinstance(key, rsa.RSAPublicKey):
        raise UnrecognizedPublicKeyEncoding(_UNRECOGNIZED)
    if key.key_size < MINIMUM_BITS:
        raise InvalidPublicKey(_INVALID)
    return key


def ssh_line(key: rsa.RSAPublicKey) -> str:
    return key.public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode("ascii")


def fingerprint(key: rsa.RSAPublicKey) -> str:
    """MD5 of the key blob, colon-separated lower-case hex (``ssh-keygen -l -E md5``)."""
    blob = base64.b64decode(ssh_line(key).split()[1])
    digest = hashlib.md5(blob, usedforsecurity=False).hexdigest()
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))


def _key(ctx: CallContext, user: User, key_id: str) -> SshPublicKey:
    found = ctx.tx.get_ssh_public_key(key_id)
    if found is None or found.user_id != user.id:
        raise NoSuchEntity(f"The Public Key with id {key_id} cannot be found.")  # unconfirmed wording
    return found


def _metadata(user: User, found: SshPublicKey) -> dict[str, Any]:
    return {
        "UserName": user.name,
        "SSHPublicKeyId": found.key_id,
        "Status": found.status,
        "UploadDate": found.uploaded,
    }


def _full(user: User, found: SshPublicKey, body: str) -> dict[str, Any]:
    return {**_metadata(user, found), "Fingerprint": found.fingerprint, "SSHPublicKeyBody": body}


def upload_ssh_public_key(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    user = common.user(ctx, params["UserName"])
    body = params["SSHPublicKeyBody"]
    key = parse_public_key(body)
    printed = fingerprint(key)
    existing = ctx.tx.list_ssh_public_keys(user.id)
    if any(found.fingerprint == printed for found in existing):
        raise DuplicateSSHPublicKey("The SSH public key is already associated with the specified IAM user.")
    if len(existing) >= KEYS_PER_USER:
        raise LimitExceeded(f"Cannot exceed quota for SSHPublicKeysPerUser: {KEYS_PER_USER}")  # unconfirmed
    created = ctx.tx.create_ssh_public_key(ctx.account_id, user.id, body, printed)
    return {"SSHPublicKey": _full(user, created, body)}


def get_ssh_public_key(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    user = common.user(ctx, params["UserName"])
    found = _key(ctx, user, params["SSHPublicKeyId"])
    key = parse_public_key(found.body)
    if params["Encoding"] == "PEM":
        body = key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        return {"SSHPublicKey": _full(user, found, body.decode("ascii"))}
    return {"SSHPublicKey": _full(user, found, ssh_line(key))}


def list_ssh_public_keys(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    """Without UserName, the calling IAM user's keys ("the UserName field is determined
    implicitly based on the AWS access key used to sign the request")."""
    name = params.get("UserName")
    if name is None:
        if ctx.caller.kind is not PrincipalKind.USER or not ctx.caller.name:
            # The root user (or a role session) has no SSH keys: an empty list (unconfirmed).
            return {"SSHPublicKeys": [], "IsTruncated": False}
        name = ctx.caller.name
    user = common.user(ctx, name)
    out = common.paginate(ctx.tx.list_ssh_public_keys(user.id), params, "SSHPublicKeys")
    out["SSHPublicKeys"] = [_metadata(user, found) for found in out["SSHPublicKeys"]]
    return out


def update_ssh_public_key(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    user = common.user(ctx, params["UserName"])
    found = _key(ctx, user, params["SSHPublicKeyId"])
    status = params["Status"]
    if status not in ("Active", "Inactive"):
        raise InvalidInput("Status must be Active or Inactive.")  # unconfirmed wording
    ctx.tx.set_ssh_public_key_status(found.key_id, status)
    return {}


def delete_ssh_public_key(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    user = common.user(ctx, params["UserName"])
    found = _key(ctx, user, params["SSHPublicKeyId"])
    ctx.tx.delete_ssh_public_key(found.key_id)
    return {}

"""IAM users' SSH public keys: the five operations' handlers on a real store, answers
checked against botocore's output shapes.

AWS pages: UploadSSHPublicKey ("The public key must be encoded in ssh-rsa format or PEM
format. The minimum bit-length of the public key is 2048 bits"; errors InvalidPublicKey,
UnrecognizedPublicKeyEncoding, DuplicateSSHPublicKey, LimitExceeded), GetSSHPublicKey
(Encoding SSH or PEM), ListSSHPublicKeys (UserName optional: the signing user),
UpdateSSHPublicKey, DeleteSSHPublicKey, DeleteUser (remove the SSH public keys first), "IAM
and AWS STS quotas" (SSH public keys assigned to an IAM user: 5), and the CodeCommit User
Guide's "Setup steps for SSH connections" (the key's MD5 fingerprint, ``ssh-keygen -l -E
md5``, compared with the IAM console's).
"""

from __future__ import annotations

import base64
import hashlib
import re

import pytest
from cryptography.hazmat.primitives import serialization
from iam_harness import Iam

from iamsandbox.errors import (
    DeleteConflict,
    DuplicateSSHPublicKey,
    InvalidInput,
    InvalidPublicKey,
    LimitExceeded,
    NoSuchEntity,
    UnrecognizedPublicKeyEncoding,
)
from x509_material import pem_public, rsa_key, ssh_ed25519, ssh_rsa


def _md5_colon(ssh_line: str) -> str:
    """What ``ssh-keygen -l -E md5`` prints for the key (without its "MD5:" prefix)."""
    digest = hashlib.md5(base64.b64decode(ssh_line.split()[1]), usedforsecurity=False).hexdigest()
    return ":".join(digest[i : i + 2] for i in range(0, 32, 2))


def test_upload_get_in_both_encodings_list_update_delete(iam: Iam) -> None:
    """UploadSSHPublicKey answers the key with its id, MD5 fingerprint and Active status;
    GetSSHPublicKey answers it in the Encoding asked for."""
    iam("CreateUser", UserName="alice")
    body = ssh_rsa(rsa_key(), "alice@laptop")
    key = iam("UploadSSHPublicKey", UserName="alice", SSHPublicKeyBody=body)["SSHPublicKey"]
    assert re.fullmatch(r"APKA[A-Z2-7]{16}", key["SSHPublicKeyId"])
    assert key["Fingerprint"] == _md5_colon(body)
    assert key["Status"] == "Active" and key["UserName"] == "alice" and key["SSHPublicKeyBody"] == body
    key_id = key["SSHPublicKeyId"]

    as_ssh = iam("GetSSHPublicKey", UserName="alice", SSHPublicKeyId=key_id, Encoding="SSH")["SSHPublicKey"]
    assert as_ssh["SSHPublicKeyBody"].split()[:2] == body.split()[:2]
    as_pem = iam("GetSSHPublicKey", UserName="alice", SSHPublicKeyId=key_id, Encoding="PEM")["SSHPublicKey"]
    loaded = serialization.load_pem_public_key(as_pem["SSHPublicKeyBody"].encode())
    assert loaded.public_numbers() == rsa_key().public_key().public_numbers()  # type: ignore[union-attr]

    iam("UpdateSSHPublicKey", UserName="alice", SSHPublicKeyId=key_id, Status="Inactive")
    listed = iam("ListSSHPublicKeys", UserName="alice")
    assert listed["IsTruncated"] is False
    assert [(k["SSHPublicKeyId"], k["Status"]) for k in listed["SSHPublicKeys"]] == [(key_id, "Inactive")]
    assert "SSHPublicKeyBody" not in listed["SSHPublicKeys"][0]  # metadata only

    iam("DeleteSSHPublicKey", UserName="alice", SSHPublicKeyId=key_id)
    assert iam("ListSSHPublicKeys", UserName="alice")["SSHPublicKeys"] == []
    with pytest.raises(NoSuchEntity):
        iam("GetSSHPublicKey", UserName="alice", SSHPublicKeyId=key_id, Encoding="SSH")


def test_a_pem_key_is_the_same_key_as_its_ssh_rsa_line(iam: Iam) -> None:
    """A key may come "in ssh-rsa format or PEM format"; the same key again, in either,
    is DuplicateSSHPublicKey ("already associated with the specified IAM user")."""
    iam("CreateUser", UserName="alice")
    key = iam("UploadSSHPublicKey", UserName="alice", SSHPublicKeyBody=pem_public(rsa_key()))["SSHPublicKey"]
    assert key["Fingerprint"] == _md5_colon(ssh_rsa(rsa_key()))
    with pytest.raises(DuplicateSSHPublicKey) as raised:
        iam("UploadSSHPublicKey", UserName="alice", SSHPublicKeyBody=ssh_rsa(rsa_key()))
    assert raised.value.status == 400
    # Another user may hold the same key.
    iam("CreateUser", UserName="bob")
    iam("UploadSSHPublicKey", UserName="bob", SSHPublicKeyBody=ssh_rsa(rsa_key()))


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("ssh-rsa AAAA!!!not-base64", InvalidPublicKey),
        ("ssh-rsa", InvalidPublicKey),
        ("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", InvalidPublicKey),
        ("just some text", UnrecognizedPublicKeyEncoding),
        ("ssh-ed25519-placeholder", UnrecognizedPublicKeyEncoding),
    ],
)
def test_bodies_iam_refuses(iam: Iam, body: str, error: type[Exception]) -> None:
    """InvalidPublicKey: "the public key is malformed or otherwise invalid";
    UnrecognizedPublicKeyEncoding: "the public key encoding format is unsupported or
    unrecognized" (UploadSSHPublicKey, Errors)."""
    iam("CreateUser", UserName="alice")
    if body == "ssh-ed25519-placeholder":
        body = ssh_ed25519()  # only ssh-rsa keys
    with pytest.raises(error):
        iam("UploadSSHPublicKey", UserName="alice", SSHPublicKeyBody=body)


def test_keys_under_2048_bits_are_invalid(iam: Iam) -> None:
    """ "The minimum bit-length of the public key is 2048 bits" (UploadSSHPublicKey)."""
    iam("CreateUser", UserName="alice")
    with pytest.raises(InvalidPublicKey):
        iam("UploadSSHPublicKey", UserName="alice", SSHPublicKeyBody=ssh_rsa(rsa_key(1024)))
    iam("UploadSSHPublicKey", UserName="alice", SSHPublicKeyBody=ssh_rsa(rsa_key(3072)))


def test_five_keys_per_user(iam: Iam) -> None:
    """ "IAM and AWS STS quotas": SSH public keys assigned to an IAM user, 5."""
    iam("CreateUser", UserName="alice")
    for slot in range(5):
        iam("UploadSSHPublicKey", UserName="alice", SSHPublicKeyBody=ssh_rsa(rsa_key(2048, slot)))
    with pytest.raises(LimitExceeded) as raised:
        iam("UploadSSHPublicKey", UserName="alice", SSHPublicKeyBody=ssh_rsa(rsa_key(2048, 5)))
    assert raised.value.status == 409
    page = iam("ListSSHPublicKeys", UserName="alice", MaxItems=2)
    assert len(page["SSHPublicKeys"]) == 2 and page["IsTruncated"] is True and page["Marker"]


def test_another_users_key_is_not_found_and_expired_is_refused(iam: Iam) -> None:
    iam("CreateUser", UserName="alice")
    iam("CreateUser", UserName="bob")
    key_id = iam("UploadSSHPublicKey", UserName="alice", SSHPublicKeyBody=ssh_rsa(rsa_key()))["SSHPublicKey"][
        "SSHPublicKeyId"
    ]
    with pytest.raises(NoSuchEntity):
        iam("DeleteSSHPublicKey", UserName="bob", SSHPublicKeyId=key_id)
    with pytest.raises(InvalidInput):
        iam("UpdateSSHPublicKey", UserName="alice", SSHPublicKeyId=key_id, Status="Expired")
    with pytest.raises(NoSuchEntity):
        iam("UploadSSHPublicKey", UserName="carol", SSHPublicKeyBody=ssh_rsa(rsa_key()))


def test_list_without_user_name_is_the_callers_and_delete_user_needs_them_gone(iam: Iam) -> None:
    """ListSSHPublicKeys: "If none is specified, the UserName field is determined implicitly
    based on the AWS access key used to sign the request"; DeleteUser: remove the "SSH public
    key (DeleteSSHPublicKey)" first."""
    iam("CreateUser", UserName="alice")
    key_id = iam("UploadSSHPublicKey", UserName="alice", SSHPublicKeyBody=ssh_rsa(rsa_key()))["SSHPublicKey"][
        "SSHPublicKeyId"
    ]
    with pytest.raises(DeleteConflict):
        iam("DeleteUser", UserName="alice")
    iam.as_user("alice")
    assert [k["SSHPublicKeyId"] for k in iam("ListSSHPublicKeys")["SSHPublicKeys"]] == [key_id]
    iam("DeleteSSHPublicKey", UserName="alice", SSHPublicKeyId=key_id)
    iam("DeleteUser", UserName="alice")

"""Secrets at rest: the master key's sources, sealing, password hashes, key ids."""

from __future__ import annotations

import base64
import os
import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from iamsandbox.store.crypto import (
    KEY_ENV,
    MasterKeyError,
    SealError,
    Secret,
    SecretBox,
    account_of_access_key_id,
    derive_key,
    hash_password,
    load_master_keys,
    new_access_key_id,
    new_secret_access_key,
    new_unique_id,
    verify_password,
)


def test_secret_repr_is_masked() -> None:
    secret = Secret("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    assert "wJal" not in repr(secret) and "wJal" not in str(secret) and "wJal" not in f"{secret}"
    assert secret == Secret("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY") and secret != Secret("x")


def test_key_from_the_environment_with_rotation(tmp_path: Path) -> None:
    first, second = os.urandom(32), os.urandom(32)
    env = {KEY_ENV: base64.b64encode(first).decode() + "," + base64.b64encode(second).decode()}
    assert load_master_keys(tmp_path, env) == [first, second]
    assert not (tmp_path / "secret.key").exists()  # the environment wins; no file made
    with pytest.raises(MasterKeyError):
        load_master_keys(None, {KEY_ENV: base64.b64encode(b"short").decode()})
    with pytest.raises(MasterKeyError):
        load_master_keys(None, {KEY_ENV: "not base64!"})
    with pytest.raises(MasterKeyError):
        load_master_keys(None, {})


def test_key_file_is_created_private_and_reused(tmp_path: Path) -> None:
    data = tmp_path / "data"
    keys = load_master_keys(data, {})
    path = data / "secret.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_master_keys(data, {}) == keys and len(keys[0]) == 32
    path.chmod(0o644)
    with pytest.raises(MasterKeyError, match="may be read or written by its group or others"):
        load_master_keys(data, {})


def test_sealing_binds_the_row_and_rotates() -> None:
    old, new = derive_key(b"o" * 32, "secrets-at-rest"), derive_key(b"n" * 32, "secrets-at-rest")
    sealed = SecretBox([old]).seal(b"secret", b"AKIA1")
    assert b"secret" not in sealed
    assert SecretBox([new, old]).open(sealed, b"AKIA1") == b"secret"  # rotation: old still opens
    with pytest.raises(SealError):
        SecretBox([old]).open(sealed, b"AKIA2")  # another row
    with pytest.raises(SealError):
        SecretBox([new]).open(sealed, b"AKIA1")  # the old key dropped
    tampered = bytearray(sealed)
    tampered[-1] ^= 1
    with pytest.raises(SealError):
        SecretBox([old]).open(bytes(tampered), b"AKIA1")
    assert derive_key(b"o" * 32, "session-token") != old


def test_password_hash_and_verify() -> None:
    encoded = hash_password("correct horse")
    assert encoded.startswith("scrypt$16384$8$1$") and "correct" not in encoded
    assert verify_password("correct horse", encoded)
    assert not verify_password("correct horsf", encoded)
    assert hash_password("correct horse") != encoded  # salted
    for broken in ("", "scrypt$1$2", "md5$16384$8$1$AAAA$AAAA", "scrypt$16384$8$1$!!$AAAA", "scrypt$3$8$1$AAAA$AAAA"):
        assert not verify_password("x", broken)


@given(st.from_regex(r"\A[0-9]{12}\Z"))
def test_access_key_ids_carry_their_account(account: str) -> None:
    for prefix in ("AKIA", "ASIA"):
        key_id = new_access_key_id(prefix, account)
        assert len(key_id) == 20 and key_id.startswith(prefix)
        assert all(ch in "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567" for ch in key_id[4:])
        assert account_of_access_key_id(key_id) == account


def test_account_of_an_aws_example_key() -> None:
    # The layout observed for AWS's keys (GetAccessKeyInfo answers from the id alone).
    assert account_of_access_key_id("ASIAQNZGKIQY56JQ7WML") == "029608264753"
    assert account_of_access_key_id("AKIA-not-a-key") is None


def test_secrets_and_ids_look_like_aws() -> None:
    secret = new_secret_access_key().reveal()
    assert len(secret) == 40
    unique = new_unique_id("AROA")
    assert len(unique) == 21 and unique.startswith("AROA")
    # "Unique identifiers" (IAM identifiers): AROA + upper-case letters and digits 2-7.
    many = {new_unique_id("AIDA")[4:] for _ in range(200)}
    assert len(many) == 200 and set("".join(many)) == set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")


def test_a_store_refuses_at_open_a_key_that_does_not_open_its_secrets(tmp_path: Path) -> None:
    # A replica or a command given another master key would otherwise start and then fail
    # every request signed with a long-term key; rotation ("the first seals, any opens")
    # still opens it.
    from iamsandbox.store import open_store, sqlite_url

    url, first, other = sqlite_url(tmp_path / "store.db"), os.urandom(32), os.urandom(32)
    open_store(url, [other]).close()  # an empty store has nothing sealed: any key opens it
    store = open_store(url, [first])
    with store.transaction() as tx:
        tx.create_account("111111111111", "a")
        tx.create_access_key("111111111111", None)
    store.close()
    with pytest.raises(MasterKeyError, match="does not open this store's secrets") as refused:
        open_store(url, [other])
    assert base64.b64encode(other).decode() not in str(refused.value)
    open_store(url, [other, first]).close()  # rotated: the new key first, the old one still opens

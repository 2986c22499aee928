"""SSH public keys, signing certificates and server certificates in the store (schema
version 8), on every backend; a version 7 database upgrades with its users intact.

What is stored is what the IAM API reference's operations need: UploadSSHPublicKey (an
APKA id, the body, the MD5 fingerprint, Active or Inactive), UploadSigningCertificate (a
user's or the root user's certificate), UploadServerCertificate (an ASCA id, a name unique
per account, a path, the ARN arn:aws:iam::ACCOUNT:server-certificate/PATHNAME, the body,
chain and private key; the private key is a secret, sealed at rest).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from store_harness import ACCOUNT, Database

from iamsandbox.store import Conflict, SqlStore
from iamsandbox.store.crypto import Secret

EXPIRES = datetime(2030, 1, 1, tzinfo=UTC)
PRIVATE = "-----BEGIN PRIVATE KEY-----\nnot-a-real-key-but-secret-material\n-----END PRIVATE KEY-----\n"


def test_a_version_7_database_upgrades_and_keeps_its_users(database: Database) -> None:
    old = database.open(target_version=7)
    try:
        with old.transaction() as tx:
            tx.create_account(ACCOUNT, "from version 7")
            user = tx.create_user(ACCOUNT, "alice")
    finally:
        old.close()
    engine = database.raw()
    assert not sa.inspect(engine).has_table("server_certificates")
    engine.dispose()
    new = database.open()
    try:
        with new.transaction() as tx:
            key = tx.create_ssh_public_key(ACCOUNT, user.id, "ssh-rsa AAAA", "aa:bb")
            assert tx.list_ssh_public_keys(user.id) == [key]
    finally:
        new.close()


def test_ssh_public_keys(accounts: SqlStore) -> None:
    with accounts.transaction() as tx:
        user = tx.create_user(ACCOUNT, "alice")
        first = tx.create_ssh_public_key(ACCOUNT, user.id, "ssh-rsa AAAA1", "11:22")
        second = tx.create_ssh_public_key(ACCOUNT, user.id, "ssh-rsa AAAA2", "33:44")
    # "APKA" and 16 upper-case base32 characters.
    assert re.fullmatch(r"APKA[A-Z2-7]{16}", first.key_id)
    assert first.status == "Active"
    with accounts.transaction() as tx:
        assert [found.key_id for found in tx.list_ssh_public_keys(user.id)] == [first.key_id, second.key_id]
        assert tx.set_ssh_public_key_status(first.key_id, "Inactive")
        found = tx.get_ssh_public_key(first.key_id)
        assert found is not None and found.status == "Inactive" and found.body == "ssh-rsa AAAA1"
        assert tx.delete_ssh_public_key(first.key_id)
        assert not tx.delete_ssh_public_key(first.key_id)
        assert tx.get_ssh_public_key(first.key_id) is None


def test_signing_certificates_of_a_user_and_of_the_root_user(accounts: SqlStore) -> None:
    with accounts.transaction() as tx:
        user = tx.create_user(ACCOUNT, "alice")
        mine = tx.create_signing_certificate(ACCOUNT, user.id, "PEM-1", "f1")
        root = tx.create_signing_certificate(ACCOUNT, None, "PEM-2", "f2")
    with accounts.transaction() as tx:
        assert tx.list_signing_certificates(ACCOUNT, user.id) == [mine]
        assert tx.list_signing_certificates(ACCOUNT, None) == [root]
        assert tx.find_signing_certificate(ACCOUNT, "f2") == root
        assert tx.find_signing_certificate(ACCOUNT, "f3") is None
        assert tx.set_signing_certificate_status(mine.certificate_id, "Inactive")
        assert tx.delete_signing_certificate(root.certificate_id)
        assert tx.list_signing_certificates(ACCOUNT, None) == []


def test_server_certificates_sealed_renamed_and_unique(accounts: SqlStore, database: Database) -> None:
    with accounts.transaction() as tx:
        created = tx.create_server_certificate(
            ACCOUNT, "ProdCert", "/cloudfront/", "BODY", "CHAIN", Secret(PRIVATE), EXPIRES
        )
        tx.set_tags(ACCOUNT, created.id, {"env": "prod"})
    assert created.arn == f"arn:aws:iam::{ACCOUNT}:server-certificate/cloudfront/ProdCert"
    assert created.id.startswith("ASCA")
    assert PRIVATE not in repr(created)

    # The private key is sealed at rest: the column holds no byte of the PEM.
    engine = database.raw()
    with engine.connect() as conn:
        raw = conn.execute(sa.text("SELECT private_key FROM server_certificates")).scalar_one()
    engine.dispose()
    assert b"secret-material" not in bytes(raw)

    with accounts.transaction() as tx:
        found = tx.get_server_certificate(ACCOUNT, "prodcert")  # names ignore case
        assert found is not None and found.private_key == Secret(PRIVATE)
        assert [c.name for c in tx.list_server_certificates(ACCOUNT, "/cloudfront/")] == ["ProdCert"]
        assert tx.list_server_certificates(ACCOUNT, "/other/") == []
        renamed = tx.rename_server_certificate(created.id, "ProdCert2", "/")
        assert renamed is not None and renamed.arn == f"arn:aws:iam::{ACCOUNT}:server-certificate/ProdCert2"
        assert tx.get_tags(created.id) == {"env": "prod"}  # tags follow the id through a rename
    with pytest.raises(Conflict), accounts.transaction() as tx:
        tx.create_server_certificate(ACCOUNT, "PRODCERT2", "/", "BODY", None, Secret(PRIVATE), EXPIRES)
    with accounts.transaction() as tx:
        assert tx.delete_server_certificate(created.id)
        assert tx.get_tags(created.id) == {}
        assert not tx.delete_server_certificate(created.id)

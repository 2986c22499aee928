"""Service-specific credentials in the store (schema version 13), on every backend; a
version 12 database upgrades with its users intact.

What is stored is what the IAM API reference's CreateServiceSpecificCredential and
ResetServiceSpecificCredential answer: an ``ACCA`` id, the service, the generated service
user name, the generated password ("This is the only time that the password for this
credential set is available": a secret, sealed at rest, as secret access keys are), the
status and the creation date.
"""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from store_harness import ACCOUNT, OTHER, Database

from iamsandbox.store import Conflict, SqlStore, open_store
from iamsandbox.store.crypto import MasterKeyError, SealError, Secret

CODECOMMIT = "codecommit.amazonaws.com"
KEYSPACES = "cassandra.amazonaws.com"
PASSWORD = Secret("k1zPZM6uVxMQ3oxqgoYlNuJPyRTZ1vREs76zTQE3eJk=")  # the AWS CLI example's form


def test_a_version_12_database_upgrades_and_keeps_its_users(database: Database) -> None:
    old = database.open(target_version=12)
    try:
        with old.transaction() as tx:
            tx.create_account(ACCOUNT, "from version 12")
            user = tx.create_user(ACCOUNT, "alice")
    finally:
        old.close()
    engine = database.raw()
    assert not sa.inspect(engine).has_table("service_specific_credentials")
    engine.dispose()
    new = database.open()
    try:
        with new.transaction() as tx:
            created = tx.create_service_specific_credential(ACCOUNT, user.id, CODECOMMIT, "alice-at-x", PASSWORD)
            assert tx.list_service_specific_credentials(ACCOUNT, user.id) == [created]
    finally:
        new.close()


def test_create_list_status_reset_delete(accounts: SqlStore) -> None:
    with accounts.transaction() as tx:
        alice = tx.create_user(ACCOUNT, "alice")
        bob = tx.create_user(ACCOUNT, "bob")
        first = tx.create_service_specific_credential(ACCOUNT, alice.id, CODECOMMIT, "alice-at-1", PASSWORD)
        second = tx.create_service_specific_credential(ACCOUNT, alice.id, KEYSPACES, "alice+1-at-1", PASSWORD)
        theirs = tx.create_service_specific_credential(ACCOUNT, bob.id, CODECOMMIT, "bob-at-1", PASSWORD)
    # "ACCA" and 17 upper-case base32 characters (ACCAQFODXMPL4YFHP7DZE, the AWS CLI's example).
    assert re.fullmatch(r"ACCA[A-Z2-7]{17}", first.credential_id)
    assert first.status == "Active" and first.password == PASSWORD
    assert "k1zPZM6" not in repr(first)  # the password's repr is masked
    with accounts.transaction() as tx:
        assert [c.credential_id for c in tx.list_service_specific_credentials(ACCOUNT, alice.id)] == [
            first.credential_id,
            second.credential_id,
        ]
        assert tx.list_service_specific_credentials(ACCOUNT, alice.id, KEYSPACES) == [second]
        everyone = tx.list_service_specific_credentials(ACCOUNT, service_name=CODECOMMIT)
        assert {c.credential_id for c in everyone} == {first.credential_id, theirs.credential_id}
        assert tx.list_service_specific_credentials(OTHER) == []
        assert tx.set_service_specific_credential_status(first.credential_id, "Inactive")
        renewed = Secret("+oaFsNk7tLco+C/obP9GhhcOzGcKOayTmE3LnAmAmH4=")
        assert tx.reset_service_specific_credential(first.credential_id, renewed)
        found = tx.get_service_specific_credential(first.credential_id)
        assert found is not None and found.status == "Inactive" and found.password == renewed
        assert found.service_user_name == "alice-at-1" and found.service_name == CODECOMMIT
        assert tx.delete_service_specific_credential(first.credential_id)
        assert not tx.delete_service_specific_credential(first.credential_id)
        assert tx.get_service_specific_credential(first.credential_id) is None
        assert not tx.set_service_specific_credential_status("ACCANOSUCHCREDENTIAL1", "Active")
        assert not tx.reset_service_specific_credential("ACCANOSUCHCREDENTIAL1", renewed)


def test_the_password_is_sealed_at_rest_and_bound_to_its_id(database: Database) -> None:
    store = database.open()
    try:
        with store.transaction() as tx:
            tx.create_account(ACCOUNT, "a")
            user = tx.create_user(ACCOUNT, "alice")
            one = tx.create_service_specific_credential(ACCOUNT, user.id, CODECOMMIT, "alice-at-1", PASSWORD)
            two = tx.create_service_specific_credential(ACCOUNT, user.id, KEYSPACES, "alice+1-at-1", Secret("other"))
    finally:
        store.close()
    engine = database.raw()
    with engine.begin() as conn:
        rows = dict(conn.execute(sa.text("SELECT credential_id, password FROM service_specific_credentials")).all())
        assert PASSWORD.reveal().encode() not in bytes(rows[one.credential_id])
        # A sealed password copied into another row does not open there.
        conn.execute(
            sa.text("UPDATE service_specific_credentials SET password = :p WHERE credential_id = :id"),
            {"p": bytes(rows[one.credential_id]), "id": two.credential_id},
        )
    engine.dispose()
    store = database.open()
    try:
        with store.transaction() as tx, pytest.raises(SealError):
            tx.get_service_specific_credential(two.credential_id)
    finally:
        store.close()


def test_a_store_whose_only_secret_is_a_credential_password_checks_the_master_key(database: Database) -> None:
    """``open_store`` refuses another master key when the store's one sealed value is a
    service-specific credential's password."""
    store = database.open()
    try:
        with store.transaction() as tx:
            tx.create_account(ACCOUNT, "a")
            user = tx.create_user(ACCOUNT, "alice")
            tx.create_service_specific_credential(ACCOUNT, user.id, CODECOMMIT, "alice-at-1", PASSWORD)
    finally:
        store.close()
    with pytest.raises(MasterKeyError, match="does not open this store's secrets"):
        open_store(database.url, [bytes(32)])


def test_a_user_with_credentials_cannot_be_deleted(accounts: SqlStore) -> None:
    """DeleteUser: remove the "Git credentials (DeleteServiceSpecificCredential)" first; the
    store refuses the delete (``Conflict``) while one remains."""
    with accounts.transaction() as tx:
        user = tx.create_user(ACCOUNT, "alice")
        created = tx.create_service_specific_credential(ACCOUNT, user.id, CODECOMMIT, "alice-at-1", PASSWORD)
    with pytest.raises(Conflict), accounts.transaction() as tx:
        tx.delete_identity(user.id)
    with accounts.transaction() as tx:
        assert tx.delete_service_specific_credential(created.credential_id)
        assert tx.delete_identity(user.id)

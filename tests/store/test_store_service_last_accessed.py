"""Service last accessed data in the store (schema version 15), on every backend; a version
14 database upgrades with its users intact.

What is kept is what GetServiceLastAccessedDetails answers of an entity ("Refine
permissions in AWS using last accessed information", IAM User Guide): per user or role and
service (and tracked action), the most recent attempt and its Region. Deleting the user or
role deletes its data, and never waits on it (DeleteUser lists what must go first: no such
data is there).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from store_harness import ACCOUNT, OTHER, Database

from iamsandbox.store import SqlStore
from iamsandbox.store.interface import ServiceAccess

T0 = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


def test_a_version_14_database_upgrades_and_keeps_its_users(database: Database) -> None:
    old = database.open(target_version=14)
    try:
        with old.transaction() as tx:
            tx.create_account(ACCOUNT, "from version 14")
            user = tx.create_user(ACCOUNT, "alice")
    finally:
        old.close()
    engine = database.raw()
    assert not sa.inspect(engine).has_table("service_last_accessed")
    engine.dispose()
    new = database.open()
    try:
        with new.transaction() as tx:
            tx.record_service_access([ServiceAccess(user.id, "s3", "", T0, "us-east-1")])
            assert tx.list_service_access([user.id]) == [ServiceAccess(user.id, "s3", "", T0, "us-east-1")]
    finally:
        new.close()


def test_the_latest_attempt_is_kept_per_entity_service_and_action(accounts: SqlStore) -> None:
    with accounts.transaction() as tx:
        alice = tx.create_user(ACCOUNT, "alice")
        role = tx.create_role(OTHER, "reader", "{}")
        tx.record_service_access(
            [
                ServiceAccess(alice.id, "s3", "", T0, "us-east-1"),
                ServiceAccess(alice.id, "s3", "CreateBucket", T0, "us-east-1"),
                # Two of one key in a batch: the later one.
                ServiceAccess(alice.id, "iam", "", T0, "us-east-1"),
                ServiceAccess(alice.id, "iam", "", T0 + timedelta(seconds=1), "us-east-1"),
                ServiceAccess(role.id, "sts", "", T0, "eu-west-1"),
            ]
        )
    with accounts.transaction() as tx:
        tx.record_service_access(
            [
                # Later than the stored one: replaces it; older: leaves it.
                ServiceAccess(alice.id, "s3", "", T0 + timedelta(minutes=5), "eu-west-1"),
                ServiceAccess(alice.id, "s3", "CreateBucket", T0 - timedelta(minutes=5), "eu-west-1"),
            ]
        )
    with accounts.read() as tx:
        assert tx.list_service_access([alice.id]) == [
            ServiceAccess(alice.id, "iam", "", T0 + timedelta(seconds=1), "us-east-1"),
            ServiceAccess(alice.id, "s3", "", T0 + timedelta(minutes=5), "eu-west-1"),
            ServiceAccess(alice.id, "s3", "CreateBucket", T0, "us-east-1"),
        ]
        assert tx.list_service_access([role.id]) == [ServiceAccess(role.id, "sts", "", T0, "eu-west-1")]
        assert len(tx.list_service_access([alice.id, role.id])) == 4
        assert tx.list_service_access([]) == []


def test_a_deleted_entitys_data_goes_with_it_and_late_notes_are_dropped(accounts: SqlStore) -> None:
    with accounts.transaction() as tx:
        alice = tx.create_user(ACCOUNT, "alice")
        role = tx.create_role(ACCOUNT, "reader", "{}")
        tx.record_service_access(
            [ServiceAccess(alice.id, "iam", "", T0, "us-east-1"), ServiceAccess(role.id, "s3", "", T0, "us-east-1")]
        )
    with accounts.transaction() as tx:
        assert tx.delete_identity(alice.id)  # no DeleteConflict: nothing of it to remove first
        assert tx.delete_identity(role.id)
    with accounts.transaction() as tx:
        assert tx.list_service_access([alice.id, role.id]) == []
        # Noted before the deletion, written after it: dropped, not an error.
        tx.record_service_access([ServiceAccess(alice.id, "s3", "", T0, "us-east-1")])
        assert tx.list_service_access([alice.id]) == []
        # A user created again under the name has another id, and none of the old data.
        again = tx.create_user(ACCOUNT, "alice")
        assert again.id != alice.id and tx.list_service_access([again.id]) == []

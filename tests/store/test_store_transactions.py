"""Units of work: all or nothing, durable when acknowledged, visible at once to other
store objects and processes on the same database."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading

import pytest
import sqlalchemy as sa
from store_harness import ACCOUNT, MASTER_KEY, Database

from iamsandbox.store import Conflict, SqlStore


def test_an_error_rolls_back_every_write(accounts: SqlStore) -> None:
    with pytest.raises(RuntimeError), accounts.transaction() as tx:
        tx.create_user(ACCOUNT, "alice")
        tx.create_bucket("bucket", ACCOUNT, "us-east-1")
        raise RuntimeError("the handler failed after two writes")
    with accounts.read() as tx:
        assert tx.get_user(ACCOUNT, "alice") is None and tx.get_bucket("bucket") is None
        assert tx.policy_generation(ACCOUNT) == 0


def test_a_conflict_rolls_back_the_earlier_writes(accounts: SqlStore) -> None:
    with accounts.transaction() as tx:
        tx.create_user(ACCOUNT, "taken")
    with pytest.raises(Conflict), accounts.transaction() as tx:
        tx.create_role(ACCOUNT, "written-first", "{}")
        tx.create_user(ACCOUNT, "TAKEN")
    with accounts.read() as tx:
        assert tx.get_role(ACCOUNT, "written-first") is None


def test_acknowledged_writes_are_durable(database: Database) -> None:
    """SQLite: WAL with synchronous=FULL (a commit returns after the WAL is fsynced);
    PostgreSQL: fsync and synchronous_commit on (its defaults), which the store relies on."""
    store = database.open()
    try:
        with store._engine.connect() as conn:
            if database.backend == "sqlite":
                assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
                assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
                assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
                assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
            else:
                assert conn.exec_driver_sql("SHOW fsync").scalar() == "on"
                assert conn.exec_driver_sql("SHOW synchronous_commit").scalar() in (
                    "on",
                    "remote_write",
                    "remote_apply",
                )
    finally:
        store.close()


def test_two_store_objects_see_each_others_writes_at_once(database: Database) -> None:
    first, second = database.open(), database.open()
    try:
        with first.transaction() as tx:
            tx.create_account(ACCOUNT, "a")
        with second.read() as tx:
            assert tx.get_account(ACCOUNT) is not None
        with second.transaction() as tx:
            tx.create_user(ACCOUNT, "bob")
        with first.read() as tx:
            assert tx.get_user(ACCOUNT, "bob") is not None
    finally:
        first.close()
        second.close()


def test_another_process_sees_a_committed_write(database: Database) -> None:
    """What ``iamsandbox account create`` does while a server runs on the same store."""
    store = database.open()
    try:
        with store.read() as tx:
            assert tx.get_account(ACCOUNT) is None
        script = textwrap.dedent(
            f"""
            from iamsandbox.store import open_store
            store = open_store({database.url!r}, [{MASTER_KEY!r}])
            with store.transaction() as tx:
                tx.create_account({ACCOUNT!r}, "from another process")
                key = tx.create_access_key({ACCOUNT!r}, None)
            print(key.access_key_id)
            store.close()
            """
        )
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True)
        with store.read() as tx:
            key = tx.get_access_key(done.stdout.strip())
            assert key is not None and key.account_id == ACCOUNT
    finally:
        store.close()


def test_concurrent_writers_queue_instead_of_failing(database: Database) -> None:
    """Two store objects writing at once: every write lands (SQLite: BEGIN IMMEDIATE and
    the busy timeout make the second writer wait; PostgreSQL: row locks)."""
    stores = [database.open(), database.open()]
    try:
        with stores[0].transaction() as tx:
            tx.create_account(ACCOUNT, "a")
            policy = tx.create_policy(ACCOUNT, "p", "{}")
        errors: list[BaseException] = []

        def work(store: SqlStore, n: int) -> None:
            try:
                for i in range(15):
                    with store.transaction() as tx:
                        tx.create_user(ACCOUNT, f"user-{n}-{i}")
                        tx.create_policy_version(policy.arn, "{}", set_as_default=False)
                        tx.delete_policy_version(policy.arn, "v1")  # keep the count down
            except BaseException as error:  # noqa: BLE001 -- reported by the assertion below
                errors.append(error)

        threads = [threading.Thread(target=work, args=(store, n)) for n, store in enumerate(stores)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        with stores[0].read() as tx:
            assert len(tx.list_users(ACCOUNT)) == 30
            versions = tx.list_policy_versions(policy.arn)
            # Version numbers were allocated without a duplicate: the last is v31.
            assert max(int(v.version_id[1:]) for v in versions) == 31
    finally:
        for store in stores:
            store.close()


def test_read_units_see_a_consistent_snapshot(database: Database) -> None:
    """SQLite: a read unit is a snapshot. PostgreSQL runs at READ COMMITTED: each
    statement sees the latest commit (the request path reads little, so this is enough)."""
    store = database.open()
    other = database.open()
    try:
        with store.transaction() as tx:
            tx.create_account(ACCOUNT, "a")
        with store.read() as tx:
            assert tx.get_user(ACCOUNT, "late") is None
            with other.transaction() as writer:
                writer.create_user(ACCOUNT, "late")
            seen = tx.get_user(ACCOUNT, "late")
            assert (seen is None) if database.backend == "sqlite" else (seen is not None)
        with store.read() as tx:
            assert tx.get_user(ACCOUNT, "late") is not None
    finally:
        store.close()
        other.close()


def test_raw_engine_reads_committed_rows(accounts: SqlStore, database: Database) -> None:
    engine = database.raw()
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM accounts")).scalar_one() == 2
    engine.dispose()

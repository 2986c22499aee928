"""SQLite units on a thread's own long-lived connection (``sql.py``, "lanes"): the same
all-or-nothing units as through the pool, whether a unit uses the driver or Core."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from store_harness import ACCOUNT, MASTER_KEY

from iamsandbox.store import SqlStore, open_store, sqlite_url
from iamsandbox.store.sql import MAX_LANES


def test_a_thread_runs_its_units_on_one_connection(lite: SqlStore) -> None:
    seen = set()
    for _ in range(3):
        with lite.read() as tx:
            seen.add(id(tx._conn))
        with lite.transaction() as tx:
            seen.add(id(tx._conn))
    assert len(seen) == 1 and len(lite._lanes) == 1


def test_a_unit_inside_a_unit_takes_another_connection(lite: SqlStore) -> None:
    with lite.read() as outer:
        assert outer.get_user(ACCOUNT, "made-inside") is None  # the first read takes the snapshot
        with lite.transaction() as inner:
            assert inner._conn is not outer._conn
            inner.create_user(ACCOUNT, "made-inside")
        assert outer.get_user(ACCOUNT, "made-inside") is None
    with lite.read() as tx:
        assert tx.get_user(ACCOUNT, "made-inside") is not None


def test_core_writes_and_driver_reads_in_one_unit_commit_together(lite: SqlStore) -> None:
    with lite.transaction() as tx:
        user = tx.create_user(ACCOUNT, "alice")  # Core: SQLAlchemy autobegins on the lane
        assert tx.get_user(ACCOUNT, "alice") == user  # the driver, same transaction
    with lite.read() as tx:
        assert tx.get_user(ACCOUNT, "alice") == user
        assert not tx._conn.in_transaction()  # the last unit ended SQLAlchemy's transaction too


def test_an_error_on_a_lane_rolls_back_and_the_lane_goes_on(lite: SqlStore) -> None:
    with pytest.raises(RuntimeError), lite.transaction() as tx:
        tx.create_user(ACCOUNT, "never")
        raise RuntimeError("handler failed")
    with pytest.raises(RuntimeError), lite.read() as tx:
        tx.get_user(ACCOUNT, "never")
        raise RuntimeError("a read unit failed")
    with lite.transaction() as tx:
        assert tx.get_user(ACCOUNT, "never") is None
        tx.create_user(ACCOUNT, "later")
    with lite.read() as tx:
        assert tx.get_user(ACCOUNT, "later") is not None


def test_lanes_of_ended_threads_are_closed_and_their_number_is_bounded(lite: SqlStore) -> None:
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            with lite.transaction() as tx:
                tx.create_user(ACCOUNT, f"user-{n}")
        except BaseException as error:  # noqa: BLE001 -- reported by the assertion below
            errors.append(error)

    for batch in range(3):
        threads = [threading.Thread(target=work, args=(batch * 10 + n,)) for n in range(MAX_LANES + 2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(lite._lanes) <= MAX_LANES
    last = threading.Thread(target=work, args=(99,))  # its lane sweeps the ended threads'
    last.start()
    last.join()
    assert errors == []
    with lite.read() as tx:
        assert len(tx.list_users(ACCOUNT)) == 3 * (MAX_LANES + 2) + 1
    assert {lane.thread for lane in lite._lanes.values()} == {threading.current_thread(), last}


def test_closing_the_store_closes_the_lanes(tmp_path: Path) -> None:
    store = open_store(sqlite_url(tmp_path / "store.db"), [MASTER_KEY])
    with store.read() as tx:
        conn = tx._conn
    store.close()
    assert conn.closed and store._lanes == {}
    with store.read() as tx:  # still usable afterwards, through the pool
        assert tx.get_account(ACCOUNT) is None
    store.close()


def test_cached_rows_follow_writes_on_the_same_connection(lite: SqlStore) -> None:
    with lite.transaction() as tx:
        key = tx.create_access_key(ACCOUNT, None)
    with lite.read() as tx:
        assert tx.get_access_key(key.access_key_id).status == "Active"  # type: ignore[union-attr]
    with lite.transaction() as tx:
        assert tx.get_access_key(key.access_key_id).status == "Active"  # type: ignore[union-attr]
        tx.set_access_key_status(key.access_key_id, "Inactive")
        # the same unit reads its own write, though the row was read before it
        assert tx.get_access_key(key.access_key_id).status == "Inactive"  # type: ignore[union-attr]
    with lite.read() as tx:
        assert tx.get_access_key(key.access_key_id).status == "Inactive"  # type: ignore[union-attr]


def test_cached_rows_follow_commits_of_other_connections_and_processes(lite: SqlStore, tmp_path: Path) -> None:
    with lite.transaction() as tx:
        key = tx.create_access_key(ACCOUNT, None)
    with lite.read() as tx:
        assert tx.get_access_key(key.access_key_id).status == "Active"  # type: ignore[union-attr]
    other = open_store(sqlite_url(tmp_path / "store.db"), [MASTER_KEY])
    try:
        with other.transaction() as tx:
            tx.set_access_key_status(key.access_key_id, "Inactive")
    finally:
        other.close()
    with lite.read() as tx:
        assert tx.get_access_key(key.access_key_id).status == "Inactive"  # type: ignore[union-attr]
    script = textwrap.dedent(
        f"""
        from iamsandbox.store import open_store, sqlite_url
        store = open_store(sqlite_url({str(tmp_path / "store.db")!r}), [{MASTER_KEY!r}])
        with store.transaction() as tx:
            tx.set_access_key_status({key.access_key_id!r}, "Active")
        store.close()
        """
    )
    subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True)
    with lite.read() as tx:
        assert tx.get_access_key(key.access_key_id).status == "Active"  # type: ignore[union-attr]


def test_a_rolled_back_write_leaves_no_stale_row(lite: SqlStore) -> None:
    with lite.transaction() as tx:
        user = tx.create_user(ACCOUNT, "alice")
    with pytest.raises(RuntimeError), lite.transaction() as tx:
        tx.set_tags(ACCOUNT, user.id, {"team": "x"})
        assert tx.get_tags(user.id) == {"team": "x"}  # read (and cached) inside the unit
        raise RuntimeError("rolled back")
    with lite.read() as tx:
        assert tx.get_tags(user.id) == {}

"""PostgreSQL connections that the server closes, and writers that wait for the write lock
(run when ``IAMSANDBOX_TEST_POSTGRES_URL`` names a database, as ``.ci/run`` sets it).

- A pooled connection the server ended (a restart, a failover, ``idle_session_timeout``)
  is replaced when it is next checked out: the request it would have served succeeds.
- A writer waits for the write lock at most ``PG_LOCK_TIMEOUT``, as a SQLite writer waits
  for the file's (30 s): then it fails instead of hanging its process.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from store_harness import POSTGRES_URL, Database

from iamsandbox.store import SqlStore
from iamsandbox.store.sql import PG_LOCK_TIMEOUT

pytestmark = [
    pytest.mark.skipif(POSTGRES_URL is None, reason="IAMSANDBOX_TEST_POSTGRES_URL names no PostgreSQL database"),
    pytest.mark.parametrize("database", ["postgresql"], indirect=True),
]


@pytest.fixture
def pg_store(database: Database) -> Iterator[tuple[SqlStore, Database]]:
    store = database.open()
    try:
        yield store, database
    finally:
        store.close()


def test_a_connection_the_server_ended_is_replaced(pg_store: tuple[SqlStore, Database]) -> None:
    store, database = pg_store
    with store.transaction() as tx:
        tx.create_account("111111111111", "one")
    with store.read() as tx:  # the pool now holds this open connection, and only it
        pid = tx._conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
    admin = sa.create_engine(database.url)
    with admin.begin() as conn:
        assert conn.exec_driver_sql("SELECT pg_terminate_backend(%(pid)s)", {"pid": pid}).scalar() is True
    admin.dispose()
    with store.read() as tx:
        assert tx.get_account("111111111111") is not None
        assert tx._conn.exec_driver_sql("SELECT pg_backend_pid()").scalar() != pid


def test_writers_wait_for_the_lock_a_limited_time(pg_store: tuple[SqlStore, Database]) -> None:
    store, _database = pg_store
    with store.read() as tx:
        timeout = tx._conn.exec_driver_sql("SHOW lock_timeout").scalar()
    assert timeout == PG_LOCK_TIMEOUT == "30s"

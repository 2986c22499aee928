"""Each store test runs on a SQLite file and, when ``IAMSANDBOX_TEST_POSTGRES_URL`` is set
(e.g. ``postgresql+psycopg://postgres@127.0.0.1:5432/test``), on PostgreSQL too, in a
schema of its own that is dropped afterwards."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
import sqlalchemy as sa

from iamsandbox.store import SqlStore, open_store, sqlite_url

POSTGRES_URL = os.environ.get("IAMSANDBOX_TEST_POSTGRES_URL")
MASTER_KEY = bytes(range(32))
BACKENDS = ["sqlite", *(["postgresql"] if POSTGRES_URL else [])]


@dataclass
class Database:
    """Where a test's store lives; ``open()`` gives a new store object on it."""

    url: str
    backend: str
    tmp_path: Path

    def open(self, **options: object) -> SqlStore:
        return open_store(self.url, [MASTER_KEY], **options)  # type: ignore[arg-type]  # test passthrough

    def raw(self) -> sa.Engine:
        """An engine that reads the tables directly (bypassing the store)."""
        return sa.create_engine(self.url)


@pytest.fixture(params=BACKENDS)
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    if request.param == "sqlite":
        yield Database(sqlite_url(tmp_path / "store.db"), "sqlite", tmp_path)
        return
    assert POSTGRES_URL is not None
    schema = "t_" + secrets.token_hex(6)
    admin = sa.create_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in POSTGRES_URL else "?"
    url = f"{POSTGRES_URL}{separator}options={quote(f'-csearch_path={schema}')}"
    try:
        yield Database(url, "postgresql", tmp_path)
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


@pytest.fixture
def store(database: Database) -> Iterator[SqlStore]:
    opened = database.open()
    try:
        yield opened
    finally:
        opened.close()


ACCOUNT = "111111111111"
OTHER = "222222222222"


@pytest.fixture
def accounts(store: SqlStore) -> SqlStore:
    """The store with two accounts in it."""
    with store.transaction() as tx:
        tx.create_account(ACCOUNT, "trusting")
        tx.create_account(OTHER, "trusted")
    return store


@pytest.fixture
def lite(tmp_path: Path) -> Iterator[SqlStore]:
    """A SQLite store (lanes and the row cache are SQLite's) with ACCOUNT in it."""
    store = open_store(sqlite_url(tmp_path / "store.db"), [MASTER_KEY])
    with store.transaction() as tx:
        tx.create_account(ACCOUNT, "a")
    yield store
    store.close()

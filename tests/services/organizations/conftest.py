"""The ``orgs`` fixture: a fresh SQLite store with three accounts, and a caller of handlers."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from orgs_harness import MANAGEMENT, MEMBER, OUTSIDER, Orgs

from iamsandbox.store import open_store, sqlite_url


@pytest.fixture
def orgs(tmp_path: Path) -> Iterator[Orgs]:
    store = open_store(sqlite_url(tmp_path / "store.db"), [os.urandom(32)])
    with store.transaction() as tx:
        tx.create_account(MANAGEMENT, "management", "admin@example.com")
        tx.create_account(MEMBER, "member", "member@example.com")
        tx.create_account(OUTSIDER, "outsider")
    yield Orgs(store)
    store.close()

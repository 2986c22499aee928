"""The ``lookup`` fixture: a fresh SQLite store with accounts A and B."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from trail_harness import TRUSTED, TRUSTING, Lookup

from iamsandbox.store import open_store, sqlite_url


@pytest.fixture
def lookup(tmp_path: Path) -> Iterator[Lookup]:
    store = open_store(sqlite_url(tmp_path / "store.db"), [os.urandom(32)])
    with store.transaction() as tx:
        tx.create_account(TRUSTING, "trusting")
        tx.create_account(TRUSTED, "trusted")
    yield Lookup(store)
    store.close()

"""The ``iam`` fixture: a fresh SQLite store with two accounts, and a caller of handlers."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from iam_harness import ACCOUNT, OTHER, Iam

from iamsandbox.store import open_store, sqlite_url


@pytest.fixture
def iam(tmp_path: Path) -> Iterator[Iam]:
    store = open_store(sqlite_url(tmp_path / "store.db"), [os.urandom(32)])
    with store.transaction() as tx:
        tx.create_account(ACCOUNT, "trusting")
        tx.create_account(OTHER, "trusted")
    yield Iam(store)
    store.close()

"""Request-path reads and writes on SQLite run on the driver (``sql_base.Prepared``): they
must read exactly what SQLAlchemy Core reads, and store what it stores, for the same
statement (types, time zones, NULLs)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from iamsandbox.store import Conflict, open_store, sqlite_url
from iamsandbox.store.sql_base import _BUMP, _GENERATION, _TAGS
from iamsandbox.store.sql_credentials import _KEY_BY_ID
from iamsandbox.store.sql_iam import _IDENTITY_BY_ID, _IDENTITY_BY_NAME, _INSERT_IDENTITY, _ROLE_BY_ARN
from iamsandbox.store.sql_policies import _GROUPS_OF
from iamsandbox.store.sql_s3 import _BODY, _BODY_FROM, _BODY_PATH, _BODY_RANGE, _BUCKET, _OBJECT

ACCOUNT = "123456789012"
TRUST = json.dumps({"Version": "2012-10-17", "Statement": []})


def test_prepared_reads_match_core(tmp_path: Path) -> None:
    store = open_store(sqlite_url(tmp_path / "store.db"), [bytes(range(32))])
    with store.transaction() as tx:
        tx.create_account(ACCOUNT, "a")
        user = tx.create_user(ACCOUNT, "Alice")
        group = tx.create_group(ACCOUNT, "devs")
        tx.add_user_to_group(group.id, user.id)
        role = tx.create_role(ACCOUNT, "r", TRUST)
        tx.record_role_used(role.id, datetime(2024, 5, 1, 12, 30, 15, 123456, tzinfo=UTC), "eu-west-1")
        tx.set_tags(ACCOUNT, user.id, {"team": "x", "b": ""})
        key = tx.create_access_key(ACCOUNT, user.id)
        tx.create_bucket("bkt", ACCOUNT, "us-east-1")
        tx.put_object("bkt", "k", b"\x00hello", '"e"', metadata={"m": "1"})
    cases: list[tuple[Any, dict[str, Any]]] = [
        (_GENERATION, {"account_id": ACCOUNT}),
        (_TAGS, {"resource_id": user.id}),
        (_KEY_BY_ID, {"key_id": key.access_key_id}),
        (_KEY_BY_ID, {"key_id": "AKIAMISSING"}),
        (_IDENTITY_BY_ID, {"id": user.id}),
        (_IDENTITY_BY_ID, {"id": role.id}),
        (_IDENTITY_BY_NAME, {"account_id": ACCOUNT, "kind": "user", "key": "alice"}),
        (_ROLE_BY_ARN, {"arn": role.arn}),
        (_ROLE_BY_ARN, {"arn": user.arn}),
        (_GROUPS_OF, {"id": user.id}),
        (_BUCKET, {"name": "bkt"}),
        (_OBJECT, {"bucket": "bkt", "key": "k"}),
        (_BODY_PATH, {"bucket": "bkt", "key": "k"}),
        (_BODY, {"bucket": "bkt", "key": "k"}),
        (_BODY_FROM, {"bucket": "bkt", "key": "k", "start": 3}),
        (_BODY_RANGE, {"bucket": "bkt", "key": "k", "start": 2, "length": 3}),
    ]
    try:
        with store.read() as tx:
            for statement, values in cases:
                core = [tuple(row) for row in tx._conn.execute(statement, values)]
                fast = [tuple(row) for row in tx._fetch(statement, values)]
                assert fast == core, statement
                assert [type(v) for row in fast for v in row] == [type(v) for row in core for v in row]
            fetched = tx.get_role_by_arn(role.arn)
            assert fetched is not None and fetched.last_used is not None and fetched.last_used.tzinfo is UTC
            assert tx.read_object("bkt", "k", 1, 2) == b"he"
    finally:
        store.close()


def test_prepared_writes_store_what_core_stores(tmp_path: Path) -> None:
    """``_write`` (an identity insert, the generation bump) on the driver leaves the same
    stored text as Core's execution of the same statement, and maps a broken unique rule
    to ``Conflict``."""
    store = open_store(sqlite_url(tmp_path / "store.db"), [bytes(range(32))])
    when = datetime(2024, 5, 1, 12, 30, 15, 123456, tzinfo=UTC)

    def values(name: str) -> dict[str, Any]:
        return {
            "id": f"AIDA{name.upper():0>17}",
            "account_id": ACCOUNT,
            "kind": "user",
            "name": name,
            "name_key": name,
            "path": "/",
            "arn": f"arn:aws:iam::{ACCOUNT}:user/{name}",
            "created": when,
            "permissions_boundary": None,
            "trust_policy": None,
            "description": None,
            "max_session_duration": None,
            "last_used": when,
            "last_used_region": None,
        }

    try:
        with store.transaction() as tx:
            tx.create_account(ACCOUNT, "a")
            tx._conn.execute(_INSERT_IDENTITY, values("core"))
            assert tx._write(_INSERT_IDENTITY, values("driver")) == 1
            tx._conn.execute(_BUMP, {"bumped": ACCOUNT})
            assert tx._write(_BUMP, {"bumped": ACCOUNT}) == 1
            assert tx.policy_generation(ACCOUNT) == 2
            with pytest.raises(Conflict):
                tx._write(_INSERT_IDENTITY, {**values("driver"), "id": "AIDAOTHER"})  # same name
        raw = sa.create_engine(sqlite_url(tmp_path / "store.db"))
        with raw.connect() as conn:
            rows = conn.exec_driver_sql("SELECT name, created, last_used FROM identities ORDER BY name").all()
        raw.dispose()
        assert [tuple(row[1:]) for row in rows] == [(row[1], row[2]) for row in rows[:1]] * 2
        assert {row[0] for row in rows} == {"core", "driver"}
    finally:
        store.close()

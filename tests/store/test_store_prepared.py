"""Request-path reads on SQLite run on the driver (``sql_base.Prepared``): they must read
exactly what SQLAlchemy Core reads for the same statement (types, time zones, NULLs)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from iamsandbox.store import open_store, sqlite_url
from iamsandbox.store.sql_base import _GENERATION, _TAGS
from iamsandbox.store.sql_credentials import _KEY_BY_ID
from iamsandbox.store.sql_iam import _GROUPS_OF, _IDENTITY_BY_ID, _IDENTITY_BY_NAME, _ROLE_BY_ARN
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

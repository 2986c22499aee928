"""Object tags in the store (schema version 5): written with the object, replaced by a
write that replaces the object, set and cleared on their own, carried by a multipart upload
to the object it completes; a database of version 4 migrates with its objects untagged."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from store_harness import ACCOUNT, Database

from iamsandbox.store import SqlStore
from iamsandbox.store.migrations import upgrade


@pytest.fixture
def bucket(accounts: SqlStore) -> SqlStore:
    with accounts.transaction() as tx:
        tx.create_bucket("reports", ACCOUNT, "us-east-1")
    return accounts


def test_tags_are_written_with_the_object_and_replaced_with_it(bucket: SqlStore) -> None:
    with bucket.transaction() as tx:
        tx.put_object("reports", "a.csv", b"x", '"e"', tags={"project": "blue", "env": "prod"})
    with bucket.read() as tx:
        found = tx.get_object("reports", "a.csv")
        assert found is not None and dict(found.tags) == {"project": "blue", "env": "prod"}
        assert [dict(o.tags) for o in tx.list_objects("reports")] == [{"project": "blue", "env": "prod"}]
    with bucket.transaction() as tx:  # PutObject over it without tags: the new object has none
        tx.put_object("reports", "a.csv", b"y", '"f"')
    with bucket.read() as tx:
        found = tx.get_object("reports", "a.csv")
        assert found is not None and dict(found.tags) == {}


def test_set_object_tags_after_a_cached_read(bucket: SqlStore) -> None:
    with bucket.transaction() as tx:
        tx.put_object("reports", "a.csv", b"x", '"e"')
        assert tx.get_object("reports", "a.csv") is not None  # cached on the lane
        assert tx.set_object_tags("reports", "a.csv", {"k": "v"})
        again = tx.get_object("reports", "a.csv")
        assert again is not None and dict(again.tags) == {"k": "v"}
        assert not tx.set_object_tags("reports", "missing", {"k": "v"})
    with bucket.read() as tx:
        found = tx.get_object("reports", "a.csv")
        assert found is not None and dict(found.tags) == {"k": "v"}
    with bucket.transaction() as tx:
        assert tx.set_object_tags("reports", "a.csv", {})
    with bucket.read() as tx:
        found = tx.get_object("reports", "a.csv")
        assert found is not None and dict(found.tags) == {}


def test_a_multipart_upload_gives_its_tags_to_the_object(bucket: SqlStore) -> None:
    with bucket.transaction() as tx:
        upload = tx.create_multipart_upload("reports", "big", ACCOUNT, "arn:aws:iam::1:user/u", tags={"t": "1"})
        assert dict(upload.tags) == {"t": "1"}
        tx.put_part(upload.upload_id, 1, b"abc", '"p"')
    with bucket.transaction() as tx:
        assert dict(tx.get_multipart_upload(upload.upload_id).tags) == {"t": "1"}  # type: ignore[union-attr]  # present
        obj = tx.complete_multipart_upload(upload.upload_id, [1], '"x-1"')
        assert dict(obj.tags) == {"t": "1"}
    with bucket.read() as tx:
        found = tx.get_object("reports", "big")
        assert found is not None and dict(found.tags) == {"t": "1"}


def test_version_4_objects_migrate_untagged(database: Database) -> None:
    engine = database.raw()
    with engine.begin() as conn:
        upgrade(conn, target=4)
        when = "2025-01-01"
        conn.execute(
            sa.text("INSERT INTO accounts (account_id, name, policy_generation, created) VALUES (:a, 'a', 0, :t)"),
            {"a": ACCOUNT, "t": when},
        )
        conn.execute(
            sa.text("INSERT INTO buckets (name, account_id, region, created) VALUES ('old', :a, 'us-east-1', :t)"),
            {"a": ACCOUNT, "t": when},
        )
        conn.execute(
            sa.text(
                "INSERT INTO objects (bucket, key, size, etag, last_modified, body)"
                " VALUES ('old', 'k', 1, '\"e\"', :t, :b)"
            ),
            {"t": when, "b": b"x"},
        )
        assert upgrade(conn, target=5) == [5]
    engine.dispose()
    store = database.open()
    try:
        with store.read() as tx:
            found = tx.get_object("old", "k")
            assert found is not None and dict(found.tags) == {}
    finally:
        store.close()

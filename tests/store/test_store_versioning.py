"""Object versions in the store (schema version 10; "Using versioning in S3 buckets", S3 User
Guide): each key's latest version in ``objects``, the older ones in ``object_versions``; a
write of a new version ID keeps the previous latest as noncurrent, a write of the "null"
version replaces the null version wherever it is ("Working with objects in a
versioning-suspended bucket"); removing the latest makes the next newest the latest
("Working with delete markers": removing a delete marker undeletes the object); a database
of version 9 migrates with every object the "null" version and every bucket unversioned.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from store_harness import ACCOUNT, Database

from iamsandbox.store import SqlStore
from iamsandbox.store.migrations import upgrade

V1, V2, V3 = "a" * 32, "b" * 32, "c" * 32


@pytest.fixture
def bucket(accounts: SqlStore) -> SqlStore:
    with accounts.transaction() as tx:
        tx.create_bucket("docs", ACCOUNT, "us-east-1")
        assert tx.set_bucket_versioning("docs", "Enabled")
        assert not tx.set_bucket_versioning("missing", "Enabled")
    return accounts


def test_the_bucket_keeps_its_versioning_status(bucket: SqlStore) -> None:
    with bucket.read() as tx:
        found = tx.get_bucket("docs")
        assert found is not None and (found.versioning, found.mfa_delete) == ("Enabled", None)
    with bucket.transaction() as tx:
        tx.set_bucket_versioning("docs", "Suspended", "Disabled")
        tx.set_bucket_versioning("docs", "Suspended")  # None keeps the MFADelete given before
    with bucket.read() as tx:
        found = tx.get_bucket("docs")
        assert found is not None and (found.versioning, found.mfa_delete) == ("Suspended", "Disabled")


def test_new_versions_keep_the_old_ones(bucket: SqlStore) -> None:
    with bucket.transaction() as tx:
        tx.put_object("docs", "k", b"one", '"1"', version_id=V1, tags={"t": "1"})
        tx.put_object("docs", "k", b"two", '"2"', version_id=V2)
    with bucket.read() as tx:
        latest = tx.get_object("docs", "k")
        assert latest is not None and (latest.version_id, latest.etag, latest.is_latest) == (V2, '"2"', True)
        old = tx.get_object_version("docs", "k", V1)
        assert old is not None and (old.etag, old.is_latest, dict(old.tags)) == ('"1"', False, {"t": "1"})
        assert tx.read_object("docs", "k") == b"two"
        assert tx.read_object("docs", "k", version_id=V1) == b"one"
        assert tx.read_object("docs", "k", 1, 1, version_id=V1) == b"n"
        assert tx.get_object_version("docs", "k", V3) is None
        assert [(v.version_id, v.is_latest) for v in tx.list_object_versions("docs")] == [(V2, True), (V1, False)]
    with bucket.transaction() as tx:
        assert tx.set_object_tags("docs", "k", {"x": "y"}, version_id=V1)
        assert not tx.set_object_tags("docs", "k", {"x": "y"}, version_id=V3)
    with bucket.read() as tx:
        old = tx.get_object_version("docs", "k", V1)
        assert old is not None and dict(old.tags) == {"x": "y"}
        latest = tx.get_object("docs", "k")
        assert latest is not None and dict(latest.tags) == {}


def test_a_delete_marker_hides_the_key_until_removed(bucket: SqlStore) -> None:
    with bucket.transaction() as tx:
        tx.put_object("docs", "k", b"one", '"1"', version_id=V1)
        marker = tx.put_delete_marker("docs", "k", V2)
        assert marker.delete_marker
    with bucket.read() as tx:
        assert tx.get_object("docs", "k") is None
        found = tx.get_object_version("docs", "k")
        assert found is not None and (found.version_id, found.delete_marker) == (V2, True)
        assert tx.list_objects("docs") == []
        assert tx.has_object_versions("docs")
    with bucket.transaction() as tx:
        removed = tx.delete_object_version("docs", "k", V2)
        assert removed is not None and removed.delete_marker
    with bucket.read() as tx:
        back = tx.get_object("docs", "k")
        assert back is not None and back.version_id == V1 and back.is_latest
        assert tx.read_object("docs", "k") == b"one"
        assert [v.version_id for v in tx.list_object_versions("docs")] == [V1]
    with bucket.transaction() as tx:
        assert tx.delete_object_version("docs", "k", V3) is None
        assert tx.delete_object_version("docs", "k", V1) is not None
    with bucket.read() as tx:
        assert tx.get_object_version("docs", "k") is None and not tx.has_object_versions("docs")


def test_the_null_version_is_replaced_wherever_it_is(bucket: SqlStore) -> None:
    with bucket.transaction() as tx:
        tx.put_object("docs", "k", b"null-1", '"n1"')  # the "null" version
        tx.put_object("docs", "k", b"v1", '"1"', version_id=V1)
        tx.put_object("docs", "k", b"null-2", '"n2"')  # replaces the noncurrent null version
    with bucket.read() as tx:
        listed = [(v.version_id, v.etag, v.is_latest) for v in tx.list_object_versions("docs")]
        assert listed == [("null", '"n2"', True), (V1, '"1"', False)]
    with bucket.transaction() as tx:
        tx.put_delete_marker("docs", "k", "null")  # a suspended bucket's simple DELETE
    with bucket.read() as tx:
        listed = [(v.version_id, v.delete_marker, v.is_latest) for v in tx.list_object_versions("docs")]
        assert listed == [("null", True, True), (V1, False, False)]


def test_version_listing_pages_by_key_and_version(bucket: SqlStore) -> None:
    with bucket.transaction() as tx:
        for key in ("a", "b/1", "c"):
            tx.put_object("docs", key, b"1", '"1"', version_id=V1)
            tx.put_object("docs", key, b"2", '"2"', version_id=V2)
    with bucket.read() as tx:
        every = [(v.key, v.version_id) for v in tx.list_object_versions("docs")]
        assert every == [("a", V2), ("a", V1), ("b/1", V2), ("b/1", V1), ("c", V2), ("c", V1)]
        assert [(v.key, v.version_id) for v in tx.list_object_versions("docs", limit=3)] == every[:3]
        after = tx.list_object_versions("docs", key_marker="a", version_id_marker=V2)
        assert [(v.key, v.version_id) for v in after] == every[1:]
        assert [(v.key, v.version_id) for v in tx.list_object_versions("docs", key_marker="a")] == every[2:]
        assert [(v.key, v.version_id) for v in tx.list_object_versions("docs", prefix="b/")] == every[2:4]


def test_version_9_objects_become_null_versions(database: Database) -> None:
    engine = database.raw()
    with engine.begin() as conn:
        upgrade(conn, target=9)
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
        assert upgrade(conn, target=10) == [10]
    engine.dispose()
    store = database.open()
    try:
        with store.read() as tx:
            bucket = tx.get_bucket("old")
            assert bucket is not None and bucket.versioning is None
            found = tx.get_object("old", "k")
            assert found is not None and (found.version_id, found.delete_marker, found.is_latest) == (
                "null",
                False,
                True,
            )
            assert [v.version_id for v in tx.list_object_versions("old")] == ["null"]
        with store.transaction() as tx:  # an old row takes part in versioning as any other
            tx.put_object("old", "k", b"y", '"f"', version_id=V1)
        with store.read() as tx:
            assert [v.version_id for v in tx.list_object_versions("old")] == [V1, "null"]
            assert tx.read_object("old", "k", version_id="null") == b"x"
    finally:
        store.close()

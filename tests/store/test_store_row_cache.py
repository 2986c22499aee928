"""The lane's row cache (``sql_base.RowCache``): a connection's own write drops exactly
what read the tables it may change, so a write never leaves a stale read behind, and what
it cannot change stays cached (the next request's access key, user and policies after a
CreateRole). The rule is the cache's INVARIANT: a cached row is what the query would read now."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import delete, select, update
from store_harness import ACCOUNT, MASTER_KEY

from iamsandbox.store import SqlStore, open_store, sqlite_url
from iamsandbox.store import schema as s
from iamsandbox.store.sql_base import RowCache, read_tables, written_tables

DOC = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}'


def _cache(store: SqlStore) -> RowCache:
    (lane,) = store._lanes.values()
    return lane.rows


def test_a_write_drops_what_read_its_table_and_keeps_the_rest(lite: SqlStore) -> None:
    with lite.transaction() as tx:
        alice = tx.create_user(ACCOUNT, "alice")
        key = tx.create_access_key(ACCOUNT, alice.id)
        tx.set_tags(ACCOUNT, alice.id, {"team": "red"})
    with lite.read() as tx:  # the request path's reads, cached
        assert tx.get_access_key(key.access_key_id) is not None
        assert tx.get_identity(alice.id) == alice
        assert tx.get_tags(alice.id) == {"team": "red"}
    cached = set(_cache(lite).rows)
    with lite.transaction() as tx:  # CreateRole's writes: identities only
        tx.create_role(ACCOUNT, "r", DOC)
    kept = set(_cache(lite).rows)
    assert ("access_key", key.access_key_id) in kept and ("tags", alice.id) in kept
    assert ("identity", alice.id) not in kept  # it read identities
    assert kept < cached
    with lite.transaction() as tx:  # the tags change: their reads are dropped, read again
        tx.set_tags(ACCOUNT, alice.id, {"team": "blue"})
    with lite.read() as tx:
        assert tx.get_tags(alice.id) == {"team": "blue"}
        assert tx.get_identity(alice.id) == alice


def test_each_kind_of_write_leaves_no_stale_read(lite: SqlStore) -> None:
    with lite.transaction() as tx:
        alice = tx.create_user(ACCOUNT, "alice")
    with lite.read() as tx:
        assert tx.get_user(ACCOUNT, "alice") == alice
    with lite.transaction() as tx:  # a Core UPDATE
        tx.rename_identity(alice.id, name="alicia")
    with lite.read() as tx:
        assert tx.get_user(ACCOUNT, "alice") is None
        renamed = tx.get_user(ACCOUNT, "alicia")
        assert renamed is not None and tx.get_identity(alice.id) == renamed
    with lite.transaction() as tx:  # a Core DELETE
        tx.delete_identity(alice.id)
    with lite.read() as tx:
        assert tx.get_user(ACCOUNT, "alicia") is None and tx.get_identity(alice.id) is None


def test_a_write_in_the_same_unit_is_seen_by_the_next_read(lite: SqlStore) -> None:
    with lite.transaction() as tx:
        tx.create_bucket("b", ACCOUNT, "us-east-1")
        before = tx.get_bucket("b")
        assert before is not None and before.policy is None
        tx.set_bucket_attribute("b", "policy", DOC)
        found = tx.get_bucket("b")
        assert found is not None and found.policy == DOC


def test_a_write_the_cache_was_not_told_of_drops_everything(lite: SqlStore) -> None:
    with lite.transaction() as tx:
        alice = tx.create_user(ACCOUNT, "alice")
    with lite.transaction() as tx:
        assert tx.get_identity(alice.id) == alice
        # Straight on the driver, around both the store's writes and SQLAlchemy's events.
        tx._driver.execute("UPDATE identities SET name = 'mallory', name_key = 'mallory' WHERE id = ?", (alice.id,))
        found = tx.get_identity(alice.id)
        assert found is not None and found.name == "mallory"


def test_a_delete_reaches_the_rows_its_foreign_keys_delete() -> None:
    """policy_versions refer to managed_policies ON DELETE CASCADE, parts to
    multipart_uploads: a write to the parent may change the child."""
    assert written_tables(delete(s.managed_policies)) == {"managed_policies", "policy_versions"}
    assert written_tables(delete(s.multipart_uploads)) == {"multipart_uploads", "parts"}
    assert written_tables(update(s.identities)) == {"identities"}
    joined = select(s.identities.c.id).where(s.identities.c.id.in_(select(s.group_members.c.user_id).scalar_subquery()))
    assert read_tables(joined) == {"identities", "group_members"}


def test_a_read_unit_after_another_connection_wrote_reads_again(lite: SqlStore, tmp_path: Path) -> None:
    with lite.transaction() as tx:
        alice = tx.create_user(ACCOUNT, "alice")
    with lite.read() as tx:
        assert tx.get_tags(alice.id) == {}
    other = open_store(sqlite_url(tmp_path / "store.db"), [MASTER_KEY])
    try:
        with other.transaction() as tx:
            tx.set_tags(ACCOUNT, alice.id, {"team": "red"})
    finally:
        other.close()
    with lite.read() as tx:
        assert tx.get_tags(alice.id) == {"team": "red"}

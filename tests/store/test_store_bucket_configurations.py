"""Bucket configurations in the store (schema version 7): one JSON text per bucket and
kind, replaced and deleted on their own, gone with their bucket; a database of version 6
migrates with its buckets unconfigured."""

from __future__ import annotations

import sqlalchemy as sa
from store_harness import ACCOUNT, Database

from iamsandbox.store import SqlStore
from iamsandbox.store.migrations import upgrade

CORS = '{"CORSRules":[{"AllowedMethods":["GET"],"AllowedOrigins":["*"]}]}'
LIFECYCLE = '{"Rules":[{"ID":"r","Filter":{},"Status":"Enabled","Expiration":{"Days":1}}]}'


def test_set_get_replace_and_delete_by_kind(accounts: SqlStore) -> None:
    with accounts.transaction() as tx:
        tx.create_bucket("site", ACCOUNT, "us-east-1")
        assert tx.get_bucket_configuration("site", "cors") is None
        assert tx.set_bucket_configuration("site", "cors", CORS)
        assert tx.set_bucket_configuration("site", "lifecycle", LIFECYCLE)
        assert tx.get_bucket_configuration("site", "cors") == CORS  # read back in the same unit
    with accounts.read() as tx:
        assert tx.get_bucket_configuration("site", "cors") == CORS
        assert tx.get_bucket_configuration("site", "lifecycle") == LIFECYCLE
        assert tx.get_bucket_configuration("site", "encryption") is None
    with accounts.transaction() as tx:
        assert tx.get_bucket_configuration("site", "cors") == CORS  # cached on the lane
        assert tx.set_bucket_configuration("site", "cors", '{"CORSRules":[]}')
        assert tx.get_bucket_configuration("site", "cors") == '{"CORSRules":[]}'
        assert tx.set_bucket_configuration("site", "lifecycle", None)
        assert tx.set_bucket_configuration("site", "lifecycle", None)  # nothing to delete: still True
        assert not tx.set_bucket_configuration("missing", "cors", CORS)
    with accounts.read() as tx:
        assert tx.get_bucket_configuration("site", "cors") == '{"CORSRules":[]}'
        assert tx.get_bucket_configuration("site", "lifecycle") is None
        assert tx.get_bucket_configuration("missing", "cors") is None


def test_deleting_the_bucket_deletes_its_configurations(accounts: SqlStore) -> None:
    with accounts.transaction() as tx:
        tx.create_bucket("site", ACCOUNT, "us-east-1")
        tx.set_bucket_configuration("site", "cors", CORS)
        tx.set_bucket_configuration("site", "encryption", '{"Rules":[]}')
    with accounts.transaction() as tx:
        assert tx.delete_bucket("site")
    with accounts.transaction() as tx:
        tx.create_bucket("site", ACCOUNT, "us-east-1")
        assert tx.get_bucket_configuration("site", "cors") is None
        assert tx.get_bucket_configuration("site", "encryption") is None


def test_version_6_buckets_migrate_unconfigured(database: Database) -> None:
    engine = database.raw()
    with engine.begin() as conn:
        upgrade(conn, target=6)
        when = "2025-01-01"
        conn.execute(
            sa.text("INSERT INTO accounts (account_id, name, policy_generation, created) VALUES (:a, 'a', 0, :t)"),
            {"a": ACCOUNT, "t": when},
        )
        conn.execute(
            sa.text("INSERT INTO buckets (name, account_id, region, created) VALUES ('old', :a, 'us-east-1', :t)"),
            {"a": ACCOUNT, "t": when},
        )
        assert upgrade(conn, target=7) == [7]
    engine.dispose()
    store = database.open()
    try:
        with store.transaction() as tx:
            assert tx.get_bucket_configuration("old", "lifecycle") is None
            assert tx.set_bucket_configuration("old", "lifecycle", LIFECYCLE)
        with store.read() as tx:
            assert tx.get_bucket_configuration("old", "lifecycle") == LIFECYCLE
    finally:
        store.close()

"""An object's standard headers and storage class in the store (schema version 9): written
with the object, replaced by a write that replaces it, carried by a multipart upload to the
object it completes; a database of version 8 migrates with its objects STANDARD and without
such headers."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from store_harness import ACCOUNT, Database

from iamsandbox.store import SqlStore
from iamsandbox.store.interface import ObjectHeaders
from iamsandbox.store.migrations import upgrade

HEADERS = ObjectHeaders(
    cache_control="max-age=60",
    content_disposition='attachment; filename="a.csv"',
    content_encoding="gzip",
    content_language="fr",
    expires=datetime(2031, 5, 6, 7, 8, 9, tzinfo=UTC),
    website_redirect_location="/b.html",
    storage_class="STANDARD_IA",
)


@pytest.fixture
def bucket(accounts: SqlStore) -> SqlStore:
    with accounts.transaction() as tx:
        tx.create_bucket("reports", ACCOUNT, "us-east-1")
    return accounts


def test_headers_are_written_with_the_object_and_replaced_with_it(bucket: SqlStore) -> None:
    with bucket.transaction() as tx:
        assert tx.put_object("reports", "a.csv", b"x", '"e"', headers=HEADERS).headers == HEADERS
    with bucket.read() as tx:
        found = tx.get_object("reports", "a.csv")
        assert found is not None and found.headers == HEADERS
        assert [o.headers for o in tx.list_objects("reports")] == [HEADERS]
    with bucket.transaction() as tx:  # a write without them: none kept, STANDARD
        tx.put_object("reports", "a.csv", b"y", '"f"')
    with bucket.read() as tx:
        found = tx.get_object("reports", "a.csv")
        assert found is not None and found.headers == ObjectHeaders()
        assert found.headers.storage_class == "STANDARD"


def test_a_multipart_upload_gives_its_headers_to_the_object(bucket: SqlStore) -> None:
    with bucket.transaction() as tx:
        upload = tx.create_multipart_upload("reports", "big", ACCOUNT, "arn:aws:iam::1:user/u", headers=HEADERS)
        assert upload.headers == HEADERS
        tx.put_part(upload.upload_id, 1, b"abc", '"p"')
    with bucket.transaction() as tx:
        assert [u.headers for u in tx.list_multipart_uploads("reports")] == [HEADERS]
        assert tx.complete_multipart_upload(upload.upload_id, [1], '"x-1"').headers == HEADERS
    with bucket.read() as tx:
        found = tx.get_object("reports", "big")
        assert found is not None and found.headers == HEADERS


def test_version_8_objects_migrate_standard_and_without_headers(database: Database) -> None:
    engine = database.raw()
    with engine.begin() as conn:
        upgrade(conn, target=8)
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
        conn.execute(
            sa.text(
                "INSERT INTO multipart_uploads (upload_id, bucket, key, account_id, initiator_arn, created)"
                " VALUES ('u', 'old', 'm', :a, 'arn:aws:iam::1:user/u', :t)"
            ),
            {"a": ACCOUNT, "t": when},
        )
        assert upgrade(conn, target=9) == [9]
    engine.dispose()
    store = database.open()
    try:
        with store.read() as tx:
            found = tx.get_object("old", "k")
            assert found is not None and found.headers == ObjectHeaders()
            upload = tx.get_multipart_upload("u")
            assert upload is not None and upload.headers == ObjectHeaders()
    finally:
        store.close()

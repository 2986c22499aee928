"""A multipart object's part layout in the store (schema version 11; "GetObject" and
"HeadObject" partNumber, "GetObjectAttributes" ObjectParts in the Amazon S3 API Reference):
CompleteMultipartUpload keeps the parts' sizes (and the checksums it is given) with the
object, on the latest version and on the noncurrent ones; an object written in one request
has none; a database of version 10 upgrades with its objects and uploads intact.
"""

from __future__ import annotations

import sqlalchemy as sa
from store_harness import ACCOUNT, Database

from iamsandbox.store import SqlStore
from iamsandbox.store.interface import ObjectPart
from iamsandbox.store.migrations import upgrade

V1, V2 = "a" * 32, "b" * 32
ARN = f"arn:aws:iam::{ACCOUNT}:root"


def _complete(store: SqlStore, key: str, version_id: str) -> None:
    with store.transaction() as tx:
        upload = tx.create_multipart_upload("docs", key, ACCOUNT, ARN, checksum_algorithm="CRC32")
        tx.put_part(upload.upload_id, 1, b"a" * 7, '"p1"', {"CRC32": "one"})
        tx.put_part(upload.upload_id, 2, b"b" * 3, '"p2"')
        parts = tx.list_parts(upload.upload_id)
        assert [dict(part.checksums) for part in parts] == [{"CRC32": "one"}, {}]
        found = tx.get_multipart_upload(upload.upload_id)
        assert found is not None and (found.checksum_algorithm, found.checksum_type) == ("CRC32", None)
        layout = [ObjectPart(7, {"CRC32": "one"}), ObjectPart(3)]
        tx.complete_multipart_upload(upload.upload_id, [1, 2], '"e-2"', version_id, parts=layout)


def test_the_layout_stays_with_each_version(accounts: SqlStore) -> None:
    with accounts.transaction() as tx:
        tx.create_bucket("docs", ACCOUNT, "us-east-1")
        tx.set_bucket_versioning("docs", "Enabled")
    _complete(accounts, "k", V1)
    with accounts.transaction() as tx:
        tx.put_object("docs", "k", b"single", '"s"', version_id=V2)
    with accounts.read() as tx:
        latest = tx.get_object("docs", "k")
        assert latest is not None and latest.parts() is None  # one request: no layout
        old = tx.get_object_version("docs", "k", V1)
        assert old is not None and not old.is_latest
        assert old.parts() == (ObjectPart(7, {"CRC32": "one"}), ObjectPart(3))
        assert [v.version_id for v in tx.list_object_versions("docs")] == [V2, V1]
    with accounts.transaction() as tx:  # the multipart version becomes the latest again
        tx.delete_object_version("docs", "k", V2)
    with accounts.read() as tx:
        again = tx.get_object("docs", "k")
        assert again is not None and again.parts() == (ObjectPart(7, {"CRC32": "one"}), ObjectPart(3))
        assert tx.read_object("docs", "k", 7, 3) == b"bbb"


def test_the_default_layout_is_the_parts_sizes(accounts: SqlStore) -> None:
    with accounts.transaction() as tx:
        tx.create_bucket("docs", ACCOUNT, "us-east-1")
        upload = tx.create_multipart_upload("docs", "k", ACCOUNT, ARN)
        tx.put_part(upload.upload_id, 1, b"xy", '"p1"')
        tx.put_part(upload.upload_id, 3, b"z", '"p3"')
        obj = tx.complete_multipart_upload(upload.upload_id, [1, 3], '"e-2"')
        assert obj.parts() == (ObjectPart(2), ObjectPart(1))
    with accounts.read() as tx:
        found = tx.get_object("docs", "k")
        assert found is not None and found.parts() == (ObjectPart(2), ObjectPart(1))
        listed = tx.list_objects("docs")
        assert [o.key for o in listed] == ["k"] and listed[0].part_layout is None  # listings skip it


def test_version_10_rows_upgrade_without_a_layout(database: Database) -> None:
    engine = database.raw()
    with engine.begin() as conn:
        upgrade(conn, target=10)
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
                " VALUES ('old', 'k', 1, '\"e-1\"', :t, :b)"
            ),
            {"t": when, "b": b"x"},
        )
        conn.execute(
            sa.text(
                "INSERT INTO multipart_uploads (upload_id, bucket, key, account_id, initiator_arn, created)"
                " VALUES ('u', 'old', 'm', :a, :r, :t)"
            ),
            {"a": ACCOUNT, "r": ARN, "t": when},
        )
        conn.execute(
            sa.text(
                "INSERT INTO parts (upload_id, part_number, size, etag, created, body) VALUES ('u', 1, 2, 'p', :t, :b)"
            ),
            {"t": when, "b": b"ab"},
        )
        assert upgrade(conn, target=11) == [11]
    engine.dispose()
    store = database.open()
    try:
        with store.read() as tx:
            found = tx.get_object("old", "k")
            assert found is not None and found.parts() is None and found.etag == '"e-1"'
            upload = tx.get_multipart_upload("u")
            assert upload is not None and (upload.checksum_algorithm, upload.checksum_type) == (None, None)
            assert [(p.part_number, p.size, dict(p.checksums)) for p in tx.list_parts("u")] == [(1, 2, {})]
        with store.transaction() as tx:  # an upload begun before the upgrade completes with a layout
            obj = tx.complete_multipart_upload("u", [1], '"f-1"')
            assert obj.parts() == (ObjectPart(2),)
        with store.read() as tx:
            completed = tx.get_object("old", "m")
            assert completed is not None and completed.parts() == (ObjectPart(2),)
    finally:
        store.close()

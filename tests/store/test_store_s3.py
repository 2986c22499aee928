"""S3 in the store: global bucket names, objects by key, listing in S3's key order,
ranges, multipart uploads, bodies as files."""

from __future__ import annotations

from pathlib import Path

import pytest
from store_harness import ACCOUNT, OTHER, Database

from iamsandbox.store import Conflict, SqlStore
from iamsandbox.store.sql_base import prefix_successor


@pytest.fixture
def bucket(accounts: SqlStore) -> SqlStore:
    with accounts.transaction() as tx:
        tx.create_bucket("reports", ACCOUNT, "us-east-1")
    return accounts


def test_bucket_names_are_global(bucket: SqlStore) -> None:
    # "Bucket names must be unique across all AWS accounts in all the AWS Regions within a
    # partition" (S3 User Guide, "Bucket naming rules").
    with pytest.raises(Conflict), bucket.transaction() as tx:
        tx.create_bucket("reports", OTHER, "eu-west-1")
    with bucket.read() as tx:
        assert [b.name for b in tx.list_buckets(ACCOUNT)] == ["reports"]
        assert tx.list_buckets(OTHER) == []


def test_bucket_attributes_bump_the_owner_generation(bucket: SqlStore) -> None:
    with bucket.read() as tx:
        before = tx.policy_generation(ACCOUNT)
    with bucket.transaction() as tx:
        assert tx.set_bucket_attribute("reports", "policy", '{"Statement":[]}')
        assert tx.set_bucket_attribute("reports", "ownership_controls", "BucketOwnerEnforced")
        assert not tx.set_bucket_attribute("nope", "policy", None)
    with bucket.read() as tx:
        found = tx.get_bucket("reports")
        assert found is not None and found.policy == '{"Statement":[]}'
        assert found.ownership_controls == "BucketOwnerEnforced"
        assert tx.policy_generation(ACCOUNT) > before


def test_put_get_range_overwrite_delete(bucket: SqlStore) -> None:
    with bucket.transaction() as tx:
        obj = tx.put_object("reports", "a.txt", b"0123456789", '"e1"', "text/plain", {"owner": "me"}, {"CRC32": "x"})
    assert obj.size == 10
    with bucket.read() as tx:
        found = tx.get_object("reports", "a.txt")
        assert found is not None and found.metadata == {"owner": "me"} and found.checksums == {"CRC32": "x"}
        assert tx.read_object("reports", "a.txt") == b"0123456789"
        assert tx.read_object("reports", "a.txt", 2, 3) == b"234"
        assert tx.read_object("reports", "a.txt", 7) == b"789"
        assert tx.read_object("reports", "missing") is None
    with bucket.transaction() as tx:
        tx.put_object("reports", "a.txt", b"", '"e2"')
        assert tx.read_object("reports", "a.txt") == b""
        assert tx.delete_object("reports", "a.txt") and not tx.delete_object("reports", "a.txt")


def test_delete_bucket_with_objects_conflicts(bucket: SqlStore) -> None:
    with bucket.transaction() as tx:
        tx.put_object("reports", "k", b"x", '"e"')
    with pytest.raises(Conflict), bucket.transaction() as tx:
        tx.delete_bucket("reports")
    with bucket.transaction() as tx:
        tx.delete_object("reports", "k")
        assert tx.delete_bucket("reports")


KEYS = ["a", "a/b", "a/c", "a0", "b", "é", "z", "\U0001f600", "a/\uffff", "a/\U0001f600"]


def test_listing_is_in_utf8_binary_order_with_prefix_and_start_after(bucket: SqlStore) -> None:
    # ListObjectsV2: "Objects are returned sorted in an ascending order of the respective
    # key names in the list" (UTF-8 binary order).
    with bucket.transaction() as tx:
        for key in KEYS:
            tx.put_object("reports", key, key.encode(), '"e"')
    expected = sorted(KEYS, key=lambda k: k.encode("utf-8"))
    with bucket.read() as tx:
        assert [o.key for o in tx.list_objects("reports")] == expected
        assert [o.key for o in tx.list_objects("reports", prefix="a/")] == ["a/b", "a/c", "a/\uffff", "a/\U0001f600"]
        assert [o.key for o in tx.list_objects("reports", start_after="a/c", limit=3)] == [
            "a/\uffff",
            "a/\U0001f600",
            "a0",
        ]
        assert [o.key for o in tx.list_objects("reports", prefix="a/", start_after="a/b")] == [
            "a/c",
            "a/\uffff",
            "a/\U0001f600",
        ]
        assert [o.key for o in tx.list_objects("reports", prefix="a", start_after="b")] == []
        assert [o.key for o in tx.list_objects("reports", prefix="zz")] == []


def test_prefix_successor() -> None:
    assert prefix_successor("ab") == "ac"
    assert prefix_successor("a\U0010ffff") == "b"
    assert prefix_successor("\U0010ffff") is None
    assert prefix_successor("\ud7ff") == "\ue000"


def test_multipart_upload(bucket: SqlStore) -> None:
    with bucket.transaction() as tx:
        upload = tx.create_multipart_upload(
            "reports", "big", ACCOUNT, f"arn:aws:iam::{ACCOUNT}:user/u", "x/y", {"m": "1"}
        )
        tx.put_part(upload.upload_id, 2, b"world", '"p2"')
        tx.put_part(upload.upload_id, 1, b"hullo ", '"p1"')
        tx.put_part(upload.upload_id, 1, b"hello ", '"p1b"')  # uploading a part again replaces it
        tx.put_part(upload.upload_id, 3, b"unused", '"p3"')
        assert [(p.part_number, p.etag) for p in tx.list_parts(upload.upload_id)] == [
            (1, '"p1b"'),
            (2, '"p2"'),
            (3, '"p3"'),
        ]
        assert [u.upload_id for u in tx.list_multipart_uploads("reports")] == [upload.upload_id]
    with bucket.transaction() as tx:
        obj = tx.complete_multipart_upload(upload.upload_id, [1, 2], '"abc-2"')
        assert obj.size == 11 and obj.content_type == "x/y" and obj.metadata == {"m": "1"}
        assert tx.read_object("reports", "big") == b"hello world"
        assert tx.get_multipart_upload(upload.upload_id) is None and tx.list_parts(upload.upload_id) == []


def test_abort_multipart_upload(bucket: SqlStore) -> None:
    with bucket.transaction() as tx:
        upload = tx.create_multipart_upload("reports", "big", ACCOUNT, "arn")
        tx.put_part(upload.upload_id, 1, b"x", '"p"')
        assert tx.abort_multipart_upload(upload.upload_id)
        assert not tx.abort_multipart_upload(upload.upload_id)


def test_large_bodies_as_files(database: Database, tmp_path: Path) -> None:
    blobs = tmp_path / "blobs"
    store = database.open(blob_dir=blobs, blob_threshold=100)
    try:
        with store.transaction() as tx:
            tx.create_account(ACCOUNT, "a")
            tx.create_bucket("b", ACCOUNT, "us-east-1")
            tx.put_object("b", "small", b"x" * 10, '"s"')
            tx.put_object("b", "large", bytes(range(256)) * 4, '"l"')
        files = list(blobs.iterdir())
        assert len(files) == 1 and files[0].stat().st_size == 1024
        with store.read() as tx:
            assert tx.read_object("b", "large", 256, 3) == b"\x00\x01\x02"
            assert tx.read_object("b", "small") == b"x" * 10
        with pytest.raises(RuntimeError), store.transaction() as tx:
            tx.put_object("b", "rolled-back", b"y" * 500, '"r"')
            raise RuntimeError("abandon")
        assert list(blobs.iterdir()) == files  # the rolled-back file is gone
        with store.transaction() as tx:
            tx.put_object("b", "large", b"z" * 200, '"l2"')  # overwrite: the old file goes after commit
        remaining = list(blobs.iterdir())
        assert len(remaining) == 1 and remaining != files
        with store.transaction() as tx:
            tx.delete_object("b", "large")
        assert list(blobs.iterdir()) == []
    finally:
        store.close()

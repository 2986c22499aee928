"""Version 10: S3 bucket versioning ("Using versioning in S3 buckets", S3 User Guide).

Frozen: this file describes the schema as version 10 made it; later changes are new files.

- ``buckets.versioning``: NULL (never set: the bucket is unversioned), "Enabled" or
  "Suspended"; ``buckets.mfa_delete``: NULL (never given) or the MFADelete status given.
- ``objects`` keeps the current (latest) version of each key, as before, with three new
  columns: ``version_id`` (the text "null" for the null version), ``delete_marker`` (the
  latest version is a delete marker) and ``sequence`` (the version's place among the key's
  versions: each new version of a key takes the previous latest's sequence plus one).
- ``object_versions``: the noncurrent versions, primary key (bucket, key, version_id), with
  the columns of ``objects``; index (bucket, key, sequence) orders a key's versions.
  INVARIANT: a key with any version has its latest in ``objects``.

Added in place: the rows of version 9 become "null" versions (version_id "null", not a
delete marker, sequence 0), and their buckets stay unversioned.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    DateTime,
    ForeignKey,
    Index,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    text,
)


def _key_type() -> String:
    return String(1024).with_variant(String(1024, collation="C"), "postgresql")


def _columns() -> list[Column[Any]]:
    return [
        Column("size", BigInteger, nullable=False),
        Column("etag", String(80), nullable=False),
        Column("last_modified", DateTime(timezone=False), nullable=False),
        Column("content_type", String(256)),
        Column("user_metadata", Text),
        Column("checksums", Text),
        Column("body", LargeBinary),
        Column("body_path", String(1024)),
        Column("tags", Text),
        Column("cache_control", Text),
        Column("content_disposition", Text),
        Column("content_encoding", Text),
        Column("content_language", Text),
        Column("expires", DateTime(timezone=False)),
        Column("website_redirect_location", Text),
        Column("storage_class", String(32)),
        Column("delete_marker", Boolean, nullable=False, server_default=text("FALSE")),
        Column("sequence", BigInteger, nullable=False, server_default=text("0")),
    ]


def upgrade(conn: Connection) -> None:
    quote = conn.dialect.identifier_preparer.quote
    false = "FALSE" if conn.dialect.name == "postgresql" else "0"
    for column in ("versioning", "mfa_delete"):
        conn.execute(text(f"ALTER TABLE {quote('buckets')} ADD COLUMN {quote(column)} VARCHAR(16)"))
    objects = quote("objects")
    conn.execute(text(f"ALTER TABLE {objects} ADD COLUMN {quote('version_id')} VARCHAR(64) NOT NULL DEFAULT 'null'"))
    conn.execute(text(f"ALTER TABLE {objects} ADD COLUMN {quote('delete_marker')} BOOLEAN NOT NULL DEFAULT {false}"))
    conn.execute(text(f"ALTER TABLE {objects} ADD COLUMN {quote('sequence')} BIGINT NOT NULL DEFAULT 0"))
    meta = MetaData()
    Table("buckets", meta, Column("name", String(63), primary_key=True))  # a stub for the key
    table = Table(
        "object_versions",
        meta,
        Column("bucket", String(63), ForeignKey("buckets.name"), primary_key=True),
        Column("key", _key_type(), primary_key=True),
        Column("version_id", String(64), primary_key=True),
        *_columns(),
        Index("ix_object_versions_order", "bucket", "key", "sequence"),
    )
    meta.create_all(conn, tables=[table])

"""Version 2: S3 buckets, objects, multipart uploads and their parts.

Frozen: this file describes the schema as version 2 made it; later changes are new files.
Object keys compare by code point (S3 lists keys in UTF-8 binary order): SQLite's BINARY
collation does by default; PostgreSQL needs COLLATE "C".
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)


def _binary_string(length: int) -> String:
    return String(length).with_variant(String(length, collation="C"), "postgresql")


def upgrade(conn: Connection) -> None:
    meta = MetaData()
    # The foreign keys name accounts (version 1): a stub of its key is enough here.
    Table("accounts", meta, Column("account_id", String(12), primary_key=True))
    Table(
        "buckets",
        meta,
        Column("name", String(63), primary_key=True),
        Column("account_id", String(12), ForeignKey("accounts.account_id"), nullable=False),
        Column("region", String(32), nullable=False),
        Column("created", DateTime, nullable=False),
        Column("policy", Text),
        Column("public_access_block", Text),
        Column("ownership_controls", Text),
        Index("ix_buckets_account", "account_id"),
    )
    Table(
        "objects",
        meta,
        Column("bucket", String(63), ForeignKey("buckets.name"), primary_key=True),
        Column("key", _binary_string(1024), primary_key=True),
        Column("size", BigInteger, nullable=False),
        Column("etag", String(80), nullable=False),
        Column("last_modified", DateTime, nullable=False),
        Column("content_type", String(256)),
        Column("user_metadata", Text),
        Column("checksums", Text),
        Column("body", LargeBinary),
        Column("body_path", String(1024)),
    )
    Table(
        "multipart_uploads",
        meta,
        Column("upload_id", String(128), primary_key=True),
        Column("bucket", String(63), ForeignKey("buckets.name"), nullable=False),
        Column("key", _binary_string(1024), nullable=False),
        Column("account_id", String(12), nullable=False),
        Column("initiator_arn", String(2048), nullable=False),
        Column("created", DateTime, nullable=False),
        Column("content_type", String(256)),
        Column("user_metadata", Text),
        Index("ix_multipart_uploads_bucket", "bucket", "key"),
    )
    Table(
        "parts",
        meta,
        Column(
            "upload_id", String(128), ForeignKey("multipart_uploads.upload_id", ondelete="CASCADE"), primary_key=True
        ),
        Column("part_number", Integer, primary_key=True),
        Column("size", BigInteger, nullable=False),
        Column("etag", String(80), nullable=False),
        Column("created", DateTime, nullable=False),
        Column("body", LargeBinary, nullable=False),
    )
    meta.create_all(conn, tables=[meta.tables[name] for name in ["buckets", "objects", "multipart_uploads", "parts"]])

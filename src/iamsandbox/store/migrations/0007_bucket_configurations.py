"""Version 7: S3 bucket configurations kept as S3 keeps them: default encryption, CORS and
lifecycle.

Frozen: this file describes the schema as version 7 made it; later changes are new files.

- ``bucket_configurations``: one row per (bucket, kind), ``kind`` one of ``encryption``,
  ``cors``, ``lifecycle``; ``configuration`` is the configuration as the Put operation's
  parsed request gave it, as JSON text. No row: the bucket has none of that kind (S3's
  default for it).

A new table only: the rows of version 6 are untouched (their buckets have no configuration).
"""

from __future__ import annotations

from sqlalchemy import Column, Connection, ForeignKey, MetaData, String, Table, Text


def upgrade(conn: Connection) -> None:
    meta = MetaData()
    Table("buckets", meta, Column("name", String(63), primary_key=True))  # a stub for the key
    Table(
        "bucket_configurations",
        meta,
        Column("bucket", String(63), ForeignKey("buckets.name"), primary_key=True),
        Column("kind", String(32), primary_key=True),
        Column("configuration", Text, nullable=False),
    )
    meta.create_all(conn, tables=[meta.tables["bucket_configurations"]])

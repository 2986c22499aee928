"""Version 19: CloudTrail event history.

Frozen: this file describes the schema as version 19 made it; later changes are new files.

- ``trail_events``: one row per event delivered to an account (a cross-account call makes
  two rows, one per account, that share ``shared_event_id``), with the lookup attributes
  of LookupEvents as columns and the event document (``CloudTrailEvent``) as JSON text.
- ``trail_event_resources``: the resources (type, name) of each event, by position.

New tables only: the rows of version 18 are untouched.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)


def upgrade(conn: Connection) -> None:
    meta = MetaData()
    tables = [
        Table(
            "trail_events",
            meta,
            Column("event_id", String(36), primary_key=True),
            Column("account_id", String(12), nullable=False),
            Column("region", String(32), nullable=False),
            Column("event_time", DateTime, nullable=False),
            Column("event_name", String(128), nullable=False),
            Column("event_source", String(128), nullable=False),
            Column("read_only", Boolean, nullable=False),
            Column("username", String(256)),
            Column("access_key_id", String(128)),
            Column("shared_event_id", String(36)),
            Column("document", Text, nullable=False),
            Index("ix_trail_events_lookup", "account_id", "region", "event_time", "event_id"),
            Index("ix_trail_events_time", "event_time"),
        ),
        Table(
            "trail_event_resources",
            meta,
            Column("event_id", String(36), ForeignKey("trail_events.event_id", ondelete="CASCADE"), primary_key=True),
            Column("position", Integer, primary_key=True, autoincrement=False),
            Column("resource_type", String(128)),
            Column("resource_name", String(2048), nullable=False),
            Index("ix_trail_event_resources_name", "resource_name"),
            Index("ix_trail_event_resources_type", "resource_type"),
        ),
    ]
    for table in tables:
        table.create(conn)

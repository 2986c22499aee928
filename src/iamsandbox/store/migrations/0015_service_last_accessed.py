"""Version 15: service last accessed data (``services/iam/access_advisor.py``).

Frozen: this file describes the schema as version 15 made it; later changes are new files.

- ``service_last_accessed``: when an IAM user or role (``entity_id``: a role's sessions
  count for the role) last attempted to access a service (``service``: "iam", "s3", ...),
  with the Region of that attempt; ``action`` the tracked action ("CreateBucket") of an
  action-level row, or "" for the row of the service as a whole. One row per entity,
  service and action, holding the latest attempt. Deleting the user or role deletes its
  rows first (``delete_identity``): nothing of it blocks DeleteUser or DeleteRole.

A new table only: the rows of version 14 are untouched.
"""

from __future__ import annotations

from sqlalchemy import Column, Connection, DateTime, ForeignKey, MetaData, String, Table


def upgrade(conn: Connection) -> None:
    meta = MetaData()
    # The foreign keys name accounts and identities (version 1): stubs of their keys suffice.
    Table("accounts", meta, Column("account_id", String(12), primary_key=True))
    Table("identities", meta, Column("id", String(32), primary_key=True))
    table = Table(
        "service_last_accessed",
        meta,
        Column("entity_id", String(32), ForeignKey("identities.id"), primary_key=True),
        Column("service", String(64), primary_key=True),
        Column("action", String(128), primary_key=True),
        Column("account_id", String(12), ForeignKey("accounts.account_id"), nullable=False),
        Column("last_accessed", DateTime, nullable=False),
        Column("region", String(32), nullable=False),
    )
    table.create(conn)

"""Version 16: generated reports kept in the store, so that every replica finds them.

Frozen: this file describes the schema as version 16 made it; later changes are new files.

- ``generated_reports``: what an operation generated for later calls to read:
  GenerateServiceLastAccessedDetails' jobs (``kind`` "service-last-accessed", ``id`` the
  JobId, ``owner`` the principal and session that generated it) and each account's
  credential report (``kind`` "credential-report", ``owner`` NULL). ``payload`` is the
  service's text (JSON, or the report's CSV), never a secret. Indexed by (account, kind,
  created) for an account's latest report, and by (kind, created) for deleting the expired
  and oldest ones.

A new table only: the rows of version 15 are untouched. Jobs and reports made before the
upgrade lived in the server processes and are not carried over.
"""

from __future__ import annotations

from sqlalchemy import Column, Connection, DateTime, ForeignKey, Index, MetaData, String, Table, Text


def upgrade(conn: Connection) -> None:
    meta = MetaData()
    # The foreign key names accounts (version 1): a stub of its key suffices.
    Table("accounts", meta, Column("account_id", String(12), primary_key=True))
    table = Table(
        "generated_reports",
        meta,
        Column("id", String(64), primary_key=True),
        Column("account_id", String(12), ForeignKey("accounts.account_id"), nullable=False),
        Column("kind", String(32), nullable=False),
        Column("owner", Text),
        Column("created", DateTime, nullable=False),
        Column("payload", Text, nullable=False),
        Index("ix_generated_reports_account", "account_id", "kind", "created"),
        Index("ix_generated_reports_kind", "kind", "created"),
    )
    table.create(conn)

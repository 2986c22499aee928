"""Version 13: IAM users' service-specific credentials (``services/iam/service_credentials.py``).

Frozen: this file describes the schema as version 13 made it; later changes are new files.

- ``service_specific_credentials``: one row per credential (id ``ACCA...``), owned by a
  user; ``service_name`` the service it is for (``codecommit.amazonaws.com``, ...),
  ``service_user_name`` the user name IAM generated for it (``alice-at-111111111111``),
  ``password`` the generated password, sealed (``crypto.SecretBox``, bound to the id), never
  stored in the clear; ``status`` ``Active`` or ``Inactive``.

A new table only: the rows of version 12 are untouched.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Connection,
    DateTime,
    ForeignKey,
    Index,
    LargeBinary,
    MetaData,
    String,
    Table,
)


def upgrade(conn: Connection) -> None:
    meta = MetaData()
    # The foreign keys name accounts and identities (version 1): stubs of their keys suffice.
    Table("accounts", meta, Column("account_id", String(12), primary_key=True))
    Table("identities", meta, Column("id", String(32), primary_key=True))
    table = Table(
        "service_specific_credentials",
        meta,
        Column("credential_id", String(128), primary_key=True),
        Column("account_id", String(12), ForeignKey("accounts.account_id"), nullable=False),
        Column("user_id", String(32), ForeignKey("identities.id"), nullable=False),
        Column("service_name", String(128), nullable=False),
        Column("service_user_name", String(200), nullable=False),
        Column("password", LargeBinary, nullable=False),
        Column("status", String(8), nullable=False),
        Column("created", DateTime, nullable=False),
        Index("ix_service_specific_credentials_user", "user_id"),
    )
    table.create(conn)

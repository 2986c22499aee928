"""Version 6: IAM OpenID Connect (OIDC) identity providers.

Frozen: this file describes the schema as version 6 made it; later changes are new files.

- ``oidc_providers``: one row per provider, keyed by its ARN
  (``arn:aws:iam::ACCOUNT:oidc-provider/HOST[/PATH]``), which the URL determines: AWS allows
  one provider per URL in an account ("Provider with url ... already exists"). ``url`` is
  the URL without its scheme, as GetOpenIDConnectProvider returns it; ``client_ids`` and
  ``thumbprints`` are JSON lists in the order given.

A new table only: the rows of version 5 are untouched. Tags live in ``tags`` by ARN.
"""

from __future__ import annotations

from sqlalchemy import Column, Connection, DateTime, ForeignKey, Index, MetaData, String, Table, Text


def upgrade(conn: Connection) -> None:
    meta = MetaData()
    Table("accounts", meta, Column("account_id", String(12), primary_key=True))  # a stub for the key
    Table(
        "oidc_providers",
        meta,
        Column("arn", String(1024), primary_key=True),
        Column("account_id", String(12), ForeignKey("accounts.account_id"), nullable=False),
        Column("url", String(512), nullable=False),
        Column("client_ids", Text, nullable=False),
        Column("thumbprints", Text, nullable=False),
        Column("created", DateTime, nullable=False),
        Index("ix_oidc_providers_account", "account_id"),
    )
    meta.create_all(conn, tables=[meta.tables["oidc_providers"]])

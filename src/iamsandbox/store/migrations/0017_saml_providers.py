"""Version 17: IAM SAML 2.0 identity providers.

Frozen: this file describes the schema as version 17 made it; later changes are new files.

- ``saml_providers``: one row per provider, keyed by its ARN
  (``arn:aws:iam::ACCOUNT:saml-provider/NAME``), which the name determines: a second provider
  of the same name in an account is EntityAlreadyExists. ``uuid`` is GetSAMLProvider's
  SAMLProviderUUID; ``document`` the SAMLMetadataDocument as uploaded (up to 10,000,000
  characters); ``valid_until`` the metadata's validUntil (NULL when it has none);
  ``encryption_mode`` the AssertionEncryptionMode; ``private_keys`` a JSON list of the
  uploaded private keys' ids and upload times (the keys themselves are not kept).

A new table only: the rows of version 16 are untouched. Tags live in ``tags`` by ARN.
"""

from __future__ import annotations

from sqlalchemy import Column, Connection, DateTime, ForeignKey, Index, MetaData, String, Table, Text


def upgrade(conn: Connection) -> None:
    meta = MetaData()
    # The foreign key names accounts (version 1): a stub of its key suffices.
    Table("accounts", meta, Column("account_id", String(12), primary_key=True))
    table = Table(
        "saml_providers",
        meta,
        Column("arn", String(1024), primary_key=True),
        Column("account_id", String(12), ForeignKey("accounts.account_id"), nullable=False),
        Column("uuid", String(64), nullable=False),
        Column("document", Text, nullable=False),
        Column("valid_until", DateTime),
        Column("encryption_mode", String(16), nullable=False),
        Column("private_keys", Text, nullable=False),
        Column("created", DateTime, nullable=False),
        Index("ix_saml_providers_account", "account_id"),
    )
    table.create(conn)

"""Version 8: IAM users' SSH public keys and signing certificates, and server certificates.

Frozen: this file describes the schema as version 8 made it; later changes are new files.

- ``ssh_public_keys``: one row per key (id ``APKA...``), owned by a user; ``body`` as
  uploaded, ``fingerprint`` the MD5 of the key blob (colon-separated hex), ``status``
  ``Active`` or ``Inactive``.
- ``signing_certificates``: one row per X.509 signing certificate, owned by a user or, with
  ``user_id`` NULL, by the account's root user; ``fingerprint`` (SHA-256 of the DER) finds
  the same certificate uploaded twice in an account.
- ``server_certificates``: one row per server certificate (id ``ASCA...``), unique per
  account by its lower-cased name; ``private_key`` is sealed (``crypto.SecretBox``, bound to
  the id), never stored in the clear.

New tables only: the rows of version 7 are untouched. Server certificates' tags live in
``tags`` by id.
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
    Text,
    UniqueConstraint,
)


def upgrade(conn: Connection) -> None:
    meta = MetaData()
    # The foreign keys name accounts and identities (version 1): stubs of their keys suffice.
    Table("accounts", meta, Column("account_id", String(12), primary_key=True))
    Table("identities", meta, Column("id", String(32), primary_key=True))
    Table(
        "ssh_public_keys",
        meta,
        Column("key_id", String(32), primary_key=True),
        Column("account_id", String(12), ForeignKey("accounts.account_id"), nullable=False),
        Column("user_id", String(32), ForeignKey("identities.id"), nullable=False),
        Column("body", Text, nullable=False),
        Column("fingerprint", String(64), nullable=False),
        Column("status", String(8), nullable=False),
        Column("uploaded", DateTime, nullable=False),
        Index("ix_ssh_public_keys_user", "user_id"),
    )
    Table(
        "signing_certificates",
        meta,
        Column("certificate_id", String(64), primary_key=True),
        Column("account_id", String(12), ForeignKey("accounts.account_id"), nullable=False),
        Column("user_id", String(32), ForeignKey("identities.id")),
        Column("body", Text, nullable=False),
        Column("fingerprint", String(64), nullable=False),
        Column("status", String(8), nullable=False),
        Column("uploaded", DateTime, nullable=False),
        Index("ix_signing_certificates_owner", "account_id", "user_id"),
        Index("ix_signing_certificates_fingerprint", "account_id", "fingerprint"),
    )
    Table(
        "server_certificates",
        meta,
        Column("id", String(32), primary_key=True),
        Column("account_id", String(12), ForeignKey("accounts.account_id"), nullable=False),
        Column("name", String(128), nullable=False),
        Column("name_key", String(128), nullable=False),
        Column("path", String(512), nullable=False),
        Column("arn", String(1024), nullable=False),
        Column("body", Text, nullable=False),
        Column("chain", Text),
        Column("private_key", LargeBinary, nullable=False),
        Column("uploaded", DateTime, nullable=False),
        Column("expiration", DateTime, nullable=False),
        UniqueConstraint("account_id", "name_key", name="uq_server_certificates_name"),
    )
    meta.create_all(
        conn,
        tables=[meta.tables[name] for name in ("ssh_public_keys", "signing_certificates", "server_certificates")],
    )

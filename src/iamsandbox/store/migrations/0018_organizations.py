"""Version 18: AWS Organizations.

Frozen: this file describes the schema as version 18 made it; later changes are new files.

- ``org_organizations``: one row per organization, keyed by its id (o-...), with its
  management account (one organization each), FeatureSet, its one root (id and name) and
  the policy types enabled on the root (a JSON list).
- ``org_units``: organizational units by id, their parent and name (unique under a
  parent) and ``path``, the ids from the root to the OU ("/"-joined; OUs never move).
- ``org_accounts``: member accounts (one organization each), their parent, how and when
  they joined, their status.
- ``org_policies``: customer managed policies (SCPs, RCPs); AWS managed ones are no rows.
- ``org_attachments``: policy attachments by (target, policy), with the policy's type and
  an attachment order.
- ``org_handshakes``, ``org_create_account_requests``: invitations and CreateAccount
  requests.

New tables only: the rows of version 17 are untouched. Tags live in ``tags`` by ARN.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    DateTime,
    ForeignKey,
    Index,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)


def upgrade(conn: Connection) -> None:
    meta = MetaData()
    # The foreign keys name accounts (version 1): a stub of its key suffices.
    Table("accounts", meta, Column("account_id", String(12), primary_key=True))
    tables = [
        Table(
            "org_organizations",
            meta,
            Column("id", String(34), primary_key=True),
            Column("management_account_id", String(12), ForeignKey("accounts.account_id"), nullable=False, unique=True),
            Column("feature_set", String(32), nullable=False),
            Column("root_id", String(34), nullable=False, unique=True),
            Column("root_name", String(128), nullable=False),
            Column("enabled_types", Text, nullable=False),
            Column("created", DateTime, nullable=False),
        ),
        Table(
            "org_units",
            meta,
            Column("id", String(68), primary_key=True),
            Column("org_id", String(34), ForeignKey("org_organizations.id"), nullable=False),
            Column("parent_id", String(68), nullable=False),
            Column("name", String(128), nullable=False),
            Column("path", Text, nullable=False),
            Column("created", DateTime, nullable=False),
            UniqueConstraint("parent_id", "name", name="uq_org_units_name"),
            Index("ix_org_units_org", "org_id"),
        ),
        Table(
            "org_accounts",
            meta,
            Column("account_id", String(12), ForeignKey("accounts.account_id"), primary_key=True),
            Column("org_id", String(34), ForeignKey("org_organizations.id"), nullable=False),
            Column("parent_id", String(68), nullable=False),
            Column("joined_method", String(16), nullable=False),
            Column("joined", DateTime, nullable=False),
            Column("status", String(32), nullable=False),
            Index("ix_org_accounts_org", "org_id"),
            Index("ix_org_accounts_parent", "parent_id"),
        ),
        Table(
            "org_policies",
            meta,
            Column("id", String(130), primary_key=True),
            Column("org_id", String(34), ForeignKey("org_organizations.id"), nullable=False),
            Column("type", String(64), nullable=False),
            Column("name", String(128), nullable=False),
            Column("description", String(512), nullable=False),
            Column("content", Text, nullable=False),
            Column("created", DateTime, nullable=False),
            Index("ix_org_policies_org", "org_id", "type"),
        ),
        Table(
            "org_attachments",
            meta,
            Column("target_id", String(68), primary_key=True),
            Column("policy_id", String(130), primary_key=True),
            Column("org_id", String(34), ForeignKey("org_organizations.id"), nullable=False),
            Column("policy_type", String(64), nullable=False),
            Column("seq", BigInteger, nullable=False),
            Index("ix_org_attachments_policy", "policy_id"),
            Index("ix_org_attachments_org", "org_id", "policy_type"),
        ),
        Table(
            "org_handshakes",
            meta,
            Column("id", String(34), primary_key=True),
            Column("org_id", String(34), ForeignKey("org_organizations.id"), nullable=False),
            Column("action", String(32), nullable=False),
            Column("state", String(16), nullable=False),
            Column("party_type", String(16), nullable=False),
            Column("party_id", String(64), nullable=False),
            Column("account_id", String(12)),
            Column("notes", Text),
            Column("requested", DateTime, nullable=False),
            Column("expires", DateTime, nullable=False),
            Index("ix_org_handshakes_org", "org_id"),
            Index("ix_org_handshakes_account", "account_id"),
        ),
        Table(
            "org_create_account_requests",
            meta,
            Column("id", String(36), primary_key=True),
            Column("org_id", String(34), ForeignKey("org_organizations.id"), nullable=False),
            Column("account_name", String(128), nullable=False),
            Column("state", String(16), nullable=False),
            Column("requested", DateTime, nullable=False),
            Column("completed", DateTime),
            Column("account_id", String(12)),
            Column("failure_reason", String(64)),
            Index("ix_org_create_account_requests_org", "org_id"),
        ),
    ]
    for table in tables:
        table.create(conn)

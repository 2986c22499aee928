"""Version 1: accounts, IAM identities, policies, credentials, tags.

Frozen: this file describes the schema as version 1 made it; later changes are new files.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
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
    UniqueConstraint,
)


def upgrade(conn: Connection) -> None:
    meta = MetaData()
    Table(
        "accounts",
        meta,
        Column("account_id", String(12), primary_key=True),
        Column("name", String(256), nullable=False),
        Column("email", String(256)),
        Column("alias", String(63), unique=True),
        Column("root_password_hash", Text),
        Column("policy_generation", BigInteger, nullable=False, default=0),
        Column("created", DateTime, nullable=False),
    )
    Table(
        "identities",
        meta,
        Column("id", String(32), primary_key=True),
        Column("account_id", String(12), ForeignKey("accounts.account_id"), nullable=False),
        Column("kind", String(8), nullable=False),
        Column("name", String(128), nullable=False),
        Column("name_key", String(128), nullable=False),
        Column("path", String(512), nullable=False),
        Column("arn", String(1024), nullable=False),
        Column("created", DateTime, nullable=False),
        Column("permissions_boundary", String(2048)),
        Column("trust_policy", Text),
        Column("description", String(1000)),
        Column("max_session_duration", Integer),
        Column("last_used", DateTime),
        Column("last_used_region", String(32)),
        UniqueConstraint("account_id", "kind", "name_key", name="uq_identities_name"),
        Index("ix_identities_arn", "arn", unique=True),
    )
    Table(
        "group_members",
        meta,
        Column("group_id", String(32), ForeignKey("identities.id"), primary_key=True),
        Column("user_id", String(32), ForeignKey("identities.id"), primary_key=True),
        Index("ix_group_members_user", "user_id"),
    )
    Table(
        "managed_policies",
        meta,
        Column("id", String(32), primary_key=True),
        Column("account_id", String(12), ForeignKey("accounts.account_id"), nullable=False),
        Column("arn", String(2048), nullable=False),
        Column("name", String(128), nullable=False),
        Column("name_key", String(128), nullable=False),
        Column("path", String(512), nullable=False),
        Column("description", String(1000)),
        Column("default_version", String(8), nullable=False),
        Column("next_version", Integer, nullable=False),
        Column("created", DateTime, nullable=False),
        Column("updated", DateTime, nullable=False),
        UniqueConstraint("account_id", "name_key", name="uq_managed_policies_name"),
        Index("ix_managed_policies_arn", "arn", unique=True),
    )
    Table(
        "policy_versions",
        meta,
        Column("policy_id", String(32), ForeignKey("managed_policies.id", ondelete="CASCADE"), primary_key=True),
        Column("version_id", String(8), primary_key=True),
        Column("document", Text, nullable=False),
        Column("created", DateTime, nullable=False),
    )
    Table(
        "inline_policies",
        meta,
        Column("owner_id", String(32), ForeignKey("identities.id"), primary_key=True),
        Column("name", String(128), primary_key=True),
        Column("document", Text, nullable=False),
    )
    Table(
        "attachments",
        meta,
        Column("owner_id", String(32), ForeignKey("identities.id"), primary_key=True),
        Column("policy_arn", String(2048), primary_key=True),
        Column("seq", Integer, nullable=False),
        Index("ix_attachments_policy", "policy_arn"),
    )
    Table(
        "access_keys",
        meta,
        Column("access_key_id", String(20), primary_key=True),
        Column("account_id", String(12), ForeignKey("accounts.account_id"), nullable=False),
        Column("user_id", String(32), ForeignKey("identities.id")),
        Column("secret", LargeBinary, nullable=False),
        Column("status", String(8), nullable=False),
        Column("created", DateTime, nullable=False),
        Column("last_used", DateTime),
        Column("last_used_service", String(64)),
        Column("last_used_region", String(32)),
        Index("ix_access_keys_owner", "account_id", "user_id"),
    )
    Table(
        "login_profiles",
        meta,
        Column("user_id", String(32), ForeignKey("identities.id"), primary_key=True),
        Column("password_hash", Text, nullable=False),
        Column("reset_required", Boolean, nullable=False),
        Column("created", DateTime, nullable=False),
    )
    Table(
        "mfa_devices",
        meta,
        Column("serial_number", String(512), primary_key=True),
        Column("account_id", String(12), ForeignKey("accounts.account_id"), nullable=False),
        Column("name", String(128), nullable=False),
        Column("name_key", String(128), nullable=False),
        Column("path", String(512), nullable=False),
        Column("seed", LargeBinary, nullable=False),
        Column("created", DateTime, nullable=False),
        Column("user_id", String(32), ForeignKey("identities.id")),
        Column("enabled", DateTime),
        Column("last_counter", BigInteger),
        UniqueConstraint("account_id", "name_key", name="uq_mfa_devices_name"),
        Index("ix_mfa_devices_user", "user_id"),
    )
    Table(
        "tags",
        meta,
        Column("resource_id", String(1024), primary_key=True),
        Column("key", String(128), primary_key=True),
        Column("value", String(256), nullable=False),
        Column("position", Integer, nullable=False),
        Column("account_id", String(12), nullable=False),
    )
    meta.create_all(conn)

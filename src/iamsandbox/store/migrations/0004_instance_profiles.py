"""Version 4: IAM instance profiles and the roles they hold.

Frozen: this file describes the schema as version 4 made it; later changes are new files.

- ``instance_profiles``: one row per instance profile (id ``AIPA...``), unique per account
  by its lower-cased name, like the identities of version 1;
- ``instance_profile_roles``: which role each profile holds. AWS allows one ("IAM and AWS
  STS quotas": roles in an instance profile: 1), a limit the service enforces; the table
  does not bake it in. Both keys are foreign keys, so neither a profile nor a role can be
  deleted while the pair exists (DeleteConflict in AWS).

New tables only: the rows of version 3 are untouched.
"""

from __future__ import annotations

from sqlalchemy import Column, Connection, DateTime, ForeignKey, Index, MetaData, String, Table, UniqueConstraint


def upgrade(conn: Connection) -> None:
    meta = MetaData()
    # The foreign keys name accounts and identities (version 1): stubs of their keys suffice.
    Table("accounts", meta, Column("account_id", String(12), primary_key=True))
    Table("identities", meta, Column("id", String(32), primary_key=True))
    Table(
        "instance_profiles",
        meta,
        Column("id", String(32), primary_key=True),
        Column("account_id", String(12), ForeignKey("accounts.account_id"), nullable=False),
        Column("name", String(128), nullable=False),
        Column("name_key", String(128), nullable=False),
        Column("path", String(512), nullable=False),
        Column("arn", String(1024), nullable=False),
        Column("created", DateTime, nullable=False),
        UniqueConstraint("account_id", "name_key", name="uq_instance_profiles_name"),
        Index("ix_instance_profiles_arn", "arn", unique=True),
    )
    Table(
        "instance_profile_roles",
        meta,
        Column("profile_id", String(32), ForeignKey("instance_profiles.id"), primary_key=True),
        Column("role_id", String(32), ForeignKey("identities.id"), primary_key=True),
        Index("ix_instance_profile_roles_role", "role_id"),
    )
    meta.create_all(conn, tables=[meta.tables["instance_profiles"], meta.tables["instance_profile_roles"]])

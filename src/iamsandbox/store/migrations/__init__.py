"""Versioned schema migrations, applied in order when a store opens (a new, empty
database is created from ``schema.py`` at the latest version at once: ``_create_latest``).

Each module ``NNNN_name.py`` here has ``upgrade(conn)``, which moves the schema from
version NNNN-1 to NNNN. ``schema_version`` records one row per applied migration. All
pending migrations run in one transaction, under a lock (SQLite's write lock, taken by
``BEGIN IMMEDIATE``; a PostgreSQL advisory lock), so two replicas starting together
neither apply a step twice nor see half a schema. A database newer than this code is
refused rather than guessed at.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import cast

from sqlalchemy import Column, Connection, DateTime, Integer, MetaData, String, Table, inspect, select, text

_NAME = re.compile(r"^(\d{4})_(\w+)$")
# An arbitrary constant naming the migration lock among PostgreSQL advisory locks.
_PG_LOCK_KEY = 0x1A45_5A4D


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    upgrade: Callable[[Connection], None]


class SchemaTooNew(Exception):
    """The database was migrated by a newer iamsandbox than this one."""


def all_migrations() -> list[Migration]:
    found: list[Migration] = []
    for info in pkgutil.iter_modules(__path__):
        match = _NAME.match(info.name)
        if not match:
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        upgrade = cast(Callable[[Connection], None], module.upgrade)
        found.append(Migration(int(match.group(1)), match.group(2), upgrade))
    found.sort(key=lambda migration: migration.version)
    # INVARIANT: versions are 1, 2, 3, ... with no gap and no duplicate.
    if [migration.version for migration in found] != list(range(1, len(found) + 1)):
        raise RuntimeError(f"migration versions are not consecutive: {[m.version for m in found]}")
    return found


def _version_table(meta: MetaData) -> Table:
    return Table(
        "schema_version",
        meta,
        Column("version", Integer, primary_key=True, autoincrement=False),
        Column("name", String(200), nullable=False),
        Column("applied", DateTime, nullable=False),
    )


def current_version(conn: Connection) -> int:
    if not inspect(conn).has_table("schema_version"):
        return 0
    table = _version_table(MetaData())
    versions = [row[0] for row in conn.execute(select(table.c.version))]
    return max(versions, default=0)


def upgrade(conn: Connection, target: int | None = None) -> list[int]:
    """Apply the pending migrations up to ``target`` (default: all) in the caller's
    transaction; the versions applied."""
    migrations = all_migrations()
    latest = len(migrations) if target is None else target
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
    table = _version_table(MetaData())
    table.create(conn, checkfirst=True)
    version = current_version(conn)
    if version > len(migrations):
        raise SchemaTooNew(f"the database is at schema version {version}; this iamsandbox knows {len(migrations)}")
    if version == 0 and target is None:
        return _create_latest(conn, table, migrations)
    applied: list[int] = []
    for migration in migrations[version:latest]:
        migration.upgrade(conn)
        conn.execute(
            table.insert().values(
                version=migration.version, name=migration.name, applied=datetime.now(UTC).replace(tzinfo=None)
            )
        )
        applied.append(migration.version)
    return applied


def _create_latest(conn: Connection, table: Table, migrations: list[Migration]) -> list[int]:
    """A new database: built straight from ``schema.py``, the schema every migration leads
    to (``tests/store/test_store_migrations.py`` checks that the two agree), and stamped
    with every version. One ``create_all`` instead of each step's ALTERs and table copies:
    a new store opens in about half the time."""
    from .. import schema  # the latest schema; the migrations freeze their own

    schema.metadata.create_all(conn)
    now = datetime.now(UTC).replace(tzinfo=None)
    conn.execute(table.insert(), [{"version": m.version, "name": m.name, "applied": now} for m in migrations])
    return [migration.version for migration in migrations]

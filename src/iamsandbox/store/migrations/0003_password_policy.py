"""Version 3: account password policies, and what login profiles need to enforce them.

Frozen: this file describes the schema as version 3 made it; later changes are new files.

- ``accounts.password_policy``: the account's custom password policy as JSON text (the
  members of UpdateAccountPasswordPolicy), NULL when the account has none;
- ``login_profiles.password_changed``: when the current password was set (MaxPasswordAge
  counts from it), NULL for rows written by version 2, whose age counts from ``created``;
- ``login_profiles.previous_passwords``: JSON list of the hashes of earlier passwords,
  newest first (PasswordReusePrevention), NULL for none.

Each is a nullable column added in place, so rows of version 2 keep their meaning.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, DateTime, Text, text
from sqlalchemy.types import TypeEngine

_COLUMNS: list[tuple[str, str, TypeEngine[Any]]] = [
    ("accounts", "password_policy", Text()),
    ("login_profiles", "password_changed", DateTime()),
    ("login_profiles", "previous_passwords", Text()),
]


def upgrade(conn: Connection) -> None:
    quote = conn.dialect.identifier_preparer.quote
    for table, column, kind in _COLUMNS:
        # The type as this dialect names it (DATETIME on SQLite, TIMESTAMP WITHOUT TIME ZONE
        # on PostgreSQL), as ``create_all`` would have written it.
        type_sql = kind.compile(dialect=conn.dialect)
        conn.execute(text(f"ALTER TABLE {quote(table)} ADD COLUMN {quote(column)} {type_sql}"))

"""Version 14: when a password was last used to sign in (the console's sign-in page).

Frozen: this file describes the schema as version 14 made it; later changes are new files.

- ``identities.password_last_used``: an IAM user's PasswordLastUsed ("the date and time ...
  when the user's password was last used to sign in to an AWS website", User in the IAM
  API reference), NULL when never used;
- ``accounts.root_password_last_used``: the same for the account's root user (the
  credential report's ``password_last_used`` of ``<root_account>``).

Nullable columns added in place: rows of version 13 read as never signed in.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, DateTime, text
from sqlalchemy.types import TypeEngine

_COLUMNS: list[tuple[str, str, TypeEngine[Any]]] = [
    ("identities", "password_last_used", DateTime()),
    ("accounts", "root_password_last_used", DateTime()),
]


def upgrade(conn: Connection) -> None:
    quote = conn.dialect.identifier_preparer.quote
    for table, column, kind in _COLUMNS:
        type_sql = kind.compile(dialect=conn.dialect)
        conn.execute(text(f"ALTER TABLE {quote(table)} ADD COLUMN {quote(column)} {type_sql}"))

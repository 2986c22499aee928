"""Version 21: on PostgreSQL, every string column without a length and collated "C".

Frozen: this file describes the schema as version 21 made it; later changes are new files.

PostgreSQL enforced the lengths of ``VARCHAR(n)`` columns that SQLite never did, so requests
AWS takes (a Content-Type of 300 characters, an MFA device name of 200, a long Region in a
credential scope) were 500s there, and compared text in the database's locale, so IAM's
lists came in another order than on SQLite (code point order). ``schema._postgres_string``
writes new columns so; this converts the columns of an older database. Nothing changes on
SQLite. Changing ``VARCHAR(n)`` to ``VARCHAR`` rewrites nothing; the new collation rebuilds the
indexes of the columns it changes.
"""

from __future__ import annotations

from sqlalchemy import Connection, String, Text, inspect, text


def upgrade(conn: Connection) -> None:
    if conn.dialect.name != "postgresql":
        return
    quote = conn.dialect.identifier_preparer.quote
    inspector = inspect(conn)
    for table in inspector.get_table_names():
        for column in inspector.get_columns(table):
            kind = column["type"]
            if not isinstance(kind, String):
                continue
            written = "TEXT" if isinstance(kind, Text) else "VARCHAR"
            conn.execute(
                text(f'ALTER TABLE {quote(table)} ALTER COLUMN {quote(column["name"])} TYPE {written} COLLATE "C"')
            )

"""Version 9: the standard headers S3 keeps with an object, and its storage class.

Frozen: this file describes the schema as version 9 made it; later changes are new files.

On ``objects`` (the object's) and ``multipart_uploads`` (what CreateMultipartUpload gave,
which the completed object takes), each a nullable column, NULL when the write did not
give it:

- ``cache_control``, ``content_disposition``, ``content_encoding``, ``content_language``,
  ``website_redirect_location``: the header's text as given;
- ``expires``: the Expires date (naive UTC, as every time column);
- ``storage_class``: the x-amz-storage-class value; NULL is STANDARD.

Added in place, so rows of version 8 keep their meaning (no such headers, STANDARD).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, DateTime, String, Text, text
from sqlalchemy.types import TypeEngine

_TABLES = ("objects", "multipart_uploads")
_COLUMNS: tuple[tuple[str, TypeEngine[Any]], ...] = (
    ("cache_control", Text()),
    ("content_disposition", Text()),
    ("content_encoding", Text()),
    ("content_language", Text()),
    ("expires", DateTime(timezone=False)),
    ("website_redirect_location", Text()),
    ("storage_class", String(32)),
)


def upgrade(conn: Connection) -> None:
    quote = conn.dialect.identifier_preparer.quote
    for table in _TABLES:
        for column, column_type in _COLUMNS:
            type_sql = column_type.compile(dialect=conn.dialect)
            conn.execute(text(f"ALTER TABLE {quote(table)} ADD COLUMN {quote(column)} {type_sql}"))

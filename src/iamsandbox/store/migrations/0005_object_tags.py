"""Version 5: S3 object tags.

Frozen: this file describes the schema as version 5 made it; later changes are new files.

- ``objects.tags``: the object's tag set as JSON text (an object of key to value, in the
  order given), NULL for none;
- ``multipart_uploads.tags``: the tags CreateMultipartUpload's ``x-amz-tagging`` gave, which
  the completed object takes, NULL for none.

Each is a nullable column added in place, so rows of version 4 keep their meaning (no tags).
"""

from __future__ import annotations

from sqlalchemy import Connection, Text, text

_COLUMNS = [("objects", "tags"), ("multipart_uploads", "tags")]


def upgrade(conn: Connection) -> None:
    quote = conn.dialect.identifier_preparer.quote
    type_sql = Text().compile(dialect=conn.dialect)
    for table, column in _COLUMNS:
        conn.execute(text(f"ALTER TABLE {quote(table)} ADD COLUMN {quote(column)} {type_sql}"))

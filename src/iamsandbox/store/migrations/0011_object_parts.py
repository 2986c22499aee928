"""Version 11: a multipart object's part layout, and the checksums of an upload's parts
("GetObject", "HeadObject" with partNumber; "GetObjectAttributes" ObjectParts; "Checking
object integrity in Amazon S3", S3 User Guide).

Frozen: this file describes the schema as version 11 made it; later changes are new files.

- ``objects.part_layout`` and ``object_versions.part_layout``: for an object made by
  CompleteMultipartUpload, its parts in order as JSON, each the part's size, or
  ``[size, {"CRC32": "..."}]`` when the part's checksum is kept (an upload of checksum
  type COMPOSITE); NULL for an object written in one request (PutObject, CopyObject).
- ``parts.checksums``: the x-amz-checksum-* values UploadPart was given, JSON as
  ``objects.checksums``; NULL: none.
- ``multipart_uploads.checksum_algorithm`` and ``checksum_type``: CreateMultipartUpload's
  x-amz-checksum-algorithm and x-amz-checksum-type; NULL: none given.

Added in place: rows of version 10 have no layout (NULL); a multipart object completed
before this version keeps only the part count its ETag carries.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, String, Text, text
from sqlalchemy.types import TypeEngine

_COLUMNS: tuple[tuple[str, str, TypeEngine[Any]], ...] = (
    ("objects", "part_layout", Text()),
    ("object_versions", "part_layout", Text()),
    ("parts", "checksums", Text()),
    ("multipart_uploads", "checksum_algorithm", String(16)),
    ("multipart_uploads", "checksum_type", String(16)),
)


def upgrade(conn: Connection) -> None:
    quote = conn.dialect.identifier_preparer.quote
    for table, column, column_type in _COLUMNS:
        type_sql = column_type.compile(dialect=conn.dialect)
        conn.execute(text(f"ALTER TABLE {quote(table)} ADD COLUMN {quote(column)} {type_sql}"))

"""Version 12: an object's server-side encryption (``services/s3/encryption.py``).

Frozen: this file describes the schema as version 12 made it; later changes are new files.

On ``objects``, ``object_versions`` and ``multipart_uploads`` (what CreateMultipartUpload
gave, which the completed object takes), each a nullable column:

- ``server_side_encryption``: AES256, aws:kms or aws:kms:dsse; NULL is AES256;
- ``sse_kms_key_id``: the KMS key's ARN, for aws:kms and aws:kms:dsse;
- ``bucket_key_enabled``: whether an S3 Bucket Key is used; NULL is false.

Added in place, so rows of version 11 keep their meaning (SSE-S3, as they were answered).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, Connection, String, Text, text
from sqlalchemy.types import TypeEngine

_TABLES = ("objects", "object_versions", "multipart_uploads")
_COLUMNS: tuple[tuple[str, TypeEngine[Any]], ...] = (
    ("server_side_encryption", String(16)),
    ("sse_kms_key_id", Text()),
    ("bucket_key_enabled", Boolean()),
)


def upgrade(conn: Connection) -> None:
    quote = conn.dialect.identifier_preparer.quote
    for table in _TABLES:
        for column, column_type in _COLUMNS:
            type_sql = column_type.compile(dialect=conn.dialect)
            conn.execute(text(f"ALTER TABLE {quote(table)} ADD COLUMN {quote(column)} {type_sql}"))

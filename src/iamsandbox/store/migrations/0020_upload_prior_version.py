"""Version 20: what a multipart upload's key held when the upload was created
(CompleteMultipartUpload's 409 ConditionalRequestConflict, services/s3/write_conditions.py).

Frozen: this file describes the schema as version 20 made it; later changes are new files.

- ``multipart_uploads.prior_version_id``: the version ID of the key's latest version or
  delete marker at CreateMultipartUpload ("null" in a bucket whose versioning was never
  set), "" when the key had none.

A nullable column added in place: an upload of version 19 reads NULL, not known, and keeps
the check it had (a write or delete marker after its creation).
"""

from __future__ import annotations

from sqlalchemy import Connection, String, text


def upgrade(conn: Connection) -> None:
    quote = conn.dialect.identifier_preparer.quote
    type_sql = String(64).compile(dialect=conn.dialect)
    conn.execute(text(f"ALTER TABLE {quote('multipart_uploads')} ADD COLUMN {quote('prior_version_id')} {type_sql}"))

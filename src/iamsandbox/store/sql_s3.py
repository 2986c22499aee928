"""S3 in SQL: buckets, their stored configurations (encryption, CORS, lifecycle, website,
logging), objects, multipart uploads.

Object bodies live in the database (a blob) unless the store was opened with a blob
directory, in which case bodies of at least ``blob_threshold`` bytes are files there
(written and fsynced before the row commits; removed after a commit that drops them, or
after a rollback that never used them). Keys sort by code point, as S3 lists them.

Gaps: no versioning; a file orphaned by two racing writers of one key stays on disk.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Integer, Row, Select, bindparam, delete, func, insert, select, update

from . import schema as s
from .interface import (
    Bucket,
    BucketAttribute,
    BucketConfigurationKind,
    MultipartUpload,
    NotFound,
    ObjectHeaders,
    Part,
    S3Object,
)
from .sql_base import QueryBase, dump_map, load_map, now, prefix_successor

_obj = s.objects
_OBJECT_COLUMNS = tuple(column for column in _obj.c if column.name != "body")


def _bucket(row: Any) -> Bucket:
    return Bucket(
        name=row.name,
        account_id=row.account_id,
        region=row.region,
        created=row.created,
        policy=row.policy,
        public_access_block=row.public_access_block,
        ownership_controls=row.ownership_controls,
    )


_STANDARD = "STANDARD"


def _headers(row: Any) -> ObjectHeaders:
    return ObjectHeaders(
        cache_control=row.cache_control,
        content_disposition=row.content_disposition,
        content_encoding=row.content_encoding,
        content_language=row.content_language,
        expires=row.expires,
        website_redirect_location=row.website_redirect_location,
        storage_class=row.storage_class or _STANDARD,
    )


def _header_values(headers: ObjectHeaders | None) -> dict[str, Any]:
    """The header columns of a row (a NULL storage class is STANDARD: rows before version 9)."""
    given = headers or ObjectHeaders()
    return {
        "cache_control": given.cache_control,
        "content_disposition": given.content_disposition,
        "content_encoding": given.content_encoding,
        "content_language": given.content_language,
        "expires": given.expires,
        "website_redirect_location": given.website_redirect_location,
        "storage_class": given.storage_class,
    }


def _object(row: Any) -> S3Object:
    return S3Object(
        bucket=row.bucket,
        key=row.key,
        size=int(row.size),
        etag=row.etag,
        last_modified=row.last_modified,
        content_type=row.content_type,
        metadata=load_map(row.user_metadata),
        checksums=load_map(row.checksums),
        tags=load_map(row.tags),
        headers=_headers(row),
    )


def _upload(row: Row[Any]) -> MultipartUpload:
    return MultipartUpload(
        upload_id=row.upload_id,
        bucket=row.bucket,
        key=row.key,
        account_id=row.account_id,
        initiator_arn=row.initiator_arn,
        created=row.created,
        content_type=row.content_type,
        metadata=load_map(row.user_metadata),
        tags=load_map(row.tags),
        headers=_headers(row),
    )


def bucket_arn(name: str) -> str:
    return f"arn:aws:s3:::{name}"


# Request-path statements, built once (see sql_base).
_BUCKET = select(s.buckets).where(s.buckets.c.name == bindparam("name"))
_configs = s.bucket_configurations
_CONFIGURATION = select(_configs.c.configuration).where(
    _configs.c.bucket == bindparam("bucket"), _configs.c.kind == bindparam("kind")
)
_OBJECT_WHERE = (_obj.c.bucket == bindparam("bucket"), _obj.c.key == bindparam("key"))
_OBJECT = select(*_OBJECT_COLUMNS).where(*_OBJECT_WHERE)
_BODY_PATH = select(_obj.c.body_path).where(*_OBJECT_WHERE)
_BODY = select(_obj.c.body).where(*_OBJECT_WHERE)
_BODY_FROM = select(func.substr(_obj.c.body, bindparam("start", type_=Integer)).label("body")).where(*_OBJECT_WHERE)
_BODY_RANGE = select(
    func.substr(_obj.c.body, bindparam("start", type_=Integer), bindparam("length", type_=Integer)).label("body")
).where(*_OBJECT_WHERE)


def _list_statement(low: bool, after: bool, upper: bool) -> Select[Any]:
    """A page of objects in key order: keys from ``low`` (or after it, when it is the
    start-after key rather than the prefix) and below ``upper`` (the prefix's successor)."""
    query = select(*_OBJECT_COLUMNS).where(_obj.c.bucket == bindparam("bucket"))
    if low:
        query = query.where(_obj.c.key > bindparam("low") if after else _obj.c.key >= bindparam("low"))
    if upper:
        query = query.where(_obj.c.key < bindparam("upper"))
    return query.order_by(_obj.c.key).limit(bindparam("limit", type_=Integer))


_LISTS = {
    (low, after, upper): _list_statement(low, after, upper)
    for low in (False, True)
    for after in (False, True)
    for upper in (False, True)
}


class S3Queries(QueryBase):
    # --- buckets -----------------------------------------------------------------------

    def create_bucket(self, name: str, account_id: str, region: str) -> Bucket:
        created = now()
        self._run(insert(s.buckets).values(name=name, account_id=account_id, region=region, created=created))
        return Bucket(name, account_id, region, created)

    def get_bucket(self, name: str) -> Bucket | None:
        return self._memo(("bucket", name), lambda: self._read_bucket(name))

    def _read_bucket(self, name: str) -> Bucket | None:
        row = self._fetch_first(_BUCKET, {"name": name}, cache=False)
        return _bucket(row) if row else None

    def list_buckets(self, account_id: str) -> list[Bucket]:
        rows = self._conn.execute(
            select(s.buckets).where(s.buckets.c.account_id == account_id).order_by(s.buckets.c.name)
        )
        return [_bucket(row) for row in rows]

    def set_bucket_attribute(self, name: str, attribute: BucketAttribute, value: str | None) -> bool:
        if attribute not in ("policy", "public_access_block", "ownership_controls"):
            raise ValueError(attribute)
        account_id = self._conn.execute(select(s.buckets.c.account_id).where(s.buckets.c.name == name)).scalar()
        if account_id is None:
            return False
        self._run(update(s.buckets).where(s.buckets.c.name == name).values({attribute: value}))
        self.bump_policy_generation(account_id)
        return True

    def delete_bucket(self, name: str) -> bool:
        """Delete an empty bucket (``Conflict`` if objects or uploads remain: the service
        answers ``BucketNotEmpty`` after checking)."""
        account_id = self._conn.execute(select(s.buckets.c.account_id).where(s.buckets.c.name == name)).scalar()
        if account_id is None:
            return False
        self._drop_tags(bucket_arn(name))
        self._run(delete(_configs).where(_configs.c.bucket == name))
        self._run(delete(s.buckets).where(s.buckets.c.name == name))
        self.bump_policy_generation(account_id)
        return True

    def get_bucket_configuration(self, bucket: str, kind: BucketConfigurationKind) -> str | None:
        row = self._fetch_first(_CONFIGURATION, {"bucket": bucket, "kind": kind})
        return str(row.configuration) if row is not None else None

    def set_bucket_configuration(self, bucket: str, kind: BucketConfigurationKind, configuration: str | None) -> bool:
        """Replace (or, with None, delete) the bucket's configuration of this kind. Not a
        policy: no authorization decision reads it, so the policy generation stays."""
        if kind not in ("encryption", "cors", "lifecycle", "website", "logging"):
            raise ValueError(kind)
        exists = self._conn.execute(select(s.buckets.c.name).where(s.buckets.c.name == bucket)).first()
        if exists is None:
            return False
        self._run(delete(_configs).where(_configs.c.bucket == bucket, _configs.c.kind == kind))
        if configuration is not None:
            self._run(insert(_configs).values(bucket=bucket, kind=kind, configuration=configuration))
        return True

    # --- objects -----------------------------------------------------------------------

    def _write_blob(self, body: bytes) -> str:
        assert self._blob_dir is not None
        self._blob_dir.mkdir(parents=True, exist_ok=True)
        name = secrets.token_hex(16)
        final = self._blob_dir / name
        temporary = self._blob_dir / (name + ".tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            view = memoryview(body)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temporary, final)
        directory = os.open(self._blob_dir, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
        self._after_rollback.append(lambda: final.unlink(missing_ok=True))
        return str(final)

    def _forget_blob(self, path: str | None) -> None:
        if path:
            self._after_commit.append(lambda: Path(path).unlink(missing_ok=True))

    def put_object(
        self,
        bucket: str,
        key: str,
        body: bytes,
        etag: str,
        content_type: str | None = None,
        metadata: Mapping[str, str] | None = None,
        checksums: Mapping[str, str] | None = None,
        tags: Mapping[str, str] | None = None,
        headers: ObjectHeaders | None = None,
    ) -> S3Object:
        """Write the object; one that replaces another replaces its tags too (PutObject
        without x-amz-tagging leaves the new object with none)."""
        modified = now()
        body_path: str | None = None
        stored_body: bytes | None = body
        if self._blob_dir is not None and len(body) >= self._blob_threshold:
            body_path, stored_body = self._write_blob(body), None
        old = self._one(select(_obj.c.body_path).where(_obj.c.bucket == bucket, _obj.c.key == key))
        values = {
            "size": len(body),
            "etag": etag,
            "last_modified": modified,
            "content_type": content_type,
            "user_metadata": dump_map(metadata),
            "checksums": dump_map(checksums),
            "body": stored_body,
            "body_path": body_path,
            "tags": dump_map(tags),
            **_header_values(headers),
        }
        if old is not None:
            self._forget_blob(old.body_path)
            self._run(update(_obj).where(_obj.c.bucket == bucket, _obj.c.key == key).values(**values))
        else:
            self._run(insert(_obj).values(bucket=bucket, key=key, **values))
        return S3Object(
            bucket=bucket,
            key=key,
            size=len(body),
            etag=etag,
            last_modified=modified,
            content_type=content_type,
            metadata=dict(metadata or {}),
            checksums=dict(checksums or {}),
            tags=dict(tags or {}),
            headers=headers or ObjectHeaders(),
        )

    def get_object(self, bucket: str, key: str) -> S3Object | None:
        return self._memo(("object", bucket, key), lambda: self._read_object_row(bucket, key))

    def _read_object_row(self, bucket: str, key: str) -> S3Object | None:
        row = self._fetch_first(_OBJECT, {"bucket": bucket, "key": key}, cache=False)
        return _object(row) if row else None

    def set_object_tags(self, bucket: str, key: str, tags: Mapping[str, str]) -> bool:
        # A write through ``_run``: the lane's row cache drops what it held (``_memo``).
        result = self._run(update(_obj).where(_obj.c.bucket == bucket, _obj.c.key == key).values(tags=dump_map(tags)))
        return bool(result.rowcount)

    def read_object(self, bucket: str, key: str, start: int = 0, length: int | None = None) -> bytes | None:
        """The body, or the ``length`` bytes from ``start`` (a Range the service resolved)."""
        if start < 0 or (length is not None and length < 0):
            raise ValueError("start and length are not negative")
        found = {"bucket": bucket, "key": key}
        path = self._fetch_first(_BODY_PATH, found)
        if path is None:
            return None
        if path.body_path:
            with open(path.body_path, "rb") as file:
                file.seek(start)
                return file.read() if length is None else file.read(length)
        if start == 0 and length is None:
            row = self._fetch_first(_BODY, found, cache=False)
        elif length is None:
            row = self._fetch_first(_BODY_FROM, {**found, "start": start + 1}, cache=False)
        else:
            row = self._fetch_first(_BODY_RANGE, {**found, "start": start + 1, "length": length}, cache=False)
        value = row.body if row is not None else None
        return bytes(value) if value is not None else b""

    def delete_object(self, bucket: str, key: str) -> bool:
        old = self._one(select(_obj.c.body_path).where(_obj.c.bucket == bucket, _obj.c.key == key))
        if old is None:
            return False
        self._forget_blob(old.body_path)
        self._run(delete(_obj).where(_obj.c.bucket == bucket, _obj.c.key == key))
        return True

    def list_objects(self, bucket: str, prefix: str = "", start_after: str = "", limit: int = 1000) -> list[S3Object]:
        """Objects in key order: keys that start with ``prefix`` and sort after
        ``start_after``, at most ``limit``. A range scan of the primary key."""
        key = ("objects", bucket, prefix, start_after, limit)
        return list(self._memo(key, lambda: self._list_objects(bucket, prefix, start_after, limit)))

    def _list_objects(self, bucket: str, prefix: str, start_after: str, limit: int) -> tuple[S3Object, ...]:
        low = max(prefix, start_after)
        upper = prefix_successor(prefix) if prefix else None
        statement = _LISTS[(bool(low), low == start_after, upper is not None)]
        values = {"bucket": bucket, "low": low, "upper": upper, "limit": limit}
        return tuple(_object(row) for row in self._fetch(statement, values, cache=False))

    # --- multipart uploads ---------------------------------------------------------------

    def create_multipart_upload(
        self,
        bucket: str,
        key: str,
        account_id: str,
        initiator_arn: str,
        content_type: str | None = None,
        metadata: Mapping[str, str] | None = None,
        tags: Mapping[str, str] | None = None,
        headers: ObjectHeaders | None = None,
    ) -> MultipartUpload:
        upload_id = secrets.token_urlsafe(48)
        created = now()
        self._run(
            insert(s.multipart_uploads).values(
                upload_id=upload_id,
                bucket=bucket,
                key=key,
                account_id=account_id,
                initiator_arn=initiator_arn,
                created=created,
                content_type=content_type,
                user_metadata=dump_map(metadata),
                tags=dump_map(tags),
                **_header_values(headers),
            )
        )
        return MultipartUpload(
            upload_id,
            bucket,
            key,
            account_id,
            initiator_arn,
            created,
            content_type,
            dict(metadata or {}),
            dict(tags or {}),
            headers or ObjectHeaders(),
        )

    def get_multipart_upload(self, upload_id: str) -> MultipartUpload | None:
        table = s.multipart_uploads
        row = self._one(select(table).where(table.c.upload_id == upload_id))
        return _upload(row) if row else None

    def list_multipart_uploads(self, bucket: str) -> list[MultipartUpload]:
        """A bucket's uploads by key (code point order), then by initiation; the upload ID
        breaks a tie, so that every listing, and so every page, has the same order."""
        table = s.multipart_uploads
        rows = self._conn.execute(
            select(table).where(table.c.bucket == bucket).order_by(table.c.key, table.c.created, table.c.upload_id)
        )
        return [_upload(row) for row in rows]

    def put_part(self, upload_id: str, part_number: int, body: bytes, etag: str) -> Part:
        table = s.parts
        created = now()
        values = {"size": len(body), "etag": etag, "created": created, "body": body}
        result = self._run(
            update(table).where(table.c.upload_id == upload_id, table.c.part_number == part_number).values(**values)
        )
        if result.rowcount == 0:
            self._run(insert(table).values(upload_id=upload_id, part_number=part_number, **values))
        return Part(upload_id, part_number, len(body), etag, created)

    def list_parts(self, upload_id: str) -> list[Part]:
        table = s.parts
        rows = self._conn.execute(
            select(table.c.upload_id, table.c.part_number, table.c.size, table.c.etag, table.c.created)
            .where(table.c.upload_id == upload_id)
            .order_by(table.c.part_number)
        )
        return [Part(row.upload_id, row.part_number, int(row.size), row.etag, row.created) for row in rows]

    def complete_multipart_upload(self, upload_id: str, part_numbers: Sequence[int], etag: str) -> S3Object:
        """Join the named parts (the service has checked them against the request) into
        the object, and drop the upload."""
        upload = self.get_multipart_upload(upload_id)
        if upload is None:
            raise NotFound(f"upload {upload_id}")
        table = s.parts
        rows = self._conn.execute(
            select(table.c.part_number, table.c.body).where(
                table.c.upload_id == upload_id, table.c.part_number.in_(list(part_numbers))
            )
        )
        bodies = {row.part_number: bytes(row.body) for row in rows}
        missing = [number for number in part_numbers if number not in bodies]
        if missing:
            raise NotFound(f"parts {missing} of upload {upload_id}")
        body = b"".join(bodies[number] for number in part_numbers)
        obj = self.put_object(
            upload.bucket,
            upload.key,
            body,
            etag,
            upload.content_type,
            upload.metadata,
            tags=upload.tags,
            headers=upload.headers,
        )
        self.abort_multipart_upload(upload_id)
        return obj

    def abort_multipart_upload(self, upload_id: str) -> bool:
        self._run(delete(s.parts).where(s.parts.c.upload_id == upload_id))
        table = s.multipart_uploads
        return bool(self._run(delete(table).where(table.c.upload_id == upload_id)).rowcount)

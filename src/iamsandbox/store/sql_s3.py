"""S3 in SQL: buckets, their stored configurations (encryption, CORS, lifecycle, website,
logging), objects, multipart uploads.

Object bodies live in the database (a blob) unless the store was opened with a blob
directory, in which case bodies of at least ``blob_threshold`` bytes are files there
(written and fsynced before the row commits; removed after a commit that drops them, or
after a rollback that never used them). Keys sort by code point, as S3 lists them.

Versions (version 10 of the schema): ``objects`` holds each key's latest version (a delete
marker included), ``object_versions`` its noncurrent ones, ordered by ``sequence``. So
reading the latest is one primary-key read whatever the number of versions, and listing
the latest objects is a range scan of ``objects``.

Part layout (version 11): an object made by CompleteMultipartUpload keeps its parts' sizes
(and checksums) in ``part_layout``, one text column, NULL for every other object; the
listings do not read it (``_LISTED_COLUMNS``).

Gaps: a file orphaned by two racing writers of one key stays on disk.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, get_args

from sqlalchemy import (
    Integer,
    Row,
    Select,
    and_,
    bindparam,
    delete,
    false,
    func,
    insert,
    literal,
    or_,
    select,
    union_all,
    update,
)

from . import schema as s
from .interface import (
    Bucket,
    BucketAttribute,
    BucketConfigurationKind,
    MultipartUpload,
    NotFound,
    ObjectHeaders,
    ObjectPart,
    Part,
    S3Object,
    dump_layout,
)
from .sql_base import QueryBase, dump_map, load_map, now, prefix_successor

_obj = s.objects
_ver = s.object_versions
_OBJECT_COLUMNS = tuple(column for column in _obj.c if column.name != "body")
_VERSION_COLUMNS = tuple(column for column in _ver.c if column.name != "body")
# What a listing reads: no body, no part layout (no listing answers one).
_LISTED_COLUMNS = tuple(column for column in _OBJECT_COLUMNS if column.name != "part_layout")
_LISTED_VERSION_COLUMNS = tuple(column for column in _VERSION_COLUMNS if column.name != "part_layout")
# A version's columns by name, the same in both tables (moving a version between them).
_MOVED = tuple(column.name for column in _ver.c)


def _bucket(row: Any) -> Bucket:
    return Bucket(
        name=row.name,
        account_id=row.account_id,
        region=row.region,
        created=row.created,
        policy=row.policy,
        public_access_block=row.public_access_block,
        ownership_controls=row.ownership_controls,
        versioning=row.versioning,
        mfa_delete=row.mfa_delete,
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
        server_side_encryption=row.server_side_encryption,
        sse_kms_key_id=row.sse_kms_key_id,
        bucket_key_enabled=bool(row.bucket_key_enabled),
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
        "server_side_encryption": given.server_side_encryption,
        "sse_kms_key_id": given.sse_kms_key_id,
        "bucket_key_enabled": given.bucket_key_enabled,
    }


def _object(row: Any, is_latest: bool = True) -> S3Object:
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
        version_id=row.version_id,
        delete_marker=bool(row.delete_marker),
        is_latest=is_latest,
        part_layout=getattr(row, "part_layout", None),  # listings do not read it
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
        checksum_algorithm=row.checksum_algorithm,
        checksum_type=row.checksum_type,
        prior_version_id=row.prior_version_id,
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
_VERSION_WHERE = (
    _ver.c.bucket == bindparam("bucket"),
    _ver.c.key == bindparam("key"),
    _ver.c.version_id == bindparam("version_id"),
)
_VERSION = select(*_VERSION_COLUMNS).where(*_VERSION_WHERE)


def _body_statements(table: Any, where: tuple[Any, ...]) -> tuple[Select[Any], ...]:
    """The body path, the whole body, the body from ``start``, ``length`` bytes from it."""
    return (
        select(table.c.body_path).where(*where),
        select(table.c.body).where(*where),
        select(func.substr(table.c.body, bindparam("start", type_=Integer)).label("body")).where(*where),
        select(
            func.substr(table.c.body, bindparam("start", type_=Integer), bindparam("length", type_=Integer)).label(
                "body"
            )
        ).where(*where),
    )


_LATEST_BODY = _body_statements(_obj, _OBJECT_WHERE)
_BODY_PATH, _BODY, _BODY_FROM, _BODY_RANGE = _LATEST_BODY
_NONCURRENT_BODY = _body_statements(_ver, _VERSION_WHERE)


def _list_statement(low: bool, after: bool, upper: bool) -> Select[Any]:
    """A page of objects in key order: keys from ``low`` (or after it, when it is the
    start-after key rather than the prefix) and below ``upper`` (the prefix's successor)."""
    query = select(*_LISTED_COLUMNS).where(_obj.c.bucket == bindparam("bucket"), _obj.c.delete_marker == false())
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
        policy: the policy generation stays (the one kind authorization reads, "abac", is read
        on each request, as the bucket's tags are)."""
        if kind not in get_args(BucketConfigurationKind):
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

    def set_bucket_versioning(self, name: str, status: str, mfa_delete: str | None = None) -> bool:
        """Not a policy: no authorization decision reads it, so the policy generation stays."""
        values: dict[str, Any] = {"versioning": status}
        if mfa_delete is not None:
            values["mfa_delete"] = mfa_delete
        result = self._run(update(s.buckets).where(s.buckets.c.name == name).values(**values))
        return bool(result.rowcount)

    def _current(self, bucket: str, key: str) -> Row[Any] | None:
        return self._one(
            select(_obj.c.version_id, _obj.c.body_path, _obj.c.sequence).where(
                _obj.c.bucket == bucket, _obj.c.key == key
            )
        )

    def _write_version(self, bucket: str, key: str, version_id: str, values: dict[str, Any]) -> None:
        """Make ``values`` the key's latest version ``version_id`` (``Transaction.put_object``)."""
        current = self._current(bucket, key)
        if current is None:
            self._run(insert(_obj).values(bucket=bucket, key=key, version_id=version_id, sequence=0, **values))
            return
        if current.version_id == version_id:
            self._forget_blob(current.body_path)  # the same version, replaced
        else:
            # The latest becomes noncurrent, and a noncurrent version of this id ("null")
            # is replaced ("Working with objects in a versioning-suspended bucket").
            self._drop_noncurrent(bucket, key, version_id)
            moved = select(*(_obj.c[name] for name in _MOVED)).where(_obj.c.bucket == bucket, _obj.c.key == key)
            self._run(insert(_ver).from_select(list(_MOVED), moved))
        self._run(
            update(_obj)
            .where(_obj.c.bucket == bucket, _obj.c.key == key)
            .values(version_id=version_id, sequence=int(current.sequence) + 1, **values)
        )

    def _drop_noncurrent(self, bucket: str, key: str, version_id: str) -> Row[Any] | None:
        where = (_ver.c.bucket == bucket, _ver.c.key == key, _ver.c.version_id == version_id)
        old = self._one(select(*_VERSION_COLUMNS).where(*where))
        if old is not None:
            self._forget_blob(old.body_path)
            self._run(delete(_ver).where(*where))
        return old

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
        version_id: str = "null",
        parts: Sequence[ObjectPart] | None = None,
    ) -> S3Object:
        """Write the object as the key's latest version; one that replaces another replaces
        its tags too (PutObject without x-amz-tagging leaves the new object with none).
        ``parts``: a multipart object's layout (None: written in one request)."""
        modified = now()
        body_path: str | None = None
        stored_body: bytes | None = body
        if self._blob_dir is not None and len(body) >= self._blob_threshold:
            body_path, stored_body = self._write_blob(body), None
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
            "delete_marker": False,
            **_header_values(headers),
            "part_layout": dump_layout(parts) if parts is not None else None,
        }
        self._write_version(bucket, key, version_id, values)
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
            version_id=version_id,
            part_layout=values["part_layout"],
        )

    def put_delete_marker(self, bucket: str, key: str, version_id: str) -> S3Object:
        modified = now()
        values = {
            "size": 0,
            "etag": "",
            "last_modified": modified,
            "content_type": None,
            "user_metadata": None,
            "checksums": None,
            "body": None,
            "body_path": None,
            "tags": None,
            "delete_marker": True,
            **_header_values(None),
            "part_layout": None,
        }
        self._write_version(bucket, key, version_id, values)
        return S3Object(bucket, key, 0, "", modified, version_id=version_id, delete_marker=True)

    def get_object(self, bucket: str, key: str) -> S3Object | None:
        found = self.get_object_version(bucket, key)
        return None if found is None or found.delete_marker else found

    def get_object_version(self, bucket: str, key: str, version_id: str | None = None) -> S3Object | None:
        return self._memo(("object", bucket, key, version_id), lambda: self._read_version(bucket, key, version_id))

    def _read_version(self, bucket: str, key: str, version_id: str | None) -> S3Object | None:
        row = self._fetch_first(_OBJECT, {"bucket": bucket, "key": key}, cache=False)
        if row is None:
            return None  # INVARIANT: a key without a latest version has no version at all
        if version_id is None or row.version_id == version_id:
            return _object(row)
        old = self._fetch_first(_VERSION, {"bucket": bucket, "key": key, "version_id": version_id}, cache=False)
        return _object(old, is_latest=False) if old is not None else None

    def _is_latest(self, bucket: str, key: str, version_id: str | None) -> bool:
        if version_id is None:
            return True
        current = self.get_object_version(bucket, key)
        return current is not None and current.version_id == version_id

    def set_object_tags(self, bucket: str, key: str, tags: Mapping[str, str], version_id: str | None = None) -> bool:
        # A write through ``_run``: the lane's row cache drops what it held (``_memo``).
        if self._is_latest(bucket, key, version_id):
            where: tuple[Any, ...] = (_obj.c.bucket == bucket, _obj.c.key == key)
            result = self._run(update(_obj).where(*where).values(tags=dump_map(tags)))
        else:
            where = (_ver.c.bucket == bucket, _ver.c.key == key, _ver.c.version_id == version_id)
            result = self._run(update(_ver).where(*where).values(tags=dump_map(tags)))
        return bool(result.rowcount)

    def read_object(
        self, bucket: str, key: str, start: int = 0, length: int | None = None, version_id: str | None = None
    ) -> bytes | None:
        """The body, or the ``length`` bytes from ``start`` (a Range the service resolved),
        of the latest version or of ``version_id``."""
        if start < 0 or (length is not None and length < 0):
            raise ValueError("start and length are not negative")
        found: dict[str, Any] = {"bucket": bucket, "key": key}
        statements = _LATEST_BODY
        if not self._is_latest(bucket, key, version_id):
            found["version_id"] = version_id
            statements = _NONCURRENT_BODY
        body_path, whole, tail, span = statements
        path = self._fetch_first(body_path, found)
        if path is None:
            return None
        if path.body_path:
            with open(path.body_path, "rb") as file:
                file.seek(start)
                return file.read() if length is None else file.read(length)
        if start == 0 and length is None:
            row = self._fetch_first(whole, found, cache=False)
        elif length is None:
            row = self._fetch_first(tail, {**found, "start": start + 1}, cache=False)
        else:
            row = self._fetch_first(span, {**found, "start": start + 1, "length": length}, cache=False)
        value = row.body if row is not None else None
        return bytes(value) if value is not None else b""

    def delete_object(self, bucket: str, key: str) -> bool:
        return self.delete_object_version(bucket, key, "null") is not None

    def delete_object_version(self, bucket: str, key: str, version_id: str) -> S3Object | None:
        current = self.get_object_version(bucket, key)
        if current is None:
            return None
        if current.version_id != version_id:
            old = self._drop_noncurrent(bucket, key, version_id)
            return _object(old, is_latest=False) if old is not None else None
        where = (_obj.c.bucket == bucket, _obj.c.key == key)
        path = self._one(select(_obj.c.body_path).where(*where))
        self._forget_blob(path.body_path if path is not None else None)
        newest = self._one(
            select(_ver).where(_ver.c.bucket == bucket, _ver.c.key == key).order_by(_ver.c.sequence.desc()).limit(1)
        )
        if newest is None:
            self._run(delete(_obj).where(*where))
            return current
        # The next newest version becomes the latest (removing a delete marker this way
        # "undeletes" the object: "Working with delete markers").
        promoted = {name: getattr(newest, name) for name in _MOVED if name not in ("bucket", "key")}
        self._run(update(_obj).where(*where).values(**promoted))
        self._run(
            delete(_ver).where(_ver.c.bucket == bucket, _ver.c.key == key, _ver.c.version_id == newest.version_id)
        )
        return current

    def has_object_versions(self, bucket: str) -> bool:
        # INVARIANT (schema): a key with any version has its latest in ``objects``.
        return self._one(select(_obj.c.key).where(_obj.c.bucket == bucket).limit(1)) is not None

    def list_objects(self, bucket: str, prefix: str = "", start_after: str = "", limit: int = 1000) -> list[S3Object]:
        """The latest versions that are not delete markers, in key order: keys that start
        with ``prefix`` and sort after ``start_after``, at most ``limit``. A range scan of
        the primary key."""
        key = ("objects", bucket, prefix, start_after, limit)
        return list(self._memo(key, lambda: self._list_objects(bucket, prefix, start_after, limit)))

    def _list_objects(self, bucket: str, prefix: str, start_after: str, limit: int) -> tuple[S3Object, ...]:
        low = max(prefix, start_after)
        upper = prefix_successor(prefix) if prefix else None
        statement = _LISTS[(bool(low), low == start_after, upper is not None)]
        values = {"bucket": bucket, "low": low, "upper": upper, "limit": limit}
        return tuple(_object(row) for row in self._fetch(statement, values, cache=False))

    def list_object_versions(
        self,
        bucket: str,
        prefix: str = "",
        key_marker: str = "",
        version_id_marker: str = "",
        limit: int = 1000,
        marker_time: datetime | None = None,
    ) -> list[S3Object]:
        """A page of versions: the two tables' rows in one ordered query (key, then newest
        first), from the marker on. A version id marker that names no version of the key
        marker any more (deleted since) goes on with the key's versions older than
        ``marker_time``, when the caller knows when that version was made; else after the key."""
        marker_sequence: int | None = None
        if key_marker and version_id_marker:
            marker = self.get_object_version(bucket, key_marker, version_id_marker)
            if marker is not None:
                marker_sequence = self._sequence(marker)
        upper = prefix_successor(prefix) if prefix else None
        parts = []
        for table, latest in ((_obj, True), (_ver, False)):
            # UNION ALL matches columns by position: the same names in the same order.
            columns = [table.c[column.name] for column in _LISTED_VERSION_COLUMNS]
            query = select(*columns, literal(latest).label("is_latest")).where(table.c.bucket == bucket)
            if prefix:
                query = query.where(table.c.key >= prefix)
            if upper is not None:
                query = query.where(table.c.key < upper)
            if key_marker:
                after = table.c.key > key_marker
                if marker_sequence is not None:
                    after = or_(after, and_(table.c.key == key_marker, table.c.sequence < marker_sequence))
                elif version_id_marker and marker_time is not None:
                    after = or_(after, and_(table.c.key == key_marker, table.c.last_modified < marker_time))
                query = query.where(after)
            parts.append(query)
        both = union_all(*parts).subquery()
        rows = self._conn.execute(select(both).order_by(both.c.key, both.c.sequence.desc()).limit(limit))
        return [_object(row, is_latest=bool(row.is_latest)) for row in rows]

    def _sequence(self, version: S3Object) -> int:
        table = _obj if version.is_latest else _ver
        value = self._conn.execute(
            select(table.c.sequence).where(
                table.c.bucket == version.bucket, table.c.key == version.key, table.c.version_id == version.version_id
            )
        ).scalar()
        return int(value or 0)

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
        checksum_algorithm: str | None = None,
        checksum_type: str | None = None,
        prior_version_id: str | None = None,
    ) -> MultipartUpload:
        # S3's alphabet (letters, digits, "." and "_"): an ID that began with "-" would be
        # read as an option by `aws s3api upload-part --upload-id ID`.
        upload_id = secrets.token_urlsafe(48).replace("-", ".")
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
                checksum_algorithm=checksum_algorithm,
                checksum_type=checksum_type,
                prior_version_id=prior_version_id,
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
            checksum_algorithm,
            checksum_type,
            prior_version_id,
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

    def put_part(
        self, upload_id: str, part_number: int, body: bytes, etag: str, checksums: Mapping[str, str] | None = None
    ) -> Part:
        table = s.parts
        created = now()
        values = {"size": len(body), "etag": etag, "created": created, "body": body, "checksums": dump_map(checksums)}
        result = self._run(
            update(table).where(table.c.upload_id == upload_id, table.c.part_number == part_number).values(**values)
        )
        if result.rowcount == 0:
            self._run(insert(table).values(upload_id=upload_id, part_number=part_number, **values))
        return Part(upload_id, part_number, len(body), etag, created, dict(checksums or {}))

    def list_parts(self, upload_id: str) -> list[Part]:
        table = s.parts
        rows = self._conn.execute(
            select(
                table.c.upload_id, table.c.part_number, table.c.size, table.c.etag, table.c.created, table.c.checksums
            )
            .where(table.c.upload_id == upload_id)
            .order_by(table.c.part_number)
        )
        return [
            Part(row.upload_id, row.part_number, int(row.size), row.etag, row.created, load_map(row.checksums))
            for row in rows
        ]

    def complete_multipart_upload(
        self,
        upload_id: str,
        part_numbers: Sequence[int],
        etag: str,
        version_id: str = "null",
        parts: Sequence[ObjectPart] | None = None,
        checksums: Mapping[str, str] | None = None,
    ) -> S3Object:
        """Join the named parts (the service has checked them against the request) into
        the object, which keeps ``parts`` as its layout (default: the parts' sizes) and
        ``checksums`` as its own, and drop the upload."""
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
            checksums=checksums,
            tags=upload.tags,
            headers=upload.headers,
            version_id=version_id,
            parts=parts if parts is not None else [ObjectPart(len(bodies[number])) for number in part_numbers],
        )
        self.abort_multipart_upload(upload_id)
        return obj

    def abort_multipart_upload(self, upload_id: str) -> bool:
        self._run(delete(s.parts).where(s.parts.c.upload_id == upload_id))
        table = s.multipart_uploads
        return bool(self._run(delete(table).where(table.c.upload_id == upload_id)).rowcount)

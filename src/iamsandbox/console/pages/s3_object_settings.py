"""An object's settings in the S3 console: the Edit pages of its Tags and its Metadata.

AWS (S3 User Guide):

- "Managing object tags" (Using the S3 console: Edit tags, Add tag, a Key and a Value a row,
  Save changes; "You can associate up to 10 tags with an object") and "Viewing object
  properties in the Amazon S3 console" (the object's Tags, Edit). The rows are saved with
  PutObjectTagging, which "Sets the supplied tag-set to an object" (PutObjectTagging, Amazon
  S3 API Reference): every row removed, the tag set saved is empty. Which call AWS's console
  makes then (PutObjectTagging with no tags, or DeleteObjectTagging) is not in AWS's pages:
  unconfirmed. S3 checks the tags (InvalidTag, more than 10: BadRequest).
- "Editing object metadata in the Amazon S3 console" (the object's Metadata, Edit; Add
  metadata; a Type, "System defined" or "User defined", a Key and a Value a row; Remove; Save
  changes): "This action creates a copy of the object with updated settings and the
  last-modified date. If S3 Versioning is enabled, a new version of the object is created".
  Saved with CopyObject of the object onto itself, MetadataDirective REPLACE, with every row:
  the system-defined keys that page and "Working with object metadata" let a user change
  (Content-Type, Cache-Control, Content-Disposition, Content-Encoding, Content-Language,
  Expires, x-amz-website-redirect-location: ``s3.SYSTEM_METADATA``) and the user-defined
  x-amz-meta-* ones, whose keys S3 stores in lowercase ("Amazon S3 stores user-defined
  metadata keys in lowercase"; "Both keys and their values must conform to US-ASCII
  standards", checked here before the copy). The object's storage class and encryption, as
  HeadObject answers them just before, go with the copy, since CopyObject does not keep them
  by itself (a copy is STANDARD and takes the bucket's default encryption unless the request
  says otherwise, CopyObject). Its tags are kept by the copy (x-amz-tagging-directive COPY,
  CopyObject's default).

Every read and write is an S3 operation as the console's principal (``page.call``): a refused
one (AccessDenied without s3:PutObjectTagging, s3:GetObject or s3:PutObject) shows S3's error
on the Edit page with the rows as they were typed, and nothing is saved.

Known gaps: the console's "Edit tags" and "Edit metadata" for several objects chosen on the
Objects tab (Actions) are not offered, nor editing the storage class or the encryption;
"Editing object metadata" says the console needs s3:GetObjectTagging to edit the metadata of
a tagged object (it copies the tags it read; refused, they are lost): here the copy keeps
them with TaggingDirective COPY, which S3 authorizes with s3:GetObject and s3:PutObject alone.
"""

from __future__ import annotations

import re
from datetime import UTC
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import quote

from ...errors import ServiceError
from ...services.s3.tagging import MAX_TAGS  # "You can associate up to 10 tags with an object"
from ..app import PageContext
from ..web import Response, Routes
from .s3 import SYSTEM_METADATA, _crumbs, _key, _parent, _system_metadata, kept_settings, object_url
from .s3_bucket_settings import _tag_rows

routes = Routes()

USER_PREFIX = "x-amz-meta-"
SYSTEM, USER = "system", "user"  # a row's Type: "System defined", "User defined"
MAX_METADATA_ROWS = 50  # rows the form redraws; S3 limits the user-defined ones to 2 KB
# An HTTP header name's characters (RFC 9110, token): the key travels as x-amz-meta-<key>.
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_ASCII = re.compile(r"[\x20-\x7e]*")  # printable US-ASCII: a header's value
# The console's words where the S3 User Guide does not spell them out: unconfirmed.
NOT_SYSTEM = "{key} is not system-defined metadata that can be edited. Choose one of: {keys}."  # unconfirmed wording
NO_KEY = "Enter a key for each metadata value."  # unconfirmed wording
TWICE = "Metadata keys must be unique: {key} is given more than once."  # unconfirmed wording
NOT_ASCII_KEY = (
    "User-defined metadata keys must be US-ASCII an HTTP header name can hold: {key}."  # unconfirmed wording
)
NOT_ASCII_VALUE = "Metadata values must be US-ASCII characters: the value of {key}."  # unconfirmed wording
BAD_DATE = "Expires must be a date such as Wed, 21 Oct 2026 07:28:00 GMT."  # unconfirmed wording


def _object_crumbs(bucket: str, key: str) -> list[tuple[str, str]]:
    """The bucket, the object's folders, and the object, whose page the Edit pages belong to."""
    return [*_crumbs(bucket, _parent(key)), (key.rsplit("/", 1)[-1] or key, object_url(bucket, key))]


# --- Tags ------------------------------------------------------------------------------------------


def _tags_page(
    page: PageContext,
    bucket: str,
    key: str,
    rows: list[tuple[str, str]],
    status: int = 200,
    error: ServiceError | None = None,
) -> Response:
    """The bucket tags' Edit page (``s3/tags_edit.html``) for the object's tags."""
    return page.render(
        "s3/tags_edit.html",
        status,
        title="Edit tags",
        bucket=bucket,
        crumbs=_object_crumbs(bucket, key),
        rows=rows,
        action=object_url(bucket, key, "object-tags"),
        back=object_url(bucket, key),
        error=error,
        max_tags=MAX_TAGS,
        help=f"You can enter up to {MAX_TAGS} tags for an object.",
    )


@routes.get("/console/s3/buckets/{bucket}/object-tags/{key:path}")
@routes.get("/console/s3/buckets/{bucket}/object-tags")
def tags_form(page: PageContext) -> Response:
    bucket, key = page.params["bucket"], _key(page)
    try:
        tagging = page.call("s3", "GetObjectTagging", {"Bucket": bucket, "Key": key})
    except ServiceError as error:
        return _tags_page(page, bucket, key, [], error.status, error)
    return _tags_page(page, bucket, key, [(tag["Key"], tag.get("Value", "")) for tag in tagging.get("TagSet", [])])


@routes.post("/console/s3/buckets/{bucket}/object-tags/{key:path}")
@routes.post("/console/s3/buckets/{bucket}/object-tags")
def tags_save(page: PageContext) -> Response:
    """The rows redrawn for "Add tag" and "Remove"; "Save changes" puts the rows with a key
    (PutObjectTagging; none left: an empty tag set)."""
    bucket, key = page.params["bucket"], _key(page)
    rows = _tag_rows(page)
    if page.request.form.get("action", "save") == "add":
        return _tags_page(page, bucket, key, [*rows, ("", "")][:MAX_TAGS])
    if page.request.form.get("remove"):
        return _tags_page(page, bucket, key, rows)
    tag_set = [{"Key": name, "Value": value} for name, value in rows if name]
    try:
        page.call("s3", "PutObjectTagging", {"Bucket": bucket, "Key": key, "Tagging": {"TagSet": tag_set}})
    except ServiceError as error:
        return _tags_page(page, bucket, key, rows, error.status, error)
    return page.redirect(object_url(bucket, key), done="tags")


# --- Metadata --------------------------------------------------------------------------------------


def _metadata_page(
    page: PageContext,
    bucket: str,
    key: str,
    rows: list[tuple[str, str, str]],
    status: int = 200,
    error: ServiceError | None = None,
    problem: str = "",
) -> Response:
    return page.render(
        "s3/metadata_edit.html",
        status,
        title="Edit metadata",
        bucket=bucket,
        key=key,
        crumbs=_object_crumbs(bucket, key),
        rows=rows,
        system_keys=[name for name, _member in SYSTEM_METADATA],
        user_prefix=USER_PREFIX,
        action=object_url(bucket, key, "object-metadata"),
        back=object_url(bucket, key),
        error=error,
        problem=problem,
    )


def _current_rows(head: dict[str, Any]) -> list[tuple[str, str, str]]:
    """The object's metadata as the object's page lists it: system-defined, then user-defined."""
    rows = [(SYSTEM, name, value) for name, value in _system_metadata(head)]
    rows += [(USER, USER_PREFIX + name, str(value)) for name, value in sorted((head.get("Metadata") or {}).items())]
    return rows


def _metadata_rows(page: PageContext, remove: str = "remove") -> list[tuple[str, str, str]]:
    """The rows as the form posts them (Type, Key, Value), without the one the Remove button
    named ``remove`` names."""
    kinds, keys = page.request.values("meta_type"), page.request.values("meta_key")
    values = page.request.values("meta_value")
    rows = [
        (
            kinds[i] if i < len(kinds) and kinds[i] in (SYSTEM, USER) else USER,
            key.strip(),
            values[i] if i < len(values) else "",
        )
        for i, key in enumerate(keys)
    ]
    removed = page.request.form.get(remove, "")
    return [row for i, row in enumerate(rows) if str(i) != removed][:MAX_METADATA_ROWS]


def _copy_params(rows: list[tuple[str, str, str]]) -> tuple[dict[str, Any], str]:
    """CopyObject's members for the rows (the system-defined ones and ``Metadata``), or the
    problem that stops the copy. A row with neither key nor value is left out."""
    members = {name.lower(): (name, member) for name, member in SYSTEM_METADATA}
    params: dict[str, Any] = {}
    user: dict[str, str] = {}
    for kind, key, value in rows:
        if not key:
            if value:
                return {}, NO_KEY
            continue
        if not _ASCII.fullmatch(value):
            return {}, NOT_ASCII_VALUE.format(key=key)
        if kind == SYSTEM:
            found = members.get(key.lower())
            if found is None:
                return {}, NOT_SYSTEM.format(key=key, keys=", ".join(name for name, _member in SYSTEM_METADATA))
            name, member = found
            if member in params:
                return {}, TWICE.format(key=name)
            if member == "Expires":
                try:
                    when = parsedate_to_datetime(value)
                except (TypeError, ValueError):
                    return {}, BAD_DATE
                # An HTTP date is GMT ("-0000" leaves the zone unsaid: read as GMT too).
                params[member] = when if when.tzinfo is not None else when.replace(tzinfo=UTC)
            else:
                params[member] = value
            continue
        name = key[len(USER_PREFIX) :] if key.lower().startswith(USER_PREFIX) else key
        if not _TOKEN.fullmatch(name):
            return {}, NOT_ASCII_KEY.format(key=key)
        if name.lower() in user:
            return {}, TWICE.format(key=USER_PREFIX + name.lower())
        user[name.lower()] = value
    return {**params, "Metadata": user}, ""


@routes.get("/console/s3/buckets/{bucket}/object-metadata/{key:path}")
@routes.get("/console/s3/buckets/{bucket}/object-metadata")
def metadata_form(page: PageContext) -> Response:
    bucket, key = page.params["bucket"], _key(page)
    try:
        head = page.call("s3", "HeadObject", {"Bucket": bucket, "Key": key})
    except ServiceError as error:
        return _metadata_page(page, bucket, key, [], error.status, error)
    return _metadata_page(page, bucket, key, _current_rows(head))


@routes.post("/console/s3/buckets/{bucket}/object-metadata/{key:path}")
@routes.post("/console/s3/buckets/{bucket}/object-metadata")
def metadata_save(page: PageContext) -> Response:
    """The rows redrawn for "Add metadata" and "Remove"; "Save changes" copies the object
    onto itself with the rows (module docstring)."""
    bucket, key = page.params["bucket"], _key(page)
    rows = _metadata_rows(page)
    if page.request.form.get("action", "save") == "add":
        return _metadata_page(page, bucket, key, [*rows, (USER, "", "")][:MAX_METADATA_ROWS])
    if page.request.form.get("remove"):
        return _metadata_page(page, bucket, key, rows)
    given, problem = _copy_params(rows)
    if problem:
        return _metadata_page(page, bucket, key, rows, 400, problem=problem)
    try:
        head = page.call("s3", "HeadObject", {"Bucket": bucket, "Key": key})
        page.call(
            "s3",
            "CopyObject",
            {
                "Bucket": bucket,
                "Key": key,
                "CopySource": quote(f"{bucket}/{key}", safe="/"),
                "MetadataDirective": "REPLACE",
                **kept_settings(head),
                **given,
            },
        )
    except ServiceError as error:
        return _metadata_page(page, bucket, key, rows, error.status, error)
    return page.redirect(object_url(bucket, key), done="metadata")

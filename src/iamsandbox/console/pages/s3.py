"""The S3 console: buckets, a bucket's objects and folders, an object's details, download,
delete, folder creation, copy, emptying and deleting a bucket, and the bucket policy
editor: every step of "Getting started with Amazon S3" (S3 User Guide, GetStartedWithS3.html:
create a bucket, upload, download, copy your object to a folder, delete your objects and
bucket).

Every action is an S3 operation run as the console's principal (``page.call``), so the
API's authorization decides: a role switched to lists its own account's buckets
(ListBuckets), reads what its policies allow and is refused the rest, with S3's
AccessDenied message shown in an alert on the page.

As the S3 console ("Organizing objects in the Amazon S3 console by using folders", S3 User
Guide): folders are the common prefixes of a listing with the delimiter "/"; a page
shows at most ``PAGE_SIZE`` entries and goes on with ListObjectsV2's continuation token;
an object whose key is the folder's own prefix (a folder marker) is not listed in it.
Deleting an object asks first, as the console does ("To confirm deletion, type permanently
delete"; in a bucket whose versioning is enabled or suspended, where a delete marker is added,
"Delete objects?" asks to type "delete"). The bucket policy editor saves with PutBucketPolicy and shows S3's
MalformedPolicy answer when the document is refused; the policy is then not saved.

Object keys travel in the path, every character but letters, digits and "-_.~" escaped
("/" too, so a browser never merges or drops segments); a key that is exactly "." or ".."
goes in the query (``?key=``), since browsers resolve such a path segment even escaped.

"Create folder" ("Organizing objects in the Amazon S3 console using folders", Creating a
folder) puts a 0-byte object whose key is the folder's prefix and name with a trailing "/"
(PutObject). "Copy" and "Move" ("Copying, moving, and renaming objects", Using the S3 console;
Step 4 of the tutorial) are ``s3_move``. "Empty" ("Emptying a bucket"; Step 5) is
``s3_empty``. "Delete bucket" ("Deleting a bucket") asks to type the bucket's name and calls
DeleteBucket; a bucket that is not empty answers S3's BucketNotEmpty, shown with the console's
"This bucket is not empty" alert and its link to the empty bucket configuration.

The Permissions tab also shows the bucket's "Block public access (bucket settings)"
(GetPublicAccessBlock); its Edit page and the Properties tab are ``s3_bucket_settings``. The
"Create bucket" page is ``s3_create_bucket``, the "Upload" page ``s3_upload``, and the Objects
tab's buttons for the rows chosen (Download, Delete, Actions) ``s3_selection``.

An object's page shows its overview as HeadObject answers it: size, type, storage class,
version ID (in a versioned bucket), encryption, and its metadata: the system-defined keys
(Content-Type, Cache-Control, Content-Disposition, Content-Encoding, Content-Language, Expires,
x-amz-website-redirect-location: "Working with object metadata") and the user-defined
x-amz-meta-* ones; then its tags (GetObjectTagging). The Edit pages of its Metadata and Tags
are ``s3_object_settings``.

Known gaps: a download is read into memory before it is sent.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from email.utils import format_datetime
from typing import Any
from urllib.parse import quote, urlencode

from ...errors import ServiceError
from ..app import PageContext
from ..web import Response, Routes
from .iam_common import page_number

routes = Routes()

PAGE_SIZE = 50
DELIMITER = "/"
CONFIRM_DELETE = "permanently delete"
CONFIRM_MARKER = "delete"  # a versioned bucket's: the delete only adds a delete marker
EMPTY_PAGE_SIZE = 1000  # ListObjectsV2's and ListObjectVersions' most keys a page, DeleteObjects' a request
# The console's words where the S3 User Guide does not spell them out: unconfirmed.
FOLDER_NAME_SLASH = 'Folder names can\'t contain "/".'  # unconfirmed wording
FOLDER_NAME_EMPTY = "Enter a folder name."  # unconfirmed wording
BUCKET_NOT_CHOSEN = "Select a bucket."  # unconfirmed wording
CREATE_BUCKET_URL = "/console/s3/bucket/create"
# A Content-Type safe to send as a header (type/subtype and simple parameters).
_CONTENT_TYPE = re.compile(r"[\w.+-]+/[\w.+-]+(?:\s*;\s*[\w.-]+=[\w.\"-]+)*", re.ASCII)


# --- URLs ------------------------------------------------------------------------------------


def bucket_url(bucket: str, prefix: str = "", **query: str) -> str:
    url = f"/console/s3/buckets/{quote(bucket, safe='')}"
    values = {"prefix": prefix, **query} if prefix else query
    return url + ("?" + urlencode(values) if values else "")


def permissions_url(bucket: str) -> str:
    return f"/console/s3/buckets/{quote(bucket, safe='')}/permissions"


def empty_url(bucket: str) -> str:
    return f"/console/s3/buckets/{quote(bucket, safe='')}/empty"


def delete_bucket_url(bucket: str) -> str:
    return f"/console/s3/buckets/{quote(bucket, safe='')}/delete-bucket"


def create_folder_url(bucket: str, prefix: str = "") -> str:
    url = f"/console/s3/buckets/{quote(bucket, safe='')}/create-folder"
    return url + ("?" + urlencode({"prefix": prefix}) if prefix else "")


def copy_url(bucket: str) -> str:
    """Where the Copy form posts (``s3_move``): the source bucket's objects go in the form's
    ``key`` fields, its folders in ``folder``."""
    return f"/console/s3/buckets/{quote(bucket, safe='')}/copy"


def move_url(bucket: str) -> str:
    """Where the Move form posts (``s3_move``), as ``copy_url``."""
    return f"/console/s3/buckets/{quote(bucket, safe='')}/move"


def upload_url(bucket: str, prefix: str = "") -> str:
    url = f"/console/s3/buckets/{quote(bucket, safe='')}/upload"
    return url + ("?" + urlencode({"prefix": prefix}) if prefix else "")


def selection_url(bucket: str) -> str:
    """Where the Objects tab's buttons post the chosen objects (``key``) and folders (``folder``)."""
    return f"/console/s3/buckets/{quote(bucket, safe='')}/selection"


def properties_url(bucket: str) -> str:
    return f"/console/s3/buckets/{quote(bucket, safe='')}/properties"


def _tabs(bucket: str, tab: str) -> dict[str, str]:
    """A bucket page's tab links (Objects, Properties, Permissions) and which one is open."""
    return {
        "objects_url": bucket_url(bucket),
        "properties_url": properties_url(bucket),
        "permissions_url": permissions_url(bucket),
        "tab": tab,
    }


def object_url(bucket: str, key: str, action: str = "object") -> str:
    """``action``: "object" (details), "download", "delete", "copy", or the Edit pages of its
    tags and metadata, "object-tags" and "object-metadata" (``s3_object_settings``)."""
    base = f"/console/s3/buckets/{quote(bucket, safe='')}/{action}"
    if key in (".", ".."):
        return f"{base}?{urlencode({'key': key})}"
    return f"{base}/{quote(key, safe='')}"


def _key(page: PageContext) -> str:
    return page.params.get("key") or page.request.query.get("key", "")


def _parent(key: str) -> str:
    """The folder an object is listed in: its key up to and including the last "/"."""
    return key[: key.rindex(DELIMITER) + 1] if DELIMITER in key else ""


def size_text(size: int) -> str:
    """As the S3 console shows sizes: "8.0 B", "1.5 KB", "2.0 MB"."""
    value = float(size)
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if value < 1024 or unit == "TB":
            return f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} TB"  # pragma: no cover - the loop returns


def time_text(when: Any) -> str:
    if isinstance(when, datetime):
        return when.strftime("%Y-%m-%d %H:%M:%S UTC")
    return str(when or "")


def _crumbs(bucket: str, prefix: str) -> list[tuple[str, str]]:
    """(label, link) for the bucket and each folder of ``prefix``."""
    crumbs = [(bucket, bucket_url(bucket))]
    parts = prefix.split(DELIMITER)[:-1] if prefix else []
    walked = ""
    for part in parts:
        walked += part + DELIMITER
        crumbs.append((part or "/", bucket_url(bucket, walked)))
    return crumbs


# --- buckets -----------------------------------------------------------------------------------


def buckets_page_for(
    page: PageContext,
    status: int = 200,
    error: ServiceError | None = None,
    problem: str = "",
    created_partly: str = "",
    failed_operation: str = "",
) -> Response:
    """The bucket list; ``error`` is a failed step of Create bucket (``created_partly``: the
    bucket was made, its ``failed_operation`` was refused), shown above it."""
    buckets: list[dict[str, str]] = []
    list_error: ServiceError | None = None
    try:
        result = page.call("s3", "ListBuckets", {})
    except ServiceError as failed:
        list_error = failed
        status = status if error else failed.status
    else:
        for bucket in result.get("Buckets", []):
            buckets.append(
                {
                    "name": bucket["Name"],
                    "url": bucket_url(bucket["Name"]),
                    "region": bucket.get("BucketRegion") or "us-east-1",
                    "created": time_text(bucket.get("CreationDate")),
                }
            )
    return page.render(
        "s3/buckets.html",
        status,
        title="Buckets",
        s3_section="buckets",
        buckets=buckets,
        error=error,
        list_error=list_error,
        problem=problem,
        created_partly=created_partly,
        failed_operation=failed_operation,
        create_url=CREATE_BUCKET_URL,
        deleted=page.request.query.get("deleted", ""),
    )


@routes.get("/console/s3")
def buckets_page(page: PageContext) -> Response:
    return buckets_page_for(page)


@routes.get("/console/s3/selected")
def selected_bucket(page: PageContext) -> Response:
    """The bucket list's "Empty" and "Delete" buttons: the bucket chosen with its option button."""
    bucket = page.request.query.get("bucket", "")
    action = page.request.query.get("action", "")
    if not bucket or action not in ("empty", "delete"):
        return buckets_page_for(page, 400, problem=BUCKET_NOT_CHOSEN)
    return page.redirect(empty_url(bucket) if action == "empty" else delete_bucket_url(bucket))


# --- a bucket's objects -----------------------------------------------------------------------------


def _objects_page(
    page: PageContext, bucket: str, status: int = 200, error: ServiceError | None = None, problem: str = ""
) -> Response:
    """The bucket's Objects tab; ``error`` (or ``problem``) is what its buttons were refused."""
    query = page.request.query if page.request.method == "GET" else page.request.form
    prefix = query.get("prefix", "")
    token = page.request.query.get("token", "")
    # The page's number only labels the pager's links; the token says where the list goes on.
    number = page_number(page.request.query.get("page")) if token else 1
    params: dict[str, Any] = {"Bucket": bucket, "Prefix": prefix, "Delimiter": DELIMITER, "MaxKeys": PAGE_SIZE}
    if token:
        params["ContinuationToken"] = token
    folders: list[dict[str, str]] = []
    objects: list[dict[str, str]] = []
    next_url = ""
    show_versions = page.request.query.get("versions") == "1"
    versions: list[dict[str, str]] = []
    list_error: ServiceError | None = None
    try:
        # "When you choose a bucket on the Amazon S3 console, the console first sends the GET
        # Bucket location request to find the AWS Region where the bucket is deployed ... if
        # users are going to use the console, you must grant permission for the
        # s3:GetBucketLocation action" ("Controlling access to a bucket with user policies",
        # S3 User Guide, Step 4.2): refused, the objects are not listed.
        page.call("s3", "GetBucketLocation", {"Bucket": bucket})
        if show_versions:
            result, versions = _versions(page, bucket, prefix)
        else:
            result = page.call("s3", "ListObjectsV2", params)
    except ServiceError as failed:
        list_error = failed
        status = status if error else failed.status
    else:
        for folder in result.get("CommonPrefixes", []):
            folders.append(
                {
                    "prefix": folder["Prefix"],
                    "name": folder["Prefix"][len(prefix) :],
                    "url": bucket_url(bucket, folder["Prefix"], **({"versions": "1"} if show_versions else {})),
                }
            )
        for item in result.get("Contents", []):
            if item["Key"] == prefix:
                continue  # the folder's own marker object
            objects.append(
                {
                    "key": item["Key"],
                    "name": item["Key"][len(prefix) :],
                    "type": _file_type(item["Key"][len(prefix) :]),
                    "url": object_url(bucket, item["Key"]),
                    "size": size_text(int(item.get("Size", 0))),
                    "modified": time_text(item.get("LastModified")),
                    "storage_class": item.get("StorageClass", "STANDARD"),
                }
            )
        if result.get("IsTruncated") and result.get("NextContinuationToken"):
            following = str(number + 1)
            next_url = bucket_url(bucket, prefix, token=result["NextContinuationToken"], page=following)
    return page.render(
        "s3/bucket.html",
        status,
        title=bucket,
        bucket=bucket,
        prefix=prefix,
        crumbs=_crumbs(bucket, prefix),
        folders=folders,
        objects=objects,
        next_url=next_url,
        first_url=bucket_url(bucket, prefix) if token else "",
        page_number=number,
        error=error,
        problem=problem,
        list_error=list_error,
        upload_url=upload_url(bucket, prefix),
        selection_url=selection_url(bucket),
        create_folder_url=create_folder_url(bucket, prefix),
        copy_url=copy_url(bucket),
        deleted=page.request.query.get("deleted") == "1",
        created=page.request.query.get("created") == "1",
        folder_created=page.request.query.get("folder", ""),
        copied=_count(page.request.query.get("copied", "")),
        show_versions=show_versions,
        versions=versions,
        versions_url=bucket_url(bucket, prefix, versions="1") if not show_versions else bucket_url(bucket, prefix),
        **_tabs(bucket, "objects"),
    )


def _file_type(name: str) -> str:
    """The Objects tab's Type: the name's extension, if it has one."""
    return name.rsplit(".", 1)[1] if "." in name else ""


def _versions(page: PageContext, bucket: str, prefix: str) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """ "Show versions" ("Viewing an S3 object's versions", S3 User Guide: "turn on Show
    versions" on the Objects tab): the folder's versions and delete markers, each key's newest
    first, from ListObjectVersions as the console's principal (s3:ListBucketVersions), each
    version with its Version ID and a download of that version (GetObject with its
    versionId: s3:GetObjectVersion), with the listing's common prefixes (the folders, as
    without versions). One page of up to 1,000 versions."""
    result = page.call(
        "s3", "ListObjectVersions", {"Bucket": bucket, "Prefix": prefix, "Delimiter": DELIMITER, "MaxKeys": 1000}
    )
    rows: list[dict[str, str]] = []
    entries = [(entry, False) for entry in result.get("Versions", [])]
    entries += [(entry, True) for entry in result.get("DeleteMarkers", [])]
    # Each key's versions newest first, the keys in S3's order.
    entries.sort(key=lambda pair: pair[0].get("LastModified") or 0, reverse=True)
    entries.sort(key=lambda pair: pair[0]["Key"])
    for entry, marker in entries:
        if entry["Key"] == prefix:
            continue  # the folder's own marker object
        name = entry["Key"][len(prefix) :]
        version_id = str(entry.get("VersionId") or "null")
        download = object_url(bucket, entry["Key"], "download")
        download += ("&" if "?" in download else "?") + urlencode({"versionId": version_id})
        rows.append(
            {
                "key": entry["Key"],
                "name": name,
                "version_id": version_id,
                "latest": "Yes" if entry.get("IsLatest") else "",
                "type": "Delete marker" if marker else _file_type(name),
                "modified": time_text(entry.get("LastModified")),
                "size": "-" if marker else size_text(int(entry.get("Size", 0))),
                "download": "" if marker else download,
            }
        )
    return {"CommonPrefixes": result.get("CommonPrefixes", [])}, rows


@routes.get("/console/s3/buckets/{bucket}")
def bucket_page(page: PageContext) -> Response:
    return _objects_page(page, page.params["bucket"])


# --- an object ----------------------------------------------------------------------------------


def _object_page(
    page: PageContext,
    bucket: str,
    key: str,
    status: int,
    details: dict[str, Any],
    error: ServiceError | None,
    tags: list[dict[str, str]] | None = None,
    tags_error: ServiceError | None = None,
) -> Response:
    return page.render(
        "s3/object.html",
        status,
        title=key,
        bucket=bucket,
        key=key,
        name=key.rsplit(DELIMITER, 1)[-1] or key,
        crumbs=_crumbs(bucket, _parent(key)),
        details=details,
        error=error,
        uri=f"s3://{bucket}/{key}",
        arn=f"arn:aws:s3:::{bucket}/{key}",
        download_url=object_url(bucket, key, "download"),
        delete_url=object_url(bucket, key, "delete"),
        copy_url=object_url(bucket, key, "copy"),
        tags=tags or [],
        tags_error=tags_error,
        metadata_edit_url=object_url(bucket, key, "object-metadata"),
        tags_edit_url=object_url(bucket, key, "object-tags"),
        done=page.request.query.get("done", ""),
    )


@routes.get("/console/s3/buckets/{bucket}/object/{key:path}")
@routes.get("/console/s3/buckets/{bucket}/object")
def object_page(page: PageContext) -> Response:
    bucket, key = page.params["bucket"], _key(page)
    try:
        head = page.call("s3", "HeadObject", {"Bucket": bucket, "Key": key})
    except ServiceError as error:
        return _object_page(page, bucket, key, error.status, {}, error)
    details = {
        "size": size_text(int(head.get("ContentLength", 0))),
        "bytes": head.get("ContentLength", 0),
        "modified": time_text(head.get("LastModified")),
        "etag": head.get("ETag", ""),
        "content_type": head.get("ContentType", ""),
        "metadata": sorted((head.get("Metadata") or {}).items()),
        "system": _system_metadata(head),
        "encryption": head.get("ServerSideEncryption", ""),
        # HeadObject leaves StorageClass out for STANDARD ("HeadObject", x-amz-storage-class).
        "storage_class": head.get("StorageClass") or "STANDARD",
        "version_id": head.get("VersionId", ""),  # only in a bucket whose versioning was ever enabled
    }
    tags: list[dict[str, str]] = []
    tags_error: ServiceError | None = None
    try:  # refused (s3:GetObjectTagging), the Tags section shows S3's error in its place
        tags = page.call("s3", "GetObjectTagging", {"Bucket": bucket, "Key": key}).get("TagSet", [])
    except ServiceError as failed:
        tags_error = failed
    return _object_page(page, bucket, key, 200, details, None, tags, tags_error)


# "System-defined object metadata" (S3 User Guide, UsingMetadata): the keys the console's
# Metadata section lists, and HeadObject's member for each.
SYSTEM_METADATA = (
    ("Content-Type", "ContentType"),
    ("Cache-Control", "CacheControl"),
    ("Content-Disposition", "ContentDisposition"),
    ("Content-Encoding", "ContentEncoding"),
    ("Content-Language", "ContentLanguage"),
    ("Expires", "Expires"),
    ("x-amz-website-redirect-location", "WebsiteRedirectLocation"),
)


def kept_settings(head: dict[str, Any]) -> dict[str, Any]:
    """CopyObject's members that keep an object's storage class and encryption, as HeadObject
    answered them (it leaves StorageClass out for STANDARD): a copy is otherwise STANDARD with
    the bucket's default encryption (CopyObject), where the console copies "user-controlled
    system metadata" ("Copying objects", S3 User Guide; the metadata edit copies too)."""
    members = ("StorageClass", "ServerSideEncryption", "SSEKMSKeyId", "BucketKeyEnabled")
    return {member: head[member] for member in members if head.get(member) not in (None, "")}


def _system_metadata(head: dict[str, Any]) -> list[tuple[str, str]]:
    """The system-defined metadata HeadObject answered, as (key, value) in the console's order."""
    rows = []
    for name, member in SYSTEM_METADATA:
        value = head.get(member)
        if value is None or value == "":
            continue
        rows.append((name, format_datetime(value, usegmt=True) if isinstance(value, datetime) else str(value)))
    return rows


@routes.get("/console/s3/buckets/{bucket}/download/{key:path}")
@routes.get("/console/s3/buckets/{bucket}/download")
def download(page: PageContext) -> Response:
    """The object as an attachment, read with GetObject as the console's principal; named
    ``filename`` when "Download as" gives one."""
    bucket, key = page.params["bucket"], _key(page)
    read: dict[str, Any] = {"Bucket": bucket, "Key": key}
    if page.request.query.get("versionId"):  # a version listed with "Show versions"
        read["VersionId"] = page.request.query["versionId"]
    try:
        result = page.call("s3", "GetObject", read)
    except ServiceError as error:
        return _object_page(page, bucket, key, error.status, {}, error)
    # "Download as" names the file; else the object's name.
    name = page.request.query.get("filename", "").strip() or key.rsplit(DELIMITER, 1)[-1] or "download"
    body = result.get("Body") or b""
    data = body if isinstance(body, bytes) else b"".join(body)
    content_type = str(result.get("ContentType") or "")
    if not _CONTENT_TYPE.fullmatch(content_type):
        content_type = "application/octet-stream"
    return Response(
        200,
        data,
        [
            ("content-type", content_type),
            ("content-disposition", attachment(name)),
            ("content-length", str(len(data))),
        ],
    )


def attachment(name: str) -> str:
    """Content-Disposition for a download: an ASCII name, and the UTF-8 one (RFC 6266)."""
    plain = re.sub(r"[^\w.+-]", "_", name, flags=re.ASCII) or "download"
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(name, safe='')}"


def _delete_word(page: PageContext, bucket: str) -> str:
    """What the delete confirmation asks to type ("Deleting a single object", S3 User Guide):
    "delete" in a bucket whose versioning is enabled or suspended, where DeleteObject adds a
    delete marker and the object can be restored; "permanently delete" otherwise (also when
    GetBucketVersioning is refused: the stronger question)."""
    versioning, _ = bucket_setting(page, "GetBucketVersioning", bucket)
    return CONFIRM_MARKER if versioning.get("Status") in ("Enabled", "Suspended") else CONFIRM_DELETE


def delete_items(bucket: str, keys: list[str], folders: list[str]) -> list[dict[str, str]]:
    """The rows of "Specified objects" on the delete confirmation."""
    rows = [
        {"name": folder.rstrip(DELIMITER).rsplit(DELIMITER, 1)[-1] + DELIMITER, "type": "Folder", "prefix": folder}
        | {"uri": f"s3://{bucket}/{folder}", "url": bucket_url(bucket, folder)}
        for folder in folders
    ]
    rows += [
        {"name": key.rsplit(DELIMITER, 1)[-1] or key, "type": "Object", "prefix": key}
        | {"uri": f"s3://{bucket}/{key}", "url": object_url(bucket, key)}
        for key in keys
    ]
    return rows


def _delete_page(
    page: PageContext, bucket: str, key: str, status: int = 200, error: ServiceError | None = None, problem: str = ""
) -> Response:
    return page.render(
        "s3/delete.html",
        status,
        title="Delete objects",
        bucket=bucket,
        prefix=_parent(key),
        items=delete_items(bucket, [key], []),
        keys=[],  # the object's key is in the form's address
        folders=[],
        crumbs=_crumbs(bucket, _parent(key)),
        back=object_url(bucket, key),
        action=object_url(bucket, key, "delete"),
        error=error,
        problem=problem,
        confirm=_delete_word(page, bucket),
        result=None,
    )


@routes.get("/console/s3/buckets/{bucket}/delete/{key:path}")
@routes.get("/console/s3/buckets/{bucket}/delete")
def delete_form(page: PageContext) -> Response:
    return _delete_page(page, page.params["bucket"], _key(page))


@routes.post("/console/s3/buckets/{bucket}/delete/{key:path}")
@routes.post("/console/s3/buckets/{bucket}/delete")
def delete_object(page: PageContext) -> Response:
    bucket, key = page.params["bucket"], _key(page)
    word = _delete_word(page, bucket)
    if page.request.form.get("confirm", "").strip() != word:
        return _delete_page(page, bucket, key, 400, problem=f'To confirm deletion, type "{word}".')
    try:
        page.call("s3", "DeleteObject", {"Bucket": bucket, "Key": key})
    except ServiceError as error:
        return _delete_page(page, bucket, key, error.status, error)
    return page.redirect(bucket_url(bucket, _parent(key), deleted="1"))


def chosen(page: PageContext) -> tuple[list[str], list[str]]:
    """The objects' keys (``key``) and folders' prefixes (``folder``) chosen with the Objects
    tab's check boxes, each once, in the order sent."""
    keys = list(dict.fromkeys(key for key in page.request.values("key") if key))
    folders = list(dict.fromkeys(f for f in page.request.values("folder") if f.endswith(DELIMITER)))
    return keys, folders


def folder_keys(page: PageContext, bucket: str, folder: str) -> list[str]:
    """Every key under ``folder``: ListObjectsV2 as the console's principal, a page at a time,
    without a delimiter (so the folder's marker and its subfolders' objects too)."""
    keys: list[str] = []
    token = ""
    while True:
        params: dict[str, Any] = {"Bucket": bucket, "Prefix": folder, "MaxKeys": EMPTY_PAGE_SIZE}
        if token:
            params["ContinuationToken"] = token
        listing = page.call("s3", "ListObjectsV2", params)
        keys.extend(item["Key"] for item in listing.get("Contents", []))
        token = str(listing.get("NextContinuationToken") or "")
        if not listing.get("IsTruncated") or not token:
            return keys


def _count(value: str) -> int:
    """A count carried in a redirect's query (``copied=2``); anything else is 0."""
    # ASCII digits only: "²".isdigit() is true, but int("²") fails.
    return int(value) if value.isascii() and value.isdigit() and len(value) < 7 else 0


# --- Step 4: create a folder, copy objects into it ------------------------------------------


def _create_folder_page(
    page: PageContext,
    bucket: str,
    prefix: str,
    status: int = 200,
    error: ServiceError | None = None,
    problem: str = "",
    name: str = "",
) -> Response:
    return page.render(
        "s3/create_folder.html",
        status,
        title="Create folder",
        bucket=bucket,
        prefix=prefix,
        crumbs=_crumbs(bucket, prefix),
        action=create_folder_url(bucket),
        back=bucket_url(bucket, prefix),
        error=error,
        problem=problem,
        name=name,
    )


@routes.get("/console/s3/buckets/{bucket}/create-folder")
def create_folder_form(page: PageContext) -> Response:
    return _create_folder_page(page, page.params["bucket"], page.request.query.get("prefix", ""))


@routes.post("/console/s3/buckets/{bucket}/create-folder")
def create_folder(page: PageContext) -> Response:
    """The folder's 0-byte object, key ``prefix + name + "/"`` ("Organizing objects in the
    Amazon S3 console using folders": "if you create a folder named photos in your bucket, the
    Amazon S3 console creates a 0-byte object with the key photos/"), put with PutObject."""
    bucket = page.params["bucket"]
    prefix = page.request.form.get("prefix", "")
    name = page.request.form.get("name", "").strip()
    if not name:
        return _create_folder_page(page, bucket, prefix, 400, problem=FOLDER_NAME_EMPTY, name=name)
    if DELIMITER in name:
        return _create_folder_page(page, bucket, prefix, 400, problem=FOLDER_NAME_SLASH, name=name)
    try:
        page.call("s3", "PutObject", {"Bucket": bucket, "Key": prefix + name + DELIMITER, "Body": b""})
    except ServiceError as error:
        return _create_folder_page(page, bucket, prefix, error.status, error, name=name)
    return page.redirect(bucket_url(bucket, prefix, folder=name))


# --- Step 5: delete the bucket (emptying it is ``s3_empty``) ------------------------------------


def _delete_bucket_page(
    page: PageContext, bucket: str, status: int = 200, error: ServiceError | None = None, problem: str = ""
) -> Response:
    return page.render(
        "s3/delete_bucket.html",
        status,
        title="Delete bucket",
        bucket=bucket,
        crumbs=_crumbs(bucket, ""),
        action=delete_bucket_url(bucket),
        empty_url=empty_url(bucket),
        error=error,
        not_empty=error is not None and error.code == "BucketNotEmpty",
        problem=problem,
    )


@routes.get("/console/s3/buckets/{bucket}/delete-bucket")
def delete_bucket_form(page: PageContext) -> Response:
    return _delete_bucket_page(page, page.params["bucket"])


@routes.post("/console/s3/buckets/{bucket}/delete-bucket")
def delete_bucket(page: PageContext) -> Response:
    """DeleteBucket as the console's principal, once the bucket's name is typed ("Deleting a
    bucket", Using the S3 console)."""
    bucket = page.params["bucket"]
    if page.request.form.get("confirm", "").strip() != bucket:
        problem = "To confirm deletion, enter the name of the bucket in the text input field."  # unconfirmed wording
        return _delete_bucket_page(page, bucket, 400, problem=problem)
    try:
        page.call("s3", "DeleteBucket", {"Bucket": bucket})
    except ServiceError as error:
        return _delete_bucket_page(page, bucket, error.status, error)
    return page.redirect("/console/s3", deleted=bucket)


# --- permissions: block public access, the bucket policy -------------------------------------------

# The four settings as the Permissions tab and its "Edit" page name them ("Configuring block
# public access settings for your S3 buckets", S3 User Guide; the flags of
# PublicAccessBlockConfiguration, "Blocking public access to your Amazon S3 storage").
PUBLIC_ACCESS_SETTINGS = (
    (
        "BlockPublicAcls",
        "Block public access to buckets and objects granted through new access control lists (ACLs)",
    ),
    ("IgnorePublicAcls", "Block public access to buckets and objects granted through any access control lists (ACLs)"),
    (
        "BlockPublicPolicy",
        "Block public access to buckets and objects granted through new public bucket or access point policies",
    ),
    (
        "RestrictPublicBuckets",
        "Block public and cross-account access to buckets and objects through any public bucket or access point "
        "policies",
    ),
)


def bucket_setting(
    page: PageContext, operation: str, bucket: str, absent: str = ""
) -> tuple[dict[str, Any], ServiceError | None]:
    """``operation``'s answer, or {} and its error (none when its code is ``absent``: not set)."""
    try:
        return page.call("s3", operation, {"Bucket": bucket}), None
    except ServiceError as failed:
        return {}, None if failed.code == absent else failed


def public_access_block(page: PageContext, bucket: str) -> tuple[dict[str, bool], ServiceError | None]:
    """The bucket's four settings (GetPublicAccessBlock as the principal): all off when the
    bucket has no configuration; S3's error (AccessDenied) to show in their place."""
    found, error = bucket_setting(page, "GetPublicAccessBlock", bucket, absent="NoSuchPublicAccessBlockConfiguration")
    if error is not None:
        return {}, error
    flags = found.get("PublicAccessBlockConfiguration") or {}
    return {flag: bool(flags.get(flag)) for flag, _ in PUBLIC_ACCESS_SETTINGS}, None


def public_access_edit_url(bucket: str) -> str:
    return permissions_url(bucket) + "/public-access-block/edit"


def policy_edit_url(bucket: str) -> str:
    """The "Edit bucket policy" page ("Adding a bucket policy by using the Amazon S3 console":
    Permissions, under Bucket policy choose Edit)."""
    return permissions_url(bucket) + "/bucket-policy/edit"


def _permissions_page(
    page: PageContext,
    bucket: str,
    status: int = 200,
    error: ServiceError | None = None,
    text: str | None = None,
    editing: bool = False,
) -> Response:
    load_error: ServiceError | None = None
    if text is None:
        try:
            stored = str(page.call("s3", "GetBucketPolicy", {"Bucket": bucket}).get("Policy") or "")
            # S3 answers the policy compact; shown indented, as the console shows it.
            text = json.dumps(json.loads(stored), indent=4, ensure_ascii=False) if stored else ""
        except ServiceError as failed:
            text = ""
            if failed.code != "NoSuchBucketPolicy":
                load_error, status = failed, failed.status
    block, block_error = public_access_block(page, bucket)
    return page.render(
        "s3/policy_edit.html" if editing else "s3/permissions.html",
        status,
        title="Edit bucket policy" if editing else f"{bucket} permissions",
        policy_edit_url=policy_edit_url(bucket),
        bucket=bucket,
        crumbs=_crumbs(bucket, ""),
        policy=text,
        error=error,
        load_error=load_error,
        saved=page.request.query.get("saved") == "1",
        removed=page.request.query.get("deleted") == "1",
        block=block,
        block_error=block_error,
        block_settings=PUBLIC_ACCESS_SETTINGS,
        block_saved=page.request.query.get("blocked") == "1",
        block_edit_url=public_access_edit_url(bucket),
        **_tabs(bucket, "permissions"),
    )


@routes.get("/console/s3/buckets/{bucket}/permissions")
def permissions_page(page: PageContext) -> Response:
    return _permissions_page(page, page.params["bucket"])


@routes.get("/console/s3/buckets/{bucket}/permissions/bucket-policy/edit")
def policy_edit_page(page: PageContext) -> Response:
    return _permissions_page(page, page.params["bucket"], editing=True)


@routes.post("/console/s3/buckets/{bucket}/permissions")
def save_policy(page: PageContext) -> Response:
    """PutBucketPolicy from the Permissions tab or the "Edit bucket policy" page; saved, it
    returns to the Permissions tab (add-bucket-policy.html: "Choose Save changes, which
    returns you to the Permissions tab"); refused, the page it came from shows S3's error."""
    bucket = page.params["bucket"]
    text = page.request.form.get("policy", "")
    try:
        page.call("s3", "PutBucketPolicy", {"Bucket": bucket, "Policy": text})
    except ServiceError as error:
        editing = page.request.form.get("editing") == "1"
        return _permissions_page(page, bucket, error.status, error, text, editing=editing)
    return page.redirect(permissions_url(bucket), saved="1")


@routes.post("/console/s3/buckets/{bucket}/permissions/delete")
def delete_policy(page: PageContext) -> Response:
    bucket = page.params["bucket"]
    try:
        page.call("s3", "DeleteBucketPolicy", {"Bucket": bucket})
    except ServiceError as error:
        return _permissions_page(page, bucket, error.status, error)
    return page.redirect(permissions_url(bucket), deleted="1")

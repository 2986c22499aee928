"""The S3 console's "Copy" and "Move" of the objects and folders chosen on the Objects tab (or
of the object open on its page), and "Browse S3", the destination picker.

AWS (S3 User Guide, "Copying, moving, and renaming objects", copy-object.html, Using the S3
console, "To copy an object" and "To move objects"): select the check boxes of the objects,
choose Actions, then Copy or Move; give the destination path, typed (``s3://bucket/prefix/``)
or with "Browse S3" ("navigate to the destination, and select the check box to the left of the
destination. Choose Choose destination"); then Copy or Move. "When you move an object, Amazon
S3 copies the object to the specified destination and then deletes the source object"; the
console's Move "creates a copy of all specified objects ... and adds a delete marker to the
original object" (DeleteObject: a delete marker in a versioned bucket, the object gone in an
unversioned one). The page warns that objects of the same name in the destination are
overwritten ("you might be asked to acknowledge that existing objects with the same name are
overwritten") and, for Move, that the sources are deleted.

Folders ("Organizing objects in the Amazon S3 console using folders", using-folders.html): a
folder is a prefix ending in "/", with or without its 0-byte marker object. A chosen folder
goes with every object under it (``s3.folder_keys``: ListObjectsV2 without a delimiter, a page
at a time, all read before the first copy), each keeping its key relative to the folder the
rows were chosen in: folder ``docs/`` copied to ``s3://b/x/`` gives ``x/docs/...``, as an
object ``a.txt`` gives ``x/a.txt``. A folder's marker (a key ending in "/") is made anew in the
destination with an empty PutObject ("When you use the console to copy an object named with a
trailing /, a new folder is created in the destination location, but the object's data and
metadata are not copied"). A folder is not moved into itself (a destination inside it, in its
own bucket): refused before anything is done.

Every step is the API as the console's principal: HeadObject and CopyObject (S3 authorizes
s3:GetObject on the source and s3:PutObject on the copy; the copy keeps the source's storage
class and encryption, "user-controlled system metadata" that "Copying objects" says the console
copies, as ``s3.kept_settings`` reads them), then, for Move, DeleteObject on the source
(s3:DeleteObject). The source is deleted only once its copy was made, and never when the copy
is the source itself (S3 refuses such a CopyObject with InvalidRequest). When S3 refuses the
delete (AccessDenied), the object is listed under Failed with S3's error and the copy stays:
AWS's page describes the move as a copy followed by a delete and no undo of the copy, so both
the source and its copy then exist. Move ends on "Move: status" (Succeeded, Failed, each
failure with S3's code and message); Copy returns to the destination folder ("Successfully
copied"), or shows "Copy: status" above its form when something failed.

Known gaps: the acknowledgement check box and "Enable Bucket Versioning" of an unversioned
destination, the destination type and account, "Additional checksums", encryption and Object
Lock settings; the s3:ListAllMyBuckets that AWS's console asks for "to validate the copy
operation" (copy-object.html) is not asked for; "Browse S3" lists the buckets (ListBuckets),
then at most 1,000 folders of one level (ListObjectsV2 with the delimiter "/"), no objects.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from ...errors import ServiceError
from ..app import PageContext
from ..web import Response, Routes
from .s3 import (
    DELIMITER,
    _crumbs,
    _key,
    _objects_page,
    _parent,
    bucket_url,
    chosen,
    copy_url,
    delete_items,
    folder_keys,
    kept_settings,
    move_url,
    object_url,
)

routes = Routes()

BROWSE_PAGE_SIZE = 1000  # ListObjectsV2's most entries a page
VERBS = {"copy": "Copy", "move": "Move"}
# The console's words where the S3 User Guide does not spell them out: unconfirmed.
NOTHING_TO_TRANSFER = {
    "copy": "Select the objects that you want to copy.",  # unconfirmed wording
    "move": "Select the objects that you want to move.",  # unconfirmed wording
}
DESTINATION_FORMAT = "Enter a destination in the format s3://bucket/prefix/."  # unconfirmed wording
INTO_ITSELF = "A folder can't be moved into itself."  # unconfirmed wording
NO_DESTINATION_CHOSEN = "Select a destination."  # unconfirmed wording


def destination_of(text: str) -> tuple[str, str] | None:
    """The bucket and prefix of ``s3://bucket`` or ``s3://bucket/folder/``, or None."""
    if not text.startswith("s3://"):
        return None
    bucket, slash, prefix = text.removeprefix("s3://").partition(DELIMITER)
    if not bucket or (slash and prefix and not prefix.endswith(DELIMITER)):
        return None
    return bucket, prefix


def _folder_parent(folder: str) -> str:
    """The folder a folder is listed in (``docs/2024/`` is in ``docs/``)."""
    return _parent(folder[:-1])


def _origin(keys: list[str], folders: list[str]) -> str:
    """The folder the rows were chosen in (the Objects tab's choices share one)."""
    return _parent(keys[0]) if keys else _folder_parent(folders[0])


def transfer_page(
    page: PageContext,
    mode: str,
    bucket: str,
    keys: list[str],
    folders: list[str],
    status: int = 200,
    error: ServiceError | None = None,
    problem: str = "",
    destination: str = "",
    result: dict[str, Any] | None = None,
) -> Response:
    """The Copy or Move page (``mode``) for the chosen rows; with ``result``, what was done."""
    origin = _origin(keys, folders)
    # Back to the object's page, unless it was just moved away: then to its folder.
    single = len(keys) == 1 and not folders and not (mode == "move" and result is not None)
    return page.render(
        "s3/copy.html",
        status,
        title=f"{VERBS[mode]}: status" if result is not None and mode == "move" else VERBS[mode],
        mode=mode,
        verb=VERBS[mode],
        bucket=bucket,
        keys=keys,
        folders=folders,
        sources=delete_items(bucket, keys, folders),
        source=f"s3://{bucket}/{origin}",
        crumbs=_crumbs(bucket, origin),
        action=copy_url(bucket) if mode == "copy" else move_url(bucket),
        back=object_url(bucket, keys[0]) if single else bucket_url(bucket, origin),
        error=error,
        problem=problem,
        destination=destination,
        destination_url=_destination_url(destination),
        result=result,
    )


def _destination_url(destination: str) -> str:
    target = destination_of(destination)
    return bucket_url(*target) if target else ""


@routes.get("/console/s3/buckets/{bucket}/copy/{key:path}")
@routes.get("/console/s3/buckets/{bucket}/copy")
def copy_form(page: PageContext) -> Response:
    """The object page's "Copy"."""
    return transfer_page(page, "copy", page.params["bucket"], [_key(page)], [])


@routes.post("/console/s3/buckets/{bucket}/copy")
def copy_objects(page: PageContext) -> Response:
    return _transfer_request(page, "copy")


@routes.post("/console/s3/buckets/{bucket}/move")
def move_objects(page: PageContext) -> Response:
    return _transfer_request(page, "move")


def _transfer_request(page: PageContext, mode: str) -> Response:
    """A post of the Copy or Move form. Without ``step`` (the Objects tab's Actions): the page.
    ``step=browse``: "Browse S3". ``step`` the mode: each chosen object, and every object under
    each chosen folder, copied (and, for Move, its source deleted) as the console's principal."""
    bucket = page.params["bucket"]
    keys, folders = chosen(page)
    if not keys and not folders:
        return _objects_page(page, bucket, 400, problem=NOTHING_TO_TRANSFER[mode])
    step = page.request.form.get("step", "")
    if step == "browse":
        return _browse(page, mode, bucket, keys, folders)
    if step != mode:
        return transfer_page(page, mode, bucket, keys, folders)
    destination = page.request.form.get("destination", "").strip()
    target = destination_of(destination)
    if target is None:
        return transfer_page(
            page, mode, bucket, keys, folders, 400, problem=DESTINATION_FORMAT, destination=destination
        )
    target_bucket, target_prefix = target
    if mode == "move" and target_bucket == bucket and any(target_prefix.startswith(f) for f in folders):
        return transfer_page(page, mode, bucket, keys, folders, 400, problem=INTO_ITSELF, destination=destination)
    try:
        pairs = _sources(page, bucket, keys, folders)
    except ServiceError as error:  # a folder's listing refused: nothing done
        return transfer_page(page, mode, bucket, keys, folders, error.status, error, destination=destination)
    done, failed, first = _transfer(page, mode, bucket, pairs, target_bucket, target_prefix)
    if mode == "copy" and first is None:
        return page.redirect(bucket_url(target_bucket, target_prefix, copied=str(done)))
    status = first.status if first is not None else 200
    result = {"done": done, "failed": failed}
    return transfer_page(page, mode, bucket, keys, folders, status, first, destination=destination, result=result)


def _sources(page: PageContext, bucket: str, keys: list[str], folders: list[str]) -> list[tuple[str, str]]:
    """(source key, key under the destination prefix): a chosen object under its name, every
    object of a chosen folder under its key relative to the folder's parent."""
    pairs = {key: key.rsplit(DELIMITER, 1)[-1] for key in keys}
    for folder in folders:
        parent = _folder_parent(folder)
        for key in folder_keys(page, bucket, folder):
            pairs.setdefault(key, key[len(parent) :])
    return list(pairs.items())


def _transfer(
    page: PageContext, mode: str, bucket: str, pairs: list[tuple[str, str]], target_bucket: str, target_prefix: str
) -> tuple[int, list[dict[str, str]], ServiceError | None]:
    """Copy (and for Move, delete) each pair; the count done, the failures (``copied`` set when
    the copy was made but the source's delete refused), the first error."""
    done = 0
    failed: list[dict[str, str]] = []
    first: ServiceError | None = None
    for key, relative in pairs:
        target_key = target_prefix + relative
        itself = (target_bucket, target_key) == (bucket, key)
        copied = False
        try:
            if key.endswith(DELIMITER) and not itself:
                # A folder's marker: a new folder, its data and metadata not copied (using-folders).
                page.call("s3", "PutObject", {"Bucket": target_bucket, "Key": target_key, "Body": b""})
            else:
                source = quote(f"{bucket}/{key}", safe="/")
                params = {"Bucket": target_bucket, "Key": target_key, "CopySource": source}
                if not itself:  # onto itself S3 refuses the copy: keep it refused
                    params |= kept_settings(page.call("s3", "HeadObject", {"Bucket": bucket, "Key": key}))
                page.call("s3", "CopyObject", params)
            copied = True
            # INVARIANT: a source is deleted only once its copy exists, and never onto itself.
            if mode == "move" and not itself:
                page.call("s3", "DeleteObject", {"Bucket": bucket, "Key": key})
        except ServiceError as error:
            first = first or error
            failed.append({"key": key, "code": error.code, "message": error.message, "copied": "1" if copied else ""})
            continue
        done += 1
    return done, failed, first


# --- Browse S3 ----------------------------------------------------------------------------------


def _browse(page: PageContext, mode: str, bucket: str, keys: list[str], folders: list[str]) -> Response:
    """The picker's buttons: ``choose`` (the destination selected, back to the form with it
    filled in), ``cancel`` (back to the form), else open ``location`` ("" lists the buckets);
    ``here`` is where the picker is."""
    form = page.request.form
    if form.get("cancel"):
        return transfer_page(page, mode, bucket, keys, folders)
    if form.get("choose"):
        selected = form.get("destination", "")
        if destination_of(selected) is None:
            return _picker(page, mode, bucket, keys, folders, form.get("here", ""), 400, NO_DESTINATION_CHOSEN)
        return transfer_page(page, mode, bucket, keys, folders, destination=selected)
    return _picker(page, mode, bucket, keys, folders, form.get("location", ""))


def _picker(
    page: PageContext,
    mode: str,
    bucket: str,
    keys: list[str],
    folders: list[str],
    location: str,
    status: int = 200,
    problem: str = "",
) -> Response:
    """The buckets (ListBuckets), or the folders of ``s3://bucket/prefix/`` (ListObjectsV2
    with the delimiter), each to open or to select, as the console's principal."""
    where = destination_of(location)
    rows: list[dict[str, str]] = []
    error: ServiceError | None = None
    path: list[tuple[str, str]] = [("Buckets", "")]
    try:
        if where is None:
            for found in page.call("s3", "ListBuckets", {}).get("Buckets", []):
                rows.append({"name": found["Name"], "type": "Bucket", "uri": f"s3://{found['Name']}/"})
        else:
            in_bucket, prefix = where
            walked = ""
            path.append((in_bucket, f"s3://{in_bucket}/"))
            for part in prefix.split(DELIMITER)[:-1]:
                walked += part + DELIMITER
                path.append((part or DELIMITER, f"s3://{in_bucket}/{walked}"))
            params = {"Bucket": in_bucket, "Prefix": prefix, "Delimiter": DELIMITER, "MaxKeys": BROWSE_PAGE_SIZE}
            listing = page.call("s3", "ListObjectsV2", params)
            for folder in listing.get("CommonPrefixes", []):
                name = folder["Prefix"][len(prefix) :]
                rows.append({"name": name, "type": "Folder", "uri": f"s3://{in_bucket}/{folder['Prefix']}"})
    except ServiceError as failed:
        error = failed
        status = status if problem else failed.status
    return page.render(
        "s3/browse.html",
        status,
        title="Choose destination",
        mode=mode,
        verb=VERBS[mode],
        bucket=bucket,
        keys=keys,
        folders=folders,
        crumbs=_crumbs(bucket, _origin(keys, folders)),
        action=copy_url(bucket) if mode == "copy" else move_url(bucket),
        here=location if where is not None else "",
        path=path,
        rows=rows,
        error=error,
        problem=problem,
    )

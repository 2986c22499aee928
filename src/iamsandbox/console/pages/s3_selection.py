"""The S3 console's Objects tab acting on the rows chosen with their check boxes: "Download"
(one object), "Delete" (objects and folders), and the Actions menu's "Copy", "Move" (objects
and folders: ``s3_move``) and "Download as".

AWS (S3 User Guide): "Downloading objects" (select the check box next to the object, choose
Download, or Actions, "Download as"); "Deleting Amazon S3 objects" / "Deleting a single
object" (select the check boxes, choose Delete; on the Delete objects page type "permanently
delete", or "delete" in a versioned bucket; then the "Delete objects: status" summary);
"Organizing objects in the Amazon S3 console by using folders", Deleting folders ("select the
check box next to the folders and objects that you want to delete ... all objects in the
folder will be deleted").

Every step is an S3 operation as the console's principal: a chosen folder's objects are every
key under its prefix, read with ListObjectsV2 a page at a time (no delimiter, so the folder's
marker and its subfolders' objects too); the chosen objects and those keys are deleted with
DeleteObjects, at most 1,000 keys a request, and S3 authorizes s3:DeleteObject for each key.
The keys S3 refuses are listed on the status page with S3's error. With "Show versions" on,
the versions ticked are deleted for good (DeleteObjects with their version IDs, so S3
authorizes s3:DeleteObjectVersion), once "permanently delete" is typed ("Deleting object
versions", S3 User Guide); deleting a delete marker restores the object.

Known gaps: "Download" of several objects or of a folder is refused (as the console, which
downloads one object at a time); no "Open", "Copy S3 URI" or "Copy URL".
"""

from __future__ import annotations

from typing import Any

from ...errors import ServiceError
from ..app import PageContext
from ..web import Response, Routes
from .s3 import (
    CONFIRM_DELETE,
    DELIMITER,
    EMPTY_PAGE_SIZE,
    _crumbs,
    _delete_word,
    _objects_page,
    bucket_url,
    chosen,
    delete_items,
    folder_keys,
    object_url,
)
from .s3_move import NOTHING_TO_TRANSFER, transfer_page

routes = Routes()

# The console's words where the S3 User Guide does not spell them out: unconfirmed.
NOTHING_CHOSEN = "Select the objects or folders that you want to delete."  # unconfirmed wording
ONE_OBJECT = "Select one object to download."  # unconfirmed wording


def delete_objects_url(bucket: str) -> str:
    return bucket_url(bucket) + "/delete-objects"


def _chosen_versions(page: PageContext) -> list[tuple[str, str]]:
    """The versions chosen with "Show versions" on: (key, version ID), each sent as
    ``VERSIONID:KEY`` (a version ID holds no ":")."""
    chosen = []
    for value in dict.fromkeys(page.request.values("version")):
        version_id, colon, key = value.partition(":")
        if colon and version_id and key:
            chosen.append((key, version_id))
    return chosen


@routes.post("/console/s3/buckets/{bucket}/selection")
def selection(page: PageContext) -> Response:
    """The Objects tab's toolbar: ``action`` is the button chosen."""
    bucket = page.params["bucket"]
    keys, folders = chosen(page)
    action = page.request.form.get("action", "")
    versions = _chosen_versions(page)
    if versions and action == "delete":
        return _delete_page(page, bucket, [], [], versions=versions)
    if action in ("copy", "move"):
        if not keys and not folders:
            return _objects_page(page, bucket, 400, problem=NOTHING_TO_TRANSFER[action])
        return transfer_page(page, action, bucket, keys, folders)
    if action in ("download", "download-as"):
        if len(keys) != 1 or folders:
            return _objects_page(page, bucket, 400, problem=ONE_OBJECT)
        if action == "download":
            return page.redirect(object_url(bucket, keys[0], "download"))
        return _download_as_page(page, bucket, keys[0])
    if not keys and not folders:
        return _objects_page(page, bucket, 400, problem=NOTHING_CHOSEN)
    return _delete_page(page, bucket, keys, folders)


def _download_as_page(page: PageContext, bucket: str, key: str) -> Response:
    """A GET form to the download address with the file name to save as."""
    url = object_url(bucket, key, "download")
    path, _, query = url.partition("?")
    return page.render(
        "s3/download_as.html",
        title="Download as",
        bucket=bucket,
        key=key,
        name=key.rsplit(DELIMITER, 1)[-1] or key,
        crumbs=_crumbs(bucket, key[: key.rfind(DELIMITER) + 1]),
        action=path,
        key_in_query=bool(query),  # "." and "..": the key goes in the query (s3.object_url)
        back=bucket_url(bucket, key[: key.rfind(DELIMITER) + 1]),
    )


def _delete_page(
    page: PageContext,
    bucket: str,
    keys: list[str],
    folders: list[str],
    status: int = 200,
    error: ServiceError | None = None,
    problem: str = "",
    result: dict[str, Any] | None = None,
    versions: list[tuple[str, str]] | None = None,
) -> Response:
    """The confirmation (or, with ``result``, the status). Chosen versions are deleted for
    good, so the word is always "permanently delete" ("Deleting object versions", S3 User
    Guide: "To confirm deletion, type permanently delete")."""
    prefix = page.request.form.get("prefix", "")
    items = delete_items(bucket, keys, folders)
    for key, version_id in versions or ():
        items.append(
            {"name": f"{key.rsplit(DELIMITER, 1)[-1] or key} (version {version_id})", "type": "Version"}
            | {"prefix": key, "uri": f"s3://{bucket}/{key}", "url": object_url(bucket, key)}
        )
    return page.render(
        "s3/delete.html",
        status,
        title="Delete objects",
        bucket=bucket,
        prefix=prefix,
        items=items,
        keys=keys,
        folders=folders,
        versions=[f"{version_id}:{key}" for key, version_id in versions or ()],
        crumbs=_crumbs(bucket, prefix),
        back=bucket_url(bucket, prefix, **({"versions": "1"} if versions else {})),
        action=delete_objects_url(bucket),
        error=error,
        problem=problem,
        confirm=CONFIRM_DELETE if versions else _delete_word(page, bucket),
        result=result,
    )


@routes.post("/console/s3/buckets/{bucket}/delete-objects")
def delete_objects(page: PageContext) -> Response:
    """Once the word is typed: the chosen objects and every object under the chosen folders,
    deleted with DeleteObjects; then "Delete objects: status"."""
    bucket = page.params["bucket"]
    keys, folders = chosen(page)
    versions = _chosen_versions(page)
    if not keys and not folders and not versions:
        return _objects_page(page, bucket, 400, problem=NOTHING_CHOSEN)
    word = CONFIRM_DELETE if versions else _delete_word(page, bucket)
    if page.request.form.get("confirm", "").strip() != word:
        problem = f'To confirm deletion, type "{word}".'
        return _delete_page(page, bucket, keys, folders, 400, problem=problem, versions=versions)
    deleted = 0
    failed: list[dict[str, str]] = []
    try:
        every: list[dict[str, str]] = [{"Key": key} for key in keys]
        for folder in folders:
            every.extend({"Key": key} for key in folder_keys(page, bucket, folder))
        # A chosen version is deleted for good (DeleteObjects with its VersionId:
        # s3:DeleteObjectVersion), not hidden behind a delete marker.
        every.extend({"Key": key, "VersionId": version_id} for key, version_id in versions)
        every = list({tuple(sorted(entry.items())): entry for entry in every}.values())
        for start in range(0, len(every), EMPTY_PAGE_SIZE):
            batch = every[start : start + EMPTY_PAGE_SIZE]
            answer = page.call("s3", "DeleteObjects", {"Bucket": bucket, "Delete": {"Objects": batch}})
            deleted += len(answer.get("Deleted", []))
            for refused in answer.get("Errors", []):
                failed.append({"key": refused["Key"], "code": refused["Code"], "message": refused.get("Message", "")})
    except ServiceError as error:
        result = {"deleted": deleted, "failed": failed} if deleted or failed else None
        return _delete_page(page, bucket, keys, folders, error.status, error, result=result, versions=versions)
    # The only error DeleteObjects answers for a key here is AccessDenied (403).
    result = {"deleted": deleted, "failed": failed}
    return _delete_page(page, bucket, keys, folders, 403 if failed else 200, result=result, versions=versions)

"""The S3 console's "Empty bucket" ("Emptying a bucket", S3 User Guide, empty-bucket.html;
"Getting started with Amazon S3", Step 5 "Delete your objects and bucket").

The page asks to type "permanently delete" (Step 5's words; empty-bucket.html asks for the
bucket name instead: the two pages disagree), then deletes, as the console's principal:

- in a bucket whose versioning is Enabled or Suspended (GetBucketVersioning), every version
  and every delete marker ("When you empty a bucket that has S3 Bucket Versioning enabled or
  suspended, all versions of all the objects in the bucket are deleted."): listed with
  ListObjectVersions, deleted with DeleteObjects naming each one's VersionId, so S3 authorizes
  s3:DeleteObjectVersion for each;
- else every object: listed with ListObjectsV2, deleted with DeleteObjects by key.

Lists are read 1,000 entries a page and the whole list is read before the first delete, so a
page's marker never names a version the empty has just removed; DeleteObjects takes at most
1,000 entries a request. The entries S3 refuses (DeleteObjects answers them in Errors:
AccessDenied without the permission) are listed on the "Empty bucket: status" page with S3's
code and message; a refused list or DeleteObjects request is S3's error on the page. Once the
bucket is empty, "Delete bucket" (DeleteBucket) succeeds.

Known gaps: when GetBucketVersioning is refused, the bucket is emptied as an unversioned one
(its current objects get delete markers, the versions stay, and DeleteBucket answers
BucketNotEmpty); multipart uploads in progress are not aborted.
"""

from __future__ import annotations

from typing import Any

from ...errors import ServiceError
from ..app import PageContext
from ..web import Response, Routes
from .s3 import CONFIRM_DELETE, EMPTY_PAGE_SIZE, _crumbs, bucket_setting, delete_bucket_url, empty_url

routes = Routes()

VERSIONED = ("Enabled", "Suspended")


def _empty_page(
    page: PageContext,
    bucket: str,
    status: int = 200,
    error: ServiceError | None = None,
    problem: str = "",
    result: dict[str, Any] | None = None,
) -> Response:
    return page.render(
        "s3/empty.html",
        status,
        title="Empty bucket",
        bucket=bucket,
        crumbs=_crumbs(bucket, ""),
        action=empty_url(bucket),
        error=error,
        problem=problem,
        confirm=CONFIRM_DELETE,
        result=result,
        delete_bucket_url=delete_bucket_url(bucket),
    )


@routes.get("/console/s3/buckets/{bucket}/empty")
def empty_form(page: PageContext) -> Response:
    return _empty_page(page, page.params["bucket"])


def _objects(page: PageContext, bucket: str) -> list[dict[str, str]]:
    """Every object of the bucket as DeleteObjects names it (``{"Key": ...}``)."""
    found: list[dict[str, str]] = []
    token = ""
    while True:
        params: dict[str, Any] = {"Bucket": bucket, "MaxKeys": EMPTY_PAGE_SIZE}
        if token:
            params["ContinuationToken"] = token
        listing = page.call("s3", "ListObjectsV2", params)
        found.extend({"Key": item["Key"]} for item in listing.get("Contents", []))
        token = str(listing.get("NextContinuationToken") or "")
        if not listing.get("IsTruncated") or not token:
            return found


def _versions(page: PageContext, bucket: str) -> list[dict[str, str]]:
    """Every version and delete marker of the bucket as DeleteObjects names it (``{"Key": ...,
    "VersionId": ...}``; the "null" version too)."""
    found: list[dict[str, str]] = []
    markers: dict[str, str] = {}
    while True:
        params: dict[str, Any] = {"Bucket": bucket, "MaxKeys": EMPTY_PAGE_SIZE, **markers}
        listing = page.call("s3", "ListObjectVersions", params)
        for entry in [*listing.get("Versions", []), *listing.get("DeleteMarkers", [])]:
            found.append({"Key": entry["Key"], "VersionId": str(entry["VersionId"])})
        if not listing.get("IsTruncated") or not listing.get("NextKeyMarker"):
            return found
        markers = {"KeyMarker": listing["NextKeyMarker"]}
        if listing.get("NextVersionIdMarker"):
            markers["VersionIdMarker"] = listing["NextVersionIdMarker"]


@routes.post("/console/s3/buckets/{bucket}/empty")
def empty_bucket(page: PageContext) -> Response:
    """Once "permanently delete" is typed: every object, or every version and delete marker
    of a versioned bucket, deleted; then "Empty bucket: status"."""
    bucket = page.params["bucket"]
    if page.request.form.get("confirm", "").strip() != CONFIRM_DELETE:
        return _empty_page(page, bucket, 400, problem=f'To confirm deletion, type "{CONFIRM_DELETE}".')
    versioning, _ = bucket_setting(page, "GetBucketVersioning", bucket)
    versioned = versioning.get("Status") in VERSIONED
    deleted = 0
    failed: list[dict[str, str]] = []
    try:
        entries = _versions(page, bucket) if versioned else _objects(page, bucket)
        for start in range(0, len(entries), EMPTY_PAGE_SIZE):
            batch = entries[start : start + EMPTY_PAGE_SIZE]
            answer = page.call("s3", "DeleteObjects", {"Bucket": bucket, "Delete": {"Objects": batch}})
            deleted += len(answer.get("Deleted", []))
            for refused in answer.get("Errors", []):
                failed.append(
                    {
                        "key": refused["Key"],
                        "version": str(refused.get("VersionId") or ""),
                        "code": refused["Code"],
                        "message": refused.get("Message", ""),
                    }
                )
    except ServiceError as error:
        result = {"deleted": deleted, "failed": failed} if deleted or failed else None
        return _empty_page(page, bucket, error.status, error, result=result)
    # The only error DeleteObjects answers for an entry here is AccessDenied (403).
    return _empty_page(page, bucket, 403 if failed else 200, result={"deleted": deleted, "failed": failed})

"""The S3 console's "Upload" page: "Add files", "Add folder", the files to upload, "Upload",
then the "Upload: status" summary.

AWS (S3 User Guide, "Uploading objects", Using the S3 console): in the bucket (or a folder),
choose Upload; "Add files" or "Add folder" (the folder's files keep their paths under the
folder's name as key prefixes: "Amazon S3 uploads all the files and folders ... the folder
name is added to the object key"); choose Upload; the "Upload: status" page says "Upload
succeeded" or "Upload failed" and lists each file with its status and error.

Each file is a PutObject as the console's principal (``page.call``) to the folder the page was
opened in, with the Content-Type the browser sent; S3's refusal (AccessDenied, ...) is shown
for the file it refused. The form is multipart/form-data: several files a form (an input with
``multiple``, a folder's ``webkitdirectory`` input) are parsed as they come.

Known gaps: no destination, permissions or properties sections (storage class, encryption,
metadata, tags), no drag and drop, no multipart uploads: a file is sent in one request.
"""

from __future__ import annotations

from ...errors import ServiceError
from ..app import PageContext
from ..web import Response, Routes, Upload
from .s3 import DELIMITER, _crumbs, bucket_url, size_text, upload_url

routes = Routes()

NO_FILES = "Add files or a folder to upload."  # unconfirmed wording


def _key_of(upload: Upload, prefix: str, folder: bool) -> str:
    """The object key: the folder's prefix and the file's name; a folder's file keeps its
    path inside the folder chosen ("folder/sub/file.txt", browsers send it as the name)."""
    name = upload.filename.replace("\\", DELIMITER)
    if not folder:
        name = name.rsplit(DELIMITER, 1)[-1]  # browsers send the name; some old ones the whole path
    return prefix + name.lstrip(DELIMITER)


def _upload_page(
    page: PageContext,
    bucket: str,
    prefix: str,
    status: int = 200,
    problem: str = "",
    results: list[dict[str, str]] | None = None,
) -> Response:
    failed = [row for row in results or [] if row["status"] == "Failed"]
    return page.render(
        "s3/upload.html",
        status,
        title="Upload: status" if results is not None else "Upload",
        bucket=bucket,
        prefix=prefix,
        crumbs=_crumbs(bucket, prefix),
        action=upload_url(bucket),
        back=bucket_url(bucket, prefix),
        problem=problem,
        results=results,
        failed=failed,
        succeeded=[row for row in results or [] if row["status"] == "Succeeded"],
    )


@routes.get("/console/s3/buckets/{bucket}/upload")
def upload_form(page: PageContext) -> Response:
    return _upload_page(page, page.params["bucket"], page.request.query.get("prefix", ""))


@routes.post("/console/s3/buckets/{bucket}/upload")
def upload(page: PageContext) -> Response:
    bucket = page.params["bucket"]
    prefix = page.request.form.get("prefix", "")
    chosen = [(upload, False) for upload in page.request.uploads("files")]
    chosen += [(upload, True) for upload in page.request.uploads("folder_files")]
    if not chosen:
        return _upload_page(page, bucket, prefix, 400, problem=NO_FILES)
    results: list[dict[str, str]] = []
    first: ServiceError | None = None
    for upload, folder in chosen:
        key = _key_of(upload, prefix, folder)
        row = {
            "name": key[len(prefix) :].rsplit(DELIMITER, 1)[-1],
            "folder": f"s3://{bucket}/{key[: key.rfind(DELIMITER) + 1]}",
            "type": upload.content_type,
            "size": size_text(len(upload.data)),
            "bytes": str(len(upload.data)),
            "status": "Succeeded",
            "error": "",
        }
        params = {"Bucket": bucket, "Key": key, "Body": upload.data, "ContentType": upload.content_type}
        try:
            page.call("s3", "PutObject", params)
        except ServiceError as error:
            first = first or error
            row.update(status="Failed", error=f"{error.code}: {error.message}")
        results.append(row)
    return _upload_page(page, bucket, prefix, first.status if first else 200, results=results)

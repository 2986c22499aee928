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

"Additional upload options" ("To configure additional object properties", same page): the
Storage class, Server-side encryption ("Don't specify an encryption key": the bucket's default
encryption; or override it with SSE-S3, SSE-KMS with an AWS KMS key ARN or alias and Bucket
Key, or DSSE-KMS), Tags ("Add tag", up to 10) and Metadata ("Add metadata": Type "System
defined" or "User defined", Key, Value) go with every file's PutObject: StorageClass,
ServerSideEncryption, SSEKMSKeyId, BucketKeyEnabled, Tagging (x-amz-tagging, which needs
s3:PutObjectTagging too: refused, the file fails with S3's AccessDenied) and the metadata's
members (checked as the object's Metadata Edit page checks them, ``_copy_params``). A
system-defined Content-Type replaces the type the browser sent. The storage classes offered
are the general purpose bucket's that PutObject takes here (``STORAGE_CLASSES``); S3 checks
whatever is posted (InvalidStorageClass).

"Add tag", "Add metadata" and "Remove" redraw the form with the options as typed (without
JavaScript, a server round trip: the files chosen must be added again, as a browser cannot
refill a file input; with it, console.js adds and removes rows in place).

Known gaps: no destination or permissions sections (ACLs), no checksums, no drag and drop,
no multipart uploads: a file is sent in one request. The console's KMS key chooser ("Choose
from your AWS KMS keys") is a text field: KMS is not modelled here (services/s3/encryption.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

from ...errors import ServiceError
from ..app import PageContext
from ..web import Response, Routes, Upload
from .s3 import DELIMITER, SYSTEM_METADATA, _crumbs, bucket_url, size_text, upload_url
from .s3_bucket_settings import ENCRYPTION_NAMES, MAX_TAGS, _tag_rows
from .s3_object_settings import MAX_METADATA_ROWS, USER, USER_PREFIX, _copy_params, _metadata_rows

routes = Routes()

NO_FILES = "Add files or a folder to upload."  # unconfirmed wording
# The Storage class choices of a general purpose bucket's upload ("Using Amazon S3 storage
# classes", S3 User Guide), in the console's order, with its names; Standard is the default.
STORAGE_CLASS_NAMES = {
    "STANDARD": "Standard",
    "INTELLIGENT_TIERING": "Intelligent-Tiering",
    "STANDARD_IA": "Standard-IA",
    "ONEZONE_IA": "One Zone-IA",
    "GLACIER_IR": "Glacier Instant Retrieval",
    "GLACIER": "Glacier Flexible Retrieval (formerly Glacier)",
    "DEEP_ARCHIVE": "Glacier Deep Archive",
    "REDUCED_REDUNDANCY": "Reduced redundancy",
}
# INVARIANT: every class offered is one PutObject takes (services/s3/objects.py's
# STORAGE_CLASSES); a test keeps them so.
BUCKET_DEFAULT, OVERRIDE = "bucket", "override"  # Server-side encryption's two choices


@dataclass
class Options:
    """The "Additional upload options" as the form posts them (defaults: the bucket's)."""

    storage_class: str = "STANDARD"
    encryption: str = BUCKET_DEFAULT
    encryption_type: str = "AES256"
    kms_key: str = ""
    bucket_key: bool = True
    tags: list[tuple[str, str]] = field(default_factory=list)
    metadata: list[tuple[str, str, str]] = field(default_factory=list)

    @classmethod
    def read(cls, page: PageContext) -> Options:
        form = page.request.form
        kind = form.get("encryption_type", "AES256")
        return cls(
            storage_class=form.get("storage_class", "STANDARD") or "STANDARD",
            encryption=OVERRIDE if form.get("encryption") == OVERRIDE else BUCKET_DEFAULT,
            encryption_type=kind if kind in ENCRYPTION_NAMES else "AES256",
            kms_key=form.get("kms_key", "").strip(),
            bucket_key=form.get("bucket_key", "Enabled") == "Enabled",
            # The rows' "Remove" buttons are named by their section.
            tags=_tag_rows(page, remove="remove_tag"),
            metadata=_metadata_rows(page, remove="remove_metadata"),
        )

    @property
    def changed(self) -> bool:
        """Whether any option differs from its default (the section is then drawn open)."""
        return self != Options()

    def put_params(self) -> tuple[dict[str, Any], str]:
        """PutObject's members for the options, or the problem with the metadata rows."""
        params, problem = _copy_params(self.metadata)
        if problem:
            return {}, problem
        if not params.get("Metadata"):
            params.pop("Metadata", None)
        if self.storage_class != "STANDARD":
            params["StorageClass"] = self.storage_class
        if self.encryption == OVERRIDE:
            params["ServerSideEncryption"] = self.encryption_type
            if self.encryption_type != "AES256" and self.kms_key:
                params["SSEKMSKeyId"] = self.kms_key
            if self.encryption_type == "aws:kms":
                params["BucketKeyEnabled"] = self.bucket_key
        tags = [(name, value) for name, value in self.tags if name]
        if tags:
            # x-amz-tagging: "The tag-set must be encoded as URL Query parameters" (PutObject).
            params["Tagging"] = urlencode(tags, quote_via=quote)
        return params, ""


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
    options: Options | None = None,
) -> Response:
    failed = [row for row in results or [] if row["status"] == "Failed"]
    options = options or Options()
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
        options=options,
        storage_classes=STORAGE_CLASS_NAMES,
        encryption_names=ENCRYPTION_NAMES,
        max_tags=MAX_TAGS,
        max_metadata=MAX_METADATA_ROWS,
        system_keys=[name for name, _member in SYSTEM_METADATA],
        user_prefix=USER_PREFIX,
    )


@routes.get("/console/s3/buckets/{bucket}/upload")
def upload_form(page: PageContext) -> Response:
    return _upload_page(page, page.params["bucket"], page.request.query.get("prefix", ""))


@routes.post("/console/s3/buckets/{bucket}/upload")
def upload(page: PageContext) -> Response:
    """Upload; or "Add tag", "Add metadata" and a row's "Remove", which redraw the form."""
    bucket = page.params["bucket"]
    prefix = page.request.form.get("prefix", "")
    options = Options.read(page)
    action = page.request.form.get("action", "upload")
    if action == "add_tag":
        options.tags = [*options.tags, ("", "")][:MAX_TAGS]
        return _upload_page(page, bucket, prefix, options=options)
    if action == "add_metadata":
        options.metadata = [*options.metadata, (USER, "", "")][:MAX_METADATA_ROWS]
        return _upload_page(page, bucket, prefix, options=options)
    if page.request.form.get("remove_tag") or page.request.form.get("remove_metadata"):
        return _upload_page(page, bucket, prefix, options=options)
    chosen = [(upload, False) for upload in page.request.uploads("files")]
    chosen += [(upload, True) for upload in page.request.uploads("folder_files")]
    if not chosen:
        return _upload_page(page, bucket, prefix, 400, problem=NO_FILES, options=options)
    given, problem = options.put_params()
    if problem:
        return _upload_page(page, bucket, prefix, 400, problem=problem, options=options)
    results: list[dict[str, str]] = []
    first: ServiceError | None = None
    for upload, folder in chosen:
        key = _key_of(upload, prefix, folder)
        params = {"Bucket": bucket, "Key": key, "Body": upload.data, "ContentType": upload.content_type, **given}
        row = {
            "name": key[len(prefix) :].rsplit(DELIMITER, 1)[-1],
            "folder": f"s3://{bucket}/{key[: key.rfind(DELIMITER) + 1]}",
            "type": str(params["ContentType"]),  # a system-defined Content-Type's, else the browser's
            "size": size_text(len(upload.data)),
            "bytes": str(len(upload.data)),
            "status": "Succeeded",
            "error": "",
        }
        try:
            page.call("s3", "PutObject", params)
        except ServiceError as error:
            first = first or error
            row.update(status="Failed", error=f"{error.code}: {error.message}")
        results.append(row)
    return _upload_page(page, bucket, prefix, first.status if first else 200, results=results)

"""The S3 pages without a browser: keys a browser would rewrite, download headers,
multipart uploads, denials as the switched role, bad continuation tokens.

AWS: "Working with object metadata" / "Creating object key names" (S3 User Guide: any
UTF-8 key, including "/", "." and ".." segments and "%"); GetObject, PutObject,
DeleteObject, ListObjectsV2 (Amazon S3 API Reference); RFC 6266 for Content-Disposition.
"""

from __future__ import annotations

import hashlib
import html
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from console_iam_page_harness import signed_in_admin
from console_page_harness import PASSWORD, ROLE, A, B, Browser, app, text

from iamsandbox.console.calls import invoke
from iamsandbox.console.pages.s3 import attachment, object_url, size_text
from iamsandbox.console.session import new_session
from iamsandbox.server.app import App

__all__ = ["app"]

KEYS = ["..", ".", "a/../b.txt", "dir//x", "/leading", "100%/a#b?&c=d.txt", "ünï/código.txt", "<b>bold</b>"]


def _admin(app: App) -> Browser:
    """A user of account A with AmazonS3FullAccess, signed in."""
    return signed_in_admin(app, A, "s3-admin", policy="arn:aws:iam::aws:policy/AmazonS3FullAccess")


def _put(app: App, key: str, body: bytes, content_type: str | None = None) -> None:
    with app.store.transaction() as tx:
        etag = '"' + hashlib.md5(body, usedforsecurity=False).hexdigest() + '"'
        tx.put_object("shared-bucket", key, body, etag, content_type)


def test_object_links_survive_keys_browsers_would_rewrite(app: App) -> None:
    browser = _admin(app)
    for index, key in enumerate(KEYS):
        _put(app, key, f"body {index}".encode())
    for index, key in enumerate(KEYS):
        url = object_url("shared-bucket", key)
        segments = urlsplit(url).path.split("/")
        # A browser resolves "." and ".." segments (escaped or not) and would lose the key.
        assert "." not in segments and ".." not in segments, url
        assert "#" not in url and "?" not in urlsplit(url).path
        path, _, query = url.partition("?")
        page = browser.get(path, **({"key": key} if query else {}))
        assert page.status == 200, (key, text(page))
        assert html.escape(f"s3://shared-bucket/{key}", quote=False) in text(page)
        download_path, _, download_query = object_url("shared-bucket", key, "download").partition("?")
        downloaded = browser.get(download_path, **({"key": key} if download_query else {}))
        assert downloaded.status == 200 and downloaded.body == f"body {index}".encode(), key
    listing = text(browser.get("/console/s3/buckets/shared-bucket"))
    assert "&lt;b&gt;bold&lt;/" in listing and "<b>" not in listing  # a folder: the key has a "/"


def test_download_headers_name_the_file_and_never_pass_a_bad_content_type_on(app: App) -> None:
    browser = _admin(app)
    _put(app, "reports/ünï q.csv", b"a,b\n", "text/csv; charset=utf-8")
    _put(app, "odd-type", b"x", "日本/x\r\nX-Injected: 1")
    response = browser.get(object_url("shared-bucket", "reports/ünï q.csv", "download"))
    headers = dict(response.headers)
    assert headers["content-type"] == "text/csv; charset=utf-8"
    assert headers["content-disposition"] == (
        "attachment; filename=\"_n__q.csv\"; filename*=UTF-8''%C3%BCn%C3%AF%20q.csv"
    )
    assert headers["content-length"] == "4"
    assert all(value.isascii() for _, value in response.headers)
    odd = dict(browser.get(object_url("shared-bucket", "odd-type", "download")).headers)
    assert odd["content-type"] == "application/octet-stream"
    assert attachment('a"b\r\n.txt').startswith('attachment; filename="a_b__.txt"')


def test_upload_puts_the_file_under_the_folder_by_its_name_only(app: App) -> None:
    """ "Uploading objects" (S3 User Guide): the Upload page, then "Upload: status"."""
    browser = _admin(app)
    listing = text(browser.get("/console/s3/buckets/shared-bucket", prefix="docs/"))
    assert 'href="/console/s3/buckets/shared-bucket/upload?prefix=docs%2F">Upload</a>' in listing
    form = text(browser.get("/console/s3/buckets/shared-bucket/upload", prefix="docs/"))
    assert '<label for="f-files">Add files</label>' in form
    assert 'name="files" type="file" multiple' in form and "webkitdirectory" in form
    assert 'name="prefix" value="docs/"' in form and 'enctype="multipart/form-data"' in form
    done = browser.upload(
        "/console/s3/buckets/shared-bucket/upload", "files", "C:\\Users\\me\\notes.txt", b"hello", prefix="docs/"
    )
    assert done.status == 200 and "Upload: status" in text(done) and "Upload succeeded" in text(done)
    assert "<td>notes.txt</td><td><code>s3://shared-bucket/docs/</code></td>" in text(done)
    with app.store.read() as tx:
        stored = tx.get_object("shared-bucket", "docs/notes.txt")
    assert stored is not None and stored.size == 5 and stored.content_type == "text/plain"
    empty = browser.post("/console/s3/buckets/shared-bucket/upload", prefix="")
    assert empty.status == 400 and "Add files or a folder to upload." in text(empty)


def test_upload_sends_several_files_and_a_folders_files_under_their_paths(app: App) -> None:
    """ "Uploading objects": "Add files" takes several files; "Add folder" uploads the folder's
    files with the folder's name and their paths as key prefixes. Each is a PutObject."""
    browser = _admin(app)
    files = [
        ("files", "a.txt", b"a"),
        ("files", "b.txt", b"bb"),
        ("folder_files", "photos/2024/x.jpg", b"xxx"),
        ("folder_files", "photos/y.jpg", b"y"),
        ("folder_files", "", b""),  # an input left empty sends an empty part
    ]
    done = browser.upload_files("/console/s3/buckets/shared-bucket/upload", files, prefix="in/")
    page = text(done)
    assert done.status == 200 and "<dt>Succeeded</dt><dd>4 files</dd>" in page
    with app.store.read() as tx:
        keys = sorted(found.key for found in tx.list_objects("shared-bucket", limit=100))
        assert tx.read_object("shared-bucket", "in/photos/2024/x.jpg") == b"xxx"
    assert keys == ["in/a.txt", "in/b.txt", "in/photos/2024/x.jpg", "in/photos/y.jpg"]
    assert browser.upload_files("/console/s3/buckets/shared-bucket/upload", files, csrf_token="").status == 403


def test_the_read_only_role_reads_and_is_denied_every_write(app: App) -> None:
    _put(app, "report.csv", b"a,b\n1,2\n")
    browser = Browser(app)
    browser.sign_in(account=B, user="alice", password=PASSWORD)
    assert browser.post("/console/switchrole", account=A, roleName=ROLE).status == 303
    assert browser.get(object_url("shared-bucket", "report.csv", "download")).body == b"a,b\n1,2\n"
    who = f"User: arn:aws:sts::{A}:assumed-role/{ROLE}/alice is not authorized to perform:"
    denied_upload = browser.upload("/console/s3/buckets/shared-bucket/upload", "files", "x.txt", b"x", prefix="")
    assert denied_upload.status == 403 and who in text(denied_upload) and "Upload failed" in text(denied_upload)
    assert "<td>Failed</td><td>AccessDenied: " in text(denied_upload)
    delete = object_url("shared-bucket", "report.csv", "delete")
    denied_delete = browser.post(delete, confirm="permanently delete")
    assert denied_delete.status == 403
    assert (
        f"{who} s3:DeleteObject on resource: &#34;arn:aws:s3:::shared-bucket/report.csv&#34; because no"
        " identity-based policy allows the s3:DeleteObject action"
    ) in text(denied_delete)
    denied_policy = browser.post("/console/s3/buckets/shared-bucket/permissions", policy="{}")
    assert denied_policy.status == 403 and "s3:PutBucketPolicy" in text(denied_policy)
    denied_create = browser.post("/console/s3/buckets", bucket="role-made-bucket", block_all="on")
    assert denied_create.status == 403 and "s3:CreateBucket" in text(denied_create)
    with app.store.read() as tx:
        assert tx.get_object("shared-bucket", "report.csv") is not None
        assert tx.get_bucket("role-made-bucket") is None


def test_a_bad_continuation_token_is_s3s_error_on_the_page(app: App) -> None:
    browser = _admin(app)
    page = browser.get("/console/s3/buckets/shared-bucket", token="%%%not-a-token")
    assert page.status == 400
    assert "InvalidArgument" in text(page) and "The continuation token provided is incorrect" in text(page)
    missing = browser.get("/console/s3/buckets/no-such-bucket-here")
    assert missing.status == 404 and "NoSuchBucket" in text(missing)


def test_sizes_read_as_the_s3_console_shows_them() -> None:
    assert [size_text(n) for n in (0, 8, 1023, 1024, 1536, 5 * 1024**2)] == [
        "0.0 B",
        "8.0 B",
        "1023.0 B",
        "1.0 KB",
        "1.5 KB",
        "5.0 MB",
    ]


def _s3_as_root(app: App, operation: str, **params: Any) -> dict[str, Any]:
    """An S3 operation as account A's root user, through the console's own path."""
    now = datetime.now(UTC)
    session = new_session()
    root = type(session)(
        csrf=session.csrf,
        account_id=A,
        root=True,
        signed_in_at=int(now.timestamp()),
        expires_at=int(now.timestamp()) + 60,
    )
    return invoke(app, root, "s3", operation, params, client_ip="127.0.0.1", now=now)


def test_a_versioned_buckets_delete_asks_to_type_delete_and_adds_a_delete_marker(app: App) -> None:
    """S3 User Guide, "Deleting a single object": in a bucket whose versioning is enabled (or
    suspended) the delete adds a delete marker, so "Delete objects?" asks to type "delete"; an
    unversioned bucket's delete cannot be undone: "permanently delete"."""
    browser = _admin(app)
    _put(app, "plain.txt", b"plain")
    delete = object_url("shared-bucket", "plain.txt", "delete")
    unversioned = text(browser.get(delete))
    assert "Permanently delete objects?</h2>" in unversioned
    assert "To confirm deletion, type &#34;permanently delete&#34; in the text input field." in unversioned
    assert browser.post(delete, confirm="delete").status == 400

    _s3_as_root(app, "PutBucketVersioning", Bucket="shared-bucket", VersioningConfiguration={"Status": "Enabled"})
    assert (
        browser.upload("/console/s3/buckets/shared-bucket/upload", "files", "v.txt", b"kept", prefix="").status == 200
    )
    delete = object_url("shared-bucket", "v.txt", "delete")
    versioned = text(browser.get(delete))
    assert "<h2>Delete objects?</h2>" in versioned and "Permanently delete" not in versioned
    assert "To confirm deletion, type &#34;delete&#34; in the text input field." in versioned
    refused = browser.post(delete, confirm="permanently delete")
    assert refused.status == 400 and "To confirm deletion, type &#34;delete&#34;." in text(refused)
    assert browser.post(delete, confirm="delete").status == 303
    versions = _s3_as_root(app, "ListObjectVersions", Bucket="shared-bucket", Prefix="v.txt")
    assert [marker["IsLatest"] for marker in versions.get("DeleteMarkers", [])] == [True]
    assert [version["Key"] for version in versions.get("Versions", [])] == ["v.txt"]  # kept, restorable

    _s3_as_root(app, "PutBucketVersioning", Bucket="shared-bucket", VersioningConfiguration={"Status": "Suspended"})
    assert "<h2>Delete objects?</h2>" in text(browser.get(object_url("shared-bucket", "plain.txt", "delete")))


def test_the_object_overview_shows_storage_class_version_id_and_system_metadata(app: App) -> None:
    """ "Working with object metadata" (S3 User Guide, UsingMetadata): the object's page lists
    its system-defined metadata (Content-Type, Cache-Control, Content-Disposition,
    Content-Encoding, Content-Language, Expires, x-amz-website-redirect-location) and its
    user-defined x-amz-meta-*; the overview its storage class and, in a versioned bucket, its
    version ID, all as HeadObject answers them."""
    browser = _admin(app)
    _s3_as_root(
        app,
        "PutObject",
        Bucket="shared-bucket",
        Key="plain.txt",
        Body=b"plain",
    )
    plain = text(browser.get(object_url("shared-bucket", "plain.txt")))
    assert "<dt>Storage class</dt><dd>STANDARD</dd>" in plain and "Version ID" not in plain
    _s3_as_root(app, "PutBucketVersioning", Bucket="shared-bucket", VersioningConfiguration={"Status": "Enabled"})
    put = _s3_as_root(
        app,
        "PutObject",
        Bucket="shared-bucket",
        Key="page.html",
        Body=b"<p>hi</p>",
        ContentType="text/html",
        CacheControl="max-age=60",
        ContentDisposition='attachment; filename="page.html"',
        ContentEncoding="identity",
        ContentLanguage="en-GB",
        Expires=datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC),
        WebsiteRedirectLocation="/other.html",
        StorageClass="STANDARD_IA",
        Metadata={"owner": "<b>ann</b>"},
    )
    page = text(browser.get(object_url("shared-bucket", "page.html")))
    assert "<dt>Storage class</dt><dd>STANDARD_IA</dd>" in page
    assert f"<dt>Version ID</dt><dd><code>{put['VersionId']}</code></dd>" in page
    rows = [
        ("System defined", "Content-Type", "text/html"),
        ("System defined", "Cache-Control", "max-age=60"),
        ("System defined", "Content-Disposition", "attachment; filename=&#34;page.html&#34;"),
        ("System defined", "Content-Encoding", "identity"),
        ("System defined", "Content-Language", "en-GB"),
        ("System defined", "Expires", "Wed, 02 Jan 2030 03:04:05 GMT"),
        ("System defined", "x-amz-website-redirect-location", "/other.html"),
        ("User defined", "x-amz-meta-owner", "&lt;b&gt;ann&lt;/b&gt;"),
    ]
    table = "".join(f"<tr><td>{kind}</td><td>{key}</td><td>{value}</td></tr>" for kind, key, value in rows)
    assert table in page.replace("\n", "")

"""The Upload page's "Additional upload options" without a browser: each option goes with
every file's PutObject as the signed-in principal, and what S3 holds afterwards is read as
account A's root user.

AWS pages: "Uploading objects" (S3 User Guide, Using the S3 console, "To configure additional
object properties": Additional upload options; Storage class; Server-side encryption, "Don't
specify an encryption key" or override the bucket settings for default encryption with SSE-S3
or SSE-KMS and an AWS KMS key; Tags, "Add tag"; Metadata, "Add metadata", Type "System
defined" or "User defined", Key, Value); "Working with object metadata" ("Amazon S3 stores
user-defined metadata keys in lowercase"). Amazon S3 API Reference: PutObject (StorageClass,
x-amz-server-side-encryption*, x-amz-tagging, which needs s3:PutObjectTagging too; HeadObject
leaves x-amz-storage-class out for STANDARD), GetObjectTagging.
"""

from __future__ import annotations

import html
import json
from typing import Any

from console_iam_page_harness import ADMIN_PASSWORD, admin_in, iam, s3, signed_in_admin
from console_page_harness import A, Browser, app, text

from iamsandbox.console.pages.s3_upload import STORAGE_CLASS_NAMES
from iamsandbox.server.app import App
from iamsandbox.services.s3.objects import STORAGE_CLASSES

__all__ = ["app"]

BUCKET = "shared-bucket"
UPLOAD = f"/console/s3/buckets/{BUCKET}/upload"
KEY_ARN = f"arn:aws:kms:us-east-1:{A}:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def _admin(app: App) -> Browser:
    return signed_in_admin(app, A, "s3-admin", policy="arn:aws:iam::aws:policy/AmazonS3FullAccess")


def _head(app: App, key: str) -> dict[str, Any]:
    return s3(app, A, "HeadObject", Bucket=BUCKET, Key=key)


def _tags(app: App, key: str) -> list[dict[str, str]]:
    return list(s3(app, A, "GetObjectTagging", Bucket=BUCKET, Key=key)["TagSet"])


def test_the_form_offers_the_additional_upload_options_closed_by_default(app: App) -> None:
    page = text(_admin(app).get(UPLOAD, prefix=""))
    options = page.split('<details class="upload-options">', 1)[1].split("</details>", 1)[0]
    assert '<summary><h2 id="upload-options-heading">Additional upload options</h2></summary>' in options
    assert "<legend>Storage class</legend>" in options
    assert 'name="storage_class" value="STANDARD" checked' in options
    for name in ("Standard-IA", "One Zone-IA", "Glacier Instant Retrieval", "Glacier Deep Archive"):
        assert f">{name}</label>" in options
    assert "<legend>Server-side encryption</legend>" in options
    assert 'id="f-encryption-bucket" name="encryption" value="bucket" checked' in options
    assert '<label for="f-encryption-bucket">Don\'t specify an encryption key</label>' in options
    assert "Override bucket settings for default encryption</label>" in options
    assert "Server-side encryption with AWS Key Management Service keys (SSE-KMS)</label>" in options
    assert '<label for="f-kms_key">AWS KMS key ARN</label>' in options and "<legend>Bucket Key</legend>" in options
    assert '<button type="submit" name="action" value="add_tag">Add tag</button>' in options
    assert '<button type="submit" name="action" value="add_metadata">Add metadata</button>' in options
    assert "<template>" in options  # the row console.js copies
    # Every class offered is one PutObject takes.
    assert set(STORAGE_CLASS_NAMES) <= STORAGE_CLASSES and list(STORAGE_CLASS_NAMES)[0] == "STANDARD"


def test_upload_with_storage_class_sse_kms_tags_and_metadata(app: App) -> None:
    browser = _admin(app)
    files = [("files", "a.txt", b"a"), ("folder_files", "docs/b.txt", b"bb")]
    done = browser.upload_files(
        UPLOAD,
        files,
        prefix="in/",
        storage_class="STANDARD_IA",
        encryption="override",
        encryption_type="aws:kms",
        kms_key=KEY_ARN,
        bucket_key="Enabled",
        tag_key=["project", "cost center"],
        tag_value=["blue", "a+b=c /d"],
        meta_type=["system", "system", "user"],
        meta_key=["Content-Type", "Cache-Control", "x-amz-meta-Reviewed-By"],
        meta_value=["text/csv", "max-age=60", "alice"],
    )
    page = text(done)
    assert done.status == 200 and "Upload succeeded" in page and "<dt>Succeeded</dt><dd>2 files</dd>" in page
    assert "<td>text/csv</td>" in page  # the system-defined Content-Type, not the browser's
    for key in ("in/a.txt", "in/docs/b.txt"):
        head = _head(app, key)
        assert head["StorageClass"] == "STANDARD_IA"
        assert head["ServerSideEncryption"] == "aws:kms" and head["SSEKMSKeyId"] == KEY_ARN
        assert head["BucketKeyEnabled"] is True
        assert head["ContentType"] == "text/csv" and head["CacheControl"] == "max-age=60"
        assert head["Metadata"] == {"reviewed-by": "alice"}  # stored in lowercase
        assert _tags(app, key) == [{"Key": "project", "Value": "blue"}, {"Key": "cost center", "Value": "a+b=c /d"}]


def test_upload_with_sse_s3_override_and_glacier_and_the_defaults(app: App) -> None:
    browser = _admin(app)
    done = browser.upload(
        UPLOAD,
        "files",
        "cold.txt",
        b"c",
        prefix="",
        storage_class="GLACIER",
        encryption="override",
        encryption_type="AES256",
        kms_key=KEY_ARN,  # a key with SSE-S3 is not sent
    )
    assert done.status == 200, text(done)
    head = _head(app, "cold.txt")
    assert head["StorageClass"] == "GLACIER" and head["ServerSideEncryption"] == "AES256"
    assert "SSEKMSKeyId" not in head
    # Nothing chosen: Standard (HeadObject leaves it out) and the bucket's default encryption.
    s3(
        app,
        A,
        "PutBucketEncryption",
        Bucket=BUCKET,
        ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}]
        },
    )
    assert browser.upload(UPLOAD, "files", "plain.txt", b"p", prefix="", encryption="bucket").status == 200
    head = _head(app, "plain.txt")
    assert "StorageClass" not in head and head["ServerSideEncryption"] == "aws:kms"
    assert _tags(app, "plain.txt") == [] and head.get("Metadata", {}) == {}


def test_tags_need_s3_put_object_tagging_as_in_aws(app: App) -> None:
    """PutObject: "To successfully set the tag-set with your PutObject request, you must have
    the s3:PutObjectTagging" permission; the console's upload is that PutObject."""
    admin_in(app, A, "uploader", policy=None)
    allow = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"}]}
    iam(app, A, "PutUserPolicy", UserName="uploader", PolicyName="put", PolicyDocument=json.dumps(allow))
    browser = Browser(app)
    assert browser.sign_in(A, "uploader", ADMIN_PASSWORD).status == 303
    refused = browser.upload(UPLOAD, "files", "t.txt", b"t", prefix="", tag_key="team", tag_value="x")
    page = html.unescape(text(refused))
    assert refused.status == 403 and "Upload failed" in page
    assert "<td>Failed</td><td>AccessDenied: " in page and "s3:PutObjectTagging" in page
    with app.store.read() as tx:
        assert tx.get_object(BUCKET, "t.txt") is None
    assert browser.upload(UPLOAD, "files", "t.txt", b"t", prefix="").status == 200


def test_add_tag_add_metadata_and_remove_redraw_the_form_as_typed(app: App) -> None:
    browser = _admin(app)
    added = text(browser.upload_files(UPLOAD, [], prefix="", action="add_tag", storage_class="ONEZONE_IA"))
    assert '<details class="upload-options" open>' in added
    assert 'name="storage_class" value="ONEZONE_IA" checked' in added
    assert 'id="f-tag-key-1" name="tag_key" value=""' in added
    both = text(
        browser.upload_files(
            UPLOAD,
            [],
            prefix="",
            action="add_metadata",
            tag_key="k",
            tag_value="v",
        )
    )
    assert 'name="tag_key" value="k"' in both and 'id="f-meta-key-1" name="meta_key" value=""' in both
    removed = text(
        browser.upload_files(
            UPLOAD,
            [],
            prefix="",
            remove_tag="0",
            tag_key=["k", "l"],
            tag_value=["v", "w"],
            meta_type="user",
            meta_key="x-amz-meta-a",
            meta_value="1",
        )
    )
    assert 'value="k"' not in removed and 'name="tag_key" value="l"' in removed
    assert 'name="meta_key" value="x-amz-meta-a"' in removed  # another section's row stays
    with app.store.read() as tx:
        assert list(tx.list_objects(BUCKET, limit=10)) == []


def test_refusals_are_shown_in_the_words_of_aws_and_nothing_is_stored(app: App) -> None:
    browser = _admin(app)
    bad_metadata = browser.upload(
        UPLOAD, "files", "m.txt", b"m", prefix="", meta_type="system", meta_key="Etag", meta_value="x"
    )
    assert bad_metadata.status == 400 and "Etag is not system-defined metadata" in text(bad_metadata)
    assert 'name="meta_key" value="Etag"' in text(bad_metadata)  # the rows as typed
    bad_class = browser.upload(UPLOAD, "files", "c.txt", b"c", prefix="", storage_class="OUTPOSTS")
    invalid = "InvalidStorageClass: The storage class you specified is not valid"
    assert bad_class.status == 400 and invalid in text(bad_class)
    bad_key = browser.upload(
        UPLOAD,
        "files",
        "k.txt",
        b"k",
        prefix="",
        encryption="override",
        encryption_type="aws:kms",
        kms_key="fake-key-id",
    )
    assert bad_key.status == 400 and "Invalid keyId" in html.unescape(text(bad_key))
    bad_tag = browser.upload(UPLOAD, "files", "t.txt", b"t", prefix="", tag_key="aws:reserved", tag_value="x")
    assert bad_tag.status == 400 and "<td>Failed</td><td>InvalidTag: " in text(bad_tag)
    with app.store.read() as tx:
        assert list(tx.list_objects(BUCKET, limit=10)) == []

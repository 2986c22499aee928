"""An object's Tags and Metadata, Edit, without a browser: what S3 holds afterwards, read as
account A's root user; a refused or invalid save shows S3's error with the rows as typed and
changes nothing.

AWS pages (S3 User Guide): "Managing object tags" (Using the S3 console: Add tag, a Key and a
Value, "You can enter up to 10 tags for an object", Save changes); "Viewing object properties
in the Amazon S3 console" (the object's Tags and Metadata); "Editing object metadata in the
Amazon S3 console" (Add metadata, Type "System defined" or "User defined", Key, Value, Remove;
"This action creates a copy of the object with updated settings and the last-modified date.
If S3 Versioning is enabled, a new version of the object is created"); "Working with object
metadata" ("Amazon S3 stores user-defined metadata keys in lowercase"). Amazon S3 API
Reference: PutObjectTagging (s3:PutObjectTagging; InvalidTag), CopyObject (a copy is STANDARD
and takes the bucket's default encryption unless the request says otherwise; the tagging
directive COPY is the default).
"""

from __future__ import annotations

import html
import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

from console_iam_page_harness import iam, s3, signed_in_admin
from console_page_harness import A, Browser, app, location, text

from iamsandbox.console.pages.s3 import object_url
from iamsandbox.server.app import App

__all__ = ["app"]

BUCKET = "shared-bucket"
S3_FULL = "arn:aws:iam::aws:policy/AmazonS3FullAccess"
S3_READ = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"


def _put(app: App, key: str, **params: Any) -> None:
    s3(app, A, "PutObject", Bucket=BUCKET, Key=key, Body=b"a,b\n1,2\n", **params)


def _tags(app: App, key: str) -> list[dict[str, str]]:
    return list(s3(app, A, "GetObjectTagging", Bucket=BUCKET, Key=key)["TagSet"])


def _admin(app: App) -> Browser:
    return signed_in_admin(app, A, "s3-admin", policy=S3_FULL)


def _follow(browser: Browser, url: str) -> str:
    """The page a redirect leads to (its query apart, as the harness takes it)."""
    path, _, query = url.partition("?")
    return text(browser.get(path, **dict(parse_qsl(query))))


def _section(page: str, heading_id: str) -> str:
    return page.split(f'aria-labelledby="{heading_id}"', 1)[1].split("</section>", 1)[0]


# --- Tags ----------------------------------------------------------------------------------------------


def test_tags_are_added_shown_and_all_removed(app: App) -> None:
    _put(app, "report.csv")
    browser = _admin(app)
    page = text(browser.get(object_url(BUCKET, "report.csv")))
    tags = _section(page, "tags-heading")
    assert "No tags associated with this resource." in tags and "(0)" in tags
    edit = object_url(BUCKET, "report.csv", "object-tags")
    assert f'action="{edit}"' in tags  # its Edit

    form = text(browser.get(edit))
    assert "<h1>Edit tags</h1>" in form and "You can enter up to 10 tags for an object." in form
    added = text(browser.post(edit, action="add"))
    assert added.count('name="tag_key"') == 1
    saved = browser.post(edit, action="save", tag_key=["project", "owner"], tag_value=["blue", "ann"])
    assert saved.status == 303 and location(saved) == object_url(BUCKET, "report.csv") + "?done=tags"
    assert _tags(app, "report.csv") == [{"Key": "project", "Value": "blue"}, {"Key": "owner", "Value": "ann"}]
    page = _follow(browser, location(saved))
    assert "Successfully edited tags." in page
    assert "<td>project</td><td>blue</td>" in _section(page, "tags-heading")

    # "Remove" redraws the rows without the one chosen; nothing is saved yet.
    form = text(browser.post(edit, remove="0", tag_key=["owner", "project"], tag_value=["ann", "blue"]))
    assert form.count('name="tag_key"') == 1 and 'value="project"' in form and 'value="owner"' not in form
    assert len(_tags(app, "report.csv")) == 2
    # Every row removed, then Save changes: the object has no tags.
    assert browser.post(edit, action="save").status == 303
    assert _tags(app, "report.csv") == []


def test_the_tags_form_shows_up_to_ten_rows(app: App) -> None:
    """ "You can enter up to 10 tags for an object": no "Add tag" past ten rows."""
    _put(app, "ten.csv")
    browser = _admin(app)
    edit = object_url(BUCKET, "ten.csv", "object-tags")
    keys, values = [f"k{i}" for i in range(10)], [str(i) for i in range(10)]
    full = text(browser.post(edit, action="add", tag_key=keys, tag_value=values))
    assert full.count('name="tag_key"') == 10 and ">Add tag</button>" not in full


def test_tags_refused_show_access_denied_keep_the_rows_and_change_nothing(app: App) -> None:
    _put(app, "report.csv", Tagging="project=blue")
    browser = signed_in_admin(app, A, "reader", policy=S3_READ)
    edit = object_url(BUCKET, "report.csv", "object-tags")
    refused = browser.post(edit, action="save", tag_key=["project", "stage"], tag_value=["red", "prod"])
    page = text(refused)
    assert refused.status == 403 and "AccessDenied" in page and "s3:PutObjectTagging" in page
    assert 'value="stage"' in page and 'value="prod"' in page and 'value="red"' in page
    assert _tags(app, "report.csv") == [{"Key": "project", "Value": "blue"}]


def test_an_invalid_tag_shows_s3s_invalid_tag_with_the_rows_kept(app: App) -> None:
    _put(app, "report.csv")
    browser = _admin(app)
    edit = object_url(BUCKET, "report.csv", "object-tags")
    refused = browser.post(edit, action="save", tag_key=["aws:owner"], tag_value=["ann"])
    assert refused.status == 400 and "InvalidTag" in text(refused) and 'value="aws:owner"' in text(refused)
    assert _tags(app, "report.csv") == []


def test_an_object_whose_tags_cannot_be_read_shows_the_error_in_the_tags_section(app: App) -> None:
    """The overview is still shown; only the Tags section holds S3's AccessDenied."""
    _put(app, "report.csv", Tagging="project=blue")
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
            {"Effect": "Deny", "Action": "s3:GetObjectTagging", "Resource": "*"},
        ],
    }
    browser = signed_in_admin(app, A, "no-tags", policy=None)
    iam(app, A, "PutUserPolicy", UserName="no-tags", PolicyName="no-tags", PolicyDocument=json.dumps(policy))
    answer = browser.get(object_url(BUCKET, "report.csv"))
    assert answer.status == 200 and "Object overview" in text(answer)
    tags = _section(text(answer), "tags-heading")
    assert "AccessDenied" in tags and "s3:GetObjectTagging" in tags and "<td>project</td>" not in tags


def test_a_key_browsers_would_rewrite_is_tagged_through_the_query(app: App) -> None:
    _put(app, "..")
    browser = _admin(app)
    edit = object_url(BUCKET, "..", "object-tags")
    path, _, query = edit.partition("?")
    assert query == "key=.."
    page = text(browser.get(object_url(BUCKET, "..").partition("?")[0], key=".."))
    assert 'name="key" value=".."' in _section(page, "tags-heading")  # the GET form's key
    saved = browser._send(
        "POST",
        path,
        {"key": ".."},
        f"csrf_token={browser.form_fields()['csrf_token']}&acting_as=&action=save&tag_key=a&tag_value=b".encode(),
        {"content-type": "application/x-www-form-urlencoded"},
    )
    assert saved.status == 303, text(saved)
    assert _tags(app, "..") == [{"Key": "a", "Value": "b"}]


# --- Metadata ------------------------------------------------------------------------------------------


def _metadata_form(rows: list[tuple[str, str, str]], **extra: str) -> dict[str, Any]:
    return {
        "meta_type": [kind for kind, _, _ in rows],
        "meta_key": [key for _, key, _ in rows],
        "meta_value": [value for _, _, value in rows],
        **extra,
    }


def test_metadata_edit_copies_the_object_with_the_rows_keeping_tags_storage_class_and_encryption(app: App) -> None:
    s3(app, A, "PutBucketVersioning", Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
    _put(
        app,
        "report.csv",
        ContentType="text/plain",
        CacheControl="max-age=60",
        Metadata={"owner": "ann"},
        Tagging="project=blue",
        StorageClass="STANDARD_IA",
        ServerSideEncryption="aws:kms",
    )
    before = s3(app, A, "HeadObject", Bucket=BUCKET, Key="report.csv")
    browser = _admin(app)
    page = text(browser.get(object_url(BUCKET, "report.csv")))
    edit = object_url(BUCKET, "report.csv", "object-metadata")
    assert f'action="{edit}"' in _section(page, "metadata-heading")

    form = text(browser.get(edit))
    assert "<h1>Edit metadata</h1>" in form
    for value in ("Content-Type", "text/plain", "Cache-Control", "max-age=60", "x-amz-meta-owner", "ann"):
        assert f'value="{value}"' in form
    assert text(browser.post(edit, **_metadata_form([], action="add"))).count('name="meta_key"') == 1

    # Content-Type changed, Cache-Control removed, x-amz-meta-owner kept, a new user key.
    rows = [
        ("system", "Content-Type", "text/csv"),
        ("user", "x-amz-meta-owner", "ann"),
        ("user", "Review-State", "done"),  # stored in lowercase, the prefix added
        ("system", "Expires", "Thu, 01 Jan 2037 00:00:00 GMT"),
    ]
    saved = browser.post(edit, **_metadata_form(rows, action="save"))
    assert saved.status == 303, text(saved)
    assert location(saved) == object_url(BUCKET, "report.csv") + "?done=metadata"
    head = s3(app, A, "HeadObject", Bucket=BUCKET, Key="report.csv")
    assert head["ContentType"] == "text/csv"
    assert head["Metadata"] == {"owner": "ann", "review-state": "done"}
    assert "CacheControl" not in head
    assert head["Expires"] == datetime(2037, 1, 1, tzinfo=UTC)
    assert head["StorageClass"] == "STANDARD_IA"
    assert head["ServerSideEncryption"] == "aws:kms" and head["SSEKMSKeyId"] == before["SSEKMSKeyId"]
    assert _tags(app, "report.csv") == [{"Key": "project", "Value": "blue"}]
    assert head["VersionId"] != before["VersionId"]  # a new version; the old one kept
    versions = s3(app, A, "ListObjectVersions", Bucket=BUCKET, Prefix="report.csv")["Versions"]
    assert len(versions) == 2
    assert "Successfully edited metadata." in _follow(browser, location(saved))


def test_metadata_rows_the_console_refuses_change_nothing(app: App) -> None:
    _put(app, "report.csv", ContentType="text/plain")
    browser = _admin(app)
    edit = object_url(BUCKET, "report.csv", "object-metadata")
    for rows, words in (
        ([("system", "Content-Length", "3")], "Content-Length is not system-defined metadata"),
        ([("system", "Expires", "next week")], "Expires must be a date"),
        ([("user", "x-amz-meta-naïve", "x")], "US-ASCII"),
        ([("user", "note", "café")], "US-ASCII"),
        ([("user", "a", "1"), ("user", "A", "2")], "x-amz-meta-a is given more than once"),
        ([("user", "", "orphan")], "Enter a key"),
    ):
        refused = browser.post(edit, **_metadata_form(rows, action="save"))
        page = html.unescape(text(refused))
        assert refused.status == 400 and words in page, (rows, page)
        assert f'value="{rows[-1][2]}"' in page  # the rows as typed
    head = s3(app, A, "HeadObject", Bucket=BUCKET, Key="report.csv")
    assert head["ContentType"] == "text/plain" and head["Metadata"] == {}


def test_metadata_refused_shows_access_denied_with_the_rows_kept(app: App) -> None:
    _put(app, "report.csv", ContentType="text/plain")
    browser = signed_in_admin(app, A, "reader", policy=S3_READ)
    edit = object_url(BUCKET, "report.csv", "object-metadata")
    refused = browser.post(edit, **_metadata_form([("system", "Content-Type", "text/csv")], action="save"))
    page = text(refused)
    assert refused.status == 403 and "AccessDenied" in page and "s3:PutObject" in page
    assert 'value="text/csv"' in page
    assert s3(app, A, "HeadObject", Bucket=BUCKET, Key="report.csv")["ContentType"] == "text/plain"


def test_an_expires_date_without_its_zone_is_read_as_gmt(app: App) -> None:
    """An HTTP date is GMT (RFC 9110, section 5.6.7); "-0000" leaves the zone unsaid."""
    _put(app, "report.csv")
    browser = _admin(app)
    edit = object_url(BUCKET, "report.csv", "object-metadata")
    rows = [("system", "expires", "Thu, 01 Jan 2037 00:00:00 -0000")]  # the key in any case
    assert browser.post(edit, **_metadata_form(rows, action="save")).status == 303
    assert s3(app, A, "HeadObject", Bucket=BUCKET, Key="report.csv")["Expires"] == datetime(2037, 1, 1, tzinfo=UTC)
    page = browser.get(object_url(BUCKET, "report.csv"))
    assert page.status == 200 and "<td>Expires</td><td>Thu, 01 Jan 2037 00:00:00 GMT</td>" in text(page)

"""The S3 pages of "Getting started with Amazon S3" steps 4 and 5, without a browser: create a
folder, copy objects into it, empty the bucket, delete the bucket; each as the signed-in
principal, so the read-only role is refused what the API refuses it.

AWS (S3 User Guide): "Getting started with Amazon S3" (GetStartedWithS3.html; Step 4 "Copy
your object to a folder", Step 5 "Delete your objects and bucket": Empty asks to type
"permanently delete", Delete asks for the bucket's name); "Organizing objects in the Amazon S3
console using folders" (using-folders.html: a folder is a 0-byte object whose key ends with
"/"); "Copying objects" (copy-object.html, Using the S3 console); "Emptying a bucket"
(empty-bucket.html: "When you empty a bucket that has S3 Bucket Versioning enabled or
suspended, all versions of all the objects in the bucket are deleted."); "Deleting a bucket"
(delete-bucket.html: the "This bucket is not empty" alert links to the empty bucket
configuration). Amazon S3 API Reference: PutObject, CopyObject, ListObjectsV2,
ListObjectVersions, DeleteObjects, DeleteBucket (BucketNotEmpty, 409, "The bucket you tried to
delete is not empty").
"""

from __future__ import annotations

import hashlib
import html
import json

import pytest
from console_iam_page_harness import iam, s3, signed_in_admin
from console_page_harness import PASSWORD, ROLE, A, B, Browser, app, location, text

from iamsandbox.console.pages.s3 import bucket_url, object_url
from iamsandbox.errors import ServiceError
from iamsandbox.server.app import App
from iamsandbox.services.s3.versioning import new_version_id

__all__ = ["app"]

BUCKET = "/console/s3/buckets/shared-bucket"


def _admin(app: App) -> Browser:
    """A user of account A with AmazonS3FullAccess, signed in."""
    return signed_in_admin(app, A, "s3-admin", policy="arn:aws:iam::aws:policy/AmazonS3FullAccess")


def _role(app: App) -> Browser:
    """Alice of account B, switched to A's role with AmazonS3ReadOnlyAccess."""
    browser = Browser(app)
    browser.sign_in(account=B, user="alice", password=PASSWORD)
    assert browser.post("/console/switchrole", account=A, roleName=ROLE).status == 303
    return browser


def _put(app: App, key: str, body: bytes, bucket: str = "shared-bucket") -> None:
    with app.store.transaction() as tx:
        etag = '"' + hashlib.md5(body, usedforsecurity=False).hexdigest() + '"'
        tx.put_object(bucket, key, body, etag, "text/plain")


def _keys(app: App, bucket: str = "shared-bucket") -> list[str]:
    with app.store.read() as tx:
        return [found.key for found in tx.list_objects(bucket, limit=5000)]


def test_create_folder_puts_a_zero_byte_object_named_with_a_trailing_slash(app: App) -> None:
    browser = _admin(app)
    listing = text(browser.get(BUCKET))
    assert f'href="{BUCKET}/create-folder"' in listing and ">Create folder</a>" in listing
    form = browser.get(f"{BUCKET}/create-folder", prefix="docs/")
    assert form.status == 200 and 'value="docs/"' in text(form) and "Folder name" in text(form)

    done = browser.post(f"{BUCKET}/create-folder", name="favorite-pics", prefix="")
    assert done.status == 303 and location(done) == bucket_url("shared-bucket", folder="favorite-pics")
    nested = browser.post(f"{BUCKET}/create-folder", name="2017", prefix="docs/")
    assert location(nested) == bucket_url("shared-bucket", "docs/", folder="2017")
    with app.store.read() as tx:
        marker = tx.get_object("shared-bucket", "favorite-pics/")
        assert marker is not None and marker.size == 0
        assert tx.get_object("shared-bucket", "docs/2017/") is not None
    page = text(browser.get(BUCKET, folder="favorite-pics"))
    assert 'Successfully created folder "favorite-pics".' in page
    assert f'<a href="{bucket_url("shared-bucket", "favorite-pics/")}">favorite-pics/</a>' in page
    # The folder's own marker is not listed inside it.
    assert "You don't have any objects in this folder." in text(browser.get(BUCKET, prefix="favorite-pics/"))


def test_create_folder_refuses_a_slash_and_an_empty_name_and_stores_nothing(app: App) -> None:
    browser = _admin(app)
    slash = browser.post(f"{BUCKET}/create-folder", name="a/b", prefix="")
    assert slash.status == 400 and "Folder names can&#39;t contain &#34;/&#34;." in text(slash)
    assert 'value="a/b"' in text(slash)  # what was typed stays
    empty = browser.post(f"{BUCKET}/create-folder", name="  ", prefix="")
    assert empty.status == 400 and "Enter a folder name." in text(empty)
    assert _keys(app) == []


def test_copy_from_the_object_page_and_from_the_objects_actions(app: App) -> None:
    browser = _admin(app)
    _put(app, "photo.jpg", b"jpeg bytes")
    _put(app, "odd/a b+c%?.txt", b"odd key")
    assert f'href="{object_url("shared-bucket", "photo.jpg", "copy")}">Copy</a>' in text(
        browser.get(object_url("shared-bucket", "photo.jpg"))
    )
    form = browser.get(object_url("shared-bucket", "photo.jpg", "copy"))
    assert form.status == 200 and "s3://shared-bucket/photo.jpg" in text(form)
    assert 'name="key" value="photo.jpg"' in text(form) and "Destination" in text(form)

    # Step 4 of the tutorial: the object copied into the folder, under its own name.
    done = browser.post(f"{BUCKET}/copy", step="copy", key="photo.jpg", destination="s3://shared-bucket/favorite-pics/")
    assert done.status == 303 and location(done) == bucket_url("shared-bucket", "favorite-pics/", copied="1")
    assert "Successfully copied 1 object to s3://shared-bucket/favorite-pics/." in text(
        browser.get(BUCKET, prefix="favorite-pics/", copied="1")
    )
    # The Objects tab: each object has a check box in the Actions form; "Copy" shows the Copy page.
    listing = text(browser.get(BUCKET, prefix="odd/"))
    assert 'name="key" value="odd/a b+c%?.txt"' in listing and "<summary" in listing
    chosen = browser.post(f"{BUCKET}/copy", key="odd/a b+c%?.txt", prefix="odd/")
    assert chosen.status == 200 and html.escape("s3://shared-bucket/odd/a b+c%?.txt") in text(chosen)
    # A key S3 must see escaped in x-amz-copy-source, copied to another bucket's top level.
    with app.store.transaction() as tx:
        tx.create_bucket("other-bucket", A, "us-east-1")
    again = browser.post(f"{BUCKET}/copy", step="copy", key="odd/a b+c%?.txt", destination="s3://other-bucket")
    assert location(again) == bucket_url("other-bucket", copied="1")
    with app.store.read() as tx:
        copy = tx.get_object("shared-bucket", "favorite-pics/photo.jpg")
        assert copy is not None and copy.size == len(b"jpeg bytes")
        assert tx.read_object("other-bucket", "a b+c%?.txt") == b"odd key"
        assert tx.get_object("shared-bucket", "photo.jpg") is not None  # a copy, not a move


def test_copy_says_what_is_missing_and_shows_s3s_errors(app: App) -> None:
    browser = _admin(app)
    _put(app, "photo.jpg", b"x")
    nothing = browser.post(f"{BUCKET}/copy", prefix="")
    assert nothing.status == 400 and "Select the objects that you want to copy." in text(nothing)
    for bad in ("", "shared-bucket/favorite-pics/", "s3://", "s3://shared-bucket/favorite-pics"):
        answer = browser.post(f"{BUCKET}/copy", step="copy", key="photo.jpg", destination=bad)
        assert answer.status == 400 and "Enter a destination in the format s3://bucket/prefix/." in text(answer), bad
    missing = browser.post(f"{BUCKET}/copy", step="copy", key="photo.jpg", destination="s3://no-such-bucket-here/")
    assert missing.status == 404 and "NoSuchBucket" in text(missing)
    gone = browser.post(f"{BUCKET}/copy", step="copy", key="gone.jpg", destination="s3://shared-bucket/f/")
    assert gone.status == 404 and "NoSuchKey" in text(gone) and "Copy: status" in text(gone)
    # Onto itself: S3's InvalidRequest ("... trying to copy an object to itself ...").
    itself = browser.post(f"{BUCKET}/copy", step="copy", key="photo.jpg", destination="s3://shared-bucket/")
    assert itself.status == 400 and "InvalidRequest" in text(itself)


def test_empty_bucket_asks_for_permanently_delete_then_deletes_every_page_of_objects(app: App) -> None:
    browser = _admin(app)
    with app.store.transaction() as tx:
        for index in range(1003):  # more than one ListObjectsV2 page, one DeleteObjects request
            tx.put_object("shared-bucket", f"k/{index:04d}", b"", '"d41d8cd98f00b204e9800998ecf8427e"', None)
    form = browser.get(f"{BUCKET}/empty")
    assert form.status == 200 and "To confirm deletion, type &#34;permanently delete&#34;" in text(form)
    wrong = browser.post(f"{BUCKET}/empty", confirm="delete")
    assert wrong.status == 400 and len(_keys(app)) == 1003
    done = browser.post(f"{BUCKET}/empty", confirm="permanently delete")
    page = text(done)
    assert done.status == 200 and "Empty bucket: status" in page
    assert 'Successfully emptied bucket "shared-bucket".' in html.unescape(page)
    assert "<dt>Successfully deleted</dt><dd>1003 objects</dd>" in page
    assert _keys(app) == []
    with app.store.read() as tx:
        assert tx.get_bucket("shared-bucket") is not None  # emptied, kept


@pytest.mark.parametrize("status", ["Enabled", "Suspended"])
def test_empty_deletes_every_version_and_delete_marker_of_a_versioned_bucket(app: App, status: str) -> None:
    """ "Emptying a bucket": with versioning enabled or suspended, all versions are deleted, so
    the bucket can then be deleted; more than one ListObjectVersions page and DeleteObjects
    request."""
    browser = _admin(app)
    _put(app, "before-versioning.txt", b"null version")
    s3(app, A, "PutBucketVersioning", Bucket="shared-bucket", VersioningConfiguration={"Status": "Enabled"})
    s3(app, A, "PutObject", Bucket="shared-bucket", Key="photo.jpg", Body=b"one")
    s3(app, A, "PutObject", Bucket="shared-bucket", Key="photo.jpg", Body=b"two")
    s3(app, A, "DeleteObject", Bucket="shared-bucket", Key="before-versioning.txt")  # a delete marker
    with app.store.transaction() as tx:
        for index in range(1001):
            etag = '"d41d8cd98f00b204e9800998ecf8427e"'
            tx.put_object("shared-bucket", f"k/{index:04d}", b"", etag, None, version_id=new_version_id())
    s3(app, A, "PutBucketVersioning", Bucket="shared-bucket", VersioningConfiguration={"Status": status})
    done = browser.post(f"{BUCKET}/empty", confirm="permanently delete")
    page = text(done)
    assert done.status == 200, page
    assert "<dt>Successfully deleted</dt><dd>1005 objects</dd>" in page  # 1 + 2 + 1 marker + 1001
    listing = s3(app, A, "ListObjectVersions", Bucket="shared-bucket")
    assert "Versions" not in listing and "DeleteMarkers" not in listing
    assert browser.post(f"{BUCKET}/delete-bucket", confirm="shared-bucket").status == 303
    with pytest.raises(ServiceError) as gone:
        s3(app, A, "HeadBucket", Bucket="shared-bucket")
    assert gone.value.code in ("NoSuchBucket", "NotFound")


def test_empty_lists_the_versions_s3_refuses_and_the_bucket_stays(app: App) -> None:
    """DeleteObjects answers each version the principal may not delete (no
    s3:DeleteObjectVersion) in Errors: listed on "Empty bucket: status" with S3's message."""
    browser = _admin(app)
    deny = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Deny", "Action": "s3:DeleteObjectVersion", "Resource": "*"}],
    }
    with app.store.transaction() as tx:
        user = tx.get_user(A, "s3-admin")
        assert user is not None
        tx.put_inline_policy(user.id, "no-version-deletes", json.dumps(deny))
    s3(app, A, "PutBucketVersioning", Bucket="shared-bucket", VersioningConfiguration={"Status": "Enabled"})
    put = s3(app, A, "PutObject", Bucket="shared-bucket", Key="photo.jpg", Body=b"one")
    refused = browser.post(f"{BUCKET}/empty", confirm="permanently delete")
    page = html.unescape(text(refused))
    assert refused.status == 403 and 'Failed to empty bucket "shared-bucket"' in page
    assert (
        f"<td>photo.jpg</td><td>{put['VersionId']}</td><td>AccessDenied: User: arn:aws:iam::{A}:user/s3-admin is not"
        ' authorized to perform: s3:DeleteObjectVersion on resource: "arn:aws:s3:::shared-bucket/photo.jpg"'
    ) in page
    assert [v["Key"] for v in s3(app, A, "ListObjectVersions", Bucket="shared-bucket")["Versions"]] == ["photo.jpg"]
    assert browser.post(f"{BUCKET}/delete-bucket", confirm="shared-bucket").status == 409


def test_delete_bucket_asks_for_the_name_and_sends_a_bucket_with_objects_to_empty_it(app: App) -> None:
    browser = _admin(app)
    _put(app, "photo.jpg", b"x")
    wrong = browser.post(f"{BUCKET}/delete-bucket", confirm="permanently delete")
    assert wrong.status == 400 and "enter the name of the bucket" in text(wrong)
    full = browser.post(f"{BUCKET}/delete-bucket", confirm="shared-bucket")
    page = text(full)
    assert full.status == 409
    assert "BucketNotEmpty" in page and "The bucket you tried to delete is not empty" in page
    assert "This bucket is not empty." in page and f'<a href="{BUCKET}/empty">empty bucket configuration</a>' in page
    assert browser.post(f"{BUCKET}/empty", confirm="permanently delete").status == 200
    done = browser.post(f"{BUCKET}/delete-bucket", confirm="shared-bucket")
    assert done.status == 303 and location(done) == "/console/s3?deleted=shared-bucket"
    assert 'Successfully deleted bucket "shared-bucket".' in html.unescape(
        text(browser.get("/console/s3", deleted="shared-bucket"))
    )
    with app.store.read() as tx:
        assert tx.get_bucket("shared-bucket") is None
    assert browser.get(f"{BUCKET}/delete-bucket").status == 200  # the form; DeleteBucket then says NoSuchBucket
    assert browser.post(f"{BUCKET}/delete-bucket", confirm="shared-bucket").status == 404


def test_the_bucket_list_chooses_a_bucket_to_empty_or_delete(app: App) -> None:
    browser = _admin(app)
    listing = text(browser.get("/console/s3"))
    assert 'type="radio" form="buckets-form" name="bucket" value="shared-bucket"' in listing
    assert location(browser.get("/console/s3/selected", bucket="shared-bucket", action="empty")) == f"{BUCKET}/empty"
    assert location(browser.get("/console/s3/selected", bucket="shared-bucket", action="delete")) == (
        f"{BUCKET}/delete-bucket"
    )
    none = browser.get("/console/s3/selected", action="delete")
    assert none.status == 400 and "Select a bucket." in text(none)


def test_the_read_only_role_is_refused_every_step_and_nothing_changes(app: App) -> None:
    _put(app, "photo.jpg", b"x")
    browser = _role(app)
    who = f"User: arn:aws:sts::{A}:assumed-role/{ROLE}/alice is not authorized to perform:"
    folder = browser.post(f"{BUCKET}/create-folder", name="favorite-pics", prefix="")
    assert folder.status == 403
    assert f"{who} s3:PutObject on resource: &#34;arn:aws:s3:::shared-bucket/favorite-pics/&#34;" in text(folder)
    copied = browser.post(f"{BUCKET}/copy", step="copy", key="photo.jpg", destination="s3://shared-bucket/f/")
    assert copied.status == 403 and f"{who} s3:PutObject" in text(copied)
    # ListObjectsV2 is allowed; DeleteObjects deletes nothing (S3's AccessDenied).
    emptied = browser.post(f"{BUCKET}/empty", confirm="permanently delete")
    assert emptied.status == 403 and "AccessDenied" in text(emptied)
    deleted = browser.post(f"{BUCKET}/delete-bucket", confirm="shared-bucket")
    assert deleted.status == 403 and f"{who} s3:DeleteBucket" in text(deleted)
    assert _keys(app) == ["photo.jpg"]
    with app.store.read() as tx:
        assert tx.get_bucket("shared-bucket") is not None


def test_every_new_form_needs_the_csrf_token(app: App) -> None:
    browser = _admin(app)
    _put(app, "photo.jpg", b"x")
    posts = [
        (f"{BUCKET}/create-folder", {"name": "f", "prefix": ""}),
        (f"{BUCKET}/copy", {"step": "copy", "key": "photo.jpg", "destination": "s3://shared-bucket/f/"}),
        (f"{BUCKET}/empty", {"confirm": "permanently delete"}),
        (f"{BUCKET}/delete-bucket", {"confirm": "shared-bucket"}),
    ]
    for path, form in posts:
        assert browser.post(path, csrf=False, **form).status == 403, path
    assert _keys(app) == ["photo.jpg"]


@pytest.mark.parametrize("count", ["\u00b2", "12345678", "-1", "x"])
def test_a_count_in_the_query_that_is_not_a_small_number_shows_no_message(app: App, count: str) -> None:
    """``copied=`` (and ``deleted=``) only carry the console's own redirects: anything else,
    "²" included (a digit to str.isdigit, not to int), is ignored, never a 500."""
    page = _admin(app).get(BUCKET, copied=count)
    assert page.status == 200 and "Successfully copied" not in text(page)


def test_a_bucket_opens_only_with_s3_get_bucket_location(app: App) -> None:
    """ "When you choose a bucket on the Amazon S3 console, the console first sends the GET
    Bucket location request ... if users are going to use the console, you must grant
    permission for the s3:GetBucketLocation action" ("Controlling access to a bucket with
    user policies", S3 User Guide, Step 4.2): with ListAllMyBuckets and the walkthrough's
    ListBucket on the root level only, the bucket's folders are not listed until
    s3:GetBucketLocation is granted too."""
    _put(app, "Development/project1.xls", b"x")
    _put(app, "s3-dg.pdf", b"y")
    root_level = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "arn:aws:s3:::*"},
            {
                "Effect": "Allow",
                "Action": "s3:ListBucket",
                "Resource": "arn:aws:s3:::shared-bucket",
                "Condition": {"StringEquals": {"s3:prefix": [""], "s3:delimiter": ["/"]}},
            },
        ],
    }
    browser = signed_in_admin(app, A, "carol", policy=None)
    iam(app, A, "PutUserPolicy", UserName="carol", PolicyName="root-level", PolicyDocument=json.dumps(root_level))
    refused = browser.get(BUCKET)
    assert refused.status == 403
    page = html.unescape(text(refused))
    assert "is not authorized to perform: s3:GetBucketLocation" in page and "s3-dg.pdf" not in page
    located = {
        **root_level,
        "Statement": [
            *root_level["Statement"],
            {"Effect": "Allow", "Action": "s3:GetBucketLocation", "Resource": "arn:aws:s3:::shared-bucket"},
        ],
    }
    iam(app, A, "PutUserPolicy", UserName="carol", PolicyName="root-level", PolicyDocument=json.dumps(located))
    listed = html.unescape(text(browser.get(BUCKET)))
    assert "Development/" in listed and "s3-dg.pdf" in listed


def test_a_bucket_policy_that_cannot_be_read_is_not_offered_as_an_empty_one(app: App) -> None:
    """The Permissions tab as a user without s3:GetBucketPolicy ("Example 1: Bucket owner
    granting its users bucket permissions": Dave may not read the bucket policy): S3's
    AccessDenied in the Bucket policy panel, and no empty Policy box to save over the policy
    the bucket has (found by a review that followed the walkthrough)."""
    s3(app, A, "PutBucketPolicy", Bucket="shared-bucket", Policy=json.dumps(_a_bucket_policy()))
    reader = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": ["s3:GetBucketLocation", "s3:ListBucket", "s3:GetBucketPublicAccessBlock"],
                "Resource": "*",
            }
        ],
    }
    browser = signed_in_admin(app, A, "dave", policy=None)
    iam(app, A, "PutUserPolicy", UserName="dave", PolicyName="reader", PolicyDocument=json.dumps(reader))
    page = html.unescape(text(browser.get(BUCKET + "/permissions")))
    assert "is not authorized to perform: s3:GetBucketPolicy" in page
    assert 'name="policy"' not in page and "Save changes" not in page


def _a_bucket_policy() -> dict[str, object]:
    """A bucket policy (any will do: the user may not read it)."""
    statement = {
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:DeleteBucket",
        "Resource": "arn:aws:s3:::shared-bucket",
    }
    return {"Version": "2012-10-17", "Statement": [statement]}

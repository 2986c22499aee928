"""The S3 console procedures of the S3 User Guide that act on chosen objects and folders,
upload several files, and create a bucket with its settings, without a browser; each step
is the S3 API as the signed-in principal, so the read-only role is refused what the API
refuses it.

AWS (S3 User Guide): "Downloading objects" (select the object's check box, Download, or
Actions, "Download as"); "Deleting a single object" / "Deleting multiple objects" (type
"permanently delete", then "Delete objects: status"); "Organizing objects in the Amazon S3
console by using folders", Deleting folders (every object under the folder is deleted);
"Creating a general purpose bucket" (AWS Region, Object Ownership, Block Public Access
settings for this bucket and the acknowledgement, Bucket Versioning, Tags, Default
encryption). Amazon S3 API Reference: ListObjectsV2, DeleteObjects, CreateBucket
(LocationConstraint, x-amz-object-ownership), PutPublicAccessBlock, PutBucketVersioning,
PutBucketTagging, PutBucketEncryption.
"""

from __future__ import annotations

import hashlib
import html
import json
from datetime import UTC, datetime
from typing import Any

from console_iam_page_harness import ADMIN_PASSWORD, signed_in_admin
from console_page_harness import PASSWORD, ROLE, A, B, Browser, app, location, text

from iamsandbox.console.calls import invoke
from iamsandbox.console.pages.s3 import bucket_url, object_url
from iamsandbox.console.session import new_session
from iamsandbox.server.app import App
from iamsandbox.store import hash_password

__all__ = ["app"]

BUCKET = "/console/s3/buckets/shared-bucket"
ACKNOWLEDGE = (
    "I acknowledge that the current settings might result in this bucket and the objects within becoming public."
)


def _admin(app: App) -> Browser:
    return signed_in_admin(app, A, "s3-admin", policy="arn:aws:iam::aws:policy/AmazonS3FullAccess")


def _role(app: App) -> Browser:
    browser = Browser(app)
    browser.sign_in(account=B, user="alice", password=PASSWORD)
    assert browser.post("/console/switchrole", account=A, roleName=ROLE).status == 303
    return browser


def _put(app: App, *keys: str) -> None:
    with app.store.transaction() as tx:
        for key in keys:
            body = key.encode()
            tx.put_object("shared-bucket", key, body, '"' + hashlib.md5(body, usedforsecurity=False).hexdigest() + '"')


def _keys(app: App, bucket: str = "shared-bucket") -> list[str]:
    with app.store.read() as tx:
        return sorted(found.key for found in tx.list_objects(bucket, limit=5000))


def _s3(app: App, operation: str, **params: Any) -> dict[str, Any]:
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


# --- the Objects tab's selection -----------------------------------------------------------------


def test_objects_and_folders_have_check_boxes_and_the_toolbar_acts_on_them(app: App) -> None:
    _put(app, "docs/a.txt", "photo.jpg")
    page = text(_admin(app).get(BUCKET))
    assert 'name="folder" value="docs/" aria-label="Select docs/"' in page
    assert 'name="key" value="photo.jpg" aria-label="Select photo.jpg"' in page
    for action, label in (
        ("download", "Download"),
        ("delete", "Delete"),
        ("copy", "Copy"),
        ("download-as", "Download as"),
    ):
        assert f'form="objects-form" name="action" value="{action}"' in page and f">{label}</button>" in page
    assert f'action="{BUCKET}/selection"' in page


def test_download_of_the_chosen_object_and_download_as_a_name(app: App) -> None:
    browser = _admin(app)
    _put(app, "docs/a.txt", "..")
    chosen = browser.post(f"{BUCKET}/selection", action="download", key="docs/a.txt", prefix="docs/")
    assert chosen.status == 303 and location(chosen) == object_url("shared-bucket", "docs/a.txt", "download")
    assert browser.get(location(chosen)).body == b"docs/a.txt"
    for bad in ({"key": ["docs/a.txt", ".."]}, {"folder": "docs/"}, {}):
        refused = browser.post(f"{BUCKET}/selection", action="download", **bad)
        assert refused.status == 400 and "Select one object to download." in text(refused), bad
    form = browser.post(f"{BUCKET}/selection", action="download-as", key="docs/a.txt")
    assert (
        form.status == 200
        and 'method="get"' in text(form)
        and 'name="filename" type="text" value="a.txt"' in text(form)
    )
    saved = browser.get(object_url("shared-bucket", "docs/a.txt", "download"), filename="notes 1.txt")
    assert saved.body == b"docs/a.txt"
    assert (
        dict(saved.headers)["content-disposition"]
        == "attachment; filename=\"notes_1.txt\"; filename*=UTF-8''notes%201.txt"
    )
    # A key in the query ("..", see s3.object_url) travels as a hidden field of the GET form.
    dots = text(browser.post(f"{BUCKET}/selection", action="download-as", key=".."))
    assert '<input type="hidden" name="key" value="..">' in dots


def test_delete_of_objects_and_a_folder_lists_them_and_deletes_every_object_under_the_folder(app: App) -> None:
    browser = _admin(app)
    _put(app, "docs/", "docs/a.txt", "docs/sub/b.txt", "docs-not-in/c.txt", "photo.jpg", "keep.txt")
    confirm = browser.post(f"{BUCKET}/selection", action="delete", key="photo.jpg", folder="docs/", prefix="")
    page = text(confirm)
    assert confirm.status == 200 and "Specified objects" in page
    assert "<code>s3://shared-bucket/docs/</code>" in page and "<code>s3://shared-bucket/photo.jpg</code>" in page
    assert "all objects in the folder will be deleted" in page
    assert 'name="folder" value="docs/"' in page and 'name="key" value="photo.jpg"' in page
    wrong = browser.post(f"{BUCKET}/delete-objects", key="photo.jpg", folder="docs/", confirm="delete")
    assert wrong.status == 400 and len(_keys(app)) == 6
    done = browser.post(f"{BUCKET}/delete-objects", key="photo.jpg", folder="docs/", confirm="permanently delete")
    page = text(done)
    assert done.status == 200 and "Delete objects: status" in page and "Successfully deleted 4 objects." in page
    assert _keys(app) == ["docs-not-in/c.txt", "keep.txt"]
    assert f'href="{bucket_url("shared-bucket")}">Close</a>' in page
    nothing = browser.post(f"{BUCKET}/selection", action="delete")
    assert nothing.status == 400 and "Select the objects or folders that you want to delete." in text(nothing)


def test_the_read_only_role_is_refused_the_deletes_and_nothing_changes(app: App) -> None:
    _put(app, "docs/a.txt", "photo.jpg")
    browser = _role(app)
    # ListObjectsV2 is allowed, DeleteObjects refuses each key with AccessDenied.
    done = browser.post(f"{BUCKET}/delete-objects", key="photo.jpg", folder="docs/", confirm="permanently delete")
    page = html.unescape(text(done))
    assert done.status == 403 and "Failed to delete 2 objects." in page
    who = f"User: arn:aws:sts::{A}:assumed-role/{ROLE}/alice is not authorized to perform: s3:DeleteObject"
    assert f'<td>docs/a.txt</td><td>AccessDenied: {who} on resource: "arn:aws:s3:::shared-bucket/docs/a.txt"' in page
    assert _keys(app) == ["docs/a.txt", "photo.jpg"]
    assert (
        browser.post(f"{BUCKET}/delete-objects", csrf=False, key="photo.jpg", confirm="permanently delete").status
        == 403
    )


def test_a_versioned_buckets_selection_delete_asks_for_delete_and_adds_delete_markers(app: App) -> None:
    browser = _admin(app)
    _put(app, "docs/a.txt")
    _s3(app, "PutBucketVersioning", Bucket="shared-bucket", VersioningConfiguration={"Status": "Enabled"})
    assert "<h2>Delete objects?</h2>" in text(browser.post(f"{BUCKET}/selection", action="delete", folder="docs/"))
    assert browser.post(f"{BUCKET}/delete-objects", folder="docs/", confirm="delete").status == 200
    versions = _s3(app, "ListObjectVersions", Bucket="shared-bucket")
    assert [marker["Key"] for marker in versions.get("DeleteMarkers", [])] == ["docs/a.txt"]


# --- Create bucket -----------------------------------------------------------------------------------


def _create(browser: Browser, **form: str | list[str]) -> Any:
    fields: dict[str, str | list[str]] = {
        "region": "us-east-1",
        "ownership": "acls-disabled",
        "block_all": "on",
        "versioning": "Disabled",
        "tag_key": "",
        "tag_value": "",
        "encryption": "AES256",
        "bucket_key": "Enabled",
        "action": "create",
    }
    return browser.post("/console/s3/buckets", **(fields | form))


def test_the_bucket_list_links_to_the_create_bucket_page_with_aws_defaults(app: App) -> None:
    browser = _admin(app)
    listing = text(browser.get("/console/s3"))
    assert '<a class="button primary" href="/console/s3/bucket/create">Create bucket</a>' in listing
    assert '<a href="/console/s3" aria-current="page">General purpose buckets</a>' in listing
    form = text(browser.get("/console/s3/bucket/create"))
    assert '<option value="us-east-1" selected>US East (N. Virginia) us-east-1</option>' in form
    assert 'value="acls-disabled" checked' in form and "ACLs disabled (recommended)" in form
    assert 'id="f-block_all" name="block_all" checked' in form and html.escape(ACKNOWLEDGE) in form
    assert 'value="Disabled" checked' in form and "Tags - optional" in form
    assert 'value="AES256" checked' in form
    assert "Server-side encryption with Amazon S3 managed keys (SSE-S3)" in form
    # "General purpose buckets" on every S3 page.
    assert '<a href="/console/s3"' in text(browser.get(BUCKET)) and "General purpose buckets" in text(
        browser.get(BUCKET)
    )


def test_create_bucket_applies_each_setting_with_its_own_call(app: App) -> None:
    browser = _admin(app)
    more = _create(browser, bucket="made-here", tag_key="team", tag_value="blue", action="addtag")
    assert more.status == 200 and text(more).count('name="tag_key"') == 2 and 'value="team"' in text(more)
    done = _create(
        browser,
        bucket="made-here",
        region="eu-west-1",
        ownership="acls-enabled",
        ownership_with_acls="ObjectWriter",
        versioning="Enabled",
        tag_key=["team", "", "cost"],
        tag_value=["blue", "", ""],
        encryption="aws:kms",
        kms_key="arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        bucket_key="Disabled",
    )
    assert done.status == 303 and location(done) == bucket_url("made-here", created="1")
    assert _s3(app, "GetBucketLocation", Bucket="made-here")["LocationConstraint"] == "eu-west-1"
    ownership = _s3(app, "GetBucketOwnershipControls", Bucket="made-here")["OwnershipControls"]["Rules"]
    assert ownership == [{"ObjectOwnership": "ObjectWriter"}]
    assert _s3(app, "GetBucketVersioning", Bucket="made-here")["Status"] == "Enabled"
    tags = _s3(app, "GetBucketTagging", Bucket="made-here")["TagSet"]
    assert tags == [{"Key": "team", "Value": "blue"}, {"Key": "cost", "Value": ""}]
    rule = _s3(app, "GetBucketEncryption", Bucket="made-here")["ServerSideEncryptionConfiguration"]["Rules"][0]
    assert rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
    assert rule["ApplyServerSideEncryptionByDefault"]["KMSMasterKeyID"].endswith("1234567890ab")
    assert rule["BucketKeyEnabled"] is False
    block = _s3(app, "GetPublicAccessBlock", Bucket="made-here")["PublicAccessBlockConfiguration"]
    assert block == dict.fromkeys(
        ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"), True
    )


def test_turning_off_block_public_access_needs_the_acknowledgement(app: App) -> None:
    browser = _admin(app)
    fields = {"block_all": "", "BlockPublicAcls": "on", "IgnorePublicAcls": "on"}
    refused = _create(browser, bucket="public-one", **fields)
    assert refused.status == 400 and "acknowledge" in text(refused)
    assert 'value="public-one"' in text(refused)  # what was filled in stays
    with app.store.read() as tx:
        assert tx.get_bucket("public-one") is None
    done = _create(browser, bucket="public-one", acknowledge="on", **fields)
    assert done.status == 303
    block = _s3(app, "GetPublicAccessBlock", Bucket="public-one")["PublicAccessBlockConfiguration"]
    assert block == {
        "BlockPublicAcls": True,
        "IgnorePublicAcls": True,
        "BlockPublicPolicy": False,
        "RestrictPublicBuckets": False,
    }
    assert "Status" not in _s3(app, "GetBucketVersioning", Bucket="public-one")  # Disable: never set
    ownership = _s3(app, "GetBucketOwnershipControls", Bucket="public-one")["OwnershipControls"]["Rules"]
    assert ownership == [{"ObjectOwnership": "BucketOwnerEnforced"}]
    assert _s3(app, "GetBucketLocation", Bucket="public-one").get("LocationConstraint") in (None, "")


def test_a_refused_setting_leaves_the_bucket_and_says_which_call_failed(app: App) -> None:
    """A user allowed CreateBucket and PutBucketPublicAccessBlock but not PutBucketTagging."""
    allow = ["s3:CreateBucket", "s3:ListAllMyBuckets", "s3:PutBucketPublicAccessBlock", "s3:PutEncryptionConfiguration"]
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": allow, "Resource": "*"}]}
    with app.store.transaction() as tx:
        user = tx.create_user(A, "creator")
        tx.put_inline_policy(user.id, "create", json.dumps(policy))
        tx.set_login_profile(user.id, hash_password(ADMIN_PASSWORD), reset_required=False)
    browser = Browser(app)
    assert browser.sign_in(A, "creator", ADMIN_PASSWORD).status == 303
    answer = _create(browser, bucket="half-made", tag_key="team", tag_value="blue")
    page = html.unescape(text(answer))
    assert answer.status == 403 and 'Successfully created bucket "half-made".' in page
    assert "PutBucketTagging failed" in page and "s3:PutBucketTagging" in page
    with app.store.read() as tx:
        assert tx.get_bucket("half-made") is not None


def test_the_read_only_role_is_refused_create_bucket_with_s3s_message(app: App) -> None:
    refused = _create(_role(app), bucket="role-made")
    assert refused.status == 403 and "s3:CreateBucket" in text(refused)
    assert "<h1>Create bucket</h1>" in text(refused) and 'value="role-made"' in text(refused)

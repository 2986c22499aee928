"""The S3 console's Move, Copy of whole folders, and "Browse S3", without a browser; each step
is the S3 API as the signed-in principal, so what S3 refuses the page shows, and a Move whose
delete S3 refuses leaves the copy it made and the source.

AWS (S3 User Guide): "Copying, moving, and renaming objects" (copy-object.html: "When you move
an object, Amazon S3 copies the object to the specified destination and then deletes the source
object"; Using the S3 console, "To move objects": Actions, Move, the destination typed or with
"Browse S3" and "Choose destination", then Move; the console's move "adds a delete marker to the
original object" in a versioned bucket); "Organizing objects in the Amazon S3 console using
folders" (using-folders.html: a folder is a shared key prefix; "When you use the console to copy
an object named with a trailing /, a new folder is created in the destination location, but
the object's data and metadata are not copied"). Amazon S3 API Reference: CopyObject (copying
an object onto itself without changing anything is InvalidRequest), DeleteObject,
ListObjectsV2, ListBuckets.
"""

from __future__ import annotations

import hashlib
import html
import json

from console_iam_page_harness import s3, signed_in_admin
from console_page_harness import PASSWORD, ROLE, A, B, Browser, app, location, text

from iamsandbox.console.pages.s3 import bucket_url
from iamsandbox.server.app import App

__all__ = ["app"]

BUCKET = "/console/s3/buckets/shared-bucket"
WHO = f"arn:aws:iam::{A}:user/"


def _admin(app: App) -> Browser:
    return signed_in_admin(app, A, "s3-admin", policy="arn:aws:iam::aws:policy/AmazonS3FullAccess")


def _user_with(app: App, name: str, actions: list[str]) -> Browser:
    """An IAM user of account A allowed only ``actions`` on every S3 resource, signed in."""
    document = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]}
    with app.store.transaction() as tx:
        policy = tx.create_policy(A, f"{name}-policy", json.dumps(document))
    return signed_in_admin(app, A, name, policy=policy.arn)


def _role(app: App) -> Browser:
    """Alice of account B, switched to A's role with AmazonS3ReadOnlyAccess."""
    browser = Browser(app)
    browser.sign_in(account=B, user="alice", password=PASSWORD)
    assert browser.post("/console/switchrole", account=A, roleName=ROLE).status == 303
    return browser


def _put(app: App, *keys: str, bucket: str = "shared-bucket") -> None:
    """Each key with its own name as its bytes (a folder marker: none)."""
    with app.store.transaction() as tx:
        for key in keys:
            body = b"" if key.endswith("/") else key.encode()
            tx.put_object(bucket, key, body, '"' + hashlib.md5(body, usedforsecurity=False).hexdigest() + '"')


def _bucket(app: App, name: str) -> None:
    with app.store.transaction() as tx:
        tx.create_bucket(name, A, "us-east-1")


def _keys(app: App, bucket: str = "shared-bucket") -> list[str]:
    with app.store.read() as tx:
        return sorted(found.key for found in tx.list_objects(bucket, limit=5000))


def _body(app: App, bucket: str, key: str) -> bytes | None:
    with app.store.read() as tx:
        return tx.read_object(bucket, key)


# --- Move -------------------------------------------------------------------------------------


def test_the_actions_menu_offers_move_and_the_move_page_warns_what_moving_does(app: App) -> None:
    _put(app, "docs/a.txt", "photo.jpg")
    browser = _admin(app)
    listing = text(browser.get(BUCKET))
    assert 'form="objects-form" name="action" value="move">Move</button>' in listing
    form = browser.post(f"{BUCKET}/selection", action="move", key="photo.jpg", folder="docs/", prefix="")
    page = text(form)
    assert form.status == 200 and "<h1>Move</h1>" in page
    assert "<code>s3://shared-bucket/docs/</code>" in page and "<code>s3://shared-bucket/photo.jpg</code>" in page
    assert 'name="folder" value="docs/"' in page and 'name="key" value="photo.jpg"' in page
    assert f'action="{BUCKET}/move"' in page and 'name="step" value="move"' in page
    assert "Objects with the same name in the destination are overwritten." in page
    assert "the source objects are deleted" in page
    assert ">Browse S3</button>" in page
    nothing = browser.post(f"{BUCKET}/selection", action="move", prefix="")
    assert nothing.status == 400 and "Select the objects that you want to move." in text(nothing)
    assert _keys(app) == ["docs/a.txt", "photo.jpg"]  # showing the page moved nothing


def test_move_an_object_to_another_bucket_copies_it_then_deletes_the_source(app: App) -> None:
    _put(app, "pics/photo.jpg", "pics/keep.jpg")
    _bucket(app, "other-bucket")
    browser = _admin(app)
    done = browser.post(f"{BUCKET}/move", step="move", key="pics/photo.jpg", destination="s3://other-bucket/saved/")
    page = html.unescape(text(done))
    assert done.status == 200 and "<h1>Move: status</h1>" in page
    assert "Successfully moved 1 object to s3://other-bucket/saved/." in page
    assert "<dt>Succeeded</dt><dd>1 object</dd>" in page and "<dt>Failed</dt><dd>0 objects</dd>" in page
    assert f'href="{bucket_url("shared-bucket", "pics/")}">Close</a>' in page
    assert _body(app, "other-bucket", "saved/photo.jpg") == b"pics/photo.jpg"
    assert _keys(app) == ["pics/keep.jpg"]


def test_copy_and_move_keep_the_storage_class_and_encryption(app: App) -> None:
    """ "When you copy an object using the console, user-controlled system metadata and
    user-defined metadata are also copied" ("Copying objects", S3 User Guide); the storage class
    and the server-side encryption are user-controlled ("Working with object metadata"). A bare
    CopyObject would make the copy STANDARD with the bucket's default encryption."""
    key_id = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    settings = {"StorageClass": "STANDARD_IA", "ServerSideEncryption": "aws:kms", "SSEKMSKeyId": key_id}
    s3(app, A, "PutObject", Bucket="shared-bucket", Key="ia/a.txt", Body=b"a", Metadata={"m": "1"}, **settings)
    s3(app, A, "PutObject", Bucket="shared-bucket", Key="ia/b.txt", Body=b"b", **settings)
    _bucket(app, "other-bucket")
    browser = _admin(app)
    assert browser.post(f"{BUCKET}/copy", step="copy", key="ia/a.txt", destination="s3://other-bucket/").status == 303
    moved = browser.post(f"{BUCKET}/move", step="move", key="ia/b.txt", destination="s3://other-bucket/")
    assert moved.status == 200
    for key in ("a.txt", "b.txt"):
        head = s3(app, A, "HeadObject", Bucket="other-bucket", Key=key)
        assert (head.get("StorageClass"), head.get("ServerSideEncryption"), head.get("SSEKMSKeyId")) == (
            "STANDARD_IA",
            "aws:kms",
            key_id,
        )
    assert s3(app, A, "HeadObject", Bucket="other-bucket", Key="a.txt")["Metadata"] == {"m": "1"}


def test_move_in_a_versioned_bucket_adds_a_delete_marker_to_the_original(app: App) -> None:
    """ "This action creates a copy of all specified objects ... and adds a delete marker to the
    original object" (copy-object.html, To move objects, Note)."""
    s3(app, A, "PutBucketVersioning", Bucket="shared-bucket", VersioningConfiguration={"Status": "Enabled"})
    s3(app, A, "PutObject", Bucket="shared-bucket", Key="a.txt", Body=b"first")
    browser = _admin(app)
    assert browser.post(f"{BUCKET}/move", step="move", key="a.txt", destination="s3://shared-bucket/f/").status == 200
    versions = s3(app, A, "ListObjectVersions", Bucket="shared-bucket", Prefix="a.txt")
    assert [marker["Key"] for marker in versions.get("DeleteMarkers", [])] == ["a.txt"]
    assert [version["Key"] for version in versions.get("Versions", [])] == ["a.txt"]  # kept as noncurrent
    assert s3(app, A, "GetObject", Bucket="shared-bucket", Key="f/a.txt")["Body"] == b"first"


def test_a_move_whose_delete_s3_refuses_keeps_the_source_and_the_copy(app: App) -> None:
    _put(app, "report.csv", "docs/a.txt")
    _bucket(app, "other-bucket")
    browser = _user_with(app, "mover", ["s3:GetObject", "s3:PutObject", "s3:ListBucket", "s3:GetBucketLocation"])
    answer = browser.post(
        f"{BUCKET}/move", step="move", key="report.csv", folder="docs/", destination="s3://other-bucket/"
    )
    page = html.unescape(text(answer))
    assert answer.status == 403 and "<h1>Move: status</h1>" in page
    assert "<dt>Succeeded</dt><dd>0 objects</dd>" in page and "<dt>Failed</dt><dd>2 objects</dd>" in page
    refused = (
        f"AccessDenied: User: {WHO}mover is not authorized to perform: s3:DeleteObject on resource: "
        '"arn:aws:s3:::shared-bucket/report.csv"'
    )
    assert f"<td>report.csv</td><td>{refused}" in page
    assert "the source object was not deleted" in page and "Successfully moved" not in page
    assert _keys(app) == ["docs/a.txt", "report.csv"]
    assert _keys(app, "other-bucket") == ["docs/a.txt", "report.csv"]


def test_a_refused_copy_deletes_nothing(app: App) -> None:
    _put(app, "photo.jpg")
    browser = _role(app)  # AmazonS3ReadOnlyAccess: CopyObject is refused s3:PutObject
    answer = browser.post(f"{BUCKET}/move", step="move", key="photo.jpg", destination="s3://shared-bucket/f/")
    page = html.unescape(text(answer))
    assert answer.status == 403 and "is not authorized to perform: s3:PutObject" in page
    assert "the source object was not deleted" not in page  # nothing was copied
    assert _keys(app) == ["photo.jpg"]


def test_a_folder_moves_with_every_object_under_it_keeping_its_relative_keys(app: App) -> None:
    _put(app, "docs/", "docs/a.txt", "docs/sub/b.txt", "docs/sub/deeper/c.txt", "docs-not-in/d.txt", "keep.txt")
    _bucket(app, "other-bucket")
    browser = _admin(app)
    done = browser.post(f"{BUCKET}/move", step="move", folder="docs/", destination="s3://other-bucket/archive/")
    assert done.status == 200 and "Successfully moved 4 objects to s3://other-bucket/archive/." in html.unescape(
        text(done)
    )
    assert _keys(app, "other-bucket") == [
        "archive/docs/",
        "archive/docs/a.txt",
        "archive/docs/sub/b.txt",
        "archive/docs/sub/deeper/c.txt",
    ]
    assert _body(app, "other-bucket", "archive/docs/sub/deeper/c.txt") == b"docs/sub/deeper/c.txt"
    assert _keys(app) == ["docs-not-in/d.txt", "keep.txt"]


def test_a_subfolder_moves_under_the_destination_by_its_own_name(app: App) -> None:
    """A folder without a marker object (only implied by its objects' keys) moves all the same."""
    _put(app, "docs/sub/b.txt", "docs/sub/more/c.txt", "docs/a.txt")
    browser = _admin(app)
    done = browser.post(f"{BUCKET}/move", step="move", folder="docs/sub/", destination="s3://shared-bucket/")
    assert done.status == 200
    assert _keys(app) == ["docs/a.txt", "sub/b.txt", "sub/more/c.txt"]


def test_a_folder_is_not_moved_into_itself(app: App) -> None:
    _put(app, "docs/", "docs/a.txt", "docs/sub/b.txt")
    browser = _admin(app)
    for inside in ("s3://shared-bucket/docs/", "s3://shared-bucket/docs/sub/"):
        refused = browser.post(f"{BUCKET}/move", step="move", folder="docs/", destination=inside)
        assert refused.status == 400 and "A folder can&#39;t be moved into itself." in text(refused), inside
        assert f'value="{inside}"' in text(refused)  # what was typed stays
    # Onto its own place: every CopyObject is a copy onto itself (S3's InvalidRequest), so
    # nothing is deleted, the folder's marker neither.
    same = browser.post(f"{BUCKET}/move", step="move", folder="docs/", destination="s3://shared-bucket/")
    assert same.status == 400 and "InvalidRequest" in text(same)
    assert "<dt>Failed</dt><dd>3 objects</dd>" in text(same)
    assert _keys(app) == ["docs/", "docs/a.txt", "docs/sub/b.txt"]
    # A folder of the same name in another bucket is not the folder itself.
    _bucket(app, "other-bucket")
    moved = browser.post(f"{BUCKET}/move", step="move", folder="docs/", destination="s3://other-bucket/docs/")
    assert moved.status == 200 and _keys(app, "other-bucket") == [
        "docs/docs/",
        "docs/docs/a.txt",
        "docs/docs/sub/b.txt",
    ]


def test_move_says_what_is_missing_and_needs_the_csrf_token(app: App) -> None:
    _put(app, "photo.jpg")
    browser = _admin(app)
    nothing = browser.post(f"{BUCKET}/move", step="move", destination="s3://shared-bucket/f/")
    assert nothing.status == 400 and "Select the objects that you want to move." in text(nothing)
    for bad in ("", "shared-bucket/f/", "s3://", "s3://shared-bucket/f"):
        answer = browser.post(f"{BUCKET}/move", step="move", key="photo.jpg", destination=bad)
        assert answer.status == 400 and "Enter a destination in the format s3://bucket/prefix/." in text(answer), bad
    missing = browser.post(f"{BUCKET}/move", step="move", key="photo.jpg", destination="s3://no-such-bucket-here/")
    assert missing.status == 404 and "NoSuchBucket" in text(missing)
    forged = browser.post(
        f"{BUCKET}/move", csrf=False, step="move", key="photo.jpg", destination="s3://shared-bucket/f/"
    )
    assert forged.status == 403
    assert _keys(app) == ["photo.jpg"]


# --- Copy of folders --------------------------------------------------------------------------------


def test_copy_a_folder_with_every_page_of_its_objects(app: App) -> None:
    """More objects than one ListObjectsV2 page (1,000 keys): every one is copied."""
    with app.store.transaction() as tx:
        for index in range(1002):
            tx.put_object("shared-bucket", f"logs/{index:04d}", b"", '"d41d8cd98f00b204e9800998ecf8427e"', None)
    _put(app, "logs/2024/", "logs/2024/jan.txt", "other.txt")
    browser = _admin(app)
    chosen = browser.post(f"{BUCKET}/selection", action="copy", folder="logs/", prefix="")
    assert chosen.status == 200 and "<code>s3://shared-bucket/logs/</code>" in text(chosen)
    done = browser.post(
        f"{BUCKET}/copy", step="copy", folder="logs/", key="other.txt", destination="s3://shared-bucket/b/"
    )
    assert done.status == 303 and location(done) == bucket_url("shared-bucket", "b/", copied="1005")
    copied = [key for key in _keys(app) if key.startswith("b/")]
    assert copied == sorted(
        ["b/other.txt", "b/logs/2024/", "b/logs/2024/jan.txt"] + [f"b/logs/{i:04d}" for i in range(1002)]
    )
    assert _body(app, "shared-bucket", "b/logs/2024/jan.txt") == b"logs/2024/jan.txt"
    assert len(_keys(app)) == 2 * 1005  # the sources stay: a copy, not a move


def test_a_folder_marker_is_made_anew_without_the_markers_data(app: App) -> None:
    """using-folders.html: copying an object named with a trailing "/" creates a new folder in
    the destination, "but the object's data and metadata are not copied"."""
    s3(app, A, "PutObject", Bucket="shared-bucket", Key="docs/", Body=b"marker bytes", Metadata={"note": "x"})
    browser = _admin(app)
    done = browser.post(f"{BUCKET}/copy", step="copy", folder="docs/", destination="s3://shared-bucket/b/")
    assert done.status == 303
    head = s3(app, A, "HeadObject", Bucket="shared-bucket", Key="b/docs/")
    assert head["ContentLength"] == 0 and not head.get("Metadata")


def test_a_refused_folder_listing_copies_nothing(app: App) -> None:
    _put(app, "docs/a.txt")
    browser = _user_with(app, "no-list", ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"])
    answer = browser.post(f"{BUCKET}/move", step="move", folder="docs/", destination="s3://shared-bucket/b/")
    assert answer.status == 403 and "s3:ListBucket" in html.unescape(text(answer))
    assert _keys(app) == ["docs/a.txt"]


# --- Browse S3 ------------------------------------------------------------------------------------


def test_browse_s3_lists_buckets_then_folders_and_fills_the_destination(app: App) -> None:
    _put(app, "photo.jpg")
    _bucket(app, "other-bucket")
    _put(app, "archive/2024/x.txt", "archive/y.txt", "top.txt", bucket="other-bucket")
    browser = _admin(app)
    buckets = text(browser.post(f"{BUCKET}/move", step="browse", key="photo.jpg"))
    assert "<h1>Choose destination</h1>" in buckets
    assert 'name="destination" value="s3://other-bucket/" aria-label="Select other-bucket"' in buckets
    assert 'name="destination" value="s3://shared-bucket/" aria-label="Select shared-bucket"' in buckets
    assert 'name="key" value="photo.jpg"' in buckets  # the chosen rows go along
    inside = text(browser.post(f"{BUCKET}/move", step="browse", key="photo.jpg", location="s3://other-bucket/"))
    assert 'name="destination" value="s3://other-bucket/archive/" aria-label="Select archive/"' in inside
    assert "top.txt" not in inside  # folders only
    deeper = text(browser.post(f"{BUCKET}/move", step="browse", key="photo.jpg", location="s3://other-bucket/archive/"))
    assert 'value="s3://other-bucket/archive/2024/" aria-label="Select 2024/"' in deeper
    assert (
        '<button type="submit" class="link" name="location" value="s3://other-bucket/">other-bucket</button>' in deeper
    )
    chosen = browser.post(
        f"{BUCKET}/move", step="browse", key="photo.jpg", choose="1", destination="s3://other-bucket/archive/2024/"
    )
    assert chosen.status == 200 and "<h1>Move</h1>" in text(chosen)
    assert 'name="destination" type="text" value="s3://other-bucket/archive/2024/"' in text(chosen)
    none = browser.post(f"{BUCKET}/move", step="browse", key="photo.jpg", choose="1", here="s3://other-bucket/")
    assert none.status == 400 and "Select a destination." in text(none) and "archive/" in text(none)
    cancel = browser.post(f"{BUCKET}/copy", step="browse", key="photo.jpg", cancel="1")
    assert cancel.status == 200 and "<h1>Copy</h1>" in text(cancel)
    assert _keys(app) == ["photo.jpg"]


def test_browse_s3_shows_s3s_refusal_to_list_the_buckets(app: App) -> None:
    _put(app, "photo.jpg")
    browser = _user_with(app, "no-buckets", ["s3:GetObject", "s3:PutObject", "s3:ListBucket"])
    answer = browser.post(f"{BUCKET}/copy", step="browse", key="photo.jpg")
    page = html.unescape(text(answer))
    assert answer.status == 403 and "AccessDenied" in page and "s3:ListAllMyBuckets" in page

"""AWS's "Getting started with Amazon S3" tutorial, clicked through the console in headless
Chromium as a user of account A with AmazonS3FullAccess: Step 1 create a bucket, Step 2
upload an object, Step 3 download it, Step 4 create a folder and copy the object into it,
Step 5 delete the bucket (refused while it has objects), empty it, delete it.

AWS (S3 User Guide): "Getting started with Amazon S3" (GetStartedWithS3.html) and its steps
(creating-bucket, uploading-an-object-bucket, accessing-an-object, copying-an-object,
deleting-object-bucket); "Organizing objects in the Amazon S3 console using folders"
(Creating a folder: a 0-byte object "favorite-pics/"); "Emptying a bucket"; "Deleting a
bucket" (the "This bucket is not empty" alert's link to the empty bucket configuration);
DeleteBucket's BucketNotEmpty (Amazon S3 API Reference).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from browser_harness import browser, page, screenshot, sign_in
from e2e_harness import A, Server, _client, server

__all__ = ["browser", "page", "server"]

PASSWORD = "S3-Learner-Pass-9"
BUCKET = "my-first-tutorial-bucket"


def _learner(server: Server) -> Any:
    """User s3-learner in account A with AmazonS3FullAccess and a console password; A's S3 client."""
    root = server.create_account(A)
    iam = _client(server, "iam", root)
    iam.create_user(UserName="s3-learner")
    iam.attach_user_policy(UserName="s3-learner", PolicyArn="arn:aws:iam::aws:policy/AmazonS3FullAccess")
    iam.create_login_profile(UserName="s3-learner", Password=PASSWORD, PasswordResetRequired=False)
    return _client(server, "s3", root)


def _rows(page: Any) -> list[str]:
    return page.locator("main table tbody tr td:first-child").all_inner_texts()


def _choose_bucket(page: Any, action: str) -> None:
    """In the Buckets list, select the bucket's option button and choose Empty or Delete."""
    page.get_by_role("link", name="S3", exact=True).click()
    page.get_by_role("radio", name=f"Select {BUCKET}").check()
    page.get_by_role("button", name=action, exact=True).click()


def test_the_getting_started_tutorial_step_by_step(server: Server, page: Any) -> None:
    s3 = _learner(server)
    sign_in(page, server.url, A, "s3-learner", PASSWORD)
    page.goto(server.url + "/console/s3")

    # Step 1: create your first S3 bucket.
    page.get_by_role("link", name="Create bucket").click()
    page.get_by_label("Bucket name").fill(BUCKET)
    page.get_by_role("button", name="Create bucket").click()
    assert f'Successfully created bucket "{BUCKET}"' in page.get_by_role("status").inner_text()

    # Step 2: upload an object to your bucket.
    page.get_by_role("link", name="Upload").click()
    page.get_by_label("Add files").set_input_files({"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": b"jpeg"})
    page.get_by_role("button", name="Upload").click()
    assert "Upload succeeded" in page.get_by_role("status").inner_text()
    page.get_by_role("link", name="Close").click()

    # Step 3: download an object.
    page.get_by_role("link", name="photo.jpg").click()
    with page.expect_download() as downloading:
        page.get_by_role("link", name="Download").click()
    assert Path(downloading.value.path()).read_bytes() == b"jpeg"

    # Step 4: copy your object to a folder. Create folder first ("/" is refused).
    page.locator(".breadcrumbs").get_by_role("link", name=BUCKET).click()
    page.get_by_role("link", name="Create folder").click()
    page.get_by_label("Folder name").fill("favorite/pics")
    page.get_by_role("button", name="Create folder").click()
    assert 'Folder names can\'t contain "/".' in page.get_by_role("alert").inner_text()
    page.get_by_label("Folder name").fill("favorite-pics")
    page.get_by_role("button", name="Create folder").click()
    assert 'Successfully created folder "favorite-pics"' in page.get_by_role("status").inner_text()
    assert _rows(page) == ["favorite-pics/", "photo.jpg"]
    assert s3.head_object(Bucket=BUCKET, Key="favorite-pics/")["ContentLength"] == 0
    # Select the object, Actions, Copy; the destination typed as the tutorial allows.
    page.get_by_role("checkbox", name="Select photo.jpg").check()
    page.locator("summary", has_text="Actions").click()
    page.get_by_role("button", name="Copy", exact=True).click()
    assert f"s3://{BUCKET}/photo.jpg" in page.locator("main").inner_text()
    page.get_by_label("Destination").fill(f"s3://{BUCKET}/favorite-pics/")
    screenshot(page, "s3-getting-started-copy")
    page.get_by_role("button", name="Copy", exact=True).click()
    assert f"Successfully copied 1 object to s3://{BUCKET}/favorite-pics/." in page.get_by_role("status").inner_text()
    assert _rows(page) == ["photo.jpg"]
    assert s3.get_object(Bucket=BUCKET, Key="favorite-pics/photo.jpg")["Body"].read() == b"jpeg"

    # Step 5: delete your objects and bucket. Deleting it first: S3's BucketNotEmpty.
    _choose_bucket(page, "Delete")
    page.get_by_label("To confirm deletion").fill(BUCKET)
    page.get_by_role("button", name="Delete bucket").click()
    alert = page.get_by_role("alert")
    assert alert.locator(".error-code").inner_text() == "BucketNotEmpty"
    assert "The bucket you tried to delete is not empty" in alert.inner_text()
    screenshot(page, "s3-delete-bucket-not-empty")
    alert.get_by_role("link", name="empty bucket configuration").click()
    page.get_by_label("To confirm deletion").fill("permanently delete")
    page.get_by_role("button", name="Empty", exact=True).click()
    assert f'Successfully emptied bucket "{BUCKET}"' in page.get_by_role("status").inner_text()
    assert "3 objects" in page.locator("dl.details").inner_text()  # photo.jpg, the folder, its copy
    assert s3.list_objects_v2(Bucket=BUCKET)["KeyCount"] == 0
    page.get_by_role("link", name="Exit").click()
    _choose_bucket(page, "Delete")
    page.get_by_label("To confirm deletion").fill(BUCKET)
    page.get_by_role("button", name="Delete bucket").click()
    assert f'Successfully deleted bucket "{BUCKET}"' in page.get_by_role("status").inner_text()
    assert "No buckets" in page.locator("main").inner_text()
    assert s3.list_buckets()["Buckets"] == []


def test_empty_a_versioned_bucket_deletes_every_version_then_delete_bucket_works(server: Server, page: Any) -> None:
    """ "Emptying a bucket" (S3 User Guide): "When you empty a bucket that has S3 Bucket
    Versioning enabled or suspended, all versions of all the objects in the bucket are
    deleted." Then "Deleting a bucket" succeeds."""
    s3 = _learner(server)
    s3.create_bucket(Bucket=BUCKET)
    s3.put_object(Bucket=BUCKET, Key="unversioned.txt", Body=b"null version")
    s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
    s3.put_object(Bucket=BUCKET, Key="photo.jpg", Body=b"one")
    s3.put_object(Bucket=BUCKET, Key="photo.jpg", Body=b"two")
    s3.delete_object(Bucket=BUCKET, Key="unversioned.txt")  # a delete marker over the null version
    s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Suspended"})
    sign_in(page, server.url, A, "s3-learner", PASSWORD)
    page.goto(server.url + "/console/s3")

    _choose_bucket(page, "Empty")
    page.get_by_label("To confirm deletion").fill("permanently delete")
    page.get_by_role("button", name="Empty", exact=True).click()
    assert f'Successfully emptied bucket "{BUCKET}"' in page.get_by_role("status").inner_text()
    assert "4 objects" in page.locator("dl.details").inner_text()  # two versions, the null one, the marker
    versions = s3.list_object_versions(Bucket=BUCKET)
    assert "Versions" not in versions and "DeleteMarkers" not in versions
    page.get_by_role("link", name="Delete bucket").click()
    page.get_by_label("To confirm deletion").fill(BUCKET)
    page.get_by_role("button", name="Delete bucket").click()
    assert f'Successfully deleted bucket "{BUCKET}"' in page.get_by_role("status").inner_text()
    assert s3.list_buckets()["Buckets"] == []

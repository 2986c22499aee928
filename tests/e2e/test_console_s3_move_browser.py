"""The S3 console's Move, and Copy of whole folders, clicked in headless Chromium; boto3 checks
what S3 holds afterwards.

AWS (S3 User Guide): "Copying, moving, and renaming objects" (copy-object.html, Using the S3
console, "To move objects": select the check boxes, Actions, Move; "choose Browse S3, navigate
to the destination, and select the check box to the left of the destination. Choose Choose
destination", or enter the destination path; choose Move. "When you move an object, Amazon S3
copies the object to the specified destination and then deletes the source object"; "To copy
an object" likewise with Copy); "Organizing objects in the Amazon S3 console using folders"
(using-folders.html: a folder is the shared prefix of its objects' keys). Amazon S3 API
Reference: CopyObject (s3:GetObject on the source, s3:PutObject on the copy), DeleteObject
(s3:DeleteObject).
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError
from browser_harness import browser, console_user, page, screenshot, sign_in
from e2e_harness import A, Server, server

__all__ = ["browser", "page", "server"]

PASSWORD = "S3-Move-Pass-9"
SOURCE = "move-source"
TARGET = "move-target"


def _user(server: Server, name: str, policy: dict[str, Any] | None = None) -> Any:
    """IAM user ``name`` with AmazonS3FullAccess (or the inline ``policy``) and a console
    password; A's root S3 client, with the buckets SOURCE and TARGET."""
    s3 = console_user(server, name, PASSWORD, policy)
    s3.create_bucket(Bucket=SOURCE)
    s3.create_bucket(Bucket=TARGET)
    return s3


def _keys(s3: Any, bucket: str) -> list[str]:
    return sorted(item["Key"] for item in s3.list_objects_v2(Bucket=bucket).get("Contents", []))


def _gone(s3: Any, bucket: str, key: str) -> bool:
    with pytest.raises(ClientError) as missing:
        s3.head_object(Bucket=bucket, Key=key)
    return missing.value.response["Error"]["Code"] == "404"


def _choose(page: Any, server: Server, user: str, *rows: str, action: str) -> None:
    """Sign in, open SOURCE, tick ``rows``, Actions, then ``action`` (Copy or Move)."""
    sign_in(page, server.url, A, user, PASSWORD)
    page.goto(f"{server.url}/console/s3/buckets/{SOURCE}")
    for row in rows:
        page.get_by_role("checkbox", name=f"Select {row}").check()
    page.locator("summary", has_text="Actions").click()
    page.get_by_role("button", name=action, exact=True).click()
    assert page.get_by_role("heading", name=action, exact=True).is_visible()


def test_move_an_object_to_another_bucket_chosen_with_browse_s3(server: Server, page: Any) -> None:
    """ "To move objects": Actions, Move, Browse S3, Choose destination, Move."""
    s3 = _user(server, "mover")
    s3.put_object(Bucket=SOURCE, Key="notes.txt", Body=b"my notes")
    s3.put_object(Bucket=SOURCE, Key="keep.txt", Body=b"keep")
    s3.put_object(Bucket=TARGET, Key="inbox/old.txt", Body=b"old")
    _choose(page, server, "mover", "notes.txt", action="Move")
    assert "the source objects are deleted" in page.get_by_role("main").inner_text()

    page.get_by_role("button", name="Browse S3").click()
    assert page.get_by_role("heading", name="Choose destination").is_visible()
    page.get_by_role("button", name=TARGET, exact=True).click()  # open the bucket
    page.get_by_role("radio", name="Select inbox/").check()
    page.get_by_role("button", name="Choose destination").click()
    assert page.get_by_label("Destination").input_value() == f"s3://{TARGET}/inbox/"
    screenshot(page, "s3-move")
    page.get_by_role("button", name="Move", exact=True).click()
    assert f"Successfully moved 1 object to s3://{TARGET}/inbox/." in page.get_by_role("status").inner_text()

    assert s3.get_object(Bucket=TARGET, Key="inbox/notes.txt")["Body"].read() == b"my notes"
    assert _gone(s3, SOURCE, "notes.txt")
    assert _keys(s3, SOURCE) == ["keep.txt"]
    page.get_by_role("link", name="Close").click()
    assert page.locator("main table tbody tr td:first-child").all_inner_texts() == ["keep.txt"]


def test_copy_a_folder_with_nested_objects(server: Server, page: Any) -> None:
    """ "To copy an object" with a folder chosen: every object under it is copied, keeping its
    key under the destination."""
    s3 = _user(server, "copier")
    nested = ["photos/", "photos/cat.jpg", "photos/2024/beach.jpg", "photos/2024/summer/sea.jpg"]
    for key in [*nested, "photos-not-in/x.jpg", "readme.txt"]:
        s3.put_object(Bucket=SOURCE, Key=key, Body=b"" if key.endswith("/") else key.encode())
    _choose(page, server, "copier", "photos/", action="Copy")
    page.get_by_label("Destination").fill(f"s3://{TARGET}/backup/")
    page.get_by_role("button", name="Copy", exact=True).click()
    assert f"Successfully copied 4 objects to s3://{TARGET}/backup/." in page.get_by_role("status").inner_text()

    assert _keys(s3, TARGET) == sorted(f"backup/{key}" for key in nested)
    for key in nested[1:]:
        assert s3.get_object(Bucket=TARGET, Key=f"backup/{key}")["Body"].read() == key.encode()
    assert _keys(s3, SOURCE) == sorted([*nested, "photos-not-in/x.jpg", "readme.txt"])  # a copy


def test_move_a_folder(server: Server, page: Any) -> None:
    """Move with a folder chosen: its objects are copied, then deleted from the source."""
    s3 = _user(server, "mover")
    for key in ["reports/q1.csv", "reports/2024/q2.csv", "other.txt"]:
        s3.put_object(Bucket=SOURCE, Key=key, Body=key.encode())
    _choose(page, server, "mover", "reports/", action="Move")
    page.get_by_label("Destination").fill(f"s3://{TARGET}/")
    page.get_by_role("button", name="Move", exact=True).click()
    assert f"Successfully moved 2 objects to s3://{TARGET}/." in page.get_by_role("status").inner_text()

    assert _keys(s3, TARGET) == ["reports/2024/q2.csv", "reports/q1.csv"]
    assert s3.get_object(Bucket=TARGET, Key="reports/2024/q2.csv")["Body"].read() == b"reports/2024/q2.csv"
    assert _keys(s3, SOURCE) == ["other.txt"]


def test_move_without_s3_delete_object_shows_access_denied_and_keeps_the_source(server: Server, page: Any) -> None:
    """A user who may read, write and list but not delete: the copy is made, S3 refuses the
    source's delete (AccessDenied), and the source stays."""
    allowed = ["s3:GetObject", "s3:PutObject", "s3:ListBucket", "s3:GetBucketLocation"]
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": allowed, "Resource": "*"}]}
    s3 = _user(server, "no-delete", policy)
    s3.put_object(Bucket=SOURCE, Key="contract.pdf", Body=b"signed")
    _choose(page, server, "no-delete", "contract.pdf", action="Move")
    page.get_by_label("Destination").fill(f"s3://{TARGET}/")
    page.get_by_role("button", name="Move", exact=True).click()

    alert = page.get_by_role("alert").inner_text()
    assert "AccessDenied" in alert and "s3:DeleteObject" in alert
    failed = page.get_by_role("table", name="Failed move").locator("tbody tr td").all_inner_texts()
    assert failed[0] == "contract.pdf" and failed[1].startswith("AccessDenied: ")
    screenshot(page, "s3-move-access-denied")
    assert s3.get_object(Bucket=SOURCE, Key="contract.pdf")["Body"].read() == b"signed"
    assert s3.get_object(Bucket=TARGET, Key="contract.pdf")["Body"].read() == b"signed"

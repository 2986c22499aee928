"""An object's Tags and Metadata edited in the S3 console, clicked in headless Chromium; boto3
checks what S3 holds afterwards.

AWS (S3 User Guide): "Managing object tags" (Using the S3 console: the object, Edit tags, Add
tag, a Key and a Value, Save changes; up to 10 tags) and "Viewing object properties in the
Amazon S3 console" (the object's Tags and Metadata, each with Edit); "Editing object metadata
in the Amazon S3 console" (Add metadata, Type "System defined" or "User defined", Key, Value,
Remove, Save changes: "This action creates a copy of the object with updated settings and the
last-modified date"); "Working with object metadata" ("Amazon S3 stores user-defined metadata
keys in lowercase"). Amazon S3 API Reference: PutObjectTagging ("To use this operation, you
must have permission to perform the s3:PutObjectTagging action"), CopyObject (the tagging
directive COPY is the default: the copy keeps the object's tags).
"""

from __future__ import annotations

from typing import Any

from browser_harness import browser, console_user, page, screenshot, sign_in
from e2e_harness import A, Server, server

__all__ = ["browser", "page", "server"]

PASSWORD = "S3-Object-Settings-9"
BUCKET = "object-settings"


def _user(server: Server, name: str, policy: dict[str, Any] | None = None) -> Any:
    """IAM user ``name`` with AmazonS3FullAccess (or the inline ``policy``) and a console
    password; A's root S3 client, with the bucket and its object report.csv."""
    s3 = console_user(server, name, PASSWORD, policy)
    s3.create_bucket(Bucket=BUCKET)
    s3.put_object(Bucket=BUCKET, Key="report.csv", Body=b"a,b\n1,2\n", ContentType="text/plain")
    return s3


def _open_object(page: Any, server: Server, user: str) -> None:
    sign_in(page, server.url, A, user, PASSWORD)
    page.goto(f"{server.url}/console/s3/buckets/{BUCKET}")
    page.get_by_role("link", name="report.csv").click()


def test_add_tags_to_an_object_then_remove_them(server: Server, page: Any) -> None:
    """ "Managing object tags": Edit, Add tag, Key and Value, Save changes."""
    s3 = _user(server, "tagger")
    _open_object(page, server, "tagger")
    tags = page.get_by_role("region", name="Tags")
    assert "No tags associated with this resource." in tags.inner_text()
    tags.get_by_role("button", name="Edit").click()
    assert page.get_by_role("heading", name="Edit tags").is_visible()
    page.get_by_role("button", name="Add tag").click()
    page.get_by_label("Key", exact=True).fill("project")
    page.get_by_label("Value - optional").fill("blue")
    page.get_by_role("button", name="Add tag").click()
    page.get_by_label("Key", exact=True).nth(1).fill("stage")
    page.get_by_label("Value - optional").nth(1).fill("review")
    screenshot(page, "s3-object-tags-edit")
    page.get_by_role("button", name="Save changes").click()
    assert "Successfully edited tags." in page.get_by_role("status").inner_text()
    assert s3.get_object_tagging(Bucket=BUCKET, Key="report.csv")["TagSet"] == [
        {"Key": "project", "Value": "blue"},
        {"Key": "stage", "Value": "review"},
    ]
    shown = page.get_by_role("table", name="Tags").locator("tbody tr td:first-child").all_inner_texts()
    assert shown == ["project", "stage"]

    page.get_by_role("region", name="Tags").get_by_role("button", name="Edit").click()
    page.get_by_role("button", name="Remove tag 1").click()
    page.get_by_role("button", name="Remove tag 1").click()
    assert "No tags associated with this resource." in page.locator("fieldset").inner_text()
    page.get_by_role("button", name="Save changes").click()
    assert "Successfully edited tags." in page.get_by_role("status").inner_text()
    assert s3.get_object_tagging(Bucket=BUCKET, Key="report.csv")["TagSet"] == []


def test_edit_an_objects_metadata(server: Server, page: Any) -> None:
    """ "Editing object metadata in the Amazon S3 console": a system-defined Content-Type
    changed and a user-defined key added; the copy keeps the object's tags."""
    s3 = _user(server, "editor")
    s3.put_object_tagging(Bucket=BUCKET, Key="report.csv", Tagging={"TagSet": [{"Key": "project", "Value": "blue"}]})
    before = s3.head_object(Bucket=BUCKET, Key="report.csv")
    _open_object(page, server, "editor")
    page.get_by_role("region", name="Metadata").get_by_role("button", name="Edit").click()
    assert page.get_by_role("heading", name="Edit metadata").is_visible()
    assert page.get_by_label("Key", exact=True).first.input_value() == "Content-Type"
    page.get_by_label("Value", exact=True).first.fill("text/csv")
    page.get_by_role("button", name="Add metadata").click()
    page.get_by_label("Type").last.select_option(label="User defined")
    page.get_by_label("Key", exact=True).last.fill("x-amz-meta-Reviewer")
    page.get_by_label("Value", exact=True).last.fill("ann")
    screenshot(page, "s3-object-metadata-edit")
    page.get_by_role("button", name="Save changes").click()
    assert "Successfully edited metadata." in page.get_by_role("status").inner_text()

    head = s3.head_object(Bucket=BUCKET, Key="report.csv")
    assert head["ContentType"] == "text/csv"
    assert head["Metadata"] == {"reviewer": "ann"}
    assert head["LastModified"] >= before["LastModified"]
    assert s3.get_object_tagging(Bucket=BUCKET, Key="report.csv")["TagSet"] == [{"Key": "project", "Value": "blue"}]
    assert s3.get_object(Bucket=BUCKET, Key="report.csv")["Body"].read() == b"a,b\n1,2\n"
    rows = page.get_by_role("table", name="Metadata").locator("tbody tr").all_inner_texts()
    assert any("text/csv" in row for row in rows) and any("x-amz-meta-reviewer" in row for row in rows)


def test_without_put_object_tagging_the_save_is_access_denied(server: Server, page: Any) -> None:
    """PutObjectTagging needs s3:PutObjectTagging: refused, the page shows S3's AccessDenied
    with the rows as typed, and the object's tags are what they were."""
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": ["s3:ListAllMyBuckets", "s3:GetBucketLocation", "s3:ListBucket", "s3:GetObject*"],
                "Resource": "*",
            }
        ],
    }
    s3 = _user(server, "no-tagging", policy)
    s3.put_object_tagging(Bucket=BUCKET, Key="report.csv", Tagging={"TagSet": [{"Key": "project", "Value": "blue"}]})
    _open_object(page, server, "no-tagging")
    tags = page.get_by_role("region", name="Tags")
    assert tags.get_by_role("table", name="Tags").locator("tbody td").first.inner_text() == "project"
    tags.get_by_role("button", name="Edit").click()
    assert page.get_by_label("Key", exact=True).input_value() == "project"
    page.get_by_label("Value - optional").fill("red")
    page.get_by_role("button", name="Save changes").click()
    alert = page.get_by_role("alert").inner_text()
    assert "AccessDenied" in alert and "s3:PutObjectTagging" in alert
    assert page.get_by_label("Value - optional").input_value() == "red"  # the input kept
    assert s3.get_object_tagging(Bucket=BUCKET, Key="report.csv")["TagSet"] == [{"Key": "project", "Value": "blue"}]

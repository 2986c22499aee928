"""The S3 console in headless Chromium: buckets, folders, pages of objects, upload,
download, delete, and the bucket policy editor, as a user of account A with
AmazonS3FullAccess; and a user without S3 permissions, who is shown S3's AccessDenied.

AWS: "Organizing objects in the Amazon S3 console by using folders" (folders are common
prefixes with the delimiter "/"), "Uploading objects", "Downloading objects", "Deleting
Amazon S3 objects" (the console asks to type "permanently delete"), "Adding a bucket
policy by using the Amazon S3 console" (S3 User Guide); PutBucketPolicy's MalformedPolicy
(Amazon S3 API Reference).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from browser_harness import browser, page, screenshot, sign_in
from e2e_harness import A, B, Server, _client, _set_up, server

__all__ = ["browser", "page", "server"]

PASSWORD = "S3-Admin-Pass-9"


def _admin(server: Server) -> Any:
    """User s3-admin in account A with AmazonS3FullAccess and a console password; A's S3 client."""
    root = server.create_account(A)
    iam = _client(server, "iam", root)
    iam.create_user(UserName="s3-admin")
    iam.attach_user_policy(UserName="s3-admin", PolicyArn="arn:aws:iam::aws:policy/AmazonS3FullAccess")
    iam.create_login_profile(UserName="s3-admin", Password=PASSWORD, PasswordResetRequired=False)
    return _client(server, "s3", root)


def _rows(page: Any) -> list[str]:
    return page.locator("main table tbody tr td:first-child").all_inner_texts()


def test_buckets_folders_pages_upload_download_and_delete(server: Server, page: Any) -> None:
    s3 = _admin(server)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in(page, server.url, A, "s3-admin", PASSWORD)
    page.goto(server.url + "/console/s3")
    assert "No buckets" in page.locator("main").inner_text()

    page.get_by_role("link", name="Create bucket").click()
    page.get_by_label("Bucket name").fill("Not_A_Valid_Name")
    page.get_by_role("button", name="Create bucket").click()
    assert page.get_by_role("alert").locator(".error-code").inner_text() == "InvalidBucketName"
    page.get_by_label("Bucket name").fill("console-made")
    page.get_by_role("button", name="Create bucket").click()
    assert page.get_by_role("heading", name="console-made", exact=True).is_visible()
    assert "Successfully created bucket" in page.get_by_role("status").inner_text()
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["console-made"]

    s3.put_object(Bucket="console-made", Key="docs/a.txt", Body=b"a")
    s3.put_object(Bucket="console-made", Key="docs/sub/b.txt", Body=b"b")
    s3.put_object(Bucket="console-made", Key="<img src=x onerror=alert(1)>.txt", Body=b"x")
    s3.put_object(Bucket="console-made", Key="odd/a b+c%?.txt", Body=b"odd key")
    for index in range(55):
        s3.put_object(Bucket="console-made", Key=f"many/obj-{index:02d}", Body=b"")

    # The bucket's top level: folders, then objects; nothing typed by users runs.
    page.goto(server.url + "/console/s3/buckets/console-made")
    assert _rows(page) == ["docs/", "many/", "odd/", "<img src=x onerror=alert(1)>.txt"]
    screenshot(page, "s3-bucket")

    # A folder, an upload into it, and its breadcrumbs.
    page.get_by_role("link", name="docs/").click()
    assert _rows(page) == ["sub/", "a.txt"]
    page.get_by_role("link", name="Upload").click()
    page.get_by_label("Add files").set_input_files({"name": "notes.txt", "mimeType": "text/plain", "buffer": b"hi"})
    page.get_by_role("button", name="Upload").click()
    assert "Upload succeeded" in page.get_by_role("status").inner_text()
    page.get_by_role("link", name="Close").click()
    assert _rows(page) == ["sub/", "a.txt", "notes.txt"]
    assert s3.get_object(Bucket="console-made", Key="docs/notes.txt")["Body"].read() == b"hi"
    page.locator(".breadcrumbs").get_by_role("link", name="console-made").click()
    assert "docs/" in _rows(page)

    # Pages of 50 with a "Page 2" link (ListObjectsV2's continuation token); no pager link is
    # named "Next", the word the console keeps for wizard steps.
    page.get_by_role("link", name="many/").click()
    first = _rows(page)
    assert first == [f"obj-{index:02d}" for index in range(50)]
    pages = page.get_by_role("navigation", name="Pages")
    assert pages.get_by_role("link", name=re.compile("next|previous", re.I)).count() == 0
    pages.get_by_role("link", name="Page 2").click()
    assert _rows(page) == [f"obj-{index:02d}" for index in range(50, 55)]
    assert pages.get_by_role("link", name="Page 3").count() == 0
    pages.get_by_role("link", name="Page 1").click()
    assert _rows(page) == first

    # A key with a space, "+", "%" and "?": details, download.
    page.goto(server.url + "/console/s3/buckets/console-made?prefix=odd%2F")
    page.get_by_role("link", name="a b+c%?.txt").click()
    assert "s3://console-made/odd/a b+c%?.txt" in page.locator("main").inner_text()
    screenshot(page, "s3-object")
    with page.expect_download() as downloading:
        page.get_by_role("link", name="Download").click()
    # Chromium saves "?" as "_"; the header names the object exactly (RFC 6266's filename*).
    assert downloading.value.suggested_filename == "a b+c%_.txt"
    href = page.get_by_role("link", name="Download").get_attribute("href")
    disposition = page.request.get(server.url + href).headers["content-disposition"]
    assert disposition.startswith("attachment;") and "filename*=UTF-8''a%20b%2Bc%25%3F.txt" in disposition
    assert Path(downloading.value.path()).read_bytes() == b"odd key"

    # Delete asks first; the object stays until "permanently delete" is typed.
    page.get_by_role("link", name="Delete").click()
    page.get_by_label("To confirm deletion").fill("delete")
    page.get_by_role("button", name="Delete objects").click()
    assert 'type "permanently delete"' in page.get_by_role("alert").inner_text()
    assert s3.head_object(Bucket="console-made", Key="odd/a b+c%?.txt")["ContentLength"] == 7
    page.get_by_label("To confirm deletion").fill("permanently delete")
    page.get_by_role("button", name="Delete objects").click()
    assert "Successfully deleted" in page.get_by_role("status").inner_text()
    with pytest.raises(ClientError):
        s3.head_object(Bucket="console-made", Key="odd/a b+c%?.txt")
    assert dialogs == []


def test_bucket_policy_editor_shows_malformed_policy_and_saves_a_good_one(server: Server, page: Any) -> None:
    s3 = _admin(server)
    s3.create_bucket(Bucket="policy-bucket")
    sign_in(page, server.url, A, "s3-admin", PASSWORD)
    page.goto(server.url + "/console/s3/buckets/policy-bucket")
    page.get_by_role("tab", name="Permissions").click()
    assert page.get_by_label("Policy").input_value() == ""

    other_bucket = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{B}:root"}, "Action": "s3:GetObject"}
            | {"Resource": "arn:aws:s3:::some-other-bucket/*"}
        ],
    }
    page.get_by_label("Policy").fill(json.dumps(other_bucket, indent=2))
    page.get_by_role("button", name="Save changes").click()
    alert = page.get_by_role("alert")
    assert alert.locator(".error-code").inner_text() == "MalformedPolicy"
    assert "Policy has invalid resource" in alert.inner_text()
    assert "some-other-bucket" in page.get_by_label("Policy").input_value()  # what was typed stays
    screenshot(page, "s3-bucket-policy")
    with pytest.raises(ClientError) as none:
        s3.get_bucket_policy(Bucket="policy-bucket")
    assert none.value.response["Error"]["Code"] == "NoSuchBucketPolicy"  # not saved

    good = dict(other_bucket)
    good["Statement"] = [dict(other_bucket["Statement"][0], Resource="arn:aws:s3:::policy-bucket/*")]
    page.get_by_label("Policy").fill(json.dumps(good))
    page.get_by_role("button", name="Save changes").click()
    assert "Successfully edited bucket policy" in page.get_by_role("status").inner_text()
    assert json.loads(s3.get_bucket_policy(Bucket="policy-bucket")["Policy"]) == good
    assert json.loads(page.get_by_label("Policy").input_value()) == good

    page.get_by_role("button", name="Delete").click()
    assert "Successfully deleted bucket policy" in page.get_by_role("status").inner_text()
    with pytest.raises(ClientError):
        s3.get_bucket_policy(Bucket="policy-bucket")


def test_a_user_without_s3_permissions_sees_s3s_access_denied(server: Server, page: Any) -> None:
    keys = _set_up(server)
    _client(server, "iam", server.roots[B]).create_login_profile(
        UserName="alice", Password=PASSWORD, PasswordResetRequired=False
    )
    sign_in(page, server.url, B, "alice", PASSWORD)
    page.goto(server.url + "/console/s3")
    alert = page.get_by_role("alert")
    assert alert.locator(".error-code").inner_text() == "AccessDenied"
    with pytest.raises(ClientError) as api:
        _client(server, "s3", keys).list_buckets()
    assert alert.locator("p").nth(1).inner_text() == api.value.response["Error"]["Message"]
    assert (
        alert.locator("p")
        .nth(1)
        .inner_text()
        .startswith(f"User: arn:aws:iam::{B}:user/alice is not authorized to perform: s3:ListAllMyBuckets")
    )
    # Another account's bucket, read without a role: denied too.
    page.goto(server.url + "/console/s3/buckets/shared-bucket")
    assert page.get_by_role("alert").locator(".error-code").inner_text() == "AccessDenied"

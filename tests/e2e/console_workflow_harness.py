"""The user's part of the reference workflow in the console, as a person walks it: shared
by the user's test and by the whole workflow's test (the admins' part, then this).

AWS pages: "Switch from a user to an IAM role (console)" (IAM User Guide: form fields,
display name and colour on the navigation bar, the history, going back to the user);
"Tutorial: Delegate access across AWS accounts using IAM roles"; "Access denied error
messages" (the AccessDenied wording with its reason).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from browser_harness import screenshot
from e2e_harness import ROLE, A, Server, _client

GREEN = "rgb(29, 129, 2)"  # the console's green (#1d8102)


def _menu_text(page: Any) -> str:
    return re.sub(r"\s+", " ", page.get_by_label("Account menu").inner_text()).strip()


def _open_menu(page: Any) -> None:
    if page.locator("details.account-menu[open]").count() == 0:
        page.get_by_label("Account menu").click()


def alice_switches_reads_is_denied_and_switches_back(page: Any, server: Server) -> None:
    """From alice signed in (account B): switch to A's role, read the bucket and download
    report.csv (``a,b\\n1,2\\n``), be denied an upload, switch back, switch again from the history."""
    assert _menu_text(page) == "alice @ 2222-2222-2222"
    _open_menu(page)
    page.get_by_role("link", name="Switch role").click()
    assert page.url.endswith("/console/switchrole")
    page.get_by_label("Account ID or alias").fill(A)
    page.get_by_label("IAM role name").fill(ROLE)
    page.get_by_label("Display name").fill("A read-only")
    page.get_by_label("Display color").select_option("green")
    screenshot(page, "switch-role")
    page.get_by_role("button", name="Switch Role").click()

    # The navigation bar shows the display name, in its colour, instead of the user name.
    assert _menu_text(page) == "A read-only"
    badge = page.get_by_label("Account menu").locator(".role-badge")
    assert badge.evaluate("element => getComputedStyle(element).backgroundColor") == GREEN
    _open_menu(page)
    assert f"Currently active as {ROLE} in account 1111-1111-1111" in page.locator(".account-menu .menu").inner_text()

    # S3 lists the role's account's buckets (ListBuckets as the role), not B's.
    page.get_by_role("navigation", name="Services").get_by_role("link", name="S3", exact=True).click()
    bucket_links = page.locator("main table a")
    assert bucket_links.all_inner_texts() == ["shared-bucket"]
    bucket_links.first.click()
    page.get_by_role("link", name="report.csv").click()
    assert page.get_by_role("heading", name="report.csv").is_visible()
    assert "s3://shared-bucket/report.csv" in page.locator("main").inner_text()
    with page.expect_download() as downloading:
        page.get_by_role("link", name="Download").click()
    download = downloading.value
    assert download.suggested_filename == "report.csv"
    assert Path(download.path()).read_bytes() == b"a,b\n1,2\n"

    # An upload is denied: the role only reads. The page shows S3's AccessDenied.
    page.locator(".breadcrumbs").get_by_role("link", name="shared-bucket").click()
    page.get_by_role("link", name="Upload").click()
    page.get_by_label("Add files").set_input_files(
        {"name": "notes.txt", "mimeType": "text/plain", "buffer": b"written by alice\n"}
    )
    page.get_by_role("button", name="Upload").click()
    assert page.get_by_role("alert").locator(".error-code").inner_text() == "Upload failed"
    row = page.get_by_role("table", name="Files and folders").locator("tbody tr")
    assert row.locator("td").nth(4).inner_text() == "Failed"
    assert row.locator("td").nth(5).inner_text() == (
        f"AccessDenied: User: arn:aws:sts::{A}:assumed-role/{ROLE}/alice is not authorized to perform: s3:PutObject"
        ' on resource: "arn:aws:s3:::shared-bucket/notes.txt" because no identity-based policy allows the'
        " s3:PutObject action"
    )
    screenshot(page, "s3-bucket-after-switch")
    listed = _client(server, "s3", server.roots[A]).list_objects_v2(Bucket="shared-bucket")["Contents"]
    assert [item["Key"] for item in listed] == ["report.csv"]  # nothing was written

    # The role is in the history; "Switch back" returns to alice.
    _open_menu(page)
    history = page.locator(".role-history")
    assert history.get_by_role("button").all_inner_texts() == ["A read-only"]
    page.get_by_role("button", name="Switch back").click()
    assert _menu_text(page) == "alice @ 2222-2222-2222"

    # One click on the history entry switches again, with the same name and colour.
    _open_menu(page)
    page.locator(".role-history").get_by_role("button", name="A read-only").click()
    assert _menu_text(page) == "A read-only"
    badge = page.get_by_label("Account menu").locator(".role-badge")
    assert badge.evaluate("element => getComputedStyle(element).backgroundColor") == GREEN
    page.goto(server.url + "/console/s3")
    assert page.locator("main table a").all_inner_texts() == ["shared-bucket"]

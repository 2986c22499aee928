"""AWS's console procedures for access keys, inline policies, group permissions and a
versioned bucket's delete, clicked through in headless Chromium by labels and names.

AWS pages: IAM User Guide "Manage access keys for IAM users" (id_credentials_access-keys:
"Create access key", the use case and "I understand the above recommendation and want to
proceed to create an access key", "Next", "Description tag value", "Create access key",
"Show", "Download .csv file", "Done"; "If the button is deactivated, then you must delete one
of the existing keys"); "Update access keys" (id_credentials_access-keys_update: "choose
Actions, and then choose Deactivate. When prompted for confirmation, choose Deactivate";
"choose Actions, and then choose Delete. Follow the instructions in the dialog to first
Deactivate and then confirm the deletion"); "Adding and removing IAM identity permissions"
(access_policies_manage-attach-detach: "Add permissions", "Create inline policy", the JSON
editor, "Next", "Review and create", "Policy name", "Create policy"); S3 User Guide "Deleting
a single object" (a versioning-enabled bucket: "Delete objects?", type "delete").
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from browser_harness import browser, page, sign_in
from console_iam_harness import create_access_key, make_admin, sign_in_admin
from e2e_harness import A, B, Server, _client, server

__all__ = ["browser", "page", "server"]

ASSUME = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]}


def _key_row(page: Any, key_id: str) -> Any:
    return page.get_by_role("table", name="Access keys").get_by_role("row").filter(has_text=key_id)


def test_access_keys_are_created_deactivated_and_deleted_as_aws_documents(server: Server, page: Any) -> None:
    iam = make_admin(server, B)
    iam.create_user(UserName="alice")
    sign_in_admin(page, server, B)
    page.goto(server.url + "/console/iam/users/details/alice")
    page.get_by_role("tab", name="Security credentials").click()

    # The use case needs the acknowledgement: without it, Next stays on the first step.
    page.get_by_role("link", name="Create access key").click()
    page.get_by_label("Local code").check()
    page.get_by_role("button", name="Next").click()
    assert "To continue, select" in page.get_by_role("alert").inner_text()
    page.get_by_role("link", name="Cancel").click()

    first, _ = create_access_key(page, "Local code", description="laptop")
    page.get_by_role("link", name="Done").click()
    assert {"Key": first, "Value": "laptop"} in iam.list_user_tags(UserName="alice")["Tags"]
    second, _ = create_access_key(page, "Other")
    page.get_by_role("link", name="Done").click()
    full = page.get_by_role("button", name="Create access key")
    assert full.is_disabled()
    assert "delete one of the existing keys" in page.locator("#keys-full").inner_text()

    # Actions → Deactivate asks first; Deactivate there deactivates.
    _key_row(page, first).get_by_role("button", name="Actions").click()
    _key_row(page, first).get_by_role("link", name="Deactivate").click()
    assert page.get_by_role("heading", name=f"Deactivate {first}?").is_visible()
    assert {k["AccessKeyId"]: k["Status"] for k in iam.list_access_keys(UserName="alice")["AccessKeyMetadata"]}[
        first
    ] == "Active"
    page.get_by_role("button", name="Deactivate").click()
    assert page.get_by_role("status").first.inner_text() == "Access key updated."
    assert "Inactive" in _key_row(page, first).inner_text()
    _key_row(page, first).get_by_role("button", name="Actions").click()
    _key_row(page, first).get_by_role("button", name="Activate").click()
    assert "Active" in _key_row(page, first).inner_text() and "Inactive" not in _key_row(page, first).inner_text()

    # Actions → Delete: first Deactivate in the dialog, then type the key ID and Delete.
    _key_row(page, second).get_by_role("button", name="Actions").click()
    _key_row(page, second).get_by_role("link", name="Delete").click()
    assert page.get_by_role("heading", name=f"Delete {second}?").is_visible()
    confirm = page.get_by_label("To confirm deletion, enter the access key ID in the text input field.")
    assert confirm.is_disabled() and page.get_by_role("button", name="Delete", exact=True).is_disabled()
    page.get_by_role("button", name="Deactivate").click()
    assert page.get_by_role("heading", name=f"Delete {second}?").is_visible()
    confirm.fill(second)
    page.get_by_role("button", name="Delete", exact=True).click()
    assert page.get_by_role("status").first.inner_text() == "Access key deleted."
    assert [k["AccessKeyId"] for k in iam.list_access_keys(UserName="alice")["AccessKeyMetadata"]] == [first]
    assert page.get_by_role("link", name="Create access key").is_visible()  # one key: on again


def test_inline_policy_through_add_permissions_and_group_policies_attached_via_the_group(
    server: Server, page: Any
) -> None:
    iam = make_admin(server, B)
    iam.create_user(UserName="alice")
    iam.create_group(GroupName="readers")
    iam.attach_group_policy(GroupName="readers", PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
    iam.add_user_to_group(GroupName="readers", UserName="alice")
    sign_in_admin(page, server, B)
    page.goto(server.url + "/console/iam/users/details/alice")

    attached = page.get_by_role("table", name="Attached policies")
    row = attached.get_by_role("row").filter(has_text="ReadOnlyAccess")
    assert " ".join(row.inner_text().split()) == "ReadOnlyAccess AWS managed Group readers"

    page.get_by_role("button", name="Add permissions").click()
    page.get_by_role("link", name="Create inline policy").click()
    page.get_by_label("Policy editor").fill(json.dumps(ASSUME, indent=4))
    page.get_by_role("button", name="Next").click()
    assert page.get_by_role("heading", name="Review and create").is_visible()
    page.get_by_label("Policy name").fill("assume-any")
    page.get_by_role("button", name="Create policy").click()
    assert page.get_by_role("status").first.inner_text() == "Inline policy saved."
    assert page.get_by_role("table", name="Inline policies").get_by_role("link", name="assume-any").is_visible()
    assert iam.list_user_policies(UserName="alice")["PolicyNames"] == ["assume-any"]


def test_a_versioned_buckets_object_delete_asks_to_type_delete(server: Server, page: Any) -> None:
    root = server.create_account(A)
    iam = _client(server, "iam", root)
    iam.create_user(UserName="s3-admin")
    iam.attach_user_policy(UserName="s3-admin", PolicyArn="arn:aws:iam::aws:policy/AmazonS3FullAccess")
    iam.create_login_profile(UserName="s3-admin", Password="S3-Admin-Console-1", PasswordResetRequired=False)
    s3 = _client(server, "s3", root)
    s3.create_bucket(Bucket="versioned-bucket")
    s3.put_bucket_versioning(Bucket="versioned-bucket", VersioningConfiguration={"Status": "Enabled"})
    s3.put_object(Bucket="versioned-bucket", Key="notes.txt", Body=b"keep me")
    sign_in(page, server.url, A, "s3-admin", "S3-Admin-Console-1")
    page.goto(server.url + "/console/s3/buckets/versioned-bucket")
    page.get_by_role("link", name="notes.txt").click()
    page.get_by_role("link", name="Delete").click()
    assert page.get_by_role("heading", name="Delete objects?", exact=True).is_visible()
    page.get_by_label("To confirm deletion").fill("delete")
    page.get_by_role("button", name="Delete objects").click()
    assert "Successfully deleted" in page.get_by_role("status").inner_text()
    versions = s3.list_object_versions(Bucket="versioned-bucket")
    assert [marker["Key"] for marker in versions["DeleteMarkers"]] == ["notes.txt"]
    assert [version["Key"] for version in versions["Versions"]] == ["notes.txt"]


def test_show_versions_lists_every_version_and_downloads_an_older_one(server: Server, page: Any) -> None:
    """ "Viewing an S3 object's versions" (S3 User Guide): on the Objects tab "turn on Show
    versions" to see each version with its Version ID; "Restoring previous versions": download
    the version to keep, or delete the delete marker ("Deleting object versions": select the
    version, Delete, type "permanently delete"). The versions and delete markers come from ListObjectVersions, a
    version's download is GetObject with its versionId (s3:GetObjectVersion)."""
    root = server.create_account(A)
    s3 = _client(server, "s3", root)
    s3.create_bucket(Bucket="history")
    s3.put_bucket_versioning(Bucket="history", VersioningConfiguration={"Status": "Enabled"})
    first = s3.put_object(Bucket="history", Key="notes.txt", Body=b"first draft")["VersionId"]
    second = s3.put_object(Bucket="history", Key="notes.txt", Body=b"second draft")["VersionId"]
    marker = s3.delete_object(Bucket="history", Key="notes.txt")["VersionId"]
    iam = _client(server, "iam", root)
    iam.create_user(UserName="s3-admin")
    iam.attach_user_policy(UserName="s3-admin", PolicyArn="arn:aws:iam::aws:policy/AmazonS3FullAccess")
    iam.create_login_profile(UserName="s3-admin", Password="S3-Admin-Console-1", PasswordResetRequired=False)
    sign_in(page, server.url, A, "s3-admin", "S3-Admin-Console-1")
    page.goto(server.url + "/console/s3/buckets/history")
    assert "No objects" in page.inner_text("main")  # the latest version is a delete marker
    page.get_by_role("switch", name="Show versions").click()
    rows = page.get_by_role("table", name="Object versions").get_by_role("row").all()[1:]
    listed = [row.get_by_role("cell").all_inner_texts()[:4] for row in rows]
    assert listed == [
        ["notes.txt", marker, "Yes", "Delete marker"],
        ["notes.txt", second, "", "txt"],
        ["notes.txt", first, "", "txt"],
    ]
    with page.expect_download() as download:
        page.get_by_label(f"Download notes.txt version {first}").click()
    assert Path(download.value.path()).read_bytes() == b"first draft"

    # "To restore the object, delete the delete marker" (Working with delete markers): the
    # marker's version chosen, Delete, "permanently delete" (a version is deleted for good).
    page.get_by_label(f"Select notes.txt version {marker}").check()
    page.get_by_role("button", name="Delete", exact=True).click()
    page.get_by_label("To confirm deletion").fill("permanently delete")
    page.get_by_role("button", name="Delete objects").click()
    assert page.get_by_role("status").inner_text() == "Successfully deleted 1 object."
    assert s3.get_object(Bucket="history", Key="notes.txt")["Body"].read() == b"second draft"
    assert [v["VersionId"] for v in s3.list_object_versions(Bucket="history")["Versions"]] == [second, first]
    page.get_by_role("link", name="Close").click()
    assert page.get_by_role("switch", name="Show versions").get_attribute("aria-checked") == "true"
    page.get_by_role("switch", name="Show versions").click()  # off again: the current view
    assert page.get_by_role("table", name="Object versions").count() == 0
    assert page.get_by_role("link", name="notes.txt").is_visible()

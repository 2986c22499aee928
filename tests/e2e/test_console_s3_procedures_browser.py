"""The S3 User Guide's console procedures for chosen objects, uploads and a new bucket's
settings, and the IAM "Create role" wizard's permissions boundary and review "Edit" buttons,
clicked in headless Chromium; boto3 checks what S3 and IAM hold afterwards.

AWS (S3 User Guide): "Creating a general purpose bucket" (AWS Region, Bucket name, Object
Ownership, Block Public Access settings for this bucket and its acknowledgement, Bucket
Versioning, Tags, Default encryption); "Uploading objects" (Upload, Add files, Add folder,
Upload, "Upload: status"); "Downloading objects" (select the object's check box, Download);
"Deleting a single object" and "Organizing objects in the Amazon S3 console by using
folders" (Deleting folders: select the folder's check box, Delete, type "permanently
delete"). IAM User Guide: "Create a role using custom trust policies" and "Create a role to
give permissions to an IAM user" (Set permissions boundary - optional; the review's Edit).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from browser_harness import browser, page, screenshot, sign_in
from console_iam_harness import make_admin, open_iam, sign_in_admin
from e2e_harness import A, Server, _client, server

__all__ = ["browser", "page", "server"]

PASSWORD = "S3-Procedures-Pass-9"
ACKNOWLEDGE = (
    "I acknowledge that the current settings might result in this bucket and the objects within becoming public."
)


def _s3_user(server: Server) -> Any:
    """User s3-user in account A with AmazonS3FullAccess and a console password; A's S3 client."""
    root = server.create_account(A)
    iam = _client(server, "iam", root)
    iam.create_user(UserName="s3-user")
    iam.attach_user_policy(UserName="s3-user", PolicyArn="arn:aws:iam::aws:policy/AmazonS3FullAccess")
    iam.create_login_profile(UserName="s3-user", Password=PASSWORD, PasswordResetRequired=False)
    return _client(server, "s3", root)


def _rows(page: Any) -> list[str]:
    return page.locator("main table tbody tr td:first-child").all_inner_texts()


def test_create_bucket_with_its_settings(server: Server, page: Any) -> None:
    """ "Creating a general purpose bucket": each setting is S3's own call afterwards."""
    s3 = _s3_user(server)
    sign_in(page, server.url, A, "s3-user", PASSWORD)
    page.goto(server.url + "/console/s3/buckets/none-here")
    page.get_by_role("navigation", name="Amazon S3").get_by_role("link", name="General purpose buckets").click()
    page.get_by_role("link", name="Create bucket").click()
    assert page.get_by_label("AWS Region").input_value() == "us-east-1"
    page.get_by_label("AWS Region").select_option("eu-west-1")
    page.get_by_label("Bucket name").fill("console-settings")
    assert page.get_by_label("ACLs disabled (recommended)").is_checked()
    page.get_by_label("ACLs enabled").check()
    page.get_by_label("Object writer").check()
    assert page.get_by_label("Block all public access").is_checked()
    page.get_by_label("Block all public access").uncheck()  # the four follow (JavaScript)
    page.get_by_label(
        "Block public access to buckets and objects granted through new access control lists (ACLs)"
    ).check()
    versioning = page.get_by_role("group", name="Bucket Versioning")
    assert versioning.get_by_label("Disable").is_checked()
    versioning.get_by_label("Enable").check()
    page.get_by_label("Key", exact=True).fill("project")
    page.get_by_label("Value - optional").fill("blue")
    page.get_by_role("button", name="Add tag").click()
    page.get_by_label("Key", exact=True).nth(1).fill("owner")
    page.get_by_label("Value - optional").nth(1).fill("s3-user")
    encryption = page.get_by_role("group", name="Encryption type")
    assert encryption.get_by_label("Server-side encryption with Amazon S3 managed keys (SSE-S3)").is_checked()
    page.get_by_role("button", name="Create bucket").click()
    # Turning public access on needs the acknowledgement; what was filled in stays.
    assert "acknowledge" in page.get_by_role("alert").inner_text()
    assert page.get_by_label("Bucket name").input_value() == "console-settings"
    assert page.get_by_label("Key", exact=True).nth(1).input_value() == "owner"
    page.get_by_label(ACKNOWLEDGE).check()
    screenshot(page, "s3-create-bucket")
    page.get_by_role("button", name="Create bucket").click()
    assert 'Successfully created bucket "console-settings"' in page.get_by_role("status").inner_text()

    assert s3.get_bucket_location(Bucket="console-settings")["LocationConstraint"] == "eu-west-1"
    rules = s3.get_bucket_ownership_controls(Bucket="console-settings")["OwnershipControls"]["Rules"]
    assert rules == [{"ObjectOwnership": "ObjectWriter"}]
    assert s3.get_public_access_block(Bucket="console-settings")["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "IgnorePublicAcls": False,
        "BlockPublicPolicy": False,
        "RestrictPublicBuckets": False,
    }
    assert s3.get_bucket_versioning(Bucket="console-settings")["Status"] == "Enabled"
    assert s3.get_bucket_tagging(Bucket="console-settings")["TagSet"] == [
        {"Key": "project", "Value": "blue"},
        {"Key": "owner", "Value": "s3-user"},
    ]
    rule = s3.get_bucket_encryption(Bucket="console-settings")["ServerSideEncryptionConfiguration"]["Rules"][0]
    assert rule["ApplyServerSideEncryptionByDefault"] == {"SSEAlgorithm": "AES256"}


def test_upload_files_and_a_folder_then_download_and_delete_the_chosen_rows(
    server: Server, page: Any, tmp_path: Path
) -> None:
    """ "Uploading objects", "Downloading objects", "Deleting a single object", Deleting folders."""
    s3 = _s3_user(server)
    s3.create_bucket(Bucket="chosen-rows")
    folder = tmp_path / "photos"
    (folder / "2024").mkdir(parents=True)
    (folder / "2024" / "beach.jpg").write_bytes(b"beach")
    (folder / "cat.jpg").write_bytes(b"cat")
    sign_in(page, server.url, A, "s3-user", PASSWORD)
    page.goto(server.url + "/console/s3/buckets/chosen-rows")

    page.get_by_role("link", name="Upload").click()
    page.get_by_label("Add files").set_input_files(
        [
            {"name": "notes.txt", "mimeType": "text/plain", "buffer": b"notes"},
            {"name": "keep.txt", "mimeType": "text/plain", "buffer": b"keep"},
        ]
    )
    page.get_by_label("Add folder").set_input_files(folder)
    listed = page.get_by_role("table", name="Files to upload")
    assert sorted(listed.locator("tbody tr td:first-child").all_inner_texts()) == [
        "beach.jpg",
        "cat.jpg",
        "keep.txt",
        "notes.txt",
    ]
    page.get_by_role("button", name="Upload").click()
    assert "Upload succeeded" in page.get_by_role("status").inner_text()
    statuses = page.get_by_role("table", name="Files and folders").locator("tbody tr td:nth-child(5)")
    assert statuses.all_inner_texts() == ["Succeeded"] * 4
    screenshot(page, "s3-upload-status")
    keys = sorted(item["Key"] for item in s3.list_objects_v2(Bucket="chosen-rows")["Contents"])
    assert keys == ["keep.txt", "notes.txt", "photos/2024/beach.jpg", "photos/cat.jpg"]
    page.get_by_role("link", name="Close").click()
    assert _rows(page) == ["photos/", "keep.txt", "notes.txt"]

    # Download: the chosen object.
    page.get_by_role("checkbox", name="Select notes.txt").check()
    with page.expect_download() as downloading:
        page.get_by_role("button", name="Download", exact=True).click()
    assert downloading.value.suggested_filename == "notes.txt"
    assert Path(downloading.value.path()).read_bytes() == b"notes"

    # Delete: a folder and an object; every object under the folder goes.
    page.reload()
    page.get_by_role("checkbox", name="Select photos/").check()
    page.get_by_role("checkbox", name="Select notes.txt").check()
    page.get_by_role("button", name="Delete", exact=True).click()
    specified = page.get_by_role("table", name="Specified objects")
    assert specified.locator("tbody tr td:first-child").all_inner_texts() == ["photos/", "notes.txt"]
    page.get_by_label("To confirm deletion").fill("permanently delete")
    page.get_by_role("button", name="Delete objects").click()
    assert "Successfully deleted 3 objects." in page.get_by_role("status").inner_text()
    assert [item["Key"] for item in s3.list_objects_v2(Bucket="chosen-rows")["Contents"]] == ["keep.txt"]
    page.get_by_role("link", name="Close").click()
    assert _rows(page) == ["keep.txt"]


def test_upload_with_the_additional_upload_options(server: Server, page: Any) -> None:
    """ "Uploading objects", "To configure additional object properties": Additional upload
    options, Storage class, Server-side encryption (override with SSE-KMS), "Add tag", "Add
    metadata"; the rows are added and removed in place, so the file chosen stays chosen."""
    s3 = _s3_user(server)
    s3.create_bucket(Bucket="upload-options")
    key_arn = f"arn:aws:kms:us-east-1:{A}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    sign_in(page, server.url, A, "s3-user", PASSWORD)
    page.goto(server.url + "/console/s3/buckets/upload-options/upload")
    page.get_by_label("Add files").set_input_files({"name": "report.csv", "mimeType": "text/csv", "buffer": b"a,b"})
    page.get_by_text("Additional upload options").click()
    page.get_by_label("Standard-IA").check()
    page.get_by_label("Override bucket settings for default encryption").check()
    page.get_by_label("Server-side encryption with AWS Key Management Service keys (SSE-KMS)").check()
    page.get_by_label("AWS KMS key ARN").fill(key_arn)
    tags = page.get_by_role("group", name="Tags - optional")
    tags.get_by_role("button", name="Add tag").click()
    tags.get_by_role("button", name="Add tag").click()
    tags.get_by_label("Key").nth(0).fill("project")
    tags.get_by_label("Value - optional").nth(0).fill("blue")
    tags.get_by_label("Key").nth(1).fill("dropped")
    tags.get_by_role("button", name="Remove tag 2").click()
    assert tags.get_by_label("Key").count() == 1
    metadata = page.get_by_role("group", name="Metadata - optional")
    metadata.get_by_role("button", name="Add metadata").click()
    metadata.get_by_label("Type").select_option(label="System defined")
    metadata.get_by_label("Key").fill("Cache-Control")
    metadata.get_by_label("Value").fill("max-age=60")
    metadata.get_by_role("button", name="Add metadata").click()
    metadata.get_by_label("Key").nth(1).fill("x-amz-meta-Owner")
    metadata.get_by_label("Value").nth(1).fill("alice")
    page.get_by_role("button", name="Upload", exact=True).click()
    assert "Upload succeeded" in page.get_by_role("status").inner_text()
    head = s3.head_object(Bucket="upload-options", Key="report.csv")
    assert head["StorageClass"] == "STANDARD_IA" and head["ServerSideEncryption"] == "aws:kms"
    assert head["SSEKMSKeyId"] == key_arn and head["CacheControl"] == "max-age=60"
    assert head["Metadata"] == {"owner": "alice"}
    tagging = s3.get_object_tagging(Bucket="upload-options", Key="report.csv")
    assert tagging["TagSet"] == [{"Key": "project", "Value": "blue"}]


def test_create_role_with_a_permissions_boundary_and_the_reviews_edit_buttons(server: Server, page: Any) -> None:
    """ "Create a role using custom trust policies": Set permissions boundary on step 2, then
    on the review "Edit" back to step 1 and step 2; what was chosen stays."""
    iam = make_admin(server, A)
    sign_in_admin(page, server, A)
    open_iam(page, "Roles")
    page.get_by_role("link", name="Create role").click()
    page.get_by_label("AWS account", exact=True).check()
    page.get_by_role("button", name="Next").click()
    page.get_by_label("Search policies").fill("AmazonS3ReadOnly")
    page.get_by_role("button", name="Search").click()
    page.get_by_label("AmazonS3ReadOnlyAccess", exact=True).check()
    page.get_by_label("Use a permissions boundary to control the maximum role permissions").check()
    page.get_by_label("Permissions boundary policy").select_option(label="AmazonS3ReadOnlyAccess")
    page.get_by_role("button", name="Next").click()
    page.get_by_label("Role name").fill("bounded-role")

    # Edit step 1: require MFA; the role name and the boundary are kept.
    page.get_by_role("region", name="Step 1: Select trusted entities").get_by_role("button", name="Edit").click()
    assert page.get_by_role("heading", name="Select trusted entity").is_visible()
    page.get_by_label("Require MFA").check()
    page.get_by_role("button", name="Next").click()
    assert page.get_by_label("Use a permissions boundary to control the maximum role permissions").is_checked()
    page.get_by_role("button", name="Next").click()
    assert page.get_by_label("Role name").input_value() == "bounded-role"
    assert "aws:MultiFactorAuthPresent" in page.get_by_label("Trust policy").inner_text()

    # Edit step 2: the policy still ticked, the boundary still chosen.
    page.get_by_role("region", name="Step 2: Add permissions").get_by_role("button", name="Edit").click()
    assert "1 selected." in page.get_by_role("group", name="Permissions policies").inner_text()
    page.get_by_label("Search policies").fill("AmazonS3ReadOnly")
    page.get_by_role("button", name="Search").click()
    assert page.get_by_label("AmazonS3ReadOnlyAccess", exact=True).is_checked()
    assert page.get_by_label("Permissions boundary policy").input_value() == (
        "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
    )
    page.get_by_role("button", name="Next").click()
    screenshot(page, "role-wizard-review-boundary")
    page.get_by_role("button", name="Create role").click()
    assert page.get_by_role("heading", name="bounded-role", exact=True).is_visible()

    role = iam.get_role(RoleName="bounded-role")["Role"]
    assert role["PermissionsBoundary"] == {
        "PermissionsBoundaryType": "Policy",
        "PermissionsBoundaryArn": "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
    }
    assert role["AssumeRolePolicyDocument"]["Statement"][0]["Condition"] == {
        "Bool": {"aws:MultiFactorAuthPresent": "true"}
    }
    attached = iam.list_attached_role_policies(RoleName="bounded-role")["AttachedPolicies"]
    assert [policy["PolicyName"] for policy in attached] == ["AmazonS3ReadOnlyAccess"]

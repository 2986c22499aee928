"""Five AWS console procedures followed in headless Chromium, each control found by the label,
button text or role AWS's page names; what each saved is read back with boto3.

AWS pages: "Configuring block public access settings for your S3 buckets" (S3 User Guide:
the bucket, Permissions, Edit under "Block public access (bucket settings)", clear "Block all
public access", "Save changes", enter confirm, Confirm); "Viewing the properties for an S3
bucket" and "Enabling versioning on buckets" (Properties: Bucket overview; Bucket Versioning,
Edit, Enable, Save changes; Tags, Edit); "IAM tutorial: Create and attach your first customer
managed policy" and "Delete IAM policies" (Policies, the policy's option button, Actions,
Attach, the user, "Attach policy"; Actions, Delete, the policy's name, Delete); "Versioning
IAM policies" (the Policy versions tab, a version's check box, "Set as default", "Delete");
"Delete roles or instance profiles" (Roles, the role's check box, Delete, the role's name,
Delete).
"""

from __future__ import annotations

import json
from typing import Any

from browser_harness import browser, page, screenshot
from console_iam_harness import ADMIN, make_admin, open_iam, sign_in_admin
from e2e_harness import A, B, Server, _client, server

__all__ = ["browser", "page", "server"]

S3_FULL = "arn:aws:iam::aws:policy/AmazonS3FullAccess"
ALLOW_S3_READ = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}],
}
TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{B}:root"}, "Action": "sts:AssumeRole"}],
}


def _open_bucket(page: Any, bucket: str) -> None:
    page.get_by_role("navigation", name="Services").get_by_role("link", name="S3", exact=True).click()
    page.get_by_role("link", name=bucket).click()


def test_turn_off_block_public_access_for_a_bucket_after_typing_confirm(server: Server, page: Any) -> None:
    iam = make_admin(server, A)
    iam.attach_user_policy(UserName=ADMIN, PolicyArn=S3_FULL)
    s3 = _client(server, "s3", server.roots[A])
    s3.create_bucket(Bucket="public-site")
    sign_in_admin(page, server, A)
    _open_bucket(page, "public-site")
    page.get_by_role("tab", name="Permissions").click()
    block = page.get_by_role("region", name="Block public access (bucket settings)")
    assert "Block public access to buckets and objects granted through new public bucket" in block.inner_text()
    block.get_by_role("button", name="Edit").click()
    assert page.get_by_label("Block all public access").is_checked()  # a new bucket blocks all
    page.get_by_label("Block all public access").uncheck()
    assert not page.get_by_label("Block public and cross-account access to buckets and objects").is_checked()
    page.get_by_role("button", name="Save changes").click()
    page.get_by_label("enter confirm").fill("confirm")
    screenshot(page, "s3-block-public-access-confirm")
    page.get_by_role("button", name="Confirm").click()
    assert "Successfully edited Block Public Access settings" in page.get_by_role("status").inner_text()
    flags = s3.get_public_access_block(Bucket="public-site")["PublicAccessBlockConfiguration"]
    assert not any(flags.values())
    public = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::public-site/*"}
        ],
    }
    s3.put_bucket_policy(Bucket="public-site", Policy=json.dumps(public))  # no longer refused


def test_bucket_properties_overview_versioning_and_tags(server: Server, page: Any) -> None:
    iam = make_admin(server, A)
    iam.attach_user_policy(UserName=ADMIN, PolicyArn=S3_FULL)
    s3 = _client(server, "s3", server.roots[A])
    s3.create_bucket(Bucket="versioned-docs")
    sign_in_admin(page, server, A)
    _open_bucket(page, "versioned-docs")
    page.get_by_role("tab", name="Properties").click()
    overview = page.get_by_role("region", name="Bucket overview").inner_text()
    assert "US East (N. Virginia) us-east-1" in overview and "arn:aws:s3:::versioned-docs" in overview
    page.get_by_role("region", name="Bucket Versioning").get_by_role("button", name="Edit").click()
    page.get_by_label("Enable").check()
    page.get_by_role("button", name="Save changes").click()
    assert page.get_by_role("status").inner_text() == "Successfully edited Bucket Versioning."
    assert s3.get_bucket_versioning(Bucket="versioned-docs")["Status"] == "Enabled"
    assert "Enabled" in page.get_by_role("region", name="Bucket Versioning").inner_text()

    page.get_by_role("region", name="Tags").get_by_role("button", name="Edit").click()
    page.get_by_role("button", name="Add tag").click()
    page.get_by_label("Key").fill("project")
    page.get_by_label("Value - optional").fill("docs")
    page.get_by_role("button", name="Save changes").click()
    assert s3.get_bucket_tagging(Bucket="versioned-docs")["TagSet"] == [{"Key": "project", "Value": "docs"}]


def _choose_customer_policy(page: Any, name: str) -> None:
    open_iam(page, "Policies")
    page.get_by_label("Filter by type").select_option(label="Customer managed")
    page.get_by_role("button", name="Search").click()
    page.get_by_label(f"Select {name}").check()
    page.get_by_role("button", name="Actions").click()


def test_attach_a_policy_from_the_policies_list_then_detach_and_delete_it(server: Server, page: Any) -> None:
    iam = make_admin(server, B)
    arn = iam.create_policy(PolicyName="UsersReadS3", PolicyDocument=json.dumps(ALLOW_S3_READ))["Policy"]["Arn"]
    iam.create_user(UserName="dev")
    sign_in_admin(page, server, B)
    _choose_customer_policy(page, "UsersReadS3")
    page.get_by_role("button", name="Attach", exact=True).click()
    page.get_by_label("dev", exact=True).check()
    page.get_by_role("button", name="Attach policy").click()
    assert page.get_by_role("status").first.inner_text() == "Policy attached."
    attached = iam.list_attached_user_policies(UserName="dev")["AttachedPolicies"]
    assert [p["PolicyArn"] for p in attached] == [arn]

    page.get_by_label("Select dev").check()  # the Entities attached tab
    page.get_by_role("button", name="Detach", exact=True).click()
    assert iam.list_attached_user_policies(UserName="dev")["AttachedPolicies"] == []

    _choose_customer_policy(page, "UsersReadS3")
    page.get_by_role("button", name="Delete", exact=True).click()
    page.get_by_label("enter the policy name").fill("UsersReadS3")
    page.get_by_role("button", name="Delete", exact=True).click()
    assert page.get_by_role("status").first.inner_text() == "Policy deleted."
    assert iam.list_policies(Scope="Local")["Policies"] == []


def test_set_a_ticked_policy_version_as_default_then_delete_another(server: Server, page: Any) -> None:
    iam = make_admin(server, B)
    arn = iam.create_policy(PolicyName="Versioned", PolicyDocument=json.dumps(ALLOW_S3_READ))["Policy"]["Arn"]
    wider = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
    iam.create_policy_version(PolicyArn=arn, PolicyDocument=json.dumps(wider), SetAsDefault=False)
    sign_in_admin(page, server, B)
    open_iam(page, "Policies")
    page.get_by_label("Filter by type").select_option(label="Customer managed")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Versioned").click()
    page.get_by_role("tab", name="Policy versions").click()
    page.get_by_label("Select v2").check()
    page.get_by_role("button", name="Set as default").click()
    assert page.get_by_role("status").first.inner_text() == "Default version set."
    assert iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"] == "v2"
    page.get_by_label("Select v1").check()
    page.get_by_role("button", name="Delete", exact=True).click()
    # "Confirm that you want to delete the version, and then choose Delete."
    assert page.get_by_role("heading", name="Delete policy version?").is_visible()
    assert len(iam.list_policy_versions(PolicyArn=arn)["Versions"]) == 2
    page.get_by_role("button", name="Delete", exact=True).click()
    assert page.get_by_role("status").first.inner_text() == "Policy version deleted."
    assert [v["VersionId"] for v in iam.list_policy_versions(PolicyArn=arn)["Versions"]] == ["v2"]


def test_delete_a_role_from_the_roles_list_by_typing_its_name(server: Server, page: Any) -> None:
    iam = make_admin(server, A)
    iam.create_role(RoleName="OldRole", AssumeRolePolicyDocument=json.dumps(TRUST))
    iam.attach_role_policy(RoleName="OldRole", PolicyArn="arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")
    sign_in_admin(page, server, A)
    open_iam(page, "Roles")
    page.get_by_label("Select OldRole").check()
    page.get_by_role("button", name="Delete", exact=True).click()
    page.get_by_label("enter the role name").fill("OldRole")
    page.get_by_role("button", name="Delete", exact=True).click()
    assert page.get_by_role("status").first.inner_text() == "Role deleted."
    assert [r["RoleName"] for r in iam.list_roles()["Roles"]] == []

"""Three AWS console procedures followed step by step in headless Chromium, each control
found by the label, button text or role AWS's page names.

AWS pages: "Update settings for a role" (IAM User Guide, id_roles_update-role-settings:
Roles, the role's name, "In the Summary section, choose Edit", the description, "Maximum
session duration" or "Custom duration" in seconds, "Save changes"); "Using an alias for
your AWS account ID" (console-account-alias: Dashboard, "AWS Account" section, next to
Account Alias choose Create, or Edit when an alias exists, then "Save changes"; IAM users
then sign in at the URL with the alias); "Adding a bucket policy by using the Amazon S3
console" (S3 User Guide, add-bucket-policy: the bucket, Permissions, "Under Bucket policy,
choose Edit", the Policy box, "Save changes", "which returns you to the Permissions tab").
"""

from __future__ import annotations

import json
from typing import Any

from browser_harness import browser, page, screenshot
from console_iam_harness import ADMIN, ADMIN_PASSWORD, make_admin, open_iam, sign_in_admin, sign_out
from e2e_harness import A, B, Server, _client, server

__all__ = ["browser", "page", "server"]

TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{B}:root"}, "Action": "sts:AssumeRole"}],
}


def test_update_a_roles_description_and_maximum_session_duration(server: Server, page: Any) -> None:
    iam = make_admin(server, A)
    iam.create_role(RoleName="UpdateApp", AssumeRolePolicyDocument=json.dumps(TRUST))
    sign_in_admin(page, server, A)
    open_iam(page, "Roles")
    page.get_by_role("link", name="UpdateApp").click()
    page.get_by_role("region", name="Summary").get_by_role("link", name="Edit").click()
    page.get_by_label("Description").fill("Developers update the production app")
    page.get_by_label("Maximum session duration").select_option(label="8 hours")
    screenshot(page, "role-edit-summary")
    page.get_by_role("button", name="Save changes").click()
    assert page.get_by_role("status").first.inner_text() == "Role updated."
    assert "8 hours" in page.get_by_role("region", name="Summary").inner_text()
    role = iam.get_role(RoleName="UpdateApp")["Role"]
    assert role["MaxSessionDuration"] == 8 * 3600 and role["Description"] == "Developers update the production app"

    page.get_by_role("region", name="Summary").get_by_role("link", name="Edit").click()
    page.get_by_label("Maximum session duration").select_option(label="Custom duration")
    page.get_by_label("Custom duration").fill("5400")
    page.get_by_role("button", name="Save changes").click()
    assert iam.get_role(RoleName="UpdateApp")["Role"]["MaxSessionDuration"] == 5400


def test_create_and_edit_the_account_alias_then_sign_in_at_its_url(server: Server, page: Any) -> None:
    iam = make_admin(server, B)
    sign_in_admin(page, server, B)
    open_iam(page, "Dashboard")
    page.get_by_role("link", name="Create", exact=True).click()  # next to Account Alias
    page.get_by_label("Preferred alias").fill("example-dev")
    page.get_by_role("button", name="Save changes").click()
    assert page.get_by_role("status").first.inner_text() == "Account alias created."
    assert iam.list_account_aliases()["AccountAliases"] == ["example-dev"]

    page.get_by_role("link", name="Edit", exact=True).click()  # an alias exists: Edit
    page.get_by_label("Preferred alias").fill("example-development")
    page.get_by_role("button", name="Save changes").click()
    assert iam.list_account_aliases()["AccountAliases"] == ["example-development"]  # the new one replaces it
    sign_in_url = f"{server.url}/console/signin?account=example-development"
    assert sign_in_url in page.get_by_role("main").inner_text()

    sign_out(page)
    page.goto(sign_in_url)
    assert page.get_by_label("Account ID or alias").input_value() == "example-development"
    page.get_by_label("IAM username").fill(ADMIN)
    page.get_by_label("Password").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    assert "/console/home" in page.url


def test_add_a_bucket_policy_with_edit_and_save_changes(server: Server, page: Any) -> None:
    iam = make_admin(server, A)
    iam.attach_user_policy(UserName=ADMIN, PolicyArn="arn:aws:iam::aws:policy/AmazonS3FullAccess")
    s3 = _client(server, "s3", server.roots[A])
    s3.create_bucket(Bucket="productionapp")
    sign_in_admin(page, server, A)
    page.get_by_role("navigation", name="Services").get_by_role("link", name="S3", exact=True).click()
    page.get_by_role("link", name="productionapp").click()
    page.get_by_role("tab", name="Permissions").click()
    page.get_by_role("link", name="Edit").click()  # under Bucket policy
    assert page.get_by_role("heading", name="Edit bucket policy").is_visible()
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{B}:root"},
                "Action": "s3:GetObject",
                "Resource": "arn:aws:s3:::productionapp/*",
            }
        ],
    }
    page.get_by_label("Policy").fill(json.dumps(policy, indent=2))
    page.get_by_role("button", name="Save changes").click()
    assert page.get_by_role("tab", name="Permissions").get_attribute("aria-selected") == "true"
    assert "Successfully edited bucket policy" in page.get_by_role("status").inner_text()
    assert json.loads(s3.get_bucket_policy(Bucket="productionapp")["Policy"]) == policy

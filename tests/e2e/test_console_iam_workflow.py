"""The whole reference workflow, by clicking, in headless Chromium: the admins' part, then alice's.

An admin of account A (111111111111) creates my-s3-x-account-role with the "Create role"
wizard: trusted entity "AWS account" → "Another AWS account" 222222222222, the AWS managed
policy AmazonS3ReadOnlyAccess. An admin of account B (222222222222) creates
my-s3-x-account-policy in the JSON policy editor (Allow sts:AssumeRole on the role's ARN),
creates user alice with a console password and attaches the policy to her, and creates
her an access key (its secret shown once). Then boto3 checks that IAM holds what AWS's
console would have written, and that alice can assume the role and read A's S3.

AWS pages: "Create a role to give permissions to an IAM user" (id_roles_create_for-user:
the wizard, its trust policy); "Tutorial: Delegate access across AWS accounts using IAM
roles" (tutorial_cross-account-with-roles: the policy that allows sts:AssumeRole on the
role); "Define custom IAM permissions with customer managed policies"
(access_policies_create-console); "Create an IAM user in your AWS account"
(id_users_create); "Manage access keys for IAM users" (id_credentials_access-keys: "This is
the only time that the secret access key can be viewed").
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError
from browser_harness import browser, page, screenshot, sign_in
from console_iam_harness import create_access_key, make_admin, open_iam, sign_in_admin, sign_out
from console_workflow_harness import alice_switches_reads_is_denied_and_switches_back
from e2e_harness import ROLE, ROLE_ARN, A, B, Server, _client, server

__all__ = ["browser", "page", "server"]

POLICY = "my-s3-x-account-policy"
S3_READ_ONLY = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
ALICE_PASSWORD = "Alice-Console-9"
# The tutorial's policy for the trusted account's users (tutorial_cross-account-with-roles).
ASSUME_POLICY = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": ROLE_ARN}],
}
# What AWS's wizard writes for "AWS account" → "Another AWS account" without options: the
# account's root as principal, sts:AssumeRole, and an empty Condition block.
WIZARD_TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{B}:root"},
            "Action": "sts:AssumeRole",
            "Condition": {},
        }
    ],
}


def _create_role_with_wizard(page: Any, server: Server) -> None:
    sign_in_admin(page, server, A)
    open_iam(page, "Roles")
    page.get_by_role("link", name="Create role").click()
    # Step 1: trusted entity.
    page.get_by_label("AWS account", exact=True).check()
    page.get_by_label("Another AWS account").check()
    page.get_by_label("Account ID").fill(B)
    screenshot(page, "role-wizard")
    page.get_by_role("button", name="Next").click()
    # Step 2: permissions, found by searching.
    page.get_by_label("Search policies").fill("AmazonS3ReadOnly")
    page.get_by_role("button", name="Search").click()
    page.get_by_label("AmazonS3ReadOnlyAccess", exact=True).check()
    page.get_by_role("button", name="Next").click()
    # Step 3: name, review, create.
    page.get_by_label("Role name").fill(ROLE)
    page.get_by_label("Description").fill("Read-only S3 for account B")
    review = json.loads(page.get_by_label("Trust policy").inner_text())
    assert review == WIZARD_TRUST
    assert "AmazonS3ReadOnlyAccess" in page.get_by_role("table", name="Permissions policy summary").inner_text()
    screenshot(page, "role-wizard-review")
    page.get_by_role("button", name="Create role").click()
    assert page.get_by_role("heading", name=ROLE, exact=True).is_visible()
    assert page.get_by_role("status").first.inner_text() == "Role created."
    link = page.get_by_role("link", name="/console/switchrole?")
    assert link.get_attribute("href") == f"{server.url}/console/switchrole?roleName={ROLE}&account={A}"
    sign_out(page)


def _create_policy_in_editor(page: Any, server: Server) -> None:
    sign_in_admin(page, server, B)
    open_iam(page, "Policies")
    page.get_by_role("link", name="Create policy").click()
    page.get_by_label("Policy editor").fill(json.dumps(ASSUME_POLICY, indent=4))
    validator = page.get_by_role("region", name="Policy validator")
    validator.get_by_role("tab", name="Errors: 0").wait_for()  # checked as typed (policy-editor.js)
    assert validator.get_by_role("tab").all_inner_texts() == [
        "Security: 0",
        "Errors: 0",
        "Warnings: 0",
        "Suggestions: 0",
    ]
    screenshot(page, "policy-editor")
    page.get_by_role("button", name="Next").click()
    page.get_by_label("Policy name").fill(POLICY)
    page.get_by_label("Description").fill("Switch to my-s3-x-account-role in account A")
    page.get_by_role("button", name="Create policy").click()
    assert page.get_by_role("heading", name=POLICY, exact=True).is_visible()
    assert json.loads(page.get_by_label("Policy document").inner_text()) == ASSUME_POLICY


def _create_alice_and_attach(page: Any) -> tuple[str, str]:
    open_iam(page, "Users")
    page.get_by_role("link", name="Create user").click()
    page.get_by_label("User name").fill("alice")
    page.get_by_label("Provide user access to the AWS Management Console").check()
    page.get_by_label("Custom password").check()
    page.get_by_label("Console password").fill(ALICE_PASSWORD)
    page.get_by_label("Users must create a new password at next sign-in").uncheck()
    page.get_by_role("button", name="Next").click()
    page.get_by_role("button", name="Next").click()  # "Set permissions": none yet
    page.get_by_role("button", name="Create user").click()
    assert page.get_by_role("heading", name="Retrieve password").is_visible()
    page.get_by_role("link", name="View user").click()
    assert page.get_by_role("heading", name="alice", exact=True).is_visible()

    page.get_by_role("button", name="Add permissions").click()  # the menu
    page.get_by_role("link", name="Attach policies", exact=True).click()
    assert page.get_by_label("Attach policies directly").is_checked()
    page.get_by_label("Search policies").fill("my-s3")
    page.get_by_role("button", name="Search").click()
    page.get_by_label(POLICY, exact=True).check()
    page.get_by_role("button", name="Add permissions").click()
    attached = page.get_by_role("table", name="Attached policies")
    assert attached.get_by_role("link", name=POLICY).is_visible()

    page.get_by_role("tab", name="Security credentials").click()
    key_id, secret = create_access_key(page, description="cross-account test")
    assert key_id.startswith("AKIA") and len(secret) == 40
    page.reload()  # the secret is shown once: never again, and no second key is made
    assert secret not in page.content()
    page.goto(page.url)
    assert secret not in page.content()
    return key_id, secret


def test_admins_set_up_cross_account_access_by_clicking(server: Server, page: Any) -> None:
    iam_a = make_admin(server, A)
    iam_b = make_admin(server, B)
    s3_a = _client(server, "s3", server.roots[A])
    s3_a.create_bucket(Bucket="shared-bucket")
    s3_a.put_object(Bucket="shared-bucket", Key="report.csv", Body=b"a,b\n1,2\n")

    _create_role_with_wizard(page, server)
    _create_policy_in_editor(page, server)
    key_id, secret = _create_alice_and_attach(page)

    # IAM holds what AWS's console would have written.
    role = iam_a.get_role(RoleName=ROLE)["Role"]
    assert role["AssumeRolePolicyDocument"] == WIZARD_TRUST
    assert role["Description"] == "Read-only S3 for account B"
    attached = iam_a.list_attached_role_policies(RoleName=ROLE)["AttachedPolicies"]
    assert [p["PolicyArn"] for p in attached] == [S3_READ_ONLY]
    policy_arn = f"arn:aws:iam::{B}:policy/{POLICY}"
    assert [p["PolicyArn"] for p in iam_b.list_attached_user_policies(UserName="alice")["AttachedPolicies"]] == [
        policy_arn
    ]
    version = iam_b.get_policy_version(PolicyArn=policy_arn, VersionId="v1")["PolicyVersion"]
    assert version["Document"] == ASSUME_POLICY and version["IsDefaultVersion"]
    assert iam_b.get_login_profile(UserName="alice")["LoginProfile"]["PasswordResetRequired"] is False
    keys = iam_b.list_access_keys(UserName="alice")["AccessKeyMetadata"]
    assert [k["AccessKeyId"] for k in keys] == [key_id]  # the reload made no second key

    # The switch works: alice's console-made key assumes the role and reads A's bucket, and only reads.
    sts = _client(server, "sts", {"AccessKeyId": key_id, "SecretAccessKey": secret})
    credentials = sts.assume_role(RoleArn=ROLE_ARN, RoleSessionName="alice")["Credentials"]
    s3_role = _client(server, "s3", credentials, token=credentials["SessionToken"])
    assert "shared-bucket" in [b["Name"] for b in s3_role.list_buckets()["Buckets"]]
    assert s3_role.get_object(Bucket="shared-bucket", Key="report.csv")["Body"].read() == b"a,b\n1,2\n"
    with pytest.raises(ClientError) as denied:
        s3_role.put_object(Bucket="shared-bucket", Key="new.csv", Body=b"x")
    assert denied.value.response["Error"]["Code"] == "AccessDenied"

    # And alice signs in to the console with the password the admin gave her, switches
    # role, reads A's bucket, is denied an upload, and switches back: the whole workflow.
    sign_out(page)
    sign_in(page, server.url, B, "alice", ALICE_PASSWORD)
    alice_switches_reads_is_denied_and_switches_back(page, server)

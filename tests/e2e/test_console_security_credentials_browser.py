"""The IAM tutorial "Permit users to manage their credentials and MFA settings", clicked
through in headless Chromium: the user with its Force_MFA policy opens account menu →
Security credentials, assigns their virtual MFA device, signs in again with it, updates the
password, creates an access key and uses it with boto3; a user without the permissions sees
IAM's denial on the same page.

AWS pages (IAM User Guide): "IAM tutorial: Permit users to manage their credentials and MFA
settings" (tutorial_users-self-manage-mfa-and-creds) and its policy, "AWS: Allows
MFA-authenticated IAM users to manage their own credentials on the Security credentials page"
(reference_policies_examples_aws_my-sec-creds-self-manage: "a user accessing an API with
long-term credentials, such as an access key, is denied access" to what the
DenyAllExceptListedIfNoMFA statement does not list); "How an IAM user changes their own
password" (id_credentials_passwords_user-change-own: "choose your user name, and then choose
Security credentials", "On the AWS IAM credentials tab, choose Update password", "Current
password", "New password", "Confirm new password"); "How IAM users can manage their own access
keys" (access-key-self-managed: "Create access key", "Download .csv file"); "Assign a virtual
MFA device in the AWS Management Console" (id_credentials_mfa_enable_virtual); "Access denied
error messages" (troubleshoot_access-denied).
"""

from __future__ import annotations

import csv
import json
import time
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from browser_harness import browser, page, screenshot, sign_in
from console_iam_harness import alert_text, create_access_key, sign_out
from e2e_harness import B, Server, _client, server

from iamsandbox.services.iam.mfa import totp

__all__ = ["browser", "page", "server"]

USER = "MFAUser"
PASSWORD = "Mfa-User-Console-1"
NEW_PASSWORD = "Mfa-User-Console-2!"
OWN = "arn:aws:iam::*:user/${aws:username}"
# The tutorial's Force_MFA policy, as AWS's page writes it.
FORCE_MFA = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "AllowViewAccountInfo",
            "Effect": "Allow",
            "Action": ["iam:GetAccountPasswordPolicy", "iam:GetAccountSummary", "iam:ListVirtualMFADevices"],
            "Resource": "*",
        },
        {
            "Sid": "AllowManageOwnPasswords",
            "Effect": "Allow",
            "Action": ["iam:ChangePassword", "iam:GetUser"],
            "Resource": OWN,
        },
        {
            "Sid": "AllowManageOwnAccessKeys",
            "Effect": "Allow",
            "Action": ["iam:CreateAccessKey", "iam:DeleteAccessKey", "iam:ListAccessKeys", "iam:UpdateAccessKey"],
            "Resource": OWN,
        },
        {
            "Sid": "AllowManageOwnSigningCertificates",
            "Effect": "Allow",
            "Action": [
                "iam:DeleteSigningCertificate",
                "iam:ListSigningCertificates",
                "iam:UpdateSigningCertificate",
                "iam:UploadSigningCertificate",
            ],
            "Resource": OWN,
        },
        {
            "Sid": "AllowManageOwnSSHPublicKeys",
            "Effect": "Allow",
            "Action": [
                "iam:DeleteSSHPublicKey",
                "iam:GetSSHPublicKey",
                "iam:ListSSHPublicKeys",
                "iam:UpdateSSHPublicKey",
                "iam:UploadSSHPublicKey",
            ],
            "Resource": OWN,
        },
        {
            "Sid": "AllowManageOwnGitCredentials",
            "Effect": "Allow",
            "Action": [
                "iam:CreateServiceSpecificCredential",
                "iam:DeleteServiceSpecificCredential",
                "iam:ListServiceSpecificCredentials",
                "iam:ResetServiceSpecificCredential",
                "iam:UpdateServiceSpecificCredential",
            ],
            "Resource": OWN,
        },
        {
            "Sid": "AllowManageOwnVirtualMFADevice",
            "Effect": "Allow",
            "Action": ["iam:CreateVirtualMFADevice", "iam:DeleteVirtualMFADevice"],
            "Resource": "arn:aws:iam::*:mfa/${aws:username}",
        },
        {
            "Sid": "AllowManageOwnUserMFA",
            "Effect": "Allow",
            "Action": ["iam:DeactivateMFADevice", "iam:EnableMFADevice", "iam:ListMFADevices", "iam:ResyncMFADevice"],
            "Resource": OWN,
        },
        {
            "Sid": "DenyAllExceptListedIfNoMFA",
            "Effect": "Deny",
            "NotAction": [
                "iam:CreateVirtualMFADevice",
                "iam:EnableMFADevice",
                "iam:GetUser",
                "iam:ListMFADevices",
                "iam:ListVirtualMFADevices",
                "iam:ResyncMFADevice",
                "sts:GetSessionToken",
            ],
            "Resource": "*",
            "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}},
        },
    ],
}


def _open_security_credentials(page: Any) -> None:
    """ "In the navigation bar on the upper right, choose your user name, and then choose
    Security credentials"."""
    page.get_by_label("Account menu").click()
    page.get_by_role("link", name="Security credentials").click()
    assert page.get_by_role("heading", name="My security credentials").is_visible()
    assert page.get_by_role("tab", name="AWS IAM credentials").is_visible()


def _section(page: Any, heading: str) -> str:
    card = page.locator("section.card").filter(has=page.get_by_role("heading", name=heading, exact=True))
    return " ".join(card.inner_text().split())


def test_tutorial_user_manages_own_credentials_and_a_user_without_permissions_is_denied(
    server: Server, page: Any, tmp_path: Path
) -> None:
    root = server.create_account(B)
    iam = _client(server, "iam", root)
    arn = iam.create_policy(PolicyName="Force_MFA", PolicyDocument=json.dumps(FORCE_MFA))["Policy"]["Arn"]
    iam.create_group(GroupName="EC2MFA")
    iam.attach_group_policy(GroupName="EC2MFA", PolicyArn=arn)
    iam.create_user(UserName=USER)
    iam.add_user_to_group(GroupName="EC2MFA", UserName=USER)
    iam.create_login_profile(UserName=USER, Password=PASSWORD, PasswordResetRequired=False)
    iam.create_user(UserName="bob")  # no permissions
    iam.create_login_profile(UserName="bob", Password=PASSWORD, PasswordResetRequired=False)

    # Signed in without MFA: the page opens, the access keys are explicitly denied.
    sign_in(page, server.url, B, USER, PASSWORD)
    _open_security_credentials(page)
    keys = _section(page, "Access keys")
    assert f"is not authorized to perform: iam:ListAccessKeys on resource: user {USER}" in keys
    assert "with an explicit deny in an identity-based policy" in keys

    # Assign MFA device: the device is named after the user (the policy's mfa/${aws:username}).
    page.get_by_role("link", name="Assign MFA device").click()
    assert page.get_by_label("Device name").input_value() == USER
    page.get_by_role("button", name="Next").click()
    page.get_by_role("button", name="Show secret key").click()
    seed = page.locator("#mfa-secret").inner_text()
    step = int(time.time()) // 30
    page.get_by_label("MFA code 1").fill(totp(seed, step - 2))  # two earlier steps: the
    page.get_by_label("MFA code 2").fill(totp(seed, step - 1))  # sign-in's code is then new
    page.get_by_role("button", name="Add MFA").click()
    assert page.get_by_role("status").first.inner_text() == "MFA device assigned."
    assert f"arn:aws:iam::{B}:mfa/{USER}" in _section(page, "Multi-factor authentication (MFA)")

    # Sign in again with the device: the policy's deny no longer applies.
    sign_out(page)
    sign_in(page, server.url, B, USER, PASSWORD)
    page.get_by_label("MFA code").fill(totp(seed, int(time.time()) // 30))
    page.get_by_role("button", name="Submit").click()
    assert "/console/home" in page.url, page.url

    _open_security_credentials(page)
    page.get_by_role("link", name="Update password").click()
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Update password").click()
    assert page.get_by_role("status").first.inner_text() == "Your password has been updated."

    key_id, secret = create_access_key(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download .csv file").click()
    saved = tmp_path / "accessKeys.csv"
    download.value.save_as(saved)
    with saved.open(newline="") as rows:
        assert list(csv.reader(rows)) == [["Access key ID", "Secret access key"], [key_id, secret]]
    page.get_by_role("link", name="Done").click()
    assert key_id in _section(page, "Access keys")
    screenshot(page, "security-credentials")

    # The key works against the server; without MFA it reaches only what the policy lists.
    keys_client = _client(server, "iam", {"AccessKeyId": key_id, "SecretAccessKey": secret})
    assert keys_client.get_user()["User"]["UserName"] == USER
    with pytest.raises(ClientError) as denied:
        keys_client.list_access_keys()
    assert denied.value.response["Error"]["Code"] == "AccessDenied"

    # The new password signs in (the MFA step follows).
    sign_out(page)
    sign_in(page, server.url, B, USER, NEW_PASSWORD)
    assert "/console/signin/mfa" in page.url, page.url
    page.goto(server.url + "/console/signin")

    # bob, without the permissions, sees IAM's denial in each section.
    sign_in(page, server.url, B, "bob", PASSWORD)
    _open_security_credentials(page)
    assert "because no identity-based policy allows the iam:ListAccessKeys action" in _section(page, "Access keys")
    page.get_by_role("link", name="Update password").click()
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Update password").click()
    assert "because no identity-based policy allows the iam:ChangePassword action" in alert_text(page)

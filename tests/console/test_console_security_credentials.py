"""The signed-in principal's own "Security credentials" page without a browser: the account
menu's link, the "AWS IAM credentials" (Update password, Assign MFA device, access keys), each
an IAM call as the signed-in user, denials shown as IAM words them; the root user's page; a
role's.

AWS pages (IAM User Guide unless said): "How an IAM user changes their own password"
(id_credentials_passwords_user-change-own: "In the navigation bar on the upper right, choose
your user name, and then choose Security credentials"; "On the AWS IAM credentials tab,
choose Update password"; "Current password", "New password", "Confirm new password");
"How IAM users can manage their own access keys" (access-key-self-managed: "Create access
key", deactivate, activate, delete; the Retrieve access key page's "Download .csv file");
"Assign a virtual MFA device in the AWS Management Console" (id_credentials_mfa_enable_virtual:
"Assign MFA device", "MFA code 1", "MFA code 2"); "IAM tutorial: Permit users to manage their
credentials and MFA settings" (tutorial_users-self-manage-mfa-and-creds) with its policy, "AWS:
Allows MFA-authenticated IAM users to manage their own credentials on the Security credentials
page" (reference_policies_examples_aws_my-sec-creds-self-manage: DenyAllExceptListedIfNoMFA);
"Access denied error messages" (troubleshoot_access-denied: "... with an explicit deny in an
identity-based policy", "... because no identity-based policy allows the ... action");
"Create access keys for the root user" (id_root-user_manage_add-key); "Update root user
password" (Account Management Reference: "This task isn't supported in the AWS CLI or by an
API operation").
"""

from __future__ import annotations

import html
import json
import re
from datetime import timedelta
from typing import Any

from console_iam_page_harness import iam
from console_page_harness import ROOT_PASSWORD, A, B, Browser, app, location, text, totp

from iamsandbox.server.app import App
from iamsandbox.store import hash_password

__all__ = ["app"]

PAGE = "/console/iam/security-credentials"
USER_PASSWORD = "Mfa-User-Console-1"
NEW_PASSWORD = "Mfa-User-Console-2!"
# The last step of "Create access key" (id_credentials_access-keys): the use case "Command Line
# Interface (CLI)", acknowledged, then "Create access key".
CLI_KEY = {"step": "description", "use_case": "cli", "acknowledged": "on", "action": "create"}
# The policy of "AWS: Allows MFA-authenticated IAM users to manage their own credentials on
# the Security credentials page", as the tutorial uses it (Force_MFA).
STATEMENTS: list[dict[str, Any]] = [
    {
        "Sid": "AllowViewAccountInfo",
        "Effect": "Allow",
        "Action": ["iam:GetAccountPasswordPolicy", "iam:ListVirtualMFADevices"],
        "Resource": "*",
    },
    {
        "Sid": "AllowManageOwnPasswords",
        "Effect": "Allow",
        "Action": ["iam:ChangePassword", "iam:GetUser"],
        "Resource": "arn:aws:iam::*:user/${aws:username}",
    },
    {
        "Sid": "AllowManageOwnAccessKeys",
        "Effect": "Allow",
        "Action": ["iam:CreateAccessKey", "iam:DeleteAccessKey", "iam:ListAccessKeys", "iam:UpdateAccessKey"],
        "Resource": "arn:aws:iam::*:user/${aws:username}",
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
        "Action": [
            "iam:DeactivateMFADevice",
            "iam:EnableMFADevice",
            "iam:GetUser",
            "iam:ListMFADevices",
            "iam:ResyncMFADevice",
        ],
        "Resource": "arn:aws:iam::*:user/${aws:username}",
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
]
SELF_MANAGE = {"Version": "2012-10-17", "Statement": STATEMENTS}


def _user(app: App, name: str, policy: dict[str, Any] | None = None) -> None:
    with app.store.transaction() as tx:
        user = tx.create_user(B, name)
        if policy is not None:
            arn = tx.create_policy(B, "Force_MFA", json.dumps(policy)).arn
            tx.attach_policy(user.id, arn)
        tx.set_login_profile(user.id, hash_password(USER_PASSWORD), reset_required=False)


def _signed_in(app: App, name: str, policy: dict[str, Any] | None = None) -> Browser:
    _user(app, name, policy)
    browser = Browser(app)
    assert browser.sign_in(B, name, USER_PASSWORD).status == 303
    return browser


def _plain(response_text: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response_text)).split())


def _section(page: str, heading: str) -> str:
    """The text of the page's card whose heading is ``heading``."""
    start = page.index(f"<h2>{heading}</h2>")
    return _plain(page[start : page.index("</section>", start)])


def _assign_mfa(browser: Browser, name: str) -> str:
    """Assign MFA device from the page, as the user; the device's seed."""
    form = browser.get(PAGE + "/mfa/assign")
    assert form.status == 200, text(form)
    assert f'value="{name}"' in text(form)  # the device name defaults to the user's
    codes = browser.post(PAGE + "/mfa/assign", step="name", device_name=name)
    assert codes.status == 200, text(codes)
    page = text(codes)
    seed = re.search(r'id="mfa-secret">([A-Z2-7]+)<', page)
    serial = re.search(r'name="serial" value="([^"]+)"', page)
    assert seed and serial, page
    done = browser.post(
        PAGE + "/mfa/assign",
        step="codes",
        serial=serial.group(1),
        seed=seed.group(1),
        code1=totp(seed.group(1), browser.now),
        code2=totp(seed.group(1), browser.now + timedelta(seconds=30)),
    )
    assert done.status == 303 and location(done).startswith(PAGE), text(done)
    return seed.group(1)


def test_the_account_menu_opens_security_credentials_for_a_user_and_the_root_user(app: App) -> None:
    """id_credentials_passwords_user-change-own: "choose your user name, and then choose
    Security credentials"; a role switched to has no credentials of its own to show."""
    browser = Browser(app)
    browser.sign_in()
    home = text(browser.get("/console/home"))
    assert f'<a href="{PAGE}">Security credentials</a>' in home
    switched = browser.post("/console/switchrole", account=A, roleName="my-s3-x-account-role")
    assert switched.status == 303, text(switched)
    assert "Security credentials" not in text(browser.get("/console/home"))
    as_role = browser.get(PAGE)
    assert as_role.status == 200
    assert "Switch back" in text(as_role) and "Access keys" not in text(as_role)

    root = Browser(app)
    root.get("/console/signin")
    assert root.post("/console/signin", signin_type="root", account=B, password=ROOT_PASSWORD).status == 303
    assert f'<a href="{PAGE}">Security credentials</a>' in text(root.get("/console/home"))


def test_the_tutorial_user_assigns_mfa_then_updates_the_password_and_creates_an_access_key(app: App) -> None:
    """tutorial_users-self-manage-mfa-and-creds with the Force_MFA policy: signed in without
    MFA, the user may assign their MFA device but every other action is explicitly denied;
    signed in with it, "Update password" and "Create access key" work."""
    browser = _signed_in(app, "mfauser", SELF_MANAGE)
    page = browser.get(PAGE)
    assert page.status == 200, text(page)
    body = text(page)
    assert "AWS IAM credentials" in body and "Update password" in body and "Assign MFA device" in body
    denied = _section(body, "Access keys")
    assert "AccessDenied" in denied
    assert (
        f"User: arn:aws:iam::{B}:user/mfauser is not authorized to perform: iam:ListAccessKeys on resource: "
        "user mfauser with an explicit deny in an identity-based policy"
    ) in denied

    # Update password without MFA: ChangePassword is not among the NotAction's exceptions.
    refused = browser.post(
        PAGE + "/password", current_password=USER_PASSWORD, new_password=NEW_PASSWORD, confirm_password=NEW_PASSWORD
    )
    assert refused.status == 403
    assert "is not authorized to perform: iam:ChangePassword" in _plain(text(refused))

    seed = _assign_mfa(browser, "mfauser")
    listed = _section(text(browser.get(PAGE, done="mfa-assigned")), "Multi-factor authentication (MFA)")
    assert f"arn:aws:iam::{B}:mfa/mfauser" in listed

    # Sign out, sign in again with the device's code: now the policy's deny does not apply.
    browser.post("/console/signout")
    browser.later(90)
    assert location(browser.sign_in(B, "mfauser", USER_PASSWORD)).startswith("/console/signin/mfa")
    assert browser.post("/console/signin/mfa", mfa_code=totp(seed, browser.now)).status == 303

    form = browser.get(PAGE + "/password")
    for label in ("Current password", "New password", "Confirm new password"):
        assert f">{label}</label>" in text(form)
    changed = browser.post(
        PAGE + "/password", current_password=USER_PASSWORD, new_password=NEW_PASSWORD, confirm_password=NEW_PASSWORD
    )
    assert changed.status == 303 and location(changed).startswith(PAGE), text(changed)
    browser.post("/console/signout")
    browser.later(60)
    assert location(Browser(app, browser.now).sign_in(B, "mfauser", NEW_PASSWORD)).startswith("/console/signin/mfa")

    browser.sign_in(B, "mfauser", NEW_PASSWORD)
    browser.post("/console/signin/mfa", mfa_code=totp(seed, browser.now))
    create = browser.get(PAGE + "/access-keys/create")
    assert create.status == 200, text(create)
    known = re.search(r'name="known" value="([^"]*)"', text(create))
    assert known is not None
    created = browser.post(PAGE + "/access-keys/create", known=known.group(1), **CLI_KEY)
    assert created.status == 200, text(created)
    key_id = re.search(r'id="access-key-id">(AKIA[A-Z0-9]+)<', text(created))
    secret = re.search(r'id="secret-access-key">([^<]+)<', text(created))
    assert key_id and secret
    assert "Download .csv file" in text(created)
    keys = iam(app, B, "ListAccessKeys", UserName="mfauser")["AccessKeyMetadata"]
    assert [(k["AccessKeyId"], k["Status"]) for k in keys] == [(key_id.group(1), "Active")]

    # Deactivate, activate, delete: UpdateAccessKey and DeleteAccessKey on the user's own key.
    key = key_id.group(1)
    assert browser.post(f"{PAGE}/access-keys/{key}/status", status="Inactive").status == 303
    assert iam(app, B, "ListAccessKeys", UserName="mfauser")["AccessKeyMetadata"][0]["Status"] == "Inactive"
    assert browser.post(f"{PAGE}/access-keys/{key}/status", status="Active").status == 303
    assert iam(app, B, "ListAccessKeys", UserName="mfauser")["AccessKeyMetadata"][0]["Status"] == "Active"
    assert browser.post(f"{PAGE}/access-keys/{key}/delete", confirm=key).status == 400  # active: deactivate first
    assert "First, deactivate the access key." in text(browser.get(f"{PAGE}/access-keys/{key}/delete"))
    deactivated = browser.post(f"{PAGE}/access-keys/{key}/status", status="Inactive", then="delete")
    assert location(deactivated) == f"{PAGE}/access-keys/{key}/delete"
    assert browser.post(f"{PAGE}/access-keys/{key}/delete", confirm=key).status == 303
    assert iam(app, B, "ListAccessKeys", UserName="mfauser")["AccessKeyMetadata"] == []


def test_a_reloaded_create_form_creates_nothing_and_shows_no_secret(app: App) -> None:
    """access-key-self-managed: the secret is shown once, when the key is created."""
    policy = {"Version": "2012-10-17", "Statement": STATEMENTS[:3]}  # passwords and access keys
    browser = _signed_in(app, "carol", policy)
    created = browser.post(PAGE + "/access-keys/create", known="", **CLI_KEY)
    assert created.status == 200 and "secret-access-key" in text(created)
    again = browser.post(PAGE + "/access-keys/create", known="", **CLI_KEY)
    assert again.status == 303 and "done=key-stale" in location(again)
    assert len(iam(app, B, "ListAccessKeys", UserName="carol")["AccessKeyMetadata"]) == 1


def test_a_user_without_the_permissions_sees_each_denial_on_the_page(app: App) -> None:
    """troubleshoot_access-denied: "... because no identity-based policy allows the ... action";
    each section asks IAM on its own, so each shows its own denial."""
    browser = _signed_in(app, "bob")
    body = text(browser.get(PAGE))
    for section, action in (
        ("Summary", "iam:GetUser"),
        ("Multi-factor authentication (MFA)", "iam:ListMFADevices"),
        ("Access keys", "iam:ListAccessKeys"),
    ):
        assert (
            f"User: arn:aws:iam::{B}:user/bob is not authorized to perform: {action} on resource: "
            f"user bob because no identity-based policy allows the {action} action"
        ) in _section(body, section)
    refused = browser.post(PAGE + "/access-keys/create", known="", **CLI_KEY)
    assert refused.status == 403
    assert "iam:ListAccessKeys" in _plain(text(refused))
    assert iam(app, B, "ListAccessKeys", UserName="bob")["AccessKeyMetadata"] == []
    password = browser.post(
        PAGE + "/password", current_password=USER_PASSWORD, new_password=NEW_PASSWORD, confirm_password=NEW_PASSWORD
    )
    assert password.status == 403
    assert "because no identity-based policy allows the iam:ChangePassword action" in _plain(text(password))


def test_update_password_needs_the_confirmation_to_match(app: App) -> None:
    """id_credentials_passwords_user-change-own: "New password" and "Confirm new password"."""
    browser = _signed_in(app, "dana", {"Version": "2012-10-17", "Statement": STATEMENTS[1:2]})
    refused = browser.post(
        PAGE + "/password", current_password=USER_PASSWORD, new_password=NEW_PASSWORD, confirm_password="Other-1!x"
    )
    assert refused.status == 400
    assert Browser(app).sign_in(B, "dana", USER_PASSWORD).status == 303  # unchanged


def test_the_root_user_manages_root_access_keys_but_not_the_password_here(app: App) -> None:
    """id_root-user_manage_add-key (the root user's keys: CreateAccessKey without UserName);
    "Update root user password" is not an API operation, so it is not offered here."""
    root = Browser(app)
    root.get("/console/signin")
    root.post("/console/signin", signin_type="root", account=B, password=ROOT_PASSWORD)
    body = text(root.get(PAGE))
    assert "Root user" in body and "Access keys" in body
    assert 'href="/console/iam/security-credentials/password"' not in body
    assert "not updated here" in _section(body, "Console sign-in")
    assert root.post(PAGE + "/password", current_password="x", new_password="y", confirm_password="y").status == 400

    form = text(root.get(PAGE + "/access-keys/create"))
    assert "I understand creating a root access key is not a best practice" in form
    assert root.post(PAGE + "/access-keys/create", known="").status == 400  # not confirmed
    created = root.post(PAGE + "/access-keys/create", known="", root_confirm="on")
    assert created.status == 200, text(created)
    key_id = re.search(r'id="access-key-id">(AKIA[A-Z0-9]+)<', text(created))
    assert key_id is not None
    assert [k["AccessKeyId"] for k in iam(app, B, "ListAccessKeys")["AccessKeyMetadata"]] == [key_id.group(1)]
    assert key_id.group(1) in _section(text(root.get(PAGE)), "Access keys")


def test_download_csv_file_holds_the_key_shown(app: App) -> None:
    """access-key-self-managed / access-keys-admin-managed: "Download .csv file"."""
    browser = _signed_in(app, "erin")
    answer = browser.post("/console/iam/access-keys/download", access_key_id="AKIAEXAMPLE", secret_access_key="s3cr/t")
    assert answer.status == 200
    assert dict(answer.headers)["content-type"].startswith("text/csv")
    assert answer.body.decode().splitlines() == ["Access key ID,Secret access key", "AKIAEXAMPLE,s3cr/t"]

"""IAM console pages in headless Chromium: what a person sees when a policy is malformed,
when IAM denies, when they typed markup, and when they assign an MFA device.

AWS pages: the JSON editor's policy validation (access_policies_policy-validator: "If the
policy syntax is not valid, you receive a notification and must fix the problem before you
can continue"; access-analyzer-policy-validation: the Security, Errors, Warnings and
Suggestions tabs with their counts) and its findings ("IAM policy validation check
reference", access-analyzer-reference-policy-checks: #error-json-syntax-error,
#error-missing-action, #error-missing-resource); "Access denied error
messages" (troubleshoot_access-denied: "User: ARN is not authorized to perform: ACTION on
resource: ARN because no identity-based policy allows the ACTION action"); "Assign a
virtual MFA device in the AWS Management Console" (id_credentials_mfa_enable_virtual: "Show
QR code" or "Show secret key", "MFA code 1", "MFA code 2"); "Your AWS account ID and its alias"
(console-account-alias).
"""

from __future__ import annotations

import base64
import time
from typing import Any

from browser_harness import browser, page, screenshot, sign_in
from console_iam_harness import alert_text, make_admin, open_iam, sign_in_admin
from e2e_harness import B, Server, _client, server

from iamsandbox.services.iam.mfa import totp

__all__ = ["browser", "page", "server"]

MALFORMED = '{\n    "Version": "2012-10-17",\n    "Statement": [\n        {"Effect": "Allow"\n'  # cut short


def test_malformed_policy_shows_aws_error_as_typed_and_on_next_and_is_not_saved(server: Server, page: Any) -> None:
    iam = make_admin(server, B)
    sign_in_admin(page, server, B)
    open_iam(page, "Policies")
    page.get_by_role("link", name="Create policy").click()
    page.get_by_label("Policy editor").fill(MALFORMED)
    validator = page.get_by_role("region", name="Policy validator")
    message = "Json syntax error: Fix the JSON syntax error at index 77 line 5 column 1."
    validator.get_by_text(message).wait_for()  # as you type, in the Errors tab
    tabs = validator.get_by_role("tab")
    assert tabs.all_inner_texts() == ["Security: 0", "Errors: 1", "Warnings: 0", "Suggestions: 0"]
    assert validator.get_by_role("tab", name="Errors: 1").get_attribute("aria-selected") == "true"
    screenshot(page, "policy-editor-error")
    validator.get_by_role("tab", name="Security: 0").click()  # the tabs switch
    assert not validator.get_by_text(message).is_visible()
    validator.get_by_role("tab", name="Errors: 1").click()
    assert validator.get_by_text(message).is_visible()
    page.get_by_role("button", name="Next").click()
    assert alert_text(page) == f"JSON_SYNTAX_ERROR {message}"
    assert page.get_by_label("Policy editor").input_value() == MALFORMED  # kept, to fix it
    assert page.get_by_label("Policy name").count() == 0  # still the editor step
    assert iam.list_policies(Scope="Local")["Policies"] == []


def test_malformed_policy_without_javascript(server: Server, browser: Any) -> None:
    iam = make_admin(server, B)
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in_admin(page, server, B)
        page.goto(server.url + "/console/iam/policies/create")
        page.get_by_label("Policy editor").fill('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow"}]}')
        page.get_by_role("button", name="Next").click()
        assert (
            alert_text(page)
            == "MISSING_ACTION Missing action: Add an Action or NotAction element to the policy statement."
        )
        validator = page.get_by_role("region", name="Policy validator")
        assert "Errors: 2" in validator.inner_text()  # the same findings, drawn by the server
        assert "Missing resource: Add a Resource or NotResource element to the policy statement." in (
            validator.inner_text()
        )
        assert iam.list_policies(Scope="Local")["Policies"] == []
    finally:
        context.close()


def test_user_without_iam_permissions_sees_access_denied_on_the_users_list(server: Server, page: Any) -> None:
    root = server.create_account(B)
    iam = _client(server, "iam", root)
    iam.create_user(UserName="bob")
    iam.create_login_profile(UserName="bob", Password="Bob-Console-42", PasswordResetRequired=False)
    sign_in(page, server.url, B, "bob", "Bob-Console-42")
    open_iam(page, "Users")
    assert alert_text(page) == (
        "AccessDenied User: arn:aws:iam::222222222222:user/bob is not authorized to perform: iam:ListUsers on "
        "resource: arn:aws:iam::222222222222:user/ because no identity-based policy allows the iam:ListUsers action"
    )
    screenshot(page, "iam-access-denied")


def test_what_users_typed_renders_as_text(server: Server, page: Any) -> None:
    make_admin(server, B)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    script = "<script>alert(1)</script>"
    sign_in_admin(page, server, B)
    page.goto(server.url + "/console/iam/policies/create")
    page.get_by_label("Policy editor").fill(
        '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]}'
    )
    page.get_by_role("button", name="Next").click()
    page.get_by_label("Policy name").fill("described")
    page.get_by_label("Description").fill(script)
    page.get_by_role("button", name="Create policy").click()
    assert page.get_by_role("definition").filter(has_text=script).inner_text() == script
    # A user name IAM refuses comes back in the form, as typed, with AWS's ValidationError.
    page.goto(server.url + "/console/iam/users/create")
    page.get_by_label("User name").fill("<img src=x onerror=alert(2)>")
    page.get_by_role("button", name="Next").click()  # "Specify user details" checks it as IAM does
    assert alert_text(page).startswith("ValidationError The specified value for userName is invalid.")
    assert page.get_by_label("User name").input_value() == "<img src=x onerror=alert(2)>"
    assert page.locator("img").count() == 0
    assert dialogs == []


def test_assign_virtual_mfa_device_by_scanning_or_typing_the_secret(server: Server, page: Any) -> None:
    iam = make_admin(server, B)
    iam.create_user(UserName="alice")
    sign_in_admin(page, server, B)
    page.goto(server.url + "/console/iam/users/details/alice?tab=security_credentials")
    page.get_by_role("link", name="Assign MFA device").click()
    page.get_by_label("Device name").fill("alice-phone")
    page.get_by_label("Authenticator app").check()
    page.get_by_role("button", name="Next").click()
    qr = page.get_by_role("img", name="QR code of the MFA device")
    assert not qr.is_visible() and not page.locator("#mfa-secret").is_visible()  # until asked
    page.get_by_role("button", name="Show QR code").click()
    assert qr.is_visible()
    source = qr.get_attribute("src") or ""
    assert source.startswith("data:image/png;base64,")
    assert base64.b64decode(source.removeprefix("data:image/png;base64,"))[:8] == b"\x89PNG\r\n\x1a\n"
    assert qr.evaluate("img => img.naturalWidth") > 0  # the browser drew it (the CSP allows data: images)
    page.get_by_role("button", name="Show secret key").click()
    screenshot(page, "mfa-assign")
    seed = page.locator("#mfa-secret").inner_text()
    step = int(time.time()) // 30
    page.get_by_label("MFA code 1").fill(totp(seed, step - 1))
    page.get_by_label("MFA code 2").fill(totp(seed, step))
    page.get_by_role("button", name="Add MFA").click()
    assert page.get_by_role("status").first.inner_text() == "MFA device assigned."
    serial = f"arn:aws:iam::{B}:mfa/alice-phone"
    assert page.get_by_role("table", name="MFA devices").get_by_text(serial).is_visible()
    assert [d["SerialNumber"] for d in iam.list_mfa_devices(UserName="alice")["MFADevices"]] == [serial]


def test_account_alias_on_the_dashboard(server: Server, page: Any) -> None:
    iam = make_admin(server, B)
    sign_in_admin(page, server, B)
    open_iam(page, "Dashboard")
    page.get_by_label("Preferred alias").fill("trusted-b")
    page.get_by_role("button", name="Create alias").click()
    assert page.get_by_role("status").first.inner_text() == "Account alias created."
    assert f"{server.url}/console/signin?account=trusted-b" in page.get_by_role("main").inner_text()
    assert iam.list_account_aliases()["AccountAliases"] == ["trusted-b"]
    # "To remove the alias, next to Account Alias choose Delete, and then choose Delete."
    page.get_by_role("button", name="Delete", exact=True).click()
    assert iam.list_account_aliases()["AccountAliases"] == ["trusted-b"]  # asked first
    page.get_by_role("button", name="Delete", exact=True).click()
    assert page.get_by_role("status").first.inner_text() == "Account alias deleted."
    assert iam.list_account_aliases()["AccountAliases"] == []

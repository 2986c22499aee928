"""The account password policy in headless Chromium: the admin sets a custom policy by
clicking through IAM → Account settings → Password policy → Edit, a user then cannot set a
password the policy refuses, and the admin goes back to the IAM default.

AWS pages: "Set an account password policy for IAM users" (IAM User Guide: "Setting a
password policy (console)": "In the navigation pane, choose Account settings", "In the
Password policy section, choose Edit", "Choose Custom", the options, "Save changes"; to
remove it, "IAM default"); "How an IAM user changes their own password" (Old password, New
password, "Confirm password change"); "Permit IAM users to change their own passwords"
(AllowUsersToChangePassword); UpdateAccountPasswordPolicy / GetAccountPasswordPolicy
(IAM API reference: without a custom policy, NoSuchEntity). The labels of the options are
the console's as third-party guides quote them (unconfirmed by an AWS page).
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError
from browser_harness import browser, page, screenshot, sign_in
from console_iam_harness import alert_text, make_admin, open_iam, sign_in_admin, sign_out
from e2e_harness import B, Server, server

__all__ = ["browser", "page", "server"]

BOB_PASSWORD = "Bob-Console-42"


def test_admin_sets_a_custom_password_policy_a_user_is_held_to_it_and_the_admin_goes_back_to_default(
    server: Server, page: Any
) -> None:
    iam = make_admin(server, B)
    iam.create_user(UserName="bob")
    iam.create_login_profile(UserName="bob", Password=BOB_PASSWORD, PasswordResetRequired=False)

    # The admin: IAM → Account settings shows the IAM default; Edit → Custom → options → Save changes.
    sign_in_admin(page, server, B)
    open_iam(page, "Account settings")
    policy_card = page.get_by_role("region", name="Password policy")
    assert "IAM default" in policy_card.inner_text()
    policy_card.get_by_role("link", name="Edit password policy").click()
    page.get_by_label("Custom", exact=True).check()
    page.get_by_label("Password minimum length").fill("14")
    page.get_by_label("Require at least one uppercase letter from Latin alphabet (A-Z)").check()
    page.get_by_label("Require at least one lowercase letter from Latin alphabet (a-z)").check()
    page.get_by_label("Require at least one number").check()
    page.get_by_label("Turn on password expiration").check()
    page.get_by_label("Expire passwords in day(s)").fill("60")
    page.get_by_label("Allow users to change their own password").check()
    page.get_by_label("Prevent password reuse").check()
    page.get_by_label("Remember password(s)").fill("3")
    page.get_by_role("button", name="Save changes").click()
    assert page.get_by_role("status").first.inner_text() == "Password policy updated."
    shown = page.get_by_role("region", name="Password policy").inner_text()
    assert "Custom" in shown and "14 characters" in shown and "Expire passwords in 60 day(s)" in shown
    assert "Remember 3 password(s)" in shown
    screenshot(page, "iam-password-policy")
    assert iam.get_account_password_policy()["PasswordPolicy"] == {
        "MinimumPasswordLength": 14,
        "RequireSymbols": False,
        "RequireNumbers": True,
        "RequireUppercaseCharacters": True,
        "RequireLowercaseCharacters": True,
        "AllowUsersToChangePassword": True,
        "ExpirePasswords": True,
        "MaxPasswordAge": 60,
        "PasswordReusePrevention": 3,
        "HardExpiry": False,
    }
    sign_out(page)

    # bob: a 13-character password is refused by the policy, a 16-character one is taken.
    sign_in(page, server.url, B, "bob", BOB_PASSWORD)
    assert "/console/home" in page.url, page.url
    page.goto(server.url + "/console/password")
    page.get_by_label("Old password").fill(BOB_PASSWORD)
    page.get_by_label("New password", exact=True).fill("Short-Pass-13")
    page.get_by_label("Retype new password").fill("Short-Pass-13")
    page.get_by_role("button", name="Confirm password change").click()
    assert alert_text(page) == "PasswordPolicyViolation Password does not conform to the account password policy."
    page.get_by_label("Old password").fill(BOB_PASSWORD)
    page.get_by_label("New password", exact=True).fill("Long-Enough-Pass-16")
    page.get_by_label("Retype new password").fill("Long-Enough-Pass-16")
    page.get_by_role("button", name="Confirm password change").click()
    assert page.get_by_role("status").first.inner_text() == "Your password has been changed."
    sign_out(page)

    # The admin: Edit → IAM default → Save changes: DeleteAccountPasswordPolicy.
    sign_in_admin(page, server, B)
    open_iam(page, "Account settings")
    page.get_by_role("link", name="Edit password policy").click()
    page.get_by_label("IAM default", exact=True).check()
    page.get_by_role("button", name="Save changes").click()
    assert page.get_by_role("status").first.inner_text() == "The IAM default password policy applies."
    assert "IAM default" in page.get_by_role("region", name="Password policy").inner_text()
    with pytest.raises(ClientError) as gone:
        iam.get_account_password_policy()
    assert gone.value.response["Error"]["Code"] == "NoSuchEntity"


def test_out_of_range_minimum_length_shows_iams_validation_error(server: Server, page: Any) -> None:
    iam = make_admin(server, B)
    sign_in_admin(page, server, B)
    page.goto(server.url + "/console/iam/account-settings/password-policy/edit")
    page.get_by_label("Custom", exact=True).check()
    page.get_by_label("Password minimum length").fill("5")
    page.get_by_role("button", name="Save changes").click()
    assert alert_text(page) == (
        "ValidationError 1 validation error detected: Value at 'minimumPasswordLength' failed to satisfy "
        "constraint: Member must have value greater than or equal to 6"
    )
    assert page.get_by_label("Password minimum length").input_value() == "5"  # kept, to fix it
    with pytest.raises(ClientError):
        iam.get_account_password_policy()

"""IAM → Account settings → Password policy without a browser: the view ("IAM default" or the
custom policy), the edit form ("Custom" with its options, or back to "IAM default"), what
IAM refuses, and that the policy then applies to passwords set in the console.

AWS pages: "Set an account password policy for IAM users" (IAM User Guide: "Setting a
password policy (console)": Account settings, Password policy, Edit, Custom or IAM default,
Save changes; "Custom password policy options": minimum length 6 to 128, expiration 1 to
1095 days, reuse 1 to 24 passwords; the default policy: at least 8 characters and three of
the four character types); UpdateAccountPasswordPolicy / GetAccountPasswordPolicy /
DeleteAccountPasswordPolicy (IAM API reference: no partial updates; without a custom policy
GetAccountPasswordPolicy answers NoSuchEntity); "Access denied error messages"
(troubleshoot_access-denied: "User: ARN is not authorized to perform: ACTION on resource:
ARN because no identity-based policy allows the ACTION action"); "Permit IAM users to
change their own passwords" (AllowUsersToChangePassword). The ValidationError texts are
the AWS query protocol's constraint messages ("1 validation error detected: Value at
'minimumPasswordLength' failed to satisfy constraint: Member must have value greater than
or equal to 6"), as IAM answers an out-of-range value.
"""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from console_iam_page_harness import iam, signed_in_admin
from console_page_harness import PASSWORD, B, Browser, app, location, text

from iamsandbox.console.web import Response
from iamsandbox.errors import NoSuchEntity
from iamsandbox.server.app import App

__all__ = ["app"]

SETTINGS = "/console/iam/account-settings"
EDIT = SETTINGS + "/password-policy/edit"
CUSTOM = {
    "policy_type": "custom",
    "minimum_length": "12",
    "require_uppercase": "on",
    "require_numbers": "on",
    "expire": "on",
    "max_age": "90",
    "allow_change": "on",
    "prevent_reuse": "on",
    "reuse_count": "5",
}
TOO_SHORT = "Short-Pw-9"  # 10 characters: fine for the default policy, not for length 12
POLICY_VIOLATION = "Password does not conform to the account password policy."


def _page(response_text: str) -> str:
    """The page's words, without markup."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response_text)).split())


def _follow(browser: Browser, redirect: Response) -> Response:
    """GET the redirect's location (path and query)."""
    target = urlsplit(location(redirect))
    return browser.get(target.path, **dict(parse_qsl(target.query)))


def _no_custom_policy(app: App) -> bool:
    try:
        iam(app, B, "GetAccountPasswordPolicy")
    except NoSuchEntity:
        return True
    return False


def test_the_iam_navigation_leads_to_account_settings_showing_the_iam_default(app: App) -> None:
    admin = signed_in_admin(app, B)
    assert 'href="/console/iam/account-settings"' in text(admin.get("/console/iam"))
    answer = admin.get(SETTINGS)
    assert answer.status == 200
    shown = _page(text(answer))
    assert 'href="/console/iam/account-settings" aria-current="page"' in text(answer)
    assert "IAM default" in shown and "Minimum password length is 8 characters" in shown
    form = text(admin.get(EDIT))
    assert 'value="default" aria-describedby="f-default-help" checked' in form  # "IAM default" chosen


def test_save_a_custom_policy_then_view_and_edit_it(app: App) -> None:
    admin = signed_in_admin(app, B)
    saved = admin.post(EDIT, **CUSTOM)
    assert saved.status == 303 and location(saved).startswith(SETTINGS)
    # The whole policy is what UpdateAccountPasswordPolicy set: options left out are off.
    assert iam(app, B, "GetAccountPasswordPolicy")["PasswordPolicy"] == {
        "MinimumPasswordLength": 12,
        "RequireSymbols": False,
        "RequireNumbers": True,
        "RequireUppercaseCharacters": True,
        "RequireLowercaseCharacters": False,
        "AllowUsersToChangePassword": True,
        "ExpirePasswords": True,
        "MaxPasswordAge": 90,
        "PasswordReusePrevention": 5,
        "HardExpiry": False,
    }
    shown = _page(text(_follow(admin, saved)))
    assert "Password policy updated." in shown
    assert "Custom" in shown and "IAM default" not in shown
    assert "Password minimum length 12 characters" in shown
    assert "Require at least one uppercase letter from Latin alphabet (A-Z) Yes" in shown
    assert "Require at least one lowercase letter from Latin alphabet (a-z) No" in shown
    assert "Expire passwords in 90 day(s)" in shown
    assert "Remember 5 password(s)" in shown
    form = text(admin.get(EDIT))  # the form opens with the policy's values
    assert 'value="custom" aria-describedby="f-custom-help" checked' in form
    assert 'name="minimum_length" type="number" value="12"' in form
    assert 'id="f-require_uppercase" name="require_uppercase" checked' in form
    assert 'id="f-require_lowercase" name="require_lowercase">' in form
    assert 'id="f-prevent_reuse" name="prevent_reuse" checked' in form


def test_a_custom_policy_applies_to_passwords_set_in_the_console(app: App) -> None:
    admin = signed_in_admin(app, B)
    assert admin.post(EDIT, **CUSTOM).status == 303
    # The admin on a user's page: CreateLoginProfile refuses a password too short.
    iam(app, B, "CreateUser", UserName="bob")
    refused = admin.post("/console/iam/users/details/bob/login-profile", exists="no", password=TOO_SHORT)
    assert refused.status == 400
    assert "PasswordPolicyViolation" in text(refused) and POLICY_VIOLATION in text(refused)
    # A user changing their own password (AllowUsersToChangePassword grants iam:ChangePassword).
    alice = Browser(app)
    assert alice.sign_in(B, "alice", PASSWORD).status == 303
    short = alice.post("/console/password", old_password=PASSWORD, new_password=TOO_SHORT, new_password_again=TOO_SHORT)
    assert short.status == 400 and POLICY_VIOLATION in text(short)
    good = "Long-Enough-Pw-42"
    changed = alice.post("/console/password", old_password=PASSWORD, new_password=good, new_password_again=good)
    assert changed.status == 303


def test_back_to_the_iam_default(app: App) -> None:
    admin = signed_in_admin(app, B)
    assert admin.post(EDIT, **CUSTOM).status == 303
    back = admin.post(EDIT, policy_type="default", minimum_length="12")  # the options are ignored
    assert back.status == 303
    assert _no_custom_policy(app)  # DeleteAccountPasswordPolicy ran
    shown = _page(text(_follow(admin, back)))
    assert "The IAM default password policy applies." in shown and "IAM default" in shown
    again = admin.post(EDIT, policy_type="default")  # already the default: nothing to delete
    assert again.status == 303 and _no_custom_policy(app)
    # Under the default policy 10 characters of three types are enough again.
    iam(app, B, "CreateUser", UserName="bob")
    created = admin.post("/console/iam/users/details/bob/login-profile", exists="no", password=TOO_SHORT)
    assert created.status == 303


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "minimum_length",
            "5",
            "1 validation error detected: Value at 'minimumPasswordLength' failed to satisfy constraint: "
            "Member must have value greater than or equal to 6",
        ),
        (
            "minimum_length",
            "129",
            "1 validation error detected: Value at 'minimumPasswordLength' failed to satisfy constraint: "
            "Member must have value less than or equal to 128",
        ),
        (
            "max_age",
            "1096",
            "1 validation error detected: Value at 'maxPasswordAge' failed to satisfy constraint: "
            "Member must have value less than or equal to 1095",
        ),
        (
            "reuse_count",
            "25",
            "1 validation error detected: Value at 'passwordReusePrevention' failed to satisfy constraint: "
            "Member must have value less than or equal to 24",
        ),
    ],
)
def test_out_of_range_values_show_iams_validation_error_on_the_form(
    app: App, field: str, value: str, message: str
) -> None:
    admin = signed_in_admin(app, B)
    answer = admin.post(EDIT, **{**CUSTOM, field: value})
    assert answer.status == 400
    shown = _page(text(answer))
    assert "ValidationError" in shown and message in shown
    assert f'name="{field}" type="number" value="{value}"' in text(answer)  # kept, to fix it
    assert _no_custom_policy(app)


def test_a_value_that_is_not_a_number_is_refused_before_iam(app: App) -> None:
    admin = signed_in_admin(app, B)
    answer = admin.post(EDIT, **{**CUSTOM, "minimum_length": "twelve"})
    assert answer.status == 400
    assert "ValidationError" in text(answer) and "Password minimum length: enter a whole number." in text(answer)
    assert _no_custom_policy(app)


def test_a_user_without_permission_sees_access_denied(app: App) -> None:
    alice = Browser(app)  # alice may only sts:AssumeRole
    assert alice.sign_in(B, "alice", PASSWORD).status == 303
    viewed = alice.get(SETTINGS)
    assert viewed.status == 403
    assert (
        "User: arn:aws:iam::222222222222:user/alice is not authorized to perform: iam:GetAccountPasswordPolicy on "
        "resource: * because no identity-based policy allows the iam:GetAccountPasswordPolicy action"
    ) in _page(text(viewed))
    denied = alice.post(EDIT, **CUSTOM)
    assert denied.status == 403
    assert (
        "User: arn:aws:iam::222222222222:user/alice is not authorized to perform: iam:UpdateAccountPasswordPolicy "
        "on resource: * because no identity-based policy allows the iam:UpdateAccountPasswordPolicy action"
    ) in _page(text(denied))
    assert 'name="minimum_length" type="number" value="12"' in text(denied)  # the form, as typed
    assert _no_custom_policy(app)


def test_the_form_needs_its_csrf_token(app: App) -> None:
    admin = signed_in_admin(app, B)
    forged = admin.post(EDIT, csrf=False, csrf_token="forged", **CUSTOM)
    assert forged.status == 403
    assert _no_custom_policy(app)

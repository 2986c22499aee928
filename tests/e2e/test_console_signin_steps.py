"""Sign-in beyond the password, in headless Chromium: the password reset an administrator
requires, the MFA code, and failed sign-ins that slow down and never say which field was
wrong.

AWS: "How an IAM user changes their own password" and the AWS managed policy
IAMUserChangePassword (iam:ChangePassword on the user's own ARN); "Using MFA devices with
your IAM sign-in page"; "Sign in to the AWS Management Console as an IAM user" ("Your
authentication information is incorrect. Please try again.").
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import struct
import time
from typing import Any

from browser_harness import browser, page, screenshot, sign_in
from e2e_harness import B, Server, _client, server

__all__ = ["browser", "page", "server"]

FAILED = "Your authentication information is incorrect. Please try again."


def _totp(seed: str, at: float) -> str:
    """RFC 6238 (SHA-1, 30-second steps, 6 digits), as an authenticator app computes it."""
    digest = hmac.new(base64.b32decode(seed), struct.pack(">Q", int(at) // 30), hashlib.sha1).digest()
    offset = digest[19] & 0x0F
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 10**6:06d}"


def _user(server: Server, password: str, reset: bool = False) -> Any:
    iam = _client(server, "iam", server.create_account(B))
    iam.create_user(UserName="alice")
    iam.create_login_profile(UserName="alice", Password=password, PasswordResetRequired=reset)
    return iam


def _menu_text(page: Any) -> str:
    return re.sub(r"\s+", " ", page.get_by_label("Account menu").inner_text()).strip()


def test_a_user_who_must_reset_the_password_changes_it_first(server: Server, page: Any) -> None:
    iam = _user(server, "Temporary-Pass-1", reset=True)
    iam.attach_user_policy(UserName="alice", PolicyArn="arn:aws:iam::aws:policy/IAMUserChangePassword")
    sign_in(page, server.url, B, "alice", "Temporary-Pass-1")
    assert page.url.endswith("/console/password")
    page.goto(server.url + "/console/s3")
    assert page.url.endswith("/console/password")  # nothing else opens before the change
    page.get_by_label("Old password").fill("Temporary-Pass-1")
    page.get_by_label("New password", exact=True).fill("Chosen-Pass-2")
    page.get_by_label("Retype new password").fill("Chosen-Pass-3")
    page.get_by_role("button", name="Confirm password change").click()
    assert "do not match" in page.get_by_role("alert").inner_text()
    page.get_by_label("Old password").fill("Temporary-Pass-1")
    page.get_by_label("New password", exact=True).fill("weak")
    page.get_by_label("Retype new password").fill("weak")
    page.get_by_role("button", name="Confirm password change").click()
    assert page.get_by_role("alert").locator(".error-code").inner_text() == "PasswordPolicyViolation"
    page.get_by_label("Old password").fill("Temporary-Pass-1")
    page.get_by_label("New password", exact=True).fill("Chosen-Pass-2")
    page.get_by_label("Retype new password").fill("Chosen-Pass-2")
    screenshot(page, "password-reset")
    page.get_by_role("button", name="Confirm password change").click()
    assert "Your password has been changed." in page.get_by_role("status").inner_text()
    assert iam.get_login_profile(UserName="alice")["LoginProfile"]["PasswordResetRequired"] is False
    page.get_by_role("link", name="Continue to the console").click()
    assert page.url.endswith("/console/home")
    page.get_by_label("Account menu").click()
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, server.url, B, "alice", "Chosen-Pass-2")
    assert page.url.endswith("/console/home")


def test_a_user_with_an_mfa_device_gives_a_code_and_a_code_works_once(server: Server, page: Any) -> None:
    iam = _user(server, "Alice-Console-9")
    device = iam.create_virtual_mfa_device(VirtualMFADeviceName="alice-phone")["VirtualMFADevice"]
    seed = device["Base32StringSeed"].decode()
    now = time.time()
    iam.enable_mfa_device(
        UserName="alice",
        SerialNumber=device["SerialNumber"],
        AuthenticationCode1=_totp(seed, now - 60),
        AuthenticationCode2=_totp(seed, now - 30),
    )
    sign_in(page, server.url, B, "alice", "Alice-Console-9")
    assert "/console/signin/mfa" in page.url
    page.get_by_label("MFA code").fill("000000" if _totp(seed, time.time()) != "000000" else "111111")
    page.get_by_role("button", name="Submit").click()
    assert page.get_by_role("alert").inner_text() == FAILED
    screenshot(page, "sign-in-mfa")
    code = _totp(seed, time.time())
    page.get_by_label("MFA code").fill(code)
    page.get_by_role("button", name="Submit").click()
    assert _menu_text(page) == "alice @ 2222-2222-2222"

    other = page.context.browser.new_page()  # another browser session, the same code
    try:
        sign_in(other, server.url, B, "alice", "Alice-Console-9")
        other.get_by_label("MFA code").fill(code)  # its time step was used: a replay
        other.get_by_role("button", name="Submit").click()
        assert other.get_by_role("alert").inner_text() == FAILED
    finally:
        other.close()


def test_failed_sign_ins_say_the_same_and_slow_down(server: Server, page: Any) -> None:
    _user(server, "Alice-Console-9")
    answers = []
    for account, user, password in ((B, "alice", "Wrong-Pass-1"), (B, "nobody", "Alice-Console-9")):
        sign_in(page, server.url, account, user, password)
        answers.append(page.get_by_role("alert").inner_text())
    sign_in(page, server.url, "no-such-alias", "alice", "Alice-Console-9")
    answers.append(page.get_by_role("alert").inner_text())
    assert answers == [FAILED] * 3
    sign_in(page, server.url, B, "alice", "Wrong-Pass-1")  # the fourth failure in this browser
    assert page.get_by_role("alert").inner_text() == FAILED
    sign_in(page, server.url, B, "alice", "Alice-Console-9")  # right, but too soon
    wait = re.fullmatch(
        r"Too many failed sign-in attempts\. Wait (\d+) seconds?, then try again\.",
        page.get_by_role("alert").inner_text(),
    )
    assert wait is not None and 1 <= int(wait.group(1)) <= 2
    screenshot(page, "sign-in-too-many")
    assert page.get_by_label("Account menu").count() == 0
    time.sleep(int(wait.group(1)))
    sign_in(page, server.url, B, "alice", "Alice-Console-9")
    assert _menu_text(page) == "alice @ 2222-2222-2222"

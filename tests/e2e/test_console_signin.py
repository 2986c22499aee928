"""Console sign-in as an IAM user, in headless Chromium against a real server.

AWS: "Sign in to the AWS Management Console as an IAM user" (IAM User Guide): account ID
or alias, IAM user name, password; a wrong password does not say which field was wrong.
"How IAM users sign in to AWS" (id_users_sign-in): "For convenience, the AWS sign-in page
uses a browser cookie to remember the IAM user name and account information".
"""

from __future__ import annotations

import re
import time
from typing import Any

from browser_harness import browser, page, screenshot, sign_in
from e2e_harness import B, Server, _client, server

__all__ = ["browser", "page", "server"]


def _user_with_password(server: Server, name: str = "alice", password: str = "Correct-Horse-9") -> None:
    root_b = server.create_account(B)
    iam = _client(server, "iam", root_b)
    iam.create_user(UserName=name)
    iam.create_login_profile(UserName=name, Password=password, PasswordResetRequired=False)
    iam.create_account_alias(AccountAlias="trusted-b")


def test_sign_in_shows_who_you_are_and_signs_out(server: Server, page: Any) -> None:
    _user_with_password(server)
    page.goto(server.url + "/")  # "/" leads to the console, and to sign-in first
    assert "/console/signin" in page.url
    screenshot(page, "sign-in")
    sign_in(page, server.url, B, "alice", "Correct-Horse-9")
    menu = page.get_by_label("Account menu")
    assert re.sub(r"\s+", " ", menu.inner_text()).strip() == "alice @ 2222-2222-2222"
    services = page.get_by_role("navigation", name="Services")
    services.get_by_role("link", name="IAM", exact=True).wait_for()
    services.get_by_role("link", name="S3", exact=True).wait_for()
    menu.click()
    page.get_by_role("button", name="Sign out").click()
    assert "/console/signin" in page.url


def test_sign_in_by_alias(server: Server, page: Any) -> None:
    _user_with_password(server)
    sign_in(page, server.url, "trusted-b", "alice", "Correct-Horse-9")
    assert "alice @ 2222-2222-2222" in page.get_by_label("Account menu").inner_text()


def test_wrong_password_and_unknown_user_say_the_same(server: Server, page: Any) -> None:
    _user_with_password(server)
    sign_in(page, server.url, B, "alice", "wrong")
    wrong_password = page.get_by_role("alert").inner_text()
    sign_in(page, server.url, B, "nobody", "Correct-Horse-9")
    unknown_user = page.get_by_role("alert").inner_text()
    assert wrong_password == unknown_user
    assert "alice" not in wrong_password and "password" not in wrong_password.lower().replace("information", "")


def test_form_posted_without_csrf_token_is_refused(server: Server, page: Any) -> None:
    _user_with_password(server)
    sign_in(page, server.url, B, "alice", "Correct-Horse-9")
    response = page.request.post(server.url + "/console/signout", form={"csrf_token": "forged"})
    assert response.status == 403
    page.goto(server.url + "/console/home")
    assert "alice @" in page.get_by_label("Account menu").inner_text()  # still signed in


def test_a_sign_in_is_the_users_password_last_used(server: Server, page: Any) -> None:
    # User, PasswordLastUsed (IAM API reference): "the date and time ... when the user's
    # password was last used to sign in to an AWS website", answered by GetUser and ListUsers.
    _user_with_password(server)
    iam = _client(server, "iam", server.roots[B])
    assert "PasswordLastUsed" not in iam.get_user(UserName="alice")["User"]
    sign_in(page, server.url, B, "alice", "Correct-Horse-9")
    page.get_by_label("Account menu").wait_for()
    used = iam.get_user(UserName="alice")["User"]["PasswordLastUsed"]
    assert [u.get("PasswordLastUsed") for u in iam.list_users()["Users"]] == [used]


def test_the_browser_remembers_the_account_and_iam_user_name(server: Server, page: Any) -> None:
    _user_with_password(server)
    sign_in(page, server.url, "trusted-b", "alice", "Correct-Horse-9")
    page.get_by_label("Account menu").click()
    page.get_by_role("button", name="Sign out").click()
    assert page.get_by_label("Account ID or alias").input_value() == "trusted-b"  # as typed
    assert page.get_by_label("IAM username").input_value() == "alice"
    (cookie,) = [c for c in page.context.cookies() if c["name"] == "iamsandbox_signin"]
    assert (cookie["httpOnly"], cookie["sameSite"], cookie["path"]) == (True, "Lax", "/console")
    assert cookie["expires"] - time.time() > 364 * 24 * 3600  # a year, not the browser session
    assert "Correct-Horse-9" not in cookie["value"]
    # A link that names the account still wins.
    page.goto(f"{server.url}/console/signin?account={B}")
    assert page.get_by_label("Account ID or alias").input_value() == B
    assert page.get_by_label("IAM username").input_value() == "alice"


def test_the_iam_username_field_has_one_accessible_name(server: Server, page: Any) -> None:
    page.goto(server.url + "/console/signin")
    assert page.get_by_role("textbox", name="IAM username", exact=True).count() == 1
    assert page.get_by_label("IAM username").count() == 1


def test_a_failed_sign_in_puts_the_focus_on_the_message(server: Server, page: Any) -> None:
    _user_with_password(server)
    sign_in(page, server.url, B, "alice", "wrong")
    focused = page.evaluate("document.activeElement.id")
    assert focused == "signin-error"
    assert page.locator(":focus").get_attribute("role") == "alert"


def test_the_root_user_help_text_stays_inside_the_card(server: Server, page: Any) -> None:
    """The commands in the "Root user" help wrap inside the sign-in card instead of running
    past its right edge."""
    for width in (1280, 800, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(server.url + "/console/signin")
        card = page.locator("section.card").bounding_box()
        codes = page.locator("#t-root-help code")
        assert codes.count() == 2
        for index in range(codes.count()):
            box = codes.nth(index).bounding_box()
            assert box is not None and card is not None
            assert card["x"] <= box["x"] and box["x"] + box["width"] <= card["x"] + card["width"], (width, box, card)

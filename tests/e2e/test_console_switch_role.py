"""Switch Role in headless Chromium: denials, AWS's link, CSRF, the root user.

AWS: "Switch from a user to an IAM role (console)" (IAM User Guide,
id_roles_use_switch-role-console): the link
``/switchrole?account=...&roleName=...&displayName=...`` fills the form in; "You cannot
switch roles if you sign in as the AWS account root user"; a switch the trust policy does
not allow fails ("Invalid information in one or more fields. Check your information or
contact your administrator." is what AWS's console says; the API's AccessDenied, "Access
denied error messages", says why).
"""

from __future__ import annotations

import json
import re
import subprocess
from typing import Any

import pytest
from botocore.exceptions import ClientError
from browser_harness import browser, page, screenshot, sign_in
from e2e_harness import BIN, ROLE, A, B, Server, _client, _set_up, server
from playwright.sync_api import expect

__all__ = ["browser", "page", "server"]

PASSWORD = "Alice-Console-9"
CONSOLE_FAILED = "Invalid information in one or more fields. Check your information or contact your administrator."


def _alice(server: Server) -> None:
    _set_up(server)
    _client(server, "iam", server.roots[B]).create_login_profile(
        UserName="alice", Password=PASSWORD, PasswordResetRequired=False
    )


def _menu_text(page: Any) -> str:
    return re.sub(r"\s+", " ", page.get_by_label("Account menu").inner_text()).strip()


def test_a_role_that_does_not_trust_the_account_is_denied_with_the_reason(server: Server, page: Any) -> None:
    keys = _set_up(server)
    _client(server, "iam", server.roots[B]).create_login_profile(
        UserName="alice", Password=PASSWORD, PasswordResetRequired=False
    )
    own_only = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{A}:root"}, "Action": "sts:AssumeRole"}],
    }
    _client(server, "iam", server.roots[A]).create_role(
        RoleName="a-internal-role", AssumeRolePolicyDocument=json.dumps(own_only)
    )
    # alice may call sts:AssumeRole on any role: only the trust policy refuses.
    anything = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}],
    }
    _client(server, "iam", server.roots[B]).put_user_policy(
        UserName="alice", PolicyName="assume-any", PolicyDocument=json.dumps(anything)
    )
    sign_in(page, server.url, B, "alice", PASSWORD)
    page.goto(server.url + "/console/switchrole")
    page.get_by_label("Account ID or alias").fill(A)
    page.get_by_label("IAM role name").fill("a-internal-role")
    page.get_by_role("button", name="Switch Role").click()
    headline, code, message = page.get_by_role("alert").locator("p").all_inner_texts()
    assert (headline, code) == (CONSOLE_FAILED, "AccessDenied")
    assert message.startswith(
        f"User: arn:aws:iam::{B}:user/alice is not authorized to perform: sts:AssumeRole on resource: "
        f"arn:aws:iam::{A}:role/a-internal-role"
    )
    # The same answer as the API's to alice's own AssumeRole.
    with pytest.raises(ClientError) as api:
        _client(server, "sts", keys).assume_role(
            RoleArn=f"arn:aws:iam::{A}:role/a-internal-role", RoleSessionName="alice"
        )
    assert message == api.value.response["Error"]["Message"]
    screenshot(page, "switch-role-denied")
    assert page.get_by_label("IAM role name").input_value() == "a-internal-role"  # the form keeps what was typed
    assert _menu_text(page) == "alice @ 2222-2222-2222"  # still alice


def test_awss_switch_role_link_fills_the_form_in(server: Server, page: Any) -> None:
    _alice(server)
    sign_in(page, server.url, B, "alice", PASSWORD)
    page.goto(f"{server.url}/console/switchrole?account={A}&roleName={ROLE}&displayName=Shared%20bucket%20reader")
    assert page.get_by_label("Account ID or alias").input_value() == A
    assert page.get_by_label("IAM role name").input_value() == ROLE
    assert page.get_by_label("Display name").input_value() == "Shared bucket reader"
    page.get_by_role("button", name="Switch Role").click()
    assert _menu_text(page) == "Shared bucket reader"


def test_the_help_texts_describe_their_fields(server: Server, page: Any) -> None:
    """Each help paragraph is its field's accessible description (aria-describedby), so a
    screen reader reads it with the field."""
    _alice(server)
    sign_in(page, server.url, B, "alice", PASSWORD)
    page.goto(server.url + "/console/switchrole")
    for label, description in (
        ("Account ID or alias", "The 12-digit account ID or the account alias."),
        ("IAM role name", "The role's name; with its path when it has one (division/my-role)."),
        ("Display name", "Optional. Shown in the account menu while the role is active; by default ROLE @ ACCOUNT."),
    ):
        expect(page.get_by_label(label)).to_have_accessible_description(description)


def test_the_link_opens_the_form_after_signing_in(server: Server, page: Any) -> None:
    _alice(server)
    page.goto(f"{server.url}/console/switchrole?account={A}&roleName={ROLE}")
    assert "/console/signin" in page.url
    page.get_by_label("Account ID or alias").fill(B)
    page.get_by_label("IAM username").fill("alice")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_label("IAM role name").input_value() == ROLE
    page.get_by_role("button", name="Switch Role").click()
    assert _menu_text(page) == f"{ROLE} @ {A}"  # the suggested display name, ROLE @ ACCOUNT


def test_a_switch_posted_without_its_csrf_token_is_refused(server: Server, page: Any) -> None:
    _alice(server)
    sign_in(page, server.url, B, "alice", PASSWORD)
    for form in ({"account": A, "roleName": ROLE}, {"account": A, "roleName": ROLE, "csrf_token": "forged"}):
        response = page.request.post(server.url + "/console/switchrole", form=form)
        assert response.status == 403
    page.goto(server.url + "/console/home")
    assert _menu_text(page) == "alice @ 2222-2222-2222"  # not switched


def test_the_root_user_signs_in_with_the_root_password_and_cannot_switch(server: Server, page: Any) -> None:
    done = subprocess.run(
        [str(BIN / "iamsandbox"), "account", "create", "--id", B, "--data", str(server.data), "--json"]
        + ["--generate-root-password"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    root_password = json.loads(done.stdout)["RootPassword"]
    page.goto(server.url + "/console/signin")
    page.get_by_label("Root user").check()
    assert page.get_by_label("IAM username").is_hidden()  # not asked of the root user
    page.get_by_label("Account ID or alias").fill(B)
    page.get_by_label("Password").fill(root_password)
    page.get_by_role("button", name="Sign in").click()
    assert _menu_text(page) == "root @ 2222-2222-2222"
    page.get_by_label("Account menu").click()
    page.get_by_role("link", name="Switch role").click()
    assert page.get_by_role("alert").inner_text() == (
        "You cannot switch roles if you sign in as the AWS account root user."
    )
    assert page.get_by_role("button", name="Switch Role").count() == 0


def test_the_pages_load_every_resource_they_ask_for(server: Server, page: Any) -> None:
    """No page of the sign-in and switch-role path asks for something the server does not
    have. A browser also asks for /favicon.ico unless the page names an icon: a 404 there is
    an error in the browser's console on every page (seen by a review in a desktop browser)."""
    _alice(server)
    failed: list[str] = []
    page.on("response", lambda response: response.status >= 400 and failed.append(f"{response.status} {response.url}"))
    # A load the next navigation cuts short (net::ERR_ABORTED, the icon's among them) is no
    # missing resource: only other failures count.
    page.on(
        "requestfailed",
        lambda request: "ERR_ABORTED" not in (request.failure or "") and failed.append(f"failed {request.url}"),
    )
    sign_in(page, server.url, B, "alice", PASSWORD)
    page.goto(server.url + "/console/switchrole")
    page.get_by_label("Account ID or alias").fill(A)
    page.get_by_label("IAM role name").fill(ROLE)
    page.get_by_role("button", name="Switch Role").click()
    page.goto(server.url + "/console/s3")
    page.wait_for_load_state("networkidle")
    assert failed == []
    # Headless Chromium asks for no icon; a person's browser does, so the page names one.
    icon = page.locator("link[rel=icon]").get_attribute("href")
    response = page.request.get(server.url + icon)
    assert (response.status, response.headers["content-type"]) == (200, "image/svg+xml")

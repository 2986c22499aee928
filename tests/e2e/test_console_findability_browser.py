"""The console as a script written from AWS's documentation finds it, in headless Chromium:
Playwright's get_by_label / get_by_role with the words of AWS's pages (one walk, one server).

AWS pages: "Sign in to the AWS Management Console as an IAM user" (AWS Sign-In User Guide:
account ID or alias, IAM username, password) and "How IAM users sign in to AWS"
(id_users_sign-in: the sign-in URL ends with ``/console/``); "Switch from a user to an IAM
role (console)" (id_roles_use_switch-role-console: "choose your user name on the navigation
bar", "Account ID", "IAM role name", a suggested display name); "Create a role to give
permissions to an IAM user" (id_roles_create_for-user: "Choose Next"); "IAM tutorial:
Delegate access across AWS accounts using IAM roles" (tutorial_cross-account-with-roles:
"Choose the JSON tab"); "Copying objects" (S3 User Guide: "choose Actions").
"""

from __future__ import annotations

from typing import Any

from browser_harness import browser, page
from console_iam_harness import ADMIN, ADMIN_PASSWORD, ADMINISTRATOR_ACCESS
from e2e_harness import ROLE, A, B, Server, _client, _set_up, server

__all__ = ["browser", "page", "server"]


def test_a_script_from_aws_docs_finds_labels_buttons_and_tabs_by_their_aws_names(server: Server, page: Any) -> None:
    _set_up(server)
    iam_b = _client(server, "iam", server.roots[B])
    iam_b.create_user(UserName=ADMIN)
    iam_b.attach_user_policy(UserName=ADMIN, PolicyArn=ADMINISTRATOR_ACCESS)
    iam_b.create_login_profile(UserName=ADMIN, Password=ADMIN_PASSWORD, PasswordResetRequired=False)

    # The sign-in URL with its trailing slash; "IAM username" is the field's whole accessible
    # name (one label: two would make it "IAM username IAM user name").
    page.goto(server.url + "/console/")
    assert "/console/signin" in page.url
    assert page.get_by_role("textbox", name="IAM username", exact=True).count() == 1
    assert page.get_by_label("IAM username").count() == 1
    page.get_by_label("Account ID or alias").fill(B)
    page.get_by_label("IAM username").fill(ADMIN)
    page.get_by_label("Password").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    # The navigation bar: the identity with hyphens, on a button found by either name.
    identity = page.get_by_role("button", name="admin @ 2222-2222-2222")
    assert identity.count() == 1 and identity.inner_text().strip() == "admin @ 2222-2222-2222"
    page.get_by_role("button", name="Account menu").click()
    assert page.get_by_role("link", name="Switch role").is_visible()
    # Visible to a person too: the menu's links are not drawn in the menu's own background
    # colour ("Choose your user name on the navigation bar ... Choose Switch Role").
    for name in ("Switch role", "Security credentials"):
        link = page.get_by_role("link", name=name)
        ink = link.evaluate("e => getComputedStyle(e).color")
        paper = link.evaluate("e => getComputedStyle(e.closest('.menu')).backgroundColor")
        assert ink != paper, (name, ink, paper)

    # Create role, step 2: one button named "Next" (the policy pager says "Page 2").
    page.goto(server.url + "/console/iam/roles/create")
    page.get_by_label("Another AWS account").check()
    page.get_by_label("Account ID").fill(A)
    page.get_by_role("button", name="Next").click()
    assert page.get_by_role("heading", name="Add permissions").count() == 1
    assert page.get_by_role("button", name="Next").count() == 1
    assert page.get_by_role("button", name="Page 2").count() == 1

    # The policy editor's JSON tab; a user's tabs are tabs that still go where links go.
    page.goto(server.url + "/console/iam/policies/create")
    assert page.get_by_role("tab", name="JSON").get_attribute("aria-selected") == "true"
    page.goto(server.url + "/console/iam/users/details/alice")
    assert page.get_by_role("tablist").count() == 1
    page.get_by_role("tab", name="Security credentials").click()
    assert "tab=security_credentials" in page.url
    assert page.get_by_role("tab", name="Security credentials").get_attribute("aria-selected") == "true"

    # Switch Role: AWS's labels; the display name follows what is typed.
    page.goto(server.url + "/console/switchrole")
    page.get_by_label("Account ID or alias").fill(A)
    page.get_by_label("IAM role name").fill(ROLE)
    assert page.get_by_label("Display name").input_value() == f"{ROLE} @ {A}"
    page.get_by_role("button", name="Switch Role").click()
    assert page.get_by_role("button", name=f"{ROLE} @ {A}").count() == 1

    # S3 as the role: the Objects/Permissions tabs and the Actions menu button.
    page.goto(server.url + "/console/s3/buckets/shared-bucket")
    assert page.get_by_role("tab", name="Objects").get_attribute("aria-selected") == "true"
    page.get_by_role("button", name="Actions").click()
    assert page.get_by_role("button", name="Copy").is_visible()
    page.get_by_role("tab", name="Permissions").click()
    assert page.get_by_role("tab", name="Permissions").get_attribute("aria-selected") == "true"

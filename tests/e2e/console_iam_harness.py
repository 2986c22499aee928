"""Helpers of the IAM console's browser tests (a uniquely named module): an account admin
made through the API, signing in and out as a person would, and the texts AWS answers."""

from __future__ import annotations

from typing import Any

from browser_harness import sign_in
from e2e_harness import Server, _client

ADMIN = "admin"
ADMIN_PASSWORD = "Admin-Console-7"
ADMINISTRATOR_ACCESS = "arn:aws:iam::aws:policy/AdministratorAccess"


def make_admin(server: Server, account: str) -> Any:
    """Account ``account`` with an IAM user "admin" (AdministratorAccess, a console
    password) made with boto3; returns the root's IAM client."""
    root = server.create_account(account)
    iam = _client(server, "iam", root)
    iam.create_user(UserName=ADMIN)
    iam.attach_user_policy(UserName=ADMIN, PolicyArn=ADMINISTRATOR_ACCESS)
    iam.create_login_profile(UserName=ADMIN, Password=ADMIN_PASSWORD, PasswordResetRequired=False)
    return iam


def sign_in_admin(page: Any, server: Server, account: str) -> None:
    sign_in(page, server.url, account, ADMIN, ADMIN_PASSWORD)
    assert "/console/home" in page.url, page.url


def sign_out(page: Any) -> None:
    if page.locator("details.account-menu[open]").count() == 0:
        page.get_by_label("Account menu").click()
    page.get_by_role("button", name="Sign out").click()
    assert "/console/signin" in page.url


def open_iam(page: Any, section: str) -> None:
    """Follow the IAM navigation: "IAM" in the top bar, then the section's link."""
    page.get_by_role("navigation", name="Services").get_by_role("link", name="IAM", exact=True).click()
    nav = page.get_by_role("navigation", name="Identity and Access Management (IAM)")
    nav.get_by_role("link", name=section, exact=True).click()


def alert_text(page: Any) -> str:
    return " ".join(page.get_by_role("alert").first.inner_text().split())


def create_access_key(
    page: Any, use_case: str = "Command Line Interface (CLI)", description: str = ""
) -> tuple[str, str]:
    """From a Security credentials page, AWS's "Create access key" wizard ("Manage access keys
    for IAM users", id_credentials_access-keys): the use case and "I understand the above
    recommendation and want to proceed to create an access key", Next, "Description tag value",
    Create access key; on "Retrieve access keys" the secret is hidden until Show. Returns the
    key's ID and secret."""
    page.get_by_role("link", name="Create access key").click()
    assert page.get_by_role("heading", name="Access key best practices & alternatives").is_visible()
    page.get_by_label(use_case, exact=True).check()
    page.get_by_label("I understand the above recommendation and want to proceed to create an access key.").check()
    page.get_by_role("button", name="Next").click()
    assert page.get_by_role("heading", name="Set description tag - optional").is_visible()
    if description:
        page.get_by_label("Description tag value").fill(description)
    page.get_by_role("button", name="Create access key").click()
    assert page.get_by_role("heading", name="Retrieve access keys").is_visible()
    secret_code = page.locator("#secret-access-key")
    assert not secret_code.is_visible()  # hidden until "Show"
    page.get_by_role("button", name="Show").click()
    assert secret_code.is_visible()
    return page.locator("#access-key-id").inner_text(), secret_code.inner_text()

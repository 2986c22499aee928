"""Helpers of the console pages' tests without a browser (a uniquely named module): an admin
user made in the store (and signed in), and IAM calls as an account's root through the console's own
path (``console.calls.invoke``: validation, authorization, the handler)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from console_page_harness import Browser, text

from iamsandbox.console.calls import invoke
from iamsandbox.console.session import new_session
from iamsandbox.server.app import App
from iamsandbox.store import hash_password

ADMIN_PASSWORD = "Admin-Console-7"
ADMINISTRATOR_ACCESS = "arn:aws:iam::aws:policy/AdministratorAccess"


def admin_in(app: App, account: str, name: str = "admin", *, policy: str | None = ADMINISTRATOR_ACCESS) -> None:
    """An IAM user with a console password (ADMIN_PASSWORD) and, unless None, ``policy``."""
    with app.store.transaction() as tx:
        user = tx.create_user(account, name)
        if policy is not None:
            tx.attach_policy(user.id, policy)
        tx.set_login_profile(user.id, hash_password(ADMIN_PASSWORD), reset_required=False)


def signed_in_admin(
    app: App, account: str, name: str = "admin", *, policy: str | None = ADMINISTRATOR_ACCESS
) -> Browser:
    """``admin_in``'s user, signed in to the console."""
    admin_in(app, account, name, policy=policy)
    browser = Browser(app)
    answer = browser.sign_in(account, name, ADMIN_PASSWORD)
    assert answer.status == 303, text(answer)
    return browser


def iam(app: App, account: str, operation: str, **params: Any) -> dict[str, Any]:
    """An IAM operation as the account's root user."""
    return as_root(app, account, "iam", operation, params)


def s3(app: App, account: str, operation: str, **params: Any) -> dict[str, Any]:
    """An S3 operation as the account's root user."""
    return as_root(app, account, "s3", operation, params)


def as_root(app: App, account: str, service: str, operation: str, params: dict[str, Any]) -> dict[str, Any]:
    now = datetime.now(UTC)
    session = new_session()
    root = type(session)(
        csrf=session.csrf,
        account_id=account,
        root=True,
        signed_in_at=int(now.timestamp()),
        expires_at=int(now.timestamp()) + 3600,
    )
    return invoke(app, root, service, operation, params, client_ip="127.0.0.1", now=now)

"""Sign-in as an IAM user, and sign-out.

"Sign in to the AWS Management Console as an IAM user": the account ID or alias, the IAM
user name and the password. A failed sign-in says the same whichever field was wrong.
"""

from __future__ import annotations

from dataclasses import replace

from ...store.crypto import verify_password
from ..app import PageContext
from ..session import SIGN_IN_SECONDS, new_session
from ..web import Response, Routes

routes = Routes()

FAILED = "Your authentication information is incorrect. Please try again."


def _safe_redirect(target: str) -> str:
    """Only our own console pages: never an absolute or scheme-relative URL."""
    if target.startswith("/console/") and not target.startswith("//"):
        return target
    return "/console/home"


@routes.get("/console/signin", public=True)
def signin_form(page: PageContext) -> Response:
    return page.render(
        "signin.html",
        title="Sign in",
        account=page.request.query.get("account", ""),
        redirect_uri=_safe_redirect(page.request.query.get("redirect_uri", "")),
    )


@routes.post("/console/signin", public=True)
def signin(page: PageContext) -> Response:
    form = page.request.form
    account_text = form.get("account", "").strip()
    user_name = form.get("username", "").strip()
    password = form.get("password", "")
    redirect_uri = _safe_redirect(form.get("redirect_uri", ""))
    with page.app.store.read() as tx:
        account = tx.get_account(account_text) if account_text.isdigit() else tx.get_account_by_alias(account_text)
        user = tx.get_user(account.account_id, user_name) if account is not None and user_name else None
        profile = tx.get_login_profile(user.id) if user is not None else None
    if account is None or user is None or profile is None or not verify_password(password, profile.password_hash):
        return page.render(
            "signin.html",
            401,
            title="Sign in",
            account=account_text,
            username=user_name,
            redirect_uri=redirect_uri,
            error=FAILED,
        )
    now = int(page.request.now.timestamp())
    session = replace(
        new_session(),
        account_id=account.account_id,
        user_name=user.name,
        signed_in_at=now,
        expires_at=now + SIGN_IN_SECONDS,
        password_reset=profile.reset_required,
    )
    page.set_session(session)
    return page.redirect("/console/password" if profile.reset_required else redirect_uri)


@routes.post("/console/signout", public=True)
def signout(page: PageContext) -> Response:
    page.set_session(new_session())
    return page.redirect("/console/signin")

"""Change your own console password: the page a user whose login profile requires a reset
is sent to after signing in, and where any IAM user may change theirs.

"How an IAM user changes their own password" (IAM User Guide): old password, new password,
retyped, "Confirm password change". The change is IAM ChangePassword run as the signed-in
user, so what the API checks applies here too: the user needs iam:ChangePassword on their
own user (AWS's managed policy IAMUserChangePassword grants it), the old password must be
right, the new one must satisfy the password policy. ChangePassword clears the login
profile's reset flag; the console session's flag clears with it, and the other pages open.

Why the change is asked for: an administrator's reset (PasswordResetRequired), or a password
older than the account's MaxPasswordAge: "After 90 days, the password expires and the IAM
user must set a new password before accessing the AWS Management Console" ("Set an account
password policy for IAM users", id_credentials_passwords_account-policy); AWS's console
wording for each is unconfirmed.

While switched to a role the change is still the signed-in user's own (ChangePassword acts
on "the IAM user who is calling this operation"). The root user's password is not changed
here: ChangePassword is for IAM users ("The AWS account root user password is not affected
by this operation").
"""

from __future__ import annotations

from dataclasses import replace

from ...errors import ServiceError
from ..app import PageContext
from ..calls import invoke
from ..web import Response, Routes

routes = Routes()

MISMATCH = "The new password and the retyped password do not match."
CHANGED = "Your password has been changed."


def _page(
    page: PageContext, status: int = 200, error: ServiceError | None = None, problem: str = "", changed: bool = False
) -> Response:
    """``error``: the API's answer; ``problem``: what the page itself found wrong."""
    return page.render("password.html", status, title="Change password", error=error, problem=problem, changed=changed)


@routes.get("/console/password")
def password_form(page: PageContext) -> Response:
    return _page(page, changed=page.request.query.get("changed") == "1" and not page.session.password_reset)


@routes.post("/console/password")
def change_password(page: PageContext) -> Response:
    session = page.session
    if session.root:
        return _page(page, 400)
    form = page.request.form
    new = form.get("new_password", "")
    if new != form.get("new_password_again", ""):
        return _page(page, 400, problem=MISMATCH)
    params = {"OldPassword": form.get("old_password", ""), "NewPassword": new}
    try:
        # As the signed-in user, not a role switched to: it is the user's own password.
        invoke(
            page.app,
            session.switched_back(),
            "iam",
            "ChangePassword",
            params,
            client_ip=page.request.client_ip,
            now=page.request.now,
        )
    except ServiceError as error:
        return _page(page, error.status, error)
    page.set_session(replace(session, password_reset=False, password_expired=False))
    return page.redirect("/console/password", changed="1")

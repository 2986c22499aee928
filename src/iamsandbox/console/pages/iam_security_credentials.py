"""The signed-in principal's own "Security credentials" page (account menu → Security
credentials), its "AWS IAM credentials": console password, MFA devices, access keys.

AWS (IAM User Guide): "How an IAM user changes their own password"
(id_credentials_passwords_user-change-own: "In the navigation bar on the upper right, choose
your user name, and then choose Security credentials"; "On the AWS IAM credentials tab,
choose Update password"; "Current password", "New password", "Confirm new password");
"How IAM users can manage their own access keys" (access-key-self-managed: the access keys,
whose pages are ``iam_access_keys``'s); "Assign a
virtual MFA device in the AWS Management Console" (id_credentials_mfa_enable_virtual,
"Assign MFA device"); "IAM tutorial: Permit users to manage their credentials and MFA
settings" (tutorial_users-self-manage-mfa-and-creds), whose policy names the user's own ARN
with ${aws:username}.

Each part is one IAM call as the signed-in principal (``iam_common.call``): what the
policies deny shows AWS's AccessDenied message in its section, the others still load. An
IAM user's calls name the user (UserName); the root user's omit it, so IAM acts on the
root user ("If you do not specify a user name, IAM determines the user name implicitly").

While a role is active the page says so and calls nothing: a role has no password and no
long-term keys of its own (AWS's account menu then shows the role). The root user's
password is not changed here: AWS changes it on the Account page, and "This task isn't
supported in the AWS CLI or by an API operation" (Account Management Reference, "Update
root user password"). Known gap: the root user's MFA device is listed but not assigned here
(EnableMFADevice takes an IAM user's name; AWS assigns the root user's in its console only).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...errors import ServiceError
from ..app import PageContext
from ..web import Response, Routes
from .iam_common import account_alias, attempt, call, render, sign_in_url
from .iam_users import mfa_steps

routes = Routes()
BASE = "/console/iam/security-credentials"
MISMATCH = "The new password and the confirmed password do not match."


@dataclass(frozen=True)
class Own:
    """Whose credentials the page shows: an IAM user (``name``) or the root user (None)."""

    name: str | None

    @property
    def params(self) -> dict[str, Any]:
        return {"UserName": self.name} if self.name is not None else {}


def own_of(page: PageContext) -> Own | None:
    """The signed-in principal, or None while a role is active."""
    session = page.new_session or page.session
    if session.role is not None:
        return None
    return Own(None if session.root else session.user_name)


def role_page(page: PageContext) -> Response:
    return render(page, "iam/security_credentials.html", title="My security credentials", section="", role_active=True)


def credentials_page(page: PageContext, own: Own, status: int = 200, error: ServiceError | None = None) -> Response:
    user, user_error = attempt(page, "GetUser", **own.params)
    keys, keys_error = attempt(page, "ListAccessKeys", **own.params)
    mfa, mfa_error = attempt(page, "ListMFADevices", **own.params)
    return render(
        page,
        "iam/security_credentials.html",
        status,
        title="My security credentials",
        section="",
        role_active=False,
        root=own.name is None,
        user=user.get("User"),
        user_error=user_error,
        sign_in_url=sign_in_url(page, account_alias(page)[0]),
        keys=keys.get("AccessKeyMetadata", []),
        keys_error=keys_error,
        devices=mfa.get("MFADevices", []),
        mfa_error=mfa_error,
        error=error,
    )


@routes.get(BASE)
def security_credentials(page: PageContext) -> Response:
    own = own_of(page)
    return role_page(page) if own is None else credentials_page(page, own)


# --- console password ---------------------------------------------------------------------


def _password_form(page: PageContext, status: int = 200, **values: Any) -> Response:
    values.setdefault("error", None)
    values.setdefault("problem", "")
    return render(page, "iam/security_password.html", status, title="Update console password", section="", **values)


@routes.get(BASE + "/password")
def password_form(page: PageContext) -> Response:
    own = own_of(page)
    if own is None:
        return role_page(page)
    return _password_form(page, root=own.name is None)


@routes.post(BASE + "/password")
def update_password(page: PageContext) -> Response:
    """ChangePassword as the signed-in IAM user ("Changes the password of the IAM user who is
    calling this operation"); the root user's is not changed by it."""
    own = own_of(page)
    if own is None:
        return role_page(page)
    if own.name is None:
        return _password_form(page, 400, root=True)
    form = page.request.form
    new = form.get("new_password", "")
    if new != form.get("confirm_password", ""):
        return _password_form(page, 400, root=False, problem=MISMATCH)
    try:
        call(page, "ChangePassword", OldPassword=form.get("current_password", ""), NewPassword=new)
    except ServiceError as error:
        return _password_form(page, error.status, root=False, error=error)
    return page.redirect(BASE, done="password-changed")


# --- MFA ----------------------------------------------------------------------------------


def _mfa_form(page: PageContext, name: str, status: int = 200, **values: Any) -> Response:
    values.setdefault("error", None)
    return render(
        page,
        "iam/mfa_assign.html",
        status,
        title="Assign MFA device",
        section="",
        self_base=BASE,
        entity=name,
        **values,
    )


def _mfa_user(page: PageContext) -> str | None:
    """The IAM user assigning a device to themselves; None for a role or the root user."""
    own = own_of(page)
    return own.name if own is not None else None


@routes.get(BASE + "/mfa/assign")
def mfa_form(page: PageContext) -> Response:
    name = _mfa_user(page)
    if name is None:
        return page.redirect(BASE)
    # The device's name defaults to the user's: the tutorial's policy allows
    # CreateVirtualMFADevice only on arn:aws:iam::*:mfa/${aws:username}.
    return _mfa_form(page, name, step="name", device_name=name)


@routes.post(BASE + "/mfa/assign")
def mfa_assign(page: PageContext) -> Response:
    name = _mfa_user(page)
    if name is None:
        return page.redirect(BASE)
    return mfa_steps(page, name, _mfa_form, BASE)


@routes.post(BASE + "/mfa/remove")
def mfa_remove(page: PageContext) -> Response:
    own = own_of(page)
    if own is None:
        return role_page(page)
    serial = page.request.form.get("serial", "")
    try:
        call(page, "DeactivateMFADevice", SerialNumber=serial, **own.params)
        call(page, "DeleteVirtualMFADevice", SerialNumber=serial)
    except ServiceError as error:
        return credentials_page(page, own, error.status, error)
    return page.redirect(BASE, done="mfa-removed")

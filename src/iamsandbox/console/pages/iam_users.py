"""IAM users: the list, a user's details (Permissions, Groups, Tags, Security credentials),
console password and virtual MFA devices, and what deleting one removes (``delete_user``; the
confirmation is ``iam_delete``). "Create user" is iam_user_create; access keys are
iam_access_keys.

AWS (IAM User Guide): "Assign a virtual MFA device in the AWS Management Console"
(id_credentials_mfa_enable_virtual: "Show QR code" or "Show secret key", then two
consecutive codes in "MFA code 1" and "MFA code 2").
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from typing import Any

from ...errors import NoSuchEntity, ServiceError
from ..app import PageContext
from ..web import Response, Routes
from .iam_common import attempt, call, list_all, page_number, paged, render
from .iam_entities import KINDS, current_tags, permissions
from .iam_last_accessed import TAB as LAST_ACCESSED
from .iam_last_accessed import last_accessed

routes = Routes()
USERS = KINDS["users"]
QR_DATA = re.compile(r"data:image/png;base64,[A-Za-z0-9+/]+={0,2}")
TABS = [
    ("permissions", "Permissions"),
    ("groups", "Groups"),
    ("tags", "Tags"),
    ("security_credentials", "Security credentials"),
    LAST_ACCESSED,
]


def _user_url(name: str, tab: str = "") -> str:
    return USERS.url(name, tab)


# --- list --------------------------------------------------------------------------------


@routes.get("/console/iam/users")
def users(page: PageContext) -> Response:
    query = page.request.query.get("q", "")
    found, error = [], None
    try:
        found = list_all(page, "ListUsers", "Users")
    except ServiceError as failed:
        error = failed
    needle = query.strip().lower()
    matching = [user for user in found if needle in user["UserName"].lower()]
    shown = paged(matching, page_number(page.request.query.get("page")), 50)
    return render(
        page,
        "iam/users.html",
        error.status if error else 200,
        title="Users",
        section="users",
        shown=shown,
        query=query,
        error=error,
    )


# --- details -----------------------------------------------------------------------------


def _security(page: PageContext, name: str) -> dict[str, Any]:
    profile, profile_error = attempt(page, "GetLoginProfile", UserName=name)
    if isinstance(profile_error, NoSuchEntity):
        profile_error = None  # no console password
    keys, keys_error = attempt(page, "ListAccessKeys", UserName=name)
    mfa, mfa_error = attempt(page, "ListMFADevices", UserName=name)
    return {
        "profile": profile.get("LoginProfile"),
        "profile_error": profile_error,
        "keys": keys.get("AccessKeyMetadata", []),
        "keys_error": keys_error,
        "devices": mfa.get("MFADevices", []),
        "mfa_error": mfa_error,
    }


def details_page(
    page: PageContext, name: str, status: int = 200, error: ServiceError | None = None, tab: str = ""
) -> Response:
    user = call(page, "GetUser", UserName=name)["User"]
    tab = tab or page.request.query.get("tab", "permissions")
    if tab not in dict(TABS):
        tab = "permissions"
    values: dict[str, Any] = {}
    if tab == "permissions":
        values.update(permissions(page, USERS, name))
    elif tab == "groups":
        groups, groups_error = [], None
        try:
            groups = list_all(page, "ListGroupsForUser", "Groups", UserName=name)
        except ServiceError as failed:
            groups_error = failed
        values.update(groups=groups, groups_error=groups_error)
    elif tab == "tags":
        tags, tags_error = current_tags(page, USERS, name)
        values.update(tags=tags, tags_error=tags_error)
    elif tab == LAST_ACCESSED[0]:
        values.update(last_accessed(page, USERS, user["Arn"], _user_url(name)))
    else:
        values.update(_security(page, name))
    return render(
        page,
        "iam/user.html",
        status,
        title=name,
        section="users",
        user=user,
        tab=tab,
        tabs=TABS,
        kind=USERS,
        entity=name,
        error=error,
        **values,
    )


@routes.get("/console/iam/users/details/{name}")
def details(page: PageContext) -> Response:
    return details_page(page, page.params["name"])


def delete_user(page: PageContext, name: str) -> None:
    """As AWS's console ("Remove or deactivate an IAM user": the console deletes what the user
    has, as DeleteUser refuses while any remains): everything to remove is read first, so a
    refused read changes nothing; then the console password, access keys, MFA devices,
    policies, group memberships, signing certificates, SSH public keys and service-specific
    credentials are removed, then DeleteUser. Raises the first refusal."""
    profile, profile_error = attempt(page, "GetLoginProfile", UserName=name)
    if profile_error is not None and not isinstance(profile_error, NoSuchEntity):
        raise profile_error
    keys = call(page, "ListAccessKeys", UserName=name)["AccessKeyMetadata"]
    devices = call(page, "ListMFADevices", UserName=name)["MFADevices"]
    attached = call(page, "ListAttachedUserPolicies", UserName=name, MaxItems=1000)["AttachedPolicies"]
    inline = call(page, "ListUserPolicies", UserName=name, MaxItems=1000)["PolicyNames"]
    groups = list_all(page, "ListGroupsForUser", "Groups", UserName=name)
    certificates = call(page, "ListSigningCertificates", UserName=name)["Certificates"]
    ssh_keys = call(page, "ListSSHPublicKeys", UserName=name)["SSHPublicKeys"]
    credentials = call(page, "ListServiceSpecificCredentials", UserName=name)["ServiceSpecificCredentials"]
    if profile.get("LoginProfile"):
        call(page, "DeleteLoginProfile", UserName=name)
    for key in keys:
        call(page, "DeleteAccessKey", UserName=name, AccessKeyId=key["AccessKeyId"])
    for device in devices:
        call(page, "DeactivateMFADevice", UserName=name, SerialNumber=device["SerialNumber"])
        attempt(page, "DeleteVirtualMFADevice", SerialNumber=device["SerialNumber"])
    for policy in attached:
        call(page, "DetachUserPolicy", UserName=name, PolicyArn=policy["PolicyArn"])
    for policy_name in inline:
        call(page, "DeleteUserPolicy", UserName=name, PolicyName=policy_name)
    for group in groups:
        call(page, "RemoveUserFromGroup", UserName=name, GroupName=group["GroupName"])
    # What DeleteUser also refuses to leave behind: a console that stopped here would
    # leave a half-deleted user (its keys gone, the user still there).
    for certificate in certificates:
        call(page, "DeleteSigningCertificate", UserName=name, CertificateId=certificate["CertificateId"])
    for key in ssh_keys:
        call(page, "DeleteSSHPublicKey", UserName=name, SSHPublicKeyId=key["SSHPublicKeyId"])
    for credential in credentials:
        call(
            page,
            "DeleteServiceSpecificCredential",
            UserName=name,
            ServiceSpecificCredentialId=credential["ServiceSpecificCredentialId"],
        )
    call(page, "DeleteUser", UserName=name)


@routes.post("/console/iam/users/details/{name}/remove-group")
def remove_group(page: PageContext) -> Response:
    name = page.params["name"]
    call(page, "RemoveUserFromGroup", UserName=name, GroupName=page.request.form.get("group", ""))
    return page.redirect(_user_url(name, "groups"), done="group-removed")


# --- console password --------------------------------------------------------------------


def _security_error(page: PageContext, name: str, error: ServiceError) -> Response:
    return details_page(page, name, error.status, error, "security_credentials")


def _security_call(page: PageContext, done: str, operation: str, **params: Any) -> Response:
    """Run ``operation`` on the page's user; back to its Security credentials tab with the
    ``done`` notice, or with the error shown there."""
    name = page.params["name"]
    try:
        call(page, operation, UserName=name, **params)
    except ServiceError as error:
        return _security_error(page, name, error)
    return page.redirect(_user_url(name, "security_credentials"), done=done)


@routes.post("/console/iam/users/details/{name}/login-profile")
def save_password(page: PageContext) -> Response:
    form = page.request.form
    operation = "UpdateLoginProfile" if form.get("exists") == "yes" else "CreateLoginProfile"
    return _security_call(
        page,
        "password-saved",
        operation,
        Password=form.get("password", ""),
        PasswordResetRequired=form.get("reset") == "on",
    )


@routes.post("/console/iam/users/details/{name}/login-profile/delete")
def delete_password(page: PageContext) -> Response:
    return _security_call(page, "password-removed", "DeleteLoginProfile")


# --- access keys -------------------------------------------------------------------------


@routes.get("/console/iam/users/details/{name}/access-keys")
def keys_page(page: PageContext) -> Response:
    """The access keys (``iam_access_keys``) are on the Security credentials tab."""
    return page.redirect(_user_url(page.params["name"], "security_credentials"))


# --- MFA ---------------------------------------------------------------------------------


def _mfa_form(page: PageContext, name: str, status: int = 200, **values: Any) -> Response:
    values.setdefault("error", None)
    return render(
        page, "iam/mfa_assign.html", status, title="Assign MFA device", section="users", entity=name, **values
    )


@routes.get("/console/iam/users/details/{name}/mfa/assign")
def mfa_form(page: PageContext) -> Response:
    name = page.params["name"]
    call(page, "GetUser", UserName=name)
    return _mfa_form(page, name, step="name", device_name=name)


@routes.post("/console/iam/users/details/{name}/mfa/assign")
def mfa_assign(page: PageContext) -> Response:
    name = page.params["name"]
    return mfa_steps(page, name, _mfa_form, _user_url(name, "security_credentials"))


def mfa_steps(page: PageContext, name: str, show: Callable[..., Response], done_url: str) -> Response:
    """The posted step of "Assign MFA device" for the user ``name``: the device's name
    (CreateVirtualMFADevice, then the QR code and secret), or the two codes (EnableMFADevice,
    then ``done_url``). ``show(page, name, status, **values)`` draws the form again. Also the
    user's own Security credentials page's (``iam_security_credentials``)."""
    form = page.request.form
    if form.get("step") == "codes":
        serial, seed = form.get("serial", ""), form.get("seed", "")
        try:
            call(
                page,
                "EnableMFADevice",
                UserName=name,
                SerialNumber=serial,
                AuthenticationCode1=form.get("code1", "").strip(),
                AuthenticationCode2=form.get("code2", "").strip(),
            )
        except ServiceError as error:
            qr = form.get("qr", "")
            qr = qr if QR_DATA.fullmatch(qr) else ""  # only the picture this page drew
            return show(page, name, error.status, step="codes", serial=serial, seed=seed, qr=qr, error=error)
        return page.redirect(done_url, done="mfa-assigned")
    device_name = form.get("device_name", "").strip()
    try:
        device = call(page, "CreateVirtualMFADevice", VirtualMFADeviceName=device_name)["VirtualMFADevice"]
    except ServiceError as error:
        return show(page, name, error.status, step="name", device_name=device_name, error=error)
    seed = device["Base32StringSeed"].decode("ascii")
    qr = "data:image/png;base64," + base64.b64encode(device["QRCodePNG"]).decode("ascii")
    return show(page, name, step="codes", serial=device["SerialNumber"], seed=seed, qr=qr)


@routes.post("/console/iam/users/details/{name}/mfa/remove")
def mfa_remove(page: PageContext) -> Response:
    name = page.params["name"]
    serial = page.request.form.get("serial", "")
    try:
        call(page, "DeactivateMFADevice", UserName=name, SerialNumber=serial)
        call(page, "DeleteVirtualMFADevice", SerialNumber=serial)
    except ServiceError as error:
        return _security_error(page, name, error)
    return page.redirect(_user_url(name, "security_credentials"), done="mfa-removed")

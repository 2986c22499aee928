"""IAM account settings (/console/iam/account-settings): the account's password policy.

AWS: "Set an account password policy for IAM users" (IAM User Guide), section "Setting a
password policy (console)": IAM → Account settings → Password policy → Edit; choose
"Custom" and the options, or "IAM default", then "Save changes". The options and their
ranges are the page's "Custom password policy options": Password minimum length (6 to
128), the four "Require at least one ..." character types, "Turn on password expiration"
(1 to 1095 days), "Password expiration requires administrator reset", "Allow users to
change their own password", "Prevent password reuse" (1 to 24 passwords).

Every read and write is the API run as the signed-in principal (``iam_common.call``):
GetAccountPasswordPolicy (NoSuchEntity: the IAM default applies),
UpdateAccountPasswordPolicy (the whole policy: an option left out reverts to its default,
"This operation does not support partial updates", UpdateAccountPasswordPolicy, IAM API
reference) and DeleteAccountPasswordPolicy (back to the IAM default). AccessDenied and
the model's ValidationError (a value out of range) are shown on the form as IAM words them.

Known gaps: AWS's console asks to confirm in a dialog ("Set custom", "Set default": the
wording is unconfirmed); here "Save changes" applies the choice at once. The checkbox labels
follow the console as third-party guides quote it ("Require at least one uppercase letter
from Latin alphabet (A-Z)"): unconfirmed by an AWS page. The other account settings (STS
regional endpoints, alternate contacts) are not here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...errors import NoSuchEntity, ServiceError
from ..app import PageContext
from ..web import Response, Routes
from .iam_common import FormError, call, render

routes = Routes()

BASE = "/console/iam/account-settings"
EDIT = BASE + "/password-policy/edit"

# Notices after a redirect (fixed texts, by the ``done`` value; wording unconfirmed).
NOTICES = {
    "password-policy-saved": "Password policy updated.",
    "password-policy-default": "The IAM default password policy applies.",
}

# The console's values for an option not set yet (what the form first shows when it is turned
# on: unconfirmed); the API's own defaults are in ``services.iam.account``.
FORM_DEFAULTS = {"minimum_length": "8", "max_age": "90", "reuse_count": "5"}

# Checkbox fields → UpdateAccountPasswordPolicy's flags.
FLAGS = {
    "require_uppercase": "RequireUppercaseCharacters",
    "require_lowercase": "RequireLowercaseCharacters",
    "require_numbers": "RequireNumbers",
    "require_symbols": "RequireSymbols",
    "hard_expiry": "HardExpiry",
    "allow_change": "AllowUsersToChangePassword",
}


@dataclass
class PolicyForm:
    """The edit form's values, as text (what the person typed is shown back on an error)."""

    custom: bool = False
    minimum_length: str = FORM_DEFAULTS["minimum_length"]
    expire: bool = False
    max_age: str = FORM_DEFAULTS["max_age"]
    prevent_reuse: bool = False
    reuse_count: str = FORM_DEFAULTS["reuse_count"]
    checked: frozenset[str] = frozenset()

    @classmethod
    def of_policy(cls, policy: dict[str, Any] | None) -> PolicyForm:
        if policy is None:
            return cls()
        return cls(
            custom=True,
            minimum_length=str(policy.get("MinimumPasswordLength", 6)),
            expire=bool(policy.get("MaxPasswordAge")),
            max_age=str(policy.get("MaxPasswordAge") or FORM_DEFAULTS["max_age"]),
            prevent_reuse=bool(policy.get("PasswordReusePrevention")),
            reuse_count=str(policy.get("PasswordReusePrevention") or FORM_DEFAULTS["reuse_count"]),
            checked=frozenset(name for name, member in FLAGS.items() if policy.get(member)),
        )

    @classmethod
    def of_request(cls, page: PageContext) -> PolicyForm:
        form = page.request.form
        return cls(
            custom=form.get("policy_type") == "custom",
            minimum_length=form.get("minimum_length", "").strip(),
            expire="expire" in form,
            max_age=form.get("max_age", "").strip(),
            prevent_reuse="prevent_reuse" in form,
            reuse_count=form.get("reuse_count", "").strip(),
            checked=frozenset(name for name in FLAGS if name in form),
        )

    def params(self) -> dict[str, Any]:
        """UpdateAccountPasswordPolicy's parameters. Every checkbox is sent, on or off (the
        form shows them all); numbers turned off are left out (their default applies). The
        numbers are checked by IAM's model, not here, so the page shows IAM's
        ValidationError. Only what is not a number at all is refused here."""
        params: dict[str, Any] = {"MinimumPasswordLength": _number(self.minimum_length, "Password minimum length")}
        params.update({member: name in self.checked for name, member in FLAGS.items()})
        if self.expire:
            params["MaxPasswordAge"] = _number(self.max_age, "Expire passwords in")
        if self.prevent_reuse:
            params["PasswordReusePrevention"] = _number(self.reuse_count, "Remember")
        return params


def _number(text: str, label: str) -> int:
    if not text or not text.isascii() or not text.isdigit() or len(text) > 9:
        raise FormError(f"{label}: enter a whole number.")  # the console's own check: wording unconfirmed
    return int(text)


def current_policy(page: PageContext) -> dict[str, Any] | None:
    """The account's custom password policy, or None when the IAM default applies."""
    try:
        found: dict[str, Any] = call(page, "GetAccountPasswordPolicy")["PasswordPolicy"]
    except NoSuchEntity:
        return None
    return found


def _notice(page: PageContext) -> None:
    notice = NOTICES.get(page.request.query.get("done", ""))
    if notice:
        page.notices.append(notice)


@routes.get(BASE)
def account_settings(page: PageContext) -> Response:
    _notice(page)
    policy: dict[str, Any] | None = None
    error: ServiceError | None = None
    try:
        policy = current_policy(page)
    except ServiceError as failed:
        error = failed
    return render(
        page,
        "iam/account_settings.html",
        error.status if error else 200,
        title="Account settings",
        section="account-settings",
        policy=policy,
        error=error,
    )


def _edit_form(page: PageContext, values: PolicyForm, status: int = 200, error: ServiceError | None = None) -> Response:
    return render(
        page,
        "iam/password_policy_edit.html",
        status,
        title="Edit password policy",
        section="account-settings",
        form=values,
        error=error,
    )


@routes.get(EDIT)
def edit_password_policy(page: PageContext) -> Response:
    try:
        values = PolicyForm.of_policy(current_policy(page))
    except ServiceError as error:  # no iam:GetAccountPasswordPolicy: the form still opens
        return _edit_form(page, PolicyForm(), error.status, error)
    return _edit_form(page, values)


@routes.post(EDIT)
def save_password_policy(page: PageContext) -> Response:
    values = PolicyForm.of_request(page)
    try:
        if values.custom:
            call(page, "UpdateAccountPasswordPolicy", **values.params())
            return page.redirect(BASE, done="password-policy-saved")
        try:
            call(page, "DeleteAccountPasswordPolicy")
        except NoSuchEntity:
            pass  # no custom policy: the IAM default applies already
    except ServiceError as error:
        return _edit_form(page, values, error.status, error)
    return page.redirect(BASE, done="password-policy-default")

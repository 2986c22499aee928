"""Access keys, on a user's Security credentials tab and on the signed-in principal's own
"My security credentials" page: the "Create access key" wizard, each key's "Actions" menu
(Activate, Deactivate, Delete) and "Download .csv file".

AWS (IAM User Guide): "Manage access keys for IAM users" (id_credentials_access-keys:
"Create access key"; on the "Access key best practices & alternatives" page "choose your use
case", "select the I understand the above recommendation and want to proceed to create an
access key check box, and then choose Next"; "Set description tag - optional"; on "Retrieve
access keys" "choose Show to reveal the value of your user's secret access key, or choose
Download .csv file. This is your only opportunity to save your secret access key"; "If the
button is deactivated, then you must delete one of the existing keys before you can create a
new one"); "Update access keys" (id_credentials_access-keys_update: "choose Actions, and then
choose Deactivate. When prompted for confirmation, choose Deactivate"; to delete, "choose
Actions, and then choose Delete. Follow the instructions in the dialog to first Deactivate
and then confirm the deletion"); "How IAM users can manage their own access keys"
(access-key-self-managed); "Create access keys for the root user" (id_root-user_manage_add-key:
"I understand creating a root access key is not a best practice, but I still want to create
it"). An access key's description is a user tag whose key is the access key ID.

Each step is one IAM call as the console's principal (ListAccessKeys, CreateAccessKey,
TagUser, UpdateAccessKey, DeleteAccessKey); an IAM user's page names the user (UserName), the
root user's own page omits it. The console, not IAM, asks for the use case, for the key to be
deactivated before it is deleted and for its ID to be typed: DeleteAccessKey deletes an active
key too. Which use cases need the acknowledgement is unconfirmed: every one but "Other" here.

The secret of a new key is shown on the answer to the POST that created it and nowhere else;
the form carries the IDs of the keys there were, so a reloaded (re-posted) form creates
nothing and shows no secret.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from ...errors import NoSuchEntity, ServiceError
from ..app import PageContext
from ..web import Response, Routes
from . import iam_security_credentials as own_page
from .iam_common import FormError, attempt, call, csv_download, render
from .iam_users import USERS, details_page

routes = Routes()
USER_BASE = "/console/iam/users/details/{name}/access-keys"
OWN_BASE = own_page.BASE + "/access-keys"
ACKNOWLEDGE = "I understand the above recommendation and want to proceed to create an access key."
ROOT_CONFIRM = "Confirm that you want to create an access key for the root user."
CHOOSE = "Choose a use case."
NOT_INACTIVE = "Deactivate the access key before you delete it."
NOT_TYPED = "To confirm deletion, enter the access key ID."


@dataclass(frozen=True)
class UseCase:
    """A choice of the wizard's first step, with AWS's recommended alternative (if any)."""

    value: str
    label: str
    help: str
    alternative: str  # "" for none: then no acknowledgement is asked


USE_CASES = [
    UseCase(
        "cli",
        "Command Line Interface (CLI)",
        "You plan to use this access key to enable the AWS CLI to access your AWS account.",
        "Use AWS CloudShell, a browser-based CLI, to run commands, or the AWS CLI V2 with "
        "authentication through a user in IAM Identity Center.",
    ),
    UseCase(
        "local",
        "Local code",
        "You plan to use this access key to enable application code in a local development "
        "environment to access your AWS account.",
        "Use an integrated development environment (IDE) that supports the AWS Toolkit, which "
        "authenticates through IAM Identity Center.",
    ),
    UseCase(
        "compute",
        "Application running on an AWS compute service",
        "You plan to use this access key to enable application code running on an AWS compute "
        "service like Amazon EC2, Amazon ECS, or AWS Lambda to access your AWS account.",
        "Assign an IAM role to the compute resource (an instance profile, a task role, an "
        "execution role): it gets temporary credentials.",
    ),
    UseCase(
        "third-party",
        "Third-party service",
        "You plan to use this access key to enable access for a third-party application or "
        "service that monitors or manages your AWS resources.",
        "Give the third party an IAM role to assume, with an external ID, instead of long-term credentials.",
    ),
    UseCase(
        "outside",
        "Application running outside AWS",
        "You plan to use this access key to authenticate workloads running in your data center "
        "or other infrastructure outside of AWS that needs to access your AWS resources.",
        "Use IAM Roles Anywhere to get temporary credentials for workloads outside AWS.",
    ),
    UseCase("other", "Other", "Your use case is not listed here.", ""),
]
BY_VALUE = {use.value: use for use in USE_CASES}


@dataclass(frozen=True)
class Owner:
    """Whose access keys the page manages: an IAM user (``user``) or, on the own page, the
    root user (``user`` None); ``base`` is the URL of the access-keys pages, ``back`` the
    Security credentials page they return to."""

    user: str | None
    base: str
    back: str
    own: bool

    @property
    def params(self) -> dict[str, Any]:
        return {"UserName": self.user} if self.user is not None else {}

    @property
    def root(self) -> bool:
        return self.user is None

    @property
    def section(self) -> str:
        return "" if self.own else "users"


def _user_owner(page: PageContext) -> Owner:
    name = page.params["name"]
    return Owner(name, USERS.url(name) + "/access-keys", USERS.url(name, "security_credentials"), own=False)


def _own_owner(page: PageContext) -> Owner | None:
    """The signed-in principal's own keys; None while a role is active."""
    own = own_page.own_of(page)
    return None if own is None else Owner(own.name, OWN_BASE, own_page.BASE, own=True)


def _credentials_page(page: PageContext, owner: Owner, error: ServiceError) -> Response:
    """The Security credentials page with ``error`` shown."""
    if owner.own:
        return own_page.credentials_page(page, own_page.Own(owner.user), error.status, error)
    assert owner.user is not None  # INVARIANT: a user's page always names the user
    return details_page(page, owner.user, error.status, error, "security_credentials")


def _key_ids(page: PageContext, owner: Owner) -> str:
    keys = call(page, "ListAccessKeys", **owner.params)["AccessKeyMetadata"]
    return ",".join(sorted(key["AccessKeyId"] for key in keys))


# --- Create access key ----------------------------------------------------------------------


def _wizard(page: PageContext, owner: Owner, step: str, status: int = 200, **values: Any) -> Response:
    """A step of "Create access key": ``use-case``, ``description`` or, for the root user,
    ``root``."""
    form = page.request.form
    values.setdefault("error", None)
    values.setdefault("known", form.get("known", ""))
    values.setdefault("use_case", form.get("use_case", ""))
    values.setdefault("acknowledged", form.get("acknowledged") == "on")
    values.setdefault("description", form.get("description", ""))
    return render(
        page,
        "iam/access_key_create.html",
        status,
        title="Create access key",
        section=owner.section,
        owner=owner,
        step=step,
        use_cases=USE_CASES,
        acknowledge=ACKNOWLEDGE,
        **values,
    )


def _use_case_problem(page: PageContext) -> FormError | None:
    form = page.request.form
    chosen = BY_VALUE.get(form.get("use_case", ""))
    if chosen is None:
        return FormError(CHOOSE)
    if chosen.alternative and form.get("acknowledged") != "on":
        return FormError(f'To continue, select "{ACKNOWLEDGE}"')
    return None


def _create_form(page: PageContext, owner: Owner) -> Response:
    try:
        known = _key_ids(page, owner)
    except ServiceError as error:
        return _credentials_page(page, owner, error)
    return _wizard(page, owner, "root" if owner.root else "use-case", known=known)


def _create_step(page: PageContext, owner: Owner) -> Response:
    form = page.request.form
    if owner.root:
        if form.get("root_confirm") != "on":
            return _wizard(page, owner, "root", 400, error=FormError(ROOT_CONFIRM))
        return _create(page, owner, "root")
    last = form.get("step") == "description"
    if last and form.get("action") == "back":
        return _wizard(page, owner, "use-case")
    problem = _use_case_problem(page)  # asked again on the last step: a form can skip the first
    if problem is not None:
        return _wizard(page, owner, "use-case", 400, error=problem)
    return _create(page, owner, "description") if last else _wizard(page, owner, "description")


def _create(page: PageContext, owner: Owner, step: str) -> Response:
    form = page.request.form
    description = "" if owner.root else form.get("description", "")
    try:
        if _key_ids(page, owner) != form.get("known", ""):
            # Posted before (a reload): its secret was shown then, and only then.
            return page.redirect(owner.back, done="key-stale")
        key = call(page, "CreateAccessKey", **owner.params)["AccessKey"]
    except ServiceError as error:
        return _wizard(page, owner, step, error.status, error=error)
    tag_error = None
    if description and owner.user is not None:
        tag = [{"Key": key["AccessKeyId"], "Value": description}]
        _, tag_error = attempt(page, "TagUser", UserName=owner.user, Tags=tag)
    return render(
        page,
        "iam/access_key_created.html",
        title="Retrieve access keys",
        section=owner.section,
        owner=owner,
        key=key,
        error=tag_error,
    )


@routes.get(USER_BASE + "/create")
def user_create_form(page: PageContext) -> Response:
    return _create_form(page, _user_owner(page))


@routes.post(USER_BASE + "/create")
def user_create_step(page: PageContext) -> Response:
    return _create_step(page, _user_owner(page))


@routes.get(OWN_BASE + "/create")
def own_create_form(page: PageContext) -> Response:
    owner = _own_owner(page)
    return own_page.role_page(page) if owner is None else _create_form(page, owner)


@routes.post(OWN_BASE + "/create")
def own_create_step(page: PageContext) -> Response:
    owner = _own_owner(page)
    return own_page.role_page(page) if owner is None else _create_step(page, owner)


# --- Actions: Activate, Deactivate, Delete -----------------------------------------------------


def _key(page: PageContext, owner: Owner) -> dict[str, Any]:
    """The key the URL names, from ListAccessKeys (IAM has no GetAccessKey)."""
    key_id = page.params["key"]
    keys: list[dict[str, Any]] = call(page, "ListAccessKeys", **owner.params)["AccessKeyMetadata"]
    for key in keys:
        if key["AccessKeyId"] == key_id:
            return key
    raise NoSuchEntity(f"The Access Key with id {key_id} cannot be found.")


def _confirm_page(page: PageContext, owner: Owner, action: str, status: int = 200, **values: Any) -> Response:
    """The "Deactivate" or "Delete" confirmation of one key."""
    values.setdefault("error", None)
    key = _key(page, owner)
    return render(
        page,
        "iam/access_key_confirm.html",
        status,
        title=f"{action.capitalize()} {key['AccessKeyId']}?",
        section=owner.section,
        owner=owner,
        action=action,
        key=key,
        **values,
    )


def _status(page: PageContext, owner: Owner) -> Response:
    """UpdateAccessKey; back to the Security credentials page, or to the Delete dialog the
    Deactivate button was in (``then=delete``)."""
    key_id = page.params["key"]
    status = "Active" if page.request.form.get("status") == "Active" else "Inactive"
    try:
        call(page, "UpdateAccessKey", **owner.params, AccessKeyId=key_id, Status=status)
    except ServiceError as error:
        return _credentials_page(page, owner, error)
    if page.request.form.get("then") == "delete":
        return page.redirect(f"{owner.base}/{quote(key_id, safe='')}/delete")
    return page.redirect(owner.back, done="key-updated")


def _delete(page: PageContext, owner: Owner) -> Response:
    """DeleteAccessKey of a key that is inactive and whose ID was typed, as AWS's dialog asks."""
    key_id = page.params["key"]
    try:
        key = _key(page, owner)
        if key["Status"] == "Active":
            return _confirm_page(page, owner, "delete", 400, error=FormError(NOT_INACTIVE))
        if page.request.form.get("confirm", "").strip() != key_id:
            return _confirm_page(page, owner, "delete", 400, error=FormError(NOT_TYPED))
        call(page, "DeleteAccessKey", **owner.params, AccessKeyId=key_id)
    except ServiceError as error:
        return _credentials_page(page, owner, error)
    return page.redirect(owner.back, done="key-deleted")


@routes.get(USER_BASE + "/{key}/deactivate")
def user_deactivate_form(page: PageContext) -> Response:
    return _confirm_page(page, _user_owner(page), "deactivate")


@routes.get(USER_BASE + "/{key}/delete")
def user_delete_form(page: PageContext) -> Response:
    return _confirm_page(page, _user_owner(page), "delete")


@routes.post(USER_BASE + "/{key}/status")
def user_key_status(page: PageContext) -> Response:
    return _status(page, _user_owner(page))


@routes.post(USER_BASE + "/{key}/delete")
def user_key_delete(page: PageContext) -> Response:
    return _delete(page, _user_owner(page))


@routes.get(OWN_BASE + "/{key}/deactivate")
def own_deactivate_form(page: PageContext) -> Response:
    owner = _own_owner(page)
    return own_page.role_page(page) if owner is None else _confirm_page(page, owner, "deactivate")


@routes.get(OWN_BASE + "/{key}/delete")
def own_delete_form(page: PageContext) -> Response:
    owner = _own_owner(page)
    return own_page.role_page(page) if owner is None else _confirm_page(page, owner, "delete")


@routes.post(OWN_BASE + "/{key}/status")
def own_key_status(page: PageContext) -> Response:
    owner = _own_owner(page)
    return own_page.role_page(page) if owner is None else _status(page, owner)


@routes.post(OWN_BASE + "/{key}/delete")
def own_key_delete(page: PageContext) -> Response:
    owner = _own_owner(page)
    return own_page.role_page(page) if owner is None else _delete(page, owner)


@routes.post("/console/iam/access-keys/download")
def key_csv(page: PageContext) -> Response:
    """ "Download .csv file": the access key ID and secret from the Retrieve access keys page's
    form (the server keeps no secret to send). The file's name is unconfirmed."""
    form = page.request.form
    row = [form.get("access_key_id", ""), form.get("secret_access_key", "")]
    return csv_download("accessKeys.csv", ["Access key ID", "Secret access key"], row)

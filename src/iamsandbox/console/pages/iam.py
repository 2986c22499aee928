"""The IAM dashboard (/console/iam): the account's IAM resources and its alias.

AWS: "Your AWS account ID and its alias" (IAM User Guide, console-account-alias): the alias
replaces the account ID in the sign-in URL; an account has at most one
(CreateAccountAlias, DeleteAccountAlias).
"""

from __future__ import annotations

from ...errors import ServiceError
from ..app import PageContext
from ..web import Response, Routes
from .iam_common import account_alias, account_id, attempt, call, render, sign_in_url

routes = Routes()


def _dashboard(
    page: PageContext, status: int = 200, error: ServiceError | None = None, alias_text: str = ""
) -> Response:
    summary, summary_error = attempt(page, "GetAccountSummary")
    alias, alias_error = account_alias(page)
    account = account_id(page)
    return render(
        page,
        "iam/dashboard.html",
        status,
        title="IAM Dashboard",
        section="dashboard",
        summary=summary.get("SummaryMap", {}),
        summary_error=summary_error,
        alias=alias,
        alias_error=alias_error,
        error=error,
        alias_text=alias_text,
        account=account,
        sign_in_url=sign_in_url(page, alias),
    )


@routes.get("/console/iam")
def dashboard(page: PageContext) -> Response:
    return _dashboard(page)


def _alias_form(page: PageContext, status: int = 200, error: ServiceError | None = None, text: str = "") -> Response:
    alias, alias_error = account_alias(page)
    return render(
        page,
        "iam/alias_edit.html",
        status,
        title="Edit account alias" if alias else "Create account alias",
        section="dashboard",
        alias=alias,
        alias_text=text or alias or "",
        error=error or alias_error,
        account=account_id(page),
    )


@routes.get("/console/iam/alias")
def alias_form(page: PageContext) -> Response:
    """The dashboard's "Create" (or "Edit") next to Account Alias: the alias and "Save changes"
    (console-account-alias, "Creating or editing an account alias")."""
    return _alias_form(page)


@routes.post("/console/iam/alias")
def create_alias(page: PageContext) -> Response:
    alias = page.request.form.get("alias", "").strip()
    try:
        call(page, "CreateAccountAlias", AccountAlias=alias)
    except ServiceError as error:
        if page.request.form.get("editing") == "1":
            return _alias_form(page, error.status, error, alias)
        return _dashboard(page, error.status, error, alias)
    return page.redirect("/console/iam", done="alias-created")


@routes.post("/console/iam/alias/delete")
def delete_alias(page: PageContext) -> Response:
    """The "Delete" next to Account Alias, then the confirmation's "Delete" (console-account-alias,
    "Deleting an account alias": "next to Account Alias choose Delete, and then choose
    Delete."): DeleteAccountAlias."""
    alias = page.request.form.get("alias", "")
    if page.request.form.get("step") != "confirm":
        return render(page, "iam/alias_delete.html", title="Delete account alias", section="dashboard", alias=alias)
    try:
        call(page, "DeleteAccountAlias", AccountAlias=alias)
    except ServiceError as error:
        return _dashboard(page, error.status, error)
    return page.redirect("/console/iam", done="alias-deleted")

"""The IAM dashboard (/console/iam): the account's IAM resources and its alias.

AWS: "Your AWS account ID and its alias" (IAM User Guide, console-account-alias): the alias
replaces the account ID in the sign-in URL; an account has at most one
(CreateAccountAlias, DeleteAccountAlias).
"""

from __future__ import annotations

from ...errors import ServiceError
from ..app import PageContext
from ..web import Response, Routes
from .iam_common import account_id, attempt, base_url, call, render

routes = Routes()


def _dashboard(
    page: PageContext, status: int = 200, error: ServiceError | None = None, alias_text: str = ""
) -> Response:
    summary, summary_error = attempt(page, "GetAccountSummary")
    aliases, alias_error = attempt(page, "ListAccountAliases")
    alias = (aliases.get("AccountAliases") or [None])[0]
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
        sign_in_url=f"{base_url(page)}/console/signin?account={alias or account}",
    )


@routes.get("/console/iam")
def dashboard(page: PageContext) -> Response:
    return _dashboard(page)


@routes.post("/console/iam/alias")
def create_alias(page: PageContext) -> Response:
    alias = page.request.form.get("alias", "").strip()
    try:
        call(page, "CreateAccountAlias", AccountAlias=alias)
    except ServiceError as error:
        return _dashboard(page, error.status, error, alias)
    return page.redirect("/console/iam", done="alias-created")


@routes.post("/console/iam/alias/delete")
def delete_alias(page: PageContext) -> Response:
    try:
        call(page, "DeleteAccountAlias", AccountAlias=page.request.form.get("alias", ""))
    except ServiceError as error:
        return _dashboard(page, error.status, error)
    return page.redirect("/console/iam", done="alias-deleted")

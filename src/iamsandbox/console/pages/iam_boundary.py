"""A user's or role's permissions boundary, from its Permissions tab's "Permissions boundary"
section: "Set permissions boundary" (or "Change boundary"), then a managed policy and "Set
boundary"; "Remove boundary".

AWS (IAM User Guide): "Permissions boundaries for IAM entities" (access_policies_boundaries:
"To set a permissions boundary for a user or role": the Permissions tab's Permissions
boundary section, "Set permissions boundary", choose the policy, "Set boundary"; "Change
boundary"; "Remove boundary"). PutUserPermissionsBoundary / PutRolePermissionsBoundary and
DeleteUserPermissionsBoundary / DeleteRolePermissionsBoundary as the console's principal, so
a principal allowed to set only a given boundary is refused any other.
"""

from __future__ import annotations

from ...errors import ServiceError
from ..app import PageContext
from ..web import Response, Routes
from .iam_common import FormError, all_policies, call, render
from .iam_entities import KINDS, Kind, NotFound

routes = Routes()

NO_POLICY = "Choose a policy to use as the permissions boundary."  # unconfirmed wording


def _kind(page: PageContext) -> Kind:
    """Users and roles have boundaries; groups do not ("Permissions boundaries for IAM entities")."""
    if page.params["kind"] not in ("users", "roles"):
        raise NotFound("Page not found.")
    return KINDS[page.params["kind"]]


def boundary_of(page: PageContext, kind: Kind, name: str) -> str:
    """The boundary policy's ARN, or "" (GetUser / GetRole)."""
    found = call(page, kind.op("Get{}"), **{kind.param: name})[kind.noun]
    return str((found.get("PermissionsBoundary") or {}).get("PermissionsBoundaryArn", ""))


def _form(
    page: PageContext, kind: Kind, name: str, chosen: str, status: int = 200, error: ServiceError | None = None
) -> Response:
    policies, policies_error = [], None
    try:
        policies = all_policies(page)
    except ServiceError as failed:
        policies_error = failed
    return render(
        page,
        "iam/boundary_set.html",
        status,
        title="Set permissions boundary",
        section=kind.path,
        kind=kind,
        entity=name,
        policies=policies,
        policies_error=policies_error,
        chosen=chosen,
        error=error,
    )


@routes.get("/console/iam/{kind}/details/{name}/boundary")
def boundary_form(page: PageContext) -> Response:
    kind = _kind(page)
    name = page.params["name"]
    return _form(page, kind, name, boundary_of(page, kind, name))


@routes.post("/console/iam/{kind}/details/{name}/boundary")
def set_boundary(page: PageContext) -> Response:
    kind = _kind(page)
    name = page.params["name"]
    arn = page.request.form.get("boundary", "")
    if not arn:
        return _form(page, kind, name, arn, 400, FormError(NO_POLICY))
    try:
        call(page, kind.op("Put{}PermissionsBoundary"), **{kind.param: name}, PermissionsBoundary=arn)
    except ServiceError as error:
        return _form(page, kind, name, arn, error.status, error)
    return page.redirect(kind.url(name, "permissions"), done="boundary-set")


@routes.post("/console/iam/{kind}/details/{name}/boundary/remove")
def remove_boundary(page: PageContext) -> Response:
    kind = _kind(page)
    name = page.params["name"]
    call(page, kind.op("Delete{}PermissionsBoundary"), **{kind.param: name})
    return page.redirect(kind.url(name, "permissions"), done="boundary-removed")

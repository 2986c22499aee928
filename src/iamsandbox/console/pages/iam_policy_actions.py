"""A managed policy's actions: the Policies list's "Actions" for the policy chosen with its
option button (Attach, Detach, Delete), the "Attach" page listing users, groups and roles to
tick, the "Entities attached" tab's Attach and Detach, and Delete once the policy's name is
typed.

AWS (IAM User Guide): "IAM tutorial: Create and attach your first customer managed policy"
(tutorial_managed-policies: Policies, the policy's option button, Actions, Attach; select
the identities; "Attach policy"); "Adding and removing IAM identity permissions"
(access_policies_manage-attach-detach: the policy's "Entities attached" tab, Attach or
Detach); "Delete IAM policies" (access_policies_manage-delete: select the policy, Actions,
Delete, confirm). The console detaches a policy from every entity and deletes its other
versions before DeletePolicy, which refuses otherwise (DeletePolicy, IAM API Reference).

Each step is IAM's operation as the console's principal (AttachUserPolicy,
AttachGroupPolicy, AttachRolePolicy and the Detach ones): the first refusal stops the page
and shows IAM's error (AccessDenied with its message); the identities done before it stay
done, as they would with the console's own requests.
"""

from __future__ import annotations

from typing import Any

from ...errors import ServiceError
from ..app import PageContext
from ..web import Response, Routes
from .iam_common import FormError, attempt, call, list_all, policy_url, render
from .iam_policies import _details

routes = Routes()

# The entity kinds a managed policy attaches to: the form's prefix, IAM's operations.
OPERATIONS = {
    "user": ("UserName", "AttachUserPolicy", "DetachUserPolicy"),
    "group": ("GroupName", "AttachGroupPolicy", "DetachGroupPolicy"),
    "role": ("RoleName", "AttachRolePolicy", "DetachRolePolicy"),
}
# The pages of the list's actions, under the policy's URL (attach and detach under
# "entities/": the users' and roles' own ".../detach" is another page).
PAGES = {"attach": "entities/attach", "detach": "entities/detach", "delete": "delete"}
NOTHING_CHOSEN = "Select a policy."  # unconfirmed wording
NO_ENTITY = "Select at least one entity."  # unconfirmed wording
DELETE_PROMPT = "To confirm deletion, enter the policy name in the text input field."  # unconfirmed wording


def _entities(values: list[str]) -> list[tuple[str, str]]:
    """(kind, name) of each posted ``entity`` ("user:alice"), unknown kinds left out."""
    chosen: list[tuple[str, str]] = []
    for value in values:
        kind, _, name = value.partition(":")
        if kind in OPERATIONS and name:
            chosen.append((kind, name))
    return chosen


def _run(page: PageContext, arn: str, chosen: list[tuple[str, str]], attach: bool) -> None:
    for kind, name in chosen:
        member, attach_operation, detach_operation = OPERATIONS[kind]
        call(page, attach_operation if attach else detach_operation, PolicyArn=arn, **{member: name})


@routes.post("/console/iam/policies/selected")
def selected(page: PageContext) -> Response:
    """The Policies list's Actions menu: the page of the chosen action for the chosen policy."""
    arn = page.request.form.get("policy", "")
    action = page.request.form.get("action", "")
    if not arn or action not in PAGES:
        raise FormError(NOTHING_CHOSEN)
    return page.redirect(f"{policy_url(arn)}/{PAGES[action]}")


# --- Attach ----------------------------------------------------------------------------------------


def _attach_page(
    page: PageContext, arn: str, status: int = 200, error: ServiceError | None = None, chosen: list[str] | None = None
) -> Response:
    policy = call(page, "GetPolicy", PolicyArn=arn)["Policy"]
    rows: list[dict[str, str]] = []
    list_error: ServiceError | None = None
    try:
        rows += [{"kind": "user", "type": "User", "name": u["UserName"]} for u in list_all(page, "ListUsers", "Users")]
        rows += [
            {"kind": "group", "type": "Group", "name": g["GroupName"]} for g in list_all(page, "ListGroups", "Groups")
        ]
        rows += [{"kind": "role", "type": "Role", "name": r["RoleName"]} for r in list_all(page, "ListRoles", "Roles")]
    except ServiceError as failed:
        list_error = failed
        status = status if error else failed.status
    return render(
        page,
        "iam/policy_attach.html",
        status,
        title=f"Attach policy {policy['PolicyName']}",
        section="policies",
        policy=policy,
        rows=sorted(rows, key=lambda row: (row["name"].lower(), row["type"])),
        chosen=chosen or [],
        error=error,
        list_error=list_error,
    )


@routes.get("/console/iam/policies/details/{arn}/entities/attach")
def attach_form(page: PageContext) -> Response:
    return _attach_page(page, page.params["arn"])


@routes.post("/console/iam/policies/details/{arn}/entities/attach")
def attach(page: PageContext) -> Response:
    arn = page.params["arn"]
    values = page.request.values("entity")
    chosen = _entities(values)
    if not chosen:
        return _attach_page(page, arn, 400, FormError(NO_ENTITY))
    try:
        _run(page, arn, chosen, attach=True)
    except ServiceError as error:
        return _attach_page(page, arn, error.status, error, values)
    return page.redirect(policy_url(arn) + "?tab=entities", done="policy-attached")


# --- Detach ----------------------------------------------------------------------------------------


def _detach_page(page: PageContext, arn: str, status: int = 200, error: ServiceError | None = None) -> Response:
    policy = call(page, "GetPolicy", PolicyArn=arn)["Policy"]
    entities, list_error = attempt(page, "ListEntitiesForPolicy", PolicyArn=arn, MaxItems=1000)
    return render(
        page,
        "iam/policy_detach.html",
        status if error or not list_error else list_error.status,
        title=f"Detach policy {policy['PolicyName']}",
        section="policies",
        policy=policy,
        rows=_attached_rows(entities),
        error=error,
        list_error=list_error,
    )


def _attached_rows(entities: dict[str, Any]) -> list[dict[str, str]]:
    return (
        [{"kind": "user", "type": "User", "name": u["UserName"]} for u in entities.get("PolicyUsers", [])]
        + [{"kind": "group", "type": "Group", "name": g["GroupName"]} for g in entities.get("PolicyGroups", [])]
        + [{"kind": "role", "type": "Role", "name": r["RoleName"]} for r in entities.get("PolicyRoles", [])]
    )


@routes.get("/console/iam/policies/details/{arn}/entities/detach")
def detach_form(page: PageContext) -> Response:
    return _detach_page(page, page.params["arn"])


@routes.post("/console/iam/policies/details/{arn}/entities/detach")
def detach(page: PageContext) -> Response:
    """From the Detach page or the "Entities attached" tab: the ticked entities detached."""
    arn = page.params["arn"]
    chosen = _entities(page.request.values("entity"))
    if not chosen:
        return _detach_page(page, arn, 400, FormError(NO_ENTITY))
    try:
        _run(page, arn, chosen, attach=False)
    except ServiceError as error:
        return _detach_page(page, arn, error.status, error)
    return page.redirect(policy_url(arn) + "?tab=entities", done="policy-detached")


# --- Delete ----------------------------------------------------------------------------------------


def _delete_page(
    page: PageContext, arn: str, status: int = 200, error: ServiceError | None = None, problem: str = ""
) -> Response:
    policy = call(page, "GetPolicy", PolicyArn=arn)["Policy"]
    return render(
        page,
        "iam/policy_delete.html",
        status,
        title=f"Delete {policy['PolicyName']}?",
        section="policies",
        policy=policy,
        prompt=DELETE_PROMPT,
        error=error,
        problem=problem,
    )


@routes.get("/console/iam/policies/details/{arn}/delete")
def delete_form(page: PageContext) -> Response:
    return _delete_page(page, page.params["arn"])


@routes.post("/console/iam/policies/details/{arn}/delete")
def delete(page: PageContext) -> Response:
    """Once the policy's name is typed: detached from every entity, its other versions deleted,
    then DeletePolicy; a refusal shows on the policy's page."""
    arn = page.params["arn"]
    name = arn.rsplit("/", 1)[-1]
    if page.request.form.get("confirm", "").strip() != name:
        return _delete_page(page, arn, 400, problem=DELETE_PROMPT)
    try:
        entities = call(
            page, "ListEntitiesForPolicy", PolicyArn=arn, PolicyUsageFilter="PermissionsPolicy", MaxItems=1000
        )
        _run(page, arn, [(row["kind"], row["name"]) for row in _attached_rows(entities)], attach=False)
        for version in call(page, "ListPolicyVersions", PolicyArn=arn, MaxItems=1000)["Versions"]:
            if not version["IsDefaultVersion"]:
                call(page, "DeletePolicyVersion", PolicyArn=arn, VersionId=version["VersionId"])
        call(page, "DeletePolicy", PolicyArn=arn)
    except ServiceError as error:
        return _details(page, arn, error.status, error)
    return page.redirect("/console/iam/policies", done="policy-deleted")

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

from ...errors import DeleteConflict, ServiceError
from ..app import PageContext
from ..web import Response, Routes
from .iam_common import FormError, attempt, call, list_all, policy_url, render
from .iam_policies import IDENTITIES, _details, attached_rows, entity_row

routes = Routes()

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
        word, _, name = value.partition(":")
        if word in IDENTITIES and name:
            chosen.append((word, name))
    return chosen


def _run(page: PageContext, arn: str, chosen: list[tuple[str, str]], attach: bool) -> None:
    for word, name in chosen:
        kind = IDENTITIES[word]
        call(page, kind.op("Attach{}Policy" if attach else "Detach{}Policy"), PolicyArn=arn, **{kind.param: name})


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
        for word, kind in IDENTITIES.items():  # ListUsers, ListGroups, ListRoles
            rows += [entity_row(word, item[kind.param]) for item in list_all(page, kind.op("List{}s"), kind.op("{}s"))]
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
        rows=attached_rows(entities),
        error=error,
        list_error=list_error,
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

# DeletePolicy's words for a policy still in use (IAM's DeleteConflict), with what to do.
BOUNDARY_IN_USE = (
    "Cannot delete a policy attached to entities. It is the permissions boundary of a user or role: "
    "remove it from them first."
)


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
    then DeletePolicy; a refusal shows on the policy's page. A policy some user or role has
    as its permissions boundary is refused before anything is changed (DeletePolicy would
    refuse it last, DeleteConflict, after its versions and attachments were gone)."""
    arn = page.params["arn"]
    name = arn.rsplit("/", 1)[-1]
    if page.request.form.get("confirm", "").strip() != name:
        return _delete_page(page, arn, 400, problem=DELETE_PROMPT)
    try:
        if call(page, "GetPolicy", PolicyArn=arn)["Policy"].get("PermissionsBoundaryUsageCount"):
            raise DeleteConflict(BOUNDARY_IN_USE)
        entities = call(
            page, "ListEntitiesForPolicy", PolicyArn=arn, PolicyUsageFilter="PermissionsPolicy", MaxItems=1000
        )
        _run(page, arn, [(row["kind"], row["name"]) for row in attached_rows(entities)], attach=False)
        for version in call(page, "ListPolicyVersions", PolicyArn=arn, MaxItems=1000)["Versions"]:
            if not version["IsDefaultVersion"]:
                call(page, "DeletePolicyVersion", PolicyArn=arn, VersionId=version["VersionId"])
        call(page, "DeletePolicy", PolicyArn=arn)
    except ServiceError as error:
        return _details(page, arn, error.status, error)
    return page.redirect("/console/iam/policies", done="policy-deleted")

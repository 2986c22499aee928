"""IAM user groups: the list, "Create group" (name, users, permissions policies) and a group's
details (Users, Permissions).

AWS: "Create IAM groups" (IAM User Guide, id_groups_create): "User group name", "Add users to
the group", "Attach permissions policies"; deleting a group in the console first removes its
users and policies ("Delete an IAM group": DeleteGroup refuses while it has any; the
confirmation is ``iam_delete``). The Users tab removes the users ticked ("Edit users in IAM
groups": "Remove users").
"""

from __future__ import annotations

from typing import Any

from ...errors import ServiceError
from ..app import PageContext
from ..web import Response, Routes
from .iam_common import FormError, call, list_all, page_number, paged, picker, picker_moved, render
from .iam_entities import KINDS, permissions
from .iam_last_accessed import TAB as LAST_ACCESSED
from .iam_last_accessed import last_accessed

routes = Routes()
GROUPS = KINDS["groups"]
TABS = [("users", "Users"), ("permissions", "Permissions"), LAST_ACCESSED]
NO_USER = "Select the users to remove."  # unconfirmed wording


@routes.get("/console/iam/groups")
def groups(page: PageContext) -> Response:
    query = page.request.query.get("q", "")
    found: list[dict[str, Any]] = []
    error = None
    try:
        found = list_all(page, "ListGroups", "Groups")
    except ServiceError as failed:
        error = failed
    needle = query.strip().lower()
    shown = paged(
        [g for g in found if needle in g["GroupName"].lower()], page_number(page.request.query.get("page")), 50
    )
    return render(
        page,
        "iam/groups.html",
        error.status if error else 200,
        title="User groups",
        section="groups",
        shown=shown,
        query=query,
        error=error,
    )


def _create_form(page: PageContext, status: int = 200, error: ServiceError | None = None) -> Response:
    users, users_error = [], None
    try:
        users = list_all(page, "ListUsers", "Users")
    except ServiceError as failed:
        users_error = failed
    source = page.request.form if page.request.method == "POST" else page.request.query
    return render(
        page,
        "iam/group_create.html",
        status,
        title="Create user group",
        section="groups",
        group_name=source.get("group_name", ""),
        users=users,
        users_error=users_error,
        chosen_users=page.request.values("user"),
        picker=picker(page),
        error=error,
    )


@routes.get("/console/iam/groups/create")
def create_form(page: PageContext) -> Response:
    return _create_form(page)


@routes.post("/console/iam/groups/create")
def create(page: PageContext) -> Response:
    if picker_moved(page):
        return _create_form(page)
    name = page.request.form.get("group_name", "").strip()
    try:
        call(page, "CreateGroup", GroupName=name)
    except ServiceError as error:
        return _create_form(page, error.status, error)
    try:
        for user in page.request.values("user"):
            call(page, "AddUserToGroup", GroupName=name, UserName=user)
        for arn in dict.fromkeys(page.request.values("policy")):
            call(page, "AttachGroupPolicy", GroupName=name, PolicyArn=arn)
    except ServiceError as error:
        return _details(page, name, error.status, error)  # the group exists: show it, and what failed
    return page.redirect(GROUPS.url(name), done="group-created")


def _details(
    page: PageContext, name: str, status: int = 200, error: ServiceError | None = None, tab: str = ""
) -> Response:
    group = call(page, "GetGroup", GroupName=name, MaxItems=1000)
    tab = tab or page.request.query.get("tab", "users")
    if tab not in dict(TABS):
        tab = "users"
    values: dict[str, Any] = permissions(page, GROUPS, name) if tab == "permissions" else {}
    if tab == LAST_ACCESSED[0]:
        values.update(last_accessed(page, GROUPS, group["Group"]["Arn"], GROUPS.url(name)))
    return render(
        page,
        "iam/group.html",
        status,
        title=name,
        section="groups",
        group=group["Group"],
        members=group.get("Users", []),
        tab=tab,
        tabs=TABS,
        kind=GROUPS,
        entity=name,
        error=error,
        **values,
    )


@routes.get("/console/iam/groups/details/{name}")
def details(page: PageContext) -> Response:
    return _details(page, page.params["name"])


def _add_users_form(page: PageContext, name: str, status: int = 200, error: ServiceError | None = None) -> Response:
    members = {u["UserName"] for u in call(page, "GetGroup", GroupName=name, MaxItems=1000).get("Users", [])}
    users, users_error = [], None
    try:
        users = [u for u in list_all(page, "ListUsers", "Users") if u["UserName"] not in members]
    except ServiceError as failed:
        users_error = failed
    return render(
        page,
        "iam/group_add_users.html",
        status,
        title=f"Add users to {name}",
        section="groups",
        entity=name,
        users=users,
        users_error=users_error,
        error=error,
    )


@routes.get("/console/iam/groups/details/{name}/add-users")
def add_users_form(page: PageContext) -> Response:
    return _add_users_form(page, page.params["name"])


@routes.post("/console/iam/groups/details/{name}/add-users")
def add_users(page: PageContext) -> Response:
    name = page.params["name"]
    try:
        for user in page.request.values("user"):
            call(page, "AddUserToGroup", GroupName=name, UserName=user)
    except ServiceError as error:
        return _add_users_form(page, name, error.status, error)
    return page.redirect(GROUPS.url(name, "users"), done="users-added")


@routes.post("/console/iam/groups/details/{name}/remove-users")
def remove_users(page: PageContext) -> Response:
    """The Users tab's "Remove users" ("Edit users in IAM groups": "Select the check box next
    to the users you want to remove and then choose Remove users."): RemoveUserFromGroup for
    each user ticked."""
    name = page.params["name"]
    users = list(dict.fromkeys(user for user in page.request.values("user") if user))
    if not users:
        return _details(page, name, 400, FormError(NO_USER), "users")
    try:
        for user in users:
            call(page, "RemoveUserFromGroup", GroupName=name, UserName=user)
    except ServiceError as error:
        return _details(page, name, error.status, error, "users")
    return page.redirect(GROUPS.url(name, "users"), done="user-removed")


def delete_group(page: PageContext, name: str) -> None:
    """As AWS's console ("Delete an IAM group": the console removes the group's users and
    policies, as DeleteGroup refuses while it has any): all of them read first, so a refused
    read changes nothing; then removed, then DeleteGroup. Raises the first refusal."""
    members = call(page, "GetGroup", GroupName=name, MaxItems=1000).get("Users", [])
    attached = call(page, "ListAttachedGroupPolicies", GroupName=name, MaxItems=1000)["AttachedPolicies"]
    inline = call(page, "ListGroupPolicies", GroupName=name, MaxItems=1000)["PolicyNames"]
    for user in members:
        call(page, "RemoveUserFromGroup", GroupName=name, UserName=user["UserName"])
    for policy in attached:
        call(page, "DetachGroupPolicy", GroupName=name, PolicyArn=policy["PolicyArn"])
    for policy_name in inline:
        call(page, "DeleteGroupPolicy", GroupName=name, PolicyName=policy_name)
    call(page, "DeleteGroup", GroupName=name)

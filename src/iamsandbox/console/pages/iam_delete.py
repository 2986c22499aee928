"""Deleting IAM users, user groups and roles: always a confirmation first, where the name is
typed; nothing is deleted before it matches.

AWS (IAM User Guide): "Remove or deactivate an IAM user" (id_users_remove: "In the
confirmation dialog box, enter the username in the text input field to confirm the deletion
of the user. Choose Delete."); "Delete an IAM group" (id_groups_manage_delete: "type the group
name and choose Delete"); "Delete roles or instance profiles" (id_roles_manage_delete: the
role name). The Delete button of a user's, group's or role's page and the one at the top of
the Users, User groups and Roles lists (with the rows' check boxes) open the same page; with
several chosen, the word to type is "delete" (unconfirmed wording).

Each deletion is the kind's own (``iam_users.delete_user``, ``iam_groups.delete_group``,
``iam_roles.delete_role``: what the entity has is removed first, as AWS's console does), as
the console's principal; a refusal is shown on the confirmation, with the entities not yet
deleted still chosen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ...errors import ServiceError
from ..app import PageContext
from ..web import Response, Routes
from .iam_common import FormError, render
from .iam_groups import delete_group
from .iam_roles import delete_role
from .iam_users import delete_user

routes = Routes()

DELETE_MANY = 'To confirm deletion, enter "delete" in the text input field.'  # unconfirmed wording
MANY_WORD = "delete"


@dataclass(frozen=True)
class Deletable:
    """A list whose entities the confirmation deletes."""

    path: str  # users, groups, roles
    field: str  # the form field naming a chosen one: user, group, role
    one: str  # "user", "user group", "role": the page's words
    many: str  # their plural
    prompt: str  # what to type for one
    done: str  # the list's notice (iam_common.NOTICES)
    delete: Callable[[PageContext, str], None]

    @property
    def list_url(self) -> str:
        return f"/console/iam/{self.path}"


DELETABLE = {
    "users": Deletable(
        "users",
        "user",
        "user",
        "users",
        "To confirm deletion, enter the user name in the text input field.",  # unconfirmed wording
        "user-deleted",
        delete_user,
    ),
    "groups": Deletable(
        "groups",
        "group",
        "user group",
        "user groups",
        "To confirm deletion, enter the user group name in the text input field.",  # unconfirmed wording
        "group-deleted",
        delete_group,
    ),
    "roles": Deletable(
        "roles",
        "role",
        "role",
        "roles",
        "To confirm deletion, enter the role name in the text input field.",  # unconfirmed wording
        "role-deleted",
        delete_role,
    ),
}


def _confirmation(kind: Deletable, names: list[str]) -> tuple[str, str]:
    """The word to type to delete ``names`` (the name, or "delete" for several) and its prompt."""
    return (names[0], kind.prompt) if len(names) == 1 else (MANY_WORD, DELETE_MANY)


def _page(
    page: PageContext,
    kind: Deletable,
    names: list[str],
    status: int = 200,
    error: ServiceError | None = None,
    problem: str = "",
) -> Response:
    word, prompt = _confirmation(kind, names)
    return render(
        page,
        "iam/entities_delete.html",
        status,
        title=f"Delete {kind.one}" if len(names) == 1 else f"Delete {kind.many}",
        section=kind.path,
        kind=kind,
        names=names,
        prompt=prompt,
        word=word,
        error=error,
        problem=problem,
    )


def _delete_chosen(page: PageContext, kind: Deletable) -> Response:
    """The confirmation for the chosen entities; with ``step=confirm`` and the word typed,
    each deleted in turn."""
    names = list(dict.fromkeys(name for name in page.request.values(kind.field) if name))
    if not names:
        raise FormError(f"Select a {kind.one}.")  # unconfirmed wording
    if page.request.form.get("step") != "confirm":
        return _page(page, kind, names)
    word, prompt = _confirmation(kind, names)
    if page.request.form.get("confirm", "").strip() != word:
        return _page(page, kind, names, 400, problem=prompt)
    for index, name in enumerate(names):
        try:
            kind.delete(page, name)
        except ServiceError as error:
            return _page(page, kind, names[index:], error.status, error)
    return page.redirect(kind.list_url, done=kind.done)


@routes.post("/console/iam/users/delete")
def delete_users(page: PageContext) -> Response:
    return _delete_chosen(page, DELETABLE["users"])


@routes.post("/console/iam/groups/delete")
def delete_groups(page: PageContext) -> Response:
    return _delete_chosen(page, DELETABLE["groups"])


@routes.post("/console/iam/roles/delete")
def delete_roles(page: PageContext) -> Response:
    return _delete_chosen(page, DELETABLE["roles"])

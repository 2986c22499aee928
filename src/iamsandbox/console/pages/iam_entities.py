"""What users, groups and roles have alike: permissions policies (attach, detach, inline);
and tags, which users, roles and customer managed policies have.

AWS: "Adding and removing IAM identity permissions" (IAM User Guide,
access_policies_manage-attach-detach): the Permissions tab's "Add permissions" menu offers
"Attach policies" and "Create inline policy". "Attach policies directly" lists AWS and
customer managed policies to search and check; for a user, "Add user to group" is the other
way. An inline policy is written in the JSON editor, "Next", then "Review and create" asks
its "Policy name" ("Create policy"). Policies are removed by ticking them and "Remove", then
confirming ("Remove"). A user's tab also lists the managed policies its groups
give it, "Attached via" the group. Groups have no tags in IAM (TagUser, TagRole; no TagGroup).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from ...errors import ServiceError
from ..app import PageContext
from ..web import Response, Routes
from .iam_common import (
    FormError,
    attempt,
    call,
    document_text,
    list_all,
    picker,
    picker_moved,
    render,
    tag_rows,
)
from .iam_policy_editor import findings_for, first_error

routes = Routes()


@dataclass(frozen=True)
class Kind:
    """One kind of IAM identity and the operations that manage its permissions."""

    path: str  # the URL segment: users, groups, roles, policies
    noun: str  # User, Group, Role, Policy
    tag_ops: bool = True
    identity: bool = True  # has permissions policies (a user, group or role)
    key: str = ""  # the parameter naming one: UserName, ..., PolicyArn

    @property
    def plural(self) -> str:
        """The navigation's name of the list: Users, User groups, Roles, Policies."""
        return {"users": "Users", "groups": "User groups", "roles": "Roles"}.get(self.path, "Policies")

    @property
    def param(self) -> str:
        return self.key or f"{self.noun}Name"

    def op(self, template: str) -> str:
        """``op("Attach{}Policy")`` → ``AttachUserPolicy``."""
        return template.format(self.noun)

    def url(self, name: str, tab: str = "") -> str:
        url = f"/console/iam/{self.path}/details/{quote(name, safe='')}"
        return f"{url}?tab={tab}" if tab else url


KINDS = {
    "users": Kind("users", "User"),
    "groups": Kind("groups", "Group", tag_ops=False),
    "roles": Kind("roles", "Role"),
    "policies": Kind("policies", "Policy", identity=False, key="PolicyArn"),
}


class NotFound(ServiceError):
    """A console URL naming no kind of IAM entity (no AWS call was made): the 404 page."""

    code = "NotFound"
    status = 404


def kind_of(page: PageContext, *, identity: bool = True) -> Kind:
    """The kind the URL names; ``identity``: only users, groups and roles have this page."""
    found = KINDS.get(page.params["kind"])
    if found is None or (identity and not found.identity):
        raise NotFound("Page not found.")
    return found


def permissions(page: PageContext, kind: Kind, name: str) -> dict[str, Any]:
    """The Permissions tab: attached managed policies and inline policies, each with its error.
    A user's attached policies include its groups' ("Attached via" the group, as AWS's tab
    lists them), after those attached directly."""
    attached, attached_error = attempt(page, kind.op("ListAttached{}Policies"), **{kind.param: name}, MaxItems=1000)
    inline, inline_error = attempt(page, kind.op("List{}Policies"), **{kind.param: name}, MaxItems=1000)
    rows = [{**policy, "via": ""} for policy in attached.get("AttachedPolicies", [])]
    via_error = None
    if kind.path == "users":
        try:
            for group in list_all(page, "ListGroupsForUser", "Groups", UserName=name):
                found = call(page, "ListAttachedGroupPolicies", GroupName=group["GroupName"], MaxItems=1000)
                rows += [{**policy, "via": group["GroupName"]} for policy in found["AttachedPolicies"]]
        except ServiceError as error:
            via_error = error
    return {
        "attached": rows,
        "attached_error": attached_error,
        "via_error": via_error,
        "inline": inline.get("PolicyNames", []),
        "inline_error": inline_error,
    }


# --- Add permissions ---------------------------------------------------------------------


def _add_form(
    page: PageContext, kind: Kind, name: str, status: int = 200, error: ServiceError | None = None
) -> Response:
    attached, _ = attempt(page, kind.op("ListAttached{}Policies"), **{kind.param: name}, MaxItems=1000)
    already = {policy["PolicyArn"] for policy in attached.get("AttachedPolicies", [])}
    groups: list[dict[str, Any]] = []
    groups_error = None
    member_of: set[str] = set()
    if kind.path == "users":
        try:
            groups = list_all(page, "ListGroups", "Groups")
            member_of = {g["GroupName"] for g in list_all(page, "ListGroupsForUser", "Groups", UserName=name)}
        except ServiceError as failed:
            groups_error = failed
    form = page.request.form
    default = "groups" if kind.path == "users" else "policies"
    option = form.get("option") or page.request.query.get("option") or default
    return render(
        page,
        "iam/add_permissions.html",
        status,
        title=f"Add permissions to {name}",
        section=kind.path,
        kind=kind,
        entity=name,
        picker=picker(page, exclude=already),
        option=option,
        groups=[g for g in groups if g["GroupName"] not in member_of],
        groups_error=groups_error,
        chosen_groups=page.request.values("group"),
        error=error,
    )


@routes.get("/console/iam/{kind}/details/{name}/add-permissions")
def add_permissions_form(page: PageContext) -> Response:
    kind = kind_of(page)
    name = page.params["name"]
    call(page, kind.op("Get{}"), **{kind.param: name})  # NoSuchEntity for a missing one
    return _add_form(page, kind, name)


@routes.post("/console/iam/{kind}/details/{name}/add-permissions")
def add_permissions(page: PageContext) -> Response:
    kind = kind_of(page)
    name = page.params["name"]
    if picker_moved(page):
        return _add_form(page, kind, name)
    try:
        if kind.path == "users" and page.request.form.get("option") == "groups":
            for group in page.request.values("group"):
                call(page, "AddUserToGroup", GroupName=group, UserName=name)
        else:
            for arn in dict.fromkeys(page.request.values("policy")):
                call(page, kind.op("Attach{}Policy"), **{kind.param: name}, PolicyArn=arn)
    except ServiceError as error:
        return _add_form(page, kind, name, error.status, error)
    return page.redirect(kind.url(name, "permissions"), done="permissions-added")


# The Permissions tab's "Remove" ("Adding and removing IAM identity permissions", Removing
# identity permissions: "Select the check boxes next to the policies to delete and choose
# Remove."), then the confirmation's "Remove". Managed policies are detached, inline ones
# deleted; those a user has through a group are not its own to remove.
NO_POLICY = "Select the policies to remove."  # unconfirmed wording


@routes.post("/console/iam/{kind}/details/{name}/remove-policies")
def remove_policies(page: PageContext) -> Response:
    kind = kind_of(page)
    name = page.params["name"]
    arns = list(dict.fromkeys(arn for arn in page.request.values("arn") if arn))
    inline = list(dict.fromkeys(policy for policy in page.request.values("inline") if policy))
    if not arns and not inline:
        raise FormError(NO_POLICY)
    if page.request.form.get("step") != "confirm":
        return _remove_page(page, kind, name, arns, inline)
    try:
        for arn in arns:
            call(page, kind.op("Detach{}Policy"), **{kind.param: name}, PolicyArn=arn)
        for policy_name in inline:
            call(page, kind.op("Delete{}Policy"), **{kind.param: name}, PolicyName=policy_name)
    except ServiceError as error:
        return _remove_page(page, kind, name, arns, inline, error.status, error)
    return page.redirect(kind.url(name, "permissions"), done="policy-removed")


def _remove_page(
    page: PageContext,
    kind: Kind,
    name: str,
    arns: list[str],
    inline: list[str],
    status: int = 200,
    error: ServiceError | None = None,
) -> Response:
    return render(
        page,
        "iam/policies_remove.html",
        status,
        title="Remove policies",
        section=kind.path,
        kind=kind,
        entity=name,
        arns=arns,
        inline=inline,
        names=[arn.rsplit("/", 1)[-1] for arn in arns] + inline,
        error=error,
    )


# --- inline policies ---------------------------------------------------------------------


def _inline_form(
    page: PageContext,
    kind: Kind,
    name: str,
    step: str,
    status: int = 200,
    error: ServiceError | None = None,
    **values: Any,
) -> Response:
    """A step of "Create inline policy": ``editor`` (the JSON editor, "Next") or ``review``
    ("Review and create": "Policy name", "Create policy"). ``editing``: the name of the
    policy the "Edit" button opened (its name is kept: PutXPolicy replaces it)."""
    form = page.request.form
    document = values.pop("document", form.get("document", EMPTY_POLICY))
    checked = page.request.method == "POST"
    values.setdefault("editing", form.get("editing", ""))
    values.setdefault("policy_name", form.get("policy_name", "").strip() or values["editing"])
    return render(
        page,
        "iam/inline_policy.html",
        status,
        title="Create inline policy",
        section=kind.path,
        kind=kind,
        entity=name,
        step=step,
        document=document,
        findings=findings_for(document, "identity") if checked else [],
        checked=checked,
        error=error,
        **values,
    )


# What AWS's editor starts from.
EMPTY_POLICY = json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Sid": "Statement1", "Effect": "Allow", "Action": [], "Resource": []}]},
    indent=4,
)


@routes.get("/console/iam/{kind}/details/{name}/inline/create")
def inline_form(page: PageContext) -> Response:
    kind = kind_of(page)
    name = page.params["name"]
    policy_name = page.request.query.get("policy", "")
    document = EMPTY_POLICY
    if policy_name:  # "Edit": the current document
        found = call(page, kind.op("Get{}Policy"), **{kind.param: name}, PolicyName=policy_name)
        document = document_text(found["PolicyDocument"])
    else:
        call(page, kind.op("Get{}"), **{kind.param: name})  # NoSuchEntity for a missing one
    return _inline_form(page, kind, name, "editor", document=document, editing=policy_name)


@routes.post("/console/iam/{kind}/details/{name}/inline/create")
def inline_save(page: PageContext) -> Response:
    """The editor's "Next" checks the document as IAM would and goes on to "Review and
    create"; "Create policy" there is PutUserPolicy, PutGroupPolicy or PutRolePolicy. A form
    posted without a step (an older form) saves at once."""
    kind = kind_of(page)
    name = page.params["name"]
    form = page.request.form
    step, action = form.get("step", ""), form.get("action", "")
    if step == "editor":
        problem = first_error(findings_for(form.get("document", ""), "identity"), form.get("document", ""), "identity")
        if problem is not None:
            return _inline_form(page, kind, name, "editor", problem.status, problem)
        return _inline_form(page, kind, name, "review")
    if action == "back":
        return _inline_form(page, kind, name, "editor")
    policy_name, document = form.get("policy_name", "").strip(), form.get("document", "")
    try:
        call(page, kind.op("Put{}Policy"), **{kind.param: name}, PolicyName=policy_name, PolicyDocument=document)
    except ServiceError as error:
        return _inline_form(page, kind, name, "review" if step == "review" else "editor", error.status, error)
    return page.redirect(kind.url(name, "permissions"), done="inline-saved")


@routes.get("/console/iam/{kind}/details/{name}/inline/view/{policy}")
def inline_view(page: PageContext) -> Response:
    kind = kind_of(page)
    name, policy_name = page.params["name"], page.params["policy"]
    found = call(page, kind.op("Get{}Policy"), **{kind.param: name}, PolicyName=policy_name)
    return render(
        page,
        "iam/inline_view.html",
        title=policy_name,
        section=kind.path,
        kind=kind,
        entity=name,
        policy_name=policy_name,
        document=document_text(found["PolicyDocument"]),
    )


# --- tags --------------------------------------------------------------------------------


def current_tags(page: PageContext, kind: Kind, name: str) -> tuple[list[dict[str, str]], ServiceError | None]:
    out, error = attempt(page, kind.op("List{}Tags"), **{kind.param: name}, MaxItems=1000)
    return out.get("Tags", []), error


def _tags_form(
    page: PageContext,
    kind: Kind,
    name: str,
    rows: list[tuple[str, str]],
    status: int = 200,
    error: ServiceError | None = None,
) -> Response:
    return render(
        page,
        "iam/tags.html",
        status,
        title=f"Manage tags of {name}",
        section=kind.path,
        kind=kind,
        entity=name,
        rows=rows,
        error=error,
    )


@routes.get("/console/iam/{kind}/details/{name}/tags")
def tags_form(page: PageContext) -> Response:
    kind = kind_of(page, identity=False)
    if not kind.tag_ops:
        raise NotFound("Page not found.")
    name = page.params["name"]
    tags = call(page, kind.op("List{}Tags"), **{kind.param: name}, MaxItems=1000)["Tags"]
    rows = [(tag["Key"], tag.get("Value", "")) for tag in tags] + [("", "")]
    return _tags_form(page, kind, name, rows)


@routes.post("/console/iam/{kind}/details/{name}/tags")
def tags_save(page: PageContext) -> Response:
    kind = kind_of(page, identity=False)
    if not kind.tag_ops:
        raise NotFound("Page not found.")
    name = page.params["name"]
    if page.request.form.get("action") == "addtag":
        return _tags_form(page, kind, name, tag_rows(page, add=True))
    rows = tag_rows(page)
    wanted = {key: value for key, value in rows if key}
    try:
        before = call(page, kind.op("List{}Tags"), **{kind.param: name}, MaxItems=1000)["Tags"]
        removed = [tag["Key"] for tag in before if tag["Key"] not in wanted]
        if removed:
            call(page, kind.op("Untag{}"), **{kind.param: name}, TagKeys=removed)
        if wanted:
            tags = [{"Key": key, "Value": value} for key, value in wanted.items()]
            call(page, kind.op("Tag{}"), **{kind.param: name}, Tags=tags)
    except ServiceError as error:
        return _tags_form(page, kind, name, rows or [("", "")], error.status, error)
    return page.redirect(kind.url(name, "tags"), done="tags-saved")

"""Managed policies: the list (by type, searched by name, in pages), "Create policy" with the
JSON editor, and a policy's details (its JSON, entities attached, versions, tags) and "Edit"
(the Policies list's Actions, Attach, Detach and Delete with the name typed:
``iam_policy_actions``).

AWS (IAM User Guide): "Define custom IAM permissions with customer managed policies"
(access_policies_create-console: the JSON editor shows the policy validator's findings;
then "Policy name", "Description", tags, review, "Create policy"); "Editing IAM policies"
(access_policies_manage-edit: saving an edited policy creates a new version, the default
one, and at most five versions are kept); "Versioning IAM policies"
(access_policies_managed-versioning: set a version as the default, delete non-default
versions once confirmed); "Edit" is the JSON editor, "Next", then "Review and save" with "Set
this new version as the default" ticked, and "Save changes"; deleting a policy in the console detaches it first
(access_policies_manage-delete).

The editor's "Next" runs the same validator server-side, so the page works without
JavaScript; saving is CreatePolicy / CreatePolicyVersion, whose errors
(MalformedPolicyDocument with AWS's message) are shown and nothing is saved.
"""

from __future__ import annotations

from typing import Any

from ...errors import ServiceError
from ...services.iam.policies import MAX_VERSIONS  # "IAM stores up to five versions"
from ..app import PageContext
from ..policy_summary import summary_of
from ..web import Response, Routes
from .iam_common import (
    LIST_PAGE,
    FormError,
    all_policies,
    attempt,
    call,
    document_text,
    filter_policies,
    list_all,
    page_number,
    paged,
    policy_url,
    render,
    tag_rows,
    tags_param,
)
from .iam_entities import EMPTY_POLICY, KINDS, current_tags
from .iam_last_accessed import TAB as LAST_ACCESSED
from .iam_last_accessed import last_accessed
from .iam_policy_editor import findings_for, first_error

routes = Routes()
POLICIES = KINDS["policies"]
# The identities a managed policy attaches to, by the word a posted ``entity`` names them
# with ("user:alice").
IDENTITIES = {kind.noun.lower(): kind for kind in KINDS.values() if kind.identity}
TYPES = {"all": "All types", "aws": "AWS managed", "customer": "Customer managed"}
TABS = [
    ("permissions", "Permissions"),
    ("entities", "Entities attached"),
    ("versions", "Policy versions"),
    ("tags", "Tags"),
]
VERSION_ONE = "Select one version to set as the default."  # unconfirmed wording
VERSION_SOME = "Select the versions to delete."  # unconfirmed wording
VERSION_FULL = "Select at least one version to delete before saving."  # unconfirmed wording
_EDIT_TITLES = {
    "editor": "Modify permissions in {name}",
    "review": "Review and save",
    "versions": "Delete a version of {name}",  # unconfirmed wording
}


def entity_row(word: str, name: str) -> dict[str, str]:
    """A user, group or role as the pages that attach and detach a policy list it."""
    kind = IDENTITIES[word]
    return {"kind": word, "type": kind.noun, "name": name, "url": kind.url(name)}


def attached_rows(entities: dict[str, Any]) -> list[dict[str, str]]:
    """ListEntitiesForPolicy's users, groups and roles, as ``entity_row``s."""
    return [
        entity_row(word, item[kind.param])
        for word, kind in IDENTITIES.items()
        for item in entities.get(kind.op("Policy{}s"), [])
    ]


@routes.get("/console/iam/policies")
def policies(page: PageContext) -> Response:
    query = page.request.query
    kind = query.get("type", "all") if query.get("type") in TYPES else "all"
    search = query.get("q", "")[:128]
    found: list[dict[str, Any]] = []
    error = None
    try:
        found = all_policies(page)
    except ServiceError as failed:
        error = failed
    shown = paged(filter_policies(found, search, kind), page_number(query.get("page")), LIST_PAGE)
    return render(
        page,
        "iam/policies.html",
        error.status if error else 200,
        title="Policies",
        section="policies",
        shown=shown,
        query=search,
        kind=kind,
        types=TYPES,
        error=error,
    )


# --- create ------------------------------------------------------------------------------


def _create(page: PageContext, step: str, status: int = 200, error: ServiceError | None = None) -> Response:
    form = page.request.form
    document = form.get("document", EMPTY_POLICY) if page.request.method == "POST" else EMPTY_POLICY
    checked = page.request.method == "POST"
    findings = findings_for(document, "identity") if checked else []
    return render(
        page,
        "iam/policy_create.html",
        status,
        title="Create policy",
        section="policies",
        step=step,
        document=document,
        findings=findings,
        checked=checked,
        policy_name=form.get("policy_name", ""),
        description=form.get("description", ""),
        rows=tag_rows(page, add=form.get("action") == "addtag"),
        error=error,
        # "Review the policy Summary to see the permissions granted by your policy" (IAM
        # tutorial: Delegate access across AWS accounts using IAM roles).
        summary=summary_of(document) if step == "review" else None,
    )


@routes.get("/console/iam/policies/create")
def create_form(page: PageContext) -> Response:
    return _create(page, "editor")


@routes.post("/console/iam/policies/create")
def create_step(page: PageContext) -> Response:
    form = page.request.form
    action = form.get("action", "next")
    if form.get("step") != "review":
        findings = findings_for(form.get("document", ""), "identity")
        problem = first_error(findings, form.get("document", ""), "identity")
        if problem is not None:
            return _create(page, "editor", problem.status, problem)
        return _create(page, "review")
    if action == "back":
        return _create(page, "editor")
    if action != "create":
        return _create(page, "review")
    name = form.get("policy_name", "").strip()
    try:
        created = call(
            page,
            "CreatePolicy",
            PolicyName=name,
            PolicyDocument=form.get("document", ""),
            Description=form.get("description") or None,
            Tags=tags_param(tag_rows(page)),
        )
    except ServiceError as error:
        return _create(page, "review", error.status, error)
    return page.redirect(policy_url(created["Policy"]["Arn"]), done="policy-created")


# --- details -----------------------------------------------------------------------------


def _details(
    page: PageContext, arn: str, status: int = 200, error: ServiceError | None = None, tab: str = ""
) -> Response:
    policy = call(page, "GetPolicy", PolicyArn=arn)["Policy"]
    customer = not arn.startswith("arn:aws:iam::aws:")
    tabs = [*(TABS if customer else TABS[:3]), LAST_ACCESSED]
    tab = tab or page.request.query.get("tab", "permissions")
    if tab not in dict(tabs):
        tab = "permissions"
    values: dict[str, Any] = {}
    if tab == "permissions":
        version_id = page.request.query.get("version") or policy["DefaultVersionId"]
        version, version_error = attempt(page, "GetPolicyVersion", PolicyArn=arn, VersionId=version_id)
        document = version.get("PolicyVersion", {}).get("Document")
        text = document_text(document) if document else ""
        values.update(
            version_id=version_id,
            document=text,
            version_error=version_error,
            summary=summary_of(text) if text else None,
        )
    elif tab == "entities":
        entities, entities_error = attempt(page, "ListEntitiesForPolicy", PolicyArn=arn, MaxItems=1000)
        values.update(entities=attached_rows(entities), entities_error=entities_error)
    elif tab == "versions":
        versions, versions_error = attempt(page, "ListPolicyVersions", PolicyArn=arn, MaxItems=1000)
        values.update(versions=versions.get("Versions", []), versions_error=versions_error)
    elif tab == LAST_ACCESSED[0]:
        values.update(last_accessed(page, POLICIES, policy["Arn"], policy_url(policy["Arn"])))
    else:
        tags, tags_error = current_tags(page, POLICIES, arn)
        values.update(tags=tags, tags_error=tags_error)
    return render(
        page,
        "iam/policy.html",
        status,
        title=policy["PolicyName"],
        section="policies",
        policy=policy,
        customer=customer,
        tab=tab,
        tabs=tabs,
        kind=POLICIES,
        entity=arn,
        error=error,
        **values,
    )


@routes.get("/console/iam/policies/details/{arn}")
def details(page: PageContext) -> Response:
    return _details(page, page.params["arn"])


def _edit_form(
    page: PageContext,
    arn: str,
    document: str,
    step: str = "editor",
    status: int = 200,
    error: ServiceError | None = None,
) -> Response:
    """A step of "Edit": ``editor`` (the JSON editor, "Next"), ``review`` ("Review and
    save": "Set this new version as the default", checked unless unticked, and "Save
    changes") or ``versions`` (the policy has five versions: the non-default ones, each
    with its JSON, to choose which to delete before saving). The choice travels between
    the steps in the form."""
    form = page.request.form
    checked = page.request.method == "POST"
    if form.get("step") in ("review", "versions"):
        set_default = form.get("set_default") == "on"
    else:
        set_default = form.get("default_choice", "on") == "on"
    policy = call(page, "GetPolicy", PolicyArn=arn)["Policy"]
    older = []
    if step == "versions":
        for version in list_all(page, "ListPolicyVersions", "Versions", PolicyArn=arn):
            if not version["IsDefaultVersion"]:
                found = call(page, "GetPolicyVersion", PolicyArn=arn, VersionId=version["VersionId"])
                older.append({**version, "Document": document_text(found["PolicyVersion"]["Document"])})
    return render(
        page,
        "iam/policy_edit.html",
        status,
        title=_EDIT_TITLES[step].format(name=policy["PolicyName"]),
        older=older,
        section="policies",
        policy=policy,
        document=document,
        step=step,
        findings=findings_for(document, "identity") if checked else [],
        checked=checked,
        set_default=set_default,
        error=error,
    )


@routes.get("/console/iam/policies/details/{arn}/edit")
def edit_form(page: PageContext) -> Response:
    arn = page.params["arn"]
    policy = call(page, "GetPolicy", PolicyArn=arn)["Policy"]
    version = call(page, "GetPolicyVersion", PolicyArn=arn, VersionId=policy["DefaultVersionId"])["PolicyVersion"]
    return _edit_form(page, arn, document_text(version["Document"]))


@routes.post("/console/iam/policies/details/{arn}/edit")
def edit(page: PageContext) -> Response:
    """ "Editing IAM policies" (access_policies_manage-edit): the JSON editor, "Next" (the
    document checked as IAM would), "Review and save", "Save changes": CreatePolicyVersion,
    the new version the default unless "Set this new version as the default" is unticked. A
    form posted without a step (an older form) saves at once. A policy that has five versions
    asks first which to delete: "if you make changes to a managed policy beyond five
    versions, the AWS Management Console prompts you to decide which version to delete"
    (access_policies_manage-edit-console); "a dialog box appears asking you to delete one or
    more of the non-default versions ... You can view the JSON policy document for each
    version" (access_policies_managed-versioning, "Version limits"). The versions ticked are
    deleted (DeletePolicyVersion), then the new one saved."""
    arn = page.params["arn"]
    form = page.request.form
    document = form.get("document", "")
    step, action = form.get("step", ""), form.get("action", "")
    if step == "editor":
        problem = first_error(findings_for(document, "identity"), document, "identity")
        if problem is not None:
            return _edit_form(page, arn, document, "editor", problem.status, problem)
        return _edit_form(page, arn, document, "review")
    if step == "review" and action == "back":
        return _edit_form(page, arn, document, "editor")
    if step == "versions" and action == "back":
        return _edit_form(page, arn, document, "review")
    try:
        if step == "review" and len(list_all(page, "ListPolicyVersions", "Versions", PolicyArn=arn)) >= MAX_VERSIONS:
            return _edit_form(page, arn, document, "versions")
        if step == "versions":
            # Versions are deleted only for a document IAM will take (the form could carry another).
            invalid = first_error(findings_for(document, "identity"), document, "identity")
            if invalid is not None:
                return _edit_form(page, arn, document, "editor", invalid.status, invalid)
            doomed = [version for version in page.request.values("version") if version]
            if not doomed:
                refused = FormError(VERSION_FULL)
                return _edit_form(page, arn, document, "versions", refused.status, refused)
            for version in doomed:
                call(page, "DeletePolicyVersion", PolicyArn=arn, VersionId=version)
        call(
            page,
            "CreatePolicyVersion",
            PolicyArn=arn,
            PolicyDocument=document,
            SetAsDefault=form.get("set_default") == "on",
        )
    except ServiceError as error:
        back = step if step in ("review", "versions") else "editor"
        return _edit_form(page, arn, document, back, error.status, error)
    return page.redirect(policy_url(arn), done="policy-saved" if form.get("set_default") == "on" else "version-saved")


def _version_action(page: PageContext, operation: str, done: str, *, one: bool = False) -> Response:
    """Run ``operation`` on each posted version (a row's button posts one, the tab's buttons
    the ticked ones; "Set as default" takes exactly one); back to the Versions tab, or the
    first error there."""
    arn = page.params["arn"]
    versions = [version for version in page.request.values("version") if version]
    if not versions or (one and len(versions) > 1):
        problem = FormError(VERSION_ONE if one else VERSION_SOME)
        return _details(page, arn, problem.status, problem, "versions")
    try:
        for version in versions:
            call(page, operation, PolicyArn=arn, VersionId=version)
    except ServiceError as error:
        return _details(page, arn, error.status, error, "versions")
    return page.redirect(policy_url(arn) + "?tab=versions", done=done)


@routes.post("/console/iam/policies/details/{arn}/versions/default")
def set_default(page: PageContext) -> Response:
    return _version_action(page, "SetDefaultPolicyVersion", "version-default", one=True)


@routes.post("/console/iam/policies/details/{arn}/versions/delete")
def delete_version(page: PageContext) -> Response:
    """The versions ticked, deleted once confirmed ("Versioning IAM policies": "Confirm that you
    want to delete the version, and then choose Delete.")."""
    arn = page.params["arn"]
    versions = [version for version in page.request.values("version") if version]
    if versions and page.request.form.get("step") != "confirm":
        policy = call(page, "GetPolicy", PolicyArn=arn)["Policy"]
        return render(
            page,
            "iam/policy_versions_delete.html",
            title="Delete policy version" if len(versions) == 1 else "Delete policy versions",
            section="policies",
            policy=policy,
            versions=versions,
        )
    return _version_action(page, "DeletePolicyVersion", "version-deleted")

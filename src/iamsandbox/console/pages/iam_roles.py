"""IAM roles: the list, a role's details (permissions, trust relationships, tags, the link
to switch to it, its instance profiles), what deleting one removes (``delete_role``; the
confirmation is ``iam_delete``), and the "Create role" wizard.

AWS (IAM User Guide): "Create a role to give permissions to an IAM user"
(id_roles_create_for-user): trusted entity "AWS account", "This account" or "Another AWS
account" with its "Account ID"; "Require external ID" adds a condition on sts:ExternalId,
"Require MFA" one on aws:MultiFactorAuthPresent; then permissions policies, then "Role
name", "Description", review and "Create role". The trust policy the wizard writes is
AWS's: Principal ``{"AWS": "arn:aws:iam::ACCOUNT:root"}``, Action ``sts:AssumeRole`` and
a Condition object (empty when neither option is chosen), 4-space indented. "Set
permissions boundary - optional" on the "Add permissions" step ("Use a permissions boundary to
control the maximum role permissions", a managed policy) is CreateRole's PermissionsBoundary,
so a principal allowed to create roles only with a given boundary can ("Permissions
boundaries for IAM entities"). The review's "Edit" buttons next to "Step 1: Select trusted
entities" and "Step 2: Add permissions" go back to those steps, keeping what was chosen
("Create a role using custom trust policies", id_roles_create_for-custom). "Create a role
for an AWS service (console)" (id_roles_create_for-service) writes Action and the Service
principal as lists; for EC2 the console also creates an instance profile named as the role
and adds the role to it ("Use instance profiles"), shown as the role's "Instance profile ARN".
"Create a role for OpenID Connect federation (console)" (id_roles_create_for-idp_oidc):
"Web identity", the "Identity provider" (the account's OIDC providers, or Google, Facebook,
Login with Amazon, Amazon Cognito) and its audience; the trust policy allows
sts:AssumeRoleWithWebIdentity to the Federated provider with StringEquals on the provider's
audience key (``audience_key``).
The switch-role link on a role's page is
``.../switchrole?roleName=NAME&account=ACCOUNT`` ("Provide information to the users who want
to switch roles", id_roles_use_switch-role-console), here on this console's own address.

The wizard keeps its state in the form (hidden fields for the steps not shown): no
JavaScript and nothing on the server between steps.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from ...errors import ServiceError
from ..app import PageContext
from ..web import Response, Routes
from .iam_access_explorer import explorer_url
from .iam_common import (
    FormError,
    account_id,
    all_policies,
    attempt,
    call,
    document_text,
    list_all,
    page_number,
    paged,
    picker,
    picker_moved,
    principal_summary,
    provider_name,
    render,
    tag_rows,
    tags_param,
)
from .iam_entities import KINDS, current_tags, permissions
from .iam_last_accessed import TAB as LAST_ACCESSED
from .iam_last_accessed import last_accessed
from .iam_policy_editor import findings_for, first_error

routes = Routes()
ROLES = KINDS["roles"]
TABS = [("permissions", "Permissions"), ("trust", "Trust relationships"), ("tags", "Tags"), LAST_ACCESSED]

# "Service or use case": common services and their service principals.
EC2 = "ec2.amazonaws.com"
SERVICES = {
    EC2: "EC2",
    "lambda.amazonaws.com": "Lambda",
    "ecs-tasks.amazonaws.com": "Elastic Container Service Task",
    "cloudformation.amazonaws.com": "CloudFormation",
    "glue.amazonaws.com": "Glue",
    "sagemaker.amazonaws.com": "SageMaker",
}
# "Web identity": the identity providers AWS's console offers besides the account's own OIDC
# providers, and the context key each one's audience is tested with ("Create a role for
# OpenID Connect federation (console)": "accounts.google.com:aud", "graph.facebook.com:app_id",
# "www.amazon.com:app_id", "cognito-identity.amazonaws.com:aud"; an OIDC provider's own URL
# with ":aud", "server.example.com:aud").
WEB_PROVIDERS = {
    "accounts.google.com": ("Google", "accounts.google.com:aud"),
    "graph.facebook.com": ("Facebook", "graph.facebook.com:app_id"),
    "www.amazon.com": ("Login with Amazon", "www.amazon.com:app_id"),
    "cognito-identity.amazonaws.com": ("Amazon Cognito", "cognito-identity.amazonaws.com:aud"),
}
NO_PROVIDER = "Choose an identity provider."  # unconfirmed wording
NO_AUDIENCE = "Enter the audience (the application ID or identity pool ID) the provider gives your app."  # unconfirmed
ACCOUNT_ID = re.compile(r"[0-9]{12}")
# AssumeRole's ExternalId: 2 to 1224 characters of [\w+=,.@:/-] (STS API reference).
EXTERNAL_ID = re.compile(r"[\w+=,.@:/-]{2,1224}")
STEPS = ("entity", "permissions", "review")
NO_BOUNDARY = "Choose a policy to use as the permissions boundary."  # unconfirmed wording


@dataclass
class Wizard:
    """What the wizard has been told so far."""

    entity: str = "account"  # account | service | web | custom
    account_choice: str = "this"  # this | another
    account_id: str = ""
    require_external_id: bool = False
    external_id: str = ""
    require_mfa: bool = False
    service: str = EC2
    provider: str = ""  # "Web identity": an OIDC provider's ARN or one of WEB_PROVIDERS
    audience: str = ""
    custom: str = ""
    role_name: str = ""
    description: str = ""
    use_boundary: bool = False
    boundary: str = ""

    @classmethod
    def from_form(cls, form: dict[str, str]) -> Wizard:
        entity = form.get("entity", "account")
        service = form.get("service", "")
        return cls(
            entity=entity if entity in ("account", "service", "web", "custom") else "account",
            account_choice="another" if form.get("account_choice") == "another" else "this",
            account_id=form.get("account_id", "").strip(),
            require_external_id=form.get("require_external_id") == "on",
            external_id=form.get("external_id", "").strip(),
            require_mfa=form.get("require_mfa") == "on",
            service=service if service in SERVICES else EC2,
            provider=form.get("provider", ""),
            audience=form.get("audience", "").strip(),
            custom=form.get("custom", "") or custom_template(),
            role_name=form.get("role_name", "").strip(),
            description=form.get("description", ""),
            use_boundary=form.get("boundary_choice") == "use",
            boundary=form.get("boundary", ""),
        )

    @property
    def chosen_boundary(self) -> str | None:
        """CreateRole's PermissionsBoundary: the policy chosen under "Set permissions boundary"."""
        return self.boundary if self.use_boundary and self.boundary else None

    def problem(self) -> FormError | None:
        """What keeps the trusted entity step from going on, in words."""
        if self.entity == "account":
            if self.account_choice == "another" and not ACCOUNT_ID.fullmatch(self.account_id):
                return FormError("Account ID must be 12 digits.")
            if self.require_external_id and not EXTERNAL_ID.fullmatch(self.external_id):
                return FormError(
                    "External ID must be 2 to 1224 characters: letters, digits and the characters + = , . @ : / - _"
                )
        if self.entity == "web":
            if not self.provider:
                return FormError(NO_PROVIDER)
            if not self.audience:
                return FormError(NO_AUDIENCE)
        return None


def trust_policy(wizard: Wizard, own_account: str) -> str:
    """The trust policy the wizard writes for the trusted entity chosen, as AWS's console does."""
    if wizard.entity == "custom":
        return wizard.custom
    statement: dict[str, Any]
    if wizard.entity == "service":
        statement = {"Effect": "Allow", "Action": ["sts:AssumeRole"], "Principal": {"Service": [wizard.service]}}
    elif wizard.entity == "web":
        statement = {
            "Effect": "Allow",
            "Principal": {"Federated": wizard.provider},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {"StringEquals": {audience_key(wizard.provider): wizard.audience}},
        }
    else:
        account = wizard.account_id if wizard.account_choice == "another" else own_account
        condition: dict[str, Any] = {}
        if wizard.require_external_id:
            condition["StringEquals"] = {"sts:ExternalId": wizard.external_id}
        if wizard.require_mfa:
            condition["Bool"] = {"aws:MultiFactorAuthPresent": "true"}
        statement = {
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
            "Action": "sts:AssumeRole",
            "Condition": condition,
        }
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]}, indent=4)


def audience_key(provider: str) -> str:
    """The context key a web identity role's trust policy tests the audience with: a
    well-known provider's, or an IAM OIDC provider's URL (its ARN after "oidc-provider/")
    with ":aud"."""
    if provider in WEB_PROVIDERS:
        return WEB_PROVIDERS[provider][1]
    return provider_name(provider) + ":aud"


def web_providers(page: PageContext) -> tuple[dict[str, str], ServiceError | None]:
    """The "Identity provider" choices: the account's OIDC providers (ARN → URL), then the
    well-known ones; the listing's error when the principal may not list the providers."""
    own, refused = attempt(page, "ListOpenIDConnectProviders")
    listed = own.get("OpenIDConnectProviderList", [])
    choices = {entry["Arn"]: provider_name(entry["Arn"]) for entry in listed}
    choices.update({url: label for url, (label, _key) in WEB_PROVIDERS.items()})
    return choices, refused


def custom_template() -> str:
    """What the "Custom trust policy" editor starts from."""
    statement = {"Sid": "Statement1", "Effect": "Allow", "Principal": {}, "Action": "sts:AssumeRole"}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]}, indent=4)


def switch_role_link(page: PageContext, role_name: str, path: str = "/") -> str:
    """The link that opens Switch Role filled in. A role with a path is switched to by its
    path and name ("you must type that complete path and name in the Role box"), so the
    link's roleName carries both: ``division/my-role``."""
    folders = path.strip("/")
    query = urlencode({"roleName": f"{folders}/{role_name}" if folders else role_name, "account": account_id(page)})
    return f"{page.base_url()}/console/switchrole?{query}"


# --- list --------------------------------------------------------------------------------


@routes.get("/console/iam/roles")
def roles(page: PageContext) -> Response:
    query = page.request.query.get("q", "")
    found: list[dict[str, Any]] = []
    error = None
    try:
        found = list_all(page, "ListRoles", "Roles")
    except ServiceError as failed:
        error = failed
    needle = query.strip().lower()
    matching = [role for role in found if needle in role["RoleName"].lower()]
    shown = paged(matching, page_number(page.request.query.get("page")), 50)
    trusted = {role["RoleName"]: principal_summary(role["AssumeRolePolicyDocument"]) for role in shown.rows}
    return render(
        page,
        "iam/roles.html",
        error.status if error else 200,
        title="Roles",
        section="roles",
        shown=shown,
        trusted=trusted,
        query=query,
        error=error,
    )


# --- the wizard ----------------------------------------------------------------------------


def _wizard(
    page: PageContext, wizard: Wizard, step: str, status: int = 200, error: ServiceError | None = None
) -> Response:
    own = account_id(page)
    values: dict[str, Any] = {}
    if step == "permissions":
        values["picker"] = picker(page)
        boundaries: list[dict[str, Any]] = []
        try:
            boundaries = all_policies(page)
        except ServiceError as failed:
            values["boundaries_error"] = failed
        values["boundaries"] = boundaries
    if step == "review":
        values["rows"] = tag_rows(page, add=page.request.form.get("action") == "addtag")
        values["policies"] = list(dict.fromkeys(page.request.values("policy")))
    if step == "entity" and wizard.entity == "custom" and page.request.method == "POST":
        values["findings"] = findings_for(wizard.custom, "trust")
    if step == "entity":
        values["providers"], values["providers_error"] = web_providers(page)
    return render(
        page,
        "iam/role_create.html",
        status,
        title="Create role",
        section="roles",
        w=wizard,
        step=step,
        steps=STEPS,
        own_account=own,
        services=SERVICES,
        trust=trust_policy(wizard, own),
        selected=list(dict.fromkeys(page.request.values("policy"))),
        tags=tag_rows(page),
        error=error,
        **values,
    )


@routes.get("/console/iam/roles/create")
def create_form(page: PageContext) -> Response:
    """Step 1; an identity provider's "Assign role" opens it with "Web identity" and the
    provider chosen (``?entity=web&provider=ARN``)."""
    query = page.request.query
    wizard = Wizard(custom=custom_template())
    if query.get("entity") == "web":
        wizard = Wizard(entity="web", provider=query.get("provider", ""), custom=custom_template())
    return _wizard(page, wizard, "entity")


@routes.post("/console/iam/roles/create")
def create_step(page: PageContext) -> Response:
    form = page.request.form
    wizard = Wizard.from_form(form)
    step = form.get("step") if form.get("step") in STEPS else "entity"
    action = form.get("action", "next")
    if step == "entity":
        if action != "next":
            return _wizard(page, wizard, "entity")
        problem = wizard.problem()
        if problem is not None:
            return _wizard(page, wizard, "entity", problem.status, problem)
        custom = wizard.custom
        invalid = first_error(findings_for(custom, "trust"), custom, "trust") if wizard.entity == "custom" else None
        if invalid is not None:
            return _wizard(page, wizard, "entity", invalid.status, invalid)
        return _wizard(page, wizard, "permissions")
    if step == "permissions":
        if picker_moved(page) or action == "boundary":
            return _wizard(page, wizard, "permissions")
        if action == "back":
            return _wizard(page, wizard, "entity")
        if wizard.use_boundary and not wizard.boundary:
            return _wizard(page, wizard, "permissions", 400, FormError(NO_BOUNDARY))
        return _wizard(page, wizard, "review")
    # The review's "Edit" buttons go back to step 1 or 2, everything chosen kept in the form.
    if action == "edit-entity":
        return _wizard(page, wizard, "entity")
    if action in ("back", "edit-permissions"):
        return _wizard(page, wizard, "permissions")
    if action != "create":
        return _wizard(page, wizard, "review")
    return _create_role(page, wizard)


def _create_role(page: PageContext, wizard: Wizard) -> Response:
    try:
        call(
            page,
            "CreateRole",
            RoleName=wizard.role_name,
            AssumeRolePolicyDocument=trust_policy(wizard, account_id(page)),
            Description=wizard.description or None,
            Tags=tags_param(tag_rows(page)),
            PermissionsBoundary=wizard.chosen_boundary,
        )
    except ServiceError as error:
        return _wizard(page, wizard, "review", error.status, error)
    try:
        if wizard.entity == "service" and wizard.service == EC2:
            # "Use instance profiles": "If you use the AWS Management Console to create a role
            # for Amazon EC2, the console automatically creates an instance profile and gives
            # it the same name as the role."
            call(page, "CreateInstanceProfile", InstanceProfileName=wizard.role_name)
            call(page, "AddRoleToInstanceProfile", InstanceProfileName=wizard.role_name, RoleName=wizard.role_name)
        for arn in dict.fromkeys(page.request.values("policy")):
            call(page, "AttachRolePolicy", RoleName=wizard.role_name, PolicyArn=arn)
    except ServiceError as error:
        return _details(page, wizard.role_name, error.status, error)  # the role exists: show it and what failed
    return page.redirect(ROLES.url(wizard.role_name), done="role-created")


# --- details -----------------------------------------------------------------------------


def _details(
    page: PageContext, name: str, status: int = 200, error: ServiceError | None = None, tab: str = ""
) -> Response:
    role = call(page, "GetRole", RoleName=name)["Role"]
    tab = tab or page.request.query.get("tab", "permissions")
    if tab not in dict(TABS):
        tab = "permissions"
    values: dict[str, Any] = {}
    if tab == "permissions":
        values.update(permissions(page, ROLES, name))
    elif tab == "tags":
        tags, tags_error = current_tags(page, ROLES, name)
        values.update(tags=tags, tags_error=tags_error)
    elif tab == LAST_ACCESSED[0]:
        values.update(last_accessed(page, ROLES, role["Arn"], ROLES.url(name)))
    profiles, profiles_error = attempt(page, "ListInstanceProfilesForRole", RoleName=name, MaxItems=1000)
    return render(
        page,
        "iam/role.html",
        status,
        title=name,
        section="roles",
        role=role,
        trust=document_text(role["AssumeRolePolicyDocument"]),
        switch_link=switch_role_link(page, role["RoleName"], role.get("Path", "/")),
        explorer_link=explorer_url(role["Arn"]),
        profiles=profiles.get("InstanceProfiles", []),
        profiles_error=profiles_error,
        tab=tab,
        tabs=TABS,
        kind=ROLES,
        entity=name,
        error=error,
        **values,
    )


@routes.get("/console/iam/roles/details/{name}")
def details(page: PageContext) -> Response:
    return _details(page, page.params["name"])


def delete_role(page: PageContext, name: str) -> None:
    """As AWS's console ("Delete roles or instance profiles": "IAM also automatically deletes
    the policies associated with the role. It also deletes any Amazon EC2 instance profile
    that contains the role."). What is to remove is read first (the instance profiles, the
    attached and inline policies, the boundary), so a refused read changes nothing; then the
    role leaves each instance profile and the profile is deleted, before its policies are
    detached and deleted (an instance profile refused then leaves the role with its
    permissions), then the boundary goes and DeleteRole. Raises the first refusal."""
    role = call(page, "GetRole", RoleName=name)["Role"]
    profiles = list_all(page, "ListInstanceProfilesForRole", "InstanceProfiles", RoleName=name)
    attached = call(page, "ListAttachedRolePolicies", RoleName=name, MaxItems=1000)["AttachedPolicies"]
    inline = call(page, "ListRolePolicies", RoleName=name, MaxItems=1000)["PolicyNames"]
    for profile in profiles:
        profile_name = profile["InstanceProfileName"]
        call(page, "RemoveRoleFromInstanceProfile", InstanceProfileName=profile_name, RoleName=name)
        call(page, "DeleteInstanceProfile", InstanceProfileName=profile_name)
    for policy in attached:
        call(page, "DetachRolePolicy", RoleName=name, PolicyArn=policy["PolicyArn"])
    for policy_name in inline:
        call(page, "DeleteRolePolicy", RoleName=name, PolicyName=policy_name)
    if role.get("PermissionsBoundary"):
        # DeleteRole does not refuse a role with a boundary: a refusal here need not stop it.
        attempt(page, "DeleteRolePermissionsBoundary", RoleName=name)
    call(page, "DeleteRole", RoleName=name)


# --- summary: description and maximum session duration ----------------------------------------

# "Update settings for a role" (id_roles_update-role-settings): in the Summary section choose
# Edit, enter the description, choose a "Maximum session duration" or "Custom duration" (in
# seconds), then Save changes (UpdateRole). The setting is 1 to 12 hours.
SESSION_HOURS = (1, 2, 4, 8, 12)  # the console's choices besides a custom duration (unconfirmed list)
CUSTOM_DURATION = "custom"


def _summary_form(
    page: PageContext,
    name: str,
    values: dict[str, str] | None = None,
    status: int = 200,
    error: ServiceError | None = None,
) -> Response:
    role = call(page, "GetRole", RoleName=name)["Role"]
    if values is None:
        seconds = int(role.get("MaxSessionDuration", 3600))
        preset = seconds % 3600 == 0 and seconds // 3600 in SESSION_HOURS
        values = {
            "description": str(role.get("Description", "")),
            "duration": str(seconds) if preset else CUSTOM_DURATION,
            "custom_seconds": "" if preset else str(seconds),
        }
    return render(
        page,
        "iam/role_edit.html",
        status,
        title=f"Edit {name}",
        section="roles",
        entity=name,
        role=role,
        values=values,
        hours=SESSION_HOURS,
        custom=CUSTOM_DURATION,
        error=error,
    )


@routes.get("/console/iam/roles/details/{name}/edit")
def summary_form(page: PageContext) -> Response:
    return _summary_form(page, page.params["name"])


@routes.post("/console/iam/roles/details/{name}/edit")
def summary_save(page: PageContext) -> Response:
    name = page.params["name"]
    form = page.request.form
    values = {
        "description": form.get("description", ""),
        "duration": form.get("duration", "").strip(),
        "custom_seconds": form.get("custom_seconds", "").strip(),
    }
    chosen = values["custom_seconds"] if values["duration"] == CUSTOM_DURATION else values["duration"]
    if not (chosen.isascii() and chosen.isdigit() and len(chosen) <= 6):  # "²" is a digit too
        problem = FormError("Enter the maximum session duration in seconds.")  # unconfirmed wording
        return _summary_form(page, name, values, 400, problem)
    try:
        call(page, "UpdateRole", RoleName=name, Description=values["description"], MaxSessionDuration=int(chosen))
    except ServiceError as error:
        return _summary_form(page, name, values, error.status, error)
    return page.redirect(ROLES.url(name), done="role-updated")


def _trust_form(
    page: PageContext, name: str, document: str, status: int = 200, error: ServiceError | None = None
) -> Response:
    checked = page.request.method == "POST"
    return render(
        page,
        "iam/trust_edit.html",
        status,
        title="Edit trust policy",
        section="roles",
        entity=name,
        document=document,
        findings=findings_for(document, "trust") if checked else [],
        checked=checked,
        error=error,
    )


@routes.get("/console/iam/roles/details/{name}/trust")
def trust_form(page: PageContext) -> Response:
    name = page.params["name"]
    role = call(page, "GetRole", RoleName=name)["Role"]
    return _trust_form(page, name, document_text(role["AssumeRolePolicyDocument"]))


@routes.post("/console/iam/roles/details/{name}/trust")
def trust_save(page: PageContext) -> Response:
    name = page.params["name"]
    document = page.request.form.get("document", "")
    try:
        call(page, "UpdateAssumeRolePolicy", RoleName=name, PolicyDocument=document)
    except ServiceError as error:
        return _trust_form(page, name, document, error.status, error)
    return page.redirect(ROLES.url(name, "trust"), done="trust-saved")

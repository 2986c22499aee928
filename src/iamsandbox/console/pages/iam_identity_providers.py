"""IAM identity providers: the list (OpenID Connect and SAML), "Add provider", an OpenID
Connect provider's details with its audiences, and deleting one.

AWS (IAM User Guide, "Create an OpenID Connect (OIDC) identity provider in IAM",
id_roles_providers_create_oidc, "Creating and managing an OIDC provider (console)"): in the
navigation pane "Identity providers", then "Add provider"; "For Provider URL, type the URL of
the IdP"; "For Audience, type the client ID of the application"; then "Add provider"
(CreateOpenIDConnectProvider). A provider's page lists its audiences, "Add audience" and
"Remove audience" (AddClientIDToOpenIDConnectProvider, RemoveClientIDFromOpenIDConnectProvider);
"Delete" removes the provider (DeleteOpenIDConnectProvider) once confirmed. "Assign role"
opens the Create role wizard with "Web identity" and the provider chosen (``iam_roles``).

The list shows the account's SAML 2.0 providers too (ListSAMLProviders: name, type SAML,
creation time), read-only: they are made, changed and deleted through the API
(CreateSAMLProvider and the rest), so "Provider type" offers OpenID Connect only. Each step
is the API operation as the console's principal: a refused one shows IAM's error on the page.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from ...errors import ServiceError
from ..app import PageContext
from ..web import Response, Routes
from .iam_common import FormError, attempt, call, provider_name, render, tag_rows, tags_param

routes = Routes()
LIST = "/console/iam/identity-providers"
NO_URL = "Enter the provider URL, beginning with https:// (http:// for a local issuer)."  # unconfirmed wording
NO_AUDIENCE = "Enter an audience: the client ID of your application."  # unconfirmed wording
NO_AUDIENCE_CHOSEN = "Select the audiences to remove."  # unconfirmed wording


def provider_url(arn: str) -> str:
    return f"{LIST}/details/{quote(arn, safe='')}"


@routes.get(LIST)
def providers(page: PageContext) -> Response:
    listed, error = attempt(page, "ListOpenIDConnectProviders")
    rows = []
    for entry in listed.get("OpenIDConnectProviderList", []):
        details, _ = attempt(page, "GetOpenIDConnectProvider", OpenIDConnectProviderArn=entry["Arn"])
        name, created = provider_name(entry["Arn"]), details.get("CreateDate")
        rows.append({"url": provider_url(entry["Arn"]), "name": name, "type": "OpenID Connect", "created": created})
    saml, saml_error = attempt(page, "ListSAMLProviders")
    error = error or saml_error
    for entry in saml.get("SAMLProviderList", []):
        name = entry["Arn"].partition(":saml-provider/")[2]
        rows.append({"url": None, "name": name, "type": "SAML", "created": entry.get("CreateDate")})
    return render(
        page,
        "iam/identity_providers.html",
        error.status if error else 200,
        title="Identity providers",
        section="identity-providers",
        rows=rows,
        error=error,
    )


def _add_form(page: PageContext, status: int = 200, error: ServiceError | None = None) -> Response:
    form = page.request.form
    return render(
        page,
        "iam/identity_provider_add.html",
        status,
        title="Add an Identity provider",
        section="identity-providers",
        url=form.get("url", ""),
        audience=form.get("audience", ""),
        rows=tag_rows(page, add=form.get("action") == "addtag"),
        error=error,
    )


@routes.get(LIST + "/create")
def add_form(page: PageContext) -> Response:
    return _add_form(page)


@routes.post(LIST + "/create")
def add(page: PageContext) -> Response:
    form = page.request.form
    if form.get("action") == "addtag":
        return _add_form(page)
    url, audience = form.get("url", "").strip(), form.get("audience", "").strip()
    if not url.startswith("https://") and not url.startswith("http://"):
        problem = FormError(NO_URL)
        return _add_form(page, problem.status, problem)
    if not audience:
        problem = FormError(NO_AUDIENCE)
        return _add_form(page, problem.status, problem)
    try:
        created = call(
            page, "CreateOpenIDConnectProvider", Url=url, ClientIDList=[audience], Tags=tags_param(tag_rows(page))
        )
    except ServiceError as error:
        return _add_form(page, error.status, error)
    return page.redirect(provider_url(created["OpenIDConnectProviderArn"]), done="provider-added")


def _details(page: PageContext, arn: str, status: int = 200, error: ServiceError | None = None) -> Response:
    details, load_error = attempt(page, "GetOpenIDConnectProvider", OpenIDConnectProviderArn=arn)
    assign = "/console/iam/roles/create?" + urlencode({"entity": "web", "provider": arn})
    return render(
        page,
        "iam/identity_provider.html",
        (load_error.status if load_error else status) if error is None else status,
        title=provider_name(arn),
        section="identity-providers",
        arn=arn,
        name=provider_name(arn),
        details=details,
        tags=details.get("Tags", []),
        error=error or load_error,
        base=provider_url(arn),
        assign_url=assign,
        confirm=page.request.query.get("confirm") == "delete",
    )


@routes.get(LIST + "/details/{arn}")
def details(page: PageContext) -> Response:
    return _details(page, page.params["arn"])


@routes.post(LIST + "/details/{arn}/audiences")
def audiences(page: PageContext) -> Response:
    """ "Add audience" (the audience typed) or "Remove audience" (the ones ticked)."""
    arn = page.params["arn"]
    form = page.request.form
    try:
        if form.get("action") == "add":
            audience = form.get("audience", "").strip()
            if not audience:
                raise FormError(NO_AUDIENCE)
            call(page, "AddClientIDToOpenIDConnectProvider", OpenIDConnectProviderArn=arn, ClientID=audience)
            done = "audience-added"
        else:
            chosen = [value for value in page.request.values("client_id") if value]
            if not chosen:
                raise FormError(NO_AUDIENCE_CHOSEN)
            for client_id in chosen:
                call(page, "RemoveClientIDFromOpenIDConnectProvider", OpenIDConnectProviderArn=arn, ClientID=client_id)
            done = "audience-removed"
    except ServiceError as error:
        return _details(page, arn, error.status, error)
    return page.redirect(provider_url(arn), done=done)


@routes.post(LIST + "/details/{arn}/delete")
def delete(page: PageContext) -> Response:
    """Delete, once the provider's name is typed (as the console's other deletions ask)."""
    arn = page.params["arn"]
    if page.request.form.get("confirm", "").strip() != provider_name(arn):
        problem = FormError(f"To confirm deletion, enter {provider_name(arn)}.")  # unconfirmed wording
        return _details(page, arn, problem.status, problem)
    try:
        call(page, "DeleteOpenIDConnectProvider", OpenIDConnectProviderArn=arn)
    except ServiceError as error:
        return _details(page, arn, error.status, error)
    return page.redirect(LIST, done="provider-deleted")

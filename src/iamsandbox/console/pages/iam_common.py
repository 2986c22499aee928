"""What the IAM pages share (no pages of its own): calling IAM as the console's principal,
reading whole lists, policy documents for display, the policy picker of "Add permissions"
and the role wizard, tag rows, and the notices shown after a redirect.

Every read and write goes through ``page.call("iam", ...)``: the API's validation and
authorization apply, and a ServiceError (AccessDenied with AWS's message) is shown on the
page that asked.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import quote, unquote

from ...errors import ServiceError
from ..app import PageContext
from ..web import Response

AWS_POLICY_PREFIX = "arn:aws:iam::aws:policy/"
PICKER_PAGE = 25
LIST_PAGE = 50
MAX_TAG_ROWS = 50  # "IAM and AWS STS quotas": tags per IAM resource

# Messages shown after a POST-redirect-GET, by the ``done`` query value (fixed texts: a
# link cannot put words of its own on a page).
NOTICES = {
    "alias-created": "Account alias created.",
    "alias-deleted": "Account alias deleted.",
    "user-created": "User created.",
    "user-deleted": "User deleted.",
    "permissions-added": "Permissions added.",
    "policy-removed": "Policy removed.",
    "group-removed": "Removed from the group.",
    "tags-saved": "Tags saved.",
    "key-updated": "Access key updated.",
    "key-deleted": "Access key deleted.",
    "key-stale": "That access key was already created. Its secret access key was shown once and cannot be "
    "retrieved again: create a new access key if you lost it.",
    "password-saved": "Console password saved.",
    "password-changed": "Your password has been updated.",
    "password-removed": "Console access disabled.",
    "mfa-assigned": "MFA device assigned.",
    "mfa-removed": "MFA device removed.",
    "group-created": "User group created.",
    "group-deleted": "User group deleted.",
    "users-added": "Users added to the group.",
    "user-removed": "User removed from the group.",
    "role-created": "Role created.",
    "role-deleted": "Role deleted.",
    "trust-saved": "Trust policy updated.",
    "role-updated": "Role updated.",  # unconfirmed wording
    "policy-created": "Policy created.",
    "policy-saved": "Policy updated: the new version is the default version.",
    "version-saved": "Policy updated: the new version is not the default version.",  # unconfirmed wording
    "policy-deleted": "Policy deleted.",
    "policy-attached": "Policy attached.",  # unconfirmed wording
    "policy-detached": "Policy detached.",  # unconfirmed wording
    "version-default": "Default version set.",
    "version-deleted": "Policy version deleted.",
    "inline-saved": "Inline policy saved.",
    "boundary-set": "Permissions boundary set.",  # unconfirmed wording
    "boundary-removed": "Permissions boundary removed.",  # unconfirmed wording
    "provider-added": "Identity provider added.",  # unconfirmed wording
    "provider-deleted": "Identity provider deleted.",  # unconfirmed wording
    "audience-added": "Audience added.",  # unconfirmed wording
    "audience-removed": "Audience removed.",  # unconfirmed wording
}


class FormError(ServiceError):
    """A form the console itself refuses before asking IAM (a required field left empty)."""

    code = "ValidationError"


class ValidatorError(ServiceError):
    """The policy validator's error, in IAM's code and message (the policy was not sent to IAM)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def render(page: PageContext, template: str, status: int = 200, **values: Any) -> Response:
    """``page.render`` with the IAM pages' helpers and the ``done`` notice."""
    notice = NOTICES.get(page.request.query.get("done", ""))
    if notice and page.request.method == "GET":
        page.notices.append(notice)
    return page.render(
        template,
        status,
        when=when,
        policy_url=policy_url,
        policy_type=policy_type,
        q=quote,
        **values,
    )


def call(page: PageContext, operation: str, **params: Any) -> dict[str, Any]:
    return page.call("iam", operation, params)


def attempt(page: PageContext, operation: str, **params: Any) -> tuple[dict[str, Any], ServiceError | None]:
    """The result, or ``({}, error)``: for a part of a page that can fail on its own."""
    try:
        return call(page, operation, **params), None
    except ServiceError as error:
        return {}, error


def list_all(page: PageContext, operation: str, member: str, **params: Any) -> list[dict[str, Any]]:
    """Every item of an IAM list operation, following its Marker."""
    items: list[dict[str, Any]] = []
    marker: str | None = None
    while True:
        out = call(page, operation, MaxItems=1000, Marker=marker, **params)
        items.extend(out.get(member, []))
        marker = out.get("Marker")
        if not out.get("IsTruncated") or not marker:
            return items


def when(value: datetime | None) -> str:
    """How the pages show a time: ``2025-01-02 03:04:05 UTC``."""
    if value is None:
        return "-"
    return value.strftime("%Y-%m-%d %H:%M:%S UTC")


def document_text(encoded: str) -> str:
    """A policy document as IAM returns it (URL-encoded) made readable: indented JSON."""
    text = unquote(encoded)
    try:
        return json.dumps(json.loads(text), indent=4)
    except ValueError:
        return text


def policy_url(arn: str) -> str:
    return "/console/iam/policies/details/" + quote(arn, safe="")


def provider_name(arn: str) -> str:
    """An OIDC provider as the console names it: its URL without the scheme (the ARN's end)."""
    return arn.partition(":oidc-provider/")[2]


def policy_type(arn: str) -> str:
    return "AWS managed" if arn.startswith(AWS_POLICY_PREFIX) else "Customer managed"


def page_number(text: str | None) -> int:
    # ASCII digits only: "²".isdigit() is true, but int("²") fails; and at most five of them
    # (Python refuses to convert more than 4,300).
    if not text or not text.isascii() or not text.isdigit() or len(text) > 5:
        return 1
    return int(text) if 0 < int(text) < 100_000 else 1


@dataclass
class Paged:
    """One page of a list filtered in the console."""

    rows: list[dict[str, Any]]
    total: int
    number: int
    pages: int


def paged(items: list[dict[str, Any]], number: int, size: int) -> Paged:
    pages = max(1, (len(items) + size - 1) // size)
    number = min(max(1, number), pages)
    return Paged(items[(number - 1) * size : number * size], len(items), number, pages)


def all_policies(page: PageContext, scope: str = "All") -> list[dict[str, Any]]:
    """AWS and customer managed policies (ListPolicies), sorted by name as the console lists them."""
    found = list_all(page, "ListPolicies", "Policies", Scope=scope)
    return sorted(found, key=lambda policy: (policy["PolicyName"].lower(), policy["Arn"]))


def filter_policies(policies: list[dict[str, Any]], query: str, kind: str) -> list[dict[str, Any]]:
    """By a name fragment (any case) and by type: ``aws``, ``customer`` or ``all``."""
    needle = query.strip().lower()
    out = []
    for policy in policies:
        aws = policy["Arn"].startswith(AWS_POLICY_PREFIX)
        if (kind == "aws" and not aws) or (kind == "customer" and aws):
            continue
        if needle and needle not in policy["PolicyName"].lower():
            continue
        out.append(policy)
    return out


@dataclass
class Picker:
    """The policy picker: search AWS and customer managed policies by name, check boxes.

    It lives in a POSTed form: the checked ARNs (``policy``, checkboxes for the rows shown
    and hidden fields for the others) travel with every search and page change.
    """

    query: str = ""
    kind: str = "all"
    selected: list[str] = field(default_factory=list)
    shown: Paged | None = None
    error: ServiceError | None = None

    @property
    def hidden(self) -> list[str]:
        """Selected ARNs not among the rows shown (kept as hidden fields)."""
        shown = {row["Arn"] for row in self.shown.rows} if self.shown else set()
        return [arn for arn in self.selected if arn not in shown]


def picker(page: PageContext, *, exclude: set[str] | None = None) -> Picker:
    """The picker's state from the request (form or query) and the page of policies to show."""
    source = page.request.form if page.request.method == "POST" else page.request.query
    kind = source.get("policy_type", "all")
    chosen = Picker(
        query=source.get("policy_search", "")[:128],
        kind=kind if kind in ("all", "aws", "customer") else "all",
        selected=list(dict.fromkeys(page.request.values("policy"))),
    )
    number = page_number(source.get("policy_page_to") or source.get("policy_page"))
    if source.get("action") == "search":
        number = 1
    try:
        policies = [p for p in all_policies(page) if p["Arn"] not in (exclude or set())]
    except ServiceError as error:
        chosen.error = error
        return chosen
    chosen.shown = paged(filter_policies(policies, chosen.query, chosen.kind), number, PICKER_PAGE)
    return chosen


def picker_moved(page: PageContext) -> bool:
    """The form was posted to search or turn the picker's page, not to go on."""
    form = page.request.form
    return form.get("action") == "search" or "policy_page_to" in form


def tag_rows(page: PageContext, *, add: bool = False) -> list[tuple[str, str]]:
    """The key/value rows of a tags form (``tag_key`` / ``tag_value``), one more with "Add new tag"."""
    keys = page.request.values("tag_key")
    values = page.request.values("tag_value")
    rows = [(key, values[i] if i < len(values) else "") for i, key in enumerate(keys)]
    rows = [row for row in rows if row[0] or row[1]]
    if add and len(rows) < MAX_TAG_ROWS:
        rows.append(("", ""))
    return rows


def tags_param(rows: list[tuple[str, str]]) -> list[dict[str, str]] | None:
    """The Tags parameter of a Create call (rows with a key), or None for none."""
    tags = [{"Key": key, "Value": value} for key, value in rows if key]
    return tags or None


def principal_summary(trust_document: str) -> list[str]:
    """What a role's list shows under "Trusted entities": ``Account: 222222222222``, ..."""
    try:
        policy = json.loads(unquote(trust_document))
    except ValueError:
        return []
    statements = policy.get("Statement", [])
    if isinstance(statements, dict):
        statements = [statements]
    found: list[str] = []
    for statement in statements if isinstance(statements, list) else []:
        principal = statement.get("Principal") if isinstance(statement, dict) else None
        if principal == "*":
            found.append("Everyone")
            continue
        if not isinstance(principal, dict):
            continue
        for kind, values in principal.items():
            for value in values if isinstance(values, list) else [values]:
                found.append(_principal_text(kind, str(value)))
    return list(dict.fromkeys(found))


def _principal_text(kind: str, value: str) -> str:
    if kind == "AWS":
        if value.isdigit():
            return f"Account: {value}"
        if value.endswith(":root") and value.startswith("arn:"):
            return f"Account: {value.split(':')[4]}"
        return f"AWS: {value}"
    if kind == "Service":
        return f"AWS Service: {value.removesuffix('.amazonaws.com')}"
    return f"{kind}: {value}"


def account_id(page: PageContext) -> str:
    """The account the console acts in: the switched role's, else the signed-in one's."""
    session = page.new_session or page.session
    return session.role.account_id if session.role is not None else session.account_id


def csv_download(filename: str, header: list[str], row: list[str]) -> Response:
    """A one-row "Download .csv file" (the console's secrets come from the form that shows
    them: the server keeps none to send)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerow(row)
    headers = [
        ("content-type", "text/csv; charset=utf-8"),
        ("content-disposition", f'attachment; filename="{filename}"'),
    ]
    return Response(200, out.getvalue().encode("utf-8"), headers)


def account_alias(page: PageContext) -> tuple[str | None, ServiceError | None]:
    """The account's alias (an account has at most one) or None, and ListAccountAliases's error."""
    aliases, error = attempt(page, "ListAccountAliases")
    return (aliases.get("AccountAliases") or [None])[0], error


def sign_in_url(page: PageContext, alias: str | None) -> str:
    """The account's console sign-in URL, as the IAM dashboard shows it (the alias if any)."""
    return f"{page.base_url()}/console/signin?account={alias or account_id(page)}"

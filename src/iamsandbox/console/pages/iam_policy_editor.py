"""The JSON policy editor's validator: ``POST /console/iam/policies/validate``.

AWS's policy editor runs IAM Access Analyzer's policy validation as you type ("Validate
policies with IAM Access Analyzer", access-analyzer-policy-validation: the pane's tabs
Security, Errors, Warnings and Suggestions, each with its count). Here the findings are
those of ``iamsandbox validate-policy`` (``cli.validate_policy``): the finding type, the
issue code and the console's message "Title: details" of "IAM policy validation check
reference", and IAM's own MalformedPolicyDocument answer where no check reports the
problem. ``policy-editor.js`` posts the editor's text here and draws the answer (the tabs
are in ``templates/iam/parts.html``, ``findings_list``); without JavaScript the pages run
the same check when the form is posted.

A policy IAM would refuse keeps the form on the editor ("If the policy syntax is not valid,
you receive a notification and must fix the problem before you can continue",
access_policies_policy-validator), with the first ERROR finding as the notification. Other
ERROR findings (an action that does not exist, a condition key of no service) are shown but
do not stop the form: IAM stores such a policy, and the grammar is what the page says must
be fixed. A policy over its size quota goes on to the API, whose own error (LimitExceeded)
the page shows.

The check is local (no account data, no store): it needs a signed-in console session and
its CSRF token, nothing else.
"""

from __future__ import annotations

import json
from typing import Any

from ...cli.policy_checks import GRAMMAR_CODES
from ...cli.validate_policy import Finding, size_finding, validate_policy
from ...errors import LimitExceeded, MalformedPolicyDocument
from ...policy import PolicyKind, parse_policy
from ..app import PageContext
from ..web import Response, Routes
from .iam_common import ValidatorError

routes = Routes()

KINDS = {"identity": PolicyKind.IDENTITY, "trust": PolicyKind.TRUST}
MAX_DOCUMENT = 64 * 1024  # far past every quota: IAM answers LimitExceeded long before


def findings_for(document: str, kind: str) -> list[Finding]:
    policy_kind = KINDS.get(kind, PolicyKind.IDENTITY)
    # A posted form sends a textarea's line breaks as CRLF (HTML's form submission), the
    # editor's script as typed: the same findings either way, at the same index. (A line
    # break is white space between JSON tokens, and not counted in an IAM policy's size.)
    document = document.replace("\r\n", "\n")
    if len(document) > MAX_DOCUMENT:  # not read: its size alone is the finding
        oversize = size_finding(document, policy_kind)
        return [oversize] if oversize is not None else []
    return validate_policy(document, policy_kind)


def first_error(findings: list[Finding], document: str, kind: str) -> ValidatorError | None:
    """When IAM would refuse ``document`` (its grammar), the first ERROR finding, as the
    page's notification: its issue code and message; else None."""
    try:
        parse_policy(document.replace("\r\n", "\n")[:MAX_DOCUMENT], KINDS.get(kind, PolicyKind.IDENTITY))
    except MalformedPolicyDocument as refused:
        for finding in findings:  # a finding of IAM's grammar, not one IAM accepts (INVALID_ACTION)
            if finding.finding_type == "ERROR" and (finding.issue_code in GRAMMAR_CODES or finding.source == "iam"):
                return ValidatorError(finding.issue_code, finding.message)
        return ValidatorError(refused.code, refused.message)
    except LimitExceeded:
        return None  # the API's own answer, shown when the page saves
    return None


@routes.post("/console/iam/policies/validate")
def validate(page: PageContext) -> Response:
    form = page.request.form
    findings = findings_for(form.get("document", ""), form.get("kind", "identity"))
    body: dict[str, Any] = {"findings": [finding.to_json() for finding in findings]}
    return Response(200, json.dumps(body).encode(), [("content-type", "application/json")])

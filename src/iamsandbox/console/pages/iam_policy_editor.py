"""The JSON policy editor's validator: ``POST /console/iam/policies/validate``.

AWS's policy editor checks the policy as you type ("Validate policies with IAM Access
Analyzer": errors, security warnings, warnings, suggestions). Here the findings are those
of ``iamsandbox validate-policy`` (``cli.validate_policy``): errors are what IAM answers
when the policy is saved (MalformedPolicyDocument with AWS's message, LimitExceeded), the
rest are warnings. ``policy-editor.js`` posts the editor's text here and shows the answer;
without JavaScript the pages run the same check when the form is posted.

The check is local (no account data, no store): it needs a signed-in console session and
its CSRF token, nothing else.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from ...cli.validate_policy import Finding, validate_policy
from ...policy import PolicyKind
from ..app import PageContext
from ..web import Response, Routes
from .iam_common import ValidatorError

routes = Routes()

KINDS = {"identity": PolicyKind.IDENTITY, "trust": PolicyKind.TRUST}
MAX_DOCUMENT = 64 * 1024  # far past every quota: IAM answers LimitExceeded long before


def findings_for(document: str, kind: str) -> list[Finding]:
    return validate_policy(document[:MAX_DOCUMENT], KINDS.get(kind, PolicyKind.IDENTITY))


def first_error(findings: list[Finding]) -> ValidatorError | None:
    """The first error, as IAM would answer the policy (its code and message)."""
    for finding in findings:
        if finding.severity == "ERROR":
            return ValidatorError(finding.code, finding.message)
    return None


@routes.post("/console/iam/policies/validate")
def validate(page: PageContext) -> Response:
    form = page.request.form
    findings = findings_for(form.get("document", ""), form.get("kind", "identity"))
    body: dict[str, Any] = {"findings": [asdict(finding) for finding in findings]}
    return Response(200, json.dumps(body).encode(), [("content-type", "application/json")])

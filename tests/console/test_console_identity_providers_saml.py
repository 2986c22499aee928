"""The console's IAM Identity providers list with SAML providers, without a browser.

AWS: the IAM console's "Identity providers" page lists an account's providers of both types
with their name, type and creation time ("Create a SAML identity provider in IAM", IAM User
Guide: the provider appears under Identity providers once created). Here SAML providers are
made through the API (CreateSAMLProvider) and listed read-only; ListSAMLProviders is
authorized as the signed-in user like every console call.
"""

from __future__ import annotations

import json
import re

from console_iam_page_harness import iam, signed_in_admin
from console_page_harness import B, app, text

from iamsandbox.server.app import App
from saml_metadata import idp_metadata

__all__ = ["app"]


def _cells(html: str) -> list[list[str]]:
    rows = re.findall(r"<tr>(.*?)</tr>", html, re.S)
    return [[re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row, re.S)] for row in rows]


def test_saml_providers_are_listed_beside_oidc_providers(app: App) -> None:
    iam(app, B, "CreateOpenIDConnectProvider", Url="https://token.example.com", ClientIDList=["sts.amazonaws.com"])
    iam(app, B, "CreateSAMLProvider", Name="ExampleCorpIdP", SAMLMetadataDocument=idp_metadata())
    browser = signed_in_admin(app, B)
    answer = browser.get("/console/iam/identity-providers")
    html = text(answer)
    assert answer.status == 200, html
    listed = {cells[0]: cells[1] for cells in _cells(html) if cells}
    assert listed == {"token.example.com": "OpenID Connect", "ExampleCorpIdP": "SAML"}
    # The OIDC provider opens its page; the SAML provider has none here.
    assert 'href="/console/iam/identity-providers/details/' in html
    assert "ExampleCorpIdP</a>" not in html


def test_a_user_who_may_not_list_saml_providers_sees_the_refusal(app: App) -> None:
    only_oidc = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": ["iam:ListOpenIDConnectProviders"], "Resource": "*"}],
    }
    policy = iam(app, B, "CreatePolicy", PolicyName="only-oidc", PolicyDocument=json.dumps(only_oidc))
    browser = signed_in_admin(app, B, "viewer", policy=policy["Policy"]["Arn"])
    answer = browser.get("/console/iam/identity-providers")
    html = text(answer)
    assert answer.status == 403
    assert "is not authorized to perform: iam:ListSAMLProviders on resource: " in html

"""The Create role wizard's "Web identity" trusted entity, in headless Chromium, then the role
assumed with AssumeRoleWithWebIdentity and a token of the local OpenID Connect issuer.

AWS: "Create a role for OpenID Connect federation (console)" (IAM User Guide,
id_roles_create_for-idp_oidc): Roles, Create role, "Web identity", the "Identity provider"
(an OIDC provider created in IAM, or Login with Amazon, Facebook, Google, Amazon Cognito) and
its audience; the trust policy allows sts:AssumeRoleWithWebIdentity to
{"Federated": <the provider's ARN>} with a StringEquals condition on "<provider URL>:aud"
("For OIDC providers, use the fully qualified URL of the OIDC IdP with the aud context key":
"server.example.com:aud"), on "graph.facebook.com:app_id" for Facebook.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError
from browser_harness import browser, page, screenshot
from console_iam_harness import make_admin, open_iam, sign_in_admin
from e2e_harness import A, Server, server

from oidc_issuer import Issuer, serving

__all__ = ["browser", "page", "server"]


@pytest.fixture
def issuer() -> Iterator[Issuer]:
    with serving() as running:
        yield running


def _create_web_identity_role(page: Any, name: str, provider: str, audience: str) -> None:
    open_iam(page, "Roles")
    page.get_by_role("link", name="Create role").click()
    page.get_by_label("Web identity", exact=True).check()
    page.get_by_label("Identity provider").select_option(label=provider)
    page.get_by_label("Audience").fill(audience)
    page.get_by_role("button", name="Next").click()
    page.get_by_label("Search policies").fill("AmazonS3ReadOnly")
    page.get_by_role("button", name="Search").click()
    page.get_by_label("AmazonS3ReadOnlyAccess", exact=True).check()
    page.get_by_role("button", name="Next").click()
    page.get_by_label("Role name").fill(name)


def test_a_role_for_an_oidc_provider_made_in_the_console_is_assumed_with_its_token(
    server: Server, page: Any, issuer: Issuer
) -> None:
    iam = make_admin(server, A)
    host = issuer.url.removeprefix("http://")
    # Two audiences registered with the provider; the role trusts one of them.
    provider_arn = iam.create_open_id_connect_provider(
        Url=issuer.url, ClientIDList=["sts.amazonaws.com", "another-app"]
    )["OpenIDConnectProviderArn"]
    sign_in_admin(page, server, A)

    # Nothing chosen: the wizard says what is missing and stays on step 1.
    open_iam(page, "Roles")
    page.get_by_role("link", name="Create role").click()
    page.get_by_label("Web identity", exact=True).check()
    page.get_by_role("button", name="Next").click()
    assert page.get_by_role("alert").inner_text().endswith("Choose an identity provider.")

    _create_web_identity_role(page, "ci-deploy", host, "sts.amazonaws.com")
    expected = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Federated": provider_arn},
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": {"StringEquals": {f"{host}:aud": "sts.amazonaws.com"}},
            }
        ],
    }
    assert json.loads(page.get_by_label("Trust policy").inner_text()) == expected
    screenshot(page, "role-wizard-web-identity")
    page.get_by_role("button", name="Create role").click()
    assert iam.get_role(RoleName="ci-deploy")["Role"]["AssumeRolePolicyDocument"] == expected

    sts = boto3.session.Session(region_name="us-east-1").client(
        "sts", endpoint_url=server.url, config=Config(signature_version=UNSIGNED)
    )
    role_arn = f"arn:aws:iam::{A}:role/ci-deploy"
    out = sts.assume_role_with_web_identity(RoleArn=role_arn, RoleSessionName="ci", WebIdentityToken=issuer.token())
    assert out["AssumedRoleUser"]["Arn"] == f"arn:aws:sts::{A}:assumed-role/ci-deploy/ci"
    with pytest.raises(ClientError) as other_app:  # the provider's other audience: the role's condition fails
        sts.assume_role_with_web_identity(
            RoleArn=role_arn, RoleSessionName="ci", WebIdentityToken=issuer.token(aud="another-app")
        )
    assert other_app.value.response["Error"]["Code"] == "AccessDenied"


def test_a_well_known_provider_is_tested_with_its_own_context_key(server: Server, page: Any) -> None:
    iam = make_admin(server, A)
    sign_in_admin(page, server, A)
    _create_web_identity_role(page, "facebook-app", "Facebook", "111222333444555")
    page.get_by_role("button", name="Create role").click()
    (statement,) = iam.get_role(RoleName="facebook-app")["Role"]["AssumeRolePolicyDocument"]["Statement"]
    assert statement["Principal"] == {"Federated": "graph.facebook.com"}
    assert statement["Condition"] == {"StringEquals": {"graph.facebook.com:app_id": "111222333444555"}}


def test_add_an_oidc_provider_its_audiences_and_a_role_for_it_then_delete_it(
    server: Server, page: Any, issuer: Issuer
) -> None:
    """ "Creating and managing an OIDC provider (console)": Identity providers, Add provider
    (Provider URL, Audience), the provider's audiences (Add / Remove audience), "Assign role"
    (the Create role wizard with the provider chosen), and Delete."""
    iam = make_admin(server, A)
    host = issuer.url.removeprefix("http://")
    sign_in_admin(page, server, A)
    open_iam(page, "Identity providers")
    page.get_by_role("link", name="Add provider").click()
    page.get_by_role("button", name="Add provider").click()  # nothing typed: refused, nothing made
    assert "Enter the provider URL" in page.get_by_role("alert").inner_text()
    page.get_by_label("Provider URL").fill(issuer.url)
    page.get_by_label("Audience").fill("sts.amazonaws.com")
    page.get_by_role("button", name="Add provider").click()
    assert page.get_by_role("heading", name=host).is_visible()
    arn = f"arn:aws:iam::{A}:oidc-provider/{host}"
    assert iam.get_open_id_connect_provider(OpenIDConnectProviderArn=arn)["ClientIDList"] == ["sts.amazonaws.com"]

    page.get_by_label("New audience").fill("another-app")
    page.get_by_role("button", name="Add audience").click()
    assert page.get_by_role("status").inner_text() == "Audience added."
    page.get_by_label("Select another-app").check()
    page.get_by_role("button", name="Remove audience").click()
    assert iam.get_open_id_connect_provider(OpenIDConnectProviderArn=arn)["ClientIDList"] == ["sts.amazonaws.com"]

    page.get_by_role("link", name="Assign role").click()
    assert page.get_by_label("Web identity", exact=True).is_checked()
    assert page.get_by_label("Identity provider").input_value() == arn
    page.get_by_label("Audience").fill("sts.amazonaws.com")
    page.get_by_role("button", name="Next").click()
    page.get_by_role("button", name="Next").click()
    page.get_by_label("Role name").fill("from-provider")
    page.get_by_role("button", name="Create role").click()
    (statement,) = iam.get_role(RoleName="from-provider")["Role"]["AssumeRolePolicyDocument"]["Statement"]
    assert statement["Principal"] == {"Federated": arn}

    open_iam(page, "Identity providers")
    page.get_by_role("link", name=host).click()
    page.get_by_role("link", name="Delete").click()
    page.get_by_label(f"To confirm deletion, enter {host}.").fill(host)
    page.get_by_role("button", name="Delete").click()
    assert page.get_by_role("status").inner_text() == "Identity provider deleted."
    assert iam.list_open_id_connect_providers()["OpenIDConnectProviderList"] == []

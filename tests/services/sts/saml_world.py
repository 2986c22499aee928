"""What the AssumeRoleWithSAML tests share: an app with accounts A and B, A's IAM SAML
provider (whose metadata carries the test IdP's signing certificate), roles that trust it,
and the unsigned STS client that presents the responses."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError
from inprocess_harness import client, root_keys

from iamsandbox.server.app import App
from saml_assertion import encoded
from saml_metadata import idp_metadata

A = "111111111111"
B = "222222222222"
ISSUER = "https://idp.example.com/saml"
ROLE = "federated"


class SamlWorld:
    def __init__(self, app: App) -> None:
        self.app = app
        self.iam = client(app, "iam", root_keys(app, A))
        self.sts = client(app, "sts")  # unsigned, as AssumeRoleWithSAML is
        self.provider = self.provider_in(self.iam, "ExampleIdP")

    @staticmethod
    def provider_in(iam: Any, name: str) -> str:
        arn: str = iam.create_saml_provider(Name=name, SAMLMetadataDocument=idp_metadata(ISSUER))["SAMLProviderArn"]
        return arn

    def role(
        self,
        condition: dict[str, Any] | None = None,
        actions: list[str] | None = None,
        *,
        name: str = ROLE,
        iam: Any = None,
        provider: str | None = None,
        **extra: Any,
    ) -> str:
        """A role whose trust policy allows the provider (``actions``, ``condition``)."""
        statement: dict[str, Any] = {
            "Effect": "Allow",
            "Principal": {"Federated": provider or self.provider},
            "Action": actions or ["sts:AssumeRoleWithSAML"],
        }
        if condition:
            statement["Condition"] = condition
        trust = json.dumps({"Version": "2012-10-17", "Statement": [statement]})
        arn: str = (iam or self.iam).create_role(RoleName=name, AssumeRolePolicyDocument=trust, **extra)["Role"]["Arn"]
        return arn

    def assume(self, role_arn: str, assertion: str, provider: str | None = None, **params: Any) -> dict[str, Any]:
        out: dict[str, Any] = self.sts.assume_role_with_saml(
            RoleArn=role_arn, PrincipalArn=provider or self.provider, SAMLAssertion=assertion, **params
        )
        return out

    def refused(self, role_arn: str, assertion: str | bytes, **params: Any) -> tuple[str, str, int]:
        """The error (code, message, HTTP status) of a call that must not give a session."""
        text = assertion if isinstance(assertion, str) else encoded(assertion)
        with pytest.raises(ClientError) as raised:
            self.assume(role_arn, text, **params)
        error = raised.value.response["Error"]
        return error["Code"], error.get("Message", ""), raised.value.response["ResponseMetadata"]["HTTPStatusCode"]

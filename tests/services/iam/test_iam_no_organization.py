"""Centralized root access needs an organization's management account with trusted access
for IAM; trusted access does not exist here.

AWS pages: "Centrally manage root access for member accounts" (IAM User Guide: the
management account of an organization enables it); botocore's iam model lists
OrganizationNotFoundException for ListOrganizationsFeatures and the Enable/Disable
operations, "The request was rejected because no organization is associated with your
account"; a member account is AccountNotManagementOrDelegatedAdministratorException and a
management account without trusted access ServiceAccessNotEnabledException (the model's
descriptions of both). The action is authorized first, as for any IAM operation.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from botocore.exceptions import ClientError
from inprocess_harness import client, open_app, root_keys, user_keys

A, B = "111111111111", "222222222222"
OPERATIONS = [
    "list_organizations_features",
    "enable_organizations_root_credentials_management",
    "disable_organizations_root_credentials_management",
    "enable_organizations_root_sessions",
    "disable_organizations_root_sessions",
]


@pytest.mark.parametrize("operation", OPERATIONS)
def test_an_account_without_an_organization(tmp_path: Path, operation: str) -> None:
    app = open_app(tmp_path, A)
    with pytest.raises(ClientError) as raised:
        getattr(client(app, "iam", root_keys(app, A)), operation)()
    error = raised.value.response
    assert error["Error"]["Code"] == "OrganizationNotFoundException"
    assert (
        error["Error"]["Message"] == "The request was rejected because no organization is associated with your account."
    )
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_a_user_without_the_action_is_denied_first(tmp_path: Path) -> None:
    app = open_app(tmp_path, A)
    with pytest.raises(ClientError) as raised:
        client(app, "iam", user_keys(app, A, "nobody")).list_organizations_features()
    assert raised.value.response["Error"]["Code"] == "AccessDenied"
    assert "iam:ListOrganizationsFeatures" in raised.value.response["Error"]["Message"]


def test_accounts_of_an_organization_hear_why_not(tmp_path: Path) -> None:
    app = open_app(tmp_path, A, B)
    orgs = client(app, "organizations", root_keys(app, A))
    orgs.create_organization(FeatureSet="ALL")
    handshake = orgs.invite_account_to_organization(Target={"Type": "ACCOUNT", "Id": B})["Handshake"]
    client(app, "organizations", root_keys(app, B)).accept_handshake(HandshakeId=handshake["Id"])
    expected = {A: "ServiceAccessNotEnabledException", B: "AccountNotManagementOrDelegatedAdministratorException"}
    for account, code in expected.items():
        with pytest.raises(ClientError) as raised:
            client(app, "iam", root_keys(app, account)).list_organizations_features()
        assert raised.value.response["Error"]["Code"] == code

"""AWS Organizations with boto3 and the AWS CLI against a real server.

AWS pages: the AWS Organizations API Reference (CreateOrganization, ListRoots,
CreateOrganizationalUnit, InviteAccountToOrganization, AcceptHandshake, MoveAccount,
EnablePolicyType, CreatePolicy, AttachPolicy, DescribeOrganization, errors
AWSOrganizationsNotInUseException and AccessDeniedException), the AWS CLI Command Reference
(``aws organizations describe-organization``, ``list-roots``), and "SCP evaluation"
(Organizations User Guide: an SCP's Deny applies to every principal of the member account,
its root user included; SCPs do not affect the management account).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from e2e_harness import A, B, Server, _client, aws_cli

DENY_S3 = {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*"}]}


def _code(error: pytest.ExceptionInfo[ClientError]) -> str:
    return str(error.value.response["Error"]["Code"])


def test_boto3_builds_an_organization_and_an_scp_applies(server: Server) -> None:
    root_a, root_b = server.create_account(A), server.create_account(B)
    orgs_a, orgs_b = _client(server, "organizations", root_a), _client(server, "organizations", root_b)

    with pytest.raises(ClientError) as raised:
        orgs_b.describe_organization()
    assert _code(raised) == "AWSOrganizationsNotInUseException"

    org = orgs_a.create_organization(FeatureSet="ALL")["Organization"]
    assert org["MasterAccountId"] == A
    # Every account has an email (`account create --email`, else ID@iamsandbox.invalid), as
    # the Command Reference's create-organization answers "MasterAccountEmail".
    assert org["MasterAccountEmail"] == f"{A}@iamsandbox.invalid"
    assert org["Arn"] == f"arn:aws:organizations::{A}:organization/{org['Id']}"
    root = orgs_a.list_roots()["Roots"][0]
    assert root["PolicyTypes"] == []

    unit = orgs_a.create_organizational_unit(ParentId=root["Id"], Name="Sandbox")["OrganizationalUnit"]
    # invite-account-to-organization's example invites by email (Target Type EMAIL).
    shake = orgs_a.invite_account_to_organization(Target={"Type": "EMAIL", "Id": f"{B}@iamsandbox.invalid"})[
        "Handshake"
    ]
    assert shake["State"] == "OPEN"
    assert {"Id": f"{B}@iamsandbox.invalid", "Type": "EMAIL"} in shake["Parties"]  # as the example's
    organization_resource = next(r for r in shake["Resources"] if r["Type"] == "ORGANIZATION")
    assert {"Type": "MASTER_EMAIL", "Value": f"{A}@iamsandbox.invalid"} in organization_resource["Resources"]
    assert orgs_b.accept_handshake(HandshakeId=shake["Id"])["Handshake"]["State"] == "ACCEPTED"
    orgs_a.move_account(AccountId=B, SourceParentId=root["Id"], DestinationParentId=unit["Id"])
    assert orgs_b.describe_organization()["Organization"]["Id"] == org["Id"]
    with pytest.raises(ClientError) as raised:
        orgs_b.list_accounts()
    assert _code(raised) == "AccessDeniedException"

    accounts = orgs_a.get_paginator("list_accounts").paginate(PaginationConfig={"PageSize": 1})
    assert sorted(a["Id"] for page in accounts for a in page["Accounts"]) == [A, B]

    s3_b = _client(server, "s3", root_b)
    s3_b.list_buckets()  # no SCP yet
    enabled = orgs_a.enable_policy_type(RootId=root["Id"], PolicyType="SERVICE_CONTROL_POLICY")["Root"]
    assert enabled["PolicyTypes"] == [{"Type": "SERVICE_CONTROL_POLICY", "Status": "ENABLED"}]
    policy = orgs_a.create_policy(
        Content=json.dumps(DENY_S3), Description="no S3", Name="deny-s3", Type="SERVICE_CONTROL_POLICY"
    )["Policy"]["PolicySummary"]
    orgs_a.attach_policy(PolicyId=policy["Id"], TargetId=unit["Id"])
    with pytest.raises(ClientError) as raised:
        s3_b.list_buckets()
    assert _code(raised) == "AccessDenied"
    _client(server, "s3", root_a).list_buckets()  # the management account: no SCP applies

    with pytest.raises(ClientError) as raised:
        orgs_a.create_policy(Content='{"Statement":', Description="", Name="bad", Type="SERVICE_CONTROL_POLICY")
    assert _code(raised) == "MalformedPolicyDocumentException"


def test_aws_cli_describe_organization_and_list_roots(server: Server, tmp_path: Path) -> None:
    root_a = server.create_account(A)

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return aws_cli(server, tmp_path, root_a, "organizations", *args)

    missing = cli("describe-organization")
    assert missing.returncode != 0
    assert "AWSOrganizationsNotInUseException" in missing.stderr
    created: dict[str, Any] = json.loads(cli("create-organization").stdout)
    described: dict[str, Any] = json.loads(cli("describe-organization").stdout)
    assert described["Organization"]["Id"] == created["Organization"]["Id"]
    assert described["Organization"]["MasterAccountId"] == A
    roots: dict[str, Any] = json.loads(cli("list-roots").stdout)
    assert [r["Name"] for r in roots["Roots"]] == ["Root"]

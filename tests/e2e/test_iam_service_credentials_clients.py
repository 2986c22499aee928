"""Service-specific credentials (CodeCommit's Git credentials, Amazon Keyspaces'
credentials) with the AWS CLI and boto3 against a real server.

AWS pages: the AWS CLI's examples create-service-specific-credential (``aws iam
create-service-specific-credential --user-name sofia --service-name
codecommit.amazonaws.com``: ServiceUserName "sofia-at-123456789012", a ServicePassword, an
ACCA id, Status Active), list-service-specific-credentials (``--user-name developer
--service-name codecommit.amazonaws.com``), update-service-specific-credential (``--status
Inactive``, no output), reset-service-specific-credential (a new ServicePassword) and
delete-service-specific-credential (no output); the IAM User Guide's "Use IAM with Amazon
Keyspaces (for Apache Cassandra)" (``aws iam create-service-specific-credential`` for
cassandra.amazonaws.com; "This is the only time that the password can be viewed or
downloaded"); DeleteUser in the IAM API reference (remove the "Git credentials" first).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from e2e_harness import A, Server, _client, aws_cli


def test_aws_cli_lifecycle_then_boto3(server: Server, tmp_path: Path) -> None:
    root = server.create_account(A)
    iam = _client(server, "iam", root)
    iam.create_user(UserName="sofia")

    def cli(*args: str) -> dict[str, Any]:
        done = aws_cli(server, tmp_path, root, "iam", *args)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout) if done.stdout.strip() else {}

    created = cli(
        "create-service-specific-credential", "--user-name", "sofia", "--service-name", "codecommit.amazonaws.com"
    )["ServiceSpecificCredential"]
    credential_id = created["ServiceSpecificCredentialId"]
    assert re.fullmatch(r"ACCA[A-Z2-7]{17}", credential_id)
    assert created["ServiceUserName"] == f"sofia-at-{A}" and created["Status"] == "Active"
    assert created["UserName"] == "sofia" and created["ServiceName"] == "codecommit.amazonaws.com"
    password = created["ServicePassword"]
    assert len(password) == 60 and password.endswith("=")

    listed = cli(
        "list-service-specific-credentials", "--user-name", "sofia", "--service-name", "codecommit.amazonaws.com"
    )
    [item] = listed["ServiceSpecificCredentials"]
    assert item["ServiceSpecificCredentialId"] == credential_id and "ServicePassword" not in item

    assert cli(
        "update-service-specific-credential", "--user-name", "sofia",
        "--service-specific-credential-id", credential_id, "--status", "Inactive",
    ) == {}  # fmt: skip
    reset = cli(
        "reset-service-specific-credential", "--user-name", "sofia", "--service-specific-credential-id", credential_id
    )["ServiceSpecificCredential"]
    assert reset["Status"] == "Inactive" and reset["ServicePassword"] != password

    # Keyspaces, with boto3: a second credential is sofia+1.
    keyspaces = iam.create_service_specific_credential(UserName="sofia", ServiceName="cassandra.amazonaws.com")
    assert keyspaces["ServiceSpecificCredential"]["ServiceUserName"] == f"sofia+1-at-{A}"
    everyone = iam.list_service_specific_credentials(UserName="sofia")["ServiceSpecificCredentials"]
    assert [(c["ServiceName"], c["Status"]) for c in everyone] == [
        ("codecommit.amazonaws.com", "Inactive"),
        ("cassandra.amazonaws.com", "Active"),
    ]

    with pytest.raises(ClientError) as conflict:
        iam.delete_user(UserName="sofia")
    assert conflict.value.response["Error"]["Code"] == "DeleteConflict"

    unknown = aws_cli(
        server, tmp_path, root, "iam", "create-service-specific-credential", "--user-name", "sofia",
        "--service-name", "lambda.amazonaws.com",
    )  # fmt: skip
    assert unknown.returncode != 0 and "(NoSuchEntity)" in unknown.stderr

    assert (
        cli(
            "delete-service-specific-credential",
            "--user-name",
            "sofia",
            "--service-specific-credential-id",
            credential_id,
        )
        == {}
    )
    iam.delete_service_specific_credential(
        UserName="sofia",
        ServiceSpecificCredentialId=keyspaces["ServiceSpecificCredential"]["ServiceSpecificCredentialId"],
    )
    iam.delete_user(UserName="sofia")

    log = server.log.read_text()
    for secret in (password, reset["ServicePassword"], keyspaces["ServiceSpecificCredential"]["ServicePassword"]):
        assert secret not in log  # never logged


def test_a_user_manages_its_own_without_user_name(server: Server, tmp_path: Path) -> None:
    """The AWS CLI's reset- and delete- examples "for the user making the request": no
    --user-name."""
    root = server.create_account(A)
    iam = _client(server, "iam", root)
    iam.create_user(UserName="dev")
    iam.attach_user_policy(UserName="dev", PolicyArn="arn:aws:iam::aws:policy/IAMFullAccess")
    keys = iam.create_access_key(UserName="dev")["AccessKey"]
    dev = {"AccessKeyId": keys["AccessKeyId"], "SecretAccessKey": keys["SecretAccessKey"]}
    iam.create_service_specific_credential(UserName="dev", ServiceName="codecommit.amazonaws.com")
    done = aws_cli(server, tmp_path, dev, "iam", "list-service-specific-credentials")
    assert done.returncode == 0, done.stderr
    [item] = json.loads(done.stdout)["ServiceSpecificCredentials"]
    assert item["UserName"] == "dev"
    credential_id = item["ServiceSpecificCredentialId"]
    done = aws_cli(
        server,
        tmp_path,
        dev,
        "iam",
        "reset-service-specific-credential",
        "--service-specific-credential-id",
        credential_id,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["ServiceSpecificCredential"]["UserName"] == "dev"
    done = aws_cli(
        server,
        tmp_path,
        dev,
        "iam",
        "delete-service-specific-credential",
        "--service-specific-credential-id",
        credential_id,
    )
    assert done.returncode == 0, done.stderr
    assert _client(server, "iam", dev).list_service_specific_credentials()["ServiceSpecificCredentials"] == []

"""A chained AssumeRole carries the first session's source identity as sts:SourceIdentity.

AWS page: "Monitor and control actions taken with assumed roles" (IAM User Guide), "Role
chaining and cross-account requirements": "The source identity was set during the assumption
of CriticalRole, so it does not need to be explicitly set again ... When the calling principal
assumes the role, the source identity in the request persists from the first assumed role
session. Therefore, both the aws:SourceIdentity and sts:SourceIdentity keys are present in the
request context." A trust policy requiring sts:SourceIdentity refused the chained session.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from inprocess_harness import client, open_app, root_keys, user_keys

A = "111111111111"
ROOT = f"arn:aws:iam::{A}:root"
ALLOW_ALL = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})


def _trust(condition: dict[str, Any] | None = None) -> str:
    statement: dict[str, Any] = {
        "Effect": "Allow",
        "Principal": {"AWS": ROOT},
        "Action": ["sts:AssumeRole", "sts:SetSourceIdentity"],
    }
    if condition:
        statement["Condition"] = condition
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


@pytest.mark.parametrize(
    "condition",
    [
        {"StringEquals": {"sts:SourceIdentity": "alice"}},
        {"Null": {"sts:SourceIdentity": "false"}},
        {"StringEquals": {"aws:SourceIdentity": "alice"}},  # the page's CriticalRole_2
    ],
)
def test_the_chained_request_carries_the_source_identity(tmp_path: Path, condition: dict[str, Any]) -> None:
    app = open_app(tmp_path, A)
    iam = client(app, "iam", root_keys(app, A))
    for name, trust in (("first", _trust()), ("second", _trust(condition))):
        iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust)
        iam.put_role_policy(RoleName=name, PolicyName="all", PolicyDocument=ALLOW_ALL)
    keys = user_keys(app, A, "alice")
    iam.put_user_policy(UserName="alice", PolicyName="all", PolicyDocument=ALLOW_ALL)
    first = client(app, "sts", keys).assume_role(
        RoleArn=f"arn:aws:iam::{A}:role/first", RoleSessionName="ss", SourceIdentity="alice"
    )["Credentials"]
    session = {"aws_access_key_id": first["AccessKeyId"], "aws_secret_access_key": first["SecretAccessKey"]}
    chained = client(app, "sts", session, token=first["SessionToken"])
    out = chained.assume_role(RoleArn=f"arn:aws:iam::{A}:role/second", RoleSessionName="ss")  # not named again
    assert out["SourceIdentity"] == "alice"


def test_a_chain_without_a_source_identity_is_still_refused_by_such_a_trust(tmp_path: Path) -> None:
    app = open_app(tmp_path, A)
    iam = client(app, "iam", root_keys(app, A))
    iam.create_role(RoleName="first", AssumeRolePolicyDocument=_trust())
    iam.put_role_policy(RoleName="first", PolicyName="all", PolicyDocument=ALLOW_ALL)
    iam.create_role(RoleName="second", AssumeRolePolicyDocument=_trust({"Null": {"sts:SourceIdentity": "false"}}))
    keys = user_keys(app, A, "alice")
    iam.put_user_policy(UserName="alice", PolicyName="all", PolicyDocument=ALLOW_ALL)
    first = client(app, "sts", keys).assume_role(RoleArn=f"arn:aws:iam::{A}:role/first", RoleSessionName="ss")
    creds = first["Credentials"]
    session = {"aws_access_key_id": creds["AccessKeyId"], "aws_secret_access_key": creds["SecretAccessKey"]}
    with pytest.raises(ClientError) as denied:
        client(app, "sts", session, token=creds["SessionToken"]).assume_role(
            RoleArn=f"arn:aws:iam::{A}:role/second", RoleSessionName="ss"
        )
    assert denied.value.response["Error"]["Code"] == "AccessDenied"

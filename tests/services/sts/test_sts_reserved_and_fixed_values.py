"""What AssumeRole refuses about session tags and source identity, through the whole path.

AWS pages: AssumeRole (STS API Reference), SourceIdentity: "You cannot use a value that
begins with the text aws:. This prefix is reserved for AWS internal use"; "Monitor and
control actions taken with assumed roles" (IAM User Guide): "The value that is set
persists when a role is used to assume another role ... The value that is set cannot be
changed during the role session"; "Passing session tags in AWS STS" with "Tagging IAM
resources": the aws: prefix of tag keys is reserved. The error wordings are unconfirmed;
the codes and statuses are the tests' subject.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from inprocess_harness import client, open_app, root_keys, user_keys

A = "111111111111"


def _trust(*actions: str) -> str:
    statement = {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{A}:root"}, "Action": list(actions)}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def _error(call: Any, **params: Any) -> tuple[str, int]:
    with pytest.raises(ClientError) as caught:
        call(**params)
    return caught.value.response["Error"]["Code"], caught.value.response["ResponseMetadata"]["HTTPStatusCode"]


def _sts_of(app: Any, credentials: dict[str, Any]) -> Any:
    keys = {"aws_access_key_id": credentials["AccessKeyId"], "aws_secret_access_key": credentials["SecretAccessKey"]}
    return client(app, "sts", keys, credentials["SessionToken"])


def test_reserved_prefixes_and_a_fixed_source_identity(tmp_path: Path) -> None:
    app = open_app(tmp_path, A)
    iam = client(app, "iam", root_keys(app, A))
    everything = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    for name in ("first", "second"):
        iam.create_role(
            RoleName=name, AssumeRolePolicyDocument=_trust("sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession")
        )
        iam.put_role_policy(RoleName=name, PolicyName="all", PolicyDocument=json.dumps(everything))
    keys = user_keys(app, A, "alice")
    iam.put_user_policy(UserName="alice", PolicyName="all", PolicyDocument=json.dumps(everything))
    sts = client(app, "sts", keys)
    first = f"arn:aws:iam::{A}:role/first"
    second = f"arn:aws:iam::{A}:role/second"

    assert _error(sts.assume_role, RoleArn=first, RoleSessionName="s0", SourceIdentity="aws:alice") == (
        "ValidationError",
        400,
    )
    for key in ("aws:team", "AWS:team"):
        assert _error(sts.assume_role, RoleArn=first, RoleSessionName="s1", Tags=[{"Key": key, "Value": "x"}]) == (
            "InvalidParameterValue",
            400,
        )

    session = sts.assume_role(RoleArn=first, RoleSessionName="s1", SourceIdentity="alice")["Credentials"]
    chained = _sts_of(app, session)
    # AWS's answer in a recorded run (mahitotsu/gekko_08, multi-hop-propagation/RESULTS.md):
    # "ValidationError: The source identity is already set for this assume role session".
    assert _error(chained.assume_role, RoleArn=second, RoleSessionName="s2", SourceIdentity="mallory") == (
        "ValidationError",
        400,
    )
    same = chained.assume_role(RoleArn=second, RoleSessionName="s2", SourceIdentity="alice")
    assert same["SourceIdentity"] == "alice"
    inherited = chained.assume_role(RoleArn=second, RoleSessionName="s3")
    assert inherited["SourceIdentity"] == "alice"

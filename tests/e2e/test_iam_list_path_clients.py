"""Listing IAM users and roles under a path is authorized on the path's ARN, with boto3
against a real server.

AWS pages: "IAM: Access the policy simulator console based on user path" (IAM User Guide)
allows iam:ListUsers on "arn:aws:iam::*:user/Department/Development/*", and the real answers
of IAM to a ListRoles with a PathPrefix name the ARN with that prefix ("... on resource:
arn:aws:iam::123456789012:role/aws-service-role/opensearchservice.amazonaws.com/").
"""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError
from e2e_harness import A, Server, _client


def test_a_path_scoped_list_grant(server: Server) -> None:
    root = server.create_account(A)
    iam = _client(server, "iam", root)
    iam.create_user(UserName="dev1", Path="/Department/Development/")
    iam.create_user(UserName="ops1", Path="/Department/Operations/")
    iam.create_user(UserName="viewer")
    grant = {"Effect": "Allow", "Action": "iam:ListUsers", "Resource": "arn:aws:iam::*:user/Department/Development/*"}
    iam.put_user_policy(
        UserName="viewer", PolicyName="p", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [grant]})
    )
    viewer = _client(server, "iam", iam.create_access_key(UserName="viewer")["AccessKey"])
    listed = viewer.list_users(PathPrefix="/Department/Development/")["Users"]
    assert [u["UserName"] for u in listed] == ["dev1"]
    for prefix, shown in (("/Department/", "user/Department/"), (None, "user/")):
        with pytest.raises(ClientError) as raised:
            viewer.list_users(**({"PathPrefix": prefix} if prefix else {}))
        assert raised.value.response["Error"]["Message"] == (
            f"User: arn:aws:iam::{A}:user/viewer is not authorized to perform: iam:ListUsers on resource: "
            f"arn:aws:iam::{A}:{shown} because no identity-based policy allows the iam:ListUsers action"
        )

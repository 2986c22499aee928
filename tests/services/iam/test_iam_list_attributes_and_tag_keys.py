"""IAM behaviours a black-box run against AWS's documentation found missing, each through
the whole request path with boto3.

AWS pages: IAM API Reference, ListUsers and ListRoles ("This operation does not return the
following attributes, even though they are an attribute of the returned object:
PermissionsBoundary, Tags" / "PermissionsBoundary, RoleLastUsed, Tags"); ListPolicies,
PolicyUsageFilter ("To list only the policies used to set permissions boundaries, set the
value to PermissionsBoundary"; PermissionsPolicy filters nothing out, as code written
against AWS expects); Service Authorization Reference, "Actions, resources, and
condition keys for AWS Identity and Access Management" (iam:ResourceTag/${TagKey} on the
user and role resource types).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from botocore.exceptions import ClientError
from inprocess_harness import client, open_app, root_keys, user_keys

A = "111111111111"
BOUNDARY = "arn:aws:iam::aws:policy/PowerUserAccess"
TRUST = json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": A}, "Action": "sts:AssumeRole"}]}
)


def test_list_users_and_roles_leave_out_boundaries_and_tags(tmp_path: Path) -> None:
    app = open_app(tmp_path, A)
    iam = client(app, "iam", root_keys(app, A))
    iam.create_user(UserName="u", PermissionsBoundary=BOUNDARY, Tags=[{"Key": "team", "Value": "red"}])
    iam.create_role(
        RoleName="r", AssumeRolePolicyDocument=TRUST, PermissionsBoundary=BOUNDARY, Tags=[{"Key": "k", "Value": "v"}]
    )
    listed_user = iam.list_users()["Users"][0]
    assert "PermissionsBoundary" not in listed_user and "Tags" not in listed_user
    listed_role = iam.list_roles()["Roles"][0]
    assert not {"PermissionsBoundary", "Tags", "RoleLastUsed"} & set(listed_role)
    assert listed_role["MaxSessionDuration"] == 3600
    # GetUser and GetRole still answer them.
    assert iam.get_user(UserName="u")["User"]["PermissionsBoundary"]["PermissionsBoundaryArn"] == BOUNDARY
    assert iam.get_role(RoleName="r")["Role"]["Tags"] == [{"Key": "k", "Value": "v"}]


def test_list_policies_by_usage(tmp_path: Path) -> None:
    app = open_app(tmp_path, A)
    iam = client(app, "iam", root_keys(app, A))
    document = json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
    )
    boundary = iam.create_policy(PolicyName="boundary", PolicyDocument=document)["Policy"]["Arn"]
    permissions = iam.create_policy(PolicyName="permissions", PolicyDocument=document)["Policy"]["Arn"]
    iam.create_policy(PolicyName="unused", PolicyDocument=document)
    iam.create_user(UserName="u", PermissionsBoundary=boundary)
    iam.attach_user_policy(UserName="u", PolicyArn=permissions)

    def names(**params: str) -> list[str]:
        return sorted(policy["PolicyName"] for policy in iam.list_policies(Scope="Local", **params)["Policies"])

    assert names() == ["boundary", "permissions", "unused"]
    assert names(PolicyUsageFilter="PermissionsBoundary") == ["boundary"]
    # Every managed policy is a permissions policy, attached or not: code written against AWS
    # finds a policy it has not attached yet so (ec2mc's get_ssm_policy_arn).
    assert names(PolicyUsageFilter="PermissionsPolicy") == ["boundary", "permissions", "unused"]
    aws = iam.list_policies(Scope="AWS", PolicyUsageFilter="PermissionsPolicy", MaxItems=1000)["Policies"]
    assert "AmazonEC2RoleforSSM" in {policy["PolicyName"] for policy in aws}


def test_iam_resource_tag_key(tmp_path: Path) -> None:
    app = open_app(tmp_path, A)
    iam = client(app, "iam", root_keys(app, A))
    iam.create_user(UserName="tagged", Tags=[{"Key": "team", "Value": "red"}])
    iam.create_user(UserName="other", Tags=[{"Key": "team", "Value": "blue"}])
    iam.create_role(RoleName="red-role", AssumeRolePolicyDocument=TRUST, Tags=[{"Key": "team", "Value": "red"}])
    keys = user_keys(app, A, "reader")
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": ["iam:GetUser", "sts:AssumeRole"],
                "Resource": "*",
                "Condition": {"StringEquals": {"iam:ResourceTag/team": "red"}},
            }
        ],
    }
    iam.put_user_policy(UserName="reader", PolicyName="red-only", PolicyDocument=json.dumps(policy))
    reader = client(app, "iam", keys)
    assert reader.get_user(UserName="tagged")["User"]["UserName"] == "tagged"
    with pytest.raises(ClientError) as denied:
        reader.get_user(UserName="other")
    assert denied.value.response["Error"]["Code"] == "AccessDenied"
    session = client(app, "sts", keys).assume_role(RoleArn=f"arn:aws:iam::{A}:role/red-role", RoleSessionName="s1")
    assert session["AssumedRoleUser"]["Arn"] == f"arn:aws:sts::{A}:assumed-role/red-role/s1"

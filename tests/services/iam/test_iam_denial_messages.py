"""IAM's AccessDenied messages where they name something other than the resource's ARN."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from inprocess_harness import client, open_app, root_keys, user_keys

A = "111111111111"


def _message(call: Any, **params: Any) -> str:
    with pytest.raises(ClientError) as caught:
        call(**params)
    assert caught.value.response["Error"]["Code"] == "AccessDenied"
    message: str = caught.value.response["Error"]["Message"]
    return message


def test_list_policies_names_the_policy_path(tmp_path: Path) -> None:
    # IAM's message for ListPolicies names the path it lists, not an ARN: "... is not
    # authorized to perform: iam:ListPolicies on resource: policy path / because no
    # identity-based policy allows the iam:ListPolicies action" (as the AWS CLI prints it).
    app = open_app(tmp_path, A)
    alice = client(app, "iam", user_keys(app, A, "alice"))
    assert _message(alice.list_policies) == (
        f"User: arn:aws:iam::{A}:user/alice is not authorized to perform: iam:ListPolicies on resource:"
        " policy path / because no identity-based policy allows the iam:ListPolicies action"
    )
    assert " policy path /team/ because " in _message(alice.list_policies, PathPrefix="/team/")


def test_policies_are_named_as_iam_names_them(tmp_path: Path) -> None:
    # Real outputs of AWS: "... is not authorized to perform: iam:CreatePolicy on resource:
    # policy ALBIngressControllerIAMPolicy because no identity-based policy allows the
    # iam:CreatePolicy action", "... iam:GetPolicy on resource: policy
    # arn:aws:iam::aws:policy/GreengrassV2TokenExchangeRoleAccess because ...".
    app = open_app(tmp_path, A)
    alice = client(app, "iam", user_keys(app, A, "alice"))
    assert _message(alice.create_policy, PolicyName="mine", PolicyDocument="{}") == (
        f"User: arn:aws:iam::{A}:user/alice is not authorized to perform: iam:CreatePolicy on resource:"
        " policy mine because no identity-based policy allows the iam:CreatePolicy action"
    )
    managed = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
    assert _message(alice.get_policy, PolicyArn=managed) == (
        f"User: arn:aws:iam::{A}:user/alice is not authorized to perform: iam:GetPolicy on resource:"
        f" policy {managed} because no identity-based policy allows the iam:GetPolicy action"
    )


def test_a_new_entitys_path_is_part_of_the_arn_it_is_authorized_on(tmp_path: Path) -> None:
    # "IAM identifiers" (ARNs): arn:aws:iam::123456789012:user/division_abc/subdivision_xyz/
    # JaneDoe; a policy delegating CreateUser and CreateRole under one path ("Resource":
    # "arn:aws:iam::*:user/division/*") allows creating there and nowhere else.
    app = open_app(tmp_path, A)
    admin = client(app, "iam", root_keys(app, A))
    alice = client(app, "iam", user_keys(app, A, "alice"))
    statement = {
        "Effect": "Allow",
        "Action": ["iam:CreateUser", "iam:CreateRole", "iam:CreatePolicy", "iam:CreateGroup"],
        "Resource": [
            f"arn:aws:iam::{A}:user/division/*",
            f"arn:aws:iam::{A}:role/division/*",
            f"arn:aws:iam::{A}:policy/division/*",
            f"arn:aws:iam::{A}:group/division/*",
        ],
    }
    admin.put_user_policy(
        UserName="alice",
        PolicyName="p",
        PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [statement]}),
    )
    trust = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"AWS": A}, "Action": "sts:AssumeRole"}],
        }
    )
    document = json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
    )
    assert alice.create_user(UserName="u", Path="/division/")["User"]["Arn"] == f"arn:aws:iam::{A}:user/division/u"
    alice.create_role(RoleName="r", Path="/division/", AssumeRolePolicyDocument=trust)
    alice.create_policy(PolicyName="p", Path="/division/", PolicyDocument=document)
    alice.create_group(GroupName="g", Path="/division/")
    assert f"on resource: arn:aws:iam::{A}:user/u2 because" in _message(alice.create_user, UserName="u2")
    assert f"on resource: arn:aws:iam::{A}:role/other/r2 because" in _message(
        alice.create_role, RoleName="r2", Path="/other/", AssumeRolePolicyDocument=trust
    )


def test_entities_given_by_name_are_named_as_iam_names_them(tmp_path: Path) -> None:
    # Real outputs of AWS: "... iam:GetRole on resource: role vaultEC2Role because ...",
    # "... iam:AttachUserPolicy on resource: user backup ...", "... iam:AddUserToGroup on
    # resource: group Admin ...", "... iam:AddRoleToInstanceProfile on resource: instance
    # profile eks-... ...", whether the entity exists or not; "... iam:ListAccessKeys on
    # resource: user nulltesting" when UserName is left out; "... iam:ListRoles on resource:
    # arn:aws:iam::123456789012:role/aws-service-role/opensearchservice.amazonaws.com/"; and
    # a Create names the ARN it would make ("... iam:CreateUser on resource:
    # arn:aws:iam::765656213018:user/prueba").
    app = open_app(tmp_path, A)
    admin = client(app, "iam", root_keys(app, A))
    admin.create_user(UserName="bob", Path="/staff/")
    alice = client(app, "iam", user_keys(app, A, "alice"))

    def resource(call: Any, **params: Any) -> str:
        return _message(call, **params).split(" on resource: ", 1)[1].split(" because ", 1)[0]

    assert resource(alice.get_user, UserName="bob") == "user bob"
    assert resource(alice.get_user, UserName="nobody") == "user nobody"
    assert resource(alice.get_role, RoleName="r") == "role r"
    assert resource(alice.get_group, GroupName="g") == "group g"
    assert resource(alice.add_role_to_instance_profile, InstanceProfileName="p", RoleName="r") == "instance profile p"
    assert resource(alice.attach_user_policy, UserName="bob", PolicyArn=f"arn:aws:iam::{A}:policy/x") == "user bob"
    assert resource(alice.list_access_keys) == "user nullalice"
    assert resource(alice.list_access_keys, UserName="bob") == "user bob"
    assert resource(alice.list_roles, PathPrefix="/aws-service-role/") == f"arn:aws:iam::{A}:role/aws-service-role/"
    assert resource(alice.create_user, UserName="carol", Path="/staff/") == f"arn:aws:iam::{A}:user/staff/carol"
    assert resource(alice.create_group, GroupName="g") == f"arn:aws:iam::{A}:group/g"


def test_no_account_changes_an_aws_managed_policy(tmp_path: Path) -> None:
    # AWS managed policies are AWS's ("AWS managed policies", IAM User Guide: "You cannot
    # change the permissions defined in AWS managed policies"): iam-simulate's cases
    # (coreEngineTests/iam/managedPolicies/aws/denied.json) deny every write to one even
    # under "Allow * on *"; reading it stays allowed. AWS's exact message is unconfirmed.
    app = open_app(tmp_path, A)
    root = client(app, "iam", root_keys(app, A))
    managed = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
    assert root.get_policy(PolicyArn=managed)["Policy"]["Arn"] == managed
    for call, params in (
        (root.create_policy_version, {"PolicyDocument": "{}"}),
        (root.set_default_policy_version, {"VersionId": "v1"}),
        (root.delete_policy_version, {"VersionId": "v1"}),
        (root.delete_policy, {}),
        (root.tag_policy, {"Tags": [{"Key": "a", "Value": "b"}]}),
        (root.untag_policy, {"TagKeys": ["a"]}),
    ):
        message = _message(call, PolicyArn=managed, **params)
        assert f" on resource: policy {managed} " in message
    assert root.get_policy(PolicyArn=managed)["Policy"]["DefaultVersionId"] == "v3"

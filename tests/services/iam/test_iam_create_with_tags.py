"""Creating an IAM entity with Tags needs the kind's Tag permission as well as the Create:
AWS answers a CreateRole with Tags from a caller allowed only iam:CreateRole with "User: ...
is not authorized to perform: iam:TagRole on resource: arn:aws:iam::123456789012:role/name"
(real outputs, e.g. Terraform's aws_iam_role with tags), and the same for iam:TagUser on
CreateUser and iam:TagPolicy on CreatePolicy. The Tag check carries the request's tags
(aws:RequestTag/<key>, aws:TagKeys), as TagRole itself does; nothing is created when it is
refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from botocore.exceptions import ClientError
from inprocess_harness import client, open_app, root_keys, user_keys

A = "111111111111"
TRUST = json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": A}, "Action": "sts:AssumeRole"}]}
)
TAGS = [{"Key": "team", "Value": "blue"}]


def _allow(*statements: dict[str, object]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def test_create_with_tags_needs_the_tag_permission(tmp_path: Path) -> None:
    app = open_app(tmp_path, A)
    admin = client(app, "iam", root_keys(app, A))
    creator = client(app, "iam", user_keys(app, A, "creator"))
    admin.put_user_policy(
        UserName="creator",
        PolicyName="create-only",
        PolicyDocument=_allow({"Effect": "Allow", "Action": ["iam:CreateRole", "iam:CreateUser"], "Resource": "*"}),
    )
    for call, params, action, arn in (
        (creator.create_role, {"RoleName": "r", "AssumeRolePolicyDocument": TRUST}, "iam:TagRole", "role/r"),
        (creator.create_user, {"UserName": "u"}, "iam:TagUser", "user/u"),
    ):
        with pytest.raises(ClientError) as denied:
            call(Tags=TAGS, **params)
        message = denied.value.response["Error"]["Message"]
        assert denied.value.response["Error"]["Code"] == "AccessDenied"
        assert f"perform: {action} on resource: arn:aws:iam::{A}:{arn} because" in message
    assert admin.list_roles()["Roles"] == [] and [u["UserName"] for u in admin.list_users()["Users"]] == ["creator"]
    creator.create_role(RoleName="r", AssumeRolePolicyDocument=TRUST)  # without tags: the Create alone

    # The Tag check sees the request's tags: allowed only for team=blue.
    admin.put_user_policy(
        UserName="creator",
        PolicyName="tag-blue",
        PolicyDocument=_allow(
            {
                "Effect": "Allow",
                "Action": "iam:TagUser",
                "Resource": "*",
                "Condition": {"StringEquals": {"aws:RequestTag/team": "blue"}},
            }
        ),
    )
    creator.create_user(UserName="u", Tags=TAGS)
    with pytest.raises(ClientError):
        creator.create_user(UserName="v", Tags=[{"Key": "team", "Value": "red"}])
    assert admin.list_user_tags(UserName="u")["Tags"] == TAGS

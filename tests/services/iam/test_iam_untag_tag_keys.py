"""The IAM Untag operations carry aws:TagKeys, the keys they remove (Service Authorization
Reference for IAM: UntagUser, UntagRole, UntagPolicy, ... list aws:TagKeys), so a policy can
guard which tags may be removed: "IAM: Allows managing a specific tag" (IAM User Guide's
example policies: ``ForAllValues:StringEquals`` on aws:TagKeys with iam:UntagUser), and the
ABAC tutorial's deny of untagging its access-* tags ("IAM tutorial: Define permissions to
access AWS resources based on tags": ``ForAnyValue:StringLike`` on aws:TagKeys)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from botocore.exceptions import ClientError
from inprocess_harness import client, open_app, root_keys, user_keys

A = "111111111111"


def _policy(*statements: dict[str, object]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def test_untag_carries_the_removed_keys(tmp_path: Path) -> None:
    app = open_app(tmp_path, A)
    admin = client(app, "iam", root_keys(app, A))
    admin.create_user(UserName="target", Tags=[{"Key": "Department", "Value": "x"}, {"Key": "Project", "Value": "y"}])
    # "Allows managing a specific tag": only the Department tag may be added or removed.
    only_department = {
        "Effect": "Allow",
        "Action": ["iam:TagUser", "iam:UntagUser"],
        "Resource": "*",
        "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": "Department"}},
    }
    tagger = client(app, "iam", user_keys(app, A, "tagger"))
    admin.put_user_policy(UserName="tagger", PolicyName="p", PolicyDocument=_policy(only_department))
    with pytest.raises(ClientError) as denied:
        tagger.untag_user(UserName="target", TagKeys=["Project"])
    assert denied.value.response["Error"]["Code"] == "AccessDenied"
    tagger.untag_user(UserName="target", TagKeys=["Department"])
    assert admin.list_user_tags(UserName="target")["Tags"] == [{"Key": "Project", "Value": "y"}]

    # The ABAC tutorial's deny: no access-* tag may be removed from a role.
    admin.create_role(
        RoleName="r",
        AssumeRolePolicyDocument=_policy(
            {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{A}:root"}, "Action": "sts:AssumeRole"}
        ),
        Tags=[{"Key": "access-team", "Value": "eng"}, {"Key": "Name", "Value": "n"}],
    )
    keeper = client(app, "iam", user_keys(app, A, "keeper"))
    admin.put_user_policy(
        UserName="keeper",
        PolicyName="p",
        PolicyDocument=_policy(
            {"Effect": "Allow", "Action": "iam:UntagRole", "Resource": "*"},
            {
                "Effect": "Deny",
                "Action": "iam:UntagRole",
                "Resource": "*",
                "Condition": {"ForAnyValue:StringLike": {"aws:TagKeys": "access-*"}},
            },
        ),
    )
    with pytest.raises(ClientError) as explicit:
        keeper.untag_role(RoleName="r", TagKeys=["Name", "access-team"])
    assert "with an explicit deny in an identity-based policy" in explicit.value.response["Error"]["Message"]
    keeper.untag_role(RoleName="r", TagKeys=["Name"])
    assert admin.list_role_tags(RoleName="r")["Tags"] == [{"Key": "access-team", "Value": "eng"}]

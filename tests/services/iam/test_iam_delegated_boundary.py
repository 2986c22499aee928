"""iam:PermissionsBoundary on the operations that change a user's or role's permissions is
the boundary that user or role has now.

AWS pages: IAM User Guide, "Permissions boundaries for IAM entities", section "Delegating
responsibility to others using permissions boundaries": Maria's DelegatedUserBoundary
policy allows iam:CreateUser, iam:DeleteUserPolicy, iam:AttachUserPolicy,
iam:DetachUserPolicy, iam:PutUserPermissionsBoundary and iam:PutUserPolicy only with
"StringEquals": {"iam:PermissionsBoundary": ".../XCompanyBoundaries"}, so that she can
create users and change their permissions only while XCompanyBoundaries bounds them, and
denies iam:DeleteUserPermissionsBoundary. Service Authorization Reference, "Actions,
resources, and condition keys for AWS Identity and Access Management": iam:PermissionsBoundary
"Filters access if the specified policy is set as the permissions boundary on the IAM entity
(user or role)", on AttachUserPolicy, DetachUserPolicy, PutUserPolicy, DeleteUserPolicy,
DeleteUserPermissionsBoundary and their role counterparts.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from botocore.exceptions import ClientError
from inprocess_harness import client, open_app, root_keys, user_keys

A = "111111111111"
BOUNDARY = f"arn:aws:iam::{A}:policy/XCompanyBoundaries"
READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess"
ALLOW_S3 = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]})


def _delegated(boundary: str) -> str:
    on_bounded = [
        "iam:CreateUser",
        "iam:DeleteUserPolicy",
        "iam:AttachUserPolicy",
        "iam:DetachUserPolicy",
        "iam:PutUserPermissionsBoundary",
        "iam:PutUserPolicy",
        "iam:AttachRolePolicy",
        "iam:CreateRole",
    ]
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "CreateOrChangeOnlyWithBoundary",
                    "Effect": "Allow",
                    "Action": on_bounded,
                    "Resource": "*",
                    "Condition": {"StringEquals": {"iam:PermissionsBoundary": boundary}},
                },
                {"Effect": "Allow", "Action": ["iam:Get*", "iam:List*"], "Resource": "*"},
                {
                    "Sid": "NoBoundaryUserDelete",
                    "Effect": "Deny",
                    "Action": "iam:DeleteUserPermissionsBoundary",
                    "Resource": "*",
                },
            ],
        }
    )


def _code(call: object) -> str:
    with pytest.raises(ClientError) as refused:
        call()  # type: ignore[operator]
    return str(refused.value.response["Error"]["Code"])


def test_maria_changes_only_users_her_boundary_bounds(tmp_path: Path) -> None:
    app = open_app(tmp_path, A)
    root = client(app, "iam", root_keys(app, A))
    root.create_policy(PolicyName="XCompanyBoundaries", PolicyDocument=ALLOW_S3)
    root.create_user(UserName="Maria")
    root.put_user_policy(UserName="Maria", PolicyName="DelegatedUserBoundary", PolicyDocument=_delegated(BOUNDARY))
    root.create_user(UserName="unbounded")
    maria = client(app, "iam", user_keys(app, A, "Maria"))

    assert _code(lambda: maria.create_user(UserName="no-boundary")) == "AccessDenied"
    maria.create_user(UserName="bounded", PermissionsBoundary=BOUNDARY)
    # The user she created has the boundary: she may now change its permissions.
    maria.attach_user_policy(UserName="bounded", PolicyArn=READ_ONLY)
    maria.put_user_policy(UserName="bounded", PolicyName="s3", PolicyDocument=ALLOW_S3)
    maria.delete_user_policy(UserName="bounded", PolicyName="s3")
    maria.detach_user_policy(UserName="bounded", PolicyArn=READ_ONLY)
    # A user without that boundary is out of her reach, and so is removing the boundary.
    assert _code(lambda: maria.attach_user_policy(UserName="unbounded", PolicyArn=READ_ONLY)) == "AccessDenied"
    assert _code(lambda: maria.put_user_policy(UserName="unbounded", PolicyName="s3", PolicyDocument=ALLOW_S3)) == (
        "AccessDenied"
    )
    assert _code(lambda: maria.delete_user_permissions_boundary(UserName="bounded")) == "AccessDenied"
    attached = root.list_attached_user_policies(UserName="unbounded")["AttachedPolicies"]
    assert attached == []


def test_a_role_is_judged_by_its_own_boundary(tmp_path: Path) -> None:
    app = open_app(tmp_path, A)
    root = client(app, "iam", root_keys(app, A))
    root.create_policy(PolicyName="XCompanyBoundaries", PolicyDocument=ALLOW_S3)
    root.create_user(UserName="Maria")
    root.put_user_policy(UserName="Maria", PolicyName="DelegatedUserBoundary", PolicyDocument=_delegated(BOUNDARY))
    trust = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"AWS": A}, "Action": "sts:AssumeRole"}],
        }
    )
    root.create_role(RoleName="unbounded", AssumeRolePolicyDocument=trust)
    maria = client(app, "iam", user_keys(app, A, "Maria"))
    maria.create_role(RoleName="bounded", AssumeRolePolicyDocument=trust, PermissionsBoundary=BOUNDARY)
    maria.attach_role_policy(RoleName="bounded", PolicyArn=READ_ONLY)
    assert _code(lambda: maria.attach_role_policy(RoleName="unbounded", PolicyArn=READ_ONLY)) == "AccessDenied"


def test_role_reads_and_updates_see_the_roles_boundary(tmp_path: Path) -> None:
    """GetRole, UpdateRole, UpdateRoleDescription, UpdateAssumeRolePolicy and DeleteRole take
    iam:PermissionsBoundary, the role's boundary (Service Authorization Reference for IAM):
    an administrator allowed them only on roles with XCompanyBoundaries reaches those roles
    and no other."""
    app = open_app(tmp_path, A)
    root = client(app, "iam", root_keys(app, A))
    root.create_policy(PolicyName="XCompanyBoundaries", PolicyDocument=ALLOW_S3)
    actions = ["iam:GetRole", "iam:UpdateRole", "iam:UpdateRoleDescription", "iam:UpdateAssumeRolePolicy"]
    admin_policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": [*actions, "iam:DeleteRole"],
                "Resource": "*",
                "Condition": {"StringEquals": {"iam:PermissionsBoundary": BOUNDARY}},
            }
        ],
    }
    root.create_user(UserName="admin")
    root.put_user_policy(UserName="admin", PolicyName="bounded-roles", PolicyDocument=json.dumps(admin_policy))
    trust = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"AWS": A}, "Action": "sts:AssumeRole"}],
        }
    )
    root.create_role(RoleName="bounded", AssumeRolePolicyDocument=trust, PermissionsBoundary=BOUNDARY)
    root.create_role(RoleName="unbounded", AssumeRolePolicyDocument=trust)
    admin = client(app, "iam", user_keys(app, A, "admin"))

    def calls(role: str) -> list[object]:
        return [
            lambda: admin.get_role(RoleName=role),
            lambda: admin.update_role(RoleName=role, MaxSessionDuration=7200),
            lambda: admin.update_role_description(RoleName=role, Description="reviewed"),
            lambda: admin.update_assume_role_policy(RoleName=role, PolicyDocument=trust),
        ]

    for call in calls("unbounded"):
        assert _code(call) == "AccessDenied"
    for call in calls("bounded"):
        call()  # type: ignore[operator]
    assert root.get_role(RoleName="bounded")["Role"]["MaxSessionDuration"] == 7200
    assert _code(lambda: admin.delete_role(RoleName="unbounded")) == "AccessDenied"
    admin.delete_role(RoleName="bounded")
    assert [role["RoleName"] for role in root.list_roles()["Roles"]] == ["unbounded"]

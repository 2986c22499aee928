"""Users, groups and roles through the handlers: success and AWS's errors."""

from __future__ import annotations

import json
from urllib.parse import unquote

import pytest
from iam_harness import ACCOUNT, OTHER, Iam

from iamsandbox import errors

TRUST_OTHER = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{OTHER}:root"}, "Action": "sts:AssumeRole"}
        ],
    }
)


def trust(principal: str) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"AWS": principal}, "Action": "sts:AssumeRole"}],
        }
    )


def test_user_lifecycle(iam: Iam) -> None:
    created = iam("CreateUser", UserName="alice", Path="/eng/", Tags=[{"Key": "team", "Value": "a"}])["User"]
    assert created["Arn"] == f"arn:aws:iam::{ACCOUNT}:user/eng/alice"
    assert created["UserId"].startswith("AIDA") and len(created["UserId"]) == 21
    assert created["Tags"] == [{"Key": "team", "Value": "a"}]
    assert iam("GetUser", UserName="ALICE")["User"]["UserName"] == "alice"  # names ignore case
    with pytest.raises(errors.EntityAlreadyExists, match="^User with name Alice already exists.$"):
        iam("CreateUser", UserName="Alice")
    iam("UpdateUser", UserName="alice", NewUserName="alice2", NewPath="/ops/")
    assert iam("GetUser", UserName="alice2")["User"]["Arn"] == f"arn:aws:iam::{ACCOUNT}:user/ops/alice2"
    assert [u["UserName"] for u in iam("ListUsers", PathPrefix="/ops/")["Users"]] == ["alice2"]
    iam("DeleteUser", UserName="alice2")
    # Recorded from AWS (LocalStack's test_iam snapshot).
    with pytest.raises(errors.NoSuchEntity, match="^The user with name alice2 cannot be found.$"):
        iam("GetUser", UserName="alice2")


def test_get_user_without_name_is_the_caller(iam: Iam) -> None:
    iam("CreateUser", UserName="bob")
    iam.as_user("bob")
    assert iam("GetUser")["User"]["UserName"] == "bob"


def test_list_users_paginates(iam: Iam) -> None:
    for i in range(5):
        iam("CreateUser", UserName=f"u{i}")
    first = iam("ListUsers", MaxItems=2)
    assert first["IsTruncated"] and len(first["Users"]) == 2
    rest = iam("ListUsers", Marker=first["Marker"], MaxItems=10)
    assert not rest["IsTruncated"] and "Marker" not in rest
    assert [u["UserName"] for u in first["Users"] + rest["Users"]] == [f"u{i}" for i in range(5)]


def test_delete_user_conflicts(iam: Iam) -> None:
    iam("CreateUser", UserName="carol")
    iam("CreateGroup", GroupName="devs")
    iam("AddUserToGroup", GroupName="devs", UserName="carol")
    with pytest.raises(errors.DeleteConflict, match="must remove users from group first"):
        iam("DeleteUser", UserName="carol")
    with pytest.raises(errors.DeleteConflict, match="^Cannot delete entity, must remove users from group first.$"):
        iam("DeleteGroup", GroupName="devs")
    iam("RemoveUserFromGroup", GroupName="devs", UserName="carol")
    iam("AttachUserPolicy", UserName="carol", PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
    with pytest.raises(errors.DeleteConflict, match="^Cannot delete entity, must detach all policies first.$"):
        iam("DeleteUser", UserName="carol")
    iam("DetachUserPolicy", UserName="carol", PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
    iam("CreateAccessKey", UserName="carol")
    with pytest.raises(errors.DeleteConflict, match="must delete access keys first"):
        iam("DeleteUser", UserName="carol")


def test_user_tags_and_boundary(iam: Iam) -> None:
    iam("CreateUser", UserName="dave")
    iam("TagUser", UserName="dave", Tags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}])
    iam("UntagUser", UserName="dave", TagKeys=["a"])
    assert iam("ListUserTags", UserName="dave")["Tags"] == [{"Key": "b", "Value": "2"}]
    boundary = "arn:aws:iam::aws:policy/PowerUserAccess"
    iam("PutUserPermissionsBoundary", UserName="dave", PermissionsBoundary=boundary)
    assert iam("GetUser", UserName="dave")["User"]["PermissionsBoundary"] == {
        "PermissionsBoundaryType": "Policy",
        "PermissionsBoundaryArn": boundary,
    }
    iam("DeleteUserPermissionsBoundary", UserName="dave")
    assert "PermissionsBoundary" not in iam("GetUser", UserName="dave")["User"]
    # A boundary of no policy is the "Scope ARN" (recorded from IAM: openshift/rosa's test
    # cases, "NoSuchEntity: Scope ARN: arn:aws:iam::...:policy/... does not exist or is not
    # attachable."); an attach names it "Policy" (test_iam_policies.py).
    missing = f"arn:aws:iam::{ACCOUNT}:policy/none"
    for call in (
        lambda: iam("PutUserPermissionsBoundary", UserName="dave", PermissionsBoundary=missing),
        lambda: iam("CreateUser", UserName="erin", PermissionsBoundary=missing),
        lambda: iam("CreateRole", RoleName="erin", AssumeRolePolicyDocument=TRUST_OTHER, PermissionsBoundary=missing),
    ):
        with pytest.raises(errors.NoSuchEntity) as raised:
            call()
        assert raised.value.message == f"Scope ARN: {missing} does not exist or is not attachable."
        assert raised.value.status == 404


def test_group_lifecycle(iam: Iam) -> None:
    group = iam("CreateGroup", GroupName="admins")["Group"]
    assert group["GroupId"].startswith("AGPA") and group["Arn"] == f"arn:aws:iam::{ACCOUNT}:group/admins"
    with pytest.raises(errors.EntityAlreadyExists, match="^Group with name admins already exists.$"):
        iam("CreateGroup", GroupName="admins")
    iam("CreateUser", UserName="erin")
    iam("AddUserToGroup", GroupName="admins", UserName="erin")
    got = iam("GetGroup", GroupName="admins")
    assert [u["UserName"] for u in got["Users"]] == ["erin"] and got["IsTruncated"] is False
    assert [g["GroupName"] for g in iam("ListGroupsForUser", UserName="erin")["Groups"]] == ["admins"]
    assert [g["GroupName"] for g in iam("ListGroups")["Groups"]] == ["admins"]
    iam("UpdateGroup", GroupName="admins", NewGroupName="root-admins")
    with pytest.raises(errors.NoSuchEntity, match="^The group with name admins cannot be found.$"):
        iam("GetGroup", GroupName="admins")
    iam("RemoveUserFromGroup", GroupName="root-admins", UserName="erin")
    iam("DeleteGroup", GroupName="root-admins")


def test_groups_per_user_quota(iam: Iam) -> None:
    iam("CreateUser", UserName="many")
    for i in range(10):
        iam("CreateGroup", GroupName=f"g{i}")
        iam("AddUserToGroup", GroupName=f"g{i}", UserName="many")
    iam("CreateGroup", GroupName="g10")
    with pytest.raises(errors.LimitExceeded, match="^Cannot exceed quota for GroupsPerUser: 10$"):
        iam("AddUserToGroup", GroupName="g10", UserName="many")


def test_role_lifecycle(iam: Iam) -> None:
    created = iam(
        "CreateRole",
        RoleName="my-s3-x-account-role",
        AssumeRolePolicyDocument=TRUST_OTHER,
        Description="cross account",
        MaxSessionDuration=7200,
        Tags=[{"Key": "k", "Value": "v"}],
    )["Role"]
    assert created["RoleId"].startswith("AROA") and len(created["RoleId"]) == 21
    assert created["Arn"] == f"arn:aws:iam::{ACCOUNT}:role/my-s3-x-account-role"
    assert json.loads(unquote(created["AssumeRolePolicyDocument"])) == json.loads(TRUST_OTHER)
    # CreateRole's answer has no MaxSessionDuration and no Description; GetRole's has them
    # and RoleLastUsed (LocalStack's recorded AWS answers, test_create_describe_role and
    # test_iam_roles' create-role-with-boundary).
    assert "MaxSessionDuration" not in created and "Description" not in created
    got = iam("GetRole", RoleName="my-s3-x-account-role")["Role"]
    assert got["MaxSessionDuration"] == 7200 and got["RoleLastUsed"] == {} and got["Description"] == "cross account"
    with pytest.raises(errors.EntityAlreadyExists, match="^Role with name my-s3-x-account-role already exists.$"):
        iam("CreateRole", RoleName="my-s3-x-account-role", AssumeRolePolicyDocument=TRUST_OTHER)
    iam("UpdateRole", RoleName="my-s3-x-account-role", MaxSessionDuration=43200)
    described = iam("UpdateRoleDescription", RoleName="my-s3-x-account-role", Description="new")["Role"]
    # Recorded from AWS (test_iam_roles snapshot, update-role-description-response): the
    # Description, without MaxSessionDuration or RoleLastUsed.
    assert described["Description"] == "new" and "MaxSessionDuration" not in described
    assert iam("GetRole", RoleName="my-s3-x-account-role")["Role"]["MaxSessionDuration"] == 43200
    iam("UpdateAssumeRolePolicy", RoleName="my-s3-x-account-role", PolicyDocument=trust(OTHER))
    listed = iam("ListRoles")["Roles"]
    assert [r["RoleName"] for r in listed] == ["my-s3-x-account-role"] and "RoleLastUsed" not in listed[0]
    iam("TagRole", RoleName="my-s3-x-account-role", Tags=[{"Key": "k2", "Value": "v2"}])
    iam("UntagRole", RoleName="my-s3-x-account-role", TagKeys=["k"])
    assert iam("ListRoleTags", RoleName="my-s3-x-account-role")["Tags"] == [{"Key": "k2", "Value": "v2"}]
    iam(
        "PutRolePermissionsBoundary",
        RoleName="my-s3-x-account-role",
        PermissionsBoundary="arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
    )
    iam("DeleteRolePermissionsBoundary", RoleName="my-s3-x-account-role")
    iam(
        "PutRolePolicy",
        RoleName="my-s3-x-account-role",
        PolicyName="p",
        PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
        ),
    )
    with pytest.raises(errors.DeleteConflict, match="^Cannot delete entity, must delete policies first.$"):
        iam("DeleteRole", RoleName="my-s3-x-account-role")
    iam("DeleteRolePolicy", RoleName="my-s3-x-account-role", PolicyName="p")
    iam("DeleteRole", RoleName="my-s3-x-account-role")
    with pytest.raises(errors.NoSuchEntity, match="^The role with name my-s3-x-account-role cannot be found.$"):
        iam("GetRole", RoleName="my-s3-x-account-role")


@pytest.mark.parametrize("duration", [3599, 43201])
def test_max_session_duration_range(iam: Iam, duration: int) -> None:
    with pytest.raises(errors.ValidationError, match="maxSessionDuration"):
        iam("CreateRole", RoleName="r", AssumeRolePolicyDocument=TRUST_OTHER, MaxSessionDuration=duration)


def test_trust_policy_principals(iam: Iam) -> None:
    iam("CreateUser", UserName="alice")
    # A user that exists, any account ID and the root of any account are fine.
    iam("CreateRole", RoleName="r1", AssumeRolePolicyDocument=trust(f"arn:aws:iam::{ACCOUNT}:user/alice"))
    iam("CreateRole", RoleName="r2", AssumeRolePolicyDocument=trust("999999999999"))
    iam("CreateRole", RoleName="r3", AssumeRolePolicyDocument=trust("arn:aws:iam::999999999999:root"))
    missing = f"arn:aws:iam::{OTHER}:user/nobody"
    with pytest.raises(errors.MalformedPolicyDocument) as raised:
        iam("CreateRole", RoleName="r4", AssumeRolePolicyDocument=trust(missing))
    assert raised.value.message == f'Invalid principal in policy: "AWS":"{missing}"'
    with pytest.raises(errors.MalformedPolicyDocument, match="^This policy contains invalid Json$"):
        iam("CreateRole", RoleName="r5", AssumeRolePolicyDocument="{not json")
    with pytest.raises(errors.MalformedPolicyDocument, match="Invalid principal"):
        iam("UpdateAssumeRolePolicy", RoleName="r1", PolicyDocument=trust(f"arn:aws:iam::{ACCOUNT}:role/none"))


def test_trust_policy_actions(iam: Iam) -> None:
    # "AssumeRole policy may only specify STS AssumeRole actions." (IAM's answer recorded in
    # hashicorp/terraform-provider-aws#32872); session actions are taken ("Pass session tags
    # in AWS STS": the trust policy must allow sts:TagSession).
    def document(*actions: str) -> str:
        statement = {"Effect": "Allow", "Principal": {"AWS": ACCOUNT}, "Action": list(actions)}
        return json.dumps({"Version": "2012-10-17", "Statement": [statement]})

    iam("CreateRole", RoleName="tags", AssumeRolePolicyDocument=document("sts:AssumeRole", "sts:TagSession"))
    message = "^AssumeRole policy may only specify STS AssumeRole actions.$"
    with pytest.raises(errors.MalformedPolicyDocument, match=message):
        iam("CreateRole", RoleName="s3", AssumeRolePolicyDocument=document("sts:AssumeRole", "s3:GetObject"))
    with pytest.raises(errors.MalformedPolicyDocument, match=message):
        iam("UpdateAssumeRolePolicy", RoleName="tags", PolicyDocument=document("sts:TagSessions"))
    assert "sts:TagSession" in unquote(iam("GetRole", RoleName="tags")["Role"]["AssumeRolePolicyDocument"])
    with pytest.raises(errors.NoSuchEntity):
        iam("GetRole", RoleName="s3")

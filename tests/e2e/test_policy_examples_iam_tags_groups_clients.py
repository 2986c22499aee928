"""AWS's "Example IAM identity-based policies" (IAM User Guide, access_policies_examples):
the "IAM: ..." examples on tags and groups, run against a real server with boto3
(policy_examples_harness says how).

Assume roles that have a specific tag, add a specific tag (to a user with a specific tag;
with specific values), create new users only with specific tags, manage a specific tag,
manage a group's membership, manage a group. The other IAM examples:
test_policy_examples_iam_credentials_policies_clients.py.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from policy_examples_harness import (
    ADMIN,
    ALLOW,
    EXPLICIT,
    IMPLICIT,
    Caller,
    Case,
    Example,
    World,
    Worlds,
    _doc,
    _root_iam,
    case_adder,
    case_id,
    check,
)

CASES: list[Case] = []
case = case_adder(CASES)

# --------------------------------------------------------------------------- IAM examples: tags and groups


def _tagged_roles(w: World) -> None:
    iam = w.root_client("iam")
    trust = json.dumps(
        _doc({"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{w.account}:root"}, "Action": "sts:AssumeRole"})
    )
    iam.create_role(
        RoleName="abc-role", AssumeRolePolicyDocument=trust, Tags=[{"Key": "Project", "Value": "ExampleCorpABC"}]
    )
    iam.create_role(
        RoleName="xyz-role", AssumeRolePolicyDocument=trust, Tags=[{"Key": "Project", "Value": "ExampleCorpXYZ"}]
    )
    iam.create_role(RoleName="untagged-role", AssumeRolePolicyDocument=trust)


ASSUME_TAGGED = Example(
    "IAM: Assume roles that have a specific tag",
    "reference_policies_examples_iam-assume-tagged-role",
    _doc(
        {
            "Sid": "",
            "Effect": "Allow",
            "Action": "sts:AssumeRole",
            "Resource": "*",
            "Condition": {"StringEquals": {"iam:ResourceTag/Project": "ExampleCorpABC"}},
        }
    ),
    setup=_tagged_roles,
)
_tag = "allows an IAM user to assume roles with the tag key-value pair Project = ExampleCorpABC"


def _assume(role: str) -> Callable[[Caller], Any]:
    return lambda c: c.sts().assume_role(
        RoleArn=f"arn:aws:iam::{c.w.account}:role/{role}", RoleSessionName="alice-session"
    )


case(
    ASSUME_TAGGED,
    "alice",
    "AssumeRole of the role tagged Project=ExampleCorpABC",
    _assume("abc-role"),
    ALLOW,
    "sts:AssumeRole",
    _tag + "; If a role with this tag exists in the same account as the user, then the user can assume that role",
)
case(
    ASSUME_TAGGED,
    "alice",
    "AssumeRole of a role tagged Project=ExampleCorpXYZ",
    _assume("xyz-role"),
    IMPLICIT,
    "sts:AssumeRole",
    _tag,
)
case(
    ASSUME_TAGGED, "alice", "AssumeRole of an untagged role", _assume("untagged-role"), IMPLICIT, "sts:AssumeRole", _tag
)


def _tag_targets(w: World) -> None:
    iam = w.root_client("iam")
    iam.create_user(UserName="manager1", Tags=[{"Key": "JobFunction", "Value": "Manager"}])
    iam.create_user(UserName="worker1", Tags=[{"Key": "JobFunction", "Value": "Worker"}])
    trust = json.dumps(
        _doc({"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"})
    )
    iam.create_role(RoleName="target-role", AssumeRolePolicyDocument=trust)


ADD_TAG = Example(
    "IAM: Add a specific tag to a user with a specific tag",
    "reference_policies_examples_iam-add-tag",
    _doc(
        {
            "Sid": "ListTagsForAllUsers",
            "Effect": "Allow",
            "Action": ["iam:ListUserTags", "iam:ListUsers"],
            "Resource": "*",
        },
        {
            "Sid": "TagManagerWithSpecificDepartment",
            "Effect": "Allow",
            "Action": "iam:TagUser",
            "Resource": "*",
            "Condition": {
                "StringEquals": {
                    "iam:ResourceTag/JobFunction": "Manager",
                    "aws:RequestTag/Department": ["Marketing", "Development", "QualityAssurance"],
                },
                "ForAllValues:StringEquals": {"aws:TagKeys": "Department"},
            },
        },
    ),
    setup=_tag_targets,
)
_at = "The user to be tagged must already have the JobFunction=Manager tag. The request must include the Department tag key with one of the listed tag values"  # noqa: E501 (the page's sentence)
_only_key = "This means that the only tag key in the request must be Department"


def _tag_user(user: str, **tags: str) -> Callable[[Caller], Any]:
    return lambda c: c.iam().tag_user(UserName=user, Tags=[{"Key": k, "Value": v} for k, v in tags.items()])


def _tag_role(role: str, **tags: str) -> Callable[[Caller], Any]:
    return lambda c: c.iam().tag_role(RoleName=role, Tags=[{"Key": k, "Value": v} for k, v in tags.items()])


case(
    ADD_TAG,
    "alice",
    "TagUser manager Department=Marketing",
    _tag_user("manager1", Department="Marketing"),
    ALLOW,
    "iam:TagUser",
    _at,
)
case(
    ADD_TAG,
    "alice",
    "TagUser manager Department=Sales",
    _tag_user("manager1", Department="Sales"),
    IMPLICIT,
    "iam:TagUser",
    _at,
)
case(
    ADD_TAG,
    "alice",
    "TagUser worker Department=Marketing",
    _tag_user("worker1", Department="Marketing"),
    IMPLICIT,
    "iam:TagUser",
    _at,
)
case(
    ADD_TAG,
    "alice",
    "TagUser manager Department=Development and Project=X",
    _tag_user("manager1", Department="Development", Project="X"),
    IMPLICIT,
    "iam:TagUser",
    _only_key,
)
case(
    ADD_TAG,
    "alice",
    "ListUserTags",
    lambda c: c.iam().list_user_tags(UserName="worker1"),
    ALLOW,
    "iam:ListUserTags",
    "The ListTagsForAllUsers statement allows the viewing of tags for all users in your account",
)

ADD_TAG_ANY = Example(
    "IAM: Add a specific tag with specific values",
    "reference_policies_examples_iam-add-tag-user-role",
    _doc(
        {
            "Sid": "ConsoleDisplay",
            "Effect": "Allow",
            "Action": [
                "iam:GetRole",
                "iam:GetUser",
                "iam:ListRoles",
                "iam:ListRoleTags",
                "iam:ListUsers",
                "iam:ListUserTags",
            ],
            "Resource": "*",
        },
        {
            "Sid": "AddTag",
            "Effect": "Allow",
            "Action": ["iam:TagUser", "iam:TagRole"],
            "Resource": "*",
            "Condition": {
                "StringEquals": {"aws:RequestTag/CostCenter": ["A-123", "B-456"]},
                "ForAllValues:StringEquals": {"aws:TagKeys": "CostCenter"},
            },
        },
    ),
    setup=_tag_targets,
)
_cc = "allows adding only the tag key CostCenter and either the tag value A-123 or the tag value B-456 to any IAM user or role"  # noqa: E501 (the page's sentence)
case(
    ADD_TAG_ANY,
    "alice",
    "TagUser CostCenter=A-123",
    _tag_user("worker1", CostCenter="A-123"),
    ALLOW,
    "iam:TagUser",
    _cc,
)
case(
    ADD_TAG_ANY,
    "alice",
    "TagRole CostCenter=B-456",
    _tag_role("target-role", CostCenter="B-456"),
    ALLOW,
    "iam:TagRole",
    _cc,
)
case(
    ADD_TAG_ANY,
    "alice",
    "TagUser CostCenter=C-789",
    _tag_user("worker1", CostCenter="C-789"),
    IMPLICIT,
    "iam:TagUser",
    _cc,
)
case(
    ADD_TAG_ANY,
    "alice",
    "TagRole CostCenter=A-123 and Owner=x",
    _tag_role("target-role", CostCenter="A-123", Owner="x"),
    IMPLICIT,
    "iam:TagRole",
    "This means that the only tag key in the request must be CostCenter",
)
case(
    ADD_TAG_ANY,
    "alice",
    "UntagUser CostCenter",
    lambda c: c.iam().untag_user(UserName="worker1", TagKeys=["CostCenter"]),
    IMPLICIT,
    "iam:UntagUser",
    "You can use this policy to limit tagging to a specific tag key and set of tag values",
)
case(
    ADD_TAG_ANY,
    "alice",
    "ListRoleTags",
    lambda c: c.iam().list_role_tags(RoleName="target-role"),
    ALLOW,
    "iam:ListRoleTags",
    "The ConsoleDisplay statement allows the viewing of tags for all users and roles in your account",
)

NEW_USER_TAG = Example(
    "IAM: Create new users only with specific tags",
    "reference_policies_examples_iam-new-user-tag",
    _doc(
        {
            "Sid": "TagUsersWithOnlyTheseTags",
            "Effect": "Allow",
            "Action": ["iam:CreateUser", "iam:TagUser"],
            "Resource": "*",
            "Condition": {
                "StringEqualsIfExists": {
                    "aws:RequestTag/Department": ["Development", "QualityAssurance"],
                    "aws:RequestTag/JobFunction": "Employee",
                },
                "ForAllValues:StringEquals": {"aws:TagKeys": ["Department", "JobFunction"]},
            },
        }
    ),
)


def _create_user(name: str, **tags: str) -> Callable[[Caller], Any]:
    extra: dict[str, Any] = {"Tags": [{"Key": k, "Value": v} for k, v in tags.items()]} if tags else {}
    return lambda c: c.iam().create_user(UserName=name, **extra)


_nut = "allows the creation of IAM users but only with one or both of the Department and JobFunction tag keys"
case(
    NEW_USER_TAG,
    "alice",
    "CreateUser with only Department=QualityAssurance",
    _create_user("new1", Department="QualityAssurance"),
    ALLOW,
    "iam:CreateUser",
    "For example, you can create an IAM user with only the Department=QualityAssurance tag",
)
case(
    NEW_USER_TAG,
    "alice",
    "CreateUser with Department=Development and JobFunction=Employee",
    _create_user("new2", Department="Development", JobFunction="Employee"),
    ALLOW,
    "iam:CreateUser",
    _nut,
)
case(
    NEW_USER_TAG,
    "alice",
    "CreateUser without tags",
    _create_user("new3"),
    ALLOW,
    "iam:CreateUser",
    "If neither key is present, then this condition is evaluated as true",
)
case(
    NEW_USER_TAG,
    "alice",
    "CreateUser with JobFunction=employee and Project=core",
    _create_user("new4", JobFunction="employee", Project="core"),
    IMPLICIT,
    "iam:CreateUser",
    "However, you cannot create an IAM user with the JobFunction=employee tag and the Project=core tag",
)
case(
    NEW_USER_TAG,
    "alice",
    "CreateUser with Department=Marketing",
    _create_user("new5", Department="Marketing"),
    IMPLICIT,
    "iam:CreateUser",
    "The Department tag key must have either the Development or QualityAssurance tag value",
)


def _groups(*names: str) -> Callable[[World], None]:
    def set_up(w: World) -> None:
        iam = w.root_client("iam")
        for name in names:
            iam.create_group(GroupName=name)
        iam.create_user(UserName="member1")

    return set_up


GROUP_MEMBERSHIP = Example(
    "IAM: Allows managing a group's membership programmatically and in the console",
    "reference_policies_examples_iam_manage-group-membership",
    _doc(
        {
            "Sid": "ViewGroups",
            "Effect": "Allow",
            "Action": ["iam:ListGroups", "iam:ListUsers", "iam:GetUser", "iam:ListGroupsForUser"],
            "Resource": "*",
        },
        {
            "Sid": "ViewEditThisGroup",
            "Effect": "Allow",
            "Action": ["iam:AddUserToGroup", "iam:RemoveUserFromGroup", "iam:GetGroup"],
            "Resource": "arn:aws:iam::*:group/MarketingTeam",
        },
    ),
    setup=_groups("MarketingTeam", "OtherTeam"),
)
_gm = "The ViewEditThisGroup statement allows the user to view information about the MarketingTeam group, and to add and remove users from that group"  # noqa: E501 (the page's sentence)
_gm_no = "This policy does not allow the user to view or edit the permissions of the users or the MarketingTeam group"


def _remove_member(group: str) -> Callable[[Caller], Any]:
    def call(c: Caller) -> Any:
        _root_iam(c).add_user_to_group(GroupName=group, UserName="member1")
        return c.iam().remove_user_from_group(GroupName=group, UserName="member1")

    return call


_gmx = GROUP_MEMBERSHIP
case(
    _gmx,
    "alice",
    "AddUserToGroup MarketingTeam",
    lambda c: c.iam().add_user_to_group(GroupName="MarketingTeam", UserName="member1"),
    ALLOW,
    "iam:AddUserToGroup",
    _gm,
)
case(
    _gmx,
    "alice",
    "RemoveUserFromGroup MarketingTeam",
    _remove_member("MarketingTeam"),
    ALLOW,
    "iam:RemoveUserFromGroup",
    _gm,
)
case(
    _gmx,
    "alice",
    "GetGroup MarketingTeam",
    lambda c: c.iam().get_group(GroupName="MarketingTeam"),
    ALLOW,
    "iam:GetGroup",
    _gm,
)
case(
    _gmx,
    "alice",
    "ListGroups",
    lambda c: c.iam().list_groups(),
    ALLOW,
    "iam:ListGroups",
    "The ViewGroups statement allows allows the user to list all the users and groups",
)
case(
    _gmx,
    "alice",
    "ListGroupsForUser",
    lambda c: c.iam().list_groups_for_user(UserName="member1"),
    ALLOW,
    "iam:ListGroupsForUser",
    "It also allows the user to view basic information about the users in the account",
)
case(
    _gmx,
    "alice",
    "AddUserToGroup OtherTeam",
    lambda c: c.iam().add_user_to_group(GroupName="OtherTeam", UserName="member1"),
    IMPLICIT,
    "iam:AddUserToGroup",
    "allows updating the membership of the group called MarketingTeam",
)
case(
    _gmx,
    "alice",
    "AttachGroupPolicy MarketingTeam",
    lambda c: c.iam().attach_group_policy(GroupName="MarketingTeam", PolicyArn=ADMIN),
    IMPLICIT,
    "iam:AttachGroupPolicy",
    _gm_no,
)
case(
    _gmx,
    "alice",
    "ListAttachedGroupPolicies MarketingTeam",
    lambda c: c.iam().list_attached_group_policies(GroupName="MarketingTeam"),
    IMPLICIT,
    "iam:ListAttachedGroupPolicies",
    _gm_no,
)

MANAGE_TAG = Example(
    "IAM: Manage a specific tag",
    "reference_policies_examples_iam-manage-tags",
    {
        "Version": "2012-10-17",
        "Statement": {
            "Effect": "Allow",
            "Action": ["iam:TagUser", "iam:TagRole", "iam:UntagUser", "iam:UntagRole"],
            "Resource": "*",
            "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": "Department"}},
        },
    },
    setup=_tag_targets,
)
_mt = "allows adding and removing the IAM tag with the tag key Department. This policy does not limit the value of the Department tag"  # noqa: E501 (the page's sentence)
case(
    MANAGE_TAG,
    "alice",
    "TagUser Department=Anything",
    _tag_user("worker1", Department="Anything"),
    ALLOW,
    "iam:TagUser",
    _mt,
)
case(
    MANAGE_TAG,
    "alice",
    "UntagUser Department",
    lambda c: c.iam().untag_user(UserName="worker1", TagKeys=["Department"]),
    ALLOW,
    "iam:UntagUser",
    _mt,
)
case(
    MANAGE_TAG, "alice", "TagRole Department=Ops", _tag_role("target-role", Department="Ops"), ALLOW, "iam:TagRole", _mt
)
case(
    MANAGE_TAG,
    "alice",
    "UntagRole Department",
    lambda c: c.iam().untag_role(RoleName="target-role", TagKeys=["Department"]),
    ALLOW,
    "iam:UntagRole",
    _mt,
)
case(MANAGE_TAG, "alice", "TagUser Project=X", _tag_user("worker1", Project="X"), IMPLICIT, "iam:TagUser", _mt)
case(
    MANAGE_TAG,
    "alice",
    "UntagRole Department and Project",
    lambda c: c.iam().untag_role(RoleName="target-role", TagKeys=["Department", "Project"]),
    IMPLICIT,
    "iam:UntagRole",
    _mt,
)

MANAGE_GROUP = Example(
    "IAM: Allows specific IAM users to manage a group programmatically and in the console",
    "reference_policies_examples_iam_users-manage-group",
    _doc(
        {"Sid": "AllowAllUsersToListAllGroups", "Effect": "Allow", "Action": "iam:ListGroups", "Resource": "*"},
        {
            "Sid": "AllowAllUsersToViewAndManageThisGroup",
            "Effect": "Allow",
            "Action": "iam:*Group*",
            "Resource": "arn:aws:iam::*:group/AllUsers",
        },
        {
            "Sid": "LimitGroupManagementAccessToSpecificUsers",
            "Effect": "Deny",
            "Action": [
                "iam:AddUserToGroup",
                "iam:CreateGroup",
                "iam:RemoveUserFromGroup",
                "iam:DeleteGroup",
                "iam:AttachGroupPolicy",
                "iam:UpdateGroup",
                "iam:DetachGroupPolicy",
                "iam:DeleteGroupPolicy",
                "iam:PutGroupPolicy",
            ],
            "Resource": "arn:aws:iam::*:group/AllUsers",
            "Condition": {"StringNotEquals": {"aws:username": ["srodriguez", "mjackson", "adesai"]}},
        },
    ),
    users=("srodriguez", "jdoe"),
    setup=_groups("AllUsers", "Other"),
)
_mg = "When a user specified in the policy attempts to make changes to the group, this statement does not deny the request"  # noqa: E501 (the page's sentence)
_mg_no = "If other users attempt to perform these operations, the request is denied"
_mgv = "The AllowAllUsersToViewAndManageThisGroup statement allows all group actions that can be performed on the group resource type"  # noqa: E501 (the page's sentence)
_group_policy = json.dumps(_doc({"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"}))
_mgx = MANAGE_GROUP
case(
    _mgx,
    "srodriguez",
    "AddUserToGroup AllUsers (a listed user)",
    lambda c: c.iam().add_user_to_group(GroupName="AllUsers", UserName="member1"),
    ALLOW,
    "iam:AddUserToGroup",
    _mg,
)
case(
    _mgx,
    "srodriguez",
    "RemoveUserFromGroup AllUsers (a listed user)",
    _remove_member("AllUsers"),
    ALLOW,
    "iam:RemoveUserFromGroup",
    _mg,
)
case(
    _mgx,
    "srodriguez",
    "PutGroupPolicy AllUsers (a listed user)",
    lambda c: c.iam().put_group_policy(GroupName="AllUsers", PolicyName="p", PolicyDocument=_group_policy),
    ALLOW,
    "iam:PutGroupPolicy",
    _mg,
)
case(
    _mgx,
    "jdoe",
    "AddUserToGroup AllUsers (another user)",
    lambda c: c.iam().add_user_to_group(GroupName="AllUsers", UserName="member1"),
    EXPLICIT,
    "iam:AddUserToGroup",
    _mg_no,
)
case(
    _mgx,
    "jdoe",
    "PutGroupPolicy AllUsers (another user)",
    lambda c: c.iam().put_group_policy(GroupName="AllUsers", PolicyName="p", PolicyDocument=_group_policy),
    EXPLICIT,
    "iam:PutGroupPolicy",
    _mg_no,
)
case(
    _mgx,
    "jdoe",
    "GetGroup AllUsers (another user)",
    lambda c: c.iam().get_group(GroupName="AllUsers"),
    ALLOW,
    "iam:GetGroup",
    _mgv,
)
case(
    _mgx,
    "jdoe",
    "ListGroups",
    lambda c: c.iam().list_groups(),
    ALLOW,
    "iam:ListGroups",
    "The AllowAllUsersToListAllGroups statement allows listing all groups",
)
case(
    _mgx,
    "srodriguez",
    "ListGroupsForUser",
    lambda c: c.iam().list_groups_for_user(UserName="member1"),
    IMPLICIT,
    "iam:ListGroupsForUser",
    "It does not allow the ListGroupsForUser action, which can be performed on a user "
    "resource type and not a group resource type",
)
case(
    _mgx,
    "srodriguez",
    "AddUserToGroup Other",
    lambda c: c.iam().add_user_to_group(GroupName="Other", UserName="member1"),
    IMPLICIT,
    "iam:AddUserToGroup",
    "allows specific IAM users to manage the AllUsers group",
)

# --------------------------------------------------------------------------- the test


@pytest.mark.parametrize("c", CASES, ids=[case_id(c) for c in CASES])
def test_example_policy(worlds: Worlds, c: Case) -> None:
    check(worlds, c)

"""Account aliases, GetAccountSummary, GetAccountAuthorizationDetails, ListEntitiesForPolicy."""

from __future__ import annotations

import json

import pytest
from iam_harness import Iam

from iamsandbox import errors

S3_READ = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": "222222222222"}, "Action": "sts:AssumeRole"}],
    }
)
DOC = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]})


def test_account_alias(iam: Iam) -> None:
    assert iam("ListAccountAliases")["AccountAliases"] == []
    iam("CreateAccountAlias", AccountAlias="trusting")
    assert iam("ListAccountAliases")["AccountAliases"] == ["trusting"]
    iam.account = "222222222222"
    with pytest.raises(errors.EntityAlreadyExists):
        iam("CreateAccountAlias", AccountAlias="trusting")
    iam.account = "111111111111"
    with pytest.raises(errors.NoSuchEntity):
        iam("DeleteAccountAlias", AccountAlias="other")
    iam("DeleteAccountAlias", AccountAlias="trusting")
    assert iam("ListAccountAliases")["AccountAliases"] == []


def test_no_account_password_policy(iam: Iam) -> None:
    # GetAccountPasswordPolicy / DeleteAccountPasswordPolicy (IAM API reference): an account
    # without a custom password policy answers NoSuchEntity (404). Delete's message is the one
    # "Use DeleteAccountPasswordPolicy with a CLI" (IAM User Guide code examples) quotes.
    messages = {
        "GetAccountPasswordPolicy": "The Password Policy with domain name 111111111111 cannot be found.",
        "DeleteAccountPasswordPolicy": "The account policy with name PasswordPolicy cannot be found.",
    }
    for operation, message in messages.items():
        with pytest.raises(errors.NoSuchEntity) as raised:
            iam(operation)
        assert raised.value.status == 404
        assert raised.value.message == message


def test_account_summary(iam: Iam) -> None:
    iam("CreateUser", UserName="u")
    iam("CreateRole", RoleName="r", AssumeRolePolicyDocument=TRUST)
    iam("CreatePolicy", PolicyName="p", PolicyDocument=DOC)
    summary = iam("GetAccountSummary")["SummaryMap"]
    assert (summary["Users"], summary["Roles"], summary["Groups"], summary["Policies"]) == (1, 1, 0, 1)
    assert summary["AttachedPoliciesPerRoleQuota"] == 10 and summary["VersionsPerPolicyQuota"] == 5


def test_authorization_details(iam: Iam) -> None:
    iam("CreateUser", UserName="u")
    iam("CreateGroup", GroupName="g")
    iam("AddUserToGroup", GroupName="g", UserName="u")
    iam("PutUserPolicy", UserName="u", PolicyName="inline", PolicyDocument=DOC)
    iam("CreateRole", RoleName="r", AssumeRolePolicyDocument=TRUST)
    iam("AttachRolePolicy", RoleName="r", PolicyArn=S3_READ)
    arn = iam("CreatePolicy", PolicyName="p", PolicyDocument=DOC)["Policy"]["Arn"]
    iam("AttachGroupPolicy", GroupName="g", PolicyArn=arn)
    details = iam("GetAccountAuthorizationDetails")
    user = details["UserDetailList"][0]
    assert user["GroupList"] == ["g"] and user["UserPolicyList"][0]["PolicyName"] == "inline"
    assert details["RoleDetailList"][0]["AttachedManagedPolicies"] == [
        {"PolicyName": "AmazonS3ReadOnlyAccess", "PolicyArn": S3_READ}
    ]
    assert sorted(p["Arn"] for p in details["Policies"]) == sorted([arn, S3_READ])
    assert details["IsTruncated"] is False
    only_roles = iam("GetAccountAuthorizationDetails", Filter=["Role"])
    assert only_roles["UserDetailList"] == [] and len(only_roles["RoleDetailList"]) == 1
    paged = iam("GetAccountAuthorizationDetails", MaxItems=2)
    assert paged["IsTruncated"] and len(paged["UserDetailList"]) + len(paged["GroupDetailList"]) == 2


def test_list_entities_for_policy(iam: Iam) -> None:
    iam("CreateUser", UserName="u")
    iam("CreateRole", RoleName="r", AssumeRolePolicyDocument=TRUST)
    iam("AttachUserPolicy", UserName="u", PolicyArn=S3_READ)
    iam("PutRolePermissionsBoundary", RoleName="r", PermissionsBoundary=S3_READ)
    both = iam("ListEntitiesForPolicy", PolicyArn=S3_READ)
    assert [u["UserName"] for u in both["PolicyUsers"]] == ["u"] and [r["RoleName"] for r in both["PolicyRoles"]] == [
        "r"
    ]
    attached = iam("ListEntitiesForPolicy", PolicyArn=S3_READ, PolicyUsageFilter="PermissionsPolicy")
    assert attached["PolicyRoles"] == []
    boundary = iam("ListEntitiesForPolicy", PolicyArn=S3_READ, PolicyUsageFilter="PermissionsBoundary")
    assert boundary["PolicyUsers"] == [] and len(boundary["PolicyRoles"]) == 1
    assert iam("ListEntitiesForPolicy", PolicyArn=S3_READ, EntityFilter="Role")["PolicyUsers"] == []
    # Another account sees no attachments of this one.
    iam.account = "222222222222"
    assert iam("ListEntitiesForPolicy", PolicyArn=S3_READ)["PolicyUsers"] == []


@pytest.mark.parametrize("alias", ["123456789012", "000000000000"])
def test_an_alias_may_not_be_twelve_digits(iam: Iam, alias: str) -> None:
    # IAM name requirements ("IAM and AWS STS quotas"): an account alias "cannot be a 12
    # digit number" (it would read as an account ID); 11 or 13 digits are aliases.
    with pytest.raises(errors.ValidationError):
        iam("CreateAccountAlias", AccountAlias=alias)
    assert iam("ListAccountAliases")["AccountAliases"] == []
    iam("CreateAccountAlias", AccountAlias=alias + "3")
    assert iam("ListAccountAliases")["AccountAliases"] == [alias + "3"]

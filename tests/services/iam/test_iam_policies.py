"""Managed policies, versions, inline policies and attachments through the handlers."""

from __future__ import annotations

import json
import re
from urllib.parse import unquote

import pytest
from iam_harness import ACCOUNT, Iam

from iamsandbox import errors

S3_READ = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}],
    }
)


def doc(action: str = "s3:GetObject", version: str | None = "2012-10-17", resource: str = "*") -> str:
    body: dict[str, object] = {"Statement": [{"Effect": "Allow", "Action": action, "Resource": resource}]}
    if version:
        body["Version"] = version
    return json.dumps(body)


def test_create_get_delete_policy(iam: Iam) -> None:
    policy = iam(
        "CreatePolicy",
        PolicyName="my-s3-x-account-policy",
        PolicyDocument=doc(),
        Path="/x/",
        Description="d",
        Tags=[{"Key": "t", "Value": "1"}],
    )["Policy"]
    arn = f"arn:aws:iam::{ACCOUNT}:policy/x/my-s3-x-account-policy"
    assert policy["Arn"] == arn and policy["PolicyId"].startswith("ANPA") and policy["DefaultVersionId"] == "v1"
    assert policy["AttachmentCount"] == 0 and policy["IsAttachable"] is True
    with pytest.raises(errors.EntityAlreadyExists):
        iam("CreatePolicy", PolicyName="my-s3-x-account-policy", PolicyDocument=doc())
    got = iam("GetPolicy", PolicyArn=arn)["Policy"]
    assert got["Description"] == "d" and got["Tags"] == [{"Key": "t", "Value": "1"}]
    iam("DeletePolicy", PolicyArn=arn)
    # Recorded from AWS (LocalStack's test_iam snapshot, test_delete_non_existent_policy...).
    with pytest.raises(errors.NoSuchEntity, match=f"^Policy {arn} was not found.$"):
        iam("DeletePolicy", PolicyArn=arn)


def test_delete_policy_with_versions_is_a_conflict(iam: Iam) -> None:
    """DeletePolicy (IAM API reference): "you must delete all the policy's versions" other
    than the default one first; AWS answers DeleteConflict (409) with this wording."""
    arn = iam("CreatePolicy", PolicyName="versioned", PolicyDocument=doc())["Policy"]["Arn"]
    iam("CreatePolicyVersion", PolicyArn=arn, PolicyDocument=doc(), SetAsDefault=True)
    with pytest.raises(errors.DeleteConflict, match="^This policy has more than one version. Before you delete"):
        iam("DeletePolicy", PolicyArn=arn)
    assert iam("GetPolicy", PolicyArn=arn)["Policy"]["DefaultVersionId"] == "v2"
    iam("DeletePolicyVersion", PolicyArn=arn, VersionId="v1")
    iam("DeletePolicy", PolicyArn=arn)
    with pytest.raises(errors.NoSuchEntity):
        iam("GetPolicy", PolicyArn=arn)


def test_update_date_follows_the_versions_left(iam: Iam) -> None:
    """Policy (IAM API reference), UpdateDate: "When a policy has only one version, this
    field contains the date and time when the policy was created. When a policy has more
    than one version, this field contains the date and time when the most recent policy
    version was created." Deleting the newest version makes the one before it the newest."""
    created = iam("CreatePolicy", PolicyName="dated", PolicyDocument=doc())["Policy"]
    arn = created["Arn"]
    v2 = iam("CreatePolicyVersion", PolicyArn=arn, PolicyDocument=doc("s3:PutObject"))["PolicyVersion"]
    v3 = iam("CreatePolicyVersion", PolicyArn=arn, PolicyDocument=doc("s3:ListBucket"))["PolicyVersion"]
    assert created["CreateDate"] < v2["CreateDate"] < v3["CreateDate"]
    assert iam("GetPolicy", PolicyArn=arn)["Policy"]["UpdateDate"] == v3["CreateDate"]
    iam("DeletePolicyVersion", PolicyArn=arn, VersionId="v3")
    assert iam("GetPolicy", PolicyArn=arn)["Policy"]["UpdateDate"] == v2["CreateDate"]
    iam("SetDefaultPolicyVersion", PolicyArn=arn, VersionId="v2")
    iam("DeletePolicyVersion", PolicyArn=arn, VersionId="v1")
    assert iam("GetPolicy", PolicyArn=arn)["Policy"]["UpdateDate"] == created["CreateDate"]


def test_managed_policy_needs_version_2012(iam: Iam) -> None:
    with pytest.raises(
        errors.MalformedPolicyDocument, match="^Policy document must be version 2012-10-17 or greater.$"
    ):
        iam("CreatePolicy", PolicyName="old", PolicyDocument=doc(version="2008-10-17"))
    with pytest.raises(errors.MalformedPolicyDocument, match="2012-10-17"):
        iam("CreatePolicy", PolicyName="none", PolicyDocument=doc(version=None))


def test_managed_policy_size(iam: Iam) -> None:
    big = doc(resource="arn:aws:s3:::" + "b" * 6200)
    with pytest.raises(errors.LimitExceeded, match="^Cannot exceed quota for PolicySize: 6144$"):
        iam("CreatePolicy", PolicyName="big", PolicyDocument=big)


def test_policy_versions(iam: Iam) -> None:
    arn = iam("CreatePolicy", PolicyName="p", PolicyDocument=doc())["Policy"]["Arn"]
    for i in range(2, 6):
        version = iam("CreatePolicyVersion", PolicyArn=arn, PolicyDocument=doc(f"s3:Get{i}"), SetAsDefault=True)
        assert version["PolicyVersion"]["VersionId"] == f"v{i}" and version["PolicyVersion"]["IsDefaultVersion"]
    with pytest.raises(errors.LimitExceeded) as raised:
        iam("CreatePolicyVersion", PolicyArn=arn, PolicyDocument=doc())
    assert raised.value.message == (
        "A managed policy can have up to 5 versions. Before you create a new version,"
        " you must delete an existing version."
    )
    assert iam("GetPolicy", PolicyArn=arn)["Policy"]["DefaultVersionId"] == "v5"
    got = iam("GetPolicyVersion", PolicyArn=arn, VersionId="v3")["PolicyVersion"]
    assert json.loads(unquote(got["Document"]))["Statement"][0]["Action"] == "s3:Get3"
    assert not got["IsDefaultVersion"]
    with pytest.raises(errors.DeleteConflict, match="default version"):
        iam("DeletePolicyVersion", PolicyArn=arn, VersionId="v5")
    newest = max(v["CreateDate"] for v in iam("ListPolicyVersions", PolicyArn=arn)["Versions"])
    iam("SetDefaultPolicyVersion", PolicyArn=arn, VersionId="v1")
    # Policy, UpdateDate: "When a policy has more than one version, this field contains the
    # date and time when the most recent policy version was created" (IAM API reference).
    assert iam("GetPolicy", PolicyArn=arn)["Policy"]["UpdateDate"] == newest
    iam("DeletePolicyVersion", PolicyArn=arn, VersionId="v5")
    versions = iam("ListPolicyVersions", PolicyArn=arn)["Versions"]
    assert sorted(v["VersionId"] for v in versions) == ["v1", "v2", "v3", "v4"]
    iam("CreatePolicyVersion", PolicyArn=arn, PolicyDocument=doc())  # v6: ids are never reused
    assert "v6" in [v["VersionId"] for v in iam("ListPolicyVersions", PolicyArn=arn)["Versions"]]
    with pytest.raises(errors.NoSuchEntity):
        iam("GetPolicyVersion", PolicyArn=arn, VersionId="v5")


def test_aws_managed_policies(iam: Iam) -> None:
    got = iam("GetPolicy", PolicyArn=S3_READ)["Policy"]
    assert got["PolicyName"] == "AmazonS3ReadOnlyAccess" and got["Path"] == "/"
    version = iam("GetPolicyVersion", PolicyArn=S3_READ, VersionId=got["DefaultVersionId"])["PolicyVersion"]
    assert "s3:Get*" in unquote(version["Document"])
    aws = iam("ListPolicies", Scope="AWS", MaxItems=1000)
    assert len(aws["Policies"]) == 1000 and aws["IsTruncated"]
    iam("CreatePolicy", PolicyName="mine", PolicyDocument=doc())
    local = iam("ListPolicies", Scope="Local")["Policies"]
    assert [p["PolicyName"] for p in local] == ["mine"]
    assert iam("ListPolicies", OnlyAttached=True)["Policies"] == []
    iam(
        "CreateRole",
        RoleName="r",
        AssumeRolePolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}
                ],
            }
        ),
    )
    iam("AttachRolePolicy", RoleName="r", PolicyArn=S3_READ)
    attached = iam("ListPolicies", OnlyAttached=True)["Policies"]
    assert [(p["Arn"], p["AttachmentCount"]) for p in attached] == [(S3_READ, 1)]
    job = iam("ListPolicies", Scope="AWS", PathPrefix="/job-function/")["Policies"]
    assert job and all(p["Path"] == "/job-function/" for p in job)


def test_invalid_and_missing_policy_arns(iam: Iam) -> None:
    iam("CreateUser", UserName="u")
    # Recorded from AWS in February 2026 for AttachRolePolicy (LocalStack's
    # tests/aws/services/iam/test_iam_roles.snapshot.json, non-existent-malformed-policy-arn;
    # in June 2025 IAM answered "Invalid ARN:  Could not be parsed!", test_iam's
    # test_user_attach_policy), and the missing policy's answer (test_user_attach_policy).
    with pytest.raises(errors.ValidationError, match="^ARN not-an-arn-at-all-xxxxx is not valid.$"):
        iam("AttachUserPolicy", UserName="u", PolicyArn="not-an-arn-at-all-xxxxx")
    iam("CreateRole", RoleName="r2", AssumeRolePolicyDocument=TRUST)
    with pytest.raises(errors.ValidationError, match="^ARN longpolicynamebutnoarn is not valid.$"):
        iam("AttachRolePolicy", RoleName="r2", PolicyArn="longpolicynamebutnoarn")
    missing = f"arn:aws:iam::{ACCOUNT}:policy/p123"
    with pytest.raises(errors.NoSuchEntity, match=f"^Policy {missing} does not exist or is not attachable.$"):
        iam("AttachUserPolicy", UserName="u", PolicyArn=missing)
    with pytest.raises(errors.NoSuchEntity, match="was not found"):
        iam("DetachUserPolicy", UserName="u", PolicyArn=S3_READ)
    # An ARN that is no managed policy's: 400 InvalidInput "ARN ... is not valid." (AWS's
    # answer to a doubled ARN, as aws-samples/aws-cdk-examples#287 quotes it); IAM checks
    # every element of a resource ARN: no Region, the partition, the resource type.
    for invalid in (
        "arn:aws:iam::aws:policy/arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess",
        "arn:aws:iam:us-east-1:aws:policy/ReadOnlyAccess",
        f"arn:aws:iam::{ACCOUNT}:role/r",
        "arn:aws:iam::aws:policy/ReadOnlyAccess ",
    ):
        with pytest.raises(errors.InvalidInput, match=f"^ARN {re.escape(invalid)} is not valid.$"):
            iam("AttachUserPolicy", UserName="u", PolicyArn=invalid)


def test_service_role_policies_attach_to_no_customer_entity(iam: Iam) -> None:
    # PolicyNotAttachable (IAM API reference): "Amazon Web Services service role policies can
    # only be attached to the service-linked role for that service"; AWS's words for a role
    # as aws/aws-cdk#6131 records them.
    service_role = "arn:aws:iam::aws:policy/aws-service-role/AWSSupportServiceRolePolicy"
    iam("CreateUser", UserName="u")
    iam("CreateGroup", GroupName="g")
    iam("CreateRole", RoleName="r", AssumeRolePolicyDocument=TRUST)
    for operation, member, name in (
        ("AttachRolePolicy", "RoleName", "r"),
        ("AttachUserPolicy", "UserName", "u"),
        ("AttachGroupPolicy", "GroupName", "g"),
    ):
        with pytest.raises(
            errors.PolicyNotAttachable, match="^Cannot attach a Service Role Policy to a Customer Role.$"
        ):
            iam(operation, **{member: name}, PolicyArn=service_role)
    assert iam("ListAttachedRolePolicies", RoleName="r")["AttachedPolicies"] == []
    # A service-role/ policy (not aws-service-role/) is an ordinary AWS managed policy.
    iam("AttachRolePolicy", RoleName="r", PolicyArn="arn:aws:iam::aws:policy/service-role/AWSLambdaRole")


def test_attachments_and_quota(iam: Iam) -> None:
    iam("CreateGroup", GroupName="g")
    arns = [iam("CreatePolicy", PolicyName=f"p{i}", PolicyDocument=doc())["Policy"]["Arn"] for i in range(11)]
    for arn in arns[:10]:
        iam("AttachGroupPolicy", GroupName="g", PolicyArn=arn)
    iam("AttachGroupPolicy", GroupName="g", PolicyArn=arns[0])  # again: no change
    with pytest.raises(errors.LimitExceeded, match="^Cannot exceed quota for PoliciesPerGroup: 10$"):
        iam("AttachGroupPolicy", GroupName="g", PolicyArn=arns[10])
    listed = iam("ListAttachedGroupPolicies", GroupName="g", MaxItems=3)
    assert listed["AttachedPolicies"][0] == {"PolicyName": "p0", "PolicyArn": arns[0]} and listed["IsTruncated"]
    assert iam("GetPolicy", PolicyArn=arns[0])["Policy"]["AttachmentCount"] == 1
    with pytest.raises(errors.DeleteConflict, match="^Cannot delete a policy attached to entities.$"):
        iam("DeletePolicy", PolicyArn=arns[0])
    entities = iam("ListEntitiesForPolicy", PolicyArn=arns[0])
    assert [g["GroupName"] for g in entities["PolicyGroups"]] == ["g"] and entities["PolicyUsers"] == []
    iam("DetachGroupPolicy", GroupName="g", PolicyArn=arns[0])
    iam("DeletePolicy", PolicyArn=arns[0])


def test_role_attachment_quota_message(iam: Iam) -> None:
    iam(
        "CreateRole",
        RoleName="r",
        AssumeRolePolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}
                ],
            }
        ),
    )
    names = [p["Arn"] for p in iam("ListPolicies", Scope="AWS", MaxItems=11)["Policies"]]
    for arn in names[:10]:
        iam("AttachRolePolicy", RoleName="r", PolicyArn=arn)
    with pytest.raises(errors.LimitExceeded, match="^Cannot exceed quota for PoliciesPerRole: 10$"):
        iam("AttachRolePolicy", RoleName="r", PolicyArn=names[10])
    assert len(iam("ListAttachedRolePolicies", RoleName="r")["AttachedPolicies"]) == 10


def test_inline_policies(iam: Iam) -> None:
    iam("CreateUser", UserName="u")
    iam("PutUserPolicy", UserName="u", PolicyName="a", PolicyDocument=doc())
    iam("PutUserPolicy", UserName="u", PolicyName="a", PolicyDocument=doc("s3:PutObject"))  # replaces
    got = iam("GetUserPolicy", UserName="u", PolicyName="a")
    assert got["UserName"] == "u" and "s3:PutObject" in unquote(got["PolicyDocument"])
    assert iam("ListUserPolicies", UserName="u")["PolicyNames"] == ["a"]
    with pytest.raises(errors.NoSuchEntity, match="^The user policy with name b cannot be found.$"):
        iam("GetUserPolicy", UserName="u", PolicyName="b")
    # Inline policies count together per entity, white space not counted: 2,048 for a user.
    half = doc(resource="arn:aws:s3:::" + "x" * 900)
    iam("PutUserPolicy", UserName="u", PolicyName="b", PolicyDocument=half)
    with pytest.raises(errors.LimitExceeded, match="^Maximum policy size of 2048 bytes exceeded for user u$"):
        iam("PutUserPolicy", UserName="u", PolicyName="c", PolicyDocument=half)
    iam("DeleteUserPolicy", UserName="u", PolicyName="a")
    with pytest.raises(errors.NoSuchEntity):
        iam("DeleteUserPolicy", UserName="u", PolicyName="a")
    iam("CreateGroup", GroupName="g")
    iam("PutGroupPolicy", GroupName="g", PolicyName="gp", PolicyDocument=doc(version=None))  # inline: no Version ok
    assert iam("GetGroupPolicy", GroupName="g", PolicyName="gp")["GroupName"] == "g"
    assert iam("ListGroupPolicies", GroupName="g")["PolicyNames"] == ["gp"]
    iam("DeleteGroupPolicy", GroupName="g", PolicyName="gp")
    with pytest.raises(errors.MalformedPolicyDocument, match="should not specify a principal"):
        iam(
            "PutGroupPolicy",
            GroupName="g",
            PolicyName="bad",
            PolicyDocument=json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*"}],
                }
            ),
        )
    with pytest.raises(errors.NoSuchEntity, match="^The role with name nobody cannot be found.$"):
        iam("PutRolePolicy", RoleName="nobody", PolicyName="p", PolicyDocument=doc())


def test_role_inline_limit_is_10240(iam: Iam) -> None:
    iam(
        "CreateRole",
        RoleName="r",
        AssumeRolePolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}
                ],
            }
        ),
    )
    big = doc(resource="arn:aws:s3:::" + "x" * 8000)  # over a managed policy's 6,144, under 10,240
    iam("PutRolePolicy", RoleName="r", PolicyName="big", PolicyDocument=big)
    with pytest.raises(errors.LimitExceeded, match="^Maximum policy size of 10240 bytes exceeded for role r$"):
        iam("PutRolePolicy", RoleName="r", PolicyName="big2", PolicyDocument=doc(resource="arn:aws:s3:::" + "y" * 3000))


def test_policy_tags(iam: Iam) -> None:
    arn = iam("CreatePolicy", PolicyName="p", PolicyDocument=doc())["Policy"]["Arn"]
    iam("TagPolicy", PolicyArn=arn, Tags=[{"Key": "a", "Value": "1"}])
    iam("TagPolicy", PolicyArn=arn, Tags=[{"Key": "a", "Value": "2"}, {"Key": "b", "Value": "3"}])
    iam("UntagPolicy", PolicyArn=arn, TagKeys=["b"])
    assert iam("ListPolicyTags", PolicyArn=arn)["Tags"] == [{"Key": "a", "Value": "2"}]


def test_list_policy_tags_lists_shorter_keys_first(iam: Iam) -> None:
    # Recorded from AWS in February 2026 (LocalStack's test_iam_policies snapshot,
    # test_policy_tag_order and list-case-sensitive-tags): abc, b, z, a are listed a, b, z,
    # abc; a, A as A, a. GetPolicy keeps the order given.
    given = [{"Key": key, "Value": key} for key in ("abc", "b", "z", "a")]
    arn = iam("CreatePolicy", PolicyName="p", PolicyDocument=doc(), Tags=given)["Policy"]["Arn"]
    assert [tag["Key"] for tag in iam("ListPolicyTags", PolicyArn=arn)["Tags"]] == ["a", "b", "z", "abc"]
    assert [tag["Key"] for tag in iam("GetPolicy", PolicyArn=arn)["Policy"]["Tags"]] == ["abc", "b", "z", "a"]
    cased = [{"Key": "a", "Value": "1"}, {"Key": "A", "Value": "2"}]
    arn = iam("CreatePolicy", PolicyName="q", PolicyDocument=doc(), Tags=cased)["Policy"]["Arn"]
    assert [tag["Key"] for tag in iam("ListPolicyTags", PolicyArn=arn)["Tags"]] == ["A", "a"]

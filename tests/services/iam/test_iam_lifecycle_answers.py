"""IAM answers a black-box review of the entities' life cycle found different from AWS's.

- DeleteUser's DeleteConflict, in AWS's recorded words: a signing certificate "Cannot delete
  entity, must delete certificates first." (rebuy-de/aws-nuke#671), an SSH public key
  "Cannot delete entity, must remove referenced objects first." (aws-nuke#470, #522).
- PutUserPermissionsBoundary / PutRolePermissionsBoundary list PolicyNotAttachable: "AWS
  service role policies can only be attached to the service-linked role for that service"
  (IAM API Reference), as Attach* refuses them.
- "Tagging IAM resources": AWS's answer to duplicate keys says "Tag keys are case
  insensitive"; one TagPolicy request with keys that differ only in case is refused as a
  CreatePolicy with them is, while separate requests keep both (policy keys are case
  sensitive).
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from iam_harness import Iam

from iamsandbox import errors
from x509_material import certificate, rsa_key, ssh_rsa

DOCUMENT = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]})
TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:root"}, "Action": "sts:AssumeRole"}
        ],
    }
)
SERVICE_ROLE_POLICY = "arn:aws:iam::aws:policy/aws-service-role/AWSSupportServiceRolePolicy"


def test_delete_user_names_what_is_left_as_aws_does(iam: Iam) -> None:
    iam("CreateUser", UserName="certified")
    iam("UploadSigningCertificate", UserName="certified", CertificateBody=certificate(rsa_key(), "certified"))
    with pytest.raises(errors.DeleteConflict, match="^Cannot delete entity, must delete certificates first.$"):
        iam("DeleteUser", UserName="certified")
    iam("CreateUser", UserName="keyed")
    iam("UploadSSHPublicKey", UserName="keyed", SSHPublicKeyBody=ssh_rsa(rsa_key()))
    with pytest.raises(errors.DeleteConflict, match="^Cannot delete entity, must remove referenced objects first.$"):
        iam("DeleteUser", UserName="keyed")


def test_a_service_role_policy_is_no_permissions_boundary(iam: Iam) -> None:
    iam("CreateUser", UserName="u1")
    with pytest.raises(errors.PolicyNotAttachable):
        iam("PutUserPermissionsBoundary", UserName="u1", PermissionsBoundary=SERVICE_ROLE_POLICY)
    with pytest.raises(errors.PolicyNotAttachable):
        iam("CreateUser", UserName="u2", PermissionsBoundary=SERVICE_ROLE_POLICY)
    assert "PermissionsBoundary" not in iam("GetUser", UserName="u1")["User"]


def test_tag_keys_differing_in_case_are_two_keys_of_a_policy_and_one_of_a_role(iam: Iam) -> None:
    # Recorded from AWS (LocalStack's tests/aws/services/iam/test_iam_policies.snapshot.json,
    # create-with-case-sensitive-tags, err-duplicate-keys; test_iam_roles.snapshot.json,
    # list-role-tags-after-update; February 2026), as "Tagging IAM resources" says: a
    # policy's keys are case sensitive, a role's are not (the tag keeps its place).
    arn = iam(
        "CreatePolicy",
        PolicyName="p",
        PolicyDocument=DOCUMENT,
        Tags=[{"Key": "a", "Value": "lowercase"}, {"Key": "A", "Value": "uppercase"}],
    )["Policy"]["Arn"]
    iam("TagPolicy", PolicyArn=arn, Tags=[{"Key": "b", "Value": "1"}, {"Key": "B", "Value": "2"}])
    tags = {tag["Key"]: tag["Value"] for tag in iam("ListPolicyTags", PolicyArn=arn)["Tags"]}
    assert tags == {"a": "lowercase", "A": "uppercase", "b": "1", "B": "2"}
    with pytest.raises(errors.InvalidInput, match="^Duplicate tag keys found.$"):
        iam("TagPolicy", PolicyArn=arn, Tags=[{"Key": "0", "Value": ""}, {"Key": "0", "Value": ""}])
    iam("CreateRole", RoleName="r", AssumeRolePolicyDocument=TRUST)
    iam("TagRole", RoleName="r", Tags=[{"Key": "somekey", "Value": "v"}, {"Key": "someotherkey", "Value": "w"}])
    iam("TagRole", RoleName="r", Tags=[{"Key": "somekey", "Value": "updatedvalue"}])
    assert iam("ListRoleTags", RoleName="r")["Tags"] == [
        {"Key": "somekey", "Value": "updatedvalue"},
        {"Key": "someotherkey", "Value": "w"},
    ]
    iam("TagRole", RoleName="r", Tags=[{"Key": "SOMEKEY", "Value": ""}])
    assert [tag["Key"] for tag in iam("ListRoleTags", RoleName="r")["Tags"]] == ["SOMEKEY", "someotherkey"]
    with pytest.raises(
        errors.InvalidInput, match="^Duplicate tag keys found. Please note that Tag keys are case insensitive.$"
    ):
        iam("TagRole", RoleName="r", Tags=[{"Key": "k", "Value": ""}, {"Key": "K", "Value": ""}])


def test_untagged_entities_answer_empty_tags_where_aws_does(iam: Iam) -> None:
    # Recorded from AWS (LocalStack's tests/aws/services/iam/ snapshots, February 2026):
    # GetPolicy answers "Tags": [] for a customer managed and an AWS managed policy
    # (test_iam_policies get-policy-response, test_iam_managed_policies get-policy);
    # GetAccountAuthorizationDetails answers a user's and a role's "Tags": [] and a user's
    # UserPolicyList only when it has inline policies, a group's GroupPolicyList and a role's
    # RolePolicyList always (test_iam_account_authorization_details no-filter-result).
    arn = iam("CreatePolicy", PolicyName="p", PolicyDocument=DOCUMENT)["Policy"]["Arn"]
    assert iam("GetPolicy", PolicyArn=arn)["Policy"]["Tags"] == []
    managed = iam("GetPolicy", PolicyArn="arn:aws:iam::aws:policy/IAMUserChangePassword")["Policy"]
    assert managed["Tags"] == []
    iam("CreateUser", UserName="u")
    iam("CreateGroup", GroupName="g")
    iam("CreateRole", RoleName="r", AssumeRolePolicyDocument=TRUST)
    details = iam("GetAccountAuthorizationDetails", Filter=["User", "Group", "Role"])
    (user,) = details["UserDetailList"]
    assert user["Tags"] == [] and "UserPolicyList" not in user
    assert user["GroupList"] == [] and user["AttachedManagedPolicies"] == []
    (group,) = details["GroupDetailList"]
    assert group["GroupPolicyList"] == [] and group["AttachedManagedPolicies"] == []
    (role,) = details["RoleDetailList"]
    assert role["Tags"] == [] and role["RolePolicyList"] == [] and role["InstanceProfileList"] == []
    assert role["RoleLastUsed"] == {}
    iam("PutUserPolicy", UserName="u", PolicyName="inline", PolicyDocument=DOCUMENT)
    (user,) = iam("GetAccountAuthorizationDetails", Filter=["User"])["UserDetailList"]
    assert [p["PolicyName"] for p in user["UserPolicyList"]] == ["inline"]


def test_missing_policies_and_entity_filters_in_aws_words(iam: Iam) -> None:
    # Recorded from AWS (LocalStack's tests/aws/services/iam/test_iam_policies.snapshot.json:
    # err-get-version-nonexistent-policy, err-set-default-nonexistent-policy,
    # err-nonexistent-policy, filter-local-managed-policy; test_iam_roles.snapshot.json:
    # invalid-json-error; February 2026).
    missing = f"arn:aws:iam::{iam.account}:policy/TestNonExistingPolicy"
    gone = f"^Policy {missing} version v1 does not exist or is not attachable.$"
    with pytest.raises(errors.NoSuchEntity, match=gone):
        iam("GetPolicyVersion", PolicyArn=missing, VersionId="v1")
    with pytest.raises(errors.NoSuchEntity, match=gone):
        iam("SetDefaultPolicyVersion", PolicyArn=missing, VersionId="v1")
    with pytest.raises(errors.NoSuchEntity, match=f"^Policy {missing} does not exist or is not attachable.$"):
        iam("ListEntitiesForPolicy", PolicyArn=missing)
    arn = iam("CreatePolicy", PolicyName="p", PolicyDocument=DOCUMENT)["Policy"]["Arn"]
    iam("CreateUser", UserName="u")
    iam("AttachUserPolicy", UserName="u", PolicyArn=arn)
    assert [u["UserName"] for u in iam("ListEntitiesForPolicy", PolicyArn=arn)["PolicyUsers"]] == ["u"]
    for entity_filter in ("LocalManagedPolicy", "AWSManagedPolicy"):
        listed = iam("ListEntitiesForPolicy", PolicyArn=arn, EntityFilter=entity_filter)
        assert (listed["PolicyUsers"], listed["PolicyGroups"], listed["PolicyRoles"]) == ([], [], [])
    iam("CreateRole", RoleName="r", AssumeRolePolicyDocument=TRUST)
    with pytest.raises(errors.MalformedPolicyDocument, match="^This policy contains invalid Json$"):
        iam("UpdateAssumeRolePolicy", RoleName="r", PolicyDocument="not valid json")


def _statement(**extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example_bucket", **extra}


_NO_VERSION = "Policy document must be version 2012-10-17 or greater."


@pytest.mark.parametrize(
    ("document", "refused"),
    [
        # Recorded from AWS, CreatePolicy (LocalStack's tests/aws/services/iam/
        # test_iam_policies.snapshot.json, test_create_policy_valid_document and
        # test_create_policy_invalid_document, February 2026), by the case's id there.
        ({"Version": "2012-10-17", "Statement": _statement(Action="s3.s:ListBucket")}, None),  # valid-27
        ({"Version": "2012-10-17", "Statement": _statement(Condition={"DateGreaterThan": {"a": "01T"}})}, None),  # 30
        (
            {
                "Version": "2012-10-17",
                "Statement": _statement(Condition={"DateLessThanEquals": {"a": "2016-12-13t2:00:00.593194+23"}}),
            },
            None,
        ),  # valid-36
        (
            {
                "Version": "2012-10-17",
                "Statement": _statement(Condition={"DateLessThan": {"a": "9223372036854775808"}}),
            },
            "The policy failed legacy parsing",
        ),  # invalid-75
        ({"Statement": [_statement(Sid="sdf"), {"Sid": "sdf", "Effect": "Allow"}]}, _NO_VERSION),  # invalid-60
        ({"Statement": _statement(Condition={"DateGreaterThan": {"a": "sdfdsf"}})}, _NO_VERSION),  # invalid-65
        ({"Statement": _statement(Effect="denY")}, _NO_VERSION),  # invalid-66
    ],
)
def test_create_policy_documents_as_recorded(iam: Iam, document: dict[str, Any], refused: str | None) -> None:
    text = json.dumps(document)
    if refused is None:
        assert iam("CreatePolicy", PolicyName="p", PolicyDocument=text)["Policy"]["PolicyName"] == "p"
    else:
        with pytest.raises(errors.MalformedPolicyDocument, match=f"^{re.escape(refused)}$"):
            iam("CreatePolicy", PolicyName="p", PolicyDocument=text)


def test_list_order_and_lookup_order_as_recorded(iam: Iam) -> None:
    # Recorded from AWS (LocalStack's tests/aws/services/iam/ snapshots, February 2026):
    # ListPolicies without Scope answers a new customer managed policy on its first page
    # (test_iam_policies filtered-policy-list); RemoveUserFromGroup with neither the user nor
    # the group names the user (test_iam_groups remove-from-unknown-group).
    arn = iam("CreatePolicy", PolicyName="mine", PolicyDocument=DOCUMENT)["Policy"]["Arn"]
    first = iam("ListPolicies")
    assert first["IsTruncated"] and arn in [p["Arn"] for p in first["Policies"]]
    with pytest.raises(errors.NoSuchEntity, match="^The user with name any-user cannot be found.$"):
        iam("RemoveUserFromGroup", GroupName="non-existent-group", UserName="any-user")

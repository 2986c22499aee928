"""Instance profiles through the handlers, the model's validation and the authorizer.

AWS pages: the IAM API reference (CreateInstanceProfile, GetInstanceProfile,
DeleteInstanceProfile, ListInstanceProfiles, ListInstanceProfilesForRole,
AddRoleToInstanceProfile, RemoveRoleFromInstanceProfile, TagInstanceProfile,
UntagInstanceProfile, ListInstanceProfileTags, DeleteRole, GetAccountSummary), "Use
instance profiles" (IAM User Guide), "IAM and AWS STS quotas" (one role per instance
profile; 1,000 instance profiles per account), "IAM identifiers" (the AIPA prefix), the
Service Authorization Reference for IAM (actions and resource types) and "Troubleshoot
access denied error messages" (the AccessDenied format).

Messages AWS answered, as quoted in public issue threads by clients that hit them (see
``services/iam/instance_profiles.py`` for each thread); the ones marked unconfirmed are not.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlencode

import pytest
from iam_harness import ACCOUNT, Iam

from iamsandbox import errors
from iamsandbox.authz.actions import spec_for
from iamsandbox.authz.authorize import Authorizer
from iamsandbox.authz.context import Caller
from iamsandbox.authz.gather import PolicySource
from iamsandbox.policy.request import PrincipalKind
from iamsandbox.protocol.model import ServiceModels
from iamsandbox.protocol.query import QueryProtocol
from iamsandbox.services.iam.managed_policies import ManagedPolicies
from iamsandbox.store import SqlStore, open_store, sqlite_url

EC2_TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}],
    }
)
NOT_FOUND = "^Instance Profile {} cannot be found.$"
REMOVE_ROLES_FIRST = r"^Cannot delete entity, must remove roles from instance profile first\.$"
ONE_ROLE = "^Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1$"


def _role(iam: Iam, name: str = "web-role", path: str = "/") -> dict[str, str]:
    role: dict[str, str] = iam("CreateRole", RoleName=name, Path=path, AssumeRolePolicyDocument=EC2_TRUST)["Role"]
    return role


def test_instance_profile_lifecycle(iam: Iam) -> None:
    created = iam(
        "CreateInstanceProfile",
        InstanceProfileName="Webserver",
        Path="/application_abc/component_xyz/",
        Tags=[{"Key": "team", "Value": "web"}],
    )["InstanceProfile"]
    # GetInstanceProfile's sample response: ARN with the path; "AIPA" + 17 characters.
    assert created["Arn"] == f"arn:aws:iam::{ACCOUNT}:instance-profile/application_abc/component_xyz/Webserver"
    assert created["Path"] == "/application_abc/component_xyz/"
    assert created["InstanceProfileId"].startswith("AIPA") and len(created["InstanceProfileId"]) == 21
    assert created["Roles"] == []
    assert created["Tags"] == [{"Key": "team", "Value": "web"}]

    role = _role(iam, "S3Access", "/application_abc/component_xyz/")
    iam("AddRoleToInstanceProfile", InstanceProfileName="Webserver", RoleName="S3Access")
    got = iam("GetInstanceProfile", InstanceProfileName="webserver")["InstanceProfile"]  # names ignore case
    assert got["InstanceProfileName"] == "Webserver" and got["InstanceProfileId"] == created["InstanceProfileId"]
    [member] = got["Roles"]
    # The members of a role in GetInstanceProfile's sample response, no more.
    assert set(member) == {"Path", "RoleName", "RoleId", "Arn", "CreateDate", "AssumeRolePolicyDocument"}
    assert member["RoleId"] == role["RoleId"] and member["Arn"] == role["Arn"]
    assert json.loads(unquote(member["AssumeRolePolicyDocument"])) == json.loads(EC2_TRUST)
    assert got["Tags"] == [{"Key": "team", "Value": "web"}]

    for_role = iam("ListInstanceProfilesForRole", RoleName="S3Access")
    assert [p["InstanceProfileName"] for p in for_role["InstanceProfiles"]] == ["Webserver"]
    assert not for_role["IsTruncated"]

    iam("RemoveRoleFromInstanceProfile", InstanceProfileName="Webserver", RoleName="S3Access")
    assert iam("GetInstanceProfile", InstanceProfileName="Webserver")["InstanceProfile"]["Roles"] == []
    assert iam("ListInstanceProfilesForRole", RoleName="S3Access")["InstanceProfiles"] == []
    iam("DeleteInstanceProfile", InstanceProfileName="Webserver")
    with pytest.raises(errors.NoSuchEntity, match=NOT_FOUND.format("Webserver")):
        iam("GetInstanceProfile", InstanceProfileName="Webserver")
    iam("DeleteRole", RoleName="S3Access")


def test_a_name_is_taken_whatever_its_case(iam: Iam) -> None:
    iam("CreateInstanceProfile", InstanceProfileName="web")
    # "Instance Profile NAME already exists." (ine-labs/AWSGoat #49); case: unconfirmed.
    with pytest.raises(errors.EntityAlreadyExists, match="^Instance Profile WEB already exists.$"):
        iam("CreateInstanceProfile", InstanceProfileName="WEB")
    iam.account = "222222222222"  # names are per account
    iam("CreateInstanceProfile", InstanceProfileName="web")


def test_an_instance_profile_holds_one_role(iam: Iam) -> None:
    # AddRoleToInstanceProfile: "An instance profile can contain only one role, and this
    # quota cannot be increased"; the message as AWS answers it (getmoto/moto #6404), also
    # for the role it already holds (coreos/mantle #1058).
    iam("CreateInstanceProfile", InstanceProfileName="web")
    _role(iam, "first")
    _role(iam, "second")
    iam("AddRoleToInstanceProfile", InstanceProfileName="web", RoleName="first")
    with pytest.raises(errors.LimitExceeded, match=ONE_ROLE) as raised:
        iam("AddRoleToInstanceProfile", InstanceProfileName="web", RoleName="second")
    assert raised.value.status == 409
    with pytest.raises(errors.LimitExceeded, match=ONE_ROLE):
        iam("AddRoleToInstanceProfile", InstanceProfileName="web", RoleName="FIRST")
    # One role may be in several instance profiles.
    iam("CreateInstanceProfile", InstanceProfileName="batch")
    iam("AddRoleToInstanceProfile", InstanceProfileName="batch", RoleName="first")
    names = [p["InstanceProfileName"] for p in iam("ListInstanceProfilesForRole", RoleName="first")["InstanceProfiles"]]
    assert names == ["batch", "web"]


def test_missing_profiles_and_roles_are_no_such_entity(iam: Iam) -> None:
    iam("CreateInstanceProfile", InstanceProfileName="web")
    _role(iam, "web-role")
    profile_ops = [
        ("GetInstanceProfile", {}),
        ("DeleteInstanceProfile", {}),
        ("AddRoleToInstanceProfile", {"RoleName": "web-role"}),
        ("RemoveRoleFromInstanceProfile", {"RoleName": "web-role"}),
        ("TagInstanceProfile", {"Tags": [{"Key": "k", "Value": "v"}]}),
        ("UntagInstanceProfile", {"TagKeys": ["k"]}),
        ("ListInstanceProfileTags", {}),
    ]
    for operation, extra in profile_ops:
        # "Instance Profile NAME cannot be found." (skyplane-project/skyplane #724).
        with pytest.raises(errors.NoSuchEntity, match=NOT_FOUND.format("nope")) as raised:
            iam(operation, InstanceProfileName="nope", **extra)
        assert raised.value.status == 404, operation
    for operation in ("AddRoleToInstanceProfile", "RemoveRoleFromInstanceProfile"):
        with pytest.raises(errors.NoSuchEntity, match="^The role with name nope cannot be found.$"):
            iam(operation, InstanceProfileName="web", RoleName="nope")
    with pytest.raises(errors.NoSuchEntity, match="^The role with name nope cannot be found.$"):
        iam("ListInstanceProfilesForRole", RoleName="nope")
    # A role the profile does not hold: recorded from AWS (LocalStack's
    # test_iam_instance_profiles snapshot, remove-unattached-role-error).
    with pytest.raises(errors.NoSuchEntity, match="^Role web-role in Instance Profile web cannot be found.$"):
        iam("RemoveRoleFromInstanceProfile", InstanceProfileName="web", RoleName="web-role")
    # GetInstanceProfile answers "Tags": [] for a profile without tags, CreateInstanceProfile
    # no Tags member (the same snapshot: get-instance-profile, create-instance-profile).
    assert iam("GetInstanceProfile", InstanceProfileName="web")["InstanceProfile"]["Tags"] == []
    assert "Tags" not in iam("CreateInstanceProfile", InstanceProfileName="bare")["InstanceProfile"]


def test_delete_conflicts_both_ways(iam: Iam) -> None:
    # DeleteInstanceProfile: "The instance profile must not have an associated role";
    # DeleteRole: remove the "Instance profile (RemoveRoleFromInstanceProfile)" first. The
    # same message from both (99designs/iamy #47 and #68).
    iam("CreateInstanceProfile", InstanceProfileName="web")
    _role(iam, "web-role")
    iam("AddRoleToInstanceProfile", InstanceProfileName="web", RoleName="web-role")
    with pytest.raises(errors.DeleteConflict, match=REMOVE_ROLES_FIRST) as profile_first:
        iam("DeleteInstanceProfile", InstanceProfileName="web")
    with pytest.raises(errors.DeleteConflict, match=REMOVE_ROLES_FIRST) as role_first:
        iam("DeleteRole", RoleName="web-role")
    assert profile_first.value.status == role_first.value.status == 409
    iam("GetInstanceProfile", InstanceProfileName="web")  # both still there
    iam("GetRole", RoleName="web-role")
    iam("RemoveRoleFromInstanceProfile", InstanceProfileName="web", RoleName="web-role")
    iam("DeleteRole", RoleName="web-role")
    iam("DeleteInstanceProfile", InstanceProfileName="web")


def test_list_instance_profiles_by_path_and_page(iam: Iam) -> None:
    for i in range(5):
        iam("CreateInstanceProfile", InstanceProfileName=f"p{i}", Path="/batch/" if i % 2 else "/")
    first = iam("ListInstanceProfiles", MaxItems=2)
    assert first["IsTruncated"] and len(first["InstanceProfiles"]) == 2
    rest = iam("ListInstanceProfiles", Marker=first["Marker"], MaxItems=10)
    assert not rest["IsTruncated"] and "Marker" not in rest
    listed = first["InstanceProfiles"] + rest["InstanceProfiles"]
    assert [p["InstanceProfileName"] for p in listed] == [f"p{i}" for i in range(5)]
    batch = iam("ListInstanceProfiles", PathPrefix="/batch/")["InstanceProfiles"]
    assert [p["InstanceProfileName"] for p in batch] == ["p1", "p3"]
    assert iam("ListInstanceProfiles", PathPrefix="/nothing/")["InstanceProfiles"] == []


def test_tags(iam: Iam) -> None:
    iam("CreateInstanceProfile", InstanceProfileName="web", Tags=[{"Key": "zone", "Value": "a"}])
    iam("TagInstanceProfile", InstanceProfileName="web", Tags=[{"Key": "app", "Value": "x"}, {"Key": "m", "Value": ""}])
    # "The returned list of tags is sorted by tag key" (ListInstanceProfileTags), as IAM sorts
    # keys: shorter first (the AWS CLI Command Reference's list-instance-profile-tags example
    # lists DeptID before Department; common.tags_in_key_order).
    listed = iam("ListInstanceProfileTags", InstanceProfileName="web")
    assert listed["Tags"] == [{"Key": "m", "Value": ""}, {"Key": "app", "Value": "x"}, {"Key": "zone", "Value": "a"}]
    assert not listed["IsTruncated"]
    page = iam("ListInstanceProfileTags", InstanceProfileName="web", MaxItems=1)
    assert page["Tags"] == [{"Key": "m", "Value": ""}] and page["IsTruncated"]
    iam("UntagInstanceProfile", InstanceProfileName="web", TagKeys=["m", "absent"])
    assert [t["Key"] for t in iam("ListInstanceProfileTags", InstanceProfileName="web")["Tags"]] == ["app", "zone"]
    # "IAM resource-listing operations ... this operation does not return tags" (ListInstanceProfiles).
    assert "Tags" not in iam("ListInstanceProfiles")["InstanceProfiles"][0]
    # "Tagging IAM resources": the aws: prefix is reserved.
    with pytest.raises(errors.InvalidInput):
        iam("TagInstanceProfile", InstanceProfileName="web", Tags=[{"Key": "aws:x", "Value": "y"}])
    with pytest.raises(errors.InvalidInput, match="^Duplicate tag keys found.$"):
        iam(
            "CreateInstanceProfile",
            InstanceProfileName="dup",
            Tags=[{"Key": "a", "Value": "1"}, {"Key": "a", "Value": "2"}],
        )
    with pytest.raises(errors.NoSuchEntity):  # the refused request left nothing behind (one unit)
        iam("GetInstanceProfile", InstanceProfileName="dup")


def test_an_account_holds_1000_instance_profiles(iam: Iam) -> None:
    # "IAM and AWS STS quotas": instance profiles in an AWS account: 1,000 (default); the
    # message as AWS answers it (ansible/workshops #1801).
    with iam.store.transaction() as tx:
        for i in range(1000):
            tx.create_instance_profile(ACCOUNT, f"p{i}")
    with pytest.raises(errors.LimitExceeded, match="^Cannot exceed quota for InstanceProfilesPerAccount: 1000$"):
        iam("CreateInstanceProfile", InstanceProfileName="one-too-many")
    iam.account = "222222222222"  # the quota is per account
    iam("CreateInstanceProfile", InstanceProfileName="one-too-many")


def test_account_summary_and_authorization_details(iam: Iam) -> None:
    _role(iam, "web-role")
    iam("CreateInstanceProfile", InstanceProfileName="web")
    iam("CreateInstanceProfile", InstanceProfileName="spare")
    iam("AddRoleToInstanceProfile", InstanceProfileName="web", RoleName="web-role")
    summary = iam("GetAccountSummary")["SummaryMap"]
    assert summary["InstanceProfiles"] == 2 and summary["InstanceProfilesQuota"] == 1000
    # GetRole's Role has no instance profiles (cloud-custodian #6340: "the Instance Profile
    # ARN field is not returned by the aws iam get-role function"); RoleLastUsed is there.
    role = iam("GetRole", RoleName="web-role")["Role"]
    assert "InstanceProfileList" not in role and role["RoleLastUsed"] == {}
    # GetAccountAuthorizationDetails: RoleDetail.InstanceProfileList, each with its role.
    [detail] = iam("GetAccountAuthorizationDetails", Filter=["Role"])["RoleDetailList"]
    [profile] = detail["InstanceProfileList"]
    assert profile["InstanceProfileName"] == "web"
    assert [r["RoleName"] for r in profile["Roles"]] == ["web-role"]


# --- the model's validation (before any handler) -----------------------------------------

IAM_PROTOCOL = QueryProtocol.for_service(ServiceModels(), "iam")


def _parse_error(action: str, **fields: str) -> errors.ServiceError:
    with pytest.raises(errors.ServiceError) as caught:
        IAM_PROTOCOL.parse(urlencode([("Action", action), ("Version", "2010-05-08"), *fields.items()]))
    return caught.value


def test_names_and_paths_are_validated_by_the_model() -> None:
    # The IAM API reference's constraints (instanceProfileNameType: 1..128, [\w+=,.@-]+;
    # pathType), in IAM's wording, which leaves the value out ("Value at '...'": recorded
    # from AWS in LocalStack's test_iam snapshot, update-wrong-id).
    error = _parse_error("CreateInstanceProfile", InstanceProfileName="web server")
    assert isinstance(error, errors.ValidationError) and error.status == 400
    assert error.message == (
        "1 validation error detected: Value at 'instanceProfileName' failed to satisfy constraint: "
        r"Member must satisfy regular expression pattern: [\w+=,.@-]+"
    )
    error = _parse_error("GetInstanceProfile", InstanceProfileName="x" * 129)
    assert isinstance(error, errors.ValidationError)
    assert error.message == (
        "1 validation error detected: Value at 'instanceProfileName' failed to satisfy constraint: "
        "Member must have length less than or equal to 128"
    )
    # A Path is answered in IAM's own words ("The specified value for path is invalid...",
    # recorded for CreateRole: aws-cloudformation/cfn-lint#722, serverless/serverless#3802).
    error = _parse_error("CreateInstanceProfile", InstanceProfileName="web", Path="no-slashes")
    assert isinstance(error, errors.ValidationError)
    assert error.message == (
        "The specified value for path is invalid. It must begin and end with / and contain only alphanumeric "
        "characters and/or / characters."
    )
    error = _parse_error("AddRoleToInstanceProfile", InstanceProfileName="web")
    assert isinstance(error, errors.ValidationError)
    assert error.message == (
        "1 validation error detected: Value null at 'roleName' failed to satisfy constraint: Member must not be null"
    )


# --- authorization ---------------------------------------------------------------------------


@pytest.fixture
def world(tmp_path: Path) -> Iterator[tuple[SqlStore, dict[str, str]]]:
    store = open_store(sqlite_url(tmp_path / "authz.db"), [secrets.token_bytes(32)])
    with store.transaction() as tx:
        tx.create_account(ACCOUNT, "trusting")
        bob = tx.create_user(ACCOUNT, "bob")  # no policy
        carol = tx.create_user(ACCOUNT, "carol")
        allow = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": ["iam:CreateInstanceProfile", "iam:AddRoleToInstanceProfile"],
                    "Resource": f"arn:aws:iam::{ACCOUNT}:instance-profile/web-*",
                }
            ],
        }
        tx.put_inline_policy(carol.id, "profiles", json.dumps(allow))
    try:
        yield store, {"bob": bob.id, "carol": carol.id}
    finally:
        store.close()


def _check(store: SqlStore, user: str, user_id: str, operation: str, **params: str) -> None:
    spec = spec_for("iam", operation)
    assert spec is not None
    caller = Caller(f"arn:aws:iam::{ACCOUNT}:user/{user}", PrincipalKind.USER, ACCOUNT, name=user)
    authorizer = Authorizer(PolicySource(ManagedPolicies()))
    with store.read() as tx:
        target = authorizer.resolve(tx, spec, params, ACCOUNT, user)
        authorizer.check(tx, caller, spec.action, target, identity_id=user_id)


def test_instance_profile_actions_are_authorized_on_the_instance_profile(
    world: tuple[SqlStore, dict[str, str]],
) -> None:
    store, ids = world
    with pytest.raises(errors.AccessDenied) as denied:
        _check(store, "bob", ids["bob"], "CreateInstanceProfile", InstanceProfileName="web-1")
    # "Troubleshoot access denied error messages": the resource is the instance profile
    # (Service Authorization Reference: CreateInstanceProfile, resource type instance-profile).
    assert denied.value.message == (
        f"User: arn:aws:iam::{ACCOUNT}:user/bob is not authorized to perform: iam:CreateInstanceProfile on "
        f"resource: arn:aws:iam::{ACCOUNT}:instance-profile/web-1 because no identity-based policy allows the "
        "iam:CreateInstanceProfile action"
    )
    _check(store, "carol", ids["carol"], "CreateInstanceProfile", InstanceProfileName="web-1")
    # AddRoleToInstanceProfile is checked on the instance profile, not on the role.
    _check(store, "carol", ids["carol"], "AddRoleToInstanceProfile", InstanceProfileName="web-1", RoleName="any")
    with pytest.raises(errors.AccessDenied, match="iam:CreateInstanceProfile on resource: .*instance-profile/db"):
        _check(store, "carol", ids["carol"], "CreateInstanceProfile", InstanceProfileName="db")
    # ListInstanceProfilesForRole is checked on the role.
    # IAM names a role given by name "role <name>" ("... iam:ListInstanceProfilesForRole on
    # resource: role fe-lab-ssm-role because ...": real outputs).
    with pytest.raises(errors.AccessDenied, match="on resource: role web-role because"):
        _check(store, "carol", ids["carol"], "ListInstanceProfilesForRole", RoleName="web-role")

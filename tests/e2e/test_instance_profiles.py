"""Instance profiles through a real server with boto3: the EC2 setup of "Use instance
profiles" (IAM User Guide: create the role, create the instance profile, add the role to
it), the conflicts that keep either from being deleted while they are linked, AWS's
AccessDenied for a user without iam:CreateInstanceProfile ("Troubleshoot access denied
error messages"), and the model's ValidationError for a name IAM refuses.

Messages: DeleteConflict as AWS answers DeleteRole and DeleteInstanceProfile (quoted in
99designs/iamy #68 and #47); LimitExceeded for a second role (getmoto/moto #6404, checked
against AWS by its maintainer).
"""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from e2e_harness import A, Server, _client

EC2_TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}
REMOVE_ROLES_FIRST = "Cannot delete entity, must remove roles from instance profile first."


def _error(raised: pytest.ExceptionInfo[ClientError]) -> tuple[str, str, int]:
    response: dict[str, Any] = raised.value.response
    return response["Error"]["Code"], response["Error"]["Message"], response["ResponseMetadata"]["HTTPStatusCode"]


def test_the_ec2_role_setup_and_its_conflicts(server: Server) -> None:
    iam = _client(server, "iam", server.create_account(A))
    role = iam.create_role(RoleName="S3Access", AssumeRolePolicyDocument=json.dumps(EC2_TRUST))["Role"]
    profile = iam.create_instance_profile(
        InstanceProfileName="Webserver", Path="/application_abc/", Tags=[{"Key": "team", "Value": "web"}]
    )["InstanceProfile"]
    assert profile["Arn"] == f"arn:aws:iam::{A}:instance-profile/application_abc/Webserver"
    assert profile["InstanceProfileId"].startswith("AIPA") and profile["Roles"] == []
    iam.add_role_to_instance_profile(InstanceProfileName="Webserver", RoleName="S3Access")

    got = iam.get_instance_profile(InstanceProfileName="Webserver")["InstanceProfile"]
    assert [(r["RoleName"], r["RoleId"]) for r in got["Roles"]] == [("S3Access", role["RoleId"])]
    assert got["Roles"][0]["AssumeRolePolicyDocument"] == EC2_TRUST  # boto3 decodes it
    assert got["Tags"] == [{"Key": "team", "Value": "web"}]
    listed = iam.list_instance_profiles(PathPrefix="/application_abc/")["InstanceProfiles"]
    assert [p["InstanceProfileName"] for p in listed] == ["Webserver"]
    for_role = iam.list_instance_profiles_for_role(RoleName="S3Access")["InstanceProfiles"]
    assert [p["InstanceProfileId"] for p in for_role] == [profile["InstanceProfileId"]]
    details = iam.get_account_authorization_details(Filter=["Role"])["RoleDetailList"]
    assert [p["InstanceProfileName"] for p in details[0]["InstanceProfileList"]] == ["Webserver"]
    assert iam.get_account_summary()["SummaryMap"]["InstanceProfiles"] == 1

    iam.create_role(RoleName="Other", AssumeRolePolicyDocument=json.dumps(EC2_TRUST))
    with pytest.raises(ClientError) as full:
        iam.add_role_to_instance_profile(InstanceProfileName="Webserver", RoleName="Other")
    assert _error(full) == ("LimitExceeded", "Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1", 409)
    with pytest.raises(ClientError) as role_conflict:
        iam.delete_role(RoleName="S3Access")
    assert _error(role_conflict) == ("DeleteConflict", REMOVE_ROLES_FIRST, 409)
    with pytest.raises(ClientError) as profile_conflict:
        iam.delete_instance_profile(InstanceProfileName="Webserver")
    assert _error(profile_conflict) == ("DeleteConflict", REMOVE_ROLES_FIRST, 409)

    iam.remove_role_from_instance_profile(InstanceProfileName="Webserver", RoleName="S3Access")
    iam.delete_instance_profile(InstanceProfileName="Webserver")
    iam.delete_role(RoleName="S3Access")
    with pytest.raises(ClientError) as gone:
        iam.get_instance_profile(InstanceProfileName="Webserver")
    assert _error(gone) == ("NoSuchEntity", "Instance Profile Webserver cannot be found.", 404)


def test_a_user_without_the_action_is_denied_and_bad_names_are_refused(server: Server) -> None:
    root = server.create_account(A)
    iam = _client(server, "iam", root)
    iam.create_user(UserName="bob")  # no policy
    key = iam.create_access_key(UserName="bob")["AccessKey"]
    bob = _client(server, "iam", key)
    with pytest.raises(ClientError) as denied:
        bob.create_instance_profile(InstanceProfileName="web")
    assert _error(denied) == (
        "AccessDenied",
        f"User: arn:aws:iam::{A}:user/bob is not authorized to perform: iam:CreateInstanceProfile on resource: "
        f"arn:aws:iam::{A}:instance-profile/web because no identity-based policy allows the "
        "iam:CreateInstanceProfile action",
        403,
    )
    # boto3 checks names itself; without its check the server answers as IAM does.
    unchecked = boto3.session.Session(
        aws_access_key_id=root["AccessKeyId"], aws_secret_access_key=root["SecretAccessKey"], region_name="us-east-1"
    ).client("iam", endpoint_url=server.url, config=Config(parameter_validation=False))
    with pytest.raises(ClientError) as invalid:
        unchecked.create_instance_profile(InstanceProfileName="web server")
    assert _error(invalid) == (
        "ValidationError",
        "1 validation error detected: Value at 'instanceProfileName' failed to satisfy constraint: "
        r"Member must satisfy regular expression pattern: [\w+=,.@-]+",
        400,
    )


def test_adding_a_role_needs_iam_pass_role_on_it(server: Server) -> None:
    # AddRoleToInstanceProfile (IAM API reference): "The caller of this operation must be
    # granted the PassRole permission on the IAM role by a permissions policy." The message
    # is the one of "Troubleshoot access denied error messages".
    root = server.create_account(A)
    iam = _client(server, "iam", root)
    iam.create_role(RoleName="S3Access", AssumeRolePolicyDocument=json.dumps(EC2_TRUST))
    iam.create_instance_profile(InstanceProfileName="Webserver")
    iam.create_user(UserName="carol")
    profiles_only = {"Effect": "Allow", "Action": "iam:AddRoleToInstanceProfile", "Resource": "*"}
    document = {"Version": "2012-10-17", "Statement": [profiles_only]}
    iam.put_user_policy(UserName="carol", PolicyName="profiles", PolicyDocument=json.dumps(document))
    carol = _client(server, "iam", iam.create_access_key(UserName="carol")["AccessKey"])
    with pytest.raises(ClientError) as denied:
        carol.add_role_to_instance_profile(InstanceProfileName="Webserver", RoleName="S3Access")
    assert _error(denied) == (
        "AccessDenied",
        f"User: arn:aws:iam::{A}:user/carol is not authorized to perform: iam:PassRole on resource: "
        f"arn:aws:iam::{A}:role/S3Access because no identity-based policy allows the iam:PassRole action",
        403,
    )
    assert iam.get_instance_profile(InstanceProfileName="Webserver")["InstanceProfile"]["Roles"] == []
    pass_role = {"Effect": "Allow", "Action": "iam:PassRole", "Resource": f"arn:aws:iam::{A}:role/S3Access"}
    document["Statement"].append(pass_role)
    iam.put_user_policy(UserName="carol", PolicyName="profiles", PolicyDocument=json.dumps(document))
    carol.add_role_to_instance_profile(InstanceProfileName="Webserver", RoleName="S3Access")
    roles = iam.get_instance_profile(InstanceProfileName="Webserver")["InstanceProfile"]["Roles"]
    assert [r["RoleName"] for r in roles] == ["S3Access"]


def test_pass_role_limited_to_instances_as_the_api_reference_writes_it(server: Server) -> None:
    # AddRoleToInstanceProfile (IAM API reference): "When using the iam:AssociatedResourceArn
    # condition in a policy to restrict the PassRole IAM action ... The ARN value must be
    # arn:aws:ec2:*:CallerAccountId:instance/*."
    root = server.create_account(A)
    iam = _client(server, "iam", root)
    iam.create_role(RoleName="S3Access", AssumeRolePolicyDocument=json.dumps(EC2_TRUST))
    iam.create_instance_profile(InstanceProfileName="Webserver")
    iam.create_user(UserName="dev")
    statements = [
        {"Effect": "Allow", "Action": "iam:AddRoleToInstanceProfile", "Resource": "*"},
        {
            "Effect": "Allow",
            "Action": "iam:PassRole",
            "Resource": "*",
            "Condition": {"ArnLike": {"iam:AssociatedResourceArn": f"arn:aws:ec2:*:{A}:instance/*"}},
        },
    ]
    iam.put_user_policy(
        UserName="dev", PolicyName="p", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": statements})
    )
    dev = _client(server, "iam", iam.create_access_key(UserName="dev")["AccessKey"])
    dev.add_role_to_instance_profile(InstanceProfileName="Webserver", RoleName="S3Access")
    roles = iam.get_instance_profile(InstanceProfileName="Webserver")["InstanceProfile"]["Roles"]
    assert [r["RoleName"] for r in roles] == ["S3Access"]

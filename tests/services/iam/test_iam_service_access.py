"""ListPoliciesGrantingServiceAccess ("ListPoliciesGrantingServiceAccess", IAM API Reference):
the identity-based policies an identity can use to access each service asked about."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from inprocess_harness import client, open_app, root_keys, user_keys

A, B = "111111111111", "222222222222"
S3_READ_ONLY = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"


def _doc(effect: str, key: str, actions: list[str]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": effect, key: actions, "Resource": "*"}]})


def _by_service(answer: dict[str, Any]) -> dict[str, list[dict[str, str]]]:
    return {entry["ServiceNamespace"]: entry.get("Policies", []) for entry in answer["PoliciesGrantingServiceAccess"]}


def test_a_users_own_and_group_policies(tmp_path: Path) -> None:
    app = open_app(tmp_path, A)
    iam = client(app, "iam", root_keys(app, A))
    iam.create_user(UserName="alice")
    iam.create_group(GroupName="readers")
    iam.add_user_to_group(GroupName="readers", UserName="alice")
    iam_all = iam.create_policy(PolicyName="IamAll", PolicyDocument=_doc("Allow", "Action", ["IAM:*"]))["Policy"]["Arn"]
    iam.attach_user_policy(UserName="alice", PolicyArn=iam_all)
    iam.attach_group_policy(GroupName="readers", PolicyArn=S3_READ_ONLY)  # s3:Get*, s3:List*, ...
    iam.put_user_policy(UserName="alice", PolicyName="S3Get", PolicyDocument=_doc("Allow", "Action", ["s3:GetObject"]))
    iam.put_user_policy(UserName="alice", PolicyName="DenyEc2", PolicyDocument=_doc("Deny", "Action", ["ec2:*"]))
    everything_but_iam = _doc("Allow", "NotAction", ["iam:*"])
    iam.put_group_policy(GroupName="readers", PolicyName="NotIam", PolicyDocument=everything_but_iam)
    # "Policies that are attached to users and roles as permissions boundaries are not returned."
    iam.put_user_permissions_boundary(
        UserName="alice", PermissionsBoundary="arn:aws:iam::aws:policy/AdministratorAccess"
    )

    answer = iam.list_policies_granting_service_access(
        Arn=f"arn:aws:iam::{A}:user/alice", ServiceNamespaces=["s3", "iam", "ec2", "sqs"]
    )
    assert answer["IsTruncated"] is False
    assert [e["ServiceNamespace"] for e in answer["PoliciesGrantingServiceAccess"]] == ["s3", "iam", "ec2", "sqs"]
    by_service = _by_service(answer)
    managed_s3 = {"PolicyName": "AmazonS3ReadOnlyAccess", "PolicyType": "MANAGED", "PolicyArn": S3_READ_ONLY}
    inline_s3 = {"PolicyName": "S3Get", "PolicyType": "INLINE", "EntityType": "USER", "EntityName": "alice"}
    not_iam = {"PolicyName": "NotIam", "PolicyType": "INLINE", "EntityType": "GROUP", "EntityName": "readers"}
    # "For each managed policy, this operation returns the ARN and policy name. For each
    # inline policy, it returns the policy name and the entity to which it is attached."
    assert by_service["s3"] == [managed_s3, inline_s3, not_iam]
    assert by_service["iam"] == [{"PolicyName": "IamAll", "PolicyType": "MANAGED", "PolicyArn": iam_all}]
    # A Deny grants nothing; the NotAction Allow leaves every EC2 and SQS action allowed.
    assert by_service["ec2"] == [not_iam]
    assert by_service["sqs"] == [not_iam]

    # A large AWS managed policy (ReadOnlyAccess is over the 6,144 characters a customer
    # managed policy may have) is read as it is; a namespace no service has is reached by
    # no policy, even by the NotAction that allows "everything but IAM".
    iam.attach_user_policy(UserName="alice", PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
    answer = iam.list_policies_granting_service_access(
        Arn=f"arn:aws:iam::{A}:user/alice", ServiceNamespaces=["codecommit", "nosuchservice"]
    )
    read_only = {
        "PolicyName": "ReadOnlyAccess",
        "PolicyType": "MANAGED",
        "PolicyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess",
    }
    assert _by_service(answer) == {"codecommit": [read_only, not_iam], "nosuchservice": []}

    # "Group – The list of policies includes only the managed and inline policies that are
    # attached to the group directly."
    group = _by_service(
        iam.list_policies_granting_service_access(
            Arn=f"arn:aws:iam::{A}:group/readers", ServiceNamespaces=["iam", "s3"]
        )
    )
    assert group == {"iam": [], "s3": [managed_s3, not_iam]}


def test_a_roles_policies_and_unknown_identities(tmp_path: Path) -> None:
    app = open_app(tmp_path, A)
    iam = client(app, "iam", root_keys(app, A))
    trust = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{A}:root"}, "Action": "sts:AssumeRole"}
            ],
        }
    )
    iam.create_role(RoleName="reader", AssumeRolePolicyDocument=trust)
    iam.attach_role_policy(RoleName="reader", PolicyArn=S3_READ_ONLY)
    # "Role – The list of policies includes only the managed and inline policies that are
    # attached to the role" (not the trust policy, which allows sts:AssumeRole).
    answer = iam.list_policies_granting_service_access(
        Arn=f"arn:aws:iam::{A}:role/reader", ServiceNamespaces=["sts", "s3"]
    )
    assert _by_service(answer) == {
        "sts": [],
        "s3": [{"PolicyName": "AmazonS3ReadOnlyAccess", "PolicyType": "MANAGED", "PolicyArn": S3_READ_ONLY}],
    }
    with pytest.raises(ClientError) as raised:
        iam.list_policies_granting_service_access(Arn=f"arn:aws:iam::{A}:user/nobody", ServiceNamespaces=["s3"])
    assert raised.value.response["Error"]["Code"] == "NoSuchEntity"
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    # No marker is ever given (IsTruncated is false), so one passed in is not ours: refused as
    # ListUsers and the other list operations refuse a marker they did not give (400
    # ValidationError, recorded from AWS for ListVirtualMFADevices: LocalStack's
    # tests/aws/services/iam/test_iam_mfa.snapshot.json, February 2026).
    with pytest.raises(ClientError) as raised:
        iam.list_policies_granting_service_access(
            Arn=f"arn:aws:iam::{A}:role/reader", ServiceNamespaces=["s3"], Marker="zzz"
        )
    assert raised.value.response["Error"]["Code"] == "ValidationError"
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert raised.value.response["Error"]["Message"] == "Invalid Marker."


def test_authorized_on_the_identity(tmp_path: Path) -> None:
    # Service Authorization Reference for IAM: iam:ListPoliciesGrantingServiceAccess takes
    # the user, group and role resource types.
    app = open_app(tmp_path, A)
    alice = client(app, "iam", user_keys(app, A, "alice"))
    root = client(app, "iam", root_keys(app, A))
    root.create_user(UserName="bob")
    own_only = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": "iam:ListPoliciesGrantingServiceAccess",
                    "Resource": f"arn:aws:iam::{A}:user/alice",
                }
            ],
        }
    )
    root.put_user_policy(UserName="alice", PolicyName="Own", PolicyDocument=own_only)
    answer = alice.list_policies_granting_service_access(Arn=f"arn:aws:iam::{A}:user/alice", ServiceNamespaces=["iam"])
    assert _by_service(answer) == {
        "iam": [{"PolicyName": "Own", "PolicyType": "INLINE", "EntityType": "USER", "EntityName": "alice"}]
    }
    with pytest.raises(ClientError) as raised:
        alice.list_policies_granting_service_access(Arn=f"arn:aws:iam::{A}:user/bob", ServiceNamespaces=["iam"])
    assert raised.value.response["Error"]["Code"] == "AccessDenied"
    assert raised.value.response["Error"]["Message"] == (
        f"User: arn:aws:iam::{A}:user/alice is not authorized to perform: iam:ListPoliciesGrantingServiceAccess "
        f"on resource: arn:aws:iam::{A}:user/bob because no identity-based policy allows the "
        "iam:ListPoliciesGrantingServiceAccess action"
    )

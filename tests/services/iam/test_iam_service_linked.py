"""Service-linked roles: CreateServiceLinkedRole, DeleteServiceLinkedRole,
GetServiceLinkedRoleDeletionStatus (IAM API reference; "Using service-linked roles")."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from urllib.parse import unquote

import pytest
from iam_harness import ACCOUNT, Iam

from iamsandbox.errors import InvalidInput, NoSuchEntity, UnmodifiableEntity

TRUST = (
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},'
    '"Action":"sts:AssumeRole"}]}'
)
POLICY = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}'


def test_create_a_service_linked_role(iam: Iam) -> None:
    # "Using service-linked roles for Amazon EC2 Auto Scaling": AWSServiceRoleForAutoScaling,
    # path /aws-service-role/autoscaling.amazonaws.com/, AutoScalingServiceRolePolicy.
    role = iam("CreateServiceLinkedRole", AWSServiceName="autoscaling.amazonaws.com", Description="for ASG")["Role"]
    assert role["RoleName"] == "AWSServiceRoleForAutoScaling"
    assert role["Path"] == "/aws-service-role/autoscaling.amazonaws.com/"
    assert (
        role["Arn"]
        == f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"
    )
    got = iam("GetRole", RoleName="AWSServiceRoleForAutoScaling")["Role"]
    assert got["Description"] == "for ASG"
    trust = json.loads(unquote(got["AssumeRolePolicyDocument"]))  # IAM answers documents URL-encoded
    assert trust["Statement"][0]["Principal"] == {"Service": "autoscaling.amazonaws.com"}  # as AWS answers
    assert trust["Statement"][0]["Action"] == "sts:AssumeRole"
    attached = iam("ListAttachedRolePolicies", RoleName="AWSServiceRoleForAutoScaling")["AttachedPolicies"]
    assert [p["PolicyArn"] for p in attached] == [
        "arn:aws:iam::aws:policy/aws-service-role/AutoScalingServiceRolePolicy"
    ]
    # A custom suffix: AWSServiceRoleForAutoScaling_SUFFIX ("Create a service-linked role").
    named = iam("CreateServiceLinkedRole", AWSServiceName="autoscaling.amazonaws.com", CustomSuffix="web")["Role"]
    assert named["RoleName"] == "AWSServiceRoleForAutoScaling_web"
    with pytest.raises(InvalidInput, match="has been taken in this account"):
        iam("CreateServiceLinkedRole", AWSServiceName="autoscaling.amazonaws.com")
    with pytest.raises(InvalidInput):
        iam("CreateServiceLinkedRole", AWSServiceName="not a service")


def test_the_create_answer_is_written_as_aws_writes_it(iam: Iam) -> None:
    """The AWS CLI Command Reference, create-service-linked-role (lex.amazonaws.com with a
    Description), and AWS's answers quoted in the EC2 Auto Scaling and OpenSearch guides: the
    created role's trust policy in one-element lists, Action, Effect, Principal in that order,
    and neither Description nor MaxSessionDuration (as CreateRole's answer); GetRole then
    answers single strings, the description and MaxSessionDuration (recorded from AWS,
    LocalStack's test_iam snapshot, test_service_role_lifecycle)."""
    role = iam("CreateServiceLinkedRole", AWSServiceName="lex.amazonaws.com", Description="My service-linked role")
    created = role["Role"]
    assert "Description" not in created and "MaxSessionDuration" not in created
    assert unquote(created["AssumeRolePolicyDocument"]) == (
        '{"Version": "2012-10-17", "Statement": [{"Action": ["sts:AssumeRole"], "Effect": "Allow", '
        '"Principal": {"Service": ["lex.amazonaws.com"]}}]}'
    )
    got = iam("GetRole", RoleName=created["RoleName"])["Role"]
    assert got["Description"] == "My service-linked role" and got["MaxSessionDuration"] == 3600
    trust = json.loads(unquote(got["AssumeRolePolicyDocument"]))
    assert trust["Statement"] == [
        {"Effect": "Allow", "Principal": {"Service": "lex.amazonaws.com"}, "Action": "sts:AssumeRole"}
    ]


def test_ordinary_operations_cannot_change_it(iam: Iam) -> None:
    # Observed: "UnmodifiableEntity: Cannot perform the operation on the protected role
    # 'AWSServiceRoleForAmazonGuardDuty' - this role is only modifiable by AWS"
    # (rebuy-de/aws-nuke#331; DetachRolePolicy: gruntwork-io/cloud-nuke#880).
    iam("CreateServiceLinkedRole", AWSServiceName="guardduty.amazonaws.com")
    name = "AWSServiceRoleForAmazonGuardDuty"
    message = f"Cannot perform the operation on the protected role '{name}' - this role is only modifiable by AWS"
    attempts: list[tuple[str, Mapping[str, str]]] = [
        ("DeleteRole", {}),
        ("UpdateAssumeRolePolicy", {"PolicyDocument": TRUST}),
        ("PutRolePolicy", {"PolicyName": "p", "PolicyDocument": POLICY}),
        ("DeleteRolePolicy", {"PolicyName": "p"}),
        ("AttachRolePolicy", {"PolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}),
        (
            "DetachRolePolicy",
            {"PolicyArn": "arn:aws:iam::aws:policy/aws-service-role/AmazonGuardDutyServiceRolePolicy"},
        ),
        ("PutRolePermissionsBoundary", {"PermissionsBoundary": "arn:aws:iam::aws:policy/ReadOnlyAccess"}),
    ]
    for operation, params in attempts:
        with pytest.raises(UnmodifiableEntity) as raised:
            iam(operation, RoleName=name, **params)
        assert raised.value.message == message, operation
    # The description may be edited ("Editing a service-linked role").
    iam("UpdateRoleDescription", RoleName=name, Description="edited")
    # An ordinary role is not protected.
    iam("CreateRole", RoleName="plain", AssumeRolePolicyDocument=TRUST)
    iam("PutRolePolicy", RoleName="plain", PolicyName="p", PolicyDocument=POLICY)


def test_delete_and_deletion_status(iam: Iam) -> None:
    iam("CreateServiceLinkedRole", AWSServiceName="ecs.amazonaws.com")
    task = iam("DeleteServiceLinkedRole", RoleName="AWSServiceRoleForECS")["DeletionTaskId"]
    # DeletionTaskId, as the API reference's example:
    # task/aws-service-role/lex.amazonaws.com/AWSServiceRoleForLexBots/1a2b3c4d-...
    assert re.fullmatch(r"task/aws-service-role/ecs\.amazonaws\.com/AWSServiceRoleForECS/[0-9a-f-]{36}", task)
    assert iam("GetServiceLinkedRoleDeletionStatus", DeletionTaskId=task) == {"Status": "SUCCEEDED"}
    with pytest.raises(NoSuchEntity):
        iam("GetRole", RoleName="AWSServiceRoleForECS")
    iam("CreateServiceLinkedRole", AWSServiceName="rds.amazonaws.com")
    with pytest.raises(NoSuchEntity):
        iam(
            "GetServiceLinkedRoleDeletionStatus",
            DeletionTaskId="task/aws-service-role/rds.amazonaws.com/AWSServiceRoleForRDS/"
            + "0" * 8
            + "-0000-0000-0000-"
            + "0" * 12,
        )
    iam("CreateRole", RoleName="plain", AssumeRolePolicyDocument=TRUST)
    with pytest.raises(InvalidInput):
        iam("DeleteServiceLinkedRole", RoleName="plain")
    with pytest.raises(NoSuchEntity):
        iam("DeleteServiceLinkedRole", RoleName="missing")

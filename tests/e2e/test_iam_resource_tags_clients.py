"""aws:ResourceTag and iam:ResourceTag on IAM resources other than users and roles, with
boto3 against a real server.

AWS pages: the Service Authorization Reference ("Actions, resources, and condition keys for
AWS Identity and Access Management") gives aws:ResourceTag/${TagKey} to the policy,
oidc-provider and mfa resource types, and iam:ResourceTag/${TagKey} only to user and role:
"Filters access by the tags attached to an IAM entity (user or role)". TagPolicy: "You can
use tags to restrict access to only an IAM customer managed policy that has a specified tag
attached"; TagOpenIDConnectProvider and TagMFADevice say the same of theirs.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError
from e2e_harness import A, Server, _client

BLUE = [{"Key": "team", "Value": "blue"}]


def _delegate(server: Server, condition_key: str, actions: list[str]) -> Any:
    """A user allowed ``actions`` on every resource tagged team=blue under ``condition_key``."""
    iam = _client(server, "iam", server.roots[A])
    iam.create_user(UserName="delegate")
    statement = {
        "Effect": "Allow",
        "Action": actions,
        "Resource": "*",
        "Condition": {"StringEquals": {f"{condition_key}/team": "blue"}},
    }
    iam.put_user_policy(
        UserName="delegate",
        PolicyName="by-tag",
        PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [statement]}),
    )
    key = iam.create_access_key(UserName="delegate")["AccessKey"]
    return _client(server, "iam", {"AccessKeyId": key["AccessKeyId"], "SecretAccessKey": key["SecretAccessKey"]})


def test_aws_resource_tag_on_policies_oidc_providers_and_mfa_devices(server: Server) -> None:
    server.create_account(A)
    iam = _client(server, "iam", server.roots[A])
    document = json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
    )
    tagged = iam.create_policy(PolicyName="tagged", PolicyDocument=document, Tags=BLUE)["Policy"]["Arn"]
    plain = iam.create_policy(PolicyName="plain", PolicyDocument=document)["Policy"]["Arn"]
    provider = iam.create_open_id_connect_provider(Url="https://idp.example.com", ClientIDList=["app"], Tags=BLUE)
    device = iam.create_virtual_mfa_device(VirtualMFADeviceName="tagged", Tags=BLUE)["VirtualMFADevice"]
    actions = ["iam:GetPolicy", "iam:ListPolicyTags", "iam:ListOpenIDConnectProviderTags", "iam:ListMFADeviceTags"]
    delegate = _delegate(server, "aws:ResourceTag", actions)

    assert delegate.get_policy(PolicyArn=tagged)["Policy"]["PolicyName"] == "tagged"
    assert delegate.list_policy_tags(PolicyArn=tagged)["Tags"] == BLUE
    provider_arn = provider["OpenIDConnectProviderArn"]
    assert delegate.list_open_id_connect_provider_tags(OpenIDConnectProviderArn=provider_arn)["Tags"] == BLUE
    assert delegate.list_mfa_device_tags(SerialNumber=device["SerialNumber"])["Tags"] == BLUE
    with pytest.raises(ClientError) as refused:
        delegate.get_policy(PolicyArn=plain)
    assert refused.value.response["Error"]["Message"] == (
        f"User: arn:aws:iam::{A}:user/delegate is not authorized to perform: iam:GetPolicy on resource: "
        f"policy {plain} because no identity-based policy allows the iam:GetPolicy action"
    )


def test_iam_resource_tag_is_for_users_and_roles_only(server: Server) -> None:
    server.create_account(A)
    iam = _client(server, "iam", server.roots[A])
    iam.create_instance_profile(InstanceProfileName="tagged", Tags=BLUE)
    iam.create_role(
        RoleName="tagged",
        Tags=BLUE,
        AssumeRolePolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}
                ],
            }
        ),
    )
    delegate = _delegate(server, "iam:ResourceTag", ["iam:GetRole", "iam:GetInstanceProfile"])
    assert delegate.get_role(RoleName="tagged")["Role"]["RoleName"] == "tagged"
    with pytest.raises(ClientError) as refused:
        delegate.get_instance_profile(InstanceProfileName="tagged")
    assert refused.value.response["Error"]["Code"] == "AccessDenied"

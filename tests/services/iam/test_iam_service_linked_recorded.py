"""Service-linked roles as AWS creates them, service by service: the role's name, its
permissions policy, the default description, and the services that refuse a CustomSuffix.

Pages: CreateServiceLinkedRole (IAM API reference: "Some services do not support the
CustomSuffix parameter. If you provide an optional suffix and the operation fails, try the
operation again without the suffix"), "Create a service-linked role" and each service's
"Using service-linked roles" page (IAM User Guide). The expected values are AWS's recorded
answers (LocalStack's test_iam snapshot, ``test_service_role_lifecycle[SERVICE]`` and
``test_service_role_lifecycle_custom_suffix_not_allowed[SERVICE]``).
"""

from __future__ import annotations

import pytest
from iam_harness import ACCOUNT, Iam

from iamsandbox.errors import InvalidInput

# service -> (role name, policy), as AWS answered.
CASES = {
    "sso.amazonaws.com": ("AWSServiceRoleForSSO", "AWSSSOServiceRolePolicy"),
    "waf.amazonaws.com": ("AWSServiceRoleForWAFLogging", "WAFLoggingServiceRolePolicy"),
    "acm.amazonaws.com": ("AWSServiceRoleForCertificateManager", "CertificateManagerServiceRolePolicy"),
    "ec2.application-autoscaling.amazonaws.com": (
        "AWSServiceRoleForApplicationAutoScaling_EC2SpotFleetRequest",
        "AWSApplicationAutoscalingEC2SpotFleetRequestPolicy",
    ),
    "eks.amazonaws.com": ("AWSServiceRoleForAmazonEKS", "AmazonEKSServiceRolePolicy"),
}


@pytest.mark.parametrize("service", sorted(CASES))
def test_each_service_names_its_role_and_policy(iam: Iam, service: str) -> None:
    """Each service's "Using service-linked roles" page; AWS's recorded answers."""
    name, policy = CASES[service]
    role = iam("CreateServiceLinkedRole", AWSServiceName=service)["Role"]
    assert role["RoleName"] == name
    assert role["Arn"] == f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/{service}/{name}"
    attached = iam("ListAttachedRolePolicies", RoleName=name)["AttachedPolicies"]
    assert attached == [{"PolicyName": policy, "PolicyArn": f"arn:aws:iam::aws:policy/aws-service-role/{policy}"}]


def test_a_default_description_when_none_is_given(iam: Iam) -> None:
    """AWS describes the RDS role itself when the request names no Description
    (GetRole after CreateServiceLinkedRole, recorded: "Allows Amazon RDS to manage AWS
    resources on your behalf"); a Description given wins. CreateServiceLinkedRole's own answer
    names none (test_iam_service_linked.py)."""
    name = iam("CreateServiceLinkedRole", AWSServiceName="rds.amazonaws.com")["Role"]["RoleName"]
    role = iam("GetRole", RoleName=name)["Role"]
    assert role["Description"] == "Allows Amazon RDS to manage AWS resources on your behalf"
    own = iam("CreateServiceLinkedRole", AWSServiceName="ssm.amazonaws.com", Description="mine")["Role"]
    assert iam("GetRole", RoleName=own["RoleName"])["Role"]["Description"] == "mine"


@pytest.mark.parametrize("service", ["ecs.amazonaws.com", "sso.amazonaws.com", "rds.amazonaws.com"])
def test_services_that_refuse_a_custom_suffix(iam: Iam, service: str) -> None:
    """CreateServiceLinkedRole: "Some services do not support the CustomSuffix parameter";
    AWS answers InvalidInput "Custom suffix is not allowed for SERVICE" (recorded), and
    creates nothing."""
    with pytest.raises(InvalidInput) as raised:
        iam("CreateServiceLinkedRole", AWSServiceName=service, CustomSuffix="web")
    assert raised.value.message == f"Custom suffix is not allowed for {service}"
    assert raised.value.status == 400
    assert not [r for r in iam("ListRoles")["Roles"] if r["Path"] == f"/aws-service-role/{service}/"]


def test_services_that_accept_a_custom_suffix(iam: Iam) -> None:
    """Amazon Connect and Lex V2 take a suffix (recorded: AWSServiceRoleForAmazonConnect_SUFFIX
    with AmazonConnectServiceLinkedRolePolicy, AWSServiceRoleForLexV2Bots_SUFFIX)."""
    connect = iam("CreateServiceLinkedRole", AWSServiceName="connect.amazonaws.com", CustomSuffix="web")["Role"]
    assert connect["RoleName"] == "AWSServiceRoleForAmazonConnect_web"
    attached = iam("ListAttachedRolePolicies", RoleName=connect["RoleName"])["AttachedPolicies"]
    assert [p["PolicyName"] for p in attached] == ["AmazonConnectServiceLinkedRolePolicy"]
    lex = iam("CreateServiceLinkedRole", AWSServiceName="lexv2.amazonaws.com", CustomSuffix="b1")["Role"]
    assert lex["RoleName"] == "AWSServiceRoleForLexV2Bots_b1"

"""AWS Organizations' policies deciding real requests, against a real server with boto3.

Each case comes from the Organizations User Guide: "Service control policies (SCPs)" (SCPs
limit the users, roles and root user of member accounts, never the management account's),
"SCP evaluation" (every level from the root to the account must allow; FullAWSAccess is
attached everywhere when SCPs are enabled), "Resource control policies (RCPs)" (they limit
what anyone may do to a member account's resources, S3 and STS among them), "Accessing
member accounts in your organization" (CreateAccount makes OrganizationAccountAccessRole,
trusting the management account); and "AWS global condition context keys"
(aws:PrincipalOrgID in a bucket policy).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from e2e_harness import Server, _client, aws_cli
from e2e_harness import administrator as _admin
from e2e_harness import policy_document as _policy

A, B, C = "111111111111", "222222222222", "333333333333"  # management, member, outsider


def _organization(server: Server) -> tuple[Any, str, str]:
    """A's organization with B invited and joined, SCPs enabled, and B in an OU "Sandbox":
    (A's Organizations client, the organization's id, the OU's id)."""
    for account in (A, B, C):
        server.create_account(account)
    orgs_a = _client(server, "organizations", server.roots[A])
    org_id = orgs_a.create_organization(FeatureSet="ALL")["Organization"]["Id"]
    handshake = orgs_a.invite_account_to_organization(Target={"Type": "ACCOUNT", "Id": B})["Handshake"]
    _client(server, "organizations", server.roots[B]).accept_handshake(HandshakeId=handshake["Id"])
    root_id = orgs_a.list_roots()["Roots"][0]["Id"]
    orgs_a.enable_policy_type(RootId=root_id, PolicyType="SERVICE_CONTROL_POLICY")
    ou_id = orgs_a.create_organizational_unit(ParentId=root_id, Name="Sandbox")["OrganizationalUnit"]["Id"]
    orgs_a.move_account(AccountId=B, SourceParentId=root_id, DestinationParentId=ou_id)
    return orgs_a, org_id, ou_id


def _scp(orgs: Any, name: str, *statements: dict[str, Any], policy_type: str = "SERVICE_CONTROL_POLICY") -> str:
    created = orgs.create_policy(Name=name, Description=name, Type=policy_type, Content=_policy(*statements))
    policy_id: str = created["Policy"]["PolicySummary"]["Id"]
    return policy_id


def _denied(call: Any, *args: Any, **kwargs: Any) -> str:
    with pytest.raises(ClientError) as raised:
        call(*args, **kwargs)
    assert raised.value.response["Error"]["Code"] == "AccessDenied", raised.value.response
    message: str = raised.value.response["Error"]["Message"]
    return message


def test_a_deny_scp_on_an_ou_limits_its_accounts_and_not_the_management_account(server: Server) -> None:
    """ "SCPs affect all users and roles in attached accounts, including the root user"; "SCPs
    don't affect users or roles in the management account" (Service control policies)."""
    orgs_a, _org_id, ou_id = _organization(server)
    admin_b = _admin(server, B)
    s3_b = _client(server, "s3", admin_b)
    s3_b.create_bucket(Bucket="b-bucket")
    s3_b.put_object(Bucket="b-bucket", Key="before", Body=b"x")

    deny = _scp(orgs_a, "DenyPutObject", {"Effect": "Deny", "Action": "s3:PutObject", "Resource": "*"})
    orgs_a.attach_policy(PolicyId=deny, TargetId=ou_id)
    message = _denied(s3_b.put_object, Bucket="b-bucket", Key="after", Body=b"x")
    assert "with an explicit deny in a service control policy" in message
    assert f"arn:aws:iam::{B}:user/admin" in message
    # The root user of a member account too.
    _denied(_client(server, "s3", server.roots[B]).put_object, Bucket="b-bucket", Key="root", Body=b"x")
    # What the SCP does not name still works: FullAWSAccess allows it at every level.
    assert s3_b.get_object(Bucket="b-bucket", Key="before")["Body"].read() == b"x"
    # The management account is not limited, even when the policy is attached to the root.
    root_id = orgs_a.list_roots()["Roots"][0]["Id"]
    orgs_a.attach_policy(PolicyId=deny, TargetId=root_id)
    s3_a = _client(server, "s3", _admin(server, A))
    s3_a.create_bucket(Bucket="a-bucket")
    s3_a.put_object(Bucket="a-bucket", Key="k", Body=b"x")

    orgs_a.detach_policy(PolicyId=deny, TargetId=ou_id)
    orgs_a.detach_policy(PolicyId=deny, TargetId=root_id)
    s3_b.put_object(Bucket="b-bucket", Key="after", Body=b"x")


def test_an_allow_list_scp_in_place_of_full_aws_access_allows_only_what_it_lists(server: Server) -> None:
    """ "SCP evaluation": with FullAWSAccess replaced by an SCP allowing S3 reads at the
    account's level, a write is allowed by no SCP at that level."""
    orgs_a, _org_id, _ou_id = _organization(server)
    admin_b = _admin(server, B)
    s3_b = _client(server, "s3", admin_b)
    s3_b.create_bucket(Bucket="b-bucket")
    reads = _scp(orgs_a, "AllowS3Reads", {"Effect": "Allow", "Action": ["s3:Get*", "s3:List*"], "Resource": "*"})
    orgs_a.attach_policy(PolicyId=reads, TargetId=B)
    orgs_a.detach_policy(PolicyId="p-FullAWSAccess", TargetId=B)
    attached = orgs_a.list_policies_for_target(TargetId=B, Filter="SERVICE_CONTROL_POLICY")["Policies"]
    assert [policy["Name"] for policy in attached] == ["AllowS3Reads"]

    assert s3_b.list_objects_v2(Bucket="b-bucket")["KeyCount"] == 0
    message = _denied(s3_b.put_object, Bucket="b-bucket", Key="k", Body=b"x")
    assert "because no service control policy allows the s3:PutObject action" in message
    # IAM is outside the allow list: an administrator cannot make users either.
    with pytest.raises(ClientError) as raised:
        _client(server, "iam", admin_b).create_user(UserName="other")
    assert "no service control policy allows the iam:CreateUser action" in raised.value.response["Error"]["Message"]


def test_principal_org_id_in_a_bucket_policy_admits_the_organization_only(server: Server) -> None:
    """aws:PrincipalOrgID ("AWS global condition context keys"): "Use this key to compare the
    identifier of the organization in AWS Organizations to which the requesting principal
    belongs with the identifier specified in the policy"; an account in no organization has
    no value, so StringEquals does not match."""
    _orgs_a, org_id, _ou_id = _organization(server)
    s3_a = _client(server, "s3", server.roots[A])
    s3_a.create_bucket(Bucket="org-shared")
    s3_a.put_object(Bucket="org-shared", Key="report.csv", Body=b"a,b\n")
    s3_a.put_bucket_policy(
        Bucket="org-shared",
        Policy=_policy(
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": "arn:aws:s3:::org-shared/*",
                "Condition": {"StringEquals": {"aws:PrincipalOrgID": org_id}},
            }
        ),
    )
    inside = _client(server, "s3", _admin(server, B))
    assert inside.get_object(Bucket="org-shared", Key="report.csv")["Body"].read() == b"a,b\n"
    outside = _client(server, "s3", _admin(server, C))
    with pytest.raises(ClientError) as raised:
        outside.get_object(Bucket="org-shared", Key="report.csv")
    assert raised.value.response["Error"]["Code"] == "AccessDenied"
    # S3 adds its context to a denial "for requests made to resources within the same AWS
    # account or same organization" ("Troubleshoot access denied (403 Forbidden) errors in
    # Amazon S3"): the member hears why, the outsider only "Access Denied".
    assert raised.value.response["Error"]["Message"] == "Access Denied"
    message = _denied(inside.put_object, Bucket="org-shared", Key="x", Body=b"x")
    assert message.startswith(f"User: arn:aws:iam::{B}:user/admin is not authorized to perform: s3:PutObject")


def test_a_resource_control_policy_keeps_a_member_accounts_bucket_inside_the_organization(server: Server) -> None:
    """ "Resource control policies (RCPs)": an RCP denying S3 to principals outside the
    organization (the data perimeter example) refuses another account's access that the
    bucket policy grants; the member's own principals keep theirs."""
    orgs_a, org_id, _ou_id = _organization(server)
    root_id = orgs_a.list_roots()["Roots"][0]["Id"]
    orgs_a.enable_policy_type(RootId=root_id, PolicyType="RESOURCE_CONTROL_POLICY")
    admin_b = _admin(server, B)
    s3_b = _client(server, "s3", admin_b)
    s3_b.create_bucket(Bucket="b-data")
    s3_b.put_object(Bucket="b-data", Key="k", Body=b"x")
    s3_b.put_bucket_policy(
        Bucket="b-data",
        Policy=_policy(
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{C}:root"},
                "Action": "s3:GetObject",
                "Resource": "arn:aws:s3:::b-data/*",
            }
        ),
    )
    outsider = _client(server, "s3", _admin(server, C))
    assert outsider.get_object(Bucket="b-data", Key="k")["Body"].read() == b"x"  # before the RCP

    perimeter = _scp(
        orgs_a,
        "EnforceOrgIdentities",
        {
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": "*",
            "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": org_id}},
        },
        policy_type="RESOURCE_CONTROL_POLICY",
    )
    orgs_a.attach_policy(PolicyId=perimeter, TargetId=B)
    with pytest.raises(ClientError) as raised:
        outsider.get_object(Bucket="b-data", Key="k")
    assert raised.value.response["Error"]["Code"] == "AccessDenied"
    assert s3_b.get_object(Bucket="b-data", Key="k")["Body"].read() == b"x"


def test_create_account_makes_a_member_the_management_account_administers_by_role(server: Server) -> None:
    """ "Accessing member accounts in your organization": an account made with CreateAccount
    has OrganizationAccountAccessRole, "which grants full administrator permissions in the
    member account" and trusts the management account."""
    for account in (A, B):
        server.create_account(account)
    orgs_a = _client(server, "organizations", server.roots[A])
    orgs_a.create_organization(FeatureSet="ALL")
    status = orgs_a.create_account(Email="new@example.com", AccountName="New")["CreateAccountStatus"]
    status = orgs_a.describe_create_account_status(CreateAccountRequestId=status["Id"])["CreateAccountStatus"]
    assert status["State"] == "SUCCEEDED"
    new_account = status["AccountId"]
    assert {account["Id"] for account in orgs_a.list_accounts()["Accounts"]} == {A, new_account}

    sts = _client(server, "sts", _admin(server, A))
    credentials = sts.assume_role(
        RoleArn=f"arn:aws:iam::{new_account}:role/OrganizationAccountAccessRole", RoleSessionName="ops"
    )["Credentials"]
    keys = {"AccessKeyId": credentials["AccessKeyId"], "SecretAccessKey": credentials["SecretAccessKey"]}
    s3_new = _client(server, "s3", keys, credentials["SessionToken"])
    s3_new.create_bucket(Bucket="made-by-the-management-account")
    # Another account is not trusted.
    other = _client(server, "sts", _admin(server, B))
    with pytest.raises(ClientError):
        other.assume_role(
            RoleArn=f"arn:aws:iam::{new_account}:role/OrganizationAccountAccessRole", RoleSessionName="other"
        )


def test_management_operations_are_refused_to_members_and_outsiders(server: Server) -> None:
    """ListAccounts "can be called only from the organization's management account"
    (AccessDeniedException, "You don't have permissions to access this resource."); an
    account in no organization is AWSOrganizationsNotInUseException."""
    _organization(server)
    with pytest.raises(ClientError) as raised:
        _client(server, "organizations", server.roots[B]).list_accounts()
    assert raised.value.response["Error"]["Code"] == "AccessDeniedException"
    assert raised.value.response["Error"]["Message"] == "You don't have permissions to access this resource."
    with pytest.raises(ClientError) as raised:
        _client(server, "organizations", server.roots[C]).describe_organization()
    assert raised.value.response["Error"]["Code"] == "AWSOrganizationsNotInUseException"


def test_an_identity_policy_must_allow_organizations_actions(server: Server) -> None:
    """Organizations' actions are authorized as any other: a user of the management account
    without a policy allowing organizations:ListAccounts is refused."""
    _organization(server)
    iam_a = _client(server, "iam", server.roots[A])
    iam_a.create_user(UserName="nobody")
    key = iam_a.create_access_key(UserName="nobody")["AccessKey"]
    with pytest.raises(ClientError) as raised:
        _client(server, "organizations", key).list_accounts()
    assert raised.value.response["Error"]["Code"] == "AccessDeniedException"


def test_the_aws_cli_describes_the_organization(server: Server, tmp_path: Path) -> None:
    """`aws organizations describe-organization` (AWS CLI Command Reference) against the server."""
    _orgs_a, org_id, _ou_id = _organization(server)
    done = aws_cli(server, tmp_path, server.roots[A], "organizations", "describe-organization")
    assert done.returncode == 0, done.stderr
    organization = json.loads(done.stdout)["Organization"]
    assert organization["Id"] == org_id
    assert organization["MasterAccountId"] == A
    assert organization["FeatureSet"] == "ALL"


def test_the_policy_simulator_applies_the_accounts_scps(server: Server) -> None:
    """SimulatePrincipalPolicy of a member account's user: "The IAM policy simulator evaluates
    statements in identity-based policies, service control policies (SCPs) ..." (AWS CLI
    Command Reference, simulate-custom-policy), and OrganizationsDecisionDetail's
    AllowedByOrganizations says "whether the simulated operation is allowed by the
    Organizations service control policies that impact the simulated user's account"."""
    orgs_a, _org_id, ou_id = _organization(server)
    _admin(server, B)
    deny = _scp(orgs_a, "DenyPutObject", {"Effect": "Deny", "Action": "s3:PutObject", "Resource": "*"})
    orgs_a.attach_policy(PolicyId=deny, TargetId=ou_id)
    iam_b = _client(server, "iam", server.roots[B])
    results = iam_b.simulate_principal_policy(
        PolicySourceArn=f"arn:aws:iam::{B}:user/admin", ActionNames=["s3:PutObject", "s3:GetObject"]
    )["EvaluationResults"]
    by_action = {result["EvalActionName"]: result for result in results}
    assert by_action["s3:PutObject"]["EvalDecision"] == "explicitDeny"
    assert by_action["s3:PutObject"]["OrganizationsDecisionDetail"] == {"AllowedByOrganizations": False}
    assert by_action["s3:GetObject"]["EvalDecision"] == "allowed"
    assert by_action["s3:GetObject"]["OrganizationsDecisionDetail"] == {"AllowedByOrganizations": True}
    # PolicyExclusionList's PolicyType "scp" (PolicyIdentifier) leaves the SCPs out.
    (result,) = iam_b.simulate_principal_policy(
        PolicySourceArn=f"arn:aws:iam::{B}:user/admin",
        ActionNames=["s3:PutObject"],
        PolicyExclusionList=[{"PolicyType": "scp"}],
    )["EvaluationResults"]
    assert result["EvalDecision"] == "allowed" and "OrganizationsDecisionDetail" not in result


def test_attach_policy_needs_the_policy_and_the_target_allowed(server: Server) -> None:
    """AttachPolicy's resource types are the policy and the root, OU or account it is attached
    to ("Actions, resources, and condition keys for AWS Organizations"): a delegate allowed it
    on one OU only cannot attach the policy elsewhere."""
    orgs_a, org_id, ou_id = _organization(server)
    deny = _scp(orgs_a, "DenyPutObject", {"Effect": "Deny", "Action": "s3:PutObject", "Resource": "*"})
    iam_a = _client(server, "iam", server.roots[A])
    iam_a.create_user(UserName="delegate")
    iam_a.put_user_policy(
        UserName="delegate",
        PolicyName="attach-to-sandbox",
        PolicyDocument=_policy(
            {
                "Effect": "Allow",
                "Action": "organizations:AttachPolicy",
                "Resource": [
                    f"arn:aws:organizations::{A}:policy/{org_id}/service_control_policy/*",
                    f"arn:aws:organizations::{A}:ou/{org_id}/{ou_id}",
                ],
            }
        ),
    )
    key = iam_a.create_access_key(UserName="delegate")["AccessKey"]
    delegate = _client(server, "organizations", key)
    delegate.attach_policy(PolicyId=deny, TargetId=ou_id)
    root_id = orgs_a.list_roots()["Roots"][0]["Id"]
    with pytest.raises(ClientError) as raised:
        delegate.attach_policy(PolicyId=deny, TargetId=root_id)
    assert raised.value.response["Error"]["Code"] == "AccessDeniedException"
    assert [target["TargetId"] for target in orgs_a.list_targets_for_policy(PolicyId=deny)["Targets"]] == [ou_id]


def test_creating_with_tags_needs_tag_resource(server: Server) -> None:
    """ "If the request includes tags, then the requester must have the
    organizations:TagResource permission" (InviteAccountToOrganization, Organizations API
    Reference; the Service Authorization Reference lists organizations:TagResource for
    CreateOrganizationalUnit, CreateAccount and CreatePolicy)."""
    orgs_a, _org_id, _ou_id = _organization(server)
    root_id = orgs_a.list_roots()["Roots"][0]["Id"]
    iam_a = _client(server, "iam", server.roots[A])
    iam_a.create_user(UserName="builder")
    iam_a.put_user_policy(
        UserName="builder",
        PolicyName="create-ous",
        PolicyDocument=_policy(
            {"Effect": "Allow", "Action": "organizations:CreateOrganizationalUnit", "Resource": "*"}
        ),
    )
    key = iam_a.create_access_key(UserName="builder")["AccessKey"]
    builder = _client(server, "organizations", key)
    builder.create_organizational_unit(ParentId=root_id, Name="Untagged")
    with pytest.raises(ClientError) as raised:
        builder.create_organizational_unit(ParentId=root_id, Name="Tagged", Tags=[{"Key": "team", "Value": "a"}])
    assert raised.value.response["Error"]["Code"] == "AccessDeniedException"
    names = [ou["Name"] for ou in orgs_a.list_organizational_units_for_parent(ParentId=root_id)["OrganizationalUnits"]]
    assert "Tagged" not in names  # nothing made

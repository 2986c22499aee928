"""A review of AWS Organizations against AWS's pages, with boto3, the AWS CLI and raw signed
requests against a real server.

Pages (Organizations User Guide unless said): "SCP evaluation"; "Inheritance for service control
policies"; "General examples" of SCPs (deny by aws:RequestedRegion with NotAction exemptions and
an exempted administrator role; prevent member accounts from leaving; restrict the root user of
member accounts with aws:PrincipalArn; protect an IAM role except from an administrator role;
require MFA; deny S3 uploads without server-side encryption); "SCP syntax" (conditions and
NotAction in Allow statements); "Resource control policies (RCPs)" and "RCP examples"
(aws:SecureTransport; restricting sts:AssumeRole to the organization with aws:PrincipalOrgID and
aws:PrincipalIsAWSService); "Enabling and disabling policy types"; "Accessing member accounts in
your organization" (OrganizationAccountAccessRole); IAM User Guide "AWS global condition context
keys" (aws:PrincipalOrgPaths: "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/ou-ab12-22222222/", compared
with ForAnyValue:StringLike) and "Troubleshoot access denied error messages" ("with an explicit
deny in a service control policy", "because no service control policy allows", and the same for
"resource control policy"); the AWS Organizations API Reference (the operations, their errors and
Reasons, MaxResults/NextToken paging).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError
from e2e_harness import Server, _client, aws_cli
from e2e_harness import administrator as _admin
from e2e_harness import policy_document as _policy

from shared_boto import shared_client

A, B, C = "111111111111", "222222222222", "333333333333"  # management, member, outsider
ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess"
SCP, RCP = "SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY"
TARGET = "AWSOrganizationsV20161128."


def _in(server: Server, service: str, keys: dict[str, str], region: str, token: str | None = None) -> Any:
    """A client of ``service`` signing for ``region``."""
    return shared_client(
        service,
        endpoint_url=server.url,
        region_name=region,
        aws_access_key_id=keys["AccessKeyId"],
        aws_secret_access_key=keys["SecretAccessKey"],
        aws_session_token=token,
        config=Config(retries={"max_attempts": 0}),
    )


def _role(server: Server, account: str, name: str, trusted: list[str]) -> str:
    iam = _client(server, "iam", server.roots[account])
    trust = {"Effect": "Allow", "Principal": {"AWS": trusted}, "Action": "sts:AssumeRole"}
    iam.create_role(RoleName=name, AssumeRolePolicyDocument=_policy(trust))
    iam.attach_role_policy(RoleName=name, PolicyArn=ADMIN)
    return f"arn:aws:iam::{account}:role/{name}"


def _session(server: Server, keys: dict[str, str], role_arn: str, name: str = "review") -> tuple[dict[str, str], str]:
    credentials = _client(server, "sts", keys).assume_role(RoleArn=role_arn, RoleSessionName=name)["Credentials"]
    return {"AccessKeyId": credentials["AccessKeyId"], "SecretAccessKey": credentials["SecretAccessKey"]}, str(
        credentials["SessionToken"]
    )


def _organization(server: Server, *types: str) -> tuple[Any, str, str, str]:
    """A's organization, B invited and joined into an OU "Work", ``types`` enabled on the root:
    (A's Organizations client, organization id, root id, OU id). C stays outside."""
    for account in (A, B, C):
        server.create_account(account)
    orgs = _client(server, "organizations", server.roots[A])
    org_id = orgs.create_organization(FeatureSet="ALL")["Organization"]["Id"]
    handshake = orgs.invite_account_to_organization(Target={"Type": "ACCOUNT", "Id": B})["Handshake"]
    _client(server, "organizations", server.roots[B]).accept_handshake(HandshakeId=handshake["Id"])
    root_id = orgs.list_roots()["Roots"][0]["Id"]
    for policy_type in types:
        orgs.enable_policy_type(RootId=root_id, PolicyType=policy_type)
    ou_id = orgs.create_organizational_unit(ParentId=root_id, Name="Work")["OrganizationalUnit"]["Id"]
    orgs.move_account(AccountId=B, SourceParentId=root_id, DestinationParentId=ou_id)
    return orgs, org_id, root_id, ou_id


def _create(orgs: Any, name: str, *statements: dict[str, Any], policy_type: str = SCP) -> str:
    summary = orgs.create_policy(Name=name, Description=name, Type=policy_type, Content=_policy(*statements))
    return str(summary["Policy"]["PolicySummary"]["Id"])


def _error(call: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
    with pytest.raises(ClientError) as raised:
        call(*args, **kwargs)
    response: dict[str, Any] = raised.value.response
    return response


def _denied(call: Any, *args: Any, **kwargs: Any) -> str:
    error = _error(call, *args, **kwargs)["Error"]
    assert error["Code"] == "AccessDenied", error
    return str(error["Message"])


def test_the_region_deny_scp_exempts_global_services_and_an_administrator_role(server: Server) -> None:
    """ "General examples" (Organizations User Guide), "Deny access to AWS based on the requested
    AWS Region": a Deny with NotAction for the global services and StringNotEquals on
    aws:RequestedRegion, ArnNotLike aws:PrincipalARN for an exempted role. "SCPs affect ... the
    root user" of member accounts; "SCPs don't affect users or roles in the management account"."""
    orgs, _org, _root, ou_id = _organization(server, SCP)
    admin_b = _admin(server, B)
    bypass = _role(server, B, "Role1AllowedToBypassThisSCP", [f"arn:aws:iam::{B}:root"])
    region_deny = _create(
        orgs,
        "DenyAllOutsideEU",
        {
            "Sid": "DenyAllOutsideEU",
            "Effect": "Deny",
            "NotAction": ["iam:*", "organizations:*", "sts:*"],
            "Resource": "*",
            "Condition": {
                "StringNotEquals": {"aws:RequestedRegion": ["eu-central-1", "eu-west-1"]},
                "ArnNotLike": {"aws:PrincipalARN": ["arn:aws:iam::*:role/Role1AllowedToBypassThisSCP"]},
            },
        },
    )
    orgs.attach_policy(PolicyId=region_deny, TargetId=ou_id)

    message = _denied(_in(server, "s3", admin_b, "us-east-1").list_buckets)
    assert message == (
        f"User: arn:aws:iam::{B}:user/admin is not authorized to perform: s3:ListAllMyBuckets "
        "with an explicit deny in a service control policy"
    )
    _in(server, "s3", admin_b, "eu-west-1").list_buckets()  # an approved Region
    _in(server, "iam", admin_b, "us-east-1").list_users()  # exempted by NotAction
    _in(server, "sts", admin_b, "us-east-1").get_caller_identity()
    _in(server, "organizations", admin_b, "us-east-1").describe_organization()
    # The root user of the member is limited too; the exempted role is not.
    _denied(_in(server, "s3", server.roots[B], "us-east-1").list_buckets)
    keys, token = _session(server, admin_b, bypass)
    _in(server, "s3", keys, "us-east-1", token).list_buckets()
    # The management account is never limited, even with the SCP on the root.
    orgs.attach_policy(PolicyId=region_deny, TargetId=orgs.list_roots()["Roots"][0]["Id"])
    _in(server, "s3", server.roots[A], "us-east-1").list_buckets()
    _in(server, "s3", _admin(server, A), "us-east-1").list_buckets()


def test_scps_that_keep_members_in_and_restrict_their_root_user(server: Server) -> None:
    """ "General examples": "Prevent member accounts from leaving the organization" (Deny
    organizations:LeaveOrganization) and "Restrict access ... for the root user" of member accounts
    (Deny with ArnLike aws:PrincipalArn "arn:aws:iam::*:root"). Organizations answers a denial
    with AccessDeniedException ("Troubleshoot access denied error messages"; the API Reference's
    AccessDeniedException)."""
    orgs, _org, root_id, _ou = _organization(server, SCP)
    admin_b = _admin(server, B)
    no_leaving = _create(
        orgs, "PreventLeaving", {"Effect": "Deny", "Action": "organizations:LeaveOrganization", "Resource": "*"}
    )
    orgs.attach_policy(PolicyId=no_leaving, TargetId=root_id)
    for keys in (admin_b, server.roots[B]):
        error = _error(_client(server, "organizations", keys).leave_organization)
        assert error["Error"]["Code"] == "AccessDeniedException"
        assert error["ResponseMetadata"]["HTTPStatusCode"] == 400  # botocore's model: a 400 error
    orgs.detach_policy(PolicyId=no_leaving, TargetId=root_id)

    root_users = _create(
        orgs,
        "RestrictRootUser",
        {
            "Effect": "Deny",
            "Action": "*",
            "Resource": "*",
            "Condition": {"ArnLike": {"aws:PrincipalArn": ["arn:aws:iam::*:root"]}},
        },
    )
    orgs.attach_policy(PolicyId=root_users, TargetId=root_id)
    message = _denied(_client(server, "s3", server.roots[B]).list_buckets)
    assert message.endswith("with an explicit deny in a service control policy")
    assert message.startswith(f"User: arn:aws:iam::{B}:root is not authorized to perform: s3:ListAllMyBuckets")
    error = _error(_client(server, "iam", server.roots[B]).list_users)["Error"]
    assert error["Code"] == "AccessDenied"
    assert error["Message"].endswith("with an explicit deny in a service control policy")
    _client(server, "s3", admin_b).list_buckets()  # an IAM user of the member is not the root user
    _client(server, "s3", server.roots[A]).list_buckets()  # the management account's root user


def test_an_scp_protects_a_role_from_everyone_but_an_administrator_role(server: Server) -> None:
    """ "General examples": "Protect IAM roles from modification ... except an administrator role"
    (Deny iam:AttachRolePolicy, ... on the role, ArnNotLike aws:PrincipalARN the admin role)."""
    orgs, _org, _root, _ou = _organization(server, SCP)
    admin_b = _admin(server, B)
    _role(server, B, "protected", [f"arn:aws:iam::{B}:root"])
    admin_role = _role(server, B, "admin-role", [f"arn:aws:iam::{B}:root"])
    protect = _create(
        orgs,
        "ProtectRole",
        {
            "Effect": "Deny",
            "Action": ["iam:AttachRolePolicy", "iam:DeleteRole", "iam:DetachRolePolicy", "iam:PutRolePolicy"],
            "Resource": ["arn:aws:iam::*:role/protected"],
            "Condition": {"ArnNotLike": {"aws:PrincipalARN": "arn:aws:iam::*:role/admin-role"}},
        },
    )
    orgs.attach_policy(PolicyId=protect, TargetId=B)
    iam_b = _client(server, "iam", admin_b)
    error = _error(iam_b.attach_role_policy, RoleName="protected", PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
    assert error["Error"]["Code"] == "AccessDenied"
    assert error["Error"]["Message"].endswith("with an explicit deny in a service control policy")
    iam_b.attach_role_policy(RoleName="admin-role", PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
    keys, token = _session(server, admin_b, admin_role)
    _client(server, "iam", keys, token).attach_role_policy(
        RoleName="protected", PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess"
    )


def test_scps_requiring_mfa_and_encrypted_uploads(server: Server) -> None:
    """ "General examples": require MFA (BoolIfExists aws:MultiFactorAuthPresent "false") and
    deny S3 uploads without server-side encryption (Null s3:x-amz-server-side-encryption)."""
    orgs, _org, _root, ou_id = _organization(server, SCP)
    s3_b = _client(server, "s3", _admin(server, B))
    s3_b.create_bucket(Bucket="b-uploads")
    mfa = _create(
        orgs,
        "RequireMFA",
        {
            "Effect": "Deny",
            "Action": "s3:CreateBucket",
            "Resource": "*",
            "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}},
        },
    )
    encrypted = _create(
        orgs,
        "DenyUnencrypted",
        {
            "Effect": "Deny",
            "Action": "s3:PutObject",
            "Resource": "*",
            "Condition": {"Null": {"s3:x-amz-server-side-encryption": "true"}},
        },
    )
    orgs.attach_policy(PolicyId=mfa, TargetId=ou_id)
    orgs.attach_policy(PolicyId=encrypted, TargetId=B)
    assert "explicit deny in a service control policy" in _denied(s3_b.create_bucket, Bucket="b-second")
    assert "explicit deny in a service control policy" in _denied(
        s3_b.put_object, Bucket="b-uploads", Key="plain", Body=b"x"
    )
    s3_b.put_object(Bucket="b-uploads", Key="sealed", Body=b"x", ServerSideEncryption="AES256")


def test_moving_disabling_and_leaving_change_what_applies_at_once(server: Server) -> None:
    """ "Inheritance for service control policies": an account gets the SCPs of its parents, so a
    MoveAccount changes them; "Enabling and disabling policy types": disabling SCPs detaches them
    all, and enabling again leaves FullAWSAccess only; an account that leaves (LeaveOrganization)
    is no longer limited, and MasterCannotLeaveOrganizationException refuses the management account."""
    orgs, _org, root_id, ou_id = _organization(server, SCP)
    s3_b = _client(server, "s3", _admin(server, B))
    quarantine = orgs.create_organizational_unit(ParentId=root_id, Name="Quarantine")["OrganizationalUnit"]["Id"]
    deny = _create(orgs, "DenyListing", {"Effect": "Deny", "Action": "s3:ListAllMyBuckets", "Resource": "*"})
    orgs.attach_policy(PolicyId=deny, TargetId=quarantine)

    s3_b.list_buckets()
    orgs.move_account(AccountId=B, SourceParentId=ou_id, DestinationParentId=quarantine)
    _denied(s3_b.list_buckets)
    orgs.move_account(AccountId=B, SourceParentId=quarantine, DestinationParentId=ou_id)
    s3_b.list_buckets()
    orgs.move_account(AccountId=B, SourceParentId=ou_id, DestinationParentId=quarantine)

    orgs.disable_policy_type(RootId=root_id, PolicyType=SCP)
    s3_b.list_buckets()
    assert orgs.list_roots()["Roots"][0]["PolicyTypes"] == []
    assert _error(orgs.attach_policy, PolicyId=deny, TargetId=B)["Error"]["Code"] == "PolicyTypeNotEnabledException"
    orgs.enable_policy_type(RootId=root_id, PolicyType=SCP)
    attached = orgs.list_policies_for_target(TargetId=quarantine, Filter=SCP)["Policies"]
    assert [policy["Id"] for policy in attached] == ["p-FullAWSAccess"]
    s3_b.list_buckets()

    orgs.attach_policy(PolicyId=deny, TargetId=B)
    _denied(s3_b.list_buckets)
    error = _error(orgs.leave_organization)["Error"]
    assert error["Code"] == "MasterCannotLeaveOrganizationException"
    _client(server, "organizations", server.roots[B]).leave_organization()
    s3_b.list_buckets()
    assert (
        _error(_client(server, "organizations", server.roots[B]).describe_organization)["Error"]["Code"]
        == "AWSOrganizationsNotInUseException"
    )


def test_sessions_of_roles_in_a_member_account_are_limited(server: Server) -> None:
    """ "Accessing member accounts in your organization": CreateAccount makes
    OrganizationAccountAccessRole trusting the management account; "SCPs affect all users and
    roles in attached accounts", so its sessions (and a role chained from it) are limited while a
    role session in the management account is not."""
    for account in (A, B):
        server.create_account(account)
    orgs = _client(server, "organizations", server.roots[A])
    orgs.create_organization(FeatureSet="ALL")
    orgs.enable_policy_type(RootId=orgs.list_roots()["Roots"][0]["Id"], PolicyType=SCP)
    request = orgs.create_account(Email="member@example.com", AccountName="Member")["CreateAccountStatus"]
    status = orgs.describe_create_account_status(CreateAccountRequestId=request["Id"])["CreateAccountStatus"]
    assert status["State"] == "SUCCEEDED"
    member = status["AccountId"]
    account = orgs.describe_account(AccountId=member)["Account"]
    assert account["JoinedMethod"] == "CREATED"
    assert account["Email"] == "member@example.com"
    deny = _create(orgs, "DenyS3", {"Effect": "Deny", "Action": "s3:*", "Resource": "*"})
    orgs.attach_policy(PolicyId=deny, TargetId=member)

    ops = _admin(server, A, "ops")
    keys, token = _session(server, ops, f"arn:aws:iam::{member}:role/OrganizationAccountAccessRole", "ops")
    message = _denied(_client(server, "s3", keys, token).list_buckets)
    assert message == (
        f"User: arn:aws:sts::{member}:assumed-role/OrganizationAccountAccessRole/ops is not authorized to "
        "perform: s3:ListAllMyBuckets with an explicit deny in a service control policy"
    )
    _client(server, "iam", keys, token).list_roles()  # not named by the SCP
    iam_member = _client(server, "iam", keys, token)
    trust = {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{member}:root"}, "Action": "sts:AssumeRole"}
    iam_member.create_role(RoleName="inner", AssumeRolePolicyDocument=_policy(trust))
    iam_member.attach_role_policy(RoleName="inner", PolicyArn=ADMIN)
    sts = _client(server, "sts", keys, token)
    chained = sts.assume_role(RoleArn=f"arn:aws:iam::{member}:role/inner", RoleSessionName="inner")["Credentials"]
    chained_keys = {"AccessKeyId": chained["AccessKeyId"], "SecretAccessKey": chained["SecretAccessKey"]}
    assert "explicit deny in a service control policy" in _denied(
        _client(server, "s3", chained_keys, chained["SessionToken"]).list_buckets
    )
    # A role of the management account, with the same SCP on the root: not limited.
    orgs.attach_policy(PolicyId=deny, TargetId=orgs.list_roots()["Roots"][0]["Id"])
    own = _role(server, A, "mgmt-role", [f"arn:aws:iam::{A}:root"])
    keys_a, token_a = _session(server, ops, own)
    _client(server, "s3", keys_a, token_a).list_buckets()


def test_an_rcp_keeps_assume_role_of_member_roles_inside_the_organization(server: Server) -> None:
    """ "RCP examples": Deny sts:AssumeRole to principals of other organizations
    (StringNotEqualsIfExists aws:PrincipalOrgID, BoolIfExists aws:PrincipalIsAWSService false);
    an outsider the trust policy names is refused "with an explicit deny in a resource control
    policy"; the management account's principals, in the organization, are not. RCPFullAWSAccess
    is attached everywhere once RCPs are enabled ("RCP syntax")."""
    orgs, org_id, root_id, _ou = _organization(server, SCP, RCP)
    attached = orgs.list_policies_for_target(TargetId=B, Filter=RCP)["Policies"]
    assert [policy["Name"] for policy in attached] == ["RCPFullAWSAccess"]
    role = _role(server, B, "shared", [f"arn:aws:iam::{C}:root", f"arn:aws:iam::{A}:root"])
    outsider, insider = _admin(server, C), _admin(server, A)
    _session(server, outsider, role)  # before the RCP
    perimeter = _create(
        orgs,
        "EnforceOrgIdentities",
        {
            "Effect": "Deny",
            "Principal": "*",
            "Action": "sts:AssumeRole",
            "Resource": "*",
            "Condition": {
                "StringNotEqualsIfExists": {"aws:PrincipalOrgID": org_id},
                "BoolIfExists": {"aws:PrincipalIsAWSService": "false"},
            },
        },
        policy_type=RCP,
    )
    orgs.attach_policy(PolicyId=perimeter, TargetId=root_id)
    error = _error(_client(server, "sts", outsider).assume_role, RoleArn=role, RoleSessionName="outside")["Error"]
    assert error["Code"] == "AccessDenied"
    assert error["Message"] == (
        f"User: arn:aws:iam::{C}:user/admin is not authorized to perform: sts:AssumeRole on resource: "
        f"{role} with an explicit deny in a resource control policy"
    )
    _session(server, insider, role)


def test_an_rcp_requiring_secure_transport_binds_member_resources_only(server: Server) -> None:
    """ "RCP examples": Deny when aws:SecureTransport is false. RCPs limit the member account's
    resources for every caller, its own included; they "don't apply to resources in the management
    account" ("Resource control policies (RCPs)"); IAM is not among the services RCPs support."""
    orgs, _org, _root, _ou = _organization(server, SCP, RCP)
    s3_a, s3_b = _client(server, "s3", server.roots[A]), _client(server, "s3", _admin(server, B))
    s3_a.create_bucket(Bucket="a-bucket")
    s3_b.create_bucket(Bucket="b-bucket")
    tls = _create(
        orgs,
        "EnforceTLS",
        {
            "Effect": "Deny",
            "Principal": "*",
            "Action": ["s3:*", "sts:*"],
            "Resource": "*",
            "Condition": {"BoolIfExists": {"aws:SecureTransport": "false"}},
        },
        policy_type=RCP,
    )
    orgs.attach_policy(PolicyId=tls, TargetId=B)
    message = _denied(s3_b.list_objects_v2, Bucket="b-bucket")  # the server speaks plain HTTP
    assert message.endswith("with an explicit deny in a resource control policy")
    _client(server, "iam", server.roots[B]).list_users()
    s3_a.list_objects_v2(Bucket="a-bucket")
    orgs.detach_policy(PolicyId=tls, TargetId=B)
    s3_b.list_objects_v2(Bucket="b-bucket")


def test_principal_org_paths_with_for_any_value_string_like(server: Server) -> None:
    """aws:PrincipalOrgPaths ("AWS global condition context keys"): the path of the principal's
    account, "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/ou-ab12-22222222/"; "ForAnyValue:StringLike"
    with "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*" matches the OU and every OU below it. A move
    changes it at once."""
    orgs, org_id, root_id, ou_id = _organization(server, SCP)
    below = orgs.create_organizational_unit(ParentId=ou_id, Name="Below")["OrganizationalUnit"]["Id"]
    elsewhere = orgs.create_organizational_unit(ParentId=root_id, Name="Elsewhere")["OrganizationalUnit"]["Id"]
    s3_a = _client(server, "s3", server.roots[A])
    s3_a.create_bucket(Bucket="paths")
    s3_a.delete_public_access_block(Bucket="paths")
    s3_a.put_object(Bucket="paths", Key="k", Body=b"x")
    s3_a.put_bucket_policy(
        Bucket="paths",
        Policy=_policy(
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": "arn:aws:s3:::paths/*",
                "Condition": {"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": [f"{org_id}/{root_id}/{ou_id}/*"]}},
            }
        ),
    )
    s3_b = _client(server, "s3", _admin(server, B))
    assert s3_b.get_object(Bucket="paths", Key="k")["Body"].read() == b"x"  # in the OU
    orgs.move_account(AccountId=B, SourceParentId=ou_id, DestinationParentId=below)
    assert s3_b.get_object(Bucket="paths", Key="k")["Body"].read() == b"x"  # below it
    orgs.move_account(AccountId=B, SourceParentId=below, DestinationParentId=elsewhere)
    _denied(s3_b.get_object, Bucket="paths", Key="k")
    # The exact path of an account directly in an OU ends with the OU's id and "/".
    exact = f"{org_id}/{root_id}/{elsewhere}/"
    iam_b = _client(server, "iam", server.roots[B])
    iam_b.put_user_policy(
        UserName="admin",
        PolicyName="deny-by-path",
        PolicyDocument=_policy(
            {
                "Effect": "Deny",
                "Action": "s3:ListAllMyBuckets",
                "Resource": "*",
                "Condition": {"ForAnyValue:StringEquals": {"aws:PrincipalOrgPaths": [exact]}},
            }
        ),
    )
    assert "explicit deny in an identity-based policy" in _denied(s3_b.list_buckets)


def test_an_allow_list_scp_with_a_condition_at_the_ou_level(server: Server) -> None:
    """ "SCP syntax": conditions are allowed in Allow statements; "SCP evaluation": every level
    from the root to the account must allow, so an OU whose only SCP allows S3 in eu-west-1
    leaves S3 elsewhere, and IAM, allowed by no SCP at that level; a resource-based policy cannot
    make up for it. Detaching the last SCP of a level is ConstraintViolationException
    MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED (DetachPolicy, API Reference)."""
    orgs, _org, _root, ou_id = _organization(server, SCP)
    error = _error(orgs.detach_policy, PolicyId="p-FullAWSAccess", TargetId=ou_id)
    assert error["Error"]["Code"] == "ConstraintViolationException"
    assert error["Reason"] == "MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED"
    admin_b = _admin(server, B)
    _client(server, "s3", admin_b).create_bucket(Bucket="b-bucket")
    eu_only = _create(
        orgs,
        "S3InEU",
        {
            "Effect": "Allow",
            "Action": "s3:*",
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:RequestedRegion": "eu-west-1"}},
        },
    )
    orgs.attach_policy(PolicyId=eu_only, TargetId=ou_id)
    orgs.detach_policy(PolicyId="p-FullAWSAccess", TargetId=ou_id)
    _in(server, "s3", admin_b, "eu-west-1").list_buckets()
    message = _denied(_in(server, "s3", admin_b, "us-east-1").list_buckets)
    assert message.endswith("because no service control policy allows the s3:ListAllMyBuckets action")
    error = _error(_client(server, "iam", admin_b).list_users)["Error"]
    assert error["Message"].endswith("because no service control policy allows the iam:ListUsers action")
    # A bucket policy naming the user does not get past the SCPs: with an allow list of S3's
    # List* actions at the OU, the bucket policy's s3:GetObject is allowed by no SCP.
    s3_root_b = _client(server, "s3", server.roots[B])
    lists = _create(orgs, "S3Lists", {"Effect": "Allow", "Action": "s3:List*", "Resource": "*"})
    orgs.attach_policy(PolicyId="p-FullAWSAccess", TargetId=ou_id)
    s3_root_b.put_object(Bucket="b-bucket", Key="k", Body=b"x")
    iam_b = _client(server, "iam", server.roots[B])
    iam_b.create_user(UserName="reader")  # a bucket policy names existing principals
    reader_key = iam_b.create_access_key(UserName="reader")["AccessKey"]
    s3_root_b.put_bucket_policy(
        Bucket="b-bucket",
        Policy=_policy(
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{B}:user/reader"},
                "Action": "s3:GetObject",
                "Resource": "arn:aws:s3:::b-bucket/*",
            }
        ),
    )
    reader = _client(
        server, "s3", {"AccessKeyId": reader_key["AccessKeyId"], "SecretAccessKey": reader_key["SecretAccessKey"]}
    )
    assert reader.get_object(Bucket="b-bucket", Key="k")["Body"].read() == b"x"
    orgs.attach_policy(PolicyId=lists, TargetId=ou_id)
    orgs.detach_policy(PolicyId="p-FullAWSAccess", TargetId=ou_id)
    orgs.detach_policy(PolicyId=eu_only, TargetId=ou_id)
    message = _denied(reader.get_object, Bucket="b-bucket", Key="k")
    assert message.endswith("because no service control policy allows the s3:GetObject action")


def test_organizations_operations_answer_as_the_api_reference_says(server: Server, tmp_path: Path) -> None:
    """The API Reference's errors and paging: MaxResults and NextToken (ListAccounts),
    DuplicateOrganizationalUnitException, ParentNotFoundException, PolicyTypeAlreadyEnabledException,
    DuplicatePolicyAttachmentException, PolicyNotAttachedException, PolicyInUseException,
    AccountNotFoundException, InvalidInputException with its Reason, ConstraintViolationException
    POLICY_CONTENT_LIMIT_EXCEEDED (an SCP holds at most 5,120 characters: "Quotas for AWS
    Organizations"); the AWS CLI's list-accounts and create-policy."""
    orgs, _org, root_id, ou_id = _organization(server, SCP)
    for number in range(3):
        orgs.create_account(Email=f"a{number}@example.com", AccountName=f"account-{number}")
    first = orgs.list_accounts(MaxResults=2)
    assert len(first["Accounts"]) == 2
    rest = orgs.list_accounts(MaxResults=2, NextToken=first["NextToken"])
    seen = [account["Id"] for account in first["Accounts"] + rest["Accounts"]]
    while "NextToken" in rest:
        rest = orgs.list_accounts(MaxResults=2, NextToken=rest["NextToken"])
        seen += [account["Id"] for account in rest["Accounts"]]
    assert len(seen) == len(set(seen)) == 5
    unchecked = shared_client(
        "organizations",
        endpoint_url=server.url,
        aws_access_key_id=server.roots[A]["AccessKeyId"],
        aws_secret_access_key=server.roots[A]["SecretAccessKey"],
        config=Config(parameter_validation=False),
    )
    assert _error(unchecked.list_accounts, MaxResults=21)["Reason"] == "MAX_VALUE_EXCEEDED"
    assert _error(unchecked.list_accounts, MaxResults=0)["Reason"] == "MIN_VALUE_EXCEEDED"
    error = _error(unchecked.list_accounts, NextToken="not-a-token")
    assert (error["Error"]["Code"], error["Reason"]) == ("InvalidInputException", "INVALID_NEXT_TOKEN")

    def code(call: Any, **kwargs: Any) -> str:
        return str(_error(call, **kwargs)["Error"]["Code"])

    assert (
        code(orgs.create_organizational_unit, ParentId=root_id, Name="Work") == "DuplicateOrganizationalUnitException"
    )
    assert code(orgs.create_organizational_unit, ParentId="ou-zzzz-zzzzzzzz", Name="x") == "ParentNotFoundException"
    assert code(orgs.enable_policy_type, RootId=root_id, PolicyType=SCP) == "PolicyTypeAlreadyEnabledException"
    deny = _create(orgs, "Deny", {"Effect": "Deny", "Action": "s3:*", "Resource": "*"})
    orgs.attach_policy(PolicyId=deny, TargetId=ou_id)
    assert code(orgs.attach_policy, PolicyId=deny, TargetId=ou_id) == "DuplicatePolicyAttachmentException"
    assert code(orgs.detach_policy, PolicyId=deny, TargetId=root_id) == "PolicyNotAttachedException"
    assert code(orgs.delete_policy, PolicyId=deny) == "PolicyInUseException"
    assert code(orgs.describe_account, AccountId="999999999999") == "AccountNotFoundException"
    targets = orgs.list_targets_for_policy(PolicyId=deny)["Targets"]
    assert [(target["TargetId"], target["Type"], target["Name"]) for target in targets] == [
        (ou_id, "ORGANIZATIONAL_UNIT", "Work")
    ]
    big = _policy(
        *({"Effect": "Deny", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::bucket-{n:04d}/*"} for n in range(80))
    )
    assert len(big) > 5120
    error = _error(orgs.create_policy, Name="big", Description="", Type=SCP, Content=big)
    assert (error["Error"]["Code"], error["Reason"]) == (
        "ConstraintViolationException",
        "POLICY_CONTENT_LIMIT_EXCEEDED",
    )

    listed = aws_cli(server, tmp_path, server.roots[A], "organizations", "list-accounts", "--max-items", "2")
    assert listed.returncode == 0, listed.stderr
    assert len(json.loads(listed.stdout)["Accounts"]) == 2
    document = tmp_path / "scp.json"
    document.write_text(_policy({"Effect": "Deny", "Action": "organizations:LeaveOrganization", "Resource": "*"}))
    made = aws_cli(
        server, tmp_path, server.roots[A], "organizations", "create-policy", "--name", "cli", "--description",
        "cli", "--type", SCP, "--content", f"file://{document}",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert json.loads(made.stdout)["Policy"]["PolicySummary"]["Name"] == "cli"
    missing = aws_cli(
        server, tmp_path, server.roots[A], "organizations", "describe-organizational-unit",
        "--organizational-unit-id", "ou-zzzz-zzzzzzzz",
    )  # fmt: skip
    assert missing.returncode != 0
    assert "OrganizationalUnitNotFoundException" in missing.stderr


def _raw(server: Server, keys: dict[str, str], target: str | None, body: bytes) -> tuple[int, dict[str, Any]]:
    """A SigV4-signed JSON 1.1 POST to Organizations, as botocore's signer signs it."""
    headers = {"Content-Type": "application/x-amz-json-1.1"}
    if target is not None:
        headers["X-Amz-Target"] = target
    request = AWSRequest(method="POST", url=server.url + "/", data=body, headers=headers)
    SigV4Auth(Credentials(keys["AccessKeyId"], keys["SecretAccessKey"]), "organizations", "us-east-1").add_auth(request)
    prepared = request.prepare()
    sent = urllib.request.Request(prepared.url, data=body, headers=dict(prepared.headers), method="POST")
    try:
        with urllib.request.urlopen(sent, timeout=30) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def _create_body(policy_type: str, content: object) -> bytes:
    """A CreatePolicy body (a lone surrogate in Content stays escaped, as JSON allows)."""
    return json.dumps({"Name": "x", "Description": "", "Type": policy_type, "Content": content}).encode()


MALFORMED: list[tuple[str | None, bytes, str]] = [
    (TARGET + "DescribeOrganization", b"{", "SerializationException"),
    (TARGET + "DescribeOrganization", b"\xff\xfe", "SerializationException"),
    (TARGET + "ListAccounts", b'{"MaxResults": "5"}', "SerializationException"),
    (TARGET + "ListAccounts", b'{"MaxResults": 1e400}', "SerializationException"),
    (TARGET + "ListAccounts", b'{"NextToken": 5}', "SerializationException"),
    (TARGET + "ListAccounts", b'{"MaxResults": 99999999999999999999999}', "InvalidInputException"),
    (TARGET + "CreatePolicy", _create_body(SCP, {}), "SerializationException"),
    (TARGET + "CreatePolicy", b'{"Name": "x", "Type": "SERVICE_CONTROL_POLICY"}', "InvalidInputException"),
    (TARGET + "CreatePolicy", _create_body("NOPE", "{}"), "InvalidInputException"),
    # Half a surrogate pair is no Unicode text: refused as the body is read (AWS's answer is
    # unconfirmed; it must be a 400, as in every field: protocol/json_protocol.py).
    (TARGET + "CreatePolicy", _create_body(SCP, "\ud800"), "SerializationException"),
    (TARGET + "InviteAccountToOrganization", b'{"Target": "x"}', "SerializationException"),
    (TARGET + "TagResource", b'{"ResourceId": "r-abcd", "Tags": {"a": "b"}}', "SerializationException"),
    (TARGET + "NoSuchOperation", b"{}", "UnknownOperationException"),
    ("Bogus.DescribeOrganization", b"{}", "UnknownOperationException"),
    (None, b"{}", "UnknownOperationException"),
]  # fmt: skip


def test_malformed_json_requests_are_client_errors_never_500(server: Server) -> None:
    """JSON 1.1 services answer a body that is not JSON, or a member of the wrong type, with a
    400 SerializationException, and an X-Amz-Target they do not know with
    UnknownOperationException (AWS SDKs' JSON protocol); never an InternalFailure."""
    server.create_account(A)
    _client(server, "organizations", server.roots[A]).create_organization(FeatureSet="ALL")
    for target, body, code in MALFORMED:
        status, answer = _raw(server, server.roots[A], target, body)
        assert status == 400, (target, body, answer)
        assert answer["__type"].rsplit("#", 1)[-1] == code, (target, body, answer)

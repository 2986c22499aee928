"""AWS's "Example IAM identity-based policies" (IAM User Guide, access_policies_examples):
the "IAM: ..." examples on credentials and policies, run against a real server with boto3
(policy_examples_harness says how).

The policy simulator API (and by user path), multiple services with a permissions boundary,
credential reports, passing a role to a service, read-only console access (with and without
reporting), the account password requirements, rotating one's own credentials, limiting the
managed policies attached to a user, self-managing an MFA device. The tag and group examples:
test_policy_examples_iam_tags_groups_clients.py.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from policy_examples_harness import (
    ADMIN,
    ALLOW,
    BOUNDARY,
    BOUNDARY_EXPLICIT,
    EXPLICIT,
    IMPLICIT,
    NEW_PASSWORD,
    PASSWORD,
    Caller,
    Case,
    Example,
    World,
    Worlds,
    _doc,
    _get_session_token,
    _login_profile,
    _password_policy,
    _root_iam,
    _self_mfa,
    case_adder,
    case_id,
    check,
)

CASES: list[Case] = []
case = case_adder(CASES)

# --------------------------------------------------------------------------- IAM examples: credentials and policies

POLICY_SIM = Example(
    "IAM: Access the policy simulator API",
    "reference_policies_examples_iam_policy-sim",
    _doc(
        {
            "Action": [
                "iam:GetContextKeysForCustomPolicy",
                "iam:GetContextKeysForPrincipalPolicy",
                "iam:SimulateCustomPolicy",
                "iam:SimulatePrincipalPolicy",
            ],
            "Effect": "Allow",
            "Resource": "*",
        }
    ),
)
_sim = (
    "allows using the policy simulator API for policies attached to a user, group, or role in the current AWS account"
)
_custom = json.dumps(_doc({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}))
_ps = POLICY_SIM
case(
    _ps,
    "alice",
    "SimulatePrincipalPolicy on another user",
    lambda c: c.iam().simulate_principal_policy(PolicySourceArn=c.w.arn("bob"), ActionNames=["s3:GetObject"]),
    ALLOW,
    "iam:SimulatePrincipalPolicy",
    _sim,
)
case(
    _ps,
    "alice",
    "GetContextKeysForPrincipalPolicy on another user",
    lambda c: c.iam().get_context_keys_for_principal_policy(PolicySourceArn=c.w.arn("bob")),
    ALLOW,
    "iam:GetContextKeysForPrincipalPolicy",
    _sim,
)
case(
    _ps,
    "alice",
    "SimulateCustomPolicy",
    lambda c: c.iam().simulate_custom_policy(PolicyInputList=[_custom], ActionNames=["s3:GetObject"]),
    ALLOW,
    "iam:SimulateCustomPolicy",
    "This policy also allows access to simulate less sensitive policies passed to the API as strings",
)
case(
    _ps,
    "alice",
    "GetContextKeysForCustomPolicy",
    lambda c: c.iam().get_context_keys_for_custom_policy(PolicyInputList=[_custom]),
    ALLOW,
    "iam:GetContextKeysForCustomPolicy",
    _sim,
)
case(_ps, "alice", "ListUsers", lambda c: c.iam().list_users(), IMPLICIT, "iam:ListUsers", "(not in the policy)")


def _path_users(w: World) -> None:
    iam = w.root_client("iam")
    iam.create_user(UserName="dev1", Path="/Department/Development/")
    iam.create_user(UserName="ops1", Path="/Department/Operations/")


POLICY_SIM_PATH = Example(
    "IAM: Access the policy simulator API based on user path",
    "reference_policies_examples_iam_policy-sim-path",
    _doc(
        {
            "Action": ["iam:GetContextKeysForPrincipalPolicy", "iam:SimulatePrincipalPolicy"],
            "Effect": "Allow",
            "Resource": "arn:aws:iam::*:user/Department/Development/*",
        }
    ),
    setup=_path_users,
)
_path = "allows using the policy simulator API only for those users that have the path Department/Development"
case(
    POLICY_SIM_PATH,
    "alice",
    "SimulatePrincipalPolicy on a user of /Department/Development/",
    lambda c: c.iam().simulate_principal_policy(
        PolicySourceArn=f"arn:aws:iam::{c.w.account}:user/Department/Development/dev1", ActionNames=["s3:GetObject"]
    ),
    ALLOW,
    "iam:SimulatePrincipalPolicy",
    _path,
)
case(
    POLICY_SIM_PATH,
    "alice",
    "SimulatePrincipalPolicy on a user of /Department/Operations/",
    lambda c: c.iam().simulate_principal_policy(
        PolicySourceArn=f"arn:aws:iam::{c.w.account}:user/Department/Operations/ops1", ActionNames=["s3:GetObject"]
    ),
    IMPLICIT,
    "iam:SimulatePrincipalPolicy",
    _path,
)

MULTIPLE_SERVICES_POLICY = _doc(
    {"Sid": "AllowServices", "Effect": "Allow", "Action": ["s3:*", "cloudwatch:*", "ec2:*"], "Resource": "*"},
    {
        "Sid": "AllowIAMConsoleForCredentials",
        "Effect": "Allow",
        "Action": ["iam:ListUsers", "iam:GetAccountPasswordPolicy"],
        "Resource": "*",
    },
    {
        "Sid": "AllowManageOwnPasswordAndAccessKeys",
        "Effect": "Allow",
        "Action": ["iam:*AccessKey*", "iam:ChangePassword", "iam:GetUser", "iam:*LoginProfile*"],
        "Resource": ["arn:aws:iam::*:user/${aws:username}"],
    },
    {"Sid": "DenyS3Logs", "Effect": "Deny", "Action": "s3:*", "Resource": ["arn:aws:s3:::logs", "arn:aws:s3:::logs/*"]},
    {
        "Sid": "DenyEC2Production",
        "Effect": "Deny",
        "Action": "ec2:*",
        "Resource": "arn:aws:ec2:*:*:instance/i-1234567890abcdef0",
    },
)


def _logs_buckets(w: World) -> None:
    _password_policy(w)
    s3 = w.root_client("s3")
    s3.create_bucket(Bucket="logs")
    s3.put_object(Bucket="logs", Key="app.log", Body=b"x")
    s3.create_bucket(Bucket="data-bucket")


def _bounded_admin(w: World) -> None:
    _logs_buckets(w)
    boundary = f"arn:aws:iam::{w.account}:policy/example-policy"
    w.user("dana", ADMIN, boundary=boundary)


MULTIPLE = Example(
    "IAM: Allows and denies access to multiple services programmatically and in the console",
    "reference_policies_examples_iam_multiple-services-console",
    MULTIPLE_SERVICES_POLICY,
    setup=_bounded_admin,
)
_ms = MULTIPLE
_full = "The AllowServices statement allows full access to the specified AWS services"
_logs = "The DenyS3Logs statement explicitly denies access to the logs bucket"
_creds = "The AllowManageOwnPasswordAndAccessKeys statement allows the users manage only their own console password and programmatic access keys"  # noqa: E501 (the page's sentence)
case(_ms, "alice", "S3 ListBuckets", lambda c: c.s3().list_buckets(), ALLOW, "s3:ListAllMyBuckets", _full)
case(
    _ms,
    "alice",
    "S3 PutObject in another bucket",
    lambda c: c.s3().put_object(Bucket="data-bucket", Key="k", Body=b"x"),
    ALLOW,
    "s3:PutObject",
    _full,
)
case(
    _ms,
    "alice",
    "S3 ListObjectsV2 of logs",
    lambda c: c.s3().list_objects_v2(Bucket="logs"),
    EXPLICIT,
    "s3:ListBucket",
    _logs,
)
case(
    _ms,
    "alice",
    "S3 GetObject in logs",
    lambda c: c.s3().get_object(Bucket="logs", Key="app.log"),
    EXPLICIT,
    "s3:GetObject",
    _logs,
)
case(
    _ms,
    "alice",
    "IAM ListUsers",
    lambda c: c.iam().list_users(),
    ALLOW,
    "iam:ListUsers",
    "The AllowIAMConsoleForCredentials statement allows access to list all IAM users",
)
case(
    _ms,
    "alice",
    "GetAccountPasswordPolicy",
    lambda c: c.iam().get_account_password_policy(),
    ALLOW,
    "iam:GetAccountPasswordPolicy",
    "It also allows viewing the password requirements for the account",
)
case(
    _ms,
    "alice",
    "CreateAccessKey (own)",
    lambda c: c.iam().create_access_key(UserName="alice"),
    ALLOW,
    "iam:CreateAccessKey",
    _creds,
)
case(
    _ms,
    "alice",
    "CreateLoginProfile (own)",
    lambda c: c.iam().create_login_profile(UserName="alice", Password=PASSWORD),
    ALLOW,
    "iam:CreateLoginProfile",
    _creds,
)
case(
    _ms,
    "alice",
    "CreateAccessKey for another user",
    lambda c: c.iam().create_access_key(UserName="bob"),
    IMPLICIT,
    "iam:CreateAccessKey",
    _creds,
)
case(
    _ms,
    "alice",
    "CreateUser",
    lambda c: c.iam().create_user(UserName="eve"),
    IMPLICIT,
    "iam:CreateUser",
    "This policy does not allow access to other services or actions",
)
_as_boundary = "When the policy is used as a permissions boundary on a user, even if other policies attached to the user allow those actions, AWS denies the request"  # noqa: E501 (the page's sentence)
case(
    _ms,
    "dana",
    "CreateUser (AdministratorAccess, this policy as boundary)",
    lambda c: c.iam().create_user(UserName="eve"),
    BOUNDARY,
    "iam:CreateUser",
    _as_boundary,
)
case(
    _ms,
    "dana",
    "S3 ListBuckets (AdministratorAccess, this policy as boundary)",
    lambda c: c.s3().list_buckets(),
    ALLOW,
    "s3:ListAllMyBuckets",
    "This means that the user's actions in these services are limited only by the "
    "permissions policies that are attached to the user",
)
case(
    _ms,
    "dana",
    "S3 ListObjectsV2 of logs (AdministratorAccess, this policy as boundary)",
    lambda c: c.s3().list_objects_v2(Bucket="logs"),
    BOUNDARY_EXPLICIT,
    "s3:ListBucket",
    _logs,
)


def _report(c: Caller) -> Any:
    iam = c.iam()
    iam.generate_credential_report()
    return iam.get_credential_report()


CREDENTIAL_REPORT = Example(
    "IAM: Generate and retrieve IAM credential reports",
    "reference_policies_examples_iam-credential-report",
    {
        "Version": "2012-10-17",
        "Statement": {
            "Effect": "Allow",
            "Action": ["iam:GenerateCredentialReport", "iam:GetCredentialReport"],
            "Resource": "*",
        },
    },
)
_cr = "allows users to generate and download a report that lists all IAM users in their AWS account"
case(
    CREDENTIAL_REPORT,
    "alice",
    "GenerateCredentialReport",
    lambda c: c.iam().generate_credential_report(),
    ALLOW,
    "iam:GenerateCredentialReport",
    _cr,
)
case(
    CREDENTIAL_REPORT,
    "alice",
    "GenerateCredentialReport then GetCredentialReport",
    _report,
    ALLOW,
    "iam:GetCredentialReport",
    _cr,
    ok_errors=("ReportInProgress",),
)
case(
    CREDENTIAL_REPORT,
    "alice",
    "ListUsers",
    lambda c: c.iam().list_users(),
    IMPLICIT,
    "iam:ListUsers",
    "(not in the policy)",
)


def _pass_role_policy(service: str) -> dict[str, Any]:
    return _doc(
        {
            "Effect": "Allow",
            "Action": "iam:PassRole",
            "Resource": "*",
            "Condition": {"StringEquals": {"iam:PassedToService": service}},
        }
    )


def _replication_buckets(w: World) -> None:
    """S3 replication takes a role that S3 assumes: PutBucketReplication passes it to S3
    ("To perform this operation, the user or role performing the action must have the
    iam:PassRole permission", PutBucketReplication, S3 API Reference)."""
    s3 = w.root_client("s3")
    for bucket in (f"source-{w.account}", f"destination-{w.account}"):
        s3.create_bucket(Bucket=bucket)
        s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    trust = _doc({"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "sts:AssumeRole"})
    w.root_client("iam").create_role(RoleName="replication-role", AssumeRolePolicyDocument=json.dumps(trust))


def _put_replication(c: Caller) -> Any:
    account = c.w.account
    return c.s3().put_bucket_replication(
        Bucket=f"source-{account}",
        ReplicationConfiguration={
            "Role": f"arn:aws:iam::{account}:role/replication-role",
            "Rules": [
                {
                    "ID": "all",
                    "Priority": 1,
                    "Status": "Enabled",
                    "Filter": {"Prefix": ""},
                    "DeleteMarkerReplication": {"Status": "Disabled"},
                    "Destination": {"Bucket": f"arn:aws:s3:::destination-{account}"},
                }
            ],
        },
    )


_S3_REPLICATION = _doc({"Effect": "Allow", "Action": "s3:PutReplicationConfiguration", "Resource": "*"})
PASS_ROLE = Example(
    "IAM: Pass an IAM role to a specific AWS service",
    "reference_policies_examples_iam-passrole-service",
    _pass_role_policy("cloudwatch.amazonaws.com"),
    also=(_S3_REPLICATION,),
    setup=_replication_buckets,
)
PASS_ROLE_S3 = Example(
    "IAM: Pass an IAM role to a specific AWS service",
    "reference_policies_examples_iam-passrole-service (service s3.amazonaws.com)",
    _pass_role_policy("s3.amazonaws.com"),
    also=(_S3_REPLICATION,),
    setup=_replication_buckets,
)
_pr = "allows passing any IAM service role to the Amazon CloudWatch service"
case(
    PASS_ROLE, "alice", "PutBucketReplication (passes the role to S3)", _put_replication, IMPLICIT, "iam:PassRole", _pr
)
case(
    PASS_ROLE_S3,
    "alice",
    "PutBucketReplication (passes the role to S3)",
    _put_replication,
    ALLOW,
    "iam:PassRole",
    _pr + " (the service replaced by s3.amazonaws.com)",
)

READ_ONLY_NO_REPORTING = Example(
    "IAM: Allows read-only access to the IAM console without reporting",
    "reference_policies_examples_iam_read-only-console-no-reporting",
    # The page's JSON has a trailing comma after "iam:List*" (invalid JSON); without it:
    {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": ["iam:Get*", "iam:List*"], "Resource": "*"}},
)
_ro = "allows IAM users to perform any IAM action that begins with the string Get or List"
_nr = "This policy cannot be used to generate reports or service last accessed details"
_rn = READ_ONLY_NO_REPORTING
case(_rn, "alice", "ListUsers", lambda c: c.iam().list_users(), ALLOW, "iam:ListUsers", _ro)
case(_rn, "alice", "GetUser of another user", lambda c: c.iam().get_user(UserName="bob"), ALLOW, "iam:GetUser", _ro)
case(_rn, "alice", "GetAccountSummary", lambda c: c.iam().get_account_summary(), ALLOW, "iam:GetAccountSummary", _ro)
case(_rn, "alice", "ListPolicies", lambda c: c.iam().list_policies(Scope="Local"), ALLOW, "iam:ListPolicies", _ro)
case(
    _rn,
    "alice",
    "GenerateCredentialReport",
    lambda c: c.iam().generate_credential_report(),
    IMPLICIT,
    "iam:GenerateCredentialReport",
    _nr,
)
case(
    _rn,
    "alice",
    "GenerateServiceLastAccessedDetails",
    lambda c: c.iam().generate_service_last_accessed_details(Arn=c.w.arn("bob")),
    IMPLICIT,
    "iam:GenerateServiceLastAccessedDetails",
    _nr,
)
case(_rn, "alice", "CreateUser", lambda c: c.iam().create_user(UserName="eve"), IMPLICIT, "iam:CreateUser", _ro)

READ_ONLY = Example(
    "IAM: Allows read-only access to the IAM console",
    "reference_policies_examples_iam_read-only-console",
    {
        "Version": "2012-10-17",
        "Statement": {"Effect": "Allow", "Action": ["iam:Get*", "iam:List*", "iam:Generate*"], "Resource": "*"},
    },
)
_rc = "allows IAM users to perform any IAM action that begins with the string Get, List, or Generate"
case(
    READ_ONLY,
    "alice",
    "GenerateCredentialReport",
    lambda c: c.iam().generate_credential_report(),
    ALLOW,
    "iam:GenerateCredentialReport",
    _rc,
)
case(
    READ_ONLY,
    "alice",
    "GenerateServiceLastAccessedDetails",
    lambda c: c.iam().generate_service_last_accessed_details(Arn=c.w.arn("bob")),
    ALLOW,
    "iam:GenerateServiceLastAccessedDetails",
    _rc,
)
case(READ_ONLY, "alice", "ListRoles", lambda c: c.iam().list_roles(), ALLOW, "iam:ListRoles", _rc)
case(READ_ONLY, "alice", "DeleteUser", lambda c: c.iam().delete_user(UserName="bob"), IMPLICIT, "iam:DeleteUser", _rc)

PASSWORD_POLICY = Example(
    "IAM: Allows setting the account password requirements programmatically and in the console",
    "reference_policies_examples_iam_set-account-pass-policy",
    {
        "Version": "2012-10-17",
        "Statement": {
            "Effect": "Allow",
            "Action": ["iam:GetAccountPasswordPolicy", "iam:UpdateAccountPasswordPolicy"],
            "Resource": "*",
        },
    },
    setup=_password_policy,
)
_pp = "allows a user to view and update their account's password requirements"
case(
    PASSWORD_POLICY,
    "alice",
    "UpdateAccountPasswordPolicy",
    lambda c: c.iam().update_account_password_policy(MinimumPasswordLength=14, RequireSymbols=True),
    ALLOW,
    "iam:UpdateAccountPasswordPolicy",
    _pp,
)
case(
    PASSWORD_POLICY,
    "alice",
    "GetAccountPasswordPolicy",
    lambda c: c.iam().get_account_password_policy(),
    ALLOW,
    "iam:GetAccountPasswordPolicy",
    _pp,
)
case(
    PASSWORD_POLICY,
    "alice",
    "DeleteAccountPasswordPolicy",
    lambda c: c.iam().delete_account_password_policy(),
    IMPLICIT,
    "iam:DeleteAccountPasswordPolicy",
    _pp,
)


def _rotate(c: Caller) -> Any:
    iam = c.iam()
    key = iam.create_access_key(UserName="alice")["AccessKey"]["AccessKeyId"]
    iam.update_access_key(UserName="alice", AccessKeyId=key, Status="Inactive")
    return iam.delete_access_key(UserName="alice", AccessKeyId=key)


ROTATE = Example(
    "IAM: Allows IAM users to rotate their own credentials programmatically and in the console",
    "reference_policies_examples_iam_credentials_console",
    _doc(
        {"Effect": "Allow", "Action": ["iam:ListUsers", "iam:GetAccountPasswordPolicy"], "Resource": "*"},
        {
            "Effect": "Allow",
            "Action": [
                "iam:*AccessKey*",
                "iam:ChangePassword",
                "iam:GetUser",
                "iam:*ServiceSpecificCredential*",
                "iam:*SigningCertificate*",
            ],
            "Resource": ["arn:aws:iam::*:user/${aws:username}"],
        },
    ),
    setup=_login_profile("alice"),
)
_rot = "allows IAM users to rotate their own access keys, signing certificates, service specific credentials, and passwords"  # noqa: E501 (the page's sentence)
case(
    ROTATE,
    "alice",
    "CreateAccessKey, UpdateAccessKey, DeleteAccessKey (own)",
    _rotate,
    ALLOW,
    "iam:CreateAccessKey",
    _rot,
)
case(
    ROTATE,
    "alice",
    "ChangePassword",
    lambda c: c.iam().change_password(OldPassword=PASSWORD, NewPassword=NEW_PASSWORD),
    ALLOW,
    "iam:ChangePassword",
    _rot,
)
case(
    ROTATE,
    "alice",
    "CreateServiceSpecificCredential (own)",
    lambda c: c.iam().create_service_specific_credential(UserName="alice", ServiceName="codecommit.amazonaws.com"),
    ALLOW,
    "iam:CreateServiceSpecificCredential",
    _rot,
)
case(
    ROTATE,
    "alice",
    "ListSigningCertificates (own)",
    lambda c: c.iam().list_signing_certificates(UserName="alice"),
    ALLOW,
    "iam:ListSigningCertificates",
    _rot,
)
case(ROTATE, "alice", "ListUsers", lambda c: c.iam().list_users(), ALLOW, "iam:ListUsers", _rot)
case(
    ROTATE,
    "alice",
    "CreateAccessKey for another user",
    lambda c: c.iam().create_access_key(UserName="bob"),
    IMPLICIT,
    "iam:CreateAccessKey",
    "their own",
)


def _limit_targets(w: World) -> None:
    iam = w.root_client("iam")
    doc = json.dumps(_doc({"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"}))
    iam.create_policy(PolicyName="ApprovedPolicy", PolicyDocument=doc)
    iam.create_user(UserName="target1")
    trust = json.dumps(
        _doc({"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"})
    )
    iam.create_role(RoleName="target-role", AssumeRolePolicyDocument=trust)


LIMIT_MANAGED = Example(
    "IAM: Limits managed policies that can be attached to an IAM user",
    "reference_policies_examples_iam_limit-managed",
    _doc(
        {
            "Effect": "Allow",
            "Action": [
                "iam:ChangePassword",
                "iam:CreateAccessKey",
                "iam:CreateLoginProfile",
                "iam:CreateUser",
                "iam:DeleteAccessKey",
                "iam:DeleteLoginProfile",
                "iam:DeleteUser",
                "iam:UpdateAccessKey",
                "iam:ListAttachedUserPolicies",
                "iam:ListPolicies",
                "iam:ListUserPolicies",
                "iam:ListGroups",
                "iam:ListGroupsForUser",
                "iam:GetPolicy",
                "iam:GetAccountSummary",
            ],
            "Resource": "*",
        },
        {
            "Effect": "Allow",
            "Action": ["iam:AttachUserPolicy", "iam:DetachUserPolicy"],
            "Resource": "*",
            "Condition": {
                "ArnEquals": {
                    "iam:PolicyArn": [
                        "arn:aws:iam::*:policy/ApprovedPolicy",
                        "arn:aws:iam::aws:policy/ReadOnlyAccess",
                    ]
                }
            },
        },
    ),
    setup=_limit_targets,
)
_lm = "limits customer managed and AWS managed policies that can be applied to a new IAM user"


def _attach(policy: str) -> Callable[[Caller], Any]:
    def call(c: Caller) -> Any:
        arn = policy if policy.startswith("arn:") else f"arn:aws:iam::{c.w.account}:policy/{policy}"
        return c.iam().attach_user_policy(UserName="target1", PolicyArn=arn)

    return call


def _detach_read_only(c: Caller) -> Any:
    arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
    _root_iam(c).attach_user_policy(UserName="target1", PolicyArn=arn)
    return c.iam().detach_user_policy(UserName="target1", PolicyArn=arn)


case(LIMIT_MANAGED, "alice", "CreateUser", lambda c: c.iam().create_user(UserName="new1"), ALLOW, "iam:CreateUser", _lm)
case(
    LIMIT_MANAGED,
    "alice",
    "AttachUserPolicy ApprovedPolicy (customer managed)",
    _attach("ApprovedPolicy"),
    ALLOW,
    "iam:AttachUserPolicy",
    _lm,
)
case(
    LIMIT_MANAGED,
    "alice",
    "AttachUserPolicy ReadOnlyAccess (AWS managed)",
    _attach("arn:aws:iam::aws:policy/ReadOnlyAccess"),
    ALLOW,
    "iam:AttachUserPolicy",
    _lm,
)
case(LIMIT_MANAGED, "alice", "DetachUserPolicy ReadOnlyAccess", _detach_read_only, ALLOW, "iam:DetachUserPolicy", _lm)
case(
    LIMIT_MANAGED,
    "alice",
    "AttachUserPolicy AdministratorAccess",
    _attach(ADMIN),
    IMPLICIT,
    "iam:AttachUserPolicy",
    _lm,
)
case(
    LIMIT_MANAGED,
    "alice",
    "AttachRolePolicy ReadOnlyAccess",
    lambda c: c.iam().attach_role_policy(RoleName="target-role", PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess"),
    IMPLICIT,
    "iam:AttachRolePolicy",
    "(the policy's Attach statement names iam:AttachUserPolicy only)",
)
case(
    LIMIT_MANAGED,
    "alice",
    "ListPolicies",
    lambda c: c.iam().list_policies(Scope="Local"),
    ALLOW,
    "iam:ListPolicies",
    _lm,
)

MFA_SELF_MANAGE = Example(
    "IAM: Allows IAM users to self-manage an MFA device",
    "reference_policies_examples_iam_mfa-selfmanage",
    _doc(
        {
            "Sid": "AllowListActions",
            "Effect": "Allow",
            "Action": ["iam:ListUsers", "iam:ListVirtualMFADevices"],
            "Resource": "*",
        },
        {
            "Sid": "AllowIndividualUserToListOnlyTheirOwnMFA",
            "Effect": "Allow",
            "Action": ["iam:ListMFADevices"],
            "Resource": ["arn:aws:iam::*:mfa/*", "arn:aws:iam::*:user/${aws:username}"],
        },
        {
            "Sid": "AllowIndividualUserToManageTheirOwnMFA",
            "Effect": "Allow",
            "Action": [
                "iam:CreateVirtualMFADevice",
                "iam:DeleteVirtualMFADevice",
                "iam:EnableMFADevice",
                "iam:ResyncMFADevice",
            ],
            "Resource": ["arn:aws:iam::*:mfa/${aws:username}", "arn:aws:iam::*:user/${aws:username}"],
        },
        {
            "Sid": "AllowIndividualUserToDeactivateOnlyTheirOwnMFAOnlyWhenUsingMFA",
            "Effect": "Allow",
            "Action": ["iam:DeactivateMFADevice"],
            "Resource": ["arn:aws:iam::*:mfa/${aws:username}", "arn:aws:iam::*:user/${aws:username}"],
            "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}},
        },
        {
            "Sid": "BlockMostAccessUnlessSignedInWithMFA",
            "Effect": "Deny",
            "NotAction": [
                "iam:CreateVirtualMFADevice",
                "iam:EnableMFADevice",
                "iam:ListMFADevices",
                "iam:ListUsers",
                "iam:ListVirtualMFADevices",
                "iam:ResyncMFADevice",
            ],
            "Resource": "*",
            "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}},
        },
    ),
    users=("alice", "carol"),
)
_ms_no = "If an IAM user with this policy is not MFA-authenticated, this policy denies access to all AWS actions except those necessary to authenticate using MFA"  # noqa: E501 (the page's sentence)
_mx = MFA_SELF_MANAGE


def _deactivate_own(c: Caller) -> Any:
    user = c.who.removesuffix("+mfa")
    serial, _seed = c.w.enable_mfa(user)
    return c.iam().deactivate_mfa_device(UserName=user, SerialNumber=serial)


case(_mx, "alice", "ListUsers without MFA", lambda c: c.iam().list_users(), ALLOW, "iam:ListUsers", _ms_no)
case(
    _mx,
    "alice",
    "ListVirtualMFADevices without MFA",
    lambda c: c.iam().list_virtual_mfa_devices(),
    ALLOW,
    "iam:ListVirtualMFADevices",
    _ms_no,
)
case(
    _mx,
    "alice",
    "ListMFADevices (own) without MFA",
    lambda c: c.iam().list_mfa_devices(UserName="alice"),
    ALLOW,
    "iam:ListMFADevices",
    _ms_no,
)
case(
    _mx,
    "carol",
    "CreateVirtualMFADevice and EnableMFADevice (own) without MFA",
    lambda c: _self_mfa(c, "carol"),
    ALLOW,
    "iam:CreateVirtualMFADevice",
    "allows IAM users to self-manage their multi-factor authentication (MFA) device",
)
case(
    _mx,
    "alice",
    "GetUser (own) without MFA",
    lambda c: c.iam().get_user(UserName="alice"),
    EXPLICIT,
    "iam:GetUser",
    _ms_no,
)
case(
    _mx, "alice", "DeactivateMFADevice (own) without MFA", _deactivate_own, EXPLICIT, "iam:DeactivateMFADevice", _ms_no
)
case(
    _mx,
    "alice",
    "GetSessionToken with an MFA code (not in NotAction)",
    _get_session_token,
    ALLOW,
    "sts:GetSessionToken",
    "Permissions for GetSessionToken: No permissions are required for a user to get a "
    "session token ... You cannot use policies to control authentication operations",
)
case(
    _mx,
    "alice+mfa",
    "DeactivateMFADevice (own) with MFA",
    _deactivate_own,
    ALLOW,
    "iam:DeactivateMFADevice",
    "AllowIndividualUserToDeactivateOnlyTheirOwnMFAOnlyWhenUsingMFA",
)

# --------------------------------------------------------------------------- the test


@pytest.mark.parametrize("c", CASES, ids=[case_id(c) for c in CASES])
def test_example_policy(worlds: Worlds, c: Case) -> None:
    check(worlds, c)

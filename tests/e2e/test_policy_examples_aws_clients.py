"""AWS's "Example IAM identity-based policies" (IAM User Guide, access_policies_examples):
the "AWS: ..." examples, run against a real server with boto3 (policy_examples_harness says how).

Date and time, MFA within dates, the Security credentials page (with MFA, without MFA,
password only), the requested Region, the source IP.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from policy_examples_harness import (
    ALLOW,
    EXPLICIT,
    IMPLICIT,
    NEW_PASSWORD,
    NOW,
    PASSWORD,
    Case,
    Example,
    Worlds,
    _doc,
    _get_session_token,
    _iso,
    _login_profile,
    _self_mfa,
    case_adder,
    case_id,
    check,
)

CASES: list[Case] = []
case = case_adder(CASES)

# --------------------------------------------------------------------------- AWS examples

DATES = Example(
    "AWS: Allows access based on date and time",
    "reference_policies_examples_aws-dates",
    _doc(
        {
            "Effect": "Allow",
            "Action": "iam:ListUsers",
            "Resource": "*",
            "Condition": {
                "DateGreaterThan": {"aws:CurrentTime": _iso(NOW - timedelta(days=1))},
                "DateLessThan": {"aws:CurrentTime": _iso(NOW + timedelta(days=1))},
            },
        }
    ),
)
DATES_PAST = Example(
    "AWS: Allows access based on date and time",
    "reference_policies_examples_aws-dates (the page's own dates)",
    _doc(
        {
            "Effect": "Allow",
            "Action": "iam:ListUsers",
            "Resource": "*",
            "Condition": {
                "DateGreaterThan": {"aws:CurrentTime": "2020-04-01T00:00:00Z"},
                "DateLessThan": {"aws:CurrentTime": "2020-06-30T23:59:59Z"},
            },
        }
    ),
)
_window = "This policy restricts access to actions that occur between [the two dates] (UTC), inclusive"
case(DATES, "alice", "ListUsers inside the window", lambda c: c.iam().list_users(), ALLOW, "iam:ListUsers", _window)
case(DATES, "alice", "ListRoles (not the action)", lambda c: c.iam().list_roles(), IMPLICIT, "iam:ListRoles", _window)
case(
    DATES_PAST,
    "alice",
    "ListUsers after the window",
    lambda c: c.iam().list_users(),
    IMPLICIT,
    "iam:ListUsers",
    _window,
)

MFA_DATES = Example(
    "AWS: Allows specific access using MFA within specific dates",
    "reference_policies_examples_aws_mfa-dates",
    _doc(
        {
            "Effect": "Allow",
            "Action": ["s3:*", "iam:GetUser", "iam:ListUsers"],
            "Resource": "*",
            "Condition": {
                "Bool": {"aws:MultiFactorAuthPresent": True},  # the page writes the JSON literal true
                "DateGreaterThan": {"aws:CurrentTime": _iso(NOW - timedelta(days=1))},
                "DateLessThan": {"aws:CurrentTime": _iso(NOW + timedelta(days=1))},
            },
        }
    ),
)
_mfa_dates = "These actions are allowed only when the user is authenticated using multifactor authentication (MFA)"
case(
    MFA_DATES,
    "alice",
    "ListBuckets with long-term keys",
    lambda c: c.s3().list_buckets(),
    IMPLICIT,
    "s3:ListAllMyBuckets",
    _mfa_dates,
)
case(
    MFA_DATES,
    "alice+mfa",
    "ListBuckets with MFA",
    lambda c: c.s3().list_buckets(),
    ALLOW,
    "s3:ListAllMyBuckets",
    _mfa_dates,
)
case(MFA_DATES, "alice+mfa", "ListUsers with MFA", lambda c: c.iam().list_users(), ALLOW, "iam:ListUsers", _mfa_dates)
case(
    MFA_DATES,
    "alice+mfa",
    "ListRoles with MFA (not listed)",
    lambda c: c.iam().list_roles(),
    IMPLICIT,
    "iam:ListRoles",
    _mfa_dates,
)

SELF_MANAGE_MFA = Example(
    "AWS: Allows MFA-authenticated IAM users to manage their own credentials on the Security credentials page",
    "reference_policies_examples_aws_my-sec-creds-self-manage",
    _doc(
        {
            "Sid": "AllowViewAccountInfo",
            "Effect": "Allow",
            "Action": ["iam:GetAccountPasswordPolicy", "iam:GetAccountSummary", "iam:ListVirtualMFADevices"],
            "Resource": "*",
        },
        {
            "Sid": "AllowManageOwnPasswords",
            "Effect": "Allow",
            "Action": ["iam:ChangePassword", "iam:GetUser"],
            "Resource": "arn:aws:iam::*:user/${aws:username}",
        },
        {
            "Sid": "AllowManageOwnAccessKeys",
            "Effect": "Allow",
            "Action": ["iam:CreateAccessKey", "iam:DeleteAccessKey", "iam:ListAccessKeys", "iam:UpdateAccessKey"],
            "Resource": "arn:aws:iam::*:user/${aws:username}",
        },
        {
            "Sid": "AllowManageOwnSigningCertificates",
            "Effect": "Allow",
            "Action": [
                "iam:DeleteSigningCertificate",
                "iam:ListSigningCertificates",
                "iam:UpdateSigningCertificate",
                "iam:UploadSigningCertificate",
            ],
            "Resource": "arn:aws:iam::*:user/${aws:username}",
        },
        {
            "Sid": "AllowManageOwnSSHPublicKeys",
            "Effect": "Allow",
            "Action": [
                "iam:DeleteSSHPublicKey",
                "iam:GetSSHPublicKey",
                "iam:ListSSHPublicKeys",
                "iam:UpdateSSHPublicKey",
                "iam:UploadSSHPublicKey",
            ],
            "Resource": "arn:aws:iam::*:user/${aws:username}",
        },
        {
            "Sid": "AllowManageOwnGitCredentials",
            "Effect": "Allow",
            "Action": [
                "iam:CreateServiceSpecificCredential",
                "iam:DeleteServiceSpecificCredential",
                "iam:ListServiceSpecificCredentials",
                "iam:ResetServiceSpecificCredential",
                "iam:UpdateServiceSpecificCredential",
            ],
            "Resource": "arn:aws:iam::*:user/${aws:username}",
        },
        {
            "Sid": "AllowManageOwnVirtualMFADevice",
            "Effect": "Allow",
            "Action": ["iam:CreateVirtualMFADevice", "iam:DeleteVirtualMFADevice"],
            "Resource": "arn:aws:iam::*:mfa/${aws:username}",
        },
        {
            "Sid": "AllowManageOwnUserMFA",
            "Effect": "Allow",
            "Action": ["iam:DeactivateMFADevice", "iam:EnableMFADevice", "iam:ListMFADevices", "iam:ResyncMFADevice"],
            "Resource": "arn:aws:iam::*:user/${aws:username}",
        },
        {
            "Sid": "DenyAllExceptListedIfNoMFA",
            "Effect": "Deny",
            "NotAction": [
                "iam:CreateVirtualMFADevice",
                "iam:EnableMFADevice",
                "iam:GetUser",
                "iam:ListMFADevices",
                "iam:ListVirtualMFADevices",
                "iam:ResyncMFADevice",
                "sts:GetSessionToken",
            ],
            "Resource": "*",
            "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}},
        },
    ),
    users=("alice", "carol"),
    setup=_login_profile("alice"),
)
_no_mfa = (
    "The DenyAllExceptListedIfNoMFA statement denies access to every action in all AWS services, except a few "
    "listed actions, but only if the user is not signed in with MFA"
)
_with_mfa = (
    "If the user is signed in with MFA, then the Condition test fails and this statement does not deny any actions"
)
_own = "The resource ARN in this statement allows access to only the user's own IAM user"
_sm = SELF_MANAGE_MFA
case(
    _sm,
    "alice",
    "GetUser (own) without MFA",
    lambda c: c.iam().get_user(UserName="alice"),
    ALLOW,
    "iam:GetUser",
    _no_mfa,
)
case(
    _sm,
    "alice",
    "ListVirtualMFADevices without MFA",
    lambda c: c.iam().list_virtual_mfa_devices(),
    ALLOW,
    "iam:ListVirtualMFADevices",
    _no_mfa,
)
case(
    _sm,
    "alice",
    "ListMFADevices (own) without MFA",
    lambda c: c.iam().list_mfa_devices(UserName="alice"),
    ALLOW,
    "iam:ListMFADevices",
    _no_mfa,
)
case(
    _sm,
    "carol",
    "CreateVirtualMFADevice and EnableMFADevice (own) without MFA",
    lambda c: _self_mfa(c, "carol"),
    ALLOW,
    "iam:CreateVirtualMFADevice",
    "The AllowManageOwnVirtualMFADevice statement allows the user to create and delete their own virtual MFA device",
)
case(
    _sm,
    "carol",
    "CreateVirtualMFADevice named for another user",
    lambda c: c.iam().create_virtual_mfa_device(VirtualMFADeviceName="bob"),
    IMPLICIT,
    "iam:CreateVirtualMFADevice",
    "Users can't create or delete any virtual MFA device other than their own",
)
case(
    _sm,
    "alice",
    "ListAccessKeys (own) without MFA",
    lambda c: c.iam().list_access_keys(UserName="alice"),
    EXPLICIT,
    "iam:ListAccessKeys",
    _no_mfa,
)
case(
    _sm,
    "alice",
    "GetAccountSummary without MFA",
    lambda c: c.iam().get_account_summary(),
    EXPLICIT,
    "iam:GetAccountSummary",
    _no_mfa,
)
case(
    _sm,
    "alice",
    "S3 ListBuckets without MFA",
    lambda c: c.s3().list_buckets(),
    EXPLICIT,
    "s3:ListAllMyBuckets",
    "a user accessing an API with long-term credentials, such as an access key, is denied access to the non-IAM "
    "API operations",
)
case(
    _sm,
    "alice",
    "GetSessionToken with an MFA code",
    _get_session_token,
    ALLOW,
    "sts:GetSessionToken",
    "If you intend to use this policy for programmatic access, you must call GetSessionToken to authenticate with MFA",
)
case(
    _sm,
    "alice+mfa",
    "ListAccessKeys (own) with MFA",
    lambda c: c.iam().list_access_keys(UserName="alice"),
    ALLOW,
    "iam:ListAccessKeys",
    _with_mfa,
)
case(
    _sm,
    "alice+mfa",
    "GetAccountSummary with MFA",
    lambda c: c.iam().get_account_summary(),
    ALLOW,
    "iam:GetAccountSummary",
    _with_mfa,
)
case(
    _sm,
    "alice+mfa",
    "CreateAccessKey (own) with MFA",
    lambda c: c.iam().create_access_key(UserName="alice"),
    ALLOW,
    "iam:CreateAccessKey",
    "The AllowManageOwnAccessKeys statement allows the user to create, update, and delete their own access keys",
)
case(
    _sm,
    "alice+mfa",
    "ChangePassword with MFA",
    lambda c: c.iam().change_password(OldPassword=PASSWORD, NewPassword=NEW_PASSWORD),
    ALLOW,
    "iam:ChangePassword",
    "The AllowManageOwnPasswords statement allows the user to change their own password",
)
case(
    _sm,
    "alice+mfa",
    "ListAccessKeys of another user with MFA",
    lambda c: c.iam().list_access_keys(UserName="bob"),
    IMPLICIT,
    "iam:ListAccessKeys",
    _own,
)
case(
    _sm,
    "alice+mfa",
    "ListUsers with MFA",
    lambda c: c.iam().list_users(),
    IMPLICIT,
    "iam:ListUsers",
    "This policy does not allow users to view the Users page in the IAM console",
)
case(
    _sm,
    "alice+mfa",
    "S3 ListBuckets with MFA (nothing allows it)",
    lambda c: c.s3().list_buckets(),
    IMPLICIT,
    "s3:ListAllMyBuckets",
    _with_mfa + "; other policies or statements for the user determine the user's permissions",
)

SELF_MANAGE = Example(
    "AWS: Allows IAM users to manage their own credentials on the Security credentials page",
    "reference_policies_examples_aws_my-sec-creds-self-manage-no-mfa",
    _doc(*[s for s in SELF_MANAGE_MFA.policy["Statement"][:6]]),
    setup=_login_profile("alice"),
)
SELF_MANAGE.policy["Statement"][0] = {
    "Sid": "AllowViewAccountInfo",
    "Effect": "Allow",
    "Action": ["iam:GetAccountPasswordPolicy", "iam:GetAccountSummary"],
    "Resource": "*",
}
_nm = SELF_MANAGE
_nm_says = "This example policy includes the permissions required to view and edit all information on the page except the user's MFA device"  # noqa: E501 (the page's sentence)
for _req, _call, _action in [
    ("GetUser (own)", lambda c: c.iam().get_user(UserName="alice"), "iam:GetUser"),
    ("GetAccountPasswordPolicy", lambda c: c.iam().get_account_password_policy(), "iam:GetAccountPasswordPolicy"),
    ("GetAccountSummary", lambda c: c.iam().get_account_summary(), "iam:GetAccountSummary"),
    (
        "ChangePassword",
        lambda c: c.iam().change_password(OldPassword=PASSWORD, NewPassword=NEW_PASSWORD),
        "iam:ChangePassword",
    ),
    ("ListAccessKeys (own)", lambda c: c.iam().list_access_keys(UserName="alice"), "iam:ListAccessKeys"),
    ("CreateAccessKey (own)", lambda c: c.iam().create_access_key(UserName="alice"), "iam:CreateAccessKey"),
    (
        "ListSigningCertificates (own)",
        lambda c: c.iam().list_signing_certificates(UserName="alice"),
        "iam:ListSigningCertificates",
    ),
    ("ListSSHPublicKeys (own)", lambda c: c.iam().list_ssh_public_keys(UserName="alice"), "iam:ListSSHPublicKeys"),
    (
        "ListServiceSpecificCredentials (own)",
        lambda c: c.iam().list_service_specific_credentials(UserName="alice"),
        "iam:ListServiceSpecificCredentials",
    ),
]:
    case(_nm, "alice", _req, _call, ALLOW, _action, _nm_says)
case(
    _nm,
    "alice",
    "ListMFADevices (own)",
    lambda c: c.iam().list_mfa_devices(UserName="alice"),
    IMPLICIT,
    "iam:ListMFADevices",
    "This policy does not allow users to view or manage their own MFA devices",
)
case(
    _nm,
    "alice",
    "ListUsers",
    lambda c: c.iam().list_users(),
    IMPLICIT,
    "iam:ListUsers",
    "They also cannot view the Users page in the IAM console",
)
case(
    _nm,
    "alice",
    "ListAccessKeys of another user",
    lambda c: c.iam().list_access_keys(UserName="bob"),
    IMPLICIT,
    "iam:ListAccessKeys",
    "Resource arn:aws:iam::*:user/${aws:username}",
)

PASSWORD_ONLY = Example(
    "AWS: Allows IAM users to change their own console password on the Security credentials page",
    "reference_policies_examples_aws_my-sec-creds-self-manage-password-only",
    _doc(
        {
            "Sid": "ViewAccountPasswordRequirements",
            "Effect": "Allow",
            "Action": "iam:GetAccountPasswordPolicy",
            "Resource": "*",
        },
        {
            "Sid": "ChangeOwnPassword",
            "Effect": "Allow",
            "Action": ["iam:GetUser", "iam:ChangePassword"],
            "Resource": "arn:aws:iam::*:user/${aws:username}",
        },
    ),
    setup=_login_profile("alice"),
)
_pw = "The ChangeOwnPassword statement allows the user to change their own password"
case(
    PASSWORD_ONLY,
    "alice",
    "GetAccountPasswordPolicy",
    lambda c: c.iam().get_account_password_policy(),
    ALLOW,
    "iam:GetAccountPasswordPolicy",
    "The ViewAccountPasswordRequirements statement allows the user to view the account password requirements",
)
case(PASSWORD_ONLY, "alice", "GetUser (own)", lambda c: c.iam().get_user(UserName="alice"), ALLOW, "iam:GetUser", _pw)
case(
    PASSWORD_ONLY,
    "alice",
    "ChangePassword",
    lambda c: c.iam().change_password(OldPassword=PASSWORD, NewPassword=NEW_PASSWORD),
    ALLOW,
    "iam:ChangePassword",
    _pw,
)
case(
    PASSWORD_ONLY,
    "alice",
    "GetUser of another user",
    lambda c: c.iam().get_user(UserName="bob"),
    IMPLICIT,
    "iam:GetUser",
    "the user can only access their own password",
)
case(
    PASSWORD_ONLY,
    "alice",
    "ListUsers",
    lambda c: c.iam().list_users(),
    IMPLICIT,
    "iam:ListUsers",
    "This policy does not allow users to view the Users page in the IAM console",
)

_ALLOW_FOR_DENY_EXAMPLES = _doc(
    {"Effect": "Allow", "Action": ["s3:*", "iam:ListUsers", "iam:GetUser"], "Resource": "*"},
)
REGION = Example(
    "AWS: Denies access to AWS based on the requested Region",
    "reference_policies_examples_aws_deny-requested-region",
    _doc(
        {
            "Sid": "DenyAllOutsideRequestedRegions",
            "Effect": "Deny",
            "NotAction": ["cloudfront:*", "iam:*", "organizations:*", "route53:*", "support:*"],
            "Resource": "*",
            "Condition": {
                "StringNotEquals": {"aws:RequestedRegion": ["eu-central-1", "eu-west-1", "eu-west-2", "eu-west-3"]}
            },
        }
    ),
    also=(_ALLOW_FOR_DENY_EXAMPLES,),
)
_region = "denies access to any actions outside the Regions specified using the aws:RequestedRegion condition key"
_global = "Actions in the CloudFront, IAM, Route 53, and Support services should not be denied"
case(
    REGION,
    "alice",
    "S3 ListBuckets signed for eu-west-1",
    lambda c: c.s3("eu-west-1").list_buckets(),
    ALLOW,
    "s3:ListAllMyBuckets",
    _region,
)
case(
    REGION,
    "alice",
    "S3 ListBuckets signed for eu-central-1",
    lambda c: c.s3("eu-central-1").list_buckets(),
    ALLOW,
    "s3:ListAllMyBuckets",
    _region,
)
case(
    REGION,
    "alice",
    "S3 ListBuckets signed for us-east-1",
    lambda c: c.s3("us-east-1").list_buckets(),
    EXPLICIT,
    "s3:ListAllMyBuckets",
    _region,
)
case(
    REGION,
    "alice",
    "S3 ListBuckets signed for us-west-2",
    lambda c: c.s3("us-west-2").list_buckets(),
    EXPLICIT,
    "s3:ListAllMyBuckets",
    _region,
)
case(REGION, "alice", "IAM ListUsers (us-east-1)", lambda c: c.iam().list_users(), ALLOW, "iam:ListUsers", _global)
case(
    REGION,
    "alice",
    "STS GetCallerIdentity signed for us-east-1",
    lambda c: c.sts().get_caller_identity(),
    ALLOW,
    "sts:GetCallerIdentity",
    "GetCallerIdentity (STS API Reference): if an administrator attaches a policy to your "
    "identity that explicitly denies access to the sts:GetCallerIdentity action, you can still perform this "
    "operation",
)

_DENY_IP_POLICY = _doc(
    {
        "Effect": "Deny",
        "Action": "*",
        "Resource": "*",
        "Condition": {"NotIpAddress": {"aws:SourceIp": ["192.0.2.0/24", "203.0.113.0/24"]}},
    }
)
_DENY_IP_POLICY["Statement"] = _DENY_IP_POLICY["Statement"][0]  # the page's Statement is one object
SOURCE_IP = Example(
    "AWS: Denies access to AWS based on the source IP",
    "reference_policies_examples_aws_deny-ip",
    _DENY_IP_POLICY,
    also=(_ALLOW_FOR_DENY_EXAMPLES,),
)
SOURCE_IP_LOOPBACK = Example(
    "AWS: Denies access to AWS based on the source IP",
    "reference_policies_examples_aws_deny-ip (with the caller's 127.0.0.0/8 added)",
    {
        "Version": "2012-10-17",
        "Statement": {
            "Effect": "Deny",
            "Action": "*",
            "Resource": "*",
            "Condition": {"NotIpAddress": {"aws:SourceIp": ["192.0.2.0/24", "203.0.113.0/24", "127.0.0.0/8"]}},
        },
    },
    also=(_ALLOW_FOR_DENY_EXAMPLES,),
)
_ip = "the request will be denied unless it originates from the CIDR range 192.0.2.0/24 or 203.0.113.0/24"
_ip_in = "When other policies allow actions, principals can make requests from within the IP address range"
case(SOURCE_IP, "alice", "IAM ListUsers from 127.0.0.1", lambda c: c.iam().list_users(), EXPLICIT, "iam:ListUsers", _ip)
case(
    SOURCE_IP,
    "alice",
    "S3 ListBuckets from 127.0.0.1",
    lambda c: c.s3().list_buckets(),
    EXPLICIT,
    "s3:ListAllMyBuckets",
    _ip,
)
case(
    SOURCE_IP,
    "alice",
    "IAM ListUsers from 203.0.113.7",
    lambda c: c.via("203.0.113.7").iam().list_users(),
    ALLOW,
    "iam:ListUsers",
    _ip_in,
)
case(
    SOURCE_IP,
    "alice",
    "S3 ListBuckets from 192.0.2.10",
    lambda c: c.via("192.0.2.10").s3().list_buckets(),
    ALLOW,
    "s3:ListAllMyBuckets",
    _ip_in,
)
case(
    SOURCE_IP,
    "alice",
    "IAM ListUsers from 198.51.100.7",
    lambda c: c.via("198.51.100.7").iam().list_users(),
    EXPLICIT,
    "iam:ListUsers",
    _ip,
)
case(
    SOURCE_IP,
    "alice",
    "STS GetCallerIdentity from 127.0.0.1",
    lambda c: c.sts().get_caller_identity(),
    ALLOW,
    "sts:GetCallerIdentity",
    "GetCallerIdentity (STS API Reference): No permissions are required to perform this operation",
)
case(
    SOURCE_IP,
    "alice",
    "STS GetSessionToken from 127.0.0.1",
    lambda c: c.sts().get_session_token(),
    ALLOW,
    "sts:GetSessionToken",
    "Permissions for GetSessionToken: You cannot use policies to control authentication operations",
)
case(
    SOURCE_IP_LOOPBACK,
    "alice",
    "IAM ListUsers from 127.0.0.1",
    lambda c: c.iam().list_users(),
    ALLOW,
    "iam:ListUsers",
    _ip_in,
)

# --------------------------------------------------------------------------- the test


@pytest.mark.parametrize("c", CASES, ids=[case_id(c) for c in CASES])
def test_example_policy(worlds: Worlds, c: Case) -> None:
    check(worlds, c)

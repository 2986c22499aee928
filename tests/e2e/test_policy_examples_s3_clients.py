"""AWS's "Example IAM identity-based policies" (IAM User Guide, access_policies_examples):
the "Amazon S3: ..." examples, run against a real server with boto3 (policy_examples_harness
says how).

Home directories (of IAM users; of federated users), managing one bucket only, read and write
access to a bucket's objects (programmatically; and in the console), the production bucket
denied without recent MFA.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError
from policy_examples_harness import (
    ADMIN,
    ALLOW,
    EXPLICIT,
    IMPLICIT,
    Caller,
    Case,
    Example,
    World,
    Worlds,
    _doc,
    _root_iam,
    case_adder,
    case_id,
    check,
)

CASES: list[Case] = []
case = case_adder(CASES)

# --------------------------------------------------------------------------- S3 examples

HOME = "home-directories"
FEDERATED = "federated-home-directories"  # bucket names are global: one bucket per example


def _homes_in(bucket: str) -> Callable[[World], None]:
    def set_up(w: World) -> None:
        s3 = w.root_client("s3")
        s3.create_bucket(Bucket=bucket)
        s3.put_object(Bucket=bucket, Key="home/alice/notes.txt", Body=b"mine")
        s3.put_object(Bucket=bucket, Key="home/bob/secret.txt", Body=b"bob's")

    return set_up


HOME_DIRECTORY = Example(
    "Amazon S3: Allows IAM users access to their S3 home directory, programmatically and in the console",
    "reference_policies_examples_s3_home-directory-console",
    _doc(
        {"Effect": "Allow", "Action": ["s3:ListAllMyBuckets", "s3:GetBucketLocation"], "Resource": "*"},
        {
            "Effect": "Allow",
            "Action": "s3:ListBucket",
            "Resource": f"arn:aws:s3:::{HOME}",
            "Condition": {"StringLike": {"s3:prefix": ["", "home/", "home/${aws:username}/*"]}},
        },
        {
            "Effect": "Allow",
            "Action": "s3:*",
            "Resource": [
                f"arn:aws:s3:::{HOME}/home/${{aws:username}}",
                f"arn:aws:s3:::{HOME}/home/${{aws:username}}/*",
            ],
        },
    ),
    setup=_homes_in(HOME),
)
_home = "allows IAM users to access their own home directory bucket object in S3"
_hd = HOME_DIRECTORY
case(_hd, "alice", "ListBuckets", lambda c: c.s3().list_buckets(), ALLOW, "s3:ListAllMyBuckets", _home)
case(
    _hd,
    "alice",
    "GetBucketLocation",
    lambda c: c.s3().get_bucket_location(Bucket=HOME),
    ALLOW,
    "s3:GetBucketLocation",
    _home,
)
case(
    _hd,
    "alice",
    "ListObjectsV2 prefix '' delimiter '/'",
    lambda c: c.s3().list_objects_v2(Bucket=HOME, Prefix="", Delimiter="/"),
    ALLOW,
    "s3:ListBucket",
    _home,
)
case(
    _hd,
    "alice",
    "ListObjectsV2 prefix home/",
    lambda c: c.s3().list_objects_v2(Bucket=HOME, Prefix="home/", Delimiter="/"),
    ALLOW,
    "s3:ListBucket",
    "The home directory is a bucket that includes a home folder",
)
case(
    _hd,
    "alice",
    "ListObjectsV2 prefix home/alice/",
    lambda c: c.s3().list_objects_v2(Bucket=HOME, Prefix="home/alice/"),
    ALLOW,
    "s3:ListBucket",
    _home,
)
case(
    _hd,
    "alice",
    "ListObjectsV2 prefix home/alice (no slash)",
    lambda c: c.s3().list_objects_v2(Bucket=HOME, Prefix="home/alice"),
    IMPLICIT,
    "s3:ListBucket",
    "Condition StringLike s3:prefix home/${aws:username}/*",
)
case(
    _hd,
    "alice",
    "ListObjectsV2 prefix home/bob/",
    lambda c: c.s3().list_objects_v2(Bucket=HOME, Prefix="home/bob/"),
    IMPLICIT,
    "s3:ListBucket",
    _home,
)
case(
    _hd,
    "alice",
    "GetObject home/alice/notes.txt",
    lambda c: c.s3().get_object(Bucket=HOME, Key="home/alice/notes.txt"),
    ALLOW,
    "s3:GetObject",
    _home,
)
case(
    _hd,
    "alice",
    "PutObject home/alice/new.txt",
    lambda c: c.s3().put_object(Bucket=HOME, Key="home/alice/new.txt", Body=b"x"),
    ALLOW,
    "s3:PutObject",
    _home,
)
case(
    _hd,
    "alice",
    "GetObject home/bob/secret.txt",
    lambda c: c.s3().get_object(Bucket=HOME, Key="home/bob/secret.txt"),
    IMPLICIT,
    "s3:GetObject",
    _home,
)
case(
    _hd,
    "alice",
    "PutObject home/bob/x",
    lambda c: c.s3().put_object(Bucket=HOME, Key="home/bob/x", Body=b"x"),
    IMPLICIT,
    "s3:PutObject",
    _home,
)


def _federated_home(w: World) -> None:
    _homes_in(FEDERATED)(w)
    iam = w.root_client("iam")
    trust = _doc(
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{w.account}:root"}, "Action": "sts:AssumeRole"}
    )
    iam.create_role(RoleName="home-role", AssumeRolePolicyDocument=json.dumps(trust))
    iam.attach_role_policy(RoleName="home-role", PolicyArn=f"arn:aws:iam::{w.account}:policy/example-policy")
    assume = _doc(
        {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": f"arn:aws:iam::{w.account}:role/home-role"}
    )
    w.user("alice", iam.create_policy(PolicyName="assume", PolicyDocument=json.dumps(assume))["Policy"]["Arn"])


FEDERATED_HOME = Example(
    "Amazon S3: Allows federated users access to their S3 home directory, programmatically and in the console",
    "reference_policies_examples_s3_federated-home-directory-console",
    _doc(
        {"Effect": "Allow", "Action": ["s3:ListAllMyBuckets", "s3:GetBucketLocation"], "Resource": "*"},
        {
            "Effect": "Allow",
            "Action": "s3:ListBucket",
            "Resource": f"arn:aws:s3:::{FEDERATED}",
            "Condition": {"StringLike": {"s3:prefix": ["", "home/", "home/${aws:userid}/*"]}},
        },
        {
            "Effect": "Allow",
            "Action": "s3:*",
            "Resource": [
                f"arn:aws:s3:::{FEDERATED}/home/${{aws:userid}}",
                f"arn:aws:s3:::{FEDERATED}/home/${{aws:userid}}/*",
            ],
        },
    ),
    users=(),
    setup=_federated_home,
)
_fed = "The ${aws:userid} variable in this policy resolves to role-id:specified-name"


def _own_prefix(c: Caller) -> str:
    role_id = _root_iam(c).get_role(RoleName="home-role")["Role"]["RoleId"]
    return f"home/{role_id}:John/"


_fh = FEDERATED_HOME
_john = "role:home-role/John"
case(
    _fh,
    _john,
    "PutObject home/ROLEID:John/a.txt",
    lambda c: c.s3().put_object(Bucket=FEDERATED, Key=_own_prefix(c) + "a.txt", Body=b"x"),
    ALLOW,
    "s3:PutObject",
    _fed,
)
case(
    _fh,
    _john,
    "ListObjectsV2 prefix home/ROLEID:John/",
    lambda c: c.s3().list_objects_v2(Bucket=FEDERATED, Prefix=_own_prefix(c)),
    ALLOW,
    "s3:ListBucket",
    _fed,
)
case(
    _fh,
    _john,
    "GetObject home/alice/notes.txt",
    lambda c: c.s3().get_object(Bucket=FEDERATED, Key="home/alice/notes.txt"),
    IMPLICIT,
    "s3:GetObject",
    _fed,
)
case(
    _fh,
    _john,
    "ListObjectsV2 prefix home/bob/",
    lambda c: c.s3().list_objects_v2(Bucket=FEDERATED, Prefix="home/bob/"),
    IMPLICIT,
    "s3:ListBucket",
    _fed,
)


def _two_buckets(name: str) -> Callable[[World], None]:
    def set_up(w: World) -> None:
        s3 = w.root_client("s3")
        for bucket in (name, f"other-{w.account}"):
            s3.create_bucket(Bucket=bucket)
            s3.put_object(Bucket=bucket, Key="report.csv", Body=b"a,b\n")

    return set_up


def _deny_except_setup(w: World) -> None:
    _two_buckets("managed-bucket")(w)
    trust = _doc(
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{w.account}:root"}, "Action": "sts:AssumeRole"}
    )
    w.root_client("iam").create_role(RoleName="any-role", AssumeRolePolicyDocument=json.dumps(trust))
    w.user("admin1", f"arn:aws:iam::{w.account}:policy/example-policy", ADMIN)


DENY_EXCEPT_BUCKET = Example(
    "Amazon S3: Limits managing to a specific S3 bucket",
    "reference_policies_examples_s3_deny-except-bucket",
    _doc(
        {
            "Effect": "Allow",
            "Action": "s3:*",
            "Resource": ["arn:aws:s3:::managed-bucket", "arn:aws:s3:::managed-bucket/*"],
        },
        {
            "Effect": "Deny",
            "NotAction": "s3:*",
            "NotResource": ["arn:aws:s3:::managed-bucket", "arn:aws:s3:::managed-bucket/*"],
        },
    ),
    setup=_deny_except_setup,
)
_de = "limits managing an S3 bucket by allowing all S3 actions on the specific bucket, but explicitly denying access to every AWS service except Amazon S3"  # noqa: E501 (the page's sentence)
_de_admin = "If you attach this policy to a user, any other policies that grant permissions to other services are ignored and access is denied"  # noqa: E501 (the page's sentence)
_db = DENY_EXCEPT_BUCKET
case(
    _db,
    "alice",
    "PutObject in the bucket",
    lambda c: c.s3().put_object(Bucket="managed-bucket", Key="new.txt", Body=b"x"),
    ALLOW,
    "s3:PutObject",
    _de,
)
case(
    _db,
    "alice",
    "ListObjectsV2 of the bucket",
    lambda c: c.s3().list_objects_v2(Bucket="managed-bucket"),
    ALLOW,
    "s3:ListBucket",
    _de,
)
case(
    _db,
    "alice",
    "PutBucketTagging of the bucket",
    lambda c: c.s3().put_bucket_tagging(Bucket="managed-bucket", Tagging={"TagSet": [{"Key": "team", "Value": "a"}]}),
    ALLOW,
    "s3:PutBucketTagging",
    _de,
)
case(
    _db,
    "alice",
    "ListBuckets",
    lambda c: c.s3().list_buckets(),
    IMPLICIT,
    "s3:ListAllMyBuckets",
    "This policy also denies access to actions that can't be performed on an S3 bucket, such as s3:ListAllMyBuckets",
)
case(
    _db,
    "alice",
    "GetObject in another bucket",
    lambda c: c.s3().get_object(Bucket=f"other-{c.w.account}", Key="report.csv"),
    IMPLICIT,
    "s3:GetObject",
    _de,
)
case(_db, "alice", "IAM ListUsers", lambda c: c.iam().list_users(), EXPLICIT, "iam:ListUsers", _de)
case(
    _db,
    "admin1",
    "IAM ListUsers with AdministratorAccess too",
    lambda c: c.iam().list_users(),
    EXPLICIT,
    "iam:ListUsers",
    _de_admin,
)
case(
    _db,
    "admin1",
    "STS AssumeRole with AdministratorAccess too",
    lambda c: c.sts().assume_role(RoleArn=f"arn:aws:iam::{c.w.account}:role/any-role", RoleSessionName="admin1"),
    EXPLICIT,
    "sts:AssumeRole",
    _de_admin,
)
case(
    _db,
    "admin1",
    "STS GetSessionToken (no MFA) with AdministratorAccess too",
    lambda c: c.sts().get_session_token(),
    ALLOW,
    "sts:GetSessionToken",
    "Permissions for GetSessionToken: No "
    "permissions are required for a user to get a session token ... You cannot use policies to control "
    "authentication operations",
)
case(
    _db,
    "admin1",
    "STS GetCallerIdentity with AdministratorAccess too",
    lambda c: c.sts().get_caller_identity(),
    ALLOW,
    "sts:GetCallerIdentity",
    "GetCallerIdentity (STS API Reference): No permissions are required to perform this operation",
)

RW_BUCKET = Example(
    "Amazon S3: Allows read and write access to objects in an S3 Bucket",
    "reference_policies_examples_s3_rw-bucket",
    _doc(
        {
            "Sid": "ListObjectsInBucket",
            "Effect": "Allow",
            "Action": ["s3:ListBucket"],
            "Resource": ["arn:aws:s3:::rw-bucket"],
        },
        {
            "Sid": "AllObjectActions",
            "Effect": "Allow",
            "Action": "s3:*Object",
            "Resource": ["arn:aws:s3:::rw-bucket/*"],
        },
    ),
    setup=_two_buckets("rw-bucket"),
)
_rw = 'The AllObjectActions statement allows the GetObject, DeleteObject, PutObject, and any other Amazon S3 action that ends with the word "Object"'  # noqa: E501 (the page's sentence)
_rwb = RW_BUCKET
case(_rwb, "alice", "ListObjectsV2", lambda c: c.s3().list_objects_v2(Bucket="rw-bucket"), ALLOW, "s3:ListBucket", _rw)
case(
    _rwb,
    "alice",
    "PutObject",
    lambda c: c.s3().put_object(Bucket="rw-bucket", Key="w.txt", Body=b"x"),
    ALLOW,
    "s3:PutObject",
    _rw,
)
case(
    _rwb,
    "alice",
    "GetObject",
    lambda c: c.s3().get_object(Bucket="rw-bucket", Key="report.csv"),
    ALLOW,
    "s3:GetObject",
    _rw,
)
case(
    _rwb,
    "alice",
    "CopyObject within the bucket",
    lambda c: c.s3().copy_object(
        Bucket="rw-bucket", Key="copy.csv", CopySource={"Bucket": "rw-bucket", "Key": "report.csv"}
    ),
    ALLOW,
    "s3:PutObject",
    _rw,
)
case(
    _rwb,
    "alice",
    "DeleteObject",
    lambda c: c.s3().delete_object(Bucket="rw-bucket", Key="gone.txt"),
    ALLOW,
    "s3:DeleteObject",
    _rw,
)
case(
    _rwb,
    "alice",
    "GetObjectTagging (does not end with Object)",
    lambda c: c.s3().get_object_tagging(Bucket="rw-bucket", Key="report.csv"),
    IMPLICIT,
    "s3:GetObjectTagging",
    _rw,
)


def _delete_objects(c: Caller) -> Any:
    """DeleteObjects answers 200 with a per-key Errors list: a key refused is raised here."""
    out = c.s3().delete_objects(Bucket="rw-bucket", Delete={"Objects": [{"Key": "a.txt"}, {"Key": "b.txt"}]})
    for error in out.get("Errors", []):
        raise ClientError({"Error": error}, "DeleteObjects")
    return out


case(
    _rwb,
    "alice",
    "DeleteObjects (two keys)",
    _delete_objects,
    ALLOW,
    "s3:DeleteObject",
    _rw + "; DeleteObjects (S3 API Reference): s3:DeleteObject on each key",
)
case(
    _rwb,
    "alice",
    "GetObject with a VersionId (s3:GetObjectVersion does not end with Object)",
    lambda c: c.s3().get_object(Bucket="rw-bucket", Key="report.csv", VersionId="null"),
    IMPLICIT,
    "s3:GetObjectVersion",
    _rw + "; GetObject (S3 API Reference): If you supply a versionId, you need the s3:GetObjectVersion permission",
)
case(
    _rwb,
    "alice",
    "PutObject with tags (s3:PutObjectTagging does not end with Object)",
    lambda c: c.s3().put_object(Bucket="rw-bucket", Key="t.txt", Body=b"x", Tagging="team=a"),
    IMPLICIT,
    "s3:PutObjectTagging",
    _rw + "; PutObject (S3 API Reference): you must have the s3:PutObjectTagging permission "
    "if you use the x-amz-tagging header",
)

case(
    _rwb,
    "alice",
    "ListBuckets",
    lambda c: c.s3().list_buckets(),
    IMPLICIT,
    "s3:ListAllMyBuckets",
    "This policy grants the permissions necessary to complete this action from the AWS API or AWS CLI only",
)
case(
    _rwb,
    "alice",
    "PutObject in another bucket",
    lambda c: c.s3().put_object(Bucket=f"other-{c.w.account}", Key="w.txt", Body=b"x"),
    IMPLICIT,
    "s3:PutObject",
    "allows Read and Write access to objects in a specific S3 bucket",
)

RW_BUCKET_CONSOLE = Example(
    "Amazon S3: Allows read and write access to objects in an S3 Bucket, programmatically and in the console",
    "reference_policies_examples_s3_rw-console-bucket-console",
    _doc(
        {
            "Sid": "ConsoleAccess",
            "Effect": "Allow",
            "Action": [
                "s3:GetAccountPublicAccessBlock",
                "s3:GetBucketAcl",
                "s3:GetBucketLocation",
                "s3:GetBucketPolicyStatus",
                "s3:GetBucketPublicAccessBlock",
                "s3:ListAllMyBuckets",
            ],
            "Resource": "*",
        },
        {
            "Sid": "ListObjectsInBucket",
            "Effect": "Allow",
            "Action": "s3:ListBucket",
            "Resource": ["arn:aws:s3:::rw-console-bucket"],
        },
        {
            "Sid": "AllObjectActions",
            "Effect": "Allow",
            "Action": "s3:*Object",
            "Resource": ["arn:aws:s3:::rw-console-bucket/*"],
        },
    ),
    setup=_two_buckets("rw-console-bucket"),
)
_rwc = "This policy also grants the necessary permissions to complete this action on the console"
_rc2 = RW_BUCKET_CONSOLE
case(_rc2, "alice", "ListBuckets", lambda c: c.s3().list_buckets(), ALLOW, "s3:ListAllMyBuckets", _rwc)
case(
    _rc2,
    "alice",
    "GetBucketLocation",
    lambda c: c.s3().get_bucket_location(Bucket="rw-console-bucket"),
    ALLOW,
    "s3:GetBucketLocation",
    _rwc,
)
case(
    _rc2,
    "alice",
    "GetBucketAcl",
    lambda c: c.s3().get_bucket_acl(Bucket="rw-console-bucket"),
    ALLOW,
    "s3:GetBucketAcl",
    _rwc,
)
case(
    _rc2,
    "alice",
    "GetPublicAccessBlock",
    lambda c: c.s3().get_public_access_block(Bucket="rw-console-bucket"),
    ALLOW,
    "s3:GetBucketPublicAccessBlock",
    _rwc,
    ok_errors=("NoSuchPublicAccessBlockConfiguration",),
)
case(
    _rc2,
    "alice",
    "GetBucketPolicyStatus",
    lambda c: c.s3().get_bucket_policy_status(Bucket="rw-console-bucket"),
    ALLOW,
    "s3:GetBucketPolicyStatus",
    _rwc,
    ok_errors=("NoSuchBucketPolicy",),
)
case(
    _rc2,
    "alice",
    "PutObject",
    lambda c: c.s3().put_object(Bucket="rw-console-bucket", Key="w.txt", Body=b"x"),
    ALLOW,
    "s3:PutObject",
    _rw,
)
case(
    _rc2,
    "alice",
    "PutBucketTagging",
    lambda c: c.s3().put_bucket_tagging(Bucket="rw-console-bucket", Tagging={"TagSet": [{"Key": "k", "Value": "v"}]}),
    IMPLICIT,
    "s3:PutBucketTagging",
    _rwc,
)


def _production(w: World) -> None:
    s3 = w.root_client("s3")
    for bucket in ("production", "staging"):
        s3.create_bucket(Bucket=bucket)
        s3.put_object(Bucket=bucket, Key="report.csv", Body=b"a,b\n")


PRODUCTION = Example(
    "Amazon S3: S3 bucket access, but production bucket denied without recent MFA",
    "reference_policies_examples_s3_full-access-except-production",
    # S3 bucket names are lower case: the page's placeholder "Production" becomes "production".
    _doc(
        {"Sid": "ListAllS3Buckets", "Effect": "Allow", "Action": ["s3:ListAllMyBuckets"], "Resource": "arn:aws:s3:::*"},
        {
            "Sid": "AllowBucketLevelActions",
            "Effect": "Allow",
            "Action": ["s3:ListBucket", "s3:GetBucketLocation"],
            "Resource": "arn:aws:s3:::*",
        },
        {
            "Sid": "AllowBucketObjectActions",
            "Effect": "Allow",
            "Action": ["s3:PutObject", "s3:PutObjectAcl", "s3:GetObject", "s3:GetObjectAcl", "s3:DeleteObject"],
            "Resource": "arn:aws:s3:::*/*",
        },
        {
            "Sid": "RequireMFAForProductionBucket",
            "Effect": "Deny",
            "Action": "s3:*",
            "Resource": ["arn:aws:s3:::production/*", "arn:aws:s3:::production"],
            "Condition": {"NumericGreaterThanIfExists": {"aws:MultiFactorAuthAge": "1800"}},
        },
    ),
    setup=_production,
)
_prod = "This policy never allows programmatic access to the Production bucket using long-term user access keys"
_prod_mfa = "To access the Production bucket programmatically, the S3 administrator must use temporary credentials that were generated in the last 30 minutes using the GetSessionToken API operation"  # noqa: E501 (the page's sentence)
_any = "allows an Amazon S3 administrator to access any bucket, including updating, adding, and deleting objects"
_pd = PRODUCTION
case(
    _pd,
    "alice",
    "ListObjectsV2 production with long-term keys",
    lambda c: c.s3().list_objects_v2(Bucket="production"),
    EXPLICIT,
    "s3:ListBucket",
    _prod,
)
case(
    _pd,
    "alice",
    "GetObject production with long-term keys",
    lambda c: c.s3().get_object(Bucket="production", Key="report.csv"),
    EXPLICIT,
    "s3:GetObject",
    _prod,
)
case(
    _pd,
    "alice",
    "PutObject staging with long-term keys",
    lambda c: c.s3().put_object(Bucket="staging", Key="new.csv", Body=b"x"),
    ALLOW,
    "s3:PutObject",
    _any,
)
case(
    _pd, "alice", "ListBuckets with long-term keys", lambda c: c.s3().list_buckets(), ALLOW, "s3:ListAllMyBuckets", _any
)
case(
    _pd,
    "alice+mfa",
    "ListObjectsV2 production with a fresh MFA session",
    lambda c: c.s3().list_objects_v2(Bucket="production"),
    ALLOW,
    "s3:ListBucket",
    _prod_mfa,
)
case(
    _pd,
    "alice+mfa",
    "PutObject production with a fresh MFA session",
    lambda c: c.s3().put_object(Bucket="production", Key="new.csv", Body=b"x"),
    ALLOW,
    "s3:PutObject",
    _prod_mfa,
)
case(
    _pd,
    "alice+mfa",
    "PutBucketTagging staging (not allowed)",
    lambda c: c.s3().put_bucket_tagging(Bucket="staging", Tagging={"TagSet": [{"Key": "k", "Value": "v"}]}),
    IMPLICIT,
    "s3:PutBucketTagging",
    _any,
)

# --------------------------------------------------------------------------- the test


@pytest.mark.parametrize("c", CASES, ids=[case_id(c) for c in CASES])
def test_example_policy(worlds: Worlds, c: Case) -> None:
    check(worlds, c)

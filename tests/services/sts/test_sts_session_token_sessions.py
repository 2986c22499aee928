"""What GetSessionToken's credentials may do, through the whole request path with boto3.

AWS pages: GetSessionToken (STS API Reference): "You cannot call any IAM API operations
unless MFA authentication information is included in the request"; IAM answers such a call
as an invalid token (InvalidClientTokenId, as observed in aws/aws-sdk-js#460 and
aws/aws-cli#8918). The root user may call GetSessionToken too ("the credentials are
associated with the AWS account root user"), and a session whose user was deleted keeps
authenticating with no policies left ("Disabling permissions for temporary security
credentials", IAM User Guide: permissions are evaluated at each request).
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from inprocess_harness import client, open_app, root_keys, user_keys

from iamsandbox.services.iam.mfa import STEP, totp

A = "111111111111"
ADMIN = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})


def _session(app: Any, keys: dict[str, str], **params: Any) -> dict[str, str]:
    credentials = client(app, "sts", keys).get_session_token(**params)["Credentials"]
    return {
        "keys": {
            "aws_access_key_id": credentials["AccessKeyId"],
            "aws_secret_access_key": credentials["SecretAccessKey"],
        },
        "token": credentials["SessionToken"],
    }


def _error(call: Any, **params: Any) -> tuple[str, str, int]:
    with pytest.raises(ClientError) as caught:
        call(**params)
    error = caught.value.response["Error"]
    return error["Code"], error["Message"], caught.value.response["ResponseMetadata"]["HTTPStatusCode"]


def test_iam_needs_mfa_in_the_session(tmp_path: Path) -> None:
    app = open_app(tmp_path, A)
    iam_root = client(app, "iam", root_keys(app, A))
    alice_keys = user_keys(app, A, "alice")
    iam_root.put_user_policy(UserName="alice", PolicyName="admin", PolicyDocument=ADMIN)
    device = iam_root.create_virtual_mfa_device(VirtualMFADeviceName="alice")["VirtualMFADevice"]
    seed, serial = device["Base32StringSeed"].decode(), device["SerialNumber"]
    step = int(time.time()) // STEP
    iam_root.enable_mfa_device(
        UserName="alice",
        SerialNumber=serial,
        AuthenticationCode1=totp(seed, step - 2),
        AuthenticationCode2=totp(seed, step - 1),
    )

    plain = _session(app, alice_keys)
    assert _error(client(app, "iam", plain["keys"], plain["token"]).list_users) == (
        "InvalidClientTokenId",
        "The security token included in the request is invalid",
        403,
    )
    assert client(app, "s3", plain["keys"], plain["token"]).list_buckets()["Buckets"] == []  # other services: yes

    with_mfa = _session(app, alice_keys, SerialNumber=serial, TokenCode=totp(seed, step))
    users = client(app, "iam", with_mfa["keys"], with_mfa["token"]).list_users()["Users"]
    assert [user["UserName"] for user in users] == ["alice"]


def test_the_root_users_session(tmp_path: Path) -> None:
    app = open_app(tmp_path, A)
    session = _session(app, root_keys(app, A))
    sts = client(app, "sts", session["keys"], session["token"])
    assert sts.get_caller_identity()["Arn"] == f"arn:aws:iam::{A}:root"
    s3 = client(app, "s3", session["keys"], session["token"])
    s3.create_bucket(Bucket="made-by-root-session")
    assert [bucket["Name"] for bucket in s3.list_buckets()["Buckets"]] == ["made-by-root-session"]
    assert _error(client(app, "iam", session["keys"], session["token"]).list_users)[0] == "InvalidClientTokenId"


def test_a_deleted_users_session_has_no_permissions(tmp_path: Path) -> None:
    app = open_app(tmp_path, A)
    iam_root = client(app, "iam", root_keys(app, A))
    bob_keys = user_keys(app, A, "bob")
    iam_root.put_user_policy(UserName="bob", PolicyName="admin", PolicyDocument=ADMIN)
    session = _session(app, bob_keys)
    s3 = client(app, "s3", session["keys"], session["token"])
    assert s3.list_buckets()["Buckets"] == []
    iam_root.delete_user_policy(UserName="bob", PolicyName="admin")
    iam_root.delete_access_key(UserName="bob", AccessKeyId=bob_keys["aws_access_key_id"])
    iam_root.delete_user(UserName="bob")
    code, message, status = _error(s3.list_buckets)
    assert (code, status) == ("AccessDenied", 403)
    assert message.startswith(f"User: arn:aws:iam::{A}:user/bob is not authorized to perform: s3:ListAllMyBuckets")


def test_sts_calls_other_than_assume_role_and_get_caller_identity_are_refused(tmp_path: Path) -> None:
    # "Compare AWS STS credentials" (IAM User Guide), GetSessionToken: "Cannot call AWS STS
    # API operations except AssumeRole or GetCallerIdentity" (the code AWS answers with is
    # not documented: AccessDenied here).
    app = open_app(tmp_path, A)
    keys = user_keys(app, A, "alice")
    with app.store.transaction() as tx:
        user = tx.get_user(A, "alice")
        assert user is not None
        tx.put_inline_policy(user.id, "admin", ADMIN)
    assert client(app, "sts", keys).get_access_key_info(AccessKeyId=keys["aws_access_key_id"])["Account"] == A
    session = _session(app, keys)
    sts = client(app, "sts", session["keys"], session["token"])
    assert sts.get_caller_identity()["Arn"] == f"arn:aws:iam::{A}:user/alice"
    code, _message, status = _error(sts.get_access_key_info, AccessKeyId=keys["aws_access_key_id"])
    assert (code, status) == ("AccessDenied", 403)
    code, _message, status = _error(sts.decode_authorization_message, EncodedMessage="x")
    assert (code, status) == ("AccessDenied", 403)


def test_a_role_assumed_with_session_token_credentials_is_held_to_the_chaining_hour(tmp_path: Path) -> None:
    # "Multi-Factor Authentication (MFA) users with the AWS CLI use temporary credentials to
    # assume another role. The temporary credentials use the AWS STS GetSessionToken API and
    # are limited to one hour" (AWS Knowledge Center, "Can I increase the IAM role chaining
    # session duration limit?"); AWS answers in its chaining words (recorded in
    # mmmorris1975/aws-runas#11, coinbase/assume-role#24).
    app = open_app(tmp_path, A)
    iam_root = client(app, "iam", root_keys(app, A))
    trust = {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{A}:root"}, "Action": "sts:AssumeRole"}
    iam_root.create_role(
        RoleName="deploy",
        AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [trust]}),
        MaxSessionDuration=7200,
    )
    alice_keys = user_keys(app, A, "alice")
    iam_root.put_user_policy(UserName="alice", PolicyName="admin", PolicyDocument=ADMIN)
    role = f"arn:aws:iam::{A}:role/deploy"
    # With long-term keys the role's own maximum holds.
    client(app, "sts", alice_keys).assume_role(RoleArn=role, RoleSessionName="long", DurationSeconds=7200)
    session = _session(app, alice_keys)
    sts = client(app, "sts", session["keys"], session["token"])
    assert _error(sts.assume_role, RoleArn=role, RoleSessionName="chained", DurationSeconds=7200) == (
        "ValidationError",
        "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.",
        400,
    )
    assert sts.assume_role(RoleArn=role, RoleSessionName="chained", DurationSeconds=3600)["Credentials"]

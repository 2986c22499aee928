"""Each way the reference workflow must fail, against a real server (issue 3's list), with
the AWS page that says so."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import struct
import time
from typing import Any

import pytest
from botocore.exceptions import ClientError
from e2e_harness import ROLE, ROLE_ARN, A, B, Server, _client, _set_up


def _error(call: Any, **kwargs: Any) -> dict[str, Any]:
    with pytest.raises(ClientError) as raised:
        call(**kwargs)
    error: dict[str, Any] = raised.value.response["Error"]
    return error


def _trust(**condition: Any) -> str:
    statement: dict[str, Any] = {
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{B}:root"},
        "Action": "sts:AssumeRole",
    }
    if condition:
        statement["Condition"] = condition
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def test_external_id_required(server: Server) -> None:
    # "How to use an external ID when granting access to your AWS resources": the trust
    # policy's sts:ExternalId condition must match the ExternalId the caller passes.
    keys = _set_up(server)
    iam_a = _client(server, "iam", _root(server, A))
    iam_a.update_assume_role_policy(RoleName=ROLE, PolicyDocument=_trust(StringEquals={"sts:ExternalId": "s3cret"}))
    sts = _client(server, "sts", keys)
    assert _error(sts.assume_role, RoleArn=ROLE_ARN, RoleSessionName="alice")["Code"] == "AccessDenied"
    assert (
        _error(sts.assume_role, RoleArn=ROLE_ARN, RoleSessionName="alice", ExternalId="wrong")["Code"] == "AccessDenied"
    )
    assert sts.assume_role(RoleArn=ROLE_ARN, RoleSessionName="alice", ExternalId="s3cret")["Credentials"]


def test_mfa_required_but_absent(server: Server) -> None:
    # "Configuring MFA-protected API access": aws:MultiFactorAuthPresent is absent for
    # long-term keys, so a Bool condition on it fails.
    keys = _set_up(server)
    iam_a = _client(server, "iam", _root(server, A))
    iam_a.update_assume_role_policy(RoleName=ROLE, PolicyDocument=_trust(Bool={"aws:MultiFactorAuthPresent": "true"}))
    assert _error(_client(server, "sts", keys).assume_role, RoleArn=ROLE_ARN, RoleSessionName="alice")["Code"] == (
        "AccessDenied"
    )


def _totp(seed_base32: bytes, counter: int) -> str:
    """RFC 6238 (TOTP, SHA-1, 30 s, 6 digits), written from the RFC for the test."""
    digest = hmac.new(base64.b32decode(seed_base32), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def test_mfa_required_and_given_in_the_request(server: Server) -> None:
    # "Configuring MFA-protected API access" (IAM User Guide): a user with long-term keys
    # passes SerialNumber and TokenCode to AssumeRole, and a trust policy requiring
    # aws:MultiFactorAuthPresent "true" then allows it; a code is accepted once.
    keys = _set_up(server)
    iam_a = _client(server, "iam", _root(server, A))
    iam_a.update_assume_role_policy(RoleName=ROLE, PolicyDocument=_trust(Bool={"aws:MultiFactorAuthPresent": "true"}))
    iam_b = _client(server, "iam", _root(server, B))
    device = iam_b.create_virtual_mfa_device(VirtualMFADeviceName="alice")["VirtualMFADevice"]
    seed, serial = device["Base32StringSeed"], device["SerialNumber"]
    step = int(time.time()) // 30
    iam_b.enable_mfa_device(
        UserName="alice",
        SerialNumber=serial,
        AuthenticationCode1=_totp(seed, step - 1),
        AuthenticationCode2=_totp(seed, step),
    )
    sts = _client(server, "sts", keys)
    code = _totp(seed, step + 1)
    credentials = sts.assume_role(RoleArn=ROLE_ARN, RoleSessionName="alice", SerialNumber=serial, TokenCode=code)
    assert credentials["AssumedRoleUser"]["Arn"] == f"arn:aws:sts::{A}:assumed-role/{ROLE}/alice"
    replayed = _error(sts.assume_role, RoleArn=ROLE_ARN, RoleSessionName="alice", SerialNumber=serial, TokenCode=code)
    assert replayed["Code"] == "AccessDenied"
    wrong = "000000" if code != "000000" else "111111"
    error = _error(sts.assume_role, RoleArn=ROLE_ARN, RoleSessionName="alice", SerialNumber=serial, TokenCode=wrong)
    assert error == {
        "Type": "Sender",
        "Code": "AccessDenied",
        "Message": "MultiFactorAuthentication failed with invalid MFA one time pass code.",
    }


def test_explicit_deny_and_boundary_and_session_policy(server: Server) -> None:
    keys = _set_up(server)
    sts = _client(server, "sts", keys)
    # A session policy narrows the session: "Session policies" (access_policies.html).
    only_list = json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}]}
    )
    credentials = sts.assume_role(RoleArn=ROLE_ARN, RoleSessionName="alice", Policy=only_list)["Credentials"]
    s3 = _client(
        server,
        "s3",
        {"AccessKeyId": credentials["AccessKeyId"], "SecretAccessKey": credentials["SecretAccessKey"]},
        credentials["SessionToken"],
    )
    assert s3.list_objects_v2(Bucket="shared-bucket")["KeyCount"] == 1
    error = _error(s3.get_object, Bucket="shared-bucket", Key="report.csv")
    assert (
        error["Code"] == "AccessDenied"
        and "because no session policy allows the s3:GetObject action" in error["Message"]
    )
    # An explicit deny in the trusted account wins over its allow.
    iam_b = _client(server, "iam", _root(server, B))
    deny = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "sts:*", "Resource": "*"}]})
    deny_arn = iam_b.create_policy(PolicyName="deny-sts", PolicyDocument=deny)["Policy"]["Arn"]
    iam_b.attach_user_policy(UserName="alice", PolicyArn=deny_arn)
    # "The ARN of the denying policy is only provided in same-account and same-organization
    # scenarios" ("Enhanced access denied error messages with policy ARNs", AWS Security
    # Blog): the role is in another account, so the message names no policy...
    error = _error(sts.assume_role, RoleArn=ROLE_ARN, RoleSessionName="alice")
    assert error["Code"] == "AccessDenied"
    assert error["Message"] == (
        f"User: arn:aws:iam::{B}:user/alice is not authorized to perform: sts:AssumeRole on resource: {ROLE_ARN}"
        " with an explicit deny in an identity-based policy"
    )
    # ... while a role of alice's own account hears which policy denied it.
    trust_b = {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{B}:root"}, "Action": "sts:AssumeRole"}
    own = iam_b.create_role(
        RoleName="own", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [trust_b]})
    )["Role"]["Arn"]
    error = _error(sts.assume_role, RoleArn=own, RoleSessionName="alice")
    assert error["Message"].endswith(f"with an explicit deny in an identity-based policy: {deny_arn}")


def test_role_chaining_root_and_bad_names(server: Server) -> None:
    keys = _set_up(server)
    sts = _client(server, "sts", keys)
    # "Roles may not be assumed by root accounts" (the AssumeRole API reference).
    root_error = _error(_client(server, "sts", _root(server, B)).assume_role, RoleArn=ROLE_ARN, RoleSessionName="rooty")
    assert root_error["Code"] == "AccessDenied" and "root" in root_error["Message"]
    # An invalid RoleSessionName fails the model's pattern [\\w+=,.@-]*.
    assert _error(sts.assume_role, RoleArn=ROLE_ARN, RoleSessionName="has space")["Code"] == "ValidationError"
    # A role that does not exist.
    missing = f"arn:aws:iam::{A}:role/no-such-role"
    assert _error(sts.assume_role, RoleArn=missing, RoleSessionName="alice")["Code"] == "AccessDenied"
    # Role chaining is limited to one hour ("Roles terms and concepts": role chaining).
    iam_a = _client(server, "iam", _root(server, A))
    trust_self = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{A}:root"}, "Action": "sts:AssumeRole"}
            ],
        }
    )
    iam_a.create_role(RoleName="second", AssumeRolePolicyDocument=trust_self, MaxSessionDuration=43200)
    allow = json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]}
    )
    iam_a.put_role_policy(RoleName=ROLE, PolicyName="chain", PolicyDocument=allow)
    first = sts.assume_role(RoleArn=ROLE_ARN, RoleSessionName="alice")["Credentials"]
    chained = _client(
        server,
        "sts",
        {"AccessKeyId": first["AccessKeyId"], "SecretAccessKey": first["SecretAccessKey"]},
        first["SessionToken"],
    )
    second = f"arn:aws:iam::{A}:role/second"
    assert _error(chained.assume_role, RoleArn=second, RoleSessionName="bobby", DurationSeconds=7200)["Code"] == (
        "ValidationError"
    )
    assert chained.assume_role(RoleArn=second, RoleSessionName="bobby", DurationSeconds=3600)["Credentials"]


def test_inactive_key_and_cross_account_bucket_policy(server: Server) -> None:
    keys = _set_up(server)
    iam_b = _client(server, "iam", _root(server, B))
    # Cross account, a bucket policy alone is not enough: B's user also needs an identity
    # policy ("Cross-account policy evaluation logic").
    s3_a = _client(server, "s3", _root(server, A))
    grant = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{B}:user/alice"},
                "Action": "s3:GetObject",
                "Resource": "arn:aws:s3:::shared-bucket/*",
            }
        ],
    }
    s3_a.put_bucket_policy(Bucket="shared-bucket", Policy=json.dumps(grant))
    alice_s3 = _client(server, "s3", keys)
    error = _error(alice_s3.get_object, Bucket="shared-bucket", Key="report.csv")
    assert error["Code"] == "AccessDenied"
    # ... and with one, the read works.
    read = json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
    )
    iam_b.put_user_policy(UserName="alice", PolicyName="read", PolicyDocument=read)
    assert alice_s3.get_object(Bucket="shared-bucket", Key="report.csv")["Body"].read() == b"a,b\n1,2\n"
    # An inactive key is refused as an invalid one.
    iam_b.update_access_key(UserName="alice", AccessKeyId=keys["AccessKeyId"], Status="Inactive")
    assert _error(_client(server, "sts", keys).get_caller_identity)["Code"] == "InvalidClientTokenId"


def _root(server: Server, account: str) -> dict[str, str]:
    """The root keys the set-up created for ``account`` (remembered by the harness)."""
    return server.roots[account]

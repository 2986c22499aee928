"""The session token's size: MinimumSessionTokenSize, SessionTokenSize and
SessionTokenUtilization (the STS API reference's AssumeRole, GetSessionToken and
GetFederationToken: "STS increases the session token to at least this size, regardless of its
actual content. The value must not exceed 4,096 bytes"; "The size, in bytes, of the session
token returned in the Credentials for this response"; "The percentage (0-100) of the maximum
allowed session token size that the returned session token consumes", the words the reference
now gives the deprecated PackedPolicySize too)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from botocore.exceptions import ClientError
from inprocess_harness import client, open_app, root_keys, user_keys

from iamsandbox.auth.session_token import SessionTokenCodec, new_session_claims
from iamsandbox.store.crypto import KEY_BYTES

A = "111111111111"
EVERYTHING = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}'
READ = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}'


@pytest.fixture
def clients(tmp_path: Path):  # type: ignore[no-untyped-def]
    app = open_app(tmp_path, A)
    iam = client(app, "iam", root_keys(app, A))
    trust = {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{A}:root"}, "Action": "sts:AssumeRole"}
    iam.create_role(RoleName="r", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [trust]}))
    keys = user_keys(app, A, "alice")
    iam.put_user_policy(UserName="alice", PolicyName="all", PolicyDocument=EVERYTHING)
    yield app, client(app, "sts", keys)
    app.store.close()


def test_every_session_answers_its_token_size(clients) -> None:  # type: ignore[no-untyped-def]
    app, sts = clients
    role = f"arn:aws:iam::{A}:role/r"
    answers = [
        sts.assume_role(RoleArn=role, RoleSessionName="s1"),
        sts.get_session_token(),
        sts.get_federation_token(Name="bob", Policy=READ),
    ]
    for out in answers:
        assert out["SessionTokenSize"] == len(out["Credentials"]["SessionToken"].encode())
    # Nothing packed: 0, as GetFederationToken's recorded PackedPolicySize without a policy.
    assert answers[0]["SessionTokenUtilization"] == 0 and answers[1]["SessionTokenUtilization"] == 0
    # A session policy: the same percentage as PackedPolicySize.
    assert answers[2]["SessionTokenUtilization"] == answers[2]["PackedPolicySize"] > 0
    with_policy = sts.assume_role(RoleArn=role, RoleSessionName="s1", Policy=READ)
    assert with_policy["SessionTokenUtilization"] == with_policy["PackedPolicySize"] > 0


def test_a_minimum_size_makes_the_token_at_least_that_long(clients) -> None:  # type: ignore[no-untyped-def]
    app, sts = clients
    role = f"arn:aws:iam::{A}:role/r"
    plain = sts.assume_role(RoleArn=role, RoleSessionName="s1")["Credentials"]["SessionToken"]
    for minimum in (len(plain) + 1, 1000, 4096):
        out = sts.assume_role(RoleArn=role, RoleSessionName="s1", MinimumSessionTokenSize=minimum)
        token = out["Credentials"]["SessionToken"]
        assert len(token) >= minimum and len(token) - minimum < 4 and out["SessionTokenSize"] == len(token)
        # The padded token works as any other.
        session = client(
            app,
            "sts",
            {
                "aws_access_key_id": out["Credentials"]["AccessKeyId"],
                "aws_secret_access_key": out["Credentials"]["SecretAccessKey"],
            },
            token,
        )
        assert session.get_caller_identity()["Arn"] == f"arn:aws:sts::{A}:assumed-role/r/s1"
    # "When set to 0 or not specified, the session token size is unchanged"; a size the
    # token already has changes nothing either.
    for minimum in (0, len(plain) - 40):
        token = sts.assume_role(RoleArn=role, RoleSessionName="s1", MinimumSessionTokenSize=minimum)
        assert len(token["Credentials"]["SessionToken"]) == len(plain)
    assert len(sts.get_session_token(MinimumSessionTokenSize=3000)["Credentials"]["SessionToken"]) >= 3000
    federated = sts.get_federation_token(Name="bob", Policy=READ, MinimumSessionTokenSize=2048)
    assert len(federated["Credentials"]["SessionToken"]) >= 2048
    # "The value must not exceed 4,096 bytes" (the model's range).
    with pytest.raises(ClientError) as refused:
        sts.assume_role(RoleArn=role, RoleSessionName="s1", MinimumSessionTokenSize=4097)
    assert refused.value.response["Error"]["Code"] == "ValidationError"


def test_padding_is_sealed_with_the_claims() -> None:
    """The padding is inside the authenticated payload: the padded token opens as the same
    claims, and a changed byte anywhere does not open."""
    codec = SessionTokenCodec([b"k" * KEY_BYTES])
    claims = new_session_claims(
        account_id=A,
        kind="session",
        principal_arn=f"arn:aws:iam::{A}:user/alice",
        source_arn=f"arn:aws:iam::{A}:user/alice",
        source_id="AIDAEXAMPLE",
        now=datetime(2026, 12, 5, tzinfo=UTC),
        duration_seconds=900,
        session_policy="x" * 700,  # large enough to be compressed without a minimum
    )
    plain = len(codec.seal(claims))
    for minimum in (0, 100, plain, plain + 1, 2000, 4096):
        token = codec.seal(claims, minimum)
        assert len(token) >= minimum
        assert codec.open(token) == claims
        if minimum <= plain:  # a minimum the token already meets changes nothing
            assert len(token) == plain
    token = codec.seal(claims, 4096)
    tampered = token[:-8] + ("A" if token[-8] != "A" else "B") + token[-7:]
    with pytest.raises(Exception, match="authenticate"):
        SessionTokenCodec([b"k" * KEY_BYTES]).open(tampered)

"""AssumeRole's own checks (the AWS STS API reference, "AssumeRole"); messages recorded
from AWS where the module under test cites them."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from services_harness import NOW, TRUST, TRUSTED, TRUSTING, Call, root_caller, user_caller

from iamsandbox.auth.session_token import SessionTokenCodec
from iamsandbox.authz.context import Caller
from iamsandbox.errors import (
    AccessDenied,
    InvalidParameterValue,
    MalformedPolicyDocument,
    PackedPolicyTooLarge,
    ValidationError,
)
from iamsandbox.policy import PrincipalKind
from iamsandbox.services.iam.mfa import STEP, totp
from iamsandbox.services.sts.handlers import HANDLERS
from iamsandbox.store import Secret, SqlStore

assume_role = HANDLERS["AssumeRole"]
ROLE_ARN = f"arn:aws:iam::{TRUSTING}:role/my-s3-x-account-role"
Conforms = Callable[[str, dict[str, Any]], None]


@pytest.fixture
def role_id(store: SqlStore) -> str:
    with store.transaction() as tx:
        return tx.create_role(TRUSTING, "my-s3-x-account-role", TRUST, max_session_duration=7200).id


@pytest.fixture
def alice(store: SqlStore) -> Caller:
    return user_caller(store)


def _params(**extra: Any) -> dict[str, Any]:
    return {"RoleArn": ROLE_ARN, "RoleSessionName": "alice-session", **extra}


def test_assume_role_issues_credentials_for_the_role(
    call: Call, alice: Caller, role_id: str, codec: SessionTokenCodec, conforms: Conforms, store: SqlStore
) -> None:
    out = call(assume_role, alice, _params())
    conforms("AssumeRole", out)
    assert out["AssumedRoleUser"] == {
        "AssumedRoleId": f"{role_id}:alice-session",
        "Arn": f"arn:aws:sts::{TRUSTING}:assumed-role/my-s3-x-account-role/alice-session",
    }
    assert "PackedPolicySize" not in out and "SourceIdentity" not in out
    credentials = out["Credentials"]
    assert credentials["AccessKeyId"].startswith("ASIA")
    assert len(credentials["SecretAccessKey"]) == 40
    assert credentials["Expiration"] == NOW + timedelta(seconds=3600)
    claims = codec.validate(credentials["SessionToken"], credentials["AccessKeyId"], NOW)
    assert claims.kind == "assumed-role"
    assert claims.account_id == TRUSTING
    assert claims.source_arn == ROLE_ARN
    assert claims.user_id == f"{role_id}:alice-session"
    assert claims.caller_arn == alice.arn
    assert claims.chain_depth == 0
    assert claims.secret_access_key.reveal() == credentials["SecretAccessKey"]
    with store.read() as tx:
        role = tx.get_role(TRUSTING, "my-s3-x-account-role")
        assert role is not None and role.last_used == NOW


def test_root_user_may_not_assume_roles(call: Call, role_id: str) -> None:
    with pytest.raises(AccessDenied, match=r"^Roles may not be assumed by root accounts\.$"):
        call(assume_role, root_caller(), _params())


def test_role_that_does_not_exist_is_access_denied(call: Call, alice: Caller) -> None:
    arn = f"arn:aws:iam::{TRUSTING}:role/nope"
    with pytest.raises(AccessDenied) as raised:
        call(assume_role, alice, _params(RoleArn=arn))
    assert raised.value.message == f"User: {alice.arn} is not authorized to perform: sts:AssumeRole on resource: {arn}"


@pytest.mark.parametrize(
    "arn", ["nothing-valid-in-here", "arn::b:::something/test-role", "arn:a::::something/test-role",
            "arn:a:::something/test-role", "arn:a:a::aaaaaaaaaa:"],
)  # fmt: skip
def test_malformed_role_arn(call: Call, alice: Caller, arn: str) -> None:
    # Recorded from AWS: LocalStack's test_sts snapshot, test_sts_invalid_parameters.
    with pytest.raises(ValidationError) as raised:
        call(assume_role, alice, _params(RoleArn=arn))
    assert raised.value.message == f"{arn} is invalid"


def test_invalid_session_name(call: Call, alice: Caller, role_id: str) -> None:
    with pytest.raises(ValidationError) as raised:
        call(assume_role, alice, _params(RoleSessionName="Session1:2"))
    assert raised.value.message == (
        "1 validation error detected: Value 'Session1:2' at 'roleSessionName' failed to satisfy constraint: "
        r"Member must satisfy regular expression pattern: [\w+=,.@-]*"
    )


@pytest.mark.parametrize("name", ["a", "x" * 65])
def test_session_name_length(call: Call, alice: Caller, role_id: str, name: str) -> None:
    with pytest.raises(ValidationError, match="Member must have length"):
        call(assume_role, alice, _params(RoleSessionName=name))


def test_duration_up_to_the_role_maximum(call: Call, alice: Caller, role_id: str) -> None:
    out = call(assume_role, alice, _params(DurationSeconds=7200))
    assert out["Credentials"]["Expiration"] == NOW + timedelta(seconds=7200)
    with pytest.raises(ValidationError) as raised:
        call(assume_role, alice, _params(DurationSeconds=7201))
    assert raised.value.message == "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."


def test_duration_below_the_minimum(call: Call, alice: Caller, role_id: str) -> None:
    with pytest.raises(ValidationError, match="greater than or equal to 900"):
        call(assume_role, alice, _params(DurationSeconds=899))


def _role_session(role_id: str) -> Caller:
    return Caller(
        arn=f"arn:aws:sts::{TRUSTED}:assumed-role/first/s",
        kind=PrincipalKind.ROLE_SESSION,
        account=TRUSTED,
        unique_id="AROAFIRST",
        name="s",
        role_arn=f"arn:aws:iam::{TRUSTED}:role/first",
        temporary=True,
        source_identity="carol",
    )


def test_role_chaining_is_limited_to_one_hour(call: Call, role_id: str, codec: SessionTokenCodec) -> None:
    session = _role_session(role_id)
    with pytest.raises(ValidationError) as raised:
        call(assume_role, session, _params(DurationSeconds=3601))
    assert raised.value.message == (
        "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining."
    )
    out = call(assume_role, session, _params(DurationSeconds=3600))
    claims = codec.open(out["Credentials"]["SessionToken"])
    assert claims.chain_depth == 1
    # The source identity persists along the chain.
    assert out["SourceIdentity"] == "carol" and claims.source_identity == "carol"


def test_session_policy_is_parsed_and_carried(
    call: Call, alice: Caller, role_id: str, codec: SessionTokenCodec, conforms: Conforms
) -> None:
    policy = json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
    )
    arn = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
    out = call(assume_role, alice, _params(Policy=policy, PolicyArns=[{"arn": arn}]))
    conforms("AssumeRole", out)
    assert 0 < out["PackedPolicySize"] <= 100
    claims = codec.open(out["Credentials"]["SessionToken"])
    assert claims.session_policy == policy
    assert claims.session_policy_arns == (arn,)


def test_malformed_session_policy(call: Call, alice: Caller, role_id: str) -> None:
    with pytest.raises(MalformedPolicyDocument):
        call(assume_role, alice, _params(Policy='{"Version":"2012-10-17","Statement":[{"Effect":"Allow"}]}'))
    with pytest.raises(MalformedPolicyDocument):
        call(assume_role, alice, _params(Policy="not json"))


def test_session_policy_over_2048_characters(call: Call, alice: Caller, role_id: str) -> None:
    statement = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::" + "b" * 2100}
    policy = json.dumps({"Version": "2012-10-17", "Statement": [statement]})
    with pytest.raises(ValidationError, match="less than or equal to 2048"):
        call(assume_role, alice, _params(Policy=policy))


def test_packed_policy_too_large(call: Call, alice: Caller, role_id: str) -> None:
    # 1,690 characters of 42 actions: AWS answered "Packed policy consumes 157% ..." (see packed.py).
    actions = [f"service{n:02d}:DoSomethingQuiteLong{n:02d}" for n in range(42)]
    policy = json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]}
    )
    assert 1500 < len(policy) < 2048
    with pytest.raises(PackedPolicyTooLarge, match=r"^Packed policy consumes \d+% of allotted space"):
        call(assume_role, alice, _params(Policy=policy))


def test_policy_arns_must_exist_in_the_role_account(call: Call, alice: Caller, role_id: str, store: SqlStore) -> None:
    document = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}'
    with store.transaction() as tx:
        mine = tx.create_policy(TRUSTING, "mine", document).arn
        other = tx.create_policy(TRUSTED, "other", document).arn
    call(assume_role, alice, _params(PolicyArns=[{"arn": mine}]))
    for arn in (other, "arn:aws:iam::aws:policy/NoSuchPolicy"):
        with pytest.raises(InvalidParameterValue):
            call(assume_role, alice, _params(PolicyArns=[{"arn": arn}]))


def test_at_most_ten_policy_arns(call: Call, alice: Caller, role_id: str) -> None:
    arns = [{"arn": "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"}] * 11
    with pytest.raises(ValidationError, match="less than or equal to 10"):
        call(assume_role, alice, _params(PolicyArns=arns))


def test_tags_need_tag_session_and_are_carried(
    call: Call, alice: Caller, role_id: str, codec: SessionTokenCodec
) -> None:
    checked: list[tuple[str, str, dict[str, Any]]] = []

    def authorize(action: str, resource: str, keys: Any) -> None:
        checked.append((action, resource, dict(keys)))

    tags = [{"Key": "team", "Value": "blue"}, {"Key": "Project", "Value": "x"}]
    out = call(assume_role, alice, _params(Tags=tags, TransitiveTagKeys=["project"]), authorize=authorize)
    assert checked == [
        (
            "sts:TagSession",
            ROLE_ARN,
            {
                "aws:RequestTag/team": "blue",
                "aws:RequestTag/Project": "x",
                "aws:TagKeys": ["team", "Project"],
                # "sts:TransitiveTagKeys - Use this key to compare the transitive session tag
                # keys in the request with those specified in the policy" (sts:TagSession's
                # condition keys, "Passing session tags in AWS STS").
                "sts:TransitiveTagKeys": ["project"],
            },
        )
    ]
    claims = codec.open(out["Credentials"]["SessionToken"])
    assert claims.session_tags == (("team", "blue"), ("Project", "x"))
    assert claims.transitive_tag_keys == ("project",)
    assert out["PackedPolicySize"] >= 1


def test_transitive_tags_pass_along_a_role_chain(call: Call, role_id: str, codec: SessionTokenCodec) -> None:
    # "Chaining roles with session tags" (IAM User Guide, id_session-tags.html): the calling
    # session's transitive tags pass into the next session and stay transitive; the new
    # session's own tags are added (not transitive unless said so).
    session = replace(_role_session(role_id), transitive_tags={"Star": "1", "Heart": "1"})
    out = call(assume_role, session, _params(Tags=[{"Key": "Sun", "Value": "2"}]))
    claims = codec.open(out["Credentials"]["SessionToken"])
    assert dict(claims.session_tags) == {"Star": "1", "Heart": "1", "Sun": "2"}
    assert set(claims.transitive_tag_keys) == {"Star", "Heart"}


def test_a_tag_may_not_override_an_inherited_transitive_tag(call: Call, role_id: str) -> None:
    # Same page: "If you try to pass the Heart = 3 session tag, the operation will fail."
    session = replace(_role_session(role_id), transitive_tags={"Heart": "1"})
    with pytest.raises(InvalidParameterValue) as raised:
        call(assume_role, session, _params(Tags=[{"Key": "heart", "Value": "3"}]))
    assert "conflicts with a transitive tag key from the calling session" in raised.value.message


def test_tag_session_denied(call: Call, alice: Caller, role_id: str) -> None:
    def deny(action: str, resource: str, keys: Any) -> None:
        raise AccessDenied(f"denied {action}")

    with pytest.raises(AccessDenied, match="sts:TagSession"):
        call(assume_role, alice, _params(Tags=[{"Key": "a", "Value": "b"}]), authorize=deny)


def test_inherited_transitive_tags_need_tag_session_on_the_next_role(call: Call, role_id: str) -> None:
    # A chained AssumeRole that passes no tag still carries the calling session's transitive
    # tags, and AWS asks sts:TagSession of the next role for them: its users meet
    # "is not authorized to perform: sts:TagSession" behind EKS Pod Identity, whose session
    # tags are transitive (aws/eks-pod-identity-agent#80, mattrobinsonsre/terrapod#1546).
    checked: list[tuple[str, Any]] = []
    session = replace(_role_session(role_id), transitive_tags={"Star": "1"})
    call(assume_role, session, _params(), authorize=lambda action, _arn, keys: checked.append((action, keys)))
    assert [entry for entry in checked if entry[0] == "sts:TagSession"] == [("sts:TagSession", {})]

    def deny(action: str, resource: str, keys: Any) -> None:
        raise AccessDenied(f"denied {action}")

    with pytest.raises(AccessDenied, match="sts:TagSession"):
        call(assume_role, session, _params(), authorize=deny)
    # Without inherited tags nor tags passed, no sts:TagSession is asked.
    checked.clear()
    call(
        assume_role,
        _role_session(role_id),
        _params(),
        authorize=lambda action, _arn, keys: checked.append((action, keys)),
    )
    assert [entry for entry in checked if entry[0] == "sts:TagSession"] == []


def test_duplicate_and_transitive_tag_keys(call: Call, alice: Caller, role_id: str) -> None:
    # Recorded from AWS: LocalStack's test_sts snapshot, test_assume_role_tag_validation.
    with pytest.raises(InvalidParameterValue) as raised:
        call(assume_role, alice, _params(Tags=[{"Key": "a", "Value": "1"}, {"Key": "A", "Value": "2"}]))
    assert raised.value.message == "Duplicate tag keys found. Please note that Tag keys are case insensitive."
    with pytest.raises(InvalidParameterValue) as raised:
        call(assume_role, alice, _params(Tags=[{"Key": "a", "Value": "1"}], TransitiveTagKeys=["b"]))
    assert raised.value.message == "The specified transitive tag key must be included in the requested tags."


def test_source_identity_needs_set_source_identity(call: Call, alice: Caller, role_id: str) -> None:
    checked: list[str] = []
    out = call(assume_role, alice, _params(SourceIdentity="alice"), authorize=lambda action, *_: checked.append(action))
    assert checked == ["sts:SetSourceIdentity"]
    assert out["SourceIdentity"] == "alice"


# --- MFA ------------------------------------------------------------------------------------

SEED = base64.b32encode(b"0123456789abcdefghij").decode()


@pytest.fixture
def mfa_serial(store: SqlStore, alice: Caller) -> str:
    with store.transaction() as tx:
        device = tx.create_mfa_device(TRUSTED, "alice", Secret(SEED))
        tx.enable_mfa_device(device.serial_number, alice.unique_id, NOW)
    return device.serial_number


def _code(offset: int = 0) -> str:
    return totp(SEED, int(NOW.timestamp()) // STEP + offset)


def test_mfa_code_is_checked_and_recorded(
    call: Call, alice: Caller, role_id: str, mfa_serial: str, codec: SessionTokenCodec
) -> None:
    out = call(assume_role, alice, _params(SerialNumber=mfa_serial, TokenCode=_code()))
    claims = codec.open(out["Credentials"]["SessionToken"])
    assert claims.mfa_authenticated and claims.mfa_authenticated_at == int(NOW.timestamp())
    # A code is accepted once.
    with pytest.raises(AccessDenied, match="invalid MFA one time pass code"):
        call(assume_role, alice, _params(SerialNumber=mfa_serial, TokenCode=_code()))


def test_mfa_failures(call: Call, alice: Caller, role_id: str, mfa_serial: str) -> None:
    wrong = "000000" if _code() != "000000" else "111111"
    with pytest.raises(AccessDenied) as raised:
        call(assume_role, alice, _params(SerialNumber=mfa_serial, TokenCode=wrong))
    assert raised.value.message == "MultiFactorAuthentication failed with invalid MFA one time pass code."
    with pytest.raises(AccessDenied) as raised:
        call(assume_role, alice, _params(SerialNumber=f"arn:aws:iam::{TRUSTED}:mfa/other", TokenCode=_code()))
    assert raised.value.message.startswith("MultiFactorAuthentication failed, unable to validate MFA code.")
    with pytest.raises(AccessDenied) as raised:
        call(assume_role, alice, _params(SerialNumber=mfa_serial))
    assert raised.value.message == (
        "MultiFactorAuthentication failed, must provide both MFA serial number and one time pass code."
    )


def test_mfa_device_of_another_user(call: Call, store: SqlStore, role_id: str, mfa_serial: str) -> None:
    bob = user_caller(store, "bob")
    with pytest.raises(AccessDenied, match="unable to validate MFA code"):
        call(assume_role, bob, _params(SerialNumber=mfa_serial, TokenCode=_code()))


def test_an_inherited_source_identity_needs_set_source_identity_too(call: Call, alice: Caller, role_id: str) -> None:
    # "When you assume a role with another role, called role chaining, permissions for
    # sts:SetSourceIdentity are required in both the permissions policy of the principal who
    # is assuming the role and in the role trust policy of the target role. Otherwise, the
    # assume role operation will fail" ("Monitor and control actions taken with assumed
    # roles", IAM User Guide): the source identity is passed on without being asked for.
    chained = replace(alice, source_identity="alice")
    checked: list[tuple[str, Any]] = []
    out = call(assume_role, chained, _params(), authorize=lambda action, _arn, keys: checked.append((action, keys)))
    assert checked == [("sts:SetSourceIdentity", {"sts:SourceIdentity": "alice"})]
    assert out["SourceIdentity"] == "alice"
    checked.clear()
    call(assume_role, alice, _params(RoleSessionName="plain"), authorize=lambda action, *_: checked.append(action))
    assert checked == []  # nothing to pass on


def test_session_tags_alone_too_large_say_so(call: Call, alice: Caller, role_id: str) -> None:
    # "Packed size of session tags consumes n% of allotted space." (re:Post, "iam-role-aws-
    # sts-error"; answered so in aws-actions/configure-aws-credentials#1803), beside the
    # policy's "Packed policy consumes n% of allotted space, please use smaller policy."
    tags = [{"Key": f"key-{n:02d}-" + "k" * 90, "Value": "v" * 256} for n in range(50)]
    with pytest.raises(PackedPolicyTooLarge, match=r"^Packed size of session tags consumes \d+% of allotted space\.$"):
        call(assume_role, alice, _params(Tags=tags), authorize=lambda *_: None)


def test_session_tags_are_packed_against_their_own_space(call: Call, alice: Caller, role_id: str) -> None:
    # AWS's answer as an AWS maintainer reproduced it (aws-actions/configure-aws-credentials
    # #1898): `aws sts assume-role --tags` Key=T1..T9, each Value 250 "a" -> "Packed size of
    # session tags consumes 498% of allotted space." (the model: packed.py).
    tags = [{"Key": f"T{n}", "Value": "a" * 250} for n in range(1, 10)]
    with pytest.raises(PackedPolicyTooLarge) as raised:
        call(assume_role, alice, _params(Tags=tags), authorize=lambda *_: None)
    assert raised.value.message == "Packed size of session tags consumes 498% of allotted space."
    # One such tag fits: a ninth of that, rounded up (498 / 9 = 55.3).
    out = call(assume_role, alice, _params(Tags=tags[:1]), authorize=lambda *_: None)
    assert out["PackedPolicySize"] == 56


def test_a_chain_may_not_change_its_source_identity(call: Call, alice: Caller, role_id: str) -> None:
    # "The value that is set cannot be changed during the role session" ("Monitor and control
    # actions taken with assumed roles", IAM User Guide); AWS's answer in a recorded run
    # (mahitotsu/gekko_08, experiments/multi-hop-propagation/RESULTS.md): "ValidationError:
    # The source identity is already set for this assume role session".
    chained = replace(alice, source_identity="alice")
    with pytest.raises(ValidationError, match="^The source identity is already set for this assume role session$"):
        call(assume_role, chained, _params(SourceIdentity="other"), authorize=lambda *_: None)
    out = call(assume_role, chained, _params(SourceIdentity="alice"), authorize=lambda *_: None)
    assert out["SourceIdentity"] == "alice"

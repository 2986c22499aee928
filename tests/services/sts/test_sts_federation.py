"""GetFederationToken ("GetFederationToken" in the AWS STS API reference; "Permissions for
GetFederationToken" in the IAM User Guide) and what its session is."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any

import pytest
from services_harness import NOW, TRUSTED, Call, root_caller, user_caller

from iamsandbox.auth.session_token import SessionTokenCodec
from iamsandbox.authz.context import Caller, global_keys
from iamsandbox.errors import AccessDenied, InvalidParameterValue, ValidationError
from iamsandbox.policy import PrincipalKind
from iamsandbox.server.identity import NO_PERMISSIONS, Credentials
from iamsandbox.services.sts.handlers import HANDLERS
from iamsandbox.store import SqlStore

Conforms = Callable[[str, dict[str, Any]], None]
S3_READ = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}'


def test_federation_token_for_a_user(call: Call, store: SqlStore, codec: SessionTokenCodec, conforms: Conforms) -> None:
    alice = user_caller(store)
    out = call(HANDLERS["GetFederationToken"], alice, {"Name": "Bob", "Policy": S3_READ})
    conforms("GetFederationToken", out)
    # "FederatedUserId ... such as arn:aws:sts::123456789012:federated-user/Bob or 123456789012:Bob"
    assert out["FederatedUser"] == {
        "FederatedUserId": f"{TRUSTED}:Bob",
        "Arn": f"arn:aws:sts::{TRUSTED}:federated-user/Bob",
    }
    credentials = out["Credentials"]
    assert credentials["AccessKeyId"].startswith("ASIA")
    # "The default session duration is 43,200 seconds (12 hours)."
    assert credentials["Expiration"] == NOW + timedelta(seconds=43200)
    assert isinstance(out["PackedPolicySize"], int) and 0 < out["PackedPolicySize"] <= 100
    claims = codec.validate(credentials["SessionToken"], credentials["AccessKeyId"], NOW)
    assert claims.kind == "federated-user" and claims.session_policy == S3_READ
    assert claims.user_id == f"{TRUSTED}:Bob"
    out = call(HANDLERS["GetFederationToken"], alice, {"Name": "Bob", "DurationSeconds": 129600})
    assert out["Credentials"]["Expiration"] == NOW + timedelta(seconds=129600)
    # Recorded from AWS (localstack's STS snapshot, test_get_federation_token: Name and
    # DurationSeconds only): "PackedPolicySize": 0, where AssumeRole leaves it out.
    assert out["PackedPolicySize"] == 0


def test_root_sessions_last_at_most_one_hour(call: Call) -> None:
    # "If the specified duration is longer than one hour, the session obtained by using root
    # user credentials defaults to one hour."
    out = call(HANDLERS["GetFederationToken"], root_caller(), {"Name": "Bob", "DurationSeconds": 7200})
    assert out["Credentials"]["Expiration"] == NOW + timedelta(seconds=3600)
    out = call(HANDLERS["GetFederationToken"], root_caller(), {"Name": "Bob"})
    assert out["Credentials"]["Expiration"] == NOW + timedelta(seconds=3600)


def test_refused_with_session_credentials(call: Call, store: SqlStore) -> None:
    # Observed answer (hashicorp/vault#4108): "AccessDenied: Cannot call GetFederationToken
    # with session credentials".
    alice = user_caller(store)
    sessions = [
        Caller(alice.arn, alice.kind, alice.account, alice.unique_id, alice.name, temporary=True),
        Caller(
            f"arn:aws:sts::{TRUSTED}:assumed-role/r/s",
            PrincipalKind.ROLE_SESSION,
            TRUSTED,
            "AROAX",
            "s",
            temporary=True,
        ),
    ]
    for caller in sessions:
        with pytest.raises(AccessDenied) as raised:
            call(HANDLERS["GetFederationToken"], caller, {"Name": "Bob"})
        assert raised.value.message == "Cannot call GetFederationToken with session credentials"


def test_name_and_duration_constraints(call: Call, store: SqlStore) -> None:
    # Name: userNameType, 2 to 32 characters of [\w+=,.@-]*; DurationSeconds 900 to 129,600.
    alice = user_caller(store)
    for name, fragment in (
        ("B", "greater than or equal to 2"),
        ("B" * 33, "less than or equal to 32"),
        ("a b", "pattern"),
    ):
        with pytest.raises(ValidationError, match=fragment):
            call(HANDLERS["GetFederationToken"], alice, {"Name": name})
    for value in (899, 129601):
        with pytest.raises(ValidationError, match="at 'durationSeconds' failed to satisfy constraint"):
            call(HANDLERS["GetFederationToken"], alice, {"Name": "Bob", "DurationSeconds": value})
    with pytest.raises(InvalidParameterValue, match="Duplicate tag keys"):
        tags = [{"Key": "team", "Value": "a"}, {"Key": "Team", "Value": "b"}]
        call(HANDLERS["GetFederationToken"], alice, {"Name": "Bob", "Tags": tags})


def test_authorized_on_the_federated_user_arn(call: Call, store: SqlStore) -> None:
    # Service Authorization Reference for STS: sts:GetFederationToken, resource type
    # federated-user, arn:${Partition}:sts::${Account}:federated-user/${UserName}.
    alice = user_caller(store)
    checked: list[tuple[str, str]] = []

    def authorize(action: str, resource: str, _keys: Mapping[str, str | list[str]]) -> None:
        checked.append((action, resource))

    call(HANDLERS["GetFederationToken"], alice, {"Name": "Bob"}, authorize=authorize)
    assert checked == [("sts:GetFederationToken", f"arn:aws:sts::{TRUSTED}:federated-user/Bob")]

    def deny(action: str, resource: str, _keys: Mapping[str, str | list[str]]) -> None:
        raise AccessDenied(f"User: {alice.arn} is not authorized to perform: {action} on resource: {resource}")

    with pytest.raises(AccessDenied):
        call(HANDLERS["GetFederationToken"], alice, {"Name": "Bob"}, authorize=deny)


def _identity_of(store: SqlStore, codec: SessionTokenCodec, out: dict[str, Any]) -> Any:
    credentials = out["Credentials"]
    with store.read() as tx:
        resolver = Credentials(tx, codec, credentials["SessionToken"], NOW)
        assert resolver.secret(credentials["AccessKeyId"]) == credentials["SecretAccessKey"]
        return resolver.identity(credentials["AccessKeyId"])


def test_the_session_is_the_federated_user(call: Call, store: SqlStore, codec: SessionTokenCodec) -> None:
    alice = user_caller(store)
    with store.transaction() as tx:
        tx.set_tags(TRUSTED, alice.unique_id or "", {"team": "red", "level": "1"})
    params = {"Name": "Bob", "Policy": S3_READ, "Tags": [{"Key": "team", "Value": "blue"}]}
    identity = _identity_of(store, codec, call(HANDLERS["GetFederationToken"], alice, params))
    caller = identity.caller
    assert caller.kind is PrincipalKind.FEDERATED_USER and caller.temporary
    # The user's identity policies apply, capped by the session policy.
    assert identity.identity_id == alice.unique_id
    assert identity.session.policy == S3_READ
    # GetCallerIdentity: "UserId ... account:caller-specified-name" for a federated user
    # (aws:userid in "AWS global condition context keys").
    me = call(HANDLERS["GetCallerIdentity"], caller, {})
    assert me == {"UserId": f"{TRUSTED}:Bob", "Account": TRUSTED, "Arn": f"arn:aws:sts::{TRUSTED}:federated-user/Bob"}
    keys = global_keys(caller, now=NOW, source_ip="127.0.0.1", secure=True, region="us-east-1")
    assert keys["aws:PrincipalType"] == "FederatedUser"
    assert keys["aws:userid"] == f"{TRUSTED}:Bob"
    assert keys["aws:PrincipalTag/team"] == "blue" and keys["aws:PrincipalTag/level"] == "1"
    assert "aws:username" not in keys


def test_without_session_policy_no_permissions(call: Call, store: SqlStore, codec: SessionTokenCodec) -> None:
    # "if you do not pass a policy with the GetFederationToken API call, the resulting
    # temporary security credentials have no permissions" ("Permissions for GetFederationToken").
    alice = user_caller(store)
    identity = _identity_of(store, codec, call(HANDLERS["GetFederationToken"], alice, {"Name": "Bob"}))
    assert identity.session is not None and identity.session.policy == NO_PERMISSIONS


def test_federated_user_cannot_call_iam_or_sts(call: Call, store: SqlStore, codec: SessionTokenCodec) -> None:
    # "You cannot call any IAM operations using the AWS CLI or the AWS API. You cannot call
    # any STS operations except GetCallerIdentity." (GetFederationToken, Permissions). IAM
    # answers such a token as invalid (jantman/awslimitchecker#139): the pipeline refuses it
    # before authorization (tests/e2e/test_federation_token_clients.py).
    alice = user_caller(store)
    caller = _identity_of(store, codec, call(HANDLERS["GetFederationToken"], alice, {"Name": "Bob"})).caller
    with pytest.raises(AccessDenied):
        call(HANDLERS["AssumeRole"], caller, {"RoleArn": f"arn:aws:iam::{TRUSTED}:role/r", "RoleSessionName": "s"})
    for operation in ("GetFederationToken", "GetSessionToken"):
        with pytest.raises(AccessDenied, match="with session credentials"):
            call(HANDLERS[operation], caller, {"Name": "Carol"})


def test_a_session_tag_overrides_the_users_tag_in_any_case(
    call: Call, store: SqlStore, codec: SessionTokenCodec
) -> None:
    # "Tagging IAM resources", Case sensitivity: a user's tag keys are not case sensitive
    # ("you cannot have separate Department and department tag keys"); "Pass session tags
    # in AWS STS": a session tag overrides the principal's tag with the same key.
    alice = user_caller(store)
    with store.transaction() as tx:
        tx.set_tags(TRUSTED, alice.unique_id or "", {"Team": "red"})
    params = {"Name": "Bob", "Policy": S3_READ, "Tags": [{"Key": "team", "Value": "blue"}]}
    identity = _identity_of(store, codec, call(HANDLERS["GetFederationToken"], alice, params))
    assert identity.caller.tags == {"team": "blue"}
    keys = global_keys(identity.caller, now=NOW, source_ip="127.0.0.1", secure=True, region="us-east-1")
    assert keys["aws:PrincipalTag/team"] == "blue" and "aws:PrincipalTag/Team" not in keys


def test_session_tags_need_tag_session(call: Call, store: SqlStore) -> None:
    # "Pass session tags in AWS STS", "Permissions required to add session tags": passing
    # session tags needs sts:TagSession as well as the operation's own action, with the tags
    # in aws:RequestTag/* and aws:TagKeys.
    alice = user_caller(store)
    checked: list[tuple[str, str, dict[str, str | list[str]]]] = []

    def authorize(action: str, resource: str, keys: Mapping[str, str | list[str]]) -> None:
        checked.append((action, resource, dict(keys)))
        if action == "sts:TagSession":
            raise AccessDenied(f"User: {alice.arn} is not authorized to perform: {action} on resource: {resource}")

    tags = [{"Key": "team", "Value": "blue"}, {"Key": "cost", "Value": "7"}]
    with pytest.raises(AccessDenied, match="sts:TagSession"):
        call(HANDLERS["GetFederationToken"], alice, {"Name": "Bob", "Tags": tags}, authorize=authorize)
    bob = f"arn:aws:sts::{TRUSTED}:federated-user/Bob"
    assert checked == [
        ("sts:GetFederationToken", bob, {}),
        (
            "sts:TagSession",
            bob,
            {"aws:RequestTag/team": "blue", "aws:RequestTag/cost": "7", "aws:TagKeys": ["team", "cost"]},
        ),
    ]
    checked.clear()
    call(HANDLERS["GetFederationToken"], alice, {"Name": "Bob"}, authorize=authorize)
    assert [action for action, _, _ in checked] == ["sts:GetFederationToken"]

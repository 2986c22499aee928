"""The reference workflow (DESIGN.md) at the authorization layer, on a real store: account
A's role trusts account B and has AmazonS3ReadOnlyAccess; B's user may sts:AssumeRole it
through a customer managed policy; the session reads A's bucket and may not write.

Sources: "Cross-account policy evaluation logic" (both the trusted account's identity
policy and the trusting account's trust policy must allow sts:AssumeRole), "Granting a
user permissions to switch roles", and the AccessDenied format of "Troubleshoot access
denied error messages"."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from iamsandbox.authz.actions import spec_for
from iamsandbox.authz.authorize import Authorizer, Session
from iamsandbox.authz.context import Caller
from iamsandbox.authz.gather import PolicySource
from iamsandbox.errors import AccessDenied
from iamsandbox.policy.request import PrincipalKind
from iamsandbox.services.iam.managed_policies import ManagedPolicies
from iamsandbox.store import SqlStore, open_store, sqlite_url

A, B = "111111111111", "222222222222"
ROLE = "my-s3-x-account-role"
ROLE_ARN = f"arn:aws:iam::{A}:role/{ROLE}"


def _trust(principal: str) -> str:
    statement = {"Effect": "Allow", "Principal": {"AWS": principal}, "Action": "sts:AssumeRole"}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


@pytest.fixture
def world(tmp_path: Path) -> Iterator[tuple[SqlStore, dict[str, str]]]:
    store = open_store(sqlite_url(tmp_path / "db.sqlite"), [secrets.token_bytes(32)])
    ids: dict[str, str] = {}
    with store.transaction() as tx:
        tx.create_account(A, "trusting")
        tx.create_account(B, "trusted")
        role = tx.create_role(A, ROLE, _trust(f"arn:aws:iam::{B}:root"))
        tx.attach_policy(role.id, "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")
        other = tx.create_role(A, "trusts-someone-else", _trust("333333333333"))
        tx.create_bucket("a-bucket", A, "us-east-1")
        alice = tx.create_user(B, "alice")
        bob = tx.create_user(B, "bob")  # no policy at all
        assume = json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Action": "sts:AssumeRole",
                        "Resource": [ROLE_ARN, f"arn:aws:iam::{A}:role/trusts-someone-else"],
                    }
                ],
            }
        )
        policy = tx.create_policy(B, "my-s3-x-account-policy", assume)
        tx.attach_policy(alice.id, policy.arn)
        ids.update(role=role.id, other=other.id, alice=alice.id, bob=bob.id)
    try:
        yield store, ids
    finally:
        store.close()


def _user(name: str) -> Caller:
    return Caller(f"arn:aws:iam::{B}:user/{name}", PrincipalKind.USER, B, name=name)


def _assume(authorizer: Authorizer, store: SqlStore, caller: Caller, user_id: str, role_arn: str) -> None:
    spec = spec_for("sts", "AssumeRole")
    assert spec is not None
    with store.read() as tx:
        target = authorizer.resolve(tx, spec, {"RoleArn": role_arn}, B)
        authorizer.check(tx, caller, spec.action, target, identity_id=user_id)


def test_reference_workflow(world: tuple[SqlStore, dict[str, str]]) -> None:
    store, ids = world
    authorizer = Authorizer(PolicySource(ManagedPolicies()))
    _assume(authorizer, store, _user("alice"), ids["alice"], ROLE_ARN)  # allowed: no exception

    session = Caller(
        f"arn:aws:sts::{A}:assumed-role/{ROLE}/alice",
        PrincipalKind.ROLE_SESSION,
        A,
        unique_id=ids["role"],
        name="alice",
        role_arn=ROLE_ARN,
        temporary=True,
    )
    get, put = spec_for("s3", "GetObject"), spec_for("s3", "PutObject")
    assert get is not None and put is not None
    params = {"Bucket": "a-bucket", "Key": "report.csv"}
    with store.read() as tx:
        target = authorizer.resolve(tx, get, params, A)
        assert target.arn == "arn:aws:s3:::a-bucket/report.csv" and target.account == A
        authorizer.check(tx, session, get.action, target, identity_id=ids["role"], session=Session(ids["role"]))
        with pytest.raises(AccessDenied) as denied:
            authorizer.check(tx, session, put.action, target, identity_id=ids["role"], session=Session(ids["role"]))
    assert denied.value.message == (
        f"User: arn:aws:sts::{A}:assumed-role/{ROLE}/alice is not authorized to perform: s3:PutObject on "
        'resource: "arn:aws:s3:::a-bucket/report.csv" because no identity-based policy allows the s3:PutObject action'
    )


def test_assume_role_denials(world: tuple[SqlStore, dict[str, str]]) -> None:
    store, ids = world
    authorizer = Authorizer(PolicySource(ManagedPolicies()))
    # No sts:AssumeRole policy in the trusted account.
    with pytest.raises(AccessDenied) as no_policy:
        _assume(authorizer, store, _user("bob"), ids["bob"], ROLE_ARN)
    assert no_policy.value.message.endswith("because no identity-based policy allows the sts:AssumeRole action")
    # A trust policy naming another account.
    with pytest.raises(AccessDenied) as not_trusted:
        _assume(authorizer, store, _user("alice"), ids["alice"], f"arn:aws:iam::{A}:role/trusts-someone-else")
    # AWS names no reason when the trust policy refuses (as it answers a wrong ExternalId or
    # an untrusted principal: "... is not authorized to perform: sts:AssumeRole on resource:
    # <role ARN>"), nor for a role that does not exist, which it does not tell apart.
    refused = f"User: arn:aws:iam::{B}:user/alice is not authorized to perform: sts:AssumeRole on resource: "
    assert not_trusted.value.message == refused + f"arn:aws:iam::{A}:role/trusts-someone-else"
    # A role that does not exist (alice's policy names only the role she may assume).
    with pytest.raises(AccessDenied) as missing:
        _assume(authorizer, store, _user("alice"), ids["alice"], f"arn:aws:iam::{A}:role/no-such-role")
    assert "resource-based" not in missing.value.message


def test_get_access_key_last_used_is_checked_on_the_keys_user(world: tuple[SqlStore, dict[str, str]]) -> None:
    # "Actions, resources, and condition keys for AWS Identity and Access Management":
    # iam:GetAccessKeyLastUsed acts on resource type user, the user who owns the key, so a
    # policy on user/${aws:username} lets a user read its own keys' last use.
    store, ids = world
    spec = spec_for("iam", "GetAccessKeyLastUsed")
    assert spec is not None
    with store.transaction() as tx:
        key = tx.create_access_key(B, ids["alice"])
    with store.read() as tx:
        target = Authorizer(PolicySource(ManagedPolicies())).resolve(tx, spec, {"AccessKeyId": key.access_key_id}, B)
    assert (target.arn, target.account) == (f"arn:aws:iam::{B}:user/alice", B)


def test_bucket_owner_root_cannot_lock_itself_out_of_the_bucket_policy(world: tuple[SqlStore, dict[str, str]]) -> None:
    # PutBucketPolicy / DeleteBucketPolicy (Amazon S3 API reference): the bucket owner's root
    # user can always Get/Put/DeleteBucketPolicy, even when the bucket policy explicitly denies it;
    # every other action stays denied, and another account's root gains nothing.
    store, _ids = world
    resources = ["arn:aws:s3:::a-bucket", "arn:aws:s3:::a-bucket/*"]
    deny_all = {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": resources}
    with store.transaction() as tx:
        tx.set_bucket_attribute("a-bucket", "policy", json.dumps({"Version": "2012-10-17", "Statement": [deny_all]}))
    authorizer = Authorizer(PolicySource(ManagedPolicies()))
    root = Caller(f"arn:aws:iam::{A}:root", PrincipalKind.ROOT, A)
    with store.read() as tx:
        for operation in ("GetBucketPolicy", "PutBucketPolicy", "DeleteBucketPolicy", "ListObjectsV2"):
            spec = spec_for("s3", operation)
            assert spec is not None
            target = authorizer.resolve(tx, spec, {"Bucket": "a-bucket"}, A)
            allowed = authorizer.decide(tx, root, spec.action, target, {}).allowed
            assert allowed is (operation != "ListObjectsV2"), operation
        other_root = Caller(f"arn:aws:iam::{B}:root", PrincipalKind.ROOT, B)
        spec = spec_for("s3", "DeleteBucketPolicy")
        assert spec is not None
        target = authorizer.resolve(tx, spec, {"Bucket": "a-bucket"}, B)
        assert not authorizer.decide(tx, other_root, spec.action, target, {}).allowed


def test_create_bucket_is_checked_in_the_callers_account(world: tuple[SqlStore, dict[str, str]]) -> None:
    # CreateBucket (Amazon S3 API reference): a name another account owns is
    # BucketAlreadyExists (the handler's answer), so authorization must not send the
    # request to that account's bucket and answer AccessDenied first.
    store, _ids = world
    authorizer = Authorizer(PolicySource(ManagedPolicies()))
    spec = spec_for("s3", "CreateBucket")
    assert spec is not None
    other_root = Caller(f"arn:aws:iam::{B}:root", PrincipalKind.ROOT, B)
    with store.read() as tx:
        target = authorizer.resolve(tx, spec, {"Bucket": "a-bucket"}, B)  # a-bucket is A's
        assert target.account == B and target.policy is None
        assert authorizer.decide(tx, other_root, spec.action, target, {}).allowed

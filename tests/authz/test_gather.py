"""Gathering a principal's policies from a real store: a user's own, its groups', AWS and
customer managed ones; cached per policy generation, so a change is seen at once."""

from __future__ import annotations

import json
import secrets
from pathlib import Path

from iamsandbox.authz.gather import PolicySource
from iamsandbox.policy import CompiledSet, PolicyKind, PolicySet, PolicyType, Request, evaluate
from iamsandbox.services.iam.managed_policies import ManagedPolicies
from iamsandbox.store import open_store, sqlite_url

ACCOUNT = "222222222222"


def _doc(action: str, effect: str = "Allow") -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": effect, "Action": action, "Resource": "*"}]})


def test_user_group_and_managed_policies_and_a_change_seen_at_once(tmp_path: Path) -> None:
    store = open_store(sqlite_url(tmp_path / "db.sqlite"), [secrets.token_bytes(32)])
    source = PolicySource(ManagedPolicies())
    alice_arn = f"arn:aws:iam::{ACCOUNT}:user/alice"
    try:
        with store.transaction() as tx:
            tx.create_account(ACCOUNT, "trusted")
            alice = tx.create_user(ACCOUNT, "alice")
            readers = tx.create_group(ACCOUNT, "readers")
            tx.add_user_to_group(readers.id, alice.id)
            tx.attach_policy(readers.id, "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")
            tx.put_inline_policy(alice.id, "sts", _doc("sts:AssumeRole"))
            policy = tx.create_policy(ACCOUNT, "no-delete", _doc("s3:DeleteObject", "Deny"))
            tx.attach_policy(alice.id, policy.arn)

        def decide(action: str) -> str:
            with store.read() as tx:
                identity = source.identity(tx, ACCOUNT, alice.id)
            request = Request.build(alice_arn, action, "arn:aws:s3:::bucket/key", ACCOUNT)
            return evaluate(request, PolicySet(identity=identity)).value

        assert decide("s3:GetObject") == "allowed"  # AmazonS3ReadOnlyAccess, through the group
        assert decide("sts:AssumeRole") == "allowed"  # the inline policy
        assert decide("s3:DeleteObject") == "explicitDeny"  # the customer managed policy
        assert decide("s3:PutObject") == "implicitDeny"
        misses = source.sets.misses
        assert decide("s3:GetObject") == "allowed" and source.sets.misses == misses  # cached

        with store.transaction() as tx:  # a new default version allows s3:PutObject
            tx.create_policy_version(policy.arn, _doc("s3:PutObject"), set_as_default=True)
        assert decide("s3:PutObject") == "allowed"
        assert decide("s3:DeleteObject") == "implicitDeny"
    finally:
        store.close()


def test_document_sets_compile_once_per_text() -> None:
    source = PolicySource(ManagedPolicies())
    trust = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"AWS": "222222222222"}, "Action": "sts:AssumeRole"}],
        }
    )
    first = source.document_set("role-id", trust, PolicyKind.TRUST, PolicyType.RESOURCE)
    assert source.document_set("role-id", trust, PolicyKind.TRUST, PolicyType.RESOURCE) is first


def test_a_write_elsewhere_keeps_a_set_compiled(tmp_path: Path) -> None:
    """The generation moves with any policy write in the account; the identity's policies
    are gathered again but, unchanged, not compiled again (the same set comes back); a
    change to its own policies compiles a new one."""
    store = open_store(sqlite_url(tmp_path / "db.sqlite"), [secrets.token_bytes(32)])
    source = PolicySource(ManagedPolicies())
    try:
        with store.transaction() as tx:
            tx.create_account(ACCOUNT, "trusted")
            alice = tx.create_user(ACCOUNT, "alice")
            bob = tx.create_user(ACCOUNT, "bob")
            tx.put_inline_policy(alice.id, "s3", _doc("s3:GetObject"))

        def compiled() -> CompiledSet:
            with store.read() as tx:
                return source.identity(tx, ACCOUNT, alice.id)

        first = compiled()
        with store.transaction() as tx:  # someone else's policy: the generation moves
            before = tx.policy_generation(ACCOUNT)
            tx.put_inline_policy(bob.id, "iam", _doc("iam:*"))
            assert tx.policy_generation(ACCOUNT) > before
        assert compiled() is first
        with store.transaction() as tx:  # alice's own policy changes: a new set
            tx.put_inline_policy(alice.id, "s3", _doc("s3:PutObject"))
        changed = compiled()
        assert changed is not first
        request = Request.build(f"arn:aws:iam::{ACCOUNT}:user/alice", "s3:PutObject", "arn:aws:s3:::b/k", ACCOUNT)
        assert evaluate(request, PolicySet(identity=changed)).value == "allowed"
    finally:
        store.close()

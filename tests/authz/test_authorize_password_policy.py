"""AllowUsersToChangePassword: the one allow that no policy states.

"Permit IAM users to change their own passwords" (IAM User Guide): "Select Allow users to
change their own password ... This allows all users in the account access to the
iam:ChangePassword action for only their user and to the iam:GetAccountPasswordPolicy
action"; PasswordPolicy (IAM API reference): "This option does not attach a permissions
policy to each user, rather the permissions are applied at the account-level for all users
by IAM". An explicit deny still wins ("Policy evaluation logic": an explicit deny in any
policy overrides any allow).
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from iamsandbox.authz.actions import spec_for
from iamsandbox.authz.authorize import Authorizer
from iamsandbox.authz.context import Caller
from iamsandbox.authz.gather import PolicySource
from iamsandbox.errors import AccessDenied
from iamsandbox.policy.request import PrincipalKind
from iamsandbox.services.iam.managed_policies import ManagedPolicies
from iamsandbox.store import SqlStore, open_store, sqlite_url
from iamsandbox.store.interface import PasswordPolicy

B = "222222222222"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqlStore]:
    opened = open_store(sqlite_url(tmp_path / "db.sqlite"), [secrets.token_bytes(32)])
    with opened.transaction() as tx:
        tx.create_account(B, "trusted")
        tx.create_user(B, "alice")
        tx.create_user(B, "bob", path="/staff/")
    try:
        yield opened
    finally:
        opened.close()


def _check(store: SqlStore, name: str, operation: str, **params: str) -> None:
    """Authorize ``operation`` as the IAM user ``name`` of account B, as the pipeline does."""
    spec = spec_for("iam", operation)
    assert spec is not None
    authorizer = Authorizer(PolicySource(ManagedPolicies()))
    with store.read() as tx:
        user = tx.get_user(B, name)
        assert user is not None
        caller = Caller(user.arn, PrincipalKind.USER, B, unique_id=user.id, name=name)
        target = authorizer.resolve(tx, spec, params, B, name)
        authorizer.check(tx, caller, spec.action, target, identity_id=user.id)


def _policy(store: SqlStore, policy: PasswordPolicy | None) -> None:
    with store.transaction() as tx:
        tx.set_password_policy(B, policy)


def test_without_the_option_a_user_needs_a_policy(store: SqlStore) -> None:
    for policy in (None, PasswordPolicy(allow_users_to_change_password=False)):
        _policy(store, policy)
        with pytest.raises(AccessDenied) as denied:
            _check(store, "bob", "ChangePassword")
        assert denied.value.message == (
            f"User: arn:aws:iam::{B}:user/staff/bob is not authorized to perform: iam:ChangePassword on resource: "
            f"arn:aws:iam::{B}:user/staff/bob because no identity-based policy allows the iam:ChangePassword action"
        )
        with pytest.raises(AccessDenied):
            _check(store, "bob", "GetAccountPasswordPolicy")


def test_with_the_option_every_user_changes_its_own_password(store: SqlStore) -> None:
    _policy(store, PasswordPolicy(allow_users_to_change_password=True))
    _check(store, "bob", "ChangePassword")  # allowed: no exception, and bob has no policy
    _check(store, "alice", "ChangePassword")
    _check(store, "bob", "GetAccountPasswordPolicy")
    # Nothing else: not the policy itself, not another user's password.
    for operation, params in [
        ("UpdateAccountPasswordPolicy", {}),
        ("GetUser", {}),
        ("UpdateLoginProfile", {"UserName": "alice"}),
    ]:
        with pytest.raises(AccessDenied):
            _check(store, "bob", operation, **params)


def test_an_explicit_deny_still_wins(store: SqlStore) -> None:
    _policy(store, PasswordPolicy(allow_users_to_change_password=True))
    deny = {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "iam:ChangePassword", "Resource": "*"}]}
    with store.transaction() as tx:
        bob = tx.get_user(B, "bob")
        assert bob is not None
        tx.put_inline_policy(bob.id, "no-password-change", json.dumps(deny))
    with pytest.raises(AccessDenied) as denied:
        _check(store, "bob", "ChangePassword")
    assert denied.value.message.endswith("with an explicit deny in an identity-based policy")
    _check(store, "alice", "ChangePassword")


def test_role_sessions_get_nothing_from_it(store: SqlStore) -> None:
    # The option is for IAM users' own passwords; a role has no password.
    _policy(store, PasswordPolicy(allow_users_to_change_password=True))
    spec = spec_for("iam", "GetAccountPasswordPolicy")
    assert spec is not None
    authorizer = Authorizer(PolicySource(ManagedPolicies()))
    with store.transaction() as tx:
        role = tx.create_role(B, "r", json.dumps({"Version": "2012-10-17", "Statement": []}))
    session = Caller(
        f"arn:aws:sts::{B}:assumed-role/r/s",
        PrincipalKind.ROLE_SESSION,
        B,
        unique_id=role.id,
        name="s",
        role_arn=role.arn,
        temporary=True,
    )
    with store.read() as tx, pytest.raises(AccessDenied):
        authorizer.check(tx, session, spec.action, authorizer.resolve(tx, spec, {}, B), identity_id=role.id)

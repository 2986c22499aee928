"""Accounts and IAM in the store: uniqueness as AWS documents it, counts the services
decide limits from, the policy generation, and secrets sealed at rest."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from store_harness import ACCOUNT, OTHER, Database

from iamsandbox.store import Conflict, Group, Role, SqlStore, User
from iamsandbox.store.crypto import Secret, account_of_access_key_id

TRUST = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": OTHER}}]})
DOC = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}'


def test_accounts_and_alias(accounts: SqlStore) -> None:
    with accounts.transaction() as tx:
        tx.set_account_alias(ACCOUNT, "trusting-alias")
    with accounts.read() as tx:
        assert [a.account_id for a in tx.list_accounts()] == [ACCOUNT, OTHER]
        found = tx.get_account_by_alias("trusting-alias")
        assert found is not None and found.account_id == ACCOUNT
        assert tx.get_account("999999999999") is None


def test_account_alias_is_unique_across_accounts(accounts: SqlStore) -> None:
    # Account aliases are unique across AWS ("Your AWS account ID and its alias", IAM User Guide).
    with accounts.transaction() as tx:
        tx.set_account_alias(ACCOUNT, "taken")
    with pytest.raises(Conflict), accounts.transaction() as tx:
        tx.set_account_alias(OTHER, "taken")


def test_duplicate_account_id_conflicts(accounts: SqlStore) -> None:
    with pytest.raises(Conflict), accounts.transaction() as tx:
        tx.create_account(ACCOUNT, "again")


@pytest.mark.parametrize("kind", ["user", "group", "role"])
def test_names_are_unique_per_account_whatever_their_case(accounts: SqlStore, kind: str) -> None:
    # CreateRole/CreateUser/CreateGroup: "Names are not distinguished by case. For example,
    # you cannot create resources named both "MyResource" and "myresource"."
    def create(tx: object, account: str, name: str) -> None:
        if kind == "role":
            tx.create_role(account, name, TRUST)  # type: ignore[attr-defined]
        else:
            getattr(tx, f"create_{kind}")(account, name)

    with accounts.transaction() as tx:
        create(tx, ACCOUNT, "MyResource")
        create(tx, OTHER, "myresource")  # another account: allowed
    with pytest.raises(Conflict), accounts.transaction() as tx:
        create(tx, ACCOUNT, "myresource")
    with pytest.raises(Conflict), accounts.transaction() as tx:
        create(tx, ACCOUNT, "MyResource")  # a different path does not make it another name
    with accounts.read() as tx:
        found = getattr(tx, f"get_{kind}")(ACCOUNT, "MYRESOURCE")
        assert found is not None and found.name == "MyResource"  # created case kept


def test_a_user_and_a_role_may_share_a_name(accounts: SqlStore) -> None:
    with accounts.transaction() as tx:
        tx.create_user(ACCOUNT, "deploy")
        tx.create_role(ACCOUNT, "deploy", TRUST)
        tx.create_group(ACCOUNT, "deploy")
        tx.create_policy(ACCOUNT, "deploy", DOC)
        assert tx.count_identities(ACCOUNT) == {"user": 1, "group": 1, "role": 1}


def test_policy_names_are_unique_whatever_their_case(accounts: SqlStore) -> None:
    with accounts.transaction() as tx:
        tx.create_policy(ACCOUNT, "ReadOnly", DOC)
    with pytest.raises(Conflict), accounts.transaction() as tx:
        tx.create_policy(ACCOUNT, "readonly", DOC, path="/other/")


def test_role_fields_arn_lookup_and_update(accounts: SqlStore) -> None:
    with accounts.transaction() as tx:
        role = tx.create_role(
            ACCOUNT,
            "my-s3-x-account-role",
            TRUST,
            path="/cross/",
            description="x",
            max_session_duration=7200,
            permissions_boundary="arn:aws:iam::aws:policy/PowerUserAccess",
        )
    assert role.arn == f"arn:aws:iam::{ACCOUNT}:role/cross/my-s3-x-account-role"
    assert role.id.startswith("AROA") and len(role.id) == 21
    with accounts.transaction() as tx:
        updated = tx.update_role(role.id, description="y", max_session_duration=3600)
        assert updated is not None and updated.description == "y" and updated.max_session_duration == 3600
        tx.record_role_used(role.id, datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC), "eu-west-1")
    with accounts.read() as tx:
        found = tx.get_role_by_arn(role.arn)
        assert found is not None and found.trust_policy == TRUST
        assert found.permissions_boundary == "arn:aws:iam::aws:policy/PowerUserAccess"
        assert found.last_used == datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC) and found.last_used_region == "eu-west-1"
        assert tx.get_role_by_arn(f"arn:aws:iam::{ACCOUNT}:role/my-s3-x-account-role") is None  # path differs
        assert isinstance(tx.get_identity(role.id), Role)


def test_rename_user_moves_its_arn(accounts: SqlStore) -> None:
    with accounts.transaction() as tx:
        user = tx.create_user(ACCOUNT, "alice")
        renamed = tx.rename_identity(user.id, name="Alicia", path="/team/")
    assert isinstance(renamed, User)
    assert renamed.arn == f"arn:aws:iam::{ACCOUNT}:user/team/Alicia"
    with accounts.read() as tx:
        assert tx.get_user(ACCOUNT, "alice") is None
        assert [u.name for u in tx.list_users(ACCOUNT, "/team/")] == ["Alicia"]
        assert tx.list_users(ACCOUNT, "/nope/") == []


def test_group_membership_and_principal_policies(accounts: SqlStore) -> None:
    with accounts.transaction() as tx:
        user = tx.create_user(ACCOUNT, "alice")
        group = tx.create_group(ACCOUNT, "admins")
        policy = tx.create_policy(ACCOUNT, "p", DOC)
        assert tx.add_user_to_group(group.id, user.id)
        assert not tx.add_user_to_group(group.id, user.id)  # already a member
        tx.attach_policy(user.id, "arn:aws:iam::aws:policy/ReadOnlyAccess")
        tx.attach_policy(group.id, policy.arn)
        tx.attach_policy(group.id, "arn:aws:iam::aws:policy/ReadOnlyAccess")  # the same via the group
        tx.put_inline_policy(user.id, "mine", DOC)
        tx.put_inline_policy(group.id, "theirs", DOC)
    with accounts.read() as tx:
        applied = tx.principal_policies(user.id)
        assert applied.attached_arns == ("arn:aws:iam::aws:policy/ReadOnlyAccess", policy.arn)
        assert [(p.owner_id, p.name) for p in applied.inline] == [(user.id, "mine"), (group.id, "theirs")]
        assert applied.group_ids == (group.id,)
        assert [g.name for g in tx.list_groups_for_user(user.id)] == ["admins"]
        assert [u.name for u in tx.list_group_members(group.id)] == ["alice"]
        entities = tx.list_entities_for_policy("arn:aws:iam::aws:policy/ReadOnlyAccess")
        assert sorted(type(e).__name__ for e in entities) == ["Group", "User"]
        assert isinstance(tx.get_identity(group.id), Group)


def test_attachments_keep_their_order_and_detach(accounts: SqlStore) -> None:
    arns = [f"arn:aws:iam::aws:policy/P{i}" for i in (3, 1, 2)]
    with accounts.transaction() as tx:
        role = tx.create_role(ACCOUNT, "r", TRUST)
        for arn in arns:
            assert tx.attach_policy(role.id, arn)
        assert not tx.attach_policy(role.id, arns[0])
        assert tx.list_attached_policies(role.id) == arns
        assert tx.detach_policy(role.id, arns[1])
        assert not tx.detach_policy(role.id, arns[1])
        assert tx.list_attached_policies(role.id) == [arns[0], arns[2]]


def test_policy_versions_counts_and_default(accounts: SqlStore) -> None:
    """The store reports how many versions there are; the service refuses a sixth
    (CreatePolicyVersion: "A managed policy can have up to five versions")."""
    with accounts.transaction() as tx:
        policy = tx.create_policy(ACCOUNT, "p", DOC, description="d")
        assert policy.default_version_id == "v1"
        for i in range(2, 6):
            version = tx.create_policy_version(policy.arn, DOC.replace("s3:*", f"s3:Get{i}"), set_as_default=i == 3)
            assert version.version_id == f"v{i}"
    with accounts.read() as tx:
        found = tx.get_policy(policy.arn)
        assert found is not None and found.version_count == 5 and found.default_version_id == "v3"
        assert [v.version_id for v in tx.list_policy_versions(policy.arn)] == ["v5", "v4", "v3", "v2", "v1"]
        assert [v.is_default for v in tx.list_policy_versions(policy.arn)] == [False, False, True, False, False]
    with accounts.transaction() as tx:
        assert tx.delete_policy_version(policy.arn, "v2")
        # Version ids are never reused: the next one is v6 (as IAM numbers them).
        assert tx.create_policy_version(policy.arn, DOC, set_as_default=False).version_id == "v6"
        assert tx.set_default_policy_version(policy.arn, "v6")
        assert not tx.set_default_policy_version(policy.arn, "v2")
        defaults = tx.default_policy_versions([policy.arn, "arn:aws:iam::aws:policy/ReadOnlyAccess"])
        assert list(defaults) == [policy.arn] and defaults[policy.arn].version_id == "v6"
        assert defaults[policy.arn].document == DOC
    with accounts.transaction() as tx:
        assert tx.delete_policy(policy.arn)
        assert tx.get_policy(policy.arn) is None and tx.list_policy_versions(policy.arn) == []


def test_policy_attachment_count(accounts: SqlStore) -> None:
    with accounts.transaction() as tx:
        policy = tx.create_policy(ACCOUNT, "p", DOC)
        tx.attach_policy(tx.create_user(ACCOUNT, "u").id, policy.arn)
        tx.attach_policy(tx.create_role(ACCOUNT, "r", TRUST).id, policy.arn)
        found = tx.get_policy(policy.arn)
        assert found is not None and found.attachment_count == 2
        assert [p.name for p in tx.list_policies(ACCOUNT)] == ["p"]


def test_delete_identity_with_dependents_conflicts(accounts: SqlStore) -> None:
    with accounts.transaction() as tx:
        user = tx.create_user(ACCOUNT, "alice")
        tx.create_access_key(ACCOUNT, user.id)
        tx.set_tags(ACCOUNT, user.id, {"team": "a"})
    with pytest.raises(Conflict), accounts.transaction() as tx:
        tx.delete_identity(user.id)
    with accounts.transaction() as tx:
        for key in tx.list_access_keys(ACCOUNT, user.id):
            tx.delete_access_key(key.access_key_id)
        assert tx.delete_identity(user.id)
        assert not tx.delete_identity(user.id)
        assert tx.get_tags(user.id) == {}


def test_tags_replace_and_keep_order(accounts: SqlStore) -> None:
    with accounts.transaction() as tx:
        role = tx.create_role(ACCOUNT, "r", TRUST)
        tx.set_tags(ACCOUNT, role.id, {"b": "1", "a": "2"})
        assert list(tx.get_tags(role.id).items()) == [("b", "1"), ("a", "2")]
        tx.set_tags(ACCOUNT, role.id, {"c": "3"})
        assert tx.get_tags(role.id) == {"c": "3"}


def test_policy_generation_moves_with_every_policy_change(accounts: SqlStore) -> None:
    def generation() -> int:
        with accounts.read() as tx:
            return tx.policy_generation(ACCOUNT)

    seen = [generation()]
    with accounts.transaction() as tx:
        role = tx.create_role(ACCOUNT, "r", TRUST)
        user = tx.create_user(ACCOUNT, "u")
        policy = tx.create_policy(ACCOUNT, "p", DOC)
    seen.append(generation())
    changes = [
        lambda tx: tx.attach_policy(role.id, policy.arn),
        lambda tx: tx.put_inline_policy(user.id, "i", DOC),
        lambda tx: tx.create_policy_version(policy.arn, DOC, True),
        lambda tx: tx.update_role(role.id, trust_policy=TRUST),
        lambda tx: tx.set_permissions_boundary(role.id, policy.arn),
        lambda tx: tx.set_tags(ACCOUNT, role.id, {"k": "v"}),
        lambda tx: tx.detach_policy(role.id, policy.arn),
        lambda tx: tx.delete_inline_policy(user.id, "i"),
    ]
    for change in changes:
        with accounts.transaction() as tx:
            change(tx)
        seen.append(generation())
    assert seen == sorted(set(seen)), seen  # strictly increasing
    with accounts.read() as tx:
        assert tx.policy_generations([ACCOUNT, OTHER])[OTHER] == 0  # the other account untouched


def test_access_keys_and_secret_sealed_at_rest(accounts: SqlStore, database: Database) -> None:
    with accounts.transaction() as tx:
        user = tx.create_user(ACCOUNT, "alice")
        key = tx.create_access_key(ACCOUNT, user.id)
        root = tx.create_access_key(ACCOUNT, None)
    assert key.access_key_id.startswith("AKIA") and len(key.access_key_id) == 20
    assert account_of_access_key_id(key.access_key_id) == ACCOUNT
    assert len(key.secret.reveal()) == 40
    assert key.secret.reveal() not in repr(key)
    with accounts.transaction() as tx:
        assert tx.set_access_key_status(key.access_key_id, "Inactive")
        tx.record_access_key_used(key.access_key_id, datetime(2026, 5, 1, tzinfo=UTC), "s3", "us-east-1")
    with accounts.read() as tx:
        found = tx.get_access_key(key.access_key_id)
        assert found is not None and found.secret == key.secret and found.status == "Inactive"
        assert found.last_used_service == "s3"
        assert [k.access_key_id for k in tx.list_access_keys(ACCOUNT, None)] == [root.access_key_id]
        assert tx.get_access_key("AKIAIOSFODNN7EXAMPLE") is None
    engine = database.raw()
    with engine.connect() as conn:
        dump = b"".join(bytes(row.secret) for row in conn.execute(sa.text("SELECT secret FROM access_keys")))
        everything = repr(conn.execute(sa.text("SELECT * FROM access_keys")).all())
    engine.dispose()
    for secret in (key.secret.reveal(), root.secret.reveal()):
        assert secret.encode() not in dump and secret not in everything


def test_sealed_secret_does_not_open_in_another_row(accounts: SqlStore, database: Database) -> None:
    """A sealed secret is bound to its key id: copied into another row it does not open."""
    with accounts.transaction() as tx:
        first = tx.create_access_key(ACCOUNT, None)
        second = tx.create_access_key(ACCOUNT, None)
    engine = database.raw()
    with engine.begin() as conn:
        sealed = conn.execute(
            sa.text("SELECT secret FROM access_keys WHERE access_key_id = :k"), {"k": first.access_key_id}
        ).scalar_one()
        conn.execute(
            sa.text("UPDATE access_keys SET secret = :s WHERE access_key_id = :k"),
            {"s": sealed, "k": second.access_key_id},
        )
    engine.dispose()
    from iamsandbox.store.crypto import SealError

    with pytest.raises(SealError), accounts.read() as tx:
        tx.get_access_key(second.access_key_id)


def test_login_profile_and_root_password(accounts: SqlStore, database: Database) -> None:
    with accounts.transaction() as tx:
        user = tx.create_user(ACCOUNT, "alice")
        tx.set_login_profile(user.id, "scrypt$hash-1", reset_required=True)
        tx.set_login_profile(user.id, "scrypt$hash-2", reset_required=False)
        tx.set_root_password(ACCOUNT, "scrypt$root")
    with accounts.read() as tx:
        profile = tx.get_login_profile(user.id)
        assert profile is not None and profile.password_hash == "scrypt$hash-2" and not profile.reset_required
        assert "hash-2" not in repr(profile)
        account = tx.get_account(ACCOUNT)
        assert account is not None and account.root_password_hash == "scrypt$root"
        assert "scrypt$root" not in repr(account)
    with accounts.transaction() as tx:
        assert tx.delete_login_profile(user.id) and not tx.delete_login_profile(user.id)


def test_virtual_mfa_seed_sealed_and_codes_used_once(accounts: SqlStore, database: Database) -> None:
    seed = Secret("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    with accounts.transaction() as tx:
        user = tx.create_user(ACCOUNT, "alice")
        device = tx.create_mfa_device(ACCOUNT, "alice-phone", seed)
    assert device.serial_number == f"arn:aws:iam::{ACCOUNT}:mfa/alice-phone"
    with pytest.raises(Conflict), accounts.transaction() as tx:
        tx.create_mfa_device(ACCOUNT, "ALICE-PHONE", seed)
    with accounts.transaction() as tx:
        assert tx.enable_mfa_device(device.serial_number, user.id, datetime.now(UTC))
        assert not tx.enable_mfa_device(device.serial_number, None, datetime.now(UTC))  # already assigned
        assert tx.accept_mfa_counter(device.serial_number, 1000)
        assert not tx.accept_mfa_counter(device.serial_number, 1000)  # replay
        assert not tx.accept_mfa_counter(device.serial_number, 999)
        assert tx.accept_mfa_counter(device.serial_number, 1001)
    with accounts.read() as tx:
        found = tx.get_mfa_device(device.serial_number)
        assert found is not None and found.seed == seed and found.user_id == user.id and found.enabled
        assert [d.name for d in tx.list_mfa_devices(ACCOUNT)] == ["alice-phone"]
    engine = database.raw()
    with engine.connect() as conn:
        raw = bytes(conn.execute(sa.text("SELECT seed FROM mfa_devices")).scalar_one())
    engine.dispose()
    assert seed.reveal().encode() not in raw
    with accounts.transaction() as tx:
        assert tx.disable_mfa_device(device.serial_number)
        assert tx.delete_mfa_device(device.serial_number)

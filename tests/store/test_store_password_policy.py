"""Account password policies and password history in the store (schema version 3), on
every backend; a database of version 2 upgrades with its login profiles intact.

What is stored is what "Set an account password policy for IAM users" (IAM User Guide)
needs: the custom policy (UpdateAccountPasswordPolicy's members), when each user's
password was set (MaxPasswordAge "is enforced immediately" on existing passwords, so their
age must be known), and the hashes of earlier passwords (PasswordReusePrevention, up to 24).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from store_harness import ACCOUNT, OTHER, Database

from iamsandbox.store import SqlStore, hash_password, migrations
from iamsandbox.store.interface import PREVIOUS_PASSWORDS_KEPT, PasswordPolicy


def test_a_version_2_database_upgrades_and_keeps_its_login_profiles(database: Database) -> None:
    old = database.open(target_version=2)
    try:
        with old.transaction() as tx:
            tx.create_account(ACCOUNT, "from version 2")
            user = tx.create_user(ACCOUNT, "alice")
    finally:
        old.close()
    engine = database.raw()
    with engine.begin() as conn:  # a row as version 2 wrote it: without version 3's columns
        conn.execute(
            sa.text(
                "INSERT INTO login_profiles (user_id, password_hash, reset_required, created) "
                "VALUES (:user_id, :hash, :reset, :created)"
            ),
            {"user_id": user.id, "hash": "old-hash", "reset": False, "created": datetime(2024, 1, 2, 3, 4, 5)},
        )
    columns = {c["name"] for c in sa.inspect(engine).get_columns("accounts")}
    engine.dispose()
    assert "password_policy" not in columns

    new = database.open()
    try:
        assert new.schema_version() == len(migrations.all_migrations())
        with new.transaction() as tx:
            assert tx.get_password_policy(ACCOUNT) is None
            profile = tx.get_login_profile(user.id)
            assert profile is not None and profile.password_hash == "old-hash"
            # A version-2 password's age counts from the profile's creation.
            assert profile.password_changed == profile.created == datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
            assert profile.previous_hashes == ()
            tx.set_login_profile(user.id, "new-hash", False)
            changed = tx.get_login_profile(user.id)
            assert changed is not None and changed.previous_hashes == ("old-hash",)
            assert changed.created == profile.created
    finally:
        new.close()


def test_a_policy_is_stored_replaced_and_deleted_per_account(accounts: SqlStore) -> None:
    with accounts.read() as tx:
        before = tx.policy_generation(ACCOUNT)
    policy = PasswordPolicy(
        minimum_password_length=14,
        require_symbols=True,
        allow_users_to_change_password=True,
        max_password_age=90,
        password_reuse_prevention=24,
        hard_expiry=True,
    )
    with accounts.transaction() as tx:
        tx.set_password_policy(ACCOUNT, policy)
    with accounts.read() as tx:
        assert tx.get_password_policy(ACCOUNT) == policy
        assert tx.get_password_policy(OTHER) is None
        # AllowUsersToChangePassword grants iam:ChangePassword: cached policy sets rebuild.
        assert tx.policy_generation(ACCOUNT) > before
    with accounts.transaction() as tx:
        tx.set_password_policy(ACCOUNT, PasswordPolicy())
    with accounts.read() as tx:
        assert tx.get_password_policy(ACCOUNT) == PasswordPolicy()
    with accounts.transaction() as tx:
        tx.set_password_policy(ACCOUNT, None)
    with accounts.read() as tx:
        assert tx.get_password_policy(ACCOUNT) is None


def test_a_new_password_is_dated_and_the_old_ones_are_remembered(accounts: SqlStore) -> None:
    first = datetime(2025, 1, 1, tzinfo=UTC)
    with accounts.transaction() as tx:
        user = tx.create_user(ACCOUNT, "carol")
        tx.set_login_profile(user.id, "hash-0", True, when=first)
    with accounts.read() as tx:
        profile = tx.get_login_profile(user.id)
    assert profile is not None and profile.created == profile.password_changed == first
    assert profile.previous_hashes == ()

    with accounts.transaction() as tx:
        # The same hash is no new password: only the reset flag changes.
        tx.set_login_profile(user.id, "hash-0", False, when=first + timedelta(days=5))
    with accounts.read() as tx:
        profile = tx.get_login_profile(user.id)
    assert profile is not None and profile.password_changed == first and not profile.reset_required

    for number in range(1, PREVIOUS_PASSWORDS_KEPT + 3):
        with accounts.transaction() as tx:
            tx.set_login_profile(user.id, f"hash-{number}", False, when=first + timedelta(days=number))
    with accounts.read() as tx:
        profile = tx.get_login_profile(user.id)
    last = PREVIOUS_PASSWORDS_KEPT + 2
    assert profile is not None and profile.password_hash == f"hash-{last}"
    assert profile.password_changed == first + timedelta(days=last)
    assert profile.created == first
    # Newest first, bounded: 23 earlier passwords and the current one make AWS's 24.
    expected = tuple(f"hash-{n}" for n in range(last - 1, last - 1 - PREVIOUS_PASSWORDS_KEPT, -1))
    assert profile.previous_hashes == expected
    assert len(profile.previous_hashes) == PREVIOUS_PASSWORDS_KEPT == 23
    # Only hashes are kept, never a password; the repr shows neither.
    assert "hash-" not in repr(profile)

    with accounts.transaction() as tx:
        assert tx.delete_login_profile(user.id)
        tx.set_login_profile(user.id, hash_password("Fresh-Start-1"), False)
    with accounts.read() as tx:
        fresh = tx.get_login_profile(user.id)
    assert fresh is not None and fresh.previous_hashes == ()  # the history went with the profile

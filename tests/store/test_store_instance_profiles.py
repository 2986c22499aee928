"""Instance profiles in the store (schema version 4), on every backend; a database of
version 3 upgrades with its roles intact.

What is stored is what the IAM API reference's instance profile operations need: a profile
per account and name (AIPA id, path, ARN "arn:aws:iam::ACCOUNT:instance-profile/PATHNAME"),
the roles it holds, and its tags. A profile holding a role and a role held by a profile
cannot be deleted (DeleteInstanceProfile: "The instance profile must not have an associated
role"; DeleteRole: remove the "Instance profile (RemoveRoleFromInstanceProfile)" first).
"""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from store_harness import ACCOUNT, OTHER, Database

from iamsandbox.store import Conflict, SqlStore

TRUST = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": OTHER}}]})


def test_a_version_3_database_upgrades_and_keeps_its_roles(database: Database) -> None:
    old = database.open(target_version=3)
    try:
        with old.transaction() as tx:
            tx.create_account(ACCOUNT, "from version 3")
            role = tx.create_role(ACCOUNT, "web-role", TRUST)
    finally:
        old.close()
    engine = database.raw()
    assert not sa.inspect(engine).has_table("instance_profiles")
    engine.dispose()

    new = database.open()
    try:
        assert new.schema_version() >= 4
        with new.transaction() as tx:
            profile = tx.create_instance_profile(ACCOUNT, "web")
            assert tx.add_role_to_instance_profile(profile.id, role.id)
            found = tx.get_instance_profile(ACCOUNT, "web")
            assert found is not None and found.role_ids == (role.id,)
    finally:
        new.close()


def test_create_get_list(accounts: SqlStore) -> None:
    with accounts.transaction() as tx:
        created = tx.create_instance_profile(ACCOUNT, "Webserver", "/application_abc/component_xyz/")
        tx.create_instance_profile(ACCOUNT, "batch")
        tx.create_instance_profile(OTHER, "other-account")
    assert created.id.startswith("AIPA") and len(created.id) == 21
    assert created.arn == f"arn:aws:iam::{ACCOUNT}:instance-profile/application_abc/component_xyz/Webserver"
    assert created.role_ids == ()
    with accounts.read() as tx:
        assert tx.get_instance_profile(ACCOUNT, "WEBSERVER") == created  # names ignore case
        assert tx.get_instance_profile(OTHER, "Webserver") is None
        assert [p.name for p in tx.list_instance_profiles(ACCOUNT)] == ["batch", "Webserver"]
        assert [p.name for p in tx.list_instance_profiles(ACCOUNT, "/application_abc/")] == ["Webserver"]
        assert tx.list_instance_profiles(ACCOUNT, "/app_%/") == []  # the prefix is literal
        assert tx.count_instance_profiles(ACCOUNT) == 2
        assert tx.count_instance_profiles(OTHER) == 1


def test_names_are_unique_per_account_whatever_their_case(accounts: SqlStore) -> None:
    with accounts.transaction() as tx:
        tx.create_instance_profile(ACCOUNT, "Web")
        tx.create_instance_profile(OTHER, "web")  # another account: allowed
    with pytest.raises(Conflict), accounts.transaction() as tx:
        tx.create_instance_profile(ACCOUNT, "WEB", "/other/")


def test_roles_in_profiles_and_deletes_that_conflict(accounts: SqlStore) -> None:
    with accounts.transaction() as tx:
        role = tx.create_role(ACCOUNT, "web-role", TRUST)
        web = tx.create_instance_profile(ACCOUNT, "web")
        batch = tx.create_instance_profile(ACCOUNT, "batch")
        assert tx.add_role_to_instance_profile(web.id, role.id)
        assert not tx.add_role_to_instance_profile(web.id, role.id)  # already there
        assert tx.add_role_to_instance_profile(batch.id, role.id)
        tx.set_tags(ACCOUNT, web.id, {"team": "web"})
    with accounts.read() as tx:
        assert [p.name for p in tx.list_instance_profiles_for_role(role.id)] == ["batch", "web"]
    with pytest.raises(Conflict), accounts.transaction() as tx:
        tx.delete_instance_profile(web.id)
    with pytest.raises(Conflict), accounts.transaction() as tx:
        tx.delete_identity(role.id)
    with accounts.transaction() as tx:
        assert tx.remove_role_from_instance_profile(web.id, role.id)
        assert not tx.remove_role_from_instance_profile(web.id, role.id)
        assert tx.delete_instance_profile(web.id)
        assert not tx.delete_instance_profile(web.id)
        assert tx.get_tags(web.id) == {}  # its tags went with it
        assert tx.get_instance_profile(ACCOUNT, "web") is None
        assert tx.remove_role_from_instance_profile(batch.id, role.id)
        assert tx.delete_identity(role.id)
        found = tx.get_instance_profile(ACCOUNT, "batch")
        assert found is not None and found.role_ids == ()

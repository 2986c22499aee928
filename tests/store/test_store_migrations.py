"""Versioned migrations: applied on open, in order, once; an old database upgrades with
its data; the migrated schema is the one the queries use (``schema.py``)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from store_harness import ACCOUNT, Database

from iamsandbox.store import migrations, schema


def test_open_applies_every_migration_once(database: Database) -> None:
    store = database.open()
    store.close()
    store = database.open()  # reopening applies nothing twice
    try:
        assert store.schema_version() == len(migrations.all_migrations())
    finally:
        store.close()
    engine = database.raw()
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT version, name FROM schema_version ORDER BY version")).all()
    engine.dispose()
    applied = [(m.version, m.name) for m in migrations.all_migrations()]
    assert [tuple(row) for row in rows] == applied
    assert applied == [
        (1, "initial"),
        (2, "s3"),
        (3, "password_policy"),
        (4, "instance_profiles"),
        (5, "object_tags"),
        (6, "oidc_providers"),
        (7, "bucket_configurations"),
        (8, "certificates_and_ssh_keys"),
        (9, "object_headers"),
        (10, "object_versions"),
        (11, "object_parts"),
        (12, "object_encryption"),
        (13, "service_specific_credentials"),
        (14, "password_last_used"),
        (15, "service_last_accessed"),
        (16, "generated_reports"),
        (17, "saml_providers"),
        (18, "organizations"),
        (19, "cloudtrail_events"),
        (20, "upload_prior_version"),
        (21, "postgres_strings"),
    ]


def test_an_old_database_upgrades_and_keeps_its_data(database: Database) -> None:
    old = database.open(target_version=1)
    try:
        assert old.schema_version() == 1
        with old.transaction() as tx:
            tx.create_account(ACCOUNT, "from version 1")
            user = tx.create_user(ACCOUNT, "alice")
            key = tx.create_access_key(ACCOUNT, user.id)
    finally:
        old.close()
    engine = database.raw()
    assert not sa.inspect(engine).has_table("buckets")
    engine.dispose()

    new = database.open()
    try:
        assert new.schema_version() == len(migrations.all_migrations())
        with new.transaction() as tx:
            found = tx.get_access_key(key.access_key_id)
            assert found is not None and found.secret == key.secret
            tx.create_bucket("after-upgrade", ACCOUNT, "us-east-1")
            tx.put_object("after-upgrade", "k", b"v", '"e"')
    finally:
        new.close()


def test_a_newer_database_is_refused(database: Database) -> None:
    database.open().close()
    engine = database.raw()
    with engine.begin() as conn:
        conn.execute(
            sa.text("INSERT INTO schema_version (version, name, applied) VALUES (99, 'future', CURRENT_TIMESTAMP)")
        )
    engine.dispose()
    with pytest.raises(migrations.SchemaTooNew):
        database.open()


def _shape(engine: sa.Engine) -> dict[str, object]:
    inspector = sa.inspect(engine)
    shape: dict[str, object] = {}
    for table in sorted(inspector.get_table_names()):
        shape[table] = {
            "columns": sorted(
                (c["name"], type(c["type"]).__name__, bool(c["nullable"])) for c in inspector.get_columns(table)
            ),
            "primary_key": sorted(inspector.get_pk_constraint(table)["constrained_columns"]),
            "foreign_keys": sorted(
                (tuple(fk["constrained_columns"]), fk["referred_table"], (fk.get("options") or {}).get("ondelete"))
                for fk in inspector.get_foreign_keys(table)
            ),
            "indexes": sorted(
                (i["name"], tuple(i["column_names"]), bool(i["unique"])) for i in inspector.get_indexes(table)
            ),
            "unique": sorted((u["name"], tuple(u["column_names"])) for u in inspector.get_unique_constraints(table)),
        }
    return shape


def test_migrations_build_the_schema_the_queries_use(database: Database) -> None:
    # Step by step (a target version takes the migrations even for a new database, which
    # is otherwise built from schema.py at once: this is the check that the two agree).
    database.open(target_version=len(migrations.all_migrations())).close()
    migrated = database.raw()
    migrated_shape = _shape(migrated)
    migrated.dispose()

    # The same database kind, built straight from schema.py.
    if database.backend == "sqlite":
        reference_url = f"sqlite:///{database.tmp_path / 'reference.db'}"
        reference = sa.create_engine(reference_url)
        schema.metadata.create_all(reference)
        reference_shape = _shape(reference)
        reference.dispose()
    else:
        import secrets

        name = "ref_" + secrets.token_hex(6)
        admin = sa.create_engine(database.url)
        with admin.begin() as conn:
            conn.exec_driver_sql(f"CREATE SCHEMA {name}")
        url = database.url.rsplit("search_path", 1)[0] + f"search_path%3D{name}"
        reference = sa.create_engine(url)
        try:
            schema.metadata.create_all(reference)
            reference_shape = _shape(reference)
        finally:
            reference.dispose()
            with admin.begin() as conn:
                conn.exec_driver_sql(f"DROP SCHEMA {name} CASCADE")
            admin.dispose()
    assert migrated_shape == reference_shape


def test_a_new_database_is_built_at_the_latest_version_at_once(database: Database) -> None:
    database.open().close()
    engine = database.raw()
    try:
        with engine.connect() as conn:
            stamped = [row[0] for row in conn.execute(sa.select(schema.schema_version.c.version))]
    finally:
        engine.dispose()
    assert sorted(stamped) == list(range(1, len(migrations.all_migrations()) + 1))


def test_binary_key_order_on_postgres(database: Database) -> None:
    """Object keys sort by code point on every backend (PostgreSQL: COLLATE "C")."""
    database.open().close()
    engine = database.raw()
    if database.backend == "postgresql":
        with engine.connect() as conn:
            collation = conn.execute(
                sa.text(
                    "SELECT collation_name FROM information_schema.columns "
                    "WHERE table_schema = current_schema() AND table_name = 'objects' AND column_name = 'key'"
                )
            ).scalar_one()
        assert collation == "C"
    engine.dispose()

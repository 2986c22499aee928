"""Text is kept and ordered the same on every store (``schema._postgres_string``, migration 21).

A review on PostgreSQL found requests AWS takes refused with a 500 by the column lengths
SQLite never enforced (a Content-Type of 290 characters, an MFA device name of 200:
"VirtualMFADeviceName ... up to 226 characters", a Region of 40 characters in a credential
scope), and IAM's lists in the database locale's order instead of code point order (an en-US
collation put "a_b" before "a+b"). These run on SQLite and, when a PostgreSQL URL is given,
on PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from store_harness import ACCOUNT, POSTGRES_URL, Database

from iamsandbox.store import Secret, SqlStore, migrations


def test_values_past_the_columns_written_lengths_are_kept(accounts: SqlStore) -> None:
    content_type = "text/plain; x=" + "a" * 290
    name = "m" * 200
    region = "r" * 40
    with accounts.transaction() as tx:
        tx.create_bucket("b", ACCOUNT, "us-east-1")
        tx.put_object("b", "k", b"x", '"e"', content_type)
        device = tx.create_mfa_device(ACCOUNT, name, Secret("JBSWY3DPEHPK3PXP"))
        key = tx.create_access_key(ACCOUNT, None)
        tx.record_access_key_used(key.access_key_id, datetime(2026, 12, 5, tzinfo=UTC), "sts", region)
    with accounts.read() as tx:
        stored = tx.get_object("b", "k")
        assert stored is not None and stored.content_type == content_type
        assert [d.name for d in tx.list_mfa_devices(ACCOUNT)] == [device.name] == [name]
        used = tx.get_access_key(key.access_key_id)
        assert used is not None and used.last_used_region == region


def test_names_list_in_code_point_order(accounts: SqlStore) -> None:
    names = ["Zed", "_svc", "a+b", "a,b", "a-b", "a.b", "A1", "a=b", "a@b", "a_b", "alice", "Bob", "bob2"]
    with accounts.transaction() as tx:
        for name in names:
            tx.create_user(ACCOUNT, name)
    with accounts.read() as tx:
        listed = [user.name for user in tx.list_users(ACCOUNT)]
    # IAM compares names without case (name_key): code point order of the lower-cased names.
    assert listed == sorted(names, key=str.lower)


@pytest.mark.skipif(POSTGRES_URL is None, reason="IAMSANDBOX_TEST_POSTGRES_URL names no PostgreSQL database")
@pytest.mark.parametrize("database", ["postgresql"], indirect=True)
@pytest.mark.parametrize("built", ["at once", "step by step"])
def test_every_postgres_string_column_is_unbounded_and_collated_c(database: Database, built: str) -> None:
    """The order above holds whatever the database's locale (this machine's test database
    is C.UTF-8, which sorts as "C" anyway): every text column says so itself. Both ways a
    database is built: from schema.py, and through the migrations (21 converts). SQLite has
    neither column lengths nor locales."""
    target = None if built == "at once" else len(migrations.all_migrations())
    database.open(target_version=target).close()
    engine = database.raw()
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                sa.text(
                    "SELECT table_name, column_name, character_maximum_length, collation_name"
                    " FROM information_schema.columns WHERE table_schema = current_schema()"
                    " AND data_type IN ('character varying', 'text')"
                )
            ).all()
    finally:
        engine.dispose()
    assert rows
    assert [row for row in rows if row[2] is not None or row[3] != "C"] == []

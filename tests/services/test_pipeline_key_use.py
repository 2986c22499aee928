"""GetAccessKeyLastUsed: "When an access key is used more than once in a 15-minute span, only
the first use is recorded" (access_key_1_last_used_date, "Get credential reports for your AWS
account", IAM User Guide): a use 15 minutes or more after the recorded one is recorded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from inprocess_harness import open_app

from iamsandbox.server.pipeline import Call, record_key_use

A = "111111111111"
T0 = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)


def test_a_use_is_recorded_once_in_fifteen_minutes(tmp_path: Path) -> None:
    app = open_app(tmp_path, A)
    with app.store.transaction() as tx:
        key_id = tx.create_access_key(A, tx.create_user(A, "alice").id).access_key_id

    def use(at: datetime, service: str = "iam") -> datetime | None:
        with app.store.read() as tx:
            key = tx.get_access_key(key_id)
        assert key is not None
        call = Call("GET", "/", "", [], b"", "127.0.0.1", now=at, service=service)
        record_key_use(app, call, key)
        with app.store.read() as tx:
            recorded = tx.get_access_key(key_id)
        assert recorded is not None
        return recorded.last_used

    assert use(T0) == T0
    assert use(T0 + timedelta(minutes=14, seconds=59)) == T0
    assert use(T0 + timedelta(minutes=15)) == T0 + timedelta(minutes=15)
    # Another service is recorded at once.
    assert use(T0 + timedelta(minutes=16), service="s3") == T0 + timedelta(minutes=16)

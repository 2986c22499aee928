"""CloudTrail events in the store (schema version 19), on SQLite and on PostgreSQL: what
LookupEvents reads ("LookupEvents", CloudTrail API Reference: one lookup attribute, a time
range with both ends included, newest first, paging; "Working with CloudTrail event
history": the last 90 days, per account and Region)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from store_harness import ACCOUNT, OTHER

from iamsandbox.store import SqlStore
from iamsandbox.store.interface import Conflict, TrailEvent, TrailQuery

T0 = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def _event(number: int, account: str = ACCOUNT, **fields: object) -> TrailEvent:
    values: dict[str, object] = {
        "event_id": f"00000000-0000-0000-0000-{number:012d}",
        "account_id": account,
        "region": "us-east-1",
        "time": T0 + timedelta(minutes=number),
        "name": "CreateUser",
        "source": "iam.amazonaws.com",
        "read_only": False,
        "username": "admin",
        "access_key_id": "AKIAEXAMPLE",
        "resources": (("AWS::IAM::User", f"user{number}"),),
        "document": "{}",
    }
    values.update(fields)
    return TrailEvent(**values)  # type: ignore[arg-type]


def _ids(found: list[TrailEvent]) -> list[int]:
    return [int(event.event_id.rsplit("-", 1)[1]) for event in found]


def test_lookup_by_attribute_time_and_page(accounts: SqlStore) -> None:
    with accounts.transaction() as tx:
        tx.add_trail_events(
            [
                _event(1),
                _event(2, name="DeleteUser"),
                _event(3, read_only=True, name="GetUser"),
                _event(4, region="eu-west-1"),
                _event(5, account=OTHER),
                _event(6, resources=(("AWS::IAM::User", "carol"), ("AWS::IAM::Group", "auditors"))),
            ]
        )
    with accounts.read() as tx:
        everything = tx.lookup_trail_events(TrailQuery(ACCOUNT, "us-east-1"))
        assert _ids(everything) == [6, 3, 2, 1]  # newest first; the account's Region only
        assert _ids(
            tx.lookup_trail_events(TrailQuery(ACCOUNT, "us-east-1", attribute=("EventName", "CreateUser")))
        ) == [
            6,
            1,
        ]
        assert _ids(tx.lookup_trail_events(TrailQuery(ACCOUNT, "us-east-1", attribute=("ReadOnly", "true")))) == [3]
        by_resource = TrailQuery(ACCOUNT, "us-east-1", attribute=("ResourceName", "auditors"))
        assert _ids(tx.lookup_trail_events(by_resource)) == [6]
        window = TrailQuery(ACCOUNT, "us-east-1", start=T0 + timedelta(minutes=2), end=T0 + timedelta(minutes=3))
        assert _ids(tx.lookup_trail_events(window)) == [3, 2]  # both ends included
        first = tx.lookup_trail_events(TrailQuery(ACCOUNT, "us-east-1", limit=2))
        assert _ids(first) == [6, 3]
        last = first[-1]
        rest = tx.lookup_trail_events(TrailQuery(ACCOUNT, "us-east-1", after=(last.time, last.event_id), limit=2))
        assert _ids(rest) == [2, 1]
        assert [resource for resource in everything[0].resources] == [
            ("AWS::IAM::User", "carol"),
            ("AWS::IAM::Group", "auditors"),
        ]


def test_events_older_than_the_history_are_removed(accounts: SqlStore) -> None:
    with accounts.transaction() as tx:
        tx.add_trail_events([_event(1), _event(2), _event(3)])
    with accounts.transaction() as tx:
        assert tx.expire_trail_events(T0 + timedelta(minutes=2)) == 1
    with accounts.read() as tx:
        assert _ids(tx.lookup_trail_events(TrailQuery(ACCOUNT, "us-east-1"))) == [3, 2]


def test_an_event_id_written_twice_is_a_conflict_and_the_unit_keeps_nothing(accounts: SqlStore) -> None:
    """The batch insert (one executemany on SQLite) refuses a taken event id as the other
    writes refuse a broken unique key: a Conflict, and the unit's other events roll back."""
    with accounts.transaction() as tx:
        tx.add_trail_events([_event(1)])
    with pytest.raises(Conflict), accounts.transaction() as tx:
        tx.add_trail_events([_event(2), _event(1, name="DeleteUser")])
    with accounts.read() as tx:
        found = tx.lookup_trail_events(TrailQuery(ACCOUNT, "us-east-1"))
    assert _ids(found) == [1]
    assert found[0].name == "CreateUser"
    assert found[0].time == T0 + timedelta(minutes=1)

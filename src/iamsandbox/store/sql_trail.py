"""CloudTrail event history in SQL (schema version 19): ``trail_events`` and the resources
each names (``trail_event_resources``).

Not on the request path of other operations: events are written in batches after requests
(``services.cloudtrail.events.Trail``) and read by LookupEvents only. The inserts are built
once (``Prepared`` on SQLite: every management call's event goes through them); the reads
stay plain Core."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, delete, exists, insert, or_, select

from . import schema as s
from .interface import TrailEvent, TrailQuery
from .sql_base import QueryBase

_ev = s.trail_events
_res = s.trail_event_resources
# Newest first; among events of one instant, by event id (any fixed order will do).
_NEWEST_FIRST = (_ev.c.event_time.desc(), _ev.c.event_id.desc())
_INSERT_EVENT = insert(_ev).values({column.name: bindparam(column.name) for column in _ev.c})
_INSERT_RESOURCE = insert(_res).values({column.name: bindparam(column.name) for column in _res.c})
_COLUMNS = {
    "EventId": _ev.c.event_id,
    "EventName": _ev.c.event_name,
    "Username": _ev.c.username,
    "EventSource": _ev.c.event_source,
    "AccessKeyId": _ev.c.access_key_id,
}


class TrailQueries(QueryBase):
    def add_trail_events(self, events: Sequence[TrailEvent]) -> None:
        if not events:
            return
        self._write_many(
            _INSERT_EVENT,
            [
                {
                    "event_id": event.event_id,
                    "account_id": event.account_id,
                    "region": event.region,
                    "event_time": event.time,
                    "event_name": event.name,
                    "event_source": event.source,
                    "read_only": event.read_only,
                    "username": event.username,
                    "access_key_id": event.access_key_id,
                    "shared_event_id": event.shared_event_id,
                    "document": event.document,
                }
                for event in events
            ],
        )
        resources = [
            {"event_id": event.event_id, "position": position, "resource_type": kind, "resource_name": name}
            for event in events
            for position, (kind, name) in enumerate(event.resources)
        ]
        self._write_many(_INSERT_RESOURCE, resources)

    def lookup_trail_events(self, query: TrailQuery) -> list[TrailEvent]:
        where: list[Any] = [_ev.c.account_id == query.account_id, _ev.c.region == query.region]
        if query.start is not None:
            where.append(_ev.c.event_time >= query.start)
        if query.end is not None:
            where.append(_ev.c.event_time <= query.end)
        if query.after is not None:
            when, event_id = query.after
            where.append(or_(_ev.c.event_time < when, and_(_ev.c.event_time == when, _ev.c.event_id < event_id)))
        if query.attribute is not None:
            key, value = query.attribute
            if key in _COLUMNS:
                where.append(_COLUMNS[key] == value)
            elif key == "ReadOnly":
                where.append(_ev.c.read_only == (value == "true"))
            else:
                column = _res.c.resource_type if key == "ResourceType" else _res.c.resource_name
                where.append(exists().where(_res.c.event_id == _ev.c.event_id, column == value))
        rows = list(self._conn.execute(select(_ev).where(*where).order_by(*_NEWEST_FIRST).limit(query.limit)))
        named = self._resources([row.event_id for row in rows])
        return [
            TrailEvent(
                event_id=row.event_id,
                account_id=row.account_id,
                region=row.region,
                time=row.event_time,
                name=row.event_name,
                source=row.event_source,
                read_only=bool(row.read_only),
                username=row.username,
                access_key_id=row.access_key_id,
                resources=tuple(named.get(row.event_id, ())),
                document=row.document,
                shared_event_id=row.shared_event_id,
            )
            for row in rows
        ]

    def _resources(self, event_ids: list[str]) -> dict[str, list[tuple[str | None, str]]]:
        out: dict[str, list[tuple[str | None, str]]] = {}
        if not event_ids:
            return out
        statement = (
            select(_res.c.event_id, _res.c.resource_type, _res.c.resource_name)
            .where(_res.c.event_id.in_(event_ids))
            .order_by(_res.c.event_id, _res.c.position)
        )
        for row in self._conn.execute(statement):
            out.setdefault(row.event_id, []).append((row.resource_type, row.resource_name))
        return out

    def expire_trail_events(self, before: datetime) -> int:
        old = select(_ev.c.event_id).where(_ev.c.event_time < before)
        # The resources first: PostgreSQL and SQLite both cascade, but only with SQLite's
        # foreign_keys on; deleting them explicitly does not depend on it.
        self._run(delete(_res).where(_res.c.event_id.in_(old)))
        return int(self._run(delete(_ev).where(_ev.c.event_time < before)).rowcount)

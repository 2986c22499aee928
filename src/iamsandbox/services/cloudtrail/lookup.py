"""LookupEvents (CloudTrail API Reference): the event history of the caller's account in the
request's Region, newest first.

- "You can look up events that occurred in a Region within the last 90 days"; IAM, global
  STS and Organizations events are in us-east-1 (the pipeline records their Region).
- LookupAttributes: "Currently the list can contain only one item"; AttributeKey one of
  EventId, EventName, ReadOnly, Username, ResourceType, ResourceName, EventSource,
  AccessKeyId (LookupAttribute); "Value names are case sensitive" ("Viewing CloudTrail
  Events with the AWS CLI"). Else InvalidLookupAttributesException.
- StartTime / EndTime: "only events that occur after or at the specified time" / "before or
  at"; "If the specified start time is after the specified end time, an error is returned"
  (InvalidTimeRangeException).
- MaxResults: "The default is 50, with a maximum of 50 possible" (1..50, else
  InvalidMaxResultsException).
- NextToken: "To use the token, the parameters must be the same as those in the original
  command"; a token that is not valid, or was issued for other parameters,
  InvalidNextTokenException.
- EventCategory "insight": Insights events; none are made here, so none are returned.

Known gaps: the rate limit ("two per second, per account, per Region") is not enforced.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from datetime import UTC, datetime
from typing import Any, cast, get_args

from ...store.interface import TrailAttribute, TrailEvent, TrailQuery
from ..context import CallContext
from .errors import (
    InvalidEventCategoryException,
    InvalidLookupAttributesException,
    InvalidMaxResultsException,
    InvalidNextTokenException,
    InvalidTimeRangeException,
)
from .events import RETENTION

DEFAULT_MAX_RESULTS = 50
ATTRIBUTE_KEYS = frozenset(get_args(TrailAttribute))


def _moment(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, UTC)
    raise InvalidTimeRangeException()


def _attribute(params: dict[str, Any]) -> tuple[TrailAttribute, str] | None:
    attributes = params.get("LookupAttributes") or []
    if len(attributes) > 1:
        raise InvalidLookupAttributesException("You can only specify one lookup attribute.")
    if not attributes:
        return None
    key = str(attributes[0].get("AttributeKey", ""))
    value = attributes[0].get("AttributeValue")
    if key not in ATTRIBUTE_KEYS:
        raise InvalidLookupAttributesException(f"The lookup attribute {key} is not valid.")
    if not isinstance(value, str) or not value:
        raise InvalidLookupAttributesException("The lookup attribute value is not valid.")
    return cast(TrailAttribute, key), value


def _fingerprint(ctx: CallContext, params: dict[str, Any]) -> str:
    """What a NextToken is bound to: the account, Region and the request's other parameters."""
    same = {key: value for key, value in params.items() if key not in ("NextToken", "MaxResults")}
    text = json.dumps([ctx.account_id, ctx.region, same], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _token(last: TrailEvent, fingerprint: str) -> str:
    raw = json.dumps({"t": last.time.isoformat(), "e": last.event_id, "f": fingerprint}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode()


def _after(token: str, fingerprint: str) -> tuple[datetime, str]:
    try:
        loaded = json.loads(base64.urlsafe_b64decode(token.encode()))
        moment = datetime.fromisoformat(str(loaded["t"]))
        event_id = str(loaded["e"])
        same = loaded["f"] == fingerprint
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeError):
        raise InvalidNextTokenException() from None
    if not same or moment.tzinfo is None:
        raise InvalidNextTokenException()
    return moment, event_id


def _event(event: TrailEvent) -> dict[str, Any]:
    out: dict[str, Any] = {
        "EventId": event.event_id,
        "EventName": event.name,
        "ReadOnly": "true" if event.read_only else "false",
    }
    if event.access_key_id is not None:
        out["AccessKeyId"] = event.access_key_id
    out["EventTime"] = event.time
    out["EventSource"] = event.source
    if event.username is not None:
        out["Username"] = event.username
    out["Resources"] = [
        {"ResourceName": name} if kind is None else {"ResourceType": kind, "ResourceName": name}
        for kind, name in event.resources
    ]
    out["CloudTrailEvent"] = event.document
    return out


def lookup_events(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    attribute = _attribute(params)
    start, end = _moment(params.get("StartTime")), _moment(params.get("EndTime"))
    if start is not None and end is not None and start > end:
        raise InvalidTimeRangeException()
    limit = params.get("MaxResults", DEFAULT_MAX_RESULTS)
    if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= 50:
        raise InvalidMaxResultsException()
    category = params.get("EventCategory")
    if category is not None and category != "insight":
        raise InvalidEventCategoryException()
    fingerprint = _fingerprint(ctx, params)
    token = params.get("NextToken")
    after = _after(str(token), fingerprint) if token is not None else None
    if category == "insight":
        return {"Events": []}
    oldest = ctx.now - RETENTION
    start = oldest if start is None else max(start, oldest)
    query = TrailQuery(ctx.account_id, ctx.region, start, end, attribute, after, limit + 1)
    # Every call noted before this one, this process's still in memory, is written first (in
    # this unit, once the request's checks have passed), as Access Advisor's report writes its
    # notes: a lookup sees what was done before it.
    ctx.shared.trail.write(ctx.tx)
    found = ctx.tx.lookup_trail_events(query)
    page = found[:limit]
    out: dict[str, Any] = {"Events": [_event(event) for event in page]}
    if len(found) > limit:
        out["NextToken"] = _token(page[-1], fingerprint)
    return out

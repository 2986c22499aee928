"""The CloudTrail console's "Event history": the list of recent management events, with one
lookup attribute and a time range, and an event's details page with its event record.

AWS (CloudTrail User Guide): "Working with CloudTrail event history" ("a viewable, searchable
... record of the past 90 days of management events in an AWS Region") and "Viewing recent
management events with the console" (view-cloudtrail-events-console): "In the navigation
pane, choose Event history. A filtered list of events appears in the content pane with the
latest event first"; "The default view of events in Event history has a filter applied so that
it does not display read-only events" (the lookup attribute Read-only, value false); the
columns shown by default are Event name, Event time, User name, Event source, Resource type and
Resource name; the filter is one lookup attribute (Read-only, Event name, User name, Resource
type, Resource name, Event source, AWS access key, Event ID) and a value, with a time range;
choosing an event shows its details and its "Event record" (the event's JSON).

Every page is one ``LookupEvents`` call as the console's principal (``page.call``): its
authorization (cloudtrail:LookupEvents) and its errors (AccessDenied, InvalidTimeRange...)
are the API's, shown on the page. A page shows at most 50 events (LookupEvents' maximum) and
goes on with its NextToken, sent again with the same filter as the API asks ("This token
must be passed in with the same parameters that were specified in the original call").

Known gaps: the console acts in us-east-1 (``calls.invoke``), so the list is that Region's
event history (IAM's, STS's and Organizations' events, which CloudTrail records there, and
S3's for buckets in us-east-1); no column chooser, download, or event comparison; a page
cannot go back but to the first one (a NextToken leads forward only); the relative ranges'
choices are ours (AWS's exact list is not documented).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote, urlencode

from ...errors import ServiceError
from ..app import PageContext
from ..web import Response, Routes
from .iam_common import FormError, page_number, when

routes = Routes()

PAGE_SIZE = 50  # LookupEvents' MaxResults: "Possible values are 1 through 50"
EVENTS_URL = "/console/cloudtrail/events"
# The lookup attributes as the console's filter names them, by LookupAttributeKey
# ("Viewing recent management events with the console", Filtering CloudTrail events).
ATTRIBUTES = [
    ("ReadOnly", "Read-only"),
    ("EventName", "Event name"),
    ("Username", "User name"),
    ("ResourceType", "Resource type"),
    ("ResourceName", "Resource name"),
    ("EventSource", "Event source"),
    ("AccessKeyId", "AWS access key"),
    ("EventId", "Event ID"),
]
RELATIVE = {
    "": ("Any time (the last 90 days)", None),
    "30m": ("Last 30 minutes", timedelta(minutes=30)),
    "1h": ("Last hour", timedelta(hours=1)),
    "3h": ("Last 3 hours", timedelta(hours=3)),
    "12h": ("Last 12 hours", timedelta(hours=12)),
    "1d": ("Last day", timedelta(days=1)),
    "7d": ("Last 7 days", timedelta(days=7)),
}
# Query fields of the list that make its filter (the Next page link carries them all).
FILTER_FIELDS = ("attribute", "value", "range", "start", "end")


@dataclass(frozen=True)
class Filter:
    """The list's filter as the page's form sent it (query fields ``attribute``, ``value``,
    ``range``, ``start``, ``end``)."""

    attribute: str
    value: str
    range: str
    start: str  # a datetime-local value, UTC ("2025-03-01T09:00"), or ""
    end: str

    @classmethod
    def of(cls, query: dict[str, str]) -> Filter:
        if not any(name in query for name in FILTER_FIELDS):
            # The default view: read-only events left out.
            return cls("ReadOnly", "false", "", "", "")
        attribute = query.get("attribute", "")
        relative = query.get("range", "")
        return cls(
            attribute if attribute in dict(ATTRIBUTES) else "ReadOnly",
            query.get("value", "").strip()[:2000],  # LookupAttributeValue: at most 2000 characters
            relative if relative in RELATIVE else "",
            query.get("start", "")[:32],
            query.get("end", "")[:32],
        )

    def query(self) -> dict[str, str]:
        return {name: str(getattr(self, name)) for name in FILTER_FIELDS}

    def params(self, now: datetime) -> dict[str, Any]:
        """LookupEvents' LookupAttributes, StartTime and EndTime; raises FormError for a date
        the page cannot read. An absolute range (start or end filled) replaces the relative one."""
        params: dict[str, Any] = {}
        if self.value:
            params["LookupAttributes"] = [{"AttributeKey": self.attribute, "AttributeValue": self.value}]
        if self.start or self.end:
            if self.start:
                params["StartTime"] = _utc(self.start, "Start")
            if self.end:
                params["EndTime"] = _utc(self.end, "End")
        else:
            span = RELATIVE[self.range][1]
            if span is not None:
                params["StartTime"] = now - span
        return params


def _since(query: dict[str, str], now: datetime) -> datetime:
    """The moment a relative range counts back from: the first page's, which its Next page
    link carries (``at``), since a NextToken goes only with the parameters it came from."""
    try:
        moment = datetime.fromisoformat(query.get("at", ""))
    except ValueError:
        return now
    return moment if moment.tzinfo is not None else now


def _utc(text: str, label: str) -> datetime:
    """A datetime-local value ("2025-03-01T09:00", seconds optional) read as UTC."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise FormError(f"{label}: enter a date and time as YYYY-MM-DDThh:mm (UTC).") from None
    if value.tzinfo is not None:
        raise FormError(f"{label}: enter a date and time as YYYY-MM-DDThh:mm (UTC).")
    return value.replace(tzinfo=UTC)


def _lookup(page: PageContext, params: dict[str, Any]) -> dict[str, Any]:
    return page.call("cloudtrail", "LookupEvents", params)


def _render(page: PageContext, template: str, status: int = 200, **values: Any) -> Response:
    return page.render(template, status, when=when, q=quote, event_url=event_url, **values)


def event_url(event_id: str) -> str:
    return f"{EVENTS_URL}/{quote(event_id, safe='')}"


@routes.get("/console/cloudtrail")
def dashboard(page: PageContext) -> Response:
    """The service's own link leads to its one page here: Event history."""
    return page.redirect(EVENTS_URL)


@routes.get(EVENTS_URL)
def events(page: PageContext) -> Response:
    query = page.request.query
    chosen = Filter.of(query)
    token = query.get("token", "")
    number = page_number(query.get("page")) if token else 1
    found: list[dict[str, Any]] = []
    next_url = ""
    error: ServiceError | None = None
    try:
        since = _since(query, page.request.now) if token else page.request.now
        params = chosen.params(since)
        params["MaxResults"] = PAGE_SIZE
        if token:
            params["NextToken"] = token
        answer = _lookup(page, params)
        found = list(answer.get("Events", []))
        if answer.get("NextToken"):
            following = {
                **chosen.query(),
                "at": since.isoformat(),
                "token": answer["NextToken"],
                "page": str(number + 1),
            }
            next_url = f"{EVENTS_URL}?{urlencode(following)}"
    except ServiceError as failed:
        error = failed
    return _render(
        page,
        "cloudtrail/events.html",
        error.status if error else 200,
        title="Event history",
        section="events",
        events=found,
        chosen=chosen,
        attributes=ATTRIBUTES,
        relative=[(key, label) for key, (label, _) in RELATIVE.items()],
        number=number,
        first_url=f"{EVENTS_URL}?{urlencode(chosen.query())}",
        next_url=next_url,
        error=error,
    )


@routes.get(EVENTS_URL + "/{event_id}")
def details(page: PageContext) -> Response:
    """An event: LookupEvents with the EventId lookup attribute."""
    event_id = page.params["event_id"]
    found: dict[str, Any] | None = None
    error: ServiceError | None = None
    try:
        answer = _lookup(page, {"LookupAttributes": [{"AttributeKey": "EventId", "AttributeValue": event_id}]})
        found = next(iter(answer.get("Events", [])), None)
    except ServiceError as failed:
        error = failed
    if found is None:
        return _render(
            page,
            "cloudtrail/event.html",
            error.status if error else 404,
            title=event_id,
            section="events",
            event_id=event_id,
            event=None,
            error=error,
        )
    record, text = _record(found.get("CloudTrailEvent", ""))
    return _render(
        page,
        "cloudtrail/event.html",
        title=found.get("EventName", event_id),
        section="events",
        event_id=event_id,
        event=found,
        record=record,
        record_text=text,
        error=None,
    )


def _record(document: str) -> tuple[dict[str, Any], str]:
    """The event record as a mapping (for the summary) and as indented JSON (for "Event
    record"); a document that is not a JSON object is shown as it came."""
    try:
        parsed = json.loads(document)
    except ValueError:
        return {}, document
    if not isinstance(parsed, dict):
        return {}, document
    return parsed, json.dumps(parsed, indent=4, ensure_ascii=False)

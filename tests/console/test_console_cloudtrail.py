"""The CloudTrail console's Event history without a browser: what the list and details pages
ask LookupEvents, and what they show of its answer.

AWS pages cited by the tests (CloudTrail User Guide): "Working with CloudTrail event history"
(view-cloudtrail-events: "a viewable, searchable ... record of the past 90 days of management
events"); "Viewing recent management events with the console" (view-cloudtrail-events-console:
"choose Event history. A filtered list of events appears ... with the latest event first";
"The default view of events in Event history has a filter applied so that it does not display
read-only events"; the columns Event name, Event time, User name, Event source, Resource type,
Resource name; the lookup attributes). CloudTrail API Reference: LookupEvents ("The events
list is sorted by time. The most recent event is listed first"; MaxResults "1 through 50";
NextToken "must be passed in with the same parameters that were specified in the original
call") and Event (EventId, EventName, ReadOnly, AccessKeyId, EventTime, EventSource, Username,
Resources, CloudTrailEvent: "A JSON string that contains a representation of the event").
IAM User Guide, "Access denied error messages" (the AccessDenied wording).

The first tests answer LookupEvents with canned answers in the API's shape (botocore's model)
to check what the pages send and show; the last ones run the real operation: a group created
in the console is then in its event history.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from console_iam_page_harness import signed_in_admin
from console_page_harness import PASSWORD, START, B, Browser, app, location, text

from iamsandbox.console.app import PageContext
from iamsandbox.errors import AccessDenied, ServiceError
from iamsandbox.server.app import App

__all__ = ["app"]

EVENTS = "/console/cloudtrail/events"
EVENT_ID = "7116c6a1-1111-4a7b-9c1d-0123456789ab"
# Shaped as "CloudTrail record contents" shows a record (its example is an IAM user's call);
# requestParameters carries markup, which the page must show as text.
RECORD = {
    "eventVersion": "1.11",
    "userIdentity": {
        "type": "IAMUser",
        "principalId": "AIDAJDPLRKLG7UEXAMPLE",
        "arn": f"arn:aws:iam::{B}:user/admin",
        "accountId": B,
        "accessKeyId": "ASIAIOSFODNN7EXAMPLE",
        "userName": "admin",
    },
    "eventTime": "2025-03-01T08:59:00Z",
    "eventSource": "iam.amazonaws.com",
    "eventName": "CreateGroup",
    "awsRegion": "us-east-1",
    "sourceIPAddress": "198.51.100.7",
    "userAgent": "console",
    "requestParameters": {"groupName": "<script>alert(1)</script>"},
    "responseElements": None,
    "requestID": "ddf5140f-EXAMPLE",
    "eventID": EVENT_ID,
    "readOnly": False,
    "eventType": "AwsApiCall",
    "managementEvent": True,
    "recipientAccountId": B,
    "eventCategory": "Management",
    "errorCode": "EntityAlreadyExists",
}


def _event(event_id: str, name: str, minutes_ago: int, **more: Any) -> dict[str, Any]:
    return {
        "EventId": event_id,
        "EventName": name,
        "ReadOnly": "false",
        "AccessKeyId": "ASIAIOSFODNN7EXAMPLE",
        "EventTime": START - timedelta(minutes=minutes_ago),
        "EventSource": "iam.amazonaws.com",
        "Username": "admin",
        "Resources": [{"ResourceType": "AWS::IAM::Group", "ResourceName": "readers"}],
        "CloudTrailEvent": json.dumps({**RECORD, "eventID": event_id, "eventName": name}),
        **more,
    }


class FakeTrail:
    """LookupEvents answered from ``answers`` in turn (or raising one that is an error); what
    the pages sent is in ``sent``. Other operations run for real."""

    def __init__(self) -> None:
        self.answers: list[dict[str, Any] | ServiceError] = []
        self.sent: list[dict[str, Any]] = []


@pytest.fixture
def trail(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeTrail]:
    fake = FakeTrail()
    real = PageContext.call

    def call(page: PageContext, service: str, operation: str, params: Any = None) -> dict[str, Any]:
        if (service, operation) != ("cloudtrail", "LookupEvents"):
            return real(page, service, operation, params)
        fake.sent.append(dict(params or {}))
        answer = fake.answers.pop(0)
        if isinstance(answer, ServiceError):
            raise answer
        return answer

    monkeypatch.setattr(PageContext, "call", call)
    yield fake


def _signed_in(app: App) -> Browser:
    browser = Browser(app)
    assert browser.sign_in(B, "alice", PASSWORD).status == 303
    return browser


def _rows(body: str, label: str) -> list[list[str]]:
    """The cells' texts of the table ``label``, a row a list (the header row first)."""
    table = re.search(rf'<table aria-label="{label}">(.*?)</table>', body, re.S)
    assert table is not None, label
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", table.group(1), re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        rows.append(
            [" ".join(html.unescape(re.sub(r"<br>", " ", re.sub(r"<(?!br)[^>]+>", "", c))).split()) for c in cells]
        )
    return rows


def _link(body: str, name: str) -> str:
    span = r"(?:<span[^>]*>[^<]*</span>)?"
    found = re.search(rf'<a href="([^"]+)">{span}{re.escape(name)}{span}</a>', body)
    assert found is not None, name
    return html.unescape(found.group(1))


# --- the list --------------------------------------------------------------------------------------


def test_the_default_view_leaves_out_read_only_events_and_shows_the_columns(app: App, trail: FakeTrail) -> None:
    newest, older = _event("e-2", "CreateGroup", 1), _event("e-1", "CreateUser", 5, Username="root", Resources=[])
    trail.answers.append({"Events": [newest, older]})
    browser = _signed_in(app)
    answer = browser.get(EVENTS)
    assert answer.status == 200, text(answer)
    # "The default view ... does not display read-only events": the Read-only attribute, false.
    assert trail.sent == [
        {"LookupAttributes": [{"AttributeKey": "ReadOnly", "AttributeValue": "false"}], "MaxResults": 50}
    ]
    rows = _rows(text(answer), "Events")
    assert rows[0] == ["Event name", "Event time", "User name", "Event source", "Resource type", "Resource name"]
    # As LookupEvents lists them: the latest first.
    assert rows[1] == [
        "CreateGroup",
        (START - timedelta(minutes=1)).strftime("%Y-%m-%d %H:%M:%S UTC"),
        "admin",
        "iam.amazonaws.com",
        "AWS::IAM::Group",
        "readers",
    ]
    assert rows[2][:4] == [
        "CreateUser",
        (START - timedelta(minutes=5)).strftime("%Y-%m-%d %H:%M:%S UTC"),
        "root",
        "iam.amazonaws.com",
    ]
    assert _link(text(answer), "CreateGroup") == f"{EVENTS}/e-2"
    assert 'option value="ReadOnly" selected' in text(answer)
    assert "Next page" not in text(answer)  # no NextToken: no more events


def test_the_filter_and_the_time_range_are_lookup_events_parameters(app: App, trail: FakeTrail) -> None:
    browser = _signed_in(app)
    trail.answers.append({"Events": []})
    answer = browser.get(
        EVENTS,
        attribute="EventName",
        value="CreateGroup",
        range="",
        start="2025-03-01T08:00",
        end="2025-03-01T09:30:15",
    )
    assert answer.status == 200
    assert "No events match." in text(answer)
    assert trail.sent[-1] == {
        "LookupAttributes": [{"AttributeKey": "EventName", "AttributeValue": "CreateGroup"}],
        "StartTime": datetime(2025, 3, 1, 8, 0, tzinfo=UTC),
        "EndTime": datetime(2025, 3, 1, 9, 30, 15, tzinfo=UTC),
        "MaxResults": 50,
    }
    # Every attribute of LookupAttributeKey is offered, by the console's names.
    for key, label in [
        ("ReadOnly", "Read-only"),
        ("EventName", "Event name"),
        ("Username", "User name"),
        ("ResourceType", "Resource type"),
        ("ResourceName", "Resource name"),
        ("EventSource", "Event source"),
        ("AccessKeyId", "AWS access key"),
        ("EventId", "Event ID"),
    ]:
        assert re.search(rf'<option value="{key}"( selected)?>{label}</option>', text(answer)), key
    # An empty value: every event (no attribute); a relative range: from that long ago.
    trail.answers.append({"Events": []})
    browser.get(EVENTS, attribute="Username", value="", range="1h", start="", end="")
    assert trail.sent[-1] == {"StartTime": START - timedelta(hours=1), "MaxResults": 50}


def test_a_date_the_page_cannot_read_is_refused_before_any_lookup(app: App, trail: FakeTrail) -> None:
    browser = _signed_in(app)
    answer = browser.get(EVENTS, attribute="EventName", value="", start="yesterday")
    assert answer.status == 400
    assert "Start: enter a date and time" in text(answer)
    assert trail.sent == []


def test_the_next_page_sends_the_next_token_with_the_same_filter(app: App, trail: FakeTrail) -> None:
    browser = _signed_in(app)
    first = [_event(f"e-{i}", "CreateGroup", i) for i in range(50)]
    trail.answers.append({"Events": first, "NextToken": "token/1+="})
    answer = browser.get(EVENTS, attribute="Username", value="admin", range="1h", start="", end="")
    assert len(_rows(text(answer), "Events")) == 1 + 50
    assert trail.sent[0]["StartTime"] == START - timedelta(hours=1)
    following = _link(text(answer), "Next page")
    path, query = urlsplit(following).path, dict(parse_qsl(urlsplit(following).query, keep_blank_values=True))
    assert path == EVENTS and query["token"] == "token/1+=" and query["value"] == "admin"

    trail.answers.append({"Events": [_event("e-50", "DeleteGroup", 60)]})
    browser.later(90)  # a relative range still counts from the first page's moment
    second = browser.get(path, **query)
    assert trail.sent[-1] == {
        "LookupAttributes": [{"AttributeKey": "Username", "AttributeValue": "admin"}],
        "StartTime": START - timedelta(hours=1),
        "MaxResults": 50,
        "NextToken": "token/1+=",
    }
    assert [row[0] for row in _rows(text(second), "Events")[1:]] == ["DeleteGroup"]
    assert "Page 2" in text(second) and "Next page" not in text(second)
    back = dict(parse_qsl(urlsplit(_link(text(second), "First page")).query, keep_blank_values=True))
    assert "token" not in back and back["value"] == "admin"


def test_access_denied_by_lookup_events_is_shown_on_the_page(app: App, trail: FakeTrail) -> None:
    message = (
        f"User: arn:aws:iam::{B}:user/alice is not authorized to perform: cloudtrail:LookupEvents because no "
        "identity-based policy allows the cloudtrail:LookupEvents action"
    )
    trail.answers.append(AccessDenied(message))
    answer = _signed_in(app).get(EVENTS)
    assert answer.status == 403
    assert 'role="alert"' in text(answer) and "AccessDenied" in text(answer) and message in text(answer)
    assert '<table aria-label="Events">' not in text(answer)


# --- an event ------------------------------------------------------------------------------------


def test_an_events_details_show_its_summary_and_its_record_as_text(app: App, trail: FakeTrail) -> None:
    event = _event(EVENT_ID, "CreateGroup", 1)
    event["CloudTrailEvent"] = json.dumps(RECORD)
    trail.answers.append({"Events": [event]})
    answer = _signed_in(app).get(f"{EVENTS}/{EVENT_ID}")
    assert answer.status == 200, text(answer)
    assert trail.sent == [{"LookupAttributes": [{"AttributeKey": "EventId", "AttributeValue": EVENT_ID}]}]
    body = text(answer)
    summary = dict(
        (html.unescape(term), " ".join(html.unescape(re.sub(r"<[^>]+>", "", value)).split()))
        for term, value in re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", body, re.S)
    )
    assert summary == {
        "Event time": (START - timedelta(minutes=1)).strftime("%Y-%m-%d %H:%M:%S UTC"),
        "User name": "admin",
        "Event name": "CreateGroup",
        "Event source": "iam.amazonaws.com",
        "AWS access key": "ASIAIOSFODNN7EXAMPLE",
        "Source IP address": "198.51.100.7",
        "Event ID": EVENT_ID,
        "Request ID": "ddf5140f-EXAMPLE",
        "AWS region": "us-east-1",
        "Error code": "EntityAlreadyExists",
        "Read-only": "false",
    }
    assert _rows(body, "Resources referenced") == [["Resource type", "Resource name"], ["AWS::IAM::Group", "readers"]]
    # The record, indented, its markup escaped (never a live <script>).
    shown = re.search(r"<pre><code>(.*?)</code></pre>", body, re.S)
    assert shown is not None
    assert "<script>" not in body and "&lt;script&gt;" in shown.group(1)
    assert json.loads(html.unescape(shown.group(1))) == RECORD
    assert html.unescape(shown.group(1)) == json.dumps(RECORD, indent=4)


def test_an_event_id_not_in_event_history_is_not_found(app: App, trail: FakeTrail) -> None:
    trail.answers.append({"Events": []})
    answer = _signed_in(app).get(f"{EVENTS}/no-such-event")
    assert answer.status == 404
    assert "No event with this ID" in text(answer)


# --- where the console leads to it ---------------------------------------------------------------


def test_the_home_page_and_the_services_bar_lead_to_event_history(app: App) -> None:
    browser = _signed_in(app)
    home = text(browser.get("/console/home"))
    assert '<li><a href="/console/cloudtrail">CloudTrail</a>' in home
    bar = re.search(r'<nav class="services" aria-label="Services">(.*?)</nav>', home, re.S)
    assert bar is not None and '<a href="/console/cloudtrail">CloudTrail</a>' in bar.group(1)
    assert location(browser.get("/console/cloudtrail")) == EVENTS
    assert location(Browser(app).get(EVENTS)).startswith("/console/signin?redirect_uri=")


# --- the real LookupEvents -------------------------------------------------------------------------


def test_a_group_created_in_the_console_is_in_its_event_history(app: App) -> None:
    """ "These events capture activity made through the AWS Management Console" (Working with
    CloudTrail event history): CreateGroup, by the IAM user, from iam.amazonaws.com."""
    browser = signed_in_admin(app, B)
    assert browser.post("/console/iam/groups/create", group_name="auditors", action="create").status == 303
    browser.later(1)
    answer = browser.get(EVENTS)
    assert answer.status == 200, text(answer)
    rows = _rows(text(answer), "Events")[1:]
    created = [row for row in rows if row[0] == "CreateGroup"]
    assert len(created) == 1, rows
    assert created[0][2:] == ["admin", "iam.amazonaws.com", "AWS::IAM::Group", "auditors"]
    details = browser.get(_link(text(answer), "CreateGroup"))
    assert details.status == 200
    shown = re.search(r"<pre><code>(.*?)</code></pre>", text(details), re.S)
    assert shown is not None
    record = json.loads(html.unescape(shown.group(1)))
    assert (record["eventName"], record["eventSource"], record["readOnly"]) == (
        "CreateGroup",
        "iam.amazonaws.com",
        False,
    )
    assert record["userIdentity"]["type"] == "IAMUser" and record["userIdentity"]["userName"] == "admin"
    assert record["requestParameters"]["groupName"] == "auditors"


def test_a_user_without_cloudtrail_permissions_sees_aws_access_denied(app: App) -> None:
    """alice may only sts:AssumeRole: LookupEvents answers AccessDenied ("Access denied error
    messages": "... is not authorized to perform: ... because no identity-based policy allows ...")."""
    answer = _signed_in(app).get(EVENTS)
    assert answer.status == 403
    body = html.unescape(text(answer))
    assert f"User: arn:aws:iam::{B}:user/alice is not authorized to perform: cloudtrail:LookupEvents" in body
    assert "because no identity-based policy allows the cloudtrail:LookupEvents action" in body

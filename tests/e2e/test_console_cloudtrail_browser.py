"""The CloudTrail console's Event history in headless Chromium: an admin creates a user group in
the IAM console, opens CloudTrail's Event history from the services bar, finds the CreateGroup
event, and opens it to read its event record; the event is the one LookupEvents gives the
account's root through boto3.

AWS pages (CloudTrail User Guide): "Working with CloudTrail event history" ("These events
capture activity made through the AWS Management Console"); "Viewing recent management events
with the console" ("In the navigation pane, choose Event history. A filtered list of events
appears in the content pane with the latest event first"; filtering by a lookup attribute such
as Event name; choosing an event shows its details and its event record). CloudTrail API
Reference, LookupEvents and Event (EventId; CloudTrailEvent, "A JSON string that contains a
representation of the event returned").
"""

from __future__ import annotations

import json
from typing import Any

from browser_harness import browser, page, screenshot
from console_iam_harness import ADMIN, make_admin, open_iam, sign_in_admin
from e2e_harness import B, Server, _client, server

__all__ = ["browser", "page", "server"]


def test_a_group_created_in_the_console_is_found_in_event_history_with_its_record(server: Server, page: Any) -> None:
    iam = make_admin(server, B)
    sign_in_admin(page, server, B)
    open_iam(page, "User groups")
    page.get_by_role("link", name="Create group").click()
    page.get_by_label("User group name").fill("auditors")
    page.get_by_role("button", name="Create user group").click()
    assert [group["GroupName"] for group in iam.list_groups()["Groups"]] == ["auditors"]

    # What LookupEvents says, asked as the account's root with boto3.
    trail = _client(server, "cloudtrail", server.roots[B])
    found = trail.lookup_events(LookupAttributes=[{"AttributeKey": "EventName", "AttributeValue": "CreateGroup"}])
    assert len(found["Events"]) == 1
    event = found["Events"][0]
    assert (event["Username"], event["EventSource"]) == (ADMIN, "iam.amazonaws.com")

    page.get_by_role("navigation", name="Services").get_by_role("link", name="CloudTrail", exact=True).click()
    page.get_by_role("navigation", name="CloudTrail").get_by_role("link", name="Event history").click()
    assert page.get_by_role("heading", name="Event history").is_visible()
    # The default view leaves out read-only events ("Read-only" false); CreateGroup is a write.
    assert page.get_by_label("Lookup attributes").input_value() == "ReadOnly"
    assert page.get_by_label("Attribute value").input_value() == "false"
    page.get_by_label("Lookup attributes").select_option(label="Event name")
    page.get_by_label("Attribute value").fill("CreateGroup")
    page.get_by_role("button", name="Apply").click()
    table = page.get_by_role("table", name="Events")
    rows = table.get_by_role("row")
    assert rows.count() == 2  # the header, then the one CreateGroup event
    cells = [" ".join(cell.split()) for cell in rows.nth(1).get_by_role("cell").all_inner_texts()]
    assert cells[0] == "CreateGroup"
    assert cells[2:] == [ADMIN, "iam.amazonaws.com", "AWS::IAM::Group", "auditors"]
    screenshot(page, "cloudtrail-event-history")

    table.get_by_role("link", name="CreateGroup").click()
    assert page.url.endswith(f"/console/cloudtrail/events/{event['EventId']}")
    assert page.get_by_role("heading", name="CreateGroup", level=1).is_visible()
    record = json.loads(page.get_by_role("region", name="Event record").locator("pre").inner_text())
    assert record == json.loads(event["CloudTrailEvent"])
    assert record["eventName"] == "CreateGroup" and record["userIdentity"]["userName"] == ADMIN
    assert record["requestParameters"]["groupName"] == "auditors"
    screenshot(page, "cloudtrail-event-details")

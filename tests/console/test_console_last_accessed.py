"""The "Last Accessed" tab of users, user groups, roles and managed policies without a browser:
what it shows is what IAM's service last accessed report says, read as the signed-in
principal, and a principal IAM refuses sees IAM's AccessDenied on the tab.

AWS pages (IAM User Guide): "View last accessed information for IAM"
(access_policies_last-accessed-view-data: "choose the Last Accessed tab"; the "Last accessed"
column shows "<number of> days ago" or "Not accessed in the tracking period"; "In the Service
column of the table, choose Amazon S3 to view a list of Amazon S3 management actions"; for a
group, "Choose the name of the group member to see all of the members of the group and when
they last accessed the service"); "Refine permissions in AWS using last accessed information"
(access_policies_last-accessed: "To use the IAM console to view the last accessed information
for an IAM user, role, or policy, you must have a policy that includes the following actions:
iam:GenerateServiceLastAccessedDetails, iam:Get*, iam:List*"); "Access denied error messages"
(troubleshoot_access-denied: "User: ARN is not authorized to perform: ACTION on resource: ARN
because no identity-based policy allows the ACTION action").

Expected rows come from the API: the tests generate the same report as the account's root
(GenerateServiceLastAccessedDetails, GetServiceLastAccessedDetails) and compare.
"""

from __future__ import annotations

import html
import json
import re
from datetime import datetime, timedelta
from typing import Any

import pytest
from console_iam_page_harness import ADMIN_PASSWORD, admin_in, iam, signed_in_admin
from console_page_harness import START, B, Browser, app, text

from iamsandbox.console.pages.iam_common import when
from iamsandbox.server.app import App
from iamsandbox.services.iam import access_advisor

__all__ = ["app"]

NOT_ACCESSED = "Not accessed in the tracking period"
DEVELOPERS = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": ["s3:*", "iam:ListUsers"], "Resource": "*"}],
}
USER_TAB = "/console/iam/users/details/carol"
GROUP_TAB = "/console/iam/groups/details/developers"


def _table(page: str, label: str) -> list[list[str]]:
    """The body rows of the table labelled ``label``, each as its cells' text."""
    found = re.search(rf'<table aria-label="{re.escape(label)}">(.*?)</table>', page, re.S)
    assert found is not None, f"no table {label!r}"
    body = found.group(1).split("</thead>", 1)[-1]
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        rows.append([" ".join(html.unescape(re.sub(r"<[^>]+>", " ", cell)).split()) for cell in cells])
    return rows


def _by_service(rows: list[list[str]]) -> dict[str, list[str]]:
    return {row[0]: row for row in rows}


def _report(app: App, arn: str, granularity: str = "SERVICE_LEVEL") -> tuple[str, list[dict[str, Any]]]:
    """The report IAM gives the account's root for ``arn``: its JobId and services."""
    job_id = iam(app, B, "GenerateServiceLastAccessedDetails", Arn=arn, Granularity=granularity)["JobId"]
    return job_id, iam(app, B, "GetServiceLastAccessedDetails", JobId=job_id)["ServicesLastAccessed"]


def _last_text(last: datetime | None, now: datetime) -> str:
    """The "Last accessed" cell for an API's LastAuthenticated, seen at ``now``."""
    if last is None:
        return NOT_ACCESSED
    days = (now - last).days
    return f"{when(last)} ({'1 day' if days == 1 else f'{days} days'} ago)"


def _developers(app: App) -> str:
    """Group "developers" with the customer managed policy Developers (S3, iam:ListUsers), its
    members carol (console password ADMIN_PASSWORD) and dave; carol opened the S3 console
    three days before START (ListBuckets: an attempt at Amazon S3). Returns the policy's ARN."""
    arn = str(
        iam(app, B, "CreatePolicy", PolicyName="Developers", PolicyDocument=json.dumps(DEVELOPERS))["Policy"]["Arn"]
    )
    iam(app, B, "CreateGroup", GroupName="developers")
    iam(app, B, "AttachGroupPolicy", GroupName="developers", PolicyArn=arn)
    admin_in(app, B, "carol", policy=None)
    iam(app, B, "CreateUser", UserName="dave")
    for user in ("carol", "dave"):
        iam(app, B, "AddUserToGroup", GroupName="developers", UserName=user)
    carol = Browser(app, START - timedelta(days=3))
    assert carol.sign_in(B, "carol", ADMIN_PASSWORD).status == 303
    assert carol.get("/console/s3").status == 200
    return arn


def test_a_users_tab_lists_the_services_its_policies_allow_as_iam_reports_them(app: App) -> None:
    _developers(app)
    admin = signed_in_admin(app, B)
    page = admin.get(USER_TAB, tab="access_advisor")
    assert page.status == 200
    body = text(page)
    assert re.search(r'role="tab" href="[^"]*\?tab=access_advisor" aria-selected="true">Last Accessed<', body)
    assert "Tracking period" in body and "the last 400 days" in body
    rows = _by_service(_table(body, "Allowed services"))
    _, services = _report(app, f"arn:aws:iam::{B}:user/carol")
    assert sorted(rows) == sorted(entry["ServiceName"] for entry in services)
    for entry in services:
        # Service | Policies granting permissions | Last accessed: the group's policy grants both.
        assert rows[entry["ServiceName"]][1:] == ["Developers", _last_text(entry.get("LastAuthenticated"), START)]
    by_namespace = {entry["ServiceNamespace"]: entry for entry in services}
    assert rows[by_namespace["s3"]["ServiceName"]][2].endswith("(3 days ago)")
    assert rows[by_namespace["iam"]["ServiceName"]][2] == NOT_ACCESSED
    # The policy's name opens its page; the service's name chooses the service.
    assert 'href="/console/iam/policies/details/arn%3Aaws%3Aiam%3A%3A222222222222%3Apolicy%2FDevelopers"' in body
    assert f'href="{USER_TAB}?tab=access_advisor&amp;service=s3"' in body


def test_choosing_amazon_s3_shows_its_management_actions(app: App) -> None:
    _developers(app)
    admin = signed_in_admin(app, B)
    body = text(admin.get(USER_TAB, tab="access_advisor", service="s3"))
    _, services = _report(app, f"arn:aws:iam::{B}:user/carol", "ACTION_LEVEL")
    s3 = next(entry for entry in services if entry["ServiceNamespace"] == "s3")
    actions = _by_service(_table(body, f"Tracked actions of {s3['ServiceName']}"))
    expected = {action["ActionName"]: action for action in s3["TrackedActionsLastAccessed"]}
    assert sorted(actions) == sorted(expected)
    for name, action in expected.items():
        region = action.get("LastAccessedRegion", "-")
        assert actions[name][1:] == [_last_text(action.get("LastAccessedTime"), START), region]
    assert "LastAccessedTime" in expected["ListAllMyBuckets"]  # what the S3 console's bucket list asked


def test_a_groups_tab_names_the_member_and_lists_every_member_of_the_service_chosen(app: App) -> None:
    _developers(app)
    admin = signed_in_admin(app, B)
    body = text(admin.get(GROUP_TAB, tab="access_advisor", service="s3"))
    job_id, services = _report(app, f"arn:aws:iam::{B}:group/developers", "ACTION_LEVEL")
    rows = _by_service(_table(body, "Allowed services"))
    for entry in services:
        entity = entry.get("LastAuthenticatedEntity", "-").rsplit("/", 1)[-1]
        expected = ["Developers", _last_text(entry.get("LastAuthenticated"), START), entity]
        assert rows[entry["ServiceName"]][1:] == [*expected, str(entry["TotalAuthenticatedEntities"])]
    s3 = next(entry for entry in services if entry["ServiceNamespace"] == "s3")
    members = iam(app, B, "GetServiceLastAccessedDetailsWithEntities", JobId=job_id, ServiceNamespace="s3")
    shown = _table(body, f"Entities and when they last accessed {s3['ServiceName']}")
    assert shown == [
        [d["EntityInfo"]["Name"], "User", _last_text(d.get("LastAuthenticated"), START)]
        for d in members["EntityDetailsList"]
    ]
    assert [row[0] for row in shown] == ["carol", "dave"] and shown[1][2] == NOT_ACCESSED


@pytest.mark.parametrize("aws_managed", [False, True])
def test_a_managed_policys_tab_lists_its_services_and_who_used_them(app: App, aws_managed: bool) -> None:
    arn = _developers(app)
    if aws_managed:
        arn = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
        iam(app, B, "AttachUserPolicy", UserName="dave", PolicyArn=arn)
    admin = signed_in_admin(app, B)
    body = text(admin.get("/console/iam/policies/details/" + arn.replace("/", "%2F"), tab="access_advisor"))
    assert ">Last Accessed<" in body
    _, services = _report(app, arn)
    rows = _by_service(_table(body, "Allowed services"))
    assert sorted(rows) == sorted(entry["ServiceName"] for entry in services)
    for entry in services:
        entity = entry.get("LastAuthenticatedEntity", "-").rsplit("/", 1)[-1]
        last = _last_text(entry.get("LastAuthenticated"), START)
        # No "Policies granting permissions" on a policy's own tab.
        assert rows[entry["ServiceName"]][1:] == [last, entity, str(entry["TotalAuthenticatedEntities"])]
    s3 = rows[next(e["ServiceName"] for e in services if e["ServiceNamespace"] == "s3")]
    assert s3[2:] == (["-", "0"] if aws_managed else ["carol", "1"])


def test_a_roles_tab_links_its_inline_policy(app: App) -> None:
    trust = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}],
    }
    iam(app, B, "CreateRole", RoleName="worker", AssumeRolePolicyDocument=json.dumps(trust))
    inline = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
    iam(app, B, "PutRolePolicy", RoleName="worker", PolicyName="read-objects", PolicyDocument=json.dumps(inline))
    admin = signed_in_admin(app, B)
    body = text(admin.get("/console/iam/roles/details/worker", tab="access_advisor"))
    _, services = _report(app, f"arn:aws:iam::{B}:role/worker")
    assert _table(body, "Allowed services") == [[e["ServiceName"], "read-objects", NOT_ACCESSED] for e in services]
    assert 'href="/console/iam/roles/details/worker/inline/view/read-objects"' in body


def test_without_generate_service_last_accessed_details_the_tab_shows_iams_access_denied(app: App) -> None:
    _developers(app)
    reader = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": ["iam:Get*", "iam:List*"], "Resource": "*"}],
    }
    arn = iam(app, B, "CreatePolicy", PolicyName="Reader", PolicyDocument=json.dumps(reader))["Policy"]["Arn"]
    viewer = signed_in_admin(app, B, "viewer", policy=arn)
    page = viewer.get(USER_TAB, tab="access_advisor")
    assert page.status == 200  # the user's page, with the tab's refusal on it
    body = text(page)
    assert '<div class="alert error" role="alert"><p class="error-code">AccessDenied</p>' in body
    assert (
        f"User: arn:aws:iam::{B}:user/viewer is not authorized to perform: iam:GenerateServiceLastAccessedDetails "
        f"on resource: arn:aws:iam::{B}:user/carol because no identity-based policy allows the "
        "iam:GenerateServiceLastAccessedDetails action"
    ) in body
    assert 'aria-label="Allowed services"' not in body


def test_a_report_in_progress_offers_refresh_which_reads_the_same_job(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    """AWS builds a report in the background (JobStatus IN_PROGRESS until done); iamsandbox's
    are done at once, so the handler's status is made IN_PROGRESS here."""
    _developers(app)
    admin = signed_in_admin(app, B)
    completed = access_advisor._job_fields

    def in_progress(job: Any) -> dict[str, Any]:
        return {**completed(job), "JobStatus": "IN_PROGRESS"}

    monkeypatch.setattr(access_advisor, "_job_fields", in_progress)
    body = text(admin.get(USER_TAB, tab="access_advisor"))
    found = re.search(r'The report is being generated\. <a href="([^"]+)">Refresh</a>', body)
    assert found is not None
    assert 'aria-label="Allowed services"' not in body
    refresh = html.unescape(found.group(1))
    path, _, query = refresh.partition("?")
    params = dict(part.split("=", 1) for part in query.split("&"))
    assert path == USER_TAB and params["tab"] == "access_advisor"
    monkeypatch.setattr(access_advisor, "_job_fields", completed)
    generated = access_advisor.generate_service_last_accessed_details
    calls: list[str] = []

    def counted(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
        calls.append(params["Arn"])
        return generated(ctx, params)

    monkeypatch.setitem(app.handlers["iam"], "GenerateServiceLastAccessedDetails", counted)
    rows = _table(text(admin.get(path, **params)), "Allowed services")
    assert calls == []  # the job of the first load, read again
    assert [row[0] for row in rows] == ["Amazon Simple Storage Service", "AWS Identity and Access Management"]

"""The "Last Accessed" tab (formerly "Access Advisor") of a user, user group, role or managed
policy (no pages of its own: ``iam_users``, ``iam_groups``, ``iam_roles`` and ``iam_policies``
show it; the template is ``iam/last_accessed_tab.html``).

AWS (IAM User Guide): "View last accessed information for IAM"
(https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_last-accessed-view-data.html):
"Choose any user, user group, role, or policy name to open its Summary page and choose the
Last Accessed tab" (the page's earlier version, whose words the next items quote, named it
the "Access Advisor" tab):

- "User – View the list of services that the user can access. You can also view when they
  last accessed the service, and what policies they used"; "Role – ... when the role last
  accessed the service, and what policies were used"; "Group – ... when a member last
  accessed the service, what group policies they used, and which group member made the
  request ... Choose the name of the group member to see all of the members of the group
  and when they last accessed the service"; "Policy – View the list of services with allowed
  actions in the policy. You can also view when the policy was last used to access the
  service, and which entity (user or role) used the policy. Choose the name of the entity to
  learn which entities have this policy attached and when they last accessed the service."
- "(Optional) In the Service column of the table, choose Amazon S3 to view a list of Amazon
  S3 management actions"; the "Last accessed" column shows "<number of> days ago" or "Not
  accessed in the tracking period" ("The tracked service or action has not been used by an
  entity in the tracking period").
- "Refine permissions in AWS using last accessed information" (access_policies_last-accessed):
  "Tracking period – Recent activity usually appears in the IAM console within four hours.
  The tracking period for service information is the last 400 days"; "Report owner – Only
  the principal that generates a report can view the report details. This means that when
  you view the information in the AWS Management Console, you might have to wait for it to
  generate and load"; to view it in the console, "iam:GenerateServiceLastAccessedDetails,
  iam:Get*, iam:List*".

So the tab asks IAM as the signed-in principal, as AWS's console does:
GenerateServiceLastAccessedDetails (SERVICE_LEVEL; ACTION_LEVEL when a service is chosen, for
its tracked actions), then GetServiceLastAccessedDetails; ListPoliciesGrantingServiceAccess
for the "Policies granting permissions" column of a user, group or role; and
GetServiceLastAccessedDetailsWithEntities for the chosen service of a group or policy. A
refused call is shown on the tab (AccessDenied with AWS's message), as the other tabs show
theirs. iamsandbox completes a job when it is generated; a job still IN_PROGRESS (AWS's
JobStatus) gets a "Refresh" link that reads the same job again.

Known gap: the Refresh link names its job, and a page reads the job its link names (IAM lets
a principal read only the jobs it generated, "Report owner" above): a link edited to name
another of one's own jobs shows that job's services.

Unconfirmed: the console's default order (here: services accessed, most recent first, then
the others in IAM's order, by namespace); "1 day ago" for one day; the names of the
group's and policy's extra columns and of the chosen service's sections.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlencode

from ...errors import NoSuchEntity, ServiceError
from ..app import PageContext
from .iam_common import call, policy_type, policy_url
from .iam_entities import KINDS, Kind

TAB = ("access_advisor", "Last Accessed")
SERVICE_LEVEL = "SERVICE_LEVEL"
ACTION_LEVEL = "ACTION_LEVEL"
IN_PROGRESS = "IN_PROGRESS"
FAILED = "FAILED"
NOT_ACCESSED = "Not accessed in the tracking period"
# ListPoliciesGrantingServiceAccess's ServiceNamespaces: 1 to 200 members (the API reference).
NAMESPACES_PER_CALL = 200
_JOB_ID = re.compile(r"[0-9A-Za-z-]{36}")  # jobIDType: 36 characters
_NAMESPACE = re.compile(r"[\w-]{1,64}")  # serviceNamespaceType
_ENTITY_PATHS = {"USER": "users", "GROUP": "groups", "ROLE": "roles"}


class JobFailed(ServiceError):
    """A report whose JobStatus is FAILED: its ErrorDetails, as IAM gave them."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass
class Link:
    """A name on the tab and the console page it opens, and what it is ("Customer managed",
    "Inline policy of group developers", "User")."""

    name: str
    url: str
    kind: str = ""


@dataclass
class ServiceRow:
    """One allowed service: ServicesLastAccessed's entry, and the policies granting it."""

    name: str
    namespace: str
    url: str  # the tab with this service chosen
    last: datetime | None
    days: int | None
    region: str
    entity: Link | None  # LastAuthenticatedEntity
    total: int  # TotalAuthenticatedEntities
    policies: list[Link] = field(default_factory=list)


@dataclass
class Chosen:
    """The service chosen in the Service column: its tracked actions, and for a group or a
    policy the entities whose attempts count (GetServiceLastAccessedDetailsWithEntities)."""

    row: ServiceRow
    actions: list[dict[str, Any]]
    entities: list[dict[str, Any]]
    entities_error: ServiceError | None = None


@dataclass
class LastAccessed:
    """What the tab shows."""

    rows: list[ServiceRow] = field(default_factory=list)
    in_progress: bool = False
    refresh_url: str = ""
    policies_error: ServiceError | None = None
    chosen: Chosen | None = None
    group_or_policy: bool = False  # the report counts several entities
    identity: bool = True  # a user, group or role (its policies grant the services)


def days_ago(when: datetime, now: datetime) -> int:
    """Whole days from ``when`` to ``now`` ("<number of> days ago"); never below 0."""
    return max(0, (now - when).days)


def entity_link(arn: str) -> Link:
    """The console page of a user or role named by its ARN (arn:aws:iam::ACCOUNT:user/path/name)."""
    resource = arn.split(":", 5)[-1]
    kind, _slash, rest = resource.partition("/")
    name = rest.rsplit("/", 1)[-1]
    found = KINDS.get(kind + "s")
    if found is None or not found.identity:
        return Link(name or arn, "", kind.capitalize())
    return Link(name, found.url(name), found.noun)


def _policy_link(policy: dict[str, Any]) -> Link:
    """A policy of ListPoliciesGrantingServiceAccess: a managed one by ARN, an inline one by
    the user, group or role it is embedded in ("Choose the name of the policy to learn whether
    it is a managed policy, an inline user policy, or an inline policy for the group")."""
    name = str(policy["PolicyName"])
    if policy.get("PolicyType") == "MANAGED" and policy.get("PolicyArn"):
        return Link(name, policy_url(str(policy["PolicyArn"])), policy_type(str(policy["PolicyArn"])))
    entity_type = str(policy.get("EntityType", ""))
    owner = str(policy.get("EntityName", ""))
    path = _ENTITY_PATHS.get(entity_type, "users")
    url = f"/console/iam/{path}/details/{quote(owner, safe='')}/inline/view/{quote(name, safe='')}"
    noun = {"USER": "user", "GROUP": "group", "ROLE": "role"}.get(entity_type, entity_type.lower())
    return Link(name, url, f"Inline policy of {noun} {owner}")


def _tab_url(base: str, **query: str) -> str:
    return f"{base}?{urlencode({'tab': TAB[0], **{k: v for k, v in query.items() if v}})}"


def _job(page: PageContext, arn: str, granularity: str) -> tuple[str, dict[str, Any]]:
    """The report's JobId and GetServiceLastAccessedDetails's answer, every page of its
    services. A job named by the page's ``job`` query (the Refresh link) is read again;
    one IAM no longer has (another principal's, expired) is generated anew."""
    wanted = page.request.query.get("job", "")
    if _JOB_ID.fullmatch(wanted):
        try:
            return wanted, _details(page, wanted)
        except NoSuchEntity:
            pass
    job_id = str(call(page, "GenerateServiceLastAccessedDetails", Arn=arn, Granularity=granularity)["JobId"])
    return job_id, _details(page, job_id)


def _details(page: PageContext, job_id: str) -> dict[str, Any]:
    out = call(page, "GetServiceLastAccessedDetails", JobId=job_id, MaxItems=1000)
    services = list(out.get("ServicesLastAccessed", []))
    while out.get("IsTruncated") and out.get("Marker"):
        out = call(page, "GetServiceLastAccessedDetails", JobId=job_id, MaxItems=1000, Marker=out["Marker"])
        services.extend(out.get("ServicesLastAccessed", []))
    return {**out, "ServicesLastAccessed": services}


def _granting(page: PageContext, arn: str, namespaces: list[str]) -> dict[str, list[Link]]:
    """ListPoliciesGrantingServiceAccess for ``namespaces`` (at most 200 a call)."""
    found: dict[str, list[Link]] = {}
    for start in range(0, len(namespaces), NAMESPACES_PER_CALL):
        chunk = namespaces[start : start + NAMESPACES_PER_CALL]
        out = call(page, "ListPoliciesGrantingServiceAccess", Arn=arn, ServiceNamespaces=chunk)
        for entry in out.get("PoliciesGrantingServiceAccess", []):
            found[str(entry["ServiceNamespace"])] = [_policy_link(p) for p in entry.get("Policies", [])]
    return found


def _row(entry: dict[str, Any], base: str, now: datetime) -> ServiceRow:
    last: datetime | None = entry.get("LastAuthenticated")
    entity = entry.get("LastAuthenticatedEntity")
    namespace = str(entry["ServiceNamespace"])
    return ServiceRow(
        name=str(entry.get("ServiceName") or namespace),
        namespace=namespace,
        url=_tab_url(base, service=namespace),
        last=last,
        days=days_ago(last, now) if last is not None else None,
        region=str(entry.get("LastAuthenticatedRegion", "")),
        entity=entity_link(str(entity)) if entity else None,
        total=int(entry.get("TotalAuthenticatedEntities", 0)),
    )


def _recent_first(row: ServiceRow) -> tuple[bool, float]:
    return (row.last is None, -row.last.timestamp() if row.last is not None else 0.0)


def last_accessed(page: PageContext, kind: Kind, arn: str, base: str) -> dict[str, Any]:
    """The tab's values: ``advisor`` (a ``LastAccessed``) and ``advisor_error`` (the refused
    GenerateServiceLastAccessedDetails or GetServiceLastAccessedDetails, or the failed job).
    ``arn``: the user's, group's, role's or policy's; ``base``: its page's URL."""
    chosen_service = page.request.query.get("service", "")
    if not _NAMESPACE.fullmatch(chosen_service):
        chosen_service = ""
    granularity = ACTION_LEVEL if chosen_service else SERVICE_LEVEL
    advisor = LastAccessed(group_or_policy=kind.path in ("groups", "policies"), identity=kind.identity)
    try:
        job_id, report = _job(page, arn, granularity)
    except ServiceError as error:
        return {"advisor": advisor, "advisor_error": error}
    status = report.get("JobStatus")
    if status == IN_PROGRESS:
        # "you might have to wait for it to generate and load": the same job, read again.
        advisor.in_progress = True
        advisor.refresh_url = _tab_url(base, service=chosen_service, job=job_id)
        return {"advisor": advisor, "advisor_error": None}
    if status == FAILED:
        details = report.get("Error") or {}
        failed = JobFailed(str(details.get("Code", FAILED)), str(details.get("Message", "The report failed.")))
        return {"advisor": advisor, "advisor_error": failed}
    now = page.request.now
    entries = report["ServicesLastAccessed"]
    advisor.rows = sorted((_row(entry, base, now) for entry in entries), key=_recent_first)
    if kind.identity and advisor.rows:
        try:
            granting = _granting(page, arn, [row.namespace for row in advisor.rows])
        except ServiceError as error:
            advisor.policies_error = error
        else:
            for row in advisor.rows:
                row.policies = granting.get(row.namespace, [])
    picked = next((row for row in advisor.rows if row.namespace == chosen_service), None)
    if picked is not None:
        advisor.chosen = _chosen(page, job_id, picked, entries, now, with_entities=advisor.group_or_policy)
    return {"advisor": advisor, "advisor_error": None}


def _chosen(
    page: PageContext,
    job_id: str,
    row: ServiceRow,
    entries: list[dict[str, Any]],
    now: datetime,
    *,
    with_entities: bool,
) -> Chosen:
    entry = next(entry for entry in entries if entry["ServiceNamespace"] == row.namespace)
    actions = []
    for action in entry.get("TrackedActionsLastAccessed", []):
        when: datetime | None = action.get("LastAccessedTime")
        who = action.get("LastAccessedEntity")
        actions.append(
            {
                "name": action.get("ActionName", ""),
                "last": when,
                "days": days_ago(when, now) if when is not None else None,
                "region": action.get("LastAccessedRegion", ""),
                "entity": entity_link(str(who)) if who else None,
            }
        )
    actions.sort(key=lambda action: (action["last"] is None, -action["last"].timestamp() if action["last"] else 0.0))
    chosen = Chosen(row, actions, [])
    if not with_entities:
        return chosen
    try:
        details: list[dict[str, Any]] = []
        marker = None
        while True:
            out = call(
                page,
                "GetServiceLastAccessedDetailsWithEntities",
                JobId=job_id,
                ServiceNamespace=row.namespace,
                MaxItems=1000,
                Marker=marker,
            )
            details.extend(out.get("EntityDetailsList", []))
            marker = out.get("Marker")
            if not out.get("IsTruncated") or not marker:
                break
    except ServiceError as error:
        chosen.entities_error = error
        return chosen
    for detail in details:
        info = detail.get("EntityInfo", {})
        link = entity_link(str(info.get("Arn", "")))
        when = detail.get("LastAuthenticated")
        chosen.entities.append(
            {"entity": link, "last": when, "days": days_ago(when, now) if when is not None else None}
        )
    return chosen

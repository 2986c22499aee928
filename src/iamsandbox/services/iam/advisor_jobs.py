"""Generated service last accessed reports (GenerateServiceLastAccessedDetails' jobs), kept in
the store (``generated_reports``, kind "service-last-accessed") so that a job generated
through one replica is found through every other, as credential reports are
(``credential_report.py``).

- A job is a snapshot: it holds the report as it was when generated ("If you use the AWS CLI
  or AWS API, you must generate a new report to view the updated information", "Refine
  permissions in AWS using last accessed information", IAM User Guide).
- "Only the principal that generates a report can view the report details ... your
  credentials must match the credentials of the principal that generated the report. If you
  use temporary credentials for a role or AWS STS federated user principal, you must generate
  and retrieve the report during the same session" (same page): a job belongs to the
  caller's ARN, and for a role or federated session to that session (its token's issue time).
- Job ids are UUIDs, as the API reference's example ("examplef-1305-c245-eba4-71fe298bcda7").

Unconfirmed: how long AWS keeps a job (its pages do not say; here ``KEEP_FOR``, and at most
``MAX_JOBS`` in the store, the oldest dropped first), and what another principal's JobId
answers (here as an unknown JobId: ``access_advisor.py``). Generating a job deletes the
expired ones and the oldest past ``MAX_JOBS``; reading one writes nothing (it runs in the
request's read unit) and finds none older than ``KEEP_FOR``.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from ...authz.context import Caller
from ...policy.request import PrincipalKind
from ...store.interface import GeneratedReport, ReportKind, Transaction

KEEP_FOR = timedelta(hours=24)
MAX_JOBS = 1000
KIND: ReportKind = "service-last-accessed"
# How a time is written in a job's payload (JSON has none): {"$t": ISO 8601}.
_TIME = "$t"


def owner_of(caller: Caller) -> str:
    """Whose job it is: the principal's ARN, and, for a role or federated user's temporary
    credentials, the session (its token's issue time, in UTC: every replica writes one
    session's alike)."""
    issued = caller.token_issued
    if caller.kind not in (PrincipalKind.ROLE_SESSION, PrincipalKind.FEDERATED_USER) or issued is None:
        return caller.arn
    if issued.tzinfo is not None:
        issued = issued.astimezone(UTC)
    # An ARN holds no space (IAM names and paths are printable ASCII without it).
    return f"{caller.arn} {issued.isoformat()}"


@dataclass(frozen=True)
class Job:
    """A completed report. ``services``: ServicesLastAccessed, in order; ``entities``: the
    entities (users and roles) whose attempts the report counts, as EntityInfo;
    ``accessed``: by service namespace, when each of them (by id) last attempted it."""

    job_id: str
    account_id: str
    owner: str  # ``owner_of``
    granularity: str  # SERVICE_LEVEL or ACTION_LEVEL
    created: datetime
    completed: datetime
    services: tuple[dict[str, Any], ...] = field(repr=False)
    entities: tuple[dict[str, str], ...] = field(repr=False)
    accessed: Mapping[str, Mapping[str, datetime]] = field(repr=False)


def new_job_id() -> str:
    return str(uuid.uuid4())


def keep(tx: Transaction, job: Job) -> None:
    """Store ``job`` for every replica, in the generating call's write unit; the expired
    jobs and the oldest past ``MAX_JOBS`` go first."""
    tx.expire_generated_reports(KIND, before=job.created - KEEP_FOR, keep=MAX_JOBS - 1)
    tx.add_generated_report(GeneratedReport(job.job_id, job.account_id, KIND, job.owner, job.created, _dump(job)))


def find(tx: Transaction, job_id: str, owner: str, now: datetime) -> Job | None:
    """The job, if ``owner`` generated it and it is still kept."""
    report = tx.get_generated_report(job_id, KIND)
    if report is None or report.owner != owner or now - report.created > KEEP_FOR:
        return None
    return _load(report)


# --- the payload: the report as JSON (no secret: names, ARNs, ids, times, Regions) ---------


def _dump(job: Job) -> str:
    payload = {
        "granularity": job.granularity,
        "completed": job.completed,
        "services": list(job.services),
        "entities": list(job.entities),
        "accessed": job.accessed,
    }
    return json.dumps(payload, default=_encode, separators=(",", ":"))


def _encode(value: object) -> object:
    if isinstance(value, datetime):
        return {_TIME: value.isoformat()}
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"not in a job's payload: {type(value).__name__}")


def _decode(value: dict[str, Any]) -> object:
    if len(value) == 1 and _TIME in value:
        return datetime.fromisoformat(value[_TIME])
    return value


def _load(report: GeneratedReport) -> Job:
    payload = json.loads(report.payload, object_hook=_decode)
    return Job(
        report.report_id,
        report.account_id,
        report.owner or "",
        payload["granularity"],
        report.created,
        payload["completed"],
        tuple(payload["services"]),
        tuple(payload["entities"]),
        payload["accessed"],
    )

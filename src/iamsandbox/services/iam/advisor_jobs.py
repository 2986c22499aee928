"""Generated service last accessed reports (GenerateServiceLastAccessedDetails' jobs), kept
by the server process as credential reports are (``credential_report.py``).

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
``MAX_JOBS`` per process, the oldest dropped first), and what another principal's JobId
answers (here as an unknown JobId: ``access_advisor.py``).

Known gap: jobs live in the server process: replicas do not share them (as credential
reports).
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from ...authz.context import Caller
from ...policy.request import PrincipalKind

KEEP_FOR = timedelta(hours=24)
MAX_JOBS = 1000

Owner = tuple[str, datetime | None]


def owner_of(caller: Caller) -> Owner:
    """Whose job it is: the principal's ARN, and the session for a role or federated
    user's temporary credentials."""
    if caller.kind in (PrincipalKind.ROLE_SESSION, PrincipalKind.FEDERATED_USER):
        return caller.arn, caller.token_issued
    return caller.arn, None


@dataclass(frozen=True)
class Job:
    """A completed report. ``services``: ServicesLastAccessed, in order; ``entities``: the
    entities (users and roles) whose attempts the report counts, as EntityInfo;
    ``accessed``: by service namespace, when each of them (by id) last attempted it."""

    job_id: str
    owner: Owner
    granularity: str  # SERVICE_LEVEL or ACTION_LEVEL
    created: datetime
    completed: datetime
    services: tuple[dict[str, Any], ...] = field(repr=False)
    entities: tuple[dict[str, str], ...] = field(repr=False)
    accessed: Mapping[str, Mapping[str, datetime]] = field(repr=False)


def new_job_id() -> str:
    return str(uuid.uuid4())


class AdvisorJobs:
    """The jobs generated in this process, oldest first."""

    def __init__(self, keep_for: timedelta = KEEP_FOR, limit: int = MAX_JOBS) -> None:
        self._lock = threading.Lock()
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._keep_for = keep_for
        self._limit = limit

    def __repr__(self) -> str:
        return f"AdvisorJobs({len(self._jobs)} jobs)"

    def add(self, job: Job) -> None:
        with self._lock:
            self._jobs[job.job_id] = job
            while len(self._jobs) > self._limit:
                self._jobs.popitem(last=False)

    def get(self, job_id: str, owner: Owner, now: datetime) -> Job | None:
        """The job, if ``owner`` generated it and it is still kept."""
        with self._lock:
            while self._jobs:
                oldest = next(iter(self._jobs.values()))
                if now - oldest.created <= self._keep_for:
                    break
                self._jobs.popitem(last=False)
            job = self._jobs.get(job_id)
        return job if job is not None and job.owner == owner else None

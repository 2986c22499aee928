"""GenerateServiceLastAccessedDetails' jobs as the store keeps them (``advisor_jobs.py``):
each a snapshot of its generator's, kept ``KEEP_FOR`` and at most ``MAX_JOBS`` (this
project's choices: AWS's pages do not say how long a job is kept), in the store where every
replica finds it; the payload holds no secret.

"Only the principal that generates a report can view the report details ... If you use
temporary credentials for a role or AWS STS federated user principal, you must generate and
retrieve the report during the same session" ("Refine permissions in AWS using last accessed
information", IAM User Guide).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from iam_harness import ACCOUNT, Iam

from iamsandbox import errors
from iamsandbox.authz.context import Caller
from iamsandbox.policy.request import PrincipalKind
from iamsandbox.services.iam import advisor_jobs
from iamsandbox.store.interface import ServiceAccess

NOW = datetime(2026, 5, 1, 12, 0, 0, 250000, tzinfo=UTC)
ALL_IAM = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:*", "Resource": "*"}]})


@pytest.fixture
def jobs_iam(iam: Iam) -> Iam:
    iam.now = NOW
    iam("CreateUser", UserName="liz")
    iam("PutUserPolicy", UserName="liz", PolicyName="All", PolicyDocument=ALL_IAM)
    return iam


def _generate(iam: Iam, granularity: str = "SERVICE_LEVEL") -> str:
    out = iam("GenerateServiceLastAccessedDetails", Arn=f"arn:aws:iam::{ACCOUNT}:user/liz", Granularity=granularity)
    return str(out["JobId"])


def test_a_job_reads_back_as_generated(jobs_iam: Iam) -> None:
    iam = jobs_iam
    with iam.store.transaction() as tx:
        user = tx.get_user(ACCOUNT, "liz")
        assert user is not None
        # Attempts whose times the report must give back as they were.
        tx.record_service_access(
            [
                ServiceAccess(user.id, "iam", "", NOW - timedelta(hours=1), "eu-west-1"),
                ServiceAccess(user.id, "iam", "CreateUser", NOW - timedelta(hours=2), "eu-west-1"),
            ]
        )
    job_id = _generate(iam, "ACTION_LEVEL")
    out = iam("GetServiceLastAccessedDetails", JobId=job_id)
    assert (out["JobCreationDate"], out["JobCompletionDate"]) == (NOW, NOW)
    (entry,) = out["ServicesLastAccessed"]
    # Whole seconds, where the job's own dates keep their milliseconds (the AWS CLI Command
    # Reference's get-service-last-accessed-details: "LastAuthenticated":
    # "2019-09-30T23:02:00Z", "JobCreationDate": "2019-10-01T03:50:35.929Z").
    assert entry["LastAuthenticated"] == (NOW - timedelta(hours=1)).replace(microsecond=0)
    assert entry["LastAuthenticatedEntity"] == f"arn:aws:iam::{ACCOUNT}:user/liz"
    tracked = {action["ActionName"]: action for action in entry["TrackedActionsLastAccessed"]}
    assert tracked["CreateUser"]["LastAccessedTime"] == (NOW - timedelta(hours=2)).replace(microsecond=0)
    entities = iam("GetServiceLastAccessedDetailsWithEntities", JobId=job_id, ServiceNamespace="iam")
    (detail,) = entities["EntityDetailsList"]
    assert detail["LastAuthenticated"] == (NOW - timedelta(hours=1)).replace(microsecond=0)
    assert detail["EntityInfo"]["Name"] == "liz"
    # A snapshot: a later attempt is not in it.
    with iam.store.transaction() as tx:
        tx.record_service_access([ServiceAccess(user.id, "iam", "", NOW, "us-east-1")])
    assert iam("GetServiceLastAccessedDetails", JobId=job_id)["ServicesLastAccessed"][0]["LastAuthenticated"] == (
        NOW - timedelta(hours=1)
    ).replace(microsecond=0)


def test_a_job_is_kept_for_a_day(jobs_iam: Iam) -> None:
    iam = jobs_iam
    job_id = _generate(iam)
    iam.now = NOW + advisor_jobs.KEEP_FOR
    assert iam("GetServiceLastAccessedDetails", JobId=job_id)["JobStatus"] == "COMPLETED"
    iam.now = NOW + advisor_jobs.KEEP_FOR + timedelta(microseconds=1)
    with pytest.raises(errors.NoSuchEntity):
        iam("GetServiceLastAccessedDetails", JobId=job_id)
    # Generating deletes the expired jobs from the store.
    with iam.store.read() as tx:
        assert tx.get_generated_report(job_id, advisor_jobs.KIND) is not None
    _generate(iam)
    with iam.store.read() as tx:
        assert tx.get_generated_report(job_id, advisor_jobs.KIND) is None


def test_the_oldest_jobs_go_past_the_limit(jobs_iam: Iam, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(advisor_jobs, "MAX_JOBS", 2)
    iam = jobs_iam
    made = []
    for second in range(3):
        iam.now = NOW + timedelta(seconds=second)
        made.append(_generate(iam))
    with pytest.raises(errors.NoSuchEntity):
        iam("GetServiceLastAccessedDetails", JobId=made[0])
    for job_id in made[1:]:
        assert iam("GetServiceLastAccessedDetails", JobId=job_id)["JobStatus"] == "COMPLETED"


def test_a_session_job_is_that_sessions(jobs_iam: Iam) -> None:
    iam = jobs_iam
    arn = f"arn:aws:sts::{ACCOUNT}:assumed-role/auditor/s"
    issued = NOW.replace(microsecond=0)
    iam.caller = Caller(arn, PrincipalKind.ROLE_SESSION, ACCOUNT, token_issued=issued)
    job_id = _generate(iam)
    assert iam("GetServiceLastAccessedDetails", JobId=job_id)["JobStatus"] == "COMPLETED"
    # The same session as another replica decodes it: its issue time in another zone.
    iam.caller = Caller(
        arn, PrincipalKind.ROLE_SESSION, ACCOUNT, token_issued=issued.astimezone(timezone(timedelta(hours=2)))
    )
    assert iam("GetServiceLastAccessedDetails", JobId=job_id)["JobStatus"] == "COMPLETED"
    # Another session of the same role session name: not its job.
    iam.caller = Caller(arn, PrincipalKind.ROLE_SESSION, ACCOUNT, token_issued=issued + timedelta(seconds=1))
    with pytest.raises(errors.NoSuchEntity):
        iam("GetServiceLastAccessedDetails", JobId=job_id)


def test_the_payload_holds_no_secret(jobs_iam: Iam) -> None:
    iam = jobs_iam
    key = iam("CreateAccessKey", UserName="liz")["AccessKey"]
    job_id = _generate(iam, "ACTION_LEVEL")
    with iam.store.read() as tx:
        stored = tx.get_generated_report(job_id, advisor_jobs.KIND)
    assert stored is not None and stored.owner == f"arn:aws:iam::{ACCOUNT}:root"
    assert key["SecretAccessKey"] not in stored.payload and key["AccessKeyId"] not in stored.payload

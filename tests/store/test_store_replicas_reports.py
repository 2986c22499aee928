"""Two replicas on one database share generated reports. Found by a review with two replicas on
one PostgreSQL database: a GenerateServiceLastAccessedDetails job generated through one
replica was NoSuchEntity on the other ("The job with ID ... cannot be found."), and
GetCredentialReport on another replica answered ReportNotPresent, so a client polling behind
a load balancer got random errors.

What must hold through any replica is what holds through one: "Only the principal that
generates a report can view the report details ... If you use temporary credentials for a
role ..., you must generate and retrieve the report during the same session" ("Refine
permissions in AWS using last accessed information", IAM User Guide); "When you request a
report, IAM first checks whether a report for the AWS account has been generated within the
past four hours. If so, the most recent report is downloaded" ("Getting credential reports
for your AWS account", IAM User Guide).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError
from store_harness import MASTER_KEY, Database

from iamsandbox.server.app import App
from services.inprocess_harness import client, root_keys, user_keys  # tests/ is on the path (pyproject)

A, B = "111111111111", "222222222222"
ALL_IAM = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:*", "Resource": "*"}]})


@pytest.fixture
def apps(database: Database) -> Iterator[tuple[App, App]]:
    """Two apps (two replicas), each with its own store object on one database."""
    stores = [database.open(), database.open()]
    with stores[0].transaction() as tx:
        tx.create_account(A, "a")
        tx.create_account(B, "b")
    try:
        yield App(stores[0], [MASTER_KEY]), App(stores[1], [MASTER_KEY])
    finally:
        for store in stores:
            store.close()


def _code(call: Any) -> str:
    with pytest.raises(ClientError) as refused:
        call()
    return str(refused.value.response["Error"]["Code"])


def test_a_job_generated_through_one_replica_is_read_through_the_other(apps: tuple[App, App]) -> None:
    one, two = apps
    keys = root_keys(one, A)
    iam_one, iam_two = client(one, "iam", keys), client(two, "iam", keys)
    iam_one.create_user(UserName="liz")
    iam_one.put_user_policy(UserName="liz", PolicyName="All", PolicyDocument=ALL_IAM)
    for granularity in ("SERVICE_LEVEL", "ACTION_LEVEL"):
        job_id = iam_one.generate_service_last_accessed_details(
            Arn=f"arn:aws:iam::{A}:user/liz", Granularity=granularity
        )["JobId"]
        here = iam_one.get_service_last_accessed_details(JobId=job_id)
        there = iam_two.get_service_last_accessed_details(JobId=job_id)
        for answer in (here, there):
            del answer["ResponseMetadata"]
        assert there == here  # the same snapshot, times included
        assert there["JobStatus"] == "COMPLETED" and there["JobType"] == granularity
        assert [entry["ServiceNamespace"] for entry in there["ServicesLastAccessed"]] == ["iam"]
        entities = iam_two.get_service_last_accessed_details_with_entities(JobId=job_id, ServiceNamespace="iam")
        assert [detail["EntityInfo"]["Name"] for detail in entities["EntityDetailsList"]] == ["liz"]
    # Still its generator's only, through either replica.
    liz = client(two, "iam", user_keys(two, A, "liz"))
    assert _code(lambda: liz.get_service_last_accessed_details(JobId=job_id)) == "NoSuchEntity"


def test_a_role_sessions_job_is_read_in_that_session_through_the_other_replica(apps: tuple[App, App]) -> None:
    one, two = apps
    iam = client(one, "iam", root_keys(one, A))
    trust = {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{A}:root"}, "Action": "sts:AssumeRole"}
    iam.create_role(
        RoleName="auditor", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [trust]})
    )
    iam.put_role_policy(RoleName="auditor", PolicyName="All", PolicyDocument=ALL_IAM)
    iam.create_user(UserName="ann")
    assume = {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": f"arn:aws:iam::{A}:role/auditor"}
    iam.put_user_policy(
        UserName="ann", PolicyName="Assume", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [assume]})
    )
    sts = client(one, "sts", user_keys(one, A, "ann"))

    def session(name: str, app: App) -> Any:
        found = sts.assume_role(RoleArn=f"arn:aws:iam::{A}:role/auditor", RoleSessionName=name)["Credentials"]
        keys = {"aws_access_key_id": found["AccessKeyId"], "aws_secret_access_key": found["SecretAccessKey"]}
        return client(app, "iam", keys, found["SessionToken"]), keys, found["SessionToken"]

    first, keys, token = session("first", one)
    job_id = first.generate_service_last_accessed_details(Arn=f"arn:aws:iam::{A}:role/auditor")["JobId"]
    same_session_there = client(two, "iam", keys, token)
    assert same_session_there.get_service_last_accessed_details(JobId=job_id)["JobStatus"] == "COMPLETED"
    other_session, _, _ = session("second", two)
    assert _code(lambda: other_session.get_service_last_accessed_details(JobId=job_id)) == "NoSuchEntity"


def test_a_credential_report_generated_through_one_replica_is_read_through_the_other(apps: tuple[App, App]) -> None:
    one, two = apps
    keys = root_keys(one, A)
    iam_one, iam_two = client(one, "iam", keys), client(two, "iam", keys)
    iam_one.create_user(UserName="alice")
    assert _code(iam_two.get_credential_report) == "ReportNotPresent"
    assert iam_one.generate_credential_report()["State"] == "STARTED"
    here, there = iam_one.get_credential_report(), iam_two.get_credential_report()
    assert there["Content"] == here["Content"] and there["GeneratedTime"] == here["GeneratedTime"]
    assert [line.split(",")[0] for line in there["Content"].decode().split("\n")] == ["user", "<root_account>", "alice"]
    # Within four hours, the other replica reuses the account's report: COMPLETE, the same one.
    iam_two.create_user(UserName="late")
    again = iam_two.generate_credential_report()
    assert again["State"] == "COMPLETE" and "Description" not in again
    assert iam_two.get_credential_report()["Content"] == here["Content"]  # a snapshot: no "late"
    # Another account's report is its own, through either replica.
    other = client(two, "iam", root_keys(two, B))
    assert _code(other.get_credential_report) == "ReportNotPresent"

"""Generated reports in the store (schema version 16), on every backend: GenerateServiceLastAccessedDetails'
jobs and credential reports ("Refine permissions in AWS using last accessed information",
"Getting credential reports for your AWS account", IAM User Guide), kept where every replica
reads them. The store keeps what it is given and deletes what the service tells it to; how
long and how many is the service's rule (``services/iam/advisor_jobs.py``,
``credential_report.py``). A version 15 database upgrades with its accounts intact.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from store_harness import ACCOUNT, OTHER, Database

from iamsandbox.store import SqlStore
from iamsandbox.store.interface import GeneratedReport

T0 = datetime(2026, 5, 1, 12, 0, 0, 123456, tzinfo=UTC)
JOB = "service-last-accessed"
CREDENTIALS = "credential-report"


def _job(
    number: int, when: datetime, account: str = ACCOUNT, owner: str = "arn:aws:iam::111111111111:root"
) -> GeneratedReport:
    return GeneratedReport(f"job-{number:04d}", account, JOB, owner, when, f'{{"n":{number}}}')


def test_a_version_15_database_upgrades_and_keeps_its_accounts(database: Database) -> None:
    old = database.open(target_version=15)
    try:
        with old.transaction() as tx:
            tx.create_account(ACCOUNT, "from version 15")
    finally:
        old.close()
    engine = database.raw()
    assert not sa.inspect(engine).has_table("generated_reports")
    engine.dispose()
    new = database.open()
    try:
        with new.transaction() as tx:
            assert tx.get_account(ACCOUNT) is not None
            tx.add_generated_report(_job(1, T0))
        with new.read() as tx:
            assert tx.get_generated_report("job-0001", JOB) == _job(1, T0)
    finally:
        new.close()


def test_a_report_reads_back_as_written(accounts: SqlStore) -> None:
    # A CSV as the credential report writes it: lines end with "\n", the last with nothing.
    csv = "user,arn\n<root_account>,arn:aws:iam::111111111111:root\nzoë,arn:aws:iam::111111111111:user/zoë"
    report = GeneratedReport("r-1", ACCOUNT, CREDENTIALS, None, T0.replace(microsecond=0), csv)
    big = GeneratedReport(
        "j-1", ACCOUNT, JOB, "arn:aws:sts::111111111111:assumed-role/r/s " + T0.isoformat(), T0, "x" * 300_000
    )
    with accounts.transaction() as tx:
        tx.add_generated_report(report)
        tx.add_generated_report(big)
    with accounts.read() as tx:
        assert tx.get_generated_report("r-1", CREDENTIALS) == report
        assert tx.get_generated_report("j-1", JOB) == big
        found = tx.get_generated_report("j-1", JOB)
        assert found is not None and found.created == T0 and found.created.tzinfo is not None
        # Of its kind only; an unknown id is None.
        assert tx.get_generated_report("r-1", JOB) is None
        assert tx.get_generated_report("nope", JOB) is None
    assert "300000" not in repr(big) and "x" * 20 not in repr(big)  # the payload stays out of reprs


def test_the_latest_of_an_account_and_kind(accounts: SqlStore) -> None:
    with accounts.transaction() as tx:
        assert tx.latest_generated_report(ACCOUNT, CREDENTIALS) is None
        for hours, report_id in ((0, "a"), (5, "c"), (2, "b")):
            tx.add_generated_report(
                GeneratedReport(report_id, ACCOUNT, CREDENTIALS, None, T0 + timedelta(hours=hours), report_id)
            )
        tx.add_generated_report(_job(1, T0 + timedelta(hours=9)))  # another kind
        tx.add_generated_report(GeneratedReport("o", OTHER, CREDENTIALS, None, T0 + timedelta(hours=9), "o"))
    with accounts.read() as tx:
        latest = tx.latest_generated_report(ACCOUNT, CREDENTIALS)
        assert latest is not None and latest.report_id == "c"
        other = tx.latest_generated_report(OTHER, CREDENTIALS)
        assert other is not None and other.report_id == "o"
        assert tx.latest_generated_report(OTHER, JOB) is None


def test_expiry_by_age_then_by_count(accounts: SqlStore) -> None:
    with accounts.transaction() as tx:
        for number in range(10):
            tx.add_generated_report(_job(number, T0 + timedelta(hours=number)))
        tx.add_generated_report(GeneratedReport("cr", ACCOUNT, CREDENTIALS, None, T0, "csv"))
    with accounts.transaction() as tx:
        # Created before T0+3h: jobs 0, 1 and 2 (the credential report is another kind).
        assert tx.expire_generated_reports(JOB, before=T0 + timedelta(hours=3)) == 3
        # Then all but the 4 newest: 3, 4 and 5 go.
        assert tx.expire_generated_reports(JOB, before=T0, keep=4) == 3
        assert tx.expire_generated_reports(JOB, keep=4) == 0
    with accounts.read() as tx:
        left = [n for n in range(10) if tx.get_generated_report(f"job-{n:04d}", JOB) is not None]
        assert left == [6, 7, 8, 9]
        assert tx.get_generated_report("cr", CREDENTIALS) is not None


def test_expiry_of_one_account_leaves_the_others(accounts: SqlStore) -> None:
    with accounts.transaction() as tx:
        tx.add_generated_report(GeneratedReport("a1", ACCOUNT, CREDENTIALS, None, T0, "a1"))
        tx.add_generated_report(GeneratedReport("a2", ACCOUNT, CREDENTIALS, None, T0 + timedelta(hours=5), "a2"))
        tx.add_generated_report(GeneratedReport("b1", OTHER, CREDENTIALS, None, T0, "b1"))
    with accounts.transaction() as tx:
        assert tx.expire_generated_reports(CREDENTIALS, account_id=ACCOUNT, keep=0) == 2
    with accounts.read() as tx:
        assert tx.latest_generated_report(ACCOUNT, CREDENTIALS) is None
        kept = tx.latest_generated_report(OTHER, CREDENTIALS)
        assert kept is not None and kept.report_id == "b1"


def test_two_store_objects_on_one_database_see_one_report(database: Database) -> None:
    """What replicas share: a report written through one store is read through another."""
    first, second = database.open(), database.open()
    try:
        with first.transaction() as tx:
            tx.create_account(ACCOUNT, "replicas")
        with second.read() as tx:  # a lane's snapshot and row cache before the write
            assert tx.get_generated_report("job-0001", JOB) is None
        with first.transaction() as tx:
            tx.add_generated_report(_job(1, T0))
        with second.read() as tx:
            assert tx.get_generated_report("job-0001", JOB) == _job(1, T0)
        with second.transaction() as tx:
            assert tx.expire_generated_reports(JOB, keep=0) == 1
        with first.read() as tx:
            assert tx.get_generated_report("job-0001", JOB) is None
    finally:
        first.close()
        second.close()

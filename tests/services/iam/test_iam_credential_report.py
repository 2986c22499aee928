"""GenerateCredentialReport and GetCredentialReport through the handlers and the authorizer.

AWS pages: "Getting credential reports for your AWS account" (IAM User Guide: the columns
and their order, the values N/A, not_supported, no_information, the four-hour rule, the
permissions iam:GenerateCredentialReport and iam:GetCredentialReport); the IAM API
reference for GenerateCredentialReport (State, the example's Description) and
GetCredentialReport (Content, ReportFormat text/csv, GeneratedTime; ReportNotPresent and
ReportExpired, HTTP 410). A second GenerateCredentialReport answers State COMPLETE without a
Description, as quoted from AWS in prowler-cloud/prowler#272.
"""

from __future__ import annotations

import csv
import io
import json
import secrets
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import botocore.session
import pytest
from iam_harness import ACCOUNT, OTHER, Iam

from iamsandbox import errors
from iamsandbox.authz.actions import spec_for
from iamsandbox.authz.authorize import Authorizer
from iamsandbox.authz.context import Caller
from iamsandbox.authz.gather import PolicySource
from iamsandbox.policy.request import PrincipalKind
from iamsandbox.services.iam.managed_policies import ManagedPolicies
from iamsandbox.store import SqlStore, open_store, sqlite_url
from iamsandbox.store.crypto import Secret

# "Understanding the report format" (User Guide), in the page's order.
HEADER = (
    "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,"
    "password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,"
    "access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,"
    "access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,"
    "access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,"
    "cert_2_active,cert_2_last_rotated"
)
NOW = datetime(2025, 3, 4, 5, 6, 7, 891000, tzinfo=UTC)
PASSWORD = "Correct-Horse-7-Battery"


@pytest.fixture
def report_iam(iam: Iam) -> Iam:
    """The ``iam`` caller at ``NOW`` (reports are kept in the store: each test's own)."""
    iam.now = NOW
    return iam


def _iso(when: datetime) -> str:
    """ISO 8601 to the second in UTC, as AWS's reports write times (2017-06-10T02:35:07+00:00)."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def _report(iam: Iam) -> tuple[str, list[dict[str, str]]]:
    out = iam("GetCredentialReport")
    assert out["ReportFormat"] == "text/csv"
    text = out["Content"].decode("utf-8")
    return text, list(csv.DictReader(io.StringIO(text)))


def _model_error(name: str) -> tuple[str, int]:
    shape = botocore.session.get_session().get_service_model("iam").shape_for(name)
    error: dict[str, Any] = shape.metadata["error"]
    return error["code"], error["httpStatusCode"]


def test_errors_match_the_model() -> None:
    assert _model_error("CredentialReportNotPresentException") == ("ReportNotPresent", 410)
    assert _model_error("CredentialReportExpiredException") == ("ReportExpired", 410)
    for cls, name in (
        (errors.ReportNotPresent, "CredentialReportNotPresentException"),
        (errors.ReportExpired, "CredentialReportExpiredException"),
    ):
        assert (cls.code, cls.status) == _model_error(name)
        assert cls.sender_fault


def test_no_report_before_generation(report_iam: Iam) -> None:
    with pytest.raises(errors.ReportNotPresent) as missing:
        report_iam("GetCredentialReport")
    # The API reference's description of ReportNotPresent, for logs and the console: AWS's
    # answer carries no Message (recorded, LocalStack's tests/aws/services/iam/
    # test_iam_credential_report.snapshot.json; the wire is tested with test_report_not_present_on_the_wire).
    assert not missing.value.message_sent
    assert missing.value.message == (
        "The request was rejected because the credential report does not exist. To generate a credential report,"
        " use GenerateCredentialReport."
    )


def test_started_then_complete(report_iam: Iam) -> None:
    # GenerateCredentialReport's example answer (API reference).
    assert report_iam("GenerateCredentialReport") == {
        "State": "STARTED",
        "Description": "No report exists. Starting a new report generation task",
    }
    # Built at once here: the report is there right after STARTED.
    out = report_iam("GetCredentialReport")
    assert out["ReportFormat"] == "text/csv"
    assert out["GeneratedTime"] == NOW.replace(microsecond=0)
    # Within four hours the same report is kept: COMPLETE, no Description (prowler#272).
    report_iam.now = NOW + timedelta(hours=3, minutes=59)
    assert report_iam("GenerateCredentialReport") == {"State": "COMPLETE"}
    assert report_iam("GetCredentialReport")["GeneratedTime"] == NOW.replace(microsecond=0)


def test_the_header_and_an_account_without_users(report_iam: Iam) -> None:
    report_iam("GenerateCredentialReport")
    text, rows = _report(report_iam)
    lines = text.split("\n")
    assert lines[0] == HEADER
    assert len(lines) == 2  # the root row, and no newline after the last row
    assert [row["user"] for row in rows] == ["<root_account>"]


def test_the_root_row(report_iam: Iam) -> None:
    store = report_iam.store
    with store.transaction() as tx:
        device = tx.create_mfa_device(ACCOUNT, "root-account-mfa-device", Secret("JBSWY3DPEHPK3PXP"))
        tx.enable_mfa_device(device.serial_number, None, NOW)
        key = tx.create_access_key(ACCOUNT, None)
        account = tx.get_account(ACCOUNT)
        assert account is not None
    report_iam("GenerateCredentialReport")
    _, rows = _report(report_iam)
    root = rows[0]
    assert root == {
        "user": "<root_account>",
        "arn": f"arn:aws:iam::{ACCOUNT}:root",
        "user_creation_time": _iso(account.created),
        # "The value for the AWS account root user is always not_supported" (password_enabled,
        # and the same for password_last_changed and password_next_rotation).
        "password_enabled": "not_supported",
        # Not a root password set: "N/A (not applicable) when the user does not have a password".
        "password_last_used": "N/A",
        "password_last_changed": "not_supported",
        "password_next_rotation": "not_supported",
        "mfa_active": "true",
        "access_key_1_active": "true",
        "access_key_1_last_rotated": _iso(key.created),
        # "N/A ... The access key has never been used".
        "access_key_1_last_used_date": "N/A",
        "access_key_1_last_used_region": "N/A",
        "access_key_1_last_used_service": "N/A",
        "access_key_2_active": "false",
        "access_key_2_last_rotated": "N/A",
        "access_key_2_last_used_date": "N/A",
        "access_key_2_last_used_region": "N/A",
        "access_key_2_last_used_service": "N/A",
        "cert_1_active": "false",
        "cert_1_last_rotated": "N/A",
        "cert_2_active": "false",
        "cert_2_last_rotated": "N/A",
    }


def test_a_user_with_a_password_an_mfa_device_and_two_keys(report_iam: Iam) -> None:
    iam = report_iam
    iam("UpdateAccountPasswordPolicy", MinimumPasswordLength=8, MaxPasswordAge=90)
    created = iam("CreateUser", UserName="alice", Path="/staff/")["User"]
    iam("CreateLoginProfile", UserName="alice", Password=PASSWORD)
    first = iam("CreateAccessKey", UserName="alice")["AccessKey"]
    second = iam("CreateAccessKey", UserName="alice")["AccessKey"]
    iam("UpdateAccessKey", UserName="alice", AccessKeyId=second["AccessKeyId"], Status="Inactive")
    used = NOW - timedelta(minutes=30)
    with iam.store.transaction() as tx:
        tx.record_access_key_used(first["AccessKeyId"], used, "s3", "eu-west-1")
        user = tx.get_user(ACCOUNT, "alice")
        assert user is not None
        device = tx.create_mfa_device(ACCOUNT, "alice", Secret("JBSWY3DPEHPK3PXP"))
        tx.enable_mfa_device(device.serial_number, user.id, NOW)
    iam("CreateUser", UserName="bob")  # nothing at all
    iam("GenerateCredentialReport")
    _, rows = _report(iam)
    assert [row["user"] for row in rows] == ["<root_account>", "alice", "bob"]
    alice = rows[1]
    assert alice == {
        "user": "alice",
        "arn": f"arn:aws:iam::{ACCOUNT}:user/staff/alice",
        "user_creation_time": _iso(created["CreateDate"]),
        "password_enabled": "true",
        # Never used to sign in: "no_information".
        "password_last_used": "no_information",
        "password_last_changed": "2025-03-04T05:06:07+00:00",
        # A policy that requires rotation: when the user must set a new password (90 days on).
        "password_next_rotation": "2025-06-02T05:06:07+00:00",
        "mfa_active": "true",
        "access_key_1_active": "true",
        "access_key_1_last_rotated": _iso(first["CreateDate"]),
        "access_key_1_last_used_date": _iso(used),
        "access_key_1_last_used_region": "eu-west-1",
        "access_key_1_last_used_service": "s3",
        # An inactive key: FALSE ("When the user has a second access key and the second key's
        # status is Active, this value is TRUE. Otherwise it is FALSE"), still dated.
        "access_key_2_active": "false",
        "access_key_2_last_rotated": _iso(second["CreateDate"]),
        "access_key_2_last_used_date": "N/A",
        "access_key_2_last_used_region": "N/A",
        "access_key_2_last_used_service": "N/A",
        "cert_1_active": "false",
        "cert_1_last_rotated": "N/A",
        "cert_2_active": "false",
        "cert_2_last_rotated": "N/A",
    }
    bob = rows[2]
    # No password: "N/A (not applicable) when the user does not have a password".
    assert (bob["password_enabled"], bob["password_last_used"], bob["password_last_changed"]) == ("false", "N/A", "N/A")
    assert bob["password_next_rotation"] == "N/A"
    assert (bob["mfa_active"], bob["access_key_1_active"], bob["access_key_1_last_rotated"]) == (
        "false",
        "false",
        "N/A",
    )


def test_without_rotation_no_next_rotation(report_iam: Iam) -> None:
    report_iam("CreateUser", UserName="carol")
    report_iam("CreateLoginProfile", UserName="carol", Password=PASSWORD)
    report_iam("GenerateCredentialReport")
    _, rows = _report(report_iam)
    assert rows[1]["password_last_changed"] == "2025-03-04T05:06:07+00:00"
    assert rows[1]["password_next_rotation"] == "N/A"


def test_password_last_used_after_a_sign_in(report_iam: Iam) -> None:
    # password_last_used: "The date and time when the AWS account root user or IAM user's
    # password was last used to sign in to an AWS website" (a console sign-in here); User's
    # PasswordLastUsed, "returned only in the GetUser and ListUsers operations".
    user = report_iam("CreateUser", UserName="carol")["User"]
    report_iam("CreateLoginProfile", UserName="carol", Password=PASSWORD)
    assert "PasswordLastUsed" not in report_iam("GetUser", UserName="carol")["User"]
    signed_in = datetime(2025, 3, 5, 8, 0, 1, tzinfo=UTC)
    with report_iam.store.transaction() as tx:
        tx.record_password_used(ACCOUNT, user["UserId"], signed_in)
        tx.record_password_used(ACCOUNT, None, signed_in + timedelta(hours=1))
    assert report_iam("GetUser", UserName="carol")["User"]["PasswordLastUsed"] == signed_in
    assert report_iam("ListUsers")["Users"][0]["PasswordLastUsed"] == signed_in
    assert "PasswordLastUsed" not in report_iam("CreateUser", UserName="dan")["User"]
    report_iam("GenerateCredentialReport")
    _, rows = _report(report_iam)
    assert [row["password_last_used"] for row in rows] == [
        "2025-03-05T09:00:01+00:00",
        "2025-03-05T08:00:01+00:00",
        "N/A",
    ]


def test_a_report_is_a_snapshot_kept_four_hours(report_iam: Iam) -> None:
    iam = report_iam
    iam("GenerateCredentialReport")
    iam("CreateUser", UserName="late")
    _, rows = _report(iam)
    assert [row["user"] for row in rows] == ["<root_account>"]  # as it was when generated
    iam.now = NOW + timedelta(hours=4, seconds=1)
    # "If the most recent report for the account is older than four hours ... IAM generates
    # ... a new report"; until then GetCredentialReport finds the old one expired.
    with pytest.raises(errors.ReportExpired) as expired:
        iam("GetCredentialReport")
    assert expired.value.status == 410
    assert iam("GenerateCredentialReport")["State"] == "STARTED"
    out = iam("GetCredentialReport")
    assert out["GeneratedTime"] == iam.now.replace(microsecond=0)
    assert "\nlate,arn:aws:iam::111111111111:user/late," in out["Content"].decode()


def test_reports_are_per_account(report_iam: Iam) -> None:
    report_iam("GenerateCredentialReport")
    report_iam.caller = Caller(f"arn:aws:iam::{OTHER}:root", PrincipalKind.ROOT, OTHER)
    report_iam.account = OTHER
    with pytest.raises(errors.ReportNotPresent):
        report_iam("GetCredentialReport")
    assert report_iam("GenerateCredentialReport")["State"] == "STARTED"
    _, rows = _report(report_iam)
    assert rows[0]["arn"] == f"arn:aws:iam::{OTHER}:root"


def test_the_stored_report_is_the_csv_and_holds_no_secret(report_iam: Iam) -> None:
    # Kept in the store as generated, for every replica (nothing is sealed: AWS's columns
    # are names, ARNs, dates, flags, Regions and services, and no key id).
    iam = report_iam
    iam("CreateUser", UserName="alice")
    iam("CreateLoginProfile", UserName="alice", Password=PASSWORD)
    key = iam("CreateAccessKey", UserName="alice")["AccessKey"]
    iam("GenerateCredentialReport")
    content = iam("GetCredentialReport")["Content"]
    with iam.store.read() as tx:
        stored = tx.latest_generated_report(ACCOUNT, "credential-report")
    assert stored is not None and stored.payload.encode("utf-8") == content and stored.owner is None
    for secret in (key["SecretAccessKey"], key["AccessKeyId"], PASSWORD):
        assert secret not in stored.payload
    # A new report replaces the account's old one: only the latest is kept.
    iam.now = NOW + timedelta(hours=5)
    assert iam("GenerateCredentialReport")["State"] == "STARTED"
    with iam.store.transaction() as tx:
        assert tx.expire_generated_reports("credential-report", account_id=ACCOUNT, keep=1) == 0


# --- authorization ("Required permissions": iam:GenerateCredentialReport, iam:GetCredentialReport)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqlStore]:
    opened = open_store(sqlite_url(tmp_path / "db.sqlite"), [secrets.token_bytes(32)])
    allow = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "iam:GenerateCredentialReport", "Resource": "*"}],
    }
    with opened.transaction() as tx:
        tx.create_account(ACCOUNT, "auditors")
        auditor = tx.create_user(ACCOUNT, "auditor")
        tx.put_inline_policy(auditor.id, "generate-only", json.dumps(allow))
    try:
        yield opened
    finally:
        opened.close()


def _check(store: SqlStore, operation: str) -> None:
    """Authorize ``operation`` as the IAM user auditor, as the pipeline does."""
    spec = spec_for("iam", operation)
    assert spec is not None
    authorizer = Authorizer(PolicySource(ManagedPolicies()))
    with store.read() as tx:
        user = tx.get_user(ACCOUNT, "auditor")
        assert user is not None
        caller = Caller(user.arn, PrincipalKind.USER, ACCOUNT, unique_id=user.id, name="auditor")
        target = authorizer.resolve(tx, spec, {}, ACCOUNT, "auditor")
        authorizer.check(tx, caller, spec.action, target, identity_id=user.id)


def test_get_needs_iam_get_credential_report(store: SqlStore) -> None:
    _check(store, "GenerateCredentialReport")  # allowed by its policy
    with pytest.raises(errors.AccessDenied) as denied:
        _check(store, "GetCredentialReport")
    # "Troubleshoot access denied error messages" (IAM User Guide): who, which action, why.
    message = denied.value.message
    assert message.startswith(
        f"User: arn:aws:iam::{ACCOUNT}:user/auditor is not authorized to perform: iam:GetCredentialReport on resource:"
    )
    assert message.endswith("because no identity-based policy allows the iam:GetCredentialReport action")


def test_report_not_present_on_the_wire() -> None:
    # AWS's answer: {"Code": "ReportNotPresent", "Type": "Sender"}, HTTP 410, no Message
    # (recorded, LocalStack's tests/aws/services/iam/test_iam_credential_report.snapshot.json,
    # get-credential-report-without-generate-error); botocore parses it as such.
    from botocore.parsers import create_parser

    from iamsandbox.protocol.model import ServiceModels
    from iamsandbox.protocol.query import QueryProtocol

    protocol = QueryProtocol.for_service(ServiceModels(), "iam")
    status, body = protocol.serialize_error(errors.ReportNotPresent("kept for logs"), "req-1")
    parsed = create_parser("query").parse({"status_code": status, "headers": {}, "body": body}, None)
    assert status == 410
    assert parsed["Error"] == {"Type": "Sender", "Code": "ReportNotPresent"}
    assert b"kept for logs" not in body

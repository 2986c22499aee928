"""The credential report: GenerateCredentialReport and GetCredentialReport (IAM API
reference) and "Getting credential reports for your AWS account" (IAM User Guide).

The report is a CSV file, one row per IAM user of the account after a first row for the
root user (``<root_account>``), with the User Guide's 22 columns in its order. Booleans are
``true``/``false`` (the page writes TRUE/FALSE; AWS's reports are lower case), times are ISO
8601 in UTC to the second (``2017-06-10T02:35:07+00:00``), and a column that does not apply
holds ``N/A``; the root user's password_enabled, password_last_changed and
password_next_rotation hold ``not_supported``; a password never used holds
``no_information``. Lines end with "\\n",
the last one with nothing, as in AWS's reports quoted in public issue threads and test
fixtures (the User Guide does not say; unconfirmed by an AWS page).

"You can generate a credential report as often as once every four hours. When you request a
report, IAM first checks whether a report for the AWS account has been generated within the
past four hours. If so, the most recent report is downloaded. If the most recent report for
the account is older than four hours, or if there are no previous reports for the account,
IAM generates and downloads a new report" (User Guide). So GenerateCredentialReport makes a
new report only when there is none or the last one is more than four hours old, and answers
STARTED with the Description of the API reference's example; otherwise COMPLETE, without a
Description (as AWS answers a second call: prowler-cloud/prowler#272). AWS builds the report
in the background (INPROGRESS, and GetCredentialReport's ReportInProgress); here it is built
at once, so GetCredentialReport right after STARTED finds it. GetCredentialReport answers
ReportNotPresent (410) before any report, and ReportExpired (410) once the last report is
more than four hours old (the reading of ReportExpired "the most recent credential report has
expired" with the four-hour rule; unconfirmed by an AWS answer).

The report is a snapshot: it shows the credentials as they were when it was generated. It is
kept in the store (``generated_reports``, kind "credential-report", the CSV as generated),
the account's latest one only, so every replica answers GetCredentialReport for it. It holds
no secret (AWS's columns are names, ARNs, dates, flags, Regions and services; no key id), so
nothing is sealed.

Known gaps:
- password_last_used: sign-ins are the console's (``console/pages/signin.py``); a user (or
  root user) with a password who never signed in shows ``no_information``, one without a
  password ``N/A``.
"""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from ...errors import ReportExpired, ReportNotPresent
from ...store.interface import (
    AccessKey,
    GeneratedReport,
    LoginProfile,
    PasswordPolicy,
    ReportKind,
    SigningCertificate,
    Transaction,
)

if TYPE_CHECKING:
    from ..context import CallContext

# "Understanding the report format" (User Guide), in its order.
COLUMNS = (
    "user",
    "arn",
    "user_creation_time",
    "password_enabled",
    "password_last_used",
    "password_last_changed",
    "password_next_rotation",
    "mfa_active",
    "access_key_1_active",
    "access_key_1_last_rotated",
    "access_key_1_last_used_date",
    "access_key_1_last_used_region",
    "access_key_1_last_used_service",
    "access_key_2_active",
    "access_key_2_last_rotated",
    "access_key_2_last_used_date",
    "access_key_2_last_used_region",
    "access_key_2_last_used_service",
    "cert_1_active",
    "cert_1_last_rotated",
    "cert_2_active",
    "cert_2_last_rotated",
)
ROOT_USER = "<root_account>"
NOT_APPLICABLE = "N/A"
NOT_SUPPORTED = "not_supported"
NO_INFORMATION = "no_information"
REPORT_FORMAT = "text/csv"
KIND: ReportKind = "credential-report"
# A report is reused for four hours ("as often as once every four hours", User Guide).
REUSE_FOR = timedelta(hours=4)
# GenerateCredentialReport's example answer (IAM API reference).
STARTED_DESCRIPTION = "No report exists. Starting a new report generation task"
# AWS's answers carry no Message (botocore prints "Unknown": prowler-cloud/prowler#272,
# turbot/steampipe-plugin-aws#509; recorded for ReportNotPresent, errors.ReportNotPresent):
# these are the errors' descriptions in the API reference (GetCredentialReport, Errors),
# kept for logs and the console. ReportExpired's answer is sent with its message (unrecorded).
NOT_PRESENT_MESSAGE = (
    "The request was rejected because the credential report does not exist. To generate a credential report,"
    " use GenerateCredentialReport."
)
EXPIRED_MESSAGE = (
    "The request was rejected because the most recent credential report has expired. To generate a new"
    " credential report, use GenerateCredentialReport."
)


@dataclass(frozen=True)
class Report:
    generated: datetime
    content: bytes  # the CSV, UTF-8

    def __repr__(self) -> str:
        return f"Report({self.generated.isoformat()}, {len(self.content)} bytes)"

    def fresh(self, now: datetime) -> bool:
        """Within its four hours (a clock that went back keeps it fresh)."""
        return now - self.generated <= REUSE_FOR


def latest(tx: Transaction, account_id: str) -> Report | None:
    """The account's latest report, generated through any replica."""
    found = tx.latest_generated_report(account_id, KIND)
    return Report(found.created, found.payload.encode("utf-8")) if found is not None else None


def keep(tx: Transaction, account_id: str, report: Report) -> None:
    """Store ``report`` as the account's, in place of the one before it (only the latest is
    ever read)."""
    tx.expire_generated_reports(KIND, account_id=account_id, keep=0)
    content = report.content.decode("utf-8")
    tx.add_generated_report(GeneratedReport(str(uuid.uuid4()), account_id, KIND, None, report.generated, content))


# --- the operations ---------------------------------------------------------------------


def generate_credential_report(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    # INVARIANT: a write unit (the operation is no Get or List), which holds the store's
    # write lock from its start on every backend (``store/sql.py``): no other call, through
    # any replica, makes a report between this check and the ``keep`` below.
    current = latest(ctx.tx, ctx.account_id)
    if current is not None and current.fresh(ctx.now):
        return {"State": "COMPLETE"}
    generated = ctx.now.astimezone(UTC).replace(microsecond=0)
    keep(ctx.tx, ctx.account_id, Report(generated, build_report(ctx)))
    # Unconfirmed: the Description AWS gives when it replaces a report older than four hours.
    return {"State": "STARTED", "Description": STARTED_DESCRIPTION}


def get_credential_report(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    report = latest(ctx.tx, ctx.account_id)
    if report is None:
        raise ReportNotPresent(NOT_PRESENT_MESSAGE)
    if not report.fresh(ctx.now):
        raise ReportExpired(EXPIRED_MESSAGE)
    return {"Content": report.content, "ReportFormat": REPORT_FORMAT, "GeneratedTime": report.generated}


# --- the CSV ------------------------------------------------------------------------------


def build_report(ctx: CallContext) -> bytes:
    """The report of the caller's account as it is now: the root row, then each user."""
    tx = ctx.tx
    account_id = ctx.account_id
    account = tx.get_account(account_id)
    policy = tx.get_password_policy(account_id)
    devices = tx.list_mfa_devices(account_id)
    mfa_users = {d.user_id for d in devices if d.enabled is not None}  # None: the root user
    used = tx.passwords_last_used(account_id)  # None: the root user
    rows: list[list[str]] = []

    root_password = account is not None and account.root_password_hash is not None
    rows.append(
        [
            ROOT_USER,
            f"arn:aws:iam::{account_id}:root",
            _time(account.created) if account is not None else NOT_APPLICABLE,
            NOT_SUPPORTED,  # password_enabled: "always not_supported" for the root user
            _last_used(used.get(None), root_password),
            NOT_SUPPORTED,  # password_last_changed
            NOT_SUPPORTED,  # password_next_rotation
            _flag(None in mfa_users),
            *_key_columns(tx.list_access_keys(account_id, None)),
            *_cert_columns(tx.list_signing_certificates(account_id, None)),
        ]
    )
    for user in tx.list_users(account_id):
        profile = tx.get_login_profile(user.id)
        rows.append(
            [
                user.name,
                user.arn,
                _time(user.created),
                _flag(profile is not None),
                _last_used(used.get(user.id), profile is not None),
                _password_changed(profile),
                _next_rotation(profile, policy),
                _flag(user.id in mfa_users),
                *_key_columns(tx.list_access_keys(account_id, user.id)),
                *_cert_columns(tx.list_signing_certificates(account_id, user.id)),
            ]
        )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return out.getvalue().removesuffix("\n").encode("utf-8")


def _time(when: datetime) -> str:
    return when.astimezone(UTC).replace(microsecond=0).isoformat()


def _last_used(when: datetime | None, has_password: bool) -> str:
    """password_last_used: "The date and time when the AWS account root user or IAM user's
    password was last used to sign in to an AWS website"; no_information for a password
    never used, N/A without one ("Get credential reports for your AWS account")."""
    if when is not None:
        return _time(when)
    return NO_INFORMATION if has_password else NOT_APPLICABLE


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _changed(profile: LoginProfile) -> datetime | None:
    return profile.password_changed or profile.created


def _password_changed(profile: LoginProfile | None) -> str:
    """When the password was last set; N/A without a password."""
    changed = _changed(profile) if profile is not None else None
    return _time(changed) if changed is not None else NOT_APPLICABLE


def _next_rotation(profile: LoginProfile | None, policy: PasswordPolicy | None) -> str:
    """ "When the account has a password policy that requires password rotation, this field
    contains the date and time ... when the user is required to set a new password" (User
    Guide): the password's date plus MaxPasswordAge days, as the sign-in's expiry counts it;
    N/A without a password or without rotation."""
    if profile is None or policy is None or not policy.max_password_age:
        return NOT_APPLICABLE
    changed = _changed(profile)
    if changed is None:
        return NOT_APPLICABLE
    return _time(changed + timedelta(days=policy.max_password_age))


def _key_columns(keys: list[AccessKey]) -> list[str]:
    """access_key_1_* and access_key_2_*: the keys in the order they were created. A key's
    last_rotated is its creation, whatever its status (AWS's reports date inactive keys too);
    a key never used has N/A for its last use."""
    out: list[str] = []
    ordered = sorted(keys, key=lambda key: key.created)
    for slot in range(2):
        if slot >= len(ordered):
            out.extend(["false", NOT_APPLICABLE, NOT_APPLICABLE, NOT_APPLICABLE, NOT_APPLICABLE])
            continue
        key = ordered[slot]
        out.extend(
            [
                _flag(key.status == "Active"),
                _time(key.created),
                _time(key.last_used) if key.last_used is not None else NOT_APPLICABLE,
                key.last_used_region or NOT_APPLICABLE,
                key.last_used_service or NOT_APPLICABLE,
            ]
        )
    return out


def _cert_columns(certificates: list[SigningCertificate]) -> list[str]:
    """cert_1_* and cert_2_*: the signing certificates in the order they were uploaded;
    cert_N_active "when the user has an X.509 signing certificate and that certificate is
    active", cert_N_last_rotated "when the user's signing certificate was created or last
    changed" (User Guide): here its upload; N/A without one."""
    out: list[str] = []
    ordered = sorted(certificates, key=lambda found: found.uploaded)
    for slot in range(2):
        if slot >= len(ordered):
            out.extend(["false", NOT_APPLICABLE])
            continue
        out.extend([_flag(ordered[slot].status == "Active"), _time(ordered[slot].uploaded)])
    return out

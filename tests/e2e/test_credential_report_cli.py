"""The credential report with the AWS CLI against a real server, as the IAM User Guide's
"Getting credential reports for your AWS account" runs it: ``aws iam
generate-credential-report``, then ``aws iam get-credential-report`` whose Content
(base64, GetCredentialReport in the IAM API reference) decodes to the CSV report.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
from pathlib import Path

from e2e_harness import A, Server, _client, aws_cli

HEADER = (
    "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,"
    "password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,"
    "access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,"
    "access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,"
    "access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,"
    "cert_2_active,cert_2_last_rotated"
)


def test_aws_cli_generate_and_get_credential_report(server: Server, tmp_path: Path) -> None:
    root = server.create_account(A)
    iam = _client(server, "iam", root)
    iam.create_user(UserName="alice")
    iam.create_login_profile(UserName="alice", Password="Correct-Horse-7-Battery")
    iam.create_access_key(UserName="alice")

    before = aws_cli(server, tmp_path, root, "iam", "get-credential-report")
    assert before.returncode != 0
    assert "(ReportNotPresent) when calling the GetCredentialReport operation" in before.stderr

    first = aws_cli(server, tmp_path, root, "iam", "generate-credential-report")
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout) == {
        "State": "STARTED",
        "Description": "No report exists. Starting a new report generation task",
    }
    again = aws_cli(server, tmp_path, root, "iam", "generate-credential-report")
    assert json.loads(again.stdout) == {"State": "COMPLETE"}

    got = aws_cli(server, tmp_path, root, "iam", "get-credential-report", "--query", "Content", "--output", "text")
    assert got.returncode == 0, got.stderr
    decoded = subprocess.run(["base64", "-d"], input=got.stdout, capture_output=True, text=True, check=True)
    text = decoded.stdout
    assert text.split("\n")[0] == HEADER
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["user"] for row in rows] == ["<root_account>", "alice"]
    root_row, alice = rows
    assert root_row["arn"] == f"arn:aws:iam::{A}:root"
    assert root_row["password_enabled"] == "not_supported"
    # The root keys signed the calls above: dated, with the service's namespace.
    assert root_row["access_key_1_active"] == "true"
    assert root_row["access_key_1_last_used_service"] == "iam"
    assert root_row["access_key_1_last_used_date"] != "N/A"
    assert alice["arn"] == f"arn:aws:iam::{A}:user/alice"
    assert (alice["password_enabled"], alice["password_last_used"]) == ("true", "no_information")
    assert (alice["access_key_1_active"], alice["access_key_1_last_used_date"]) == ("true", "N/A")

    meta = aws_cli(server, tmp_path, root, "iam", "get-credential-report", "--query", "[ReportFormat,GeneratedTime]")
    report_format, generated = json.loads(meta.stdout)
    assert report_format == "text/csv"
    assert generated.endswith("Z") or generated.endswith("+00:00")

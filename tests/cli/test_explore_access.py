"""``iamsandbox explore-access`` on the reference workflow (``iamsandbox demo``): the trusted
account's user reads the trusting account's object through the role and may not write it
("Cross-account policy evaluation logic", IAM User Guide; DESIGN.md's reference workflow);
the role's trust policy lets that user assume it; the root users may not ("You cannot use AWS
account root user credentials to call AssumeRole", AssumeRole, STS API Reference)."""

from __future__ import annotations

import json
from pathlib import Path

from cli_harness import Run

ROLE = "arn:aws:iam::111111111111:role/my-s3-x-account-role"
OBJECT = "arn:aws:s3:::my-shared-bucket-111111111111/hello.txt"
ALICE = "arn:aws:iam::222222222222:user/alice"


def _demo(run_cli: Run, tmp_path: Path) -> str:
    data = str(tmp_path / "data")
    assert run_cli("demo", "--data", data).returncode == 0
    return data


def test_who_reads_and_who_writes_the_object(run_cli: Run, tmp_path: Path) -> None:
    data = _demo(run_cli, tmp_path)
    read = run_cli("explore-access", "--data", data, "--resource", OBJECT, "--json")
    assert read.returncode == 0, read.stderr
    out = json.loads(read.stdout)
    assert out["Action"] == "s3:GetObject"  # the default for an object
    by_principal = {p["Principal"]: p for p in out["Principals"]}
    assert by_principal[ALICE]["Access"] == "Allowed"
    assert by_principal[ALICE]["Via"] == [ROLE]
    assert by_principal[ROLE]["Statements"][0]["PolicyId"] == "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
    write = run_cli("explore-access", "--data", data, "--resource", OBJECT, "--action", "s3:PutObject", "--all")
    assert write.returncode == 0, write.stderr
    allowed, _, denied = write.stdout.partition("\nDenied:\n")
    assert ALICE not in allowed and ALICE in denied
    assert "because no identity-based policy allows the s3:PutObject action" in denied


def test_who_can_assume_the_role(run_cli: Run, tmp_path: Path) -> None:
    data = _demo(run_cli, tmp_path)
    done = run_cli("explore-access", "--data", data, "--resource", ROLE, "--all")
    assert done.returncode == 0, done.stderr
    allowed, _, denied = done.stdout.partition("\nDenied:\n")
    assert "Who can do sts:AssumeRole on " + ROLE in allowed
    assert f"{ALICE} (IAM user)" in allowed
    assert "arn:aws:iam::222222222222:root (Root user)\n    Roles may not be assumed by root accounts." in denied


def test_bad_arguments(run_cli: Run, tmp_path: Path) -> None:
    data = _demo(run_cli, tmp_path)
    no_action = run_cli("explore-access", "--data", data, "--resource", "arn:aws:iam::111111111111:user/x")
    assert no_action.returncode == 2 and "give --action" in no_action.stderr
    bad = run_cli("explore-access", "--data", data, "--resource", ROLE, "--action", "not an action")
    assert bad.returncode == 2 and "--action must be service:Action" in bad.stderr
    unknown = run_cli("explore-access", "--data", data, "--resource", ROLE, "--account", "333333333333")
    assert unknown.returncode == 1 and "no account 333333333333" in unknown.stderr

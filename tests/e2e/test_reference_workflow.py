"""The reference workflow of DESIGN.md against a real server, with boto3 and the AWS CLI.

Account A (111111111111, trusting) has the role my-s3-x-account-role, which trusts
account B and has AmazonS3ReadOnlyAccess; account B (222222222222, trusted) has a user
with the customer managed policy my-s3-x-account-policy allowing sts:AssumeRole on it.
The user assumes the role and reads A's bucket, and is denied a write ("Tutorial:
Delegate access across AWS accounts using IAM roles"; "Cross-account policy evaluation
logic").
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from botocore.exceptions import ClientError
from e2e_harness import ROLE, ROLE_ARN, A, B, Server, _client, _set_up


def test_assume_role_read_and_denied_write_with_boto3(server: Server) -> None:
    alice = _set_up(server)
    sts = _client(server, "sts", alice)
    assert sts.get_caller_identity()["Arn"] == f"arn:aws:iam::{B}:user/alice"
    credentials = sts.assume_role(RoleArn=ROLE_ARN, RoleSessionName="alice")["Credentials"]
    session_keys = {"AccessKeyId": credentials["AccessKeyId"], "SecretAccessKey": credentials["SecretAccessKey"]}
    assert credentials["AccessKeyId"].startswith("ASIA")
    as_role = _client(server, "sts", session_keys, credentials["SessionToken"])
    assert as_role.get_caller_identity()["Arn"] == f"arn:aws:sts::{A}:assumed-role/{ROLE}/alice"

    s3 = _client(server, "s3", session_keys, credentials["SessionToken"])
    assert [o["Key"] for o in s3.list_objects_v2(Bucket="shared-bucket")["Contents"]] == ["report.csv"]
    assert s3.get_object(Bucket="shared-bucket", Key="report.csv")["Body"].read() == b"a,b\n1,2\n"
    with pytest.raises(ClientError) as denied:
        s3.put_object(Bucket="shared-bucket", Key="new.csv", Body=b"x")
    error = denied.value.response["Error"]
    assert error["Code"] == "AccessDenied"
    assert error["Message"] == (
        f"User: arn:aws:sts::{A}:assumed-role/{ROLE}/alice is not authorized to perform: s3:PutObject on "
        'resource: "arn:aws:s3:::shared-bucket/new.csv" because no identity-based policy allows the s3:PutObject action'
    )


def test_denials_with_boto3(server: Server) -> None:
    keys = _set_up(server)
    bob = _client(server, "sts", {"AccessKeyId": keys["BobKeyId"], "SecretAccessKey": keys["BobSecret"]})
    with pytest.raises(ClientError) as no_policy:
        bob.assume_role(RoleArn=ROLE_ARN, RoleSessionName="bob")
    assert no_policy.value.response["Error"]["Code"] == "AccessDenied"
    assert no_policy.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403

    alice = _client(server, "sts", keys)
    with pytest.raises(ClientError) as too_long:  # the role's MaxSessionDuration is 3600
        alice.assume_role(RoleArn=ROLE_ARN, RoleSessionName="alice", DurationSeconds=7200)
    assert too_long.value.response["Error"]["Code"] == "ValidationError"

    tampered = _client(server, "sts", {"AccessKeyId": keys["AccessKeyId"], "SecretAccessKey": "x" * 40})
    with pytest.raises(ClientError) as bad_signature:
        tampered.get_caller_identity()
    assert bad_signature.value.response["Error"]["Code"] == "SignatureDoesNotMatch"

    unknown = _client(server, "sts", {"AccessKeyId": "AKIAIOSFODNN7EXAMPLE", "SecretAccessKey": "x" * 40})
    with pytest.raises(ClientError) as unknown_key:
        unknown.get_caller_identity()
    assert unknown_key.value.response["Error"]["Code"] == "InvalidClientTokenId"


def test_aws_cli_role_profile(server: Server, tmp_path: Path) -> None:
    """The AWS CLI's own role assumption: a profile with role_arn and source_profile."""
    keys = _set_up(server)
    (tmp_path / "credentials").write_text(
        f"[alice]\naws_access_key_id = {keys['AccessKeyId']}\naws_secret_access_key = {keys['SecretAccessKey']}\n"
    )
    (tmp_path / "config").write_text(
        "[profile alice]\nregion = us-east-1\n\n"
        f"[profile x-account]\nrole_arn = {ROLE_ARN}\nsource_profile = alice\nregion = us-east-1\n"
    )
    env = {
        **os.environ,
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "credentials"),
        "AWS_CONFIG_FILE": str(tmp_path / "config"),
        "AWS_ENDPOINT_URL": server.url,
        # The CLI caches assumed-role credentials under ~/.aws/cli/cache, keyed by the
        # role: a fresh HOME keeps another run's (another server's) credentials out.
        "HOME": str(tmp_path),
    }
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        env.pop(name, None)
    aws = str(Path(sys.executable).parent / "aws")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([aws, *args], capture_output=True, text=True, env=env, timeout=120, check=False)

    identity = run("sts", "get-caller-identity", "--profile", "x-account", "--output", "json")
    assert identity.returncode == 0, identity.stderr
    assert json.loads(identity.stdout)["Arn"].startswith(f"arn:aws:sts::{A}:assumed-role/{ROLE}/")
    listing = run("s3", "ls", "s3://shared-bucket", "--profile", "x-account")
    assert listing.returncode == 0, listing.stderr
    assert "report.csv" in listing.stdout
    upload = run("s3", "cp", str(tmp_path / "config"), "s3://shared-bucket/config", "--profile", "x-account")
    assert upload.returncode != 0 and "AccessDenied" in upload.stderr

"""PutBucketPolicy's refusals of actions and principals, against a real server: boto3 and
``aws s3api put-bucket-policy``.

AWS: MalformedPolicy (400) "Policy has invalid action" for an action S3 does not have
(the wording as versitygw/versitygw#650 and #1325 quote S3; no AWS recording found), and
"Invalid principal in policy" for a user or role that does not exist (re:Post Knowledge
Center, "Why am I getting the error 'Invalid principal in policy' when I try to update my
Amazon S3 bucket policy?": "confirm that the user or role wasn't deleted"). Nothing is
stored on refusal. More cases: tests/services/s3/test_s3_bucket_policy_validation.py.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from botocore.exceptions import ClientError
from e2e_harness import A, B, Server, _client, aws_cli

BUCKET = "validated-policy"


def _policy(action: str, principal: str) -> str:
    statement = {
        "Effect": "Allow",
        "Principal": {"AWS": principal},
        "Action": action,
        "Resource": f"arn:aws:s3:::{BUCKET}/*",
    }
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def test_boto3_put_bucket_policy_refusals(server: Server) -> None:
    root_a, root_b = server.create_account(A), server.create_account(B)
    _client(server, "iam", root_b).create_user(UserName="reader")
    s3 = _client(server, "s3", root_a)
    s3.create_bucket(Bucket=BUCKET)
    reader = f"arn:aws:iam::{B}:user/reader"

    for action, principal, message in (
        ("s3:NotAThing", reader, "Policy has invalid action"),
        ("ec2:DescribeInstances", reader, "Policy has invalid action"),  # unconfirmed (see the unit tests)
        ("s3:GetObject", f"arn:aws:iam::{B}:user/nosuchuser", "Invalid principal in policy"),
        ("s3:GetObject", f"arn:aws:iam::{B}:role/nosuchrole", "Invalid principal in policy"),
        ("s3:GetObject", "12345", "Invalid principal in policy"),
    ):
        with pytest.raises(ClientError) as refused:
            s3.put_bucket_policy(Bucket=BUCKET, Policy=_policy(action, principal))
        error = refused.value.response["Error"]
        assert (error["Code"], error["Message"]) == ("MalformedPolicy", message), (action, principal)
        assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
        with pytest.raises(ClientError) as none:
            s3.get_bucket_policy(Bucket=BUCKET)
        assert none.value.response["Error"]["Code"] == "NoSuchBucketPolicy"

    good = _policy("s3:Get*", reader)
    s3.put_bucket_policy(Bucket=BUCKET, Policy=good)
    with pytest.raises(ClientError):
        s3.put_bucket_policy(Bucket=BUCKET, Policy=_policy("s3:NotAThing", reader))
    assert json.loads(s3.get_bucket_policy(Bucket=BUCKET)["Policy"]) == json.loads(good)


def test_aws_cli_put_bucket_policy_refusals(server: Server, tmp_path: Path) -> None:
    root_a, root_b = server.create_account(A), server.create_account(B)
    _client(server, "iam", root_b).create_role(
        RoleName="auditor",
        AssumeRolePolicyDocument=json.dumps(
            {"Statement": [{"Effect": "Allow", "Principal": {"AWS": B}, "Action": "sts:AssumeRole"}]}
        ),
    )
    _client(server, "s3", root_a).create_bucket(Bucket=BUCKET)

    def put(action: str, principal: str) -> subprocess.CompletedProcess[str]:
        path = tmp_path / "policy.json"
        path.write_text(_policy(action, principal))
        return aws_cli(
            server, tmp_path, root_a, "s3api", "put-bucket-policy", "--bucket", BUCKET, "--policy", f"file://{path}"
        )

    refused = put("s3:NotAThing", f"arn:aws:iam::{B}:role/auditor")
    assert refused.returncode != 0
    assert (
        "An error occurred (MalformedPolicy) when calling the PutBucketPolicy operation: Policy has invalid action"
        in refused.stderr
    )
    refused = put("s3:GetObject", f"arn:aws:iam::{B}:user/nosuchuser")
    assert refused.returncode != 0
    assert (
        "An error occurred (MalformedPolicy) when calling the PutBucketPolicy operation: Invalid principal in policy"
        in refused.stderr
    )
    missing = aws_cli(server, tmp_path, root_a, "s3api", "get-bucket-policy", "--bucket", BUCKET)
    assert "NoSuchBucketPolicy" in missing.stderr

    accepted = put("s3:GetObject", f"arn:aws:iam::{B}:role/auditor")
    assert accepted.returncode == 0, accepted.stderr
    got = aws_cli(server, tmp_path, root_a, "s3api", "get-bucket-policy", "--bucket", BUCKET, "--output", "json")
    assert got.returncode == 0, got.stderr
    assert json.loads(json.loads(got.stdout)["Policy"])["Statement"][0]["Principal"] == {
        "AWS": f"arn:aws:iam::{B}:role/auditor"
    }

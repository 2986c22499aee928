"""The policy simulator against a real server, with boto3 and the AWS CLI.

Sources: the IAM API reference for SimulatePrincipalPolicy, SimulateCustomPolicy,
GetContextKeysForPrincipalPolicy, GetContextKeysForCustomPolicy and EvaluationResult
(https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulatePrincipalPolicy.html, ...);
"Testing IAM policies with the IAM policy simulator"
(https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_testing-policies.html); the
awscli examples of ``aws iam simulate-principal-policy`` and
``aws iam get-context-keys-for-custom-policy``.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from e2e_harness import BIN, A, B, Server, _client, aws_cli

S3_READ = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
ALICE = f"arn:aws:iam::{A}:user/alice"


def _policy(action: str, resource: str = "*", **extra: Any) -> str:
    statement = {"Effect": "Allow", "Action": action, "Resource": resource, **extra}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def _alice(server: Server) -> Any:
    """Account A's root IAM client, and alice in A with AmazonS3ReadOnlyAccess (the role
    policy of the reference workflow)."""
    iam = _client(server, "iam", server.create_account(A))
    iam.create_user(UserName="alice")
    iam.attach_user_policy(UserName="alice", PolicyArn=S3_READ)
    return iam


def test_simulate_principal_policy_with_boto3(server: Server) -> None:
    """AmazonS3ReadOnlyAccess reads and lists S3 and may not write; one EvaluationResult per
    action, each resource's own decision under ResourceSpecificResults (EvaluationResult)."""
    iam = _alice(server)
    resources = ["arn:aws:s3:::shared-bucket", "arn:aws:s3:::shared-bucket/report.csv"]
    response = iam.simulate_principal_policy(
        PolicySourceArn=ALICE, ActionNames=["s3:GetObject", "s3:ListBucket", "s3:PutObject"], ResourceArns=resources
    )
    results = {r["EvalActionName"]: r for r in response["EvaluationResults"]}
    assert {name: r["EvalDecision"] for name, r in results.items()} == {
        "s3:GetObject": "allowed",
        "s3:ListBucket": "allowed",
        "s3:PutObject": "implicitDeny",
    }
    get = results["s3:GetObject"]
    assert [r["EvalResourceName"] for r in get["ResourceSpecificResults"]] == resources
    assert get["MatchedStatements"][0]["SourcePolicyId"] == "AmazonS3ReadOnlyAccess"
    assert get["MatchedStatements"][0]["SourcePolicyType"] == "IAM Policy"
    assert get["EvalDecisionDetails"] == {}  # "present but the response is empty" within one account
    assert response["IsTruncated"] is False

    # The paginator (MaxItems and Marker) gathers one result per action.
    pages = iam.get_paginator("simulate_principal_policy").paginate(
        PolicySourceArn=ALICE,
        ActionNames=["s3:GetObject", "s3:ListBucket", "s3:PutObject"],
        PaginationConfig={"PageSize": 1},
    )
    assert [r["EvalActionName"] for page in pages for r in page["EvaluationResults"]] == [
        "s3:GetObject",
        "s3:ListBucket",
        "s3:PutObject",
    ]


def test_simulate_custom_policy_cross_account_with_boto3(server: Server) -> None:
    """A caller in B, a bucket of A whose policy names B: both sides must allow, and
    EvalDecisionDetails says how each decided ("populated for only cross-account simulations")."""
    iam = _client(server, "iam", server.create_account(A))
    bucket_policy = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{B}:root"},
                    "Action": "s3:GetObject",
                    "Resource": "arn:aws:s3:::shared-bucket/*",
                }
            ],
        }
    )
    response = iam.simulate_custom_policy(
        PolicyInputList=[_policy("s3:*")],
        ActionNames=["s3:GetObject", "s3:PutObject"],
        ResourceArns=["arn:aws:s3:::shared-bucket/report.csv"],
        ResourcePolicy=bucket_policy,
        ResourceOwner=f"arn:aws:iam::{A}:root",
        CallerArn=f"arn:aws:iam::{B}:user/alice",
        ContextEntries=[{"ContextKeyName": "aws:SourceIp", "ContextKeyValues": ["10.0.0.1"], "ContextKeyType": "ip"}],
    )
    get, put = response["EvaluationResults"]
    assert get["EvalDecision"] == "allowed"
    assert get["EvalDecisionDetails"] == {"IAM Policy": "allowed", "Resource Policy": "allowed"}
    assert put["EvalDecision"] == "implicitDeny"
    assert put["EvalDecisionDetails"] == {"IAM Policy": "allowed", "Resource Policy": "implicitDeny"}


def test_exclusions_and_scps_with_boto3(server: Server) -> None:
    """PolicyExclusionList (PolicyIdentifier, a union of PolicyType, PolicyArn and
    InlinePolicyIdentifier) and OrderedOrganizationPolicyInputList through the protocol: an
    excluded attachment no longer allows; an SCP deny is explicitDeny with no matched
    statement and AllowedByOrganizations false (EvaluationResult, OrganizationsDecisionDetail)."""
    iam = _alice(server)
    iam.put_user_policy(UserName="alice", PolicyName="lists", PolicyDocument=_policy("s3:ListBucket"))
    excluded = iam.simulate_principal_policy(
        PolicySourceArn=ALICE,
        ActionNames=["s3:GetObject", "s3:ListBucket"],
        PolicyExclusionList=[
            {"PolicyArn": "arn:aws:iam::aws:policy/AmazonS3Read*"},
            {"InlinePolicyIdentifier": {"PolicyName": "lists", "AttachmentType": "user", "AttachmentName": "alice"}},
        ],
    )["EvaluationResults"]
    assert [r["EvalDecision"] for r in excluded] == ["implicitDeny", "implicitDeny"]
    full = _policy("*")
    deny = json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"}]}
    )
    get, delete = iam.simulate_custom_policy(
        PolicyInputList=[full],
        ActionNames=["s3:GetObject", "s3:DeleteObject"],
        OrderedOrganizationPolicyInputList=[
            {"ServiceControlPolicyInputList": [full]},
            {"ServiceControlPolicyInputList": [full, deny]},
        ],
    )["EvaluationResults"]
    assert (get["EvalDecision"], get["OrganizationsDecisionDetail"]) == ("allowed", {"AllowedByOrganizations": True})
    assert (delete["EvalDecision"], delete["MatchedStatements"]) == ("explicitDeny", [])
    assert delete["OrganizationsDecisionDetail"] == {"AllowedByOrganizations": False}


def test_context_keys_with_boto3(server: Server) -> None:
    """awscli's get-context-keys-for-custom-policy example: ["aws:username", "aws:CurrentTime"]."""
    iam = _alice(server)
    policy = _policy(
        "dynamodb:*",
        "arn:aws:dynamodb:us-west-2:123456789012:table/${aws:username}",
        Condition={"DateGreaterThan": {"aws:CurrentTime": "2015-08-16T12:00:00Z"}},
    )
    assert iam.get_context_keys_for_custom_policy(PolicyInputList=[policy])["ContextKeyNames"] == [
        "aws:username",
        "aws:CurrentTime",
    ]
    iam.put_user_policy(UserName="alice", PolicyName="tables", PolicyDocument=policy)
    keys = iam.get_context_keys_for_principal_policy(PolicySourceArn=ALICE)["ContextKeyNames"]
    assert keys == ["aws:username", "aws:CurrentTime"]  # AmazonS3ReadOnlyAccess has no condition


def test_errors_and_authorization_with_boto3(server: Server) -> None:
    """NoSuchEntity (404) for an unknown PolicySourceArn, InvalidInput (400) for a malformed
    policy; the caller needs iam:SimulatePrincipalPolicy on the simulated user ("Actions,
    resources, and condition keys for AWS Identity and Access Management")."""
    iam = _alice(server)
    with pytest.raises(ClientError) as unknown:
        iam.simulate_principal_policy(PolicySourceArn=f"arn:aws:iam::{A}:user/nobody", ActionNames=["s3:GetObject"])
    assert unknown.value.response["Error"]["Code"] == "NoSuchEntity"
    assert unknown.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    with pytest.raises(ClientError) as malformed:
        iam.simulate_custom_policy(PolicyInputList=["{"], ActionNames=["s3:GetObject"])
    assert malformed.value.response["Error"] == {
        "Type": "Sender",
        "Code": "InvalidInput",
        "Message": "Syntax errors in policy.",
    }
    assert malformed.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400

    iam.create_user(UserName="bob")
    key = iam.create_access_key(UserName="bob")["AccessKey"]
    bob = _client(server, "iam", key)
    with pytest.raises(ClientError) as denied:
        bob.simulate_principal_policy(PolicySourceArn=ALICE, ActionNames=["s3:GetObject"])
    assert denied.value.response["Error"]["Code"] == "AccessDenied"
    assert denied.value.response["Error"]["Message"] == (
        f"User: arn:aws:iam::{A}:user/bob is not authorized to perform: iam:SimulatePrincipalPolicy on resource: "
        f"{ALICE} because no identity-based policy allows the iam:SimulatePrincipalPolicy action"
    )
    iam.put_user_policy(UserName="bob", PolicyName="simulate", PolicyDocument=_policy("iam:SimulatePrincipalPolicy"))
    (result,) = bob.simulate_principal_policy(PolicySourceArn=ALICE, ActionNames=["s3:GetObject"])["EvaluationResults"]
    assert result["EvalDecision"] == "allowed"


def test_aws_cli_simulate_principal_policy(server: Server, tmp_path: Path) -> None:
    """``aws iam simulate-principal-policy`` as in awscli's example: the CLI paginates the
    operation and prints EvaluationResults."""
    root = server.create_account(A)
    iam = _client(server, "iam", root)
    iam.create_user(UserName="alejandro")
    iam.put_user_policy(UserName="alejandro", PolicyName="repos", PolicyDocument=_policy("codecommit:ListRepositories"))
    source = f"arn:aws:iam::{A}:user/alejandro"
    done = aws_cli(
        server,
        tmp_path,
        root,
        "iam",
        "simulate-principal-policy",
        "--policy-source-arn",
        source,
        "--action-names",
        "codecommit:ListRepositories",
        "codecommit:DeleteRepository",
        "--output",
        "json",
    )
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)["EvaluationResults"]
    assert [(r["EvalActionName"], r["EvalDecision"]) for r in results] == [
        ("codecommit:ListRepositories", "allowed"),
        ("codecommit:DeleteRepository", "implicitDeny"),
    ]
    assert results[0]["EvalResourceName"] == "*"  # no ARN format for the action (EvaluationResult)
    assert results[0]["MatchedStatements"][0]["SourcePolicyId"] == "user_alejandro_repos"

    keys = aws_cli(
        server, tmp_path, root, "iam", "get-context-keys-for-principal-policy", "--policy-source-arn", source
    )
    assert keys.returncode == 0, keys.stderr
    assert json.loads(keys.stdout) == {"ContextKeyNames": []}

    missing = aws_cli(
        server,
        tmp_path,
        root,
        "iam",
        "simulate-principal-policy",
        "--policy-source-arn",
        f"arn:aws:iam::{A}:user/nobody",
        "--action-names",
        "s3:GetObject",
    )
    assert missing.returncode != 0
    assert "An error occurred (NoSuchEntity) when calling the SimulatePrincipalPolicy operation" in missing.stderr


def test_the_offline_command_prints_what_the_aws_cli_prints_from_the_server(server: Server, tmp_path: Path) -> None:
    """``iamsandbox simulate-custom-policy --cli-input-json`` answers as ``aws iam
    simulate-custom-policy --cli-input-json`` does against the server: one EvaluationResult
    per action, resources under ResourceSpecificResults (EvaluationResult, "Important"),
    with the same decisions; a script reading either gets the same answer (found by a review:
    the offline command printed one result per action and resource, whose top-level
    decisions differed)."""
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::good/*"},
            {"Effect": "Allow", "Action": "iam:GetUser", "Resource": "*"},
        ],
    }
    request = {
        "PolicyInputList": [json.dumps(policy)],
        "ActionNames": ["s3:GetObject", "iam:GetUser"],
        "ResourceArns": ["arn:aws:s3:::good/k", "arn:aws:s3:::bad/k"],
    }
    path = tmp_path / "request.json"
    path.write_text(json.dumps(request))
    root = server.create_account(A)
    online = aws_cli(
        server,
        tmp_path,
        root,
        "iam",
        "simulate-custom-policy",
        "--cli-input-json",
        f"file://{path}",
        "--output",
        "json",
    )
    assert online.returncode == 0, online.stderr
    offline = subprocess.run(
        [str(BIN / "iamsandbox"), "simulate-custom-policy", "--cli-input-json", f"file://{path}"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert offline.returncode == 0, offline.stderr
    assert json.loads(offline.stdout) == json.loads(online.stdout)
    first = json.loads(offline.stdout)["EvaluationResults"][0]
    assert (first["EvalResourceName"], first["EvalDecision"]) == (
        "arn:aws:s3:::${BucketName}/${KeyName}",
        "implicitDeny",
    )
    assert [r["EvalResourceDecision"] for r in first["ResourceSpecificResults"]] == ["allowed", "implicitDeny"]

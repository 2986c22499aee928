"""Service last accessed data (Access Advisor) against a real ``iamsandbox serve``, with boto3:
an IAM user works with S3 and IAM (one call denied), and the root user generates and reads
the reports of the user, of its group and of the managed policy the group has.

AWS pages: GenerateServiceLastAccessedDetails, GetServiceLastAccessedDetails and
GetServiceLastAccessedDetailsWithEntities (IAM API Reference); "Refine permissions in AWS
using last accessed information" and "View last accessed information for IAM" (IAM User
Guide), quoted where they decide.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError
from e2e_harness import A, Server, _client


def _services(iam: Any, arn: str, granularity: str) -> tuple[str, dict[str, dict[str, Any]]]:
    job_id = iam.generate_service_last_accessed_details(Arn=arn, Granularity=granularity)["JobId"]
    answer = iam.get_service_last_accessed_details(JobId=job_id)
    assert answer["JobStatus"] == "COMPLETED" and answer["JobType"] == granularity
    assert answer["IsTruncated"] is False and answer["JobCompletionDate"] >= answer["JobCreationDate"]
    return job_id, {entry["ServiceNamespace"]: entry for entry in answer["ServicesLastAccessed"]}


def test_a_user_works_and_the_root_user_reads_who_used_what(server: Server) -> None:
    root = server.create_account(A)
    iam = _client(server, "iam", root)
    document = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": ["s3:*", "iam:ListUsers", "iam:GetUser"], "Resource": "*"}],
    }
    policy_arn = iam.create_policy(PolicyName="Developers", PolicyDocument=json.dumps(document))["Policy"]["Arn"]
    iam.create_group(GroupName="developers")
    iam.attach_group_policy(GroupName="developers", PolicyArn=policy_arn)
    for name in ("alice", "bob"):
        iam.create_user(UserName=name)
        iam.add_user_to_group(GroupName="developers", UserName=name)
    key = iam.create_access_key(UserName="alice")["AccessKey"]

    started = datetime.now(UTC) - timedelta(seconds=5)
    s3 = _client(server, "s3", key)
    s3.create_bucket(Bucket="alices-bucket")
    s3.put_object(Bucket="alices-bucket", Key="notes.txt", Body=b"hello")
    assert s3.get_object(Bucket="alices-bucket", Key="notes.txt")["Body"].read() == b"hello"
    alice_iam = _client(server, "iam", key)
    alice_iam.list_users()
    with pytest.raises(ClientError) as denied:
        alice_iam.create_user(UserName="mallory")
    assert denied.value.response["Error"]["Code"] == "AccessDenied"
    denied_at = datetime.now(UTC)

    alice = f"arn:aws:iam::{A}:user/alice"
    # The user's report: "For each service, the operation returns the date and time of the
    # user's last attempt and the ARN of the user". "The service last accessed data includes
    # all attempts to access an AWS API, not just the successful ones": the denied CreateUser
    # is IAM's latest attempt.
    _, services = _services(iam, alice, "SERVICE_LEVEL")
    assert sorted(services) == ["iam", "s3"]
    for namespace in ("iam", "s3"):
        entry = services[namespace]
        assert entry["LastAuthenticatedEntity"] == alice and entry["LastAuthenticatedRegion"] == "us-east-1"
        assert started <= entry["LastAuthenticated"] <= denied_at + timedelta(seconds=5)
        assert entry["TotalAuthenticatedEntities"] == 1
    assert services["iam"]["ServiceName"] == "AWS Identity and Access Management"
    assert services["s3"]["ServiceName"] == "Amazon Simple Storage Service"

    # The group's report, at the action level: "the date and time of the last attempt made by
    # any group member (user) ... the ARN of that user and the total number of group members
    # that have attempted to access the service".
    job_id, services = _services(iam, f"arn:aws:iam::{A}:group/developers", "ACTION_LEVEL")
    assert services["s3"]["LastAuthenticatedEntity"] == alice and services["s3"]["TotalAuthenticatedEntities"] == 1
    s3_actions = {a["ActionName"]: a for a in services["s3"]["TrackedActionsLastAccessed"]}
    # Management actions are tracked, data events (GetObject, PutObject) are not.
    assert s3_actions["CreateBucket"]["LastAccessedEntity"] == alice
    assert s3_actions["CreateBucket"]["LastAccessedRegion"] == "us-east-1"
    assert "GetObject" not in s3_actions and "PutObject" not in s3_actions
    assert "LastAccessedTime" not in s3_actions["DeleteBucket"]  # allowed, never attempted
    iam_actions = {a["ActionName"]: a for a in services["iam"]["TrackedActionsLastAccessed"]}
    assert set(iam_actions) == {"GetUser", "ListUsers"}  # the allowed ones; CreateUser is not
    assert iam_actions["ListUsers"]["LastAccessedEntity"] == alice and "LastAccessedTime" not in iam_actions["GetUser"]
    members = iam.get_service_last_accessed_details_with_entities(JobId=job_id, ServiceNamespace="s3")
    assert [(d["EntityInfo"]["Name"], "LastAuthenticated" in d) for d in members["EntityDetailsList"]] == [
        ("alice", True),
        ("bob", False),
    ]

    # The policy's report: the group's members are the entities it applies to.
    job_id, services = _services(iam, policy_arn, "SERVICE_LEVEL")
    assert sorted(services) == ["iam", "s3"] and services["iam"]["LastAuthenticatedEntity"] == alice
    listed = iam.get_service_last_accessed_details_with_entities(JobId=job_id, ServiceNamespace="iam", MaxItems=1)
    assert listed["IsTruncated"] is True
    [first] = listed["EntityDetailsList"]
    assert first["EntityInfo"] == {
        "Arn": alice,
        "Name": "alice",
        "Type": "USER",
        "Id": first["EntityInfo"]["Id"],
        "Path": "/",
    } and first["EntityInfo"]["Id"].startswith("AIDA")

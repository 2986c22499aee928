"""Service last accessed data (the console's Access Advisor): GenerateServiceLastAccessedDetails,
GetServiceLastAccessedDetails and GetServiceLastAccessedDetailsWithEntities, with the
attempts recorded by the request path, through boto3 clients of an in-process app.

Pages: the three operations in the IAM API Reference (and their examples in botocore's
model), "Refine permissions in AWS using last accessed information"
(https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_last-accessed.html) and
"View last accessed information for IAM" (IAM User Guide), each quoted where it decides.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from inprocess_harness import client, open_app, root_keys, user_keys

from iamsandbox.server.app import App
from iamsandbox.server.pipeline import flush_notes
from iamsandbox.services.iam.last_accessed import FLUSH_INTERVAL, LastAccessed

A, B = "111111111111", "222222222222"
S3_READ_ONLY = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
EPOCH = datetime(2026, 5, 1, tzinfo=UTC)


def _doc(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def _allow(*actions: str) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": list(actions), "Resource": "*"}


def _trust(principal: str) -> str:
    return _doc({"Effect": "Allow", "Principal": {"AWS": principal}, "Action": "sts:AssumeRole"})


def _report(iam: Any, arn: str, granularity: str = "SERVICE_LEVEL") -> tuple[str, dict[str, dict[str, Any]]]:
    job_id = iam.generate_service_last_accessed_details(Arn=arn, Granularity=granularity)["JobId"]
    answer = iam.get_service_last_accessed_details(JobId=job_id)
    assert answer["JobStatus"] == "COMPLETED" and answer["JobType"] == granularity
    assert answer["IsTruncated"] is False
    return job_id, {entry["ServiceNamespace"]: entry for entry in answer["ServicesLastAccessed"]}


def _recent(when: datetime) -> bool:
    return abs(datetime.now(UTC) - when) < timedelta(minutes=1)


@pytest.fixture
def app(tmp_path: Path) -> App:
    return open_app(tmp_path, A, B)


def test_a_users_report_counts_denied_attempts(app: App) -> None:
    iam = client(app, "iam", root_keys(app, A))
    iam.create_user(UserName="alice")
    iam.attach_user_policy(UserName="alice", PolicyArn=S3_READ_ONLY)
    iam.put_user_policy(UserName="alice", PolicyName="IamRead", PolicyDocument=_doc(_allow("iam:Get*", "iam:List*")))
    alice = user_keys(app, A, "alice")
    client(app, "s3", alice).list_buckets()
    with pytest.raises(ClientError) as denied:
        client(app, "iam", alice).create_user(UserName="mallory")
    assert denied.value.response["Error"]["Code"] == "AccessDenied"
    client(app, "sts", alice).get_caller_identity()

    job_id, services = _report(iam, f"arn:aws:iam::{A}:user/alice")
    # "For each service that the resource could access using permissions policies":
    # AmazonS3ReadOnlyAccess allows s3:Get*, s3:List*, s3-object-lambda:Get*, ...; the inline
    # policy iam:Get*, iam:List*. STS, attempted but allowed by no policy, is not listed.
    assert list(services) == sorted(services)  # "sorted by service namespace"
    assert {"iam", "s3", "s3-object-lambda"} <= set(services) and "sts" not in services
    # "The service last accessed data includes all attempts to access an AWS API, not just
    # the successful ones": the denied CreateUser is IAM's last attempt.
    user_arn = f"arn:aws:iam::{A}:user/alice"
    for namespace, name in (("iam", "AWS Identity and Access Management"), ("s3", "Amazon Simple Storage Service")):
        entry = services[namespace]
        assert entry["ServiceName"] == name  # as the API reference's example names them
        assert _recent(entry["LastAuthenticated"])
        # "User – Returns the user ARN that you used to generate the report".
        assert entry["LastAuthenticatedEntity"] == user_arn
        assert entry["LastAuthenticatedRegion"] == "us-east-1"
        assert entry["TotalAuthenticatedEntities"] == 1
        assert "TrackedActionsLastAccessed" not in entry  # SERVICE_LEVEL
    # IAM answers whole seconds (QueryProtocol): the later use is at the same second or after.
    assert services["iam"]["LastAuthenticated"] >= services["s3"]["LastAuthenticated"]
    # "If there was no attempt, the service is listed without details about the most recent
    # attempt"; the example answers TotalAuthenticatedEntities 0 for it.
    assert services["s3-object-lambda"] == {
        "ServiceName": "Amazon S3 Object Lambda",
        "ServiceNamespace": "s3-object-lambda",
        "TotalAuthenticatedEntities": 0,
    }
    # "You can also use this operation for users and roles, but it only returns information
    # about that entity."
    entities = iam.get_service_last_accessed_details_with_entities(JobId=job_id, ServiceNamespace="s3")
    [detail] = entities["EntityDetailsList"]
    assert detail["EntityInfo"]["Arn"] == user_arn and detail["EntityInfo"]["Type"] == "USER"
    assert detail["EntityInfo"]["Name"] == "alice" and detail["EntityInfo"]["Path"] == "/"
    assert detail["EntityInfo"]["Id"].startswith("AIDA") and _recent(detail["LastAuthenticated"])
    assert entities["JobStatus"] == "COMPLETED" and entities["IsTruncated"] is False


def test_a_roles_sessions_count_for_the_role_in_their_region(app: App) -> None:
    iam = client(app, "iam", root_keys(app, A))
    iam.create_role(RoleName="reader", AssumeRolePolicyDocument=_trust(f"arn:aws:iam::{A}:root"))
    iam.attach_role_policy(RoleName="reader", PolicyArn=S3_READ_ONLY)
    iam.create_user(UserName="carol")
    iam.put_user_policy(UserName="carol", PolicyName="Assume", PolicyDocument=_doc(_allow("sts:AssumeRole")))
    sts = client(app, "sts", user_keys(app, A, "carol"))
    session = sts.assume_role(RoleArn=f"arn:aws:iam::{A}:role/reader", RoleSessionName="s1")["Credentials"]
    keys = {"aws_access_key_id": session["AccessKeyId"], "aws_secret_access_key": session["SecretAccessKey"]}
    client(app, "s3", keys, session["SessionToken"], region="eu-west-1").list_buckets()

    _, services = _report(iam, f"arn:aws:iam::{A}:role/reader")
    # "Role – Returns the role ARN that you used to generate the report": the role's, not
    # the session's ARN.
    assert services["s3"]["LastAuthenticatedEntity"] == f"arn:aws:iam::{A}:role/reader"
    assert services["s3"]["LastAuthenticatedRegion"] == "eu-west-1"
    # The user who assumed it attempted STS: that is the user's, not the role's.
    _, carols = _report(iam, f"arn:aws:iam::{A}:user/carol")
    assert list(carols) == ["sts"]
    assert carols["sts"]["ServiceName"] == "AWS Security Token Service"
    assert carols["sts"]["LastAuthenticatedEntity"] == f"arn:aws:iam::{A}:user/carol"


def test_a_groups_report_is_its_members_and_lists_them(app: App) -> None:
    iam = client(app, "iam", root_keys(app, A))
    iam.create_group(GroupName="readers")
    iam.attach_group_policy(GroupName="readers", PolicyArn=S3_READ_ONLY)
    for name in ("dave", "erin"):
        iam.create_user(UserName=name)
        iam.add_user_to_group(GroupName="readers", UserName=name)
    client(app, "s3", user_keys(app, A, "erin")).list_buckets()

    job_id, services = _report(iam, f"arn:aws:iam::{A}:group/readers")
    # "Group – Returns the ARN of the group member (user) that last attempted to access the
    # service"; "the total number of group members that have attempted to access the service".
    assert services["s3"]["LastAuthenticatedEntity"] == f"arn:aws:iam::{A}:user/erin"
    assert services["s3"]["TotalAuthenticatedEntities"] == 1
    assert "iam" not in services  # the group's policies allow no IAM action
    # "For a group report, this operation returns a list of users in the group"; "sorted by
    # date, with the most recent access listed first".
    listed = iam.get_service_last_accessed_details_with_entities(JobId=job_id, ServiceNamespace="s3")
    names = [(d["EntityInfo"]["Name"], "LastAuthenticated" in d) for d in listed["EntityDetailsList"]]
    assert names == [("erin", True), ("dave", False)]
    # A page of one, then the rest (MaxItems and Marker, as the other IAM lists).
    first = iam.get_service_last_accessed_details_with_entities(JobId=job_id, ServiceNamespace="s3", MaxItems=1)
    assert first["IsTruncated"] is True and [d["EntityInfo"]["Name"] for d in first["EntityDetailsList"]] == ["erin"]
    rest = iam.get_service_last_accessed_details_with_entities(
        JobId=job_id, ServiceNamespace="s3", Marker=first["Marker"]
    )
    assert [d["EntityInfo"]["Name"] for d in rest["EntityDetailsList"]] == ["dave"] and rest["IsTruncated"] is False


def test_a_policys_report_is_the_users_and_roles_it_applies_to(app: App) -> None:
    iam = client(app, "iam", root_keys(app, A))
    arn = iam.create_policy(PolicyName="Buckets", PolicyDocument=_doc(_allow("s3:*")))["Policy"]["Arn"]
    iam.create_user(UserName="frank")
    iam.attach_user_policy(UserName="frank", PolicyArn=arn)
    iam.create_group(GroupName="team")
    iam.create_user(UserName="grace")
    iam.add_user_to_group(GroupName="team", UserName="grace")
    iam.attach_group_policy(GroupName="team", PolicyArn=arn)
    iam.create_group(GroupName="empty")
    iam.attach_group_policy(GroupName="empty", PolicyArn=arn)
    iam.create_role(RoleName="builder", AssumeRolePolicyDocument=_trust(f"arn:aws:iam::{A}:root"))
    iam.attach_role_policy(RoleName="builder", PolicyArn=arn)
    iam.create_user(UserName="heidi")  # not attached: her attempts are not the policy's
    iam.put_user_policy(UserName="heidi", PolicyName="S3", PolicyDocument=_doc(_allow("s3:*")))
    client(app, "s3", user_keys(app, A, "frank")).list_buckets()
    client(app, "s3", user_keys(app, A, "grace")).list_buckets()
    client(app, "s3", user_keys(app, A, "heidi")).list_buckets()

    job_id, services = _report(iam, arn)
    # "Policy – Returns a list of services for which the specified policy allows access ...
    # the ARN of that entity and the total number of entities that attempted access."
    assert list(services) == ["s3"]
    assert services["s3"]["LastAuthenticatedEntity"] == f"arn:aws:iam::{A}:user/grace"
    assert services["s3"]["TotalAuthenticatedEntities"] == 2
    # "For a policy report, this operation returns a list of entities (users or roles) that
    # could have used the policy": a group's members, not the group.
    listed = iam.get_service_last_accessed_details_with_entities(JobId=job_id, ServiceNamespace="s3")
    found = [(d["EntityInfo"]["Name"], d["EntityInfo"]["Type"]) for d in listed["EntityDetailsList"]]
    assert found == [("grace", "USER"), ("frank", "USER"), ("builder", "ROLE")]
    # A service the report does not list has no entity.
    assert (
        iam.get_service_last_accessed_details_with_entities(JobId=job_id, ServiceNamespace="iam")["EntityDetailsList"]
        == []
    )


def test_an_aws_managed_policys_report_is_of_the_callers_account_only(app: App) -> None:
    for account in (A, B):
        iam = client(app, "iam", root_keys(app, account))
        iam.create_user(UserName="ivan")
        iam.attach_user_policy(UserName="ivan", PolicyArn=S3_READ_ONLY)
    client(app, "s3", user_keys(app, B, "ivan")).list_buckets()
    iam = client(app, "iam", root_keys(app, A))
    job_id, services = _report(iam, S3_READ_ONLY)
    # "The last accessed information for IAM includes IAM resources ... in your account".
    assert services["s3"]["TotalAuthenticatedEntities"] == 0 and "LastAuthenticated" not in services["s3"]
    [detail] = iam.get_service_last_accessed_details_with_entities(JobId=job_id, ServiceNamespace="s3")[
        "EntityDetailsList"
    ]
    assert detail["EntityInfo"]["Arn"] == f"arn:aws:iam::{A}:user/ivan" and "LastAuthenticated" not in detail


def test_action_level_lists_tracked_management_actions(app: App) -> None:
    iam = client(app, "iam", root_keys(app, A))
    iam.create_user(UserName="judy")
    document = _doc(_allow("s3:*", "iam:ListUsers", "iam:CreateUser", "iam:PassRole", "sts:GetCallerIdentity"))
    iam.put_user_policy(UserName="judy", PolicyName="Work", PolicyDocument=document)
    judy = user_keys(app, A, "judy")
    s3 = client(app, "s3", judy)
    s3.create_bucket(Bucket="judys-bucket")
    s3.put_object(Bucket="judys-bucket", Key="k", Body=b"v")
    s3.get_object(Bucket="judys-bucket", Key="k")
    client(app, "iam", judy).list_users()
    client(app, "sts", judy).get_caller_identity()

    _, services = _report(iam, f"arn:aws:iam::{A}:user/judy", "ACTION_LEVEL")
    s3_actions = {a["ActionName"]: a for a in services["s3"]["TrackedActionsLastAccessed"]}
    # "Action last accessed information is available for service management actions ...
    # not available for any data plane event": CreateBucket is tracked; GetObject, PutObject
    # (and ListBucket: "IAM Action Last Accessed": false in the service reference) are not.
    created = s3_actions["CreateBucket"]
    assert created["LastAccessedEntity"] == f"arn:aws:iam::{A}:user/judy"
    assert created["LastAccessedRegion"] == "us-east-1" and _recent(created["LastAccessedTime"])
    for data_event in ("GetObject", "PutObject", "ListBucket"):
        assert data_event not in s3_actions
    # A tracked action the policies allow and nobody attempted is listed without details.
    assert s3_actions["PutBucketPolicy"] == {"ActionName": "PutBucketPolicy"}
    iam_actions = {a["ActionName"]: a for a in services["iam"]["TrackedActionsLastAccessed"]}
    # "The iam:PassRole action is not tracked"; only the actions the policies allow.
    assert set(iam_actions) == {"ListUsers", "CreateUser"}
    assert "LastAccessedTime" in iam_actions["ListUsers"] and "LastAccessedTime" not in iam_actions["CreateUser"]
    # STS is recorded at the service level only.
    assert _recent(services["sts"]["LastAuthenticated"]) and "TrackedActionsLastAccessed" not in services["sts"]


def test_a_federated_users_attempts_count_for_the_user_who_federated(app: App) -> None:
    iam = client(app, "iam", root_keys(app, A))
    iam.create_user(UserName="kim")
    iam.put_user_policy(
        UserName="kim", PolicyName="Federate", PolicyDocument=_doc(_allow("sts:GetFederationToken", "s3:*"))
    )
    token = client(app, "sts", user_keys(app, A, "kim")).get_federation_token(
        Name="kims-app", Policy=_doc(_allow("s3:ListAllMyBuckets"))
    )["Credentials"]
    keys = {"aws_access_key_id": token["AccessKeyId"], "aws_secret_access_key": token["SecretAccessKey"]}
    client(app, "s3", keys, token["SessionToken"]).list_buckets()
    _, services = _report(iam, f"arn:aws:iam::{A}:user/kim", "ACTION_LEVEL")
    listed = {a["ActionName"]: a for a in services["s3"]["TrackedActionsLastAccessed"]}
    assert listed["ListAllMyBuckets"]["LastAccessedEntity"] == f"arn:aws:iam::{A}:user/kim"


def test_the_root_users_attempts_are_not_recorded(app: App) -> None:
    # "The last accessed information does not include unauthenticated attempts"; it is of IAM
    # resources (roles, users): the root user is neither.
    client(app, "s3", root_keys(app, A)).list_buckets()
    with pytest.raises(ClientError):
        client(app, "s3").list_buckets()  # anonymous
    assert app.shared.last_accessed.take() == []


@pytest.mark.parametrize(
    ("arn", "code"),
    [
        (f"arn:aws:iam::{A}:user/nobody", "NoSuchEntity"),
        (f"arn:aws:iam::{A}:role/nobody", "NoSuchEntity"),
        (f"arn:aws:iam::{A}:group/nobody", "NoSuchEntity"),
        (f"arn:aws:iam::{A}:policy/nobody", "NoSuchEntity"),
        ("arn:aws:iam::aws:policy/NoSuchManagedPolicy", "NoSuchEntity"),
        (f"arn:aws:sts::{A}:assumed-role/r/s", "InvalidInput"),  # no user, group, role or policy
    ],
)
def test_generate_refuses_what_is_no_resource_of_the_account(app: App, arn: str, code: str) -> None:
    # GenerateServiceLastAccessedDetails' errors (IAM API Reference): NoSuchEntity,
    # InvalidInput.
    iam = client(app, "iam", root_keys(app, A))
    with pytest.raises(ClientError) as refused:
        iam.generate_service_last_accessed_details(Arn=arn)
    assert refused.value.response["Error"]["Code"] == code


def test_a_job_is_its_generators_and_an_unknown_one_is_no_entity(app: App) -> None:
    iam = client(app, "iam", root_keys(app, A))
    iam.create_user(UserName="liz")
    iam.put_user_policy(UserName="liz", PolicyName="All", PolicyDocument=_doc(_allow("iam:*")))
    job_id = iam.generate_service_last_accessed_details(Arn=f"arn:aws:iam::{A}:user/liz")["JobId"]
    # "Only the principal that generates a report can view the report details".
    liz = client(app, "iam", user_keys(app, A, "liz"))
    for call in (
        lambda: liz.get_service_last_accessed_details(JobId=job_id),
        lambda: liz.get_service_last_accessed_details_with_entities(JobId=job_id, ServiceNamespace="iam"),
        lambda: iam.get_service_last_accessed_details(JobId="examplef-1305-c245-eba4-71fe298bcda7"),
    ):
        with pytest.raises(ClientError) as unknown:
            call()
        assert unknown.value.response["Error"]["Code"] == "NoSuchEntity"
    # Her own job is hers.
    own = liz.generate_service_last_accessed_details(Arn=f"arn:aws:iam::{A}:user/liz")["JobId"]
    assert liz.get_service_last_accessed_details(JobId=own)["ServicesLastAccessed"][0]["ServiceNamespace"] == "iam"


def test_authorization_on_the_resource_and_on_star(app: App) -> None:
    iam = client(app, "iam", root_keys(app, A))
    for name in ("mia", "nick"):
        iam.create_user(UserName=name)
    # "iam:GenerateServiceLastAccessedDetails" on the user, group, role or policy ARN;
    # "iam:GetServiceLastAccessedDetails" on "*" (Service Authorization Reference).
    statements = [
        {
            "Effect": "Allow",
            "Action": "iam:GenerateServiceLastAccessedDetails",
            "Resource": f"arn:aws:iam::{A}:user/mia",
        },
        _allow("iam:GetServiceLastAccessedDetails"),
    ]
    iam.put_user_policy(UserName="mia", PolicyName="Advisor", PolicyDocument=_doc(*statements))
    mia = client(app, "iam", user_keys(app, A, "mia"))
    job_id = mia.generate_service_last_accessed_details(Arn=f"arn:aws:iam::{A}:user/mia")["JobId"]
    assert mia.get_service_last_accessed_details(JobId=job_id)["JobStatus"] == "COMPLETED"
    with pytest.raises(ClientError) as denied:
        mia.generate_service_last_accessed_details(Arn=f"arn:aws:iam::{A}:user/nick")
    message = denied.value.response["Error"]["Message"]
    assert "iam:GenerateServiceLastAccessedDetails on resource: arn:aws:iam::111111111111:user/nick" in message
    with pytest.raises(ClientError) as denied:
        mia.get_service_last_accessed_details_with_entities(JobId=job_id, ServiceNamespace="iam")
    assert "iam:GetServiceLastAccessedDetailsWithEntities on resource: *" in denied.value.response["Error"]["Message"]


def test_many_services_page_by_max_items(app: App) -> None:
    iam = client(app, "iam", root_keys(app, A))
    iam.create_user(UserName="olga")
    iam.attach_user_policy(UserName="olga", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
    job_id = iam.generate_service_last_accessed_details(Arn=f"arn:aws:iam::{A}:user/olga")["JobId"]
    # "If you do not include this parameter, the number of items defaults to 100."
    first = iam.get_service_last_accessed_details(JobId=job_id)
    assert len(first["ServicesLastAccessed"]) == 100 and first["IsTruncated"] is True
    seen = [entry["ServiceNamespace"] for entry in first["ServicesLastAccessed"]]
    marker = first["Marker"]
    while marker:
        page = iam.get_service_last_accessed_details(JobId=job_id, Marker=marker, MaxItems=250)
        seen += [entry["ServiceNamespace"] for entry in page["ServicesLastAccessed"]]
        marker = page.get("Marker")
    # AdministratorAccess ("Action": "*") reaches every service.
    assert seen == sorted(seen) and len(seen) > 400 and {"iam", "s3", "sts", "ec2"} <= set(seen)


# --- the recorder: in memory, written every few seconds ------------------------------------------


def test_notes_wait_in_memory_until_due_then_reach_the_store(app: App) -> None:
    iam = client(app, "iam", root_keys(app, A))
    iam.create_user(UserName="pat")
    with app.store.read() as tx:
        user = tx.get_user(A, "pat")
    assert user is not None
    recorder = app.shared.last_accessed
    recorder.take()  # the root's calls noted nothing; start empty
    recorder.note(user.id, "s3", "s3:CreateBucket", EPOCH, "us-east-1")
    recorder.note(user.id, "s3", "s3:GetObject", EPOCH + timedelta(seconds=1), "eu-west-1")
    # Not due yet: nothing is written (no write per request).
    flush_notes(app, EPOCH + FLUSH_INTERVAL - timedelta(milliseconds=1))
    with app.store.read() as tx:
        assert tx.list_service_access([user.id]) == []
    flush_notes(app, EPOCH + FLUSH_INTERVAL)
    with app.store.read() as tx:
        stored = {(a.service, a.action): (a.when, a.region) for a in tx.list_service_access([user.id])}
    # The service's latest attempt, and the tracked action's (GetObject is not tracked).
    assert stored == {
        ("s3", ""): (EPOCH + timedelta(seconds=1), "eu-west-1"),
        ("s3", "CreateBucket"): (EPOCH, "us-east-1"),
    }
    assert repr(recorder).startswith("LastAccessed(0 pending")


def test_the_recorder_is_bounded() -> None:
    recorder = LastAccessed(limit=2)
    assert not recorder.due(EPOCH)
    recorder.note("AIDA1", "iam", "iam:ListUsers", EPOCH, "us-east-1")  # two keys: the service and the action
    recorder.note("AIDA2", "s3", "s3:ListAllMyBuckets", EPOCH, "us-east-1")  # no room: dropped
    recorder.note("AIDA1", "iam", "iam:ListUsers", EPOCH + timedelta(seconds=1), "us-east-1")  # known keys: kept
    assert recorder.dropped == 2
    assert recorder.due(EPOCH)  # full: written at the next request
    taken = recorder.take()
    assert {(a.entity_id, a.action, a.when) for a in taken} == {
        ("AIDA1", "", EPOCH + timedelta(seconds=1)),
        ("AIDA1", "ListUsers", EPOCH + timedelta(seconds=1)),
    }
    assert recorder.take() == [] and not recorder.due(EPOCH + timedelta(days=1))

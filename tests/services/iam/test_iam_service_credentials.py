"""IAM users' service-specific credentials: the five operations' handlers on a real store
(answers checked against botocore's output shapes), and their authorization through the
whole request path (boto3 in process).

AWS pages: the IAM API reference's CreateServiceSpecificCredential ("You can have a maximum
of two sets of service-specific credentials for each supported service per user"; "This is
the only time that the password for this credential set is available"),
ListServiceSpecificCredentials (UserName: "If this value is not specified, then the
operation assumes the user whose credentials are used to call the operation"),
UpdateServiceSpecificCredential, ResetServiceSpecificCredential ("The new password is AWS
generated and cryptographically strong"), DeleteServiceSpecificCredential, DeleteUser
(remove the "Git credentials (DeleteServiceSpecificCredential)" first) and the
ServiceSpecificCredential shape (ServiceUserName "jane-at-123456789012"); the AWS CLI's
examples create-, list-, reset-service-specific-credential (ACCAEXAMPLE123EXAMPLE,
ACCAQFODXMPL4YFHP7DZE, "developer-at-123456789012" and "developer+1-at-123456789012"); the
IAM User Guide's "Use IAM with Amazon Keyspaces (for Apache Cassandra)" (cassandra) and
"AWS: Allows MFA-authenticated IAM users to manage their own credentials on the Security
credentials page" (its AllowManageOwnGitCredentials statement); the Service Authorization
Reference (the five actions on resource type user; iam:ServiceSpecificCredentialServiceName).
[LS-IAM]: LocalStack's recorded AWS responses, tests/aws/services/iam/test_iam.snapshot.json,
TestIAMServiceSpecificCredentials (recorded 06-03-2025): the error codes, statuses and words.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from iam_harness import ACCOUNT, Iam
from inprocess_harness import client, open_app, root_keys, user_keys

from iamsandbox import errors
from iamsandbox.authz.context import Caller
from iamsandbox.errors import DeleteConflict, InvalidInput, LimitExceeded, NoSuchEntity, ValidationError
from iamsandbox.policy.request import PrincipalKind
from iamsandbox.server.app import App

CODECOMMIT = "codecommit.amazonaws.com"
KEYSPACES = "cassandra.amazonaws.com"


def _password_form(password: str) -> None:
    """Base64 (decodes strictly), 60 characters ending in "=", as LocalStack's implementation
    says AWS's are (its recordings mask them; the AWS CLI's 2019 examples show 44-character
    ones of the same alphabet, "k1zPZM6uVxMQ3oxqgoYlNuJPyRTZ1vREs76zTQE3eJk=")."""
    assert len(password) == 60 and password.endswith("=")
    try:
        base64.b64decode(password, validate=True)
    except binascii.Error:  # pragma: no cover - the assertion below explains
        pytest.fail(f"not base64: {password!r}")


@pytest.mark.parametrize("service", [CODECOMMIT, KEYSPACES])
def test_create_list_update_reset_delete(iam: Iam, service: str) -> None:
    """[LS-IAM] test_service_specific_credential_lifecycle (both services): ServiceUserName
    "<user>-at-<account>", the list without the password, Reset answering the same id, user
    name and date with a new password and the status Update set."""
    iam("CreateUser", UserName="alice")
    created = iam("CreateServiceSpecificCredential", UserName="alice", ServiceName=service)["ServiceSpecificCredential"]
    credential_id = created["ServiceSpecificCredentialId"]
    assert re.fullmatch(r"ACCA[A-Z2-7]{17}", credential_id)
    assert created["ServiceUserName"] == f"alice-at-{ACCOUNT}"
    assert created["UserName"] == "alice" and created["ServiceName"] == service and created["Status"] == "Active"
    _password_form(created["ServicePassword"])

    listed = iam("ListServiceSpecificCredentials", UserName="alice", ServiceName=service)
    assert listed["IsTruncated"] is False
    [item] = listed["ServiceSpecificCredentials"]
    assert "ServicePassword" not in item  # the metadata only: the password is shown once
    assert item == {key: value for key, value in created.items() if key != "ServicePassword"}

    iam(
        "UpdateServiceSpecificCredential",
        UserName="alice",
        ServiceSpecificCredentialId=credential_id,
        Status="Inactive",
    )
    [item] = iam("ListServiceSpecificCredentials", UserName="alice")["ServiceSpecificCredentials"]
    assert item["Status"] == "Inactive"

    reset = iam("ResetServiceSpecificCredential", UserName="alice", ServiceSpecificCredentialId=credential_id)
    renewed = reset["ServiceSpecificCredential"]
    _password_form(renewed["ServicePassword"])
    assert renewed["ServicePassword"] != created["ServicePassword"]
    assert renewed["ServiceSpecificCredentialId"] == credential_id and renewed["Status"] == "Inactive"
    assert renewed["ServiceUserName"] == created["ServiceUserName"] and renewed["CreateDate"] == created["CreateDate"]

    iam("DeleteServiceSpecificCredential", UserName="alice", ServiceSpecificCredentialId=credential_id)
    assert iam("ListServiceSpecificCredentials", UserName="alice")["ServiceSpecificCredentials"] == []


def test_a_users_further_credentials_are_name_plus_n(iam: Iam) -> None:
    """The AWS CLI's list example: developer-at-123456789012 and developer+1-at-123456789012
    for one service; the API reference's ListServiceSpecificCredentials example: thomas and
    thomas+1 for two."""
    iam("CreateUser", UserName="developer")
    names = [
        iam("CreateServiceSpecificCredential", UserName="developer", ServiceName=service)["ServiceSpecificCredential"][
            "ServiceUserName"
        ]
        for service in (CODECOMMIT, CODECOMMIT, KEYSPACES)
    ]
    assert names == [f"developer-at-{ACCOUNT}", f"developer+1-at-{ACCOUNT}", f"developer+2-at-{ACCOUNT}"]


def test_two_per_user_per_service(iam: Iam) -> None:
    """CreateServiceSpecificCredential: "a maximum of two sets of service-specific
    credentials for each supported service per user"; LimitExceeded is its error (409)."""
    iam("CreateUser", UserName="alice")
    iam("CreateUser", UserName="bob")
    for _ in range(2):
        iam("CreateServiceSpecificCredential", UserName="alice", ServiceName=CODECOMMIT)
    with pytest.raises(LimitExceeded) as raised:
        iam("CreateServiceSpecificCredential", UserName="alice", ServiceName=CODECOMMIT)
    assert raised.value.status == 409
    iam("CreateServiceSpecificCredential", UserName="alice", ServiceName=KEYSPACES)  # another service
    iam("CreateServiceSpecificCredential", UserName="bob", ServiceName=CODECOMMIT)  # another user
    page = iam("ListServiceSpecificCredentials", UserName="alice", MaxItems=2)
    assert len(page["ServiceSpecificCredentials"]) == 2 and page["IsTruncated"] is True
    rest = iam("ListServiceSpecificCredentials", UserName="alice", Marker=page["Marker"])
    assert len(rest["ServiceSpecificCredentials"]) == 1 and rest["IsTruncated"] is False


def test_unknown_users_and_services(iam: Iam) -> None:
    """[LS-IAM] test_create_service_specific_credential_invalid_user, _invalid_service,
    test_list_service_specific_credential_different_service: the user is
    looked up first; a service without such credentials is NoSuchEntity, whether it does not
    exist, is not a name at all, or is an AWS service that has none (lambda)."""
    for service in (CODECOMMIT, "nonexistentservice.amazonaws.com"):
        with pytest.raises(NoSuchEntity) as raised:
            iam("CreateServiceSpecificCredential", UserName="non-existent-user", ServiceName=service)
        assert raised.value.message == "The user with name non-existent-user cannot be found."
    iam("CreateUser", UserName="alice")
    for service in ("nonexistentservice.amazonaws.com", "o3on3n3onosneo", "lambda.amazonaws.com"):
        with pytest.raises(NoSuchEntity) as raised:
            iam("CreateServiceSpecificCredential", UserName="alice", ServiceName=service)
        assert raised.value.message == f"No such service {service} is supported for Service Specific Credentials"
        assert raised.value.status == 404
    with pytest.raises(NoSuchEntity) as raised:
        iam("ListServiceSpecificCredentials", UserName="alice", ServiceName="nonexistentservice.amazonaws.com")
    assert "No such service nonexistentservice.amazonaws.com" in raised.value.message
    iam("CreateServiceSpecificCredential", UserName="alice", ServiceName=CODECOMMIT)
    # Another service's list is empty.
    assert (
        iam("ListServiceSpecificCredentials", UserName="alice", ServiceName=KEYSPACES)["ServiceSpecificCredentials"]
        == []
    )


def test_wrong_user_or_wrong_id(iam: Iam) -> None:
    """[LS-IAM] test_id_match_user_mismatch, test_user_match_id_mismatch:
    a user that does not exist is the user's NoSuchEntity; an id the user does not have,
    "No such credential ID exists"."""
    iam("CreateUser", UserName="alice")
    iam("CreateUser", UserName="bob")
    credential_id = iam("CreateServiceSpecificCredential", UserName="alice", ServiceName=CODECOMMIT)[
        "ServiceSpecificCredential"
    ]["ServiceSpecificCredentialId"]
    calls: list[tuple[str, dict[str, Any]]] = [
        ("UpdateServiceSpecificCredential", {"Status": "Inactive"}),
        ("ResetServiceSpecificCredential", {}),
        ("DeleteServiceSpecificCredential", {}),
    ]
    for operation, extra in calls:
        with pytest.raises(NoSuchEntity) as raised:
            iam(operation, UserName="wrong-user-name", ServiceSpecificCredentialId=credential_id, **extra)
        assert raised.value.message == "The user with name wrong-user-name cannot be found."
        for user, wrong in (("alice", "satisfiesregexbutstillinvalid"), ("bob", credential_id)):
            with pytest.raises(NoSuchEntity) as raised:
                iam(operation, UserName=user, ServiceSpecificCredentialId=wrong, **extra)
            assert raised.value.message == f"No such credential {wrong} exists"
    assert len(iam("ListServiceSpecificCredentials", UserName="alice")["ServiceSpecificCredentials"]) == 1


def test_without_user_name_the_caller_and_delete_user_needs_them_gone(iam: Iam) -> None:
    """List, Update, Reset, Delete: "If this value is not specified, then the operation
    assumes the user whose credentials are used to call the operation" (the AWS CLI's
    reset- and delete- examples "for the user making the request"). DeleteUser answers
    DeleteConflict ([LS-IAM] test_delete_user_after_service_credential_created)."""
    iam("CreateUser", UserName="alice")
    credential_id = iam("CreateServiceSpecificCredential", UserName="alice", ServiceName=CODECOMMIT)[
        "ServiceSpecificCredential"
    ]["ServiceSpecificCredentialId"]
    with pytest.raises(DeleteConflict) as raised:
        iam("DeleteUser", UserName="alice")
    assert raised.value.message == "Cannot delete entity, must remove referenced objects first."
    assert raised.value.status == 409

    # The root user has none (unconfirmed: an empty list, and NoSuchEntity for an id).
    assert iam("ListServiceSpecificCredentials")["ServiceSpecificCredentials"] == []
    with pytest.raises(NoSuchEntity):
        iam("ResetServiceSpecificCredential", ServiceSpecificCredentialId=credential_id)

    iam.as_user("alice")
    [item] = iam("ListServiceSpecificCredentials")["ServiceSpecificCredentials"]
    assert item["ServiceSpecificCredentialId"] == credential_id and item["UserName"] == "alice"
    iam("UpdateServiceSpecificCredential", ServiceSpecificCredentialId=credential_id, Status="Inactive")
    assert (
        iam("ResetServiceSpecificCredential", ServiceSpecificCredentialId=credential_id)["ServiceSpecificCredential"][
            "UserName"
        ]
        == "alice"
    )
    iam("DeleteServiceSpecificCredential", ServiceSpecificCredentialId=credential_id)
    iam.caller = Caller(f"arn:aws:iam::{ACCOUNT}:root", PrincipalKind.ROOT, ACCOUNT)
    iam("DeleteUser", UserName="alice")


def test_a_role_session_must_name_the_user(iam: Iam) -> None:
    """As ListAccessKeys: a caller that is not an IAM user must give UserName."""
    iam.caller = Caller(f"arn:aws:sts::{ACCOUNT}:assumed-role/ops/s", PrincipalKind.ROLE, ACCOUNT)
    with pytest.raises(ValidationError):
        iam("ListServiceSpecificCredentials")


def test_all_users(iam: Iam) -> None:
    """ListServiceSpecificCredentials's AllUsers: "A flag indicating whether to list service
    specific credentials for all users. This parameter cannot be specified together with
    UserName. When true, returns all credentials associated with the specified service."""
    for name in ("alice", "bob"):
        iam("CreateUser", UserName=name)
        iam("CreateServiceSpecificCredential", UserName=name, ServiceName=CODECOMMIT)
    iam("CreateServiceSpecificCredential", UserName="bob", ServiceName=KEYSPACES)
    everyone = iam("ListServiceSpecificCredentials", AllUsers=True, ServiceName=CODECOMMIT)[
        "ServiceSpecificCredentials"
    ]
    assert sorted(item["UserName"] for item in everyone) == ["alice", "bob"]
    assert len(iam("ListServiceSpecificCredentials", AllUsers=True)["ServiceSpecificCredentials"]) == 3
    with pytest.raises(InvalidInput):
        iam("ListServiceSpecificCredentials", AllUsers=True, UserName="alice")


def test_api_keys_and_expired_are_not_taken(iam: Iam) -> None:
    """Bedrock's long-term API keys ("API keys for Amazon Bedrock", IAM User Guide) are not
    implemented: 501 NotImplemented, as any operation iamsandbox lacks. CredentialAgeDays
    "is only valid for services that support long-term API keys"; Update takes Active or
    Inactive (its API reference: "Sets the status of a service-specific credential to Active
    or Inactive")."""
    iam("CreateUser", UserName="alice")
    with pytest.raises(errors.NotImplemented) as raised:
        iam("CreateServiceSpecificCredential", UserName="alice", ServiceName="bedrock.amazonaws.com")
    assert raised.value.status == 501
    assert (
        iam("ListServiceSpecificCredentials", UserName="alice", ServiceName="bedrock.amazonaws.com")[
            "ServiceSpecificCredentials"
        ]
        == []
    )
    with pytest.raises(InvalidInput):
        iam("CreateServiceSpecificCredential", UserName="alice", ServiceName=CODECOMMIT, CredentialAgeDays=30)
    credential_id = iam("CreateServiceSpecificCredential", UserName="alice", ServiceName=CODECOMMIT)[
        "ServiceSpecificCredential"
    ]["ServiceSpecificCredentialId"]
    with pytest.raises(InvalidInput):
        iam(
            "UpdateServiceSpecificCredential",
            UserName="alice",
            ServiceSpecificCredentialId=credential_id,
            Status="Expired",
        )


# --- through the request path ------------------------------------------------------------


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    made = open_app(tmp_path, ACCOUNT)
    yield made
    made.store.close()


def test_protocol_checks_the_id_and_status_before_the_handler(app: App) -> None:
    """[LS-IAM] test_user_match_id_mismatch, test_invalid_update_parameters:
    an id outside the model's pattern [\\w]+, and a Status outside its enum, are
    ValidationError."""
    root = client(app, "iam", root_keys(app, ACCOUNT), validate=False)
    root.create_user(UserName="alice")
    with pytest.raises(ClientError) as raised:
        root.delete_service_specific_credential(
            UserName="alice", ServiceSpecificCredentialId="totally-wrong-credential-id-with-hyphens"
        )
    error = raised.value.response["Error"]
    assert error["Code"] == "ValidationError"
    assert "Member must satisfy regular expression pattern: [\\w]+" in error["Message"]
    credential_id = root.create_service_specific_credential(UserName="alice", ServiceName=CODECOMMIT)[
        "ServiceSpecificCredential"
    ]["ServiceSpecificCredentialId"]
    with pytest.raises(ClientError) as raised:
        root.update_service_specific_credential(
            UserName="alice", ServiceSpecificCredentialId=credential_id, Status="Invalid"
        )
    assert raised.value.response["Error"]["Code"] == "ValidationError"
    assert "Member must satisfy enum value set" in raised.value.response["Error"]["Message"]


def test_own_git_credentials_policy(app: App) -> None:
    """The IAM User Guide's self-management example, statement AllowManageOwnGitCredentials:
    the five actions on arn:aws:iam::*:user/${aws:username}. Its user manages its own
    credentials (UserName given or not) and is denied another user's, on that user's ARN."""
    root = client(app, "iam", root_keys(app, ACCOUNT))
    root.create_user(UserName="bob")
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AllowManageOwnGitCredentials",
                "Effect": "Allow",
                "Action": [
                    "iam:CreateServiceSpecificCredential",
                    "iam:DeleteServiceSpecificCredential",
                    "iam:ListServiceSpecificCredentials",
                    "iam:ResetServiceSpecificCredential",
                    "iam:UpdateServiceSpecificCredential",
                ],
                "Resource": "arn:aws:iam::*:user/${aws:username}",
            }
        ],
    }
    alice: Any = client(app, "iam", user_keys(app, ACCOUNT, "alice"))
    root.put_user_policy(UserName="alice", PolicyName="git", PolicyDocument=json.dumps(policy))
    created = alice.create_service_specific_credential(UserName="alice", ServiceName=CODECOMMIT)
    credential_id = created["ServiceSpecificCredential"]["ServiceSpecificCredentialId"]
    assert [
        c["ServiceSpecificCredentialId"]
        for c in alice.list_service_specific_credentials()["ServiceSpecificCredentials"]
    ] == [credential_id]
    alice.update_service_specific_credential(ServiceSpecificCredentialId=credential_id, Status="Inactive")
    alice.reset_service_specific_credential(ServiceSpecificCredentialId=credential_id)
    alice.delete_service_specific_credential(ServiceSpecificCredentialId=credential_id)

    with pytest.raises(ClientError) as denied:
        alice.create_service_specific_credential(UserName="bob", ServiceName=CODECOMMIT)
    error = denied.value.response["Error"]
    assert error["Code"] == "AccessDenied" and denied.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    # How IAM names the user in the message (its ARN, or "user bob") is the denial
    # messages' business (authz/denial.py); here: who, which action, which user, and why.
    message = error["Message"]
    assert message.startswith(
        f"User: arn:aws:iam::{ACCOUNT}:user/alice is not authorized to perform: "
        "iam:CreateServiceSpecificCredential on resource: "
    )
    assert "bob" in message
    assert message.endswith("because no identity-based policy allows the iam:CreateServiceSpecificCredential action")
    with pytest.raises(ClientError) as denied:
        alice.list_service_specific_credentials(UserName="bob")
    assert denied.value.response["Error"]["Code"] == "AccessDenied"
    # AllUsers is checked on every user (user/*) too (unconfirmed): this policy does not grant it.
    with pytest.raises(ClientError) as denied:
        alice.list_service_specific_credentials(AllUsers=True)
    assert denied.value.response["Error"]["Code"] == "AccessDenied"
    assert "user/*" in denied.value.response["Error"]["Message"]


def test_the_service_name_condition_key_on_create(app: App) -> None:
    """Service Authorization Reference: iam:CreateServiceSpecificCredential takes
    iam:ServiceSpecificCredentialServiceName ("Filters access by the service name"): a user
    allowed CodeCommit credentials only is denied Keyspaces ones."""
    root = client(app, "iam", root_keys(app, ACCOUNT))
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "iam:CreateServiceSpecificCredential",
                "Resource": "*",
                "Condition": {"StringEquals": {"iam:ServiceSpecificCredentialServiceName": CODECOMMIT}},
            }
        ],
    }
    dev: Any = client(app, "iam", user_keys(app, ACCOUNT, "dev"))
    root.put_user_policy(UserName="dev", PolicyName="codecommit-only", PolicyDocument=json.dumps(policy))
    dev.create_service_specific_credential(UserName="dev", ServiceName=CODECOMMIT)
    with pytest.raises(ClientError) as denied:
        dev.create_service_specific_credential(UserName="dev", ServiceName=KEYSPACES)
    assert denied.value.response["Error"]["Code"] == "AccessDenied"


def test_the_password_never_reaches_the_list_or_the_error(app: App) -> None:
    """ListServiceSpecificCredentials answers ServiceSpecificCredentialMetadata, a shape
    without ServicePassword: the raw XML of the list does not carry it."""
    root = client(app, "iam", root_keys(app, ACCOUNT))
    root.create_user(UserName="alice")
    password = root.create_service_specific_credential(UserName="alice", ServiceName=CODECOMMIT)[
        "ServiceSpecificCredential"
    ]["ServicePassword"]
    bodies: list[bytes] = []
    root.meta.events.register(
        "after-call.iam.ListServiceSpecificCredentials", lambda http_response, **_: bodies.append(http_response.content)
    )
    root.list_service_specific_credentials(UserName="alice")
    assert bodies and b"ServicePassword" not in bodies[0] and password.encode() not in bodies[0]

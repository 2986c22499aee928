"""The real IAM and STS models, botocore as the oracle: for every operation, botocore's
query serializer writes generated params and we read them back unchanged; our serializer
writes a generated result and botocore's QueryParser reads it back unchanged. Plus
hand-written requests and results of the operations the reference workflow leans on.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
from botocore.model import OperationModel, Shape
from botocore.parsers import create_parser
from botocore.serialize import create_serializer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iamsandbox.protocol.model import ServiceModels
from iamsandbox.protocol.query import QueryProtocol, field_tree, parse_form
from iamsandbox.services.iam.access_advisor import JOB_ANSWERS

MODELS = ServiceModels()
PROTOCOLS = {
    "iam": QueryProtocol.for_service(MODELS, "iam", keeps_milliseconds=JOB_ANSWERS),
    "sts": QueryProtocol.for_service(MODELS, "sts"),
}
OPERATIONS = [(name, op) for name in ("iam", "sts") for op in sorted(MODELS.service(name).operation_names)]
SERIALIZER = create_serializer("query", include_validation=False)
PARSER = create_parser("query")

# Text XML 1.0 can carry (and a form can), without surrogates.
TEXT = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\ufffe\uffff", min_codepoint=0x09).filter(
        lambda c: c in "\t\n\r" or ord(c) >= 0x20
    ),
    max_size=12,
)
TIMESTAMPS = st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2100, 1, 1)).map(
    lambda d: d.replace(microsecond=d.microsecond // 1000 * 1000, tzinfo=UTC)
)


def values(shape: Shape, depth: int = 0) -> st.SearchStrategy[Any]:
    """Any value of the shape as botocore's client takes it (no constraints)."""
    kind = shape.type_name
    if kind == "structure":
        members = {name: values(member, depth + 1) for name, member in shape.members.items()}
        if depth > 3 or not members:
            return st.just({})
        if shape.is_tagged_union:
            # A union carries exactly one of its members (botocore refuses any other count).
            return st.one_of([st.fixed_dictionaries({name: member}) for name, member in members.items()])
        strategy = st.fixed_dictionaries({}, optional=members)
        # An empty nested structure puts nothing on the wire: keep nested ones non-empty.
        return strategy if depth == 0 else strategy.filter(bool)
    if kind == "list":
        return st.lists(values(shape.member, depth + 1), max_size=0 if depth > 3 else 3)
    if kind == "map":
        # An empty map puts nothing on the wire (the suites cover empty output maps).
        return st.dictionaries(values(shape.key, depth + 1), values(shape.value, depth + 1), min_size=1, max_size=3)
    if kind == "integer":
        return st.integers(-(2**31), 2**31 - 1)
    if kind == "long":
        return st.integers(-(2**63), 2**63 - 1)
    if kind == "boolean":
        return st.booleans()
    if kind == "timestamp":
        return TIMESTAMPS
    if kind == "blob":
        return st.binary(max_size=12)
    if "enum" in shape.metadata:
        return st.sampled_from(shape.metadata["enum"])
    return TEXT


def _botocore_request(operation: OperationModel, params: dict[str, Any]) -> str:
    return urlencode(SERIALIZER.serialize_to_request(params, operation)["body"])


def _botocore_reads(body: bytes, operation: OperationModel) -> dict[str, Any]:
    parsed: dict[str, Any] = PARSER.parse({"status_code": 200, "headers": {}, "body": body}, operation.output_shape)
    parsed.pop("ResponseMetadata")
    return parsed


@pytest.mark.parametrize(("service", "name"), OPERATIONS)
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_botocore_request_reads_back(service: str, name: str, data: st.DataObject) -> None:
    operation = MODELS.operation(service, name)
    if operation.input_shape is None:
        return
    params = data.draw(values(operation.input_shape))
    body = _botocore_request(operation, params)
    # Constraints are checked elsewhere: here only the reading, whatever the values.
    plan = PROTOCOLS[service].plan(name)
    assert plan.read(field_tree(parse_form(body))) == params


@pytest.mark.parametrize(("service", "name"), OPERATIONS)
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_result_reads_back_in_botocore(service: str, name: str, data: st.DataObject) -> None:
    operation = MODELS.operation(service, name)
    result = data.draw(values(operation.output_shape)) if operation.output_shape is not None else {}
    body = PROTOCOLS[service].serialize(name, result, "c0ffee")
    # IAM answers whole seconds but to the operation that creates and a report job's (QueryProtocol).
    keeps = name.startswith("Create") or name in JOB_ANSWERS
    expected = _whole_seconds(result) if service == "iam" and not keeps else result
    assert _botocore_reads(body, operation) == expected


def _whole_seconds(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.replace(microsecond=0)
    if isinstance(value, dict):
        return {key: _whole_seconds(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_whole_seconds(item) for item in value]
    return value


@pytest.mark.parametrize(
    ("name", "written"),
    [
        # The AWS CLI Command Reference: create-user's example answers
        # "CreateDate": "2023-06-08T03:20:41.270Z"; get-user's "2019-09-21T23:03:13Z".
        ("CreateUser", "<CreateDate>2023-06-08T03:20:41.270Z</CreateDate>"),
        ("GetUser", "<CreateDate>2023-06-08T03:20:41Z</CreateDate>"),
    ],
)
def test_iam_writes_milliseconds_only_when_it_creates(name: str, written: str) -> None:
    user = {
        "Path": "/",
        "UserName": "Bob",
        "UserId": "AIDAEXAMPLEEXAMPLE123",
        "Arn": "arn:aws:iam::123456789012:user/Bob",
        "CreateDate": datetime(2023, 6, 8, 3, 20, 41, 270_000, tzinfo=UTC),
    }
    assert written in PROTOCOLS["iam"].serialize(name, {"User": user}, "c0ffee").decode()
    # STS keeps the milliseconds it has (its answers are not read back).
    expiration = datetime(2023, 6, 8, 3, 20, 41, 270_000, tzinfo=UTC)
    credentials = {"AccessKeyId": "ASIA", "SecretAccessKey": "s", "SessionToken": "t", "Expiration": expiration}
    sts = PROTOCOLS["sts"].serialize("GetSessionToken", {"Credentials": credentials}, "c0ffee").decode()
    assert "<Expiration>2023-06-08T03:20:41.270Z</Expiration>" in sts


def test_a_report_job_keeps_its_milliseconds() -> None:
    """The AWS CLI Command Reference, get-service-last-accessed-details: "JobCreationDate":
    "2019-10-01T03:50:35.929Z", where LastAuthenticated is "2019-09-30T23:02:00Z"."""
    created = datetime(2019, 10, 1, 3, 50, 35, 929_000, tzinfo=UTC)
    result = {
        "JobStatus": "COMPLETED",
        "JobCreationDate": created,
        "JobCompletionDate": created,
        "ServicesLastAccessed": [
            {"ServiceName": "AWS Lambda", "ServiceNamespace": "lambda", "TotalAuthenticatedEntities": 0}
        ],
    }
    written = PROTOCOLS["iam"].serialize("GetServiceLastAccessedDetails", result, "c0ffee").decode()
    assert "<JobCreationDate>2019-10-01T03:50:35.929Z</JobCreationDate>" in written


HAND_WRITTEN = [
    (
        "iam",
        "CreateRole",
        {
            "Path": "/team/",
            "RoleName": "my-s3-x-account-role",
            "AssumeRolePolicyDocument": '{"Version":"2012-10-17","Statement":[{"Effect":"Allow",'
            '"Principal":{"AWS":"arn:aws:iam::222222222222:root"},"Action":"sts:AssumeRole"}]}',
            "Description": "cross-account & <read>",
            "MaxSessionDuration": 7200,
            "PermissionsBoundary": "arn:aws:iam::aws:policy/PowerUserAccess",
            "Tags": [{"Key": "team", "Value": "a b+c"}, {"Key": "env", "Value": ""}],
        },
    ),
    (
        "sts",
        "AssumeRole",
        {
            "RoleArn": "arn:aws:iam::111111111111:role/my-s3-x-account-role",
            "RoleSessionName": "alice@example.com",
            "PolicyArns": [{"arn": "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"}],
            "Policy": '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}',
            "DurationSeconds": 900,
            "Tags": [{"Key": "project", "Value": "x"}, {"Key": "cost-center", "Value": "12"}],
            "TransitiveTagKeys": ["project"],
            "ExternalId": "ext-123",
            "SerialNumber": "arn:aws:iam::222222222222:mfa/alice",
            "TokenCode": "123456",
            "SourceIdentity": "alice",
        },
    ),
    (
        "iam",
        "PutRolePolicy",
        {"RoleName": "r", "PolicyName": "p", "PolicyDocument": '{"Version":"2012-10-17","Statement":[]}'},
    ),
    (
        "iam",
        "SimulateCustomPolicy",
        {
            "PolicyInputList": ['{"Version":"2012-10-17","Statement":[]}'],
            "ActionNames": ["s3:GetObject", "s3:PutObject"],
            "ResourceArns": ["arn:aws:s3:::bucket/key"],
            "ContextEntries": [
                {"ContextKeyName": "aws:SourceIp", "ContextKeyValues": ["10.0.0.1"], "ContextKeyType": "ip"},
                {
                    "ContextKeyName": "aws:MultiFactorAuthPresent",
                    "ContextKeyValues": ["true"],
                    "ContextKeyType": "boolean",
                },
            ],
            "MaxItems": 100,
        },
    ),
    ("iam", "ListPolicies", {"Scope": "AWS", "OnlyAttached": True, "PathPrefix": "/", "MaxItems": 1000}),
    ("iam", "GetAccountAuthorizationDetails", {"Filter": ["Role", "LocalManagedPolicy"], "MaxItems": 10}),
]


@pytest.mark.parametrize(("service", "name", "params"), HAND_WRITTEN, ids=[c[1] for c in HAND_WRITTEN])
def test_hand_written_request_parses_and_validates(service: str, name: str, params: dict[str, Any]) -> None:
    operation = MODELS.operation(service, name)
    # botocore's own client-side validation accepts them: they are valid requests.
    body = urlencode(create_serializer("query").serialize_to_request(params, operation)["body"])
    assert PROTOCOLS[service].parse(body) == (name, params)


def _policy(index: int) -> dict[str, Any]:
    created = datetime(2015, 2, 6, 18, 40, 0, tzinfo=UTC) + timedelta(days=index)
    return {
        "PolicyName": f"Policy{index}",
        "PolicyId": f"ANPA{index:017d}",
        "Arn": f"arn:aws:iam::aws:policy/Policy{index}",
        "Path": "/",
        "DefaultVersionId": "v3",
        "AttachmentCount": index % 3,
        "PermissionsBoundaryUsageCount": 0,
        "IsAttachable": True,
        "CreateDate": created,
        "UpdateDate": created + timedelta(hours=1),
    }


def test_list_policies_result() -> None:
    operation = MODELS.operation("iam", "ListPolicies")
    result = {"Policies": [_policy(i) for i in range(100)], "IsTruncated": True, "Marker": "abc=="}
    body = PROTOCOLS["iam"].serialize("ListPolicies", result, "rid")
    assert body.startswith(b'<ListPoliciesResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">')
    assert b"<CreateDate>2015-02-06T18:40:00Z</CreateDate>" in body
    assert b"<IsTruncated>true</IsTruncated>" in body
    assert _botocore_reads(body, operation) == result


def test_get_account_authorization_details_result() -> None:
    operation = MODELS.operation("iam", "GetAccountAuthorizationDetails")
    created = datetime(2026, 11, 27, 20, 41, 10, tzinfo=UTC)
    document = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}]}'
    result = {
        "UserDetailList": [
            {
                "Path": "/",
                "UserName": "alice",
                "UserId": "AIDA0000000000000001",
                "Arn": "arn:aws:iam::222222222222:user/alice",
                "CreateDate": created,
                "UserPolicyList": [{"PolicyName": "inline", "PolicyDocument": document}],
                "GroupList": ["admins"],
                "AttachedManagedPolicies": [
                    {"PolicyName": "my-s3-x-account-policy", "PolicyArn": "arn:aws:iam::222222222222:policy/p"}
                ],
                "Tags": [{"Key": "team", "Value": "blue"}],
            }
        ],
        "RoleDetailList": [
            {
                "Path": "/",
                "RoleName": "my-s3-x-account-role",
                "RoleId": "AROA0000000000000001",
                "Arn": "arn:aws:iam::111111111111:role/my-s3-x-account-role",
                "CreateDate": created,
                "AssumeRolePolicyDocument": document,
                "InstanceProfileList": [],
                "RolePolicyList": [],
                "AttachedManagedPolicies": [],
                "RoleLastUsed": {"LastUsedDate": created, "Region": "us-east-1"},
            }
        ],
        "Policies": [
            {
                "PolicyName": "p",
                "Arn": "arn:aws:iam::222222222222:policy/p",
                "IsAttachable": True,
                "PolicyVersionList": [
                    {"Document": document, "VersionId": "v1", "IsDefaultVersion": True, "CreateDate": created}
                ],
            }
        ],
        "IsTruncated": False,
    }
    body = PROTOCOLS["iam"].serialize("GetAccountAuthorizationDetails", result, "rid")
    assert b"<InstanceProfileList/>" in body
    assert _botocore_reads(body, operation) == result


def test_operation_without_output_has_no_result_element() -> None:
    body = PROTOCOLS["iam"].serialize("DeleteRole", None, "req-1")
    assert body == (
        b'<DeleteRoleResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">'
        b"<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></DeleteRoleResponse>"
    )

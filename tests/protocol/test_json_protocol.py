"""The JSON 1.1 protocol over botocore's AWS Organizations model (``protocol/json_protocol.py``).

What a request and an answer look like comes from the Smithy ``awsJson1_1`` protocol
specification; Organizations' wording of a model violation from InvalidInputException in the
AWS Organizations API reference and AWS's recorded answers (cited in the module).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from botocore.model import ServiceModel
from botocore.parsers import create_parser
from hypothesis import given, settings
from hypothesis import strategies as st

from iamsandbox import errors
from iamsandbox.errors import AccessDenied, InternalError, InvalidClientTokenId, ServiceError, SignatureDoesNotMatch
from iamsandbox.protocol.json_protocol import (
    InvalidInputException,
    JsonProtocol,
    SerializationException,
    UnknownOperationException,
    json_error,
)
from iamsandbox.protocol.model import ServiceModels

TARGET = "AWSOrganizationsV20161128."


@pytest.fixture(scope="module")
def model() -> ServiceModel:
    return ServiceModels().service("organizations")


@pytest.fixture(scope="module")
def protocol(model: ServiceModel) -> JsonProtocol:
    return JsonProtocol(model)


def _parsed_by_botocore(model: ServiceModel, operation: str, status: int, body: bytes) -> dict[str, Any]:
    """What boto3 makes of an answer: botocore's own JSON parser over the operation's output."""
    parser = create_parser("json")
    response = {"status_code": status, "headers": {"x-amzn-requestid": "r"}, "body": body}
    return parser.parse(response, model.operation_model(operation).output_shape)


def test_a_request_is_read_by_its_target_and_members(protocol: JsonProtocol) -> None:
    body = json.dumps({"Name": "Prod", "ParentId": "r-ab12", "Tags": [{"Key": "team", "Value": "a"}]}).encode()
    parsed = protocol.parse(TARGET + "CreateOrganizationalUnit", body)
    assert parsed.operation == "CreateOrganizationalUnit"
    assert parsed.params == {"ParentId": "r-ab12", "Name": "Prod", "Tags": [{"Key": "team", "Value": "a"}]}


def test_an_empty_body_is_the_empty_structure(protocol: JsonProtocol) -> None:
    assert protocol.parse(TARGET + "DescribeOrganization", b"").params == {}
    assert protocol.parse(TARGET + "ListRoots", b"{}").params == {}


def test_members_the_model_does_not_have_are_ignored(protocol: JsonProtocol) -> None:
    assert protocol.parse(TARGET + "ListRoots", b'{"Unknown": 1, "MaxResults": 5}').params == {"MaxResults": 5}


@pytest.mark.parametrize(
    "target",
    [None, "", "ListRoots", "AWSOrganizationsV20161128.NoSuchOperation", "DynamoDB_20120810.ListTables"],
)
def test_a_target_naming_no_operation_is_unknown(protocol: JsonProtocol, target: str | None) -> None:
    with pytest.raises(UnknownOperationException):
        protocol.parse(target, b"{}")


def test_an_operation_not_implemented_names_itself(model: ServiceModel) -> None:
    protocol = JsonProtocol(model, implemented={"ListRoots"})
    with pytest.raises(errors.NotImplemented, match="DescribeOrganization"):
        protocol.parse(TARGET + "DescribeOrganization", b"{}")


@pytest.mark.parametrize(
    "body",
    [
        b"{",
        b"[1]",
        b'"text"',
        b'{"MaxResults": "5"}',
        b'{"MaxResults": true}',
        b'{"Tags": {}}',
        b"\xff\xfe",
        # A robustness review's bodies, which were 500s: nesting deeper than the parser's
        # stack, and half of a surrogate pair (no Unicode text; the store cannot keep it).
        b'{"Foo":' + b"[" * 5000 + b"]" * 5000 + b"}",
        b'{"NextToken": "\\ud800"}',
        b'{"NextToken": "a\\udc80"}',
        b'{"NextToken": "\xed\xa0\x80"}',  # the same unescaped, in UTF-8's form (no UTF-8)
    ],
)
def test_a_body_of_the_wrong_shape_is_a_serialization_exception(protocol: JsonProtocol, body: bytes) -> None:
    with pytest.raises(SerializationException):
        protocol.parse(TARGET + ("ListRoots" if b"Tags" not in body else "CreateOrganizationalUnit"), body)


PATTERN = "You provided a value that does not match the required pattern."
REQUIRED = "You must include a value for all required parameters."
SMALLER = "You provided a numeric parameter that has a smaller value than allowed."
LARGER = "You provided a numeric parameter that has a larger value than allowed."
ENUM = "You specified an invalid value."
LONGER = "You provided a string parameter that is longer than allowed."


@pytest.mark.parametrize(
    ("operation", "body", "reason", "message"),
    [
        # PATTERN: DescribeAccount (aws-ia/terraform-aws-control_tower_account_factory#287),
        # ListPoliciesForTarget (boto/boto3#4565)
        ("DescribeAccount", {"AccountId": "123"}, "INVALID_PATTERN", PATTERN),
        ("DescribeAccount", {}, "INPUT_REQUIRED", REQUIRED),
        ("ListRoots", {"MaxResults": 0}, "MIN_VALUE_EXCEEDED", SMALLER),
        ("ListRoots", {"MaxResults": 21}, "MAX_VALUE_EXCEEDED", LARGER),
        ("ListPolicies", {"Filter": "NOT_A_TYPE"}, "INVALID_ENUM", ENUM),
        ("CreateOrganizationalUnit", {"ParentId": "r-ab12", "Name": "x" * 129}, "MAX_LENGTH_EXCEEDED", LONGER),
    ],
)
def test_organizations_answers_a_model_violation_with_its_reason(
    protocol: JsonProtocol, operation: str, body: dict[str, Any], reason: str, message: str
) -> None:
    """InvalidInputException's reasons (AWS Organizations API reference)."""
    with pytest.raises(InvalidInputException) as raised:
        protocol.parse(TARGET + operation, json.dumps(body).encode())
    assert raised.value.message == message
    assert raised.value.fields == {"Reason": reason}


def test_an_answer_is_the_output_shape_as_botocore_reads_it(protocol: JsonProtocol, model: ServiceModel) -> None:
    joined = datetime(2026, 1, 2, 3, 4, 5, 678000, tzinfo=UTC)
    result = {
        "Account": {
            "Id": "111111111111",
            "Arn": "arn:aws:organizations::111111111111:account/o-abcdefghij/111111111111",
            "Email": "a@example.com",
            "Name": "A",
            "Status": "ACTIVE",
            "JoinedMethod": "CREATED",
            "JoinedTimestamp": joined,
            "NotInTheModel": "left out",
        }
    }
    body = protocol.serialize("DescribeAccount", result)
    assert "NotInTheModel" not in json.loads(body)["Account"]
    parsed = _parsed_by_botocore(model, "DescribeAccount", 200, body)
    assert parsed["Account"]["JoinedTimestamp"] == joined
    assert parsed["Account"]["Id"] == "111111111111"


def test_an_error_is_its_type_and_message_with_its_members(protocol: JsonProtocol) -> None:
    error = InvalidInputException("You specified an invalid value.").with_fields({"Reason": "INVALID_ENUM"})
    status, body = protocol.serialize_error(error)
    assert status == 400
    assert json.loads(body) == {
        "__type": "InvalidInputException",
        "Message": "You specified an invalid value.",
        "Reason": "INVALID_ENUM",
    }


@pytest.mark.parametrize(
    ("error", "code", "status"),
    [
        (InvalidClientTokenId("The security token included in the request is invalid."), "UnrecognizedClientException", 400),  # noqa: E501
        (SignatureDoesNotMatch("The request signature we calculated does not match"), "InvalidSignatureException", 400),
        (AccessDenied("User: arn:aws:iam::111111111111:user/a is not authorized"), "AccessDeniedException", 400),
        (InternalError("We encountered an internal error."), "ServiceException", 500),
    ],
)  # fmt: skip
def test_common_errors_take_the_json_services_codes(error: ServiceError, code: str, status: int) -> None:
    renamed = json_error("organizations", error)
    assert (renamed.code, renamed.status) == (code, status)
    if code == "AccessDeniedException":
        assert renamed.message == "You don't have permissions to access this resource."


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_any_body_is_parsed_or_refused_in_aws_words(body: bytes) -> None:
    protocol = JsonProtocol(ServiceModels().service("organizations"))
    try:
        protocol.parse(TARGET + "CreatePolicy", body)
    except ServiceError:
        pass


@settings(max_examples=200, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
        max_leaves=20,
    )
)
def test_any_json_document_is_parsed_or_refused_in_aws_words(document: Any) -> None:
    protocol = JsonProtocol(ServiceModels().service("organizations"))
    for operation in ("CreateOrganizationalUnit", "ListAccounts", "TagResource", "CreateAccount"):
        try:
            protocol.parse(TARGET + operation, json.dumps(document).encode())
        except ServiceError:
            pass

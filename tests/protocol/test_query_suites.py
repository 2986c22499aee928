"""AWS's query-protocol test suites (botocore's copy of the Smithy protocol tests), with
botocore as the oracle: we parse each input case's body back into its params, and botocore
parses what we write for each output case back into its result.

Data: ``tests/data/protocols/query/`` (source, commit and licence in its README).
"""

from __future__ import annotations

import copy
import json
import math
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from botocore.model import ServiceModel, Shape
from botocore.parsers import create_parser

from iamsandbox.errors import ServiceError
from iamsandbox.protocol.query import QueryProtocol
from iamsandbox.protocol.validate import MessageStyle

DATA = Path(__file__).resolve().parents[1] / "data" / "protocols" / "query"
IGNORE = json.loads((DATA / "protocol-tests-ignore-list.json").read_text())
IGNORED_SUITES = set(IGNORE["general"]["input"]["suites"])
IGNORED_INPUT = set(IGNORE["protocols"]["query"]["input"]["cases"])
IGNORED_OUTPUT = set(IGNORE["protocols"]["query"]["output"]["cases"])


def _cases(name: str) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    found = []
    for index, suite in enumerate(json.loads((DATA / name).read_text())):
        for number, case in enumerate(suite["cases"]):
            case_id = case.get("id") or f"{suite['description']}#{number}"
            found.append(pytest.param(suite, case, id=f"{index}:{case_id}"))
    return found


def _service(suite: dict[str, Any], case: dict[str, Any], *, wrap_result: bool = False) -> ServiceModel:
    given = copy.deepcopy(case["given"])
    if wrap_result and "output" in given:
        # AWS wraps every query result in <{Op}Result>; the Smithy-generated cases leave the
        # wrapper out of the model (botocore's own runner adds it the same way).
        given["output"].setdefault("resultWrapper", f"{given['name']}Result")
    model = {
        "metadata": {**suite["metadata"], "xmlNamespace": "https://example.com/"},
        "operations": {given["name"]: given},
        "shapes": suite["shapes"],
    }
    return ServiceModel(model, service_name="suite")


def _to_params(value: Any, shape: Shape, drop_empty: bool = False) -> Any:
    """A case's JSON value as botocore-shaped params: datetimes and bytes."""
    kind = shape.type_name
    if value is None:
        return None
    if kind == "structure":
        # An empty map or structure puts nothing on the wire (QueryEmptyQueryMaps): the
        # server cannot tell it from an absent one.
        return {
            k: _to_params(v, shape.members[k], drop_empty)
            for k, v in value.items()
            if not (drop_empty and v == {} and shape.members[k].type_name in ("map", "structure"))
        }
    if kind == "list":
        return [_to_params(v, shape.member, drop_empty) for v in value]
    if kind == "map":
        return {k: _to_params(v, shape.value, drop_empty) for k, v in value.items()}
    if kind == "timestamp":
        if isinstance(value, int | float):
            return datetime.fromtimestamp(value, UTC)
        return datetime.fromisoformat(value).astimezone(UTC)
    if kind == "blob":
        return value.encode() if isinstance(value, str) else value
    if kind in ("float", "double") and isinstance(value, str):
        return float(value)
    return value


def _comparable(value: Any) -> Any:
    """Datetimes as epoch seconds, NaN as a string, so that == compares what matters."""
    if isinstance(value, dict):
        return {k: _comparable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_comparable(v) for v in value]
    if isinstance(value, datetime):
        return round(value.timestamp(), 3)
    if isinstance(value, float) and math.isnan(value):
        return "NaN"
    return value


@pytest.mark.parametrize(("suite", "case"), _cases("input.json") + _cases("legacy/input.json"))
def test_input_case_parses_back_to_params(suite: dict[str, Any], case: dict[str, Any]) -> None:
    if suite["description"] in IGNORED_SUITES or case.get("id") in IGNORED_INPUT:
        pytest.skip("botocore itself skips this case (protocol-tests-ignore-list.json)")
    service = _service(suite, case)
    protocol = QueryProtocol(service, style=MessageStyle())
    operation = service.operation_model(case["given"]["name"])
    body = case["serialized"]["body"]
    parsed = protocol.parse(body)
    assert parsed.operation == operation.name
    shape = operation.input_shape
    expected = _to_params(case["params"], shape, drop_empty=True) if shape is not None else {}
    assert _comparable(parsed.params) == _comparable(expected)


@pytest.mark.parametrize(("suite", "case"), _cases("output.json") + _cases("legacy/output.json"))
def test_output_case_is_read_back_by_botocore(suite: dict[str, Any], case: dict[str, Any]) -> None:
    if case.get("id") in IGNORED_OUTPUT:
        pytest.skip("botocore itself skips this case (protocol-tests-ignore-list.json)")
    service = _service(suite, case, wrap_result=True)
    protocol = QueryProtocol(service, style=MessageStyle())
    operation = service.operation_model(case["given"]["name"])
    parser = create_parser("query")
    if "errorCode" in case:
        error = type(case["errorCode"], (ServiceError,), {"code": case["errorCode"]})(case.get("errorMessage", ""))
        status, body = protocol.serialize_error(error, "foo-id")
        parsed = parser.parse({"status_code": status, "headers": {}, "body": body}, None)
        assert parsed["Error"]["Code"] == case["errorCode"]
        assert parsed["Error"]["Message"] == case.get("errorMessage", "")
        assert parsed["Error"]["Type"] == "Sender"
        assert parsed["ResponseMetadata"]["RequestId"] == "foo-id"
        return
    shape = operation.output_shape
    result = _to_params(case["result"], shape) if shape is not None else {}
    body = protocol.serialize(operation.name, result, "request-1")
    parsed = parser.parse({"status_code": 200, "headers": {}, "body": body}, shape)
    metadata = parsed.pop("ResponseMetadata")
    assert metadata["RequestId"] == "request-1"
    assert _comparable(parsed) == _comparable(result)

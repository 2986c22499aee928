"""botocore's REST-XML protocol tests (Smithy's, plus botocore's legacy ones) against our
route, parse and serialize: botocore is the oracle.

Input cases: the request an SDK sends (``serialized``) must route to the operation and
parse back to ``params``. Output cases: our response for ``result`` must parse, with
botocore's RestXMLParser, back to ``result``. Cases botocore itself skips
(``protocol-tests-ignore-list.json``) are skipped; the other skips are listed, with their
reason, in ``tests/data/protocols/rest-xml/README.md`` and in ``SKIPS`` below.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path
from typing import Any

import pytest
from botocore.awsrequest import HeadersDict
from botocore.model import OperationModel, ServiceModel
from botocore.parsers import create_parser

from iamsandbox.errors import S3Error
from iamsandbox.protocol.http import HttpRequest
from iamsandbox.protocol.rest_xml import RestXml
from iamsandbox.protocol.s3_routing import RouteTable, parse_query

DATA = Path(__file__).resolve().parents[1] / "data" / "protocols" / "rest-xml"
IGNORE = json.loads((DATA / "protocol-tests-ignore-list.json").read_text())
IGNORED_CASES = {kind: set(IGNORE["protocols"]["rest-xml"][kind]["cases"]) for kind in ("input", "output")}
IGNORED_SUITES = set(IGNORE["general"]["input"]["suites"])

# Our own skips, each with its reason (also in the README).
SKIPS = {
    # Endpoint traits put labels in the host name (hostPrefix): no S3 operation we serve
    # has one (S3 Control does), so the parser does not read host labels.
    "RestXmlEndpointTraitWithHostLabel": "hostPrefix host labels are not parsed",
    "RestXmlEndpointTraitWithHostLabelAndHttpBinding": "hostPrefix host labels are not parsed",
    # Event streams are written by no operation we serve (S3's SelectObjectContent is
    # answered NotImplemented).
    "legacy-14-0": "event stream output is not written",
    "legacy-14-1": "event stream output is not written",
    "legacy-14-2": "event stream output is not written",
    # SDK_UNKNOWN_MEMBER is the client's marker for a union member it does not know; a
    # server never has one to write.
    "legacy-16-2": "a client-side marker for unknown union members",
}


def _suites(name: str) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    cases = []
    for path in (DATA / f"{name}.json", DATA / "legacy" / f"{name}.json"):
        for s_index, suite in enumerate(json.loads(path.read_text())):
            for c_index, case in enumerate(suite["cases"]):
                ident = case.get("id") or f"legacy-{s_index}-{c_index}"
                cases.append((ident, suite, case))
    return cases


def _operation(suite: dict[str, Any], case: dict[str, Any]) -> tuple[ServiceModel, OperationModel]:
    given = dict(case["given"])
    given.setdefault("http", {"method": "POST", "requestUri": "/"})
    metadata = dict(suite.get("metadata", {}))
    metadata.setdefault("protocol", "rest-xml")
    model = ServiceModel(
        {"metadata": metadata, "operations": {given["name"]: given}, "shapes": suite.get("shapes", {})},
        service_name="protocoltest",
    )
    return model, model.operation_model(given["name"])


def _normal(shape: Any, value: Any) -> Any:
    """A comparable form: timestamps as epoch floats, blobs as bytes, floats' NaN as text,
    None members dropped."""
    if value is None or shape is None:
        return value
    kind = shape.type_name
    if kind == "structure":
        return {
            k: _normal(shape.members.get(k), v)
            for k, v in value.items()
            if v is not None and not (v in ({}, []) and _in_http(shape.members.get(k)))
        }
    if kind == "list":
        return [_normal(shape.member, v) for v in value]
    if kind == "map":
        return {k: _normal(shape.value, v) for k, v in value.items()}
    if kind == "timestamp":
        if isinstance(value, dt.datetime):
            moment = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
            return moment.timestamp()
        if isinstance(value, int | float):
            return float(value)
        return dt.datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp()
    if kind == "blob":
        if isinstance(value, str):
            return value.encode()
        return value if isinstance(value, bytes) else value.read()
    if kind in ("float", "double"):
        number = float(value)
        return "NaN" if math.isnan(number) else number
    return value


def _in_http(member: Any) -> bool:
    # An empty list or map in headers or the query sends nothing: it cannot be told from absent.
    return member is not None and member.serialization.get("location") in ("header", "headers", "querystring")


INPUT_CASES = _suites("input")
OUTPUT_CASES = _suites("output")


@pytest.mark.parametrize(("ident", "suite", "case"), INPUT_CASES, ids=[c[0] for c in INPUT_CASES])
def test_input_case(ident: str, suite: dict[str, Any], case: dict[str, Any]) -> None:
    if ident in IGNORED_CASES["input"] or suite["description"] in IGNORED_SUITES:
        pytest.skip("in botocore's protocol-tests-ignore-list.json")
    if ident in SKIPS:
        pytest.skip(SKIPS[ident])
    model, operation = _operation(suite, case)
    serialized = case["serialized"]
    method = serialized.get("method", operation.http["method"])
    path, _, raw_query = serialized["uri"].partition("?")
    headers = {k.lower(): v for k, v in serialized.get("headers", {}).items()}
    body = serialized.get("body") or ""
    request = HttpRequest(method, path, raw_query, headers, body.encode("utf-8"))

    query = parse_query(raw_query)
    match = RouteTable(model).match(method, path, query, headers)
    assert match is not None and match.operation == operation.name

    params = RestXml(model).parse(operation, request, match.labels, query)
    assert _normal(operation.input_shape, params) == _normal(operation.input_shape, case["params"])


def _error(code: str, message: str, fields: dict[str, str]) -> S3Error:
    error = S3Error(message, **fields)
    error.code = code
    return error


@pytest.mark.parametrize(("ident", "suite", "case"), OUTPUT_CASES, ids=[c[0] for c in OUTPUT_CASES])
def test_output_case(ident: str, suite: dict[str, Any], case: dict[str, Any]) -> None:
    if ident in IGNORED_CASES["output"]:
        pytest.skip("in botocore's protocol-tests-ignore-list.json")
    if ident in SKIPS:
        pytest.skip(SKIPS[ident])
    model, operation = _operation(suite, case)
    protocol = RestXml(model, wrap_errors=True)
    parser = create_parser("rest-xml")
    if "errorCode" in case:
        expected = case.get("error", {})
        shapes = {s.name: s for s in operation.error_shapes}
        shape = shapes.get(case["errorCode"])
        # Modeled error members that travel in the body become Error XML members.
        fields = {
            k: str(v)
            for k, v in expected.items()
            if k != "Message"
            and shape is not None
            and k in shape.members
            and "location" not in shape.members[k].serialization
        }
        response = protocol.serialize_error(
            _error(case["errorCode"], case.get("errorMessage", ""), fields), request_id="foo-id"
        )
        parsed = parser.parse(
            {"status_code": response.status, "headers": HeadersDict(response.headers), "body": response.body},
            operation.output_shape,
        )
        assert parsed["Error"]["Code"] == case["errorCode"]
        assert (parsed["Error"].get("Message") or "") == case.get("errorMessage", "")
        if shape is not None:
            modeled = parser.parse(
                {"status_code": response.status, "headers": HeadersDict(response.headers), "body": response.body},
                shape,
            )
            for name in fields:
                assert modeled[name] == expected[name]
        return
    result = case["result"]
    response = protocol.serialize(operation, result)
    body = response.body
    assert isinstance(body, bytes)
    parsed = parser.parse(
        {"status_code": response.status, "headers": HeadersDict(response.headers), "body": body},
        operation.output_shape,
    )
    parsed.pop("ResponseMetadata", None)
    shape = operation.output_shape
    got = _normal(shape, parsed)
    want = _normal(shape, result)
    # The parser reads a streaming payload as a stream; compare its bytes.
    assert got == want

"""Errors echo what the request held, unvalidated, and must still be XML a client reads.

Found by tests/e2e/test_fuzz_server.py: ``Action=%08`` answered an InvalidAction whose
message held the raw backspace, which XML 1.0 cannot carry ("Char", section 2.2 of the XML
1.0 specification), so botocore could not parse the error. Such characters are now
written as U+FFFD in error text (the query protocol's ErrorResponse and S3's Error,
extra members included); botocore is the oracle.
"""

from __future__ import annotations

import pytest
from botocore.parsers import create_parser

from iamsandbox.errors import InvalidAction, InvalidArgument
from iamsandbox.protocol.model import ServiceModels
from iamsandbox.protocol.query import QueryProtocol
from iamsandbox.protocol.s3 import S3Protocol
from iamsandbox.protocol.xml import escape_error_text

MODELS = ServiceModels()
ECHOED = "op\x08\x00\x1f\ud800\ufffe<&>\t\n end"
SHOWN = "op\ufffd\ufffd\ufffd\ufffd\ufffd<&>\t\n end"


def test_escape_error_text() -> None:
    assert escape_error_text(ECHOED) == "op\ufffd\ufffd\ufffd\ufffd\ufffd&lt;&amp;&gt;\t\n end"
    assert escape_error_text("plain") == "plain"


@pytest.mark.parametrize("service", ["iam", "sts"])
def test_query_error_with_control_characters_parses(service: str) -> None:
    protocol = QueryProtocol.for_service(MODELS, service)
    status, body = protocol.serialize_error(InvalidAction(f"Could not find operation {ECHOED}"), "req-1")
    parsed = create_parser("query").parse({"status_code": status, "headers": {}, "body": body}, None)
    assert parsed["Error"]["Code"] == "InvalidAction"
    assert parsed["Error"]["Message"] == f"Could not find operation {SHOWN}"


def test_s3_error_with_control_characters_parses() -> None:
    protocol = S3Protocol(MODELS.service("s3"), ("localhost",))
    error = InvalidArgument(f"bad {ECHOED}", ArgumentName="x-id", ArgumentValue=ECHOED)
    response = protocol.serialize_error(error, "req-1")
    assert isinstance(response.body, bytes)
    parsed = create_parser("rest-xml").parse(
        {"status_code": response.status, "headers": dict(response.headers), "body": response.body}, None
    )
    assert parsed["Error"]["Code"] == "InvalidArgument" and parsed["Error"]["Message"] == f"bad {SHOWN}"
    assert parsed["Error"]["ArgumentValue"] == SHOWN

"""A failure of the server's own answers 500 with the service's code for it, never a
traceback: IAM's is ServiceFailure ("The request processing has failed because of an
unknown error, exception or failure", in every IAM operation's Errors, IAM API Reference);
S3's InternalError ("We encountered an internal error. Please try again.", "Error
responses", S3 API Reference)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from inprocess_harness import client, open_app, root_keys

ACCOUNT = "111111111111"


def _broken(*_args: Any) -> Any:
    raise RuntimeError("a bug, with a secret-looking detail: AKIAEXAMPLE")


@pytest.mark.parametrize(
    ("service", "operation", "call", "code", "message"),
    [
        (
            "iam",
            "ListUsers",
            lambda c: c.list_users(),
            "ServiceFailure",
            "The request processing has failed because of an unknown error, exception or failure.",
        ),
        (
            "s3",
            "ListBuckets",
            lambda c: c.list_buckets(),
            "InternalError",
            "We encountered an internal error. Please try again.",
        ),
    ],
)
def test_a_bug_is_the_services_500(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, service: str, operation: str, call: Any, code: str, message: str
) -> None:
    app = open_app(tmp_path, ACCOUNT)
    monkeypatch.setitem(app.handlers[service], operation, _broken)
    with pytest.raises(ClientError) as raised:
        call(client(app, service, root_keys(app, ACCOUNT)))
    response = raised.value.response
    assert (response["Error"]["Code"], response["Error"]["Message"]) == (code, message)
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 500

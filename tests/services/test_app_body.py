"""The ASGI layer's reading of a request body (``server.app.read_body``), driven on a real
event loop with ASGI messages as uvicorn sends them.

AWS pages: "Error responses" (S3 API Reference): RequestTimeout, "Your socket connection to
the server was not read from or written to within the timeout period", 400; PutObject:
"Amazon S3 never adds partial objects".
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, TypeVar

import pytest
from inprocess_harness import client, open_app, root_keys

from iamsandbox.errors import BadRequest, RequestTimeout
from iamsandbox.server.app import read_body

A = "111111111111"
T = TypeVar("T")


def _run(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run a coroutine on an event loop of its own, in a thread of its own (a browser test
    before this one in the same worker may leave its loop set on the main thread)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(make())).result()


def test_a_body_that_stops_arriving_is_request_timeout() -> None:
    async def receive() -> dict[str, Any]:
        if not sent:
            sent.append(1)
            return {"type": "http.request", "body": b"abc", "more_body": True}
        await asyncio.Event().wait()  # the rest never comes
        raise AssertionError("unreachable")

    sent: list[int] = []
    headers = [("content-length", "100")]
    read = _run(lambda: asyncio.wait_for(read_body("PUT", headers, receive, 0.2), 5))
    assert read is not None
    body, error = read
    assert body == b""
    assert isinstance(error, RequestTimeout)
    assert (error.code, error.status) == ("RequestTimeout", 400)


def test_a_body_that_never_starts_is_request_timeout_too() -> None:
    async def receive() -> dict[str, Any]:
        await asyncio.Event().wait()
        raise AssertionError("unreachable")

    read = _run(lambda: asyncio.wait_for(read_body("POST", [("content-length", "10")], receive, 0.2), 5))
    assert read is not None and isinstance(read[1], RequestTimeout)


def test_a_slow_body_that_keeps_arriving_is_read_whole() -> None:
    parts = [b"a" * 10, b"b" * 10, b"c" * 10]

    async def receive() -> dict[str, Any]:
        await asyncio.sleep(0.1)  # each part within the idle period, all of them beyond it
        part = parts.pop(0)
        return {"type": "http.request", "body": part, "more_body": bool(parts)}

    read = _run(lambda: read_body("PUT", [("content-length", "30")], receive, 0.25))
    assert read == (b"a" * 10 + b"b" * 10 + b"c" * 10, None)


def test_a_client_that_disconnects_mid_body_gets_nothing_run(tmp_path: Path) -> None:
    app = open_app(tmp_path, A)
    s3 = client(app, "s3", root_keys(app, A))
    s3.create_bucket(Bucket="bkt")
    etag = s3.put_object(Bucket="bkt", Key="k", Body=b"whole")["ETag"]
    url = s3.generate_presigned_url("put_object", Params={"Bucket": "b", "Key": "k"})
    path, _, query = url.split("localhost:4566", 1)[1].partition("?")
    messages = [
        {"type": "http.request", "body": b"par", "more_body": True},
        {"type": "http.disconnect"},
    ]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return messages.pop(0)

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": "PUT",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "headers": [(b"host", b"localhost:4566"), (b"content-length", b"5")],
        "client": ("127.0.0.1", 5000),
    }
    _run(lambda: app(scope, receive, send))
    assert sent == []  # no one to answer
    assert s3.head_object(Bucket="bkt", Key="k")["ETag"] == etag


@pytest.mark.parametrize("name", ["host", "authorization"])
def test_two_host_or_authorization_headers_are_a_bad_request(name: str) -> None:
    # RFC 9112, 3.2: "A server MUST respond with a 400 (Bad Request) status code to any
    # HTTP/1.1 request message ... that contains more than one" Host header field. A security
    # review ran a SigV2 URL signed for one bucket (the first Host) on another (the last).
    async def receive() -> dict[str, Any]:
        raise AssertionError("the body is not read")

    headers = [(name, "a.localhost:4566"), ("x-amz-date", "x"), (name, "b.localhost:4566")]
    read = _run(lambda: read_body("GET", headers, receive, 1.0))
    assert read is not None
    body, error = read
    assert body == b"" and isinstance(error, BadRequest) and error.status == 400


def _answer(app: Any, method: str, path: str, headers: list[tuple[bytes, bytes]], body: bytes) -> tuple[int, bytes]:
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": method,
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": headers,
        "client": ("127.0.0.1", 5000),
    }
    _run(lambda: app(scope, receive, send))
    return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:])


def test_a_query_api_request_with_two_authorization_headers_is_answered_in_its_own_shape(tmp_path: Path) -> None:
    """The form body names the service (IAM here) even when the headers are refused, so the
    answer is IAM's ErrorResponse: IncompleteSignature, as a query API has no BadRequest
    ("Common Errors", IAM API Reference; unconfirmed for this case); S3 answers BadRequest."""
    app = open_app(tmp_path, A)
    body = b"Action=ListUsers&Version=2010-05-08"
    headers = [
        (b"host", b"localhost:4566"),
        (b"content-type", b"application/x-www-form-urlencoded"),
        (b"content-length", str(len(body)).encode()),
        (b"authorization", b""),
        (b"authorization", b""),
    ]
    status, answer = _answer(app, "POST", "/", headers, body)
    assert status == 400 and b"<ErrorResponse" in answer and b"<Code>IncompleteSignature</Code>" in answer
    status, answer = _answer(app, "GET", "/bkt", [(b"host", b"localhost:4566"), *headers[3:]], b"")
    assert status == 400 and b"<Error><Code>BadRequest</Code>" in answer

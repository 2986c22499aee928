"""The ASGI application: owns the store, the models, the caches and the keys; serves
every service on one port (DESIGN.md, "One path for every request").

A thin ASGI layer on the hot path: read the body, run ``pipeline.handle``, send the
response. Store calls are synchronous (SQLite or PostgreSQL, short transactions).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ..auth.session_token import SessionTokenCodec
from ..auth.signing import SigningKeyCache
from ..authz.authorize import Authorizer
from ..authz.gather import PolicySource
from ..console.app import Console
from ..errors import BadRequest, EntityTooLarge, MissingContentLength, RequestTimeout, ServiceError
from ..protocol.json_protocol import JsonProtocol
from ..protocol.model import ServiceModels
from ..protocol.query import QueryProtocol
from ..protocol.s3 import S3Protocol
from ..services.context import Handler, Shared
from ..services.iam import access_advisor
from ..services.iam.managed_policies import ManagedPolicies
from ..services.registry import handler_tables
from ..store import SqlStore
from ..store.crypto import derive_key
from .pipeline import Call, flush_notes, handle

if TYPE_CHECKING:
    from ..console.web import Request as ConsoleRequest

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]

log = logging.getLogger("iamsandbox")
# Host names that S3 virtual-hosted-style requests may end with (bucket.HOST).
DEFAULT_S3_HOSTS = ("s3.amazonaws.com", "s3.localhost", "localhost", "localhost.localstack.cloud")

MAX_BODY = 5 * 1024**3  # S3's largest single PUT
# How long a request's body may stop arriving before RequestTimeout (S3's own period is not
# documented: unconfirmed).
BODY_IDLE_SECONDS = 20.0


class App:
    def __init__(
        self, store: SqlStore, master_keys: Sequence[bytes], s3_hosts: Iterable[str] = DEFAULT_S3_HOSTS
    ) -> None:
        self.store = store
        self.models = ServiceModels()
        self.handlers: dict[str, dict[str, Handler]] = handler_tables()
        self.query = {
            service: QueryProtocol.for_service(
                self.models,
                service,
                implemented=set(self.handlers[service]),
                keeps_milliseconds=access_advisor.JOB_ANSWERS if service == "iam" else (),
            )
            for service in ("iam", "sts")
        }
        self.json = {
            service: JsonProtocol.for_service(self.models, service, implemented=set(self.handlers[service]))
            for service in ("organizations", "cloudtrail")
        }
        self.s3 = S3Protocol(self.models.service("s3"), s3_hosts)
        self.signing_keys = SigningKeyCache()
        managed = ManagedPolicies()
        tokens = SessionTokenCodec([derive_key(key, "session-token") for key in master_keys])
        self.shared = Shared(managed, tokens)
        self.authorizer = Authorizer(PolicySource(managed))
        self.console = Console(self, [derive_key(key, "console-session") for key in master_keys])
        self.body_idle_seconds = BODY_IDLE_SECONDS

    def close(self) -> None:
        """At shutdown: write the service last accessed data and the CloudTrail events still
        noted in memory."""
        flush_notes(self, datetime.now(UTC), force=True)

    def tick(self) -> None:
        """Every second while serving: write the notes that are due. Requests write them too,
        but an idle process (one of ``serve --workers N`` that no client reaches) would keep
        its last calls' events and service last accessed data until its next request, unseen
        by the others' LookupEvents and reports (a review waited 26 s)."""
        flush_notes(self, datetime.now(UTC))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send, self.close, self.tick)
            return
        if scope["type"] != "http":
            return
        headers = [(name.decode("latin-1").lower(), value.decode("latin-1")) for name, value in scope["headers"]]
        read = await read_body(scope["method"], headers, receive, self.body_idle_seconds)
        if read is None:
            return  # the client went away before its body ended: nothing is run or stored
        body, transport = read
        client = scope.get("client") or ("127.0.0.1", 0)
        if is_console_request(scope, headers):
            page = self.console.handle(console_request(scope, headers, body, client[0]))
            await send({"type": "http.response.start", "status": page.status, "headers": _encode_headers(page.headers)})
            await send({"type": "http.response.body", "body": page.body})
            return
        call = Call(
            method=scope["method"],
            path=scope.get("raw_path", scope["path"].encode()).decode("latin-1"),
            query=scope.get("query_string", b"").decode("latin-1"),
            headers=headers,
            body=body,
            client_ip=client[0],
            secure=scope.get("scheme") == "https",
            transport=transport,
        )
        response = handle(self, call)
        headers_out = _encode_headers(response.headers)
        if isinstance(transport, RequestTimeout | EntityTooLarge | BadRequest):
            # The body was not read to its end: what follows on the connection is no request
            # ("Idle connections will be closed", RequestTimeout).
            headers_out.append((b"connection", b"close"))
        await send({"type": "http.response.start", "status": response.status, "headers": headers_out})
        payload = response.body
        if isinstance(payload, bytes | bytearray):
            await send({"type": "http.response.body", "body": bytes(payload)})
            return
        for chunk in payload:  # a streamed object body
            await send({"type": "http.response.body", "body": bytes(chunk), "more_body": True})
        await send({"type": "http.response.body", "body": b""})


async def read_body(
    method: str, headers: list[tuple[str, str]], receive: Receive, idle_seconds: float
) -> tuple[bytes, ServiceError | None] | None:
    """The request's body, and the error its transport already decides, if any; None when the
    client went away before the body ended ("Amazon S3 never adds partial objects; if you
    receive a success response, Amazon S3 added the entire object to the bucket", PutObject,
    S3 API Reference: a cut-off upload must not be stored as if it were whole).

    - A body that stops arriving for ``idle_seconds`` is RequestTimeout ("Your socket
      connection to the server was not read from or written to within the timeout period",
      "Error responses", S3 API Reference); a body that never ends would hold the request
      for ever.
    - A declared length over S3's largest PUT (5 GiB) is EntityTooLarge before any of the
      body is read.
    - A PUT with neither Content-Length nor Transfer-Encoding is MissingContentLength (411).
    - Two Host or two Authorization headers are a 400 BadRequest.
    """
    declared: str | None = None
    chunked = False
    hosts = authorizations = 0
    for name, value in headers:
        if name == "content-length":
            declared = value
        elif name == "transfer-encoding":
            chunked = True
        elif name == "host":
            hosts += 1
        elif name == "authorization":
            authorizations += 1
    refused: ServiceError | None = None
    if hosts > 1 or authorizations > 1:
        # "A server MUST respond with a 400 (Bad Request) status code to any HTTP/1.1 request
        # message that lacks a Host header field and to any that contains more than one"
        # (RFC 9112, 3.2); two Authorization headers are as ambiguous: a signature checked on
        # one value and a request run on another. The body is still read (when not too
        # large): a query API's request says which service it is for in its form body.
        refused = BadRequest()
    if declared is not None and declared.strip().isdigit() and int(declared) > MAX_BODY:
        return b"", refused or EntityTooLarge(ProposedSize=declared.strip(), MaxSizeAllowed=str(MAX_BODY))
    if declared is None and not chunked:
        transport = refused or (MissingContentLength() if method == "PUT" else None)
        return b"", transport  # nothing to read: the request has no body
    expected = chunked or (declared is not None and declared.strip() not in ("", "0"))
    watchdog = _Watchdog.start(idle_seconds) if expected else None
    body = bytearray()
    try:
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            body.extend(message.get("body", b""))
            if not message.get("more_body"):
                return bytes(body), refused
            if len(body) > MAX_BODY:  # a chunked body has no declared length to refuse up front
                return b"", EntityTooLarge(ProposedSize=str(len(body)), MaxSizeAllowed=str(MAX_BODY))
            if watchdog is not None:
                watchdog.rearm()
    except asyncio.CancelledError:
        if watchdog is None or not watchdog.fired:
            raise
        watchdog.task.uncancel()
        return b"", RequestTimeout()
    finally:
        if watchdog is not None:
            watchdog.stop()


class _Watchdog:
    """Cancels the request's task when its body stops arriving for ``seconds`` (re-armed at
    each part of the body). Without a running event loop (the app driven in-process, as the
    benchmarks do), there is nothing to wait for and no watchdog."""

    def __init__(self, loop: asyncio.AbstractEventLoop, task: asyncio.Task[Any], seconds: float) -> None:
        self.loop = loop
        self.task = task
        self.seconds = seconds
        self.fired = False
        self._timer = loop.call_later(seconds, self._fire)

    @classmethod
    def start(cls, seconds: float) -> _Watchdog | None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return None
        task = asyncio.current_task(loop)
        return cls(loop, task, seconds) if task is not None else None

    def _fire(self) -> None:
        self.fired = True
        self.task.cancel()

    def rearm(self) -> None:
        self._timer.cancel()
        self._timer = self.loop.call_later(self.seconds, self._fire)

    def stop(self) -> None:
        self._timer.cancel()


def is_console_request(scope: Scope, headers: list[tuple[str, str]]) -> bool:
    """``/console...`` and a browser's ``GET /``, when the request carries no AWS
    credentials (an S3 request to a bucket named "console" always does, unless anonymous)."""
    path: str = scope["path"]
    if not (path == "/console" or path.startswith("/console/") or path == "/"):
        return False
    if any(name in ("authorization", "x-amz-security-token") for name, _ in headers):
        return False
    if b"X-Amz-" in scope.get("query_string", b""):
        return False
    if path == "/":
        accept = next((value for name, value in headers if name == "accept"), "")
        return scope["method"] == "GET" and "text/html" in accept
    return True


def console_request(scope: Scope, headers: list[tuple[str, str]], body: bytes, client_ip: str) -> ConsoleRequest:
    from urllib.parse import parse_qsl

    from ..console.web import Request

    query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True))
    raw_path = scope.get("raw_path") or scope["path"].encode()
    return Request(
        method=scope["method"],
        path=raw_path.decode("latin-1"),
        query=query,
        headers=dict(headers),
        body=body,
        client_ip=client_ip,
        now=datetime.now(UTC),
        secure=scope.get("scheme") == "https",
    )


def _encode_headers(headers: list[tuple[str, str]]) -> list[tuple[bytes, bytes]]:
    """Header values as HTTP carries them: Latin-1, a character outside it as "?", and a
    control character (a line break, NUL, ...) as a space (a value that came from the request, such as a presigned URL's
    response-content-disposition, can hold any character; the server must still answer)."""
    return [(k.encode("latin-1"), v.encode("latin-1", "replace").translate(_HEADER_SAFE)) for k, v in headers]


# The control characters no header value may carry (all but TAB), as spaces.
_CONTROLS = bytes([*range(0x00, 0x09), *range(0x0A, 0x20), 0x7F])
_HEADER_SAFE = bytes.maketrans(_CONTROLS, b" " * len(_CONTROLS))


TICK_SECONDS = 1.0


async def _lifespan(receive: Receive, send: Send, shutdown: Callable[[], None], tick: Callable[[], None]) -> None:
    ticking: asyncio.Task[None] | None = None
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            ticking = asyncio.get_running_loop().create_task(_every(TICK_SECONDS, tick))
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            if ticking is not None:
                ticking.cancel()
            shutdown()
            await send({"type": "lifespan.shutdown.complete"})
            return


async def _every(seconds: float, tick: Callable[[], None]) -> None:
    while True:
        await asyncio.sleep(seconds)
        try:
            tick()
        except Exception:  # a failed tick must not end the ticking for the process's life
            log.exception("the notes of this process could not be written; trying again in %s s", seconds)

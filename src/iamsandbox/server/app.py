"""The ASGI application: owns the store, the models, the caches and the keys; serves
every service on one port (DESIGN.md, "One path for every request").

A thin ASGI layer on the hot path: read the body, run ``pipeline.handle``, send the
response. Store calls are synchronous (SQLite or PostgreSQL, short transactions).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ..auth.session_token import SessionTokenCodec
from ..auth.signing import SigningKeyCache
from ..authz.authorize import Authorizer
from ..authz.gather import PolicySource
from ..console.app import Console
from ..protocol.model import ServiceModels
from ..protocol.query import QueryProtocol
from ..protocol.s3 import S3Protocol
from ..services.context import Handler, Shared
from ..services.iam.handlers import HANDLERS as IAM_HANDLERS
from ..services.iam.managed_policies import ManagedPolicies
from ..services.s3.handlers import HANDLERS as S3_HANDLERS
from ..services.sts.handlers import HANDLERS as STS_HANDLERS
from ..store import SqlStore
from ..store.crypto import derive_key
from .pipeline import Call, flush_access, handle

if TYPE_CHECKING:
    from ..console.web import Request as ConsoleRequest

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]

# Host names that S3 virtual-hosted-style requests may end with (bucket.HOST).
DEFAULT_S3_HOSTS = ("s3.amazonaws.com", "s3.localhost", "localhost", "localhost.localstack.cloud")
MAX_BODY = 5 * 1024**3  # S3's largest single PUT


class App:
    def __init__(
        self, store: SqlStore, master_keys: Sequence[bytes], s3_hosts: Iterable[str] = DEFAULT_S3_HOSTS
    ) -> None:
        self.store = store
        self.models = ServiceModels()
        self.handlers: dict[str, dict[str, Handler]] = {"iam": IAM_HANDLERS, "sts": STS_HANDLERS, "s3": S3_HANDLERS}
        self.query = {
            service: QueryProtocol.for_service(self.models, service, implemented=set(self.handlers[service]))
            for service in ("iam", "sts")
        }
        self.s3 = S3Protocol(self.models.service("s3"), s3_hosts)
        self.signing_keys = SigningKeyCache()
        managed = ManagedPolicies()
        tokens = SessionTokenCodec([derive_key(key, "session-token") for key in master_keys])
        self.shared = Shared(managed, tokens)
        self.authorizer = Authorizer(PolicySource(managed))
        self.console = Console(self, [derive_key(key, "console-session") for key in master_keys])

    def close(self) -> None:
        """At shutdown: write the service last accessed data still noted in memory."""
        flush_access(self, datetime.now(UTC), force=True)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send, self.close)
            return
        if scope["type"] != "http":
            return
        body = bytearray()
        while True:
            message = await receive()
            body.extend(message.get("body", b""))
            if not message.get("more_body") or len(body) > MAX_BODY:
                break
        headers = [(name.decode("latin-1").lower(), value.decode("latin-1")) for name, value in scope["headers"]]
        client = scope.get("client") or ("127.0.0.1", 0)
        if is_console_request(scope, headers):
            page = self.console.handle(console_request(scope, headers, bytes(body), client[0]))
            await send({"type": "http.response.start", "status": page.status, "headers": _encode_headers(page.headers)})
            await send({"type": "http.response.body", "body": page.body})
            return
        call = Call(
            method=scope["method"],
            path=scope.get("raw_path", scope["path"].encode()).decode("latin-1"),
            query=scope.get("query_string", b"").decode("latin-1"),
            headers=headers,
            body=bytes(body),
            client_ip=client[0],
        )
        response = handle(self, call)
        await send(
            {
                "type": "http.response.start",
                "status": response.status,
                "headers": _encode_headers(response.headers),
            }
        )
        payload = response.body
        if isinstance(payload, bytes | bytearray):
            await send({"type": "http.response.body", "body": bytes(payload)})
            return
        for chunk in payload:  # a streamed object body
            await send({"type": "http.response.body", "body": bytes(chunk), "more_body": True})
        await send({"type": "http.response.body", "body": b""})


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
    )


def _encode_headers(headers: list[tuple[str, str]]) -> list[tuple[bytes, bytes]]:
    """Header values as HTTP carries them: Latin-1, a character outside it as "?", and a
    control character (a line break, NUL, ...) as a space (a value that came from the request, such as a presigned URL's
    response-content-disposition, can hold any character; the server must still answer)."""
    return [(k.encode("latin-1"), v.encode("latin-1", "replace").translate(_HEADER_SAFE)) for k, v in headers]


# The control characters no header value may carry (all but TAB), as spaces.
_CONTROLS = bytes([*range(0x00, 0x09), *range(0x0A, 0x20), 0x7F])
_HEADER_SAFE = bytes.maketrans(_CONTROLS, b" " * len(_CONTROLS))


async def _lifespan(receive: Receive, send: Send, shutdown: Callable[[], None]) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            shutdown()
            await send({"type": "lifespan.shutdown.complete"})
            return

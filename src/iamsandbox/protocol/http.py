"""The HTTP request and response values the protocols read and write (query for IAM and
STS, REST-XML for S3): what the server received, and what it is to send back.

No parsing here: the server fills ``HttpRequest`` from ASGI, the protocols turn it into
operation parameters and results into ``HttpResponse``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import IO

Body = bytes | IO[bytes] | Iterable[bytes]


@dataclass(slots=True)
class HttpRequest:
    """A request as the server received it: ``path`` and ``query`` still percent-encoded,
    header names lower-case (repeated headers joined with ", ")."""

    method: str
    path: str
    query: str = ""
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes | IO[bytes] = b""
    host: str = ""


@dataclass(slots=True)
class HttpResponse:
    """A response to send: ``body`` is bytes, or a stream passed through untouched."""

    status: int
    headers: list[tuple[str, str]]
    body: Body = b""

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        return next((v for k, v in self.headers if k.lower() == wanted), None)

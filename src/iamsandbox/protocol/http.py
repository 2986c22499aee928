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


def header_text(value: str, errors: str = "replace") -> str:
    """A header value's text. HTTP reads a header's bytes as Latin-1 (the server does, as
    every ASGI server), and clients send text beyond US-ASCII as UTF-8 (botocore sends a
    Content-Disposition with "é" so, and signs that text): the bytes read as UTF-8, those
    that are none by ``errors``. A value that is no Latin-1 reading is text already (a
    caller's own)."""
    if value.isascii():
        return value
    try:
        raw = value.encode("latin-1")
    except UnicodeEncodeError:
        return value
    return raw.decode("utf-8", errors)


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

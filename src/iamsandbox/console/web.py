"""A page request, a page response, and the route table the page modules fill.

Small on purpose: the console needs GET pages and POSTed forms (url-encoded, and
multipart for the S3 upload), cookies and redirects; nothing else.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, quote, urlencode

from ..protocol.form_data import boundary_of, form_parts

if TYPE_CHECKING:
    from .app import PageContext

MAX_FORM_BYTES = 1024 * 1024  # url-encoded forms: a policy document is at most 6 KiB
# What a Location header may carry as is: printable ASCII. Anything else (CR and LF above
# all, spaces, non-ASCII) is percent-encoded, so no redirect can break or add a header.
_NOT_URL_SAFE = re.compile(r"[^\x21-\x7e]")


@dataclass(frozen=True)
class Upload:
    """A file sent by a form's file input."""

    filename: str
    content_type: str
    data: bytes


@dataclass
class Request:
    method: str
    path: str  # decoded
    query: dict[str, str]
    headers: dict[str, str]  # lower-case names
    body: bytes
    client_ip: str
    now: datetime
    secure: bool = False  # over HTTPS (the ASGI scope's scheme; pipeline.Call.secure)
    form: dict[str, str] = field(default_factory=dict)
    form_lists: dict[str, list[str]] = field(default_factory=dict)  # fields sent more than once
    files: dict[str, Upload] = field(default_factory=dict)  # a file input's first file
    file_lists: dict[str, list[Upload]] = field(default_factory=dict)  # every file, in the order sent

    @property
    def cookies(self) -> dict[str, str]:
        """The Cookie header's ``name=value`` pairs (RFC 6265, section 5.4), read leniently:
        cookies of other programs on the same host (browsers share a host's cookies across
        its ports) may hold spaces, quotes or JSON, and must not hide ours, as they do from
        ``http.cookies.SimpleCookie``. A name sent twice keeps its first value: browsers
        send the cookie with the longest Path first, and ours has Path=/console."""
        found: dict[str, str] = {}
        for pair in self.headers.get("cookie", "").split(";"):
            name, equals, value = pair.strip().partition("=")
            if equals and name and name not in found:
                found[name] = value.strip()
        return found

    def values(self, name: str) -> list[str]:
        """Every value of a form field (checkboxes, multi-selects)."""
        return self.form_lists.get(name, [self.form[name]] if name in self.form else [])

    def uploads(self, name: str) -> list[Upload]:
        """Every file of a file input (``multiple``, or a folder's), without the empty part a
        browser sends for an input left empty."""
        return [upload for upload in self.file_lists.get(name, []) if upload.filename]


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def html(cls, text: str, status: int = 200) -> Response:
        return cls(status, text.encode(), [("content-type", "text/html; charset=utf-8")])

    @classmethod
    def redirect(cls, location: str, **query: str) -> Response:
        if query:
            location += ("&" if "?" in location else "?") + urlencode(query)
        return cls(303, b"", [("location", url_safe(location))])


def url_safe(location: str) -> str:
    """``location`` with every character outside printable ASCII percent-encoded (UTF-8)."""
    return _NOT_URL_SAFE.sub(lambda found: quote(found.group().encode("utf-8", "surrogatepass"), safe=""), location)


def parse_form(request: Request) -> None:
    """Fill ``request.form`` (and ``files``) from a POSTed body; bad bodies give no fields."""
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        _parse_multipart(request, content_type)
        return
    if len(request.body) > MAX_FORM_BYTES:
        return
    for name, value in parse_qsl(request.body.decode("utf-8", "replace"), keep_blank_values=True):
        _add(request, name, value)


def _add(request: Request, name: str, value: str) -> None:
    if name in request.form:
        request.form_lists.setdefault(name, [request.form[name]]).append(value)
    else:
        request.form[name] = value


def _parse_multipart(request: Request, content_type: str) -> None:
    boundary = boundary_of(content_type)
    if boundary is None:
        return
    for part in form_parts(request.body, boundary):
        if part.filename is not None:
            upload = Upload(part.filename, part.content_type or "application/octet-stream", part.data)
            request.files.setdefault(part.name, upload)
            request.file_lists.setdefault(part.name, []).append(upload)
        else:
            _add(request, part.name, part.text)


PageHandler = Callable[["PageContext"], Response]


@dataclass(frozen=True)
class Route:
    method: str
    pattern: re.Pattern[str]
    handler: PageHandler
    public: bool  # reachable without signing in (the sign-in pages)


class Routes:
    """One page module's routes: ``@routes.get("/console/iam/users/{name}")``."""

    def __init__(self) -> None:
        self.table: list[Route] = []

    def get(self, path: str, *, public: bool = False) -> Callable[[PageHandler], PageHandler]:
        return self._add("GET", path, public)

    def post(self, path: str, *, public: bool = False) -> Callable[[PageHandler], PageHandler]:
        return self._add("POST", path, public)

    def _add(self, method: str, path: str, public: bool) -> Callable[[PageHandler], PageHandler]:
        # {name} matches one path segment; {name:path} the rest of the path (object keys).
        regex = re.sub(r"\{(\w+):path\}", r"(?P<\1>.+)", path)
        regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", regex)
        pattern = re.compile(regex + "$")

        def register(handler: PageHandler) -> PageHandler:
            self.table.append(Route(method, pattern, handler, public))
            return handler

        return register

"""multipart/form-data bodies (RFC 7578): the console's upload form and S3's browser-based
uploads (POST Object) send their fields this way. python-multipart does the parsing; this
module turns its callbacks into the parts, in the order sent."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# The longest boundary python-multipart takes (RFC 2046 allows 70 characters).
MAX_BOUNDARY = 256


@dataclass(frozen=True)
class FormPart:
    name: str
    data: bytes
    filename: str | None = None  # a file's part carries its file name
    content_type: str | None = None  # the part's own Content-Type header

    @property
    def text(self) -> str:
        return self.data.decode("utf-8", "replace")


def boundary_of(content_type: str) -> bytes | None:
    """The boundary of a multipart/form-data Content-Type, or None when it is not one."""
    from python_multipart.multipart import parse_options_header

    kind, options = parse_options_header(content_type)
    if kind != b"multipart/form-data":
        return None
    return options.get(b"boundary") or None


def form_parts(body: bytes, boundary: bytes) -> list[FormPart]:
    """The named parts of ``body``; a malformed body gives the parts complete before the fault."""
    from python_multipart import MultipartParser

    raw: list[dict[str, Any]] = []
    current: dict[str, Any] = {}
    header_name = bytearray()
    header_value = bytearray()

    def on_part_begin() -> None:
        current.clear()
        current.update(headers={}, data=bytearray())

    def on_header_field(data: bytes, start: int, end: int) -> None:
        header_name.extend(data[start:end])

    def on_header_value(data: bytes, start: int, end: int) -> None:
        header_value.extend(data[start:end])

    def on_header_end() -> None:
        name = bytes(header_name).decode("latin-1").lower()
        current["headers"][name] = bytes(header_value).decode("utf-8", "replace")
        header_name.clear()
        header_value.clear()

    def on_part_data(data: bytes, start: int, end: int) -> None:
        current["data"].extend(data[start:end])

    def on_part_end() -> None:
        raw.append(dict(current))

    if len(boundary) > MAX_BOUNDARY:
        return []  # no part can be read (python-multipart refuses it; RFC 2046: 70 characters at most)
    parser = MultipartParser(
        boundary,
        callbacks={
            "on_part_begin": on_part_begin,
            "on_header_field": on_header_field,
            "on_header_value": on_header_value,
            "on_header_end": on_header_end,
            "on_part_data": on_part_data,
            "on_part_end": on_part_end,
        },
    )
    try:
        parser.write(body)
        parser.finalize()
    except Exception:  # a malformed body: whatever parts were complete
        pass
    parts = []
    for part in raw:
        disposition = part["headers"].get("content-disposition", "")
        name = _disposition_value(disposition, "name")
        if name is None:
            continue
        filename = _disposition_value(disposition, "filename")
        parts.append(FormPart(name, bytes(part["data"]), filename, part["headers"].get("content-type")))
    return parts


def _disposition_value(disposition: str, key: str) -> str | None:
    found = re.search(rf'(?:^|;)\s*{key}="((?:[^"\\]|\\.)*)"', disposition)
    return found.group(1).replace('\\"', '"') if found else None

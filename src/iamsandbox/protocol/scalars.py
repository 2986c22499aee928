"""Scalar values of REST-XML (S3) as text: in URI labels, query strings, headers and XML
element content, read and written by their shape.

The shape's ``timestampFormat`` picks the timestamp form; without one, a header's default
is ``rfc822`` and everything else's ``iso8601`` (the caller passes the default).
A header holding a list is comma-separated, an item quoted when it holds a comma or a
quote (HTTP dates, which hold a comma of their own, go in pairs).

Errors: ``parse_scalar`` raises ValueError (or binascii.Error, OverflowError) and the
caller words it (S3's ``InvalidArgument`` for a query or header value, ``MalformedXML``
in a body).
"""

from __future__ import annotations

import base64
from typing import Any

from .timestamps import format_timestamp, parse_timestamp
from .xml import format_float


def timestamp_format(shape: Any, default: str) -> str:
    return str(shape.serialization.get("timestampFormat", default))


def parse_bool(text: str) -> bool:
    if text == "true":
        return True
    if text == "false":
        return False
    raise ValueError(text)


def parse_scalar(shape: Any, text: str, timestamp_default: str) -> Any:
    """A scalar value of ``shape`` from its text; ValueError when it is not one."""
    kind = shape.type_name
    if kind == "string":
        return text
    if kind in ("integer", "long", "short", "byte"):
        return int(text)
    if kind == "boolean":
        return parse_bool(text)
    if kind in ("float", "double"):
        return float(text)  # NaN, Infinity and -Infinity included
    if kind == "timestamp":
        return parse_timestamp(text.strip(), timestamp_format(shape, timestamp_default))
    if kind == "blob":
        return base64.b64decode(text, validate=True)
    raise ValueError(f"not a scalar: {kind}")


def format_scalar(shape: Any, value: Any, timestamp_default: str) -> str:
    """A scalar value of ``shape`` as text (not escaped)."""
    kind = shape.type_name
    if kind == "boolean":
        return "true" if value else "false"
    if kind in ("float", "double"):
        return format_float(value)
    if kind == "timestamp":
        return format_timestamp(value, timestamp_format(shape, timestamp_default), milliseconds=True)
    if kind == "blob":
        raw = value.encode() if isinstance(value, str) else bytes(value)
        return base64.b64encode(raw).decode("ascii")
    return str(value)


def split_header_list(text: str, member: Any) -> list[str]:
    """A list header's items: comma-separated, items quoted when they hold a comma or a
    quote; HTTP dates hold a comma of their own, so they go in pairs."""
    items: list[str] = []
    current: list[str] = []
    quoted = False
    escaped = False
    for char in text:
        if escaped:
            current.append(char)
            escaped = False
        elif quoted and char == "\\":
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            items.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    items.append("".join(current).strip())
    if member.type_name == "timestamp" and timestamp_format(member, "rfc822") == "rfc822":
        items = [f"{items[i]}, {items[i + 1]}" for i in range(0, len(items) - 1, 2)]
    return items


def quote_header_item(text: str) -> str:
    if "," in text or '"' in text:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text

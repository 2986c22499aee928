"""XML bodies from botocore shapes: the writer the query protocol (IAM, STS) and REST-XML
(S3) share.

``XmlWriters`` compiles a shape, once, into a function that appends the XML of a value to
a list of strings; the caller joins them. The rules are those of AWS's XML protocols as
botocore's ``BaseXMLResponseParser`` reads them (and as the Smithy protocol tests in
``tests/data/protocols/`` pin them down):

- a structure member is an element named by its ``locationName`` (or the member name);
  members are written in model order; ``None`` members are left out;
- a list is ``<Name><member>..</member></Name>`` (the member's ``locationName`` instead of
  ``member`` when it has one); a flattened list repeats ``<Name>`` once per element (named
  by the list member's ``locationName`` when it has one);
- a map is ``<Name><entry><key>..</key><value>..</value></entry></Name>`` (``key`` and
  ``value`` renamed by their ``locationName``); a flattened map repeats ``<Name>`` per entry;
- ``xmlNamespace`` becomes an ``xmlns`` attribute, ``xmlAttribute`` members attributes;
- timestamps: ISO 8601 in UTC (``2026-11-27T20:41:10Z``, milliseconds only when there are
  any), ``unixTimestamp`` as seconds, ``rfc822`` as an HTTP date; booleans ``true`` /
  ``false``; floats ``NaN`` / ``Infinity`` / ``-Infinity`` as Smithy writes them; blobs
  base64.

Text is escaped by ``escape_text`` (``& < >`` and carriage return, which XML parsers
would otherwise fold into a newline). Characters XML 1.0 cannot carry at all (most C0
controls) are written as they are: the models' patterns keep them out of stored values.

Known gaps: no ``document`` or ``union`` shapes (neither IAM, STS nor S3 has them on
output), no ``xmlNamespace`` prefixes other than a default namespace and ``xmlns:prefix``.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

from botocore.model import Shape

# Appends the XML of one value to ``out``.
Writer = Callable[[Any, list[str]], None]

_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#xD;"})
_ATTR_ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\r": "&#xD;", "\n": "&#xA;", "\t": "&#x9;"}
)


def escape_text(text: str) -> str:
    """``text`` as element content."""
    return text.translate(_TEXT_ESCAPES)


def escape_attr(text: str) -> str:
    """``text`` as a double-quoted attribute value."""
    return text.translate(_ATTR_ESCAPES)


def iso8601(value: datetime) -> str:
    """A timestamp as AWS writes it in XML: ``2026-11-27T20:41:10Z`` (UTC; ``.123Z`` only
    when there are milliseconds). A naive datetime is taken to be UTC."""
    if value.tzinfo is not None and value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    # isoformat is C: far cheaper than formatting the fields one by one.
    if value.microsecond:
        return value.replace(tzinfo=None).isoformat(timespec="milliseconds") + "Z"
    return value.replace(tzinfo=None, microsecond=0).isoformat() + "Z"


def format_timestamp(value: datetime, timestamp_format: str | None) -> str:
    """A timestamp in a model's ``timestampFormat`` (``iso8601`` when there is none)."""
    if timestamp_format == "unixTimestamp":
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        seconds = value.timestamp()
        return str(int(seconds)) if seconds == int(seconds) else repr(round(seconds, 3))
    if timestamp_format == "rfc822":
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return format_datetime(value.astimezone(UTC), usegmt=True)
    return iso8601(value)


def format_float(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return repr(float(value))


def _namespace_attr(serialization: dict[str, Any]) -> str:
    namespace = serialization.get("xmlNamespace")
    if namespace is None:
        return ""
    if isinstance(namespace, str):
        return f' xmlns="{escape_attr(namespace)}"'
    prefix = namespace.get("prefix")
    attr = f"xmlns:{prefix}" if prefix else "xmlns"
    return f' {attr}="{escape_attr(namespace.get("uri", ""))}"'


class XmlWriters:
    """Compiled writers, by shape and element name. The caller owns one (per service) and
    keeps it: compiling is the slow part, writing is string appends."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, str, str, str], Writer] = {}

    def writer(self, shape: Shape, element: str, attrs: str = "") -> Writer:
        """The writer of ``shape`` as an element named ``element``; ``attrs`` is written
        verbatim into the start tag (``' xmlns="..."'``)."""
        # Member traits (flattened, timestampFormat, locationName) live in the
        # serialization of the resolved shape, so they are part of the key.
        key = (shape.name, element, attrs, repr(sorted(shape.serialization.items())))
        found = self._cache.get(key)
        if found is not None:
            return found
        # Recursive shapes: register a trampoline first so a shape can contain itself.
        compiled: list[Writer] = []

        def trampoline(value: Any, out: list[str]) -> None:
            compiled[0](value, out)

        self._cache[key] = trampoline
        made = self._compile(shape, element, attrs)
        compiled.append(made)
        self._cache[key] = made
        return made

    def member_writer(self, shape: Shape, member_name: str) -> Writer:
        """The writer of a structure member (or list member, map key or value) whose
        element name comes from its ``locationName``, or ``member_name``."""
        name = shape.serialization.get("name") or member_name
        if shape.type_name == "list" and shape.serialization.get("flattened"):
            name = shape.member.serialization.get("name") or name
        return self.writer(shape, name, _namespace_attr(shape.serialization))

    def content_writer(self, shape: Shape) -> Writer:
        """The children of a structure without its own element (a result wrapper's
        content, an error's fields)."""
        members = self._members(shape)

        def write(value: Any, out: list[str]) -> None:
            for name, member in members:
                item = value.get(name)
                if item is not None:
                    member(item, out)

        return write

    def _members(self, shape: Shape) -> list[tuple[str, Writer]]:
        return [
            (name, self.member_writer(member, name))
            for name, member in shape.members.items()
            if not member.serialization.get("xmlAttribute") and member.serialization.get("location") is None
        ]

    def _compile(self, shape: Shape, element: str, attrs: str) -> Writer:
        kind = shape.type_name
        if kind == "structure":
            return self._structure(shape, element, attrs)
        if kind == "list":
            return self._list(shape, element, attrs)
        if kind == "map":
            return self._map(shape, element, attrs)
        return _scalar(shape, element, attrs)

    def _structure(self, shape: Shape, element: str, attrs: str) -> Writer:
        members = self._members(shape)
        attributes = [
            (name, member.serialization.get("name") or name)
            for name, member in shape.members.items()
            if member.serialization.get("xmlAttribute")
        ]
        start, end = f"<{element}{attrs}", f"</{element}>"

        def write(value: Any, out: list[str]) -> None:
            out.append(start)
            for name, attr in attributes:
                item = value.get(name)
                if item is not None:
                    out.append(f' {attr}="{escape_attr(str(item))}"')
            out.append(">")
            for name, member in members:
                item = value.get(name)
                if item is not None:
                    member(item, out)
            out.append(end)

        return write

    def _list(self, shape: Shape, element: str, attrs: str) -> Writer:
        member_shape = shape.member
        if shape.serialization.get("flattened"):
            item_writer = self.writer(member_shape, element, _namespace_attr(member_shape.serialization) or attrs)

            def write_flat(value: Any, out: list[str]) -> None:
                for item in value:
                    item_writer(item, out)

            return write_flat
        item_name = member_shape.serialization.get("name") or "member"
        item_writer = self.writer(member_shape, item_name, _namespace_attr(member_shape.serialization))
        start, end, empty = f"<{element}{attrs}>", f"</{element}>", f"<{element}{attrs}/>"

        def write(value: Any, out: list[str]) -> None:
            if not value:
                out.append(empty)
                return
            out.append(start)
            for item in value:
                item_writer(item, out)
            out.append(end)

        return write

    def _map(self, shape: Shape, element: str, attrs: str) -> Writer:
        key_name = shape.key.serialization.get("name") or "key"
        value_name = shape.value.serialization.get("name") or "value"
        key_writer = self.writer(shape.key, key_name, _namespace_attr(shape.key.serialization))
        value_writer = self.writer(shape.value, value_name, _namespace_attr(shape.value.serialization))
        if shape.serialization.get("flattened"):
            start, end = f"<{element}{attrs}>", f"</{element}>"

            def write_flat(value: Any, out: list[str]) -> None:
                for key, item in value.items():
                    out.append(start)
                    key_writer(key, out)
                    value_writer(item, out)
                    out.append(end)

            return write_flat
        start, end, empty = f"<{element}{attrs}>", f"</{element}>", f"<{element}{attrs}/>"

        def write(value: Any, out: list[str]) -> None:
            if not value:
                out.append(empty)
                return
            out.append(start)
            for key, item in value.items():
                out.append("<entry>")
                key_writer(key, out)
                value_writer(item, out)
                out.append("</entry>")
            out.append(end)

        return write


def _scalar(shape: Shape, element: str, attrs: str) -> Writer:
    start, end = f"<{element}{attrs}>", f"</{element}>"
    kind = shape.type_name
    if kind == "boolean":

        def write_bool(value: Any, out: list[str]) -> None:
            out.append(f"{start}{'true' if value else 'false'}{end}")

        return write_bool
    if kind in ("integer", "long", "byte", "short"):

        def write_int(value: Any, out: list[str]) -> None:
            out.append(f"{start}{int(value)}{end}")

        return write_int
    if kind in ("float", "double"):

        def write_float(value: Any, out: list[str]) -> None:
            out.append(f"{start}{format_float(value)}{end}")

        return write_float
    if kind == "timestamp":
        timestamp_format = shape.serialization.get("timestampFormat")

        def write_timestamp(value: Any, out: list[str]) -> None:
            out.append(f"{start}{format_timestamp(value, timestamp_format)}{end}")

        return write_timestamp
    if kind == "blob":

        def write_blob(value: Any, out: list[str]) -> None:
            data = value.encode() if isinstance(value, str) else bytes(value)
            out.append(f"{start}{base64.b64encode(data).decode('ascii')}{end}")

        return write_blob

    def write_string(value: Any, out: list[str]) -> None:
        out.append(start + str(value).translate(_TEXT_ESCAPES) + end)

    return write_string

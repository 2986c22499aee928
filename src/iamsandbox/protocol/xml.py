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
- timestamps (``timestamps.py``): ISO 8601 in UTC (``2026-11-27T20:41:10Z``, milliseconds
  only when there are any, or always for S3: ``XmlWriters(milliseconds=True)``),
  ``unixTimestamp`` as seconds, ``rfc822`` as an HTTP date; booleans ``true`` / ``false``;
  floats ``NaN`` / ``Infinity`` / ``-Infinity`` as Smithy writes them (from a float, or from
  those strings); blobs base64.

Speed: a structure compiles to one closure over a tuple of its members (element tags
prebuilt, a formatter per scalar member), appending to one list of strings; no shape
metadata is looked up while writing, and text is escaped only when it holds a character
that needs it. A listing of 100 items costs about 1–3 µs per item.

Text is escaped by ``escape_text`` (``& < >`` and carriage return, which XML parsers
would otherwise fold into a newline). Characters XML 1.0 cannot carry at all (most C0
controls) are written as they are: the models' patterns keep them out of stored values.
Error text echoes what the request held, unvalidated: ``escape_error_text`` also writes
those characters as U+FFFD, so that an error is always a document clients can read.

A ``union`` is written as the structure it is on the wire (the caller gives one member;
IAM's workload identity operations have one on output since botocore 1.44).

Known gaps: no ``document`` shapes (neither IAM, STS nor S3 has them on output), no
``xmlNamespace`` prefixes other than a default namespace and ``xmlns:prefix``.
"""

from __future__ import annotations

import base64
import math
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from botocore.model import Shape

from .timestamps import THREE_DIGITS, TWO_DIGITS, as_utc, iso8601, rfc822, unix

# Appends the XML of one value to ``out``.
Writer = Callable[[Any, list[str]], None]
# A scalar value as element text, escaped.
Formatter = Callable[[Any], str]
# A structure member: (member name, start tag, end tag, formatter of a scalar or None,
# writer of a list, map or structure or None, whether the value is a flattened list of
# such scalars: one element each).
_Field = tuple[str, str, str, Formatter | None, Writer | None, bool]

_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#xD;"})
_ATTR_ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\r": "&#xD;", "\n": "&#xA;", "\t": "&#x9;"}
)


def escape_text(text: str) -> str:
    """``text`` as element content."""
    # Four scans in C cost less than one translate of text that needs nothing.
    if "&" in text or "<" in text or ">" in text or "\r" in text:
        return text.translate(_TEXT_ESCAPES)
    return text


# What XML 1.0 cannot carry ("Char" in section 2.2 of the XML 1.0 specification).
_NOT_XML_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def escape_error_text(text: str) -> str:
    """``text`` as content of an error element: escaped, and any character XML 1.0 cannot
    carry (a control character or a lone surrogate echoed from the request) as U+FFFD."""
    return escape_text(_NOT_XML_CHAR.sub("\ufffd", text))


def escape_attr(text: str) -> str:
    """``text`` as a double-quoted attribute value."""
    return text.translate(_ATTR_ESCAPES)


def format_text(value: Any) -> str:
    """A string member's value as element content."""
    text = value if value.__class__ is str else str(value)
    if "&" in text or "<" in text or ">" in text or "\r" in text:
        return text.translate(_TEXT_ESCAPES)
    return text


def format_float(value: Any) -> str:
    """A float as Smithy writes it: ``NaN``, ``Infinity``, ``-Infinity`` (also from those
    strings), an integer as it is, others by ``repr``. ValueError for text that is no number."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    number = float(value)
    if math.isnan(number):
        return "NaN"
    if math.isinf(number):
        return "Infinity" if number > 0 else "-Infinity"
    return repr(number)


def _format_bool(value: Any) -> str:
    return "true" if value else "false"


def _format_int(value: Any) -> str:
    return str(value) if value.__class__ is int else str(int(value))


def _format_blob(value: Any) -> str:
    data = value.encode() if isinstance(value, str) else bytes(value)
    return base64.b64encode(data).decode("ascii")


def _iso8601_ms(value: Any) -> str:
    return iso8601(value, True)


def _iso8601_whole_seconds(value: Any) -> str:
    """S3's timestamps: whole seconds, written with ``.000`` (``XmlWriters``)."""
    moment = as_utc(value)
    return iso8601(moment.replace(microsecond=0), True)


def _iso8601_seconds(value: Any) -> str:
    """IAM's timestamps read back: whole seconds, no fraction (``XmlWriters``)."""
    return iso8601(as_utc(value).replace(microsecond=0))


def namespace_attr(serialization: dict[str, Any]) -> str:
    """The ``xmlns`` attribute of a shape's ``xmlNamespace`` trait ('' when it has none)."""
    namespace = serialization.get("xmlNamespace")
    if not namespace:
        return ""
    if isinstance(namespace, str):
        return f' xmlns="{escape_attr(namespace)}"'
    prefix = namespace.get("prefix")
    attr = f"xmlns:{prefix}" if prefix else "xmlns"
    return f' {attr}="{escape_attr(namespace.get("uri", ""))}"'


def _element_name(shape: Shape, member_name: str) -> str:
    """The element of a structure member: its ``locationName``, or for a flattened list
    its item's."""
    name: str = shape.serialization.get("name") or member_name
    if shape.type_name == "list" and shape.serialization.get("flattened"):
        name = shape.member.serialization.get("name") or name
    return name


class XmlWriters:
    """Compiled writers, by shape and element name. The caller owns one (per service) and
    keeps it: compiling is the slow part, writing is string appends.

    ``milliseconds``: ISO 8601 timestamps always carry milliseconds
    (``2026-11-27T20:41:10.123Z``), not only when there are any (IAM's, STS's).
    ``whole_seconds``: S3's form, whole seconds always followed by ``.000``
    (``2026-11-27T20:41:10.000Z``, as in its ListObjects examples and every real listing): a
    listing's LastModified is then the second of the object's Last-Modified header, which
    `aws s3 sync --exact-timestamps` compares with the mtime it gave a downloaded file.
    ``seconds``: whole seconds without a fraction (``2026-11-27T20:41:10Z``), as IAM
    answers an entity read back (``QueryProtocol``)."""

    def __init__(self, *, milliseconds: bool = False, whole_seconds: bool = False, seconds: bool = False) -> None:
        self.milliseconds = milliseconds
        self.whole_seconds = whole_seconds
        self.seconds = seconds
        self._cache: dict[tuple[str, str, str, str], Writer] = {}

    def __repr__(self) -> str:
        return f"XmlWriters({len(self._cache)} writers, milliseconds={self.milliseconds})"

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
        return self.writer(shape, _element_name(shape, member_name), namespace_attr(shape.serialization))

    def formatter(self, shape: Shape) -> Formatter:
        """A scalar shape's value as escaped element text."""
        kind = shape.type_name
        if kind == "boolean":
            return _format_bool
        if kind in ("integer", "long", "byte", "short"):
            return _format_int
        if kind in ("float", "double"):
            return format_float
        if kind == "timestamp":
            timestamp_format = shape.serialization.get("timestampFormat")
            if timestamp_format == "unixTimestamp":
                return unix
            if timestamp_format == "rfc822":
                return rfc822
            if self.whole_seconds:
                return _iso8601_whole_seconds
            if self.seconds:
                return _iso8601_seconds
            return _iso8601_ms if self.milliseconds else iso8601
        if kind == "blob":
            return _format_blob
        return format_text

    def content_writer(self, shape: Shape) -> Writer:
        """The children of a structure without its own element (a result wrapper's
        content, an error's fields, an S3 output's body members)."""
        return self.fields_writer(
            [
                (name, member)
                for name, member in shape.members.items()
                if not member.serialization.get("xmlAttribute") and member.serialization.get("location") is None
            ]
        )

    def fields_writer(self, members: list[tuple[str, Shape]]) -> Writer:
        """The elements of the given structure members, in order."""
        return _generate(self._fields(members), "", "")

    def _fields(self, members: list[tuple[str, Shape]]) -> tuple[_Field, ...]:
        fields: list[_Field] = []
        for name, member in members:
            if _flat_scalars(member):  # written inline, one element per item (S3's ChecksumAlgorithm)
                element = _element_name(member, name)
                attrs = namespace_attr(member.member.serialization) or namespace_attr(member.serialization)
                start = f"<{element}{attrs}>"
                fields.append((name, start, f"</{element}>", self.formatter(member.member), None, True))
            elif member.type_name in ("structure", "list", "map"):
                fields.append((name, "", "", None, self.member_writer(member, name), False))
            else:
                element = _element_name(member, name)
                start = f"<{element}{namespace_attr(member.serialization)}>"
                fields.append((name, start, f"</{element}>", self.formatter(member), None, False))
        return tuple(fields)

    def _compile(self, shape: Shape, element: str, attrs: str) -> Writer:
        kind = shape.type_name
        if kind == "structure":
            return self._structure(shape, element, attrs)
        if kind == "list":
            return self._list(shape, element, attrs)
        if kind == "map":
            return self._map(shape, element, attrs)
        start, end, fmt = f"<{element}{attrs}>", f"</{element}>", self.formatter(shape)

        def write_scalar(value: Any, out: list[str]) -> None:
            out.append(start + fmt(value) + end)

        return write_scalar

    def _structure(self, shape: Shape, element: str, attrs: str) -> Writer:
        fields = self._fields(
            [
                (name, member)
                for name, member in shape.members.items()
                if not member.serialization.get("xmlAttribute") and member.serialization.get("location") is None
            ]
        )
        attributes = tuple(
            (name, member.serialization.get("name") or name)
            for name, member in shape.members.items()
            if member.serialization.get("xmlAttribute")
        )
        start, end = f"<{element}{attrs}>", f"</{element}>"
        if not attributes:
            return _generate(fields, start, end)
        write_fields = _generate(fields, "", "")
        open_tag = f"<{element}{attrs}"

        def write_with_attributes(value: Any, out: list[str]) -> None:
            parts = [open_tag]
            for name, attr in attributes:
                item = value.get(name)
                if item is not None:
                    parts.append(f' {attr}="{escape_attr(str(item))}"')
            parts.append(">")
            out.append("".join(parts))
            write_fields(value, out)
            out.append(end)

        return write_with_attributes

    def _list(self, shape: Shape, element: str, attrs: str) -> Writer:
        member_shape = shape.member
        if shape.serialization.get("flattened"):
            item_writer = self.writer(member_shape, element, namespace_attr(member_shape.serialization) or attrs)

            def write_flat(value: Any, out: list[str]) -> None:
                for item in value:
                    item_writer(item, out)

            return write_flat
        item_name = member_shape.serialization.get("name") or "member"
        item_writer = self.writer(member_shape, item_name, namespace_attr(member_shape.serialization))
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
        key_writer = self.writer(shape.key, key_name, namespace_attr(shape.key.serialization))
        value_writer = self.writer(shape.value, value_name, namespace_attr(shape.value.serialization))
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


def _flat_scalars(shape: Shape) -> bool:
    """A flattened list of scalars (not attributes)."""
    return (
        shape.type_name == "list"
        and bool(shape.serialization.get("flattened"))
        and shape.member.type_name not in ("structure", "list", "map")
        and not shape.member.serialization.get("xmlAttribute")
    )


def _generate(fields: tuple[_Field, ...], start: str, end: str) -> Writer:
    """A writer of ``fields`` between ``start`` and ``end``, as straight-line Python: per
    member present one dict lookup and one append of one f-string, string members escaped
    inline, UTC datetimes formatted inline (as ``timestamps.iso8601`` does). A listing calls
    it once per item: the loop, tuple unpacking and calls a closure over ``fields`` would
    make per member are about half the cost.

    Only ``repr``s of names and tags go into the source; formatters and nested writers are
    passed in as globals.
    """
    namespace: dict[str, Any] = {"_escapes": _TEXT_ESCAPES, "_str": str, "_int": int, "_datetime": datetime}
    namespace.update(_UTC=UTC, _two=TWO_DIGITS, _three=THREE_DIGITS)
    lines = ["def write(value, out):", "    append = out.append", "    get = value.get"]
    if start:
        lines.append(f"    append({start!r})")
    seconds = (
        "{item.year}-{_two[item.month]}-{_two[item.day]}T{_two[item.hour]}:{_two[item.minute]}:{_two[item.second]}"
    )
    millis = ".{_three[item.microsecond // 1000]}"
    for index, (name, member_start, member_end, fmt, nested, repeated) in enumerate(fields):
        if repeated:  # a flattened list of scalars: the scalar's lines below, once per item
            lines.append(f"    items = get({name!r})")
            lines.append("    if items is not None:")
            lines.append("      for item in items:")
        else:
            lines.append(f"    item = get({name!r})")
            lines.append("    if item is not None:")
        if nested is not None:
            namespace[f"_w{index}"] = nested
            lines.append(f"        _w{index}(item, out)")
            continue
        namespace[f"_f{index}"] = fmt

        def element(text: str, member_start: str = member_start, member_end: str = member_end) -> str:
            """An f-string literal of the member's element around ``text`` (an f-string body)."""
            return "f" + repr(_braces(member_start) + text + _braces(member_end))

        if fmt is format_text:
            lines.append("        if item.__class__ is not _str:")
            lines.append("            item = _str(item)")
            lines.append("        if '&' in item or '<' in item or '>' in item or '\\r' in item:")
            lines.append("            item = item.translate(_escapes)")
            lines.append(f"        append({element('{item}')})")
        elif fmt is iso8601 or fmt is _iso8601_ms or fmt is _iso8601_whole_seconds or fmt is _iso8601_seconds:
            lines.append(
                "        if item.__class__ is _datetime and ((tz := item.tzinfo) is _UTC or tz is None)"
                " and item.year > 999:"
            )
            if fmt is iso8601:
                lines.append("            if item.microsecond:")
                lines.append(f"                append({element(seconds + millis + 'Z')})")
                lines.append("            else:")
                lines.append(f"                append({element(seconds + 'Z')})")
            elif fmt is _iso8601_whole_seconds:
                lines.append(f"            append({element(seconds + '.000Z')})")
            elif fmt is _iso8601_seconds:
                lines.append(f"            append({element(seconds + 'Z')})")
            else:
                lines.append(f"            append({element(seconds + millis + 'Z')})")
            lines.append("        else:")
            lines.append(f"            append({element(f'{{_f{index}(item)}}')})")
        elif fmt is _format_bool:
            true, false = member_start + "true" + member_end, member_start + "false" + member_end
            lines.append(f"        append({true!r} if item else {false!r})")
        elif fmt is _format_int:
            lines.append(f"        append({element(f'{{item if item.__class__ is _int else _f{index}(item)}}')})")
        else:
            lines.append(f"        append({element(f'{{_f{index}(item)}}')})")
    if end:
        lines.append(f"    append({end!r})")
    if not fields and not start and not end:
        lines.append("    return None")
    exec("\n".join(lines), namespace)  # noqa: S102  # source built above from reprs only
    write: Writer = namespace["write"]
    return write


def _braces(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")

"""The REST-XML protocol (S3's): requests parsed and responses written from botocore's
shapes.

Where each input member travels is in its shape (``location``: ``uri`` label,
``querystring``, ``header``, ``headers`` prefix map, or the body; the ``payload`` member
is the whole body: raw bytes for a blob, text for a string, an XML document for a
structure). Responses go the other way: ``statusCode``, headers, and the payload or the
body members as XML in model member order. Nothing is hand-templated.

AWS pages: "REST-XML protocol" (Smithy's aws.protocols#restXml, whose protocol tests
botocore ships and tests/protocol runs), the Amazon S3 API Reference ("Error responses",
"Common response headers"), and RFC 7231 for HTTP dates.

S3's wording of bad input: XML that does not parse, does not follow the shape (unknown
enum value, a number that is not one, a required element missing) is ``MalformedXML``
("The XML you provided was not well-formed or did not validate against our published
schema"); a query or header value of the wrong type is ``InvalidArgument``. The XML reader
is expat with DOCTYPEs refused, so no entity expansion of any kind.

The output shapes in botocore's S3 model lack the XML name of their root element
(``ListBucketResult``...): ``patches/s3.json`` supplies them (as ``locationName``, the
name Smithy's ``@xmlName`` takes in botocore's JSON); the S3 namespace goes on the root
element, as S3 writes it.

Known gaps: no ``hostPrefix`` host labels; no request compression; event streams
(SelectObjectContent) are not written; ``jsonvalue`` headers are decoded but not checked.
"""

from __future__ import annotations

import base64
import binascii
import calendar
import datetime as dt
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import IO, Any
from xml.parsers import expat

from ..errors import InvalidArgument, InvalidBucketName, MalformedXML, ServiceError
from .s3_routing import Query, S3Router, decode_path_segment, parse_query
from .xml import Writer, XmlWriters, escape_attr
from .xml import escape_text as escape


def quoteattr(text: str) -> str:
    return f'"{escape_attr(text)}"'

S3_NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/"
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'

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


# --- XML reading ----------------------------------------------------------------------


class _Node:
    __slots__ = ("tag", "attrs", "children", "text")

    def __init__(self, tag: str, attrs: dict[str, str]) -> None:
        self.tag = tag
        self.attrs = attrs
        self.children: list[_Node] = []
        self.text: list[str] = []

    def content(self) -> str:
        return "".join(self.text)

    def __repr__(self) -> str:
        return f"<{self.tag} {len(self.children)} children>"


class _Refused(Exception):
    pass


def _refuse(*_args: object) -> None:
    raise _Refused()


def read_xml(data: bytes) -> _Node:
    """An XML document as a tree of nodes, namespace prefixes dropped from element names.
    Anything that is not a well-formed document without a DOCTYPE is MalformedXML."""
    parser = expat.ParserCreate()
    stack: list[_Node] = []
    roots: list[_Node] = []

    def start(tag: str, attrs: dict[str, str]) -> None:
        node = _Node(tag.rpartition(":")[2], attrs)
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)

    def end(_tag: str) -> None:
        stack.pop()

    def text(data: str) -> None:
        if stack:
            stack[-1].text.append(data)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    try:
        parser.Parse(data, True)
    except (expat.ExpatError, _Refused, RecursionError, ValueError):
        raise MalformedXML() from None
    if len(roots) != 1:
        raise MalformedXML()
    return roots[0]


# --- scalar conversions -----------------------------------------------------------------


def _timestamp_format(shape: Any, default: str) -> str:
    return str(shape.serialization.get("timestampFormat", default))


def parse_timestamp(text: str, fmt: str) -> dt.datetime:
    """A timestamp in one of the model's formats (iso8601, rfc822, unixTimestamp), as an
    aware UTC datetime. Raises ValueError."""
    text = text.strip()
    if fmt == "unixTimestamp":
        return dt.datetime.fromtimestamp(float(text), dt.UTC)
    if fmt == "rfc822":
        value = parsedate_to_datetime(text)
    else:
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def _as_datetime(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    if isinstance(value, int | float):
        return dt.datetime.fromtimestamp(value, dt.UTC)
    return parse_timestamp(str(value), "iso8601")


def format_timestamp(value: Any, fmt: str) -> str:
    """S3's timestamp forms: ISO 8601 with milliseconds (``2026-11-27T20:41:10.000Z``),
    RFC 1123 (``Fri, 27 Nov 2026 20:41:10 GMT``), or epoch seconds."""
    moment = _as_datetime(value)
    if moment.utcoffset():
        moment = moment.astimezone(dt.UTC)
    if fmt == "iso8601":
        return (
            f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}T{moment.hour:02d}:{moment.minute:02d}:"
            f"{moment.second:02d}.{moment.microsecond // 1000:03d}Z"
        )
    if fmt == "rfc822":
        return moment.strftime("%a, %d %b %Y %H:%M:%S GMT")
    if fmt == "unixTimestamp":
        seconds = calendar.timegm(moment.timetuple()) + moment.microsecond / 1e6
        return str(int(seconds)) if seconds == int(seconds) else f"{seconds:.3f}".rstrip("0")
    raise ValueError(f"unknown timestamp format {fmt!r}")


def _parse_float(text: str) -> float:
    if text in ("NaN", "Infinity", "-Infinity"):
        return float(text.replace("Infinity", "inf"))
    return float(text)


def _format_float(value: Any) -> str:
    number = _parse_float(value) if isinstance(value, str) else float(value)
    if math.isnan(number):
        return "NaN"
    if math.isinf(number):
        return "Infinity" if number > 0 else "-Infinity"
    return str(value) if isinstance(value, int) else repr(number)


def _parse_bool(text: str) -> bool:
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
        return _parse_bool(text)
    if kind in ("float", "double"):
        return _parse_float(text)
    if kind == "timestamp":
        return parse_timestamp(text, _timestamp_format(shape, timestamp_default))
    if kind == "blob":
        return base64.b64decode(text, validate=True)
    raise ValueError(f"not a scalar: {kind}")


def format_scalar(shape: Any, value: Any, timestamp_default: str) -> str:
    kind = shape.type_name
    if kind == "boolean":
        return "true" if value else "false"
    if kind in ("float", "double"):
        return _format_float(value)
    if kind == "timestamp":
        return format_timestamp(value, _timestamp_format(shape, timestamp_default))
    if kind == "blob":
        raw = value.encode() if isinstance(value, str) else bytes(value)
        return base64.b64encode(raw).decode("ascii")
    return str(value)


def _split_header_list(text: str, member: Any) -> list[str]:
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
    if member.type_name == "timestamp" and _timestamp_format(member, "rfc822") == "rfc822":
        items = [f"{items[i]}, {items[i + 1]}" for i in range(0, len(items) - 1, 2)]
    return items


def _quote_header_item(text: str) -> str:
    if "," in text or '"' in text:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text


# --- compiled plans -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Plan:
    """Where each member of a shape travels, computed once per operation."""

    labels: tuple[tuple[str, Any, str], ...]
    query: tuple[tuple[str, Any, str], ...]
    query_map: tuple[str, Any] | None
    headers: tuple[tuple[str, Any, str], ...]
    prefix_headers: tuple[tuple[str, Any, str], ...]
    status: str | None
    payload: tuple[str, Any] | None
    body: tuple[tuple[str, Any], ...]
    root_name: str
    required: frozenset[str]


def _plan(shape: Any, output: bool = False) -> _Plan:
    labels: list[tuple[str, Any, str]] = []
    query: list[tuple[str, Any, str]] = []
    query_map: tuple[str, Any] | None = None
    headers: list[tuple[str, Any, str]] = []
    prefix_headers: list[tuple[str, Any, str]] = []
    status: str | None = None
    body: list[tuple[str, Any]] = []
    payload: tuple[str, Any] | None = None
    root_name = "Response"
    required: frozenset[str] = frozenset()
    if shape is not None:
        root_name = shape.serialization.get("name", shape.name)
        required = frozenset(shape.required_members)
        payload_name = shape.serialization.get("payload")
        for name, member in shape.members.items():
            location = member.serialization.get("location")
            wire = member.serialization.get("name", name)
            if output and location in ("uri", "querystring"):
                location = None  # a response has no URI: botocore reads these from the body
            if location == "uri":
                labels.append((name, member, wire))
            elif location == "querystring":
                if member.type_name == "map":
                    query_map = (name, member)
                else:
                    query.append((name, member, wire))
            elif location == "header":
                headers.append((name, member, wire))
            elif location == "headers":
                prefix_headers.append((name, member, member.serialization.get("name", "")))
            elif location == "statusCode":
                status = name
            elif name == payload_name:
                payload = (name, member)
            else:
                body.append((name, member))
    return _Plan(
        labels=tuple(labels),
        query=tuple(query),
        query_map=query_map,
        headers=tuple(headers),
        prefix_headers=tuple(prefix_headers),
        status=status,
        payload=payload,
        body=tuple(body),
        root_name=root_name,
        required=required,
    )


# --- XML to values, by shape ---------------------------------------------------------------


def _element_name(name: str, member: Any) -> str:
    """The element a structure member is written as (botocore's rule, flattened lists
    taking their item's name)."""
    if member.type_name == "list" and member.serialization.get("flattened"):
        item_name = member.member.serialization.get("name")
        if item_name is not None:
            return str(item_name)
    return str(member.serialization.get("name", name))


def _from_xml(shape: Any, node: _Node) -> Any:
    kind = shape.type_name
    if kind == "structure":
        return _struct_from_xml(shape, node)
    if kind == "list":
        return [_from_xml(shape.member, child) for child in node.children]
    if kind == "map":
        return _map_from_xml(shape, node.children)
    text = node.content()
    if kind == "string":
        enum = shape.enum
        if enum and text not in enum:
            raise MalformedXML()
        return text
    if kind != "string" and kind != "blob":
        text = text.strip()
    try:
        return parse_scalar(shape, text, "iso8601")
    except (ValueError, OverflowError, binascii.Error):
        raise MalformedXML() from None


def _struct_from_xml(shape: Any, node: _Node) -> dict[str, Any]:
    result: dict[str, Any] = {}
    by_tag: dict[str, list[_Node]] = {}
    for child in node.children:
        by_tag.setdefault(child.tag, []).append(child)
    for name, member in shape.members.items():
        if member.serialization.get("xmlAttribute"):
            attr = member.serialization.get("name", name)
            if attr in node.attrs:
                result[name] = node.attrs[attr]
            continue
        found = _find(by_tag, name, member)
        if not found:
            continue
        if member.type_name == "list" and member.serialization.get("flattened"):
            result[name] = [_from_xml(member.member, item) for item in found]
        elif member.type_name == "map" and member.serialization.get("flattened"):
            result[name] = _map_from_xml(member, found)
        else:
            result[name] = _from_xml(member, found[-1])
    for name in shape.required_members:
        if name not in result:
            raise MalformedXML()
    return result


def _find(by_tag: Mapping[str, list[_Node]], name: str, member: Any) -> list[_Node] | None:
    """A member's elements. A flattened list is named by its member's locationName as
    botocore's serializer writes it, or by its item's as botocore's parser reads it."""
    found = by_tag.get(str(member.serialization.get("name", name)))
    if found is None and member.type_name == "list" and member.serialization.get("flattened"):
        found = by_tag.get(_element_name(name, member))
    return found


def _map_from_xml(shape: Any, entries: list[_Node]) -> dict[str, Any]:
    key_name = shape.key.serialization.get("name", "key")
    value_name = shape.value.serialization.get("name", "value")
    result: dict[str, Any] = {}
    for entry in entries:
        key: _Node | None = None
        value: _Node | None = None
        for child in entry.children:
            if child.tag == key_name:
                key = child
            elif child.tag == value_name:
                value = child
        if key is None or value is None:
            raise MalformedXML()
        result[key.content()] = _from_xml(shape.value, value)
    return result


# --- values to XML, by shape -------------------------------------------------------------


def _namespace_attr(shape: Any) -> str:
    namespace = shape.serialization.get("xmlNamespace")
    if not namespace:
        return ""
    if isinstance(namespace, str):
        return f" xmlns={quoteattr(namespace)}"
    prefix = namespace.get("prefix")
    name = f"xmlns:{prefix}" if prefix else "xmlns"
    return f" {name}={quoteattr(namespace['uri'])}"


def _write(out: list[str], shape: Any, value: Any, tag: str, extra_attrs: str = "") -> None:
    kind = shape.type_name
    if kind == "structure":
        attrs = extra_attrs or _namespace_attr(shape)
        children: list[str] = []
        for name, member in shape.members.items():
            item = value.get(name)
            if item is None:
                continue
            if member.serialization.get("xmlAttribute"):
                attr_text = quoteattr(format_scalar(member, item, "iso8601"))
                attrs += f" {member.serialization.get('name', name)}={attr_text}"
                continue
            if member.type_name == "list" and member.serialization.get("flattened"):
                item_tag = _element_name(name, member)
                for element in item:
                    _write(children, member.member, element, item_tag)
            elif member.type_name == "map" and member.serialization.get("flattened"):
                _write_entries(children, member, item, _element_name(name, member))
            else:
                _write(children, member, item, _element_name(name, member), _namespace_attr(member))
        out.append(f"<{tag}{attrs}>")
        out.extend(children)
        out.append(f"</{tag}>")
    elif kind == "list":
        item_tag = shape.member.serialization.get("name", "member")
        out.append(f"<{tag}{extra_attrs}>")
        for element in value:
            _write(out, shape.member, element, item_tag)
        out.append(f"</{tag}>")
    elif kind == "map":
        out.append(f"<{tag}{extra_attrs}>")
        _write_entries(out, shape, value, "entry")
        out.append(f"</{tag}>")
    else:
        out.append(f"<{tag}{extra_attrs}>{escape(format_scalar(shape, value, 'iso8601'))}</{tag}>")


def _write_entries(out: list[str], shape: Any, value: Mapping[str, Any], entry_tag: str) -> None:
    key_tag = shape.key.serialization.get("name", "key")
    value_tag = shape.value.serialization.get("name", "value")
    for key, item in value.items():
        out.append(f"<{entry_tag}><{key_tag}>{escape(str(key))}</{key_tag}>")
        _write(out, shape.value, item, value_tag)
        out.append(f"</{entry_tag}>")


class _Writers(XmlWriters):
    """The shared compiled XML writers, with timestamps as S3 writes them: always with
    milliseconds (``2026-11-27T20:41:10.000Z``), and from epoch numbers too."""

    def _compile(self, shape: Any, element: str, attrs: str) -> Writer:
        start, end = f"<{element}{attrs}>", f"</{element}>"
        if shape.type_name in ("float", "double"):

            def write_float(value: Any, out: list[str]) -> None:
                out.append(f"{start}{_format_float(value)}{end}")

            return write_float
        if shape.type_name != "timestamp":
            return super()._compile(shape, element, attrs)
        fmt = _timestamp_format(shape, "iso8601")

        def write_timestamp(value: Any, out: list[str]) -> None:
            out.append(f"{start}{format_timestamp(value, fmt)}{end}")

        return write_timestamp


# --- the protocol ----------------------------------------------------------------------------


class RestXml:
    """Parse requests and write responses and errors for one REST-XML service model.

    ``namespace`` goes on the root element of every XML body (S3's
    ``http://s3.amazonaws.com/doc/2006-03-01/``); ``wrap_errors`` writes errors inside
    ``<ErrorResponse>`` (the generic REST-XML form) instead of S3's bare ``<Error>``.
    Plans are compiled per operation on first use and kept here; nothing is global.
    """

    def __init__(self, service_model: Any, namespace: str | None = None, wrap_errors: bool = False) -> None:
        self.service_model = service_model
        self.namespace = namespace
        self.wrap_errors = wrap_errors
        self._inputs: dict[str, _Plan] = {}
        self._outputs: dict[str, _Plan] = {}
        self._writers = _Writers()
        self._body_writers: dict[str, list[tuple[str, Writer]]] = {}

    def __repr__(self) -> str:
        return f"RestXml({self.service_model.service_name!r})"

    def _input_plan(self, operation: Any) -> _Plan:
        plan = self._inputs.get(operation.name)
        if plan is None:
            plan = self._inputs[operation.name] = _plan(operation.input_shape)
        return plan

    def _output_plan(self, operation: Any) -> _Plan:
        plan = self._outputs.get(operation.name)
        if plan is None:
            plan = self._outputs[operation.name] = _plan(operation.output_shape, output=True)
        return plan

    # -- requests --

    def parse(
        self,
        operation: Any,
        request: HttpRequest,
        labels: Mapping[str, str],
        query: Query | None = None,
    ) -> dict[str, Any]:
        """The operation's input parameters from a request whose route gave ``labels``
        (percent-decoded) and ``query`` (parsed from ``request.query`` when None)."""
        plan = self._input_plan(operation)
        params: dict[str, Any] = {}
        for name, member, wire in plan.labels:
            if wire in labels:
                params[name] = self._argument(member, labels[wire], wire, "iso8601")
        if query is None:
            query = parse_query(request.query)
        bound: set[str] = set()
        for name, member, wire in plan.query:
            values = query.get(wire)
            if values is None:
                continue
            bound.add(wire)
            if member.type_name == "list":
                params[name] = [self._argument(member.member, v, wire, "iso8601") for v in values]
            else:
                params[name] = self._argument(member, values[0], wire, "iso8601")
        if plan.query_map is not None:
            name, member = plan.query_map
            literal = {p.partition("=")[0] for p in operation.http["requestUri"].partition("?")[2].split("&")}
            extra = {k: v for k, v in query.items() if k not in bound and k not in literal}
            if extra:
                params[name] = extra if member.value.type_name == "list" else {k: v[0] for k, v in extra.items()}
        headers = request.headers
        for name, member, wire in plan.headers:
            text = headers.get(wire.lower())
            if text is None:
                continue
            params[name] = self._header(member, text, wire)
        for name, _member, prefix in plan.prefix_headers:
            lowered = prefix.lower()
            prefixed = {k[len(lowered) :]: v for k, v in headers.items() if k.startswith(lowered)}
            if prefixed:
                params[name] = prefixed
        if plan.payload is not None:
            name, member = plan.payload
            value = self._payload(member, request.body)
            if value is not None:
                params[name] = value
            elif name in plan.required and member.type_name == "structure":
                raise MalformedXML()
        elif plan.body:
            data = _read_all(request.body)
            if data.strip():
                root = read_xml(data)
                by_tag: dict[str, list[_Node]] = {}
                for child in root.children:
                    by_tag.setdefault(child.tag, []).append(child)
                for name, member in plan.body:
                    found = _find(by_tag, name, member)
                    if member.serialization.get("xmlAttribute"):
                        attr = member.serialization.get("name", name)
                        if attr in root.attrs:
                            params[name] = root.attrs[attr]
                    elif not found:
                        continue
                    elif member.type_name == "list" and member.serialization.get("flattened"):
                        params[name] = [_from_xml(member.member, item) for item in found]
                    elif member.type_name == "map" and member.serialization.get("flattened"):
                        params[name] = _map_from_xml(member, found)
                    else:
                        params[name] = _from_xml(member, found[-1])
        return params

    @staticmethod
    def _argument(member: Any, text: str, wire: str, timestamp_default: str) -> Any:
        if member.type_name == "string":
            return text
        try:
            return parse_scalar(member, text, timestamp_default)
        except (ValueError, OverflowError, binascii.Error):
            raise InvalidArgument(ArgumentName=wire, ArgumentValue=text) from None

    def _header(self, member: Any, text: str, wire: str) -> Any:
        if member.type_name == "list":
            items = _split_header_list(text, member.member)
            return [self._argument(member.member, item, wire, "rfc822") for item in items]
        if member.type_name == "string" and member.serialization.get("jsonvalue"):
            try:
                return json.loads(base64.b64decode(text))
            except (ValueError, binascii.Error):
                raise InvalidArgument(ArgumentName=wire, ArgumentValue=text) from None
        return self._argument(member, text, wire, "rfc822")

    @staticmethod
    def _payload(member: Any, body: bytes | IO[bytes]) -> Any:
        kind = member.type_name
        if kind == "blob":
            if member.serialization.get("streaming") and not isinstance(body, bytes):
                return body  # passed through: the handler reads it
            data = _read_all(body)
            return data if data else None
        data = _read_all(body)
        if not data:
            return None
        if kind == "string":
            try:
                return data.decode("utf-8")
            except UnicodeDecodeError:
                raise InvalidArgument("Invalid UTF-8 in the request body") from None
        if kind == "structure":
            root = read_xml(data)
            expected = member.serialization.get("name", member.name)
            if root.tag != expected:
                raise MalformedXML()
            return _from_xml(member, root)
        raise MalformedXML()

    # -- responses --

    def serialize(self, operation: Any, result: Mapping[str, Any], request_id: str | None = None) -> HttpResponse:
        """The HTTP response for an operation's result (a dict of its output shape)."""
        plan = self._output_plan(operation)
        status = int(operation.http.get("responseCode", 200))
        headers: list[tuple[str, str]] = []
        if request_id is not None:
            headers.append(("x-amz-request-id", request_id))
        if plan.status is not None and result.get(plan.status) is not None:
            status = int(result[plan.status])
        for name, member, wire in plan.headers:
            value = result.get(name)
            if value is None:
                continue
            if wire.lower() == "content-range" and status == 200:
                status = 206  # a partial GET (RFC 7233, section 4.1)
            headers.append((wire, self._header_text(member, value)))
        for name, _member, prefix in plan.prefix_headers:
            for key, value in (result.get(name) or {}).items():
                headers.append((prefix + key, str(value)))
        body: Body = b""
        content_type: str | None = None
        if plan.payload is not None:
            name, member = plan.payload
            value = result.get(name)
            if value is not None:
                if member.type_name == "blob":
                    body = value.encode() if isinstance(value, str) else value
                elif member.type_name == "string":
                    body = str(value).encode("utf-8")
                else:
                    tag = str(member.serialization.get("name", name))
                    body = self._document(member, value, tag)
                    content_type = "application/xml"
        elif plan.body:
            tag = plan.root_name
            body = self._document(operation.output_shape, result, tag, plan)
            content_type = "application/xml"
        names = {k.lower() for k, _ in headers}
        if content_type and "content-type" not in names:
            headers.append(("Content-Type", content_type))
        if isinstance(body, bytes) and "content-length" not in names:
            headers.append(("Content-Length", str(len(body))))
        return HttpResponse(status, headers, body)

    def _document(self, shape: Any, value: Mapping[str, Any], tag: str, plan: _Plan | None = None) -> bytes:
        out: list[str] = []
        attrs = _namespace_attr(shape) or (f" xmlns={quoteattr(self.namespace)}" if self.namespace else "")
        members = plan.body if plan is not None else None
        if members is not None and len(members) == 1 and _element_name(*members[0]) == tag:
            # The root element *is* the one member (S3's GetBucketLocation:
            # <LocationConstraint xmlns="...">eu-west-1</LocationConstraint>).
            name, member = members[0]
            text = value.get(name)
            body = "" if text is None else escape(format_scalar(member, text, "iso8601"))
            out.append(f"<{tag}{attrs}>{body}</{tag}>")
        elif members is not None:
            # The body members of an output shape (its header members go elsewhere).
            writers = self._body_writers.get(shape.name)
            if writers is None:
                writers = [(name, self._writers.member_writer(member, name)) for name, member in members]
                self._body_writers[shape.name] = writers
            out.append(f"<{tag}{attrs}>")
            for name, write in writers:
                item = value.get(name)
                if item is not None:
                    write(item, out)
            out.append(f"</{tag}>")
        else:
            self._writers.writer(shape, tag, attrs)(value, out)
        return XML_DECLARATION + "".join(out).encode("utf-8")

    @staticmethod
    def _header_text(member: Any, value: Any) -> str:
        if member.type_name == "list":
            return ", ".join(
                _quote_header_item(format_scalar(member.member, item, "rfc822"))
                if member.member.type_name == "string"
                else format_scalar(member.member, item, "rfc822")
                for item in value
            )
        if member.type_name == "string" and member.serialization.get("jsonvalue"):
            return base64.b64encode(json.dumps(value, separators=(",", ":")).encode()).decode("ascii")
        return format_scalar(member, value, "rfc822")

    def serialize_error(
        self,
        error: ServiceError,
        request_id: str,
        host_id: str | None = None,
        head: bool = False,
        resource: str | None = None,
    ) -> HttpResponse:
        """An error response: S3's ``<Error>`` (Code, Message, the error's fields,
        Resource, RequestId, HostId), or the wrapped ``<ErrorResponse>`` form. A HEAD
        request gets the status and headers only (S3 "Error responses")."""
        headers: list[tuple[str, str]] = [("x-amz-request-id", request_id)]
        if host_id is not None:
            headers.append(("x-amz-id-2", host_id))
        if head:
            headers.append(("Content-Length", "0"))
            return HttpResponse(error.status, headers, b"")
        parts = [f"<Code>{escape(error.code)}</Code>", f"<Message>{escape(error.message)}</Message>"]
        fields: Mapping[str, Any] = getattr(error, "fields", None) or {}
        for name, value in fields.items():
            if value is not None:
                parts.append(f"<{name}>{escape(str(value))}</{name}>")
        if resource is not None:
            parts.append(f"<Resource>{escape(resource)}</Resource>")
        if self.wrap_errors:
            kind = "Sender" if error.sender_fault else "Receiver"
            text = (
                f"<ErrorResponse><Error><Type>{kind}</Type>{''.join(parts)}</Error>"
                f"<RequestId>{escape(request_id)}</RequestId></ErrorResponse>"
            )
        else:
            parts.append(f"<RequestId>{escape(request_id)}</RequestId>")
            if host_id is not None:
                parts.append(f"<HostId>{escape(host_id)}</HostId>")
            text = f"<Error>{''.join(parts)}</Error>"
        body = XML_DECLARATION + text.encode("utf-8")
        headers.append(("Content-Type", "application/xml"))
        headers.append(("Content-Length", str(len(body))))
        return HttpResponse(error.status, headers, body)


def _read_all(body: bytes | IO[bytes]) -> bytes:
    return body if isinstance(body, bytes) else body.read()


# --- S3 -----------------------------------------------------------------------------------

_BUCKET_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789.-")
_RESERVED_PREFIXES = ("xn--", "sthree-", "amzn-s3-demo-")
_RESERVED_SUFFIXES = ("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3")


def valid_bucket_name(name: str) -> bool:
    """The general purpose bucket naming rules (Amazon S3 User Guide, "General purpose
    bucket naming rules"): 3 to 63 lower-case letters, digits, dots and hyphens, starting
    and ending with a letter or digit, no two adjacent dots, not an IP address, none of the
    reserved prefixes and suffixes."""
    if not 3 <= len(name) <= 63 or not _BUCKET_CHARS.issuperset(name):
        return False
    if not (name[0].isalnum() and name[-1].isalnum()) or ".." in name:
        return False
    parts = name.split(".")
    if len(parts) == 4 and all(p.isdigit() for p in parts):
        return False
    return not name.startswith(_RESERVED_PREFIXES) and not name.endswith(_RESERVED_SUFFIXES)


@dataclass(frozen=True, slots=True)
class S3Call:
    """A routed and parsed S3 request."""

    operation: str
    bucket: str | None
    key: str | None
    params: dict[str, Any]
    virtual_host: bool


class S3Protocol:
    """S3 over REST-XML: route (path or virtual-hosted style), parse, serialize.

    The caller owns it (one per app): it holds the compiled routes and parse plans."""

    def __init__(self, service_model: Any, base_hosts: Iterable[str]) -> None:
        self.service_model = service_model
        self.router = S3Router(service_model, base_hosts)
        self.rest_xml = RestXml(service_model, namespace=S3_NAMESPACE)

    def __repr__(self) -> str:
        return f"S3Protocol({self.router!r})"

    def parse(self, request: HttpRequest) -> S3Call:
        """Route and parse a request. Raises only ServiceError subclasses."""
        route = self.router.route(request.method, request.host, request.path, request.query, request.headers)
        operation = self.service_model.operation_model(route.operation)
        params = self.rest_xml.parse(operation, request, route.labels, route.query)
        if route.operation == "CreateBucket" and route.bucket is not None and not valid_bucket_name(route.bucket):
            raise InvalidBucketName(BucketName=route.bucket)
        return S3Call(route.operation, route.bucket, route.key, params, route.virtual_host)

    def serialize(self, operation: str, result: Mapping[str, Any], request_id: str | None = None) -> HttpResponse:
        return self.rest_xml.serialize(self.service_model.operation_model(operation), result, request_id)

    def serialize_error(
        self, error: ServiceError, request_id: str, host_id: str | None = None, head: bool = False
    ) -> HttpResponse:
        return self.rest_xml.serialize_error(error, request_id, host_id, head=head)


__all__ = [
    "S3_NAMESPACE",
    "HttpRequest",
    "HttpResponse",
    "RestXml",
    "S3Call",
    "S3Protocol",
    "valid_bucket_name",
    "decode_path_segment",
    "format_timestamp",
    "parse_timestamp",
    "read_xml",
]

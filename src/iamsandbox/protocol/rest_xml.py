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
schema"); a query or header value of the wrong type is ``InvalidArgument``. A whole
number in the query (max-keys, max-uploads, max-parts, part-number-marker, max-buckets)
that is none, or lies outside a Java int, is "Provided max-keys not an integer or within
integer range" naming it and its value, and an empty one (``max-keys=``) is as if absent:
both recorded from S3 (ListObjectVersions, a public set of recorded S3 answers of 2026;
ListParts' empty part-number-marker and max-parts in LocalStack's
test_s3_list_operations snapshot). A negative one is the operation's to word.

Modules: this one holds the per-operation plans and ``RestXml`` (parse a request,
serialize a response or an error); ``xml_read.py`` reads XML bodies by shape (expat,
DOCTYPEs refused), ``scalars.py`` reads and writes scalar text, ``xml.py`` writes XML
bodies (shared with the query protocol), ``s3.py`` adds S3's routing and naming rules.

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
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import IO, Any

from ..errors import InvalidArgument, MalformedXML, ServiceError
from .http import Body, HttpRequest, HttpResponse
from .s3_routing import Query, parse_query
from .scalars import format_scalar, parse_scalar, quote_header_item, split_header_list
from .xml import Writer, XmlWriters, escape_attr, escape_error_text, namespace_attr
from .xml import escape_text as escape
from .xml_read import element_name, from_xml, members_from_xml, read_xml

XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'


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
    # The header members by member name (responses: a result holds a few of GetObject's
    # 47) and by lower-case wire name (requests: a request carries a few of its 19).
    header_by_name: dict[str, tuple[Any, str, str]]
    header_by_wire: dict[str, tuple[str, Any, str]]


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
        header_by_name={name: (member, wire, wire.lower()) for name, member, wire in headers},
        header_by_wire={wire.lower(): (name, member, wire) for name, member, wire in headers},
    )


# --- the protocol ----------------------------------------------------------------------------


class RestXml:
    """Parse requests and write responses and errors for one REST-XML service model.

    ``namespace`` goes on the root element of every XML body (S3's
    ``http://s3.amazonaws.com/doc/2006-03-01/``); ``wrap_errors`` writes errors inside
    ``<ErrorResponse>`` (the generic REST-XML form) instead of S3's bare ``<Error>``;
    ``whole_seconds`` writes S3's timestamps (``XmlWriters``).
    Plans are compiled per operation on first use and kept here; nothing is global.
    """

    def __init__(
        self, service_model: Any, namespace: str | None = None, wrap_errors: bool = False, whole_seconds: bool = False
    ) -> None:
        self.service_model = service_model
        self.namespace = namespace
        self.wrap_errors = wrap_errors
        self._inputs: dict[str, _Plan] = {}
        self._outputs: dict[str, _Plan] = {}
        self._writers = XmlWriters(milliseconds=True, whole_seconds=whole_seconds)
        self._body_writers: dict[str, Writer] = {}

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
            elif member.type_name in _INTEGERS and wire not in _PART_NUMBER:
                if values[0]:  # an empty one is absent (module docstring)
                    params[name] = _query_integer(member, values[0], wire)
            else:
                params[name] = self._argument(member, values[0], wire, "iso8601")
        if plan.query_map is not None:
            name, member = plan.query_map
            literal = {p.partition("=")[0] for p in operation.http["requestUri"].partition("?")[2].split("&")}
            extra = {k: v for k, v in query.items() if k not in bound and k not in literal}
            if extra:
                params[name] = extra if member.value.type_name == "list" else {k: v[0] for k, v in extra.items()}
        headers = request.headers
        by_wire = plan.header_by_wire
        for lowered, text in headers.items():
            found = by_wire.get(lowered)
            if found is None:
                continue
            name, member, wire = found
            if name in _IGNORED_WHEN_INVALID:
                try:
                    params[name] = self._header(member, text, wire)
                except InvalidArgument:
                    pass  # RFC 7232, section 3.3: an invalid date is ignored
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
                members_from_xml(read_xml(data), plan.body, params)
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
            items = split_header_list(text, member.member)
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
            return from_xml(member, root)
        raise MalformedXML()

    # -- responses --

    def serialize(
        self, operation: Any, result: Mapping[str, Any], request_id: str | None = None, host_id: str | None = None
    ) -> HttpResponse:
        """The HTTP response for an operation's result (a dict of its output shape), with
        S3's x-amz-request-id and x-amz-id-2 ("Common response headers", S3 API Reference)."""
        plan = self._output_plan(operation)
        status = int(operation.http.get("responseCode", 200))
        headers: list[tuple[str, str]] = []
        if request_id is not None:
            headers.append(("x-amz-request-id", request_id))
        if host_id is not None:
            headers.append(("x-amz-id-2", host_id))
        if plan.status is not None and result.get(plan.status) is not None:
            status = int(result[plan.status])
        by_name = plan.header_by_name
        sent: set[str] = set()  # the lower-case names of the header members sent
        for name, value in result.items():
            found = by_name.get(name)
            if found is None or value is None:
                continue
            member, wire, lowered = found
            if lowered == "content-range" and status == 200:
                status = 206  # a partial GET (RFC 7233, section 4.1)
            headers.append((wire, self._header_text(member, value)))
            sent.add(lowered)
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
        if content_type and "content-type" not in sent:
            headers.append(("Content-Type", content_type))
        if isinstance(body, bytes) and "content-length" not in sent:
            headers.append(("Content-Length", str(len(body))))
        return HttpResponse(status, headers, body)

    def _document(self, shape: Any, value: Mapping[str, Any], tag: str, plan: _Plan | None = None) -> bytes:
        out: list[str] = []
        attrs = namespace_attr(shape.serialization)
        if not attrs and self.namespace:
            attrs = f' xmlns="{escape_attr(self.namespace)}"'
        members = plan.body if plan is not None else None
        if members is not None and len(members) == 1 and element_name(*members[0]) == tag:
            # The root element *is* the one member (S3's GetBucketLocation:
            # <LocationConstraint xmlns="...">eu-west-1</LocationConstraint>).
            name, member = members[0]
            text = value.get(name)
            body = "" if text is None else escape(format_scalar(member, text, "iso8601"))
            out.append(f"<{tag}{attrs}>{body}</{tag}>")
        elif members is not None:
            # The body members of an output shape (its header members go elsewhere).
            write = self._body_writers.get(shape.name)
            if write is None:
                write = self._body_writers[shape.name] = self._writers.fields_writer(list(members))
            out.append(f"<{tag}{attrs}>")
            write(value, out)
            out.append(f"</{tag}>")
        else:
            self._writers.writer(shape, tag, attrs)(value, out)
        return XML_DECLARATION + "".join(out).encode("utf-8")

    @staticmethod
    def _header_text(member: Any, value: Any) -> str:
        if member.type_name == "list":
            return ", ".join(
                quote_header_item(format_scalar(member.member, item, "rfc822"))
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
        request gets the status and headers only (S3 "Error responses"), and so does a 304
        Not Modified, with the error's own ``headers`` and no Content-Length (RFC 7232,
        section 4.1; RFC 7230, section 3.3.2: a 304's Content-Length, if any, would be the
        200's). Any error's own ``headers`` go out with it (S3's x-amz-delete-marker on a 404
        or 405: services/s3/common.py)."""
        headers: list[tuple[str, str]] = [("x-amz-request-id", request_id)]
        if host_id is not None:
            headers.append(("x-amz-id-2", host_id))
        headers.extend(getattr(error, "headers", ()))
        if error.status == 304:
            return HttpResponse(304, headers, b"")
        if head:
            # Typed as the body it leaves out (recorded from S3 for a HEAD's 404 and 405: a
            # public report of GetObject/HeadObject requests sent to s3.amazonaws.com in 2026).
            headers.extend((("Content-Type", "application/xml"), ("Content-Length", "0")))
            return HttpResponse(error.status, headers, b"")
        parts = [f"<Code>{escape(error.code)}</Code>", f"<Message>{escape_error_text(error.message)}</Message>"]
        for name, value in error.fields.items():
            if value is not None:
                parts.append(f"<{name}>{escape_error_text(str(value))}</{name}>")
        if resource is not None:
            parts.append(f"<Resource>{escape_error_text(resource)}</Resource>")
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


_INTEGERS = {"integer": 2**31, "long": 2**63}  # the bound of each, as Java's int and long
_WHOLE = re.compile(r"[+-]?[0-9]{1,20}")
_PART_NUMBER = frozenset({"partNumber"})  # worded by the handlers (services/s3/objects.py)


def _query_integer(member: Any, text: str, wire: str) -> int:
    """A whole number in the query (module docstring)."""
    bound = _INTEGERS[member.type_name]
    value = int(text) if _WHOLE.fullmatch(text) else bound  # (Java's parseInt: no spaces, no "_")
    if not -bound <= value < bound:
        raise InvalidArgument(
            f"Provided {wire} not an integer or within integer range", ArgumentName=wire, ArgumentValue=text
        )
    return value


# The conditional-request dates: "A recipient MUST ignore the If-Modified-Since header
# field if the received field-value is not a valid HTTP-date" (RFC 7232, section 3.3; so
# for If-Unmodified-Since, 3.4); S3 answers as if the header were absent.
_IGNORED_WHEN_INVALID = frozenset(
    {"IfModifiedSince", "IfUnmodifiedSince", "CopySourceIfModifiedSince", "CopySourceIfUnmodifiedSince"}
)


def _read_all(body: bytes | IO[bytes]) -> bytes:
    return body if isinstance(body, bytes) else body.read()

"""The AWS query protocol (IAM, STS): form-encoded requests in, XML out.

AWS pages: "Making query requests" (IAM User Guide), "Common parameters" and "Common
errors" (IAM and STS API references), and the Smithy ``awsQuery`` protocol specification.

``QueryProtocol`` holds one service's model and, per operation, a plan compiled once from
its shapes: how to read the form fields into botocore-shaped parameters (structures as
dicts, lists as lists from ``Name.member.N`` or flattened ``Name.N``, maps from
``Name.entry.N.key`` / ``.value``, timestamps as datetimes, integers, booleans, blobs
base64-decoded), the constraint checks (``validate.py``), and the XML writer of its result
(``xml.py``). The application owns one ``QueryProtocol`` per service; nothing is global.

What AWS does, and so this module (observed answers of STS, cited in the tests):

- the first of repeated fields wins; unknown fields are ignored;
- no ``Version`` reads as ``NO_VERSION_SPECIFIED``; a version or action the service does
  not have is ``InvalidAction``: "Could not find operation X for version Y";
- an integer that is not one (``abc``, ``900.0``, beyond 32 bits) is ``MalformedInput``;
  ``+900`` and ``0900`` are 900;
- every constraint violation is listed in one ``ValidationError`` (``validate.py``).

Errors out of ``parse``: ``MissingAction``, ``InvalidAction``, ``NotImplemented`` (an
operation of the model the caller did not implement), ``MalformedQueryString`` (bytes that
are not UTF-8, bad percent escapes), ``MalformedInput``, ``ValidationError``; nothing else.

Known gaps: the messages of ``MalformedQueryString`` and of ``MalformedInput`` other than
the empty-integer one are not AWS's confirmed words.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from botocore.model import OperationModel, ServiceModel, Shape

from .. import errors
from ..errors import (
    InvalidAction,
    MalformedInput,
    MalformedQueryString,
    MissingAction,
    ServiceError,
)
from .model import ServiceModels
from .percent import percent_decode
from .timestamps import parse_timestamp
from .validate import MessageStyle, Validators
from .xml import Writer, XmlWriters, escape_error_text, escape_text

CONTENT_TYPE = "text/xml"

# A parsed form field: [value or None, child fields by the next dotted segment or None].
Node = list[Any]
# Reads a node as a shape's value, or returns MISSING.
Reader = Callable[[Node], Any]


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()

_INTEGER = re.compile(r"[+-]?[0-9]+")
_INTEGER_BOUNDS = {"byte": 2**7, "short": 2**15, "integer": 2**31, "long": 2**63}


# IAM's own words for a name or path that breaks its pattern, answered alone (not in the
# model's "1 validation error detected: ..." list), as recorded from IAM:
# - userName: "The specified value for userName is invalid. It must contain only alphanumeric
#   characters and/or the following: +=,.@_-" (AttachUserPolicy, app-sre/qontract-reconcile#2640;
#   GetUser, hashicorp/terraform#16187); roleName likewise (kubecost/docs#36);
# - path: "The specified value for path is invalid. It must begin and end with / and contain
#   only alphanumeric characters and/or / characters." (CreateRole's Path "test/",
#   aws-cloudformation/cfn-lint#722, serverless/serverless#3802);
# - pathPrefix: "The specified value for pathPrefix is invalid. It must begin with the /
#   character and contain only alphanumeric characters and/or / characters." (ListPolicies
#   --path-prefix '/foo', aws/aws-cli#5860, which AWS's staff call IAM's server-side message).
# groupName, policyName and the other names keep the model's wording (unrecorded).
_IAM_NAME = "It must contain only alphanumeric characters and/or the following: +=,.@_-"
IAM_PATTERN_MESSAGES = (
    ("userName", f"The specified value for userName is invalid. {_IAM_NAME}"),
    ("roleName", f"The specified value for roleName is invalid. {_IAM_NAME}"),
    (
        "path",
        "The specified value for path is invalid. It must begin and end with / and contain only alphanumeric "
        "characters and/or / characters.",
    ),
    (
        "pathPrefix",
        "The specified value for pathPrefix is invalid. It must begin with the / character and contain only "
        "alphanumeric characters and/or / characters.",
    ),
)


def style_for(service: str) -> MessageStyle:
    """How the service words validation errors. IAM leaves the value out and does not list
    an enum's values ("Value at 'status' failed to satisfy constraint: Member must satisfy
    enum value set", recorded from AWS in localstack's IAM snapshots), and words some
    pattern violations its own way (``IAM_PATTERN_MESSAGES``); STS quotes the value
    ("Value 'Session1:2' at 'roleSessionName' ...", recorded in localstack's STS snapshots)."""
    if service == "iam":
        return MessageStyle(
            show_values=False,
            list_enum_values=False,
            pattern_messages=IAM_PATTERN_MESSAGES,
            # Recorded for UntagPolicy's tagKeys (LocalStack's tests/aws/services/iam/
            # test_iam_policies.snapshot.json, February 2026).
            not_null_members=frozenset({"tagKeyType"}),
        )
    return MessageStyle()


class ParsedRequest(NamedTuple):
    operation: str
    params: dict[str, Any]


@dataclass(frozen=True, slots=True)
class OperationPlan:
    """One operation, compiled: read, check, write."""

    name: str
    read: Reader
    check: Callable[[dict[str, Any]], None]
    write_result: Writer | None
    result_wrapper: str


def parse_form(body: bytes | str) -> dict[str, str]:
    """``application/x-www-form-urlencoded`` fields (a POST body or a query string),
    decoded; the first of repeated fields wins, as AWS's does."""
    if isinstance(body, bytes | bytearray):
        try:
            text = bytes(body).decode("utf-8")
        except UnicodeDecodeError:
            raise MalformedQueryString("The query string contains a syntax error.") from None
    else:
        text = body
    if "+" in text:
        text = text.replace("+", " ")
    if "%" in text:
        # One decode for the whole body. When no escaped "&" or "=" came out of it, the
        # decoded text splits exactly as the raw one would; otherwise one decode per piece.
        decoded = _decode(text)
        if decoded.count("&") != text.count("&") or decoded.count("=") != text.count("="):
            fields: dict[str, str] = {}
            for part in text.split("&"):
                if part:
                    key, _, value = part.partition("=")
                    fields.setdefault(_decode(key), _decode(value))
            return fields
        text = decoded
    pairs = [part.partition("=") for part in text.split("&") if part]
    fields = {key: value for key, _, value in pairs}
    if len(fields) != len(pairs):  # a repeated field: the first wins
        fields = {}
        for key, _, value in pairs:
            fields.setdefault(key, value)
    return fields


def _decode(text: str) -> str:
    """Percent-decode ``text``; MalformedQueryString for a bad escape or bytes that are
    not UTF-8."""
    try:
        return percent_decode(text, strict_escapes=True)
    except ValueError:  # BadEscape and UnicodeDecodeError
        raise MalformedQueryString("The query string contains a syntax error.") from None


def field_tree(fields: Mapping[str, str]) -> Node:
    """The fields as a tree on their dotted names: ``Tags.member.1.Key`` ->
    root[Tags][member][1][Key]."""
    root: dict[str, Node] = {}
    for key, value in fields.items():
        if "." not in key:
            node = root.get(key)
            if node is None:
                root[key] = [value, None]
            else:
                node[0] = value
            continue
        children = root
        parts = key.split(".")
        for part in parts[:-1]:
            node = children.get(part)
            if node is None:
                node = [None, {}]
                children[part] = node
            elif node[1] is None:
                node[1] = {}
            children = node[1]
        last = parts[-1]
        node = children.get(last)
        if node is None:
            children[last] = [value, None]
        else:
            node[0] = value
    return [None, root]


class QueryProtocol:
    """Parses requests to, and serializes responses of, one query-protocol service."""

    def __init__(
        self,
        service_model: ServiceModel,
        *,
        implemented: Collection[str] | None = None,
        style: MessageStyle | None = None,
        seconds_when_read: bool = False,
        keeps_milliseconds: Collection[str] = (),
    ) -> None:
        """``implemented``: the operations the server has; others of the model answer
        ``NotImplemented``. None means all of them (tests). ``seconds_when_read``: IAM's
        form of timestamps, milliseconds in the answer of the operation that creates the
        entity (``Create*``) and whole seconds whenever it is read back afterwards: the AWS
        CLI Command Reference's IAM examples, e.g. create-user's "CreateDate":
        "2023-06-08T03:20:41.270Z" against get-user's and list-users'
        "2019-09-21T23:03:13Z" (likewise create-/list-access-keys, create-/get-login-profile,
        create-policy-version/list-policy-versions, create-policy/get-policy).
        ``keeps_milliseconds``: other operations whose answers keep them, as the service
        says (IAM's report jobs: ``services.iam.access_advisor.JOB_ANSWERS``)."""
        self.model = service_model
        self.version: str = service_model.metadata.get("apiVersion", "")
        self.namespace: str = service_model.metadata.get("xmlNamespace", "")
        self._operations = frozenset(service_model.operation_names)
        self._implemented = self._operations if implemented is None else frozenset(implemented)
        self._validators = Validators(style or style_for(service_model.service_name))
        self._writers = XmlWriters()
        self._read_back_writers = XmlWriters(seconds=True) if seconds_when_read else self._writers
        self._keeps_milliseconds = frozenset(keeps_milliseconds)
        self._readers: dict[str, Reader] = {}
        self._plans: dict[str, OperationPlan] = {}

    @classmethod
    def for_service(
        cls,
        models: ServiceModels,
        service: str,
        implemented: Collection[str] | None = None,
        keeps_milliseconds: Collection[str] = (),
    ) -> QueryProtocol:
        model = models.service(service)
        return cls(
            model,
            implemented=implemented,
            style=style_for(service),
            seconds_when_read=service == "iam",
            keeps_milliseconds=keeps_milliseconds,
        )

    # -- requests ---------------------------------------------------------------------

    def parse(self, body: bytes | str) -> ParsedRequest:
        """A request body (or query string) -> the operation and its validated params."""
        return self.parse_fields(parse_form(body))

    def parse_fields(self, fields: Mapping[str, str]) -> ParsedRequest:
        action = fields.get("Action")
        if action is None:
            raise MissingAction("The request is missing an action or a required parameter.")
        version = fields.get("Version", "NO_VERSION_SPECIFIED")
        if version != self.version or action not in self._operations:
            raise InvalidAction(f"Could not find operation {action} for version {version}")
        if action not in self._implemented:
            raise errors.NotImplemented(f"The operation {action} is not implemented by iamsandbox.")
        plan = self.plan(action)
        params = plan.read(field_tree(fields))
        if params is MISSING:
            params = {}
        plan.check(params)
        return ParsedRequest(action, params)

    def plan(self, operation: str) -> OperationPlan:
        found = self._plans.get(operation)
        if found is None:
            found = self._compile(self.model.operation_model(operation))
            self._plans[operation] = found
        return found

    def prepare(self) -> None:
        """Compile every operation now (a server does it at start)."""
        for name in self._operations:
            self.plan(name)

    def _compile(self, operation: OperationModel) -> OperationPlan:
        input_shape = operation.input_shape
        output_shape = operation.output_shape
        read: Reader = self.reader(input_shape) if input_shape is not None else _empty
        check = self._validators.validator(input_shape)
        keeps = operation.name.startswith("Create") or operation.name in self._keeps_milliseconds
        writers = self._writers if keeps else self._read_back_writers
        write_result = writers.content_writer(output_shape) if output_shape is not None else None
        wrapper = f"{operation.name}Result"
        if output_shape is not None:
            wrapper = output_shape.serialization.get("resultWrapper") or wrapper
        return OperationPlan(operation.name, read, check, write_result, wrapper)

    def reader(self, shape: Shape) -> Reader:
        key = shape.name + repr(sorted(shape.serialization.items()))
        found = self._readers.get(key)
        if found is not None:
            return found
        compiled: list[Reader] = []

        def trampoline(node: Node) -> Any:
            return compiled[0](node)

        self._readers[key] = trampoline
        made = self._compile_reader(shape)
        compiled.append(made)
        self._readers[key] = made
        return made

    def _compile_reader(self, shape: Shape) -> Reader:
        kind = shape.type_name
        if kind == "structure":
            return self._structure_reader(shape)
        if kind == "list":
            return self._list_reader(shape)
        if kind == "map":
            return self._map_reader(shape)
        return _scalar_reader(shape)

    def _structure_reader(self, shape: Shape) -> Reader:
        members: list[tuple[str, str, str | None, Reader]] = []
        for name, member in shape.members.items():
            key = member.serialization.get("name") or name
            alternative = None
            # botocore names a flattened list's elements after the list member's
            # locationName (``Item.1``), but writes an empty one under the member's name.
            if member.type_name == "list" and member.serialization.get("flattened"):
                renamed = member.member.serialization.get("name")
                if renamed:
                    key, alternative = renamed, key
            members.append((name, key, alternative, self.reader(member)))

        def read_structure(node: Node) -> Any:
            children = node[1]
            if children is None:
                return MISSING
            out: dict[str, Any] = {}
            for name, key, alternative, read in members:
                child = children.get(key)
                if child is None and alternative is not None:
                    child = children.get(alternative)
                if child is None:
                    continue
                value = read(child)
                if value is not MISSING:
                    out[name] = value
            return out

        return read_structure

    def _list_reader(self, shape: Shape) -> Reader:
        read_item = self.reader(shape.member)
        flattened = bool(shape.serialization.get("flattened"))
        item_name = shape.member.serialization.get("name") or "member"

        def read_list(node: Node) -> Any:
            value, children = node
            if not flattened and children is not None:
                items = children.get(item_name)
                children = items[1] if items is not None else None
            if children is None:
                return [] if value == "" else MISSING
            out = []
            for _, child in _numbered(children):
                item = read_item(child)
                if item is not MISSING:
                    out.append(item)
            return out

        return read_list

    def _map_reader(self, shape: Shape) -> Reader:
        read_key = self.reader(shape.key)
        read_value = self.reader(shape.value)
        key_name = shape.key.serialization.get("name") or "key"
        value_name = shape.value.serialization.get("name") or "value"
        flattened = bool(shape.serialization.get("flattened"))

        def read_map(node: Node) -> Any:
            value, children = node
            if not flattened and children is not None:
                entries = children.get("entry")
                children = entries[1] if entries is not None else None
            if children is None:
                return {} if value == "" else MISSING
            out: dict[Any, Any] = {}
            for _, entry in _numbered(children):
                parts = entry[1]
                if parts is None or key_name not in parts:
                    continue
                key = read_key(parts[key_name])
                if key is MISSING:
                    continue
                item = read_value(parts[value_name]) if value_name in parts else MISSING
                out[key] = None if item is MISSING else item
            return out

        return read_map

    # -- responses --------------------------------------------------------------------

    def serialize(self, operation: str, result: Mapping[str, Any] | None, request_id: str) -> bytes:
        """The XML of a successful response: ``<{Op}Response xmlns=...><{Op}Result>...
        </{Op}Result><ResponseMetadata><RequestId>..`` (no Result when the operation has
        no output)."""
        plan = self.plan(operation)
        out = [f'<{operation}Response xmlns="{self.namespace}">']
        if plan.write_result is not None:
            out.append(f"<{plan.result_wrapper}>")
            if result:
                plan.write_result(result, out)
            out.append(f"</{plan.result_wrapper}>")
        out.append(
            f"<ResponseMetadata><RequestId>{escape_text(request_id)}</RequestId></ResponseMetadata>"
            f"</{operation}Response>"
        )
        return "".join(out).encode("utf-8")

    def serialize_error(self, error: ServiceError, request_id: str) -> tuple[int, bytes]:
        """The HTTP status and XML of an error: ``<ErrorResponse><Error><Type>Sender|
        Receiver</Type><Code>..</Code><Message>..</Message></Error><RequestId>..``."""
        kind = "Sender" if error.sender_fault else "Receiver"
        message = f"<Message>{escape_error_text(error.message)}</Message>" if error.message_sent else ""
        body = (
            f'<ErrorResponse xmlns="{self.namespace}"><Error><Type>{kind}</Type>'
            f"<Code>{escape_text(error.code)}</Code>{message}</Error>"
            f"<RequestId>{escape_text(request_id)}</RequestId></ErrorResponse>"
        )
        return error.status, body.encode("utf-8")


def _empty(node: Node) -> Any:
    return {}


def _numbered(children: dict[str, Node]) -> list[tuple[int, Node]]:
    """The children named 1, 2, ... in numeric order (others are ignored)."""
    found = [(int(key), child) for key, child in children.items() if key.isascii() and key.isdigit()]
    found.sort(key=lambda pair: pair[0])
    return found


def _scalar_reader(shape: Shape) -> Reader:
    kind = shape.type_name
    if kind in _INTEGER_BOUNDS:
        bound = _INTEGER_BOUNDS[kind]

        def read_integer(node: Node) -> Any:
            text = node[0]
            if text is None:
                return MISSING
            if text == "":
                raise MalformedInput("missing value for decimal type")
            # More than 20 significant digits is out of any bound (and past 4,300 Python
            # refuses to convert them).
            if not _INTEGER.fullmatch(text) or len(text.lstrip("+-").lstrip("0")) > 20:
                raise MalformedInput(f"Invalid value for decimal type: {text}")
            number = int(text)
            if not -bound <= number < bound:
                raise MalformedInput(f"Invalid value for decimal type: {text}")
            return number

        return read_integer
    if kind == "boolean":

        def read_boolean(node: Node) -> Any:
            text = node[0]
            if text is None:
                return MISSING
            lowered = text.lower()
            if lowered == "true":
                return True
            if lowered == "false":
                return False
            raise MalformedInput(f"Invalid value for boolean type: {text}")

        return read_boolean
    if kind in ("float", "double"):

        def read_float(node: Node) -> Any:
            text = node[0]
            if text is None:
                return MISSING
            try:
                return float(text)
            except ValueError:
                raise MalformedInput(f"Invalid value for decimal type: {text}") from None

        return read_float
    if kind == "timestamp":
        timestamp_format = shape.serialization.get("timestampFormat")

        def read_timestamp(node: Node) -> Any:
            text = node[0]
            if text is None:
                return MISSING
            try:
                return parse_timestamp(text, timestamp_format)
            except ValueError:
                raise MalformedInput(f"Invalid value for timestamp type: {text}") from None

        return read_timestamp
    if kind == "blob":

        def read_blob(node: Node) -> Any:
            text = node[0]
            if text is None:
                return MISSING
            try:
                return base64.b64decode(text, validate=True)
            except (binascii.Error, ValueError):
                raise MalformedInput(f"Invalid value for blob type: {text}") from None

        return read_blob

    def read_string(node: Node) -> Any:
        text = node[0]
        return MISSING if text is None else text

    return read_string

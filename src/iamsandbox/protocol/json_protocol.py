"""The AWS JSON 1.1 protocol (AWS Organizations): a JSON body in, JSON out.

AWS pages: the Smithy ``awsJson1_1`` protocol specification, and the API references of the
services that speak it ("Common Errors"). What a request and an answer look like:

- ``POST /`` with ``Content-Type: application/x-amz-json-1.1`` and
  ``X-Amz-Target: <targetPrefix>.<Operation>`` (``AWSOrganizationsV20161128.ListAccounts``);
  the body is the input structure as JSON (members by their model names; timestamps as epoch
  seconds; blobs base64). An empty body is the empty structure.
- The answer is the output structure as JSON (200), and an error is
  ``{"__type": "<code>", "Message": "..."}`` with the error's extra members and its HTTP
  status; both carry ``x-amzn-RequestId``.

``JsonProtocol`` holds one service's model and, per operation, a reader and a writer compiled
once from its shapes, and the model's constraint checks (``validate.py``). A value of the
wrong JSON type (a number where a string belongs) is ``SerializationException``, as JSON
services answer it; a target that names no operation of the service is
``UnknownOperationException``; an operation of the model the server does not implement is
``NotImplemented``.

Constraint violations are worded by the service: Organizations answers
``InvalidInputException`` with a ``Reason`` ("You provided a value that does not match the
required pattern.", Reason ``INVALID_PATTERN``, as AWS answered DescribeAccount in
aws-ia/terraform-aws-control_tower_account_factory#287 and ListPoliciesForTarget in
boto/boto3#4565); the reasons and their sentences are InvalidInputException's list in the
Organizations API reference.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Collection, Mapping
from datetime import UTC, datetime
from typing import Any, NamedTuple

from botocore.model import ServiceModel, Shape

from .. import errors
from ..errors import ServiceError, ValidationError
from .model import ServiceModels
from .timestamps import as_utc, parse_timestamp
from .validate import MessageStyle, Validators

CONTENT_TYPE = "application/x-amz-json-1.1"

Reader = Callable[[Any, str], Any]
Writer = Callable[[Any], Any]


class SerializationException(ServiceError):
    """A body that is not JSON, or a member of the wrong JSON type."""

    code = "SerializationException"


class UnknownOperationException(ServiceError):
    """An X-Amz-Target that names no operation of the service."""

    code = "UnknownOperationException"


class InvalidInputException(ServiceError):
    """Organizations' answer to a value its model's constraints refuse (with a Reason)."""

    code = "InvalidInputException"


class ParsedRequest(NamedTuple):
    operation: str
    params: dict[str, Any]


# InvalidInputException's reasons (AWS Organizations API reference), by the first words of
# the model constraint a value broke (``validate.py``'s sentences).
_REASONS = (
    ("Member must satisfy regular expression pattern", "INVALID_PATTERN",
     "You provided a value that does not match the required pattern."),
    ("Member must have length less than or equal", "MAX_LENGTH_EXCEEDED",
     "You provided a string parameter that is longer than allowed."),
    ("Member must have length greater than or equal", "MIN_LENGTH_EXCEEDED",
     "You provided a string parameter that is shorter than allowed."),
    ("Member must satisfy enum value set", "INVALID_ENUM", "You specified an invalid value."),
    ("Member must not be null", "INPUT_REQUIRED", "You must include a value for all required parameters."),
    ("Member must have value less than or equal", "MAX_VALUE_EXCEEDED",
     "You provided a numeric parameter that has a larger value than allowed."),
    ("Member must have value greater than or equal", "MIN_VALUE_EXCEEDED",
     "You provided a numeric parameter that has a smaller value than allowed."),
)  # fmt: skip


def organizations_input_error(error: ValidationError) -> ServiceError:
    """A model violation in Organizations' words: the first violation's reason."""
    first = error.message.split("; ")[0]
    for words, reason, message in _REASONS:
        if words in first:
            return InvalidInputException(message).with_fields({"Reason": reason})
    return InvalidInputException("You provided a value that is not valid.").with_fields({"Reason": "INVALID_INPUT"})


class ValidationException(ServiceError):
    """The JSON services' code for a model violation, with the query services' message
    ("1 validation error detected: Value ... at 'maxResults' failed to satisfy constraint: ...")."""

    code = "ValidationException"


def validation_exception(error: ValidationError) -> ServiceError:
    return ValidationException(error.message)


# Members whose constraints the operation's handler checks itself, in the service's words:
# LookupEvents' MaxResults out of 1..50 is InvalidMaxResultsException ("This exception is
# thrown if the limit specified is not valid", CloudTrail API Reference), not the model's
# ValidationException.
_HANDLER_CHECKED: dict[str, dict[str, frozenset[str]]] = {"cloudtrail": {"LookupEvents": frozenset({"MaxResults"})}}


# How each JSON service words a model violation (the others: ValidationException).
_INPUT_ERRORS: dict[str, Callable[[ValidationError], ServiceError]] = {"organizations": organizations_input_error}


# The authentication and common errors as JSON services name them: a key or token that is not
# known is UnrecognizedClientException ("The security token included in the request is
# invalid.", 400: AWS's answers recorded in aws/aws-sdk-php#2444, boto/botocore#1775), a
# signature that does not match InvalidSignatureException, and so on; the query services'
# codes (``errors.py``) are kept for the rest. Organizations words every refusal "You don't
# have permissions to access this resource." (AccessDeniedException, as recorded in
# aws-samples/aws-iam-access-key-auto-rotation#10 and awslabs/aws-innovation-sandbox#6; that
# an identity-based policy's denial reads the same is unconfirmed).
_JSON_CODES = {
    "InvalidClientTokenId": ("UnrecognizedClientException", 400),
    "SignatureDoesNotMatch": ("InvalidSignatureException", 400),
    "IncompleteSignature": ("IncompleteSignatureException", 400),
    "ExpiredToken": ("ExpiredTokenException", 400),
    "MissingAuthenticationToken": ("MissingAuthenticationTokenException", 403),
    "AccessDenied": ("AccessDeniedException", 400),
}
_DENIED = {"organizations": "You don't have permissions to access this resource."}
# A failure of the server itself: Organizations' ServiceException (botocore's model: "AWS
# Organizations can't complete your request because of an internal service error").
_INTERNAL = {"organizations": ("ServiceException", 500)}


class _Renamed(ServiceError):
    """An error under the JSON services' code for it."""


def json_error(service: str, error: ServiceError) -> ServiceError:
    """``error`` as the JSON service ``service`` answers it."""
    code, status, message = error.code, error.status, error.message
    if code in _JSON_CODES:
        code, status = _JSON_CODES[code]
        if code == "AccessDeniedException":
            message = _DENIED.get(service, message)
    elif code in ("InternalError", "ServiceFailure") and service in _INTERNAL:
        code, status = _INTERNAL[service]
    else:
        return error
    renamed = _Renamed(message).with_fields(error.fields)
    renamed.code, renamed.status = code, status
    return renamed


class _Plan(NamedTuple):
    read: Reader
    check: Callable[[dict[str, Any]], None]
    write: Writer | None


class JsonProtocol:
    """Parses requests to, and serializes answers of, one JSON 1.1 service."""

    def __init__(self, service_model: ServiceModel, *, implemented: Collection[str] | None = None) -> None:
        self.model = service_model
        self.service = service_model.service_name
        self.target_prefix: str = service_model.metadata.get("targetPrefix", "")
        self._operations = frozenset(service_model.operation_names)
        self._implemented = self._operations if implemented is None else frozenset(implemented)
        self._validators = Validators(MessageStyle())
        self._input_error = _INPUT_ERRORS.get(self.service, validation_exception)
        self._handler_checked = _HANDLER_CHECKED.get(self.service, {})
        self._readers: dict[str, Reader] = {}
        self._writers: dict[str, Writer] = {}
        self._plans: dict[str, _Plan] = {}

    @classmethod
    def for_service(
        cls, models: ServiceModels, service: str, implemented: Collection[str] | None = None
    ) -> JsonProtocol:
        return cls(models.service(service), implemented=implemented)

    # -- requests ---------------------------------------------------------------------

    def parse(self, target: str | None, body: bytes) -> ParsedRequest:
        """The X-Amz-Target header and the body -> the operation and its validated params."""
        prefix, _, operation = (target or "").rpartition(".")
        if prefix != self.target_prefix or operation not in self._operations:
            raise UnknownOperationException(f"Unknown operation {target or ''}".rstrip())
        if operation not in self._implemented:
            raise errors.NotImplemented(f"The operation {operation} is not implemented by iamsandbox.")
        try:
            # Decoded strictly first: ``json.loads`` of bytes lets the UTF-8 form of a lone
            # surrogate through ("surrogatepass"), which the store then cannot encode.
            text = body.decode("utf-8")
            document = json.loads(text) if text.strip() else {}
            if "\\u" in text:  # then only an escape can make a lone surrogate
                _no_lone_surrogates(document)
        except (ValueError, UnicodeDecodeError, RecursionError):
            # RecursionError: nesting deeper than the parser's stack (thousands of "[").
            raise SerializationException("The request body is not valid JSON.") from None
        params = self.plan(operation).read(document, "")
        self.check(operation, params)
        return ParsedRequest(operation, params)

    def check(self, operation: str, params: dict[str, Any]) -> None:
        """The model's constraints on ``params``, refused in the service's words."""
        skipped = self._handler_checked.get(operation)
        checked = {key: value for key, value in params.items() if key not in skipped} if skipped else params
        try:
            self.plan(operation).check(checked)
        except ValidationError as error:
            raise self._input_error(error) from None

    def plan(self, operation: str) -> _Plan:
        found = self._plans.get(operation)
        if found is None:
            model = self.model.operation_model(operation)
            found = _Plan(
                self._reader(model.input_shape) if model.input_shape is not None else _empty_input,
                self._validators.validator(model.input_shape),
                self._writer(model.output_shape) if model.output_shape is not None else None,
            )
            self._plans[operation] = found
        return found

    def _reader(self, shape: Shape) -> Reader:
        key = shape.name
        found = self._readers.get(key)
        if found is None:
            compiled: list[Reader] = []
            self._readers[key] = lambda value, path: compiled[0](value, path)  # recursive shapes
            compiled.append(self._compile_reader(shape))
            found = self._readers[key] = compiled[0]
        return found

    def _compile_reader(self, shape: Shape) -> Reader:
        kind = shape.type_name
        if kind == "structure":
            members = {name: self._reader(member) for name, member in shape.members.items()}

            def read_structure(value: Any, path: str) -> Any:
                if not isinstance(value, dict):
                    raise _wrong_type(path, "a structure")
                return {
                    name: read(value[name], f"{path}.{name}" if path else name)
                    for name, read in members.items()
                    if value.get(name) is not None
                }

            return read_structure
        if kind == "list":
            read_member = self._reader(shape.member)

            def read_list(value: Any, path: str) -> Any:
                if not isinstance(value, list):
                    raise _wrong_type(path, "a list")
                return [read_member(item, f"{path}[{i}]") for i, item in enumerate(value)]

            return read_list
        if kind == "map":
            read_value = self._reader(shape.value)

            def read_map(value: Any, path: str) -> Any:
                if not isinstance(value, dict):
                    raise _wrong_type(path, "a map")
                return {str(key): read_value(item, f"{path}.{key}") for key, item in value.items()}

            return read_map
        return _SCALAR_READERS.get(kind, _read_string)

    # -- answers ----------------------------------------------------------------------

    def _writer(self, shape: Shape) -> Writer:
        key = shape.name
        found = self._writers.get(key)
        if found is None:
            compiled: list[Writer] = []
            self._writers[key] = lambda value: compiled[0](value)
            compiled.append(self._compile_writer(shape))
            found = self._writers[key] = compiled[0]
        return found

    def _compile_writer(self, shape: Shape) -> Writer:
        kind = shape.type_name
        if kind == "structure":
            members = {name: self._writer(member) for name, member in shape.members.items()}

            def write_structure(value: Any) -> Any:
                return {name: write(value[name]) for name, write in members.items() if value.get(name) is not None}

            return write_structure
        if kind == "list":
            write_member = self._writer(shape.member)
            return lambda value: [write_member(item) for item in value]
        if kind == "map":
            write_value = self._writer(shape.value)
            return lambda value: {str(key): write_value(item) for key, item in value.items()}
        if kind == "timestamp":
            return _write_timestamp
        if kind == "blob":
            return lambda value: base64.b64encode(value).decode("ascii")
        return _same

    def serialize(self, operation: str, result: Mapping[str, Any] | None) -> bytes:
        """The JSON of a successful answer (``{}`` for an operation without output)."""
        write = self.plan(operation).write
        document = write(result or {}) if write is not None else {}
        return json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode("utf-8")

    def serialize_error(self, error: ServiceError) -> tuple[int, bytes]:
        """The HTTP status and JSON of an error: ``{"__type": code, "Message": ...}``."""
        document: dict[str, str] = {"__type": error.code, "Message": error.message}
        document.update(error.fields)
        return error.status, json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _empty_input(_value: Any, _path: str) -> Any:
    return {}


def _wrong_type(path: str, expected: str) -> SerializationException:
    return SerializationException(f"The value of {path or 'the request body'} is not {expected}.")


def _read_string(value: Any, path: str) -> Any:
    if not isinstance(value, str):
        raise _wrong_type(path, "a string")
    return value


def _read_integer(value: Any, path: str) -> Any:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _wrong_type(path, "an integer")
    return value


def _read_float(value: Any, path: str) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _wrong_type(path, "a number")
    return float(value)


def _read_boolean(value: Any, path: str) -> Any:
    if not isinstance(value, bool):
        raise _wrong_type(path, "a boolean")
    return value


def _read_timestamp(value: Any, path: str) -> Any:
    """Epoch seconds (the protocol's default), or a text in ISO 8601 (``timestamps``)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(value, UTC)
        except (OverflowError, OSError, ValueError):
            raise _wrong_type(path, "a timestamp") from None
    if isinstance(value, str):
        try:
            return parse_timestamp(value)
        except ValueError:
            raise _wrong_type(path, "a timestamp") from None
    raise _wrong_type(path, "a timestamp")


def _read_blob(value: Any, path: str) -> Any:
    if not isinstance(value, str):
        raise _wrong_type(path, "base64 text")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise _wrong_type(path, "base64 text") from None


_SCALAR_READERS: dict[str, Reader] = {
    "string": _read_string,
    "integer": _read_integer,
    "long": _read_integer,
    "short": _read_integer,
    "byte": _read_integer,
    "float": _read_float,
    "double": _read_float,
    "boolean": _read_boolean,
    "timestamp": _read_timestamp,
    "blob": _read_blob,
}


def _write_timestamp(value: datetime) -> float:
    """Epoch seconds, with milliseconds (botocore reads a number as epoch seconds); a naive
    datetime is UTC, as everywhere in the protocols (``timestamps.as_utc``)."""
    moment = as_utc(value)
    return round((moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)).timestamp(), 3)


def _same(value: Any) -> Any:
    return value


def _no_lone_surrogates(value: Any) -> None:
    """ValueError when a string of ``value`` holds half of a UTF-16 surrogate pair (JSON's
    "\\ud800" escape alone): no Unicode text, and the store could not keep it."""
    if isinstance(value, str):
        value.encode("utf-8")  # UnicodeEncodeError, a ValueError, for a lone surrogate
    elif isinstance(value, dict):
        for key, item in value.items():
            _no_lone_surrogates(key)
            _no_lone_surrogates(item)
    elif isinstance(value, list):
        for item in value:
            _no_lone_surrogates(item)

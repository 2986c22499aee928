"""Constraint checks on parsed request parameters, worded as AWS words them.

AWS validates a request against its model before the operation runs, and answers every
violated constraint in one ``ValidationError``::

    2 validation errors detected: Value '' at 'roleArn' failed to satisfy constraint:
    Member must satisfy regular expression pattern: [\\u0009...]+; Value '' at 'roleArn'
    failed to satisfy constraint: Member must have length greater than or equal to 20

The rules, from AWS's answers (``tests/protocol/test_query_validation.py`` cites each):

- paths in the order of a Java HashMap keyed by them (``_in_aws_order``), a path's own
  violations in the order below; the path is the member name with its first letter lowered
  (``roleSessionName``), nested as ``tags.1.member.key`` (list index from 1, then
  ``member``, as ``rules.4.member.statement`` in AWS's answers);
- per value: pattern first, then length (``min``, ``max``), then enum, then range
  (``Member must have value greater than or equal to 900``); a missing required member is
  ``Value null at 'roleArn' failed to satisfy constraint: Member must not be null``;
- a string's length counts code points (AWS accepts 2,048 emoji in a 2,048-long RoleArn),
  a blob's bytes, a list's or map's entries;
- patterns are Java regular expressions matched against the whole value (``\\w`` is ASCII;
  ``\\u10000`` is ``\\u1000`` followed by ``0``, as in Java; ``\\p{L}``, ``\\p{N}``,
  ``\\p{Z}`` are translated for Python's ``re``);
- a list of strings reports its elements' violations once, at the list:
  ``Member must satisfy constraint: [Member must have length ..., ...]``, naming every
  constraint of the element (at most, at least, pattern, enum), violated or not (recorded
  from IAM, ``_every_constraint``); a map's values as ``Map value must satisfy constraint:
  [...]`` (and keys as ``Map keys ...``), naming the violated ones (unconfirmed).

Services differ in one respect, so the wording is a ``MessageStyle``: STS quotes the value
(``Value 'bad/name' at 'roleSessionName'``), IAM leaves it out (``Value at 'status' failed
to satisfy constraint: Member must satisfy enum value set``, without the set).

Generic: nothing here knows IAM; REST-XML (S3) can use it as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from botocore.model import Shape

from ..errors import ValidationError

# Appends the messages of the violations in ``value`` (found at ``path``) to ``errors``.
Check = Callable[[Any, str, list[str]], None]
# The violated constraints of a scalar value, in AWS's order ("Member must ...").
Constraints = Callable[[Any], list[str]]
# Whether a value certainly has no violation.
Quick = Callable[[Any], bool]

# \p{Z}: the Unicode space separators (Zs, Zl, Zp), stable since Unicode 4.0.1.
_SEPARATORS = "\\u0020\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000"


@dataclass(frozen=True, slots=True)
class MessageStyle:
    """How a service words a violation: whether it quotes the value, whether an enum
    violation lists the allowed values, and the members (by path) whose pattern violation
    the service answers in words of its own, as the whole message."""

    show_values: bool = True
    list_enum_values: bool = True
    pattern_messages: tuple[tuple[str, str], ...] = ()
    # Shapes whose constraints, listed for a list's element, end with "Member must not be
    # null" (a rule of AWS's own models that botocore's do not carry).
    not_null_members: frozenset[str] = frozenset()


class _Worded(str):
    """A violation the service answers in its own words, instead of the model's list."""

    __slots__ = ()


_PATTERN = "Member must satisfy regular expression pattern"


class _Violation(str):
    """A violation's message, knowing the path it is at (``_in_aws_order``)."""

    path: str

    def __new__(cls, text: str, path: str) -> _Violation:
        made = super().__new__(cls, text)
        made.path = path
        return made


def _hidden_value_message(_value: Any, path: str, constraint: str) -> str:
    return _Violation(f"Value at '{path}' failed to satisfy constraint: {constraint}", path)


def _java_hash(text: str) -> int:
    """Java's String.hashCode, spread as java.util.HashMap spreads it."""
    value = 0
    units = text.encode("utf-16-be")
    for index in range(0, len(units), 2):
        value = (31 * value + int.from_bytes(units[index : index + 2], "big")) & 0xFFFFFFFF
    return value ^ (value >> 16)


def _in_aws_order(errors: list[str]) -> list[str]:
    """The violations as AWS lists them: by path in the iteration order of a Java HashMap
    keyed by path (16 buckets, doubled past three quarters full; a bucket's paths in the order
    they were found), each path's own in the order found. Recorded from IAM: 'clientIDList',
    'thumbprintList', 'url' (CreateOpenIDConnectProvider) and 'minimumPasswordLength',
    'passwordReusePrevention', 'maxPasswordAge' (UpdateAccountPasswordPolicy), in February
    2026 (LocalStack's test_iam_oidc and test_iam_account_password_policy snapshots), neither
    of which is model order."""
    by_path: dict[str, list[str]] = {}
    for error in errors:
        by_path.setdefault(getattr(error, "path", ""), []).append(error)
    if len(by_path) < 2:
        return errors
    buckets = 16
    while len(by_path) > buckets * 3 // 4:
        buckets *= 2
    paths = sorted(by_path, key=lambda path: _java_hash(path) & (buckets - 1))  # stable: found order
    return [error for path in paths for error in by_path[path]]


def lower_first(name: str) -> str:
    """A member name as AWS's validation messages name it: ``RoleArn`` -> ``roleArn``."""
    return name[:1].lower() + name[1:]


def java_pattern(pattern: str) -> re.Pattern[str] | None:
    """A model pattern (Java syntax) as a Python regular expression, or None when Python
    cannot express it. ``\\p{L}`` and ``\\p{N}`` become Unicode ``\\w`` (which adds ``_``:
    every IAM, STS and S3 pattern that uses them allows ``_`` anyway)."""
    if "\\p{" in pattern:
        translated = pattern.replace("\\p{L}", "\\w").replace("\\p{N}", "\\w").replace("\\p{Z}", _SEPARATORS)
        flags = 0
    else:
        translated, flags = pattern, re.ASCII
    try:
        return re.compile(translated, flags)
    except re.error:
        return None


def render(value: Any) -> str:
    """A value as AWS's (Java) messages print it."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(render(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{render(k)}={render(v)}" for k, v in value.items()) + "}"
    if isinstance(value, bytes | bytearray):
        return f"java.nio.HeapByteBuffer[pos=0 lim={len(value)} cap={len(value)}]"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def _bound(number: Any) -> str:
    return str(int(number)) if float(number) == int(number) else str(number)


class Validators:
    """Compiled checks by shape, in one style. The caller owns one per service."""

    def __init__(self, style: MessageStyle) -> None:
        self.style = style
        self._cache: dict[str, Check] = {}
        self._worded = dict(style.pattern_messages)

    def validate(self, shape: Shape | None, params: dict[str, Any]) -> None:
        """Raise AWS's ``ValidationError`` listing every violation in ``params``."""
        self.validator(shape)(params)

    def validator(self, shape: Shape | None) -> Callable[[dict[str, Any]], None]:
        """``validate`` for one input shape, compiled (keep it: compiling is the slow part)."""
        if shape is None:
            return _accept
        check = self.check(shape)

        def validate(params: dict[str, Any]) -> None:
            errors: list[str] = []
            check(params, "", errors)
            if errors:
                worded = next((error for error in errors if isinstance(error, _Worded)), None)
                if worded is not None:
                    raise ValidationError(str(worded))
                count = len(errors)
                noun = "error" if count == 1 else "errors"
                raise ValidationError(f"{count} validation {noun} detected: " + "; ".join(_in_aws_order(errors)))

        return validate

    def check(self, shape: Shape) -> Check:
        key = shape.name + repr(sorted(shape.metadata.items()))
        found = self._cache.get(key)
        if found is not None:
            return found
        compiled: list[Check] = []

        def trampoline(value: Any, path: str, errors: list[str]) -> None:
            compiled[0](value, path, errors)

        self._cache[key] = trampoline
        made = self._compile(shape)
        compiled.append(made)
        self._cache[key] = made
        return made

    def _message(self, value: Any, path: str, constraint: str) -> str:
        if self.style.show_values:
            return _Violation(f"Value '{render(value)}' at '{path}' failed to satisfy constraint: {constraint}", path)
        return _hidden_value_message(value, path, constraint)

    def _compile(self, shape: Shape) -> Check:
        kind = shape.type_name
        if kind == "structure":
            return self._structure(shape)
        if kind == "list":
            return self._list(shape)
        if kind == "map":
            return self._map(shape)
        constraints = self.constraints(shape)
        # A sensitive shape's value (a web identity token, a secret) is never quoted back.
        message = _hidden_value_message if shape.metadata.get("sensitive") else self._message

        worded = self._worded

        def check_scalar(value: Any, path: str, errors: list[str]) -> None:
            violations = constraints(value)
            if violations:
                if worded and len(violations) == 1 and path in worded and violations[0].startswith(_PATTERN):
                    # The service's own words, for a value whose one fault is its pattern (an
                    # empty or over-long one keeps the model's list: unrecorded).
                    errors.append(_Worded(worded[path]))
                    return
                errors.extend(message(value, path, violated) for violated in violations)

        return check_scalar

    def _structure(self, shape: Shape) -> Check:
        required = set(shape.required_members)
        members = [
            (name, lower_first(name), name in required, self.check(member)) for name, member in shape.members.items()
        ]
        # Per member: its path name, a cheap test that passes when the value has no
        # violation (None: no such test), and the full check. Members that can have no
        # violation at all are left out.
        by_name: dict[str, tuple[str, Quick | None, Check]] = {}
        for name, camel, _, check in members:
            ok = self.quick(shape.members[name])
            if ok is not _always:
                by_name[name] = (camel, ok, check)
        required_names = tuple(name for name, _, is_required, _ in members if is_required)

        def check_in_model_order(value: Any, path: str, errors: list[str]) -> None:
            prefix = path + "." if path else ""
            for name, camel, is_required, check in members:
                item = value.get(name)
                if item is None:
                    if is_required:
                        where = prefix + camel
                        missing = f"Value null at '{where}' failed to satisfy constraint: Member must not be null"
                        errors.append(_Violation(missing, where))
                    continue
                check(item, prefix + camel, errors)

        # INVARIANT: parsed params are in model order (the readers build them so), so
        # walking the present members gives the messages in model order too; a missing
        # required member takes the ordered walk.
        def check_structure(value: Any, path: str, errors: list[str]) -> None:
            for name in required_names:
                if value.get(name) is None:
                    check_in_model_order(value, path, errors)
                    return
            prefix = path + "." if path else ""
            for name, item in value.items():
                member = by_name.get(name)
                if member is None or item is None:
                    continue
                camel, ok, check = member
                if ok is None or not ok(item):
                    check(item, prefix + camel, errors)

        return check_structure

    def quick(self, shape: Shape, visiting: frozenset[str] = frozenset()) -> Quick | None:
        """A test that passes when a value of ``shape`` has no violation (``_always`` when
        it can have none; None when there is no cheap test): the common, valid, case then
        costs one call, the messages only on failure."""
        kind = shape.type_name
        metadata = shape.metadata
        if kind == "map" or shape.name in visiting:
            return None
        if kind == "structure":
            return self._quick_structure(shape, visiting | {shape.name})
        low, high = metadata.get("min"), metadata.get("max")
        if kind == "list":
            element = self.quick(shape.member, visiting)
            if element is None:
                return None
            if low is None and high is None and element is _always:
                return _always
            lowest = 0 if low is None else low
            highest = float("inf") if high is None else high

            def ok_list(value: Any) -> bool:
                return lowest <= len(value) <= highest and all(element(item) for item in value)

            return ok_list
        if kind in ("integer", "long", "float", "double", "byte", "short"):
            if low is None and high is None:
                return _always
            lowest = float("-inf") if low is None else low
            highest = float("inf") if high is None else high

            def ok_number(value: Any) -> bool:
                return bool(lowest <= value <= highest)

            return ok_number
        if kind not in ("string", "blob"):
            return _always
        pattern_text = metadata.get("pattern")
        compiled = java_pattern(pattern_text) if pattern_text and kind == "string" else None
        fullmatch = compiled.fullmatch if compiled is not None else None
        allowed = frozenset(metadata["enum"]) if metadata.get("enum") else None
        if fullmatch is None and allowed is None and low is None and high is None:
            return _always
        shortest = 0 if low is None else low
        longest = float("inf") if high is None else high
        if allowed is not None:

            def ok_enum(value: Any) -> bool:
                return value in allowed and (fullmatch is None or fullmatch(value) is not None)

            return ok_enum if low is None and high is None else None
        if fullmatch is None:

            def ok_length(value: Any) -> bool:
                return bool(shortest <= len(value) <= longest)

            return ok_length

        def ok_text(value: Any) -> bool:
            return shortest <= len(value) <= longest and fullmatch(value) is not None

        return ok_text

    def _quick_structure(self, shape: Shape, visiting: frozenset[str]) -> Quick | None:
        tests: list[tuple[str, Quick]] = []
        for name, member in shape.members.items():
            test = self.quick(member, visiting)
            if test is None:
                return None
            if test is not _always:
                tests.append((name, test))
        required = tuple(shape.required_members)

        def ok_structure(value: Any) -> bool:
            for name in required:
                if value.get(name) is None:
                    return False
            for name, test in tests:
                item = value.get(name)
                if item is not None and not test(item):
                    return False
            return True

        return ok_structure

    def _length(self, shape: Shape) -> Constraints:
        low, high = shape.metadata.get("min"), shape.metadata.get("max")

        def length(value: Any) -> list[str]:
            size = len(value)
            found: list[str] = []
            if low is not None and size < low:
                found.append(f"Member must have length greater than or equal to {_bound(low)}")
            if high is not None and size > high:
                found.append(f"Member must have length less than or equal to {_bound(high)}")
            return found

        return length

    def _list(self, shape: Shape) -> Check:
        length = self._length(shape)
        member = shape.member
        message = self._message
        if member.type_name in ("structure", "list", "map"):
            element_check = self.check(member)

            def check_list(value: Any, path: str, errors: list[str]) -> None:
                for violated in length(value):
                    errors.append(message(value, path, violated))
                for index, item in enumerate(value, 1):
                    element_check(item, f"{path}.{index}.member", errors)

            return check_list
        element_constraints = self.constraints(member)
        every = "Member must satisfy constraint: [" + ", ".join(self._every_constraint(member)) + "]"

        def check_scalar_list(value: Any, path: str, errors: list[str]) -> None:
            for violated in length(value):
                errors.append(message(value, path, violated))
            if any(element_constraints(item) for item in value):
                errors.append(message(value, path, every))

        return check_scalar_list

    def _every_constraint(self, shape: Shape) -> list[str]:
        """All of a list element's constraints, violated or not, as AWS names them when an
        element violates one: length (at most, then at least), pattern, enum values, and
        "Member must not be null" for some shapes. Recorded from IAM: "Value at
        'clientIDList' failed to satisfy constraint: Member must satisfy constraint: [Member
        must have length less than or equal to 255, Member must have length greater than or
        equal to 1]" (CreateOpenIDConnectProvider, LocalStack's tests/aws/services/iam/
        test_iam_oidc.snapshot.json), and UntagPolicy's tagKeys with the pattern and "Member
        must not be null" after the lengths (test_iam_policies.snapshot.json)."""
        metadata = shape.metadata
        kind = shape.type_name
        found: list[str] = []
        word = "value" if kind in ("integer", "long", "float", "double", "byte", "short") else "length"
        if "max" in metadata:
            found.append(f"Member must have {word} less than or equal to {_bound(metadata['max'])}")
        if "min" in metadata:
            found.append(f"Member must have {word} greater than or equal to {_bound(metadata['min'])}")
        if kind == "string" and metadata.get("pattern"):
            found.append(f"{_PATTERN}: {metadata['pattern']}")
        if metadata.get("enum"):
            found.append(self._enum_text(metadata["enum"]))
        if shape.name in self.style.not_null_members:
            found.append("Member must not be null")
        return found

    def _enum_text(self, enum: list[str]) -> str:
        """An enum's constraint, with its values where the service lists them."""
        text = "Member must satisfy enum value set"
        return text + ": [" + ", ".join(enum) + "]" if self.style.list_enum_values else text

    def _map(self, shape: Shape) -> Check:
        length = self._length(shape)
        key_constraints = self.constraints(shape.key)
        value_shape = shape.value
        message = self._message
        nested = value_shape.type_name in ("structure", "list", "map")
        value_check = self.check(value_shape) if nested else None
        value_constraints = None if nested else self.constraints(value_shape)

        def check_map(value: Any, path: str, errors: list[str]) -> None:
            for violated in length(value):
                errors.append(message(value, path, violated))
            keys = _union(key_constraints(key) for key in value)
            if keys:
                errors.append(message(value, path, "Map keys must satisfy constraint: [" + ", ".join(keys) + "]"))
            if value_constraints is not None:
                values = _union(value_constraints(item) for item in value.values())
                if values:
                    errors.append(
                        message(value, path, "Map value must satisfy constraint: [" + ", ".join(values) + "]")
                    )
            elif value_check is not None:
                for key, item in value.items():
                    value_check(item, f"{path}.{key}", errors)

        return check_map

    def constraints(self, shape: Shape) -> Constraints:
        """The checks of a scalar shape, compiled."""
        metadata = shape.metadata
        kind = shape.type_name
        if kind in ("integer", "long", "float", "double", "byte", "short"):
            low, high = metadata.get("min"), metadata.get("max")
            if low is None and high is None:
                return _none

            def number(value: Any) -> list[str]:
                found: list[str] = []
                if low is not None and value < low:
                    found.append(f"Member must have value greater than or equal to {_bound(low)}")
                if high is not None and value > high:
                    found.append(f"Member must have value less than or equal to {_bound(high)}")
                return found

            return number
        if kind not in ("string", "blob"):
            return _none
        slow = self._text_constraints(shape)
        pattern_text = metadata.get("pattern")
        compiled = java_pattern(pattern_text) if pattern_text and kind == "string" else None
        fullmatch = compiled.fullmatch if compiled is not None else None
        low, high = metadata.get("min", 0), metadata.get("max", float("inf"))
        allowed = frozenset(metadata["enum"]) if metadata.get("enum") else None

        # The common case, a valid value, in one call; the messages only on failure.
        def text(value: Any) -> list[str]:
            if (
                (fullmatch is None or fullmatch(value))
                and low <= len(value) <= high
                and (allowed is None or value in allowed)
            ):
                return _NONE
            return slow(value)

        return text

    def _text_constraints(self, shape: Shape) -> Constraints:
        metadata = shape.metadata
        kind = shape.type_name
        checks: list[Constraints] = []
        pattern_text = metadata.get("pattern")
        compiled = java_pattern(pattern_text) if pattern_text and kind == "string" else None
        if compiled is not None:
            fullmatch = compiled.fullmatch
            violated_pattern = [f"{_PATTERN}: {pattern_text}"]

            def pattern(value: Any) -> list[str]:
                return [] if fullmatch(value) else violated_pattern

            checks.append(pattern)
        if "min" in metadata or "max" in metadata:
            checks.append(self._length(shape))
        enum = metadata.get("enum")
        if enum:
            allowed = frozenset(enum)
            violated_enum = [self._enum_text(enum)]

            def enumeration(value: Any) -> list[str]:
                return [] if value in allowed else violated_enum

            checks.append(enumeration)
        if not checks:
            return _none
        if len(checks) == 1:
            return checks[0]

        def all_checks(value: Any) -> list[str]:
            found: list[str] = []
            for check in checks:
                found.extend(check(value))
            return found

        return all_checks


def _accept(params: dict[str, Any]) -> None:
    return None


_NONE: list[str] = []  # INVARIANT: never appended to (callers only iterate it)


def _none(value: Any) -> list[str]:
    return _NONE


def _union(groups: Any) -> list[str]:
    seen: list[str] = []
    for group in groups:
        for item in group:
            if item not in seen:
                seen.append(item)
    return seen


def _always(value: Any) -> bool:
    return True

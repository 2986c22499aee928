"""Policy JSON text read with positions: the first step of parsing a policy.

IAM's policy simulator reports where each matched statement sits in the policy text
(``StartPosition`` / ``EndPosition``, a line and a column each; see the ``Statement`` and
``Position`` shapes of IAM's API reference), so the reader keeps the span of every JSON
object. The standard ``json`` module cannot; this small reader can, and it also refuses
what IAM refuses: duplicate keys, nesting deeper than any policy needs, and anything that
is not RFC 8259 JSON.

Every failure is a ``MalformedPolicyDocument`` with AWS's message for bad JSON,
"Syntax errors in policy.": nothing else leaves this module, whatever the input.
"""

from __future__ import annotations

import re
from typing import Union

from ..errors import MalformedPolicyDocument

SYNTAX_ERROR = "Syntax errors in policy."

# Deeper than any valid policy (Condition values sit at depth 5); stops recursion bombs.
MAX_DEPTH = 32

JSONValue = Union["JSONObject", list["JSONValue"], str, bool, None]

_WS = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
_STRING_CHUNK = re.compile(r'[^"\\\x00-\x1f]*')
_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


class JSONNumber(str):
    """A JSON number, kept as its text: policies compare numbers as strings or parse them
    per operator, and the text round-trips exactly (no float rounding, no huge ints)."""


class JSONObject(dict[str, "JSONValue"]):
    """A JSON object that remembers its span in the text: offsets of ``{`` and after ``}``."""

    start: int = 0
    end: int = 0


def read_json(text: str) -> JSONValue:
    """Parse ``text`` as one JSON value, keeping object spans; reject duplicate keys."""
    reader = _Reader(text)
    pos = reader.skip_ws(0)
    value, pos = reader.value(pos, 0)
    pos = reader.skip_ws(pos)
    if pos != len(text):
        raise MalformedPolicyDocument(SYNTAX_ERROR)
    return value


def line_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of ``offset`` in ``text``."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text

    def skip_ws(self, pos: int) -> int:
        match = _WS.match(self.text, pos)
        return match.end() if match else pos

    def value(self, pos: int, depth: int) -> tuple[JSONValue, int]:
        if depth > MAX_DEPTH or pos >= len(self.text):
            raise MalformedPolicyDocument(SYNTAX_ERROR)
        char = self.text[pos]
        if char == "{":
            return self.object(pos, depth + 1)
        if char == "[":
            return self.array(pos, depth + 1)
        if char == '"':
            return self.string(pos)
        for literal, result in (("true", True), ("false", False), ("null", None)):
            if self.text.startswith(literal, pos):
                return result, pos + len(literal)
        match = _NUMBER.match(self.text, pos)
        if match is None:
            raise MalformedPolicyDocument(SYNTAX_ERROR)
        return JSONNumber(match.group()), match.end()

    def object(self, start: int, depth: int) -> tuple[JSONObject, int]:
        result = JSONObject()
        result.start = start
        pos = self.skip_ws(start + 1)
        if self.text.startswith("}", pos):
            result.end = pos + 1
            return result, pos + 1
        while True:
            if not self.text.startswith('"', pos):
                raise MalformedPolicyDocument(SYNTAX_ERROR)
            key, pos = self.string(pos)
            pos = self.skip_ws(pos)
            if not self.text.startswith(":", pos) or key in result:
                raise MalformedPolicyDocument(SYNTAX_ERROR)
            value, pos = self.value(self.skip_ws(pos + 1), depth)
            result[key] = value
            pos = self.skip_ws(pos)
            if self.text.startswith(",", pos):
                pos = self.skip_ws(pos + 1)
                continue
            if self.text.startswith("}", pos):
                result.end = pos + 1
                return result, pos + 1
            raise MalformedPolicyDocument(SYNTAX_ERROR)

    def array(self, start: int, depth: int) -> tuple[list[JSONValue], int]:
        result: list[JSONValue] = []
        pos = self.skip_ws(start + 1)
        if self.text.startswith("]", pos):
            return result, pos + 1
        while True:
            value, pos = self.value(pos, depth)
            result.append(value)
            pos = self.skip_ws(pos)
            if self.text.startswith(",", pos):
                pos = self.skip_ws(pos + 1)
                continue
            if self.text.startswith("]", pos):
                return result, pos + 1
            raise MalformedPolicyDocument(SYNTAX_ERROR)

    def string(self, start: int) -> tuple[str, int]:
        parts: list[str] = []
        pos = start + 1
        text = self.text
        while True:
            match = _STRING_CHUNK.match(text, pos)
            assert match is not None  # INVARIANT: the pattern matches the empty string
            parts.append(match.group())
            pos = match.end()
            if pos >= len(text):
                raise MalformedPolicyDocument(SYNTAX_ERROR)
            char = text[pos]
            if char == '"':
                return "".join(parts), pos + 1
            if char != "\\" or pos + 1 >= len(text):
                raise MalformedPolicyDocument(SYNTAX_ERROR)  # a control character
            escape = text[pos + 1]
            if escape in _ESCAPES:
                parts.append(_ESCAPES[escape])
                pos += 2
            elif escape == "u":
                code, pos = self.hex4(pos + 2)
                if 0xD800 <= code < 0xDC00 and text.startswith("\\u", pos):
                    low, after = self.hex4(pos + 2)
                    if 0xDC00 <= low < 0xE000:
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        pos = after
                if 0xD800 <= code < 0xE000:
                    raise MalformedPolicyDocument(SYNTAX_ERROR)  # a lone surrogate
                parts.append(chr(code))
            else:
                raise MalformedPolicyDocument(SYNTAX_ERROR)

    def hex4(self, pos: int) -> tuple[int, int]:
        digits = self.text[pos : pos + 4]
        if len(digits) != 4 or any(c not in "0123456789abcdefABCDEF" for c in digits):
            raise MalformedPolicyDocument(SYNTAX_ERROR)
        return int(digits, 16), pos + 4

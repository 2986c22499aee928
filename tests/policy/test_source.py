"""The policy JSON reader (``iamsandbox.policy.source``).

It must read RFC 8259 JSON (https://www.rfc-editor.org/rfc/rfc8259) as ``json.loads``
does, keep numbers as their text and object spans for IAM's simulator positions
(``StartPosition``/``EndPosition`` in IAM's ``Statement`` shape), and refuse what IAM
refuses: duplicate keys and absurd nesting, with "Syntax errors in policy." and nothing
else.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iamsandbox.errors import MalformedPolicyDocument
from iamsandbox.policy.source import MAX_DEPTH, SYNTAX_ERROR, JSONNumber, JSONObject, line_column, read_json


def _fails(text: str) -> None:
    with pytest.raises(MalformedPolicyDocument) as caught:
        read_json(text)
    assert caught.value.message == SYNTAX_ERROR


# --- positions --------------------------------------------------------------------------


def test_object_spans_are_offsets_of_the_braces() -> None:
    text = '{\n  "Statement": [\n    {"Effect": "Allow"},\n    { }\n  ]\n}'
    document = read_json(text)
    assert isinstance(document, JSONObject)
    assert (document.start, document.end) == (0, len(text))
    first, second = document["Statement"]  # type: ignore[misc]
    assert text[first.start : first.end] == '{"Effect": "Allow"}'
    assert text[second.start : second.end] == "{ }"
    assert line_column(text, first.start) == (3, 5)
    assert line_column(text, first.end) == (3, 24)
    assert line_column(text, second.start) == (4, 5)


def test_line_column_is_one_based() -> None:
    assert line_column("abc", 0) == (1, 1)
    assert line_column("a\nbc", 2) == (2, 1)
    assert line_column("a\nbc", 3) == (2, 2)
    assert line_column("a\r\nb", 3) == (2, 1)


# --- what is refused --------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        '{"a": 1, "a": 2}',
        '{"a": 1, "b": {"c": 1, "c": 1}}',
        '{"a": 1, "\\u0061": 2}',  # the same key, written differently
    ],
)
def test_duplicate_keys_are_refused(text: str) -> None:
    _fails(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "{",
        "}",
        '{"a"}',
        '{"a" 1}',
        '{"a": 1,}',
        "[1,]",
        "[1 2]",
        "{'a': 1}",
        '{"a": 1} x',
        '{"a": 1}{}',
        "01",
        "1.",
        ".5",
        "+1",
        "1e",
        "-",
        "0x10",
        "NaN",
        "Infinity",
        "-Infinity",
        "True",
        "nul",
        '"\\x41"',
        '"\\u00"',
        '"\\u00G0"',
        '"\\',
        '"abc',
        '"a\nb"',  # a raw control character
        '"a\tb"',
        '"\x00"',
        "\ufeff{}",  # a byte order mark is not white space
        "\u00a0{}",
        "{}\x0b",
        "//\n{}",
    ],
)
def test_invalid_json_is_refused(text: str) -> None:
    _fails(text)


@pytest.mark.parametrize(
    "escaped",
    ['"\\ud800"', '"\\udc00"', '"\\ud800x"', '"\\ud800\\u0041"', '"\\udc00\\ud800"', '"\\ud83d\\ud83d"'],
)
def test_lone_surrogate_escapes_are_refused(escaped: str) -> None:
    # json.loads accepts these and returns a str that cannot be encoded as UTF-8.
    _fails(escaped)


# --- what is read -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ('"\\"\\\\\\/\\b\\f\\n\\r\\t"', '"\\/\b\f\n\r\t'),
        ('"\\u00e9\\u00E9"', "\u00e9\u00e9"),
        ('"\\u0000"', "\x00"),
        ('"\\ud83d\\ude00"', "\U0001f600"),  # a surrogate pair is one character
        ('"\\uD83D\\uDE00"', "\U0001f600"),
        ('"\U0001f600"', "\U0001f600"),
        ('"\u2028\u2029"', "\u2028\u2029"),  # allowed raw in JSON strings
        ('"\\uffff"', "\uffff"),
    ],
)
def test_string_escapes(text: str, value: str) -> None:
    assert read_json(text) == value


@pytest.mark.parametrize("text", ["0", "-0", "1.0", "1.50", "1e5", "1E+05", "-2.5e-3", "1" * 5000, "1e99999"])
def test_numbers_are_kept_as_their_text(text: str) -> None:
    value = read_json(text)
    assert isinstance(value, JSONNumber) and value == text
    listed = read_json(f"[{text}]")
    assert isinstance(listed, list) and isinstance(listed[0], JSONNumber) and listed[0] == text


def test_literals_and_white_space() -> None:
    assert read_json(" \t\r\n[true, false, null] \n") == [True, False, None]
    assert read_json("{}") == {} and read_json("[]") == []


def _nested(depth: int) -> str:
    return "[" * depth + "1" + "]" * depth


def test_depth_limit() -> None:
    assert read_json(_nested(MAX_DEPTH)) is not None  # as deep as the limit: fine
    _fails(_nested(MAX_DEPTH + 2))
    _fails(_nested(100_000))  # no RecursionError
    _fails('{"a":' * 100_000 + "1" + "}" * 100_000)
    _fails("[" * 100_000)


# --- agreement with json.loads ------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4),
    max_leaves=25,
)


def _depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    return 0


@settings(max_examples=150, deadline=None)
@given(json_values, st.booleans(), st.sampled_from([None, 0, 2, "\t"]))
def test_agrees_with_json_loads(value: Any, ascii_only: bool, indent: int | str | None) -> None:
    text = json.dumps(value, ensure_ascii=ascii_only, indent=indent)
    expected = json.loads(text, parse_int=str, parse_float=str)  # numbers as their text
    assert _depth(value) <= MAX_DEPTH  # (max_leaves keeps generated values shallower than the limit)
    assert read_json(text) == expected


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from('{}[]",:01e.-+ \\untrfalse\u00e9\U0001f600'), max_size=30))
def test_near_json_text_agrees_with_json_loads(text: str) -> None:
    """On text that is almost JSON: read_json accepts exactly what json.loads accepts
    (json.loads without its NaN/Infinity extension), and reads the same value."""

    def refuse(name: str) -> Any:
        raise ValueError(name)

    try:
        expected = json.loads(text, parse_int=str, parse_float=str, parse_constant=refuse)
    except ValueError:
        _fails(text)
        return
    if '"\\ud' in text.lower():
        return  # json.loads also accepts lone surrogates, which read_json refuses (tested above)
    try:
        value = read_json(text)
    except MalformedPolicyDocument:
        # Only duplicate keys may make read_json refuse what json.loads reads.
        pairs: list[list[str]] = []
        json.loads(text, object_pairs_hook=lambda p: pairs.append([k for k, _ in p]) or {})
        assert any(len(keys) != len(set(keys)) for keys in pairs), text
        return
    assert value == expected

"""Fuzzing the policy parser and evaluator: only AWS's errors may come out.

STYLE.md ("Errors"): "Every parser ... lets only its own error type out, whatever the
bytes." For ``parse_policy`` that is ``MalformedPolicyDocument`` (with its S3 and
Organizations subclasses) and ``LimitExceeded``; for ``evaluate`` nothing at all: a
decision is a value, whatever the request context holds.

The default run is quick; ``-m slow`` runs the same properties with many more examples.
"""

from __future__ import annotations

import json
import string
from typing import Any

import pytest
import strategies as gen
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iamsandbox.errors import LimitExceeded, MalformedPolicyDocument
from iamsandbox.policy import (
    CompiledSet,
    PolicyKind,
    PolicySet,
    PolicyType,
    Principal,
    Request,
    evaluate,
    parse_grammar,
    parse_policy,
)
from slow_scale import slow_examples

QUICK = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=slow_examples(3000), deadline=None, suppress_health_check=list(HealthCheck))
KINDS = list(PolicyKind)


def _parse_only_fails_as_aws(text: str | bytes) -> None:
    """parse_policy (and parse_grammar) for every kind: a Policy or AWS's error."""
    for kind in KINDS:
        try:
            parse_policy(text, kind)
        except (MalformedPolicyDocument, LimitExceeded):
            pass
    if isinstance(text, str):
        for kind in (PolicyKind.IDENTITY, PolicyKind.RESOURCE):
            try:  # no size quota here: huge inputs reach the JSON reader
                parse_grammar(text, kind)
            except MalformedPolicyDocument:
                pass


# --- inputs -----------------------------------------------------------------------------

WEIRD = (
    "\u0000",
    "\u00e9",
    "\u200b",  # zero-width space
    "\u202e",  # right-to-left override
    "\ufeff",  # byte order mark
    "\uffff",
    "\U0001f600",
    "e\u0301",  # combining accent
    "\u2028",
    "\\ud800",  # lone surrogate escapes, as text
    "\\udfff",
    "\\ud83d\\ude00",
    "\\ud83d\\u0041",
    "\\u0000",
    "\\",
    '"',
    "${aws:username}",
    "${",
    "*?*",
)
HUGE_NUMBERS = ("1e99999", "-1e99999", "1" * 100_000, "1" * 5_000, "0." + "0" * 5000 + "1", "1E-99999", "-0")

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
    | st.sampled_from(["Allow", "Deny", "*", "s3:GetObject", "arn:aws:s3:::b", "2012-10-17"]),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(sorted(gen.STATEMENT_KEYS | {"Version", "Statement", "Id", "AWS", "x"}))
            | st.text(max_size=8),
            children,
            max_size=5,
        )
    ),
    max_leaves=20,
)


def _mutate(draw: st.DrawFn, value: Any, depth: int = 0) -> Any:
    """One random change somewhere inside a JSON value."""
    choice = draw(st.integers(0, 9))
    if isinstance(value, dict) and value and choice < 6:
        key = draw(st.sampled_from(sorted(value)))
        out = dict(value)
        if choice == 0:
            del out[key]  # drop an element
        elif choice == 1:
            out[key] = draw(json_values)  # retype it
        elif choice == 2:
            out[draw(st.sampled_from(sorted(gen.STATEMENT_KEYS)))] = draw(json_values)  # add one
        else:
            out[key] = _mutate(draw, value[key], depth + 1)
        return out
    if isinstance(value, list) and value and choice < 6:
        index = draw(st.integers(0, len(value) - 1))
        out_list = list(value)
        if choice == 0:
            del out_list[index]
        elif choice == 1:
            out_list.append(out_list[index])  # duplicate
        elif choice == 2:
            out_list[index] = draw(json_values)
        else:
            out_list[index] = _mutate(draw, value[index], depth + 1)
        return out_list
    if isinstance(value, str) and choice < 8:
        at = draw(st.integers(0, len(value)))
        return value[:at] + draw(st.sampled_from(WEIRD)) + value[at:]
    return draw(json_values)


@st.composite
def mutated_policies(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(KINDS))
    document: Any = draw(gen.policies(kind))
    for _ in range(draw(st.integers(1, 3))):
        document = _mutate(draw, document)
    text = json.dumps(document, ensure_ascii=draw(st.booleans()))
    # Text-level changes json.dumps cannot make: escapes, numbers, duplicates, nesting.
    edit = draw(st.integers(0, 6))
    if edit == 1:  # a raw escape sequence (lone surrogates and friends) inside some string
        at = text.find('"', draw(st.integers(0, len(text) - 1)))
        if at != -1:
            text = text[: at + 1] + draw(st.sampled_from(WEIRD)) + text[at + 1 :]
    elif edit == 2:  # a huge or odd number where a value was
        text = text.replace('"Allow"', draw(st.sampled_from(HUGE_NUMBERS)), 1)
    elif edit == 3:  # a duplicate key
        text = text.replace('"Effect"', '"Effect": "Deny", "Effect"', 1)
    elif edit == 4:  # deep nesting
        depth = draw(st.sampled_from([30, 33, 100, 5000]))
        text = text.replace('"*"', "[" * depth + '"*"' + "]" * depth, 1)
    elif edit == 5:  # truncation
        text = text[: draw(st.integers(0, len(text)))]
    elif edit == 6:  # a stray byte
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(list('{}[],:"\\ \x00\t') + ["\ud800"])) + text[at:]
    return text


# --- parse_policy -----------------------------------------------------------------------


@QUICK
@given(st.binary(max_size=200))
def test_random_bytes(data: bytes) -> None:
    _parse_only_fails_as_aws(data)


@QUICK
@given(st.text(max_size=200) | st.text(alphabet=string.printable + "\u00e9\U0001f600\ud800", max_size=200))
def test_random_text(text: str) -> None:
    _parse_only_fails_as_aws(text)
    _parse_only_fails_as_aws(text.encode("utf-8", "surrogatepass"))


@QUICK
@given(json_values)
def test_random_json_values(value: Any) -> None:
    _parse_only_fails_as_aws(json.dumps(value))
    _parse_only_fails_as_aws(json.dumps({"Version": "2012-10-17", "Statement": value}))


@QUICK
@given(mutated_policies())
def test_mutated_policies(text: str) -> None:
    _parse_only_fails_as_aws(text)


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100_000,
        '{"a":' * 100_000,
        "[" * 100_000 + "]" * 100_000,
        '{"Statement": ' + "1" * 100_000 + "}",
        '{"Statement": 1e99999}',
        '{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*",'
        ' "Condition": {"NumericLessThan": {"s3:max-keys": ' + "9" * 5000 + "}}}}",
        '{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*",'
        ' "Condition": {"DateLessThan": {"aws:CurrentTime": ' + "9" * 400 + "}}}}",
        '{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*",'
        ' "Condition": {"DateLessThan": {"aws:CurrentTime": "9999-12-31T23:59:59-23:59"}}}}',
        '{"Statement": "\\ud800"}',
        '{"Statement": "\\udc00\\ud800"}',
        '{"Statement": "\ud800"}',
        "\ufeff{}",
        "",
        " ",
        "\x00",
    ],
    ids=lambda text: repr(text[:40]),
)
def test_hostile_documents(text: str) -> None:
    _parse_only_fails_as_aws(text)


# --- evaluate ---------------------------------------------------------------------------

ODD_VALUES = (
    "",
    " ",
    "10.0.0.1",
    "10.0.0.1/8",
    "999.1.1.1",
    "::1",
    "::ffff:10.0.0.1",
    "fe80::1%eth0",
    "1.2.3",
    "0",
    "-0",
    "1e99999",
    "-1e99999",
    "nan",
    "-inf",
    "1_000",
    "9" * 5000,
    "2024-02-30T00:00:00Z",
    "0001-01-01T00:00:00+01:00",
    "9999-12-31T23:59:59-01:00",
    "2024-01-01T00:00:00+25:00",
    "1700000000",
    "-99999999999999999999",
    "true",
    "FALSE",
    "arn:aws:iam::111122223333:user/alice",
    "arn:aws:s3:::*",
    "${aws:username}",
    "*",
    "\U0001f600",
    "(",
    "[a-",
    "\\",
)
ALL_OPERATORS = (
    "StringEquals",
    "StringNotEquals",
    "StringEqualsIgnoreCase",
    "StringLike",
    "StringNotLike",
    "NumericEquals",
    "NumericLessThan",
    "NumericGreaterThanEquals",
    "DateEquals",
    "DateLessThan",
    "DateGreaterThan",
    "Bool",
    "BinaryEquals",
    "IpAddress",
    "NotIpAddress",
    "ArnEquals",
    "ArnLike",
    "ArnNotLike",
    "Null",
)
POLICY_VALUES = (
    "10",
    "1.5",
    "-3",
    "1e3",
    "2024-01-01T00:00:00Z",
    "2024-01-01",
    "1700000000",
    "10.0.0.0/8",
    "::/0",
    "true",
    "dGVzdA==",
    "arn:aws:iam::*:user/*",
    "arn:aws:s3:::${aws:username}/*",
    "${aws:PrincipalTag/team, 'none'}",
    "a*b?c",
    "${*}",
)
KEYS = ("aws:SourceIp", "aws:CurrentTime", "s3:max-keys", "aws:username", "aws:TagKeys", "aws:PrincipalTag/team")


@st.composite
def condition_documents(draw: st.DrawFn) -> str:
    """An identity policy with conditions of every operator, some with variables."""
    body = []
    for _ in range(draw(st.integers(1, 3))):
        block: dict[str, dict[str, Any]] = {}
        for _ in range(draw(st.integers(1, 3))):
            base = draw(st.sampled_from(ALL_OPERATORS))
            if base != "Null":
                base = draw(st.sampled_from(("", "ForAnyValue:", "ForAllValues:"))) + base
                base += draw(st.sampled_from(("", "IfExists")))
            values = draw(st.lists(st.sampled_from(POLICY_VALUES), min_size=1, max_size=3))
            if base == "Null":
                values = ["true"]
            if "Date" in base:
                values = [v for v in values if v[0].isdigit() and ("-" in v or v.isdigit())] or ["1700000000"]
            block.setdefault(base, {})[draw(st.sampled_from(KEYS))] = values
        resource = draw(st.sampled_from(("*", "arn:aws:s3:::${aws:username}/*", "arn:aws:s3:::b/${aws:TagKeys}")))
        body.append(
            {
                "Effect": draw(st.sampled_from(("Allow", "Deny"))),
                "Action": "*",
                "Resource": resource,
                "Condition": block,
            }
        )
    return json.dumps({"Version": "2012-10-17", "Statement": body})


odd_contexts = st.dictionaries(
    st.sampled_from(KEYS) | st.text(max_size=10),
    st.sampled_from(ODD_VALUES)
    | st.text(max_size=10)
    | st.lists(st.sampled_from(ODD_VALUES) | st.text(max_size=5), max_size=3),
    max_size=6,
)


def _evaluate_never_raises(document: str, context: dict[str, Any], resource: str) -> None:
    policy = parse_policy(document, PolicyKind.IDENTITY)
    policies = PolicySet(
        identity=CompiledSet.of(PolicyType.IDENTITY, policy),
        boundary=CompiledSet.of(PolicyType.BOUNDARY, policy),
    )
    for principal in ("arn:aws:iam::111122223333:user/alice", "arn:aws:sts::111122223333:assumed-role/r/s", "*"):
        request = Request.build(Principal.from_arn(principal), "s3:GetObject", resource, None, context)
        indexed = evaluate(request, policies)
        assert evaluate(request, policies, unindexed=True).value == indexed.value
        assert evaluate(request, policies).value == indexed.value  # again, through the caches


@QUICK
@given(condition_documents(), odd_contexts, st.sampled_from(["arn:aws:s3:::b/k", "*", "arn:aws:s3:::alice/x", ""]))
def test_evaluate_never_raises(document: str, context: dict[str, Any], resource: str) -> None:
    _evaluate_never_raises(document, context, resource)


# --- the same, many more examples -------------------------------------------------------


@pytest.mark.slow
@SLOW
@given(st.binary(max_size=2000) | st.text(max_size=2000).map(str.encode))
def test_random_bytes_slow(data: bytes) -> None:
    _parse_only_fails_as_aws(data)
    _parse_only_fails_as_aws(data.decode("utf-8", "replace"))


@pytest.mark.slow
@SLOW
@given(mutated_policies() | json_values.map(json.dumps))
def test_mutated_policies_slow(text: str) -> None:
    _parse_only_fails_as_aws(text)


@pytest.mark.slow
@SLOW
@given(condition_documents(), odd_contexts, st.sampled_from(["arn:aws:s3:::b/k", "*", "arn:aws:s3:::alice/x", ""]))
def test_evaluate_never_raises_slow(document: str, context: dict[str, Any], resource: str) -> None:
    _evaluate_never_raises(document, context, resource)

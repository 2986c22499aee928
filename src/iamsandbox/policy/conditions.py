"""Condition operators, compiled once per clause.

"IAM JSON policy elements: Condition operators"
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html)
and "Single-valued vs. multivalued context keys"
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html):

- several values for one key are ORed; several keys and several operators are ANDed
  (the caller ANDs the clauses);
- "If the key that you specify in a policy condition is not present in the request
  context, the values do not match and the condition is false. If the policy condition
  requires that the key is not matched, such as StringNotLike or ArnNotLike, and the
  right key is not present, the condition is true." ``...IfExists``: a missing key
  makes the condition true. ``Null``: "true" means the key is absent;
- ``ForAllValues:`` is true when every request value matches some policy value, and
  when the key is missing or empty; ``ForAnyValue:`` is true when at least one request
  value matches, false when the key is missing or empty. An empty string is an empty set
  to them: "If the key values in the request resolve to an empty data set (for example,
  an empty string), a condition operator modified by ForAllValues returns true, and a
  condition operator modified by ForAnyValue returns false" ("Creating a Condition That
  Tests Multiple Key Values (Set Operations)", IAM User Guide, awsdocs/iam-user-guide);
- the negated operators (``...Not...``, ``NotIpAddress``) are true when no policy value
  matches; under a set qualifier the negation applies per request value;
- String operators compare case-sensitively except ``...IgnoreCase``; Bool compares
  "true"/"false" case-insensitively; Date values are ISO 8601 or epoch seconds;
  IP values are IPv4 or IPv6 addresses or CIDR blocks; Arn operators match the six
  segments separately with wildcards; ``BinaryEquals`` compares base64 text;
- policy variables are replaced in String and Arn values (Version 2012-10-17 only); a
  value whose variable has no value matches no request value: the other values of the
  clause still may, and a negated operator is true ("Inverted condition operators like
  StringNotEquals or StringNotLike do match against a null value, as the policy variable
  they are attempting to check against is null": "Policy variables with no value",
  "IAM policy elements: Variables and tags").

Numeric values are integers or decimals (compared as floats; AWS documents no precision).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from .ast import ConditionClause
from .match import compile_glob
from .request import ValueList
from .variables import Variable, expand, tokenize, unresolved

Context = Mapping[str, tuple[str, ...]]
ValueTest = Callable[[str, Context], bool]  # does one request value match any policy value

BASE_OPERATORS = {
    "StringEquals": False,
    "StringNotEquals": True,
    "StringEqualsIgnoreCase": False,
    "StringNotEqualsIgnoreCase": True,
    "StringLike": False,
    "StringNotLike": True,
    "NumericEquals": False,
    "NumericNotEquals": True,
    "NumericLessThan": False,
    "NumericLessThanEquals": False,
    "NumericGreaterThan": False,
    "NumericGreaterThanEquals": False,
    "DateEquals": False,
    "DateNotEquals": True,
    "DateLessThan": False,
    "DateLessThanEquals": False,
    "DateGreaterThan": False,
    "DateGreaterThanEquals": False,
    "Bool": False,
    "BinaryEquals": False,
    "IpAddress": False,
    "NotIpAddress": True,
    "ArnEquals": False,
    "ArnLike": False,
    "ArnNotEquals": True,
    "ArnNotLike": True,
    "Null": False,
}  # operator -> negated
QUALIFIERS = ("ForAllValues", "ForAnyValue")


@dataclass(frozen=True, slots=True)
class Operator:
    base: str
    qualifier: str | None  # "ForAllValues", "ForAnyValue" or None
    if_exists: bool

    @property
    def negated(self) -> bool:
        return BASE_OPERATORS[self.base]


def parse_operator(name: str) -> Operator | None:
    """Split ``ForAnyValue:StringLikeIfExists`` into its parts; None if not an operator."""
    qualifier = None
    if ":" in name:
        qualifier, _, name = name.partition(":")
        if qualifier not in QUALIFIERS:
            return None
    if_exists = name.endswith("IfExists") and name != "IfExists"
    base = name[: -len("IfExists")] if if_exists else name
    if base not in BASE_OPERATORS or (base == "Null" and (if_exists or qualifier)):
        return None
    return Operator(base, qualifier, if_exists)


def is_operator(name: str) -> bool:
    return parse_operator(name) is not None


_DECIMAL = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")


def _number(text: str) -> float | None:
    """An integer or decimal, the values AWS documents for Numeric operators; not
    Python's wider float syntax ("inf", "1_000", "1e3")."""
    text = text.strip()
    return float(text) if _DECIMAL.fullmatch(text) else None


# ISO 8601 as IAM reads a Date condition's value: Joda-Time's ISODateTimeFormat.
# dateTimeParser(), "date-opt-time" (a date of 1 to 9 year digits, ``-MM[-dd]``, ``-DDD`` or
# ``-Www[-e]``, then optionally ``T``, a time and an offset) or "time" (``T``, a time, an
# offset). ``T`` and ``Z`` in either case; the time is an hour of one or two digits,
# ``:mm``, ``:ss``, and a fraction (up to 9 digits) of the last unit written; the offset
# ``Z`` or ``+HH[[:]mm]``. IAM saves {"DateGreaterThan": {"a": "01T"}} and
# "2016-12-13t2:00:00.593194+23", refuses "sdfdsf" and the epoch number
# 9223372036854775808, past a Java long (recorded from AWS: LocalStack's
# tests/aws/services/iam/test_iam_policies.snapshot.json, valid-30, valid-36, invalid-65,
# invalid-75, February 2026).
_TIME = r"(?P<hour>[0-9]{1,2})(?::(?P<minute>[0-9]{1,2})(?::(?P<second>[0-9]{1,2}))?)?(?:[.,](?P<fraction>[0-9]{1,9}))?"
_OFFSET = r"(?:(?P<utc>[Zz])|(?P<sign>[+-])(?P<offset_hours>[0-9]{2})(?::?(?P<offset_minutes>[0-9]{2}))?)"
_ISO_DATE = re.compile(
    r"(?P<year>[+-]?[0-9]{1,9})"
    r"(?:-(?:W(?P<week>[0-9]{1,2})(?:-(?P<weekday>[0-9]))?|(?P<month>[0-9]{1,2})(?:-(?P<day>[0-9]{1,2}))?"
    r"|(?P<ordinal>[0-9]{3})))?"
    rf"(?:[Tt](?:{_TIME})?{_OFFSET}?)?"
)
_ISO_TIME = re.compile(rf"[Tt]{_TIME}{_OFFSET}?")
_JAVA_LONG = 2**63
_LONG_DIGITS = 19  # a Java long has at most 19 digits


def _days_from_civil(year: int, month: int, day: int) -> int:
    """Days since 1970-01-01 of a proleptic Gregorian date (any year)."""
    year -= month <= 2
    era = year // 400
    of_era = year - era * 400
    day_of_year = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    of_era_days = of_era * 365 + of_era // 4 - of_era // 100 + day_of_year
    return era * 146097 + of_era_days - 719468


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _iso_days(found: re.Match[str]) -> int | None:
    """The days since the epoch of an ``_ISO_DATE`` match's date, or None."""
    year = int(found["year"])
    if found["week"] is not None:
        week, weekday = int(found["week"]), int(found["weekday"] or 1)
        january_4 = _days_from_civil(year, 1, 4)
        week_1_monday = january_4 - (january_4 + 3) % 7
        next_january_4 = _days_from_civil(year + 1, 1, 4)
        weeks = (next_january_4 - (next_january_4 + 3) % 7 - week_1_monday) // 7  # 52 or 53
        if not (1 <= week <= weeks and 1 <= weekday <= 7):
            return None
        return week_1_monday + (week - 1) * 7 + weekday - 1
    if found["ordinal"] is not None:
        ordinal = int(found["ordinal"])
        if not 1 <= ordinal <= (366 if _leap(year) else 365):
            return None
        return _days_from_civil(year, 1, 1) + ordinal - 1
    month, day = int(found["month"] or 1), int(found["day"] or 1)
    if not 1 <= month <= 12:
        return None
    longest = (31, 29 if _leap(year) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[month - 1]
    return _days_from_civil(year, month, day) if 1 <= day <= longest else None


@lru_cache(maxsize=4096)  # a request's aws:CurrentTime, a policy's dates: the same texts again
def parse_date(text: str) -> float | None:
    """Seconds since the epoch for a Date condition's value (an ISO 8601 date as IAM reads
    it, ``_ISO_DATE``, or an epoch number within a Java long); None if neither. Without an
    offset the time is UTC."""
    text = text.strip()
    if _DECIMAL.fullmatch(text):
        whole = text.partition(".")[0].lstrip("+-")
        if len(whole) > _LONG_DIGITS or not -_JAVA_LONG <= int(text.partition(".")[0]) < _JAVA_LONG:
            return None
        return float(text)
    found = _ISO_DATE.fullmatch(text)
    if found is not None:
        days = _iso_days(found)
    else:
        found = _ISO_TIME.fullmatch(text)
        if found is None:
            return None
        days = 0  # a time alone: on 1970-01-01
    hour, minute, second = (int(found[name] or 0) for name in ("hour", "minute", "second"))
    if days is None or hour > 23 or minute > 59 or second > 59:
        return None
    seconds: float = days * 86400 + hour * 3600 + minute * 60 + second
    if found["fraction"]:
        # A fraction of the last unit written: "T10.5" is 10:30, "T10:15.5" 10:15:30.
        unit = 1 if found["second"] else 60 if found["minute"] else 3600
        seconds += float("0." + found["fraction"]) * unit
    if found["sign"]:
        offset_hours, offset_minutes = int(found["offset_hours"]), int(found["offset_minutes"] or 0)
        if offset_hours > 23 or offset_minutes > 59:
            return None
        offset = offset_hours * 3600 + offset_minutes * 60
        seconds -= offset if found["sign"] == "+" else -offset
    return seconds


def _network(text: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    try:
        return ipaddress.ip_network(text.strip(), strict=False)
    except ValueError:
        return None


def _ipv4_int(text: str) -> int | None:
    """A dotted-quad IPv4 address as an integer, without ipaddress's overhead."""
    parts = text.split(".")
    if len(parts) != 4:
        return None
    number = 0
    for part in parts:
        if not (part.isascii() and part.isdigit()) or len(part) > 3 or (len(part) > 1 and part[0] == "0"):
            return None
        octet = int(part)
        if octet > 255:
            return None
        number = number << 8 | octet
    return number


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


_COMPARE: dict[str, Callable[[float, float], bool]] = {
    "Equals": lambda a, b: a == b,
    "NotEquals": lambda a, b: a == b,  # negated by the caller
    "LessThan": lambda a, b: a < b,
    "LessThanEquals": lambda a, b: a <= b,
    "GreaterThan": lambda a, b: a > b,
    "GreaterThanEquals": lambda a, b: a >= b,
}


def _exact(value: str, variables: bool, fold: bool) -> ValueTest:
    """StringEquals-style comparison with one policy value, variables expanded."""
    tokens = tokenize(value) if variables and "${" in value else ()
    if not any(isinstance(t, Variable) for t in tokens):
        text = "".join(t.text for t in tokens if not isinstance(t, Variable)) if tokens else value
        if fold:
            folded = text.lower()
            return lambda v, _c: v.lower() == folded
        return lambda v, _c: v == text

    def test(v: str, context: Context) -> bool:
        expanded = expand(tokens, context)
        if expanded is None:
            return False
        text = "".join(t.text for t in expanded)  # type: ignore[union-attr]  # expanded holds no Variable
        return v.lower() == text.lower() if fold else v == text

    return test


def _string_test(base: str, values: tuple[str, ...], variables: bool) -> ValueTest:
    fold = base.endswith("IgnoreCase")
    dynamic = variables and any("${" in v for v in values)
    if base in ("StringLike", "StringNotLike"):
        matchers = [compile_glob(v, arn=False, variables=variables) for v in values]
    elif not dynamic:
        allowed = frozenset(v.lower() for v in values) if fold else frozenset(values)
        if fold:
            return lambda value, _context: value.lower() in allowed
        return lambda value, _context: value in allowed
    else:
        matchers = [_exact(v, variables, fold) for v in values]
    if len(matchers) == 1:
        return matchers[0]
    return lambda value, context: any(m(value, context) for m in matchers)


_MEMO_SIZE = 1024


def _memoized(test: ValueTest) -> ValueTest:
    """Remember a variable-free test's answer per request value: parsing numbers, dates
    and addresses costs more than a dict lookup, and requests repeat their values.
    Bounded; the memo belongs to the compiled condition, so to its compiled policy."""
    memo: dict[str, bool] = {}

    def remembered(value: str, context: Context) -> bool:
        known = memo.get(value)
        if known is None:
            if len(memo) >= _MEMO_SIZE:
                memo.clear()
            known = memo[value] = test(value, context)
        return known

    return remembered


def _value_test(base: str, values: tuple[str, ...], variables: bool) -> ValueTest:
    test = _plain_value_test(base, values, variables)
    expensive = not base.startswith("String") and base not in ("Bool", "BinaryEquals")
    if expensive and not (variables and any("${" in v for v in values)):
        return _memoized(test)
    return test


def _plain_value_test(base: str, values: tuple[str, ...], variables: bool) -> ValueTest:
    if base.startswith("String"):
        return _string_test(base, values, variables)
    if base.startswith("Numeric") or base.startswith("Date"):
        family = "Numeric" if base.startswith("Numeric") else "Date"
        convert = _number if family == "Numeric" else parse_date
        compare = _COMPARE[base[len(family) :]]
        bounds = [b for b in (convert(v) for v in values) if b is not None]

        def ordered(value: str, _context: Context) -> bool:
            number = convert(value)
            return number is not None and any(compare(number, bound) for bound in bounds)

        return ordered
    if base == "Bool":
        truths = frozenset(v.lower() for v in values)
        return lambda value, _context: value.lower() in truths
    if base == "BinaryEquals":
        blobs = frozenset(values)
        return lambda value, _context: value in blobs
    if base in ("IpAddress", "NotIpAddress"):
        networks = [n for n in (_network(v) for v in values) if n is not None]
        v4 = [(int(n.network_address), int(n.netmask)) for n in networks if n.version == 4]
        v6 = [n for n in networks if n.version == 6]

        def within(value: str, _context: Context) -> bool:
            number = _ipv4_int(value)
            if number is not None:
                return any(number & mask == network for network, mask in v4)
            address = _address(value)
            return address is not None and address.version == 6 and any(address in n for n in v6)

        return within
    if base.startswith("Arn"):
        matchers = [compile_glob(v, arn=True, variables=variables) for v in values]
        return lambda value, context: any(m(value, context) for m in matchers)
    raise AssertionError(f"no value test for {base}")  # INVARIANT: parse_operator checked


class CompiledCondition:
    """One clause, ready to evaluate against a request context."""

    __slots__ = (
        "key",
        "operator",
        "qualifier",
        "negated",
        "test",
        "null_values",
        "clause",
        "variables",
        "when_missing",
    )

    def __init__(self, clause: ConditionClause, variables: bool) -> None:
        operator = parse_operator(clause.operator)
        assert operator is not None  # INVARIANT: validated when the policy was parsed
        self.clause = clause
        self.key = clause.key.lower()
        self.operator = operator
        self.qualifier = operator.qualifier
        self.negated = operator.negated
        self.null_values = frozenset(v.lower() for v in clause.values)
        substitutes = variables and (operator.base.startswith("String") or operator.base.startswith("Arn"))
        self.variables: tuple[Variable, ...] = tuple(
            t for v in clause.values if substitutes and "${" in v for t in tokenize(v) if isinstance(t, Variable)
        )
        self.test: ValueTest | None = (
            None if operator.base == "Null" else _value_test(operator.base, clause.values, variables)
        )
        # The result when the key is missing (or empty), per the module docstring.
        if operator.qualifier == "ForAllValues" or operator.if_exists:
            self.when_missing = True
        elif operator.qualifier == "ForAnyValue":
            self.when_missing = False
        else:
            self.when_missing = self.negated

    def __call__(self, context: Context, missing: list[str] | None = None) -> bool:
        values = context.get(self.key)
        test = self.test
        if test is None:  # Null
            absent = not values
            return ("true" in self.null_values and absent) or ("false" in self.null_values and not absent)
        if not values:
            if missing is not None:
                missing.append(self.clause.key)
            return self.when_missing
        if self.variables and missing is not None:
            # A value whose variable has none matches nothing (``_exact``, ``compile_glob``):
            # noted as a context key the request lacks (the simulator's MissingContextValues).
            missing.extend(unresolved(self.variables, context))
        qualifier = self.qualifier
        if qualifier is None:
            if type(values) is ValueList:
                return self.negated  # a multivalued key needs a set operator to match
            for value in values:
                if test(value, context):
                    return not self.negated
            return self.negated
        present = [v for v in values if v]  # an empty string is an empty set (module docstring)
        if not present:
            return self.when_missing
        if self.negated:
            per_value = [not test(v, context) for v in present]
        else:
            per_value = [test(v, context) for v in present]
        return all(per_value) if qualifier == "ForAllValues" else any(per_value)

    def __repr__(self) -> str:
        return f"CompiledCondition({self.clause!r})"

"""A Date condition's value as IAM reads it (``policy.conditions.parse_date``): Joda-Time's
ISODateTimeFormat.dateTimeParser() (its documented grammar: "date-opt-time" or "time"; a
fraction is of the last unit written; an offset is ``Z`` or ``+HH[[:]mm]`` and follows a
``T``), or an epoch number within a Java long. Recorded from AWS: IAM saves "01T" and
"2016-12-13t2:00:00.593194+23" and refuses 9223372036854775808 (LocalStack's
tests/aws/services/iam/test_iam_policies.snapshot.json, valid-30, valid-36, invalid-75)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from iamsandbox.policy.conditions import parse_date


@pytest.mark.parametrize(
    "text",
    [
        "2019-07-01T13:20:15Z",
        "2020-06-01T12:00:00+02:00",
        "2016-12-13T21:20:37.593194+00:00",
        "2020-02-29",
        "1999-12-31T23:59:59.5-05:00",
    ],
)
def test_ordinary_iso_dates_read_as_python_reads_them(text: str) -> None:
    moment = datetime.fromisoformat(text)
    assert parse_date(text) == (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("01T", datetime.fromisoformat("0001-01-01T00:00:00+00:00").timestamp()),  # valid-30
        ("2016-12-13t2:00:00.593194+23", datetime.fromisoformat("2016-12-13T02:00:00.593194+23:00").timestamp()),
        ("2020-01-01T10.5Z", datetime.fromisoformat("2020-01-01T10:30:00+00:00").timestamp()),  # of the hour
        ("2020-01-01T10:15.5Z", datetime.fromisoformat("2020-01-01T10:15:30+00:00").timestamp()),  # of the minute
        ("2020-W01-1", datetime.fromisoformat("2019-12-30T00:00:00+00:00").timestamp()),  # ISO week date
        ("2020-366", datetime.fromisoformat("2020-12-31T00:00:00+00:00").timestamp()),  # ordinal date
        ("T10:00", 36000.0),  # "time" alone: on 1970-01-01
        ("1577836800", 1577836800.0),
        ("9223372036854775807", float(2**63 - 1)),
    ],
)
def test_the_lenient_forms_iam_saves(text: str, expected: float) -> None:
    assert parse_date(text) == pytest.approx(expected)


@pytest.mark.parametrize(
    "text",
    [
        "sdfdsf",  # invalid-65
        "9223372036854775808",  # invalid-75: past a Java long
        "1" * 5000,  # no ValueError from Python's digit limit
        "2020-01-01Z",  # an offset needs the T
        "2020-01-01-05",
        "T",
        "TZ",
        "t+05",
        "2020-01-01T10+5",  # an offset hour has two digits
        "2020-01-01T10:00:00.1234567891Z",  # at most nine fraction digits
        "2021-W53",  # 2021 has 52 ISO weeks
        "2021-366",
        "2020-02-30",
        "2020-13-01",
        "2020-01-01T24:00",
        "",
    ],
)
def test_what_iam_refuses(text: str) -> None:
    assert parse_date(text) is None

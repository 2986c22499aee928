"""Timestamps on the wire, in the three ``timestampFormat`` forms of AWS's models, read and
written the same way by the query protocol (IAM, STS) and REST-XML (S3).

- ``iso8601``: ``2026-11-27T20:41:10Z`` in UTC. The query services write milliseconds only
  when there are any; S3 always writes them (``2026-11-27T20:41:10.000Z``), so writing
  takes ``milliseconds=True`` for it. Milliseconds are truncated, not rounded.
- ``rfc822``: an HTTP date (RFC 7231 IMF-fixdate, ``Fri, 27 Nov 2026 20:41:10 GMT``), S3's
  header default; written in English whatever the locale.
- ``unixTimestamp``: epoch seconds, with up to three decimals.

Read timestamps are aware UTC datetimes. Written values are datetimes (a naive one is
taken to be UTC), or epoch numbers, or ISO 8601 text (both as S3's handlers may hand
them over). ISO 8601 is formatted from tables of two- and three-digit strings: several times cheaper
than ``strftime`` or ``isoformat`` of an aware datetime, and a listing writes one or two
per item (``xml.py`` inlines the same expression in its generated writers).
"""

from __future__ import annotations

import calendar
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
TWO_DIGITS = tuple(f"{number:02d}" for number in range(100))
THREE_DIGITS = tuple(f"{number:03d}" for number in range(1000))
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def parse_timestamp(text: str, timestamp_format: str | None = None) -> datetime:
    """A timestamp in the model's ``timestampFormat`` (ISO 8601 when None), as an aware UTC
    datetime. Raises ValueError when ``text`` is not one."""
    try:
        if timestamp_format == "unixTimestamp":
            return datetime.fromtimestamp(float(text), UTC)
        if timestamp_format == "rfc822":
            value = parsedate_to_datetime(text)
        else:
            if text[-1:] == "z":  # RFC 3339 allows a lower-case z; fromisoformat does not
                text = text[:-1] + "Z"
            value = datetime.fromisoformat(text)
    except (ValueError, TypeError, OverflowError, OSError, IndexError):
        raise ValueError(f"not a timestamp: {text!r}") from None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def as_utc(value: Any) -> datetime:
    """A value to write as a timestamp, as a UTC datetime (naive or aware)."""
    if isinstance(value, datetime):
        tz = value.tzinfo
        if tz is None or tz is UTC:
            return value
        return value.astimezone(UTC)
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, UTC)
    return parse_timestamp(str(value))


def iso8601(value: Any, milliseconds: bool = False) -> str:
    """``2026-11-27T20:41:10Z``; ``.123`` before the ``Z`` when there are milliseconds, or
    always when ``milliseconds``."""
    if value.__class__ is not datetime or (value.tzinfo is not None and value.tzinfo is not UTC):
        value = as_utc(value)
    text = _seconds(value)
    micro = value.microsecond
    if micro or milliseconds:
        return f"{text}.{THREE_DIGITS[micro // 1000]}Z"
    return text + "Z"


def iso8601_seconds(value: datetime) -> str:
    """``2026-11-27T20:41:10Z``, whole seconds whatever the microseconds (aws:CurrentTime,
    CloudTrail's eventTime)."""
    if value.tzinfo is not None and value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    return _seconds(value) + "Z"


def _seconds(value: datetime) -> str:
    """A UTC datetime to the second, without a zone: ``2026-11-27T20:41:10``."""
    if value.year < 1000:
        return "%04d" % value.year + value.isoformat()[4:19]  # noqa: UP031  # the rare case
    # Two-digit fields from a table: twice as fast as % or isoformat() of an aware datetime.
    return (
        f"{value.year}-{TWO_DIGITS[value.month]}-{TWO_DIGITS[value.day]}T{TWO_DIGITS[value.hour]}:"
        f"{TWO_DIGITS[value.minute]}:{TWO_DIGITS[value.second]}"
    )


def rfc822(value: Any) -> str:
    """``Fri, 27 Nov 2026 20:41:10 GMT``."""
    moment = as_utc(value)
    return "%s, %02d %s %04d %02d:%02d:%02d GMT" % (  # noqa: UP031  # % is the fastest here
        _DAYS[moment.weekday()],
        moment.day,
        MONTHS[moment.month - 1],
        moment.year,
        moment.hour,
        moment.minute,
        moment.second,
    )


def unix(value: Any) -> str:
    """Epoch seconds: ``1795639270``, or ``1795639270.5`` with milliseconds."""
    moment = as_utc(value)
    seconds = calendar.timegm(moment.utctimetuple())
    total = seconds * 1000 + moment.microsecond // 1000  # milliseconds, exact
    whole, millis = divmod(abs(total), 1000)
    if not millis:
        return str(total // 1000)
    return f"{'-' if total < 0 else ''}{whole}.{millis:03d}".rstrip("0")


def format_timestamp(value: Any, timestamp_format: str | None, milliseconds: bool = False) -> str:
    """``value`` in a model's ``timestampFormat`` (ISO 8601 when None)."""
    if timestamp_format == "unixTimestamp":
        return unix(value)
    if timestamp_format == "rfc822":
        return rfc822(value)
    if timestamp_format is None or timestamp_format == "iso8601":
        return iso8601(value, milliseconds)
    raise ValueError(f"unknown timestamp format {timestamp_format!r}")

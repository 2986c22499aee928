"""SigV4's arithmetic: the canonical request, the string to sign, the signing key, and
the ``X-Amz-Date`` form of a time. Pure functions of their arguments (plus a key cache the
caller owns); no errors of AWS's are raised here.

AWS pages: "Create a signed AWS API request" and "Elements of an AWS API request
signature" (IAM User Guide, ``reference_sigv-create-signed-request.html``); S3 API
Reference "Signature calculations for the Authorization header"
(``sig-v4-header-based-auth.html``): S3 encodes the path once and does not normalize it.

Speed: a query key or value, or a path, that is already canonical (the common case:
botocore sends them so) is recognized by one regular expression and kept as it is; the
percent-decoding is ``protocol.percent``'s.
"""

from __future__ import annotations

import calendar
import hashlib
import hmac
import re
import time
from collections.abc import Sequence
from datetime import datetime
from email.utils import parsedate_tz
from typing import Any, NamedTuple
from urllib.parse import quote_from_bytes, unquote_to_bytes

from ..protocol.http import header_text
from ..protocol.percent import percent_decode

ALGORITHM = "AWS4-HMAC-SHA256"
UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"
STREAMING_SIGNED = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
STREAMING_SIGNED_TRAILER = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"
STREAMING_UNSIGNED_TRAILER = "STREAMING-UNSIGNED-PAYLOAD-TRAILER"
PAYLOAD_MODES = frozenset({UNSIGNED_PAYLOAD, STREAMING_SIGNED, STREAMING_SIGNED_TRAILER, STREAMING_UNSIGNED_TRAILER})
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()

MAX_SKEW_SECONDS = 15 * 60
_EPOCH = datetime(1970, 1, 1)

_HEX = frozenset("0123456789abcdef")
_UNRESERVED = b"-_.~"  # with ASCII letters and digits, which quote_from_bytes always keeps
# Already in canonical form: unreserved characters and upper-case %XX escapes of bytes that
# are not unreserved (decoding and re-encoding such a string gives it back unchanged).
# (Runs of unreserved characters between escapes: a character class under * is one fast
# loop in the regex engine, an alternation per character is not.)
_CANONICAL = re.compile(
    r"[A-Za-z0-9\-_.~]*(?:%(?!3[0-9]|4[1-9A-F]|5[0-9AF]|6[1-9A-F]|7[0-9AE]|2[DE])[0-9A-F]{2}[A-Za-z0-9\-_.~]*)*"
)
_CANONICAL_PATH = re.compile(r"[A-Za-z0-9\-_.~/]*")
# A path whose every segment is already canonical (S3's: encoded once).
_CANONICAL_SEGMENTS = re.compile(
    r"[A-Za-z0-9\-_.~/]*(?:%(?!3[0-9]|4[1-9A-F]|5[0-9AF]|6[1-9A-F]|7[0-9AE]|2[DE])[0-9A-F]{2}[A-Za-z0-9\-_.~/]*)*"
)


class CredentialScope(NamedTuple):
    """``date/region/service/aws4_request``: the part of the credential after the key id.
    (A NamedTuple, as the other per-request values of SigV4: built per request, and a
    frozen dataclass costs several times more to build.)"""

    date: str
    region: str
    service: str

    def __str__(self) -> str:
        return f"{self.date}/{self.region}/{self.service}/aws4_request"


class SigningKeyCache:
    """Derived signing keys by (secret, date, region, service); bounded, oldest out first.

    Owned by the caller (the app object), so no module holds mutable state. A key is
    valid for one day and one scope; deriving one costs four HMACs.
    """

    __slots__ = ("_keys", "maxsize", "presigned")

    def __init__(self, maxsize: int = 1024) -> None:
        self.maxsize = maxsize
        self._keys: dict[tuple[str, str, str, str], bytes] = {}
        # S3 presigned URLs already verified (``sigv4.verify_request``), by the request
        # parts their signature covers; a URL handed out is often fetched many times.
        self.presigned: dict[tuple[str, str, str], Any] = {}

    def signing_key(self, secret: str, date: str, region: str, service: str) -> bytes:
        cache_key = (secret, date, region, service)
        key = self._keys.get(cache_key)
        if key is None:
            key = derive_signing_key(secret, date, region, service)
            if len(self._keys) >= self.maxsize:
                del self._keys[next(iter(self._keys))]
            self._keys[cache_key] = key
        return key

    def __len__(self) -> int:
        return len(self._keys)

    def __repr__(self) -> str:
        return f"SigningKeyCache({len(self._keys)}/{self.maxsize} keys)"


def derive_signing_key(secret: str, date: str, region: str, service: str) -> bytes:
    k_date = hmac.digest(("AWS4" + secret).encode("utf-8"), date.encode("utf-8"), "sha256")
    k_region = hmac.digest(k_date, region.encode("utf-8"), "sha256")
    k_service = hmac.digest(k_region, service.encode("utf-8"), "sha256")
    return hmac.digest(k_service, b"aws4_request", "sha256")


def sign(signing_key: bytes, string_to_sign: str) -> str:
    return hmac.digest(signing_key, string_to_sign.encode("utf-8"), "sha256").hex()


# --------------------------------------------------------------------------- dates


def parse_amz_date(value: str) -> int | None:
    """``YYYYMMDDTHHMMSSZ`` as epoch seconds, or None if it is not one."""
    if len(value) != 16 or value[8] != "T" or value[15] != "Z":
        return None
    day, time_of_day = value[:8], value[9:15]
    if not (day.isascii() and day.isdigit() and time_of_day.isascii() and time_of_day.isdigit()):
        return None
    year, month_day = divmod(int(day), 10000)
    hours, minutes_seconds = divmod(int(time_of_day), 10000)
    try:
        moment = datetime(year, *divmod(month_day, 100), hours, *divmod(minutes_seconds, 100))
    except ValueError:
        return None
    since = moment - _EPOCH  # naive arithmetic: cheaper than timestamp() of an aware datetime
    return since.days * 86400 + since.seconds


def format_amz_date(epoch: int) -> str:
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(epoch))


def iso_seconds(epoch: int) -> str:
    """``2026-09-15T13:37:03Z``: an expired presigned URL's Expires and ServerTime."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def http_date_to_amz(value: str) -> str | None:
    """An RFC 7231 ``Date`` header as ``YYYYMMDDTHHMMSSZ``."""
    try:
        parsed = parsedate_tz(value)
    except (TypeError, ValueError, IndexError):
        return None
    if parsed is None:
        return None
    try:
        epoch = calendar.timegm(parsed[:6] + (0, 0, 0)) - (parsed[9] or 0)
        return format_amz_date(epoch)
    except (OverflowError, ValueError, OSError):
        return None


# --------------------------------------------------------------------------- canonical request


def _to_bytes(text: str) -> bytes:
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass")


def uri_encode(text: str | bytes, safe: bytes = b"") -> str:
    """AWS's UriEncode: every byte but ``A-Za-z0-9-_.~`` (and ``safe``) as ``%XX``."""
    data = text if isinstance(text, bytes) else _to_bytes(text)
    return quote_from_bytes(data, _UNRESERVED + safe)


def normalize_path(path: str) -> str:
    """Remove ``.`` and ``..`` segments and empty segments (RFC 3986 5.2.4, as AWS does)."""
    if not path:
        return "/"
    out: list[str] = []
    for segment in path.split("/"):
        if not segment or segment == ".":
            continue
        if segment == "..":
            if out:
                out.pop()
        else:
            out.append(segment)
    result = "/" + "/".join(out)
    if path.endswith("/") and out:
        result += "/"
    return result


def _decode(raw: str) -> str:
    if "%" not in raw:
        return raw
    return percent_decode(raw, errors="surrogateescape")


def _canon(raw: str) -> str:
    """One query key or value, or one S3 path segment, percent-encoded exactly once."""
    if _CANONICAL.fullmatch(raw):
        return raw
    return uri_encode(unquote_to_bytes(raw))


def canonical_path(path: str, *, normalize: bool, double_encode: bool) -> str:
    """The canonical URI of ``path`` as received (percent-encoded by the client).

    Non-S3 services normalize the path and encode it again, so the client's ``%3D``
    becomes ``%253D``. S3 does neither: its canonical path is the path encoded exactly
    once, so each segment is decoded and re-encoded (``$`` and ``%24`` both give ``%24``).
    """
    if not path:
        path = "/"
    if normalize:
        path = normalize_path(path)
    if _CANONICAL_PATH.fullmatch(path):
        return path
    if double_encode:
        return uri_encode(path, b"/")
    if _CANONICAL_SEGMENTS.fullmatch(path):
        return path
    return "/".join(_canon(segment) for segment in path.split("/"))


def parse_query(query: str) -> list[tuple[str, str]]:
    """The query string's (key, value) pairs in order, still percent-encoded."""
    if not query:
        return []
    pairs = []
    for piece in query.split("&"):
        if piece:
            key, _, value = piece.partition("=")
            pairs.append((key, value))
    return pairs


def query_params(pairs: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """Raw pairs percent-decoded (``+`` stays ``+``: SigV4 clients encode a space as %20)."""
    return [(_decode(key), _decode(value)) for key, value in pairs]


def canonical_query(pairs: Sequence[tuple[str, str]], *, exclude: Sequence[str] = ()) -> str:
    """The canonical query string of raw ``pairs``, leaving out the keys in ``exclude``."""
    fullmatch = _CANONICAL.fullmatch  # _canon, inlined: one call less per key and value
    encoded = []
    for key, value in pairs:
        if exclude and (_decode(key) if "%" in key else key) in exclude:
            continue
        encoded.append(
            (
                key if fullmatch(key) else uri_encode(unquote_to_bytes(key)),
                value if fullmatch(value) else uri_encode(unquote_to_bytes(value)),
            )
        )
    encoded.sort()  # by key, then value (not as "key=value" text: "a-b=" sorts before "a=")
    return "&".join([f"{key}={value}" for key, value in encoded])


def _trimall(value: str) -> str:
    # The common case: no whitespace but single ASCII spaces inside (isprintable is False
    # for every other character str.split splits on).
    if value.isprintable() and "  " not in value and value[:1] != " " and value[-1:] != " ":
        return value
    return " ".join(value.split())


def header_map(headers: Sequence[tuple[str, str]]) -> dict[str, list[str]]:
    """Lower-cased names to their values in the order received."""
    result: dict[str, list[str]] = {}
    for name, value in headers:
        result.setdefault(name.lower(), []).append(value)
    return result


def _as_signed(value: str) -> str:
    """A header value as its client signed it (``header_text``; bytes that are no UTF-8 go
    back as they came): S3 takes a Content-Disposition with "é" and answers its bytes back
    (recorded from AWS in LocalStack's test_s3 snapshot, test_system_metadata_with_unicode)."""
    return header_text(value, "surrogateescape")


def canonical_headers(headers: dict[str, list[str]], signed: Sequence[str]) -> str:
    lines = []
    for name in signed:
        values = headers.get(name)
        if values is None:
            lines.append(f"{name}:\n")
        elif len(values) == 1:
            value = values[0]
            lines.append(f"{name}:{_trimall(value if value.isascii() else _as_signed(value))}\n")
        else:
            lines.append(f"{name}:{','.join([_trimall(_as_signed(value)) for value in values])}\n")
    return "".join(lines)


def canonical_request(
    method: str,
    path: str,
    query: str,
    headers: dict[str, list[str]],
    signed_headers: Sequence[str],
    payload_hash: str,
) -> str:
    """Assemble the canonical request from already canonical path and query."""
    return "\n".join(
        (
            method,
            path,
            query,
            canonical_headers(headers, signed_headers),
            ";".join(signed_headers),
            payload_hash,
        )
    )


def string_to_sign(amz_date: str, scope: CredentialScope, creq: str) -> str:
    try:
        data = creq.encode("utf-8", "surrogateescape")  # a header's bytes that are no UTF-8, as sent
    except UnicodeEncodeError:
        data = creq.encode("utf-8", "surrogatepass")
    return f"{ALGORITHM}\n{amz_date}\n{scope}\n{hashlib.sha256(data).hexdigest()}"

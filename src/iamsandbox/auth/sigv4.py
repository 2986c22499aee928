"""SigV4 verification: the canonical request, the string to sign, the signing key.

Pure: no server, no store. The caller hands over the request as received and a
``lookup(access_key_id) -> secret | None`` callback; :func:`verify_request` answers with an
:class:`Authenticated` value or raises the ``ServiceError`` AWS would answer with.

AWS pages implemented:

- "Create a signed AWS API request" and "Elements of an AWS API request signature"
  (IAM User Guide, ``reference_sigv-create-signed-request.html``): canonical request,
  string to sign, signing key, header and query-string forms.
- S3 API Reference "Signature calculations for the Authorization header"
  (``sig-v4-header-based-auth.html``) and "Authenticating requests: Using query
  parameters" (``sigv4-query-string-auth.html``): S3 encodes the path once and does not
  normalize it, the payload hash comes from ``x-amz-content-sha256``, a presigned URL
  signs ``UNSIGNED-PAYLOAD`` and lives at most 604800 seconds.

Two dialects of errors, chosen by the service the request was routed to: the query
services (IAM, STS) answer ``IncompleteSignature`` / ``InvalidClientTokenId`` /
``SignatureDoesNotMatch`` and say "Signature expired" on clock skew; S3 answers
``AuthorizationHeaderMalformed`` / ``AuthorizationQueryParametersError`` /
``InvalidAccessKeyId`` / ``RequestTimeTooSkewed`` / ``AccessDenied``. The messages are
AWS's words; which of them were seen in recorded AWS responses and which are recalled is
listed in ``tests/auth/README.md``.

Known gaps: SigV4A (``AWS4-ECDSA-P256-SHA256``) and SigV2 are refused, not verified. S3's
``SignatureDoesNotMatch`` body fields (``StringToSign``, ``CanonicalRequest``) are kept
on the exception as attributes, not in the message. The session token is passed through
(:attr:`Authenticated.security_token`); validating it is ``auth/session_token``'s job.
"""

from __future__ import annotations

import calendar
import hashlib
import hmac
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_tz
from urllib.parse import quote_from_bytes, unquote_to_bytes

from ..errors import (
    AccessDenied,
    AuthorizationHeaderMalformed,
    AuthorizationQueryParametersError,
    IncompleteSignature,
    InvalidAccessKeyId,
    InvalidArgument,
    InvalidClientTokenId,
    InvalidRequest,
    MissingAuthenticationToken,
    RequestTimeTooSkewed,
    ServiceError,
    SignatureDoesNotMatch,
    XAmzContentSHA256Mismatch,
)

ALGORITHM = "AWS4-HMAC-SHA256"
UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"
STREAMING_SIGNED = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
STREAMING_SIGNED_TRAILER = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"
STREAMING_UNSIGNED_TRAILER = "STREAMING-UNSIGNED-PAYLOAD-TRAILER"
PAYLOAD_MODES = frozenset({UNSIGNED_PAYLOAD, STREAMING_SIGNED, STREAMING_SIGNED_TRAILER, STREAMING_UNSIGNED_TRAILER})
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()

MAX_SKEW_SECONDS = 15 * 60
MAX_PRESIGNED_EXPIRES = 604800  # seven days: sigv4-query-string-auth.html
PRESIGN_PARAMS = (
    "X-Amz-Algorithm",
    "X-Amz-Credential",
    "X-Amz-Signature",
    "X-Amz-Date",
    "X-Amz-SignedHeaders",
    "X-Amz-Expires",
)

Lookup = Callable[[str], "str | None"]

_HEX = frozenset("0123456789abcdef")
_UNRESERVED = b"-_.~"  # with ASCII letters and digits, which quote_from_bytes always keeps
# Already in canonical form: unreserved characters and upper-case %XX escapes of bytes that
# are not unreserved (decoding and re-encoding such a string gives it back unchanged).
_CANONICAL = re.compile(r"(?:[A-Za-z0-9\-_.~]|%(?!3[0-9]|4[1-9A-F]|5[0-9AF]|6[1-9A-F]|7[0-9AE]|2[DE])[0-9A-F]{2})*")
_CANONICAL_PATH = re.compile(r"[A-Za-z0-9\-_.~/]*")


# --------------------------------------------------------------------------- values


@dataclass(frozen=True, slots=True)
class CredentialScope:
    """``date/region/service/aws4_request``: the part of the credential after the key id."""

    date: str
    region: str
    service: str

    def __str__(self) -> str:
        return f"{self.date}/{self.region}/{self.service}/aws4_request"


@dataclass(frozen=True, slots=True)
class Authenticated:
    """What a verified request proves: who signed it, for which scope, with which headers.

    ``signature`` and ``signing_key`` seed the verification of an aws-chunked body
    (:mod:`iamsandbox.auth.chunked`); they, and the session token, stay out of ``repr``.
    """

    access_key_id: str
    scope: CredentialScope
    amz_date: str
    request_time: int  # epoch seconds
    signed_headers: tuple[str, ...]
    presigned: bool
    payload_hash: str  # as signed: a hex SHA-256 or one of PAYLOAD_MODES
    expires: int | None = None  # X-Amz-Expires of a presigned URL
    security_token: str | None = field(default=None, repr=False)
    signature: str = field(default="", repr=False)
    signing_key: bytes = field(default=b"", repr=False)


class SigningKeyCache:
    """Derived signing keys by (secret, date, region, service); bounded, oldest out first.

    Owned by the caller (the app object), so no module holds mutable state. A key is
    valid for one day and one scope; deriving one costs four HMACs.
    """

    __slots__ = ("_keys", "maxsize")

    def __init__(self, maxsize: int = 1024) -> None:
        self.maxsize = maxsize
        self._keys: dict[tuple[str, str, str, str], bytes] = {}

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


# --------------------------------------------------------------------------- dialect errors


class _Dialect:
    """The wording of one family of services: the query services, or S3."""

    s3 = False

    def incomplete(self, message: str) -> ServiceError:
        return IncompleteSignature(message)

    def missing_params(self, missing: Sequence[str]) -> ServiceError:
        # Seen from AWS (e.g. aws/chalice#828, brendanhay/amazonka#316); AWS then echoes
        # "Authorization=<header>", which is left out here: it holds the signature.
        parts = [f"Authorization header requires '{name}' parameter." for name in missing]
        return IncompleteSignature(" ".join(parts))

    def malformed_credential(self, credential: str) -> ServiceError:
        return IncompleteSignature(
            "Credential must have exactly 5 slash-delimited elements, "
            f"e.g. keyid/date/region/service/term, got '{credential}'"
        )

    def unknown_key(self) -> ServiceError:
        return InvalidClientTokenId("The security token included in the request is invalid.")

    def mismatch(self) -> SignatureDoesNotMatch:
        return SignatureDoesNotMatch(
            "The request signature we calculated does not match the signature you provided. "
            "Check your AWS Secret Access Key and signing method. "
            "Consult the service documentation for details."
        )

    def no_date(self) -> ServiceError:
        return IncompleteSignature(
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."
        )

    def scope_date(self, scope_date: str, amz_date: str) -> ServiceError:
        return SignatureDoesNotMatch(
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: "
            f"'{scope_date}' != '{amz_date[:8]}', from '{amz_date}'."
        )

    def terminator(self, term: str) -> ServiceError:
        return SignatureDoesNotMatch(
            f"Credential should be scoped with a valid terminator: 'aws4_request', not '{term}'. "
        )

    def wrong_region(self, region: str, expected: str) -> ServiceError:
        return SignatureDoesNotMatch(f"Credential should be scoped to a valid region, not '{region}'. ")

    def wrong_service(self, service: str, expected: str) -> ServiceError:
        return SignatureDoesNotMatch(f"Credential should be scoped to correct service: '{expected}'. ")

    def skewed(self, amz_date: str, now: int) -> ServiceError:
        request_time = parse_amz_date(amz_date)
        if request_time is not None and request_time > now:
            return SignatureDoesNotMatch(
                f"Signature not yet current: {amz_date} is still later than "
                f"{format_amz_date(now + MAX_SKEW_SECONDS)} ({format_amz_date(now)} + 15 min.)"
            )
        return SignatureDoesNotMatch(
            f"Signature expired: {amz_date} is now earlier than "
            f"{format_amz_date(now - MAX_SKEW_SECONDS)} ({format_amz_date(now)} - 15 min.)"
        )

    def presign_missing(self, missing: Sequence[str]) -> ServiceError:
        return IncompleteSignature(
            f"AWS query-string parameters must include '{missing[0]}'. Re-examine the query-string parameters."
        )

    def presign_bad(self, message: str) -> ServiceError:
        return IncompleteSignature(message)

    def presign_expired(self, amz_date: str, expires: int, now: int) -> ServiceError:
        return SignatureDoesNotMatch(
            f"Signature expired: {amz_date} is now earlier than "
            f"{format_amz_date(now - expires)} ({format_amz_date(now)} - {expires} sec.)"
        )

    def presign_not_yet(self, amz_date: str, now: int) -> ServiceError:
        return self.skewed(amz_date, now)


class _S3Dialect(_Dialect):
    s3 = True

    def incomplete(self, message: str) -> ServiceError:
        return AuthorizationHeaderMalformed(f"The authorization header is malformed; {message}")

    def missing_params(self, missing: Sequence[str]) -> ServiceError:
        return AuthorizationHeaderMalformed(
            "The authorization header is malformed; the authorization header requires three components: "
            "Credential, SignedHeaders, and Signature."
        )

    def malformed_credential(self, credential: str) -> ServiceError:
        return AuthorizationHeaderMalformed(
            "The authorization header is malformed; the Credential is mal-formed; "
            'expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".'
        )

    def unknown_key(self) -> ServiceError:
        return InvalidAccessKeyId("The AWS Access Key Id you provided does not exist in our records.")

    def mismatch(self) -> SignatureDoesNotMatch:
        return SignatureDoesNotMatch(
            "The request signature we calculated does not match the signature you provided. "
            "Check your key and signing method."
        )

    def no_date(self) -> ServiceError:
        return AccessDenied("AWS authentication requires a valid Date or x-amz-date header")

    def scope_date(self, scope_date: str, amz_date: str) -> ServiceError:
        return AuthorizationHeaderMalformed(
            "The authorization header is malformed; Invalid credential date. Date is not the same as X-Amz-Date."
        )

    def terminator(self, term: str) -> ServiceError:
        return self.malformed_credential(term)

    def wrong_region(self, region: str, expected: str) -> ServiceError:
        err = AuthorizationHeaderMalformed(
            f"The authorization header is malformed; the region '{region}' is wrong; expecting '{expected}'"
        )
        err.region = expected  # type: ignore[attr-defined]  # S3 adds <Region> to the error body
        return err

    def wrong_service(self, service: str, expected: str) -> ServiceError:
        return AuthorizationHeaderMalformed(
            f'The authorization header is malformed; incorrect service "{service}". '
            f'This endpoint belongs to "{expected}".'
        )

    def skewed(self, amz_date: str, now: int) -> ServiceError:
        return RequestTimeTooSkewed("The difference between the request time and the current time is too large.")

    def presign_missing(self, missing: Sequence[str]) -> ServiceError:
        return AuthorizationQueryParametersError(
            "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, "
            "X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters."
        )

    def presign_bad(self, message: str) -> ServiceError:
        return AuthorizationQueryParametersError(message)

    def presign_expired(self, amz_date: str, expires: int, now: int) -> ServiceError:
        return AccessDenied("Request has expired")

    def presign_not_yet(self, amz_date: str, now: int) -> ServiceError:
        return AccessDenied("Request is not valid yet")


_QUERY = _Dialect()
_S3 = _S3Dialect()


# --------------------------------------------------------------------------- dates


def parse_amz_date(value: str) -> int | None:
    """``YYYYMMDDTHHMMSSZ`` as epoch seconds, or None if it is not one."""
    if len(value) != 16 or value[8] != "T" or value[15] != "Z":
        return None
    digits = value[:8] + value[9:15]
    if not digits.isascii() or not digits.isdigit():
        return None
    try:
        moment = datetime(
            int(value[0:4]),
            int(value[4:6]),
            int(value[6:8]),
            int(value[9:11]),
            int(value[11:13]),
            int(value[13:15]),
            tzinfo=UTC,
        )
    except ValueError:
        return None
    return int(moment.timestamp())


def format_amz_date(epoch: int) -> str:
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(epoch))


def _http_date_to_amz(value: str) -> str | None:
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
    return unquote_to_bytes(raw).decode("utf-8", "surrogateescape")


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
    return "/".join(_canon(segment) for segment in path.split("/"))


def parse_query(query: str) -> list[tuple[str, str]]:
    """The query string's (key, value) pairs in order, still percent-encoded."""
    if not query:
        return []
    return [(key, value) for key, _, value in (piece.partition("=") for piece in query.split("&") if piece)]


def query_params(pairs: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """Raw pairs percent-decoded (``+`` stays ``+``: SigV4 clients encode a space as %20)."""
    return [(_decode(key), _decode(value)) for key, value in pairs]


def canonical_query(pairs: Sequence[tuple[str, str]], *, exclude: Sequence[str] = ()) -> str:
    """The canonical query string of raw ``pairs``, leaving out the keys in ``exclude``."""
    encoded = sorted((_canon(k), _canon(v)) for k, v in pairs if not exclude or _decode(k) not in exclude)
    return "&".join([f"{k}={v}" for k, v in encoded])


def _trimall(value: str) -> str:
    return " ".join(value.split())


def header_map(headers: Sequence[tuple[str, str]]) -> dict[str, list[str]]:
    """Lower-cased names to their values in the order received."""
    result: dict[str, list[str]] = {}
    for name, value in headers:
        result.setdefault(name.lower(), []).append(value)
    return result


def canonical_headers(headers: dict[str, list[str]], signed: Sequence[str]) -> str:
    return "".join(f"{name}:{','.join(_trimall(v) for v in headers.get(name, ()))}\n" for name in signed)


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
    return f"{ALGORITHM}\n{amz_date}\n{scope}\n{hashlib.sha256(creq.encode('utf-8', 'surrogatepass')).hexdigest()}"


# --------------------------------------------------------------------------- parsing the two forms


@dataclass(frozen=True, slots=True)
class _Claim:
    """What the request claims: key, scope, date, signed headers and the signature."""

    access_key_id: str
    scope: CredentialScope
    amz_date: str
    signed_headers: tuple[str, ...]
    signature: str = field(repr=False)
    presigned: bool
    expires: int | None
    security_token: str | None = field(repr=False)
    request_time: int = 0


def _parse_credential(credential: str, d: _Dialect, *, presigned: bool) -> tuple[str, CredentialScope]:
    parts = credential.split("/")
    if len(parts) != 5 or not all(parts[:4]):
        if presigned and d.s3:
            raise d.presign_bad(
                "Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; "
                'expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".'
            )
        raise d.malformed_credential(credential)
    if parts[4] != "aws4_request":
        raise d.terminator(parts[4])
    return parts[0], CredentialScope(parts[1], parts[2], parts[3])


def _parse_signed_headers(value: str) -> tuple[str, ...]:
    return tuple(name.strip().lower() for name in value.split(";") if name.strip())


def parse_authorization(value: str, d: _Dialect) -> tuple[str, CredentialScope, tuple[str, ...], str]:
    """``AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...`` into its parts."""
    algorithm, _, rest = value.strip().partition(" ")
    if algorithm != ALGORITHM:
        if d.s3:
            raise InvalidRequest(
                "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256."
            )
        raise d.missing_params(("Credential", "Signature", "SignedHeaders"))
    fields: dict[str, str] = {}
    for part in rest.split(","):
        part = part.strip()
        if not part:
            continue
        name, eq, val = part.partition("=")
        if not eq:
            if d.s3:
                raise d.missing_params(())
            raise IncompleteSignature(
                f"'{name[:64]}' not a valid key=value pair (missing equal-sign) in Authorization header"
            )
        fields[name.strip()] = val.strip()
    missing = [name for name in ("Credential", "Signature", "SignedHeaders") if name not in fields]
    if missing:
        raise d.missing_params(missing)
    key_id, scope = _parse_credential(fields["Credential"], d, presigned=False)
    return key_id, scope, _parse_signed_headers(fields["SignedHeaders"]), fields["Signature"]


def _claim_from_header(authorization: str, headers: dict[str, list[str]], d: _Dialect) -> _Claim:
    key_id, scope, signed, signature = parse_authorization(authorization, d)
    amz_dates = headers.get("x-amz-date")
    if amz_dates:
        amz_date = amz_dates[0].strip()
    elif "date" in headers:
        converted = _http_date_to_amz(headers["date"][0])
        if converted is None:
            raise d.no_date()
        amz_date = converted
    else:
        raise d.no_date()
    request_time = parse_amz_date(amz_date)
    if request_time is None:
        raise d.no_date()
    tokens = headers.get("x-amz-security-token")
    return _Claim(key_id, scope, amz_date, signed, signature, False, None, tokens[0] if tokens else None, request_time)


def _claim_from_query(params: dict[str, str], d: _Dialect) -> _Claim:
    missing = [name for name in PRESIGN_PARAMS if name not in params]
    if missing:
        raise d.presign_missing(missing)
    if params["X-Amz-Algorithm"] != ALGORITHM:
        raise d.presign_bad('X-Amz-Algorithm only supports "AWS4-HMAC-SHA256 and AWS4-ECDSA-P256-SHA256"')
    key_id, scope = _parse_credential(params["X-Amz-Credential"], d, presigned=True)
    amz_date = params["X-Amz-Date"]
    request_time = parse_amz_date(amz_date)
    if request_time is None:
        raise d.presign_bad("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"")
    raw_expires = params["X-Amz-Expires"]
    if not raw_expires.isascii() or not raw_expires.lstrip("-").isdigit() or len(raw_expires) > 12:
        raise d.presign_bad("X-Amz-Expires should be a number")
    expires = int(raw_expires)
    if expires < 0:
        raise d.presign_bad("X-Amz-Expires must be non-negative")
    if expires > MAX_PRESIGNED_EXPIRES:
        raise d.presign_bad(
            "X-Amz-Expires must be less than a week (in seconds); that is, "
            "the given X-Amz-Expires must be less than 604800 seconds"
        )
    return _Claim(
        key_id,
        scope,
        amz_date,
        _parse_signed_headers(params["X-Amz-SignedHeaders"]),
        params["X-Amz-Signature"],
        True,
        expires,
        params.get("X-Amz-Security-Token"),
        request_time,
    )


# --------------------------------------------------------------------------- verification


def _epoch(now: datetime | float) -> int:
    if isinstance(now, datetime):
        return calendar.timegm(now.utctimetuple())
    return int(now)


def _is_sha256_hex(value: str) -> bool:
    return len(value) == 64 and set(value) <= _HEX


def verify_request(
    method: str,
    path: str,
    query: str,
    headers: Sequence[tuple[str, str]],
    *,
    service: str,
    lookup: Lookup,
    now: datetime | float,
    cache: SigningKeyCache,
    body: bytes | None = None,
    region: str | None = None,
    normalize_path: bool | None = None,
    double_encode: bool | None = None,
) -> Authenticated | None:
    """Verify a SigV4 request, in the Authorization header or presigned in the query.

    ``path`` and ``query`` are as received (still percent-encoded); ``headers`` are the
    (name, value) pairs as received; ``service`` is the service the request was routed
    to ("s3", "iam", "sts"): it picks the error wording and the canonicalization (S3:
    path encoded once and not normalized, payload hash from ``x-amz-content-sha256``;
    others: path normalized and encoded twice, payload hash of ``body``). ``region``,
    when given, is the one region the credential scope must name. For S3 with a
    hex ``x-amz-content-sha256``, ``body`` (when given) must hash to it; a streaming body
    is checked later (:mod:`iamsandbox.auth.chunked`, or by comparing
    :attr:`Authenticated.payload_hash`).

    Returns None for an S3 request that carries no signature at all (anonymous); a query
    service answers ``MissingAuthenticationToken`` instead.
    """
    d = _S3 if service == "s3" else _QUERY
    hmap = header_map(headers)
    params = parse_query(query)
    authorization = hmap.get("authorization")
    if authorization:
        claim = _claim_from_header(authorization[0], hmap, d)
    else:
        named = {k: v for k, v in query_params(params) if k.startswith("X-Amz-")}
        if not any(name in named for name in PRESIGN_PARAMS):
            if d.s3:
                return None
            raise MissingAuthenticationToken("Request is missing Authentication Token")
        claim = _claim_from_query(named, d)

    scope = claim.scope
    if scope.service != service:
        raise d.wrong_service(scope.service, service)
    if region is not None and scope.region != region:
        raise d.wrong_region(scope.region, region)
    if scope.date != claim.amz_date[:8]:
        raise d.scope_date(scope.date, claim.amz_date)

    now_s = _epoch(now)
    request_time = claim.request_time
    if not claim.presigned and abs(now_s - request_time) > MAX_SKEW_SECONDS:
        raise d.skewed(claim.amz_date, now_s)

    # Payload hash as signed.
    if d.s3:
        content_sha = hmap.get("x-amz-content-sha256")
        if claim.presigned:
            payload_hash = (
                content_sha[0].strip()
                if content_sha and "x-amz-content-sha256" in claim.signed_headers
                else UNSIGNED_PAYLOAD
            )
        elif not content_sha:
            raise InvalidRequest("Missing required header for this request: x-amz-content-sha256")
        else:
            payload_hash = content_sha[0].strip()
        if payload_hash not in PAYLOAD_MODES and not _is_sha256_hex(payload_hash):
            raise InvalidArgument(
                "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, "
                "STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, "
                "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER "
                "or a valid sha256 value."
            )
        if claim.presigned:
            unsigned = sorted(
                name
                for name in hmap
                if name.startswith("x-amz-") and name not in claim.signed_headers and name != "x-amz-content-sha256"
            )
            if unsigned:
                err = AccessDenied("There were headers present in the request which were not signed")
                err.headers_not_signed = ", ".join(unsigned)  # type: ignore[attr-defined]  # S3's HeadersNotSigned
                raise err
    else:
        payload_hash = hashlib.sha256(body or b"").hexdigest()

    secret = lookup(claim.access_key_id)
    if secret is None:
        raise d.unknown_key()

    if d.s3:
        norm = False if normalize_path is None else normalize_path
        double = False if double_encode is None else double_encode
    else:
        norm = True if normalize_path is None else normalize_path
        double = True if double_encode is None else double_encode
    c_path = canonical_path(path, normalize=norm, double_encode=double)
    creq = canonical_request(
        method,
        c_path,
        canonical_query(params, exclude=("X-Amz-Signature",) if claim.presigned else ()),
        hmap,
        claim.signed_headers,
        payload_hash,
    )
    sts = string_to_sign(claim.amz_date, scope, creq)
    signing_key = cache.signing_key(secret, scope.date, scope.region, scope.service)
    provided = claim.signature.encode("utf-8", "surrogatepass")
    # INVARIANT: the signature is compared in constant time, and only after every
    # check that does not depend on the secret.
    valid = "host" in claim.signed_headers and hmac.compare_digest(sign(signing_key, sts).encode("ascii"), provided)
    if not valid and claim.presigned and not d.s3 and claim.security_token is not None:
        # "Some services require that you include X-Amz-Security-Token in the canonical
        # (signed) request. For other services, you add this parameter at the end, after
        # you calculate the signature" (sigv4-add-signature-to-request.html); S3 signs it.
        without_token = canonical_query(params, exclude=("X-Amz-Signature", "X-Amz-Security-Token"))
        creq_without = canonical_request(method, c_path, without_token, hmap, claim.signed_headers, payload_hash)
        valid = "host" in claim.signed_headers and hmac.compare_digest(
            sign(signing_key, string_to_sign(claim.amz_date, scope, creq_without)).encode("ascii"), provided
        )
    if not valid:
        mismatch = d.mismatch()
        mismatch.access_key_id = claim.access_key_id  # type: ignore[attr-defined]  # S3's AWSAccessKeyId
        mismatch.string_to_sign = sts  # type: ignore[attr-defined]  # S3's StringToSign
        mismatch.canonical_request = creq  # type: ignore[attr-defined]  # S3's CanonicalRequest
        raise mismatch

    if claim.presigned:
        assert claim.expires is not None  # INVARIANT: _claim_from_query sets it
        if now_s > request_time + claim.expires:
            raise d.presign_expired(claim.amz_date, claim.expires, now_s)
        if request_time - now_s > MAX_SKEW_SECONDS:
            raise d.presign_not_yet(claim.amz_date, now_s)

    if d.s3 and body is not None and _is_sha256_hex(payload_hash):
        if not hmac.compare_digest(hashlib.sha256(body).hexdigest(), payload_hash):
            raise XAmzContentSHA256Mismatch(
                "The provided 'x-amz-content-sha256' header does not match what was computed."
            )

    return Authenticated(
        access_key_id=claim.access_key_id,
        scope=scope,
        amz_date=claim.amz_date,
        request_time=request_time,
        signed_headers=claim.signed_headers,
        presigned=claim.presigned,
        payload_hash=payload_hash,
        expires=claim.expires,
        security_token=claim.security_token,
        signature=claim.signature,
        signing_key=signing_key,
    )

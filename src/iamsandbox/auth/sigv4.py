"""SigV4 verification: the one entry point, :func:`verify_request`.

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

Modules: ``signing.py`` (canonical request, string to sign, signing key, dates),
``claim.py`` (the Authorization header's claim), ``presign.py`` (the query string's
claim and its lifetime), ``dialects.py`` (two wordings of the errors, the query services'
and S3's, chosen by the service the request was routed to), ``chunked.py`` (aws-chunked
bodies). This module re-exports the names callers and tests use.

S3's Signature Version 2 (header and presigned URL) is verified by ``sigv2.py``.

S3's ``SignatureDoesNotMatch`` body names the string to sign and the canonical request
(``dialects.S3Dialect.mismatch_detail``). An S3 request, header-signed or presigned, may
carry no ``x-amz-`` header its signature leaves out (``x-amz-content-sha256`` aside); one
whose ``Authorization`` header is empty is anonymous, as S3 takes it.

Known gaps: SigV4A (``AWS4-ECDSA-P256-SHA256``) is refused, not verified. The session token is passed through
(:attr:`Authenticated.security_token`); validating it is ``auth/session_token``'s job:
a ``lookup`` that finds the temporary credentials expired raises ``ExpiredToken``, which
comes out in the called service's words (``dialects.py``).
"""

from __future__ import annotations

import calendar
import hashlib
import hmac
import re
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import NamedTuple

from ..errors import (
    AccessDenied,
    ExpiredToken,
    InvalidArgument,
    InvalidRequest,
    InvalidToken,
    MissingAuthenticationToken,
    XAmzContentSHA256Mismatch,
)
from ..protocol.percent import percent_decode
from .claim import Claim, claim_from_header, parse_authorization
from .dialects import QUERY, S3, Dialect
from .presign import MAX_PRESIGNED_EXPIRES, PRESIGN_PARAMS, check_lifetime, claim_from_query
from .signing import (
    ALGORITHM,
    EMPTY_SHA256,
    MAX_SKEW_SECONDS,
    PAYLOAD_MODES,
    STREAMING_SIGNED,
    STREAMING_SIGNED_TRAILER,
    STREAMING_UNSIGNED_TRAILER,
    UNSIGNED_PAYLOAD,
    CredentialScope,
    SigningKeyCache,
    canonical_headers,
    canonical_path,
    canonical_query,
    canonical_request,
    derive_signing_key,
    format_amz_date,
    header_map,
    normalize_path,
    parse_amz_date,
    parse_query,
    query_params,
    sign,
    string_to_sign,
    uri_encode,
)
from .sigv2 import SIGNATURE_VERSION as V2_SIGNATURE_VERSION
from .sigv2 import is_v2, verify_v2

__all__ = [
    "ALGORITHM",
    "EMPTY_SHA256",
    "MAX_PRESIGNED_EXPIRES",
    "MAX_SKEW_SECONDS",
    "PAYLOAD_MODES",
    "PRESIGN_PARAMS",
    "STREAMING_SIGNED",
    "STREAMING_SIGNED_TRAILER",
    "STREAMING_UNSIGNED_TRAILER",
    "UNSIGNED_PAYLOAD",
    "Authenticated",
    "CredentialScope",
    "Lookup",
    "SigningKeyCache",
    "canonical_headers",
    "canonical_path",
    "canonical_query",
    "canonical_request",
    "check_payload_hash",
    "derive_signing_key",
    "format_amz_date",
    "header_map",
    "key_secret",
    "normalize_path",
    "parse_amz_date",
    "parse_authorization",
    "parse_query",
    "query_params",
    "sign",
    "string_to_sign",
    "uri_encode",
    "verify_request",
]

Lookup = Callable[[str], "str | None"]

_HEX = frozenset("0123456789abcdef")
# Query parameters that sign a request (SigV4's and SigV2's presigned URLs).
_QUERY_AUTH = frozenset({"X-Amz-Algorithm", "X-Amz-Signature", "Signature"})
# AccessKeyId in the IAM API Reference: [\w]+ of at most 128 characters (AWS's are upper case
# letters and digits).
_KEY_ID = re.compile(r"\w{1,128}", re.ASCII)


class Authenticated(NamedTuple):
    """What a verified request proves: who signed it, for which scope, with which headers.

    ``signature`` and ``signing_key`` seed the verification of an aws-chunked body
    (:mod:`iamsandbox.auth.chunked`); they, and the session token, stay out of ``repr``.
    (A NamedTuple: one is built per request, and a frozen dataclass costs several
    times more to build.)
    """

    access_key_id: str
    scope: CredentialScope
    amz_date: str
    request_time: int  # epoch seconds
    signed_headers: tuple[str, ...]
    presigned: bool
    payload_hash: str  # as signed: a hex SHA-256 or one of PAYLOAD_MODES
    expires: int | None = None  # X-Amz-Expires of a presigned URL
    security_token: str | None = None
    signature: str = ""
    signing_key: bytes = b""
    version: str = ALGORITHM  # s3:signatureversion: "AWS4-HMAC-SHA256", or "AWS" (``sigv2``)

    def __repr__(self) -> str:  # the token, the signature and the signing key stay out
        return (
            f"Authenticated(access_key_id={self.access_key_id!r}, scope={self.scope!r}, "
            f"amz_date={self.amz_date!r}, request_time={self.request_time!r}, "
            f"signed_headers={self.signed_headers!r}, presigned={self.presigned!r}, "
            f"payload_hash={self.payload_hash!r}, expires={self.expires!r})"
        )


def _verified_v2(
    method: str,
    path: str,
    query: str,
    params: Sequence[tuple[str, str]],
    hmap: dict[str, list[str]],
    virtual_bucket: str | None,
    lookup: Lookup,
    now: datetime | float,
    d: Dialect,
) -> Authenticated:
    signed = verify_v2(
        method,
        path,
        query,
        params,
        hmap,
        virtual_bucket=virtual_bucket,
        lookup=lambda access_key_id: key_secret(lookup, access_key_id, d),
        now=_epoch(now),
    )
    return Authenticated(
        access_key_id=signed.access_key_id,
        scope=CredentialScope("", "us-east-1", "s3"),
        amz_date="",
        request_time=_epoch(now),
        signed_headers=(),
        presigned=signed.presigned,
        payload_hash=UNSIGNED_PAYLOAD,
        security_token=signed.security_token,
        version=V2_SIGNATURE_VERSION,
    )


def _refuse_unsigned_headers(hmap: dict[str, list[str]], claim: Claim) -> None:
    """An S3 request may carry no x-amz- header its signature leaves out, presigned or
    signed in the Authorization header: "Any x-amz-* headers that you plan to include in
    your request must also be added" (S3 API Reference, "Signature Calculations for the
    Authorization Header"); S3's answer, 403 AccessDenied naming them in HeadersNotSigned
    (apache/arrow-rs-object-store#484: "x-amz-meta-s1, x-amz-tagging";
    badslug/Paw-AWSSignature4DynamicValue#4). x-amz-content-sha256 may go unsigned, as S3
    takes it (scality/Arsenal#2590 "In practice AWS does not require x-amz-content-sha256 to
    be signed", demarche-numerique/ds_proxy#164): it is the payload hash the canonical
    request ends with, signed that way."""
    unsigned = [
        name
        for name in hmap
        if name.startswith("x-amz-") and name not in claim.signed_headers and name != "x-amz-content-sha256"
    ]
    if unsigned:
        unsigned.sort()
        err = AccessDenied("There were headers present in the request which were not signed")
        raise err.with_fields({"HeadersNotSigned": ", ".join(unsigned)})


class _Presigned(NamedTuple):
    """An S3 presigned URL verified once: what its signature covered, and the result."""

    claim: Claim
    header_values: tuple[tuple[str, ...], ...]  # of the signed headers, as verified
    secret_hash: bytes  # SHA-256 of the secret it was verified with (never the secret)
    auth: Authenticated


_PRESIGNED_KEPT = 1024
_PRESIGNED_LONGEST_QUERY = 4096  # a presigned URL's query is ~0.5 KiB, ~2 KiB with a token


def _secret_hash(secret: str) -> bytes:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).digest()


def _signed_values(hmap: dict[str, list[str]], signed: Sequence[str]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(hmap.get(name, ())) for name in signed)


def _presigned_again(
    seen: _Presigned, hmap: dict[str, list[str]], lookup: Lookup, now: datetime | float, d: Dialect
) -> Authenticated | None:
    """The same presigned URL, fetched again: the checks that do not depend on the
    signature's inputs are made again (headers the signature leaves out, the key still
    active with the same secret, the URL's lifetime); None when the key's secret is not
    the one it was verified with (verified in full then)."""
    claim = seen.claim
    _refuse_unsigned_headers(hmap, claim)
    secret = key_secret(lookup, claim.access_key_id, d)
    if not hmac.compare_digest(_secret_hash(secret), seen.secret_hash):
        return None
    check_lifetime(claim, _epoch(now), d)
    return seen.auth


def check_payload_hash(body: bytes, payload_hash: str) -> None:
    """A signed S3 payload's hash against the body received: "Signed payload option – You
    include the payload hash when constructing the canonical request" ("Transferring Payload
    in a Single Chunk", S3 API Reference); a body changed after signing is refused in S3's
    words (XAmzContentSHA256Mismatch, with what each side computed; aws/aws-sdk-go#148).
    UNSIGNED-PAYLOAD and aws-chunked bodies (checked chunk by chunk) are no hash."""
    if not _is_sha256_hex(payload_hash):
        return
    computed = hashlib.sha256(body).hexdigest() if body else EMPTY_SHA256
    if not hmac.compare_digest(computed, payload_hash):
        raise XAmzContentSHA256Mismatch(
            "The provided 'x-amz-content-sha256' header does not match what was computed."
        ).with_fields({"ClientComputedContentSHA256": payload_hash, "S3ComputedContentSHA256": computed})


def key_secret(lookup: Lookup, access_key_id: str, d: Dialect) -> str:
    """The key's secret, or the error the service called answers: an expired or foreign
    session token, an unknown key (as is a key ID no key could have: the store is not
    asked about undecodable bytes)."""
    if not _KEY_ID.fullmatch(access_key_id):
        raise d.unknown_key(access_key_id)
    try:
        secret = lookup(access_key_id)
    except ExpiredToken:
        raise d.expired_token() from None  # in the words of the service called
    except InvalidToken:
        raise d.invalid_token() from None
    if secret is None:
        raise d.unknown_key(access_key_id)
    return secret


def _epoch(now: datetime | float) -> int:
    if isinstance(now, datetime):
        if now.tzinfo is not None:  # whole seconds, as timegm of the UTC time tuple, cheaper
            return int(now.timestamp())
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
    virtual_bucket: Callable[[], str | None] = lambda: None,
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
    service answers ``MissingAuthenticationToken`` instead. An S3 request signed with
    Signature Version 2 is verified by :mod:`iamsandbox.auth.sigv2` (``virtual_bucket``:
    the bucket a virtual-hosted request's Host names, which that signature covers).
    """
    d = S3 if service == "s3" else QUERY
    hmap = header_map(headers)
    authorization = hmap.get("authorization")
    if d.s3 and authorization is not None and not authorization[0].strip():
        # An empty Authorization header: S3 answers the request as an anonymous one
        # (403 AccessDenied "Access Denied" where anonymous access is not allowed; recorded
        # in storj/edge#142 and apache/ozone#2999).
        del hmap["authorization"]
        authorization = None
    # A presigned S3 URL fetched again? INVARIANT: an entry is made only by a verification
    # that succeeded, for the same method, path, query (signature included) and signed
    # header values.
    memo = None
    if d.s3 and authorization is None and body is None and len(query) <= _PRESIGNED_LONGEST_QUERY:
        memo = (method, path, query)
        seen = cache.presigned.get(memo)
        if seen is not None and seen.header_values == _signed_values(hmap, seen.claim.signed_headers):
            again = _presigned_again(seen, hmap, lookup, now, d)
            if again is not None:
                return again
    params = parse_query(query)
    if d.s3 and authorization and any(name in _QUERY_AUTH for name, _value in params):
        # Recorded from S3 (catalyst/moodle-tool_objectfs#303): a request signed both ways.
        raise InvalidArgument(
            "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string "
            "parameter or the Authorization header should be specified",
            ArgumentName="Authorization",
        )
    if d.s3 and is_v2(authorization[0] if authorization else None, params):
        return _verified_v2(method, path, query, params, hmap, virtual_bucket(), lookup, now, d)
    if authorization:
        claim = claim_from_header(authorization[0], hmap, d)
    else:
        # Only the X-Amz- parameters are decoded (the last of repeated ones wins).
        named: dict[str, str] = {}
        for raw_key, raw_value in params:
            key = percent_decode(raw_key, errors="surrogateescape") if "%" in raw_key else raw_key
            if key[:6] == "X-Amz-":
                named[key] = percent_decode(raw_value, errors="surrogateescape") if "%" in raw_value else raw_value
        if named.keys().isdisjoint(PRESIGN_PARAMS):
            if d.s3:
                return None
            raise MissingAuthenticationToken("Request is missing Authentication Token")
        claim = claim_from_query(named, d)

    scope = claim.scope
    if scope.service != service:
        raise d.wrong_service(scope.service, service, claim.presigned)
    if region is not None and scope.region != region:
        raise d.wrong_region(scope.region, region)
    if scope.date != claim.amz_date[:8]:
        raise d.scope_date(scope.date, claim.amz_date, claim.presigned)

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
            # With the header and its value, as S3 answered (versity/versitygw#1352).
            raise InvalidArgument(
                "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, "
                "STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, "
                "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER "
                "or a valid sha256 value.",
                ArgumentName="x-amz-content-sha256",
                ArgumentValue=content_sha[0] if content_sha else payload_hash,
            )
        _refuse_unsigned_headers(hmap, claim)
    else:
        payload_hash = hashlib.sha256(body or b"").hexdigest()

    secret = key_secret(lookup, claim.access_key_id, d)

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
        raise d.mismatch_detail(claim.access_key_id, sts, claim.security_token, creq)

    if claim.presigned:
        check_lifetime(claim, now_s, d)

    if d.s3 and body is not None:
        check_payload_hash(body, payload_hash)

    auth = Authenticated(
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
    if memo is not None and claim.presigned:
        if len(cache.presigned) >= _PRESIGNED_KEPT:
            del cache.presigned[next(iter(cache.presigned))]
        cache.presigned[memo] = _Presigned(
            claim, _signed_values(hmap, claim.signed_headers), _secret_hash(secret), auth
        )
    return auth

"""Presigned URLs: the SigV4 claim carried in the query string (``X-Amz-Algorithm``,
``X-Amz-Credential``, ``X-Amz-Date``, ``X-Amz-Expires``, ``X-Amz-SignedHeaders``,
``X-Amz-Signature``, and ``X-Amz-Security-Token``), and the checks of its lifetime.

AWS page: S3 API Reference "Authenticating requests: Using query parameters"
(``sigv4-query-string-auth.html``): a presigned URL signs ``UNSIGNED-PAYLOAD`` and lives
at most 604800 seconds; the query services accept the same form.
"""

from __future__ import annotations

from .claim import Claim, parse_credential, parse_signed_headers
from .dialects import Dialect
from .signing import ALGORITHM, MAX_SKEW_SECONDS, parse_amz_date

MAX_PRESIGNED_EXPIRES = 604800  # seven days: sigv4-query-string-auth.html
PRESIGN_PARAMS = (
    "X-Amz-Algorithm",
    "X-Amz-Credential",
    "X-Amz-Signature",
    "X-Amz-Date",
    "X-Amz-SignedHeaders",
    "X-Amz-Expires",
)


def claim_from_query(params: dict[str, str], d: Dialect) -> Claim:
    missing = [name for name in PRESIGN_PARAMS if name not in params]
    if missing:
        raise d.presign_missing(missing)
    if params["X-Amz-Algorithm"] != ALGORITHM:
        raise d.presign_bad('X-Amz-Algorithm only supports "AWS4-HMAC-SHA256 and AWS4-ECDSA-P256-SHA256"')
    key_id, scope = parse_credential(params["X-Amz-Credential"], d, presigned=True)
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
    return Claim(
        key_id,
        scope,
        amz_date,
        parse_signed_headers(params["X-Amz-SignedHeaders"]),
        params["X-Amz-Signature"],
        True,
        expires,
        params.get("X-Amz-Security-Token"),
        request_time,
    )


def check_lifetime(claim: Claim, now: int, d: Dialect) -> None:
    """Raise when a presigned URL has expired or is not valid yet (checked after the
    signature, as AWS does)."""
    assert claim.expires is not None  # INVARIANT: claim_from_query sets it
    if now > claim.request_time + claim.expires:
        raise d.presign_expired(claim.amz_date, claim.expires, now)
    if claim.request_time - now > MAX_SKEW_SECONDS:
        raise d.presign_not_yet(claim.amz_date, now)

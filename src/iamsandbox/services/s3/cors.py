"""Cross-origin resource sharing: a bucket's CORS rules (PutBucketCors, ``configuration.py``)
applied to a browser's requests, as S3 applies them.

AWS (S3 User Guide, "Using cross-origin resource sharing (CORS)" and "How does Amazon S3
evaluate the CORS configuration on a bucket?"): "Amazon S3 ... uses the first CORSRule rule
that matches the incoming browser request", where a rule matches when "the request's Origin
header must match AllowedOrigin elements", "the request method (for example, GET, PUT, HEAD,
and so on) or the Access-Control-Request-Method header in case of a pre-flight OPTIONS
request must be one of the AllowedMethod elements", and "every header specified in the
Access-Control-Request-Headers request header of a pre-flight request must match an
AllowedHeader element". An AllowedOrigin or AllowedHeader holds at most one "*", which
matches any characters ("http://*.example.com"); header names match without regard to case.

- A preflight (OPTIONS, ``preflight``) is answered before any authentication, and never
  reaches an operation. Its answers, recorded from S3 in LocalStack's test_s3_cors snapshot
  (2023-2025): without Origin, 400 BadRequest "Insufficient information. Origin request header
  needed."; a bucket that does not exist, 403 AccessForbidden "CORSResponse: Bucket not
  found"; a bucket without CORS rules, 403 AccessForbidden "CORSResponse: CORS is not enabled
  for this bucket."; no rule matching, 403 AccessForbidden "CORSResponse: This CORS request is
  not allowed. This is usually because the evalution of Origin, request method /
  Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the
  resource's CORS spec." (S3's spelling), each with Method (the requested method, or OPTIONS
  when none was named) and ResourceType (OBJECT for a key, BUCKET for the bucket). A matching
  rule: 200 with no body (Content-Length 0) and ``_allowed_headers``. A requested method that is none of S3's five
  (or none at all, once the bucket has rules) is 400 BadRequest "Invalid
  Access-Control-Request-Method: <method>" ("null" when absent), as S3-compatible servers
  answer it; unconfirmed against AWS.
- Any other request that carries an Origin (``add_headers``): the first rule matching the
  origin and the request's own method adds the same headers (no Access-Control-Allow-Headers);
  no rule, no header, and the request itself is answered as without CORS ("get-wrong-origin"
  in the same recording: 200 and no CORS header). Only to answers below 400: whether S3 adds
  them to its error answers is unconfirmed.

The headers (recorded, same snapshot): Access-Control-Allow-Origin is the request's Origin, or
"*" when the rule's AllowedOrigins has "*", and then without Access-Control-Allow-Credentials
("true" otherwise); Access-Control-Allow-Methods the rule's methods, ", "-joined;
Access-Control-Allow-Headers the requested headers in lower case; Access-Control-Expose-Headers
and Access-Control-Max-Age when the rule has them; and Vary: Origin,
Access-Control-Request-Headers, Access-Control-Request-Method.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from ...errors import AccessForbidden, BadRequest
from ...protocol.http import HttpResponse
from ...protocol.s3_routing import S3Router, decode_path_segment
from ...store import Transaction
from .configuration import CORS_METHODS  # the methods a CORS rule may allow

_VARY = ("Vary", "Origin, Access-Control-Request-Headers, Access-Control-Request-Method")
NO_ORIGIN = "Insufficient information. Origin request header needed."
NO_BUCKET = "CORSResponse: Bucket not found"
NOT_ENABLED = "CORSResponse: CORS is not enabled for this bucket."
NOT_ALLOWED = (
    "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, "
    "request method / Access-Control-Request-Method or Access-Control-Request-Headers are not "
    "whitelisted by the resource's CORS spec."
)


def target(router: S3Router, host: str, raw_path: str) -> tuple[str | None, str]:
    """The bucket and key a request's Host and path name (virtual-hosted or path style)."""
    bucket = router.bucket_from_host(host)
    path = raw_path.lstrip("/")
    if bucket is None:
        first, _, path = path.partition("/")
        bucket = decode_path_segment(first) if first else None
    return bucket, path


def preflight(tx: Transaction, router: S3Router, host: str, raw_path: str, headers: dict[str, str]) -> HttpResponse:
    """The answer to an OPTIONS request (module docstring); raises S3's errors."""
    origin = headers.get("origin")
    if not origin:
        raise BadRequest(NO_ORIGIN)
    bucket, key = target(router, host, raw_path)
    method = headers.get("access-control-request-method")
    fields = {"Method": method or "OPTIONS", "ResourceType": "OBJECT" if key else "BUCKET"}
    if bucket is None or tx.get_bucket(bucket) is None:
        raise AccessForbidden(NO_BUCKET, **fields)
    rules = _rules(tx.get_bucket_configuration(bucket, "cors"))
    if not rules:
        raise AccessForbidden(NOT_ENABLED, **fields)
    if method not in CORS_METHODS:
        raise BadRequest(f"Invalid Access-Control-Request-Method: {method if method is not None else 'null'}")
    requested = [name.strip().lower() for name in headers.get("access-control-request-headers", "").split(",")]
    requested = [name for name in requested if name]
    rule = _first_match(rules, origin, method, requested)
    if rule is None:
        raise AccessForbidden(NOT_ALLOWED, **fields)
    allowed = _allowed_headers(rule, origin)
    if requested:
        allowed.append(("Access-Control-Allow-Headers", ", ".join(requested)))
    allowed.append(("Content-Length", "0"))
    return HttpResponse(200, allowed)


def add_headers(tx: Transaction, bucket: str, method: str, origin: str, response: HttpResponse) -> None:
    """The CORS headers of a request that is not a preflight (to ``bucket``, as its
    operation was parsed), added to ``response``."""
    rules = _rules(tx.get_bucket_configuration(bucket, "cors"))
    rule = _first_match(rules, origin, method, []) if rules else None
    if rule is not None:
        response.headers.extend(_allowed_headers(rule, origin))


def _allowed_headers(rule: dict[str, Any], origin: str) -> list[tuple[str, str]]:
    anyone = "*" in rule["AllowedOrigins"]
    headers = [("Access-Control-Allow-Origin", "*" if anyone else origin)]
    if not anyone:
        headers.append(("Access-Control-Allow-Credentials", "true"))
    headers.append(("Access-Control-Allow-Methods", ", ".join(rule["AllowedMethods"])))
    if rule.get("ExposeHeaders"):
        headers.append(("Access-Control-Expose-Headers", ", ".join(rule["ExposeHeaders"])))
    if rule.get("MaxAgeSeconds") is not None:
        headers.append(("Access-Control-Max-Age", str(rule["MaxAgeSeconds"])))
    headers.append(_VARY)
    return headers


def _first_match(
    rules: Sequence[dict[str, Any]], origin: str, method: str, requested: list[str]
) -> dict[str, Any] | None:
    for rule in rules:
        if method not in rule["AllowedMethods"]:
            continue
        if not any(_pattern(allowed, False).fullmatch(origin) for allowed in rule["AllowedOrigins"]):
            continue
        patterns = [_pattern(allowed, True) for allowed in rule.get("AllowedHeaders") or ()]
        if all(any(pattern.fullmatch(name) for pattern in patterns) for name in requested):
            return rule
    return None


@lru_cache(maxsize=1024)
def _pattern(allowed: str, ignore_case: bool) -> re.Pattern[str]:
    """An AllowedOrigin or AllowedHeader as a pattern: its one "*" matches any characters."""
    return re.compile(".*".join(map(re.escape, allowed.split("*"))), re.IGNORECASE if ignore_case else 0)


def _rules(text: str | None) -> list[dict[str, Any]]:
    if text is None:
        return []
    rules = json.loads(text).get("CORSRules") or []
    assert isinstance(rules, list)  # INVARIANT: put_bucket_cors stored {"CORSRules": [...]}
    return rules

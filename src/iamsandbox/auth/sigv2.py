"""S3's Signature Version 2: ``Authorization: AWS AccessKeyId:Signature`` and the presigned
URL's ``AWSAccessKeyId``, ``Expires`` and ``Signature`` query parameters.

Why it is here: botocore (so boto3's ``generate_presigned_url`` and ``aws s3 presign``)
presigns S3 URLs with Signature Version 2 unless a signature version is configured, when
the Region is one whose S3 endpoint lists it ("s3" in ``signatureVersions`` of botocore's
endpoint data: us-east-1 and the other Regions launched before 2014). "In some of the older
AWS Regions, Amazon S3 supports both Signature Version 4 and Signature Version 2"
("Specifying the Signature Version in request authentication", S3 API Reference).

AWS page implemented: S3 API Reference, "Appendix: Authenticating requests (AWS signature
version 2)", its sections "Signing and authenticating REST requests" and "Query string
request authentication alternative":

    StringToSign = HTTP-Verb + "\\n" + Content-MD5 + "\\n" + Content-Type + "\\n"
                   + Date (the Expires parameter for a presigned URL) + "\\n"
                   + CanonicalizedAmzHeaders + CanonicalizedResource
    Signature = Base64(HMAC-SHA1(secret, UTF-8(StringToSign)))

CanonicalizedAmzHeaders: each ``x-amz-*`` header lower-cased, values trimmed and joined by
commas, sorted, ``name:value\\n`` (a presigned URL carries them, the session token
included, as query parameters). CanonicalizedResource: ``/bucket`` for a virtual-hosted
request, then the path as sent, then the subresources of the query (sorted by name, values
decoded). When ``x-amz-date`` is sent, the Date line is empty. A presigned URL is refused
once the time is past ``Expires`` (seconds since the epoch); a header-signed request more
than 15 minutes from the server's clock.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable, Sequence
from email.utils import parsedate_to_datetime
from functools import cache
from typing import NamedTuple

from ..errors import AccessDenied, InvalidArgument
from ..protocol.http import header_text
from ..protocol.percent import percent_decode
from ..protocol.s3_routing import decode_query_part
from .dialects import S3
from .signing import MAX_SKEW_SECONDS, iso_seconds, parse_amz_date

SIGNATURE_VERSION = "AWS"  # s3:signatureversion of a SigV2 request
QUERY_PARAMS = ("AWSAccessKeyId", "Expires", "Signature")

# The subresources the CanonicalizedResource keeps ("Constructing the CanonicalizedResource
# element": acl ... website, the response-* overrides of GetObject, delete of DeleteObjects),
# with the later ones signers add for newer subresources of the same REST API.
SUBRESOURCES = frozenset(
    {
        "acl", "lifecycle", "location", "logging", "notification", "partNumber", "policy", "requestPayment",
        "uploadId", "uploads", "versionId", "versioning", "versions", "website", "delete", "torrent",
        "response-content-type", "response-content-language", "response-expires", "response-cache-control",
        "response-content-disposition", "response-content-encoding",
        "accelerate", "cors", "tagging", "restore", "storageClass", "replication", "analytics", "metrics",
        "inventory", "select", "select-type", "object-lock", "defaultObjectAcl",
    }
)  # fmt: skip


class SignedV2(NamedTuple):
    """A verified SigV2 request: the key that signed it, and how."""

    access_key_id: str
    presigned: bool
    security_token: str | None


@cache
def v2_regions() -> frozenset[str]:
    """The Regions whose S3 endpoint accepts SigV2, from botocore's endpoint data."""
    from botocore.loaders import create_loader

    regions: set[str] = set()
    for partition in create_loader().load_data("endpoints")["partitions"]:
        s3 = partition["services"].get("s3", {})
        default = s3.get("defaults", {}).get("signatureVersions", [])
        for region, endpoint in s3.get("endpoints", {}).items():
            if "s3" in endpoint.get("signatureVersions", default):
                regions.add(region)
    return frozenset(regions)


def is_v2(authorization: str | None, params: Sequence[tuple[str, str]]) -> bool:
    """Whether the request is signed with SigV2 (header or query)."""
    if authorization is not None:
        return authorization.startswith("AWS ")
    return any(key in ("AWSAccessKeyId", "Signature") for key, _ in params)


def verify_v2(
    method: str,
    path: str,
    query: str,
    params: Sequence[tuple[str, str]],
    headers: dict[str, list[str]],
    *,
    virtual_bucket: str | None,
    lookup: Callable[[str], str | None],
    now: int,
) -> SignedV2:
    """Verify a SigV2 request (``path`` and ``query`` as sent; ``params``: the query's pairs,
    still percent-encoded; ``headers``: lower-case names, as ``signing.header_map``).
    Raises S3's errors."""
    authorization = headers.get("authorization")
    named = {key: percent_decode(value, errors="surrogateescape") for key, value in params}
    amz = {  # each header's value as its client signed it (as SigV4's: signing.canonical_headers)
        name: [header_text(v.strip(), "surrogateescape") for v in values]
        for name, values in headers.items()
        if name.startswith("x-amz-")
    }
    if authorization is not None:
        key_id, colon, signature = authorization[0][len("AWS ") :].strip().partition(":")
        if not colon or not key_id or not signature:
            raise InvalidArgument(
                "AWS authorization header is invalid.  Expected AwsAccessKeyId:signature",  # S3's: storj/edge#142
                ArgumentName="Authorization",
                ArgumentValue=authorization[0],
            )
        date_line = "" if "x-amz-date" in amz else _first(headers, "date")
        sent_date = amz.get("x-amz-date", [None])[0] or _first(headers, "date")
        request_time = _request_time(sent_date)
        if request_time is None:
            raise S3.no_date()
        if abs(now - request_time) > MAX_SKEW_SECONDS:
            # RequestTime is the date as sent: "<RequestTime>Tue, 04 Mar 2014 19:47:51 GMT
            # </RequestTime>" in S3's answer to a SigV2 request (LeastAuthority/leastauthority.com#157).
            raise S3.skewed(sent_date or "", now)
        expires = None
    else:
        missing = [name for name in QUERY_PARAMS if name not in named]
        if missing:
            raise AccessDenied(
                "Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters"
            )
        key_id, signature, date_line = named["AWSAccessKeyId"], named["Signature"], named["Expires"]
        if not date_line.isascii() or not date_line.isdigit() or len(date_line) > 12:
            raise AccessDenied(f"Invalid date (should be seconds since epoch): {date_line}")  # unconfirmed wording
        expires = int(date_line)
        for key, value in named.items():  # the amz headers a presigned URL carries
            lowered = key.lower()
            if lowered.startswith("x-amz-") and lowered not in amz:
                amz[lowered] = [value.strip()]
    secret = lookup(key_id)
    if secret is None:
        raise S3.unknown_key(key_id)
    head = f"{method}\n{_first(headers, 'content-md5') or named.get('content-md5', '')}\n"
    head += f"{_first(headers, 'content-type') or named.get('content-type', '')}\n"
    resource = canonical_resource(path, query, virtual_bucket)
    candidates = [head + date_line + "\n" + _amz_lines(amz) + resource]
    if virtual_bucket is None and path.count("/") == 1 and len(path) > 1:
        # A path-style bucket: botocore signs "/bucket/"; the guide's rule ("the path part
        # of the un-decoded HTTP Request-URI") gives "/bucket". Both are taken.
        candidates.append(candidates[0].replace(f"\n{path}/", f"\n{path}", 1))
    if "x-amz-date" in amz and authorization is not None:
        # The guide's DELETE example puts x-amz-date's value on the Date line instead
        # ("the date entry in the signature must contain the value of the x-amz-date
        # header"); its "Time stamp requirement" section, the empty line: both are taken.
        others = {name: values for name, values in amz.items() if name != "x-amz-date"}
        candidates.append(head + amz["x-amz-date"][0] + "\n" + _amz_lines(others) + resource)
    provided = signature.encode("utf-8", "surrogateescape")
    secret_bytes = secret.encode("utf-8")
    # INVARIANT: compared in constant time, after every check that does not need the secret.
    valid = False
    for candidate in candidates:
        expected = base64.b64encode(
            hmac.new(secret_bytes, candidate.encode("utf-8", "surrogateescape"), hashlib.sha1).digest()
        )
        valid = hmac.compare_digest(expected, provided) or valid
    if not valid:
        token = amz.get("x-amz-security-token")
        raise S3.mismatch_detail(key_id, candidates[0], token[0] if token else None)
    if expires is not None and now > expires:
        # S3's members with it, as for SigV4 (dialects.py), without X-Amz-Expires.
        raise AccessDenied("Request has expired").with_fields(
            {"Expires": iso_seconds(expires), "ServerTime": iso_seconds(now)}
        )
    token = amz.get("x-amz-security-token")
    return SignedV2(key_id, expires is not None, token[0] if token else None)


def canonical_resource(path: str, query: str, virtual_bucket: str | None) -> str:
    """``/bucket`` (virtual-hosted requests), the path as sent (a bucket's ends in "/"), and
    the subresources of the raw ``query``: ``name`` or ``name=value`` (decoded), sorted.
    A name is decoded as the router decodes it (``s3_routing.decode_query_part``), so that
    ``%74agging`` is the "tagging" it runs as and must be signed as."""
    resource = (f"/{virtual_bucket}" if virtual_bucket is not None else "") + path
    if resource.count("/") == 1 and len(resource) > 1:
        resource += "/"  # a bucket is "/bucket/" ("/awsexamplebucket1/?acl" in the examples)
    kept: list[tuple[str, str]] = []
    for pair in query.split("&"):
        name, eq, value = pair.partition("=")
        if "%" in name or "+" in name:
            name = decode_query_part(name)
        if name in SUBRESOURCES:
            kept.append((name, f"{name}={percent_decode(value, errors='surrogateescape')}" if eq else name))
    if not kept:
        return resource
    kept.sort(key=lambda item: item[0])
    return resource + "?" + "&".join(text for _, text in kept)


def _amz_lines(amz: dict[str, list[str]]) -> str:
    """CanonicalizedAmzHeaders: ``name:value,value\n`` per header, sorted by name."""
    return "".join(f"{name}:{','.join(amz[name])}\n" for name in sorted(amz))


def _first(headers: dict[str, list[str]], name: str) -> str:
    values = headers.get(name)
    return values[0].strip() if values else ""


def _request_time(text: str | None) -> int | None:
    """The epoch seconds of an HTTP date (RFC 7231) or of ``yyyyMMdd'T'HHmmss'Z'``."""
    if not text:
        return None
    try:
        return int(parsedate_to_datetime(text).timestamp())
    except (TypeError, ValueError, IndexError, OverflowError):
        return parse_amz_date(text)  # SigV4's basic form, which clients also send

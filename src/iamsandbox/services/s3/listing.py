"""ListObjects (v1) and ListObjectsV2 (Amazon S3 API Reference; "Organizing objects using
prefixes" in the S3 User Guide).

Keys come in code-point order. With a Delimiter, keys that contain it after the Prefix
roll up into one CommonPrefix (Prefix up to and including the delimiter), which counts
once toward MaxKeys (default and most 1,000). V1 pages with Marker (NextMarker only when
a Delimiter was given, as the reference says); V2 with an opaque ContinuationToken (here
the base64url of the last key or common prefix returned) or StartAfter, and answers
KeyCount. EncodingType=url encodes Key, Prefix, Delimiter, Marker, NextMarker, StartAfter
and each CommonPrefix.

Known gap: the url encoding keeps "/" and encodes everything else outside RFC 3986's
unreserved set, which is how the SDKs decode it; AWS's exact set is unconfirmed.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from ...errors import InvalidArgument
from ...store.interface import S3Object
from ..context import CallContext
from . import common

MAX_KEYS = 1000
# Sorts after every key that starts with a given prefix (keys are Unicode text).
_AFTER_ALL = "\U0010ffff"


def _encoder(params: dict[str, Any]) -> Callable[[str], str]:
    encoding = params.get("EncodingType")
    if encoding is None:
        return lambda text: text
    if encoding != "url":
        # Recorded from AWS (LocalStack's test_s3_list_operations snapshot).
        raise InvalidArgument(
            "Invalid Encoding Method specified in Request", ArgumentName="encoding-type", ArgumentValue=str(encoding)
        )
    return lambda text: quote(text, safe="/")


def _max_keys(params: dict[str, Any]) -> int:
    value = params.get("MaxKeys")
    if value is None:
        return MAX_KEYS
    if value < 0:
        raise InvalidArgument(  # unconfirmed wording
            "Argument maxKeys must be an integer between 0 and 2147483647",
            ArgumentName="maxKeys",
            ArgumentValue=str(value),
        )
    return min(int(value), MAX_KEYS)


def _walk(
    ctx: CallContext, bucket: str, prefix: str, delimiter: str | None, after: str, limit: int
) -> tuple[list[S3Object], list[str], bool, str | None]:
    """(objects, common prefixes, truncated, last item returned) of one page."""
    contents: list[S3Object] = []
    prefixes: list[str] = []
    last: str | None = None
    cursor = after
    while True:
        batch = ctx.tx.list_objects(bucket, prefix, cursor, limit + 1)
        if not batch:
            return contents, prefixes, False, last
        for obj in batch:
            if len(contents) + len(prefixes) >= limit:
                return contents, prefixes, True, last
            rest = obj.key[len(prefix) :]
            index = rest.find(delimiter) if delimiter else -1
            if index >= 0 and delimiter:
                rolled = prefix + rest[: index + len(delimiter)]
                prefixes.append(rolled)
                last = rolled
                cursor = rolled + _AFTER_ALL
                break  # continue after every key under this common prefix
            contents.append(obj)
            last = cursor = obj.key
        else:
            if len(batch) <= limit:
                return contents, prefixes, False, last


def _content(obj: S3Object, encode: Callable[[str], str], owner: dict[str, str] | None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "Key": encode(obj.key),
        "LastModified": obj.last_modified,
        "ETag": obj.etag,
        "Size": obj.size,
        "StorageClass": common.STANDARD,
    }
    if obj.checksums:
        out["ChecksumAlgorithm"] = [name for name in obj.checksums]
    if owner is not None:
        out["Owner"] = owner
    return out


def _page(ctx: CallContext, params: dict[str, Any], after: str) -> tuple[dict[str, Any], bool, str | None, int]:
    found = common.bucket(ctx, params["Bucket"])
    encode = _encoder(params)
    prefix = params.get("Prefix") or ""
    delimiter = params.get("Delimiter") or None
    limit = _max_keys(params)
    contents: list[S3Object] = []
    prefixes: list[str] = []
    truncated, last = False, None
    if limit > 0:
        contents, prefixes, truncated, last = _walk(ctx, found.name, prefix, delimiter, after, limit)
    owner = common.owner(found.account_id) if params.get("FetchOwner", True) else None
    out: dict[str, Any] = {"Name": found.name, "Prefix": encode(prefix), "MaxKeys": limit, "IsTruncated": truncated}
    if contents:
        out["Contents"] = [_content(obj, encode, owner) for obj in contents]
    if prefixes:
        out["CommonPrefixes"] = [{"Prefix": encode(item)} for item in prefixes]
    if delimiter is not None:
        out["Delimiter"] = encode(delimiter)
    if params.get("EncodingType") is not None:
        out["EncodingType"] = params["EncodingType"]
    return out, truncated, last, len(contents) + len(prefixes)


def list_objects(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    marker = params.get("Marker") or ""
    out, truncated, last, _count = _page(ctx, params, marker)
    encode = _encoder(params)
    out["Marker"] = encode(marker)
    if truncated and params.get("Delimiter") and last is not None:
        out["NextMarker"] = encode(last)
    return out


def _token(last: str) -> str:
    return base64.urlsafe_b64encode(last.encode("utf-8")).decode("ascii")


def _untoken(token: str) -> str:
    try:
        return base64.b64decode(token.encode("ascii"), altchars=b"-_", validate=True).decode("utf-8")
    except (binascii.Error, ValueError, UnicodeError):
        # Recorded from AWS (LocalStack's test_s3_list_operations snapshot).
        raise InvalidArgument(
            "The continuation token provided is incorrect", ArgumentName="continuation-token"
        ) from None


def list_objects_v2(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    token = params.get("ContinuationToken")
    start_after = params.get("StartAfter") or ""
    after = _untoken(token) if token else start_after
    v2 = dict(params)
    v2["FetchOwner"] = bool(params.get("FetchOwner"))
    out, truncated, last, count = _page(ctx, v2, after)
    out["KeyCount"] = count
    if token:
        out["ContinuationToken"] = token
    if params.get("StartAfter") is not None:
        out["StartAfter"] = _encoder(params)(start_after)
    if truncated and last is not None:
        out["NextContinuationToken"] = _token(last)
    return out

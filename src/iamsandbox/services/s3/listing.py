"""ListObjects (v1) and ListObjectsV2 (Amazon S3 API Reference; "Organizing objects using
prefixes" in the S3 User Guide).

Keys come in code-point order. With a Delimiter, keys that contain it after the Prefix
roll up into one CommonPrefix (Prefix up to and including the delimiter), which counts
once toward MaxKeys (default and most 1,000). V1 pages with Marker (NextMarker only when
a Delimiter was given, as the reference says); V2 with an opaque ContinuationToken (here
the base64url of the last key or common prefix returned) or StartAfter, and answers
KeyCount. A token S3 did not make, the empty one included, is InvalidArgument "The
continuation token provided is incorrect" with ArgumentName continuation-token and no
ArgumentValue; with both a token and StartAfter the listing goes on from the token and
answers ContinuationToken but no StartAfter (recorded from AWS, LocalStack's
test_s3_list_operations snapshot, test_list_objects_v2_continuation_start_after:
exc-continuation-token, list-objects-start-after-token; and
test_list_objects_v2_continuation_token_safe_chars).

EncodingType=url ("EncodingType" in the ListObjects, ListObjectsV2 and
ListMultipartUploads references) is echoed, and encodes Key, Prefix, Delimiter, Marker
and NextMarker (v1), Key, Prefix, Delimiter and StartAfter (v2), and each
CommonPrefixes/Prefix; never the opaque continuation tokens. The encoding is the HTML
form encoding S3 answers with: a space becomes "+", "/" stays as it is, and every byte of
the UTF-8 key outside letters, digits and "-_.~" becomes %XX (so "+" is "%2B", "%" is
"%25", a control character such as LF is "%0A"), which is what botocore undoes with
``unquote_plus`` when it asks for url encoding itself. Observed from S3: "a b.txt" lists
as "a+b.txt", "a+b.txt" as "a%2Bb.txt", "100%.csv" as "100%25.csv" and "/" unencoded
(brekkylab/backlot#178, bcgov/gwells#1801, ceph/s3-tests#478).

Known gap: whether S3 also leaves other punctuation ("*", "!", "'", "(", ")") unencoded
is unconfirmed; clients decode either form the same way.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote_plus

from ...errors import InvalidArgument
from ...store.interface import S3Object
from ..context import CallContext
from . import common

MAX_KEYS = 1000
# Sorts after every key that starts with a given prefix (keys are Unicode text).
_AFTER_ALL = "\U0010ffff"


# What quote_plus leaves as it is: most keys, which then skip it (boto3 always asks for url).
_UNCHANGED = re.compile(r"[A-Za-z0-9_.~/-]*")


def url_encode(text: str) -> str:
    """S3's EncodingType=url form of a key, prefix, delimiter or marker (module docstring)."""
    if _UNCHANGED.fullmatch(text):
        return text
    return quote_plus(text, safe="/")


def encoder(params: dict[str, Any]) -> Callable[[str], str]:
    """The identity, or ``url_encode`` when the request asks for EncodingType=url;
    InvalidArgument for any other encoding type."""
    encoding = params.get("EncodingType")
    if encoding is None:
        return lambda text: text
    if encoding != "url":
        # Recorded from AWS (LocalStack's test_s3_list_operations snapshot).
        raise InvalidArgument(
            "Invalid Encoding Method specified in Request", ArgumentName="encoding-type", ArgumentValue=str(encoding)
        )
    return url_encode


def page_size(value: int | None, argument: str) -> int:
    """A page-size parameter (MaxKeys, MaxUploads): 1,000 when absent, at most 1,000 (a
    larger one is served at 1,000), InvalidArgument when negative."""
    if value is None:
        return MAX_KEYS
    if value < 0:
        raise InvalidArgument(  # unconfirmed wording
            f"Argument {argument} must be an integer between 0 and 2147483647",
            ArgumentName=argument,
            ArgumentValue=str(value),
        )
    return min(int(value), MAX_KEYS)


def grouping(
    out: dict[str, Any],
    prefixes: list[str],
    delimiter: str | None,
    params: dict[str, Any],
    encode: Callable[[str], str],
) -> None:
    """The members every S3 listing answers alike: CommonPrefixes, Delimiter and
    EncodingType (ListObjects, ListObjectsV2, ListObjectVersions, ListMultipartUploads)."""
    if prefixes:
        out["CommonPrefixes"] = [{"Prefix": encode(item)} for item in prefixes]
    if delimiter is not None:
        out["Delimiter"] = encode(delimiter)
    if params.get("EncodingType") is not None:
        out["EncodingType"] = params["EncodingType"]


def rollup(key: str, prefix: str, delimiter: str | None) -> str | None:
    """The CommonPrefix a key under ``prefix`` rolls up into (the prefix and the key up to
    and including the first delimiter after it), or None when it is listed by itself."""
    if not delimiter:
        return None
    index = key.find(delimiter, len(prefix))
    return key[: index + len(delimiter)] if index >= 0 else None


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
            rolled = rollup(obj.key, prefix, delimiter)
            if rolled is not None:
                if rolled > after:
                    prefixes.append(rolled)
                    last = rolled
                # else the marker is this common prefix or a key under it: the group was
                # listed before (AWS: Marker "folder/aSubfolder/" or ".../subFile1" goes on
                # at "folder/file1"; LocalStack's test_list_objects_marker_common_prefixes).
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
        "StorageClass": obj.headers.storage_class,
    }
    if obj.checksums:
        out["ChecksumAlgorithm"] = [name for name in obj.checksums]
        out["ChecksumType"] = common.checksum_type(obj)
    if owner is not None:
        out["Owner"] = owner
    return out


def _page(ctx: CallContext, params: dict[str, Any], after: str) -> tuple[dict[str, Any], bool, str | None, int]:
    found = common.bucket(ctx, params["Bucket"])
    encode = encoder(params)
    prefix = params.get("Prefix") or ""
    delimiter = params.get("Delimiter") or None
    limit = page_size(params.get("MaxKeys"), "maxKeys")
    contents: list[S3Object] = []
    prefixes: list[str] = []
    truncated, last = False, None
    if limit > 0:
        contents, prefixes, truncated, last = _walk(ctx, found.name, prefix, delimiter, after, limit)
    owner = common.owner(found.account_id) if params.get("FetchOwner", True) else None
    out: dict[str, Any] = {
        "Name": found.name,
        "Prefix": encode(prefix),
        "MaxKeys": limit,
        "IsTruncated": truncated,
        "BucketRegion": found.region,  # a header (protocol/patches/s3.json)
    }
    if contents:
        out["Contents"] = [_content(obj, encode, owner) for obj in contents]
    grouping(out, prefixes, delimiter, params, encode)
    return out, truncated, last, len(contents) + len(prefixes)


def list_objects(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    marker = params.get("Marker") or ""
    out, truncated, last, _count = _page(ctx, params, marker)
    encode = encoder(params)
    out["Marker"] = encode(marker)
    if truncated and params.get("Delimiter") and last is not None:
        out["NextMarker"] = encode(last)
    return out


def continuation_token(last: str) -> str:
    """An opaque token for the listing to go on after ``last`` (ListObjectsV2, ListBuckets)."""
    return base64.urlsafe_b64encode(last.encode("utf-8")).decode("ascii")


def after_token(token: str) -> str:
    """What ``continuation_token`` made the token of; InvalidArgument for any other token,
    the empty one included (no key is empty, so no token is)."""
    if token:
        try:
            return base64.b64decode(token.encode("ascii"), altchars=b"-_", validate=True).decode("utf-8")
        except (binascii.Error, ValueError, UnicodeError):
            pass
    # Recorded from AWS (LocalStack's test_s3_list_operations snapshot).
    raise InvalidArgument("The continuation token provided is incorrect", ArgumentName="continuation-token")


def list_objects_v2(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    token = params.get("ContinuationToken")
    start_after = params.get("StartAfter") or ""
    after = after_token(token) if token is not None else start_after  # "" is refused too
    v2 = dict(params)
    v2["FetchOwner"] = bool(params.get("FetchOwner"))
    out, truncated, last, count = _page(ctx, v2, after)
    out["KeyCount"] = count
    if token is not None:
        out["ContinuationToken"] = token
    elif params.get("StartAfter") is not None:  # a token overrides StartAfter, which is then not echoed
        out["StartAfter"] = encoder(params)(start_after)
    if truncated and last is not None:
        out["NextContinuationToken"] = continuation_token(last)
    return out

"""S3 object tags: PutObjectTagging, GetObjectTagging, DeleteObjectTagging, and the
``x-amz-tagging`` header of PutObject, CreateMultipartUpload and CopyObject (Amazon S3 API
Reference; "Categorizing your storage using tags" in the S3 User Guide).

- "You can associate up to 10 tags with an object. Tags that are associated with an object
  must have unique tag keys." "A tag key can be up to 128 Unicode characters in length, and
  tag values can be up to 256 Unicode characters in length. Amazon S3 object tags are
  internally represented in UTF-16": lengths count UTF-16 code units. Keys and values hold
  "Unicode letters or numbers, white space, and the following symbols: _ . : / = + @ -".
- Errors, as S3 answered them in public issue trackers (secondary): more than 10 tags is 400
  ``BadRequest`` "Object tags cannot be greater than 10" (for the header and for
  PutObjectTagging); a key S3 refuses is ``InvalidTag`` "The TagKey you have provided is
  invalid"; a header that is not URL query parameters, or names a key twice, is
  ``InvalidArgument`` "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded
  URL query parameters without tag name duplicates".
- Recorded from AWS (LocalStack's test_s3_api snapshot, test_tagging_validation and
  test_create_bucket_with_tags_exc): a duplicate key is InvalidTag "Cannot provide multiple
  Tags with the same key", a bad key "The TagKey you have provided is invalid" (TagKey), a
  bad value "The TagValue you have provided is invalid" with TagKey and TagValue (recorded
  for bucket tags; the same assumed for object tags). A key starting "aws:" is "Your TagKey
  cannot be prefixed with aws:" for PutObjectTagging but "System tags cannot be
  added/updated by requester" for PutBucketTagging, both with TagKey (``add_checked``'s
  ``aws_prefix``); for the x-amz-tagging header the object message is assumed.
- GetObjectTagging of a missing key is NoSuchKey whose Key is "<bucket>/<key>"; Put and
  DeleteObjectTagging answer the key alone (recorded, test_object_tagging_exc).
- The header is a URL query: ``k1=v1&k2=v2``; a key without ``=`` has the empty value, and
  ``+`` is a space (form encoding, as Python's ``urlencode`` writes it).
- GetObjectTagging of an untagged object is an empty TagSet; tags come back in key order
  (ceph s3-tests test_put_obj_with_tags, secondary; unconfirmed against AWS).
- CopyObject: ``x-amz-tagging-directive`` COPY (the default) keeps the source's tags, REPLACE
  takes the request's ``x-amz-tagging`` (CopyObject).

Known gaps: no versioning, so no VersionId; PutObjectTagging's Content-MD5 is not required.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote_plus

from ...errors import AccessDenied, BadRequest, InvalidArgument, InvalidTag, NoSuchKey
from ...store.interface import Bucket, S3Object
from ..context import CallContext
from . import common

MAX_TAGS = 10
MAX_KEY = 128  # UTF-16 code units
MAX_VALUE = 256
_SYMBOLS = frozenset("_.:/=+@-")
# InvalidTag's message for a key that starts with "aws:" (module docstring).
BUCKET_AWS_PREFIX = "System tags cannot be added/updated by requester"
OBJECT_AWS_PREFIX = "Your TagKey cannot be prefixed with aws:"
_HEADER_ERROR = (
    "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name"
    " duplicates."
)


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _allowed(text: str) -> bool:
    return all(ch in _SYMBOLS or unicodedata.category(ch)[0] in "LNZ" or ch.isspace() for ch in text)


def validate(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """The tag set of an object, or S3's error for the first rule it breaks (count first)."""
    if len(pairs) > MAX_TAGS:
        raise BadRequest(f"Object tags cannot be greater than {MAX_TAGS}")
    tags: dict[str, str] = {}
    for key, value in pairs:
        add_checked(tags, key, value, aws_prefix=OBJECT_AWS_PREFIX)
    return tags


def add_checked(tags: dict[str, str], key: str, value: str, aws_prefix: str = BUCKET_AWS_PREFIX) -> None:
    """Add one tag to ``tags`` or answer S3's InvalidTag: the rules of object and bucket tags
    alike ("Tagging for cost allocation or attribute-based access control (ABAC)", S3 User
    Guide: a key of 1 to 128 Unicode characters, a value of 0 to 256, "Unicode letters or
    numbers, white space, and the following symbols: _ . : / = + @ -"). ``aws_prefix`` is
    the message for a key that starts with "aws:", which differs by operation (module
    docstring): PutBucketTagging's by default, ``OBJECT_AWS_PREFIX`` for object tags."""
    if key in tags:
        raise InvalidTag("Cannot provide multiple Tags with the same key", TagKey=key)
    if not key or _utf16_length(key) > MAX_KEY or not _allowed(key):
        raise InvalidTag("The TagKey you have provided is invalid", TagKey=key)
    if _utf16_length(value) > MAX_VALUE or not _allowed(value):
        raise InvalidTag("The TagValue you have provided is invalid", TagKey=key, TagValue=value)
    if key.lower().startswith("aws:"):
        raise InvalidTag(aws_prefix, TagKey=key)
    tags[key] = value


def _header_pairs(header: str) -> list[tuple[str, str]]:
    """The pairs of an ``x-amz-tagging`` header; InvalidArgument when it is no URL query or
    names a key twice."""
    pairs: list[tuple[str, str]] = []
    for part in header.split("&"):
        if not part:
            continue
        if part.count("=") > 1:
            raise InvalidArgument(_HEADER_ERROR, ArgumentName="x-amz-tagging", ArgumentValue=header)
        raw_key, _, raw_value = part.partition("=")
        key, value = unquote_plus(raw_key, errors="strict"), unquote_plus(raw_value, errors="strict")
        if any(key == seen for seen, _ in pairs):
            raise InvalidArgument(_HEADER_ERROR, ArgumentName="x-amz-tagging", ArgumentValue=header)
        pairs.append((key, value))
    return pairs


def header_tags(header: str | None) -> dict[str, str]:
    """The tags an ``x-amz-tagging`` header gives (empty without one), validated."""
    if not header:
        return {}
    try:
        pairs = _header_pairs(header)
    except UnicodeDecodeError:
        raise InvalidArgument(_HEADER_ERROR, ArgumentName="x-amz-tagging", ArgumentValue=header) from None
    return validate(pairs)


def request_tags(params: Mapping[str, Any]) -> dict[str, str] | None:
    """The tags a request asks to set, for s3:RequestObjectTag/<key> and
    s3:RequestObjectTagKeys ("Tagging and access control policies", S3 User Guide): the
    TagSet of PutObjectTagging, the ``x-amz-tagging`` header of the others (of CopyObject
    only with the REPLACE directive: with COPY the header is ignored; unconfirmed). None when
    the request has none or they cannot be read (the handler then answers the error)."""
    try:
        header = params.get("Tagging")
        if isinstance(header, Mapping):  # PutObjectTagging's body
            return {str(tag["Key"]): str(tag.get("Value", "")) for tag in header.get("TagSet") or []}
        if "CopySource" in params and params.get("TaggingDirective") != "REPLACE":
            return None
        return dict(_header_pairs(header)) if isinstance(header, str) and header else None
    except (InvalidArgument, UnicodeDecodeError, KeyError, TypeError, AttributeError):
        return None


def request_tag_keys(params: Mapping[str, Any]) -> dict[str, str | list[str]]:
    """s3:RequestObjectTag/<key> for each of ``request_tags`` and s3:RequestObjectTagKeys
    (a multivalued key); empty when the request sets no tags."""
    tags = request_tags(params)
    if tags is None:
        return {}
    keys: dict[str, str | list[str]] = {f"s3:RequestObjectTag/{key}": value for key, value in tags.items()}
    keys["s3:RequestObjectTagKeys"] = list(tags)
    return keys


def tag_set(tags: Mapping[str, str]) -> list[dict[str, str]]:
    """The tags in the order written: the AWS CLI Command Reference's get-object-tagging
    answers designation, department, team as put-object-tagging gave them (LocalStack's
    recorded tests note that only tags set by the x-amz-tagging query-string form come back
    in no stable order at AWS)."""
    return [{"Key": key, "Value": value} for key, value in tags.items()]


def _tagged(ctx: CallContext, params: dict[str, Any], method: str) -> tuple[Bucket, S3Object]:
    """The version the tagging operation is about: the latest or ?versionId. A delete marker
    has no tags: 405 MethodNotAllowed, whether named by version ID or the latest (recorded
    from AWS, LocalStack's test_s3_api snapshot, test_object_tagging_versioned)."""
    found = common.bucket(ctx, params["Bucket"])
    version = common.get_object(
        ctx, found.name, params["Key"], params.get("VersionId"), method, marker_not_allowed=True
    )
    return found, version


def _version_of(version: S3Object) -> str | None:
    return None if version.is_latest else version.version_id


def put_object_tagging(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    bucket, found = _tagged(ctx, params, "PUT")
    pairs = [(str(tag["Key"]), str(tag.get("Value", ""))) for tag in (params.get("Tagging") or {}).get("TagSet") or []]
    tags = validate(pairs)
    ctx.tx.set_object_tags(found.bucket, found.key, tags, version_id=_version_of(found))
    return common.version_member(bucket, found)


def get_object_tagging(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    try:
        bucket, found = _tagged(ctx, params, "GET")
    except NoSuchKey as missing:
        # GetObjectTagging alone names the missing key with its bucket, "<bucket>/<key>"
        # (recorded from AWS, LocalStack's test_s3_api snapshot, test_object_tagging_exc:
        # get-no-key-tags; Put and DeleteObjectTagging answer the key alone).
        raise missing.with_fields({"Key": f"{params['Bucket']}/{params['Key']}"}) from None
    return {"TagSet": tag_set(found.tags), **common.version_member(bucket, found)}


def delete_object_tagging(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    bucket, found = _tagged(ctx, params, "DELETE")
    ctx.tx.set_object_tags(found.bucket, found.key, {}, version_id=_version_of(found))
    return common.version_member(bucket, found)


def add_tag_count(ctx: CallContext, found: S3Object, out: dict[str, Any]) -> None:
    """GetObject's and HeadObject's ``x-amz-tagging-count``: "The number of tags, if any, on
    the object, when you have the relevant permission to read object tags" (GetObject): sent
    only for a tagged object, and only to a caller s3:GetObjectTagging allows."""
    if not found.tags:
        return
    try:
        ctx.authorize("s3:GetObjectTagging", common.object_arn(found.bucket, found.key), {})
    except AccessDenied:
        return
    out["TagCount"] = len(found.tags)

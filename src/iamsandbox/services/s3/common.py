"""What the S3 handlers share: bucket and object lookups with S3's errors, ARNs, the
canonical user id that stands for an account, ETags, Content-MD5 checks, and reading a
streaming body.

S3 names owners by a 64-hex-digit canonical user ID; here it is derived from the account
id (a stable hash), so every replica agrees without storing it.

Versions (``get_object``, ``check_version_id``; versioning.py for the rest): a versionId
names one version of a key. In a bucket whose versioning was never set only "null" is a
version ID; any other is InvalidArgument "Invalid version id specified", well formed or not
(recorded from AWS, LocalStack's test_s3_api snapshot,
test_get_object_with_version_unversioned_bucket). In a versioned bucket, one not of the form
of S3's IDs is InvalidArgument too, and one that names no version NoSuchVersion (recorded,
test_delete_object_versioned). S3's IDs carry their own check: an ID of S3's with its last
four characters changed is InvalidArgument (recorded, LocalStack's test_s3_api snapshot, a
DeleteObject of a tampered ID), and so is a made-up ID of the right length and alphabet
(recorded from S3 for ListObjectVersions' version-id-marker, "Eyn7lxdGE1WU1SU6QTbW1X6cbSIIRY0R"),
except in DeleteObjects, where the tampered ID is NoSuchVersion among the Errors (recorded,
test_delete_keys_in_versioned_bucket).
iamsandbox's IDs end in four bytes that hash the twenty before (``sealed_version_id``); an
unsealed ID an earlier release made is taken while it names a version. A key whose latest version is a delete marker is
missing (404 NoSuchKey with x-amz-delete-marker: true; "If the current version of the object
is a delete marker, Amazon S3 behaves as if the object was deleted and includes
x-amz-delete-marker: true in the response", GetObject); a versionId naming a delete marker
is 405 MethodNotAllowed with Method and ResourceType "DeleteMarker" ("If the specified
version in the request is a delete marker, the response returns a 405 Method Not Allowed
error and the Last-Modified: timestamp response header", GetObject; members recorded,
test_delete_object_versioned). The x-amz-version-id header on those two errors is unconfirmed.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from email.utils import format_datetime
from typing import Any

from ...errors import (
    AccessDenied,
    BadDigest,
    InvalidArgument,
    InvalidDigest,
    MethodNotAllowed,
    NoSuchBucket,
    NoSuchKey,
    NoSuchVersion,
)
from ...policy.request import PrincipalKind, canonical_user_id
from ...store.interface import Bucket, S3Object
from ..context import CallContext
from . import checksums

US_EAST_1 = "us-east-1"
# S3 encrypts every new object with SSE-S3 ("Amazon S3 now automatically encrypts all new
# objects", 2023): every write and read answers with this header.
SSE = "AES256"
STANDARD = "STANDARD"
DEFAULT_CONTENT_TYPE = "binary/octet-stream"
NULL_VERSION = "null"
# The form of the version IDs S3 makes (32 URL-safe characters: versioning.new_version_id).
VERSION_ID = re.compile(r"[A-Za-z0-9._-]{32}")
VERSION_SEAL = 4  # the bytes that end an ID iamsandbox makes: a hash of the ones before


def version_seal(head: bytes) -> bytes:
    """The bytes that seal a version ID's first 20: S3 tells an ID it made from one changed
    or made up (module docstring)."""
    return hashlib.blake2b(head, digest_size=VERSION_SEAL).digest()


def sealed_version_id(version_id: str) -> bool:
    """Whether ``version_id`` is one ``versioning.new_version_id`` made, unchanged: its
    alphabet ("." and "_" for base64's "+" and "/"), strictly decoded."""
    if not VERSION_ID.fullmatch(version_id) or "-" in version_id:
        return False
    try:
        raw = base64.b64decode(version_id, altchars=b"._", validate=True)
    except (ValueError, binascii.Error):
        return False
    return len(raw) == 24 and raw[20:] == version_seal(raw[:20])


BUCKET_ARN_PREFIX = "arn:aws:s3:::"


def bucket_arn(name: str) -> str:
    return f"{BUCKET_ARN_PREFIX}{name}"


def object_arn(bucket: str, key: str) -> str:
    return f"arn:aws:s3:::{bucket}/{key}"


canonical_id = canonical_user_id  # S3's name for an account's 64-hex-digit ID


def owner(account_id: str) -> dict[str, str]:
    return {"ID": canonical_id(account_id)}


def public_access_blocked(found: Bucket, flag: str) -> bool:
    """One flag of the bucket's PublicAccessBlockConfiguration (BlockPublicAcls,
    BlockPublicPolicy, ...): off when the bucket has none."""
    if found.public_access_block is None:
        return False
    return bool(json.loads(found.public_access_block).get(flag, False))


def bucket(ctx: CallContext, name: str) -> Bucket:
    found = ctx.tx.get_bucket(name)
    if found is None:
        raise NoSuchBucket(BucketName=name)
    return found


def check_version_id(ctx: CallContext, found: Bucket, key: str, version_id: str, *, sealed: bool = True) -> None:
    """InvalidArgument for a version ID that cannot name a version of ``key`` here (module
    docstring); without ``sealed``, of the form of S3's IDs is enough."""
    if version_id == NULL_VERSION:
        return
    if not version_id:  # ?versionId= (recorded from S3, the message other emulators hard-code too)
        raise InvalidArgument("Version id cannot be the empty string", ArgumentName="versionId", ArgumentValue="")
    if found.versioning is None or not (
        valid_version_id(ctx, found.name, key, version_id) if sealed else VERSION_ID.fullmatch(version_id)
    ):
        raise InvalidArgument("Invalid version id specified", ArgumentName="versionId", ArgumentValue=version_id)


def made_by_s3(version_id: str) -> bool:
    """Whether ``version_id`` is "null" or one iamsandbox sealed (module docstring)."""
    return version_id == NULL_VERSION or sealed_version_id(version_id)


def valid_version_id(ctx: CallContext, bucket_name: str, key: str, version_id: str) -> bool:
    """Whether S3 takes ``version_id`` as an ID it made (module docstring): ``made_by_s3``, or
    one an earlier release made (unsealed) that still names a version."""
    if made_by_s3(version_id):
        return True
    return (
        VERSION_ID.fullmatch(version_id) is not None
        and ctx.tx.get_object_version(bucket_name, key, version_id) is not None
    )


def marker_headers(marker: S3Object, modified: bool = False) -> tuple[tuple[str, str], ...]:
    headers = [("x-amz-delete-marker", "true"), ("x-amz-version-id", marker.version_id)]
    if modified:
        headers.append(("Last-Modified", format_datetime(marker.last_modified, usegmt=True)))
    return tuple(headers)


def _marker_not_allowed(marker: S3Object, method: str, named: bool = True) -> MethodNotAllowed:
    """405 for a delete marker: "Allow: DELETE", the one method a delete marker takes
    (recorded from S3 in LocalStack's test_delete_object_versioned), and the marker's headers
    when the request ``named`` it by version ID; a marker that is only the latest version
    (PutObjectAcl, the tagging operations) goes without them (recorded from S3 for
    PutObjectAcl: a public report of requests sent to s3.amazonaws.com in 2026, tests D1-D4)."""
    error = MethodNotAllowed(Method=method, ResourceType="DeleteMarker")
    error.headers = (*(marker_headers(marker, modified=True) if named else ()), ("Allow", "DELETE"))
    return error


def get_object(
    ctx: CallContext,
    bucket_name: str,
    key: str,
    version_id: str | None = None,
    method: str = "GET",
    marker_not_allowed: bool = False,
) -> S3Object:
    """The object (its latest version, or ``version_id``), or S3's answer for a missing one:
    "If the object that you request doesn't exist, the error that Amazon S3 returns depends
    on whether you also have the s3:ListBucket permission": 404 NoSuchKey with it, 403
    AccessDenied without it (GetObject and HeadObject, S3 API reference; the same check for
    every object operation that finds no object, a copy's source included). A delete marker
    as the latest version is a missing object (module docstring), except where
    ``marker_not_allowed`` (the tagging operations: 405, recorded from AWS in LocalStack's
    test_s3_api snapshot, test_object_tagging_versioned); ``method`` is the 405's Method."""
    found_bucket = bucket(ctx, bucket_name)
    if version_id is not None:
        check_version_id(ctx, found_bucket, key, version_id)
        version = ctx.tx.get_object_version(bucket_name, key, version_id)
        if version is None:
            raise NoSuchVersion(Key=key, VersionId=version_id)  # no s3:ListBucket check: unconfirmed
        if version.delete_marker:
            raise _marker_not_allowed(version, method)
        return version
    latest = ctx.tx.get_object_version(bucket_name, key)
    if latest is not None and latest.delete_marker and marker_not_allowed:
        raise _marker_not_allowed(latest, method, named=False)
    if latest is None or latest.delete_marker:
        ctx.authorize("s3:ListBucket", bucket_arn(bucket_name), {})
        missing = NoSuchKey(Key=key)
        if latest is not None:
            missing.headers = marker_headers(latest)
        raise missing
    return latest


def version_member(found_bucket: Bucket, version: S3Object) -> dict[str, str]:
    """VersionId of a response about an existing version: sent once the bucket's versioning
    was ever set ("null" for the null version of a suspended bucket), not for an unversioned
    bucket (recorded, test_put_object_on_suspended_bucket and
    test_get_object_with_version_unversioned_bucket)."""
    return {"VersionId": version.version_id} if found_bucket.versioning is not None else {}


def read_body(body: Any) -> bytes:
    """A payload member as bytes: None, bytes, str, or a stream the protocol passed on."""
    if body is None:
        return b""
    if isinstance(body, bytes):
        return body
    if isinstance(body, bytearray | memoryview):
        return bytes(body)
    if isinstance(body, str):
        return body.encode("utf-8")
    data = body.read()
    return data if isinstance(data, bytes) else bytes(data)


def md5_etag(data: bytes) -> str:
    return '"' + hashlib.md5(data, usedforsecurity=False).hexdigest() + '"'


def check_content_md5(content_md5: str | None, data: bytes, part: bool = False) -> None:
    """Recorded from AWS (LocalStack's test_s3 snapshot, test_s3_invalid_content_md5): a
    BadDigest's ExpectedDigest is the sent digest in hex, an UploadPart's (``part``) as sent."""
    if content_md5 is None:
        return
    try:
        expected = base64.b64decode(content_md5, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidDigest(**{"Content-MD5": content_md5}) from None
    if len(expected) != 16:
        raise InvalidDigest(**{"Content-MD5": content_md5})
    actual = hashlib.md5(data, usedforsecurity=False).digest()
    if actual != expected:
        raise BadDigest(
            "The Content-MD5 you specified did not match what we received.",
            ExpectedDigest=content_md5 if part else expected.hex(),
            CalculatedDigest=base64.b64encode(actual).decode("ascii"),
        )


def unquote_etag(etag: str) -> str:
    return etag.strip().strip('"')


def etag_listed(header: str, etag: str) -> bool:
    """Whether an If-Match or If-None-Match list names this ETag: "*" names any object;
    tags compare without quotes and without a weak "W/" prefix (RFC 7232, sections 2.3.2
    and 3.2: If-None-Match compares weakly; S3's ETags are never weak)."""
    if header.strip() == "*":
        return True
    wanted = {unquote_etag(tag.strip().removeprefix("W/")) for tag in header.split(",")}
    return unquote_etag(etag) in wanted


def checksum_type(found: S3Object) -> str:
    """The x-amz-checksum-type of an object's stored checksum: FULL_OBJECT, as "For PutObject
    uploads, the checksum type is always FULL_OBJECT" (PutObject reference,
    x-amz-checksum-type), and for a multipart upload of that type; COMPOSITE for a multipart
    upload's checksum of its parts' checksums, which ends in "-<part count>" (checksums.py).
    Answered with the checksum by PutObject, GetObject and HeadObject (x-amz-checksum-mode
    ENABLED), CompleteMultipartUpload, CopyObject's CopyObjectResult, GetObjectAttributes and
    the Contents and Versions of listings (recorded from AWS in LocalStack's test_s3 snapshot)."""
    composite = any(checksums.is_composite(value) for value in found.checksums.values())
    return checksums.COMPOSITE if composite else checksums.FULL_OBJECT


# Beyond any size or position S3 handles (objects are at most 5 TB: 13 digits).
BEYOND_ANY_SIZE = 10**20


def whole_number(digits: str) -> int:
    """A run of digits as a number, one of more than 20 significant digits as
    ``BEYOND_ANY_SIZE`` (Python refuses to convert more than 4,300: ``int`` would raise)."""
    significant = digits.lstrip("0")
    return int(significant or "0") if len(significant) <= 20 else BEYOND_ANY_SIZE


def parts_count(found: S3Object) -> int | None:
    """The part count of a multipart object, which its ETag carries ("<md5>-<parts>"); None
    for an object written in one request."""
    _, dash, count = unquote_etag(found.etag).rpartition("-")
    return int(count) if dash and count.isascii() and count.isdigit() else None


def refuse_anonymous(ctx: CallContext, message: str) -> None:
    """S3 refuses some operations to an anonymous caller whatever the bucket policy grants,
    in these words (403 AccessDenied): "Anonymous users cannot initiate multipart uploads.
    Please authenticate." (recorded from S3: aws/aws-sdk-cpp#1575, and awsdocs/
    amazon-s3-userguide#91, "Anonymous users cannot initiate multipart uploads") and
    "Anonymous users cannot copy objects.  Please authenticate." (recorded "even with public
    access on the source object and destination bucket", Seagate/cortx-prvsnr#2908)."""
    if ctx.caller.kind is PrincipalKind.ANONYMOUS:
        raise AccessDenied(message)


ANONYMOUS_MULTIPART = "Anonymous users cannot initiate multipart uploads.  Please authenticate."
ANONYMOUS_COPY = "Anonymous users cannot copy objects.  Please authenticate."

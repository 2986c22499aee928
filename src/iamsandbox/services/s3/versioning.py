"""Bucket versioning: PutBucketVersioning, GetBucketVersioning, ListObjectVersions, and the
version a write makes ("Using versioning in S3 buckets", "Working with objects in a
versioning-enabled bucket", "... versioning-suspended bucket", "Working with delete
markers", S3 User Guide; the operations' pages in the S3 API Reference).

- A bucket is unversioned until PutBucketVersioning sets Enabled or Suspended; it never
  goes back ("Once you enable versioning on a bucket, it can never return to an unversioned
  state", "Using versioning in S3 buckets"), and GetBucketVersioning answers no Status until
  one is set ("If the versioning state has never been set on a bucket, it has no versioning
  state; a GetBucketVersioning request does not return a versioning state value",
  PutBucketVersioning). Status must be "Enabled" or "Suspended" as written ("enabled", "Disabled":
  MalformedXML), and a configuration without Status is IllegalVersioningConfigurationException
  (both recorded from AWS in LocalStack's test_s3_api snapshot, test_bucket_versioning_crud).
- MFA delete: "only the root user can permanently delete object versions or change the
  versioning configuration" once it is enabled, with the x-amz-mfa header, and "Requests
  that include x-amz-mfa must use HTTPS" ("Deleting an object from an MFA delete-enabled
  bucket", S3 User Guide). iamsandbox serves HTTP and does not check MFA codes, so
  MFADelete=Enabled answers NotImplemented; MFADelete=Disabled (the default) is kept and
  reported back.
- Writes (``write_version``): in an Enabled bucket each PutObject, CopyObject and
  CompleteMultipartUpload makes a new version with a new ID, answered as x-amz-version-id;
  in a Suspended or unversioned bucket the write is the "null" version, replacing the
  previous null version wherever it is among the key's versions ("Working with objects in a
  versioning-suspended bucket"); no x-amz-version-id then (recorded,
  test_put_object_on_suspended_bucket). Version IDs are 32 URL-safe characters, as S3's.
- ListObjectVersions: every version and delete marker by key, newest first within a key;
  Versions and DeleteMarkers together count toward MaxKeys, NextKeyMarker and
  NextVersionIdMarker name the last one returned; a VersionIdMarker without a KeyMarker is
  InvalidArgument, and a KeyMarker alone goes on after every version of that key (recorded,
  LocalStack's test_s3_list_operations snapshot, test_list_objects_versions_markers).
  Prefix, Delimiter (CommonPrefixes) and EncodingType=url as ListObjects (listing.py).

  Its checks, in S3's order (recorded from S3: a public report of 135 ListObjectVersions
  requests sent to s3.amazonaws.com in March and April 2026, with their answers): max-keys
  (not a Java int: the protocol's "Provided max-keys not an integer or within integer
  range"; negative: "max-keys cannot be negative", without ArgumentValue; empty: absent; a
  larger one is echoed and served at 1,000); then version-id-marker, whenever the parameter
  is given: without a key-marker parameter "A version-id marker cannot be specified without
  a key marker." (an empty key-marker counts as one), empty "A version-id marker cannot be
  empty.", not an ID of S3's "Invalid version id specified"; then encoding-type; then a NUL
  in key-marker or prefix ("Value must be a sequence of Unicode characters and cannot
  include Null."). An empty delimiter is echoed.

  A VersionIdMarker naming a version deleted since goes on with the key's older versions
  (recorded, LocalStack's test_list_objects_versions_with_prefix_only_and_pagination: a
  page deleted before the next is fetched), by the time its ID carries.

Versions and DeleteMarkers are written interleaved, in listing order, as S3 writes them
(``interleaved``; botocore reads two lists either way, the AWS SDK for Java v1 one list), and
the elements in S3's order (protocol/patches/s3.json).

Known gaps: MFA delete; S3 writes a
NUL in an error's ArgumentValue as "&#0;", which no XML parser reads, and iamsandbox as
U+FFFD; a VersionIdMarker naming no version iamsandbox made goes on after
that key (unconfirmed); the NextKeyMarker of a page that ends with a common prefix is that
prefix, without NextVersionIdMarker (unconfirmed).
"""

from __future__ import annotations

import base64
import binascii
import re
import secrets
import time
from datetime import UTC, datetime
from typing import Any

from ... import errors
from ...errors import IllegalVersioningConfigurationException, InvalidArgument, MalformedXML
from ...protocol.s3 import NULL_REFUSED
from ...store.interface import Bucket, S3Object
from ..context import CallContext
from . import common, configuration, listing

ENABLED, SUSPENDED = "Enabled", "Suspended"
_AFTER_ALL = "\U0010ffff"  # sorts after every key that starts with a given prefix
_EARLIEST_MICROS = int(datetime(2020, 1, 1, tzinfo=UTC).timestamp()) * 1_000_000  # before any ID made


def new_version_id() -> str:
    """32 characters of S3's alphabet (letters, digits, "." and "_": no "-", which a command
    line would read as an option): when it was made (microseconds since the epoch, 8 bytes),
    12 random bytes and the seal of those 20 (``common.version_seal``). The time lets a
    listing go on from a version deleted since it was named as VersionIdMarker
    (``version_time``)."""
    head = (time.time_ns() // 1000).to_bytes(8, "big") + secrets.token_bytes(12)
    return base64.urlsafe_b64encode(head + common.version_seal(head)).decode("ascii").replace("-", ".")


def version_time(version_id: str) -> datetime | None:
    """When ``new_version_id`` made ``version_id``, or None for an ID it did not make (the
    "null" version, IDs of earlier versions of iamsandbox, anything else)."""
    if len(version_id) != 32:
        return None
    try:
        raw = base64.urlsafe_b64decode(version_id.replace(".", "-"))
    except (ValueError, binascii.Error):
        return None
    if len(raw) != 24:
        return None
    micros = int.from_bytes(raw[:8], "big")  # any 8 bytes: an ID of an earlier version, or made up
    if not _EARLIEST_MICROS <= micros <= (time.time_ns() // 1000) + 86_400_000_000:
        return None
    return datetime.fromtimestamp(micros / 1e6, UTC)


def write_version(found: Bucket) -> str:
    """The version ID a write (or a simple DELETE's delete marker) makes in this bucket."""
    return new_version_id() if found.versioning == ENABLED else common.NULL_VERSION


def written(version: S3Object) -> dict[str, str]:
    """The VersionId of a write's response: only a new version's (module docstring)."""
    return {"VersionId": version.version_id} if version.version_id != common.NULL_VERSION else {}


def put_bucket_versioning(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = common.bucket(ctx, params["Bucket"])
    given = params.get("VersioningConfiguration") or {}
    status, mfa_delete = given.get("Status"), given.get("MFADelete")
    if status is None:
        raise IllegalVersioningConfigurationException()
    if status not in (ENABLED, SUSPENDED) or mfa_delete not in (None, "Enabled", "Disabled"):
        raise MalformedXML()
    if mfa_delete == "Enabled":
        raise errors.NotImplemented("MFA delete is not implemented by iamsandbox.")
    if status == SUSPENDED and configuration.has_replication(ctx, found.name):
        # "If you want to suspend versioning on the source bucket, first delete the
        # replication configuration" (S3 User Guide, replication and versioning); AWS's words
        # as its users quote them (hashicorp/terraform#22491, status 409).
        raise errors.InvalidBucketState(
            "A replication configuration is present on this bucket, so you cannot change the versioning state."
            " To change the versioning state, first delete the replication configuration."
        )
    ctx.tx.set_bucket_versioning(found.name, str(status), mfa_delete)
    return {}


def get_bucket_versioning(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = common.bucket(ctx, params["Bucket"])
    out: dict[str, Any] = {}
    if found.versioning is not None:
        out["Status"] = found.versioning
    if found.mfa_delete is not None:
        out["MFADelete"] = found.mfa_delete
    return out


def _walk(
    ctx: CallContext, bucket: str, prefix: str, delimiter: str | None, key_marker: str, version_marker: str, limit: int
) -> tuple[list[S3Object], list[str], bool, tuple[str, str | None] | None]:
    """(versions, common prefixes, truncated, last (key or prefix, version ID)) of one page."""
    versions: list[S3Object] = []
    prefixes: list[str] = []
    last: tuple[str, str | None] | None = None
    cursor_key, cursor_version = key_marker, version_marker
    while True:
        batch = ctx.tx.list_object_versions(
            bucket, prefix, cursor_key, cursor_version, limit + 1, version_time(cursor_version)
        )
        if not batch:
            return versions, prefixes, False, last
        for version in batch:
            if len(versions) + len(prefixes) >= limit:
                return versions, prefixes, True, last
            rolled = listing.rollup(version.key, prefix, delimiter)
            if rolled is not None:
                if rolled > key_marker:  # else listed before the marker (as listing._walk)
                    prefixes.append(rolled)
                    last = (rolled, None)
                cursor_key, cursor_version = rolled + _AFTER_ALL, ""
                break  # go on after every version of every key under this common prefix
            versions.append(version)
            last = (version.key, version.version_id)
            cursor_key, cursor_version = version.key, version.version_id
        else:
            if len(batch) <= limit:
                return versions, prefixes, False, last


def _entry(version: S3Object, encode: Any, owner: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "Key": encode(version.key),
        "VersionId": version.version_id,
        "IsLatest": version.is_latest,
        "LastModified": version.last_modified,
        "Owner": owner,
    }
    if not version.delete_marker:
        out.update({"ETag": version.etag, "Size": version.size, "StorageClass": version.headers.storage_class})
        if version.checksums:
            out["ChecksumAlgorithm"] = list(version.checksums)
            out["ChecksumType"] = common.checksum_type(version)
    return out


# The result's record of its entries' kinds in listing order (True: a delete marker), which
# the model cannot carry: S3 writes Version and DeleteMarker elements interleaved, by key and
# newest first, where the model has two lists (recorded from S3, module docstring).
ENTRY_KINDS = "iamsandbox:entry-kinds"
_ENTRY = re.compile(rb"<(Version|DeleteMarker)>.*?</\1>", re.S)


def interleaved(body: bytes, kinds: list[bool]) -> bytes:
    """ListObjectVersions' XML ``body`` with its Version and DeleteMarker elements (written as
    two runs, the model's two lists) in listing order, as ``kinds`` records it."""
    found = list(_ENTRY.finditer(body))
    if len(found) != len(kinds) or len(found) < 2:
        return body
    versions = iter([match.group(0) for match in found if match.group(1) == b"Version"])
    markers = iter([match.group(0) for match in found if match.group(1) == b"DeleteMarker"])
    middle = b"".join(next(markers) if marker else next(versions) for marker in kinds)
    return body[: found[0].start()] + middle + body[found[-1].end() :]


def _check_version_marker(ctx: CallContext, bucket: str, key_marker: str | None, version_marker: str) -> None:
    """A VersionIdMarker S3 refuses, in the order of its checks (recorded, module docstring):
    without a key-marker parameter (an empty one counts), empty, or no version ID of S3's."""
    if key_marker is None:
        message = "A version-id marker cannot be specified without a key marker."
    elif not version_marker:
        message = "A version-id marker cannot be empty."
    elif not common.valid_version_id(ctx, bucket, key_marker, version_marker):
        message = "Invalid version id specified"
    else:
        return
    raise InvalidArgument(message, ArgumentName="version-id-marker", ArgumentValue=version_marker)


def list_object_versions(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = common.bucket(ctx, params["Bucket"])
    given = params.get("MaxKeys")
    if given is not None and given < 0:
        # Recorded from S3 (the 2026 recordings of ListObjectVersions, module docstring).
        raise InvalidArgument("max-keys cannot be negative", ArgumentName="max-keys")
    limit = listing.MAX_KEYS if given is None else min(given, listing.MAX_KEYS)
    key_marker = params.get("KeyMarker")
    version_marker = params.get("VersionIdMarker")
    if version_marker is not None:
        _check_version_marker(ctx, found.name, key_marker, version_marker)
    encode = listing.encoder(params)
    for name, wire in (("KeyMarker", "key-marker"), ("Prefix", "prefix")):
        if "\0" in (params.get(name) or ""):
            raise InvalidArgument(
                NULL_REFUSED,
                ArgumentName=wire,
                ArgumentValue=params[name],
            )
    prefix = params.get("Prefix") or ""
    delimiter = params.get("Delimiter")  # an empty one is echoed (recorded) and rolls nothing up
    key_marker = key_marker or ""
    version_marker = version_marker or ""
    versions: list[S3Object] = []
    prefixes: list[str] = []
    truncated, last = False, None
    if limit > 0:
        versions, prefixes, truncated, last = _walk(
            ctx, found.name, prefix, delimiter, key_marker, version_marker, limit
        )
    owner = common.owner(found.account_id)
    out: dict[str, Any] = {
        "Name": found.name,
        "Prefix": encode(prefix),
        "KeyMarker": encode(key_marker),
        "VersionIdMarker": version_marker,
        "MaxKeys": listing.MAX_KEYS if given is None else given,  # as asked (recorded), served at most 1,000
        "IsTruncated": truncated,
    }
    out[ENTRY_KINDS] = [version.delete_marker for version in versions]  # for ``interleaved``
    kept = [_entry(version, encode, owner) for version in versions if not version.delete_marker]
    markers = [_entry(version, encode, owner) for version in versions if version.delete_marker]
    if kept:
        out["Versions"] = kept
    if markers:
        out["DeleteMarkers"] = markers
    listing.grouping(out, prefixes, delimiter, params, encode)
    if truncated and last is not None:
        out["NextKeyMarker"] = encode(last[0])
        if last[1] is not None:
            out["NextVersionIdMarker"] = last[1]
    return out

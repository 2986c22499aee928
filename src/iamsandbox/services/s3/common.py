"""What the S3 handlers share: bucket and object lookups with S3's errors, ARNs, the
canonical user id that stands for an account, ETags, Content-MD5 checks, and reading a
streaming body.

S3 names owners by a 64-hex-digit canonical user ID; here it is derived from the account
id (a stable hash), so every replica agrees without storing it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from typing import Any

from ...errors import BadDigest, InvalidDigest, NoSuchBucket, NoSuchKey
from ...store.interface import Bucket, S3Object
from ..context import CallContext

US_EAST_1 = "us-east-1"
# S3 encrypts every new object with SSE-S3 ("Amazon S3 now automatically encrypts all new
# objects", 2023): every write and read answers with this header.
SSE = "AES256"
STANDARD = "STANDARD"
DEFAULT_CONTENT_TYPE = "binary/octet-stream"


def bucket_arn(name: str) -> str:
    return f"arn:aws:s3:::{name}"


def object_arn(bucket: str, key: str) -> str:
    return f"arn:aws:s3:::{bucket}/{key}"


def canonical_id(account_id: str) -> str:
    return hashlib.sha256(f"iamsandbox-canonical-user:{account_id}".encode()).hexdigest()


def owner(account_id: str) -> dict[str, str]:
    return {"ID": canonical_id(account_id)}


def bucket(ctx: CallContext, name: str) -> Bucket:
    found = ctx.tx.get_bucket(name)
    if found is None:
        raise NoSuchBucket(BucketName=name)
    return found


def get_object(ctx: CallContext, bucket_name: str, key: str) -> S3Object:
    """The object, or S3's answer for a missing one: "If the object that you request doesn't
    exist, the error that Amazon S3 returns depends on whether you also have the
    s3:ListBucket permission": 404 NoSuchKey with it, 403 AccessDenied without it
    (GetObject and HeadObject, S3 API reference; the same check for every object operation
    that finds no object, a copy's source included)."""
    bucket(ctx, bucket_name)
    found = ctx.tx.get_object(bucket_name, key)
    if found is None:
        ctx.authorize("s3:ListBucket", bucket_arn(bucket_name), {})
        raise NoSuchKey(Key=key)
    return found


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


def check_content_md5(content_md5: str | None, data: bytes) -> None:
    """Recorded from AWS (LocalStack's test_s3 snapshot, test_s3_invalid_content_md5)."""
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
            ExpectedDigest=expected.hex(),
            CalculatedDigest=base64.b64encode(actual).decode("ascii"),
        )


def unquote_etag(etag: str) -> str:
    return etag.strip().strip('"')

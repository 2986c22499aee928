"""A presigned S3 URL fetched again is not verified from scratch (``SigningKeyCache.presigned``),
yet answers every fetch as a first one would: what the signature covers must be the same,
and what it does not cover (the URL's lifetime, the key's state, unsigned headers) is
checked each time. The answers are those of "Authenticating Requests: Using Query
Parameters (AWS Signature Version 4)" in the Amazon S3 API Reference."""

from __future__ import annotations

import time

import pytest
from botocore.auth import S3SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from test_sigv4_errors import KEY_ID, SECRET, Wire, _set_header, _wire

from iamsandbox import errors
from iamsandbox.auth import sigv4


class Keys:
    """A key store whose key can be deleted or re-created with another secret."""

    def __init__(self) -> None:
        self.secret: str | None = SECRET
        self.lookups = 0

    def __call__(self, key_id: str) -> str | None:
        self.lookups += 1
        return self.secret if key_id == KEY_ID else None


def _presigned(expires: int = 3600) -> Wire:
    request = AWSRequest("GET", "https://bucket.s3.amazonaws.com/key")
    S3SigV4QueryAuth(Credentials(KEY_ID, SECRET), "s3", "us-east-1", expires=expires).add_auth(request)
    return _wire(request)


def _verify(wire: Wire, keys: Keys, cache: sigv4.SigningKeyCache, now: float) -> sigv4.Authenticated | None:
    method, path, query, headers, _body = wire
    return sigv4.verify_request(
        method, path, query, headers, service="s3", lookup=keys, now=now, cache=cache, body=None
    )


def test_a_url_fetched_again_is_kept_and_still_checked_each_time() -> None:
    wire, keys, cache = _presigned(expires=60), Keys(), sigv4.SigningKeyCache()
    signed_at = time.time()
    first = _verify(wire, keys, cache, signed_at + 1)
    assert first is not None and first.access_key_id == KEY_ID and len(cache.presigned) == 1
    assert _verify(wire, keys, cache, signed_at + 2) == first
    assert keys.lookups == 2  # the key is asked for again: a deleted key must not pass
    method, path, query, headers, body = wire
    with pytest.raises(errors.AccessDenied, match="^There were headers present in the request which were not signed$"):
        _verify((method, path, query, [*headers, ("x-amz-meta-x", "1")], body), keys, cache, signed_at + 3)
    with pytest.raises(errors.AccessDenied, match=r"^Request has expired$"):
        _verify(wire, keys, cache, signed_at + 120)


def test_a_deleted_key_or_another_secret_refuses_the_kept_url() -> None:
    wire, keys, cache = _presigned(), Keys(), sigv4.SigningKeyCache()
    now = time.time()
    assert _verify(wire, keys, cache, now) is not None
    keys.secret = None  # DeleteAccessKey
    with pytest.raises(errors.InvalidAccessKeyId):
        _verify(wire, keys, cache, now)
    keys.secret = "another/secret/of/forty/characters/xxxxxx"
    with pytest.raises(errors.SignatureDoesNotMatch):
        _verify(wire, keys, cache, now)


def test_a_changed_signed_header_or_signature_is_verified_afresh() -> None:
    wire, keys, cache = _presigned(), Keys(), sigv4.SigningKeyCache()
    now = time.time()
    assert _verify(wire, keys, cache, now) is not None
    method, path, query, headers, body = wire
    with pytest.raises(errors.SignatureDoesNotMatch):
        _verify((method, path, query, _set_header(headers, "host", "other.s3.amazonaws.com"), body), keys, cache, now)
    forged = query.replace("X-Amz-Signature=", "X-Amz-Signature=0")[:-1]
    with pytest.raises(errors.SignatureDoesNotMatch):
        _verify((method, path, forged, headers, body), keys, cache, now)
    with pytest.raises(errors.SignatureDoesNotMatch):
        _verify(("PUT", path, query, headers, body), keys, cache, now)
    assert len(cache.presigned) == 1


def test_the_memo_keeps_no_secret_and_no_long_query() -> None:
    """STYLE.md: no secret in a value's repr. A verified URL is kept with a hash of the
    secret, and a query far longer than any presigned URL's is not kept at all (anyone may
    send one; the memo is filled before authorization)."""
    wire, keys, cache = _presigned(), Keys(), sigv4.SigningKeyCache()
    now = time.time()
    assert _verify(wire, keys, cache, now) is not None
    assert SECRET not in repr(cache.presigned) and SECRET.encode() not in repr(cache.presigned).encode()
    request = AWSRequest("GET", "https://bucket.s3.amazonaws.com/key")
    S3SigV4QueryAuth(Credentials(KEY_ID, SECRET, "t" * 5000), "s3", "us-east-1", expires=60).add_auth(request)
    long_one = _wire(request)  # a valid URL whose query (its token) is over 4 KiB
    assert len(long_one[2]) > 5000
    assert _verify(long_one, keys, cache, now) is not None
    assert len(cache.presigned) == 1  # verified, not kept

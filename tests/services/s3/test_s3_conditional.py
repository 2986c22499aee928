"""Conditional reads and copies: GetObject, HeadObject and CopyObject with If-Match,
If-None-Match, If-Modified-Since and If-Unmodified-Since.

AWS pages: GetObject and HeadObject in the Amazon S3 API Reference (If-None-Match or
If-Modified-Since that does not hold: 304 Not Modified; If-Match or If-Unmodified-Since:
412 Precondition Failed; "If-Match true and If-Unmodified-Since false: 200 OK";
"If-None-Match false and If-Modified-Since true: 304 Not Modified"), CopyObject
(x-amz-copy-source-if-*: 412 when a condition fails, with the same two combinations),
"Conditional requests" in the S3 User Guide, and RFC 7232 (which those pages cite) for the
order of evaluation and weak comparison.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from email.utils import format_datetime
from typing import Any

import pytest

from iamsandbox.errors import NoSuchKey, NotModified, PreconditionFailed
from iamsandbox.protocol.model import ServiceModels
from iamsandbox.protocol.s3 import S3Protocol

SECOND = timedelta(seconds=1)


@pytest.fixture
def stored(run: Callable[..., Any]) -> tuple[str, datetime]:
    """The ETag and the Last-Modified (as a client sees it: whole seconds) of bkt/k."""
    etag = run("PutObject", Bucket="bkt", Key="k", Body=b"content")["ETag"]
    modified = run("HeadObject", Bucket="bkt", Key="k")["LastModified"]
    return etag, modified.replace(microsecond=0)


@pytest.mark.parametrize("operation", ["GetObject", "HeadObject"])
def test_if_none_match_that_matches_is_304(
    run: Callable[..., Any], stored: tuple[str, datetime], operation: str
) -> None:
    # GetObject / HeadObject: "Return the object only if its entity tag (ETag) is different
    # from the one specified; otherwise, return a 304 (not modified) error."
    etag, modified = stored
    for header in (etag, etag.strip('"'), "*", f'"0000", {etag}', f"W/{etag}"):
        with pytest.raises(NotModified) as raised:
            run(operation, Bucket="bkt", Key="k", IfNoneMatch=header)
        assert raised.value.status == 304
        # RFC 7232, section 4.1: the 304 carries the ETag a 200 would have.
        assert dict(raised.value.headers) == {"ETag": etag, "Last-Modified": format_datetime(modified, usegmt=True)}
    other = run(operation, Bucket="bkt", Key="k", IfNoneMatch='"0000"')
    assert other["ETag"] == etag


@pytest.mark.parametrize("operation", ["GetObject", "HeadObject"])
def test_if_modified_since(run: Callable[..., Any], stored: tuple[str, datetime], operation: str) -> None:
    # GetObject / HeadObject: "Return the object only if it has been modified since the
    # specified time; otherwise, return a 304 (not modified) error." The time the object
    # was last modified, as its own Last-Modified gives it, is not "since". A time in the
    # future is ignored (recorded from AWS: test_s3_recorded_object_answers.py).
    _etag, modified = stored
    with pytest.raises(NotModified):
        run(operation, Bucket="bkt", Key="k", IfModifiedSince=modified)
    assert run(operation, Bucket="bkt", Key="k", IfModifiedSince=modified - SECOND)["ContentLength"] == 7
    assert run(operation, Bucket="bkt", Key="k", IfModifiedSince=modified + timedelta(days=1))["ContentLength"] == 7


@pytest.mark.parametrize("operation", ["GetObject", "HeadObject"])
def test_if_unmodified_since(run: Callable[..., Any], stored: tuple[str, datetime], operation: str) -> None:
    # GetObject / HeadObject: "Return the object only if it has not been modified since the
    # specified time; otherwise, return a 412 Precondition Failed error."
    _etag, modified = stored
    assert run(operation, Bucket="bkt", Key="k", IfUnmodifiedSince=modified)["ContentLength"] == 7
    with pytest.raises(PreconditionFailed) as raised:
        run(operation, Bucket="bkt", Key="k", IfUnmodifiedSince=modified - SECOND)
    assert raised.value.status == 412 and raised.value.fields == {"Condition": "If-Unmodified-Since"}


def test_documented_combinations(run: Callable[..., Any], stored: tuple[str, datetime]) -> None:
    etag, modified = stored
    # GetObject: If-Match true and If-Unmodified-Since false: "S3 returns 200 OK and the data requested."
    got = run("GetObject", Bucket="bkt", Key="k", IfMatch=etag, IfUnmodifiedSince=modified - SECOND)
    assert got["Body"] == b"content"
    # GetObject: If-None-Match false and If-Modified-Since true: "S3 returns 304 Not Modified".
    with pytest.raises(NotModified):
        run("GetObject", Bucket="bkt", Key="k", IfNoneMatch=etag, IfModifiedSince=modified - SECOND)


def test_rfc_7232_order(run: Callable[..., Any], stored: tuple[str, datetime]) -> None:
    etag, modified = stored
    # RFC 7232, section 6: If-Match is evaluated first; when it fails the answer is 412,
    # whatever If-None-Match says.
    with pytest.raises(PreconditionFailed) as raised:
        run("GetObject", Bucket="bkt", Key="k", IfMatch='"0000"', IfNoneMatch=etag)
    assert raised.value.fields == {"Condition": "If-Match"}
    # RFC 7232, section 3.3: with If-None-Match present, If-Modified-Since is ignored.
    got = run("GetObject", Bucket="bkt", Key="k", IfNoneMatch='"0000"', IfModifiedSince=modified)
    assert got["Body"] == b"content"
    # If-Match true, If-None-Match naming the same ETag: 304 (section 6, step 3).
    with pytest.raises(NotModified):
        run("HeadObject", Bucket="bkt", Key="k", IfMatch=etag, IfNoneMatch=etag)


def test_missing_key_is_still_no_such_key(run: Callable[..., Any]) -> None:
    with pytest.raises(NoSuchKey):
        run("GetObject", Bucket="bkt", Key="missing", IfNoneMatch="*")


def test_copy_source_conditions(run: Callable[..., Any], stored: tuple[str, datetime]) -> None:
    # CopyObject: x-amz-copy-source-if-none-match, -if-modified-since, -if-match and
    # -if-unmodified-since each refuse the copy with 412 Precondition Failed when they fail.
    etag, modified = stored
    refused: list[tuple[dict[str, Any], str]] = [
        ({"CopySourceIfNoneMatch": etag}, "x-amz-copy-source-If-None-Match"),
        ({"CopySourceIfModifiedSince": modified}, "x-amz-copy-source-If-Modified-Since"),
        ({"CopySourceIfMatch": '"0000"'}, "x-amz-copy-source-If-Match"),
        ({"CopySourceIfUnmodifiedSince": modified - SECOND}, "x-amz-copy-source-If-Unmodified-Since"),
        # CopyObject: if-none-match false and if-modified-since true: 412.
        ({"CopySourceIfNoneMatch": etag, "CopySourceIfModifiedSince": modified - SECOND},
         "x-amz-copy-source-If-None-Match"),
    ]  # fmt: skip
    for conditions, condition in refused:
        with pytest.raises(PreconditionFailed) as raised:
            run("CopyObject", Bucket="bkt", Key="copy", CopySource="bkt/k", **conditions)
        assert raised.value.status == 412 and raised.value.fields == {"Condition": condition}
    with pytest.raises(NoSuchKey):
        run("GetObject", Bucket="bkt", Key="copy")
    copied: list[dict[str, Any]] = [
        {"CopySourceIfNoneMatch": '"0000"', "CopySourceIfModifiedSince": modified - SECOND},
        # CopyObject: if-match true and if-unmodified-since false: "Amazon S3 returns 200 OK
        # and copies the data."
        {"CopySourceIfMatch": etag, "CopySourceIfUnmodifiedSince": modified - SECOND},
    ]
    for index, conditions in enumerate(copied):
        out = run("CopyObject", Bucket="bkt", Key=f"copy{index}", CopySource="bkt/k", **conditions)
        assert out["CopyObjectResult"]["ETag"] == etag


def test_304_has_no_body_on_the_wire() -> None:
    # RFC 7232, section 4.1 (a 304 has no body, and carries the ETag a 200 would have);
    # RFC 7230, section 3.3.2 (a 304 may not say Content-Length: 0 for a non-empty object).
    protocol = S3Protocol(ServiceModels().service("s3"), ["s3.localhost"])
    headers = (("ETag", '"abc"'), ("Last-Modified", "Thu, 02 Jan 2025 03:04:05 GMT"))
    for head in (False, True):
        response = protocol.serialize_error(NotModified(headers=headers), "REQ1", "HOST1", head=head)
        assert response.status == 304 and response.body == b""
        assert response.header("ETag") == '"abc"'
        assert response.header("Last-Modified") == "Thu, 02 Jan 2025 03:04:05 GMT"
        assert response.header("Content-Length") is None and response.header("Content-Type") is None

"""aws-chunked bodies a black-box review sent, each answered as S3 answered it in the
threads cited: an x-amz-decoded-content-length that is no length, one the payload does not
match, and trailing headers that are not the ones x-amz-trailer declares (or not
``name:value``, or not a checksum of their kind).
"""

from __future__ import annotations

import pytest

from iamsandbox import errors
from iamsandbox.auth import chunked, sigv4

MALFORMED_TRAILER = (
    "The request contained trailing data that was not well-formed or did not conform to our published schema."
)
PAYLOAD = b"hello"
CRC32 = "x-amz-checksum-crc32"


def _auth() -> sigv4.Authenticated:
    return sigv4.Authenticated(
        access_key_id="AKIDEXAMPLE",
        scope=sigv4.CredentialScope("20240101", "us-east-1", "s3"),
        amz_date="20240101T000000Z",
        request_time=0,
        signed_headers=("host",),
        presigned=False,
        payload_hash=sigv4.STREAMING_UNSIGNED_TRAILER,
    )


def _body(trailer: bytes | None, payload: bytes = PAYLOAD) -> bytes:
    """A STREAMING-UNSIGNED-PAYLOAD-TRAILER body of one chunk, then ``trailer`` lines."""
    body = b"%x\r\n%s\r\n0\r\n" % (len(payload), payload)
    return body + (trailer + b"\r\n" if trailer is not None else b"") + b"\r\n"


def _good_trailer(name: str = CRC32) -> bytes:
    return f"{name}:{chunked.checksum_b64(name, PAYLOAD)}".encode()


def test_the_well_formed_body_is_taken() -> None:
    payload, trailers = chunked.decode_aws_chunked(
        _body(_good_trailer()), _auth(), [("x-amz-trailer", CRC32), ("x-amz-decoded-content-length", "5")]
    )
    assert payload == PAYLOAD and trailers == {CRC32: chunked.checksum_b64(CRC32, PAYLOAD)}
    # No x-amz-trailer and no trailer line: S3 takes it (versity/versitygw#1632).
    assert chunked.decode_aws_chunked(_body(None), _auth(), [])[0] == PAYLOAD


@pytest.mark.parametrize("value", ["abc", "-1", "", "1e3"])
def test_decoded_content_length_that_is_no_length_is_missing_content_length(value: str) -> None:
    # S3's answer (versity/versitygw#1656): 411 MissingContentLength "You must provide the
    # Content-Length HTTP header."
    headers = [("x-amz-trailer", CRC32), ("x-amz-decoded-content-length", value)]
    with pytest.raises(errors.MissingContentLength) as caught:
        chunked.decode_aws_chunked(_body(_good_trailer()), _auth(), headers)
    assert caught.value.status == 411
    assert caught.value.message == "You must provide the Content-Length HTTP header."


@pytest.mark.parametrize(("declared", "provided"), [("3", "5"), ("9", "5")])
def test_decoded_content_length_mismatch_names_both_counts(declared: str, provided: str) -> None:
    # S3's answer (versity/versitygw#1684: 3 declared, "hello" sent): IncompleteBody "You did
    # not provide the number of bytes specified by the Content-Length HTTP header" with
    # NumberBytesExpected 3 and NumberBytesProvided 5.
    headers = [("x-amz-trailer", CRC32), ("x-amz-decoded-content-length", declared)]
    with pytest.raises(errors.IncompleteBody) as caught:
        chunked.decode_aws_chunked(_body(_good_trailer()), _auth(), headers)
    assert caught.value.message == "You did not provide the number of bytes specified by the Content-Length HTTP header"
    assert caught.value.fields == {"NumberBytesExpected": declared, "NumberBytesProvided": provided}


@pytest.mark.parametrize(
    ("declared", "trailer"),
    [
        # x-amz-trailer declared, no trailer line sent (versity/versitygw#1600).
        ([("x-amz-trailer", CRC32)], None),
        # A trailer sent without x-amz-trailer (scality/Arsenal#2596: "The x-amz-trailer is
        # not set but the body contains a trailer"); today it was taken, and not verified.
        ([], _good_trailer()),
        ([], b"x-amz-checksum-crc32:AAAAAA=="),
        # A trailer other than the one declared (versity/versitygw#1691, #1690).
        ([("x-amz-trailer", CRC32)], _good_trailer("x-amz-checksum-sha256")),
        ([("x-amz-trailer", CRC32)], b"x-invalid-checksum-crc32:" + _good_trailer().split(b":")[1]),
        # An empty key, or no colon (versity/versitygw#1626, #1690).
        ([("x-amz-trailer", CRC32)], b":" + _good_trailer().split(b":")[1]),
        ([("x-amz-trailer", CRC32)], _good_trailer().replace(b":", b"")),
    ],
)
def test_trailers_that_are_not_as_declared_are_malformed(declared: list[tuple[str, str]], trailer: bytes) -> None:
    with pytest.raises(chunked.MalformedTrailerError) as caught:
        chunked.decode_aws_chunked(_body(trailer), _auth(), declared)
    assert caught.value.code == "MalformedTrailerError" and caught.value.status == 400
    assert caught.value.message == MALFORMED_TRAILER


@pytest.mark.parametrize("value", [b"not base64!", b"M3eFcAZSQlcb", b""])
def test_trailer_value_that_is_no_checksum_is_an_invalid_trailing_header(value: bytes) -> None:
    # S3's words (versity/versitygw PR #1173, #1652): "Value for x-amz-checksum-crc32
    # trailing header is invalid."
    with pytest.raises(errors.InvalidRequest) as caught:
        chunked.decode_aws_chunked(_body(b"x-amz-checksum-crc32:" + value), _auth(), [("x-amz-trailer", CRC32)])
    assert caught.value.message == "Value for x-amz-checksum-crc32 trailing header is invalid."

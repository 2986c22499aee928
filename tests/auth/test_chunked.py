"""aws-chunked bodies: the S3 documentation's chunked examples, botocore's own encoder
for STREAMING-UNSIGNED-PAYLOAD-TRAILER, tampering, and fuzzing (only our errors escape)."""

from __future__ import annotations

import base64
import hashlib
import io
import zlib

import pytest
import sigv4_vectors as v
from botocore.httpchecksum import AwsChunkedWrapper, Crc32Checksum, Sha256Checksum
from hypothesis import given, settings
from hypothesis import strategies as st

from iamsandbox import errors
from iamsandbox.auth import chunked, sigv4

S3 = v.s3_examples()
S3_TIME = 1369353600
CHUNKED = {c["name"]: c for c in S3["chunked"]}  # type: ignore[attr-defined,index]


def _seed(case: dict[str, object]) -> tuple[sigv4.Authenticated, list[tuple[str, str]]]:
    headers_d = case["headers"]
    assert isinstance(headers_d, dict)
    headers = [(str(k), str(val)) for k, val in headers_d.items()]
    target = str(case["request_target"])
    auth = sigv4.verify_request(
        str(case["method"]),
        target,
        "",
        [*headers, ("Authorization", str(case["authorization"]))],
        service="s3",
        lookup=lambda k: v.S3_SECRET if k == v.S3_KEY_ID else None,
        now=S3_TIME,
        cache=sigv4.SigningKeyCache(),
    )
    assert auth is not None
    return auth, headers


def _doc_body(case: dict[str, object]) -> bytes:
    """The body as sigv4-streaming(-trailers).html lays it out, from the example's chunks."""
    out = b""
    chunks = case["chunks"]
    assert isinstance(chunks, list)
    for chunk in chunks:
        out += str(chunk["chunk_header"]).encode() + b"\r\n" + b"a" * int(chunk["size"])
        if chunk["size"] or "trailer" not in case:
            out += b"\r\n"
    trailer = case.get("trailer")
    if isinstance(trailer, dict):
        line = str(trailer["trailing_header_bytes_hashed"]).rstrip("\n")
        out += line.encode() + b"\r\n" + b"x-amz-trailer-signature:" + str(trailer["signature"]).encode() + b"\r\n\r\n"
    return out


@pytest.mark.parametrize("name", sorted(CHUNKED))
def test_s3_chunked_examples_decode(name: str) -> None:
    case = CHUNKED[name]
    auth, headers = _seed(case)
    body = _doc_body(case)
    if name == "chunked-put-object":
        assert len(body) == 66824  # the documented Content-Length
    payload, trailers = chunked.decode_aws_chunked(body, auth, headers)
    assert payload == b"a" * 66560
    if "trailer" in case:
        assert trailers == {"x-amz-checksum-crc32c": "sOO8/Q=="}


@pytest.mark.parametrize("name", sorted(CHUNKED))
def test_s3_chunked_examples_fed_byte_by_byte_pieces(name: str) -> None:
    case = CHUNKED[name]
    auth, headers = _seed(case)
    body = _doc_body(case)
    decoder = chunked.AwsChunkedDecoder(auth, headers)
    out = b"".join(decoder.feed(body[i : i + 997]) for i in range(0, len(body), 997))
    decoder.finish()
    assert out == b"a" * 66560


@pytest.mark.parametrize("name", sorted(CHUNKED))
def test_s3_chunked_tampering(name: str) -> None:
    case = CHUNKED[name]
    auth, headers = _seed(case)
    body = _doc_body(case)
    flipped = body.replace(b"aaaa\r\n", b"aaab\r\n", 1)  # one payload byte of the first chunk
    with pytest.raises(errors.SignatureDoesNotMatch):
        chunked.decode_aws_chunked(flipped, auth, headers)
    with pytest.raises(errors.IncompleteBody):
        chunked.decode_aws_chunked(body[:-7], auth, headers)
    short = [(k, "66559" if k == "x-amz-decoded-content-length" else val) for k, val in headers]
    with pytest.raises(errors.IncompleteBody):
        chunked.decode_aws_chunked(body, auth, short)


def test_trailer_signature_tampering() -> None:
    case = CHUNKED["chunked-put-object-with-trailer"]
    auth, headers = _seed(case)
    body = _doc_body(case).replace(b"sOO8/Q==", b"sOO8/Q=A")
    with pytest.raises(errors.SignatureDoesNotMatch):
        chunked.decode_aws_chunked(body, auth, headers)


def _unsigned_auth() -> sigv4.Authenticated:
    return sigv4.Authenticated(
        access_key_id="AKIDEXAMPLE",
        scope=sigv4.CredentialScope("20240101", "us-east-1", "s3"),
        amz_date="20240101T000000Z",
        request_time=0,
        signed_headers=("host",),
        presigned=False,
        payload_hash=sigv4.STREAMING_UNSIGNED_TRAILER,
    )


def _boto_body(payload: bytes, name: str, checksum: object, chunk_size: int = chunked.MIN_CHUNK) -> bytes:
    wrapper = AwsChunkedWrapper(io.BytesIO(payload), checksum_cls=checksum, checksum_name=name, chunk_size=chunk_size)
    return bytes(wrapper.read())


@pytest.mark.parametrize(
    ("name", "cls"), [("x-amz-checksum-crc32", Crc32Checksum), ("x-amz-checksum-sha256", Sha256Checksum)]
)
def test_unsigned_trailer_from_botocore(name: str, cls: object) -> None:
    payload = bytes(range(256)) * 40  # two data chunks of 8,192 and 2,048 bytes
    body = _boto_body(payload, name, cls)
    headers = [("x-amz-trailer", name), ("x-amz-decoded-content-length", str(len(payload)))]
    out, trailers = chunked.decode_aws_chunked(body, _unsigned_auth(), headers)
    assert out == payload and name in trailers
    bad = _boto_body(payload[:-1] + b"?", name, cls)
    with pytest.raises(
        errors.BadDigest, match=r"The (CRC32|SHA256) you specified did not match the calculated checksum\."
    ):
        chunked.decode_aws_chunked(bad.replace(b"?", b"!"), _unsigned_auth(), headers)


@pytest.mark.parametrize("name", sorted(chunked.CHECKSUMS))
def test_every_checksum_verifies_and_rejects(name: str) -> None:
    payload = b"The quick brown fox" * 100
    value = chunked.checksum_b64(name, payload)
    body = b"%x\r\n%s\r\n0\r\n%s:%s\r\n\r\n" % (len(payload), payload, name.encode(), value.encode())
    out, _ = chunked.decode_aws_chunked(body, _unsigned_auth(), [("x-amz-trailer", name)])
    assert out == payload
    with pytest.raises(errors.BadDigest):
        chunked.decode_aws_chunked(body.replace(b"fox", b"fix", 1), _unsigned_auth(), [("x-amz-trailer", name)])
    # A trailer's value is a "trailing header" in S3's words (versity/versitygw#1173, #1652).
    with pytest.raises(errors.InvalidRequest, match=f"^Value for {name} trailing header is invalid\\.$"):
        chunked.decode_aws_chunked(body.replace(value.encode(), b"AAAA!"), _unsigned_auth(), [("x-amz-trailer", name)])


def test_checksum_check_values() -> None:
    # The standard check input "123456789": CRC-32C = 0xE3069283 (RFC 3720 B.4),
    # CRC-64/NVME = 0xAE8B14860A799888 (the NVMe base spec's check value), CRC-32 = zlib.
    check = b"123456789"
    assert base64.b64decode(chunked.checksum_b64("x-amz-checksum-crc32c", check)) == bytes.fromhex("e3069283")
    assert base64.b64decode(chunked.checksum_b64("x-amz-checksum-crc64nvme", check)) == bytes.fromhex(
        "ae8b14860a799888"
    )
    assert base64.b64decode(chunked.checksum_b64("x-amz-checksum-crc32", check)) == zlib.crc32(check).to_bytes(4, "big")
    # And the S3 trailer example: crc32c of 66560 bytes of 'a' is sOO8/Q==.
    assert chunked.checksum_b64("x-amz-checksum-crc32c", b"a" * 66560) == "sOO8/Q=="


@pytest.mark.parametrize("name", ["x-amz-checksum-crc32c", "x-amz-checksum-crc64nvme"])
def test_a_long_update_folds_in_slices_to_the_table_crc(name: str) -> None:
    # Past a slice (1 MiB) the folded CRC goes on from the one before; byte by byte in short
    # pieces (the table) it is the same CRC.
    data = hashlib.sha256(b"seed").digest() * (((1 << 20) * 2 + 777) // 32)
    whole = chunked.checksum_b64(name, data)
    label, factory, _size = chunked.CHECKSUMS[name]
    assert callable(factory)
    pieces = factory()
    for start in range(0, len(data), 500):  # under the fold's threshold: the table
        pieces.update(data[start : start + 500])
    assert base64.b64encode(pieces.digest()).decode() == whole, label


@settings(max_examples=300, deadline=None)
@given(
    body=st.binary(max_size=300),
    pieces=st.integers(min_value=1, max_value=7),
    mode=st.sampled_from(["CHUNKED", "TRAILER", "UNSIGNED"]),
)
def test_fuzz_decoder_raises_only_service_errors(body: bytes, pieces: int, mode: str) -> None:
    if mode == "UNSIGNED":
        auth, headers = _unsigned_auth(), [("x-amz-trailer", "x-amz-checksum-crc32")]
        prefix = b""
    else:
        case = CHUNKED["chunked-put-object" if mode == "CHUNKED" else "chunked-put-object-with-trailer"]
        auth, headers = _seed_cached(str(case["name"]))
        prefix = b"10;chunk-signature=" + b"0" * 64 + b"\r\n"
    data = prefix + body
    try:
        decoder = chunked.AwsChunkedDecoder(auth, headers, max_chunk_size=1 << 20)
        step = max(1, len(data) // pieces)
        for i in range(0, len(data), step):
            decoder.feed(data[i : i + step])
        decoder.finish()
    except errors.ServiceError:
        pass


_SEEDS: dict[str, tuple[sigv4.Authenticated, list[tuple[str, str]]]] = {}


def _seed_cached(name: str) -> tuple[sigv4.Authenticated, list[tuple[str, str]]]:
    if name not in _SEEDS:
        _SEEDS[name] = _seed(CHUNKED[name])
    return _SEEDS[name]


@settings(max_examples=200, deadline=None)
@given(
    payload=st.binary(max_size=2000),
    cut=st.integers(min_value=0, max_value=4000),
    flip=st.integers(min_value=0, max_value=4000),
)
def test_fuzz_mutated_valid_unsigned_bodies(payload: bytes, cut: int, flip: int) -> None:
    name = "x-amz-checksum-crc32"
    body = bytearray(_boto_body(payload, name, Crc32Checksum))
    headers = [("x-amz-trailer", name), ("x-amz-decoded-content-length", str(len(payload)))]
    out, _ = chunked.decode_aws_chunked(bytes(body), _unsigned_auth(), headers)
    assert out == payload
    body[flip % len(body)] ^= 0x55
    try:
        chunked.decode_aws_chunked(bytes(body[: cut % (len(body) + 1)]), _unsigned_auth(), headers)
    except errors.ServiceError:
        pass


# --- chunk sizes: "The chunk size must be at least 8 KB ... This chunk size applies to all
# chunks except the last one" (S3 API Reference, "Signature calculations for the
# Authorization header: Transferring payload in multiple chunks", sigv4-streaming.html).
# S3's answer: InvalidChunkSizeError, HTTP 403, "Only the last chunk is allowed to have a
# size less than 8192 bytes", with Chunk and BadChunkSize (quoted from S3 in
# aws/aws-sdk-cpp#2727 and versity/versitygw#1683: "hello" in 3-byte chunks gives Chunk 2,
# BadChunkSize 3).


def _unsigned_chunks(sizes: list[int]) -> tuple[bytes, bytes]:
    """(payload, body) of a STREAMING-UNSIGNED-PAYLOAD-TRAILER body with these data chunks."""
    payload = bytes(i % 251 for i in range(sum(sizes)))
    body, at = b"", 0
    for size in sizes:
        body += b"%x\r\n%s\r\n" % (size, payload[at : at + size])
        at += size
    value = chunked.checksum_b64("x-amz-checksum-crc32", payload).encode()
    return payload, body + b"0\r\nx-amz-checksum-crc32:" + value + b"\r\n\r\n"


def _signed_chunks(sizes: list[int]) -> tuple[bytes, bytes, sigv4.Authenticated, list[tuple[str, str]]]:
    """(payload, body, auth, headers) of a STREAMING-AWS4-HMAC-SHA256-PAYLOAD body whose chunk
    signatures chain from the S3 documentation example's seed signature."""
    auth, headers = _seed_cached("chunked-put-object")
    payload = bytes(i % 251 for i in range(sum(sizes)))
    body, at, previous = b"", 0, auth.signature
    for size in [*sizes, 0]:
        data = payload[at : at + size]
        at += size
        sts = (
            f"AWS4-HMAC-SHA256-PAYLOAD\n{auth.amz_date}\n{auth.scope}\n{previous}\n"
            f"{chunked.EMPTY_SHA256}\n{hashlib.sha256(data).hexdigest()}"
        )
        previous = chunked.sign(auth.signing_key, sts)
        body += b"%x;chunk-signature=%s\r\n%s\r\n" % (size, previous.encode(), data)
    declared = [(k, str(len(payload)) if k == "x-amz-decoded-content-length" else val) for k, val in headers]
    return payload, body, auth, declared


UNSIGNED_HEADERS = [("x-amz-trailer", "x-amz-checksum-crc32")]


@pytest.mark.parametrize("sizes", [[], [1], [8191], [8192, 1], [8192, 8192, 8191], [10000, 8192, 3], [65536, 1024]])
def test_short_last_chunk_is_accepted(sizes: list[int]) -> None:
    payload, body = _unsigned_chunks(sizes)
    assert chunked.decode_aws_chunked(body, _unsigned_auth(), UNSIGNED_HEADERS)[0] == payload
    payload, body, auth, headers = _signed_chunks(sizes)
    assert chunked.decode_aws_chunked(body, auth, headers)[0] == payload


@pytest.mark.parametrize(
    ("sizes", "chunk", "bad"),
    [([3, 2], "2", "3"), ([1000, 1000], "2", "1000"), ([8192, 8191, 8192], "3", "8191"), ([1, 9000, 9000], "2", "1")],
)
def test_short_chunk_before_another_is_refused(sizes: list[int], chunk: str, bad: str) -> None:
    _payload, body = _unsigned_chunks(sizes)
    with pytest.raises(errors.InvalidChunkSizeError) as unsigned:
        chunked.decode_aws_chunked(body, _unsigned_auth(), UNSIGNED_HEADERS)
    _payload, body, auth, headers = _signed_chunks(sizes)
    with pytest.raises(errors.InvalidChunkSizeError) as signed:
        chunked.decode_aws_chunked(body, auth, headers)
    for raised in (unsigned.value, signed.value):
        assert raised.status == 403 and raised.code == "InvalidChunkSizeError"
        assert raised.message == "Only the last chunk is allowed to have a size less than 8192 bytes"
        assert raised.fields == {"Chunk": chunk, "BadChunkSize": bad}


def test_short_chunk_refused_when_fed_piece_by_piece() -> None:
    _payload, body = _unsigned_chunks([8192, 100, 8192])
    decoder = chunked.AwsChunkedDecoder(_unsigned_auth(), UNSIGNED_HEADERS)
    with pytest.raises(errors.InvalidChunkSizeError):
        for i in range(0, len(body), 333):
            decoder.feed(body[i : i + 333])


def test_botocore_default_chunk_size_is_accepted() -> None:
    # boto3 sends uploads as STREAMING-UNSIGNED-PAYLOAD-TRAILER in 1 MiB chunks.
    payload = bytes(range(256)) * 4096 * 2 + b"tail"  # two full chunks and a short last one
    body = bytes(
        AwsChunkedWrapper(io.BytesIO(payload), checksum_cls=Crc32Checksum, checksum_name="x-amz-checksum-crc32").read()
    )
    headers = [("x-amz-trailer", "x-amz-checksum-crc32"), ("x-amz-decoded-content-length", str(len(payload)))]
    assert chunked.decode_aws_chunked(body, _unsigned_auth(), headers)[0] == payload

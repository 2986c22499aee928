"""S3's integrity checks of a request body, with boto3 against a real server.

AWS pages and recorded answers:
- DeleteObjects (S3 API Reference): "The Content-MD5 request header is required for all
  Multi-Object Delete requests. Amazon S3 uses the header value to ensure that your request
  body has not been altered in transit": a Content-MD5 of another body is BadDigest.
- PutObject, ChecksumAlgorithm: "When you send this header, there must be a corresponding
  x-amz-checksum-algorithm or x-amz-trailer header sent. Otherwise, Amazon S3 fails the
  request with the HTTP status code 400 Bad Request" (S3's words recorded in
  apache/hadoop#6467); one checksum header only ("Expecting a single x-amz-checksum-
  header. Multiple checksum Types are not allowed.", recorded in versity/versitygw#1186).
- "Checking object integrity in Amazon S3" (S3 User Guide) and PutObject's members:
  SHA-512, MD5 and the xxHash checksums (XXHASH64, XXHASH3, XXHASH128) are checked and kept
  as CRC32 and SHA-256 are.
- CompletedPart (S3 API Reference): with additional checksums, "the PartNumber must start
  at 1 and the part numbers must be consecutive. Otherwise, Amazon S3 generates an HTTP 400
  Bad Request status code and an InvalidPartOrder error code"; a part of another algorithm
  is InvalidRequest "Checksum Type mismatch occurred, ..." (recorded in apache/arrow-rs#6793);
  a COMPOSITE upload's CompleteMultipartUpload lists each part's checksum (recorded in
  aws/aws-sdk-php#2648).
- ListParts: a negative max-parts is InvalidArgument (recorded in versity/versitygw#329);
  ListMultipartUploads' MultipartUpload has ChecksumAlgorithm and ChecksumType.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from typing import Any

import pytest
import xxhash
from botocore.exceptions import ClientError
from e2e_harness import A, Server, _client

BUCKET = "integrity"


def _b64(digest: bytes) -> str:
    return base64.b64encode(digest).decode()


def _error(call: Callable[[], object]) -> tuple[int, str, str]:
    with pytest.raises(ClientError) as failed:
        call()
    response = failed.value.response
    return response["ResponseMetadata"]["HTTPStatusCode"], response["Error"]["Code"], response["Error"]["Message"]


def _s3(server: Server) -> Any:
    s3 = _client(server, "s3", server.create_account(A))
    s3.create_bucket(Bucket=BUCKET)
    return s3


def _on_send(s3: Any, operation: str, change: Callable[[dict[str, str]], None]) -> None:
    """Change the headers of the next ``operation`` request after botocore computed its own."""

    def hook(request: Any, **_kwargs: Any) -> None:
        change(request.headers)

    s3.meta.events.register_first(f"before-sign.s3.{operation}", hook)


def test_a_content_md5_of_another_body_refuses_a_multi_object_delete(server: Server) -> None:
    s3 = _s3(server)
    s3.put_object(Bucket=BUCKET, Key="q", Body=b"1")

    def wrong_md5(headers: dict[str, str]) -> None:
        headers["Content-MD5"] = _b64(hashlib.md5(b"zz").digest())

    _on_send(s3, "DeleteObjects", wrong_md5)
    status, code, _ = _error(lambda: s3.delete_objects(Bucket=BUCKET, Delete={"Objects": [{"Key": "q"}]}))
    assert (status, code) == (400, "BadDigest")
    assert s3.get_object(Bucket=BUCKET, Key="q")["Body"].read() == b"1"  # not deleted


def test_one_checksum_header_and_an_sdk_algorithm_that_has_its_checksum(server: Server) -> None:
    s3 = _s3(server)
    body = b"payload"
    both = {"ChecksumCRC32": "", "ChecksumSHA256": _b64(hashlib.sha256(body).digest())}

    def crc32_too(headers: dict[str, str]) -> None:
        import zlib

        both["ChecksumCRC32"] = _b64(zlib.crc32(body).to_bytes(4, "big"))
        headers["x-amz-checksum-crc32"] = both["ChecksumCRC32"]

    _on_send(s3, "PutObject", crc32_too)
    assert _error(lambda: s3.put_object(Bucket=BUCKET, Key="two", Body=body, ChecksumAlgorithm="SHA256")) == (
        400,
        "InvalidRequest",
        "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.",
    )

    s3 = _client(server, "s3", server.roots[A])

    def no_checksum(headers: dict[str, str]) -> None:
        del headers["x-amz-checksum-sha256"]

    _on_send(s3, "PutObject", no_checksum)
    assert _error(lambda: s3.put_object(Bucket=BUCKET, Key="none", Body=body, ChecksumAlgorithm="SHA256")) == (
        400,
        "InvalidRequest",
        "x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or x-amz-trailer headers "
        "were found.",
    )
    names = [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])]
    assert names == []


@pytest.mark.parametrize(
    ("algorithm", "digest"),
    [
        ("SHA512", lambda data: hashlib.sha512(data).digest()),
        ("MD5", lambda data: hashlib.md5(data).digest()),
        ("XXHASH64", lambda data: xxhash.xxh64(data).digest()),
        ("XXHASH3", lambda data: xxhash.xxh3_64(data).digest()),
        ("XXHASH128", lambda data: xxhash.xxh3_128(data).digest()),
    ],
)
def test_the_newer_checksum_algorithms_are_checked_and_kept(
    server: Server, algorithm: str, digest: Callable[[bytes], bytes]
) -> None:
    s3 = _s3(server)
    body = b"checked " * 100
    value = _b64(digest(body))
    s3.put_object(Bucket=BUCKET, Key="k", Body=body, **{f"Checksum{algorithm}": value})
    head = s3.head_object(Bucket=BUCKET, Key="k", ChecksumMode="ENABLED")
    assert head[f"Checksum{algorithm}"] == value
    assert head["ChecksumType"] == "FULL_OBJECT"

    other = _b64(digest(b"another body"))
    status, code, message = _error(
        lambda: s3.put_object(Bucket=BUCKET, Key="bad", Body=body, **{f"Checksum{algorithm}": other})
    )
    assert (status, code) == (400, "BadDigest")
    assert message == f"The {algorithm} you specified did not match the calculated checksum."


def _upload(s3: Any, algorithm: str) -> str:
    upload: str = s3.create_multipart_upload(Bucket=BUCKET, Key="mp", ChecksumAlgorithm=algorithm)["UploadId"]
    return upload


def test_a_part_of_another_algorithm_or_of_none_is_refused(server: Server) -> None:
    s3 = _s3(server)
    upload = _upload(s3, "SHA256")
    status, code, message = _error(
        lambda: s3.upload_part(
            Bucket=BUCKET, Key="mp", UploadId=upload, PartNumber=1, Body=b"x", ChecksumAlgorithm="CRC32"
        )
    )
    assert (status, code, message) == (
        400,
        "InvalidRequest",
        "Checksum Type mismatch occurred, expected checksum Type: sha256, actual checksum Type: crc32",
    )

    def no_checksum(headers: dict[str, str]) -> None:
        for name in [
            n for n in headers if n.lower().startswith("x-amz-checksum-") or n.lower() == "x-amz-sdk-checksum-algorithm"
        ]:
            del headers[name]

    _on_send(s3, "UploadPart", no_checksum)
    assert _error(lambda: s3.upload_part(Bucket=BUCKET, Key="mp", UploadId=upload, PartNumber=1, Body=b"x"))[2] == (
        "Checksum Type mismatch occurred, expected checksum Type: sha256, actual checksum Type: null"
    )
    assert s3.list_parts(Bucket=BUCKET, Key="mp", UploadId=upload).get("Parts", []) == []


def test_complete_needs_consecutive_parts_and_each_part_checksum_of_a_composite_upload(server: Server) -> None:
    s3 = _s3(server)
    upload = _upload(s3, "SHA256")
    parts = [
        s3.upload_part(Bucket=BUCKET, Key="mp", UploadId=upload, PartNumber=n, Body=data, ChecksumAlgorithm="SHA256")
        | {"PartNumber": n}
        for n, data in ((1, b"a" * (5 * 1024 * 1024)), (2, b"b" * (5 * 1024 * 1024)), (3, b"c"))
    ]
    listed = s3.list_multipart_uploads(Bucket=BUCKET)["Uploads"]
    assert [(u["ChecksumAlgorithm"], u["ChecksumType"]) for u in listed] == [("SHA256", "COMPOSITE")]

    def complete(chosen: list[dict[str, Any]]) -> Callable[[], object]:
        return lambda: s3.complete_multipart_upload(
            Bucket=BUCKET, Key="mp", UploadId=upload, MultipartUpload={"Parts": chosen}
        )

    with_checksums = [
        {"PartNumber": p["PartNumber"], "ETag": p["ETag"], "ChecksumSHA256": p["ChecksumSHA256"]} for p in parts
    ]
    assert _error(complete([with_checksums[0], with_checksums[2]]))[:2] == (400, "InvalidPartOrder")
    without = [{"PartNumber": p["PartNumber"], "ETag": p["ETag"]} for p in parts]
    assert _error(complete(without))[1:] == (
        "InvalidRequest",
        "The upload was created using a sha256 checksum. The complete request must include the checksum for each "
        "part. It was missing for part 1 in the request.",
    )
    wrong = [dict(with_checksums[0]), *with_checksums[1:]]
    wrong[0]["ChecksumSHA256"] = with_checksums[1]["ChecksumSHA256"]
    assert _error(complete(wrong))[:2] == (400, "InvalidPart")

    done = s3.complete_multipart_upload(
        Bucket=BUCKET, Key="mp", UploadId=upload, MultipartUpload={"Parts": with_checksums}
    )
    assert done["ChecksumSHA256"].endswith("-3")


def test_list_parts_refuses_a_negative_max_parts_or_marker(server: Server) -> None:
    s3 = _s3(server)
    upload = _upload(s3, "CRC32")
    s3.upload_part(Bucket=BUCKET, Key="mp", UploadId=upload, PartNumber=1, Body=b"x", ChecksumAlgorithm="CRC32")
    assert _error(lambda: s3.list_parts(Bucket=BUCKET, Key="mp", UploadId=upload, MaxParts=-1))[1:] == (
        "InvalidArgument",
        "Argument max-parts must be an integer between 0 and 2147483647",
    )
    assert _error(lambda: s3.list_parts(Bucket=BUCKET, Key="mp", UploadId=upload, PartNumberMarker=-1))[1:] == (
        "InvalidArgument",
        "Argument part-number-marker must be an integer between 0 and 2147483647",
    )
    assert [p["PartNumber"] for p in s3.list_parts(Bucket=BUCKET, Key="mp", UploadId=upload)["Parts"]] == [1]

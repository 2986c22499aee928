"""Against a real server with the AWS CLI: the checksum of `aws s3 cp`'s multipart upload,
an archived object, a public ACL refused by Block Public Access.

AWS pages: "Checking object integrity for data uploads in Amazon S3" (S3 User Guide),
multipart uploads: a COMPOSITE checksum is the checksum of the parts' checksums followed by
"-<number of parts>"; GetObject (S3 API Reference): an object in S3 Glacier Flexible
Retrieval or Deep Archive answers InvalidObjectState until restored; "Blocking public
access to your Amazon S3 storage": with BlockPublicAcls, "PUT Bucket acl and PUT Object acl
calls fail if the specified ACL is public"; "Troubleshoot access denied (403 Forbidden)
errors in Amazon S3" for the message. Expected checksums are computed here with zlib.
"""

from __future__ import annotations

import base64
import json
import zlib
from pathlib import Path

from e2e_harness import A, Server, _client, aws_cli

MIB = 1024 * 1024
CHUNK = 8 * MIB  # the AWS CLI's default multipart_chunksize


def _crc32(data: bytes) -> bytes:
    return zlib.crc32(data).to_bytes(4, "big")


def test_aws_s3_cp_of_a_large_file_keeps_a_composite_crc32(server: Server, tmp_path: Path) -> None:
    root = server.create_account(A)
    s3 = _client(server, "s3", root)
    s3.create_bucket(Bucket="sums")
    data = bytes(range(251)) * (20 * 1000 * 1000 // 251)
    big = tmp_path / "big.bin"
    big.write_bytes(data)
    done = aws_cli(server, tmp_path, root, "s3", "cp", str(big), "s3://sums/big.bin", timeout=300)
    assert done.returncode == 0, done.stderr

    pieces = [data[start : start + CHUNK] for start in range(0, len(data), CHUNK)]
    whole = base64.b64encode(_crc32(b"".join(_crc32(piece) for piece in pieces))).decode()
    expected = f"{whole}-{len(pieces)}"
    assert len(pieces) == 3

    head = aws_cli(
        server, tmp_path, root, "s3api", "head-object", "--bucket", "sums", "--key", "big.bin",
        "--checksum-mode", "ENABLED", "--output", "json",
    )  # fmt: skip
    assert head.returncode == 0, head.stderr
    answered = json.loads(head.stdout)
    assert (answered["ChecksumCRC32"], answered["ChecksumType"]) == (expected, "COMPOSITE")
    attributes = aws_cli(
        server, tmp_path, root, "s3api", "get-object-attributes", "--bucket", "sums", "--key", "big.bin",
        "--object-attributes", "Checksum", "ObjectParts", "--output", "json",
    )  # fmt: skip
    assert attributes.returncode == 0, attributes.stderr
    listed = json.loads(attributes.stdout)
    assert listed["Checksum"] == {"ChecksumCRC32": whole, "ChecksumType": "COMPOSITE"}
    assert listed["ObjectParts"]["TotalPartsCount"] == 3
    # The download still works: botocore does not check a checksum with "-N" against the bytes.
    back = tmp_path / "back.bin"
    done = aws_cli(server, tmp_path, root, "s3", "cp", "s3://sums/big.bin", str(back), timeout=300)
    assert done.returncode == 0, done.stderr
    assert back.read_bytes() == data


def test_an_archived_object_is_not_read(server: Server, tmp_path: Path) -> None:
    root = server.create_account(A)
    _client(server, "s3", root).create_bucket(Bucket="cold")
    small = tmp_path / "small.txt"
    small.write_bytes(b"frozen")
    done = aws_cli(server, tmp_path, root, "s3", "cp", str(small), "s3://cold/small.txt", "--storage-class", "GLACIER")
    assert done.returncode == 0, done.stderr
    head = aws_cli(server, tmp_path, root, "s3api", "head-object", "--bucket", "cold", "--key", "small.txt")
    assert head.returncode == 0 and json.loads(head.stdout)["StorageClass"] == "GLACIER"
    got = aws_cli(
        server, tmp_path, root, "s3api", "get-object", "--bucket", "cold", "--key", "small.txt", str(tmp_path / "out")
    )
    assert got.returncode != 0
    assert (
        "An error occurred (InvalidObjectState) when calling the GetObject operation: "
        "The operation is not valid for the object's storage class" in got.stderr
    )


def test_a_public_acl_is_refused_by_block_public_access(server: Server, tmp_path: Path) -> None:
    root = server.create_account(A)
    s3 = _client(server, "s3", root)
    s3.create_bucket(Bucket="writer", ObjectOwnership="ObjectWriter")
    refused = aws_cli(server, tmp_path, root, "s3api", "put-bucket-acl", "--bucket", "writer", "--acl", "public-read")
    assert refused.returncode != 0
    assert (
        "An error occurred (AccessDenied) when calling the PutBucketAcl operation: User: "
        f'arn:aws:iam::{A}:root is not authorized to perform: s3:PutBucketAcl on resource: "arn:aws:s3:::writer" '
        "because public ACLs are prevented by the BlockPublicAcls setting in S3 Block Public Access." in refused.stderr
    )
    small = tmp_path / "small.txt"
    small.write_bytes(b"x")
    refused = aws_cli(server, tmp_path, root, "s3", "cp", str(small), "s3://writer/small.txt", "--acl", "public-read")
    assert refused.returncode != 0 and "AccessDenied" in refused.stderr

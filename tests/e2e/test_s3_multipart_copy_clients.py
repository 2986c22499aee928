"""Server-side copies of large objects, as clients make them: `aws s3 cp` from bucket to
bucket over the CLI's 8 MiB multipart threshold (CreateMultipartUpload, UploadPartCopy of
each range, CompleteMultipartUpload), and boto3's `upload_part_copy` (Amazon S3 API
Reference, "UploadPartCopy")."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest
from botocore.exceptions import ClientError
from e2e_harness import A, Server, _client, aws_cli

MIB = 1024 * 1024


def test_cli_copies_a_large_object_between_buckets(server: Server, tmp_path: Path) -> None:
    """`aws s3 cp s3://… s3://…` of 9 MiB: two parts (8 MiB and 1 MiB, s3transfer's
    default chunk size) copied with UploadPartCopy; the copy has the multipart ETag, the
    MD5 of the parts' MD5s with "-2" ("Checking object integrity", S3 User Guide)."""
    root = server.create_account(A)
    s3 = _client(server, "s3", root)
    s3.create_bucket(Bucket="bucket-a")
    s3.create_bucket(Bucket="bucket-b")
    data = os.urandom(9 * MIB)
    s3.put_object(Bucket="bucket-a", Key="big", Body=data)
    done = aws_cli(server, tmp_path, root, "s3", "cp", "s3://bucket-a/big", "s3://bucket-b/big", timeout=60)
    assert done.returncode == 0, done.stderr
    got = s3.get_object(Bucket="bucket-b", Key="big")
    assert got["Body"].read() == data
    parts = (data[: 8 * MIB], data[8 * MIB :])
    digest = hashlib.md5(b"".join(hashlib.md5(part).digest() for part in parts)).hexdigest()
    assert got["ETag"] == f'"{digest}-2"'
    assert s3.list_multipart_uploads(Bucket="bucket-b").get("Uploads", []) == []


def test_boto3_upload_part_copy_ranges_and_refusals(server: Server) -> None:
    """boto3 `upload_part_copy` with CopySourceRange; a user allowed s3:PutObject on the
    destination but not s3:GetObject on the source is denied ("UploadPartCopy",
    Permissions); a range past the source is InvalidArgument naming its size and a malformed
    one InvalidArgument (recorded from AWS in LocalStack's snapshot,
    test_upload_part_copy_range)."""
    root = server.create_account(A)
    s3 = _client(server, "s3", root)
    s3.create_bucket(Bucket="source")
    s3.create_bucket(Bucket="target")
    data = os.urandom(6 * MIB)
    s3.put_object(Bucket="source", Key="obj", Body=data)
    upload_id = s3.create_multipart_upload(Bucket="target", Key="joined")["UploadId"]
    ranges = ((0, 5 * MIB - 1), (5 * MIB, 6 * MIB - 1))
    etags = []
    for number, (first, last) in enumerate(ranges, 1):
        out = s3.upload_part_copy(
            Bucket="target",
            Key="joined",
            UploadId=upload_id,
            PartNumber=number,
            CopySource={"Bucket": "source", "Key": "obj"},
            CopySourceRange=f"bytes={first}-{last}",
        )
        assert out["CopyPartResult"]["ETag"] == f'"{hashlib.md5(data[first : last + 1]).hexdigest()}"'
        etags.append(out["CopyPartResult"]["ETag"])
    listed = s3.list_parts(Bucket="target", Key="joined", UploadId=upload_id)["Parts"]
    assert [(p["PartNumber"], p["Size"]) for p in listed] == [(1, 5 * MIB), (2, MIB)]

    for header, message in (
        ("bytes=0-7000000", f"Range specified is not valid for source object of size: {6 * MIB}"),
        ("bytes=5-", "The x-amz-copy-source-range value must be of the form bytes=first-last"),
    ):
        with pytest.raises(ClientError) as bad:
            s3.upload_part_copy(
                Bucket="target",
                Key="joined",
                UploadId=upload_id,
                PartNumber=3,
                CopySource="source/obj",
                CopySourceRange=header,
            )
        assert bad.value.response["Error"]["Code"] == "InvalidArgument"
        assert bad.value.response["Error"]["Message"].startswith(message)
        assert bad.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400

    iam = _client(server, "iam", root)
    iam.create_user(UserName="writer")
    policy = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::target/*"}],
    }
    iam.put_user_policy(UserName="writer", PolicyName="write-only", PolicyDocument=json.dumps(policy))
    key = iam.create_access_key(UserName="writer")["AccessKey"]
    writer = _client(server, "s3", key)
    with pytest.raises(ClientError) as denied:
        writer.upload_part_copy(
            Bucket="target", Key="joined", UploadId=upload_id, PartNumber=3, CopySource="source/obj"
        )
    assert denied.value.response["Error"]["Code"] == "AccessDenied"
    assert "s3:GetObject" in denied.value.response["Error"]["Message"]

    parts = [{"PartNumber": n, "ETag": etag} for n, etag in enumerate(etags, 1)]
    s3.complete_multipart_upload(Bucket="target", Key="joined", UploadId=upload_id, MultipartUpload={"Parts": parts})
    assert s3.get_object(Bucket="target", Key="joined")["Body"].read() == data

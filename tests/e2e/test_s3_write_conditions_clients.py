"""Conditional writes and deletes against a running server, with boto3 and the AWS CLI.

AWS pages: "How to prevent object overwrites with conditional writes" and "How to perform
conditional deletes" (S3 User Guide); PutObject, CompleteMultipartUpload and DeleteObject
in the Amazon S3 API Reference (If-None-Match "*": 412 Precondition Failed when the key
exists; If-Match: 412 when the ETag differs; CompleteMultipartUpload: "If a conflicting
operation occurs during the upload S3 returns a 409 ConditionalRequestConflict
response"); the AWS CLI reference for `aws s3api put-object --if-none-match` and
`aws s3api delete-object --if-match`. Codes, members and wording as recorded from AWS in
LocalStack's test_s3_api snapshot (TestS3ObjectWritePrecondition, TestS3DeletePrecondition).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from botocore.exceptions import ClientError
from e2e_harness import A, Server, _client, aws_cli


def test_boto3_conditional_multipart_and_delete(server: Server) -> None:
    s3 = _client(server, "s3", server.create_account(A))
    s3.create_bucket(Bucket="conditions")
    first = s3.put_object(Bucket="conditions", Key="k", Body=b"first")["ETag"]
    upload = s3.create_multipart_upload(Bucket="conditions", Key="k")["UploadId"]
    part = s3.upload_part(Bucket="conditions", Key="k", UploadId=upload, PartNumber=1, Body=b"part")
    parts = {"Parts": [{"ETag": part["ETag"], "PartNumber": 1}]}
    with pytest.raises(ClientError) as raised:
        s3.complete_multipart_upload(Bucket="conditions", Key="k", UploadId=upload, MultipartUpload=parts,
                                     IfNoneMatch="*")  # fmt: skip
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 412
    assert raised.value.response["Error"]["Condition"] == "If-None-Match"

    second = s3.put_object(Bucket="conditions", Key="k", Body=b"second")["ETag"]  # during the upload
    with pytest.raises(ClientError) as raised:
        s3.complete_multipart_upload(Bucket="conditions", Key="k", UploadId=upload, MultipartUpload=parts,
                                     IfMatch=second)  # fmt: skip
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    assert raised.value.response["Error"]["Code"] == "ConditionalRequestConflict"

    with pytest.raises(ClientError) as raised:
        s3.delete_object(Bucket="conditions", Key="k", IfMatch=first)
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 412
    s3.delete_object(Bucket="conditions", Key="k", IfMatch=second)
    assert s3.list_objects_v2(Bucket="conditions")["KeyCount"] == 0


def test_cli_put_object_if_none_match_and_delete_object_if_match(server: Server, tmp_path: Path) -> None:
    root = server.create_account(A)
    s3 = _client(server, "s3", root)
    s3.create_bucket(Bucket="cli-conditions")
    body = tmp_path / "body.txt"
    body.write_text("hello")
    put = ("s3api", "put-object", "--bucket", "cli-conditions", "--key", "once", "--body", str(body))
    done = aws_cli(server, tmp_path, root, *put, "--if-none-match", "*")
    assert done.returncode == 0, done.stderr
    etag = json.loads(done.stdout)["ETag"]
    again = aws_cli(server, tmp_path, root, *put, "--if-none-match", "*")
    assert again.returncode != 0
    assert "(PreconditionFailed)" in again.stderr and "At least one of the pre-conditions" in again.stderr
    delete = ("s3api", "delete-object", "--bucket", "cli-conditions", "--key", "once")
    refused = aws_cli(server, tmp_path, root, *delete, "--if-match", '"00000000000000000000000000000000"')
    assert refused.returncode != 0 and "(PreconditionFailed)" in refused.stderr
    deleted = aws_cli(server, tmp_path, root, *delete, "--if-match", etag)
    assert deleted.returncode == 0, deleted.stderr
    assert s3.list_objects_v2(Bucket="cli-conditions")["KeyCount"] == 0

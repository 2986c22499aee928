"""s3:x-amz-copy-source and s3:x-amz-metadata-directive in the request context of copies,
through the whole request path.

AWS pages: S3 User Guide, "Bucket policy examples using condition keys" (Example: "Grant
s3:PutObject permission to copy objects with a restriction on the copy source", which
matches "amzn-s3-demo-source-bucket/public/*"); the Service Authorization Reference lists
both keys for s3:PutObject; UploadPartCopy needs s3:PutObject on the destination too.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from botocore.exceptions import ClientError
from inprocess_harness import client, open_app, root_keys

A = "111111111111"


def test_a_bucket_refuses_copies_from_a_protected_source(tmp_path: Path) -> None:
    app = open_app(tmp_path, A)
    s3 = client(app, "s3", root_keys(app, A))
    for bucket in ("secret-bkt", "public-bkt"):
        s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket="secret-bkt", Key="plans/q1.txt", Body=b"secret")
    s3.put_object(Bucket="public-bkt", Key="open.txt", Body=b"open")
    deny = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:PutObject",
                "Resource": "arn:aws:s3:::public-bkt/*",
                "Condition": {"StringLike": {"s3:x-amz-copy-source": "secret-bkt/*"}},
            },
            {
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:PutObject",
                "Resource": "arn:aws:s3:::public-bkt/*",
                "Condition": {"StringEquals": {"s3:x-amz-metadata-directive": "REPLACE"}},
            },
        ],
    }
    s3.put_bucket_policy(Bucket="public-bkt", Policy=json.dumps(deny))

    for source in ("secret-bkt/plans/q1.txt", "/secret-bkt/plans%2Fq1.txt"):  # as boto3 sends it, and encoded
        with pytest.raises(ClientError) as raised:
            s3.copy_object(Bucket="public-bkt", Key="leak.txt", CopySource=source)
        assert raised.value.response["Error"]["Code"] == "AccessDenied"
    upload = s3.create_multipart_upload(Bucket="public-bkt", Key="leak-mp.txt")["UploadId"]
    with pytest.raises(ClientError) as raised:
        s3.upload_part_copy(
            Bucket="public-bkt", Key="leak-mp.txt", UploadId=upload, PartNumber=1, CopySource="secret-bkt/plans/q1.txt"
        )
    assert raised.value.response["Error"]["Code"] == "AccessDenied"
    with pytest.raises(ClientError):
        s3.copy_object(Bucket="public-bkt", Key="o2.txt", CopySource="public-bkt/open.txt", MetadataDirective="REPLACE")

    # Any other source, with the default directive, copies.
    s3.copy_object(Bucket="public-bkt", Key="copy.txt", CopySource="public-bkt/open.txt")
    s3.upload_part_copy(
        Bucket="public-bkt", Key="leak-mp.txt", UploadId=upload, PartNumber=1, CopySource="public-bkt/open.txt"
    )
    assert s3.head_object(Bucket="public-bkt", Key="copy.txt")["ContentLength"] == len(b"open")

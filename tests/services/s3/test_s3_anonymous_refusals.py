"""What S3 refuses an anonymous caller whatever a bucket policy grants: starting a multipart
upload, and copying an object, both 403 AccessDenied in S3's words, recorded from S3:
"Anonymous users cannot initiate multipart uploads.  Please authenticate."
(aws/aws-sdk-cpp#1575; the S3 User Guide's sources, awsdocs/amazon-s3-userguide#91,
"Anonymous users cannot initiate multipart uploads") and "Anonymous users cannot copy
objects.  Please authenticate." (recorded "even with public access on the source object and
destination bucket", Seagate/cortx-prvsnr#2908). A single PutObject the policy grants stays
allowed ("Bucket policy examples": granting read-write to anonymous users is the policy's).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from botocore.exceptions import ClientError
from inprocess_harness import client, open_app, root_keys

A = "111111111111"
PUBLIC_WRITE = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": "*",
            "Action": ["s3:GetObject", "s3:PutObject"],
            "Resource": "arn:aws:s3:::bkt/*",
        }
    ],
}


def test_anonymous_multipart_upload_and_copy_are_refused(tmp_path: Path) -> None:
    app = open_app(tmp_path, A)
    owner = client(app, "s3", root_keys(app, A))
    owner.create_bucket(Bucket="bkt")
    owner.delete_public_access_block(Bucket="bkt")
    owner.put_bucket_policy(Bucket="bkt", Policy=json.dumps(PUBLIC_WRITE))
    anonymous = client(app, "s3")
    anonymous.put_object(Bucket="bkt", Key="k", Body=b"hello")  # the policy's grant holds
    for call, message in (
        (
            lambda: anonymous.create_multipart_upload(Bucket="bkt", Key="big"),
            "Anonymous users cannot initiate multipart uploads.  Please authenticate.",
        ),
        (
            lambda: anonymous.copy_object(Bucket="bkt", Key="copy", CopySource="bkt/k"),
            "Anonymous users cannot copy objects.  Please authenticate.",
        ),
    ):
        with pytest.raises(ClientError) as refused:
            call()
        assert refused.value.response["Error"]["Code"] == "AccessDenied"
        assert refused.value.response["Error"]["Message"] == message
        assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert not owner.list_multipart_uploads(Bucket="bkt").get("Uploads")
    assert [o["Key"] for o in owner.list_objects_v2(Bucket="bkt")["Contents"]] == ["k"]
    owner.copy_object(Bucket="bkt", Key="copy", CopySource="bkt/k")  # signed: as before

"""Copying an object onto itself: an encryption header, or a bucket default encryption that
was set, is a change, so the copy is allowed.

AWS pages: CopyObject (S3 API Reference): copying an object to itself is refused unless it
changes "the object's metadata, storage class, website redirect location or encryption
attributes" (the InvalidRequest message, recorded from AWS); "Specifying server-side
encryption with Amazon S3 managed keys (SSE-S3)" (S3 User Guide) for the
x-amz-server-side-encryption header. Recorded from AWS in LocalStack's test_s3 snapshot:
test_s3_copy_object_in_place_with_encryption ("copy-object-in-place-with-aes": an in-place
copy with ServerSideEncryption AES256 of an SSE-S3 object succeeds) and
test_copy_in_place_with_bucket_encryption (after PutBucketEncryption, an in-place copy
without any change succeeds); test_s3_copy_object_in_place ("copy-object-in-place-no-change"
is still InvalidRequest in a bucket whose encryption was never set).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from inprocess_harness import client, open_app, root_keys

A = "111111111111"


@pytest.fixture
def s3(tmp_path: Path) -> Any:
    app = open_app(tmp_path, A)
    s3 = client(app, "s3", root_keys(app, A))
    s3.create_bucket(Bucket="bkt")
    s3.put_object(Bucket="bkt", Key="k", Body=b"x")
    return s3


def test_without_a_change_it_is_refused(s3: Any) -> None:
    with pytest.raises(ClientError) as raised:
        s3.copy_object(Bucket="bkt", Key="k", CopySource="bkt/k")
    assert raised.value.response["Error"]["Code"] == "InvalidRequest"


def test_an_encryption_header_is_a_change(s3: Any) -> None:
    out = s3.copy_object(Bucket="bkt", Key="k", CopySource="bkt/k", ServerSideEncryption="AES256")
    assert out["ServerSideEncryption"] == "AES256"


def test_a_bucket_default_encryption_that_was_set_allows_it(s3: Any) -> None:
    rule = {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}, "BucketKeyEnabled": False}
    s3.put_bucket_encryption(Bucket="bkt", ServerSideEncryptionConfiguration={"Rules": [rule]})
    out = s3.copy_object(Bucket="bkt", Key="k", CopySource="bkt/k")
    assert out["ResponseMetadata"]["HTTPStatusCode"] == 200

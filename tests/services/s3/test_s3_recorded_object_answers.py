"""S3 object answers as recorded from AWS in LocalStack's snapshots (tests/aws/services/s3/
test_s3.snapshot.json, test_s3_api.snapshot.json, test_s3_preconditions.snapshot.json;
LocalStack's tests run against AWS; Apache-2.0), through the whole request path with boto3."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from inprocess_harness import s3_with_bucket

CONFLICT = "The conditional request cannot succeed due to a conflicting operation against this resource."


def _s3(tmp_path: Path, validate: bool = True) -> Any:
    return s3_with_bucket(tmp_path, validate=validate)


def _refused(call: Any, **params: Any) -> tuple[int, dict[str, str]]:
    with pytest.raises(ClientError) as caught:
        call(**params)
    return caught.value.response["ResponseMetadata"]["HTTPStatusCode"], caught.value.response["Error"]


def test_a_future_if_modified_since_is_ignored(tmp_path: Path) -> None:
    # Recorded from AWS: a day ahead, GetObject and HeadObject answer 200 with the object
    # (test_s3 snapshot, test_s3_get_object_preconditions[get_object] and [head_object]:
    # obj-ignore-future-modified-since), CopyObject copies (test_s3_preconditions snapshot,
    # copy-ignore-future-modified-since), and so does UploadPartCopy (test_s3_api snapshot,
    # test_upload_part_copy_with_copy_source_if_modified_since_in_future_success).
    s3 = _s3(tmp_path)
    s3.put_object(Bucket="bkt", Key="src", Body=b"data")
    future = datetime.now(UTC) + timedelta(days=1)
    got = s3.get_object(Bucket="bkt", Key="src", IfModifiedSince=future)
    assert got["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert got["Body"]._raw_stream.body == b"data"  # the in-process response's bytes
    assert s3.head_object(Bucket="bkt", Key="src", IfModifiedSince=future)["ContentLength"] == 4
    copied = s3.copy_object(Bucket="bkt", Key="dst", CopySource="bkt/src", CopySourceIfModifiedSince=future)
    assert copied["CopyObjectResult"]["ETag"] == '"8d777f385d3dfec8815d20f7496026dc"'
    upload = s3.create_multipart_upload(Bucket="bkt", Key="mp")["UploadId"]
    part = s3.upload_part_copy(
        Bucket="bkt", Key="mp", UploadId=upload, PartNumber=1, CopySource="bkt/src", CopySourceIfModifiedSince=future
    )
    assert part["CopyPartResult"]["ETag"] == '"8d777f385d3dfec8815d20f7496026dc"'
    # A date in the past still holds as a condition: 304 (the same recordings,
    # copy-precondition-if-modified-since for GetObject; 412 for a copy).
    past = datetime.now(UTC) + timedelta(days=-1)
    assert _refused(s3.head_object, Bucket="bkt", Key="src", IfModifiedSince=datetime.now(UTC))[0] == 304
    assert s3.head_object(Bucket="bkt", Key="src", IfModifiedSince=past)["ContentLength"] == 4


def test_complete_multipart_upload_if_none_match_after_a_delete_conflicts(tmp_path: Path) -> None:
    # Recorded from AWS in an unversioned bucket (test_s3_api snapshot, TestS3ObjectWrite
    # Precondition::test_multipart_if_none_match_with_delete): the key exists, 412; deleted
    # during the upload, 409 ConditionalRequestConflict and nothing written; a new upload of
    # the absent key completes.
    s3 = _s3(tmp_path)
    key = "test-precondition"
    s3.put_object(Bucket="bkt", Key=key, IfNoneMatch="*")
    upload = s3.create_multipart_upload(Bucket="bkt", Key=key)["UploadId"]
    etag = s3.upload_part(Bucket="bkt", Key=key, UploadId=upload, Body=b"test", PartNumber=1)["ETag"]
    complete = {"Bucket": "bkt", "Key": key, "UploadId": upload, "IfNoneMatch": "*"}
    complete["MultipartUpload"] = {"Parts": [{"ETag": etag, "PartNumber": 1}]}
    assert _refused(s3.complete_multipart_upload, **complete) == (
        412,
        {
            "Code": "PreconditionFailed",
            "Message": "At least one of the pre-conditions you specified did not hold",
            "Condition": "If-None-Match",
        },
    )
    assert s3.delete_object(Bucket="bkt", Key=key)["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert _refused(s3.complete_multipart_upload, **complete) == (
        409,
        {"Code": "ConditionalRequestConflict", "Message": CONFLICT, "Condition": "If-None-Match", "Key": key},
    )
    assert "Contents" not in s3.list_objects_v2(Bucket="bkt")
    upload = s3.create_multipart_upload(Bucket="bkt", Key=key)["UploadId"]
    etag = s3.upload_part(Bucket="bkt", Key=key, UploadId=upload, Body=b"test", PartNumber=1)["ETag"]
    complete.update(UploadId=upload, MultipartUpload={"Parts": [{"ETag": etag, "PartNumber": 1}]})
    assert s3.complete_multipart_upload(**complete)["ETag"] == '"60cd54a928cbbcbb6e7b5595bab46a9e-1"'


def test_create_multipart_upload_refuses_an_unknown_checksum_algorithm(tmp_path: Path) -> None:
    # Recorded from AWS (test_s3 snapshot, TestS3MultipartUploadChecksum::
    # test_multipart_parts_checksum_exceptions_composite: create-mpu-wrong-checksum-algo).
    s3 = _s3(tmp_path, validate=False)
    assert _refused(s3.create_multipart_upload, Bucket="bkt", Key="k", ChecksumAlgorithm="TEST") == (
        400,
        {
            "Code": "InvalidRequest",
            "Message": "Checksum algorithm provided is unsupported. Please try again with any of the valid types:"
            " [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]",
        },
    )
    assert not s3.list_multipart_uploads(Bucket="bkt").get("Uploads")


def test_copy_object_refuses_a_copy_source_without_a_key(tmp_path: Path) -> None:
    # Recorded from AWS (test_s3 snapshot, TestS3::test_s3_copy_object_wrong_format:
    # copy-object-wrong-copy-source, CopySource "wrongformat").
    s3 = _s3(tmp_path)
    assert _refused(s3.copy_object, Bucket="bkt", Key="destination", CopySource="wrongformat") == (
        400,
        {
            "Code": "InvalidArgument",
            "Message": "Invalid copy source object key",
            "ArgumentName": "x-amz-copy-source",
            "ArgumentValue": "x-amz-copy-source",
        },
    )


def test_the_outposts_storage_class_is_refused(tmp_path: Path) -> None:
    # Recorded from AWS on a general purpose bucket (test_s3 snapshot, TestS3::
    # test_put_object_storage_class_outposts: put-object-outposts, create-multipart-outposts-exc).
    s3 = _s3(tmp_path)
    refused = (
        400,
        {
            "Code": "InvalidStorageClass",
            "Message": "The storage class you specified is not valid",
            "StorageClassRequested": "OUTPOSTS",
        },
    )
    assert _refused(s3.put_object, Bucket="bkt", Key="k", Body=b"x", StorageClass="OUTPOSTS") == refused
    assert _refused(s3.create_multipart_upload, Bucket="bkt", Key="k", StorageClass="OUTPOSTS") == refused
    assert "Contents" not in s3.list_objects_v2(Bucket="bkt")
    assert not s3.list_multipart_uploads(Bucket="bkt").get("Uploads")

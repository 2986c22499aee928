"""Objects in the archived storage classes, through the whole request path with boto3.

AWS pages: GetObject (S3 API Reference): "If the object you are retrieving is stored in the
S3 Glacier Flexible Retrieval storage class, the S3 Glacier Deep Archive storage class, ...
before you can retrieve the object you must first restore a copy using RestoreObject.
Otherwise, this operation returns an InvalidObjectState error" (HTTP 403, with StorageClass:
botocore's InvalidObjectState shape); "Restoring an archived object" (S3 User Guide): S3
Glacier Flexible Retrieval and Deep Archive objects "are not immediately accessible";
CopyObject: "you must restore a copy of this object before you can use it as a source
object for the copy operation". The messages are production S3's: "The operation is not
valid for the object's storage class" (GetObject) and "Operation is not valid for the
source object's storage class" (a copy), as users quote them and LocalStack records them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from inprocess_harness import client, open_app, root_keys

A = "111111111111"
MIB = 1024 * 1024


@pytest.fixture
def s3(tmp_path: Path) -> Any:
    app = open_app(tmp_path, A)
    s3 = client(app, "s3", root_keys(app, A))
    s3.create_bucket(Bucket="bkt")
    return s3


def _error(call: Any) -> dict[str, Any]:
    with pytest.raises(ClientError) as caught:
        call()
    response: dict[str, Any] = caught.value.response
    return response


def _invalid_state(response: dict[str, Any], storage_class: str, message: str) -> None:
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert response["Error"]["Code"] == "InvalidObjectState"
    assert response["Error"]["Message"] == message
    assert response["Error"]["StorageClass"] == storage_class
    assert "AccessTier" not in response["Error"]  # only for Intelligent-Tiering's archive tiers


READ = "The operation is not valid for the object's storage class"
COPY = "Operation is not valid for the source object's storage class"


@pytest.mark.parametrize("storage_class", ["GLACIER", "DEEP_ARCHIVE"])
def test_get_object_of_an_archived_object_is_refused(s3: Any, storage_class: str) -> None:
    s3.put_object(Bucket="bkt", Key="cold", Body=b"frozen", StorageClass=storage_class)
    _invalid_state(_error(lambda: s3.get_object(Bucket="bkt", Key="cold")), storage_class, READ)
    # A range or a part reads the bytes too.
    _invalid_state(_error(lambda: s3.get_object(Bucket="bkt", Key="cold", Range="bytes=0-1")), storage_class, READ)
    _invalid_state(_error(lambda: s3.get_object(Bucket="bkt", Key="cold", PartNumber=1)), storage_class, READ)
    # HeadObject reads no bytes: it answers, with the storage class (HeadObject: "Amazon S3
    # returns this header for all objects except for S3 Standard storage class objects").
    head = s3.head_object(Bucket="bkt", Key="cold")
    assert (head["StorageClass"], head["ContentLength"]) == (storage_class, 6)
    attributes = s3.get_object_attributes(Bucket="bkt", Key="cold", ObjectAttributes=["StorageClass", "ObjectSize"])
    assert (attributes["StorageClass"], attributes["ObjectSize"]) == (storage_class, 6)
    assert s3.get_object_tagging(Bucket="bkt", Key="cold")["TagSet"] == []
    s3.delete_object(Bucket="bkt", Key="cold")


def test_glacier_instant_retrieval_and_the_other_classes_are_read(s3: Any) -> None:
    """GLACIER_IR (S3 Glacier Instant Retrieval) is no archive: "Restoring an archived
    object" lists only Flexible Retrieval, Deep Archive and Intelligent-Tiering's archive
    tiers."""
    for storage_class in ("GLACIER_IR", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "REDUCED_REDUNDANCY"):
        s3.put_object(Bucket="bkt", Key=storage_class, Body=b"warm", StorageClass=storage_class)
        got = s3.get_object(Bucket="bkt", Key=storage_class)
        assert got["Body"]._raw_stream.body == b"warm" and got["StorageClass"] == storage_class


def test_an_archived_version_is_refused_and_a_later_one_read(s3: Any) -> None:
    s3.put_bucket_versioning(Bucket="bkt", VersioningConfiguration={"Status": "Enabled"})
    old = s3.put_object(Bucket="bkt", Key="k", Body=b"old", StorageClass="DEEP_ARCHIVE")["VersionId"]
    s3.put_object(Bucket="bkt", Key="k", Body=b"new")
    assert s3.get_object(Bucket="bkt", Key="k")["Body"]._raw_stream.body == b"new"
    _invalid_state(_error(lambda: s3.get_object(Bucket="bkt", Key="k", VersionId=old)), "DEEP_ARCHIVE", READ)


@pytest.mark.parametrize("storage_class", ["GLACIER", "DEEP_ARCHIVE"])
def test_an_archived_copy_source_is_refused(s3: Any, storage_class: str) -> None:
    s3.put_object(Bucket="bkt", Key="cold", Body=b"frozen", StorageClass=storage_class)
    _invalid_state(
        _error(lambda: s3.copy_object(Bucket="bkt", Key="thawed", CopySource="bkt/cold")), storage_class, COPY
    )
    # Changing the storage class by copying in place needs a restore first ("Restoring an
    # archived object": "Unless you make a copy and change its storage class, the object
    # will still be stored in" the archive class; a copy needs a restored object).
    in_place = _error(lambda: s3.copy_object(Bucket="bkt", Key="cold", CopySource="bkt/cold", StorageClass="STANDARD"))
    _invalid_state(in_place, storage_class, COPY)
    assert s3.head_object(Bucket="bkt", Key="cold")["StorageClass"] == storage_class
    upload = s3.create_multipart_upload(Bucket="bkt", Key="mpu")["UploadId"]
    part_copy = _error(
        lambda: s3.upload_part_copy(Bucket="bkt", Key="mpu", UploadId=upload, PartNumber=1, CopySource="bkt/cold")
    )
    _invalid_state(part_copy, storage_class, COPY)
    assert _error(lambda: s3.head_object(Bucket="bkt", Key="thawed"))["Error"]["Code"] == "404"


def test_an_object_may_be_copied_into_an_archive_class(s3: Any) -> None:
    """The destination's class is the request's (CopyObject, x-amz-storage-class); the copy
    is then archived in its turn."""
    s3.put_object(Bucket="bkt", Key="warm", Body=b"data")
    s3.copy_object(Bucket="bkt", Key="cold", CopySource="bkt/warm", StorageClass="GLACIER")
    assert s3.head_object(Bucket="bkt", Key="cold")["StorageClass"] == "GLACIER"
    _invalid_state(_error(lambda: s3.get_object(Bucket="bkt", Key="cold")), "GLACIER", READ)


def test_a_multipart_upload_into_an_archive_class_is_archived(s3: Any) -> None:
    upload = s3.create_multipart_upload(Bucket="bkt", Key="big", StorageClass="DEEP_ARCHIVE")["UploadId"]
    etag = s3.upload_part(Bucket="bkt", Key="big", UploadId=upload, PartNumber=1, Body=b"x" * MIB)["ETag"]
    parts = {"Parts": [{"PartNumber": 1, "ETag": etag}]}
    s3.complete_multipart_upload(Bucket="bkt", Key="big", UploadId=upload, MultipartUpload=parts)
    _invalid_state(_error(lambda: s3.get_object(Bucket="bkt", Key="big")), "DEEP_ARCHIVE", READ)


def test_restore_object_is_not_implemented(s3: Any) -> None:
    """RestoreObject is not implemented (a known gap, services/s3/archived.py): it answers
    501 NotImplemented, as every operation without a handler, and the object stays archived."""
    s3.put_object(Bucket="bkt", Key="cold", Body=b"frozen", StorageClass="GLACIER")
    refused = _error(lambda: s3.restore_object(Bucket="bkt", Key="cold", RestoreRequest={"Days": 1}))
    assert refused["ResponseMetadata"]["HTTPStatusCode"] == 501
    assert refused["Error"]["Code"] == "NotImplemented"
    _invalid_state(_error(lambda: s3.get_object(Bucket="bkt", Key="cold")), "GLACIER", READ)

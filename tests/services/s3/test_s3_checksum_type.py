"""x-amz-checksum-type of an object written in one request: FULL_OBJECT, wherever its
checksum is answered.

AWS pages: PutObject (S3 API Reference), x-amz-checksum-type in the response: "For
PutObject uploads, the checksum type is always FULL_OBJECT"; HeadObject and GetObject
(x-amz-checksum-type, answered with the checksum under x-amz-checksum-mode ENABLED);
CopyObject's CopyObjectResult and ListObjectsV2's and ListObjectVersions' Contents/Versions
carry ChecksumType beside the checksum ("Checking object integrity in Amazon S3", S3 User
Guide). Recorded from AWS in LocalStack's test_s3 snapshot ("ChecksumType": "FULL_OBJECT"
beside ChecksumCRC32 in put-object, head-object, CopyObjectResult, Contents and Versions).
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
    return s3


def test_put_head_get_answer_full_object(s3: Any) -> None:
    put = s3.put_object(Bucket="bkt", Key="k", Body=b"data", ChecksumAlgorithm="SHA256")
    assert put["ChecksumType"] == "FULL_OBJECT" and "ChecksumSHA256" in put
    head = s3.head_object(Bucket="bkt", Key="k", ChecksumMode="ENABLED")
    assert (head["ChecksumType"], head["ChecksumSHA256"]) == ("FULL_OBJECT", put["ChecksumSHA256"])
    got = s3.get_object(Bucket="bkt", Key="k", ChecksumMode="ENABLED")
    assert (got["ChecksumType"], got["ChecksumSHA256"]) == ("FULL_OBJECT", put["ChecksumSHA256"])
    # Without checksum mode, no checksum and so no type (HeadObject: "x-amz-checksum-mode").
    assert "ChecksumType" not in s3.head_object(Bucket="bkt", Key="k")
    # A range answers part of the object: not the object's checksum, nor its type.
    ranged = s3.get_object(Bucket="bkt", Key="k", ChecksumMode="ENABLED", Range="bytes=0-1")
    assert "ChecksumType" not in ranged and "ChecksumSHA256" not in ranged


def test_copy_result_carries_the_copys_checksum_and_type(s3: Any) -> None:
    put = s3.put_object(Bucket="bkt", Key="src", Body=b"data", ChecksumAlgorithm="CRC32")
    result = s3.copy_object(Bucket="bkt", Key="dst", CopySource="bkt/src")["CopyObjectResult"]
    assert result["ChecksumCRC32"] == put["ChecksumCRC32"]
    assert result["ChecksumType"] == "FULL_OBJECT"


def test_listings_answer_the_type_beside_the_algorithm(s3: Any) -> None:
    s3.put_object(Bucket="bkt", Key="k", Body=b"data", ChecksumAlgorithm="CRC32")
    (entry,) = s3.list_objects_v2(Bucket="bkt")["Contents"]
    assert (entry["ChecksumAlgorithm"], entry["ChecksumType"]) == (["CRC32"], "FULL_OBJECT")
    (entry,) = s3.list_objects(Bucket="bkt")["Contents"]
    assert entry["ChecksumType"] == "FULL_OBJECT"
    s3.put_bucket_versioning(Bucket="bkt", VersioningConfiguration={"Status": "Enabled"})
    s3.put_object(Bucket="bkt", Key="v", Body=b"data", ChecksumAlgorithm="CRC32")
    versions = s3.list_object_versions(Bucket="bkt")["Versions"]
    assert {version["ChecksumType"] for version in versions} == {"FULL_OBJECT"}


@pytest.mark.parametrize(
    ("algorithm", "checksum_type", "message"),
    [
        # "Full object checksums in multipart uploads are only available for CRC-based
        # checksums" ("Checking object integrity in Amazon S3", S3 User Guide); the words as
        # checked against S3 by floci-io/floci#3093.
        ("SHA256", "FULL_OBJECT", "The FULL_OBJECT checksum type cannot be used with the sha256 checksum algorithm."),
        ("SHA1", "FULL_OBJECT", "The FULL_OBJECT checksum type cannot be used with the sha1 checksum algorithm."),
        # CRC64NVME "only supports the full object checksum type" (the same page).
        ("CRC64NVME", "COMPOSITE", "The COMPOSITE checksum type cannot be used with the crc64nvme checksum algorithm."),
        (
            None,
            "FULL_OBJECT",
            "The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.",
        ),
        ("CRC32", "WHOLE", "Value for x-amz-checksum-type header is invalid."),
        # Recorded from AWS (LocalStack's test_s3 snapshot, create-mpu-wrong-checksum-algo).
        (
            "FOO",
            None,
            "Checksum algorithm provided is unsupported. Please try again with any of the valid types:"
            " [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]",
        ),
        ("SHA512", "FULL_OBJECT", "The FULL_OBJECT checksum type cannot be used with the sha512 checksum algorithm."),
    ],
)
def test_create_multipart_upload_refuses_a_checksum_choice_s3_does_not_support(
    s3: Any, algorithm: str | None, checksum_type: str | None, message: str
) -> None:
    params = {"ChecksumAlgorithm": algorithm, "ChecksumType": checksum_type}
    with pytest.raises(ClientError) as refused:
        s3.create_multipart_upload(Bucket="bkt", Key="k", **{k: v for k, v in params.items() if v is not None})
    assert refused.value.response["Error"]["Code"] == "InvalidRequest"
    assert refused.value.response["Error"]["Message"] == message
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert not s3.list_multipart_uploads(Bucket="bkt").get("Uploads")


@pytest.mark.parametrize(
    ("algorithm", "checksum_type"),
    [
        ("CRC32", "FULL_OBJECT"),
        ("CRC32C", "COMPOSITE"),
        ("CRC64NVME", "FULL_OBJECT"),
        ("SHA256", "COMPOSITE"),
        ("MD5", "COMPOSITE"),  # botocore's model lists MD5, SHA512 and the xxHashes too
    ],
)
def test_create_multipart_upload_takes_the_supported_choices(s3: Any, algorithm: str, checksum_type: str) -> None:
    made = s3.create_multipart_upload(Bucket="bkt", Key="k", ChecksumAlgorithm=algorithm, ChecksumType=checksum_type)
    assert (made["ChecksumAlgorithm"], made["ChecksumType"]) == (algorithm, checksum_type)


def test_a_copy_takes_the_checksum_algorithm_it_names_or_the_sources(s3: Any) -> None:
    """CopyObject, x-amz-checksum-algorithm: "If the CopyObject request does not include this
    x-amz-checksum-algorithm header, the checksum algorithm will be copied from the source
    object ... You can optionally specify a different checksum algorithm to use ...
    Unrecognized or unsupported values will respond with the HTTP status code 400 Bad
    Request." (S3 API Reference)."""
    s3.put_object(Bucket="bkt", Key="src", Body=b"data", ChecksumAlgorithm="SHA256")
    kept = s3.copy_object(Bucket="bkt", Key="same", CopySource="bkt/src")["CopyObjectResult"]
    assert "ChecksumSHA256" in kept and "ChecksumCRC32" not in kept
    other = s3.copy_object(Bucket="bkt", Key="crc", CopySource="bkt/src", ChecksumAlgorithm="CRC32")
    assert other["CopyObjectResult"]["ChecksumCRC32"] == "rfPzYw=="  # CRC32 of b"data", base64
    assert "ChecksumSHA256" not in other["CopyObjectResult"]
    head = s3.head_object(Bucket="bkt", Key="crc", ChecksumMode="ENABLED")
    assert head["ChecksumCRC32"] == "rfPzYw==" and head["ChecksumType"] == "FULL_OBJECT"
    with pytest.raises(ClientError) as refused:
        s3.copy_object(Bucket="bkt", Key="bad", CopySource="bkt/src", ChecksumAlgorithm="FOO")
    assert refused.value.response["Error"]["Code"] == "InvalidRequest"
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400

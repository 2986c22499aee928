"""GetObjectAttributes: the attributes x-amz-object-attributes names, S3's errors for bad
names and missing keys, and the two IAM actions it needs.

AWS pages, cited per test: Amazon S3 API Reference, GetObjectAttributes (its Permissions
section, ObjectParts, "Errors"), ObjectParts / GetObjectAttributesParts, Checksum; Service
Authorization Reference, "Actions, resources, and condition keys for Amazon S3". The ETag
without quotes is as LocalStack's AWS-validated snapshots record it; the InvalidArgument
message is unconfirmed (object_attributes.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from inprocess_harness import client, open_app, root_keys, user_keys

from iamsandbox.authz.actions import spec_for
from iamsandbox.errors import InvalidArgument, NoSuchBucket, NoSuchKey

Run = Callable[..., Any]
A = "111111111111"
ALL = ["ETag", "Checksum", "ObjectParts", "StorageClass", "ObjectSize"]
BODY = b"hello, attributes"
PART = 5 * 1024 * 1024  # "Each part must be at least 5 MB in size, except the last part" (UploadPart)


def test_every_attribute_of_a_single_part_object(run: Run) -> None:
    """GetObjectAttributes: ETag, Checksum (the object's additional checksum, with its
    ChecksumType), StorageClass, ObjectSize; no ObjectParts for an object not uploaded in
    parts; Last-Modified always."""
    run("PutObject", Bucket="bkt", Key="a.txt", Body=BODY, ChecksumCRC32="AAAAAA==")
    head = run("HeadObject", Bucket="bkt", Key="a.txt")
    out = run("GetObjectAttributes", Bucket="bkt", Key="a.txt", ObjectAttributes=ALL)
    assert out == {
        "LastModified": head["LastModified"],
        "ETag": head["ETag"].strip('"'),  # without its quotes
        "Checksum": {"ChecksumCRC32": "AAAAAA==", "ChecksumType": "FULL_OBJECT"},
        "StorageClass": "STANDARD",
        "ObjectSize": len(BODY),
    }


def test_only_the_attributes_asked_for(run: Run) -> None:
    """GetObjectAttributes, x-amz-object-attributes: "Specifies the fields at the root level
    that you want returned in the response. Fields that you do not specify are not returned."
    An object written without an additional checksum has S3's default CRC64NVME (recorded
    from AWS, LocalStack's test_s3 snapshot, test_s3_checksum_no_automatic_sdk_calculation,
    "get-obj-attrs-no-checksum")."""
    run("PutObject", Bucket="bkt", Key="b.txt", Body=BODY)
    out = run("GetObjectAttributes", Bucket="bkt", Key="b.txt", ObjectAttributes=["ObjectSize"])
    assert set(out) == {"LastModified", "ObjectSize"}
    out = run("GetObjectAttributes", Bucket="bkt", Key="b.txt", ObjectAttributes=["Checksum", "ETag"])
    assert set(out) == {"LastModified", "ETag", "Checksum"}
    assert set(out["Checksum"]) == {"ChecksumCRC64NVME", "ChecksumType"}


@pytest.mark.parametrize("names", [["Size"], ["ETag", "etag"], [], [" "]], ids=["unknown", "case", "none", "blank"])
def test_an_unknown_or_missing_attribute_name(run: Run, names: list[str]) -> None:
    """GetObjectAttributes: x-amz-object-attributes is required and takes ETag, Checksum,
    ObjectParts, StorageClass, ObjectSize; anything else is InvalidArgument (400)."""
    run("PutObject", Bucket="bkt", Key="c.txt", Body=BODY)
    with pytest.raises(InvalidArgument) as raised:
        run("GetObjectAttributes", Bucket="bkt", Key="c.txt", ObjectAttributes=names)
    assert raised.value.message == "Invalid attribute name specified."
    assert raised.value.fields["ArgumentName"] == "x-amz-object-attributes"
    assert raised.value.status == 400


def test_a_multipart_object_reports_its_part_count(run: Run) -> None:
    """ObjectParts (GetObjectAttributesParts): TotalPartsCount; "if an additional checksum
    ... isn't applied to the object specified in the request, the response doesn't return
    the Part element" (general purpose buckets), so no Parts; paging members do not change
    that. The upload created without an algorithm has S3's default FULL_OBJECT CRC64NVME
    (recorded from AWS, LocalStack's test_s3 snapshot, test_complete_multipart_parts_checksum_default,
    "get-object-attrs": ObjectParts TotalPartsCount alone)."""
    upload = run("CreateMultipartUpload", Bucket="bkt", Key="big.bin")["UploadId"]
    etags = [
        run("UploadPart", Bucket="bkt", Key="big.bin", UploadId=upload, PartNumber=number, Body=body)["ETag"]
        for number, body in ((1, b"a" * PART), (2, b"tail"))
    ]
    parts = [{"PartNumber": number, "ETag": etag} for number, etag in enumerate(etags, start=1)]
    run("CompleteMultipartUpload", Bucket="bkt", Key="big.bin", UploadId=upload, MultipartUpload={"Parts": parts})
    out = run("GetObjectAttributes", Bucket="bkt", Key="big.bin", ObjectAttributes=ALL, MaxParts=1, PartNumberMarker=1)
    assert out["ObjectParts"] == {"TotalPartsCount": 2}
    assert out["ObjectSize"] == PART + 4
    assert out["ETag"].endswith("-2") and '"' not in out["ETag"]
    assert out["Checksum"]["ChecksumType"] == "FULL_OBJECT" and "ChecksumCRC64NVME" in out["Checksum"]
    without = run("GetObjectAttributes", Bucket="bkt", Key="big.bin", ObjectAttributes=["ObjectSize"])
    assert "ObjectParts" not in without


def test_the_null_version_only(run: Run) -> None:
    """Without versioning every object is the "null" version (S3 User Guide, "Working with
    objects in a versioning-suspended bucket"); another version ID is refused."""
    run("PutObject", Bucket="bkt", Key="d.txt", Body=BODY)
    out = run("GetObjectAttributes", Bucket="bkt", Key="d.txt", VersionId="null", ObjectAttributes=["ObjectSize"])
    assert out["ObjectSize"] == len(BODY)
    with pytest.raises(InvalidArgument):
        run(
            "GetObjectAttributes",
            Bucket="bkt",
            Key="d.txt",
            VersionId="3HL4kqtJlcpXroDTDmjVBH40Nrjfkd",
            ObjectAttributes=["ETag"],
        )


def test_missing_bucket_and_key(run: Run) -> None:
    """ "Error responses": NoSuchBucket and NoSuchKey (404); the bucket owner may list the
    bucket, so a missing key is NoSuchKey (GetObjectAttributes, Permissions)."""
    with pytest.raises(NoSuchBucket):
        run("GetObjectAttributes", Bucket="missing-bucket", Key="k", ObjectAttributes=["ETag"])
    with pytest.raises(NoSuchKey) as raised:
        run("GetObjectAttributes", Bucket="bkt", Key="no-such-key", ObjectAttributes=["ETag"])
    assert raised.value.status == 404


def test_the_action_in_the_table() -> None:
    """Service Authorization Reference: s3:GetObjectAttributes on the object, with
    s3:ExistingObjectTag/<key>."""
    spec = spec_for("s3", "GetObjectAttributes")
    assert spec is not None
    assert (spec.action, spec.resource.kind, spec.existing_object_tags) == ("s3:GetObjectAttributes", "object", True)


# --- over the wire ---------------------------------------------------------------------------


def _user(app: Any, iam: Any, name: str, actions: list[str]) -> Any:
    iam.create_user(UserName=name)
    policy = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": actions, "Resource": ["arn:aws:s3:::wire", "arn:aws:s3:::wire/*"]}],
    }
    iam.put_user_policy(UserName=name, PolicyName="p", PolicyDocument=json.dumps(policy))
    return client(app, "s3", user_keys(app, A, name))


def _denied(call: Callable[[], Any]) -> tuple[int, str, str]:
    with pytest.raises(ClientError) as raised:
        call()
    response = raised.value.response
    return response["ResponseMetadata"]["HTTPStatusCode"], response["Error"]["Code"], response["Error"]["Message"]


def test_over_the_wire_with_both_actions_needed(tmp_path: Path) -> None:
    """GetObjectAttributes through the request path (in process). Permissions: "If the bucket
    is not versioned, you need the s3:GetObject and s3:GetObjectAttributes permissions"; "If
    the object that you request doesn't exist, the error that Amazon S3 returns depends on
    whether you also have the s3:ListBucket permission": 404 with it, 403 without it."""
    app = open_app(tmp_path, A)
    owner = client(app, "s3", root_keys(app, A))
    owner.create_bucket(Bucket="wire")
    put = owner.put_object(Bucket="wire", Key="k.txt", Body=BODY)
    got = owner.get_object_attributes(Bucket="wire", Key="k.txt", ObjectAttributes=ALL)
    assert got["ETag"] == put["ETag"].strip('"')
    assert got["ObjectSize"] == len(BODY) and got["StorageClass"] == "STANDARD"
    assert isinstance(got["LastModified"], datetime)

    iam = client(app, "iam", root_keys(app, A))
    only_attributes = _user(app, iam, "attrs-only", ["s3:GetObjectAttributes"])
    only_get = _user(app, iam, "get-only", ["s3:GetObject"])
    both = _user(app, iam, "both", ["s3:GetObject", "s3:GetObjectAttributes"])
    lister = _user(app, iam, "lister", ["s3:GetObject", "s3:GetObjectAttributes", "s3:ListBucket"])

    def attributes(s3: Any, key: str = "k.txt") -> Callable[[], Any]:
        return lambda: s3.get_object_attributes(Bucket="wire", Key=key, ObjectAttributes=["ObjectSize"])

    for s3, name, action in (
        (only_attributes, "attrs-only", "s3:GetObject"),
        (only_get, "get-only", "s3:GetObjectAttributes"),
    ):
        assert _denied(attributes(s3)) == (
            403,
            "AccessDenied",
            f"User: arn:aws:iam::{A}:user/{name} is not authorized to perform: {action} on resource: "
            f'"arn:aws:s3:::wire/k.txt" because no identity-based policy allows the {action} action',
        )
    assert both.get_object_attributes(Bucket="wire", Key="k.txt", ObjectAttributes=["ObjectSize"])["ObjectSize"] == len(
        BODY
    )
    status, code, message = _denied(attributes(both, "missing.txt"))
    assert (status, code) == (403, "AccessDenied")
    assert "s3:ListBucket" in message and '"arn:aws:s3:::wire"' in message
    assert _denied(attributes(lister, "missing.txt"))[:2] == (404, "NoSuchKey")
    status, code, _ = _denied(
        lambda: owner.get_object_attributes(Bucket="wire", Key="k.txt", ObjectAttributes=["Size"])
    )
    assert (status, code) == (400, "InvalidArgument")

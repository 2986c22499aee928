"""An object's standard headers and storage class, its limits, and the tagging permission of
PutObject, through the whole request path with boto3.

AWS pages:
- PutObject, CreateMultipartUpload, CopyObject (S3 API Reference): the request headers
  Cache-Control, Content-Disposition, Content-Encoding, Content-Language, Expires,
  x-amz-website-redirect-location and x-amz-storage-class are stored with the object;
  GetObject and HeadObject answer them ("x-amz-storage-class: ... Amazon S3 returns this
  header for all objects except for S3 Standard storage class objects").
- CopyObject: MetadataDirective COPY (the default) keeps the source's metadata, REPLACE takes
  the request's; WebsiteRedirectLocation "is not copied when using the
  x-amz-metadata-directive header"; "If the x-amz-storage-class header is not used, the
  copied object will be stored in the STANDARD Storage Class by default"; copying an object
  onto itself must change "the object's metadata, storage class, website redirect location
  or encryption attributes".
- ListObjects, ListObjectsV2, ListParts, ListMultipartUploads: StorageClass of each entry.
- "Error responses" (S3 API Reference): InvalidStorageClass, 400, "The storage class you
  specified is not valid"; KeyTooLongError, 400, "Your key is too long"; MetadataTooLarge,
  400, "Your metadata headers exceed the maximum allowed metadata size."
- "Naming Amazon S3 objects" (S3 User Guide): a key is at most 1,024 bytes of UTF-8.
  "Working with object metadata": "the user-defined metadata is limited to 2 KB in size ...
  measured by taking the sum of the number of bytes in the UTF-8 encoding of each key and
  value" (2 KB read as 2,048 bytes: unconfirmed).
- PutObject, Permissions: "s3:PutObjectTagging - To successfully set the tag-set with your
  PutObject request, you must have the s3:PutObjectTagging." The CreateMultipartUpload and
  CopyObject references' Permissions name no such permission.
"""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import botocore
import pytest
from botocore.exceptions import ClientError
from inprocess_harness import client, open_app, root_keys, user_keys

from iamsandbox.services.s3.objects import STORAGE_CLASSES

A = "111111111111"
EXPIRES = datetime(2031, 5, 6, 7, 8, 9, tzinfo=UTC)
HEADERS: dict[str, Any] = {
    "CacheControl": "max-age=300, public",
    "ContentDisposition": 'attachment; filename="report.csv"',
    "ContentEncoding": "gzip",
    "ContentLanguage": "de-CH",
    "Expires": EXPIRES,
    "WebsiteRedirectLocation": "/elsewhere.html",
}


def _s3(tmp_path: Path, *, validate: bool = True) -> Any:
    app = open_app(tmp_path, A)
    s3 = client(app, "s3", root_keys(app, A), validate=validate)
    s3.create_bucket(Bucket="bkt")
    return s3


def _error(call: Any, **params: Any) -> dict[str, Any]:
    with pytest.raises(ClientError) as caught:
        call(**params)
    response = caught.value.response
    return {**response["Error"], "Status": response["ResponseMetadata"]["HTTPStatusCode"]}


def _refused_by_every_write(s3: Any, expected: dict[str, Any], **member: Any) -> None:
    """PutObject, CreateMultipartUpload and CopyObject with ``member`` are each refused with
    ``expected`` (the members compared), and nothing is written but the copy's source."""
    calls = (
        lambda: s3.put_object(Bucket="bkt", Key="k", Body=b"x", **member),
        lambda: s3.create_multipart_upload(Bucket="bkt", Key="k", **member),
        lambda: s3.copy_object(Bucket="bkt", Key="k", CopySource="bkt/src", **member),
    )
    s3.put_object(Bucket="bkt", Key="src", Body=b"x")
    for call in calls:
        refused = _error(call)
        assert {name: refused.get(name) for name in expected} == expected
    assert s3.list_multipart_uploads(Bucket="bkt").get("Uploads", []) == []
    assert _keys(s3) == ["src"]


def _stored(out: dict[str, Any]) -> dict[str, Any]:
    return {name: out.get(name) for name in HEADERS}


def _keys(s3: Any) -> list[str]:
    return [item["Key"] for item in s3.list_objects_v2(Bucket="bkt").get("Contents", [])]


def test_put_object_keeps_the_standard_headers_and_the_storage_class(tmp_path: Path) -> None:
    s3 = _s3(tmp_path)
    s3.put_object(Bucket="bkt", Key="k", Body=b"data", StorageClass="STANDARD_IA", **HEADERS)
    head = s3.head_object(Bucket="bkt", Key="k")
    got = s3.get_object(Bucket="bkt", Key="k")
    for out in (head, got):
        assert _stored(out) == HEADERS
        assert out["StorageClass"] == "STANDARD_IA"
        assert out["ResponseMetadata"]["HTTPHeaders"]["x-amz-website-redirect-location"] == "/elsewhere.html"
        assert out["ResponseMetadata"]["HTTPHeaders"]["expires"] == "Tue, 06 May 2031 07:08:09 GMT"
    assert [o["StorageClass"] for o in s3.list_objects_v2(Bucket="bkt")["Contents"]] == ["STANDARD_IA"]
    assert [o["StorageClass"] for o in s3.list_objects(Bucket="bkt")["Contents"]] == ["STANDARD_IA"]
    # GetObject's response-* parameters still win over the stored headers.
    overridden = s3.get_object(
        Bucket="bkt",
        Key="k",
        ResponseCacheControl="no-cache",
        ResponseContentDisposition="inline",
        ResponseContentEncoding="identity",
        ResponseContentLanguage="en",
        ResponseExpires=datetime(2030, 1, 1, tzinfo=UTC),
    )
    assert overridden["CacheControl"] == "no-cache"
    assert overridden["ContentDisposition"] == "inline"
    assert overridden["ContentEncoding"] == "identity"
    assert overridden["ContentLanguage"] == "en"
    assert overridden["ResponseMetadata"]["HTTPHeaders"]["expires"] == "Tue, 01 Jan 2030 00:00:00 GMT"
    # A new PutObject replaces them all: none given, none kept.
    s3.put_object(Bucket="bkt", Key="k", Body=b"new")
    plain = s3.head_object(Bucket="bkt", Key="k")
    assert _stored(plain) == dict.fromkeys(HEADERS)
    assert "StorageClass" not in plain


def test_a_standard_object_is_answered_without_x_amz_storage_class(tmp_path: Path) -> None:
    s3 = _s3(tmp_path)
    s3.put_object(Bucket="bkt", Key="default", Body=b"x")
    s3.put_object(Bucket="bkt", Key="named", Body=b"x", StorageClass="STANDARD")
    for key in ("default", "named"):
        for out in (s3.head_object(Bucket="bkt", Key=key), s3.get_object(Bucket="bkt", Key=key)):
            assert "StorageClass" not in out
            assert "x-amz-storage-class" not in out["ResponseMetadata"]["HTTPHeaders"]
    assert [o["StorageClass"] for o in s3.list_objects_v2(Bucket="bkt")["Contents"]] == ["STANDARD", "STANDARD"]
    attributes = s3.get_object_attributes(Bucket="bkt", Key="named", ObjectAttributes=["StorageClass"])
    assert attributes["StorageClass"] == "STANDARD"


def test_an_unknown_storage_class_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    s3 = _s3(tmp_path, validate=False)
    expected = {
        "Code": "InvalidStorageClass",
        "Message": "The storage class you specified is not valid",
        "StorageClassRequested": "BOGUS",
        "Status": 400,
    }
    _refused_by_every_write(s3, expected, StorageClass="BOGUS")


def test_a_website_redirect_location_must_be_a_path_or_a_url(tmp_path: Path) -> None:
    # POST Object (S3 API Reference), x-amz-website-redirect-location: "The value must be
    # prefixed by /, http://, or https://"; AWS answers 400 InvalidRedirectLocation in the
    # words aws/aws-cli#1130 quotes.
    s3 = _s3(tmp_path)
    expected = {
        "Code": "InvalidRedirectLocation",
        "Message": "The website redirect location must have a prefix of 'http://' or 'https://' or '/'.",
        "Status": 400,
    }
    for location in ("noslash", "ftp://x", "page"):
        _refused_by_every_write(s3, expected, WebsiteRedirectLocation=location)
    for location in ("/other.html", "http://example.com/", "https://example.com/x"):
        s3.put_object(Bucket="bkt", Key="k", Body=b"x", WebsiteRedirectLocation=location)
        assert s3.head_object(Bucket="bkt", Key="k")["WebsiteRedirectLocation"] == location


def test_the_storage_classes_are_botocores() -> None:
    """The accepted values are the StorageClass enum of botocore's S3 model."""
    path = sorted((Path(botocore.__file__).parent / "data" / "s3").glob("*/service-2.json*"))[-1]
    raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    assert set(json.loads(raw)["shapes"]["StorageClass"]["enum"]) == STORAGE_CLASSES


def test_a_multipart_upload_gives_its_headers_to_the_object(tmp_path: Path) -> None:
    s3 = _s3(tmp_path)
    upload = s3.create_multipart_upload(Bucket="bkt", Key="big", StorageClass="ONEZONE_IA", **HEADERS)
    upload_id = upload["UploadId"]
    part = s3.upload_part(Bucket="bkt", Key="big", UploadId=upload_id, PartNumber=1, Body=b"part")
    assert [u["StorageClass"] for u in s3.list_multipart_uploads(Bucket="bkt")["Uploads"]] == ["ONEZONE_IA"]
    assert s3.list_parts(Bucket="bkt", Key="big", UploadId=upload_id)["StorageClass"] == "ONEZONE_IA"
    s3.complete_multipart_upload(
        Bucket="bkt",
        Key="big",
        UploadId=upload_id,
        MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]},
    )
    head = s3.head_object(Bucket="bkt", Key="big")
    assert _stored(head) == HEADERS
    assert head["StorageClass"] == "ONEZONE_IA"
    assert [o["StorageClass"] for o in s3.list_objects_v2(Bucket="bkt")["Contents"]] == ["ONEZONE_IA"]
    # Without a storage class the upload (and its object) is STANDARD.
    plain = s3.create_multipart_upload(Bucket="bkt", Key="plain")["UploadId"]
    assert s3.list_parts(Bucket="bkt", Key="plain", UploadId=plain)["StorageClass"] == "STANDARD"


def test_copy_object_keeps_or_replaces_the_headers_by_the_metadata_directive(tmp_path: Path) -> None:
    s3 = _s3(tmp_path)
    s3.put_object(Bucket="bkt", Key="src", Body=b"x", StorageClass="STANDARD_IA", ContentType="text/csv", **HEADERS)

    s3.copy_object(Bucket="bkt", Key="copied", CopySource="bkt/src")  # COPY, the default
    copied = s3.head_object(Bucket="bkt", Key="copied")
    assert _stored(copied) == {**HEADERS, "WebsiteRedirectLocation": None}  # not copied
    assert copied["ContentType"] == "text/csv"
    assert "StorageClass" not in copied  # STANDARD: the request named none

    s3.copy_object(
        Bucket="bkt",
        Key="moved",
        CopySource="bkt/src",
        MetadataDirective="COPY",
        StorageClass="INTELLIGENT_TIERING",
        WebsiteRedirectLocation="https://example.com/",
    )
    moved = s3.head_object(Bucket="bkt", Key="moved")
    assert _stored(moved) == {**HEADERS, "WebsiteRedirectLocation": "https://example.com/"}
    assert moved["StorageClass"] == "INTELLIGENT_TIERING"

    s3.copy_object(
        Bucket="bkt",
        Key="replaced",
        CopySource="bkt/src",
        MetadataDirective="REPLACE",
        CacheControl="no-store",
        ContentType="text/plain",
    )
    replaced = s3.head_object(Bucket="bkt", Key="replaced")
    assert _stored(replaced) == {**dict.fromkeys(HEADERS), "CacheControl": "no-store"}
    assert replaced["ContentType"] == "text/plain"
    assert "StorageClass" not in replaced


def test_copying_an_object_onto_itself_may_change_only_its_storage_class(tmp_path: Path) -> None:
    s3 = _s3(tmp_path)
    s3.put_object(Bucket="bkt", Key="k", Body=b"x", CacheControl="max-age=1")
    refused = _error(s3.copy_object, Bucket="bkt", Key="k", CopySource="bkt/k")
    assert (refused["Code"], refused["Status"]) == ("InvalidRequest", 400)
    s3.copy_object(Bucket="bkt", Key="k", CopySource="bkt/k", StorageClass="GLACIER_IR")
    head = s3.head_object(Bucket="bkt", Key="k")
    assert head["StorageClass"] == "GLACIER_IR"
    assert head["CacheControl"] == "max-age=1"


@pytest.mark.parametrize("key", ["a" * 1025, "é" * 513, "k/" + "ü" * 512])
def test_a_key_over_1024_bytes_is_refused(tmp_path: Path, key: str) -> None:
    s3 = _s3(tmp_path)
    size = str(len(key.encode("utf-8")))
    expected = {"Code": "KeyTooLongError", "Message": "Your key is too long", "Status": 400}
    for call, params in (
        (s3.put_object, {"Body": b"x"}),
        (s3.create_multipart_upload, {}),
    ):
        refused = _error(call, Bucket="bkt", Key=key, **params)
        assert {name: refused.get(name) for name in expected} == expected
        assert (refused.get("MaxSizeAllowed"), refused.get("Size")) == ("1024", size)
    s3.put_object(Bucket="bkt", Key="src", Body=b"x")
    refused = _error(s3.copy_object, Bucket="bkt", Key=key, CopySource="bkt/src")
    assert {name: refused.get(name) for name in expected} == expected
    assert _keys(s3) == ["src"]
    assert s3.list_multipart_uploads(Bucket="bkt").get("Uploads", []) == []


def test_a_key_of_1024_bytes_is_taken(tmp_path: Path) -> None:
    s3 = _s3(tmp_path)
    key = "é" * 511 + "ab"  # 1,024 bytes of UTF-8
    s3.put_object(Bucket="bkt", Key=key, Body=b"x")
    s3.copy_object(Bucket="bkt", Key="a" * 1024, CopySource={"Bucket": "bkt", "Key": key})
    assert sorted(_keys(s3)) == sorted([key, "a" * 1024])


def test_user_metadata_over_2_kb_is_refused(tmp_path: Path) -> None:
    s3 = _s3(tmp_path)
    # boto3 sends only ASCII metadata, so here bytes and characters agree.
    fits = {"a": "x" * 2000, "b": "y" * 46}  # 1 + 2000 + 1 + 46 = 2,048 bytes
    too_much = {"a": "x" * 2000, "b": "y" * 47}  # 2,049
    s3.put_object(Bucket="bkt", Key="fits", Body=b"x", Metadata=fits)
    assert s3.head_object(Bucket="bkt", Key="fits")["Metadata"] == fits
    expected = {
        "Code": "MetadataTooLarge",
        "Message": "Your metadata headers exceed the maximum allowed metadata size.",
        "Status": 400,
    }
    for call, params in (
        (s3.put_object, {"Body": b"x"}),
        (s3.create_multipart_upload, {}),
        (s3.copy_object, {"CopySource": "bkt/fits", "MetadataDirective": "REPLACE"}),
    ):
        refused = _error(call, Bucket="bkt", Key="big-meta", Metadata=too_much, **params)
        assert {name: refused.get(name) for name in expected} == expected
    assert _keys(s3) == ["fits"]
    assert s3.list_multipart_uploads(Bucket="bkt").get("Uploads", []) == []


def _writer(tmp_path: Path, actions: list[str]) -> tuple[Any, Any]:
    app = open_app(tmp_path, A)
    root = root_keys(app, A)
    s3 = client(app, "s3", root)
    s3.create_bucket(Bucket="bkt")
    s3.put_object(Bucket="bkt", Key="src", Body=b"x")
    policy = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "arn:aws:s3:::bkt/*"}],
    }
    keys = user_keys(app, A, "writer")
    client(app, "iam", root).put_user_policy(UserName="writer", PolicyName="p", PolicyDocument=json.dumps(policy))
    return s3, client(app, "s3", keys)


def test_put_object_with_tags_also_needs_s3_put_object_tagging(tmp_path: Path) -> None:
    s3, writer = _writer(tmp_path, ["s3:PutObject", "s3:GetObject"])
    writer.put_object(Bucket="bkt", Key="untagged", Body=b"x")
    refused = _error(writer.put_object, Bucket="bkt", Key="tagged", Body=b"x", Tagging="team=blue")
    assert refused["Code"] == "AccessDenied" and refused["Status"] == 403
    assert refused["Message"] == (
        f"User: arn:aws:iam::{A}:user/writer is not authorized to perform: s3:PutObjectTagging on resource: "
        '"arn:aws:s3:::bkt/tagged" because no identity-based policy allows the s3:PutObjectTagging action'
    )
    assert sorted(_keys(s3)) == ["src", "untagged"]
    # The references of CreateMultipartUpload and CopyObject name no such permission.
    writer.create_multipart_upload(Bucket="bkt", Key="mpu", Tagging="team=blue")
    writer.copy_object(Bucket="bkt", Key="copy", CopySource="bkt/src", TaggingDirective="REPLACE", Tagging="team=blue")
    assert s3.get_object_tagging(Bucket="bkt", Key="copy")["TagSet"] == [{"Key": "team", "Value": "blue"}]


def test_put_object_with_tags_and_both_permissions(tmp_path: Path) -> None:
    s3, writer = _writer(tmp_path, ["s3:PutObject", "s3:PutObjectTagging"])
    writer.put_object(Bucket="bkt", Key="tagged", Body=b"x", Tagging="team=blue")
    assert s3.get_object_tagging(Bucket="bkt", Key="tagged")["TagSet"] == [{"Key": "team", "Value": "blue"}]


def test_the_tagging_check_sees_the_request_tags(tmp_path: Path) -> None:
    """s3:RequestObjectTag/<key> applies to s3:PutObjectTagging as to s3:PutObject ("Tagging
    and access control policies", S3 User Guide; Service Authorization Reference for S3)."""
    app = open_app(tmp_path, A)
    root = root_keys(app, A)
    client(app, "s3", root).create_bucket(Bucket="bkt")
    keys = user_keys(app, A, "writer")
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::bkt/*"},
            {
                "Effect": "Allow",
                "Action": "s3:PutObjectTagging",
                "Resource": "arn:aws:s3:::bkt/*",
                "Condition": {"StringEquals": {"s3:RequestObjectTag/team": "blue"}},
            },
        ],
    }
    client(app, "iam", root).put_user_policy(UserName="writer", PolicyName="p", PolicyDocument=json.dumps(policy))
    writer = client(app, "s3", keys)
    writer.put_object(Bucket="bkt", Key="blue", Body=b"x", Tagging="team=blue")
    refused = _error(writer.put_object, Bucket="bkt", Key="red", Body=b"x", Tagging="team=red")
    assert (refused["Code"], refused["Status"]) == ("AccessDenied", 403)
    assert "s3:PutObjectTagging" in refused["Message"]

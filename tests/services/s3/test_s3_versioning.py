"""S3 bucket versioning through the whole request path with boto3.

AWS pages: S3 User Guide, "Using versioning in S3 buckets", "Working with objects in a
versioning-enabled bucket", "Working with objects in a versioning-suspended bucket",
"Working with delete markers"; S3 API Reference, PutBucketVersioning, GetBucketVersioning,
ListObjectVersions, GetObject, HeadObject, DeleteObject, DeleteObjects, CopyObject,
PutObjectTagging, GetObjectTagging, DeleteObjectTagging; "Required permissions for Amazon
S3 API operations" and the Service Authorization Reference for S3 (the version actions and
s3:versionid). Messages and members marked "recorded" are AWS's responses recorded in
LocalStack's S3 snapshots (test_s3_api, test_s3, test_s3_list_operations).
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from inprocess_harness import client, open_app, root_keys, user_keys

A = "111111111111"
VERSION_ID = re.compile(r"[A-Za-z0-9._-]{32}")


def _content(data: bytes) -> str:
    """The ETag of a single-part object with this body (the in-process harness does not
    stream bodies back, so a read is checked by its ETag)."""
    return '"' + hashlib.md5(data, usedforsecurity=False).hexdigest() + '"'


def _error(call: Any) -> dict[str, Any]:
    with pytest.raises(ClientError) as caught:
        call()
    response: dict[str, Any] = caught.value.response
    return response


def _versioned(tmp_path: Path, status: str = "Enabled") -> Any:
    app = open_app(tmp_path, A)
    s3 = client(app, "s3", root_keys(app, A))
    s3.create_bucket(Bucket="bkt")
    s3.put_bucket_versioning(Bucket="bkt", VersioningConfiguration={"Status": status})
    return s3


def test_put_and_get_bucket_versioning(tmp_path: Path) -> None:
    """PutBucketVersioning, GetBucketVersioning: no Status until one is set ("If the
    versioning state has never been set on a bucket, it has no versioning state"); Enabled
    and Suspended as written; "enabled" and "Disabled" are MalformedXML, no Status is
    IllegalVersioningConfigurationException (recorded, test_bucket_versioning_crud)."""
    app = open_app(tmp_path, A)
    s3 = client(app, "s3", root_keys(app, A))
    s3.create_bucket(Bucket="bkt")
    assert "Status" not in s3.get_bucket_versioning(Bucket="bkt")
    s3.put_bucket_versioning(Bucket="bkt", VersioningConfiguration={"Status": "Suspended"})
    assert s3.get_bucket_versioning(Bucket="bkt")["Status"] == "Suspended"
    s3.put_bucket_versioning(Bucket="bkt", VersioningConfiguration={"Status": "Enabled"})
    assert s3.get_bucket_versioning(Bucket="bkt")["Status"] == "Enabled"
    s3.put_bucket_versioning(Bucket="bkt", VersioningConfiguration={"Status": "Suspended"})
    assert s3.get_bucket_versioning(Bucket="bkt")["Status"] == "Suspended"
    raw = client(app, "s3", root_keys(app, A), validate=False)
    for status in ("enabled", "Disabled"):
        error = _error(lambda s=status: raw.put_bucket_versioning(Bucket="bkt", VersioningConfiguration={"Status": s}))
        assert error["Error"]["Code"] == "MalformedXML"
        assert error["Error"]["Message"] == (
            "The XML you provided was not well-formed or did not validate against our published schema"
        )
    error = _error(lambda: s3.put_bucket_versioning(Bucket="bkt", VersioningConfiguration={}))
    assert error["Error"] == {
        "Code": "IllegalVersioningConfigurationException",
        "Message": "The Versioning element must be specified",
    }
    error = _error(lambda: s3.put_bucket_versioning(Bucket="nope", VersioningConfiguration={"Status": "Enabled"}))
    assert error["Error"]["Code"] == "NoSuchBucket"


def test_mfa_delete_is_not_implemented(tmp_path: Path) -> None:
    """MFA delete needs the root user's x-amz-mfa over HTTPS ("Deleting an object from an
    MFA delete-enabled bucket", S3 User Guide): iamsandbox answers NotImplemented to
    MFADelete=Enabled and keeps MFADelete=Disabled."""
    s3 = _versioned(tmp_path)
    error = _error(
        lambda: s3.put_bucket_versioning(
            Bucket="bkt", VersioningConfiguration={"Status": "Enabled", "MFADelete": "Enabled"}, MFA="serial 123456"
        )
    )
    assert (error["Error"]["Code"], error["ResponseMetadata"]["HTTPStatusCode"]) == ("NotImplemented", 501)
    s3.put_bucket_versioning(Bucket="bkt", VersioningConfiguration={"Status": "Enabled", "MFADelete": "Disabled"})
    found = s3.get_bucket_versioning(Bucket="bkt")
    assert (found["Status"], found["MFADelete"]) == ("Enabled", "Disabled")


def test_enabled_bucket_keeps_every_version(tmp_path: Path) -> None:
    """ "Working with objects in a versioning-enabled bucket": each PUT makes a new version
    with its own ID (x-amz-version-id); GET and HEAD answer the latest or ?versionId."""
    s3 = _versioned(tmp_path)
    first = s3.put_object(Bucket="bkt", Key="k", Body=b"one")["VersionId"]
    second = s3.put_object(Bucket="bkt", Key="k", Body=b"two!")["VersionId"]
    assert VERSION_ID.fullmatch(first) and VERSION_ID.fullmatch(second) and first != second
    latest = s3.get_object(Bucket="bkt", Key="k")
    assert (latest["ETag"], latest["VersionId"]) == (_content(b"two!"), second)
    old = s3.get_object(Bucket="bkt", Key="k", VersionId=first)
    assert (old["ETag"], old["VersionId"], old["ContentLength"]) == (_content(b"one"), first, 3)
    ranged = s3.get_object(Bucket="bkt", Key="k", VersionId=first, Range="bytes=1-")
    assert (ranged["ContentRange"], ranged["ContentLength"]) == ("bytes 1-2/3", 2)
    assert s3.head_object(Bucket="bkt", Key="k", VersionId=first)["ContentLength"] == 3
    assert s3.head_object(Bucket="bkt", Key="k")["VersionId"] == second
    # ListObjectsV2 shows the latest only.
    listed = s3.list_objects_v2(Bucket="bkt")["Contents"]
    assert [(o["Key"], o["Size"]) for o in listed] == [("k", 4)]


def test_delete_marker_and_undelete(tmp_path: Path) -> None:
    """ "Working with delete markers": a simple DELETE inserts a delete marker (204,
    x-amz-delete-marker: true, the marker's version ID); GET is then 404 NoSuchKey with
    x-amz-delete-marker: true (GetObject: "behaves as if the object was deleted and
    includes x-amz-delete-marker: true"); GET ?versionId=<marker> is 405 MethodNotAllowed
    with Method and ResourceType (recorded, test_delete_object_versioned); deleting the
    marker by version ID makes the previous version current again."""
    s3 = _versioned(tmp_path)
    first = s3.put_object(Bucket="bkt", Key="k", Body=b"one")["VersionId"]
    deleted = s3.delete_object(Bucket="bkt", Key="k")
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert deleted["DeleteMarker"] is True
    marker = deleted["VersionId"]
    assert VERSION_ID.fullmatch(marker) and marker != first

    error = _error(lambda: s3.get_object(Bucket="bkt", Key="k"))
    assert error["Error"] == {"Code": "NoSuchKey", "Message": "The specified key does not exist.", "Key": "k"}
    headers = error["ResponseMetadata"]["HTTPHeaders"]
    assert headers["x-amz-delete-marker"] == "true"
    assert headers["x-amz-version-id"] == marker  # unconfirmed: the marker's ID on this 404
    head = _error(lambda: s3.head_object(Bucket="bkt", Key="k"))
    assert head["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert head["ResponseMetadata"]["HTTPHeaders"]["x-amz-delete-marker"] == "true"

    error = _error(lambda: s3.get_object(Bucket="bkt", Key="k", VersionId=marker))
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 405
    assert error["Error"] == {
        "Code": "MethodNotAllowed",
        "Message": "The specified method is not allowed against this resource.",
        "Method": "GET",
        "ResourceType": "DeleteMarker",
    }
    assert error["ResponseMetadata"]["HTTPHeaders"]["x-amz-delete-marker"] == "true"
    assert "last-modified" in error["ResponseMetadata"]["HTTPHeaders"]
    assert s3.get_object(Bucket="bkt", Key="k", VersionId=first)["ETag"] == _content(b"one")
    assert s3.list_objects_v2(Bucket="bkt")["KeyCount"] == 0
    assert "Contents" not in s3.list_objects(Bucket="bkt")

    undeleted = s3.delete_object(Bucket="bkt", Key="k", VersionId=marker)
    assert (undeleted["DeleteMarker"], undeleted["VersionId"]) == (True, marker)
    assert s3.get_object(Bucket="bkt", Key="k")["ETag"] == _content(b"one")


def test_delete_a_version_permanently(tmp_path: Path) -> None:
    """DeleteObject ?versionId removes that version for good; afterwards that ID is 404
    NoSuchVersion, "The specified version does not exist." with Key and VersionId, and a
    malformed one InvalidArgument "Invalid version id specified" (recorded,
    test_delete_object_versioned)."""
    s3 = _versioned(tmp_path)
    first = s3.put_object(Bucket="bkt", Key="k", Body=b"one")["VersionId"]
    second = s3.put_object(Bucket="bkt", Key="k", Body=b"two")["VersionId"]
    removed = s3.delete_object(Bucket="bkt", Key="k", VersionId=second)
    assert removed["VersionId"] == second and "DeleteMarker" not in removed
    current = s3.get_object(Bucket="bkt", Key="k")
    assert (current["ETag"], current["VersionId"]) == (_content(b"one"), first)
    error = _error(lambda: s3.get_object(Bucket="bkt", Key="k", VersionId=second))
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert error["Error"] == {
        "Code": "NoSuchVersion",
        "Message": "The specified version does not exist.",
        "Key": "k",
        "VersionId": second,
    }
    error = _error(lambda: s3.delete_object(Bucket="bkt", Key="k", VersionId="not-a-version"))
    assert error["Error"] == {
        "Code": "InvalidArgument",
        "Message": "Invalid version id specified",
        "ArgumentName": "versionId",
        "ArgumentValue": "not-a-version",
    }
    s3.delete_object(Bucket="bkt", Key="k", VersionId=first)
    assert "Versions" not in s3.list_object_versions(Bucket="bkt")
    s3.delete_bucket(Bucket="bkt")


def test_unversioned_bucket_has_only_the_null_version(tmp_path: Path) -> None:
    """A bucket never versioned: GET ?versionId=null reads the object, any other ID is
    InvalidArgument even when well formed; no VersionId in responses (recorded,
    test_get_object_with_version_unversioned_bucket)."""
    app = open_app(tmp_path, A)
    s3 = client(app, "s3", root_keys(app, A))
    s3.create_bucket(Bucket="bkt")
    put = s3.put_object(Bucket="bkt", Key="k", Body=b"data")
    assert "VersionId" not in put
    got = s3.get_object(Bucket="bkt", Key="k", VersionId="null")
    assert got["ETag"] == _content(b"data") and "VersionId" not in got
    error = _error(lambda: s3.get_object(Bucket="bkt", Key="k", VersionId="HPniJFCxqTsMuIH9KX8K8wEjNUgmABCD"))
    assert error["Error"]["Code"] == "InvalidArgument"
    assert error["Error"]["ArgumentValue"] == "HPniJFCxqTsMuIH9KX8K8wEjNUgmABCD"
    listed = s3.list_object_versions(Bucket="bkt")
    assert [(v["Key"], v["VersionId"], v["IsLatest"]) for v in listed["Versions"]] == [("k", "null", True)]
    deleted = s3.delete_object(Bucket="bkt", Key="k")
    assert "DeleteMarker" not in deleted and "VersionId" not in deleted
    assert "Versions" not in s3.list_object_versions(Bucket="bkt")


def test_suspended_bucket_replaces_the_null_version(tmp_path: Path) -> None:
    """ "Working with objects in a versioning-suspended bucket": new writes are the null
    version, replacing the previous null version; existing versions stay. A suspended PUT
    answers no VersionId, a GET "null", a simple DELETE a delete marker "null" (recorded,
    test_put_object_on_suspended_bucket, test_delete_object_on_suspended_bucket)."""
    s3 = _versioned(tmp_path)
    kept = s3.put_object(Bucket="bkt", Key="k", Body=b"v1")["VersionId"]
    s3.put_bucket_versioning(Bucket="bkt", VersioningConfiguration={"Status": "Suspended"})
    assert "VersionId" not in s3.put_object(Bucket="bkt", Key="k", Body=b"null-1")
    assert "VersionId" not in s3.put_object(Bucket="bkt", Key="k", Body=b"null-2")
    got = s3.get_object(Bucket="bkt", Key="k")
    assert (got["ETag"], got["VersionId"]) == (_content(b"null-2"), "null")
    versions = s3.list_object_versions(Bucket="bkt")["Versions"]
    assert [(v["VersionId"], v["IsLatest"], v["Size"]) for v in versions] == [("null", True, 6), (kept, False, 2)]
    deleted = s3.delete_object(Bucket="bkt", Key="k")
    assert (deleted["DeleteMarker"], deleted["VersionId"]) == (True, "null")
    listed = s3.list_object_versions(Bucket="bkt")
    assert [(v["VersionId"], v["IsLatest"]) for v in listed["Versions"]] == [(kept, False)]
    assert [(m["VersionId"], m["IsLatest"]) for m in listed["DeleteMarkers"]] == [("null", True)]


def test_list_object_versions_pages(tmp_path: Path) -> None:
    """ListObjectVersions: keys in order, newest first within a key; Versions and
    DeleteMarkers count together toward MaxKeys; NextKeyMarker/NextVersionIdMarker; a
    KeyMarker alone goes on after every version of that key; VersionIdMarker without
    KeyMarker is InvalidArgument (recorded, test_list_objects_versions_markers)."""
    s3 = _versioned(tmp_path)
    ids: dict[str, list[str]] = {}
    for key in ("test_0", "test_1", "test_2"):
        ids[key] = [s3.put_object(Bucket="bkt", Key=key, Body=b"x")["VersionId"]]
    for key in ("test_0", "test_1", "test_2"):
        ids[key].append(s3.delete_object(Bucket="bkt", Key=key)["VersionId"])
    for key in ("test_0", "test_1"):
        ids[key].append(s3.put_object(Bucket="bkt", Key=key, Body=b"yy")["VersionId"])

    every = s3.list_object_versions(Bucket="bkt")
    assert [(v["Key"], v["VersionId"], v["IsLatest"]) for v in every["Versions"]] == [
        ("test_0", ids["test_0"][2], True),
        ("test_0", ids["test_0"][0], False),
        ("test_1", ids["test_1"][2], True),
        ("test_1", ids["test_1"][0], False),
        ("test_2", ids["test_2"][0], False),
    ]
    assert [(m["Key"], m["VersionId"], m["IsLatest"]) for m in every["DeleteMarkers"]] == [
        ("test_0", ids["test_0"][1], False),
        ("test_1", ids["test_1"][1], False),
        ("test_2", ids["test_2"][1], True),
    ]
    assert every["IsTruncated"] is False and every["KeyMarker"] == "" and every["VersionIdMarker"] == ""
    assert "Owner" in every["Versions"][0] and "Size" not in every["DeleteMarkers"][0]

    page = s3.list_object_versions(Bucket="bkt", MaxKeys=5)
    assert page["IsTruncated"] is True
    assert len(page["Versions"]) + len(page["DeleteMarkers"]) == 5
    assert (page["NextKeyMarker"], page["NextVersionIdMarker"]) == ("test_1", ids["test_1"][1])
    rest = s3.list_object_versions(Bucket="bkt", KeyMarker="test_1", VersionIdMarker=ids["test_1"][1], MaxKeys=1)
    assert [v["VersionId"] for v in rest["Versions"]] == [ids["test_1"][0]]
    assert (rest["NextKeyMarker"], rest["NextVersionIdMarker"]) == ("test_1", ids["test_1"][0])
    after_key = s3.list_object_versions(Bucket="bkt", KeyMarker="test_1", MaxKeys=1)
    assert [m["VersionId"] for m in after_key["DeleteMarkers"]] == [ids["test_2"][1]]
    last = s3.list_object_versions(Bucket="bkt", KeyMarker="test_2", MaxKeys=1)
    assert last["IsTruncated"] is False and "Versions" not in last and "DeleteMarkers" not in last

    error = _error(lambda: s3.list_object_versions(Bucket="bkt", VersionIdMarker=ids["test_1"][1]))
    assert error["Error"] == {
        "Code": "InvalidArgument",
        "Message": "A version-id marker cannot be specified without a key marker.",
        "ArgumentName": "version-id-marker",
        "ArgumentValue": ids["test_1"][1],
    }
    # The latest non-deleted versions only in ListObjects (test_2's latest is a marker).
    assert [o["Key"] for o in s3.list_objects_v2(Bucket="bkt")["Contents"]] == ["test_0", "test_1"]


def test_list_object_versions_prefix_and_delimiter(tmp_path: Path) -> None:
    """ListObjectVersions' Prefix and Delimiter group keys as ListObjects does
    (CommonPrefixes, each counted once toward MaxKeys; "Organizing objects using prefixes")."""
    s3 = _versioned(tmp_path)
    for key in ("a/1", "a/2", "b", "c/1"):
        s3.put_object(Bucket="bkt", Key=key, Body=b"1")
        s3.put_object(Bucket="bkt", Key=key, Body=b"2")
    listed = s3.list_object_versions(Bucket="bkt", Delimiter="/")
    assert [p["Prefix"] for p in listed["CommonPrefixes"]] == ["a/", "c/"]
    assert [v["Key"] for v in listed["Versions"]] == ["b", "b"]
    page = s3.list_object_versions(Bucket="bkt", Delimiter="/", MaxKeys=1)
    assert [p["Prefix"] for p in page["CommonPrefixes"]] == ["a/"] and page["NextKeyMarker"] == "a/"
    following = s3.list_object_versions(Bucket="bkt", Delimiter="/", KeyMarker="a/", MaxKeys=2)
    assert [v["Key"] for v in following["Versions"]] == ["b", "b"] and following["IsTruncated"] is True
    under = s3.list_object_versions(Bucket="bkt", Prefix="a/")
    assert [v["Key"] for v in under["Versions"]] == ["a/1", "a/1", "a/2", "a/2"]


def test_delete_objects_with_versions(tmp_path: Path) -> None:
    """DeleteObjects in a versioned bucket: without VersionId a delete marker per key
    (DeleteMarker, DeleteMarkerVersionId); with it the version removed (VersionId, and
    DeleteMarker/DeleteMarkerVersionId for a marker); an unknown version is NoSuchVersion in
    Errors (recorded, test_delete_objects_versioned, test_delete_keys_in_versioned_bucket)."""
    s3 = _versioned(tmp_path)
    first = s3.put_object(Bucket="bkt", Key="k", Body=b"1")["VersionId"]
    result = s3.delete_objects(Bucket="bkt", Delete={"Objects": [{"Key": "k"}, {"Key": "missing"}]})
    by_key = {entry["Key"]: entry for entry in result["Deleted"]}
    assert by_key["k"]["DeleteMarker"] is True and "VersionId" not in by_key["k"]
    marker = by_key["k"]["DeleteMarkerVersionId"]
    assert VERSION_ID.fullmatch(by_key["missing"]["DeleteMarkerVersionId"])

    unknown = "HPniJFCxqTsMuIH9KX8K8wEjNUgmABCD"
    result = s3.delete_objects(Bucket="bkt", Delete={"Objects": [{"Key": "k", "VersionId": unknown}]})
    assert result["Errors"] == [
        {"Key": "k", "VersionId": unknown, "Code": "NoSuchVersion", "Message": "The specified version does not exist."}
    ]
    result = s3.delete_objects(Bucket="bkt", Delete={"Objects": [{"Key": "k", "VersionId": marker}]})
    assert result["Deleted"] == [
        {"Key": "k", "VersionId": marker, "DeleteMarker": True, "DeleteMarkerVersionId": marker}
    ]
    result = s3.delete_objects(Bucket="bkt", Delete={"Objects": [{"Key": "k", "VersionId": first}]})
    assert result["Deleted"] == [{"Key": "k", "VersionId": first}]


def test_copy_a_version(tmp_path: Path) -> None:
    """CopyObject's x-amz-copy-source ?versionId copies that version, answering
    x-amz-copy-source-version-id and the new x-amz-version-id; a source whose latest is a
    delete marker is NoSuchKey, one naming a delete marker InvalidRequest (recorded,
    test_s3_copy_object_src_not_exists). Copying a previous version onto its own key
    restores it ("Restoring previous versions", S3 User Guide)."""
    s3 = _versioned(tmp_path)
    first = s3.put_object(Bucket="bkt", Key="k", Body=b"old")["VersionId"]
    s3.put_object(Bucket="bkt", Key="k", Body=b"new")
    copied = s3.copy_object(Bucket="bkt", Key="copy", CopySource={"Bucket": "bkt", "Key": "k", "VersionId": first})
    assert copied["CopySourceVersionId"] == first and VERSION_ID.fullmatch(copied["VersionId"])
    assert s3.get_object(Bucket="bkt", Key="copy")["ETag"] == _content(b"old")
    restored = s3.copy_object(Bucket="bkt", Key="k", CopySource={"Bucket": "bkt", "Key": "k", "VersionId": first})
    assert s3.get_object(Bucket="bkt", Key="k")["VersionId"] == restored["VersionId"]
    assert s3.get_object(Bucket="bkt", Key="k")["ETag"] == _content(b"old")

    marker = s3.delete_object(Bucket="bkt", Key="k")["VersionId"]
    error = _error(lambda: s3.copy_object(Bucket="bkt", Key="c2", CopySource={"Bucket": "bkt", "Key": "k"}))
    assert error["Error"]["Code"] == "NoSuchKey"
    error = _error(
        lambda: s3.copy_object(Bucket="bkt", Key="c2", CopySource={"Bucket": "bkt", "Key": "k", "VersionId": marker})
    )
    assert error["Error"] == {
        "Code": "InvalidRequest",
        "Message": "The source of a copy request may not specifically refer to a delete marker by version id.",
    }


def test_tagging_a_version(tmp_path: Path) -> None:
    """Put/Get/DeleteObjectTagging with ?versionId act on that version and answer its
    VersionId; on a delete marker, named or latest, 405 MethodNotAllowed (recorded,
    test_object_tagging_versioned)."""
    s3 = _versioned(tmp_path)
    first = s3.put_object(Bucket="bkt", Key="k", Body=b"1", Tagging="v=1")["VersionId"]
    second = s3.put_object(Bucket="bkt", Key="k", Body=b"2", Tagging="v=2")["VersionId"]
    assert s3.get_object_tagging(Bucket="bkt", Key="k")["TagSet"] == [{"Key": "v", "Value": "2"}]
    old = s3.get_object_tagging(Bucket="bkt", Key="k", VersionId=first)
    assert (old["TagSet"], old["VersionId"]) == ([{"Key": "v", "Value": "1"}], first)
    put = s3.put_object_tagging(
        Bucket="bkt", Key="k", VersionId=first, Tagging={"TagSet": [{"Key": "t", "Value": "x"}]}
    )
    assert put["VersionId"] == first
    assert s3.get_object_tagging(Bucket="bkt", Key="k", VersionId=first)["TagSet"] == [{"Key": "t", "Value": "x"}]
    assert s3.get_object_tagging(Bucket="bkt", Key="k")["TagSet"] == [{"Key": "v", "Value": "2"}]
    assert s3.delete_object_tagging(Bucket="bkt", Key="k")["VersionId"] == second
    marker = s3.delete_object(Bucket="bkt", Key="k")["VersionId"]
    for call, method in (
        (lambda: s3.get_object_tagging(Bucket="bkt", Key="k"), "GET"),
        (lambda: s3.get_object_tagging(Bucket="bkt", Key="k", VersionId=marker), "GET"),
        (lambda: s3.delete_object_tagging(Bucket="bkt", Key="k", VersionId=marker), "DELETE"),
    ):
        error = _error(call)
        assert error["ResponseMetadata"]["HTTPStatusCode"] == 405
        assert (error["Error"]["Method"], error["Error"]["ResourceType"]) == (method, "DeleteMarker")


def test_multipart_upload_makes_a_version(tmp_path: Path) -> None:
    """CompleteMultipartUpload in a versioning-enabled bucket makes a new version
    ("Working with objects in a versioning-enabled bucket")."""
    s3 = _versioned(tmp_path)
    first = s3.put_object(Bucket="bkt", Key="k", Body=b"small")["VersionId"]
    upload = s3.create_multipart_upload(Bucket="bkt", Key="k")["UploadId"]
    etag = s3.upload_part(Bucket="bkt", Key="k", UploadId=upload, PartNumber=1, Body=b"part")["ETag"]
    done = s3.complete_multipart_upload(
        Bucket="bkt", Key="k", UploadId=upload, MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": etag}]}
    )
    assert VERSION_ID.fullmatch(done["VersionId"]) and done["VersionId"] != first
    assert [v["VersionId"] for v in s3.list_object_versions(Bucket="bkt")["Versions"]] == [done["VersionId"], first]


def test_delete_bucket_while_versions_remain(tmp_path: Path) -> None:
    """DeleteBucket of a versioned bucket is BucketNotEmpty while any version or delete
    marker remains, "The bucket you tried to delete is not empty. You must delete all
    versions in the bucket." (recorded, test_delete_versioned_bucket_with_objects)."""
    s3 = _versioned(tmp_path)
    version = s3.put_object(Bucket="bkt", Key="k", Body=b"1")["VersionId"]
    marker = s3.delete_object(Bucket="bkt", Key="k")["VersionId"]
    message = "The bucket you tried to delete is not empty. You must delete all versions in the bucket."
    error = _error(lambda: s3.delete_bucket(Bucket="bkt"))
    assert (error["Error"]["Code"], error["Error"]["Message"]) == ("BucketNotEmpty", message)
    s3.delete_object(Bucket="bkt", Key="k", VersionId=version)
    error = _error(lambda: s3.delete_bucket(Bucket="bkt"))
    assert (error["Error"]["Code"], error["Error"]["Message"]) == ("BucketNotEmpty", message)
    s3.delete_object(Bucket="bkt", Key="k", VersionId=marker)
    s3.delete_bucket(Bucket="bkt")


def _user_with(app: Any, actions: list[str], condition: dict[str, Any] | None = None) -> Any:
    statement: dict[str, Any] = {
        "Effect": "Allow",
        "Action": actions,
        "Resource": ["arn:aws:s3:::bkt", "arn:aws:s3:::bkt/*"],
    }
    if condition is not None:
        statement["Condition"] = condition
    iam = client(app, "iam", root_keys(app, A))
    iam.create_user(UserName="u")
    iam.put_user_policy(
        UserName="u", PolicyName="p", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [statement]})
    )
    return client(app, "s3", user_keys(app, A, "u"))


def test_a_version_needs_the_version_actions(tmp_path: Path) -> None:
    """ "If you include a versionId in your request header, you must have the
    s3:GetObjectVersion permission ... The s3:GetObject permission is not required in this
    scenario" (GetObject); likewise s3:DeleteObjectVersion (DeleteObject),
    s3:ListBucketVersions (ListObjectVersions), s3:PutBucketVersioning ("Required
    permissions for Amazon S3 API operations", S3 User Guide)."""
    app = open_app(tmp_path, A)
    owner = client(app, "s3", root_keys(app, A))
    owner.create_bucket(Bucket="bkt")
    owner.put_bucket_versioning(Bucket="bkt", VersioningConfiguration={"Status": "Enabled"})
    first = owner.put_object(Bucket="bkt", Key="k", Body=b"1")["VersionId"]
    user = _user_with(app, ["s3:GetObject", "s3:DeleteObject", "s3:ListBucket", "s3:GetBucketVersioning"])
    assert user.get_object(Bucket="bkt", Key="k")["ETag"] == _content(b"1")
    assert user.get_bucket_versioning(Bucket="bkt")["Status"] == "Enabled"
    for call, action in (
        (lambda: user.get_object(Bucket="bkt", Key="k", VersionId=first), "s3:GetObjectVersion"),
        (lambda: user.delete_object(Bucket="bkt", Key="k", VersionId=first), "s3:DeleteObjectVersion"),
        (lambda: user.list_object_versions(Bucket="bkt"), "s3:ListBucketVersions"),
        (
            lambda: user.put_bucket_versioning(Bucket="bkt", VersioningConfiguration={"Status": "Suspended"}),
            "s3:PutBucketVersioning",
        ),
        (lambda: user.get_object_tagging(Bucket="bkt", Key="k", VersionId=first), "s3:GetObjectVersionTagging"),
    ):
        error = _error(call)
        assert error["Error"]["Code"] == "AccessDenied"
        assert action in error["Error"]["Message"]
    denied = user.delete_objects(Bucket="bkt", Delete={"Objects": [{"Key": "k", "VersionId": first}]})
    assert denied["Errors"][0]["Code"] == "AccessDenied"
    # The simple DELETE needs only s3:DeleteObject: it inserts a delete marker.
    assert user.delete_object(Bucket="bkt", Key="k")["DeleteMarker"] is True


def test_the_versionid_condition_key(tmp_path: Path) -> None:
    """s3:versionid ("Actions, resources, and condition keys for Amazon S3": a key of
    s3:GetObjectVersion) limits which version may be read."""
    app = open_app(tmp_path, A)
    owner = client(app, "s3", root_keys(app, A))
    owner.create_bucket(Bucket="bkt")
    owner.put_bucket_versioning(Bucket="bkt", VersioningConfiguration={"Status": "Enabled"})
    first = owner.put_object(Bucket="bkt", Key="k", Body=b"1")["VersionId"]
    second = owner.put_object(Bucket="bkt", Key="k", Body=b"2")["VersionId"]
    user = _user_with(app, ["s3:GetObjectVersion"], {"StringEquals": {"s3:versionid": first}})
    assert user.get_object(Bucket="bkt", Key="k", VersionId=first)["ETag"] == _content(b"1")
    assert _error(lambda: user.get_object(Bucket="bkt", Key="k", VersionId=second))["Error"]["Code"] == "AccessDenied"

"""Listing answers as recorded from S3, through the whole request path with boto3.

Sources: a public report of 135 ListObjectVersions requests sent to s3.amazonaws.com in
March and April 2026 with S3's answers (its RequestIds and HostIds are S3's), cited below as
"the 2026 ListObjectVersions recordings"; LocalStack's test_s3_list_operations and
test_s3_api snapshots (tests/aws/services/s3/, LocalStack's tests run against AWS;
Apache-2.0)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from inprocess_harness import s3_with_bucket


def _s3(tmp_path: Path) -> Any:
    return s3_with_bucket(tmp_path, validate=False, versioned=True)


def _refused(call: Any, **params: Any) -> dict[str, Any]:
    with pytest.raises(ClientError) as caught:
        call(Bucket="bkt", **params)
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    return dict(caught.value.response["Error"])


@pytest.mark.parametrize("value", ["abc", "1.5", "2147483648", "-2147483649", " 5", "1_0"])
def test_max_keys_that_is_no_java_int_is_refused_naming_it(tmp_path: Path, value: str) -> None:
    # The 2026 ListObjectVersions recordings: max-keys=abc, 1.5, invalid-max-keys, 2147483648.
    s3 = _s3(tmp_path)
    for call in (s3.list_object_versions, s3.list_objects, s3.list_objects_v2):
        error = _refused(call, MaxKeys=value)
        assert (error["Code"], error["Message"], error["ArgumentName"], error["ArgumentValue"]) == (
            "InvalidArgument",
            "Provided max-keys not an integer or within integer range",
            "max-keys",
            value,
        )


def test_max_keys_of_list_object_versions(tmp_path: Path) -> None:
    # The 2026 ListObjectVersions recordings: max-keys=-1 "max-keys cannot be negative" without
    # ArgumentValue; max-keys= as absent (MaxKeys 1000); 2147483647 echoed as asked.
    s3 = _s3(tmp_path)
    s3.put_object(Bucket="bkt", Key="k", Body=b"x")
    error = _refused(s3.list_object_versions, MaxKeys=-1)
    assert (error["Code"], error["Message"], error["ArgumentName"]) == (
        "InvalidArgument",
        "max-keys cannot be negative",
        "max-keys",
    )
    assert "ArgumentValue" not in error
    assert s3.list_object_versions(Bucket="bkt", MaxKeys="")["MaxKeys"] == 1000
    largest = s3.list_object_versions(Bucket="bkt", MaxKeys=2147483647)
    assert (largest["MaxKeys"], [v["Key"] for v in largest["Versions"]]) == (2147483647, ["k"])


def test_empty_part_number_marker_and_max_parts_are_absent(tmp_path: Path) -> None:
    # LocalStack's test_s3_list_operations snapshot, test_list_parts_empty_part_number_marker:
    # list-parts-empty-marker and list-parts-empty-max-parts answer 200 with the defaults.
    s3 = _s3(tmp_path)
    upload = s3.create_multipart_upload(Bucket="bkt", Key="k")["UploadId"]
    s3.upload_part(Bucket="bkt", Key="k", UploadId=upload, PartNumber=1, Body=b"data")
    for params in ({"PartNumberMarker": ""}, {"MaxParts": ""}):
        listed = s3.list_parts(Bucket="bkt", Key="k", UploadId=upload, **params)
        assert (listed["PartNumberMarker"], listed["MaxParts"], listed["NextPartNumberMarker"]) == (0, 1000, 1)
        assert [(p["PartNumber"], p["Size"]) for p in listed["Parts"]] == [(1, 4)]


def test_version_id_marker_checks_in_s3s_order(tmp_path: Path) -> None:
    # The 2026 ListObjectVersions recordings: version-id-marker is checked whenever given,
    # before encoding-type; a key-marker parameter, even empty, counts as given.
    s3 = _s3(tmp_path)
    made = s3.put_object(Bucket="bkt", Key="k", Body=b"x")["VersionId"]
    cases = [
        ({"VersionIdMarker": ""}, "A version-id marker cannot be specified without a key marker.", ""),
        ({"KeyMarker": "k", "VersionIdMarker": ""}, "A version-id marker cannot be empty.", ""),
        ({"KeyMarker": "", "VersionIdMarker": ""}, "A version-id marker cannot be empty.", ""),
        ({"KeyMarker": "k", "VersionIdMarker": "bad-vid"}, "Invalid version id specified", "bad-vid"),
        ({"KeyMarker": "", "VersionIdMarker": "bad-vid"}, "Invalid version id specified", "bad-vid"),
        (
            {"KeyMarker": "k", "VersionIdMarker": "bad-vid", "EncodingType": "invalid"},
            "Invalid version id specified",
            "bad-vid",
        ),
        # S3's own form, made up: refused as S3 refused it.
        (
            {"KeyMarker": "k", "VersionIdMarker": "Eyn7lxdGE1WU1SU6QTbW1X6cbSIIRY0R"},
            "Invalid version id specified",
            "Eyn7lxdGE1WU1SU6QTbW1X6cbSIIRY0R",
        ),
        # One of ours with its last four characters changed.
        ({"KeyMarker": "k", "VersionIdMarker": made[:-4] + "ABCD"}, "Invalid version id specified", made[:-4] + "ABCD"),
    ]
    for params, message, value in cases:
        error = _refused(s3.list_object_versions, **params)
        assert (error["Code"], error["Message"], error["ArgumentName"], error["ArgumentValue"] or "") == (
            "InvalidArgument",
            message,
            "version-id-marker",
            value,
        ), params
    # A valid ID with an empty key-marker: the listing from the start, the marker echoed.
    listed = s3.list_object_versions(Bucket="bkt", KeyMarker="", VersionIdMarker=made)
    assert (listed["KeyMarker"], listed["VersionIdMarker"]) == ("", made)
    assert [v["VersionId"] for v in listed["Versions"]] == [made]


@pytest.mark.parametrize(("member", "wire"), [("KeyMarker", "key-marker"), ("Prefix", "prefix")])
def test_a_nul_in_key_marker_or_prefix_is_refused(tmp_path: Path, member: str, wire: str) -> None:
    # The 2026 ListObjectVersions recordings: key-marker=%00 and prefix=%00, after encoding-type.
    s3 = _s3(tmp_path)
    error = _refused(s3.list_object_versions, **{member: "a\0"})
    assert (error["Code"], error["Message"], error["ArgumentName"]) == (
        "InvalidArgument",
        "Value must be a sequence of Unicode characters and cannot include Null.",
        wire,
    )
    assert _refused(s3.list_object_versions, **{member: "a\0"}, EncodingType="x")["ArgumentName"] == "encoding-type"


def test_an_empty_delimiter_is_echoed(tmp_path: Path) -> None:
    # The 2026 ListObjectVersions recordings: delimiter=&max-keys=5 answers <Delimiter/>.
    s3 = _s3(tmp_path)
    s3.put_object(Bucket="bkt", Key="a/b", Body=b"x")
    listed = s3.list_object_versions(Bucket="bkt", Delimiter="", MaxKeys=5)
    assert listed["Delimiter"] == "" and [v["Key"] for v in listed["Versions"]] == ["a/b"]


def test_delete_object_of_a_tampered_version_id_is_invalid(tmp_path: Path) -> None:
    # LocalStack's test_s3_api snapshot: DeleteObject of a real ID with its last four
    # characters replaced, 400 InvalidArgument naming versionId; nothing deleted. DeleteObjects
    # answers the same ID NoSuchVersion among its Errors (test_delete_keys_in_versioned_bucket).
    s3 = _s3(tmp_path)
    made = s3.put_object(Bucket="bkt", Key="k", Body=b"x")["VersionId"]
    tampered = made[:-4] + ("ABCD" if not made.endswith("ABCD") else "WXYZ")
    error = _refused(s3.delete_object, Key="k", VersionId=tampered)
    assert (error["Code"], error["Message"], error["ArgumentName"], error["ArgumentValue"]) == (
        "InvalidArgument",
        "Invalid version id specified",
        "versionId",
        tampered,
    )
    assert s3.head_object(Bucket="bkt", Key="k", VersionId=made)["ContentLength"] == 1
    errors = s3.delete_objects(Bucket="bkt", Delete={"Objects": [{"Key": "k", "VersionId": tampered}]})["Errors"]
    assert [(e["Code"], e["VersionId"]) for e in errors] == [("NoSuchVersion", tampered)]


@pytest.mark.parametrize("value", [0, -1, 10001])
def test_max_buckets_outside_its_range_is_refused(tmp_path: Path, value: int) -> None:
    # ListBuckets, S3 API Reference: MaxBuckets from 1 to 10000 (it was a 500 for 0).
    s3 = _s3(tmp_path)
    with pytest.raises(ClientError) as caught:
        s3.list_buckets(MaxBuckets=value, Prefix="b")
    error = caught.value.response["Error"]
    assert (error["Code"], error["ArgumentName"], error["ArgumentValue"]) == (
        "InvalidArgument",
        "max-buckets",
        str(value),
    )
    assert [b["Name"] for b in s3.list_buckets(MaxBuckets=10000)["Buckets"]] == ["bkt"]


def test_delete_objects_answers_an_entry_given_twice_once(tmp_path: Path) -> None:
    # The 2026 DeleteObjects recordings (s3.amazonaws.com): tests b3, same_vid_twice_dedup and
    # bare_plus_vid_null_no_dedup: one Deleted per distinct (Key, VersionId), carried out
    # once; no VersionId and "null" are two entries.
    s3 = _s3(tmp_path)
    made = s3.put_object(Bucket="bkt", Key="v", Body=b"x")["VersionId"]
    twice = s3.delete_objects(Bucket="bkt", Delete={"Objects": [{"Key": "k"}, {"Key": "k"}]})
    assert [entry["Key"] for entry in twice["Deleted"]] == ["k"] and "Errors" not in twice
    markers = s3.list_object_versions(Bucket="bkt", Prefix="k")["DeleteMarkers"]
    assert len(markers) == 1
    same = {"Key": "v", "VersionId": made}
    result = s3.delete_objects(Bucket="bkt", Delete={"Objects": [same, same]})
    assert result["Deleted"] == [same] and "Errors" not in result
    result = s3.delete_objects(Bucket="bkt", Delete={"Objects": [{"Key": "n"}, {"Key": "n", "VersionId": "null"}]})
    assert len(result["Deleted"]) == 2


def test_delete_objects_of_another_keys_version_id_is_deleted(tmp_path: Path) -> None:
    # The 2026 DeleteObjects recordings, test c2: a real version ID of key b sent for key a
    # answers Deleted (Key a, that VersionId), and b's version stays; a changed ID stays
    # NoSuchVersion (LocalStack's test_delete_keys_in_versioned_bucket).
    s3 = _s3(tmp_path)
    s3.put_object(Bucket="bkt", Key="a", Body=b"a")
    theirs = s3.put_object(Bucket="bkt", Key="b", Body=b"b")["VersionId"]
    result = s3.delete_objects(Bucket="bkt", Delete={"Objects": [{"Key": "a", "VersionId": theirs}]})
    assert result["Deleted"] == [{"Key": "a", "VersionId": theirs}] and "Errors" not in result
    assert s3.head_object(Bucket="bkt", Key="b", VersionId=theirs)["ContentLength"] == 1
    assert len(s3.list_object_versions(Bucket="bkt", Prefix="a")["Versions"]) == 1


def test_versions_and_delete_markers_are_written_in_listing_order(tmp_path: Path) -> None:
    # The S3 API Reference's ListObjectVersions example and the 2026 ListObjectVersions
    # recordings: Name, Prefix, KeyMarker, VersionIdMarker, MaxKeys, IsTruncated, then the
    # Version and DeleteMarker elements interleaved by key, newest first; in an entry Key,
    # VersionId, IsLatest, LastModified first.
    s3 = _s3(tmp_path)
    s3.put_object(Bucket="bkt", Key="a", Body=b"1")
    s3.delete_object(Bucket="bkt", Key="a")
    s3.put_object(Bucket="bkt", Key="b", Body=b"2")
    bodies: list[bytes] = []
    s3.meta.events.register(
        "after-call.s3.ListObjectVersions", lambda http_response, **_: bodies.append(http_response.content)
    )
    listed = s3.list_object_versions(Bucket="bkt")
    assert [v["Key"] for v in listed["Versions"]] == ["a", "b"]
    assert [m["Key"] for m in listed["DeleteMarkers"]] == ["a"]
    body = bodies[0].decode()
    tags = re.findall(r"<(Name|Prefix|KeyMarker|VersionIdMarker|MaxKeys|IsTruncated|Version|DeleteMarker)>", body)
    assert tags == [
        "Name",
        "Prefix",
        "KeyMarker",
        "VersionIdMarker",
        "MaxKeys",
        "IsTruncated",
        "DeleteMarker",
        "Version",
        "Version",
    ]
    first = re.search(r"<Version>(.*?)</Version>", body)
    assert first is not None
    assert re.findall(r"<(\w+)>", first.group(1))[:4] == ["Key", "VersionId", "IsLatest", "LastModified"]

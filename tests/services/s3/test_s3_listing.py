"""Listings: EncodingType=url in ListObjects, ListObjectsV2 and ListMultipartUploads, and
pagination across common prefixes.

The elements encoded are those the S3 API Reference names under "EncodingType" of each
operation (ListObjects: Delimiter, Marker, Prefix, NextMarker, Key; ListObjectsV2:
Delimiter, Prefix, Key, StartAfter; ListMultipartUploads: Delimiter, KeyMarker, Prefix,
NextKeyMarker, Key), plus CommonPrefixes/Prefix. The expected encodings are S3's, as
observed against S3 and quoted in public threads (brekkylab/backlot#178: "a b.txt" ->
"a+b.txt", "a+b.txt" -> "a%2Bb.txt", "100%.csv" -> "100%25.csv", "한글/x.txt" ->
"%ED%95%9C%EA%B8%80/x.txt", common prefix "run books/" -> "run+books/"; "/" unencoded,
ceph/s3-tests#478); botocore decodes them with ``unquote_plus``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import unquote_plus

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iamsandbox.errors import InvalidArgument
from iamsandbox.services.s3.listing import url_encode

# key -> what S3 lists it as under EncodingType=url (observed, see the module docstring)
OBSERVED = {
    "a b.txt": "a+b.txt",
    "a+b.txt": "a%2Bb.txt",
    "100%.csv": "100%25.csv",
    "\ud55c\uae00/x.txt": "%ED%95%9C%EA%B8%80/x.txt",
    "run books/x.txt": "run+books/x.txt",
}


@pytest.mark.parametrize(("key", "encoded"), sorted(OBSERVED.items()))
def test_url_encode_matches_what_s3_answers(key: str, encoded: str) -> None:
    assert url_encode(key) == encoded


def test_control_characters_and_reserved_bytes_are_percent_encoded() -> None:
    # XML 1.0 cannot carry most control characters: the reason EncodingType exists.
    assert url_encode("a\nb\x01c\x7f") == "a%0Ab%01c%7F"
    assert url_encode("k=v&x?y#z") == "k%3Dv%26x%3Fy%23z"
    assert url_encode("dir/sub dir/") == "dir/sub+dir/"


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_botocore_decoding_gives_every_key_back(key: str) -> None:
    encoded = url_encode(key)
    assert encoded.isascii() and " " not in encoded
    assert unquote_plus(encoded, errors="surrogatepass") == key


def test_list_objects_v2_encodes_keys_prefix_delimiter_start_after(run: Callable[..., Any]) -> None:
    for key in OBSERVED:
        run("PutObject", Bucket="bkt", Key=key, Body=b"x")
    out = run("ListObjectsV2", Bucket="bkt", EncodingType="url")
    assert out["EncodingType"] == "url"
    assert [item["Key"] for item in out["Contents"]] == [OBSERVED[key] for key in sorted(OBSERVED)]
    out = run("ListObjectsV2", Bucket="bkt", EncodingType="url", Delimiter="/", StartAfter="a b.txt")
    assert [item["Prefix"] for item in out["CommonPrefixes"]] == ["run+books/", "%ED%95%9C%EA%B8%80/"]
    assert [item["Key"] for item in out["Contents"]] == ["a%2Bb.txt"]
    assert out["Delimiter"] == "/" and out["StartAfter"] == "a+b.txt" and out["Prefix"] == ""
    out = run("ListObjectsV2", Bucket="bkt", EncodingType="url", Prefix="run b")
    assert out["Prefix"] == "run+b" and [item["Key"] for item in out["Contents"]] == ["run+books/x.txt"]
    out = run("ListObjectsV2", Bucket="bkt", EncodingType="url", Prefix="run", Delimiter=" ")
    assert out["Delimiter"] == "+" and out["CommonPrefixes"] == [{"Prefix": "run+"}] and "Contents" not in out


def test_list_objects_v2_pages_through_encoded_keys(run: Callable[..., Any]) -> None:
    keys = ["p/a b", "p/a+b", "p/a%b", "p/\u00e9"]
    for key in keys:
        run("PutObject", Bucket="bkt", Key=key, Body=b"x")
    seen: list[str] = []
    params: dict[str, Any] = {"Bucket": "bkt", "EncodingType": "url", "MaxKeys": 1, "Prefix": "p/"}
    while True:
        out = run("ListObjectsV2", **params)
        seen += [unquote_plus(item["Key"]) for item in out.get("Contents", [])]
        assert out["Prefix"] == "p/"
        if not out["IsTruncated"]:
            break
        # The continuation token is opaque and given back as it came: never url-encoded.
        params["ContinuationToken"] = out["NextContinuationToken"]
    assert seen == sorted(keys)


def test_list_objects_v1_encodes_marker_and_next_marker(run: Callable[..., Any]) -> None:
    for key in ["a b/1", "a b/2", "c+d", "e%f"]:
        run("PutObject", Bucket="bkt", Key=key, Body=b"x")
    out = run("ListObjects", Bucket="bkt", EncodingType="url", Delimiter="/", MaxKeys=1)
    assert out["EncodingType"] == "url" and out["Marker"] == "" and out["Delimiter"] == "/"
    assert out["CommonPrefixes"] == [{"Prefix": "a+b/"}] and out["NextMarker"] == "a+b/"
    out = run("ListObjects", Bucket="bkt", EncodingType="url", Delimiter="/", MaxKeys=1, Marker="a b/")
    assert out["Marker"] == "a+b/" and [item["Key"] for item in out["Contents"]] == ["c%2Bd"]
    assert out["NextMarker"] == "c%2Bd" and "CommonPrefixes" not in out
    out = run("ListObjects", Bucket="bkt", EncodingType="url", Prefix="e%")
    assert out["Prefix"] == "e%25" and [item["Key"] for item in out["Contents"]] == ["e%25f"]


def test_without_encoding_type_keys_come_raw(run: Callable[..., Any]) -> None:
    run("PutObject", Bucket="bkt", Key="a b+c", Body=b"x")
    for operation in ("ListObjects", "ListObjectsV2"):
        out = run(operation, Bucket="bkt", Prefix="a ")
        assert out["Contents"][0]["Key"] == "a b+c" and out["Prefix"] == "a " and "EncodingType" not in out


@pytest.mark.parametrize("operation", ["ListObjects", "ListObjectsV2", "ListMultipartUploads"])
def test_other_encoding_types_are_refused(run: Callable[..., Any], operation: str) -> None:
    # Recorded from AWS (LocalStack's test_s3_list_operations snapshot).
    with pytest.raises(InvalidArgument, match="Invalid Encoding Method specified in Request") as raised:
        run(operation, Bucket="bkt", EncodingType="base64")
    assert raised.value.fields == {"ArgumentName": "encoding-type", "ArgumentValue": "base64"}


def test_list_multipart_uploads_encodes_keys_and_markers(run: Callable[..., Any]) -> None:
    for key in ["up/a b", "up/a+b", "up/\u00e9\n"]:
        run("CreateMultipartUpload", Bucket="bkt", Key=key)
    out = run("ListMultipartUploads", Bucket="bkt", EncodingType="url", Prefix="up/", MaxUploads=2)
    assert out["EncodingType"] == "url" and out["Prefix"] == "up/" and out["KeyMarker"] == ""
    assert [item["Key"] for item in out["Uploads"]] == ["up/a+b", "up/a%2Bb"]
    assert out["IsTruncated"] is True and out["NextKeyMarker"] == "up/a%2Bb"
    out = run("ListMultipartUploads", Bucket="bkt", EncodingType="url", KeyMarker="up/a+b")
    assert out["KeyMarker"] == "up/a%2Bb" and [item["Key"] for item in out["Uploads"]] == ["up/%C3%A9%0A"]
    raw = run("ListMultipartUploads", Bucket="bkt", Prefix="up/a ")
    assert [item["Key"] for item in raw["Uploads"]] == ["up/a b"] and "EncodingType" not in raw


# --- markers at common prefixes: AWS's answers recorded in LocalStack's
# test_list_objects_marker_common_prefixes snapshot (keys folder/aSubfolder/subFile1,
# folder/aSubfolder/subFile2, folder/file1, folder/file2; Prefix folder/, Delimiter /,
# MaxKeys 1).

FOLDER = ["folder/aSubfolder/subFile1", "folder/aSubfolder/subFile2", "folder/file1", "folder/file2"]


@pytest.fixture
def folder(run: Callable[..., Any]) -> Callable[..., Any]:
    for key in FOLDER:
        run("PutObject", Bucket="bkt", Key=key, Body=b"content 123")
    return run


def _names(out: dict[str, Any]) -> list[str]:
    prefixes = [item["Prefix"] for item in out.get("CommonPrefixes", [])]
    return prefixes + [item["Key"] for item in out.get("Contents", [])]


def test_v1_marker_at_or_inside_a_common_prefix_goes_on_after_it(folder: Callable[..., Any]) -> None:
    page = {"Bucket": "bkt", "Prefix": "folder/", "Delimiter": "/", "MaxKeys": 1}
    start = folder("ListObjects", **page)
    assert _names(start) == ["folder/aSubfolder/"] and start["NextMarker"] == "folder/aSubfolder/"
    following = folder("ListObjects", **page, Marker=start["NextMarker"])
    assert _names(following) == ["folder/file1"] and following["NextMarker"] == "folder/file1"
    end = folder("ListObjects", **page, Marker="folder/file1")
    assert _names(end) == ["folder/file2"] and end["IsTruncated"] is False
    manual = folder("ListObjects", **page, Marker="folder/aSubfolder/subFile1")
    assert _names(manual) == ["folder/file1"] and manual["IsTruncated"] is True


def test_v2_pagination_returns_each_common_prefix_once(folder: Callable[..., Any]) -> None:
    seen: list[str] = []
    params: dict[str, Any] = {"Bucket": "bkt", "Prefix": "folder/", "Delimiter": "/", "MaxKeys": 1}
    for _ in range(10):
        out = folder("ListObjectsV2", **params)
        seen += _names(out)
        if not out["IsTruncated"]:
            break
        params["ContinuationToken"] = out["NextContinuationToken"]
    assert seen == ["folder/aSubfolder/", "folder/file1", "folder/file2"]
    after = folder("ListObjectsV2", Bucket="bkt", Prefix="folder/", Delimiter="/", StartAfter=FOLDER[0])
    assert _names(after) == ["folder/file1", "folder/file2"]

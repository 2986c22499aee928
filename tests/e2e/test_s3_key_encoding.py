"""Object keys that need encoding round-trip through listings, end to end.

botocore asks for EncodingType=url itself in ListObjects, ListObjectsV2 (and
ListObjectVersions) when the caller did not, and decodes Key, Prefix, Delimiter, Marker,
NextMarker, StartAfter and CommonPrefixes/Prefix with ``unquote_plus``
(``set_list_objects_encoding_type_url`` / ``decode_list_object*`` in botocore's
handlers): so keys with spaces, "+", "%", Unicode and control characters only come back
as they were stored if the server encodes them as S3 does ("EncodingType" in the
ListObjects and ListObjectsV2 references of the S3 API Reference). `aws s3 ls` lists
through ListObjectsV2 the same way.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from e2e_harness import A, Server, _client, aws_cli

KEYS = sorted(
    [
        "a b.txt",
        "a+b.txt",
        "a%2Bb.txt",  # a key that looks encoded already
        "100%.csv",
        "dir with space/inner+plus/x y",
        "\u00fcn\u00efc\u00f6d\u00e9/caf\u00e9 \u2615.txt",
        "\u65e5\u672c\u8a9e \u30ad\u30fc",
        "tab\there",
        "ctl\x01\x02x",
        "del\x7fx",
        "amp&lt;<gt>\"quote'",
        "q?x=1#frag",
        "~tilde*star(paren)!",
    ]
)


def _pages(s3: Any, operation: str, **params: Any) -> tuple[list[str], list[str]]:
    keys: list[str] = []
    prefixes: list[str] = []
    for page in s3.get_paginator(operation).paginate(**params):
        keys += [item["Key"] for item in page.get("Contents", [])]
        prefixes += [item["Prefix"] for item in page.get("CommonPrefixes", [])]
    return keys, prefixes


def test_keys_round_trip_through_listings(server: Server, tmp_path: Path) -> None:
    root = server.create_account(A)
    s3 = _client(server, "s3", root)
    s3.create_bucket(Bucket="encoded-keys")
    for key in KEYS:
        s3.put_object(Bucket="encoded-keys", Key=key, Body=key.encode())
        assert s3.get_object(Bucket="encoded-keys", Key=key)["Body"].read() == key.encode()

    assert [item["Key"] for item in s3.list_objects(Bucket="encoded-keys")["Contents"]] == KEYS
    assert [item["Key"] for item in s3.list_objects_v2(Bucket="encoded-keys")["Contents"]] == KEYS
    # Paginated one key at a time: markers and continuation tokens carry the keys too.
    for operation in ("list_objects", "list_objects_v2"):
        assert _pages(s3, operation, Bucket="encoded-keys", PaginationConfig={"PageSize": 1}) == (KEYS, [])

    # Prefix, Delimiter and common prefixes with characters that need encoding.
    keys, prefixes = _pages(s3, "list_objects_v2", Bucket="encoded-keys", Prefix="dir with space/", Delimiter="+")
    assert (keys, prefixes) == ([], ["dir with space/inner+"])
    keys, prefixes = _pages(s3, "list_objects", Bucket="encoded-keys", Delimiter=" ", PaginationConfig={"PageSize": 2})
    assert "a " in prefixes and "dir " in prefixes and "a+b.txt" in keys
    v1 = s3.list_objects(Bucket="encoded-keys", Delimiter=" ", MaxKeys=1, Marker="a ")
    assert v1["Contents"][0]["Key"] == "a%2Bb.txt" and v1["Marker"] == "a "
    after = s3.list_objects_v2(Bucket="encoded-keys", StartAfter="a b.txt", MaxKeys=1)
    assert after["StartAfter"] == "a b.txt" and after["Contents"][0]["Key"] == "a%2Bb.txt"

    # Asked for explicitly, the encoding is the caller's to undo: S3's form on the wire.
    raw = s3.list_objects_v2(Bucket="encoded-keys", Prefix="a", EncodingType="url")
    expected = ["a+b.txt", "a%252Bb.txt", "a%2Bb.txt", "amp%26lt%3B%3Cgt%3E%22quote%27"]
    assert [item["Key"] for item in raw["Contents"]] == expected
    assert raw["EncodingType"] == "url"

    listing = aws_cli(server, tmp_path, root, "s3", "ls", "--recursive", "s3://encoded-keys/")
    assert listing.returncode == 0, listing.stderr
    listed = [line.split(maxsplit=3)[3] for line in listing.stdout.split("\n") if line.strip()]
    assert sorted(listed) == KEYS


def test_multipart_upload_listing_round_trips_keys(server: Server) -> None:
    root = server.create_account(A)
    s3 = _client(server, "s3", root)
    s3.create_bucket(Bucket="encoded-uploads")
    # Printable keys only: CreateMultipartUpload answers the key inside XML, where XML 1.0
    # cannot carry control characters (only listings have EncodingType).
    keys = ["up/a b", "up/a+b", "up/\u00e9 %41"]
    for key in keys:
        s3.create_multipart_upload(Bucket="encoded-uploads", Key=key)
    out = s3.list_multipart_uploads(Bucket="encoded-uploads", EncodingType="url", Prefix="up/a ")
    assert [item["Key"] for item in out["Uploads"]] == ["up/a+b"] and out["Prefix"] == "up/a+"
    out = s3.list_multipart_uploads(Bucket="encoded-uploads")  # botocore asks for no encoding here
    assert sorted(item["Key"] for item in out["Uploads"]) == sorted(keys)

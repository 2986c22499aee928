"""ListMultipartUploads: Prefix, Delimiter and CommonPrefixes, KeyMarker and UploadIdMarker,
MaxUploads, IsTruncated, NextKeyMarker and NextUploadIdMarker, EncodingType=url.

AWS page: ListMultipartUploads in the Amazon S3 API Reference ("Multipart uploads are
sorted by key. If there are multiple uploads for the same key, they are sorted in
ascending order by the time the multipart upload was initiated"; delimiter: "All keys
that contain the same string between the prefix, if specified, and the first occurrence
of the delimiter after the prefix are grouped under a single result element,
CommonPrefixes ... The keys that are grouped under CommonPrefixes result element are not
returned elsewhere in the response"; "upload-id-marker: ... If key-marker is not
specified, the upload-id-marker parameter is ignored"; max-uploads 1 to 1,000, 1,000 by
default; EncodingType url).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from services_harness import TRUSTING, Call, user_caller

from iamsandbox.errors import InvalidArgument
from iamsandbox.services.s3.handlers import HANDLERS
from iamsandbox.store import SqlStore

KEYS = ["a.txt", "a.txt", "photos/2024/x.jpg", "photos/2024/y.jpg", "photos/z.jpg", "videos/v.mp4"]


@pytest.fixture
def started(run: Callable[..., Any]) -> list[tuple[str, str]]:
    """(key, upload id) of each upload, in the order they were initiated."""
    return [(key, run("CreateMultipartUpload", Bucket="bkt", Key=key)["UploadId"]) for key in KEYS]


def _uploads(out: dict[str, Any]) -> list[tuple[str, str]]:
    return [(upload["Key"], upload["UploadId"]) for upload in out.get("Uploads") or []]


def _prefixes(out: dict[str, Any]) -> list[str]:
    return [item["Prefix"] for item in out.get("CommonPrefixes") or []]


def test_everything_by_key_then_initiation(run: Callable[..., Any], started: list[tuple[str, str]]) -> None:
    out = run("ListMultipartUploads", Bucket="bkt")
    assert _uploads(out) == started  # KEYS are in key order; the two a.txt in initiation order
    assert out["IsTruncated"] is False and out["MaxUploads"] == 1000
    assert "CommonPrefixes" not in out and "Delimiter" not in out
    # A last page names its last upload (recorded from AWS: test_list_multiparts_next_marker).
    assert (out["NextKeyMarker"], out["NextUploadIdMarker"]) == started[-1]


def test_delimiter_rolls_keys_up(run: Callable[..., Any], started: list[tuple[str, str]]) -> None:
    out = run("ListMultipartUploads", Bucket="bkt", Delimiter="/")
    assert _uploads(out) == started[:2]
    assert _prefixes(out) == ["photos/", "videos/"]
    assert out["Delimiter"] == "/"
    under = run("ListMultipartUploads", Bucket="bkt", Prefix="photos/", Delimiter="/")
    assert _uploads(under) == [started[4]]
    assert _prefixes(under) == ["photos/2024/"]
    assert under["Prefix"] == "photos/"
    prefix_only = run("ListMultipartUploads", Bucket="bkt", Prefix="photos/2024/")
    assert _uploads(prefix_only) == started[2:4]


def test_pages_with_the_next_markers(run: Callable[..., Any], started: list[tuple[str, str]]) -> None:
    # Each page resumes where the last one stopped, through two uploads of the same key
    # and past each common prefix; together the pages are the unpaged listing.
    for delimiter, expected in ((None, (started, [])), ("/", (started[:2], ["photos/", "videos/"]))):
        uploads: list[tuple[str, str]] = []
        prefixes: list[str] = []
        params: dict[str, Any] = {"Bucket": "bkt", "MaxUploads": 1}
        if delimiter:
            params["Delimiter"] = delimiter
        for _ in range(10):
            out = run("ListMultipartUploads", **params)
            assert out["MaxUploads"] == 1
            assert len(out["Uploads"]) + len(out.get("CommonPrefixes") or []) == 1
            uploads += _uploads(out)
            prefixes += _prefixes(out)
            if not out["IsTruncated"]:
                break
            if out["NextKeyMarker"]:
                params["KeyMarker"] = out["NextKeyMarker"]
                params["UploadIdMarker"] = out["NextUploadIdMarker"]
            else:
                # A page that ends on a common prefix names no next markers (recorded, see
                # test_truncated_on_a_common_prefix): go on after the prefix, as
                # LocalStack's recorded test does ("list-multiparts-manual-prefix").
                params["KeyMarker"] = out["CommonPrefixes"][-1]["Prefix"]
                params.pop("UploadIdMarker", None)
        assert (uploads, prefixes) == expected


def test_key_and_upload_id_markers(run: Callable[..., Any], started: list[tuple[str, str]]) -> None:
    # key-marker alone: keys after it only (the second a.txt upload is not listed).
    after_key = run("ListMultipartUploads", Bucket="bkt", KeyMarker="a.txt")
    assert _uploads(after_key) == started[2:]
    assert after_key["KeyMarker"] == "a.txt"
    # key-marker with upload-id-marker: that key's uploads after that one, then the rest.
    after_first = run("ListMultipartUploads", Bucket="bkt", KeyMarker="a.txt", UploadIdMarker=started[0][1])
    assert _uploads(after_first) == started[1:]
    assert after_first["UploadIdMarker"] == started[0][1]
    # upload-id-marker without key-marker is ignored, and answered "" (recorded from AWS:
    # LocalStack's test_s3_list_operations snapshot, test_list_multiparts_next_marker,
    # "list-multiparts-next-upload-only"; there, too, no Prefix element without a prefix).
    ignored = run("ListMultipartUploads", Bucket="bkt", UploadIdMarker=started[1][1])
    assert _uploads(ignored) == started and ignored["UploadIdMarker"] == "" and "Prefix" not in ignored
    # An upload-id-marker that is no upload of key-marker's: "list-multiparts-wrong-id-for-key".
    with pytest.raises(InvalidArgument) as raised:
        run("ListMultipartUploads", Bucket="bkt", KeyMarker="a.txt", UploadIdMarker=started[5][1])
    assert raised.value.message == "Invalid uploadId marker"
    assert raised.value.fields == {"ArgumentName": "upload-id-marker", "ArgumentValue": started[5][1]}
    # A key-marker that is a common prefix, or a key under one, goes on after the group.
    for marker in ("photos/", "photos/2024/x.jpg"):
        out = run("ListMultipartUploads", Bucket="bkt", Delimiter="/", KeyMarker=marker)
        assert _uploads(out) == [] and _prefixes(out) == ["videos/"]


def test_truncated_on_a_common_prefix(run: Callable[..., Any], started: list[tuple[str, str]]) -> None:
    # Recorded from AWS (LocalStack's test_s3_list_operations snapshot,
    # test_list_multipart_uploads_marker_common_prefixes, "list-multiparts-start"): a
    # truncated page that ends with a common prefix answers NextKeyMarker and
    # NextUploadIdMarker "".
    out = run("ListMultipartUploads", Bucket="bkt", Delimiter="/", MaxUploads=3)
    assert _uploads(out) == started[:2] and _prefixes(out) == ["photos/"]
    assert (out["IsTruncated"], out["NextKeyMarker"], out["NextUploadIdMarker"]) == (True, "", "")
    rest = run("ListMultipartUploads", Bucket="bkt", Delimiter="/", KeyMarker="photos/")
    assert _prefixes(rest) == ["videos/"] and rest["IsTruncated"] is False


def test_max_uploads_bounds(run: Callable[..., Any], started: list[tuple[str, str]]) -> None:
    # "Sets the maximum number of multipart uploads, from 1 to 1,000": more is served at
    # 1,000; a negative number is refused (message unconfirmed).
    assert run("ListMultipartUploads", Bucket="bkt", MaxUploads=5000)["MaxUploads"] == 1000
    with pytest.raises(InvalidArgument) as raised:
        run("ListMultipartUploads", Bucket="bkt", MaxUploads=-1)
    assert raised.value.fields["ArgumentName"] == "max-uploads"
    truncated = run("ListMultipartUploads", Bucket="bkt", MaxUploads=2)
    assert _uploads(truncated) == started[:2]
    assert truncated["IsTruncated"] is True
    assert (truncated["NextKeyMarker"], truncated["NextUploadIdMarker"]) == started[1]


def test_url_encoding(run: Callable[..., Any]) -> None:
    # EncodingType=url: Delimiter, KeyMarker, Prefix, NextKeyMarker and Key come back
    # encoded (ListMultipartUploads, "EncodingType"), in S3's form: a space is "+", "+" is
    # "%2B" (see services/s3/listing.py).
    for key in ("a b/c+d", "a b/e", "z z"):
        run("CreateMultipartUpload", Bucket="bkt", Key=key)
    flat = run("ListMultipartUploads", Bucket="bkt", EncodingType="url", Prefix="a b/", MaxUploads=1)
    assert [upload["Key"] for upload in flat["Uploads"]] == ["a+b/c%2Bd"]
    assert flat["Prefix"] == "a+b/" and flat["NextKeyMarker"] == "a+b/c%2Bd" and flat["EncodingType"] == "url"
    grouped = run("ListMultipartUploads", Bucket="bkt", EncodingType="url", Delimiter=" ", KeyMarker="a b/c+d")
    assert _prefixes(grouped) == ["z+"] and grouped["Delimiter"] == "+" and grouped["KeyMarker"] == "a+b/c%2Bd"
    # With Delimiter " ", "a b/e" rolls up into "a " at or before the marker: listed already.
    assert grouped["Uploads"] == []


def test_an_account_initiator_is_the_owner_and_a_user_is_its_arn(
    run: Callable[..., Any], call: Call, store: SqlStore
) -> None:
    # Initiator (S3 API Reference): "If the principal is an Amazon Web Services account, it
    # provides the Canonical User ID. If the principal is an IAM User, it provides a user
    # ARN value"; ListParts: "If the initiator is an Amazon Web Services account, this
    # element provides the same information as the Owner element": its ID; AWS answers the
    # initiator's DisplayName too, where the Owner has ID alone (recorded from AWS in 2026,
    # LocalStack's test_s3 snapshot, test_multipart_and_list_parts).
    by_root = run("CreateMultipartUpload", Bucket="bkt", Key="by-root")["UploadId"]
    parts = run("ListParts", Bucket="bkt", Key="by-root", UploadId=by_root)
    assert parts["Initiator"]["ID"] == parts["Owner"]["ID"] and set(parts["Owner"]) == {"ID"}
    assert parts["Initiator"]["DisplayName"]
    assert len(parts["Owner"]["ID"]) == 64  # a canonical user ID, not an ARN
    alice = user_caller(store, "alice", TRUSTING)
    call(HANDLERS["CreateMultipartUpload"], alice, {"Bucket": "bkt", "Key": "by-alice"})
    uploads = {upload["Key"]: upload for upload in run("ListMultipartUploads", Bucket="bkt")["Uploads"]}
    assert uploads["by-root"]["Initiator"] == parts["Initiator"]
    assert uploads["by-alice"]["Initiator"] == {"ID": f"arn:aws:iam::{TRUSTING}:user/alice", "DisplayName": "alice"}

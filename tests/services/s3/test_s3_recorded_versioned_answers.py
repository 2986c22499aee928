"""Answers about versions and delete markers as recorded from S3: a public report of requests
sent to s3.amazonaws.com in 2026 on delete markers as the source of other operations
(CopyObject, UploadPartCopy, UploadPart, the object ACL operations; tests named below) and
its GetObject report, through the whole request path with boto3."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from inprocess_harness import s3_with_bucket


def _s3(tmp_path: Path) -> Any:
    return s3_with_bucket(tmp_path, validate=False, versioned=True)


def _refused(call: Any, **params: Any) -> tuple[int, dict[str, Any], dict[str, str]]:
    with pytest.raises(ClientError) as caught:
        call(Bucket="bkt", **params)
    response = caught.value.response
    return (
        response["ResponseMetadata"]["HTTPStatusCode"],
        dict(response["Error"]),
        response["ResponseMetadata"]["HTTPHeaders"],
    )


def test_a_copy_sources_version_id_is_refused_naming_the_header(tmp_path: Path) -> None:
    # Tests I1, I2 (CopyObject) and J1, J2 (UploadPartCopy).
    s3 = _s3(tmp_path)
    s3.put_object(Bucket="bkt", Key="src", Body=b"x")
    upload = s3.create_multipart_upload(Bucket="bkt", Key="dst")["UploadId"]
    part = {"Key": "dst", "UploadId": upload, "PartNumber": 1}
    for operation in ("CopyObject", "UploadPartCopy"):  # as sent: boto3 quotes an empty versionId
        s3.meta.events.register(f"before-sign.s3.{operation}", _empty_version_id)
    for call, extra in ((s3.copy_object, {"Key": "dst"}), (s3.upload_part_copy, part)):
        status, error, _ = _refused(call, CopySource="bkt/src", **extra)
        assert (status, error["Code"], error["Message"], error["ArgumentName"], error["ArgumentValue"] or "") == (
            400,
            "InvalidArgument",
            "Version id cannot be the empty string",
            "x-amz-copy-source",
            "",
        )
    for operation in ("CopyObject", "UploadPartCopy"):
        s3.meta.events.unregister(f"before-sign.s3.{operation}", _empty_version_id)
    status, error, _ = _refused(s3.upload_part_copy, CopySource="bkt/src?versionId=abc", **part)
    assert (status, error["Code"], error["Message"], error["ArgumentName"], error["ArgumentValue"]) == (
        400,
        "InvalidArgument",
        "Invalid version id specified",
        "x-amz-copy-source",
        "abc",
    )
    status, error, _ = _refused(s3.copy_object, CopySource="bkt/src?versionId=abc", Key="dst")
    assert (status, error["Code"], error["Message"]) == (400, "InvalidRequest", "Invalid Request")
    assert "ArgumentName" not in error


def _empty_version_id(request: Any, **_: Any) -> None:
    request.headers.replace_header("x-amz-copy-source", "bkt/src?versionId=")


@pytest.mark.parametrize("named", ["", "abc", "real"])
def test_upload_part_refuses_any_version_id(tmp_path: Path, named: str) -> None:
    # Tests J2a, J2b, J2c: an empty, a made-up and a real version ID alike.
    s3 = _s3(tmp_path)
    real = s3.put_object(Bucket="bkt", Key="k", Body=b"x")["VersionId"]
    upload = s3.create_multipart_upload(Bucket="bkt", Key="k")["UploadId"]
    value = real if named == "real" else named
    s3.meta.events.register("before-sign.s3.UploadPart", lambda request, **_: _with_query(request, value))
    status, error, _ = _refused(s3.upload_part, Key="k", UploadId=upload, PartNumber=1, Body=b"data")
    assert (status, error["Code"], error["Message"], error["ArgumentName"], error["ArgumentValue"] or "") == (
        400,
        "InvalidArgument",
        "This operation does not accept a version-id.",
        "versionId",
        value,
    )
    assert "Parts" not in s3.list_parts(Bucket="bkt", Key="k", UploadId=upload)


def _with_query(request: Any, value: str) -> None:
    """The request with ?versionId=value added (boto3 has no such member for UploadPart)."""
    separator = "&" if "?" in request.url else "?"
    request.url = f"{request.url}{separator}versionId={value}"


def test_put_object_acl_on_a_latest_delete_marker_sends_no_marker_headers(tmp_path: Path) -> None:
    # Tests D1-D4: 405 with Allow: DELETE; the marker's headers only when it is named.
    s3 = _s3(tmp_path)
    s3.put_object(Bucket="bkt", Key="k", Body=b"x")
    marker = s3.delete_object(Bucket="bkt", Key="k")["VersionId"]
    status, error, headers = _refused(s3.put_object_acl, Key="k", ACL="private")
    assert (status, error["Code"], headers["allow"]) == (405, "MethodNotAllowed", "DELETE")
    assert "x-amz-delete-marker" not in headers and "x-amz-version-id" not in headers
    status, error, headers = _refused(s3.put_object_acl, Key="k", ACL="private", VersionId=marker)
    assert (status, headers["x-amz-delete-marker"], headers["x-amz-version-id"]) == (405, "true", marker)


def test_object_acl_answers_name_the_version(tmp_path: Path) -> None:
    # Tests G1, G2, H1, H2: x-amz-version-id of the version addressed, the latest by default.
    s3 = _s3(tmp_path)
    s3.put_bucket_ownership_controls(
        Bucket="bkt", OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerPreferred"}]}
    )
    first = s3.put_object(Bucket="bkt", Key="k", Body=b"1")["VersionId"]
    latest = s3.put_object(Bucket="bkt", Key="k", Body=b"2")["VersionId"]
    for params, expected in (({}, latest), ({"VersionId": first}, first)):
        got = s3.get_object_acl(Bucket="bkt", Key="k", **params)
        assert got["ResponseMetadata"]["HTTPHeaders"]["x-amz-version-id"] == expected
        put = s3.put_object_acl(Bucket="bkt", Key="k", ACL="private", **params)
        assert put["ResponseMetadata"]["HTTPHeaders"]["x-amz-version-id"] == expected


def test_a_head_error_is_typed_as_xml(tmp_path: Path) -> None:
    # The GetObject report's compare test: HEAD of a key whose latest is a delete marker (404)
    # and of the marker by version ID (405) carry Content-Type: application/xml.
    s3 = _s3(tmp_path)
    s3.put_object(Bucket="bkt", Key="k", Body=b"x")
    marker = s3.delete_object(Bucket="bkt", Key="k")["VersionId"]
    for params, status in (({}, 404), ({"VersionId": marker}, 405)):
        got, _, headers = _refused(s3.head_object, Key="k", **params)
        assert (got, headers["content-type"]) == (status, "application/xml")

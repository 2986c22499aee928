"""S3 bucket versioning against a real server, with boto3 and the AWS CLI.

AWS pages: S3 User Guide, "Using versioning in S3 buckets", "Working with objects in a
versioning-enabled bucket", "Working with delete markers" (a simple DELETE inserts a delete
marker; deleting the marker by version ID makes the object current again), "Deleting object
versions from a versioning-enabled bucket"; S3 API Reference, PutBucketVersioning,
ListObjectVersions, GetObject (versionId), DeleteBucket ("All objects (including all object
versions and delete markers) in the bucket must be deleted before the bucket itself can be
deleted"; the BucketNotEmpty message as recorded from AWS in LocalStack's test_s3_api
snapshot, test_delete_versioned_bucket_with_objects).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from e2e_harness import A, Server, _client, aws_cli


def test_versions_with_boto3(server: Server) -> None:
    root = server.create_account(A)
    s3 = _client(server, "s3", root)
    s3.create_bucket(Bucket="history")
    s3.put_bucket_versioning(Bucket="history", VersioningConfiguration={"Status": "Enabled"})
    assert s3.get_bucket_versioning(Bucket="history")["Status"] == "Enabled"
    first = s3.put_object(Bucket="history", Key="notes.txt", Body=b"draft")["VersionId"]
    second = s3.put_object(Bucket="history", Key="notes.txt", Body=b"final")["VersionId"]
    assert first != second and len(first) == 32

    assert s3.get_object(Bucket="history", Key="notes.txt")["Body"].read() == b"final"
    old = s3.get_object(Bucket="history", Key="notes.txt", VersionId=first)
    assert (old["Body"].read(), old["VersionId"]) == (b"draft", first)

    marker = s3.delete_object(Bucket="history", Key="notes.txt")
    assert marker["DeleteMarker"] is True
    with pytest.raises(ClientError) as missing:
        s3.get_object(Bucket="history", Key="notes.txt")
    assert missing.value.response["Error"]["Code"] == "NoSuchKey"
    assert missing.value.response["ResponseMetadata"]["HTTPHeaders"]["x-amz-delete-marker"] == "true"
    with pytest.raises(ClientError) as not_allowed:
        s3.get_object(Bucket="history", Key="notes.txt", VersionId=marker["VersionId"])
    assert not_allowed.value.response["ResponseMetadata"]["HTTPStatusCode"] == 405

    listed = s3.list_object_versions(Bucket="history")
    assert [v["VersionId"] for v in listed["Versions"]] == [second, first]
    assert [(m["VersionId"], m["IsLatest"]) for m in listed["DeleteMarkers"]] == [(marker["VersionId"], True)]
    assert s3.list_objects_v2(Bucket="history")["KeyCount"] == 0

    with pytest.raises(ClientError) as not_empty:
        s3.delete_bucket(Bucket="history")
    assert not_empty.value.response["Error"]["Message"] == (
        "The bucket you tried to delete is not empty. You must delete all versions in the bucket."
    )
    # Undelete, then remove every version (as the User Guide's "Deleting object versions").
    s3.delete_object(Bucket="history", Key="notes.txt", VersionId=marker["VersionId"])
    assert s3.get_object(Bucket="history", Key="notes.txt")["Body"].read() == b"final"
    copied = s3.copy_object(
        Bucket="history", Key="restored.txt", CopySource={"Bucket": "history", "Key": "notes.txt", "VersionId": first}
    )
    assert copied["CopySourceVersionId"] == first
    assert s3.get_object(Bucket="history", Key="restored.txt")["Body"].read() == b"draft"
    everything = s3.list_object_versions(Bucket="history")["Versions"]
    result = s3.delete_objects(
        Bucket="history",
        Delete={"Objects": [{"Key": v["Key"], "VersionId": v["VersionId"]} for v in everything]},
    )
    assert len(result["Deleted"]) == 3 and "Errors" not in result
    s3.delete_bucket(Bucket="history")


def test_versions_with_the_cli(server: Server, tmp_path: Path) -> None:
    root = server.create_account(A)
    s3 = _client(server, "s3", root)
    s3.create_bucket(Bucket="cli-history")

    def aws(*args: str) -> subprocess.CompletedProcess[str]:
        done = aws_cli(server, tmp_path, root, *args)
        assert done.returncode == 0, done.stderr
        return done

    aws("s3api", "put-bucket-versioning", "--bucket", "cli-history", "--versioning-configuration", "Status=Enabled")
    status = json.loads(aws("s3api", "get-bucket-versioning", "--bucket", "cli-history", "--output", "json").stdout)
    assert status == {"Status": "Enabled"}
    source = tmp_path / "file.txt"
    for text in ("one", "two"):
        source.write_text(text)
        aws("s3", "cp", str(source), "s3://cli-history/file.txt")
    versions = json.loads(aws("s3api", "list-object-versions", "--bucket", "cli-history", "--output", "json").stdout)[
        "Versions"
    ]
    assert [v["IsLatest"] for v in versions] == [True, False]
    first = versions[1]["VersionId"]
    target = tmp_path / "old.txt"
    aws("s3api", "get-object", "--bucket", "cli-history", "--key", "file.txt", "--version-id", first, str(target))
    assert target.read_text() == "one"

    assert "file.txt" in aws("s3", "ls", "s3://cli-history/").stdout
    aws("s3", "rm", "s3://cli-history/file.txt")  # a delete marker
    assert aws("s3", "ls", "s3://cli-history/").stdout == ""
    listed = json.loads(aws("s3api", "list-object-versions", "--bucket", "cli-history", "--output", "json").stdout)
    assert len(listed["Versions"]) == 2 and listed["DeleteMarkers"][0]["IsLatest"] is True


def _versioned(server: Server, bucket: str = "vers") -> object:
    s3 = _client(server, "s3", server.create_account(A))
    s3.create_bucket(Bucket=bucket)
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    return s3


def test_deleting_each_page_of_versions_empties_the_bucket(server: Server) -> None:
    # The loop of "Deleting object versions": list a page, delete it, list the next page from
    # the markers of the page just deleted. S3 goes on from a deleted VersionIdMarker with the
    # key's older versions (recorded from S3: LocalStack's
    # test_list_objects_versions_with_prefix_only_and_pagination, "page-2-after-delete").
    s3: Any = _versioned(server)
    for i in range(5):
        s3.put_object(Bucket="vers", Key="prefixed_key", Body=str(i).encode())
    for page in s3.get_paginator("list_object_versions").paginate(Bucket="vers", PaginationConfig={"PageSize": 2}):
        doomed = [{"Key": v["Key"], "VersionId": v["VersionId"]} for v in page.get("Versions", [])]
        if doomed:
            s3.delete_objects(Bucket="vers", Delete={"Objects": doomed})
    assert "Versions" not in s3.list_object_versions(Bucket="vers")
    s3.delete_bucket(Bucket="vers")


def test_version_answers_of_acl_copy_and_delete_markers(server: Server) -> None:
    s3: Any = _versioned(server)
    first = s3.put_object(Bucket="vers", Key="k", Body=b"1")["VersionId"]
    marker = s3.delete_object(Bucket="vers", Key="k")["VersionId"]
    # "to retrieve permissions for a specific object version, you must specify its version
    # ID" ("Working with versioned objects' permissions and ACLs", S3 User Guide).
    assert s3.get_object_acl(Bucket="vers", Key="k", VersionId=first)["Grants"]
    for version_id, code in (("abc", "InvalidArgument"), (marker, "MethodNotAllowed")):
        with pytest.raises(ClientError) as raised:
            s3.get_object_acl(Bucket="vers", Key="k", VersionId=version_id)
        assert raised.value.response["Error"]["Code"] == code
    # A delete marker takes DELETE only: its 405 says so (recorded from S3,
    # LocalStack's test_delete_object_versioned: "Allow: DELETE").
    with pytest.raises(ClientError) as not_allowed:
        s3.get_object(Bucket="vers", Key="k", VersionId=marker)
    assert not_allowed.value.response["ResponseMetadata"]["HTTPHeaders"]["allow"] == "DELETE"
    with pytest.raises(ClientError) as empty:
        s3.get_object(Bucket="vers", Key="k", VersionId="")
    assert empty.value.response["Error"]["Message"] == "Version id cannot be the empty string"
    # UploadPartCopy: x-amz-copy-source-version-id, "The version of the source object that was
    # copied, if you have enabled versioning on the source bucket" (S3 API reference).
    upload = s3.create_multipart_upload(Bucket="vers", Key="copy")["UploadId"]
    part = s3.upload_part_copy(
        Bucket="vers",
        Key="copy",
        UploadId=upload,
        PartNumber=1,
        CopySource={"Bucket": "vers", "Key": "k", "VersionId": first},
    )
    assert part["CopySourceVersionId"] == first


def test_a_made_up_version_id_marker_is_refused(server: Server) -> None:
    # Recorded from S3 (a public report of ListObjectVersions requests sent to
    # s3.amazonaws.com in 2026): a marker of S3's form that S3 did not make is 400
    # InvalidArgument "Invalid version id specified"; one it made lists the older versions.
    s3: Any = _versioned(server)
    first = s3.put_object(Bucket="vers", Key="v", Body=b"1")["VersionId"]
    second = s3.put_object(Bucket="vers", Key="v", Body=b"2")["VersionId"]
    with pytest.raises(ClientError) as caught:
        s3.list_object_versions(Bucket="vers", KeyMarker="v", VersionIdMarker="_" * 32)
    error = caught.value.response["Error"]
    assert (error["Code"], error["Message"], error["ArgumentName"]) == (
        "InvalidArgument",
        "Invalid version id specified",
        "version-id-marker",
    )
    listed = s3.list_object_versions(Bucket="vers", KeyMarker="v", VersionIdMarker=second)
    assert [v["VersionId"] for v in listed["Versions"]] == [first]

"""An object's standard headers, storage class and limits, and PutObject's tagging
permission, against a real server with the AWS CLI (``aws s3 cp`` and ``aws s3api``).

AWS pages:
- PutObject, CreateMultipartUpload (S3 API Reference): Cache-Control, Content-Disposition,
  Content-Language, Expires, x-amz-website-redirect-location and x-amz-storage-class are
  stored with the object; HeadObject answers them, x-amz-storage-class "for all objects
  except for S3 Standard storage class objects"; ListObjectsV2 and ListParts show the
  StorageClass.
- "Error responses" (S3 API Reference): InvalidStorageClass, "The storage class you
  specified is not valid"; KeyTooLongError, "Your key is too long" (a key is at most 1,024
  bytes of UTF-8: "Naming Amazon S3 objects", S3 User Guide); MetadataTooLarge, "Your
  metadata headers exceed the maximum allowed metadata size." (2 KB of user-defined
  metadata: "Working with object metadata", S3 User Guide); all HTTP 400.
- PutObject, Permissions: "s3:PutObjectTagging - To successfully set the tag-set with your
  PutObject request, you must have the s3:PutObjectTagging."
- AWS CLI ``s3 cp``: --cache-control, --content-disposition, --content-language, --expires,
  --storage-class and --website-redirect are passed on to PutObject (and to
  CreateMultipartUpload for a file past the multipart threshold, 8 MB by default).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from e2e_harness import A, Server, _client, aws_cli

BUCKET = "cli-headers"


def _run(server: Server, home: Path, keys: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return aws_cli(server, home, keys, *args, "--output", "json")


def _head(server: Server, home: Path, keys: dict[str, str], key: str) -> dict[str, Any]:
    done = _run(server, home, keys, "s3api", "head-object", "--bucket", BUCKET, "--key", key)
    assert done.returncode == 0, done.stderr
    out: dict[str, Any] = json.loads(done.stdout)
    return out


def test_aws_cli_cp_keeps_the_object_headers_and_s3api_refuses_what_s3_refuses(server: Server, tmp_path: Path) -> None:
    root = server.create_account(A)
    s3 = _client(server, "s3", root)
    s3.create_bucket(Bucket=BUCKET)
    small = tmp_path / "report.csv"
    small.write_bytes(b"a,b\n1,2\n")
    large = tmp_path / "large.bin"
    large.write_bytes(b"x" * (9 * 1024 * 1024))  # past the CLI's 8 MB multipart threshold
    options = (
        "--cache-control",
        "max-age=300",
        "--content-disposition",
        'attachment; filename="report.csv"',
        "--content-language",
        "de-CH",
        "--expires",
        "2031-05-06T07:08:09Z",
        "--website-redirect",
        "/elsewhere.html",
    )

    done = _run(
        server,
        tmp_path,
        root,
        "s3",
        "cp",
        str(small),
        f"s3://{BUCKET}/report.csv",
        *options,
        "--storage-class",
        "STANDARD_IA",
    )
    assert done.returncode == 0, done.stderr
    head = _head(server, tmp_path, root, "report.csv")
    assert head["CacheControl"] == "max-age=300"
    assert head["ContentDisposition"] == 'attachment; filename="report.csv"'
    assert head["ContentLanguage"] == "de-CH"
    assert head["Expires"] == "Tue, 06 May 2031 07:08:09 GMT"  # the CLI shows the header's HTTP date
    assert head["WebsiteRedirectLocation"] == "/elsewhere.html"
    assert head["StorageClass"] == "STANDARD_IA"

    done = _run(
        server,
        tmp_path,
        root,
        "s3",
        "cp",
        str(large),
        f"s3://{BUCKET}/large.bin",
        *options,
        "--storage-class",
        "ONEZONE_IA",
    )
    assert done.returncode == 0, done.stderr
    head = _head(server, tmp_path, root, "large.bin")
    assert head["ETag"].endswith('-2"')  # a multipart upload
    assert (head["CacheControl"], head["StorageClass"]) == ("max-age=300", "ONEZONE_IA")

    done = _run(server, tmp_path, root, "s3", "cp", str(small), f"s3://{BUCKET}/plain.csv")
    assert done.returncode == 0, done.stderr
    assert "StorageClass" not in _head(server, tmp_path, root, "plain.csv")  # STANDARD: no header

    listed = _run(server, tmp_path, root, "s3api", "list-objects-v2", "--bucket", BUCKET)
    assert listed.returncode == 0, listed.stderr
    classes = {item["Key"]: item["StorageClass"] for item in json.loads(listed.stdout)["Contents"]}
    assert classes == {"large.bin": "ONEZONE_IA", "plain.csv": "STANDARD", "report.csv": "STANDARD_IA"}

    put = ("s3api", "put-object", "--bucket", BUCKET, "--body", str(small))
    refused = _run(server, tmp_path, root, *put, "--key", "bogus.csv", "--storage-class", "BOGUS")
    assert refused.returncode != 0
    assert (
        "(InvalidStorageClass)" in refused.stderr and "The storage class you specified is not valid" in refused.stderr
    )
    refused = _run(server, tmp_path, root, *put, "--key", "k" * 1025)
    assert refused.returncode != 0
    assert "(KeyTooLongError)" in refused.stderr and "Your key is too long" in refused.stderr
    refused = _run(server, tmp_path, root, *put, "--key", "meta.csv", "--metadata", json.dumps({"big": "m" * 2046}))
    assert refused.returncode != 0
    assert "(MetadataTooLarge)" in refused.stderr
    assert "Your metadata headers exceed the maximum allowed metadata size." in refused.stderr
    names = sorted(item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET)["Contents"])
    assert names == ["large.bin", "plain.csv", "report.csv"]  # nothing written by a refusal


def test_aws_cli_put_object_with_tagging_needs_s3_put_object_tagging(server: Server, tmp_path: Path) -> None:
    root = server.create_account(A)
    _client(server, "s3", root).create_bucket(Bucket=BUCKET)
    iam = _client(server, "iam", root)
    iam.create_user(UserName="writer")
    policy = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:PutObject", "Resource": f"arn:aws:s3:::{BUCKET}/*"}],
    }
    iam.put_user_policy(UserName="writer", PolicyName="write", PolicyDocument=json.dumps(policy))
    created = iam.create_access_key(UserName="writer")["AccessKey"]
    writer = {"AccessKeyId": created["AccessKeyId"], "SecretAccessKey": created["SecretAccessKey"]}
    body = tmp_path / "body.txt"
    body.write_bytes(b"x")
    put = ("s3api", "put-object", "--bucket", BUCKET, "--body", str(body))

    done = _run(server, tmp_path, writer, *put, "--key", "untagged.txt")
    assert done.returncode == 0, done.stderr
    refused = _run(server, tmp_path, writer, *put, "--key", "tagged.txt", "--tagging", "team=blue")
    assert refused.returncode != 0
    assert "(AccessDenied)" in refused.stderr
    assert (
        f"User: arn:aws:iam::{A}:user/writer is not authorized to perform: s3:PutObjectTagging on resource: "
        f'"arn:aws:s3:::{BUCKET}/tagged.txt" because no identity-based policy allows the s3:PutObjectTagging action'
    ) in refused.stderr

    policy["Statement"][0]["Action"] = ["s3:PutObject", "s3:PutObjectTagging"]
    iam.put_user_policy(UserName="writer", PolicyName="write", PolicyDocument=json.dumps(policy))
    done = _run(server, tmp_path, writer, *put, "--key", "tagged.txt", "--tagging", "team=blue")
    assert done.returncode == 0, done.stderr
    tags = _client(server, "s3", root).get_object_tagging(Bucket=BUCKET, Key="tagged.txt")["TagSet"]
    assert tags == [{"Key": "team", "Value": "blue"}]

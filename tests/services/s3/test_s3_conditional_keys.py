"""s3:if-none-match and s3:if-match in bucket policies.

AWS pages: S3 User Guide, "Enforce conditional writes on Amazon S3 buckets" (a bucket policy
denying s3:PutObject when both s3:if-none-match and s3:if-match are Null, so that every
upload must be conditional) and "How to enforce conditional deletes" (denying s3:DeleteObject
without s3:if-match); Service Authorization Reference for Amazon S3 (s3:PutObject takes
s3:if-match and s3:if-none-match; s3:DeleteObject takes s3:if-match).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from botocore.exceptions import ClientError
from inprocess_harness import client, open_app, root_keys, user_keys

A = "111111111111"
S3_FULL = "arn:aws:iam::aws:policy/AmazonS3FullAccess"


def _deny_unconditional(action: str, *keys: str) -> str:
    statement = {
        "Effect": "Deny",
        "Principal": "*",
        "Action": action,
        "Resource": "arn:aws:s3:::bkt/*",
        "Condition": {"Null": {key: "true" for key in keys}},
    }
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def _denied(call: object) -> bool:
    with pytest.raises(ClientError) as refused:
        call()  # type: ignore[operator]
    return bool(refused.value.response["Error"]["Code"] == "AccessDenied")


def test_a_bucket_policy_can_require_conditional_writes_and_deletes(tmp_path: Path) -> None:
    app = open_app(tmp_path, A)
    root_s3 = client(app, "s3", root_keys(app, A))
    root_s3.create_bucket(Bucket="bkt")
    client(app, "iam", root_keys(app, A)).create_user(UserName="writer")
    client(app, "iam", root_keys(app, A)).attach_user_policy(UserName="writer", PolicyArn=S3_FULL)
    s3 = client(app, "s3", user_keys(app, A, "writer"))

    must_be_conditional = _deny_unconditional("s3:PutObject", "s3:if-none-match", "s3:if-match")
    root_s3.put_bucket_policy(Bucket="bkt", Policy=must_be_conditional)
    assert _denied(lambda: s3.put_object(Bucket="bkt", Key="k", Body=b"1"))
    etag = s3.put_object(Bucket="bkt", Key="k", Body=b"1", IfNoneMatch="*")["ETag"]
    s3.put_object(Bucket="bkt", Key="k", Body=b"2", IfMatch=etag)

    root_s3.put_bucket_policy(Bucket="bkt", Policy=_deny_unconditional("s3:DeleteObject", "s3:if-match"))
    assert _denied(lambda: s3.delete_object(Bucket="bkt", Key="k"))
    current = s3.head_object(Bucket="bkt", Key="k")["ETag"]
    s3.delete_object(Bucket="bkt", Key="k", IfMatch=current)
    with pytest.raises(ClientError) as gone:
        s3.head_object(Bucket="bkt", Key="k")
    assert gone.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_delete_objects_without_content_md5_or_a_checksum_is_refused(tmp_path: Path) -> None:
    """DeleteObjects (S3 API Reference): "The Content-MD5 or x-amz-sdk-checksum-algorithm
    header is required for all Multi-Object Delete requests"; S3 answers 400 InvalidRequest
    "Missing required header for this request: Content-MD5" (the wording SDK reports show).
    boto3 sends a checksum; a hook strips it, as a hand-made request would lack it."""
    app = open_app(tmp_path, A)
    s3 = client(app, "s3", root_keys(app, A))
    s3.create_bucket(Bucket="bkt")
    s3.put_object(Bucket="bkt", Key="k", Body=b"1")

    def strip(request: object, **_: object) -> None:
        headers = request.headers  # type: ignore[attr-defined]
        for name in [n for n in headers if n.lower() == "content-md5" or n.lower().startswith("x-amz-checksum-")]:
            del headers[name]

    s3.meta.events.register("before-sign.s3.DeleteObjects", strip)
    with pytest.raises(ClientError) as refused:
        s3.delete_objects(Bucket="bkt", Delete={"Objects": [{"Key": "k"}]})
    error = refused.value.response["Error"]
    assert error["Code"] == "InvalidRequest"
    assert error["Message"] == "Missing required header for this request: Content-MD5"
    s3.meta.events.unregister("before-sign.s3.DeleteObjects", strip)
    s3.head_object(Bucket="bkt", Key="k")  # still there
    assert s3.delete_objects(Bucket="bkt", Delete={"Objects": [{"Key": "k"}]})["Deleted"] == [{"Key": "k"}]


def _example_1(user_arn: str) -> str:
    """ "Enforce conditional writes on Amazon S3 buckets", Example 1, as its text describes
    it: the user may write only with If-None-Match, and s3:ObjectCreationOperation exempts
    the steps of a multipart upload, "as these APIs don't accept conditional headers"."""
    allow = {"Effect": "Allow", "Principal": {"AWS": user_arn}, "Action": "s3:PutObject"}
    allow["Resource"] = "arn:aws:s3:::bkt/*"
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {**allow, "Condition": {"Null": {"s3:if-none-match": "false"}}},
                {**allow, "Condition": {"Bool": {"s3:ObjectCreationOperation": "false"}}},
            ],
        }
    )


def test_multipart_uploads_under_a_policy_requiring_if_none_match(tmp_path: Path) -> None:
    app = open_app(tmp_path, A)
    root_s3 = client(app, "s3", root_keys(app, A))
    root_s3.create_bucket(Bucket="bkt")
    alice = client(app, "iam", root_keys(app, A)).create_user(UserName="alice")["User"]
    root_s3.put_bucket_policy(Bucket="bkt", Policy=_example_1(alice["Arn"]))
    s3 = client(app, "s3", user_keys(app, A, "alice"))  # no identity policy: the bucket grants

    assert _denied(lambda: s3.put_object(Bucket="bkt", Key="single", Body=b"1"))
    s3.put_object(Bucket="bkt", Key="single", Body=b"1", IfNoneMatch="*")
    upload = s3.create_multipart_upload(Bucket="bkt", Key="big")["UploadId"]
    etag = s3.upload_part(Bucket="bkt", Key="big", UploadId=upload, PartNumber=1, Body=b"p")["ETag"]
    parts = {"Parts": [{"ETag": etag, "PartNumber": 1}]}
    complete = {"Bucket": "bkt", "Key": "big", "UploadId": upload, "MultipartUpload": parts}
    assert _denied(lambda: s3.complete_multipart_upload(**complete))
    s3.complete_multipart_upload(**complete, IfNoneMatch="*")
    assert root_s3.head_object(Bucket="bkt", Key="big")["ContentLength"] == 1


def test_delete_objects_with_etags_under_a_policy_requiring_if_match(tmp_path: Path) -> None:
    """ "How to enforce conditional deletes": such a policy allows "DeleteObject and
    DeleteObjects requests that include the If-Match header with the ETag value"; in
    DeleteObjects each object's ETag is its If-Match."""
    app = open_app(tmp_path, A)
    root_s3 = client(app, "s3", root_keys(app, A))
    root_s3.create_bucket(Bucket="bkt")
    client(app, "iam", root_keys(app, A)).create_user(UserName="writer")
    client(app, "iam", root_keys(app, A)).attach_user_policy(UserName="writer", PolicyArn=S3_FULL)
    s3 = client(app, "s3", user_keys(app, A, "writer"))
    etag = s3.put_object(Bucket="bkt", Key="a", Body=b"1")["ETag"]
    s3.put_object(Bucket="bkt", Key="b", Body=b"2")
    root_s3.put_bucket_policy(Bucket="bkt", Policy=_deny_unconditional("s3:DeleteObject", "s3:if-match"))
    out = s3.delete_objects(Bucket="bkt", Delete={"Objects": [{"Key": "a", "ETag": etag}, {"Key": "b"}]})
    assert [d["Key"] for d in out.get("Deleted", [])] == ["a"]
    assert [(e["Key"], e["Code"]) for e in out["Errors"]] == [("b", "AccessDenied")]


def test_a_checksum_header_is_checked_against_the_body(tmp_path: Path) -> None:
    """ "Checking object integrity in Amazon S3" (S3 User Guide): S3 calculates the checksum
    the request names and refuses the upload if it differs; the BadDigest and InvalidRequest
    wordings are recorded from AWS (LocalStack's test_s3 snapshot, test_put_object_checksum).
    A header that only looks like one (x-amz-checksum-type) is no checksum of the body."""
    import base64
    import zlib

    app = open_app(tmp_path, A)
    s3 = client(app, "s3", root_keys(app, A))
    s3.create_bucket(Bucket="bkt")
    right = base64.b64encode(zlib.crc32(b"body").to_bytes(4, "big")).decode()
    s3.put_object(Bucket="bkt", Key="ok", Body=b"body", ChecksumCRC32=right)
    mismatch = "The CRC32 you specified did not match the calculated checksum."
    for value, code, message in [
        (base64.b64encode(b"\0\0\0\0").decode(), "BadDigest", mismatch),
        ("not-a-crc", "InvalidRequest", "Value for x-amz-checksum-crc32 header is invalid."),
    ]:
        with pytest.raises(ClientError) as refused:
            s3.put_object(Bucket="bkt", Key="bad", Body=b"body", ChecksumCRC32=value)
        assert (refused.value.response["Error"]["Code"], refused.value.response["Error"]["Message"]) == (code, message)
    assert [o["Key"] for o in s3.list_objects_v2(Bucket="bkt")["Contents"]] == ["ok"]

    def only_a_type(request: object, **_: object) -> None:
        headers = request.headers  # type: ignore[attr-defined]
        for name in [n for n in headers if n.lower() == "content-md5" or n.lower().startswith("x-amz-checksum-")]:
            del headers[name]
        headers["x-amz-checksum-type"] = "FULL_OBJECT"

    s3.meta.events.register("before-sign.s3.DeleteObjects", only_a_type)
    with pytest.raises(ClientError) as missing:
        s3.delete_objects(Bucket="bkt", Delete={"Objects": [{"Key": "ok"}]})
    assert missing.value.response["Error"]["Code"] == "InvalidRequest"


def test_complete_multipart_upload_checksum_headers_are_the_objects(tmp_path: Path) -> None:
    """CompleteMultipartUpload's x-amz-checksum-crc32 is "the base64-encoded, 32-bit CRC32
    checksum of the object" (CompleteMultipartUpload, S3 API Reference), not of the request's
    XML body: it is not held to the body as PutObject's is."""
    import base64
    import zlib

    app = open_app(tmp_path, A)
    s3 = client(app, "s3", root_keys(app, A))
    s3.create_bucket(Bucket="bkt")
    upload = s3.create_multipart_upload(Bucket="bkt", Key="k", ChecksumAlgorithm="CRC32")["UploadId"]
    data = b"x" * 10
    crc = base64.b64encode(zlib.crc32(data).to_bytes(4, "big")).decode()
    part = s3.upload_part(Bucket="bkt", Key="k", UploadId=upload, PartNumber=1, Body=data, ChecksumCRC32=crc)
    parts = {"Parts": [{"ETag": part["ETag"], "PartNumber": 1, "ChecksumCRC32": crc}]}
    s3.complete_multipart_upload(Bucket="bkt", Key="k", UploadId=upload, MultipartUpload=parts, ChecksumCRC32=crc)
    assert s3.head_object(Bucket="bkt", Key="k")["ContentLength"] == len(data)


def test_if_match_on_a_write_needs_get_object(tmp_path: Path) -> None:
    # "How to prevent object overwrites with conditional writes" (S3 User Guide), If-Match:
    # the ETag comparison reads the object, so the writer needs s3:GetObject besides
    # s3:PutObject, as a conditional delete needs it besides s3:DeleteObject. Without it a
    # writer could learn whether a key exists and its ETag.
    app = open_app(tmp_path, A)
    root_s3 = client(app, "s3", root_keys(app, A))
    root_s3.create_bucket(Bucket="bkt")
    etag = root_s3.put_object(Bucket="bkt", Key="k", Body=b"1")["ETag"]
    write_only = {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::bkt/*"}
    iam = client(app, "iam", root_keys(app, A))
    iam.create_user(UserName="writer")
    policy = json.dumps({"Version": "2012-10-17", "Statement": [write_only]})
    iam.put_user_policy(UserName="writer", PolicyName="Write", PolicyDocument=policy)
    s3 = client(app, "s3", user_keys(app, A, "writer"))

    with pytest.raises(ClientError) as refused:
        s3.put_object(Bucket="bkt", Key="k", Body=b"2", IfMatch=etag)
    assert refused.value.response["Error"]["Message"] == (
        f"User: arn:aws:iam::{A}:user/writer is not authorized to perform: s3:GetObject on resource: "
        '"arn:aws:s3:::bkt/k" because no identity-based policy allows the s3:GetObject action'
    )
    with pytest.raises(ClientError) as refused:  # not NoSuchKey: nothing learned of "missing"
        s3.put_object(Bucket="bkt", Key="missing", Body=b"2", IfMatch=etag)
    assert refused.value.response["Error"]["Code"] == "AccessDenied"
    upload = s3.create_multipart_upload(Bucket="bkt", Key="k")["UploadId"]
    part = s3.upload_part(Bucket="bkt", Key="k", UploadId=upload, PartNumber=1, Body=b"2")["ETag"]
    parts = {"Parts": [{"PartNumber": 1, "ETag": part}]}
    assert _denied(
        lambda: s3.complete_multipart_upload(
            Bucket="bkt", Key="k", UploadId=upload, MultipartUpload=parts, IfMatch=etag
        )
    )
    # If-None-Match only asks whether a key is there, which s3:PutObject alone may do.
    with pytest.raises(ClientError) as exists:
        s3.put_object(Bucket="bkt", Key="k", Body=b"2", IfNoneMatch="*")
    assert exists.value.response["Error"]["Code"] == "PreconditionFailed"

    read = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bkt/*"}
    policy = json.dumps({"Version": "2012-10-17", "Statement": [write_only, read]})
    iam.put_user_policy(UserName="writer", PolicyName="Write", PolicyDocument=policy)
    s3.complete_multipart_upload(Bucket="bkt", Key="k", UploadId=upload, MultipartUpload=parts, IfMatch=etag)
    assert root_s3.get_object(Bucket="bkt", Key="k")["Body"]._raw_stream.body == b"2"

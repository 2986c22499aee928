"""S3 condition keys that come from the request, with boto3 against a real server.

AWS pages: the Service Authorization Reference for Amazon S3 (the keys each action takes);
"Bucket policy examples using condition keys" (S3 User Guide), Example 1: s3:LocationConstraint
on s3:CreateBucket; "Disabling ACLs for all new buckets" (S3 User Guide): a Deny of
s3:CreateBucket unless s3:x-amz-object-ownership is BucketOwnerEnforced; "Authenticating
Requests (AWS Signature Version 4)", "Applicable Keys for s3:* Actions or any of the Amazon S3
Actions": s3:signatureversion and s3:authType hold for every S3 action.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError
from e2e_harness import A, Server, _client

from shared_boto import shared_client


def _user(server: Server, *statements: dict[str, Any]) -> dict[str, str]:
    iam = _client(server, "iam", server.roots[A])
    iam.create_user(UserName="alice")
    iam.put_user_policy(
        UserName="alice",
        PolicyName="p",
        PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": list(statements)}),
    )
    return iam.create_access_key(UserName="alice")["AccessKey"]


def test_create_bucket_keys(server: Server) -> None:
    server.create_account(A)
    keys = _user(
        server,
        {
            "Effect": "Allow",
            "Action": "s3:CreateBucket",
            "Resource": "*",
            "Condition": {"StringLike": {"s3:LocationConstraint": "sa-east-1"}},
        },
        {
            "Effect": "Deny",
            "Action": "s3:CreateBucket",
            "Resource": "*",
            "Condition": {"StringNotEquals": {"s3:x-amz-object-ownership": "BucketOwnerEnforced"}},
        },
        # "If your CreateBucket request includes the x-amz-object-ownership header, then the
        # s3:PutBucketOwnershipControls permission is required" (CreateBucket, Permissions).
        {"Effect": "Allow", "Action": "s3:PutBucketOwnershipControls", "Resource": "*"},
    )
    s3 = shared_client(
        "s3",
        endpoint_url=server.url,
        region_name="sa-east-1",
        aws_access_key_id=keys["AccessKeyId"],
        aws_secret_access_key=keys["SecretAccessKey"],
    )
    where = {"LocationConstraint": "sa-east-1"}
    s3.create_bucket(Bucket="in-sa-east-1", CreateBucketConfiguration=where, ObjectOwnership="BucketOwnerEnforced")
    refusals = (
        {"Bucket": "no-ownership", "CreateBucketConfiguration": where},  # the Deny: key absent
        {"Bucket": "acls-on", "CreateBucketConfiguration": where, "ObjectOwnership": "ObjectWriter"},
    )
    for params in refusals:
        with pytest.raises(ClientError) as denied:
            s3.create_bucket(**params)
        assert denied.value.response["Error"]["Code"] == "AccessDenied"
    with pytest.raises(ClientError) as elsewhere:
        _client(server, "s3", keys).create_bucket(Bucket="in-us-east-1", ObjectOwnership="BucketOwnerEnforced")
    assert elsewhere.value.response["Error"]["Code"] == "AccessDenied"


def test_website_redirect_location_key(server: Server) -> None:
    root = server.create_account(A)
    _client(server, "s3", root).create_bucket(Bucket="site")
    keys = _user(
        server,
        {
            "Effect": "Allow",
            "Action": "s3:PutObject",
            "Resource": "arn:aws:s3:::site/*",
            "Condition": {"StringEquals": {"s3:x-amz-website-redirect-location": "/x"}},
        },
    )
    s3 = _client(server, "s3", keys)
    s3.put_object(Bucket="site", Key="a", Body=b"", WebsiteRedirectLocation="/x")
    with pytest.raises(ClientError):
        s3.put_object(Bucket="site", Key="b", Body=b"")


def test_signature_keys_hold_for_the_checks_a_request_makes_inside(server: Server) -> None:
    # A bucket policy that refuses anything not signed with SigV4 must not refuse the
    # checks a SigV4 request makes on the way: each key of DeleteObjects, the source of a
    # copy, the tags of a PutObject, s3:ListBucket to tell a missing key (404).
    root = server.create_account(A)
    s3_root = _client(server, "s3", root)
    s3_root.create_bucket(Bucket="v4-only")
    s3_root.put_bucket_policy(
        Bucket="v4-only",
        Policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Deny",
                        "Principal": "*",
                        "Action": "s3:*",
                        "Resource": ["arn:aws:s3:::v4-only", "arn:aws:s3:::v4-only/*"],
                        "Condition": {"StringNotEquals": {"s3:signatureversion": "AWS4-HMAC-SHA256"}},
                    }
                ],
            }
        ),
    )
    s3 = _client(server, "s3", _user(server, {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}))
    s3.put_object(Bucket="v4-only", Key="d1", Body=b"1", Tagging="a=b")
    s3.copy_object(Bucket="v4-only", Key="d2", CopySource={"Bucket": "v4-only", "Key": "d1"})
    deleted = s3.delete_objects(Bucket="v4-only", Delete={"Objects": [{"Key": "d1"}, {"Key": "d2"}]})
    assert sorted(d["Key"] for d in deleted["Deleted"]) == ["d1", "d2"] and not deleted.get("Errors")
    with pytest.raises(ClientError) as missing:
        s3.get_object(Bucket="v4-only", Key="d1")
    assert missing.value.response["Error"]["Code"] == "NoSuchKey"

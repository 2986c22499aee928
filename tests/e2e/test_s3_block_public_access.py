"""Block Public Access at request time and the bucket-owner-full-control upload rule,
through a real server with boto3.

- RestrictPublicBuckets (PublicAccessBlockConfiguration, S3 API reference): "Setting this
  element to TRUE restricts access to this bucket to only AWS service principals and
  authorized users within this account if the bucket has a public policy. [...] public and
  cross-account access within any public bucket policy, including non-public delegation to
  specific accounts, is blocked."
- "Examples of Amazon S3 bucket policies", granting cross-account permissions to upload
  objects while ensuring the bucket owner has full control: a Condition on s3:x-amz-acl
  "bucket-owner-full-control" (a condition key of s3:PutObject in the Service
  Authorization Reference for Amazon S3).
"""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError
from e2e_harness import A, B, Server, _client

BUCKET = "open-data"


def _code(raised: pytest.ExceptionInfo[ClientError]) -> tuple[str, int]:
    response: dict[str, Any] = raised.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]


def _user(server: Server, root: dict[str, str], name: str, statements: list[dict[str, Any]]) -> Any:
    iam = _client(server, "iam", root)
    iam.create_user(UserName=name)
    if statements:
        document = json.dumps({"Version": "2012-10-17", "Statement": statements})
        iam.put_user_policy(UserName=name, PolicyName="s3", PolicyDocument=document)
    return _client(server, "s3", iam.create_access_key(UserName=name)["AccessKey"])


def test_restrict_public_buckets_keeps_a_public_policy_to_the_owners_account(server: Server) -> None:
    root_a, root_b = server.create_account(A), server.create_account(B)
    s3_a = _client(server, "s3", root_a)
    s3_a.create_bucket(Bucket=BUCKET)
    s3_a.put_object(Bucket=BUCKET, Key="data.csv", Body=b"x,y\n")
    # A public policy needs BlockPublicPolicy off; RestrictPublicBuckets stays on.
    flags = {"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": False}
    s3_a.put_public_access_block(Bucket=BUCKET, PublicAccessBlockConfiguration={**flags, "RestrictPublicBuckets": True})
    public_read = {
        "Effect": "Allow",
        "Principal": "*",
        "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{BUCKET}/*",
    }
    s3_a.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps({"Version": "2012-10-17", "Statement": [public_read]}))
    assert s3_a.get_bucket_policy_status(Bucket=BUCKET)["PolicyStatus"]["IsPublic"] is True

    anonymous = boto3.session.Session(region_name="us-east-1").client(
        "s3", endpoint_url=server.url, config=Config(signature_version=UNSIGNED)
    )
    reader_b = _user(server, root_b, "reader", [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}])
    in_owner_account = _user(server, root_a, "carol", [])  # no identity policy: the bucket policy grants
    with pytest.raises(ClientError) as blocked:
        anonymous.get_object(Bucket=BUCKET, Key="data.csv")
    assert _code(blocked) == ("AccessDenied", 403)
    with pytest.raises(ClientError) as cross_account:
        reader_b.get_object(Bucket=BUCKET, Key="data.csv")
    assert _code(cross_account) == ("AccessDenied", 403)
    assert in_owner_account.get_object(Bucket=BUCKET, Key="data.csv")["Body"].read() == b"x,y\n"

    s3_a.put_public_access_block(
        Bucket=BUCKET, PublicAccessBlockConfiguration={**flags, "RestrictPublicBuckets": False}
    )
    assert anonymous.get_object(Bucket=BUCKET, Key="data.csv")["Body"].read() == b"x,y\n"
    assert reader_b.get_object(Bucket=BUCKET, Key="data.csv")["Body"].read() == b"x,y\n"


def test_a_non_public_grant_to_another_account_is_not_restricted(server: Server) -> None:
    # Only a bucket with a public policy is restricted: naming account B is not public
    # ("The meaning of public": a fixed AWS principal), so B's reader keeps its access.
    root_a, root_b = server.create_account(A), server.create_account(B)
    s3_a = _client(server, "s3", root_a)
    s3_a.create_bucket(Bucket=BUCKET)  # Block Public Access all on, as AWS creates buckets
    s3_a.put_object(Bucket=BUCKET, Key="data.csv", Body=b"x,y\n")
    grant_b = {
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{B}:root"},
        "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{BUCKET}/*",
    }
    s3_a.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps({"Version": "2012-10-17", "Statement": [grant_b]}))
    reader_b = _user(server, root_b, "reader", [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}])
    assert reader_b.get_object(Bucket=BUCKET, Key="data.csv")["Body"].read() == b"x,y\n"


def test_cross_account_uploads_must_give_the_bucket_owner_full_control(server: Server) -> None:
    root_a, root_b = server.create_account(A), server.create_account(B)
    s3_a = _client(server, "s3", root_a)
    s3_a.create_bucket(Bucket="uploads")
    writer_b = _user(server, root_b, "writer", [{"Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"}])
    upload = {
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{B}:user/writer"},
        "Action": "s3:PutObject",
        "Resource": "arn:aws:s3:::uploads/*",
        "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}},
    }
    s3_a.put_bucket_policy(Bucket="uploads", Policy=json.dumps({"Version": "2012-10-17", "Statement": [upload]}))
    with pytest.raises(ClientError) as without_acl:
        writer_b.put_object(Bucket="uploads", Key="in.txt", Body=b"1")
    assert _code(without_acl) == ("AccessDenied", 403)
    writer_b.put_object(Bucket="uploads", Key="in.txt", Body=b"1", ACL="bucket-owner-full-control")
    assert s3_a.get_object(Bucket="uploads", Key="in.txt")["Body"].read() == b"1"


def test_a_bucket_policy_can_require_server_side_encryption_headers(server: Server) -> None:
    # "Examples of Amazon S3 bucket policies", requiring encryption: deny s3:PutObject when
    # s3:x-amz-server-side-encryption is not AES256 (a condition key of s3:PutObject in the
    # Service Authorization Reference). A negated operator matches a request without the
    # key ("IAM JSON policy elements: Condition operators"), so the bare upload is denied.
    root_a = server.create_account(A)
    s3_a = _client(server, "s3", root_a)
    s3_a.create_bucket(Bucket="encrypted")
    deny = {
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:PutObject",
        "Resource": "arn:aws:s3:::encrypted/*",
        "Condition": {"StringNotEquals": {"s3:x-amz-server-side-encryption": "AES256"}},
    }
    s3_a.put_bucket_policy(Bucket="encrypted", Policy=json.dumps({"Version": "2012-10-17", "Statement": [deny]}))
    writer = _user(server, root_a, "writer", [{"Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"}])
    with pytest.raises(ClientError) as bare:
        writer.put_object(Bucket="encrypted", Key="a.txt", Body=b"1")
    assert _code(bare) == ("AccessDenied", 403)
    assert "with an explicit deny in a resource-based policy" in bare.value.response["Error"]["Message"]
    writer.put_object(Bucket="encrypted", Key="a.txt", Body=b"1", ServerSideEncryption="AES256")

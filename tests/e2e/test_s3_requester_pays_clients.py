"""Requester Pays buckets across accounts, with boto3 and the AWS CLI against a real server.

AWS pages (S3 User Guide): "Using Requester Pays general purpose buckets for storage
transfers and usage" ("If you enable Requester Pays on a general purpose bucket, anonymous
access to that bucket is not allowed"; "When the requester assumes an IAM role ... the
account to which the role belongs is charged") and "Downloading objects from Requester
Pays buckets" ("For DELETE, GET, HEAD, POST, and PUT requests, include x-amz-request-payer :
requester in the header"; "For signed URLs, include x-amz-request-payer=requester in the
request"; "If the request succeeds and the requester is charged, the response includes the
header x-amz-request-charged:requester. If x-amz-request-payer is not in the request,
Amazon S3 returns a 403 error"; "Bucket owners do not need to add x-amz-request-payer to
their requests"). PutBucketRequestPayment / GetBucketRequestPayment (S3 API Reference):
Payer is Requester or BucketOwner.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError
from e2e_harness import A, B, Server, _client, aws_cli

from shared_boto import shared_client

BUCKET = "shared-dataset"


def _status(call: object) -> tuple[int, str]:
    try:
        call()  # type: ignore[operator]
    except ClientError as error:
        return error.response["ResponseMetadata"]["HTTPStatusCode"], error.response["Error"]["Code"]
    return 200, ""


def _shared_bucket(server: Server) -> tuple[object, object, dict[str, str]]:
    """A's Requester Pays bucket, readable and writable by account B (bucket policy) and
    readable by anyone; B's root keys."""
    root_a, root_b = server.create_account(A), server.create_account(B)
    s3_a = _client(server, "s3", root_a)
    s3_a.create_bucket(Bucket=BUCKET)
    s3_a.put_object(Bucket=BUCKET, Key="data.csv", Body=b"x,y\n")
    s3_a.put_public_access_block(
        Bucket=BUCKET,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": False,
            "IgnorePublicAcls": False,
            "BlockPublicPolicy": False,
            "RestrictPublicBuckets": False,
        },
    )
    statements = [
        {
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{B}:root"},
            "Action": ["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
            "Resource": [f"arn:aws:s3:::{BUCKET}", f"arn:aws:s3:::{BUCKET}/*"],
        },
        {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{BUCKET}/*"},
    ]
    s3_a.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps({"Version": "2012-10-17", "Statement": statements}))
    s3_a.put_bucket_request_payment(Bucket=BUCKET, RequestPaymentConfiguration={"Payer": "Requester"})
    return s3_a, _client(server, "s3", root_b), root_b


def test_another_account_says_it_pays_or_is_refused_and_the_owner_never_needs_to(server: Server) -> None:
    s3_a, s3_b, _ = _shared_bucket(server)
    assert s3_a.get_bucket_request_payment(Bucket=BUCKET)["Payer"] == "Requester"

    # Account B without x-amz-request-payer: 403 for reads, listings and writes alike.
    assert _status(lambda: s3_b.get_object(Bucket=BUCKET, Key="data.csv")) == (403, "AccessDenied")
    assert _status(lambda: s3_b.list_objects_v2(Bucket=BUCKET)) == (403, "AccessDenied")
    assert _status(lambda: s3_b.put_object(Bucket=BUCKET, Key="b.csv", Body=b"1")) == (403, "AccessDenied")
    assert _status(lambda: s3_b.head_object(Bucket=BUCKET, Key="data.csv"))[0] == 403

    # With it: allowed, and the answer says the requester was charged.
    got = s3_b.get_object(Bucket=BUCKET, Key="data.csv", RequestPayer="requester")
    assert got["Body"].read() == b"x,y\n"
    assert got["RequestCharged"] == "requester"
    listed = s3_b.list_objects_v2(Bucket=BUCKET, RequestPayer="requester")
    assert [o["Key"] for o in listed["Contents"]] == ["data.csv"]
    assert listed["RequestCharged"] == "requester"
    put = s3_b.put_object(Bucket=BUCKET, Key="b.csv", Body=b"1", RequestPayer="requester")
    assert put["RequestCharged"] == "requester"

    # The owner's account (its root, and its IAM users) needs no header and is not "charged".
    owned = s3_a.get_object(Bucket=BUCKET, Key="data.csv")
    assert "RequestCharged" not in owned
    assert s3_a.list_objects_v2(Bucket=BUCKET)["KeyCount"] == 2

    # The header does not stand in for a permission: B may not delete.
    assert _status(lambda: s3_b.delete_object(Bucket=BUCKET, Key="b.csv", RequestPayer="requester")) == (
        403,
        "AccessDenied",
    )


def test_anonymous_access_is_refused_even_where_the_bucket_policy_allows_it(server: Server) -> None:
    s3_a, _, _ = _shared_bucket(server)
    anonymous = shared_client("s3", endpoint_url=server.url, config=Config(signature_version=UNSIGNED))
    assert _status(lambda: anonymous.get_object(Bucket=BUCKET, Key="data.csv", RequestPayer="requester")) == (
        403,
        "AccessDenied",
    )
    # Back to BucketOwner: the public read of the same policy works again, and B needs no header.
    s3_a.put_bucket_request_payment(Bucket=BUCKET, RequestPaymentConfiguration={"Payer": "BucketOwner"})
    assert s3_a.get_bucket_request_payment(Bucket=BUCKET)["Payer"] == "BucketOwner"
    assert anonymous.get_object(Bucket=BUCKET, Key="data.csv")["Body"].read() == b"x,y\n"


def test_a_presigned_url_carries_the_payer_in_its_query(server: Server) -> None:
    _, s3_b, _ = _shared_bucket(server)
    refused = s3_b.generate_presigned_url("get_object", Params={"Bucket": BUCKET, "Key": "data.csv"})
    with pytest.raises(urllib.error.HTTPError) as denied:
        urllib.request.urlopen(refused, timeout=10)
    assert denied.value.code == 403
    denied.value.close()
    paid = s3_b.generate_presigned_url(
        "get_object", Params={"Bucket": BUCKET, "Key": "data.csv", "RequestPayer": "requester"}
    )
    assert "x-amz-request-payer=requester" in paid
    with urllib.request.urlopen(paid, timeout=10) as answer:
        assert answer.read() == b"x,y\n"
        assert answer.headers["x-amz-request-charged"] == "requester"


def test_a_copy_from_a_requester_pays_source_needs_the_header_too(server: Server) -> None:
    _, s3_b, _ = _shared_bucket(server)
    s3_b.create_bucket(Bucket="b-own-bucket")
    source = {"Bucket": BUCKET, "Key": "data.csv"}
    assert _status(lambda: s3_b.copy_object(Bucket="b-own-bucket", Key="copy.csv", CopySource=source)) == (
        403,
        "AccessDenied",
    )
    s3_b.copy_object(Bucket="b-own-bucket", Key="copy.csv", CopySource=source, RequestPayer="requester")
    assert s3_b.get_object(Bucket="b-own-bucket", Key="copy.csv")["Body"].read() == b"x,y\n"


def test_payer_other_than_requester_or_bucket_owner_is_malformed_xml(server: Server) -> None:
    s3_a, s3_b, _ = _shared_bucket(server)
    assert _status(
        lambda: s3_a.put_bucket_request_payment(Bucket=BUCKET, RequestPaymentConfiguration={"Payer": "Nobody"})
    ) == (400, "MalformedXML")
    assert s3_a.get_bucket_request_payment(Bucket=BUCKET)["Payer"] == "Requester"  # unchanged
    # Setting it is the bucket's s3:PutBucketRequestPayment, which B's grant does not give.
    assert _status(
        lambda: s3_b.put_bucket_request_payment(Bucket=BUCKET, RequestPaymentConfiguration={"Payer": "BucketOwner"})
    ) == (403, "AccessDenied")


def test_the_aws_cli_lists_and_copies_with_request_payer(server: Server, tmp_path: Path) -> None:
    _, _, root_b = _shared_bucket(server)
    refused = aws_cli(server, tmp_path, root_b, "s3", "ls", f"s3://{BUCKET}/")
    assert refused.returncode != 0 and "AccessDenied" in refused.stderr
    listed = aws_cli(server, tmp_path, root_b, "s3", "ls", f"s3://{BUCKET}/", "--request-payer", "requester")
    assert listed.returncode == 0, listed.stderr
    assert "data.csv" in listed.stdout
    target = tmp_path / "data.csv"
    copied = aws_cli(
        server, tmp_path, root_b, "s3", "cp", f"s3://{BUCKET}/data.csv", str(target), "--request-payer", "requester"
    )
    assert copied.returncode == 0, copied.stderr
    assert target.read_bytes() == b"x,y\n"

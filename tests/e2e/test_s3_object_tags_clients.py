"""S3 object tags and the condition keys on them, through a real server with boto3.

"Tagging and access control policies" (S3 User Guide): s3:ExistingObjectTag/<tag-key>
"verify[ies] that an existing object tag has the specific tag key and value" (its example 1:
read only objects tagged environment: production); s3:RequestObjectTagKeys and
s3:RequestObjectTag/<tag-key> restrict the tags PutObject and PutObjectTagging may add. The
Service Authorization Reference for Amazon S3 lists s3:ExistingObjectTag/<key> under
s3:GetObject, s3:GetObjectTagging, s3:PutObjectTagging and s3:DeleteObjectTagging, and the
request keys under s3:PutObject and s3:PutObjectTagging.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError
from e2e_harness import A, B, Server, _client

BUCKET = "tagged-data"


def _code(raised: pytest.ExceptionInfo[ClientError]) -> tuple[str, int]:
    response: dict[str, Any] = raised.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]


def test_object_tags_and_their_condition_keys(server: Server) -> None:
    root_a, root_b = server.create_account(A), server.create_account(B)
    s3_a = _client(server, "s3", root_a)
    s3_a.create_bucket(Bucket=BUCKET)
    s3_a.put_object(Bucket=BUCKET, Key="prod.csv", Body=b"1", Tagging="environment=production&team=data")
    s3_a.put_object(Bucket=BUCKET, Key="dev.csv", Body=b"2", Tagging="environment=dev")
    s3_a.put_object(Bucket=BUCKET, Key="none.csv", Body=b"3")

    # The operations, as boto3 sends and parses them.
    tags = s3_a.get_object_tagging(Bucket=BUCKET, Key="prod.csv")["TagSet"]
    assert tags == [{"Key": "environment", "Value": "production"}, {"Key": "team", "Value": "data"}]
    assert s3_a.get_object(Bucket=BUCKET, Key="prod.csv")["TagCount"] == 2
    assert s3_a.head_object(Bucket=BUCKET, Key="prod.csv")["TagCount"] == 2
    assert "TagCount" not in s3_a.get_object(Bucket=BUCKET, Key="none.csv")
    assert s3_a.get_object_tagging(Bucket=BUCKET, Key="none.csv")["TagSet"] == []
    s3_a.put_object_tagging(Bucket=BUCKET, Key="none.csv", Tagging={"TagSet": [{"Key": "k", "Value": "v"}]})
    deleted = s3_a.delete_object_tagging(Bucket=BUCKET, Key="none.csv")
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(ClientError) as raised:
        s3_a.put_object_tagging(
            Bucket=BUCKET, Key="none.csv", Tagging={"TagSet": [{"Key": f"k{i}", "Value": "v"} for i in range(11)]}
        )
    assert _code(raised) == ("BadRequest", 400)
    s3_a.copy_object(Bucket=BUCKET, Key="copy.csv", CopySource={"Bucket": BUCKET, "Key": "dev.csv"})
    assert s3_a.get_object_tagging(Bucket=BUCKET, Key="copy.csv")["TagSet"] == [{"Key": "environment", "Value": "dev"}]

    # Example 1 of the user guide, as a bucket policy for a user of account B: read only
    # objects tagged environment=production.
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{B}:user/reader"},
                "Action": ["s3:GetObject", "s3:GetObjectTagging"],
                "Resource": f"arn:aws:s3:::{BUCKET}/*",
                "Condition": {"StringEquals": {"s3:ExistingObjectTag/environment": "production"}},
            },
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{B}:user/reader"},
                # PutObject with x-amz-tagging also needs s3:PutObjectTagging (PutObject, Permissions).
                "Action": ["s3:PutObject", "s3:PutObjectTagging"],
                "Resource": f"arn:aws:s3:::{BUCKET}/uploads/*",
                "Condition": {
                    "StringEquals": {"s3:RequestObjectTag/environment": "production"},
                    "ForAllValues:StringEquals": {"s3:RequestObjectTagKeys": ["environment", "owner"]},
                },
            },
        ],
    }
    iam_b = _client(server, "iam", root_b)
    iam_b.create_user(UserName="reader")  # first: S3 refuses a principal that does not exist
    s3_a.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(policy))
    everything = {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}
    iam_b.put_user_policy(
        UserName="reader",
        PolicyName="s3",
        PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [everything]}),
    )
    reader = _client(server, "s3", iam_b.create_access_key(UserName="reader")["AccessKey"])

    assert reader.get_object(Bucket=BUCKET, Key="prod.csv")["Body"].read() == b"1"
    assert reader.get_object(Bucket=BUCKET, Key="prod.csv")["TagCount"] == 2
    assert len(reader.get_object_tagging(Bucket=BUCKET, Key="prod.csv")["TagSet"]) == 2
    for key in ("dev.csv", "none.csv"):
        with pytest.raises(ClientError) as raised:
            reader.get_object(Bucket=BUCKET, Key=key)
        assert _code(raised) == ("AccessDenied", 403)

    # PutObject allowed only with the request's tags the policy names.
    reader.put_object(Bucket=BUCKET, Key="uploads/ok.csv", Body=b"x", Tagging="environment=production&owner=bob")
    for tagging in ("environment=dev", "environment=production&other=1", ""):
        with pytest.raises(ClientError) as raised:
            reader.put_object(Bucket=BUCKET, Key="uploads/no.csv", Body=b"x", Tagging=tagging)
        assert _code(raised) == ("AccessDenied", 403)
    # Once the owner retags an object, what it reads follows the new tags.
    s3_a.put_object_tagging(
        Bucket=BUCKET, Key="dev.csv", Tagging={"TagSet": [{"Key": "environment", "Value": "production"}]}
    )
    assert reader.get_object(Bucket=BUCKET, Key="dev.csv")["Body"].read() == b"2"

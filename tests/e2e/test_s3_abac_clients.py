"""Bucket tags in authorization only with ABAC enabled (PutBucketAbac / GetBucketAbac),
with boto3 against a real server.

AWS pages: "Enabling ABAC in general purpose buckets" (S3 User Guide): "By default, ABAC is
disabled for all Amazon S3 general purpose buckets. To use ABAC for general purpose buckets,
you must enable it." AbacStatus (S3 API reference): "When ABAC is disabled for the general
purpose buckets, you can only use tags for cost tracking purposes." GetBucketAbac answers
<AbacStatus><Status>Enabled | Disabled</Status></AbacStatus>.
"""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError
from e2e_harness import A, Server, _client


def test_bucket_tags_count_for_aws_resource_tag_only_with_abac_enabled(server: Server) -> None:
    root = server.create_account(A)
    s3_root = _client(server, "s3", root)
    s3_root.create_bucket(Bucket="abac-bucket")
    s3_root.put_bucket_tagging(Bucket="abac-bucket", Tagging={"TagSet": [{"Key": "env", "Value": "dev"}]})
    iam = _client(server, "iam", root)
    iam.create_user(UserName="dev")
    by_tag = {
        "Effect": "Allow",
        "Action": "s3:ListBucket",
        "Resource": "*",
        "Condition": {"StringEquals": {"aws:ResourceTag/env": "dev"}},
    }
    iam.put_user_policy(
        UserName="dev", PolicyName="by-tag", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [by_tag]})
    )
    s3 = _client(server, "s3", iam.create_access_key(UserName="dev")["AccessKey"])

    assert s3_root.get_bucket_abac(Bucket="abac-bucket")["AbacStatus"] == {"Status": "Disabled"}
    with pytest.raises(ClientError) as refused:
        s3.list_objects_v2(Bucket="abac-bucket")
    assert refused.value.response["Error"]["Code"] == "AccessDenied"

    s3_root.put_bucket_abac(Bucket="abac-bucket", AbacStatus={"Status": "Enabled"})
    assert s3_root.get_bucket_abac(Bucket="abac-bucket")["AbacStatus"] == {"Status": "Enabled"}
    assert s3.list_objects_v2(Bucket="abac-bucket")["KeyCount"] == 0

    s3_root.put_bucket_abac(Bucket="abac-bucket", AbacStatus={"Status": "Disabled"})
    with pytest.raises(ClientError):
        s3.list_objects_v2(Bucket="abac-bucket")
    # Reading or changing the status is the bucket's s3:GetBucketAbac / s3:PutBucketAbac.
    with pytest.raises(ClientError) as denied:
        s3.get_bucket_abac(Bucket="abac-bucket")
    assert "s3:GetBucketAbac" in denied.value.response["Error"]["Message"]

"""s3:ExistingObjectTag/<key> reads the tags of the version a request names.

AWS pages: GetObjectTagging ("By default, the GET action returns information about
current version of an object. ... To retrieve tags of any other version, use the versionId
query parameter"): tags belong to a version; the Service Authorization Reference lists
s3:ExistingObjectTag/<key> for s3:GetObjectVersion.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from botocore.exceptions import ClientError
from inprocess_harness import client, open_app, root_keys, user_keys

A = "111111111111"


def test_an_old_secret_version_stays_protected(tmp_path: Path) -> None:
    app = open_app(tmp_path, A)
    owner = client(app, "s3", root_keys(app, A))
    owner.create_bucket(Bucket="bkt")
    owner.put_bucket_versioning(Bucket="bkt", VersioningConfiguration={"Status": "Enabled"})
    secret = owner.put_object(Bucket="bkt", Key="k", Body=b"SECRET", Tagging="class=secret")["VersionId"]
    keys = user_keys(app, A, "mallory")
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": ["s3:GetObject*", "s3:PutObject"], "Resource": "arn:aws:s3:::bkt/*"},
            {
                "Effect": "Deny",
                "Action": ["s3:GetObject", "s3:GetObjectVersion"],
                "Resource": "arn:aws:s3:::bkt/*",
                "Condition": {"StringEquals": {"s3:ExistingObjectTag/class": "secret"}},
            },
        ],
    }
    client(app, "iam", root_keys(app, A)).put_user_policy(
        UserName="mallory", PolicyName="p", PolicyDocument=json.dumps(policy)
    )
    mallory = client(app, "s3", keys)
    mallory.put_object(Bucket="bkt", Key="k", Body=b"public")  # a newer, untagged version
    assert mallory.head_object(Bucket="bkt", Key="k")["ContentLength"] == len(b"public")
    with pytest.raises(ClientError) as denied:
        mallory.head_object(Bucket="bkt", Key="k", VersionId=secret)
    assert denied.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403

"""Only the bucket owner's account may read or write its bucket policy, whatever the
policies grant.

AWS pages: PutBucketPolicy, GetBucketPolicy and DeleteBucketPolicy (S3 API Reference):
"If you have the correct permissions, but you're not using an identity that belongs to
the bucket owner's account, Amazon S3 returns a 405 Method Not Allowed error."
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from inprocess_harness import client, open_app, root_keys, user_keys

A = "111111111111"
B = "222222222222"


def _refusal(call: Any, **params: Any) -> tuple[str, int]:
    with pytest.raises(ClientError) as caught:
        call(**params)
    return caught.value.response["Error"]["Code"], caught.value.response["ResponseMetadata"]["HTTPStatusCode"]


def test_another_account_is_refused_with_405_even_when_allowed(tmp_path: Path) -> None:
    app = open_app(tmp_path, A, B)
    owner = client(app, "s3", root_keys(app, A))
    owner.create_bucket(Bucket="bkt")
    bob_keys = user_keys(app, B, "bob")
    everything = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
    client(app, "iam", root_keys(app, B)).put_user_policy(
        UserName="bob", PolicyName="all", PolicyDocument=json.dumps(everything)
    )
    grant = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{B}:user/bob"},
                "Action": ["s3:GetBucketPolicy", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy"],
                "Resource": "arn:aws:s3:::bkt",
            }
        ],
    }
    owner.put_bucket_policy(Bucket="bkt", Policy=json.dumps(grant))
    bob = client(app, "s3", bob_keys)
    assert _refusal(bob.get_bucket_policy, Bucket="bkt") == ("MethodNotAllowed", 405)
    assert _refusal(bob.put_bucket_policy, Bucket="bkt", Policy=json.dumps(grant)) == ("MethodNotAllowed", 405)
    assert _refusal(bob.delete_bucket_policy, Bucket="bkt") == ("MethodNotAllowed", 405)
    assert json.loads(owner.get_bucket_policy(Bucket="bkt")["Policy"]) == grant  # untouched

    # Without the grant, the same caller is refused by authorization first.
    owner.delete_bucket_policy(Bucket="bkt")
    assert _refusal(bob.get_bucket_policy, Bucket="bkt") == ("AccessDenied", 403)

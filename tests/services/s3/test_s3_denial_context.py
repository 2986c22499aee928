"""Which S3 denials carry the added context ("User: ... is not authorized to perform: ...
because ...") and which say only "Access Denied".

AWS page: S3 User Guide, "Troubleshoot access denied (403 Forbidden) errors in Amazon S3",
"Access denied message examples and how to troubleshoot them": "Amazon S3 now includes
additional context in access denied (HTTP 403 Forbidden) errors for requests made to
resources within the same AWS account or same organization in AWS Organizations". There
are no organizations here, so another account's caller and the anonymous hear "Access
Denied"; a role session in the bucket's account (the reference workflow's) is in the same
account and hears the context.
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


def _message(call: Any, **params: Any) -> str:
    with pytest.raises(ClientError) as caught:
        call(**params)
    assert caught.value.response["Error"]["Code"] == "AccessDenied"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    message: str = caught.value.response["Error"]["Message"]
    return message


def test_context_only_within_the_account(tmp_path: Path) -> None:
    app = open_app(tmp_path, A, B)
    owner = client(app, "s3", root_keys(app, A))
    owner.create_bucket(Bucket="bkt")
    owner.put_object(Bucket="bkt", Key="k", Body=b"x")
    bob = client(app, "s3", user_keys(app, B, "bob"))  # before the policy: it names an existing user
    owner.put_bucket_policy(
        Bucket="bkt",
        Policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Deny",
                        "Principal": {"AWS": f"arn:aws:iam::{B}:user/bob"},
                        "Action": "s3:GetObject",
                        "Resource": "arn:aws:s3:::bkt/*",
                    }
                ],
            }
        ),
    )
    same_account = client(app, "s3", user_keys(app, A, "alice"))
    assert _message(same_account.get_object, Bucket="bkt", Key="k") == (
        f"User: arn:aws:iam::{A}:user/alice is not authorized to perform: s3:GetObject on resource: "
        '"arn:aws:s3:::bkt/k" because no identity-based policy allows the s3:GetObject action'
    )
    assert _message(bob.get_object, Bucket="bkt", Key="k") == "Access Denied"  # an explicit deny
    assert _message(client(app, "s3", user_keys(app, B, "carol")).put_object, Bucket="bkt", Key="k2") == "Access Denied"
    assert _message(client(app, "s3").get_object, Bucket="bkt", Key="k") == "Access Denied"  # anonymous
    assert _message(client(app, "s3").list_objects_v2, Bucket="bkt") == "Access Denied"


def test_a_role_session_in_the_buckets_account_hears_the_context(tmp_path: Path) -> None:
    app = open_app(tmp_path, A, B)
    client(app, "s3", root_keys(app, A)).create_bucket(Bucket="bkt")
    iam_a = client(app, "iam", root_keys(app, A))
    trust = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{B}:root"}, "Action": "sts:AssumeRole"}],
    }
    iam_a.create_role(RoleName="reader", AssumeRolePolicyDocument=json.dumps(trust))
    iam_a.attach_role_policy(RoleName="reader", PolicyArn="arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")
    alice = user_keys(app, B, "alice")
    assume = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]}
    client(app, "iam", root_keys(app, B)).put_user_policy(
        UserName="alice", PolicyName="assume", PolicyDocument=json.dumps(assume)
    )
    credentials = client(app, "sts", alice).assume_role(
        RoleArn=f"arn:aws:iam::{A}:role/reader", RoleSessionName="alice"
    )["Credentials"]
    keys = {"aws_access_key_id": credentials["AccessKeyId"], "aws_secret_access_key": credentials["SecretAccessKey"]}
    session = client(app, "s3", keys, credentials["SessionToken"])
    assert _message(session.put_object, Bucket="bkt", Key="k", Body=b"x") == (
        f"User: arn:aws:sts::{A}:assumed-role/reader/alice is not authorized to perform: s3:PutObject on resource: "
        '"arn:aws:s3:::bkt/k" because no identity-based policy allows the s3:PutObject action'
    )


def test_list_buckets_names_no_resource(tmp_path: Path) -> None:
    # s3:ListAllMyBuckets acts on no resource, and AWS's message names none: `aws s3 ls`
    # without the permission prints "User: arn:aws:iam::123456789012:user/name is not
    # authorized to perform: s3:ListAllMyBuckets because no identity-based policy allows the
    # s3:ListAllMyBuckets action" (the form in "Troubleshoot access denied error messages",
    # IAM User Guide, without its "on resource" part).
    app = open_app(tmp_path, A)
    alice = client(app, "s3", user_keys(app, A, "alice"))
    assert _message(alice.list_buckets) == (
        f"User: arn:aws:iam::{A}:user/alice is not authorized to perform: s3:ListAllMyBuckets"
        " because no identity-based policy allows the s3:ListAllMyBuckets action"
    )

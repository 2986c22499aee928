"""Principal forms in bucket and trust policies, and what CreateBucket's settings need.

AWS pages:
- "Principals" (S3 User Guide): "Amazon S3 also supports a canonical user ID ...
  "Principal":{"CanonicalUser":"64-digit-alphanumeric-value"} ... both of these IDs identify
  the same account": a CanonicalUser principal names the account, in an Allow and a Deny.
- "AWS JSON policy elements: Principal" (IAM User Guide): "You cannot identify a user group
  as a principal in a policy (such as a resource-based policy) because groups relate to
  permissions, not authentication"; IAM's answer for a trust policy, recorded in
  aws/aws-cdk#11505: MalformedPolicyDocument 'Invalid principal in policy:
  "AWS":"arn:aws:iam::12345:group/exampleGroup"'.
- CreateBucket (S3 API Reference), Permissions: the x-amz-object-ownership header needs
  s3:PutBucketOwnershipControls; an ACL other than private (or explicit grants) needs
  s3:PutBucketAcl.
- CreateBucketConfiguration, Tags (S3 API Reference): "You must have the s3:TagResource
  permission to create a general purpose bucket with tags"; the Service Authorization
  Reference lists aws:RequestTag/${TagKey} and aws:TagKeys among s3:CreateBucket's keys.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from inprocess_harness import client, open_app, root_keys, user_keys

A, B = "111111111111", "222222222222"
BUCKET = "canonical-bucket"


def _code(call: Any, **params: Any) -> str:
    with pytest.raises(ClientError) as refused:
        call(**params)
    return str(refused.value.response["Error"]["Code"])


def _admin(app: Any, account: str, name: str) -> Any:
    keys = user_keys(app, account, name)
    everything = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    client(app, "iam", root_keys(app, account)).put_user_policy(
        UserName=name, PolicyName="all", PolicyDocument=json.dumps(everything)
    )
    return client(app, "s3", keys)


def test_a_canonical_user_principal_names_its_account_in_allows_and_denies(tmp_path: Path) -> None:
    app = open_app(tmp_path, A, B)
    s3_a = client(app, "s3", root_keys(app, A))
    s3_a.create_bucket(Bucket=BUCKET)
    s3_a.put_object(Bucket=BUCKET, Key="k", Body=b"x")
    admin_b = _admin(app, B, "admin-b")
    canonical_b = admin_b.list_buckets()["Owner"]["ID"]
    grant = {
        "Effect": "Allow",
        "Principal": {"CanonicalUser": canonical_b},
        "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{BUCKET}/*",
    }
    s3_a.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps({"Version": "2012-10-17", "Statement": [grant]}))
    assert admin_b.get_object(Bucket=BUCKET, Key="k")["ContentLength"] == 1

    admin_a = _admin(app, A, "admin-a")
    canonical_a = s3_a.list_buckets()["Owner"]["ID"]
    deny = {**grant, "Effect": "Deny", "Principal": {"CanonicalUser": [canonical_a, canonical_b]}}
    s3_a.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps({"Version": "2012-10-17", "Statement": [grant, deny]}))
    assert _code(admin_b.get_object, Bucket=BUCKET, Key="k") == "AccessDenied"
    assert _code(admin_a.get_object, Bucket=BUCKET, Key="k") == "AccessDenied"


def test_a_group_is_no_principal(tmp_path: Path) -> None:
    app = open_app(tmp_path, A, B)
    iam_b = client(app, "iam", root_keys(app, B))
    iam_b.create_group(GroupName="g")
    group = f"arn:aws:iam::{B}:group/g"
    trust = {"Effect": "Allow", "Principal": {"AWS": group}, "Action": "sts:AssumeRole"}
    with pytest.raises(ClientError) as refused:
        client(app, "iam", root_keys(app, A)).create_role(
            RoleName="r", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [trust]})
        )
    assert refused.value.response["Error"]["Code"] == "MalformedPolicyDocument"
    assert refused.value.response["Error"]["Message"] == f'Invalid principal in policy: "AWS":"{group}"'
    s3_a = client(app, "s3", root_keys(app, A))
    s3_a.create_bucket(Bucket=BUCKET)
    statement = {"Effect": "Allow", "Principal": {"AWS": group}, "Action": "s3:GetObject", "Resource": "*"}
    statement["Resource"] = f"arn:aws:s3:::{BUCKET}/*"
    policy = json.dumps({"Version": "2012-10-17", "Statement": [statement]})
    assert _code(s3_a.put_bucket_policy, Bucket=BUCKET, Policy=policy) == "MalformedPolicy"


def test_create_bucket_settings_need_their_own_permissions(tmp_path: Path) -> None:
    app = open_app(tmp_path, A)
    iam = client(app, "iam", root_keys(app, A))
    keys = user_keys(app, A, "creator")
    only_create = {"Effect": "Allow", "Action": "s3:CreateBucket", "Resource": "*"}
    iam.put_user_policy(
        UserName="creator",
        PolicyName="p",
        PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [only_create]}),
    )
    s3 = client(app, "s3", keys)
    assert _code(s3.create_bucket, Bucket="owned-1", ObjectOwnership="BucketOwnerEnforced") == "AccessDenied"
    s3.create_bucket(Bucket="plain-bucket")  # s3:CreateBucket alone, no header
    s3.create_bucket(Bucket="private-bucket", ACL="private")  # "if you set the ACL to private ... only"
    listing = client(app, "s3", root_keys(app, A)).list_buckets()["Buckets"]
    assert sorted(b["Name"] for b in listing) == ["plain-bucket", "private-bucket"]
    more = {"Effect": "Allow", "Action": "s3:PutBucketOwnershipControls", "Resource": "*"}
    iam.put_user_policy(
        UserName="creator",
        PolicyName="p",
        PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [only_create, more]}),
    )
    s3.create_bucket(Bucket="owned-1", ObjectOwnership="BucketOwnerEnforced")
    # Explicit grants need s3:PutBucketAcl too.
    own = f"id={client(app, 's3', root_keys(app, A)).list_buckets()['Owner']['ID']}"
    granted = {"Bucket": "owned-2", "ObjectOwnership": "BucketOwnerPreferred", "GrantFullControl": own}
    assert _code(s3.create_bucket, **granted) == "AccessDenied"
    acl = {"Effect": "Allow", "Action": "s3:PutBucketAcl", "Resource": "*"}
    iam.put_user_policy(
        UserName="creator",
        PolicyName="p",
        PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [only_create, more, acl]}),
    )
    s3.create_bucket(**granted)


def _policy(iam: Any, user: str, *statements: dict[str, Any]) -> None:
    document = json.dumps({"Version": "2012-10-17", "Statement": list(statements)})
    iam.put_user_policy(UserName=user, PolicyName="p", PolicyDocument=document)


def test_create_bucket_with_tags_keeps_them_and_needs_tag_resource(tmp_path: Path) -> None:
    app = open_app(tmp_path, A)
    iam = client(app, "iam", root_keys(app, A))
    s3 = client(app, "s3", user_keys(app, A, "creator"))
    tagged = {"Bucket": "tagged-bucket", "CreateBucketConfiguration": {"Tags": [{"Key": "team", "Value": "blue"}]}}
    create = {"Effect": "Allow", "Action": "s3:CreateBucket", "Resource": "*"}
    _policy(iam, "creator", create)
    with pytest.raises(ClientError) as refused:
        s3.create_bucket(**tagged)
    assert "s3:TagResource" in refused.value.response["Error"]["Message"]
    assert _code(client(app, "s3", root_keys(app, A)).head_bucket, Bucket="tagged-bucket") == "404"  # not made
    tag = {"Effect": "Allow", "Action": "s3:TagResource", "Resource": "*"}
    _policy(iam, "creator", create, tag)
    s3.create_bucket(**tagged)
    root = client(app, "s3", root_keys(app, A))
    assert root.get_bucket_tagging(Bucket="tagged-bucket")["TagSet"] == [{"Key": "team", "Value": "blue"}]
    # The request's tags are aws:RequestTag/* and aws:TagKeys of both checks.
    blue_only = {"StringEquals": {"aws:RequestTag/team": "blue"}}
    _policy(iam, "creator", {**create, "Condition": blue_only}, {**tag, "Condition": blue_only})
    s3.create_bucket(Bucket="blue-bucket", CreateBucketConfiguration={"Tags": [{"Key": "team", "Value": "blue"}]})
    red = {"Bucket": "red-bucket", "CreateBucketConfiguration": {"Tags": [{"Key": "team", "Value": "red"}]}}
    assert _code(s3.create_bucket, **red) == "AccessDenied"
    keys_only = {"ForAllValues:StringEquals": {"aws:TagKeys": ["team"]}}
    _policy(iam, "creator", create, {**tag, "Condition": keys_only})
    other = {"Bucket": "cost-bucket", "CreateBucketConfiguration": {"Tags": [{"Key": "cost", "Value": "1"}]}}
    assert _code(s3.create_bucket, **other) == "AccessDenied"
    # Tags are checked as PutBucketTagging checks them.
    twice = [{"Key": "team", "Value": "a"}, {"Key": "team", "Value": "b"}]
    dup = {"Bucket": "dup-bucket", "CreateBucketConfiguration": {"Tags": twice}}
    assert _code(root.create_bucket, **dup) == "InvalidTag"

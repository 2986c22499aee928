"""What a learner types, answered as AWS answers it (found by acceptance testing against a
live server with boto3).

- "Bucket owner granting cross-account bucket permissions" / CreateBucket (Amazon S3 API
  reference): a name another account holds is BucketAlreadyExists (409), and
  LocationConstraint "us-east-1" is InvalidLocationConstraint (400), not MalformedXML.
- PutBucketPolicy / DeleteBucketPolicy (Amazon S3 API reference): "the root principal in a
  bucket owner's AWS account can perform the GetBucketPolicy, PutBucketPolicy, and
  DeleteBucketPolicy API actions, even if their bucket policy explicitly denies the root
  principal's access"; a bucket-policy deny is reported "with an explicit deny in a
  resource-based policy", naming no policy.
- DeletePolicy (IAM API reference): a policy with versions besides the default one is a
  DeleteConflict until they are deleted.
- Conditional writes ("How to prevent object overwrites with conditional writes", S3 User
  Guide): PutObject with If-None-Match "*" on an existing key is 412 PreconditionFailed.
"""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError
from e2e_harness import A, B, Server, _client


def _error(raised: pytest.ExceptionInfo[ClientError]) -> tuple[str, str, int]:
    response = raised.value.response
    return response["Error"]["Code"], response["Error"]["Message"], response["ResponseMetadata"]["HTTPStatusCode"]


def test_create_bucket_errors_a_learner_meets(server: Server) -> None:
    root_a, root_b = server.create_account(A), server.create_account(B)
    s3_a, s3_b = _client(server, "s3", root_a), _client(server, "s3", root_b)
    s3_a.create_bucket(Bucket="taken-name")
    with pytest.raises(ClientError) as taken:
        s3_b.create_bucket(Bucket="taken-name")
    code, message, status = _error(taken)
    assert (code, status) == ("BucketAlreadyExists", 409)
    assert message.startswith("The requested bucket name is not available.")
    with pytest.raises(ClientError) as location:
        s3_b.create_bucket(Bucket="another-name", CreateBucketConfiguration={"LocationConstraint": "us-east-1"})
    assert _error(location) == ("InvalidLocationConstraint", "The specified location-constraint is not valid", 400)
    assert [b["Name"] for b in s3_b.list_buckets()["Buckets"]] == []


def test_bucket_owner_root_cannot_lock_itself_out(server: Server) -> None:
    root_a = server.create_account(A)
    s3_a = _client(server, "s3", root_a)
    s3_a.create_bucket(Bucket="locked")
    s3_a.put_object(Bucket="locked", Key="k", Body=b"x")
    deny_all = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": ["arn:aws:s3:::locked", "arn:aws:s3:::locked/*"],
            }
        ],
    }
    s3_a.put_bucket_policy(Bucket="locked", Policy=json.dumps(deny_all))
    with pytest.raises(ClientError) as denied:
        s3_a.get_object(Bucket="locked", Key="k")
    assert _error(denied) == (
        "AccessDenied",
        f'User: arn:aws:iam::{A}:root is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::locked/k"'
        " with an explicit deny in a resource-based policy",
        403,
    )
    assert json.loads(s3_a.get_bucket_policy(Bucket="locked")["Policy"]) == deny_all
    s3_a.delete_bucket_policy(Bucket="locked")
    assert s3_a.get_object(Bucket="locked", Key="k")["Body"].read() == b"x"


def test_delete_policy_with_versions_and_conditional_put(server: Server) -> None:
    root_a = server.create_account(A)
    iam = _client(server, "iam", root_a)
    document = json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"}]}
    )
    arn = iam.create_policy(PolicyName="versioned", PolicyDocument=document)["Policy"]["Arn"]
    iam.create_policy_version(PolicyArn=arn, PolicyDocument=document, SetAsDefault=True)
    with pytest.raises(ClientError) as conflict:
        iam.delete_policy(PolicyArn=arn)
    code, message, status = _error(conflict)
    assert (code, status) == ("DeleteConflict", 409) and message.startswith("This policy has more than one version.")
    iam.delete_policy_version(PolicyArn=arn, VersionId="v1")
    iam.delete_policy(PolicyArn=arn)

    s3 = _client(server, "s3", root_a)
    s3.create_bucket(Bucket="writes")
    s3.put_object(Bucket="writes", Key="once", Body=b"1", IfNoneMatch="*")
    with pytest.raises(ClientError) as exists:
        s3.put_object(Bucket="writes", Key="once", Body=b"2", IfNoneMatch="*")
    assert _error(exists)[0::2] == ("PreconditionFailed", 412)
    assert s3.get_object(Bucket="writes", Key="once")["Body"].read() == b"1"

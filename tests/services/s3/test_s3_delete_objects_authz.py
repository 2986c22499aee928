"""DeleteObjects is authorized for each key, through the whole request path.

AWS pages: DeleteObjects (S3 API reference): "the response includes the result of deletion
of each key in your request", a refused key is an Error with Code AccessDenied; "Required
permissions for Amazon S3 API operations" (S3 User Guide): DeleteObjects needs
s3:DeleteObject, whose resource is the object ("Actions, resources, and condition keys for
Amazon S3"), so the usual policy grants it on "arn:aws:s3:::bucket/*". A refused key's
message is the one a DeleteObject of it gets: within one account, "User: ... is not
authorized to perform: s3:DeleteObject on resource: "arn:aws:s3:::bucket/key" ..." (recorded
from AWS in moto's test_deny_delete_policy; "Troubleshoot access denied (403 Forbidden)
errors in Amazon S3": the added context for "requests made to resources within the same AWS
account"), and "Access Denied" for another account.
"""

from __future__ import annotations

import json
from pathlib import Path

from inprocess_harness import client, open_app, root_keys, user_keys

A = "111111111111"


def test_a_grant_on_the_buckets_objects_deletes_and_a_narrower_one_refuses_key_by_key(tmp_path: Path) -> None:
    app = open_app(tmp_path, A)
    root = root_keys(app, A)
    s3 = client(app, "s3", root)
    s3.create_bucket(Bucket="bkt-1")
    for key in ("tmp/a", "tmp/b", "keep/c"):
        s3.put_object(Bucket="bkt-1", Key=key, Body=b"x")
    keys = user_keys(app, A, "cleaner")
    policy = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:DeleteObject", "Resource": "arn:aws:s3:::bkt-1/tmp/*"}],
    }
    client(app, "iam", root).put_user_policy(UserName="cleaner", PolicyName="p", PolicyDocument=json.dumps(policy))
    objects = [{"Key": "tmp/a"}, {"Key": "tmp/b"}, {"Key": "keep/c"}]
    out = client(app, "s3", keys).delete_objects(Bucket="bkt-1", Delete={"Objects": objects})
    assert out["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert sorted(item["Key"] for item in out["Deleted"]) == ["tmp/a", "tmp/b"]
    assert out["Errors"] == [
        {
            "Key": "keep/c",
            "Code": "AccessDenied",
            "Message": "User: arn:aws:iam::111111111111:user/cleaner is not authorized to perform: s3:DeleteObject"
            ' on resource: "arn:aws:s3:::bkt-1/keep/c"'
            " because no identity-based policy allows the s3:DeleteObject action",
        }
    ]
    assert [item["Key"] for item in s3.list_objects_v2(Bucket="bkt-1")["Contents"]] == ["keep/c"]


def test_a_caller_without_any_grant_deletes_nothing(tmp_path: Path) -> None:
    app = open_app(tmp_path, A)
    root = root_keys(app, A)
    s3 = client(app, "s3", root)
    s3.create_bucket(Bucket="bkt-1")
    s3.put_object(Bucket="bkt-1", Key="k", Body=b"x")
    out = client(app, "s3", user_keys(app, A, "nobody")).delete_objects(
        Bucket="bkt-1", Delete={"Objects": [{"Key": "k"}]}
    )
    assert out["Errors"][0]["Message"].startswith("User: arn:aws:iam::111111111111:user/nobody is not authorized")
    assert "Deleted" not in out
    assert s3.list_objects_v2(Bucket="bkt-1")["KeyCount"] == 1


def test_another_accounts_refused_key_says_access_denied(tmp_path: Path) -> None:
    app = open_app(tmp_path, A, "222222222222")
    s3 = client(app, "s3", root_keys(app, A))
    s3.create_bucket(Bucket="bkt-1")
    s3.put_object(Bucket="bkt-1", Key="k", Body=b"x")
    out = client(app, "s3", root_keys(app, "222222222222")).delete_objects(
        Bucket="bkt-1", Delete={"Objects": [{"Key": "k"}]}
    )
    assert out["Errors"] == [{"Key": "k", "Code": "AccessDenied", "Message": "Access Denied"}]

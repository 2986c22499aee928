"""The resource s3:ListAllMyBuckets (ListBuckets) is checked against.

AWS pages: the Service Authorization Reference gives s3:ListAllMyBuckets no resource type,
yet AWS's guides grant it with ``"Resource": "arn:aws:s3:::*"`` and say it works: "The
AllowS3ListRead statement in this policy allows Carlos to view a list of all of the buckets
in the account" (IAM User Guide, "Policy evaluation logic", example identity-based and
resource-based policy evaluation, whose statement names ``arn:aws:s3:::*``); "The console
should now list all the buckets" (S3 User Guide, "Example 1: Bucket owner granting its
users bucket permissions", step 4.1, the same Resource). A Deny written the same way then
denies it too (the same matching for both effects: "Policy evaluation logic").
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from inprocess_harness import client, open_app, root_keys, user_keys

A = "111111111111"


def _user_s3(tmp_path: Path, *statements: dict[str, Any]) -> Any:
    app = open_app(tmp_path, A)
    client(app, "s3", root_keys(app, A)).create_bucket(Bucket="examplebucket")
    keys = user_keys(app, A, "carlos")
    policy = json.dumps({"Version": "2012-10-17", "Statement": list(statements)})
    client(app, "iam", root_keys(app, A)).put_user_policy(UserName="carlos", PolicyName="p", PolicyDocument=policy)
    return client(app, "s3", keys)


@pytest.mark.parametrize("resource", ["*", "arn:aws:s3:::*", ["arn:aws:s3:::*"], "arn:aws:s3:*:*:*"])
def test_list_all_my_buckets_is_granted_on_s3_arns_that_cover_every_bucket(tmp_path: Path, resource: Any) -> None:
    s3 = _user_s3(tmp_path, {"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": resource})
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["examplebucket"]


def test_one_buckets_arn_does_not_grant_the_listing(tmp_path: Path) -> None:
    s3 = _user_s3(tmp_path, {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::examplebucket"})
    with pytest.raises(ClientError) as denied:
        s3.list_buckets()
    assert denied.value.response["Error"]["Message"] == (
        f"User: arn:aws:iam::{A}:user/carlos is not authorized to perform: s3:ListAllMyBuckets"
        " because no identity-based policy allows the s3:ListAllMyBuckets action"
    )


def test_a_deny_on_every_bucket_denies_the_listing(tmp_path: Path) -> None:
    s3 = _user_s3(
        tmp_path,
        {"Effect": "Allow", "Action": "*", "Resource": "*"},
        {"Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::*"},
    )
    with pytest.raises(ClientError) as denied:
        s3.list_buckets()
    message = denied.value.response["Error"]["Message"]
    assert message.startswith(
        f"User: arn:aws:iam::{A}:user/carlos is not authorized to perform: s3:ListAllMyBuckets"
        " with an explicit deny in an identity-based policy"
    ), message

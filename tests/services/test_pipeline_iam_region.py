"""IAM is a global service with one endpoint in us-east-1: "IAM calls are always made to the
us-east-1 Region" (aws:RequestedRegion, "AWS global condition context keys", IAM User Guide).
A client given this server's URL signs IAM with its own Region (botocore does so with an
endpoint_url); the request is authorized as AWS authorizes what that client sends to IAM's
endpoint, in us-east-1. The IAM User Guide's "AWS: Denies access to AWS based on the
requested Region" relies on it: without IAM in its NotAction, IAM calls "would be denied"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from botocore.exceptions import ClientError
from inprocess_harness import client, open_app, root_keys, user_keys

A = "111111111111"
DENY_OUTSIDE_EU = {
    "Effect": "Deny",
    "NotAction": ["cloudfront:*", "route53:*", "support:*"],
    "Resource": "*",
    "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["eu-central-1", "eu-west-1"]}},
}
ALLOW_ALL = {"Effect": "Allow", "Action": "*", "Resource": "*"}


def _policy(*statements: dict[str, object]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def test_iam_is_requested_in_us_east_1_whatever_the_signing_region(tmp_path: Path) -> None:
    app = open_app(tmp_path, A)
    keys = user_keys(app, A, "alice")
    root = client(app, "iam", root_keys(app, A))
    root.put_user_policy(UserName="alice", PolicyName="EU", PolicyDocument=_policy(ALLOW_ALL, DENY_OUTSIDE_EU))
    for region in ("eu-west-1", "us-east-1"):
        with pytest.raises(ClientError) as raised:
            client(app, "iam", keys, region=region).list_users()
        assert raised.value.response["Error"]["Code"] == "AccessDenied"
        assert "with an explicit deny in an identity-based policy" in raised.value.response["Error"]["Message"]
    # S3 and STS are regional: a request made to eu-west-1 is allowed there.
    client(app, "sts", keys, region="eu-west-1").get_session_token()
    client(app, "s3", keys, region="eu-west-1").list_buckets()
    with pytest.raises(ClientError):
        client(app, "s3", keys, region="us-east-1").list_buckets()


def test_access_key_last_used_reports_us_east_1_for_iam(tmp_path: Path) -> None:
    # AccessKeyLastUsed, Region: "The Amazon Web Services Region where this access key was
    # most recently used"; IAM's requests are all made to us-east-1.
    app = open_app(tmp_path, A)
    keys = user_keys(app, A, "alice")
    root = client(app, "iam", root_keys(app, A))
    root.put_user_policy(UserName="alice", PolicyName="All", PolicyDocument=_policy(ALLOW_ALL))
    client(app, "iam", keys, region="ap-southeast-2").list_users()
    used = root.get_access_key_last_used(AccessKeyId=keys["aws_access_key_id"])["AccessKeyLastUsed"]
    assert (used["ServiceName"], used["Region"]) == ("iam", "us-east-1")

"""Block Public Access's BlockPublicPolicy on PutBucketPolicy.

"Blocking public access to your Amazon S3 storage" (S3 User Guide): with BlockPublicPolicy
on (every new bucket's default since April 2023), PutBucketPolicy refuses a public policy;
a policy is public unless each Allow grants to fixed principals or is pinned by a
condition on a key such as aws:SourceIp, aws:SourceArn or aws:PrincipalOrgID. AWS's
message: "... is not authorized to perform: s3:PutBucketPolicy on resource:
"arn:aws:s3:::BUCKET" because public policies are blocked by the BlockPublicPolicy block
public access setting."
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from services_harness import TRUSTED, TRUSTING, Call, root_caller

from iamsandbox.errors import AccessDenied
from iamsandbox.services.s3.handlers import HANDLERS

OWNER = root_caller(TRUSTING)


def _put(call: Call, statement: dict[str, Any]) -> None:
    body = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::site/*", **statement}
    policy = json.dumps({"Version": "2012-10-17", "Statement": [body]})
    call(HANDLERS["PutBucketPolicy"], OWNER, {"Bucket": "site", "Policy": policy})


@pytest.mark.parametrize(
    "statement",
    [
        {"Principal": "*"},
        {"Principal": {"AWS": "*"}},
        {"Principal": "*", "Condition": {"StringLike": {"aws:SourceArn": "arn:aws:*"}}},
        {"Principal": "*", "Condition": {"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}}},
        {"Principal": "*", "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-1234567890"}}},
    ],
)
def test_public_policies_are_refused_by_default(call: Call, statement: dict[str, Any]) -> None:
    call(HANDLERS["CreateBucket"], OWNER, {"Bucket": "site"})
    with pytest.raises(AccessDenied) as raised:
        _put(call, statement)
    assert raised.value.message == (
        f"User: arn:aws:iam::{TRUSTING}:root is not authorized to perform: s3:PutBucketPolicy on resource: "
        '"arn:aws:s3:::site" because public policies are blocked by the BlockPublicPolicy block public access setting.'
    )
    call(HANDLERS["DeletePublicAccessBlock"], OWNER, {"Bucket": "site"})
    _put(call, statement)  # allowed once the setting is off


@pytest.mark.parametrize(
    "statement",
    [
        {"Principal": {"AWS": f"arn:aws:iam::{TRUSTED}:root"}},
        {"Principal": {"Service": "cloudfront.amazonaws.com"}},
        {"Principal": "*", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-1234567890"}}},
        {"Principal": "*", "Condition": {"IpAddress": {"aws:SourceIp": "192.0.2.0/24"}}},
        {"Principal": "*", "Effect": "Deny"},
    ],
)
def test_non_public_policies_are_accepted(call: Call, statement: dict[str, Any]) -> None:
    call(HANDLERS["CreateBucket"], OWNER, {"Bucket": "site"})
    _put(call, statement)

"""Global keys every signed request carries, through the whole path, in the policies AWS
publishes with them ("AWS global condition context keys", IAM User Guide).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from inprocess_harness import client, open_app, root_keys, user_keys

A = "111111111111"


def _deny(action: str, condition: dict[str, dict[str, str]]) -> dict[str, Any]:
    return {
        "Effect": "Deny",
        "Principal": "*",
        "Action": action,
        "Resource": "arn:aws:s3:::bkt/*",
        "Condition": condition,
    }


def _bucket_with_policy(tmp_path: Path, statement: dict[str, Any]) -> tuple[Any, Any]:
    app = open_app(tmp_path, A)
    owner = client(app, "s3", root_keys(app, A))
    owner.create_bucket(Bucket="bkt")
    owner.put_object(Bucket="bkt", Key="k", Body=b"x")
    owner.put_bucket_policy(Bucket="bkt", Policy=json.dumps({"Version": "2012-10-17", "Statement": [statement]}))
    alice = user_keys(app, A, "alice")
    with app.store.transaction() as tx:
        user = tx.get_user(A, "alice")
        assert user is not None
        tx.put_inline_policy(
            user.id,
            "s3",
            json.dumps(
                {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
            ),
        )
    return owner, client(app, "s3", alice)


def _status(call: Any, **params: Any) -> int:
    try:
        call(**params)
    except ClientError as error:
        return int(error.response["ResponseMetadata"]["HTTPStatusCode"])
    return 200


def test_a_network_perimeter_that_spares_aws_services_still_holds_principals(tmp_path: Path) -> None:
    # The aws:PrincipalIsAWSService section's pattern: deny requests from outside the
    # network "when the principal is not an AWS service" (Bool ... "false"). A user calling
    # from elsewhere is denied; the key is false for every signed request.
    _owner, alice = _bucket_with_policy(
        tmp_path,
        _deny(
            "s3:GetObject",
            {
                "NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"},
                "Bool": {"aws:PrincipalIsAWSService": "false"},
            },
        ),
    )
    assert _status(alice.get_object, Bucket="bkt", Key="k") == 403  # from 127.0.0.1, not a service


def test_direct_calls_are_not_via_an_aws_service(tmp_path: Path) -> None:
    # The aws:SourceVpc section's example: deny unless from the VPC, for calls made directly
    # (aws:ViaAWSService false); no request here comes from a VPC.
    _owner, alice = _bucket_with_policy(
        tmp_path,
        _deny(
            "s3:PutObject",
            {
                "StringNotEqualsIfExists": {"aws:SourceVpc": "vpc-1234567890abcdef0"},
                "Bool": {"aws:ViaAWSService": "false"},
            },
        ),
    )
    assert _status(alice.put_object, Bucket="bkt", Key="n", Body=b"x") == 403
    assert _status(alice.get_object, Bucket="bkt", Key="k") == 200


@pytest.mark.parametrize(("pattern", "status"), [("Boto3/*", 200), ("aws-cli/*", 403)])
def test_a_policy_may_match_the_user_agent(tmp_path: Path, pattern: str, status: int) -> None:
    _owner, alice = _bucket_with_policy(
        tmp_path,
        _deny("s3:GetObject", {"StringNotLike": {"aws:UserAgent": pattern}}),
    )
    assert _status(alice.get_object, Bucket="bkt", Key="k") == status  # boto3 says "Boto3/1.x ..."

"""A bucket policy naming the IAM user who called GetFederationToken, through the whole
pipeline: "Policy evaluation logic" (IAM User Guide, "IAM federated user sessions"): "if a
resource-based policy grants permission to the ARN of the IAM user who federated, then
requests made by the federated user during the session are limited by an implicit deny in
a permission boundary or session policy"; and "Session policies"
(access_policies.html#policies_session): "A resource-based policy can specify the ARN of
the user or role as a principal. In that case, the permissions from the resource-based
policy are added to the role or user's identity-based policy before the session is
created. The session policy limits the total permissions granted by the resource-based
policy and the identity-based policy."
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from inprocess_harness import client, open_app, root_keys, user_keys

A = "111111111111"
BROKER = f"arn:aws:iam::{A}:user/broker"


def _allow(action: str) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": action, "Resource": "*"}]})


def _federated_s3(tmp_path: Path, session_policy: str) -> Any:
    """An S3 client of broker's federated session (broker may only federate), reading
    bucket ``reports``, whose policy names broker."""
    app = open_app(tmp_path, A)
    root = root_keys(app, A)
    keys = user_keys(app, A, "broker")
    client(app, "iam", root).put_user_policy(
        UserName="broker", PolicyName="federate", PolicyDocument=_allow("sts:GetFederationToken")
    )
    s3 = client(app, "s3", root)
    s3.create_bucket(Bucket="reports")
    s3.put_object(Bucket="reports", Key="q1.csv", Body=b"a,b\n")
    s3.put_bucket_policy(
        Bucket="reports",
        Policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"AWS": BROKER},
                        "Action": "s3:GetObject",
                        "Resource": "arn:aws:s3:::reports/*",
                    }
                ],
            }
        ),
    )
    credentials = client(app, "sts", keys).get_federation_token(Name="carol", Policy=session_policy)["Credentials"]
    session = {"aws_access_key_id": credentials["AccessKeyId"], "aws_secret_access_key": credentials["SecretAccessKey"]}
    return client(app, "s3", session, credentials["SessionToken"])


def test_a_bucket_policy_naming_the_federating_user_grants_within_the_session_policy(tmp_path: Path) -> None:
    s3 = _federated_s3(tmp_path, _allow("s3:GetObject"))
    assert s3.head_object(Bucket="reports", Key="q1.csv")["ContentLength"] == 4


def test_the_session_policy_caps_a_bucket_policy_naming_the_federating_user(tmp_path: Path) -> None:
    s3 = _federated_s3(tmp_path, _allow("s3:ListBucket"))
    with pytest.raises(ClientError) as raised:
        s3.get_object(Bucket="reports", Key="q1.csv")
    error = raised.value.response["Error"]
    assert error["Code"] == "AccessDenied"
    assert error["Message"] == (
        f"User: arn:aws:sts::{A}:federated-user/carol is not authorized to perform: s3:GetObject on resource: "
        '"arn:aws:s3:::reports/q1.csv" because no session policy allows the s3:GetObject action'
    )

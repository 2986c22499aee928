"""aws:SourceIp against a real server: the connection's address, or the one a local
proxy names in X-Forwarded-For (README, Configuration), so that a test can try a policy's
IP condition. AWS page: "AWS global condition context keys", aws:SourceIp ("the
requester's IP address"); the policy is the IAM User Guide's "AWS: Denies access to AWS
based on the source IP" pattern, written as an allow.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError
from e2e_harness import A, Server, _client

POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": "iam:GetUser",
            "Resource": "*",
            "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}},
        }
    ],
}


def _from(client: Any, address: str) -> Any:
    def add(request: Any, **_kwargs: Any) -> None:
        request.headers["X-Forwarded-For"] = address

    client.meta.events.register("before-sign.iam.*", add)
    return client


def test_source_ip_condition_reads_the_forwarded_address(server: Server) -> None:
    root = server.create_account(A)
    iam = _client(server, "iam", root)
    iam.create_user(UserName="alice")
    iam.put_user_policy(UserName="alice", PolicyName="office-only", PolicyDocument=json.dumps(POLICY))
    key = iam.create_access_key(UserName="alice")["AccessKey"]
    keys = {"AccessKeyId": key["AccessKeyId"], "SecretAccessKey": key["SecretAccessKey"]}

    with pytest.raises(ClientError) as raised:  # from 127.0.0.1: outside the range
        _client(server, "iam", keys).get_user()
    assert raised.value.response["Error"]["Code"] == "AccessDenied"
    assert _from(_client(server, "iam", keys), "203.0.113.7").get_user()["User"]["UserName"] == "alice"
    with pytest.raises(ClientError):
        _from(_client(server, "iam", keys), "198.51.100.7").get_user()


HTTPS_ONLY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "RestrictToTLSRequestsOnly",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": ["arn:aws:s3:::tls-only", "arn:aws:s3:::tls-only/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        }
    ],
}


def test_secure_transport_is_true_behind_a_local_tls_proxy(server: Server) -> None:
    """The S3 User Guide's "Restrict access to only HTTPS requests" bucket policy (Examples of
    Amazon S3 bucket policies): over plain HTTP every request is denied, as in AWS; a request
    that a TLS-terminating proxy on an address of FORWARDED_ALLOW_IPS passes on with
    X-Forwarded-Proto: https came over HTTPS (aws:SecureTransport true, "AWS global condition
    context keys"), so the policy can be tried with such a proxy (found by a review: nothing
    could satisfy the example)."""
    s3 = _client(server, "s3", server.create_account(A))
    s3.create_bucket(Bucket="tls-only")
    s3.put_bucket_policy(Bucket="tls-only", Policy=json.dumps(HTTPS_ONLY))
    with pytest.raises(ClientError) as plain:
        s3.put_object(Bucket="tls-only", Key="k", Body=b"x")
    assert plain.value.response["Error"]["Code"] == "AccessDenied"
    assert "with an explicit deny in a resource-based policy" in plain.value.response["Error"]["Message"]

    def over_tls(request: Any, **_kwargs: Any) -> None:
        request.headers["X-Forwarded-Proto"] = "https"

    proxied = _client(server, "s3", server.roots[A])
    proxied.meta.events.register("before-sign.s3.*", over_tls)
    proxied.put_object(Bucket="tls-only", Key="k", Body=b"x")
    assert proxied.get_object(Bucket="tls-only", Key="k")["Body"].read() == b"x"

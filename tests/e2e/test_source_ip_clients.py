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

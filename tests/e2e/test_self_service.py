"""Operations whose UserName is optional act on the calling IAM user, and are authorized on
that user's ARN, so the self-service policies AWS documents (``user/${aws:username}``) work.

AWS: "If you do not specify a user name, IAM determines the user name implicitly based on
the AWS access key ID used to sign the request" (GetLoginProfile, ListAccessKeys in the IAM
API reference); "IAM: Allows IAM users to manage their own password" and "...their own
access keys" (reference_policies_examples_iam_credentials_console: Resource
arn:aws:iam::*:user/${aws:username}).
"""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError
from e2e_harness import B, Server, _client, _set_up


def test_a_user_reads_its_own_login_profile_and_keys_without_naming_itself(server: Server) -> None:
    keys = _set_up(server)
    iam_b = _client(server, "iam", server.roots[B])
    iam_b.create_login_profile(UserName="alice", Password="Correct-Horse-9", PasswordResetRequired=True)
    self_service = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": ["iam:GetLoginProfile", "iam:ListAccessKeys"],
                "Resource": "arn:aws:iam::*:user/${aws:username}",
            }
        ],
    }
    iam_b.put_user_policy(UserName="alice", PolicyName="self", PolicyDocument=json.dumps(self_service))
    alice = _client(server, "iam", keys)
    profile = alice.get_login_profile()["LoginProfile"]
    assert profile["UserName"] == "alice" and profile["PasswordResetRequired"] is True
    assert [k["AccessKeyId"] for k in alice.list_access_keys()["AccessKeyMetadata"]] == [keys["AccessKeyId"]]
    # Naming another user is checked on that user's ARN, which the policy does not cover.
    with pytest.raises(ClientError) as denied:
        alice.get_login_profile(UserName="bob")
    assert denied.value.response["Error"]["Code"] == "AccessDenied"
    # IAM names the user given by name "user bob" ("... iam:GetLoginProfile on resource: user
    # vault ...": real outputs).
    assert "on resource: user bob because" in denied.value.response["Error"]["Message"]


def test_root_must_name_the_user_of_a_login_profile(server: Server) -> None:
    _set_up(server)
    with pytest.raises(ClientError) as raised:
        _client(server, "iam", server.roots[B]).get_login_profile()
    assert raised.value.response["Error"]["Code"] == "ValidationError"
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_access_key_last_used_follows_the_keys_requests(server: Server) -> None:
    # GetAccessKeyLastUsed (IAM API reference, AccessKeyLastUsed): "N/A" and no date until
    # the key is used; then the date, the service's name and the Region of the last use.
    keys = _set_up(server)
    iam_b = _client(server, "iam", server.roots[B])
    before = iam_b.get_access_key_last_used(AccessKeyId=keys["BobKeyId"])["AccessKeyLastUsed"]
    assert before == {"ServiceName": "N/A", "Region": "N/A"}
    bob = {"AccessKeyId": keys["BobKeyId"], "SecretAccessKey": keys["BobSecret"]}
    _client(server, "sts", bob).get_caller_identity()
    used = iam_b.get_access_key_last_used(AccessKeyId=keys["BobKeyId"])["AccessKeyLastUsed"]
    assert used["ServiceName"] == "sts" and used["Region"] == "us-east-1" and "LastUsedDate" in used
    with pytest.raises(ClientError):  # bob may not list buckets; the key was still used to sign
        _client(server, "s3", bob).list_objects_v2(Bucket="shared-bucket")
    assert iam_b.get_access_key_last_used(AccessKeyId=keys["BobKeyId"])["AccessKeyLastUsed"]["ServiceName"] == "s3"

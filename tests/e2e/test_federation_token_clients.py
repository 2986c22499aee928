"""GetFederationToken with boto3 against a real server.

"Permissions for GetFederationToken" (IAM User Guide): the federated user's permissions are
"the intersection of the user's identity-based policy and the session policies";
"GetFederationToken" (STS API reference): "You cannot call any IAM operations", and
GetCallerIdentity answers the federated-user ARN.
"""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError
from e2e_harness import A, Server, _client


def test_federated_user_gets_only_what_the_session_policy_allows(server: Server) -> None:
    root = server.create_account(A)
    iam = _client(server, "iam", root)
    s3_root = _client(server, "s3", root)
    s3_root.create_bucket(Bucket="reports")
    s3_root.put_object(Bucket="reports", Key="q1.csv", Body=b"a,b\n")
    iam.create_user(UserName="proxy")
    everything = {"Effect": "Allow", "Action": ["s3:*", "sts:GetFederationToken", "iam:ListUsers"], "Resource": "*"}
    iam.put_user_policy(
        UserName="proxy",
        PolicyName="proxy",
        PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [everything]}),
    )
    key = iam.create_access_key(UserName="proxy")["AccessKey"]
    sts = _client(server, "sts", key)
    session_policy = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"},
            {"Effect": "Allow", "Action": "iam:ListUsers", "Resource": "*"},
        ],
    }
    out = sts.get_federation_token(Name="Bob", Policy=json.dumps(session_policy), DurationSeconds=900)
    assert out["FederatedUser"] == {"FederatedUserId": f"{A}:Bob", "Arn": f"arn:aws:sts::{A}:federated-user/Bob"}
    credentials = out["Credentials"]
    keys = {"AccessKeyId": credentials["AccessKeyId"], "SecretAccessKey": credentials["SecretAccessKey"]}
    token = credentials["SessionToken"]

    me = _client(server, "sts", keys, token).get_caller_identity()
    assert me["Arn"] == f"arn:aws:sts::{A}:federated-user/Bob"
    assert me["UserId"] == f"{A}:Bob" and me["Account"] == A

    s3 = _client(server, "s3", keys, token)
    assert s3.get_object(Bucket="reports", Key="q1.csv")["Body"].read() == b"a,b\n"
    with pytest.raises(ClientError) as denied:
        s3.put_object(Bucket="reports", Key="q2.csv", Body=b"x")
    assert denied.value.response["Error"]["Code"] == "AccessDenied"
    # Even when both policies allow it, IAM refuses the federated user's token.
    with pytest.raises(ClientError) as refused:
        _client(server, "iam", keys, token).list_users()
    assert refused.value.response["Error"]["Code"] == "InvalidClientTokenId"
    # With session credentials GetFederationToken itself is refused.
    with pytest.raises(ClientError) as again:
        _client(server, "sts", keys, token).get_federation_token(Name="Carol")
    assert again.value.response["Error"]["Code"] == "AccessDenied"


def test_without_a_session_policy_nothing_is_allowed(server: Server) -> None:
    root = server.create_account(A)
    iam = _client(server, "iam", root)
    _client(server, "s3", root).create_bucket(Bucket="reports")
    iam.create_user(UserName="proxy")
    iam.attach_user_policy(UserName="proxy", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
    key = iam.create_access_key(UserName="proxy")["AccessKey"]
    credentials = _client(server, "sts", key).get_federation_token(Name="Bob")["Credentials"]
    keys = {"AccessKeyId": credentials["AccessKeyId"], "SecretAccessKey": credentials["SecretAccessKey"]}
    with pytest.raises(ClientError) as denied:
        _client(server, "s3", keys, credentials["SessionToken"]).list_objects_v2(Bucket="reports")
    assert denied.value.response["Error"]["Code"] == "AccessDenied"
    # IAM refuses a federated user's token before any authorization ("You cannot call any
    # IAM operations", GetFederationToken, STS API reference): InvalidClientTokenId, not
    # AccessDenied, even with no permission at all.
    with pytest.raises(ClientError) as refused:
        _client(server, "iam", keys, credentials["SessionToken"]).get_user()
    assert refused.value.response["Error"]["Code"] == "InvalidClientTokenId"
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_the_name_is_authorized(server: Server) -> None:
    root = server.create_account(A)
    iam = _client(server, "iam", root)
    iam.create_user(UserName="proxy")
    only_bob = {
        "Effect": "Allow",
        "Action": "sts:GetFederationToken",
        "Resource": f"arn:aws:sts::{A}:federated-user/Bob",
    }
    iam.put_user_policy(
        UserName="proxy", PolicyName="p", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [only_bob]})
    )
    sts = _client(server, "sts", iam.create_access_key(UserName="proxy")["AccessKey"])
    sts.get_federation_token(Name="Bob")
    with pytest.raises(ClientError) as denied:
        sts.get_federation_token(Name="Carol")
    assert denied.value.response["Error"]["Code"] == "AccessDenied"
    assert f"sts:GetFederationToken on resource: arn:aws:sts::{A}:federated-user/Carol" in str(denied.value)


def test_the_root_users_federated_user_has_what_the_session_policy_allows(server: Server) -> None:
    # GetFederationToken (STS API reference): "it is possible to call GetFederationToken using
    # the security credentials of an AWS account root user"; the session's permissions are
    # "the intersection of the user's identity-based policy and the session policies", and the
    # root user's are everything in its account.
    root = server.create_account(A)
    s3_root = _client(server, "s3", root)
    s3_root.create_bucket(Bucket="reports")
    s3_root.put_object(Bucket="reports", Key="q1.csv", Body=b"a,b\n")
    read = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}
    out = _client(server, "sts", root).get_federation_token(
        Name="rootfed", Policy=json.dumps({"Version": "2012-10-17", "Statement": [read]})
    )
    credentials = out["Credentials"]
    keys = {"AccessKeyId": credentials["AccessKeyId"], "SecretAccessKey": credentials["SecretAccessKey"]}
    s3 = _client(server, "s3", keys, credentials["SessionToken"])
    assert s3.get_object(Bucket="reports", Key="q1.csv")["Body"].read() == b"a,b\n"
    with pytest.raises(ClientError) as denied:
        s3.put_object(Bucket="reports", Key="q2.csv", Body=b"x")
    assert denied.value.response["Error"]["Message"] == (
        f"User: arn:aws:sts::{A}:federated-user/rootfed is not authorized to perform: s3:PutObject on resource: "
        '"arn:aws:s3:::reports/q2.csv" because no session policy allows the s3:PutObject action'
    )
    # Without a session policy the root user's federated user has no permissions either.
    bare = _client(server, "sts", root).get_federation_token(Name="bare")["Credentials"]
    bare_keys = {"AccessKeyId": bare["AccessKeyId"], "SecretAccessKey": bare["SecretAccessKey"]}
    with pytest.raises(ClientError) as nothing:
        _client(server, "s3", bare_keys, bare["SessionToken"]).get_object(Bucket="reports", Key="q1.csv")
    assert nothing.value.response["Error"]["Code"] == "AccessDenied"

"""Web identity federation the way GitHub Actions reaches AWS, with boto3 against a real
server: an IAM OIDC provider for a local issuer, a role trusting it, and
AssumeRoleWithWebIdentity with tokens signed by that issuer.

AWS pages: "Configuring a role for GitHub OIDC identity provider" (the trust policy: aud
sts.amazonaws.com with StringEquals, sub repo:octo-org/octo-repo:* with StringLike), "Create
an OpenID Connect (OIDC) identity provider in IAM", "AssumeRoleWithWebIdentity" (unsigned:
"does not require the use of AWS security credentials"). The error messages asserted are
AWS's, as quoted in public reports (see services/sts/oidc_token.py).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError
from e2e_harness import A, Server, _client

from oidc_issuer import Issuer, serving

ROLE = "github-deploy"


@pytest.fixture
def issuer() -> Iterator[Issuer]:
    with serving() as running:
        yield running


def _sts_unsigned(server: Server) -> Any:
    return boto3.session.Session(region_name="us-east-1").client(
        "sts", endpoint_url=server.url, config=Config(signature_version=UNSIGNED)
    )


def test_github_actions_setup(server: Server, issuer: Issuer) -> None:
    root = server.create_account(A)
    iam = _client(server, "iam", root)
    host = issuer.url.removeprefix("http://")
    provider_arn = iam.create_open_id_connect_provider(Url=issuer.url, ClientIDList=["sts.amazonaws.com"])[
        "OpenIDConnectProviderArn"
    ]
    assert provider_arn == f"arn:aws:iam::{A}:oidc-provider/{host}"
    got = iam.get_open_id_connect_provider(OpenIDConnectProviderArn=provider_arn)
    assert got["Url"] == host and got["ClientIDList"] == ["sts.amazonaws.com"]  # without its scheme
    with pytest.raises(ClientError) as again:
        iam.create_open_id_connect_provider(Url=issuer.url, ClientIDList=["x"])
    assert again.value.response["Error"]["Code"] == "EntityAlreadyExists"
    assert again.value.response["Error"]["Message"] == f"Provider with url {issuer.url} already exists."

    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Federated": provider_arn},
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": {
                    "StringEquals": {f"{host}:aud": "sts.amazonaws.com"},
                    "StringLike": {f"{host}:sub": "repo:octo-org/octo-repo:*"},
                },
            }
        ],
    }
    role_arn = iam.create_role(RoleName=ROLE, AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    iam.attach_role_policy(RoleName=ROLE, PolicyArn="arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")
    sts = _sts_unsigned(server)

    # The repository the role trusts: credentials of a session that acts as the role.
    token = issuer.token(sub="repo:octo-org/octo-repo:ref:refs/heads/main")
    out = sts.assume_role_with_web_identity(RoleArn=role_arn, RoleSessionName="gha", WebIdentityToken=token)
    assert out["AssumedRoleUser"]["Arn"] == f"arn:aws:sts::{A}:assumed-role/{ROLE}/gha"
    assert out["SubjectFromWebIdentityToken"] == "repo:octo-org/octo-repo:ref:refs/heads/main"
    assert out["Audience"] == "sts.amazonaws.com"
    creds = out["Credentials"]
    keys = {"AccessKeyId": creds["AccessKeyId"], "SecretAccessKey": creds["SecretAccessKey"]}
    session_sts = _client(server, "sts", keys, token=creds["SessionToken"])
    assert session_sts.get_caller_identity()["Arn"] == f"arn:aws:sts::{A}:assumed-role/{ROLE}/gha"
    s3 = _client(server, "s3", keys, token=creds["SessionToken"])
    s3.list_buckets()  # AmazonS3ReadOnlyAccess allows it
    with pytest.raises(ClientError) as denied_write:
        s3.create_bucket(Bucket="not-allowed")
    assert denied_write.value.response["Error"]["Code"] == "AccessDenied"

    # Another repository: the trust policy's sub condition fails.
    other = issuer.token(sub="repo:octo-org/other-repo:ref:refs/heads/main")
    with pytest.raises(ClientError) as denied:
        sts.assume_role_with_web_identity(RoleArn=role_arn, RoleSessionName="gha", WebIdentityToken=other)
    assert denied.value.response["Error"]["Code"] == "AccessDenied"
    assert denied.value.response["Error"]["Message"] == "Not authorized to perform sts:AssumeRoleWithWebIdentity"

    # Expired (beyond the five minutes of clock skew IAM allows, "OIDC federation").
    old = int(time.time()) - 3600
    expired = issuer.token(sub="repo:octo-org/octo-repo:ref:refs/heads/main", iat=old - 300, exp=old)
    with pytest.raises(ClientError) as late:
        sts.assume_role_with_web_identity(RoleArn=role_arn, RoleSessionName="gha", WebIdentityToken=expired)
    assert late.value.response["Error"]["Code"] == "ExpiredTokenException"
    assert late.value.response["Error"]["Message"].startswith("Token expired: current date/time ")

    # An audience that is not among the provider's client IDs.
    wrong_aud = issuer.token(sub="repo:octo-org/octo-repo:ref:refs/heads/main", aud="sigstore")
    with pytest.raises(ClientError) as audience:
        sts.assume_role_with_web_identity(RoleArn=role_arn, RoleSessionName="gha", WebIdentityToken=wrong_aud)
    assert audience.value.response["Error"]["Code"] == "InvalidIdentityToken"
    assert audience.value.response["Error"]["Message"] == "Incorrect token audience"

    # No provider for the issuer: once the provider is deleted.
    iam.delete_open_id_connect_provider(OpenIDConnectProviderArn=provider_arn)
    with pytest.raises(ClientError) as unknown:
        sts.assume_role_with_web_identity(RoleArn=role_arn, RoleSessionName="gha", WebIdentityToken=token)
    assert unknown.value.response["Error"]["Code"] == "InvalidIdentityToken"
    assert unknown.value.response["Error"]["Message"] == (
        f"No OpenIDConnect provider found in your account for {issuer.url}"
    )

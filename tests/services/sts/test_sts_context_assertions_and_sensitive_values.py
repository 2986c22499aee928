"""AssumeRole's ProvidedContexts, and STS's validation errors of sensitive members.

AWS pages: AssumeRole (STS API Reference), Errors: "InvalidContextAssertion: The request was
rejected because the context assertion that was provided is invalid. This can happen if
the context assertion supplied in the ProvidedContexts parameter is malformed, has expired,
or does not match a trusted context provider" (HTTP 400). No trusted context provider (IAM
Identity Center's trusted identity propagation) exists here. AssumeRoleWithWebIdentity:
WebIdentityToken is a sensitive member of botocore's model (clientTokenType): a validation
error names the member and the constraint, never the token.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from botocore.exceptions import ClientError
from inprocess_harness import client, open_app, root_keys, user_keys

A = "111111111111"
TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{A}:root"}, "Action": "sts:AssumeRole"}],
    }
)


def test_a_context_assertion_is_invalid_without_a_trusted_context_provider(tmp_path: Path) -> None:
    app = open_app(tmp_path, A)
    iam = client(app, "iam", root_keys(app, A))
    iam.create_role(RoleName="r", AssumeRolePolicyDocument=TRUST)
    keys = user_keys(app, A, "alice")
    allow = {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}
    iam.put_user_policy(
        UserName="alice", PolicyName="p", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [allow]})
    )
    sts = client(app, "sts", keys)
    context = {"ProviderArn": "arn:aws:iam::aws:contextProvider/IdentityCenter", "ContextAssertion": "abcd" * 10}
    with pytest.raises(ClientError) as refused:
        sts.assume_role(RoleArn=f"arn:aws:iam::{A}:role/r", RoleSessionName="sess", ProvidedContexts=[context])
    error = refused.value.response
    assert (error["Error"]["Code"], error["ResponseMetadata"]["HTTPStatusCode"]) == ("InvalidContextAssertion", 400)
    # Without one the same call succeeds.
    assert sts.assume_role(RoleArn=f"arn:aws:iam::{A}:role/r", RoleSessionName="sess")["Credentials"]["AccessKeyId"]


def test_a_web_identity_token_is_never_quoted_in_a_validation_error(tmp_path: Path) -> None:
    app = open_app(tmp_path, A)
    sts = client(app, "sts", validate=False)  # unsigned, as AssumeRoleWithWebIdentity is
    token = "secret-token-" + "x" * 20000
    with pytest.raises(ClientError) as refused:
        sts.assume_role_with_web_identity(
            RoleArn=f"arn:aws:iam::{A}:role/r", RoleSessionName="s", WebIdentityToken=token
        )
    message = refused.value.response["Error"]["Message"]
    assert refused.value.response["Error"]["Code"] == "ValidationError"
    assert "secret-token" not in message
    assert (
        "at 'webIdentityToken' failed to satisfy constraint: Member must have length less than or equal to 20000"
        in message
    )

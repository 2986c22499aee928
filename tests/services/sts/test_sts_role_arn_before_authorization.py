"""A malformed RoleArn is a ValidationError to any caller, before authorization: AWS answered
"arn:a:a::aaaaaaaaaa: is invalid" (400) where we answered AccessDenied, since the
authorizer read "aaaaaaaaaa" as another account. Recorded from AWS: LocalStack's test_sts
snapshot (Apache-2.0), test_sts_invalid_parameters; the caller there had no special grant."""

from __future__ import annotations

from pathlib import Path

import pytest
from botocore.exceptions import ClientError
from inprocess_harness import client, open_app, user_keys

A = "111111111111"


@pytest.mark.parametrize(
    "arn",
    [
        "nothing-valid-in-here",
        "arn::b:::something/test-role",
        "arn:a::::something/test-role",
        "arn:a:::something/test-role",
        "arn:a:a::aaaaaaaaaa:",
    ],
)
def test_a_malformed_role_arn_is_invalid_to_a_caller_with_no_grants(tmp_path: Path, arn: str) -> None:
    app = open_app(tmp_path, A)
    sts = client(app, "sts", user_keys(app, A, "nobody"))  # no policy at all
    with pytest.raises(ClientError) as refused:
        sts.assume_role(RoleArn=arn, RoleSessionName="session")
    error = refused.value.response["Error"]
    assert (error["Code"], error["Message"]) == ("ValidationError", f"{arn} is invalid")
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400

"""IAM's AccessDenied messages where they name something other than the resource's ARN."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from inprocess_harness import client, open_app, user_keys

A = "111111111111"


def _message(call: Any, **params: Any) -> str:
    with pytest.raises(ClientError) as caught:
        call(**params)
    assert caught.value.response["Error"]["Code"] == "AccessDenied"
    message: str = caught.value.response["Error"]["Message"]
    return message


def test_list_policies_names_the_policy_path(tmp_path: Path) -> None:
    # IAM's message for ListPolicies names the path it lists, not an ARN: "... is not
    # authorized to perform: iam:ListPolicies on resource: policy path / because no
    # identity-based policy allows the iam:ListPolicies action" (as the AWS CLI prints it).
    app = open_app(tmp_path, A)
    alice = client(app, "iam", user_keys(app, A, "alice"))
    assert _message(alice.list_policies) == (
        f"User: arn:aws:iam::{A}:user/alice is not authorized to perform: iam:ListPolicies on resource:"
        " policy path / because no identity-based policy allows the iam:ListPolicies action"
    )
    assert " policy path /team/ because " in _message(alice.list_policies, PathPrefix="/team/")

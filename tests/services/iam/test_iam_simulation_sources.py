"""SimulatePrincipalPolicy and GetContextKeysForPrincipalPolicy read the policies of an
entity of the caller's own account: IAM answers a PolicySourceArn of another account before
authorizing, with InvalidInput in these words (a recorded trace of IAM), not AccessDenied."""

from __future__ import annotations

from pathlib import Path

import pytest
from botocore.exceptions import ClientError
from inprocess_harness import client, open_app, root_keys

A, B = "111111111111", "222222222222"


def test_another_accounts_entity_is_invalid_input(tmp_path: Path) -> None:
    app = open_app(tmp_path, A, B)
    iam = client(app, "iam", root_keys(app, A))
    client(app, "iam", root_keys(app, B)).create_user(UserName="bob")
    other = f"arn:aws:iam::{B}:user/bob"
    expected = {
        "Type": "Sender",
        "Code": "InvalidInput",
        "Message": f"Invalid Policy Source Arn: caller's account {A} does not have access to policies in account {B}",
    }
    with pytest.raises(ClientError) as raised:
        iam.simulate_principal_policy(PolicySourceArn=other, ActionNames=["s3:GetObject"])
    assert raised.value.response["Error"] == expected
    with pytest.raises(ClientError) as raised:
        iam.get_context_keys_for_principal_policy(PolicySourceArn=other)
    assert raised.value.response["Error"] == expected

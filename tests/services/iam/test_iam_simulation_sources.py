"""SimulatePrincipalPolicy and GetContextKeysForPrincipalPolicy read the policies of an
entity of the caller's own account: IAM answers a PolicySourceArn of another account before
authorizing, with InvalidInput in these words (a recorded trace of IAM), not AccessDenied."""

from __future__ import annotations

import json
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


def test_a_role_trust_policy_as_resource_policy_is_checked_and_left_out(tmp_path: Path) -> None:
    # SimulatePrincipalPolicy reference: "Simulation of resource-based policies isn't
    # supported for IAM roles"; IAM checks a trust policy passed as ResourcePolicy and answers
    # from the identity-based policies (recorded in aws/aws-cli#10314: EvalDecision allowed).
    app = open_app(tmp_path, A)
    iam = client(app, "iam", root_keys(app, A))
    iam.create_user(UserName="dave")
    allow = {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}
    iam.put_user_policy(
        UserName="dave", PolicyName="p", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [allow]})
    )
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Deny", "Principal": {"AWS": f"arn:aws:iam::{A}:user/dave"}, "Action": "sts:AssumeRole"}
        ],
    }
    result = iam.simulate_principal_policy(
        PolicySourceArn=f"arn:aws:iam::{A}:user/dave",
        ActionNames=["sts:AssumeRole"],
        ResourceArns=[f"arn:aws:iam::{A}:role/r1"],
        ResourceOwner=f"arn:aws:iam::{A}:root",
        ResourcePolicy=json.dumps(trust),
    )["EvaluationResults"][0]
    assert result["EvalDecision"] == "allowed"
    assert [s["SourcePolicyType"] for s in result["MatchedStatements"]] == ["IAM Policy"]
    # Neither a resource-based nor a trust policy: still InvalidInput.
    broken = {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "sts:AssumeRole"}]}
    with pytest.raises(ClientError) as refused:
        iam.simulate_principal_policy(
            PolicySourceArn=f"arn:aws:iam::{A}:user/dave",
            ActionNames=["sts:AssumeRole"],
            ResourcePolicy=json.dumps(broken),
        )
    assert refused.value.response["Error"]["Code"] == "InvalidInput"

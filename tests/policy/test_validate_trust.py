"""A role trust policy's actions. The IAM User Guide adds these to a trust policy beside
sts:AssumeRole: sts:TagSession ("Pass session tags in AWS STS": "the role trust policy must
allow sts:TagSession"), sts:SetSourceIdentity ("Monitor and control actions taken with
assumed roles"), sts:SetContext ("Trusted identity propagation"); the SAML and web identity
forms of AssumeRole ("Create a role for a third-party identity provider"). Other actions are
refused (cases in ``cases/parse_errors.json``)."""

from __future__ import annotations

import json

import pytest

from iamsandbox.errors import MalformedPolicyDocument
from iamsandbox.policy import PolicyKind, parse_policy

MESSAGE = "AssumeRole policy may only specify STS AssumeRole actions."


def _trust(action: object, element: str = "Action") -> str:
    statement = {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:root"}, element: action}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


@pytest.mark.parametrize(
    "action",
    [
        ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"],
        "sts:AssumeRoleWithSAML",
        "sts:AssumeRoleWithWebIdentity",
        ["sts:AssumeRole", "sts:SetContext"],
        "STS:assumerole",  # action names are case-insensitive ("IAM JSON policy elements: Action")
        "sts:AssumeRole*",
    ],
)
def test_trust_actions_are_taken(action: object) -> None:
    assert parse_policy(_trust(action), PolicyKind.TRUST).statements[0].action


@pytest.mark.parametrize("action", ["s3:GetObject", ["sts:AssumeRole", "sts:GetCallerIdentity"], "iam:*"])
def test_other_actions_are_refused(action: object) -> None:
    with pytest.raises(MalformedPolicyDocument) as raised:
        parse_policy(_trust(action), PolicyKind.TRUST)
    assert raised.value.message == MESSAGE


def test_other_policies_keep_any_action() -> None:
    document = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"AWS": "111111111111"}, "Action": "s3:GetObject", "Resource": "*"}
            ],
        }
    )
    assert parse_policy(document, PolicyKind.RESOURCE).statements[0].action == ("s3:GetObject",)

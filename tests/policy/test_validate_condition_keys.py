"""Condition keys without a service prefix: IAM saves the policy; only actions must be
prefaced by a vendor.

AWS's answers as moto's maintainers probed them against IAM (getmoto/moto#2269, "I also
verified the results (responses returned by AWS) for every test case"): its
``valid_policy_documents`` hold ``{"StringEqualsIfExists": {"a": "asf"}}``,
``{"ForAnyValue:StringEqualsIfExists": {"a": "asf"}}`` and ``{"DateLessThanEquals": {"a":
"2019-07-01T13:20:15Z"}}``, and no invalid case refuses a condition key for its prefix; the
"Actions/Conditions must be prefaced by a vendor" answers are all of Action and NotAction
("IAM JSON policy elements: Condition",
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html,
names keys such as aws:CurrentTime and s3:prefix but sets no rule on a key's form).
"""

from __future__ import annotations

import json

import pytest

from iamsandbox.errors import MalformedPolicyDocument
from iamsandbox.policy import PolicyKind, parse_policy


def _document(condition: dict[str, object], action: str = "s3:ListBucket") -> str:
    statement = {"Effect": "Allow", "Action": action, "Resource": "arn:aws:s3:::example_bucket"}
    return json.dumps({"Version": "2012-10-17", "Statement": {**statement, "Condition": condition}})


@pytest.mark.parametrize(
    "condition",
    [
        {"StringEqualsIfExists": {"a": "asf"}},
        {"ForAnyValue:StringEqualsIfExists": {"a": "asf"}},
        {"DateLessThanEquals": {"a": "2019-07-01T13:20:15Z"}},
    ],
)
@pytest.mark.parametrize("kind", [PolicyKind.IDENTITY, PolicyKind.BOUNDARY, PolicyKind.SESSION])
def test_a_condition_key_without_a_prefix_is_accepted(condition: dict[str, object], kind: PolicyKind) -> None:
    policy = parse_policy(_document(condition), kind)
    assert [clause.key for clause in policy.statements[0].condition] == ["a"]


def test_an_action_without_a_prefix_is_still_refused() -> None:
    with pytest.raises(MalformedPolicyDocument) as refused:
        parse_policy(_document({"StringEquals": {"a": "b"}}, action="invalid"), PolicyKind.IDENTITY)
    assert refused.value.message == "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."

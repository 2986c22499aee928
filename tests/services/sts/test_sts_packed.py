"""The packed size of session policies (services/sts/packed.py), against AWS's answers."""

from __future__ import annotations

import json

import pytest

from iamsandbox.services.sts.packed import packed_percent


def _policy_of_length(length: int) -> str:
    """A policy whose minified JSON has ``length`` characters."""
    statement = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": ""}
    base = len(json.dumps({"Version": "2012-10-17", "Statement": [statement]}, separators=(",", ":")))
    statement["Resource"] = "a" * (length - base)
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


@pytest.mark.parametrize(
    ("policy", "percent"),
    [
        # Recorded from AWS (LocalStack's test_sts snapshot, test_assume_role_with_policy,
        # February 2026): PackedPolicySize 16.
        (
            json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Sid": "RestrictedAccess",
                            "Effect": "Allow",
                            "Action": ["s3:GetObject"],
                            "Resource": ["arn:aws:s3:::example-bucket/*"],
                        }
                    ],
                },
                indent=2,
            ),
            16,
        ),
        # A 1,690-character policy of 42 actions: "Packed policy consumes 157% of allotted
        # space" (the public report packed.py names).
        (_policy_of_length(1690), 157),
    ],
)
def test_a_session_policys_packed_size(policy: str, percent: int) -> None:
    assert packed_percent(policy, [], []) == percent


def test_session_tags_take_their_own_space() -> None:
    # Nine tags T1..T9 of 250 "a": 498% of the tags' space (aws-actions/configure-aws-
    # credentials#1898, an AWS maintainer's reproduction).
    assert packed_percent(None, [], [(f"T{n}", "a" * 250) for n in range(1, 10)]) == 498

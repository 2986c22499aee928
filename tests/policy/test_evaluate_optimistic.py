"""``evaluate(unknown=every_key)``: the access explorer's "allowed only if". An Allow whose
condition needs a key the request lacks is taken as met, and a Deny's as unmet, even where a
plain evaluation meets it without the key (a negated operator: "If the key that you specify in
a policy condition is not present in the request context", a negated operator's condition is
true, "IAM JSON policy elements: Condition operators", IAM User Guide); a condition on a key
the request has is decided as always."""

from __future__ import annotations

import json

from iamsandbox.policy import (
    ALLOWED,
    EXPLICIT_DENY,
    IMPLICIT_DENY,
    CompiledSet,
    PolicyKind,
    PolicySet,
    PolicyType,
    Request,
    evaluate,
    parse_policy,
)

ACCOUNT = "123456789012"


def every_key(key: str) -> bool:
    """Every absent key is unknown (the explorer's choice is its own: ``_unknown_keys``)."""
    return True


USER = f"arn:aws:iam::{ACCOUNT}:user/alice"
OBJECT = "arn:aws:s3:::reports/q1.csv"


def _identity(*statements: dict[str, object]) -> PolicySet:
    text = json.dumps({"Version": "2012-10-17", "Statement": list(statements)})
    return PolicySet(identity=CompiledSet.of(PolicyType.IDENTITY, parse_policy(text, PolicyKind.IDENTITY)))


ALLOW_WITH_MFA = {
    "Effect": "Allow",
    "Action": "s3:GetObject",
    "Resource": "*",
    "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}},
}


def test_an_allow_needing_an_absent_key_allows_only_optimistically() -> None:
    request = Request.build(USER, "s3:GetObject", OBJECT, ACCOUNT)
    policies = _identity(ALLOW_WITH_MFA)
    plain = evaluate(request, policies, with_missing=True)
    assert plain.value == IMPLICIT_DENY
    assert plain.missing_context_keys == ("aws:MultiFactorAuthPresent",)
    assert evaluate(request, policies, unknown=every_key).value == ALLOWED


def test_a_key_the_request_has_is_decided_as_always() -> None:
    request = Request.build(USER, "s3:GetObject", OBJECT, ACCOUNT, {"aws:MultiFactorAuthPresent": "false"})
    assert evaluate(request, _identity(ALLOW_WITH_MFA), unknown=every_key).value == IMPLICIT_DENY


def test_a_deny_needing_an_absent_key_does_not_apply() -> None:
    deny_outside = {
        "Effect": "Deny",
        "Action": "s3:*",
        "Resource": "*",
        "Condition": {"NotIpAddress": {"aws:SourceIp": "192.0.2.0/24"}},
    }
    allow = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}
    request = Request.build(USER, "s3:GetObject", OBJECT, ACCOUNT)
    assert evaluate(request, _identity(allow, deny_outside)).value == EXPLICIT_DENY  # NotIpAddress, no key
    assert evaluate(request, _identity(allow, deny_outside), unknown=every_key).value == ALLOWED
    outside = Request.build(USER, "s3:GetObject", OBJECT, ACCOUNT, {"aws:SourceIp": "198.51.100.7"})
    assert evaluate(outside, _identity(allow, deny_outside), unknown=every_key).value == EXPLICIT_DENY

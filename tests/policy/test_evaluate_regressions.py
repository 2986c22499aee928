"""Regressions found by the public conformance sets (conformance/README.md), one test per
engine fix, each citing the AWS page that decides it."""

from __future__ import annotations

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
OBJECT = "arn:aws:s3:::mybucket/testobject"


def _set(policy_type: PolicyType, kind: PolicyKind, text: str) -> CompiledSet:
    return CompiledSet.of(policy_type, parse_policy(text, kind))


ALLOW_ALL = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}'
ALLOW_EC2 = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ec2:*", "Resource": "*"}]}'


def test_not_principal_deny_always_denies_a_principal_with_a_boundary() -> None:
    # access_policies_boundaries.html: "The NotPrincipal element with a Deny effect will
    # always deny any IAM principal that has a permissions boundary policy attached,
    # regardless of the values specified in the NotPrincipal element."
    role = f"arn:aws:iam::{ACCOUNT}:role/test-role"
    session = f"arn:aws:sts::{ACCOUNT}:assumed-role/test-role/s"
    bucket_policy = _set(
        PolicyType.RESOURCE,
        PolicyKind.RESOURCE,
        # Session, role and account listed, as reference_policies_elements_notprincipal.html
        # asks: the session is left out unless its role has a boundary.
        '{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "NotPrincipal": {"AWS": ["' + session + '",'
        ' "' + role + '", "arn:aws:iam::' + ACCOUNT + ':root"]},'
        ' "Action": "s3:GetObject", "Resource": "' + OBJECT + '"}]}',
    )
    identity = _set(PolicyType.IDENTITY, PolicyKind.IDENTITY, ALLOW_ALL)
    request = Request.build(session, "s3:GetObject", OBJECT, ACCOUNT)
    unbounded = PolicySet(identity=identity, resource=bucket_policy)
    assert evaluate(request, unbounded).value == ALLOWED
    bounded = PolicySet(
        identity=identity, resource=bucket_policy, boundary=_set(PolicyType.BOUNDARY, PolicyKind.BOUNDARY, ALLOW_ALL)
    )
    assert evaluate(request, bounded).value == EXPLICIT_DENY
    assert evaluate(request, bounded, unindexed=True).value == EXPLICIT_DENY


def test_scps_do_not_apply_to_the_anonymous_caller() -> None:
    # orgs_manage_policies_scps.html: SCPs "affect only IAM users and roles that are
    # managed by accounts that are part of the organization"; an unsigned request has none.
    scp = _set(
        PolicyType.SCP,
        PolicyKind.SCP,
        '{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*"}]}',
    )
    bucket_policy = _set(
        PolicyType.RESOURCE,
        PolicyKind.RESOURCE,
        '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*",'
        ' "Action": "s3:GetObject", "Resource": "' + OBJECT + '"}]}',
    )
    request = Request.build("anonymous", "s3:GetObject", OBJECT, ACCOUNT)
    decision = evaluate(request, PolicySet(resource=bucket_policy, scps=(scp,)))
    assert decision.value == ALLOWED


def test_a_grant_naming_the_role_is_capped_by_the_role_boundary() -> None:
    # reference_policies_evaluation-logic_policy-eval-basics.html: a resource-based policy
    # naming the role ARN is capped by the role's permissions boundary (only one naming the
    # session or the user grants past it); the same holds when the simulator evaluates
    # the role itself (ARN arn:aws:iam::A:role/R).
    role = f"arn:aws:iam::{ACCOUNT}:role/test-role"
    bucket_policy = _set(
        PolicyType.RESOURCE,
        PolicyKind.RESOURCE,
        '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "' + role + '"},'
        ' "Action": "s3:GetObject", "Resource": "' + OBJECT + '"}]}',
    )
    boundary = _set(PolicyType.BOUNDARY, PolicyKind.BOUNDARY, ALLOW_EC2)
    request = Request.build(role, "s3:GetObject", OBJECT, ACCOUNT)
    decision = evaluate(request, PolicySet(resource=bucket_policy, boundary=boundary))
    assert decision.value == IMPLICIT_DENY
    assert decision.reason == "because no permissions boundary allows the s3:GetObject action"
    assert evaluate(request, PolicySet(resource=bucket_policy)).value == ALLOWED


def test_a_source_ip_of_non_ascii_digits_matches_no_network() -> None:
    # reference_policies_elements_condition_operators.html#Conditions_IPAddress: the value is
    # an IPv4 or IPv6 address. "¹0.0.0.1" is neither ("¹".isdigit() is true in Python, and
    # int("¹") fails): a simulator ContextEntry can carry it, and it must be a non-match.
    policy = _set(
        PolicyType.IDENTITY,
        PolicyKind.IDENTITY,
        '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",'
        ' "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}}]}',
    )
    for address in ("¹0.0.0.1", "10.0.0.²"):
        request = Request.build(
            f"arn:aws:iam::{ACCOUNT}:user/u", "s3:GetObject", OBJECT, ACCOUNT, {"aws:SourceIp": address}
        )
        assert evaluate(request, PolicySet(identity=policy)).value == IMPLICIT_DENY

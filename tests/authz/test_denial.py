"""AccessDenied messages, in the forms AWS's "Troubleshoot access denied error messages"
page gives."""

from __future__ import annotations

import pytest

from iamsandbox.authz.denial import access_denied_message
from iamsandbox.policy import CompiledSet, PolicyKind, PolicySet, PolicyType, Request, evaluate, parse_policy

ALICE = "arn:aws:iam::222222222222:user/alice"
DENY_ALL = '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}'


def test_implicit_deny_on_s3_quotes_the_resource() -> None:
    # The issue's example, in S3's form.
    request = Request.build(ALICE, "s3:PutObject", "arn:aws:s3:::bucket/key", "222222222222")
    decision = evaluate(request, PolicySet(identity=CompiledSet(PolicyType.IDENTITY, [])))
    assert access_denied_message(ALICE, request.resource, decision, quote_resource=True) == (
        "User: arn:aws:iam::222222222222:user/alice is not authorized to perform: s3:PutObject on resource: "
        '"arn:aws:s3:::bucket/key" because no identity-based policy allows the s3:PutObject action'
    )


def test_explicit_deny_by_a_managed_policy_names_it() -> None:
    arn = "arn:aws:iam::222222222222:policy/ExampleDenyPolicy"
    identity = CompiledSet(PolicyType.IDENTITY, [(arn, parse_policy(DENY_ALL, PolicyKind.IDENTITY))])
    request = Request.build(ALICE, "iam:CreateRole", "arn:aws:iam::222222222222:role/r", "222222222222")
    decision = evaluate(request, PolicySet(identity=identity))
    assert access_denied_message(ALICE, request.resource, decision) == (
        "User: arn:aws:iam::222222222222:user/alice is not authorized to perform: iam:CreateRole on resource: "
        "arn:aws:iam::222222222222:role/r with an explicit deny in an identity-based policy: " + arn
    )


def test_explicit_deny_by_an_inline_policy_names_no_arn() -> None:
    identity = CompiledSet(PolicyType.IDENTITY, [("inline-policy", parse_policy(DENY_ALL, PolicyKind.IDENTITY))])
    request = Request.build(ALICE, "iam:GetUser", "arn:aws:iam::222222222222:user/alice", "222222222222")
    decision = evaluate(request, PolicySet(identity=identity))
    assert access_denied_message(ALICE, request.resource, decision).endswith(
        "with an explicit deny in an identity-based policy"
    )


def test_explicit_deny_by_a_bucket_policy_names_no_policy() -> None:
    # "Troubleshoot access denied error messages" (IAM User Guide): "... with an explicit deny
    # in a resource-based policy"; a bucket policy has no ARN of its own to name.
    deny = (
        '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*",'
        '"Resource":"arn:aws:s3:::bucket/*"}]}'
    )
    resource = CompiledSet(PolicyType.RESOURCE, [("arn:aws:s3:::bucket/key", parse_policy(deny, PolicyKind.RESOURCE))])
    request = Request.build(ALICE, "s3:GetObject", "arn:aws:s3:::bucket/key", "222222222222")
    decision = evaluate(request, PolicySet(identity=CompiledSet(PolicyType.IDENTITY, []), resource=resource))
    assert access_denied_message(ALICE, request.resource, decision, quote_resource=True) == (
        "User: arn:aws:iam::222222222222:user/alice is not authorized to perform: s3:GetObject on resource: "
        '"arn:aws:s3:::bucket/key" with an explicit deny in a resource-based policy'
    )


@pytest.mark.parametrize("action", ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"])
def test_a_trust_policy_refusal_gives_no_reason(action: str) -> None:
    # AWS's answers end at the role's ARN when the trust policy does not allow the action:
    # "User: ... is not authorized to perform: sts:TagSession on resource:
    # arn:aws:iam::...:role/..." (as quoted from AWS in public logs; the same form as
    # sts:AssumeRole's, "Troubleshoot IAM roles" in the IAM User Guide).
    role = "arn:aws:iam::111111111111:role/r"
    trust = (
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"' + ALICE + '"},'
        '"Action":"sts:AssumeRole"}]}'
    )
    allow_all = DENY_ALL.replace("Deny", "Allow")
    identity = CompiledSet(PolicyType.IDENTITY, [("inline-policy", parse_policy(allow_all, PolicyKind.IDENTITY))])
    resource = CompiledSet(PolicyType.RESOURCE, [(role, parse_policy(trust, PolicyKind.TRUST))])
    # sts:AssumeRole by a caller the trust policy does not name; the others by the one it does.
    caller = "arn:aws:iam::222222222222:user/bob" if action == "sts:AssumeRole" else ALICE
    request = Request.build(caller, action, role, "111111111111")
    decision = evaluate(request, PolicySet(identity=identity, resource=resource, resource_required=True))
    assert decision.denied_by is PolicyType.RESOURCE
    assert access_denied_message(caller, role, decision) == (
        f"User: {caller} is not authorized to perform: {action} on resource: {role}"
    )


def test_a_deny_in_the_role_trust_policy_says_so() -> None:
    # "Troubleshoot access denied error messages", Access denied due to role trust policies,
    # explicit denial: "User: arn:aws:iam::777788889999:user/John is not authorized to
    # perform: sts:AssumeRole with an explicit deny in the role trust policy".
    role = "arn:aws:iam::111111111111:role/r"
    trust = (
        '{"Version":"2012-10-17","Statement":['
        '{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:root"},"Action":"sts:AssumeRole"},'
        '{"Effect":"Deny","Principal":{"AWS":"' + ALICE + '"},"Action":"sts:AssumeRole"}]}'
    )
    allow_all = DENY_ALL.replace("Deny", "Allow")
    identity = CompiledSet(PolicyType.IDENTITY, [("inline-policy", parse_policy(allow_all, PolicyKind.IDENTITY))])
    resource = CompiledSet(PolicyType.RESOURCE, [(role, parse_policy(trust, PolicyKind.TRUST))])
    request = Request.build(ALICE, "sts:AssumeRole", role, "111111111111")
    decision = evaluate(request, PolicySet(identity=identity, resource=resource, resource_required=True))
    assert access_denied_message(ALICE, role, decision, name_policy=False) == (
        "User: arn:aws:iam::222222222222:user/alice is not authorized to perform: sts:AssumeRole"
        " with an explicit deny in the role trust policy"
    )

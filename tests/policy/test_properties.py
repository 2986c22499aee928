"""Properties of the policy engine, checked with hypothesis.

- The engine, indexed and unindexed, agrees with the reference model
  (``reference_model.py``, written from AWS's "Policy evaluation logic" pages) on the
  decision and on the AccessDenied reason.
- "The order in which the enforcement code evaluates the policies is not important"
  (SNS's "Evaluation logic", the same rule as IAM's): shuffling statements, policies and
  organization levels changes nothing.
- "An explicit deny in any of these policies overrides the allow" (Policy evaluation
  logic): adding a Deny statement never turns a deny into an allow, nor an explicit deny
  into anything else; adding an Allow statement never turns an allow into a deny.
- Parse → print → parse is stable, and a compiled set's caches answer as a fresh one.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import reference_model as model
import strategies as gen
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iamsandbox.policy import (
    EXPLICIT_DENY,
    CompiledSet,
    PolicyKind,
    PolicySet,
    PolicyType,
    evaluate,
    parse_policy,
)
from slow_scale import slow_examples

# Generating a scenario costs most of the time (~20 ms each); the slow variant at the
# end runs the differential property with many more examples.
FAST = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MEDIUM = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=slow_examples(5000), deadline=None, suppress_health_check=list(HealthCheck))


def _decide(scenario: gen.Scenario, unindexed: bool = False) -> Any:
    return evaluate(gen.engine_request(scenario.request), gen.engine_policies(scenario.policies), unindexed=unindexed)


@FAST
@given(gen.scenarios())
def test_engine_indexed_unindexed_and_model_agree(scenario: gen.Scenario) -> None:
    _agree(scenario)


@pytest.mark.slow
@SLOW
@given(gen.scenarios() | gen.principal_scenarios())
def test_engine_indexed_unindexed_and_model_agree_slow(scenario: gen.Scenario) -> None:
    _agree(scenario)


def _agree(scenario: gen.Scenario) -> None:
    policies = gen.engine_policies(scenario.policies)
    request = gen.engine_request(scenario.request)
    indexed = evaluate(request, policies)
    unindexed = evaluate(request, policies, unindexed=True)
    assert (unindexed.value, unindexed.reason) == (indexed.value, indexed.reason)
    assert unindexed.matched == indexed.matched
    expected = model.evaluate(scenario.request, scenario.policies)
    assert model.accepts(scenario.request, scenario.policies, indexed.value, indexed.reason), (indexed, expected)
    if indexed.value == EXPLICIT_DENY:
        assert indexed.matched and all(s.effect == "Deny" for s in indexed.matched)


@settings(max_examples=100, deadline=None)
@given(gen.principal_scenarios())
def test_principal_and_not_principal_agree_with_model(scenario: gen.Scenario) -> None:
    _agree(scenario)


def test_not_principal_naming_a_user_and_account_denies_the_accounts_other_users() -> None:
    """The NotPrincipal page's example: with NotPrincipal naming Bob and his account
    444455556666, "all principals *except* the user named Bob in AWS account 444455556666
    are explicitly denied access" (reference_policies_elements_notprincipal.html)."""
    resource = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Deny",
                "NotPrincipal": {"AWS": ["arn:aws:iam::444455556666:user/Bob", "arn:aws:iam::444455556666:root"]},
                "Action": "s3:*",
                "Resource": ["arn:aws:s3:::BUCKETNAME", "arn:aws:s3:::BUCKETNAME/*"],
            }
        ],
    }
    for user, expected in (("Bob", "implicitDeny"), ("alice", "explicitDeny")):
        caller = model.Caller("user", f"arn:aws:iam::444455556666:user/{user}", "444455556666")
        request = model.Req(caller, "s3:GetObject", "arn:aws:s3:::BUCKETNAME/key", gen.A)
        scenario = gen.Scenario(request, model.Policies(identity=[], resource=resource))
        assert model.evaluate(request, scenario.policies).decision == expected
        assert _decide(scenario).value == expected, user


# --- order ------------------------------------------------------------------------------


def _shuffled_document(draw: st.DrawFn, document: Any) -> Any:
    body = document["Statement"]
    body = body if isinstance(body, list) else [body]
    return {**document, "Statement": draw(st.permutations(body))}


def _shuffled_group(draw: st.DrawFn, documents: Any) -> Any:
    if documents is None:
        return None
    return draw(st.permutations([_shuffled_document(draw, d) for d in documents]))


@st.composite
def _reordered(draw: st.DrawFn) -> tuple[gen.Scenario, gen.Scenario]:
    scenario = draw(gen.scenarios())
    p = scenario.policies

    def levels(sets: Any) -> Any:
        return None if sets is None else draw(st.permutations([_shuffled_group(draw, level) for level in sets]))

    other = gen.with_policies(
        scenario,
        identity=_shuffled_group(draw, p.identity),
        resource=None if p.resource is None else _shuffled_document(draw, p.resource),
        boundary=_shuffled_group(draw, p.boundary),
        session=_shuffled_group(draw, p.session),
        scps=levels(p.scps),
        rcps=levels(p.rcps),
    )
    return scenario, other


@MEDIUM
@given(_reordered())
def test_order_of_statements_and_policies_never_matters(pair: tuple[gen.Scenario, gen.Scenario]) -> None:
    first, second = (_decide(s) for s in pair)
    assert (first.value, first.reason) == (second.value, second.reason)
    assert len(first.matched) == len(second.matched)


# --- monotonicity -----------------------------------------------------------------------

_SLOTS = {
    "identity": PolicyKind.IDENTITY,
    "boundary": PolicyKind.BOUNDARY,
    "session": PolicyKind.SESSION,
    "scps": PolicyKind.SCP,
    "rcps": PolicyKind.RCP,
    "resource": PolicyKind.RESOURCE,
}


@st.composite
def _with_statement(draw: st.DrawFn, effect: str) -> tuple[gen.Scenario, gen.Scenario]:
    """A scenario, and the same with one more statement in one of its existing policies
    (adding a policy where none applied, such as a first boundary, is another change)."""
    scenario = draw(gen.scenarios())
    p = scenario.policies
    slots = [name for name in _SLOTS if getattr(p, name)]
    if effect == "Allow":
        slots = [name for name in slots if name != "rcps"]  # only RCPFullAWSAccess may Allow
    if not slots:
        return scenario, scenario
    slot = draw(st.sampled_from(slots))
    kind = PolicyKind.TRUST if slot == "resource" and p.resource_required else _SLOTS[slot]
    extra = draw(gen.statements(kind, effect=effect))

    def add(document: Any) -> Any:
        body = document["Statement"]
        body = list(body) if isinstance(body, list) else [body]
        body.insert(draw(st.integers(0, len(body))), extra)
        return {**document, "Statement": body}

    if slot == "resource":
        return scenario, gen.with_policies(scenario, resource=add(p.resource))
    group = list(getattr(p, slot))
    if slot in ("scps", "rcps"):
        level = draw(st.integers(0, len(group) - 1))
        members = list(group[level])
        at = draw(st.integers(0, len(members) - 1))
        members[at] = add(members[at])
        group[level] = members
    else:
        at = draw(st.integers(0, len(group) - 1))
        group[at] = add(group[at])
    return scenario, gen.with_policies(scenario, **{slot: group})


@MEDIUM
@given(_with_statement("Deny"))
def test_adding_a_deny_never_allows_more(pair: tuple[gen.Scenario, gen.Scenario]) -> None:
    before, after = (_decide(s) for s in pair)
    if not before.allowed:
        assert not after.allowed, (before, after)
    if before.value == EXPLICIT_DENY:
        assert after.value == EXPLICIT_DENY, (before, after)


@MEDIUM
@given(_with_statement("Allow"))
def test_adding_an_allow_never_denies_more(pair: tuple[gen.Scenario, gen.Scenario]) -> None:
    before, after = (_decide(s) for s in pair)
    if before.allowed:
        assert after.allowed, (before, after)


# --- parse, print, parse ----------------------------------------------------------------


@st.composite
def _documents(draw: st.DrawFn) -> tuple[PolicyKind, Any]:
    kind = draw(st.sampled_from(list(PolicyKind)))
    return kind, draw(gen.policies(kind, max_statements=4))


@FAST
@given(_documents(), st.sampled_from([None, 0, 2]))
def test_parse_print_parse_is_stable(document: tuple[PolicyKind, Any], indent: int | None) -> None:
    kind, value = document
    policy = parse_policy(json.dumps(value, indent=indent), kind)
    assert parse_policy(policy.dumps(), kind) == policy
    assert parse_policy(json.dumps(policy.to_json()), kind) == policy
    assert parse_policy(json.dumps(policy.to_json(), ensure_ascii=False), kind).to_json() == policy.to_json()


# --- caches -----------------------------------------------------------------------------


@MEDIUM
@given(
    st.lists(gen.policies(PolicyKind.IDENTITY, max_statements=4), min_size=1, max_size=3),
    st.lists(gen.requests(), min_size=1, max_size=12),
)
def test_action_cache_answers_like_a_fresh_set(documents: list[Any], requests: list[model.Req]) -> None:
    def fresh() -> CompiledSet:
        parsed = [(str(i), gen.parse(d, PolicyKind.IDENTITY)) for i, d in enumerate(documents)]
        return CompiledSet(PolicyType.IDENTITY, parsed)

    shared = fresh()
    engine_requests = [gen.engine_request(r) for r in requests]
    first = [evaluate(r, PolicySet(identity=shared)) for r in engine_requests]
    again = [evaluate(r, PolicySet(identity=shared)) for r in reversed(engine_requests)][::-1]
    alone = [evaluate(r, PolicySet(identity=fresh())) for r in engine_requests]
    assert first == again == alone
    for request in engine_requests:
        assert shared.candidates(request) == shared.candidates(request)
        assert {id(s) for s in shared.candidates(request)} <= {id(s) for s in shared.candidates_unindexed(request)}

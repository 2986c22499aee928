from __future__ import annotations

import pytest

from iamsandbox.policy import CompiledSet, PolicyKind, PolicyType, parse_policy
from iamsandbox.policy.cache import CompileCache

POLICY = '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}'


def test_compiles_once_per_version_key() -> None:
    cache: CompileCache[CompiledSet] = CompileCache(capacity=2)
    builds = []

    def build() -> CompiledSet:
        builds.append(1)
        return CompiledSet(PolicyType.IDENTITY, [("p", parse_policy(POLICY, PolicyKind.IDENTITY))])

    first = cache.get(("arn:aws:iam::111122223333:policy/p", "v1"), build)
    again = cache.get(("arn:aws:iam::111122223333:policy/p", "v1"), build)
    assert first is again and len(builds) == 1
    newer = cache.get(("arn:aws:iam::111122223333:policy/p", "v2"), build)
    assert newer is not first and len(builds) == 2


def test_evicts_least_recently_used() -> None:
    cache: CompileCache[str] = CompileCache(capacity=2)
    cache.get("a", lambda: "A")
    cache.get("b", lambda: "B")
    cache.get("a", lambda: "A2")  # a is now the most recent
    cache.get("c", lambda: "C")  # evicts b
    assert cache.get("b", lambda: "B2") == "B2"
    assert cache.get("a", lambda: "A3") == "A3"  # b's return evicted a, by then the oldest
    assert len(cache) == 2


def test_a_policy_text_is_parsed_once_per_kind() -> None:
    """The same document written again (the one trust policy of every role a CI run
    creates) is not parsed again; another kind of policy is, since its rules differ ("IAM
    JSON policy element reference": Principal only in resource-based and trust policies)."""
    from iamsandbox.errors import MalformedPolicyDocument

    trust = (
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"111111111111"},'
        '"Action":"sts:AssumeRole"}]}'
    )
    first = parse_policy(trust, PolicyKind.TRUST)
    assert parse_policy(trust, PolicyKind.TRUST) is first
    assert parse_policy(trust.encode(), PolicyKind.TRUST) is first
    for _ in range(2):  # a refusal is not remembered as a policy: refused again each time
        with pytest.raises(MalformedPolicyDocument, match="Policy document should not specify a principal"):
            parse_policy(trust, PolicyKind.IDENTITY)

"""Table-driven cases for the policy engine, one data file per topic in ``cases/``.

Every case cites the AWS documentation page (and section or sentence) its expected value
comes from; expected values are reasoned from AWS's documentation, never copied from the
engine. Each evaluation case runs twice, indexed and unindexed, and both must agree.

An evaluation case::

    {"name": ..., "source": "<AWS doc URL>#<section or quoted sentence>",
     "policies": {"identity": [doc, ...], "resource": doc, "boundary": [doc],
                  "session": [doc, ...], "scps": [[doc, ...], ...], "rcps": [[doc, ...], ...],
                  "resource_required": bool},
     "request": {"principal": ARN, "role_arn": ARN, "action": ..., "resource": ...,
                 "resource_account": ..., "context": {key: value or [values]}},
     "expect": {"decision": "allowed|explicitDeny|implicitDeny", "reason": ...,
                "matched": [[type, position, statement], ...], "missing": [...]}}

``matched`` names statements by policy type (``identity``, ``resource``, ``boundary``,
``session``), the policy's position in its list and the statement's index; for ``scps``
and ``rcps`` the position is ``[level, position]``: ``["scps", 0, 1, 0]``. A resource
policy parsed with ``resource_required`` and no Resource element is a role trust policy.

A parse case has ``"parse": {"kind": ..., "text" or "document": ...}`` and expects
``{"error": class name, "code": AWS code, "message": exact message}``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from iamsandbox import errors
from iamsandbox.policy import (
    CompiledSet,
    Policy,
    PolicyKind,
    PolicySet,
    PolicyType,
    Principal,
    Request,
    evaluate,
    normalize_context,
    parse_policy,
)

CASES_DIR = Path(__file__).parent / "cases"

_TYPES = {
    "identity": (PolicyKind.IDENTITY, PolicyType.IDENTITY),
    "resource": (PolicyKind.RESOURCE, PolicyType.RESOURCE),
    "boundary": (PolicyKind.BOUNDARY, PolicyType.BOUNDARY),
    "session": (PolicyKind.SESSION, PolicyType.SESSION),
    "scps": (PolicyKind.SCP, PolicyType.SCP),
    "rcps": (PolicyKind.RCP, PolicyType.RCP),
}
_NAMES = {policy_type: name for name, (_kind, policy_type) in _TYPES.items()}


def _load() -> list[Any]:
    params = []
    for path in sorted(CASES_DIR.glob("*.json")):
        cases = json.loads(path.read_text(encoding="utf-8"))
        names = [case["name"] for case in cases]
        assert len(names) == len(set(names)), f"duplicate case names in {path.name}"
        for case in cases:
            params.append(pytest.param(case, id=f"{path.stem}::{case['name']}"))
    return params


CASES = _load()


def _text(document: Any) -> str:
    return document if isinstance(document, str) else json.dumps(document, indent=2)


def _parse(document: Any, kind: PolicyKind) -> Policy:
    return parse_policy(_text(document), kind)


def _policy_set(spec: dict[str, Any]) -> PolicySet:
    resource_required = bool(spec.get("resource_required", False))
    sets: dict[str, Any] = {}
    for name in ("identity", "boundary", "session"):
        if name in spec:
            kind, policy_type = _TYPES[name]
            sets[name] = CompiledSet(
                policy_type, [(f"{name}/{i}", _parse(doc, kind)) for i, doc in enumerate(spec[name])]
            )
    if "resource" in spec:
        document = spec["resource"]
        trust = resource_required and all("Resource" not in s and "NotResource" not in s for s in _statements(document))
        kind = PolicyKind.TRUST if trust else PolicyKind.RESOURCE
        sets["resource"] = CompiledSet(PolicyType.RESOURCE, [("resource/0", _parse(document, kind))])
    for name in ("scps", "rcps"):
        if name in spec:
            kind, policy_type = _TYPES[name]
            sets[name] = tuple(
                CompiledSet(policy_type, [(f"{name}/{level}/{i}", _parse(doc, kind)) for i, doc in enumerate(docs)])
                for level, docs in enumerate(spec[name])
            )
    return PolicySet(resource_required=resource_required, **sets)


def _statements(document: Any) -> list[dict[str, Any]]:
    statements = document["Statement"]
    return statements if isinstance(statements, list) else [statements]


def _request(spec: dict[str, Any]) -> Request:
    principal = Principal.from_arn(spec["principal"], spec.get("role_arn"))
    return Request(
        principal,
        spec["action"],
        spec.get("resource", "*"),
        spec.get("resource_account"),
        normalize_context(spec.get("context")),
    )


def _matched_ids(decision: Any) -> list[list[Any]]:
    out = []
    for statement in decision.matched:
        parts = statement.policy_id.split("/")
        assert parts[0] == _NAMES[statement.policy_type]
        out.append([parts[0], *(int(p) for p in parts[1:]), statement.index])
    return sorted(out)


@pytest.mark.parametrize("case", CASES)
def test_case(case: dict[str, Any]) -> None:
    assert case["source"].startswith("https://docs.aws.amazon.com/"), "cite AWS's documentation"
    if "parse" in case:
        _check_parse(case)
        return
    policies = _policy_set(case["policies"])
    request = _request(case["request"])
    expect = case["expect"]
    decision = evaluate(request, policies, with_missing="missing" in expect)
    unindexed = evaluate(request, policies, unindexed=True)
    assert decision.value == expect["decision"], decision
    assert unindexed.value == decision.value
    assert unindexed.reason == decision.reason
    assert _matched_ids(unindexed) == _matched_ids(decision)
    if "reason" in expect:
        assert decision.reason == expect["reason"]
    elif decision.value == "allowed":
        assert decision.reason == ""
    if "matched" in expect:
        assert _matched_ids(decision) == sorted(expect["matched"])
    if "missing" in expect:
        assert sorted(decision.missing_context_keys) == sorted(expect["missing"])


def _check_parse(case: dict[str, Any]) -> None:
    spec = case["parse"]
    kind = PolicyKind(spec["kind"])
    text = spec["text"] if "text" in spec else _text(spec["document"])
    expect = case["expect"]
    error_class = getattr(errors, expect["error"])
    with pytest.raises(errors.ServiceError) as caught:
        parse_policy(text, kind)
    assert type(caught.value) is error_class
    assert caught.value.code == expect["code"]
    assert caught.value.message == expect["message"]

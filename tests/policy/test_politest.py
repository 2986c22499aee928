"""politest's scenarios (reaandrew/politest, MIT), whose expectations AWS recorded.

politest runs each test through IAM's ``SimulateCustomPolicy``
(https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulateCustomPolicy.html), so
its expected decisions are what AWS's simulator answered. The data is copied in
``tests/data/politest/`` (see its README.md for source and licence).

How politest calls the simulator, reproduced here:
- the identity policy is ``PolicyInputList``; the resource policy ``ResourcePolicy``;
  ``caller_arn`` is ``CallerArn``, ``resource_owner`` is ``ResourceOwner`` (without it,
  "the owner of the resources and the resource policy defaults to the account of the
  identity provided in CallerArn");
- every file of ``scp_paths`` (SCPs *and* RCPs) is merged into one policy sent as
  ``PermissionsBoundaryPolicyInputList``: the simulator evaluates it as a permissions
  boundary, so it is modelled as one here;
- one call per action (a test's ``actions`` list is expanded); several ``resources``
  go in one call;
- non-IAM fields in ``*-with-metadata.json`` policies are stripped before the call. IAM
  would refuse such a policy, so the test checks that our parser does, then evaluates the
  stripped policy as politest sent it;
- ``{{.name}}`` placeholders are Go templates rendered from ``vars_file`` and ``vars``;
  ``extends`` inherits a parent scenario, whose keys the child overrides. The athena
  example's policy still carries its legacy framework's ``${NAME}`` / ``<NAME>``
  placeholders; its expectations assume them replaced by its ``vars`` (see
  ``render_policy``). Its expectations (and the demo branch's) were written by hand, not
  checked by politest's CI against AWS as ``test/`` is.

Some expectations are deliberately wrong, to demonstrate politest's failure output
(commented ``# WRONG``, or ``fail-0*`` scenarios). ``CORRECTIONS`` lists each with the
real result the comment gives; the test asserts the real result.

This module is also the loader ``conformance/policy_eval.py`` uses.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from iamsandbox.cli.simulate_input import ContextEntry, request_context
from iamsandbox.errors import MalformedPolicyDocument
from iamsandbox.policy import (
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

DATA = Path(__file__).resolve().parents[1] / "data" / "politest"

# SimulateCustomPolicy without CallerArn evaluates the policies for an unnamed caller;
# any IAM user stands for it (no scenario without caller_arn has a resource policy).
DEFAULT_CALLER = "arn:aws:iam::123456789012:user/politest-caller"

IAM_TOP_LEVEL = {"Version", "Id", "Statement"}
IAM_STATEMENT = {
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
}

# Deliberately wrong expectations: (scenario file, test name) -> (real result, the comment).
CORRECTIONS: dict[tuple[str, str], tuple[str, str]] = {
    ("test/scenarios/fail-01-scp-deny.yml", "Basic S3 access (will fail due to SCP)"): (
        "explicitDeny",
        "Wrong expectation - will actually be explicitDeny",
    ),
    ("test/scenarios/fail-01-scp-deny.yml", "S3 access with IP condition (will fail due to SCP)"): (
        "explicitDeny",
        "Wrong expectation - will actually be explicitDeny",
    ),
    ("test/scenarios/fail-01-scp-deny.yml", "S3 access to multiple buckets (will fail due to SCP)"): (
        "explicitDeny",
        "Wrong expectation - will actually be explicitDeny",
    ),
    ("test/scenarios/fail-02-identity-deny-ip.yml", "DeleteObject from untrusted IP (should show statement source)"): (
        "explicitDeny",
        "WRONG - will be explicitDeny",
    ),
    ("test/scenarios/fail-03-identity-deny-mfa.yml", "TerminateInstances without MFA (should show statement source)"): (
        "explicitDeny",
        "WRONG - will be explicitDeny",
    ),
    (
        "examples/demo/05-failure-with-multiple-scps/scenario.yml",
        "S3 DeleteObject denied by SCP (FAILS - showcases output)",
    ): ("explicitDeny", "We expect it to be allowed, but SCP denies it (the demo README shows 'Got: explicitDeny')"),
    ("examples/demo/07-context-conditions/scenario.yml", "GetObject from untrusted IP should fail"): (
        "implicitDeny",
        "WRONG! Will actually be implicitDeny - shows failure output",
    ),
    ("examples/demo/07-context-conditions/scenario.yml", "PutObject without MFA should fail"): (
        "implicitDeny",
        "WRONG! Will actually be implicitDeny - shows failure output",
    ),
    ("examples/demo/07-context-conditions/scenario.yml", "StartInstances with Finance tag should fail"): (
        "implicitDeny",
        "WRONG! Will actually be implicitDeny - shows failure output",
    ),
    (
        "examples/demo/07-context-conditions/scenario.yml",
        "DeleteObject from untrusted network should be explicitly denied",
    ): ("explicitDeny", "WRONG! Will be explicitDeny due to IP restriction"),
    (
        "examples/demo/07-context-conditions/scenario.yml",
        "TerminateInstances without MFA should be explicitly denied",
    ): ("explicitDeny", "WRONG! Will be explicitDeny due to missing MFA"),
    (
        "examples/demo/07-context-conditions/scenario.yml",
        "TerminateInstances with MFA + Engineering tag - BLOCKED BY SCP",
    ): ("explicitDeny", "WRONG! SCP blocks this even though policy + conditions would allow it (a Deny statement)"),
    ("examples/demo/07-context-conditions/scenario.yml", "DeleteVolume blocked by organization SCP"): (
        "explicitDeny",
        "WRONG! SCP denies this at org level regardless of conditions (a Deny statement)",
    ),
}

_TEMPLATE = re.compile(r"\{\{\s*\.(\w+)\s*\}\}")


@dataclass
class PolicyFile:
    path: Path
    text: str

    @property
    def has_metadata(self) -> bool:
        return self.path.name.endswith("-with-metadata.json")


@dataclass
class Case:
    file: str  # the scenario, relative to the politest root
    name: str  # "[n] test name" (unnamed tests are named as politest names them)
    actions: list[str]
    resources: list[str]
    context: dict[str, str | list[str]]
    caller: str
    resource_owner: str | None
    identity: PolicyFile
    resource_policy: PolicyFile | None
    boundary: list[PolicyFile]
    expect: str  # corrected where the scenario's expectation is deliberately wrong
    written: str  # the expectation as written
    correction: str | None = None
    line: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def render(text: str, variables: dict[str, Any]) -> str:
    """Go's text/template for the ``{{.name}}`` form politest's data uses (missingkey=error)."""
    return _TEMPLATE.sub(lambda m: str(variables[m.group(1)]), text)


def render_policy(text: str, variables: dict[str, Any]) -> str:
    """A policy template: Go's ``{{.name}}``, then the legacy placeholders of the athena
    example (``${NAME}`` for envsubst, ``<NAME>`` for sed, as its README shows), whose
    values its ``vars`` give ("uppercase for policy"). Only names that are variables are
    replaced, so IAM policy variables such as ``${aws:username}`` stay."""
    text = render(text, variables)
    for name, value in variables.items():
        text = text.replace("${" + name + "}", str(value)).replace(f"<{name}>", str(value))
    return text


def _policy_file(path: Path, variables: dict[str, Any] | None = None) -> PolicyFile:
    """A policy file; a template is rendered with ``variables``."""
    text = path.read_text()
    return PolicyFile(path, text if variables is None else render_policy(text, variables))


def _load_scenario(path: Path) -> tuple[dict[str, Any], dict[int, str]]:
    """The scenario with ``extends`` resolved, and each expect line's comment."""
    text = path.read_text()
    data = yaml.safe_load(text) or {}
    if "extends" in data:
        parent, _ = _load_scenario(path.parent / data["extends"])
        merged_vars = {**(parent.get("vars") or {}), **(data.get("vars") or {})}
        data = {**parent, **{k: v for k, v in data.items() if k != "extends"}}
        if merged_vars:
            data["vars"] = merged_vars
    lines = text.splitlines()
    comments: dict[int, str] = {}
    for number, line in enumerate(lines):
        if re.match(r"\s*expect:", line):
            same = line.partition("#")[2].strip()
            before = lines[number - 1].strip().lstrip("#").strip() if lines[number - 1].strip().startswith("#") else ""
            comments[number + 1] = same or before
    return data, comments


def _expect_lines(path: Path) -> list[int]:
    """1-based line of each test's ``expect:`` value, in order (YAML node marks)."""
    node = yaml.compose(path.read_text())
    out: list[int] = []
    if node is None:
        return out
    for key, value in node.value:
        if key.value == "tests":
            for test in value.value:
                for k, v in test.value:
                    if k.value == "expect":
                        out.append(v.start_mark.line + 1)
    return out


def load_cases(root: Path = DATA) -> list[Case]:
    cases: list[Case] = []
    scenarios = sorted((root / "test" / "scenarios").glob("*.yml")) + sorted((root / "examples").rglob("scenario.yml"))
    for path in scenarios:
        file = path.relative_to(root).as_posix()
        data, comments = _load_scenario(path)
        base = path.parent
        variables: dict[str, Any] = {}
        if data.get("vars_file"):
            variables.update(yaml.safe_load((base / data["vars_file"]).read_text()) or {})
        variables.update(data.get("vars") or {})

        if data.get("policy_json"):
            identity = _policy_file(base / data["policy_json"], None)
        else:
            identity = _policy_file(base / data["policy_template"], variables)
        boundary = [
            PolicyFile(p, p.read_text())
            for pattern in data.get("scp_paths") or []
            for p in (sorted(base.glob(pattern)) or [base / pattern])
        ]
        own_lines = _expect_lines(path) if "tests" in yaml.safe_load(path.read_text()) else []
        for index, test in enumerate(data.get("tests") or []):
            resources = (
                [render(test["resource"], variables)]
                if test.get("resource")
                else [render(r, variables) for r in test.get("resources") or []] or ["*"]
            )
            actions = [render(a, variables) for a in (test.get("actions") or [test["action"]])]
            name = test.get("name") or f"{actions[0]} on {resources[0]}"
            context = request_context(
                ContextEntry(
                    entry["ContextKeyName"],
                    tuple(render(str(v), variables) for v in entry["ContextKeyValues"]),
                    entry.get("ContextKeyType"),
                )
                for entry in (data.get("context") or []) + (test.get("context") or [])
            )
            resource_policy = None
            if test.get("resource_policy_json") or data.get("resource_policy_json"):
                relative = test.get("resource_policy_json") or data["resource_policy_json"]
                resource_policy = _policy_file(base / relative)
            elif test.get("resource_policy_template") or data.get("resource_policy_template"):
                template = test.get("resource_policy_template") or data["resource_policy_template"]
                resource_policy = _policy_file(base / template, variables)
            caller = test.get("caller_arn") or data.get("caller_arn")
            owner = test.get("resource_owner") or data.get("resource_owner")
            line = own_lines[index] if index < len(own_lines) else 0
            written = test["expect"]
            correction = CORRECTIONS.get((file, name))
            comment = comments.get(line, "")
            if "wrong" in comment.lower() and correction is None:
                raise AssertionError(f"{file}:{line}: a deliberately wrong expectation without a correction")
            cases.append(
                Case(
                    file=file,
                    name=f"[{index + 1}] {name}",
                    actions=actions,
                    resources=resources,
                    context=context,
                    caller=render(caller, variables) if caller else DEFAULT_CALLER,
                    resource_owner=render(owner, variables) if owner else None,
                    identity=identity,
                    resource_policy=resource_policy,
                    boundary=boundary,
                    expect=correction[0] if correction else written,
                    written=written,
                    correction=correction[1] if correction else None,
                    line=line,
                )
            )
    return cases


def strip_non_iam(text: str) -> str:
    """What politest sends for a policy with metadata: only IAM's own elements."""
    document = json.loads(text)
    document = {k: v for k, v in document.items() if k in IAM_TOP_LEVEL}
    statements = document.get("Statement")
    if isinstance(statements, dict):
        statements = [statements]
    document["Statement"] = [{k: v for k, v in s.items() if k in IAM_STATEMENT} for s in statements or []]
    return json.dumps(document)


def _parse(policy: PolicyFile, kind: PolicyKind) -> Any:
    if policy.has_metadata:
        return parse_policy(strip_non_iam(policy.text), kind)
    return parse_policy(policy.text, kind)


def policy_set(case: Case) -> PolicySet:
    identity = CompiledSet(PolicyType.IDENTITY, [("PolicyInputList.1", _parse(case.identity, PolicyKind.IDENTITY))])
    resource = None
    if case.resource_policy is not None:
        resource = CompiledSet(
            PolicyType.RESOURCE, [("ResourcePolicy", _parse(case.resource_policy, PolicyKind.RESOURCE))]
        )
    boundary = None
    if case.boundary:
        boundary = CompiledSet(
            PolicyType.BOUNDARY,
            [
                (f"PermissionsBoundaryPolicyInputList.1:{p.path.name}", _parse(p, PolicyKind.BOUNDARY))
                for p in case.boundary
            ],
        )
    return PolicySet(identity=identity, resource=resource, boundary=boundary)


def run_case(case: Case) -> str:
    """The decision for the case; with several actions, each must agree (else "mixed")."""
    policies = policy_set(case)
    owner_account = case.resource_owner.split(":")[4] if case.resource_owner else None
    decisions: list[str] = []
    for action in case.actions:
        # Several resources in one call: the most restrictive decision.
        results = [
            evaluate(Request.build(case.caller, action, resource, owner_account, case.context), policies).value
            for resource in case.resources
        ]
        if EXPLICIT_DENY in results:
            decisions.append(EXPLICIT_DENY)
        elif IMPLICIT_DENY in results:
            decisions.append(IMPLICIT_DENY)
        else:
            decisions.append(results[0])
    if len(set(decisions)) == 1:
        return decisions[0]
    return "mixed: " + ", ".join(f"{a}={d}" for a, d in zip(case.actions, decisions, strict=True))


CASES = load_cases() if DATA.exists() else []


def test_all_expect_lines_are_cases() -> None:
    # 142 expect lines, plus the 4 tests 16-extends-override-vars.yml inherits and re-runs
    # with its own variables.
    assert len(CASES) == 146
    assert sum(1 for c in CASES if c.correction) == len(CORRECTIONS)


# conformance/known_differences.json: cases whose expectation AWS's documentation
# contradicts ("case wrong": the documented result is asserted instead).
KNOWN_DIFFERENCES = Path(__file__).resolve().parents[2] / "conformance" / "known_differences.json"
KNOWN = {
    entry["case"].removeprefix("politest:"): entry
    for entry in json.loads(KNOWN_DIFFERENCES.read_text())
    if entry["case"].startswith("politest:")
}


@pytest.mark.parametrize("case", CASES, ids=[f"{c.file}:{c.name}" for c in CASES])
def test_politest_case(case: Case) -> None:
    entry = KNOWN.get(f"{case.file}:{case.name}")
    assert entry is None or entry["kind"] == "case wrong", "only documented wrong cases are listed"
    expected = entry["got"] if entry is not None else case.expect
    assert run_case(case) == expected


METADATA_POLICIES = sorted(p for p in DATA.rglob("*-with-metadata.json"))


@pytest.mark.parametrize("path", METADATA_POLICIES, ids=[p.name for p in METADATA_POLICIES])
def test_policies_with_metadata_are_refused(path: Path) -> None:
    # IAM's grammar allows only its own elements ("Grammar of the IAM JSON policy language",
    # https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html).
    kind = {"scp": PolicyKind.SCP, "policies": PolicyKind.IDENTITY}[path.parent.name]
    if "resource-policy" in path.name:
        kind = PolicyKind.RESOURCE
    with pytest.raises(MalformedPolicyDocument):
        parse_policy(path.read_text(), kind)

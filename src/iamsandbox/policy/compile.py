"""Policies compiled once into matchers, and indexed by action and resource.

A ``CompiledSet`` holds the statements of one policy set (the identity policies of a
principal, a resource policy, a boundary, the SCPs of one level, ...). Statements are
compiled once; for each action the set sees, it works out once which statements can
apply (Action / NotAction) and indexes those by the literal prefix of their resources,
so that evaluating a request touches only the statements whose action applies and whose
resource prefix the requested resource has. ``candidates_unindexed`` is the plain path
(every statement, matched in full), kept for tests that compare the two.

Build a ``CompiledSet`` per policy version and cache it: compiled policies are
immutable, so one can serve every request and every thread.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from .ast import Policy, PrincipalSet, Statement
from .conditions import CompiledCondition
from .decision import MatchedStatement, PolicyType
from .match import Matcher, compile_action, compile_resource, literal_prefix
from .request import Grant, Principal, PrincipalKind, Request
from .variables import Variable, tokenize, unresolved

_MAX_ACTIONS = 8192  # distinct actions indexed per set before the index starts over
_MAX_RESOURCES = 1024  # resources remembered per action index


class PrincipalMatcher:
    """A compiled Principal or NotPrincipal element."""

    __slots__ = ("everyone", "aws_everyone", "names")

    def __init__(self, element: PrincipalSet) -> None:
        self.everyone = element.wildcard
        self.aws_everyone = any(kind == "AWS" and value == "*" for kind, value in element.values)
        # ARNs, account IDs, service names, providers and canonical IDs never collide.
        self.names = frozenset(value for _kind, value in element.values)

    def grant(self, principal: Principal) -> Grant | None:
        """How specifically this element names ``principal``; None if it does not."""
        best: Grant | None = None
        for name, grant in principal.names.items():
            if name in self.names and (best is None or grant > best):
                best = grant
        if best is None and self._names_everyone(principal):
            best = Grant.EVERYONE
        return best

    def _names_everyone(self, principal: Principal) -> bool:
        """``"*"`` names every caller; ``{"AWS": "*"}`` every caller but AWS services."""
        return self.everyone or (self.aws_everyone and principal.kind is not PrincipalKind.SERVICE)

    def excludes(self, principal: Principal, deny: bool) -> bool:
        """Whether a NotPrincipal element leaves ``principal`` out.

        For Deny, "you must also specify the account ARN of the not-denied principal.
        Otherwise, the policy might deny access to the entire account containing the
        principal ... AWS verifies first the account, then the role, and then the
        assumed-role user", and a session must be named: "Principals must always name a
        specific session" (reference_policies_elements_notprincipal.html). So an IAM
        principal is left out only when its account and its own ARN are both listed, and for
        a role session the role's ARN too: "If the NotPrincipal element was missing the ARN
        of the role, the effect of the policy might be to explicitly deny access to the
        role", as the page's example lists the session, the role and the account. NotPrincipal
        with Allow is not supported by AWS; there any listed name of the caller leaves it out.
        """
        if self._names_everyone(principal):
            return True
        listed = {grant for name, grant in principal.names.items() if name in self.names}
        if not deny or principal.kind in (PrincipalKind.ROOT, PrincipalKind.SERVICE, PrincipalKind.ANONYMOUS):
            return bool(listed)
        if principal.kind is PrincipalKind.ROLE_SESSION and Grant.ROLE not in listed:
            return False
        return Grant.ACCOUNT in listed and Grant.DIRECT in listed


class CompiledStatement:
    __slots__ = (
        "allow",
        "actions",
        "not_action",
        "resources",
        "resource_variables",
        "not_resource",
        "resource_prefix",
        "principal",
        "not_principal",
        "conditions",
        "matched",
        "order",
    )

    def __init__(self, statement: Statement, matched: MatchedStatement, order: int, variables: bool) -> None:
        self.allow = statement.allows
        self.matched = matched
        self.order = order
        self.not_action = statement.action is None
        action_patterns = statement.action if statement.action is not None else statement.not_action or ()
        self.actions: tuple[Matcher, ...] = tuple(compile_action(a) for a in action_patterns)
        self.not_resource = statement.not_resource is not None
        patterns = statement.resource if statement.resource is not None else statement.not_resource
        if patterns is None:  # a trust policy: the resource is the role itself
            patterns = ("*",)
        self.resources: tuple[Matcher, ...] = tuple(compile_resource(p, variables) for p in patterns)
        self.resource_variables: tuple[Variable, ...] = tuple(
            t for p in patterns if variables and "${" in p for t in tokenize(p) if isinstance(t, Variable)
        )
        self.resource_prefix = "" if self.not_resource else _common_prefix([literal_prefix(p) for p in patterns])
        self.principal = PrincipalMatcher(statement.principal) if statement.principal is not None else None
        self.not_principal = PrincipalMatcher(statement.not_principal) if statement.not_principal is not None else None
        self.conditions = tuple(CompiledCondition(c, variables) for c in statement.condition)

    def applies_to_action(self, action_key: str) -> bool:
        hit = any(m(action_key, {}) for m in self.actions)
        return not hit if self.not_action else hit

    def grant(
        self,
        request: Request,
        missing: list[str] | None,
        bounded: bool = False,
        unknown: Callable[[str], bool] | None = None,
    ) -> Grant | None:
        """Whether the statement matches the request, given that its action applies;
        for a statement with a Principal, how it names the caller. ``bounded``: the
        caller has a permissions boundary. ``unknown`` (with ``missing``): which absent keys
        (lower-cased) are unknown rather than absent; an Allow's condition on one is taken as
        met, a Deny's as unmet, and the key noted in ``missing`` (the access explorer's
        "allowed only if": ``evaluate``)."""
        resource = request.resource
        context = request.context
        hit = False
        for matcher in self.resources:
            if matcher(resource, context):
                hit = True
                break
        if self.resource_variables and missing is not None:
            missing.extend(unresolved(self.resource_variables, context))  # (MissingContextValues)
        if hit is self.not_resource:
            return None
        grant = Grant.DIRECT
        if self.principal is not None:
            named = self.principal.grant(request.principal)
            if named is None:
                return None
            grant = named
        elif self.not_principal is not None:
            # "The NotPrincipal element with a Deny effect will always deny any IAM principal
            # that has a permissions boundary policy attached, regardless of the values
            # specified in the NotPrincipal element" (access_policies_boundaries.html).
            if (self.allow or not bounded) and self.not_principal.excludes(request.principal, not self.allow):
                return None
            grant = Grant.EVERYONE
        matched = True
        for condition in self.conditions:
            if not condition(context, missing):
                if missing is None:
                    return None
                if unknown is not None and self.allow and _unknown(condition, context, unknown, missing):
                    continue
                # Every condition still runs, so that each key the statement needs and the
                # request lacks is reported ("MissingContextValues: A list of context keys
                # that are required by the included input policies but that were not
                # provided", EvaluationResult, IAM API Reference).
                matched = False
            elif unknown is not None and not self.allow and _unknown(condition, context, unknown, missing):
                # A Deny's condition met only because its key is absent (a negated operator,
                # Null): with the key, it might not be.
                matched = False
        return grant if matched else None

    def __repr__(self) -> str:
        return f"CompiledStatement({self.matched!r})"


def _unknown(
    condition: CompiledCondition,
    context: Mapping[str, Any],
    unknown: Callable[[str], bool],
    missing: list[str] | None,
) -> bool:
    """Whether ``condition``'s key is absent from ``context`` and ``unknown`` (noted in
    ``missing`` then: a Null condition's key is not noted by the condition itself)."""
    if context.get(condition.key) or not unknown(condition.key):
        return False
    if missing is not None:
        missing.append(condition.clause.key)
    return True


def _common_prefix(prefixes: Sequence[str]) -> str:
    if not prefixes:
        return ""
    first, last = min(prefixes), max(prefixes)
    size = 0
    while size < len(first) and first[size] == last[size]:
        size += 1
    return first[:size]


class _ResourceIndex:
    """The statements whose action applies, by the literal prefix of their resources."""

    __slots__ = ("always", "by_length", "memo")

    def __init__(self, statements: Iterable[CompiledStatement]) -> None:
        self.always: list[CompiledStatement] = []
        tables: dict[int, dict[str, list[CompiledStatement]]] = {}
        for statement in statements:
            prefix = statement.resource_prefix
            if not prefix:
                self.always.append(statement)
            else:
                tables.setdefault(len(prefix), {}).setdefault(prefix, []).append(statement)
        self.by_length = tuple(sorted(tables.items()))
        self.memo: dict[str, list[CompiledStatement]] = {}  # resource -> candidates, bounded

    def lookup(self, resource: str) -> list[CompiledStatement]:
        if not self.by_length:
            return self.always
        found = self.memo.get(resource)
        if found is None:
            found = list(self.always)
            for length, table in self.by_length:
                hit = table.get(resource[:length])
                if hit is not None:
                    found.extend(hit)
            if len(self.memo) >= _MAX_RESOURCES:
                self.memo.clear()
            self.memo[resource] = found
        return found


class CompiledSet:
    """The compiled statements of one policy set, indexed by action and resource."""

    __slots__ = ("policy_type", "statements", "_by_action")

    def __init__(self, policy_type: PolicyType, policies: Sequence[tuple[str, Policy]]) -> None:
        self.policy_type = policy_type
        statements: list[CompiledStatement] = []
        for policy_id, policy in policies:
            for index, statement in enumerate(policy.statements):
                matched = MatchedStatement(
                    policy_id, policy_type, index, statement.sid, statement.effect, statement.span
                )
                statements.append(CompiledStatement(statement, matched, len(statements), policy.substitutes_variables))
        self.statements = tuple(statements)
        self._by_action: dict[str, _ResourceIndex] = {}

    @classmethod
    def of(cls, policy_type: PolicyType, *policies: Policy) -> CompiledSet:
        """A set from bare policies, named by their position (for tests and tools)."""
        return cls(policy_type, [(str(i + 1), p) for i, p in enumerate(policies)])

    def candidates(self, request: Request) -> list[CompiledStatement]:
        index = self._by_action.get(request.action_key)
        if index is None:
            if len(self._by_action) >= _MAX_ACTIONS:
                self._by_action.clear()
            index = _ResourceIndex(s for s in self.statements if s.applies_to_action(request.action_key))
            self._by_action[request.action_key] = index
        return index.lookup(request.resource)

    def candidates_unindexed(self, request: Request) -> list[CompiledStatement]:
        return [s for s in self.statements if s.applies_to_action(request.action_key)]

    def __len__(self) -> int:
        return len(self.statements)

    def __repr__(self) -> str:
        return f"CompiledSet({self.policy_type.name}, {len(self.statements)} statements)"

"""Policy JSON → ``Policy``: the grammar every kind of policy shares.

Implements "Grammar of the IAM JSON policy language" and "IAM JSON policy element
reference" (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html):
Version, Id, Statement (object or list), Sid, Effect, Principal / NotPrincipal, Action /
NotAction, Resource / NotResource, Condition. The rules that depend on where a policy is
used (a principal in a trust policy, none in an identity policy, size quotas, what SCPs
allow) are in ``validate``; ``parse_policy`` applies both.

Only ``MalformedPolicyDocument`` (and its per-service subclasses) and ``LimitExceeded``
leave this module, whatever the input.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from ..errors import MalformedPolicyDocument
from .ast import PRINCIPAL_TYPES, ConditionClause, Policy, PolicyKind, PrincipalSet, Span, Statement
from .messages import policy_error
from .source import JSONNumber, JSONObject, line_column, read_json

VERSIONS = ("2012-10-17", "2008-10-17")
TOP_LEVEL = {"Version", "Id", "Statement"}
STATEMENT_ELEMENTS = {
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


def parse_policy(text: str | bytes, kind: PolicyKind = PolicyKind.IDENTITY, *, stored: bool = False) -> Policy:
    """Parse and validate a policy document of the given kind (``stored``: read back from
    the store, see ``validate``)."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise policy_error(kind, "json") from None
    return _parse_text(text, kind, stored)


@lru_cache(maxsize=256)
def _parse_text(text: str, kind: PolicyKind, stored: bool) -> Policy:
    """The same text parses to the same (frozen) ``Policy``: callers that write one text
    again and again (the same trust policy for every role a test creates) parse it once.
    A failure is not kept; it is raised again, the same, each time."""
    from .validate import check_size, validate  # validate imports this module's names

    check_size(text, kind)
    policy = parse_grammar(text, kind)
    validate(policy, kind, stored=stored)
    return policy


def parse_grammar(text: str, kind: PolicyKind = PolicyKind.IDENTITY) -> Policy:
    """Parse ``text`` by the grammar alone (messages worded for ``kind``)."""
    try:
        document = read_json(text)
    except MalformedPolicyDocument:
        raise policy_error(kind, "not_json" if not text.lstrip().startswith("{") else "json") from None
    return _Grammar(kind, text).policy(document)


class _Grammar:
    def __init__(self, kind: PolicyKind, text: str) -> None:
        self.kind = kind
        self.text = text

    def fail(self, reason: str, **fields: str) -> MalformedPolicyDocument:
        return policy_error(self.kind, reason, **fields)

    def policy(self, document: Any) -> Policy:
        if not isinstance(document, JSONObject):
            raise self.fail("not_object")
        if not set(document) <= TOP_LEVEL:
            raise self.fail("syntax")
        if "Statement" not in document:
            raise self.fail("missing_statement")
        policy_id = document.get("Id")
        if policy_id is not None and (not isinstance(policy_id, str) or isinstance(policy_id, JSONNumber)):
            raise self.fail("syntax")
        raw_statements = document["Statement"]
        if isinstance(raw_statements, JSONObject):
            raw_statements = [raw_statements]
        if not isinstance(raw_statements, list) or not raw_statements:
            raise self.fail("syntax")
        statements = tuple(self.statement(raw) for raw in raw_statements)
        version = document.get("Version")
        if version is not None and version not in VERSIONS:
            raise self.fail("version")
        return Policy(statements=statements, version=version, id=policy_id)

    def statement(self, raw: Any) -> Statement:
        if not isinstance(raw, JSONObject) or not set(raw) <= STATEMENT_ELEMENTS:
            raise self.fail("syntax")
        sid = raw.get("Sid")
        if sid is not None and (not isinstance(sid, str) or isinstance(sid, JSONNumber)):
            raise self.fail("syntax")
        effect = raw.get("Effect")
        if not isinstance(effect, str) or effect.lower() not in ("allow", "deny"):
            raise self.fail("effect", effect=str(effect))
        for first, second in (("Action", "NotAction"), ("Resource", "NotResource"), ("Principal", "NotPrincipal")):
            if first in raw and second in raw:
                raise self.fail("syntax")
        start_line, start_column = line_column(self.text, self._start_offset(raw))
        end_line, end_column = line_column(self.text, raw.end)
        return Statement(
            effect=str(effect),
            sid=sid or None,
            principal=self.principal(raw["Principal"]) if "Principal" in raw else None,
            not_principal=self.principal(raw["NotPrincipal"]) if "NotPrincipal" in raw else None,
            action=self.strings(raw["Action"]) if "Action" in raw else None,
            not_action=self.strings(raw["NotAction"]) if "NotAction" in raw else None,
            resource=self.strings(raw["Resource"]) if "Resource" in raw else None,
            not_resource=self.strings(raw["NotResource"]) if "NotResource" in raw else None,
            condition=self.condition(raw["Condition"]) if "Condition" in raw else (),
            span=Span(start_line, start_column, end_line, end_column),
        )

    def _start_offset(self, raw: JSONObject) -> int:
        """Where IAM's simulator says a statement starts: just after the JSON token before
        it — after ``[`` for the first statement of a list, after the previous statement's
        ``}`` for the others (a comma is not counted) — or just after ``{`` when Statement
        is a single object. Its end is just after its ``}``. Checked against real output:
        awscli's simulate-custom-policy example (Column 38, single object) and
        simulate-principal-policy example (Line 3 Column 19, just after ``[``), and IAM
        responses quoted in ScottLogic's 2025 post (Columns 41/180, 38/248, 248/470)."""
        text = self.text
        before = raw.start - 1
        while before >= 0 and text[before] in " \t\r\n":
            before -= 1
        if before >= 0 and text[before] == ",":
            before -= 1
            while before >= 0 and text[before] in " \t\r\n":
                before -= 1
        if before < 0 or text[before] not in "[}":
            return raw.start + 1
        return before + 1

    def strings(self, raw: Any) -> tuple[str, ...]:
        """A string or a list of strings (Action, Resource and their Not forms)."""
        values = raw if isinstance(raw, list) else [raw]
        if not all(isinstance(v, str) and not isinstance(v, JSONNumber) for v in values):
            raise self.fail("syntax")
        return tuple(str(v) for v in values)

    def principal(self, raw: Any) -> PrincipalSet:
        if raw == "*" and not isinstance(raw, JSONNumber):
            return PrincipalSet(wildcard=True)
        if not isinstance(raw, JSONObject) or not raw:
            raise self.fail("syntax")
        values: list[tuple[str, str]] = []
        for kind, entries in raw.items():
            if kind not in PRINCIPAL_TYPES:
                raise self.fail("invalid_principal", principal=f'"{kind}"')
            for entry in self.strings(entries):
                values.append((kind, entry))
        return PrincipalSet(values=tuple(values))

    def condition(self, raw: Any) -> tuple[ConditionClause, ...]:
        if not isinstance(raw, JSONObject):
            raise self.fail("syntax")
        clauses: list[ConditionClause] = []
        for operator, block in raw.items():
            if not isinstance(block, JSONObject):
                raise self.fail("syntax")
            for key, raw_values in block.items():
                values = raw_values if isinstance(raw_values, list) else [raw_values]
                texts: list[str] = []
                for value in values:
                    if isinstance(value, bool):
                        texts.append("true" if value else "false")
                    elif isinstance(value, str):
                        texts.append(str(value))
                    else:  # null, an object or a nested list
                        raise self.fail("syntax")
                clauses.append(ConditionClause(operator=operator, key=key, values=tuple(texts)))
        return tuple(clauses)

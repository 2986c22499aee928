"""Policy variables: ``${aws:username}``, ``${aws:PrincipalTag/team, 'none'}``, ``${*}``.

"IAM policy elements: Variables and tags"
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html):
- a variable is ``${key}``, where key is any request context key (case-insensitive);
- ``${key, 'default'}`` gives a value when the key is absent;
- ``${*}``, ``${?}`` and ``${$}`` stand for the literal characters ``*``, ``?`` and ``$``;
- variables are replaced only when the policy's Version is 2012-10-17, and only in the
  Resource element and in string and ARN condition values;
- a substituted value is matched literally: wildcards in it do not act as wildcards;
- "If there is no value for the variable ... the policy statement doesn't match";
- a multivalued key (aws:TagKeys, ...) has no value as a variable: "you cannot use a
  multivalued context key as a policy variable" ("Single-valued vs. multivalued context
  keys", Key points).

A template is split once into tokens; ``expand`` resolves them per request.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .request import ValueList

_VARIABLE = re.compile(r"\$\{\s*([^},']*?)\s*(?:,\s*'([^']*)'\s*)?\}")
_SPECIAL = {"*": "*", "?": "?", "$": "$"}


@dataclass(frozen=True, slots=True)
class Literal:
    """Text written in the policy, where ``*`` and ``?`` are wildcards (if the user of
    the template treats them so)."""

    text: str


@dataclass(frozen=True, slots=True)
class Escaped:
    """Text that must match literally: a ``${*}``-style escape or a substituted value."""

    text: str


@dataclass(frozen=True, slots=True)
class Variable:
    key: str  # lower-cased
    default: str | None
    name: str = field(default="", compare=False)  # the key as the policy spells it


Token = Literal | Escaped | Variable


def tokenize(template: str) -> tuple[Token, ...]:
    """Split a template into literal text, escapes and variables."""
    tokens: list[Token] = []
    pos = 0
    for match in _VARIABLE.finditer(template):
        if match.start() > pos:
            tokens.append(Literal(template[pos : match.start()]))
        key, default = match.group(1), match.group(2)
        if key in _SPECIAL and default is None:
            tokens.append(Escaped(_SPECIAL[key]))
        elif key:
            tokens.append(Variable(key.lower(), default, key))
        else:
            tokens.append(Literal(match.group()))
        pos = match.end()
    if pos < len(template):
        tokens.append(Literal(template[pos:]))
    return tuple(tokens)


def has_variables(template: str) -> bool:
    return "${" in template and any(not isinstance(t, Literal) for t in tokenize(template))


def resolve(token: Variable, context: Mapping[str, tuple[str, ...]]) -> str | None:
    """The single value of the variable's key, its default, or None (no value)."""
    values = context.get(token.key)
    if values is not None and len(values) == 1 and type(values) is not ValueList:
        return values[0]
    return token.default


def expand(tokens: tuple[Token, ...], context: Mapping[str, tuple[str, ...]]) -> tuple[Token, ...] | None:
    """Replace variables by Escaped values; None when one has no value."""
    out: list[Token] = []
    for token in tokens:
        if isinstance(token, Variable):
            value = resolve(token, context)
            if value is None:
                return None
            out.append(Escaped(value))
        else:
            out.append(token)
    return tuple(out)


def unresolved(variables: Iterable[Variable], context: Mapping[str, tuple[str, ...]]) -> list[str]:
    """The keys, as the policy spells them, of the variables with no value in ``context``:
    context keys the policy needs and the request lacks (MissingContextValues)."""
    return [v.name for v in variables if resolve(v, context) is None]


def referenced_keys(template: str) -> tuple[str, ...]:
    """The context keys, as the policy spells them, of the variables in ``template`` (not
    the ${*}, ${?} and ${$} escapes)."""
    if "${" not in template:
        return ()
    return tuple(t.name for t in tokenize(template) if isinstance(t, Variable))

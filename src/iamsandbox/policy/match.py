"""Matching actions, resources, ARNs and strings against policy patterns.

- Actions ("IAM JSON policy elements: Action"): case-insensitive, ``*`` any run of
  characters, ``?`` any one character.
- Resources and ARNs ("IAM JSON policy elements: Resource", and the ``Arn*`` condition
  operators): case-sensitive, matched segment by segment: "each of the six colon-delimited
  components of the ARN is checked separately and each can include multi-character match
  wildcards (*) or single-character match wildcards (?)". A wildcard in the resource
  segment (the sixth, which may itself hold colons) spans colons; one in the first five
  does not, except that in the Resource element "If the * wildcard is the last character
  of a resource ARN segment, it can expand to match beyond the colon boundaries" (the
  ``Arn*`` operators match "elements between colons" and never do). A pattern with fewer
  than six segments lets its last segment run to the end.
- ``StringLike``: case-sensitive glob over the whole string.

Each pattern compiles once to a ``Matcher``; a pattern with policy variables compiles per
distinct substitution and caches the result.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from .variables import Escaped, Literal, Token, Variable, expand, tokenize

Context = Mapping[str, tuple[str, ...]]
# A matcher answers for one value, reading variables from the request context.
Matcher = Callable[[str, Context], bool]

_MAX_CACHED = 256


def _token_regex(tokens: tuple[Token, ...], arn: bool, spill: bool = False) -> str:
    """Regex source for a token list; for ARNs, wildcards stay within their segment
    (with ``spill``, a ``*`` that ends one of the first five segments does not)."""
    out: list[str] = []
    segment = 0
    for token in tokens:
        if isinstance(token, Escaped):
            out.append(re.escape(token.text))
            continue
        assert isinstance(token, Literal)  # INVARIANT: variables were expanded before
        text = token.text
        for index, char in enumerate(text):
            if char == ":" and arn:
                segment += 1
                out.append(":")
            elif char == "*":
                ends_segment = spill and text[index + 1 : index + 2] == ":"
                out.append("[^:]*" if arn and segment < 5 and not ends_segment else ".*")
            elif char == "?":
                out.append("[^:]" if arn and segment < 5 else ".")
            else:
                out.append(re.escape(char))
    if arn and segment < 5:
        out = _widen_last(out)  # fewer than six segments: the last runs to the end
    return _without_backtracking(out)


def _widen_last(out: list[str]) -> list[str]:
    """Let the wildcards after the last ':' of a short ARN pattern span colons."""
    last_colon = max((i for i, part in enumerate(out) if part == ":"), default=-1)
    tail = [{"[^:]*": ".*", "[^:]": "."}.get(part, part) for part in out[last_colon + 1 :]]
    return out[: last_colon + 1] + tail


def _without_backtracking(out: list[str]) -> str:
    """The regex of ``out``, its run of ``*`` wildcards written so that matching takes time
    linear in the value, not a power of it.

    ``.*a.*a.*a.*b`` against a long run of "a" makes a backtracking engine try every way to
    split the value among the stars (a resource pattern ``bucket/*a*a*a*a*b`` and a key of 300
    "a" held the server for 18 s: a security review). Between stars, a glob's pieces have a
    fixed length (characters and ``?``), so the earliest place each middle piece fits is
    always as good as any later one; so each is found at its earliest place and never tried
    again: ``(?>.*?a)(?>.*?a)(?>.*?a).*b``, the same matches. Only the part of the pattern
    from its last segment-bounded wildcard (``[^:]*``, ``[^:]``) on is written so; before
    it, the few ways a colon-bounded wildcard can match are tried as before."""
    start = len(out)
    while start > 0 and out[start - 1] not in ("[^:]*", "[^:]"):
        start -= 1
    pieces: list[list[str]] = [[]]
    for part in out[start:]:
        if part == ".*":
            if pieces[-1] or len(pieces) == 1:
                pieces.append([])
            continue  # "**" is one star
        pieces[-1].append(part)
    if len(pieces) <= 2:  # at most one star: nothing to backtrack over
        return "".join(out)
    middle = "".join(f"(?>.*?{''.join(piece)})" for piece in pieces[1:-1])
    return "".join(out[:start]) + "".join(pieces[0]) + middle + ".*" + "".join(pieces[-1])


def _has_wildcard(tokens: tuple[Token, ...]) -> bool:
    return any(isinstance(t, Literal) and ("*" in t.text or "?" in t.text) for t in tokens)


def compile_glob(
    pattern: str, *, arn: bool, ignore_case: bool = False, variables: bool = False, spill: bool = False
) -> Matcher:
    """A matcher for ``pattern`` with wildcards (and policy variables, if enabled);
    ``spill`` lets a ``*`` that ends an ARN segment span colons (the Resource element)."""
    tokens = tokenize(pattern) if variables and "${" in pattern else (Literal(pattern),)
    flags = re.DOTALL | (re.IGNORECASE if ignore_case else 0)
    if any(isinstance(t, Variable) for t in tokens):
        return _DynamicGlob(tokens, arn, flags, spill)
    if not _has_wildcard(tokens):
        literal = "".join(t.text for t in tokens if not isinstance(t, Variable))
        if ignore_case:
            folded = literal.lower()
            return lambda value, _context: value.lower() == folded
        return lambda value, _context: value == literal
    if tokens == (Literal("*"),):
        return lambda _value, _context: True
    fullmatch = re.compile(_token_regex(tokens, arn, spill), flags).fullmatch
    return lambda value, _context: fullmatch(value) is not None


class _DynamicGlob:
    """A pattern with policy variables: compiled per distinct substitution."""

    __slots__ = ("tokens", "arn", "flags", "spill", "cache")

    def __init__(self, tokens: tuple[Token, ...], arn: bool, flags: int, spill: bool = False) -> None:
        self.tokens = tokens
        self.arn = arn
        self.flags = flags
        self.spill = spill
        self.cache: dict[tuple[Token, ...], Callable[[str], re.Match[str] | None]] = {}

    def __call__(self, value: str, context: Context) -> bool:
        expanded = expand(self.tokens, context)
        if expanded is None:
            return False  # a variable without a value: the statement does not match
        fullmatch = self.cache.get(expanded)
        if fullmatch is None:
            if len(self.cache) >= _MAX_CACHED:
                self.cache.clear()
            fullmatch = re.compile(_token_regex(expanded, self.arn, self.spill), self.flags).fullmatch
            self.cache[expanded] = fullmatch
        return fullmatch(value) is not None

    def __repr__(self) -> str:
        return f"_DynamicGlob({self.tokens!r})"


def compile_action(pattern: str) -> Matcher:
    return compile_glob(pattern, arn=False, ignore_case=True)


def compile_resource(pattern: str, variables: bool) -> Matcher:
    return compile_glob(pattern, arn=True, variables=variables, spill=True)


def literal_prefix(pattern: str) -> str:
    """The text of ``pattern`` before its first wildcard or variable: every value it
    matches starts with this (used to index statements by resource)."""
    cut = len(pattern)
    for marker in ("*", "?", "${"):
        index = pattern.find(marker)
        if index != -1:
            cut = min(cut, index)
    return pattern[:cut]

"""AWS managed policies: the 1,645 documents every account sees at arn:aws:iam::aws:policy/.

Package data made from the project's shared copy (``iamsandbox/data/aws-managed-policies``,
whose README names the sources and licences). Loaded on first use, parsed per policy on
first use; AWS's own documents are not subject to the customer quotas (ReadOnlyAccess is
over 100 KB), so they are parsed by the grammar and validated without the size check.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

from ...policy import Policy, PolicyKind, parse_grammar
from ...policy.validate import validate


@dataclass(frozen=True, slots=True)
class ManagedPolicy:
    name: str
    arn: str
    path: str  # "/", "/service-role/", "/job-function/", ...
    version: str  # the default version id, "v3"
    created: str
    updated: str | None
    deprecated: bool
    document: str  # the JSON text, as AWS returns it

    def __repr__(self) -> str:
        return f"ManagedPolicy({self.arn} {self.version})"


@functools.cache
def _shipped() -> dict[str, ManagedPolicy]:
    """The shipped documents by ARN, read once per process (package data never changes; the
    entries are frozen)."""
    path = resources.files("iamsandbox").joinpath("data", "aws-managed-policies", "managed-policies.json")
    raw: dict[str, dict[str, Any]] = json.loads(path.read_text())
    by_arn: dict[str, ManagedPolicy] = {}
    for name, entry in raw.items():
        # 49 entries (deprecated, from iam-dataset) carry no ARN in the sources:
        # their path is unknown, so they are placed at "/" (an assumption).
        arn = entry.get("arn") or f"arn:aws:iam::aws:policy/{name}"
        path_part = arn.split(":policy", 1)[1]
        by_arn[arn] = ManagedPolicy(
            name=name,
            arn=arn,
            path=path_part[: len(path_part) - len(name)],
            version=entry["version"],
            created=entry["createdate"],
            updated=entry.get("updatedate"),
            deprecated=bool(entry.get("deprecated")),
            document=json.dumps(entry["document"]),
        )
    return by_arn


class ManagedPolicies:
    """The AWS managed policies by ARN. The app owns one; it loads on first use."""

    def __init__(self) -> None:
        self._by_arn: dict[str, ManagedPolicy] | None = None
        self._parsed: dict[str, Policy] = {}

    def _load(self) -> dict[str, ManagedPolicy]:
        if self._by_arn is None:
            self._by_arn = _shipped()
        return self._by_arn

    def get(self, arn: str) -> ManagedPolicy | None:
        return self._load().get(arn)

    def all(self) -> list[ManagedPolicy]:
        return sorted(self._load().values(), key=lambda p: p.name)

    def policy(self, arn: str) -> Policy | None:
        """The parsed document of ``arn``, parsed once."""
        parsed = self._parsed.get(arn)
        if parsed is None:
            managed = self.get(arn)
            if managed is None:
                return None
            parsed = parse_grammar(managed.document, PolicyKind.IDENTITY)
            validate(parsed, PolicyKind.IDENTITY)
            self._parsed[arn] = parsed
        return parsed

"""The policy summary the console shows for a policy: one row per service and effect, with
the access level the statements grant, their resources and their request conditions.

"Policy summary (list of services)" (IAM User Guide, access_policies_understand-policy-
summary.html): the table "Permissions defined in this policy" is grouped by Allow and
Explicit deny, and lists for each service its Access level, Resource and Request condition.
"Access levels in policy summaries" (access_policies_understand-policy-summary-access-
level-summaries.html): the access level is "Full access" when the policy grants every action
of the service, else "Full: L1, L2" for the access levels (List, Read, Tagging, Write,
Permissions management) of which it grants every action and "Limited: L3" for those of
which it grants some; an unrecognized service is listed apart. The access levels come from
the Service Authorization Reference (``cli.catalog``).

Where the statements of one service differ, their resources and conditions are summed up
as "Multiple", as the summary's Resource column reads when "The policy includes multiple
resources" (same page). A NotAction statement grants the services it names less the actions
it names, and every other service in full, as one row ("All other services").
"""

from __future__ import annotations

from dataclasses import dataclass

from ..cli.catalog import Catalog
from ..errors import MalformedPolicyDocument
from ..policy import Policy, PolicyKind, Statement, parse_grammar
from ..policy.match import compile_action

LEVELS = ("List", "Read", "Tagging", "Write", "Permissions management")
ALL_RESOURCES = "All resources"
NO_CONDITION = "None"
MULTIPLE = "Multiple"
OTHER_SERVICES = "*others"


@dataclass(frozen=True)
class ServiceRow:
    service: str  # the service's name ("Amazon S3"), or its prefix when IAM does not know it
    access_level: str  # "Full access", "Full: List, Read Limited: Write", ...
    resource: str
    condition: str


@dataclass(frozen=True)
class Summary:
    allow: tuple[ServiceRow, ...]
    deny: tuple[ServiceRow, ...]
    unrecognized: tuple[str, ...]  # service prefixes IAM does not know
    services: int  # how many services the catalog lists ("Allow (1 of N services)")


@dataclass
class _Grants:
    actions: set[str]  # lower-case action names
    resources: set[str]
    conditions: set[str]
    every_action: bool = False


def summarize(policy: Policy, catalog: Catalog) -> Summary:
    by_effect: dict[str, dict[str, _Grants]] = {"Allow": {}, "Deny": {}}
    unrecognized: set[str] = set()
    for statement in policy.statements:
        grants = by_effect["Allow" if statement.allows else "Deny"]
        resource = _resource_text(statement)
        condition = _condition_text(statement)
        for service, actions, every in _services(statement, catalog, unrecognized):
            entry = grants.setdefault(service, _Grants(set(), set(), set()))
            entry.actions |= actions
            entry.every_action = entry.every_action or every
            entry.resources.add(resource)
            entry.conditions.add(condition)
    return Summary(
        tuple(_row(service, grants, catalog) for service, grants in sorted(by_effect["Allow"].items())),
        tuple(_row(service, grants, catalog) for service, grants in sorted(by_effect["Deny"].items())),
        tuple(sorted(unrecognized)),
        len(catalog.services),
    )


def _services(statement: Statement, catalog: Catalog, unrecognized: set[str]) -> list[tuple[str, set[str], bool]]:
    """(service, actions granted, every action) per service the statement reaches; a
    NotAction statement reaches the services it names (less the actions it names) and
    every other service (``OTHER_SERVICES``)."""
    if statement.action is None:  # NotAction: every action but those listed
        if "*" in (statement.not_action or ()):
            return []  # every action excepted: the statement grants nothing
        out = [
            (service, set(catalog.actions(service)) - named, False)
            for service, named in _named_actions(statement.not_action or (), catalog, unrecognized).items()
        ]
        return [*out, (OTHER_SERVICES, set(), True)]
    every = [("*", set[str](), True)] if "*" in statement.action else []
    patterns = [pattern for pattern in statement.action if pattern != "*"]
    named = _named_actions(patterns, catalog, unrecognized)
    return [*every, *((service, actions, False) for service, actions in named.items())]


def _named_actions(
    patterns: tuple[str, ...] | list[str], catalog: Catalog, unrecognized: set[str]
) -> dict[str, set[str]]:
    """The catalog's actions that ``patterns`` name, by service; unknown services noted."""
    by_service: dict[str, list[str]] = {}
    for pattern in patterns:
        service, _, name = pattern.partition(":")
        by_service.setdefault(service.lower(), []).append(name)
    out: dict[str, set[str]] = {}
    for service, names in by_service.items():
        if not catalog.has_service(service):
            unrecognized.add(service)
            continue
        matchers = [compile_action(name) for name in names]
        out[service] = {action for action in catalog.actions(service) if any(match(action, {}) for match in matchers)}
    return out


def _row(service: str, grants: _Grants, catalog: Catalog) -> ServiceRow:
    names = {"*": "All services", OTHER_SERVICES: "All other services"}
    name = names.get(service) or catalog.service_names.get(service, service)
    level = "Full access" if grants.every_action else _access_level(grants.actions, catalog.actions(service))
    resource = next(iter(grants.resources)) if len(grants.resources) == 1 else MULTIPLE
    condition = next(iter(grants.conditions)) if len(grants.conditions) == 1 else MULTIPLE
    return ServiceRow(name, level, resource, condition)


def _access_level(granted: set[str], known: dict[str, object]) -> str:
    """ "Full access", or "Full: ..." and "Limited: ..." by access level, or "None"."""
    full: list[str] = []
    limited: list[str] = []
    present = 0
    for level in LEVELS:
        in_level = {name for name, details in known.items() if _level_of(details) == level}
        if not in_level:
            continue
        present += 1
        mine = granted & in_level
        if mine == in_level:
            full.append(level)
        elif mine:
            limited.append(level)
    if len(full) == present and present:
        return "Full access"
    parts = []
    if full:
        parts.append("Full: " + ", ".join(full))
    if limited:
        parts.append("Limited: " + ", ".join(limited))
    return " ".join(parts) or "None"


def _level_of(details: object) -> str | None:
    return details.get("accessLevel") if isinstance(details, dict) else None


def _resource_text(statement: Statement) -> str:
    """ "All resources", the one resource, or "Multiple" ("Policy summary (list of services)":
    Deny s3:* on a bucket and its objects reads "Multiple")."""
    if statement.resource is not None:
        if "*" in statement.resource:
            return ALL_RESOURCES
        return statement.resource[0] if len(statement.resource) == 1 else MULTIPLE
    if statement.not_resource is not None:
        excepted = statement.not_resource
        return "All resources except " + (excepted[0] if len(excepted) == 1 else MULTIPLE.lower())
    return ALL_RESOURCES  # a trust or resource policy's statement names no resource


def _condition_text(statement: Statement) -> str:
    """ "None", the one condition, or "Multiple" (the same page)."""
    if not statement.condition:
        return NO_CONDITION
    if len(statement.condition) > 1:
        return MULTIPLE
    (clause,) = statement.condition
    return f"{clause.key} ({clause.operator}): {', '.join(clause.values)}"


def summary_of(document: str, kind: PolicyKind = PolicyKind.IDENTITY) -> Summary | None:
    """The summary of a policy document, or None when it does not follow the policy grammar
    (its size is not checked: AWS managed policies can be longer than a customer's)."""
    try:
        policy = parse_grammar(document, kind)
    except MalformedPolicyDocument:
        return None
    return summarize(policy, Catalog())

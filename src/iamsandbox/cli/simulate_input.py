"""The SimulateCustomPolicy request: checked as botocore checks it before sending.

Shapes from botocore's IAM model (``iam/2010-05-08/service-2.json``,
``SimulateCustomPolicyRequest`` and ``ContextEntry``); messages as botocore's
``ParamValidationError`` words them ("Parameter validation failed:" and one line per
problem). botocore checks types, lengths and ranges, not enums or patterns: those are the
service's to refuse.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .awscli import UsageError

# member -> (type, min, max); a list's element constraints are under "member[]".
_STRING_LIST = "list[str]"
REQUEST_MEMBERS: dict[str, tuple[str, int | None, int | None]] = {
    "PolicyInputList": (_STRING_LIST, 1, 131072),
    "PermissionsBoundaryPolicyInputList": (_STRING_LIST, 1, 131072),
    "ActionNames": (_STRING_LIST, 3, 128),
    "ResourceArns": (_STRING_LIST, 1, 2048),
    "ResourcePolicy": ("str", 1, 131072),
    "ResourceOwner": ("str", 1, 2048),
    "CallerArn": ("str", 1, 2048),
    "ContextEntries": ("list[ContextEntry]", None, None),
    "ResourceHandlingOption": ("str", 1, 64),
    "MaxItems": ("int", 1, 1000),
    "Marker": ("str", 1, 320),
}
REQUIRED = ("PolicyInputList", "ActionNames")
CONTEXT_ENTRY_MEMBERS: dict[str, tuple[str, int | None, int | None]] = {
    "ContextKeyName": ("str", 5, 256),
    "ContextKeyValues": (_STRING_LIST, None, None),
    "ContextKeyType": ("str", None, None),
}

_PY_TYPES = {"str": "<class 'str'>", "int": "<class 'int'>", "list": "<class 'list'>, <class 'tuple'>"}


@dataclass(frozen=True)
class ContextEntry:
    name: str
    values: tuple[str, ...]
    type: str | None


def request_context(entries: Iterable[ContextEntry]) -> dict[str, str | list[str]]:
    """The request context the simulator's ContextEntries describe (``context_of``)."""
    from ..services.iam.simulator import context_of  # here: it brings in the store (cli/simulate.py)

    return context_of((entry.name, entry.values, entry.type) for entry in entries)


@dataclass(frozen=True)
class SimulateCustomPolicyRequest:
    policy_input_list: tuple[str, ...]
    action_names: tuple[str, ...]
    permissions_boundary_policy_input_list: tuple[str, ...] = ()
    resource_arns: tuple[str, ...] = ()
    resource_policy: str | None = None
    resource_owner: str | None = None
    caller_arn: str | None = None
    context_entries: tuple[ContextEntry, ...] = ()
    resource_handling_option: str | None = None
    max_items: int | None = None
    marker: str | None = None


def parse_request(params: Any) -> SimulateCustomPolicyRequest:
    """The request from ``--cli-input-json``'s parameters; UsageError as botocore would."""
    if not isinstance(params, dict):
        raise UsageError(
            f"Parameter validation failed:\nInvalid type for parameter input, value: {params}, "
            f"type: {type(params)}, valid types: <class 'dict'>"
        )
    problems = _check_structure("", params, REQUEST_MEMBERS, REQUIRED)
    if problems:
        raise UsageError("Parameter validation failed:\n" + "\n".join(problems))
    entries = tuple(
        ContextEntry(e.get("ContextKeyName", ""), tuple(e.get("ContextKeyValues", ())), e.get("ContextKeyType"))
        for e in params.get("ContextEntries", ())
    )
    return SimulateCustomPolicyRequest(
        policy_input_list=tuple(params["PolicyInputList"]),
        action_names=tuple(params["ActionNames"]),
        permissions_boundary_policy_input_list=tuple(params.get("PermissionsBoundaryPolicyInputList", ())),
        resource_arns=tuple(params.get("ResourceArns", ())),
        resource_policy=params.get("ResourcePolicy"),
        resource_owner=params.get("ResourceOwner"),
        caller_arn=params.get("CallerArn"),
        context_entries=entries,
        resource_handling_option=params.get("ResourceHandlingOption"),
        max_items=params.get("MaxItems"),
        marker=params.get("Marker"),
    )


def _check_structure(
    path: str,
    value: dict[str, Any],
    members: dict[str, tuple[str, int | None, int | None]],
    required: tuple[str, ...],
) -> list[str]:
    problems = [
        f'Missing required parameter in input: "{path}{name}"'
        if not path
        else f'Missing required parameter in {path[:-1]}: "{name}"'
        for name in required
        if name not in value
    ]
    for name, item in value.items():
        if name not in members:
            where = "input" if not path else path[:-1]
            problems.append(f'Unknown parameter in {where}: "{name}", must be one of: {", ".join(members)}')
            continue
        kind, low, high = members[name]
        problems.extend(_check_value(f"{path}{name}", item, kind, low, high))
    return problems


def _check_value(name: str, item: Any, kind: str, low: int | None, high: int | None) -> list[str]:
    if kind.startswith("list["):
        if not isinstance(item, list):
            return [_type_error(name, item, "list")]
        problems: list[str] = []
        for index, element in enumerate(item):
            element_name = f"{name}[{index}]"
            if kind == "list[ContextEntry]":
                if not isinstance(element, dict):
                    problems.append(_type_error(element_name, element, "dict"))
                else:
                    problems.extend(_check_structure(f"{element_name}.", element, CONTEXT_ENTRY_MEMBERS, ()))
            else:
                problems.extend(_check_value(element_name, element, "str", low, high))
        return problems
    if kind == "int":
        if not isinstance(item, int) or isinstance(item, bool):
            return [_type_error(name, item, "int")]
        if low is not None and item < low:
            return [f"Invalid value for parameter {name}, value: {item}, valid min value: {low}"]
        return []
    if not isinstance(item, str):
        return [_type_error(name, item, "str")]
    if low is not None and len(item) < low:
        return [f"Invalid length for parameter {name}, value: {len(item)}, valid min length: {low}"]
    # botocore does not check maximum lengths; the service refuses them (ValidationError).
    return []


def _type_error(name: str, item: Any, expected: str) -> str:
    valid = _PY_TYPES.get(expected, f"<class '{expected}'>")
    return f"Invalid type for parameter {name}, value: {item}, type: {type(item)}, valid types: {valid}"

"""Organizational units and the tree: CreateOrganizationalUnit, DescribeOrganizationalUnit,
UpdateOrganizationalUnit, DeleteOrganizationalUnit, ListOrganizationalUnitsForParent,
ListChildren, ListParents (Organizations API reference, each operation's page).

OU names are unique under a parent (DuplicateOrganizationalUnitException); OUs nest at most
five deep under the root ("Quotas for AWS Organizations": ConstraintViolationException
OU_DEPTH_LIMIT_EXCEEDED); only an empty OU (no accounts, no child OUs) can be deleted.
All of them are the management account's to call."""

from __future__ import annotations

from typing import Any

from ...store.interface import Organization, OrgUnit
from ..context import CallContext
from . import arns
from .common import container, management_org, new_id, paged, tags_of
from .errors import (
    ChildNotFoundException,
    ConstraintViolationException,
    DuplicateOrganizationalUnitException,
    OrganizationalUnitNotEmptyException,
    OrganizationalUnitNotFoundException,
    ParentNotFoundException,
)
from .organization import attach_full_access, tag_new

MAX_DEPTH = 5  # OUs under the root


def ou_out(org: Organization, unit: OrgUnit) -> dict[str, Any]:
    return {
        "Id": unit.id,
        "Arn": arns.ou_arn(org, unit.id),
        "Name": unit.name,
        "Path": f"{org.id}/{'/'.join(unit.path)}/",
    }


def _unit(ctx: CallContext, org: Organization, unit_id: str) -> OrgUnit:
    unit = ctx.tx.get_org_unit(unit_id)
    if unit is None or unit.org_id != org.id:
        raise OrganizationalUnitNotFoundException()
    return unit


def parent_of(ctx: CallContext, org: Organization, parent_id: str) -> Organization | OrgUnit:
    found = container(ctx, org, parent_id)
    if found is None:
        raise ParentNotFoundException()
    return found


def create_organizational_unit(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    org = management_org(ctx)
    parent = parent_of(ctx, org, params["ParentId"])
    name = params["Name"]
    tags = tags_of(params)
    if isinstance(parent, OrgUnit) and len(parent.path) - 1 >= MAX_DEPTH:
        raise ConstraintViolationException(
            "OU_DEPTH_LIMIT_EXCEEDED", "You attempted to create an OU tree that is too many levels deep."
        )
    if any(unit.name == name for unit in ctx.tx.list_org_units(params["ParentId"])):
        raise DuplicateOrganizationalUnitException()
    root_part = org.root_id.removeprefix("r-")
    unit = ctx.tx.create_org_unit(org.id, f"ou-{root_part}-{new_id('', 8)}", params["ParentId"], name)
    attach_full_access(ctx, org, unit.id)
    tag_new(ctx, org, arns.ou_arn(org, unit.id), tags)
    return {"OrganizationalUnit": ou_out(org, unit)}


def describe_organizational_unit(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    org = management_org(ctx)
    return {"OrganizationalUnit": ou_out(org, _unit(ctx, org, params["OrganizationalUnitId"]))}


def update_organizational_unit(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    org = management_org(ctx)
    unit = _unit(ctx, org, params["OrganizationalUnitId"])
    name = params.get("Name")
    if name is not None and name != unit.name:
        if any(other.name == name for other in ctx.tx.list_org_units(unit.parent_id)):
            raise DuplicateOrganizationalUnitException()
        renamed = ctx.tx.rename_org_unit(unit.id, name)
        assert renamed is not None  # INVARIANT: read in this transaction
        unit = renamed
    return {"OrganizationalUnit": ou_out(org, unit)}


def delete_organizational_unit(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    org = management_org(ctx)
    unit = _unit(ctx, org, params["OrganizationalUnitId"])
    if ctx.tx.list_org_units(unit.id) or ctx.tx.list_org_accounts(org.id, unit.id):
        raise OrganizationalUnitNotEmptyException()
    ctx.tx.delete_org_unit(unit.id)
    return {}


def list_organizational_units_for_parent(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    org = management_org(ctx)
    parent_of(ctx, org, params["ParentId"])
    units = [ou_out(org, unit) for unit in ctx.tx.list_org_units(params["ParentId"])]
    return paged("OrganizationalUnits", units, params)


def list_children(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    org = management_org(ctx)
    parent_id = params["ParentId"]
    parent_of(ctx, org, parent_id)
    if params["ChildType"] == "ORGANIZATIONAL_UNIT":
        ids = [unit.id for unit in ctx.tx.list_org_units(parent_id)]
    else:
        ids = [member.account_id for member in ctx.tx.list_org_accounts(org.id, parent_id)]
    children = [{"Id": child, "Type": params["ChildType"]} for child in ids]
    return paged("Children", children, params)


def list_parents(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    org = management_org(ctx)
    child_id = params["ChildId"]
    parent_id: str | None = None
    if child_id.startswith("ou-"):
        unit = ctx.tx.get_org_unit(child_id)
        parent_id = unit.parent_id if unit is not None and unit.org_id == org.id else None
    else:
        member = ctx.tx.get_org_account(child_id)
        parent_id = member.parent_id if member is not None and member.org_id == org.id else None
    if parent_id is None:
        raise ChildNotFoundException()
    kind = "ROOT" if parent_id == org.root_id else "ORGANIZATIONAL_UNIT"
    return paged("Parents", [{"Id": parent_id, "Type": kind}], params)

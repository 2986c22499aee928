"""Organizational units, the tree and MoveAccount (AWS Organizations API Reference:
CreateOrganizationalUnit, DescribeOrganizationalUnit, UpdateOrganizationalUnit,
DeleteOrganizationalUnit, ListOrganizationalUnitsForParent, ListChildren, ListParents,
MoveAccount; "Quotas for AWS Organizations")."""

from __future__ import annotations

import re

import pytest
from orgs_harness import MANAGEMENT, MEMBER, Orgs

from iamsandbox.services.organizations.errors import (
    AccessDeniedException,
    AccountNotFoundException,
    ChildNotFoundException,
    ConstraintViolationException,
    DestinationParentNotFoundException,
    DuplicateAccountException,
    DuplicateOrganizationalUnitException,
    InvalidInputException,
    OrganizationalUnitNotEmptyException,
    OrganizationalUnitNotFoundException,
    ParentNotFoundException,
    SourceParentNotFoundException,
)


def test_create_describe_rename_delete_an_ou(orgs: Orgs) -> None:
    """The OU id is "ou-" + the root's id characters + "-" + 8 more (the model's pattern);
    its ARN arn:aws:organizations::MGMT:ou/o-x/ou-x; Path "o-x/r-x/ou-x/"."""
    org_id, root = orgs.organization()
    unit = orgs("CreateOrganizationalUnit", ParentId=root, Name="Prod")["OrganizationalUnit"]
    assert re.fullmatch(rf"ou-{root[2:]}-[a-z0-9]{{8}}", unit["Id"])
    assert unit["Arn"] == f"arn:aws:organizations::{MANAGEMENT}:ou/{org_id}/{unit['Id']}"
    assert unit["Path"] == f"{org_id}/{root}/{unit['Id']}/"
    assert orgs("DescribeOrganizationalUnit", OrganizationalUnitId=unit["Id"])["OrganizationalUnit"] == unit
    renamed = orgs("UpdateOrganizationalUnit", OrganizationalUnitId=unit["Id"], Name="Production")
    assert renamed["OrganizationalUnit"]["Name"] == "Production"
    assert orgs("DeleteOrganizationalUnit", OrganizationalUnitId=unit["Id"]) == {}
    with pytest.raises(OrganizationalUnitNotFoundException):
        orgs("DescribeOrganizationalUnit", OrganizationalUnitId=unit["Id"])


def test_names_are_unique_under_a_parent(orgs: Orgs) -> None:
    """DuplicateOrganizationalUnitException: "An OU with the same name already exists"
    (under the same parent: another parent may have one of that name)."""
    _, root = orgs.organization()
    first = orgs("CreateOrganizationalUnit", ParentId=root, Name="Dev")["OrganizationalUnit"]
    with pytest.raises(DuplicateOrganizationalUnitException):
        orgs("CreateOrganizationalUnit", ParentId=root, Name="Dev")
    orgs("CreateOrganizationalUnit", ParentId=first["Id"], Name="Dev")
    other = orgs("CreateOrganizationalUnit", ParentId=root, Name="Test")["OrganizationalUnit"]
    with pytest.raises(DuplicateOrganizationalUnitException):
        orgs("UpdateOrganizationalUnit", OrganizationalUnitId=other["Id"], Name="Dev")


def test_unknown_parent(orgs: Orgs) -> None:
    """CreateOrganizationalUnit / ListChildren: ParentNotFoundException, "We can't find a root
    or OU with the ParentId that you specified"."""
    _, root = orgs.organization()
    missing = f"ou-{root[2:]}-zzzzzzzz"
    with pytest.raises(ParentNotFoundException):
        orgs("CreateOrganizationalUnit", ParentId=missing, Name="x")
    with pytest.raises(ParentNotFoundException):
        orgs("ListChildren", ParentId=missing, ChildType="ACCOUNT")


def test_ous_nest_five_deep(orgs: Orgs) -> None:
    """ "Quotas for AWS Organizations": OU maximum nesting in a root, five levels of OUs deep
    under a root; deeper is ConstraintViolationException OU_DEPTH_LIMIT_EXCEEDED."""
    _, parent = orgs.organization()
    for level in range(5):
        parent = orgs("CreateOrganizationalUnit", ParentId=parent, Name=f"L{level}")["OrganizationalUnit"]["Id"]
    with pytest.raises(ConstraintViolationException) as raised:
        orgs("CreateOrganizationalUnit", ParentId=parent, Name="L5")
    assert raised.value.fields == {"Reason": "OU_DEPTH_LIMIT_EXCEEDED"}


def test_only_an_empty_ou_is_deleted(orgs: Orgs) -> None:
    """DeleteOrganizationalUnit: "You must first remove all accounts and child OUs from the OU
    that you want to delete" (OrganizationalUnitNotEmptyException)."""
    _, root = orgs.organization()
    orgs.join(MEMBER)
    unit = orgs("CreateOrganizationalUnit", ParentId=root, Name="Prod")["OrganizationalUnit"]["Id"]
    orgs("MoveAccount", AccountId=MEMBER, SourceParentId=root, DestinationParentId=unit)
    with pytest.raises(OrganizationalUnitNotEmptyException):
        orgs("DeleteOrganizationalUnit", OrganizationalUnitId=unit)
    orgs("MoveAccount", AccountId=MEMBER, SourceParentId=unit, DestinationParentId=root)
    child = orgs("CreateOrganizationalUnit", ParentId=unit, Name="Child")["OrganizationalUnit"]["Id"]
    with pytest.raises(OrganizationalUnitNotEmptyException):
        orgs("DeleteOrganizationalUnit", OrganizationalUnitId=unit)
    orgs("DeleteOrganizationalUnit", OrganizationalUnitId=child)
    orgs("DeleteOrganizationalUnit", OrganizationalUnitId=unit)


def test_children_and_parents(orgs: Orgs) -> None:
    """ListChildren lists the accounts or the OUs directly under a parent (ChildType);
    ListParents the one parent of an OU or account, ROOT or ORGANIZATIONAL_UNIT; an unknown
    child ChildNotFoundException."""
    _, root = orgs.organization()
    orgs.join(MEMBER)
    unit = orgs("CreateOrganizationalUnit", ParentId=root, Name="Prod")["OrganizationalUnit"]["Id"]
    orgs("MoveAccount", AccountId=MEMBER, SourceParentId=root, DestinationParentId=unit)
    assert orgs("ListChildren", ParentId=root, ChildType="ORGANIZATIONAL_UNIT")["Children"] == [
        {"Id": unit, "Type": "ORGANIZATIONAL_UNIT"}
    ]
    assert orgs("ListChildren", ParentId=root, ChildType="ACCOUNT")["Children"] == [
        {"Id": MANAGEMENT, "Type": "ACCOUNT"}
    ]
    assert orgs("ListChildren", ParentId=unit, ChildType="ACCOUNT")["Children"] == [{"Id": MEMBER, "Type": "ACCOUNT"}]
    assert orgs("ListParents", ChildId=MEMBER)["Parents"] == [{"Id": unit, "Type": "ORGANIZATIONAL_UNIT"}]
    assert orgs("ListParents", ChildId=unit)["Parents"] == [{"Id": root, "Type": "ROOT"}]
    units = orgs("ListOrganizationalUnitsForParent", ParentId=root)["OrganizationalUnits"]
    assert [u["Id"] for u in units] == [unit]
    with pytest.raises(ChildNotFoundException):
        orgs("ListParents", ChildId="999999999999")


def test_move_account_checks_its_parents(orgs: Orgs) -> None:
    """MoveAccount: SourceParentNotFoundException when the source is not the account's parent,
    DestinationParentNotFoundException for an unknown destination, DuplicateAccountException
    ("That account is already present in the specified destination"), AccountNotFoundException
    for an account not in the organization; the account's Paths follow the move."""
    org_id, root = orgs.organization()
    orgs.join(MEMBER)
    unit = orgs("CreateOrganizationalUnit", ParentId=root, Name="Prod")["OrganizationalUnit"]["Id"]
    with pytest.raises(SourceParentNotFoundException):
        orgs("MoveAccount", AccountId=MEMBER, SourceParentId=unit, DestinationParentId=root)
    with pytest.raises(DestinationParentNotFoundException):
        orgs("MoveAccount", AccountId=MEMBER, SourceParentId=root, DestinationParentId=f"ou-{root[2:]}-zzzzzzzz")
    with pytest.raises(DuplicateAccountException):
        orgs("MoveAccount", AccountId=MEMBER, SourceParentId=root, DestinationParentId=root)
    with pytest.raises(AccountNotFoundException):
        orgs("MoveAccount", AccountId="333333333333", SourceParentId=root, DestinationParentId=unit)
    orgs("MoveAccount", AccountId=MEMBER, SourceParentId=root, DestinationParentId=unit)
    account = orgs("DescribeAccount", AccountId=MEMBER)["Account"]
    assert account["Paths"] == [f"{org_id}/{root}/{unit}/{MEMBER}/"]


def test_members_cannot_manage_ous(orgs: Orgs) -> None:
    """CreateOrganizationalUnit: "You can only call this operation from the management
    account" (AccessDeniedException)."""
    _, root = orgs.organization()
    orgs.join(MEMBER)
    with pytest.raises(AccessDeniedException):
        orgs("CreateOrganizationalUnit", account=MEMBER, ParentId=root, Name="x")


def test_deleting_what_was_listed_skips_nothing(orgs: Orgs) -> None:
    """A NextToken "indicates where the output should continue from" (the Organizations API
    Reference's NextToken): a caller that deletes each OU as it is listed, page by page, still
    sees every OU once (the token was a position, which the deletions moved)."""
    _org_id, root = orgs.organization()
    made = [orgs("CreateOrganizationalUnit", ParentId=root, Name=f"u{i}")["OrganizationalUnit"]["Id"] for i in range(4)]
    seen: list[str] = []
    token = None
    while True:
        kwargs = {"NextToken": token} if token else {}
        out = orgs("ListOrganizationalUnitsForParent", ParentId=root, MaxResults=1, **kwargs)
        for unit in out["OrganizationalUnits"]:
            seen.append(unit["Id"])
            orgs("DeleteOrganizationalUnit", OrganizationalUnitId=unit["Id"])
        token = out.get("NextToken")
        if not token:
            break
    assert seen == made


def test_a_token_this_service_did_not_give_is_invalid(orgs: Orgs) -> None:
    """InvalidInputException INVALID_NEXT_TOKEN ("You specified an invalid value for
    nextToken", the Reason list of InvalidInputException, Organizations API Reference)."""
    _org_id, root = orgs.organization()
    for token in ("not-a-token!", "OTk5"):  # not base64; "999", a place past the end
        with pytest.raises(InvalidInputException) as raised:
            orgs("ListOrganizationalUnitsForParent", ParentId=root, NextToken=token)
        assert raised.value.fields == {"Reason": "INVALID_NEXT_TOKEN"}

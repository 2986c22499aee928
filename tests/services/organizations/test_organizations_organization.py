"""CreateOrganization, DescribeOrganization, DeleteOrganization, ListRoots, EnablePolicyType,
DisablePolicyType and who may call them (AWS Organizations API Reference, each operation's
page; "Creating an organization", Organizations User Guide)."""

from __future__ import annotations

import re

import pytest
from orgs_harness import MANAGEMENT, MEMBER, OUTSIDER, Orgs

from iamsandbox.services.organizations.errors import (
    AccessDeniedException,
    AlreadyInOrganizationException,
    AWSOrganizationsNotInUseException,
    OrganizationNotEmptyException,
    PolicyTypeAlreadyEnabledException,
    PolicyTypeNotAvailableForOrganizationException,
    PolicyTypeNotEnabledException,
    RootNotFoundException,
)


def test_create_organization_makes_the_caller_the_management_account(orgs: Orgs) -> None:
    """CreateOrganization: "The account whose user is calling the CreateOrganization operation
    automatically becomes the management account"; FeatureSet defaults to ALL; ids and ARNs
    follow the model's patterns and "ARN formats" of the API reference."""
    org = orgs("CreateOrganization")["Organization"]
    assert re.fullmatch(r"o-[a-z0-9]{10,32}", org["Id"])
    assert org["Arn"] == f"arn:aws:organizations::{MANAGEMENT}:organization/{org['Id']}"
    assert org["FeatureSet"] == "ALL"
    assert org["MasterAccountId"] == MANAGEMENT
    assert org["MasterAccountArn"] == f"arn:aws:organizations::{MANAGEMENT}:account/{org['Id']}/{MANAGEMENT}"
    assert org["MasterAccountEmail"] == "admin@example.com"
    # DescribeOrganization: AvailablePolicyTypes "doesn't include any policy type ... other than SCPs".
    assert org["AvailablePolicyTypes"] == [{"Type": "SERVICE_CONTROL_POLICY", "Status": "ENABLED"}]


def test_the_root_starts_with_no_policy_type_enabled(orgs: Orgs) -> None:
    """ListRoots / Root: PolicyTypes lists the types enabled on the root; none until
    EnablePolicyType ("Enabling a policy type", Organizations User Guide)."""
    org_id, _ = orgs.organization()
    roots = orgs("ListRoots")["Roots"]
    assert len(roots) == 1
    root = roots[0]
    assert re.fullmatch(r"r-[0-9a-z]{4,32}", root["Id"])
    assert root["Arn"] == f"arn:aws:organizations::{MANAGEMENT}:root/{org_id}/{root['Id']}"
    assert root["Name"] == "Root"
    assert root["PolicyTypes"] == []


def test_a_second_organization_is_refused(orgs: Orgs) -> None:
    """CreateOrganization errors: AlreadyInOrganizationException, "This account is already a
    member of an organization" (the management account, and a member)."""
    orgs.organization()
    with pytest.raises(AlreadyInOrganizationException):
        orgs("CreateOrganization")
    orgs.join(MEMBER)
    with pytest.raises(AlreadyInOrganizationException):
        orgs("CreateOrganization", account=MEMBER)


def test_an_account_in_no_organization_hears_not_in_use(orgs: Orgs) -> None:
    """AWSOrganizationsNotInUseException: "Your account isn't a member of an organization"
    (DescribeOrganization, ListRoots, ... errors)."""
    for operation in ("DescribeOrganization", "ListRoots", "ListAccounts", "DeleteOrganization"):
        with pytest.raises(AWSOrganizationsNotInUseException):
            orgs(operation, account=OUTSIDER)


def test_members_describe_the_organization_but_not_the_rest(orgs: Orgs) -> None:
    """DescribeOrganization: "You can call this operation from any account in a organization";
    ListRoots, ListAccounts, DeleteOrganization: "only from the management account"
    (AccessDeniedException)."""
    org_id, _ = orgs.organization()
    orgs.join(MEMBER)
    assert orgs("DescribeOrganization", account=MEMBER)["Organization"]["Id"] == org_id
    for operation in ("ListRoots", "ListAccounts", "DeleteOrganization"):
        with pytest.raises(AccessDeniedException):
            orgs(operation, account=MEMBER)


def test_delete_organization_only_when_no_member_remains(orgs: Orgs) -> None:
    """DeleteOrganization: "You can delete an organization only after you remove all member
    accounts from it" (OrganizationNotEmptyException); afterwards the account is in none."""
    orgs.organization()
    orgs.join(MEMBER)
    with pytest.raises(OrganizationNotEmptyException):
        orgs("DeleteOrganization")
    orgs("RemoveAccountFromOrganization", AccountId=MEMBER)
    assert orgs("DeleteOrganization") == {}
    with pytest.raises(AWSOrganizationsNotInUseException):
        orgs("DescribeOrganization")
    orgs("CreateOrganization")  # free to make a new one


def test_enable_and_disable_policy_types(orgs: Orgs) -> None:
    """EnablePolicyType answers the Root with the type ENABLED; a second time
    PolicyTypeAlreadyEnabledException; DisablePolicyType of a type not enabled
    PolicyTypeNotEnabledException; an unknown root RootNotFoundException."""
    _, root = orgs.organization()
    out = orgs("EnablePolicyType", RootId=root, PolicyType="SERVICE_CONTROL_POLICY")["Root"]
    assert out["PolicyTypes"] == [{"Type": "SERVICE_CONTROL_POLICY", "Status": "ENABLED"}]
    with pytest.raises(PolicyTypeAlreadyEnabledException):
        orgs("EnablePolicyType", RootId=root, PolicyType="SERVICE_CONTROL_POLICY")
    with pytest.raises(PolicyTypeNotEnabledException):
        orgs("DisablePolicyType", RootId=root, PolicyType="RESOURCE_CONTROL_POLICY")
    with pytest.raises(RootNotFoundException):
        orgs("EnablePolicyType", RootId="r-zzzz", PolicyType="RESOURCE_CONTROL_POLICY")
    out = orgs("DisablePolicyType", RootId=root, PolicyType="SERVICE_CONTROL_POLICY")["Root"]
    assert out["PolicyTypes"] == []


def test_consolidated_billing_has_no_policies(orgs: Orgs) -> None:
    """ "Consolidated billing features": policies need all features; EnablePolicyType answers
    PolicyTypeNotAvailableForOrganizationException ("You can't use the specified policy type
    with the feature set currently enabled")."""
    org = orgs("CreateOrganization", FeatureSet="CONSOLIDATED_BILLING")["Organization"]
    assert org["FeatureSet"] == "CONSOLIDATED_BILLING"
    root = orgs("ListRoots")["Roots"][0]["Id"]
    with pytest.raises(PolicyTypeNotAvailableForOrganizationException):
        orgs("EnablePolicyType", RootId=root, PolicyType="SERVICE_CONTROL_POLICY")

"""Member accounts: CreateAccount and its status, ListAccounts, DescribeAccount,
RemoveAccountFromOrganization, LeaveOrganization (AWS Organizations API Reference, each
operation's page; "Accessing member accounts in your organization", Organizations User
Guide)."""

from __future__ import annotations

import json
import re

import pytest
from orgs_harness import MANAGEMENT, MEMBER, OUTSIDER, Orgs

from iamsandbox.services.organizations.errors import (
    AccessDeniedException,
    AccountNotFoundException,
    AWSOrganizationsNotInUseException,
    CreateAccountStatusNotFoundException,
    MasterCannotLeaveOrganizationException,
)


def test_create_account_makes_a_member_with_an_access_role(orgs: Orgs) -> None:
    """CreateAccount: the new account "is automatically a member of the organization";
    "Organizations preconfigures the new member account with a role (named
    OrganizationAccountAccessRole by default) that grants users in the management account
    administrator permissions ... Principals in the management account can assume the role"."""
    org_id, root = orgs.organization()
    status = orgs("CreateAccount", Email="new@example.com", AccountName="Workloads")["CreateAccountStatus"]
    assert re.fullmatch(r"car-[a-z0-9]{8,32}", status["Id"])
    assert status["State"] == "SUCCEEDED"
    assert status["AccountName"] == "Workloads"
    new = status["AccountId"]
    assert re.fullmatch(r"\d{12}", new)
    account = orgs("DescribeAccount", AccountId=new)["Account"]
    assert account["JoinedMethod"] == "CREATED"
    assert account["Email"] == "new@example.com"
    assert account["Name"] == "Workloads"
    assert account["Status"] == "ACTIVE"
    assert account["Arn"] == f"arn:aws:organizations::{MANAGEMENT}:account/{org_id}/{new}"
    assert account["Paths"] == [f"{org_id}/{root}/{new}/"]
    with orgs.store.transaction() as tx:
        role = tx.get_role(new, "OrganizationAccountAccessRole")
        assert role is not None
        trust = json.loads(role.trust_policy)
        assert tx.list_attached_policies(role.id) == ["arn:aws:iam::aws:policy/AdministratorAccess"]
    (statement,) = trust["Statement"]
    assert statement["Effect"] == "Allow"
    assert statement["Principal"] == {"AWS": f"arn:aws:iam::{MANAGEMENT}:root"}
    assert statement["Action"] == "sts:AssumeRole"
    assert orgs("DescribeCreateAccountStatus", CreateAccountRequestId=status["Id"])["CreateAccountStatus"] == status
    listed = orgs("ListCreateAccountStatus", States=["SUCCEEDED"])["CreateAccountStatuses"]
    assert [s["Id"] for s in listed] == [status["Id"]]


def test_create_account_with_a_role_name(orgs: Orgs) -> None:
    """CreateAccount RoleName: "the name of an IAM role that Organizations automatically
    preconfigures in the new member account"."""
    orgs.organization()
    new = orgs("CreateAccount", Email="n2@example.com", AccountName="n2", RoleName="OrgAdmin")["CreateAccountStatus"]
    with orgs.store.transaction() as tx:
        assert tx.get_role(new["AccountId"], "OrgAdmin") is not None
        assert tx.get_role(new["AccountId"], "OrganizationAccountAccessRole") is None


def test_an_email_in_use_fails_the_request(orgs: Orgs) -> None:
    """CreateAccountStatus FailureReason EMAIL_ALREADY_EXISTS: "Account could not be created
    because another AWS account with that email address already exists"."""
    orgs.organization()
    status = orgs("CreateAccount", Email="member@example.com", AccountName="dup")["CreateAccountStatus"]
    assert status["State"] == "FAILED"
    assert status["FailureReason"] == "EMAIL_ALREADY_EXISTS"
    assert "AccountId" not in status
    with pytest.raises(CreateAccountStatusNotFoundException):
        orgs("DescribeCreateAccountStatus", CreateAccountRequestId="car-00000000")


def test_list_accounts_includes_the_management_account(orgs: Orgs) -> None:
    """ListAccounts "Lists all the accounts in the organization", the management account
    included; an account outside it is AccountNotFoundException for DescribeAccount."""
    orgs.organization()
    orgs.join(MEMBER)
    ids = [a["Id"] for a in orgs("ListAccounts")["Accounts"]]
    assert ids == [MANAGEMENT, MEMBER]
    with pytest.raises(AccountNotFoundException):
        orgs("DescribeAccount", AccountId=OUTSIDER)


def test_list_accounts_pages(orgs: Orgs) -> None:
    """MaxResults / NextToken (ListAccounts): a page at most MaxResults long and a NextToken
    while more remain."""
    orgs.organization()
    orgs.join(MEMBER)
    first = orgs("ListAccounts", MaxResults=1)
    assert [a["Id"] for a in first["Accounts"]] == [MANAGEMENT]
    second = orgs("ListAccounts", MaxResults=1, NextToken=first["NextToken"])
    assert [a["Id"] for a in second["Accounts"]] == [MEMBER]
    assert "NextToken" not in second


def test_remove_and_leave(orgs: Orgs) -> None:
    """RemoveAccountFromOrganization (management account) and LeaveOrganization (the member
    itself); the management account can do neither (MasterCannotLeaveOrganizationException);
    a member cannot remove others (AccessDeniedException); afterwards the account is in no
    organization (AWSOrganizationsNotInUseException)."""
    orgs.organization()
    orgs.join(MEMBER)
    with pytest.raises(MasterCannotLeaveOrganizationException):
        orgs("LeaveOrganization")
    with pytest.raises(MasterCannotLeaveOrganizationException):
        orgs("RemoveAccountFromOrganization", AccountId=MANAGEMENT)
    with pytest.raises(AccessDeniedException):
        orgs("RemoveAccountFromOrganization", account=MEMBER, AccountId=MANAGEMENT)
    assert orgs("LeaveOrganization", account=MEMBER) == {}
    with pytest.raises(AWSOrganizationsNotInUseException):
        orgs("DescribeOrganization", account=MEMBER)
    orgs.join(MEMBER)
    orgs("RemoveAccountFromOrganization", AccountId=MEMBER)
    with pytest.raises(AccountNotFoundException):
        orgs("DescribeAccount", AccountId=MEMBER)

"""Member accounts: ListAccounts, ListAccountsForParent, DescribeAccount, MoveAccount,
CreateAccount, DescribeCreateAccountStatus, ListCreateAccountStatus,
RemoveAccountFromOrganization, LeaveOrganization (Organizations API reference, each
operation's page).

- CreateAccount makes a new account in the store (a fresh 12-digit id, the Email and
  AccountName given), places it under the root (JoinedMethod CREATED) and makes in it the
  role named by RoleName (default OrganizationAccountAccessRole) that the management
  account may assume, with AdministratorAccess attached ("Accessing member accounts in
  your organization", Organizations User Guide). AWS creates accounts asynchronously; here
  the request has SUCCEEDED when the call returns (DESIGN.md: this system may be
  immediately consistent). An email another account has already: the request FAILED with
  EMAIL_ALREADY_EXISTS, as DescribeCreateAccountStatus reports it.
- LeaveOrganization is the member's own call; the management account cannot leave nor be
  removed (MasterCannotLeaveOrganizationException).

Known gaps: no CloseAccount, no CreateGovCloudAccount; IamUserAccessToBilling is accepted
and ignored; the new account has no root password nor access key (its role is the way in).
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from ...store.interface import CreateAccountRequest, OrgAccount, Organization
from ..context import CallContext
from . import arns
from .common import caller_org, container, management_org, new_id, paged, tags_of
from .errors import (
    AccountNotFoundException,
    CreateAccountStatusNotFoundException,
    DestinationParentNotFoundException,
    DuplicateAccountException,
    MasterCannotLeaveOrganizationException,
    SourceParentNotFoundException,
)
from .organization import attach_full_access, tag_new
from .units import parent_of

DEFAULT_ROLE = "OrganizationAccountAccessRole"
ADMINISTRATOR_ACCESS = "arn:aws:iam::aws:policy/AdministratorAccess"


def account_path(ctx: CallContext, org: Organization, member: OrgAccount) -> str:
    unit = ctx.tx.get_org_unit(member.parent_id)
    above = unit.path if unit is not None else (org.root_id,)
    return f"{org.id}/{'/'.join(above)}/{member.account_id}/"


def account_out(ctx: CallContext, org: Organization, member: OrgAccount) -> dict[str, Any]:
    out: dict[str, Any] = {"Id": member.account_id, "Arn": arns.account_arn(org, member.account_id)}
    if member.email:
        out["Email"] = member.email
    out.update(
        {
            "Name": member.name,
            "Status": member.status,
            "State": member.status,
            "Paths": [account_path(ctx, org, member)],
            "JoinedMethod": member.joined_method,
            "JoinedTimestamp": member.joined,
        }
    )
    return out


def member_of(ctx: CallContext, org: Organization, account_id: str) -> OrgAccount:
    member = ctx.tx.get_org_account(account_id)
    if member is None or member.org_id != org.id:
        raise AccountNotFoundException()
    return member


def list_accounts(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    org = management_org(ctx)
    accounts = [account_out(ctx, org, member) for member in ctx.tx.list_org_accounts(org.id)]
    return paged("Accounts", accounts, params)


def list_accounts_for_parent(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    org = management_org(ctx)
    parent_of(ctx, org, params["ParentId"])
    members = ctx.tx.list_org_accounts(org.id, params["ParentId"])
    return paged("Accounts", [account_out(ctx, org, member) for member in members], params)


def describe_account(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    org = management_org(ctx)
    return {"Account": account_out(ctx, org, member_of(ctx, org, params["AccountId"]))}


def move_account(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    org = management_org(ctx)
    member = member_of(ctx, org, params["AccountId"])
    source, destination = params["SourceParentId"], params["DestinationParentId"]
    if container(ctx, org, source) is None or member.parent_id != source:
        raise SourceParentNotFoundException()
    if container(ctx, org, destination) is None:
        raise DestinationParentNotFoundException()
    if destination == member.parent_id:
        raise DuplicateAccountException()
    # The account is the table's resource; the two parents are the action's other resource
    # types ("Actions, resources, and condition keys for AWS Organizations": MoveAccount on
    # account*, organizationalunit, root), each of which a policy must allow.
    for parent in (source, destination):
        ctx.authorize("organizations:MoveAccount", arns.target_arn(ctx.tx, ctx.account_id, parent), {})
    ctx.tx.move_org_account(member.account_id, destination)
    return {}


def create_account(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    org = management_org(ctx)
    tags = tags_of(params)
    email, name = params["Email"], params["AccountName"]
    request_id = new_id("car-", 32)
    if any(account.email and account.email.lower() == email.lower() for account in ctx.tx.list_accounts()):
        failed = CreateAccountRequest(
            request_id, org.id, name, "FAILED", ctx.now, ctx.now, None, "EMAIL_ALREADY_EXISTS"
        )
        ctx.tx.add_create_account_request(failed)
        return {"CreateAccountStatus": status_out(failed)}
    account_id = _fresh_account_id(ctx)
    ctx.tx.create_account(account_id, name, email)
    ctx.tx.add_org_account(org.id, account_id, org.root_id, "CREATED")
    attach_full_access(ctx, org, account_id)
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{org.management_account_id}:root"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    role = ctx.tx.create_role(account_id, params.get("RoleName") or DEFAULT_ROLE, json.dumps(trust))
    ctx.tx.attach_policy(role.id, ADMINISTRATOR_ACCESS)
    tag_new(ctx, org, arns.account_arn(org, account_id), tags)
    done = CreateAccountRequest(request_id, org.id, name, "SUCCEEDED", ctx.now, ctx.now, account_id)
    ctx.tx.add_create_account_request(done)
    return {"CreateAccountStatus": status_out(done)}


def _fresh_account_id(ctx: CallContext) -> str:
    while True:
        account_id = str(secrets.randbelow(9 * 10**11) + 10**11)
        if ctx.tx.get_account(account_id) is None:
            return account_id


def status_out(request: CreateAccountRequest) -> dict[str, Any]:
    out: dict[str, Any] = {
        "Id": request.id,
        "AccountName": request.account_name,
        "State": request.state,
        "RequestedTimestamp": request.requested,
    }
    if request.completed is not None:
        out["CompletedTimestamp"] = request.completed
    if request.account_id is not None:
        out["AccountId"] = request.account_id
    if request.failure_reason is not None:
        out["FailureReason"] = request.failure_reason
    return out


def describe_create_account_status(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    org = management_org(ctx)
    request = ctx.tx.get_create_account_request(params["CreateAccountRequestId"])
    if request is None or request.org_id != org.id:
        raise CreateAccountStatusNotFoundException()
    return {"CreateAccountStatus": status_out(request)}


def list_create_account_status(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    org = management_org(ctx)
    states = set(params.get("States") or ())
    requests = [r for r in ctx.tx.list_create_account_requests(org.id) if not states or r.state in states]
    return paged("CreateAccountStatuses", [status_out(r) for r in requests], params)


def remove_account_from_organization(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    org = management_org(ctx)
    member = member_of(ctx, org, params["AccountId"])
    if member.account_id == org.management_account_id:
        raise MasterCannotLeaveOrganizationException()
    ctx.tx.remove_org_account(member.account_id)
    return {}


def leave_organization(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    org = caller_org(ctx)
    if ctx.account_id == org.management_account_id:
        raise MasterCannotLeaveOrganizationException()
    ctx.tx.remove_org_account(ctx.account_id)
    return {}

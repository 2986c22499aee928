"""Invitations: InviteAccountToOrganization, AcceptHandshake, DeclineHandshake,
CancelHandshake, DescribeHandshake, ListHandshakesForAccount, ListHandshakesForOrganization
(Organizations API reference, each operation's page; "Inviting an AWS account to join your
organization", Organizations User Guide).

An invitation is a handshake (Action INVITE) in state OPEN; it expires after 15 days
(InviteAccountToOrganization: "If the invited account doesn't respond ... within 15
days"), shown as EXPIRED from then on. Only the invited account accepts or declines it;
accepting joins the account to the organization under the root (JoinedMethod INVITED)
with the tags the invitation carried. Only the management account cancels it. A
handshake is visible to the invited account and to the organization's management account.

Known gaps: EnableAllFeatures' handshakes; invitations of an email address no account
here has.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from ...store.interface import Organization, OrgHandshake
from ..context import CallContext
from . import arns
from .common import management_org, new_id, paged, tags_of
from .errors import (
    AccountNotFoundException,
    DuplicateHandshakeException,
    HandshakeAlreadyInStateException,
    HandshakeConstraintViolationException,
    HandshakeNotFoundException,
    InvalidHandshakeTransitionException,
    InvalidInputException,
)
from .organization import attach_full_access, authorize_tagging

LIFETIME = timedelta(days=15)


def _state(ctx: CallContext, handshake: OrgHandshake) -> str:
    if handshake.state == "OPEN" and ctx.now >= handshake.expires:
        return "EXPIRED"
    return handshake.state


def handshake_out(ctx: CallContext, org: Organization, handshake: OrgHandshake) -> dict[str, Any]:
    management = ctx.tx.get_account(org.management_account_id)
    about_org: list[dict[str, Any]] = []
    if management is not None and management.email:
        about_org.append({"Type": "MASTER_EMAIL", "Value": management.email})
    if management is not None:
        about_org.append({"Type": "MASTER_NAME", "Value": management.name})
    about_org.append({"Type": "ORGANIZATION_FEATURE_SET", "Value": org.feature_set})
    resources: list[dict[str, Any]] = [
        {"Type": "ORGANIZATION", "Value": org.id, "Resources": about_org},
        {"Type": handshake.party_type, "Value": handshake.party_id},
    ]
    if handshake.notes:
        resources.append({"Type": "NOTES", "Value": handshake.notes})
    return {
        "Id": handshake.id,
        "Arn": arns.handshake_arn(org, handshake.id, handshake.action),
        "Parties": [{"Id": org.id, "Type": "ORGANIZATION"}, {"Id": handshake.party_id, "Type": handshake.party_type}],
        "State": _state(ctx, handshake),
        "RequestedTimestamp": handshake.requested,
        "ExpirationTimestamp": handshake.expires,
        "Action": handshake.action,
        "Resources": resources,
    }


def invite_account_to_organization(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    org = management_org(ctx)
    target = params["Target"]
    party_type, party_id = target["Type"], target["Id"]
    tags = tags_of(params)
    if party_type == "ACCOUNT":
        account = ctx.tx.get_account(party_id)
    elif party_type == "EMAIL":
        wanted = party_id.lower()
        account = next((a for a in ctx.tx.list_accounts() if a.email and a.email.lower() == wanted), None)
    else:
        raise InvalidInputException("INVALID_PARTY_TYPE_TARGET", "You specified the wrong type for the target.")
    if account is None:
        raise AccountNotFoundException()
    member = ctx.tx.get_org_account(account.account_id)
    if member is not None:
        # This organization's member too: InviteAccountToOrganization declares no
        # DuplicateAccountException (botocore's model), and the reason says "already a
        # member of an organization".
        raise HandshakeConstraintViolationException(
            "ALREADY_IN_AN_ORGANIZATION",
            "The handshake request is invalid because the invited account is already a member of an organization.",
        )
    pending = ctx.tx.list_handshakes(org_id=org.id, account_id=account.account_id)
    if any(h.action == "INVITE" and _state(ctx, h) == "OPEN" for h in pending):
        raise DuplicateHandshakeException()
    handshake = OrgHandshake(
        id=new_id("h-", 10),
        org_id=org.id,
        action="INVITE",
        state="OPEN",
        party_type=party_type,
        party_id=party_id,
        account_id=account.account_id,
        notes=params.get("Notes"),
        requested=ctx.now,
        expires=ctx.now + LIFETIME,
    )
    authorize_tagging(ctx, arns.account_arn(org, account.account_id), tags)
    ctx.tx.create_handshake(handshake)
    if tags:  # for the account when it joins (InviteAccountToOrganization, Tags)
        ctx.tx.set_tags(org.management_account_id, arns.handshake_arn(org, handshake.id), tags)
    return {"Handshake": handshake_out(ctx, org, handshake)}


def _visible(ctx: CallContext, handshake_id: str) -> tuple[Organization, OrgHandshake]:
    """The handshake and its organization, when the caller is its invited account or the
    organization's management account."""
    handshake = ctx.tx.get_handshake(handshake_id)
    org = ctx.tx.get_organization(handshake.org_id) if handshake is not None else None
    if handshake is None or org is None:
        raise HandshakeNotFoundException()
    if ctx.account_id not in (handshake.account_id, org.management_account_id):
        raise HandshakeNotFoundException()
    return org, handshake


def _transition(ctx: CallContext, handshake: OrgHandshake, state: str) -> None:
    current = _state(ctx, handshake)
    if current == state:
        raise HandshakeAlreadyInStateException()
    if current != "OPEN":
        raise InvalidHandshakeTransitionException()


def _respond(ctx: CallContext, params: dict[str, Any], state: str) -> tuple[Organization, OrgHandshake]:
    org, handshake = _visible(ctx, params["HandshakeId"])
    if ctx.account_id != handshake.account_id:  # the management account cannot answer its own invitation
        raise HandshakeNotFoundException()
    _transition(ctx, handshake, state)
    return org, handshake


def accept_handshake(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    org, handshake = _respond(ctx, params, "ACCEPTED")
    if ctx.tx.get_org_account(ctx.account_id) is not None:
        raise HandshakeConstraintViolationException(
            "ALREADY_IN_AN_ORGANIZATION",
            "The handshake request is invalid because the invited account is already a member of an organization.",
        )
    ctx.tx.add_org_account(org.id, ctx.account_id, org.root_id, "INVITED")
    attach_full_access(ctx, org, ctx.account_id)
    invite_arn = arns.handshake_arn(org, handshake.id)
    tags = ctx.tx.get_tags(invite_arn)
    if tags:
        ctx.tx.set_tags(org.management_account_id, arns.account_arn(org, ctx.account_id), tags)
        ctx.tx.set_tags(org.management_account_id, invite_arn, {})
    return _moved(ctx, org, handshake, "ACCEPTED")


def decline_handshake(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    org, handshake = _respond(ctx, params, "DECLINED")
    return _moved(ctx, org, handshake, "DECLINED")


def cancel_handshake(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    management = management_org(ctx)
    org, handshake = _visible(ctx, params["HandshakeId"])
    if org.id != management.id:
        raise HandshakeNotFoundException()
    _transition(ctx, handshake, "CANCELED")
    return _moved(ctx, org, handshake, "CANCELED")


def _moved(ctx: CallContext, org: Organization, handshake: OrgHandshake, state: str) -> dict[str, Any]:
    ctx.tx.set_handshake_state(handshake.id, state)
    updated = ctx.tx.get_handshake(handshake.id)
    assert updated is not None  # INVARIANT: written just above
    return {"Handshake": handshake_out(ctx, org, updated)}


def describe_handshake(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    org, handshake = _visible(ctx, params["HandshakeId"])
    return {"Handshake": handshake_out(ctx, org, handshake)}


def _filtered(handshakes: list[OrgHandshake], params: dict[str, Any]) -> list[OrgHandshake]:
    action = (params.get("Filter") or {}).get("ActionType")
    return [h for h in handshakes if action is None or h.action == action]


def list_handshakes_for_account(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    # Callable from any account, in an organization or not (ListHandshakesForAccount).
    out = []
    for handshake in _filtered(ctx.tx.list_handshakes(account_id=ctx.account_id), params):
        org = ctx.tx.get_organization(handshake.org_id)
        if org is not None:
            out.append(handshake_out(ctx, org, handshake))
    return paged("Handshakes", out, params)


def list_handshakes_for_organization(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    org = management_org(ctx)
    handshakes = _filtered(ctx.tx.list_handshakes(org_id=org.id), params)
    return paged("Handshakes", [handshake_out(ctx, org, h) for h in handshakes], params)

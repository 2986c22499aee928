"""Invitations as handshakes (AWS Organizations API Reference: InviteAccountToOrganization,
AcceptHandshake, DeclineHandshake, CancelHandshake, DescribeHandshake,
ListHandshakesForAccount, ListHandshakesForOrganization; "Inviting an AWS account to join
your organization", Organizations User Guide)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from orgs_harness import MANAGEMENT, MEMBER, OUTSIDER, Orgs

from iamsandbox.services.organizations.errors import (
    DuplicateHandshakeException,
    HandshakeAlreadyInStateException,
    HandshakeConstraintViolationException,
    HandshakeNotFoundException,
    InvalidHandshakeTransitionException,
)


def _invite(orgs: Orgs, account: str = MEMBER, **params: Any) -> dict[str, Any]:
    out = orgs("InviteAccountToOrganization", Target={"Type": "ACCOUNT", "Id": account}, **params)
    handshake: dict[str, Any] = out["Handshake"]
    return handshake


def test_invite_is_an_open_handshake(orgs: Orgs) -> None:
    """InviteAccountToOrganization answers a Handshake, Action INVITE, State OPEN, with the
    organization and the invited account as its parties; its ARN
    arn:aws:organizations::MGMT:handshake/o-x/invite/h-x ("ARN formats")."""
    org_id, _ = orgs.organization()
    shake = _invite(orgs, Notes="welcome")
    assert re.fullmatch(r"h-[0-9a-z]{8,32}", str(shake["Id"]))
    assert shake["Arn"] == f"arn:aws:organizations::{MANAGEMENT}:handshake/{org_id}/invite/{shake['Id']}"
    assert shake["Action"] == "INVITE"
    assert shake["State"] == "OPEN"
    assert {"Id": MEMBER, "Type": "ACCOUNT"} in shake["Parties"]
    assert {"Id": org_id, "Type": "ORGANIZATION"} in shake["Parties"]
    assert {"Type": "NOTES", "Value": "welcome"} in shake["Resources"]
    seen = orgs("ListHandshakesForAccount", account=MEMBER)["Handshakes"]
    assert [h["Id"] for h in seen] == [shake["Id"]]
    assert [h["Id"] for h in orgs("ListHandshakesForOrganization")["Handshakes"]] == [shake["Id"]]
    assert orgs("DescribeHandshake", account=MEMBER, HandshakeId=shake["Id"])["Handshake"]["State"] == "OPEN"
    with pytest.raises(HandshakeNotFoundException):
        orgs("DescribeHandshake", account=OUTSIDER, HandshakeId=shake["Id"])


def test_accepting_joins_the_account(orgs: Orgs) -> None:
    """AcceptHandshake by the invited account: ACCEPTED, and the account is a member
    (JoinedMethod INVITED) under the root; accepting again HandshakeAlreadyInStateException."""
    org_id, root = orgs.organization()
    shake = _invite(orgs, Tags=[{"Key": "team", "Value": "blue"}])
    accepted = orgs("AcceptHandshake", account=MEMBER, HandshakeId=shake["Id"])["Handshake"]
    assert accepted["State"] == "ACCEPTED"
    account = orgs("DescribeAccount", AccountId=MEMBER)["Account"]
    assert account["JoinedMethod"] == "INVITED"
    assert account["Paths"] == [f"{org_id}/{root}/{MEMBER}/"]
    # InviteAccountToOrganization Tags: "tags that you want to attach to the account when it becomes a member".
    assert orgs("ListTagsForResource", ResourceId=MEMBER)["Tags"] == [{"Key": "team", "Value": "blue"}]
    with pytest.raises(HandshakeAlreadyInStateException):
        orgs("AcceptHandshake", account=MEMBER, HandshakeId=shake["Id"])


def test_only_the_invited_account_answers(orgs: Orgs) -> None:
    """AcceptHandshake / DeclineHandshake: "called only by the account that received the
    handshake"; another account does not find it."""
    orgs.organization()
    shake = _invite(orgs)
    with pytest.raises(HandshakeNotFoundException):
        orgs("AcceptHandshake", account=OUTSIDER, HandshakeId=shake["Id"])
    with pytest.raises(HandshakeNotFoundException):
        orgs("AcceptHandshake", account=MANAGEMENT, HandshakeId=shake["Id"])


def test_decline_and_cancel(orgs: Orgs) -> None:
    """DeclineHandshake: DECLINED; CancelHandshake (the management account): CANCELED; a
    closed handshake cannot move again (InvalidHandshakeTransitionException: "you can't
    cancel a handshake that was already accepted or accept a handshake that was already
    declined")."""
    orgs.organization()
    declined = _invite(orgs)
    assert orgs("DeclineHandshake", account=MEMBER, HandshakeId=declined["Id"])["Handshake"]["State"] == "DECLINED"
    with pytest.raises(InvalidHandshakeTransitionException):
        orgs("AcceptHandshake", account=MEMBER, HandshakeId=declined["Id"])
    canceled = _invite(orgs)
    assert orgs("CancelHandshake", HandshakeId=canceled["Id"])["Handshake"]["State"] == "CANCELED"
    with pytest.raises(InvalidHandshakeTransitionException):
        orgs("AcceptHandshake", account=MEMBER, HandshakeId=canceled["Id"])


def test_invitation_errors(orgs: Orgs) -> None:
    """DuplicateHandshakeException ("the invited account might already have a pending
    invitation from this organization"), and HandshakeConstraintViolationException
    ALREADY_IN_AN_ORGANIZATION ("the invited account is already a member of an
    organization") for an account in this organization or another: InviteAccountToOrganization
    declares no DuplicateAccountException (its errors in botocore's model)."""
    orgs.organization()
    _invite(orgs)
    with pytest.raises(DuplicateHandshakeException):
        _invite(orgs)
    with pytest.raises(HandshakeConstraintViolationException) as own:
        _invite(orgs, MANAGEMENT)
    assert own.value.fields == {"Reason": "ALREADY_IN_AN_ORGANIZATION"}
    orgs("CreateOrganization", account=OUTSIDER)
    with pytest.raises(HandshakeConstraintViolationException) as raised:
        _invite(orgs, OUTSIDER)
    assert raised.value.fields == {"Reason": "ALREADY_IN_AN_ORGANIZATION"}

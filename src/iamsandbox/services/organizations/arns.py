"""The ARNs of Organizations resources ("Resource types defined by AWS Organizations",
Service Authorization Reference; the ARN formats of the Organizations API reference):

- organization ``arn:aws:organizations::MGMT:organization/o-x``
- root ``arn:aws:organizations::MGMT:root/o-x/r-x``
- OU ``arn:aws:organizations::MGMT:ou/o-x/ou-x``
- account ``arn:aws:organizations::MGMT:account/o-x/ACCOUNT``
- policy ``arn:aws:organizations::MGMT:policy/o-x/service_control_policy/p-x``; an AWS
  managed one ``arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess``
- handshake ``arn:aws:organizations::MGMT:handshake/o-x/invite/h-x``

MGMT is the management account's id."""

from __future__ import annotations

import re

from ...store.interface import AWS_MANAGED_ORG_POLICIES, Organization, Transaction

_ACCOUNT = re.compile(r"^\d{12}$")


def org_arn(org: Organization, kind: str, *rest: str) -> str:
    return "/".join((f"arn:aws:organizations::{org.management_account_id}:{kind}", org.id, *rest))


def account_arn(org: Organization, account_id: str) -> str:
    return org_arn(org, "account", account_id)


def ou_arn(org: Organization, unit_id: str) -> str:
    return org_arn(org, "ou", unit_id)


def policy_arn(org: Organization | None, policy_id: str, policy_type: str) -> str:
    kind = policy_type.lower()
    if policy_id in AWS_MANAGED_ORG_POLICIES or org is None:
        return f"arn:aws:organizations::aws:policy/{kind}/{policy_id}"
    return org_arn(org, "policy", kind, policy_id)


def handshake_arn(org: Organization, handshake_id: str, action: str = "INVITE") -> str:
    return org_arn(org, "handshake", action.lower(), handshake_id)


def target_arn(tx: Transaction, caller_account: str, resource_id: str) -> str:
    """The ARN of an organization, root, OU, policy, handshake or account id in the caller's
    organization; when the id is unknown there, the best ARN that can be built (never raises)."""
    org = tx.organization_of(caller_account)
    mgmt = org.management_account_id if org is not None else caller_account
    org_id = org.id if org is not None else "o-unknown"

    def build(kind: str, *rest: str) -> str:
        return "/".join((f"arn:aws:organizations::{mgmt}:{kind}", org_id, *rest))

    if resource_id.startswith("o-"):
        return f"arn:aws:organizations::{mgmt}:organization/{resource_id}"
    if resource_id.startswith("r-"):
        return build("root", resource_id)
    if resource_id.startswith("ou-"):
        return build("ou", resource_id)
    if _ACCOUNT.match(resource_id):
        return build("account", resource_id)
    if resource_id.startswith("h-"):
        return build("handshake", "invite", resource_id)
    if resource_id.startswith("p-"):
        managed = AWS_MANAGED_ORG_POLICIES.get(resource_id)
        if managed is not None:
            return policy_arn(None, resource_id, managed[0])
        policy = tx.get_org_policy(resource_id)
        kind = policy.type if policy is not None else "SERVICE_CONTROL_POLICY"
        return build("policy", kind.lower(), resource_id)
    return build("resource", resource_id) if resource_id else build("resource")

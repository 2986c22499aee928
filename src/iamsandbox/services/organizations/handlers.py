"""The AWS Organizations operations this package implements: operation name -> handler.

Not yet: delegated administrators, trusted service access, EnableAllFeatures, CloseAccount,
CreateGovCloudAccount, effective policies, resource policies, responsibility transfers, and
the policy types other than SCPs and RCPs.
"""

from __future__ import annotations

from ..context import Handler
from . import accounts, handshakes, organization, policies, units

HANDLERS: dict[str, Handler] = {
    # the organization, its root and policy types
    "CreateOrganization": organization.create_organization,
    "DescribeOrganization": organization.describe_organization,
    "DeleteOrganization": organization.delete_organization,
    "ListRoots": organization.list_roots,
    "EnablePolicyType": organization.enable_policy_type,
    "DisablePolicyType": organization.disable_policy_type,
    # tags
    "TagResource": organization.tag_resource,
    "UntagResource": organization.untag_resource,
    "ListTagsForResource": organization.list_tags_for_resource,
    # organizational units
    "CreateOrganizationalUnit": units.create_organizational_unit,
    "DescribeOrganizationalUnit": units.describe_organizational_unit,
    "UpdateOrganizationalUnit": units.update_organizational_unit,
    "DeleteOrganizationalUnit": units.delete_organizational_unit,
    "ListOrganizationalUnitsForParent": units.list_organizational_units_for_parent,
    "ListChildren": units.list_children,
    "ListParents": units.list_parents,
    # accounts
    "ListAccounts": accounts.list_accounts,
    "ListAccountsForParent": accounts.list_accounts_for_parent,
    "DescribeAccount": accounts.describe_account,
    "MoveAccount": accounts.move_account,
    "CreateAccount": accounts.create_account,
    "DescribeCreateAccountStatus": accounts.describe_create_account_status,
    "ListCreateAccountStatus": accounts.list_create_account_status,
    "RemoveAccountFromOrganization": accounts.remove_account_from_organization,
    "LeaveOrganization": accounts.leave_organization,
    # handshakes
    "InviteAccountToOrganization": handshakes.invite_account_to_organization,
    "AcceptHandshake": handshakes.accept_handshake,
    "DeclineHandshake": handshakes.decline_handshake,
    "CancelHandshake": handshakes.cancel_handshake,
    "DescribeHandshake": handshakes.describe_handshake,
    "ListHandshakesForAccount": handshakes.list_handshakes_for_account,
    "ListHandshakesForOrganization": handshakes.list_handshakes_for_organization,
    # policies
    "CreatePolicy": policies.create_policy,
    "DescribePolicy": policies.describe_policy,
    "UpdatePolicy": policies.update_policy,
    "DeletePolicy": policies.delete_policy,
    "ListPolicies": policies.list_policies,
    "AttachPolicy": policies.attach_policy,
    "DetachPolicy": policies.detach_policy,
    "ListPoliciesForTarget": policies.list_policies_for_target,
    "ListTargetsForPolicy": policies.list_targets_for_policy,
}

"""The IAM operations this package implements: operation name -> handler.

Not yet: ResyncMFADevice, account password policies, instance profiles, and the rest of
botocore's IAM model.
"""

from __future__ import annotations

from ..context import Handler
from . import account, attachments, credentials, groups, inline, mfa, policies, roles, simulation, users

HANDLERS: dict[str, Handler] = {
    # users
    "CreateUser": users.create_user,
    "GetUser": users.get_user,
    "ListUsers": users.list_users,
    "UpdateUser": users.update_user,
    "DeleteUser": users.delete_user,
    "PutUserPermissionsBoundary": users.put_user_permissions_boundary,
    "DeleteUserPermissionsBoundary": users.delete_user_permissions_boundary,
    "TagUser": users.tag_user,
    "UntagUser": users.untag_user,
    "ListUserTags": users.list_user_tags,
    # groups
    "CreateGroup": groups.create_group,
    "GetGroup": groups.get_group,
    "ListGroups": groups.list_groups,
    "ListGroupsForUser": groups.list_groups_for_user,
    "UpdateGroup": groups.update_group,
    "DeleteGroup": groups.delete_group,
    "AddUserToGroup": groups.add_user_to_group,
    "RemoveUserFromGroup": groups.remove_user_from_group,
    # roles
    "CreateRole": roles.create_role,
    "GetRole": roles.get_role,
    "ListRoles": roles.list_roles,
    "UpdateRole": roles.update_role,
    "UpdateRoleDescription": roles.update_role_description,
    "UpdateAssumeRolePolicy": roles.update_assume_role_policy,
    "DeleteRole": roles.delete_role,
    "PutRolePermissionsBoundary": roles.put_role_permissions_boundary,
    "DeleteRolePermissionsBoundary": roles.delete_role_permissions_boundary,
    "TagRole": roles.tag_role,
    "UntagRole": roles.untag_role,
    "ListRoleTags": roles.list_role_tags,
    # managed policies
    "CreatePolicy": policies.create_policy,
    "GetPolicy": policies.get_policy,
    "ListPolicies": policies.list_policies,
    "DeletePolicy": policies.delete_policy,
    "CreatePolicyVersion": policies.create_policy_version,
    "GetPolicyVersion": policies.get_policy_version,
    "ListPolicyVersions": policies.list_policy_versions,
    "SetDefaultPolicyVersion": policies.set_default_policy_version,
    "DeletePolicyVersion": policies.delete_policy_version,
    "TagPolicy": policies.tag_policy,
    "UntagPolicy": policies.untag_policy,
    "ListPolicyTags": policies.list_policy_tags,
    # inline policies
    "PutUserPolicy": inline.put_user_policy,
    "GetUserPolicy": inline.get_user_policy,
    "DeleteUserPolicy": inline.delete_user_policy,
    "ListUserPolicies": inline.list_user_policies,
    "PutGroupPolicy": inline.put_group_policy,
    "GetGroupPolicy": inline.get_group_policy,
    "DeleteGroupPolicy": inline.delete_group_policy,
    "ListGroupPolicies": inline.list_group_policies,
    "PutRolePolicy": inline.put_role_policy,
    "GetRolePolicy": inline.get_role_policy,
    "DeleteRolePolicy": inline.delete_role_policy,
    "ListRolePolicies": inline.list_role_policies,
    # attachments
    "AttachUserPolicy": attachments.attach_user_policy,
    "DetachUserPolicy": attachments.detach_user_policy,
    "ListAttachedUserPolicies": attachments.list_attached_user_policies,
    "AttachGroupPolicy": attachments.attach_group_policy,
    "DetachGroupPolicy": attachments.detach_group_policy,
    "ListAttachedGroupPolicies": attachments.list_attached_group_policies,
    "AttachRolePolicy": attachments.attach_role_policy,
    "DetachRolePolicy": attachments.detach_role_policy,
    "ListAttachedRolePolicies": attachments.list_attached_role_policies,
    # credentials
    "CreateAccessKey": credentials.create_access_key,
    "ListAccessKeys": credentials.list_access_keys,
    "UpdateAccessKey": credentials.update_access_key,
    "DeleteAccessKey": credentials.delete_access_key,
    "GetAccessKeyLastUsed": credentials.get_access_key_last_used,
    "CreateLoginProfile": credentials.create_login_profile,
    "GetLoginProfile": credentials.get_login_profile,
    "UpdateLoginProfile": credentials.update_login_profile,
    "DeleteLoginProfile": credentials.delete_login_profile,
    "ChangePassword": credentials.change_password,
    # MFA
    "CreateVirtualMFADevice": mfa.create_virtual_mfa_device,
    "EnableMFADevice": mfa.enable_mfa_device,
    "DeactivateMFADevice": mfa.deactivate_mfa_device,
    "DeleteVirtualMFADevice": mfa.delete_virtual_mfa_device,
    "ListMFADevices": mfa.list_mfa_devices,
    "ListVirtualMFADevices": mfa.list_virtual_mfa_devices,
    # account
    "CreateAccountAlias": account.create_account_alias,
    "DeleteAccountAlias": account.delete_account_alias,
    "ListAccountAliases": account.list_account_aliases,
    "GetAccountSummary": account.get_account_summary,
    "GetAccountPasswordPolicy": account.get_account_password_policy,
    "DeleteAccountPasswordPolicy": account.delete_account_password_policy,
    "GetAccountAuthorizationDetails": account.get_account_authorization_details,
    "ListEntitiesForPolicy": account.list_entities_for_policy,
    # the policy simulator
    "SimulatePrincipalPolicy": simulation.simulate_principal_policy,
    "SimulateCustomPolicy": simulation.simulate_custom_policy,
    "GetContextKeysForPrincipalPolicy": simulation.get_context_keys_for_principal_policy,
    "GetContextKeysForCustomPolicy": simulation.get_context_keys_for_custom_policy,
}

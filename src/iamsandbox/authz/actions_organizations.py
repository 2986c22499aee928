"""The authorization rows of AWS Organizations: operation -> action, resource and condition
keys, from the Service Authorization Reference ("Actions, resources, and condition keys for
AWS Organizations"), merged into ``actions.TABLE`` by the lead.

Operations whose action takes a resource type (account, organizationalunit, root, policy,
handshake) name the request parameter that holds the id: ``Resource("organizations",
PARAM)``, which the authorizer turns into an ARN with ``services.organizations.arns.
target_arn``. Operations without one are checked against "*".

Condition keys: organizations:PolicyType where the reference lists it and the request has
the type (Type, PolicyType, Filter); organizations:ServicePrincipal likewise; aws:RequestTag
and aws:TagKeys for the operations that take Tags. Where the reference lists
organizations:PolicyType for an operation that names a policy by id only (AttachPolicy,
DescribePolicy, ...), the type is the policy's, which the request does not carry: not
supplied here (a policy conditioned on it does not match those requests).
"""

from __future__ import annotations

from .action_spec import STAR, ActionSpec, Resource

_TYPE = ("organizations:PolicyType", "Type")
_POLICY_TYPE = ("organizations:PolicyType", "PolicyType")
_FILTER = ("organizations:PolicyType", "Filter")
_PRINCIPAL = ("organizations:ServicePrincipal", "ServicePrincipal")
_UNTAG_KEYS = ("aws:TagKeys", "TagKeys")


def _on(param: str) -> Resource:
    return Resource("organizations", param)


def _spec(action: str, resource: Resource, *keys: tuple[str, str], tags: bool = False) -> ActionSpec:
    return ActionSpec(f"organizations:{action}", resource, tuple(keys), tags)


ORGANIZATIONS: dict[str, ActionSpec] = {
    # the organization and its root
    "CreateOrganization": _spec("CreateOrganization", STAR),
    "DescribeOrganization": _spec("DescribeOrganization", STAR),
    "DeleteOrganization": _spec("DeleteOrganization", STAR),
    "ListRoots": _spec("ListRoots", STAR),
    "EnablePolicyType": _spec("EnablePolicyType", _on("RootId"), _POLICY_TYPE),
    "DisablePolicyType": _spec("DisablePolicyType", _on("RootId"), _POLICY_TYPE),
    "EnableAllFeatures": _spec("EnableAllFeatures", STAR),
    "EnableAWSServiceAccess": _spec("EnableAWSServiceAccess", STAR, _PRINCIPAL),
    "DisableAWSServiceAccess": _spec("DisableAWSServiceAccess", STAR, _PRINCIPAL),
    "ListAWSServiceAccessForOrganization": _spec("ListAWSServiceAccessForOrganization", STAR),
    # tags
    "TagResource": _spec("TagResource", _on("ResourceId"), tags=True),
    "UntagResource": _spec("UntagResource", _on("ResourceId"), _UNTAG_KEYS),
    "ListTagsForResource": _spec("ListTagsForResource", _on("ResourceId")),
    # organizational units
    "CreateOrganizationalUnit": _spec("CreateOrganizationalUnit", _on("ParentId"), tags=True),
    "DescribeOrganizationalUnit": _spec("DescribeOrganizationalUnit", _on("OrganizationalUnitId")),
    "UpdateOrganizationalUnit": _spec("UpdateOrganizationalUnit", _on("OrganizationalUnitId")),
    "DeleteOrganizationalUnit": _spec("DeleteOrganizationalUnit", _on("OrganizationalUnitId")),
    "ListOrganizationalUnitsForParent": _spec("ListOrganizationalUnitsForParent", _on("ParentId")),
    "ListChildren": _spec("ListChildren", _on("ParentId")),
    "ListParents": _spec("ListParents", _on("ChildId")),
    # accounts
    "ListAccounts": _spec("ListAccounts", STAR),
    "ListAccountsForParent": _spec("ListAccountsForParent", _on("ParentId")),
    "DescribeAccount": _spec("DescribeAccount", _on("AccountId")),
    # The reference lists account, organizationalunit and root; the account is checked here.
    "MoveAccount": _spec("MoveAccount", _on("AccountId")),
    "CreateAccount": _spec("CreateAccount", STAR, tags=True),
    "DescribeCreateAccountStatus": _spec("DescribeCreateAccountStatus", STAR),
    "ListCreateAccountStatus": _spec("ListCreateAccountStatus", STAR),
    "RemoveAccountFromOrganization": _spec("RemoveAccountFromOrganization", _on("AccountId")),
    "LeaveOrganization": _spec("LeaveOrganization", STAR),
    "CloseAccount": _spec("CloseAccount", _on("AccountId")),
    # handshakes
    "InviteAccountToOrganization": _spec("InviteAccountToOrganization", _on("Target.Id"), tags=True),
    "AcceptHandshake": _spec("AcceptHandshake", _on("HandshakeId")),
    "DeclineHandshake": _spec("DeclineHandshake", _on("HandshakeId")),
    "CancelHandshake": _spec("CancelHandshake", _on("HandshakeId")),
    "DescribeHandshake": _spec("DescribeHandshake", _on("HandshakeId")),
    "ListHandshakesForAccount": _spec("ListHandshakesForAccount", STAR),
    "ListHandshakesForOrganization": _spec("ListHandshakesForOrganization", STAR),
    # policies
    "CreatePolicy": _spec("CreatePolicy", STAR, _TYPE, tags=True),
    "DescribePolicy": _spec("DescribePolicy", _on("PolicyId")),
    "UpdatePolicy": _spec("UpdatePolicy", _on("PolicyId")),
    "DeletePolicy": _spec("DeletePolicy", _on("PolicyId")),
    "ListPolicies": _spec("ListPolicies", STAR, _FILTER),
    # The reference lists the policy and the target (account, OU, root); the policy is checked here.
    "AttachPolicy": _spec("AttachPolicy", _on("PolicyId")),
    "DetachPolicy": _spec("DetachPolicy", _on("PolicyId")),
    "ListPoliciesForTarget": _spec("ListPoliciesForTarget", _on("TargetId"), _FILTER),
    "ListTargetsForPolicy": _spec("ListTargetsForPolicy", _on("PolicyId")),
    "DescribeEffectivePolicy": _spec("DescribeEffectivePolicy", _on("TargetId"), _POLICY_TYPE),
    # delegated administrators
    "RegisterDelegatedAdministrator": _spec("RegisterDelegatedAdministrator", _on("AccountId"), _PRINCIPAL),
    "DeregisterDelegatedAdministrator": _spec("DeregisterDelegatedAdministrator", _on("AccountId"), _PRINCIPAL),
    "ListDelegatedAdministrators": _spec("ListDelegatedAdministrators", STAR, _PRINCIPAL),
    "ListDelegatedServicesForAccount": _spec("ListDelegatedServicesForAccount", _on("AccountId")),
}

"""The account: aliases, the password policy, GetAccountSummary,
GetAccountAuthorizationDetails and ListEntitiesForPolicy (IAM API reference). Quotas in the
summary are AWS's defaults ("IAM and AWS STS quotas").

The password policy: UpdateAccountPasswordPolicy, GetAccountPasswordPolicy,
DeleteAccountPasswordPolicy (IAM API reference) and "Set an account password policy for
IAM users" (IAM User Guide). What it enforces lives in ``credentials`` (new passwords), the
console's sign-in (expiry) and ``authz.authorize`` (AllowUsersToChangePassword).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...errors import (
    AccountNotManagementOrDelegatedAdministratorException,
    EntityAlreadyExists,
    NoSuchEntity,
    OrganizationNotFoundException,
    ServiceAccessNotEnabledException,
    ValidationError,
)
from ...store.interface import Group, Identity, PasswordPolicy, Role, User
from ..context import CallContext
from . import common, instance_profiles
from .documents import INLINE_LIMITS


def create_account_alias(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    alias = params["AccountAlias"]
    if len(alias) == 12 and alias.isdigit():
        # "it cannot be a 12 digit number" (IAM name requirements, "IAM and AWS STS quotas"):
        # it would read as an account ID at sign-in. ValidationError as for the model's
        # pattern; the message unconfirmed.
        raise ValidationError(
            f"The specified value for accountAlias is invalid. It cannot be a 12-digit number: {alias}"
        )
    holder = ctx.tx.get_account_by_alias(alias)
    if holder is not None and holder.account_id != ctx.account_id:
        raise EntityAlreadyExists(f"The account alias {alias} already exists.")  # unconfirmed wording
    ctx.tx.set_account_alias(ctx.account_id, alias)  # an account has one alias: a new one replaces it
    return {}


def delete_account_alias(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    alias = params["AccountAlias"]
    account = ctx.tx.get_account(ctx.account_id)
    if account is None or account.alias != alias:
        raise NoSuchEntity(f"The account alias {alias} cannot be found.")  # unconfirmed wording
    ctx.tx.set_account_alias(ctx.account_id, None)
    return {}


def list_account_aliases(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    account = ctx.tx.get_account(ctx.account_id)
    aliases = [account.alias] if account is not None and account.alias else []
    return common.paginate(aliases, params, "AccountAliases")


def update_account_password_policy(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    """The whole policy is replaced: "This operation does not support partial updates. No
    parameters are required, but if you do not specify a parameter, that parameter's value
    reverts to its default value" (UpdateAccountPasswordPolicy, IAM API reference):
    MinimumPasswordLength 6, the flags
    false, MaxPasswordAge and PasswordReusePrevention 0 (none). The ranges (6..128, 1..1095,
    1..24) are the model's, checked before the handler runs (ValidationError)."""
    ctx.tx.set_password_policy(ctx.account_id, password_policy(params))
    return {}


def password_policy(members: Mapping[str, Any]) -> PasswordPolicy:
    """A password policy from its members as UpdateAccountPasswordPolicy takes them and
    GetAccountPasswordPolicy answers them, each absent one at its default."""
    return PasswordPolicy(
        minimum_password_length=members.get("MinimumPasswordLength", 6),
        require_symbols=bool(members.get("RequireSymbols", False)),
        require_numbers=bool(members.get("RequireNumbers", False)),
        require_uppercase_characters=bool(members.get("RequireUppercaseCharacters", False)),
        require_lowercase_characters=bool(members.get("RequireLowercaseCharacters", False)),
        allow_users_to_change_password=bool(members.get("AllowUsersToChangePassword", False)),
        max_password_age=members.get("MaxPasswordAge"),
        password_reuse_prevention=members.get("PasswordReusePrevention"),
        hard_expiry=None if members.get("HardExpiry") is None else bool(members["HardExpiry"]),
    )


def get_account_password_policy(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    """The account's custom policy. ExpirePasswords: "Returns true if MaxPasswordAge
    contains a value greater than 0. Returns false if MaxPasswordAge is 0 or not present"
    (PasswordPolicy, IAM API reference); MaxPasswordAge and PasswordReusePrevention appear
    only when set, and so does HardExpiry: a policy set without it is answered without it
    (the AWS CLI's get-account-password-policy example; real answers captured in public
    Terraform runs), one set with it, true or false, with it. Without a custom policy:
    NoSuchEntity, 404 (the default policy applies, "Set an account password policy for IAM
    users")."""
    policy = ctx.tx.get_password_policy(ctx.account_id)
    if policy is None:
        raise NoSuchEntity(f"The Password Policy with domain name {ctx.account_id} cannot be found.")
    out: dict[str, Any] = {
        "MinimumPasswordLength": policy.minimum_password_length,
        "RequireSymbols": policy.require_symbols,
        "RequireNumbers": policy.require_numbers,
        "RequireUppercaseCharacters": policy.require_uppercase_characters,
        "RequireLowercaseCharacters": policy.require_lowercase_characters,
        "AllowUsersToChangePassword": policy.allow_users_to_change_password,
        "ExpirePasswords": bool(policy.max_password_age),
    }
    if policy.hard_expiry is not None:
        out["HardExpiry"] = policy.hard_expiry
    if policy.max_password_age:
        out["MaxPasswordAge"] = policy.max_password_age
    if policy.password_reuse_prevention:
        out["PasswordReusePrevention"] = policy.password_reuse_prevention
    return {"PasswordPolicy": out}


def delete_account_password_policy(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    """The default policy applies again. Without a custom policy, NoSuchEntity with the
    message AWS documents ("Use DeleteAccountPasswordPolicy with a CLI", IAM User Guide code
    examples: "If a password policy does not currently exist, the following error message
    appears: The account policy with name PasswordPolicy cannot be found.")."""
    if ctx.tx.get_password_policy(ctx.account_id) is None:
        raise NoSuchEntity("The account policy with name PasswordPolicy cannot be found.")
    ctx.tx.set_password_policy(ctx.account_id, None)
    return {}


def get_account_summary(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    tx = ctx.tx
    counts = tx.count_identities(ctx.account_id)
    policies = tx.list_policies(ctx.account_id)
    devices = tx.list_mfa_devices(ctx.account_id)
    account = tx.get_account(ctx.account_id)
    summary = {
        "Users": counts["user"],
        "UsersQuota": common.ACCOUNT_QUOTA["user"][1],
        "Groups": counts["group"],
        "GroupsQuota": common.ACCOUNT_QUOTA["group"][1],
        "Roles": counts["role"],
        "RolesQuota": common.ACCOUNT_QUOTA["role"][1],
        "Policies": len(policies),
        "PoliciesQuota": common.ACCOUNT_QUOTA["policy"][1],
        "PolicySizeQuota": 6144,
        "PolicyVersionsInUse": sum(p.version_count for p in policies),
        "PolicyVersionsInUseQuota": 10000,
        "VersionsPerPolicyQuota": 5,
        "UserPolicySizeQuota": INLINE_LIMITS["user"],
        "GroupPolicySizeQuota": INLINE_LIMITS["group"],
        "RolePolicySizeQuota": INLINE_LIMITS["role"],
        "AssumeRolePolicySizeQuota": 2048,
        "GroupsPerUserQuota": 10,
        "AccessKeysPerUserQuota": 2,
        "SigningCertificatesPerUserQuota": 2,
        "AttachedPoliciesPerGroupQuota": 10,
        "AttachedPoliciesPerRoleQuota": 10,
        "AttachedPoliciesPerUserQuota": 10,
        "MFADevices": len(devices),
        "MFADevicesInUse": sum(1 for d in devices if d.enabled is not None),
        "AccountMFAEnabled": int(any(d.enabled is not None and d.user_id is None for d in devices)),
        "AccountAccessKeysPresent": int(bool(tx.list_access_keys(ctx.account_id, None))),
        "AccountPasswordPresent": int(bool(account and account.root_password_hash)),
        "AccountSigningCertificatesPresent": int(bool(tx.list_signing_certificates(ctx.account_id, None))),
        "ServerCertificates": len(tx.list_server_certificates(ctx.account_id)),
        "ServerCertificatesQuota": 20,
        "InstanceProfiles": tx.count_instance_profiles(ctx.account_id),
        "InstanceProfilesQuota": 1000,
        # Identity providers, OIDC and SAML alike: creating one of each raised Providers by
        # 2 in AWS (recorded in LocalStack's test_iam_account_summary.snapshot.json,
        # test_get_account_summary_with_resources).
        "Providers": len(tx.list_oidc_providers(ctx.account_id)) + tx.count_saml_providers(ctx.account_id),
        "GlobalEndpointTokenVersion": 1,
    }
    return {"SummaryMap": summary}


def _attached(ctx: CallContext, identity: Identity) -> list[dict[str, str]]:
    return [
        {"PolicyName": arn.rsplit("/", 1)[-1], "PolicyArn": arn} for arn in ctx.tx.list_attached_policies(identity.id)
    ]


def _inline(ctx: CallContext, identity: Identity) -> list[dict[str, str]]:
    return [
        {"PolicyName": p.name, "PolicyDocument": common.encode_document(p.document)}
        for p in ctx.tx.list_inline_policies(identity.id)
    ]


# GetAccountAuthorizationDetails' members as recorded from AWS (LocalStack's
# tests/aws/services/iam/test_iam_account_authorization_details.snapshot.json, February
# 2026): a user's and a role's "Tags": [] without tags; a user's UserPolicyList only when it
# has inline policies (a group's GroupPolicyList and a role's RolePolicyList always).
def _user_detail(ctx: CallContext, user: User) -> dict[str, Any]:
    out = common.user_out(ctx.tx, user)
    out["Tags"] = common.tags_of(ctx.tx, user.id)
    inline = _inline(ctx, user)
    if inline:
        out["UserPolicyList"] = inline
    out["GroupList"] = [group.name for group in ctx.tx.list_groups_for_user(user.id)]
    out["AttachedManagedPolicies"] = _attached(ctx, user)
    return out


def _group_detail(ctx: CallContext, group: Group) -> dict[str, Any]:
    out = common.group_out(group)
    out["GroupPolicyList"] = _inline(ctx, group)
    out["AttachedManagedPolicies"] = _attached(ctx, group)
    return out


def _role_detail(ctx: CallContext, role: Role) -> dict[str, Any]:
    out = common.role_out(ctx.tx, role, full=False, description=False)  # RoleDetail has no Description
    out["InstanceProfileList"] = [
        instance_profiles.instance_profile_out(ctx.tx, found, tags=False)
        for found in ctx.tx.list_instance_profiles_for_role(role.id)
    ]
    out["RolePolicyList"] = _inline(ctx, role)
    out["AttachedManagedPolicies"] = _attached(ctx, role)
    out["RoleLastUsed"] = common.role_last_used(role)
    out["Tags"] = common.tags_of(ctx.tx, role.id)
    return out


def get_account_authorization_details(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    """Everything in one list, paged together: users, groups, roles, then policies (customer
    managed ones, and AWS managed ones attached in the account)."""
    wanted = set(params.get("Filter") or ["User", "Role", "Group", "LocalManagedPolicy", "AWSManagedPolicy"])
    tx = ctx.tx
    items: list[tuple[str, Any]] = []
    if "User" in wanted:
        items.extend(("user", u) for u in tx.list_users(ctx.account_id))
    if "Group" in wanted:
        items.extend(("group", g) for g in tx.list_groups(ctx.account_id))
    if "Role" in wanted:
        items.extend(("role", r) for r in tx.list_roles(ctx.account_id))
    counts = common.account_attachment_counts(tx, ctx.account_id)
    uses = common.boundary_usage(tx, ctx.account_id)
    if "LocalManagedPolicy" in wanted:
        items.extend(("local", p) for p in tx.list_policies(ctx.account_id))
    if "AWSManagedPolicy" in wanted:
        aws = ctx.shared.managed_policies
        for arn in sorted(a for a in set(counts) | set(uses) if a.startswith(common.AWS_POLICY_PREFIX)):
            found = aws.get(arn)
            if found is not None:
                items.append(("aws", found))
    page = common.paginate(items, params, "Items")
    out: dict[str, Any] = {
        "UserDetailList": [],
        "GroupDetailList": [],
        "RoleDetailList": [],
        "Policies": [],
        "IsTruncated": page["IsTruncated"],
    }
    if "Marker" in page:
        out["Marker"] = page["Marker"]
    for kind, value in page["Items"]:
        if kind == "user":
            out["UserDetailList"].append(_user_detail(ctx, value))
        elif kind == "group":
            out["GroupDetailList"].append(_group_detail(ctx, value))
        elif kind == "role":
            out["RoleDetailList"].append(_role_detail(ctx, value))
        elif kind == "local":
            detail = common.customer_policy_out(value, boundary_uses=uses.get(value.arn, 0))
            detail["PolicyVersionList"] = [
                {
                    "Document": common.encode_document(v.document),
                    "VersionId": v.version_id,
                    "IsDefaultVersion": v.is_default,
                    "CreateDate": v.created,
                }
                for v in tx.list_policy_versions(value.arn)
            ]
            out["Policies"].append(detail)
        else:
            detail = common.aws_policy_out(
                value, attachments=counts.get(value.arn, 0), boundary_uses=uses.get(value.arn, 0)
            )
            detail["PolicyVersionList"] = [
                {
                    "Document": common.encode_document(value.document),
                    "VersionId": value.version,
                    "IsDefaultVersion": True,
                    "CreateDate": detail["UpdateDate"],
                }
            ]
            out["Policies"].append(detail)
    return out


def list_entities_for_policy(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    arn = params["PolicyArn"]
    if common.policy_visible(ctx, arn) is None:
        # Recorded from AWS (LocalStack's tests/aws/services/iam/test_iam_policies.snapshot.json,
        # err-nonexistent-policy, February 2026).
        raise NoSuchEntity(f"Policy {arn} does not exist or is not attachable.")
    entity_filter = params.get("EntityFilter")
    prefix = params.get("PathPrefix") or "/"
    usage = params.get("PolicyUsageFilter")
    entities: list[Identity] = []
    if usage != "PermissionsBoundary":
        entities.extend(e for e in ctx.tx.list_entities_for_policy(arn) if e.account_id == ctx.account_id)
    if usage != "PermissionsPolicy":
        candidates: list[User | Role] = [*ctx.tx.list_users(ctx.account_id), *ctx.tx.list_roles(ctx.account_id)]
        for bounded in candidates:
            if bounded.permissions_boundary == arn and all(e.id != bounded.id for e in entities):
                entities.append(bounded)
    kinds = {"User": User, "Group": Group, "Role": Role}
    if entity_filter in kinds:
        entities = [e for e in entities if isinstance(e, kinds[entity_filter])]
    elif entity_filter is not None:
        # LocalManagedPolicy and AWSManagedPolicy: no entity is a policy, so none is listed
        # (recorded from AWS: LocalStack's test_iam_policies snapshot,
        # filter-local-managed-policy, for a policy attached to a user, a group and a role).
        entities = []
    entities = [e for e in entities if e.path.startswith(prefix)]
    page = common.paginate(entities, params, "Entities")
    out: dict[str, Any] = {"PolicyGroups": [], "PolicyUsers": [], "PolicyRoles": [], "IsTruncated": page["IsTruncated"]}
    if "Marker" in page:
        out["Marker"] = page["Marker"]
    for entity in page["Entities"]:
        if isinstance(entity, User):
            out["PolicyUsers"].append({"UserName": entity.name, "UserId": entity.id})
        elif isinstance(entity, Group):
            out["PolicyGroups"].append({"GroupName": entity.name, "GroupId": entity.id})
        else:
            out["PolicyRoles"].append({"RoleName": entity.name, "RoleId": entity.id})
    return out


def no_organization(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    """ListOrganizationsFeatures and the Enable/Disable operations of centralized root access
    need the account to be an organization's management account, with trusted access for IAM
    enabled ("Centrally manage root access for member accounts", IAM User Guide). Trusted
    access does not exist here: once authorized, an account in no organization is
    OrganizationNotFoundException, a member account
    AccountNotManagementOrDelegatedAdministratorException, the management account
    ServiceAccessNotEnabledException (the model's words for each)."""
    membership = ctx.tx.org_membership(ctx.account_id)
    if membership is None:
        raise OrganizationNotFoundException(
            "The request was rejected because no organization is associated with your account."
        )
    if membership.management_account_id != ctx.account_id:
        raise AccountNotManagementOrDelegatedAdministratorException(
            "The request was rejected because the account making the request is not the management account or "
            "delegated administrator account for centralized root access."
        )
    raise ServiceAccessNotEnabledException(
        "The request was rejected because trusted access is not enabled for IAM in Organizations. For details, "
        "see IAM and Organizations in the Organizations User Guide."
    )

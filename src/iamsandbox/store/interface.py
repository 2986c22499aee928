"""What the services need from storage: value types and a small Protocol.

A unit of work is ``with store.transaction() as tx:`` (read-write; on SQLite it takes the
write lock at once, so two writers queue instead of failing) or ``with store.read() as
tx:`` (a consistent snapshot for the request path). The block commits when it ends and
rolls back when it raises: nothing is half-written.

Rules the services rely on:
- Names of users, groups, roles, managed policies and virtual MFA devices are unique per
  account and kind, whatever their case ("IAM user, group, role, and policy names must be
  unique within the account. Names are not distinguished by case": CreateRole,
  CreateUser, CreatePolicy in the IAM API reference). Lookups by name ignore case too;
  the stored name keeps the case it was created with. Bucket names are unique across
  all accounts.
- ``Conflict`` is raised when a write breaks a uniqueness or reference rule; it ends the
  unit of work (PostgreSQL aborts the transaction), so a service checks first ("get, then
  create") and maps a ``Conflict`` that still happens (a race) to ``EntityAlreadyExists``
  or ``DeleteConflict``.
- The store reports counts (policy versions, attachments, members) and never decides an
  AWS limit or error: that is the service's job.
- Every write that can change an authorization decision in an account (renaming or
  deleting identities, policies, attachments, memberships, tags, boundaries, trust
  policies, bucket policies and public access blocks, and the account password policy,
  whose AllowUsersToChangePassword grants iam:ChangePassword) bumps that account's
  ``policy_generation`` in the same transaction. Creating an identity does not: it has a
  new unique id and no policies yet, so nothing cached can be about it. A replica that
  cached compiled policy sets checks the generation (one primary-key read) and rebuilds
  when it moved.
- Secrets come back as ``Secret`` (masked repr); the store seals them at rest.
- Times are timezone-aware UTC datetimes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, Protocol

from .crypto import Secret

IdentityKind = Literal["user", "group", "role"]
KeyStatus = Literal["Active", "Inactive"]
BucketAttribute = Literal["policy", "public_access_block", "ownership_controls"]
BucketConfigurationKind = Literal[
    "encryption",
    "cors",
    "lifecycle",
    "website",
    "logging",
    "abac",
    "request-payment",
    "location-eu",
    "replication",
    "accelerate",
]


class StoreError(Exception):
    """Base of the store's own errors (never shown to a client as is)."""


class Conflict(StoreError):
    """A write broke a uniqueness or reference rule; the transaction is over."""


class NotFound(StoreError):
    """A write named a row that does not exist."""


# --- accounts and identities ---------------------------------------------------------


@dataclass(frozen=True)
class Account:
    account_id: str
    name: str
    email: str | None
    alias: str | None
    created: datetime
    root_password_hash: str | None = field(default=None, repr=False)
    policy_generation: int = 0


@dataclass(frozen=True)
class User:
    id: str  # AIDA...
    account_id: str
    name: str
    path: str
    arn: str
    created: datetime
    permissions_boundary: str | None = None


@dataclass(frozen=True)
class Group:
    id: str  # AGPA...
    account_id: str
    name: str
    path: str
    arn: str
    created: datetime


@dataclass(frozen=True)
class Role:
    id: str  # AROA...
    account_id: str
    name: str
    path: str
    arn: str
    created: datetime
    trust_policy: str
    description: str | None = None
    max_session_duration: int = 3600
    permissions_boundary: str | None = None
    last_used: datetime | None = None
    last_used_region: str | None = None


Identity = User | Group | Role


@dataclass(frozen=True)
class ManagedPolicy:
    """A customer managed policy (AWS managed policies are package data, not rows)."""

    id: str  # ANPA...
    account_id: str
    arn: str
    name: str
    path: str
    description: str | None
    default_version_id: str
    created: datetime
    updated: datetime
    version_count: int = 1
    attachment_count: int = 0


@dataclass(frozen=True)
class PolicyVersion:
    policy_id: str
    policy_arn: str
    version_id: str  # "v1", "v2", ...: never reused within a policy
    document: str = field(repr=False)
    created: datetime
    is_default: bool


@dataclass(frozen=True)
class InlinePolicy:
    owner_id: str  # the user, group or role
    name: str
    document: str = field(repr=False)


@dataclass(frozen=True)
class PrincipalPolicies:
    """The identity-based policies of a user (its own and its groups') or a role."""

    attached_arns: tuple[str, ...]  # distinct, in a stable order
    inline: tuple[InlinePolicy, ...]
    group_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class AccessKey:
    access_key_id: str
    account_id: str
    user_id: str | None  # None: the account's root user
    secret: Secret
    status: KeyStatus
    created: datetime
    last_used: datetime | None = None
    last_used_service: str | None = None
    last_used_region: str | None = None


@dataclass(frozen=True)
class LoginProfile:
    user_id: str
    password_hash: str = field(repr=False)
    reset_required: bool = False
    created: datetime | None = None
    # When the current password was set (its age, for MaxPasswordAge); ``created`` for a
    # profile whose password never changed.
    password_changed: datetime | None = None
    # The hashes of the passwords before the current one, newest first, at most
    # ``PREVIOUS_PASSWORDS_KEPT`` (PasswordReusePrevention remembers up to 24 passwords,
    # the current one included).
    previous_hashes: tuple[str, ...] = field(default=(), repr=False)


PREVIOUS_PASSWORDS_KEPT = 23


@dataclass(frozen=True)
class PasswordPolicy:
    """An account's custom password policy, with UpdateAccountPasswordPolicy's defaults
    for the members left out (IAM API reference: MinimumPasswordLength 6, every flag
    false, no expiry, no reuse prevention)."""

    minimum_password_length: int = 6
    require_symbols: bool = False
    require_numbers: bool = False
    require_uppercase_characters: bool = False
    require_lowercase_characters: bool = False
    allow_users_to_change_password: bool = False
    max_password_age: int | None = None  # days; None: passwords never expire
    password_reuse_prevention: int | None = None  # how many recent passwords are refused
    hard_expiry: bool | None = None  # None: never set (GetAccountPasswordPolicy leaves it out)


@dataclass(frozen=True)
class MfaDevice:
    """A virtual MFA device; ``enabled`` with ``user_id`` None means the root user's."""

    serial_number: str  # arn:aws:iam::ACCOUNT:mfa/PATHNAME
    account_id: str
    name: str
    path: str
    seed: Secret  # base32 TOTP seed
    created: datetime
    user_id: str | None = None
    enabled: datetime | None = None
    last_counter: int | None = None  # the last accepted TOTP time step (no replays)


@dataclass(frozen=True)
class InstanceProfile:
    """An IAM instance profile and the ids of the roles it holds (AWS allows one: the
    service checks it; "IAM and AWS STS quotas")."""

    id: str  # AIPA...
    account_id: str
    name: str
    path: str
    arn: str  # arn:aws:iam::ACCOUNT:instance-profile/PATHNAME
    created: datetime
    role_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class OidcProvider:
    """An IAM OpenID Connect identity provider (CreateOpenIDConnectProvider)."""

    arn: str  # arn:aws:iam::ACCOUNT:oidc-provider/HOST[/PATH]
    account_id: str
    url: str  # without its scheme, as GetOpenIDConnectProvider answers
    client_ids: tuple[str, ...]
    thumbprints: tuple[str, ...]
    created: datetime


@dataclass(frozen=True)
class SamlPrivateKey:
    """A private key uploaded to a SAML provider to decrypt assertions (AddPrivateKey): its
    id and upload time only, as GetSAMLProvider's PrivateKeyList answers them; the key
    itself is not kept (nothing here decrypts an assertion)."""

    key_id: str
    uploaded: datetime


@dataclass(frozen=True)
class SamlProvider:
    """An IAM SAML 2.0 identity provider (CreateSAMLProvider)."""

    arn: str  # arn:aws:iam::ACCOUNT:saml-provider/NAME
    account_id: str
    uuid: str  # SAMLProviderUUID
    metadata: str = field(repr=False)  # the SAMLMetadataDocument as uploaded
    valid_until: datetime | None  # the metadata's validUntil; None when it has none
    encryption_mode: str  # AssertionEncryptionMode: "Allowed" or "Required"
    private_keys: tuple[SamlPrivateKey, ...]
    created: datetime

    @property
    def name(self) -> str:
        return self.arn.rpartition(":saml-provider/")[2]


@dataclass(frozen=True)
class SshPublicKey:
    """An IAM user's SSH public key (UploadSSHPublicKey): the body as uploaded."""

    key_id: str  # APKA...
    account_id: str
    user_id: str
    body: str = field(repr=False)
    fingerprint: str  # MD5 of the key blob, colon-separated hex
    status: KeyStatus
    uploaded: datetime


@dataclass(frozen=True)
class SigningCertificate:
    """An X.509 signing certificate of an IAM user, or (``user_id`` None) of the root user."""

    certificate_id: str
    account_id: str
    user_id: str | None
    body: str = field(repr=False)
    fingerprint: str  # SHA-256 of the DER certificate, hex: one certificate per account
    status: KeyStatus
    uploaded: datetime


@dataclass(frozen=True)
class ServiceSpecificCredential:
    """A user name and a generated password an IAM user has for one service
    (CreateServiceSpecificCredential); the password is sealed at rest."""

    credential_id: str  # ACCA...
    account_id: str
    user_id: str
    service_name: str  # codecommit.amazonaws.com, cassandra.amazonaws.com
    service_user_name: str  # alice-at-111111111111, alice+1-at-111111111111, ...
    password: Secret
    status: KeyStatus
    created: datetime


@dataclass(frozen=True)
class ServerCertificate:
    """A server certificate (UploadServerCertificate); the private key is sealed at rest."""

    id: str  # ASCA...
    account_id: str
    name: str
    path: str
    arn: str  # arn:aws:iam::ACCOUNT:server-certificate/PATHNAME
    body: str = field(repr=False)
    chain: str | None = field(repr=False)
    private_key: Secret
    uploaded: datetime
    expiration: datetime


@dataclass(frozen=True)
class ServiceAccess:
    """The latest attempt of a user or role (a role's sessions count for the role) to
    access a service ("iam", "s3", ...), or one of its tracked actions: service last
    accessed data (GenerateServiceLastAccessedDetails)."""

    entity_id: str  # AIDA... or AROA...
    service: str
    action: str  # "" for the service as a whole; else the action's name ("CreateBucket")
    when: datetime
    region: str


# --- generated reports -----------------------------------------------------------------

ReportKind = Literal["service-last-accessed", "credential-report"]


@dataclass(frozen=True)
class GeneratedReport:
    """What an operation generated for later calls to read, kept in the store so that every
    replica finds it: a GenerateServiceLastAccessedDetails job (``report_id`` its JobId,
    ``owner`` the principal and session that generated it) or an account's credential
    report (``owner`` None). ``payload`` is the service's text (JSON, or the report's CSV),
    stored as it is; INVARIANT: it never holds a secret (nothing in it is sealed)."""

    report_id: str
    account_id: str
    kind: ReportKind
    owner: str | None
    created: datetime
    payload: str = field(repr=False)


# --- CloudTrail event history ---------------------------------------------------------

# LookupEvents' lookup attributes (LookupAttribute, CloudTrail API Reference), by AttributeKey.
TrailAttribute = Literal[
    "EventId", "EventName", "ReadOnly", "Username", "ResourceType", "ResourceName", "EventSource", "AccessKeyId"
]


@dataclass(slots=True)
class TrailEvent:
    """One CloudTrail event delivered to ``account_id``: its lookup attributes, and the
    event document (LookupEvents' ``CloudTrailEvent``, JSON text). INVARIANT: the document
    never holds a secret (nothing in it is sealed). Not frozen (every management call makes
    one or two; a frozen dataclass's __init__ sets each field through object.__setattr__);
    nothing changes one once made."""

    event_id: str
    account_id: str
    region: str
    time: datetime
    name: str  # eventName
    source: str  # eventSource ("iam.amazonaws.com")
    read_only: bool
    username: str | None
    access_key_id: str | None
    resources: tuple[tuple[str | None, str], ...]  # (ResourceType, ResourceName)
    document: str = field(repr=False)
    shared_event_id: str | None = None


@dataclass(frozen=True)
class TrailQuery:
    """Which events LookupEvents reads: those of ``account_id`` in ``region`` from ``start``
    to ``end`` (both included), with ``attribute`` (key, value) when given; newest first
    (time, then event id, descending), after the event ``after`` (time, event id) when
    given, at most ``limit``."""

    account_id: str
    region: str
    start: datetime | None = None
    end: datetime | None = None
    attribute: tuple[TrailAttribute, str] | None = None
    after: tuple[datetime, str] | None = None
    limit: int = 50


# --- S3 --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bucket:
    name: str
    account_id: str
    region: str
    created: datetime
    policy: str | None = field(default=None, repr=False)
    public_access_block: str | None = None  # JSON of the four flags
    ownership_controls: str | None = None  # "BucketOwnerEnforced", ...
    versioning: str | None = None  # None (never set: unversioned), "Enabled", "Suspended"
    mfa_delete: str | None = None  # the MFADelete status PutBucketVersioning gave, if any


@dataclass(frozen=True)
class ObjectHeaders:
    """The standard headers S3 keeps with an object, as the write gave them (None: not
    given), and its storage class (STANDARD unless the write named another)."""

    cache_control: str | None = None
    content_disposition: str | None = None
    content_encoding: str | None = None
    content_language: str | None = None
    expires: datetime | None = None
    website_redirect_location: str | None = None
    storage_class: str = "STANDARD"
    # Its server-side encryption (``services/s3/encryption.py``; None: AES256, as before
    # schema version 12), the KMS key's ARN for SSE-KMS, and whether an S3 Bucket Key is used.
    server_side_encryption: str | None = None
    sse_kms_key_id: str | None = None
    bucket_key_enabled: bool = False


@dataclass(frozen=True)
class ObjectPart:
    """One part of a multipart object, in the object's order: its size and, when the upload
    kept them (checksum type COMPOSITE), the part's checksums, e.g. {"CRC32": "..."}."""

    size: int
    checksums: Mapping[str, str] = field(default_factory=dict)


def dump_layout(parts: Sequence[ObjectPart]) -> str:
    """The ``part_layout`` column's text (schema version 11): a part is its size, or
    ``[size, checksums]`` when it has checksums."""
    return json.dumps(
        [part.size if not part.checksums else [part.size, dict(part.checksums)] for part in parts],
        separators=(",", ":"),
    )


def load_layout(text: str) -> tuple[ObjectPart, ...]:
    parts: list[ObjectPart] = []
    for entry in json.loads(text):
        if isinstance(entry, list):
            parts.append(ObjectPart(int(entry[0]), {str(k): str(v) for k, v in dict(entry[1]).items()}))
        else:
            parts.append(ObjectPart(int(entry)))
    return tuple(parts)


@dataclass(frozen=True)
class S3Object:
    bucket: str
    key: str
    size: int
    etag: str  # with its quotes, as S3 sends it
    last_modified: datetime
    content_type: str | None = None
    metadata: Mapping[str, str] = field(default_factory=dict)  # x-amz-meta-*
    checksums: Mapping[str, str] = field(default_factory=dict)  # e.g. {"CRC32": "..."}
    tags: Mapping[str, str] = field(default_factory=dict)  # object tags, in the order given
    headers: ObjectHeaders = field(default_factory=ObjectHeaders)
    # Versioning ("Using versioning in S3 buckets"): "null" is the null version; a delete
    # marker has no content (size 0, no ETag); is_latest says whether it is the key's current.
    version_id: str = "null"
    delete_marker: bool = False
    is_latest: bool = True
    # A multipart object's parts as the store keeps them (``dump_layout``); None for an
    # object written in one request, or completed before schema version 11. Read with
    # ``parts()``: only a request that names a part or lists them pays for the parsing.
    part_layout: str | None = field(default=None, repr=False)

    def parts(self) -> tuple[ObjectPart, ...] | None:
        return load_layout(self.part_layout) if self.part_layout is not None else None


@dataclass(frozen=True)
class MultipartUpload:
    upload_id: str
    bucket: str
    key: str
    account_id: str
    initiator_arn: str
    created: datetime
    content_type: str | None = None
    metadata: Mapping[str, str] = field(default_factory=dict)
    tags: Mapping[str, str] = field(default_factory=dict)  # the completed object's tags
    headers: ObjectHeaders = field(default_factory=ObjectHeaders)  # the completed object's
    checksum_algorithm: str | None = None  # x-amz-checksum-algorithm, e.g. "CRC32"
    checksum_type: str | None = None  # x-amz-checksum-type: "COMPOSITE" or "FULL_OBJECT"
    # The version ID of the key's latest version or delete marker when the upload was
    # created, "" when the key had none; None for an upload created before schema version 20.
    prior_version_id: str | None = None


@dataclass(frozen=True)
class Part:
    upload_id: str
    part_number: int
    size: int
    etag: str
    created: datetime
    checksums: Mapping[str, str] = field(default_factory=dict)  # x-amz-checksum-* given


# --- AWS Organizations (schema version 18) ---------------------------------------------


# The AWS managed policies every organization has (no rows: the same for all), by id: type,
# name, description and content as AWS gives them ("Service control policies (SCPs)",
# "Resource control policies (RCPs)", Organizations User Guide).
FULL_AWS_ACCESS = "p-FullAWSAccess"
RCP_FULL_AWS_ACCESS = "p-RCPFullAWSAccess"
AWS_MANAGED_ORG_POLICIES: dict[str, tuple[str, str, str, str]] = {
    FULL_AWS_ACCESS: (
        "SERVICE_CONTROL_POLICY",
        "FullAWSAccess",
        "Allows access to every operation",
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}',
    ),
    RCP_FULL_AWS_ACCESS: (
        "RESOURCE_CONTROL_POLICY",
        "RCPFullAWSAccess",
        "Allows access to every operation",
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}',
    ),
}


@dataclass(frozen=True)
class Organization:
    """An organization and its one root; ``enabled_types`` the policy types ENABLED on the
    root, in the order they were enabled."""

    id: str  # o-...
    management_account_id: str
    feature_set: str  # ALL or CONSOLIDATED_BILLING
    root_id: str  # r-...
    root_name: str
    enabled_types: tuple[str, ...]
    created: datetime

    @property
    def arn(self) -> str:
        return f"arn:aws:organizations::{self.management_account_id}:organization/{self.id}"

    @property
    def root_arn(self) -> str:
        return f"arn:aws:organizations::{self.management_account_id}:root/{self.id}/{self.root_id}"


@dataclass(frozen=True)
class OrgUnit:
    """An organizational unit; ``path``: the ids from the root to this OU, itself last."""

    id: str  # ou-<root>-<8>
    org_id: str
    parent_id: str
    name: str
    path: tuple[str, ...]
    created: datetime


@dataclass(frozen=True)
class OrgAccount:
    """A member account of an organization, with its name and email (the accounts row)."""

    account_id: str
    org_id: str
    parent_id: str
    joined_method: str  # INVITED or CREATED
    joined: datetime
    status: str  # ACTIVE
    name: str
    email: str | None


@dataclass(frozen=True)
class OrgPolicy:
    """A policy of an organization; ``aws_managed`` for FullAWSAccess and RCPFullAWSAccess,
    which are in every organization and no row of the store."""

    id: str  # p-...
    org_id: str
    type: str  # SERVICE_CONTROL_POLICY, RESOURCE_CONTROL_POLICY
    name: str
    description: str
    content: str = field(repr=False)
    created: datetime
    aws_managed: bool = False


@dataclass(frozen=True)
class OrgHandshake:
    """An invitation (action INVITE) of an account to an organization."""

    id: str  # h-...
    org_id: str
    action: str
    state: str  # OPEN, ACCEPTED, DECLINED, CANCELED, EXPIRED
    party_type: str  # ACCOUNT or EMAIL: how the invited party was named
    party_id: str
    account_id: str | None  # the invited account, when known
    notes: str | None = field(repr=False)
    requested: datetime
    expires: datetime


@dataclass(frozen=True)
class CreateAccountRequest:
    """A CreateAccount request and its outcome (CreateAccountStatus)."""

    id: str  # car-...
    org_id: str
    account_name: str
    state: str  # IN_PROGRESS, SUCCEEDED, FAILED
    requested: datetime
    completed: datetime | None
    account_id: str | None
    failure_reason: str | None = None


@dataclass(frozen=True)
class OrgMembership:
    """What the authorizer needs of an account's organization: ``path`` is the root id, the
    OU ids top-down, then the account id; ``enabled_types`` the types ENABLED on the root."""

    org_id: str
    org_arn: str
    management_account_id: str
    path: tuple[str, ...]
    enabled_types: frozenset[str]


# --- the protocol ---------------------------------------------------------------------


class Transaction(Protocol):
    """One unit of work. Get methods return None when the row is absent; delete methods
    return whether a row went away; update methods return the new value or None."""

    # accounts
    def create_account(self, account_id: str, name: str, email: str | None = None) -> Account: ...
    def get_account(self, account_id: str) -> Account | None: ...
    def get_account_by_alias(self, alias: str) -> Account | None: ...
    def list_accounts(self) -> list[Account]: ...
    def set_account_alias(self, account_id: str, alias: str | None) -> None: ...
    def set_root_password(self, account_id: str, password_hash: str | None) -> None: ...
    def get_password_policy(self, account_id: str) -> PasswordPolicy | None: ...
    def set_password_policy(self, account_id: str, policy: PasswordPolicy | None) -> None: ...
    def policy_generation(self, account_id: str) -> int: ...
    def policy_generations(self, account_ids: Sequence[str]) -> dict[str, int]: ...
    def bump_policy_generation(self, account_id: str) -> None: ...

    # users, groups, roles
    def create_user(self, account_id: str, name: str, path: str = "/") -> User: ...
    def create_group(self, account_id: str, name: str, path: str = "/") -> Group: ...
    def create_role(
        self,
        account_id: str,
        name: str,
        trust_policy: str,
        path: str = "/",
        description: str | None = None,
        max_session_duration: int = 3600,
        permissions_boundary: str | None = None,
    ) -> Role: ...
    def get_user(self, account_id: str, name: str) -> User | None: ...
    def get_group(self, account_id: str, name: str) -> Group | None: ...
    def get_role(self, account_id: str, name: str) -> Role | None: ...
    def get_role_by_arn(self, arn: str) -> Role | None: ...
    def get_identity(self, identity_id: str) -> Identity | None: ...
    def list_users(self, account_id: str, path_prefix: str = "/") -> list[User]: ...
    def list_groups(self, account_id: str, path_prefix: str = "/") -> list[Group]: ...
    def list_roles(self, account_id: str, path_prefix: str = "/") -> list[Role]: ...
    def rename_identity(
        self, identity_id: str, name: str | None = None, path: str | None = None
    ) -> Identity | None: ...
    def update_role(
        self,
        role_id: str,
        *,
        trust_policy: str | None = None,
        description: str | None = None,
        max_session_duration: int | None = None,
    ) -> Role | None: ...
    def resource_policies_naming(self, text: str) -> list[tuple[str, str, str]]: ...
    def set_permissions_boundary(self, identity_id: str, policy_arn: str | None) -> None: ...
    def record_role_used(self, role_id: str, when: datetime, region: str) -> None: ...
    def record_service_access(self, accesses: Sequence[ServiceAccess]) -> None: ...
    def list_service_access(self, entity_ids: Sequence[str]) -> list[ServiceAccess]: ...
    def record_password_used(self, account_id: str, user_id: str | None, when: datetime) -> None: ...
    def passwords_last_used(self, account_id: str) -> dict[str | None, datetime]: ...
    def delete_identity(self, identity_id: str) -> bool: ...
    def count_identities(self, account_id: str) -> dict[str, int]: ...

    # group membership
    def add_user_to_group(self, group_id: str, user_id: str) -> bool: ...
    def remove_user_from_group(self, group_id: str, user_id: str) -> bool: ...
    def list_groups_for_user(self, user_id: str) -> list[Group]: ...
    def list_group_members(self, group_id: str) -> list[User]: ...

    # customer managed policies
    def create_policy(
        self, account_id: str, name: str, document: str, path: str = "/", description: str | None = None
    ) -> ManagedPolicy: ...
    def get_policy(self, arn: str) -> ManagedPolicy | None: ...
    def list_policies(self, account_id: str, path_prefix: str = "/") -> list[ManagedPolicy]: ...
    def delete_policy(self, arn: str) -> bool: ...
    def create_policy_version(self, arn: str, document: str, set_as_default: bool) -> PolicyVersion: ...
    def get_policy_version(self, arn: str, version_id: str) -> PolicyVersion | None: ...
    def list_policy_versions(self, arn: str) -> list[PolicyVersion]: ...
    def set_default_policy_version(self, arn: str, version_id: str) -> bool: ...
    def delete_policy_version(self, arn: str, version_id: str) -> bool: ...
    def default_policy_versions(self, arns: Sequence[str]) -> dict[str, PolicyVersion]: ...

    # inline policies and attachments
    def put_inline_policy(self, owner_id: str, name: str, document: str) -> None: ...
    def get_inline_policy(self, owner_id: str, name: str) -> InlinePolicy | None: ...
    def list_inline_policies(self, owner_id: str) -> list[InlinePolicy]: ...
    def delete_inline_policy(self, owner_id: str, name: str) -> bool: ...
    def attach_policy(self, owner_id: str, policy_arn: str) -> bool: ...
    def detach_policy(self, owner_id: str, policy_arn: str) -> bool: ...
    def list_attached_policies(self, owner_id: str) -> list[str]: ...
    def list_entities_for_policy(self, policy_arn: str) -> list[Identity]: ...
    def principal_policies(self, identity_id: str) -> PrincipalPolicies: ...

    # access keys, passwords, MFA
    def create_access_key(self, account_id: str, user_id: str | None) -> AccessKey: ...
    def get_access_key(self, access_key_id: str) -> AccessKey | None: ...
    def list_access_keys(self, account_id: str, user_id: str | None) -> list[AccessKey]: ...
    def set_access_key_status(self, access_key_id: str, status: KeyStatus) -> bool: ...
    def record_access_key_used(self, access_key_id: str, when: datetime, service: str, region: str) -> None: ...
    def delete_access_key(self, access_key_id: str) -> bool: ...
    def set_login_profile(
        self, user_id: str, password_hash: str, reset_required: bool, when: datetime | None = None
    ) -> None: ...
    def get_login_profile(self, user_id: str) -> LoginProfile | None: ...
    def delete_login_profile(self, user_id: str) -> bool: ...
    def create_mfa_device(self, account_id: str, name: str, seed: Secret, path: str = "/") -> MfaDevice: ...
    def get_mfa_device(self, serial_number: str) -> MfaDevice | None: ...
    def list_mfa_devices(self, account_id: str) -> list[MfaDevice]: ...
    def enable_mfa_device(self, serial_number: str, user_id: str | None, when: datetime) -> bool: ...
    def disable_mfa_device(self, serial_number: str) -> bool: ...
    def accept_mfa_counter(self, serial_number: str, counter: int) -> bool: ...
    def delete_mfa_device(self, serial_number: str) -> bool: ...

    # instance profiles (names unique per account whatever their case, as identities'). A
    # profile that holds a role, and a role held by a profile, cannot be deleted (Conflict).
    def create_instance_profile(self, account_id: str, name: str, path: str = "/") -> InstanceProfile: ...
    def get_instance_profile(self, account_id: str, name: str) -> InstanceProfile | None: ...
    def list_instance_profiles(self, account_id: str, path_prefix: str = "/") -> list[InstanceProfile]: ...
    def list_instance_profiles_for_role(self, role_id: str) -> list[InstanceProfile]: ...
    def count_instance_profiles(self, account_id: str) -> int: ...
    def add_role_to_instance_profile(self, profile_id: str, role_id: str) -> bool: ...
    def remove_role_from_instance_profile(self, profile_id: str, role_id: str) -> bool: ...
    def delete_instance_profile(self, profile_id: str) -> bool: ...

    # OpenID Connect providers, by ARN (one per URL in an account: ``Conflict`` otherwise).
    # ``update_oidc_provider`` replaces the lists given; False when there is no such provider.
    def create_oidc_provider(
        self, account_id: str, arn: str, url: str, client_ids: Sequence[str], thumbprints: Sequence[str]
    ) -> OidcProvider: ...
    def get_oidc_provider(self, arn: str) -> OidcProvider | None: ...
    def list_oidc_providers(self, account_id: str) -> list[OidcProvider]: ...
    def update_oidc_provider(
        self, arn: str, client_ids: Sequence[str] | None = None, thumbprints: Sequence[str] | None = None
    ) -> bool: ...
    def delete_oidc_provider(self, arn: str) -> bool: ...

    # SAML providers, by ARN (one per name in an account: ``Conflict`` otherwise). The
    # store gives a new provider its SAMLProviderUUID and creation time;
    # ``update_saml_provider`` writes the given provider's metadata, valid_until,
    # encryption_mode and private_keys. Update and delete return False when there is no such
    # provider; ``count_saml_providers`` counts without reading the documents.
    def create_saml_provider(
        self,
        account_id: str,
        arn: str,
        metadata: str,
        valid_until: datetime | None,
        encryption_mode: str,
        private_keys: Sequence[SamlPrivateKey],
    ) -> SamlProvider: ...
    def get_saml_provider(self, arn: str) -> SamlProvider | None: ...
    def list_saml_providers(self, account_id: str) -> list[SamlProvider]: ...
    def count_saml_providers(self, account_id: str) -> int: ...
    def update_saml_provider(self, provider: SamlProvider) -> bool: ...
    def delete_saml_provider(self, arn: str) -> bool: ...

    # SSH public keys and signing certificates, by id; a user's in upload order. Server
    # certificates: names unique per account whatever their case (``Conflict`` otherwise);
    # ``rename_server_certificate`` returns the renamed one, None if there is none.
    def create_ssh_public_key(self, account_id: str, user_id: str, body: str, fingerprint: str) -> SshPublicKey: ...
    def get_ssh_public_key(self, key_id: str) -> SshPublicKey | None: ...
    def list_ssh_public_keys(self, user_id: str) -> list[SshPublicKey]: ...
    def set_ssh_public_key_status(self, key_id: str, status: KeyStatus) -> bool: ...
    def delete_ssh_public_key(self, key_id: str) -> bool: ...
    def create_signing_certificate(
        self, account_id: str, user_id: str | None, body: str, fingerprint: str
    ) -> SigningCertificate: ...
    def get_signing_certificate(self, certificate_id: str) -> SigningCertificate | None: ...
    def list_signing_certificates(self, account_id: str, user_id: str | None) -> list[SigningCertificate]: ...
    def find_signing_certificate(self, account_id: str, fingerprint: str) -> SigningCertificate | None: ...
    def set_signing_certificate_status(self, certificate_id: str, status: KeyStatus) -> bool: ...
    def delete_signing_certificate(self, certificate_id: str) -> bool: ...
    def create_server_certificate(
        self,
        account_id: str,
        name: str,
        path: str,
        body: str,
        chain: str | None,
        private_key: Secret,
        expiration: datetime,
    ) -> ServerCertificate: ...
    def get_server_certificate(self, account_id: str, name: str) -> ServerCertificate | None: ...
    def list_server_certificates(self, account_id: str, path_prefix: str = "/") -> list[ServerCertificate]: ...
    def rename_server_certificate(
        self, certificate_id: str, name: str | None = None, path: str | None = None
    ) -> ServerCertificate | None: ...
    def delete_server_certificate(self, certificate_id: str) -> bool: ...

    # Service-specific credentials, by id; a user's (or, without user_id, the account's) in
    # creation order, of one service when ``service_name`` is given. The password is the
    # caller's to generate: create and reset store it sealed.
    def create_service_specific_credential(
        self, account_id: str, user_id: str, service_name: str, service_user_name: str, password: Secret
    ) -> ServiceSpecificCredential: ...
    def get_service_specific_credential(self, credential_id: str) -> ServiceSpecificCredential | None: ...
    def list_service_specific_credentials(
        self, account_id: str, user_id: str | None = None, service_name: str | None = None
    ) -> list[ServiceSpecificCredential]: ...
    def set_service_specific_credential_status(self, credential_id: str, status: KeyStatus) -> bool: ...
    def reset_service_specific_credential(self, credential_id: str, password: Secret) -> bool: ...
    def delete_service_specific_credential(self, credential_id: str) -> bool: ...

    # Generated reports (``GeneratedReport``). ``get_generated_report``: by id, of its kind;
    # ``latest_generated_report``: an account's newest of a kind. ``expire_generated_reports``
    # deletes those of ``kind`` (of ``account_id`` only, when given) created before
    # ``before``, then all but the ``keep`` newest of the rest; how many went. How long and
    # how many are kept is the service's to decide.
    def add_generated_report(self, report: GeneratedReport) -> None: ...
    def get_generated_report(self, report_id: str, kind: ReportKind) -> GeneratedReport | None: ...
    def latest_generated_report(self, account_id: str, kind: ReportKind) -> GeneratedReport | None: ...
    def expire_generated_reports(
        self,
        kind: ReportKind,
        *,
        before: datetime | None = None,
        keep: int | None = None,
        account_id: str | None = None,
    ) -> int: ...

    # AWS Organizations (schema version 18). Ids are the caller's to generate. Every write
    # that can change which SCPs or RCPs apply to an account (policy types, attachments,
    # policy content, membership, moves, deleted OUs) bumps the policy generation of every
    # account of the organization. ``create_organization`` makes the management account a
    # member (INVITED, under the root). ``delete_organization`` deletes its OUs, policies,
    # attachments, handshakes, requests, memberships and their tags (by ARN).
    def create_organization(
        self, org_id: str, root_id: str, management_account_id: str, feature_set: str
    ) -> Organization: ...
    def get_organization(self, org_id: str) -> Organization | None: ...
    def organization_of(self, account_id: str) -> Organization | None: ...
    def delete_organization(self, org_id: str) -> bool: ...
    def set_enabled_policy_types(self, org_id: str, types: Sequence[str]) -> None: ...
    def create_org_unit(self, org_id: str, unit_id: str, parent_id: str, name: str) -> OrgUnit: ...
    def get_org_unit(self, unit_id: str) -> OrgUnit | None: ...
    def list_org_units(self, parent_id: str) -> list[OrgUnit]: ...
    def rename_org_unit(self, unit_id: str, name: str) -> OrgUnit | None: ...
    def delete_org_unit(self, unit_id: str) -> bool: ...
    def add_org_account(self, org_id: str, account_id: str, parent_id: str, joined_method: str) -> OrgAccount: ...
    def get_org_account(self, account_id: str) -> OrgAccount | None: ...
    # An organization's accounts (under ``parent_id`` only, when given), by account id.
    def list_org_accounts(self, org_id: str, parent_id: str | None = None) -> list[OrgAccount]: ...
    def move_org_account(self, account_id: str, parent_id: str) -> bool: ...
    # The account leaves: its membership, its attachments and its tags as a member go.
    def remove_org_account(self, account_id: str) -> bool: ...
    def create_org_policy(
        self, org_id: str, policy_id: str, policy_type: str, name: str, description: str, content: str
    ) -> OrgPolicy: ...
    # Customer managed policies only (AWS managed ones are the service's).
    def get_org_policy(self, policy_id: str) -> OrgPolicy | None: ...
    def list_org_policies(self, org_id: str, policy_type: str) -> list[OrgPolicy]: ...
    def update_org_policy(
        self, policy_id: str, name: str | None = None, description: str | None = None, content: str | None = None
    ) -> OrgPolicy | None: ...
    def delete_org_policy(self, policy_id: str) -> bool: ...
    # Attachments (AWS managed policies included, by their ids): False when already
    # attached / not attached.
    def attach_org_policy(self, org_id: str, policy_id: str, policy_type: str, target_id: str) -> bool: ...
    def detach_org_policy(self, org_id: str, policy_id: str, target_id: str) -> bool: ...
    # The ids of the policies of a type attached to a target, in attachment order.
    def org_policies_for_target(self, target_id: str, policy_type: str) -> list[str]: ...
    # The targets a policy is attached to in an organization, in attachment order.
    def org_policy_targets(self, org_id: str, policy_id: str) -> list[str]: ...
    def detach_org_policies_of_type(self, org_id: str, policy_type: str) -> None: ...
    def create_handshake(self, handshake: OrgHandshake) -> None: ...
    def get_handshake(self, handshake_id: str) -> OrgHandshake | None: ...
    # An organization's handshakes, or (``account_id``) those inviting an account; by request time.
    def list_handshakes(self, org_id: str | None = None, account_id: str | None = None) -> list[OrgHandshake]: ...
    def set_handshake_state(self, handshake_id: str, state: str) -> bool: ...
    def add_create_account_request(self, request: CreateAccountRequest) -> None: ...
    def get_create_account_request(self, request_id: str) -> CreateAccountRequest | None: ...
    def list_create_account_requests(self, org_id: str) -> list[CreateAccountRequest]: ...
    # The authorizer's reads, on every request: cheap (built once, kept in the lane's cache).
    def org_membership(self, account_id: str) -> OrgMembership | None: ...
    # Target id -> [(policy id, content JSON)] of ``policy_type``, in attachment order (AWS
    # managed policies with their AWS content); targets with none are left out.
    def org_policy_documents(
        self, org_id: str, target_ids: Sequence[str], policy_type: str
    ) -> dict[str, list[tuple[str, str]]]: ...

    # CloudTrail event history (schema version 19). ``expire_trail_events`` deletes the
    # events older than ``before`` (all accounts); how many went.
    def add_trail_events(self, events: Sequence[TrailEvent]) -> None: ...
    def lookup_trail_events(self, query: TrailQuery) -> list[TrailEvent]: ...
    def expire_trail_events(self, before: datetime) -> int: ...

    # tags (IAM identities, policies and instance profiles by unique id, MFA devices by
    # serial, buckets by ARN)
    def get_tags(self, resource_id: str) -> dict[str, str]: ...
    def set_tags(self, account_id: str, resource_id: str, tags: Mapping[str, str]) -> None: ...

    # S3
    def create_bucket(self, name: str, account_id: str, region: str) -> Bucket: ...
    def get_bucket(self, name: str) -> Bucket | None: ...
    def list_buckets(self, account_id: str) -> list[Bucket]: ...
    def set_bucket_attribute(self, name: str, attribute: BucketAttribute, value: str | None) -> bool: ...
    def delete_bucket(self, name: str) -> bool: ...
    # A bucket's configuration of one kind as JSON text (None: none set); ``None`` deletes it.
    # False when there is no such bucket. Deleting the bucket deletes its configurations.
    def get_bucket_configuration(self, bucket: str, kind: BucketConfigurationKind) -> str | None: ...
    def set_bucket_configuration(
        self, bucket: str, kind: BucketConfigurationKind, configuration: str | None
    ) -> bool: ...
    # The bucket's versioning status ("Enabled", "Suspended") and the MFADelete status given
    # (None: keep what is stored); False when there is no such bucket.
    def set_bucket_versioning(self, name: str, status: str, mfa_delete: str | None = None) -> bool: ...
    # Objects are versions of a key (``S3Object.version_id``). A write makes the given
    # version the key's latest: a version of the same id (only "null" repeats) is replaced
    # wherever it is, and the previous latest, if of another id, becomes noncurrent.
    def put_object(
        self,
        bucket: str,
        key: str,
        body: bytes,
        etag: str,
        content_type: str | None = None,
        metadata: Mapping[str, str] | None = None,
        checksums: Mapping[str, str] | None = None,
        tags: Mapping[str, str] | None = None,
        headers: ObjectHeaders | None = None,
        version_id: str = "null",
        parts: Sequence[ObjectPart] | None = None,
    ) -> S3Object: ...
    # A delete marker as the key's latest version, as put_object writes a version.
    def put_delete_marker(self, bucket: str, key: str, version_id: str) -> S3Object: ...
    # The key's latest version unless it is a delete marker.
    def get_object(self, bucket: str, key: str) -> S3Object | None: ...
    # One version (None: the latest), a delete marker included.
    def get_object_version(self, bucket: str, key: str, version_id: str | None = None) -> S3Object | None: ...
    # Replace a version's tags (None: the latest's; empty: none); False when it does not exist.
    def set_object_tags(
        self, bucket: str, key: str, tags: Mapping[str, str], version_id: str | None = None
    ) -> bool: ...
    def read_object(
        self, bucket: str, key: str, start: int = 0, length: int | None = None, version_id: str | None = None
    ) -> bytes | None: ...
    # Remove the key's "null" version (an unversioned bucket's only one).
    def delete_object(self, bucket: str, key: str) -> bool: ...
    # Remove one version for good (the next newest becomes the latest); the removed version.
    def delete_object_version(self, bucket: str, key: str, version_id: str) -> S3Object | None: ...
    # The latest versions that are not delete markers, in key order.
    def list_objects(
        self, bucket: str, prefix: str = "", start_after: str = "", limit: int = 1000
    ) -> list[S3Object]: ...
    # Every version and delete marker, by key, newest first within a key: keys from
    # ``prefix``, after the version ``version_id_marker`` of ``key_marker`` (without it,
    # after every version of ``key_marker``), at most ``limit``.
    def list_object_versions(
        self,
        bucket: str,
        prefix: str = "",
        key_marker: str = "",
        version_id_marker: str = "",
        limit: int = 1000,
        marker_time: datetime | None = None,
    ) -> list[S3Object]: ...
    # Whether any version or delete marker remains in the bucket.
    def has_object_versions(self, bucket: str) -> bool: ...
    def create_multipart_upload(
        self,
        bucket: str,
        key: str,
        account_id: str,
        initiator_arn: str,
        content_type: str | None = None,
        metadata: Mapping[str, str] | None = None,
        tags: Mapping[str, str] | None = None,
        headers: ObjectHeaders | None = None,
        checksum_algorithm: str | None = None,
        checksum_type: str | None = None,
        prior_version_id: str | None = None,
    ) -> MultipartUpload: ...
    def get_multipart_upload(self, upload_id: str) -> MultipartUpload | None: ...
    def list_multipart_uploads(self, bucket: str) -> list[MultipartUpload]: ...
    def put_part(
        self, upload_id: str, part_number: int, body: bytes, etag: str, checksums: Mapping[str, str] | None = None
    ) -> Part: ...
    def list_parts(self, upload_id: str) -> list[Part]: ...
    # The completed object is the key's latest version ``version_id`` (as put_object); it
    # keeps ``parts`` as its layout (default: the parts' sizes, without checksums) and
    # ``checksums`` as its own (default: none).
    def complete_multipart_upload(
        self,
        upload_id: str,
        part_numbers: Sequence[int],
        etag: str,
        version_id: str = "null",
        parts: Sequence[ObjectPart] | None = None,
        checksums: Mapping[str, str] | None = None,
    ) -> S3Object: ...
    def abort_multipart_upload(self, upload_id: str) -> bool: ...


class Store(Protocol):
    def transaction(self) -> AbstractContextManager[Transaction]: ...
    def read(self) -> AbstractContextManager[Transaction]: ...
    def close(self) -> None: ...

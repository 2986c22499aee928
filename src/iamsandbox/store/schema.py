"""The current schema as SQLAlchemy Core tables: what the queries in ``sql_*.py`` use.

Migrations (``migrations/``) build this schema step by step with their own frozen table
definitions; a test checks that a database migrated from empty matches these tables.

Indexes follow the request path: access key id (primary key), (account, kind, name key)
for identities, identity ARN, attachments by owner and by policy ARN, bucket name
(primary key), objects by (bucket, key) (primary key, also the listing order), noncurrent
object versions by (bucket, key, version_id) and (bucket, key, sequence); generated
reports by id (primary key), by (account, kind, created) and by (kind, created).

On PostgreSQL every string column is ``VARCHAR`` (or ``TEXT``) without a length, collated
``"C"`` (``_postgres_string``), so that it behaves as on SQLite: the lengths written here are
documentation (the protocols check AWS's limits: a Content-Type of 300 characters or an MFA
device name of 200, which AWS takes, were refused by PostgreSQL with a 500), and text compares
and sorts by code point whatever the database's locale (ListUsers answered "a_b" before
"a+b" under an en-US collation, SQLite "a+b" first). Migration 21 converts older databases.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.ext.compiler import compiles


@compiles(String, "postgresql")
@compiles(Text, "postgresql")  # a subclass, dispatched on its own
def _postgres_string(type_: String, compiler: Any, **kw: Any) -> str:
    """A string column's type on PostgreSQL (see the module docstring). Anything else (no
    ``type_expression``: not a column's definition) is written as SQLAlchemy writes it, so a
    bound value's cast stays ``::VARCHAR``; the store writes no other cast of a string."""
    if "type_expression" not in kw:
        return str(getattr(compiler, f"visit_{type_.__visit_name__}")(type_, **kw))
    return f'{"TEXT" if isinstance(type_, Text) else "VARCHAR"} COLLATE "C"'


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out; stored as naive UTC everywhere."""

    impl = DateTime(timezone=False)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC)


def binary_string(length: int) -> String:
    """A string compared by code point (S3 lists keys in UTF-8 binary order): SQLite's
    default BINARY collation does; PostgreSQL needs ``COLLATE "C"`` (every string column
    now has it there: ``_postgres_string``; the variant stays for the frozen migrations)."""
    return String(length).with_variant(String(length, collation="C"), "postgresql")


metadata = MetaData()

schema_version = Table(
    "schema_version",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("name", String(200), nullable=False),
    Column("applied", UTCDateTime, nullable=False),
)

accounts = Table(
    "accounts",
    metadata,
    Column("account_id", String(12), primary_key=True),
    Column("name", String(256), nullable=False),
    Column("email", String(256)),
    Column("alias", String(63), unique=True),
    Column("root_password_hash", Text),
    Column("policy_generation", BigInteger, nullable=False, default=0),
    Column("created", UTCDateTime, nullable=False),
    Column("password_policy", Text),  # JSON; NULL: no custom policy (version 3)
    Column("root_password_last_used", UTCDateTime),  # the root user's last sign-in (version 14)
)

identities = Table(
    "identities",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("account_id", String(12), ForeignKey("accounts.account_id"), nullable=False),
    Column("kind", String(8), nullable=False),
    Column("name", String(128), nullable=False),
    Column("name_key", String(128), nullable=False),
    Column("path", String(512), nullable=False),
    Column("arn", String(1024), nullable=False),
    Column("created", UTCDateTime, nullable=False),
    Column("permissions_boundary", String(2048)),
    Column("trust_policy", Text),
    Column("description", String(1000)),
    Column("max_session_duration", Integer),
    Column("last_used", UTCDateTime),
    Column("last_used_region", String(32)),
    Column("password_last_used", UTCDateTime),  # a user's last console sign-in (version 14)
    UniqueConstraint("account_id", "kind", "name_key", name="uq_identities_name"),
    Index("ix_identities_arn", "arn", unique=True),
)

group_members = Table(
    "group_members",
    metadata,
    Column("group_id", String(32), ForeignKey("identities.id"), primary_key=True),
    Column("user_id", String(32), ForeignKey("identities.id"), primary_key=True),
    Index("ix_group_members_user", "user_id"),
)

managed_policies = Table(
    "managed_policies",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("account_id", String(12), ForeignKey("accounts.account_id"), nullable=False),
    Column("arn", String(2048), nullable=False),
    Column("name", String(128), nullable=False),
    Column("name_key", String(128), nullable=False),
    Column("path", String(512), nullable=False),
    Column("description", String(1000)),
    Column("default_version", String(8), nullable=False),
    Column("next_version", Integer, nullable=False),
    Column("created", UTCDateTime, nullable=False),
    Column("updated", UTCDateTime, nullable=False),
    UniqueConstraint("account_id", "name_key", name="uq_managed_policies_name"),
    Index("ix_managed_policies_arn", "arn", unique=True),
)

policy_versions = Table(
    "policy_versions",
    metadata,
    Column("policy_id", String(32), ForeignKey("managed_policies.id", ondelete="CASCADE"), primary_key=True),
    Column("version_id", String(8), primary_key=True),
    Column("document", Text, nullable=False),
    Column("created", UTCDateTime, nullable=False),
)

inline_policies = Table(
    "inline_policies",
    metadata,
    Column("owner_id", String(32), ForeignKey("identities.id"), primary_key=True),
    Column("name", String(128), primary_key=True),
    Column("document", Text, nullable=False),
)

attachments = Table(
    "attachments",
    metadata,
    Column("owner_id", String(32), ForeignKey("identities.id"), primary_key=True),
    Column("policy_arn", String(2048), primary_key=True),
    Column("seq", Integer, nullable=False),
    Index("ix_attachments_policy", "policy_arn"),
)

access_keys = Table(
    "access_keys",
    metadata,
    Column("access_key_id", String(20), primary_key=True),
    Column("account_id", String(12), ForeignKey("accounts.account_id"), nullable=False),
    Column("user_id", String(32), ForeignKey("identities.id")),
    Column("secret", LargeBinary, nullable=False),
    Column("status", String(8), nullable=False),
    Column("created", UTCDateTime, nullable=False),
    Column("last_used", UTCDateTime),
    Column("last_used_service", String(64)),
    Column("last_used_region", String(32)),
    Index("ix_access_keys_owner", "account_id", "user_id"),
)

login_profiles = Table(
    "login_profiles",
    metadata,
    Column("user_id", String(32), ForeignKey("identities.id"), primary_key=True),
    Column("password_hash", Text, nullable=False),
    Column("reset_required", Boolean, nullable=False),
    Column("created", UTCDateTime, nullable=False),
    Column("password_changed", UTCDateTime),  # NULL: never changed since ``created`` (version 3)
    Column("previous_passwords", Text),  # JSON list of earlier hashes, newest first (version 3)
)

mfa_devices = Table(
    "mfa_devices",
    metadata,
    Column("serial_number", String(512), primary_key=True),
    Column("account_id", String(12), ForeignKey("accounts.account_id"), nullable=False),
    Column("name", String(128), nullable=False),
    Column("name_key", String(128), nullable=False),
    Column("path", String(512), nullable=False),
    Column("seed", LargeBinary, nullable=False),
    Column("created", UTCDateTime, nullable=False),
    Column("user_id", String(32), ForeignKey("identities.id")),
    Column("enabled", UTCDateTime),
    Column("last_counter", BigInteger),
    UniqueConstraint("account_id", "name_key", name="uq_mfa_devices_name"),
    Index("ix_mfa_devices_user", "user_id"),
)

instance_profiles = Table(  # version 4
    "instance_profiles",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("account_id", String(12), ForeignKey("accounts.account_id"), nullable=False),
    Column("name", String(128), nullable=False),
    Column("name_key", String(128), nullable=False),
    Column("path", String(512), nullable=False),
    Column("arn", String(1024), nullable=False),
    Column("created", UTCDateTime, nullable=False),
    UniqueConstraint("account_id", "name_key", name="uq_instance_profiles_name"),
    Index("ix_instance_profiles_arn", "arn", unique=True),
)

instance_profile_roles = Table(  # version 4; AWS's one role per profile is the service's rule
    "instance_profile_roles",
    metadata,
    Column("profile_id", String(32), ForeignKey("instance_profiles.id"), primary_key=True),
    Column("role_id", String(32), ForeignKey("identities.id"), primary_key=True),
    Index("ix_instance_profile_roles_role", "role_id"),
)

oidc_providers = Table(  # version 6; one per URL in an account, keyed by the ARN the URL makes
    "oidc_providers",
    metadata,
    Column("arn", String(1024), primary_key=True),
    Column("account_id", String(12), ForeignKey("accounts.account_id"), nullable=False),
    Column("url", String(512), nullable=False),  # without its scheme
    Column("client_ids", Text, nullable=False),  # JSON list
    Column("thumbprints", Text, nullable=False),  # JSON list
    Column("created", UTCDateTime, nullable=False),
    Index("ix_oidc_providers_account", "account_id"),
)

saml_providers = Table(  # version 17; one per name in an account, keyed by the ARN the name makes
    "saml_providers",
    metadata,
    Column("arn", String(1024), primary_key=True),
    Column("account_id", String(12), ForeignKey("accounts.account_id"), nullable=False),
    Column("uuid", String(64), nullable=False),  # SAMLProviderUUID
    Column("document", Text, nullable=False),  # the SAMLMetadataDocument as uploaded
    Column("valid_until", UTCDateTime),  # the metadata's validUntil; NULL: none
    Column("encryption_mode", String(16), nullable=False),  # AssertionEncryptionMode
    Column("private_keys", Text, nullable=False),  # JSON list of [KeyId, ISO upload time]
    Column("created", UTCDateTime, nullable=False),
    Index("ix_saml_providers_account", "account_id"),
)

ssh_public_keys = Table(  # version 8
    "ssh_public_keys",
    metadata,
    Column("key_id", String(32), primary_key=True),
    Column("account_id", String(12), ForeignKey("accounts.account_id"), nullable=False),
    Column("user_id", String(32), ForeignKey("identities.id"), nullable=False),
    Column("body", Text, nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("status", String(8), nullable=False),
    Column("uploaded", UTCDateTime, nullable=False),
    Index("ix_ssh_public_keys_user", "user_id"),
)

signing_certificates = Table(  # version 8; user_id NULL: the account's root user
    "signing_certificates",
    metadata,
    Column("certificate_id", String(64), primary_key=True),
    Column("account_id", String(12), ForeignKey("accounts.account_id"), nullable=False),
    Column("user_id", String(32), ForeignKey("identities.id")),
    Column("body", Text, nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("status", String(8), nullable=False),
    Column("uploaded", UTCDateTime, nullable=False),
    Index("ix_signing_certificates_owner", "account_id", "user_id"),
    Index("ix_signing_certificates_fingerprint", "account_id", "fingerprint"),
)

server_certificates = Table(  # version 8; the private key sealed (``crypto.SecretBox``), bound to the id
    "server_certificates",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("account_id", String(12), ForeignKey("accounts.account_id"), nullable=False),
    Column("name", String(128), nullable=False),
    Column("name_key", String(128), nullable=False),
    Column("path", String(512), nullable=False),
    Column("arn", String(1024), nullable=False),
    Column("body", Text, nullable=False),
    Column("chain", Text),
    Column("private_key", LargeBinary, nullable=False),
    Column("uploaded", UTCDateTime, nullable=False),
    Column("expiration", UTCDateTime, nullable=False),
    UniqueConstraint("account_id", "name_key", name="uq_server_certificates_name"),
)

service_specific_credentials = Table(  # version 13; the password sealed (``crypto.SecretBox``), bound to the id
    "service_specific_credentials",
    metadata,
    Column("credential_id", String(128), primary_key=True),
    Column("account_id", String(12), ForeignKey("accounts.account_id"), nullable=False),
    Column("user_id", String(32), ForeignKey("identities.id"), nullable=False),
    Column("service_name", String(128), nullable=False),
    Column("service_user_name", String(200), nullable=False),
    Column("password", LargeBinary, nullable=False),
    Column("status", String(8), nullable=False),
    Column("created", UTCDateTime, nullable=False),
    Index("ix_service_specific_credentials_user", "user_id"),
)

# Version 15: when a user or role (a role's sessions count for it) last attempted to access
# a service; action "": the service as a whole, else a tracked action ("CreateBucket").
service_last_accessed = Table(
    "service_last_accessed",
    metadata,
    Column("entity_id", String(32), ForeignKey("identities.id"), primary_key=True),
    Column("service", String(64), primary_key=True),
    Column("action", String(128), primary_key=True),
    Column("account_id", String(12), ForeignKey("accounts.account_id"), nullable=False),
    Column("last_accessed", UTCDateTime, nullable=False),
    Column("region", String(32), nullable=False),
)

# Version 16: what an operation generated for later calls to read, kept in the store so
# that every replica finds it (``interface.GeneratedReport``): GenerateServiceLastAccessedDetails'
# jobs (owner: the principal, and the session, that generated one) and each account's
# credential report (owner NULL). ``payload``: the service's text (JSON, or the report's
# CSV); never a secret.
generated_reports = Table(
    "generated_reports",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("account_id", String(12), ForeignKey("accounts.account_id"), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("owner", Text),
    Column("created", UTCDateTime, nullable=False),
    Column("payload", Text, nullable=False),
    # An account's latest report of a kind; a kind's expired and oldest rows (on write).
    Index("ix_generated_reports_account", "account_id", "kind", "created"),
    Index("ix_generated_reports_kind", "kind", "created"),
)

tags = Table(
    "tags",
    metadata,
    Column("resource_id", String(1024), primary_key=True),
    Column("key", String(128), primary_key=True),
    Column("value", String(256), nullable=False),
    Column("position", Integer, nullable=False),
    Column("account_id", String(12), nullable=False),
)

buckets = Table(
    "buckets",
    metadata,
    Column("name", String(63), primary_key=True),
    Column("account_id", String(12), ForeignKey("accounts.account_id"), nullable=False),
    Column("region", String(32), nullable=False),
    Column("created", UTCDateTime, nullable=False),
    Column("policy", Text),
    Column("public_access_block", Text),
    Column("ownership_controls", Text),
    Column("versioning", String(16)),  # NULL (unversioned), "Enabled", "Suspended" (version 10)
    Column("mfa_delete", String(16)),  # the MFADelete status given, if any (version 10)
    Index("ix_buckets_account", "account_id"),
)

bucket_configurations = Table(  # version 7; kind: interface.BucketConfigurationKind
    "bucket_configurations",
    metadata,
    Column("bucket", String(63), ForeignKey("buckets.name"), primary_key=True),
    Column("kind", String(32), primary_key=True),
    Column("configuration", Text, nullable=False),  # JSON: the Put operation's parsed configuration
)


def header_columns() -> list[Column[Any]]:
    """The standard headers S3 keeps with an object (``interface.ObjectHeaders``), each
    NULL when the write did not give it; a NULL storage class is STANDARD."""
    return [
        Column("cache_control", Text),
        Column("content_disposition", Text),
        Column("content_encoding", Text),
        Column("content_language", Text),
        Column("expires", UTCDateTime),
        Column("website_redirect_location", Text),
        Column("storage_class", String(32)),
        Column("server_side_encryption", String(16)),  # version 12; NULL: AES256
        Column("sse_kms_key_id", Text),  # version 12
        Column("bucket_key_enabled", Boolean),  # version 12; NULL: false
    ]


def version_columns() -> list[Column[Any]]:
    """What a version is besides its content (version 10): its id ("null" for the null
    version), whether it is a delete marker, its place among the key's versions."""
    return [
        Column("delete_marker", Boolean, nullable=False, server_default=text("FALSE")),
        Column("sequence", BigInteger, nullable=False, server_default=text("0")),
    ]


def _object_columns() -> list[Column[Any]]:
    return [
        Column("size", BigInteger, nullable=False),
        Column("etag", String(80), nullable=False),
        Column("last_modified", UTCDateTime, nullable=False),
        Column("content_type", String(256)),
        Column("user_metadata", Text),
        Column("checksums", Text),
        Column("body", LargeBinary),
        Column("body_path", String(1024)),
        Column("tags", Text),
        *header_columns(),
        *version_columns(),
        Column("part_layout", Text),  # version 11
    ]


# The latest version of each key (a delete marker included); its older versions are in
# ``object_versions`` (version 10). INVARIANT: a key with any version has a row here.
objects = Table(
    "objects",
    metadata,
    Column("bucket", String(63), ForeignKey("buckets.name"), primary_key=True),
    Column("key", binary_string(1024), primary_key=True),
    Column("size", BigInteger, nullable=False),
    Column("etag", String(80), nullable=False),
    Column("last_modified", UTCDateTime, nullable=False),
    Column("content_type", String(256)),
    Column("user_metadata", Text),
    Column("checksums", Text),
    Column("body", LargeBinary),
    Column("body_path", String(1024)),
    Column("tags", Text),  # JSON object of the object's tags; NULL: none (version 5)
    *header_columns(),  # version 9
    Column("version_id", String(64), nullable=False, server_default=text("'null'")),  # version 10
    *version_columns(),  # version 10
    # A multipart object's parts in order (JSON: sizes, and checksums when kept); NULL for
    # an object written in one request (version 11; ``sql_s3.dump_layout``).
    Column("part_layout", Text),
)

# The noncurrent versions (version 10), newest first by ``sequence`` within a key.
object_versions = Table(
    "object_versions",
    metadata,
    Column("bucket", String(63), ForeignKey("buckets.name"), primary_key=True),
    Column("key", binary_string(1024), primary_key=True),
    Column("version_id", String(64), primary_key=True),
    *_object_columns(),
    Index("ix_object_versions_order", "bucket", "key", "sequence"),
)

multipart_uploads = Table(
    "multipart_uploads",
    metadata,
    Column("upload_id", String(128), primary_key=True),
    Column("bucket", String(63), ForeignKey("buckets.name"), nullable=False),
    Column("key", binary_string(1024), nullable=False),
    Column("account_id", String(12), nullable=False),
    Column("initiator_arn", String(2048), nullable=False),
    Column("created", UTCDateTime, nullable=False),
    Column("content_type", String(256)),
    Column("user_metadata", Text),
    Column("tags", Text),  # JSON: the completed object's tags (x-amz-tagging); NULL: none (version 5)
    *header_columns(),  # the completed object's (version 9)
    Column("checksum_algorithm", String(16)),  # x-amz-checksum-algorithm; NULL: none (version 11)
    Column("checksum_type", String(16)),  # x-amz-checksum-type, COMPOSITE or FULL_OBJECT (version 11)
    # The key's latest version (or delete marker) at creation; "": none; NULL: not known (version 20).
    Column("prior_version_id", String(64)),
    Index("ix_multipart_uploads_bucket", "bucket", "key"),
)

parts = Table(
    "parts",
    metadata,
    Column("upload_id", String(128), ForeignKey("multipart_uploads.upload_id", ondelete="CASCADE"), primary_key=True),
    Column("part_number", Integer, primary_key=True),
    Column("size", BigInteger, nullable=False),
    Column("etag", String(80), nullable=False),
    Column("created", UTCDateTime, nullable=False),
    Column("body", LargeBinary, nullable=False),
    Column("checksums", Text),  # JSON: the x-amz-checksum-* UploadPart was given; NULL: none (version 11)
)

# --- AWS Organizations (version 18) --------------------------------------------------------
# One organization per management account, with its one root (AWS has one root per
# organization: "Root" in the Organizations User Guide); ``enabled_types`` the policy types
# ENABLED on the root, as a JSON list in the order they were enabled.
org_organizations = Table(
    "org_organizations",
    metadata,
    Column("id", String(34), primary_key=True),  # o-...
    Column("management_account_id", String(12), ForeignKey("accounts.account_id"), nullable=False, unique=True),
    Column("feature_set", String(32), nullable=False),
    Column("root_id", String(34), nullable=False, unique=True),  # r-...
    Column("root_name", String(128), nullable=False),
    Column("enabled_types", Text, nullable=False),
    Column("created", UTCDateTime, nullable=False),
)

# OUs never move (Organizations has no operation that moves one), so each keeps its
# ancestry: ``path`` is the ids from the root to itself, "/"-joined ("r-ab12/ou-ab12-x/...").
org_units = Table(
    "org_units",
    metadata,
    Column("id", String(68), primary_key=True),  # ou-<root>-<8>
    Column("org_id", String(34), ForeignKey("org_organizations.id"), nullable=False),
    Column("parent_id", String(68), nullable=False),
    Column("name", String(128), nullable=False),
    Column("path", Text, nullable=False),
    Column("created", UTCDateTime, nullable=False),
    UniqueConstraint("parent_id", "name", name="uq_org_units_name"),
    Index("ix_org_units_org", "org_id"),
)

# The member accounts (the management account included); an account is in one
# organization at most (the primary key).
org_accounts = Table(
    "org_accounts",
    metadata,
    Column("account_id", String(12), ForeignKey("accounts.account_id"), primary_key=True),
    Column("org_id", String(34), ForeignKey("org_organizations.id"), nullable=False),
    Column("parent_id", String(68), nullable=False),
    Column("joined_method", String(16), nullable=False),  # INVITED or CREATED
    Column("joined", UTCDateTime, nullable=False),
    Column("status", String(32), nullable=False),  # ACTIVE
    Index("ix_org_accounts_org", "org_id"),
    Index("ix_org_accounts_parent", "parent_id"),
)

# Customer managed policies; the AWS managed FullAWSAccess and RCPFullAWSAccess are no rows.
org_policies = Table(
    "org_policies",
    metadata,
    Column("id", String(130), primary_key=True),  # p-...
    Column("org_id", String(34), ForeignKey("org_organizations.id"), nullable=False),
    Column("type", String(64), nullable=False),
    Column("name", String(128), nullable=False),
    Column("description", String(512), nullable=False),
    Column("content", Text, nullable=False),
    Column("created", UTCDateTime, nullable=False),
    Index("ix_org_policies_org", "org_id", "type"),
)

# Which policy is attached to which root, OU or account (target ids are unique across
# organizations), with the policy's type so the authorizer's read needs no join for it.
org_attachments = Table(
    "org_attachments",
    metadata,
    Column("target_id", String(68), primary_key=True),
    Column("policy_id", String(130), primary_key=True),
    Column("org_id", String(34), ForeignKey("org_organizations.id"), nullable=False),
    Column("policy_type", String(64), nullable=False),
    Column("seq", BigInteger, nullable=False),  # attachment order
    Index("ix_org_attachments_policy", "policy_id"),
    Index("ix_org_attachments_org", "org_id", "policy_type"),
)

org_handshakes = Table(
    "org_handshakes",
    metadata,
    Column("id", String(34), primary_key=True),  # h-...
    Column("org_id", String(34), ForeignKey("org_organizations.id"), nullable=False),
    Column("action", String(32), nullable=False),  # INVITE
    Column("state", String(16), nullable=False),
    Column("party_type", String(16), nullable=False),  # ACCOUNT or EMAIL: the invited party
    Column("party_id", String(64), nullable=False),
    Column("account_id", String(12)),  # the invited account, when known
    Column("notes", Text),
    Column("requested", UTCDateTime, nullable=False),
    Column("expires", UTCDateTime, nullable=False),
    Index("ix_org_handshakes_org", "org_id"),
    Index("ix_org_handshakes_account", "account_id"),
)

org_create_account_requests = Table(
    "org_create_account_requests",
    metadata,
    Column("id", String(36), primary_key=True),  # car-...
    Column("org_id", String(34), ForeignKey("org_organizations.id"), nullable=False),
    Column("account_name", String(128), nullable=False),
    Column("state", String(16), nullable=False),
    Column("requested", UTCDateTime, nullable=False),
    Column("completed", UTCDateTime),
    Column("account_id", String(12)),
    Column("failure_reason", String(64)),
    Index("ix_org_create_account_requests_org", "org_id"),
)

# --- CloudTrail event history (version 19) -------------------------------------------------
# One row per event delivered to an account: a cross-account call is delivered to both
# accounts, as two rows sharing ``shared_event_id`` ("CloudTrail record contents":
# sharedEventID). The lookup attributes of LookupEvents are columns; ``document`` is the
# event (``CloudTrailEvent``), JSON text that INVARIANT: never holds a secret. No foreign key
# to ``accounts``: events outlive nothing, and are deleted by age only.
trail_events = Table(
    "trail_events",
    metadata,
    Column("event_id", String(36), primary_key=True),
    Column("account_id", String(12), nullable=False),
    Column("region", String(32), nullable=False),
    Column("event_time", UTCDateTime, nullable=False),
    Column("event_name", String(128), nullable=False),
    Column("event_source", String(128), nullable=False),
    Column("read_only", Boolean, nullable=False),
    Column("username", String(256)),
    Column("access_key_id", String(128)),
    Column("shared_event_id", String(36)),
    Column("document", Text, nullable=False),
    # LookupEvents: an account's events in a Region, newest first; expiry by age.
    Index("ix_trail_events_lookup", "account_id", "region", "event_time", "event_id"),
    Index("ix_trail_events_time", "event_time"),
)

# The resources an event names (LookupEvents' Resources, and its ResourceType and
# ResourceName lookup attributes); ``resource_type`` NULL when it cannot be determined.
trail_event_resources = Table(
    "trail_event_resources",
    metadata,
    Column("event_id", String(36), ForeignKey("trail_events.event_id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True, autoincrement=False),
    Column("resource_type", String(128)),
    Column("resource_name", String(2048), nullable=False),
    Index("ix_trail_event_resources_name", "resource_name"),
    Index("ix_trail_event_resources_type", "resource_type"),
)

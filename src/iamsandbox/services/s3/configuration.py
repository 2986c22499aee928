"""The bucket configurations tools, consoles and security reviewers read, answered as S3
answers them for a bucket that never had them set: GetBucketVersioning,
GetBucketEncryption, GetBucketPolicyStatus, GetBucketCors, GetBucketLifecycleConfiguration,
GetBucketWebsite, GetBucketLogging, GetBucketRequestPayment,
GetBucketNotificationConfiguration, GetBucketAccelerateConfiguration and
GetObjectLockConfiguration (Amazon S3 API Reference, each operation's page).

Nothing here is stored: iamsandbox implements none of the matching Put operations
(PutBucketVersioning and the others answer NotImplemented), so every bucket is as S3
creates it:

- Versioning: never set, an empty VersioningConfiguration (PutBucketVersioning: "If the
  versioning state has never been set on a bucket, it has no versioning state; a
  GetBucketVersioning request does not return a versioning state value").
- Default encryption: SSE-S3 ("By default, all buckets have a default encryption
  configuration that uses server-side encryption with Amazon S3 managed keys (SSE-S3)",
  GetBucketEncryption; S3 User Guide, "Setting default server-side encryption behavior
  for Amazon S3 buckets": since January 5, 2023), without an S3 Bucket Key.
- Policy status: IsPublic by the rules of ``authz/public.py``; a bucket without a policy is
  NoSuchBucketPolicy (GetBucketPolicyStatus).
- CORS, lifecycle, website, Object Lock: none, and S3's 404 for each ("Error responses":
  NoSuchCORSConfiguration, NoSuchLifecycleConfiguration, NoSuchWebsiteConfiguration,
  ObjectLockConfigurationNotFoundError).
- Logging: an empty BucketLoggingStatus ("logging is disabled"); request payment: Payer
  BucketOwner (the default, "Requester Pays buckets"); notifications: an empty
  NotificationConfiguration; Transfer Acceleration: no Status (never set).
"""

from __future__ import annotations

from typing import Any

from ...authz import public
from ...errors import (
    NoSuchBucketPolicy,
    NoSuchCORSConfiguration,
    NoSuchLifecycleConfiguration,
    NoSuchWebsiteConfiguration,
    ObjectLockConfigurationNotFoundError,
)
from ...policy import PolicyKind, parse_policy
from ..context import CallContext
from . import common


def get_bucket_versioning(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    common.bucket(ctx, params["Bucket"])
    return {}


def get_bucket_encryption(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    common.bucket(ctx, params["Bucket"])
    rule = {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": common.SSE}, "BucketKeyEnabled": False}
    return {"ServerSideEncryptionConfiguration": {"Rules": [rule]}}


def get_bucket_policy_status(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = common.bucket(ctx, params["Bucket"])
    if found.policy is None:
        raise NoSuchBucketPolicy(BucketName=found.name)
    # INVARIANT: a stored policy passed PutBucketPolicy's parse, so this parse succeeds.
    policy = parse_policy(found.policy, PolicyKind.RESOURCE)
    return {"PolicyStatus": {"IsPublic": public.is_public(policy)}}


def get_bucket_cors(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = common.bucket(ctx, params["Bucket"])
    raise NoSuchCORSConfiguration(BucketName=found.name)


def get_bucket_lifecycle_configuration(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = common.bucket(ctx, params["Bucket"])
    raise NoSuchLifecycleConfiguration(BucketName=found.name)


def get_bucket_website(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = common.bucket(ctx, params["Bucket"])
    raise NoSuchWebsiteConfiguration(BucketName=found.name)


def get_object_lock_configuration(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = common.bucket(ctx, params["Bucket"])
    raise ObjectLockConfigurationNotFoundError(BucketName=found.name)


def get_bucket_logging(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    common.bucket(ctx, params["Bucket"])
    return {}


def get_bucket_request_payment(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    common.bucket(ctx, params["Bucket"])
    return {"Payer": "BucketOwner"}


def get_bucket_notification_configuration(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    common.bucket(ctx, params["Bucket"])
    return {}


def get_bucket_accelerate_configuration(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    common.bucket(ctx, params["Bucket"])
    return {}

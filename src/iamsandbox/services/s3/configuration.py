"""The bucket configurations tools, consoles and security reviewers read, as S3 answers
them: GetBucketEncryption, GetBucketPolicyStatus, GetBucketCors,
GetBucketLifecycleConfiguration, GetBucketRequestPayment, GetBucketNotificationConfiguration,
GetBucketAccelerateConfiguration and GetObjectLockConfiguration; and those kept as
stored settings, with their Put (and Delete) operations: default encryption, CORS,
lifecycle, replication and Transfer Acceleration (Amazon S3 API Reference, each operation's
page). Website and logging settings:
website_logging.py; versioning: versioning.py.

Stored (``bucket_configurations`` in the store, per bucket and kind, as the Put
operation's parsed request gave it; deleting the bucket deletes them):

- Default encryption (PutBucketEncryption, DeleteBucketEncryption): one rule whose
  SSEAlgorithm is AES256, aws:kms or aws:kms:dsse; KMSMasterKeyID only with a KMS
  algorithm (InvalidArgument otherwise, recorded from AWS in LocalStack's
  test_s3_default_bucket_encryption_exc); no rule, two rules or another algorithm is
  MalformedXML. The key id is not checked ("Amazon S3 does not validate the KMS key ID
  provided in PutBucketEncryption requests"). Never set, or after DeleteBucketEncryption
  ("resets the default encryption for the bucket as server-side encryption with Amazon S3
  managed keys (SSE-S3)"), GetBucketEncryption answers SSE-S3 ("By default, all buckets
  have a default encryption configuration that uses server-side encryption with Amazon S3
  managed keys (SSE-S3)"; S3 User Guide, "Setting default server-side encryption behavior
  for Amazon S3 buckets": since January 5, 2023), without an S3 Bucket Key. A KMS default
  is kept and reported here only: objects are not encrypted with KMS, so every object
  operation answers SSE-S3 (AES256), also where AWS would apply the bucket's KMS default
  (a gap: per-object encryption is not stored).
- CORS (PutBucketCors, DeleteBucketCors): 1 to 100 rules ("You can add up to 100 rules to
  the configuration"), each with AllowedMethods and AllowedOrigins (MalformedXML
  otherwise); AllowedMethod only GET, PUT, HEAD, POST, DELETE, an AllowedOrigin or
  AllowedHeader with at most one "*", an ExposeHeader with none (InvalidRequest).
  Applied to browsers' requests (preflights and response headers) by ``cors.py``.
- Lifecycle (PutBucketLifecycleConfiguration, DeleteBucketLifecycle): 1 to 1,000 rules ("An
  Amazon S3 Lifecycle configuration can have up to 1,000 rules"), unique IDs (S3 names a
  rule given none), Status Enabled or Disabled, exactly one of Filter and the deprecated
  rule Prefix ("Filter is required if the LifecycleRule does not contain a Prefix
  element"), a Filter of at most one of Prefix, Tag, ObjectSizeGreaterThan,
  ObjectSizeLessThan and And, and at least one action. The rules are kept and reported,
  never applied: nothing expires, transitions or is aborted, and GetObject sends no
  x-amz-expiration.
- Replication (PutBucketReplication, DeleteBucketReplication): 1 to 1,000 rules, the source
  and every destination bucket versioning-enabled, iam:PassRole on the Role; kept and
  reported, never run (nothing is copied). While it is set, the source bucket's versioning
  cannot be suspended.
- Transfer Acceleration (PutBucketAccelerateConfiguration): Enabled or Suspended, not for a
  bucket whose name has a period; kept and reported (there is no accelerate endpoint).

Read as S3 creates a bucket (no Put operation here; they answer NotImplemented):

- Policy status: IsPublic by the rules of ``authz/public.py``; a bucket without a policy is
  NoSuchBucketPolicy (GetBucketPolicyStatus).
- CORS and lifecycle never set, Object Lock: none, and S3's 404 for each ("Error
  responses": NoSuchCORSConfiguration, NoSuchLifecycleConfiguration,
  ObjectLockConfigurationNotFoundError).
- Request payment: Payer BucketOwner (the default, "Requester Pays buckets");
  notifications: an empty NotificationConfiguration; Transfer Acceleration never set: no
  Status; replication never set: ReplicationConfigurationNotFoundError.

Known gaps: the CORS document's 64 KB limit and a CORS rule ID's 255 characters are not
checked; lifecycle transitions are not checked against their storage classes' minimum
days; Content-MD5 is not required of the Put operations (every SDK sends a checksum).
"""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, datetime, time
from typing import Any

from ...authz import public
from ...errors import (
    InvalidArgument,
    InvalidRequest,
    MalformedXML,
    NoSuchBucketPolicy,
    NoSuchCORSConfiguration,
    NoSuchLifecycleConfiguration,
    ObjectLockConfigurationNotFoundError,
    ReplicationConfigurationNotFoundError,
    S3Error,
)
from ...policy import PolicyKind, parse_policy
from ...store.interface import BucketConfigurationKind
from ..context import CallContext
from . import common

KMS_ALGORITHMS = ("aws:kms", "aws:kms:dsse")  # also what an object write takes (encryption.py)
SSE_ALGORITHMS = ("AES256", *KMS_ALGORITHMS)
CORS_METHODS = ("GET", "PUT", "HEAD", "POST", "DELETE")
MAX_CORS_RULES = 100
MAX_LIFECYCLE_RULES = 1000
MAX_RULE_ID = 255
MAX_REPLICATION_RULES = 1000
_FILTER_MEMBERS = ("Prefix", "Tag", "ObjectSizeGreaterThan", "ObjectSizeLessThan", "And")
_LIFECYCLE_ACTIONS = (
    "Expiration",
    "Transitions",
    "NoncurrentVersionExpiration",
    "NoncurrentVersionTransitions",
    "AbortIncompleteMultipartUpload",
)
_TRANSITION_DEFAULT = "all_storage_classes_128K"  # the default (PutBucketLifecycleConfiguration)
_TRANSITION_SIZES = (_TRANSITION_DEFAULT, "varies_by_storage_class")
_TRANSITION_HEADER = "x-amz-transition-default-minimum-object-size"


def load_stored(ctx: CallContext, bucket: str, kind: BucketConfigurationKind) -> dict[str, Any] | None:
    """The stored configuration of ``kind`` (the Put operation's parsed request), or None."""
    text = ctx.tx.get_bucket_configuration(bucket, kind)
    if text is None:
        return None
    loaded = json.loads(text)
    assert isinstance(loaded, dict)  # INVARIANT: save_stored wrote a JSON object
    return loaded


def stored_or_missing(
    ctx: CallContext, params: dict[str, Any], kind: BucketConfigurationKind, missing: type[S3Error]
) -> dict[str, Any]:
    """The bucket's stored configuration of ``kind``, or S3's 404 for one never set (``missing``:
    NoSuchCORSConfiguration, NoSuchLifecycleConfiguration, ...)."""
    found = common.bucket(ctx, params["Bucket"])
    stored = load_stored(ctx, found.name, kind)
    if stored is None:
        raise missing(BucketName=found.name)
    return stored


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()  # read back by _lifecycle_dates
    raise TypeError(f"not a configuration value: {type(value).__name__}")


def save_stored(ctx: CallContext, bucket: str, kind: BucketConfigurationKind, value: dict[str, Any] | None) -> None:
    text = None if value is None else json.dumps(value, separators=(",", ":"), default=_json_value)
    ctx.tx.set_bucket_configuration(bucket, kind, text)


# --- default encryption ----------------------------------------------------------------


def encryption_rule(ctx: CallContext, bucket: str) -> dict[str, Any]:
    """The bucket's default encryption rule, SSE-S3 when none was put (GetBucketEncryption;
    what a new object takes: ``encryption.py``)."""
    stored = load_stored(ctx, bucket, "encryption")
    if stored is None:
        return {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": common.SSE}, "BucketKeyEnabled": False}
    rule: dict[str, Any] = stored["Rules"][0]
    # As the default configuration answers it: BucketKeyEnabled is always reported.
    return {**rule, "BucketKeyEnabled": bool(rule.get("BucketKeyEnabled", False))}


def get_bucket_encryption(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = common.bucket(ctx, params["Bucket"])
    return {"ServerSideEncryptionConfiguration": {"Rules": [encryption_rule(ctx, found.name)]}}


def put_bucket_encryption(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = common.bucket(ctx, params["Bucket"])  # NoSuchBucket comes before the body's errors
    rules = (params.get("ServerSideEncryptionConfiguration") or {}).get("Rules") or []
    # Recorded from AWS (LocalStack's test_s3_default_bucket_encryption_exc): no rule or two
    # rules is MalformedXML. A rule without ApplyServerSideEncryptionByDefault, or with
    # another algorithm of the model's enum (aws:fsx, aws:backup), is MalformedXML too
    # (unconfirmed).
    if len(rules) != 1:
        raise MalformedXML()
    rule = dict(rules[0])
    default = rule.get("ApplyServerSideEncryptionByDefault")
    if not default or default.get("SSEAlgorithm") not in SSE_ALGORITHMS:
        raise MalformedXML()
    if "KMSMasterKeyID" in default and default["SSEAlgorithm"] not in KMS_ALGORITHMS:
        # Recorded from AWS (the same test).
        raise InvalidArgument(
            "a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse",
            ArgumentName="ApplyServerSideEncryptionByDefault",
        )
    save_stored(ctx, found.name, "encryption", {"Rules": [rule]})
    return {}


def delete_bucket_encryption(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = common.bucket(ctx, params["Bucket"])
    save_stored(ctx, found.name, "encryption", None)  # 204 also when none was set
    return {}


def get_bucket_policy_status(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = common.bucket(ctx, params["Bucket"])
    if found.policy is None:
        raise NoSuchBucketPolicy(BucketName=found.name)
    # INVARIANT: a stored policy passed PutBucketPolicy's parse, so this parse succeeds.
    policy = parse_policy(found.policy, PolicyKind.RESOURCE, stored=True)
    return {"PolicyStatus": {"IsPublic": public.is_public(policy)}}


# --- CORS --------------------------------------------------------------------------------


def get_bucket_cors(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    return stored_or_missing(ctx, params, "cors", NoSuchCORSConfiguration)


def put_bucket_cors(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = common.bucket(ctx, params["Bucket"])
    rules = (params.get("CORSConfiguration") or {}).get("CORSRules") or []
    # No rule, more than 100, or a rule without AllowedMethod or AllowedOrigin does not
    # follow S3's schema: MalformedXML (moto's test_s3 and LocalStack, checked against AWS).
    if not rules or len(rules) > MAX_CORS_RULES:
        raise MalformedXML()
    for rule in rules:
        if not rule.get("AllowedMethods") or not rule.get("AllowedOrigins"):
            raise MalformedXML()
        _check_cors_rule(rule)
    save_stored(ctx, found.name, "cors", {"CORSRules": [dict(rule) for rule in rules]})
    return {}


def _check_cors_rule(rule: dict[str, Any]) -> None:
    # S3's words, as recorded by moto's test_s3 (methods) and by S3-compatible servers that
    # copy them (wildcards; unconfirmed from AWS).
    for method in rule["AllowedMethods"]:
        if method not in CORS_METHODS:
            raise InvalidRequest(f"Found unsupported HTTP method in CORS config. Unsupported method is {method}")
    for origin in rule["AllowedOrigins"]:
        if str(origin).count("*") > 1:
            raise InvalidRequest(f'AllowedOrigin "{origin}" can not have more than one wildcard.')
    for header in rule.get("AllowedHeaders") or []:
        if str(header).count("*") > 1:
            raise InvalidRequest(f'AllowedHeader "{header}" can not have more than one wildcard.')
    for header in rule.get("ExposeHeaders") or []:
        if "*" in str(header):
            raise InvalidRequest(
                f'ExposeHeader "{header}" contains wildcard. We currently do not support wildcard for ExposeHeader.'
            )


def delete_bucket_cors(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = common.bucket(ctx, params["Bucket"])
    save_stored(ctx, found.name, "cors", None)
    return {}


# --- lifecycle ---------------------------------------------------------------------------


def get_bucket_lifecycle_configuration(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    stored = stored_or_missing(ctx, params, "lifecycle", NoSuchLifecycleConfiguration)
    for rule in stored["Rules"]:
        _lifecycle_dates(rule)
    return stored


def _lifecycle_dates(rule: dict[str, Any]) -> None:
    """The rule's Date members back as datetimes (JSON kept them as ISO 8601 text)."""
    holders = [rule.get("Expiration") or {}, *(rule.get("Transitions") or [])]
    for holder in holders:
        if isinstance(holder.get("Date"), str):
            holder["Date"] = datetime.fromisoformat(holder["Date"])


def put_bucket_lifecycle_configuration(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = common.bucket(ctx, params["Bucket"])
    rules = (params.get("LifecycleConfiguration") or {}).get("Rules") or []
    if not rules or len(rules) > MAX_LIFECYCLE_RULES:
        raise MalformedXML()  # the schema's bounds; S3's answer past 1,000 rules is unconfirmed
    checked: list[dict[str, Any]] = []
    ids: set[str] = set()
    for given in rules:
        rule = _check_lifecycle_rule(dict(given))
        if rule["ID"] in ids:
            # AWS's words, as quoted from its answer (unconfirmed on a reference page).
            raise InvalidArgument("Rule ID must be unique. Found same ID for more than one rule")
        ids.add(rule["ID"])
        checked.append(rule)
    size = params.get("TransitionDefaultMinimumObjectSize") or _TRANSITION_DEFAULT
    if size not in _TRANSITION_SIZES:
        # Worded as S3 words a bad x-amz-object-ownership (buckets.py); unconfirmed here.
        raise InvalidArgument(f"Invalid {_TRANSITION_HEADER} header: {size}", ArgumentName=_TRANSITION_HEADER)
    save_stored(ctx, found.name, "lifecycle", {"Rules": checked, "TransitionDefaultMinimumObjectSize": size})
    return {"TransitionDefaultMinimumObjectSize": size}


def _check_lifecycle_rule(rule: dict[str, Any]) -> dict[str, Any]:
    """The rule as S3 keeps it (an ID given when it had none), or S3's error.

    Messages recorded from AWS in LocalStack's test_s3_api (Date, duplicate tag keys) or as
    S3-compatible servers copy them (the others: unconfirmed)."""
    if not rule.get("ID"):
        # S3 names a rule given no ID (the generated name's form is unconfirmed).
        rule["ID"] = base64.b64encode(str(uuid.uuid4()).encode()).decode()
    if len(str(rule["ID"])) > MAX_RULE_ID:
        raise InvalidArgument("ID length should not exceed allowed limit of 255")
    if rule.get("Status") not in ("Enabled", "Disabled"):
        raise MalformedXML()
    if ("Filter" in rule) == ("Prefix" in rule):
        raise MalformedXML()
    rule_filter = rule.get("Filter") or {}
    if sum(1 for name in _FILTER_MEMBERS if rule_filter.get(name) is not None) > 1:
        raise MalformedXML()  # "A Filter must have exactly one of Prefix, Tag, ... or And"
    tag_keys = [tag.get("Key") for tag in (rule_filter.get("And") or {}).get("Tags") or []]
    if len(tag_keys) != len(set(tag_keys)):
        raise InvalidRequest("Duplicate Tag Keys are not allowed.")
    if all(rule.get(action) in (None, []) for action in _LIFECYCLE_ACTIONS):
        raise InvalidRequest("At least one action needs to be specified in a rule")
    _check_expiration(rule.get("Expiration"))
    for transition in rule.get("Transitions") or []:
        # A transition names its storage class and one of Days and Date (Transition; S3's
        # answer otherwise is unconfirmed).
        when = [name for name in ("Date", "Days") if transition.get(name) is not None]
        if len(when) != 1 or transition.get("StorageClass") is None:
            raise MalformedXML()
        _check_midnight(transition.get("Date"))  # as an Expiration's Date (the same rule, unconfirmed)
    noncurrent = rule.get("NoncurrentVersionExpiration")
    if noncurrent is not None and noncurrent.get("NoncurrentDays") is None:
        if noncurrent.get("NewerNoncurrentVersions") is None:
            raise MalformedXML()
    abort = rule.get("AbortIncompleteMultipartUpload")
    if abort is not None and (abort.get("DaysAfterInitiation") or 0) <= 0:
        raise InvalidArgument(
            "'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive integer"
        )
    return rule


def _check_expiration(expiration: dict[str, Any] | None) -> None:
    if expiration is None:
        return
    given = [name for name in ("Date", "Days", "ExpiredObjectDeleteMarker") if expiration.get(name) is not None]
    if len(given) != 1:
        raise MalformedXML()  # exactly one of the three (LocalStack, recorded for the marker)
    days = expiration.get("Days")
    if days is not None and days <= 0:
        raise InvalidArgument("'Days' for Expiration action must be a positive integer")
    _check_midnight(expiration.get("Date"))


def _check_midnight(date: object) -> None:
    if isinstance(date, datetime) and date.astimezone(UTC).time() != time(0):
        # Recorded from AWS (LocalStack's test_s3_api, test_lifecycle_expired_object_delete_marker
        # and the Date cases), with an ArgumentValue the recording masks: the date as the
        # request's ISO 8601 gave it (boto3's form, whole seconds unless it sent a fraction).
        sent = date.astimezone(UTC)
        text = sent.strftime("%Y-%m-%dT%H:%M:%S.%fZ" if sent.microsecond else "%Y-%m-%dT%H:%M:%SZ")
        raise InvalidArgument("'Date' must be at midnight GMT", ArgumentName="Date", ArgumentValue=text)


def delete_bucket_lifecycle(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = common.bucket(ctx, params["Bucket"])
    save_stored(ctx, found.name, "lifecycle", None)
    return {}


def get_object_lock_configuration(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = common.bucket(ctx, params["Bucket"])
    raise ObjectLockConfigurationNotFoundError(BucketName=found.name)


def get_bucket_notification_configuration(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    common.bucket(ctx, params["Bucket"])
    return {}


# --- attribute-based access control -----------------------------------------------------


def get_bucket_abac(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = common.bucket(ctx, params["Bucket"])
    # "By default, ABAC is disabled for all Amazon S3 general purpose buckets" ("Enabling ABAC
    # in general purpose buckets", S3 User Guide); authz.authorize reads the status.
    enabled = load_stored(ctx, found.name, "abac") is not None
    return {"AbacStatus": {"Status": "Enabled" if enabled else "Disabled"}}


def put_bucket_abac(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = common.bucket(ctx, params["Bucket"])
    status = (params.get("AbacStatus") or {}).get("Status")
    if status not in ("Enabled", "Disabled"):
        raise MalformedXML()
    save_stored(ctx, found.name, "abac", {"Status": "Enabled"} if status == "Enabled" else None)
    return {}


def get_bucket_accelerate_configuration(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = common.bucket(ctx, params["Bucket"])
    # Never set: no Status (recorded from AWS, LocalStack's test_s3_api snapshot,
    # test_bucket_acceleration_configuration_crud: get-bucket-default-accelerate-config).
    return load_stored(ctx, found.name, "accelerate") or {}


def put_bucket_accelerate_configuration(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = common.bucket(ctx, params["Bucket"])
    status = (params.get("AccelerateConfiguration") or {}).get("Status")
    # Recorded from AWS (test_bucket_acceleration_configuration_exc): a Status other than
    # Enabled or Suspended ("enabled", a random word) is MalformedXML, and a bucket whose name
    # has a period is refused ("The name of the bucket used for Transfer Acceleration must be
    # DNS-compliant and must not contain periods", PutBucketAccelerateConfiguration).
    if status not in ("Enabled", "Suspended"):
        raise MalformedXML()
    if "." in found.name:
        raise InvalidRequest("S3 Transfer Acceleration is not supported for buckets with periods (.) in their names")
    save_stored(ctx, found.name, "accelerate", {"Status": status})
    return {}


# --- replication -------------------------------------------------------------------------


def get_bucket_replication(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    stored = stored_or_missing(ctx, params, "replication", ReplicationConfigurationNotFoundError)
    return {"ReplicationConfiguration": stored}


def put_bucket_replication(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    """Kept and reported, never run: nothing is copied to the destinations.

    AWS's answers as recorded in LocalStack's test_s3 snapshot (TestS3BucketReplication): no
    rule is MalformedXML; a source bucket whose versioning is not Enabled, and a destination
    that does not exist or whose versioning is not Enabled, are InvalidRequest. "To perform
    this operation, the user or role performing the action must have the iam:PassRole
    permission" (PutBucketReplication, S3 API Reference): checked on the configuration's
    Role, passed to S3."""
    found = common.bucket(ctx, params["Bucket"])
    configuration = dict(params.get("ReplicationConfiguration") or {})
    rules = configuration.get("Rules") or []
    if not rules or len(rules) > MAX_REPLICATION_RULES:
        raise MalformedXML()  # "can contain a maximum of 1,000" (PutBucketReplication)
    if found.versioning != "Enabled":
        raise InvalidRequest("Versioning must be 'Enabled' on the bucket to apply a replication configuration")
    checked = [_check_replication_rule(ctx, dict(rule)) for rule in rules]
    first_schema = [rule for rule in checked if "Prefix" in rule]
    if len({rule["Destination"]["Bucket"] for rule in first_schema}) > 1:
        # Rules of the first schema share one destination: AWS's words as its users met them
        # (terraform-aws-modules/terraform-aws-s3-bucket#104; the code unconfirmed). Several
        # destinations take Filter rules ("Replicating objects to more than one destination").
        raise InvalidRequest("Number of distinct destination bucket ARNs cannot exceed 1")
    role = str(configuration.get("Role", ""))
    ctx.authorize("iam:PassRole", role, {"iam:PassedToService": "s3.amazonaws.com"})
    save_stored(ctx, found.name, "replication", {**configuration, "Rules": checked})
    return {}


def _check_replication_rule(ctx: CallContext, rule: dict[str, Any]) -> dict[str, Any]:
    if not rule.get("ID"):
        rule["ID"] = base64.b64encode(str(uuid.uuid4()).encode()).decode()  # S3 names it (form unconfirmed)
    if len(str(rule["ID"])) > MAX_RULE_ID:
        raise InvalidArgument("ID length should not exceed allowed limit of 255")  # as for lifecycle (unconfirmed)
    if ("Filter" in rule) == ("Prefix" in rule):
        # A rule is of the first schema (Prefix) or the second (Filter): with neither, S3
        # answered MalformedXML (crossplane-contrib/provider-aws#554, a rule without Filter,
        # Prefix, Priority and DeleteMarkerReplication); both is no rule of either schema.
        raise MalformedXML()
    if "Filter" in rule:
        # "When you add the Filter element in the configuration, you must also add the
        # following elements: DeleteMarkerReplication, Status, and Priority"
        # (PutBucketReplication); AWS's words for a missing DeleteMarkerReplication as quoted
        # by its users. A missing Priority is kept as 0, which GetBucketReplication then
        # answers ("The response also returns those elements"; S3's refusal, if any, is
        # unconfirmed).
        marker = rule.get("DeleteMarkerReplication")
        if marker is None:
            raise InvalidRequest(
                "DeleteMarkerReplication must be specified for this version of Cross Region Replication"
                " configuration schema"
            )
        rule.setdefault("Priority", 0)
        rule_filter = rule["Filter"] or {}
        if marker.get("Status") == "Enabled" and (rule_filter.get("Tag") or (rule_filter.get("And") or {}).get("Tags")):
            # "If your Filter includes a Tag element, the DeleteMarkerReplication Status must be
            # set to Disabled" (DeleteMarkerReplication, S3 API Reference; the words unconfirmed).
            raise InvalidRequest("Delete marker replication is not supported if any Tag filter is specified.")
    destination = str((rule.get("Destination") or {}).get("Bucket", ""))
    name = destination[len(common.BUCKET_ARN_PREFIX) :] if destination.startswith(common.BUCKET_ARN_PREFIX) else None
    target = ctx.tx.get_bucket(name) if name else None
    if target is None or target.versioning != "Enabled":
        # The same words for a destination that does not exist (recorded:
        # test_replication_config_without_filter, expected_error_dest_does_not_exist).
        raise InvalidRequest("Destination bucket must have versioning enabled.")
    return rule


def delete_bucket_replication(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = common.bucket(ctx, params["Bucket"])
    save_stored(ctx, found.name, "replication", None)  # 204 also when none was set (recorded)
    return {}


def has_replication(ctx: CallContext, bucket: str) -> bool:
    return ctx.tx.get_bucket_configuration(bucket, "replication") is not None

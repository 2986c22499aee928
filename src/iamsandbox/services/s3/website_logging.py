"""A bucket's static website and server access logging settings, kept as S3 keeps them:
PutBucketWebsite, GetBucketWebsite, DeleteBucketWebsite, PutBucketLogging and
GetBucketLogging (Amazon S3 API Reference, each operation's page; WebsiteConfiguration,
IndexDocument, RoutingRule, LoggingEnabled).

Stored as the other bucket configurations are (``bucket_configurations``, kinds "website"
and "logging"; configuration.py): the Put operation's parsed request, as JSON; deleting the
bucket deletes them.

- Website: RedirectAllRequestsTo alone ("If you specify this property, you can't specify
  any other property", WebsiteConfiguration), or an IndexDocument whose Suffix is not
  empty and holds no slash ("The suffix must not be empty and must not include a slash
  character", IndexDocument), with an optional ErrorDocument and RoutingRules ("the website
  configuration must provide an index document for the bucket, because some requests
  might not be redirected", PutBucketWebsite). A bucket without one answers
  NoSuchWebsiteConfiguration (404, "Error responses"); DeleteBucketWebsite answers 204
  whether or not there was one.
- Logging: LoggingEnabled names a TargetBucket that exists, belongs to the same account and
  lies in the same Region ("All logs are saved to buckets in the same AWS Region as the
  source bucket. To set the logging status of a bucket, you must be the bucket owner",
  PutBucketLogging); else InvalidTargetBucketForLogging (400, "Error responses": "The target
  bucket for logging does not exist, is not owned by you, or does not have the appropriate
  grants for the log-delivery group") or CrossLocationLoggingProhibitted (403). "To disable
  logging, you use an empty BucketLoggingStatus request element" (PutBucketLogging); a
  bucket never configured answers an empty BucketLoggingStatus.

Error messages marked "recorded" are AWS's as LocalStack's AWS-validated snapshots keep
them; the others are unconfirmed (S3-compatible servers' copies).

Known gaps: no website is served (no website endpoint, index or error document, redirect)
and no access log is ever written to the target bucket; the log-delivery grants or bucket
policy of the target bucket are not checked; TargetGrants are kept, not validated against
their grantees.
"""

from __future__ import annotations

from typing import Any

from ...errors import (
    AccessControlListNotSupported,
    CrossLocationLoggingProhibitted,
    InvalidArgument,
    InvalidRequest,
    InvalidTargetBucketForLogging,
    MalformedXML,
    NoSuchWebsiteConfiguration,
)
from ..context import CallContext
from . import acl, common
from .configuration import load_stored, save_stored, stored_or_missing

MAX_ROUTING_RULES = 50  # "You can have up to 50 routing rules" (Configuring redirects, S3 User Guide)
_PROTOCOLS = ("http", "https")
_BAD_PROTOCOL = (
    "Invalid protocol, protocol can be http or https. If not defined the protocol will be selected automatically."
)


# --- website -----------------------------------------------------------------------------


def get_bucket_website(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    return stored_or_missing(ctx, params, "website", NoSuchWebsiteConfiguration)


def put_bucket_website(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = common.bucket(ctx, params["Bucket"])  # NoSuchBucket comes before the body's errors
    configuration = {
        name: value for name, value in dict(params.get("WebsiteConfiguration") or {}).items() if value is not None
    }
    _check_website(configuration)
    save_stored(ctx, found.name, "website", configuration)
    return {}


def _check_website(configuration: dict[str, Any]) -> None:
    """S3's answer to a website configuration it refuses (messages recorded unless noted)."""
    redirect_all = configuration.get("RedirectAllRequestsTo")
    if redirect_all is not None:
        if len(configuration) > 1:
            raise InvalidArgument(
                "RedirectAllRequestsTo cannot be provided in conjunction with other Routing Rules.",
                ArgumentName="RedirectAllRequestsTo",
                ArgumentValue="not null",
            )
        if not redirect_all.get("HostName"):
            raise MalformedXML()  # HostName is required (RedirectAllRequestsTo)
        if redirect_all.get("Protocol") not in (None, *_PROTOCOLS):
            raise InvalidRequest(_BAD_PROTOCOL)
        return
    index = configuration.get("IndexDocument")
    if index is None:
        raise InvalidArgument(
            "A value for IndexDocument Suffix must be provided if RedirectAllRequestsTo is empty",
            ArgumentName="IndexDocument",
            ArgumentValue="null",
        )
    suffix = index.get("Suffix")
    if not suffix or "/" in str(suffix):
        raise InvalidArgument(
            "The IndexDocument Suffix is not well formed", ArgumentName="IndexDocument", ArgumentValue=str(suffix or "")
        )
    if "ErrorDocument" in configuration and not (configuration["ErrorDocument"] or {}).get("Key"):
        raise MalformedXML()  # Key is required (ErrorDocument)
    if "RoutingRules" in configuration:
        _check_routing_rules(configuration["RoutingRules"] or [])


def _check_routing_rules(rules: list[dict[str, Any]]) -> None:
    if not rules:
        raise MalformedXML()  # an empty RoutingRules element
    if len(rules) > MAX_ROUTING_RULES:
        # Worded as S3-compatible servers copy S3 (unconfirmed).
        raise InvalidRequest(
            f"{len(rules)} routing rules provided, the number of routing rules in a website configuration is"
            f" limited to {MAX_ROUTING_RULES}."
        )
    for rule in rules:
        redirect = rule.get("Redirect")
        if redirect is None:
            raise MalformedXML()  # Redirect is required (RoutingRule)
        if redirect.get("ReplaceKeyWith") is not None and redirect.get("ReplaceKeyPrefixWith") is not None:
            # "ReplaceKeyPrefixWith ... Not required if one of the siblings is present. Can be
            # present only if ReplaceKeyWith is not provided" (Redirect).
            raise InvalidRequest("You can only define ReplaceKeyPrefix or ReplaceKey but not both.")
        condition = rule.get("Condition")
        if condition is not None and not any(value is not None for value in condition.values()):
            raise InvalidRequest(
                "Condition cannot be empty. To redirect all requests without a condition, the condition element"
                " shouldn't be present."
            )
        if redirect.get("Protocol") not in (None, *_PROTOCOLS):
            raise InvalidRequest(_BAD_PROTOCOL)


def delete_bucket_website(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = common.bucket(ctx, params["Bucket"])
    save_stored(ctx, found.name, "website", None)  # 204 also when none was set
    return {}


# --- logging -----------------------------------------------------------------------------


def get_bucket_logging(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = common.bucket(ctx, params["Bucket"])
    return load_stored(ctx, found.name, "logging") or {}  # {}: an empty BucketLoggingStatus, logging disabled


def put_bucket_logging(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = common.bucket(ctx, params["Bucket"])
    enabled = (params.get("BucketLoggingStatus") or {}).get("LoggingEnabled")
    if enabled is None:
        save_stored(ctx, found.name, "logging", None)  # an empty BucketLoggingStatus: logging off
        return {}
    enabled = {name: value for name, value in dict(enabled).items() if value is not None}
    target_name = enabled.get("TargetBucket")
    if not target_name:
        raise MalformedXML()  # TargetBucket is required (LoggingEnabled)
    enabled.setdefault("TargetPrefix", "")  # recorded: S3 keeps an absent prefix as ""
    key_format = enabled.get("TargetObjectKeyFormat")
    if key_format is not None and (key_format.get("SimplePrefix") is None) == (
        key_format.get("PartitionedPrefix") is None
    ):
        raise MalformedXML()  # one of SimplePrefix and PartitionedPrefix (TargetObjectKeyFormat; unconfirmed)
    target = ctx.tx.get_bucket(str(target_name))
    if target is None:
        raise InvalidTargetBucketForLogging(
            "The target bucket for logging does not exist", TargetBucket=str(target_name)
        )  # recorded
    if target.account_id != found.account_id:
        # "is not owned by you" ("Error responses"); the message is unconfirmed.
        raise InvalidTargetBucketForLogging(
            "The owner for the bucket to be logged and the target bucket must be the same.",
            TargetBucket=target.name,
        )
    if target.region != found.region:
        # Recorded: S3 names the source's Region too when it is not us-east-1.
        locations = {"TargetBucketLocation": target.region}
        if found.region != common.US_EAST_1:
            locations = {"SourceBucketLocation": found.region, **locations}
        raise CrossLocationLoggingProhibitted(**locations)
    if enabled.get("TargetGrants") and acl.acls_disabled(target):
        # "If the target bucket for log delivery uses the bucket owner enforced setting for S3
        # Object Ownership, you can't use the Grantee request element to grant access to
        # others" (PutBucketLogging); the message is unconfirmed.
        raise AccessControlListNotSupported("Target grants not allowed for bucket owner enforced buckets")
    save_stored(ctx, found.name, "logging", {"LoggingEnabled": enabled})
    return {}

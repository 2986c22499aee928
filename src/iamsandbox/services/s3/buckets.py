"""S3 buckets: CreateBucket, DeleteBucket, HeadBucket, ListBuckets, GetBucketLocation,
bucket tagging, bucket policies, public access blocks and ownership controls (Amazon S3
API Reference; "Bucket naming rules" and "Blocking public access", "Controlling
ownership of objects" in the S3 User Guide).

- Names: 3 to 63 characters of lower-case letters, digits, dots and hyphens, beginning
  and ending with a letter or digit, no two adjacent dots, not an IP address, none of the
  reserved prefixes and suffixes.
- Location: a bucket is created in the region of the endpoint. In us-east-1 no
  LocationConstraint is given (naming us-east-1 is InvalidLocationConstraint); elsewhere
  it must name the endpoint's region (IllegalLocationConstraintException). Messages
  recorded from AWS in LocalStack's test_s3 snapshot (test_different_location_constraint).
- A name taken by the same account: BucketAlreadyOwnedByYou, except in us-east-1, where
  S3 answers 200 and does nothing ("Error responses", BucketAlreadyOwnedByYou: "in the
  North Virginia Region ... you will get 200 OK"); by another account: BucketAlreadyExists.
- New buckets have ObjectOwnership BucketOwnerEnforced and all four Block Public Access
  settings on (S3 defaults since April 2023; recorded in LocalStack's test_s3_api
  snapshot: default-ownership, get-default-public-access-block).
- A bucket policy is a resource policy whose every Resource names this bucket or its
  objects ("Policy has invalid resource" otherwise). Each Action and NotAction is "*" or
  an S3 action, a pattern matching at least one in the catalog of S3's actions
  (``cli/catalog.py``; "Policy has invalid action" otherwise, another service's action
  included). Each action of a statement's Action must apply to one of its Resources ("Action
  does not apply to any resource(s) in statement"): by the catalog's resource types, an
  action takes the bucket ARN, an object ARN, or neither; a wildcard action applies where
  one of the actions it matches does. NotAction, NotResource and Resource "*" are not
  checked. A condition key of S3's own must be one S3 defines ("Policy has an invalid
  condition key"). Each AWS principal that is a user or role ARN must name one that exists, as
  for a role's trust policy (``iam/documents.py``; "Invalid principal in policy"); an
  account ID or root ARN may name any account. A principal deleted after the policy was
  stored is not checked again. With BlockPublicPolicy on, PutBucketPolicy refuses a public
  policy (``authz/public.py`` says which are public).
- CreateBucket's ACL headers are checked against its Object Ownership (``acl.py``).

Known gaps: ACLs are not kept (``acl.py``). In-progress multipart uploads are aborted
when their bucket is deleted.
"""

from __future__ import annotations

import ipaddress
import json
import re
from fnmatch import fnmatchcase
from functools import cache, lru_cache
from typing import Any

from ...authz import public
from ...authz.context import request_tag_keys
from ...cli.catalog import Catalog, KeySet
from ...errors import (
    AccessDenied,
    BucketAlreadyExists,
    BucketAlreadyOwnedByYou,
    BucketNotEmpty,
    IllegalLocationConstraintException,
    InvalidArgument,
    InvalidBucketName,
    InvalidLocationConstraint,
    InvalidTag,
    LimitExceeded,
    MalformedPolicy,
    MalformedXML,
    MethodNotAllowed,
    NoSuchBucketPolicy,
    NoSuchPublicAccessBlockConfiguration,
    NoSuchTagSet,
    OwnershipControlsNotFoundError,
)
from ...policy import PolicyKind, Statement, parse_policy
from ...policy.match import compile_action
from ...store.interface import Bucket, BucketConfigurationKind, Conflict, Transaction
from ..context import CallContext
from ..iam.documents import missing_principal
from . import acl, common, tagging
from .listing import after_token, continuation_token

_NAME = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
_RESERVED_PREFIXES = ("xn--", "sthree-", "amzn-s3-demo-")
_RESERVED_SUFFIXES = ("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3")
OWNERSHIP = ("BucketOwnerEnforced", "BucketOwnerPreferred", "ObjectWriter")
_PAB_FLAGS = ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")
INCOMPATIBLE = "The {} location constraint is incompatible for the region specific endpoint this request was sent to."


def valid_bucket_name(name: str) -> bool:
    """The general purpose bucket naming rules (S3 User Guide), and DNS's label rule they
    come from: "a series of one or more labels. Adjacent labels are separated by a single
    period ... Each label must start and end with a lowercase letter or a number" (the same
    page's earlier wording: "my.-bucket" is invalid; Ceph's s3-tests, run against S3,
    expect InvalidBucketName for "foo.-bar" and "foo-.bar")."""
    if not _NAME.fullmatch(name) or ".." in name or ".-" in name or "-." in name:
        return False
    if name.startswith(_RESERVED_PREFIXES) or name.endswith(_RESERVED_SUFFIXES):
        return False
    try:
        ipaddress.IPv4Address(name)
    except ValueError:
        return True
    return False


def _location(params: dict[str, Any]) -> str | None:
    config = params.get("CreateBucketConfiguration")
    if config is not None and not config:
        # An empty <CreateBucketConfiguration/>: recorded from AWS (LocalStack's test_s3_api
        # snapshot, create-bucket-constraint-us-east-1-with-None).
        raise MalformedXML()
    config = config or {}
    value = config.get("LocationConstraint")
    if value is not None and not str(value):
        # An empty <LocationConstraint/>: recorded from S3 in versity/versitygw#1644 (400
        # InvalidLocationConstraint), "either for us-east-1" (localstack/localstack#10604).
        raise InvalidLocationConstraint(LocationConstraint="")
    return str(value) if value else None


def create_bucket(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    name = params["Bucket"]
    if not valid_bucket_name(name):
        raise InvalidBucketName(BucketName=name)
    constraint = _location(params)
    region = ctx.region
    if ctx.region == common.US_EAST_1:
        if constraint == common.US_EAST_1:
            raise InvalidLocationConstraint(LocationConstraint=constraint)
        if constraint is not None:
            # A request signed for us-east-1 is what the global endpoint s3.amazonaws.com
            # takes (boto3's and the AWS CLI's default for us-east-1), and "the request to
            # create the bucket ... is signed using us-east-1 ... even if the location
            # constraint in the request specifies another Region where the bucket is to be
            # created" (CreateBucket, S3 API reference): the bucket goes to the constraint's
            # Region. Only the regional endpoint refuses it, which a local server cannot tell
            # from the global one.
            if constraint not in _global_constraints():
                raise InvalidLocationConstraint(LocationConstraint=constraint)
            region = "eu-west-1" if constraint == "EU" else constraint
    elif constraint != ctx.region:
        raise IllegalLocationConstraintException(INCOMPATIBLE.format(constraint or "unspecified"))
    given = params.get("ObjectOwnership")
    ownership = "BucketOwnerEnforced" if given is None else given
    if ownership not in OWNERSHIP:
        # Recorded from AWS (LocalStack's test_s3_api snapshot, test_bucket_ownership_controls_exc).
        raise InvalidArgument(
            f"Invalid x-amz-object-ownership header: {ownership}", ArgumentName="x-amz-object-ownership"
        )
    ownership = acl.ownership_for_create(params, ctx.account_id)
    tags = _checked_tags((params.get("CreateBucketConfiguration") or {}).get("Tags"), creating=True)
    _authorize_settings(ctx, name, params, tags)
    existing = ctx.tx.get_bucket(name)
    if existing is not None:
        if existing.account_id != ctx.account_id:
            raise BucketAlreadyExists(BucketName=name)
        # The legacy 200 of us-east-1, but not with tags, the same or other ones (recorded
        # from AWS: LocalStack's test_s3_api snapshot,
        # test_create_bucket_with_tags_us_east_1_idempotency).
        if region == common.US_EAST_1 and existing.region == common.US_EAST_1 and not tags:
            return _created(existing)
        raise BucketAlreadyOwnedByYou(BucketName=name)
    try:
        created = ctx.tx.create_bucket(name, ctx.account_id, region)
    except Conflict:
        raise BucketAlreadyExists(BucketName=name) from None
    new_bucket_defaults(ctx.tx, name, ownership)
    if tags:
        ctx.tx.set_tags(ctx.account_id, common.bucket_arn(name), tags)
    if constraint == "EU":  # GetBucketLocation answers it as it was given (get_bucket_location)
        ctx.tx.set_bucket_configuration(name, LEGACY_EU, '{"LocationConstraint":"EU"}')
    return _created(created)


def new_bucket_defaults(tx: Transaction, name: str, ownership: str = "BucketOwnerEnforced") -> None:
    """What every new bucket has (CreateBucket, and the buckets ``iamsandbox demo`` makes):
    its Object Ownership, BucketOwnerEnforced unless asked otherwise, and all four Block
    Public Access settings on ("By default, new buckets, access points, and objects don't
    allow public access", "Blocking public access to your Amazon S3 storage")."""
    tx.set_bucket_attribute(name, "ownership_controls", ownership)
    tx.set_bucket_attribute(name, "public_access_block", json.dumps(dict.fromkeys(_PAB_FLAGS, True)))


@cache
def _global_constraints() -> frozenset[str]:
    """The LocationConstraint values of S3's model (BucketLocationConstraint) in the aws
    partition: what the global endpoint creates buckets in."""
    from botocore.loaders import create_loader

    shape = create_loader().load_service_model("s3", "service-2")["shapes"]["BucketLocationConstraint"]
    return frozenset(value for value in shape["enum"] if not value.startswith(("cn-", "us-gov-")))


@cache
def aws_regions() -> frozenset[str]:
    """The aws partition's Regions: what the global endpoint creates buckets in, and
    us-east-1 itself."""
    return (_global_constraints() - {"EU"}) | {common.US_EAST_1}


LEGACY_EU: BucketConfigurationKind = "location-eu"  # a bucket created with the constraint "EU"


def _authorize_settings(ctx: CallContext, name: str, params: dict[str, Any], tags: dict[str, str]) -> None:
    """The permissions a CreateBucket needs besides s3:CreateBucket (CreateBucket, S3 API
    Reference, Permissions): "If your CreateBucket request includes the
    x-amz-object-ownership header, then the s3:PutBucketOwnershipControls permission is
    required"; "if you specify an access control list (ACL) and set it to public-read,
    public-read-write, authenticated-read, or if you explicitly specify any other custom
    ACLs, both s3:CreateBucket and s3:PutBucketAcl permissions are required ... if you set
    the ACL to private, or if you don't specify any ACLs, only the s3:CreateBucket
    permission is required". With Tags: "You must have the s3:TagResource permission to
    create a general purpose bucket with tags" (CreateBucketConfiguration, S3 API
    Reference), checked with the tags as aws:RequestTag/* and aws:TagKeys (the Service
    Authorization Reference's keys of s3:TagResource)."""
    arn = common.bucket_arn(name)
    if tags:
        ctx.authorize("s3:TagResource", arn, request_tag_keys(tags))
    if params.get("ObjectOwnership") is not None:
        ctx.authorize("s3:PutBucketOwnershipControls", arn, {})
    canned = params.get("ACL")
    if (canned is not None and canned != "private") or any(params.get(grant) for grant in acl.GRANTS):
        ctx.authorize("s3:PutBucketAcl", arn, {})


def _created(found: Bucket) -> dict[str, Any]:
    # AWS answers "/NAME" in us-east-1 and the virtual-host URL elsewhere.
    if found.region == common.US_EAST_1:
        location = f"/{found.name}"
    else:
        location = f"http://{found.name}.s3.amazonaws.com/"
    # BucketArn, although the API reference says "only supported for S3 directory buckets":
    # AWS answers it for general purpose buckets too, in CreateBucket, HeadBucket
    # (x-amz-bucket-arn) and each ListBuckets entry (recorded from AWS in February 2026:
    # LocalStack's test_s3 snapshot, test_create_bucket_head_bucket and
    # test_delete_bucket_with_content; test_s3_list_operations, TestS3ListBuckets).
    return {"Location": location, "BucketArn": common.bucket_arn(found.name)}


def delete_bucket(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = common.bucket(ctx, params["Bucket"])
    if ctx.tx.has_object_versions(found.name):
        if found.versioning is None:
            raise BucketNotEmpty(BucketName=found.name)
        # Recorded from AWS (LocalStack's test_s3_api snapshot,
        # test_delete_versioned_bucket_with_objects): a version or delete marker remains.
        raise BucketNotEmpty(
            "The bucket you tried to delete is not empty. You must delete all versions in the bucket.",
            BucketName=found.name,
        )
    for upload in ctx.tx.list_multipart_uploads(found.name):
        ctx.tx.abort_multipart_upload(upload.upload_id)
    ctx.tx.delete_bucket(found.name)
    return {}


def head_bucket(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = common.bucket(ctx, params["Bucket"])
    # A general purpose bucket is no access point alias (HeadBucket's AccessPointAlias; S3's
    # answer "AccessPointAlias": false recorded in aws/aws-cli#8522).
    return {"BucketRegion": found.region, "AccessPointAlias": False, "BucketArn": common.bucket_arn(found.name)}


MAX_BUCKETS = 10_000
_LIST_BUCKETS_PARAMS = ("MaxBuckets", "ContinuationToken", "Prefix", "BucketRegion")


def list_buckets(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    prefix = params.get("Prefix") or ""
    region = params.get("BucketRegion")
    if region is not None and region not in aws_regions():
        # Recorded from AWS (LocalStack's test_s3_list_operations snapshot,
        # test_list_buckets_region_validation): no ArgumentValue.
        raise InvalidArgument(f"Argument value {region} is not a valid AWS Region", ArgumentName="bucket-region")
    found = [
        bucket
        for bucket in ctx.tx.list_buckets(ctx.account_id)
        if bucket.name.startswith(prefix) and (region is None or bucket.region == region)
    ]
    token = params.get("ContinuationToken")
    if token:
        # "ContinuationToken is obfuscated and is not a real bucket" (ListBuckets): opaque
        # as ListObjectsV2's, and refused alike when it is not one this listing gave.
        after = after_token(token)
        found = [bucket for bucket in found if bucket.name > after]
    limit = params.get("MaxBuckets")
    if limit is not None and not 1 <= limit <= MAX_BUCKETS:
        # MaxBuckets' range (ListBuckets, S3 API Reference); the wording is unconfirmed.
        raise InvalidArgument(
            f"Argument max-buckets must be an integer between 1 and {MAX_BUCKETS}",
            ArgumentName="max-buckets",
            ArgumentValue=str(limit),
        )
    out: dict[str, Any] = {"Owner": common.owner(ctx.account_id)}
    if limit is not None and len(found) > limit:
        found = found[:limit]
        out["ContinuationToken"] = continuation_token(found[-1].name)
    # BucketRegion: "If the request contains at least one valid parameter, it is included in
    # the response" (Bucket, S3 API reference): a plain `aws s3api list-buckets` has none.
    with_region = any(params.get(name) is not None for name in _LIST_BUCKETS_PARAMS)
    out["Buckets"] = [
        {"Name": bucket.name, "CreationDate": bucket.created, "BucketArn": common.bucket_arn(bucket.name)}
        for bucket in found
    ]
    if with_region:
        for entry, bucket in zip(out["Buckets"], found, strict=True):
            entry["BucketRegion"] = bucket.region
    if params.get("Prefix") is not None:
        out["Prefix"] = prefix
    return out


def get_bucket_location(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = common.bucket(ctx, params["Bucket"])
    # Recorded from AWS: null for us-east-1 (LocalStack's test_s3 snapshot); "EU" for a bucket
    # created with that constraint ("Buckets with a LocationConstraint of EU reside in
    # eu-west-1", GetBucketLocation; AWS's answer "EU" recorded in aws/aws-cli#8522), whose
    # HeadBucket region is eu-west-1.
    if found.region == common.US_EAST_1:
        return {"LocationConstraint": None}
    if found.region == "eu-west-1" and ctx.tx.get_bucket_configuration(found.name, LEGACY_EU) is not None:
        return {"LocationConstraint": "EU"}
    return {"LocationConstraint": found.region}


# --- tagging -------------------------------------------------------------------------------


def get_bucket_tagging(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = common.bucket(ctx, params["Bucket"])
    tags = ctx.tx.get_tags(common.bucket_arn(found.name))
    if not tags:
        raise NoSuchTagSet(BucketName=found.name)
    return {"TagSet": [{"Key": key, "Value": value} for key, value in tags.items()]}


def put_bucket_tagging(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = common.bucket(ctx, params["Bucket"])
    tags = _checked_tags((params.get("Tagging") or {}).get("TagSet"))
    ctx.tx.set_tags(found.account_id, common.bucket_arn(found.name), tags)
    return {}


# CreateBucket's words for a Tags key beginning with "aws:", without a TagKey element
# (recorded from AWS: LocalStack's test_s3_api snapshot, test_create_bucket_with_tags_exc).
CREATE_AWS_PREFIX = (
    'User-defined tag keys can\'t start with "aws:". This prefix is reserved for system tags. '
    'Remove "aws:" from your tag keys and try again.'
)


def _checked_tags(given: list[dict[str, Any]] | None, creating: bool = False) -> dict[str, str]:
    """A bucket's tags (PutBucketTagging's TagSet, CreateBucket's Tags when ``creating``), or
    InvalidTag. Two tags of one key in a CreateBucket are an InternalError (500) in that
    recording; here they are refused as PutBucketTagging refuses them."""
    tags: dict[str, str] = {}
    for tag in given or []:
        key = str(tag["Key"])
        if creating and key.lower().startswith("aws:"):
            raise InvalidTag(CREATE_AWS_PREFIX)
        # Duplicates and aws: keys recorded from AWS (LocalStack's test_s3_api snapshot,
        # test_tagging_validation); lengths and characters as for object tags.
        tagging.add_checked(tags, key, str(tag.get("Value", "")))
    if len(tags) > 50:
        raise InvalidTag("Object tags cannot be greater than 50")  # unconfirmed wording for buckets
    return tags


def delete_bucket_tagging(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = common.bucket(ctx, params["Bucket"])
    ctx.tx.set_tags(found.account_id, common.bucket_arn(found.name), {})
    return {}


# --- policy --------------------------------------------------------------------------------


def _names_bucket(resource: str, name: str) -> bool:
    """Whether a Resource of a bucket policy can name this bucket or objects in it."""
    if resource == "*":
        return True
    if not resource.startswith(common.BUCKET_ARN_PREFIX):
        return False
    bucket_part = resource[len(common.BUCKET_ARN_PREFIX) :].split("/", 1)[0]
    return fnmatchcase(name, bucket_part.replace("[", "[[]"))


@cache
def _s3_actions() -> frozenset[str]:
    """S3's actions, in lower case, from the Service Authorization Reference."""
    return frozenset(Catalog().actions("s3"))


@lru_cache(maxsize=1024)
def _valid_action(action: str) -> bool:
    """Whether a bucket policy may name ``action``: "*", or ``s3:`` and a name or pattern
    (``*``, ``?``) matching one of S3's actions, in any case."""
    if action == "*":
        return True
    vendor, _, name = action.partition(":")
    if vendor.lower() != "s3":
        return False  # another service's action (unconfirmed: see the tests)
    if "*" in name or "?" in name:
        matcher = compile_action(name)
        return any(matcher(known, {}) for known in _s3_actions())
    return name.lower() in _s3_actions()


@lru_cache(maxsize=1024)
def _valid_condition_key(key: str) -> bool:
    """Whether a bucket policy may name the condition key ``key``: any key of another vendor
    (``aws:``, ``kms:``, ...), and of S3's own the ones S3 defines (the Service Authorization
    Reference's, in any case). "Amazon S3 can test for semantic errors of this type that
    involve Amazon S3-specific conditions" ("Bucket policy examples using condition keys",
    S3 User Guide); the message is the one S3 users quote (unconfirmed in AWS's pages)."""
    vendor, _, _name = key.partition(":")
    return vendor.lower() != "s3" or key in _s3_condition_keys()


@cache
def _s3_condition_keys() -> KeySet:
    return Catalog().condition_keys("s3")


@cache
def _s3_action_targets() -> dict[str, frozenset[str]]:
    """``{lowercase S3 action: the kinds of bucket-policy resource it applies to}``: "bucket"
    and "object", the Service Authorization Reference's resource types of those names."""
    return {
        name: frozenset(t["name"] for t in details.get("resourceTypes", ()) if t["name"] in ("bucket", "object"))
        for name, details in Catalog().actions("s3").items()
    }


@lru_cache(maxsize=1024)
def _action_targets(action: str) -> frozenset[str]:
    """The resource kinds an Action that ``_valid_action`` accepted applies to: for a
    wildcard, those of every S3 action it matches."""
    targets = _s3_action_targets()
    name = action.partition(":")[2] if action != "*" else "*"
    if "*" in name or "?" in name:
        matcher = compile_action(name)
        return frozenset().union(*(kinds for known, kinds in targets.items() if matcher(known, {})))
    return targets.get(name.lower(), frozenset())


def _resource_kinds(resource: str) -> frozenset[str]:
    """Which of a bucket ARN and an object ARN a Resource of this bucket's policy can
    match: a "/" after the bucket name makes it an object; a "*" before any "/" can match
    both (a wildcard's "*" matches across "/")."""
    path = resource.partition(":::")[2]
    if "/" in path:
        return frozenset({"object"})
    return frozenset({"bucket", "object"}) if "*" in path else frozenset({"bucket"})


def _actions_apply(statement: Statement) -> bool:
    """S3's rule for a statement's Action and Resource: every action applies to one of the
    resources. Reported by S3 users for an object action on the bucket ARN alone, a bucket
    action on "bucket/*" alone, and s3:GetBucketAcl added to s3:PutObject on "bucket/*"
    (ministryofjustice/modernisation-platform#10761, #10762)."""
    if statement.action is None or statement.resource is None or "*" in statement.resource:
        return True
    kinds = frozenset().union(*(_resource_kinds(resource) for resource in statement.resource))
    return all(_action_targets(action) & kinds for action in statement.action)


def _policy_bucket(ctx: CallContext, name: str, method: str) -> Bucket:
    """The bucket whose policy the caller reads or writes. PutBucketPolicy (S3 API
    Reference; GetBucketPolicy and DeleteBucketPolicy say the same): "If you have the
    correct permissions, but you're not using an identity that belongs to the bucket
    owner's account, Amazon S3 returns a 405 Method Not Allowed error" (the error's
    ResourceType is unconfirmed)."""
    found = common.bucket(ctx, name)
    if found.account_id != ctx.account_id:
        raise MethodNotAllowed(Method=method, ResourceType="BUCKETPOLICY")
    return found


def put_bucket_policy(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = _policy_bucket(ctx, params["Bucket"], "PUT")
    text = params.get("Policy") or ""  # an empty body: MalformedPolicy, as for any non-JSON
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    try:
        policy = parse_policy(text, PolicyKind.RESOURCE)
    except LimitExceeded:
        raise MalformedPolicy("Policy exceeds the maximum allowed document size.") from None  # unconfirmed wording
    for statement in policy.statements:
        for resource in (statement.resource or ()) + (statement.not_resource or ()):
            if not _names_bucket(resource, found.name):
                raise MalformedPolicy("Policy has invalid resource")
    # The order of these checks is ours; AWS's, when one policy has several faults, is unconfirmed.
    for statement in policy.statements:
        if not all(_valid_action(action) for action in statement.action or statement.not_action or ()):
            raise MalformedPolicy("Policy has invalid action")
    for statement in policy.statements:
        if not _actions_apply(statement):
            raise MalformedPolicy("Action does not apply to any resource(s) in statement")
    for statement in policy.statements:
        if not all(_valid_condition_key(clause.key) for clause in statement.condition):
            raise MalformedPolicy("Policy has an invalid condition key")
    if missing_principal(ctx.tx, policy) is not None:
        raise MalformedPolicy("Invalid principal in policy")
    if common.public_access_blocked(found, "BlockPublicPolicy") and public.is_public(policy):
        raise AccessDenied(
            f"User: {ctx.caller.arn} is not authorized to perform: s3:PutBucketPolicy on resource: "
            f'"arn:aws:s3:::{found.name}" because public policies are blocked by the BlockPublicPolicy'
            " block public access setting."
        )
    ctx.tx.set_bucket_attribute(found.name, "policy", _as_stored(text))
    return {}


_ACCOUNT_ID = re.compile(r"\d{12}")


def _as_stored(text: str) -> str:
    """The policy as S3 keeps and answers it (called on a parsed policy):

    - compact: "spaces, newlines, etc.. are removed from policy which is returned from API"
      (k1LoW/awspec#87; the body S3 answered in aws/aws-cli#849 has no whitespace either),
      members in the order given;
    - an account given by its ID alone in Principal or NotPrincipal becomes the account's
      root ARN. "When you save a resource-based policy that includes the shortened account
      ID, the service might convert it to the principal ARN" ("AWS JSON policy elements:
      Principal"); S3 does (aws/aws-cdk#9334: a bucket policy saved with "AWS":
      "123456789123" reads back as "arn:aws:iam::123456789123:root").
    """
    document = json.loads(text)
    statements = document.get("Statement")
    for statement in statements if isinstance(statements, list) else [statements]:
        for element in ("Principal", "NotPrincipal"):
            principal = statement.get(element) if isinstance(statement, dict) else None
            if not isinstance(principal, dict) or "AWS" not in principal:
                continue
            values = principal["AWS"]
            listed = values if isinstance(values, list) else [values]
            rooted = [
                f"arn:aws:iam::{v}:root" if isinstance(v, str) and _ACCOUNT_ID.fullmatch(v) else v for v in listed
            ]
            principal["AWS"] = rooted if isinstance(values, list) else rooted[0]
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False)


def get_bucket_policy(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = _policy_bucket(ctx, params["Bucket"], "GET")
    if found.policy is None:
        raise NoSuchBucketPolicy(BucketName=found.name)
    return {"Policy": found.policy}


def delete_bucket_policy(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = _policy_bucket(ctx, params["Bucket"], "DELETE")
    ctx.tx.set_bucket_attribute(found.name, "policy", None)
    return {}


# --- public access block and ownership controls ----------------------------------------------


def get_public_access_block(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = common.bucket(ctx, params["Bucket"])
    if found.public_access_block is None:
        raise NoSuchPublicAccessBlockConfiguration(BucketName=found.name)
    flags = json.loads(found.public_access_block)
    return {"PublicAccessBlockConfiguration": {flag: bool(flags.get(flag, False)) for flag in _PAB_FLAGS}}


def put_public_access_block(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = common.bucket(ctx, params["Bucket"])
    given = params.get("PublicAccessBlockConfiguration") or {}
    flags = {flag: bool(given.get(flag, False)) for flag in _PAB_FLAGS}
    ctx.tx.set_bucket_attribute(found.name, "public_access_block", json.dumps(flags))
    return {}


def delete_public_access_block(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = common.bucket(ctx, params["Bucket"])
    ctx.tx.set_bucket_attribute(found.name, "public_access_block", None)
    return {}


def get_bucket_ownership_controls(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = common.bucket(ctx, params["Bucket"])
    if found.ownership_controls is None:
        raise OwnershipControlsNotFoundError(BucketName=found.name)
    return {"OwnershipControls": {"Rules": [{"ObjectOwnership": found.ownership_controls}]}}


def put_bucket_ownership_controls(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = common.bucket(ctx, params["Bucket"])
    rules = (params.get("OwnershipControls") or {}).get("Rules") or []
    values = [rule.get("ObjectOwnership") for rule in rules]
    if len(values) != 1 or values[0] not in OWNERSHIP:
        raise MalformedXML()
    ctx.tx.set_bucket_attribute(found.name, "ownership_controls", str(values[0]))
    return {}


def delete_bucket_ownership_controls(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = common.bucket(ctx, params["Bucket"])
    ctx.tx.set_bucket_attribute(found.name, "ownership_controls", None)
    return {}

"""A bucket's settings in the S3 console: the Permissions tab's "Block public access (bucket
settings)" and its Edit page, and the Properties tab (Bucket overview, Bucket Versioning with
Edit, Tags with Edit, Default encryption).

AWS (S3 User Guide): "Configuring block public access settings for your S3 buckets" (the
bucket, Permissions, Edit under "Block public access (bucket settings)"; "Block all public
access" or the four settings; "Save changes"; "When you're asked for confirmation, enter
confirm"; then Confirm), saved with PutPublicAccessBlock (the four flags as chosen: all off
is a configuration too); "Viewing the properties for an S3 bucket" (the Properties tab: AWS
Region, Amazon Resource Name (ARN), Creation date, Bucket Versioning, Tags, Default
encryption); "Enabling versioning on buckets" (Properties, Bucket Versioning, Edit, Suspend
or Enable, Save changes: PutBucketVersioning). Tags are saved with PutBucketTagging, or
DeleteBucketTagging when every row is removed.

Every read and write is an S3 operation as the console's principal (``page.call``): a refused
one shows S3's error (AccessDenied with its message) on the page that asked, and nothing is
saved.

The tab also shows, without editing them, Server access logging (and its destination), Event
notifications (their count), Transfer acceleration, Object Lock, Requester pays and Static
website hosting, each read with its Get operation.

Known gaps: Default encryption and the settings above are shown, not edited; MFA delete is
not offered (S3 answers NotImplemented here); AWS CloudTrail data events and other services'
settings are not shown.
"""

from __future__ import annotations

from ...errors import ServiceError
from ..app import PageContext
from ..web import Response, Routes
from .s3 import (
    PUBLIC_ACCESS_SETTINGS,
    _crumbs,
    _tabs,
    bucket_setting,
    permissions_url,
    properties_url,
    public_access_block,
    public_access_edit_url,
    time_text,
)

routes = Routes()

NO_OBJECT_LOCK = "ObjectLockConfigurationNotFoundError"  # GetObjectLockConfiguration: never set
NO_WEBSITE = "NoSuchWebsiteConfiguration"  # GetBucketWebsite: none

CONFIRM_WORD = "confirm"  # "When you're asked for confirmation, enter confirm"
# Not found in AWS's pages: unconfirmed wording.
CONFIRM_PROBLEM = 'To confirm the settings, enter "confirm" in the text input field.'  # unconfirmed wording
MAX_TAGS = 50  # "Using cost allocation S3 bucket tags": up to 50 tags a bucket
# "Protecting data with server-side encryption" (S3 User Guide): the console's names of the types.
ENCRYPTION_NAMES = {
    "AES256": "Server-side encryption with Amazon S3 managed keys (SSE-S3)",
    "aws:kms": "Server-side encryption with AWS Key Management Service keys (SSE-KMS)",
    "aws:kms:dsse": "Dual-layer server-side encryption with AWS Key Management Service keys (DSSE-KMS)",
}
# "Regions and Zones": the names the console shows next to a Region's code.
REGION_NAMES = {
    "us-east-1": "US East (N. Virginia)",
    "us-east-2": "US East (Ohio)",
    "us-west-1": "US West (N. California)",
    "us-west-2": "US West (Oregon)",
    "eu-west-1": "Europe (Ireland)",
    "eu-central-1": "Europe (Frankfurt)",
    "ap-southeast-1": "Asia Pacific (Singapore)",
    "ap-northeast-1": "Asia Pacific (Tokyo)",
}


def versioning_edit_url(bucket: str) -> str:
    return properties_url(bucket) + "/versioning/edit"


def tags_edit_url(bucket: str) -> str:
    return properties_url(bucket) + "/tags/edit"


# --- Block public access (bucket settings) ------------------------------------------------------


def _chosen(page: PageContext) -> dict[str, bool]:
    """The four settings as the form posts them; "Block all public access" turns all four on."""
    form = page.request.form
    every = form.get("block_all") == "on"
    return {flag: every or form.get(flag) == "on" for flag, _ in PUBLIC_ACCESS_SETTINGS}


def _public_access_page(
    page: PageContext,
    bucket: str,
    block: dict[str, bool],
    *,
    confirming: bool = False,
    status: int = 200,
    error: ServiceError | None = None,
    problem: str = "",
) -> Response:
    return page.render(
        "s3/public_access_edit.html",
        status,
        title="Edit Block public access (bucket settings)",
        bucket=bucket,
        crumbs=_crumbs(bucket, ""),
        block=block,
        settings=PUBLIC_ACCESS_SETTINGS,
        confirming=confirming,
        confirm_word=CONFIRM_WORD,
        action=public_access_edit_url(bucket),
        back=permissions_url(bucket),
        error=error,
        problem=problem,
    )


@routes.get("/console/s3/buckets/{bucket}/permissions/public-access-block/edit")
def public_access_form(page: PageContext) -> Response:
    bucket = page.params["bucket"]
    block, error = public_access_block(page, bucket)
    if error is not None:
        return _public_access_page(page, bucket, {}, status=error.status, error=error)
    return _public_access_page(page, bucket, block)


@routes.post("/console/s3/buckets/{bucket}/permissions/public-access-block/edit")
def public_access_save(page: PageContext) -> Response:
    """The form's "Save changes" asks for confirmation; once "confirm" is entered,
    PutPublicAccessBlock."""
    bucket = page.params["bucket"]
    block = _chosen(page)
    if page.request.form.get("step") != "confirm":
        return _public_access_page(page, bucket, block, confirming=True)
    if page.request.form.get("confirm", "").strip() != CONFIRM_WORD:
        return _public_access_page(page, bucket, block, confirming=True, status=400, problem=CONFIRM_PROBLEM)
    try:
        page.call("s3", "PutPublicAccessBlock", {"Bucket": bucket, "PublicAccessBlockConfiguration": block})
    except ServiceError as error:
        return _public_access_page(page, bucket, block, status=error.status, error=error)
    return page.redirect(permissions_url(bucket), blocked="1")


# --- Properties ------------------------------------------------------------------------------------


def _overview(page: PageContext, bucket: str) -> tuple[dict[str, str], ServiceError | None]:
    location, error = bucket_setting(page, "GetBucketLocation", bucket)
    if error is not None:
        return {}, error
    region = location.get("LocationConstraint") or "us-east-1"
    created = ""
    try:  # ListBuckets gives the creation date; refused, the date is not shown
        for found in page.call("s3", "ListBuckets", {"Prefix": bucket}).get("Buckets", []):
            if found["Name"] == bucket:
                created = time_text(found.get("CreationDate"))
    except ServiceError:
        pass
    name = REGION_NAMES.get(region)
    return {
        "region": f"{name} {region}" if name else region,
        "arn": f"arn:aws:s3:::{bucket}",
        "created": created,
    }, None


@routes.get("/console/s3/buckets/{bucket}/properties")
def properties_page(page: PageContext) -> Response:
    bucket = page.params["bucket"]
    overview, overview_error = _overview(page, bucket)
    versioning, versioning_error = bucket_setting(page, "GetBucketVersioning", bucket)
    tagging, tags_error = bucket_setting(page, "GetBucketTagging", bucket, absent="NoSuchTagSet")
    encryption, encryption_error = bucket_setting(page, "GetBucketEncryption", bucket)
    shown = _shown_settings(page, bucket)
    rules = (encryption.get("ServerSideEncryptionConfiguration") or {}).get("Rules") or [{}]
    default = rules[0].get("ApplyServerSideEncryptionByDefault") or {}
    algorithm = str(default.get("SSEAlgorithm", ""))
    status = overview_error.status if overview_error else 200
    return page.render(
        "s3/properties.html",
        status,
        title=f"{bucket} properties",
        bucket=bucket,
        crumbs=_crumbs(bucket, ""),
        overview=overview,
        overview_error=overview_error,
        # "Disabled" until versioning is first set (GetBucketVersioning answers no Status then).
        versioning=str(versioning.get("Status", "")) or "Disabled",
        versioning_error=versioning_error,
        versioning_edit_url=versioning_edit_url(bucket),
        tags=tagging.get("TagSet", []),
        tags_error=tags_error,
        tags_edit_url=tags_edit_url(bucket),
        encryption=ENCRYPTION_NAMES.get(algorithm, algorithm),
        bucket_key="Enabled" if rules[0].get("BucketKeyEnabled") else "Disabled",
        encryption_error=encryption_error,
        settings=shown,
        done=page.request.query.get("done", ""),
        **_tabs(bucket, "properties"),
    )


def _shown_settings(page: PageContext, bucket: str) -> list[tuple[str, list[tuple[str, str]], ServiceError | None]]:
    """The Properties tab's other sections, as shown and not edited here: (heading, rows,
    error), each read with its Get operation as the principal ("Viewing the properties for
    an S3 bucket": server access logging, event notifications, transfer acceleration, Object
    Lock, Requester pays, static website hosting). What S3 answers when a setting was never
    made (an empty answer, NoSuchWebsiteConfiguration, ObjectLockConfigurationNotFoundError)
    is "Disabled"."""
    logging, logging_error = bucket_setting(page, "GetBucketLogging", bucket)
    target = logging.get("LoggingEnabled") or {}
    logging_rows = [("Server access logging", "Enabled" if target else "Disabled")]
    if target:
        destination = f"s3://{target.get('TargetBucket', '')}/{target.get('TargetPrefix', '')}"
        logging_rows.append(("Destination", destination))
    notifications, notifications_error = bucket_setting(page, "GetBucketNotificationConfiguration", bucket)
    count = sum(
        len(notifications.get(kind) or [])
        for kind in ("TopicConfigurations", "QueueConfigurations", "LambdaFunctionConfigurations")
    )
    accelerate, accelerate_error = bucket_setting(page, "GetBucketAccelerateConfiguration", bucket)
    lock, lock_error = bucket_setting(page, "GetObjectLockConfiguration", bucket, absent=NO_OBJECT_LOCK)
    lock_enabled = (lock.get("ObjectLockConfiguration") or {}).get("ObjectLockEnabled") == "Enabled"
    payment, payment_error = bucket_setting(page, "GetBucketRequestPayment", bucket)
    website, website_error = bucket_setting(page, "GetBucketWebsite", bucket, absent=NO_WEBSITE)
    return [
        ("Server access logging", logging_rows, logging_error),
        ("Event notifications", [("Event notifications", str(count))], notifications_error),
        (
            "Transfer acceleration",
            [("Transfer acceleration", "Enabled" if accelerate.get("Status") == "Enabled" else "Disabled")],
            accelerate_error,
        ),
        ("Object Lock", [("Object Lock", "Enabled" if lock_enabled else "Disabled")], lock_error),
        (
            "Requester pays",
            [("Requester pays", "Enabled" if payment.get("Payer") == "Requester" else "Disabled")],
            payment_error,
        ),
        (
            "Static website hosting",
            [("Static website hosting", "Enabled" if website else "Disabled")],
            website_error,
        ),
    ]


def _versioning_page(
    page: PageContext, bucket: str, current: str, status: int = 200, error: ServiceError | None = None
) -> Response:
    return page.render(
        "s3/versioning_edit.html",
        status,
        title="Edit Bucket Versioning",
        bucket=bucket,
        crumbs=_crumbs(bucket, ""),
        current=current,
        action=versioning_edit_url(bucket),
        back=properties_url(bucket),
        error=error,
    )


@routes.get("/console/s3/buckets/{bucket}/properties/versioning/edit")
def versioning_form(page: PageContext) -> Response:
    bucket = page.params["bucket"]
    versioning, error = bucket_setting(page, "GetBucketVersioning", bucket)
    if error is not None:
        return _versioning_page(page, bucket, "", error.status, error)
    return _versioning_page(page, bucket, str(versioning.get("Status", "")))


@routes.post("/console/s3/buckets/{bucket}/properties/versioning/edit")
def versioning_save(page: PageContext) -> Response:
    bucket = page.params["bucket"]
    chosen = page.request.form.get("versioning", "")
    try:
        page.call("s3", "PutBucketVersioning", {"Bucket": bucket, "VersioningConfiguration": {"Status": chosen}})
    except ServiceError as error:
        return _versioning_page(page, bucket, chosen, error.status, error)
    return page.redirect(properties_url(bucket), done="versioning")


def _tag_rows(page: PageContext, remove: str = "remove") -> list[tuple[str, str]]:
    """The rows as the form posts them, without the one the Remove button named ``remove``
    names (the Upload page has a section of tags and one of metadata)."""
    keys, values = page.request.values("tag_key"), page.request.values("tag_value")
    rows = [(key.strip(), values[i] if i < len(values) else "") for i, key in enumerate(keys)]
    removed = page.request.form.get(remove, "")
    return [row for i, row in enumerate(rows) if str(i) != removed][:MAX_TAGS]


def _tags_page(
    page: PageContext, bucket: str, rows: list[tuple[str, str]], status: int = 200, error: ServiceError | None = None
) -> Response:
    return page.render(
        "s3/tags_edit.html",
        status,
        title="Edit bucket tags",
        bucket=bucket,
        crumbs=_crumbs(bucket, ""),
        rows=rows,
        action=tags_edit_url(bucket),
        back=properties_url(bucket),
        error=error,
        max_tags=MAX_TAGS,
    )


@routes.get("/console/s3/buckets/{bucket}/properties/tags/edit")
def tags_form(page: PageContext) -> Response:
    bucket = page.params["bucket"]
    tagging, error = bucket_setting(page, "GetBucketTagging", bucket, absent="NoSuchTagSet")
    if error is not None:
        return _tags_page(page, bucket, [], error.status, error)
    return _tags_page(page, bucket, [(tag["Key"], tag.get("Value", "")) for tag in tagging.get("TagSet", [])])


@routes.post("/console/s3/buckets/{bucket}/properties/tags/edit")
def tags_save(page: PageContext) -> Response:
    """The rows redrawn for "Add tag" and "Remove"; "Save changes" puts the rows with a key."""
    bucket = page.params["bucket"]
    rows = _tag_rows(page)
    action = page.request.form.get("action", "save")
    if action == "add":
        return _tags_page(page, bucket, [*rows, ("", "")][:MAX_TAGS])
    if page.request.form.get("remove"):
        return _tags_page(page, bucket, rows)
    tag_set = [{"Key": key, "Value": value} for key, value in rows if key]
    try:
        if tag_set:
            page.call("s3", "PutBucketTagging", {"Bucket": bucket, "Tagging": {"TagSet": tag_set}})
        else:
            page.call("s3", "DeleteBucketTagging", {"Bucket": bucket})
    except ServiceError as error:
        return _tags_page(page, bucket, rows, error.status, error)
    return page.redirect(properties_url(bucket), done="tags")

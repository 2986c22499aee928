"""The S3 console's "Create bucket" page.

AWS (S3 User Guide, "Creating a general purpose bucket", Using the S3 console): "AWS Region",
"Bucket name", "Object Ownership" ("ACLs disabled (recommended)", the default: bucket owner
enforced; or "ACLs enabled" with "Bucket owner preferred" or "Object writer"), "Block Public
Access settings for this bucket" ("Block all public access" on by default, or the four
settings; turning any off asks to acknowledge "I acknowledge that the current settings might
result in this bucket and the objects within becoming public."), "Bucket Versioning"
("Disable" or "Enable"), "Tags - optional", "Default encryption" (SSE-S3 by default, or
SSE-KMS with a key and "Bucket Key"), then "Create bucket".

The bucket is made with CreateBucket (CreateBucketConfiguration's LocationConstraint for a
Region other than us-east-1, and ObjectOwnership when ACLs are enabled), then each setting is its own call, as the
console makes them: PutPublicAccessBlock (the four settings as chosen), PutBucketVersioning
when Enable is chosen, PutBucketTagging when a tag has a key, PutBucketEncryption (the type
chosen). All run as the console's principal (``page.call``): a refused CreateBucket shows
S3's error on this page, the form as filled in; a refused setting leaves the bucket made and
the bucket list says which call failed, with S3's error.

Known gaps: no "Copy settings from existing bucket", "Bucket type" (directory buckets),
Object Lock or DSSE-KMS; the KMS key is typed as an ARN, not chosen from a list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ...errors import ServiceError
from ..app import PageContext
from ..web import Response, Routes
from .s3 import CREATE_BUCKET_URL, PUBLIC_ACCESS_SETTINGS, bucket_url, buckets_page_for
from .s3_bucket_settings import ENCRYPTION_NAMES, MAX_TAGS, REGION_NAMES

routes = Routes()

DEFAULT_REGION = "us-east-1"
ACKNOWLEDGE = (
    "I acknowledge that the current settings might result in this bucket and the objects within becoming public."
)
# What the console says when the acknowledgement is left unticked (unconfirmed wording).
ACKNOWLEDGE_PROBLEM = "To turn off Block all public access, acknowledge that the bucket might become public."
# What the S3 console says when you create a bucket you already have (unconfirmed wording:
# not found in AWS's pages; the API's CreateBucket in us-east-1 answers 200 to its owner,
# "CreateBucket", S3 API Reference, so the console checks the list first).
BUCKET_EXISTS = "Bucket with the same name already exists"
OWNERSHIP_WITH_ACLS = {"BucketOwnerPreferred": "Bucket owner preferred", "ObjectWriter": "Object writer"}


@dataclass
class NewBucket:
    """The form as filled in."""

    name: str = ""
    region: str = DEFAULT_REGION
    acls_enabled: bool = False
    ownership_with_acls: str = "BucketOwnerPreferred"
    block: dict[str, bool] = field(default_factory=lambda: dict.fromkeys(dict(PUBLIC_ACCESS_SETTINGS), True))
    acknowledged: bool = False
    versioning: bool = False
    tags: list[tuple[str, str]] = field(default_factory=lambda: [("", "")])
    encryption: str = "AES256"
    kms_key: str = ""
    bucket_key: bool = True

    @classmethod
    def from_form(cls, page: PageContext) -> NewBucket:
        form = page.request.form
        every = form.get("block_all") == "on"
        keys, values = page.request.values("tag_key"), page.request.values("tag_value")
        tags = [(key.strip(), values[i] if i < len(values) else "") for i, key in enumerate(keys)][:MAX_TAGS]
        region = form.get("region", DEFAULT_REGION)
        ownership = form.get("ownership_with_acls", "")
        return cls(
            name=form.get("bucket", "").strip(),
            region=region if region in REGION_NAMES else DEFAULT_REGION,
            acls_enabled=form.get("ownership") == "acls-enabled",
            ownership_with_acls=ownership if ownership in OWNERSHIP_WITH_ACLS else "BucketOwnerPreferred",
            block={flag: every or form.get(flag) == "on" for flag, _ in PUBLIC_ACCESS_SETTINGS},
            acknowledged=form.get("acknowledge") == "on",
            versioning=form.get("versioning") == "Enabled",
            tags=tags,
            encryption="aws:kms" if form.get("encryption") == "aws:kms" else "AES256",
            kms_key=form.get("kms_key", "").strip(),
            bucket_key=form.get("bucket_key", "Enabled") == "Enabled",
        )

    @property
    def ownership(self) -> str:
        """CreateBucket's ObjectOwnership."""
        return self.ownership_with_acls if self.acls_enabled else "BucketOwnerEnforced"

    @property
    def public(self) -> bool:
        """Any of the four settings off: the console asks for the acknowledgement."""
        return not all(self.block.values())

    def encryption_param(self) -> dict[str, Any]:
        default: dict[str, str] = {"SSEAlgorithm": self.encryption}
        rule: dict[str, Any] = {"ApplyServerSideEncryptionByDefault": default}
        if self.encryption == "aws:kms":
            if self.kms_key:
                default["KMSMasterKeyID"] = self.kms_key
            rule["BucketKeyEnabled"] = self.bucket_key
        return {"Rules": [rule]}


def _form(
    page: PageContext,
    chosen: NewBucket,
    status: int = 200,
    error: ServiceError | None = None,
    problem: str = "",
) -> Response:
    return page.render(
        "s3/create_bucket.html",
        status,
        title="Create bucket",
        s3_section="buckets",
        b=chosen,
        regions=REGION_NAMES,
        settings=PUBLIC_ACCESS_SETTINGS,
        acknowledge=ACKNOWLEDGE,
        ownership_with_acls=OWNERSHIP_WITH_ACLS,
        encryption_names=ENCRYPTION_NAMES,
        max_tags=MAX_TAGS,
        action="/console/s3/buckets",
        error=error,
        problem=problem,
    )


@routes.get(CREATE_BUCKET_URL)
def create_bucket_form(page: PageContext) -> Response:
    return _form(page, NewBucket())


@routes.post("/console/s3/buckets")
def create_bucket(page: PageContext) -> Response:
    chosen = NewBucket.from_form(page)
    if page.request.form.get("action") == "addtag":
        chosen.tags = [*chosen.tags, ("", "")][:MAX_TAGS]
        return _form(page, chosen)
    if chosen.public and not chosen.acknowledged:
        return _form(page, chosen, 400, problem=ACKNOWLEDGE_PROBLEM)
    try:
        # Unreadable list: CreateBucket alone decides (BucketAlreadyOwnedByYou outside us-east-1).
        owned = page.call("s3", "ListBuckets", {}).get("Buckets", [])
    except ServiceError:
        owned = []
    if any(bucket["Name"] == chosen.name for bucket in owned):
        return _form(page, chosen, 409, problem=BUCKET_EXISTS)
    params: dict[str, Any] = {"Bucket": chosen.name}
    if chosen.acls_enabled:
        # x-amz-object-ownership only when ACLs are chosen: the header needs
        # s3:PutBucketOwnershipControls (CreateBucket, Permissions), and without it S3
        # applies BucketOwnerEnforced, the default, anyway.
        params["ObjectOwnership"] = chosen.ownership
    if chosen.region != DEFAULT_REGION:
        params["CreateBucketConfiguration"] = {"LocationConstraint": chosen.region}
    try:
        page.call("s3", "CreateBucket", params)
    except ServiceError as error:
        return _form(page, chosen, error.status, error)
    for operation, setting in _settings(chosen):
        try:
            page.call("s3", operation, {"Bucket": chosen.name, **setting})
        except ServiceError as error:
            return buckets_page_for(page, error.status, error, created_partly=chosen.name, failed_operation=operation)
    return page.redirect(bucket_url(chosen.name, created="1"))


def _settings(chosen: NewBucket) -> list[tuple[str, dict[str, Any]]]:
    """The calls after CreateBucket, in the console's order."""
    calls: list[tuple[str, dict[str, Any]]] = [
        ("PutPublicAccessBlock", {"PublicAccessBlockConfiguration": chosen.block}),
    ]
    if chosen.versioning:
        calls.append(("PutBucketVersioning", {"VersioningConfiguration": {"Status": "Enabled"}}))
    tag_set = [{"Key": key, "Value": value} for key, value in chosen.tags if key]
    if tag_set:
        calls.append(("PutBucketTagging", {"Tagging": {"TagSet": tag_set}}))
    calls.append(("PutBucketEncryption", {"ServerSideEncryptionConfiguration": chosen.encryption_param()}))
    return calls

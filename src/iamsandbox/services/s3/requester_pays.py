"""Requester Pays buckets: PutBucketRequestPayment, GetBucketRequestPayment, and who must
say ``x-amz-request-payer: requester``.

S3 User Guide, "Using Requester Pays general purpose buckets for storage transfers and
usage" and "Downloading objects from Requester Pays buckets":

- "If you enable Requester Pays on a general purpose bucket, anonymous access to that
  bucket is not allowed."
- "For DELETE, GET, HEAD, POST, and PUT requests, include x-amz-request-payer : requester
  in the header; for signed URLs, include x-amz-request-payer=requester in the request ...
  If x-amz-request-payer is not in the request, Amazon S3 returns a 403 error".
- "Bucket owners do not need to add x-amz-request-payer to their requests", and "when the
  requester assumes an IAM role before making their request, the account to which the role
  belongs is charged": the payer is an account, so a principal of the bucket owner's
  account is the bucket owner here.
- "If the request succeeds and the requester is charged, the response includes the header
  x-amz-request-charged:requester".

Which requests: those whose input in botocore's S3 model has the RequestPayer member
(GetObject, PutObject, the listings, multipart uploads, ...; not bucket settings such as
GetBucketPolicy). A copy pays for its source too: "If either the source or destination S3
bucket has Requester Pays enabled, the requester will pay" (the RequestPayer member's
documentation). The 403 is AccessDenied, "Access Denied" (its wording unconfirmed).
"""

from __future__ import annotations

from typing import Any

from ...errors import AccessDenied, MalformedXML
from ...store.interface import BucketConfigurationKind, Transaction
from ..context import CallContext
from . import common, configuration

KIND: BucketConfigurationKind = "request-payment"
REQUESTER = "requester"  # the RequestPayer and RequestCharged enums' one value


def is_requester_pays(tx: Transaction, bucket: str) -> bool:
    return tx.get_bucket_configuration(bucket, KIND) is not None


def charged(tx: Transaction, bucket: str, bucket_account: str, caller_account: str | None, payer: Any) -> bool:
    """Whether the caller pays for a request to ``bucket``: False for the bucket owner's
    account or a bucket that is not Requester Pays; True when the caller said it pays;
    AccessDenied for anyone else (anonymous callers always)."""
    if caller_account == bucket_account or not is_requester_pays(tx, bucket):
        return False
    if caller_account is None or payer != REQUESTER:
        raise AccessDenied("Access Denied")
    return True


def get_bucket_request_payment(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = common.bucket(ctx, params["Bucket"])
    return {"Payer": "Requester" if is_requester_pays(ctx.tx, found.name) else "BucketOwner"}


def put_bucket_request_payment(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    """Payer Requester or BucketOwner (the Payer enum); anything else is MalformedXML."""
    found = common.bucket(ctx, params["Bucket"])
    payer = (params.get("RequestPaymentConfiguration") or {}).get("Payer")
    if payer not in ("Requester", "BucketOwner"):
        raise MalformedXML()
    configuration.save_stored(ctx, found.name, KIND, {"Payer": "Requester"} if payer == "Requester" else None)
    return {}

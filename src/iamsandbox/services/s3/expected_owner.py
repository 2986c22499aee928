"""Bucket owner condition: ``x-amz-expected-bucket-owner`` (ExpectedBucketOwner) and, on
copies, ``x-amz-source-expected-bucket-owner`` (ExpectedSourceBucketOwner).

S3 User Guide, "Verifying bucket ownership with bucket owner condition": "Amazon S3 then
checks the bucket owner's account ID before processing each request. If the actual bucket
owner doesn't match the expected bucket owner, the request fails" with Access Denied; the
API reference of each operation: "the request fails with the HTTP status code 403
Forbidden (access denied)". A value that is not an account ID is refused first:
InvalidBucketOwnerAWSAccountID, 400 ("Error responses", S3 API Reference; the message's
"... [value]" tail is as other emulators record AWS's, unconfirmed).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ...errors import AccessDenied, InvalidBucketOwnerAWSAccountID

_ACCOUNT_ID = re.compile(r"[0-9]{12}")
PARAMS = ("ExpectedBucketOwner", "ExpectedSourceBucketOwner")


def validate(params: Mapping[str, Any]) -> None:
    """Refuse an expected owner that is not a 12-digit account ID (before authorization)."""
    for name in PARAMS:
        value = params.get(name)
        if value is not None and not _ACCOUNT_ID.fullmatch(str(value)):
            raise InvalidBucketOwnerAWSAccountID(
                f"The value of the expected bucket owner parameter must be an AWS Account ID... [{value}]"
            )


def check(owner_account: str, expected: str | None) -> None:
    """AccessDenied when the bucket's owner (``owner_account``) is not the expected one (a
    missing bucket is answered before: NoSuchBucket)."""
    if expected is not None and owner_account != expected:
        raise AccessDenied("Access Denied")

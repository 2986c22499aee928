"""Server-side encryption of an object ("Protecting data with server-side encryption", S3
User Guide; the x-amz-server-side-encryption* headers of PutObject, CopyObject and
CreateMultipartUpload in the S3 API Reference).

- Every object is encrypted: with the write's x-amz-server-side-encryption when it gives
  one, else with the bucket's default encryption (PutBucketEncryption) as it is at the
  write, else SSE-S3 (AES256: "all new object uploads to Amazon S3 are automatically
  encrypted"). A copy takes the request's or its destination bucket's, not the source's
  ("Specifying server-side encryption ... when you copy an object": the target bucket's
  default applies unless the request names one).
- The values S3 takes are AES256, aws:kms and aws:kms:dsse; another is InvalidArgument
  "The encryption method specified is not supported". A KMS key id without aws:kms or
  aws:kms:dsse is InvalidArgument "Server Side Encryption with AWS KMS managed key requires
  HTTP header x-amz-server-side-encryption : aws:kms". (Both messages as S3 answers them in
  the S3-compatible servers that copy its errors; unconfirmed from AWS's own pages.)
- SSE-KMS without a key id uses the account's AWS managed key for S3 (aws/s3) in the
  bucket's Region, answered as its key ARN, and so does its alias alias/aws/s3 ("S3 always
  returns KMS Key ARN ... for a newly created object", a maintainer of awslabs/mountpoint-s3
  in its PR 907); a key id or another alias is answered as a key ARN in the bucket's account
  and Region (an alias as an alias ARN: S3 resolves it through KMS, which this server does
  not have). A key id that is none of KMS's forms (a key ID, "mrk-" and 32 hex digits, an
  alias, an ARN) is 400 KMS.NotFoundException "Invalid keyId 'fake-key-id'", and an ARN of
  another Region than the bucket's "Invalid arn us-west-2" (recorded from AWS, LocalStack's
  test_s3 snapshot, test_s3_sse_validate_kms_key); a well-formed id of no key is taken.
  GetObject, HeadObject and every write answer the object's ServerSideEncryption,
  SSEKMSKeyId for KMS, and BucketKeyEnabled when it is on; a KMS write that names no
  BucketKeyEnabled takes the bucket's (recorded, test_s3_sse_default_kms_key).

Not modelled: KMS itself. S3 calls kms:GenerateDataKey and kms:Decrypt as the caller, so in
AWS a principal needs those permissions on the key (and an AWS managed key cannot be used
from another account); here only the s3: actions are authorized.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import replace
from typing import Any

from ...errors import InvalidArgument, KmsNotFound
from ...store.interface import Bucket, ObjectHeaders
from ..context import CallContext
from . import common, configuration

_HEADER = "x-amz-server-side-encryption"
_MANAGED_ALIAS = "alias/aws/s3"  # the AWS managed key's alias, which S3 answers as the key's ARN
_AWS_MANAGED_KEY = uuid.UUID("6f8b1c52-4ad5-4b2b-9a47-3e54a4c4d1b7")  # a namespace for aws/s3's ids


def check(params: dict[str, Any]) -> None:
    """The request's encryption headers (module docstring)."""
    algorithm = params.get("ServerSideEncryption")
    if algorithm is not None and algorithm not in configuration.SSE_ALGORITHMS:
        raise InvalidArgument(
            "The encryption method specified is not supported", ArgumentName=_HEADER, ArgumentValue=str(algorithm)
        )
    if params.get("SSEKMSKeyId") is not None and algorithm not in configuration.KMS_ALGORITHMS:
        raise InvalidArgument(
            "Server Side Encryption with AWS KMS managed key requires HTTP header"
            " x-amz-server-side-encryption : aws:kms",
            ArgumentName=_HEADER,
            ArgumentValue=str(algorithm or "null"),
        )


def apply(ctx: CallContext, bucket: Bucket, params: dict[str, Any], headers: ObjectHeaders) -> ObjectHeaders:
    """``headers`` with the encryption the write gives its object (module docstring)."""
    check(params)
    algorithm = params.get("ServerSideEncryption")
    key_id = params.get("SSEKMSKeyId")
    bucket_key = params.get("BucketKeyEnabled")
    if algorithm is None:
        rule = configuration.encryption_rule(ctx, bucket.name)
        default = rule["ApplyServerSideEncryptionByDefault"]
        algorithm = default["SSEAlgorithm"]
        key_id = default.get("KMSMasterKeyID")
        if bucket_key is None:
            bucket_key = rule["BucketKeyEnabled"]
    if algorithm not in configuration.KMS_ALGORITHMS:
        return replace(headers, server_side_encryption=algorithm, sse_kms_key_id=None, bucket_key_enabled=False)
    if params.get("SSEKMSKeyId") is not None:
        _check_key_id(str(params["SSEKMSKeyId"]), bucket.region)
    if bucket_key is None:
        # The bucket's S3 Bucket Key setting holds for a KMS write that names none (recorded
        # from AWS, LocalStack's test_s3 snapshot, test_s3_sse_default_kms_key).
        bucket_key = configuration.encryption_rule(ctx, bucket.name)["BucketKeyEnabled"]
    return replace(
        headers,
        server_side_encryption=algorithm,
        sse_kms_key_id=_key_arn(str(key_id) if key_id else None, bucket.region, bucket.account_id),
        bucket_key_enabled=bool(bucket_key),
    )


_KEY_ID = re.compile(r"(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})")


def _check_key_id(key_id: str, region: str) -> None:
    """A key id S3 refuses before asking KMS (module docstring)."""
    if key_id.startswith("arn:"):
        named = key_id.split(":")[3] if key_id.count(":") >= 5 else ""
        if named != region:
            raise KmsNotFound(f"Invalid arn {named}")
    elif not key_id.startswith("alias/") and not _KEY_ID.fullmatch(key_id):
        raise KmsNotFound(f"Invalid keyId '{key_id}'")


def _key_arn(key_id: str | None, region: str, account: str) -> str:
    if key_id is None or key_id == _MANAGED_ALIAS or key_id.endswith(f":{_MANAGED_ALIAS}"):
        return f"arn:aws:kms:{region}:{account}:key/{uuid.uuid5(_AWS_MANAGED_KEY, f'{account}/{region}')}"
    if key_id.startswith("arn:"):
        return key_id
    name = key_id if key_id.startswith("alias/") else f"key/{key_id}"
    return f"arn:aws:kms:{region}:{account}:{name}"


def members(headers: ObjectHeaders) -> dict[str, Any]:
    """The response members of an object's encryption."""
    out: dict[str, Any] = {"ServerSideEncryption": headers.server_side_encryption or common.SSE}
    if headers.sse_kms_key_id is not None:
        out["SSEKMSKeyId"] = headers.sse_kms_key_id
    if headers.bucket_key_enabled:
        out["BucketKeyEnabled"] = True
    return out

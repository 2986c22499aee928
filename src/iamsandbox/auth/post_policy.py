"""S3's browser-based uploads: a POST of an HTML form to a bucket, signed by a POST policy.

"Authenticating Requests in Browser-Based Uploads Using POST (AWS Signature Version 4)" and
"Creating a POST Policy" (S3 API Reference), which this module follows:

- The form's fields precede the file: "The file or content must be the last field in the
  form. Any fields below it are ignored." The fields before it may take 20 KB.
- The policy is a base64-encoded JSON document with an ``expiration`` and ``conditions``.
  The signature is the hex HMAC-SHA256 of that base64 text, with the SigV4 signing key of
  ``x-amz-credential``'s scope: "For signature calculation, the StringToSign is the
  Base64-encoded POST policy".
- Conditions: exact matches (``{"acl": "public-read"}`` or ``["eq", "$acl",
  "public-read"]``), ``["starts-with", "$key", "user/eric/"]`` (an empty prefix allows any
  value) and ``["content-length-range", min, max]``. "Each form field that you specify in a
  form (except x-amz-signature, file, policy, and field names that have an x-ignore-
  prefix) must appear in the list of conditions."
- A failed check is 403 AccessDenied "Invalid according to Policy: ..." in S3's recorded
  words ("Policy expired.", "Policy Condition failed: [...]", "Extra input fields: ...").

A form without a policy is an anonymous upload, which only a bucket policy can allow.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..errors import (
    AccessDenied,
    EntityTooLarge,
    EntityTooSmall,
    InvalidArgument,
    InvalidPolicyDocument,
    MaxPostPreDataLengthExceeded,
)
from ..protocol.form_data import FormPart
from .dialects import S3Dialect
from .signing import ALGORITHM, CredentialScope, SigningKeyCache, parse_amz_date
from .sigv2 import SIGNATURE_VERSION as V2_SIGNATURE_VERSION
from .sigv4 import key_secret

# "The maximum allowed size of the form fields, excluding the file, is 20 KB" (MaxPostPreDataLengthExceeded).
MAX_FIELDS_BYTES = 20 * 1024
# Fields the policy need not cover (SigV2's forms: AWSAccessKeyId and signature too).
_UNCOVERED = frozenset({"x-amz-signature", "file", "policy", "awsaccesskeyid", "signature"})
# Fields whose value the conditions see as the request has it, not as the form does.
_SIGV4_FIELDS = ("x-amz-algorithm", "x-amz-credential", "x-amz-date", "x-amz-signature")
# The fields that sign a form, either version: a form with a policy and none of them is an
# anonymous upload (recorded from AWS: 403 AccessDenied, LocalStack's test_s3 snapshot,
# test_post_request_missing_fields, exception-no-sig-related-fields).
_SIGNING_FIELDS = (*_SIGV4_FIELDS, "awsaccesskeyid", "signature")
# How S3 names a missing SigV4 field (the same recordings: 'X-Amz-Signature', 'X-Amz-Algorithm').
_FIELD_NAMES = {name: "-".join(part.capitalize() for part in name.split("-")) for name in _SIGV4_FIELDS}


@dataclass(frozen=True)
class PostForm:
    """The form as S3 reads it: the fields before the file (names in lower case, the values
    of a repeated name joined by commas) and the file."""

    fields: dict[str, str]
    file: FormPart | None

    @classmethod
    def read(cls, parts: Sequence[FormPart]) -> PostForm:
        fields: dict[str, str] = {}
        size = 0
        for part in parts:
            name = part.name.lower()
            if name == "file":
                return cls(fields, part)
            size += len(part.data) + len(part.name)
            if size > MAX_FIELDS_BYTES:
                raise MaxPostPreDataLengthExceeded()
            # "If you have multiple fields with the same name, the values must be separated
            # by commas" ("Browser-Based Uploads Using POST", HTTP POST forms): one value.
            fields[name] = f"{fields[name]},{part.text}" if name in fields else part.text
        return cls(fields, None)

    def expand(self, value: str) -> str:
        """``value`` with ``${filename}`` replaced: "${filename} is automatically replaced with
        the name of the file provided by the user and is recognized by all form fields. If the
        browser or client provides a full or partial path to the file, only the text following
        the last slash (/) or backslash (\\) will be used" (HTTP POST forms, S3 User Guide)."""
        if "${filename}" not in value or self.file is None or self.file.filename is None:
            # A file part without a file name (the file sent as a plain field) leaves
            # "${filename}" as written: recorded from AWS, the key "file-as-field-${filename}"
            # (LocalStack's test_s3 snapshot, test_post_object_with_file_as_string).
            return value
        return value.replace("${filename}", self.file.filename.replace("\\", "/").rpartition("/")[2])

    def key(self) -> str:
        """The object key: the ``key`` field, ``${filename}`` replaced by the file's name."""
        key = self.fields.get("key")
        if key is None:
            raise _missing_field("key")
        if self.file is None:
            raise InvalidArgument("POST requires exactly one file upload per request.", ArgumentName="file")
        expanded = self.expand(key)
        if not expanded:
            # S3's words for an empty key (the same as PutObject's; unconfirmed for POST).
            raise InvalidArgument("User key must have a length greater than 0.", ArgumentName="key", ArgumentValue="")
        return expanded


@dataclass(frozen=True)
class PostSignature:
    """What a verified policy proves: who signed it, in which scope, and when."""

    access_key_id: str
    scope: CredentialScope | None  # None for Signature Version 2
    request_time: int | None  # x-amz-date, in epoch seconds
    security_token: str | None
    version: str = ALGORITHM  # s3:signatureversion: "AWS4-HMAC-SHA256", or "AWS" for SigV2


def _missing_field(name: str) -> InvalidArgument:
    # S3's words for a form without one of its fields, with an empty ArgumentValue (recorded
    # for 'key', 'AWSAccessKeyId', 'Signature', 'X-Amz-Signature' and 'X-Amz-Algorithm':
    # LocalStack's test_s3 snapshot, test_post_request_missing_signature / _missing_fields).
    name = _FIELD_NAMES.get(name, name)
    return InvalidArgument(
        f"Bucket POST must contain a field named '{name}'.  If it is specified, please check the order of the fields.",
        ArgumentName=name,
        ArgumentValue="",
    )


def verify(form: PostForm, lookup: Callable[[str], str | None], cache: SigningKeyCache) -> PostSignature | None:
    """The signer of the form's policy, or None for a form without one (anonymous)."""
    fields = form.fields
    if "policy" not in fields or not any(name in fields for name in _SIGNING_FIELDS):
        return None
    if "x-amz-credential" not in fields and ("awsaccesskeyid" in fields or "signature" in fields):
        return _verify_v2(fields, lookup)
    for name in _SIGV4_FIELDS:
        if name not in fields:
            raise _missing_field(name)
    if fields["x-amz-algorithm"] != ALGORITHM:
        raise InvalidArgument(
            f"Invalid Argument: x-amz-algorithm only supports '{ALGORITHM}'",  # unconfirmed wording
            ArgumentName="x-amz-algorithm",
            ArgumentValue=fields["x-amz-algorithm"],
        )
    dialect = S3Dialect()
    access_key_id, _, rest = fields["x-amz-credential"].partition("/")
    parts = rest.split("/")
    if len(parts) != 4 or parts[2] != "s3" or parts[3] != "aws4_request":
        raise InvalidArgument(
            "Invalid Argument: x-amz-credential",  # unconfirmed wording
            ArgumentName="x-amz-credential",
            ArgumentValue=fields["x-amz-credential"],
        )
    scope = CredentialScope(parts[0], parts[1], parts[2])
    secret = key_secret(lookup, access_key_id, dialect)
    signing_key = cache.signing_key(secret, scope.date, scope.region, scope.service)
    expected = hmac.new(signing_key, fields["policy"].encode("utf-8"), "sha256").hexdigest()
    if not hmac.compare_digest(expected.encode(), fields["x-amz-signature"].lower().encode("utf-8", "replace")):
        raise _mismatch(access_key_id, fields)
    return PostSignature(access_key_id, scope, parse_amz_date(fields["x-amz-date"]), fields.get("x-amz-security-token"))


def _verify_v2(fields: dict[str, str], lookup: Callable[[str], str | None]) -> PostSignature:
    """A form signed as boto3's generate_presigned_post signs it unless told to use SigV4:
    AWSAccessKeyId and signature, the base64 HMAC-SHA1 of the base64 policy with the secret
    key ("Browser-Based Uploads Using POST (AWS Signature Version 2)", S3 API Reference)."""
    if "awsaccesskeyid" not in fields:
        raise _missing_field("AWSAccessKeyId")
    if "signature" not in fields:
        raise _missing_field("Signature")
    access_key_id = fields["awsaccesskeyid"]
    secret = key_secret(lookup, access_key_id, S3Dialect())
    expected = base64.b64encode(hmac.new(secret.encode(), fields["policy"].encode("utf-8"), "sha1").digest())
    if not hmac.compare_digest(expected, fields["signature"].encode("utf-8", "replace")):
        raise _mismatch(access_key_id, fields)
    return PostSignature(access_key_id, None, None, fields.get("x-amz-security-token"), V2_SIGNATURE_VERSION)


def _mismatch(access_key_id: str, fields: dict[str, str]) -> Exception:
    """A form whose signature does not match: S3's SignatureDoesNotMatch naming the key and
    what was signed, the policy (AWSAccessKeyId, StringToSign, StringToSignBytes: recorded
    from AWS, LocalStack's test_s3 snapshot, TestS3PresignedPost)."""
    return S3Dialect().mismatch_detail(access_key_id, fields["policy"], fields.get("x-amz-security-token"))


def check_policy(form: PostForm, bucket: str, key: str, now: datetime) -> None:
    """The policy's expiration and conditions against the form (a signed form only)."""
    expiration, conditions = _decode(form.fields["policy"])
    if expiration <= now:
        raise AccessDenied("Invalid according to Policy: Policy expired.")
    values = {**form.fields, "bucket": bucket, "key": key}
    size = len(form.file.data) if form.file is not None else 0
    covered: set[str] = set()
    for condition in conditions:
        operator, name, operands, spelled = _condition(condition)
        if operator == _FAILS:
            raise AccessDenied(f"Invalid according to Policy: Policy Condition failed: {json.dumps(condition)}")
        if operator == "content-length-range":
            low, high = operands
            if size > high:
                raise EntityTooLarge(ProposedSize=str(size), MaxSizeAllowed=str(high))
            if size < low:
                raise EntityTooSmall(ProposedSize=str(size), MinSizeAllowed=str(low))
            continue
        covered.add(name)
        value = values.get(name)
        wanted = operands[0]
        if value is None or not _holds(operator, name, value, wanted):
            # The field as the policy spells it ("$Content-Type", as S3's answers show it).
            shown = json.dumps([operator, spelled, wanted])
            raise AccessDenied(f"Invalid according to Policy: Policy Condition failed: {shown}")
    for name in form.fields:
        if name not in covered and name not in _UNCOVERED and not name.startswith("x-ignore-"):
            raise AccessDenied(f"Invalid according to Policy: Extra input fields: {name}")


def _holds(operator: str, name: str, value: str, wanted: str) -> bool:
    if operator == "eq":
        return value == wanted
    if name == "content-type":
        # "Matching Content-Types in a Comma-Separated List": each listed type must match.
        return all(item.strip().startswith(wanted) for item in value.split(","))
    return value.startswith(wanted)


def _decode(text: str) -> tuple[datetime, list[Any]]:
    try:
        document = json.loads(base64.b64decode(text, validate=True))
    except (binascii.Error, ValueError, RecursionError):
        raise InvalidPolicyDocument("Invalid Policy: Invalid JSON.") from None
    if not isinstance(document, dict):
        raise InvalidPolicyDocument("Invalid Policy: Invalid JSON.")
    expiration = document.get("expiration")
    if not isinstance(expiration, str):
        raise InvalidPolicyDocument("Invalid Policy: Policy missing expiration.")
    try:
        when = datetime.fromisoformat(expiration.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidPolicyDocument(f"Invalid Policy: Invalid 'expiration' value: '{expiration}'") from None
    if when.tzinfo is None:
        raise InvalidPolicyDocument(f"Invalid Policy: Invalid 'expiration' value: '{expiration}'")
    conditions = document.get("conditions")
    if not isinstance(conditions, list):
        raise InvalidPolicyDocument("Invalid Policy: Policy missing conditions.")
    return when, conditions


_FAILS = "fails"  # a condition S3 reads but that no form can meet


def _condition(condition: Any) -> tuple[str, str, list[Any], str]:
    """(operator, lower-case field name, operands, the field as the policy spells it) of one
    condition. Recorded from AWS (LocalStack's test_s3 snapshot,
    test_post_object_policy_validation_size and _conditions_validation_eq): a
    content-length-range whose bounds are no numbers and an eq naming a field without "$"
    are conditions that fail (403 "Policy Condition failed"); an object condition of more
    than one property is InvalidPolicyDocument "Invalid Simple-Condition: ..."; other
    conditions S3 cannot read are InvalidPolicyDocument (the words unconfirmed)."""
    if isinstance(condition, dict):
        if len(condition) != 1:
            raise InvalidPolicyDocument(
                "Invalid Policy: Invalid Simple-Condition: Simple-Conditions must have exactly one property specified."
            )
        [(name, value)] = condition.items()
        if isinstance(value, str):
            return "eq", name.lower(), [value], f"${name}"
    if isinstance(condition, list) and len(condition) == 3:
        operator = condition[0].lower() if isinstance(condition[0], str) else None
        if operator == "content-length-range":
            if all(isinstance(bound, int) and not isinstance(bound, bool) and bound >= 0 for bound in condition[1:]):
                return operator, "", [condition[1], condition[2]], ""
            return _FAILS, "", [], ""
        field, value = condition[1], condition[2]
        if operator in ("eq", "starts-with") and isinstance(field, str) and isinstance(value, str):
            if not field.startswith("$"):
                return _FAILS, "", [], ""
            return operator, field[1:].lower(), [value], field
    raise InvalidPolicyDocument(f"Invalid Policy: Invalid Condition: {json.dumps(condition)}")

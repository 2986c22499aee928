"""What a SigV4 request claims, read from its ``Authorization`` header: the access key,
the credential scope, the date, the signed headers and the signature (``presign.py``
reads the same from a presigned URL's query string). Nothing is verified here; malformed
input is the dialect's error.

AWS page: "Elements of an AWS API request signature" (IAM User Guide).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from ..errors import IncompleteSignature, InvalidArgument, InvalidRequest, ServiceError
from .dialects import Dialect
from .signing import ALGORITHM, CredentialScope, http_date_to_amz, parse_amz_date


class Claim(NamedTuple):
    """What the request claims: key, scope, date, signed headers and the signature."""

    access_key_id: str
    scope: CredentialScope
    amz_date: str
    signed_headers: tuple[str, ...]
    signature: str
    presigned: bool
    expires: int | None
    security_token: str | None
    request_time: int = 0

    def __repr__(self) -> str:  # the signature and the token stay out
        return (
            f"Claim(access_key_id={self.access_key_id!r}, scope={self.scope!r}, amz_date={self.amz_date!r}, "
            f"signed_headers={self.signed_headers!r}, presigned={self.presigned!r}, expires={self.expires!r})"
        )


def _text(value: str) -> bool:
    """Whether ``value`` is text: a presigned URL's percent-decoded bytes that are not UTF-8
    (``%FF``) are kept as lone surrogates, which no part of a signing key can be made of."""
    if value.isascii():
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def parse_credential(credential: str, d: Dialect, *, presigned: bool) -> tuple[str, CredentialScope]:
    parts = credential.split("/")
    # A part that is not text (bytes that are not UTF-8) is as malformed as an empty one:
    # answered so, in the dialect's words, before it could reach the signing key.
    if len(parts) != 5 or not all(parts[:4]) or not all(_text(part) for part in parts[1:]):
        if presigned and d.s3:
            raise d.presign_bad(
                "Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; "
                'expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".'
            )
        raise d.malformed_credential(credential)
    if parts[4] != "aws4_request":
        raise d.terminator(parts[4], presigned)
    return parts[0], CredentialScope(parts[1], parts[2], parts[3])


def parse_signed_headers(value: str) -> tuple[str, ...]:
    # The common case, lower-case names without whitespace (isprintable is False for
    # every whitespace character but the space), in one split.
    if value.islower() and value.isprintable() and " " not in value:
        names = value.split(";")
        if "" not in names:
            return tuple(names)
    return tuple(name.strip().lower() for name in value.split(";") if name.strip())


def parse_authorization(value: str, d: Dialect) -> tuple[str, CredentialScope, tuple[str, ...], str]:
    """``AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...`` into its parts."""
    algorithm, _, rest = value.strip().partition(" ")
    if algorithm != ALGORITHM:
        if d.s3:
            raise _unsupported(algorithm, value)
        raise d.missing_params(("Credential", "Signature", "SignedHeaders"))
    fields: dict[str, str] = {}
    # Commas and whitespace both separate the pairs, as AWS reads them: "Credential= AKIA..."
    # or a space inside the credential is a pair without "=" (IncompleteSignature, as
    # recorded from STS and CloudFormation: aws/aws-sdk-go#289).
    # (str.split splits on what the regex engine's \s matches, str.isspace; a regex split
    # cost ten times as much, on every request.)
    for part in rest.replace(",", " ").split():
        name, eq, val = part.partition("=")
        if not eq:
            if d.s3:
                raise _malformed_component(rest, part, d)
            raise IncompleteSignature(
                f"'{name[:64]}' not a valid key=value pair (missing equal-sign) in Authorization header"
            )
        fields[name.strip()] = val.strip()
    missing = [name for name in ("Credential", "Signature", "SignedHeaders") if name not in fields]
    if missing:
        raise d.missing_params(missing)
    key_id, scope = parse_credential(fields["Credential"], d, presigned=False)
    return key_id, scope, parse_signed_headers(fields["SignedHeaders"]), fields["Signature"]


# SigV4A: a mechanism S3 has (for Multi-Region Access Points), not verified here.
_SIGV4A = "AWS4-ECDSA-P256-SHA256"
_SIGNATURE_VALUE = re.compile(r"(Signature=)[^,\s]+")


def _unsupported(algorithm: str, value: str) -> ServiceError:
    """S3's answer to an Authorization header of a scheme it does not know ("Bearer x",
    "AWS4-HMAC-SHA25 ..."): 400 InvalidArgument "Unsupported Authorization Type" naming the
    header, as recorded from S3 in versity/versitygw#1512 and #1705. The value is echoed as
    sent but for a signature's, which no error here shows (``dialects.S3Dialect.mismatch_detail``)."""
    if algorithm == _SIGV4A:
        return InvalidRequest(
            "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256."
        )
    shown = _SIGNATURE_VALUE.sub(r"\1<signature>", value)
    return InvalidArgument("Unsupported Authorization Type", ArgumentName="Authorization", ArgumentValue=shown)


def _malformed_component(rest: str, part: str, d: Dialect) -> ServiceError:
    """S3's answer to whitespace inside a component of the header ("Credential= AKIA.../..."):
    the comma-separated component named in AuthorizationHeaderMalformed, as S3 answered in
    zendesk/apt-s3#10 ('the authorization component "Credential=aws_access_key_id=
    something/20220302/eu-west-2/s3/aws4_request" is malformed.'). A signature's component is
    not echoed: the three-components answer instead."""
    component = next((c.strip() for c in rest.split(",") if part in c.split()), "")
    if not component or component.startswith("Signature"):
        return d.missing_params(())
    shown = _SIGNATURE_VALUE.sub(r"\1<signature>", component)
    return d.incomplete(f'the authorization component "{shown}" is malformed.')


def claim_from_header(authorization: str, headers: dict[str, list[str]], d: Dialect) -> Claim:
    key_id, scope, signed, signature = parse_authorization(authorization, d)
    amz_dates = headers.get("x-amz-date")
    if amz_dates:
        amz_date = amz_dates[0].strip()
    elif "date" in headers:
        converted = http_date_to_amz(headers["date"][0])
        if converted is None:
            raise d.no_date()
        amz_date = converted
    else:
        raise d.no_date()
    request_time = parse_amz_date(amz_date)
    if request_time is None:
        raise d.no_date()
    tokens = headers.get("x-amz-security-token")
    return Claim(key_id, scope, amz_date, signed, signature, False, None, tokens[0] if tokens else None, request_time)

"""How the SigV4 errors are worded: two dialects, chosen by the service a request was
routed to. The query services (IAM, STS) answer ``IncompleteSignature`` /
``InvalidClientTokenId`` / ``SignatureDoesNotMatch`` and say "Signature expired" on clock
skew; S3 answers ``AuthorizationHeaderMalformed`` / ``AuthorizationQueryParametersError`` /
``InvalidAccessKeyId`` / ``RequestTimeTooSkewed`` / ``AccessDenied``. The messages are
AWS's words; which were seen in recorded AWS responses and which are recalled is listed
in ``tests/auth/README.md``.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import (
    AccessDenied,
    AuthorizationHeaderMalformed,
    AuthorizationQueryParametersError,
    ExpiredToken,
    IncompleteSignature,
    InvalidAccessKeyId,
    InvalidClientTokenId,
    InvalidToken,
    RequestTimeTooSkewed,
    ServiceError,
    SignatureDoesNotMatch,
)
from .signing import MAX_SKEW_SECONDS, format_amz_date, iso_seconds, parse_amz_date


class Dialect:
    """The wording of one family of services: the query services, or S3."""

    s3 = False

    def incomplete(self, message: str) -> ServiceError:
        return IncompleteSignature(message)

    def missing_params(self, missing: Sequence[str]) -> ServiceError:
        # Seen from AWS (e.g. aws/chalice#828, brendanhay/amazonka#316); AWS then echoes
        # "Authorization=<header>", which is left out here: it holds the signature.
        parts = [f"Authorization header requires '{name}' parameter." for name in missing]
        return IncompleteSignature(" ".join(parts))

    def malformed_credential(self, credential: str) -> ServiceError:
        return IncompleteSignature(
            "Credential must have exactly 5 slash-delimited elements, "
            f"e.g. keyid/date/region/service/term, got '{credential}'"
        )

    def unknown_key(self, access_key_id: str | None = None) -> ServiceError:
        return InvalidClientTokenId("The security token included in the request is invalid.")

    def invalid_token(self) -> ServiceError:
        return self.unknown_key()  # IAM and STS: "The security token included in the request is invalid."

    def expired_token(self) -> ServiceError:
        return ExpiredToken("The security token included in the request is expired")

    def mismatch(self) -> SignatureDoesNotMatch:
        return SignatureDoesNotMatch(
            "The request signature we calculated does not match the signature you provided. "
            "Check your AWS Secret Access Key and signing method. "
            "Consult the service documentation for details."
        )

    def mismatch_detail(
        self, access_key_id: str, string_to_sign: str, token: str | None, canonical_request: str | None = None
    ) -> SignatureDoesNotMatch:
        """The query services' answer names nothing more (S3's: ``S3Dialect``)."""
        return self.mismatch()

    def no_date(self) -> ServiceError:
        return IncompleteSignature(
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."
        )

    def scope_date(self, scope_date: str, amz_date: str, presigned: bool = False) -> ServiceError:
        return SignatureDoesNotMatch(
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: "
            f"'{scope_date}' != '{amz_date[:8]}', from '{amz_date}'."
        )

    def terminator(self, term: str, presigned: bool = False) -> ServiceError:
        return SignatureDoesNotMatch(
            f"Credential should be scoped with a valid terminator: 'aws4_request', not '{term}'. "
        )

    def wrong_region(self, region: str, expected: str) -> ServiceError:
        return SignatureDoesNotMatch(f"Credential should be scoped to a valid region, not '{region}'. ")

    def wrong_service(self, service: str, expected: str, presigned: bool = False) -> ServiceError:
        return SignatureDoesNotMatch(f"Credential should be scoped to correct service: '{expected}'. ")

    def skewed(self, amz_date: str, now: int) -> ServiceError:
        request_time = parse_amz_date(amz_date)
        if request_time is not None and request_time > now:
            return SignatureDoesNotMatch(
                f"Signature not yet current: {amz_date} is still later than "
                f"{format_amz_date(now + MAX_SKEW_SECONDS)} ({format_amz_date(now)} + 15 min.)"
            )
        return SignatureDoesNotMatch(
            f"Signature expired: {amz_date} is now earlier than "
            f"{format_amz_date(now - MAX_SKEW_SECONDS)} ({format_amz_date(now)} - 15 min.)"
        )

    def presign_missing(self, missing: Sequence[str]) -> ServiceError:
        return IncompleteSignature(
            f"AWS query-string parameters must include '{missing[0]}'. Re-examine the query-string parameters."
        )

    def presign_bad(self, message: str) -> ServiceError:
        return IncompleteSignature(message)

    def presign_expired(self, amz_date: str, expires: int, now: int) -> ServiceError:
        return SignatureDoesNotMatch(
            f"Signature expired: {amz_date} is now earlier than "
            f"{format_amz_date(now - expires)} ({format_amz_date(now)} - {expires} sec.)"
        )

    def presign_not_yet(self, amz_date: str, now: int) -> ServiceError:
        return self.skewed(amz_date, now)


class S3Dialect(Dialect):
    s3 = True

    def incomplete(self, message: str) -> ServiceError:
        return AuthorizationHeaderMalformed(f"The authorization header is malformed; {message}")

    def missing_params(self, missing: Sequence[str]) -> ServiceError:
        return AuthorizationHeaderMalformed(
            "The authorization header is malformed; the authorization header requires three components: "
            "Credential, SignedHeaders, and Signature."
        )

    def malformed_credential(self, credential: str) -> ServiceError:
        return AuthorizationHeaderMalformed(
            "The authorization header is malformed; the Credential is mal-formed; "
            'expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".'
        )

    def unknown_key(self, access_key_id: str | None = None) -> ServiceError:
        """S3 names the key it does not know in an AWSAccessKeyId member, as in S3's recorded
        answers ("...does not exist in our records.</Message><AWSAccessKeyId>AKIA...
        </AWSAccessKeyId>", a 403 from S3 of 2021 in JuliaCI's PkgEval logs), as it does in
        SignatureDoesNotMatch; a value no key id could be (not printable ASCII, over 128
        characters) is left out."""
        error = InvalidAccessKeyId("The AWS Access Key Id you provided does not exist in our records.")
        if access_key_id and len(access_key_id) <= 128 and access_key_id.isascii() and access_key_id.isprintable():
            return error.with_fields({"AWSAccessKeyId": access_key_id})
        return error

    def invalid_token(self) -> ServiceError:
        return InvalidToken()

    def expired_token(self) -> ServiceError:
        # HTTP 400 with this message (and a Token-0 member echoing the token, left out
        # here: no token goes into an error), as quoted from S3 in craftcms/aws-s3#182 and
        # romange/helio#15.
        error = ExpiredToken("The provided token has expired.")
        error.status = 400
        return error

    def mismatch(self) -> SignatureDoesNotMatch:
        return SignatureDoesNotMatch(
            "The request signature we calculated does not match the signature you provided. "
            "Check your key and signing method."
        )

    def mismatch_detail(
        self, access_key_id: str, string_to_sign: str, token: str | None, canonical_request: str | None = None
    ) -> SignatureDoesNotMatch:
        """S3's SignatureDoesNotMatch body names what the server signed, so that a client can
        compare it with its own (SigV4's CanonicalRequest too): AWSAccessKeyId,
        StringToSign, StringToSignBytes, CanonicalRequest, CanonicalRequestBytes, as in S3's
        recorded answers (LocalStack's snapshot
        ``test_put_object_with_md5_and_chunk_signature_bad_headers``). S3 also echoes
        SignatureProvided, and the session token inside the signed text; here neither
        appears ("no secret, signature or token ever appears", STYLE.md): the token's
        value is shown as ``<session token>``."""
        err = self.mismatch()

        def shown(text: str) -> str:
            return text.replace(token, "<session token>") if token else text

        fields = {
            "AWSAccessKeyId": access_key_id,
            "StringToSign": shown(string_to_sign),
            "StringToSignBytes": _hex_bytes(shown(string_to_sign)),
        }
        if canonical_request is not None:
            fields["CanonicalRequest"] = shown(canonical_request)
            fields["CanonicalRequestBytes"] = _hex_bytes(shown(canonical_request))
        return err.with_fields(fields)

    def no_date(self) -> ServiceError:
        return AccessDenied("AWS authentication requires a valid Date or x-amz-date header")

    def scope_date(self, scope_date: str, amz_date: str, presigned: bool = False) -> ServiceError:
        return self._credential_error("Invalid credential date. Date is not the same as X-Amz-Date.", presigned)

    def terminator(self, term: str, presigned: bool = False) -> ServiceError:
        if presigned:
            return self._credential_error(
                'the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".', True
            )
        return self.malformed_credential(term)

    def _credential_error(self, detail: str, presigned: bool) -> ServiceError:
        """A fault of the credential: in the Authorization header's words, or for a presigned
        URL in the X-Amz-Credential parameter's (AuthorizationQueryParametersError, S3's code
        for query-string authentication, as its answer for a wrong Region shows; the details
        beyond the Region's are unconfirmed for presigned URLs)."""
        if presigned:
            return AuthorizationQueryParametersError(f"Error parsing the X-Amz-Credential parameter; {detail}")
        return AuthorizationHeaderMalformed(f"The authorization header is malformed; {detail}")

    def wrong_region(self, region: str, expected: str, presigned: bool = False) -> ServiceError:
        """A request signed for another Region than the bucket's. S3 names the right one in a
        ``<Region>`` member and an ``x-amz-bucket-region`` header, which botocore's
        S3RegionRedirector reads to sign the request again for it (boto3, the AWS CLI)."""
        err: AuthorizationHeaderMalformed | AuthorizationQueryParametersError
        if presigned:
            err = AuthorizationQueryParametersError(
                f"Error parsing the X-Amz-Credential parameter; the region '{region}' is wrong; expecting '{expected}'",
                Region=expected,
            )
        else:
            err = AuthorizationHeaderMalformed(
                f"The authorization header is malformed; the region '{region}' is wrong; expecting '{expected}'",
                Region=expected,
            )
        err.headers = (("x-amz-bucket-region", expected),)
        return err

    def wrong_service(self, service: str, expected: str, presigned: bool = False) -> ServiceError:
        return self._credential_error(
            f'incorrect service "{service}". This endpoint belongs to "{expected}".', presigned
        )

    def skewed(self, amz_date: str, now: int) -> ServiceError:
        # With the members S3 answers (real replies in aws/aws-sdk-php#612 and
        # JuliaCloud/AWS.jl#598): the request's time as sent, the server's, the 15 minutes.
        return RequestTimeTooSkewed(
            "The difference between the request time and the current time is too large."
        ).with_fields({"RequestTime": amz_date, "ServerTime": iso_seconds(now), "MaxAllowedSkewMilliseconds": "900000"})

    def presign_missing(self, missing: Sequence[str]) -> ServiceError:
        return AuthorizationQueryParametersError(
            "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, "
            "X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters."
        )

    def presign_bad(self, message: str) -> ServiceError:
        return AuthorizationQueryParametersError(message)

    def presign_expired(self, amz_date: str, expires: int, now: int) -> ServiceError:
        # The members S3 sends with it, as real answers show them (no AWS page lists them):
        # "<X-Amz-Expires>60</X-Amz-Expires><Expires>2026-09-15T13:37:03Z</Expires>
        # <ServerTime>...</ServerTime>".
        start = parse_amz_date(amz_date) or 0
        return AccessDenied("Request has expired").with_fields(
            {"X-Amz-Expires": str(expires), "Expires": iso_seconds(start + expires), "ServerTime": iso_seconds(now)}
        )

    def presign_not_yet(self, amz_date: str, now: int) -> ServiceError:
        return AccessDenied("Request is not valid yet")


def _hex_bytes(text: str) -> str:
    """S3's ``...Bytes`` form: each UTF-8 byte as two hex digits, separated by spaces."""
    return " ".join(f"{byte:02x}" for byte in text.encode("utf-8", "surrogateescape"))


QUERY = Dialect()
S3 = S3Dialect()

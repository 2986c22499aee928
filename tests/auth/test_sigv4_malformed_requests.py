"""Malformed SigV4 and SigV2 requests found by a black-box review, each answered as AWS
answers it (the thread or page that records the answer is cited at each test): bytes that
are not UTF-8 in a credential scope, x-amz- headers left out of an Authorization header's
signature, an empty or unknown Authorization header, whitespace inside a component, an
invalid x-amz-content-sha256, and SigV2's clock skew.
"""

from __future__ import annotations

import time
from urllib.parse import quote, urlsplit

import pytest
from botocore.auth import S3SigV4Auth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from iamsandbox import errors
from iamsandbox.auth import sigv4

KEY_ID = "AKIAIOSFODNN7EXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"


def _lookup(key_id: str) -> str | None:
    return SECRET if key_id == KEY_ID else None


def _verify(
    query: str, headers: list[tuple[str, str]], service: str, *, method: str = "GET", path: str = "/"
) -> sigv4.Authenticated | None:
    return sigv4.verify_request(
        method,
        path,
        query,
        headers,
        service=service,
        lookup=_lookup,
        now=time.time(),
        cache=sigv4.SigningKeyCache(),
    )


# --------------------------------------------------------------------------- scope bytes

SCOPE_PARTS = ("key", "date", "region", "service", "terminator")
# The scope proper: an access key id of such bytes is an unknown key, as any other
# (tests/services/test_pipeline_odd_key_ids.py: InvalidAccessKeyId, InvalidClientTokenId).
SCOPE = SCOPE_PARTS[1:]


def _scope(service: str, bad: str, broken: str) -> list[str]:
    today = sigv4.format_amz_date(int(time.time()))[:8]
    parts = {"key": KEY_ID, "date": today, "region": "us-east-1", "service": service, "terminator": "aws4_request"}
    parts[bad] = parts[bad][:2] + broken
    return [parts[name] for name in SCOPE_PARTS]


def _presigned_query(service: str, bad: str) -> str:
    # %FF and %C3%28 are bytes that are not UTF-8: kept as lone surrogates once decoded.
    credential = "%2F".join(quote(part, safe="%") for part in _scope(service, bad, "%FF%C3%28"))
    return (
        "Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256"
        f"&X-Amz-Credential={credential}&X-Amz-Date={sigv4.format_amz_date(int(time.time()))}"
        "&X-Amz-Expires=100&X-Amz-SignedHeaders=host&X-Amz-Signature=00"
    )


@pytest.mark.parametrize("bad", SCOPE)
@pytest.mark.parametrize("service", ["iam", "sts"])
def test_presigned_scope_not_utf8_is_the_query_services_malformed_credential(service: str, bad: str) -> None:
    # The query dialect's answer to a malformed scope part (an empty one gives the same), not
    # an InternalError: the region reached the signing key and failed to encode.
    with pytest.raises(errors.IncompleteSignature) as caught:
        _verify(_presigned_query(service, bad), [("Host", "127.0.0.1")], service)
    assert caught.value.message.startswith("Credential must have exactly 5 slash-delimited elements")
    assert caught.value.status == 400


@pytest.mark.parametrize("bad", SCOPE)
def test_presigned_scope_not_utf8_is_s3s_authorization_query_parameters_error(bad: str) -> None:
    with pytest.raises(errors.AuthorizationQueryParametersError) as caught:
        _verify(_presigned_query("s3", bad), [("Host", "127.0.0.1")], "s3", path="/bucket/key")
    assert caught.value.message == (
        "Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; "
        'expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".'
    )


@pytest.mark.parametrize("bad", SCOPE)
@pytest.mark.parametrize("service", ["iam", "sts", "s3"])
def test_header_scope_not_utf8_is_a_malformed_credential(service: str, bad: str) -> None:
    # The Authorization header arrives latin-1 decoded (no lone surrogates from the wire);
    # verify_request takes any text, and answers it as malformed too.
    credential = "/".join(_scope(service, bad, "\udcff"))
    headers = [
        ("Host", "127.0.0.1"),
        ("X-Amz-Date", sigv4.format_amz_date(int(time.time()))),
        ("x-amz-content-sha256", sigv4.UNSIGNED_PAYLOAD),
        ("Authorization", f"AWS4-HMAC-SHA256 Credential={credential}, SignedHeaders=host, Signature=00"),
    ]
    expected = errors.AuthorizationHeaderMalformed if service == "s3" else errors.IncompleteSignature
    with pytest.raises(expected):
        _verify("", headers, service)


# --------------------------------------------------------------------------- unsigned x-amz- headers


def _s3_put(extra_signed: dict[str, str] | None = None) -> tuple[str, str, list[tuple[str, str]]]:
    request = AWSRequest("PUT", "http://127.0.0.1/bucket/key", data=b"body", headers=extra_signed or {})
    S3SigV4Auth(Credentials(KEY_ID, SECRET), "s3", "us-east-1").add_auth(request)
    url = urlsplit(request.url)
    headers = [(str(k), str(v)) for k, v in request.headers.items()]
    return url.path, url.query, [("Host", "127.0.0.1"), *headers]


def test_header_signed_s3_request_with_unsigned_amz_headers_is_refused() -> None:
    # Signed over host;x-amz-content-sha256;x-amz-date, then x-amz-meta-foo and x-amz-tagging
    # added: S3 answers 403 AccessDenied "There were headers present in the request which
    # were not signed", <HeadersNotSigned>x-amz-meta-s1, x-amz-tagging</HeadersNotSigned>
    # (apache/arrow-rs-object-store#484; S3 API Reference, "Signature Calculations for the
    # Authorization Header": "Any x-amz-* headers that you plan to include in your request
    # must also be added").
    path, query, headers = _s3_put()
    assert _verify(query, headers, "s3", method="PUT", path=path) is not None
    added = [*headers, ("x-amz-tagging", "a=b"), ("x-amz-meta-foo", "bar")]
    with pytest.raises(errors.AccessDenied) as caught:
        _verify(query, added, "s3", method="PUT", path=path)
    assert caught.value.message == "There were headers present in the request which were not signed"
    assert caught.value.fields == {"HeadersNotSigned": "x-amz-meta-foo, x-amz-tagging"}
    assert caught.value.status == 403


def test_signed_amz_headers_and_an_unsigned_content_sha256_are_taken() -> None:
    path, query, headers = _s3_put({"x-amz-meta-foo": "bar"})
    auth = _verify(query, headers, "s3", method="PUT", path=path)
    assert auth is not None and "x-amz-meta-foo" in auth.signed_headers
    # x-amz-content-sha256 may go unsigned (scality/Arsenal#2590: "In practice AWS does not
    # require x-amz-content-sha256 to be signed"; demarche-numerique/ds_proxy#164): signed by
    # SigV4Auth (which leaves the header out), then sent with the hash it signed.
    request = AWSRequest("GET", "http://127.0.0.1/bucket/key")
    SigV4Auth(Credentials(KEY_ID, SECRET), "s3", "us-east-1").add_auth(request)
    assert "x-amz-content-sha256" not in str(request.headers["Authorization"])
    headers = [("Host", "127.0.0.1"), *((str(k), str(v)) for k, v in request.headers.items())]
    auth = _verify("", [*headers, ("x-amz-content-sha256", sigv4.EMPTY_SHA256)], "s3", path="/bucket/key")
    assert auth is not None and auth.payload_hash == sigv4.EMPTY_SHA256


# --------------------------------------------------------------------------- the Authorization header


def test_empty_authorization_is_an_anonymous_s3_request() -> None:
    # S3 answers it as anonymous: 403 AccessDenied "Access Denied" where anonymous access is
    # not allowed (storj/edge#142, apache/ozone#2999), not InvalidRequest.
    for empty in ("", " "):
        assert _verify("", [("Host", "127.0.0.1"), ("Authorization", empty)], "s3", path="/bucket/key") is None


@pytest.mark.parametrize(
    "authorization",
    [
        "Bearer x",
        "Basic dXNlcjpwYXNz",
        "AWS4-HMAC-SHA25 Credential=AKIAIOSFODNN7EXAMPLE/20250902/us-east-1/s3/aws4_request,"
        "SignedHeaders=host;x-amz-content-sha256;x-amz-date,Signature=99e9cfdaa70735ee5e8a8d63",
    ],
)
def test_unknown_authorization_scheme_is_s3s_unsupported_authorization_type(authorization: str) -> None:
    # Recorded from S3 (versity/versitygw#1512, #1705): 400 InvalidArgument "Unsupported
    # Authorization Type", ArgumentName Authorization, ArgumentValue the header (here without
    # the signature's value: no error shows a signature).
    headers = [("Host", "127.0.0.1"), ("X-Amz-Date", "20250902T000000Z"), ("Authorization", authorization)]
    with pytest.raises(errors.InvalidArgument) as caught:
        _verify("", headers, "s3", path="/bucket/key")
    assert caught.value.message == "Unsupported Authorization Type" and caught.value.status == 400
    assert caught.value.fields["ArgumentName"] == "Authorization"
    assert caught.value.fields["ArgumentValue"] == authorization.replace(
        "Signature=99e9cfdaa70735ee5e8a8d63", "Signature=<signature>"
    )


def test_sigv4a_keeps_the_mechanism_not_supported_answer() -> None:
    headers = [
        ("Host", "127.0.0.1"),
        ("Authorization", "AWS4-ECDSA-P256-SHA256 Credential=AKID/20250902/s3/aws4_request, Signature=00"),
    ]
    with pytest.raises(errors.InvalidRequest, match="^The authorization mechanism you have provided is not supported"):
        _verify("", headers, "s3", path="/bucket/key")


def test_whitespace_inside_an_s3_component_names_the_component() -> None:
    # S3's words (zendesk/apt-s3#10): 'The authorization header is malformed; the
    # authorization component "Credential=aws_access_key_id= something/20220302/eu-west-2/
    # s3/aws4_request" is malformed.'
    headers = [
        ("Host", "127.0.0.1"),
        ("X-Amz-Date", "20220302T000000Z"),
        ("x-amz-content-sha256", sigv4.UNSIGNED_PAYLOAD),
        (
            "Authorization",
            "AWS4-HMAC-SHA256 Credential=aws_access_key_id= something/20220302/eu-west-2/s3/aws4_request, "
            "SignedHeaders=host, Signature=00",
        ),
    ]
    with pytest.raises(errors.AuthorizationHeaderMalformed) as caught:
        _verify("", headers, "s3", path="/bucket/key")
    assert caught.value.message == (
        "The authorization header is malformed; the authorization component "
        '"Credential=aws_access_key_id= something/20220302/eu-west-2/s3/aws4_request" is malformed.'
    )


# --------------------------------------------------------------------------- x-amz-content-sha256


def test_invalid_content_sha256_names_the_header_and_its_value() -> None:
    # S3's answer (versity/versitygw#1352): InvalidArgument with ArgumentName
    # x-amz-content-sha256 and ArgumentValue GIBBERISH.
    path, query, headers = _s3_put()
    bad = [(k, "GIBBERISH" if k.lower() == "x-amz-content-sha256" else v) for k, v in headers]
    with pytest.raises(errors.InvalidArgument, match="^x-amz-content-sha256 must be UNSIGNED-PAYLOAD") as caught:
        _verify(query, bad, "s3", method="PUT", path=path)
    assert caught.value.fields == {"ArgumentName": "x-amz-content-sha256", "ArgumentValue": "GIBBERISH"}


# --------------------------------------------------------------------------- SigV2 clock skew


def test_sigv2_skew_echoes_the_date_as_sent() -> None:
    # A SigV2 request's RequestTimeTooSkewed names the Date header as sent:
    # "<RequestTime>Tue, 04 Mar 2014 19:47:51 GMT</RequestTime>" (LeastAuthority/leastauthority.com#157).
    sent = "Tue, 04 Mar 2014 19:47:51 GMT"
    headers = [("Host", "127.0.0.1"), ("Date", sent), ("Authorization", f"AWS {KEY_ID}:c2lnbmF0dXJl")]
    with pytest.raises(errors.RequestTimeTooSkewed) as caught:
        _verify("", headers, "s3", path="/bucket/key")
    assert caught.value.fields["RequestTime"] == sent
    assert caught.value.fields["MaxAllowedSkewMilliseconds"] == "900000"

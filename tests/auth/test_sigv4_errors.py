"""Failures, each with AWS's code and words: tampering, clock skew, expiry, unknown keys,
malformed headers and queries; secrets never in messages; fuzzing the parsers.

Where each message comes from is in tests/auth/README.md.
"""

from __future__ import annotations

import calendar
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from botocore.auth import S3SigV4Auth, S3SigV4QueryAuth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from hypothesis import given, settings
from hypothesis import strategies as st

from iamsandbox import errors
from iamsandbox.auth import sigv4

KEY_ID = "AKIAIOSFODNN7EXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
TOKEN = "IQoJb3JpZ2luX2VjEXAMPLETOKEN"
QUERY_MISMATCH = (
    "The request signature we calculated does not match the signature you provided. Check your AWS Secret "
    "Access Key and signing method. Consult the service documentation for details."
)
S3_MISMATCH = (
    "The request signature we calculated does not match the signature you provided. Check your key and signing method."
)

Wire = tuple[str, str, str, list[tuple[str, str]], bytes]


def _lookup(key_id: str) -> str | None:
    return SECRET if key_id == KEY_ID else None


def _wire(request: AWSRequest) -> Wire:
    prepared = request.prepare()
    url = urlsplit(prepared.url)
    headers = [(str(k), str(val)) for k, val in prepared.headers.items()]
    headers.append(("Host", url.netloc))
    body = prepared.body or b""
    return prepared.method, url.path, url.query, headers, body if isinstance(body, bytes) else body.encode()


def _sts(secret: str = SECRET, token: str | None = TOKEN) -> Wire:
    request = AWSRequest(
        "POST",
        "https://sts.amazonaws.com/",
        data="Action=GetCallerIdentity&Version=2011-06-15",
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8", "X-Amz-Meta": "v"},
    )
    SigV4Auth(Credentials(KEY_ID, secret, token), "sts", "us-east-1").add_auth(request)
    return _wire(request)


def _s3(secret: str = SECRET) -> Wire:
    request = AWSRequest(
        "PUT", "http://bucket.s3.amazonaws.com/a%20b/c?tagging=&x=1", data=b"body", headers={"x-amz-meta-a": "1"}
    )
    S3SigV4Auth(Credentials(KEY_ID, secret), "s3", "us-east-1").add_auth(request)
    return _wire(request)


def _s3_presigned(expires: int = 3600) -> Wire:
    request = AWSRequest("GET", "https://bucket.s3.amazonaws.com/key?versionId=3")
    S3SigV4QueryAuth(Credentials(KEY_ID, SECRET, TOKEN), "s3", "us-east-1", expires=expires).add_auth(request)
    return _wire(request)


def _check(wire: Wire, service: str, now: float | None = None, **kwargs: object) -> sigv4.Authenticated | None:
    method, path, query, headers, body = wire
    return sigv4.verify_request(
        method,
        path,
        query,
        headers,
        service=service,
        lookup=_lookup,  # type: ignore[arg-type]
        now=time.time() if now is None else now,
        cache=sigv4.SigningKeyCache(),
        body=body,
        **kwargs,
    )


def _set_header(headers: list[tuple[str, str]], name: str, value: str) -> list[tuple[str, str]]:
    return [(k, value if k.lower() == name else val) for k, val in headers]


TAMPERS = {
    "method": lambda w: ("PUT" if w[0] != "PUT" else "POST", *w[1:]),
    "path": lambda w: (w[0], w[1] + "x", *w[2:]),
    "query param": lambda w: (w[0], w[1], w[2] + "&extra=1", *w[3:]),
    "signed header": lambda w: (*w[:3], _set_header(w[3], "host", "other.amazonaws.com"), w[4]),
    "date": lambda w: (*w[:3], _set_header(w[3], "x-amz-date", sigv4.format_amz_date(int(time.time()) - 60)), w[4]),
}


@pytest.mark.parametrize("part", sorted(TAMPERS))
def test_query_service_tampering(part: str) -> None:
    wire = TAMPERS[part](_sts())
    with pytest.raises(errors.SignatureDoesNotMatch) as caught:
        _check(wire, "sts")
    assert caught.value.message == QUERY_MISMATCH and caught.value.status == 403


@pytest.mark.parametrize("part", sorted(TAMPERS))
def test_s3_tampering(part: str) -> None:
    wire = TAMPERS[part](_s3())
    with pytest.raises(errors.SignatureDoesNotMatch) as caught:
        _check(wire, "s3")
    assert caught.value.message == S3_MISMATCH


def test_body_and_secret_tampering() -> None:
    method, path, query, headers, body = _sts()
    with pytest.raises(errors.SignatureDoesNotMatch):
        _check((method, path, query, headers, body + b"&x=1"), "sts")
    with pytest.raises(errors.SignatureDoesNotMatch):
        _check(_sts(secret=SECRET[:-1] + "X"), "sts")
    with pytest.raises(errors.SignatureDoesNotMatch):
        _check(_s3(secret=SECRET[:-1] + "X"), "s3")
    method, path, query, headers, body = _s3()
    with pytest.raises(errors.XAmzContentSHA256Mismatch):  # signed hash, different body
        _check((method, path, query, headers, b"bodY"), "s3")


def test_unsigned_header_added_after_signing_is_ignored_by_query_services() -> None:
    method, path, query, headers, body = _sts()
    assert _check((method, path, query, [*headers, ("X-Forwarded-For", "1.2.3.4")], body), "sts") is not None


def test_unknown_key() -> None:
    method, path, query, headers, body = _sts()
    headers = [(k, val.replace(KEY_ID, "AKIAUNKNOWNKEY000000")) for k, val in headers]
    with pytest.raises(errors.InvalidClientTokenId, match=r"^The security token included in the request is invalid\.$"):
        _check((method, path, query, headers, body), "sts")
    method, path, query, headers, body = _s3()
    headers = [(k, val.replace(KEY_ID, "AKIAUNKNOWNKEY000000")) for k, val in headers]
    with pytest.raises(
        errors.InvalidAccessKeyId, match=r"^The AWS Access Key Id you provided does not exist in our records\.$"
    ) as unknown:
        _check((method, path, query, headers, body), "s3")
    assert unknown.value.fields == {"AWSAccessKeyId": "AKIAUNKNOWNKEY000000"}  # S3 names the key


def _expired_lookup(key_id: str) -> str | None:
    # What server.identity.Credentials does for temporary credentials past their expiry.
    raise errors.ExpiredToken("the lookup's own words")


@pytest.mark.parametrize(
    ("wire", "service", "message", "status"),
    [
        # IAM and STS: 403 (ErrorResponse quoted in cfn-sphere/cfn-sphere#55, aws/aws-sdk-java-v2#1649).
        (_sts, "sts", "The security token included in the request is expired", 403),
        # S3: 400 (quoted in craftcms/aws-s3#182, romange/helio#15).
        (_s3, "s3", "The provided token has expired.", 400),
        (_s3_presigned, "s3", "The provided token has expired.", 400),
    ],
)
def test_expired_token_in_the_services_words(wire: object, service: str, message: str, status: int) -> None:
    method, path, query, headers, body = wire()  # type: ignore[operator]
    with pytest.raises(errors.ExpiredToken) as caught:
        sigv4.verify_request(
            method,
            path,
            query,
            headers,
            service=service,
            lookup=_expired_lookup,
            now=time.time(),
            cache=sigv4.SigningKeyCache(),
            body=body,
        )
    assert caught.value.code == "ExpiredToken"
    assert caught.value.message == message and caught.value.status == status


def test_clock_skew() -> None:
    wire = _sts()
    signed_at = sigv4.parse_amz_date(dict((k.lower(), val) for k, val in wire[3])["x-amz-date"])
    assert signed_at is not None
    assert _check(wire, "sts", now=signed_at + 900) is not None
    assert _check(wire, "sts", now=signed_at - 900) is not None
    with pytest.raises(errors.SignatureDoesNotMatch) as caught:
        _check(wire, "sts", now=signed_at + 901)
    amz = sigv4.format_amz_date
    assert caught.value.message == (
        f"Signature expired: {amz(signed_at)} is now earlier than {amz(signed_at + 1)} "
        f"({amz(signed_at + 901)} - 15 min.)"
    )
    with pytest.raises(errors.SignatureDoesNotMatch, match=r"^Signature not yet current: .* is still later than "):
        _check(wire, "sts", now=signed_at - 901)
    s3_wire = _s3()
    s3_signed = dict((k.lower(), val) for k, val in s3_wire[3])["x-amz-date"]
    with pytest.raises(errors.RequestTimeTooSkewed) as skew:
        _check(s3_wire, "s3", now=(sigv4.parse_amz_date(s3_signed) or 0) + 3600)
    assert skew.value.message == "The difference between the request time and the current time is too large."
    assert skew.value.status == 403
    # S3's answer names both times and the limit (real replies: aws/aws-sdk-php#612,
    # JuliaCloud/AWS.jl#598).
    server = time.gmtime((sigv4.parse_amz_date(s3_signed) or 0) + 3600)
    assert skew.value.fields == {
        "RequestTime": s3_signed,
        "ServerTime": time.strftime("%Y-%m-%dT%H:%M:%SZ", server),
        "MaxAllowedSkewMilliseconds": "900000",
    }


def test_one_auth_mechanism_only() -> None:
    # Recorded from S3 (catalyst/moodle-tool_objectfs#303): "Only one auth mechanism allowed;
    # only the X-Amz-Algorithm query parameter, Signature query string parameter or the
    # Authorization header should be specified".
    method, path, query, headers, body = _s3()
    with pytest.raises(errors.InvalidArgument, match="^Only one auth mechanism allowed") as caught:
        _check((method, path, query + "&X-Amz-Algorithm=AWS4-HMAC-SHA256", headers, body), "s3")
    assert caught.value.fields["ArgumentName"] == "Authorization"


def test_pairs_are_separated_by_whitespace_too() -> None:
    # "Credential= AKIA..." (a space after "="): AWS reads "AKIA.../..." as a pair without
    # an equal sign (STS, CloudFormation: aws/aws-sdk-go#289, jenkinsci/aws-credentials-plugin#72).
    method, path, query, headers, body = _sts()
    spaced = [(k, val.replace("Credential=", "Credential= ")) for k, val in headers]
    with pytest.raises(errors.IncompleteSignature, match=r"not a valid key=value pair \(missing equal-sign\)"):
        _check((method, path, query, spaced, body), "sts")


def test_presigned_credential_faults_are_query_parameter_errors() -> None:
    # A presigned URL has no Authorization header: S3 answers its credential's faults as
    # AuthorizationQueryParametersError ("Error responses", S3 API Reference).
    method, path, query, headers, body = _s3_presigned()
    for wrong in ("%2Fs3%2Faws4_reques&", "%2Fec2%2Faws4_request&"):
        bad = query.replace("%2Fs3%2Faws4_request&", wrong)
        assert bad != query
        with pytest.raises(errors.AuthorizationQueryParametersError, match="^Error parsing the X-Amz-Credential"):
            _check((method, path, bad, headers, body), "s3")


def test_presigned_expiry() -> None:
    wire = _s3_presigned(expires=60)
    signed_at = int(time.time())
    assert _check(wire, "s3", now=signed_at + 30) is not None
    with pytest.raises(errors.AccessDenied, match=r"^Request has expired$") as expired:
        _check(wire, "s3", now=signed_at + 3600)
    # S3's members with it, as real answers show them: the lifetime, when it ended, and now.
    amz_date = parse_qs(wire[2])["X-Amz-Date"][0]
    start = calendar.timegm(time.strptime(amz_date, "%Y%m%dT%H%M%SZ"))
    assert expired.value.fields == {
        "X-Amz-Expires": "60",
        "Expires": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(start + 60)),
        "ServerTime": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(signed_at + 3600)),
    }
    with pytest.raises(errors.AuthorizationQueryParametersError, match="must be less than a week"):
        _check(_s3_presigned(expires=604801), "s3")
    assert _check(_s3_presigned(expires=604800), "s3", now=signed_at + 604000) is not None


def test_presigned_missing_parameter_and_unsigned_header() -> None:
    method, path, query, headers, body = _s3_presigned()
    stripped = "&".join(p for p in query.split("&") if not p.startswith("X-Amz-Expires="))
    with pytest.raises(
        errors.AuthorizationQueryParametersError, match="^Query-string authentication version 4 requires"
    ):
        _check((method, path, stripped, headers, body), "s3")
    with pytest.raises(errors.AccessDenied, match="^There were headers present in the request which were not signed$"):
        _check((method, path, query, [*headers, ("x-amz-meta-x", "1")], body), "s3")


def test_session_token_passthrough_and_presigned_token_is_signed_for_s3() -> None:
    auth = _check(_sts(), "sts")
    assert auth is not None and auth.security_token == TOKEN
    assert TOKEN not in repr(auth) and auth.signature not in repr(auth)
    method, path, query, headers, body = _s3_presigned()
    auth = _check((method, path, query, headers, body), "s3")
    assert auth is not None and auth.security_token == TOKEN
    with pytest.raises(errors.SignatureDoesNotMatch):
        _check((method, path, query.replace("IQoJ", "IQoK"), headers, body), "s3")


def test_missing_authentication() -> None:
    with pytest.raises(errors.MissingAuthenticationToken, match="^Request is missing Authentication Token$"):
        sigv4.verify_request(
            "GET",
            "/",
            "Action=ListUsers",
            [("Host", "iam.amazonaws.com")],
            service="iam",
            lookup=_lookup,
            now=time.time(),
            cache=sigv4.SigningKeyCache(),
        )
    assert (
        sigv4.verify_request(
            "GET",
            "/b/k",
            "",
            [("Host", "s3.amazonaws.com")],
            service="s3",
            lookup=_lookup,
            now=time.time(),
            cache=sigv4.SigningKeyCache(),
        )
        is None
    )


@pytest.mark.parametrize(
    ("authorization", "expected"),
    [
        (
            "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/sts/aws4_request",
            "Authorization header requires 'Signature' parameter. "
            "Authorization header requires 'SignedHeaders' parameter.",
        ),
        (
            "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/sts, SignedHeaders=host, Signature=00",
            "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, "
            "got 'AKID/20150830/us-east-1/sts'",
        ),
        (
            "Bearer abc",
            "Authorization header requires 'Credential' parameter. Authorization header requires "
            "'Signature' parameter. Authorization header requires 'SignedHeaders' parameter.",
        ),
    ],
)
def test_incomplete_signature(authorization: str, expected: str) -> None:
    headers = [
        ("Host", "sts.amazonaws.com"),
        ("X-Amz-Date", sigv4.format_amz_date(int(time.time()))),
        ("Authorization", authorization),
    ]
    with pytest.raises(errors.IncompleteSignature) as caught:
        sigv4.verify_request(
            "POST", "/", "", headers, service="sts", lookup=_lookup, now=time.time(), cache=sigv4.SigningKeyCache()
        )
    assert caught.value.message == expected and caught.value.status == 400


def test_s3_malformed_authorization() -> None:
    now = sigv4.format_amz_date(int(time.time()))
    base = [("Host", "b.s3.amazonaws.com"), ("X-Amz-Date", now), ("x-amz-content-sha256", sigv4.UNSIGNED_PAYLOAD)]
    cases: list[tuple[str, type[errors.ServiceError], str]] = [
        (
            "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/s3/aws4_request",
            errors.AuthorizationHeaderMalformed,
            "The authorization header is malformed; the authorization header requires three components: "
            "Credential, SignedHeaders, and Signature.",
        ),
        (
            "AWS4-HMAC-SHA256 Credential=AKID/x/s3/aws4_request,SignedHeaders=host,Signature=00",
            errors.AuthorizationHeaderMalformed,
            "The authorization header is malformed; the Credential is mal-formed; expecting "
            '"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".',
        ),
        (
            f"AWS4-HMAC-SHA256 Credential={KEY_ID}/{now[:8]}/aws-global/s3/aws4_request,"
            "SignedHeaders=host,Signature=00",
            errors.AuthorizationHeaderMalformed,
            "The authorization header is malformed; the region 'aws-global' is wrong; expecting 'us-east-1'",
        ),
        (
            # Signature Version 2 (``auth/sigv2.py``): the key is looked up first.
            "AWS AKID:c2lnbmF0dXJl",
            errors.InvalidAccessKeyId,
            "The AWS Access Key Id you provided does not exist in our records.",
        ),
    ]
    for authorization, cls, message in cases:
        with pytest.raises(cls) as caught:
            sigv4.verify_request(
                "GET",
                "/",
                "",
                [*base, ("Authorization", authorization)],
                service="s3",
                lookup=_lookup,
                now=time.time(),
                cache=sigv4.SigningKeyCache(),
                region="us-east-1",
            )
        assert caught.value.message == message


def test_wrong_scope_for_query_services() -> None:
    method, path, query, headers, body = _sts()
    with pytest.raises(
        errors.SignatureDoesNotMatch, match=r"^Credential should be scoped to correct service: 'iam'\. $"
    ):
        _check((method, path, query, headers, body), "iam")
    with pytest.raises(
        errors.SignatureDoesNotMatch, match=r"^Credential should be scoped to a valid region, not 'us-east-1'\. $"
    ):
        _check((method, path, query, headers, body), "sts", region="eu-west-1")


def test_no_secret_signature_or_token_in_any_error() -> None:
    failures: list[errors.ServiceError] = []
    for part in TAMPERS:
        for wire, service in ((TAMPERS[part](_sts()), "sts"), (TAMPERS[part](_s3()), "s3")):
            try:
                _check(wire, service)
            except errors.ServiceError as err:
                failures.append(err)
    assert len(failures) == 2 * len(TAMPERS)
    signatures = [
        val.rsplit("Signature=", 1)[-1] for wire in (_sts(), _s3()) for k, val in wire[3] if k == "Authorization"
    ]
    for err in failures:
        text = f"{err} {err!r} {err.message}"
        assert SECRET not in text and TOKEN not in text
        assert not any(sig in text for sig in signatures)


def test_signing_key_cache_is_bounded_and_masked() -> None:
    cache = sigv4.SigningKeyCache(maxsize=3)
    for day in range(10):
        key = cache.signing_key(SECRET, f"201508{day:02d}", "us-east-1", "sts")
        assert key == sigv4.derive_signing_key(SECRET, f"201508{day:02d}", "us-east-1", "sts")
    assert len(cache) == 3
    assert SECRET not in repr(cache)


SEED_WIRE = _sts()


@settings(max_examples=400, deadline=None)
@given(
    authorization=st.one_of(
        st.text(max_size=200),
        st.builds(
            lambda a, b, c: f"AWS4-HMAC-SHA256 Credential={a}, SignedHeaders={b}, Signature={c}",
            st.text(max_size=60),
            st.text(max_size=40),
            st.text(max_size=70),
        ),
    ),
    date=st.text(max_size=20),
    service=st.sampled_from(["sts", "s3"]),
)
def test_fuzz_authorization_header(authorization: str, date: str, service: str) -> None:
    headers = [
        ("Host", "x.amazonaws.com"),
        ("X-Amz-Date", date),
        ("Authorization", authorization),
        ("x-amz-content-sha256", sigv4.UNSIGNED_PAYLOAD),
    ]
    try:
        sigv4.verify_request(
            "GET", "/", "", headers, service=service, lookup=_lookup, now=time.time(), cache=sigv4.SigningKeyCache()
        )
    except errors.ServiceError:
        pass


@settings(max_examples=400, deadline=None)
@given(
    path=st.text(max_size=60),
    query=st.text(max_size=200),
    service=st.sampled_from(["sts", "s3"]),
    presign=st.booleans(),
)
def test_fuzz_path_and_query(path: str, query: str, service: str, presign: bool) -> None:
    if presign:
        query = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=" + query
    method, _p, _q, headers, body = SEED_WIRE
    if presign:
        headers = [(k, val) for k, val in headers if k != "Authorization"]
    try:
        sigv4.verify_request(
            method,
            path,
            query,
            headers,
            service=service,
            lookup=_lookup,
            now=time.time(),
            cache=sigv4.SigningKeyCache(),
            body=body,
        )
    except errors.ServiceError:
        pass

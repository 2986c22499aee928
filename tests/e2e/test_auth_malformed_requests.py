"""Malformed signed requests a black-box review sent to a running server, answered as AWS
answers them (each test cites the thread or page that records the answer) and never with
an InternalError: a presigned URL whose credential scope holds bytes that are not UTF-8,
x-amz- headers an Authorization header's signature leaves out, an empty or unknown
Authorization header, and aws-chunked trailers that are not the ones declared.
"""

from __future__ import annotations

import http.client
import time
from urllib.parse import urlsplit
from xml.etree import ElementTree

from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from e2e_harness import A, Server, _client

from iamsandbox.auth import chunked
from iamsandbox.auth.signing import STREAMING_UNSIGNED_TRAILER, format_amz_date

QUERY_NS = {"iam": "https://iam.amazonaws.com/doc/2010-05-08/", "sts": "https://sts.amazonaws.com/doc/2011-06-15/"}


def _send(
    server: Server, method: str, target: str, headers: list[tuple[str, str]], body: bytes = b""
) -> tuple[int, bytes]:
    url = urlsplit(server.url)
    connection = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port, timeout=10)
    try:
        connection.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
        for name, value in headers:
            connection.putheader(name, value)
        if not any(name.lower() == "content-length" for name, _ in headers):
            connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def _signed(
    server: Server, keys: dict[str, str], method: str, target: str, headers: dict[str, str], body: bytes
) -> list[tuple[str, str]]:
    request = AWSRequest(method=method, url=f"{server.url}{target}", data=body, headers=headers)
    S3SigV4Auth(Credentials(keys["AccessKeyId"], keys["SecretAccessKey"]), "s3", "us-east-1").add_auth(request)
    return [("Host", urlsplit(server.url).netloc), *((str(k), str(v)) for k, v in request.headers.items())]


def _s3_error(body: bytes) -> dict[str, str]:
    return {child.tag: child.text or "" for child in ElementTree.fromstring(body)}


def test_presigned_credential_scope_bytes_that_are_not_utf8_are_a_malformed_credential(server: Server) -> None:
    # The review's request ("%FF" for the region): an InternalError from IAM, STS and S3 until
    # now. Each service answers a malformed credential in its own words, as it answers an
    # empty scope part.
    keys = server.create_account(A)
    key_id = keys["AccessKeyId"]
    _client(server, "s3", keys).create_bucket(Bucket="scoped")
    amz_date = format_amz_date(int(time.time()))
    host = [("Host", urlsplit(server.url).netloc)]
    for service, target, action in [
        ("sts", "/", "Action=GetCallerIdentity&Version=2011-06-15&"),
        ("iam", "/", "Action=ListUsers&Version=2010-05-08&"),
        ("s3", "/scoped/key", ""),
    ]:
        scope = [key_id, amz_date[:8], "us-east-1", service, "aws4_request"]
        for index in range(1, 5):  # date, region, service, terminator
            parts = [*scope]
            parts[index] = "%FF" if index == 2 else parts[index][:2] + "%C3%28"
            query = (
                f"{action}X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential={'%2F'.join(parts)}"
                f"&X-Amz-Date={amz_date}&X-Amz-Expires=100&X-Amz-SignedHeaders=host&X-Amz-Signature=00"
            )
            status, body = _send(server, "GET", f"{target}?{query}", host)
            assert status == 400, (service, index, body)
            if service == "s3":
                error = _s3_error(body)
                assert error["Code"] == "AuthorizationQueryParametersError", body
                assert error["Message"].startswith("Error parsing the X-Amz-Credential parameter; the Credential is")
            else:
                ns = QUERY_NS[service]
                error_element = ElementTree.fromstring(body).find(f"{{{ns}}}Error")
                assert error_element is not None, body
                assert error_element.findtext(f"{{{ns}}}Code") == "IncompleteSignature", body
    log = server.log.read_text()
    assert "Traceback" not in log and "internal error" not in log


def test_amz_headers_left_out_of_the_signature_are_refused_and_not_applied(server: Server) -> None:
    # Signed over host;x-amz-content-sha256;x-amz-date, then x-amz-meta-foo and x-amz-tagging
    # added: S3 answers 403 AccessDenied naming them (apache/arrow-rs-object-store#484;
    # "Any x-amz-* headers that you plan to include in your request must also be added",
    # S3 API Reference, "Signature Calculations for the Authorization Header").
    keys = server.create_account(A)
    s3 = _client(server, "s3", keys)
    s3.create_bucket(Bucket="signed-headers")
    headers = _signed(server, keys, "PUT", "/signed-headers/k", {}, b"data")
    status, body = _send(
        server, "PUT", "/signed-headers/k", [*headers, ("x-amz-meta-foo", "bar"), ("x-amz-tagging", "a=b")], b"data"
    )
    error = _s3_error(body)
    assert (status, error["Code"]) == (403, "AccessDenied")
    assert error["Message"] == "There were headers present in the request which were not signed"
    assert error["HeadersNotSigned"] == "x-amz-meta-foo, x-amz-tagging"
    assert "Contents" not in s3.list_objects_v2(Bucket="signed-headers")
    # Signed, the same headers are applied.
    headers = _signed(
        server, keys, "PUT", "/signed-headers/k", {"x-amz-meta-foo": "bar", "x-amz-tagging": "a=b"}, b"data"
    )
    assert _send(server, "PUT", "/signed-headers/k", headers, b"data")[0] == 200
    assert s3.head_object(Bucket="signed-headers", Key="k")["Metadata"] == {"foo": "bar"}
    assert s3.get_object_tagging(Bucket="signed-headers", Key="k")["TagSet"] == [{"Key": "a", "Value": "b"}]


def test_empty_and_unknown_authorization_headers(server: Server) -> None:
    keys = server.create_account(A)
    s3 = _client(server, "s3", keys)
    s3.create_bucket(Bucket="private")
    s3.put_object(Bucket="private", Key="k", Body=b"secret")
    host = ("Host", urlsplit(server.url).netloc)
    # Present but empty: an anonymous request, refused as one (storj/edge#142, apache/ozone#2999).
    status, body = _send(server, "GET", "/private/k", [host, ("Authorization", "")])
    error = _s3_error(body)
    assert (status, error["Code"], error["Message"]) == (403, "AccessDenied", "Access Denied")
    # A scheme S3 does not know (versity/versitygw#1512, #1705).
    for scheme in ("Bearer x", "Basic dXNlcjpwYXNz"):
        status, body = _send(server, "GET", "/private/k", [host, ("Authorization", scheme)])
        error = _s3_error(body)
        assert (status, error["Code"], error["Message"]) == (400, "InvalidArgument", "Unsupported Authorization Type")
        assert (error["ArgumentName"], error["ArgumentValue"]) == ("Authorization", scheme)


class _UnsignedTrailer(S3SigV4Auth):
    """Signs x-amz-content-sha256: STREAMING-UNSIGNED-PAYLOAD-TRAILER, as boto3 over HTTPS."""

    def payload(self, request: AWSRequest) -> str:
        return STREAMING_UNSIGNED_TRAILER


def test_a_trailer_that_x_amz_trailer_does_not_declare_is_refused_and_not_stored(server: Server) -> None:
    # S3: 400 MalformedTrailerError (scality/Arsenal#2596: "The x-amz-trailer is not set but the
    # body contains a trailer"); until now the object was stored, its checksum unverified.
    keys = server.create_account(A)
    s3 = _client(server, "s3", keys)
    s3.create_bucket(Bucket="trailers")
    payload = b"hello"
    crc = chunked.checksum_b64("x-amz-checksum-crc32", payload)

    def put(key: str, trailer: bytes, declared: dict[str, str]) -> tuple[int, bytes]:
        body = b"5\r\nhello\r\n0\r\n" + trailer + b"\r\n\r\n"
        headers = {"Content-Encoding": "aws-chunked", "x-amz-decoded-content-length": "5", **declared}
        request = AWSRequest(method="PUT", url=f"{server.url}/trailers/{key}", data=body, headers=headers)
        _UnsignedTrailer(Credentials(keys["AccessKeyId"], keys["SecretAccessKey"]), "s3", "us-east-1").add_auth(request)
        signed = [("Host", urlsplit(server.url).netloc), *((str(k), str(v)) for k, v in request.headers.items())]
        return _send(server, "PUT", f"/trailers/{key}", signed, body)

    assert put("declared", f"x-amz-checksum-crc32:{crc}".encode(), {"x-amz-trailer": "x-amz-checksum-crc32"})[0] == 200
    status, body = put("undeclared", b"x-amz-checksum-crc32:AAAAAA==", {})
    error = _s3_error(body)
    assert (status, error["Code"]) == (400, "MalformedTrailerError")
    assert error["Message"] == (
        "The request contained trailing data that was not well-formed or did not conform to our published schema."
    )
    assert [o["Key"] for o in s3.list_objects_v2(Bucket="trailers")["Contents"]] == ["declared"]

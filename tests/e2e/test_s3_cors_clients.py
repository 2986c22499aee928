"""A bucket's CORS rules applied to browsers' requests: preflights (OPTIONS) answered from
the rules, and CORS headers on the requests they let through.

AWS: S3 User Guide, "Using cross-origin resource sharing (CORS)" and "How does Amazon S3
evaluate the CORS configuration on a bucket?" (the first rule whose AllowedOrigin,
AllowedMethod and AllowedHeaders match; one "*" in an origin or header). The answers' codes,
messages, fields and headers are as recorded from S3 in LocalStack's test_s3_cors snapshot
(tests/aws/services/s3/test_s3_cors.snapshot.json, 2023-2025): the cases below name the
recording each follows.
"""

from __future__ import annotations

import http.client
import http.server
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from browser_harness import browser, page
from e2e_harness import A, Server, _client, server

__all__ = ["browser", "page", "server"]

ORIGIN = "https://localhost:4200"
NOT_ALLOWED = (
    "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, "
    "request method / Access-Control-Request-Method or Access-Control-Request-Headers are not "
    "whitelisted by the resource's CORS spec."
)
VARY = "Origin, Access-Control-Request-Headers, Access-Control-Request-Method"
RULES = [
    {
        "AllowedOrigins": [ORIGIN, "http://*.origin.com"],
        "AllowedMethods": ["GET", "PUT"],
        "AllowedHeaders": ["x-amz-expected-bucket-owner", "x-AMZ-server-SIDE-encryption", "x-amz-meta-*"],
        "MaxAgeSeconds": 3000,
    },
    {"AllowedOrigins": ["*"], "AllowedMethods": ["HEAD"], "ExposeHeaders": ["x-amz-request-id", "ETag"]},
]
# The first rule's headers for ORIGIN ("opt-right-origin", "get-right-origin").
FIRST_RULE = {
    "Access-Control-Allow-Origin": ORIGIN,
    "Access-Control-Allow-Credentials": "true",
    "Access-Control-Allow-Methods": "GET, PUT",
    "Access-Control-Max-Age": "3000",
    "Vary": VARY,
}


def _send(server: Server, method: str, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    parts = urlsplit(server.url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    try:
        connection.request(method, path, headers=headers)
        answer = connection.getresponse()
        return answer.status, dict(answer.getheaders()), answer.read()
    finally:
        connection.close()


def _error(body: bytes) -> dict[str, str]:
    return {child.tag: child.text or "" for child in ET.fromstring(body)}


@pytest.fixture
def bucket(server: Server) -> Iterator[Any]:
    s3 = _client(server, "s3", server.create_account(A))
    s3.create_bucket(Bucket="web-assets")
    s3.put_object(Bucket="web-assets", Key="hello.txt", Body=b"test-cors")
    s3.create_bucket(Bucket="no-cors")
    yield s3


def _cors_headers(headers: dict[str, str]) -> dict[str, str]:
    """The CORS headers, named as S3 writes them (HTTP names are case-insensitive; uvicorn
    sends them in lower case)."""
    named = {name.title(): value for name, value in headers.items()}
    return {name: value for name, value in named.items() if name.startswith("Access-Control-") or name == "Vary"}


def test_a_preflight_that_a_rule_matches_is_answered_with_the_rules_headers(server: Server, bucket: Any) -> None:
    # "opt-right-origin" and "opt-get-allowed-diff-casing": the origin back, with credentials;
    # the requested headers in lower case, matched without regard to case.
    bucket.put_bucket_cors(Bucket="web-assets", CORSConfiguration={"CORSRules": RULES})
    status, headers, body = _send(
        server,
        "OPTIONS",
        "/web-assets/hello.txt",
        {
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "PUT",
            "Access-Control-Request-Headers": "X-Amz-Expected-Bucket-Owner, x-amz-server-side-encryption, x-amz-meta-a",
        },
    )
    assert (status, body, headers["content-length"]) == (200, b"", "0")
    assert _cors_headers(headers) == {
        **FIRST_RULE,
        "Access-Control-Allow-Headers": "x-amz-expected-bucket-owner, x-amz-server-side-encryption, x-amz-meta-a",
    }
    assert headers["x-amz-request-id"] and headers["x-amz-id-2"] and "content-type" not in headers
    # "options_match_partial_origin": one "*" in an AllowedOrigin.
    status, headers, _ = _send(
        server,
        "OPTIONS",
        "/web-assets/hello.txt",
        {"Origin": "http://test.origin.com", "Access-Control-Request-Method": "GET"},
    )
    assert status == 200 and _cors_headers(headers)["Access-Control-Allow-Origin"] == "http://test.origin.com"
    # "opt-random-wildcard-origin", "test_cors_expose_headers": "*" answers "*", no credentials.
    status, headers, _ = _send(
        server,
        "OPTIONS",
        "/web-assets/hello.txt",
        {"Origin": "https://any.example", "Access-Control-Request-Method": "HEAD"},
    )
    assert status == 200
    assert _cors_headers(headers) == {
        "Access-Control-Allow-Origin": "*",
        "Access-Control-Allow-Methods": "HEAD",
        "Access-Control-Expose-Headers": "x-amz-request-id, ETag",
        "Vary": VARY,
    }


@pytest.mark.parametrize(
    ("path", "headers", "status", "code", "message", "fields"),
    [
        # "options-no-origin": no Origin, the bucket's rules not read.
        ("/web-assets/hello.txt", {"Access-Control-Request-Method": "GET"}, 400, "BadRequest",
         "Insufficient information. Origin request header needed.", {}),
        # "options-with-origin" of test_cors_http_options_non_existent_bucket.
        ("/missing-bucket/x", {"Origin": ORIGIN}, 403, "AccessForbidden", "CORSResponse: Bucket not found",
         {"Method": "OPTIONS", "ResourceType": "OBJECT"}),
        # "options-with-origin-and-method" / "-no-method" of test_cors_http_options_no_config.
        ("/no-cors", {"Origin": ORIGIN, "Access-Control-Request-Method": "PUT"}, 403, "AccessForbidden",
         "CORSResponse: CORS is not enabled for this bucket.", {"Method": "PUT", "ResourceType": "BUCKET"}),
        ("/no-cors", {"Origin": ORIGIN}, 403, "AccessForbidden",
         "CORSResponse: CORS is not enabled for this bucket.", {"Method": "OPTIONS", "ResourceType": "BUCKET"}),
        # "opt-wrong-origin": an origin no rule names.
        ("/web-assets/hello.txt", {"Origin": "https://evil.example", "Access-Control-Request-Method": "PUT"}, 403,
         "AccessForbidden", NOT_ALLOWED, {"Method": "PUT", "ResourceType": "OBJECT"}),
        # "opt-put" of test_cors_match_methods: a method the matching origin's rule lacks.
        ("/web-assets/hello.txt", {"Origin": ORIGIN, "Access-Control-Request-Method": "DELETE"}, 403,
         "AccessForbidden", NOT_ALLOWED, {"Method": "DELETE", "ResourceType": "OBJECT"}),
        # "opt-get-non-allowed": a requested header no AllowedHeader matches.
        ("/web-assets/hello.txt", {"Origin": ORIGIN, "Access-Control-Request-Method": "GET",
         "Access-Control-Request-Headers": "x-amz-request-payer"}, 403, "AccessForbidden", NOT_ALLOWED,
         {"Method": "GET", "ResourceType": "OBJECT"}),
        # "options_fails_partial_origin": the bucket itself is ResourceType BUCKET.
        ("/web-assets", {"Origin": "http://origin.com", "Access-Control-Request-Method": "GET"}, 403,
         "AccessForbidden", NOT_ALLOWED, {"Method": "GET", "ResourceType": "BUCKET"}),
        # A method none of S3's five (S3-compatible servers' answer; unconfirmed against AWS).
        ("/web-assets/hello.txt", {"Origin": ORIGIN, "Access-Control-Request-Method": "PATCH"}, 400, "BadRequest",
         "Invalid Access-Control-Request-Method: PATCH", {}),
    ],
)  # fmt: skip
def test_a_preflight_refused_gets_s3s_error(
    server: Server,
    bucket: Any,
    path: str,
    headers: dict[str, str],
    status: int,
    code: str,
    message: str,
    fields: dict[str, str],
) -> None:
    bucket.put_bucket_cors(Bucket="web-assets", CORSConfiguration={"CORSRules": RULES})
    answered, answer_headers, body = _send(server, "OPTIONS", path, headers)
    error = _error(body)
    assert (answered, error["Code"], error["Message"]) == (status, code, message)
    assert {name: error[name] for name in fields} == fields
    assert _cors_headers(answer_headers) == {}


def test_a_request_with_an_origin_gets_the_matching_rules_headers_and_is_answered_as_ever(
    server: Server, bucket: Any
) -> None:
    bucket.put_bucket_cors(Bucket="web-assets", CORSConfiguration={"CORSRules": RULES})
    url = bucket.generate_presigned_url("get_object", Params={"Bucket": "web-assets", "Key": "hello.txt"})
    path = url[len(server.url) :]
    # "get-right-origin": the rule's headers (no Allow-Headers) on the object.
    status, headers, body = _send(server, "GET", path, {"Origin": ORIGIN})
    assert (status, body) == (200, b"test-cors")
    assert _cors_headers(headers) == FIRST_RULE
    # "get-wrong-origin" and "get-no-origin": the object, without CORS headers.
    for origin in ({"Origin": "https://evil.example"}, {}):
        status, headers, body = _send(server, "GET", path, origin)
        assert (status, body, _cors_headers(headers)) == (200, b"test-cors", {})
    # The request is still authorized as ever: a CORS rule grants no access.
    status, headers, _ = _send(server, "GET", "/web-assets/hello.txt", {"Origin": ORIGIN})
    assert status == 403
    # DeleteBucketCors: the rules are gone, and so are the headers.
    bucket.delete_bucket_cors(Bucket="web-assets")
    status, headers, _ = _send(server, "GET", path, {"Origin": ORIGIN})
    assert (status, _cors_headers(headers)) == (200, {})


class _Page(http.server.BaseHTTPRequestHandler):
    """A page on another origin (another port) for the browser to run fetch() from."""

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        body = b"<!doctype html><title>app</title><p>app</p>"
        self.send_response(200)
        self.send_header("content-type", "text/html")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def app_origin() -> Iterator[str]:
    site = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    thread = threading.Thread(target=site.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{site.server_address[1]}"
    finally:
        site.shutdown()
        site.server_close()


UPLOAD = """async (url) => {
    try {
        const headers = {"Content-Type": "text/plain"};
        const answer = await fetch(url, {method: "PUT", body: "from the browser", headers: headers});
        return answer.status;
    } catch (error) {
        return String(error);
    }
}"""


def test_a_browser_uploads_with_a_presigned_url_only_when_the_bucket_allows_its_origin(
    server: Server, bucket: Any, page: Any, app_origin: str
) -> None:
    """The S3 User Guide's first CORS use case: "JavaScript in a web page ... to make
    authenticated GET and PUT requests against the same bucket": a PUT with a Content-Type
    is not a "simple" request, so Chromium sends the preflight first."""
    url = bucket.generate_presigned_url(
        "put_object", Params={"Bucket": "web-assets", "Key": "upload.txt", "ContentType": "text/plain"}
    )
    page.goto(app_origin)
    assert page.evaluate(UPLOAD, url) == "TypeError: Failed to fetch"  # no rules: the preflight is refused
    assert "Contents" not in bucket.list_objects_v2(Bucket="web-assets", Prefix="upload")

    rule = {"AllowedOrigins": [app_origin], "AllowedMethods": ["PUT"], "AllowedHeaders": ["content-type"]}
    bucket.put_bucket_cors(Bucket="web-assets", CORSConfiguration={"CORSRules": [rule]})
    assert page.evaluate(UPLOAD, url) == 200
    assert bucket.get_object(Bucket="web-assets", Key="upload.txt")["Body"].read() == b"from the browser"

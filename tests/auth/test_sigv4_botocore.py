"""botocore as the oracle: requests signed by botocore's own signers verify.

IAM and STS shapes (query protocol, form bodies, presigned GetCallerIdentity as EKS
uses it) and S3 shapes (keys with spaces, unicode, ``$``, ``+``, ``=``; queries with the
same; UNSIGNED-PAYLOAD and signed payloads; presigned URLs), with and without a session
token.
"""

from __future__ import annotations

import base64
import hashlib
import io
import time
from urllib.parse import quote, urlsplit

import pytest
from botocore.auth import S3SigV4Auth, S3SigV4QueryAuth, SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.httpchecksum import AwsChunkedWrapper, Crc32Checksum

from iamsandbox import errors
from iamsandbox.auth import chunked, sigv4

KEY_ID = "AKIAIOSFODNN7EXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
TOKEN = "FwoGZXIvYXdzEXAMPLE//////////wEaDtoken+with/slashes=="


def _lookup(key_id: str) -> str | None:
    return SECRET if key_id == KEY_ID else None


def _wire(request: AWSRequest) -> tuple[str, str, str, list[tuple[str, str]], bytes]:
    """What a server receives: method, raw path, raw query, headers (with Host), body."""
    prepared = request.prepare()
    url = urlsplit(prepared.url)
    headers = [(str(k), str(val)) for k, val in prepared.headers.items()]
    if not any(k.lower() == "host" for k, _ in headers):
        headers.append(("Host", url.netloc))
    body = prepared.body or b""
    if isinstance(body, str):
        body = body.encode("utf-8")
    return prepared.method, url.path, url.query, headers, body


def _verify(request: AWSRequest, service: str, **kwargs: object) -> sigv4.Authenticated | None:
    method, path, query, headers, body = _wire(request)
    return sigv4.verify_request(
        method,
        path,
        query,
        headers,
        service=service,
        lookup=_lookup,  # type: ignore[arg-type]
        now=time.time(),
        cache=sigv4.SigningKeyCache(),
        body=body,
        **kwargs,
    )


def _creds(token: bool) -> Credentials:
    return Credentials(KEY_ID, SECRET, TOKEN if token else None)


@pytest.mark.parametrize("token", [False, True])
def test_sts_assume_role_form_post(token: bool) -> None:
    body = (
        "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A111111111111%3Arole%2Fmy-s3-x-account-role"
        "&RoleSessionName=s%C3%A9ssion+1&ExternalId=a%24b%2Bc%3Dd"
    )
    request = AWSRequest(
        "POST",
        "https://sts.amazonaws.com/",
        data=body,
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
    )
    SigV4Auth(_creds(token), "sts", "us-east-1").add_auth(request)
    auth = _verify(request, "sts", region="us-east-1")
    assert auth is not None and auth.access_key_id == KEY_ID
    assert auth.security_token == (TOKEN if token else None)
    assert "content-type" in auth.signed_headers and "host" in auth.signed_headers
    # The body is signed (query services hash it): change one byte and it fails.
    method, path, query, headers, raw = _wire(request)
    with pytest.raises(errors.SignatureDoesNotMatch):
        sigv4.verify_request(
            method,
            path,
            query,
            headers,
            service="sts",
            lookup=_lookup,
            now=time.time(),
            cache=sigv4.SigningKeyCache(),
            body=raw.replace(b"AssumeRole", b"AssumeRolf"),
        )


@pytest.mark.parametrize("path", ["/", "/a/./b/../c//d/", "/%E2%9C%93/x%20y/%24%2B%3D"])
def test_iam_get_with_query(path: str) -> None:
    url = f"https://iam.amazonaws.com{path}?Action=ListUsers&Version=2010-05-08&PathPrefix=%2Fdivision%20a%2B%24%3D%2F&Marker=x~y"
    request = AWSRequest("GET", url)
    SigV4Auth(_creds(False), "iam", "us-east-1").add_auth(request)
    auth = _verify(request, "iam", region="us-east-1")
    assert auth is not None and auth.scope.service == "iam"


@pytest.mark.parametrize("token", [False, True])
def test_sts_presigned_get_caller_identity(token: bool) -> None:
    # As aws-iam-authenticator / `aws eks get-token` build it.
    request = AWSRequest(
        "GET",
        "https://sts.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15",
        headers={"x-k8s-aws-id": "my-cluster"},
    )
    SigV4QueryAuth(_creds(token), "sts", "us-east-1", expires=60).add_auth(request)
    auth = _verify(request, "sts")
    assert auth is not None and auth.presigned and auth.expires == 60
    assert "x-k8s-aws-id" in auth.signed_headers
    assert auth.security_token == (TOKEN if token else None)


KEYS = [
    "plain.txt",
    "my key with spaces.txt",
    "unicodé/ключ ✓/文件.txt",
    "a$b+c=d&e?f#g.txt",
    "dir//double/./dot/../x",
    "~tilde!*'()@:,;",
]


def _s3_url(key: str, query: str = "") -> str:
    return f"https://examplebucket.s3.amazonaws.com/{quote(key, safe='/~')}" + (f"?{query}" if query else "")


@pytest.mark.parametrize("token", [False, True])
@pytest.mark.parametrize("key", KEYS)
def test_s3_put_object_header_signed(key: str, token: bool) -> None:
    body = "Hello, wörld $+=".encode()
    request = AWSRequest(
        "PUT",
        _s3_url(key).replace("https://", "http://"),
        data=body,
        headers={"Content-Type": "text/plain", "x-amz-meta-note": "a  b   c"},
    )
    S3SigV4Auth(_creds(token), "s3", "us-east-1").add_auth(request)  # http: payload is hashed
    auth = _verify(request, "s3", region="us-east-1")
    assert auth is not None and auth.payload_hash != sigv4.UNSIGNED_PAYLOAD
    assert auth.security_token == (TOKEN if token else None)
    method, path, query, headers, raw = _wire(request)
    with pytest.raises(errors.XAmzContentSHA256Mismatch):
        sigv4.verify_request(
            method,
            path,
            query,
            headers,
            service="s3",
            lookup=_lookup,
            now=time.time(),
            cache=sigv4.SigningKeyCache(),
            body=raw + b"!",
        )


@pytest.mark.parametrize("key", KEYS)
def test_s3_list_with_odd_query(key: str) -> None:
    query = "list-type=2&prefix=" + quote(key, safe="") + "&delimiter=%2F&start-after=a%2Bb%20c%3D%24"
    request = AWSRequest("GET", f"https://examplebucket.s3.amazonaws.com/?{query}")
    S3SigV4Auth(_creds(False), "s3", "us-east-1").add_auth(request)
    auth = _verify(request, "s3")
    assert auth is not None and auth.payload_hash == sigv4.EMPTY_SHA256


@pytest.mark.parametrize("key", KEYS)
def test_s3_put_unsigned_payload(key: str) -> None:
    md5 = base64.b64encode(hashlib.md5(b"streamed body").digest()).decode()
    request = AWSRequest("PUT", _s3_url(key), data=b"streamed body", headers={"Content-MD5": md5})
    request.context["has_streaming_input"] = True  # as boto3 sends put_object over HTTPS
    S3SigV4Auth(_creds(True), "s3", "us-east-1").add_auth(request)
    auth = _verify(request, "s3")
    assert auth is not None and auth.payload_hash == "UNSIGNED-PAYLOAD"


@pytest.mark.parametrize("token", [False, True])
@pytest.mark.parametrize("key", KEYS)
def test_s3_presigned_get(key: str, token: bool) -> None:
    request = AWSRequest("GET", _s3_url(key, "response-content-disposition=attachment%3B%20filename%3D%22a%2Bb.txt%22"))
    S3SigV4QueryAuth(_creds(token), "s3", "us-east-1", expires=900).add_auth(request)
    auth = _verify(request, "s3", region="us-east-1")
    assert auth is not None and auth.presigned and auth.payload_hash == "UNSIGNED-PAYLOAD"
    assert auth.security_token == (TOKEN if token else None)


def test_s3_presigned_put_with_signed_header() -> None:
    request = AWSRequest("PUT", _s3_url("up load.bin"), headers={"Content-Type": "application/octet-stream"})
    S3SigV4QueryAuth(_creds(False), "s3", "eu-west-1", expires=3600).add_auth(request)
    auth = _verify(request, "s3", region="eu-west-1")
    assert auth is not None and "content-type" in auth.signed_headers


def test_s3_put_streaming_unsigned_payload_trailer_end_to_end() -> None:
    # What current boto3 sends for put_object: aws-chunked with a CRC32 trailer.
    payload = "ünïcode payload $+= ".encode() * 500
    body = bytes(
        AwsChunkedWrapper(
            io.BytesIO(payload), checksum_cls=Crc32Checksum, checksum_name="x-amz-checksum-crc32", chunk_size=8192
        ).read()
    )
    request = AWSRequest(
        "PUT",
        _s3_url("dir/my key.txt"),
        data=body,
        headers={
            "Content-Encoding": "aws-chunked",
            "X-Amz-Trailer": "x-amz-checksum-crc32",
            "X-Amz-Decoded-Content-Length": str(len(payload)),
            "Content-Length": str(len(body)),
        },
    )
    request.context["checksum"] = {
        "request_algorithm": {"in": "trailer", "algorithm": "crc32", "name": "x-amz-checksum-crc32"}
    }
    S3SigV4Auth(_creds(True), "s3", "us-east-1").add_auth(request)
    method, path, query, headers, raw = _wire(request)
    auth = sigv4.verify_request(
        method, path, query, headers, service="s3", lookup=_lookup, now=time.time(), cache=sigv4.SigningKeyCache()
    )
    assert auth is not None and auth.payload_hash == sigv4.STREAMING_UNSIGNED_TRAILER
    decoded, trailers = chunked.decode_aws_chunked(raw, auth, headers)
    assert decoded == payload and "x-amz-checksum-crc32" in trailers

"""Requests no client would send answer AWS-shaped errors, never a 500 or a dropped
connection (found by a hostile-input sweep of a real server): an XML body in an unknown
encoding, a multipart boundary longer than a parser takes, response overrides with control
characters, an MFA device name too long for any serial number, a POST policy nested too deep.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
from typing import Any
from urllib.parse import urlsplit

from botocore.auth import S3SigV4Auth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from e2e_harness import A, Server, _client


def _send(server: Server, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None) -> Any:
    url = urlsplit(server.url)
    connection = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port, timeout=10)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def _signed(server: Server, keys: dict[str, str], service: str, method: str, path: str, body: bytes = b"") -> Any:
    request = AWSRequest(method=method, url=server.url + path, data=body)
    if service == "iam":
        request.headers["Content-Type"] = "application/x-www-form-urlencoded"
        SigV4Auth(Credentials(keys["AccessKeyId"], keys["SecretAccessKey"]), "iam", "us-east-1").add_auth(request)
    else:
        S3SigV4Auth(Credentials(keys["AccessKeyId"], keys["SecretAccessKey"]), "s3", "us-east-1").add_auth(request)
    return _send(server, method, path, body, dict(request.headers))


def test_no_hostile_request_is_a_500(server: Server) -> None:
    keys = server.create_account(A)
    s3 = _client(server, "s3", keys)
    s3.create_bucket(Bucket="hb1")
    s3.put_object(Bucket="hb1", Key="k1", Body=b"hello")
    # An XML body in an encoding no parser knows: MalformedXML, before any authentication.
    status, body = _send(server, "PUT", "/hb1?tagging", b'<?xml version="1.0" encoding="junk"?><Tagging/>')
    assert status == 400 and b"MalformedXML" in body
    # A boundary longer than 256 characters: no part can be read (POST Object, the console).
    long_form = {"Content-Type": "multipart/form-data; boundary=" + "B" * 300}
    status, body = _send(server, "POST", "/hb1", b"--B--", long_form)
    assert status == 400 and b"InvalidArgument" in body
    assert _send(server, "POST", "/console/signin", b"--X--", long_form)[0] < 500
    # A control character in a response override goes out as a space.
    status, body = _signed(server, keys, "s3", "GET", "/hb1/k1?response-content-type=%01")
    assert (status, body) == (200, b"hello")
    # A virtual MFA device whose serial number no operation could take (more than 256).
    status, body = _signed(
        server,
        keys,
        "iam",
        "POST",
        "/",
        f"Action=CreateVirtualMFADevice&Version=2010-05-08&VirtualMFADeviceName={'m' * 2500}".encode(),
    )
    assert status == 400 and b"InvalidInput" in body


def test_a_post_policy_nested_too_deep(server: Server) -> None:
    keys = server.create_account(A)
    _client(server, "s3", keys).create_bucket(Bucket="hb1")
    document = '{"expiration":"2099-01-01T00:00:00Z","conditions":[' + "[" * 5000 + "]" * 5000 + "]}"
    policy = base64.b64encode(document.encode()).decode()
    signature = base64.b64encode(hmac.new(keys["SecretAccessKey"].encode(), policy.encode(), hashlib.sha1).digest())
    fields = {"key": "k", "AWSAccessKeyId": keys["AccessKeyId"], "policy": policy, "signature": signature.decode()}
    boundary = "xyz"
    body = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    )
    file_part = f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="f"\r\n\r\nx\r\n'
    body += f"{file_part}--{boundary}--\r\n".encode()
    status, answer = _send(server, "POST", "/hb1", body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert status == 400 and b"InvalidPolicyDocument" in answer, answer

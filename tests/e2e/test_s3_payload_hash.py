"""A signed S3 payload must be the body received, against a real server.

AWS pages: "Signature Calculations for the Authorization Header: Transferring Payload in a
Single Chunk" (S3 API Reference): "Signed payload option – You include the payload hash when
constructing the canonical request"; S3 refuses a body whose SHA-256 is not the
x-amz-content-sha256 it was signed with: 400 XAmzContentSHA256Mismatch "The provided
'x-amz-content-sha256' header does not match what was computed." (a real answer quoted in
aws/aws-sdk-go#148). UNSIGNED-PAYLOAD leaves the body unsigned.
"""

from __future__ import annotations

import hashlib
import urllib.error
import urllib.request
from xml.etree import ElementTree

from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from e2e_harness import A, Server, _client


class _UnsignedPayload(S3SigV4Auth):
    """Signs x-amz-content-sha256: UNSIGNED-PAYLOAD (botocore does so only over HTTPS)."""

    def _should_sha256_sign_payload(self, request: AWSRequest) -> bool:
        return False


def _put(server: Server, keys: dict[str, str], key: str, signed: bytes | None, body: bytes) -> tuple[int, bytes]:
    """PUT ``body``, signed as botocore signs ``signed`` (None: UNSIGNED-PAYLOAD)."""
    url = f"{server.url}/hashes/{key}"
    request = AWSRequest(method="PUT", url=url, data=signed if signed is not None else body)
    signer = S3SigV4Auth if signed is not None else _UnsignedPayload
    signer(Credentials(keys["AccessKeyId"], keys["SecretAccessKey"]), "s3", "us-east-1").add_auth(request)
    sent = urllib.request.Request(url, data=body, headers=dict(request.headers), method="PUT")
    try:
        with urllib.request.urlopen(sent, timeout=10) as response:  # noqa: S310  (our own loopback server)
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_a_body_changed_after_signing_is_refused_and_not_stored(server: Server) -> None:
    keys = server.create_account(A)
    s3 = _client(server, "s3", keys)
    s3.create_bucket(Bucket="hashes")
    signed = hashlib.sha256(b"abc").hexdigest()
    assert _put(server, keys, "good", b"abc", b"abc")[0] == 200
    status, body = _put(server, keys, "changed", b"abc", b"abd")
    error = ElementTree.fromstring(body)
    assert (status, error.findtext("Code")) == (400, "XAmzContentSHA256Mismatch")
    assert error.findtext("Message") == "The provided 'x-amz-content-sha256' header does not match what was computed."
    assert error.findtext("ClientComputedContentSHA256") == signed
    assert error.findtext("S3ComputedContentSHA256") == hashlib.sha256(b"abd").hexdigest()
    assert [o["Key"] for o in s3.list_objects_v2(Bucket="hashes")["Contents"]] == ["good"]
    # UNSIGNED-PAYLOAD: the body is not part of the signature.
    assert _put(server, keys, "unsigned", None, b"anything")[0] == 200
    assert s3.get_object(Bucket="hashes", Key="unsigned")["Body"].read() == b"anything"


def test_a_presigned_put_that_signs_the_payload_hash_takes_only_that_body(server: Server) -> None:
    # The same rule for a presigned URL whose SignedHeaders include x-amz-content-sha256
    # (a security review stored "EVIL CONTENT" through a URL signed for "approved content").
    from botocore.auth import S3SigV4QueryAuth

    keys = server.create_account(A)
    _client(server, "s3", keys).create_bucket(Bucket="hashes")
    approved = b"approved content"
    digest = hashlib.sha256(approved).hexdigest()
    request = AWSRequest(method="PUT", url=f"{server.url}/hashes/doc", headers={"x-amz-content-sha256": digest})
    S3SigV4QueryAuth(Credentials(keys["AccessKeyId"], keys["SecretAccessKey"]), "s3", "us-east-1", 300).add_auth(
        request
    )
    assert "x-amz-content-sha256" in request.url.lower()  # signed, with host

    def put(body: bytes) -> tuple[int, bytes]:
        sent = urllib.request.Request(request.url, data=body, headers={"x-amz-content-sha256": digest}, method="PUT")
        try:
            with urllib.request.urlopen(sent, timeout=10) as response:  # noqa: S310  (our own loopback server)
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    status, body = put(b"EVIL CONTENT")
    assert status == 400
    assert ElementTree.fromstring(body).findtext("Code") == "XAmzContentSHA256Mismatch"
    assert put(approved)[0] == 200
    stored = _client(server, "s3", keys).get_object(Bucket="hashes", Key="doc")["Body"].read()
    assert stored == approved

"""S3 over REST-XML with the real model: botocore's client builds each request, path-style
and virtual-hosted-style, and our router and parser must find its operation and params;
our serializer answers, and the same client must read back the result we meant.

The client is botocore's own (``before-send`` hands us the prepared request and takes our
response instead of the network), so its S3 customizations (bucket in the host, Key
quoting, GetBucketLocation's root-text parsing, Content-MD5) are all in the loop.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import botocore.session
import pytest
from botocore.awsrequest import AWSResponse
from botocore.config import Config

from iamsandbox.errors import MalformedXML, NoSuchKey, ServiceError
from iamsandbox.protocol.http import HttpRequest, HttpResponse
from iamsandbox.protocol.model import ServiceModels
from iamsandbox.protocol.s3 import S3Call, S3Protocol

BASE_HOSTS = ("s3.localhost", "localhost", "s3.amazonaws.com")
WHEN = dt.datetime(2026, 11, 27, 20, 41, 10, tzinfo=dt.UTC)


class _Raw:
    def __init__(self, body: bytes) -> None:
        self._io = io.BytesIO(body)

    def stream(self, *_args: Any, **_kwargs: Any) -> Iterator[bytes]:
        yield self._io.read()

    def read(self, *args: Any, **_kwargs: Any) -> bytes:
        return self._io.read(*args)


@pytest.fixture(scope="module")
def protocol() -> S3Protocol:
    return S3Protocol(ServiceModels().service("s3"), BASE_HOSTS)


class Harness:
    """A botocore S3 client whose requests we route and parse, and answer."""

    def __init__(self, protocol: S3Protocol, style: str) -> None:
        self.protocol = protocol
        session = botocore.session.get_session()
        self.client = session.create_client(
            "s3",
            region_name="us-east-1",
            endpoint_url="http://s3.localhost:4566",
            aws_access_key_id="AKIDEXAMPLE",
            aws_secret_access_key="secret",
            config=Config(
                s3={"addressing_style": style},
                request_checksum_calculation="when_required",
                response_checksum_validation="when_required",
                retries={"max_attempts": 1},
            ),
        )
        self.client.meta.events.register("before-send", self._send)
        self.call: S3Call | None = None
        self.result: dict[str, Any] = {}
        self.error: ServiceError | None = None
        self.response: HttpResponse | None = None

    def _send(self, request: Any, **_kwargs: Any) -> AWSResponse:
        url = urlsplit(request.url)
        body = request.body
        if body is None:
            data = b""
        elif isinstance(body, bytes | bytearray):
            data = bytes(body)
        elif isinstance(body, str):
            data = body.encode()
        else:
            data = body.read()
        headers = {k.lower(): v.decode() if isinstance(v, bytes) else v for k, v in request.headers.items()}
        call = self.protocol.parse(HttpRequest(request.method, url.path, url.query, headers, data, url.netloc))
        self.call = call
        if self.error is not None:
            response = self.protocol.serialize_error(self.error, "REQ1", "HOST1", head=request.method == "HEAD")
        else:
            response = self.protocol.serialize(call.operation, self.result, "REQ1")
        self.response = response
        body_bytes = response.body if isinstance(response.body, bytes) else b"".join(response.body)  # type: ignore[arg-type]
        return AWSResponse(request.url, response.status, dict(response.headers), _Raw(body_bytes))


@pytest.fixture(scope="module", params=["path", "virtual"])
def _client(request: pytest.FixtureRequest, protocol: S3Protocol) -> Harness:
    return Harness(protocol, request.param)


@pytest.fixture
def harness(_client: Harness) -> Harness:
    _client.call, _client.result, _client.error, _client.response = None, {}, None, None
    return _client


def _call(h: Harness, operation: str, params: dict[str, Any], result: dict[str, Any] | None = None) -> dict[str, Any]:
    h.result = result or {}
    method = getattr(h.client, botocore.xform_name(operation))
    answer: dict[str, Any] = method(**params)
    assert h.call is not None
    assert h.call.operation == operation
    answer.pop("ResponseMetadata", None)
    return answer


def _assert_params(got: dict[str, Any], sent: dict[str, Any]) -> None:
    for name, value in sent.items():
        assert got[name] == value, name
    # Members botocore adds by itself
    # (Content-Length, Content-MD5, encoding-type=url for listings).
    assert set(got) - set(sent) <= {"ContentMD5", "ChecksumAlgorithm", "ContentLength", "EncodingType"}


def test_create_bucket_with_location(harness: Harness) -> None:
    sent = {"Bucket": "my-bucket", "CreateBucketConfiguration": {"LocationConstraint": "eu-west-1"}}
    answer = _call(harness, "CreateBucket", sent, {"Location": "/my-bucket"})
    assert harness.call is not None and harness.call.bucket == "my-bucket"
    _assert_params(harness.call.params, sent)
    assert answer == {"Location": "/my-bucket"}


def test_put_object_with_metadata(harness: Harness) -> None:
    sent = {
        "Bucket": "b1",
        "Key": "dir/sub dir/ünï+cödé%2F.txt",
        "Body": b"hello",
        "ContentType": "text/plain",
        "Metadata": {"colour": "blue", "owner": "alice"},
    }
    answer = _call(harness, "PutObject", sent, {"ETag": '"5d41402abc4b2a76b9719d911017c592"'})
    assert harness.call is not None
    assert harness.call.key == sent["Key"]
    _assert_params(harness.call.params, sent)
    assert answer["ETag"] == '"5d41402abc4b2a76b9719d911017c592"'


def test_get_object_range(harness: Harness) -> None:
    result = {
        "Body": b"ell",
        "ContentLength": 3,
        "ContentRange": "bytes 1-3/5",
        "ETag": '"abc"',
        "LastModified": WHEN,
        "ContentType": "text/plain",
        "Metadata": {"colour": "blue"},
        "AcceptRanges": "bytes",
    }
    answer = _call(harness, "GetObject", {"Bucket": "b1", "Key": "a/b", "Range": "bytes=1-3"}, result)
    assert harness.call is not None and harness.call.params["Range"] == "bytes=1-3"
    assert harness.response is not None and harness.response.status == 206
    assert harness.response.header("Last-Modified") == "Fri, 27 Nov 2026 20:41:10 GMT"
    assert answer.pop("Body").read() == b"ell"
    result.pop("Body")
    assert answer == result


def test_head_object_and_its_error(harness: Harness) -> None:
    result = {"ContentLength": 5, "ETag": '"abc"', "LastModified": WHEN, "Metadata": {"k": "v"}}
    answer = _call(harness, "HeadObject", {"Bucket": "b1", "Key": "k"}, result)
    assert answer == result
    harness.error = NoSuchKey(Key="missing")
    with pytest.raises(harness.client.exceptions.ClientError) as caught:
        harness.client.head_object(Bucket="b1", Key="missing")
    assert caught.value.response["Error"]["Code"] == "404"  # HEAD: no body, botocore uses the status
    assert harness.response is not None and harness.response.body == b""


def test_error_body(harness: Harness) -> None:
    harness.error = NoSuchKey(Key="missing")
    with pytest.raises(harness.client.exceptions.NoSuchKey) as caught:
        harness.client.get_object(Bucket="b1", Key="missing")
    error = caught.value.response["Error"]
    assert error == {"Code": "NoSuchKey", "Message": "The specified key does not exist.", "Key": "missing"}
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert caught.value.response["ResponseMetadata"]["RequestId"] == "REQ1"
    assert caught.value.response["ResponseMetadata"]["HostId"] == "HOST1"


def test_delete_objects(harness: Harness) -> None:
    sent = {"Bucket": "b1", "Delete": {"Objects": [{"Key": "a"}, {"Key": "b&<c>"}], "Quiet": False}}
    result = {
        "Deleted": [{"Key": "a"}],
        "Errors": [{"Key": "b&<c>", "Code": "AccessDenied", "Message": "Access Denied"}],
    }
    answer = _call(harness, "DeleteObjects", sent, result)
    assert harness.call is not None
    _assert_params(harness.call.params, sent)
    assert answer == result


def test_copy_object(harness: Harness) -> None:
    sent = {"Bucket": "b2", "Key": "copy", "CopySource": {"Bucket": "b1", "Key": "a b/c"}}
    result = {"CopyObjectResult": {"ETag": '"abc"', "LastModified": WHEN}}
    answer = _call(harness, "CopyObject", sent, result)
    assert harness.call is not None
    assert harness.call.params["CopySource"] == "b1/a%20b/c"
    assert answer == result
    assert harness.response is not None and b"2026-11-27T20:41:10.000Z" in harness.response.body  # type: ignore[operator]


def test_list_objects_v2(harness: Harness) -> None:
    sent = {"Bucket": "b1", "Prefix": "p/", "Delimiter": "/", "ContinuationToken": "tok+en", "MaxKeys": 2}
    result = {
        "IsTruncated": True,
        "Contents": [
            {"Key": "p/a", "LastModified": WHEN, "ETag": '"1"', "Size": 1, "StorageClass": "STANDARD"},
            {"Key": "p/b", "LastModified": WHEN, "ETag": '"2"', "Size": 2, "StorageClass": "STANDARD"},
        ],
        "Name": "b1",
        "Prefix": "p/",
        "Delimiter": "/",
        "MaxKeys": 2,
        "CommonPrefixes": [{"Prefix": "p/c/"}],
        "KeyCount": 3,
        "ContinuationToken": "tok+en",
        "NextContinuationToken": "next",
    }
    answer = _call(harness, "ListObjectsV2", sent, result)
    assert harness.call is not None
    _assert_params(harness.call.params, sent)
    assert answer == result
    body = harness.response.body if harness.response else b""
    assert isinstance(body, bytes)
    assert body.startswith(
        b'<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
    )


def test_list_buckets_and_objects_v1(harness: Harness) -> None:
    result = {"Buckets": [{"Name": "b1", "CreationDate": WHEN}], "Owner": {"ID": "abc", "DisplayName": "me"}}
    assert _call(harness, "ListBuckets", {}, result) == result
    assert harness.response is not None and b"<ListAllMyBucketsResult" in harness.response.body  # type: ignore[operator]
    v1 = {"Name": "b1", "Marker": "m", "Contents": [{"Key": "k", "Size": 0}], "IsTruncated": False}
    assert _call(harness, "ListObjects", {"Bucket": "b1", "Marker": "m"}, v1) == v1


def test_multipart_upload(harness: Harness) -> None:
    created = {"Bucket": "b1", "Key": "big", "UploadId": "up-1"}
    assert _call(harness, "CreateMultipartUpload", {"Bucket": "b1", "Key": "big"}, created) == created
    sent = {"Bucket": "b1", "Key": "big", "UploadId": "up-1", "PartNumber": 2, "Body": b"x" * 10}
    assert _call(harness, "UploadPart", sent, {"ETag": '"e2"'}) == {"ETag": '"e2"'}
    assert harness.call is not None
    _assert_params(harness.call.params, sent)
    parts = {"Parts": [{"ETag": '"e1"', "PartNumber": 1}, {"ETag": '"e2"', "PartNumber": 2}]}
    sent = {"Bucket": "b1", "Key": "big", "UploadId": "up-1", "MultipartUpload": parts}
    done = {"Location": "http://x/b1/big", "Bucket": "b1", "Key": "big", "ETag": '"m-2"'}
    assert _call(harness, "CompleteMultipartUpload", sent, done) == done
    _assert_params(harness.call.params, sent)
    _call(harness, "AbortMultipartUpload", {"Bucket": "b1", "Key": "big", "UploadId": "up-1"})
    assert harness.response is not None and harness.response.status == 204


def test_bucket_policy(harness: Harness) -> None:
    policy = '{"Version":"2012-10-17","Statement":[]}'
    _call(harness, "PutBucketPolicy", {"Bucket": "b1", "Policy": policy})
    assert harness.call is not None and harness.call.params["Policy"] == policy
    assert _call(harness, "GetBucketPolicy", {"Bucket": "b1"}, {"Policy": policy}) == {"Policy": policy}


def test_bucket_tagging(harness: Harness) -> None:
    tags = {"TagSet": [{"Key": "team", "Value": "blue"}, {"Key": "env", "Value": ""}]}
    _call(harness, "PutBucketTagging", {"Bucket": "b1", "Tagging": tags})
    assert harness.call is not None and harness.call.params["Tagging"] == tags
    assert _call(harness, "GetBucketTagging", {"Bucket": "b1"}, tags) == tags
    assert harness.response is not None and b"<Tagging xmlns=" in harness.response.body  # type: ignore[operator]


def test_public_access_block_and_ownership(harness: Harness) -> None:
    config = {
        "BlockPublicAcls": True,
        "IgnorePublicAcls": False,
        "BlockPublicPolicy": True,
        "RestrictPublicBuckets": False,
    }
    _call(harness, "PutPublicAccessBlock", {"Bucket": "b1", "PublicAccessBlockConfiguration": config})
    assert harness.call is not None and harness.call.params["PublicAccessBlockConfiguration"] == config
    got = _call(harness, "GetPublicAccessBlock", {"Bucket": "b1"}, {"PublicAccessBlockConfiguration": config})
    assert got == {"PublicAccessBlockConfiguration": config}
    controls = {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
    _call(harness, "PutBucketOwnershipControls", {"Bucket": "b1", "OwnershipControls": controls})
    assert harness.call.params["OwnershipControls"] == controls
    got = _call(harness, "GetBucketOwnershipControls", {"Bucket": "b1"}, {"OwnershipControls": controls})
    assert got == {"OwnershipControls": controls}


@pytest.mark.parametrize("region", ["eu-west-1", None])
def test_get_bucket_location(harness: Harness, region: str | None) -> None:
    answer = _call(harness, "GetBucketLocation", {"Bucket": "b1"}, {"LocationConstraint": region})
    assert answer.get("LocationConstraint") == region


def test_malformed_xml(protocol: S3Protocol) -> None:
    for body in (b"<Tagging><TagSet>", b"<Nope/>", b"<!DOCTYPE x [<!ENTITY a 'b'>]><Tagging/>", b"<Tagging/>"):
        with pytest.raises(MalformedXML):
            protocol.parse(HttpRequest("PUT", "/b1", "tagging", {}, body, "localhost"))
    bad_enum = b"<VersioningConfiguration><Status>enabled</Status></VersioningConfiguration>"
    with pytest.raises(MalformedXML):
        protocol.parse(HttpRequest("PUT", "/b1", "versioning", {}, bad_enum, "localhost"))


def test_routing_specifics(protocol: S3Protocol) -> None:
    def route(method: str, host: str, path: str, query: str = "", **headers: str) -> tuple[str, Any, Any]:
        call = protocol.parse(HttpRequest(method, path, query, headers, b"", host))
        return call.operation, call.bucket, call.key

    assert route("GET", "localhost:4566", "/") == ("ListBuckets", None, None)
    assert route("GET", "s3.localhost", "/b1/") == ("ListObjects", "b1", None)
    assert route("GET", "b1.s3.localhost:4566", "/") == ("ListObjects", "b1", None)
    assert route("GET", "my.b1.s3.amazonaws.com", "/a//b/") == ("GetObject", "my.b1", "a//b/")
    assert route("GET", "b1.localhost:9000", "/", "list-type=2") == ("ListObjectsV2", "b1", None)
    assert route("GET", "localhost", "/b1/k", "uploadId=u") == ("ListParts", "b1", "k")
    assert route("PUT", "localhost", "/b1/k", "partNumber=1&uploadId=u") == ("UploadPart", "b1", "k")
    assert route("PUT", "localhost", "/b1/k", "partNumber=1&uploadId=u", **{"x-amz-copy-source": "a/b"}) == (
        "UploadPartCopy",
        "b1",
        "k",
    )
    assert route("PUT", "localhost", "/b1/k", **{"x-amz-copy-source": "a/b"}) == ("CopyObject", "b1", "k")
    assert route("PUT", "localhost", "/b1/k") == ("PutObject", "b1", "k")
    # A request URI template no other operation has needs none of its required headers to
    # match: GetObjectAttributes without x-amz-object-attributes (which boto3 leaves out for
    # ObjectAttributes=[]) is GetObjectAttributes, answered with its error, not GetObject.
    assert route("GET", "localhost", "/b1/k", "attributes") == ("GetObjectAttributes", "b1", "k")
    assert route("GET", "localhost", "/b1", "lifecycle") == ("GetBucketLifecycleConfiguration", "b1", None)
    assert route("GET", "localhost", "/b1", "uploads") == ("ListMultipartUploads", "b1", None)
    assert route("GET", "localhost", "/b1/a%2Fb+c") == ("GetObject", "b1", "a/b+c")

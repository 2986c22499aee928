"""Fuzzing S3 routing and parsing: whatever the method, host, path, query, headers and
body, only ServiceError subclasses come out (STYLE.md, "Errors")."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iamsandbox.errors import ServiceError
from iamsandbox.protocol.http import HttpRequest
from iamsandbox.protocol.model import ServiceModels
from iamsandbox.protocol.s3 import S3Protocol

PROTOCOL = S3Protocol(ServiceModels().service("s3"), ("s3.localhost", "localhost"))

SUBRESOURCES = [
    "uploads",
    "uploadId",
    "partNumber",
    "list-type",
    "tagging",
    "policy",
    "delete",
    "versioning",
    "publicAccessBlock",
    "ownershipControls",
    "location",
    "max-keys",
    "acl",
    "select",
    "select-type",
]
HEADERS = [
    "x-amz-copy-source",
    "range",
    "content-type",
    "x-amz-meta-a",
    "if-modified-since",
    "x-amz-acl",
    "content-length",
    "x-amz-object-lock-retain-until-date",
    "x-amz-bucket-object-lock-enabled",
]
XML = [
    b"",
    b"<Tagging><TagSet><Tag><Key>a</Key><Value>b</Value></Tag></TagSet></Tagging>",
    b"<Delete><Object><Key>a</Key></Object><Quiet>maybe</Quiet></Delete>",
    b"<CompleteMultipartUpload><Part><PartNumber>x</PartNumber></Part></CompleteMultipartUpload>",
    b"<CreateBucketConfiguration><LocationConstraint>nowhere</LocationConstraint></CreateBucketConfiguration>",
    b"<PublicAccessBlockConfiguration><BlockPublicAcls>yes</BlockPublicAcls></PublicAccessBlockConfiguration>",
    b"\xff\xfe<",
    b"<a>&undefined;</a>",
]

segment = st.lists(st.sampled_from(list("ab/%2F+.-_ é") + ["%ff", "%C3%A9", "%"]), max_size=12).map("".join)
query = st.lists(st.tuples(st.sampled_from(SUBRESOURCES), st.one_of(st.none(), st.text(max_size=6))), max_size=4).map(
    lambda items: "&".join(k if v is None else f"{k}={v}" for k, v in items)
)
headers = st.dictionaries(st.sampled_from(HEADERS), st.text(max_size=12), max_size=4)
body = st.one_of(st.sampled_from(XML), st.binary(max_size=40))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    method=st.sampled_from(["GET", "PUT", "POST", "DELETE", "HEAD", "PATCH"]),
    host=st.sampled_from(["localhost:4566", "b1.s3.localhost", "s3.localhost", "x.y.localhost", "[::1]:80", ""]),
    path=segment.map(lambda s: "/" + s),
    raw_query=query,
    request_headers=headers,
    data=body,
)
def test_only_service_errors_escape(
    method: str, host: str, path: str, raw_query: str, request_headers: dict[str, str], data: bytes
) -> None:
    try:
        PROTOCOL.parse(HttpRequest(method, path, raw_query, request_headers, data, host))
    except ServiceError:
        pass

"""S3 over REST-XML: the routing of path-style and virtual-hosted-style requests
(``s3_routing.py``), the REST-XML parse and serialize (``rest_xml.py``), and the rules S3
adds on top of its model (bucket names on CreateBucket).

AWS pages: Amazon S3 User Guide, "General purpose bucket naming rules", "Virtual hosting
of buckets"; Amazon S3 API Reference, "Error responses".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from ..errors import InvalidArgument, InvalidBucketName, NoSuchBucket, ServiceError
from .http import HttpRequest, HttpResponse
from .rest_xml import RestXml
from .s3_routing import S3Router

S3_NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/"

_BUCKET_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789.-")
_RESERVED_PREFIXES = ("xn--", "sthree-", "amzn-s3-demo-")
_RESERVED_SUFFIXES = ("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3")


def valid_bucket_name(name: str) -> bool:
    """The general purpose bucket naming rules (Amazon S3 User Guide, "General purpose
    bucket naming rules"): 3 to 63 lower-case letters, digits, dots and hyphens, starting
    and ending with a letter or digit, no two adjacent dots, not an IP address, none of the
    reserved prefixes and suffixes."""
    if not 3 <= len(name) <= 63 or not _BUCKET_CHARS.issuperset(name):
        return False
    if not (name[0].isalnum() and name[-1].isalnum()) or ".." in name:
        return False
    parts = name.split(".")
    if len(parts) == 4 and all(p.isdigit() for p in parts):
        return False
    return not name.startswith(_RESERVED_PREFIXES) and not name.endswith(_RESERVED_SUFFIXES)


@dataclass(slots=True, unsafe_hash=True)
class S3Call:
    """A routed and parsed S3 request."""

    operation: str
    bucket: str | None
    key: str | None
    params: dict[str, Any]
    virtual_host: bool


class S3Protocol:
    """S3 over REST-XML: route (path or virtual-hosted style), parse, serialize.

    The caller owns it (one per app): it holds the compiled routes and parse plans."""

    def __init__(self, service_model: Any, base_hosts: Iterable[str]) -> None:
        self.service_model = service_model
        self.router = S3Router(service_model, base_hosts)
        self.rest_xml = RestXml(service_model, namespace=S3_NAMESPACE, whole_seconds=True)

    def __repr__(self) -> str:
        return f"S3Protocol({self.router!r})"

    def parse(self, request: HttpRequest, find_bucket: Callable[[str], object | None] | None = None) -> S3Call:
        """Route and parse a request. Raises only ServiceError subclasses.

        S3 looks the request's bucket up before it reads the arguments: a body or argument
        it refuses, sent to a bucket that does not exist, is NoSuchBucket (404), as recorded
        from AWS for PutBucketEncryption with an empty rule list (LocalStack's test_s3_api
        snapshot); ``find_bucket`` (the store's lookup: None for no bucket) tells."""
        route = self.router.route(request.method, request.host, request.path, request.query, request.headers)
        operation = self.service_model.operation_model(route.operation)
        try:
            params = self.rest_xml.parse(operation, request, route.labels, route.query)
        except ServiceError:
            bucket = route.bucket
            if find_bucket is not None and bucket and route.operation != "CreateBucket" and find_bucket(bucket) is None:
                raise NoSuchBucket(BucketName=bucket) from None
            raise
        if route.operation == "UploadPart" and "versionId" in route.query:
            # Recorded from S3 for an empty, a made-up and a real ID alike (a public report of
            # requests sent to s3.amazonaws.com in 2026, tests J2a-c); the model has no member.
            raise InvalidArgument(
                "This operation does not accept a version-id.",
                ArgumentName="versionId",
                ArgumentValue=route.query["versionId"][0],
            )
        if route.operation == "CreateBucket" and route.bucket is not None and not valid_bucket_name(route.bucket):
            raise InvalidBucketName(BucketName=route.bucket)
        _refuse_null(route.operation, route.key, params)
        return S3Call(route.operation, route.bucket, route.key, params, route.virtual_host)

    def serialize(
        self, operation: str, result: Mapping[str, Any], request_id: str | None = None, host_id: str | None = None
    ) -> HttpResponse:
        return self.rest_xml.serialize(self.service_model.operation_model(operation), result, request_id, host_id)

    def serialize_error(
        self, error: ServiceError, request_id: str, host_id: str | None = None, head: bool = False
    ) -> HttpResponse:
        return self.rest_xml.serialize_error(error, request_id, host_id, head=head)


NULL_REFUSED = "Value must be a sequence of Unicode characters and cannot include Null."
# Listing parameters that name keys, by their query names, of the listings that take them
# (ListObjectVersions checks its own, in S3's order among its other checks:
# services/s3/versioning.py).
_KEY_PARAMETERS = {
    "Prefix": "prefix",
    "Marker": "marker",
    "StartAfter": "start-after",
    "KeyMarker": "key-marker",
    "Delimiter": "delimiter",
}
_LISTINGS = frozenset({"ListObjects", "ListObjectsV2", "ListMultipartUploads"})
_COPIES = frozenset({"CopyObject", "UploadPartCopy"})


def _refuse_null(operation: str, key: str | None, params: Mapping[str, Any]) -> None:
    """A NUL in an object key or a listing parameter that names keys is S3's InvalidArgument
    "Value must be a sequence of Unicode characters and cannot include Null.", as S3 answered
    it for ListObjectVersions' key-marker and prefix (a public report of requests sent to
    s3.amazonaws.com in 2026); for a key and the other parameters the answer is unconfirmed.
    No key may hold one: XML 1.0 cannot write it in a listing, and PostgreSQL cannot keep it."""
    if key is not None and "\0" in key:
        raise InvalidArgument(NULL_REFUSED, ArgumentName="key", ArgumentValue=key)
    if operation in _COPIES:
        source = params.get("CopySource")
        if isinstance(source, str) and "\0" in unquote(source):
            raise InvalidArgument(NULL_REFUSED, ArgumentName="x-amz-copy-source", ArgumentValue=source)
    if operation not in _LISTINGS:
        return
    for name, wire in _KEY_PARAMETERS.items():
        value = params.get(name)
        if isinstance(value, str) and "\0" in value:
            raise InvalidArgument(NULL_REFUSED, ArgumentName=wire, ArgumentValue=value)

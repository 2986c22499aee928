"""Which operation a REST request is: the ``http.requestUri`` templates of a service model,
compiled once into a matcher ordered by specificity; and S3's addressing on top of it.

A template such as ``/{Bucket}/{Key+}?uploads`` says: the path has a label, then a greedy
label (which keeps its slashes), and the query must carry ``uploads``. Several operations
share a template (``GET /{Bucket}/{Key+}`` is both GetObject and ListParts); what tells
them apart is what their input shape *requires* in the query string or the headers
(ListParts requires ``uploadId``, UploadPartCopy ``x-amz-copy-source``). So a route is more
specific the more literal segments, literal query keys, required query members and
required headers it has; the first route that matches, most specific first, wins; a
deprecated operation (GetBucketLifecycle) loses a tie to its successor.

S3 addressing (Amazon S3 User Guide, "Virtual hosting of buckets" and "Path-style
requests"): ``bucket.s3.localhost:PORT/key`` is the same request as
``s3.localhost:PORT/bucket/key``; the caller names the base hostnames it serves, and a Host
that is not one of them nor a subdomain of one is taken as path-style.

Percent-decoding as S3 does it: the path is percent-decoded once, ``+`` stays a plus; the
query string is form-decoded (``+`` is a space). A path that is not UTF-8 once decoded is
``InvalidURI``.

Known gaps: no access points, no S3 Express directory-bucket hostnames (ListDirectoryBuckets
is never routed to), no CNAME buckets (a Host that is no base hostname is path-style).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import InvalidURI, MethodNotAllowed
from .percent import percent_decode

# A parsed query string: each name with its values, in order ("uploads" alone -> [""]).
Query = dict[str, list[str]]


def parse_query(raw: str) -> Query:
    """Form-decode a raw query string; a name without ``=`` gets the empty value."""
    query: Query = {}
    if not raw:
        return query
    for part in raw.split("&"):
        if not part:
            continue
        name, _, value = part.partition("=")
        query.setdefault(decode_query_part(name), []).append(decode_query_part(value))
    return query


def decode_query_part(raw: str) -> str:
    """A query name or value as S3 reads it: form-decoded, undecodable bytes replaced."""
    return percent_decode(raw, plus=True, errors="replace")


def decode_path_segment(raw: str) -> str:
    """Percent-decode once (``+`` stays a plus), as S3 decodes the path."""
    if "%" not in raw:
        return raw
    try:
        return percent_decode(raw)
    except UnicodeDecodeError:
        raise InvalidURI() from None


@dataclass(frozen=True, slots=True)
class _Route:
    operation: str
    method: str
    prefix: tuple[str | None, ...]  # literal segment, or None for a label (names in labels)
    labels: tuple[str, ...]  # label names of the non-greedy labels in prefix, in order
    greedy: str | None  # the greedy label's name, if any
    suffix: tuple[str | None, ...]  # segments after the greedy label
    suffix_labels: tuple[str, ...]
    query: tuple[tuple[str, str | None], ...]  # literal query keys (with a value or not)
    required_query: tuple[str, ...]
    required_headers: tuple[str, ...]  # lower-case
    specificity: tuple[int, ...]


@dataclass(slots=True, unsafe_hash=True)
class Match:
    """A matched operation and its URI labels, percent-decoded."""

    operation: str
    labels: dict[str, str]


def _compile_segments(segments: list[str]) -> tuple[tuple[str | None, ...], tuple[str, ...]]:
    pattern: list[str | None] = []
    names: list[str] = []
    for segment in segments:
        if segment.startswith("{") and segment.endswith("}"):
            pattern.append(None)
            names.append(segment[1:-1])
        else:
            pattern.append(segment)
    return tuple(pattern), tuple(names)


def _template(operation: Any) -> tuple[str, str]:
    return operation.http["method"], operation.http["requestUri"]


def _compile(operation: Any, shared: bool) -> _Route:
    """``shared``: another operation has the same method and request URI template, so the
    headers the input requires tell them apart (CopyObject's and UploadPartCopy's
    x-amz-copy-source). A route of its own (GetObjectAttributes' ``?attributes``) does not
    need its required headers to match: a request without one is that operation's, and
    answered with its error, not taken for another operation."""
    http = operation.http
    path, _, raw_query = http["requestUri"].partition("?")
    segments = [s for s in path.split("/")[1:]] if path != "/" else []
    greedy_at = next((i for i, s in enumerate(segments) if s.endswith("+}")), None)
    greedy: str | None = None
    if greedy_at is None:
        prefix, labels = _compile_segments(segments)
        suffix: tuple[str | None, ...] = ()
        suffix_labels: tuple[str, ...] = ()
    else:
        prefix, labels = _compile_segments(segments[:greedy_at])
        greedy = segments[greedy_at][1:-2]
        suffix, suffix_labels = _compile_segments(segments[greedy_at + 1 :])
    query: list[tuple[str, str | None]] = []
    for part in raw_query.split("&") if raw_query else []:
        name, eq, value = part.partition("=")
        query.append((name, value if eq else None))
    required_query: list[str] = []
    required_headers: list[str] = []
    shape = operation.input_shape
    if shape is not None:
        for name in shape.required_members:
            member = shape.members[name]
            location = member.serialization.get("location")
            if location == "querystring":
                required_query.append(member.serialization.get("name", name))
            elif location == "header" and shared:
                required_headers.append(member.serialization.get("name", name).lower())
    literals = sum(1 for s in prefix + suffix if s is not None)
    specificity = (
        len(query) + len(required_query) + len(required_headers),
        literals,
        len(prefix) + len(suffix) + (1 if greedy else 0),
        0 if operation.deprecated else 1,
    )
    return _Route(
        operation=operation.name,
        method=http["method"],
        prefix=prefix,
        labels=labels,
        greedy=greedy,
        suffix=suffix,
        suffix_labels=suffix_labels,
        query=tuple(query),
        required_query=tuple(required_query),
        required_headers=tuple(required_headers),
        specificity=specificity,
    )


def _match_fixed(
    pattern: tuple[str | None, ...], names: tuple[str, ...], segments: list[str], labels: dict[str, str]
) -> bool:
    at = 0
    for want, got in zip(pattern, segments, strict=True):
        if want is None:
            if not got:
                return False
            labels[names[at]] = decode_path_segment(got)
            at += 1
        elif want != got:
            return False
    return True


class RouteTable:
    """The operations of one service model, by method, most specific first.

    ``exclude`` names operations never to route to (S3's ListDirectoryBuckets, which
    shares ``GET /`` with ListBuckets but is only served by directory-bucket endpoints).
    """

    def __init__(self, service_model: Any, exclude: Iterable[str] = ()) -> None:
        skip = set(exclude)
        by_method: dict[str, list[_Route]] = {}
        operations = [service_model.operation_model(name) for name in service_model.operation_names if name not in skip]
        templates = Counter(_template(operation) for operation in operations)
        for operation in operations:
            route = _compile(operation, templates[_template(operation)] > 1)
            by_method.setdefault(route.method, []).append(route)
        for routes in by_method.values():
            routes.sort(key=lambda r: r.specificity, reverse=True)
        self._by_method = by_method
        # The query keys and headers each route needs, as sets: a request without them
        # skips the route with one subset test instead of a call to ``_match`` (S3 has 45
        # routes, most of them told apart by a query key).
        self._screened = {
            method: [
                (route, frozenset((*(name for name, _ in route.query), *route.required_query))) for route in routes
            ]
            for method, routes in by_method.items()
        }
        # The query keys any route of a method needs; a request's routes to try depend only
        # on which of them it has, so the screened lists are kept by that set (a request's
        # other keys, X-Amz-* of a presigned URL or a list's prefix, do not count).
        self._route_keys = {
            method: frozenset().union(*(needs for _, needs in screened)) for method, screened in self._screened.items()
        }
        self._candidates: dict[tuple[str, frozenset[str]], list[_Route]] = {}

    def __repr__(self) -> str:
        return f"RouteTable({sum(len(r) for r in self._by_method.values())} routes)"

    def match(self, method: str, raw_path: str, query: Query, headers: Mapping[str, str]) -> Match | None:
        """The operation for a request, or None; ``raw_path`` is still percent-encoded,
        ``headers`` has lower-case names."""
        keys = self._route_keys.get(method)
        if keys is None:
            return None
        present = keys.intersection(query)
        candidates = self._candidates.get((method, present))
        if candidates is None:
            # INVARIANT: a route left out needs a query key the request lacks, which
            # ``_match`` would refuse. Bounded: at most one list per subset of a method's
            # route keys that requests have shown.
            if len(self._candidates) >= 4096:
                self._candidates.clear()
            candidates = [route for route, needs in self._screened[method] if needs <= present]
            self._candidates[(method, present)] = candidates
        segments = raw_path.split("/")[1:] if raw_path.startswith("/") else raw_path.split("/")
        for route in candidates:
            labels = self._match(route, segments, query, headers)
            if labels is not None:
                return Match(route.operation, labels)
        return None

    def methods_for(self, raw_path: str, query: Query, headers: Mapping[str, str]) -> list[str]:
        """The methods some operation would accept for this path (for MethodNotAllowed)."""
        segments = raw_path.split("/")[1:] if raw_path.startswith("/") else raw_path.split("/")
        return [
            method
            for method, routes in self._by_method.items()
            if any(self._match(r, segments, query, headers) is not None for r in routes)
        ]

    @staticmethod
    def _match(route: _Route, segments: list[str], query: Query, headers: Mapping[str, str]) -> dict[str, str] | None:
        for name, value in route.query:
            values = query.get(name)
            if values is None or (value is not None and value not in values):
                return None
        for name in route.required_query:
            if name not in query:
                return None
        for name in route.required_headers:
            if name not in headers:
                return None
        labels: dict[str, str] = {}
        fixed = len(route.prefix)
        if route.greedy is None:
            # A trailing slash names the same resource: "/bucket/" is the bucket.
            if len(segments) == fixed + 1 and segments[-1] == "":
                segments = segments[:-1]
            if len(segments) != fixed:
                return None
            return labels if _match_fixed(route.prefix, route.labels, segments, labels) else None
        tail = len(route.suffix)
        if len(segments) < fixed + tail + 1:
            return None
        if not _match_fixed(route.prefix, route.labels, segments[:fixed], labels):
            return None
        end = len(segments) - tail
        if tail and not _match_fixed(route.suffix, route.suffix_labels, segments[end:], labels):
            return None
        rest = "/".join(segments[fixed:end])
        if not rest:
            return None
        labels[route.greedy] = decode_path_segment(rest)
        return labels


@dataclass(frozen=True, slots=True)
class S3Route:
    """An S3 request's operation, bucket and key (None when the operation has none),
    its URI labels, its parsed query, and whether the bucket came from the Host."""

    operation: str
    bucket: str | None
    key: str | None
    labels: dict[str, str]
    query: Query
    virtual_host: bool


# S3's Regional endpoints in virtual-hosted style: "https://bucket-name.s3.region-code.amazonaws.com/key-name"
# ("Virtual hosting of buckets", S3 User Guide), the legacy dash form "bucket.s3-us-west-2.
# amazonaws.com" and the dual-stack "bucket.s3.dualstack.us-west-2.amazonaws.com".
_REGIONAL_ENDPOINT = re.compile(r"(?P<bucket>.+)\.s3(?:\.dualstack)?[.-][a-z0-9-]+\.amazonaws\.com")


class S3Router:
    """S3 requests to operations, path-style or virtual-hosted-style.

    ``base_hosts`` are the hostnames this server answers as S3 itself (``s3.localhost``,
    ``localhost``, ``s3.amazonaws.com``, ``s3.us-east-1.amazonaws.com``...), without port.
    """

    def __init__(self, service_model: Any, base_hosts: Iterable[str]) -> None:
        self.table = RouteTable(service_model, exclude=("ListDirectoryBuckets",))
        # Longest first: "b.s3.localhost" is bucket "b" of "s3.localhost", not bucket
        # "b.s3" of "localhost".
        self._bases = sorted({h.lower() for h in base_hosts}, key=len, reverse=True)
        self._suffixes = tuple("." + h for h in self._bases)

    def __repr__(self) -> str:
        return f"S3Router(base_hosts={self._bases!r})"

    def bucket_from_host(self, host: str) -> str | None:
        """The bucket a virtual-hosted-style Host names, or None for path-style."""
        name = host.lower()
        if name.startswith("["):  # an IPv6 literal: never a bucket
            return None
        name = name.rsplit(":", 1)[0] if ":" in name else name
        if name.endswith("."):  # a fully qualified name: "bucket.localhost."
            name = name[:-1]
        if name in self._bases:
            return None
        for suffix in self._suffixes:
            if name.endswith(suffix) and len(name) > len(suffix):
                return host[: len(name) - len(suffix)]
        regional = _REGIONAL_ENDPOINT.fullmatch(name) if name.endswith(".amazonaws.com") else None
        if regional is not None:
            return host[: regional.end("bucket")]
        return None

    def route(self, method: str, host: str, raw_path: str, raw_query: str, headers: Mapping[str, str]) -> S3Route:
        """Route one request; ``headers`` has lower-case names. Raises MethodNotAllowed when
        the resource exists for other methods only, InvalidURI for an undecodable path."""
        query = parse_query(raw_query)
        bucket = self.bucket_from_host(host)
        path = raw_path or "/"
        if bucket is not None:
            path = "/" + bucket + (path if path.startswith("/") else "/" + path)
        match = self.table.match(method, path, query, headers)
        if match is None:
            raise MethodNotAllowed(Method=method, ResourceType="OBJECT" if path.count("/") > 1 else "BUCKET")
        labels = match.labels
        return S3Route(
            operation=match.operation,
            bucket=labels.get("Bucket"),
            key=labels.get("Key"),
            labels=labels,
            query=query,
            virtual_host=bucket is not None,
        )

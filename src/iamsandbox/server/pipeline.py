"""The request path of DESIGN.md: route, authenticate, parse, authorize, operate, serialize.

Each step is a small function over ``Call`` (the request as received, and what the steps
learn about it). ``handle`` runs them and turns any ``ServiceError`` into the service's
error response; anything else is a bug, logged with the request id, answered with
InternalError.

Order: the signature is verified before the body is parsed, because an aws-chunked S3
body can only be decoded with the verified signature; a query service's body is hashed
into the signature, so it is verified first as well.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import logging
import re
import secrets
import uuid
from collections.abc import Callable, Mapping
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from .. import errors
from ..auth.chunked import CHECKSUMS, check_checksum, decode_aws_chunked
from ..auth.dialects import S3 as S3_DIALECT
from ..auth.sigv2 import SIGNATURE_VERSION as V2_SIGNATURE_VERSION
from ..auth.sigv2 import v2_regions
from ..auth.sigv4 import ALGORITHM, Authenticated, check_payload_hash, verify_request
from ..authz.action_spec import member as param_member
from ..authz.actions import KEY_VALUES, TABLE, ActionSpec, spec_for
from ..authz.authorize import Target
from ..authz.context import Caller, global_keys
from ..errors import InternalError, ServiceError, ServiceFailure
from ..policy.request import PrincipalKind
from ..protocol.http import HttpRequest, HttpResponse
from ..protocol.json_protocol import CONTENT_TYPE as JSON_CONTENT_TYPE
from ..protocol.json_protocol import json_error
from ..services.cloudtrail.events import Recorded, is_management_event
from ..services.context import CallContext
from ..services.s3 import common as s3_common
from ..services.s3 import cors, expected_owner, requester_pays
from ..services.s3 import tagging as s3_tagging
from ..services.s3 import versioning as s3_versioning
from ..services.s3 import write_conditions as s3_write_conditions
from ..services.s3.buckets import aws_regions
from ..services.sts.assume_role import check_role_arn
from ..services.sts.credentials import with_request_mfa
from ..services.sts.federation import IAM_REFUSED as FEDERATED_IN_IAM
from ..services.sts.saml import DENIED as SAML_DENIED
from ..services.sts.web_identity import DENIED as WEB_IDENTITY_DENIED
from ..store.interface import AccessKey, Transaction
from . import post_object
from .identity import ANONYMOUS, Credentials, Identity, saml_identity, web_identity

if TYPE_CHECKING:
    from .app import App

log = logging.getLogger("iamsandbox")

_SCOPE = re.compile(r"Credential=[^/,\s]+/[0-9]{8}/([^/,\s]+)/([^/,\s]+)/aws4_request")
_QUERY_VERSIONS = {"2010-05-08": "iam", "2011-06-15": "sts"}
_SERVED = frozenset({"iam", "sts", "s3", "organizations", "cloudtrail"})
# JSON 1.1 services: routed by the X-Amz-Target prefix when the request has no credential scope.
_JSON_TARGETS = {
    "AWSOrganizationsV20161128.": "organizations",
    "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.": "cloudtrail",
}
_IAM_REGION = "us-east-1"  # IAM's one endpoint (``Call.requested_region``)
# Global services whose one endpoint is in us-east-1 (``Call.requested_region``).
_GLOBAL = frozenset({"iam", "organizations"})
STREAMING = "STREAMING-"

# Operations whose handlers only read: authentication, authorization and the handler run
# in one read unit (a snapshot; no write lock). Every other operation reads credentials
# in a read unit and then operates in a write transaction. INVARIANT: no handler named
# here writes (on SQLite a write in a read unit could fail to upgrade its lock).
_READ_PREFIXES = {"s3": ("Get", "Head", "List"), "iam": ("Get", "List"), "organizations": ("Describe", "List")}
_READ_OPERATIONS = {"sts": frozenset({"GetCallerIdentity", "GetAccessKeyInfo", "DecodeAuthorizationMessage"})}
# Reads but for bookkeeping kept for after the call (``CallContext.after``: RoleLastUsed),
# unless the request carries an MFA code, whose time step is consumed atomically with its
# check (``services/sts/credentials.py``).
_READ_MOSTLY = {
    "sts": frozenset(
        {"AssumeRole", "AssumeRoleWithWebIdentity", "AssumeRoleWithSAML", "GetSessionToken", "GetFederationToken"}
    )
}
_MFA_PARAMS = ("SerialNumber", "TokenCode")
# The operations a client sends unsigned, authenticated by what they carry (a web identity
# token, a SAML assertion), and AWS's words when the role's trust policy refuses them.
_UNSIGNED = {"AssumeRoleWithWebIdentity": WEB_IDENTITY_DENIED, "AssumeRoleWithSAML": SAML_DENIED}
# The S3 operations whose handlers check the Content-MD5 of the body they store.
_MD5_BY_HANDLER = frozenset({"PutObject", "UploadPart"})
# The S3 operations whose page requires a checksum of the body, and S3's words when it is
# missing: DeleteObjects ("The Content-MD5 or x-amz-sdk-checksum-algorithm header is
# required for all Multi-Object Delete requests"; the wording of countless SDK reports) and
# PutBucketTagging (Content-MD5: "You must use this header as a message integrity check";
# S3's answer recorded in versity/versitygw#1521). The model marks more
# (httpChecksumRequired), which SDKs must send but whose pages do not say S3 refuses a
# request without (PutBucketVersioning is taken without one: minio/minio#9852).
_CHECKSUM_REQUIRED = {
    "DeleteObjects": "Missing required header for this request: Content-MD5",
    "PutBucketTagging": "Missing required header for this request: Content-MD5 OR x-amz-checksum-*",
}


# Request ids are shaped as AWS's (a UUID): 24 random characters drawn once per process,
# then a counter, so that each is unique without a random draw per request.
_REQUEST_ID_PREFIX = str(uuid.uuid4())[:24]
_request_numbers = itertools.count(1)


def new_request_id() -> str:
    return f"{_REQUEST_ID_PREFIX}{next(_request_numbers) & 0xFFFFFFFFFFFF:012x}"


# S3's request ids are 16 upper-case letters and digits, its host ids 76 base64 characters
# (as in every S3 error body recorded, e.g. "ZMP8603GQHFTT6XD"): here 6 characters of A-Z0-9
# drawn once per process (31 bits), then the request's number, its last 10 hex digits (a
# trillion requests before they repeat; in base 36 the conversion cost 14 k instructions).
_S3_REQUEST_ID_PREFIX = "".join(secrets.choice("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(6))


def s3_request_id(request_id: str) -> str:
    """The S3 form of a ``new_request_id``."""
    return _S3_REQUEST_ID_PREFIX + request_id[-10:].upper()


def host_id(request_id: str) -> str:
    """S3's x-amz-id-2 and an error's HostId ("a special token that helps AWS troubleshoot
    problems", S3 "Error responses"): every S3 response carries one ("Common response
    headers"); here, derived from the request id, so the two name the same request."""
    return base64.b64encode(hashlib.sha512(request_id.encode()).digest()[:57]).decode()


@dataclass(slots=True)
class Call:
    """One request and what the pipeline has learned about it so far."""

    method: str
    path: str  # as received, percent-encoded
    query: str
    headers: list[tuple[str, str]]  # lower-case names, as received
    body: bytes
    client_ip: str
    # Over HTTPS: the ASGI scope's scheme, which uvicorn's proxy headers set from
    # X-Forwarded-Proto when a proxy of FORWARDED_ALLOW_IPS terminated TLS (aws:SecureTransport).
    secure: bool = False
    now: datetime = field(default_factory=partial(datetime.now, UTC))
    request_id: str = field(default_factory=new_request_id)
    service: str = "s3"
    region: str = "us-east-1"
    operation: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    auth_keys: dict[str, str] = field(default_factory=dict)  # condition keys of the signature
    trailers: frozenset[str] = frozenset()  # checksum trailers of an aws-chunked body, verified
    posted: post_object.Posted | None = None  # a browser-based upload's form (POST Object)
    # What the transport already decided (``app.read_body``): the body stopped arriving, was
    # too large, or a PUT gave no length.
    transport: ServiceError | None = None
    # For the call's CloudTrail event (``note_event``): who made it, with which key, and the
    # resource it was authorized on.
    caller: Caller | None = None
    access_key_id: str | None = None
    target_arn: str | None = None
    target_account: str | None = None

    def header(self, name: str) -> str | None:
        for key, value in self.headers:  # a loop: half the cost of next() over a generator
            if key == name:
                return value
        return None

    @property
    def requested_region(self) -> str:
        """The Region the request is made to (aws:RequestedRegion, the Region
        GetAccessKeyLastUsed reports). IAM is a global service whose one endpoint is in
        us-east-1: "IAM calls are always made to the us-east-1 Region" (aws:RequestedRegion,
        "AWS global condition context keys"), and AWS refuses an IAM request signed for
        another Region. A client given this server's URL signs IAM with its own Region
        (botocore with an endpoint_url), which is accepted, but authorized as AWS would
        authorize the request it sends to IAM's endpoint: in us-east-1."""
        return _IAM_REGION if self.service in _GLOBAL else self.region

    @property
    def recorded_region(self) -> str:
        """The Region a record of the call keeps (service last accessed data, a CloudTrail
        event): the Region as signed, which any client may write, no longer than the store
        keeps it (32 characters)."""
        return self.requested_region[:32]


def route(call: Call) -> None:
    """Which service: the SigV4 credential scope, else the host, else the query Version."""
    scope = _SCOPE.search(call.header("authorization") or "") or _SCOPE.search(
        "Credential=" + unquote(_query_value(call.query, "X-Amz-Credential") or "")
    )
    if scope is not None:
        call.region = scope.group(1)
        if scope.group(2) in _SERVED:
            call.service = scope.group(2)
            return
        # Another service's scope (boto3 signs for "s3express" on a bucket named
        # "...--x-s3"): routed by host as below, where the signature check refuses the
        # scope in that service's words (S3: AuthorizationHeaderMalformed).
    target = call.header("x-amz-target")
    if target is not None:
        for prefix, service in _JSON_TARGETS.items():
            if target.startswith(prefix):
                call.service = service
                return
    host = (call.header("host") or "").split(":")[0]
    for service in ("iam", "sts"):
        if host.startswith(f"{service}."):
            call.service = service
            return
    # A POST's form body names its Version (a query API); a multipart form is S3's POST Object.
    form_body = call.method == "POST" and not (call.header("content-type") or "").startswith("multipart/form-data")
    version = _query_value(call.body.decode("latin-1") if form_body else call.query, "Version")
    call.service = _QUERY_VERSIONS.get(version or "", "s3")


def _unsigned_operation(call: Call) -> bool:
    """AssumeRoleWithWebIdentity and AssumeRoleWithSAML: "Calling AssumeRoleWithWebIdentity
    [AssumeRoleWithSAML] does not require the use of AWS security credentials" (STS API
    reference); clients send them unsigned."""
    text = call.body.decode("latin-1") if call.method == "POST" else call.query
    return call.service == "sts" and _query_value(text, "Action") in _UNSIGNED


# A presigned URL's own parameters, which stand for no header of the operation.
_QUERY_AUTH_PARAMS = frozenset(
    {
        "x-amz-algorithm",
        "x-amz-credential",
        "x-amz-date",
        "x-amz-expires",
        "x-amz-signedheaders",
        "x-amz-signature",
        "x-amz-security-token",
    }
)


def _lift_amz_query_headers(query: str, headers: dict[str, str]) -> None:
    """A presigned URL's ``x-amz-*`` query parameters as the headers they stand for (a
    header sent with the request wins). botocore's SigV2 presigner moves ``x-amz-acl``,
    ``x-amz-meta-*``, ``x-amz-server-side-encryption``, ``x-amz-request-payer``, ... from
    the headers into the query, and signs them there; S3 applies them ("For signed URLs,
    include x-amz-request-payer=requester in the request": "Downloading objects from
    Requester Pays buckets", S3 User Guide)."""
    for pair in query.split("&"):
        if pair[:6].lower() != "x-amz-":  # cheap: a presigned URL has several other parameters
            continue
        raw, _, value = pair.partition("=")
        name = raw.lower()
        if name in _QUERY_AUTH_PARAMS:
            continue
        name = unquote(name)
        if name not in headers:
            # As a header's value reads (Latin-1 of its bytes: protocol.http.header_text).
            headers[name] = unquote(value.replace("+", " "), encoding="latin-1")


def _query_value(text: str, name: str) -> str | None:
    for pair in text.split("&"):
        key, _, value = pair.partition("=")
        if key == name:
            return value
    return None


def authenticate(app: App, call: Call, credentials: Credentials) -> tuple[Identity, Authenticated | None]:
    try:
        auth = verify_request(
            call.method,
            call.path,
            call.query,
            call.headers,
            service=call.service,
            lookup=credentials.secret,
            now=call.now,
            cache=app.signing_keys,
            body=None if call.service == "s3" else call.body,
            virtual_bucket=lambda: app.s3.router.bucket_from_host(call.header("host") or ""),
        )
    except errors.MissingAuthenticationToken:
        if not _unsigned_operation(call):
            raise
        auth = None  # its token authenticates it once parsed (``handle``)
    if auth is None:
        return ANONYMOUS, None
    if call.service == "s3":
        # Global S3 keys of every action ("Actions, resources, and condition keys for
        # Amazon S3"): how the request was signed and authenticated.
        call.auth_keys = {
            "s3:signatureversion": auth.version,
            "s3:authType": "REST-QUERY-STRING" if auth.presigned else "REST-HEADER",
            # "The length of time, in milliseconds, that a signature is valid in an
            # authenticated request ... In Signature Version 2, this value is always set
            # to 0" ("Amazon S3 Signature Version 4 Authentication Specific Policy Keys"):
            # the time since the request was signed.
            "s3:signatureAge": "0"
            if auth.version == V2_SIGNATURE_VERSION
            else str(max(0, int(call.now.timestamp() * 1000) - auth.request_time * 1000)),
        }
        if auth.version != V2_SIGNATURE_VERSION and not auth.presigned:
            # The same page: the x-amz-content-sha256 header of a request signed with the
            # Authorization header ("to disallow unsigned content in your bucket").
            call.auth_keys["s3:x-amz-content-sha256"] = auth.payload_hash
        if auth.version != V2_SIGNATURE_VERSION:
            # A presigned URL whose signed headers include x-amz-content-sha256 signs that
            # hash too: the body must be the one signed (a PUT of other bytes was stored).
            check_payload_hash(call.body, auth.payload_hash)
    if auth.payload_hash.startswith(STREAMING):
        call.body, trailers = decode_aws_chunked(call.body, auth, call.headers)
        # The trailing checksums (verified by the decoder) count as the headers they are
        # (x-amz-checksum-crc32, ...): S3 keeps and answers them as if sent up front.
        sent = {name for name, _ in call.headers}
        call.trailers = frozenset(name.lower() for name in trailers)
        call.headers.extend((name.lower(), value) for name, value in trailers.items() if name.lower() not in sent)
    return credentials.identity(auth.access_key_id), auth


def parse(app: App, call: Call, tx: Transaction) -> None:
    if call.service == "s3":
        headers = {key: value for key, value in call.headers}
        if call.auth_keys.get("s3:authType") == "REST-QUERY-STRING":
            _lift_amz_query_headers(call.query, headers)
        request = HttpRequest(call.method, call.path, call.query, headers, call.body, headers.get("host", ""))
        parsed = app.s3.parse(request, tx.get_bucket)
        if parsed.operation not in app.handlers["s3"]:
            # As the query protocol answers an operation of the model without a handler.
            raise errors.NotImplemented(f"The operation {parsed.operation} is not implemented by iamsandbox.")
        if parsed.operation in _CHECKSUM_REQUIRED and not _has_checksum(headers):
            raise errors.InvalidRequest(_CHECKSUM_REQUIRED[parsed.operation])  # 400
        call.operation, call.params = parsed.operation, parsed.params
        return
    if call.service in app.json:
        call.operation, call.params = app.json[call.service].parse(call.header("x-amz-target"), call.body)
        return
    protocol = app.query[call.service]
    body = call.body if call.method == "POST" else call.query.encode()
    call.operation, call.params = protocol.parse(body)


def _has_checksum(headers: Mapping[str, str]) -> bool:
    """Content-MD5, or a checksum of the body sent as a header or (aws-chunked) as a trailer,
    which ``authenticate`` has already added to the headers."""
    return "content-md5" in headers or any(name in CHECKSUMS for name in headers)


def service_keys(spec: ActionSpec, params: Mapping[str, Any]) -> dict[str, str | list[str]]:
    """The condition keys the operation's parameters supply (``actions.py``)."""
    keys: dict[str, str | list[str]] = {}
    for key, param in spec.keys:
        value = params.get(param) if "." not in param else param_member(params, param)
        if value is None:
            continue
        if isinstance(value, list | tuple):
            keys[key] = [str(v) for v in value]
        else:
            keys[key] = KEY_VALUES[key](str(value)) if key in KEY_VALUES else str(value)
    if spec.request_object_tags:
        keys.update(s3_tagging.request_tag_keys(params))
    keys.update(spec.fixed_keys)
    return keys


def request_tags(spec: ActionSpec, params: Mapping[str, Any]) -> dict[str, str] | None:
    if not spec.tags:
        return None
    tags = param_member(params, spec.tags_param)
    if not tags:
        return None
    return {str(tag["Key"]): str(tag.get("Value", "")) for tag in tags}


def reads_only(call: Call) -> bool:
    """Whether the parsed operation only reads the store (``_READ_PREFIXES``), but for
    writes it defers (``_READ_MOSTLY``)."""
    if call.operation in _READ_MOSTLY.get(call.service, ()):
        return not any(name in call.params for name in _MFA_PARAMS)
    return call.operation.startswith(_READ_PREFIXES.get(call.service, ())) or call.operation in _READ_OPERATIONS.get(
        call.service, ()
    )


def operate(
    app: App,
    call: Call,
    identity: Identity,
    unit: Transaction | None = None,
    deferred: list[Callable[[Transaction], None]] | None = None,
) -> dict[str, Any]:
    """Authorize and run the handler, in one store transaction (or in ``unit``, the
    request's read unit, when the operation only reads: the writes it defers go to
    ``deferred``)."""
    spec = spec_for(call.service, call.operation, call.params)  # the versioned row for a VersionId
    handler = app.handlers[call.service].get(call.operation)
    assert spec is not None and handler is not None  # INVARIANT: the protocol refuses others
    caller = identity.caller
    account = caller.account or ""
    with nullcontext(unit) if unit is not None else app.store.transaction() as tx:
        if call.service == "sts" and "RoleArn" in call.params:
            # Before authorization: AWS answers a malformed RoleArn with ValidationError
            # whoever asks (recorded: "arn:a:a::aaaaaaaaaa: is invalid", not AccessDenied).
            check_role_arn(str(call.params["RoleArn"]))
        if spec.action == "sts:AssumeRole":
            caller = with_request_mfa(tx, caller, call.params, call.now)

        def check(action: str, target: Target, extra: Mapping[str, str | list[str]]) -> None:
            context = global_keys(
                caller,
                now=call.now,
                source_ip=call.client_ip,
                secure=call.secure,
                region=call.requested_region,
                resource_account=target.account,
                request_tags=request_tags(spec, call.params),
                resource_tags=target.tags,
                resource_arn=target.arn,
                user_agent=call.header("user-agent"),
                referer=call.header("referer"),
            )
            if call.service == "s3" and target.account is not None:
                # "s3:ResourceAccount: Filters access by the resource owner AWS account ID"
                # (Service Authorization Reference, Amazon S3: a key of every S3 action).
                context["s3:ResourceAccount"] = target.account
            for tag, value in target.object_tags.items():  # read only where actions.py says
                context[f"s3:ExistingObjectTag/{tag}"] = value
            if target.boundary is not None:  # likewise (``ActionSpec.target_boundary``)
                context["iam:PermissionsBoundary"] = target.boundary
            context.update(extra)
            app.authorizer.check(
                tx,
                caller,
                action,
                target,
                context=context,
                identity_id=identity.identity_id,
                boundary_arn=identity.boundary_arn,
                session=identity.session,
            )

        bucket = None  # the request's bucket, read once (NoSuchBucket, SigV2, expected owner)
        if call.service == "s3":
            expected_owner.validate(call.params)
            _refuse_customer_keys(call)
            _refuse_object_lock(call)
            if spec.resource.kind in ("bucket", "object") and spec.action != "s3:CreateBucket":
                bucket_name = str(call.params.get(spec.resource.param or "Bucket", ""))
                bucket = tx.get_bucket(bucket_name)
                if bucket is None:
                    # Before authorization, whoever asks: a bucket that does not exist has
                    # no policy to evaluate; S3 answers NoSuchBucket (404) to any caller,
                    # anonymous or of another account ("Error responses", S3 API Reference).
                    raise errors.NoSuchBucket(BucketName=bucket_name)
                _refuse_v2_outside_its_regions(call, bucket.region)
                _refuse_another_signing_region(call, bucket.region)
            elif spec.action == "s3:CreateBucket":
                if call.auth_keys.get("s3:signatureversion") == ALGORITHM and call.region not in aws_regions():
                    # Signed for a scope that is no Region ("aws-global", botocore's global
                    # endpoint's): recorded from AWS, LocalStack's test_s3 snapshot,
                    # test_create_bucket_aws_global ("the region 'aws-global' is wrong;
                    # expecting 'us-east-1'", <Region>us-east-1</Region>).
                    presigned = call.auth_keys.get("s3:authType") == "REST-QUERY-STRING"
                    raise S3_DIALECT.wrong_region(call.region, s3_common.US_EAST_1, presigned=presigned)
                configuration = call.params.get("CreateBucketConfiguration") or {}
                _refuse_v2_outside_its_regions(call, configuration.get("LocationConstraint") or "us-east-1")
        if not spec.unauthorized:
            user_name = caller.name if caller.kind is PrincipalKind.USER else None
            target = app.authorizer.resolve(tx, spec, call.params, account, user_name)
            call.target_arn, call.target_account = target.arn, target.account
            if call.operation in _ANY_SIGNING_REGION and bucket is not None and call.region != bucket.region:
                # "In a bucket's home Region, calls to the GetBucketLocation operation are
                # governed by the bucket's policy. In other Regions, the bucket policy doesn't
                # apply, which means that cross-account access won't be authorized"
                # (GetBucketLocation, S3 API Reference).
                target = replace(target, policy=None)
            keys = service_keys(spec, call.params)
            if spec.action == "sts:AssumeRole" and caller.source_identity is not None:
                # A chained AssumeRole carries the calling session's source identity whether or
                # not the request names it: "the source identity in the request persists from
                # the first assumed role session. Therefore, both the aws:SourceIdentity and
                # sts:SourceIdentity keys are present in the request context" ("Monitor and
                # control actions taken with assumed roles", IAM User Guide).
                keys.setdefault("sts:SourceIdentity", caller.source_identity)
            try:
                check(spec.action, target, {**keys, **call.auth_keys, **identity.keys})
            except errors.AccessDenied as denied:
                if caller.kind is PrincipalKind.WEB_IDENTITY:  # AWS's words for this denial
                    raise errors.AccessDenied(_UNSIGNED.get(call.operation, WEB_IDENTITY_DENIED)) from None
                if call.operation == "HeadBucket" and bucket is not None:
                    # "regardless of the permissions on the bucket, you will receive a response
                    # header with the correct bucket location" (HeadBucket, S3 API reference).
                    denied.headers = (("x-amz-bucket-region", bucket.region),)
                raise
        charged = False  # the requester pays (services/s3/requester_pays.py)
        if bucket is not None:
            expected_owner.check(bucket.account_id, call.params.get("ExpectedBucketOwner"))
            if caller.account != bucket.account_id and (caller.account is None or _takes_payer(app, call.operation)):
                charged = requester_pays.charged(
                    tx, bucket.name, bucket.account_id, caller.account, call.params.get("RequestPayer")
                )
        if call.service == "s3":
            _check_s3_body(call)

        def authorize(action: str, resource_arn: str, extra: Mapping[str, str | list[str]]) -> None:
            # A handler's own checks (each key of DeleteObjects, a copy's source, PutObject's
            # tags, s3:ListBucket for a missing key) are of the same signed request: the
            # signature's keys hold for them too ("Applicable Keys for s3:* Actions or any of
            # the Amazon S3 Actions", Authenticating Requests (AWS Signature Version 4)).
            target = app.authorizer.target_of(tx, resource_arn, account, action)
            check(action, target, {**call.auth_keys, **identity.keys, **extra})

        region = call.requested_region
        ctx = CallContext(
            tx, caller, account, region, call.now, call.request_id, app.shared, authorize, deferred, identity.proof
        )
        result = handler(ctx, call.params)
        if charged and "RequestCharged" in app.models.operation("s3", call.operation).output_shape.members:
            result["RequestCharged"] = requester_pays.REQUESTER
        return result


def _takes_payer(app: App, operation: str) -> bool:
    """Whether the S3 operation's input has the RequestPayer member (botocore's model)."""
    return "RequestPayer" in app.models.operation("s3", operation).input_shape.members


def _check_s3_body(call: Call) -> None:
    """The body against the digests the request gives of it: BadDigest when they differ."""
    content_md5 = call.header("content-md5")
    if content_md5 is not None and call.operation not in _MD5_BY_HANDLER and call.posted is None:
        # Content-MD5 is a message integrity check ("Common Request Headers", S3 API
        # Reference), and all SigV2 has of the body: of every operation, also those whose
        # input in botocore's model no longer names it (DeleteObjects: "Amazon S3 uses the
        # header value to ensure that your request body has not been altered in transit").
        s3_common.check_content_md5(content_md5, call.body)
    named = {name for name, _value in call.headers if name in CHECKSUMS}
    if len(named) > 1:  # recorded from S3 (versity/versitygw#1186)
        raise errors.InvalidRequest(
            "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed."
        )
    _check_sdk_checksum_algorithm(call.header("x-amz-sdk-checksum-algorithm"), named)
    if call.operation == "CompleteMultipartUpload":
        return  # its checksum headers are the object's (CompleteMultipartUpload, S3 API Reference)
    for name, value in call.headers:
        if name in CHECKSUMS and name not in call.trailers:  # trailers: checked as decoded
            # "Checking object integrity in Amazon S3" (S3 User Guide): S3 computes the
            # checksum the request names and refuses the request when they differ.
            check_checksum(name, value, call.body)


def _check_sdk_checksum_algorithm(algorithm: str | None, named: set[str]) -> None:
    """``x-amz-sdk-checksum-algorithm`` (ChecksumAlgorithm, PutObject reference): "When you
    send this header, there must be a corresponding x-amz-checksum-algorithm or x-amz-trailer
    header sent. Otherwise, Amazon S3 fails the request with the HTTP status code 400 Bad
    Request." The words are S3's as recorded in apache/hadoop#6467 and versity/versitygw#1598
    (a trailer's checksum is among ``named``: the decoded trailers join the headers)."""
    if algorithm is None:
        return
    if not named:
        raise errors.InvalidRequest(
            "x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* "
            "or x-amz-trailer headers were found."
        )
    if f"x-amz-checksum-{algorithm.lower()}" not in named:
        raise errors.InvalidRequest("Value for x-amz-sdk-checksum-algorithm header is invalid.")


# GetBucketLocation is how a client finds a bucket's Region: S3 answers it signed for any.
_ANY_SIGNING_REGION = frozenset({"GetBucketLocation"})


# SSE-C's headers, as the request members of botocore's S3 model name them.
_CUSTOMER_KEY_MEMBERS = ("SSECustomerAlgorithm", "SSECustomerKey", "CopySourceSSECustomerAlgorithm")


def _refuse_customer_keys(call: Call) -> None:
    """A request with SSE-C's headers over plain HTTP (this server's only transport):
    "Amazon S3 rejects any requests made over HTTP when using SSE-C" ("Using server-side
    encryption with customer-provided keys (SSE-C)", S3 User Guide), with 400 InvalidRequest
    in S3's words as SDK users quote them. So no SSE-C object is ever written or read here
    (and over HTTPS, new buckets block SSE-C writes since April 2026 anyway)."""
    if any(call.params.get(member) is not None for member in _CUSTOMER_KEY_MEMBERS):
        raise errors.InvalidRequest(
            "Requests specifying Server Side Encryption with Customer provided keys must be made over a secure"
            " connection."
        )


# Object Lock's request members and the headers that carry them (PutObject, CopyObject,
# CreateMultipartUpload; CreateBucket's x-amz-bucket-object-lock-enabled).
_OBJECT_LOCK_HEADERS = {
    "ObjectLockMode": "x-amz-object-lock-mode",
    "ObjectLockRetainUntilDate": "x-amz-object-lock-retain-until-date",
    "ObjectLockLegalHoldStatus": "x-amz-object-lock-legal-hold",
    "ObjectLockEnabledForBucket": "x-amz-bucket-object-lock-enabled",
}
_OBJECT_LOCK_OPERATIONS = frozenset({"PutObject", "CopyObject", "CreateMultipartUpload", "CreateBucket"})


def _refuse_object_lock(call: Call) -> None:
    """Object Lock is not modelled here (README, "Not yet"): a request that asks for it is
    S3's 501 NotImplemented naming the header, rather than a bucket or object made without
    the protection it asked for, on which a policy's s3:object-lock-* condition would never
    match (found by a review of the S3 bucket policy examples: a Deny on
    s3:object-lock-mode let a COMPLIANCE write through). ObjectLockEnabledForBucket false
    asks for nothing."""
    if call.operation not in _OBJECT_LOCK_OPERATIONS:
        return
    for member, header in _OBJECT_LOCK_HEADERS.items():
        value = call.params.get(member)
        if value is not None and value is not False:
            raise s3_write_conditions.not_implemented(header)


def _refuse_another_signing_region(call: Call, region: str) -> None:
    """A SigV4 request for a bucket, signed for another Region than the bucket's: S3 answers
    400 AuthorizationHeaderMalformed ("the region 'us-east-1' is wrong; expecting
    'eu-west-1'", with ``<Region>``), or AuthorizationQueryParametersError for a presigned
    URL; SDKs then sign again for the bucket's Region (botocore's S3RegionRedirector)."""
    if call.auth_keys.get("s3:signatureversion") != ALGORITHM or call.region == region:
        return
    if call.operation in _ANY_SIGNING_REGION:
        return
    presigned = call.auth_keys.get("s3:authType") == "REST-QUERY-STRING"
    raise S3_DIALECT.wrong_region(call.region, region, presigned=presigned)


def _refuse_v2_outside_its_regions(call: Call, region: str) -> None:
    """SigV2 only in "some of the older AWS Regions" ("Specifying the Signature Version in
    request authentication", S3 API Reference): a bucket's, or the one a new bucket asks for."""
    if call.auth_keys.get("s3:signatureversion") == V2_SIGNATURE_VERSION and region not in v2_regions():
        raise errors.InvalidRequest(
            "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256."
        )


def handle(app: App, call: Call) -> HttpResponse:
    """The whole path for one request; never raises."""
    try:
        route(call)
        if call.service == "s3":
            call.request_id = s3_request_id(call.request_id)
        if call.transport is not None and (
            call.service == "s3" or not isinstance(call.transport, errors.MissingContentLength)
        ):
            if call.service != "s3" and isinstance(call.transport, errors.BadRequest):
                # Two Host or Authorization headers: a query API has no BadRequest code
                # ("Common Errors"); its signature cannot be told, which IncompleteSignature
                # names ("The request signature does not conform to AWS standards", the
                # same page). Unconfirmed: AWS's answer to such a request is unrecorded.
                raise errors.IncompleteSignature("The request signature does not conform to AWS standards.")
            raise call.transport  # (MissingContentLength is S3's: a query API's PUT is refused later)
        if (
            call.service == "s3"
            and call.header("transfer-encoding") is not None
            and call.header("x-amz-decoded-content-length") is None
        ):
            # S3 needs the length of a body: a chunked transfer is 501 NotImplemented naming
            # the header, as recorded from S3 (Automattic/knox#43, JuliaWeb/HTTP.jl#98,
            # aws-sdk-js-v3#3403), unless it carries an aws-chunked body whose decoded length
            # the request states (botocore sends its trailing checksums so over HTTPS).
            raise s3_write_conditions.not_implemented("Transfer-Encoding")
        if call.service == "s3" and call.method == "OPTIONS":
            return _preflight(app, call)
        result: dict[str, Any] | None = None
        used: AccessKey | None = None  # a long-term key whose signature verified
        deferred: list[Callable[[Transaction], None]] = []  # writes of a call that ran in the read unit
        try:
            with app.store.read() as tx:
                posted = post_object.posted_form(app, call)
                if posted is None:
                    credentials = Credentials(tx, app.shared.tokens, _token(call), call.now)
                    identity, auth = authenticate(app, call, credentials)
                    used = credentials.key if auth is not None else None
                    parse(app, call, tx)
                else:  # a browser-based upload: its form is signed, and runs as a PutObject
                    token = posted.form.fields.get("x-amz-security-token")
                    credentials = Credentials(tx, app.shared.tokens, token, call.now)
                    identity, call.posted, signed = post_object.authenticate(app, call, credentials, posted)
                    auth, used = None, credentials.key if signed else None
                if auth is None and call.service != "s3" and call.operation not in _UNSIGNED:
                    # The unsigned request was let through for the operation its raw query
                    # named; the parsed one (decoded keys, e.g. %41ction) is what runs, and
                    # only AssumeRoleWithWebIdentity and AssumeRoleWithSAML may run unsigned.
                    raise errors.MissingAuthenticationToken("Request is missing Authentication Token")
                if call.service == "iam" and (
                    identity.caller.kind is PrincipalKind.FEDERATED_USER or identity.iam_refused
                ):
                    # A federated user's session (GetFederationToken) "cannot call any IAM
                    # operations", nor a GetSessionToken session without MFA (STS API
                    # reference): IAM answers it as an unknown token, before any
                    # authorization (services/sts/federation.py; aws/aws-sdk-js#460).
                    raise errors.InvalidClientTokenId(FEDERATED_IN_IAM)
                if call.service == "sts" and call.operation == "AssumeRoleWithWebIdentity":
                    # Unsigned: the token authenticates the request (the issuer's keys are
                    # fetched here, outside any write transaction).
                    identity = web_identity(tx, app.shared.jwks, call.params, call.now)
                elif call.service == "sts" and call.operation == "AssumeRoleWithSAML":
                    # Unsigned: the assertion authenticates the request, by the keys in its
                    # SAML provider's metadata.
                    identity = saml_identity(tx, call.params, call.now)
                note_access(app, call, identity)  # before authorization: denied attempts count
                call.caller = identity.caller
                call.access_key_id = auth.access_key_id if auth is not None else None
                if reads_only(call):
                    result = operate(app, call, identity, tx, deferred)
        finally:
            if used is not None:  # denied or not, the key signed a request
                record_key_use(app, call, used)
        if result is None:
            result = operate(app, call, identity)
        elif deferred:
            with app.store.transaction() as wtx:
                for write in deferred:
                    write(wtx)
        response = serialize(app, call, result)
        note_event(app, call, result, None)
        if call.service == "s3" and (origin := call.header("origin")) and call.params.get("Bucket"):
            with app.store.read() as tx:
                cors.add_headers(tx, str(call.params["Bucket"]), call.method, origin, response)
        return response
    except ServiceError as error:
        note_event(app, call, None, error)
        return serialize_error(app, call, error)
    except Exception:
        log.exception("internal error in request %s", call.request_id)
        if call.service == "iam":
            failure: ServiceError = ServiceFailure(
                "The request processing has failed because of an unknown error, exception or failure."
            )
        else:
            failure = InternalError("We encountered an internal error. Please try again.")
        return serialize_error(app, call, failure)
    finally:
        flush_notes(app, call.now)


def _preflight(app: App, call: Call) -> HttpResponse:
    """A browser's CORS preflight, answered from the bucket's CORS rules before any
    authentication (``services/s3/cors.py``)."""
    wanted = ("origin", "access-control-request-method", "access-control-request-headers")
    headers = {name: value for name, value in call.headers if name in wanted}
    with app.store.read() as tx:
        response = cors.preflight(tx, app.s3.router, call.header("host") or "", call.path, headers)
    response.headers.extend((("x-amz-request-id", call.request_id), ("x-amz-id-2", host_id(call.request_id))))
    return response


def note_access(app: App, call: Call, identity: Identity) -> None:
    """Service last accessed data (``services/iam/last_accessed.py``): an authenticated
    attempt of an IAM user or role (a role session's counts for its role, a federated
    user's for the IAM user who federated; ``Identity.identity_id`` names them) to call the
    operation's action, noted in memory. The root user, web identities and anonymous
    callers are no IAM entity; a retired session's user or role is gone."""
    entity_id = identity.identity_id
    if entity_id is None or identity.caller.kind is PrincipalKind.ROOT:
        return
    spec = TABLE[call.service].get(call.operation)
    if spec is not None:
        app.shared.last_accessed.note(entity_id, call.service, spec.action, call.now, call.recorded_region)


def flush_notes(app: App, now: datetime, force: bool = False) -> None:
    """Write what the request path noted in memory, each kind when it is due (every few
    seconds; ``force``: all now, at shutdown): the attempts of service last accessed data and
    the CloudTrail events, in one write unit of their own after the request's (LookupEvents
    writes the pending events itself first). Never raises (a failed write loses those notes,
    and says so)."""
    recorder, trail = app.shared.last_accessed, app.shared.trail
    accesses_due = force or recorder.due(now)
    events_due = force or trail.due(now)
    if not (accesses_due or events_due):
        return
    accesses = recorder.take() if accesses_due else []
    try:
        with app.store.transaction() as tx:
            if accesses:
                tx.record_service_access(accesses)
            if events_due:
                trail.write(tx)
    except Exception:
        log.exception("could not write %d service last accessed notes and the noted CloudTrail events", len(accesses))


def note_event(app: App, call: Call, result: Mapping[str, Any] | None, error: ServiceError | None) -> None:
    """The call's CloudTrail event (``services/cloudtrail/events.py``), noted in memory: a
    management event of an authenticated call (data events, such as S3's object-level calls,
    are not in event history), allowed or refused."""
    if call.caller is None or not call.operation or not is_management_event(call.service, call.operation):
        return
    app.shared.trail.note(
        Recorded(
            time=call.now,
            service=call.service,
            operation=call.operation,
            region=call.recorded_region,
            source_ip=call.client_ip,
            user_agent=call.header("user-agent"),
            caller=call.caller,
            access_key_id=call.access_key_id,
            request_id=call.request_id,
            params=call.params,
            result=result,
            error_code=error.code if error is not None else None,
            error_message=error.message if error is not None else None,
            resource_arn=call.target_arn,
            resource_account=call.target_account,
        )
    )


# "When an access key is used more than once in a 15-minute span, only the first use is
# recorded" (access_key_1_last_used_date, "Get credential reports for your AWS account").
KEY_USE_INTERVAL = timedelta(minutes=15)


def record_key_use(app: App, call: Call, key: AccessKey) -> None:
    """GetAccessKeyLastUsed's data: when a long-term key signed a request, with which service
    and Region (AccessKeyLastUsed in the IAM API reference). As AWS records it, a use within
    15 minutes of the recorded one is not recorded unless the service or Region changed:
    repeated calls stay reads."""
    last = key.last_used
    if (
        last is not None
        and key.last_used_service == call.service
        and key.last_used_region == call.requested_region
        and call.now - last < KEY_USE_INTERVAL
    ):
        return
    with app.store.transaction() as tx:
        tx.record_access_key_used(key.access_key_id, call.now, call.service, call.requested_region)


def _token(call: Call) -> str | None:
    token = call.header("x-amz-security-token")
    if token is None:
        # A SigV4 presigned URL carries X-Amz-Security-Token; a SigV2 one, the header's
        # lower-case name (``auth/sigv2.py``).
        raw = _query_value(call.query, "X-Amz-Security-Token") or _query_value(call.query, "x-amz-security-token")
        token = unquote(raw) if raw is not None else None
    return token


# An object's bytes, as a browser would render them, come from the console's origin (one
# host and port serve both; AWS keeps S3 on its own domains): a stored HTML page must not run
# as the console. "sandbox" gives it an opaque origin with no scripts; a download is as before.
_CONTENT_HEADERS = (("content-security-policy", "sandbox"), ("x-content-type-options", "nosniff"))


def serialize(app: App, call: Call, result: dict[str, Any]) -> HttpResponse:
    if call.service == "s3":
        response = app.s3.serialize(call.operation, result, call.request_id, host_id(call.request_id))
        if call.operation == "GetObject":
            response.headers.extend(_CONTENT_HEADERS)
        elif call.operation == "ListObjectVersions" and isinstance(response.body, bytes):
            response.body = s3_versioning.interleaved(response.body, result.get(s3_versioning.ENTRY_KINDS) or [])
        elif call.operation == "HeadBucket":
            # Recorded from AWS (LocalStack's test_s3_api snapshot, head_bucket_filtered_header):
            # S3 types the empty answer as XML.
            response.headers.append(("Content-Type", "application/xml"))
        return response if call.posted is None else post_object.respond(call, call.posted, response)
    if call.service in app.json:
        body = app.json[call.service].serialize(call.operation, result)
        return HttpResponse(200, [("content-type", JSON_CONTENT_TYPE), ("x-amzn-requestid", call.request_id)], body)
    body = app.query[call.service].serialize(call.operation, result, call.request_id)
    return HttpResponse(200, [("content-type", "text/xml"), ("x-amzn-requestid", call.request_id)], body)


def serialize_error(app: App, call: Call, error: ServiceError) -> HttpResponse:
    if call.service == "s3":
        return app.s3.serialize_error(error, call.request_id, host_id(call.request_id), head=call.method == "HEAD")
    if call.service in app.json:
        status, body = app.json[call.service].serialize_error(json_error(call.service, error))
        return HttpResponse(status, [("content-type", JSON_CONTENT_TYPE), ("x-amzn-requestid", call.request_id)], body)
    protocol = app.query.get(call.service) or app.query["iam"]
    status, body = protocol.serialize_error(error, call.request_id)
    return HttpResponse(status, [("content-type", "text/xml"), ("x-amzn-requestid", call.request_id)], body)

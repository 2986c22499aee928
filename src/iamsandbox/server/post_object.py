"""S3's browser-based uploads (POST Object) on the request path.

A POST of a multipart/form-data body to a bucket is an upload from an HTML form ("Browser-
Based Uploads Using POST", S3 API Reference; boto3's ``generate_presigned_post``). Its
signature is checked here (``auth.post_policy``); the form then runs as the PutObject it
describes, with the form's fields as that request's headers, authorized as s3:PutObject
with ``s3:authType`` = ``POST`` ("Valid values: REST-HEADER, REST-QUERY-STRING, POST",
"Amazon S3 Signature Version 4 Authentication Specific Policy Keys"). Its answer follows
``success_action_redirect`` (303 to that URL with bucket, key and etag), else
``success_action_status`` (200 or 201 with a PostResponse document; 204 otherwise, the
default), as the POST Object reference describes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote, urlencode

from ..auth.post_policy import PostForm, check_policy, verify
from ..errors import InvalidArgument, PreconditionFailed
from ..protocol.form_data import boundary_of, form_parts
from ..protocol.http import HttpRequest, HttpResponse
from ..protocol.xml import escape_text
from ..protocol.xml_read import read_xml
from ..services.s3.objects import WORDS_KEPT
from .identity import ANONYMOUS, Credentials, Identity

if TYPE_CHECKING:
    from .app import App
    from .pipeline import Call

# Form fields that become the PutObject's headers under their own name; ``acl`` and
# ``tagging`` are renamed (``_headers``); the signature's own fields are not headers.
_HEADER_FIELDS = frozenset(
    {"cache-control", "content-type", "content-disposition", "content-encoding", "expires", "content-md5"}
)
# An HTTP header name (RFC 9110's token), lower-case as the form's names are read.
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9a-z-]+")
# A URL S3 can send as Location: http(s), printable ASCII without spaces.
_REDIRECT = re.compile(r"https?://[\x21-\x7e]+")
_SIGNATURE_FIELDS = frozenset(
    {"x-amz-algorithm", "x-amz-credential", "x-amz-date", "x-amz-signature", "x-amz-security-token"}
)  # and SigV2's AWSAccessKeyId and signature, which are not x-amz- names


@dataclass(frozen=True)
class Posted:
    """A POST Object request: its form, and how it named the bucket."""

    form: PostForm
    bucket: str
    virtual_host: bool
    key: str = ""


def posted_form(app: App, call: Call) -> Posted | None:
    """The form of a POST Object request, or None for any other request."""
    if call.service != "s3" or call.method != "POST" or call.query:
        return None
    host_bucket = app.s3.router.bucket_from_host(call.header("host") or "")
    if host_bucket is not None:
        if call.path != "/":
            return None
        bucket, virtual = host_bucket, True
    else:
        bucket, virtual = call.path.strip("/"), False
        if not bucket or "/" in bucket:
            return None
    boundary = boundary_of(call.header("content-type") or "")
    if boundary is None:
        # Recorded from S3 (benjreinhart/react-native-aws3#26, blueimp/jQuery-File-Upload#2586).
        raise PreconditionFailed(Condition="Bucket POST must be of the enclosure-type multipart/form-data")
    return Posted(PostForm.read(form_parts(call.body, boundary)), bucket, virtual)


def authenticate(app: App, call: Call, credentials: Credentials, posted: Posted) -> tuple[Identity, Posted, bool]:
    """Who signed the form (anonymous without a policy), the form with its key, and whether
    a key's signature verified; ``call`` becomes the PutObject the form describes."""
    form = posted.form
    signed = verify(form, credentials.secret, app.signing_keys)
    key = form.key()
    if signed is not None:
        check_policy(form, posted.bucket, key, call.now)
        # s3:signatureAge: "In Signature Version 2, this value is always set to 0".
        age = 0 if signed.request_time is None else int(call.now.timestamp() * 1000) - signed.request_time * 1000
        call.auth_keys = {
            "s3:signatureversion": signed.version,
            "s3:authType": "POST",
            "s3:signatureAge": str(max(0, age)),
        }
    assert form.file is not None  # INVARIANT: form.key() refuses a form without its file
    if signed is not None and signed.scope is not None:
        call.region = signed.scope.region  # the Region the form was signed for, as a header's scope
    request = HttpRequest("PUT", f"/{posted.bucket}/{quote(key, safe='/')}", "", _headers(form), form.file.data)
    parsed = app.s3.parse(request)
    if parsed.operation != "PutObject":  # a field that makes another request of it (a copy source)
        raise InvalidArgument(
            "POST Object does not take the fields of another operation", ArgumentName="x-amz-copy-source"
        )
    call.operation, call.params = parsed.operation, {**parsed.params, WORDS_KEPT: True}
    identity = credentials.identity(signed.access_key_id) if signed is not None else ANONYMOUS
    return identity, Posted(form, posted.bucket, posted.virtual_host, key), signed is not None


def _headers(form: PostForm) -> dict[str, str]:
    assert form.file is not None
    headers = {"content-length": str(len(form.file.data))}
    for name, value in form.fields.items():
        if name in _HEADER_FIELDS or (name.startswith("x-amz-") and name not in _SIGNATURE_FIELDS):
            if not _TOKEN.fullmatch(name) or name.startswith("x-amz-copy-source"):
                # A header's name is an HTTP token (RFC 9110); a copy source is CopyObject's.
                raise InvalidArgument(f"Invalid Argument: {name[:64]}", ArgumentName=name[:64])
            headers[name] = _header_value(name, form.expand(value))
        elif name == "acl":
            headers["x-amz-acl"] = _header_value(name, value)
        elif name == "tagging":
            headers["x-amz-tagging"] = _tag_query(value)
    return headers


def _header_value(name: str, value: str) -> str:
    """A field's value as the PutObject header it stands for would carry it: UTF-8 bytes,
    read as HTTP reads a header (Latin-1), as a PUT's x-amz-meta-* with UTF-8 text arrives.
    A control character no header can carry (a line break) is refused (the words are
    unconfirmed: S3 documents no answer for it)."""
    if any(ord(character) < 0x20 and character != "\t" or character == "\x7f" for character in value):
        raise InvalidArgument(f"Invalid Argument: {name}", ArgumentName=name)
    return value.encode("utf-8").decode("latin-1")


def _tag_query(document: str) -> str:
    """The form's ``tagging`` field, a Tagging XML document ("<Tagging><TagSet><Tag><Key>
    ...", POST Object), as PutObject's x-amz-tagging query string; bad XML is MalformedXML."""
    pairs = []
    for tag_set in read_xml(document.encode("utf-8")).children:
        for tag in tag_set.children:
            values = {child.tag: child.content() for child in tag.children}
            pairs.append((values.get("Key", ""), values.get("Value", "")))
    return urlencode(pairs)


def respond(call: Call, posted: Posted, put: HttpResponse) -> HttpResponse:
    """POST Object's answer, from the PutObject's (its ETag and other headers)."""
    fields = posted.form.fields
    etag = put.header("etag") or ""
    host = call.header("host") or "localhost"
    key_path = quote(posted.key, safe="/")
    location = f"http://{host}/{key_path}" if posted.virtual_host else f"http://{host}/{posted.bucket}/{key_path}"
    headers = [(name, value) for name, value in put.headers if name.lower() != "content-length"]
    redirect = fields.get("success_action_redirect") or fields.get("redirect")
    if redirect is not None and not _REDIRECT.fullmatch(redirect):
        # "If Amazon S3 cannot interpret the URL, it ignores the success_action_redirect
        # field" (HTTP POST forms, S3 User Guide): the status decides the answer then.
        redirect = None
    if redirect:
        query = urlencode({"bucket": posted.bucket, "key": posted.key, "etag": etag})
        return HttpResponse(303, [*headers, ("location", f"{redirect}{'&' if '?' in redirect else '?'}{query}")])
    headers.append(("location", location))
    status = fields.get("success_action_status")
    if status == "201":
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<PostResponse>'
            f"<Location>{escape_text(location)}</Location><Bucket>{escape_text(posted.bucket)}</Bucket>"
            f"<Key>{escape_text(posted.key)}</Key><ETag>{escape_text(etag)}</ETag></PostResponse>"
        ).encode()
        return HttpResponse(201, [*headers, ("content-type", "application/xml")], body)
    return HttpResponse(200 if status == "200" else 204, headers)

"""boto3 clients that talk to an in-process ``App`` (no port, no subprocess): botocore's
``before-send`` event hands each prepared request to ``server.pipeline.handle``, so a
request is signed (or not), routed, parsed, authenticated, authorized and served exactly as
the server does it."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from botocore import UNSIGNED
from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.config import Config

from iamsandbox.server.app import App
from iamsandbox.server.pipeline import Call, handle
from iamsandbox.store import open_store, sqlite_url
from shared_boto import shared_client

ENDPOINT = "http://localhost:4566"


class _Raw:
    def __init__(self, body: bytes) -> None:
        self.body = body

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self.body


def _send(app: App, request: AWSPreparedRequest, **_: Any) -> AWSResponse:
    split = urlsplit(request.url)
    body = request.body or b""
    if isinstance(body, str):
        body = body.encode()
    elif not isinstance(body, bytes):
        body = body.read()
    headers = [  # as an HTTP server reads them (Latin-1), as server/app.py does
        (name.lower(), value.decode("latin-1") if isinstance(value, bytes) else value)
        for name, value in request.headers.items()
    ]
    if not any(name == "host" for name, _ in headers):
        headers.append(("host", split.netloc))  # urllib3 adds it on the wire
    call = Call(request.method, split.path or "/", split.query, headers, body, "127.0.0.1")
    response = handle(app, call)
    payload = response.body if isinstance(response.body, bytes | bytearray) else b"".join(response.body)
    return AWSResponse(request.url, response.status, dict(response.headers), _Raw(bytes(payload)))


def open_app(tmp_path: Path, *accounts: str) -> App:
    key = secrets.token_bytes(32)
    store = open_store(sqlite_url(tmp_path / "store.db"), [key])
    with store.transaction() as tx:
        for account in accounts:
            tx.create_account(account, account)
    return App(store, [key])


def root_keys(app: App, account: str) -> dict[str, str]:
    with app.store.transaction() as tx:
        key = tx.create_access_key(account, None)
    return {"aws_access_key_id": key.access_key_id, "aws_secret_access_key": key.secret.reveal()}


def user_keys(app: App, account: str, name: str) -> dict[str, str]:
    with app.store.transaction() as tx:
        user = tx.get_user(account, name) or tx.create_user(account, name)
        key = tx.create_access_key(account, user.id)
    return {"aws_access_key_id": key.access_key_id, "aws_secret_access_key": key.secret.reveal()}


def client(
    app: App,
    service: str,
    keys: dict[str, str] | None = None,
    token: str | None = None,
    *,
    validate: bool = True,
    region: str = "us-east-1",
) -> Any:
    """A boto3 client of ``service`` signed with ``keys`` (unsigned without); ``validate``
    False lets through what botocore would refuse before sending (the server's checks)."""
    config = Config(parameter_validation=validate)
    if keys is None:
        config = config.merge(Config(signature_version=UNSIGNED))
    credentials: dict[str, Any] = dict(keys or {})
    if token is not None:
        credentials["aws_session_token"] = token
    made = shared_client(service, endpoint_url=ENDPOINT, config=config, region_name=region, **credentials)
    made.meta.events.register("before-send", lambda request, **kw: _send(app, request, **kw))
    return made


def s3_with_bucket(
    tmp_path: Path,
    *,
    validate: bool = True,
    versioned: bool = False,
    account: str = "111111111111",
    bucket: str = "bkt",
) -> Any:
    """The root user's S3 client of a new store holding one ``account`` and its ``bucket``
    (versioning Enabled when ``versioned``)."""
    app = open_app(tmp_path, account)
    s3 = client(app, "s3", root_keys(app, account), validate=validate)
    s3.create_bucket(Bucket=bucket)
    if versioned:
        s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    return s3

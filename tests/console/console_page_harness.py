"""Drive the console's pages without a browser or a port: ``Console.handle`` with requests
built here, a cookie jar, and a clock the test moves.

The store is a SQLite file with the reference workflow's accounts (as
``tests/e2e/e2e_harness._set_up``): account A's role trusting account B with
AmazonS3ReadOnlyAccess and a bucket with an object; account B's user alice with
sts:AssumeRole on that role and a console password.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import struct
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

import pytest

from iamsandbox.console.app import acting_as
from iamsandbox.console.session import COOKIE, ConsoleSession
from iamsandbox.console.web import Request, Response
from iamsandbox.server.app import App
from iamsandbox.store import Secret, hash_password, load_master_keys, open_store, sqlite_url

A, B = "111111111111", "222222222222"
ROLE = "my-s3-x-account-role"
ROLE_ARN = f"arn:aws:iam::{A}:role/{ROLE}"
PASSWORD = "Alice-Console-9"
ROOT_PASSWORD = "Root-Console-9!"
START = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def totp(seed_base32: str, when: datetime) -> str:
    """RFC 6238 (SHA-1, 30 s, 6 digits), written from the RFC for the tests, as an
    authenticator app computes it."""
    counter = int(when.timestamp()) // 30
    digest = hmac.new(base64.b32decode(seed_base32), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[19] & 0x0F
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 10**6:06d}"


def enable_mfa(app: App, user: str = "alice") -> str:
    """A virtual MFA device enabled for ``user`` of account B a day before START; its seed."""
    seed = base64.b32encode(b"0123456789abcdefghij").decode()
    with app.store.transaction() as tx:
        found = tx.get_user(B, user)
        assert found is not None
        device = tx.create_mfa_device(B, f"{user}-phone", Secret(seed))
        tx.enable_mfa_device(device.serial_number, found.id, START - timedelta(days=1))
    return seed


class Browser:
    """One browser: its session cookie (``cookie``), its other cookies (``jar``: the sign-in
    page's memory), and the time the test says it is."""

    def __init__(self, app: App, now: datetime = START) -> None:
        self.app = app
        self.now = now
        self.cookie = ""
        self.jar: dict[str, str] = {}

    def session(self) -> ConsoleSession:
        opened = self.app.console.sessions.open(self.cookie)
        assert opened is not None, "no console session cookie yet"
        return opened

    def form_fields(self) -> dict[str, str]:
        """The hidden fields of a form the console renders now: its CSRF token and who the
        console acts as."""
        if not self.cookie:
            return {"csrf_token": "", "acting_as": ""}
        session = self.session()
        return {"csrf_token": session.csrf, "acting_as": acting_as(session)}

    def get(self, path: str, **query: str) -> Response:
        return self._send("GET", path, query, b"", {})

    def post(self, path: str, csrf: bool = True, **form: str | list[str]) -> Response:
        """A url-encoded form; a list is a field sent once per value (check boxes)."""
        if csrf:
            form = {**self.form_fields(), **form}
        headers = {"content-type": "application/x-www-form-urlencoded"}
        return self._send("POST", path, {}, urlencode(form, doseq=True).encode(), headers)

    def upload(self, path: str, field: str, filename: str, data: bytes, **form: str | list[str]) -> Response:
        """A multipart/form-data POST with one file, as a browser sends a file input."""
        return self.upload_files(path, [(field, filename, data)], **form)

    def upload_files(self, path: str, files: list[tuple[str, str, bytes]], **form: str | list[str]) -> Response:
        """A multipart/form-data POST with files (field, file name, bytes; text/plain), as a
        browser sends file inputs with ``multiple`` or ``webkitdirectory`` (a folder's files
        named by their paths); a list is a field sent once per value (repeated rows)."""
        boundary = "----iamsandbox-test-boundary"
        form = {**self.form_fields(), **form}
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            for name, values in form.items()
            for value in ([values] if isinstance(values, str) else values)
        ]
        for field, filename, data in files:
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
                "Content-Type: text/plain\r\n\r\n".encode()
                + data
                + b"\r\n"
            )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self._send("POST", path, {}, body, {"content-type": f"multipart/form-data; boundary={boundary}"})

    def later(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)

    def _send(self, method: str, path: str, query: dict[str, str], body: bytes, headers: dict[str, str]) -> Response:
        sent = {**self.jar, COOKIE: self.cookie} if self.cookie else dict(self.jar)
        if sent:
            headers = {**headers, "cookie": "; ".join(f"{name}={value}" for name, value in sent.items())}
        response = self.app.console.handle(Request(method, path, query, headers, body, "127.0.0.1", self.now))
        for name, value in response.headers:
            if name == "set-cookie":
                cookie_name, _, cookie_value = value.split(";", 1)[0].partition("=")
                if cookie_name == COOKIE:
                    self.cookie = cookie_value
                else:
                    self.jar[cookie_name] = cookie_value
        return response

    def sign_in(self, account: str = B, user: str = "alice", password: str = PASSWORD) -> Response:
        if not self.cookie:
            self.get("/console/signin")
        return self.post("/console/signin", account=account, username=user, password=password)


def text(response: Response) -> str:
    return response.body.decode()


def location(response: Response) -> str:
    return dict(response.headers)["location"]


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    keys = load_master_keys(tmp_path)
    store = open_store(sqlite_url(tmp_path / "iamsandbox.db"), keys)
    trust = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{B}:root"}, "Action": "sts:AssumeRole"}],
    }
    allow = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]}
    with store.transaction() as tx:
        tx.create_account(A, "trusting")
        tx.create_account(B, "trusted")
        tx.set_root_password(B, hash_password(ROOT_PASSWORD))
        tx.set_account_alias(A, "trusting-a")
        role = tx.create_role(A, ROLE, json.dumps(trust))
        tx.attach_policy(role.id, "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")
        long_role = tx.create_role(A, "long-role", json.dumps(trust), max_session_duration=4 * 3600)
        tx.attach_policy(long_role.id, "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")
        tx.create_bucket("shared-bucket", A, "us-east-1")
        policy = tx.create_policy(B, "my-s3-x-account-policy", json.dumps(allow))
        alice = tx.create_user(B, "alice")
        tx.attach_policy(alice.id, policy.arn)
        tx.set_login_profile(alice.id, hash_password(PASSWORD), reset_required=False)
    try:
        yield App(store, keys)
    finally:
        store.close()

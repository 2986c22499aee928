"""Harness of the tests of AWS's "Example IAM identity-based policies" (IAM User Guide,
access_policies_examples) run against a real server with boto3: test_policy_examples_*_clients.py,
one module by the example's service ("AWS: ...", "IAM: ...", "Amazon S3: ...").

Every example of that page that concerns only AWS-global keys, IAM, STS or S3: the policy
JSON as the example's page gives it (its placeholders filled in; the page's title is each
case's first id part and is quoted in ``Example.title``), attached as a customer managed
policy to an IAM user of an account of its own, the resources it names created by the
account's root user, and the requests the page says are allowed, and some the page says
(or its policy plainly implies) are denied. A denied request must answer AccessDenied in
AWS's format ("Troubleshoot access denied error messages", IAM User Guide): "User: <ARN> is
not authorized to perform: <action> [on resource: ...] because no identity-based policy
allows the <action> action", or "... with an explicit deny in an identity-based policy".

Requests that need no permission (STS GetCallerIdentity, GetSessionToken) are checked under
the examples' Deny statements too: "No permissions are required to perform this operation"
(GetCallerIdentity, STS API Reference), "No permissions are required for a user to get a
session token ... You cannot use policies to control authentication operations" (Permissions
for GetSessionToken). MFA: a virtual MFA device with TOTP codes (RFC 6238), then
GetSessionToken with SerialNumber and TokenCode ("Configuring MFA-protected API access").

Left out: the examples for other services (EC2, DynamoDB, RDS, Lambda, Data Pipeline,
CodeCommit), the Cognito one, the Regions-enabling one (account service), the
Organizations last-accessed one, and the console-only ones.

A test module keeps its own cases: ``CASES: list[Case] = []``, ``case = case_adder(CASES)``,
the module-scoped ``worlds`` fixture (tests/e2e/conftest.py: one server per module), and
its test calls ``check(worlds, c)``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import struct
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from e2e_harness import Server, start

from shared_boto import shared_client

ALLOW = "allowed"
IMPLICIT = "implicit deny"  # no identity-based policy allows the action
EXPLICIT = "explicit deny"  # a Deny statement of an identity-based policy
BOUNDARY = "boundary implicit deny"  # no permissions boundary allows the action
BOUNDARY_EXPLICIT = "boundary explicit deny"

PASSWORD = "Example-Passw0rd-1!"
NEW_PASSWORD = "Example-Passw0rd-2!"
ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess"
NOW = datetime.now(UTC)


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _doc(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def _totp(seed_base32: bytes, counter: int) -> str:
    """RFC 6238 (TOTP: HMAC-SHA-1 over the 30-second step, 6 digits, RFC 4226's truncation)."""
    mac = hmac.new(base64.b32decode(seed_base32), struct.pack(">Q", counter), hashlib.sha1).digest()
    start_at = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[start_at : start_at + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


# --------------------------------------------------------------------------- the world


@dataclass
class Example:
    title: str  # the example page's title, as the IAM User Guide gives it
    page: str  # the page's file name
    policy: dict[str, Any]
    users: tuple[str, ...] = ("alice",)  # each gets the policy (customer managed)
    also: tuple[dict[str, Any], ...] = ()  # further customer managed policies the page says to combine it with
    setup: Callable[[World], None] | None = None


class World:
    """One account per example: its root, its users with the example's policy, and their
    sessions."""

    def __init__(self, server: Server, example: Example, account: str) -> None:
        self.server, self.example, self.account = server, example, account
        self.root = server.create_account(account)
        self.keys: dict[str, dict[str, str]] = {}
        self.sessions: dict[str, dict[str, str]] = {}
        self.devices: dict[str, tuple[str, bytes]] = {}  # serial and seed by user
        self.steps: dict[str, int] = {}  # the last TOTP step used by user
        iam = self.root_client("iam")
        arn = iam.create_policy(PolicyName="example-policy", PolicyDocument=json.dumps(example.policy))["Policy"]["Arn"]
        extra = [
            iam.create_policy(PolicyName=f"combined-{i}", PolicyDocument=json.dumps(doc))["Policy"]["Arn"]
            for i, doc in enumerate(example.also)
        ]
        for user in example.users:
            self.user(user, arn, *extra)
        iam.create_user(UserName="bob")  # a user of the account the examples do not name
        if example.setup is not None:
            example.setup(self)

    def root_client(self, service: str, region: str = "us-east-1") -> Any:
        return self.client(service, self.root, region=region)

    def client(self, service: str, keys: dict[str, str], token: str | None = None, region: str = "us-east-1") -> Any:
        return shared_client(
            service,
            endpoint_url=self.server.url,
            region_name=region,
            aws_access_key_id=keys["AccessKeyId"],
            aws_secret_access_key=keys["SecretAccessKey"],
            aws_session_token=token,
        )

    def user(self, name: str, *policy_arns: str, path: str = "/", boundary: str | None = None) -> None:
        iam = self.root_client("iam")
        extra: dict[str, Any] = {"PermissionsBoundary": boundary} if boundary else {}
        iam.create_user(UserName=name, Path=path, **extra)
        for arn in policy_arns:
            iam.attach_user_policy(UserName=name, PolicyArn=arn)
        key = iam.create_access_key(UserName=name)["AccessKey"]
        self.keys[name] = {"AccessKeyId": key["AccessKeyId"], "SecretAccessKey": key["SecretAccessKey"]}

    def arn(self, who: str) -> str:
        if who.startswith("role:"):
            return f"arn:aws:sts::{self.account}:assumed-role/{who[5:]}"
        return f"arn:aws:iam::{self.account}:user/{who.removesuffix('+mfa')}"

    def enable_mfa(self, user: str) -> tuple[str, bytes]:
        """The root gives ``user`` a virtual MFA device (once): its serial and seed."""
        if user not in self.devices:
            iam = self.root_client("iam")
            device = iam.create_virtual_mfa_device(VirtualMFADeviceName=f"{user}-device")["VirtualMFADevice"]
            step = int(time.time()) // 30
            seed = device["Base32StringSeed"]
            iam.enable_mfa_device(
                UserName=user,
                SerialNumber=device["SerialNumber"],
                AuthenticationCode1=_totp(seed, step - 1),
                AuthenticationCode2=_totp(seed, step),
            )
            self.devices[user] = (device["SerialNumber"], seed)
            self.steps[user] = step
        return self.devices[user]

    def next_code(self, user: str) -> str:
        """A code not used before: a device's code is accepted once."""
        step = max(self.steps[user] + 1, int(time.time()) // 30)
        self.steps[user] = step
        return _totp(self.devices[user][1], step)

    def mfa_session(self, user: str) -> dict[str, str]:
        """GetSessionToken with the user's MFA code (long-term keys, SerialNumber, TokenCode)."""
        if user not in self.sessions:
            serial, _seed = self.enable_mfa(user)
            sts = self.client("sts", self.keys[user])
            credentials = sts.get_session_token(SerialNumber=serial, TokenCode=self.next_code(user))["Credentials"]
            self.sessions[user] = credentials
        return self.sessions[user]

    def role_session(self, user: str, role: str, name: str) -> dict[str, str]:
        key = f"role:{role}/{name}"
        if key not in self.sessions:
            sts = self.client("sts", self.keys[user])
            role_arn = f"arn:aws:iam::{self.account}:role/{role}"
            self.sessions[key] = sts.assume_role(RoleArn=role_arn, RoleSessionName=name)["Credentials"]
        return self.sessions[key]


class Caller:
    """The clients of one principal of a world: ``alice`` (long-term keys), ``alice+mfa``
    (GetSessionToken with MFA), ``role:ROLE/SESSION`` (AssumeRole by alice)."""

    def __init__(self, world: World, who: str) -> None:
        self.w, self.who = world, who
        self.headers: dict[str, str] = {}

    def _credentials(self) -> tuple[dict[str, str], str | None]:
        if self.who.endswith("+mfa"):
            session = self.w.mfa_session(self.who.removesuffix("+mfa"))
            return session, session["SessionToken"]
        if self.who.startswith("role:"):
            role, name = self.who[5:].split("/")
            session = self.w.role_session("alice", role, name)
            return session, session["SessionToken"]
        return self.w.keys[self.who], None

    def client(self, service: str, region: str = "us-east-1") -> Any:
        keys, token = self._credentials()
        made = self.w.client(service, keys, token, region)
        if self.headers:

            def add(request: Any, **_kwargs: Any) -> None:
                for name, value in self.headers.items():
                    request.headers[name] = value

            made.meta.events.register(f"before-sign.{made.meta.service_model.endpoint_prefix}.*", add)
        return made

    def iam(self) -> Any:
        return self.client("iam")

    def s3(self, region: str = "us-east-1") -> Any:
        return self.client("s3", region)

    def sts(self, region: str = "us-east-1") -> Any:
        return self.client("sts", region)

    def via(self, address: str) -> Caller:
        """Requests that a local proxy forwards for ``address`` (X-Forwarded-For: README,
        Configuration; aws:SourceIp is then that address)."""
        self.headers["X-Forwarded-For"] = address
        return self


@dataclass(frozen=True)
class Case:
    example: Example
    who: str
    request: str
    call: Callable[[Caller], Any]
    expect: str
    action: str
    says: str  # the page's words (or the policy's statement) behind the expectation
    ok_errors: frozenset[str] = field(default_factory=frozenset)  # authorized, then failed for another reason


def case_adder(cases: list[Case]) -> Callable[..., None]:
    """The ``case(...)`` of a test module: each call appends one Case to that module's ``cases``."""

    def case(
        example: Example,
        who: str,
        request: str,
        call: Callable[[Caller], Any],
        expect: str,
        action: str,
        says: str,
        ok_errors: tuple[str, ...] = (),
    ) -> None:
        cases.append(Case(example, who, request, call, expect, action, says, frozenset(ok_errors)))

    return case


def _root_iam(c: Caller) -> Any:
    return c.w.root_client("iam")


def _password_policy(w: World) -> None:
    w.root_client("iam").update_account_password_policy(MinimumPasswordLength=12)


def _login_profile(user: str) -> Callable[[World], None]:
    def set_up(w: World) -> None:
        _password_policy(w)
        w.root_client("iam").create_login_profile(UserName=user, Password=PASSWORD)

    return set_up


def _self_mfa(c: Caller, device_name: str) -> Any:
    """The caller creates a virtual MFA device named ``device_name`` and enables it on itself."""
    iam = c.iam()
    device = iam.create_virtual_mfa_device(VirtualMFADeviceName=device_name)["VirtualMFADevice"]
    step = int(time.time()) // 30
    seed = device["Base32StringSeed"]
    return iam.enable_mfa_device(
        UserName=c.who,
        SerialNumber=device["SerialNumber"],
        AuthenticationCode1=_totp(seed, step - 1),
        AuthenticationCode2=_totp(seed, step),
    )


def _get_session_token(c: Caller) -> Any:
    """GetSessionToken with the caller's long-term keys and an MFA code (the session kept)."""
    return c.w.mfa_session(c.who)


# --------------------------------------------------------------------------- the test


class Worlds:
    def __init__(self, server: Server) -> None:
        self.server = server
        self.made: dict[str, World] = {}

    def of(self, example: Example) -> World:
        if example.page not in self.made:
            account = f"3000000000{len(self.made):02d}"
            self.made[example.page] = World(self.server, example, account)
        return self.made[example.page]


@pytest.fixture(scope="module")
def worlds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Worlds]:
    """One server for each test module that imports this fixture (each example has an
    account of its own on it)."""
    process, running = start(Path(tmp_path_factory.mktemp("examples")))
    try:
        yield Worlds(running)
    finally:
        process.terminate()
        process.wait(timeout=10)
        print(running.log.read_text())  # shown by pytest when a test failed


def case_id(c: Case) -> str:
    return f"{c.example.title} / {c.example.page} / {c.who}: {c.request}"


def check(worlds: Worlds, c: Case) -> None:
    """A case's request by its caller, and the answer the page says (AccessDenied's message in AWS's format)."""
    world = worlds.of(c.example)
    caller = Caller(world, c.who)
    try:
        c.call(caller)
        outcome: dict[str, Any] | None = None
    except ClientError as raised:
        outcome = raised.response["Error"]
    if c.expect == ALLOW:
        if outcome is not None and outcome.get("Code") in c.ok_errors:
            return
        assert outcome is None, f"{c.example.title}: the page says {c.says!r}; the server answered {outcome}"
        return
    assert outcome is not None, f"{c.example.title}: allowed, where the page says {c.says!r}"
    assert outcome.get("Code") == "AccessDenied", outcome
    message = str(outcome.get("Message"))
    prefix = f"User: {world.arn(c.who)} is not authorized to perform: {c.action}"
    assert message.startswith(prefix), (message, prefix)
    if c.expect == IMPLICIT:
        assert message.endswith(f"because no identity-based policy allows the {c.action} action"), message
    elif c.expect == EXPLICIT:
        assert "with an explicit deny in an identity-based policy" in message, message
    elif c.expect == BOUNDARY:
        assert message.endswith(f"because no permissions boundary allows the {c.action} action"), message
    else:
        assert "with an explicit deny in a permissions boundary" in message, message

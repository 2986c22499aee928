"""AssumeRoleWithWebIdentity through the whole request path (boto3 in process, unsigned),
with ID tokens signed by a local OIDC issuer (RSA and EC keys from ``cryptography``).

AWS pages: "AssumeRoleWithWebIdentity" (STS API reference: unsigned, "does not require the
use of AWS security credentials"; WebIdentityToken signed with RS256/384/512 or
ES256/384/512; SubjectFromWebIdentityToken, Audience, Provider in the answer),
"OIDC federation" (IAM User Guide: "a five-minute window beyond the expiration time
specified in the JWT to account for clock skew"), "Available keys for AWS OIDC federation"
(PROVIDER:aud, PROVIDER:sub; azp taken as aud when present), "AWS global condition context
keys". Error messages are AWS's as quoted in public reports (services/sts/oidc_token.py);
those marked unconfirmed there are asserted by code only.
"""

from __future__ import annotations

import base64
import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from cryptography.hazmat.primitives.asymmetric import rsa
from inprocess_harness import client, open_app, root_keys

from iamsandbox.server.app import App
from iamsandbox.server.pipeline import Call, handle
from iamsandbox.services.sts.oidc_token import JWKS_MIN_REFRESH
from oidc_issuer import Issuer, serving

A = "111111111111"


@pytest.fixture
def issuer() -> Iterator[Issuer]:
    with serving() as running:
        yield running


ROLE = "deploy"


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    made = open_app(tmp_path, A)
    yield made
    made.store.close()


class World:
    def __init__(self, app: App, issuer: Issuer) -> None:
        self.app = app
        self.issuer = issuer
        self.iam = client(app, "iam", root_keys(app, A))
        self.sts = client(app, "sts")  # unsigned
        self.provider = self.iam.create_open_id_connect_provider(
            Url=issuer.url, ClientIDList=["sts.amazonaws.com", "app-client"]
        )["OpenIDConnectProviderArn"]

    def role(self, condition: dict[str, Any] | None = None, name: str = ROLE, principal: Any = None) -> str:
        statement: dict[str, Any] = {
            "Effect": "Allow",
            "Principal": principal or {"Federated": self.provider},
            "Action": "sts:AssumeRoleWithWebIdentity",
        }
        if condition:
            statement["Condition"] = condition
        trust = json.dumps({"Version": "2012-10-17", "Statement": [statement]})
        arn: str = self.iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust)["Role"]["Arn"]
        self.iam.attach_role_policy(RoleName=name, PolicyArn="arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")
        return arn

    def assume(self, role_arn: str, token: str, **params: Any) -> dict[str, Any]:
        out: dict[str, Any] = self.sts.assume_role_with_web_identity(
            RoleArn=role_arn, RoleSessionName="ci", WebIdentityToken=token, **params
        )
        return out

    def refused(self, role_arn: str, token: str, **params: Any) -> tuple[str, str]:
        with pytest.raises(ClientError) as raised:
            self.assume(role_arn, token, **params)
        error = raised.value.response["Error"]
        return error["Code"], error.get("Message", "")


@pytest.fixture
def world(app: App, issuer: Issuer) -> World:
    return World(app, issuer)


@pytest.mark.parametrize("kid", ["rsa-1", "ec-1"])
def test_valid_token_gives_a_role_session(world: World, kid: str) -> None:
    role_arn = world.role()
    out = world.assume(role_arn, world.issuer.token(kid))
    assert out["AssumedRoleUser"]["Arn"] == f"arn:aws:sts::{A}:assumed-role/{ROLE}/ci"
    assert out["AssumedRoleUser"]["AssumedRoleId"].endswith(":ci")
    assert out["Credentials"]["AccessKeyId"].startswith("ASIA")
    # "SubjectFromWebIdentityToken: The unique user identifier that is returned by the
    # identity provider" (the sub claim); "Audience: The intended audience".
    assert out["SubjectFromWebIdentityToken"] == "repo:octo/app:ref:main"
    assert out["Audience"] == "sts.amazonaws.com"
    # Provider: the reference says the iss value; AWS answers the provider's ARN in
    # practice (unconfirmed, see services/sts/web_identity.py).
    assert out["Provider"] == world.provider
    creds = out["Credentials"]
    keys = {"aws_access_key_id": creds["AccessKeyId"], "aws_secret_access_key": creds["SecretAccessKey"]}
    sts = client(world.app, "sts", keys, token=creds["SessionToken"])
    assert sts.get_caller_identity()["Arn"] == f"arn:aws:sts::{A}:assumed-role/{ROLE}/ci"


def test_wrong_signature(world: World) -> None:
    role_arn = world.role()
    impostor = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    code, _message = world.refused(role_arn, world.issuer.token("rsa-1", signer=impostor))
    assert code == "InvalidIdentityToken"  # the message's wording is unconfirmed


def test_unknown_kid_refetches_the_keys(world: World) -> None:
    now = [1000.0]
    world.app.shared.jwks.clock = lambda: now[0]
    role_arn = world.role()
    world.assume(role_arn, world.issuer.token("rsa-1"))
    fetched = world.issuer.fetches
    world.assume(role_arn, world.issuer.token("rsa-1"))
    assert world.issuer.fetches == fetched  # cached
    # The issuer rotates: a new key, published; a token naming it makes STS fetch again.
    world.issuer.keys["rsa-2"] = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    world.issuer.published = ["rsa-2"]
    now[0] += JWKS_MIN_REFRESH
    world.assume(role_arn, world.issuer.token("rsa-2"))
    assert world.issuer.fetches == fetched + 1
    # A kid the issuer does not publish even after a refetch: AWS's words.
    world.issuer.keys["rsa-3"] = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now[0] += JWKS_MIN_REFRESH
    assert world.refused(role_arn, world.issuer.token("rsa-3")) == (
        "InvalidIdentityToken",
        "Couldn't retrieve verification key from your identity provider,  please reference"
        " AssumeRoleWithWebIdentity documentation for requirements",
    )


def test_made_up_kids_do_not_make_every_request_fetch(world: World) -> None:
    """An unknown kid refetches the issuer's keys at most once per JWKS_MIN_REFRESH
    seconds: tokens naming made-up kids (anyone can send them, unsigned) must not turn the
    server into a client hammering the issuer."""
    now = [1000.0]
    world.app.shared.jwks.clock = lambda: now[0]
    role_arn = world.role()
    world.assume(role_arn, world.issuer.token("rsa-1"))
    world.issuer.keys["made-up"] = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    fetched = world.issuer.fetches
    for _ in range(5):
        assert world.refused(role_arn, world.issuer.token("made-up"))[0] == "InvalidIdentityToken"
    assert world.issuer.fetches == fetched  # the set fetched a moment ago answers
    now[0] += JWKS_MIN_REFRESH
    world.refused(role_arn, world.issuer.token("made-up"))
    assert world.issuer.fetches == fetched + 1


def test_expiry_allows_five_minutes_of_clock_skew(world: World) -> None:
    # "IAM provides a five-minute window beyond the expiration time specified in the JWT to
    # account for clock skew" ("OIDC federation").
    role_arn = world.role()
    now = int(time.time())
    world.assume(role_arn, world.issuer.token(exp=now - 120, iat=now - 600))
    code, message = world.refused(role_arn, world.issuer.token(exp=now - 600, iat=now - 900))
    assert code == "ExpiredTokenException"
    assert message.startswith("Token expired: current date/time ")
    assert message.endswith(f"must be before the expiration date/time {now - 600}")


def test_audience(world: World) -> None:
    role_arn = world.role()
    # An aud not among the provider's client IDs: "Incorrect token audience".
    assert world.refused(role_arn, world.issuer.token(aud="sigstore")) == (
        "InvalidIdentityToken",
        "Incorrect token audience",
    )
    assert world.refused(role_arn, world.issuer.token(aud=None)) == (
        "InvalidIdentityToken",
        "Missing a required claim: aud",
    )
    # azp, when present, is the audience ("Available keys for AWS OIDC federation": aud
    # "Contains the azp claim if present ... otherwise the aud claim").
    out = world.assume(role_arn, world.issuer.token(aud="some-api", azp="app-client"))
    assert out["Audience"] == "app-client"


def test_issuer_without_a_provider(world: World) -> None:
    role_arn = world.role()
    world.iam.delete_open_id_connect_provider(OpenIDConnectProviderArn=world.provider)
    assert world.refused(role_arn, world.issuer.token()) == (
        "InvalidIdentityToken",
        f"No OpenIDConnect provider found in your account for {world.issuer.url}",
    )


def test_unreachable_issuer(world: World) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    world.iam.create_open_id_connect_provider(Url=url, ClientIDList=["sts.amazonaws.com"])
    role_arn = world.role(principal={"Federated": f"arn:aws:iam::{A}:oidc-provider/127.0.0.1:{port}"})
    code, _message = world.refused(role_arn, world.issuer.token(iss=url))
    assert code == "IDPCommunicationError"  # AssumeRoleWithWebIdentity's errors; wording unconfirmed


def test_trust_policy_conditions(world: World) -> None:
    # "Configuring a role for GitHub OIDC identity provider": aud with StringEquals, sub
    # with StringLike.
    host = world.issuer.host
    role_arn = world.role(
        {
            "StringEquals": {f"{host}:aud": "sts.amazonaws.com"},
            "StringLike": {f"{host}:sub": "repo:octo/app:*"},
        }
    )
    world.assume(role_arn, world.issuer.token(sub="repo:octo/app:ref:refs/heads/main"))
    denied = ("AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity")
    assert world.refused(role_arn, world.issuer.token(sub="repo:octo/other:ref:refs/heads/main")) == denied
    assert world.refused(role_arn, world.issuer.token(aud="app-client")) == denied


def test_no_iam_principal_keys_for_a_web_identity_caller(world: World) -> None:
    # aws:PrincipalArn and aws:PrincipalAccount: "included in the request context for all
    # signed requests" ("AWS global condition context keys"); AssumeRoleWithWebIdentity is
    # unsigned and its caller no IAM principal. aws:FederatedProvider names the provider.
    role_arn = world.role(
        {
            "Null": {"aws:PrincipalArn": "true", "aws:PrincipalAccount": "true"},
            "StringEquals": {"aws:FederatedProvider": world.provider},
        }
    )
    world.assume(role_arn, world.issuer.token())


def test_duration_and_session_policy(world: World) -> None:
    role_arn = world.role()
    # "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."
    assert world.refused(role_arn, world.issuer.token(), DurationSeconds=7200) == (
        "ValidationError",
        "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
    )
    # A session policy caps the role's permissions ("Session policies").
    only_get = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
    out = world.assume(role_arn, world.issuer.token(), Policy=json.dumps(only_get))
    assert isinstance(out["PackedPolicySize"], int)
    creds = out["Credentials"]
    keys = {"aws_access_key_id": creds["AccessKeyId"], "aws_secret_access_key": creds["SecretAccessKey"]}
    s3 = client(world.app, "s3", keys, token=creds["SessionToken"])
    with pytest.raises(ClientError) as denied:
        s3.list_buckets()  # the role allows it, the session policy does not
    assert denied.value.response["Error"]["Code"] == "AccessDenied"


@pytest.mark.parametrize(
    "body",
    [
        # The raw query names AssumeRoleWithWebIdentity; the decoded first Action is AssumeRole.
        "%41ction=AssumeRole&Action=AssumeRoleWithWebIdentity&Version=2011-06-15"
        f"&RoleArn=arn%3Aaws%3Aiam%3A%3A{A}%3Arole%2Fopen&RoleSessionName=s1",
        "%41ction=GetCallerIdentity&Action=AssumeRoleWithWebIdentity&Version=2011-06-15",
    ],
)
def test_only_assume_role_with_web_identity_runs_unsigned(app: App, body: str) -> None:
    # Every other STS operation needs a signature: "MissingAuthenticationToken ... The request
    # must contain either a valid (registered) AWS access key ID or X.509 certificate" (STS
    # API reference, Common Errors, 403). A role trusting everyone must not hand out
    # credentials to an unsigned request that only looked like AssumeRoleWithWebIdentity.
    everyone = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}],
    }
    client(app, "iam", root_keys(app, A)).create_role(RoleName="open", AssumeRolePolicyDocument=json.dumps(everyone))
    headers = [("host", "localhost:4566"), ("content-type", "application/x-www-form-urlencoded")]
    response = handle(app, Call("POST", "/", "", headers, body.encode(), "127.0.0.1"))
    assert response.status == 403
    assert b"<Code>MissingAuthenticationToken</Code>" in bytes(response.body)  # type: ignore[arg-type]
    assert b"SecretAccessKey" not in bytes(response.body)  # type: ignore[arg-type]


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@pytest.mark.parametrize(
    "token",
    [
        # A header nested past Python's recursion limit, an issuer that is no URL: AWS's
        # InvalidIdentityToken (400), never an internal error.
        f"{_b64url(b'[' * 5000)}.{_b64url(b'{}')}.c2ln",
        f"{_b64url(b'{}')}.{_b64url(json.dumps({'iss': 'https://[abc/x', 'aud': 'a'}).encode())}.c2ln",
    ],
)
def test_tokens_that_are_no_jwt_are_invalid_identity_tokens(world: World, token: str) -> None:
    code, _message = world.refused(world.role(), token)
    assert code == "InvalidIdentityToken"


def test_a_non_finite_expiry_is_refused(world: World) -> None:
    # json.dumps writes 1e400 as Infinity, which a JSON reader may accept: still no 500.
    code, _message = world.refused(world.role(), world.issuer.token(exp=float("inf")))
    assert code == "InvalidIdentityToken"

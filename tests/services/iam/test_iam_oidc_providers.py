"""IAM OpenID Connect identity providers, the ten operations through the whole request
path (boto3 in process: SigV4, parsing against botocore's model, authorization, handler).

AWS pages: "Create an OpenID Connect (OIDC) identity provider in IAM" (IAM User Guide: the
URL "must begin with https://", the provider's ARN
arn:aws:iam::ACCOUNT:oidc-provider/HOST/PATH), the API reference pages
CreateOpenIDConnectProvider, GetOpenIDConnectProvider, ListOpenIDConnectProviders,
DeleteOpenIDConnectProvider, AddClientIDToOpenIDConnectProvider,
RemoveClientIDFromOpenIDConnectProvider, UpdateOpenIDConnectProviderThumbprint,
TagOpenIDConnectProvider, UntagOpenIDConnectProvider, ListOpenIDConnectProviderTags, and
"IAM and AWS STS quotas" (100 providers per account, 100 client IDs per provider, 5
thumbprints per provider).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError, ParamValidationError
from inprocess_harness import client, open_app, root_keys, user_keys

from iamsandbox.server.app import App

A = "111111111111"
URL = "https://token.example.com/tenant-1"
THUMB = "a" * 40


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    made = open_app(tmp_path, A)
    yield made
    made.store.close()


@pytest.fixture
def iam(app: App) -> Any:
    return client(app, "iam", root_keys(app, A))


def _error(raised: pytest.ExceptionInfo[ClientError]) -> tuple[str, str, int]:
    response = raised.value.response
    return (
        response["Error"]["Code"],
        response["Error"].get("Message", ""),
        response["ResponseMetadata"]["HTTPStatusCode"],
    )


def test_create_get_list_delete(iam: Any) -> None:
    out = iam.create_open_id_connect_provider(Url=URL, ClientIDList=["sts.amazonaws.com"], ThumbprintList=[THUMB])
    # "arn:aws:iam::123456789012:oidc-provider/server.example.com" (the URL without https://).
    arn = out["OpenIDConnectProviderArn"]
    assert arn == f"arn:aws:iam::{A}:oidc-provider/token.example.com/tenant-1"
    got = iam.get_open_id_connect_provider(OpenIDConnectProviderArn=arn)
    # GetOpenIDConnectProvider: Url is "The URL that the IAM OIDC provider resource object is
    # associated with" (answered without its scheme).
    assert got["Url"] == "token.example.com/tenant-1"
    assert got["ClientIDList"] == ["sts.amazonaws.com"] and got["ThumbprintList"] == [THUMB]
    # "Tags": [] without tags, as recorded from AWS (LocalStack's tests/aws/services/iam/
    # test_iam_oidc.snapshot.json, get-response, February 2026).
    assert "CreateDate" in got and got["Tags"] == []
    assert iam.list_open_id_connect_providers()["OpenIDConnectProviderList"] == [{"Arn": arn}]
    iam.delete_open_id_connect_provider(OpenIDConnectProviderArn=arn)
    assert iam.list_open_id_connect_providers()["OpenIDConnectProviderList"] == []
    # Recorded from AWS in February 2026 (LocalStack's test_iam_oidc snapshot,
    # test_delete_open_id_connect_provider: get-not-found-error, deletion-not-found-error):
    # a second delete is NoSuchEntity, though the API reference calls the operation idempotent.
    with pytest.raises(ClientError) as missing:
        iam.get_open_id_connect_provider(OpenIDConnectProviderArn=arn)
    assert _error(missing) == ("NoSuchEntity", f"OpenIDConnect Provider not found for arn {arn}", 404)
    with pytest.raises(ClientError) as again:
        iam.delete_open_id_connect_provider(OpenIDConnectProviderArn=arn)
    assert _error(again) == ("NoSuchEntity", f"OpenId connect Provider {arn} cannot be found.", 404)


def test_thumbprint_list_is_optional(iam: Any) -> None:
    # CreateOpenIDConnectProvider: ThumbprintList "Required: No" (IAM retrieves the top
    # intermediate CA's thumbprint itself for most issuers).
    arn = iam.create_open_id_connect_provider(Url=URL)["OpenIDConnectProviderArn"]
    got = iam.get_open_id_connect_provider(OpenIDConnectProviderArn=arn)
    assert got["ClientIDList"] == [] and got["ThumbprintList"] == []


def test_one_provider_per_url(iam: Any) -> None:
    iam.create_open_id_connect_provider(Url=URL, ClientIDList=["a"])
    with pytest.raises(ClientError) as again:
        iam.create_open_id_connect_provider(Url=URL, ClientIDList=["b"])
    # AWS's words as quoted in public reports (see services/iam/oidc_providers.py).
    assert _error(again) == ("EntityAlreadyExists", f"Provider with url {URL} already exists.", 409)


@pytest.mark.parametrize(
    "url",
    [
        "http://token.example.com",  # "The URL must begin with https://"
        "ftp://token.example.com",
        "token.example.com",
        "https://token.example.com?x=1",  # no query ("Create an OpenID Connect (OIDC) identity provider")
        "https://token.example.com#f",
        "https://token.example.com:8443",  # a port only for the sandbox's loopback issuers
        "http://10.0.0.1:8080",
    ],
)
def test_url_must_be_https(iam: Any, url: str) -> None:
    with pytest.raises(ClientError) as refused:
        iam.create_open_id_connect_provider(Url=url, ClientIDList=["a"])
    # Recorded from AWS for Url="example.org" (LocalStack's tests/aws/services/iam/
    # test_iam_oidc.snapshot.json, invalid-url, February 2026).
    assert _error(refused) == ("ValidationError", "Invalid Open ID Connect Provider URL", 400)


def test_loopback_http_issuers_are_the_sandbox_exception(iam: Any) -> None:
    # Not AWS: a local issuer on 127.0.0.1 (or localhost, ::1) over http, with a port.
    for url in ("http://127.0.0.1:8080", "http://localhost:9000/x"):
        arn = iam.create_open_id_connect_provider(Url=url)["OpenIDConnectProviderArn"]
        assert arn == f"arn:aws:iam::{A}:oidc-provider/{url.split('://', 1)[1]}"


def test_model_validation(app: App, iam: Any) -> None:
    # The model's constraints: Url 1 to 255 characters; thumbprints exactly 40 characters.
    # botocore validates client-side; the server answers ValidationError for the same.
    with pytest.raises(ParamValidationError):
        iam.create_open_id_connect_provider(Url="")
    unchecked = client(app, "iam", root_keys(app, A), validate=False)
    with pytest.raises(ClientError) as short:
        unchecked.create_open_id_connect_provider(Url=URL, ThumbprintList=["abc"])
    code, message, status = _error(short)
    assert (code, status) == ("ValidationError", 400)
    assert "thumbprintList" in message or "ThumbprintList" in message


def test_quotas(iam: Any) -> None:
    # "IAM and AWS STS quotas": client IDs per provider 100; thumbprints per provider 5.
    with pytest.raises(ClientError) as ids:
        iam.create_open_id_connect_provider(Url=URL, ClientIDList=[f"c{i}" for i in range(101)])
    assert _error(ids)[0] == "LimitExceeded"
    with pytest.raises(ClientError) as prints:
        iam.create_open_id_connect_provider(Url=URL, ThumbprintList=[f"{i:040d}" for i in range(6)])
    # Recorded from AWS (the same snapshot file, too-many-thumbprints): InvalidInput, and "fewer
    # than 5" although five are taken.
    too_many = ("InvalidInput", "Thumbprint list must contain fewer than 5 entries.", 400)
    assert _error(prints) == too_many
    arn = iam.create_open_id_connect_provider(Url=URL, ClientIDList=[f"c{i}" for i in range(100)])[
        "OpenIDConnectProviderArn"
    ]
    with pytest.raises(ClientError) as add:
        iam.add_client_id_to_open_id_connect_provider(OpenIDConnectProviderArn=arn, ClientID="one-more")
    assert _error(add)[0] == "LimitExceeded"
    with pytest.raises(ClientError) as update:
        iam.update_open_id_connect_provider_thumbprint(
            OpenIDConnectProviderArn=arn, ThumbprintList=[f"{i:040d}" for i in range(6)]
        )
    assert _error(update) == too_many


def test_providers_per_account_quota(iam: Any) -> None:
    # "IAM and AWS STS quotas": OIDC providers per account, 100.
    for i in range(100):
        iam.create_open_id_connect_provider(Url=f"https://issuer-{i}.example.com")
    with pytest.raises(ClientError) as over:
        iam.create_open_id_connect_provider(Url="https://issuer-100.example.com")
    assert _error(over)[0] == "LimitExceeded"


def test_client_ids_and_thumbprints(iam: Any) -> None:
    arn = iam.create_open_id_connect_provider(Url=URL, ClientIDList=["a"], ThumbprintList=[THUMB])[
        "OpenIDConnectProviderArn"
    ]
    iam.add_client_id_to_open_id_connect_provider(OpenIDConnectProviderArn=arn, ClientID="b")
    # AddClientIDToOpenIDConnectProvider: "If the client ID already exists ... the action
    # does not fail or return an error" (idempotent).
    iam.add_client_id_to_open_id_connect_provider(OpenIDConnectProviderArn=arn, ClientID="b")
    assert iam.get_open_id_connect_provider(OpenIDConnectProviderArn=arn)["ClientIDList"] == ["a", "b"]
    iam.remove_client_id_from_open_id_connect_provider(OpenIDConnectProviderArn=arn, ClientID="a")
    # RemoveClientIDFromOpenIDConnectProvider: "This operation is idempotent; it does not
    # fail or return an error if you try to remove a client ID that does not exist."
    iam.remove_client_id_from_open_id_connect_provider(OpenIDConnectProviderArn=arn, ClientID="a")
    assert iam.get_open_id_connect_provider(OpenIDConnectProviderArn=arn)["ClientIDList"] == ["b"]
    # UpdateOpenIDConnectProviderThumbprint: "replaces the existing list of server
    # certificate thumbprints ... with a new list".
    other = "b" * 40
    iam.update_open_id_connect_provider_thumbprint(OpenIDConnectProviderArn=arn, ThumbprintList=[other])
    assert iam.get_open_id_connect_provider(OpenIDConnectProviderArn=arn)["ThumbprintList"] == [other]
    missing = f"arn:aws:iam::{A}:oidc-provider/nobody.example.com"
    for call in (
        lambda: iam.add_client_id_to_open_id_connect_provider(OpenIDConnectProviderArn=missing, ClientID="x"),
        lambda: iam.remove_client_id_from_open_id_connect_provider(OpenIDConnectProviderArn=missing, ClientID="x"),
        lambda: iam.update_open_id_connect_provider_thumbprint(OpenIDConnectProviderArn=missing, ThumbprintList=[]),
    ):
        with pytest.raises(ClientError) as raised:
            call()
        assert _error(raised)[0] == "NoSuchEntity"  # each page lists NoSuchEntity


def test_tags(iam: Any) -> None:
    out = iam.create_open_id_connect_provider(Url=URL, Tags=[{"Key": "team", "Value": "ci"}])
    arn = out["OpenIDConnectProviderArn"]
    assert out["Tags"] == [{"Key": "team", "Value": "ci"}]  # CreateOpenIDConnectProvider returns Tags
    assert iam.get_open_id_connect_provider(OpenIDConnectProviderArn=arn)["Tags"] == [{"Key": "team", "Value": "ci"}]
    # TagOpenIDConnectProvider: "If any one of the tags is already associated with the
    # resource, the new value overrides the old one".
    iam.tag_open_id_connect_provider(
        OpenIDConnectProviderArn=arn, Tags=[{"Key": "team", "Value": "ops"}, {"Key": "env", "Value": "dev"}]
    )
    tags = iam.list_open_id_connect_provider_tags(OpenIDConnectProviderArn=arn)["Tags"]
    assert sorted((t["Key"], t["Value"]) for t in tags) == [("env", "dev"), ("team", "ops")]
    iam.untag_open_id_connect_provider(OpenIDConnectProviderArn=arn, TagKeys=["team"])
    assert iam.list_open_id_connect_provider_tags(OpenIDConnectProviderArn=arn)["Tags"] == [
        {"Key": "env", "Value": "dev"}
    ]
    with pytest.raises(ClientError) as missing:
        iam.list_open_id_connect_provider_tags(OpenIDConnectProviderArn=f"arn:aws:iam::{A}:oidc-provider/x.example")
    assert _error(missing)[0] == "NoSuchEntity"


def test_authorization(app: App, iam: Any) -> None:
    alice = client(app, "iam", user_keys(app, A, "alice"))
    host = "token.example.com/tenant-1"
    with pytest.raises(ClientError) as denied:
        alice.create_open_id_connect_provider(Url=URL, ClientIDList=["a"])
    # AWS's AccessDenied format ("Access denied error message examples", IAM User Guide);
    # the resource is the provider's ARN built from the Url (Service Authorization
    # Reference: CreateOpenIDConnectProvider, resource type oidc-provider).
    assert _error(denied) == (
        "AccessDenied",
        f"User: arn:aws:iam::{A}:user/alice is not authorized to perform: iam:CreateOpenIDConnectProvider"
        f" on resource: arn:aws:iam::{A}:oidc-provider/{host} because no identity-based policy allows the"
        " iam:CreateOpenIDConnectProvider action",
        403,
    )
    allow = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": ["iam:CreateOpenIDConnectProvider", "iam:GetOpenIDConnectProvider"],
                "Resource": f"arn:aws:iam::{A}:oidc-provider/token.example.com/*",
            }
        ],
    }
    iam.put_user_policy(UserName="alice", PolicyName="oidc", PolicyDocument=json.dumps(allow))
    arn = alice.create_open_id_connect_provider(Url=URL, ClientIDList=["a"])["OpenIDConnectProviderArn"]
    alice.get_open_id_connect_provider(OpenIDConnectProviderArn=arn)
    with pytest.raises(ClientError) as delete:
        alice.delete_open_id_connect_provider(OpenIDConnectProviderArn=arn)
    assert _error(delete)[0] == "AccessDenied"
    with pytest.raises(ClientError) as listing:
        alice.list_open_id_connect_providers()
    assert (
        _error(listing)[1].endswith(
            "iam:ListOpenIDConnectProviders on resource: * because no identity-based policy allows the"
            " iam:ListOpenIDConnectProviders action"
        )
        or "ListOpenIDConnectProviders" in _error(listing)[1]
    )

"""IAM OpenID Connect identity providers: CreateOpenIDConnectProvider,
GetOpenIDConnectProvider, ListOpenIDConnectProviders, DeleteOpenIDConnectProvider,
AddClientIDToOpenIDConnectProvider, RemoveClientIDFromOpenIDConnectProvider,
UpdateOpenIDConnectProviderThumbprint, TagOpenIDConnectProvider, UntagOpenIDConnectProvider,
ListOpenIDConnectProviderTags (IAM API reference); "Create an OpenID Connect (OIDC) identity
provider in IAM" (IAM User Guide).

- The URL "must begin with https://"; the provider's ARN is
  ``arn:aws:iam::ACCOUNT:oidc-provider/`` followed by the URL without its scheme, and
  GetOpenIDConnectProvider returns the URL without it too. One provider per URL in an
  account: EntityAlreadyExists "Provider with url https://HOST already exists." (AWS's
  words, quoted in unfunco/terraform-aws-oidc-github#23 and
  DrFaust92/terraform-kubernetes-ebs-csi-driver#107).
- For a local sandbox an ``http://`` URL is also accepted when its host is a loopback
  address (and then a port is allowed), so tests and CI jobs can run their own issuer;
  AWS refuses both.
- Quotas ("IAM and AWS STS quotas"): 100 OIDC providers per account, 100 client IDs per
  provider (LimitExceeded; the wording is unconfirmed), 5 thumbprints per provider
  (InvalidInput "Thumbprint list must contain fewer than 5 entries.", recorded from AWS).
  A URL IAM refuses: ValidationError "Invalid Open ID Connect Provider URL" (recorded).
- AddClientIDToOpenIDConnectProvider and RemoveClientIDFromOpenIDConnectProvider are
  idempotent ("it does not fail or return an error if ...", IAM API reference): an existing
  client ID for Add and a missing one for Remove are no errors. DeleteOpenIDConnectProvider
  of a missing provider is, though the reference says the same of it: 404 NoSuchEntity
  "OpenId connect Provider ARN cannot be found." (recorded from AWS in February 2026,
  LocalStack's test_iam_oidc snapshot, test_delete_open_id_connect_provider).
- A missing provider otherwise: NoSuchEntity "OpenIDConnect Provider not found for arn
  ARN" (recorded, test_get_open_id_connect_provider_not_found).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from ...errors import EntityAlreadyExists, InvalidInput, LimitExceeded, NoSuchEntity, ValidationError
from ...store.interface import Conflict, OidcProvider
from ..context import CallContext
from ..sts.oidc_token import is_loopback
from . import common

PROVIDERS_PER_ACCOUNT = 100
CLIENT_IDS_PER_PROVIDER = 100
THUMBPRINTS_PER_PROVIDER = 5


# IAM's answer to a URL it refuses, recorded from AWS for Url="example.org" (LocalStack's
# tests/aws/services/iam/test_iam_oidc.snapshot.json, invalid-url, February 2026).
INVALID_URL = "Invalid Open ID Connect Provider URL"


def _provider_url(url: str) -> str:
    """The URL without its scheme, or the ValidationError IAM answers for one it refuses."""
    try:
        split = urlsplit(url)
        port = split.port
    except ValueError:
        raise ValidationError(INVALID_URL) from None
    loopback = split.scheme == "http" and is_loopback(split.hostname or "")
    if not split.hostname or split.query or split.fragment or (split.scheme != "https" and not loopback):
        raise ValidationError(INVALID_URL)
    if port is not None and not loopback:
        raise ValidationError(INVALID_URL)
    return url.split("://", 1)[1]


def provider(ctx: CallContext, arn: str) -> OidcProvider:
    common.check_arn(arn)
    found = ctx.tx.get_oidc_provider(arn)
    if found is None or found.account_id != ctx.account_id:
        raise NoSuchEntity(f"OpenIDConnect Provider not found for arn {arn}")
    return found


def _check_thumbprints(thumbprints: list[str]) -> None:
    if len(thumbprints) > THUMBPRINTS_PER_PROVIDER:
        # AWS's words for six thumbprints (five are taken), recorded: InvalidInput 400 (LocalStack's
        # test_iam_oidc snapshot, too-many-thumbprints, February 2026).
        raise InvalidInput(f"Thumbprint list must contain fewer than {THUMBPRINTS_PER_PROVIDER} entries.")


def _check_client_ids(client_ids: list[str]) -> None:
    if len(client_ids) > CLIENT_IDS_PER_PROVIDER:
        raise LimitExceeded(f"Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: {CLIENT_IDS_PER_PROVIDER}")


def create_open_id_connect_provider(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    url = params["Url"]
    path = _provider_url(url)
    arn = f"arn:aws:iam::{ctx.account_id}:oidc-provider/{path}"
    client_ids = list(dict.fromkeys(params.get("ClientIDList") or []))
    thumbprints = list(params.get("ThumbprintList") or [])
    _check_client_ids(client_ids)
    _check_thumbprints(thumbprints)
    if ctx.tx.get_oidc_provider(arn) is not None:
        raise EntityAlreadyExists(f"Provider with url {url} already exists.")
    if len(ctx.tx.list_oidc_providers(ctx.account_id)) >= PROVIDERS_PER_ACCOUNT:
        raise LimitExceeded(f"Cannot exceed quota for OpenIdConnectProvidersPerAccount: {PROVIDERS_PER_ACCOUNT}")
    try:
        ctx.tx.create_oidc_provider(ctx.account_id, arn, path, client_ids, thumbprints)
    except Conflict:
        raise EntityAlreadyExists(f"Provider with url {url} already exists.") from None
    common.set_create_tags(ctx, arn, params.get("Tags"), action="iam:TagOpenIDConnectProvider", arn=arn)
    out: dict[str, Any] = {"OpenIDConnectProviderArn": arn}
    tags = common.tags_of(ctx.tx, arn)
    if tags:
        out["Tags"] = tags
    return out


def get_open_id_connect_provider(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = provider(ctx, params["OpenIDConnectProviderArn"])
    out: dict[str, Any] = {
        "Url": found.url,
        "ClientIDList": list(found.client_ids),
        "ThumbprintList": list(found.thumbprints),
        "CreateDate": found.created,
        # "Tags": [] without tags, as recorded from AWS (the same snapshot file, get-response).
        "Tags": common.tags_of(ctx.tx, found.arn),
    }
    return out


def list_open_id_connect_providers(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    return {"OpenIDConnectProviderList": [{"Arn": found.arn} for found in ctx.tx.list_oidc_providers(ctx.account_id)]}


def delete_open_id_connect_provider(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    arn = params["OpenIDConnectProviderArn"]
    common.check_arn(arn)
    found = ctx.tx.get_oidc_provider(arn)
    if found is None or found.account_id != ctx.account_id:
        raise NoSuchEntity(f"OpenId connect Provider {arn} cannot be found.")
    ctx.tx.delete_oidc_provider(arn)
    return {}


def add_client_id_to_open_id_connect_provider(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = provider(ctx, params["OpenIDConnectProviderArn"])
    client_id = params["ClientID"]
    if client_id not in found.client_ids:
        client_ids = [*found.client_ids, client_id]
        _check_client_ids(client_ids)
        ctx.tx.update_oidc_provider(found.arn, client_ids=client_ids)
    return {}


def remove_client_id_from_open_id_connect_provider(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = provider(ctx, params["OpenIDConnectProviderArn"])
    client_id = params["ClientID"]
    if client_id in found.client_ids:
        ctx.tx.update_oidc_provider(found.arn, client_ids=[value for value in found.client_ids if value != client_id])
    return {}


def update_open_id_connect_provider_thumbprint(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = provider(ctx, params["OpenIDConnectProviderArn"])
    thumbprints = list(params["ThumbprintList"])
    _check_thumbprints(thumbprints)
    ctx.tx.update_oidc_provider(found.arn, thumbprints=thumbprints)
    return {}


tag_open_id_connect_provider, untag_open_id_connect_provider, list_open_id_connect_provider_tags = (
    common.tag_operations(lambda ctx, params: provider(ctx, params["OpenIDConnectProviderArn"]).arn)
)

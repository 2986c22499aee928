"""IAM SAML 2.0 identity providers: CreateSAMLProvider, GetSAMLProvider, ListSAMLProviders,
UpdateSAMLProvider, DeleteSAMLProvider, TagSAMLProvider, UntagSAMLProvider,
ListSAMLProviderTags (IAM API reference); "Create a SAML identity provider in IAM" (IAM User
Guide).

- The provider's ARN is ``arn:aws:iam::ACCOUNT:saml-provider/NAME``. Name ([\\w._-]+, 1 to 128
  characters) and SAMLMetadataDocument (1,000 to 10,000,000 characters) are the model's
  constraints, checked before a handler runs (ValidationError).
- One provider per name in an account: EntityAlreadyExists "Provider with name NAME already
  exists." (AWS's words as a CloudFormation resource provider passed them on,
  org-formation/aws-resource-providers#59: its handler re-raises CreateSAMLProvider's message).
- A missing provider: NoSuchEntity "Manifest not found for arn ARN", recorded from AWS for
  GetSAMLProvider and DeleteSAMLProvider (LocalStack's
  tests/aws/services/iam/test_iam_saml_providers.snapshot.json) and used for every operation
  on one. Unlike DeleteOpenIDConnectProvider, DeleteSAMLProvider of a missing provider fails.
- The document must be SAML 2.0 metadata of an identity provider: an EntityDescriptor of the
  metadata namespace with an IDPSSODescriptor; anything else is InvalidInput "Could not parse
  metadata" (wording unconfirmed). It is read by ``protocol.xml_read`` (expat, DOCTYPEs and
  entity declarations refused: no entity is ever expanded or fetched).
- ValidUntil is the EntityDescriptor's validUntil; without one, 100 years after the provider
  was created, as the AWS CLI's get-saml-provider example answers (CreateDate
  2017-03-06T22:29:46, ValidUntil 2117-03-06T22:29:46.433).
- GetSAMLProvider answers SAMLProviderUUID, AssertionEncryptionMode ("Allowed" unless set),
  PrivateKeyList and Tags even when empty (recorded as above); Tags "sorted by tag key".
- AddPrivateKey ("a .pem file", CreateSAMLProvider / UpdateSAMLProvider): an unencrypted PEM
  private key, at most two per provider (the model's privateKeyList holds two; "To rotate
  private keys, add your new private key and then remove the old key in a separate request",
  UpdateSAMLProvider, so adding and removing in one request is refused); each is answered by
  a KeyId and its upload Timestamp. The key itself is not kept: nothing here decrypts
  assertions. The refusals' codes and words are unconfirmed.
- Quota ("IAM and AWS STS quotas"): 100 SAML providers in an account (LimitExceeded; the
  wording is unconfirmed, as for OIDC providers).

Known gaps: trusted identity propagation (ContextProvider, IdentityCenterInstanceArn) answers
NotImplemented, and SAMLKeyHashes and ListSAMLProviders' IsTrustedIdentityPropagationEnabled
are never answered. AssumeRoleWithSAML (``services/sts/saml.py``) verifies assertions with
the metadata's signing certificates; since private keys are not kept, it refuses encrypted
assertions.
"""

from __future__ import annotations

import base64
import secrets
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization

from ... import errors
from ...errors import EntityAlreadyExists, InvalidInput, LimitExceeded, MalformedXML, NoSuchEntity
from ...protocol.xml_read import read_xml
from ...store.interface import Conflict, SamlPrivateKey, SamlProvider
from ..context import CallContext
from . import common

PROVIDERS_PER_ACCOUNT = 100
PRIVATE_KEYS_PER_PROVIDER = 2
DEFAULT_ENCRYPTION_MODE = "Allowed"
METADATA_NAMESPACE = "urn:oasis:names:tc:SAML:2.0:metadata"
NOT_METADATA = "Could not parse metadata"


def _exists(name: str) -> EntityAlreadyExists:
    return EntityAlreadyExists(f"Provider with name {name} already exists.")


def provider(ctx: CallContext, arn: str) -> SamlProvider:
    common.check_arn(arn)
    found = ctx.tx.get_saml_provider(arn)
    if found is None or found.account_id != ctx.account_id:
        raise NoSuchEntity(f"Manifest not found for arn {arn}")
    return found


def metadata_valid_until(document: str) -> datetime | None:
    """The validUntil of SAML metadata (None when it has none); InvalidInput for a document
    that is not an identity provider's SAML 2.0 metadata."""
    try:
        root = read_xml(document.encode("utf-8"))
    except (MalformedXML, UnicodeEncodeError):
        raise InvalidInput(NOT_METADATA) from None
    # ``read_xml`` drops namespace prefixes: the root must declare the metadata namespace.
    declared = {value for key, value in root.attrs.items() if key == "xmlns" or key.startswith("xmlns:")}
    idp = any(child.tag == "IDPSSODescriptor" for child in root.children)
    if root.tag != "EntityDescriptor" or METADATA_NAMESPACE not in declared or not idp:
        raise InvalidInput(NOT_METADATA)
    stamp = root.attrs.get("validUntil")
    if stamp is None:
        return None
    try:
        when = datetime.fromisoformat(stamp.strip())
        # xs:dateTime without a zone: SAML's times are UTC ("SAML V2.0 Core", 1.3.3).
        return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
    except (ValueError, OverflowError):  # OverflowError: an offset past year 1 or 9999
        raise InvalidInput(NOT_METADATA) from None


def valid_until(found: SamlProvider) -> datetime:
    """ValidUntil as IAM answers it: the metadata's, or 100 years after creation."""
    if found.valid_until is not None:
        return found.valid_until
    created = found.created
    try:
        return created.replace(year=created.year + 100)
    except ValueError:  # 29 February of a year whose 100th successor is not a leap year
        return created.replace(year=created.year + 100, day=28)


def _refuse_identity_propagation(params: dict[str, Any]) -> None:
    """Trusted identity propagation needs IAM Identity Center, which does not exist here.
    RemoveContextProvider and RemoveIdentityCenterInstance have nothing to remove."""
    for member in ("ContextProvider", "IdentityCenterInstanceArn"):
        if params.get(member) is not None:
            raise errors.NotImplemented(f"SAML providers' {member} is not implemented by iamsandbox.")


def _new_key(pem: str, now: datetime) -> SamlPrivateKey:
    try:
        serialization.load_pem_private_key(pem.strip().encode("latin-1"), password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm, UnicodeEncodeError):
        raise InvalidInput("The private key is not a valid unencrypted PEM private key.") from None  # unconfirmed
    # KeyId: 22 to 64 characters of [A-Z0-9] (the model's privateKeyIdType).
    key_id = base64.b32encode(secrets.token_bytes(20)).decode("ascii")[:26]
    return SamlPrivateKey(key_id, now)


def _with_key(keys: tuple[SamlPrivateKey, ...], pem: str | None, now: datetime) -> tuple[SamlPrivateKey, ...]:
    if pem is None:
        return keys
    if len(keys) >= PRIVATE_KEYS_PER_PROVIDER:
        raise LimitExceeded(f"Cannot exceed quota for PrivateKeysPerSAMLProvider: {PRIVATE_KEYS_PER_PROVIDER}")
    return (*keys, _new_key(pem, now))


def create_saml_provider(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    _refuse_identity_propagation(params)
    name = params["Name"]
    arn = f"arn:aws:iam::{ctx.account_id}:saml-provider/{name}"
    document = params["SAMLMetadataDocument"]
    until = metadata_valid_until(document)
    keys = _with_key((), params.get("AddPrivateKey"), ctx.now)
    mode = params.get("AssertionEncryptionMode") or DEFAULT_ENCRYPTION_MODE
    if ctx.tx.get_saml_provider(arn) is not None:
        raise _exists(name)
    if ctx.tx.count_saml_providers(ctx.account_id) >= PROVIDERS_PER_ACCOUNT:
        raise LimitExceeded(f"Cannot exceed quota for SAMLProvidersPerAccount: {PROVIDERS_PER_ACCOUNT}")
    try:
        ctx.tx.create_saml_provider(ctx.account_id, arn, document, until, mode, keys)
    except Conflict:
        raise _exists(name) from None
    common.set_create_tags(ctx, arn, params.get("Tags"), action="iam:TagSAMLProvider", arn=arn)
    out: dict[str, Any] = {"SAMLProviderArn": arn}
    tags = _sorted_tags(ctx, arn)
    if tags:
        out["Tags"] = tags
    return out


def _sorted_tags(ctx: CallContext, arn: str) -> list[dict[str, str]]:
    return common.tags_in_key_order(ctx.tx.get_tags(arn))


def get_saml_provider(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = provider(ctx, params["SAMLProviderArn"])
    return {
        "SAMLProviderUUID": found.uuid,
        "SAMLMetadataDocument": found.metadata,
        "CreateDate": found.created,
        "ValidUntil": valid_until(found),
        "Tags": _sorted_tags(ctx, found.arn),
        "AssertionEncryptionMode": found.encryption_mode,
        "PrivateKeyList": [{"KeyId": key.key_id, "Timestamp": key.uploaded} for key in found.private_keys],
    }


def list_saml_providers(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    listed = [
        {"Arn": found.arn, "ValidUntil": valid_until(found), "CreateDate": found.created}
        for found in ctx.tx.list_saml_providers(ctx.account_id)
    ]
    return {"SAMLProviderList": listed}


def update_saml_provider(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    _refuse_identity_propagation(params)
    found = provider(ctx, params["SAMLProviderArn"])
    changed = found
    document = params.get("SAMLMetadataDocument")
    if document is not None:
        changed = replace(changed, metadata=document, valid_until=metadata_valid_until(document))
    if params.get("AssertionEncryptionMode") is not None:
        changed = replace(changed, encryption_mode=params["AssertionEncryptionMode"])
    add, remove = params.get("AddPrivateKey"), params.get("RemovePrivateKey")
    if add is not None and remove is not None:
        # "add your new private key and then remove the old key in a separate request"
        raise InvalidInput("AddPrivateKey and RemovePrivateKey cannot be given in one request.")  # unconfirmed
    if remove is not None:
        kept = tuple(key for key in changed.private_keys if key.key_id != remove)
        if len(kept) == len(changed.private_keys):
            raise InvalidInput(f"The SAML provider has no private key {remove}.")  # unconfirmed
        changed = replace(changed, private_keys=kept)
    changed = replace(changed, private_keys=_with_key(changed.private_keys, add, ctx.now))
    if changed != found:
        ctx.tx.update_saml_provider(changed)
    return {"SAMLProviderArn": found.arn}


def delete_saml_provider(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = provider(ctx, params["SAMLProviderArn"])
    ctx.tx.delete_saml_provider(found.arn)
    return {}


tag_saml_provider, untag_saml_provider, list_saml_provider_tags = common.tag_operations(
    lambda ctx, params: provider(ctx, params["SAMLProviderArn"]).arn
)

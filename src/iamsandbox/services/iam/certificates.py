"""X.509 signing certificates and server certificates (IAM API reference:
UploadSigningCertificate, ListSigningCertificates, UpdateSigningCertificate,
DeleteSigningCertificate, UploadServerCertificate, GetServerCertificate,
ListServerCertificates, UpdateServerCertificate, DeleteServerCertificate,
TagServerCertificate, UntagServerCertificate, ListServerCertificateTags); IAM User Guide,
"Manage server certificates in IAM" and "Manage signing certificates".

Signing certificates:
- Without UserName the operations act on the caller: "the IAM user name is determined
  implicitly based on the AWS access key ID used to sign the request. This operation works
  for access keys under the AWS account. Consequently, you can use this operation to manage
  AWS account root user credentials" (UploadSigningCertificate). A new certificate is
  Active. Two per user ("IAM and AWS STS quotas": signing certificates assigned to an IAM
  user, 2): LimitExceeded "Cannot exceed quota for CertificatesPerUser: 2" (recorded from AWS
  in LocalStack's test_iam_signing_certificates snapshot, as is MalformedCertificate
  "Certificate BODY is malformed." for a body that is no certificate).
- The same certificate twice in an account: DuplicateCertificate ("the same certificate is
  associated with an IAM user in the account"; wording unconfirmed).

Both kinds:
- A server certificate's body that is not a PEM certificate: MalformedCertificate "Unable to parse certificate.
  Please ensure the certificate is in PEM format." (AWS's words, quoted in
  openshift/openshift-ansible#11214 and vmware-archive/terraforming-aws#46). An expired one:
  MalformedCertificate ("malformed or expired", MalformedCertificateException in the model;
  message unconfirmed); one not valid yet: InvalidCertificate (unconfirmed).

Server certificates:
- The private key must be an unencrypted PEM key (MalformedCertificate otherwise, wording
  unconfirmed) whose public key is the certificate's (KeyPairMismatch otherwise, wording
  unconfirmed). It is kept sealed and never answered: GetServerCertificate's
  ServerCertificate has no private key member.
- The chain, when given, "must start with the immediate signing certificate, followed by any
  intermediaries in order" (MalformedCertificate "Unable to validate certificate chain. ...
  The index within the chain of the invalid certificate is: N", AWS's words quoted in
  go-acme/lego#304). Each certificate must be signed by the next; N is the index of the
  chain certificate that did not sign the one before it. Whether the chain reaches a
  trusted root is not checked here (AWS's trust store is unknown).
- Names unique per account whatever their case; 20 per account ("IAM and AWS STS quotas":
  server certificates stored in an AWS account, 20). The ARN is
  ``arn:aws:iam::ACCOUNT:server-certificate/PATH/NAME``. UpdateServerCertificate needs the
  permission on the old and the new name ("the principal must have permission to change
  the server certificate with the old name and the new name").

Known gaps: key sizes and algorithms IAM accepts for server certificates are not checked;
the chain is not checked against trusted roots; DeleteServerCertificate never answers
DeleteConflict (nothing here uses the certificates).
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization

from ...errors import (
    DuplicateCertificate,
    EntityAlreadyExists,
    InvalidCertificate,
    InvalidInput,
    KeyPairMismatch,
    LimitExceeded,
    MalformedCertificate,
    NoSuchEntity,
)
from ...store.crypto import Secret
from ...store.interface import Conflict, ServerCertificate, SigningCertificate, User
from ..context import CallContext
from . import common

SIGNING_CERTIFICATES_PER_USER = 2
SERVER_CERTIFICATES_PER_ACCOUNT = 20
UNPARSABLE = "Unable to parse certificate. Please ensure the certificate is in PEM format."
CHAIN_ORDER = (
    "Unable to validate certificate chain. The certificate chain must start with the immediate signing "
    "certificate, followed by any intermediaries in order. The index within the chain of the invalid "
    "certificate is: {index}"
)
_PEM_CERTIFICATE = "-----BEGIN CERTIFICATE-----"


def parse_certificate(body: str, now: datetime, unparsable: str = UNPARSABLE) -> x509.Certificate:
    """The one PEM certificate of ``body``, valid at ``now``, or AWS's error (``unparsable``:
    the words for a body that is no certificate)."""
    if _PEM_CERTIFICATE not in body:
        raise MalformedCertificate(unparsable)
    try:
        certificate = x509.load_pem_x509_certificate(body.strip().encode("latin-1"))
        not_before, not_after = certificate.not_valid_before_utc, certificate.not_valid_after_utc
        certificate.public_key()  # parsed lazily: an unknown key algorithm fails here, not later
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise MalformedCertificate(unparsable) from None
    if now > not_after:
        raise MalformedCertificate("The certificate is expired.")  # unconfirmed wording
    if now < not_before:
        raise InvalidCertificate("The certificate is not valid yet.")  # unconfirmed wording
    return certificate


def _public_key_der(certificate: x509.Certificate) -> bytes:
    return certificate.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def _check_private_key(certificate: x509.Certificate, private_key: str) -> None:
    try:
        key = serialization.load_pem_private_key(private_key.strip().encode("latin-1"), password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        # An encrypted key raises TypeError (a password is needed): refused as malformed too.
        raise MalformedCertificate("Unable to parse private key. Please ensure the key is in PEM format.") from None
    public = key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    if public != _public_key_der(certificate):
        raise KeyPairMismatch(
            "The private key did not match the public key provided. Please verify the key material and try again."
        )  # unconfirmed wording


def _check_chain(certificate: x509.Certificate, chain: str) -> None:
    try:
        issuers = x509.load_pem_x509_certificates(chain.strip().encode("latin-1"))
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise MalformedCertificate(UNPARSABLE) from None
    subject = certificate
    for index, issuer in enumerate(issuers):
        try:
            subject.verify_directly_issued_by(issuer)
        except (ValueError, TypeError, InvalidSignature, UnsupportedAlgorithm):
            raise MalformedCertificate(CHAIN_ORDER.format(index=index)) from None
        subject = issuer


# --- signing certificates ----------------------------------------------------------------


def _signing_certificate(ctx: CallContext, certificate_id: str, owner: User | None) -> SigningCertificate:
    found = ctx.tx.get_signing_certificate(certificate_id)
    if found is None or found.account_id != ctx.account_id or found.user_id != (owner.id if owner else None):
        raise NoSuchEntity(f"The Certificate with id {certificate_id} cannot be found.")  # unconfirmed wording
    return found


def _signing_out(found: SigningCertificate, owner: User | None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "CertificateId": found.certificate_id,
        "CertificateBody": found.body,
        "Status": found.status,
        "UploadDate": found.uploaded,
    }
    if owner is not None:  # the root user's certificates name no user (as its access keys)
        out["UserName"] = owner.name
    return out


def upload_signing_certificate(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    owner = common.credential_owner(ctx, params)
    body = params["CertificateBody"]
    # UploadSigningCertificate names the body it cannot read, recorded from AWS: "Certificate
    # invalid-certificate-body is malformed." (LocalStack's tests/aws/services/iam/
    # test_iam_signing_certificates.snapshot.json, February 2026).
    certificate = parse_certificate(body, ctx.now, f"Certificate {body} is malformed.")
    printed = hashlib.sha256(certificate.public_bytes(serialization.Encoding.DER)).hexdigest()
    if ctx.tx.find_signing_certificate(ctx.account_id, printed) is not None:
        raise DuplicateCertificate("The same certificate is already associated with an IAM user in the account.")
    existing = ctx.tx.list_signing_certificates(ctx.account_id, owner.id if owner else None)
    if len(existing) >= SIGNING_CERTIFICATES_PER_USER:
        # The quota's name in IAM's answer, recorded from AWS (the same snapshot file).
        raise LimitExceeded(f"Cannot exceed quota for CertificatesPerUser: {SIGNING_CERTIFICATES_PER_USER}")
    created = ctx.tx.create_signing_certificate(ctx.account_id, owner.id if owner else None, body, printed)
    return {"Certificate": _signing_out(created, owner)}


def list_signing_certificates(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    owner = common.credential_owner(ctx, params)
    found = ctx.tx.list_signing_certificates(ctx.account_id, owner.id if owner else None)
    out = common.paginate(found, params, "Certificates")
    out["Certificates"] = [_signing_out(item, owner) for item in out["Certificates"]]
    return out


def update_signing_certificate(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = _signing_certificate(ctx, params["CertificateId"], common.credential_owner(ctx, params))
    status = params["Status"]
    if status not in ("Active", "Inactive"):
        raise InvalidInput("Status must be Active or Inactive.")  # unconfirmed wording
    ctx.tx.set_signing_certificate_status(found.certificate_id, status)
    return {}


def delete_signing_certificate(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = _signing_certificate(ctx, params["CertificateId"], common.credential_owner(ctx, params))
    ctx.tx.delete_signing_certificate(found.certificate_id)
    return {}


# --- server certificates -----------------------------------------------------------------


def server_certificate(ctx: CallContext, name: str) -> ServerCertificate:
    found = ctx.tx.get_server_certificate(ctx.account_id, name)
    if found is None:
        raise NoSuchEntity(f"The Server Certificate with name {name} cannot be found.")  # unconfirmed wording
    return found


def _exists(name: str) -> EntityAlreadyExists:
    return EntityAlreadyExists(f"The Server Certificate with name {name} already exists.")  # unconfirmed wording


def _metadata(found: ServerCertificate) -> dict[str, Any]:
    return {
        "Path": found.path,
        "ServerCertificateName": found.name,
        "ServerCertificateId": found.id,
        "Arn": found.arn,
        "UploadDate": found.uploaded,
        "Expiration": found.expiration,
    }


def upload_server_certificate(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    name = params["ServerCertificateName"]
    body = params["CertificateBody"]
    chain = params.get("CertificateChain")
    certificate = parse_certificate(body, ctx.now)
    _check_private_key(certificate, params["PrivateKey"])
    if chain is not None:
        _check_chain(certificate, chain)
    if ctx.tx.get_server_certificate(ctx.account_id, name) is not None:
        raise _exists(name)
    if len(ctx.tx.list_server_certificates(ctx.account_id)) >= SERVER_CERTIFICATES_PER_ACCOUNT:
        raise LimitExceeded(
            f"Cannot exceed quota for ServerCertificatesPerAccount: {SERVER_CERTIFICATES_PER_ACCOUNT}"
        )  # unconfirmed wording
    try:
        created = ctx.tx.create_server_certificate(
            ctx.account_id,
            name,
            params.get("Path") or "/",
            body,
            chain,
            Secret(params["PrivateKey"]),
            certificate.not_valid_after_utc,
        )
    except Conflict:
        raise _exists(name) from None
    common.set_create_tags(ctx, created.id, params.get("Tags"), action="iam:TagServerCertificate", arn=created.arn)
    out: dict[str, Any] = {"ServerCertificateMetadata": _metadata(created)}
    tags = common.tags_of(ctx.tx, created.id)
    if tags:
        out["Tags"] = tags
    return out


def get_server_certificate(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = server_certificate(ctx, params["ServerCertificateName"])
    # INVARIANT: the private key is never part of an answer.
    out: dict[str, Any] = {"ServerCertificateMetadata": _metadata(found), "CertificateBody": found.body}
    if found.chain is not None:
        out["CertificateChain"] = found.chain
    # "Tags": [] without tags, as recorded from AWS (LocalStack's tests/aws/services/iam/
    # test_iam_server_certificates.snapshot.json, get-certificate, February 2026).
    out["Tags"] = common.tags_of(ctx.tx, found.id)
    return {"ServerCertificate": out}


def list_server_certificates(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = ctx.tx.list_server_certificates(ctx.account_id, params.get("PathPrefix") or "/")
    out = common.paginate(found, params, "ServerCertificateMetadataList")
    out["ServerCertificateMetadataList"] = [_metadata(item) for item in out["ServerCertificateMetadataList"]]
    return out


def update_server_certificate(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = server_certificate(ctx, params["ServerCertificateName"])
    new_name = params.get("NewServerCertificateName")
    new_path = params.get("NewPath")
    name = found.name if new_name is None else new_name
    path = found.path if new_path is None else new_path
    new_arn = f"arn:aws:iam::{ctx.account_id}:server-certificate{path}{name}"
    if new_arn != found.arn:
        # The table checked the old name; the new one needs the permission too.
        ctx.authorize("iam:UpdateServerCertificate", new_arn, {})
    if new_name is not None and new_name.lower() != found.name.lower():
        if ctx.tx.get_server_certificate(ctx.account_id, new_name) is not None:
            raise _exists(new_name)
    try:
        ctx.tx.rename_server_certificate(found.id, new_name, new_path)
    except Conflict:
        raise _exists(name) from None
    return {}


def delete_server_certificate(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = server_certificate(ctx, params["ServerCertificateName"])
    ctx.tx.delete_server_certificate(found.id)
    return {}


tag_server_certificate, untag_server_certificate, list_server_certificate_tags = common.tag_operations(
    lambda ctx, params: server_certificate(ctx, params["ServerCertificateName"]).id
)

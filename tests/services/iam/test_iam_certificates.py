"""IAM signing certificates and server certificates: the handlers on a real store (answers
checked against botocore's output shapes), and the authorization of server certificates
through the whole request path (boto3 in process).

AWS pages: the IAM API reference's UploadSigningCertificate (UserName optional: the
signing user, or the root user; "its default status is Active"), ListSigningCertificates,
UpdateSigningCertificate, DeleteSigningCertificate, UploadServerCertificate,
GetServerCertificate, ListServerCertificates, UpdateServerCertificate ("must have
permission to change the server certificate with the old name and the new name"),
DeleteServerCertificate, TagServerCertificate, UntagServerCertificate,
ListServerCertificateTags, DeleteUser (remove the signing certificates first); the IAM User
Guide's "Manage server certificates in IAM", "Manage signing certificates", "Getting
credential reports" (cert_1_active, cert_1_last_rotated, ...) and "IAM and AWS STS quotas"
(2 signing certificates per user, 20 server certificates per account); the Service
Authorization Reference (resource type server-certificate,
arn:aws:iam::ACCOUNT:server-certificate/PATH/NAME).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import botocore.session
import pytest
from botocore.exceptions import ClientError
from iam_harness import ACCOUNT, Iam
from inprocess_harness import client, open_app, root_keys, user_keys

from iamsandbox import errors
from iamsandbox.errors import (
    DeleteConflict,
    DuplicateCertificate,
    EntityAlreadyExists,
    InvalidCertificate,
    KeyPairMismatch,
    LimitExceeded,
    MalformedCertificate,
    NoSuchEntity,
)
from iamsandbox.server.app import App
from x509_material import certificate, pem_private, rsa_key

UNPARSABLE = "Unable to parse certificate. Please ensure the certificate is in PEM format."


def _server_material() -> tuple[str, str, str]:
    """A leaf certificate signed by a CA, its private key, and the CA as the chain."""
    ca_key, leaf_key = rsa_key(2048, 10), rsa_key(2048, 11)
    ca = certificate(ca_key, "Example CA", ca=True)
    leaf = certificate(leaf_key, "www.example.com", issuer_key=ca_key, issuer_name="Example CA")
    return leaf, pem_private(leaf_key), ca


# --- signing certificates ----------------------------------------------------------------


def test_upload_list_update_delete_signing_certificate(iam: Iam) -> None:
    iam("CreateUser", UserName="alice")
    body = certificate(rsa_key(2048, 1), "alice")
    uploaded = iam("UploadSigningCertificate", UserName="alice", CertificateBody=body)["Certificate"]
    assert uploaded["Status"] == "Active" and uploaded["UserName"] == "alice"
    assert uploaded["CertificateBody"] == body and len(uploaded["CertificateId"]) >= 24
    certificate_id = uploaded["CertificateId"]
    iam("UpdateSigningCertificate", UserName="alice", CertificateId=certificate_id, Status="Inactive")
    listed = iam("ListSigningCertificates", UserName="alice")["Certificates"]
    assert [(c["CertificateId"], c["Status"]) for c in listed] == [(certificate_id, "Inactive")]
    with pytest.raises(DeleteConflict):  # DeleteUser: the signing certificates first
        iam("DeleteUser", UserName="alice")
    iam("DeleteSigningCertificate", UserName="alice", CertificateId=certificate_id)
    with pytest.raises(NoSuchEntity):
        iam("DeleteSigningCertificate", UserName="alice", CertificateId=certificate_id)
    iam("DeleteUser", UserName="alice")


def test_without_user_name_the_callers_own_user(iam: Iam) -> None:
    """ "If the UserName is not specified, the IAM user name is determined implicitly based on
    the AWS access key ID used to sign the request" (UploadSigningCertificate)."""
    iam("CreateUser", UserName="alice")
    iam.as_user("alice")
    uploaded = iam("UploadSigningCertificate", CertificateBody=certificate(rsa_key(2048, 1), "alice"))
    assert uploaded["Certificate"]["UserName"] == "alice"
    assert [c["UserName"] for c in iam("ListSigningCertificates")["Certificates"]] == ["alice"]


def test_duplicate_limit_and_bad_bodies(iam: Iam) -> None:
    """DuplicateCertificate (409): "the same certificate is associated with an IAM user in the
    account"; two per user; MalformedCertificate "malformed or expired"."""
    iam("CreateUser", UserName="alice")
    iam("CreateUser", UserName="bob")
    first = certificate(rsa_key(2048, 1), "one")
    iam("UploadSigningCertificate", UserName="alice", CertificateBody=first)
    with pytest.raises(DuplicateCertificate) as duplicate:
        iam("UploadSigningCertificate", UserName="bob", CertificateBody=first)
    assert duplicate.value.status == 409
    iam("UploadSigningCertificate", UserName="alice", CertificateBody=certificate(rsa_key(2048, 2), "two"))
    # The two answers below as recorded from AWS (LocalStack's tests/aws/services/iam/
    # test_iam_signing_certificates.snapshot.json, February 2026).
    with pytest.raises(LimitExceeded, match="^Cannot exceed quota for CertificatesPerUser: 2$"):
        iam("UploadSigningCertificate", UserName="alice", CertificateBody=certificate(rsa_key(2048, 3), "three"))
    with pytest.raises(MalformedCertificate) as malformed:
        iam("UploadSigningCertificate", UserName="bob", CertificateBody="invalid-certificate-body")
    assert malformed.value.message == "Certificate invalid-certificate-body is malformed."
    broken = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
    with pytest.raises(MalformedCertificate):
        iam("UploadSigningCertificate", UserName="bob", CertificateBody=broken)
    expired = certificate(rsa_key(2048, 4), "old", not_before=datetime.now(UTC) - timedelta(days=30), days=10)
    with pytest.raises(MalformedCertificate):
        iam("UploadSigningCertificate", UserName="bob", CertificateBody=expired)
    future = certificate(rsa_key(2048, 4), "later", not_before=datetime.now(UTC) + timedelta(days=3))
    with pytest.raises(InvalidCertificate):
        iam("UploadSigningCertificate", UserName="bob", CertificateBody=future)


def test_credential_report_shows_signing_certificates(iam: Iam) -> None:
    """ "Getting credential reports": cert_1_active is true "when the user has an X.509 signing
    certificate and that certificate is active"; cert_1_last_rotated when it "was created or
    last changed"."""
    iam("CreateUser", UserName="alice")
    first = iam("UploadSigningCertificate", UserName="alice", CertificateBody=certificate(rsa_key(2048, 1), "a"))
    iam("UploadSigningCertificate", UserName="alice", CertificateBody=certificate(rsa_key(2048, 2), "b"))
    iam(
        "UpdateSigningCertificate",
        UserName="alice",
        CertificateId=first["Certificate"]["CertificateId"],
        Status="Inactive",
    )
    iam("GenerateCredentialReport")
    content = iam("GetCredentialReport")["Content"].decode()
    rows = {row["user"]: row for row in csv.DictReader(io.StringIO(content))}
    alice, root = rows["alice"], rows["<root_account>"]
    assert (alice["cert_1_active"], alice["cert_2_active"]) == ("false", "true")
    assert alice["cert_1_last_rotated"].endswith("+00:00") and alice["cert_2_last_rotated"] != "N/A"
    assert (root["cert_1_active"], root["cert_1_last_rotated"]) == ("false", "N/A")


# --- server certificates -----------------------------------------------------------------


def test_upload_get_list_rename_tag_delete_server_certificate(iam: Iam) -> None:
    leaf, key, chain = _server_material()
    out = iam(
        "UploadServerCertificate",
        ServerCertificateName="ProdCert",
        Path="/cloudfront/prod/",
        CertificateBody=leaf,
        PrivateKey=key,
        CertificateChain=chain,
        Tags=[{"Key": "env", "Value": "prod"}],
    )
    meta = out["ServerCertificateMetadata"]
    assert meta["Arn"] == f"arn:aws:iam::{ACCOUNT}:server-certificate/cloudfront/prod/ProdCert"
    assert meta["ServerCertificateId"].startswith("ASCA") and meta["Path"] == "/cloudfront/prod/"
    assert meta["Expiration"] > datetime.now(UTC)
    assert out["Tags"] == [{"Key": "env", "Value": "prod"}]

    got = iam("GetServerCertificate", ServerCertificateName="prodcert")["ServerCertificate"]
    assert got["CertificateBody"] == leaf and got["CertificateChain"] == chain
    # The private key is never answered (GetServerCertificate has no member for it).
    assert "PRIVATE KEY" not in json.dumps(got, default=str)

    iam("UploadServerCertificate", ServerCertificateName="Other", CertificateBody=leaf, PrivateKey=key)
    listed = iam("ListServerCertificates", PathPrefix="/cloudfront/")["ServerCertificateMetadataList"]
    assert [m["ServerCertificateName"] for m in listed] == ["ProdCert"]
    page = iam("ListServerCertificates", MaxItems=1)
    assert page["IsTruncated"] is True and len(page["ServerCertificateMetadataList"]) == 1
    rest = iam("ListServerCertificates", MaxItems=1, Marker=page["Marker"])
    assert rest["IsTruncated"] is False and len(rest["ServerCertificateMetadataList"]) == 1

    with pytest.raises(EntityAlreadyExists):
        iam("UpdateServerCertificate", ServerCertificateName="ProdCert", NewServerCertificateName="OTHER")
    iam("UpdateServerCertificate", ServerCertificateName="ProdCert", NewServerCertificateName="ProdCert2", NewPath="/")
    renamed = iam("GetServerCertificate", ServerCertificateName="ProdCert2")["ServerCertificate"]
    assert renamed["ServerCertificateMetadata"]["Arn"] == f"arn:aws:iam::{ACCOUNT}:server-certificate/ProdCert2"

    iam("TagServerCertificate", ServerCertificateName="ProdCert2", Tags=[{"Key": "team", "Value": "web"}])
    iam("UntagServerCertificate", ServerCertificateName="ProdCert2", TagKeys=["env"])
    assert iam("ListServerCertificateTags", ServerCertificateName="ProdCert2")["Tags"] == [
        {"Key": "team", "Value": "web"}
    ]
    iam("DeleteServerCertificate", ServerCertificateName="ProdCert2")
    with pytest.raises(NoSuchEntity):
        iam("GetServerCertificate", ServerCertificateName="ProdCert2")


def test_key_chain_and_name_errors(iam: Iam) -> None:
    leaf, key, chain = _server_material()
    other_key = pem_private(rsa_key(2048, 12))
    with pytest.raises(KeyPairMismatch):
        iam("UploadServerCertificate", ServerCertificateName="c", CertificateBody=leaf, PrivateKey=other_key)
    with pytest.raises(MalformedCertificate):  # an encrypted key is not accepted
        iam(
            "UploadServerCertificate",
            ServerCertificateName="c",
            CertificateBody=leaf,
            PrivateKey=pem_private(rsa_key(2048, 11), b"passphrase"),
        )
    with pytest.raises(MalformedCertificate) as bad_body:
        iam("UploadServerCertificate", ServerCertificateName="c", CertificateBody="junk", PrivateKey=key)
    assert bad_body.value.message == UNPARSABLE
    # "The certificate chain must start with the immediate signing certificate": the leaf's
    # issuer is not the chain's first certificate.
    stranger = certificate(rsa_key(2048, 13), "Some Other CA", ca=True)
    with pytest.raises(MalformedCertificate) as bad_chain:
        iam(
            "UploadServerCertificate",
            ServerCertificateName="c",
            CertificateBody=leaf,
            PrivateKey=key,
            CertificateChain=stranger,
        )
    assert bad_chain.value.message.startswith("Unable to validate certificate chain.")
    assert bad_chain.value.message.endswith("The index within the chain of the invalid certificate is: 0")
    iam("UploadServerCertificate", ServerCertificateName="c", CertificateBody=leaf, PrivateKey=key)
    with pytest.raises(EntityAlreadyExists):
        iam("UploadServerCertificate", ServerCertificateName="C", CertificateBody=leaf, PrivateKey=key)
    assert iam("GetServerCertificate", ServerCertificateName="c")["ServerCertificate"].get("CertificateChain") is None


def test_twenty_server_certificates_per_account(iam: Iam) -> None:
    leaf, key, _ = _server_material()
    for n in range(20):
        iam("UploadServerCertificate", ServerCertificateName=f"c{n}", CertificateBody=leaf, PrivateKey=key)
    with pytest.raises(LimitExceeded):
        iam("UploadServerCertificate", ServerCertificateName="c20", CertificateBody=leaf, PrivateKey=key)


def test_new_error_codes_match_botocore() -> None:
    """Codes and HTTP statuses of the new errors, from botocore's IAM model."""
    model = botocore.session.get_session().get_service_model("iam")
    for cls in (
        errors.InvalidPublicKey,
        errors.UnrecognizedPublicKeyEncoding,
        errors.DuplicateSSHPublicKey,
        errors.MalformedCertificate,
        errors.InvalidCertificate,
        errors.DuplicateCertificate,
        errors.KeyPairMismatch,
    ):
        shape = model.shape_for(f"{cls.__name__}Exception")
        assert shape.metadata["error"]["code"] == cls.code
        assert shape.metadata["error"]["httpStatusCode"] == cls.status


# --- authorization through the request path ----------------------------------------------


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    made = open_app(tmp_path, ACCOUNT)
    yield made
    made.store.close()


def test_server_certificate_actions_are_checked_on_the_path_arn(app: App) -> None:
    """Service Authorization Reference: iam:GetServerCertificate and
    iam:UpdateServerCertificate on arn:aws:iam::ACCOUNT:server-certificate/PATH/NAME; the
    new name of UpdateServerCertificate needs the permission too."""
    root = client(app, "iam", root_keys(app, ACCOUNT))
    leaf, key, _ = _server_material()
    root.upload_server_certificate(
        ServerCertificateName="edge", Path="/cloudfront/", CertificateBody=leaf, PrivateKey=key
    )
    root.upload_server_certificate(ServerCertificateName="internal", CertificateBody=leaf, PrivateKey=key)
    root.create_user(UserName="web")
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": ["iam:GetServerCertificate", "iam:UpdateServerCertificate"],
                "Resource": f"arn:aws:iam::{ACCOUNT}:server-certificate/cloudfront/*",
            }
        ],
    }
    root.put_user_policy(UserName="web", PolicyName="edge", PolicyDocument=json.dumps(policy))
    web: Any = client(app, "iam", user_keys(app, ACCOUNT, "web"))
    assert web.get_server_certificate(ServerCertificateName="edge")["ServerCertificate"]["CertificateBody"] == leaf
    with pytest.raises(ClientError) as denied:
        web.get_server_certificate(ServerCertificateName="internal")
    error = denied.value.response["Error"]
    assert error["Code"] == "AccessDenied"
    assert (
        f"iam:GetServerCertificate on resource: arn:aws:iam::{ACCOUNT}:server-certificate/internal"
        in (error["Message"])
    )
    web.update_server_certificate(ServerCertificateName="edge", NewServerCertificateName="edge2")
    with pytest.raises(ClientError) as moved:
        web.update_server_certificate(ServerCertificateName="edge2", NewPath="/")
    assert moved.value.response["Error"]["Code"] == "AccessDenied"
    assert f"arn:aws:iam::{ACCOUNT}:server-certificate/edge2" in moved.value.response["Error"]["Message"]


def test_account_summary_counts_certificates(app: App) -> None:
    """GetAccountSummary (IAM API reference): AccountSigningCertificatesPresent "1 if the root
    user has signing certificates, 0 otherwise"; ServerCertificates, the number of server
    certificates in the account. Through the request path, as the root user."""
    iam = client(app, "iam", root_keys(app, ACCOUNT))

    def summary() -> tuple[int, int]:
        found = iam.get_account_summary()["SummaryMap"]
        return found["AccountSigningCertificatesPresent"], found["ServerCertificates"]

    assert summary() == (0, 0)
    iam.create_user(UserName="alice")
    iam.upload_signing_certificate(UserName="alice", CertificateBody=certificate(rsa_key(2048, 3), "alice"))
    assert summary() == (0, 0)  # a user's certificate is not the root user's
    iam.upload_signing_certificate(CertificateBody=certificate(rsa_key(2048, 4), "root"))
    leaf, key, _chain = _server_material()
    iam.upload_server_certificate(ServerCertificateName="c", CertificateBody=leaf, PrivateKey=key)
    assert summary() == (1, 1)


def test_a_certificate_with_an_unknown_key_algorithm_is_malformed(iam: Iam) -> None:
    """A certificate whose public key algorithm is unknown (its SubjectPublicKeyInfo names
    OID 1.2.840.113549.1.1.99) cannot be used: MalformedCertificate, the error the
    UploadServerCertificate and UploadSigningCertificate pages give for a certificate IAM
    cannot read (it was a 500: the key is parsed lazily)."""
    import base64

    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    leaf, key, _chain = _server_material()
    der = x509.load_pem_x509_certificate(leaf.encode()).public_bytes(serialization.Encoding.DER)
    rsa_oid = bytes.fromhex("06092a864886f70d010101")
    bad_der = der.replace(rsa_oid, bytes.fromhex("06092a864886f70d010163"), 1)
    body = base64.encodebytes(bad_der).decode("ascii")
    bad = f"-----BEGIN CERTIFICATE-----\n{body}-----END CERTIFICATE-----\n"
    iam("CreateUser", UserName="alice")
    with pytest.raises(MalformedCertificate):
        iam("UploadServerCertificate", ServerCertificateName="odd", CertificateBody=bad, PrivateKey=key)
    with pytest.raises(MalformedCertificate):
        iam("UploadSigningCertificate", UserName="alice", CertificateBody=bad)

"""SSH public keys and server certificates with the AWS CLI and boto3 against a real server.

AWS pages: the CodeCommit User Guide's "Setup steps for SSH connections to AWS CodeCommit
repositories" (``aws iam upload-ssh-public-key --user-name NAME --ssh-public-key-body
file://codecommit_rsa.pub``; the answer's SSHPublicKeyId is the SSH key ID of the user's
~/.ssh/config), the IAM User Guide's "Manage server certificates in IAM" (``aws iam
upload-server-certificate --server-certificate-name ... --certificate-body file://...
--private-key file://... --certificate-chain file://...``, ``aws iam
list-server-certificates``), and the Service Authorization Reference
(iam:UploadServerCertificate on arn:aws:iam::ACCOUNT:server-certificate/PATH/NAME).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from botocore.exceptions import ClientError
from e2e_harness import A, Server, _client, aws_cli

from x509_material import certificate, pem_private, rsa_key, ssh_rsa


def test_aws_cli_ssh_key_and_server_certificate_then_boto3_access_denied(server: Server, tmp_path: Path) -> None:
    root = server.create_account(A)
    iam = _client(server, "iam", root)
    iam.create_user(UserName="alice")

    public = tmp_path / "codecommit_rsa.pub"
    public.write_text(ssh_rsa(rsa_key(), "alice@laptop") + "\n")
    uploaded = aws_cli(
        server, tmp_path, root, "iam", "upload-ssh-public-key", "--user-name", "alice",
        "--ssh-public-key-body", f"file://{public}",
    )  # fmt: skip
    assert uploaded.returncode == 0, uploaded.stderr
    key = json.loads(uploaded.stdout)["SSHPublicKey"]
    assert re.fullmatch(r"APKA[A-Z2-7]{16}", key["SSHPublicKeyId"]) and key["Status"] == "Active"
    assert re.fullmatch(r"([0-9a-f]{2}:){15}[0-9a-f]{2}", key["Fingerprint"])
    again = aws_cli(
        server, tmp_path, root, "iam", "upload-ssh-public-key", "--user-name", "alice",
        "--ssh-public-key-body", f"file://{public}",
    )  # fmt: skip
    assert again.returncode != 0 and "(DuplicateSSHPublicKey)" in again.stderr
    listed = iam.list_ssh_public_keys(UserName="alice")["SSHPublicKeys"]
    assert [k["SSHPublicKeyId"] for k in listed] == [key["SSHPublicKeyId"]]

    ca_key, leaf_key = rsa_key(2048, 20), rsa_key(2048, 21)
    (tmp_path / "ca.pem").write_text(certificate(ca_key, "Example CA", ca=True))
    leaf = certificate(leaf_key, "www.example.com", issuer_key=ca_key, issuer_name="Example CA")
    (tmp_path / "cert.pem").write_text(leaf)
    (tmp_path / "key.pem").write_text(pem_private(leaf_key))
    created = aws_cli(
        server, tmp_path, root, "iam", "upload-server-certificate", "--server-certificate-name", "ExampleCert",
        "--path", "/cloudfront/test/", "--certificate-body", f"file://{tmp_path / 'cert.pem'}",
        "--private-key", f"file://{tmp_path / 'key.pem'}",
        "--certificate-chain", f"file://{tmp_path / 'ca.pem'}",
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    meta = json.loads(created.stdout)["ServerCertificateMetadata"]
    assert meta["Arn"] == f"arn:aws:iam::{A}:server-certificate/cloudfront/test/ExampleCert"
    listed_certs = aws_cli(server, tmp_path, root, "iam", "list-server-certificates")
    assert listed_certs.returncode == 0, listed_certs.stderr
    names = [m["ServerCertificateName"] for m in json.loads(listed_certs.stdout)["ServerCertificateMetadataList"]]
    assert names == ["ExampleCert"]
    got = aws_cli(server, tmp_path, root, "iam", "get-server-certificate", "--server-certificate-name", "ExampleCert")
    assert got.returncode == 0, got.stderr
    assert "PRIVATE KEY" not in got.stdout  # the private key is never answered
    assert "PRIVATE KEY" not in server.log.read_text()  # nor logged
    assert json.loads(got.stdout)["ServerCertificate"]["CertificateBody"].strip() == leaf.strip()

    # alice may upload server certificates under /cloudfront/ only.
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "iam:UploadServerCertificate",
                "Resource": f"arn:aws:iam::{A}:server-certificate/cloudfront/*",
            }
        ],
    }
    iam.put_user_policy(UserName="alice", PolicyName="cloudfront-certs", PolicyDocument=json.dumps(policy))
    access = iam.create_access_key(UserName="alice")["AccessKey"]
    alice = _client(server, "iam", {"AccessKeyId": access["AccessKeyId"], "SecretAccessKey": access["SecretAccessKey"]})
    body, private = (tmp_path / "cert.pem").read_text(), (tmp_path / "key.pem").read_text()
    alice.upload_server_certificate(
        ServerCertificateName="AliceEdge", Path="/cloudfront/", CertificateBody=body, PrivateKey=private
    )
    with pytest.raises(ClientError) as denied:
        alice.upload_server_certificate(ServerCertificateName="AliceRoot", CertificateBody=body, PrivateKey=private)
    error = denied.value.response["Error"]
    assert error["Code"] == "AccessDenied"
    assert denied.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert (
        f"User: arn:aws:iam::{A}:user/alice is not authorized to perform: iam:UploadServerCertificate "
        f"on resource: arn:aws:iam::{A}:server-certificate/AliceRoot" in error["Message"]
    )

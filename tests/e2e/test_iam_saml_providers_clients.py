"""IAM SAML 2.0 identity providers with the AWS CLI and boto3 against a real server.

AWS pages: "Create a SAML identity provider in IAM" (IAM User Guide: ``aws iam
create-saml-provider --saml-metadata-document file://metadata.xml --name ...``), the AWS CLI
Command Reference's create-saml-provider, list-saml-providers, get-saml-provider (ValidUntil
100 years after CreateDate for metadata without validUntil), update-saml-provider,
tag-saml-provider, list-saml-provider-tags, untag-saml-provider and delete-saml-provider;
the API reference's errors (NoSuchEntity "Manifest not found for arn ..." and the provider's
fields as recorded from AWS in LocalStack's test_iam_saml_providers.snapshot.json); the
Service Authorization Reference (iam:CreateSAMLProvider on
arn:aws:iam::ACCOUNT:saml-provider/NAME).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from e2e_harness import A, Server, _client, aws_cli

from saml_metadata import idp_metadata, padded

NAME = "ExampleCorpIdP"
ARN = f"arn:aws:iam::{A}:saml-provider/{NAME}"


def _json(result: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    assert result.returncode == 0, result.stderr
    parsed: dict[str, Any] = json.loads(result.stdout)
    return parsed


def test_aws_cli_create_list_get_update_tag_delete(server: Server, tmp_path: Path) -> None:
    root = server.create_account(A)
    metadata = tmp_path / "metadata.xml"
    metadata.write_text(idp_metadata())

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return aws_cli(server, tmp_path, root, "iam", *args)

    created = _json(cli("create-saml-provider", "--saml-metadata-document", f"file://{metadata}", "--name", NAME))
    assert created == {"SAMLProviderArn": ARN}

    listed = _json(cli("list-saml-providers"))["SAMLProviderList"]
    assert [entry["Arn"] for entry in listed] == [ARN]
    assert set(listed[0]) == {"Arn", "ValidUntil", "CreateDate"}

    got = _json(cli("get-saml-provider", "--saml-provider-arn", ARN))
    assert got["SAMLMetadataDocument"] == metadata.read_text()  # the document as uploaded, XML and all
    assert got["AssertionEncryptionMode"] == "Allowed" and got["PrivateKeyList"] == [] and got["Tags"] == []
    created_year, until_year = int(str(got["CreateDate"])[:4]), int(str(got["ValidUntil"])[:4])
    assert until_year == created_year + 100  # no validUntil in the metadata (get-saml-provider example)

    renewed = tmp_path / "renewed.xml"
    renewed.write_text(idp_metadata("https://idp2.example.com/saml", valid_until="2031-06-30T12:00:00Z"))
    updated = cli("update-saml-provider", "--saml-metadata-document", f"file://{renewed}", "--saml-provider-arn", ARN)
    assert _json(updated) == {"SAMLProviderArn": ARN}
    got = _json(cli("get-saml-provider", "--saml-provider-arn", ARN))
    assert got["SAMLMetadataDocument"] == renewed.read_text()
    assert str(got["ValidUntil"]).startswith("2031-06-30T12:00:00")

    tagged = cli("tag-saml-provider", "--saml-provider-arn", ARN, "--tags", "Key=team,Value=ci", "Key=env,Value=dev")
    assert tagged.returncode == 0, tagged.stderr
    tags = _json(cli("list-saml-provider-tags", "--saml-provider-arn", ARN))["Tags"]
    assert tags == [{"Key": "env", "Value": "dev"}, {"Key": "team", "Value": "ci"}]
    untagged = cli("untag-saml-provider", "--saml-provider-arn", ARN, "--tag-keys", "team")
    assert untagged.returncode == 0, untagged.stderr
    assert _json(cli("list-saml-provider-tags", "--saml-provider-arn", ARN))["Tags"] == [{"Key": "env", "Value": "dev"}]

    # The refusals, as the CLI prints them.
    again = aws_cli(
        server, tmp_path, root, "iam", "create-saml-provider", "--saml-metadata-document", f"file://{metadata}",
        "--name", NAME,
    )  # fmt: skip
    assert again.returncode != 0
    assert (
        f"(EntityAlreadyExists) when calling the CreateSAMLProvider operation: Provider with name {NAME}"
        in again.stderr
    )
    not_metadata = tmp_path / "not-metadata.xml"
    not_metadata.write_text(padded("<html><body>Sign in</body></html>"))
    invalid = aws_cli(
        server, tmp_path, root, "iam", "create-saml-provider", "--saml-metadata-document",
        f"file://{not_metadata}", "--name", "Other",
    )  # fmt: skip
    assert invalid.returncode != 0 and "(InvalidInput)" in invalid.stderr, invalid.stderr
    bad_name = aws_cli(
        server, tmp_path, root, "iam", "create-saml-provider", "--saml-metadata-document", f"file://{metadata}",
        "--name", "Example Corp",
    )  # fmt: skip
    assert bad_name.returncode != 0 and "(ValidationError)" in bad_name.stderr, bad_name.stderr

    deleted = cli("delete-saml-provider", "--saml-provider-arn", ARN)
    assert deleted.returncode == 0, deleted.stderr
    assert _json(cli("list-saml-providers"))["SAMLProviderList"] == []
    gone = aws_cli(server, tmp_path, root, "iam", "get-saml-provider", "--saml-provider-arn", ARN)
    assert gone.returncode != 0
    assert f"(NoSuchEntity) when calling the GetSAMLProvider operation: Manifest not found for arn {ARN}" in gone.stderr


def test_boto3_access_denied_then_allowed_by_name(server: Server, tmp_path: Path) -> None:
    root = server.create_account(A)
    iam = _client(server, "iam", root)
    iam.create_user(UserName="bob")
    bob_keys = iam.create_access_key(UserName="bob")["AccessKey"]
    bob = _client(server, "iam", bob_keys)
    document = idp_metadata()
    with pytest.raises(ClientError) as denied:
        bob.create_saml_provider(Name=NAME, SAMLMetadataDocument=document)
    error = denied.value.response["Error"]
    assert error["Code"] == "AccessDenied"
    assert error["Message"] == (
        f"User: arn:aws:iam::{A}:user/bob is not authorized to perform: iam:CreateSAMLProvider on resource: {ARN}"
        " because no identity-based policy allows the iam:CreateSAMLProvider action"
    )
    # The same refusal through the CLI.
    refused = aws_cli(
        server, tmp_path, bob_keys, "iam", "create-saml-provider", "--saml-metadata-document", document, "--name", NAME
    )
    assert refused.returncode != 0 and "iam:CreateSAMLProvider on resource: " + ARN in refused.stderr

    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": ["iam:CreateSAMLProvider", "iam:GetSAMLProvider", "iam:DeleteSAMLProvider"],
                "Resource": f"arn:aws:iam::{A}:saml-provider/ExampleCorp*",
            }
        ],
    }
    iam.put_user_policy(UserName="bob", PolicyName="saml-admin", PolicyDocument=json.dumps(policy))
    assert bob.create_saml_provider(Name=NAME, SAMLMetadataDocument=document)["SAMLProviderArn"] == ARN
    assert bob.get_saml_provider(SAMLProviderArn=ARN)["SAMLMetadataDocument"] == document
    with pytest.raises(ClientError) as listing:
        bob.list_saml_providers()  # not in bob's policy
    assert listing.value.response["Error"]["Code"] == "AccessDenied"
    # The root user sees it, and GetAccountSummary counts it among the identity providers.
    assert [p["Arn"] for p in iam.list_saml_providers()["SAMLProviderList"]] == [ARN]
    assert iam.get_account_summary()["SummaryMap"]["Providers"] == 1
    bob.delete_saml_provider(SAMLProviderArn=ARN)
    assert iam.get_account_summary()["SummaryMap"]["Providers"] == 0

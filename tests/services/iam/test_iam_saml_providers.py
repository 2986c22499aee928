"""IAM SAML 2.0 identity providers, the eight operations through the whole request path
(boto3 in process: SigV4, parsing against botocore's model, authorization, handler).

AWS pages and recordings: the API reference pages CreateSAMLProvider, GetSAMLProvider,
ListSAMLProviders, UpdateSAMLProvider, DeleteSAMLProvider, TagSAMLProvider,
UntagSAMLProvider, ListSAMLProviderTags; "IAM and AWS STS quotas" (100 SAML providers in an
account); GetAccountSummary; AWS's answers recorded by LocalStack
(tests/aws/services/iam/test_iam_saml_providers.snapshot.json: GetSAMLProvider's members,
NoSuchEntity "Manifest not found for arn ..." for Get and Delete;
test_iam_account_summary.snapshot.json: one OIDC and one SAML provider raise Providers by 2);
the AWS CLI's get-saml-provider example (ValidUntil 100 years after CreateDate);
org-formation/aws-resource-providers#59 ("Provider with name ... already exists.").
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError, ParamValidationError
from inprocess_harness import client, open_app, root_keys, user_keys

from iamsandbox.server.app import App
from saml_metadata import METADATA_NS, idp_metadata, padded
from x509_material import pem_private, rsa_key

A = "111111111111"
B = "222222222222"
NAME = "ExampleCorpIdP"
ARN = f"arn:aws:iam::{A}:saml-provider/{NAME}"


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    made = open_app(tmp_path, A, B)
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
    document = idp_metadata()
    out = iam.create_saml_provider(Name=NAME, SAMLMetadataDocument=document)
    assert out["SAMLProviderArn"] == ARN  # "arn:aws:iam::123456789012:saml-provider/MyUniversity"
    assert "Tags" not in out  # AWS's recorded answer without tags: the ARN only
    got = iam.get_saml_provider(SAMLProviderArn=ARN)
    got.pop("ResponseMetadata")
    # The members AWS answered (recorded): AssertionEncryptionMode "Allowed", PrivateKeyList
    # and Tags empty lists, SAMLProviderUUID, CreateDate, ValidUntil, the document as given.
    assert set(got) == {
        "AssertionEncryptionMode",
        "CreateDate",
        "PrivateKeyList",
        "SAMLMetadataDocument",
        "SAMLProviderUUID",
        "Tags",
        "ValidUntil",
    }
    assert got["SAMLMetadataDocument"] == document
    assert got["AssertionEncryptionMode"] == "Allowed" and got["PrivateKeyList"] == [] and got["Tags"] == []
    assert re.fullmatch(r"[A-Z0-9]{22,64}", got["SAMLProviderUUID"])  # the model's privateKeyIdType
    # Metadata without validUntil: 100 years after creation (AWS CLI example: CreateDate
    # 2017-03-06T22:29:46, ValidUntil 2117-03-06T22:29:46.433).
    created, until = got["CreateDate"], got["ValidUntil"]
    assert (until.year - created.year, until.month, until.day) == (100, created.month, created.day)
    listed = iam.list_saml_providers()["SAMLProviderList"]
    assert listed == [{"Arn": ARN, "ValidUntil": until, "CreateDate": created}]  # SAMLProviderListEntry
    assert iam.delete_saml_provider(SAMLProviderArn=ARN)["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert iam.list_saml_providers()["SAMLProviderList"] == []
    for call in (iam.get_saml_provider, iam.delete_saml_provider):
        with pytest.raises(ClientError) as missing:
            call(SAMLProviderArn=ARN)
        # Recorded from AWS for both (DeleteSAMLProvider is not idempotent, nor is OIDC's).
        assert _error(missing) == ("NoSuchEntity", f"Manifest not found for arn {ARN}", 404)


def test_valid_until_comes_from_the_metadata(iam: Any) -> None:
    document = idp_metadata(valid_until="2031-06-30T12:00:00Z")
    iam.create_saml_provider(Name=NAME, SAMLMetadataDocument=document)
    got = iam.get_saml_provider(SAMLProviderArn=ARN)
    assert got["ValidUntil"] == datetime(2031, 6, 30, 12, 0, tzinfo=UTC)
    # UpdateSAMLProvider replaces the document, and ValidUntil with it.
    renewed = idp_metadata("https://idp2.example.com/saml", valid_until="2032-01-15T08:30:00Z")
    assert iam.update_saml_provider(SAMLProviderArn=ARN, SAMLMetadataDocument=renewed)["SAMLProviderArn"] == ARN
    got = iam.get_saml_provider(SAMLProviderArn=ARN)
    assert got["SAMLMetadataDocument"] == renewed and "idp2.example.com" in got["SAMLMetadataDocument"]
    assert got["ValidUntil"] == datetime(2032, 1, 15, 8, 30, tzinfo=UTC)
    iam.update_saml_provider(SAMLProviderArn=ARN, SAMLMetadataDocument=idp_metadata())
    got = iam.get_saml_provider(SAMLProviderArn=ARN)
    assert got["ValidUntil"].year == got["CreateDate"].year + 100
    assert iam.list_saml_providers()["SAMLProviderList"][0]["ValidUntil"] == got["ValidUntil"]


def test_one_provider_per_name(iam: Any) -> None:
    iam.create_saml_provider(Name=NAME, SAMLMetadataDocument=idp_metadata())
    with pytest.raises(ClientError) as again:
        iam.create_saml_provider(Name=NAME, SAMLMetadataDocument=idp_metadata("https://other.example.com/idp"))
    assert _error(again) == ("EntityAlreadyExists", f"Provider with name {NAME} already exists.", 409)
    assert len(iam.list_saml_providers()["SAMLProviderList"]) == 1


XXE = (
    '<?xml version="1.0"?>\n<!DOCTYPE md:EntityDescriptor [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    + idp_metadata().split("?>", 1)[1].replace("Example Corp</md:OrganizationName>", "&xxe;</md:OrganizationName>")
)


@pytest.mark.parametrize(
    "document",
    [
        padded("This is not XML at all. "),
        padded(json.dumps({"EntityDescriptor": {"IDPSSODescriptor": {}}})),
        padded("<md:EntityDescriptor xmlns:md='" + METADATA_NS + "'><md:IDPSSODescriptor>"),  # unclosed
        # A service provider's metadata, not an identity provider's.
        idp_metadata().replace("IDPSSODescriptor", "SPSSODescriptor"),
        # The right names in another namespace.
        idp_metadata().replace(METADATA_NS, "urn:example:not-saml-metadata"),
        # Another root: a SAML assertion is not metadata.
        padded(
            '<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_1" Version="2.0"'
            ' IssueInstant="2024-01-01T00:00:00Z"><saml:Issuer>https://idp.example.com</saml:Issuer></saml:Assertion>'
        ),
        idp_metadata(valid_until="next Tuesday"),
        idp_metadata(valid_until="9999-12-31T23:59:59-01:00"),  # past the last representable time
        XXE,  # an external entity: refused, never read
    ],
    ids=[
        "text",
        "json",
        "unclosed",
        "sp-metadata",
        "other-namespace",
        "assertion",
        "bad-valid-until",
        "valid-until-overflow",
        "xxe",
    ],
)
def test_a_document_that_is_not_idp_metadata_is_invalid_input(iam: Any, document: str) -> None:
    assert len(document) >= 1000
    with pytest.raises(ClientError) as refused:
        iam.create_saml_provider(Name=NAME, SAMLMetadataDocument=document)
    assert _error(refused) == ("InvalidInput", "Could not parse metadata", 400)  # wording unconfirmed
    assert iam.list_saml_providers()["SAMLProviderList"] == []
    iam.create_saml_provider(Name=NAME, SAMLMetadataDocument=idp_metadata())
    with pytest.raises(ClientError) as update:
        iam.update_saml_provider(SAMLProviderArn=ARN, SAMLMetadataDocument=document)
    assert _error(update)[0] == "InvalidInput"
    assert iam.get_saml_provider(SAMLProviderArn=ARN)["SAMLMetadataDocument"] == idp_metadata()


def test_model_constraints(app: App, iam: Any) -> None:
    # Name: [\w._-]+, 1 to 128 characters; SAMLMetadataDocument: 1,000 to 10,000,000
    # characters (CreateSAMLProvider). botocore checks lengths client-side; the server answers
    # ValidationError for what a client lets through.
    with pytest.raises(ParamValidationError):
        iam.create_saml_provider(Name=NAME, SAMLMetadataDocument="<x/>")
    unchecked = client(app, "iam", root_keys(app, A), validate=False)
    for name in ("my idp", "corp/idp", "idp:saml", "x" * 129, "idp+saml"):
        with pytest.raises(ClientError) as bad_name:
            unchecked.create_saml_provider(Name=name, SAMLMetadataDocument=idp_metadata())
        assert _error(bad_name)[0] == "ValidationError", name
    with pytest.raises(ClientError) as short:
        unchecked.create_saml_provider(Name=NAME, SAMLMetadataDocument="<x/>")
    assert _error(short)[0] == "ValidationError"
    for name in ("a", "Corp.IdP_2024-prod", "x" * 128):
        iam.create_saml_provider(Name=name, SAMLMetadataDocument=idp_metadata())
    assert len(iam.list_saml_providers()["SAMLProviderList"]) == 3


def test_missing_provider_for_every_operation(iam: Any) -> None:
    # Each page lists NoSuchEntity; AWS's words recorded for Get and Delete.
    missing = f"arn:aws:iam::{A}:saml-provider/Nobody"
    calls = [
        lambda: iam.update_saml_provider(SAMLProviderArn=missing, SAMLMetadataDocument=idp_metadata()),
        lambda: iam.tag_saml_provider(SAMLProviderArn=missing, Tags=[{"Key": "a", "Value": "b"}]),
        lambda: iam.untag_saml_provider(SAMLProviderArn=missing, TagKeys=["a"]),
        lambda: iam.list_saml_provider_tags(SAMLProviderArn=missing),
    ]
    for call in calls:
        with pytest.raises(ClientError) as raised:
            call()
        assert _error(raised) == ("NoSuchEntity", f"Manifest not found for arn {missing}", 404)


def test_another_accounts_provider_is_out_of_reach(app: App, iam: Any) -> None:
    iam.create_saml_provider(Name=NAME, SAMLMetadataDocument=idp_metadata())
    other = client(app, "iam", root_keys(app, B))
    # The ARN is account A's: a cross-account request, which no IAM resource policy allows.
    with pytest.raises(ClientError) as raised:
        other.get_saml_provider(SAMLProviderArn=ARN)
    assert _error(raised)[0] == "AccessDenied"
    assert other.list_saml_providers()["SAMLProviderList"] == []
    other.create_saml_provider(Name=NAME, SAMLMetadataDocument=idp_metadata())  # names are per account
    assert [p["Arn"] for p in other.list_saml_providers()["SAMLProviderList"]] == [
        f"arn:aws:iam::{B}:saml-provider/{NAME}"
    ]


def test_tags(iam: Any) -> None:
    out = iam.create_saml_provider(
        Name=NAME,
        SAMLMetadataDocument=idp_metadata(),
        Tags=[{"Key": "team", "Value": "ci"}, {"Key": "env", "Value": "dev"}],
    )
    # CreateSAMLProvider's Tags: "A list of tags that are attached to the new IAM SAML provider".
    assert sorted((t["Key"], t["Value"]) for t in out["Tags"]) == [("env", "dev"), ("team", "ci")]
    # GetSAMLProvider: "The returned list of tags is sorted by tag key", shorter keys first (the
    # AWS CLI Command Reference's get-saml-provider example: DeptID before Department).
    assert iam.get_saml_provider(SAMLProviderArn=ARN)["Tags"] == [
        {"Key": "env", "Value": "dev"},
        {"Key": "team", "Value": "ci"},
    ]
    # TagSAMLProvider: "If any one of the tags is already associated with the resource, the
    # new value overrides the old one."
    iam.tag_saml_provider(SAMLProviderArn=ARN, Tags=[{"Key": "team", "Value": "ops"}, {"Key": "cost", "Value": "7"}])
    tags = iam.list_saml_provider_tags(SAMLProviderArn=ARN)["Tags"]
    assert tags == [{"Key": "env", "Value": "dev"}, {"Key": "cost", "Value": "7"}, {"Key": "team", "Value": "ops"}]
    iam.untag_saml_provider(SAMLProviderArn=ARN, TagKeys=["team", "cost"])
    assert iam.list_saml_provider_tags(SAMLProviderArn=ARN)["Tags"] == [{"Key": "env", "Value": "dev"}]
    # Tags are the provider's: deleting it and creating it again starts without them.
    iam.delete_saml_provider(SAMLProviderArn=ARN)
    iam.create_saml_provider(Name=NAME, SAMLMetadataDocument=idp_metadata())
    assert iam.list_saml_provider_tags(SAMLProviderArn=ARN)["Tags"] == []
    with pytest.raises(ClientError) as reserved:
        iam.tag_saml_provider(SAMLProviderArn=ARN, Tags=[{"Key": "aws:team", "Value": "x"}])
    assert _error(reserved)[0] == "InvalidInput"  # "Tagging IAM resources": aws: is reserved


def test_providers_per_account_quota(iam: Any) -> None:
    # "IAM and AWS STS quotas": SAML providers in an AWS account, 100.
    document = idp_metadata()
    for i in range(100):
        iam.create_saml_provider(Name=f"idp-{i}", SAMLMetadataDocument=document)
    with pytest.raises(ClientError) as over:
        iam.create_saml_provider(Name="idp-100", SAMLMetadataDocument=document)
    code, _message, status = _error(over)
    assert (code, status) == ("LimitExceeded", 409)


def test_encryption_mode_and_private_keys(iam: Any) -> None:
    first, second = pem_private(rsa_key(2048, 31)), pem_private(rsa_key(2048, 32))
    out = iam.create_saml_provider(
        Name=NAME, SAMLMetadataDocument=idp_metadata(), AssertionEncryptionMode="Required", AddPrivateKey=first
    )
    assert "PRIVATE KEY" not in json.dumps(out, default=str)
    got = iam.get_saml_provider(SAMLProviderArn=ARN)
    assert got["AssertionEncryptionMode"] == "Required"
    [key] = got["PrivateKeyList"]  # SAMLPrivateKey: KeyId and Timestamp
    assert re.fullmatch(r"[A-Z0-9]{22,64}", key["KeyId"]) and isinstance(key["Timestamp"], datetime)
    assert "PRIVATE KEY" not in json.dumps(got, default=str)  # the key is never answered
    iam.update_saml_provider(SAMLProviderArn=ARN, AddPrivateKey=second)
    keys = iam.get_saml_provider(SAMLProviderArn=ARN)["PrivateKeyList"]
    assert [k["KeyId"] for k in keys][0] == key["KeyId"] and len({k["KeyId"] for k in keys}) == 2
    # The model's privateKeyList holds two keys.
    with pytest.raises(ClientError) as third:
        iam.update_saml_provider(SAMLProviderArn=ARN, AddPrivateKey=pem_private(rsa_key(2048, 33)))
    assert _error(third)[0] == "LimitExceeded"
    # "To rotate private keys, add your new private key and then remove the old key in a
    # separate request" (UpdateSAMLProvider).
    with pytest.raises(ClientError) as both:
        iam.update_saml_provider(SAMLProviderArn=ARN, AddPrivateKey=first, RemovePrivateKey=key["KeyId"])
    assert _error(both)[0] == "InvalidInput"
    iam.update_saml_provider(SAMLProviderArn=ARN, RemovePrivateKey=key["KeyId"], AssertionEncryptionMode="Allowed")
    got = iam.get_saml_provider(SAMLProviderArn=ARN)
    assert [k["KeyId"] for k in got["PrivateKeyList"]] == [keys[1]["KeyId"]]
    assert got["AssertionEncryptionMode"] == "Allowed"
    with pytest.raises(ClientError) as unknown:
        iam.update_saml_provider(SAMLProviderArn=ARN, RemovePrivateKey=key["KeyId"])
    assert _error(unknown)[0] == "InvalidInput"
    for not_a_key in ("not a key", pem_private(rsa_key(2048, 34), password=b"secret")):
        with pytest.raises(ClientError) as bad:
            iam.update_saml_provider(SAMLProviderArn=ARN, AddPrivateKey=not_a_key)
        assert _error(bad)[0] == "InvalidInput"


def test_trusted_identity_propagation_is_not_implemented(iam: Any) -> None:
    with pytest.raises(ClientError) as refused:
        iam.create_saml_provider(
            Name=NAME, SAMLMetadataDocument=idp_metadata(), ContextProvider={"SubjectSourceKey": "email"}
        )
    code, message, status = _error(refused)
    assert (code, status) == ("NotImplemented", 501) and "ContextProvider" in message
    assert iam.list_saml_providers()["SAMLProviderList"] == []


def test_account_summary_counts_oidc_and_saml_providers(iam: Any) -> None:
    before = iam.get_account_summary()["SummaryMap"]["Providers"]
    iam.create_open_id_connect_provider(Url="https://token.example.com", ClientIDList=["sts.amazonaws.com"])
    iam.create_saml_provider(Name=NAME, SAMLMetadataDocument=idp_metadata())
    # Recorded from AWS: creating one OIDC and one SAML provider raised Providers by 2.
    assert iam.get_account_summary()["SummaryMap"]["Providers"] - before == 2
    iam.delete_saml_provider(SAMLProviderArn=ARN)
    assert iam.get_account_summary()["SummaryMap"]["Providers"] - before == 1


def _allow(iam: Any, user: str, statement: dict[str, Any]) -> None:
    document = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", **statement}]}
    iam.put_user_policy(UserName=user, PolicyName="saml", PolicyDocument=json.dumps(document))


def test_authorization(app: App, iam: Any) -> None:
    alice = client(app, "iam", user_keys(app, A, "alice"))
    with pytest.raises(ClientError) as denied:
        alice.create_saml_provider(Name=NAME, SAMLMetadataDocument=idp_metadata())
    # AWS's AccessDenied format ("Access denied error message examples", IAM User Guide) on
    # the saml-provider ARN the Name makes (Service Authorization Reference: resource type
    # saml-provider, arn:${Partition}:iam::${Account}:saml-provider/${SamlProviderName}).
    assert _error(denied) == (
        "AccessDenied",
        f"User: arn:aws:iam::{A}:user/alice is not authorized to perform: iam:CreateSAMLProvider on resource:"
        f" {ARN} because no identity-based policy allows the iam:CreateSAMLProvider action",
        403,
    )
    _allow(
        iam,
        "alice",
        {
            "Action": ["iam:CreateSAMLProvider", "iam:GetSAMLProvider", "iam:UpdateSAMLProvider"],
            "Resource": f"arn:aws:iam::{A}:saml-provider/ExampleCorp*",
        },
    )
    alice.create_saml_provider(Name=NAME, SAMLMetadataDocument=idp_metadata())
    alice.get_saml_provider(SAMLProviderArn=ARN)
    alice.update_saml_provider(SAMLProviderArn=ARN, SAMLMetadataDocument=idp_metadata())
    with pytest.raises(ClientError) as elsewhere:
        alice.create_saml_provider(Name="OtherIdP", SAMLMetadataDocument=idp_metadata())
    assert _error(elsewhere)[0] == "AccessDenied"
    # Tags on create need iam:TagSAMLProvider as well (as CreateRole's need iam:TagRole).
    with pytest.raises(ClientError) as tagging:
        alice.create_saml_provider(
            Name=NAME + "2", SAMLMetadataDocument=idp_metadata(), Tags=[{"Key": "team", "Value": "ci"}]
        )
    assert "iam:TagSAMLProvider" in _error(tagging)[1]
    with pytest.raises(ClientError) as listing:
        alice.list_saml_providers()
    assert "iam:ListSAMLProviders" in _error(listing)[1] and _error(listing)[0] == "AccessDenied"
    with pytest.raises(ClientError) as delete:
        alice.delete_saml_provider(SAMLProviderArn=ARN)
    assert _error(delete)[1].startswith(
        f"User: arn:aws:iam::{A}:user/alice is not authorized to perform: iam:DeleteSAMLProvider on resource: {ARN}"
    )


def test_resource_tags_decide(app: App, iam: Any) -> None:
    # The Service Authorization Reference gives saml-provider aws:ResourceTag/${TagKey}.
    iam.create_saml_provider(Name=NAME, SAMLMetadataDocument=idp_metadata(), Tags=[{"Key": "team", "Value": "ci"}])
    iam.create_saml_provider(Name="Untagged", SAMLMetadataDocument=idp_metadata())
    bob = client(app, "iam", user_keys(app, A, "bob"))
    _allow(
        iam,
        "bob",
        {
            "Action": "iam:GetSAMLProvider",
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:ResourceTag/team": "ci"}},
        },
    )
    bob.get_saml_provider(SAMLProviderArn=ARN)
    with pytest.raises(ClientError) as denied:
        bob.get_saml_provider(SAMLProviderArn=f"arn:aws:iam::{A}:saml-provider/Untagged")
    assert _error(denied)[0] == "AccessDenied"

"""AssumeRoleWithSAML through the whole request path (boto3 in process, unsigned), with IdP
responses built and signed here (``saml_assertion``) against an IAM SAML provider whose
metadata carries the signing certificate (``saml_metadata``).

AWS pages: "AssumeRoleWithSAML" (STS API reference: unsigned; DurationSeconds default 3,600,
at most MaxSessionDuration, "or until the time specified in the SAML authentication
response's SessionNotOnOrAfter value, whichever is shorter"; Subject, SubjectType (the
nameid-format prefix removed), Issuer, Audience (the Recipient), NameQualifier in the
answer); "Configure SAML assertions for the authentication response" (Role, RoleSessionName,
SessionDuration, PrincipalTag, TransitiveTagKeys, SourceIdentity attributes; Recipient and
Audience); "SAML 2.0 federation" ("Uniquely identifying users": NameQualifier is
Base64(SHA1(issuer + account + "/" + provider name))); "Available keys for SAML-based AWS STS
federation" (saml:aud is the Recipient, saml:iss, saml:sub, saml:sub_type, saml:doc,
saml:edupersonaffiliation ...); "Troubleshoot SAML federation with IAM" (the error words
asserted here); "Pass session tags in AWS STS". Messages marked unconfirmed in
services/sts/saml.py are asserted by code only.
"""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError
from inprocess_harness import client, root_keys
from saml_world import ISSUER, ROLE, A, B, SamlWorld

from iamsandbox.server.app import App
from saml_assertion import ATTRIBUTES, encoded, other_key, response_xml, sign, signed_response
from saml_metadata import idp_metadata

DENIED = "Not authorized to perform sts:AssumeRoleWithSAML"


class World(SamlWorld):
    def role(self, condition: dict[str, Any] | None = None, actions: list[str] | None = None, **extra: Any) -> str:
        """A role trusting the provider, with AmazonS3ReadOnlyAccess."""
        arn = super().role(condition, actions, **extra)
        self.iam.attach_role_policy(RoleName=ROLE, PolicyArn="arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")
        return arn

    def assertion(self, role_arn: str, **fields: Any) -> str:
        return signed_response(issuer=ISSUER, role_arn=role_arn, provider_arn=self.provider, **fields)

    def session(self, out: dict[str, Any], service: str) -> Any:
        creds = out["Credentials"]
        keys = {"aws_access_key_id": creds["AccessKeyId"], "aws_secret_access_key": creds["SecretAccessKey"]}
        return client(self.app, service, keys, token=creds["SessionToken"])


@pytest.fixture
def world(app: App) -> World:
    return World(app)


def test_signed_assertion_gives_a_role_session(world: World) -> None:
    """AssumeRoleWithSAML (STS API reference): the answer's members; the session acts as the
    role (GetCallerIdentity's assumed-role ARN, the role's S3 read access and no write)."""
    role_arn = world.role()
    out = world.assume(role_arn, world.assertion(role_arn))
    assert out["AssumedRoleUser"]["Arn"] == f"arn:aws:sts::{A}:assumed-role/{ROLE}/alice"
    assert out["AssumedRoleUser"]["AssumedRoleId"].endswith(":alice")
    assert out["Credentials"]["AccessKeyId"].startswith("ASIA")
    assert out["Subject"] == "_cbb88bf52c2510eabe00c1642d4643f41430fe25e3"
    assert out["SubjectType"] == "persistent"  # the nameid-format prefix removed
    assert out["Issuer"] == ISSUER
    assert out["Audience"] == "https://signin.aws.amazon.com/saml"  # the Recipient
    # "Base64 ( SHA1 ( "https://example.com/saml" + "123456789012" + "/MySAMLIdP" ) )"
    expected = base64.b64encode(hashlib.sha1(f"{ISSUER}{A}/ExampleIdP".encode()).digest()).decode()
    assert out["NameQualifier"] == expected
    assert "PackedPolicySize" not in out and "SourceIdentity" not in out
    lasting = out["Credentials"]["Expiration"] - datetime.now(UTC)
    assert timedelta(minutes=58) < lasting <= timedelta(hours=1)  # the default 3,600 seconds
    identity = world.session(out, "sts").get_caller_identity()
    assert identity["Arn"] == f"arn:aws:sts::{A}:assumed-role/{ROLE}/alice"
    root_s3 = client(world.app, "s3", root_keys(world.app, A))
    root_s3.create_bucket(Bucket="saml-data")
    root_s3.put_object(Bucket="saml-data", Key="k", Body=b"v")
    s3 = world.session(out, "s3")
    assert s3.head_object(Bucket="saml-data", Key="k")["ContentLength"] == 1
    assert [item["Key"] for item in s3.list_objects_v2(Bucket="saml-data")["Contents"]] == ["k"]
    with pytest.raises(ClientError) as raised:
        s3.put_object(Bucket="saml-data", Key="w", Body=b"x")
    assert raised.value.response["Error"]["Code"] == "AccessDenied"


def test_signed_response_and_reversed_role_pair(world: World) -> None:
    """ "Configure SAML assertions ...": the Role value is a comma-delimited pair of ARNs; IdPs
    write it in either order. A response signed as a whole is as good as a signed assertion."""
    role_arn = world.role()
    assertion = encoded(
        sign(
            response_xml(
                issuer=ISSUER,
                role_arn=role_arn,
                provider_arn=world.provider,
                role_values=[f"{world.provider},{role_arn}"],
            ),
            what="response",
        )
    )
    assert world.assume(role_arn, assertion)["AssumedRoleUser"]["Arn"].endswith("/alice")


def test_trust_policy_conditions_on_saml_keys(world: World) -> None:
    """ "SAML 2.0 federation"'s example trust policy: saml:aud (the Recipient), saml:iss and
    ForAllValues:StringLike on saml:edupersonaffiliation; saml:doc is ACCOUNT/PROVIDER."""
    role_arn = world.role(
        {
            "StringEquals": {
                "SAML:aud": "https://signin.aws.amazon.com/saml",
                "SAML:iss": ISSUER,
                "SAML:doc": f"{A}/ExampleIdP",
                "SAML:sub_type": "persistent",
            },
            "ForAllValues:StringLike": {"SAML:edupersonaffiliation": ["staff"]},
            "ForAnyValue:StringLike": {"SAML:edupersonaffiliation": ["*"]},
        }
    )
    staff = {"urn:oid:1.3.6.1.4.1.5923.1.1.1.1": ["staff"]}
    assert world.assume(role_arn, world.assertion(role_arn, attributes=staff))["Subject"]
    student = {"urn:oid:1.3.6.1.4.1.5923.1.1.1.1": ["staff", "student"]}
    assert world.refused(role_arn, world.assertion(role_arn, attributes=student)) == ("AccessDenied", DENIED, 403)


def test_trust_policy_without_the_provider_refuses(world: World) -> None:
    """A role trusting only an account is not assumable with SAML: a federated principal is
    named by its provider ("IAM JSON policy elements: Principal"); AWS's denial reads "Not
    authorized to perform sts:AssumeRoleWithSAML" ("Troubleshoot SAML federation with IAM")."""
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{A}:root"}, "Action": "sts:AssumeRoleWithSAML"}
        ],
    }
    role_arn = world.iam.create_role(RoleName="other", AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    assert world.refused(role_arn, world.assertion(role_arn)) == ("AccessDenied", DENIED, 403)


def test_tampered_unsigned_and_foreign_signatures(world: World) -> None:
    """ "Error: Response signature invalid (... error code: InvalidIdentityToken)"."""
    role_arn = world.role()
    signed = sign(response_xml(issuer=ISSUER, role_arn=role_arn, provider_arn=world.provider))
    tampered = signed.replace(b"<saml:AttributeValue>alice<", b"<saml:AttributeValue>mallory<")
    assert tampered != signed
    expected = ("InvalidIdentityToken", "Response signature invalid", 400)
    assert world.refused(role_arn, encoded(tampered)) == expected
    assert world.refused(role_arn, world.assertion(role_arn, key=other_key())) == expected
    unsigned = encoded(response_xml(issuer=ISSUER, role_arn=role_arn, provider_arn=world.provider))
    assert world.refused(role_arn, unsigned) == expected


def test_wrapped_assertion_is_refused(world: World) -> None:
    """A signature-wrapping attempt: a second, unsigned assertion beside the signed one must
    not be read (only what the signature covers counts)."""
    role_arn = world.role()
    signed = sign(response_xml(issuer=ISSUER, role_arn=role_arn, provider_arn=world.provider))
    start = signed.index(b"<saml:Assertion")
    end = signed.index(b"</saml:Assertion>") + len(b"</saml:Assertion>")
    forged = signed[start:end].replace(b"alice", b"mallory")
    wrapped = signed[:start] + forged + signed[start:]
    code, _message, status = world.refused(role_arn, encoded(wrapped))
    assert (code, status) == ("InvalidIdentityToken", 400)


def test_expired_and_not_yet_valid(world: World) -> None:
    """Conditions NotOnOrAfter and SubjectConfirmationData NotOnOrAfter: ExpiredTokenException
    "Response has expired" (AWS's answer quoted in Versent/saml2aws#759); NotBefore ahead."""
    role_arn = world.role()
    past = datetime.now(UTC) - timedelta(minutes=10)
    expired = world.assertion(role_arn, now=past)
    assert world.refused(role_arn, expired) == ("ExpiredTokenException", "Response has expired", 400)
    confirmation_expired = world.assertion(role_arn, confirmation_lifetime=timedelta(seconds=-1))
    assert world.refused(role_arn, confirmation_expired)[0] == "ExpiredTokenException"
    early = world.assertion(role_arn, not_before=timedelta(minutes=10))
    assert world.refused(role_arn, early)[0] == "InvalidIdentityToken"  # wording unconfirmed


def test_wrong_audience_and_recipient(world: World) -> None:
    """ "Configure SAML assertions ...": the Audience is https://signin.aws.amazon.com/saml or
    urn:amazon:webservices ("Error: Response does not contain the required audience."), and
    the Recipient must match AWS's endpoint."""
    role_arn = world.role()
    assert world.assume(role_arn, world.assertion(role_arn, audience="urn:amazon:webservices"))
    wrong = world.assertion(role_arn, audience="https://app.example.com/")
    assert world.refused(role_arn, wrong)[:2] == (
        "InvalidIdentityToken",
        "Response does not contain the required audience.",
    )
    assert world.refused(role_arn, world.assertion(role_arn, recipient="https://app.example.com/acs"))[0] == (
        "InvalidIdentityToken"
    )


def test_missing_and_expired_provider(world: World) -> None:
    """ "Error: Specified provider doesn't exist."; a provider whose metadata's validUntil has
    passed (its ValidUntil, GetSAMLProvider) no longer vouches (code and words unconfirmed)."""
    role_arn = world.role()
    missing = f"arn:aws:iam::{A}:saml-provider/Nobody"
    with pytest.raises(ClientError) as raised:
        world.assume(role_arn, world.assertion(role_arn), provider=missing)
    assert raised.value.response["Error"]["Message"] == "Specified provider doesn't exist."
    old = world.iam.create_saml_provider(
        Name="Old", SAMLMetadataDocument=idp_metadata(ISSUER, valid_until="2020-01-01T00:00:00Z")
    )["SAMLProviderArn"]
    assertion = signed_response(issuer=ISSUER, role_arn=role_arn, provider_arn=old)
    with pytest.raises(ClientError) as raised:
        world.assume(role_arn, assertion, provider=old)
    assert raised.value.response["Error"]["Code"] == "InvalidIdentityToken"


def test_issuer_must_be_the_providers(world: World) -> None:
    """ "Error: Failed to assume role: Issuer not present in specified provider"."""
    role_arn = world.role()
    other = signed_response(issuer="https://other.example.com/saml", role_arn=role_arn, provider_arn=world.provider)
    assert world.refused(role_arn, other)[:2] == ("InvalidIdentityToken", "Issuer not present in specified provider")


def test_role_attribute_must_name_the_pair(world: World) -> None:
    """ "Error: Not authorized to perform sts:AssumeRoleWithSAML (... status code: 403; error
    code: AccessDenied)": the role in the SAML response is not the one asked for."""
    role_arn = world.role()
    other_role = f"arn:aws:iam::{A}:role/elsewhere"
    assertion = world.assertion(role_arn, role_values=[f"{other_role},{world.provider}"])
    assert world.refused(role_arn, assertion) == ("AccessDenied", DENIED, 403)
    no_name = world.assertion(role_arn, name_id=None)  # "does not include a Subject containing a NameID"
    assert world.refused(role_arn, no_name) == ("AccessDenied", DENIED, 403)


def test_role_session_name_attribute(world: World) -> None:
    """ "Error: RoleSessionName is required in AuthnResponse" and "RoleSessionName in
    AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}" (InvalidIdentityToken, 400)."""
    role_arn = world.role()
    assert world.refused(role_arn, world.assertion(role_arn, session_name=None)) == (
        "InvalidIdentityToken",
        "RoleSessionName is required in AuthnResponse",
        400,
    )
    assert world.refused(role_arn, world.assertion(role_arn, session_name="John Doe")) == (
        "InvalidIdentityToken",
        "RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}",
        400,
    )


def test_duration(world: World) -> None:
    """DurationSeconds up to MaxSessionDuration ("The requested DurationSeconds exceeds the
    MaxSessionDuration set for this role.", recorded in Nike-Inc/gimme-aws-creds#54); the
    SessionDuration attribute and SessionNotOnOrAfter shorten it."""
    role_arn = world.role(MaxSessionDuration=7200)
    out = world.assume(role_arn, world.assertion(role_arn), DurationSeconds=7200)
    assert out["Credentials"]["Expiration"] - datetime.now(UTC) > timedelta(minutes=115)
    code, message, _ = world.refused(role_arn, world.assertion(role_arn), DurationSeconds=7201)
    assert (code, message) == (
        "ValidationError",
        "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
    )
    short = world.assertion(role_arn, attributes={ATTRIBUTES + "SessionDuration": ["1800"]})
    lasting = world.assume(role_arn, short)["Credentials"]["Expiration"] - datetime.now(UTC)
    assert timedelta(minutes=28) < lasting <= timedelta(minutes=30)
    ending = world.assertion(role_arn, session_not_on_or_after=timedelta(minutes=20))
    lasting = world.assume(role_arn, ending)["Credentials"]["Expiration"] - datetime.now(UTC)
    assert timedelta(minutes=18) < lasting <= timedelta(minutes=20)


def test_session_policy_packs(world: World) -> None:
    """Session policies cap the role's permissions and PackedPolicySize is answered
    (AssumeRoleWithSAML, Policy and PackedPolicySize)."""
    role_arn = world.role()
    policy = json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"}]}
    )
    out = world.assume(role_arn, world.assertion(role_arn), Policy=policy)
    assert isinstance(out["PackedPolicySize"], int)
    s3 = world.session(out, "s3")
    s3.list_buckets()
    root_s3 = client(world.app, "s3", root_keys(world.app, A))
    root_s3.create_bucket(Bucket="capped")
    root_s3.put_object(Bucket="capped", Key="k", Body=b"v")
    with pytest.raises(ClientError):
        s3.head_object(Bucket="capped", Key="k")


def test_session_tags_need_tag_session(world: World) -> None:
    """ "Configure SAML assertions ...": PrincipalTag:KEY attributes become session tags,
    TransitiveTagKeys transitive ones; the trust policy must also allow sts:TagSession, else
    "Not authorized to perform sts:AssumeRoleWithSAML" ("Troubleshoot SAML federation")."""
    tags = {ATTRIBUTES + "PrincipalTag:Project": ["Marketing"], ATTRIBUTES + "TransitiveTagKeys": ["Project"]}
    role_arn = world.role()
    assert world.refused(role_arn, world.assertion(role_arn, attributes=tags)) == ("AccessDenied", DENIED, 403)
    world.iam.detach_role_policy(RoleName=ROLE, PolicyArn="arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")
    world.iam.delete_role(RoleName=ROLE)
    role_arn = world.role(
        {"StringEquals": {"aws:RequestTag/Project": "Marketing"}},
        actions=["sts:AssumeRoleWithSAML", "sts:TagSession"],
    )
    out = world.assume(role_arn, world.assertion(role_arn, attributes=tags))
    assert out["PackedPolicySize"] >= 0
    # The tag is the session's principal tag: an S3 bucket policy on aws:PrincipalTag sees it.
    root_s3 = client(world.app, "s3", root_keys(world.app, A))
    root_s3.create_bucket(Bucket="tagged")
    world.iam.put_role_policy(
        RoleName=ROLE,
        PolicyName="deny-untagged",
        PolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Deny",
                        "Action": "s3:ListBucket",
                        "Resource": "*",
                        "Condition": {"StringNotEquals": {"aws:PrincipalTag/Project": "Marketing"}},
                    }
                ],
            }
        ),
    )
    world.session(out, "s3").list_objects_v2(Bucket="tagged")


def test_source_identity_needs_set_source_identity(world: World) -> None:
    """ "Configure SAML assertions ...": SourceIdentity; the trust policy must allow
    sts:SetSourceIdentity; "Source Identity must match [a-zA-Z_0-9+=,.@-]{2,64} and not begin
    with "aws:"" (InvalidIdentityToken)."""
    role_arn = world.role(actions=["sts:AssumeRoleWithSAML", "sts:SetSourceIdentity"])
    source = {ATTRIBUTES + "SourceIdentity": ["DiegoRamirez"]}
    out = world.assume(role_arn, world.assertion(role_arn, attributes=source))
    assert out["SourceIdentity"] == "DiegoRamirez"
    bad = world.assertion(role_arn, attributes={ATTRIBUTES + "SourceIdentity": ["aws:me"]})
    assert world.refused(role_arn, bad) == (
        "InvalidIdentityToken",
        'Source Identity must match [a-zA-Z_0-9+=,.@-]{2,64} and not begin with "aws:"',
        400,
    )


def test_idp_failure_status(world: World) -> None:
    """A response whose Status is not Success: "The identity provider (IdP) reported that
    authentication failed" (IDPRejectedClaimException, STS API reference; 403 in botocore's model)."""
    role_arn = world.role()
    failed = world.assertion(role_arn, status="urn:oasis:names:tc:SAML:2.0:status:Responder")
    code, _message, status = world.refused(role_arn, failed)
    assert (code, status) == ("IDPRejectedClaim", 403)


def test_doctype_and_encrypted_assertions_refused(world: World) -> None:
    """No DTD is read (entity expansion); EncryptedAssertion is not implemented here (README)."""
    role_arn = world.role()
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]>'
        b'<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">&a;</samlp:Response>'
    )
    assert world.refused(role_arn, encoded(bomb))[0] == "InvalidIdentityToken"
    encrypted = response_xml(issuer=ISSUER, role_arn=role_arn, provider_arn=world.provider)
    start = encrypted.index(b"<saml:Assertion")
    end = encrypted.index(b"</saml:Assertion>") + len(b"</saml:Assertion>")
    encrypted = encrypted[:start] + b"<saml:EncryptedAssertion><x/></saml:EncryptedAssertion>" + encrypted[end:]
    code, _message, status = world.refused(role_arn, encoded(encrypted))
    assert (code, status) == ("NotImplemented", 501)


def test_provider_in_another_account(world: World, app: App) -> None:
    """The provider and the role belong to one account (the SAML provider is "in IAM" of the
    role's account, "Create a role for a third-party identity provider"); wording unconfirmed."""
    role_arn = world.role()
    iam_b = client(app, "iam", root_keys(app, B))
    other = iam_b.create_saml_provider(Name="ExampleIdP", SAMLMetadataDocument=idp_metadata(ISSUER))["SAMLProviderArn"]
    assertion = signed_response(issuer=ISSUER, role_arn=role_arn, provider_arn=other)
    with pytest.raises(ClientError) as raised:
        world.assume(role_arn, assertion, provider=other)
    assert raised.value.response["Error"]["Code"] == "ValidationError"

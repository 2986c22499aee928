"""SAML 2.0 authentication responses for the AssumeRoleWithSAML tests, built and signed here
with signxml as an identity provider would send them ("Configure SAML assertions for the
authentication response", IAM User Guide): a samlp:Response holding one saml:Assertion with
Issuer, Subject (NameID and one bearer SubjectConfirmation whose Recipient is AWS's sign-in
endpoint), Conditions (an AudienceRestriction naming AWS), an AuthnStatement and the AWS
attributes (Role, RoleSessionName, ...). The signing key is the one whose self-signed
certificate ``saml_metadata.idp_metadata`` publishes (``x509_material.rsa_key(2048, 30)``)."""

from __future__ import annotations

import base64
import uuid
from datetime import UTC, datetime, timedelta

from cryptography.hazmat.primitives.asymmetric import rsa
from lxml import etree
from signxml import methods
from signxml.algorithms import CanonicalizationMethod
from signxml.signer import XMLSigner

from saml_metadata import signing_certificate
from x509_material import certificate, pem_private, rsa_key

PROTOCOL = "urn:oasis:names:tc:SAML:2.0:protocol"
ASSERTION = "urn:oasis:names:tc:SAML:2.0:assertion"
SIGN_IN = "https://signin.aws.amazon.com/saml"
ATTRIBUTES = "https://aws.amazon.com/SAML/Attributes/"
PERSISTENT = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"
SUCCESS = "urn:oasis:names:tc:SAML:2.0:status:Success"


def idp_key() -> rsa.RSAPrivateKey:
    """The key of ``saml_metadata``'s signing certificate."""
    return rsa_key(2048, 30)


def other_key() -> rsa.RSAPrivateKey:
    return rsa_key(2048, 31)


def _stamp(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def response_xml(
    *,
    issuer: str,
    role_arn: str,
    provider_arn: str,
    session_name: str | None = "alice",
    name_id: str | None = "_cbb88bf52c2510eabe00c1642d4643f41430fe25e3",
    name_id_format: str | None = PERSISTENT,
    recipient: str = SIGN_IN,
    audience: str = SIGN_IN,
    now: datetime | None = None,
    not_before: timedelta = timedelta(minutes=-1),
    lifetime: timedelta = timedelta(minutes=5),
    confirmation_lifetime: timedelta | None = None,
    session_not_on_or_after: timedelta | None = None,
    attributes: dict[str, list[str]] | None = None,
    role_values: list[str] | None = None,
    status: str = SUCCESS,
) -> bytes:
    """An unsigned samlp:Response (times relative to ``now``)."""
    now = now or datetime.now(UTC)
    response_id, assertion_id = f"_{uuid.uuid4().hex}", f"_{uuid.uuid4().hex}"
    confirmation_until = now + (confirmation_lifetime if confirmation_lifetime is not None else lifetime)
    values = role_values if role_values is not None else [f"{role_arn},{provider_arn}"]
    all_attributes: dict[str, list[str]] = {ATTRIBUTES + "Role": values}
    if session_name is not None:
        all_attributes[ATTRIBUTES + "RoleSessionName"] = [session_name]
    all_attributes.update(attributes or {})
    attribute_xml = "".join(
        f'<saml:Attribute Name="{name}">'
        + "".join(f"<saml:AttributeValue>{value}</saml:AttributeValue>" for value in vals)
        + "</saml:Attribute>"
        for name, vals in all_attributes.items()
    )
    subject_name = ""
    if name_id is not None:
        fmt = f' Format="{name_id_format}"' if name_id_format else ""
        subject_name = f"<saml:NameID{fmt}>{name_id}</saml:NameID>"
    session_end = f' SessionNotOnOrAfter="{_stamp(now + session_not_on_or_after)}"' if session_not_on_or_after else ""
    text = f"""<samlp:Response xmlns:samlp="{PROTOCOL}" xmlns:saml="{ASSERTION}" ID="{response_id}" Version="2.0"
    IssueInstant="{_stamp(now)}" Destination="{recipient}">
  <saml:Issuer>{issuer}</saml:Issuer>
  <samlp:Status><samlp:StatusCode Value="{status}"/></samlp:Status>
  <saml:Assertion ID="{assertion_id}" Version="2.0" IssueInstant="{_stamp(now)}">
    <saml:Issuer>{issuer}</saml:Issuer>
    <saml:Subject>
      {subject_name}
      <saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">
        <saml:SubjectConfirmationData NotOnOrAfter="{_stamp(confirmation_until)}" Recipient="{recipient}"/>
      </saml:SubjectConfirmation>
    </saml:Subject>
    <saml:Conditions NotBefore="{_stamp(now + not_before)}" NotOnOrAfter="{_stamp(now + lifetime)}">
      <saml:AudienceRestriction><saml:Audience>{audience}</saml:Audience></saml:AudienceRestriction>
    </saml:Conditions>
    <saml:AuthnStatement AuthnInstant="{_stamp(now)}"{session_end}>
      <saml:AuthnContext>
        <saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef>
      </saml:AuthnContext>
    </saml:AuthnStatement>
    <saml:AttributeStatement>{attribute_xml}</saml:AttributeStatement>
  </saml:Assertion>
</samlp:Response>"""
    return text.encode()


def sign(
    document: bytes, *, what: str = "assertion", key: rsa.RSAPrivateKey | None = None, host: str = "idp.example.com"
) -> bytes:
    """``document`` with its Assertion (``what="assertion"``) or Response signed (RSA-SHA256,
    exclusive c14n, enveloped, the signature after the Issuer as the SAML schema places it)."""
    key = key or idp_key()
    cert = _pem(signing_certificate(host)) if key is idp_key() else _cert_of(key)
    root = etree.fromstring(document)
    target = root if what == "response" else root.find(f"{{{ASSERTION}}}Assertion")
    signer = XMLSigner(
        method=methods.enveloped,
        signature_algorithm="rsa-sha256",
        digest_algorithm="sha256",
        c14n_algorithm=CanonicalizationMethod.EXCLUSIVE_XML_CANONICALIZATION_1_0,
    )
    signed = signer.sign(
        etree.fromstring(etree.tostring(target)),
        key=pem_private(key).encode(),
        cert=cert,
        reference_uri=target.get("ID"),
    )
    signature = signed.find("{http://www.w3.org/2000/09/xmldsig#}Signature")
    signed.remove(signature)
    issuer = signed.find(f"{{{ASSERTION}}}Issuer")
    issuer.addnext(signature)
    if what == "response":
        return etree.tostring(signed)
    parent = target.getparent()
    parent.replace(target, signed)
    return etree.tostring(root)


def _pem(body: str) -> str:
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return "-----BEGIN CERTIFICATE-----\n" + "\n".join(lines) + "\n-----END CERTIFICATE-----\n"


def _cert_of(key: rsa.RSAPrivateKey) -> str:
    return certificate(key, "attacker.example.com")


def encoded(document: bytes) -> str:
    """SAMLAssertion: the base64 of the response."""
    return base64.b64encode(document).decode()


def signed_response(*, what: str = "assertion", key: rsa.RSAPrivateKey | None = None, **fields: object) -> str:
    """A signed response, base64-encoded, as a client passes it to AssumeRoleWithSAML."""
    return encoded(sign(response_xml(**fields), what=what, key=key))  # type: ignore[arg-type]

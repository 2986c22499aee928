"""Known attacks on SAML service providers, aimed at AssumeRoleWithSAML (in process, unsigned
boto3, IdP responses signed here with signxml by ``saml_assertion``'s key or an attacker's).

Every attack must be refused with an AWS error (4xx, never InternalFailure / 500) and give no
session. AWS pages: "AssumeRoleWithSAML" (STS API reference: SAMLAssertion's length 4 to
100,000; "Your role session lasts for the duration that you specify for the DurationSeconds
parameter, or until the time specified in the SAML authentication response's
SessionNotOnOrAfter value, whichever is shorter"; "If you specify a value higher than this
setting, the operation fails"); IAM User Guide "Configure SAML assertions for the
authentication response" (exactly one SubjectConfirmation with NotOnOrAfter and Recipient;
Audience; the Role attribute "contains one or more AttributeValue elements that list the IAM
role and SAML identity provider pairs", each "a comma-delimited pair of ARNs"; the
SessionDuration attribute) and "Troubleshoot SAML federation with IAM" ("Response signature
invalid", InvalidIdentityToken; "Not authorized to perform sts:AssumeRoleWithSAML",
AccessDenied 403; "Issuer not present in specified provider").

Attack sources: Somorovsky et al., "On Breaking SAML: Be Whoever You Want to Be" (USENIX
Security 2012: the XSW1-XSW8 signature-wrapping variants); Duo Labs, "Duo Finds SAML
Vulnerabilities Affecting Multiple Implementations" (2018, CVE-2017-11427 ff.: a comment in
NameID truncates what a DOM's first text node reads); OWASP "XML External Entity (XXE)
Processing" and "XML Security Cheat Sheet" (entities, DOCTYPE, external references, XSLT);
the "HMAC key confusion" class (CVE-2015-9235 for JWT; for XML-DSig, W3C "XML Signature Best
Practices", section 2.1 "Trust the key, not the KeyInfo"); the XML-DSig "Best Practices"
also for Reference URIs to other documents and transforms.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding
from inprocess_harness import client, root_keys
from lxml import etree
from saml_world import ISSUER, ROLE, A, B, SamlWorld
from signxml import methods
from signxml.algorithms import CanonicalizationMethod, DigestAlgorithm, SignatureMethod
from signxml.signer import XMLSigner
from signxml.verifier import SignatureConfiguration, XMLVerifier

from iamsandbox.server.app import App
from saml_assertion import (
    ASSERTION,
    ATTRIBUTES,
    PROTOCOL,
    encoded,
    idp_key,
    other_key,
    response_xml,
    sign,
)
from saml_metadata import signing_certificate
from x509_material import certificate, pem_private

DENIED = ("AccessDenied", "Not authorized to perform sts:AssumeRoleWithSAML", 403)
DS = "http://www.w3.org/2000/09/xmldsig#"
SPKI = serialization.PublicFormat.SubjectPublicKeyInfo
DSIG11 = "http://www.w3.org/2009/xmldsig11#"
EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"
INVALID = "InvalidIdentityToken"


class World(SamlWorld):
    def __init__(self, app: App) -> None:
        super().__init__(app)
        self.raw_sts = client(app, "sts", validate=False)

    def xml(self, role_arn: str, provider: str | None = None, **fields: Any) -> bytes:
        """The unsigned response."""
        return response_xml(issuer=ISSUER, role_arn=role_arn, provider_arn=provider or self.provider, **fields)

    def signed(self, role_arn: str, what: str = "assertion", **fields: Any) -> bytes:
        return sign(self.xml(role_arn, **fields), what=what)

    def invalid(self, role_arn: str, assertion: str | bytes, **params: Any) -> None:
        """Refused as an invalid token: InvalidIdentityToken, 400 ("Troubleshoot SAML ...")."""
        code, message, status = self.refused(role_arn, assertion, **params)
        assert (code, status) == (INVALID, 400), (code, message, status)


@pytest.fixture
def world(app: App) -> World:
    return World(app)


# -- helpers: XML surgery ------------------------------------------------------------------


def q(namespace: str, name: str) -> str:
    return f"{{{namespace}}}{name}"


def parsed(document: bytes) -> Any:
    return etree.fromstring(document)


def the_assertion(root: Any) -> Any:
    return root.find(q(ASSERTION, "Assertion"))


def forged(assertion: Any, session_name: str = "mallory") -> Any:
    """An unsigned copy of ``assertion`` naming another session (and without its signature)."""
    evil = copy.deepcopy(assertion)
    for signature in evil.findall(q(DS, "Signature")):
        evil.remove(signature)
    for value in evil.iter(q(ASSERTION, "AttributeValue")):
        if value.text == "alice":
            value.text = session_name
    return evil


def resign(signature: Any, key: Any = None, algorithm: Any = None) -> None:
    """Sign ``signature``'s SignedInfo again with the IdP's key (RSA-SHA256 over its exclusive
    canonical form), so an edited SignedInfo is one the provider's key vouches for: the
    refusal then comes from what it says, not from a broken signature."""
    signed_info = signature.find(q(DS, "SignedInfo"))
    data = etree.tostring(signed_info, method="c14n", exclusive=True, with_comments=False)
    value = (key or idp_key()).sign(data, padding.PKCS1v15(), algorithm or hashes.SHA256())
    signature.find(q(DS, "SignatureValue")).text = base64.b64encode(value).decode()


def signed_with(
    document: bytes,
    *,
    key: Any,
    cert: str | None = None,
    signature_algorithm: str = "rsa-sha256",
    digest_algorithm: str = "sha256",
    what: str = "assertion",
) -> bytes:
    """``document`` with its Assertion (or Response) signed by ``key`` with the given algorithms,
    the signature placed after the Issuer; without ``cert`` signxml writes the key's KeyValue."""
    root = parsed(document)
    target = root if what == "response" else the_assertion(root)
    signer = XMLSigner(
        method=methods.enveloped,
        signature_algorithm=signature_algorithm,
        digest_algorithm=digest_algorithm,
        c14n_algorithm=CanonicalizationMethod.EXCLUSIVE_XML_CANONICALIZATION_1_0,
    )
    signed = signer.sign(etree.fromstring(etree.tostring(target)), key=key, cert=cert, reference_uri=target.get("ID"))
    signature = signed.find(q(DS, "Signature"))
    signed.remove(signature)
    signed.find(q(ASSERTION, "Issuer")).addnext(signature)
    if what == "response":
        return bytes(etree.tostring(signed))
    root.replace(target, signed)
    return bytes(etree.tostring(root))


def pem_key(key: Any) -> bytes:
    return pem_private(key).encode()


def metadata_cert_pem() -> str:
    body = signing_certificate("idp.example.com")
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return "-----BEGIN CERTIFICATE-----\n" + "\n".join(lines) + "\n-----END CERTIFICATE-----\n"


# -- the controls: the helpers above give a session when nothing is wrong ----------------------


def test_controls_resigned_and_custom_signed_responses_are_accepted(world: World) -> None:
    """The refusals below are meaningful only if these helpers make responses AWS would take:
    re-signing an unchanged SignedInfo, and ``signed_with`` with the IdP's key and cert."""
    role_arn = world.role()
    root = parsed(world.signed(role_arn))
    resign(the_assertion(root).find(q(DS, "Signature")))
    assert world.assume(role_arn, encoded(etree.tostring(root)))["AssumedRoleUser"]["Arn"].endswith("/alice")
    custom = signed_with(world.xml(role_arn), key=pem_key(idp_key()), cert=metadata_cert_pem())
    assert world.assume(role_arn, encoded(custom))["AssumedRoleUser"]["Arn"].endswith("/alice")


# -- XML signature wrapping (Somorovsky et al. 2012, XSW1-XSW8) ---------------------------------


@pytest.mark.parametrize("where", ["before", "after"])
def test_xsw_second_assertion_beside_the_signed_one(world: World, where: str) -> None:
    """XSW3/XSW4: an unsigned assertion (same ID or a new one) beside the signed one."""
    role_arn = world.role()
    for same_id in (True, False):
        root = parsed(world.signed(role_arn))
        signed = the_assertion(root)
        evil = forged(signed)
        if not same_id:
            evil.set("ID", "_evil")
        (signed.addprevious if where == "before" else signed.addnext)(evil)
        world.invalid(role_arn, etree.tostring(root))


def test_xsw_signed_assertion_moved_into_extensions(world: World) -> None:
    """XSW5/XSW6 (and the samlp:Extensions variant): the signed assertion hidden in the
    Response's Extensions, an unsigned one (same ID, with or without the copied signature)
    in its place."""
    role_arn = world.role()
    for keep_signature in (False, True):
        root = parsed(world.signed(role_arn))
        signed = the_assertion(root)
        evil = forged(signed)
        if keep_signature:
            evil.find(q(ASSERTION, "Issuer")).addnext(copy.deepcopy(signed.find(q(DS, "Signature"))))
        extensions = etree.Element(q(PROTOCOL, "Extensions"))
        root.replace(signed, evil)
        root.find(q(ASSERTION, "Issuer")).addnext(extensions)
        extensions.append(signed)
        world.invalid(role_arn, etree.tostring(root))


def test_xsw_signed_assertion_moved_into_the_signature_object(world: World) -> None:
    """XSW7/XSW8: the original assertion inside ds:Object of the signature the unsigned one
    carries; the Reference still names the original's ID."""
    role_arn = world.role()
    for same_id in (True, False):
        root = parsed(world.signed(role_arn))
        signed = the_assertion(root)
        evil = forged(signed)
        if not same_id:
            evil.set("ID", "_evil")
        signature = copy.deepcopy(signed.find(q(DS, "Signature")))
        holder = etree.SubElement(signature, q(DS, "Object"))
        holder.append(copy.deepcopy(signed))
        evil.find(q(ASSERTION, "Issuer")).addnext(signature)
        root.replace(signed, evil)
        world.invalid(role_arn, etree.tostring(root))


def test_xsw_signed_response_wrapped(world: World) -> None:
    """XSW1/XSW2: the Response is signed; the attacker builds a new Response (new ID, an
    unsigned assertion), and puts the signed original inside the Signature's Object (XSW1) or
    beside the signature (XSW2). Also: a signed Response whose assertion is replaced or joined
    by an injected one."""
    role_arn = world.role()
    original = parsed(world.signed(role_arn, what="response"))
    for placement in ("object", "sibling"):
        outer = copy.deepcopy(original)
        outer.set("ID", "_evil_response")
        signature = outer.find(q(DS, "Signature"))
        assertion = the_assertion(outer)
        outer.replace(assertion, forged(assertion))
        inner = copy.deepcopy(original)
        inner.remove(inner.find(q(DS, "Signature")))
        if placement == "object":
            etree.SubElement(signature, q(DS, "Object")).append(inner)
        else:
            signature.addprevious(inner)
        world.invalid(role_arn, etree.tostring(outer))
    # The signed Response with its assertion replaced, or a second assertion injected into it.
    replaced = copy.deepcopy(original)
    replaced.replace(the_assertion(replaced), forged(the_assertion(replaced)))
    world.invalid(role_arn, etree.tostring(replaced))
    injected = copy.deepcopy(original)
    extra = forged(the_assertion(injected))
    extra.set("ID", "_evil")
    the_assertion(injected).addnext(extra)
    world.invalid(role_arn, etree.tostring(injected))


def test_xsw_duplicated_and_other_id_attributes(world: World) -> None:
    """A signature over an element whose ID another element repeats, and an element carrying
    the signed ID in an attribute that is not SAML's ``ID`` (``Id``, ``id``, ``xml:id``:
    XML-DSig resolvers accept several), each placed to win the Reference's lookup."""
    role_arn = world.role()
    for attribute in ("ID", "Id", "id", "{http://www.w3.org/XML/1998/namespace}id"):
        root = parsed(world.signed(role_arn))
        signed = the_assertion(root)
        decoy = etree.Element(q(PROTOCOL, "Extensions"))
        decoy.set(attribute, signed.get("ID"))
        decoy.append(forged(signed))
        root.find(q(ASSERTION, "Issuer")).addnext(decoy)
        world.invalid(role_arn, etree.tostring(root))
        # The forged assertion itself, with the signed ID under another attribute name.
        root = parsed(world.signed(role_arn))
        signed = the_assertion(root)
        evil = forged(signed)
        del evil.attrib["ID"]
        evil.set(attribute, signed.get("ID"))
        evil.find(q(ASSERTION, "Issuer")).addnext(copy.deepcopy(signed.find(q(DS, "Signature"))))
        root.replace(signed, evil)
        world.invalid(role_arn, etree.tostring(root))


def test_signature_copied_or_moved_to_the_response(world: World) -> None:
    """The assertion's signature copied to the Response (the Response's is then the one read:
    its digest covers the assertion with its own signature inside, so it fails), or moved
    there (the signed content is unchanged, so it may verify): either way nothing but the
    signed assertion is read, and an unsigned change to it is refused."""
    role_arn = world.role()
    root = parsed(world.signed(role_arn))
    root.find(q(ASSERTION, "Issuer")).addnext(copy.deepcopy(the_assertion(root).find(q(DS, "Signature"))))
    world.invalid(role_arn, etree.tostring(root))
    root = parsed(world.signed(role_arn))
    root.find(q(ASSERTION, "Issuer")).addnext(the_assertion(root).find(q(DS, "Signature")))
    moved = bytes(etree.tostring(root))
    try:
        out = world.assume(role_arn, encoded(moved))
    except ClientError as refused:
        assert refused.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    else:
        assert out["AssumedRoleUser"]["Arn"].endswith("/alice")
    world.invalid(role_arn, moved.replace(b">alice<", b">mallory<"))


# -- comment injection (Duo Labs 2018, CVE-2017-11427 class) ------------------------------------


def _inject(document: bytes, signed_text: str, at: int, insert: str = "<!---->") -> bytes:
    """``document`` with ``insert`` placed at ``at`` within the signed text ``signed_text``
    (after signing: exclusive c14n without comments leaves the digest unchanged)."""
    needle = signed_text.encode()
    assert document.count(needle) >= 1
    return document.replace(needle, needle[:at] + insert.encode() + needle[at:], 1)


@pytest.mark.parametrize("insert", ["<!---->", "<!-- x -->", "<![CDATA[]]>"])
def test_comment_in_name_id_does_not_truncate_the_subject(world: World, insert: str) -> None:
    """ "user@user.com<!---->.evil.com": a reader of the first text node sees "user@user.com".
    The IdP vouched for the whole value only: Subject (and saml:sub in the trust policy) must
    be the whole value or the call refused, never the truncated one."""
    role_arn = world.role({"StringEquals": {"saml:sub": "user@user.com"}})
    name = "user@user.com.evil.com"
    document = _inject(world.signed(role_arn, name_id=name), name, len("user@user.com"), insert)
    code, message, status = world.refused(role_arn, document)
    # Denied by the trust policy (the subject is not user@user.com), or refused outright.
    assert (code, message, status) == DENIED or (code, status) == (INVALID, 400)
    # With a trust policy on the whole value, the session's Subject is the whole value.
    world.iam.update_assume_role_policy(
        RoleName=ROLE,
        PolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Federated": world.provider},
                        "Action": "sts:AssumeRoleWithSAML",
                        "Condition": {"StringEquals": {"saml:sub": name}},
                    }
                ],
            }
        ),
    )
    document = _inject(world.signed(role_arn, name_id=name), name, len("user@user.com"), insert)
    # What the signature covers (exclusive c14n drops comments) is the whole value.
    assert world.assume(role_arn, encoded(document))["Subject"] == name


def test_comment_in_role_session_name_and_tags(world: World) -> None:
    """The RoleSessionName and PrincipalTag attributes, as signed ("alice.admin",
    "Marketing-restricted"), with a comment after "alice" / "Marketing": the session name and
    the tag the trust policy sees must be the signed values, not their prefixes."""
    role_arn = world.role(
        {"StringEquals": {"aws:RequestTag/Project": "Marketing"}},
        actions=["sts:AssumeRoleWithSAML", "sts:TagSession"],
    )
    tags = {ATTRIBUTES + "PrincipalTag:Project": ["Marketing-restricted"]}
    document = world.signed(role_arn, attributes=tags)
    document = _inject(document, "Marketing-restricted", len("Marketing"))
    assert world.refused(role_arn, document) == DENIED  # the tag is "Marketing-restricted"
    # The session name: the whole signed value.
    world.iam.update_assume_role_policy(
        RoleName=ROLE,
        PolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Principal": {"Federated": world.provider}, "Action": "sts:AssumeRoleWithSAML"}
                ],
            }
        ),
    )
    document = _inject(world.signed(role_arn, session_name="alice.admin"), ">alice.admin<", len(">alice"))
    out = world.assume(role_arn, encoded(document))
    assert out["AssumedRoleUser"]["Arn"] == f"arn:aws:sts::{A}:assumed-role/{ROLE}/alice.admin"


def test_comment_in_role_attribute_does_not_name_another_role(world: World) -> None:
    """The IdP grants role "federated-readonly"; a comment after "role/federated" must not
    turn the pair into one naming role "federated"."""
    role_arn = world.role()
    granted = f"{world.provider},arn:aws:iam::{A}:role/{ROLE}-readonly"
    document = world.signed(role_arn, role_values=[granted])
    document = _inject(document, granted, granted.index("-readonly"))
    code, message, status = world.refused(role_arn, document)
    assert (code, message, status) == DENIED or (code, status) == (INVALID, 400)


# -- entities, DOCTYPE, external references, transforms (OWASP XXE; XML-DSig Best Practices) ----

_DOCTYPES = {
    "billion laughs": b'<!DOCTYPE samlp:Response [<!ENTITY a "aaaaaaaaaa">'
    + b"".join(
        b'<!ENTITY %s "%s">' % (bytes([c]), (b"&" + bytes([c - 1]) + b";") * 10) for c in range(ord("b"), ord("k"))
    )
    + b"]>",
    "external entity": b'<!DOCTYPE samlp:Response [<!ENTITY x SYSTEM "file:///etc/hostname">]>',
    "parameter entity": b'<!DOCTYPE samlp:Response [<!ENTITY % p SYSTEM "http://127.0.0.1:9/evil.dtd"> %p;]>',
    "external DTD": b'<!DOCTYPE samlp:Response SYSTEM "http://127.0.0.1:9/evil.dtd">',
    "empty internal subset": b"<!DOCTYPE samlp:Response []>",
}


@pytest.mark.parametrize("kind", sorted(_DOCTYPES))
def test_doctype_of_any_kind_is_refused(world: World, kind: str) -> None:
    """A DOCTYPE before a validly signed response (with the entity used in the NameID where
    there is one): refused, quickly, nothing fetched or expanded."""
    role_arn = world.role()
    document = world.signed(role_arn)
    if kind in ("billion laughs", "external entity"):
        entity = b"&k;" if kind == "billion laughs" else b"&x;"
        document = document.replace(b"<saml:NameID ", b"<saml:NameID>" + entity + b"</saml:NameID><saml:NameID ", 1)
    started = time.monotonic()
    world.invalid(role_arn, b'<?xml version="1.0"?>' + _DOCTYPES[kind] + document)
    assert time.monotonic() - started < 5


def _edit_reference(world: World, role_arn: str, edit: Any) -> bytes:
    """A response signed by the IdP whose SignedInfo ``edit`` changed, then signed again with
    the IdP's key (so only the verifier's rules can refuse it)."""
    root = parsed(world.signed(role_arn))
    signature = the_assertion(root).find(q(DS, "Signature"))
    edit(signature.find(q(DS, "SignedInfo")))
    resign(signature)
    return bytes(etree.tostring(root))


@pytest.mark.parametrize(
    "uri",
    [
        "http://127.0.0.1:9/other.xml",
        "file:///etc/hostname",
        "#xpointer(/)",
        "#xpointer(id('x'))",
        "#_no_such_id",
    ],
)
def test_reference_to_another_document_is_refused(world: World, uri: str) -> None:
    """A Reference URI naming another document (or an XPointer): never dereferenced."""
    role_arn = world.role()

    def edit(signed_info: Any) -> None:
        signed_info.find(q(DS, "Reference")).set("URI", uri)

    world.invalid(role_arn, _edit_reference(world, role_arn, edit))


def test_two_references_and_transforms_are_refused(world: World) -> None:
    """A SignedInfo with a second Reference (to the whole document), and one whose Reference
    asks for an XSLT or XPath transform: refused (an unknown transform is not run)."""
    role_arn = world.role()

    def second(signed_info: Any) -> None:
        extra = copy.deepcopy(signed_info.find(q(DS, "Reference")))
        extra.set("URI", "")
        signed_info.append(extra)

    world.invalid(role_arn, _edit_reference(world, role_arn, second))
    for algorithm, body in (
        (
            "http://www.w3.org/TR/1999/REC-xslt-19991116",
            '<xsl:stylesheet xmlns:xsl="http://www.w3.org/1999/XSL/Transform" version="1.0">'
            '<xsl:template match="/"><xsl:value-of select="unparsed-text(\'/etc/hostname\')"/></xsl:template>'
            "</xsl:stylesheet>",
        ),
        ("http://www.w3.org/TR/1999/REC-xpath-19991116", "<ds:XPath>not(ancestor-or-self::ds:Signature)</ds:XPath>"),
    ):

        def transform(signed_info: Any, algorithm: str = algorithm, body: str = body) -> None:
            transforms = signed_info.find(f"{q(DS, 'Reference')}/{q(DS, 'Transforms')}")
            element = etree.fromstring(f'<ds:Transform xmlns:ds="{DS}" Algorithm="{algorithm}">{body}</ds:Transform>')
            transforms.insert(0, element)
            # Say something else in the assertion too: the digest then only matches if the
            # transform were run and removed the change.
            signed_info.find(f"{q(DS, 'Reference')}/{q(DS, 'DigestValue')}").text = base64.b64encode(
                b"\0" * 32
            ).decode()

        world.invalid(role_arn, _edit_reference(world, role_arn, transform))


# -- keys: only the metadata's certificate is trusted (XML-DSig Best Practices 2.1) -------------


def test_keyinfo_with_the_attackers_certificate_or_key(world: World) -> None:
    """Signed by the attacker's key, carrying its certificate, its RSAKeyValue, its
    DEREncodedKeyValue, or the metadata's own certificate: refused ("Response signature
    invalid")."""
    role_arn = world.role()
    attacker = other_key()
    document = world.xml(role_arn)
    attacker_cert = certificate(attacker, "idp.example.com")
    variants = [
        signed_with(document, key=pem_key(attacker), cert=attacker_cert),
        signed_with(document, key=pem_key(attacker)),  # KeyValue only
        signed_with(document, key=pem_key(attacker), cert=metadata_cert_pem()),  # the trusted cert, wrong key
    ]
    root = parsed(signed_with(document, key=pem_key(attacker)))
    key_info = the_assertion(root).find(f"{q(DS, 'Signature')}/{q(DS, 'KeyInfo')}")
    for child in list(key_info):
        key_info.remove(child)
    der = attacker.public_key().public_bytes(serialization.Encoding.DER, SPKI)
    etree.SubElement(key_info, q(DSIG11, "DEREncodedKeyValue")).text = base64.b64encode(der).decode()
    variants.append(bytes(etree.tostring(root)))
    for variant in variants:
        assert world.refused(role_arn, variant) == (INVALID, "Response signature invalid", 400)


def test_other_signature_algorithms_with_the_attackers_key(world: World) -> None:
    """ECDSA (with the attacker's ECKeyValue) and RSA-PSS (with the attacker's RSAKeyValue):
    the metadata's RSA key must be the only key, whatever the SignatureMethod says."""
    role_arn = world.role()
    document = world.xml(role_arn)
    ec_key = ec.generate_private_key(ec.SECP256R1())
    for signed in (
        signed_with(document, key=pem_private(ec_key).encode(), signature_algorithm="ecdsa-sha256"),
        signed_with(document, key=pem_key(other_key()), signature_algorithm="sha256-rsa-MGF1"),
    ):
        world.invalid(role_arn, signed)


@pytest.mark.parametrize("secret", ["public key PEM", "public key DER", "certificate PEM", "certificate base64"])
def test_hmac_with_the_public_key_as_secret(world: World, secret: str) -> None:
    """Key confusion: an HMAC-SHA256 signature whose secret is the provider's public
    certificate or key (public knowledge) must not verify."""
    role_arn = world.role()
    public = idp_key().public_key()
    secrets = {
        "public key PEM": public.public_bytes(serialization.Encoding.PEM, SPKI),
        "public key DER": public.public_bytes(serialization.Encoding.DER, SPKI),
        "certificate PEM": metadata_cert_pem().encode(),
        "certificate base64": signing_certificate("idp.example.com").encode(),
    }
    signed = signed_with(world.xml(role_arn), key=secrets[secret], signature_algorithm="hmac-sha256")
    world.invalid(role_arn, signed)


def test_sha1_and_unknown_algorithms(world: World) -> None:
    """RSA-SHA1 with SHA-1 digests signed by the IdP's own key is refused here (signxml's
    default; AWS's acceptance of SHA-1 is undocumented: see the module docstring of
    services/sts/saml_assertion.py); an unknown SignatureMethod or DigestMethod, even when the
    IdP's key signs the SignedInfo, is refused."""
    role_arn = world.role()
    root = parsed(world.signed(role_arn))
    assertion = the_assertion(root)
    signature = assertion.find(q(DS, "Signature"))
    signed_info = signature.find(q(DS, "SignedInfo"))
    signed_info.find(q(DS, "SignatureMethod")).set("Algorithm", DS + "rsa-sha1")
    reference = signed_info.find(q(DS, "Reference"))
    reference.find(q(DS, "DigestMethod")).set("Algorithm", DS + "sha1")
    content = copy.deepcopy(assertion)
    content.remove(content.find(q(DS, "Signature")))
    canonical = etree.tostring(content, method="c14n", exclusive=True, with_comments=False)
    reference.find(q(DS, "DigestValue")).text = base64.b64encode(hashlib.sha1(canonical).digest()).decode()  # noqa: S324  (the attack's algorithm)
    resign(signature, algorithm=hashes.SHA1())  # noqa: S303  (the attack's algorithm)
    # Control: a verifier that allows SHA-1 takes this signature (so the refusal is the algorithm's).
    allow_sha1 = SignatureConfiguration(
        location=f"./{q(ASSERTION, 'Assertion')}/",
        signature_methods=frozenset(SignatureMethod),
        digest_algorithms=frozenset(DigestAlgorithm),
    )
    XMLVerifier().verify(copy.deepcopy(root), x509_cert=metadata_cert_pem(), expect_config=allow_sha1)
    world.invalid(role_arn, etree.tostring(root))

    def method(signed_info: Any) -> None:
        signed_info.find(q(DS, "SignatureMethod")).set("Algorithm", "http://example.com/none")

    world.invalid(role_arn, _edit_reference(world, role_arn, method))

    def digest(signed_info: Any) -> None:
        signed_info.find(f"{q(DS, 'Reference')}/{q(DS, 'DigestMethod')}").set("Algorithm", "http://example.com/md5")

    world.invalid(role_arn, _edit_reference(world, role_arn, digest))


# -- malformed signature parts: an AWS error, never a 500 ---------------------------------------


def _signature_of(document: bytes) -> tuple[Any, Any]:
    root = parsed(document)
    return root, the_assertion(root).find(q(DS, "Signature"))


def test_empty_signature_value_is_not_an_internal_error(world: World) -> None:
    """<ds:SignatureValue/> (no text) in an otherwise well-formed response: needs no key at
    all to send; refused as an invalid signature."""
    role_arn = world.role()
    root, signature = _signature_of(world.signed(role_arn))
    signature.find(q(DS, "SignatureValue")).text = None
    world.invalid(role_arn, etree.tostring(root))


def test_empty_or_foreign_key_values_are_not_internal_errors(world: World) -> None:
    """A user's own validly signed response with KeyInfo (which the signature does not cover)
    edited: an empty DEREncodedKeyValue, an RSAKeyValue without text, the DER of an EC key, an
    ECKeyValue with an unknown curve: refused, never a 500."""
    role_arn = world.role()
    ec_der = ec.generate_private_key(ec.SECP256R1()).public_key().public_bytes(serialization.Encoding.DER, SPKI)
    bodies = {
        "empty DEREncodedKeyValue": f'<dsig11:DEREncodedKeyValue xmlns:dsig11="{DSIG11}"/>',
        "EC DEREncodedKeyValue": f'<dsig11:DEREncodedKeyValue xmlns:dsig11="{DSIG11}">'
        f"{base64.b64encode(ec_der).decode()}</dsig11:DEREncodedKeyValue>",
        "empty RSAKeyValue": f'<ds:KeyValue xmlns:ds="{DS}"><ds:RSAKeyValue><ds:Modulus/><ds:Exponent/>'
        "</ds:RSAKeyValue></ds:KeyValue>",
        "unknown curve": f'<ds:KeyValue xmlns:ds="{DS}"><dsig11:ECKeyValue xmlns:dsig11="{DSIG11}">'
        '<dsig11:NamedCurve URI="urn:oid:1.2.3"/><dsig11:PublicKey>AAAA</dsig11:PublicKey>'
        "</dsig11:ECKeyValue></ds:KeyValue>",
    }
    failures = {}
    for name, body in bodies.items():
        root, signature = _signature_of(world.signed(role_arn))
        key_info = signature.find(q(DS, "KeyInfo"))
        key_info.append(etree.fromstring(body))
        code, message, status = world.refused(role_arn, etree.tostring(root))
        if (code, status) != (INVALID, 400):
            failures[name] = (code, message, status)
    assert not failures


def test_pss_signature_with_key_value_by_the_idp_is_not_an_internal_error(world: World) -> None:
    """An IdP signing with RSA-PSS (sha256-rsa-MGF1, XML Signature 1.1's RSASSA-PSS) and
    writing its RSAKeyValue beside the certificate: an AWS answer, not a 500."""
    role_arn = world.role()
    root = parsed(
        signed_with(
            world.xml(role_arn),
            key=pem_key(idp_key()),
            cert=metadata_cert_pem(),
            signature_algorithm="sha256-rsa-MGF1",
        )
    )
    key_info = the_assertion(root).find(f"{q(DS, 'Signature')}/{q(DS, 'KeyInfo')}")
    numbers = idp_key().public_key().public_numbers()

    def b64(number: int) -> str:
        return base64.b64encode(number.to_bytes((number.bit_length() + 7) // 8, "big")).decode()

    key_info.append(
        etree.fromstring(
            f'<ds:KeyValue xmlns:ds="{DS}"><ds:RSAKeyValue><ds:Modulus>{b64(numbers.n)}</ds:Modulus>'
            f"<ds:Exponent>{b64(numbers.e)}</ds:Exponent></ds:RSAKeyValue></ds:KeyValue>"
        )
    )
    try:
        out = world.assume(role_arn, encoded(etree.tostring(root)))
    except ClientError as refused:
        assert refused.response["ResponseMetadata"]["HTTPStatusCode"] < 500, refused.response
    else:
        assert out["AssumedRoleUser"]["Arn"].endswith("/alice")


# -- replay across providers and roles ----------------------------------------------------------


def test_assertion_for_provider_a_presented_for_provider_b_in_another_account(world: World, app: App) -> None:
    """Provider B (account B) has the same metadata (same certificate and entityID): an
    assertion whose Role attribute pairs role A with provider A gives no session in B,
    whichever role and provider the request names."""
    role_a = world.role()
    iam_b = client(app, "iam", root_keys(app, B))
    provider_b = World.provider_in(iam_b, "ExampleIdP")
    role_b = world.role(iam=iam_b, provider=provider_b)
    assertion = encoded(world.signed(role_a))
    for role, provider in ((role_b, provider_b), (role_a, provider_b), (role_b, world.provider)):
        code, message, status = world.refused(role, assertion, provider=provider)
        assert 400 <= status < 500 and code in ("AccessDenied", "ValidationError", INVALID), (code, message)
    # A Role attribute naming role B with provider A, asked for with provider A: role B's
    # account holds no such provider.
    cross = encoded(world.signed(role_b, role_values=[f"{role_b},{world.provider}"]))
    code, message, status = world.refused(role_b, cross)
    assert 400 <= status < 500 and code in ("AccessDenied", "ValidationError", INVALID), (code, message)


def test_same_certificate_two_providers_in_one_account(world: World) -> None:
    """Two providers of one account with the same metadata: the Role attribute's provider must
    be the PrincipalArn; a role trusting only the first is not reachable through the second."""
    role_arn = world.role()  # trusts world.provider only
    second = World.provider_in(world.iam, "SecondIdP")
    paired_with_first = encoded(world.signed(role_arn))
    assert world.refused(role_arn, paired_with_first, provider=second) == DENIED
    paired_with_second = encoded(world.signed(role_arn, role_values=[f"{role_arn},{second}"]))
    assert world.refused(role_arn, paired_with_second, provider=second) == DENIED


@pytest.mark.parametrize(
    "values",
    [
        ["{role},{provider},extra"],
        ["{role},,{provider}"],
        ["{role};{provider}"],
        ["{role}"],
        ["{provider}"],
        ["arn:aws:iam::111111111111:role/*,{provider}"],
        ["arn:aws:iam::111111111111:role/other,{provider}"],
        ["{role}x,{provider}"],
        ["{role},{provider}x"],
    ],
)
def test_role_attribute_must_name_exactly_the_requested_pair(world: World, values: list[str]) -> None:
    """ "Configure SAML assertions ...": each Role value is "a comma-delimited pair of ARNs";
    a RoleArn not in the attribute, or a value that is not such a pair: "Not authorized to
    perform sts:AssumeRoleWithSAML" ("Troubleshoot SAML federation with IAM")."""
    role_arn = world.role()
    role_values = [value.format(role=role_arn, provider=world.provider) for value in values]
    assert world.refused(role_arn, world.signed(role_arn, role_values=role_values)) == DENIED


# -- times ------------------------------------------------------------------------------------


def test_time_conditions(world: World) -> None:
    """NotBefore ahead, Conditions NotOnOrAfter passed (ExpiredTokenException "Response has
    expired", AWS's words in Versent/saml2aws#759), no Conditions at all (no Audience: "Response
    does not contain the required audience."), SessionNotOnOrAfter passed."""
    role_arn = world.role()
    assert world.refused(role_arn, world.signed(role_arn, not_before=timedelta(minutes=10)))[::2] == (INVALID, 400)
    expired = world.signed(role_arn, lifetime=timedelta(seconds=-1), confirmation_lifetime=timedelta(minutes=5))
    assert world.refused(role_arn, expired) == ("ExpiredTokenException", "Response has expired", 400)
    root = parsed(world.xml(role_arn))
    assertion = the_assertion(root)
    assertion.remove(assertion.find(q(ASSERTION, "Conditions")))
    no_conditions = sign(etree.tostring(root))
    assert world.refused(role_arn, no_conditions) == (
        INVALID,
        "Response does not contain the required audience.",
        400,
    )
    ended = world.signed(role_arn, session_not_on_or_after=timedelta(seconds=-5))
    code, _message, status = world.refused(role_arn, ended)
    assert (code, status) == ("ExpiredTokenException", 400)


def test_duration_seconds_and_session_duration(world: World) -> None:
    """DurationSeconds beyond the SessionDuration attribute: the session lasts the shorter;
    beyond the role's MaxSessionDuration: "The requested DurationSeconds exceeds the
    MaxSessionDuration set for this role." (ValidationError)."""
    role_arn = world.role(MaxSessionDuration=7200)
    short = world.signed(role_arn, attributes={ATTRIBUTES + "SessionDuration": ["1800"]})
    out = world.assume(role_arn, encoded(short), DurationSeconds=7200)
    lasting = out["Credentials"]["Expiration"] - datetime.now(UTC)
    assert timedelta(minutes=28) < lasting <= timedelta(minutes=30)
    code, _message, status = world.refused(role_arn, short, DurationSeconds=7201)
    assert (code, status) == ("ValidationError", 400)


@pytest.mark.parametrize(
    "stamp", ["9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+01:00", "2024-02-30T00:00:00Z", "2024-01-01T25:00:00Z"]
)
def test_out_of_range_times_are_not_internal_errors(world: World, stamp: str) -> None:
    """A signed time at the edge of xs:dateTime's range (an offset that moves it out of the
    calendar in UTC) or not a date: an AWS error (or a session), never a 500."""
    role_arn = world.role()
    root = parsed(world.xml(role_arn, session_not_on_or_after=timedelta(hours=1)))
    for element, name in (
        (f"{q(ASSERTION, 'Conditions')}", "NotOnOrAfter"),
        (f"{q(ASSERTION, 'AuthnStatement')}", "SessionNotOnOrAfter"),
    ):
        edited = copy.deepcopy(root)
        the_assertion(edited).find(element).set(name, stamp)
        try:
            world.assume(role_arn, encoded(sign(etree.tostring(edited))))
        except ClientError as refused:
            assert refused.response["ResponseMetadata"]["HTTPStatusCode"] < 500, (name, refused.response["Error"])


# -- size and garbage -------------------------------------------------------------------------


def test_assertion_over_the_models_length(world: World) -> None:
    """SAMLAssertion is at most 100,000 characters (AssumeRoleWithSAML, Length Constraints):
    ValidationError, and the value is not quoted back."""
    role_arn = world.role()
    text = "QUJD" * 25001  # 100,004 characters of base64
    with pytest.raises(ClientError) as raised:
        world.raw_sts.assume_role_with_saml(RoleArn=role_arn, PrincipalArn=world.provider, SAMLAssertion=text)
    error = raised.value.response["Error"]
    assert error["Code"] == "ValidationError"
    assert "Member must have length less than or equal to 100000" in error["Message"]
    assert "QUJD" not in error["Message"]


def test_deeply_nested_and_wide_documents_are_refused_quickly(world: World) -> None:
    """100,000 characters of deeply nested XML, and of a wide one (many attributes): refused
    as an invalid token in well under a few seconds."""
    role_arn = world.role()
    depth = 8000
    nested = b'<samlp:Response xmlns:samlp="' + PROTOCOL.encode() + b'">' + b"<a>" * depth + b"</a>" * depth
    nested += b"</samlp:Response>"
    wide_values = [f"v{i}" for i in range(1200)]
    wide = world.signed(role_arn, attributes={ATTRIBUTES + "PrincipalTag:x": wide_values})
    for document in (nested, wide[: len(wide) // 2] + b"x" + wide[len(wide) // 2 :]):
        text = encoded(document)
        assert len(text) <= 100000, len(text)
        started = time.monotonic()
        world.invalid(role_arn, text)
        assert time.monotonic() - started < 5


@pytest.mark.parametrize(
    "text",
    [
        "!!!!not base64!!!!",
        base64.b64encode(b"\x00\xff\xfe garbage bytes \x80").decode(),
        base64.b64encode(b"not xml at all").decode(),
        base64.b64encode(b"<a>unclosed").decode(),
        base64.b64encode("<r>\ud800</r>".encode("utf-8", "surrogatepass")).decode(),
        base64.b64encode('<?xml version="1.0" encoding="UTF-16"?><r/>'.encode("utf-16")).decode(),
        base64.b64encode(b'<?xml version="1.0" encoding="bogus"?><r/>').decode(),
        base64.b64encode(b"<saml:Assertion xmlns:saml='urn:oasis:names:tc:SAML:2.0:assertion'/>").decode(),
        "QUJD" * 3 + "=",
        "====",
    ],
)
def test_base64_garbage(world: World, text: str) -> None:
    """Garbage in SAMLAssertion: InvalidIdentityToken (400), never a 500."""
    role_arn = world.role()
    world.invalid(role_arn, text)

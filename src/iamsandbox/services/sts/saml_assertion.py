"""A SAML 2.0 authentication response, verified against an IAM SAML provider's metadata
("Configure SAML assertions for the authentication response", IAM User Guide; "Assertions
and Protocols for the OASIS Security Assertion Markup Language (SAML) V2.0").

``verify_response`` decodes the base64 samlp:Response, parses it with a parser that
refuses DTDs and never expands or fetches an entity, and checks its XML signature with
``signxml`` against the signing certificates of the provider's metadata (KeyDescriptor
use="signing", or without ``use``). Either the Response or its one Assertion must be
signed; everything read afterwards comes from what signxml returns as signed (never from
the document as received), which defeats signature-wrapping attacks: a second assertion, or
one moved beside the signed one, is never read.

What comes out (``Assertion``) is read from the signed element only: Issuer, the Subject's
NameID and its one bearer SubjectConfirmation (NotOnOrAfter, Recipient), Conditions
(NotBefore, NotOnOrAfter, the Audiences), the AuthnStatement's SessionNotOnOrAfter and the
attributes by Name. The time, audience and recipient checks are ``services.sts.saml``'s.

Known gaps: EncryptedAssertion (and providers whose AssertionEncryptionMode is Required)
answer NotImplemented: the private keys of a provider are not kept here. Signatures with
SHA-1 (signxml's default refusal) are refused, though AWS may take them.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from cryptography import x509

from ... import errors
from ...errors import IDPRejectedClaim, InvalidIdentityToken

PROTOCOL = "urn:oasis:names:tc:SAML:2.0:protocol"
ASSERTION = "urn:oasis:names:tc:SAML:2.0:assertion"
METADATA = "urn:oasis:names:tc:SAML:2.0:metadata"
DSIG = "http://www.w3.org/2000/09/xmldsig#"
SUCCESS = "urn:oasis:names:tc:SAML:2.0:status:Success"
BEARER = "urn:oasis:names:tc:SAML:2.0:cm:bearer"
_NS = {"samlp": PROTOCOL, "saml": ASSERTION, "md": METADATA, "ds": DSIG}

# The words AWS answers ("Troubleshoot SAML federation with IAM", IAM User Guide), and ours
# where AWS's are not documented.
SIGNATURE_INVALID = "Response signature invalid"
MALFORMED = "Invalid SAML response received"  # unconfirmed wording
NOT_SUCCESS = "The identity provider did not report a successful authentication."  # unconfirmed wording
ENCRYPTED = "Encrypted SAML assertions are not implemented by iamsandbox."

# xs:dateTime as SAML writes it: UTC, "Z" or an offset, fractions of any length.
_DATETIME = re.compile(r"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})?")


def _parser() -> Any:
    """No DTD is loaded, no entity resolved, nothing fetched; huge trees refused. lxml and
    signxml are imported when a SAML response first arrives, not with the server: together
    ~20 MiB of memory that a server no one signs in to with SAML would carry."""
    from lxml import etree  # type: ignore[import-untyped]  # lxml ships no type information

    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False
    )


def _etree() -> Any:
    from lxml import etree

    return etree


def parse_xml(data: bytes) -> Any:
    """The root element of ``data``; a DTD (entity declarations live there) is refused."""
    try:
        root = _etree().fromstring(data, parser=_parser())
    except (_etree().XMLSyntaxError, ValueError):
        raise InvalidIdentityToken(MALFORMED) from None
    if root is None or root.getroottree().docinfo.internalDTD is not None:
        raise InvalidIdentityToken(MALFORMED)
    return root


@dataclass(frozen=True)
class Metadata:
    """What a provider's metadata gives the verification: its entityID and certificates."""

    entity_id: str
    certificates: tuple[x509.Certificate, ...] = field(repr=False)


def read_metadata(document: str) -> Metadata:
    """The IdP's entityID and the certificates it signs with (KeyDescriptor use="signing" or
    without ``use``: "keys that can be used to validate the SAML authentication response",
    CreateSAMLProvider). IAM checked the document when the provider was created."""
    root = parse_xml(document.encode("utf-8"))
    certificates = []
    for descriptor in root.iterfind("md:IDPSSODescriptor/md:KeyDescriptor", _NS):
        if descriptor.get("use") not in (None, "signing"):
            continue
        for text in descriptor.iterfind("ds:KeyInfo/ds:X509Data/ds:X509Certificate", _NS):
            try:
                der = base64.b64decode("".join((text.text or "").split()), validate=True)
                certificates.append(x509.load_der_x509_certificate(der))
            except (binascii.Error, ValueError):
                continue
    return Metadata(root.get("entityID") or "", tuple(certificates))


@dataclass(frozen=True)
class Assertion:
    """The signed assertion's statements (strings as written; times in UTC)."""

    issuer: str
    name_id: str | None
    name_id_format: str | None
    recipient: str | None
    confirmation_not_on_or_after: datetime | None
    confirmations: int  # bearer SubjectConfirmations (AWS wants exactly one)
    not_before: datetime | None
    not_on_or_after: datetime | None
    audiences: tuple[str, ...]
    session_not_on_or_after: datetime | None
    attributes: dict[str, list[str]] = field(repr=False)


def decode(text: str) -> bytes:
    """SAMLAssertion: the base64 of the response (line breaks, as some IdPs write, allowed)."""
    try:
        return base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        raise InvalidIdentityToken(MALFORMED) from None


def verify_response(data: bytes, metadata: Metadata) -> Assertion:
    """The verified assertion of the samlp:Response ``data``, signed by one of the
    metadata's certificates."""
    root = parse_xml(data)
    if root.tag != f"{{{PROTOCOL}}}Response":
        raise InvalidIdentityToken(MALFORMED)
    if root.find(".//saml:EncryptedAssertion", _NS) is not None:
        raise errors.NotImplemented(ENCRYPTED)
    status = root.find("samlp:Status/samlp:StatusCode", _NS)
    if status is None or status.get("Value") != SUCCESS:
        # "The identity provider (IdP) reported that authentication failed"
        # (IDPRejectedClaimException, STS API reference).
        raise IDPRejectedClaim(NOT_SUCCESS)
    if len(root.findall(".//saml:Assertion", _NS)) != 1 or len(root.findall("saml:Assertion", _NS)) != 1:
        raise InvalidIdentityToken(MALFORMED)
    # The Response's own signature (a ds:Signature child of the root), else the Assertion's.
    location = "./" if root.find("ds:Signature", _NS) is not None else f"./{{{ASSERTION}}}Assertion/"
    signed = _verified(root, metadata.certificates, location)
    if signed.tag == f"{{{PROTOCOL}}}Response":
        found = signed.findall("saml:Assertion", _NS)
        if len(found) != 1:
            raise InvalidIdentityToken(MALFORMED)
        signed = found[0]
    elif signed.tag != f"{{{ASSERTION}}}Assertion":
        raise InvalidIdentityToken(SIGNATURE_INVALID)
    return _read(signed)


def _verified(root: Any, certificates: tuple[x509.Certificate, ...], location: str) -> Any:
    """The element the signature at ``location`` signs, as signxml returns it."""
    from signxml.exceptions import InvalidInput, InvalidSignature
    from signxml.verifier import SignatureConfiguration, XMLVerifier

    config = SignatureConfiguration(location=location, expect_references=1)
    for certificate in certificates:
        try:
            result = XMLVerifier().verify(root, x509_cert=certificate, expect_config=config)
        except (InvalidSignature, InvalidInput, ValueError):
            continue
        except Exception:  # noqa: BLE001
            # signxml lets other errors out of some malformed signatures (an empty
            # SignatureValue: TypeError; a KeyValue it cannot compare: NotImplementedError;
            # found by tests/services/sts/test_sts_saml_attacks.py): whatever it is, the
            # signature did not verify with this certificate.
            continue
        signed = result.signed_xml if not isinstance(result, list) else None
        if signed is not None:
            return signed
    raise InvalidIdentityToken(SIGNATURE_INVALID)


def _read(assertion: Any) -> Assertion:
    issuer = (assertion.findtext("saml:Issuer", default="", namespaces=_NS) or "").strip()
    name = assertion.find("saml:Subject/saml:NameID", _NS)
    confirmations = [
        item
        for item in assertion.iterfind("saml:Subject/saml:SubjectConfirmation", _NS)
        if item.get("Method") == BEARER
    ]
    data = confirmations[0].find("saml:SubjectConfirmationData", _NS) if len(confirmations) == 1 else None
    conditions = assertion.find("saml:Conditions", _NS)
    audiences = tuple(
        (item.text or "").strip()
        for item in assertion.iterfind("saml:Conditions/saml:AudienceRestriction/saml:Audience", _NS)
    )
    authn = assertion.find("saml:AuthnStatement", _NS)
    attributes: dict[str, list[str]] = {}
    for attribute in assertion.iterfind("saml:AttributeStatement/saml:Attribute", _NS):
        values = [(value.text or "").strip() for value in attribute.iterfind("saml:AttributeValue", _NS)]
        attributes.setdefault(attribute.get("Name") or "", []).extend(values)
    return Assertion(
        issuer=issuer,
        name_id=(name.text or "").strip() if name is not None else None,
        name_id_format=name.get("Format") if name is not None else None,
        recipient=data.get("Recipient") if data is not None else None,
        confirmation_not_on_or_after=_time(data, "NotOnOrAfter"),
        confirmations=len(confirmations),
        not_before=_time(conditions, "NotBefore"),
        not_on_or_after=_time(conditions, "NotOnOrAfter"),
        audiences=audiences,
        session_not_on_or_after=_time(authn, "SessionNotOnOrAfter"),
        attributes=attributes,
    )


def _time(element: Any, name: str) -> datetime | None:
    """An xs:dateTime attribute; without a zone, UTC ("SAML V2.0 Core", 1.3.3)."""
    if element is None or element.get(name) is None:
        return None
    match = _DATETIME.fullmatch(element.get(name).strip())
    if match is None:
        raise InvalidIdentityToken(MALFORMED)
    stamp, fraction, zone = match.groups()
    try:
        when = datetime.fromisoformat(stamp + ("" if zone in (None, "Z") else zone))
        if fraction:
            when = when.replace(microsecond=int(fraction[:6].ljust(6, "0")))
        return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
    except (ValueError, OverflowError):  # a date the calendar cannot hold in UTC (year 0 or 10000)
        raise InvalidIdentityToken(MALFORMED) from None

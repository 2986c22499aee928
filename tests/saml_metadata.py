"""SAML 2.0 identity provider metadata for the IAM SAML provider tests, written here: an
md:EntityDescriptor with an IDPSSODescriptor (signing key, NameID formats, single sign-on
endpoints), as "Metadata for the OASIS Security Assertion Markup Language (SAML) V2.0"
describes it and as IdPs (AD FS, Shibboleth, Okta) export it, carrying a self-signed
certificate made at test time (``x509_material``)."""

from __future__ import annotations

import functools

from x509_material import certificate, rsa_key

METADATA_NS = "urn:oasis:names:tc:SAML:2.0:metadata"


@functools.lru_cache(maxsize=8)
def signing_certificate(common_name: str = "idp.example.com") -> str:
    """The base64 body of a self-signed PEM certificate, as ds:X509Certificate holds it (the
    same one for a name within a test run)."""
    pem = certificate(rsa_key(2048, 30), common_name)
    return "".join(line for line in pem.splitlines() if "CERTIFICATE" not in line)


def idp_metadata(entity_id: str = "https://idp.example.com/saml", *, valid_until: str | None = None) -> str:
    """An identity provider's metadata document (well over CreateSAMLProvider's 1,000-character
    minimum); ``valid_until`` sets the EntityDescriptor's validUntil attribute."""
    until = f' validUntil="{valid_until}"' if valid_until else ""
    host = entity_id.split("//", 1)[-1].split("/", 1)[0]
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="{METADATA_NS}" xmlns:ds="http://www.w3.org/2000/09/xmldsig#"
    entityID="{entity_id}"{until}>
  <md:IDPSSODescriptor WantAuthnRequestsSigned="false"
      protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing">
      <ds:KeyInfo>
        <ds:X509Data>
          <ds:X509Certificate>{signing_certificate(host)}</ds:X509Certificate>
        </ds:X509Data>
      </ds:KeyInfo>
    </md:KeyDescriptor>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:persistent</md:NameIDFormat>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://{host}/saml/sso"/>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://{host}/saml/sso"/>
  </md:IDPSSODescriptor>
  <md:Organization>
    <md:OrganizationName xml:lang="en">Example Corp</md:OrganizationName>
    <md:OrganizationDisplayName xml:lang="en">Example Corp Sign-In</md:OrganizationDisplayName>
    <md:OrganizationURL xml:lang="en">https://{host}/</md:OrganizationURL>
  </md:Organization>
</md:EntityDescriptor>
"""


def padded(document: str) -> str:
    """A document of at least 1,000 characters (the model's minimum), padded with an XML
    comment before the root, so a short refusal case is refused for its content."""
    return document if len(document) >= 1000 else document + "<!--" + "x" * (1000 - len(document)) + "-->"

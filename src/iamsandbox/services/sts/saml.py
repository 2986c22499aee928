"""AssumeRoleWithSAML ("AssumeRoleWithSAML" in the AWS STS API reference; "SAML 2.0
federation", "Configure SAML assertions for the authentication response", "Available keys for
SAML-based AWS STS federation", "Troubleshoot SAML federation with IAM" and "Pass session
tags in AWS STS" in the IAM User Guide).

"Calling AssumeRoleWithSAML does not require the use of AWS security credentials. The
identity of the caller is validated by using keys in the metadata document that is uploaded
for the SAML provider entity for your identity provider." The pipeline calls
``verify_saml`` in place of SigV4 authentication: the caller becomes the IAM SAML provider
named by PrincipalArn (a federated principal, which a trust policy names as
``{"Federated": "arn:aws:iam::ACCT:saml-provider/NAME"}``), and the assertion's statements
become the SAML condition keys of the trust-policy check (``condition_keys``):
- ``saml:aud``: the SubjectConfirmationData's Recipient ("not the Audience field");
- ``saml:iss`` (Issuer), ``saml:sub`` (NameID), ``saml:sub_type`` (its Format: persistent,
  transient, or the full URI), ``saml:doc`` (ACCOUNT/PROVIDER-NAME), ``saml:namequalifier``
  (base64 of the SHA-1 of Issuer + account ID + "/" + provider name, "Uniquely identifying
  users in SAML-based federation");
- the eduPerson, eduOrg, Active Directory and X.500 attributes of "Mapping SAML attributes to
  AWS trust policy context keys" (``ATTRIBUTE_KEYS``), a list or a string as its table says.

Checks, each with AWS's answer ("Troubleshoot SAML federation with IAM" where it names
one; the others' words are ours, marked unconfirmed):
- the provider exists ("Specified provider doesn't exist."), is in the role's account, and its
  ValidUntil has not passed;
- the signature verifies with the metadata's keys ("Response signature invalid",
  InvalidIdentityToken); the Issuer is the metadata's entityID ("Issuer not present in
  specified provider");
- Conditions NotBefore / NotOnOrAfter and SubjectConfirmationData NotOnOrAfter
  (ExpiredTokenException "Response has expired", as AWS answered in Versent/saml2aws#759);
- an Audience of AWS ("Response does not contain the required audience."), exactly one bearer
  SubjectConfirmation whose Recipient is AWS's sign-in endpoint;
- a NameID, and a Role attribute naming the requested role and provider pair (else AccessDenied
  "Not authorized to perform sts:AssumeRoleWithSAML", as the troubleshooting page lists both);
- RoleSessionName ("RoleSessionName is required in AuthnResponse", "RoleSessionName in
  AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}") and SourceIdentity ("Source Identity
  must match ...") attributes, InvalidIdentityToken.

The session is the role's (``assume_role.issue_role_session``), lasting DurationSeconds
(default 3,600, at most the role's MaxSessionDuration), shortened by the SessionDuration
attribute and the AuthnStatement's SessionNotOnOrAfter ("whichever is shorter"). Session tags
(PrincipalTag:KEY, TransitiveTagKeys) need sts:TagSession and SourceIdentity
sts:SetSourceIdentity in the trust policy; a refusal reads as the trust policy's own.

Known gaps: encrypted assertions (NotImplemented); saml:sub, saml:sub_type and
saml:namequalifier in the session's permission policies (the session token does not carry
them); the recipient and audience accept only the aws partition's endpoints.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ... import errors
from ...authz.context import Caller, request_tag_keys
from ...errors import AccessDenied, ExpiredTokenException, InvalidIdentityToken, ValidationError
from ...policy.request import PrincipalKind
from ...store.interface import SamlProvider, Transaction
from ..context import CallContext
from ..iam.saml_providers import valid_until
from .assume_role import (
    authorize_tag_session,
    check_role_arn,
    issue_role_session,
    requested_tags,
    session_duration,
    session_policy,
    session_policy_arns,
)
from .saml_assertion import Assertion, decode, read_metadata, verify_response

DENIED = "Not authorized to perform sts:AssumeRoleWithSAML"
NO_PROVIDER = "Specified provider doesn't exist."  # code unconfirmed (InvalidIdentityToken here)
OTHER_ACCOUNT = "Principal exists outside the account of the Role being assumed."  # unconfirmed
INVALID_PRINCIPAL = "Principal ARN is invalid"  # AWS's words in Versent/saml2aws#536
PROVIDER_EXPIRED = "The SAML provider's metadata has expired."  # unconfirmed wording
ENCRYPTION_REQUIRED = "SAML providers whose AssertionEncryptionMode is Required are not implemented by iamsandbox."
WRONG_ISSUER = "Issuer not present in specified provider"
EXPIRED = "Response has expired"
NOT_YET_VALID = "Response is not yet valid"  # unconfirmed wording
NO_AUDIENCE = "Response does not contain the required audience."
BAD_RECIPIENT = "Response does not contain the required recipient."  # unconfirmed wording
NO_SESSION_NAME = "RoleSessionName is required in AuthnResponse"
BAD_SESSION_NAME = "RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}"
BAD_SOURCE_IDENTITY = 'Source Identity must match [a-zA-Z_0-9+=,.@-]{2,64} and not begin with "aws:"'
BAD_SESSION_DURATION = "SessionDuration in AuthnResponse must be an integer from 900 to 43200."  # unconfirmed

ATTRIBUTES = "https://aws.amazon.com/SAML/Attributes/"
ROLE = ATTRIBUTES + "Role"
SESSION_NAME = ATTRIBUTES + "RoleSessionName"
SESSION_DURATION = ATTRIBUTES + "SessionDuration"
SOURCE_IDENTITY = ATTRIBUTES + "SourceIdentity"
TRANSITIVE_TAG_KEYS = ATTRIBUTES + "TransitiveTagKeys"
PRINCIPAL_TAG = ATTRIBUTES + "PrincipalTag:"
NAME_ID_PREFIX = "urn:oasis:names:tc:SAML:2.0:nameid-format:"
UNSPECIFIED = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"  # NameID's default Format
_NAME = re.compile(r"[a-zA-Z_0-9+=,.@-]{2,64}")
_PROVIDER_ARN = re.compile(r"arn:aws[a-z-]*:iam::(\d{12}):saml-provider/([\w.-]+)")
# "https://region-code.signin.aws.amazon.com/saml", with "/acs/IdP-ID" when encryption is
# required, or "https://signin.aws.amazon.com/static/saml" ("Configure SAML assertions ...").
_RECIPIENT = re.compile(r"https://(?:[a-z0-9-]+\.)?signin\.aws\.amazon\.com/(?:saml(?:/acs/[\w-]+)?|static/saml)")
_AUDIENCES = ("urn:amazon:webservices",)

# "Mapping SAML attributes to AWS trust policy context keys": attribute Name -> (key, list?).
_EDU = "urn:oid:1.3.6.1.4.1.5923."
_AD = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/"
ATTRIBUTE_KEYS: dict[str, tuple[str, bool]] = {
    _EDU + "1.1.1.1": ("eduPersonAffiliation", True),
    _EDU + "1.1.1.2": ("eduPersonNickname", True),
    _EDU + "1.1.1.3": ("eduPersonOrgDN", False),
    _EDU + "1.1.1.4": ("eduPersonOrgUnitDN", True),
    _EDU + "1.1.1.5": ("eduPersonPrimaryAffiliation", False),
    _EDU + "1.1.1.6": ("eduPersonPrincipalName", False),
    _EDU + "1.1.1.7": ("eduPersonEntitlement", True),
    _EDU + "1.1.1.8": ("eduPersonPrimaryOrgUnitDN", False),
    _EDU + "1.1.1.9": ("eduPersonScopedAffiliation", True),
    _EDU + "1.1.1.10": ("eduPersonTargetedID", True),
    _EDU + "1.1.1.11": ("eduPersonAssurance", True),
    _EDU + "1.2.1.2": ("eduOrgHomePageURI", True),
    _EDU + "1.2.1.3": ("eduOrgIdentityAuthNPolicyURI", True),
    _EDU + "1.2.1.4": ("eduOrgLegalName", True),
    _EDU + "1.2.1.5": ("eduOrgSuperiorURI", True),
    _EDU + "1.2.1.6": ("eduOrgWhitePagesURI", True),
    "urn:oid:2.5.4.3": ("cn", True),
    _AD + "name": ("name", False),
    "http://schemas.xmlsoap.org/claims/CommonName": ("commonName", False),
    _AD + "givenname": ("givenName", False),
    _AD + "surname": ("surname", False),
    _AD + "emailaddress": ("mail", False),
    "http://schemas.microsoft.com/ws/2008/06/identity/claims/primarygroupsid": ("uid", False),
    "2.5.4.3": ("commonName", False),
    "2.5.4.4": ("surname", False),
    "2.4.5.42": ("givenName", False),  # as the page writes it (2.5.4.42 is givenName's OID)
    "2.5.4.42": ("givenName", False),
    "2.5.4.45": ("x500UniqueIdentifier", False),
    "0.9.2342.19200300100.1.1": ("uid", False),
    "0.9.2342.19200300100.1.3": ("mail", False),
    "0.9.2342.19200300.100.1.45": ("organizationStatus", False),
}


@dataclass(frozen=True)
class SamlIdentity:
    """A verified assertion, the provider that vouches for it, and what it asks for."""

    provider: SamlProvider
    assertion: Assertion
    session_name: str

    @property
    def subject(self) -> str:
        return self.assertion.name_id or ""

    @property
    def subject_type(self) -> str:
        """SubjectType: "If the format includes the prefix
        urn:oasis:names:tc:SAML:2.0:nameid-format, that prefix is removed" (AssumeRoleWithSAML)."""
        found = self.assertion.name_id_format or UNSPECIFIED
        return found[len(NAME_ID_PREFIX) :] if found.startswith(NAME_ID_PREFIX) else found

    @property
    def name_qualifier(self) -> str:
        account, name = self.provider.account_id, self.provider.name
        digest = hashlib.sha1(f"{self.assertion.issuer}{account}/{name}".encode()).digest()  # noqa: S324  (AWS's)
        return base64.b64encode(digest).decode()

    def caller(self) -> Caller:
        return Caller(self.provider.arn, PrincipalKind.WEB_IDENTITY, self.provider.account_id, name=self.subject)

    def condition_keys(self) -> dict[str, str | list[str]]:
        assertion = self.assertion
        keys: dict[str, str | list[str]] = {
            "saml:aud": assertion.recipient or "",
            "saml:iss": assertion.issuer,
            "saml:sub": self.subject,
            "saml:sub_type": self.subject_type,
            "saml:doc": f"{self.provider.account_id}/{self.provider.name}",
            "saml:namequalifier": self.name_qualifier,
        }
        # The session tags and source identity the assertion asks for, as AssumeRole's
        # request context carries its Tags and SourceIdentity (``authz.actions``).
        tags = {pair["Key"]: pair["Value"] for pair in _tag_pairs(assertion)}
        if tags:
            keys.update(request_tag_keys(tags))
        if assertion.attributes.get(TRANSITIVE_TAG_KEYS):
            keys["sts:TransitiveTagKeys"] = list(assertion.attributes[TRANSITIVE_TAG_KEYS])
        if assertion.attributes.get(SOURCE_IDENTITY):
            keys["sts:SourceIdentity"] = assertion.attributes[SOURCE_IDENTITY][0]
        for name, values in assertion.attributes.items():
            mapped = ATTRIBUTE_KEYS.get(name)
            if mapped is None or not values:
                continue
            key, many = mapped
            # "You should include only one claim per AWS context key. If you include more than
            # one, only one claim will be mapped": the first.
            keys.setdefault(f"saml:{key}", list(values) if many else values[0])
        return keys


def verify_saml(tx: Transaction, params: dict[str, Any], now: datetime) -> SamlIdentity:
    """Verify the request's SAMLAssertion for its PrincipalArn and RoleArn (AWS's order of
    the checks is unconfirmed)."""
    role_arn = str(params.get("RoleArn", ""))
    check_role_arn(role_arn)
    principal_arn = str(params.get("PrincipalArn", ""))
    check_role_arn(principal_arn)
    matched = _PROVIDER_ARN.fullmatch(principal_arn)
    if matched is None:
        raise ValidationError(INVALID_PRINCIPAL)
    provider = tx.get_saml_provider(principal_arn)
    if provider is None:
        raise InvalidIdentityToken(NO_PROVIDER)
    if provider.account_id != role_arn.split(":")[4]:
        raise ValidationError(OTHER_ACCOUNT)
    if valid_until(provider) <= now:
        raise InvalidIdentityToken(PROVIDER_EXPIRED)
    if provider.encryption_mode == "Required":
        raise errors.NotImplemented(ENCRYPTION_REQUIRED)
    metadata = read_metadata(provider.metadata)
    assertion = verify_response(decode(str(params.get("SAMLAssertion", ""))), metadata)
    if assertion.issuer != metadata.entity_id:
        raise InvalidIdentityToken(WRONG_ISSUER)
    _check_times(assertion, now)
    if not any(audience in _AUDIENCES or _RECIPIENT.fullmatch(audience) for audience in assertion.audiences):
        raise InvalidIdentityToken(NO_AUDIENCE)
    if assertion.confirmations != 1 or not assertion.recipient or not _RECIPIENT.fullmatch(assertion.recipient):
        raise InvalidIdentityToken(BAD_RECIPIENT)
    if not assertion.name_id:
        raise AccessDenied(DENIED)  # "if the SAML response does not include a Subject containing a NameID"
    if not _names_pair(assertion.attributes.get(ROLE, []), role_arn, principal_arn):
        raise AccessDenied(DENIED)
    return SamlIdentity(provider, assertion, _session_name(assertion))


def _check_times(assertion: Assertion, now: datetime) -> None:
    if assertion.confirmation_not_on_or_after is None:
        # "There must be exactly one SubjectConfirmation element with a SubjectConfirmationData
        # element that includes both the NotOnOrAfter attribute and a Recipient attribute."
        raise InvalidIdentityToken(BAD_RECIPIENT)
    if assertion.not_before is not None and now < assertion.not_before:
        raise InvalidIdentityToken(NOT_YET_VALID)
    for limit in (assertion.not_on_or_after, assertion.confirmation_not_on_or_after):
        if limit is not None and now >= limit:
            raise ExpiredTokenException(EXPIRED)


def _names_pair(values: list[str], role_arn: str, provider_arn: str) -> bool:
    """A Role attribute value is "a comma-delimited pair of ARNs", role and provider in
    either order (IdPs write both)."""
    for value in values:
        parts = [part.strip() for part in value.split(",")]
        if len(parts) == 2 and sorted(parts) == sorted((role_arn, provider_arn)):
            return True
    return False


def _session_name(assertion: Assertion) -> str:
    values = assertion.attributes.get(SESSION_NAME)
    if not values:
        raise InvalidIdentityToken(NO_SESSION_NAME)
    if not _NAME.fullmatch(values[0]):
        raise InvalidIdentityToken(BAD_SESSION_NAME)
    return values[0]


def _source_identity(assertion: Assertion) -> str | None:
    values = assertion.attributes.get(SOURCE_IDENTITY)
    if not values:
        return None
    if not _NAME.fullmatch(values[0]) or values[0].lower().startswith("aws:"):
        raise InvalidIdentityToken(BAD_SOURCE_IDENTITY)
    return values[0]


def _tag_pairs(assertion: Assertion) -> list[dict[str, str]]:
    """PrincipalTag:KEY attributes as session tags ("Configure SAML assertions for the
    authentication response"): the same for the trust policy's aws:RequestTag keys and for the
    session."""
    return [
        {"Key": name[len(PRINCIPAL_TAG) :], "Value": values[0] if values else ""}
        for name, values in assertion.attributes.items()
        if name.startswith(PRINCIPAL_TAG)
    ]


def _tags(assertion: Assertion) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    """The session tags and, from TransitiveTagKeys' values, the transitive keys, checked as
    AssumeRole's Tags and TransitiveTagKeys are."""
    return requested_tags(
        {"Tags": _tag_pairs(assertion), "TransitiveTagKeys": assertion.attributes.get(TRANSITIVE_TAG_KEYS, [])}
    )


def _duration(ctx: CallContext, identity: SamlIdentity, role_duration: int) -> int:
    """DurationSeconds, shortened by the SessionDuration attribute ("if it is present in an
    AssumeRoleWithSAML API call, it can be used to shorten the duration of the session") and
    by SessionNotOnOrAfter ("whichever is shorter", AssumeRoleWithSAML)."""
    duration = role_duration
    values = identity.assertion.attributes.get(SESSION_DURATION)
    if values:
        if not values[0].isdigit() or not 900 <= int(values[0]) <= 43200:
            raise InvalidIdentityToken(BAD_SESSION_DURATION)
        duration = min(duration, int(values[0]))
    ends = identity.assertion.session_not_on_or_after
    if ends is not None:
        left = int((ends - ctx.now).total_seconds())
        if left <= 0:
            raise ExpiredTokenException(EXPIRED)
        duration = min(duration, left)
    return duration


def assume_role_with_saml(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    """The pipeline has verified the assertion (``verify_saml``: the caller is its provider)
    and evaluated the trust policy; the session is made from what it verified (``ctx.proof``),
    verified here only when the handler is called without it."""
    caller = ctx.caller
    # INVARIANT: the pipeline authenticates this operation by its assertion alone.
    assert caller.kind is PrincipalKind.WEB_IDENTITY and ":saml-provider/" in caller.arn
    identity = ctx.proof if isinstance(ctx.proof, SamlIdentity) else verify_saml(ctx.tx, params, ctx.now)
    role = ctx.tx.get_role_by_arn(params["RoleArn"])
    if role is None:
        raise AccessDenied(DENIED)  # "if the IAM role specified in the SAML response ... does not exist"
    duration = _duration(ctx, identity, session_duration(ctx, role, params.get("DurationSeconds")))
    policy = session_policy(params.get("Policy"))
    policy_arns = session_policy_arns(ctx, role.account_id, params.get("PolicyArns"))
    tags, transitive = _tags(identity.assertion)
    source_identity = _source_identity(identity.assertion)
    try:
        # "If your SAML assertion is configured to use the PrincipalTag attribute, your trust
        # policy must also include the sts:TagSession action", and sts:SetSourceIdentity for
        # SourceIdentity: both under "Not authorized to perform sts:AssumeRoleWithSAML".
        authorize_tag_session(ctx, role.arn, tags, transitive)
        if source_identity is not None:
            ctx.authorize("sts:SetSourceIdentity", role.arn, {"sts:SourceIdentity": source_identity})
    except AccessDenied:
        raise AccessDenied(DENIED) from None
    out = issue_role_session(
        ctx,
        role,
        identity.session_name,
        duration,
        policy=policy,
        policy_arns=policy_arns,
        tags=tags,
        transitive=transitive,
        source_identity=source_identity,
        params=params,
    )
    out["Subject"] = identity.subject
    out["SubjectType"] = identity.subject_type
    out["Issuer"] = identity.assertion.issuer
    out["Audience"] = identity.assertion.recipient
    out["NameQualifier"] = identity.name_qualifier
    return out

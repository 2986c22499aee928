"""From a verified access key to the caller: root, IAM user, or a session's principal.

Long-term keys (AKIA...) are looked up in the store; temporary ones (ASIA...) carry their
claims in the session token, which any replica can open with the shared key
("Temporary security credentials": the token must accompany the key). An expired token
answers ExpiredToken; a token that is not ours, or names another key, answers as an
unknown key does.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from ..auth.session_token import ExpiredSessionToken, InvalidSessionToken, SessionClaims, SessionTokenCodec
from ..authz.authorize import Session
from ..authz.context import Caller
from ..errors import ExpiredToken, InvalidToken
from ..policy.request import PrincipalKind
from ..services.sts.oidc_token import JwksCache
from ..services.sts.saml import verify_saml
from ..services.sts.web_identity import verify_web_identity
from ..store.crypto import SealError
from ..store.interface import AccessKey, Role, Transaction, User

log = logging.getLogger(__name__)

EXPIRED = "The security token included in the request is expired"


@dataclass(unsafe_hash=True)
class Identity:
    """The caller and what authorization needs to gather its policies."""

    caller: Caller
    identity_id: str | None = None  # the user or role whose identity policies apply
    boundary_arn: str | None = None
    session: Session | None = None
    # Condition keys the authentication itself established: a web identity token's claims
    # (AssumeRoleWithWebIdentity) or a SAML assertion's (AssumeRoleWithSAML), which its
    # trust-policy check reads.
    keys: Mapping[str, str | list[str]] = field(default_factory=dict)
    # What an unsigned request's own credential proved, for its handler (AssumeRoleWithSAML:
    # the verified assertion, so that the handler does not verify the signature again).
    proof: Any = None
    # A GetSessionToken session without MFA: "You cannot call any IAM API operations unless
    # MFA authentication information is included in the request" (GetSessionToken, STS API
    # Reference); the pipeline answers IAM as for an unknown token.
    iam_refused: bool = False


ANONYMOUS = Identity(Caller("*", PrincipalKind.ANONYMOUS, None))


def web_identity(tx: Transaction, jwks: JwksCache, params: dict[str, Any], now: datetime) -> Identity:
    """The caller of an unsigned AssumeRoleWithWebIdentity: the IAM OIDC provider that
    vouches for its token ("Calling AssumeRoleWithWebIdentity does not require the use of
    AWS security credentials"; ``services.sts.web_identity``)."""
    verified = verify_web_identity(tx, jwks, params, now)
    return Identity(verified.caller(), keys=verified.condition_keys())


def saml_identity(tx: Transaction, params: dict[str, Any], now: datetime) -> Identity:
    """The caller of an unsigned AssumeRoleWithSAML: the IAM SAML provider whose metadata's
    keys verify its assertion ("Calling AssumeRoleWithSAML does not require the use of AWS
    security credentials"; ``services.sts.saml``)."""
    verified = verify_saml(tx, params, now)
    return Identity(verified.caller(), keys=verified.condition_keys(), proof=verified)


def root_identity(account_id: str) -> Identity:
    return Identity(Caller(f"arn:aws:iam::{account_id}:root", PrincipalKind.ROOT, account_id))


def user_identity(
    tx: Transaction,
    user: User,
    *,
    temporary: bool = False,
    issued: datetime | None = None,
    mfa: datetime | None = None,
) -> Identity:
    """An IAM user as the caller: with long-term keys, or in a session (GetSessionToken's,
    or a console sign-in) issued at ``issued``, MFA-authenticated at ``mfa``."""
    caller = Caller(
        user.arn,
        PrincipalKind.USER,
        user.account_id,
        unique_id=user.id,
        name=user.name,
        tags=tx.get_tags(user.id),
        temporary=temporary,
        token_issued=issued,
        mfa_authenticated=mfa,
    )
    return Identity(caller, user.id, user.permissions_boundary)


def _transitive(claims: SessionClaims) -> dict[str, str]:
    """The session tags a chained AssumeRole passes on ("Chaining roles with session tags")."""
    keys = {key.lower() for key in claims.transitive_tag_keys}
    return {key: value for key, value in claims.session_tags if key.lower() in keys}


# A session policy that allows nothing: a federated user's session without session
# policies has no permissions ("Permissions for GetFederationToken": "if you do not pass a
# policy with the GetFederationToken API call, the resulting temporary security credentials
# have no permissions"), so its session policy set is present and empty of allows.
NO_PERMISSIONS = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":"*","Resource":"*"}]}'


def _session_principal_tags(tx: Transaction, claims: SessionClaims, source_exists: bool) -> dict[str, str]:
    """aws:PrincipalTag of a session: its source's tags (the role's, the federating
    user's), overridden by the session tags ("Pass session tags in AWS STS"), keys
    compared in any case (a user's and a role's tag keys are case-insensitive, "Tagging
    IAM resources"; so are session tag keys, "Pass session tags in AWS STS")."""
    tags = dict(tx.get_tags(claims.source_id)) if source_exists else {}
    if claims.session_tags:
        overridden = {key.lower() for key, _ in claims.session_tags}
        tags = {key: value for key, value in tags.items() if key.lower() not in overridden}
        tags.update(claims.session_tags)
    return tags


def _federated_user(tx: Transaction, claims: SessionClaims, source: object, issued: datetime) -> Identity:
    """A GetFederationToken session: the IAM user's identity policies and permissions
    boundary, capped by the session policies; principal tags are the user's, overridden by
    the session tags ("Pass session tags in AWS STS"; the override is unconfirmed)."""
    user = source if isinstance(source, User) else None
    tags = _session_principal_tags(tx, claims, user is not None)
    caller = Caller(
        claims.principal_arn,
        PrincipalKind.FEDERATED_USER,
        claims.account_id,
        unique_id=claims.source_id,
        name=claims.session_name,
        # The IAM user who federated, whom a resource-based policy may name: such a grant is
        # "limited by an implicit deny in a permission boundary or session policy" ("Policy
        # evaluation logic"), as one naming a session's role (``Principal.from_arn``).
        role_arn=user.arn if user is not None else None,
        tags=tags,
        temporary=True,
        token_issued=issued,
    )
    policy = claims.session_policy
    if policy is None and not claims.session_policy_arns:
        policy = NO_PERMISSIONS
    root = claims.source_arn.endswith(":root")
    session = Session(claims.source_id, None, policy, claims.session_policy_arns, root=root)
    if user is None:  # the root user's session (its implicit permissions), or a deleted user's (none)
        return Identity(caller, None, None, session)
    return Identity(caller, user.id, user.permissions_boundary, session)


def _session_token_identity(
    tx: Transaction, claims: SessionClaims, source: object, issued: datetime, mfa: datetime | None
) -> Identity:
    found = _session_token_caller(tx, claims, source, issued, mfa)
    return replace(found, caller=replace(found.caller, session_token=True))


def _session_token_caller(
    tx: Transaction, claims: SessionClaims, source: object, issued: datetime, mfa: datetime | None
) -> Identity:
    """A GetSessionToken session: its user's (``source``), the root user's (the account's
    own id is the source), or a deleted user's, which still authenticates and has no
    policies left ("the permissions ... are evaluated each time", "Disabling permissions
    for temporary security credentials", IAM User Guide)."""
    if isinstance(source, User):
        return user_identity(tx, source, temporary=True, issued=issued, mfa=mfa)
    if claims.source_id == claims.account_id:
        root = Caller(
            f"arn:aws:iam::{claims.account_id}:root",
            PrincipalKind.ROOT,
            claims.account_id,
            temporary=True,
            token_issued=issued,
            mfa_authenticated=mfa,
        )
        return Identity(root)
    gone = Caller(
        claims.source_arn,
        PrincipalKind.USER,
        claims.account_id,
        unique_id=claims.source_id,
        name=claims.session_name,
        temporary=True,
        token_issued=issued,
        mfa_authenticated=mfa,
        retired=True,
    )
    return Identity(gone)


class Credentials:
    """Secrets for verification, and the identity behind a verified key, per request."""

    def __init__(self, tx: Transaction, tokens: SessionTokenCodec, token: str | None, now: datetime) -> None:
        self.tx = tx
        self.tokens = tokens
        self.token = token
        self.now = now
        self.claims: SessionClaims | None = None
        self.key: AccessKey | None = None  # the long-term key ``secret`` read (same unit)

    def secret(self, access_key_id: str) -> str | None:
        """The secret of ``access_key_id`` (the ``lookup`` of SigV4 verification)."""
        if access_key_id.startswith("ASIA"):
            if not self.token:
                return None
            try:
                self.claims = self.tokens.validate(self.token, access_key_id, self.now)
            except ExpiredSessionToken:
                raise ExpiredToken(EXPIRED) from None
            except InvalidSessionToken:
                raise InvalidToken() from None  # S3: InvalidToken; IAM/STS: an unknown key
            return self.claims.secret_access_key.reveal()
        if self.token:
            # A long-term key with a session token beside it (a stale AWS_SESSION_TOKEN
            # left in the environment): AWS refuses the token, "The security token included
            # in the request is invalid" (InvalidClientTokenId; S3: InvalidToken).
            raise InvalidToken() from None
        try:
            key = self.key = self.tx.get_access_key(access_key_id)
        except SealError:
            # Written by a replica with another master key: this server cannot use the key,
            # so it is no key here (InvalidClientTokenId, S3's InvalidAccessKeyId), not a 500.
            log.error(
                "access key %s: its secret does not open with this server's master key"
                " (replicas of one store must share IAMSANDBOX_SECRET_KEY)",
                access_key_id,
            )
            return None
        if key is None or key.status != "Active":
            return None
        return key.secret.reveal()

    def identity(self, access_key_id: str) -> Identity:
        """Who owns ``access_key_id``, once its signature verified."""
        claims = self.claims
        if claims is not None:
            return self._session(claims)
        key = self.key if self.key is not None and self.key.access_key_id == access_key_id else None
        if key is None:
            key = self.tx.get_access_key(access_key_id)
        assert key is not None  # INVARIANT: verification looked it up a moment ago
        if key.user_id is None:
            return root_identity(key.account_id)
        user = self.tx.get_identity(key.user_id)
        assert isinstance(user, User)  # INVARIANT: deleting a user deletes its keys first
        return user_identity(self.tx, user)

    def _session(self, claims: SessionClaims) -> Identity:
        issued = datetime.fromtimestamp(claims.issued_at, UTC)
        mfa = (
            datetime.fromtimestamp(claims.mfa_authenticated_at, UTC)
            if claims.mfa_authenticated and claims.mfa_authenticated_at is not None
            else None
        )
        source = self.tx.get_identity(claims.source_id)
        if claims.kind == "federated-user":
            return _federated_user(self.tx, claims, source, issued)
        if claims.kind == "session":
            return replace(_session_token_identity(self.tx, claims, source, issued, mfa), iam_refused=mfa is None)
        role = source if isinstance(source, Role) else None
        tags = _session_principal_tags(self.tx, claims, role is not None)
        caller = Caller(
            claims.principal_arn,
            PrincipalKind.ROLE_SESSION,
            claims.account_id,
            unique_id=claims.source_id,
            name=claims.session_name,
            role_arn=role.arn if role is not None else claims.source_arn,
            tags=tags,
            temporary=True,
            token_issued=issued,
            mfa_authenticated=mfa,
            source_identity=claims.source_identity,
            transitive_tags=_transitive(claims),
            retired=role is None,
        )
        session = Session(claims.source_id, None, claims.session_policy, claims.session_policy_arns)
        boundary = role.permissions_boundary if role is not None else None
        return Identity(caller, claims.source_id if role is not None else None, boundary, session)

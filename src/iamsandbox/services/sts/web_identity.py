"""AssumeRoleWithWebIdentity ("AssumeRoleWithWebIdentity" in the AWS STS API reference;
"OIDC federation", "Configuring a role for GitHub OIDC identity provider" and "Available
keys for AWS OIDC federation" in the IAM User Guide).

"Calling AssumeRoleWithWebIdentity does not require the use of AWS security credentials":
the request is unsigned, and the token authenticates it. The pipeline calls
``verify_web_identity`` in place of SigV4 authentication: the caller becomes the IAM OIDC
provider that vouches for the token (a ``WEB_IDENTITY`` principal whose ARN is the
provider's, which a trust policy names as ``{"Federated": "arn:aws:iam::ACCT:oidc-provider/HOST"}``),
and the token's claims become the condition keys of the trust-policy check
(``condition_keys``). The role's trust policy alone decides (the caller has no identity
policies); AWS's denial reads "Not authorized to perform sts:AssumeRoleWithWebIdentity"
(quoted in aws/aws-sdk-java-v2#1470, sentry-kubernetes/charts#514).

Condition keys ("Available keys for AWS OIDC federation"), with PROVIDER the provider URL
(the issuer without its scheme):
- ``PROVIDER:aud``: the ``azp`` claim when the token has one, else ``aud``;
  ``PROVIDER:oaud``: ``aud`` when ``azp`` is present;
- ``PROVIDER:sub``, and ``PROVIDER:amr`` (multivalued) when the token has ``amr``;
- for GitHub's issuers, the claims AWS lists for them (repository, ref, actor, ...);
- ``aws:FederatedProvider``: the provider's ARN (unconfirmed for the trust policy check).

The session is the role's, as with AssumeRole (``assume_role.issue_role_session``):
AssumedRoleUser ``arn:aws:sts::ACCT:assumed-role/ROLE/SESSION``, the role's permissions,
intersected with the session policies. The answer adds SubjectFromWebIdentityToken (sub),
Audience (the audience the provider accepted) and Provider: the provider's ARN, as AWS
answers in practice (the reference says "the value of the iss field"; unconfirmed).

Known gaps: OAuth 2.0 access tokens (ProviderId) are refused; the token's session tags
(``https://aws.amazon.com/tags``) and source identity claims are ignored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ...authz.context import Caller
from ...errors import AccessDenied, InvalidIdentityToken
from ...policy.request import PrincipalKind
from ...store.interface import OidcProvider, Transaction
from ..context import CallContext
from .assume_role import (
    check_role_arn,
    check_session_name,
    issue_role_session,
    session_duration,
    session_policy,
    session_policy_arns,
)
from .oidc_token import (
    IdToken,
    JwksCache,
    audiences,
    check_audience,
    check_expiry,
    parse_token,
    provider_url,
    verify_signature,
)

DENIED = "Not authorized to perform sts:AssumeRoleWithWebIdentity"
NO_PROVIDER = "No OpenIDConnect provider found in your account for {issuer}"
OAUTH_REFUSED = "Only OpenID Connect ID tokens are supported; do not specify ProviderId."  # unconfirmed wording
# GitHub's claims that AWS STS offers as condition keys ("Available keys for AWS OIDC
# federation"; the Service Authorization Reference for sts:AssumeRoleWithWebIdentity).
GITHUB_CLAIMS = (
    "actor",
    "actor_id",
    "enterprise_id",
    "environment",
    "job_workflow_ref",
    "ref",
    "repository",
    "repository_id",
    "repository_owner_id",
    "workflow",
)


@dataclass(frozen=True)
class WebIdentity:
    """A verified token and the provider that vouches for it."""

    provider: OidcProvider
    token: IdToken

    @property
    def subject(self) -> str:
        return str(self.token.claims.get("sub", ""))

    def caller(self) -> Caller:
        return Caller(self.provider.arn, PrincipalKind.WEB_IDENTITY, self.provider.account_id, name=self.subject)

    def condition_keys(self) -> dict[str, str | list[str]]:
        claims = self.token.claims
        prefix = self.provider.url
        keys: dict[str, str | list[str]] = {"aws:FederatedProvider": self.provider.arn}
        found = audiences(self.token)
        azp = claims.get("azp")
        if isinstance(azp, str):
            keys[f"{prefix}:aud"] = azp
            keys[f"{prefix}:oaud"] = found[0] if len(found) == 1 else found
        else:
            keys[f"{prefix}:aud"] = found[0] if len(found) == 1 else found
        if "sub" in claims:
            keys[f"{prefix}:sub"] = str(claims["sub"])
        amr = claims.get("amr")
        if isinstance(amr, list):
            keys[f"{prefix}:amr"] = [str(value) for value in amr]
        elif isinstance(amr, str):
            keys[f"{prefix}:amr"] = [amr]
        host = prefix.split("/", 1)[0]
        github = host == "token.actions.githubusercontent.com"
        if github or (host.startswith("token.actions.") and host.endswith(".ghe.com")):
            for claim in GITHUB_CLAIMS:
                if claim in claims:
                    keys[f"{prefix}:{claim}"] = str(claims[claim])
        return keys


def verify_web_identity(tx: Transaction, jwks: JwksCache, params: dict[str, Any], now: datetime) -> WebIdentity:
    """Verify the request's WebIdentityToken for the role's account: the provider of its
    issuer, the signature, the expiry, the audience (in that order; AWS's order is
    unconfirmed beyond the provider coming first)."""
    if params.get("ProviderId"):
        raise InvalidIdentityToken(OAUTH_REFUSED)
    role_arn = str(params.get("RoleArn", ""))
    check_role_arn(role_arn)
    token = parse_token(str(params.get("WebIdentityToken", "")))
    url = provider_url(token.issuer)
    account = role_arn.split(":")[4]
    provider = tx.get_oidc_provider(f"arn:aws:iam::{account}:oidc-provider/{url}") if url else None
    if provider is None:
        raise InvalidIdentityToken(NO_PROVIDER.format(issuer=token.issuer))
    verify_signature(jwks, token)
    check_expiry(token, now)
    check_audience(token, provider.client_ids)
    return WebIdentity(provider, token)


def assume_role_with_web_identity(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    """The pipeline has verified the token (``verify_web_identity``: the caller is its
    provider, named by the token's subject) and evaluated the trust policy; the answer's
    Audience is read from the token again, without a second signature check."""
    caller = ctx.caller
    provider = ctx.tx.get_oidc_provider(caller.arn)
    # INVARIANT: the pipeline authenticates this operation by its token alone.
    assert caller.kind is PrincipalKind.WEB_IDENTITY and provider is not None
    audience = check_audience(parse_token(str(params["WebIdentityToken"])), provider.client_ids)
    session_name = params["RoleSessionName"]
    check_session_name(session_name)
    role = ctx.tx.get_role_by_arn(params["RoleArn"])
    if role is None:
        # AWS does not tell a missing role from a refused one.
        raise AccessDenied(DENIED)
    duration = session_duration(ctx, role, params.get("DurationSeconds"))
    policy = session_policy(params.get("Policy"))
    policy_arns = session_policy_arns(ctx, role.account_id, params.get("PolicyArns"))
    out = issue_role_session(ctx, role, session_name, duration, policy=policy, policy_arns=policy_arns, params=params)
    out["SubjectFromWebIdentityToken"] = caller.name
    out["Audience"] = audience
    out["Provider"] = provider.arn
    return out

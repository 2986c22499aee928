"""The STS operations iamsandbox implements, by AWS operation name.

A federated user's session (GetFederationToken) may call GetCallerIdentity only ("You
cannot call any STS operations except GetCallerIdentity", GetFederationToken in the STS
API reference); GetSessionToken and GetFederationToken refuse every session themselves; a
GetSessionToken session may call AssumeRole and GetCallerIdentity only ("Compare AWS STS
credentials", IAM User Guide).
"""

from __future__ import annotations

from ..context import Handler
from .assume_role import assume_role
from .decode_message import decode_authorization_message
from .federation import get_federation_token, refuse_federated_user, sts_refused
from .identity import get_access_key_info, get_caller_identity, get_session_token
from .saml import assume_role_with_saml
from .web_identity import assume_role_with_web_identity

HANDLERS: dict[str, Handler] = {
    "AssumeRole": refuse_federated_user(assume_role, sts_refused("sts:AssumeRole", "RoleArn")),
    "AssumeRoleWithWebIdentity": assume_role_with_web_identity,
    "AssumeRoleWithSAML": assume_role_with_saml,
    "GetCallerIdentity": get_caller_identity,
    "GetSessionToken": get_session_token,
    "GetFederationToken": get_federation_token,
    "GetAccessKeyInfo": refuse_federated_user(
        get_access_key_info, sts_refused("sts:GetAccessKeyInfo", None), session_tokens=True
    ),
    "DecodeAuthorizationMessage": refuse_federated_user(
        decode_authorization_message, sts_refused("sts:DecodeAuthorizationMessage", None), session_tokens=True
    ),
}

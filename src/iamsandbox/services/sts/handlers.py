"""The STS operations iamsandbox implements, by AWS operation name."""

from __future__ import annotations

from ..context import Handler
from .assume_role import assume_role
from .identity import get_access_key_info, get_caller_identity, get_session_token

HANDLERS: dict[str, Handler] = {
    "AssumeRole": assume_role,
    "GetCallerIdentity": get_caller_identity,
    "GetSessionToken": get_session_token,
    "GetAccessKeyInfo": get_access_key_info,
}

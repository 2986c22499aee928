"""STS DecodeAuthorizationMessage (AWS STS API Reference, DecodeAuthorizationMessage).

"To decode an authorization status message, a user must be granted permissions through an
IAM policy to request the DecodeAuthorizationMessage (sts:DecodeAuthorizationMessage)
action": the table (authz/actions.py) authorizes that action on "*" (the action has no
resource type in the Service Authorization Reference) before this handler runs, so a caller
without it gets AccessDenied.

iamsandbox never hands out an encoded authorization message (its AccessDenied messages say
in clear text who was denied what and why, as S3 and IAM do), so no message it is given was
encoded by it: every one is a message STS cannot decode, InvalidAuthorizationMessageException
(HTTP 400, sender fault: botocore's sts model; "The error returned if the message passed to
DecodeAuthorizationMessage was invalid. This can happen if the token contains invalid
characters, such as line breaks, or if the message has expired", STS API Reference). An
empty or over-long EncodedMessage (1 to 10,240 characters) is refused by the query
protocol's model check first. A federated user's session is refused, as for every STS
operation but GetCallerIdentity (GetFederationToken).

Known gap: the message text of the exception is unconfirmed.
"""

from __future__ import annotations

from typing import Any

from ...errors import InvalidAuthorizationMessageException
from ..context import CallContext

INVALID_MESSAGE = "Message is not valid"  # unconfirmed wording


def decode_authorization_message(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    raise InvalidAuthorizationMessageException(INVALID_MESSAGE)

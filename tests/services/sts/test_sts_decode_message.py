"""DecodeAuthorizationMessage: iamsandbox hands out no encoded authorization message, so
every message it is given is one STS cannot decode; the caller still needs
sts:DecodeAuthorizationMessage.

AWS pages: AWS STS API Reference, DecodeAuthorizationMessage ("To decode an authorization
status message, a user must be granted permissions through an IAM policy to request the
DecodeAuthorizationMessage (sts:DecodeAuthorizationMessage) action"; Errors:
InvalidAuthorizationMessageException, HTTP 400; EncodedMessage: 1 to 10240 characters);
Service Authorization Reference, "Actions, resources, and condition keys for AWS Security
Token Service" (no resource type). The exception's message text is unconfirmed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from botocore.exceptions import ClientError
from inprocess_harness import client, open_app, root_keys, user_keys
from services_harness import Call, root_caller

from iamsandbox.authz.actions import spec_for
from iamsandbox.authz.context import Caller
from iamsandbox.errors import AccessDenied, InvalidAuthorizationMessageException
from iamsandbox.policy import PrincipalKind
from iamsandbox.services.sts.handlers import HANDLERS

A = "111111111111"
# The shape of an encoded message AWS returns (base64url text); none that iamsandbox issued.
ENCODED = "B2UTpuAS30_naB5rE3Dw5v2ENy-V5w3H0wmt6rfE8hrpUz2dCIiA5XcBCtzo4cipk_JiGxAKCvlZQy0Rr2Xi3Fg2pKdkvojgn5"


def test_every_message_is_one_sts_cannot_decode(call: Call) -> None:
    """Errors: InvalidAuthorizationMessageException, "The error returned if the message passed
    to DecodeAuthorizationMessage was invalid" (400, a sender fault)."""
    with pytest.raises(InvalidAuthorizationMessageException) as raised:
        call(HANDLERS["DecodeAuthorizationMessage"], root_caller(), {"EncodedMessage": ENCODED})
    assert (raised.value.code, raised.value.status, raised.value.sender_fault) == (
        "InvalidAuthorizationMessageException",
        400,
        True,
    )


def test_a_federated_user_is_refused(call: Call) -> None:
    """GetFederationToken: a federated user's session "cannot call any STS operations except
    GetCallerIdentity"."""
    federated = Caller(
        arn=f"arn:aws:sts::{A}:federated-user/bob",
        kind=PrincipalKind.FEDERATED_USER,
        account=A,
        unique_id=f"{A}:bob",
        name="bob",
        temporary=True,
    )
    with pytest.raises(AccessDenied) as raised:
        call(HANDLERS["DecodeAuthorizationMessage"], federated, {"EncodedMessage": ENCODED})
    assert "sts:DecodeAuthorizationMessage" in raised.value.message


def test_the_action_in_the_table() -> None:
    """Service Authorization Reference: sts:DecodeAuthorizationMessage, no resource type."""
    spec = spec_for("sts", "DecodeAuthorizationMessage")
    assert spec is not None and not spec.unauthorized
    assert (spec.action, spec.resource.kind) == ("sts:DecodeAuthorizationMessage", "*")


def test_over_the_wire_the_permission_comes_first(tmp_path: Path) -> None:
    """Through the request path (in process): a user without sts:DecodeAuthorizationMessage
    gets AccessDenied (403); with it, InvalidAuthorizationMessageException (400); an empty
    message fails the model's length constraint first (EncodedMessage: "Minimum length of
    1")."""
    app = open_app(tmp_path, A)
    iam = client(app, "iam", root_keys(app, A))
    iam.create_user(UserName="nobody")
    iam.create_user(UserName="decoder")
    policy = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "sts:DecodeAuthorizationMessage", "Resource": "*"}],
    }
    iam.put_user_policy(UserName="decoder", PolicyName="decode", PolicyDocument=json.dumps(policy))

    nobody = client(app, "sts", user_keys(app, A, "nobody"))
    with pytest.raises(ClientError) as denied:
        nobody.decode_authorization_message(EncodedMessage=ENCODED)
    assert denied.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert denied.value.response["Error"]["Code"] == "AccessDenied"
    assert denied.value.response["Error"]["Message"] == (
        f"User: arn:aws:iam::{A}:user/nobody is not authorized to perform: sts:DecodeAuthorizationMessage on "
        "resource: * because no identity-based policy allows the sts:DecodeAuthorizationMessage action"
    )

    decoder = client(app, "sts", user_keys(app, A, "decoder"))
    with pytest.raises(ClientError) as invalid:
        decoder.decode_authorization_message(EncodedMessage=ENCODED)
    assert invalid.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert invalid.value.response["Error"]["Code"] == "InvalidAuthorizationMessageException"
    assert invalid.value.response["Error"]["Type"] == "Sender"

    unchecked = client(app, "sts", user_keys(app, A, "decoder"), validate=False)
    with pytest.raises(ClientError) as empty:
        unchecked.decode_authorization_message(EncodedMessage="")
    assert empty.value.response["Error"]["Code"] == "ValidationError"

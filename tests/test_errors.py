"""Error classes against botocore's service models: code, HTTP status, sender fault.

The models are AWS's own description of each service's errors; where a code is not in
them, the test names the AWS page instead.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import botocore
import pytest

from iamsandbox import errors


def _model_errors(service: str) -> dict[str, dict[str, object]]:
    root = Path(botocore.__file__).parent / "data" / service
    path = sorted(root.glob("*/service-2.json*"))[-1]
    raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    shapes = json.loads(raw)["shapes"]
    found: dict[str, dict[str, object]] = {}
    for name, shape in shapes.items():
        if shape.get("exception"):
            error = shape.get("error", {})
            found[error.get("code", name)] = {
                "status": error.get("httpStatusCode", 400),
                # JSON-protocol models (Organizations) often omit it: then unknown.
                "sender_fault": error.get("senderFault"),
            }
    return found


@pytest.mark.parametrize(
    ("cls", "service"),
    [
        (errors.MalformedPolicyDocument, "iam"),
        (errors.LimitExceeded, "iam"),
        (errors.InvalidInput, "iam"),
        (errors.EntityAlreadyExists, "iam"),
        (errors.NoSuchEntity, "iam"),
        (errors.DeleteConflict, "iam"),
        (errors.ConcurrentModification, "iam"),
        (errors.EntityTemporarilyUnmodifiable, "iam"),
        (errors.PasswordPolicyViolation, "iam"),
        (errors.InvalidAuthenticationCode, "iam"),
        (errors.PolicyNotAttachable, "iam"),
        (errors.UnmodifiableEntity, "iam"),
        (errors.PackedPolicyTooLarge, "sts"),
        (errors.InvalidAuthorizationMessageException, "sts"),
        (errors.InvalidContextAssertion, "sts"),
        (errors.MalformedPolicyDocumentException, "organizations"),
    ],
)
def test_error_matches_service_model(cls: type[errors.ServiceError], service: str) -> None:
    model = _model_errors(service)
    assert cls.code in model, f"{cls.code} is not an error of {service}"
    assert model[cls.code]["status"] == cls.status
    if model[cls.code]["sender_fault"] is not None:
        assert model[cls.code]["sender_fault"] == cls.sender_fault


def test_s3_malformed_policy_code() -> None:
    # S3's model has no error shape for it; "Error responses" in the S3 API reference
    # lists MalformedPolicy: "Policy has invalid resource." with HTTP 400.
    assert errors.MalformedPolicy.code == "MalformedPolicy"
    assert errors.MalformedPolicy.status == 400


def test_message_and_repr_carry_no_more_than_the_message() -> None:
    error = errors.MalformedPolicyDocument("Syntax errors in policy.")
    assert str(error) == "Syntax errors in policy."
    assert repr(error) == "MalformedPolicyDocument('Syntax errors in policy.')"

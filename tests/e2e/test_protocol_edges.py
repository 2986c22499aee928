"""What the server answers outside the happy path: an operation AWS has and iamsandbox does
not ("not implemented", naming it), an action AWS does not have (InvalidAction), and a
request without credentials (MissingAuthenticationToken), each as AWS-shaped XML."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.exceptions import ClientError
from e2e_harness import A, Server, _client


def test_operation_without_a_handler_says_so(server: Server) -> None:
    iam = _client(server, "iam", server.create_account(A))
    with pytest.raises(ClientError) as raised:
        iam.set_security_token_service_preferences(GlobalEndpointTokenVersion="v2Token")
    error = raised.value.response["Error"]
    assert error["Code"] == "NotImplemented"
    assert "SetSecurityTokenServicePreferences" in error["Message"]


def test_s3_operation_without_a_handler_says_so(server: Server) -> None:
    # Found by tests/e2e/test_fuzz_server.py: an S3 operation of the model without a
    # handler (then GET /bucket/key?tagging; now ?retention) reached the pipeline's
    # invariant and answered InternalError; it answers NotImplemented naming it, as the
    # query services do.
    s3 = _client(server, "s3", server.create_account(A))
    s3.create_bucket(Bucket="edges")
    s3.put_object(Bucket="edges", Key="k", Body=b"x")
    with pytest.raises(ClientError) as raised:
        s3.get_object_retention(Bucket="edges", Key="k")
    error = raised.value.response["Error"]
    assert error["Code"] == "NotImplemented" and "GetObjectRetention" in error["Message"]
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 501


def _post(server: Server, body: str, keys: dict[str, str] | None) -> tuple[int, bytes]:
    request = AWSRequest(
        method="POST",
        url=server.url + "/",
        data=body.encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
    )
    if keys is not None:
        SigV4Auth(Credentials(keys["AccessKeyId"], keys["SecretAccessKey"]), "iam", "us-east-1").add_auth(request)
    prepared = urllib.request.Request(server.url + "/", data=request.body, headers=dict(request.headers), method="POST")
    try:
        with urllib.request.urlopen(prepared, timeout=10) as response:  # noqa: S310  (our own loopback server)
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_unknown_action_and_missing_credentials(server: Server) -> None:
    keys = server.create_account(A)
    status, body = _post(server, "Action=NoSuchThing&Version=2010-05-08", keys)
    assert status == 400 and b"<Code>InvalidAction</Code>" in body
    status, body = _post(server, "Action=ListUsers&Version=2010-05-08", None)
    assert status == 403 and b"<Code>MissingAuthenticationToken</Code>" in body

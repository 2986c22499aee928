"""Expired temporary credentials, end to end, in each service's words.

AssumeRole and GetSessionToken last at least 900 seconds, so the test does not wait: it
reads the server's master key from its data directory (``secret.key``, as ``serve``
keeps it; README "Configuration"), opens a session token the server issued with the
package's own codec, and seals the same claims again with a different expiry. A token
resealed to expire in an hour still works; the same token resealed to have expired is
refused: only the expiry differs.

What AWS answers:
- IAM and STS: ``ExpiredToken``, "The security token included in the request is
  expired", HTTP 403 (ErrorResponse quoted in cfn-sphere/cfn-sphere#55 for IAM,
  pulumi/pulumi-aws#2560 and aws/aws-sdk-java-v2#1649 for STS; "Common Errors" in the
  IAM API Reference lists the 403).
- S3: ``ExpiredToken``, "The provided token has expired.", HTTP 400 (quoted from S3 in
  craftcms/aws-s3#182 and romange/helio#15; S3 also echoes the token as ``Token-0``,
  which iamsandbox leaves out: no token goes into an error).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from e2e_harness import ROLE_ARN, Server, _client, _set_up

from iamsandbox.auth.session_token import SessionTokenCodec
from iamsandbox.store.crypto import derive_key, load_master_keys

QUERY_EXPIRED = "The security token included in the request is expired"
S3_EXPIRED = "The provided token has expired."


def _reseal(server: Server, token: str, expires_in: int) -> str:
    """The session ``token`` again, sealed with the server's key, expiring ``expires_in``
    seconds from now (negative: already expired)."""
    codec = SessionTokenCodec([derive_key(key, "session-token") for key in load_master_keys(server.data)])
    claims = codec.open(token)
    now = int(time.time())
    return codec.seal(replace(claims, issued_at=now - 7200, expires_at=now + expires_in))


def _session(creds: dict[str, Any], token: str) -> dict[str, str]:
    return {"AccessKeyId": creds["AccessKeyId"], "SecretAccessKey": creds["SecretAccessKey"], "Token": token}


def _as(server: Server, service: str, session: dict[str, str]) -> Any:
    return _client(server, service, session, token=session["Token"])


def _refused(call: Any, message: str, status: int) -> None:
    with pytest.raises(ClientError) as caught:
        call()
    error = caught.value.response["Error"]
    assert (error["Code"], error["Message"]) == ("ExpiredToken", message)
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == status


def _assume(server: Server, alice: dict[str, str]) -> dict[str, Any]:
    sts = _client(server, "sts", {"AccessKeyId": alice["AccessKeyId"], "SecretAccessKey": alice["SecretAccessKey"]})
    creds: dict[str, Any] = sts.assume_role(RoleArn=ROLE_ARN, RoleSessionName="alice")["Credentials"]
    return creds


def test_expired_role_session_is_refused_by_every_service(server: Server) -> None:
    creds = _assume(server, _set_up(server))

    still_valid = _session(creds, _reseal(server, creds["SessionToken"], 3600))
    assert (
        _as(server, "sts", still_valid)
        .get_caller_identity()["Arn"]
        .endswith(":assumed-role/my-s3-x-account-role/alice")
    )
    assert _as(server, "s3", still_valid).get_object(Bucket="shared-bucket", Key="report.csv")["Body"].read()

    expired = _session(creds, _reseal(server, creds["SessionToken"], -1))
    sts, iam, s3 = (_as(server, service, expired) for service in ("sts", "iam", "s3"))
    _refused(sts.get_caller_identity, QUERY_EXPIRED, 403)
    _refused(lambda: sts.assume_role(RoleArn=ROLE_ARN, RoleSessionName="chained"), QUERY_EXPIRED, 403)
    _refused(iam.list_roles, QUERY_EXPIRED, 403)
    _refused(lambda: s3.list_objects_v2(Bucket="shared-bucket"), S3_EXPIRED, 400)
    _refused(lambda: s3.get_object(Bucket="shared-bucket", Key="report.csv"), S3_EXPIRED, 400)
    # An aws-chunked upload is refused on its credentials before its body counts.
    _refused(lambda: s3.put_object(Bucket="shared-bucket", Key="new", Body=b"x" * 10000), S3_EXPIRED, 400)
    assert [
        item["Key"] for item in _as(server, "s3", still_valid).list_objects_v2(Bucket="shared-bucket")["Contents"]
    ] == ["report.csv"]

    # A presigned URL made with the expired session answers S3's Error XML.
    presigner = _client(server, "s3", expired, token=expired["Token"], signature_version="s3v4")
    url = presigner.generate_presigned_url(
        "get_object", Params={"Bucket": "shared-bucket", "Key": "report.csv"}, ExpiresIn=60
    )
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(url, timeout=10)  # noqa: S310  (our own loopback server)
    body = caught.value.read()
    assert caught.value.code == 400
    assert b"<Code>ExpiredToken</Code>" in body and f"<Message>{S3_EXPIRED}</Message>".encode() in body
    assert expired["Token"].encode() not in body and b"Token-0" not in body


def test_expired_get_session_token_session(server: Server) -> None:
    alice = _set_up(server)
    sts = _client(server, "sts", {"AccessKeyId": alice["AccessKeyId"], "SecretAccessKey": alice["SecretAccessKey"]})
    creds = sts.get_session_token(DurationSeconds=900)["Credentials"]
    still_valid = _session(creds, _reseal(server, creds["SessionToken"], 600))
    assert _as(server, "sts", still_valid).get_caller_identity()["Arn"] == "arn:aws:iam::222222222222:user/alice"
    expired = _session(creds, _reseal(server, creds["SessionToken"], -60))
    _refused(_as(server, "sts", expired).get_caller_identity, QUERY_EXPIRED, 403)
    _refused(lambda: _as(server, "iam", expired).get_user(UserName="alice"), QUERY_EXPIRED, 403)


def test_aws_cli_reports_the_expired_token(server: Server, tmp_path: Path) -> None:
    creds = _assume(server, _set_up(server))
    env = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": creds["AccessKeyId"],
        "AWS_SECRET_ACCESS_KEY": creds["SecretAccessKey"],
        "AWS_SESSION_TOKEN": _reseal(server, creds["SessionToken"], -1),
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ENDPOINT_URL": server.url,
        "HOME": str(tmp_path),
    }
    aws = str(Path(sys.executable).parent / "aws")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([aws, *args], capture_output=True, text=True, env=env, timeout=120, check=False)

    done = run("sts", "get-caller-identity")
    assert done.returncode != 0
    assert f"(ExpiredToken) when calling the GetCallerIdentity operation: {QUERY_EXPIRED}" in done.stderr
    done = run("s3", "ls", "s3://shared-bucket")
    assert done.returncode != 0
    assert f"(ExpiredToken) when calling the ListObjectsV2 operation: {S3_EXPIRED}" in done.stderr


def test_a_changed_session_token_is_invalid_in_each_services_words(server: Server) -> None:
    # S3 "Error responses": InvalidToken, "The provided token is malformed or otherwise
    # invalid.", 400. IAM/STS: InvalidClientTokenId, "The security token included in the
    # request is invalid." ("Common Errors", 403).
    keys = _set_up(server)
    credentials = _client(server, "sts", keys).assume_role(RoleArn=ROLE_ARN, RoleSessionName="alice")["Credentials"]
    token = credentials["SessionToken"]
    changed = token[:40] + ("A" if token[40] != "A" else "B") + token[41:]
    session = {"AccessKeyId": credentials["AccessKeyId"], "SecretAccessKey": credentials["SecretAccessKey"]}
    with pytest.raises(ClientError) as s3_error:
        _client(server, "s3", session, changed).list_objects_v2(Bucket="shared-bucket")
    assert s3_error.value.response["Error"]["Code"] == "InvalidToken"
    assert s3_error.value.response["Error"]["Message"] == "The provided token is malformed or otherwise invalid."
    assert s3_error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    with pytest.raises(ClientError) as sts_error:
        _client(server, "sts", session, changed).get_caller_identity()
    assert sts_error.value.response["Error"]["Code"] == "InvalidClientTokenId"
    assert sts_error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_a_session_token_beside_a_long_term_key_is_refused(server: Server) -> None:
    # A stale AWS_SESSION_TOKEN left beside a user's long-term key: AWS answers the request
    # with InvalidClientTokenId, "The security token included in the request is invalid"
    # ("Common Errors", IAM API reference, 403), and S3 with InvalidToken (S3 "Error
    # responses", 400); without the token the same key works.
    keys = _set_up(server)
    assert _client(server, "sts", keys).get_caller_identity()["Arn"] == "arn:aws:iam::222222222222:user/alice"
    stale = _client(server, "sts", keys).assume_role(RoleArn=ROLE_ARN, RoleSessionName="stale")["Credentials"]
    with pytest.raises(ClientError) as sts_error:
        _client(server, "sts", keys, stale["SessionToken"]).get_caller_identity()
    assert sts_error.value.response["Error"]["Code"] == "InvalidClientTokenId"
    assert sts_error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    with pytest.raises(ClientError) as s3_error:
        _client(server, "s3", keys, "not-a-token").list_buckets()
    assert s3_error.value.response["Error"]["Code"] == "InvalidToken"
    assert s3_error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400

"""An access key ID that no key could have (undecodable bytes, characters outside
AccessKeyId's [\\w]+ pattern, IAM API Reference) is an unknown key, answered in the
service's words, never an internal error: for a SigV2 and a SigV4 presigned URL and a
header-signed request.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from botocore.awsrequest import AWSRequest
from botocore.exceptions import ClientError
from inprocess_harness import ENDPOINT, _send, client, open_app, root_keys

A = "111111111111"


@pytest.mark.parametrize(
    "target",
    [
        "/bkt/k?AWSAccessKeyId=%FF%FE&Signature=x&Expires=4102444800",
        "/bkt/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=%FF%FE%2F20260101%2Fus-east-1%2Fs3%2Faws4_request"
        "&X-Amz-Date=20260101T000000Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature=00",
        "/bkt/k?AWSAccessKeyId=AKIA%20EXAMPLE%2B&Signature=x&Expires=4102444800",
    ],
)
def test_an_impossible_key_id_is_unknown(tmp_path: Path, target: str) -> None:
    app = open_app(tmp_path, A)
    client(app, "s3", root_keys(app, A)).create_bucket(Bucket="bkt")
    response = _send(app, AWSRequest(method="GET", url=ENDPOINT + target).prepare())
    assert response.status_code == 403
    assert b"<Code>InvalidAccessKeyId</Code>" in response.content


def test_s3_names_the_unknown_key_in_its_error(tmp_path: Path) -> None:
    """S3's InvalidAccessKeyId carries the key as AWSAccessKeyId, as S3 answers it ("...does not
    exist in our records.</Message><AWSAccessKeyId>AKIA...</AWSAccessKeyId>", a 403 recorded
    from S3 in 2021, JuliaCI's PkgEval logs); IAM's and STS's InvalidClientTokenId has none."""
    app = open_app(tmp_path, A)
    client(app, "s3", root_keys(app, A)).create_bucket(Bucket="bkt")
    unknown = {"aws_access_key_id": "AKIAUNKNOWNKEY000000", "aws_secret_access_key": "x" * 40}
    with pytest.raises(ClientError) as refused:
        client(app, "s3", unknown).list_objects_v2(Bucket="bkt")
    error = refused.value.response["Error"]
    assert error["Code"] == "InvalidAccessKeyId" and error["AWSAccessKeyId"] == "AKIAUNKNOWNKEY000000"
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    with pytest.raises(ClientError) as sts_refused:
        client(app, "sts", unknown).get_caller_identity()
    assert sts_refused.value.response["Error"]["Code"] == "InvalidClientTokenId"
    assert "AWSAccessKeyId" not in sts_refused.value.response["Error"]

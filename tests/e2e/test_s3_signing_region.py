"""A bucket answers requests signed for its own Region; SDKs follow S3's answer to another.

Amazon S3 answers a request for a bucket signed for another Region than the bucket's with
400 AuthorizationHeaderMalformed "The authorization header is malformed; the region
'us-east-1' is wrong; expecting 'eu-central-1'", a ``<Region>`` member and an
``x-amz-bucket-region`` header (a response recorded from S3 in jsoma/flatware#10), or, for a
presigned URL, AuthorizationQueryParametersError "Error parsing the X-Amz-Credential
parameter; the region 'us-east-1' is wrong; expecting 'eu-central-1'" with ``<Region>``
(recorded in ai-dock/comfyui#34). botocore reads the Region (or the header of a HEAD) and
signs the request again for it (its S3RegionRedirector), so boto3 and the AWS CLI
configured for us-east-1 still reach a bucket in eu-west-1, as against AWS.
GetBucketLocation answers whatever the signing Region.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from e2e_harness import A, Server, _client, aws_cli

from shared_boto import shared_client


def test_a_bucket_in_another_region_through_boto3_the_cli_and_raw_requests(server: Server, tmp_path: Path) -> None:
    root = server.create_account(A)
    keys = {"aws_access_key_id": root["AccessKeyId"], "aws_secret_access_key": root["SecretAccessKey"]}
    ireland = shared_client("s3", endpoint_url=server.url, region_name="eu-west-1", **keys)
    ireland.create_bucket(Bucket="dublin", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})

    virginia = _client(server, "s3", root)  # us-east-1: redirected by botocore, as against AWS
    virginia.put_object(Bucket="dublin", Key="k", Body=b"hello")
    assert virginia.get_object(Bucket="dublin", Key="k")["Body"].read() == b"hello"
    assert virginia.head_bucket(Bucket="dublin")["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert [item["Key"] for item in virginia.list_objects_v2(Bucket="dublin")["Contents"]] == ["k"]
    fresh = _client(server, "s3", root)  # no redirect cached yet
    assert fresh.get_bucket_location(Bucket="dublin")["LocationConstraint"] == "eu-west-1"
    # A us-east-1 client makes a bucket elsewhere as against S3's global endpoint, where
    # botocore sends us-east-1's requests (CreateBucket, S3 API reference).
    fresh.create_bucket(Bucket="from-virginia", CreateBucketConfiguration={"LocationConstraint": "eu-west-2"})
    assert fresh.get_bucket_location(Bucket="from-virginia")["LocationConstraint"] == "eu-west-2"
    fresh.put_object(Bucket="from-virginia", Key="k", Body=b"x")  # redirected to eu-west-2

    done = aws_cli(server, tmp_path, root, "s3", "cp", "s3://dublin/k", str(tmp_path / "k"))  # us-east-1 CLI
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "k").read_bytes() == b"hello"

    request = AWSRequest(
        method="GET", url=f"{server.url}/dublin/k", headers={"X-Amz-Content-SHA256": "UNSIGNED-PAYLOAD"}
    )
    SigV4Auth(Credentials(root["AccessKeyId"], root["SecretAccessKey"]), "s3", "us-east-1").add_auth(request)
    prepared = request.prepare()
    raw = urllib.request.Request(prepared.url, headers=dict(prepared.headers), method="GET")
    try:
        urllib.request.urlopen(raw, timeout=10)  # noqa: S310
        raise AssertionError("a request signed for us-east-1 was answered for a bucket in eu-west-1")
    except urllib.error.HTTPError as error:
        assert error.code == 400
        assert error.headers["x-amz-bucket-region"] == "eu-west-1"
        body = error.read()
        assert b"<Code>AuthorizationHeaderMalformed</Code>" in body
        assert (
            b"<Message>The authorization header is malformed; the region 'us-east-1' is wrong; "
            b"expecting 'eu-west-1'</Message><Region>eu-west-1</Region>" in body
        )

    presigner = shared_client(
        "s3", endpoint_url=server.url, region_name="us-east-1", config=Config(signature_version="s3v4"), **keys
    )
    url = presigner.generate_presigned_url("get_object", Params={"Bucket": "dublin", "Key": "k"}, ExpiresIn=60)
    try:
        urllib.request.urlopen(url, timeout=10)  # noqa: S310
        raise AssertionError("a URL presigned for us-east-1 was answered for a bucket in eu-west-1")
    except urllib.error.HTTPError as error:
        assert error.code == 400
        body = error.read()
        assert b"<Code>AuthorizationQueryParametersError</Code>" in body
        assert b"the region 'us-east-1' is wrong; expecting 'eu-west-1'" in body
    good = ireland.generate_presigned_url("get_object", Params={"Bucket": "dublin", "Key": "k"}, ExpiresIn=60)
    with urllib.request.urlopen(good, timeout=10) as response:  # noqa: S310
        assert response.read() == b"hello"

"""s3:signatureversion and s3:authType in the request context, through the whole path.

AWS pages: Service Authorization Reference, "Actions, resources, and condition keys for
Amazon S3" (s3:signatureversion: "AWS" for SigV2, "AWS4-HMAC-SHA256" for SigV4;
s3:authType: REST-HEADER, REST-QUERY-STRING, POST), and the S3 API Reference's "Amazon S3
Signature Version 4 authentication-specific policy keys", whose example bucket policy
denies every request not signed with SigV4.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from unittest import mock

import boto3
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError
from inprocess_harness import ENDPOINT, _send, client, open_app, root_keys

A = "111111111111"


def _v2_client(app: Any, keys: dict[str, str]) -> Any:
    made = boto3.session.Session(region_name="us-east-1").client(
        "s3", endpoint_url=ENDPOINT, config=Config(signature_version="s3"), **keys
    )
    made.meta.events.register("before-send", lambda request, **kw: _send(app, request, **kw))
    return made


def _deny_if(operator: str, key: str, value: str) -> str:
    """A bucket policy denying s3:GetObject on bkt's objects under one condition."""
    statement = {
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::bkt/*",
        "Condition": {operator: {key: value}},
    }
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def _deny(key: str, value: str) -> str:
    return _deny_if("StringNotEquals", key, value)


def test_a_bucket_policy_can_require_sigv4(tmp_path: Path) -> None:
    app = open_app(tmp_path, A)
    keys = root_keys(app, A)
    s3 = client(app, "s3", keys)
    s3.create_bucket(Bucket="bkt")
    s3.put_object(Bucket="bkt", Key="k", Body=b"x")
    v2 = _v2_client(app, keys)
    assert v2.get_object(Bucket="bkt", Key="k")["Body"] is not None  # allowed before the policy

    s3.put_bucket_policy(Bucket="bkt", Policy=_deny("s3:signatureversion", "AWS4-HMAC-SHA256"))
    assert s3.head_object(Bucket="bkt", Key="k")["ContentLength"] == 1  # SigV4: allowed
    with pytest.raises(ClientError) as denied:
        v2.head_object(Bucket="bkt", Key="k")
    assert denied.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_a_bucket_policy_can_refuse_presigned_urls(tmp_path: Path) -> None:
    app = open_app(tmp_path, A)
    s3 = client(app, "s3", root_keys(app, A))
    s3.create_bucket(Bucket="bkt")
    s3.put_object(Bucket="bkt", Key="k", Body=b"x")
    s3.put_bucket_policy(Bucket="bkt", Policy=_deny("s3:authType", "REST-HEADER"))
    assert s3.head_object(Bucket="bkt", Key="k")["ContentLength"] == 1
    url = s3.generate_presigned_url("get_object", Params={"Bucket": "bkt", "Key": "k"}, ExpiresIn=60)
    assert _send(app, AWSRequest(method="GET", url=url).prepare()).status_code == 403


def test_a_sigv2_body_is_held_to_its_content_md5_on_every_operation(tmp_path: Path) -> None:
    """SigV2 signs Content-MD5, not the body ("Signing and authenticating REST requests",
    S3 API Reference: the StringToSign's Content-MD5 "can be used as a message integrity
    check"; "Common Request Headers": Content-MD5 is "used as a message integrity check to
    verify that the data is the same data that was originally sent"). A body changed on the
    way under an unchanged Content-MD5 is refused with BadDigest, for PutBucketTagging as for
    PutObject, and the tags are not changed."""
    import base64
    import hashlib

    app = open_app(tmp_path, A)
    keys = root_keys(app, A)
    client(app, "s3", keys).create_bucket(Bucket="bkt")
    v2 = _v2_client(app, keys)

    def add_md5(request: Any, **_: Any) -> None:
        body = request.body if isinstance(request.body, bytes) else request.body.encode()
        request.headers["Content-MD5"] = base64.b64encode(hashlib.md5(body).digest()).decode()

    def tamper(request: Any, **_: Any) -> None:
        body = request.body if isinstance(request.body, bytes) else request.body.encode()
        request.body = body.replace(b"blue", b"gold")

    v2.meta.events.register_first("before-sign.s3.PutBucketTagging", add_md5)
    v2.meta.events.register_first("before-send.s3.PutBucketTagging", tamper)
    with pytest.raises(ClientError) as refused:
        v2.put_bucket_tagging(Bucket="bkt", Tagging={"TagSet": [{"Key": "team", "Value": "blue"}]})
    assert refused.value.response["Error"]["Code"] == "BadDigest"
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    with pytest.raises(ClientError) as untagged:
        v2.get_bucket_tagging(Bucket="bkt")
    assert untagged.value.response["Error"]["Code"] == "NoSuchTagSet"


def test_sigv2_cannot_create_a_bucket_in_a_region_that_never_took_it(tmp_path: Path) -> None:
    """ "Specifying the Signature Version in request authentication" (S3 API Reference):
    SigV2 works only in some of the older AWS Regions; a Region launched after January 30,
    2014 (eu-central-1) supports only SigV4, for a new bucket as for an existing one. A
    SigV2 CreateBucket in us-east-1 (an older Region) still works."""
    app = open_app(tmp_path, A)
    v2 = _v2_client(app, root_keys(app, A))
    with pytest.raises(ClientError) as refused:
        v2.create_bucket(Bucket="frankfurt", CreateBucketConfiguration={"LocationConstraint": "eu-central-1"})
    assert refused.value.response["Error"]["Code"] == "InvalidRequest"
    assert refused.value.response["Error"]["Message"] == (
        "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256."
    )
    assert "frankfurt" not in [b["Name"] for b in v2.list_buckets()["Buckets"]]
    v2.create_bucket(Bucket="virginia")
    assert v2.get_bucket_location(Bucket="virginia")["LocationConstraint"] is None  # us-east-1


def test_a_bucket_policy_can_refuse_old_presigned_urls(tmp_path: Path) -> None:
    # The S3 API Reference's example ("denies any Amazon S3 presigned URL request on objects
    # in examplebucket if the signature is more than ten minutes old") and the prescriptive
    # guidance "Guardrail for s3:signatureAge": NumericGreaterThan s3:signatureAge 600000.
    app = open_app(tmp_path, A)
    s3 = client(app, "s3", root_keys(app, A))
    s3.create_bucket(Bucket="bkt")
    s3.put_object(Bucket="bkt", Key="k", Body=b"x")
    s3.put_bucket_policy(Bucket="bkt", Policy=_deny_if("NumericGreaterThan", "s3:signatureAge", "600000"))
    v4 = boto3.session.Session(region_name="us-east-1").client(
        "s3", endpoint_url=ENDPOINT, config=Config(signature_version="s3v4"), **root_keys(app, A)
    )
    fresh = v4.generate_presigned_url("get_object", Params={"Bucket": "bkt", "Key": "k"}, ExpiresIn=3600)
    signed_at = datetime.now(UTC) - timedelta(minutes=20)
    with mock.patch("botocore.auth.get_current_datetime", return_value=signed_at.replace(tzinfo=None)):
        old = v4.generate_presigned_url("get_object", Params={"Bucket": "bkt", "Key": "k"}, ExpiresIn=3600)
    assert "X-Amz-Date=" + signed_at.strftime("%Y%m%dT%H%M") in old
    assert _send(app, AWSRequest(method="GET", url=fresh).prepare()).status_code == 200
    assert _send(app, AWSRequest(method="GET", url=old).prepare()).status_code == 403  # 20 minutes old


def test_a_bucket_policy_can_require_signed_payloads_and_pin_the_resource_account(tmp_path: Path) -> None:
    # "s3:x-amz-content-sha256: You can use this condition key to disallow unsigned content
    # in your bucket" (the same page); "s3:ResourceAccount: Filters access by the resource
    # owner AWS account ID" (Service Authorization Reference, Amazon S3).
    app = open_app(tmp_path, A)
    keys = root_keys(app, A)
    s3 = client(app, "s3", keys)
    s3.create_bucket(Bucket="bkt")
    s3.put_object(Bucket="bkt", Key="k", Body=b"x")
    s3.put_bucket_policy(Bucket="bkt", Policy=_deny_if("StringEquals", "s3:x-amz-content-sha256", "UNSIGNED-PAYLOAD"))
    assert s3.get_object(Bucket="bkt", Key="k")["ContentLength"] == 1  # botocore signs the empty payload's hash
    # Signed as botocore's plain SigV4 signer does: the header's value is the payload's
    # line of the canonical request (S3's own signer would hash the empty body over http).
    request = AWSRequest(method="GET", url=f"{ENDPOINT}/bkt/k", headers={"X-Amz-Content-SHA256": "UNSIGNED-PAYLOAD"})
    SigV4Auth(Credentials(keys["aws_access_key_id"], keys["aws_secret_access_key"]), "s3", "us-east-1").add_auth(
        request
    )
    assert _send(app, request.prepare()).status_code == 403
    s3.put_bucket_policy(Bucket="bkt", Policy=_deny("s3:ResourceAccount", A))
    assert s3.get_object(Bucket="bkt", Key="k")["ContentLength"] == 1
    s3.put_bucket_policy(Bucket="bkt", Policy=_deny("s3:ResourceAccount", "999999999999"))
    with pytest.raises(ClientError) as denied:
        s3.get_object(Bucket="bkt", Key="k")
    assert denied.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403

"""The response-* query parameters need a signed request.

AWS page: GetObject (S3 API Reference), "Overriding response header values through the
request": "When you use these parameters, you must sign the request by using either an
Authorization header or a presigned URL. These parameters cannot be used with an unsigned
(anonymous) request." S3 answers 400 InvalidRequest "Request specific response headers
cannot be used for anonymous GET requests." (recorded against a public bucket,
floci-io/floci#1098), to GET and to HEAD.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from botocore.exceptions import ClientError
from inprocess_harness import client, open_app, root_keys

A = "111111111111"
PUBLIC_READ = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bkt/*"}],
}


@pytest.mark.parametrize("override", ["ResponseContentType", "ResponseCacheControl", "ResponseExpires"])
def test_an_anonymous_request_may_not_override_response_headers(tmp_path: Path, override: str) -> None:
    app = open_app(tmp_path, A)
    owner = client(app, "s3", root_keys(app, A))
    owner.create_bucket(Bucket="bkt")
    owner.delete_public_access_block(Bucket="bkt")
    owner.put_bucket_policy(Bucket="bkt", Policy=json.dumps(PUBLIC_READ))
    owner.put_object(Bucket="bkt", Key="k", Body=b"hello", ContentType="text/plain")
    anonymous = client(app, "s3")
    assert anonymous.get_object(Bucket="bkt", Key="k")["ContentLength"] == 5  # public: readable
    value = "Wed, 21 Oct 2015 07:28:00 GMT" if override == "ResponseExpires" else "text/x-other"
    for call in (anonymous.get_object, anonymous.head_object):
        with pytest.raises(ClientError) as caught:
            call(Bucket="bkt", Key="k", **{override: value})
        assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
        if call == anonymous.get_object:  # a HEAD's error has no body
            assert caught.value.response["Error"] == {
                "Code": "InvalidRequest",
                "Message": "Request specific response headers cannot be used for anonymous GET requests.",
            }
    signed = owner.get_object(Bucket="bkt", Key="k", ResponseContentType="text/x-other")
    assert signed["ContentType"] == "text/x-other"
    url = owner.generate_presigned_url(
        "get_object", Params={"Bucket": "bkt", "Key": "k", "ResponseContentType": "text/x-other"}
    )
    assert "response-content-type=text%2Fx-other" in url  # the presigned form stays allowed (signed)

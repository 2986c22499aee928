"""A conditional GET and HEAD through boto3 against a running server: 304 Not Modified.

GetObject and HeadObject (Amazon S3 API Reference): If-None-Match naming the object's ETag,
or If-Modified-Since not before its last modification, answers 304 Not Modified. A 304 has
no body (RFC 7232, section 4.1), so botocore reports it as a ClientError whose code is the
status, "304", and whose message is "Not Modified": what boto3 raises against S3.
"""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError
from e2e_harness import A, Server, _client


def test_get_and_head_answer_304(server: Server) -> None:
    s3 = _client(server, "s3", server.create_account(A))
    s3.create_bucket(Bucket="cache")
    etag = s3.put_object(Bucket="cache", Key="page.html", Body=b"<p>hi</p>")["ETag"]
    modified = s3.head_object(Bucket="cache", Key="page.html")["LastModified"]

    for call in (s3.get_object, s3.head_object):
        for condition in ({"IfNoneMatch": etag}, {"IfModifiedSince": modified}):
            with pytest.raises(ClientError) as raised:
                call(Bucket="cache", Key="page.html", **condition)
            response = raised.value.response
            assert response["Error"] == {"Code": "304", "Message": "Not Modified"}
            assert response["ResponseMetadata"]["HTTPStatusCode"] == 304
            headers = response["ResponseMetadata"]["HTTPHeaders"]
            assert headers["etag"] == etag and "content-length" not in headers

    # The connection is still in step after a bodiless 304: the next answers read whole.
    assert s3.get_object(Bucket="cache", Key="page.html", IfNoneMatch='"0000"')["Body"].read() == b"<p>hi</p>"
    with pytest.raises(ClientError) as raised:
        s3.get_object(Bucket="cache", Key="page.html", IfMatch='"0000"')
    assert raised.value.response["Error"]["Code"] == "PreconditionFailed"


def test_an_invalid_date_in_a_condition_is_ignored(server: Server) -> None:
    # RFC 7232, sections 3.3 and 3.4: "A recipient MUST ignore the If-Modified-Since header
    # field if the received field-value is not a valid HTTP-date" (and so If-Unmodified-
    # Since): the GET answers as if the header were absent, 200 and the object.
    s3 = _client(server, "s3", server.create_account(A))
    s3.create_bucket(Bucket="dates")
    s3.put_object(Bucket="dates", Key="k", Body=b"body")

    def with_header(name: str) -> None:
        def add(request: object, **_: object) -> None:
            request.headers[name] = "not a date"  # type: ignore[attr-defined]

        s3.meta.events.register_first("before-sign.s3.GetObject", add)
        try:
            assert s3.get_object(Bucket="dates", Key="k")["Body"].read() == b"body"
        finally:
            s3.meta.events.unregister("before-sign.s3.GetObject", add)

    with_header("If-Modified-Since")
    with_header("If-Unmodified-Since")

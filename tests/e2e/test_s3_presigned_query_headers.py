"""A presigned URL's ``x-amz-*`` query parameters count as the headers they stand for.

botocore's default S3 presigner in us-east-1 (SigV2 query authentication) moves the
request's ``x-amz-*`` headers (``x-amz-acl``, ``x-amz-meta-*``, ...) into the URL's query
and signs them there ("Authenticating requests: query string" in the S3 API Reference's
signature version 2 pages: the CanonicalizedAmzHeaders of a query-string request), so S3
must apply them: a presigned PUT made with ``Metadata`` stores that metadata. For signed
URLs the S3 User Guide says as much of one such header: "For signed URLs, include
x-amz-request-payer=requester in the request" ("Downloading objects from Requester Pays
buckets").
"""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest
from e2e_harness import A, Server, _client


def test_a_presigned_put_applies_the_metadata_and_acl_its_query_carries(server: Server) -> None:
    s3 = _client(server, "s3", server.create_account(A))
    s3.create_bucket(Bucket="presigned-headers")
    url = s3.generate_presigned_url(
        "put_object",
        Params={"Bucket": "presigned-headers", "Key": "k", "Metadata": {"origin": "browser"}, "ACL": "public-read"},
    )
    assert "x-amz-meta-origin=browser" in url and "Signature=" in url  # SigV2, headers in the query
    # The URL was signed without a Content-Type, which urllib would otherwise add.
    request = urllib.request.Request(url, data=b"payload", method="PUT", headers={"Content-Type": ""})
    # S3's default object ownership (BucketOwnerEnforced) refuses the ACL the query carries.
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 400 and b"AccessControlListNotSupported" in refused.value.read()
    refused.value.close()

    url = s3.generate_presigned_url(
        "put_object", Params={"Bucket": "presigned-headers", "Key": "k", "Metadata": {"origin": "browser"}}
    )
    request = urllib.request.Request(url, data=b"payload", method="PUT", headers={"Content-Type": ""})
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert answer.status == 200
    head = s3.head_object(Bucket="presigned-headers", Key="k")
    assert head["Metadata"] == {"origin": "browser"}

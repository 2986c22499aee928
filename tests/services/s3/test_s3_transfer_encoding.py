"""S3 takes no Transfer-Encoding: a body must come with its Content-Length (PutObject,
"Content-Length ... Required"), and S3 answers a chunked upload with 501 NotImplemented "A
header you provided implies functionality that is not implemented", naming the header
(recorded from S3 in Automattic/knox#43 and JuliaWeb/HTTP.jl#98), whatever the signature.
An aws-chunked body that states its decoded length (x-amz-decoded-content-length) may come
chunked: botocore sends trailing checksums so over HTTPS, and S3 takes them
(test_s3_trailing_checksums.py).
"""

from __future__ import annotations

from pathlib import Path

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from inprocess_harness import ENDPOINT, _send, client, open_app, root_keys

A = "111111111111"


def test_a_chunked_upload_is_not_implemented_and_stores_nothing(tmp_path: Path) -> None:
    app = open_app(tmp_path, A)
    keys = root_keys(app, A)
    s3 = client(app, "s3", keys)
    s3.create_bucket(Bucket="bkt")
    request = AWSRequest(
        method="PUT",
        url=f"{ENDPOINT}/bkt/chunked",
        data=b"hello",
        headers={"Transfer-Encoding": "chunked", "X-Amz-Content-SHA256": "UNSIGNED-PAYLOAD"},
    )
    SigV4Auth(Credentials(keys["aws_access_key_id"], keys["aws_secret_access_key"]), "s3", "us-east-1").add_auth(
        request
    )
    response = _send(app, request.prepare())
    assert response.status_code == 501
    assert (
        b"<Code>NotImplemented</Code><Message>A header you provided implies functionality that is not "
        b"implemented</Message><Header>Transfer-Encoding</Header>" in response.content
    )
    assert s3.list_objects_v2(Bucket="bkt")["KeyCount"] == 0
    s3.put_object(Bucket="bkt", Key="sized", Body=b"hello")  # with Content-Length: stored
    assert s3.head_object(Bucket="bkt", Key="sized")["ContentLength"] == 5

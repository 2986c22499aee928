"""A request signed for a service iamsandbox does not serve is refused in the words of the
service the endpoint serves, never an internal error.

boto3 signs for "s3express" (S3 Express One Zone) when a bucket name ends in "--x-s3", the
suffix the S3 User Guide ("General purpose bucket naming rules") reserves for directory
buckets; S3's answer to a credential scoped to another service is AuthorizationHeaderMalformed
(400, "Error responses", S3 API Reference).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from botocore.exceptions import ClientError
from inprocess_harness import client, open_app, root_keys

A = "111111111111"


def test_a_directory_bucket_name_is_refused_not_a_500(tmp_path: Path) -> None:
    app = open_app(tmp_path, A)
    s3 = client(app, "s3", root_keys(app, A))
    for call in (
        lambda: s3.create_bucket(Bucket="bucket-base--use1-az4--x-s3"),
        lambda: s3.put_object(Bucket="bucket-base--use1-az4--x-s3", Key="k", Body=b"x"),
    ):
        with pytest.raises(ClientError) as caught:
            call()
        assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
        assert caught.value.response["Error"]["Code"] == "AuthorizationHeaderMalformed"
        assert '"s3express"' in caught.value.response["Error"]["Message"]
    assert s3.list_buckets()["Buckets"] == []

"""Details of S3's answers that the AWS CLI's s3api examples show, with boto3 against a real
server.

AWS pages: HeadBucket (S3 API reference): "regardless of the permissions on the bucket, you
will receive a response header with the correct bucket location"; the AWS CLI's
complete-multipart-upload example answers "Location":
"https://amzn-s3-demo-bucket.s3.amazonaws.com/multipart%2F01" (the key form-encoded);
upload IDs of the API reference's examples use letters, digits, "." and "_" (an ID starting
with "-" would be an option to `aws s3api upload-part --upload-id`).
"""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError
from e2e_harness import A, B, Server, _client

from shared_boto import shared_client


def test_head_bucket_names_the_region_even_when_denied(server: Server) -> None:
    owner = server.create_account(A)
    shared_client(
        "s3",
        endpoint_url=server.url,
        region_name="eu-west-1",
        aws_access_key_id=owner["AccessKeyId"],
        aws_secret_access_key=owner["SecretAccessKey"],
    ).create_bucket(Bucket="far-away", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    stranger = _client(server, "s3", server.create_account(B))
    with pytest.raises(ClientError) as raised:
        stranger.head_bucket(Bucket="far-away")
    response = raised.value.response
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert response["ResponseMetadata"]["HTTPHeaders"]["x-amz-bucket-region"] == "eu-west-1"


def test_complete_multipart_location_and_upload_ids(server: Server) -> None:
    s3 = _client(server, "s3", server.create_account(A))
    s3.create_bucket(Bucket="uploads")
    for key, encoded in (("multipart/01", "multipart%2F01"), ("a b+c.txt", "a+b%2Bc.txt")):
        upload = s3.create_multipart_upload(Bucket="uploads", Key=key)["UploadId"]
        part = s3.upload_part(Bucket="uploads", Key=key, UploadId=upload, PartNumber=1, Body=b"x")
        done = s3.complete_multipart_upload(
            Bucket="uploads",
            Key=key,
            UploadId=upload,
            MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]},
        )
        assert done["Location"] == f"https://uploads.s3.amazonaws.com/{encoded}"
    ids = [s3.create_multipart_upload(Bucket="uploads", Key=f"k{i}")["UploadId"] for i in range(40)]
    assert not any("-" in upload_id for upload_id in ids)


def test_response_overrides_that_no_header_can_carry_still_get_an_answer(server: Server) -> None:
    # A presigned GET's response-content-disposition / response-content-type become
    # response headers (GetObject); a line break in them must not break the answer (it was a
    # 500, or a dropped connection), and a character outside Latin-1 is S3's 400
    # InvalidArgument (recorded from AWS, LocalStack's test_s3 snapshot).
    s3 = _client(server, "s3", server.create_account(A))
    s3.create_bucket(Bucket="overrides")
    s3.put_object(Bucket="overrides", Key="k", Body=b"x")
    got = s3.get_object(Bucket="overrides", Key="k", ResponseContentDisposition="a\r\nX-Evil: 1")
    headers = got["ResponseMetadata"]["HTTPHeaders"]
    assert got["Body"].read() == b"x" and "x-evil" not in headers
    assert headers["content-disposition"] == "a  X-Evil: 1"
    with pytest.raises(ClientError) as refused:
        s3.get_object(Bucket="overrides", Key="k", ResponseContentType="text/✓")
    assert refused.value.response["Error"]["Code"] == "InvalidArgument"


@pytest.mark.parametrize(
    ("value", "kept"),
    [
        ("non-ascii-%E2%80%94_—_é_", "=?UTF-8?Q?non-ascii-%E2%80%94=5F=E2=80=94=5F=C3=A9=5F?="),
        ("café", "=?UTF-8?Q?caf=C3=A9?="),  # Latin-1 characters alone: the same UTF-8 reading
    ],
)
def test_non_ascii_metadata_is_kept_rfc_2047_encoded(server: Server, value: str, kept: str) -> None:
    # "If the string contains non US-ASCII characters, it is first character-encoded by using
    # UTF-8 and then encoded into US-ASCII" (RFC 2047; "Working with object metadata", S3 User
    # Guide). Recorded from AWS for a SigV2 presigned PUT's x-amz-meta-foo (LocalStack's
    # test_s3 snapshot): "=?UTF-8?Q?non-ascii-%E2%80%94=5F=E2=80=94=5F=C3=A9=5F?=".
    import urllib.error
    import urllib.request

    s3 = _client(server, "s3", server.create_account(A))
    s3.create_bucket(Bucket="meta")
    # botocore refuses such metadata before it signs; the request itself is what S3 gets from
    # other clients (LocalStack's test signs it the same way).
    from botocore.handlers import validate_ascii_metadata

    s3.meta.events.unregister("before-parameter-build.s3.PutObject", validate_ascii_metadata)
    url = s3.generate_presigned_url("put_object", Params={"Bucket": "meta", "Key": "k", "Metadata": {"foo": value}})
    assert "x-amz-meta-foo=" in url  # SigV2 moves the metadata into the query
    try:
        put = urllib.request.Request(url, data=b"", method="PUT", headers={"Content-Type": ""})
        with urllib.request.urlopen(put) as response:
            assert response.status == 200
    except urllib.error.HTTPError as error:
        raise AssertionError(error.read()) from None
    stored = s3.head_object(Bucket="meta", Key="k")["Metadata"]
    assert stored == {"foo": kept}
    s3.put_object(Bucket="meta", Key="ascii", Body=b"", Metadata={"foo": "plain text"})
    assert s3.head_object(Bucket="meta", Key="ascii")["Metadata"] == {"foo": "plain text"}

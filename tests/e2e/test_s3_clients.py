"""S3 the way clients use it: presigned URLs, multipart uploads through the AWS CLI
(`aws s3 cp` of a file over its 8 MiB multipart threshold) and `aws s3 sync`."""

from __future__ import annotations

import os
import re
import time
import urllib.error
import urllib.request
from pathlib import Path

import boto3
from e2e_harness import A, Server, _client, aws_cli


def test_presigned_get_and_its_expiry(server: Server) -> None:
    root = server.create_account(A)
    s3 = _client(server, "s3", root, signature_version="s3v4")
    s3.create_bucket(Bucket="presigned")
    s3.put_object(Bucket="presigned", Key="a b/ü.txt", Body=b"signed in the query")
    url = s3.generate_presigned_url("get_object", Params={"Bucket": "presigned", "Key": "a b/ü.txt"}, ExpiresIn=60)
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310  (our own loopback server)
        assert response.read() == b"signed in the query"
    tampered = url.replace("presigned/", "presigned/x", 1)
    try:
        urllib.request.urlopen(tampered, timeout=10)  # noqa: S310
        raise AssertionError("a tampered presigned URL was accepted")
    except urllib.error.HTTPError as error:
        assert error.code == 403
        body = error.read()
        assert b"<Code>SignatureDoesNotMatch</Code>" in body
        # S3 names what it signed, so a client can compare (recorded S3 answers).
        assert b"<CanonicalRequest>GET\n/presigned/xa%20b/%C3%BC.txt\n" in body
        assert b"<StringToSign>AWS4-HMAC-SHA256\n" in body


def test_default_presigned_urls_of_boto3_and_the_cli(server: Server, tmp_path: Path) -> None:
    """Without a configured signature version, botocore presigns S3 URLs with Signature
    Version 2 in the Regions whose S3 endpoint still accepts it (us-east-1 among them), so
    ``aws s3 presign`` and the S3 User Guide's "Sharing objects with presigned URLs"
    example (a plain ``boto3.client("s3")``) make AWSAccessKeyId/Expires/Signature URLs.
    S3 accepts them there ("Specifying the Signature Version in request authentication",
    S3 API Reference) and only there: a bucket in a Region launched after January 2014
    refuses the mechanism."""
    root = server.create_account(A)
    s3 = _client(server, "s3", root)
    s3.create_bucket(Bucket="presigned-v2")
    s3.put_object(Bucket="presigned-v2", Key="a b/ü.txt", Body=b"signed the old way")
    url = s3.generate_presigned_url("get_object", Params={"Bucket": "presigned-v2", "Key": "a b/ü.txt"}, ExpiresIn=60)
    assert "AWSAccessKeyId=" in url and "X-Amz-Signature" not in url
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310  (our own loopback server)
        assert response.read() == b"signed the old way"

    presign = aws_cli(server, tmp_path, root, "s3", "presign", "s3://presigned-v2/a b/ü.txt", "--expires-in", "30")
    assert presign.returncode == 0, presign.stderr
    cli_url = presign.stdout.strip()
    assert "Signature=" in cli_url
    with urllib.request.urlopen(cli_url, timeout=10) as response:  # noqa: S310
        assert response.read() == b"signed the old way"

    for bad, code, status in (
        (url.replace("presigned-v2/", "presigned-v2/x", 1), "SignatureDoesNotMatch", 403),
        (re.sub(r"Expires=\d+", "Expires=1000000000", url), "SignatureDoesNotMatch", 403),
    ):
        try:
            urllib.request.urlopen(bad, timeout=10)  # noqa: S310
            raise AssertionError(f"{bad} was accepted")
        except urllib.error.HTTPError as error:
            assert error.code == status
            assert f"<Code>{code}</Code>".encode() in error.read()
    expired = _client(server, "s3", root).generate_presigned_url(
        "get_object", Params={"Bucket": "presigned-v2", "Key": "a b/ü.txt"}, ExpiresIn=-5
    )
    try:
        urllib.request.urlopen(expired, timeout=10)  # noqa: S310
        raise AssertionError("an expired URL was accepted")
    except urllib.error.HTTPError as error:
        assert error.code == 403
        assert b"<Message>Request has expired</Message>" in error.read()

    frankfurt = boto3.session.Session(
        aws_access_key_id=root["AccessKeyId"], aws_secret_access_key=root["SecretAccessKey"], region_name="eu-central-1"
    ).client("s3", endpoint_url=server.url)
    frankfurt.create_bucket(Bucket="v4-only", CreateBucketConfiguration={"LocationConstraint": "eu-central-1"})
    frankfurt.put_object(Bucket="v4-only", Key="k", Body=b"x")
    v2 = _client(server, "s3", root, signature_version="s3").generate_presigned_url(
        "get_object", Params={"Bucket": "v4-only", "Key": "k"}, ExpiresIn=60
    )
    try:
        urllib.request.urlopen(v2, timeout=10)  # noqa: S310
        raise AssertionError("a SigV2 URL was accepted for a bucket in eu-central-1")
    except urllib.error.HTTPError as error:
        assert error.code == 400
        assert b"<Code>InvalidRequest</Code>" in error.read()


def test_cli_multipart_cp_and_sync(server: Server, tmp_path: Path) -> None:
    root = server.create_account(A)
    _client(server, "s3", root).create_bucket(Bucket="cli-bucket")
    big = tmp_path / "big.bin"
    big.write_bytes(os.urandom(9 * 1024 * 1024))  # over the CLI's 8 MiB multipart threshold
    done = aws_cli(server, tmp_path, root, "s3", "cp", str(big), "s3://cli-bucket/big.bin", timeout=300)
    assert done.returncode == 0, done.stderr
    back = tmp_path / "back.bin"
    done = aws_cli(server, tmp_path, root, "s3", "cp", "s3://cli-bucket/big.bin", str(back), timeout=300)
    assert done.returncode == 0, done.stderr
    assert back.read_bytes() == big.read_bytes()

    tree = tmp_path / "tree"
    (tree / "sub").mkdir(parents=True)
    (tree / "one.txt").write_text("1")
    (tree / "sub" / "two.txt").write_text("2")
    # S3 keeps LastModified in whole seconds (listings end in ".000Z"); `aws s3 sync` uploads
    # a file again when its mtime is later than the object's. Files written in the same
    # second as their upload would be uploaded again, against S3 as here: date them earlier.
    for path in (tree / "one.txt", tree / "sub" / "two.txt"):
        os.utime(path, (time.time() - 10, time.time() - 10))
    done = aws_cli(server, tmp_path, root, "s3", "sync", str(tree), "s3://cli-bucket/tree", timeout=300)
    assert done.returncode == 0, done.stderr
    listing = aws_cli(server, tmp_path, root, "s3", "ls", "--recursive", "s3://cli-bucket/tree/", timeout=300)
    assert "tree/one.txt" in listing.stdout and "tree/sub/two.txt" in listing.stdout
    again = aws_cli(server, tmp_path, root, "s3", "sync", str(tree), "s3://cli-bucket/tree", timeout=300)
    assert again.returncode == 0 and again.stdout.strip() == ""  # nothing changed, nothing copied

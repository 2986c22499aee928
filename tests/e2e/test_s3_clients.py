"""S3 the way clients use it: presigned URLs, multipart uploads through the AWS CLI
(`aws s3 cp` of a file over its 8 MiB multipart threshold) and `aws s3 sync`."""

from __future__ import annotations

import os
import urllib.error
import urllib.request
from pathlib import Path

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
        assert b"<Code>SignatureDoesNotMatch</Code>" in error.read()
    # Signature Version 2 URLs (botocore's default presigner for some endpoints) are
    # refused as S3 refuses them where only SigV4 is supported, not served anonymously.
    v2 = _client(server, "s3", root, signature_version="s3").generate_presigned_url(
        "get_object", Params={"Bucket": "presigned", "Key": "a b/ü.txt"}, ExpiresIn=60
    )
    try:
        urllib.request.urlopen(v2, timeout=10)  # noqa: S310
        raise AssertionError("a SigV2 presigned URL was accepted")
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
    done = aws_cli(server, tmp_path, root, "s3", "sync", str(tree), "s3://cli-bucket/tree", timeout=300)
    assert done.returncode == 0, done.stderr
    listing = aws_cli(server, tmp_path, root, "s3", "ls", "--recursive", "s3://cli-bucket/tree/", timeout=300)
    assert "tree/one.txt" in listing.stdout and "tree/sub/two.txt" in listing.stdout
    again = aws_cli(server, tmp_path, root, "s3", "sync", str(tree), "s3://cli-bucket/tree", timeout=300)
    assert again.returncode == 0 and again.stdout.strip() == ""  # nothing changed, nothing copied

"""Headers beyond US-ASCII, as recorded from AWS in LocalStack's test_s3 snapshot
(tests/aws/services/s3/test_s3.snapshot.json; LocalStack's tests run against AWS;
Apache-2.0): test_system_metadata_with_unicode, test_user_metadata_rfc2047_encoded and
test_user_metadata_rfc2047_bad_b64_encoded. botocore sends such a header as UTF-8 bytes and
signs that text; an HTTP server reads the bytes as Latin-1 (as the in-process harness does)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from botocore.config import Config
from inprocess_harness import ENDPOINT, _send, open_app, root_keys, s3_with_bucket

from shared_boto import shared_client


def _s3(tmp_path: Path) -> Any:
    return s3_with_bucket(tmp_path)


def _as_read(text: str) -> str:
    """What boto3 answers for a header S3 sends back as the UTF-8 bytes it was given."""
    return text.encode("utf-8").decode("latin-1")


def test_system_metadata_beyond_ascii_is_signed_and_answered_as_sent(tmp_path: Path) -> None:
    # test_system_metadata_with_unicode: 200 (it was SignatureDoesNotMatch), and GetObject
    # answers the bytes as sent ("Ã\u0084MÃ\u0084ZÃ\u0095Ã\u0091 S3" as boto3 reads them).
    s3 = _s3(tmp_path)
    cache = "ÄMÄZÕÑ S3"
    disposition = 'attachment; filename="test_—_file%E2%80%94_é_2.pdf"'
    s3.put_object(
        Bucket="bkt", Key="k", Body=b"", CacheControl=cache, ContentDisposition=disposition, ContentLanguage="de"
    )
    got = s3.get_object(Bucket="bkt", Key="k")
    assert got["CacheControl"] == "Ã\u0084MÃ\u0084ZÃ\u0095Ã\u0091 S3" == _as_read(cache)
    assert got["ContentDisposition"] == _as_read(disposition) and got["ContentLanguage"] == "de"


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        # test_user_metadata_rfc2047_encoded: "non-ascii-2", "non-ascii", "safe-chars".
        ("ÄMÄZÕÑ S3", "=?UTF-8?Q?=C3=84M=C3=84Z=C3=95=C3=91_S3?="),
        ("test_—_file%E2%80%94_é_2?.pdf", "=?UTF-8?Q?test=5F=E2=80=94=5Ffile%E2%80%94=5F=C3=A9=5F2=3F.pdf?="),
        ("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"),
        # Encoded words sent are decoded first: "asciib64-encoded", "fake-encoded",
        # "non-ascii-binary" (control characters: B), "replacement-chars" (bytes that are no
        # UTF-8), and test_user_metadata_rfc2047_bad_b64_encoded.
        ("=?UTF-8?B?YWJj?=", "abc"),
        ("=?UTF-8?Q?actually-ascii?=", "actually-ascii"),
        ("=?UTF-8?B?AAECAw==?=", "=?UTF-8?B?AAECAw==?="),
        ("=?UTF-8?B?/////////w==?=", "=?UTF-8?B?77+977+977+977+977+977+977+9?="),
        ("=?UTF-8?B?/2H/?=", "=?UTF-8?B?77+9Ye+/vQ==?="),
    ],
)
def test_user_metadata_is_kept_rfc2047_encoded(tmp_path: Path, sent: str, kept: str) -> None:
    s3 = _s3(tmp_path)

    def raw_metadata(request: Any, **_: Any) -> None:  # boto3 refuses metadata beyond ASCII
        request.headers["x-amz-meta-value"] = sent

    s3.meta.events.register("before-sign.s3.PutObject", raw_metadata)
    s3.put_object(Bucket="bkt", Key="k", Body=b"")
    assert s3.get_object(Bucket="bkt", Key="k")["Metadata"] == {"value": kept}
    assert s3.head_object(Bucket="bkt", Key="k")["Metadata"] == {"value": kept}


def test_sigv2_signs_a_header_beyond_ascii_as_sent(tmp_path: Path) -> None:
    # As SigV4's (above): a SigV2 request (boto3's signature_version "s3") with x-amz-meta-foo
    # "café" sent as UTF-8 (it was SignatureDoesNotMatch).
    app = open_app(tmp_path, "111111111111")
    s3 = shared_client(
        "s3",
        endpoint_url=ENDPOINT,
        region_name="us-east-1",
        config=Config(signature_version="s3"),
        **root_keys(app, "111111111111"),
    )
    s3.meta.events.register("before-send", lambda request, **kw: _send(app, request, **kw))
    s3.create_bucket(Bucket="bkt")

    def raw_metadata(request: Any, **_: Any) -> None:
        request.headers["x-amz-meta-foo"] = "café"

    s3.meta.events.register("before-sign.s3.PutObject", raw_metadata)
    s3.put_object(Bucket="bkt", Key="k", Body=b"")
    assert s3.head_object(Bucket="bkt", Key="k")["Metadata"] == {"foo": "=?UTF-8?Q?caf=C3=A9?="}

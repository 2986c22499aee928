"""A NUL in an object key or a listing parameter naming keys: S3's InvalidArgument "Value must
be a sequence of Unicode characters and cannot include Null.", as S3 answered it for
ListObjectVersions' key-marker and prefix (a public report of requests sent to
s3.amazonaws.com in 2026). A review found such keys stored on SQLite (and then written raw in
XML, which no parser reads) and a 500 on PostgreSQL, which cannot keep a NUL in text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from inprocess_harness import s3_with_bucket

MESSAGE = "Value must be a sequence of Unicode characters and cannot include Null."


def _refused(call: Any, **params: Any) -> dict[str, Any]:
    with pytest.raises(ClientError) as raised:
        call(**params)
    error: dict[str, Any] = raised.value.response["Error"]
    assert (error["Code"], error["Message"], raised.value.response["ResponseMetadata"]["HTTPStatusCode"]) == (
        "InvalidArgument",
        MESSAGE,
        400,
    )
    return error


def test_a_key_or_listing_parameter_with_a_nul_is_refused(tmp_path: Path) -> None:
    s3 = s3_with_bucket(tmp_path)
    s3.put_object(Bucket="bkt", Key="plain", Body=b"x")
    assert _refused(s3.put_object, Bucket="bkt", Key="a\x00b", Body=b"x")["ArgumentName"] == "key"
    _refused(s3.get_object, Bucket="bkt", Key="a\x00b")
    _refused(s3.create_multipart_upload, Bucket="bkt", Key="m\x00")
    copy = _refused(s3.copy_object, Bucket="bkt", Key="copy", CopySource={"Bucket": "bkt", "Key": "a\x00b"})
    assert copy["ArgumentName"] == "x-amz-copy-source"
    for params in ({"Prefix": "a\x00"}, {"StartAfter": "a\x00"}, {"Delimiter": "\x00"}):
        _refused(s3.list_objects_v2, Bucket="bkt", **params)
    assert _refused(s3.list_objects, Bucket="bkt", Marker="\x00")["ArgumentName"] == "marker"
    _refused(s3.list_multipart_uploads, Bucket="bkt", KeyMarker="\x00")
    # Nothing was written; the bucket lists as before.
    assert [o["Key"] for o in s3.list_objects_v2(Bucket="bkt")["Contents"]] == ["plain"]

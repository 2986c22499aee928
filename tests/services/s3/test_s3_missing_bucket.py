"""A bucket that does not exist is NoSuchBucket (404) to every caller, before any
authorization: there is no bucket policy to evaluate, and S3 answers the same to the
anonymous, to another account and to a user of any account without permissions.

AWS pages: S3 API Reference, "Error responses" (NoSuchBucket: "The specified bucket does
not exist", 404); each object and bucket operation lists NoSuchBucket among its errors.
CreateBucket is the exception: it is authorized in the caller's account.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from inprocess_harness import client, open_app, root_keys, user_keys

A = "111111111111"
B = "222222222222"


def _refusal(call: Any, **params: Any) -> tuple[str, int]:
    with pytest.raises(ClientError) as caught:
        call(**params)
    return caught.value.response["Error"]["Code"], caught.value.response["ResponseMetadata"]["HTTPStatusCode"]


def test_every_caller_hears_no_such_bucket(tmp_path: Path) -> None:
    app = open_app(tmp_path, A, B)
    callers = {
        "anonymous": client(app, "s3"),
        "a user of another account": client(app, "s3", user_keys(app, B, "bob")),
        "a user without permissions": client(app, "s3", user_keys(app, A, "alice")),
        "the root user": client(app, "s3", root_keys(app, A)),
    }
    for who, s3 in callers.items():
        for call in (
            lambda s3=s3: s3.get_object(Bucket="no-such-bucket", Key="k"),
            lambda s3=s3: s3.put_object(Bucket="no-such-bucket", Key="k", Body=b"x"),
            lambda s3=s3: s3.list_objects_v2(Bucket="no-such-bucket"),
            lambda s3=s3: s3.get_bucket_policy(Bucket="no-such-bucket"),
            lambda s3=s3: s3.delete_bucket(Bucket="no-such-bucket"),
        ):
            assert _refusal(call) == ("NoSuchBucket", 404), who
    # A user without permissions is still refused CreateBucket in their own account.
    assert _refusal(lambda: callers["a user without permissions"].create_bucket(Bucket="no-such-bucket")) == (
        "AccessDenied",
        403,
    )
    # And a bucket that exists still answers AccessDenied to those callers.
    callers["the root user"].create_bucket(Bucket="exists")
    for who in ("anonymous", "a user of another account", "a user without permissions"):
        assert _refusal(callers[who].list_objects_v2, Bucket="exists") == ("AccessDenied", 403), who

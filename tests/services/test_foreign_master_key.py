"""A key whose secret was sealed by a replica with another master key is no key here.

Two replicas of one store must share their master key (README, Configuration); when they do
not, a request signed with a key the other one created answered 500 with a traceback (a
review with two replicas). It is now what AWS answers a key it cannot use: IAM's and STS's
InvalidClientTokenId (403), S3's InvalidAccessKeyId (403) ("Common Errors", IAM API
Reference; "Error responses", S3 API Reference).
"""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest
from botocore.exceptions import ClientError
from inprocess_harness import client

from iamsandbox.server.app import App
from iamsandbox.store import open_store, sqlite_url

A = "111111111111"


def test_a_key_sealed_with_another_master_key_is_unknown_not_a_500(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "store.db")
    key_2 = secrets.token_bytes(32)
    replica_2 = App(open_store(url, [key_2]), [key_2])  # started on the empty store first
    key_1 = secrets.token_bytes(32)
    with open_store(url, [key_1]).transaction() as tx:  # replica 1, another key
        tx.create_account(A, A)
        made = tx.create_access_key(A, None)
    keys = {"aws_access_key_id": made.access_key_id, "aws_secret_access_key": made.secret.reveal()}
    for service, code in (("sts", "InvalidClientTokenId"), ("s3", "InvalidAccessKeyId")):
        with pytest.raises(ClientError) as refused:
            if service == "sts":
                client(replica_2, "sts", keys).get_caller_identity()
            else:
                client(replica_2, "s3", keys).list_buckets()
        assert refused.value.response["Error"]["Code"] == code
        assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403

"""Who owns an object written to a bucket whose ACLs are enabled ("Controlling ownership of
objects and disabling ACLs for your bucket", S3 User Guide): "Object writer – The AWS account
that uploads an object owns the object"; "Bucket owner preferred – ... Objects uploaded to
the bucket change ownership to the bucket owner if the objects are uploaded with the
bucket-owner-full-control canned ACL". iamsandbox keeps objects owned by the bucket owner
only: another account's write that would stay its own is 501 NotImplemented, never stored as
the bucket owner's (which would let the bucket owner read what S3 refuses it: "The bucket
owner has no permissions on those objects created by other AWS accounts", S3 User Guide's
Example 4 walkthrough)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from inprocess_harness import client, open_app, root_keys

A, B = "111111111111", "222222222222"


def _setup(tmp_path: Path, ownership: str | None) -> tuple[Any, Any]:
    app = open_app(tmp_path, A, B)
    owner = client(app, "s3", root_keys(app, A))
    owner.create_bucket(Bucket="bkt")
    if ownership is None:
        owner.delete_bucket_ownership_controls(Bucket="bkt")  # ACLs enabled, as ObjectWriter
    else:
        owner.put_bucket_ownership_controls(Bucket="bkt", OwnershipControls={"Rules": [{"ObjectOwnership": ownership}]})
    statement = {
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{B}:root"},
        "Action": "s3:PutObject",
        "Resource": "arn:aws:s3:::bkt/*",
    }
    owner.put_bucket_policy(Bucket="bkt", Policy=json.dumps({"Version": "2012-10-17", "Statement": [statement]}))
    return owner, client(app, "s3", root_keys(app, B))


def _code(call: Any) -> tuple[int, str]:
    with pytest.raises(ClientError) as raised:
        call()
    return raised.value.response["ResponseMetadata"]["HTTPStatusCode"], raised.value.response["Error"]["Code"]


@pytest.mark.parametrize("ownership", ["ObjectWriter", None, "BucketOwnerPreferred"])
def test_an_object_another_account_would_own_is_not_kept(tmp_path: Path, ownership: str | None) -> None:
    owner, other = _setup(tmp_path, ownership)
    assert _code(lambda: other.put_object(Bucket="bkt", Key="theirs", Body=b"x")) == (501, "NotImplemented")
    assert _code(lambda: other.create_multipart_upload(Bucket="bkt", Key="theirs")) == (501, "NotImplemented")
    assert _code(lambda: other.put_object(Bucket="bkt", Key="theirs", Body=b"x", ACL="private")) == (
        501,
        "NotImplemented",
    )
    assert "Contents" not in owner.list_objects_v2(Bucket="bkt")
    # The bucket owner's own writes are its own objects, whatever the setting.
    owner.put_object(Bucket="bkt", Key="mine", Body=b"x")


def test_bucket_owner_preferred_hands_the_object_to_the_bucket_owner(tmp_path: Path) -> None:
    owner, other = _setup(tmp_path, "BucketOwnerPreferred")
    other.put_object(Bucket="bkt", Key="given", Body=b"x", ACL="bucket-owner-full-control")
    listed = owner.list_objects_v2(Bucket="bkt", FetchOwner=True)["Contents"]
    assert [(o["Key"], o["Owner"]["ID"]) for o in listed] == [("given", owner.list_buckets()["Owner"]["ID"])]
    # Under ObjectWriter the canned ACL changes nothing: B would own the object.
    owner.put_bucket_ownership_controls(
        Bucket="bkt", OwnershipControls={"Rules": [{"ObjectOwnership": "ObjectWriter"}]}
    )
    refused = _code(lambda: other.put_object(Bucket="bkt", Key="k", Body=b"x", ACL="bucket-owner-full-control"))
    assert refused == (501, "NotImplemented")


def test_with_acls_disabled_the_bucket_owner_owns_every_object(tmp_path: Path) -> None:
    # "Bucket owner enforced ... The bucket owner automatically owns and has full control
    # over every object in the bucket."
    owner, other = _setup(tmp_path, "BucketOwnerEnforced")
    other.put_object(Bucket="bkt", Key="theirs", Body=b"x")
    assert [o["Key"] for o in owner.list_objects_v2(Bucket="bkt")["Contents"]] == ["theirs"]

"""Two S3 tags whose keys differ only in case, as condition keys.

AWS pages: S3 object tag keys and values "are case sensitive" (S3 User Guide, "Categorizing
your objects using tags"), so an object may carry both ``class`` and ``Class``; condition
key names are not ("IAM JSON policy elements: Condition": a condition on a tag key "matches
a resource tag key named either TagKey1 or tagkey1", and with tags differing only in case
"the key name matches both tags, but only one value matches. This can result in unexpected
condition failures"). AWS leaves that outcome unpredictable; here the condition sees both
values, so a Deny written for ``class=secret`` denies whatever ``Class`` says and in
whichever order the tags were written (it used to depend on the order: the last tag
written replaced the other).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from inprocess_harness import client, open_app, root_keys, user_keys

A = "111111111111"
BUCKET = "bkt"


def _policy() -> str:
    objects = f"arn:aws:s3:::{BUCKET}/*"
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": ["s3:GetObject", "s3:PutObject", "s3:PutObjectTagging"],
                    "Resource": objects,
                },
                {
                    "Effect": "Deny",
                    "Action": "s3:GetObject",
                    "Resource": objects,
                    "Condition": {"StringEquals": {"s3:ExistingObjectTag/class": "secret"}},
                },
                {
                    "Effect": "Deny",
                    "Action": ["s3:PutObject", "s3:PutObjectTagging"],
                    "Resource": objects,
                    "Condition": {"StringEquals": {"s3:RequestObjectTag/team": "red"}},
                },
            ],
        }
    )


@pytest.fixture
def clients(tmp_path: Path) -> tuple[Any, Any]:
    """The bucket owner's S3 client and mallory's, whose policy is ``_policy()``."""
    app = open_app(tmp_path, A)
    owner = client(app, "s3", root_keys(app, A))
    owner.create_bucket(Bucket=BUCKET)
    mallory = client(app, "s3", user_keys(app, A, "mallory"))
    client(app, "iam", root_keys(app, A)).put_user_policy(UserName="mallory", PolicyName="p", PolicyDocument=_policy())
    return owner, mallory


def _denied(call: Any, **params: Any) -> bool:
    try:
        call(Bucket=BUCKET, **params)
    except ClientError as error:
        assert error.response["Error"]["Code"] == "AccessDenied"
        return True
    return False


@pytest.mark.parametrize("tagging", ["class=secret&Class=public", "Class=public&class=secret"])
def test_an_existing_tag_deny_holds_beside_a_tag_differing_in_case(clients: tuple[Any, Any], tagging: str) -> None:
    owner, mallory = clients
    owner.put_object(Bucket=BUCKET, Key="k", Body=b"s", Tagging=tagging)
    assert _denied(mallory.get_object, Key="k")


@pytest.mark.parametrize("tagging", ["team=red&Team=blue", "Team=blue&team=red"])
def test_a_request_tag_deny_holds_beside_a_tag_differing_in_case(clients: tuple[Any, Any], tagging: str) -> None:
    owner, mallory = clients
    assert _denied(mallory.put_object, Key="k", Body=b"x", Tagging=tagging)
    owner.put_object(Bucket=BUCKET, Key="k", Body=b"x")
    tags = [{"Key": pair.split("=")[0], "Value": pair.split("=")[1]} for pair in tagging.split("&")]
    assert _denied(mallory.put_object_tagging, Key="k", Tagging={"TagSet": tags})


def test_without_the_case_variant_the_tags_decide_as_before(clients: tuple[Any, Any]) -> None:
    owner, mallory = clients
    owner.put_object(Bucket=BUCKET, Key="open", Body=b"o", Tagging="Class=secret")
    # "Class" is "class" to the condition (key names compare in any case): denied.
    assert _denied(mallory.get_object, Key="open")
    owner.put_object(Bucket=BUCKET, Key="plain", Body=b"p", Tagging="class=public")
    assert not _denied(mallory.get_object, Key="plain")

"""Tag keys of IAM users and roles compare case-insensitively; other IAM tag keys do not.

AWS page: "Tagging IAM resources" (IAM User Guide), Case sensitivity: "Tag key values for
IAM users and roles are not case sensitive, but case is preserved. This means that you
cannot have separate Department and department tag keys. If you have tagged a user with
the Department=finance tag and you add the department=hr tag, it replaces the first tag."
For the other IAM resource types "tag key values are case sensitive", so Costcenter and
costcenter are two tags of a customer managed policy. Duplicate keys within one request:
"Duplicate tag keys found. Please note that Tag keys are case insensitive." (InvalidInput).
Unconfirmed: that the replacing tag's spelling is the one kept, and that Untag* removes a
key given in another case.
"""

from __future__ import annotations

import json

import pytest
from iam_harness import Iam

from iamsandbox.errors import InvalidInput

TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}],
    }
)
DOC = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]})


def test_a_users_tag_in_another_case_replaces_the_first(iam: Iam) -> None:
    iam("CreateUser", UserName="alice", Tags=[{"Key": "Department", "Value": "finance"}])
    iam("TagUser", UserName="alice", Tags=[{"Key": "department", "Value": "hr"}])
    assert iam("ListUserTags", UserName="alice")["Tags"] == [{"Key": "department", "Value": "hr"}]
    assert iam("GetUser", UserName="alice")["User"]["Tags"] == [{"Key": "department", "Value": "hr"}]
    iam("UntagUser", UserName="alice", TagKeys=["DEPARTMENT"])
    assert iam("ListUserTags", UserName="alice")["Tags"] == []


def test_a_roles_tag_in_another_case_replaces_the_first(iam: Iam) -> None:
    iam("CreateRole", RoleName="r", AssumeRolePolicyDocument=TRUST, Tags=[{"Key": "Team", "Value": "a"}])
    iam("TagRole", RoleName="r", Tags=[{"Key": "TEAM", "Value": "b"}, {"Key": "Other", "Value": "c"}])
    tags = iam("ListRoleTags", RoleName="r")["Tags"]
    assert sorted(tags, key=lambda tag: tag["Key"]) == [{"Key": "Other", "Value": "c"}, {"Key": "TEAM", "Value": "b"}]
    iam("UntagRole", RoleName="r", TagKeys=["team"])
    assert iam("ListRoleTags", RoleName="r")["Tags"] == [{"Key": "Other", "Value": "c"}]


def test_a_policys_tag_keys_are_case_sensitive(iam: Iam) -> None:
    arn = iam("CreatePolicy", PolicyName="p", PolicyDocument=DOC)["Policy"]["Arn"]
    iam("TagPolicy", PolicyArn=arn, Tags=[{"Key": "Costcenter", "Value": "1"}])
    iam("TagPolicy", PolicyArn=arn, Tags=[{"Key": "costcenter", "Value": "2"}])
    tags = iam("ListPolicyTags", PolicyArn=arn)["Tags"]
    assert sorted(tags, key=lambda tag: tag["Key"]) == [
        {"Key": "Costcenter", "Value": "1"},
        {"Key": "costcenter", "Value": "2"},
    ]
    iam("UntagPolicy", PolicyArn=arn, TagKeys=["COSTCENTER"])  # no such key: nothing removed
    assert len(iam("ListPolicyTags", PolicyArn=arn)["Tags"]) == 2


def test_one_request_with_keys_that_differ_only_in_case_is_refused(iam: Iam) -> None:
    iam("CreateUser", UserName="alice", Tags=[{"Key": "keep", "Value": "1"}])
    with pytest.raises(InvalidInput) as raised:
        iam("TagUser", UserName="alice", Tags=[{"Key": "Team", "Value": "a"}, {"Key": "team", "Value": "b"}])
    assert raised.value.message == "Duplicate tag keys found. Please note that Tag keys are case insensitive."
    assert iam("ListUserTags", UserName="alice")["Tags"] == [{"Key": "keep", "Value": "1"}]

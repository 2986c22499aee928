"""IAM tags that begin with "aws:" are refused, on Tag* and on Create* with Tags.

AWS pages: "Tagging IAM resources" (IAM User Guide, Rules for tagging in IAM and AWS STS):
"You cannot create a tag key or value that begins with the text aws:. This tag prefix is
reserved for AWS internal use." TagUser, TagRole, TagPolicy (IAM API Reference): "If any
one of the tags is invalid ... then the entire request fails". Unconfirmed: the error
code (InvalidInput, IAM's code for an invalid value), its message, and that the prefix is
matched in any case (as other services' tagging pages say).
"""

from __future__ import annotations

import json
from collections.abc import Callable

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
RESERVED = [
    [{"Key": "aws:cloudformation:stack-name", "Value": "x"}],
    [{"Key": "AWS:team", "Value": "x"}],
    [{"Key": "team", "Value": "aws:x"}],
    [{"Key": "ok", "Value": "1"}, {"Key": "aws:x", "Value": "2"}],  # one bad tag fails them all
]


def _policy_arn(iam: Iam) -> str:
    arn: str = iam("CreatePolicy", PolicyName="p", PolicyDocument=DOC)["Policy"]["Arn"]
    return arn


@pytest.mark.parametrize("tags", RESERVED)
def test_create_with_a_reserved_tag_is_refused(iam: Iam, tags: list[dict[str, str]]) -> None:
    creates: list[Callable[[], object]] = [
        lambda: iam("CreateUser", UserName="alice", Tags=tags),
        lambda: iam("CreateRole", RoleName="r", AssumeRolePolicyDocument=TRUST, Tags=tags),
        lambda: iam("CreatePolicy", PolicyName="tagged", PolicyDocument=DOC, Tags=tags),
        lambda: iam("CreateVirtualMFADevice", VirtualMFADeviceName="phone", Tags=tags),
    ]
    for create in creates:
        with pytest.raises(InvalidInput) as raised:
            create()
        assert raised.value.status == 400 and "aws:" in raised.value.message
    # Nothing was created: the whole request failed.
    assert iam("ListUsers")["Users"] == [] and iam("ListRoles")["Roles"] == []
    assert iam("ListPolicies", Scope="Local")["Policies"] == []
    assert iam("ListVirtualMFADevices")["VirtualMFADevices"] == []


@pytest.mark.parametrize("tags", RESERVED)
def test_tag_with_a_reserved_tag_is_refused(iam: Iam, tags: list[dict[str, str]]) -> None:
    iam("CreateUser", UserName="alice", Tags=[{"Key": "team", "Value": "a"}])
    iam("CreateRole", RoleName="r", AssumeRolePolicyDocument=TRUST)
    arn = _policy_arn(iam)
    for operation, target in (("TagUser", {"UserName": "alice"}), ("TagRole", {"RoleName": "r"}),
                              ("TagPolicy", {"PolicyArn": arn})):  # fmt: skip
        with pytest.raises(InvalidInput):
            iam(operation, Tags=tags, **target)
    # The tags are as they were.
    assert iam("ListUserTags", UserName="alice")["Tags"] == [{"Key": "team", "Value": "a"}]
    assert iam("ListRoleTags", RoleName="r")["Tags"] == []
    assert iam("ListPolicyTags", PolicyArn=arn)["Tags"] == []


def test_aws_elsewhere_in_a_tag_is_fine(iam: Iam) -> None:
    # Only a key or value that *begins* with aws: is reserved.
    tags = [{"Key": "team:aws:x", "Value": "arn:aws:iam::111111111111:root"}, {"Key": "awsome", "Value": "aws"}]
    iam("CreateUser", UserName="alice", Tags=tags)
    assert iam("ListUserTags", UserName="alice")["Tags"] == tags

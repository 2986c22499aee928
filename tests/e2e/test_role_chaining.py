"""Role chaining with transitive session tags, against a real server.

"Chaining roles with session tags" (IAM User Guide, id_session-tags.html): tags set as
transitive pass to the next session of the chain, and a later AssumeRole may not pass a
tag with the same key. "Permissions required to add session tags": passing tags needs
sts:TagSession in the trust policy and in the caller's policy.
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError
from e2e_harness import ROLE, ROLE_ARN, A, B, Server, _client, _set_up
from e2e_harness import policy_document as _policy


def _keys(credentials: dict[str, Any]) -> tuple[dict[str, str], str]:
    keys = {"AccessKeyId": credentials["AccessKeyId"], "SecretAccessKey": credentials["SecretAccessKey"]}
    return keys, credentials["SessionToken"]


def test_transitive_tag_reaches_the_second_role_and_cannot_be_overridden(server: Server) -> None:
    keys = _set_up(server)
    iam_a = _client(server, "iam", server.roots[A])
    tag_and_assume = ["sts:AssumeRole", "sts:TagSession"]
    iam_a.update_assume_role_policy(
        RoleName=ROLE,
        PolicyDocument=_policy(
            {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{B}:root"}, "Action": tag_and_assume}
        ),
    )
    chained_arn = iam_a.create_role(
        RoleName="chained",
        AssumeRolePolicyDocument=_policy(
            {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{A}:root"}, "Action": tag_and_assume}
        ),
    )["Role"]["Arn"]
    iam_a.put_role_policy(
        RoleName=ROLE,
        PolicyName="chain",
        PolicyDocument=_policy({"Effect": "Allow", "Action": tag_and_assume, "Resource": chained_arn}),
    )
    # The second role may list the bucket only for sessions tagged team=blue.
    iam_a.put_role_policy(
        RoleName="chained",
        PolicyName="by-tag",
        PolicyDocument=_policy(
            {
                "Effect": "Allow",
                "Action": "s3:ListBucket",
                "Resource": "arn:aws:s3:::shared-bucket",
                "Condition": {"StringEquals": {"aws:PrincipalTag/team": "blue"}},
            }
        ),
    )
    iam_b = _client(server, "iam", server.roots[B])
    iam_b.put_user_policy(
        UserName="alice",
        PolicyName="tag",
        PolicyDocument=_policy({"Effect": "Allow", "Action": "sts:TagSession", "Resource": ROLE_ARN}),
    )

    first = _client(server, "sts", keys).assume_role(
        RoleArn=ROLE_ARN, RoleSessionName="one", Tags=[{"Key": "team", "Value": "blue"}], TransitiveTagKeys=["team"]
    )
    sts_one = _client(server, "sts", *_keys(first["Credentials"]))
    second = sts_one.assume_role(RoleArn=chained_arn, RoleSessionName="two")
    s3_two = _client(server, "s3", *_keys(second["Credentials"]))
    assert s3_two.list_objects_v2(Bucket="shared-bucket")["KeyCount"] == 1  # team=blue came along the chain

    with pytest.raises(ClientError) as raised:
        sts_one.assume_role(RoleArn=chained_arn, RoleSessionName="two", Tags=[{"Key": "team", "Value": "red"}])
    assert raised.value.response["Error"]["Code"] == "InvalidParameterValue"
    assert "conflicts with a transitive tag key from the calling session" in raised.value.response["Error"]["Message"]

    # Without the transitive key the tag stays with the first session only.
    plain = _client(server, "sts", keys).assume_role(
        RoleArn=ROLE_ARN, RoleSessionName="one", Tags=[{"Key": "team", "Value": "blue"}]
    )
    untagged = _client(server, "sts", *_keys(plain["Credentials"])).assume_role(
        RoleArn=chained_arn, RoleSessionName="two"
    )
    with pytest.raises(ClientError) as denied:
        _client(server, "s3", *_keys(untagged["Credentials"])).list_objects_v2(Bucket="shared-bucket")
    assert denied.value.response["Error"]["Code"] == "AccessDenied"


def test_trust_policy_limits_which_tags_are_made_transitive(server: Server) -> None:
    # "Passing session tags in AWS STS", the trust policy example whose sts:TagSession
    # statement carries {"ForAllValues:StringEquals": {"sts:TransitiveTagKeys": [...]}}:
    # "they cannot set additional tags as transitive".
    keys = _set_up(server)
    _client(server, "iam", server.roots[A]).update_assume_role_policy(
        RoleName=ROLE,
        PolicyDocument=_policy(
            {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{B}:root"}, "Action": "sts:AssumeRole"},
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{B}:root"},
                "Action": "sts:TagSession",
                "Condition": {"ForAllValues:StringEquals": {"sts:TransitiveTagKeys": ["Project", "Department"]}},
            },
        ),
    )
    _client(server, "iam", server.roots[B]).put_user_policy(
        UserName="alice",
        PolicyName="tag",
        PolicyDocument=_policy({"Effect": "Allow", "Action": "sts:TagSession", "Resource": ROLE_ARN}),
    )
    sts = _client(server, "sts", keys)
    tags = [{"Key": "Project", "Value": "p"}, {"Key": "Department", "Value": "d"}, {"Key": "Cost", "Value": "c"}]
    sts.assume_role(RoleArn=ROLE_ARN, RoleSessionName="ok", Tags=tags, TransitiveTagKeys=["Project"])
    sts.assume_role(RoleArn=ROLE_ARN, RoleSessionName="ok", Tags=tags)  # nothing transitive
    with pytest.raises(ClientError) as raised:
        sts.assume_role(RoleArn=ROLE_ARN, RoleSessionName="no", Tags=tags, TransitiveTagKeys=["Cost"])
    assert raised.value.response["Error"]["Code"] == "AccessDenied"
    assert raised.value.response["Error"]["Message"].endswith(f"sts:TagSession on resource: {ROLE_ARN}")

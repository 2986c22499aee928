"""A customer managed policy deleted and created again under the same name decides by its
new document at once, in the process that had compiled the old one.

AWS pages: "Permissions assigned to temporary security credentials are evaluated each time
they are used to make an AWS request" ("Disabling permissions for temporary security
credentials", IAM User Guide), and likewise for any principal: policies are evaluated per
request ("Policy evaluation logic"). The new policy starts again at version "v1"
(CreatePolicy: "the first version ... is v1"), so a cache keyed by ARN and version alone
kept the old decision (found by a review with two replicas; one process shows it too).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from botocore.exceptions import ClientError
from inprocess_harness import client, open_app, root_keys, user_keys

A = "111111111111"


def _document(effect: str, action: str = "iam:ListUsers") -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": effect, "Action": action, "Resource": "*"}]})


def test_a_recreated_policy_decides_by_its_new_document(tmp_path: Path) -> None:
    app = open_app(tmp_path, A)
    admin = client(app, "iam", root_keys(app, A))
    user = client(app, "iam", user_keys(app, A, "u"))
    admin.put_user_policy(UserName="u", PolicyName="base", PolicyDocument=_document("Allow", "iam:*"))
    arn = admin.create_policy(PolicyName="ccm", PolicyDocument=_document("Allow"))["Policy"]["Arn"]
    admin.attach_user_policy(UserName="u", PolicyArn=arn)
    user.list_users()  # compiled with the Allow
    admin.detach_user_policy(UserName="u", PolicyArn=arn)
    admin.delete_policy(PolicyArn=arn)
    again = admin.create_policy(PolicyName="ccm", PolicyDocument=_document("Deny"))["Policy"]
    assert (again["Arn"], again["DefaultVersionId"]) == (arn, "v1")
    admin.attach_user_policy(UserName="u", PolicyArn=arn)
    with pytest.raises(ClientError) as denied:
        user.list_users()
    assert "with an explicit deny in an identity-based policy" in denied.value.response["Error"]["Message"]


def test_a_recreated_boundary_decides_by_its_new_document(tmp_path: Path) -> None:
    app = open_app(tmp_path, A)
    admin = client(app, "iam", root_keys(app, A))
    user = client(app, "iam", user_keys(app, A, "u"))
    admin.put_user_policy(UserName="u", PolicyName="base", PolicyDocument=_document("Allow", "iam:*"))
    arn = admin.create_policy(PolicyName="edge", PolicyDocument=_document("Allow", "iam:*"))["Policy"]["Arn"]
    admin.put_user_permissions_boundary(UserName="u", PermissionsBoundary=arn)
    user.list_users()  # the boundary allows it
    admin.delete_user_permissions_boundary(UserName="u")
    admin.delete_policy(PolicyArn=arn)
    admin.create_policy(PolicyName="edge", PolicyDocument=_document("Allow", "s3:*"))
    admin.put_user_permissions_boundary(UserName="u", PermissionsBoundary=arn)
    with pytest.raises(ClientError) as denied:
        user.list_users()
    assert "because no permissions boundary allows" in denied.value.response["Error"]["Message"]

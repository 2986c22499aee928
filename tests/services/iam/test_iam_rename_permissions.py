"""Renaming a user or a group needs the permission on both names.

AWS pages (IAM API Reference): UpdateGroup, "The person making the request (the principal),
must have permission to change the group with the old name and the new name"; UpdateUser,
"To change a user name, the requester must have appropriate permissions on both the source
object and the target object". A rename changes the name and path, not the entity: its
unique ID stays ("IAM identifiers", IAM User Guide: unique IDs).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from botocore.exceptions import ClientError
from inprocess_harness import client, open_app, root_keys, user_keys

A = "111111111111"


def _allow(action: str, *resources: str) -> str:
    statement = {"Effect": "Allow", "Action": [action, "iam:Get*"], "Resource": list(resources)}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def test_update_group_renames_it_and_keeps_its_id(tmp_path: Path) -> None:
    app = open_app(tmp_path, A)
    root = client(app, "iam", root_keys(app, A))
    made = root.create_group(GroupName="devs")["Group"]
    root.update_group(GroupName="devs", NewGroupName="developers", NewPath="/eng/")
    renamed = root.get_group(GroupName="developers")["Group"]
    assert renamed["GroupId"] == made["GroupId"]
    assert renamed["Arn"] == f"arn:aws:iam::{A}:group/eng/developers" and renamed["Path"] == "/eng/"
    with pytest.raises(ClientError) as gone:
        root.get_group(GroupName="devs")
    assert gone.value.response["Error"]["Code"] == "NoSuchEntity"


@pytest.mark.parametrize(
    ("create", "update", "action", "kind"),
    [
        ("create_group", "update_group", "iam:UpdateGroup", "Group"),
        ("create_user", "update_user", "iam:UpdateUser", "User"),
    ],
)
def test_a_rename_needs_the_permission_on_the_new_name_too(
    tmp_path: Path, create: str, update: str, action: str, kind: str
) -> None:
    app = open_app(tmp_path, A)
    root = client(app, "iam", root_keys(app, A))
    getattr(root, create)(**{f"{kind}Name": "old"})
    root.create_user(UserName="renamer")
    arn = f"arn:aws:iam::{A}:{kind.lower()}"
    root.put_user_policy(UserName="renamer", PolicyName="p", PolicyDocument=_allow(action, f"{arn}/old"))
    renamer = client(app, "iam", user_keys(app, A, "renamer"))
    with pytest.raises(ClientError) as denied:
        getattr(renamer, update)(**{f"{kind}Name": "old", f"New{kind}Name": "new"})
    assert denied.value.response["Error"]["Code"] == "AccessDenied"
    assert f"{action} on resource: {arn}/new" in denied.value.response["Error"]["Message"]
    getattr(root, "get_" + kind.lower())(**{f"{kind}Name": "old"})  # not renamed
    both = _allow(action, f"{arn}/old", f"{arn}/new")
    root.put_user_policy(UserName="renamer", PolicyName="p", PolicyDocument=both)
    getattr(renamer, update)(**{f"{kind}Name": "old", f"New{kind}Name": "new"})
    getattr(root, "get_" + kind.lower())(**{f"{kind}Name": "new"})

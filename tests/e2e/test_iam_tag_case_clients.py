"""A user's tag keys are case-insensitive, with the AWS CLI against a real server, and a
condition on the tag reads it whatever the case written in the policy.

AWS pages: "Tagging IAM resources" (IAM User Guide), Case sensitivity: "If you have tagged
a user with the Department=finance tag and you add the department=hr tag, it replaces the
first tag." "IAM JSON policy elements: Condition": condition key names are not case
sensitive (aws:PrincipalTag/Department matches a tag written department).
"""

from __future__ import annotations

import json
from pathlib import Path

from e2e_harness import A, Server, _client, aws_cli


def test_aws_cli_tag_user_in_another_case_replaces_the_tag(server: Server, tmp_path: Path) -> None:
    root = server.create_account(A)
    created = aws_cli(
        server, tmp_path, root, "iam", "create-user", "--user-name", "alice", "--tags", "Key=Department,Value=finance"
    )
    assert created.returncode == 0, created.stderr
    tagged = aws_cli(
        server, tmp_path, root, "iam", "tag-user", "--user-name", "alice", "--tags", "Key=department,Value=hr"
    )
    assert tagged.returncode == 0, tagged.stderr
    listed = aws_cli(server, tmp_path, root, "iam", "list-user-tags", "--user-name", "alice")
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout)["Tags"] == [{"Key": "department", "Value": "hr"}]

    # The tag decides a condition written with the other spelling.
    iam = _client(server, "iam", root)
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "iam:GetUser",
                "Resource": "*",
                "Condition": {"StringEquals": {"aws:PrincipalTag/Department": "hr"}},
            }
        ],
    }
    iam.put_user_policy(UserName="alice", PolicyName="hr-only", PolicyDocument=json.dumps(policy))
    key = iam.create_access_key(UserName="alice")["AccessKey"]
    keys = {"AccessKeyId": key["AccessKeyId"], "SecretAccessKey": key["SecretAccessKey"]}
    assert _client(server, "iam", keys).get_user()["User"]["UserName"] == "alice"

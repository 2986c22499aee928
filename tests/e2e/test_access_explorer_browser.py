"""The access explorer against a real server: the reference workflow made with boto3, asked
about in headless Chromium (the IAM console's Access explorer, as account A's administrator)
and with ``iamsandbox explore-access`` on the running server's store (every account).

The answers are AWS's policy evaluation ("Cross-account policy evaluation logic", IAM User
Guide: B's user needs both A's trust policy and its own identity-based policy; the role's
session reads A's bucket through AmazonS3ReadOnlyAccess and may not write), and what a boto3
client of each principal gets from the same server.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from browser_harness import browser, page, screenshot
from console_iam_harness import make_admin, open_iam, sign_in_admin
from e2e_harness import ROLE, ROLE_ARN, A, B, Server, _client, server

__all__ = ["browser", "page", "server"]

OBJECT = "arn:aws:s3:::shared-bucket/report.csv"
ALICE = f"arn:aws:iam::{B}:user/alice"
COMMAND = Path(sys.executable).parent / "iamsandbox"


def _workflow(server: Server) -> dict[str, str]:
    """A's role trusting B with AmazonS3ReadOnlyAccess and a bucket with an object (A has an
    administrator with a console password); B's alice with sts:AssumeRole on the role."""
    iam_a = make_admin(server, A)
    trust = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{B}:root"}, "Action": "sts:AssumeRole"}],
    }
    iam_a.create_role(RoleName=ROLE, AssumeRolePolicyDocument=json.dumps(trust))
    iam_a.attach_role_policy(RoleName=ROLE, PolicyArn="arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")
    s3_a = _client(server, "s3", server.roots[A])
    s3_a.create_bucket(Bucket="shared-bucket")
    s3_a.put_object(Bucket="shared-bucket", Key="report.csv", Body=b"a,b\n")
    iam_b = _client(server, "iam", server.create_account(B))
    allow = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": ROLE_ARN}],
    }
    iam_b.create_user(UserName="alice")
    iam_b.put_user_policy(UserName="alice", PolicyName="assume", PolicyDocument=json.dumps(allow))
    return iam_b.create_access_key(UserName="alice")["AccessKey"]


def test_the_console_explorer_answers_for_the_role_and_the_object(server: Server, page: Any) -> None:
    _workflow(server)
    sign_in_admin(page, server, A)
    open_iam(page, "Roles")
    page.get_by_role("link", name=ROLE).click()
    page.get_by_role("link", name="Who can assume this role").click()
    assert page.get_by_label("Resource ARN").input_value() == ROLE_ARN
    # Only account B is trusted: none of A's principals may assume the role; B is named.
    assert page.get_by_role("table", name="Allowed").get_by_role("row").nth(1).inner_text().strip() == "None."
    assert page.get_by_role("list", name="Not examined here").inner_text().strip() == f"arn:aws:iam::{B}:root"

    page.get_by_label("Resource ARN").fill(OBJECT)
    page.get_by_label("Action").fill("")
    page.get_by_role("button", name="Explore").click()
    allowed = page.get_by_role("table", name="Allowed").inner_text()
    assert ROLE_ARN in allowed and "AmazonS3ReadOnlyAccess" in allowed
    screenshot(page, "iam-access-explorer")
    page.get_by_label("Action").fill("s3:PutObject")
    page.get_by_role("button", name="Explore").click()
    assert ROLE_ARN not in page.get_by_role("table", name="Allowed").inner_text()


def test_the_command_answers_across_accounts_as_the_server_decides(server: Server) -> None:
    alice = _workflow(server)
    done = subprocess.run(
        [str(COMMAND), "explore-access", "--data", str(server.data), "--resource", OBJECT, "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    found = {p["Principal"]: p for p in json.loads(done.stdout)["Principals"]}
    assert found[ALICE]["Access"] == "Allowed" and found[ALICE]["Via"] == [ROLE_ARN]
    # What the explorer says, the server does: alice reads through the role and cannot write.
    sts = _client(server, "sts", alice)
    credentials = sts.assume_role(RoleArn=ROLE_ARN, RoleSessionName="check")["Credentials"]
    session = {"AccessKeyId": credentials["AccessKeyId"], "SecretAccessKey": credentials["SecretAccessKey"]}
    s3 = _client(server, "s3", session, credentials["SessionToken"])
    assert s3.get_object(Bucket="shared-bucket", Key="report.csv")["Body"].read() == b"a,b\n"
    with pytest.raises(ClientError) as denied:
        s3.put_object(Bucket="shared-bucket", Key="report.csv", Body=b"x")
    assert denied.value.response["Error"]["Code"] == "AccessDenied"
    write = subprocess.run(
        [
            str(COMMAND),
            "explore-access",
            "--data",
            str(server.data),
            "--resource",
            OBJECT,
            "--action",
            "s3:PutObject",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert ALICE not in {p["Principal"] for p in json.loads(write.stdout)["Principals"]}

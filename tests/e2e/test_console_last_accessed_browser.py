"""The IAM console's "Last Accessed" tab in headless Chromium: a user calls Amazon S3 with boto3
against the same server, then an admin opens the user's page and its Last Accessed tab, and
sees what IAM's service last accessed report says for that user (read with boto3 as the
account's root).

AWS pages (IAM User Guide): "View last accessed information for IAM"
(access_policies_last-accessed-view-data: "In the navigation pane, choose either User groups,
Users, Roles, or Policies. Choose any user, user group, role, or policy name to open its
Summary page and choose the Last Accessed tab"; "Not accessed in the tracking period – The
tracked service or action has not been used by an entity in the tracking period").
"""

from __future__ import annotations

import json
from typing import Any

from browser_harness import browser, page, screenshot
from console_iam_harness import make_admin, open_iam, sign_in_admin
from e2e_harness import B, Server, _client, server

__all__ = ["browser", "page", "server"]

NOT_ACCESSED = "Not accessed in the tracking period"
WORKER = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": ["s3:*", "iam:ListUsers"], "Resource": "*"}],
}


def test_a_users_last_accessed_tab_shows_amazon_s3_used_and_iam_not(server: Server, page: Any) -> None:
    iam = make_admin(server, B)
    arn = iam.create_policy(PolicyName="worker", PolicyDocument=json.dumps(WORKER))["Policy"]["Arn"]
    iam.create_user(UserName="carol")
    iam.attach_user_policy(UserName="carol", PolicyArn=arn)
    key = iam.create_access_key(UserName="carol")["AccessKey"]
    s3 = _client(server, "s3", key)
    s3.create_bucket(Bucket="carols-bucket")
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["carols-bucket"]

    sign_in_admin(page, server, B)
    open_iam(page, "Users")
    page.get_by_role("link", name="carol", exact=True).click()
    page.get_by_role("tab", name="Last Accessed").click()
    assert page.get_by_role("tab", name="Last Accessed").get_attribute("aria-selected") == "true"
    assert "the last 400 days" in page.get_by_role("note", name="Tracking period").inner_text()
    table = page.get_by_role("table", name="Allowed services")

    # What IAM reports for carol, asked as the root user.
    job_id = iam.generate_service_last_accessed_details(Arn=f"arn:aws:iam::{B}:user/carol")["JobId"]
    report = iam.get_service_last_accessed_details(JobId=job_id)
    services = {entry["ServiceNamespace"]: entry for entry in report["ServicesLastAccessed"]}
    assert sorted(services) == ["iam", "s3"]
    assert "LastAuthenticated" in services["s3"] and "LastAuthenticated" not in services["iam"]
    assert table.get_by_role("row").count() == 1 + len(services)  # the header, then a row a service

    s3_row = table.get_by_role("row").filter(has_text=services["s3"]["ServiceName"])
    cells = [" ".join(text.split()) for text in s3_row.get_by_role("cell").all_inner_texts()]
    shown = services["s3"]["LastAuthenticated"].strftime("%Y-%m-%d %H:%M:%S UTC")
    assert cells == ["worker", f"{shown} (0 days ago)"]
    iam_row = table.get_by_role("row").filter(has_text=services["iam"]["ServiceName"])
    assert [" ".join(t.split()) for t in iam_row.get_by_role("cell").all_inner_texts()] == ["worker", NOT_ACCESSED]
    screenshot(page, "iam-user-last-accessed")

    # Choosing the service: its tracked management actions (CreateBucket and ListAllMyBuckets here).
    table.get_by_role("link", name=services["s3"]["ServiceName"]).click()
    actions = page.get_by_role("table", name=f"Tracked actions of {services['s3']['ServiceName']}")
    create = actions.get_by_role("row").filter(has=page.get_by_role("cell", name="CreateBucket", exact=True))
    assert "us-east-1" in create.inner_text() and NOT_ACCESSED not in create.inner_text()

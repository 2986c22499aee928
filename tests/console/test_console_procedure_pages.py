"""Console steps AWS's procedures name, without a browser: a role's Summary "Edit"
(description, "Maximum session duration", "Custom duration", "Save changes"), the IAM
dashboard's "Create"/"Edit" next to Account Alias with "Save changes", and the bucket
policy's "Edit" on the Permissions tab leading to "Edit bucket policy".

AWS pages: "Update settings for a role" (IAM User Guide, id_roles_update-role-settings: "In
the Summary section, choose Edit", "For Maximum session duration, choose a value.
Alternatively, choose Custom duration and enter a value (in seconds)", "Choose Save
changes"; UpdateRole: 3600 to 43200 seconds); "Using an alias for your AWS account ID"
(console-account-alias: Dashboard, "AWS Account" section, next to Account Alias choose
Create, or Edit when one exists; enter the alias, "Save changes"; one alias an account, a
new one replaces the old); "Adding a bucket policy by using the Amazon S3 console" (S3
User Guide, add-bucket-policy: Permissions, "Under Bucket policy, choose Edit", the Policy
box, "Choose Save changes, which returns you to the Permissions tab").
"""

from __future__ import annotations

import json

from console_iam_page_harness import iam, signed_in_admin
from console_page_harness import ROLE, A, app, location, text

from iamsandbox.server.app import App

__all__ = ["app"]

ROLE_PAGE = f"/console/iam/roles/details/{ROLE}"
POLICY_TAB = "/console/s3/buckets/shared-bucket/permissions"


def test_role_summary_edit_sets_description_and_maximum_session_duration(app: App) -> None:
    browser = signed_in_admin(app, A)
    page = text(browser.get(ROLE_PAGE))
    assert f'href="{ROLE_PAGE}/edit">Edit</a>' in page  # "In the Summary section, choose Edit"
    form = text(browser.get(ROLE_PAGE + "/edit"))
    assert "Maximum session duration" in form and "Custom duration" in form and "Save changes" in form

    saved = browser.post(ROLE_PAGE + "/edit", description="Read S3", duration="43200", custom_seconds="")
    assert saved.status == 303 and location(saved) == ROLE_PAGE + "?done=role-updated"
    role = iam(app, A, "GetRole", RoleName=ROLE)["Role"]
    assert role["MaxSessionDuration"] == 43200 and role["Description"] == "Read S3"
    assert "12 hours" in text(browser.get(ROLE_PAGE))

    custom = browser.post(ROLE_PAGE + "/edit", description="Read S3", duration="custom", custom_seconds="5400")
    assert custom.status == 303
    assert iam(app, A, "GetRole", RoleName=ROLE)["Role"]["MaxSessionDuration"] == 5400
    assert "1 hour 30 minutes" in text(browser.get(ROLE_PAGE))

    too_long = browser.post(ROLE_PAGE + "/edit", description="Read S3", duration="custom", custom_seconds="43201")
    assert too_long.status == 400 and "ValidationError" in text(too_long)  # UpdateRole's range, 1 to 12 hours
    assert iam(app, A, "GetRole", RoleName=ROLE)["Role"]["MaxSessionDuration"] == 5400
    for odd in ("²", "9" * 5000):  # a digit to str.isdigit, not to int(); past int()'s limit
        refused = browser.post(ROLE_PAGE + "/edit", description="Read S3", duration="custom", custom_seconds=odd)
        assert refused.status == 400  # the form's own message, not an internal error


def test_dashboard_create_then_edit_account_alias_with_save_changes(app: App) -> None:
    for alias in iam(app, A, "ListAccountAliases")["AccountAliases"]:  # the harness names account A
        iam(app, A, "DeleteAccountAlias", AccountAlias=alias)
    browser = signed_in_admin(app, A)
    assert 'href="/console/iam/alias">Create</a>' in text(browser.get("/console/iam"))
    form = text(browser.get("/console/iam/alias"))
    assert "Preferred alias" in form and ">Save changes</button>" in form
    created = browser.post("/console/iam/alias", alias="trusting-account-a", editing="1")
    assert created.status == 303
    dashboard = text(browser.get("/console/iam"))
    assert 'href="/console/iam/alias">Edit</a>' in dashboard
    assert "/console/signin?account=trusting-account-a" in dashboard  # the sign-in URL uses the alias

    bad = browser.post("/console/iam/alias", alias="Not_An-Alias", editing="1")
    assert bad.status == 400 and ">Save changes</button>" in text(bad)  # the error on the page it came from
    assert iam(app, A, "ListAccountAliases")["AccountAliases"] == ["trusting-account-a"]


def test_bucket_policy_edit_page_saves_and_returns_to_the_permissions_tab(app: App) -> None:
    browser = signed_in_admin(app, A, "s3-admin", policy="arn:aws:iam::aws:policy/AmazonS3FullAccess")
    tab = text(browser.get(POLICY_TAB))
    assert f'href="{POLICY_TAB}/bucket-policy/edit">Edit</a>' in tab  # "Under Bucket policy, choose Edit"
    edit = text(browser.get(POLICY_TAB + "/bucket-policy/edit"))
    assert "<h1>Edit bucket policy</h1>" in edit and "arn:aws:s3:::shared-bucket" in edit

    statement = {"Effect": "Allow", "Principal": {"AWS": A}, "Action": "s3:GetObject"}
    wrong = {"Version": "2012-10-17", "Statement": [statement | {"Resource": "arn:aws:s3:::another-bucket/*"}]}
    refused = browser.post(POLICY_TAB, policy=json.dumps(wrong), editing="1")
    assert refused.status == 400 and "<h1>Edit bucket policy</h1>" in text(refused)
    assert "MalformedPolicy" in text(refused)

    wrong["Statement"][0]["Resource"] = "arn:aws:s3:::shared-bucket/*"
    saved = browser.post(POLICY_TAB, policy=json.dumps(wrong), editing="1")
    assert saved.status == 303 and location(saved) == POLICY_TAB + "?saved=1"

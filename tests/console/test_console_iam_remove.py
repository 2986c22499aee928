"""Removing users from a group and policies from a user, group or role without a browser: the
rows are ticked, then one button acts on them all.

AWS (IAM User Guide): "Edit users in IAM groups" (id_groups_manage_add-remove-users: "Select
the check box next to the users you want to remove and then choose Remove users.");
"Adding and removing IAM identity permissions" (access_policies_manage-attach-detach,
Removing identity permissions: "Select the check boxes next to the policies to delete and
choose Remove.").
"""

from __future__ import annotations

import json

import pytest
from console_iam_page_harness import iam, signed_in_admin
from console_page_harness import B, Browser, app, location, text

from iamsandbox.server.app import App

__all__ = ["app"]

READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess"
S3_READ = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
ALLOW = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}]}'
TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}],
    }
)


def _admin(app: App) -> Browser:
    return signed_in_admin(app, B)


def test_a_groups_users_tab_removes_the_users_ticked(app: App) -> None:
    browser = _admin(app)
    iam(app, B, "CreateGroup", GroupName="team")
    for name in ("dave", "erin", "frank"):
        iam(app, B, "CreateUser", UserName=name)
        iam(app, B, "AddUserToGroup", GroupName="team", UserName=name)
    tab = text(browser.get("/console/iam/groups/details/team", tab="users"))
    assert '<form id="members-form" method="post" action="/console/iam/groups/details/team/remove-users">' in tab
    assert 'name="user" value="erin" form="members-form" aria-label="Select erin"' in tab
    assert ">Remove users</button>" in tab and ">Remove</button>" not in tab
    nothing = browser.post("/console/iam/groups/details/team/remove-users")
    assert nothing.status == 400 and "Select the users to remove." in text(nothing)
    done = browser.post("/console/iam/groups/details/team/remove-users", user=["dave", "frank"])
    assert done.status == 303 and location(done) == "/console/iam/groups/details/team?tab=users&done=user-removed"
    assert [u["UserName"] for u in iam(app, B, "GetGroup", GroupName="team")["Users"]] == ["erin"]
    assert {"dave", "frank"} <= {u["UserName"] for u in iam(app, B, "ListUsers")["Users"]}  # not deleted


def test_remove_users_refused_shows_access_denied_on_the_users_tab(app: App) -> None:
    browser = signed_in_admin(app, B, "viewer", policy="arn:aws:iam::aws:policy/IAMReadOnlyAccess")
    iam(app, B, "CreateGroup", GroupName="team")
    iam(app, B, "AddUserToGroup", GroupName="team", UserName="alice")
    refused = browser.post("/console/iam/groups/details/team/remove-users", user="alice")
    assert refused.status == 403 and "iam:RemoveUserFromGroup" in text(refused)
    assert [u["UserName"] for u in iam(app, B, "GetGroup", GroupName="team")["Users"]] == ["alice"]


@pytest.mark.parametrize("kind", ["users", "groups", "roles"])
def test_the_permissions_tab_removes_the_policies_ticked_once_confirmed(app: App, kind: str) -> None:
    browser = _admin(app)
    noun, param = {"users": ("User", "UserName"), "groups": ("Group", "GroupName"), "roles": ("Role", "RoleName")}[kind]
    if kind == "roles":
        iam(app, B, "CreateRole", RoleName="target", AssumeRolePolicyDocument=TRUST)
    else:
        iam(app, B, f"Create{noun}", **{param: "target"})
    for arn in (READ_ONLY, S3_READ):
        iam(app, B, f"Attach{noun}Policy", **{param: "target"}, PolicyArn=arn)
    iam(app, B, f"Put{noun}Policy", **{param: "target"}, PolicyName="extra", PolicyDocument=ALLOW)
    base = f"/console/iam/{kind}/details/target"
    tab = text(browser.get(base, tab="permissions"))
    assert f'<form id="policies-form" method="post" action="{base}/remove-policies">' in tab
    assert f'name="arn" value="{READ_ONLY}" form="policies-form" aria-label="Select ReadOnlyAccess"' in tab
    assert 'name="inline" value="extra" form="policies-form" aria-label="Select extra"' in tab

    asked = browser.post(f"{base}/remove-policies", arn=READ_ONLY, inline="extra")
    page = text(asked)
    assert asked.status == 200 and "Remove 2 policies from target?" in page and ">Remove</button>" in page
    attached = iam(app, B, f"ListAttached{noun}Policies", **{param: "target"})["AttachedPolicies"]
    assert len(attached) == 2  # nothing removed before the confirmation
    done = browser.post(f"{base}/remove-policies", arn=READ_ONLY, inline="extra", step="confirm")
    assert done.status == 303 and location(done) == f"{base}?tab=permissions&done=policy-removed"
    attached = iam(app, B, f"ListAttached{noun}Policies", **{param: "target"})["AttachedPolicies"]
    assert [p["PolicyArn"] for p in attached] == [S3_READ]
    assert iam(app, B, f"List{noun}Policies", **{param: "target"})["PolicyNames"] == []


def test_remove_policies_needs_a_choice_the_csrf_token_and_the_permission(app: App) -> None:
    browser = signed_in_admin(app, B, "viewer", policy="arn:aws:iam::aws:policy/IAMReadOnlyAccess")
    base = "/console/iam/users/details/alice"
    nothing = browser.post(f"{base}/remove-policies", step="confirm")
    assert nothing.status == 400 and "Select the policies to remove." in text(nothing)
    arn = f"arn:aws:iam::{B}:policy/my-s3-x-account-policy"
    assert browser.post(f"{base}/remove-policies", csrf=False, arn=arn, step="confirm").status == 403
    refused = browser.post(f"{base}/remove-policies", arn=arn, step="confirm")
    assert refused.status == 403 and "iam:DetachUserPolicy" in text(refused)
    assert f'<input type="hidden" name="arn" value="{arn}">' in text(refused)  # still chosen, to try again
    assert len(iam(app, B, "ListAttachedUserPolicies", UserName="alice")["AttachedPolicies"]) == 1


# --- permissions boundary ("Permissions boundaries for IAM entities", access_policies_boundaries) ---


@pytest.mark.parametrize("kind", ["users", "roles"])
def test_the_permissions_tab_sets_changes_and_removes_the_boundary(app: App, kind: str) -> None:
    browser = _admin(app)
    noun, param = ("User", "UserName") if kind == "users" else ("Role", "RoleName")
    if kind == "roles":
        iam(app, B, "CreateRole", RoleName="target", AssumeRolePolicyDocument=TRUST)
    else:
        iam(app, B, "CreateUser", UserName="target")
    base = f"/console/iam/{kind}/details/target"
    tab = text(browser.get(base, tab="permissions"))
    assert "Permissions boundary</h2>" in tab and "Permissions boundary is not set." in tab
    assert f'<a class="button" href="{base}/boundary">Set permissions boundary</a>' in tab
    form = text(browser.get(f"{base}/boundary"))
    assert ">Permissions boundary policy</label>" in form and ">Set boundary</button>" in form
    none = browser.post(f"{base}/boundary", boundary="")
    assert none.status == 400 and "Choose a policy to use as the permissions boundary." in text(none)
    done = browser.post(f"{base}/boundary", boundary=READ_ONLY)
    assert done.status == 303 and location(done) == f"{base}?tab=permissions&done=boundary-set"
    found = iam(app, B, f"Get{noun}", **{param: "target"})[noun]["PermissionsBoundary"]
    assert found == {"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": READ_ONLY}
    tab = text(browser.get(base, tab="permissions"))
    assert ">ReadOnlyAccess</a></dd>" in tab and ">Change boundary</a>" in tab and ">Remove boundary</button>" in tab
    assert "selected>ReadOnlyAccess</option>" in text(browser.get(f"{base}/boundary"))  # Change: the current one
    browser.post(f"{base}/boundary", boundary=S3_READ)
    assert iam(app, B, f"Get{noun}", **{param: "target"})[noun]["PermissionsBoundary"]["PermissionsBoundaryArn"] == (
        S3_READ
    )
    removed = browser.post(f"{base}/boundary/remove")
    assert removed.status == 303 and location(removed) == f"{base}?tab=permissions&done=boundary-removed"
    assert "PermissionsBoundary" not in iam(app, B, f"Get{noun}", **{param: "target"})[noun]


def test_a_boundary_refused_shows_access_denied_and_groups_have_none(app: App) -> None:
    browser = signed_in_admin(app, B, "viewer", policy="arn:aws:iam::aws:policy/IAMReadOnlyAccess")
    refused = browser.post("/console/iam/users/details/alice/boundary", boundary=READ_ONLY)
    assert refused.status == 403 and "iam:PutUserPermissionsBoundary" in text(refused)
    assert "PermissionsBoundary" not in iam(app, B, "GetUser", UserName="alice")["User"]
    assert browser.post("/console/iam/users/details/alice/boundary", csrf=False, boundary=READ_ONLY).status == 403
    iam(app, B, "CreateGroup", GroupName="team")
    assert browser.get("/console/iam/groups/details/team/boundary").status == 404
    assert "Permissions boundary</h2>" not in text(browser.get("/console/iam/groups/details/team", tab="permissions"))

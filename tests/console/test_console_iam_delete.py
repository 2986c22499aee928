"""Deleting IAM users, user groups and roles without a browser: always a confirmation where
the name is typed, from the entity's page or from its list's check boxes; what the entity has
is read before anything changes, and a role leaves its instance profiles before its policies
go.

AWS (IAM User Guide): "Remove or deactivate an IAM user" (id_users_remove: "In the
confirmation dialog box, enter the username in the text input field to confirm the deletion
of the user. Choose Delete."); "Delete an IAM group" (id_groups_manage_delete: "type the
group name and choose Delete"); "Delete roles or instance profiles" (id_roles_manage_delete:
"When you use the AWS Management Console to delete a role, IAM also automatically deletes the
policies associated with the role. It also deletes any Amazon EC2 instance profile that
contains the role.").
"""

from __future__ import annotations

import json

from console_iam_page_harness import iam, signed_in_admin
from console_page_harness import B, Browser, app, location, text

from iamsandbox.server.app import App

__all__ = ["app"]

READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess"
TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}],
    }
)
ALLOW = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}]}'


def _admin(app: App) -> Browser:
    return signed_in_admin(app, B)


def _deny(app: App, action: str) -> None:
    """An explicit deny of ``action`` for the signed-in admin."""
    document = {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": action, "Resource": "*"}]}
    iam(app, B, "PutUserPolicy", UserName="admin", PolicyName="deny", PolicyDocument=json.dumps(document))


def _users(app: App) -> list[str]:
    return [user["UserName"] for user in iam(app, B, "ListUsers")["Users"]]


def test_a_users_delete_button_opens_the_confirmation_and_deletes_only_once_the_name_is_typed(app: App) -> None:
    browser = _admin(app)
    iam(app, B, "CreateUser", UserName="dave")
    details = text(browser.get("/console/iam/users/details/dave"))
    assert '<form method="post" action="/console/iam/users/delete">' in details
    assert '<input type="hidden" name="user" value="dave">' in details
    asked = browser.post("/console/iam/users/delete", user="dave")
    page = text(asked)
    assert asked.status == 200 and "Delete dave?" in page and "dave" in _users(app)
    assert "To confirm deletion, enter the user name in the text input field." in page
    assert 'name="step" value="confirm"' in page and 'placeholder="dave"' in page
    wrong = browser.post("/console/iam/users/delete", user="dave", step="confirm", confirm="delete")
    assert wrong.status == 400 and "dave" in _users(app)
    done = browser.post("/console/iam/users/delete", user="dave", step="confirm", confirm="dave")
    assert done.status == 303 and location(done) == "/console/iam/users?done=user-deleted"
    assert "dave" not in _users(app)


def test_the_users_list_deletes_the_users_ticked_after_typing_delete(app: App) -> None:
    browser = _admin(app)
    for name in ("dave", "erin", "frank"):
        iam(app, B, "CreateUser", UserName=name)
    listing = text(browser.get("/console/iam/users"))
    assert '<form id="users-form" method="post" action="/console/iam/users/delete"' in listing
    assert 'type="checkbox" name="user" value="dave" form="users-form" aria-label="Select dave"' in listing
    nothing = browser.post("/console/iam/users/delete")
    assert nothing.status == 400 and "Select a user." in text(nothing)
    asked = text(browser.post("/console/iam/users/delete", user=["dave", "erin"]))
    assert "Delete 2 users?" in asked and "To confirm deletion, enter &#34;delete&#34;" in asked
    one_name = browser.post("/console/iam/users/delete", user=["dave", "erin"], step="confirm", confirm="dave")
    assert one_name.status == 400 and {"dave", "erin"} <= set(_users(app))
    done = browser.post("/console/iam/users/delete", user=["dave", "erin"], step="confirm", confirm="delete")
    assert done.status == 303 and sorted(_users(app)) == ["admin", "alice", "frank"]


def test_groups_page_and_list_delete_after_the_name_is_typed(app: App) -> None:
    browser = _admin(app)
    iam(app, B, "CreateGroup", GroupName="readers")
    iam(app, B, "CreateGroup", GroupName="writers")
    iam(app, B, "AddUserToGroup", GroupName="readers", UserName="alice")
    iam(app, B, "AttachGroupPolicy", GroupName="readers", PolicyArn=READ_ONLY)
    details = text(browser.get("/console/iam/groups/details/readers"))
    assert '<form method="post" action="/console/iam/groups/delete">' in details
    listing = text(browser.get("/console/iam/groups"))
    assert 'type="checkbox" name="group" value="writers" form="groups-form" aria-label="Select writers"' in listing
    asked = text(browser.post("/console/iam/groups/delete", group="readers"))
    assert "To confirm deletion, enter the user group name in the text input field." in asked
    wrong = browser.post("/console/iam/groups/delete", group="readers", step="confirm", confirm="writers")
    assert wrong.status == 400 and len(iam(app, B, "ListGroups")["Groups"]) == 2
    done = browser.post("/console/iam/groups/delete", group="readers", step="confirm", confirm="readers")
    assert done.status == 303 and location(done) == "/console/iam/groups?done=group-deleted"
    assert [g["GroupName"] for g in iam(app, B, "ListGroups")["Groups"]] == ["writers"]
    assert "alice" in _users(app)  # the group's users are not deleted


def test_a_roles_delete_button_opens_the_confirmation(app: App) -> None:
    browser = _admin(app)
    iam(app, B, "CreateRole", RoleName="doomed", AssumeRolePolicyDocument=TRUST)
    details = text(browser.get("/console/iam/roles/details/doomed"))
    assert '<form method="post" action="/console/iam/roles/delete">' in details
    assert '<input type="hidden" name="role" value="doomed">' in details
    assert browser.post("/console/iam/roles/delete", role="doomed").status == 200
    assert iam(app, B, "GetRole", RoleName="doomed")["Role"]["RoleName"] == "doomed"


def _role_with_everything(app: App) -> None:
    iam(app, B, "CreateRole", RoleName="web", AssumeRolePolicyDocument=TRUST, PermissionsBoundary=READ_ONLY)
    iam(app, B, "AttachRolePolicy", RoleName="web", PolicyArn=READ_ONLY)
    iam(app, B, "PutRolePolicy", RoleName="web", PolicyName="inline", PolicyDocument=ALLOW)
    iam(app, B, "CreateInstanceProfile", InstanceProfileName="web")
    iam(app, B, "AddRoleToInstanceProfile", InstanceProfileName="web", RoleName="web")


def _role_state(app: App) -> tuple[list[str], list[str], list[str]]:
    attached = [p["PolicyName"] for p in iam(app, B, "ListAttachedRolePolicies", RoleName="web")["AttachedPolicies"]]
    inline = iam(app, B, "ListRolePolicies", RoleName="web")["PolicyNames"]
    profiles = iam(app, B, "ListInstanceProfilesForRole", RoleName="web")["InstanceProfiles"]
    return attached, inline, [p["InstanceProfileName"] for p in profiles]


def test_a_role_delete_removes_its_instance_profiles_policies_and_boundary(app: App) -> None:
    browser = _admin(app)
    _role_with_everything(app)
    done = browser.post("/console/iam/roles/delete", role="web", step="confirm", confirm="web")
    assert done.status == 303, text(done)
    assert all(role["RoleName"] != "web" for role in iam(app, B, "ListRoles")["Roles"])
    assert iam(app, B, "ListInstanceProfiles")["InstanceProfiles"] == []


def test_a_refused_instance_profile_leaves_the_roles_policies_in_place(app: App) -> None:
    """The instance profiles go first: refused there, the role keeps its permissions."""
    browser = _admin(app)
    _role_with_everything(app)
    _deny(app, "iam:DeleteInstanceProfile")
    refused = browser.post("/console/iam/roles/delete", role="web", step="confirm", confirm="web")
    assert refused.status == 403 and "iam:DeleteInstanceProfile" in text(refused)
    attached, inline, _ = _role_state(app)
    assert attached == ["ReadOnlyAccess"] and inline == ["inline"]
    assert iam(app, B, "GetRole", RoleName="web")["Role"]["PermissionsBoundary"]["PermissionsBoundaryArn"] == READ_ONLY


def test_a_refused_read_changes_nothing(app: App) -> None:
    """What is to remove is read first: a refused List leaves the role (and a user) whole."""
    browser = _admin(app)
    _role_with_everything(app)
    _deny(app, "iam:ListRolePolicies")
    refused = browser.post("/console/iam/roles/delete", role="web", step="confirm", confirm="web")
    assert refused.status == 403 and "iam:ListRolePolicies" in text(refused)
    iam(app, B, "DeleteUserPolicy", UserName="admin", PolicyName="deny")
    assert _role_state(app) == (["ReadOnlyAccess"], ["inline"], ["web"])

    iam(app, B, "CreateUser", UserName="dave")
    key = iam(app, B, "CreateAccessKey", UserName="dave")["AccessKey"]["AccessKeyId"]
    iam(app, B, "AttachUserPolicy", UserName="dave", PolicyArn=READ_ONLY)
    _deny(app, "iam:ListServiceSpecificCredentials")
    refused = browser.post("/console/iam/users/delete", user="dave", step="confirm", confirm="dave")
    assert refused.status == 403 and "iam:ListServiceSpecificCredentials" in text(refused)
    iam(app, B, "DeleteUserPolicy", UserName="admin", PolicyName="deny")
    assert [k["AccessKeyId"] for k in iam(app, B, "ListAccessKeys", UserName="dave")["AccessKeyMetadata"]] == [key]
    assert len(iam(app, B, "ListAttachedUserPolicies", UserName="dave")["AttachedPolicies"]) == 1


def test_a_failure_midway_keeps_the_entities_not_yet_deleted_chosen(app: App) -> None:
    browser = _admin(app)
    iam(app, B, "CreateUser", UserName="dave")
    asked = browser.post("/console/iam/users/delete", user=["dave", "nobody"], step="confirm", confirm="delete")
    page = text(asked)
    assert asked.status == 404 and "NoSuchEntity" in page
    assert '<input type="hidden" name="user" value="nobody">' in page
    assert 'name="user" value="dave"' not in page and "dave" not in _users(app)


def test_the_delete_forms_need_the_csrf_token(app: App) -> None:
    browser = _admin(app)
    iam(app, B, "CreateUser", UserName="dave")
    iam(app, B, "CreateGroup", GroupName="readers")
    for path, form in (
        ("/console/iam/users/delete", {"user": "dave"}),
        ("/console/iam/groups/delete", {"group": "readers"}),
    ):
        assert browser.post(path, csrf=False, step="confirm", confirm=next(iter(form.values())), **form).status == 403
    assert "dave" in _users(app) and len(iam(app, B, "ListGroups")["Groups"]) == 1

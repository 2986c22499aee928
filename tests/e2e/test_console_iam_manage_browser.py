"""AWS's console procedures for deleting and editing IAM identities, clicked through in
headless Chromium by labels and names; what each did is read back with boto3.

AWS pages (IAM User Guide): "Remove or deactivate an IAM user" (id_users_remove: "In the
confirmation dialog box, enter the username in the text input field to confirm the deletion
of the user. Choose Delete."); "Delete an IAM group" (id_groups_manage_delete: "type the
group name and choose Delete"); "Delete roles or instance profiles" (id_roles_manage_delete:
the console "also deletes any Amazon EC2 instance profile that contains the role"); "Use
instance profiles" (id_roles_use_switch-role-ec2_instance-profiles: "If you use the AWS
Management Console to create a role for Amazon EC2, the console automatically creates an
instance profile and gives it the same name as the role."); "Edit users in IAM groups"
("Select the check box next to the users you want to remove and then choose Remove users.");
"Adding and removing IAM identity permissions" ("Select the check boxes next to the policies
to delete and choose Remove."); "Editing IAM policies" (the JSON editor, Next, "Review and
save", "Set this new version as the default", "Save changes"); "Versioning IAM policies" (at
five versions the console asks which to delete); "Permissions boundaries for
IAM entities" ("Set permissions boundary", "Set boundary", "Remove boundary"). S3 User Guide:
"Working with object metadata" (the object's system-defined metadata).
"""

from __future__ import annotations

import json
from typing import Any

from browser_harness import browser, page, screenshot
from console_iam_harness import make_admin, open_iam, sign_in_admin
from e2e_harness import B, Server, _client, server

__all__ = ["browser", "page", "server"]

READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess"
S3_READ = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
ALLOW = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}


def _status(page: Any) -> str:
    return str(page.get_by_role("status").first.inner_text())


def _users(iam: Any) -> list[str]:
    return sorted(user["UserName"] for user in iam.list_users()["Users"])


def _edit_read_objects_to_get_everything(page: Any) -> None:
    """Policies, the customer managed ReadObjects, Edit: the JSON editor given s3:Get* on
    everything, then Next (to "Review and save")."""
    open_iam(page, "Policies")
    page.get_by_label("Filter by type").select_option(label="Customer managed")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="ReadObjects").click()
    page.get_by_role("link", name="Edit", exact=True).click()
    wider = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}]}
    page.get_by_label("Policy editor").fill(json.dumps(wider, indent=4))
    page.get_by_role("button", name="Next").click()


def test_delete_users_and_groups_only_once_the_name_is_typed(server: Server, page: Any) -> None:
    iam = make_admin(server, B)
    for name in ("dave", "erin", "frank"):
        iam.create_user(UserName=name)
    iam.create_access_key(UserName="dave")
    iam.create_group(GroupName="readers")
    iam.add_user_to_group(GroupName="readers", UserName="erin")
    sign_in_admin(page, server, B)

    # From the user's page: Delete, the user name typed, Delete.
    open_iam(page, "Users")
    page.get_by_role("link", name="dave", exact=True).click()
    page.get_by_role("button", name="Delete", exact=True).click()
    assert page.get_by_role("heading", name="Delete dave?").is_visible()
    page.get_by_label("enter the user name").fill("not-dave")
    page.get_by_role("button", name="Delete", exact=True).click()
    assert "enter the user name" in page.get_by_role("alert").first.inner_text()
    assert "dave" in _users(iam)
    screenshot(page, "iam-delete-user")
    page.get_by_label("enter the user name").fill("dave")
    page.get_by_role("button", name="Delete", exact=True).click()
    assert _status(page) == "User deleted."
    assert "dave" not in _users(iam)

    # From the Users list: two ticked, "delete" typed.
    page.get_by_label("Select erin").check()
    page.get_by_label("Select frank").check()
    page.get_by_role("button", name="Delete", exact=True).click()
    page.get_by_label('enter "delete"').fill("delete")
    page.get_by_role("button", name="Delete", exact=True).click()
    assert _users(iam) == ["admin"]

    # A group from the User groups list.
    open_iam(page, "User groups")
    page.get_by_label("Select readers").check()
    page.get_by_role("button", name="Delete", exact=True).click()
    page.get_by_label("enter the user group name").fill("readers")
    page.get_by_role("button", name="Delete", exact=True).click()
    assert _status(page) == "User group deleted."
    assert iam.list_groups()["Groups"] == []


def test_a_role_for_ec2_has_an_instance_profile_that_its_delete_removes(server: Server, page: Any) -> None:
    iam = make_admin(server, B)
    sign_in_admin(page, server, B)
    open_iam(page, "Roles")
    page.get_by_role("link", name="Create role").click()
    page.get_by_label("AWS service").check()
    page.get_by_label("Service or use case").select_option(label="EC2")
    page.get_by_role("button", name="Next").click()
    page.get_by_role("button", name="Next").click()
    page.get_by_label("Role name").fill("web-server")
    page.get_by_role("button", name="Create role").click()
    assert _status(page) == "Role created."
    profiles = iam.list_instance_profiles_for_role(RoleName="web-server")["InstanceProfiles"]
    assert [p["InstanceProfileName"] for p in profiles] == ["web-server"]
    assert profiles[0]["Arn"] in page.get_by_role("main").inner_text()  # "Instance profile ARN"
    iam.attach_role_policy(RoleName="web-server", PolicyArn=S3_READ)

    page.get_by_role("button", name="Delete", exact=True).click()
    page.get_by_label("enter the role name").fill("web-server")
    page.get_by_role("button", name="Delete", exact=True).click()
    assert _status(page) == "Role deleted."
    assert iam.list_roles()["Roles"] == [] and iam.list_instance_profiles()["InstanceProfiles"] == []


def test_remove_users_from_a_group_and_policies_from_a_user(server: Server, page: Any) -> None:
    iam = make_admin(server, B)
    iam.create_group(GroupName="team")
    for name in ("dave", "erin"):
        iam.create_user(UserName=name)
        iam.add_user_to_group(GroupName="team", UserName=name)
    iam.attach_user_policy(UserName="dave", PolicyArn=READ_ONLY)
    iam.attach_user_policy(UserName="dave", PolicyArn=S3_READ)
    iam.put_user_policy(UserName="dave", PolicyName="extra", PolicyDocument=json.dumps(ALLOW))
    sign_in_admin(page, server, B)

    open_iam(page, "User groups")
    page.get_by_role("link", name="team", exact=True).click()
    page.get_by_label("Select erin").check()
    page.get_by_role("button", name="Remove users").click()
    assert _status(page) == "User removed from the group."
    assert [u["UserName"] for u in iam.get_group(GroupName="team")["Users"]] == ["dave"]

    page.get_by_role("link", name="dave", exact=True).click()
    page.get_by_label("Select ReadOnlyAccess").check()
    page.get_by_label("Select extra").check()
    page.get_by_role("button", name="Remove", exact=True).click()
    assert page.get_by_role("heading", name="Remove 2 policies from dave?").is_visible()
    assert len(iam.list_attached_user_policies(UserName="dave")["AttachedPolicies"]) == 2
    page.get_by_role("button", name="Remove", exact=True).click()
    assert _status(page) == "Policy removed."
    attached = iam.list_attached_user_policies(UserName="dave")["AttachedPolicies"]
    assert [p["PolicyArn"] for p in attached] == [S3_READ]
    assert iam.list_user_policies(UserName="dave")["PolicyNames"] == []


def test_edit_a_policy_in_two_steps_and_set_a_users_boundary(server: Server, page: Any) -> None:
    iam = make_admin(server, B)
    arn = iam.create_policy(PolicyName="ReadObjects", PolicyDocument=json.dumps(ALLOW))["Policy"]["Arn"]
    iam.create_user(UserName="dave")
    sign_in_admin(page, server, B)

    _edit_read_objects_to_get_everything(page)
    assert page.get_by_role("heading", name="Review and save").is_visible()
    assert page.get_by_label("Set this new version as the default").is_checked()
    assert len(iam.list_policy_versions(PolicyArn=arn)["Versions"]) == 1  # nothing saved yet
    page.get_by_role("button", name="Save changes").click()
    assert iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"] == "v2"

    open_iam(page, "Users")
    page.get_by_role("link", name="dave", exact=True).click()
    page.get_by_role("link", name="Set permissions boundary").click()
    page.get_by_label("Permissions boundary policy").select_option(label="ReadObjects")
    page.get_by_role("button", name="Set boundary").click()
    assert _status(page) == "Permissions boundary set."
    assert iam.get_user(UserName="dave")["User"]["PermissionsBoundary"]["PermissionsBoundaryArn"] == arn
    page.get_by_role("button", name="Remove boundary").click()
    assert "PermissionsBoundary" not in iam.get_user(UserName="dave")["User"]


def test_saving_a_sixth_version_asks_which_older_version_to_delete(server: Server, page: Any) -> None:
    """ "Versioning IAM policies", Version limits: "If you are using the AWS Management
    Console, you do not need to delete a version before you edit your policy. When you save
    the sixth version, a dialog box appears asking you to delete one or more of the
    non-default versions of your policy. You can view the JSON policy document for each
    version to help you decide." Nothing is deleted until a version is chosen."""
    iam = make_admin(server, B)
    arn = iam.create_policy(PolicyName="ReadObjects", PolicyDocument=json.dumps(ALLOW))["Policy"]["Arn"]
    for action in ("s3:GetObjectTagging", "s3:GetObjectAcl", "s3:GetObjectVersion", "s3:ListBucket"):
        document = {**ALLOW, "Statement": [{**ALLOW["Statement"][0], "Action": action}]}
        iam.create_policy_version(PolicyArn=arn, PolicyDocument=json.dumps(document), SetAsDefault=False)
    sign_in_admin(page, server, B)

    _edit_read_objects_to_get_everything(page)
    page.get_by_role("button", name="Save changes").click()

    # The non-default versions, each with its JSON; v1 (the default) is not offered.
    assert page.get_by_role("heading", name="Delete a version of ReadObjects").is_visible()
    assert [box.get_attribute("value") for box in page.get_by_role("checkbox").all()] == ["v5", "v4", "v3", "v2"]
    page.get_by_text("JSON of v3").click()
    assert "s3:GetObjectAcl" in page.get_by_label("Policy document of v3").inner_text()
    page.get_by_role("button", name="Delete and save").click()  # none chosen: refused, nothing changed
    assert "Select at least one version" in page.get_by_role("alert").inner_text()
    assert len(iam.list_policy_versions(PolicyArn=arn)["Versions"]) == 5

    page.get_by_label("v2 (created").check()
    screenshot(page, "policy-sixth-version")
    page.get_by_role("button", name="Delete and save").click()
    versions = {v["VersionId"]: v["IsDefaultVersion"] for v in iam.list_policy_versions(PolicyArn=arn)["Versions"]}
    assert versions == {"v1": False, "v3": False, "v4": False, "v5": False, "v6": True}
    saved = iam.get_policy_version(PolicyArn=arn, VersionId="v6")["PolicyVersion"]["Document"]
    assert saved["Statement"][0]["Action"] == "s3:Get*"


def test_the_object_overview_shows_its_storage_class_version_and_system_metadata(server: Server, page: Any) -> None:
    iam = make_admin(server, B)
    iam.attach_user_policy(UserName="admin", PolicyArn="arn:aws:iam::aws:policy/AmazonS3FullAccess")
    s3 = _client(server, "s3", server.roots[B])
    s3.create_bucket(Bucket="docs-bucket")
    s3.put_bucket_versioning(Bucket="docs-bucket", VersioningConfiguration={"Status": "Enabled"})
    put = s3.put_object(
        Bucket="docs-bucket",
        Key="index.html",
        Body=b"<p>hi</p>",
        ContentType="text/html",
        CacheControl="max-age=60",
        ContentLanguage="en-GB",
        StorageClass="STANDARD_IA",
    )
    sign_in_admin(page, server, B)
    page.goto(server.url + "/console/s3")
    page.get_by_role("link", name="docs-bucket").click()
    page.get_by_role("link", name="index.html").click()
    overview = page.locator("dl.details").inner_text()
    assert "STANDARD_IA" in overview and put["VersionId"] in overview
    metadata = page.get_by_role("table", name="Metadata")
    assert metadata.get_by_role("row").filter(has_text="Cache-Control").inner_text().split() == [
        "System",
        "defined",
        "Cache-Control",
        "max-age=60",
    ]
    assert "en-GB" in metadata.get_by_role("row").filter(has_text="Content-Language").inner_text()

"""Console steps of AWS's procedures, without a browser: a bucket's "Block public access
(bucket settings)" with Edit and the typed "confirm", the bucket's Properties tab (Bucket
overview, Bucket Versioning and Tags with Edit), the Policies list's Actions (Attach,
Detach, Delete with the policy's name typed), the Policy versions tab's chosen versions
("Set as default", "Delete"), and the Roles list's Delete with the role's name typed.

Each step is the API operation as the signed-in principal: a refused one shows AWS's error
(AccessDenied) on the page and changes nothing.

AWS pages: "Configuring block public access settings for your S3 buckets" (S3 User Guide:
Permissions, Edit under "Block public access (bucket settings)", the four settings or "Block
all public access", "Save changes", enter confirm); "Viewing the properties for an S3
bucket" (Properties: AWS Region, Amazon Resource Name (ARN), Creation date); "Enabling
versioning on buckets" (Properties, Bucket Versioning, Edit, Enable, Save changes); "IAM
tutorial: Create and attach your first customer managed policy" (Policies, the policy's
option button, Actions, Attach, the users to attach it to, "Attach policy"); "Delete IAM
policies" (access_policies_manage-delete: select the policy, Actions, Delete, confirm);
"Versioning IAM policies" (access_policies_managed-versioning: the Policy versions tab, the
version's check box, "Set as default" or "Delete"); "Delete roles or instance profiles"
(id_roles_manage_delete: Roles, the role's check box, Delete, enter the role's name).
"""

from __future__ import annotations

import json
from urllib.parse import quote

from console_iam_page_harness import iam, signed_in_admin
from console_page_harness import ROLE, A, B, app, location, text

from iamsandbox.console.calls import invoke
from iamsandbox.console.session import new_session
from iamsandbox.server.app import App

__all__ = ["app"]

BUCKET = "/console/s3/buckets/shared-bucket"
S3_FULL = "arn:aws:iam::aws:policy/AmazonS3FullAccess"
S3_READ = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
IAM_READ = "arn:aws:iam::aws:policy/IAMReadOnlyAccess"
POLICY_ARN = f"arn:aws:iam::{B}:policy/my-s3-x-account-policy"
POLICY = f"/console/iam/policies/details/{quote(POLICY_ARN, safe='')}"
READ_ONLY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
FLAGS = ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")


def s3(app: App, operation: str, **params: object) -> dict[str, object]:
    """An S3 operation as account A's root user."""
    session = new_session()
    root = type(session)(csrf=session.csrf, account_id=A, root=True, signed_in_at=0, expires_at=2**40)
    return invoke(app, root, "s3", operation, dict(params), client_ip="127.0.0.1")


# --- S3: Block public access (bucket settings) ------------------------------------------------


def test_block_public_access_edit_asks_for_confirm_then_puts_the_four_settings(app: App) -> None:
    s3(app, "PutPublicAccessBlock", Bucket="shared-bucket", PublicAccessBlockConfiguration=dict.fromkeys(FLAGS, True))
    browser = signed_in_admin(app, A, "s3-admin", policy=S3_FULL)
    tab = text(browser.get(f"{BUCKET}/permissions"))
    assert "Block public access (bucket settings)" in tab
    assert "Block public access to buckets and objects granted through new access control lists (ACLs)" in tab
    assert f'action="{BUCKET}/permissions/public-access-block/edit"' in tab  # its Edit
    edit = text(browser.get(f"{BUCKET}/permissions/public-access-block/edit"))
    assert "Block <em>all</em> public access" in edit and ">Save changes</button>" in edit
    assert edit.count("checked") == 5  # all four on, so "Block all public access" too

    # Clear all four: "Save changes" asks for confirmation, nothing is saved yet.
    asked = text(browser.post(f"{BUCKET}/permissions/public-access-block/edit"))
    assert 'name="confirm"' in asked and ">Confirm</button>" in asked
    assert s3(app, "GetPublicAccessBlock", Bucket="shared-bucket")["PublicAccessBlockConfiguration"] == dict.fromkeys(
        FLAGS, True
    )
    wrong = browser.post(f"{BUCKET}/permissions/public-access-block/edit", step="confirm", confirm="yes")
    assert wrong.status == 400
    saved = browser.post(
        f"{BUCKET}/permissions/public-access-block/edit", step="confirm", confirm="confirm", IgnorePublicAcls="on"
    )
    assert saved.status == 303 and location(saved) == f"{BUCKET}/permissions?blocked=1"
    expected = dict.fromkeys(FLAGS, False) | {"IgnorePublicAcls": True}
    assert s3(app, "GetPublicAccessBlock", Bucket="shared-bucket")["PublicAccessBlockConfiguration"] == expected

    # Public policies are no longer refused: a bucket policy granting everyone read is saved.
    public = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::shared-bucket/*"}
        ],
    }
    assert browser.post(f"{BUCKET}/permissions", policy=json.dumps(public)).status == 303


def test_block_public_access_edit_refused_shows_access_denied(app: App) -> None:
    browser = signed_in_admin(app, A, "reader", policy=S3_READ)
    refused = browser.post(
        f"{BUCKET}/permissions/public-access-block/edit", step="confirm", confirm="confirm", block_all="on"
    )
    assert refused.status == 403 and "AccessDenied" in text(refused)
    assert "s3:PutBucketPublicAccessBlock" in text(refused)


# --- S3: Properties -------------------------------------------------------------------------


def test_properties_tab_shows_the_overview_and_edits_versioning_and_tags(app: App) -> None:
    browser = signed_in_admin(app, A, "s3-admin", policy=S3_FULL)
    assert f'href="{BUCKET}/properties"' in text(browser.get(BUCKET))  # the Properties tab
    tab = text(browser.get(f"{BUCKET}/properties"))
    for words in ("Bucket overview", "AWS Region", "US East (N. Virginia) us-east-1", "Amazon Resource Name (ARN)"):
        assert words in tab
    assert "arn:aws:s3:::shared-bucket" in tab and "Creation date" in tab
    assert "Bucket Versioning" in tab and "Disabled" in tab and "Default encryption" in tab
    assert "Server-side encryption with Amazon S3 managed keys (SSE-S3)" in tab

    form = text(browser.get(f"{BUCKET}/properties/versioning/edit"))
    assert ">Suspend</label>" in form and ">Enable</label>" in form and ">Save changes</button>" in form
    saved = browser.post(f"{BUCKET}/properties/versioning/edit", versioning="Enabled")
    assert saved.status == 303 and location(saved) == f"{BUCKET}/properties?done=versioning"
    assert s3(app, "GetBucketVersioning", Bucket="shared-bucket")["Status"] == "Enabled"
    assert "<dd>Enabled</dd>" in text(browser.get(f"{BUCKET}/properties"))

    added = text(browser.post(f"{BUCKET}/properties/tags/edit", action="add"))
    assert 'name="tag_key"' in added
    tagged = browser.post(f"{BUCKET}/properties/tags/edit", action="save", tag_key="project", tag_value="blue")
    assert tagged.status == 303
    assert s3(app, "GetBucketTagging", Bucket="shared-bucket")["TagSet"] == [{"Key": "project", "Value": "blue"}]
    assert "<td>project</td><td>blue</td>" in text(browser.get(f"{BUCKET}/properties"))


def _section(page: str, heading: str) -> str:
    return page.split(f'aria-label="{heading}"', 1)[1].split("</section>", 1)[0]


def test_properties_tab_shows_the_other_settings_as_s3_answers_them(app: App) -> None:
    """ "Viewing the properties for an S3 bucket" lists, besides versioning, tags and default
    encryption: server access logging, event notifications, transfer acceleration, Object
    Lock, Requester pays and static website hosting. Never set, each is "Disabled" (and no
    event notification); set through the API, the tab shows it."""
    browser = signed_in_admin(app, A, "s3-admin", policy=S3_FULL)
    tab = text(browser.get(f"{BUCKET}/properties"))
    for heading in ("Server access logging", "Transfer acceleration", "Object Lock", "Requester pays"):
        assert "<dd>Disabled</dd>" in _section(tab, heading), heading
    assert "<dd>Disabled</dd>" in _section(tab, "Static website hosting")
    assert "<dt>Event notifications</dt><dd>0</dd>" in _section(tab, "Event notifications")

    s3(app, "CreateBucket", Bucket="log-target")
    s3(app, "PutBucketRequestPayment", Bucket="shared-bucket", RequestPaymentConfiguration={"Payer": "Requester"})
    s3(
        app,
        "PutBucketWebsite",
        Bucket="shared-bucket",
        WebsiteConfiguration={"IndexDocument": {"Suffix": "index.html"}},
    )
    s3(
        app,
        "PutBucketLogging",
        Bucket="shared-bucket",
        BucketLoggingStatus={"LoggingEnabled": {"TargetBucket": "log-target", "TargetPrefix": "logs/"}},
    )
    tab = text(browser.get(f"{BUCKET}/properties"))
    assert "<dd>Enabled</dd>" in _section(tab, "Requester pays")
    assert "<dd>Enabled</dd>" in _section(tab, "Static website hosting")
    logging = _section(tab, "Server access logging")
    assert "<dd>Enabled</dd>" in logging and "<dd>s3://log-target/logs/</dd>" in logging


def test_properties_tab_shows_each_refused_setting_as_access_denied(app: App) -> None:
    """A principal that may read the bucket's objects but not its settings sees S3's
    AccessDenied in each section, not a setting it could not read (nor a tag count)."""
    policy = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": ["s3:ListAllMyBuckets", "s3:GetBucketLocation"], "Resource": "*"}],
    }
    browser = signed_in_admin(app, A, "narrow", policy=None)
    iam(app, A, "PutUserPolicy", UserName="narrow", PolicyName="narrow", PolicyDocument=json.dumps(policy))
    tab = text(browser.get(f"{BUCKET}/properties"))
    for heading, action in (
        ("Server access logging", "s3:GetBucketLogging"),
        ("Requester pays", "s3:GetBucketRequestPayment"),
        ("Static website hosting", "s3:GetBucketWebsite"),
        ("Transfer acceleration", "s3:GetAccelerateConfiguration"),
    ):
        section = _section(tab, heading)
        assert "AccessDenied" in section and action in section and "<dd>" not in section, heading
    assert "Tags <span" not in tab and "No tags associated" not in tab


def test_versioning_edit_refused_shows_access_denied(app: App) -> None:
    browser = signed_in_admin(app, A, "reader", policy=S3_READ)
    refused = browser.post(f"{BUCKET}/properties/versioning/edit", versioning="Enabled")
    assert refused.status == 403 and "AccessDenied" in text(refused)
    assert "Status" not in s3(app, "GetBucketVersioning", Bucket="shared-bucket")


# --- IAM: the Policies list's Actions --------------------------------------------------------


def test_policies_list_actions_attach_detach_and_delete_with_the_name_typed(app: App) -> None:
    browser = signed_in_admin(app, B)
    iam(app, B, "CreateGroup", GroupName="developers")
    listing = text(browser.get("/console/iam/policies", type="customer"))
    assert f'type="radio" name="policy" value="{POLICY_ARN}"' in listing
    assert ">Attach</button>" in listing and ">Detach</button>" in listing and ">Delete</button>" in listing

    chosen = browser.post("/console/iam/policies/selected", policy=POLICY_ARN, action="attach")
    assert chosen.status == 303 and location(chosen) == f"{POLICY}/entities/attach"
    attach = text(browser.get(f"{POLICY}/entities/attach"))
    assert 'value="group:developers"' in attach and 'value="user:admin"' in attach and "Attach policy" in attach
    done = browser.post(f"{POLICY}/entities/attach", entity="group:developers")
    assert done.status == 303 and location(done) == f"{POLICY}?tab=entities&done=policy-attached"
    groups = iam(app, B, "ListEntitiesForPolicy", PolicyArn=POLICY_ARN)["PolicyGroups"]
    assert [g["GroupName"] for g in groups] == ["developers"]

    entities = text(browser.get(POLICY, tab="entities"))
    assert f'href="{POLICY}/entities/attach"' in entities and 'value="group:developers"' in entities  # Attach, Detach
    detached = browser.post(f"{POLICY}/entities/detach", entity="group:developers")
    assert detached.status == 303
    assert iam(app, B, "ListEntitiesForPolicy", PolicyArn=POLICY_ARN)["PolicyGroups"] == []

    assert location(browser.post("/console/iam/policies/selected", policy=POLICY_ARN, action="delete")) == (
        f"{POLICY}/delete"
    )
    confirm = text(browser.get(f"{POLICY}/delete"))
    assert "enter the policy name" in confirm
    wrong = browser.post(f"{POLICY}/delete", confirm="something-else")
    assert wrong.status == 400
    assert iam(app, B, "GetPolicy", PolicyArn=POLICY_ARN)["Policy"]["PolicyName"] == "my-s3-x-account-policy"
    deleted = browser.post(f"{POLICY}/delete", confirm="my-s3-x-account-policy")
    assert deleted.status == 303 and location(deleted) == "/console/iam/policies?done=policy-deleted"
    assert all(p["Arn"] != POLICY_ARN for p in iam(app, B, "ListPolicies", Scope="Local")["Policies"])


def test_deleting_a_policy_in_use_as_a_boundary_changes_nothing(app: App) -> None:
    # DeletePolicy refuses a policy that is a permissions boundary (DeleteConflict); the
    # console's delete, which detaches and deletes versions first, must refuse it before
    # anything is lost.
    browser = signed_in_admin(app, B)
    iam(app, B, "CreatePolicyVersion", PolicyArn=POLICY_ARN, PolicyDocument=json.dumps(READ_ONLY))
    iam(app, B, "CreateUser", UserName="carol")
    iam(app, B, "PutUserPermissionsBoundary", UserName="carol", PermissionsBoundary=POLICY_ARN)
    refused = browser.post(f"{POLICY}/delete", confirm="my-s3-x-account-policy")
    assert refused.status == 409 and "DeleteConflict" in text(refused)
    assert [v["VersionId"] for v in iam(app, B, "ListPolicyVersions", PolicyArn=POLICY_ARN)["Versions"]] == [
        "v2",
        "v1",
    ]
    attached = iam(app, B, "ListEntitiesForPolicy", PolicyArn=POLICY_ARN, PolicyUsageFilter="PermissionsPolicy")
    assert [u["UserName"] for u in attached["PolicyUsers"]] == ["alice"]


def test_attach_refused_shows_access_denied_and_attaches_nothing(app: App) -> None:
    browser = signed_in_admin(app, B, "viewer", policy=IAM_READ)
    refused = browser.post(f"{POLICY}/entities/attach", entity="user:viewer")
    assert refused.status == 403 and "AccessDenied" in text(refused) and "iam:AttachUserPolicy" in text(refused)
    assert [u["UserName"] for u in iam(app, B, "ListEntitiesForPolicy", PolicyArn=POLICY_ARN)["PolicyUsers"]] == [
        "alice"
    ]


# --- IAM: Policy versions, chosen with check boxes -----------------------------------------------


def test_policy_versions_tab_sets_the_chosen_version_as_default_and_deletes_it(app: App) -> None:
    browser = signed_in_admin(app, B)
    document = json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
    )
    iam(app, B, "CreatePolicyVersion", PolicyArn=POLICY_ARN, PolicyDocument=document, SetAsDefault=False)
    iam(app, B, "CreatePolicyVersion", PolicyArn=POLICY_ARN, PolicyDocument=document, SetAsDefault=False)
    tab = text(browser.get(POLICY, tab="versions"))
    assert 'type="checkbox" form="versions-form" name="version" value="v2"' in tab
    assert ">Set as default</button>" in tab and ">Delete</button>" in tab

    two = browser.post(f"{POLICY}/versions/default", version="v2", chosen="1")
    assert two.status == 303
    versions = iam(app, B, "ListPolicyVersions", PolicyArn=POLICY_ARN)["Versions"]
    assert {v["VersionId"]: v["IsDefaultVersion"] for v in versions} == {"v1": False, "v2": True, "v3": False}
    asked = browser.post(f"{POLICY}/versions/delete", version=["v1", "v3"], chosen="1")
    assert asked.status == 200 and "Delete 2 policy versions?" in text(asked)
    both = browser.post(f"{POLICY}/versions/delete", version=["v1", "v3"], step="confirm")
    assert both.status == 303
    assert [v["VersionId"] for v in iam(app, B, "ListPolicyVersions", PolicyArn=POLICY_ARN)["Versions"]] == ["v2"]
    nothing = browser.post(f"{POLICY}/versions/default", chosen="1")
    assert nothing.status == 400  # no version chosen


def test_a_sixth_version_deletes_the_chosen_versions_only_for_a_document_iam_takes(app: App) -> None:
    """ "Versioning IAM policies", Version limits: saving the sixth version in the console asks
    which non-default versions to delete. The document travels in the form; one IAM would
    refuse (here not JSON) deletes nothing, and without a version chosen nothing changes."""
    browser = signed_in_admin(app, B)
    for n in range(4):
        document = {**READ_ONLY, "Statement": [{**READ_ONLY["Statement"][0], "Sid": f"S{n}"}]}
        iam(app, B, "CreatePolicyVersion", PolicyArn=POLICY_ARN, PolicyDocument=json.dumps(document))
    before = iam(app, B, "ListPolicyVersions", PolicyArn=POLICY_ARN)["Versions"]
    asked = browser.post(f"{POLICY}/edit", step="review", action="save", document=json.dumps(READ_ONLY))
    assert asked.status == 200 and 'name="version" value="v5"' in text(asked)
    assert 'name="version" value="v1"' not in text(asked)  # the default one is not offered
    broken = browser.post(f"{POLICY}/edit", step="versions", action="save", document="{not json", version="v2")
    # The editor's check refuses it (access-analyzer-reference-policy-checks, #error-json-syntax-error).
    assert broken.status == 400 and '<p class="error-code">JSON_SYNTAX_ERROR</p>' in text(broken)
    none = browser.post(f"{POLICY}/edit", step="versions", action="save", document=json.dumps(READ_ONLY))
    assert none.status == 400
    assert iam(app, B, "ListPolicyVersions", PolicyArn=POLICY_ARN)["Versions"] == before
    saved = browser.post(f"{POLICY}/edit", step="versions", action="save", document=json.dumps(READ_ONLY), version="v2")
    assert saved.status == 303
    after = {v["VersionId"] for v in iam(app, B, "ListPolicyVersions", PolicyArn=POLICY_ARN)["Versions"]}
    assert after == {"v1", "v3", "v4", "v5", "v6"}


# --- IAM: the Roles list's Delete -------------------------------------------------------------


def test_roles_list_delete_asks_for_the_role_name_then_deletes_it(app: App) -> None:
    browser = signed_in_admin(app, A)
    listing = text(browser.get("/console/iam/roles"))
    assert f'type="checkbox" name="role" value="{ROLE}"' in listing and ">Delete</button>" in listing
    asked = browser.post("/console/iam/roles/delete", role=ROLE)
    assert asked.status == 200 and "enter the role name" in text(asked)
    wrong = browser.post("/console/iam/roles/delete", role=ROLE, step="confirm", confirm="not-it")
    assert wrong.status == 400 and iam(app, A, "GetRole", RoleName=ROLE)["Role"]["RoleName"] == ROLE
    done = browser.post("/console/iam/roles/delete", role=ROLE, step="confirm", confirm=ROLE)
    assert done.status == 303 and location(done) == "/console/iam/roles?done=role-deleted"
    assert all(r["RoleName"] != ROLE for r in iam(app, A, "ListRoles")["Roles"])


def test_roles_list_delete_refused_shows_access_denied(app: App) -> None:
    browser = signed_in_admin(app, A, "viewer", policy=IAM_READ)
    refused = browser.post("/console/iam/roles/delete", role=ROLE, step="confirm", confirm=ROLE)
    assert refused.status == 403 and "AccessDenied" in text(refused)
    assert iam(app, A, "GetRole", RoleName=ROLE)["Role"]["RoleName"] == ROLE

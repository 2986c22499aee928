"""The "Create role" wizard without a browser: the trust policy it writes, and its steps.

AWS: "Create a role to give permissions to an IAM user" (IAM User Guide,
id_roles_create_for-user): "Another AWS account" with "Account ID"; "Require external ID"
adds a condition on sts:ExternalId; "Require MFA" a condition that checks for an MFA
sign-in. The page's example trust policy for MFA reads
``"Principal": { "AWS": "arn:aws:iam::123456789012:root" }, "Action": "sts:AssumeRole",
"Condition": { "Bool": { "aws:MultiFactorAuthPresent": "true" } }``; the current console
writes ``"Condition": {}`` when no option is chosen, and a service role's Action and
Service principal as lists ("Create a role for an AWS service (console)").
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote

from console_iam_page_harness import iam, signed_in_admin
from console_page_harness import A, B, app, location, text

from iamsandbox.console.pages.iam_roles import Wizard, trust_policy
from iamsandbox.server.app import App

__all__ = ["app"]


def _statement(document: str) -> dict[str, Any]:
    policy = json.loads(document)
    assert policy["Version"] == "2012-10-17" and len(policy["Statement"]) == 1
    statement: dict[str, Any] = policy["Statement"][0]
    return statement


def test_another_account_without_options_trusts_its_root_with_an_empty_condition() -> None:
    wizard = Wizard(account_choice="another", account_id=B)
    assert _statement(trust_policy(wizard, A)) == {
        "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::222222222222:root"},
        "Action": "sts:AssumeRole",
        "Condition": {},
    }


def test_this_account_trusts_the_accounts_own_root() -> None:
    assert _statement(trust_policy(Wizard(account_choice="this", account_id=B), A))["Principal"] == {
        "AWS": "arn:aws:iam::111111111111:root"
    }


def test_require_mfa_is_the_bool_condition_of_the_aws_example() -> None:
    statement = _statement(
        trust_policy(Wizard(account_choice="another", account_id="123456789012", require_mfa=True), A)
    )
    assert statement == {
        "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
        "Action": "sts:AssumeRole",
        "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}},
    }


def test_require_external_id_and_mfa_together() -> None:
    wizard = Wizard(
        account_choice="another", account_id=B, require_external_id=True, external_id="Ext-42", require_mfa=True
    )
    assert _statement(trust_policy(wizard, A))["Condition"] == {
        "StringEquals": {"sts:ExternalId": "Ext-42"},
        "Bool": {"aws:MultiFactorAuthPresent": "true"},
    }


def test_service_role_lists_action_and_service() -> None:
    statement = _statement(trust_policy(Wizard(entity="service", service="lambda.amazonaws.com"), A))
    assert statement == {
        "Effect": "Allow",
        "Action": ["sts:AssumeRole"],
        "Principal": {"Service": ["lambda.amazonaws.com"]},
    }


def test_trust_policy_is_indented_by_four_spaces_as_the_console_shows_it() -> None:
    assert '\n    "Statement": [\n        {\n            "Effect": "Allow",' in trust_policy(Wizard(), A)


def _wizard_form(**values: str) -> dict[str, str]:
    base = {"step": "entity", "entity": "account", "account_choice": "another", "account_id": B, "action": "next"}
    return {**base, **values}


def test_the_three_steps_create_the_role_with_its_trust_policy_and_policy(app: App) -> None:
    browser = signed_in_admin(app, A)
    options = {"require_external_id": "on", "external_id": "Ext-42", "require_mfa": "on"}  # step 1, carried on
    first = browser.post(
        "/console/iam/roles/create",
        **_wizard_form(**options),
    )
    assert first.status == 200 and "Add permissions</h1>" in text(first)
    # Step 2 carries step 1 in hidden fields; a search keeps the page on step 2.
    searched = browser.post(
        "/console/iam/roles/create",
        **_wizard_form(
            step="permissions",
            action="search",
            policy_search="s3readonly",
            **options,
        ),
    )
    assert "AmazonS3ReadOnlyAccess" in text(searched) and "Add permissions</h1>" in text(searched)
    review = browser.post(
        "/console/iam/roles/create",
        **_wizard_form(
            step="permissions",
            **options,
            policy="arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
        ),
    )
    assert "Name, review, and create</h1>" in text(review)
    assert "&#34;sts:ExternalId&#34;: &#34;Ext-42&#34;" in text(review)  # the generated trust policy, escaped
    created = browser.post(
        "/console/iam/roles/create",
        **_wizard_form(
            step="review",
            action="create",
            **options,
            policy="arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
            role_name="partner-role",
            description="For the partner",
        ),
    )
    assert created.status == 303 and location(created) == "/console/iam/roles/details/partner-role?done=role-created"
    role = iam(app, A, "GetRole", RoleName="partner-role")["Role"]
    trust = json.loads(unquote(role["AssumeRolePolicyDocument"]))  # URL-encoded, as IAM returns it
    assert trust["Statement"][0]["Condition"] == {
        "StringEquals": {"sts:ExternalId": "Ext-42"},
        "Bool": {"aws:MultiFactorAuthPresent": "true"},
    }
    attached = iam(app, A, "ListAttachedRolePolicies", RoleName="partner-role")["AttachedPolicies"]
    assert [p["PolicyName"] for p in attached] == ["AmazonS3ReadOnlyAccess"]


def test_an_account_id_that_is_not_12_digits_stays_on_step_one(app: App) -> None:
    browser = signed_in_admin(app, A)
    answer = browser.post("/console/iam/roles/create", **_wizard_form(account_id="2222"))
    assert answer.status == 400
    assert "Account ID must be 12 digits." in text(answer) and "Select trusted entity</h1>" in text(answer)


def test_a_role_name_iam_refuses_shows_iams_error_and_creates_nothing(app: App) -> None:
    browser = signed_in_admin(app, A)
    answer = browser.post(
        "/console/iam/roles/create", **_wizard_form(step="review", action="create", role_name="bad name!")
    )
    assert answer.status == 400
    assert "ValidationError" in text(answer) and "Name, review, and create</h1>" in text(answer)
    assert {r["RoleName"] for r in iam(app, A, "ListRoles")["Roles"]} == {"my-s3-x-account-role", "long-role"}


BOUNDARY = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"


def test_a_permissions_boundary_chosen_on_step_two_is_createroles_permissions_boundary(app: App) -> None:
    """ "Create a role to give permissions to an IAM user": on "Add permissions", "Set
    permissions boundary - optional", "Use a permissions boundary to control the maximum role
    permissions"; the boundary travels in CreateRole (PermissionsBoundary)."""
    browser = signed_in_admin(app, A)
    step_two = text(browser.post("/console/iam/roles/create", **_wizard_form()))
    assert "<legend>Set permissions boundary - optional</legend>" in step_two
    assert "Use a permissions boundary to control the maximum role permissions" in step_two
    assert f'<option value="{BOUNDARY}">AmazonS3ReadOnlyAccess</option>' in step_two
    unchosen = browser.post("/console/iam/roles/create", **_wizard_form(step="permissions", boundary_choice="use"))
    assert unchosen.status == 400 and "Choose a policy to use as the permissions boundary." in text(unchosen)
    chosen = {"boundary_choice": "use", "boundary": BOUNDARY}
    review = text(browser.post("/console/iam/roles/create", **_wizard_form(step="permissions", **chosen)))
    assert "<dt>Permissions boundary</dt><dd>AmazonS3ReadOnlyAccess</dd>" in review
    assert f'name="boundary" value="{BOUNDARY}"' in review and 'name="boundary_choice" value="use"' in review
    created = browser.post(
        "/console/iam/roles/create", **_wizard_form(step="review", action="create", role_name="bounded", **chosen)
    )
    assert created.status == 303
    role = iam(app, A, "GetRole", RoleName="bounded")["Role"]
    assert role["PermissionsBoundary"] == {
        "PermissionsBoundaryType": "Policy",  # what IAM answers (not the model's enum)
        "PermissionsBoundaryArn": BOUNDARY,
    }
    # "Create role without a permissions boundary": none, even with a policy left in the select.
    browser.post(
        "/console/iam/roles/create",
        **_wizard_form(
            step="review", action="create", role_name="unbounded", boundary_choice="none", boundary=BOUNDARY
        ),
    )
    assert "PermissionsBoundary" not in iam(app, A, "GetRole", RoleName="unbounded")["Role"]


def test_the_reviews_edit_buttons_go_back_to_steps_one_and_two_keeping_every_choice(app: App) -> None:
    """ "Create a role using custom trust policies": on the review step, "Edit" next to
    "Step 1: Select trusted entities" and "Step 2: Add permissions"."""
    browser = signed_in_admin(app, A)
    chosen = {
        "policy": "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
        "boundary_choice": "use",
        "boundary": BOUNDARY,
        "role_name": "kept-name",
        "description": "kept description",
        "tag_key": "team",
        "tag_value": "blue",
        "require_mfa": "on",
    }
    review = text(browser.post("/console/iam/roles/create", **_wizard_form(step="permissions", **chosen)))
    assert '<button type="submit" name="action" value="edit-entity">Edit</button>' in review
    assert '<button type="submit" name="action" value="edit-permissions">Edit</button>' in review
    step_one = text(
        browser.post("/console/iam/roles/create", **_wizard_form(step="review", action="edit-entity", **chosen))
    )
    assert "Select trusted entity</h1>" in step_one
    assert 'id="account-another" name="account_choice" value="another" checked' in step_one
    assert f'value="{B}"' in step_one and 'id="f-require_mfa" name="require_mfa" checked' in step_one
    for hidden in (
        'name="policy" value="arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"',
        'name="role_name" value="kept-name"',
    ):
        assert hidden in step_one
    assert 'name="tag_key" value="team"' in step_one and f'name="boundary" value="{BOUNDARY}"' in step_one
    step_two = text(
        browser.post("/console/iam/roles/create", **_wizard_form(step="review", action="edit-permissions", **chosen))
    )
    assert (
        "Add permissions</h1>" in step_two
        and 'id="boundary-use" name="boundary_choice" value="use" checked' in step_two
    )
    assert f'<option value="{BOUNDARY}" selected>' in step_two and 'name="role_name" value="kept-name"' in step_two
    # Back through the steps to the review: the same role is created.
    created = browser.post("/console/iam/roles/create", **_wizard_form(step="review", action="create", **chosen))
    assert created.status == 303
    role = iam(app, A, "GetRole", RoleName="kept-name")["Role"]
    assert (
        role["Description"] == "kept description" and role["PermissionsBoundary"]["PermissionsBoundaryArn"] == BOUNDARY
    )
    trust = json.loads(unquote(role["AssumeRolePolicyDocument"]))
    assert trust["Statement"][0]["Condition"] == {"Bool": {"aws:MultiFactorAuthPresent": "true"}}


def test_a_role_for_ec2_gets_an_instance_profile_of_the_same_name(app: App) -> None:
    """ "Use instance profiles" (IAM User Guide, id_roles_use_switch-role-ec2_instance-profiles):
    "If you use the AWS Management Console to create a role for Amazon EC2, the console
    automatically creates an instance profile and gives it the same name as the role." Other
    services' roles get none."""
    browser = signed_in_admin(app, A)
    for name, service in (("web-server", "ec2.amazonaws.com"), ("my-function", "lambda.amazonaws.com")):
        created = browser.post(
            "/console/iam/roles/create",
            **_wizard_form(step="review", action="create", entity="service", service=service, role_name=name),
        )
        assert created.status == 303, text(created)
    profiles = iam(app, A, "ListInstanceProfilesForRole", RoleName="web-server")["InstanceProfiles"]
    assert [p["InstanceProfileName"] for p in profiles] == ["web-server"]
    assert [r["RoleName"] for r in profiles[0]["Roles"]] == ["web-server"]
    assert iam(app, A, "ListInstanceProfilesForRole", RoleName="my-function")["InstanceProfiles"] == []
    page = text(browser.get("/console/iam/roles/details/web-server"))
    assert f"<dt>Instance profile ARN</dt><dd><code>arn:aws:iam::{A}:instance-profile/web-server</code></dd>" in page
    # Deleting the role deletes the instance profile too ("Delete roles or instance profiles").
    browser.post("/console/iam/roles/delete", role="web-server", step="confirm", confirm="web-server")
    assert iam(app, A, "ListInstanceProfiles")["InstanceProfiles"] == []

"""The IAM pages without a browser: what each form does through IAM, what it shows, and
what it refuses.

AWS pages cited by the tests: "Manage access keys for IAM users" (id_credentials_access-keys:
the secret access key is shown only when the key is created); "Assign a virtual MFA device
in the AWS Management Console" (id_credentials_mfa_enable_virtual: two consecutive codes);
"Access denied error messages" (troubleshoot_access-denied: "User: ARN is not authorized to
perform: ACTION on resource: ARN because no identity-based policy allows the ACTION action");
IAM's policy grammar errors ("Syntax errors in policy.", "Policy statement must contain
resources." as IAM answers MalformedPolicyDocument); "Versioning IAM policies"
(access_policies_managed-versioning); "Your AWS account ID and its alias" (console-account-alias).
"""

from __future__ import annotations

import base64
import json
import re
from datetime import timedelta
from urllib.parse import quote, unquote

from console_iam_page_harness import iam, signed_in_admin
from console_page_harness import PASSWORD, B, Browser, app, location, text, totp

from iamsandbox.console.pages.iam_common import policy_url
from iamsandbox.server.app import App
from x509_material import certificate, rsa_key, ssh_rsa

__all__ = ["app"]

ASSUME = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]}'


def _admin(app: App) -> Browser:
    return signed_in_admin(app, B)


def _field(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert found is not None, name
    return found.group(1)


# --- authorization ---------------------------------------------------------------------------


def test_a_user_without_iam_permissions_sees_aws_access_denied_on_the_users_list(app: App) -> None:
    browser = Browser(app)
    browser.sign_in(B, "alice", PASSWORD)  # alice may only sts:AssumeRole
    answer = browser.get("/console/iam/users")
    assert answer.status == 403
    assert (
        "User: arn:aws:iam::222222222222:user/alice is not authorized to perform: iam:ListUsers on resource: "
        "arn:aws:iam::222222222222:user/ because no identity-based policy allows the iam:ListUsers action"
    ) in text(answer)
    denied = browser.post("/console/iam/users/create", step="review", action="create", user_name="mallory")
    assert denied.status == 403
    assert "not authorized to perform: iam:CreateUser on resource: arn:aws:iam::222222222222:user/mallory" in text(
        denied
    )
    assert [u["UserName"] for u in iam(app, B, "ListUsers")["Users"]] == ["alice"]


def test_pages_need_a_sign_in_and_forms_their_csrf_token(app: App) -> None:
    anonymous = Browser(app)
    assert location(anonymous.get("/console/iam/users")).startswith("/console/signin?redirect_uri=")
    browser = _admin(app)
    forged = browser.post(
        "/console/iam/users/create",
        csrf=False,
        csrf_token="forged",
        step="review",
        action="create",
        user_name="mallory",
    )
    assert forged.status == 403
    assert "mallory" not in [u["UserName"] for u in iam(app, B, "ListUsers")["Users"]]


# --- users -----------------------------------------------------------------------------------


def _custom(name: str, password: str) -> dict[str, str]:
    """The "Create user" form at its last step: console access with a custom password."""
    return {
        "step": "review",
        "action": "create",
        "user_name": name,
        "console_access": "on",
        "password_type": "custom",
        "password": password,
    }


def test_create_user_with_console_password_and_tags(app: App) -> None:
    browser = _admin(app)
    answer = browser.post(
        "/console/iam/users/create",
        step="review",
        action="create",
        user_name="bob",
        console_access="on",
        password_type="custom",
        password="Bob-Console-42",
        reset="on",
        tag_key="team",
        tag_value="blue",
    )
    assert answer.status == 200 and "<h1>Retrieve password</h1>" in text(answer)
    profile = iam(app, B, "GetLoginProfile", UserName="bob")["LoginProfile"]
    assert profile["PasswordResetRequired"] is True
    assert iam(app, B, "ListUserTags", UserName="bob")["Tags"] == [{"Key": "team", "Value": "blue"}]
    assert "User created." in text(browser.get("/console/iam/users/details/bob", done="user-created"))


def test_a_user_who_must_reset_the_password_gets_iam_user_change_password(app: App) -> None:
    """ "Creating an IAM user in your AWS account" (IAM User Guide, id_users_create): with "Users
    must create a new password at next sign-in", the console attaches the AWS managed policy
    IAMUserChangePassword, unless the account password policy already allows users to change
    their own password ("Permit IAM users to change their own passwords",
    id_credentials_passwords_enable-user-change). The new user can then set the new password."""
    browser = _admin(app)
    created = browser.post("/console/iam/users/create", **_custom("frank", "Frank-Initial-1!"), reset="on")
    assert created.status == 200
    attached = iam(app, B, "ListAttachedUserPolicies", UserName="frank")["AttachedPolicies"]
    assert [p["PolicyName"] for p in attached] == ["IAMUserChangePassword"]
    assert "IAMUserChangePassword" in text(browser.get("/console/iam/users/details/frank"))
    frank = Browser(app)
    assert location(frank.sign_in(B, "frank", "Frank-Initial-1!")).startswith("/console/password")
    changed = frank.post(
        "/console/password",
        old_password="Frank-Initial-1!",
        new_password="Frank-Second-2!",
        new_password_again="Frank-Second-2!",
    )
    assert changed.status == 303, text(changed)
    # Without the reset option, or when the account lets every user change their password: no policy.
    browser.post("/console/iam/users/create", **_custom("gina", "Gina-Initial-1!"))
    assert iam(app, B, "ListAttachedUserPolicies", UserName="gina")["AttachedPolicies"] == []
    iam(app, B, "UpdateAccountPasswordPolicy", AllowUsersToChangePassword=True)
    browser.post("/console/iam/users/create", **_custom("hank", "Hank-Initial-1!"), reset="on")
    assert iam(app, B, "ListAttachedUserPolicies", UserName="hank")["AttachedPolicies"] == []


def test_a_password_iam_refuses_leaves_no_user_behind(app: App) -> None:
    # A console principal that may not read the password policy: the console cannot check the
    # password first, IAM refuses it in CreateLoginProfile, and the user made is deleted again.
    no_policy_reads = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "iam:*", "Resource": "*"},
            {"Effect": "Deny", "Action": "iam:GetAccountPasswordPolicy", "Resource": "*"},
        ],
    }
    arn = iam(app, B, "CreatePolicy", PolicyName="no-policy-reads", PolicyDocument=json.dumps(no_policy_reads))
    browser = signed_in_admin(app, B, policy=arn["Policy"]["Arn"])
    answer = browser.post("/console/iam/users/create", **_custom("bob", "short"))
    assert answer.status == 400 and "PasswordPolicyViolation" in text(answer)
    assert "<h1>Review and create</h1>" in text(answer)
    assert "bob" not in [u["UserName"] for u in iam(app, B, "ListUsers")["Users"]]


def test_what_users_typed_is_escaped(app: App) -> None:
    browser = _admin(app)
    script = '<script>alert("x")</script>'
    escaped = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;"
    # IAM refuses the tag value (its pattern has no < or >): the form comes back with the
    # value as typed, escaped, and AWS's ValidationError.
    refused = text(
        browser.post(
            "/console/iam/users/create",
            step="review",
            action="create",
            user_name="eve",
            tag_key="note",
            tag_value=script,
        )
    )
    assert f'name="tag_value" value="{escaped}"' in refused and script not in refused
    assert "Member must satisfy regular expression pattern" in refused
    # A user name IAM refuses comes back inside AWS's message, escaped.
    named = text(browser.post("/console/iam/users/create", user_name="<b>x</b>"))
    assert "&lt;b&gt;x&lt;/b&gt;" in named and "<b>x</b>" not in named
    # Descriptions may hold < and >: shown as text on the role's and the policy's pages.
    iam(app, B, "CreateRole", RoleName="escaped", AssumeRolePolicyDocument=ASSUME_TRUST, Description=script)
    role_page = text(browser.get("/console/iam/roles/details/escaped"))
    assert escaped in role_page and script not in role_page
    browser.post(
        "/console/iam/policies/create",
        step="review",
        action="create",
        document=ASSUME,
        policy_name="described",
        description=script,
    )
    policy_page = text(browser.get(f"/console/iam/policies/details/arn%3Aaws%3Aiam%3A%3A{B}%3Apolicy%2Fdescribed"))
    assert escaped in policy_page and script not in policy_page


ASSUME_TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{B}:root"}, "Action": "sts:AssumeRole"}],
    }
)


KEYS = "/console/iam/users/details/alice/access-keys"
ACKNOWLEDGE = "I understand the above recommendation and want to proceed to create an access key."


def test_create_access_key_asks_the_use_case_then_the_description_then_hides_the_secret_until_show(
    app: App,
) -> None:
    """id_credentials_access-keys: "Access key best practices & alternatives" (a use case; "select
    the I understand the above recommendation and want to proceed to create an access key check
    box, and then choose Next"), "Set description tag - optional", "Retrieve access keys" ("choose
    Show to reveal the value of your user's secret access key")."""
    browser = _admin(app)
    first = text(browser.get(KEYS + "/create"))
    assert "Access key best practices &amp; alternatives</h1>" in first
    for label in (
        "Command Line Interface (CLI)",
        "Local code",
        "Application running on an AWS compute service",
        "Third-party service",
        "Application running outside AWS",
        "Other",
    ):
        assert f">{label}</label>" in first
    assert f">{ACKNOWLEDGE}</label>" in first
    known = _field(first, "known")
    nothing = browser.post(KEYS + "/create", known=known, step="use-case")
    assert nothing.status == 400 and "Choose a use case." in text(nothing)
    unacknowledged = browser.post(KEYS + "/create", known=known, step="use-case", use_case="cli")
    assert unacknowledged.status == 400 and "To continue, select" in text(unacknowledged)
    second = browser.post(KEYS + "/create", known=known, step="use-case", use_case="cli", acknowledged="on")
    assert second.status == 200 and "Set description tag - optional</h1>" in text(second)
    assert ">Description tag value</label>" in text(second)
    other = browser.post(KEYS + "/create", known=known, step="use-case", use_case="other")
    assert other.status == 200 and "Set description tag - optional</h1>" in text(other)  # no acknowledgement
    # The last step asks again: a form cannot skip the first one.
    skipped = browser.post(KEYS + "/create", known=known, step="description", action="create", use_case="cli")
    assert skipped.status == 400 and iam(app, B, "ListAccessKeys", UserName="alice")["AccessKeyMetadata"] == []
    answers = {"known": known, "step": "description", "use_case": "cli", "acknowledged": "on", "description": "laptop"}
    created = browser.post(KEYS + "/create", action="create", **answers)
    assert created.status == 200
    secret = re.search(
        r'<summary class="button" role="button">Show</summary>\s*<code id="secret-access-key">([^<]+)</code>',
        text(created),
    )
    key_id = re.search(r'<code id="access-key-id">([^<]+)</code>', text(created))
    assert secret is not None and key_id is not None and len(secret.group(1)) == 40
    again = browser.post(KEYS + "/create", action="create", **answers)
    assert again.status == 303
    assert location(again) == "/console/iam/users/details/alice?tab=security_credentials&done=key-stale"
    keys = iam(app, B, "ListAccessKeys", UserName="alice")["AccessKeyMetadata"]
    assert [k["AccessKeyId"] for k in keys] == [key_id.group(1)]
    # The description is a user tag keyed by the access key ID, as AWS's console stores it.
    assert {"Key": key_id.group(1), "Value": "laptop"} in iam(app, B, "ListUserTags", UserName="alice")["Tags"]
    for path in ("/console/iam/users/details/alice", KEYS):
        assert secret.group(1) not in text(browser.get(path, tab="security_credentials"))
    later = text(browser.get("/console/iam/users/details/alice", tab="security_credentials"))
    assert key_id.group(1) in later and secret.group(1) not in later


def test_create_access_key_is_turned_off_at_two_keys_and_says_why(app: App) -> None:
    """id_credentials_access-keys: "If the button is deactivated, then you must delete one of the
    existing keys before you can create a new one"."""
    browser = _admin(app)
    iam(app, B, "CreateAccessKey", UserName="alice")
    one = text(browser.get("/console/iam/users/details/alice", tab="security_credentials"))
    assert f'<a class="button" href="{KEYS}/create">Create access key</a>' in one
    iam(app, B, "CreateAccessKey", UserName="alice")
    two = text(browser.get("/console/iam/users/details/alice", tab="security_credentials"))
    assert '<button type="button" disabled aria-describedby="keys-full">Create access key</button>' in two
    assert "delete one of the existing keys" in two and f'href="{KEYS}/create"' not in two


def test_access_key_actions_deactivate_after_confirming_and_delete_only_once_inactive_and_typed(app: App) -> None:
    """id_credentials_access-keys_update: "choose Actions, and then choose Deactivate. When prompted
    for confirmation, choose Deactivate"; Delete: "Follow the instructions in the dialog to first
    Deactivate and then confirm the deletion"."""
    browser = _admin(app)
    key = iam(app, B, "CreateAccessKey", UserName="alice")["AccessKey"]["AccessKeyId"]
    base = f"{KEYS}/{key}"

    def status() -> list[str]:
        return [k["Status"] for k in iam(app, B, "ListAccessKeys", UserName="alice")["AccessKeyMetadata"]]

    tab = text(browser.get("/console/iam/users/details/alice", tab="security_credentials"))
    assert f'Actions<span class="sr-only"> for {key}</span></summary>' in tab
    assert f'<a href="{base}/deactivate">Deactivate</a>' in tab and f'<a href="{base}/delete">Delete</a>' in tab
    asked = text(browser.get(base + "/deactivate"))
    assert f"Deactivate {key}?</h1>" in asked and '<button type="submit" class="danger">Deactivate</button>' in asked
    assert status() == ["Active"]  # the question changes nothing
    assert browser.post(base + "/status", status="Inactive").status == 303
    assert status() == ["Inactive"]
    inactive = text(browser.get("/console/iam/users/details/alice", tab="security_credentials"))
    assert '<button type="submit" class="link">Activate</button>' in inactive
    browser.post(base + "/status", status="Active")
    assert status() == ["Active"]

    dialog = text(browser.get(base + "/delete"))
    assert "First, deactivate the access key." in dialog
    assert '<button type="submit" class="danger" disabled>Delete</button>' in dialog
    refused = browser.post(base + "/delete", confirm=key)
    assert refused.status == 400 and "Deactivate the access key before you delete it." in text(refused)
    assert status() == ["Active"]
    deactivated = browser.post(base + "/status", status="Inactive", then="delete")
    assert deactivated.status == 303 and location(deactivated) == base + "/delete"
    dialog = text(browser.get(base + "/delete"))
    assert "First, deactivate" not in dialog and '<button type="submit" class="danger">Delete</button>' in dialog
    assert ">To confirm deletion, enter the access key ID in the text input field.</label>" in dialog
    untyped = browser.post(base + "/delete", confirm="yes")
    assert untyped.status == 400 and status() == ["Inactive"]
    deleted = browser.post(base + "/delete", confirm=key)
    assert deleted.status == 303 and location(deleted).endswith("tab=security_credentials&done=key-deleted")
    assert status() == []
    assert browser.get(base + "/delete").status == 404


def test_console_password_enable_update_remove(app: App) -> None:
    browser = _admin(app)
    iam(app, B, "CreateUser", UserName="carol")
    base = "/console/iam/users/details/carol/login-profile"
    assert browser.post(base, exists="no", password="Carol-Console-1").status == 303
    assert iam(app, B, "GetLoginProfile", UserName="carol")["LoginProfile"]["PasswordResetRequired"] is False
    assert browser.post(base, exists="yes", password="Carol-Console-2", reset="on").status == 303
    assert iam(app, B, "GetLoginProfile", UserName="carol")["LoginProfile"]["PasswordResetRequired"] is True
    assert browser.post(f"{base}/delete").status == 303
    page = text(browser.get("/console/iam/users/details/carol", tab="security_credentials"))
    assert "Console access: <strong>Disabled</strong>" in page


def test_assign_virtual_mfa_with_two_consecutive_codes(app: App) -> None:
    browser = _admin(app)
    setup = text(browser.post("/console/iam/users/details/alice/mfa/assign", step="name", device_name="alice-phone"))
    # "Show QR code" and "Show secret key" (id_credentials_mfa_enable_virtual): each behind its button.
    seed = re.search(r'Show secret key</summary>\s*<p>Secret key: <code id="mfa-secret">([A-Z2-7]+)</code>', setup)
    picture = re.search(r'Show QR code</summary>\s*<img src="data:image/png;base64,([A-Za-z0-9+/=]+)"', setup)
    assert seed is not None and picture is not None
    assert base64.b64decode(picture.group(1)).startswith(b"\x89PNG\r\n\x1a\n")
    serial = _field(setup, "serial")
    assert serial == f"arn:aws:iam::{B}:mfa/alice-phone"
    wrong = browser.post(
        "/console/iam/users/details/alice/mfa/assign",
        step="codes",
        serial=serial,
        seed=seed.group(1),
        qr=_field(setup, "qr"),
        code1="000000",
        code2="000000",
    )
    assert wrong.status == 403
    assert "Authentication code for device is not valid." in text(wrong)
    assert picture.group(1) in text(wrong)  # the same device's picture again, to try again
    earlier = browser.now - timedelta(seconds=30)
    done = browser.post(
        "/console/iam/users/details/alice/mfa/assign",
        step="codes",
        serial=serial,
        seed=seed.group(1),
        code1=totp(seed.group(1), earlier),
        code2=totp(seed.group(1), browser.now),
    )
    assert done.status == 303
    assert [d["SerialNumber"] for d in iam(app, B, "ListMFADevices", UserName="alice")["MFADevices"]] == [serial]
    browser.post("/console/iam/users/details/alice/mfa/remove", serial=serial)
    assert iam(app, B, "ListMFADevices", UserName="alice")["MFADevices"] == []


# --- policies --------------------------------------------------------------------------------


def test_validator_endpoint_answers_findings_as_json(app: App) -> None:
    """Access Analyzer's findings ("IAM policy validation check reference",
    access-analyzer-reference-policy-checks: #error-json-syntax-error, #error-invalid-action)."""
    browser = _admin(app)
    answer = browser.post(
        "/console/iam/policies/validate", document='{"Version": "2012-10-17", "Statement": [', kind="identity"
    )
    assert dict(answer.headers)["content-type"] == "application/json"
    findings = json.loads(answer.body)["findings"]
    assert [(f["findingType"], f["issueCode"], f["message"]) for f in findings] == [
        ("ERROR", "JSON_SYNTAX_ERROR", "Json syntax error: Fix the JSON syntax error at index 40 line 1 column 41.")
    ]
    misspelt = json.loads(
        browser.post(
            "/console/iam/policies/validate",
            document='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObjekt","Resource":"*"}]}',
        ).body
    )["findings"]
    assert [(f["findingType"], f["issueCode"], f["message"]) for f in misspelt] == [
        (
            "ERROR",
            "INVALID_ACTION",
            "Invalid action: The action s3:GetObjekt does not exist. Did you mean s3:GetObject?",
        )
    ]
    assert browser.post("/console/iam/policies/validate", csrf=False, document="{}").status == 403


def test_malformed_policy_shows_aws_error_and_is_not_saved(app: App) -> None:
    """A policy IAM would refuse keeps the editor, with its ERROR finding ("If the policy
    syntax is not valid, you receive a notification and must fix the problem before you can
    continue", access_policies_policy-validator);
    the pane shows Access Analyzer's tabs with their counts (access-analyzer-policy-validation)."""
    browser = _admin(app)
    # "Next" runs the validator: the editor stays, with the finding's issue code and message.
    editor = browser.post(
        "/console/iam/policies/create", step="editor", document='{"Version": "2012-10-17", "Statement": ['
    )
    assert editor.status == 400
    assert (
        '<p class="error-code">JSON_SYNTAX_ERROR</p>'
        "<p>Json syntax error: Fix the JSON syntax error at index 40 line 1 column 41.</p>"
    ) in text(editor)
    tabs = re.findall(r'role="tab"[^>]*aria-selected="(true|false)">([^<]*)</button>', text(editor))
    assert tabs[-4:] == [
        ("false", "Security: 0"),
        ("true", "Errors: 1"),
        ("false", "Warnings: 0"),
        ("false", "Suggestions: 0"),
    ]
    assert 'name="policy_name" value=""' in text(editor)  # still step 1: no name field shown
    # #error-invalid-effect: an effect in the wrong case is an error too.
    lowercase = browser.post(
        "/console/iam/policies/create",
        step="editor",
        document='{"Version":"2012-10-17","Statement":[{"Effect":"allow","Action":"s3:GetObject","Resource":"*"}]}',
    )
    assert lowercase.status == 400
    assert (
        '<p class="error-code">INVALID_EFFECT</p>'
        "<p>Invalid effect: The effect allow is not valid. Use Allow or Deny.</p>"
    ) in text(lowercase)
    # An ERROR finding IAM's grammar does not make (an action that does not exist: IAM stores
    # the policy) is shown, and "Next" goes on: the page's rule is about the policy syntax.
    misspelt = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRol","Resource":"*"}]}'
    review = browser.post("/console/iam/policies/create", step="editor", document=misspelt)
    assert review.status == 200 and 'id="f-policy_name"' in text(review)
    assert "The action sts:AssumeRol does not exist. Did you mean sts:AssumeRole?" in text(review)
    # The notification names what IAM refuses, not an error IAM accepts before it.
    both = (
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObjec","Resource":"*"},'
        '{"Effect":"allow","Action":"s3:GetObject","Resource":"*"}]}'
    )
    blocked = browser.post("/console/iam/policies/create", step="editor", document=both)
    assert blocked.status == 400 and '<p class="error-code">INVALID_EFFECT</p>' in text(blocked)
    # A document that reaches "Create policy" anyway gets CreatePolicy's own answer.
    no_resource = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject"}]}'
    created = browser.post(
        "/console/iam/policies/create", step="review", action="create", policy_name="broken", document=no_resource
    )
    assert created.status == 400
    assert '<p class="error-code">MalformedPolicyDocument</p><p>Policy statement must contain resources.</p>' in text(
        created
    )
    local = iam(app, B, "ListPolicies", Scope="Local")["Policies"]
    assert [p["PolicyName"] for p in local] == ["my-s3-x-account-policy"]  # the harness's own, nothing new


def test_warnings_do_not_block_and_the_api_answers_for_itself(app: App) -> None:
    """#general-warning-missing-version is a warning: "Next" goes on. Over the size quota
    (#general-warning-policy-size-exceeds-identity-policy-quota, a warning too) the review
    step's "Create policy" gets IAM's own LimitExceeded."""
    browser = _admin(app)
    unversioned = '{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}'
    review = browser.post("/console/iam/policies/create", step="editor", document=unversioned)
    assert review.status == 200 and 'id="f-policy_name"' in text(review)
    assert (
        '<li class="finding warning"><span class="finding-title">Missing version</span>: We recommend that you '
        "specify the Version element to help you with debugging permission issues. "
        '<a class="finding-link" href="https://docs.aws.amazon.com/IAM/latest/UserGuide/'
        "access-analyzer-reference-policy-checks.html#access-analyzer-reference-policy-checks-general-warning-"
        'missing-version">Learn more</a></li>'
    ) in text(review)
    buckets = ",".join(f'"arn:aws:s3:::bucket-{i:04}/*"' for i in range(300))
    big = (
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":[' + buckets + "]}]}"
    )
    review = browser.post("/console/iam/policies/create", step="editor", document=big)
    assert review.status == 200 and "Policy size exceeds identity policy quota</span>" in text(review)
    created = browser.post(
        "/console/iam/policies/create", step="review", action="create", policy_name="big", document=big
    )
    assert created.status == 409
    assert '<p class="error-code">LimitExceeded</p><p>Cannot exceed quota for PolicySize: 6144</p>' in text(created)


def test_create_policy_with_description_and_tags(app: App) -> None:
    browser = _admin(app)
    review = browser.post("/console/iam/policies/create", step="editor", document=ASSUME)
    assert review.status == 200 and 'id="f-policy_name"' in text(review)
    more = browser.post(
        "/console/iam/policies/create", step="review", action="addtag", document=ASSUME, tag_key="a", tag_value="1"
    )
    assert text(more).count('name="tag_key"') == 2  # "Add new tag" adds a row
    done = browser.post(
        "/console/iam/policies/create",
        step="review",
        action="create",
        document=ASSUME,
        policy_name="assume-any",
        description="Assume any role",
        tag_key="a",
        tag_value="1",
    )
    arn = f"arn:aws:iam::{B}:policy/assume-any"
    assert (
        done.status == 303
        and location(done) == f"/console/iam/policies/details/{quote(arn, safe='')}?done=policy-created"
    )
    policy = iam(app, B, "GetPolicy", PolicyArn=arn)["Policy"]
    assert policy["Description"] == "Assume any role" and policy["Tags"] == [{"Key": "a", "Value": "1"}]


def test_edit_makes_a_new_default_version_and_versions_can_be_managed(app: App) -> None:
    browser = _admin(app)
    arn = f"arn:aws:iam::{B}:policy/my-s3-x-account-policy"
    base = f"/console/iam/policies/details/{quote(arn, safe='')}"
    narrower = ASSUME.replace('"*"', '"arn:aws:iam::111111111111:role/my-s3-x-account-role"')
    editor = text(browser.get(f"{base}/edit"))
    assert "Modify permissions in my-s3-x-account-policy</h1>" in editor and ">Next</button>" in editor
    review = text(browser.post(f"{base}/edit", step="editor", action="next", document=narrower))
    assert "Review and save</h1>" in review and ">Save changes</button>" in review
    assert 'id="f-set_default" name="set_default" checked' in review  # ticked by default
    assert len(iam(app, B, "ListPolicyVersions", PolicyArn=arn)["Versions"]) == 1  # nothing saved yet
    bad = browser.post(f"{base}/edit", step="editor", action="next", document="{")
    assert bad.status == 400 and "Modify permissions in" in text(bad)
    saved = browser.post(f"{base}/edit", step="review", action="save", document=narrower, set_default="on")
    assert saved.status == 303
    versions = iam(app, B, "ListPolicyVersions", PolicyArn=arn)["Versions"]
    assert {v["VersionId"]: v["IsDefaultVersion"] for v in versions} == {"v1": False, "v2": True}
    shown = text(browser.get(base))
    assert "arn:aws:iam::111111111111:role/my-s3-x-account-role" in shown
    browser.post(f"{base}/versions/default", version="v1")
    asked = text(browser.post(f"{base}/versions/delete", version="v2"))
    assert "Delete policy version?</h1>" in asked and '<input type="hidden" name="version" value="v2">' in asked
    assert len(iam(app, B, "ListPolicyVersions", PolicyArn=arn)["Versions"]) == 2  # asked first
    refused = browser.post(f"{base}/versions/delete", version="v1", step="confirm")  # the default version
    assert refused.status == 409 and "DeleteConflict" in text(refused)
    browser.post(f"{base}/versions/delete", version="v2", step="confirm")
    assert [v["VersionId"] for v in iam(app, B, "ListPolicyVersions", PolicyArn=arn)["Versions"]] == ["v1"]
    document = iam(app, B, "GetPolicyVersion", PolicyArn=arn, VersionId="v1")["PolicyVersion"]["Document"]
    assert json.loads(unquote(document))["Statement"][0]["Resource"] == "*"


def test_policy_list_filters_by_type_and_name_in_pages(app: App) -> None:
    browser = _admin(app)
    aws = text(browser.get("/console/iam/policies", type="aws"))
    assert 'Policies <span class="count">(1645)</span>' in aws  # AWS's managed policies
    assert "Page 1 of 33" in aws
    customer = text(browser.get("/console/iam/policies", type="customer"))
    assert "(1)</span>" in customer and "my-s3-x-account-policy" in customer
    found = text(browser.get("/console/iam/policies", q="s3readonly"))
    assert ">AmazonS3ReadOnlyAccess</a>" in found and ">AmazonEC2ReadOnlyAccess</a>" not in found


def test_attach_policies_directly_keeps_choices_across_searches(app: App) -> None:
    browser = _admin(app)
    read_only = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
    searched = text(
        browser.post(
            "/console/iam/users/details/alice/add-permissions",
            option="policies",
            action="search",
            policy_search="ec2readonly",
            policy=read_only,
        )
    )
    assert f'<input type="hidden" name="policy" value="{read_only}">' in searched  # kept, though not shown
    added = browser.post(
        "/console/iam/users/details/alice/add-permissions",
        option="policies",
        action="add",
        policy=read_only,
    )
    assert added.status == 303
    attached = iam(app, B, "ListAttachedUserPolicies", UserName="alice")["AttachedPolicies"]
    assert read_only in [p["PolicyArn"] for p in attached]
    asked = browser.post("/console/iam/users/details/alice/remove-policies", arn=read_only)
    assert asked.status == 200 and "Remove policy from alice?" in text(asked)
    browser.post("/console/iam/users/details/alice/remove-policies", arn=read_only, step="confirm")
    assert read_only not in [
        p["PolicyArn"] for p in iam(app, B, "ListAttachedUserPolicies", UserName="alice")["AttachedPolicies"]
    ]


# --- groups, alias -----------------------------------------------------------------------------


def test_create_group_with_a_member_and_a_policy(app: App) -> None:
    browser = _admin(app)
    answer = browser.post(
        "/console/iam/groups/create",
        group_name="readers",
        user="alice",
        policy="arn:aws:iam::aws:policy/ReadOnlyAccess",
        action="create",
    )
    assert answer.status == 303
    group = iam(app, B, "GetGroup", GroupName="readers")
    assert [u["UserName"] for u in group["Users"]] == ["alice"]
    attached = iam(app, B, "ListAttachedGroupPolicies", GroupName="readers")["AttachedPolicies"]
    assert [p["PolicyName"] for p in attached] == ["ReadOnlyAccess"]
    browser.post("/console/iam/groups/details/readers/remove-users", user="alice")
    assert iam(app, B, "GetGroup", GroupName="readers")["Users"] == []
    asked = browser.post("/console/iam/groups/delete", group="readers")
    assert asked.status == 200 and iam(app, B, "GetGroup", GroupName="readers")["Group"]["GroupName"] == "readers"
    confirmed = browser.post("/console/iam/groups/delete", group="readers", step="confirm", confirm="readers")
    assert confirmed.status == 303
    assert iam(app, B, "ListGroups")["Groups"] == []


def test_account_alias_create_and_delete(app: App) -> None:
    browser = _admin(app)
    assert browser.post("/console/iam/alias", alias="trusted-b").status == 303
    assert iam(app, B, "ListAccountAliases")["AccountAliases"] == ["trusted-b"]
    dashboard = text(browser.get("/console/iam"))
    assert "/console/signin?account=trusted-b" in dashboard
    bad = browser.post("/console/iam/alias", alias="Not An Alias")
    assert bad.status == 400 and "ValidationError" in text(bad)
    assert '<input type="hidden" name="alias" value="trusted-b">' in dashboard and ">Delete</button>" in dashboard
    # "To remove the alias, next to Account Alias choose Delete, and then choose Delete."
    asked = text(browser.post("/console/iam/alias/delete", alias="trusted-b"))
    assert "Delete account alias?</h1>" in asked and 'name="step" value="confirm"' in asked
    assert iam(app, B, "ListAccountAliases")["AccountAliases"] == ["trusted-b"]
    assert browser.post("/console/iam/alias/delete", csrf=False, alias="trusted-b", step="confirm").status == 403
    done = browser.post("/console/iam/alias/delete", alias="trusted-b", step="confirm")
    assert done.status == 303 and location(done) == "/console/iam?done=alias-deleted"
    assert iam(app, B, "ListAccountAliases")["AccountAliases"] == []


def test_an_iam_admin_reads_an_aws_managed_policys_details(app: App) -> None:
    """AWS managed policies belong to no other account: identity policies alone allow
    iam:GetPolicy and iam:GetPolicyVersion on them (AdministratorAccess here)."""
    browser = _admin(app)
    base = "/console/iam/policies/details/arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2FAmazonS3ReadOnlyAccess"
    details = browser.get(base)
    assert details.status == 200, text(details)
    assert "AWS managed" in text(details) and "s3:Get*" in text(details)
    assert browser.get(base, tab="entities").status == 200
    versions = text(browser.get(base, tab="versions"))
    assert "(Default)" in versions and "Set as default" not in versions  # AWS's own: no version to manage


def test_delete_user_and_role_remove_what_they_have_first(app: App) -> None:
    """ "Delete an IAM user" / "Delete roles or instance profiles" (IAM User Guide): the
    console removes keys, password, MFA, policies and group memberships first, as
    DeleteUser and DeleteRole refuse (DeleteConflict) while any remain."""
    browser = _admin(app)
    iam(app, B, "CreateUser", UserName="dave")
    iam(app, B, "CreateAccessKey", UserName="dave")
    iam(app, B, "CreateLoginProfile", UserName="dave", Password="Dave-Console-42")
    iam(app, B, "AttachUserPolicy", UserName="dave", PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
    iam(app, B, "PutUserPolicy", UserName="dave", PolicyName="inline", PolicyDocument=ASSUME)
    iam(app, B, "CreateGroup", GroupName="team")
    iam(app, B, "AddUserToGroup", GroupName="team", UserName="dave")
    # What DeleteUser refuses to leave behind besides (a review found the console stopping
    # at an SSH key with the access keys already gone: a half-deleted user).
    iam(app, B, "UploadSSHPublicKey", UserName="dave", SSHPublicKeyBody=ssh_rsa(rsa_key()))
    iam(app, B, "UploadSigningCertificate", UserName="dave", CertificateBody=certificate(rsa_key(), "dave"))
    answer = browser.post("/console/iam/users/delete", user="dave", step="confirm", confirm="dave")
    assert answer.status == 303 and location(answer) == "/console/iam/users?done=user-deleted"
    assert "dave" not in [u["UserName"] for u in iam(app, B, "ListUsers")["Users"]]
    iam(app, B, "CreateRole", RoleName="doomed", AssumeRolePolicyDocument=ASSUME_TRUST)
    iam(app, B, "AttachRolePolicy", RoleName="doomed", PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
    iam(app, B, "PutRolePolicy", RoleName="doomed", PolicyName="inline", PolicyDocument=ASSUME)
    iam(app, B, "CreateInstanceProfile", InstanceProfileName="doomed-profile")
    iam(app, B, "AddRoleToInstanceProfile", InstanceProfileName="doomed-profile", RoleName="doomed")
    assert browser.post("/console/iam/roles/delete", role="doomed", step="confirm", confirm="doomed").status == 303
    assert "doomed" not in [r["RoleName"] for r in iam(app, B, "ListRoles")["Roles"]]
    assert iam(app, B, "ListInstanceProfiles")["InstanceProfiles"] == []  # "It also deletes any ... instance profile"


def test_add_permissions_menu_then_create_inline_policy_in_two_steps(app: App) -> None:
    """access_policies_manage-attach-detach: "Add permissions" then "Create inline policy"; the
    JSON editor, "Next", then "Review and create": "Policy name", "Create policy"."""
    browser = _admin(app)
    iam(app, B, "CreateGroup", GroupName="team")
    for base in ("/console/iam/users/details/alice", "/console/iam/groups/details/team"):
        tab = text(browser.get(base, tab="permissions"))
        menu = tab[tab.index('<details class="object-actions add-permissions">') :]
        menu = menu[: menu.index("</details>")]
        assert 'role="button">Add permissions</summary>' in menu
        assert f'<a href="{base}/add-permissions?option=policies">Attach policies</a>' in menu
        assert f'<a href="{base}/inline/create">Create inline policy</a>' in menu
    create = "/console/iam/groups/details/team/inline/create"
    editor = text(browser.get(create))
    assert ">Policy editor</label>" in editor and ">Next</button>" in editor and ">Policy name</label>" not in editor
    malformed = browser.post(create, step="editor", action="next", document="{")
    # Access Analyzer's #error-json-syntax-error (access-analyzer-reference-policy-checks)
    assert malformed.status == 400 and '<p class="error-code">JSON_SYNTAX_ERROR</p>' in text(malformed)
    assert ">Policy name</label>" not in text(malformed)  # still the editor, to fix it
    review = browser.post(create, step="editor", action="next", document=ASSUME)
    assert review.status == 200 and "Review and create</h1>" in text(review)
    assert ">Policy name</label>" in text(review) and ">Create policy</button>" in text(review)
    assert iam(app, B, "ListGroupPolicies", GroupName="team")["PolicyNames"] == []  # nothing until Create policy
    back = browser.post(create, step="review", action="back", document=ASSUME, policy_name="assume")
    assert ">Policy editor</label>" in text(back) and "sts:AssumeRole" in text(back)
    bad_name = browser.post(create, step="review", action="create", document=ASSUME, policy_name="no spaces")
    assert bad_name.status == 400 and "Review and create</h1>" in text(bad_name)
    created = browser.post(create, step="review", action="create", document=ASSUME, policy_name="assume")
    assert created.status == 303
    assert location(created) == "/console/iam/groups/details/team?tab=permissions&done=inline-saved"
    assert iam(app, B, "ListGroupPolicies", GroupName="team")["PolicyNames"] == ["assume"]
    # "Edit" keeps the name: the review step saves the same policy.
    edit = text(browser.get(create, policy="assume"))
    assert "Modify permissions in assume</h1>" in edit
    saved = text(browser.post(create, step="editor", action="next", document=ASSUME, editing="assume"))
    assert "Review and save</h1>" in saved and ">Save changes</button>" in saved and ">Policy name</label>" not in saved


def test_a_users_permissions_list_the_policies_its_groups_give_attached_via_the_group(app: App) -> None:
    """access_policies_manage-attach-detach: the user's Permissions policies, "Attached via"
    Directly or the group (AWS's tab shows "Group <name>")."""
    browser = _admin(app)
    iam(app, B, "CreateGroup", GroupName="readers")
    iam(app, B, "AttachGroupPolicy", GroupName="readers", PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
    iam(app, B, "AddUserToGroup", GroupName="readers", UserName="alice")
    tab = text(browser.get("/console/iam/users/details/alice", tab="permissions"))
    table = tab[tab.index('aria-label="Attached policies"') : tab.index("Inline policies</h3>")]
    rows = [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in table.split("<tr>")[2:]]
    assert rows[0] == "my-s3-x-account-policy Customer managed Directly"
    assert rows[1] == "ReadOnlyAccess AWS managed Group readers"  # removed from the group, not here
    assert 'aria-label="Select my-s3-x-account-policy"' in table and 'aria-label="Select ReadOnlyAccess"' not in table
    assert '<a href="/console/iam/groups/details/readers">readers</a>' in table


def test_inline_policy_put_view_delete(app: App) -> None:
    browser = _admin(app)
    saved = browser.post("/console/iam/roles/details/my-s3-x-account-role/inline/create", policy_name="x", document="{")
    assert saved.status == 404  # the role is account A's: not in B
    refused = browser.post("/console/iam/users/details/alice/inline/create", policy_name="extra", document="{")
    assert refused.status == 400 and "MalformedPolicyDocument" in text(refused)
    assert iam(app, B, "ListUserPolicies", UserName="alice")["PolicyNames"] == []
    browser.post("/console/iam/users/details/alice/inline/create", policy_name="extra", document=ASSUME)
    assert iam(app, B, "ListUserPolicies", UserName="alice")["PolicyNames"] == ["extra"]
    assert "sts:AssumeRole" in text(browser.get("/console/iam/users/details/alice/inline/view/extra"))
    browser.post("/console/iam/users/details/alice/remove-policies", inline="extra", step="confirm")
    assert iam(app, B, "ListUserPolicies", UserName="alice")["PolicyNames"] == []


def test_review_step_and_policy_page_show_the_policy_summary(app: App) -> None:
    # "Review the policy Summary to see the permissions granted by your policy" (IAM tutorial:
    # Delegate access across AWS accounts using IAM roles); "Policy summary (list of
    # services)": Service, Access level, Resource, Request condition (console/policy_summary.py).
    browser = _admin(app)
    review = text(browser.post("/console/iam/policies/create", step="editor", document=ASSUME))
    assert '<table aria-label="Policy summary: Allow" class="policy-summary">' in review
    assert (
        "<tr><td>AWS Security Token Service</td><td>Limited: Write</td>"
        '<td class="code-cell">All resources</td><td class="code-cell">None</td></tr>'
    ) in review
    assert 'aria-label="Policy document"' in review  # the JSON stays under the summary
    managed = text(browser.get(policy_url("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")))
    assert "<tr><td>Amazon S3</td>" in managed

"""What a person (or a Playwright script written from AWS's documentation) looks for on the
console's pages, by the words and roles AWS's pages use: labels, buttons, tabs, messages.

The pages are read without a browser: ``Controls`` collects the controls of a page with their
role and a name as a browser computes it for these simple cases (aria-label, else the text;
every ``<label for>`` of an input), and the tests ask what Playwright's ``get_by_role`` and
``get_by_label`` would ask (a case-insensitive substring of the name). The browser tests in
tests/e2e/test_console_findability_browser.py ask Chromium the same questions.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from console_iam_page_harness import signed_in_admin
from console_page_harness import A, B, Browser, app, location, text

from iamsandbox.server.app import App

__all__ = ["app"]

IMPLICIT = {"button": "button", "a": "link", "summary": ""}  # <summary>: no role of its own to Playwright


class Controls(HTMLParser):
    """The page's buttons, links, tabs (role, name, attributes) and its labels by input id."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.found: list[tuple[str, str, dict[str, str]]] = []
        self.labels: dict[str, list[str]] = {}
        self._open: list[tuple[str, str, dict[str, str], list[str]]] = []
        self.feed(re.sub(r'<span aria-hidden="true">[^<]*</span>', "", html))  # not part of a name

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        role = values.get("role", IMPLICIT.get(tag, ""))
        if tag in IMPLICIT or role or tag == "label":
            self._open.append((tag, role, values, []))

    def handle_data(self, data: str) -> None:
        for _, _, _, parts in self._open:
            parts.append(data)

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index][0] == tag:
                _, role, values, parts = self._open.pop(index)
                name = " ".join("".join(parts).split())
                if tag == "label" and "for" in values:
                    self.labels.setdefault(values["for"], []).append(name)
                elif role:
                    self.found.append((role, values.get("aria-label") or name, values))
                return

    def named(self, role: str, name: str) -> list[dict[str, str]]:
        """As ``get_by_role(role, name=name)``: a case-insensitive substring of the name."""
        return [values for kind, found, values in self.found if kind == role and _has(found, name)]

    def inputs_labelled(self, label: str) -> list[str]:
        """As ``get_by_label(label)``: the ids of the inputs one of whose labels has it."""
        return [id_ for id_, names in self.labels.items() if any(_has(found, label) for found in names)]


def _has(name: str, wanted: str) -> bool:
    return " ".join(wanted.split()).lower() in name.lower()


def test_the_sign_in_field_is_aws_iam_username_with_one_label(app: App) -> None:
    """ "Sign in to the AWS Management Console as an IAM user" (AWS Sign-In User Guide,
    introduction-to-iam-user-sign-in-tutorial): account ID or alias, IAM username, password.
    One label, so the field's accessible name is "IAM username" and not two labels' words
    joined (HTML-AAM: an input's name is the text of all its labels)."""
    page = text(Browser(app).get("/console/signin"))
    controls = Controls(page)
    assert controls.inputs_labelled("IAM username") == ["f-username"]
    assert controls.labels["f-username"] == ["IAM username"]
    assert '<label for="f-username">IAM username</label>' in page  # the visible label


def test_the_navigation_bar_shows_the_account_id_with_hyphens_on_a_button(app: App) -> None:
    """AWS's console shows the account ID in groups of four with hyphens ("1234-5678-9012");
    "choose your user name on the navigation bar" ("Switch from a user to an IAM role
    (console)", id_roles_use_switch-role-console) opens the account menu: a button named by
    the identity and "Account menu"."""
    browser = Browser(app)
    browser.sign_in()
    controls = Controls(text(browser.get("/console/home")))
    assert len(controls.named("button", "alice @ 2222-2222-2222")) == 1
    assert len(controls.named("button", "Account menu")) == 1
    assert "alice @ 2222 2222 2222" not in text(browser.get("/console/home"))
    # A role keeps the display name as typed; the default is "ROLE @ ACCOUNT" as typed.
    switched = browser.post("/console/switchrole", account=A, roleName="my-s3-x-account-role")
    assert switched.status == 303
    home = Controls(text(browser.get("/console/home")))
    # (The role history's button of the same name is inside the closed menu: hidden, not found.)
    menu = [v for v in home.named("button", "my-s3-x-account-role @ 111111111111") if v.get("role") == "button"]
    assert [v["aria-label"] for v in menu] == ["Account menu: my-s3-x-account-role @ 111111111111"]
    assert "Currently active as <strong>my-s3-x-account-role</strong> in account 1111-1111-1111" in text(
        browser.get("/console/home")
    )


def test_create_role_step_two_has_one_button_named_next_and_pagers_name_pages(app: App) -> None:
    """ "Create a role to give permissions to an IAM user" (IAM User Guide,
    id_roles_create_for-user): step 2 "Add permissions", then "Choose Next". The policy list's
    page buttons are named by page ("Page 2"), so "Next" finds only the wizard's button."""
    browser = signed_in_admin(app, A)
    form = {"step": "entity", "entity": "account", "account_choice": "another", "account_id": B, "action": "next"}
    step_two = text(browser.post("/console/iam/roles/create", **form))
    assert "Add permissions</h1>" in step_two
    controls = Controls(step_two)
    assert [values.get("value") for values in controls.named("button", "Next")] == ["next"]
    assert [values.get("value") for values in controls.named("button", "Previous")] == ["back"]
    assert len(controls.named("button", "Page 2")) == 1  # AWS's managed policies fill more than a page
    # The list pages' pagers too: no control on any page is named "next" or "previous" but a wizard's.
    for number in ("1", "2"):
        listed = browser.get("/console/iam/policies", page=number)
        assert listed.status == 200
        found = Controls(text(listed))
        assert not [name for role, name, _ in found.found if re.search("next|previous", name, re.I)], number
        assert len(found.named("link", "Page 2" if number == "1" else "Page 1")) == 1


def test_tabs_are_aria_tabs_that_are_links(app: App) -> None:
    """The console's detail pages have tabs ("Trust relationships", "Permissions",
    "Security credentials", "Tags": "Modifying a role trust policy (console)",
    roles-managingrole-editing-console; "Last Accessed": "View last accessed information for IAM",
    access_policies_last-accessed-view-data; S3's Objects and Permissions, "Adding a bucket policy
    by using the Amazon S3 console"): role="tab" in a tablist, aria-selected on the open one."""
    browser = signed_in_admin(app, A)
    role_page = text(browser.get("/console/iam/roles/details/my-s3-x-account-role", tab="trust"))
    assert 'role="tablist"' in role_page
    tabs = {name: values for role, name, values in Controls(role_page).found if role == "tab"}
    assert {name: values["aria-selected"] for name, values in tabs.items()} == {
        "Permissions": "false",
        "Trust relationships": "true",
        "Tags": "false",
        "Last Accessed": "false",
    }
    assert tabs["Permissions"]["href"] == "/console/iam/roles/details/my-s3-x-account-role?tab=permissions"
    user_page = Controls(text(browser.get("/console/iam/users/details/admin")))
    user_tabs = [name for role, name, _ in user_page.found if role == "tab"]
    assert user_tabs == ["Permissions", "Groups", "Tags", "Security credentials", "Last Accessed"]
    bucket = Controls(text(browser.get("/console/s3/buckets/shared-bucket/permissions")))
    assert [(name, values["aria-selected"]) for role, name, values in bucket.found if role == "tab"] == [
        ("Objects", "false"),
        ("Properties", "false"),
        ("Permissions", "true"),
    ]


def test_the_policy_editor_has_a_selected_json_tab(app: App) -> None:
    """ "IAM tutorial: Delegate access across AWS accounts using IAM roles"
    (tutorial_cross-account-with-roles): "Choose the JSON tab" in the policy editor."""
    browser = signed_in_admin(app, A)
    for page in ("/console/iam/policies/create", "/console/iam/roles/details/my-s3-x-account-role/trust"):
        controls = Controls(text(browser.get(page)))
        json_tab = controls.named("tab", "JSON")
        assert len(json_tab) == 1 and json_tab[0]["aria-selected"] == "true", page
        assert controls.named("tab", "Visual")[0].get("aria-disabled") == "true"


def test_the_s3_actions_menu_is_a_button(app: App) -> None:
    """ "Copying objects" (S3 User Guide, copy-object: "choose Actions", then Copy)."""
    with app.store.transaction() as tx:
        tx.put_object("shared-bucket", "a.txt", b"a", '"0cc175b9c0f1b6a831c399e269772661"', None)
    browser = signed_in_admin(app, A, "s3-admin", policy="arn:aws:iam::aws:policy/AmazonS3FullAccess")
    controls = Controls(text(browser.get("/console/s3/buckets/shared-bucket")))
    assert len(controls.named("button", "Actions")) == 1


def test_switch_role_labels_are_aws_words_and_the_display_name_follows_them(app: App) -> None:
    """ "Switch from a user to an IAM role (console)" (id_roles_use_switch-role-console):
    account ID or alias, role name, display name ("A name is suggested, based on the account
    and role information"); console.js fills the suggestion in as "ROLE @ ACCOUNT"."""
    browser = Browser(app)
    browser.sign_in()
    controls = Controls(text(browser.get("/console/switchrole")))
    assert controls.inputs_labelled("Account ID or alias") == ["f-account"]
    assert controls.inputs_labelled("Account ID") == ["f-account"]
    assert controls.inputs_labelled("IAM role name") == ["f-roleName"]
    assert controls.inputs_labelled("Display name") == ["f-displayName"]
    script = browser.get("/console/static/console.js").body.decode()
    assert "form.switch-role" in script and "${name} @ ${account.value.trim()}" in script


def test_the_sign_in_url_with_a_trailing_slash_opens_the_console(app: App) -> None:
    """ "How IAM users sign in to AWS" (id_users_sign-in): the sign-in URL ends with
    ``/console/``."""
    answer = Browser(app).get("/console/")
    assert answer.status in (302, 303) and location(answer) == "/console/home"


def test_s3_create_an_existing_bucket_confirm_placeholders_and_no_upload_for_a_missing_bucket(app: App) -> None:
    """ "Creating a general purpose bucket" (S3 User Guide, create-bucket-overview): a name you
    already own is refused ("Bucket with the same name already exists", unconfirmed wording);
    "Emptying a bucket" / "Deleting a bucket": the input asks for "permanently delete" / the
    bucket's name (shown as placeholder); a bucket that does not exist (NoSuchBucket) offers
    no upload."""
    browser = signed_in_admin(app, A, "s3-admin", policy="arn:aws:iam::aws:policy/AmazonS3FullAccess")
    again = browser.post("/console/s3/buckets", bucket="shared-bucket", block_all="on")
    assert again.status == 409
    assert "Bucket with the same name already exists" in text(again) and "Successfully created" not in text(again)
    empty = text(browser.get("/console/s3/buckets/shared-bucket/empty"))
    assert 'placeholder="permanently delete"' in empty
    delete = text(browser.get("/console/s3/buckets/shared-bucket/delete-bucket"))
    assert 'placeholder="shared-bucket"' in delete
    missing = browser.get("/console/s3/buckets/no-such-bucket-here")
    assert missing.status == 404 and "NoSuchBucket" in text(missing)
    assert ">Upload</a>" not in text(missing) and "Create folder" not in text(missing)

"""Sign-in, the MFA step, password reset, Switch Role and the session's lifetimes, through
``Console.handle`` with a clock the test moves (no browser: the browser tests in
tests/e2e/ click the same pages).

AWS pages: "Sign in to the AWS Management Console as an IAM user" (a failed sign-in does
not say which field was wrong: "Your authentication information is incorrect");
"Using MFA devices with your IAM sign-in page"; "Switch from a user to an IAM role
(console)" (IAM User Guide, id_roles_use_switch-role-console: 12-hour sign-in, the
role's session for its maximum duration or the rest of the sign-in, "You cannot switch
roles if you sign in as the AWS account root user"); "How an IAM user changes their own
password".
"""

from __future__ import annotations

import html
import json
import re
from datetime import timedelta

from console_page_harness import (
    PASSWORD,
    ROLE,
    ROLE_ARN,
    ROOT_PASSWORD,
    START,
    A,
    B,
    Browser,
    app,
    enable_mfa,
    location,
    text,
    totp,
)

from iamsandbox.console.pages.signin import REMEMBER_COOKIE
from iamsandbox.console.throttle import FREE, delay_after
from iamsandbox.console.web import Response
from iamsandbox.server.app import App
from iamsandbox.store import hash_password

__all__ = ["app"]

FAILED = "Your authentication information is incorrect. Please try again."


def _fail(browser: Browser, times: int, user: str = "alice") -> None:
    for _ in range(times):
        assert browser.sign_in(user=user, password="Wrong-Password-1").status == 401


def test_a_wrong_password_and_an_unknown_user_or_account_answer_alike(app: App) -> None:
    answers = []
    for account, user in ((B, "alice"), (B, "nobody"), ("999999999999", "alice"), ("no-such-alias", "alice")):
        response = Browser(app).sign_in(account=account, user=user, password="Wrong-Password-1")
        page = text(response)
        answers.append((response.status, page.count(FAILED)))
        assert "alice" not in page.split("<main>", 1)[1].split("value=", 1)[0]  # not named in the message
    assert answers == [(401, 1)] * 4


def _remember_header(response: Response) -> str:
    found = [value for name, value in response.headers if name == "set-cookie" and value.startswith(REMEMBER_COOKIE)]
    assert len(found) == 1, response.headers
    return found[0]


def _prefilled(page: str, field: str) -> str:
    found = re.search(rf'<input id="f-{field}" name="{field}" type="text" value="([^"]*)"', page)
    assert found is not None, field
    return html.unescape(found.group(1))


def test_the_sign_in_page_remembers_the_account_and_iam_user_name(app: App) -> None:
    """ "For convenience, the AWS sign-in page uses a browser cookie to remember the IAM user
    name and account information" ("How IAM users sign in to AWS", IAM User Guide,
    id_users_sign-in): the account as typed (here the alias) and the user name, nothing
    secret, in a long-lived HttpOnly cookie the sign-in page reads."""
    with app.store.transaction() as tx:
        tx.set_account_alias(B, "trusted-b")
    browser = Browser(app)
    page = text(browser.get("/console/signin"))
    assert _prefilled(page, "account") == "" and _prefilled(page, "username") == ""
    # A failed sign-in remembers nothing.
    failed = browser.sign_in(account="trusted-b", password="Wrong-Password-1")
    assert failed.status == 401 and not any(value.startswith(REMEMBER_COOKIE) for _, value in failed.headers)
    signed = browser.sign_in(account="trusted-b")
    header = _remember_header(signed)
    assert header == (
        f"{REMEMBER_COOKIE}=account=trusted-b&username=alice; Path=/console; Max-Age=31536000; HttpOnly; SameSite=Lax"
    )
    assert PASSWORD not in header and browser.session().csrf not in header
    browser.post("/console/signout")
    page = text(browser.get("/console/signin"))
    assert _prefilled(page, "account") == "trusted-b" and _prefilled(page, "username") == "alice"
    # An ?account= in the link names the account; the user name is still remembered.
    page = text(browser.get("/console/signin", account=A))
    assert _prefilled(page, "account") == A and _prefilled(page, "username") == "alice"
    # A browser without the cookie is asked for both.
    page = text(Browser(app).get("/console/signin"))
    assert _prefilled(page, "account") == "" and _prefilled(page, "username") == ""


def test_the_remembered_sign_in_is_set_after_the_mfa_code_and_never_for_the_root_user(app: App) -> None:
    seed = enable_mfa(app)
    browser = Browser(app)
    first = browser.sign_in(account="2222-2222-2222")
    assert not any(value.startswith(REMEMBER_COOKIE) for _, value in first.headers)  # not signed in yet
    done = browser.post("/console/signin/mfa", mfa_code=totp(seed, browser.now))
    assert "account=2222-2222-2222&username=alice;" in _remember_header(done)  # as typed
    root_browser = Browser(app)
    root_browser.get("/console/signin")
    root = root_browser.post("/console/signin", account=B, signin_type="root", password=ROOT_PASSWORD)
    assert root.status == 303 and not any(value.startswith(REMEMBER_COOKIE) for _, value in root.headers)


def test_a_remembered_name_with_any_characters_is_shown_escaped(app: App) -> None:
    browser = Browser(app)
    browser.jar[REMEMBER_COOKIE] = "account=%22%3E%3Cscript%3E&username=a%2Bb%40c%2Cd"
    page = text(browser.get("/console/signin"))
    assert _prefilled(page, "account") == '"><script>' and "<script>" not in page
    assert _prefilled(page, "username") == "a+b@c,d"
    browser.jar[REMEMBER_COOKIE] = "account=" + "1" * 500
    assert _prefilled(text(browser.get("/console/signin")), "account") == ""  # too long to be one


def test_failures_slow_the_next_attempts_and_a_success_clears_them(app: App) -> None:
    browser = Browser(app)
    _fail(browser, FREE + 1)
    wait = delay_after(FREE + 1)
    refused = browser.sign_in()  # the right password, but too soon
    assert refused.status == 429
    assert f"Too many failed sign-in attempts. Wait {wait} seconds, then try again." in text(refused)
    browser.later(wait)
    signed = browser.sign_in()
    assert signed.status == 303 and location(signed) == "/console/home"
    assert browser.session().failures == 0
    _fail(browser, 1)
    assert Browser(app, browser.now).sign_in().status == 303  # a success cleared the name's count


def test_the_per_name_delay_holds_for_a_new_browser_and_for_names_that_do_not_exist(app: App) -> None:
    for user in ("alice", "nobody"):
        attacker = Browser(app)
        _fail(attacker, FREE + 1, user=user)
        fresh = Browser(app, attacker.now)  # no cookie: only the name's count applies
        refused = fresh.sign_in(user=user)
        assert refused.status == 429, user
        other = Browser(app, attacker.now).sign_in(user="carol")
        assert other.status == 401  # other names are not held up


def test_sign_in_lasts_twelve_hours(app: App) -> None:
    browser = Browser(app)
    browser.sign_in()
    browser.later(12 * 3600 - 1)
    assert browser.get("/console/home").status == 200
    browser.later(1)
    expired = browser.get("/console/home")
    assert expired.status == 303 and location(expired).startswith("/console/signin")


def _switch(browser: Browser, role: str = ROLE, account: str = A, **extra: str) -> None:
    response = browser.post("/console/switchrole", account=account, roleName=role, **extra)
    assert response.status == 303, text(response)


def test_switch_role_uses_assume_role_and_shows_the_role(app: App) -> None:
    browser = Browser(app)
    browser.sign_in()
    form = browser.get("/console/switchrole", account=A, roleName=ROLE, displayName="Prod <ro>", color="efda95")
    page = text(form)
    assert f'value="{A}"' in page and f'value="{ROLE}"' in page
    assert 'value="Prod &lt;ro&gt;"' in page  # escaped
    assert '<option value="yellow" data-color="yellow" selected>' in page  # AWS's hex code for yellow
    _switch(browser, account="trusting-a")  # by alias
    role = browser.session().role
    assert role is not None and role.account_id == A and role.display_name == f"{ROLE} @ trusting-a"
    assert role.expires_at == int(START.timestamp()) + 3600  # the role's MaxSessionDuration
    assert role.access_key_id.startswith("ASIA")
    home = text(browser.get("/console/home"))
    assert f"{ROLE} @ trusting-a" in home and "Switch back" in home


def test_the_role_session_is_cut_to_what_remains_of_the_sign_in(app: App) -> None:
    browser = Browser(app)
    browser.sign_in()
    _switch(browser, role="long-role")  # MaxSessionDuration four hours
    role = browser.session().role
    assert role is not None and role.expires_at - int(browser.now.timestamp()) == 4 * 3600
    browser.post("/console/switchrole/back")
    browser.later(11 * 3600)  # an hour of the sign-in left
    _switch(browser, role="long-role")
    role = browser.session().role
    assert role is not None and role.expires_at - int(browser.now.timestamp()) == 3600


def test_an_expired_role_returns_to_the_user_and_says_so(app: App) -> None:
    browser = Browser(app)
    browser.sign_in()
    _switch(browser, displayName="Prod")
    browser.later(3600)
    page = text(browser.get("/console/s3"))
    assert "Your session as Prod expired: you are back to your own identity." in page
    assert "alice @ 2222-2222-2222" in page
    assert browser.session().role is None
    assert [entry.display_name for entry in browser.session().history] == ["Prod"]


def test_a_form_opened_as_another_identity_does_nothing(app: App) -> None:
    """A form opened while the role was active, posted after its session expired (or after a
    switch back in another tab), would run as alice herself, who may do what the role may
    not. "Switch from a user to an IAM role (console)" (Role sessions) says the console then
    asks to reload the page; it never acts as the user instead. The console refuses the form
    and changes nothing."""
    with app.store.transaction() as tx:
        alice = tx.get_user(B, "alice")
        assert alice is not None
        create = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
        tx.put_inline_policy(alice.id, "s3-all", json.dumps(create))
    browser = Browser(app)
    browser.sign_in()
    _switch(browser, displayName="Prod")
    opened_as_role = browser.form_fields()
    assert opened_as_role["acting_as"] == f"{A}:{ROLE}"
    browser.later(3600)  # the role's session has ended
    refused = browser.post("/console/s3/buckets", csrf=False, **opened_as_role, bucket="made-by-whom")
    assert refused.status == 409
    assert "This page was opened as another identity" in text(refused) and "Nothing was changed." in text(refused)
    with app.store.read() as tx:
        assert tx.get_bucket("made-by-whom") is None
    # Switched back in another tab: the same.
    _switch(browser, displayName="Prod")
    opened_as_role = browser.form_fields()
    assert browser.post("/console/switchrole/back").status == 303
    refused = browser.post("/console/s3/buckets", csrf=False, **opened_as_role, bucket="made-by-whom")
    assert refused.status == 409
    # The page opened again as alice herself: her own permissions, and the bucket is made.
    assert browser.post("/console/s3/buckets", bucket="made-by-whom", block_all="on").status == 303
    with app.store.read() as tx:
        made = tx.get_bucket("made-by-whom")
        assert made is not None and made.account_id == B


def test_a_denied_switch_shows_the_console_message_and_the_reason(app: App) -> None:
    """ "Switch from a user to an IAM role (console)" (IAM User Guide,
    id_roles_use_switch-role-console): a failed switch says "Invalid information in one or
    more fields. Check your information or contact your administrator." """
    browser = Browser(app)
    browser.sign_in()
    denied = browser.post("/console/switchrole", account=A, roleName="no-such-role")
    page = text(denied)
    assert denied.status == 403
    assert "Invalid information in one or more fields. Check your information or contact your administrator." in page
    assert (
        f"User: arn:aws:iam::{B}:user/alice is not authorized to perform: sts:AssumeRole on resource: "
        f"arn:aws:iam::{A}:role/no-such-role"
    ) in page
    assert browser.session().role is None
    # By alias, the page says the same whether the alias exists or not: only AWS's message
    # (the API's reason would name the alias's account ID).
    answers = []
    for alias in ("nobody-alias", "trusting-a"):
        failed = browser.post("/console/switchrole", account=alias, roleName="no-such-role")
        alert = text(failed).split('role="alert">', 1)[1].split("</div>", 1)[0]
        answers.append((failed.status, alert))
    assert answers[0] == answers[1]
    assert answers[0] == (
        403,
        "<p>Invalid information in one or more fields. Check your information or contact your administrator.</p>",
    )


def test_a_switch_from_a_role_is_authorized_with_the_users_own_credentials(app: App) -> None:
    """Switching while in a role is not role chaining: "the console always uses your
    original credentials to authorize the switch". The first role (read-only S3) may not
    call sts:AssumeRole; alice may."""
    browser = Browser(app)
    browser.sign_in()
    _switch(browser, displayName="first")
    _switch(browser, role="long-role", displayName="second")
    role = browser.session().role
    assert role is not None and role.display_name == "second"
    assert role.expires_at - int(browser.now.timestamp()) == 4 * 3600  # not capped at chaining's hour


def test_history_switches_again_and_switch_back(app: App) -> None:
    browser = Browser(app)
    browser.sign_in()
    _switch(browser, displayName="Prod", color="red")
    assert browser.post("/console/switchrole/back").status == 303
    assert browser.session().role is None
    again = browser.post("/console/switchrole/history", account=A, roleName=ROLE, displayName="Prod", color="red")
    assert again.status == 303
    role = browser.session().role
    assert role is not None and (role.display_name, role.color) == ("Prod", "red")


def test_the_history_outlives_the_sign_in_for_the_same_user(app: App) -> None:
    """ "The last several roles that you used appear on the menu. The next time you need to
    switch to one of those roles, you can simply choose the role" ("Switch from a user to an
    IAM role (console)"): kept by the browser across sign-outs and the sign-in's end, for
    the user who made it, not for another who signs in on the same browser."""
    browser = Browser(app)
    browser.sign_in()
    _switch(browser, displayName="Prod", color="red")
    assert browser.post("/console/signout").status == 303
    assert browser.session().role is None and not browser.session().signed_in
    browser.sign_in()
    assert [(h.display_name, h.color) for h in browser.session().history] == [("Prod", "red")]
    assert "Prod" in text(browser.get("/console/home"))
    browser.later(12 * 3600)  # the sign-in ends
    browser.get("/console/home")
    browser.sign_in()
    assert [h.display_name for h in browser.session().history] == ["Prod"]
    # Someone else on this browser: the root user of B sees no history of alice's.
    assert browser.post("/console/signout").status == 303
    root = browser.post("/console/signin", signin_type="root", account=B, password=ROOT_PASSWORD)
    assert root.status == 303
    assert browser.session().root and browser.session().history == ()
    # And alice's is gone with it: the browser keeps one user's history.
    browser.post("/console/signout")
    browser.sign_in()
    assert browser.session().history == ()


def test_a_post_without_the_csrf_token_does_not_switch(app: App) -> None:
    browser = Browser(app)
    browser.sign_in()
    refused = browser.post("/console/switchrole", csrf=False, account=A, roleName=ROLE)
    assert refused.status == 403
    assert browser.session().role is None


def test_root_signs_in_with_the_root_password_and_cannot_switch_roles(app: App) -> None:
    browser = Browser(app)
    browser.get("/console/signin")
    wrong = browser.post("/console/signin", signin_type="root", account=B, password="Wrong-Password-1")
    assert wrong.status == 401 and FAILED in text(wrong)
    signed = browser.post("/console/signin", signin_type="root", account=B, username="alice", password=ROOT_PASSWORD)
    assert signed.status == 303
    session = browser.session()
    assert session.root and session.user_name == "" and session.account_id == B
    assert "root @ 2222-2222-2222" in text(browser.get("/console/home"))
    refusal = "You cannot switch roles if you sign in as the AWS account root user."
    assert refusal in text(browser.get("/console/switchrole"))
    refused = browser.post("/console/switchrole", account=A, roleName=ROLE)
    assert refused.status == 403 and refusal in text(refused)
    # An account without a root password has no root sign-in.
    other = Browser(app)
    other.get("/console/signin")
    assert other.post("/console/signin", signin_type="root", account=A, password="").status == 401


def test_mfa_is_asked_after_the_password_and_a_code_works_once(app: App) -> None:
    seed = enable_mfa(app)
    browser = Browser(app)
    first = browser.sign_in()
    assert first.status == 303 and location(first).startswith("/console/signin/mfa")
    assert not browser.session().signed_in
    assert location(browser.get("/console/home")).startswith("/console/signin")  # not in yet
    assert "MFA code" in text(browser.get("/console/signin/mfa"))
    wrong = browser.post("/console/signin/mfa", mfa_code="000000" if totp(seed, browser.now) != "000000" else "111111")
    assert wrong.status == 401 and FAILED in text(wrong)
    code = totp(seed, browser.now)
    done = browser.post("/console/signin/mfa", mfa_code=code)
    assert done.status == 303 and location(done) == "/console/home"
    session = browser.session()
    assert session.signed_in and session.mfa_at == int(browser.now.timestamp())

    again = Browser(app, browser.now)  # the same code, in another browser, at once
    again.sign_in()
    reused = again.post("/console/signin/mfa", mfa_code=code)
    assert reused.status == 401
    again.later(30)
    assert again.post("/console/signin/mfa", mfa_code=totp(seed, again.now)).status == 303


def test_the_mfa_step_expires(app: App) -> None:
    seed = enable_mfa(app)
    browser = Browser(app)
    browser.sign_in()
    browser.later(301)
    late = browser.post("/console/signin/mfa", mfa_code=totp(seed, browser.now))
    assert late.status == 403  # the half-signed-in session (and its form) expired
    assert browser.session().account_id == ""
    assert location(browser.get("/console/signin/mfa")) == "/console/signin"


def test_mfa_sign_in_satisfies_a_trust_policy_that_requires_mfa(app: App) -> None:
    """aws:MultiFactorAuthPresent is true for a console session signed in with MFA ("AWS
    global condition context keys"), so a role requiring MFA can be switched to."""
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{B}:root"},
                "Action": "sts:AssumeRole",
                "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}},
            }
        ],
    }
    with app.store.transaction() as tx:
        tx.create_role(A, "mfa-role", json.dumps(trust))
    without = Browser(app)
    without.sign_in()
    assert without.post("/console/switchrole", account=A, roleName="mfa-role").status == 403
    seed = enable_mfa(app)
    browser = Browser(app, without.now + timedelta(seconds=60))
    browser.sign_in()
    browser.post("/console/signin/mfa", mfa_code=totp(seed, browser.now))
    _switch(browser, role="mfa-role")


def test_password_reset_is_required_first_and_goes_through_change_password(app: App) -> None:
    with app.store.transaction() as tx:
        alice = tx.get_user(B, "alice")
        assert alice is not None
        tx.set_login_profile(alice.id, hash_password("Temporary-Pass-1"), reset_required=True)
    browser = Browser(app)
    signed = browser.sign_in(password="Temporary-Pass-1")
    assert location(signed) == "/console/password"
    assert location(browser.get("/console/s3")) == "/console/password"
    assert browser.get("/console/password").status == 200
    # alice's only policy allows sts:AssumeRole: ChangePassword is refused as the API would.
    form = {"old_password": "Temporary-Pass-1", "new_password": "Brand-New-Pass-2", "new_password_again": ""}
    mismatch = browser.post("/console/password", **form)
    assert mismatch.status == 400 and "do not match" in text(mismatch)
    form["new_password_again"] = form["new_password"]
    denied = browser.post("/console/password", **form)
    assert denied.status == 403
    assert (
        f"User: arn:aws:iam::{B}:user/alice is not authorized to perform: iam:ChangePassword on resource: "
        f"arn:aws:iam::{B}:user/alice because no identity-based policy allows the iam:ChangePassword action"
    ) in text(denied)
    with app.store.transaction() as tx:
        tx.attach_policy(alice.id, "arn:aws:iam::aws:policy/IAMUserChangePassword")
    weak = browser.post("/console/password", **{**form, "new_password": "weak", "new_password_again": "weak"})
    assert weak.status == 400 and "PasswordPolicyViolation" in text(weak)
    changed = browser.post("/console/password", **form)
    assert changed.status == 303 and location(changed) == "/console/password?changed=1"
    assert not browser.session().password_reset
    assert browser.get("/console/home").status == 200  # the other pages open again
    with app.store.read() as tx:
        profile = tx.get_login_profile(alice.id)
    assert profile is not None and not profile.reset_required
    assert Browser(app, browser.now).sign_in(password="Brand-New-Pass-2").status == 303


def test_switch_role_needs_both_fields_and_a_short_enough_role(app: App) -> None:
    browser = Browser(app)
    browser.sign_in()
    assert browser.post("/console/switchrole", account=A, roleName="").status == 400
    too_long = browser.post("/console/switchrole", account=A, roleName="p/" * 32 + "r")
    assert too_long.status == 400 and "exceed 64 characters" in text(too_long)
    assert ROLE_ARN  # the reference role is still there to switch to
    _switch(browser)


def test_a_sign_in_records_when_the_password_was_used(app: App) -> None:
    # User, PasswordLastUsed: "The date and time ... when the user's password was last used
    # to sign in to an AWS website" (IAM API reference); the credential report's
    # password_last_used is the same for the root user too. A failed sign-in is no use.
    browser = Browser(app)
    with app.store.read() as tx:
        alice = tx.get_user(B, "alice")
        assert alice is not None and tx.passwords_last_used(B) == {}
    _fail(browser, 1)
    with app.store.read() as tx:
        assert tx.passwords_last_used(B) == {}
    browser.later(60)
    assert location(browser.sign_in()).startswith("/console")
    root = Browser(app, browser.now + timedelta(minutes=5))
    root.get("/console/signin")
    assert root.post("/console/signin", signin_type="root", account=B, password=ROOT_PASSWORD).status == 303
    with app.store.read() as tx:
        assert tx.passwords_last_used(B) == {alice.id: browser.now, None: root.now}

"""Console sign-in under the account password policy's MaxPasswordAge and HardExpiry, through
``Console.handle`` with a clock the test moves (no browser).

AWS pages: "Set an account password policy for IAM users" (IAM User Guide: "If a password
expires, the IAM user can't sign in to the AWS Management Console but can continue to use
their access keys"; "When you set a password expiration period, the expiration period is
enforced immediately ... Those users are required to change their password the next time
that they sign in"; "The IAM password policy does not apply to the AWS account root user
password"); PasswordPolicy (IAM API reference: HardExpiry: "The IAM user cannot access the
console until an administrator resets the password"); "Permit IAM users to change their
own passwords" (AllowUsersToChangePassword grants iam:ChangePassword on the user's own
user). The wording of the hard-expiry refusal is ours (AWS's is unconfirmed).
"""

from __future__ import annotations

from datetime import timedelta

from console_page_harness import PASSWORD, ROOT_PASSWORD, START, B, Browser, app, enable_mfa, location, text, totp

from iamsandbox.console.pages.signin import EXPIRED
from iamsandbox.server.app import App
from iamsandbox.store import hash_password
from iamsandbox.store.interface import PasswordPolicy

__all__ = ["app"]


def _set_up(app: App, policy: PasswordPolicy, age_days: int) -> None:
    """alice's password (still PASSWORD) was set ``age_days`` before START; ``policy`` is B's."""
    with app.store.transaction() as tx:
        alice = tx.get_user(B, "alice")
        assert alice is not None
        # A new hash of the same password is a new password, dated as asked.
        tx.set_login_profile(alice.id, hash_password(PASSWORD), False, when=START - timedelta(days=age_days))
        tx.set_password_policy(B, policy)


def test_a_password_younger_than_max_password_age_signs_in(app: App) -> None:
    _set_up(app, PasswordPolicy(max_password_age=90), age_days=89)
    signed = Browser(app).sign_in()
    assert signed.status == 303 and location(signed) == "/console/home"


def test_an_expired_password_must_be_changed_first(app: App) -> None:
    _set_up(app, PasswordPolicy(max_password_age=90, allow_users_to_change_password=True), age_days=90)
    browser = Browser(app)
    signed = browser.sign_in()
    assert location(signed) == "/console/password"
    assert browser.session().password_reset
    assert location(browser.get("/console/s3")) == "/console/password"  # nothing else opens
    form = {"old_password": PASSWORD, "new_password": "Renewed-Pass-2", "new_password_again": "Renewed-Pass-2"}
    # alice's only policy allows sts:AssumeRole: AllowUsersToChangePassword lets her change it.
    changed = browser.post("/console/password", **form)
    assert changed.status == 303 and location(changed) == "/console/password?changed=1"
    assert not browser.session().password_reset
    assert browser.get("/console/home").status == 200
    # The new password is dated now: the next sign-in goes straight in.
    again = Browser(app, browser.now).sign_in(password="Renewed-Pass-2")
    assert location(again) == "/console/home"


EXPIRED_WORDS = "Your password has expired. You must set a new password before you continue"
RESET_WORDS = "Your administrator requires you to change your password"


def test_the_password_page_says_why_a_change_is_required(app: App) -> None:
    """An expired password: "After 90 days, the password expires and the IAM user must set a
    new password before accessing the AWS Management Console" ("Set an account password
    policy for IAM users", id_credentials_passwords_account-policy). An administrator's
    PasswordResetRequired keeps its own words; both together are the administrator's."""
    _set_up(app, PasswordPolicy(max_password_age=90), age_days=90)
    expired = Browser(app)
    assert location(expired.sign_in()) == "/console/password"
    page = text(expired.get("/console/password"))
    assert EXPIRED_WORDS in page and RESET_WORDS not in page
    with app.store.transaction() as tx:
        alice = tx.get_user(B, "alice")
        assert alice is not None
        tx.set_login_profile(alice.id, hash_password(PASSWORD), True, when=START)  # young, reset required
    reset = Browser(app)
    assert location(reset.sign_in()) == "/console/password"
    page = text(reset.get("/console/password"))
    assert RESET_WORDS in page and EXPIRED_WORDS not in page
    with app.store.transaction() as tx:
        tx.set_login_profile(alice.id, hash_password(PASSWORD), True, when=START - timedelta(days=90))
    both = Browser(app)
    assert location(both.sign_in()) == "/console/password"
    assert RESET_WORDS in text(both.get("/console/password"))


def test_an_expired_password_without_permission_to_change_it_stays_on_the_password_page(app: App) -> None:
    # Without AllowUsersToChangePassword (or iam:ChangePassword in a policy) the change is
    # refused as the API refuses it, and the console stays closed.
    _set_up(app, PasswordPolicy(max_password_age=30), age_days=31)
    browser = Browser(app)
    assert location(browser.sign_in()) == "/console/password"
    form = {"old_password": PASSWORD, "new_password": "Renewed-Pass-2", "new_password_again": "Renewed-Pass-2"}
    denied = browser.post("/console/password", **form)
    assert denied.status == 403 and "iam:ChangePassword" in text(denied)
    assert location(browser.get("/console/home")) == "/console/password"


def test_hard_expiry_refuses_the_sign_in_until_an_administrator_resets_the_password(app: App) -> None:
    _set_up(
        app,
        PasswordPolicy(max_password_age=90, hard_expiry=True, allow_users_to_change_password=True),
        age_days=120,
    )
    browser = Browser(app)
    refused = browser.sign_in()
    assert refused.status == 403 and EXPIRED in text(refused)
    assert "administrator" in EXPIRED
    assert not browser.session().signed_in
    assert location(browser.get("/console/home")).startswith("/console/signin")
    assert location(browser.get("/console/password")).startswith("/console/signin")
    # The administrator sets a new password (UpdateLoginProfile): it is dated then.
    with app.store.transaction() as tx:
        alice = tx.get_user(B, "alice")
        assert alice is not None
        tx.set_login_profile(alice.id, hash_password("Reset-By-Admin-3"), False, when=START)
    assert location(Browser(app).sign_in(password="Reset-By-Admin-3")) == "/console/home"


def test_with_mfa_hard_expiry_is_told_after_the_code(app: App) -> None:
    _set_up(app, PasswordPolicy(max_password_age=90, hard_expiry=True), age_days=91)
    seed = enable_mfa(app)
    browser = Browser(app)
    first = browser.sign_in()
    assert location(first).startswith("/console/signin/mfa")  # nothing said yet
    refused = browser.post("/console/signin/mfa", mfa_code=totp(seed, browser.now))
    assert refused.status == 403 and EXPIRED in text(refused)
    assert not browser.session().signed_in


def test_a_wrong_password_still_answers_as_any_failure(app: App) -> None:
    # Expiry is told only to whoever gave the right password.
    _set_up(app, PasswordPolicy(max_password_age=1, hard_expiry=True), age_days=400)
    wrong = Browser(app).sign_in(password="Wrong-Password-1")
    assert wrong.status == 401 and EXPIRED not in text(wrong)


def test_the_root_users_password_never_expires(app: App) -> None:
    _set_up(app, PasswordPolicy(max_password_age=1, hard_expiry=True), age_days=400)
    browser = Browser(app, START + timedelta(days=1000))
    browser.get("/console/signin")
    signed = browser.post("/console/signin", signin_type="root", account=B, password=ROOT_PASSWORD)
    assert signed.status == 303 and location(signed) == "/console/home"

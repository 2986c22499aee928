"""Sign-in as an IAM user or as the account's root user, the MFA step, and sign-out.

AWS's sign-in page asks first whether you are the root user or an IAM user ("Sign in to
the AWS Management Console", AWS Sign-In User Guide):
- an IAM user gives the account ID or alias, the IAM user name and the password ("Sign in
  to the AWS Management Console as an IAM user");
- the root user gives the account's email address at AWS; here the root user gives the
  account ID or alias and the root password (``iamsandbox account create --root-password``
  or ``--generate-root-password``), and the page says so (an account's email, ``account
  create --email`` or a made-up ``ID@iamsandbox.invalid``, is not taken).

A failed sign-in says the same whatever was wrong ("Your authentication information is
incorrect. Please try again."), and failures slow the next attempts down (``throttle``).
When the password is right and the user (or the root user) has an enabled MFA device, a
second step asks for a code from it ("Using MFA devices with your IAM sign-in page"); the
code is checked as STS checks a TokenCode (``services.sts.credentials.verify_mfa``: TOTP,
each time step accepted once, so a code cannot be used twice) and the session records the
time, which makes aws:MultiFactorAuthPresent true for the console's calls. A user whose
login profile requires a password reset goes to the password page first (``password``).

The account password policy's MaxPasswordAge: "If a password expires, the IAM user can't
sign in to the AWS Management Console" and users whose password is older "are required to
change their password the next time that they sign in" ("Set an account password policy
for IAM users"): an expired password sends the user to the same password page as a
required reset. With HardExpiry the user "cannot access the console until an
administrator resets the password" (PasswordPolicy, IAM API reference): the sign-in is
refused with ``EXPIRED`` once the password, and the MFA code when the user has a device,
were right (so whoever has the password alone learns no more than before).

"For convenience, the AWS sign-in page uses a browser cookie to remember the IAM user name
and account information" ("How IAM users sign in to AWS", id_users_sign-in): after an IAM
user's sign-in, a cookie (``REMEMBER_COOKIE``: the account as typed, ID or alias, and the
user name; nothing secret) pre-fills the form for a year; an ``?account=`` in the link still
names the account. The root user's sign-in is not remembered.

After a failed sign-in the page opens with the focus on the message (WCAG 3.3.1, "Error
Identification"), so a screen reader reads it before the form again.

Each attempt is a CloudTrail event of the account signed in to ("AWS Management Console
sign-in events", CloudTrail User Guide; ``services/cloudtrail/signin.py``): ConsoleLogin,
"Success" or "Failure" (a wrong password, a user name that names no user: recorded as
HIDDEN_DUE_TO_SECURITY_REASONS, a wrong MFA code), and CheckMfa before the MFA code is asked.
An account that does not exist has no event history to record it in.
"""

from __future__ import annotations

import re
from dataclasses import replace
from urllib.parse import parse_qsl, quote, urlencode

from ...authz.context import Caller
from ...errors import AccessDenied
from ...policy.request import PrincipalKind
from ...services.cloudtrail import signin as events
from ...services.iam.credentials import password_expired
from ...services.sts.credentials import verify_mfa
from ...store.crypto import verify_password
from ...store.interface import Account, Transaction, User
from ..app import PageContext
from ..calls import Who, note_sign_in_event, session_user
from ..session import MFA_STEP_SECONDS, SIGN_IN_SECONDS, ConsoleSession, new_session
from ..throttle import name_key, wait_left
from ..web import Response, Routes

routes = Routes()

FAILED = "Your authentication information is incorrect. Please try again."
TOO_MANY = "Too many failed sign-in attempts. Wait {seconds}, then try again."
# AWS's console wording is unconfirmed.
EXPIRED = "Your password has expired and only your administrator can reset it. Contact your administrator."
MFA_CODE = re.compile(r"[0-9]{6}")
ACCOUNT_ID = re.compile(r"[0-9]{12}")
# The scrypt hash of a random password nobody knows: checked when the account or user does
# not exist, so a sign-in takes as long whether or not they do.
DECOY_HASH = "scrypt$16384$8$1$xKFm9x3DcDE8BE345oKuhA$W1Y1fyJaRvf6MwiriejUdFikFBBDIPaCsjSfI+/QhSM"


# The sign-in page's memory of the last IAM user signed in from this browser: HttpOnly,
# SameSite=Lax, under /console, for a year.
REMEMBER_COOKIE = "iamsandbox_signin"
REMEMBER_SECONDS = 365 * 24 * 3600
REMEMBERED_CHARS = 64  # an account alias has at most 63 characters, a user name 64


# A page of this console as the console's own links write it: a path under /console/ in
# printable ASCII, without a backslash (some browsers read one as "/").
LOCAL_PAGE = re.compile(r"/console/[\x21-\x5b\x5d-\x7e]*")


def safe_redirect(target: str) -> str:
    """Only our own console pages: never an absolute or scheme-relative URL, and nothing a
    Location header cannot carry (CR, LF, spaces, non-ASCII): anything else goes home."""
    return target if LOCAL_PAGE.fullmatch(target) else "/console/home"


def find_account(tx: Transaction, text: str) -> Account | None:
    """The account named by its 12-digit ID (spaces or hyphens allowed, as the console
    shows IDs) or by its alias."""
    digits = re.sub(r"[\s-]", "", text)
    if ACCOUNT_ID.fullmatch(digits):
        return tx.get_account(digits)
    return tx.get_account_by_alias(text.strip())


def _form(
    page: PageContext,
    status: int = 200,
    *,
    account: str = "",
    username: str = "",
    root: bool = False,
    redirect_uri: str = "/console/home",
    error: str = "",
) -> Response:
    return page.render(
        "signin.html",
        status,
        title="Sign in",
        account=account,
        username=username,
        root=root,
        redirect_uri=redirect_uri,
        error=error,
    )


def remember_header(account: str, user_name: str, secure: bool) -> tuple[str, str]:
    """The Set-Cookie header that remembers the account (as typed) and the IAM user name."""
    value = urlencode({"account": account, "username": user_name}, quote_via=quote)
    flags = "; Secure" if secure else ""
    return (
        "set-cookie",
        f"{REMEMBER_COOKIE}={value}; Path=/console; Max-Age={REMEMBER_SECONDS}; HttpOnly; SameSite=Lax{flags}",
    )


def remembered(page: PageContext) -> tuple[str, str]:
    """The account and IAM user name the sign-in cookie holds ("" for what it lacks or
    holds too long to be one)."""
    fields = dict(parse_qsl(page.request.cookies.get(REMEMBER_COOKIE, "")[:512]))
    account, user_name = fields.get("account", ""), fields.get("username", "")
    return (
        account if len(account) <= REMEMBERED_CHARS else "",
        user_name if len(user_name) <= REMEMBERED_CHARS else "",
    )


@routes.get("/console/signin", public=True)
def signin_form(page: PageContext) -> Response:
    query = page.request.query
    account, user_name = remembered(page)
    return _form(
        page,
        account=query.get("account") or account,
        username=user_name,
        root=query.get("type") == "root",
        redirect_uri=safe_redirect(query.get("redirect_uri", "")),
    )


def _wait(page: PageContext, key: str) -> int:
    """Seconds this browser and this name must still wait before trying again."""
    now = page.request.now.timestamp()
    session = page.new_session or page.session
    return max(
        wait_left(session.failures, session.failed_at, now),
        page.console.sign_in_throttle.wait(key, now),
    )


def _too_many(wait: int) -> str:
    return TOO_MANY.format(seconds="1 second" if wait == 1 else f"{wait} seconds")


def _failed(page: PageContext, key: str) -> None:
    now = page.request.now.timestamp()
    session = page.new_session or page.session
    page.console.sign_in_throttle.failed(key, now)
    page.set_session(replace(session, failures=session.failures + 1, failed_at=int(now)))


@routes.post("/console/signin", public=True)
def signin(page: PageContext) -> Response:
    form = page.request.form
    root = form.get("signin_type") == "root"
    account_text = form.get("account", "").strip()
    user_name = "" if root else form.get("username", "").strip()
    password = form.get("password", "")
    redirect_uri = safe_redirect(form.get("redirect_uri", ""))

    def again(status: int, error: str) -> Response:
        return _form(
            page, status, account=account_text, username=user_name, root=root, redirect_uri=redirect_uri, error=error
        )

    password_hash: str | None = None
    reset = False
    with page.app.store.read() as tx:
        account = find_account(tx, account_text) if account_text else None
        user = tx.get_user(account.account_id, user_name) if account is not None and user_name else None
        if root and account is not None:
            password_hash = account.root_password_hash
        elif user is not None:
            profile = tx.get_login_profile(user.id)
            if profile is not None:
                password_hash, reset = profile.password_hash, profile.reset_required
        owner = None if root or user is None else user.id
        has_mfa = account is not None and (root or user is not None) and _has_mfa(tx, account.account_id, owner)
    key = name_key(account.account_id if account else "?" + account_text, None if root else user_name)
    wait = _wait(page, key)
    if wait:
        return again(429, _too_many(wait))
    # INVARIANT: the password is hashed whether or not the account and user exist.
    matched = verify_password(password, password_hash or DECOY_HASH) and password_hash is not None
    if account is None or not matched:
        _failed(page, key)
        if account is not None:
            who = _who(account.account_id, account.alias, user, root=root, success=False)
            error = events.NO_USERNAME if user is None and not root else events.FAILED_AUTHENTICATION
            note_sign_in_event(
                page, "ConsoleLogin", account.account_id, who, error=error, login_to=redirect_uri, mfa=False
            )
        return again(401, FAILED)
    now = int(page.request.now.timestamp())
    signed = replace(
        new_session(),
        account_id=account.account_id,
        user_name="" if root else user.name if user else "",
        user_id="" if root else user.id if user else "",
        root=root,
        signed_in_at=now,
        password_reset=reset,
        signin_account="" if root else account_text,
    )
    signed = replace(signed, history=(page.new_session or page.session).history_for(signed))
    if has_mfa:
        # "The sign-in process checked whether multi-factor authentication (MFA) is required"
        # (CheckMfa, "AWS Management Console sign-in events"). Recorded only for an identity
        # with a device (unconfirmed: AWS may record one for every sign-in).
        who = _who(account.account_id, account.alias, user, root=root, success=False)
        note_sign_in_event(
            page, "CheckMfa", account.account_id, who, additional={"MfaType": events.VIRTUAL_MFA}, read_only=True
        )
        page.set_session(replace(signed, mfa_pending=True, expires_at=now + MFA_STEP_SECONDS))
        return page.redirect("/console/signin/mfa", redirect_uri=redirect_uri)
    page.console.sign_in_throttle.succeeded(key)
    return _signed_in(page, replace(signed, expires_at=now + SIGN_IN_SECONDS), redirect_uri)


def _signed_in(page: PageContext, session: ConsoleSession, redirect_uri: str) -> Response:
    """The password (and MFA code) were right: in, unless the password has expired."""
    expired, hard = _expiry(page, session)
    mfa = session.mfa_at is not None
    if expired and hard:
        # Unconfirmed: AWS's record of a sign-in refused for an expired password.
        _note_failed_login(page, session, redirect_uri, mfa=mfa)
        page.set_session(new_session())
        return _form(page, 403, account=session.account_id, username=session.user_name, error=EXPIRED)
    who = _session_who(page, session, success=True)
    note_sign_in_event(page, "ConsoleLogin", session.account_id, who, login_to=redirect_uri, mfa=mfa)
    if expired and not session.password_reset:
        session = replace(session, password_reset=True, password_expired=True)
    with page.app.store.transaction() as tx:  # PasswordLastUsed (GetUser, ListUsers, credential reports)
        tx.record_password_used(session.account_id, None if session.root else session.user_id, page.request.now)
    page.set_session(replace(session, signin_account=""))
    response = page.redirect("/console/password" if session.password_reset else redirect_uri)
    if not session.root:
        response.headers.append(remember_header(session.signin_account, session.user_name, page.over_https))
    return response


def _expiry(page: PageContext, session: ConsoleSession) -> tuple[bool, bool]:
    """Whether the IAM user's password is older than the account's MaxPasswordAge, and
    whether the policy has HardExpiry. The root user's password is not the policy's ("The
    IAM password policy does not apply to the AWS account root user password")."""
    if session.root:
        return False, False
    with page.app.store.read() as tx:
        user = session_user(tx, session)
        profile = tx.get_login_profile(user.id) if user is not None else None
        policy = tx.get_password_policy(session.account_id) if profile is not None else None
    if profile is None or not password_expired(profile, policy, page.request.now):
        return False, False
    return True, policy is not None and bool(policy.hard_expiry)


def _who(account_id: str, alias: str | None, user: User | None, *, root: bool, success: bool) -> Who:
    """Who a sign-in event names: the root user (``root``), the IAM user, or (``user`` None) a
    user name that names no user of the account, hidden. LookupEvents' Username is "root" for
    the root user, as for its API calls."""
    if root:
        return events.root_identity(account_id, alias), "root"
    if user is None:
        return events.hidden_user_identity(account_id), events.HIDDEN
    return events.user_identity(account_id, user.id, user.arn, user.name, success=success), user.name


def _session_who(page: PageContext, session: ConsoleSession, *, success: bool) -> Who:
    """``_who`` of the identity a (half-)signed-in session names."""
    with page.app.store.read() as tx:
        account = tx.get_account(session.account_id)
        user = None if session.root else session_user(tx, session)
    alias = account.alias if account is not None else None
    return _who(session.account_id, alias, user, root=session.root, success=success)


def _note_failed_login(page: PageContext, session: ConsoleSession, redirect_uri: str, *, mfa: bool) -> None:
    """A ConsoleLogin "Failure" of a half-signed-in session (a wrong MFA code, a password
    expired under HardExpiry): "Failed authentication"."""
    who = _session_who(page, session, success=False)
    error = events.FAILED_AUTHENTICATION
    note_sign_in_event(page, "ConsoleLogin", session.account_id, who, error=error, login_to=redirect_uri, mfa=mfa)


def _has_mfa(tx: Transaction, account_id: str, owner: str | None) -> bool:
    """An enabled MFA device of the user (``owner``), or of the root user (None)."""
    return any(d.enabled is not None and d.user_id == owner for d in tx.list_mfa_devices(account_id))


def _mfa_form(page: PageContext, status: int = 200, error: str = "") -> Response:
    redirect_uri = safe_redirect(page.request.form.get("redirect_uri") or page.request.query.get("redirect_uri", ""))
    title = "Multi-factor authentication"
    return page.render("signin_mfa.html", status, title=title, redirect_uri=redirect_uri, error=error)


@routes.get("/console/signin/mfa", public=True)
def mfa_form(page: PageContext) -> Response:
    if not page.session.mfa_pending:
        return page.redirect("/console/signin")
    return _mfa_form(page)


@routes.post("/console/signin/mfa", public=True)
def mfa(page: PageContext) -> Response:
    session = page.session
    if not session.mfa_pending:
        return page.redirect("/console/signin")
    key = name_key(session.account_id, None if session.root else session.user_name)
    wait = _wait(page, key)
    if wait:
        return _mfa_form(page, 429, _too_many(wait))
    code = page.request.form.get("mfa_code", "").strip().replace(" ", "")
    if not (MFA_CODE.fullmatch(code) and _code_is_valid(page, session, code)):
        _failed(page, key)
        _note_failed_login(page, session, safe_redirect(page.request.form.get("redirect_uri", "")), mfa=True)
        return _mfa_form(page, 401, FAILED)
    page.console.sign_in_throttle.succeeded(key)
    now = int(page.request.now.timestamp())
    signed = replace(
        session,
        csrf=new_session().csrf,
        mfa_pending=False,
        mfa_at=now,
        signed_in_at=now,
        expires_at=now + SIGN_IN_SECONDS,
        failures=0,
        failed_at=0,
    )
    return _signed_in(page, signed, safe_redirect(page.request.form.get("redirect_uri", "")))


def _code_is_valid(page: PageContext, session: ConsoleSession, code: str) -> bool:
    """A code of one of the identity's enabled MFA devices, not used before (the device's
    accepted time step moves on, in the same transaction)."""
    account_id = session.account_id
    with page.app.store.transaction() as tx:
        if session.root:
            caller = Caller(f"arn:aws:iam::{account_id}:root", PrincipalKind.ROOT, account_id)
            owner = None
        else:
            user = session_user(tx, session)
            if user is None:
                return False
            caller = Caller(user.arn, PrincipalKind.USER, account_id, unique_id=user.id, name=user.name)
            owner = user.id
        for device in tx.list_mfa_devices(account_id):
            if device.enabled is None or device.user_id != owner:
                continue
            try:
                if verify_mfa(tx, caller, device.serial_number, code, page.request.now):
                    return True
            except AccessDenied:
                continue
    return False


@routes.post("/console/signout", public=True)
def signout(page: PageContext) -> Response:
    page.set_session(page.session.signed_out())
    return page.redirect("/console/signin")

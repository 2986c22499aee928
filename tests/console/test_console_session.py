"""The console session (sealed cookie, lifetimes, role history) and the sign-in throttle,
as values: no server, no pages.

AWS: "Switch from a user to an IAM role (console)" (IAM User Guide,
id_roles_use_switch-role-console): "IAM user sessions are 12 hours by default"; "By
default, when you switch roles, your AWS Management Console session lasts for 1 hour";
switched roles get "the role maximum session duration, or the remaining time in the IAM
user's session, whichever is less"; "Methods to assume a role": 15 minutes at least.
"""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import UTC, datetime

from iamsandbox.auth.session_token import SessionTokenCodec, new_session_claims
from iamsandbox.console.session import (
    HISTORY,
    SIGN_IN_SECONDS,
    SWITCH_ROLE_SECONDS,
    SessionCodec,
    SwitchedRole,
    new_session,
    role_session_seconds,
)
from iamsandbox.console.throttle import CAP, FORGET, FREE, MAX_NAMES, SignInThrottle, delay_after, name_key, wait_left

NOW = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def test_lifetimes_are_awss() -> None:
    assert SIGN_IN_SECONDS == 12 * 3600
    assert SWITCH_ROLE_SECONDS == 3600
    assert HISTORY == 5


def test_role_session_is_the_roles_maximum_or_what_remains_of_the_sign_in() -> None:
    assert role_session_seconds(3600, 12 * 3600) == 3600  # the default role: one hour
    assert role_session_seconds(10 * 3600, 4 * 3600) == 4 * 3600  # AWS's example: 4 hours left
    assert role_session_seconds(3600, 1800.7) == 1800
    assert role_session_seconds(3600, 60) == 900  # never under AssumeRole's 15 minutes


def _role(name: str, token: str = "", expires_at: int = 0) -> SwitchedRole:
    display = f"{name} @ 111111111111"
    return SwitchedRole("111111111111", name, display, "blue", "ASIAEXAMPLE", "secret", token, expires_at)


def test_history_keeps_the_last_five_roles_once_each_without_credentials() -> None:
    session = replace(new_session(), account_id="222222222222", user_name="alice", expires_at=10)
    for name in ("r1", "r2", "r3", "r4", "r5", "r6", "r3"):
        session = session.with_role(_role(name, token="token-" + name))
    assert [entry.role_name for entry in session.history] == ["r3", "r6", "r5", "r4", "r2"]
    assert all(entry.session_token == "" and entry.secret_access_key == "" for entry in session.history)
    assert session.role is not None and session.role.session_token == "token-r3"
    back = session.switched_back()
    assert back.role is None and back.history == session.history


def test_a_half_signed_in_session_waiting_for_mfa_is_not_signed_in_and_expires() -> None:
    pending = replace(new_session(), account_id="222222222222", user_name="alice", mfa_pending=True, expires_at=100)
    assert not pending.signed_in
    assert not pending.expired(datetime.fromtimestamp(99, UTC))
    assert pending.expired(datetime.fromtimestamp(100, UTC))
    assert replace(pending, mfa_pending=False).signed_in
    assert not new_session().expired(NOW)  # nobody signed in: nothing to expire


def test_the_cookie_round_trips_and_refuses_any_change() -> None:
    codec = SessionCodec([os.urandom(32)])
    session = replace(
        new_session(),
        account_id="222222222222",
        user_name="alice",
        signed_in_at=5,
        expires_at=6,
        mfa_at=5,
        failures=2,
        failed_at=4,
    ).with_role(_role("r1", token="t", expires_at=7))
    cookie = codec.seal(session)
    assert codec.open(cookie) == session
    flipped = cookie[:10] + ("A" if cookie[10] != "A" else "B") + cookie[11:]
    assert codec.open(flipped) is None
    assert SessionCodec([os.urandom(32)]).open(cookie) is None  # another server's key
    assert codec.open("not a cookie") is None


def test_a_sealed_form_field_opens_only_in_its_session_and_hides_the_length() -> None:
    """A form's secret (the custom password between "Create user"'s steps) sealed with the
    session cookie's key: it opens for the same field of the same browser session only."""
    codec = SessionCodec([os.urandom(32)])
    session = replace(new_session(), account_id="222222222222", user_name="admin", user_id="AIDAADMIN")
    sealed = codec.seal_field(session, "sealed_password", "Pässword-1")
    assert "Pässword" not in sealed and codec.open_field(session, "sealed_password", sealed) == "Pässword-1"
    assert codec.open_field(session, "other_field", sealed) is None
    assert codec.open_field(new_session(), "sealed_password", sealed) is None  # another browser
    signed_in_again = replace(session, csrf=new_session().csrf)
    assert codec.open_field(signed_in_again, "sealed_password", sealed) is None
    other_user = replace(session, user_id="AIDAOTHER")
    assert codec.open_field(other_user, "sealed_password", sealed) is None
    assert SessionCodec([os.urandom(32)]).open_field(session, "sealed_password", sealed) is None
    flipped = sealed[:20] + ("A" if sealed[20] != "A" else "B") + sealed[21:]
    assert codec.open_field(session, "sealed_password", flipped) is None
    for junk in ("", "not sealed", "é", "A" * 20000):
        assert codec.open_field(session, "sealed_password", junk) is None
    # Its length says nothing of the value's (up to 124 bytes; IAM passwords have at most 128 characters).
    assert len({len(codec.seal_field(session, "sealed_password", "x" * n)) for n in range(125)}) == 1
    # A sealed field is no session cookie, nor the other way round.
    assert codec.open(sealed) is None
    assert codec.open_field(session, "sealed_password", codec.seal(session)) is None


def test_a_cookie_with_a_real_role_token_and_a_full_history_fits_a_browser() -> None:
    """Browsers keep cookies up to 4096 bytes (RFC 6265, section 6.1: "at least 4096
    bytes per cookie"); a longer one would be dropped and the switch silently lost."""
    tokens = SessionTokenCodec([os.urandom(32)])
    name = "r" * 64
    claims = new_session_claims(
        account_id="111111111111",
        kind="assumed-role",
        principal_arn=f"arn:aws:sts::111111111111:assumed-role/{name}/{'u' * 64}",
        source_arn=f"arn:aws:iam::111111111111:role/{name}",
        source_id="AROA" + "X" * 17,
        now=NOW,
        duration_seconds=3600,
        session_name="u" * 64,
        caller_arn=f"arn:aws:iam::222222222222:user/{'u' * 64}",
    )
    credentials = tokens.issue(claims)
    session = replace(new_session(), account_id="222222222222", user_name="u" * 64, expires_at=1)
    for index in range(HISTORY):
        role = SwitchedRole(
            "111111111111",
            f"{index}{name}"[:64],
            "D" * 64,
            "yellow",
            credentials.access_key_id,
            credentials.secret_access_key.reveal(),
            credentials.session_token,
            1,
        )
        session = session.with_role(role)
    cookie = SessionCodec([os.urandom(32)]).cookie_header(session)[1]
    assert len(cookie.encode()) < 4096, len(cookie)


def test_the_delay_grows_from_the_fourth_failure_and_is_capped() -> None:
    assert [delay_after(n) for n in range(FREE + 1)] == [0] * (FREE + 1)
    delays = [delay_after(n) for n in range(FREE + 1, FREE + 8)]
    assert delays == sorted(delays) and delays[0] > 0 and delays[-1] == CAP
    assert delay_after(1000) == CAP
    assert wait_left(FREE + 1, 100.0, 100.0) == delay_after(FREE + 1)
    assert wait_left(FREE + 1, 100.0, 100.0 + delay_after(FREE + 1)) == 0
    assert wait_left(FREE + 1, 100.0, 100.5) == delay_after(FREE + 1)  # whole seconds, rounded up


def test_the_throttle_counts_per_name_forgets_and_clears_on_success() -> None:
    throttle = SignInThrottle()
    key = name_key("222222222222", "Alice")
    assert key == name_key("222222222222", "alice")  # IAM user names ignore case
    assert key != name_key("222222222222", None)  # the root user is counted apart
    for n in range(1, FREE + 2):
        assert throttle.failed(key, 1000.0) == n
    assert throttle.wait(key, 1000.0) == delay_after(FREE + 1)
    assert throttle.wait(name_key("222222222222", "bob"), 1000.0) == 0  # another name waits not
    throttle.succeeded(key)
    assert throttle.wait(key, 1000.0) == 0
    for _ in range(FREE + 1):
        throttle.failed(key, 2000.0)
    assert throttle.failed(key, 2000.0 + FORGET) == 1  # an old streak is forgotten


def test_the_throttle_remembers_a_bounded_number_of_names() -> None:
    throttle = SignInThrottle()
    for index in range(MAX_NAMES + 10):
        throttle.failed(f"?{index}/user:x", 0.0)
    assert len(throttle._names) == MAX_NAMES  # noqa: SLF001 (the bound is the point)
    assert "?0/user:x" not in throttle._names  # noqa: SLF001 (the oldest went first)

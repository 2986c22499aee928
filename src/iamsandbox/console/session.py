"""The console session: who signed in, the role switched to, the role history, the CSRF
token; sealed into one cookie with AES-GCM (``store.crypto.SecretBox`` under a key derived
for this purpose), so any replica reads it without a store lookup and a changed byte
does not open.

Lifetimes, as AWS's console ("Switch from a user to an IAM role (console)", IAM User
Guide, id_roles_use_switch-role-console: "By default, when you switch roles, your AWS
Management Console session lasts for 1 hour. IAM user sessions are 12 hours by default. IAM
users who switch roles in the console are granted the role maximum session duration, or the
remaining time in the IAM user's session, whichever is less"): a sign-in lasts 12 hours; a
switched role uses the role's temporary credentials for the role's MaxSessionDuration (one
hour unless the role says more), cut to what remains of the sign-in but never under the
15 minutes AssumeRole allows ("Methods to assume a role": console, 15m minimum); the
console goes back to the signed-in identity when they expire. The history keeps the last
five roles ("the console stores the last five roles"). Between a right password and the
MFA code, the half-signed-in session lasts five minutes.

The cookie is HttpOnly, SameSite=Lax and scoped to /console; it is marked Secure when the
browser came over HTTPS through a proxy (``X-Forwarded-Proto: https``), not otherwise,
because the server itself speaks plain HTTP. Browsers keep cookies of up to 4096 bytes
(RFC 6265, section 6.1): display names (64 characters of any script) could take a full
history past that, so the oldest history entries are left out of a cookie that would not
fit (``SessionCodec.cookie_header``); the active role always stays.

A value a form must carry from one page to the next but never show (the custom password of
"Create user" between its steps: AWS shows it only on "Retrieve password", "This is the only
time you can view and download this password") is sealed the same way (``seal_field``):
under its own context, bound to the session's CSRF token and principal, so it opens only in
the browser session that sealed it, and padded so its length says nothing of the value's.

A signed-in IAM user is known by the user's unique ID as well as the name ("IAM
identifiers", Unique IDs: a user deleted and created again under the same name is another
user, with another ID; a renamed user keeps it): the console's calls act only for that ID.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import secrets
import struct
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from typing import Any

from ..store.crypto import SealError, SecretBox

COOKIE = "iamsandbox_console"
SIGN_IN_SECONDS = 12 * 3600
SWITCH_ROLE_SECONDS = 3600  # a role's default MaxSessionDuration
MIN_ROLE_SECONDS = 900  # AssumeRole's least DurationSeconds
MFA_STEP_SECONDS = 300
HISTORY = 5
_CONTEXT = b"iamsandbox console session"
_FIELD_CONTEXT = b"iamsandbox console form field"
_FIELD_BLOCK = 128  # a sealed field's plaintext is padded to a multiple of this many bytes
MAX_COOKIE_CHARS = 8192  # what ``open`` reads at most
MAX_SET_COOKIE_BYTES = 4096  # what ``cookie_header`` writes at most (RFC 6265, section 6.1)

# The display colours of the Switch Role page (AWS offers these five, and none).
COLORS = {"red": "#d13212", "orange": "#ec7211", "yellow": "#f2c100", "green": "#1d8102", "blue": "#0073bb"}


@dataclass(frozen=True)
class SwitchedRole:
    """A role the console switched to: where, how it shows, and its credentials."""

    account_id: str
    role_name: str
    display_name: str
    color: str  # a key of COLORS, or ""
    access_key_id: str = ""
    secret_access_key: str = field(default="", repr=False)
    session_token: str = field(default="", repr=False)
    expires_at: int = 0

    def history_entry(self) -> SwitchedRole:
        """The same role without credentials, as the history keeps it."""
        return SwitchedRole(self.account_id, self.role_name, self.display_name, self.color)


@dataclass(frozen=True)
class ConsoleSession:
    csrf: str
    account_id: str = ""  # empty until signed in
    user_name: str = ""  # empty for the root user
    user_id: str = ""  # the IAM user's unique ID (AIDA...); empty for the root user
    root: bool = False
    signed_in_at: int = 0
    expires_at: int = 0
    mfa_at: int | None = None  # when the sign-in used an MFA code
    password_reset: bool = False  # signed in, but must change the password first
    role: SwitchedRole | None = None
    history: tuple[SwitchedRole, ...] = ()
    failures: int = 0  # failed sign-ins from this browser, for the delay
    failed_at: int = 0  # when the last of them failed
    mfa_pending: bool = False  # the password was right; the MFA code is still to come
    password_expired: bool = False  # password_reset because the password is older than MaxPasswordAge
    signin_account: str = ""  # the account as the sign-in form gave it (ID or alias), remembered after
    # Signed out: whose role history the session still keeps (``principal_key``), for their
    # next sign-in from this browser.
    history_of: str = ""

    @property
    def signed_in(self) -> bool:
        return bool(self.account_id) and not self.mfa_pending

    def expired(self, now: datetime) -> bool:
        """The sign-in (or the MFA step waiting for its code) has run out."""
        return bool(self.account_id) and now.timestamp() >= self.expires_at

    def role_expired(self, now: datetime) -> bool:
        return self.role is not None and now.timestamp() >= self.role.expires_at

    def check_csrf(self, token: str) -> bool:
        return hmac.compare_digest(self.csrf.encode(), token.encode("utf-8", "replace"))

    def with_role(self, role: SwitchedRole) -> ConsoleSession:
        entry = role.history_entry()
        history = (entry,) + tuple(
            h for h in self.history if (h.account_id, h.role_name) != (entry.account_id, entry.role_name)
        )
        return replace(self, role=role, history=history[:HISTORY])

    def switched_back(self) -> ConsoleSession:
        return replace(self, role=None)

    @property
    def principal_key(self) -> str:
        """Who signed in: the account and the IAM user's unique ID (or "root")."""
        return f"{self.account_id}/{self.user_id or 'root'}"

    def signed_out(self) -> ConsoleSession:
        """A new session that keeps the role history for the next sign-in of the same user
        from this browser: "The last several roles that you used appear on the menu. The
        next time you need to switch to one of those roles, you can simply choose the role"
        ("Switch from a user to an IAM role (console)"); AWS keeps it in the browser, not in
        the sign-in."""
        owner = self.principal_key if self.signed_in else self.history_of
        return replace(new_session(), history=self.history, history_of=owner if self.history else "")

    def history_for(self, signed: ConsoleSession) -> tuple[SwitchedRole, ...]:
        """The history this (signed-out) browser kept for ``signed``, the user signing in."""
        return self.history if self.history_of and self.history_of == signed.principal_key else ()


def role_session_seconds(max_session_duration: int, sign_in_remaining: float) -> int:
    """DurationSeconds of a console switch: the role's maximum, or what remains of the
    sign-in when that is less, but at least AssumeRole's minimum."""
    return max(MIN_ROLE_SECONDS, min(max_session_duration, int(sign_in_remaining)))


def new_session() -> ConsoleSession:
    return ConsoleSession(csrf=secrets.token_urlsafe(32))


class SessionCodec:
    def __init__(self, keys: list[bytes]) -> None:
        self._box = SecretBox(keys)

    def __repr__(self) -> str:
        return "SessionCodec(<sealed>)"

    def seal(self, session: ConsoleSession) -> str:
        # UTF-8 rather than \u escapes: a display name in another script takes 2 to 4 bytes a
        # character instead of 6 to 12.
        plain = json.dumps(asdict(session), separators=(",", ":"), ensure_ascii=False).encode("utf-8", "replace")
        return base64.urlsafe_b64encode(self._box.seal(plain, _CONTEXT)).decode("ascii").rstrip("=")

    def open(self, cookie: str) -> ConsoleSession | None:
        """The session in a cookie, or None for anything that is not one of ours."""
        if not cookie or len(cookie) > MAX_COOKIE_CHARS:
            return None
        try:
            raw = base64.urlsafe_b64decode(cookie + "=" * (-len(cookie) % 4))
            data: dict[str, Any] = json.loads(self._box.open(raw, _CONTEXT))
            role = data.pop("role")
            history = data.pop("history")
            return ConsoleSession(
                **data,
                role=SwitchedRole(**role) if role else None,
                history=tuple(SwitchedRole(**entry) for entry in history),
            )
        except (SealError, binascii.Error, ValueError, TypeError, KeyError):
            return None

    def seal_field(self, session: ConsoleSession, name: str, value: str) -> str:
        """``value`` sealed for a hidden form field ``name`` of a page of ``session``."""
        raw = value.encode("utf-8", "replace")
        plain = struct.pack(">I", len(raw)) + raw
        plain += bytes(-len(plain) % _FIELD_BLOCK)
        return base64.urlsafe_b64encode(self._box.seal(plain, _field_context(session, name))).decode("ascii")

    def open_field(self, session: ConsoleSession, name: str, sealed: str) -> str | None:
        """The value of a field ``seal_field`` sealed in this session; None for anything else
        (another session's, another field's, a changed byte)."""
        if not sealed or len(sealed) > MAX_COOKIE_CHARS:
            return None
        try:
            plain = self._box.open(base64.urlsafe_b64decode(sealed), _field_context(session, name))
            (length,) = struct.unpack(">I", plain[:4])
            return plain[4 : 4 + length].decode("utf-8")
        except (SealError, binascii.Error, ValueError, struct.error):
            return None

    def cookie_header(self, session: ConsoleSession, secure: bool = False) -> tuple[str, str]:
        """The Set-Cookie header; the oldest history entries are left out until it fits a
        browser's limit. INVARIANT: it fits with an empty history (the active role's
        credentials and names take about 2 KiB, see tests/console/test_console_review.py).
        ``secure``: the browser reached the console over HTTPS (through a proxy), so the
        cookie is marked Secure and never goes out over plain HTTP."""
        flags = "; Secure" if secure else ""
        while True:
            header = f"{COOKIE}={self.seal(session)}; Path=/console; HttpOnly; SameSite=Lax{flags}"
            if len(header.encode()) <= MAX_SET_COOKIE_BYTES or not session.history:
                return ("set-cookie", header)
            session = replace(session, history=session.history[:-1])


def _field_context(session: ConsoleSession, name: str) -> bytes:
    return b"\x00".join((_FIELD_CONTEXT, name.encode(), session.csrf.encode(), session.principal_key.encode()))

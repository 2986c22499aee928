"""The console session: who signed in, the role switched to, the role history, the CSRF
token; sealed into one cookie with AES-GCM (``store.crypto.SecretBox`` under a key derived
for this purpose), so any replica reads it without a store lookup and a changed byte
does not open.

Lifetimes, as AWS's console: an IAM user's or root user's console session lasts 12 hours
("Permissions required to use the AWS Management Console"; the sign-in session); a
switched role uses the role's temporary credentials, one hour ("Switch to an IAM role
(console)": "The session duration is one hour"), and the console goes back to the signed-in
identity when they expire. The history keeps the last five roles ("the console stores the
last five roles").

The cookie is HttpOnly, SameSite=Lax and scoped to /console; it is not marked Secure
because the server speaks plain HTTP on loopback.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import secrets
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from typing import Any

from ..store.crypto import SealError, SecretBox

COOKIE = "iamsandbox_console"
SIGN_IN_SECONDS = 12 * 3600
SWITCH_ROLE_SECONDS = 3600
HISTORY = 5
_CONTEXT = b"iamsandbox console session"
MAX_COOKIE_CHARS = 8192

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
    root: bool = False
    signed_in_at: int = 0
    expires_at: int = 0
    mfa_at: int | None = None  # when the sign-in used an MFA code
    password_reset: bool = False  # signed in, but must change the password first
    role: SwitchedRole | None = None
    history: tuple[SwitchedRole, ...] = ()
    failures: int = 0  # failed sign-ins from this browser, for the delay

    @property
    def signed_in(self) -> bool:
        return bool(self.account_id)

    def expired(self, now: datetime) -> bool:
        return self.signed_in and now.timestamp() >= self.expires_at

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


def new_session() -> ConsoleSession:
    return ConsoleSession(csrf=secrets.token_urlsafe(32))


class SessionCodec:
    def __init__(self, keys: list[bytes]) -> None:
        self._box = SecretBox(keys)

    def __repr__(self) -> str:
        return "SessionCodec(<sealed>)"

    def seal(self, session: ConsoleSession) -> str:
        plain = json.dumps(asdict(session), separators=(",", ":")).encode()
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

    def cookie_header(self, session: ConsoleSession) -> tuple[str, str]:
        return ("set-cookie", f"{COOKIE}={self.seal(session)}; Path=/console; HttpOnly; SameSite=Lax")

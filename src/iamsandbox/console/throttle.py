"""Failed console sign-ins slow the next ones down, without blocking the server.

A failed sign-in (a wrong account, user name, password or MFA code: the page never says
which) counts twice: against the browser's console session (its cookie keeps ``failures``
and ``failed_at``) and against the account and name that were tried (here, in the memory
of the process that owns the ``Console``). After ``FREE`` failures, each further one makes
the next attempt wait: 2 s, then twice as long each time, up to ``CAP`` s. An attempt made
while waiting is refused at once, without looking at the password ("Too many failed
attempts. Wait N seconds, then try again."); nothing sleeps, so the event loop that also
serves the API is never held up. A success clears both counts.

Names that do not exist are counted like names that do, so the delays say nothing about
which accounts or users exist. Known gaps: the per-name counts live in one process
(replicas count separately) and are forgotten ``FORGET`` seconds after the last failure;
at most ``MAX_NAMES`` names are remembered (the oldest go first). Someone who knows a
user name can keep that user waiting (at most ``CAP`` s per attempt) by failing on
purpose: the price of the per-name count.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict

FREE = 3
FIRST_DELAY = 2
CAP = 30
FORGET = 15 * 60
MAX_NAMES = 10_000


def delay_after(failures: int) -> int:
    """Seconds the next attempt waits after this many failures in a row."""
    if failures <= FREE:
        return 0
    return min(CAP, FIRST_DELAY << (failures - FREE - 1))


def wait_left(failures: int, failed_at: float, now: float) -> int:
    """Whole seconds still to wait (0: an attempt may be made now)."""
    left = failed_at + delay_after(failures) - now
    return math.ceil(left) if left > 0 else 0


class SignInThrottle:
    """Failure counts by account and name (``key``), for one process."""

    def __init__(self) -> None:
        self._names: OrderedDict[str, tuple[int, float]] = OrderedDict()  # key -> (failures, last failure)
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"SignInThrottle({len(self._names)} names)"

    def wait(self, key: str, now: float) -> int:
        with self._lock:
            found = self._names.get(key)
            if found is None:
                return 0
            failures, last = found
            if now - last >= FORGET:
                del self._names[key]
                return 0
            return wait_left(failures, last, now)

    def failed(self, key: str, now: float) -> int:
        """Count a failure; the number of failures in a row for this key."""
        with self._lock:
            failures, last = self._names.pop(key, (0, now))
            failures = 1 if now - last >= FORGET else failures + 1
            self._names[key] = (failures, now)
            while len(self._names) > MAX_NAMES:
                self._names.popitem(last=False)
            return failures

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._names.pop(key, None)


def name_key(account_id: str, user_name: str | None) -> str:
    """The per-name key: the account and the IAM user name (case-insensitive, as IAM's
    names are), or the account's root user."""
    return f"{account_id.lower()}/{'<root>' if user_name is None else 'user:' + user_name.lower()}"

"""The result of evaluating a request: a value, not an exception.

"Policy evaluation logic" ends in one of three results: allowed, an explicit deny, or an
implicit deny (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
A ``Decision`` also says which statements decided it, which context keys the policies
asked for but the request lacked, and the reason in the words of AWS's AccessDenied
messages ("Troubleshoot access denied error messages",
https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html):
"with an explicit deny in a service control policy", "because no identity-based policy
allows the s3:PutObject action", and so on.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import NamedTuple

from .ast import Span


class PolicyType(enum.Enum):
    """The kinds of policy a decision can name, with AWS's words for them."""

    SCP = "service control policy"
    RCP = "resource control policy"
    RESOURCE = "resource-based policy"
    IDENTITY = "identity-based policy"
    BOUNDARY = "permissions boundary"
    SESSION = "session policy"

    @property
    def with_article(self) -> str:
        return ("an " if self.value[0] in "aeiou" else "a ") + self.value


@dataclass(slots=True, unsafe_hash=True)
class MatchedStatement:
    policy_id: str  # the caller's name for the policy: an ARN, "PolicyInputList.1", ...
    policy_type: PolicyType
    index: int  # 0-based position of the statement in its policy
    sid: str | None
    effect: str
    span: Span | None = None

    def __repr__(self) -> str:
        sid = f" {self.sid!r}" if self.sid else ""
        return f"<{self.effect} {self.policy_type.name} {self.policy_id}#{self.index}{sid}>"


ALLOWED = "allowed"
EXPLICIT_DENY = "explicitDeny"
IMPLICIT_DENY = "implicitDeny"


class Decision(NamedTuple):
    """A decision; a named tuple because one is made per request (cheaper than a
    frozen dataclass)."""

    value: str  # ALLOWED, EXPLICIT_DENY or IMPLICIT_DENY (the simulator's EvalDecision)
    action: str
    matched: tuple[MatchedStatement, ...] = ()
    missing_context_keys: tuple[str, ...] = ()
    denied_by: PolicyType | None = None  # which kind of policy denied (or failed to allow)
    allowed_by_boundary: bool | None = None  # None: no permissions boundary applied
    allowed_by_organizations: bool | None = None  # None: no SCPs applied

    @property
    def allowed(self) -> bool:
        return self.value == ALLOWED

    @property
    def reason(self) -> str:
        """The tail of AWS's AccessDenied message; empty when allowed."""
        if self.denied_by is None:
            return ""
        if self.value == EXPLICIT_DENY:
            return f"with an explicit deny in {self.denied_by.with_article}"
        return f"because no {self.denied_by.value} allows the {self.action} action"

    def __repr__(self) -> str:
        extra = f", {self.reason!r}" if self.reason else ""
        return f"Decision({self.value}{extra}, matched={list(self.matched)!r})"

"""What an operation handler receives: the call's context, and the shape of a handler.

A handler is ``def create_role(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]``:
``params`` are the operation's input members as botocore's client would pass them, already
parsed and validated against the service model by ``protocol``, and already authorized
for the table's action and resource by ``authz`` (the pipeline does both before calling).
The result is a dict of the operation's output shape; ``protocol`` serializes it. AWS
errors are raised as ``errors.ServiceError`` subclasses. A handler does its work through
``ctx.tx``, one store transaction for the whole call (rolled back if it raises).

Checks that go beyond the table's one action and resource (the source object of
CopyObject, each key of DeleteObjects, iam:PassRole) call ``ctx.authorize``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..auth.session_token import SessionTokenCodec
from ..authz.context import Caller
from ..cli.catalog import Catalog
from ..store.interface import Transaction
from .cloudtrail.events import Trail
from .iam.last_accessed import LastAccessed
from .iam.managed_policies import ManagedPolicies
from .sts.oidc_token import JwksCache

Handler = Callable[["CallContext", dict[str, Any]], dict[str, Any]]
# authorize(action, resource ARN, extra condition keys) -> None, or raises AccessDenied.
Authorize = Callable[[str, str, Mapping[str, str | list[str]]], None]


def _allow_all(_action: str, _resource: str, _keys: Mapping[str, str | list[str]]) -> None:
    return None


@dataclass(frozen=True)
class Shared:
    """The long-lived parts every call may use; the app owns one."""

    managed_policies: ManagedPolicies
    tokens: SessionTokenCodec
    # OIDC issuers' key sets (AssumeRoleWithWebIdentity), cached a few minutes per process.
    jwks: JwksCache = field(default_factory=JwksCache)
    # The Service Authorization Reference's catalog, each service loaded once per process
    # (reports read hundreds of services' actions).
    catalog: Catalog = field(default_factory=Catalog)
    # Service last accessed data noted by the request path, not yet written to the store.
    last_accessed: LastAccessed = field(default_factory=LastAccessed)
    # CloudTrail events of the calls made, not yet written to the store (``cloudtrail/events.py``).
    trail: Trail = field(default_factory=Trail)
    # (Generated reports, GenerateServiceLastAccessedDetails' jobs and credential reports,
    # are in the store, where every replica finds them: ``iam/advisor_jobs.py``.)


@dataclass
class CallContext:
    tx: Transaction
    caller: Caller
    account_id: str  # the account the call acts in: the caller's
    region: str
    now: datetime
    request_id: str
    shared: Shared
    authorize: Authorize = field(default=_allow_all)
    # Set when the call runs in the request's read unit: the writes ``after`` keeps for a
    # write unit of their own, right after it.
    deferred: list[Callable[[Transaction], None]] | None = None
    # What the request's own credential proved (``server.identity.Identity.proof``).
    proof: Any = None

    def after(self, write: Callable[[Transaction], None]) -> None:
        """Bookkeeping that need not be atomic with the call (a last-used time): done in the
        call's own write unit, or, when the call only read, in one of its own after it."""
        if self.deferred is None:
            write(self.tx)
        else:
            self.deferred.append(write)

"""Service last accessed data as requests make it: which user or role attempted to access
which service (and tracked action), when and from which Region. The app owns one
``LastAccessed``; the request path notes each attempt in memory (a dict update), and the
notes reach the store (``Transaction.record_service_access``) every few seconds, in a
write unit of their own after a request, and always before a report is generated
(``access_advisor.py`` reads them).

What is recorded, from "Refine permissions in AWS using last accessed information" (IAM
User Guide, https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_last-accessed.html)
and GenerateServiceLastAccessedDetails (IAM API Reference):

- "The service last accessed data includes all attempts to access an AWS API, not just the
  successful attempts": a denied request counts as an allowed one; the note is made once the
  request is authenticated and parsed, before it is authorized.
- "The last accessed information for IAM includes IAM resources (roles, users, IAM groups,
  and policies) in your account ... The last accessed information does not include
  unauthenticated attempts": the attempts of IAM users and of roles (a role session's attempt
  counts for its role; a GetFederationToken session's, for the IAM user who federated).
  The root user is no IAM entity and is not recorded (its attempts show only in AWS
  Organizations' reports, "principals (IAM users, IAM roles, or the AWS account root user)").
- "Recent activity appears in the IAM console within four hours": notes are written every
  ``FLUSH_INTERVAL`` (seconds), which is well within that.
- Action level: "Action last accessed information is available for service management
  actions accessed by IAM identities ... Action last accessed information is not available
  for any data plane event", and "The iam:PassRole action is not tracked". Of the services
  served here: IAM's actions (IAM is one of the services whose actions are tracked: "The
  tracking period for Amazon EC2, IAM, and Lambda actions began on April 7, 2021"), and
  Amazon S3's management actions, not its data events (the Service Authorization Reference's
  service reference example, "Simplified AWS service information for programmatic access",
  marks s3:GetObject and s3:ListBucket "IAM Action Last Accessed": false).

Unconfirmed (the pages are silent, or their list of tracked actions could not be read):
- which IAM actions are tracked: here all of them but iam:PassRole, reads as well as writes;
- which S3 actions are management actions: here every S3 action whose resource is no
  object and that does not list a bucket's objects (ListBucket, ListBucketVersions,
  ListBucketMultipartUploads: CloudTrail data events), ListAllMyBuckets included;
- STS: recorded at the service level only (no STS action is tracked here);
- a request whose parameters do not parse is not recorded (it names no action).

Known gaps: notes live in the server process until written: a process that is killed loses
at most its last few seconds; each replica writes its own, so a report generated on one
replica sees another's attempts only once that replica has written them.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from datetime import datetime, timedelta
from functools import cached_property
from typing import Any

from ...cli.catalog import Catalog
from ...store.interface import ServiceAccess, Transaction

# Written at most this often from the request path (each write is one write unit).
FLUSH_INTERVAL = timedelta(seconds=5)
# At most this many (entity, service, action) notes wait in memory: past it, a new one is
# dropped until the next write (each user or role has a few dozen at most; this bounds the
# memory of a flood of new entities between two writes).
MAX_PENDING = 50_000

# The services whose actions are tracked, of those this server serves.
TRACKED_SERVICES = ("iam", "s3")
# S3 actions on a bucket that list its objects: data events, not management events.
_S3_DATA_LISTINGS = frozenset({"listbucket", "listbucketversions", "listbucketmultipartuploads"})


def is_tracked(service: str, details: Mapping[str, Any]) -> bool:
    """Whether the catalog's action ``details`` (Service Authorization Reference) of
    ``service`` is a tracked action (the module's docstring says why)."""
    name = str(details.get("name", "")).lower()
    if service == "iam":
        return name != "passrole"
    if service == "s3":
        kinds = [str(resource.get("name", "")) for resource in details.get("resourceTypes", ())]
        return not any("object" in kind.lower() for kind in kinds) and name not in _S3_DATA_LISTINGS
    return False


def tracked_actions(catalog: Catalog, service: str) -> list[str]:
    """The tracked actions of ``service`` by name ("CreateBucket"), in the catalog's order."""
    if service not in TRACKED_SERVICES:
        return []
    return [str(details["name"]) for details in catalog.actions(service).values() if is_tracked(service, details)]


class LastAccessed:
    """The attempts noted since the last write, by (entity id, service, action); action ""
    is the service as a whole. Handlers run on the event loop's thread today, but may move
    to worker threads: the lock keeps a note and a take atomic either way."""

    def __init__(self, interval: timedelta = FLUSH_INTERVAL, limit: int = MAX_PENDING) -> None:
        self._lock = threading.Lock()
        self._pending: dict[tuple[str, str, str], tuple[datetime, str]] = {}  # (when, Region)
        self._first: datetime | None = None  # when the oldest pending note was made
        self._interval = interval
        self._limit = limit
        self.dropped = 0  # notes dropped because ``limit`` were pending

    def __repr__(self) -> str:
        return f"LastAccessed({len(self._pending)} pending, {self.dropped} dropped)"

    @cached_property
    def _tracked(self) -> dict[str, str]:
        """Tracked actions by lower-case "service:action", to their names."""
        catalog = Catalog()
        return {
            f"{service}:{name}".lower(): name
            for service in TRACKED_SERVICES
            for name in tracked_actions(catalog, service)
        }

    def note(self, entity_id: str, service: str, action: str, when: datetime, region: str) -> None:
        """An attempt of user or role ``entity_id`` to call ``action`` ("s3:CreateBucket")
        of ``service``: O(1), in memory (a dict update or two)."""
        tracked = self._tracked.get(action.lower())
        seen = (when, region)
        with self._lock:
            self._keep((entity_id, service, ""), seen)
            if tracked is not None:
                self._keep((entity_id, service, tracked), seen)
            if self._first is None:
                self._first = when

    def _keep(self, key: tuple[str, str, str], seen: tuple[datetime, str]) -> None:
        """Under the lock: ``seen`` for ``key`` unless a later one is there, or no room is."""
        before = self._pending.get(key)
        if before is None:
            if len(self._pending) >= self._limit:
                self.dropped += 1
                return
        elif seen[0] < before[0]:
            return
        self._pending[key] = seen

    def due(self, now: datetime) -> bool:
        """Whether the pending notes should be written now (the oldest is ``interval`` old,
        or the limit is reached). Read without the lock: a stale answer only moves a write
        to the next request."""
        first = self._first
        return first is not None and (now - first >= self._interval or len(self._pending) >= self._limit)

    def take(self) -> list[ServiceAccess]:
        """The pending notes, which are pending no longer."""
        with self._lock:
            pending, self._pending, self._first = self._pending, {}, None
        return [
            ServiceAccess(entity, service, action, when, region)
            for (entity, service, action), (when, region) in pending.items()
        ]

    def flush(self, tx: Transaction) -> None:
        """Write the pending notes in ``tx`` (before a report reads the store)."""
        accesses = self.take()
        if accesses:
            tx.record_service_access(accesses)

"""CloudTrail events as the request path makes them: ``Recorded`` (one API call as the
pipeline saw it), ``is_management_event`` (which calls event history keeps) and ``Trail``
(the calls noted in memory until they are written to the store as event documents; the
console's sign-in events, ``signin.SignIn``, are noted and written with them).

"Working with CloudTrail event history" (CloudTrail User Guide): "The Event history page
... provides a viewable, searchable, downloadable, and immutable record of the past 90 days
of management events in an AWS Region". Data events are not in event history ("Logging
data events": "By default, trails and event data stores do not log data events").
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from ...authz.context import Caller
from ...policy.request import PrincipalKind
from ...store.interface import TrailEvent, Transaction
from .document import build_events
from .signin import SignIn, build_sign_in_event

# Amazon S3's object-level operations: data events ("Logging data events", CloudTrail User
# Guide: "Amazon S3 object-level API activity (for example, GetObject, DeleteObject, and
# PutObject API operations) on buckets and objects in buckets"; "Amazon S3 data events
# logged by CloudTrail" (Amazon S3 User Guide) also lists the object listings ListObjects,
# ListObjectsV2, ListObjectVersions, ListMultipartUploads and ListParts as data events).
S3_DATA_EVENTS = frozenset(
    {
        "AbortMultipartUpload",
        "CompleteMultipartUpload",
        "CopyObject",
        "CreateMultipartUpload",
        "DeleteObject",
        "DeleteObjects",
        "DeleteObjectTagging",
        "GetObject",
        "GetObjectAcl",
        "GetObjectAttributes",
        "GetObjectLegalHold",
        "GetObjectRetention",
        "GetObjectTagging",
        "GetObjectTorrent",
        "HeadObject",
        "ListMultipartUploads",
        "ListObjects",
        "ListObjectsV2",
        "ListObjectVersions",
        "ListParts",
        "PutObject",
        "PutObjectAcl",
        "PutObjectLegalHold",
        "PutObjectRetention",
        "PutObjectTagging",
        "RestoreObject",
        "SelectObjectContent",
        "UploadPart",
        "UploadPartCopy",
    }
)

# Services whose every operation is a management event: "CloudTrail captures all API calls
# for IAM and AWS STS as events" and "All IAM and AWS STS actions are logged by CloudTrail"
# ("Logging IAM and AWS STS API calls with AWS CloudTrail", IAM User Guide); GetCallerIdentity
# included (it is an STS action; the page names no exception).
_MANAGEMENT_SERVICES = frozenset({"iam", "sts", "organizations", "cloudtrail"})


@dataclass(slots=True)
class Recorded:
    """One API call as the pipeline saw it; the event document is built from it at write time.
    Not frozen: a frozen dataclass's __init__ sets each of its 15 fields through
    object.__setattr__, which cost the request path ~25k instructions per call
    (``bench/instructions.py``); nothing changes a Recorded once noted."""

    time: datetime  # call.now (UTC)
    service: str  # "iam", "sts", "s3", "organizations", "cloudtrail"
    operation: str  # "CreateUser", "AssumeRole", ...
    region: str  # call.requested_region (IAM, Organizations: us-east-1)
    source_ip: str
    user_agent: str | None
    caller: Caller  # authz.context.Caller (ANONYMOUS's for unsigned calls)
    access_key_id: str | None  # the key that signed (AKIA.../ASIA...), None when unsigned
    request_id: str
    params: Mapping[str, Any]  # the parsed parameters (botocore names), not yet sanitized
    result: Mapping[str, Any] | None  # the handler's result dict, None on an error
    error_code: str | None
    error_message: str | None
    resource_arn: str | None  # the table's target ARN when the call got that far ("*" possible)
    resource_account: str | None  # its account (another account: the event goes to both)

    def __repr__(self) -> str:  # params and result may hold secrets: never shown
        return (
            f"Recorded({self.service}:{self.operation} by {self.caller.arn!r} at "
            f"{self.time.isoformat()}, {self.error_code or 'ok'})"
        )


def is_management_event(service: str, operation: str) -> bool:
    """Whether a call of ``operation`` of ``service`` is a management event that event
    history keeps (the module's docstring and ``S3_DATA_EVENTS`` say why)."""
    if service == "s3":
        return operation not in S3_DATA_EVENTS
    return service in _MANAGEMENT_SERVICES


# Written at most this often from the request path (each write is one write unit), or as soon
# as BATCH calls wait: what waits is kept small (a call's parameters and result are held until
# written: 5 s of AssumeRole at full speed held ~13 MiB of memory that the process kept).
FLUSH_INTERVAL = timedelta(seconds=1)
BATCH = 500
# At most this many calls wait in memory: past it, a new one is dropped until the next write.
MAX_PENDING = 10_000
# "The Event history page ... provides a ... record of the past 90 days of management events"
# ("Working with CloudTrail event history"): older events are deleted when events are written.
RETENTION = timedelta(days=90)


class Trail:
    """The calls noted since the last write. Handlers run on the event loop's thread today,
    but may move to worker threads: the lock keeps a note and a take atomic either way."""

    def __init__(self, interval: timedelta = FLUSH_INTERVAL, limit: int = MAX_PENDING, batch: int = BATCH) -> None:
        self._lock = threading.Lock()
        self._pending: list[Recorded | SignIn] = []
        self._first: datetime | None = None  # when the oldest pending call was noted
        self._interval = interval
        self._limit = limit
        self._batch = batch
        self.dropped = 0  # calls dropped because ``limit`` were pending

    def __repr__(self) -> str:
        return f"Trail({len(self._pending)} pending, {self.dropped} dropped)"

    def note(self, recorded: Recorded | SignIn) -> None:
        """One call (or console sign-in event), in memory (an append)."""
        with self._lock:
            if len(self._pending) >= self._limit:
                self.dropped += 1
                return
            self._pending.append(recorded)
            if self._first is None:
                self._first = recorded.time

    def due(self, now: datetime) -> bool:
        """Whether the pending calls should be written now (the oldest is ``interval`` old,
        or BATCH calls wait). Read without the lock: a stale answer only moves a write
        to the next request."""
        first = self._first
        return first is not None and (now - first >= self._interval or len(self._pending) >= self._batch)

    def take(self) -> list[Recorded | SignIn]:
        """The pending calls, which are pending no longer."""
        with self._lock:
            pending, self._pending, self._first = self._pending, [], None
        return pending

    def write(self, tx: Transaction) -> int:
        """Build the pending calls' events and store them in ``tx`` (events older than
        ``RETENTION`` go); how many events were written."""
        recorded = self.take()
        if not recorded:
            return 0
        return write_events(tx, recorded)


def write_events(tx: Transaction, recorded: list[Recorded | SignIn]) -> int:
    """Store the events of ``recorded`` calls in ``tx``: one per call in the caller's account,
    and one in the resource's account when that is another account that exists here; a
    sign-in event in the account it names."""
    aliases: dict[str, str | None] = {}
    exists: dict[str, bool] = {}
    events: list[TrailEvent] = []
    newest = recorded[0].time
    for call in recorded:
        newest = max(newest, call.time)
        if isinstance(call, SignIn):
            events.append(build_sign_in_event(call))
            continue
        account = call.caller.account
        alias = None
        if call.caller.kind is PrincipalKind.ROOT and account is not None:
            if account not in aliases:
                found = tx.get_account(account)
                aliases[account] = found.alias if found is not None else None
            alias = aliases[account]
        other = call.resource_account
        alive = False
        if other and other != account:
            if other not in exists:
                exists[other] = tx.get_account(other) is not None
            alive = exists[other]
        events.extend(build_events(call, alias, alive))
    tx.expire_trail_events(newest - RETENTION)
    tx.add_trail_events(events)
    return len(events)

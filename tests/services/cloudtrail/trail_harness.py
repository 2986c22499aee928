"""Helpers of the CloudTrail tests (a uniquely named module): ``Recorded`` calls built
directly, written with ``Trail.write`` into a real SQLite store, and LookupEvents called as
its handler, each answer checked against the operation's output shape in botocore's
cloudtrail model."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import botocore.session
from botocore.model import ServiceModel
from services_harness import check_shape

from iamsandbox.auth.session_token import SessionTokenCodec
from iamsandbox.authz.context import Caller
from iamsandbox.policy.request import PrincipalKind
from iamsandbox.services.cloudtrail.events import Recorded, Trail
from iamsandbox.services.cloudtrail.handlers import HANDLERS
from iamsandbox.services.context import CallContext, Shared
from iamsandbox.services.iam.managed_policies import ManagedPolicies
from iamsandbox.store import SqlStore

TRUSTING = "111111111111"  # account A: owns the role
TRUSTED = "222222222222"  # account B: its user assumes A's role
MODEL: ServiceModel = botocore.session.get_session().get_service_model("cloudtrail")
SHARED = Shared(managed_policies=ManagedPolicies(), tokens=SessionTokenCodec([os.urandom(32)]))
NOW = datetime(2026, 5, 4, 12, 0, 0, tzinfo=UTC)

ALICE = Caller(
    f"arn:aws:iam::{TRUSTED}:user/Alice",
    PrincipalKind.USER,
    TRUSTED,
    unique_id="AIDAJ45Q7YFFAREXAMPLE",
    name="Alice",
)
ROOT_A = Caller(f"arn:aws:iam::{TRUSTING}:root", PrincipalKind.ROOT, TRUSTING)
SESSION_A = Caller(
    f"arn:aws:sts::{TRUSTING}:assumed-role/Reader/alice-session",
    PrincipalKind.ROLE_SESSION,
    TRUSTING,
    unique_id="AROAIDPPEZS35WEXAMPLE",
    name="alice-session",
    role_arn=f"arn:aws:iam::{TRUSTING}:role/Reader",
    temporary=True,
    token_issued=NOW - timedelta(minutes=5),
)


def recorded(
    caller: Caller,
    service: str,
    operation: str,
    params: Mapping[str, Any] | None = None,
    result: Mapping[str, Any] | None = None,
    *,
    when: datetime = NOW,
    key: str | None = "AKIAIOSFODNN7EXAMPLE",
    resource_arn: str | None = None,
    error: tuple[str, str] | None = None,
    region: str = "us-east-1",
) -> Recorded:
    """One call; the resource's account is the one in ``resource_arn``."""
    account = None
    if resource_arn and resource_arn != "*":
        account = resource_arn.split(":")[4] or None
    return Recorded(
        time=when,
        service=service,
        operation=operation,
        region=region,
        source_ip="192.0.2.101",
        user_agent="aws-cli/2.15.0",
        caller=caller,
        access_key_id=key,
        request_id=str(uuid.uuid4()),
        params=dict(params or {}),
        result=None if error else dict(result or {}),
        error_code=error[0] if error else None,
        error_message=error[1] if error else None,
        resource_arn=resource_arn,
        resource_account=account,
    )


class Lookup:
    """``write(*calls)`` stores calls; ``lookup(account, **params)`` is one LookupEvents."""

    def __init__(self, store: SqlStore) -> None:
        self.store = store

    def write(self, *calls: Recorded) -> None:
        trail = Trail()
        for call in calls:
            trail.note(call)
        with self.store.transaction() as tx:
            trail.write(tx)

    def __call__(
        self, account: str = TRUSTING, region: str = "us-east-1", now: datetime = NOW, **params: Any
    ) -> dict[str, Any]:
        caller = Caller(f"arn:aws:iam::{account}:root", PrincipalKind.ROOT, account)
        with self.store.transaction() as tx:
            ctx = CallContext(tx, caller, account, region, now, str(uuid.uuid4()), SHARED)
            out = HANDLERS["LookupEvents"](ctx, params)
        check_shape(MODEL.operation_model("LookupEvents").output_shape, out, "LookupEvents")
        return out

    def documents(self, account: str = TRUSTING, **params: Any) -> list[dict[str, Any]]:
        """The CloudTrailEvent documents of one page, parsed."""
        return [json.loads(event["CloudTrailEvent"]) for event in self(account, **params)["Events"]]


def later(call: Recorded, minutes: int) -> Recorded:
    return replace(call, time=call.time + timedelta(minutes=minutes), request_id=str(uuid.uuid4()))

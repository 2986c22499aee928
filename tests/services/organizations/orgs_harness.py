"""Helpers of the Organizations handler tests (a uniquely named module): call the handlers
directly on a real SQLite store as the root user of an account, and check every answer
against the operation's output shape in botocore's organizations model."""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime
from typing import Any

import botocore.session
from botocore.model import ServiceModel
from services_harness import check_shape

from iamsandbox.auth.session_token import SessionTokenCodec
from iamsandbox.authz.context import Caller
from iamsandbox.policy.request import PrincipalKind
from iamsandbox.services.context import CallContext, Shared
from iamsandbox.services.iam.managed_policies import ManagedPolicies
from iamsandbox.services.organizations.handlers import HANDLERS
from iamsandbox.store import SqlStore

MANAGEMENT = "111111111111"
MEMBER = "222222222222"
OUTSIDER = "333333333333"
MODEL: ServiceModel = botocore.session.get_session().get_service_model("organizations")
SHARED = Shared(managed_policies=ManagedPolicies(), tokens=SessionTokenCodec([os.urandom(32)]))
DENY_S3 = '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"*"}]}'


class Orgs:
    """``orgs("CreateOrganization", account=MANAGEMENT, **params)``: one call, one transaction."""

    def __init__(self, store: SqlStore) -> None:
        self.store = store
        self.now = datetime.now(UTC)

    def __call__(self, operation: str, account: str = MANAGEMENT, **params: Any) -> dict[str, Any]:
        caller = Caller(f"arn:aws:iam::{account}:root", PrincipalKind.ROOT, account)
        with self.store.transaction() as tx:
            ctx = CallContext(tx, caller, account, "us-east-1", self.now, str(uuid.uuid4()), SHARED)
            out = HANDLERS[operation](ctx, params)
        shape = MODEL.operation_model(operation).output_shape
        if shape is None:
            assert out == {}, operation
        else:
            check_shape(shape, out, operation)
        return out

    def organization(self) -> tuple[str, str]:
        """A new organization of MANAGEMENT: (its id, its root id)."""
        org = self("CreateOrganization")["Organization"]
        return org["Id"], self("ListRoots")["Roots"][0]["Id"]

    def join(self, account: str) -> None:
        """``account`` joins MANAGEMENT's organization by invitation."""
        shake = self("InviteAccountToOrganization", Target={"Type": "ACCOUNT", "Id": account})["Handshake"]
        self("AcceptHandshake", account=account, HandshakeId=shake["Id"])

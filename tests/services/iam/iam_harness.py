"""Helpers of the IAM handler tests (a uniquely named module, imported by them and by
conftest.py): call IAM handlers directly on a real SQLite store, and check every answer against the
operation's output shape in botocore's IAM model."""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime
from typing import Any

from botocore.model import ListShape, Shape, StructureShape

from iamsandbox.auth.session_token import SessionTokenCodec
from iamsandbox.authz.context import Caller
from iamsandbox.policy.request import PrincipalKind
from iamsandbox.protocol.model import ServiceModels
from iamsandbox.services.context import CallContext, Shared
from iamsandbox.services.iam.handlers import HANDLERS
from iamsandbox.services.iam.managed_policies import ManagedPolicies
from iamsandbox.store import SqlStore

ACCOUNT = "111111111111"
OTHER = "222222222222"
MODELS = ServiceModels()
SHARED = Shared(managed_policies=ManagedPolicies(), tokens=SessionTokenCodec([os.urandom(32)]))


def check_shape(value: Any, shape: Shape, where: str) -> None:
    """Every member exists in the model's shape, required ones are there, types fit."""
    if isinstance(shape, StructureShape):
        assert isinstance(value, dict), where
        for name in value:
            assert name in shape.members, f"{where}.{name} is not a member of {shape.name}"
            check_shape(value[name], shape.members[name], f"{where}.{name}")
        for name in shape.required_members:
            assert name in value, f"{where}: required {name} missing"
    elif isinstance(shape, ListShape):
        assert isinstance(value, list), where
        for i, item in enumerate(value):
            check_shape(item, shape.member, f"{where}[{i}]")
    elif shape.type_name == "timestamp":
        assert isinstance(value, datetime), where
    elif shape.type_name == "string":
        assert isinstance(value, str), where
    elif shape.type_name in ("integer", "long"):
        assert isinstance(value, int) and not isinstance(value, bool), where
    elif shape.type_name == "boolean":
        assert isinstance(value, bool), where
    elif shape.type_name == "blob":
        assert isinstance(value, bytes), where


class Iam:
    def __init__(self, store: SqlStore) -> None:
        self.store = store
        self.account = ACCOUNT
        self.caller = Caller(f"arn:aws:iam::{ACCOUNT}:root", PrincipalKind.ROOT, ACCOUNT)
        self.now = datetime.now(UTC)

    def as_user(self, name: str, account: str = ACCOUNT) -> None:
        self.account = account
        self.caller = Caller(f"arn:aws:iam::{account}:user/{name}", PrincipalKind.USER, account, name=name)

    def __call__(self, operation: str, **params: Any) -> dict[str, Any]:
        with self.store.transaction() as tx:
            ctx = CallContext(tx, self.caller, self.account, "us-east-1", self.now, str(uuid.uuid4()), SHARED)
            out = HANDLERS[operation](ctx, params)
        output = MODELS.operation("iam", operation).output_shape
        if output is None:
            assert out == {}, operation
        else:
            check_shape(out, output, operation)
        return out

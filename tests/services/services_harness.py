"""Helpers of the STS and S3 handler tests (a uniquely named module): a real SQLite store
in tmp_path, a session token codec with a random key, a way to call a handler in one
transaction, and a checker of results against botocore's output shapes."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from botocore.model import Shape

from iamsandbox.auth.session_token import SessionTokenCodec
from iamsandbox.authz.context import Caller
from iamsandbox.policy import PrincipalKind
from iamsandbox.protocol.model import ServiceModels
from iamsandbox.services.context import CallContext, Shared
from iamsandbox.services.iam.managed_policies import ManagedPolicies
from iamsandbox.store import SqlStore, open_store, sqlite_url

TRUSTING = "111111111111"
TRUSTED = "222222222222"
NOW = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
TRUST = (
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:root"},'
    '"Action":"sts:AssumeRole"}]}'
)

_MODELS = ServiceModels()
_MANAGED = ManagedPolicies()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqlStore]:
    opened = open_store(sqlite_url(tmp_path / "store.db"), [secrets.token_bytes(32)])
    with opened.transaction() as tx:
        tx.create_account(TRUSTING, "trusting")
        tx.create_account(TRUSTED, "trusted")
    yield opened
    opened.close()


@pytest.fixture
def codec() -> SessionTokenCodec:
    return SessionTokenCodec([secrets.token_bytes(32)])


@pytest.fixture
def shared(codec: SessionTokenCodec) -> Shared:
    return Shared(managed_policies=_MANAGED, tokens=codec)


Call = Callable[..., dict[str, Any]]


@pytest.fixture
def call(store: SqlStore, shared: Shared) -> Call:
    """``call(handler, caller, params, authorize=None)``: run a handler in one transaction."""

    def run(handler: Any, caller: Caller, params: dict[str, Any], **options: Any) -> dict[str, Any]:
        with store.transaction() as tx:
            ctx = CallContext(
                tx=tx,
                caller=caller,
                account_id=caller.account or TRUSTED,
                region=options.pop("region", "us-east-1"),
                now=options.pop("now", NOW),
                request_id="req-1",
                shared=shared,
                **options,
            )
            result: dict[str, Any] = handler(ctx, params)
            return result

    return run


def user_caller(store: SqlStore, name: str = "alice", account: str = TRUSTED) -> Caller:
    with store.transaction() as tx:
        user = tx.get_user(account, name) or tx.create_user(account, name)
    return Caller(arn=user.arn, kind=PrincipalKind.USER, account=account, unique_id=user.id, name=name)


def root_caller(account: str = TRUSTED) -> Caller:
    return Caller(arn=f"arn:aws:iam::{account}:root", kind=PrincipalKind.ROOT, account=account)


def check_shape(shape: Shape, value: Any, path: str = "") -> None:
    """Every returned member exists in the shape and has its type; required ones are present."""
    kind = shape.type_name
    if kind == "structure":
        assert isinstance(value, dict), path
        for name in shape.required_members:
            assert name in value, f"{path}.{name} is required"
        for name, item in value.items():
            assert name in shape.members, f"{path}.{name} is not a member of {shape.name}"
            if item is not None:
                check_shape(shape.members[name], item, f"{path}.{name}")
    elif kind == "list":
        assert isinstance(value, list), path
        for index, item in enumerate(value):
            check_shape(shape.member, item, f"{path}[{index}]")
    elif kind == "map":
        assert isinstance(value, dict), path
        for key, item in value.items():
            check_shape(shape.value, item, f"{path}.{key}")
    elif kind == "string":
        assert isinstance(value, str), path
        if shape.enum:
            assert value in shape.enum, path
    elif kind in ("integer", "long"):
        assert isinstance(value, int) and not isinstance(value, bool), path
    elif kind == "boolean":
        assert isinstance(value, bool), path
    elif kind == "timestamp":
        assert isinstance(value, datetime), path
    elif kind == "blob":
        assert isinstance(value, bytes | bytearray | str) or hasattr(value, "read"), path


def conformance_checker(service: str) -> Callable[[str, dict[str, Any]], None]:
    """``check(operation, result)``: the result fits the operation's output shape."""

    def check(operation: str, result: dict[str, Any]) -> None:
        shape = _MODELS.operation(service, operation).output_shape
        if shape is None:
            assert result == {}
            return
        check_shape(shape, result, operation)

    return check

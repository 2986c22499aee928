"""What the SQL query mixins share: the connection of one unit of work, conflict mapping,
sealing, tags and the policy generation counter."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, CursorResult, Executable, Row, bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from . import schema as s
from .crypto import SecretBox
from .interface import Conflict

# Statements on the request path are built once: building and keying a Core statement
# costs more than running it (about 100 µs on this project's machine).
_GENERATION = select(s.accounts.c.policy_generation).where(s.accounts.c.account_id == bindparam("account_id"))
_GENERATIONS = select(s.accounts.c.account_id, s.accounts.c.policy_generation).where(
    s.accounts.c.account_id.in_(bindparam("account_ids", expanding=True))
)


def now() -> datetime:
    return datetime.now(UTC)


def dump_map(value: Mapping[str, str] | None) -> str | None:
    return json.dumps(dict(value), separators=(",", ":")) if value else None


def load_map(text: str | None) -> dict[str, str]:
    if not text:
        return {}
    loaded = json.loads(text)
    assert isinstance(loaded, dict)
    return {str(key): str(value) for key, value in loaded.items()}


def prefix_successor(prefix: str) -> str | None:
    """The least string greater than every string that starts with ``prefix`` (by code
    point), or None when there is none; lets a prefix scan use the key index."""
    chars = list(prefix)
    while chars:
        last = ord(chars.pop())
        if last < 0x10FFFF:
            following = last + 1
            if 0xD800 <= following <= 0xDFFF:  # surrogates cannot be stored; skip them
                following = 0xE000
            return "".join(chars) + chr(following)
    return None


class QueryBase:
    """State of one unit of work; the mixins add the queries."""

    def __init__(self, conn: Connection, box: SecretBox, blob_dir: Path | None, blob_threshold: int) -> None:
        self._conn = conn
        self._box = box
        self._blob_dir = blob_dir
        self._blob_threshold = blob_threshold
        self._after_commit: list[Callable[[], None]] = []
        self._after_rollback: list[Callable[[], None]] = []
        self._bumped: set[str] = set()

    def _run(self, statement: Executable, parameters: Sequence[Mapping[str, Any]] | None = None) -> CursorResult[Any]:
        """Execute a write; a broken uniqueness or reference rule becomes ``Conflict``."""
        try:
            if parameters is None:
                return self._conn.execute(statement)
            return self._conn.execute(statement, list(parameters))
        except IntegrityError as error:
            # The driver's message names the constraint; it never holds a secret (secrets
            # are sealed bytes and never part of a unique key).
            raise Conflict(str(error.orig).splitlines()[0]) from None

    def _one(self, statement: Executable) -> Row[Any] | None:
        return self._conn.execute(statement).first()

    # --- the policy generation ---------------------------------------------------------

    def bump_policy_generation(self, account_id: str) -> None:
        # One bump per account per transaction is enough: readers only compare values.
        if account_id in self._bumped:
            return
        self._bumped.add(account_id)
        self._run(
            update(s.accounts)
            .where(s.accounts.c.account_id == account_id)
            .values(policy_generation=s.accounts.c.policy_generation + 1)
        )

    def policy_generation(self, account_id: str) -> int:
        value = self._conn.execute(_GENERATION, {"account_id": account_id}).scalar()
        return int(value or 0)

    def policy_generations(self, account_ids: Sequence[str]) -> dict[str, int]:
        rows = self._conn.execute(_GENERATIONS, {"account_ids": list(account_ids)})
        return {row.account_id: int(row.policy_generation) for row in rows}

    # --- tags ----------------------------------------------------------------------------

    def get_tags(self, resource_id: str) -> dict[str, str]:
        rows = self._conn.execute(
            select(s.tags.c.key, s.tags.c.value).where(s.tags.c.resource_id == resource_id).order_by(s.tags.c.position)
        )
        return {row.key: row.value for row in rows}

    def set_tags(self, account_id: str, resource_id: str, tags: Mapping[str, str]) -> None:
        """Replace the resource's tags (the service merges TagRole/UntagRole into a map)."""
        self._run(delete(s.tags).where(s.tags.c.resource_id == resource_id))
        if tags:
            self._run(
                insert(s.tags),
                [
                    {"resource_id": resource_id, "key": key, "value": value, "position": i, "account_id": account_id}
                    for i, (key, value) in enumerate(tags.items())
                ],
            )
        self.bump_policy_generation(account_id)

    def _drop_tags(self, resource_id: str) -> None:
        self._run(delete(s.tags).where(s.tags.c.resource_id == resource_id))

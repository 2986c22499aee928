"""What the SQL query mixins share: the connection of one unit of work, conflict mapping,
sealing, tags and the policy generation counter."""

from __future__ import annotations

import json
import sqlite3
from collections import namedtuple
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import (
    ClauseElement,
    Connection,
    CursorResult,
    Dialect,
    Executable,
    Insert,
    Row,
    Select,
    Table,
    Update,
    bindparam,
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.dml import UpdateBase
from sqlalchemy.sql.util import find_tables

from . import schema as s
from .crypto import SecretBox
from .interface import Conflict, NotFound

T = TypeVar("T")

# Statements on the request path are built once: building and keying a Core statement
# costs more than running it (about 100 µs on this project's machine).
_GENERATION = select(s.accounts.c.policy_generation).where(s.accounts.c.account_id == bindparam("account_id"))
_TAGS = (
    select(s.tags.c.key, s.tags.c.value)
    .where(s.tags.c.resource_id == bindparam("resource_id"))
    .order_by(s.tags.c.position)
)
_BUMP = (
    update(s.accounts)
    .where(s.accounts.c.account_id == bindparam("bumped"))  # not a column's name: Core reserves those
    .values(policy_generation=s.accounts.c.policy_generation + 1)
)
_GENERATIONS = select(s.accounts.c.account_id, s.accounts.c.policy_generation).where(
    s.accounts.c.account_id.in_(bindparam("account_ids", expanding=True))
)


def iam_arn(account_id: str, kind: str, path: str, name: str) -> str:
    """An IAM resource's ARN: ``arn:aws:iam::ACCOUNT:KIND/PATH/NAME`` (the path has its slashes)."""
    return f"arn:aws:iam::{account_id}:{kind}{path}{name}"


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


def read_tables(statement: ClauseElement) -> frozenset[str]:
    """The names of the tables a statement reads (subqueries included)."""
    return frozenset(t.name for t in find_tables(statement, include_aliases=True) if isinstance(t, Table))


def _cascades() -> dict[str, frozenset[str]]:
    """For each table, the tables a write to it may change: itself, and those whose foreign
    keys refer to it with an ON DELETE / ON UPDATE action (SQLite runs them: foreign_keys=ON),
    and so on down."""
    refers: dict[str, set[str]] = {}
    for table in s.metadata.tables.values():
        for key in table.foreign_keys:
            if key.ondelete or key.onupdate:
                refers.setdefault(key.column.table.name, set()).add(table.name)
    out: dict[str, frozenset[str]] = {}
    for name in s.metadata.tables:
        reached, todo = {name}, [name]
        while todo:
            for child in refers.get(todo.pop(), ()):
                if child not in reached:
                    reached.add(child)
                    todo.append(child)
        out[name] = frozenset(reached)
    return out


_CASCADES = _cascades()


def written_tables(statement: UpdateBase) -> frozenset[str]:
    """The tables an INSERT, UPDATE or DELETE may change (its own, and its cascades)."""
    table = statement.table  # Insert, Update and Delete have one
    assert isinstance(table, Table)  # INVARIANT: the store writes tables, not joins or aliases
    name = table.name
    return _CASCADES.get(name, frozenset({name}))


class Prepared:
    """A request-path SELECT compiled once for SQLite and run on the driver's connection.

    Through ``Connection.execute`` even a cached statement costs ~100 µs here; the
    driver's own ``execute`` ~8 µs (bench/README.md, "store"). Binds and results go
    through the same SQLAlchemy type processors as ``Connection.execute`` would apply,
    so rows read the same either way (a store test compares them).
    """

    __slots__ = ("sql", "tables", "_binds", "_processors", "_row")

    def __init__(self, statement: Select[Any] | Insert | Update, dialect: Dialect) -> None:
        compiled = statement.compile(dialect=dialect)
        # What the statement reads, or (a write) what it may change (``RowCache``).
        self.tables = written_tables(statement) if isinstance(statement, UpdateBase) else read_tables(statement)
        assert dialect.positional and compiled.positiontup is not None  # INVARIANT: SQLite's qmark style
        self.sql = compiled.string
        binds = []
        for name in compiled.positiontup:
            bind = compiled.binds[name]
            assert not bind.expanding  # INVARIANT: an IN list changes the SQL text; such statements stay on Core
            processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
            binds.append((bind.key if bind.required else None, bind.value, processor))
        self._binds: tuple[tuple[str | None, Any, Callable[[Any], Any] | None], ...] = tuple(binds)
        if not isinstance(statement, Select):  # a write: no rows to read
            self._processors: tuple[Any, ...] = ()
            self._row: Any = None
            return
        columns = statement.selected_columns
        self._processors = tuple(
            column.type.dialect_impl(dialect).result_processor(dialect, None) for column in columns
        )
        # Field names come from the statement, so the class is made here (not a literal).
        self._row = namedtuple("PreparedRow", columns.keys())  # type: ignore[misc]  # names known only at run time

    def __repr__(self) -> str:
        return f"Prepared({self.sql!r})"

    def parameters(self, values: Mapping[str, Any]) -> list[Any]:
        out = []
        for key, constant, processor in self._binds:
            value = constant if key is None else values[key]
            out.append(processor(value) if processor is not None else value)
        return out

    def row(self, raw: Sequence[Any]) -> Any:
        pairs = zip(self._processors, raw, strict=True)
        return self._row._make(value if processor is None else processor(value) for processor, value in pairs)


class PreparedStatements:
    """The store's ``Prepared`` statements by statement (SQLite only; the store owns one)."""

    def __init__(self, dialect: Dialect) -> None:
        self._dialect = dialect
        self._by_statement: dict[Select[Any] | Insert | Update, Prepared] = {}

    def __repr__(self) -> str:
        return f"PreparedStatements({len(self._by_statement)})"

    def get(self, statement: Select[Any] | Insert | Update) -> Prepared:
        prepared = self._by_statement.get(statement)
        if prepared is None:
            # Two threads may both compile a statement the first time: same result.
            prepared = self._by_statement[statement] = Prepared(statement, self._dialect)
        return prepared


class RowCache:
    """Rows of request-path SELECTs (``Prepared``) that one SQLite connection read, kept
    while the tables they came from have not changed since, so a request that reads what
    the previous one read (its access key, user, tags, bucket...) does not run the queries
    again.

    INVARIANT: a cached row is what the query would read now. What says when that may no
    longer hold:

    - SQLite's ``PRAGMA data_version`` of the connection moves when any other connection or
      process commits (https://www.sqlite.org/pragma.html#pragma_data_version): read once
      at the start of each unit (it also starts the unit's snapshot); then everything is
      dropped.
    - This connection's own writes drop the entries that read a table the write may change
      (its own table and those its foreign keys' ON DELETE actions reach): every write on a
      lane goes through ``QueryBase._write`` or through SQLAlchemy, whose execute events
      (``sql.py``) call ``wrote``. The connection's ``total_changes`` is the safety net: a
      write that came another way moves it without ``wrote``, and then everything is dropped.
    - A unit that rolls back drops everything (what it read after its own writes was never
      committed).

    Each entry records the tables it read: a ``_fetch`` its statement's, a ``_memo`` those
    of every read its ``build`` made (``reading``: the tables of the builds under way).
    """

    __slots__ = ("data_version", "changes", "rows", "tables", "by_table", "reading")

    MAX_ROWS = 4096  # entries; past that the cache starts over

    def __init__(self) -> None:
        self.data_version = -1
        self.changes = -1
        self.rows: dict[tuple[Any, ...], Any] = {}  # rows by (SQL, parameters), values by ``_memo`` key
        self.tables: dict[tuple[Any, ...], frozenset[str]] = {}  # what each ``_memo`` entry read
        self.by_table: dict[str, set[tuple[Any, ...]]] = {}  # entries by a table they read
        self.reading: list[set[str]] = []

    def __repr__(self) -> str:
        return f"RowCache({len(self.rows)} entries, data_version={self.data_version})"

    def clear(self) -> None:
        self.rows.clear()
        self.tables.clear()
        self.by_table.clear()

    def begin(self, driver: Any) -> None:
        """At the start of a unit on ``driver`` (a sqlite3 connection in a transaction)."""
        version = driver.execute("PRAGMA data_version").fetchone()[0]
        if version != self.data_version:
            self.clear()
            self.data_version = version

    def sync(self, changes: int) -> None:
        """Before a lookup or a write: ``changes`` (the connection's ``total_changes``) moved
        with no ``wrote`` to say what changed: drop everything."""
        if changes != self.changes:
            self.clear()
            self.changes = changes

    def put(self, key: tuple[Any, ...], value: Any, tables: frozenset[str]) -> None:
        if len(self.rows) >= self.MAX_ROWS:
            self.clear()
        self.rows[key] = value
        for table in tables:
            self.by_table.setdefault(table, set()).add(key)

    def read(self, tables: frozenset[str]) -> None:
        """A read of ``tables`` during a ``_memo`` build: the entry will depend on them."""
        if self.reading:
            self.reading[-1].update(tables)

    def wrote(self, tables: frozenset[str], changes: int) -> None:
        """This connection changed ``tables`` (and nothing else since ``changes`` was last
        seen): drop what read them."""
        for table in tables:
            for key in self.by_table.pop(table, ()):
                self.rows.pop(key, None)
                self.tables.pop(key, None)
        self.changes = changes


class QueryBase:
    """State of one unit of work; the mixins add the queries."""

    def __init__(
        self,
        conn: Connection,
        box: SecretBox,
        blob_dir: Path | None,
        blob_threshold: int,
        prepared: PreparedStatements | None = None,
    ) -> None:
        self._conn = conn
        self._prepared = prepared
        self._driver: Any = None  # the sqlite3 connection under ``conn``, once needed
        self._row_cache: RowCache | None = None  # set on a lane (``sql.py``)
        self._box = box
        self._blob_dir = blob_dir
        self._blob_threshold = blob_threshold
        self._after_commit: list[Callable[[], None]] = []
        self._after_rollback: list[Callable[[], None]] = []
        self._bumped: set[str] = set()
        # Generations read in this unit (the authorizer reads an account's for its identity
        # sets and again for its organization's): a bump forgets the account's.
        self._generations: dict[str, int] = {}

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

    def _write(self, statement: Insert | Update, values: Mapping[str, Any]) -> int:
        """Run a write built once (``Prepared``; on the driver on SQLite, like ``_fetch``);
        the number of rows it changed. A broken uniqueness or reference rule becomes
        ``Conflict``, as in ``_run``."""
        return self._write_many(statement, [values])

    def _write_many(self, statement: Insert | Update, rows: Sequence[Mapping[str, Any]]) -> int:
        """``_write`` for each of ``rows``, in one ``executemany`` on SQLite's driver
        (CloudTrail writes events by the hundred: SQLAlchemy's per-row processing of a many-row
        Core insert cost more than the insert); the number of rows changed."""
        if not rows:
            return 0
        if self._prepared is None:
            return int(self._run(statement, rows).rowcount)
        prepared = self._prepared.get(statement)
        if self._driver is None:
            self._driver = self._conn.connection.driver_connection
        cache = self._row_cache
        if cache is not None:
            cache.sync(self._driver.total_changes)
        try:
            cursor = self._driver.executemany(prepared.sql, [prepared.parameters(row) for row in rows])
        except sqlite3.IntegrityError as error:
            raise Conflict(str(error).splitlines()[0]) from None
        finally:
            if cache is not None:
                cache.wrote(prepared.tables, self._driver.total_changes)
        try:
            return int(cursor.rowcount)
        finally:
            cursor.close()

    def _one(self, statement: Executable) -> Row[Any] | None:
        return self._conn.execute(statement).first()

    def _fetch(self, statement: Select[Any], values: Mapping[str, Any], cache: bool = True) -> list[Any]:
        """The rows of a request-path statement built once (attribute access by column).
        ``cache=False`` for rows too large to keep (object bodies)."""
        if self._prepared is None:
            return list(self._conn.execute(statement, values))
        prepared = self._prepared.get(statement)
        if self._driver is None:
            self._driver = self._conn.connection.driver_connection
        parameters = prepared.parameters(values)
        rows = self._row_cache
        if rows is None:
            return self._run_prepared(prepared, parameters)
        if rows.reading:
            rows.read(prepared.tables)
        if not cache:
            return self._run_prepared(prepared, parameters)
        rows.sync(self._driver.total_changes)
        key = (prepared.sql, *parameters)
        found = rows.rows.get(key)
        if found is None:
            found = tuple(self._run_prepared(prepared, parameters))
            rows.put(key, found, prepared.tables)
        return list(found)

    def _memo(self, key: tuple[Any, ...], build: Callable[[], T]) -> T:
        """``build()``, kept in the lane's ``RowCache`` under ``key`` as rows are: for
        what the request path makes of its rows (an access key with its secret opened, a
        user, a bucket). INVARIANT: ``build`` only reads, and what it returns is not
        changed by its callers (frozen values; ``get_tags`` hands out copies)."""
        rows = self._row_cache
        if rows is None:
            return build()
        rows.sync(self._driver.total_changes)
        if key in rows.rows:
            found: T = rows.rows[key]
            if rows.reading:
                rows.read(rows.tables.get(key, frozenset()))
            return found
        rows.reading.append(set())
        try:
            built = build()
        finally:
            read = frozenset(rows.reading.pop())
        rows.read(read)  # into the build that called this one, if any
        if rows.changes == self._driver.total_changes:  # ``build`` only reads (INVARIANT)
            rows.put(key, built, read)
            rows.tables[key] = read
        return built

    def _run_prepared(self, prepared: Prepared, parameters: list[Any]) -> list[Any]:
        cursor = self._driver.execute(prepared.sql, parameters)
        try:
            return [prepared.row(raw) for raw in cursor.fetchall()]
        finally:
            cursor.close()

    def _fetch_first(self, statement: Select[Any], values: Mapping[str, Any], cache: bool = True) -> Any | None:
        rows = self._fetch(statement, values, cache)
        return rows[0] if rows else None

    # --- the policy generation ---------------------------------------------------------

    def bump_policy_generation(self, account_id: str) -> None:
        # One bump per account per transaction is enough: readers only compare values.
        if account_id in self._bumped:
            return
        self._bumped.add(account_id)
        self._generations.pop(account_id, None)
        self._write(_BUMP, {"bumped": account_id})

    def policy_generation(self, account_id: str) -> int:
        found = self._generations.get(account_id)
        if found is None:
            row = self._fetch_first(_GENERATION, {"account_id": account_id})
            found = self._generations[account_id] = int(row.policy_generation or 0) if row is not None else 0
        return found

    def policy_generations(self, account_ids: Sequence[str]) -> dict[str, int]:
        rows = self._conn.execute(_GENERATIONS, {"account_ids": list(account_ids)})
        return {row.account_id: int(row.policy_generation) for row in rows}

    # --- identities ------------------------------------------------------------------

    def _account_of(self, identity_id: str) -> str:
        """The account of a user, group or role (its policies and attachments bump it)."""
        identities = s.identities
        account_id = self._conn.execute(select(identities.c.account_id).where(identities.c.id == identity_id)).scalar()
        if account_id is None:
            raise NotFound(f"identity {identity_id}")
        return str(account_id)

    # --- tags ----------------------------------------------------------------------------

    def get_tags(self, resource_id: str) -> dict[str, str]:
        return dict(self._memo(("tags", resource_id), lambda: self._read_tags(resource_id)))

    def _read_tags(self, resource_id: str) -> dict[str, str]:
        return {row.key: row.value for row in self._fetch(_TAGS, {"resource_id": resource_id}, cache=False)}

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

"""The store over SQLAlchemy Core: SQLite (a file, the default) or PostgreSQL (a URL).

SQLite settings, set on every connection (https://www.sqlite.org/pragma.html):
- ``journal_mode=WAL``: readers never block the writer and see committed writes of
  other connections and processes at once;
- ``synchronous=FULL``: a commit returns only after the WAL is fsynced, so every
  acknowledged write survives a power loss (NORMAL would lose the last commits);
- ``foreign_keys=ON`` (off by default in SQLite); ``busy_timeout`` 30 s; ``mmap_size``
  256 MiB (lookups in a large file stay as fast as in a small one).
The driver's own transaction handling is off; ``transaction()`` begins with ``BEGIN
IMMEDIATE`` (takes the write lock first, so two writers queue instead of one failing on
lock upgrade) and ``read()`` with a deferred ``BEGIN`` (a snapshot).

On SQLite each thread keeps one connection checked out (its "lane") and runs its units on
it, beginning and ending them on the driver: checking a connection out of the pool and
back in, and SQLAlchemy's begin and commit, cost ~80 µs a unit here, the driver's own
``BEGIN``/``COMMIT`` a few. A unit that uses SQLAlchemy Core on the lane makes it
autobegin; the ``begin`` listener then sees the driver already in the transaction and
emits nothing, and the unit ends through SQLAlchemy. A unit opened inside another on the
same thread, and threads past ``MAX_LANES``, use the pool as before; a lane whose thread
has ended is closed when the next lane is made, and all of them with the store. A lane
keeps the rows its request-path reads returned while the database has not changed
(``sql_base.RowCache``).

PostgreSQL runs at READ COMMITTED; the writes that allocate numbers lock their row.
Schema migrations run when the store opens (``migrations``).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Select, create_engine, event, make_url, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.sql.dml import UpdateBase

from . import migrations
from .crypto import KEY_ENV, MasterKeyError, SealError, SecretBox, derive_key
from .interface import Store
from .sql_base import PreparedStatements, RowCache, read_tables, written_tables
from .sql_certificates import CertificateQueries
from .sql_credentials import CredentialQueries
from .sql_iam import IamQueries
from .sql_instance_profiles import InstanceProfileQueries
from .sql_organizations import OrganizationQueries
from .sql_policies import PolicyQueries
from .sql_providers import ProviderQueries
from .sql_reports import ReportQueries
from .sql_s3 import S3Queries
from .sql_trail import TrailQueries

DEFAULT_BLOB_THRESHOLD = 1 << 20
MAX_LANES = 4  # threads with their own long-lived connection (the pool holds 5 + 10)
ROW_CACHE = "iamsandbox_row_cache"  # a lane's RowCache, in its connection's ``info``
_WRITE = "iamsandbox_write"
_PG_WRITE_LOCK = 0x1A45_5752  # an arbitrary constant naming the write lock among advisory locks


class SqlTransaction(
    IamQueries,
    PolicyQueries,
    InstanceProfileQueries,
    ProviderQueries,
    CredentialQueries,
    CertificateQueries,
    ReportQueries,
    S3Queries,
    OrganizationQueries,
    TrailQueries,
):
    """One unit of work: every method of ``interface.Transaction`` on one connection."""


def sqlite_url(path: Path | str) -> str:
    return f"sqlite:///{Path(path).resolve()}"


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves (below)
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            # Reads through the OS page cache, shared by every connection and process,
            # instead of each connection's own 2 MiB page cache (the default).
            cursor.execute("PRAGMA mmap_size=268435456")
        finally:
            cursor.close()

    # A lane's row cache (``sql_base.RowCache``) learns of the writes made through
    # SQLAlchemy here, and of the tables a cached value's build read through it.
    @event.listens_for(engine, "before_execute")
    def _before_execute(conn: Connection, statement: Any, *_args: Any) -> None:
        rows = conn.info.get(ROW_CACHE)
        if rows is not None and not isinstance(statement, Select):
            rows.sync(conn.connection.driver_connection.total_changes)  # type: ignore[union-attr]

    @event.listens_for(engine, "after_execute")
    def _after_execute(conn: Connection, statement: Any, *_args: Any) -> None:
        rows = conn.info.get(ROW_CACHE)
        if rows is None:
            return
        changes = conn.connection.driver_connection.total_changes  # type: ignore[union-attr]
        if isinstance(statement, Select):
            rows.read(read_tables(statement))
        elif isinstance(statement, UpdateBase):
            rows.wrote(written_tables(statement), changes)
        else:  # DDL or text: what it touched is unknown
            rows.clear()
            rows.changes = changes

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        driver = conn.connection.driver_connection
        if driver.in_transaction:  # type: ignore[union-attr]  # sqlite3.Connection; a lane's unit began it
            return
        # Straight to the driver: through exec_driver_sql this costs ~40 µs a unit here.
        statement = "BEGIN IMMEDIATE" if conn.get_execution_options().get(_WRITE) else "BEGIN"
        driver.execute(statement)  # type: ignore[union-attr]  # sqlite3.Connection


class _Lane:
    """A connection one thread keeps checked out for its units (SQLite only)."""

    __slots__ = ("conn", "driver", "thread", "busy", "rows")

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.driver: Any = conn.connection.driver_connection  # sqlite3.Connection
        self.thread = threading.current_thread()
        self.busy = False
        self.rows = RowCache()
        conn.info[ROW_CACHE] = self.rows  # for the execute events (``_configure_sqlite``)

    def __repr__(self) -> str:
        return f"_Lane({self.thread.name!r}, busy={self.busy})"

    def close(self, invalidate: bool = False) -> None:
        self.conn.info.pop(ROW_CACHE, None)  # the pooled connection outlives the lane
        if invalidate:
            self.conn.invalidate()
        self.conn.close()


class SqlStore:
    """The store: hands out units of work. Owned by the app; safe to share across threads."""

    def __init__(
        self, engine: Engine, box: SecretBox, blob_dir: Path | None = None, blob_threshold: int = DEFAULT_BLOB_THRESHOLD
    ) -> None:
        self._engine = engine
        self._box = box
        self._blob_dir = blob_dir
        self._blob_threshold = blob_threshold
        # SQLite runs request-path reads on the driver directly (``sql_base.Prepared``);
        # PostgreSQL's round trip dwarfs SQLAlchemy's overhead, so it stays on Core.
        self._prepared = PreparedStatements(engine.dialect) if engine.dialect.name == "sqlite" else None
        self._lanes: dict[int, _Lane] = {}  # by thread ident
        self._lanes_lock = threading.Lock()
        self._closed = False

    def __repr__(self) -> str:
        return f"SqlStore({self._engine.url.render_as_string(hide_password=True)!r})"

    @property
    def dialect(self) -> str:
        return self._engine.dialect.name

    def transaction(self) -> AbstractContextManager[SqlTransaction]:
        return self._unit(write=True)

    def read(self) -> AbstractContextManager[SqlTransaction]:
        return self._unit(write=False)

    def _unit(self, write: bool) -> AbstractContextManager[SqlTransaction]:
        if self._prepared is not None:
            lane = self._lane()
            if lane is not None:
                return self._lane_unit(lane, write)
        return self._pool_unit(write)

    def _lane(self) -> _Lane | None:
        """This thread's lane, made on first use; None when it is busy (a nested unit)
        or there are ``MAX_LANES`` already."""
        lane = self._lanes.get(threading.get_ident())
        if lane is not None and lane.thread is threading.current_thread():
            return None if lane.busy else lane
        with self._lanes_lock:
            if self._closed:
                return None
            for ident, other in list(self._lanes.items()):
                if not other.thread.is_alive():  # its thread ended: nothing uses it now
                    del self._lanes[ident]
                    other.close()
            if len(self._lanes) >= MAX_LANES:
                return None
            lane = self._lanes[threading.get_ident()] = _Lane(self._engine.connect())
        return lane

    def _lane_unit(self, lane: _Lane, write: bool) -> AbstractContextManager[SqlTransaction]:
        return _LaneUnit(self, lane, write)

    def _rollback(self, lane: _Lane) -> None:
        try:
            if lane.conn.in_transaction():
                lane.conn.rollback()
            elif lane.driver.in_transaction:
                lane.driver.execute("ROLLBACK")
        except BaseException:
            # A lane that cannot roll back is not used again; the pool discards it.
            with self._lanes_lock:
                self._lanes.pop(threading.get_ident(), None)
            lane.close(invalidate=True)
            raise

    @contextmanager
    def _pool_unit(self, write: bool) -> Iterator[SqlTransaction]:
        with self._engine.connect() as conn:
            if write:
                conn.execution_options(**{_WRITE: True})
            outer = conn.begin()
            if write and conn.dialect.name == "postgresql":
                # One writer at a time, as SQLite's BEGIN IMMEDIATE gives: a write unit reads
                # what it checks (a name free, a quota not reached, a policy still there) and
                # writes after it, which READ COMMITTED alone lets two replicas interleave
                # (two CreatePolicyVersion past five versions, an attachment to a policy
                # being deleted). Released at COMMIT or ROLLBACK.
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_WRITE_LOCK})
            tx = SqlTransaction(conn, self._box, self._blob_dir, self._blob_threshold, self._prepared)
            try:
                yield tx
                outer.commit()
            except BaseException:
                if outer.is_active:
                    outer.rollback()
                for hook in tx._after_rollback:
                    hook()
                raise
        for hook in tx._after_commit:
            hook()

    def schema_version(self) -> int:
        with self._engine.connect() as conn:
            return migrations.current_version(conn)

    def release_connections(self) -> None:
        """Close every connection the store holds, and go on: the next unit opens new ones
        (``serve --workers``: before fork(), so that no process shares one)."""
        with self._lanes_lock:
            lanes, self._lanes = list(self._lanes.values()), {}
        for lane in lanes:
            lane.close()
        self._engine.dispose()

    def close(self) -> None:
        with self._lanes_lock:
            self._closed = True
            lanes, self._lanes = list(self._lanes.values()), {}
        for lane in lanes:
            lane.close()
        self._engine.dispose()


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database in (None, "", ":memory:"):
            raise ValueError("the store needs a SQLite file, not an in-memory database")
        engine = create_engine(parsed, connect_args={"check_same_thread": False, "timeout": 30})
        _configure_sqlite(engine)
        return engine
    # pool_pre_ping: a pooled connection the server closed (a restart, a failover,
    # idle_session_timeout, a proxy) is replaced at checkout instead of failing the request.
    engine = create_engine(parsed, pool_size=10, max_overflow=20, pool_pre_ping=True)
    if engine.dialect.name == "postgresql":
        event.listen(engine, "connect", _configure_postgresql)
    return engine


PG_LOCK_TIMEOUT = "30s"  # as long as SQLite's busy timeout (``make_engine``)


def _configure_postgresql(dbapi_connection: Any, _record: Any) -> None:
    """A writer waits for the write lock (and any lock) at most ``PG_LOCK_TIMEOUT``, as a
    SQLite writer waits for the file's: a replica stuck holding it then fails the writers
    waiting elsewhere instead of hanging them, and their processes, for ever."""
    with dbapi_connection.cursor() as cursor:
        cursor.execute(f"SET lock_timeout = '{PG_LOCK_TIMEOUT}'")
    dbapi_connection.commit()


class StoreUnavailable(Exception):
    """The database at a URL cannot be opened: an unreachable server, a missing directory,
    an unknown driver. The message names the URL without its password."""


def _unavailable(url: str, error: BaseException) -> StoreUnavailable:
    try:
        shown = make_url(url).render_as_string(hide_password=True)
    except (SQLAlchemyError, ValueError):  # ValueError: a port that is no number
        shown = "the database URL"
    reason = str(getattr(error, "orig", None) or error).strip().splitlines()
    return StoreUnavailable(f"cannot open {shown}: {reason[0] if reason else type(error).__name__}")


def open_store(
    url: str,
    master_keys: Sequence[bytes],
    *,
    blob_dir: Path | None = None,
    blob_threshold: int = DEFAULT_BLOB_THRESHOLD,
    target_version: int | None = None,
) -> SqlStore:
    """Open (creating if needed) and migrate the store at ``url``.

    ``master_keys`` come from ``crypto.load_master_keys``: the first seals, all open.
    ``target_version`` stops migrating early (for tests of upgrades).
    """
    try:
        engine = make_engine(url)
    except (SQLAlchemyError, OSError, ImportError, ValueError) as error:
        # An unknown driver or one not installed, a malformed URL (a port that is no number),
        # an in-memory SQLite database.
        raise _unavailable(url, error) from None
    try:
        conn = engine.connect()
    except (SQLAlchemyError, OSError) as error:
        # An unreachable server, a missing directory. A failure once connected (a
        # migration's) is raised as it is.
        engine.dispose()
        raise _unavailable(url, error) from None
    try:
        with conn:
            conn.execution_options(**{_WRITE: True})
            with conn.begin():
                migrations.upgrade(conn, target_version)
    except BaseException:
        engine.dispose()
        raise
    box = SecretBox([derive_key(key, "secrets-at-rest") for key in master_keys])
    try:
        if target_version is None:  # an older schema (upgrade tests) may lack a table sampled
            _check_keys(engine, box)
    except BaseException:
        engine.dispose()
        raise
    return SqlStore(engine, box, blob_dir, blob_threshold)


# One sealed value of each kind, with the context it was sealed under (its row's key).
_SEALED_SAMPLES = (
    "SELECT access_key_id, secret FROM access_keys LIMIT 1",
    "SELECT serial_number, seed FROM mfa_devices LIMIT 1",
    "SELECT id, private_key FROM server_certificates LIMIT 1",
    "SELECT credential_id, password FROM service_specific_credentials LIMIT 1",
)


def _check_keys(engine: Engine, box: SecretBox) -> None:
    """Refuse, at open, master keys that do not open the store's secrets: a replica or a
    command given another key (or none, so the data directory's key file) would otherwise
    start, then fail every request signed with a long-term key."""
    with engine.connect() as conn:
        for statement in _SEALED_SAMPLES:
            row = conn.execute(text(statement)).first()
            if row is None:
                continue
            try:
                box.open(bytes(row[1]), str(row[0]).encode("utf-8"))
            except SealError:
                raise MasterKeyError(
                    "the master key does not open this store's secrets: they were sealed with another key "
                    f"(give the store's own key in {KEY_ENV}, or the data directory that holds its key file)"
                ) from None
            return


def _conforms(store: SqlStore) -> Store:
    """mypy checks here that ``SqlStore`` (and so ``SqlTransaction``) has the interface."""
    return store


class _LaneUnit:
    """A unit of work on a lane: BEGIN on the driver; COMMIT at the end, or ROLLBACK when
    the block raised. (A class rather than a generator context manager: the request path
    opens one or two of these per request.)"""

    __slots__ = ("store", "lane", "write", "tx")

    def __init__(self, store: SqlStore, lane: _Lane, write: bool) -> None:
        self.store = store
        self.lane = lane
        self.write = write

    def __enter__(self) -> SqlTransaction:
        lane, store = self.lane, self.store
        lane.busy = True
        try:
            lane.driver.execute("BEGIN IMMEDIATE" if self.write else "BEGIN")
            tx = SqlTransaction(lane.conn, store._box, store._blob_dir, store._blob_threshold, store._prepared)
            tx._driver = lane.driver
            self.tx = tx
            try:
                lane.rows.begin(lane.driver)
            except BaseException:
                self._roll_back()
                raise
        except BaseException:
            lane.busy = False
            raise
        tx._row_cache = lane.rows
        return tx

    def __exit__(self, exc_type: object, exc: object, traceback: object) -> None:
        lane, tx = self.lane, self.tx
        try:
            if exc_type is not None:
                self._roll_back()
                return
            try:
                if lane.conn.in_transaction():  # Core autobegan: end it through SQLAlchemy
                    lane.conn.commit()
                else:
                    lane.driver.execute("COMMIT")
            except BaseException:
                self._roll_back()
                raise
        finally:
            lane.busy = False
        for hook in tx._after_commit:
            hook()

    def _roll_back(self) -> None:
        self.lane.rows.clear()  # rows read after this unit's own writes were never committed
        self.store._rollback(self.lane)
        for hook in self.tx._after_rollback:
            hook()

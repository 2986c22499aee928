"""Where the server and the commands keep their state, from flags or the environment.

``--data DIR`` / ``IAMSANDBOX_DATA``: the data directory (default: ``$XDG_DATA_HOME/iamsandbox``,
else ``~/.local/share/iamsandbox``), holding the SQLite file ``iamsandbox.db`` and the
master key file. ``--database-url URL`` / ``IAMSANDBOX_DATABASE_URL``: another database
(PostgreSQL for several replicas), whose master key must then come from
``IAMSANDBOX_SECRET_KEY`` or the data directory. Flags win over the environment.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..store import SqlStore

DB_FILE = "iamsandbox.db"


def not_empty(text: str) -> str:
    """A flag's value that must not be empty (an unset CI variable expanded into it)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("must not be empty")
    return text


def add_store_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--data", metavar="DIR", type=not_empty, help="data directory (env IAMSANDBOX_DATA)")
    group.add_argument(
        "--database-url", metavar="URL", type=not_empty, help="database URL (env IAMSANDBOX_DATABASE_URL)"
    )


@dataclass(frozen=True)
class StoreConfig:
    data_dir: Path
    database_url: str

    @classmethod
    def from_args(cls, args: argparse.Namespace, environ: Mapping[str, str] | None = None) -> StoreConfig:
        env = os.environ if environ is None else environ
        for name in ("IAMSANDBOX_DATA", "IAMSANDBOX_DATABASE_URL"):
            if name in env and not env[name].strip():
                # Set but empty (an unset CI variable): not silently the default store, which
                # would give each replica a private SQLite file of its own.
                raise StoreOpenError(f"{name} is set but empty: unset it, or give it a value")
        data = args.data or env.get("IAMSANDBOX_DATA")
        if data:
            data_dir = Path(data)
        else:
            base = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
            data_dir = Path(base) / "iamsandbox"
        url = args.database_url or (None if args.data else env.get("IAMSANDBOX_DATABASE_URL"))
        return cls(data_dir, url or f"sqlite:///{data_dir / DB_FILE}")

    @property
    def sqlite_file(self) -> Path | None:
        """The data directory's own SQLite file, when that is the store."""
        database = self.data_dir / DB_FILE
        return database if self.database_url == f"sqlite:///{database}" else None

    def open(self) -> SqlStore:
        from ..store import StoreUnavailable, load_master_keys, open_store  # SQLAlchemy: imported when needed
        from ..store.crypto import MasterKeyError, new_master_key, save_master_key

        # A new data directory is the owner's alone (0700): the database holds the accounts,
        # and although their secrets are sealed, names, policies and objects are not. It is
        # made first only when the database is in it; a new master key is written only once
        # the store opened, so a store that cannot be opened leaves nothing behind.
        if self.sqlite_file is not None:
            self._make_data_dir()
            self._create_private(self.sqlite_file)
        try:
            key = new_master_key(self.data_dir)
            store = open_store(self.database_url, [key] if key is not None else load_master_keys(self.data_dir))
            if key is not None:
                self._make_data_dir()
                if not save_master_key(self.data_dir, key):  # another process made the store's key first
                    store.close()
                    store = open_store(self.database_url, load_master_keys(self.data_dir))
            return store
        except (MasterKeyError, StoreUnavailable) as error:
            # One line, exit 1: a master key that is missing, malformed, unsafely stored or
            # does not open the store's secrets, or a database that cannot be opened (the
            # URL without its password).
            raise StoreOpenError(str(error)) from None

    def _make_data_dir(self) -> None:
        try:
            self.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as error:  # a file in the way, no permission, a read-only place
            raise StoreOpenError(f"cannot make the data directory {self.data_dir}: {error.strerror or error}") from None

    @staticmethod
    def _create_private(database: Path) -> None:
        """A new SQLite file, and the -wal and -shm files SQLite gives its permissions,
        readable by the owner only, in a directory given as well as in one made here."""
        if database.exists():
            return
        try:
            os.close(os.open(database, os.O_CREAT | os.O_WRONLY, 0o600))
        except OSError as error:
            raise StoreOpenError(f"cannot create {database}: {error.strerror or error}") from None


class StoreOpenError(Exception):
    """The store cannot be opened as configured (its master key): the command reports it in
    one line and exits 1."""

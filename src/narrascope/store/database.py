"""The connection a Store talks to: SQLite or PostgreSQL behind one small interface.

The store writes SQLite SQL; `execute` on PostgreSQL rewrites it first (store/dialect.py). What the two
engines do differently (taking the write lock, time limits, integrity checks, read tuning) lives here.
"""

from __future__ import annotations

import shutil
import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

from narrascope.errors import DiskFullError, StoreError


class QueryTimeoutError(StoreError):
    """A read query ran past its time limit and was interrupted."""


class Cursor(Protocol):
    """What the store reads from a query: rows, their count and column names."""

    @property
    def rowcount(self) -> int: ...

    @property
    def description(self) -> Any: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


class Database(Protocol):
    """One connection, with the engine-specific parts the store needs."""

    dialect: str
    errors: tuple[type[Exception], ...]

    def execute(self, sql: str, parameters: Sequence[object] = (), /) -> Cursor: ...

    def executemany(self, sql: str, rows: Sequence[Sequence[object]], /) -> Any: ...

    def execute_schema(self, statement: str) -> None:
        """A migration statement already in this engine's SQL."""

    def begin_write(self) -> None:
        """Start a transaction holding the database's single write lock (writers queue behind each other)."""

    def commit(self) -> None: ...

    def rollback(self) -> None: ...

    @property
    def in_transaction(self) -> bool: ...

    def deadline(self, seconds: float) -> Any:
        """A context manager stopping any query still running after `seconds` with QueryTimeoutError."""

    def tune_for_reading(self, cache_mib: int, mmap_mib: int) -> None: ...

    def integrity_ok(self) -> bool: ...

    def close(self) -> None: ...


class SqliteDatabase:
    """One SQLite file: WAL journal, `synchronous=FULL`, foreign keys on."""

    dialect = "sqlite"
    errors: tuple[type[Exception], ...] = (sqlite3.Error,)

    def __init__(self, path: str, *, read_only: bool) -> None:
        try:
            if read_only:
                if not Path(path).exists():
                    raise StoreError(f"{path}: no such database; run `narrascope ingest PATH --db {path}` first")
                self.raw = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True, isolation_level=None,
                                           check_same_thread=False)
            else:
                Path(path).resolve().parent.mkdir(parents=True, exist_ok=True)
                self.raw = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            self.raw.execute("PRAGMA busy_timeout = 10000")
            self.raw.execute("PRAGMA foreign_keys = ON")
            if not read_only:
                _use_wal(self.raw)
                self.raw.execute("PRAGMA synchronous = FULL")
        except sqlite3.Error as error:
            full = disk_full_error(path, error, "the database cannot be opened")
            if full is not None:
                raise full from error
            raise StoreError(f"{path}: cannot open the database ({error})") from error
        self.execute = self.raw.execute
        self.executemany = self.raw.executemany

    def execute_schema(self, statement: str) -> None:
        self.raw.execute(statement)

    def begin_write(self) -> None:
        self.raw.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        self.raw.execute("COMMIT")

    def rollback(self) -> None:
        self.raw.execute("ROLLBACK")

    @property
    def in_transaction(self) -> bool:
        return self.raw.in_transaction

    @contextmanager
    def deadline(self, seconds: float) -> Iterator[None]:
        """SQLite calls the progress handler every few thousand virtual-machine steps; True interrupts."""
        limit = time.monotonic() + seconds
        self.raw.set_progress_handler(lambda: time.monotonic() > limit, 2000)
        try:
            yield
        except sqlite3.OperationalError as error:
            if "interrupt" in str(error):
                raise QueryTimeoutError(f"the query ran longer than {seconds:g} s and was stopped") from error
            raise
        finally:
            self.raw.set_progress_handler(None, 0)

    def tune_for_reading(self, cache_mib: int, mmap_mib: int) -> None:
        self.raw.execute(f"PRAGMA cache_size = -{int(cache_mib) * 1024}")
        self.raw.execute(f"PRAGMA mmap_size = {int(mmap_mib) * 2**20}")

    def integrity_ok(self) -> bool:
        row = self.raw.execute("PRAGMA integrity_check").fetchone()
        return row is not None and row[0] == "ok"

    def close(self) -> None:
        self.raw.close()


# Below this much free space, a disk I/O error is taken for a full disk: SQLite reports ENOSPC on the WAL
# or its shared-memory file as SQLITE_IOERR, not SQLITE_FULL (found by BATTERY.md D3 on a tiny tmpfs).
_NEARLY_FULL_BYTES = 1024 * 1024


def disk_full_error(path: str, error: sqlite3.Error, what: str) -> DiskFullError | None:
    """A DiskFullError explaining `error` when it comes from a full disk (or the size cap), else None."""
    code = getattr(error, "sqlite_errorcode", None)
    free: int | None = None
    if code is not None and code & 0xFF == sqlite3.SQLITE_IOERR:
        try:
            free = shutil.disk_usage(Path(path).resolve().parent).free
        except OSError:
            return None
        if free >= _NEARLY_FULL_BYTES:
            return None
    elif code != sqlite3.SQLITE_FULL:
        return None
    room = f"; {free // 1024} KiB free on its disk" if free is not None else ""
    return DiskFullError(f"{path}: disk full: {what} ({error}{room}); the page being written was rolled back, "
                         "nothing partial was kept. Free space, then run the same command again to resume")


def _use_wal(connection: sqlite3.Connection, attempts: int = 100) -> None:
    """Switch a database to WAL, waiting while another process does the same.

    Changing the journal mode needs an exclusive lock, and SQLite reports "database is locked" at once
    instead of calling the busy handler, so two processes creating one database at the same moment
    would fail without this wait (BATTERY.md D6).
    """
    for attempt in range(attempts):
        try:
            connection.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or attempt == attempts - 1:
                raise
            time.sleep(0.05)


def open_database(target: str, *, read_only: bool) -> Database:
    """An SQLite file path, or a `postgresql://` URL."""
    from narrascope.store.dialect import is_postgres_url

    if is_postgres_url(target):
        from narrascope.store.postgres import PostgresDatabase

        return PostgresDatabase(target, read_only=read_only)
    return SqliteDatabase(target, read_only=read_only)

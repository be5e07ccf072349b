"""PostgreSQL connection for the store (psycopg 3), speaking the store's SQLite SQL through store/dialect.py.

Writers queue on one transaction-scoped advisory lock, as SQLite's BEGIN IMMEDIATE makes them: each
page with its claims, and each replacement of the derived tables, is one transaction, and two
processes writing at once never interleave their derived-table replacements. Reads run in autocommit
mode, one snapshot per statement, as they do on SQLite.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg import errors as pg_errors
from psycopg.pq import TransactionStatus

from narrascope.errors import StoreError
from narrascope.store.database import Cursor, QueryTimeoutError
from narrascope.store.dialect import display_target, translate

# One key for the whole database: the advisory-lock counterpart of SQLite's single writer.
WRITE_LOCK_KEY = 0x6E61727261  # "narra"
NUL_MESSAGE = "PostgreSQL text cannot hold NUL (0x00) characters"


class PostgresDatabase:
    """One autocommit psycopg connection; `execute` takes SQLite SQL and rewrites it for PostgreSQL."""

    dialect = "postgresql"
    errors: tuple[type[Exception], ...] = (psycopg.Error,)

    def __init__(self, url: str, *, read_only: bool) -> None:
        self.name = display_target(url)
        options = {"options": "-c default_transaction_read_only=on"} if read_only else {}
        try:
            self.raw = psycopg.connect(url, autocommit=True, **options)  # type: ignore[arg-type]
        except psycopg.Error as error:
            raise StoreError(f"{self.name}: cannot connect to PostgreSQL ({str(error).strip()})") from error
        if read_only and self.raw.execute("SELECT to_regclass('schema_migrations')").fetchone() == (None,):
            self.raw.close()
            raise StoreError(f"{self.name}: no narrascope schema in this database; run "
                             f"`narrascope ingest PATH --db {self.name}` first")

    def execute(self, sql: str, parameters: Sequence[object] = (), /) -> Cursor:
        try:
            return self.raw.execute(translate(sql), tuple(parameters))
        except psycopg.DataError as error:
            raise _nul_error(error) from error
        except psycopg.OperationalError as error:
            raise self._lost(error) from error

    def executemany(self, sql: str, rows: Sequence[Sequence[object]], /) -> Any:
        cursor = self.raw.cursor()
        try:
            cursor.executemany(translate(sql), [tuple(row) for row in rows])
        except psycopg.DataError as error:
            raise _nul_error(error) from error
        except psycopg.OperationalError as error:
            raise self._lost(error) from error
        return cursor

    def _lost(self, error: psycopg.OperationalError) -> Exception:
        """A dropped connection (server restart, network) as a StoreError; a cancelled query stays itself."""
        if self.raw.broken or self.raw.closed:
            return StoreError(f"{self.name}: lost the connection to PostgreSQL ({str(error).strip()})")
        return error

    def execute_schema(self, statement: str) -> None:
        """A statement already in PostgreSQL SQL (a translated migration): no placeholder rewriting."""
        self.raw.execute(statement.encode())

    def begin_write(self) -> None:
        self.raw.execute("BEGIN")
        self.raw.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK_KEY,))

    def commit(self) -> None:
        self.raw.execute("COMMIT")

    def rollback(self) -> None:
        self.raw.execute("ROLLBACK")

    @property
    def in_transaction(self) -> bool:
        return self.raw.info.transaction_status != TransactionStatus.IDLE

    @contextmanager
    def deadline(self, seconds: float) -> Iterator[None]:
        """The server cancels any statement running past `statement_timeout`."""
        self.raw.execute(f"SET statement_timeout = {max(1, int(seconds * 1000))}")
        try:
            yield
        except pg_errors.QueryCanceled as error:
            raise QueryTimeoutError(f"the query ran longer than {seconds:g} s and was stopped") from error
        finally:
            if self.in_transaction:
                self.raw.execute("ROLLBACK")
            self.raw.execute("SET statement_timeout = 0")

    def tune_for_reading(self, cache_mib: int, mmap_mib: int) -> None:
        """Nothing to do per connection: PostgreSQL's caches are the server's (shared_buffers)."""

    def integrity_ok(self) -> bool:
        """Every claim has its article and every article its page (the server checks its own pages)."""
        row = self.raw.execute(
            "SELECT (SELECT count(*) FROM claims c LEFT JOIN articles a ON a.id = c.article_id WHERE a.id IS NULL)"
            " + (SELECT count(*) FROM articles a LEFT JOIN pages p ON p.id = a.id WHERE p.id IS NULL)").fetchone()
        return row is not None and row[0] == 0

    def close(self) -> None:
        self.raw.close()


def _nul_error(error: psycopg.DataError) -> Exception:
    if "NUL" in str(error) or isinstance(error, pg_errors.UntranslatableCharacter):
        return StoreError(f"{NUL_MESSAGE}: {error}")
    return error

"""A pool of read-only connections: each request borrows one for itself, so SQLite's page cache stays warm."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from narrascope.store import Store


class StorePool:
    """Read-only `Store`s (`mode=ro`) handed to one request at a time; at most `size` kept idle."""

    def __init__(self, db_path: str, size: int = 8) -> None:
        self.db_path = db_path
        self.size = size
        self._idle: list[Store] = []
        self._lock = threading.Lock()

    def acquire(self) -> Store:
        """An idle connection, or a new one."""
        with self._lock:
            if self._idle:
                return self._idle.pop()
        store = Store(self.db_path, read_only=True)
        store.tune_for_reading()
        return store

    @contextmanager
    def borrowed(self, keep_after: tuple[type[BaseException], ...] = ()) -> Iterator[Store]:
        """A connection for the block, given back after it; closed after an error (the next borrower then
        starts on a fresh one), except after the `keep_after` errors, which leave it usable."""
        store = self.acquire()
        try:
            yield store
        except keep_after:
            self.release(store)
            raise
        except BaseException:
            store.close()
            raise
        self.release(store)

    def release(self, store: Store) -> None:
        """Give a connection back (closed if enough are idle)."""
        with self._lock:
            if len(self._idle) < self.size:
                self._idle.append(store)
                return
        store.close()

    def close(self) -> None:
        """Close every idle connection."""
        with self._lock:
            idle, self._idle = self._idle, []
        for store in idle:
            store.close()

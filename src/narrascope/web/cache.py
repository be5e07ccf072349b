"""Aggregates (counts, outlet lists) cached while the database files are unchanged.

The server only reads, so an aggregate stays right until a writer touches the database; any write
changes the size or modification time of the database file or its WAL, which drops the cache.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any


def database_signature(db_path: str) -> tuple[tuple[int, int], ...]:
    """(size, mtime) of the database file and its WAL: any committed write changes one of them."""
    parts = []
    for suffix in ("", "-wal"):
        try:
            status = os.stat(db_path + suffix)
        except FileNotFoundError:
            parts.append((0, 0))
            continue
        # An empty WAL is the same state as none: the first reader creates one without writing anything.
        parts.append((status.st_size, status.st_mtime_ns) if status.st_size else (0, 0))
    return tuple(parts)


class DatabaseStateCache:
    """A small LRU of results keyed by call and by the database files' (size, mtime)."""

    def __init__(self, db_path: str, size: int = 128) -> None:
        self.db_path = db_path
        self.size = size
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._signature: tuple[tuple[int, int], ...] = ()
        self._building: dict[Hashable, threading.Lock] = {}  # one computation per key at a time

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """The cached result for `key`, computed now if absent or if the database changed since.

        Concurrent requests for the same missing key wait for one computation instead of each running
        their own (the semantic index takes seconds to build on a large database).
        """
        found, value, _ = self._lookup(key)
        if found:
            return value
        with self._lock:
            building = self._building.setdefault(key, threading.Lock())
        with building:
            found, value, signature = self._lookup(key)  # another request may have finished it meanwhile
            if found:
                return value
            value = compute()
            with self._lock:
                if signature == self._signature:
                    self._entries[key] = value
                    while len(self._entries) > self.size:
                        self._entries.popitem(last=False)
        return value

    def _lookup(self, key: Hashable) -> tuple[bool, Any, tuple[tuple[int, int], ...]]:
        """(found, value, the database signature it was looked up under)."""
        signature = database_signature(self.db_path)
        with self._lock:
            if signature != self._signature:
                self._entries.clear()
                self._building.clear()  # locks held now stay with their holders; new waiters get new ones
                self._signature = signature
            if key in self._entries:
                self._entries.move_to_end(key)
                return True, self._entries[key], signature
        return False, None, signature

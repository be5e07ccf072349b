"""Read the full-text index into the OS page cache when a server starts, in a low-priority thread.

A cold search at 1M articles spends most of its time reading the doclists of its words from disk; once
read, the same search is several times faster. The server reads the whole index once (at most half of
the memory available, so it never pushes out what the machine needs), the way pg_prewarm or
Elasticsearch's preload warm an index, and searches made meanwhile are simply answered as before.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from collections.abc import Callable

from narrascope.store import Store

logger = logging.getLogger(__name__)
WARM_SHARE_OF_AVAILABLE = 0.5
WARM_NICENESS = 10


def available_memory() -> int:
    """Bytes of memory available to new page-cache contents (0 when unknown)."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return 0


def warm_search_index(db_path: str) -> tuple[int, float]:
    """Read the database's full-text index once; (bytes read, seconds). Errors are logged, never raised."""
    budget = int(available_memory() * WARM_SHARE_OF_AVAILABLE)
    started = time.perf_counter()
    if budget <= 0:
        return 0, 0.0
    try:
        with Store(db_path, read_only=True) as store:
            read = store.warm_search_index(budget)
    except Exception as error:  # a warm-up that fails costs nothing but the speed it would have brought
        logger.warning("%s: full-text index not read ahead (%s)", db_path, error)
        return 0, time.perf_counter() - started
    return read, time.perf_counter() - started


def warm_in_background(db_path: str, report: Callable[[int, float], None] | None = None) -> threading.Thread:
    """Start `warm_search_index` in a daemon thread at lower CPU priority; `report(bytes, seconds)` after."""

    def run() -> None:
        with contextlib.suppress(OSError, AttributeError):  # Linux: a thread id's niceness is that thread's
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), WARM_NICENESS)
        read, seconds = warm_search_index(db_path)
        if report is not None:
            report(read, seconds)

    thread = threading.Thread(target=run, name="narrascope-warm-search", daemon=True)
    thread.start()
    return thread

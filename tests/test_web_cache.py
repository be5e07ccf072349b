"""The web's aggregate cache: one computation per key at a time, dropped when the database file changes."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from narrascope.web.cache import DatabaseStateCache


def test_web_cache_concurrent_misses_compute_once(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    db.write_bytes(b"state one")
    cache = DatabaseStateCache(str(db))
    calls: list[int] = []
    started = threading.Barrier(8)

    def slow() -> int:
        calls.append(1)
        time.sleep(0.3)  # long enough that all eight requests arrive while it runs
        return 42

    results: list[int] = []

    def request() -> None:
        started.wait()
        results.append(cache.get("index", slow))

    threads = [threading.Thread(target=request) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [42] * 8 and len(calls) == 1


def test_web_cache_recomputes_after_the_database_changes(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    db.write_bytes(b"state one")
    cache = DatabaseStateCache(str(db))
    assert cache.get("k", lambda: 1) == 1 and cache.get("k", lambda: 2) == 1
    db.write_bytes(b"state two, longer")
    assert cache.get("k", lambda: 3) == 3

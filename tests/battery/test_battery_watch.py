"""`narrascope watch` stopped by SIGTERM, then SIGINT, mid-batch: clean exit, nothing half-stored, same final state.

The watch is sent the signal as soon as its first page is stored, while the rest of the batch is still
to do. It must exit promptly with status 0, leave a database that passes the integrity check with no
article lacking its claims, and a later `watch --once` must reach exactly the state of one uninterrupted
`ingest` of the same folder.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.battery.corpus import article_count, state_of, write_pages

pytestmark = pytest.mark.battery

PAGES = 16


def _environment() -> dict[str, str]:
    return {**os.environ, "HF_HUB_OFFLINE": "1", "NARRASCOPE_INGEST_ISOLATE": "0"}


def _cli(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "narrascope.cli", *arguments]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pages = tmp_path_factory.mktemp("watched")
    write_pages(pages, range(PAGES))
    return pages


@pytest.fixture(scope="module")
def reference(folder: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[object, ...]:
    db = tmp_path_factory.mktemp("reference") / "reference.db"
    subprocess.run(_cli("ingest", str(folder), "--db", str(db), "-q"), env=_environment(), check=True, timeout=300)
    return state_of(db)


def _watch_until_signalled(folder: Path, db: Path, signum: signal.Signals) -> int:
    """Start a watch, signal it once it stored a page more than before; returns how many are stored."""
    before = article_count(db)
    process = subprocess.Popen(_cli("watch", str(folder), "--db", str(db), "--interval", "0.5"), env=_environment(),
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while article_count(db) <= before and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signum)
    signalled = time.monotonic()
    _, errors = process.communicate(timeout=120)
    text = errors.decode()
    assert process.returncode == 0, text
    assert f"{signum.name}: stopping after the page in flight" in text and "(stop requested)" in text
    assert time.monotonic() - signalled < 60  # the page in flight and the derived tables, not the whole batch
    state_of(db)  # integrity ok, no article without its claims
    return article_count(db)


def test_battery_watch_sigterm_then_sigint_then_resume(folder: Path, reference: tuple[object, ...],
                                                       tmp_path: Path) -> None:
    db = tmp_path / "watch.db"
    after_term = _watch_until_signalled(folder, db, signal.SIGTERM)
    after_int = _watch_until_signalled(folder, db, signal.SIGINT)
    assert 0 < after_term < after_int < PAGES, "each signal should arrive mid-batch"
    subprocess.run(_cli("watch", str(folder), "--db", str(db), "--once"), env=_environment(), check=True, timeout=300,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    assert state_of(db) == reference

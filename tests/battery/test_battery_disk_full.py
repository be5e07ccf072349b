"""BATTERY.md D3: the disk fills up mid-batch.

Simulated two ways: SQLite's `PRAGMA max_page_count` on the writer's connection (always), and a tiny
tmpfs the database lives on (when this process may mount one, as root in CI). Pass: a clear "disk full"
error, ingest stops with status 2, no page half-stored (every article has its claims, integrity ok), and
once space is freed the same command resumes to the state of an uninterrupted run. `narrascope watch`
pauses instead of stopping, and carries on at the next poll.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from narrascope.config import IngestSettings, Settings
from narrascope.errors import DiskFullError
from narrascope.pipeline import ingest
from narrascope.store import Store
from narrascope.watch import Watch
from tests.battery.corpus import state_of, write_pages

pytestmark = pytest.mark.battery

SETTINGS = Settings(ingest=IngestSettings(isolate=False))
PAGES = 12


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pages = tmp_path_factory.mktemp("pages")
    write_pages(pages, range(PAGES))
    return pages


@pytest.fixture(scope="module")
def reference(folder: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[object, ...]:
    db = tmp_path_factory.mktemp("reference") / "reference.db"
    with Store(str(db)) as store:
        ingest([str(folder)], store, SETTINGS)
    return state_of(db)


def _cap_growth(store: Store, extra_pages: int) -> None:
    """Let the database grow by `extra_pages` pages at most (the cap lasts as long as this connection)."""
    count = store._connection.execute("PRAGMA page_count").fetchone()[0]
    store._connection.execute(f"PRAGMA max_page_count = {count + extra_pages}")


def _prefill(folder: Path, db: Path, pages: int) -> None:
    """Store the first pages, so the cap hits in the middle of the batch."""
    with Store(str(db)) as store:
        ingest([str(path) for path in sorted(folder.iterdir())[:pages]], store, SETTINGS)


def test_battery_d3_max_page_count_stops_then_resumes(folder: Path, reference: tuple[object, ...],
                                                      tmp_path: Path) -> None:
    db = tmp_path / "full.db"
    _prefill(folder, db, 3)
    with Store(str(db)) as store:
        _cap_growth(store, 6)
        with pytest.raises(DiskFullError) as caught:
            ingest([str(folder)], store, SETTINGS)
    message = str(caught.value)
    assert "disk full" in message and "rolled back" in message and "run the same command again" in message
    stopped = state_of(db)  # integrity ok, no article without its claims
    assert 3 <= len(stopped[0]) < PAGES  # type: ignore[arg-type]
    with Store(str(db)) as store:  # space freed: a new connection has no cap
        ingest([str(folder)], store, SETTINGS)
    assert state_of(db) == reference


def test_battery_d3_watch_pauses_and_carries_on(folder: Path, reference: tuple[object, ...], tmp_path: Path) -> None:
    db = tmp_path / "watch.db"
    _prefill(folder, db, 3)
    with Store(str(db)) as store:
        _cap_growth(store, 6)
        watch = Watch([str(folder)], store, SETTINGS)
        paused = watch.run(iterations=1, interval_s=0)
        assert paused.disk_full and "disk full" in paused.disk_full
        store._connection.execute("PRAGMA max_page_count = 1073741823")  # space freed while the watch waits
        resumed = watch.run(iterations=1, interval_s=0)
        assert resumed.disk_full is None and resumed.stored > 0
    assert state_of(db) == reference


@pytest.fixture
def tiny_tmpfs(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "tmpfs"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.decode().strip() or 'not root'})")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_battery_d3_tiny_tmpfs_cli(folder: Path, reference: tuple[object, ...], tiny_tmpfs: Path) -> None:
    db = tiny_tmpfs / "full.db"
    environment = {**os.environ, "HF_HUB_OFFLINE": "1", "NARRASCOPE_INGEST_ISOLATE": "0"}
    command = [sys.executable, "-m", "narrascope.cli", "ingest", str(folder), "--db", str(db), "-q"]
    first = sorted(folder.iterdir())[:3]
    subprocess.run([*command[:4], *map(str, first), *command[5:]], env=environment, check=True, timeout=300,
                   capture_output=True)
    free = shutil.disk_usage(tiny_tmpfs).free
    filler = tiny_tmpfs / "filler"
    filler.write_bytes(b"\0" * max(free - 160 * 1024, 0))  # leave room for a few pages only
    full = subprocess.run(command, env=environment, capture_output=True, timeout=300)
    errors = full.stderr.decode()
    assert full.returncode == 2, errors
    assert "disk full" in errors and "Traceback" not in errors
    filler.unlink()  # space freed
    stopped = state_of(db)
    assert 3 < len(stopped[0]) < PAGES, errors  # type: ignore[arg-type]  # it stopped mid-batch
    subprocess.run(command, env=environment, check=True, timeout=300, capture_output=True)
    assert state_of(db) == reference

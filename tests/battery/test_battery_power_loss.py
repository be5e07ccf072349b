"""BATTERY.md D2, power loss, simulated as far as a machine without a power switch allows.

A writer commits one page per transaction (WAL, checkpoints off) and prints each page once its commit
returned. At random moments it is frozen (SIGSTOP), its database and WAL files are copied as a crash
would leave them (no checkpoint, no -shm: SQLite rebuilds it), and it carries on. Each snapshot is
opened three ways: as copied; with the WAL cut at a random byte past the last acknowledged commit (a
torn write of the transaction in flight); and with that tail overwritten by random bytes (sectors
half-written). Every time: `integrity_check` is ok and every acknowledged page is present with its
claims. What this cannot simulate is the loss of data the kernel had not yet written to the device;
that is what `synchronous=FULL` (an fsync of the WAL at every commit) guards against, and is covered by
SQLite's own crash testing (https://www.sqlite.org/atomiccommit.html, https://www.sqlite.org/testing.html).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

PAGES = 400


def _snapshot_trials(tmp_path: Path, snapshots: int, seed: int, synchronous: str, pages: int = PAGES,
                     pause_s: float = 0.0) -> tuple[int, int]:
    """Snapshots checked, and how many of them had a transaction in flight to tear."""
    db = tmp_path / f"live-{synchronous}.db"
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    writer = subprocess.Popen([sys.executable, "-m", "tests.battery.crash_writer", str(db), str(pages), synchronous,
                               str(pause_s)],
                              env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    acknowledged: list[tuple[str, int]] = []

    def read() -> None:
        assert writer.stdout is not None
        for line in writer.stdout:
            page_id, wal = line.split()
            acknowledged.append((page_id, int(wal)))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    pick = random.Random(seed)
    checked = torn = 0
    deadline = time.monotonic() + 120
    while not acknowledged and writer.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)  # snapshots start once the database exists and holds a page
    try:
        for number in range(snapshots):
            time.sleep(pick.uniform(0.05, 0.4))
            if writer.poll() is not None:
                break
            writer.send_signal(signal.SIGSTOP)
            try:
                seen = list(acknowledged)
                snapshot = tmp_path / f"snap{number}"
                snapshot.mkdir()
                for suffix in ("", "-wal"):
                    if Path(f"{db}{suffix}").exists():
                        shutil.copyfile(f"{db}{suffix}", snapshot / f"copy.db{suffix}")
            finally:
                writer.send_signal(signal.SIGCONT)
            torn += _check_snapshot(snapshot, seen, pick)
            checked += 1
            shutil.rmtree(snapshot)
    finally:
        writer.kill()
        writer.wait()
    assert checked >= snapshots // 2, writer.stderr.read() if writer.stderr else ""
    print(f"D2 {synchronous}: {checked} snapshots, {torn} with a torn transaction, "
          f"{len(acknowledged)} pages acknowledged by the end")
    return checked, torn


def _check_snapshot(snapshot: Path, acknowledged: list[tuple[str, int]], pick: random.Random) -> bool:
    wal = snapshot / "copy.db-wal"
    last_acknowledged = acknowledged[-1][1] if acknowledged else 32
    wal_size = wal.stat().st_size if wal.exists() else 0
    variants = {"as copied": None}
    if wal_size > last_acknowledged:
        variants["torn tail"] = "truncate"
        variants["garbage tail"] = "garbage"
    for name, damage in variants.items():
        trial = snapshot / name.replace(" ", "-")
        trial.mkdir()
        shutil.copyfile(snapshot / "copy.db", trial / "copy.db")
        if wal.exists():
            shutil.copyfile(wal, trial / "copy.db-wal")
            with (trial / "copy.db-wal").open("r+b") as stream:
                if damage == "truncate":
                    stream.truncate(pick.randrange(last_acknowledged, wal_size))
                elif damage == "garbage":
                    start = pick.randrange(last_acknowledged, wal_size)
                    stream.seek(start)
                    stream.write(pick.randbytes(wal_size - start))
        with sqlite3.connect(trial / "copy.db") as connection:  # recovery runs here, as after a reboot
            assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok", name
            stored = {row[0] for row in connection.execute("SELECT id FROM articles")}
            with_claims = {row[0] for row in connection.execute("SELECT DISTINCT article_id FROM claims")}
        missing = [page_id for page_id, _ in acknowledged if page_id not in stored]
        assert not missing, f"{name}: {len(missing)} acknowledged pages lost"
        assert stored <= with_claims, f"{name}: an article without its claims"
    return len(variants) > 1


@pytest.mark.battery
def test_battery_d2_crash_snapshots_full(tmp_path: Path) -> None:
    # The writer runs until the trials end: with a fixed 400 pages a quiet machine finished writing before
    # half the snapshots were taken (2 of 8), which made the count depend on the machine's speed.
    _snapshot_trials(tmp_path, snapshots=8, seed=2, synchronous="FULL", pages=10**6)


@pytest.mark.battery_long
@pytest.mark.parametrize("synchronous", ["FULL", "NORMAL"])
def test_battery_d2_crash_snapshots_many(tmp_path: Path, synchronous: str) -> None:
    checked, torn = _snapshot_trials(tmp_path, snapshots=60, seed=20, synchronous=synchronous, pages=10**6,
                                     pause_s=0.05)  # the writer runs until the trials end
    assert checked >= 30
    # Under FULL a commit waits for fsync, so freezes often land inside one (11 of 60 in bench/README.md);
    # a NORMAL commit is too short to catch there, so its torn-tail variants are rarely exercised.
    assert torn > 0 or synchronous == "NORMAL"

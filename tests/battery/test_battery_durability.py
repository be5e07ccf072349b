"""BATTERY.md D1, D4, D6, D7, D9: kill -9 mid-ingest, re-ingest, two writers, backup, migrations.

"Nothing lost": after a kill at a random moment and a restart, the database passes SQLite's integrity
check, no article is stored without its claims, and the final state (articles, claims, speakers,
clusters, narratives) equals that of an uninterrupted run. A few trials run in `make test`; 50 run in
`make battery`.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from narrascope.store import Store
from tests.battery.corpus import state_of

pytestmark = pytest.mark.battery

TOPICS = [("harbour bridge", "Maria Lopez", "transport office"), ("water supply", "Ken Ito", "utility board"),
          ("school budget", "Ada Obi", "education council"), ("wind farm", "Lars Berg", "energy agency"),
          ("rail strike", "Rosa Diaz", "rail union"), ("flood defences", "Omar Haddad", "river authority"),
          ("tram line", "Eva Novak", "city planners"), ("hospital wing", "Sam Reed", "health trust")]


def _page(number: int, topic: tuple[str, str, str]) -> str:
    subject, person, body = topic
    return (f"City Ledger\n\nWork on the {subject} starts in week {number}, officials say\n\n"
            f"By Staff Reporter - March {number + 1} 2021\n\n"
            f"The {subject} project will begin in week {number} after months of delay, the {body} said on Monday.\n\n"
            f"\"We have the money and the people to finish the {subject} by next year,\" said {person}, "
            f"who leads the project. \"Delays of this kind will not happen again.\"\n\n"
            f"{person.split()[-1]} added that residents would be consulted on the {subject} plans "
            f"in week {number + 1}.\n\n"
            f"Critics said the {subject} had already cost twice what was promised.\n")


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pages")
    for number in range(16):
        (folder / f"page{number:02d}.txt").write_text(_page(number, TOPICS[number % len(TOPICS)]), encoding="utf-8")
    return folder


def _ingest_command(folder: Path, db: Path) -> list[str]:
    return [sys.executable, "-m", "narrascope.cli", "ingest", str(folder), "--db", str(db), "-q"]


def _environment() -> dict[str, str]:
    return {**os.environ, "HF_HUB_OFFLINE": "1", "NARRASCOPE_INGEST_ISOLATE": "0"}


@pytest.fixture(scope="module")
def reference(pages: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[object, ...]:
    db = tmp_path_factory.mktemp("reference") / "reference.db"
    subprocess.run(_ingest_command(pages, db), env=_environment(), check=True, timeout=300)
    return state_of(db)


def _kill_trial(pages: Path, db: Path, seed: int) -> None:
    process = subprocess.Popen(_ingest_command(pages, db), env=_environment(),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(random.Random(seed).uniform(1.0, 4.5))  # a full run of these pages takes about 5 s
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    subprocess.run(_ingest_command(pages, db), env=_environment(), check=True, timeout=300,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_battery_d1_kill_9_then_resume_loses_nothing(
    pages: Path, reference: tuple[object, ...], tmp_path: Path, seed: int
) -> None:
    db = tmp_path / "killed.db"
    _kill_trial(pages, db, seed)
    assert state_of(db) == reference


@pytest.mark.battery_long
def test_battery_d1_fifty_kill_trials(pages: Path, reference: tuple[object, ...], tmp_path: Path) -> None:
    for seed in range(50):
        db = tmp_path / f"killed{seed}.db"
        _kill_trial(pages, db, 100 + seed)
        assert state_of(db) == reference, f"trial {seed}"


def test_battery_d4_reingest_three_times_changes_nothing(
    pages: Path, reference: tuple[object, ...], tmp_path: Path
) -> None:
    db = tmp_path / "again.db"
    for _ in range(3):
        subprocess.run(_ingest_command(pages, db), env=_environment(), check=True, timeout=300)
        assert state_of(db) == reference


def test_battery_d6_two_writers_at_once(pages: Path, reference: tuple[object, ...], tmp_path: Path) -> None:
    db = tmp_path / "two.db"
    processes = [subprocess.Popen(_ingest_command(pages, db), env=_environment(), stderr=subprocess.PIPE)
                 for _ in range(2)]
    codes = [p.wait(timeout=300) for p in processes]
    errors = b"".join(p.stderr.read() for p in processes if p.stderr).decode()
    assert codes == [0, 0], errors
    assert "database is locked" not in errors
    assert state_of(db) == reference


def test_battery_d7_backup_while_reading_restores(pages: Path, reference: tuple[object, ...], tmp_path: Path) -> None:
    db = tmp_path / "live.db"
    subprocess.run(_ingest_command(pages, db), env=_environment(), check=True, timeout=300)
    backup = tmp_path / "backup.db"
    with sqlite3.connect(db) as source, sqlite3.connect(backup) as target:
        source.backup(target)  # SQLite's online backup API: consistent while others read and write
    assert state_of(backup) == reference


def test_battery_d9_failed_migration_leaves_old_schema(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from narrascope.errors import StoreError
    from narrascope.store import migrations

    db = tmp_path / "m.db"
    names = migrations.migration_names()
    monkeypatch.setattr(migrations, "migration_names", lambda: names[:1])
    Store(str(db)).close()
    broken = "CREATE TABLE half_done (x INTEGER);\nTHIS IS NOT SQL;\n"
    real_statements = migrations._statements
    monkeypatch.setattr(migrations, "migration_names", lambda: names[:2])
    monkeypatch.setattr(migrations, "_statements",
                        lambda script: real_statements(broken) if "search" in script else real_statements(script))
    with pytest.raises(StoreError, match="rolled back"):
        Store(str(db))
    tables = {row[0] for row in sqlite3.connect(db).execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "half_done" not in tables and "articles" in tables
    applied = [row[0] for row in sqlite3.connect(db).execute("SELECT name FROM schema_migrations")]
    assert applied == names[:1]

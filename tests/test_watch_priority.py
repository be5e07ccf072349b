"""`watch --nice N` runs ingestion at a lower CPU priority, so readers of the same database come first."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from narrascope.cli import main


def _niceness(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[16])  # field 19 of stat(5); fields[0] is field 3


def test_watch_priority_lowers_its_own_cpu_priority(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    environment = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    watch = subprocess.Popen([sys.executable, "-m", "narrascope.cli", "watch", str(folder), "--db",
                              str(tmp_path / "w.db"), "--interval", "60", "--nice", "7"],
                             env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        assert watch.stderr is not None
        line = watch.stderr.readline()
        while line and "poll 1" not in line:
            line = watch.stderr.readline()
        assert "poll 1" in line, "watch stopped before its first poll"
        assert _niceness(watch.pid) == _niceness(os.getpid()) + 7
    finally:
        watch.send_signal(signal.SIGTERM)
        assert watch.wait(timeout=60) == 0


def test_watch_priority_refuses_a_higher_priority(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["watch", str(tmp_path), "--db", str(tmp_path / "w.db"), "--once", "--nice", "-5"]) == 2
    assert "--nice -5: only a lower priority" in capsys.readouterr().err

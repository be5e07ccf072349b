"""`narrascope refresh [--full]`: brings the derived tables up to date, says whether it had to."""

from __future__ import annotations

from pathlib import Path

import pytest

from narrascope.cli import main
from narrascope.store import Store


def test_cli_refresh_runs_once_then_is_up_to_date(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "n.db")
    assert main(["refresh", "--db", db]) == 0
    assert "refreshed" in capsys.readouterr().err
    assert main(["refresh", "--db", db]) == 0
    assert "already up to date" in capsys.readouterr().err
    assert main(["refresh", "--full", "--db", db]) == 0  # a full run already gave this state
    assert "already up to date" in capsys.readouterr().err
    with Store(db) as store:
        assert store.derived_state() is not None and store.incremental_marker() is None

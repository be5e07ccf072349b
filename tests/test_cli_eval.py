"""`narrascope eval KIND` runs the evaluation drivers of the checkout on ../shared/data."""

from __future__ import annotations

import json

import pytest

from narrascope.cli import main
from tests.seeds import DATA

pytestmark = pytest.mark.slow


def test_cli_eval_quotes_prints_figures(capsys: pytest.CaptureFixture[str]) -> None:
    if not (DATA / "quotes" / "polnear").is_dir():
        pytest.skip(f"PolNeAR not found under {DATA}")
    assert main(["eval", "quotes", "--limit", "3"]) == 0
    out = capsys.readouterr().out
    figures = json.loads(out[out.index("{"):])
    assert "seconds" in figures and any(isinstance(v, dict) and "f1" in v for v in figures.values())


def test_cli_eval_unknown_kind_is_a_usage_error() -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["eval", "everything"])
    assert exit_info.value.code == 2


def test_cli_eval_extraction_prints_scores_and_worst_pages(capsys: pytest.CaptureFixture[str]) -> None:
    if not (DATA / "extraction" / "scrapinghub" / "ground-truth.json").exists():
        pytest.skip(f"scrapinghub not found under {DATA}")
    assert main(["eval", "extraction", "scrapinghub", "--mode", "text", "--rendering", "text", "--worst", "2"]) == 0
    out = capsys.readouterr().out
    assert "F1 0.9" in out and "BoW F1" in out
    assert out.count("  worst ") == 2

"""Quality gate: the text-mode cleaner on all of Scrapinghub's text/ renderings (../shared/data)."""

from __future__ import annotations

import json
import time

import pytest

from narrascope.clean import clean_text
from narrascope.evaluation.extraction import score_pages
from tests.seeds import DATA

SCRAPINGHUB = DATA / "extraction" / "scrapinghub"
# Measured 0.908 (P 0.878, R 0.940) on 2026-11-23; the floor leaves 0.02 for noise-free refactors.
F1_FLOOR = 0.888


@pytest.mark.slow
def test_extraction_eval_gate_scrapinghub_text_f1() -> None:
    if not (SCRAPINGHUB / "ground-truth.json").exists():
        pytest.skip(f"{SCRAPINGHUB} is absent: the gate needs ../shared/data beside the checkout")
    gold = json.loads((SCRAPINGHUB / "ground-truth.json").read_text(encoding="utf-8"))
    started = time.perf_counter()
    pairs = []
    for key, item in gold.items():
        cleaned = clean_text((SCRAPINGHUB / "text" / f"{key}.txt").read_text(encoding="utf-8"))
        pairs.append((cleaned.body if cleaned else "", item["articleBody"]))
    scores = score_pages(pairs)
    assert scores.pages == 181
    measured = f"{scores.f1:.3f} (P {scores.precision:.3f}, R {scores.recall:.3f})"
    assert scores.f1 >= F1_FLOOR, f"text-mode F1 fell to {measured}"
    assert time.perf_counter() - started < 30


WCXB = DATA / "extraction" / "wcxb-dev-articles"
# Text-mode metadata on the first 200 wcxb-dev pages (text/ by inscriptis), exact match: measured
# 2026-12-01 title 0.605, author 0.411, date 0.633 (development pages: the rules were written
# looking at wcxb-dev misses); the floors leave 0.03.
TEXT_METADATA_FLOORS = {"title": 0.575, "author": 0.381, "date": 0.603}


@pytest.mark.slow
def test_extraction_eval_gate_wcxb_text_metadata() -> None:
    from narrascope.clean import clean_page
    from narrascope.errors import PageError
    from narrascope.evaluation.benchmark_pages import load_gold
    from narrascope.evaluation.extraction import score_field
    from narrascope.ingest import page_from_text
    from narrascope.metadata import extract_metadata
    from narrascope.models import CleanedPage

    if not (WCXB / "ground-truth.jsonl.gz").exists():
        pytest.skip(f"{WCXB} is absent: the gate needs ../shared/data beside the checkout")
    rows = []
    for key, (_body, url, meta) in list(load_gold("wcxb-dev-articles", DATA / "extraction").items())[:200]:
        path = WCXB / "text" / f"{key}.txt"
        page = page_from_text(str(path), path.read_text(encoding="utf-8", errors="replace"), url=url)
        try:
            cleaned = clean_page(page)
        except PageError:
            cleaned = CleanedPage(body="")
        rows.append((extract_metadata(page, cleaned), meta))
    fields = [score_field("title", [(found.title, gold["title"]) for found, gold in rows]),
              score_field("author", [(found.author, gold["author"]) for found, gold in rows]),
              score_field("date", [(found.published, gold["date"]) for found, gold in rows], is_date=True)]
    for field in fields:
        assert field.rate >= TEXT_METADATA_FLOORS[field.name], f"text-mode {field.name} fell to {field.rate:.3f}"

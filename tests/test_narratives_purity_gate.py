"""Gate: the seeds' narrative holds all five seed pages and none of 100 unrelated real pages."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from narrascope.config import Settings
from narrascope.pipeline import ingest
from narrascope.store import Store
from tests.seeds import DATA, SEEDS, seed_paths

pytestmark = pytest.mark.slow
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from narrative_purity import other_pages, purity  # noqa: E402


def test_narratives_seeds_story_among_100_unrelated_pages(tmp_path: Path) -> None:
    seed_paths()
    others = other_pages(100)
    if len(others) < 100:
        pytest.skip(f"fewer than 100 unrelated pages under {DATA}")
    db = str(tmp_path / "purity.db")
    with Store(db) as store:
        report = ingest([str(SEEDS)] + [str(p) for p in others], store, Settings(db=db))
        assert report.stored >= 100
        seed_ids = {a.id for a in store.articles() if Path(a.source).parent == SEEDS}
        seeds, unrelated, _ = purity(store, seed_ids)
    assert (seeds, unrelated) == (5, 0)

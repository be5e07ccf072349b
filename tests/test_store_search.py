"""Full-text search in the store, on SQLite (FTS5, bm25) and PostgreSQL (tsvector, ts_rank) alike."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from narrascope.store import Store
from tests.helpers import make_article, make_page


def _fill(db: str, articles: int) -> None:
    with Store(db) as store:
        for number in range(articles):
            # Varying counts of the word make distinct scores; every tenth article has none of it.
            body = " ".join(["quokka"] * (number % 7 + 1) + ["filler words about other things"] * (number % 5 + 3))
            if number % 10 == 9:
                body = "nothing to find here " * 4
            page = make_page(f"{body} {number}", source=f"page-{number}.txt")
            store.save_article(page, make_article(page, body), [])
        store.sync_search_index()


def test_store_search_pages_tile_the_ranking_best_first(db_target: str) -> None:
    _fill(db_target, 60)
    with Store(db_target, read_only=True) as store:
        ranked = [row["id"] for row in store.search_articles('"quokka"', limit=100)]
        pages = [row["id"] for offset in range(0, 60, 7) for row in store.search_articles('"quokka"', limit=7,
                                                                                          offset=offset)]
        first = store.search_articles('"quokka"', limit=1)[0]
    assert len(ranked) == 54 and pages == ranked  # the 6 articles without the word are not found
    assert first["body"].count("quokka") == 7  # the densest ones first (both rankers agree on that)


def test_store_search_reads_bodies_only_for_the_page_shown(tmp_path: Path) -> None:
    # The page is cut from the ranked window inside the subquery, before the join reads any body: joined
    # first, every row of the window (store.browsing.SEARCH_WINDOW of them) read its article, 1000 bodies for 50 shown.
    db = str(tmp_path / "search.db")
    _fill(db, 3)
    statements: list[str] = []
    with Store(db, read_only=True) as store:
        store._connection.raw.set_trace_callback(statements.append)  # type: ignore[attr-defined]
        store.search_articles('"quokka"', limit=50)
    [sql] = {s for s in statements if "articles_fts MATCH" in s}
    plan = [(row[1], str(row[3])) for row in sqlite3.connect(db).execute("EXPLAIN QUERY PLAN " + sql)]
    order_bys = [parent for parent, detail in plan if "ORDER BY" in detail]
    assert any(parent != 0 for parent in order_bys), plan  # a sort inside the materialised page


def test_store_search_warm_up_reads_the_whole_index_within_its_budget(tmp_path: Path) -> None:
    db = str(tmp_path / "warm.db")
    with Store(db) as store:  # distinct words, so that the index spans many segment blocks
        for number in range(300):
            body = " ".join(f"word{number}x{other}" for other in range(30))
            page = make_page(body, source=f"page-{number}.txt")
            store.save_article(page, make_article(page, body), [])
        store.sync_search_index()
    probe = sqlite3.connect(db)
    total = sum(len(row[0]) for row in probe.execute("SELECT block FROM articles_fts_data")) + sum(
        len(row[0]) for row in probe.execute("SELECT sz FROM articles_fts_docsize"))
    with Store(db, read_only=True) as store:
        assert store.warm_search_index(10**12) == total > 0
        assert 100 <= store.warm_search_index(100) < total  # stops once the budget is spent
        assert store.warm_search_index(10**12, stop=lambda: True) < total  # a stopping server stops it


def test_store_search_serve_warms_the_index_in_a_background_thread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    import uvicorn

    from narrascope.cli import main
    from narrascope.web import warm

    db = str(tmp_path / "warm.db")
    _fill(db, 12)
    started: list[threading.Thread] = []
    real = warm.warm_in_background
    monkeypatch.setattr(warm, "warm_in_background", lambda *a, **k: started.append(real(*a, **k)) or started[-1])
    monkeypatch.setattr(uvicorn, "run", lambda *_, **__: None)
    assert main(["serve", "--db", db, "--port", "8124"]) == 0
    started[0].join(timeout=60)
    assert "full-text index read into memory" in capsys.readouterr().err
    assert main(["serve", "--db", db, "--port", "8124", "--no-warm"]) == 0
    assert len(started) == 1

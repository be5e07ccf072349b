"""Store: migrations, idempotent writes, read-only access; each test on SQLite and on PostgreSQL (db_target)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import psycopg
import pytest

from narrascope.errors import StoreError
from narrascope.models import Rejection
from narrascope.store import Store
from narrascope.store.migrations import migration_names
from tests.helpers import make_article, make_claim, make_page


def _applied(db: str) -> list[str]:
    with Store(db, read_only=True) as store:
        return [r[0] for r in store._connection.execute("SELECT name FROM schema_migrations ORDER BY name")]


def test_store_migrations_apply_once(db_target: str) -> None:
    Store(db_target).close()
    Store(db_target).close()
    assert _applied(db_target) == migration_names()
    if not db_target.startswith("postgresql://"):
        assert sqlite3.connect(db_target).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_store_save_article_is_idempotent(db_target: str) -> None:
    page = make_page("Some page text that is long enough to be an article page.")
    article = make_article(page, "The body.")
    claims = [make_claim(page.id, 1, "the body"), make_claim(page.id, 2, "body again")]
    with Store(db_target) as store:
        for _ in range(3):
            store.save_article(page, article, claims)
        assert len(store.articles()) == 1
        assert [c.id for c in store.claims()] == [claims[0].id, claims[1].id]
        assert store.articles()[0].page_text == page.text
        assert store.integrity_ok()


def test_store_rejection_replaced_then_cleared_when_stored(db_target: str) -> None:
    page = make_page("A page that failed once and then went in on the second try.", source="p.txt")
    with Store(db_target) as store:
        store.record_rejection(Rejection("p.txt", "timeout", "first"))
        store.record_rejection(Rejection("p.txt", "too_small", "second"))
        assert store.rejections() == [Rejection("p.txt", "too_small", "second")]
        store.save_article(page, make_article(page, "Body."), [])
        assert store.rejections() == []


def test_store_read_only_refuses_writes(db_target: str) -> None:
    Store(db_target).close()
    page = make_page("A page that must not be written through a read-only store.")
    with Store(db_target, read_only=True) as store:
        with pytest.raises((sqlite3.OperationalError, psycopg.errors.ReadOnlySqlTransaction), match=r"read.?only"):
            store.save_article(page, make_article(page, "Body."), [])
        assert store.counts()["articles"] == 0  # and the connection still reads after the refused write


def test_store_read_only_missing_database_says_what_to_do(db_target: str) -> None:
    """A missing SQLite file, or a PostgreSQL database without the schema."""
    with pytest.raises(StoreError, match="narrascope ingest"):
        Store(db_target, read_only=True)


def test_store_many_processes_opening_a_new_database_at_once(db_target: str, tmp_path: Path) -> None:
    """Regression (BATTERY.md D6): two writers opening a fresh database raced on its migrations."""
    import threading

    for trial in range(5 if not db_target.startswith("postgresql://") else 1):
        db = str(tmp_path / f"race{trial}.db") if trial else db_target
        errors: list[Exception] = []
        barrier = threading.Barrier(6)

        def open_store(path: str = db, barrier: threading.Barrier = barrier, errors: list[Exception] = errors) -> None:
            barrier.wait()
            try:
                Store(path).close()
            except Exception as error:
                errors.append(error)

        threads = [threading.Thread(target=open_store) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert _applied(db) == migration_names()


def test_store_sql_with_percent_and_question_marks_in_literals(db_target: str) -> None:
    """The PostgreSQL dialect layer rewrites placeholders, never the text of a literal."""
    with Store(db_target) as store:
        row = store._connection.execute("SELECT '50% ?' || ?, 7 % 4", ("x",)).fetchone()
        assert tuple(row) == ("50% ?x", 3)
        assert tuple(store._connection.execute("SELECT 'a%b', 9 % 5").fetchone()) == ("a%b", 4)


def test_store_browsing_filters_and_sorts_alike_on_both_engines(db_target: str,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Narrative lists by size, recency and age (NULL dates placed as SQLite places them), filtered by
    speaker, outlet and language through both of narrative_rows' paths (selective and broad)."""
    from narrascope.models import ClaimCluster, Narrative, Speaker
    from narrascope.store import browsing

    with Store(db_target) as store:
        pages = [make_page(f"Page number {n} with enough words to be stored as an article.") for n in range(4)]
        outlets = ["Daily A", "Daily B", "Daily A", None]
        dates = ["2024-01-02", None, "2024-03-04", "2023-12-31"]
        for page, outlet, date in zip(pages, outlets, dates, strict=True):
            store.save_article(page, make_article(page, "Body text.", published=date, outlet=outlet),
                               [make_claim(page.id, 1, "Body", speaker="Ann Lee")])
        ids = [page.id for page in pages]
        narratives = [
            Narrative("n-big", "Big", ("a",), (f"{ids[0]}-1", f"{ids[1]}-1", f"{ids[2]}-1"), ("c1",),
                      (ids[0], ids[1], ids[2]), ("s1",), ("Daily A", "Daily B"), None, "2024-03-04"),
            Narrative("n-small", "Small", ("b",), (f"{ids[3]}-1",), ("c2",), (ids[3],), ("s1",), (), "2023-12-31",
                      None),
        ]
        links: dict[str, tuple[str | None, str | None, str | None]] = {
            f"{ids[n]}-1": ("s1", "c1" if n < 3 else "c2", "n-big" if n < 3 else "n-small") for n in range(4)}
        store.replace_derived([Speaker("s1", "Ann Lee", (), None, "person")],
                              [ClaimCluster("c1", "c", ()), ClaimCluster("c2", "d", ())], narratives, links, "f")

        def order(**filters: object) -> tuple[list[str], int | None]:
            rows, total = store.narrative_rows(**filters)  # type: ignore[arg-type]
            return [row["id"] for row in rows], total

        assert order(sort="size") == (["n-big", "n-small"], 2)
        assert order(sort="recent") == (["n-big", "n-small"], 2)  # NULL last_seen sorts last, as in SQLite
        assert order(sort="oldest") == (["n-big", "n-small"], 2)  # NULL first_seen sorts first, as in SQLite
        monkeypatch.setattr(browsing, "BROAD_FILTER_SHARE", 1.0)  # every filter takes the selective path
        assert order(speaker_id="s1", outlet="Daily B") == (["n-big"], 1)
        monkeypatch.setattr(browsing, "BROAD_FILTER_SHARE", 0.0)  # every filter takes the broad path
        assert order(outlet="Daily A") == (["n-big"], None)
        assert order(language="en", sort="oldest") == (["n-big", "n-small"], None)
        rows, total = store.article_rows(limit=10)
        assert [row["published"] for row in rows] == ["2024-03-04", "2024-01-02", "2023-12-31", None] and total == 4
        assert [row["name"] for row in store.outlet_rows()[0]] == ["Daily A", "Daily B"]
        assert store.outlet_row("Daily A") == {"articles": 2, "first_published": "2024-01-02",
                                               "last_published": "2024-03-04", "languages": ["en"],
                                               "name": "Daily A"}
        assert store.speaker_profile("s1")["per_month"] == [
            {"month": None, "claims": 1}, {"month": "2023-12", "claims": 1}, {"month": "2024-01", "claims": 1},
            {"month": "2024-03", "claims": 1}]
        assert [row["speaker"] for row in store.graph_rows("n-big")] == ["Ann Lee", "Ann Lee"]
        assert store.claim_rows(claim_ids=[]) == [] and store.cluster_rows([]) == []  # `IN ()`
        assert store._connection.execute("SELECT count(*) FROM claims WHERE id NOT IN ()").fetchone()[0] == 4

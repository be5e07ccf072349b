"""Store: migrations, idempotent writes, read-only access."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from narrascope.errors import StoreError
from narrascope.models import Rejection
from narrascope.store import Store
from narrascope.store.migrations import migration_names
from tests.helpers import make_article, make_claim, make_page


def test_store_migrations_apply_once(tmp_path: Path) -> None:
    db = str(tmp_path / "n.db")
    Store(db).close()
    Store(db).close()
    rows = sqlite3.connect(db).execute("SELECT name FROM schema_migrations").fetchall()
    assert [r[0] for r in rows] == migration_names()
    assert sqlite3.connect(db).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_store_save_article_is_idempotent(tmp_path: Path) -> None:
    page = make_page("Some page text that is long enough to be an article page.")
    article = make_article(page, "The body.")
    claims = [make_claim(page.id, 1, "the body"), make_claim(page.id, 2, "body again")]
    with Store(str(tmp_path / "n.db")) as store:
        for _ in range(3):
            store.save_article(page, article, claims)
        assert len(store.articles()) == 1
        assert [c.id for c in store.claims()] == [claims[0].id, claims[1].id]
        assert store.articles()[0].page_text == page.text
        assert store.integrity_ok()


def test_store_rejection_replaced_then_cleared_when_stored(tmp_path: Path) -> None:
    page = make_page("A page that failed once and then went in on the second try.", source="p.txt")
    with Store(str(tmp_path / "n.db")) as store:
        store.record_rejection(Rejection("p.txt", "timeout", "first"))
        store.record_rejection(Rejection("p.txt", "too_small", "second"))
        assert store.rejections() == [Rejection("p.txt", "too_small", "second")]
        store.save_article(page, make_article(page, "Body."), [])
        assert store.rejections() == []


def test_store_read_only_refuses_writes(tmp_path: Path) -> None:
    db = str(tmp_path / "n.db")
    Store(db).close()
    page = make_page("A page that must not be written through a read-only store.")
    with Store(db, read_only=True) as store, pytest.raises(sqlite3.OperationalError, match="readonly"):
        store.save_article(page, make_article(page, "Body."), [])


def test_store_read_only_missing_database_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="narrascope ingest"):
        Store(str(tmp_path / "missing.db"), read_only=True)


def test_store_many_processes_opening_a_new_database_at_once(tmp_path: Path) -> None:
    """Regression (BATTERY.md D6): two writers opening a fresh database raced on its migrations."""
    import threading

    for trial in range(5):
        db = str(tmp_path / f"race{trial}.db")
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
        applied = [r[0] for r in sqlite3.connect(db).execute("SELECT name FROM schema_migrations ORDER BY name")]
        assert applied == migration_names()

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

"""BATTERY.md D10: the store suite's hard cases on PostgreSQL, with the same results as on SQLite.

Every test runs twice through the `db_target` fixture (an SQLite file, then a database in a private
PostgreSQL cluster) and asserts the same values on both.
"""

from __future__ import annotations

import random
import sqlite3
import string
import subprocess
import threading
from dataclasses import replace
from pathlib import Path

import psycopg
import pytest

from narrascope.errors import PageError, StoreError
from narrascope.models import Rejection, Speaker
from narrascope.store import Store
from tests.helpers import make_article, make_claim, make_page
from tests.postgres_server import new_database

pytestmark = pytest.mark.battery


def test_battery_d10_nul_character_is_refused_with_its_reason(db_target: str) -> None:
    page = make_page("A page with a NUL\x00 character inside its text, built without the ingest decoder.")
    clean = make_page("A clean page stored beside it, so the refusal leaves the connection working.")
    with Store(db_target) as store:
        with pytest.raises(PageError, match="NUL") as refused:
            store.save_article(page, make_article(page, "Body with NUL\x00."), [])
        assert refused.value.reason == "nul_character" and refused.value.source == page.source
        body_ok = make_page("Body is clean but a claim is not: the whole page is refused, not half stored.")
        with pytest.raises(PageError, match="claim"):
            store.save_article(body_ok, make_article(body_ok, "Clean body."), [make_claim(body_ok.id, 1, "x\x00")])
        store.save_article(clean, make_article(clean, "Clean body."), [make_claim(clean.id, 1, "Clean")])
        assert store.counts()["pages"] == 1 and store.counts()["claims"] == 1
        store.record_rejection(Rejection(page.source, "unreadable", "quoted \x00 byte"))
        assert store.rejections()[0].message == "quoted \\x00 byte"


def _random_words(characters: int, seed: int) -> str:
    chooser = random.Random(seed)
    words: list[str] = []
    total = 0
    while total < characters:
        word = "".join(chooser.choices(string.ascii_lowercase, k=chooser.randint(3, 10)))
        words.append(word)
        total += len(word) + 1
    return " ".join(words)


def test_battery_d10_long_text_round_trips_and_is_searchable(db_target: str) -> None:
    """A 1.5 MB body of all-distinct words: stored whole, spans exact, and the search index still builds
    (PostgreSQL's tsvector holds at most 1 MiB; its index covers the first 300,000 characters)."""
    body = "Quokka opening words. " + _random_words(1_500_000, 7) + " closing statement here."
    page = make_page("long page " + body[:200])
    claim = replace(make_claim(page.id, 1, "closing statement here"), start=len(body) - 23, end=len(body) - 1)
    with Store(db_target) as store:
        store.save_article(page, make_article(page, body), [claim])
        assert store.sync_search_index() == 1
        [article] = store.articles()
        assert article.body == body
        [stored] = store.claims()
        assert article.body[stored.start:stored.end] == stored.text
        assert [row["id"] for row in store.search_articles("quokka")] == [page.id]


def test_battery_d10_two_writers_at_once_never_interleave(db_target: str) -> None:
    """Two connections write pages and replace the derived tables at the same moment: every page is
    stored with its claims and the derived tables are exactly one writer's set, never a mix."""
    Store(db_target).close()
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def writer(number: int) -> None:
        try:
            with Store(db_target) as store:
                barrier.wait()
                for index in range(15):
                    page = make_page(f"Writer {number} page {index}: enough text to be a page of its own.")
                    store.save_article(page, make_article(page, f"Body {number} {index}."),
                                       [make_claim(page.id, k, f"claim {k}") for k in range(3)])
                    speakers = [Speaker(f"w{number}-{k}", f"Writer {number} speaker {k}", (), None, "person")
                                for k in range(20)]
                    store.replace_derived(speakers, [], [], {}, f"writer-{number}-{index}")
        except BaseException as error:  # reported below: a thread's exception would otherwise vanish
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(number,)) for number in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with Store(db_target, read_only=True) as store:
        assert store.counts()["articles"] == 30 and store.counts()["claims"] == 90
        owners = {speaker.id.split("-")[0] for speaker in store.speakers()}
        assert len(owners) == 1 and len(store.speakers()) == 20
        assert store.derived_state() == f"writer-{owners.pop()[1:]}-14"
        assert store.integrity_ok()


def test_battery_d10_failed_derived_replacement_keeps_the_old_tables(db_target: str) -> None:
    first = [Speaker("s1", "First Speaker", ("F. Speaker",), None, "person")]
    with Store(db_target) as store:
        store.replace_derived(first, [], [], {}, "one")
        duplicate = [Speaker("s2", "Second", (), None, "person"), Speaker("s2", "Again", (), None, "person")]
        with pytest.raises((sqlite3.IntegrityError, psycopg.errors.UniqueViolation), match=r"(?i)unique|duplicate"):
            store.replace_derived(duplicate, [], [], {}, "two")
        assert store.speakers() == first and store.derived_state() == "one"


def _has_table(store: Store, name: str) -> bool:
    if store.dialect == "postgresql":
        return bool(store._connection.execute("SELECT to_regclass(?) IS NOT NULL", (name,)).fetchone()[0])
    return store._connection.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (name,)).fetchone() is not None


def test_battery_d9_failed_migration_leaves_old_schema_on_both(db_target: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from narrascope.store import migrations

    names = migrations.migration_names()
    monkeypatch.setattr(migrations, "migration_names", lambda: names[:1])
    Store(db_target).close()
    broken = "CREATE TABLE half_done (x INTEGER);\nTHIS IS NOT SQL;\n"
    real_statements = migrations._statements
    monkeypatch.setattr(migrations, "migration_names", lambda: names[:2])
    monkeypatch.setattr(migrations, "_statements",
                        lambda script: real_statements(broken) if "search" in script else real_statements(script))
    with pytest.raises(StoreError, match=f"migration {names[1]} failed and was rolled back"):
        Store(db_target)
    with Store(db_target, read_only=True) as store:
        assert not _has_table(store, "half_done") and _has_table(store, "articles")
        assert [row[0] for row in store._connection.execute("SELECT name FROM schema_migrations")] == names[:1]


def test_battery_d10_lost_server_connection_is_a_clear_error(postgres_cluster: str) -> None:
    """PostgreSQL only: the server ends the session (restart, admin), the next read says so."""
    db = new_database(postgres_cluster)
    with Store(db) as store, Store(db) as other:
        pid = store._connection.execute("SELECT pg_backend_pid()").fetchone()[0]
        other._connection.execute("SELECT pg_terminate_backend(?)", (pid,))
        with pytest.raises(StoreError, match="lost the connection to PostgreSQL"):
            store.counts()


# -- the CLI's durability cases on PostgreSQL, against the uninterrupted SQLite run's state --------------------

from tests.battery.corpus import state_of  # noqa: E402
from tests.battery.test_battery_durability import (  # noqa: E402
    _environment,
    _ingest_command,
    _kill_trial,
    pages,
    reference,
)

__all__ = ["pages", "reference"]  # module fixtures of test_battery_durability, shared here


def test_battery_d10_kill_9_then_resume_on_postgresql_gives_the_sqlite_state(
    pages: Path, reference: tuple[object, ...], postgres_cluster: str
) -> None:
    db = new_database(postgres_cluster)
    _kill_trial(pages, db, 4)  # a URL where the SQLite tests pass a path
    assert state_of(db) == reference


def test_battery_d10_two_ingest_processes_on_postgresql_give_the_sqlite_state(
    pages: Path, reference: tuple[object, ...], postgres_cluster: str
) -> None:
    db = new_database(postgres_cluster)
    processes = [subprocess.Popen(_ingest_command(pages, db), env=_environment(),
                                  stderr=subprocess.PIPE) for _ in range(2)]
    codes = [process.wait(timeout=300) for process in processes]
    errors = b"".join(process.stderr.read() for process in processes if process.stderr).decode()
    assert codes == [0, 0], errors
    assert state_of(db) == reference

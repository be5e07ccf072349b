"""L1: every query the web UI and API run is answered from an index (`EXPLAIN QUERY PLAN`), none scans a table.

Each page and JSON endpoint (lists with their filters, sorts and offsets, and detail pages) is requested
on a small database while SQLite's trace hook records the statements run; each is then explained. A plain
`SCAN table` (a read of every row, without an index) fails the test, except a whole-table `count(*)`,
which SQLite answers from the smallest b-tree there is. With no ANALYZE statistics the planner assumes
large tables, so these plans are the ones it picks on a big database.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from narrascope.store import sqlite as store_sqlite
from narrascope.web import create_app
from tests.browser.handmade import build_seedlike

PLAIN_SCAN = re.compile(r"^SCAN (\w+)$")


def _urls(narrative: str, article: str, speaker: str) -> list[str]:
    lists = ["/narratives", "/narratives?sort=recent", "/narratives?sort=oldest&offset=1",
             "/narratives?outlet=Bayan+News",
             "/narratives?min_articles=2&since=2023-01-01", "/narratives?speaker=spk-kabulov",
             "/narratives?language=en",
             "/articles", "/articles?offset=2", "/speakers", "/speakers?offset=1", "/outlets",
             "/search?q=Kabulov", "/search?q=%22sponsor+the+Daesh%22"]
    details = [f"/narratives/{narrative}", f"/articles/{article}", f"/speakers/{speaker}",
               f"/outlets/{quote('Bayan News')}"]
    return ["/", "/api/v1/overview"] + [prefix + url for prefix in ("", "/api/v1") for url in lists + details]


def test_store_query_plans_every_web_query_uses_an_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = str(tmp_path / "plans.db")
    corpus = build_seedlike(db)
    statements: list[str] = []
    opened = store_sqlite.Store.__init__

    def traced(self: store_sqlite.Store, *args: object, **options: object) -> None:
        opened(self, *args, **options)  # type: ignore[arg-type]
        self._connection.raw.set_trace_callback(statements.append)  # type: ignore[attr-defined]

    monkeypatch.setattr(store_sqlite.Store, "__init__", traced)
    client = TestClient(create_app(db))
    for url in _urls(corpus.narrative_id, corpus.article_ids[0], corpus.kabulov_id):
        assert client.get(url).status_code == 200, url
    selects = sorted({sql for sql in statements if sql.lstrip().upper().startswith(("SELECT", "WITH"))})
    assert len(selects) > 20  # the hook saw the web's queries
    probe = sqlite3.connect(db)
    scans = []
    for sql in selects:
        plan = [str(row[3]) for row in probe.execute("EXPLAIN QUERY PLAN " + sql)]
        materialized = {line.split()[-1] for line in plan if line.startswith(("MATERIALIZE", "CO-ROUTINE"))}
        for line in plan:
            match = PLAIN_SCAN.match(line)
            if not match or match[1] in materialized or match[1].startswith("articles_fts"):
                continue
            if re.search(rf"count\(\*\) FROM {match[1]}\b(?! WHERE)", sql):
                continue  # a whole-table count: no index can avoid reading a b-tree
            scans.append(f"{line}: {' '.join(sql.split())[:160]}")
    assert not scans, "\n".join(scans)
    # Filtered counts must not read the narrative rows (their JSON columns spill to overflow pages):
    # the index searched must hold every filtered column, so SQLite's table seek stays deferred.
    counts = [sql for sql in selects if re.search(r"count\(\*\) FROM narratives n WHERE", sql)]
    assert counts
    for sql in counts:
        plan = " ".join(str(row[3]) for row in probe.execute("EXPLAIN QUERY PLAN " + sql))
        index = re.search(r"USING (?:COVERING )?INDEX (\w+)", plan)
        assert index, f"{plan}: {sql}"
        held = {str(row[2]) for row in probe.execute(f"PRAGMA index_info({index[1]})")}
        filtered = set(re.findall(r"n\.(\w+) [<>=]", sql))
        assert filtered <= held, f"{plan} lacks {filtered - held}: {sql}"

"""Cost of adding new pages to a large bulk-loaded corpus through the store and the incremental refresh (issue 7).

The database is changed in place: run it on a COPY (`cp 200k.db /tmp/narrascope-scale/add.db`). The new
pages are generated the way bench/synthetic_corpus.py made the stored ones (variants of the source
corpus's real pages), from copy numbers the database does not hold yet, so every page is new. Steps:

1. prepare (once per database, in a child process so its memory is not counted below): apply the
   migrations, record what a full refresh above `incremental_above` would have recorded for the
   bulk-loaded derived tables (each article's MinHash signature and the marker), and build and save the
   claim index. Timed on its own: it is what the first refresh of a database without an index pays.
2. generate the new pages (untimed; the generator's memory is in the peak RSS, `rss_after_generate_mb`).
3. store insert: each page with its article and claims in its own transaction (`Store.save_article`),
   the claims' vectors into the embedding cache, then the full-text index (`sync_search_index`).
4. the incremental refresh, timed by step (new rows read, speakers, index load, placement, contexts and
   near-duplicates, the one-transaction write, index extend and save).

The per-page stages (clean, metadata, claims, embeddings) are not run: bench/throughput.py measures them.
Claims carry the vectors of their source claim (as in the bulk load); passages a claim's text splits into
are embedded by the refresh when not cached. Prints one JSON line.

    python bench/add_pages.py --db /tmp/narrascope-scale/add.db --pages 10000
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from narrascope.config import Settings
from narrascope.incremental import build_index, refresh_incremental
from narrascope.models import Article, Claim, RawPage
from narrascope.narratives import load_embedder
from narrascope.narratives.claim_index import ClaimIndex, index_path
from narrascope.pipeline import _cached_embed, settings_digest
from narrascope.reuse.incremental import sign
from narrascope.store import Store

SIGN_CHUNK = 5000


def _rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _load() -> str:
    return Path("/proc/loadavg").read_text().split(" ", 3)[2] if Path("/proc/loadavg").exists() else "?"


def _size_mb(db: str) -> float:
    return round(sum(Path(db + suffix).stat().st_size for suffix in ("", "-wal")
                     if Path(db + suffix).exists()) / 2**20, 1)


def _timed(figures: dict[str, Any], name: str, started: tuple[float, float]) -> None:
    figures[name] = {"wall_s": round(time.perf_counter() - started[0], 2),
                     "cpu_s": round(time.process_time() - started[1], 2)}


def _now() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def _sign_chunk(db: str, first: str, last: str) -> list[Any]:
    """The signatures of the articles with ids in [first, last] (a worker process, its own connection)."""
    import sqlite3

    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    rows = connection.execute("SELECT id, source, url, title, outlet, published, author, language, body, ''"
                              " FROM articles WHERE id >= ? AND id <= ? ORDER BY id", (first, last)).fetchall()
    connection.close()
    return sign([Article(*row) for row in rows])


def _sign_all(db: str, connection: Any) -> list[Any]:
    """Every stored article's signature, chunks of ids signed in parallel on every core."""
    from concurrent.futures import ProcessPoolExecutor

    ids = [row[0] for row in connection.execute("SELECT id FROM articles ORDER BY id")]
    bounds = [(ids[i], ids[min(i + SIGN_CHUNK, len(ids)) - 1]) for i in range(0, len(ids), SIGN_CHUNK)]
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        return [signed for chunk in pool.map(_sign_chunk, [db] * len(bounds), *zip(*bounds, strict=True))
                for signed in chunk]


def prepare(db: str) -> dict[str, Any]:
    """Marker, signatures and claim index for a bulk-loaded database that never ran a full refresh."""
    figures: dict[str, Any] = {"load_average_before": _load()}
    settings = replace(Settings.from_env(), db=db)
    started = _now()
    with Store(db) as store:  # applies migration 0017
        _timed(figures, "migrate", started)
        marker = store.incremental_marker()
        if marker is None:
            started = _now()
            signed = _sign_all(db, connection := store._connection)
            fingerprint = store.derived_state() or "bulk-load"
            articles = len(signed)
            claims = int(connection.execute("SELECT count(*) FROM claim_links").fetchone()[0])
            marker = {"fingerprint": fingerprint, "settings": settings_digest(settings), "articles": articles,
                      "claims": claims}
            with store._transaction() as transaction:  # first: a marker without it would never match
                transaction.execute("INSERT INTO derived_state (name, value) VALUES ('claims', ?)"
                                    " ON CONFLICT(name) DO UPDATE SET value = excluded.value", (fingerprint,))
            store.record_incremental_base(signed, marker)
            del signed  # about 2 KB of Python objects per article: gone before the index build below
            _timed(figures, "signatures", started)
            figures["signatures"]["workers_cpu_s"] = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime
                                                           + resource.getrusage(resource.RUSAGE_CHILDREN).ru_stime, 2)
        path = index_path(db)
        assert path is not None
        if ClaimIndex.load(path, str(marker["fingerprint"])) is None:
            started = _now()
            index = build_index(store, _cached_embed(store, load_embedder(settings.models.embedding_model)))
            _timed(figures, "index_build", started)
            started = _now()
            index.save(path, str(marker["fingerprint"]))
            _timed(figures, "index_save", started)
            figures["index_rows"] = index.size
    figures["peak_rss_mb"] = _rss_mb()  # the signing workers' own memory and CPU are not in these figures
    figures["load_average_after"] = _load()
    return figures


class _TimedEmbedder:
    """The model, with the time it spends embedding texts the cache did not hold (part of placement)."""

    def __init__(self, model: Any) -> None:
        self.model, self.model_id = model, model.model_id
        self.figures = {"texts": 0, "wall_s": 0.0, "cpu_s": 0.0}

    def embed(self, texts: Any) -> Any:
        started = _now()
        vectors = self.model.embed(texts)
        self.figures["texts"] += len(texts)
        self.figures["wall_s"] = round(self.figures["wall_s"] + time.perf_counter() - started[0], 2)
        self.figures["cpu_s"] = round(self.figures["cpu_s"] + time.process_time() - started[1], 2)
        return vectors


class _Recorder:
    """Stands in for the bulk loader's connection: keeps the rows it would insert, by table."""

    def __init__(self) -> None:
        self.rows: dict[str, list[Any]] = {}

    def executemany(self, sql: str, rows: list[Any]) -> None:
        table = sql.split("INTO", 1)[1].split()[0]
        self.rows.setdefault(table, []).extend(rows)


def generate(db: str, pages: int, source: str) -> tuple[list[tuple[RawPage, Article, list[Claim]]], list[Any]]:
    """`pages` new generated articles (copy numbers after the stored ones) and their cached vectors."""
    from synthetic_corpus import Loader, read_source

    with Store(db, read_only=True) as store:
        last = store._connection.execute("SELECT source FROM articles ORDER BY rowid DESC LIMIT 1").fetchone()[0]
    copy = int(last.rsplit("#", 1)[1].split(".")[0]) + 1
    recorder = _Recorder()
    loader = Loader(read_source(source), recorder, seed=1)  # type: ignore[arg-type]
    while loader.stats["articles"] < pages:
        loader.copy(copy, pages)
        copy += 1
    claims: dict[str, list[Claim]] = {}
    for r in recorder.rows.get("claims", []):
        claims.setdefault(r[1], []).append(Claim(
            id=r[0], article_id=r[1], speaker=r[2], speaker_mention=r[3], speaker_kind=r[4], speaker_role=r[5],
            cue=r[6], text=r[7], kind=r[8], section=r[9], start=r[10], end=r[11], cited_source=r[12],
            answers_claim_id=r[13]))
    page_rows = {r[0]: r for r in recorder.rows["pages"]}
    made = []
    for r in recorder.rows["articles"]:
        p = page_rows[r[0]]
        made.append((RawPage(id=p[0], source=p[1], kind=p[2], text=p[6], url=p[3], fetched_at=p[4], encoding=p[5]),
                     Article(*r, page_text=p[6]), claims.get(r[0], [])))
    return made, recorder.rows.get("embeddings", [])


def add(db: str, pages: int, source: str) -> dict[str, Any]:
    """Generate, store and place `pages` new articles; the figures by step."""
    import numpy as np

    figures: dict[str, Any] = {"load_average_before": _load(), "db_mb_before": _size_mb(db)}
    made, vectors = generate(db, pages, source)
    figures["pages"], figures["claims"] = len(made), sum(len(c) for _, _, c in made)
    figures["rss_after_generate_mb"] = _rss_mb()
    settings = replace(Settings.from_env(), db=db)
    with Store(db) as store:
        started = _now()
        for page, article, claims in made:
            store.save_article(page, article, claims)
        by_model: dict[str, dict[str, Any]] = {}
        for key, model, blob in vectors:
            by_model.setdefault(model, {})[key] = np.frombuffer(blob, dtype=np.float32)
        for model, keyed in by_model.items():
            store.cache_vectors(keyed, model)
        _timed(figures, "store_insert", started)
        started = _now()
        store.sync_search_index()
        _timed(figures, "search_index", started)
        timings: dict[str, dict[str, float]] = {}
        started = _now()
        model = _TimedEmbedder(load_embedder(settings.models.embedding_model))
        embed = _cached_embed(store, model)
        _timed(figures, "model_load", started)
        started = _now()
        placed = refresh_incremental(store, settings, settings_digest(settings, store.speaker_overrides()),
                                     lambda: embed, timings)
        _timed(figures, "refresh_total", started)
        figures["refresh"] = timings
        figures["refresh_model_embedding"] = model.figures  # inside placement: passages not cached yet
        figures["incremental"] = placed
        ids = [article.id for _, article, _ in made]
        figures["new_articles_with_duplicates"] = len(store.duplicate_group_of(ids))
        history = store.narrative_history()
        recorded = history[-1].recorded_at if history else None
        figures["history_rows_this_run"] = sum(1 for change in history if change.recorded_at == recorded)
    figures["db_mb_after"] = _size_mb(db)
    figures["db_growth_mb"] = round(figures["db_mb_after"] - figures["db_mb_before"], 1)
    path = index_path(db)
    if path:
        figures["index_mb"] = round(sum(p.stat().st_size for p in path.parent.glob(path.name + ".*")) / 2**20, 1)
    figures["peak_rss_mb"] = _rss_mb()
    figures["load_average_after"] = _load()
    return figures


def index_only(db: str, queries: int) -> dict[str, Any]:
    """The claim index alone: build over every covered claim, save, load, and `queries` searches."""
    settings = replace(Settings.from_env(), db=db)
    figures: dict[str, Any] = {"load_average_before": _load()}
    state_path = index_path(db)
    assert state_path is not None
    path = state_path.with_name(state_path.name + "-bench")  # beside, never over, the state's own index
    with Store(db) as store:
        started = _now()
        index = build_index(store, _cached_embed(store, load_embedder(settings.models.embedding_model)))
        _timed(figures, "index_build", started)
    figures["index_rows"] = index.size
    started = _now()
    index.save(path, "index-only")
    _timed(figures, "index_save", started)
    figures["index_mb"] = round(sum(p.stat().st_size for p in path.parent.glob(path.name + ".*")) / 2**20, 1)
    started = _now()
    loaded = ClaimIndex.load(path, "index-only")
    _timed(figures, "index_load", started)
    assert loaded is not None
    vectors = loaded._index.reconstruct_n(0, min(queries, loaded.size))
    started = _now()
    loaded.search(vectors, 16)
    _timed(figures, f"search_{len(vectors)}_vectors_16_neighbours", started)
    for suffix in (".faiss", ".ids", ".json"):
        path.with_name(path.name + suffix).unlink()
    figures["peak_rss_mb"] = _rss_mb()
    figures["load_average_after"] = _load()
    return figures


def main() -> int:
    from source_corpus import source_db

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--db", required=True, help="a COPY of a bulk-loaded database (changed in place)")
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--source", help="source database (default: bench/source_corpus.py's cached one)")
    parser.add_argument("--source-pages", type=int, default=500)
    parser.add_argument("--incremental-above", type=int, default=None,
                        help="narratives.incremental_above for this run (default: the setting's); 0 for small test DBs")
    parser.add_argument("--index-only", type=int, metavar="QUERIES", default=0,
                        help="only build, save and load the claim index and time QUERIES searches (read-only use)")
    parser.add_argument("--prepare-only", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.incremental_above is not None:
        os.environ["NARRASCOPE_NARRATIVES_INCREMENTAL_ABOVE"] = str(arguments.incremental_above)
    if not Path(arguments.db).exists():
        print(f"{arguments.db}: no such database", file=sys.stderr)
        return 1
    if arguments.index_only:
        print(json.dumps(index_only(arguments.db, arguments.index_only)))
        return 0
    if arguments.prepare_only:
        print(json.dumps(prepare(arguments.db)))
        return 0
    child = subprocess.run([sys.executable, __file__, "--db", arguments.db, "--prepare-only"], check=True,
                           capture_output=True, text=True, env=os.environ)
    figures: dict[str, Any] = {"db": arguments.db, "prepare": json.loads(child.stdout.strip().splitlines()[-1])}
    figures["add"] = add(arguments.db, arguments.pages, arguments.source or source_db(arguments.source_pages))
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())

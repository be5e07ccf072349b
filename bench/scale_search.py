"""Full-text and semantic search latency on a large database, and what searching every claim would cost.

FTS: `search_views.search_page` (the web's /search) over varied queries (single words, word pairs, quoted
phrases taken from stored titles), p50/p95. Semantic: the web's index (web/semantic.py: the cached vectors
of the most recent SEMANTIC_CLAIM_CAP claims) and, beside it, an exact index over every claim: each
claim's cached vector looked up by text, identical texts sharing one row, one matrix product per query.
Prints its build time, memory and query p50/p95, so the two can be compared on the same database.

    python bench/scale_search.py --db /tmp/narrascope-scale/1m.db [--queries 60]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sqlite3
import statistics
import sys
import time
from pathlib import Path

import numpy as np

from narrascope import search_views
from narrascope.config import Settings
from narrascope.narratives import load_embedder
from narrascope.store import Store
from narrascope.web.semantic import load_claim_vectors, semantic_page, text_key


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _queries(db: str, count: int, seed: int) -> list[str]:
    probe = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    titles = [row[0] for row in probe.execute(
        "SELECT title FROM articles WHERE rowid IN (SELECT abs(random()) % (SELECT max(rowid) FROM articles)"
        " FROM articles LIMIT ?) AND title IS NOT NULL", (count * 3,))]
    probe.close()
    pick, queries = random.Random(seed), []
    for title in titles:
        terms = [w for w in title.replace('"', " ").split() if w.isalpha() and len(w) > 3]
        if len(terms) >= 2:
            queries.append(pick.choice([terms[0], f"{terms[0]} {terms[-1]}", f'"{terms[0]} {terms[1]}"']))
    return queries[:count]


def _timed(run: list[str], call: object) -> dict[str, float]:
    timings = []
    for query in run:
        started = time.perf_counter()
        call(query)  # type: ignore[operator]
        timings.append((time.perf_counter() - started) * 1000)
    return {"p50_ms": round(statistics.median(timings), 1), "p95_ms": round(_p95(timings), 1),
            "max_ms": round(max(timings), 1), "queries": len(timings)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--db", required=True)
    parser.add_argument("--queries", type=int, default=60)
    arguments = parser.parse_args()
    queries = _queries(arguments.db, arguments.queries, 7)
    embedder = load_embedder(Settings().models.embedding_model)
    figures: dict[str, object] = {"load_average_start": Path("/proc/loadavg").read_text().split()[:3]}
    with Store(arguments.db, read_only=True) as store:
        store.search_articles(search_views.fts_query("warm") or "warm", limit=1, offset=0)
        figures["fts"] = _timed(queries, lambda q: search_views.search_page(store, q))
        started = time.perf_counter()
        recent = load_claim_vectors(store, embedder.model_id)
        figures["semantic_recent_index"] = {"claims": len(recent.claim_ids),
                                            "build_s": round(time.perf_counter() - started, 1)}
        embedder.embed(["warm"])
        figures["semantic_recent"] = _timed(queries, lambda q: semantic_page(store, recent, embedder, q))
        # Every claim: one row per distinct claim text; claims point at their row.
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        row_of: dict[str, int] = {}
        claim_rows: list[int] = []
        for (text,) in store._connection.execute("SELECT text FROM claims"):
            claim_rows.append(row_of.setdefault(text_key(text), len(row_of)))
        keys = list(row_of)
        found = store.cached_vectors(keys, embedder.model_id)
        matrix = np.zeros((len(keys), 384), dtype=np.float32)
        for key, vector in found.items():
            matrix[row_of[key]] = vector
        claim_of_row = np.asarray(claim_rows, dtype=np.int32)
        build = time.perf_counter() - started

        def exact(query: str) -> None:
            scores = matrix @ embedder.embed([query])[0]
            best = np.argpartition(-scores, 50)[:50]
            np.isin(claim_of_row, best).nonzero()  # the claims carrying the 50 closest texts

        figures["semantic_all_index"] = {"claims": len(claim_rows), "distinct_texts": len(keys),
                                         "with_vector": len(found), "build_s": round(build, 1),
                                         "matrix_mib": round(matrix.nbytes / 2**20),
                                         "rss_growth_mib": round((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                                                                  - rss) / 1024)}
        figures["semantic_all"] = _timed(queries, exact)
    figures["load_average_end"] = Path("/proc/loadavg").read_text().split()[:3]
    print(json.dumps(figures, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

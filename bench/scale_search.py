"""Full-text and semantic search latency on a large database, and what searching every claim would cost.

FTS: `search_views.search_page` (the web's /search) over varied queries (single words, word pairs, quoted
phrases taken from stored titles), p50/p95, first as they come (cold), then after the warm-up `serve`
runs at start (web/warm.py) on other first-time queries. Semantic: the web's own index and page (web/semantic.py: one
row per distinct claim text, every claim up to SEMANTIC_VECTOR_CAP texts, one matrix product per query,
then the shown claims read with their evidence): build time, memory and query p50/p95.

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

from narrascope import search_views
from narrascope.config import Settings
from narrascope.narratives import load_embedder
from narrascope.store import Store
from narrascope.web.semantic import load_claim_vectors, semantic_page
from narrascope.web.warm import warm_search_index


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
        # What `serve` does at start (web/warm.py), then other first-time queries: the index is read, the
        # 50 shown articles' bodies are not.
        read, seconds = warm_search_index(arguments.db)
        figures["warm_up"] = {"mib": round(read / 2**20), "seconds": round(seconds, 1)}
        fresh = [q for q in _queries(arguments.db, arguments.queries * 2, 11) if q not in queries]
        figures["fts_after_warm_up"] = _timed(fresh[:arguments.queries], lambda q: search_views.search_page(store, q))
        # The web's index (web/semantic.py): one row per distinct claim text, every claim up to the cap.
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        index = load_claim_vectors(store, embedder.model_id)
        figures["semantic_index"] = {
            "claims": index.claims_considered, "claims_searched": index.claims_searched,
            "distinct_texts": len(index.matrix), "build_s": round(time.perf_counter() - started, 1),
            "matrix_mib": round(index.matrix.nbytes / 2**20),
            "rss_growth_mib": round((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss) / 1024)}
        embedder.embed(["warm"])
        figures["semantic"] = _timed(queries, lambda q: semantic_page(store, index, embedder, q))
    figures["load_average_end"] = Path("/proc/loadavg").read_text().split()[:3]
    print(json.dumps(figures, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

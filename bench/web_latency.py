"""Page and API latency of `narrascope serve` on a database of at least 100k articles (issue 6).

Bulk-loads generated variants of processed real pages (bench/synthetic_corpus.py: the seeds and 500
renderings of ../shared/data through the pipeline once, or --source DB; new ids, dates, outlets, sentence
orders and names, claims with their spans and vectors, clusters and narratives copied alongside); then
measures p50/p95 of the main pages and their JSON twins in process (FastAPI TestClient) and prints a
Markdown table. Usage:

    python bench/web_latency.py [--articles 100000] [--db bench-web.db] [--source small.db] [--requests 40]
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parent))

from source_corpus import source_db
from synthetic_corpus import bulk_load

from narrascope.store import Store
from narrascope.web import create_app

__all__ = ["build_source", "bulk_load", "measure"]


def build_source(scratch: Path | None = None, pages: int = 500) -> str:
    """The small database of processed real pages the loader multiplies (cached under /tmp)."""
    return source_db(pages)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(db: str, requests: int, seed: int = 7) -> list[tuple[str, float, float, float, int]]:
    """p50, p95 and max milliseconds of each endpoint over `requests` requests with varied parameters."""
    pick = random.Random(seed)
    probe = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    sample: Callable[[str], list[Any]] = lambda sql: [row[0] for row in probe.execute(sql)]  # noqa: E731
    narratives = sample("SELECT id FROM narratives ORDER BY random() LIMIT 200")
    articles = sample("SELECT id FROM articles ORDER BY random() LIMIT 200")
    speakers = sample("SELECT id FROM speakers ORDER BY random() LIMIT 200")
    outlets = sample("SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL LIMIT 200")
    titles = sample("SELECT title FROM articles WHERE title IS NOT NULL ORDER BY random() LIMIT 40")
    # Single words, word pairs and quoted phrases from stored titles: queries that hit real rows.
    words = ["Afghanistan", "embassy", '"covertly sponsoring"']
    for title in titles:
        terms = [w for w in title.replace('"', " ").split() if w.isalpha() and len(w) > 3]
        if len(terms) >= 2:
            words += [terms[0], f"{terms[0]} {terms[-1]}", f'"{terms[0]} {terms[1]}"']
    probe.close()
    endpoints: list[tuple[str, Callable[[], str]]] = []
    for prefix in ("", "/api/v1"):
        endpoints += [
            (f"{prefix}/", lambda p=prefix: f"{p}/overview" if p else "/"),
            (f"{prefix}/narratives (largest)", lambda p=prefix: f"{p}/narratives"),
            (
                f"{prefix}/narratives?sort=recent&offset=N",
                lambda p=prefix: f"{p}/narratives?sort=recent&offset={pick.randrange(0, 5000)}",
            ),
            (f"{prefix}/narratives?outlet=…", lambda p=prefix: f"{p}/narratives?outlet={pick.choice(outlets)}"),
            (f"{prefix}/narratives?speaker=…", lambda p=prefix: f"{p}/narratives?speaker={pick.choice(speakers)}"),
            (
                f"{prefix}/narratives?language=…",
                lambda p=prefix: f"{p}/narratives?language={pick.choice(['en', 'ru', 'fa'])}",
            ),
            (
                f"{prefix}/narratives?min_articles=…&since=…",
                lambda p=prefix: (f"{p}/narratives?min_articles={pick.randrange(2, 6)}"
                                  f"&since=202{pick.randrange(3, 6)}-0{pick.randrange(1, 10)}-01"),
            ),
            (f"{prefix}/narratives/{{id}}", lambda p=prefix: f"{p}/narratives/{pick.choice(narratives)}"),
            (f"{prefix}/rejections", lambda p=prefix: f"{p}/rejections"),
            (f"{prefix}/catalogue", lambda p=prefix: f"{p}/catalogue"),
            (f"{prefix}/articles?offset=N", lambda p=prefix: f"{p}/articles?offset={pick.randrange(0, 2000)}"),
            (f"{prefix}/articles/{{id}}", lambda p=prefix: f"{p}/articles/{pick.choice(articles)}"),
            (f"{prefix}/speakers", lambda p=prefix: f"{p}/speakers?offset={pick.randrange(0, 1000)}"),
            (f"{prefix}/speakers/{{id}}", lambda p=prefix: f"{p}/speakers/{pick.choice(speakers)}"),
            (f"{prefix}/outlets", lambda p=prefix: f"{p}/outlets"),
            (f"{prefix}/outlets/{{name}}", lambda p=prefix: f"{p}/outlets/{pick.choice(outlets)}"),
            (f"{prefix}/search?q=…", lambda p=prefix: f"{p}/search?q={pick.choice(words)}"),
        ]
    # Semantic search: embeds the query, then ranks the cached vectors of the most recent claims (web/semantic.py).
    endpoints += [("/search?q=…&mode=meaning", lambda: f"/search?q={pick.choice(words)}&mode=meaning"),
                  ("/api/v1/search/semantic?q=…", lambda: f"/api/v1/search/semantic?q={pick.choice(words)}")]
    client = TestClient(create_app(db, response_cache=False))  # what computing each answer costs
    results = []
    for name, make in endpoints:
        for _ in range(3):
            client.get(make())
        timings, failures = [], 0
        for _ in range(requests):
            url = make()
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            failures += response.status_code != 200
        results.append((name, statistics.median(timings), _percentile(timings, 0.95), max(timings), failures))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--db", help="bench database (reused if it exists; default: a temporary file)")
    parser.add_argument("--source", help="small database of processed pages (default: the seed pages)")
    parser.add_argument("--requests", type=int, default=40)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        db = arguments.db or str(Path(scratch) / "bench-web.db")
        if not Path(db).exists():
            source = arguments.source or build_source()
            print(f"bulk load: {json.dumps(bulk_load(source, db, arguments.articles))}", file=sys.stderr)
        size = Path(db).stat().st_size / 2**20
        with Store(db, read_only=True) as store:
            counts = store.counts()
        results = measure(db, arguments.requests)
    print(
        f"Database: {counts['articles']:,} articles, {counts['claims']:,} claims, {counts['narratives']:,} "
        f"narratives, {counts['speakers']:,} speakers, {size:,.0f} MiB; {arguments.requests} requests per row, "
        "in process (TestClient), one client, response cache off (every answer computed).\n"
    )
    print("| endpoint | p50 ms | p95 ms | max ms | errors |\n|---|---:|---:|---:|---:|")
    for name, p50, p95, worst, failures in results:
        print(f"| `{name}` | {p50:.1f} | {p95:.1f} | {worst:.1f} | {failures} |")
    slowest = max(row[2] for row in results)
    print(f"\nSlowest p95: {slowest:.1f} ms (goal: under 100 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Page and API latency of `narrascope serve` on a database of at least 100k articles (issue 6).

Bulk-loads varied copies of processed real pages (the seed pages through the pipeline, or --source DB):
each copy gets new ids, a shifted date, one of 600 outlet variants, one of three languages and one of
100 variants of each speaker, with claims, claim links, clusters and narratives copied alongside; then
measures p50/p95 of the main pages and their JSON twins in process (FastAPI TestClient) and prints a
Markdown table. Usage:

    python bench/web_latency.py [--articles 100000] [--db bench-web.db] [--source small.db] [--requests 40]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from narrascope.config import Settings
from narrascope.store import Store
from narrascope.web import create_app

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
LANGUAGES = ("en",) * 8 + ("ru", "fa")


def _id(original: str, copy: int) -> str:
    return hashlib.sha256(f"{original}:{copy}".encode()).hexdigest()


def _shift(day: str | None, copy: int) -> str | None:
    base = date.fromisoformat(day) if day else date(2023, 3, 1)
    return (base + timedelta(days=copy % 730)).isoformat() if (day or copy % 7) else None


def build_source(scratch: Path) -> str:
    """The seed pages through the real pipeline: a small DB of processed real pages."""
    from narrascope.pipeline import ingest

    db = str(scratch / "source.db")
    with Store(db) as store:
        ingest([str(SEEDS)], store, Settings(db=db))
    return db


def bulk_load(source: str, target: str, articles: int) -> dict[str, Any]:
    """Copy the source's processed pages until `target` holds `articles` articles (one transaction)."""
    with Store(target):
        pass  # the schema, migrations included
    src = sqlite3.connect(source)
    pages = {
        row[0]: row
        for row in src.execute("SELECT id, source, kind, url, fetched_at, encoding, page_text, ingested_at FROM pages")
    }
    rows = src.execute("SELECT id, source, url, title, outlet, published, author, language, body FROM articles")
    originals = list(rows)
    claims = list(
        src.execute(
            "SELECT id, article_id, speaker, speaker_mention, speaker_kind, speaker_role, cue,"
            ' text, kind, start, "end", section, cited_source FROM claims'
        )
    )
    links = {
        row[0]: row[1:] for row in src.execute("SELECT claim_id, speaker_id, cluster_id, narrative_id FROM claim_links")
    }
    speakers = list(src.execute("SELECT id, name, aliases, role, kind FROM speakers"))
    clusters = list(src.execute("SELECT id, label, claim_ids FROM claim_clusters"))
    narratives = list(
        src.execute(
            "SELECT id, label, key_terms, representative_claim_id, claim_ids, cluster_ids,"
            " article_ids, speaker_ids, outlets, first_seen, last_seen FROM narratives"
        )
    )
    copies = -(-articles // len(originals))
    db = sqlite3.connect(target, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = OFF")  # bulk load only; the product writes with synchronous=FULL
    started = time.perf_counter()
    db.execute("BEGIN")
    for copy in range(copies):
        variant = copy % 100
        outlet_of = {a[0]: f"{a[4] or 'Unknown'} {copy % 200:03d}" for a in originals}
        language = LANGUAGES[copy % len(LANGUAGES)]
        db.executemany(
            "INSERT INTO pages (id, source, kind, url, fetched_at, encoding, page_text, ingested_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(_id(p[0], copy), f"{p[1]}#{copy}", *p[2:]) for p in pages.values()],
        )
        db.executemany(
            "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    _id(a[0], copy),
                    f"{a[1]}#{copy}",
                    a[2],
                    f"{a[3]} ({copy})",
                    outlet_of[a[0]],
                    _shift(a[5], copy),
                    a[6],
                    language,
                    a[8],
                )
                for a in originals
            ],
        )
        db.executemany(
            "INSERT INTO claims (id, article_id, speaker, speaker_mention, speaker_kind, speaker_role,"
            ' cue, text, kind, start, "end", section, cited_source)'
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(_id(c[0], copy), _id(c[1], copy), *c[2:]) for c in claims],
        )
        db.executemany(
            "INSERT INTO claim_links VALUES (?, ?, ?, ?)",
            [
                (
                    _id(cid, copy),
                    f"{s}-{variant}" if s else None,
                    _id(k, copy) if k else None,
                    _id(n, copy) if n else None,
                )
                for cid, (s, k, n) in links.items()
            ],
        )
        db.executemany(
            "INSERT INTO claim_clusters VALUES (?, ?, ?)",
            [(_id(k[0], copy), k[1], json.dumps([_id(c, copy) for c in json.loads(k[2])])) for k in clusters],
        )
        db.executemany(
            "INSERT INTO narratives (id, label, key_terms, representative_claim_id, claim_ids, cluster_ids,"
            " article_ids, speaker_ids, outlets, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    _id(n[0], copy),
                    f"{n[1]} ({copy})",
                    n[2],
                    _id(n[3], copy) if n[3] else None,
                    json.dumps([_id(c, copy) for c in json.loads(n[4])]),
                    json.dumps([_id(c, copy) for c in json.loads(n[5])]),
                    json.dumps([_id(a, copy) for a in json.loads(n[6])]),
                    json.dumps([f"{s}-{variant}" for s in json.loads(n[7])]),
                    json.dumps(sorted({outlet_of[a] for a in json.loads(n[6]) if a in outlet_of})),
                    _shift(n[9], copy),
                    _shift(n[10], copy),
                )
                for n in narratives
            ],
        )
        if copy < 100:
            db.executemany(
                "INSERT INTO speakers VALUES (?, ?, ?, ?, ?)",
                [(f"{s[0]}-{copy}", f"{s[1]} ({copy})" if copy else s[1], *s[2:]) for s in speakers],
            )
    db.execute("COMMIT")
    loaded = time.perf_counter() - started
    db.close()
    started = time.perf_counter()
    with Store(target) as store:
        store.sync_search_index()
        counts = store.counts()
    return counts | {"load_seconds": round(loaded, 1), "index_seconds": round(time.perf_counter() - started, 1)}


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
    words = [
        "Afghanistan",
        "Kabulov",
        "Anglo-Saxons sponsor",
        '"covertly sponsoring"',
        "Shoigu Tajikistan",
        "terrorists redeployed",
        "embassy",
    ]
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
    client = TestClient(create_app(db))
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
            source = arguments.source or build_source(Path(scratch))
            print(f"bulk load: {json.dumps(bulk_load(source, db, arguments.articles))}", file=sys.stderr)
        size = Path(db).stat().st_size / 2**20
        with Store(db, read_only=True) as store:
            counts = store.counts()
        results = measure(db, arguments.requests)
    print(
        f"Database: {counts['articles']:,} articles, {counts['claims']:,} claims, {counts['narratives']:,} "
        f"narratives, {counts['speakers']:,} speakers, {size:,.0f} MiB; {arguments.requests} requests per row, "
        "in process (TestClient), one client.\n"
    )
    print("| endpoint | p50 ms | p95 ms | max ms | errors |\n|---|---:|---:|---:|---:|")
    for name, p50, p95, worst, failures in results:
        print(f"| `{name}` | {p50:.1f} | {p95:.1f} | {worst:.1f} | {failures} |")
    slowest = max(row[2] for row in results)
    print(f"\nSlowest p95: {slowest:.1f} ms (goal: under 100 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

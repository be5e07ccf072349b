"""Store cost on SQLite and PostgreSQL side by side: per-page write transactions and listing reads.

Each page is stored with its claims in one transaction (as ingest does), on an SQLite file and on a
PostgreSQL database in the same run; then the listing reads the CLI and exports use are timed. Pages are
generated (3,000 characters of words, 8 claims each): this measures the store, not the pipeline.
PostgreSQL is a private cluster started for the run (tests/postgres_server.py), or `--postgres URL`.
Usage: python bench/store_backends.py [--pages N] [--postgres URL]
"""

from __future__ import annotations

import argparse
import random
import string
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.postgres_server, from a checkout

from narrascope.models import Article, Claim, RawPage
from narrascope.store import Store


def _pages(count: int, seed: int = 3) -> list[tuple[RawPage, Article, list[Claim]]]:
    chooser = random.Random(seed)
    vocabulary = ["".join(chooser.choices(string.ascii_lowercase, k=chooser.randint(3, 9))) for _ in range(5000)]
    pages = []
    for number in range(count):
        body = " ".join(chooser.choices(vocabulary, k=450))[:3000]
        page = RawPage(id=f"{number:016x}", source=f"gen/{number}.txt", kind="text", text=body, encoding="utf-8")
        article = Article(id=page.id, source=page.source, url=None, title=f"Title {number}",
                          outlet=f"Outlet {number % 40}", published=f"2024-{number % 12 + 1:02d}-{number % 28 + 1:02d}",
                          author=None, language="en", body=body, page_text=body)
        claims = [Claim(id=f"{page.id}-{k}", article_id=page.id, speaker=f"Speaker {number % 300}",
                        speaker_mention=None, speaker_kind="person", speaker_role=None, cue="said",
                        text=body[k * 300:k * 300 + 120], kind="reported", start=k * 300, end=k * 300 + 120)
                   for k in range(8)]
        pages.append((page, article, claims))
    return pages


def _median_ms(action: Callable[[], object], repeats: int = 20) -> float:
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        timings.append((time.perf_counter() - started) * 1000)
    return sorted(timings)[len(timings) // 2]


def _measure(target: str, pages: list[tuple[RawPage, Article, list[Claim]]]) -> dict[str, float]:
    with Store(target) as store:
        started = time.perf_counter()
        for page, article, claims in pages:
            store.save_article(page, article, claims)
        writes = len(pages) / (time.perf_counter() - started)
        started = time.perf_counter()
        store.sync_search_index()
        indexing = time.perf_counter() - started
    with Store(target, read_only=True) as store:
        some_article = pages[len(pages) // 2][0].id
        word = pages[0][1].body.split()[3]
        return {
            "pages stored /s (one transaction each)": writes,
            "full-text index build (s)": indexing,
            "articles page of 50, newest first (ms)": _median_ms(lambda: store.article_rows(limit=50)),
            "claims of one article (ms)": _median_ms(lambda: store.claim_rows(article_id=some_article)),
            "counts (ms)": _median_ms(store.counts),
            "full-text search, one word (ms)": _median_ms(lambda: store.search_articles(word, limit=20)),
        }


@contextmanager
def _postgres(url: str | None) -> Iterator[str]:
    if url:
        yield url
        return
    from tests.postgres_server import cluster, new_database

    with cluster() as base:
        yield new_database(base)


def main(argv: list[str]) -> int:
    """Print a Markdown table, one column per engine."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--postgres", help="an empty PostgreSQL database URL (default: a private cluster)")
    arguments = parser.parse_args(argv)
    pages = _pages(arguments.pages)
    with tempfile.TemporaryDirectory() as scratch, _postgres(arguments.postgres) as url:
        sqlite = _measure(str(Path(scratch) / "bench.db"), pages)
        postgres = _measure(url, pages)
    print(f"{arguments.pages} generated pages, 8 claims each\n")
    print("| measure | SQLite | PostgreSQL |\n|---|---|---|")
    for name, value in sqlite.items():
        print(f"| {name} | {value:.1f} | {postgres[name]:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

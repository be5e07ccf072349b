"""Seeds' narrative among unrelated news: does it keep all seed pages and none of the others?

Mixes the seed pages with N real pages from ../shared/data/extraction/*/text that mention neither
Afghanistan nor Central Asia, ingests them into one database, and reports, for the narrative holding
the most seed pages, how many seed pages and how many other pages it holds.
Usage: python bench/narrative_purity.py [N] [--db PATH]
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

from narrascope.config import Settings
from narrascope.pipeline import ingest, refresh_derived
from narrascope.store import Store

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
_TOPIC = re.compile(r"afghan|central asia|taliban", re.I)


def other_pages(count: int) -> list[Path]:
    """The first `count` benchmark text pages (sorted by name) off the seeds' topic."""
    pages = sorted((SHARED / "data" / "extraction").glob("*/text/*.txt"))
    return [page for page in pages if not _TOPIC.search(page.read_text(encoding="utf-8", errors="replace"))][:count]


def purity(store: Store, seed_ids: set[str]) -> tuple[int, int, int]:
    """(seed pages, other pages) in the narrative with most seed pages, and the number of narratives."""
    narratives = store.narratives()
    best = max(narratives, key=lambda n: len(seed_ids & set(n.article_ids)), default=None)
    if best is None:
        return 0, 0, 0
    held = set(best.article_ids)
    return len(held & seed_ids), len(held - seed_ids), len(narratives)


def main(argv: list[str]) -> int:
    """Ingest (or reuse --db) and print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("count", nargs="?", type=int, default=100)
    parser.add_argument("--db")
    arguments = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        db = arguments.db or str(Path(scratch) / "purity.db")
        settings = Settings(db=db)
        with Store(db) as store:
            ingest([str(SHARED / "seeds")] + [str(p) for p in other_pages(arguments.count)], store, settings)
            refresh_derived(store, settings)
            seed_sources = {str(p) for p in (SHARED / "seeds").glob("*.txt")}
            seed_ids = {a.id for a in store.articles() if a.source in seed_sources}
            seeds, others, total = purity(store, seed_ids)
    print(
        f"seed pages in the seeds' narrative: {seeds}/{len(seed_ids)}; other pages in it: {others}; "
        f"narratives in all: {total}"
    )
    return 0 if seeds == len(seed_ids) and others == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

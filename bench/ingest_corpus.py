"""Ingest the text renderings of the extraction benchmarks and report what came out.

Share of pages with a non-empty body, a title and a date, and claims per article, for each
rendering folder of ../shared/data/extraction. Usage: python bench/ingest_corpus.py [FOLDER...]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from narrascope.config import Settings
from narrascope.pipeline import ingest
from narrascope.store import Store

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "extraction"
DEFAULT_FOLDERS = [DATA / "scrapinghub" / "text", DATA / "wcxb-dev-articles" / "text"]


def measure(folder: Path) -> str:
    """One Markdown table row for a folder of pages."""
    with tempfile.TemporaryDirectory() as scratch:
        db = str(Path(scratch) / "corpus.db")
        started = time.perf_counter()
        with Store(db) as store:
            report = ingest([str(folder)], store, Settings(db=db))
            seconds = time.perf_counter() - started
            articles = store.articles()
            claims = store.claims()
    pages = report.stored + report.unchanged + len(report.rejected)
    with_body = sum(1 for a in articles if a.body.strip())
    with_title = sum(1 for a in articles if a.title)
    with_date = sum(1 for a in articles if a.published)
    return (
        f"| {folder.relative_to(DATA)} | {pages} | {with_body / pages:.1%} | {with_title / pages:.1%} | "
        f"{with_date / pages:.1%} | {len(claims) / max(len(articles), 1):.2f} | {pages / seconds:.1f} |"
    )


def main(argv: list[str]) -> int:
    """Print the table for the given folders (default: the text/ renderings)."""
    folders = [Path(arg) for arg in argv] or DEFAULT_FOLDERS
    print("| pages | n | non-empty body | title | date | claims/article | pages/s |")
    print("|---|---|---|---|---|---|---|")
    for folder in folders:
        print(measure(folder.resolve()), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

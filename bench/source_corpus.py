"""The small source database of processed real pages that bench/synthetic_corpus.py multiplies.

The seed pages plus the first `pages` text renderings (w3m, like the seeds) of the extraction sets in
../shared/data, run once through the real pipeline; cached under /tmp (never in the repository) and
reused while the inputs and the pipeline's derived version are the same. The run is timed in two
parts, per-page work (read, parse, claims, store) and the global refresh (speakers, clusters,
narratives, stance, reuse), with the peak RSS after each, which gives the per-page cost of adding pages.

    python bench/source_corpus.py [--pages 500] [--cache /tmp/narrascope-scale]
"""

from __future__ import annotations

import argparse
import json
import resource
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

from narrascope.claims import PIPE_BATCH
from narrascope.config import Settings
from narrascope.ingest import iter_pages
from narrascope.models import RawPage
from narrascope.pipeline import (
    CLAIM_LANGUAGES,
    DERIVED_VERSION,
    IngestReport,
    process_pages,
    refresh_derived,
    store_result,
)
from narrascope.store import Store

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
RENDERINGS = [SHARED / "data" / "extraction" / name / "text-w3m" for name in ("scrapinghub", "wcxb-dev-articles")]
DEFAULT_CACHE = Path("/tmp/narrascope-scale")


def source_files(pages: int) -> list[Path]:
    """The seed pages, then up to `pages` renderings in a fixed (sorted) order."""
    files = sorted((SHARED / "seeds").glob("*.txt"))
    for folder in RENDERINGS:
        files += sorted(folder.glob("*.txt"))
    return files[: len(sorted((SHARED / "seeds").glob("*.txt"))) + pages]


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build(db: str, files: list[Path], settings: Settings) -> dict[str, Any]:
    """Run `files` through the pipeline into `db`; the per-page and global parts timed apart."""
    report = IngestReport()
    started = time.perf_counter()
    with Store(db) as store:
        batch: list[RawPage] = []
        for item in iter_pages([str(f) for f in files], settings.ingest):
            if isinstance(item, RawPage):
                batch.append(item)
            else:
                store_result(item, item, store, report)
            if len(batch) >= PIPE_BATCH or not isinstance(item, RawPage):
                for page, result in zip(batch, process_pages(batch, settings), strict=True):
                    store_result(page, result, store, report)
                batch = []
        for page, result in zip(batch, process_pages(batch, settings), strict=True):
            store_result(page, result, store, report)
        per_page = time.perf_counter() - started
        per_page_rss = _peak_rss_mib()
    dropped = keep_claim_languages(db)
    with Store(db) as store:
        started = time.perf_counter()
        refresh_derived(store, settings)
        store.sync_search_index()
        refresh = time.perf_counter() - started
        counts = store.counts()
    return {"pages": len(files), "stored": report.stored, "rejected": len(report.rejected),
            "claims": report.claims, "per_page_seconds": round(per_page, 1),
            "seconds_per_page": round(per_page / max(len(files), 1), 3), "per_page_peak_rss_mib": round(per_page_rss),
            "refresh_seconds": round(refresh, 1), "refresh_peak_rss_mib": round(_peak_rss_mib()),
            "articles": counts["articles"], "narratives": counts["narratives"], "dropped_other_languages": dropped}


def keep_claim_languages(db: str) -> int:
    """Drop the pages in languages claims are not read in (a handful here), returns how many.

    With them the global refresh also embeds every English claim and their sentences with the multilingual
    model (cross-lingual evidence): over half an hour for these 505 pages on the shared 2 cores.
    """
    connection = sqlite3.connect(db)
    connection.execute("PRAGMA foreign_keys = ON")
    languages = ", ".join(f"'{language}'" for language in sorted(CLAIM_LANGUAGES))
    with connection:
        dropped = connection.execute("DELETE FROM pages WHERE id IN (SELECT id FROM articles WHERE language IS NOT"
                                     f" NULL AND language NOT IN ({languages}))").rowcount
    connection.close()
    return int(dropped)


def source_db(pages: int = 500, cache: Path = DEFAULT_CACHE) -> str:
    """The cached source database for `pages` renderings, built when missing (with its timings beside it)."""
    cache.mkdir(parents=True, exist_ok=True)
    db = cache / f"source-{pages}-v{DERIVED_VERSION}.db"
    facts = db.with_suffix(".json")
    if not facts.exists():
        db.unlink(missing_ok=True)
        figures = build(str(db), source_files(pages), Settings(db=str(db)))
        facts.write_text(json.dumps(figures, indent=1))
        print(f"source corpus: {json.dumps(figures)}", file=sys.stderr)
    return str(db)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    arguments = parser.parse_args()
    db = source_db(arguments.pages, arguments.cache)
    print(Path(db).with_suffix(".json").read_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""BATTERY.md L3: the extraction regression gate on a fixed corpus: docs/s within ±20% of the recorded
baseline, and a stable hash of everything extracted (title, outlet, date, author, language, body).

    python bench/regression.py            # check against bench/regression_baseline.json; exit 1 on a drift
    python bench/regression.py --record   # after an intended change: record the new hash and speed

The corpus is every HTML page of ../shared/data/extraction (scrapinghub 181, wcxb-dev-articles 711),
read and parsed in this process (no worker), in sorted order. A changed hash means extraction output
changed: intended (record it, and say so in the commit) or a regression. The fast part of the gate, the
hash over the first 30 scrapinghub pages, is tests/test_extraction_regression_hash.py in `make test`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from narrascope.articles import build_article
from narrascope.errors import PageError
from narrascope.ingest import iter_pages
from narrascope.models import RawPage

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "data" / "extraction"
BASELINE = Path(__file__).resolve().parent / "regression_baseline.json"
TOLERANCE = 0.20


def corpus_files(sets: Sequence[str] = ("scrapinghub", "wcxb-dev-articles"), limit: int | None = None) -> list[Path]:
    """The corpus' HTML pages in a fixed order."""
    files = [path for name in sets for path in sorted((CORPUS / name / "html").glob("*.html*"))]
    return files[:limit] if limit else files


def extraction_digest(files: Sequence[Path]) -> tuple[str, int, float]:
    """sha256 over every page's extracted record (or rejection reason), pages handled, and seconds taken."""
    digest = hashlib.sha256()
    pages = 0
    started = time.perf_counter()
    for path in files:
        for item in iter_pages([str(path)]):
            pages += 1
            name = path.name.encode()
            if not isinstance(item, RawPage):
                digest.update(name + b"\0rejected:" + item.reason.encode())
                continue
            try:
                article = build_article(item)
            except PageError as error:
                digest.update(name + b"\0rejected:" + error.reason.encode())
                continue
            record = [article.title, article.outlet, article.published, article.author, article.language,
                      article.body]
            digest.update(name + b"\0" + json.dumps(record, ensure_ascii=False).encode())
    return digest.hexdigest(), pages, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--record", action="store_true", help="write the baseline instead of checking it")
    arguments = parser.parse_args()
    files = corpus_files()
    if not files:
        print(f"no corpus under {CORPUS}", file=sys.stderr)
        return 2
    extraction_digest(files[:5])  # warm-up: imports and first-call costs are not extraction speed
    digest, pages, seconds = extraction_digest(files)
    speed = pages / seconds
    if arguments.record:
        BASELINE.write_text(json.dumps({"pages": pages, "hash": digest, "docs_per_s": round(speed, 2)}, indent=2)
                            + "\n", encoding="utf-8")
        print(f"recorded: {pages} pages, {speed:.1f} docs/s, hash {digest[:16]}")
        return 0
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    ratio = speed / float(baseline["docs_per_s"])
    same = digest == baseline["hash"] and pages == baseline["pages"]
    print("| pages | docs/s | baseline docs/s | ratio | hash | same output |\n|---:|---:|---:|---:|---|---|\n"
          f"| {pages} | {speed:.1f} | {baseline['docs_per_s']} | {ratio:.2f} | {digest[:16]} "
          f"| {'yes' if same else 'NO'} |")
    return 0 if same and abs(ratio - 1) <= TOLERANCE else 1


if __name__ == "__main__":
    sys.exit(main())

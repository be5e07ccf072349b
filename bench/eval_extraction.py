"""Measure the clean and metadata stages on ../shared/data/extraction (Scrapinghub, WCXB dev articles).

Usage: .venv/bin/python bench/eval_extraction.py [--data ../shared/data/extraction] [--sets scrapinghub,wcxb]
Prints a table: F1/P/R on word 4-gram shingles (Scrapinghub metric) and bag-of-words F1, for the
text renderings (text/ by inscriptis, text-w3m/ by w3m) and the HTML; then metadata exact-match
rates on WCXB (title, author, date) for the text and HTML modes.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path

from narrascope.clean import clean_page
from narrascope.errors import PageError
from narrascope.evaluation.extraction import FieldScore, score_field, score_pages
from narrascope.metadata import extract_metadata
from narrascope.models import CleanedPage, Metadata, PageKind, RawPage

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "extraction"


def load_gold(folder: Path) -> dict[str, dict[str, str | None]]:
    """Page id -> gold body, title, author, date, url."""
    gold: dict[str, dict[str, str | None]] = {}
    if (folder / "ground-truth.json").exists():
        for key, item in json.loads((folder / "ground-truth.json").read_text()).items():
            gold[key] = {"body": item["articleBody"], "url": item.get("url")}
    else:
        with gzip.open(folder / "ground-truth.jsonl.gz", "rt", encoding="utf-8") as handle:
            for line in handle:
                item = json.loads(line)
                truth = item["ground_truth"]
                gold[item["file_id"]] = {
                    "body": truth.get("main_content") or "",
                    "title": truth.get("title"),
                    "author": truth.get("author"),
                    "date": truth.get("publish_date"),
                    "url": item.get("url"),
                }
    return gold


def read_page(folder: Path, mode: str, key: str) -> RawPage | None:
    """The page `key` in rendering `mode` (text, text-w3m, html)."""
    kind: PageKind = "html" if mode == "html" else "text"
    path = folder / mode / (f"{key}.html.gz" if mode == "html" else f"{key}.txt")
    if not path.exists():
        return None
    text = gzip.decompress(path.read_bytes()).decode("utf-8", "replace") if mode == "html" else path.read_text()
    return RawPage(id=key, source=str(path), kind=kind, text=text)


def run(
    folder: Path, mode: str, gold: dict[str, dict[str, str | None]], with_metadata: bool
) -> tuple[list[tuple[str, str]], list[Metadata | None], float]:
    """Clean (and read metadata of) every page; returns (prediction, gold) pairs and metadata."""
    pairs: list[tuple[str, str]] = []
    metas: list[Metadata | None] = []
    started = time.perf_counter()
    for key, truth in gold.items():
        page = read_page(folder, mode, key)
        cleaned: CleanedPage | None = None
        if page is not None:
            try:
                cleaned = clean_page(page)
            except PageError:
                cleaned = None
        pairs.append((cleaned.body if cleaned else "", truth["body"] or ""))
        if with_metadata:
            metas.append(extract_metadata(page, cleaned or CleanedPage(body="")) if page is not None else None)
    return pairs, metas, time.perf_counter() - started


def main() -> int:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--sets", default="scrapinghub,wcxb-dev-articles")
    parser.add_argument("--modes", default="text,text-w3m,html")
    args = parser.parse_args()
    if not args.data.is_dir():
        print(f"{args.data} is absent: nothing to measure", file=sys.stderr)
        return 2
    print(f"{'set':<18} {'mode':<9} {'F1':>6} {'P':>6} {'R':>6} {'BoW F1':>7} {'pages':>6} {'s':>6}")
    field_rows: list[tuple[str, str, FieldScore]] = []
    for name in args.sets.split(","):
        folder = args.data / name
        gold = load_gold(folder)
        with_metadata = name.startswith("wcxb")
        for mode in args.modes.split(","):
            pairs, metas, seconds = run(folder, mode, gold, with_metadata)
            shingle = score_pages(pairs, 4)
            words = score_pages(pairs, 1)
            print(
                f"{name:<18} {mode:<9} {shingle.f1:6.3f} {shingle.precision:6.3f} {shingle.recall:6.3f} "
                f"{words.f1:7.3f} {shingle.pages:6d} {seconds:6.1f}"
            )
            if with_metadata:
                truths = list(gold.values())
                field_rows.append(
                    (
                        name,
                        mode,
                        score_field(
                            "title", [(m.title if m else None, t["title"]) for m, t in zip(metas, truths, strict=True)]
                        ),
                    )
                )
                field_rows.append(
                    (
                        name,
                        mode,
                        score_field(
                            "author",
                            [(m.author if m else None, t["author"]) for m, t in zip(metas, truths, strict=True)],
                        ),
                    )
                )
                field_rows.append(
                    (
                        name,
                        mode,
                        score_field(
                            "date",
                            [(m.published if m else None, t["date"]) for m, t in zip(metas, truths, strict=True)],
                            is_date=True,
                        ),
                    )
                )
    if field_rows:
        print()
        print(f"{'set':<18} {'mode':<9} {'field':<7} {'exact':>6} {'matched':>12} {'found':>10}")
        for name, mode, row in field_rows:
            print(
                f"{name:<18} {mode:<9} {row.name:<7} {row.rate:6.3f} {row.matched:5d}/{row.with_gold:<6d} "
                f"{row.found:4d}/{row.pages:<5d}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Measure the clean and metadata stages on ../shared/data/extraction (Scrapinghub, WCXB dev articles).

Usage:
    narrascope eval extraction [DATASET] [--mode text|html] [--rendering NAME] [--worst N] [--peer]
    (or python bench/eval_extraction.py ...)

DATASET is scrapinghub or wcxb-dev-articles (default: both). Text mode cleans each text rendering
(`text/` by inscriptis, `text-w3m/` by w3m; `--rendering` picks one, `--renderings DIR` reads
`DIR/<set>/<rendering>/` instead, e.g. the lynx/html2text/chromium ones of bench/render_pages.py).
Prints F1/P/R on word 4-gram shingles (the Scrapinghub metric) and bag-of-words F1, the N worst
pages, and on WCXB the metadata exact-match rates (title, author, date).

Text mode scores every page with the cross-validation model that never saw the page's site
(bench/models/fold-*.npz, written by `bench/train_lines.py --cv --save-folds`); `--shipped` uses the
shipped model instead (trained on every page: a training-set figure). `--peer` adds trafilatura 2.3.1
on the same input: `extract` and `extract_metadata(extensive=True)` on the HTML, or on the text page
wrapped as one `<p>` per non-blank line (so on text its metadata comes from the text alone).
"""

from __future__ import annotations

import argparse
import gzip
import sys
import time
from pathlib import Path

from narrascope.clean import clean_page
from narrascope.clean.learned import shipped_model
from narrascope.errors import PageError
from narrascope.evaluation.benchmark_pages import DATA, SETS, load_gold, site_of
from narrascope.evaluation.extraction import page_counts, score_field, score_pages
from narrascope.evaluation.folds import FoldModels
from narrascope.metadata import extract_metadata
from narrascope.models import CleanedPage, Metadata, RawPage

FOLD_DIR = Path(__file__).resolve().parent / "models"


def read_page(folder: Path, dataset: str, rendering: str, key: str) -> RawPage | None:
    """The page `key` of `dataset` in `rendering` (a text folder, or html)."""
    if rendering == "html":
        path = DATA / dataset / "html" / f"{key}.html.gz"
        if not path.exists():
            return None
        return RawPage(id=key, source=str(path), kind="html", text=gzip.decompress(path.read_bytes()).decode(
            "utf-8", "replace"))
    path = folder / dataset / rendering / f"{key}.txt"
    if not path.exists():
        return None
    return RawPage(id=key, source=str(path), kind="text", text=path.read_text(encoding="utf-8", errors="replace"))


def peer_markup(page: RawPage) -> str:
    """What trafilatura is given: the HTML itself, or a text page as one <p> per non-blank line
    (no <title>, <meta> or <h1>: the text carries no markup, so none is invented)."""
    import html

    if page.kind == "html":
        return page.text
    return "<html><body>" + "".join(
        f"<p>{html.escape(line.strip())}</p>" for line in page.text.splitlines() if line.strip()) + "</body></html>"


def peer_body(page: RawPage) -> str:
    """trafilatura's body of the same input."""
    import trafilatura

    return trafilatura.extract(peer_markup(page), include_comments=False, include_tables=True) or ""


def peer_metadata(page: RawPage) -> Metadata:
    """trafilatura's extract_metadata (extensive=True) on the same input: the peer's title, author, date."""
    from narrascope.metadata.html import html_fields

    fields = html_fields(peer_markup(page), None)
    return Metadata(title=fields.title, outlet=fields.sitename, published=fields.date, author=fields.author,
                    language=None)


def clean(page: RawPage, site: str, folds: FoldModels | None) -> CleanedPage | None:
    """The clean stage's output (the held-out fold model's in text mode when `folds` is given)."""
    try:
        if folds is not None and page.kind == "text":
            return folds.clean(page.text, site)
        return clean_page(page)
    except PageError:
        return None


def evaluate(dataset: str, rendering: str, folder: Path, args: argparse.Namespace, folds: FoldModels | None) -> None:
    """Print the figures of one set in one rendering."""
    gold = load_gold(dataset)
    pairs: list[tuple[str, str]] = []
    peers: list[tuple[str, str]] = []
    metas: list[tuple[Metadata | None, Metadata | None, dict[str, str | None]]] = []
    keys: list[str] = []
    started = time.perf_counter()
    for key, (body, url, meta) in gold.items():
        page = read_page(folder, dataset, rendering, key)
        if page is None:
            continue
        page = RawPage(id=page.id, source=page.source, kind=page.kind, text=page.text, url=url)
        cleaned = clean(page, site_of(url, key), folds)
        keys.append(key)
        pairs.append((cleaned.body if cleaned else "", body))
        if args.peer:
            peers.append((peer_body(page), body))
        if meta:
            ours = extract_metadata(page, cleaned or CleanedPage(body=""))
            metas.append((ours, peer_metadata(page) if args.peer else None, meta))
    seconds = time.perf_counter() - started
    rows = [("narrascope", pairs)] + ([("trafilatura", peers)] if args.peer else [])
    for name, scored in rows:
        shingle, words = score_pages(scored, 4), score_pages(scored, 1)
        print(f"{dataset:<18} {rendering:<10} {name:<11} F1 {shingle.f1:.3f}  P {shingle.precision:.3f}  "
              f"R {shingle.recall:.3f}  BoW F1 {words.f1:.3f}  pages {shingle.pages}", flush=True)
    cleaner = "held-out fold per site" if folds else ("shipped model" if shipped_model() else "rule cleaner")
    print(f"  ({seconds:.1f}s, text cleaner: {cleaner})")
    if args.worst:
        ranked = sorted(zip(keys, pairs, strict=True), key=lambda item: _page_f1(*item[1]))
        for key, (prediction, truth) in ranked[: args.worst]:
            counts = page_counts(prediction, truth)
            print(f"  worst {key[:16]:<16} F1 {_page_f1(prediction, truth):.3f}  P {_ratio(counts.tp, counts.fp)}  "
                  f"R {_ratio(counts.tp, counts.fn)}  predicted {len(prediction.split())} words, gold "
                  f"{len(truth.split())}")
    if metas:
        for label, pick in (("narrascope", 0), ("trafilatura", 1)):
            if pick == 1 and not any(row[1] for row in metas):
                continue
            fields = [
                score_field("title", [(_meta(row[pick]).title, row[2]["title"]) for row in metas]),
                score_field("author", [(_meta(row[pick]).author, row[2]["author"]) for row in metas]),
                score_field("date", [(_meta(row[pick]).published, row[2]["date"]) for row in metas], is_date=True),
            ]
            print(f"  metadata {label:<11} " + "  ".join(
                f"{field.name} {field.rate:.3f} ({field.matched}/{field.with_gold})" for field in fields))


def _meta(value: Metadata | None) -> Metadata:
    return value or Metadata(None, None, None, None, None)


def _ratio(tp: float, other: float) -> str:
    return f"{tp / (tp + other):.3f}" if tp + other else "1.000"


def _page_f1(prediction: str, truth: str) -> float:
    counts = page_counts(prediction, truth)
    return 2 * counts.tp / (2 * counts.tp + counts.fp + counts.fn) if counts.tp else 0.0


def main() -> int:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dataset", nargs="?", choices=[*SETS, "all"], default="all")
    parser.add_argument("--mode", choices=["text", "html", "both"], default="both")
    parser.add_argument("--rendering", help="one text rendering folder (default: text and text-w3m)")
    parser.add_argument("--renderings", type=Path, default=DATA, help="root of <set>/<rendering>/ text folders")
    parser.add_argument("--worst", type=int, default=5, help="list the N pages of lowest F1")
    parser.add_argument("--peer", action="store_true", help="trafilatura on the same input, side by side")
    parser.add_argument("--shipped", action="store_true", help="text mode with the shipped model (seen pages)")
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"{DATA} is absent: nothing to measure", file=sys.stderr)
        return 2
    folds = None if args.shipped else FoldModels.load(FOLD_DIR)
    datasets = SETS if args.dataset == "all" else (args.dataset,)
    renderings: list[str] = []
    if args.mode in ("text", "both"):
        renderings += [args.rendering] if args.rendering else ["text", "text-w3m"]
    if args.mode in ("html", "both"):
        renderings.append("html")
    for dataset in datasets:
        for rendering in renderings:
            evaluate(dataset, rendering, args.renderings, args, folds)
    return 0


if __name__ == "__main__":
    sys.exit(main())

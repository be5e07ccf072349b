"""Extraction speed and peak memory: narrascope's text and HTML modes beside trafilatura, in one run.

Usage: python bench/bench_extraction.py [--pages N] [--repeat R]

Each run is its own child process (so its peak RSS is its own), pinned to one core, over the first N pages
of scrapinghub and wcxb-dev-articles (text/ renderings for text mode, the HTML for HTML mode), read
into memory first. Prints pages per CPU-second (what one free core would do: the machine is shared,
so wall time says more about the other load) and pages per wall-second, and the peak RSS. The narrascope
rows time the clean stage (the body, as trafilatura's `extract` with its defaults gives it), and
once more with the metadata stage after it (title, outlet, date, author, language).
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import os
import resource
import subprocess
import sys
import time

from narrascope.evaluation.benchmark_pages import DATA, SETS

RUNS = {
    "narrascope text": ("text", "narrascope"),
    "narrascope text + metadata": ("text", "narrascope+metadata"),
    "trafilatura on text": ("text", "trafilatura"),
    "narrascope html": ("html", "narrascope"),
    "trafilatura html": ("html", "trafilatura"),
}


def pages_of(kind: str, limit: int) -> list[str]:
    """The first `limit` pages of each set, as text or HTML."""
    found: list[str] = []
    for dataset in SETS:
        folder = DATA / dataset / kind
        files = sorted(folder.iterdir())[:limit]
        for file in files:
            raw = file.read_bytes()
            found.append((gzip.decompress(raw) if file.name.endswith(".gz") else raw).decode("utf-8", "replace"))
    return found


def one_run(name: str, limit: int, repeat: int) -> dict[str, float]:
    """Time one extractor over the pages (called in a child process)."""
    import html as html_escape

    import trafilatura

    from narrascope.clean import clean_page
    from narrascope.errors import PageError
    from narrascope.metadata import extract_metadata
    from narrascope.models import RawPage

    with contextlib.suppress(AttributeError, OSError):  # one core, as the goal says (Linux only)
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    kind, tool = RUNS[name]
    pages = pages_of(kind, limit)
    if tool.startswith("narrascope"):
        # Load the model before the clock starts (as a long-running ingest would have).
        clean_page(RawPage(id="warm", source="warm", kind="text", text="A warm-up line of text, said one.\n"))
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(repeat):
        for text in pages:
            if tool.startswith("narrascope"):
                page = RawPage(id="p", source="p", kind="html" if kind == "html" else "text", text=text)
                with contextlib.suppress(PageError):
                    cleaned = clean_page(page)
                    if tool == "narrascope+metadata":
                        extract_metadata(page, cleaned)
            elif kind == "html":
                trafilatura.extract(text)
            else:
                markup = "".join(f"<p>{html_escape.escape(line)}</p>" for line in text.splitlines() if line.strip())
                trafilatura.extract(f"<html><body>{markup}</body></html>")
    count = len(pages) * repeat
    return {"pages": count, "per_cpu_second": count / (time.process_time() - cpu),
            "per_wall_second": count / (time.perf_counter() - wall),
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main() -> int:
    """Run every extractor in its own process and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=100, help="pages per set")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one_run(args.one, args.pages, args.repeat)))
        return 0
    print("| run | pages | pages per CPU-second | pages per wall-second | peak RSS MB |")
    print("|---|---|---|---|---|")
    environment = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    for name in RUNS:
        done = subprocess.run(
            [sys.executable, __file__, "--one", name, "--pages", str(args.pages), "--repeat", str(args.repeat)],
            capture_output=True, text=True, check=True, env=environment,
        )
        row = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"| {name} | {row['pages']:.0f} | {row['per_cpu_second']:.1f} | {row['per_wall_second']:.1f} | "
              f"{row['peak_mb']:.0f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

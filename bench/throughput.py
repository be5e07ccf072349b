"""End-to-end pages/s on this machine, side by side with trafilatura's HTML extraction alone.

The whole pipeline (parse in a worker, clean, metadata, claims, then speakers, embeddings, clusters,
narratives, reuse) over the Scrapinghub HTML pages, against `trafilatura.extract` on the same pages in
the same run. Usage: python bench/throughput.py [--pages N] [--no-isolate]
"""

from __future__ import annotations

import argparse
import gzip
import resource
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import trafilatura

from narrascope.config import Settings
from narrascope.pipeline import ingest
from narrascope.store import Store

HTML = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "extraction" / "scrapinghub" / "html"


def main(argv: list[str]) -> int:
    """Print a Markdown table of pages/s and peak memory."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--pages", type=int, default=181)
    parser.add_argument("--no-isolate", action="store_true", help="parse in this process (no worker)")
    arguments = parser.parse_args(argv)
    files = sorted(p for p in HTML.iterdir() if p.is_file())[: arguments.pages]
    started = time.perf_counter()
    for file in files:
        data = gzip.decompress(file.read_bytes()) if file.name.endswith(".gz") else file.read_bytes()
        trafilatura.extract(data.decode("utf-8", errors="replace"))
    peer = len(files) / (time.perf_counter() - started)
    with tempfile.TemporaryDirectory() as scratch:
        db = str(Path(scratch) / "throughput.db")
        settings = Settings(db=db)
        if arguments.no_isolate:
            settings = replace(settings, ingest=replace(settings.ingest, isolate=False))
        with Store(db) as store:
            started = time.perf_counter()
            report = ingest([str(f) for f in files], store, settings)
            seconds = time.perf_counter() - started
            claims = len(store.claims())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("| run | pages | pages/s | notes |")
    print("|---|---|---|---|")
    print(f"| trafilatura 2.3.1 `extract` alone (body only) | {len(files)} | {peer:.1f} | |")
    print(f"| narrascope end to end | {report.stored} stored, {len(report.rejected)} rejected | "
          f"{len(files) / seconds:.1f} | {claims} claims; peak RSS {peak:.0f} MB (this process) |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

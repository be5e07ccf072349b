"""End-to-end pages/s: narrascope local and on Ray (1 and 2 workers), beside trafilatura, in one run.

The whole pipeline (parse, clean, metadata, claims, then speakers, embeddings, clusters, narratives,
reuse) over the Scrapinghub HTML pages, against `trafilatura.extract` alone on the same pages. Each run
is a child process, so its peak memory is its own. CPU seconds (this process and its waited children)
are given beside wall time because the bench machine is shared: pages per CPU-second do not depend on
what else runs. Usage: python bench/throughput.py [--pages N] [--runs trafilatura local ...]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

HTML = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "extraction" / "scrapinghub" / "html"
RUNS = ("trafilatura", "local", "local-inprocess", "ray-1", "ray-2")
VECTOR_BYTES = 384 * 4


def _files(count: int) -> list[Path]:
    return sorted(p for p in HTML.iterdir() if p.is_file())[:count]


def _cpu_seconds() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run_child(run: str, count: int) -> dict[str, float | str]:
    """One run in this process: seconds, CPU seconds, pages, claims, database and vector sizes."""
    files = _files(count)
    if run == "trafilatura":
        import trafilatura

        texts = [(gzip.decompress(f.read_bytes()) if f.name.endswith(".gz") else f.read_bytes()).decode(
            "utf-8", errors="replace") for f in files]
        cpu, started = _cpu_seconds(), time.perf_counter()
        for text in texts:
            trafilatura.extract(text)
        return {"seconds": time.perf_counter() - started, "cpu": _cpu_seconds() - cpu, "stored": len(files)}
    from narrascope.config import Settings
    from narrascope.narratives.passages import split_passages
    from narrascope.pipeline import ingest
    from narrascope.store import Store

    with tempfile.TemporaryDirectory() as scratch:
        db = str(Path(scratch) / "throughput.db")
        settings = Settings(db=db)
        if run == "local-inprocess":
            settings = replace(settings, ingest=replace(settings.ingest, isolate=False))
        with Store(db) as store:
            cpu, started = _cpu_seconds(), time.perf_counter()
            if run.startswith("ray-"):
                from narrascope.engines.ray_engine import RayOptions, ingest_with_ray

                report = ingest_with_ray([str(f) for f in files], store, settings,
                                         RayOptions(workers=int(run.split("-")[1])))
            else:
                report = ingest([str(f) for f in files], store, settings)
            seconds, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
            claims = store.claims()
            passages = len(split_passages([claim.text for claim in claims]))
        database = sum(p.stat().st_size for p in Path(scratch).iterdir())
    reasons = ", ".join(sorted(f"{r.source.rsplit('/', 1)[-1]}: {r.reason}" for r in report.rejected))
    return {"seconds": seconds, "cpu": cpu, "stored": report.stored, "rejected": len(report.rejected),
            "reasons": reasons, "claims": len(claims), "passages": passages, "db_bytes": database}


def main(argv: list[str]) -> int:
    """Print a Markdown table: pages/s, CPU s per page, peak memory; then memory per 100k articles."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--pages", type=int, default=181)
    parser.add_argument("--runs", nargs="+", choices=RUNS, default=list(RUNS))
    parser.add_argument("--child", help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)
    if arguments.child:
        result = run_child(arguments.child, arguments.pages)
        result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result))
        return 0
    environment = {**os.environ, "RAY_DISABLE_USAGE_STATS": "1", "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    load = os.getloadavg()[0]
    print(f"{len(_files(arguments.pages))} pages; load average {load:.1f} at start on {os.cpu_count()} cores\n")
    print("| run | pages stored | seconds | pages/s | CPU s/page | peak RSS MB (driver) |")
    print("|---|---|---|---|---|---|")
    results: dict[str, dict[str, float | str]] = {}
    for run in arguments.runs:
        output = subprocess.run([sys.executable, __file__, "--child", run, "--pages", str(arguments.pages)],
                                env=environment, capture_output=True, text=True, check=True).stdout
        result = results[run] = json.loads(output.strip().splitlines()[-1])
        pages = len(_files(arguments.pages))
        print(f"| {run} | {result['stored']} | {float(result['seconds']):.1f} | "
              f"{pages / float(result['seconds']):.2f} | {float(result['cpu']) / pages:.3f} | "
              f"{float(result['peak_mb']):.0f} |", flush=True)
    for run, result in results.items():
        if result.get("reasons"):  # why a run stored fewer pages (a parse timeout in a starved worker...)
            print(f"\nrejected in {run}: {result['reasons']}")
    stored = [r for name, r in results.items() if name != "trafilatura" and float(r["stored"])]
    if stored:
        sample = stored[0]
        per_article = 100_000 / float(sample["stored"])
        print(f"\nPer 100k articles (extrapolated from {sample['stored']} stored): database "
              f"{float(sample['db_bytes']) * per_article / 1e9:.1f} GB; "
              f"{float(sample['claims']) * per_article / 1e3:.0f}k claims; the global stages hold "
              f"{float(sample['passages']) * per_article * VECTOR_BYTES / 1e9:.1f} GB of passage vectors "
              f"({float(sample['passages']) * per_article / 1e6:.2f} M passages x 384 float32).")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""CPU seconds of each pipeline stage and of each embedding model, without a profiler's overhead.

Runs `ingest` in this process (parse not isolated) over the first N Scrapinghub HTML pages, with the models
loaded first, and times the stage functions the pipeline calls and the embedders' `embed` (texts counted).
Stages nest: the global stages include the embedding they ask for. Usage:
    python bench/stage_cpu.py [--pages 40]
"""

from __future__ import annotations

import argparse
import functools
import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

HTML = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "extraction" / "scrapinghub" / "html"
STAGES = ("build_article", "extract_claims_batch", "refresh_derived", "build_narratives", "narrative_stances",
          "foreign_evidence")


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _timed(name: str, function: Callable[..., Any], totals: dict[str, list[float]]) -> Callable[..., Any]:
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = _cpu()
        result = function(*args, **kwargs)
        entry = totals.setdefault(name, [0.0, 0.0])
        entry[0] += _cpu() - started
        entry[1] += len(args[0]) if name.startswith("embed") else 0
        return result

    return wrapper


def main(argv: list[str]) -> int:
    """Print each stage's CPU seconds, per page, and the texts each embedding model embedded."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--pages", type=int, default=40)
    arguments = parser.parse_args(argv)
    import narrascope.pipeline as pipeline
    from narrascope.claims import load_nlp
    from narrascope.config import Settings
    from narrascope.narratives import load_embedder
    from narrascope.store import Store

    files = [str(p) for p in sorted(p for p in HTML.iterdir() if p.is_file())[:arguments.pages]]
    totals: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        settings = Settings(db=str(Path(scratch) / "stages.db"))
        settings = replace(settings, ingest=replace(settings.ingest, isolate=False))
        load_nlp(settings.models.spacy_model)  # model loading is start-up, not per-page cost
        for model in (settings.models.embedding_model, settings.models.multilingual_model):
            embedder: Any = load_embedder(model)
            embedder.embed = _timed(f"embed {model}", embedder.embed, totals)
        for name in STAGES:
            setattr(pipeline, name, _timed(name, getattr(pipeline, name), totals))
        load_before = os.getloadavg()[0]
        with Store(settings.db) as store:
            started, wall = _cpu(), time.perf_counter()
            report = pipeline.ingest(files, store, settings)
            total, wall = _cpu() - started, time.perf_counter() - wall
    pages = len(files)
    print(f"{pages} pages ({report.stored} stored, {report.claims} claims): {total:.1f} CPU s, "
          f"{total / pages:.3f} CPU s/page, {wall:.1f} s wall; load average {load_before:.1f} -> "
          f"{os.getloadavg()[0]:.1f}\n")
    print("| stage | CPU s | CPU s/page | share | texts embedded |\n|---|---|---|---|---|")
    for name, (seconds, texts) in totals.items():
        print(f"| {name} | {seconds:.2f} | {seconds / pages:.3f} | {seconds / total:.0%} | "
              f"{int(texts) if name.startswith('embed') else ''} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

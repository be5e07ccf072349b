"""Where the per-page CPU goes: cProfile over the whole pipeline on N Scrapinghub HTML pages.

Runs `ingest` in this process (parse not isolated, so the profile sees it) into a scratch database and
prints the CPU seconds of each stage (parse and cleaning, metadata, spaCy, claim rules, embeddings,
the other global stages), per page, then the top functions by own time. Usage:
    python bench/profile_pages.py [--pages 50] [--top 25]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

HTML = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "extraction" / "scrapinghub" / "html"
# (label, function name as pstats keys it: (file suffix, function)): cumulative time of each.
STAGES = (
    ("parse + clean + metadata (build_article)", "narrascope/articles.py", "build_article"),
    ("  cleaning (clean_page)", "narrascope/clean/__init__.py", "clean_page"),
    ("  trafilatura extract", "trafilatura/core.py", "extract"),
    ("  metadata", "narrascope/metadata/__init__.py", "extract_metadata"),
    ("claims, all (extract_claims_batch)", "narrascope/claims/__init__.py", "extract_claims_batch"),
    ("  spaCy (Language.pipe)", "spacy/language.py", "pipe"),
    ("global stages (refresh_derived)", "narrascope/pipeline.py", "refresh_derived"),
    ("  embeddings (through the vector cache)", "narrascope/pipeline.py", "embed"),
    ("  speakers", "narrascope/speakers/__init__.py", "resolve_speakers"),
    ("  narratives (build_narratives)", "narrascope/narratives/build.py", "build_narratives"),
    ("  stance", "narrascope/stance/decide.py", "narrative_stances"),
    ("store writes (save_article)", "narrascope/store/sqlite.py", "save_article"),
)


def main(argv: list[str]) -> int:
    """Profile one in-process ingest and print the per-stage table and the top functions."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--top", type=int, default=25)
    arguments = parser.parse_args(argv)
    from narrascope.claims import load_nlp
    from narrascope.config import Settings
    from narrascope.narratives import load_embedder
    from narrascope.pipeline import ingest
    from narrascope.store import Store

    files = [str(p) for p in sorted(p for p in HTML.iterdir() if p.is_file())[:arguments.pages]]
    with tempfile.TemporaryDirectory() as scratch:
        settings = Settings(db=str(Path(scratch) / "profile.db"))
        settings = replace(settings, ingest=replace(settings.ingest, isolate=False))
        load_nlp(settings.models.spacy_model)  # model loading is start-up, not per-page cost
        load_embedder(settings.models.embedding_model)
        profile = cProfile.Profile(timer=lambda: os.times()[0] + os.times()[1])  # CPU, not wall, time
        with Store(settings.db) as store:
            profile.enable()
            report = ingest(files, store, settings)
            profile.disable()
    stats = pstats.Stats(profile)
    total = stats.total_tt  # type: ignore[attr-defined]
    pages = len(files)
    print(f"{pages} pages ({report.stored} stored, {report.claims} claims); load average "
          f"{os.getloadavg()[0]:.1f}; {total:.1f} CPU s, {total / pages:.3f} CPU s/page\n")
    print("| stage | CPU s | CPU s/page | share |\n|---|---|---|---|")
    entries = stats.stats  # type: ignore[attr-defined]
    for label, suffix, name in STAGES:
        cumulative = sum(entry[3] for (file, _, function), entry in entries.items()
                         if function == name and file.endswith(suffix))
        print(f"| {label} | {cumulative:.2f} | {cumulative / pages:.3f} | {cumulative / total:.0%} |")
    print()
    stats.sort_stats("tottime").print_stats(arguments.top)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

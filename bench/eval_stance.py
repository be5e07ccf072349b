"""Score stance (and text reuse) on the labelled sets built from ../shared/data and the seeds.

Usage: .venv/bin/python bench/eval_stance.py [--reuse-pages N] [--no-seeds] [--errors]

Stance: bench/data/stance_labels.tsv (EUvsDisinfo summaries and disproofs, the five seeds).
Reuse: copy / lifted / unrelated pairs from ../shared/data/extraction/scrapinghub (see evaluation.reuse).
Prints one JSON object: accuracy, per-class P/R/F1, counter-room accuracy, reuse P/R/F1.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from narrascope.claims import load_nlp
from narrascope.config import Settings
from narrascope.evaluation.reuse import reuse_pairs, score_reuse
from narrascope.evaluation.stance import judge_items, load_stance_set, stance_scores
from narrascope.narratives import load_embedder
from narrascope.pipeline import ingest
from narrascope.store import Store

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
SEEDS = ROOT.parent / "shared" / "seeds"
LABELS = ROOT / "bench" / "data" / "stance_labels.tsv"
EUVSDISINFO = DATA / "disinfo" / "euvsdisinfo-cases" / "kalkun" / "full_dataset_formatted.csv"
REUSE_FOLDER = DATA / "extraction" / "scrapinghub"


def _seed_stances() -> dict[str, tuple[str, bool]]:
    """Seed file name -> (stance, counter room) toward the narrative the pipeline finds over the seeds.

    Pages are parsed in this process: the evaluation measures stance, and a loaded machine can push a
    parse past the worker's time cap.
    """
    with tempfile.TemporaryDirectory() as folder:
        db = str(Path(folder) / "seeds.db")
        settings = Settings(db=db)
        settings = replace(settings, ingest=replace(settings.ingest, isolate=False))
        with Store(db) as store:
            report = ingest([str(SEEDS)], store, settings)
            if report.rejected:
                raise SystemExit(f"seed pages rejected: {[(r.source, r.reason) for r in report.rejected]}")
            names = {a.id: Path(a.source).name for a in store.articles()}
            return {names[s.article_id]: (s.stance, s.counter_room) for s in store.stances()}


def main() -> int:
    """Run both evaluations and print the scores as JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reuse-pages", type=int, default=40, help="pages of the reuse set (3 pairs each)")
    parser.add_argument("--no-seeds", action="store_true", help="leave the seeds out (no ingest)")
    parser.add_argument("--errors", action="store_true", help="list the wrongly judged items on stderr")
    arguments = parser.parse_args()
    started = time.perf_counter()
    items = load_stance_set(LABELS)
    embedder = load_embedder()
    nlp = load_nlp()
    seeds = {} if arguments.no_seeds else _seed_stances()
    gold: dict[str, list[str]] = {"dev": [], "test": []}
    predicted: dict[str, list[str]] = {"dev": [], "test": []}
    room_hits = room_total = 0
    judged = dict((id(item), result) for item, result in judge_items(items, EUVSDISINFO, embedder.embed, nlp))
    for item in items:
        if item.source == "seed":
            if arguments.no_seeds:
                continue
            if item.ref not in seeds:
                raise SystemExit(f"{item.ref}: no stance found for this seed (is it in the seeds' narrative?)")
            label, room = seeds[item.ref]
            if item.counter_room is not None:
                room_total += 1
                room_hits += int(room == item.counter_room)
            reason = "seed"
        else:
            label = judged[id(item)].stance
            reason = "; ".join(f"{e.role}: {e.reason}" for e in judged[id(item)].evidence[:2])
        gold[item.split].append(item.label)
        predicted[item.split].append(label)
        if arguments.errors and label != item.label:
            print(f"{item.split} {item.source} {item.ref} {item.field}: gold {item.label}, got {label} ({reason})",
                  file=sys.stderr)
    report = {"stance": {split: stance_scores(gold[split], predicted[split]) for split in ("dev", "test")}
              | {"all": stance_scores(gold["dev"] + gold["test"], predicted["dev"] + predicted["test"])},
              "counter_room_accuracy": f"{room_hits}/{room_total}" if room_total else None,
              "reuse": score_reuse(reuse_pairs(REUSE_FOLDER, arguments.reuse_pages)),
              "seconds": round(time.perf_counter() - started, 1)}
    sys.stdout.write(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
